#!/usr/bin/env python3
"""Build variant renditions of the sample packets: same content, other print.

The sample packets were all printed by one browser from one HTML layout, so a
parser could pass on them by accident of that layout. The variants here carry
exactly the content of ``../shared/seeds/r3_2022-01-20.txt`` (so the hand-made gold
of ``../shared/gold/r3_2022-01-20`` applies to each of them) and change only how it
is printed, the way packets from other offices, tools and years do:

- ``r3_variant_office.pdf`` — an office suite's rendition (LibreOffice Writer from a
  flat ODT, IPAex Mincho, TrueType text): A4 landscape pages for the wide tables,
  other column widths, full-width digits (令和４年１月２０日, ９/２８ wrapping inside a
  date), 次第 labels 開催日時 / 会場, agenda numbered （１）, 【配付資料】 in brackets,
  the 出席者 list as plain tab-aligned lines (no ruled table) under ``１　市町村等（１７名）``
  with names spread out (藤　井　裕　久), each item's 連携事項名 / 提案市町村 / 県担当課
  as a ruled label | value table (no colons), the schedule dated 令和３年１月１０日.
- ``r3_variant_split.pdf`` — a browser rendition in a proportional gothic (BIZ UDPGothic)
  with page numbers (- 3 -) and 資料N running headers: 議題 for 議事 and ① entries,
  24-hour times, materials wrapping back under their label, the 出席者 lists as two
  tables side by side, tables cut across pages at other rows (header repeated on
  some continuation pages, not on others; a merged cell running on empty), WG dates
  prefixed ``R2年度:`` / ``R3年度:``, the schedule dated by month and day (1月10日)
  under its 年度 column and cut mid-year.
- ``r3_variant_plain.pdf`` — a browser rendition in a serif font, all portrait:
  title over two lines and 次　　第, date / time / venue right-aligned without labels,
  numbering 一、二、 and ⑴, materials as a ruled 資料番号 | 資料名 table, 資料N in a
  ruled box, 出席者 as one 区分 | 職名 | 氏名 table with spread posts (知　　事) and one
  row marked 代理, the WG table headed 連携推進項目 / 開催実績 with its own 提案市町村
  column and dates as 4月19日, the disaster results as one table with section rows,
  the digital results as one table, the schedule without a 年度 column (year rows
  span the table).

- ``r3_variant_narrow.pdf`` — the office rendition with a WG dates column too narrow for a
  line of dates, in ASCII digits: LibreOffice breaks dates inside the number.
- ``r3_variant_glyph.pdf`` — the split rendition's HTML with ８∕１９ dates and ‧ for ・.

The one deliberate content change is the plain variant's proxy note (the gold lists no proxy):
tests and README say so.

The 2023-01-19 packet (``../shared/seeds/r4_2023-01-19.txt``, gold in
``tests/fixtures/gold/r4_2023-01-19``) gets three: ``r4_variant_office.pdf`` and
``r4_variant_narrow.pdf`` (the same office builders) and ``r4_variant_glyph.pdf`` (a browser
rendition any seed can take, ``packet_to_browser``, with the glyph rewrite). A seed is read by
its parts (line ranges, DEFAULT_PARTS / DEFAULT_R4_PARTS) and its plan (how each part is
printed, DEFAULT_PLAN / DEFAULT_R4_PLAN); DEFAULT_PACKETS ties each seed to its variants.

Usage (from the repository root; needs ``chromium`` and ``soffice`` on PATH and the
fonts of Debian's fonts-noto-cjk, fonts-ipaexfont and fonts-morisawa-bizud-gothic):

    .venv/bin/python tools/make_variant_packets.py [--packet r3|r4] [--seed FILE] [--out DIR]
        [--only office|split|plain|narrow|glyph] [--keep-source]
"""
from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable
from xml.sax.saxutils import escape as xml_escape

DEFAULT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = DEFAULT_ROOT.parent / "shared" / "seeds" / "r3_2022-01-20.txt"
DEFAULT_OUT_DIR = DEFAULT_ROOT / "tests" / "fixtures" / "variants"
DEFAULT_CHROMIUM = "chromium"
DEFAULT_SOFFICE = "soffice"
DEFAULT_CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pdf-header-footer",
)
#: Seconds a renderer may take for one packet.
DEFAULT_RENDER_TIMEOUT = 300
#: A4 in millimetres (portrait).
DEFAULT_PAGE_MM = (210.0, 297.0)

#: The packet's parts as line ranges of the seed (1-based, inclusive), with the text
#: each range must open with: a changed seed fails loudly instead of printing garbage.
DEFAULT_PARTS = {
    "cover": (3, 37, "「ワンチームとやま」連携推進本部会議 次第"),
    "attendees": (39, 80, "「ワンチームとやま」連携推進本部会議出席者"),
    "seating": (82, 85, "令和3年度第4回"),
    "wg": (89, 101, "「ワンチームとやま」連携推進本部 令和3年度連携推進項目のWG開催状況"),
    "wildlife": (103, 120, "連携事項名 有害鳥獣"),
    "wildlife_slide": (123, 152, "令和3年度連携項目の主な取り組み実績と成果について"),
    "zero_carbon": (154, 168, "連携事項名 ゼロカーボン"),
    "zero_carbon_slide": (170, 190, "令和3年度連携項目の主な取り組み実績と成果について"),
    "disaster": (192, 210, "連携事項名 防災"),
    "disaster_slide1": (212, 235, "令和3年度連携施策の主な取り組み実績と成果について"),
    "disaster_waste": (237, 245, "◎ R3年度の取り組み結果と今後の方向性"),
    "disaster_slide2": (247, 263, "連携項目名(施策) 災害廃棄物"),
    "disaster_snow": (265, 272, "◎ R3年度の取り組み結果と今後の方向性"),
    "disaster_slide3": (274, 295, "連携項目名(施策) 県・市町村の連携除排雪"),
    "digital": (297, 316, "連携事項名 自治体行政のデジタル化"),
    "digital_slide1": (318, 347, "連携項目名(施策)"),
    "digital_slide2": (349, 371, "連携項目名(施策)"),
    "digital_slide3": (373, 390, "連携項目名(施策) ICT"),
    "material2": (392, 418, "令和4年度「ワンチームとやま」連携推進本部会議における協議事項について"),
    "export": (420, 453, "連携事項名 農林水産物"),
    "schedule": (455, 469, "「ワンチームとやま」連携推進本部 年間スケジュール"),
    "vaccine1": (471, 493, "新型コロナワクチンの追加接種の前倒しについて"),
    "vaccine2": (495, 506, "新型コロナウイルスワクチンの追加接種の前倒しについて"),
    "vaccine3": (508, 527, "追加接種のワクチン供給計画"),
    "reference": (529, 543, "以下、参考資料"),
    "notice1": (545, 579, "事務連絡"),
    "notice2": (581, 631, "事務連絡"),
    "ref_material1": (633, 662, "認定 NPO 法人ふるさと回帰支援センター"),
    "ref_material2": (664, 699, "令和4年1月20日"),
    "ref_material2_fig": (703, 736, "若手職員地域課題解決フィールドワーク研修について"),
}
#: The materials each part belongs to (for running headers); parts not listed have none.
DEFAULT_PART_MATERIAL = {
    **{k: "資料1" for k in ("wg", "wildlife", "wildlife_slide", "zero_carbon", "zero_carbon_slide", "disaster",
                            "disaster_slide1", "disaster_waste", "disaster_slide2", "disaster_snow",
                            "disaster_slide3", "digital", "digital_slide1", "digital_slide2", "digital_slide3")},
    "material2": "資料2", "export": "資料2", "schedule": "資料3",
    **{k: "資料4" for k in ("vaccine1", "vaccine2", "vaccine3", "reference", "notice1", "notice2")},
    "ref_material1": "参考資料1", "ref_material2": "参考資料2", "ref_material2_fig": "参考資料2",
}
#: How each part after the WG table is printed, in order: ``item`` (a 連携事項名 page with results
#: tables), ``slide`` (a slide page, landscape in an office rendition), ``page`` (portrait text),
#: ``proposal`` (a next year's item page, headed in bold), ``schedule``, ``wide`` (a landscape page
#: for a wide table), ``dated`` (a page opening with its date, right-aligned).
DEFAULT_PLAN = (
    ("wildlife", "item"), ("wildlife_slide", "slide"), ("zero_carbon", "item"), ("zero_carbon_slide", "slide"),
    ("disaster", "item"), ("disaster_slide1", "slide"), ("disaster_waste", "item"), ("disaster_slide2", "slide"),
    ("disaster_snow", "item"), ("disaster_slide3", "slide"), ("digital", "item"), ("digital_slide1", "slide"),
    ("digital_slide2", "slide"), ("digital_slide3", "slide"), ("material2", "page"), ("export", "proposal"),
    ("schedule", "schedule"), ("vaccine1", "page"), ("vaccine2", "page"), ("vaccine3", "wide"),
    ("reference", "page"), ("notice1", "page"), ("notice2", "page"), ("ref_material1", "page"),
    ("ref_material2", "dated"), ("ref_material2_fig", "page"),
)
_BULLET_SPLIT = re.compile(r" (?=[・⇒●※])")
_UL_TAG = re.compile(r"<ul[^>]*>")
_U_TAG = re.compile(r"</?u>")
_SPACES = re.compile(r"[ \t]+")
_MD_LINK = re.compile(r"^\[([^\]]*)\]\([^)]*\)$")
_LABELLED = re.compile(r"^(?:日 時|場 所)\s*[:：]\s*(.*)$")
_PROGRAM = re.compile(r"^(\d+)\s+(.*)$")
_AGENDA = re.compile(r"^- \((\d+)\)\s+(.*)$")
_MATERIAL = re.compile(r"^((?:参考)?資料\d+)\s+(.*)$")
_TRAILING_PAREN = re.compile(r"\s*[（(]([^（()）]*)[)）]\s*$")
_TIME = re.compile(r"^(?:午前|午後)?\d{1,2}時")
_ANGLE_LINK = re.compile(r"^<(https?://[^>]+)>$")
_PIPE_ROW = re.compile(r"^(?:- )?\|")
_SIDE = re.compile(r"^(\d+)\.\s*(.*?)（(\d+)名）$")
_SCHEDULE_POINT = re.compile(r" (?=[①-⑳※])")
_DATE_GROUP_START = re.compile(r" (?=\d{1,2}/\d{1,2}[・、:])")


