"""Headings and lists that say which items there are and what happens to them.

- ``連携事項名 <title> (status)`` opens an item's page: 提案市町村, 対象市町村 and
  県担当課 lines follow, then (for a running item) its results tables. The status
  in brackets, on the heading or the next line, tells next year's fate:
  ``(連携推進項目での協議を終了)``, ``(令和4年度協議継続)``, ``(継続協議)``.
- ``【R4年度の連携推進項目】`` heads next year's list as numbered lines
  (``1 title（R3年度からの継続）``, ``（提案市町村：…）``, ``・選定理由：…``); a
  later layout prints the list as a table with one column per year (``R4 | R5 (案)``)
  marked ○ / ○継続 / —.
- ``<理由>`` under ``連携推進項目としての令和5年度の取り扱い(案)`` gives the reason.
- ``…主な取り組み実績と成果について (title)`` prints a (possibly shortened) item title.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from pipeline.ir import Table
from pipeline.parse_items_stream import text_to_fiscal_year
from pipeline.parse_items_text import cell_to_text, split_trailing_paren, text_to_names

_BLOCK_HEADING = re.compile(r"^連\s*携\s*事\s*項\s*名\s*[:：]?\s*(.*)$")
#: A bracketed status, e.g. (連携推進項目での協議を終了), (令和4年度協議継続), （R4年度新規項目）.
_STATUS_WORDS = re.compile(r"終了|継続|新規")
_STATUS_LINE = re.compile(r"^[（(]([^（()）]*)[)）]$")
#: ``提案市町村: 富山市``; a ruled label | value table prints no colon, only the cell gap (a space).
_KV = re.compile(r"^[・○●]?\s*(提\s*案\s*市\s*町\s*村|対\s*象\s*市\s*町\s*村|県\s*担\s*当\s*課|担\s*当\s*部\s*局|担\s*当\s*課)"
                 r"(?:\s*[:：]\s*|\s+)(.*)$")
_KV_FIELDS = {"提案市町村": "proposers", "対象市町村": "targets", "県担当課": "departments",
              "担当部局": "departments", "担当課": "departments"}
_RESULTS_HEADING = re.compile(r"取り?組み?(?:の)?結果")
_VARIANT_HEADING = re.compile(r"実績.*成果.*[（(]([^（()）]+)[)）]\s*$")
_LIST_HEADING = re.compile(r"^【([^】]*年\s*度)\s*の?\s*連携推進項目\s*】")
_LIST_ENTRY = re.compile(r"^(?:[(（]?\d{1,2}[)）]?|[①-⑳])\s+(\S.*)$")
_LIST_PROPOSERS = re.compile(r"^[（(]\s*提案市町村\s*[:：]\s*(.*?)\s*[)）]?$")
_LIST_STOP = re.compile(r"個別課題|^【|^\d{1,2}\s*[.．]\s*\S")
_REASON_LABEL = re.compile(r"^[・○●]?\s*選\s*定\s*理\s*由\s*[:：]\s*(.*)$")
_REASON_HEADING = re.compile(r"^[<＜〈《]\s*理\s*由\s*[>＞〉》]$")
_HANDLING = re.compile(r"連携推進項目としての(.*?年\s*度)の取り?扱い")
_MATERIAL_LABEL = re.compile(r"^(?:参考)?資料\s*\d+$")
_DETAIL_NOTE = re.compile(r"^\[?詳細.*ページ\]?(?:\(#\))?$")
#: A list table's year column header is a year and nothing else, but for （案）: R4, R5 (案), 令和5年度.
_PROPOSAL_MARK = re.compile(r"[（(]\s*案\s*[)）]")
_YEAR_LABEL = re.compile(r"^\S{0,3}(?:\d{1,4}|元)(?:年度)?$")
_NOTE_HEADER = re.compile(r"備考|理由|概要|内容")
_SELECTED_MARK = re.compile(r"^[○◯〇●]")


@dataclass
class ListEntry:
    """An item on a list of a year's 連携推進項目 (text or table)."""

    title: str
    page: int
    proposers: list[str] = field(default_factory=list)
    #: fiscal year → (selected, change)
    years: dict[int, tuple[bool, str | None]] = field(default_factory=dict)
    reason: str | None = None
    note: str | None = None  # 備考 of a list table, a reason of last resort


@dataclass(frozen=True)
class ListLayout:
    """Which columns of a list table hold what."""

    title_col: int
    year_cols: dict[int, int]  # column → fiscal year
    note_col: int | None


def text_to_block_heading(text: str) -> tuple[str, list[str]] | None:
    """``連携事項名 title (status)`` → (title, [status]); None for other lines.

    An empty title means the title is printed on the next line.
    """
    m = _BLOCK_HEADING.match(text)
    if not m:
        return None
    title, statuses = m.group(1).strip(), []
    while True:
        rest, paren = split_trailing_paren(title)
        if paren is None or not _STATUS_WORDS.search(paren):
            break
        title, statuses = rest, [paren, *statuses]
    return title, statuses


def text_to_status(text: str) -> str | None:
    """A line that is only a bracketed status → its text; None otherwise."""
    m = _STATUS_LINE.match(text.strip())
    return m.group(1).strip() if m and _STATUS_WORDS.search(m.group(1)) else None


