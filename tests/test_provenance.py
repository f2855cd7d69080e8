"""Provenance: every fact row says where it was printed, and the box drawn lies on the printed value.

The boxes are checked against the PDF itself: the characters pdfplumber finds inside a
row's boxes (read in line order) must spell the row's value.
"""
from __future__ import annotations

import regex as re
import pytest

from pipeline.ir import Document, Line, Page, Table
from pipeline.normalize import normalize_text
from pipeline.parse_kpis import cell_to_line_boxes, document_to_kpis, texts_to_owners
from pipeline.rows import Meeting
from tests.conftest import sample_pdf

FACT_TABLES = ("agenda_items", "materials", "attendees", "item_years", "wg_meetings", "item_results", "kpis",
               "schedule")
#: The columns whose printed text must lie inside a row's boxes.
VALUE_COLUMNS = {
    "agenda_items": ("title",),
    "materials": ("label", "title"),
    "attendees": ("name_text",),
    "item_years": ("title_text",),
    "wg_meetings": ("date_text",),
    "item_results": ("results",),
    "kpis": ("value_text",),
    "schedule": ("date_text", "event"),
}
#: Tables whose parsers do not give boxes yet. A table that gains boxes fails
#: test_pending_tables_have_no_boxes until it is taken off this list (and so checked below).
PENDING: set[str] = set()
CHECKED = tuple(t for t in FACT_TABLES if t not in PENDING)
#: A box is cut this much wider (pt) than the characters' centres must lie in.
PAD = 1.0


def _compact(text: str | None) -> str:
    return re.sub(r"\s+", "", normalize_text(text or ""))


def chars_to_text(chars: list[dict], box: tuple[float, float, float, float]) -> str:
    """The characters whose centre lies in the box, line by line, left to right."""
    x0, top, x1, bottom = box
    inside = sorted((c for c in chars if x0 - PAD <= (c["x0"] + c["x1"]) / 2 <= x1 + PAD
                     and top - PAD <= (c["top"] + c["bottom"]) / 2 <= bottom + PAD), key=lambda c: c["top"])
    lines: list[list[dict]] = []
    for c in inside:
        if lines and c["top"] - lines[-1][0]["top"] < 0.5 * (c["bottom"] - c["top"]):
            lines[-1].append(c)
        else:
            lines.append([c])
    return "\n".join("".join(c["text"] for c in sorted(ln, key=lambda c: c["x0"])) for ln in lines)


def test_pending_tables_have_no_boxes_and_the_others_have_one_on_every_row(con):
    """Rows on text-layer pages: all with page and box, or (pending tables) none yet."""
    for table in FACT_TABLES:
        n, boxed, paged = con.execute(f"""
            select count(*), count(t.x0), count(t.page) from {table} t
            join pages p on p.doc_id = t.doc_id and p.page = t.page where p.source = 'text'""").fetchone()
        if table in PENDING:
            assert boxed == 0, f"{table} has boxes now: take it off PENDING so that they are checked"
        else:
            assert n > 0 and boxed == n and paged == n, table


@pytest.fixture(scope="module")
def printed(warehouse):
    """(table, source, boxes, values) of every boxed row of the checked tables, and the
    characters of each page they lie on, read from the PDFs."""
    import duckdb
    import pdfplumber

    con = duckdb.connect(str(warehouse), read_only=True)
    rows = []
    for table in CHECKED:
        cols = ", ".join(f"t.{c}" for c in VALUE_COLUMNS[table])
        for source, page, x0, top, x1, bottom, boxes, *values in con.execute(f"""
                select d.source_path, t.page, t.x0, t.top, t.x1, t.bottom, t.boxes, {cols}
                from {table} t join documents d using (doc_id) where t.x0 is not null""").fetchall():
            parts = [(b["page"], (b["x0"], b["top"], b["x1"], b["bottom"])) for b in boxes] if boxes \
                else [(page, (x0, top, x1, bottom))]
            rows.append((table, source, parts, values))
    con.close()
    chars: dict[tuple[str, int], list[dict]] = {}
    for source in {r[1] for r in rows}:
        with pdfplumber.open(sample_pdf(source)) as pdf:
            for p in {p for r in rows if r[1] == source for p, _ in r[2]}:
                chars[(source, p)] = pdf.pages[p - 1].chars
    return rows, chars