# ---------------------------------------------------------------- the seed

@dataclass(frozen=True)
class Seed:
    """The packet's text dump: one string per line, table cells separated by tabs.

    ``parts`` are the packet's parts as line ranges (DEFAULT_PARTS for the 2022-01-20 seed),
    ``part_material`` the material each part belongs to.
    """

    lines: tuple[str, ...]
    parts: dict = field(default_factory=lambda: DEFAULT_PARTS, compare=False, hash=False)
    part_material: dict = field(default_factory=lambda: DEFAULT_PART_MATERIAL, compare=False, hash=False)
    plan: tuple = field(default=DEFAULT_PLAN, compare=False, hash=False)

    def line(self, n: int) -> str:
        """Line ``n`` (1-based)."""
        return self.lines[n - 1]

    def cells(self, n: int) -> list[str]:
        """The tab-separated cells of line ``n``."""
        return self.line(n).split("\t")


def text_to_seed(text: str, parts: dict | None = None, part_material: dict | None = None,
                 plan: tuple | None = None) -> Seed:
    """The seed, checked against its parts (DEFAULT_PARTS, DEFAULT_PART_MATERIAL and DEFAULT_PLAN unless given).

    Raises:
        ValueError: a part does not open with the text it should (the seed changed).
    """
    seed = Seed(tuple(text.split("\n")), parts or DEFAULT_PARTS, part_material or DEFAULT_PART_MATERIAL,
                plan or DEFAULT_PLAN)
    for name, (first, _, opening) in seed.parts.items():
        if not seed.line(first).strip().startswith(opening):
            raise ValueError(f"seed line {first} should open part {name!r} with {opening!r}: {seed.line(first)!r}")
    return seed


def text_to_clean(text: str) -> str:
    """Seed text without HTML tags and with runs of spaces collapsed."""
    return _SPACES.sub(" ", _U_TAG.sub("", _UL_TAG.sub(" ", text))).strip()


def cell_to_lines(cell: str) -> list[str]:
    """A results-table cell's logical lines, as the gold reads them.

    A new line starts before each ・ ⇒ ● ※ that follows a space; a ``<ul>`` cell
    without such markers has one item per space-separated chunk.
    """
    had_list = "<ul" in cell
    text = text_to_clean(cell)
    if had_list and not re.search(r"(^| )[・⇒●※]", text):
        parts = text.split(" ")
    else:
        parts = _BULLET_SPLIT.split(text)
    return [p.strip() for p in parts if p.strip()]


def text_to_fullwidth_digits(text: str) -> str:
    """ASCII digits to full-width ones (１２月), as Japanese office documents print them."""
    return text.translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})


def name_to_spread(name: str) -> str:
    """``藤井 裕久`` → ``藤　井　裕　久``: 均等割付, one ideographic space between characters."""
    return "\u3000".join(name.replace(" ", ""))


def split_trailing_paren(text: str) -> tuple[str, str | None]:
    """``title (a、b)`` → (``title``, ``a、b``); (text, None) without a trailing bracket."""
    m = _TRAILING_PAREN.search(text)
    return (text[: m.start()].strip(), m.group(1).strip()) if m else (text.strip(), None)


# ---------------------------------------------------------------- what the packet says

@dataclass(frozen=True)
class Cover:
    date: str  # 令和4年1月20日（木）
    time: str  # 午後3時～4時30分
    venue: str
    program: tuple[str, ...]  # 開会, 知事あいさつ, 議事, 閉会 (letter-spacing removed)
    agenda: tuple[str, ...]
    materials: tuple[tuple[str, str], ...]  # (label, title with its (department))


@dataclass(frozen=True)
class Side:
    name: str  # 市町村等
    count: int
    people: tuple[tuple[str, str], ...]  # (post, name)
    notes: tuple[str, ...] = ()  # per person: what is printed beside the name ((代理)…), '' for none


@dataclass(frozen=True)
class WgSub:
    text: str  # WG設置区分
    dept: str  # 担当部局 ('' when merged with the row above)
    dates: str


@dataclass(frozen=True)
class WgItem:
    title: str
    proposers: str
    subs: tuple[WgSub, ...]


@dataclass(frozen=True)
class ResultsTable:
    header: tuple[str, str, str]
    rows: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (topic, results lines, next lines)


@dataclass(frozen=True)
class ScheduleRow:
    fy_label: str  # 令和2年度 on a year's first row, else ''
    date_text: str  # R 3. 1. 10
    event: tuple[str, ...]  # the event and its sub-points


def seed_to_cover(seed: Seed) -> Cover:
    """The 次第's facts."""
    first, last, _ = seed.parts["cover"]
    date = time = venue = ""
    program, agenda, materials = [], [], []
    for n in range(first + 1, last + 1):
        text = seed.line(n).strip()
        if m := _LABELLED.match(text):
            if text.startswith("日"):
                date = m.group(1)
            else:
                venue = m.group(1)
        elif _TIME.match(text):
            time = text
        elif m := _AGENDA.match(text):
            agenda.append(m.group(2))
        elif m := _MATERIAL.match(text):
            materials.append((m.group(1), m.group(2)))
        elif m := _PROGRAM.match(text):
            program.append(m.group(2).replace(" ", ""))
    return Cover(date, time, venue, tuple(program), tuple(agenda), tuple(materials))


def seed_to_sides(seed: Seed) -> list[Side]:
    """The 出席者 list: each side with its stated count and its (post, name) rows."""
    first, last, _ = seed.parts["attendees"]
    sides: list[Side] = []
    for n in range(first + 1, last + 1):
        text = seed.line(n).strip()
        if m := _SIDE.match(text):
            sides.append(Side(m.group(2), int(m.group(3)), ()))
        elif "\t" in seed.line(n) and sides:
            post, name, *rest = seed.cells(n)
            sides[-1] = replace(sides[-1], people=sides[-1].people + ((post.strip(), text_to_clean(name)),),
                                notes=sides[-1].notes + (text_to_clean(" ".join(rest)),))
    return sides


def seed_to_wg_items(seed: Seed) -> list[WgItem]:
    """The WG開催状況 table's items with their sub-rows."""
    first, last, _ = seed.parts["wg"]
    items: list[WgItem] = []
    for n in range(first + 3, last + 1):
        if "\t" not in seed.line(n):
            continue
        title_cell, sub, dept, dates = (text_to_clean(c) for c in seed.cells(n))
        if title_cell:
            title, proposers = split_trailing_paren(title_cell)
            items.append(WgItem(title, proposers or "", ()))
        items[-1] = replace(items[-1], subs=items[-1].subs + (WgSub(sub, dept, dates),))
    return items


def seed_to_results_tables(seed: Seed, first: int, last: int) -> list[tuple[int, ResultsTable]]:
    """Each results table in a line range: (line of its header, the table)."""
    out: list[tuple[int, ResultsTable]] = []
    for n in range(first, last + 1):
        cells = seed.cells(n)
        if len(cells) != 3:
            continue
        if cells[0].strip() == "項目":
            out.append((n, ResultsTable(tuple(text_to_clean(c) for c in cells), ())))
            continue
        topic, results, nxt = cells
        row = (text_to_clean(topic), tuple(cell_to_lines(results)), tuple(cell_to_lines(nxt)))
        start, table = out[-1]
        out[-1] = (start, replace(table, rows=table.rows + (row,)))
    return out


def seed_to_schedule(seed: Seed) -> list[ScheduleRow]:
    """The 年間スケジュール rows."""
    first, last, _ = seed.parts["schedule"]
    rows = []
    for n in range(first + 1, last + 1):
        if "\t" not in seed.line(n):
            continue
        fy, date, event = (text_to_clean(c) for c in seed.cells(n))
        rows.append(ScheduleRow(fy, date, tuple(_SCHEDULE_POINT.split(event))))
    return rows


# ---------------------------------------------------------------- what is printed

@dataclass(frozen=True)
class Para:
    """A paragraph; ``\\n`` breaks the line, ``\\t`` jumps to the next tab stop."""

    text: str
    style: str = "body"  # body, title, heading, right, center, small
    indent: float = 0.0  # em
    tabs: tuple[float, ...] = ()  # tab stops, mm from the left margin
    width: float | None = None  # mm; a long text wraps back to the paragraph's left edge


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


@dataclass(frozen=True)
class Grid:
    """A table; ``None`` marks a position covered by a span from above or the left."""

    rows: tuple[tuple[Cell | None, ...], ...]
    widths: tuple[float, ...]  # mm
    header_rows: int = 0  # repeated at the top of each page the renderer breaks the table onto
    ruled: bool = True


@dataclass(frozen=True)
class Break:
    """A page break inside a section."""


@dataclass(frozen=True)
class Columns:
    """Blocks printed side by side (a browser layout; an office renderer stacks them)."""

    columns: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Section:
    """Blocks starting on a new page."""

    blocks: tuple[object, ...]
    landscape: bool = False
    running_header: str | None = None


@dataclass(frozen=True)
class Theme:
    font: str
    size_pt: float
    margin_mm: float = 18.0
    page_numbers: bool = False
    title_pt: float = 14.0
    cell_padding_pt: float = 2.5
    line_height: float = 1.45


def cell(text: str | Iterable[str], **kw) -> Cell:
    """A cell from one text (split at ``\\n``) or from its lines."""
    lines = tuple(text.split("\n")) if isinstance(text, str) else tuple(text)
    return Cell(lines, **kw)