def status_to_change(status: str | None) -> str | None:
    """新規 / 継続 / 終了 as a status text says, or None."""
    if not status:
        return None
    for word in ("終了", "新規", "継続"):
        if word in status:
            return word
    return None


def status_to_fiscal_year(status: str) -> int | None:
    """The year a status names for itself (令和4年度協議継続 → 2022).

    A year the status counts from (R3年度からの継続) is not the year it is about.
    """
    return None if "から" in status else text_to_fiscal_year(status)


def text_to_kv(text: str) -> tuple[str, str] | None:
    """``提案市町村: 富山市`` → ('proposers', '富山市'); also targets and departments."""
    m = _KV.match(text)
    if not m:
        return None
    return _KV_FIELDS[re.sub(r"\s+", "", m.group(1))], m.group(2).strip()


def text_to_results_heading(text: str) -> tuple[bool, int | None]:
    """(is it a ``◎ R3年度の取り組み結果と今後の方向性`` heading, the year it names)."""
    if not _RESULTS_HEADING.search(text) or "方向性" not in text:
        return False, None
    return True, text_to_fiscal_year(text)


def text_to_variant_title(text: str) -> str | None:
    """The item title in ``…主な取り組み実績と成果について (title)``, or None."""
    m = _VARIANT_HEADING.search(text)
    return m.group(1).strip() if m else None


def text_to_list_heading(text: str) -> int | None:
    """The fiscal year of a ``【R4年度の連携推進項目】`` heading, or None."""
    m = _LIST_HEADING.match(text)
    return text_to_fiscal_year(m.group(1)) if m else None


def text_to_list_entry(text: str) -> tuple[str, str | None] | None:
    """``1 title（R3年度からの継続）`` → (title, status); None for other lines."""
    m = _LIST_ENTRY.match(text)
    if not m:
        return None
    title, paren = split_trailing_paren(m.group(1))
    if paren is not None and not _STATUS_WORDS.search(paren):
        return m.group(1).strip(), None
    return title, paren


def text_to_list_proposers(text: str) -> list[str] | None:
    """``（提案市町村：魚津市、南砺市）`` → the names; None for other lines."""
    m = _LIST_PROPOSERS.match(text)
    return text_to_names(m.group(1)) if m else None


def is_list_stop(text: str) -> bool:
    """Whether a line ends a text list of 連携推進項目 (the 個別課題 part, a new section)."""
    return bool(_LIST_STOP.search(text)) or text_to_block_heading(text) is not None


def text_to_reason(text: str) -> str | None:
    """The text after ``・選定理由：``, or None."""
    m = _REASON_LABEL.match(text)
    return m.group(1).strip() if m else None


def is_reason_heading(text: str) -> bool:
    """Whether the line is a ``<理由>`` heading (the reason follows in the lines below)."""
    return bool(_REASON_HEADING.match(text.strip()))


def text_to_handling_year(text: str) -> int | None:
    """The year of ``連携推進項目としての令和5年度の取り扱い(案)``, or None."""
    m = _HANDLING.search(text)
    return text_to_fiscal_year(m.group(1)) if m else None


def is_material_label(text: str) -> bool:
    """A bare ``資料2`` / ``参考資料1`` label: a new material starts."""
    return bool(_MATERIAL_LABEL.match(text.strip()))


def is_detail_note(text: str) -> bool:
    """``詳細次ページ`` (the details follow on the next page): no content."""
    return bool(_DETAIL_NOTE.match(text.strip()))


def _year_header_to_fy(text: str) -> int | None:
    label = _PROPOSAL_MARK.sub("", text).replace(" ", "")
    if not _YEAR_LABEL.match(label):
        return None
    return text_to_fiscal_year(label if label.endswith("年度") else label + "年度")


def table_to_list_layout(table: Table) -> ListLayout | None:
    """The column roles of a list table (title | R4 | R5 (案) | 備考), or None."""
    if not table.rows or len(table.rows[0]) < 2:
        return None
    head = [cell_to_text(c) for c in table.rows[0]]
    years = {i: fy for i, h in enumerate(head) if (fy := _year_header_to_fy(h)) is not None}
    if not years or 0 in years:
        return None
    note = next((i for i, h in enumerate(head) if i not in years and i > 0 and _NOTE_HEADER.search(h)), None)
    return ListLayout(0, years, note)


def list_table_to_entries(table: Table, layout: ListLayout, page: int, has_header: bool) -> list[ListEntry]:
    """The items of a list table with their mark in each year's column.

    A year is recorded from the first year the item is marked on: a blank before
    it means the item did not exist yet, a blank or dash after it that it ended.
    """
    out = []
    for row in (table.rows[1:] if has_header else table.rows):
        text = cell_to_text(row[layout.title_col]) if layout.title_col < len(row) else ""
        if not text:
            continue
        title, paren = split_trailing_paren(text)
        entry = ListEntry(title, page, proposers=text_to_names(paren))
        seen = False
        for col, fy in sorted(layout.year_cols.items(), key=lambda kv: kv[1]):
            mark = cell_to_text(row[col]) if col < len(row) else ""
            selected = bool(_SELECTED_MARK.match(mark))
            seen = seen or selected
            if seen:
                entry.years[fy] = (selected, status_to_change(mark))
        if layout.note_col is not None and layout.note_col < len(row):
            entry.note = cell_to_text(row[layout.note_col]) or None
        out.append(entry)
    return out