@pytest.mark.parametrize("table", CHECKED)
def test_every_box_lies_on_its_printed_value(printed, table):
    rows, chars = printed
    mine = [r for r in rows if r[0] == table]
    wrong = []
    for _, source, parts, values in mine:
        text = _compact("".join(chars_to_text(chars[(source, p)], box) for p, box in parts))
        for col, value in zip(VALUE_COLUMNS[table], values):
            if value and _compact(value) not in text:
                wrong.append((source, parts[0][0], col, value, text[:80]))
    assert wrong == [], "boxes not on their value (source, page, column, value, text in the box):\n" + \
        "\n".join(map(repr, wrong))
    assert len(mine) >= {"kpis": 280, "schedule": 40}.get(table, 1)


def test_the_boxes_of_the_samples_are_tight(con):
    """A figure's box is its line (two when wrapped), not its paragraph or page."""
    assert con.execute("select max(bottom - top), count(*) filter (where len(boxes) > 2) from kpis").fetchone() \
        == (pytest.approx(27.0, abs=0.01), 0)
    # a schedule row: its date cell and its event cell, side by side
    assert con.execute("select min(len(boxes)), max(len(boxes)) from schedule").fetchone() == (2, 2)


# --- the pieces, on made-up pages ---------------------------------------------------------------

def _page(lines: list[Line], tables: list[Table] = ()) -> Page:
    return Page(number=3, width=595.0, height=842.0, text="\n".join(ln.text for ln in lines), lines=lines,
                tables=list(tables), has_text_layer=True)


def test_a_figure_on_the_second_line_of_a_paragraph_has_that_line_as_its_box():
    lines = [Line("マイナンバーカードの申請手続のサポートを行う「申請サポート隊」を企業や団体等へ派遣しており", 50, 100, 545, 110),
             Line("相談会を12回開催した。", 50, 112, 160, 122)]
    rows = document_to_kpis(Document("d", "x.pdf", "0" * 64, 1, [_page(lines)]), Meeting()).tables["kpis"]
    assert [(r["value_text"], r["page"], r["x0"], r["top"], r["x1"], r["bottom"], "boxes" in r) for r in rows] == [
        ("12回", 3, 50, 112, 160, 122, False)]


def test_a_figure_broken_by_the_wrap_lists_both_lines():
    lines = [Line("県内の全ての市町村で共同の研修を実施しており、参加者は延べ1,", 50, 100, 545, 110),
             Line("234人となった。", 50, 112, 130, 122)]
    rows = document_to_kpis(Document("d", "x.pdf", "0" * 64, 1, [_page(lines)]), Meeting()).tables["kpis"]
    assert [(r["value_text"], r["x0"], r["top"], r["x1"], r["bottom"]) for r in rows] == [
        ("1,234人", 50, 100, 545, 122)]
    assert rows[0]["boxes"] == [{"page": 3, "x0": 50, "top": 100, "x1": 545, "bottom": 110},
                                {"page": 3, "x0": 50, "top": 112, "x1": 130, "bottom": 122}]


def test_a_cell_line_is_the_page_line_cut_to_the_cell():
    # the page's lines run across the row: 全国 | 49,215,236 | 39.1%
    page = _page([Line("全国 49,215,236 39.1%", 42, 110, 617, 119), Line("富山県 445,664 43.0%", 42, 130, 617, 139)])
    assert cell_to_line_boxes(page, "49,215,236", (170, 106, 554, 126)) == [(170, 110, 554, 119)]
    # a cell line found in no page line: the whole cell
    assert cell_to_line_boxes(page, "12,345", (170, 106, 554, 126)) == [(170, 106, 554, 126)]


def test_owners_follow_the_characters_through_joins_and_cuts():
    assert texts_to_owners(["AB ", " C。D"], ["AB C。", "D"]) == [(0, 0, -1, 1, 1), (1,)]
    assert texts_to_owners(["AB"], ["AX"]) is None