def grid_to_parts(grid: Grid, cuts: Iterable[int], repeat_header: Iterable[bool]) -> list[Grid]:
    """Cut a table before the given body rows, as a page break cuts it in print.

    A row span crossing a cut is shortened, and the part after the cut gets an
    empty cell for the rest of it (as an office suite prints a merged cell that
    runs on). Tables with column spans in their body are not cut here.

    Args:
        grid: the whole table.
        cuts: indexes of body rows (not counting header rows) that start a new part.
        repeat_header: per cut, whether the new part repeats the header rows.
    """
    head, body = list(grid.rows[: grid.header_rows]), [list(r) for r in grid.rows[grid.header_rows:]]
    bounds, repeats = [0, *cuts, len(body)], [True, *repeat_header]
    parts = []
    for (lo, hi), with_head in zip(zip(bounds, bounds[1:]), repeats):
        rows = [list(r) for r in body[lo:hi]]
        for c in range(len(grid.widths)):
            if rows[0][c] is None:  # covered by a span that started above this part
                top = next(r for r in range(lo - 1, -1, -1) if body[r][c] is not None)
                rows[0][c] = Cell(("",), rowspan=min(top + body[top][c].rowspan - lo, hi - lo))
            for r, row in enumerate(rows):
                if row[c] is not None and row[c].rowspan > 1:
                    row[c] = replace(row[c], rowspan=min(row[c].rowspan, len(rows) - r))
        parts.append(Grid(tuple(tuple(r) for r in (head if with_head else []) + rows), grid.widths,
                          grid.header_rows if with_head else 0, grid.ruled))
    return parts


# ---------------------------------------------------------------- generic parts

def seed_range_to_blocks(seed: Seed, first: int, last: int, *, grid_width: float,
                         title_style: str = "title", skip: Iterable[int] = (),
                         table_fn: Callable[[Seed, int, int], list] | None = None) -> list:
    """Print a line range as the dump reads: the first line a title, ``- `` list items,
    tab-separated lines as a ruled table, other lines as paragraphs.

    Args:
        seed: the seed.
        first, last: the range (1-based, inclusive).
        grid_width: width (mm) a table may take.
        title_style: style of the range's first line.
        skip: lines not to print (printed elsewhere by the caller).
        table_fn: prints a run of tab lines (seed, first, last) when it returns blocks; None
            or an empty list falls back to an evenly divided ruled table.
    """
    blocks: list = []
    skip = set(skip)
    n = first
    while n <= last:
        raw = seed.line(n)
        if n in skip or not raw.strip():
            n += 1
            continue
        if _PIPE_ROW.match(raw):
            end = n
            while end + 1 <= last and _PIPE_ROW.match(seed.line(end + 1)):
                end += 1
            blocks.append(pipe_rows_to_grid([seed.line(k) for k in range(n, end + 1)], grid_width))
            n = end + 1
            continue
        if "\t" in raw:
            end = n
            while end + 1 <= last and "\t" in seed.line(end + 1):
                end += 1
            printed = table_fn(seed, n, end) if table_fn else None
            blocks.extend(printed or [lines_to_grid([seed.cells(k) for k in range(n, end + 1)], grid_width)])
            n = end + 1
            continue
        text = text_to_clean(raw)
        if m := _MD_LINK.match(text) or _ANGLE_LINK.match(text):
            text = m.group(1)
        if n == first:
            blocks.append(Para(text, title_style))
        elif raw.startswith(" - "):
            blocks.append(Para(text[2:].strip(), indent=2.0))
        elif raw.startswith("- "):
            blocks.append(Para(text[2:].strip(), indent=1.0))
        else:
            blocks.append(Para(text))
        n += 1
    return blocks


def pipe_rows_to_grid(lines: list[str], width: float) -> Grid:
    """A markdown pipe table as a ruled table: empty rows and the ``|---|`` rule dropped."""
    rows = []
    for raw in lines:
        cells = [c.strip() for c in raw.removeprefix("- ").strip().strip("|").split("|")]
        if all(not c or set(c) <= set("-: ") for c in cells):
            continue
        rows.append(cells)
    n = max(len(r) for r in rows)
    return Grid(tuple(tuple(cell(c) for c in r + [""] * (n - len(r))) for r in rows), (width / n,) * n, 0)


def lines_to_grid(rows: list[list[str]], width: float) -> Grid:
    """Tab-separated rows as a ruled table, the first column narrower."""
    n = max(len(r) for r in rows)
    first = width * (0.25 if n > 2 else 0.3)
    widths = (first, *([(width - first) / (n - 1)] * (n - 1))) if n > 1 else (width,)
    out = []
    for r in rows:
        r = r + [""] * (n - len(r))
        out.append(tuple(cell(cell_to_lines(c) or [""]) if "<ul" in c else cell(text_to_clean(c)) for c in r))
    return Grid(tuple(out), widths, 0)


def results_to_grid(table: ResultsTable, widths: tuple[float, float, float], *, merge_topics: bool = True,
                    digits: Callable[[str], str] = str) -> Grid:
    """A 取り組み結果 table: topics merged over the rows they head, next steps over the rows left empty."""
    rows: list[list[Cell | None]] = [[cell(h, header=True) for h in table.header]]
    body = table.rows
    for i, (topic, results, nxt) in enumerate(body):
        row: list[Cell | None] = [None, cell([digits(x) for x in results]), None]
        if topic or not merge_topics:
            span = 1
            while merge_topics and i + span < len(body) and not body[i + span][0]:
                span += 1
            row[0] = cell(topic or "", rowspan=span)
        if nxt:
            span = 1
            while i + span < len(body) and not body[i + span][2]:
                span += 1
            row[2] = cell([digits(x) for x in nxt], rowspan=span)
        rows.append(row)
    return Grid(tuple(tuple(r) for r in rows), widths, 1)


# ---------------------------------------------------------------- HTML (browser) renderer

_HTML_STYLES = {
    "title": "font-size:{title}pt;font-weight:bold;text-align:center;margin:0 0 10pt 0",
    "heading": "font-weight:bold;margin:8pt 0 4pt 0",
    "body": "margin:2pt 0",
    "right": "text-align:right;margin:2pt 0",
    "center": "text-align:center;margin:2pt 0",
    "small": "font-size:0.85em;margin:1pt 0",
    "boxed": "text-align:right;margin:0 0 6pt 0",
}


def para_to_html(p: Para, theme: Theme) -> str:
    """One paragraph as HTML (tab stops as fixed-width inline boxes)."""
    style = _HTML_STYLES[p.style].format(title=theme.title_pt)
    if p.indent:
        style += f";margin-left:{p.indent}em"
    if p.width:
        style += f";max-width:{p.width}mm"
    if p.tabs and "\t" in p.text:
        pieces = p.text.split("\t")
        stops = [0.0, *p.tabs]
        spans = [f'<span style="display:inline-block;width:{stops[i + 1] - stops[i]}mm">{html.escape(t)}</span>'
                 for i, t in enumerate(pieces[:-1])]
        body = "".join(spans) + html.escape(pieces[-1])
    else:
        body = "<br>".join(html.escape(x) for x in p.text.split("\n"))
    if p.style == "boxed":
        # the material label in a ruled box at the top right, as many offices print it
        body = f'<span style="display:inline-block;border:0.8pt solid #000;padding:2pt 8pt">{body}</span>'
    return f'<p style="{style}">{body}</p>'


def grid_to_html(g: Grid) -> str:
    """A table as HTML; header rows go in <thead>, which the browser repeats on each page."""
    cols = "".join(f'<col style="width:{w}mm">' for w in g.widths)
    cls = "ruled" if g.ruled else "plain"
    out = [f'<table class="{cls}" style="width:{sum(g.widths)}mm"><colgroup>{cols}</colgroup>']
    for i, row in enumerate(g.rows):
        if i == 0 and g.header_rows:
            out.append("<thead>")
        if i == g.header_rows:
            out.append("<tbody>")
        tds = []
        for c in row:
            if c is None:
                continue
            tag = "th" if c.header else "td"
            span = ((f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
                    + (f' colspan="{c.colspan}"' if c.colspan > 1 else ""))
            tds.append(f"<{tag}{span}>" + "<br>".join(html.escape(x) for x in c.lines) + f"</{tag}>")
        out.append("<tr>" + "".join(tds) + "</tr>")
        if g.header_rows and i == g.header_rows - 1:
            out.append("</thead>")
    out.append("</tbody></table>")
    return "".join(out)


def block_to_html(b, theme: Theme) -> str:
    """One block (paragraph, table, page break, columns) as HTML."""
    if isinstance(b, Para):
        return para_to_html(b, theme)
    if isinstance(b, Grid):
        return grid_to_html(b)
    if isinstance(b, Break):
        return '<div style="break-after:page"></div>'
    if isinstance(b, Columns):
        cols = "".join('<div style="flex:1">' + "".join(block_to_html(x, theme) for x in col) + "</div>"
                       for col in b.columns)
        return f'<div style="display:flex;gap:8mm;align-items:flex-start">{cols}</div>'
    raise TypeError(f"cannot print {type(b).__name__}")


def sections_to_html(sections: list[Section], theme: Theme) -> str:
    """The packet as one HTML document, one named page type per (orientation, running header)."""
    pages: dict[tuple[bool, str | None], str] = {}
    for s in sections:
        pages.setdefault((s.landscape, s.running_header), f"pg{len(pages)}")
    css = [
        f"body{{font-family:'{theme.font}';font-size:{theme.size_pt}pt;line-height:{theme.line_height};margin:0}}",
        "table{border-collapse:collapse;margin:4pt 0 8pt 0;table-layout:fixed}",
        f"td,th{{vertical-align:top;text-align:left;font-weight:normal;padding:{theme.cell_padding_pt}pt "
        f"{theme.cell_padding_pt + 1}pt;overflow-wrap:anywhere}}",
        "table.ruled td,table.ruled th{border:0.6pt solid #000}",
        "table.ruled th{background:#eee}",
        "tr{break-inside:avoid}",
        "section{break-before:page}",
        "section:first-child{break-before:auto}",
    ]
    margin = f"margin:{theme.margin_mm}mm {theme.margin_mm - 2}mm"
    for (landscape, header), name in pages.items():
        boxes = ""
        if theme.page_numbers:
            boxes += '@bottom-center{content:"- " counter(page) " -";font-size:9pt}'
        if header:
            boxes += f'@top-right{{content:"{header}";font-size:10.5pt}}'
        css.append(f"@page {name}{{size:A4 {'landscape' if landscape else 'portrait'};{margin};{boxes}}}")
        css.append(f".{name}{{page:{name}}}")
    body = "".join(f'<section class="{pages[(s.landscape, s.running_header)]}">'
                   + "".join(block_to_html(b, theme) for b in s.blocks) + "</section>" for s in sections)
    return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>packet</title>'
            f'<style>{"".join(css)}</style></head><body>{body}</body></html>')


