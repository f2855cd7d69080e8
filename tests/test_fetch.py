"""fetch: listing pages → raw/, against a real HTTP server on 127.0.0.1.

The server (http.server in a thread) serves tests/fixtures/fetch_site/, a site built
like a municipal CMS (header, global navigation, breadcrumbs, side menu and footer
around a content area; a Shift_JIS listing, an EUC-JP second page, UTF-8 detail
pages), plus PDFs made here with pypdf and the sample packets of raw/. Nothing is
mocked: the pipeline's own HTTP client talks to it. No address but loopback is ever
contacted: links to www.example.com exist only to be refused.
"""
from __future__ import annotations

import contextlib
import email.utils
import hashlib
import io
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from pipeline.cli import main
from pipeline.fetch import (FetchSettings, SourcesError, load_sources, retry_after_to_seconds, select_sources,
                            since_to_date, toml_to_sources)
from pipeline.fetch_listing import (bytes_to_text, html_to_page, link_text_to_title, page_to_documents,
                                    page_to_listing, text_to_date, text_to_fiscal_year, url_to_canonical,
                                    url_to_filename)
from tests.conftest import ROOT, sample_pdf

SITE = Path(__file__).parent / "fixtures" / "fetch_site"
TIMEOUT = 0.25  # seconds: the slow response below takes longer
SLOW_SECONDS = 0.8
LAST_MODIFIED = "Wed, 18 Jan 2023 09:00:00 GMT"
SJIS_PAGES = {"/kensei/onetoyama/index.html", "/faults/index.html"}
ERROR_PAGE = ('<html><head><meta charset="Shift_JIS"><title>ページが見つかりません</title></head>'
              '<body><p>お探しのページは見つかりませんでした。</p></body></html>').encode("cp932")


