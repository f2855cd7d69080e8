"""The review site: built from the sample packets, opened from disk in a real headless Chromium.

The browser tests need Debian's chromium and chromium-driver and the selenium package
(the ``review`` extra); they skip without them, and fail instead under REQUIRE_BROWSER=1
(.ci/run sets it).
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from pipeline import corrections as corr
from pipeline.cli import main
from pipeline.review import TABLES, ReviewSettings, build_review, docdata_to_html, warehouse_to_docdata
from tests.conftest import doc_id_of

NEED_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1600,1000")


@pytest.fixture(scope="module")
def site(warehouse, sample_raw, tmp_path_factory):
    out = tmp_path_factory.mktemp("review")
    built = build_review(warehouse, sample_raw, out, corrections_dir=out / "no-corrections")
    return out, built


@pytest.fixture
def r4(con):
    return doc_id_of(con, "r4_browser.pdf")


def _boxed_rows(con, doc_id: str) -> int:
    return sum(con.execute(f"select count(x0) from {t} where doc_id = ?", [doc_id]).fetchone()[0] for t in TABLES)


# --- the files --------------------------------------------------------------------------------

class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.boxes = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.refs += [a[k] for k in ("src", "href") if a.get(k)]
        if tag == "div" and (a.get("class") or "").split()[:1] == ["box"] and "part" not in a["class"].split():
            self.boxes += 1


def test_the_site_needs_nothing_but_its_folder(site):
    out, built = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 4 and built.documents and built.pages == 122
    for page in pages:
        refs = _Refs()
        refs.feed(page.read_text(encoding="utf-8"))
        for ref in refs.refs:
            if ref.startswith("#"):
                continue
            assert "://" not in ref and not ref.startswith("/"), (page, ref)
            assert (page.parent / ref.split("#")[0]).is_file(), (page, ref)
    for asset in (out / "assets").iterdir():
        assert not re.search(r"https?:|//[a-z]|@import", asset.read_text(encoding="utf-8")), asset


def test_one_box_drawn_per_row_with_provenance(site, con):
    out, built = site
    total = 0
    for doc_id in built.documents:
        refs = _Refs()
        refs.feed((out / doc_id / "index.html").read_text(encoding="utf-8"))
        assert refs.boxes == _boxed_rows(con, doc_id) > 0, doc_id
        total += refs.boxes
    assert built.boxes == total


def test_the_index_lists_each_document_with_its_rows_per_table(site, con):
    out, _ = site
    text = (out / "index.html").read_text(encoding="utf-8")
    for doc_id, source, n_kpis in con.execute(
            "select doc_id, source_path, (select count(*) from kpis k where k.doc_id = d.doc_id) from documents d"
    ).fetchall():
        row = re.search(rf'<tr><td><a href="{doc_id}/index.html">.*?</tr>', text).group(0)
        assert source in row and f'<td class="num">{n_kpis}</td>' in row


def test_a_corrected_value_is_marked_with_what_was_extracted(warehouse, r4):
    con = duckdb.connect(str(warehouse), read_only=True)
    data = warehouse_to_docdata(con, r4)
    con.close()
    i = next(i for i, r in enumerate(data.tables["kpis"]) if r["value_text"] == "49,215,236")
    data.corrections.append({"file": "corrections/x.csv", "line": 2, "table_name": "kpis",
                             "row_key": data.keys["kpis"][i], "column_name": "metric",
                             "value_as_extracted": "接種回数", "corrected_value": "ワクチン接種回数", "note": None,
                             "applied": True, "reason": None})
    html, _ = docdata_to_html(data, [], ReviewSettings())
    assert ('data-key="r4_browser.pdf#46|49,215,236" data-main="value" data-box="1" tabindex="0">'
            '<td class="pg"><a href="#p46">46</a></td><td class="mk"><span class="badge-corrected"></span></td>') in html
    assert ('<td data-col="metric" data-v="接種回数" class="corrected" title="corrected from 接種回数 '
            '(corrections/x.csv:2)">接種回数</td>') in html


def test_the_command_line_names_what_is_wrong(warehouse, sample_raw, tmp_path, capsys):
    args = ["review", "--db", str(warehouse), "--raw", str(sample_raw), "--out", str(tmp_path)]
    assert main(args) == 2 and "name one DOC_ID or give --all" in capsys.readouterr().err
    assert main([*args, "ffff"]) == 2 and "no document 'ffff'" in capsys.readouterr().err


# --- in the browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("the selenium package (pip install -e '.[review]')")
    if missing:
        if NEED_BROWSER:
            pytest.fail(f"REQUIRE_BROWSER=1 but {', '.join(missing)} missing (apt-get install chromium chromium-driver)")
        pytest.skip(f"{', '.join(missing)} missing: apt-get install chromium chromium-driver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        opts.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="review-chromium-")
    opts.add_argument(f"--user-data-dir={profile}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver, path: Path, fragment: str = "") -> list[dict]:
    """Load a page from disk; the console messages it logged."""
    driver.get(path.resolve().as_uri() + fragment)
    deadline = time.monotonic() + 20
    while driver.execute_script("return document.readyState") != "complete" and time.monotonic() < deadline:
        time.sleep(0.1)
    return driver.get_log("browser")


def _in_view(driver, el) -> bool:
    return driver.execute_script("""
        const el = arguments[0], pane = el.closest('#pages, #side');
        const r = el.getBoundingClientRect(), p = pane.getBoundingClientRect();
        return r.top >= p.top - 1 && r.bottom <= p.bottom + 1;""", el)


def test_the_pages_load_with_no_console_error(browser, site):
    out, built = site
    for page in [out / "index.html", *(out / d / "index.html" for d in built.documents)]:
        logs = _open(browser, page)
        assert [m for m in logs if m["level"] in ("SEVERE", "WARNING")] == [], page
        first = browser.execute_script("const i = document.images[0]; return i ? [i.complete, i.naturalWidth] : null")
        assert first is None or first == [True, pytest.approx(909, abs=2)]  # A4 at 110 dpi


def test_as_many_boxes_as_rows_with_provenance(browser, site, con, r4):
    out, _ = site
    _open(browser, out / r4 / "index.html")
    drawn, boxed = browser.execute_script(
        "return [document.querySelectorAll('.box:not(.part)').length,"
        " document.querySelectorAll('tr.row[data-box=\"1\"]').length]")
    assert drawn == boxed == _boxed_rows(con, r4)


def test_selecting_a_row_highlights_exactly_its_box_and_scrolls_the_page_to_it(browser, site, r4):
    from selenium.webdriver.common.by import By

    out, _ = site
    _open(browser, out / r4 / "index.html")
    ids = browser.execute_script("""
        return [...new Set([...document.querySelectorAll('tr.row[data-box="1"]')].map(r => r.dataset.table))]
            .map(t => [...document.querySelectorAll(`tr.row.t-${t}[data-box="1"]`)].pop().id);""")
    assert {i.split("-")[0] for i in ids} >= {"kpis", "schedule"}
    for rid in ids:
        row = browser.find_element(By.ID, rid)
        browser.execute_script("arguments[0].querySelector('td[data-col]').click()", row)
        chosen = browser.find_elements(By.CSS_SELECTOR, ".box.selected:not(.part)")
        assert [b.get_attribute("data-row") for b in chosen] == [rid]
        assert {b.get_attribute("data-row") for b in browser.find_elements(By.CSS_SELECTOR, ".selected")} == {rid}
        assert _in_view(browser, chosen[0]), rid


def test_selecting_a_box_selects_its_row_and_shows_the_line_to_paste(browser, site, con, r4):
    from selenium.webdriver.common.by import By

    out, _ = site
    _open(browser, out / r4 / "index.html")
    box = browser.find_element(By.CSS_SELECTOR, '.box.t-kpis[title="kpis 49215236"]')
    browser.execute_script("arguments[0].click()", box)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.row.selected")
    assert [r.get_attribute("id") for r in rows] == [box.get_attribute("data-row")]
    assert _in_view(browser, rows[0])
    line = browser.find_element(By.ID, "fixtext").get_attribute("value")
    assert line == corr.correction_line("kpis", "r4_browser.pdf#46|49,215,236", "value", 49215236.0) == \
        'kpis,"r4_browser.pdf#46|49,215,236",value,49215236,,'
    # the line reads back as a correction once its corrected value is filled in
    fields = next(csv.reader([line.replace(",49215236,,", ",49215236,49215237,")]))
    assert corr.row_to_correction("x.csv", 2, fields).corrected_value == "49215237"


def test_a_screenshot_is_not_blank(browser, site, r4, tmp_path):
    from PIL import Image

    out, _ = site
    _open(browser, out / r4 / "index.html", "#kpis-1")
    time.sleep(0.5)  # the page image decodes after load
    shot = tmp_path / "review.png"
    assert browser.save_screenshot(str(shot))
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert image.size == (1600, pytest.approx(1000, abs=150)) and len(colours) > 200
    white = max(colours)[0] / (image.size[0] * image.size[1])
    assert white < 0.9  # pages, boxes and rows, not an empty window