# ---------------------------------------------------------------- flat ODT (office suite) renderer

_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
)
_ODF_PARA = {
    "title": ('fo:text-align="center" fo:margin-bottom="3mm"|fo:font-weight="bold" style:font-weight-asian="bold" '
              'fo:font-size="{title}pt" style:font-size-asian="{title}pt"'),
    "heading": 'fo:margin-top="2mm" fo:margin-bottom="1mm"|fo:font-weight="bold" style:font-weight-asian="bold"',
    "body": 'fo:margin-top="0.6mm" fo:margin-bottom="0.6mm"|',
    "right": 'fo:text-align="end"|',
    "center": 'fo:text-align="center"|',
    "small": '|fo:font-size="{small}pt" style:font-size-asian="{small}pt"',
    "boxed": 'fo:text-align="end"|',
}


class _OdfStyles:
    """Automatic styles of a flat ODT, created on first use."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.xml: list[str] = []
        self.names: dict[tuple, str] = {}

    def para(self, style: str, indent: float = 0.0, tabs: tuple[float, ...] = (), master: str | None = None,
             page_break: bool = False) -> str:
        key = ("P", style, indent, tabs, master, page_break)
        if key not in self.names:
            name = f"P{len(self.names)}"
            self.names[key] = name
            para_props, text_props = _ODF_PARA[style].format(
                title=self.theme.title_pt, small=round(self.theme.size_pt * 0.85, 1)).split("|")
            if indent:
                para_props += f' fo:margin-left="{indent * self.theme.size_pt:.1f}pt"'
            if page_break:
                para_props += ' fo:break-before="page"'
            stops = "".join(f'<style:tab-stop style:position="{t}mm"/>' for t in tabs)
            master_attr = f' style:master-page-name="{master}"' if master else ""
            self.xml.append(
                f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="Standard"'
                f'{master_attr}><style:paragraph-properties {para_props}>'
                f'<style:tab-stops>{stops}</style:tab-stops></style:paragraph-properties>'
                f'<style:text-properties {text_props}/></style:style>')
        return self.names[key]

    def table(self, width: float) -> str:
        key = ("T", width)
        if key not in self.names:
            name = f"T{len(self.names)}"
            self.names[key] = name
            self.xml.append(f'<style:style style:name="{name}" style:family="table"><style:table-properties '
                            f'style:width="{width}mm" table:align="left" fo:margin-top="1mm" fo:margin-bottom="2mm"/>'
                            f'</style:style>')
        return self.names[key]

    def column(self, width: float) -> str:
        key = ("C", width)
        if key not in self.names:
            name = f"C{len(self.names)}"
            self.names[key] = name
            self.xml.append(f'<style:style style:name="{name}" style:family="table-column">'
                            f'<style:table-column-properties style:column-width="{width}mm"/></style:style>')
        return self.names[key]

    def row(self) -> str:
        # a row is kept on one page: a row cut mid-cell would cut dates and names in two
        key = ("R",)
        if key not in self.names:
            name = f"R{len(self.names)}"
            self.names[key] = name
            self.xml.append(f'<style:style style:name="{name}" style:family="table-row">'
                            f'<style:table-row-properties fo:keep-together="always"/></style:style>')
        return self.names[key]

    def cell(self, ruled: bool, header: bool) -> str:
        key = ("E", ruled, header)
        if key not in self.names:
            name = f"E{len(self.names)}"
            self.names[key] = name
            border = 'fo:border="0.5pt solid #000000"' if ruled else 'fo:border="none"'
            bg = ' fo:background-color="#e6e6e6"' if header else ""
            pad = self.theme.cell_padding_pt
            self.xml.append(f'<style:style style:name="{name}" style:family="table-cell"><style:table-cell-properties '
                            f'{border}{bg} fo:padding="{pad}pt"/></style:style>')
        return self.names[key]


def _odf_text(text: str) -> str:
    return "<text:tab/>".join(
        "<text:line-break/>".join(xml_escape(x) for x in part.split("\n")) for part in text.split("\t"))


def _para_to_odf(p: Para, st: _OdfStyles, master: str | None, page_break: bool) -> str:
    style = st.para(p.style, p.indent, p.tabs, master, page_break)
    return f'<text:p text:style-name="{style}">{_odf_text(p.text)}</text:p>'


def _grid_to_odf(g: Grid, st: _OdfStyles) -> str:
    out = [f'<table:table table:style-name="{st.table(sum(g.widths))}">']
    out += [f'<table:table-column table:style-name="{st.column(w)}"/>' for w in g.widths]
    body_para = st.para("body")
    for i, row in enumerate(g.rows):
        if i == 0 and g.header_rows:
            out.append("<table:table-header-rows>")
        out.append(f'<table:table-row table:style-name="{st.row()}">')
        for c in row:
            if c is None:
                out.append("<table:covered-table-cell/>")
                continue
            span = (f' table:number-rows-spanned="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' table:number-columns-spanned="{c.colspan}"' if c.colspan > 1 else "")
            paras = "".join(f'<text:p text:style-name="{body_para}">{_odf_text(x)}</text:p>' for x in c.lines)
            out.append(f'<table:table-cell table:style-name="{st.cell(g.ruled, c.header)}"'
                       f' office:value-type="string"{span}>{paras}</table:table-cell>')
        out.append("</table:table-row>")
        if g.header_rows and i == g.header_rows - 1:
            out.append("</table:table-header-rows>")
    out.append("</table:table>")
    return "".join(out)


def sections_to_fodt(sections: list[Section], theme: Theme) -> str:
    """The packet as a flat ODT document: portrait and landscape master pages, ruled tables
    whose header rows repeat on each page, tab stops, page numbers in the footer."""
    st = _OdfStyles(theme)
    body: list[str] = []
    for s in sections:
        master = "Landscape" if s.landscape else "Portrait"
        start, after_break = True, False
        for b in s.blocks:
            if isinstance(b, Columns):
                blocks = [x for col in b.columns for x in col]
            else:
                blocks = [b]
            for x in blocks:
                if isinstance(x, Break):
                    after_break = True
                    continue
                if isinstance(x, Grid) and (start or after_break):
                    # a table cannot carry a master page here: an empty paragraph starts the page
                    body.append(_para_to_odf(Para(""), st, master if start else None, after_break and not start))
                    start = after_break = False
                if isinstance(x, Para):
                    body.append(_para_to_odf(x, st, master if start else None, after_break and not start))
                    start = after_break = False
                elif isinstance(x, Grid):
                    body.append(_grid_to_odf(x, st))
    m = theme.margin_mm
    footer = ('<style:footer><text:p text:style-name="Footer">- <text:page-number text:select-page="current"/> -'
              '</text:p></style:footer>') if theme.page_numbers else ""
    layouts = "".join(
        f'<style:page-layout style:name="L{k}"><style:page-layout-properties fo:page-width="{w}mm" '
        f'fo:page-height="{h}mm" style:print-orientation="{o}" fo:margin-top="{m}mm" fo:margin-bottom="{m}mm" '
        f'fo:margin-left="{m}mm" fo:margin-right="{m}mm"/></style:page-layout>'
        for k, (w, h, o) in enumerate([(*DEFAULT_PAGE_MM, "portrait"), (*DEFAULT_PAGE_MM[::-1], "landscape")]))
    font = xml_escape(theme.font)
    size = f'fo:font-size="{theme.size_pt}pt" style:font-size-asian="{theme.size_pt}pt"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {_ODF_NS} office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.text">'
        f'<office:meta/>'
        f'<office:font-face-decls><style:font-face style:name="F" svg:font-family="{font}"/></office:font-face-decls>'
        f'<office:styles><style:style style:name="Standard" style:family="paragraph">'
        f'<style:paragraph-properties fo:line-height="{int(theme.line_height * 100 - 15)}%"/>'
        f'<style:text-properties style:font-name="F" style:font-name-asian="F" {size}/></style:style>'
        f'<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">'
        f'<style:paragraph-properties fo:text-align="center"/></style:style></office:styles>'
        f'<office:automatic-styles>{layouts}{"".join(st.xml)}</office:automatic-styles>'
        f'<office:master-styles><style:master-page style:name="Portrait" style:page-layout-name="L0">{footer}'
        f'</style:master-page><style:master-page style:name="Landscape" style:page-layout-name="L1">{footer}'
        f'</style:master-page></office:master-styles>'
        f'<office:body><office:text>{"".join(body)}</office:text></office:body></office:document>')


# ---------------------------------------------------------------- renderers

def html_to_pdf(source: Path, pdf: Path, chromium: str = DEFAULT_CHROMIUM) -> None:
    """Print an HTML file to PDF with headless Chromium (no header or footer of its own)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, *DEFAULT_CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                        source.resolve().as_uri()], check=True, capture_output=True, timeout=DEFAULT_RENDER_TIMEOUT)
    if not pdf.exists():
        raise RuntimeError(f"chromium wrote no {pdf}")