def tiny_pdf(label: str, pad: int = 0) -> bytes:
    """A one-page PDF whose bytes differ by label (pad makes it larger)."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.add_metadata({"/Title": label, **({"/Subject": "x" * pad} if pad else {})})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


class Site:
    """What the fixture server serves, and every request it got."""

    def __init__(self, files: dict[str, bytes]):
        self.files = dict(files)
        self.last_modified: dict[str, str] = {}
        self.no_etag = {"/uploaded/attachment/2001.pdf"}  # revalidated by If-Modified-Since only
        self.redirects = {"/kensei/onetoyama/docs/r4_4_all.pdf": "/uploaded/attachment/1002.pdf",
                          "/faults/docs/shiryo1.pdf": "/uploaded/attachment/3001.pdf",
                          "/uploaded/attachment/moved.pdf": "http://www.example.com/moved.pdf"}
        self.unpublished: set[str] = set()  # hrefs whose lines are left out of the pages
        self.robots_status = 200
        self.requests: list[tuple[float, str, int, dict]] = []  # (time, path, status, headers)
        self.lock = threading.Lock()

    def hits(self, path: str) -> int:
        return sum(1 for _, p, _, _ in self.requests if p == path)

    def statuses(self, path: str) -> list[int]:
        return [s for _, p, s, _ in self.requests if p == path]

    def republish(self, path: str, data: bytes) -> None:
        self.files[path] = data
        self.last_modified[path] = "Fri, 20 Jan 2023 09:00:00 GMT"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body in one segment: no 40 ms delayed-ACK stall per response
    disable_nagle_algorithm = True
    wbufsize = -1
    site: Site

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        with self.site.lock:
            n = self.site.hits(path) + 1
            entry = [time.monotonic(), path, 0, {k.lower(): v for k, v in self.headers.items()}]
            self.site.requests.append(entry)
        try:
            entry[2] = self.route(path, n)
            self.site.requests[self.site.requests.index(entry)] = tuple(entry)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the slow response)

    def send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> int:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        return status

    def route(self, path: str, n: int) -> int:
        site = self.site
        if path == "/robots.txt":
            if site.robots_status != 200:
                return self.send(site.robots_status, b"busy", "text/plain")
            return self.send(200, (SITE / "robots.txt").read_bytes(), "text/plain")
        if path in site.redirects:
            return self.send(302, b"", "text/html", {"Location": site.redirects[path]})
        if path == "/uploaded/attachment/flaky.pdf" and n == 1:
            return self.send(500, b"<html><body>Internal Server Error</body></html>", "text/html")
        if path == "/uploaded/attachment/busy.pdf" and n == 1:
            return self.send(503, b"<html><body>busy</body></html>", "text/html", {"Retry-After": "1"})
        if path == "/uploaded/attachment/slow.pdf":
            time.sleep(SLOW_SECONDS)
        if path == "/uploaded/attachment/truncated.pdf" or (path == "/uploaded/attachment/truncated-once.pdf"
                                                            and n == 1):
            data = site.files[path]
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return 200
        if path == "/uploaded/attachment/error.pdf":
            return self.send(200, ERROR_PAGE, "text/html; charset=Shift_JIS")
        if path in site.files:
            data = site.files[path]
            etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
            lm = site.last_modified.get(path, LAST_MODIFIED)
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if path not in site.no_etag and inm is not None:
                fresh = inm == etag
            elif ims is not None:
                fresh = email.utils.parsedate_to_datetime(ims) >= email.utils.parsedate_to_datetime(lm)
            else:
                fresh = False
            headers = {"Last-Modified": lm, **({} if path in site.no_etag else {"ETag": etag})}
            if fresh:
                self.send_response(304)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                return 304
            return self.send(200, data, "application/pdf", headers)
        page = SITE / path.lstrip("/")
        if path.endswith(".html") and page.is_file():
            body = b"\n".join(line for line in page.read_bytes().split(b"\n")
                              if not any(f'href="{h}"'.encode() in line for h in site.unpublished))
            ctype = ("text/html; charset=Shift_JIS" if path in SJIS_PAGES
                     else "text/html" if path.endswith("index_2.html") else "text/html; charset=UTF-8")
            return self.send(200, body, ctype)
        return self.send(404, "<html><body>見つかりません</body></html>".encode(), "text/html; charset=UTF-8")


@contextlib.contextmanager
def serve(site: Site):
    handler = type("BoundHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    # a proxy from the environment would take loopback requests elsewhere
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    names = ("2001", "3001", "flaky", "busy", "truncated-once", "slow", "truncated", "error", "missing")
    files = {f"/uploaded/attachment/{n}.pdf": tiny_pdf(n) for n in names}
    files["/uploaded/attachment/big.pdf"] = tiny_pdf("big", pad=60_000)
    files["/uploaded/attachment/1001.pdf"] = tiny_pdf("r3 packet")
    files["/uploaded/attachment/1002.pdf"] = tiny_pdf("r4 packet")
    del files["/uploaded/attachment/missing.pdf"]
    return files


def write_sources(folder: Path, base: str, *, max_mb: float = 0.03, sources=("onetoyama", "faults")) -> Path:
    entries = {
        "onetoyama": f'[[source]]\nname = "onetoyama"\nurl = "{base}/kensei/onetoyama/index.html"\n'
                     f'hosts = ["127.0.0.1"]\nraw = "onetoyama"\n',
        "faults": f'[[source]]\nname = "faults"\nurl = "{base}/faults/index.html"\nraw = "faults"\n',
    }
    path = folder / "sources.toml"
    path.write_text(f"[settings]\nrate = 0\ntimeout = {TIMEOUT}\nretries = 2\nbackoff = 0\nmax_mb = {max_mb}\n\n"
                    + "\n".join(entries[s] for s in sources), encoding="utf-8")
    return path


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


def fetch_args(tmp: Path, sources: Path, *extra: str) -> list[str]:
    return ["fetch", "--sources", str(sources), "--raw", str(tmp / "raw"), "--db", str(tmp / "w.duckdb"), *extra]


def raw_tree(raw: Path) -> set[str]:
    """Every file and folder under raw/, hidden ones included."""
    if not raw.exists():
        return set()
    return {p.relative_to(raw).as_posix() + ("/" if p.is_dir() else "") for p in raw.rglob("*")}


def manifest(db: Path) -> dict[str, dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("select * from fetches")
        cols = [d[0] for d in cur.description]
        return {r[0]: dict(zip(cols, r)) for r in cur.fetchall()}
    finally:
        con.close()


# --- pure parts -----------------------------------------------------------------------------------

def test_link_text_to_title_strips_the_pdf_note_and_reads_the_size():
    assert link_text_to_title("資料1 令和5年度…について（PDF：1,234KB）") == ("資料1 令和5年度…について", 1234 * 1024)
    assert link_text_to_title("次第(PDF 98KB)") == ("次第", 98 * 1024)
    assert link_text_to_title("資料２［PDFファイル／1.5MB］") == ("資料2", int(1.5 * 1024 * 1024))
    assert link_text_to_title("会議の概要") == ("会議の概要", None)


def test_text_to_date_reads_era_dates_past_the_fiscal_year():
    title = "令和5年度第1回「ワンチームとやま」連携推進本部会議（令和5年5月22日）"
    assert text_to_date(title) == date(2023, 5, 22)
    assert text_to_fiscal_year(title) == 2023
    assert text_to_date("第4回（R4.1.20）") == date(2022, 1, 20)
    assert text_to_date("第1回 5月22日（月）開催", fiscal_year=2023) == date(2023, 5, 22)
    assert text_to_date("第1回 1月19日", fiscal_year=2022) == date(2023, 1, 19)  # January belongs to the next year
    assert text_to_date("資料1（1/2）", fiscal_year=2023) is None  # a part number, not 2 January
    assert text_to_date("令和５年度第４回") is None


def test_bytes_to_text_follows_header_then_meta_then_detection():
    html = '<html><head><meta charset="EUC-JP"><title>連携推進本部会議</title></head><body>第１回</body></html>'
    sjis = html.replace("EUC-JP", "Shift_JIS").encode("cp932")
    assert bytes_to_text(sjis, "text/html; charset=Shift_JIS") == (html.replace("EUC-JP", "Shift_JIS"), "cp932")
    euc = html.encode("euc_jp")
    assert bytes_to_text(euc, "text/html")[0] == html  # from the meta tag
    # a web server's default Latin-1 header yields to the page's own declaration
    assert bytes_to_text(euc, "text/html; charset=ISO-8859-1")[0] == html
    # no declaration at all: detected
    bare = ("<html><body><p>「ワンチームとやま」連携推進本部会議の資料を掲載しています。県と市町村が連携して"
            "取り組む課題について協議しました。</p></body></html>")
    text, codec = bytes_to_text(bare.encode("cp932"), "text/html")
    assert text == bare and codec in ("cp932", "shift_jis")
    # an XHTML page's XML declaration counts as a declaration
    xhtml = '<?xml version="1.0" encoding="EUC-JP"?><html><body>第４回</body></html>'
    assert bytes_to_text(xhtml.encode("euc_jp"), None)[0] == xhtml


def test_html_to_page_reads_only_the_content_area():
    body = (SITE / "faults" / "index.html").read_bytes()
    text, _ = bytes_to_text(body, "text/html; charset=Shift_JIS")
    page = html_to_page(text, "http://city.example/faults/index.html")
    urls = [link.url for link in page.links]
    assert page.heading == "「ワンチームとやま」連携推進本部会議"
    assert "http://city.example/faults/r5_1.html" in urls  # relative link resolved
    assert not any("/site/" in u or "/kensei/other/" in u or u.endswith("/index.html") for u in urls), urls
    listing = page_to_listing(page, hosts={"city.example"})
    assert [(m.url, m.held_on, m.fiscal_year) for m in listing.meetings] == [
        ("http://city.example/faults/r5_1.html", date(2023, 5, 22), 2023)]
    # the PDF in a table row belongs to the meeting of its row; the 設置要綱 is no meeting's
    assert [(d.url, d.title, d.meeting.held_on, d.meeting.fiscal_year) for d in listing.documents] == [
        ("http://city.example/uploaded/attachment/2001.pdf", "次第", date(2022, 11, 1), 2022)]
    assert listing.skipped == (("http://www.example.com/kensei/r5_2.html",
                                "on another host (www.example.com), not in the source's hosts"),)


def test_without_a_content_area_the_site_furniture_is_still_left_out():
    html = """<html><body>
    <header><a href="/kaigi/r5_9.html">第9回 よその会議（令和5年9月1日）</a></header>
    <nav><a href="/kaigi/r5_8.html">第8回（令和5年8月1日）</a></nav>
    <div class="breadcrumb"><a href="/kaigi/">会議一覧 第1回</a></div>
    <article><header><h1>第2回 連携推進本部会議</h1><p>開催日時：令和5年8月10日 10時</p></header>
    <ul><li><a href="s1.pdf">資料1（PDF：10KB）</a></li></ul></article>
    <footer><a href="/policy.pdf">第1回 ポリシー（PDF）</a></footer></body></html>"""
    page = html_to_page(html, "https://city.example/kaigi/r5_2.html")
    assert [link.url for link in page.links] == ["https://city.example/kaigi/s1.pdf"]
    assert page.heading == "第2回 連携推進本部会議"  # the article's own header is content
    main = html_to_page(html.replace("<article>", "<main><article>").replace("</article>", "</article></main>"),
                        "https://city.example/kaigi/r5_2.html")
    assert main.heading == "第2回 連携推進本部会議" and "令和5年8月10日" in main.date_text


def test_listing_pagination_and_detail_page():
    text, _ = bytes_to_text((SITE / "kensei/onetoyama/index.html").read_bytes(), "text/html")
    listing = page_to_listing(html_to_page(text, "http://h.example/kensei/onetoyama/index.html"),
                              hosts={"h.example"})
    assert listing.next_pages == ("http://h.example/kensei/onetoyama/index_2.html",)
    assert [(m.title, m.held_on) for m in listing.meetings] == [
        ("令和4年度第4回「ワンチームとやま」連携推進本部会議（令和5年1月19日開催）", date(2023, 1, 19))]
    detail = html_to_page((SITE / "kensei/onetoyama/r3_4.html").read_text(encoding="utf-8"),
                          "http://h.example/kensei/onetoyama/r3_4.html")
    docs, skipped = page_to_documents(detail, listing.meetings[0].__class__(title="第4回"), hosts={"h.example"})
    # linked twice (once with #page=1): one document; date from the page's 開催日 line
    assert [(d.url, d.title, d.meeting.held_on, d.meeting.fiscal_year) for d in docs] == [
        ("http://h.example/uploaded/attachment/1001.pdf", "配付資料（一括）", date(2022, 1, 20), 2021)]
    assert skipped == []


def test_urls_and_file_names():
    assert url_to_canonical("HTTP://Example.JP:80/資料/a.pdf#page=2") == "http://example.jp/%E8%B3%87%E6%96%99/a.pdf"
    assert url_to_filename("https://x.jp/uploaded/%E8%B3%87%E6%96%991.pdf") == "資料1.pdf"
    assert url_to_filename("https://x.jp/file/download.php?id=12") == "download.php_id_12.pdf"
    assert url_to_filename("https://x.jp/a/.hidden.PDF") == "hidden.PDF"


def test_retry_after_and_since():
    from datetime import datetime, timezone

    now = datetime(2023, 1, 19, 9, 0, 0, tzinfo=timezone.utc)
    assert retry_after_to_seconds("3") == 3.0
    assert retry_after_to_seconds("Thu, 19 Jan 2023 09:00:30 GMT", now) == 30.0
    assert retry_after_to_seconds("soon") is None
    assert since_to_date("2023-04-01") == date(2023, 4, 1)
    assert since_to_date("令和5年4月1日") == date(2023, 4, 1)
    with pytest.raises(ValueError, match="not a date"):
        since_to_date("yesterday")


def test_shipped_sources_toml_watches_the_series():
    settings, sources = load_sources(ROOT / "sources.toml")
    assert settings == FetchSettings()  # the file states the defaults
    assert settings.rate == 1.0 and settings.user_agent.startswith("onetoyama-pipeline/")
    (s,) = select_sources(sources, "onetoyama")
    assert s.body == "「ワンチームとやま」連携推進本部会議"
    assert s.hosts == {"www.pref.toyama.jp"} and s.raw == "onetoyama" and s.url.startswith("https://www.pref.toyama.jp/")


@pytest.mark.parametrize("text, message", [
    ('[[source]]\nname = "a"\nurl = "https://x.jp/"\nraw = "a"\nhostz = ["x.jp"]\n', "source 'a' has unknown key(s) ['hostz']"),
    ('[[source]]\nname = "a"\nraw = "a"\n', "source 'a': 'url' is required"),
    ('[[source]]\nname = "a"\nurl = "https://x.jp/"\nraw = "../etc"\n', "'raw' must be a plain sub-folder"),
    ('[settings]\nrate = "fast"\n', "[settings] rate must be a number"),
    ('[[source]]\nname = "a"\nurl = "ftp://x.jp/"\nraw = "a"\n', "is not an http(s) address"),
])
def test_sources_errors_name_the_entry_and_key(text, message):
    with pytest.raises(SourcesError) as e:
        toml_to_sources(text, origin="s.toml")
    assert message in str(e.value)


# --- against the fixture server -------------------------------------------------------------------

@pytest.fixture(scope="module")
def fault_runs(tmp_path_factory, pdfs):
    """The fault site fetched twice: (first run, second run, tmp folder, site)."""
    tmp = tmp_path_factory.mktemp("faults")
    site = Site(pdfs)
    with serve(site) as base:
        sources = write_sources(tmp, base, sources=("faults",))
        t0 = time.monotonic()
        first = run(fetch_args(tmp, sources))
        first_seconds = time.monotonic() - t0
        tree_after_first = raw_tree(tmp / "raw")
        mtimes = {p: (tmp / "raw" / p).stat().st_mtime_ns for p in tree_after_first if p.endswith(".pdf")}
        manifest_first = manifest(tmp / "w.duckdb")
        n_first = len(site.requests)
        second = run(fetch_args(tmp, sources))
    return dict(first=first, second=second, tmp=tmp, site=site, tree=tree_after_first, mtimes=mtimes,
                manifest=manifest_first, n_first=n_first, base=base, seconds=first_seconds)


NEW_FILES = {"faults/2022/2001.pdf", "faults/2023/shiryo1.pdf", "faults/2023/flaky.pdf", "faults/2023/busy.pdf",
             "faults/2023/truncated-once.pdf"}


def test_first_run_downloads_the_good_pdfs_and_reports_the_rest(fault_runs):
    rc, out, err = fault_runs["first"]
    assert rc == 1  # downloads failed; everything else was still done
    assert "fetch: 5 new, 0 updated, 0 unchanged, 0 duplicate, 5 failed, 4 skipped" in err
    assert fault_runs["tree"] == NEW_FILES | {"faults/", "faults/2022/", "faults/2023/"}
    site = fault_runs["site"]
    for rel in NEW_FILES:
        name = rel.rsplit("/", 1)[1].removesuffix(".pdf")
        served = site.files["/uploaded/attachment/" + ("3001" if name == "shiryo1" else name) + ".pdf"]
        assert (fault_runs["tmp"] / "raw" / rel).read_bytes() == served


@pytest.mark.parametrize("path, message", [
    ("/uploaded/attachment/slow.pdf", "no answer within the 0.25 s timeout (3 attempts)"),
    ("/uploaded/attachment/truncated.pdf", "(3 attempts)"),
    ("/uploaded/attachment/error.pdf", "not a PDF (the server sent text/html, an HTML page titled 'ページが見つかりません')"),
    ("/uploaded/attachment/missing.pdf", "HTTP 404 Not Found"),
    ("/uploaded/attachment/big.pdf", "over the size limit of 0.03 MB (max_mb)"),
])
def test_each_failure_is_reported_with_its_reason(fault_runs, path, message):
    err = fault_runs["first"][2]
    line = next((ln for ln in err.splitlines() if ln.startswith(f"FAILED {fault_runs['base']}{path}:")), None)
    assert line is not None, err
    assert message in line
    row = fault_runs["manifest"][fault_runs["base"] + path]
    assert row["status"] == "failed" and message in row["message"] and row["path"] is None


def test_truncated_body_names_the_byte_counts(fault_runs):
    row = fault_runs["manifest"][fault_runs["base"] + "/uploaded/attachment/truncated.pdf"]
    n = len(fault_runs["site"].files["/uploaded/attachment/truncated.pdf"])
    assert f"{n // 2}" in row["message"] and str(n) in row["message"]


@pytest.mark.parametrize("url, reason", [
    ("/private/secret.pdf", "disallowed by robots.txt of 127.0.0.1"),
    ("http://www.example.com/files/other.pdf", "on another host (www.example.com)"),
    ("http://www.example.com/kensei/r5_2.html", "on another host (www.example.com)"),
    ("/uploaded/attachment/moved.pdf", "redirected to another host (www.example.com)"),
])
def test_links_skipped_on_purpose_are_reported_not_failed(fault_runs, url, reason):
    full = url if url.startswith("http") else fault_runs["base"] + url
    assert f"  skipped: {full}: {reason}" in fault_runs["first"][2]
    assert fault_runs["manifest"][full]["status"] == "skipped"


def test_requests_made_and_not_made(fault_runs):
    site = fault_runs["site"]
    first = site.requests[: fault_runs["n_first"]]
    hits = {p: sum(1 for _, q, _, _ in first if q == p) for _, p, _, _ in first}
    assert hits["/faults/docs/shiryo1.pdf"] == 1 and hits["/uploaded/attachment/3001.pdf"] == 1  # linked twice
    assert hits["/uploaded/attachment/2001.pdf"] == 1  # on the listing and on the detail page
    assert hits["/uploaded/attachment/flaky.pdf"] == 2  # 500, then 200
    assert hits["/uploaded/attachment/truncated-once.pdf"] == 2
    assert hits["/uploaded/attachment/slow.pdf"] == 3 and hits["/uploaded/attachment/truncated.pdf"] == 3
    assert hits["/uploaded/attachment/missing.pdf"] == 1 and hits["/uploaded/attachment/error.pdf"] == 1  # not retried
    assert hits["/robots.txt"] == 1
    for never in ("/private/secret.pdf", "/site/policy.pdf", "/kensei/other/shiryo.pdf", "/kensei/other/kaigi.html",
                  "/uploaded/attachment/youkou.pdf", "/uploaded/attachment/sankou.docx"):
        assert never not in hits, never
    assert all(h["user-agent"].startswith("onetoyama-pipeline/0.1.0 ") for _, _, _, h in first)


def test_retry_after_is_honoured(fault_runs):
    times = [t for t, p, _, _ in fault_runs["site"].requests if p == "/uploaded/attachment/busy.pdf"][:2]
    assert fault_runs["site"].statuses("/uploaded/attachment/busy.pdf")[:2] == [503, 200]
    assert times[1] - times[0] >= 0.95


def test_manifest_records_what_was_seen(fault_runs):
    m, base = fault_runs["manifest"], fault_runs["base"]
    row = m[base + "/faults/docs/shiryo1.pdf"]
    assert row["status"] == "new" and row["path"] == "faults/2023/shiryo1.pdf"
    assert row["title_seen"] == "資料1 令和5年度連携推進項目について"
    assert row["meeting_seen"] == "令和5年度第1回「ワンチームとやま」連携推進本部会議"
    assert row["date_seen"] == date(2023, 5, 22)
    assert row["final_url"] == base + "/uploaded/attachment/3001.pdf"
    data = fault_runs["site"].files["/uploaded/attachment/3001.pdf"]
    assert row["sha256"] == hashlib.sha256(data).hexdigest() and row["size"] == len(data)
    assert row["etag"] == '"' + hashlib.sha256(data).hexdigest()[:16] + '"' and row["last_modified"] == LAST_MODIFIED
    assert m[base + "/uploaded/attachment/2001.pdf"]["date_seen"] == date(2022, 11, 1)


def test_second_run_downloads_nothing_unchanged(fault_runs):
    rc, _, err = fault_runs["second"]
    assert rc == 1  # the same five still fail
    assert "fetch: 0 new, 0 updated, 5 unchanged, 0 duplicate, 5 failed, 4 skipped" in err
    tmp = fault_runs["tmp"]
    assert raw_tree(tmp / "raw") == fault_runs["tree"]
    assert {p: (tmp / "raw" / p).stat().st_mtime_ns for p in fault_runs["mtimes"]} == fault_runs["mtimes"]
    second = fault_runs["site"].requests[fault_runs["n_first"]:]
    by_path = {p: (s, h) for _, p, s, h in second}
    status, headers = by_path["/uploaded/attachment/3001.pdf"]  # revalidated through the redirect
    assert status == 304 and headers["if-none-match"].startswith('"')
    status, headers = by_path["/uploaded/attachment/2001.pdf"]  # no ETag served: Last-Modified
    assert status == 304 and headers["if-modified-since"] == LAST_MODIFIED and "if-none-match" not in headers


def test_fault_run_is_fast(fault_runs):
    # three timeouts of 0.25 s and one Retry-After of 1 s; no politeness delay with rate = 0
    assert fault_runs["seconds"] < 6


@pytest.fixture
def onetoyama(tmp_path, pdfs):
    site = Site(pdfs)
    with serve(site) as base:
        yield site, base, write_sources(tmp_path, base, sources=("onetoyama",))


def test_republished_pdf_replaces_the_file_at_the_same_path(tmp_path, onetoyama):
    site, base, sources = onetoyama
    assert run(fetch_args(tmp_path, sources))[0] == 0
    target = tmp_path / "raw" / "onetoyama" / "2022" / "r4_4_all.pdf"
    assert target.read_bytes() == site.files["/uploaded/attachment/1002.pdf"]
    site.republish("/uploaded/attachment/1002.pdf", tiny_pdf("r4 packet, corrected"))
    rc, _, err = run(fetch_args(tmp_path, sources))
    assert rc == 0 and "fetch: 0 new, 1 updated, 1 unchanged, 0 duplicate, 0 failed, 0 skipped" in err
    assert f"  updated: {base}/kensei/onetoyama/docs/r4_4_all.pdf: republished" in err
    assert target.read_bytes() == tiny_pdf("r4 packet, corrected")
    assert raw_tree(tmp_path / "raw") == {"onetoyama/", "onetoyama/2021/", "onetoyama/2021/1001.pdf",
                                          "onetoyama/2022/", "onetoyama/2022/r4_4_all.pdf"}
    row = manifest(tmp_path / "w.duckdb")[base + "/kensei/onetoyama/docs/r4_4_all.pdf"]
    assert row["status"] == "updated" and row["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()


def test_dry_run_lists_and_writes_nothing(tmp_path, onetoyama):
    site, base, sources = onetoyama
    rc, out, err = run(fetch_args(tmp_path, sources, "--dry-run"))
    assert rc == 0
    assert "fetch (dry run): 2 to download, 0 to check again, 0 failed, 0 skipped" in err
    lines = sorted(out.splitlines())
    # found through the EUC-JP second page; title and date from the UTF-8 detail page
    assert lines[0] == (f"would-fetch\tonetoyama/2021/1001.pdf\t{base}/uploaded/attachment/1001.pdf\t"
                        "令和3年度第4回「ワンチームとやま」連携推進本部会議 (2022-01-20): 配付資料（一括）")
    assert lines[1].startswith(f"would-fetch\tonetoyama/2022/r4_4_all.pdf\t{base}/kensei/onetoyama/docs/r4_4_all.pdf")
    assert not (tmp_path / "raw").exists() and not (tmp_path / "w.duckdb").exists()
    assert not any(p.endswith(".pdf") for _, p, _, _ in site.requests)


def test_since_skips_older_meetings_without_reading_them(tmp_path, onetoyama):
    site, base, sources = onetoyama
    rc, _, err = run(fetch_args(tmp_path, sources, "--since", "令和4年4月1日"))
    assert rc == 0 and "fetch: 1 new, 0 updated, 0 unchanged, 0 duplicate, 0 failed, 0 skipped, 1 older than --since" in err
    assert raw_tree(tmp_path / "raw") == {"onetoyama/", "onetoyama/2022/", "onetoyama/2022/r4_4_all.pdf"}
    assert site.hits("/kensei/onetoyama/r3_4.html") == 0


def test_lost_manifest_keeps_the_files(tmp_path, onetoyama):
    site, base, sources = onetoyama
    assert run(fetch_args(tmp_path, sources))[0] == 0
    before = {p: (tmp_path / "raw" / p).stat().st_mtime_ns for p in raw_tree(tmp_path / "raw") if p.endswith(".pdf")}
    (tmp_path / "w.duckdb").unlink()  # e.g. a warehouse rebuilt for a new schema
    rc, _, err = run(fetch_args(tmp_path, sources))
    assert rc == 0 and "0 new, 0 updated, 2 unchanged" in err
    assert {p: (tmp_path / "raw" / p).stat().st_mtime_ns for p in before} == before
    assert len(raw_tree(tmp_path / "raw")) == 5  # nothing saved twice


def test_a_file_fetch_did_not_write_is_never_overwritten(tmp_path, onetoyama):
    site, base, sources = onetoyama
    mine = tmp_path / "raw" / "onetoyama" / "2021" / "1001.pdf"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(tiny_pdf("my own copy"))
    rc, _, err = run(fetch_args(tmp_path, sources))
    assert rc == 0 and "2 new" in err
    assert mine.read_bytes() == tiny_pdf("my own copy")
    saved = [p for p in raw_tree(tmp_path / "raw") if p.startswith("onetoyama/2021/1001-")]
    assert len(saved) == 1 and (tmp_path / "raw" / saved[0]).read_bytes() == site.files["/uploaded/attachment/1001.pdf"]


def test_same_bytes_under_two_urls_are_saved_once(tmp_path, onetoyama):
    site, base, sources = onetoyama
    site.files["/uploaded/attachment/1002.pdf"] = site.files["/uploaded/attachment/1001.pdf"]
    rc, _, err = run(fetch_args(tmp_path, sources))
    assert rc == 0 and "1 new, 0 updated, 0 unchanged, 1 duplicate" in err
    assert "byte-identical to onetoyama/" in err
    assert len([p for p in raw_tree(tmp_path / "raw") if p.endswith(".pdf")]) == 1


def test_unreadable_robots_txt_fetches_nothing_from_the_host(tmp_path, onetoyama):
    site, base, sources = onetoyama
    site.robots_status = 503
    rc, _, err = run(fetch_args(tmp_path, sources))
    assert rc == 1
    assert f"FAILED {base}/kensei/onetoyama/index.html: listing page: robots.txt of 127.0.0.1:" in err
    assert "could not be read (HTTP 503 Service Unavailable (3 attempts))" in err
    assert {p for _, p, _, _ in site.requests} == {"/robots.txt"}
    assert not (tmp_path / "raw").exists()


def test_missing_listing_page_fails_clearly(tmp_path, onetoyama):
    site, base, _ = onetoyama
    rc, _, err = run(fetch_args(tmp_path, tmp_path / "none.toml", "--source", f"{base}/kensei/gone.html", "--rate", "0"))
    assert rc == 1 and f"FAILED {base}/kensei/gone.html: listing page: HTTP 404 Not Found" in err


def test_a_url_is_watched_with_default_settings(tmp_path, onetoyama):
    site, base, _ = onetoyama
    rc, _, err = run(fetch_args(tmp_path, tmp_path / "none.toml", "--source", f"{base}/kensei/onetoyama/index.html",
                                "--rate", "0"))
    assert rc == 0 and "2 new" in err
    assert raw_tree(tmp_path / "raw") >= {"127.0.0.1/2021/1001.pdf", "127.0.0.1/2022/r4_4_all.pdf"}


def test_usage_errors(tmp_path, onetoyama):
    _, base, sources = onetoyama
    rc, _, err = run(fetch_args(tmp_path, sources, "--source", "nosuch"))
    assert rc == 2 and "no source named 'nosuch' (known: onetoyama)" in err
    rc, _, err = run(fetch_args(tmp_path, sources, "--since", "someday"))
    assert rc == 2 and "--since 'someday' is not a date" in err
    rc, _, err = run(fetch_args(tmp_path, tmp_path / "none.toml"))
    assert rc == 2 and "cannot read" in err


def test_quiet_prints_nothing_when_nothing_failed(tmp_path, onetoyama):
    _, _, sources = onetoyama
    assert run(fetch_args(tmp_path, sources, "--quiet")) == (0, "", "")


def test_rate_spaces_requests_to_a_host(tmp_path, onetoyama):
    site, base, sources = onetoyama
    rc, _, _ = run(fetch_args(tmp_path, sources, "--dry-run", "--rate", "8"))
    assert rc == 0
    times = [t for t, _, _, _ in site.requests]
    assert len(times) == 5  # robots.txt, two listing pages, two detail pages
    # 1/8 s apart as sent; as received, each gap may lose a little to the network's jitter
    assert times[-1] - times[0] >= 4 / 8 - 0.02
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.08


def test_make_update_fetches_then_ingests():
    out = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = out.split("\nupdate:", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("pipeline fetch") < recipe.index("pipeline ingest")


def test_only_newly_published_meetings_are_downloaded(tmp_path, onetoyama):
    site, base, sources = onetoyama
    site.unpublished = {"r4_4.html"}  # the 2023-01-19 meeting is not on the site yet
    rc, _, err = run(fetch_args(tmp_path, sources))
    assert rc == 0 and "fetch: 1 new, 0 updated, 0 unchanged" in err
    n = len(site.requests)
    site.unpublished = set()  # the prefecture publishes it
    rc, _, err = run(fetch_args(tmp_path, sources))
    assert rc == 0 and "fetch: 1 new, 0 updated, 1 unchanged" in err
    later = {p: s for _, p, s, _ in site.requests[n:]}
    assert later["/uploaded/attachment/1001.pdf"] == 304 and later["/uploaded/attachment/1002.pdf"] == 200


def packet_pages(name: str, pages: int, **metadata: str) -> bytes:
    """The first pages of a sample packet (cover, 次第, 出席者 …): real content, quick to ingest."""
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for page in PdfReader(sample_pdf(name)).pages[:pages]:
        w.add_page(page)
    if metadata:
        w.add_metadata({f"/{k}": v for k, v in metadata.items()})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_update_downloads_new_packets_and_ingests_them(tmp_path, pdfs):
    """make update (fetch, then ingest) on real packets: the new packets are loaded; a second
    run downloads nothing and changes no row; a republished packet replaces its document."""
    packets = dict(pdfs)
    packets["/uploaded/attachment/1001.pdf"] = packet_pages("r3_browser.pdf", 6)
    packets["/uploaded/attachment/1002.pdf"] = packet_pages("r4_browser.pdf", 6)
    site = Site(packets)
    raw, db, ex = tmp_path / "raw", tmp_path / "w.duckdb", tmp_path / "extracted"

    def update() -> tuple[str, str]:
        rc, _, fetch_err = run(fetch_args(tmp_path, sources))
        assert rc == 0, fetch_err
        rc, _, ingest_err = run(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(ex), "--jobs", "2"])
        assert rc == 0, ingest_err
        return fetch_err, ingest_err

    def rows() -> dict:
        con = duckdb.connect(str(db), read_only=True)
        try:
            tables = [t for (t,) in con.execute("select table_name from information_schema.tables where "
                                                "table_type = 'BASE TABLE' and table_name not in "
                                                "('ingest_log', 'fetches', 'files', 'meta')").fetchall()]
            # the data checks run on every ingest and stamp their warnings with its run_id
            return {t: con.execute(f'select * exclude (run_id) from "{t}" order by all' if t == "warnings"
                                   else f'select * from "{t}" order by all').fetchall() for t in tables}
        finally:
            con.close()

    def documents() -> list[tuple]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute("select source_path, doc_id, held_on from documents order by 1").fetchall()
        finally:
            con.close()

    with serve(site) as base:
        sources = write_sources(tmp_path, base, max_mb=50, sources=("onetoyama",))
        f, i = update()
        assert "fetch: 2 new, 0 updated, 0 unchanged" in f and "2 loaded (0 partial), 0 unchanged" in i
        first = documents()
        assert [(p, h) for p, _, h in first] == [("onetoyama/2021/1001.pdf", date(2022, 1, 20)),
                                                 ("onetoyama/2022/r4_4_all.pdf", date(2023, 1, 19))]
        before = rows()
        f, i = update()
        assert "fetch: 0 new, 0 updated, 2 unchanged" in f and "0 loaded (0 partial), 2 unchanged" in i
        assert rows() == before
        site.republish("/uploaded/attachment/1002.pdf", packet_pages("r4_browser.pdf", 6, Subject="corrected"))
        f, i = update()
        assert "fetch: 0 new, 1 updated, 1 unchanged" in f and "1 loaded (0 partial), 1 unchanged" in i
    last = documents()
    assert [(p, h) for p, _, h in last] == [(p, h) for p, _, h in first]
    assert last[0][1] == first[0][1] and last[1][1] != first[1][1]  # the republished bytes replaced the document