def fodt_to_pdf(source: Path, pdf: Path, soffice: str = DEFAULT_SOFFICE) -> None:
    """Convert a flat ODT to PDF with LibreOffice (its own profile, so a running office is no obstacle)."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=DEFAULT_RENDER_TIMEOUT)
        out = Path(tmp, source.stem + ".pdf")
        if not out.exists():
            raise RuntimeError(f"soffice wrote no PDF for {source}")
        shutil.move(str(out), pdf)


# ---------------------------------------------------------------- shared section builders

def seed_to_cover_title(seed: Seed) -> str:
    """The 次第 heading as printed: its lines up to the one that ends with 次第, one per line."""
    first, last, _ = seed.parts["cover"]
    lines = []
    for n in range(first, last + 1):
        if text := seed.line(n).strip():
            lines.append(text)
            if text.endswith("次第"):
                break
    return "\n".join(lines)


def seed_to_seating_blocks(seed: Seed, digits: Callable[[str], str] = str) -> list:
    """The 配席図 page: the full meeting title (the only place it is printed), date and venue."""
    first, last, _ = seed.parts["seating"]
    blocks: list = [Para(text_to_clean(seed.line(first)), "title")]
    blocks += [Para(digits(text_to_clean(seed.line(n))), indent=18.0) for n in range(first + 1, last + 1)
               if seed.line(n).strip()]
    blocks.append(Para("（座席表）", "center"))
    return blocks


def part_to_section(seed: Seed, part: str, *, landscape: bool, width: float, header: str | None = None,
                    table_fn=None, title_style: str = "title", label_box: bool = False) -> Section:
    """A part printed as the dump reads (see seed_range_to_blocks).

    Args:
        label_box: open the part with its material label in a box at the top right
            (the label's own line in the dump is then not printed again).
    """
    first, last, _ = seed.parts[part]
    skip = [n for n in range(first, last + 1) if label_box and seed.line(n).strip() == seed.part_material.get(part)]
    blocks = seed_range_to_blocks(seed, first, last, grid_width=width, table_fn=table_fn, title_style=title_style,
                                  skip=skip)
    if label_box:
        blocks.insert(0, Para(seed.part_material[part], "boxed"))
    return Section(tuple(blocks), landscape, header)


def item_part_to_section(seed: Seed, part: str, *, landscape: bool, widths: tuple[float, float, float],
                 header: str | None = None, digits: Callable[[str], str] = str,
                 tables_fn: Callable[[list[Grid]], list] | None = None, merge_topics: bool = True,
                 head_table: bool = False) -> Section:
    """A 連携事項名 page: heading, 提案市町村 / 県担当課 lines, results headings and tables.

    Args:
        tables_fn: rearranges the part's results tables (splits, page breaks); gets the
            printed tables of each header line in order, returns the blocks to print.
        head_table: print the heading and its 提案市町村 / 県担当課 lines as a ruled
            label | value table (no colons), as office templates do.
    """
    first, last, _ = seed.parts[part]
    tables = dict(seed_to_results_tables(seed, first, last))

    def print_table(s: Seed, lo: int, hi: int) -> list:
        return [results_to_grid(tables[lo], widths, merge_topics=merge_topics, digits=digits)]

    blocks: list = []
    if head_table and seed.line(first).startswith("連携事項名"):
        body = next(n for n in range(first + 1, last + 1)
                    if seed.line(n).startswith(("◎", "【")) or "\t" in seed.line(n))
        pairs = head_lines_to_pairs(seed, first, body - 1)
        blocks.append(Grid(tuple((cell(k, header=True), cell(v)) for k, v in pairs), (34.0, sum(widths) - 34.0), 0))
        first = body
    blocks += seed_range_to_blocks(seed, first, last, grid_width=sum(widths), title_style="heading",
                                   table_fn=print_table)
    if tables_fn:
        grids = [b for b in blocks if isinstance(b, Grid) and b.rows and b.rows[0][0].header and b.header_rows]
        replacement = iter(tables_fn(grids))
        blocks = [next(replacement) if b in grids else b for b in blocks]
        blocks += list(replacement)
    return Section(tuple(_flatten(blocks)), landscape, header)


def head_lines_to_pairs(seed: Seed, first: int, last: int) -> list[tuple[str, str]]:
    """An item page's heading lines as (label, value): ``連携事項名 title``, ``提案市町村: 富山市`` …

    A status printed on its own line (``(令和4年度協議継続)``) goes under the title.
    """
    pairs: list[tuple[str, str]] = []
    for n in range(first, last + 1):
        text = text_to_clean(seed.line(n))
        if not text:
            continue
        if n == first:
            label, _, value = text.partition(" ")
            pairs.append((label, value))
        elif text.startswith("(") and pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + "\n" + text)
        else:
            label, _, value = text.replace("：", ":").partition(":")
            pairs.append((label.strip(), value.strip()))
    return pairs


def _flatten(blocks: Iterable) -> list:
    out = []
    for b in blocks:
        out.extend(b if isinstance(b, list) else [b])
    return out


def wg_items_to_rows(items: list[WgItem], *, proposers_col: bool, fy_prefix: bool, group_lines: bool,
            digits: Callable[[str], str] = str) -> list[list[Cell | None]]:
    """The WG table's body rows: item title (and proposers) merged over its sub-rows,
    a department merged over the sub-rows that leave it empty."""
    rows: list[list[Cell | None]] = []
    for item in items:
        for k, sub in enumerate(item.subs):
            row: list[Cell | None] = []
            if k == 0:
                title = item.title if proposers_col else f"{item.title}\n（{item.proposers}）"
                row.append(cell(title, rowspan=len(item.subs)))
                if proposers_col:
                    row.append(cell(item.proposers.replace("、", "\n"), rowspan=len(item.subs)))
            else:
                row += [None, None] if proposers_col else [None]
            row.append(cell(sub_to_lines(sub.text)))
            if sub.dept or k == 0:
                span = 1
                while k + span < len(item.subs) and not item.subs[k + span].dept:
                    span += 1
                row.append(cell(dept_to_lines(sub.dept), rowspan=span))
            else:
                row.append(None)
            row.append(cell([digits(x) for x in dates_to_lines(sub.dates, fy_prefix, group_lines)]))
            rows.append(row)
    return rows


def sub_to_lines(text: str) -> list[str]:
    """A WG設置区分 cell: its ・ points on lines of their own."""
    return [p for p in _BULLET_SPLIT.split(text) if p] or [""]


def dept_to_lines(text: str) -> list[str]:
    """A 担当部局 cell: one department per line, the (まとめ) mark with its department."""
    out: list[str] = []
    for tok in text.split(" "):
        if tok.startswith("(") and out:
            out[-1] += tok
        elif tok:
            out.append(tok)
    return out or [""]


def dates_to_lines(text: str, fy_prefix: bool, group_lines: bool) -> list[str]:
    """A WG dates cell: ※ notes on lines of their own; with ``group_lines`` each dated group too;
    with ``fy_prefix`` the dates marked with the fiscal year they fall in (R2年度: / R3年度:)."""
    text = dates_with_fy_prefix(text) if fy_prefix else text
    lines = [p for p in re.split(r" (?=※)", text) if p]
    if group_lines:
        lines = [q for p in lines for q in _DATE_GROUP_START.split(p) if q]
    return lines or [""]


def dates_with_fy_prefix(text: str) -> str:
    """Prefix a dates cell's dates with the fiscal year they fall in, as later packets print.

    The leading date groups holding dates of the year before (the WGs began then) are
    split: their earlier dates go under ``R2年度:`` with the group's series, the rest
    under ``R3年度:``; every other cell is all ``R3年度:``.
    """
    if not text:
        return text
    head, sep, notes = text.partition(" ※")
    before, after, pos = [], [], 0
    for m in _WG_GROUP.finditer(head):
        dates, series = re.split(r"[・、]", m.group(1)), m.group(2) or ""
        joiner = "・" if "・" in m.group(1) else "、"
        old = [d for d in dates if d in DEFAULT_PREVIOUS_YEAR_DATES]
        if not old:
            break
        new = [d for d in dates if d not in DEFAULT_PREVIOUS_YEAR_DATES]
        before.append(joiner.join(old) + series)
        if new:
            after.append(joiner.join(new) + series)
        pos = m.end()
    if not before:
        return "R3年度: " + text
    rest = head[pos:].strip()
    current = " ".join(after + ([rest] if rest else []))
    return f"R2年度: {' '.join(before)} R3年度: {current}" + (f" ※{notes}" if sep else "")


#: WG dates of the table that fall in fiscal year 2020 (see the gold notes: 2/17, 2/19, 2/25, 3/26).
DEFAULT_PREVIOUS_YEAR_DATES = frozenset({"2/17", "2/19", "2/25", "3/26"})
#: A group of dates joined by 、 or ・ and the series it names (``:IT担当課長会議`` or `` 防災担当課長会議``).
_WG_GROUP = re.compile(r"((?:\d{1,2}/\d{1,2}[・、])*\d{1,2}/\d{1,2})((?::[^\s]+)|(?:\s+[^\s\d※][^\s]*))?\s*")


# ---------------------------------------------------------------- V1: office

def packet_to_office(seed: Seed, *, wg_widths: tuple[float, float, float, float] = (62.0, 58.0, 30.0, 111.0),
                     wg_digits: Callable[[str], str] | None = None) -> tuple[list[Section], Theme]:
    """V1: LibreOffice Writer, IPAex Mincho, landscape wide tables, full-width digits.

    ``wg_widths`` (mm) and ``wg_digits`` let the narrow variant squeeze the WG dates column
    and print its dates in ASCII digits, so that LibreOffice breaks dates inside the number.
    """
    fw = text_to_fullwidth_digits
    cover = seed_to_cover(seed)
    theme = Theme(font="IPAexMincho", size_pt=10.5, margin_mm=18.0, title_pt=14.0)
    portrait_w, landscape_w = 174.0, 261.0
    sections: list[Section] = []

    blocks: list = [Para(seed_to_cover_title(seed).replace(" 次第", "　次第"), "title"),
                    Para(f"開催日時\t{fw(cover.date)}　{fw(cover.time)}", indent=2.0, tabs=(30.0,)),
                    Para(f"会　　場\t{fw(cover.venue)}", indent=2.0, tabs=(30.0,)),
                    Para("")]
    for i, step in enumerate(cover.program, 1):
        blocks.append(Para(f"{fw(str(i))}　{word_to_spread(step)}"))
        if step == "議事":
            blocks += [Para(f"（{fw(str(k))}）{fw(t)}", indent=1.5) for k, t in enumerate(cover.agenda, 1)]
    blocks += [Para(""), Para("【配付資料】", "heading")]
    blocks += [Para(f"{fw(label)}\t{fw(title)}", indent=1.0, tabs=(28.0,)) for label, title in cover.materials]
    sections.append(Section(tuple(blocks)))

    att: list = [Para("「ワンチームとやま」連携推進本部会議　出席者名簿", "title")]
    for k, side in enumerate(seed_to_sides(seed), 1):
        att.append(Para(f"{fw(str(k))}　{side.name}（{fw(str(side.count))}名）", "heading"))
        for (post, name), note in zip(side.people, side.notes or ("",) * len(side.people)):
            # a note beside the name ((代理)…) at a further tab stop, as the list prints it
            att.append(Para(f"{post}\t{name_to_spread(name)}" + (f"\t{note}" if note else ""), indent=2.0,
                            tabs=(75.0, 112.0) if note else (75.0,)))
    sections.append(Section(tuple(att)))
    sections.append(Section(tuple(seed_to_seating_blocks(seed, fw))))

    items = seed_to_wg_items(seed)
    head = [cell(h, header=True) for h in seed.cells(seed.parts["wg"][0] + 2)]
    body = wg_items_to_rows(items, proposers_col=False, fy_prefix=False, group_lines=False,
                            digits=wg_digits or fw)
    wg = Grid((tuple(head), *(tuple(r) for r in body)), wg_widths, 1)
    sections.append(Section((Para(text_to_clean(seed.line(seed.parts["wg"][0])), "title"), wg), True))

    widths = (48.0, 108.0, 105.0)
    for part, kind in seed.plan:
        if kind == "item":
            sections.append(item_part_to_section(seed, part, landscape=True, widths=widths, digits=fw, head_table=True))
        elif kind == "schedule":
            sections.append(Section(tuple(seed_to_office_schedule(seed)), False))
        else:
            wide = kind in ("slide", "wide")
            sections.append(part_to_section(seed, part, landscape=wide, width=landscape_w if wide else portrait_w,
                                            title_style=DEFAULT_KIND_TITLE_STYLE.get(kind, "title")))
    return sections, theme


#: The style of a part's first line, by the part's kind (see DEFAULT_PLAN); "title" otherwise.
DEFAULT_KIND_TITLE_STYLE = {"proposal": "heading", "dated": "right"}


def word_to_spread(word: str) -> str:
    """Short program words spread the way a word processor's 均等割付 prints them (開　会)."""
    return "\u3000".join(word) if len(word) == 2 else word


def seed_to_office_schedule(seed: Seed) -> list:
    """The schedule with its dates written out in the era calendar, full-width (令和３年１月１０日)."""
    rows: list[list[Cell | None]] = []
    data = seed_to_schedule(seed)
    for i, r in enumerate(data):
        row: list[Cell | None] = []
        if r.fy_label:
            span = 1
            while i + span < len(data) and not data[i + span].fy_label:
                span += 1
            row.append(cell(text_to_fullwidth_digits(r.fy_label), rowspan=span))
        else:
            row.append(None)
        row.append(cell(text_to_fullwidth_digits(era_short_to_long(r.date_text))))
        row.append(cell(list(r.event)))
        rows.append(row)
    head = (cell("年度", header=True), cell("開催時期", header=True), cell("内容", header=True))
    first = seed.parts["schedule"][0]
    return [Para(text_to_clean(seed.line(first)), "title"),
            Grid((head, *(tuple(r) for r in rows)), (26.0, 46.0, 102.0), 1)]


def era_short_to_long(text: str) -> str:
    """``R 3. 1. 10`` → ``令和3年1月10日``; ``R 4. 5月中旬`` → ``令和4年5月中旬``."""
    m = re.fullmatch(r"R ?(\d+)\. ?(\d+)\. ?(\d+)", text)
    if m:
        return f"令和{m.group(1)}年{m.group(2)}月{m.group(3)}日"
    m = re.fullmatch(r"R ?(\d+)\. ?(\d+月.*)", text)
    return f"令和{m.group(1)}年{m.group(2)}" if m else text


def era_short_to_month_day(text: str) -> str:
    """``R 3. 1. 10`` → ``1月10日``; ``R 4. 5月中旬`` → ``5月中旬``: the year is left to the 年度 column."""
    m = re.fullmatch(r"R ?\d+\. ?(\d+)\. ?(\d+)", text)
    if m:
        return f"{m.group(1)}月{m.group(2)}日"
    m = re.fullmatch(r"R ?\d+\. ?(\d+月.*)", text)
    return m.group(1) if m else text


# ---------------------------------------------------------------- V2: split

def packet_to_split(seed: Seed) -> tuple[list[Section], Theme]:
    """V2: browser, proportional gothic, page numbers, 資料N running headers, tables cut at other rows."""
    cover = seed_to_cover(seed)
    theme = Theme(font="BIZ UDPGothic", size_pt=10.0, margin_mm=16.0, page_numbers=True, title_pt=13.0,
                  cell_padding_pt=2.0, line_height=1.35)
    width = 178.0
    hdr = seed.part_material.get
    sections: list[Section] = []

    date = cover.date
    blocks: list = [Para(seed_to_cover_title(seed), "title"),
                    Para(f"日時：{date} 15:00～16:30", indent=16.0),
                    Para(f"場所：{cover.venue}", indent=16.0), Para("")]
    for i, step in enumerate(cover.program, 1):
        blocks.append(Para(f"{i}. {step}"))
        if step == "議事":
            blocks[-1] = Para(f"{i}. 議題")  # the same step under another name
            blocks += [Para(f"{'①②③④⑤⑥⑦⑧⑨'[k - 1]} {t}", indent=1.5) for k, t in enumerate(cover.agenda, 1)]
    blocks += [Para(""), Para("配付資料", "heading")]
    # a narrow list: long titles wrap back under the label, with no hanging indent
    blocks += [Para(f"{label}　{title}", indent=1.0, width=105.0) for label, title in cover.materials]
    sections.append(Section(tuple(blocks)))
    sections.append(Section(tuple(seed_to_seating_blocks(seed))))

    cols = []
    for k, side in enumerate(seed_to_sides(seed), 1):
        grid = Grid(tuple((cell(post), cell(name)) for post, name in side.people), (48.0, 32.0), 0)
        cols.append((Para(f"{k}. {side.name}（{side.count}名）", "heading"), grid))
    sections.append(Section((Para("「ワンチームとやま」連携推進本部会議出席者", "title"), Columns(tuple(cols)))))

    items = seed_to_wg_items(seed)
    head = tuple(cell(h, header=True) for h in seed.cells(seed.parts["wg"][0] + 2))
    body = wg_items_to_rows(items, proposers_col=False, fy_prefix=True, group_lines=False)
    wg = Grid((head, *(tuple(r) for r in body)), (40.0, 42.0, 22.0, 74.0), 1)
    cut = wg_items_to_cut_row(items, "③")
    first_part, second = grid_to_parts(wg, [cut], [False])
    sections.append(Section((Para(text_to_clean(seed.line(seed.parts["wg"][0])), "title"), first_part, Break(),
                             second), False, hdr("wg")))

    widths = (36.0, 72.0, 70.0)

    def cut_at(rows: list[int], repeat: list[bool]):
        def fn(grids: list[Grid]) -> list:
            out = []
            for g, at, rep in zip(grids, rows, repeat):
                if at is None:
                    out.append(g)
                    continue
                a, b = grid_to_parts(g, [at], [rep])
                out.append([a, Break(), b])
            return out
        return fn

    for part in ("wildlife", "wildlife_slide", "zero_carbon", "zero_carbon_slide", "disaster", "disaster_slide1",
                 "disaster_waste", "disaster_slide2", "disaster_snow", "disaster_slide3"):
        if "slide" in part:
            sections.append(part_to_section(seed, part, landscape=False, width=width, header=hdr(part)))
        elif part == "wildlife":
            sections.append(item_part_to_section(seed, part, landscape=False, widths=widths, header=hdr(part),
                                         tables_fn=cut_at([2], [True])))
        elif part == "disaster_waste":
            sections.append(item_part_to_section(seed, part, landscape=False, widths=widths, header=hdr(part),
                                         tables_fn=cut_at([1], [True])))
        elif part == "disaster_snow":
            sections.append(item_part_to_section(seed, part, landscape=False, widths=widths, header=hdr(part),
                                         merge_topics=False))
        else:
            sections.append(item_part_to_section(seed, part, landscape=False, widths=widths, header=hdr(part)))
    sections.append(seed_to_split_digital(seed, widths, hdr("digital")))
    for part in ("digital_slide1", "digital_slide2", "digital_slide3"):
        sections.append(part_to_section(seed, part, landscape=False, width=width, header=hdr(part)))
    sections.append(part_to_section(seed, "material2", landscape=False, width=width, header=hdr("material2")))
    sections.append(part_to_section(seed, "export", landscape=False, width=width, header=hdr("export"),
                                    title_style="heading"))
    sections.append(Section(tuple(seed_to_split_schedule(seed)), False, hdr("schedule")))
    for part in ("vaccine1", "vaccine2", "vaccine3", "reference", "notice1", "notice2", "ref_material1",
                 "ref_material2", "ref_material2_fig"):
        sections.append(part_to_section(seed, part, landscape=part == "vaccine3", width=265.0 if part == "vaccine3"
                                        else width, header=hdr(part),
                                        title_style="right" if part == "ref_material2" else "title"))
    return sections, theme


def wg_items_to_cut_row(items: list[WgItem], sub_mark: str) -> int:
    """The body row of the WG table whose 設置区分 starts with ``sub_mark`` (in the item with most sub-rows)."""
    row = 0
    for item in items:
        for sub in item.subs:
            if sub.text.startswith(sub_mark) and len(item.subs) > 3:
                return row
            row += 1
    raise ValueError(f"no WG sub-row {sub_mark}")


def seed_to_split_digital(seed: Seed, widths: tuple[float, float, float], header: str | None) -> Section:
    """The digital item's results as one table of all rows, cut after the sixth row with no header repeated."""
    first, last, _ = seed.parts["digital"]
    tables = seed_to_results_tables(seed, first, last)
    whole = ResultsTable(tables[0][1].header, tuple(r for _, t in tables for r in t.rows))
    grid = results_to_grid(whole, widths)
    a, b = grid_to_parts(grid, [6], [False])
    head_lines = [n for n in range(first, tables[0][0]) if seed.line(n).strip()]
    blocks = [Para(text_to_clean(seed.line(head_lines[0])), "heading")]
    blocks += [Para(text_to_clean(seed.line(n))) for n in head_lines[1:]]
    return Section((*blocks, a, Break(), b), False, header)


def seed_to_split_schedule(seed: Seed) -> list:
    """The schedule with no header row, dated by month and day under each 年度 label, cut inside
    令和3年度 (the year cell runs on empty)."""
    data = seed_to_schedule(seed)
    rows: list[list[Cell | None]] = []
    for i, r in enumerate(data):
        row: list[Cell | None] = []
        if r.fy_label:
            span = 1
            while i + span < len(data) and not data[i + span].fy_label:
                span += 1
            row.append(cell(r.fy_label, rowspan=span))
        else:
            row.append(None)
        row += [cell(era_short_to_month_day(r.date_text)), cell(list(r.event))]
        rows.append(row)
    grid = Grid(tuple(tuple(r) for r in rows), (24.0, 30.0, 124.0), 0)
    cut = next(i for i, r in enumerate(data) if r.date_text.replace(" ", "").startswith("R3.10"))
    a, b = grid_to_parts(grid, [cut], [False])
    first = seed.parts["schedule"][0]
    return [Para(text_to_clean(seed.line(first)), "title"), a, Break(), b]


# ---------------------------------------------------------------- V3: plain

def packet_to_plain(seed: Seed) -> tuple[list[Section], Theme]:
    """V3: browser, serif font, all portrait, other numbering, other table shapes."""
    cover = seed_to_cover(seed)
    theme = Theme(font="Noto Serif CJK JP", size_pt=10.5, margin_mm=20.0, title_pt=15.0, line_height=1.5)
    width = 170.0
    sections: list[Section] = []
    kanji = "一二三四五六七八九十"
    title = seed_to_cover_title(seed).replace(" 次第", "")
    blocks: list = [Para(f"{seed.line(seed.parts['seating'][0]).split('「')[0]}\n{title}", "title"),
                    Para("次　　第", "title"),
                    Para(cover.date, "right"), Para("午後3時から午後4時30分まで", "right"),
                    Para(cover.venue, "right"), Para("")]
    for i, step in enumerate(cover.program):
        blocks.append(Para(f"{kanji[i]}、{step}"))
        if step == "議事":
            blocks += [Para(f"{chr(0x2474 + k)} {t}", indent=2.0) for k, t in enumerate(cover.agenda)]
    blocks += [Para(""), Para("【配付資料】", "heading")]
    mats = [(cell("資料番号", header=True), cell("資料名", header=True))]
    mats += [(cell(label), cell(t)) for label, t in cover.materials]
    blocks.append(Grid(tuple(mats), (30.0, 140.0), 1))
    sections.append(Section(tuple(blocks)))

    rows: list[tuple[Cell | None, ...]] = [(cell("区分", header=True), cell("職名", header=True),
                                             cell("氏名", header=True))]
    for side in seed_to_sides(seed):
        for k, (post, name) in enumerate(side.people):
            who = name
            if post == DEFAULT_PROXY_POST:
                who = f"{name}\n（代理）{DEFAULT_PROXY_NAME}"
            rows.append((cell(f"{side.name}\n（{side.count}名）", rowspan=len(side.people)) if k == 0 else None,
                         cell(post_to_spread(post)), cell(who)))
    sections.append(Section((Para("「ワンチームとやま」連携推進本部会議　出席者", "title"),
                             Grid(tuple(rows), (30.0, 75.0, 50.0), 1))))
    sections.append(Section(tuple(seed_to_seating_blocks(seed))))

    items = seed_to_wg_items(seed)
    head_cells = seed.cells(seed.parts["wg"][0] + 2)
    head = (cell("連携推進項目", header=True), cell("提案市町村", header=True),
            *(cell(h, header=True) for h in head_cells[1:-1]), cell("開催実績", header=True))
    wg = Grid((head, *(tuple(r) for r in wg_items_to_rows(items, proposers_col=True, fy_prefix=False, group_lines=True,
                                                 digits=slash_dates_to_kanji))),
              (34.0, 20.0, 38.0, 20.0, 58.0), 1)
    sections.append(Section((Para("資料1", "boxed"), Para(text_to_clean(seed.line(seed.parts["wg"][0])), "title"),
                             wg)))

    widths = (34.0, 68.0, 68.0)
    for part in ("wildlife", "wildlife_slide", "zero_carbon", "zero_carbon_slide"):
        if "slide" in part:
            sections.append(part_to_section(seed, part, landscape=False, width=width))
        else:
            sections.append(item_part_to_section(seed, part, landscape=False, widths=widths))
    sections.append(seed_to_plain_disaster(seed, widths))
    for part in ("disaster_slide1", "disaster_slide2", "disaster_slide3"):
        sections.append(part_to_section(seed, part, landscape=False, width=width))
    sections.append(seed_to_plain_digital(seed, widths))
    for part in ("digital_slide1", "digital_slide2", "digital_slide3", "material2"):
        sections.append(part_to_section(seed, part, landscape=False, width=width, label_box=part == "material2"))
    sections.append(part_to_section(seed, "export", landscape=False, width=width, title_style="heading"))
    sections.append(Section((Para("資料3", "boxed"), *seed_to_plain_schedule(seed))))
    for part in ("vaccine1", "vaccine2", "vaccine3", "reference", "notice1", "notice2", "ref_material1",
                 "ref_material2", "ref_material2_fig"):
        sections.append(part_to_section(seed, part, landscape=False, width=width,
                                        title_style="right" if part == "ref_material2" else "title",
                                        label_box=part in ("vaccine1", "ref_material1", "ref_material2")))
    return sections, theme


def post_to_spread(post: str) -> str:
    """Short posts spread over four characters' width, as 均等割付 prints them (知　　事, 副　知　事)."""
    if len(post) == 2:
        return post[0] + "\u3000\u3000" + post[1]
    if len(post) == 3:
        return "\u3000".join(post)
    return post


def slash_dates_to_kanji(text: str) -> str:
    """``4/19、9/7`` → ``4月19日、9月7日``, as other offices write WG dates."""
    return re.sub(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])", r"\1月\2日", text)


#: V3 marks this attendee as represented by a proxy (the one deliberate change of content).
DEFAULT_PROXY_POST = "教育長"
DEFAULT_PROXY_NAME = "教育次長"


def seed_to_plain_disaster(seed: Seed, widths: tuple[float, float, float]) -> Section:
    """The disaster item's four results tables as one, each section a row across the table."""
    tables = []
    for part in ("disaster", "disaster_waste", "disaster_snow"):
        first, last, _ = seed.parts[part]
        for start, t in seed_to_results_tables(seed, first, last):
            section = next(text_to_clean(seed.line(n)) for n in range(start - 1, first - 1, -1)
                           if seed.line(n).startswith("【"))
            tables.append((section, t))
    header = tables[0][1].header
    rows: list[tuple[Cell | None, ...]] = [tuple(cell(h, header=True) for h in header)]
    for section, t in tables:
        rows.append((cell(section, colspan=3), None, None))
        rows += results_to_grid(t, widths).rows[1:]
    first, _, _ = seed.parts["disaster"]
    head = [n for n in range(first, first + 7) if seed.line(n).strip() and not seed.line(n).startswith("【")]
    blocks = [Para(text_to_clean(seed.line(head[0])), "heading")] + [Para(text_to_clean(seed.line(n)))
                                                                       for n in head[1:]]
    return Section((*blocks, Grid(tuple(rows), widths, 1)))


def seed_to_plain_digital(seed: Seed, widths: tuple[float, float, float]) -> Section:
    """The digital item's results as one table (the browser breaks it, repeating the header)."""
    first, last, _ = seed.parts["digital"]
    tables = seed_to_results_tables(seed, first, last)
    whole = ResultsTable(tables[0][1].header, tuple(r for _, t in tables for r in t.rows))
    head_lines = [n for n in range(first, tables[0][0]) if seed.line(n).strip()]
    blocks = [Para(text_to_clean(seed.line(head_lines[0])), "heading")]
    blocks += [Para(text_to_clean(seed.line(n))) for n in head_lines[1:]]
    return Section((*blocks, results_to_grid(whole, widths)))


def seed_to_plain_schedule(seed: Seed) -> list:
    """The schedule as 時期 | 内容 with each fiscal year a row across the table."""
    rows: list[tuple[Cell | None, ...]] = [(cell("時期", header=True), cell("内容", header=True))]
    for r in seed_to_schedule(seed):
        if r.fy_label:
            rows.append((cell(f"【{r.fy_label}】", colspan=2), None))
        rows.append((cell(r.date_text), cell(list(r.event))))
    first = seed.parts["schedule"][0]
    return [Para(text_to_clean(seed.line(first)), "title"), Grid(tuple(rows), (34.0, 136.0), 1)]


# ---------------------------------------------------------------- main

def packet_to_narrow(seed: Seed) -> tuple[list[Section], Theme]:
    """V4: the office rendition with a WG dates column too narrow for a line of dates, in
    ASCII digits: LibreOffice breaks a date inside its number (4/2 | 7) where the cell ends."""
    return packet_to_office(seed, wg_widths=(70.0, 70.0, 36.0, 19.0), wg_digits=str)


#: A month/day date in running text (8/19), not inside a longer number.
_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")
_HTML_TEXT = re.compile(r">([^<]+)<")


def html_to_glyph_variants(source: str) -> str:
    """V5's text layer: what some PDF makers put in for plain characters.

    In the text between tags (never CSS or attributes): month/day dates in full-width
    digits around a DIVISION SLASH (８∕１９, U+2215), and every katakana middle dot as a
    HYPHENATION POINT (‧, U+2027), in posts (総務部長‧局長) and titles alike.
    """
    def text(m: re.Match) -> str:
        t = _SLASH_DATE.sub(lambda d: f"{text_to_fullwidth_digits(d.group(1))}\u2215"
                                      f"{text_to_fullwidth_digits(d.group(2))}", m.group(1))
        return ">" + t.replace("・", "\u2027") + "<"

    return _HTML_TEXT.sub(text, source)


DEFAULT_VARIANTS: dict[str, tuple[str, Callable[[Seed], tuple[list[Section], Theme]], str]] = {
    "office": ("r3_variant_office", packet_to_office, "libreoffice"),
    "split": ("r3_variant_split", packet_to_split, "chromium"),
    "plain": ("r3_variant_plain", packet_to_plain, "chromium"),
    "narrow": ("r3_variant_narrow", packet_to_narrow, "libreoffice"),
    "glyph": ("r3_variant_glyph", packet_to_split, "chromium"),
}
#: Variants whose source text is rewritten after it is generated (before rendering).
DEFAULT_SOURCE_FILTERS: dict[str, Callable[[str], str]] = {"glyph": html_to_glyph_variants}


# ---------------------------------------------------------------- V6: browser (any seed)

def packet_to_browser(seed: Seed) -> tuple[list[Section], Theme]:
    """A browser rendition that reads any seed by its parts and plan: proportional gothic, page
    numbers and 資料N running headers, the attendee lists as two tables side by side (a note such as
    a proxy under the name), the WG table cut before its last item with no header on the next page,
    every other part portrait as the dump reads (a ``wide`` part landscape)."""
    cover = seed_to_cover(seed)
    theme = Theme(font="BIZ UDPGothic", size_pt=10.0, margin_mm=16.0, page_numbers=True, title_pt=13.0,
                  cell_padding_pt=2.0, line_height=1.35)
    width = 178.0
    hdr = seed.part_material.get
    blocks: list = [Para(seed_to_cover_title(seed), "title"), Para(f"日時：{cover.date} {cover.time}", indent=16.0),
                    Para(f"場所：{cover.venue}", indent=16.0), Para("")]
    for i, step in enumerate(cover.program, 1):
        blocks.append(Para(f"{i}. {step}"))
        if step == "議事":
            blocks += [Para(f"({k}) {t}", indent=1.5) for k, t in enumerate(cover.agenda, 1)]
    blocks += [Para(""), Para("配付資料", "heading")]
    blocks += [Para(f"{label}　{title}", indent=1.0) for label, title in cover.materials]
    sections = [Section(tuple(blocks))]

    cols = []
    for k, side in enumerate(seed_to_sides(seed), 1):
        notes = side.notes or ("",) * len(side.people)
        grid = Grid(tuple((cell(post), cell([name, note] if note else name))
                          for (post, name), note in zip(side.people, notes)), (48.0, 34.0), 0)
        cols.append((Para(f"{k}. {side.name}（{side.count}名）", "heading"), grid))
    sections.append(Section((Para("「ワンチームとやま」連携推進本部会議出席者", "title"), Columns(tuple(cols)))))
    sections.append(Section(tuple(seed_to_seating_blocks(seed))))

    items = seed_to_wg_items(seed)
    head = tuple(cell(h, header=True) for h in seed.cells(seed.parts["wg"][0] + 2))
    body = wg_items_to_rows(items, proposers_col=False, fy_prefix=False, group_lines=True)
    wg = Grid((head, *(tuple(r) for r in body)), (40.0, 42.0, 22.0, 74.0), 1)
    first_part, second = grid_to_parts(wg, [len(body) - len(items[-1].subs)], [False])
    sections.append(Section((Para(text_to_clean(seed.line(seed.parts["wg"][0])), "title"), first_part, Break(),
                             second), False, hdr("wg")))

    for part, kind in seed.plan:
        if kind == "item":
            sections.append(item_part_to_section(seed, part, landscape=False, widths=(36.0, 72.0, 70.0),
                                                 header=hdr(part)))
        else:
            wide = kind == "wide"
            sections.append(part_to_section(seed, part, landscape=wide, width=265.0 if wide else width,
                                            header=hdr(part), title_style=DEFAULT_KIND_TITLE_STYLE.get(kind, "title")))
    return sections, theme


# ---------------------------------------------------------------- the 2023-01-19 packet

DEFAULT_R4_SEED = DEFAULT_ROOT.parent / "shared" / "seeds" / "r4_2023-01-19.txt"
#: The 2023-01-19 packet's parts as line ranges of its seed (see DEFAULT_PARTS).
DEFAULT_R4_PARTS = {
    "cover": (3, 38, "令和4年度第4回「ワンチームとやま」"),
    "attendees": (40, 82, "「ワンチームとやま」連携推進本部会議出席者"),
    "seating": (84, 87, "令和4年度第4回"),
    "wg": (91, 96, "「ワンチームとやま」連携推進本部 令和4年度連携推進3項目の開催状況等について"),
    "zero_carbon": (98, 118, "連携事項名 ゼロカーボン"),
    "zero_carbon_slide": (120, 142, "令和4年度連携項目の主な取り組み実績と成果について"),
    "digital": (144, 172, "連携事項名 自治体行政のデジタル化"),
    "digital_slide1": (174, 189, "連携項目名(施策)"),
    "digital_slide2": (191, 210, "連携項目名(施策)"),
    "digital_slide3": (212, 228, "連携項目名(施策) ICT"),
    "digital_slide4": (230, 245, "連携項目名(施策) 電子契約"),
    "export": (247, 266, "連携事項名 農林水産物"),
    "export_slide": (268, 311, "令和4年度連携項目の主な取り組み実績と成果について"),
    "material2": (313, 328, "令和5年度「ワンチームとやま」連携推進本部会議における協議事項について"),
    "children": (330, 362, "連携事項名 こども"),
    "tourism": (364, 399, "連携事項名 観光"),
    "schedule": (401, 420, "「ワンチームとやま」連携推進本部 年間スケジュール"),
    "ref_material1": (422, 500, "富山県成長戦略における主な取組み状況について"),
    "ref_material1_fig": (502, 733, "成長戦略における主な取組み状況について"),
    "ref_material2": (735, 775, "令和5年1月19日"),
    "ref_material2_fig": (777, 807, "都市経営プロフェッショナルスクールコーチプロフィール"),
    "vaccine1": (809, 838, "新型コロナワクチンの接種状況等について①"),
    "vaccine2": (840, 845, "新型コロナワクチンの接種状況等について②"),
}
DEFAULT_R4_PART_MATERIAL = {
    **{k: "資料1" for k in ("wg", "zero_carbon", "zero_carbon_slide", "digital", "digital_slide1", "digital_slide2",
                            "digital_slide3", "digital_slide4", "export", "export_slide")},
    "material2": "資料2", "children": "資料2", "tourism": "資料2", "schedule": "資料3",
    "ref_material1": "参考資料1", "ref_material1_fig": "参考資料1", "ref_material2": "参考資料2",
    "ref_material2_fig": "参考資料2", "vaccine1": "参考資料3", "vaccine2": "参考資料3",
}
DEFAULT_R4_PLAN = (
    ("zero_carbon", "item"), ("zero_carbon_slide", "slide"), ("digital", "item"), ("digital_slide1", "slide"),
    ("digital_slide2", "slide"), ("digital_slide3", "slide"), ("digital_slide4", "slide"), ("export", "item"),
    ("export_slide", "slide"), ("material2", "page"), ("children", "proposal"), ("tourism", "proposal"),
    ("schedule", "schedule"), ("ref_material1", "page"), ("ref_material1_fig", "page"), ("ref_material2", "dated"),
    ("ref_material2_fig", "page"), ("vaccine1", "wide"), ("vaccine2", "page"),
)
DEFAULT_R4_VARIANTS: dict[str, tuple[str, Callable[[Seed], tuple[list[Section], Theme]], str]] = {
    "office": ("r4_variant_office", packet_to_office, "libreoffice"),
    "narrow": ("r4_variant_narrow", packet_to_narrow, "libreoffice"),
    "glyph": ("r4_variant_glyph", packet_to_browser, "chromium"),
}


@dataclass(frozen=True)
class Packet:
    """A seed, how to read it (parts, materials, plan) and the variants made of it."""

    seed: Path
    parts: dict
    part_material: dict
    plan: tuple
    variants: dict


DEFAULT_PACKETS = {
    "r3": Packet(DEFAULT_SEED, DEFAULT_PARTS, DEFAULT_PART_MATERIAL, DEFAULT_PLAN, DEFAULT_VARIANTS),
    "r4": Packet(DEFAULT_R4_SEED, DEFAULT_R4_PARTS, DEFAULT_R4_PART_MATERIAL, DEFAULT_R4_PLAN, DEFAULT_R4_VARIANTS),
}


def packet_to_seed(packet: Packet, path: Path | None = None) -> Seed:
    """The packet's seed (from ``path`` when given), checked against its parts."""
    text = (path or packet.seed).read_text(encoding="utf-8")
    return text_to_seed(text, packet.parts, packet.part_material, packet.plan)


def build_variant(seed: Seed, name: str, out_dir: Path, keep_source: bool = False,
                  variants: dict | None = None) -> Path:
    """Render one variant (of ``variants``, DEFAULT_VARIANTS unless given) to ``out_dir/<stem>.pdf``."""
    stem, builder, engine = (variants or DEFAULT_VARIANTS)[name]
    sections, theme = builder(seed)
    pdf = out_dir / f"{stem}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        if engine == "libreoffice":
            source = Path(tmp, f"{stem}.fodt")
            source.write_text(sections_to_fodt(sections, theme), encoding="utf-8")
            fodt_to_pdf(source, pdf)
        else:
            source = Path(tmp, f"{stem}.html")
            text = sections_to_html(sections, theme)
            source.write_text(DEFAULT_SOURCE_FILTERS.get(name, lambda t: t)(text), encoding="utf-8")
            html_to_pdf(source, pdf)
        if keep_source:
            shutil.copy(source, out_dir / source.name)
    return pdf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packet", choices=sorted(DEFAULT_PACKETS), action="append",
                    help="which packet's variants (default: all)")
    ap.add_argument("--seed", type=Path, help="another copy of the packet's seed (with one --packet)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    ap.add_argument("--only", choices=sorted({v for p in DEFAULT_PACKETS.values() for v in p.variants}),
                    action="append", help="only these variants (of each packet that has them)")
    ap.add_argument("--keep-source", action="store_true", help="also write the HTML / FODT next to the PDFs")
    a = ap.parse_args(argv)
    packets = a.packet or list(DEFAULT_PACKETS)
    if a.seed and len(packets) != 1:
        ap.error("--seed needs exactly one --packet")
    a.out.mkdir(parents=True, exist_ok=True)
    for key in packets:
        packet = DEFAULT_PACKETS[key]
        seed = packet_to_seed(packet, a.seed)
        for name in [v for v in (a.only or packet.variants) if v in packet.variants]:
            pdf = build_variant(seed, name, a.out, a.keep_source, packet.variants)
            print(f"{pdf}  {pdf.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
