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

from pipeline.ir import BBox, Table
from pipeline.parse_items_columns import Header, column_holds_status, table_to_header
from pipeline.parse_items_stream import text_to_fiscal_year
from pipeline.parse_items_text import (
    cell_to_text, department_cell_to_names, municipality_cell_to_names, split_trailing_paren, text_to_names,
)
from pipeline.profile import Profile, default_profile

_BLOCK_HEADING = re.compile(r"^連\s*携\s*事\s*項\s*名\s*[:：]?\s*(.*)$")
#: A bracketed status, e.g. (連携推進項目での協議を終了), (令和4年度協議継続), （R4年度新規項目）.
_STATUS_WORDS = re.compile(r"終了|継続|新規")
_STATUS_LINE = re.compile(r"^[（(]([^（()）]*)[)）]$")
_LIST_HEADING = re.compile(r"^【([^】]*年\s*度)\s*の?\s*連携推進項目\s*】")
_LIST_ENTRY = re.compile(r"^(?:[○●◎■□◆◇・]\s*)?(?:[(（]?\d{1,2}[)）]?|[①-⑳])\s+(\S.*)$")
#: ... and as a scan reads it: the number run into the title (3農林水産物…), its 1 read as a
#: bar or a bracket (] ゼロカーボン…), specks before it read as letters or dashes (w 3農林…,
#: e. 3.農林…, -3農林…, -e 3農林…); only with a status in brackets at its end.
_LIST_ENTRY_OCR = re.compile(r"^(?:[-‐－―~_*@'`.,]+\s*|[A-Za-z][.,]?\s+)*(?:(?:[(（]?\d{1,2}[)）]?|[①-⑳])(?=[^\d\s.．,、])"
                             r"|(?<=\s)\d{1,2}[.．](?=[^\d\s.．,、])|[\]|｜lI]\s+)(\S.*)$")
_LIST_PROPOSERS = re.compile(r"^[（(]\s*提案市町村\s*[:：]?\s*(.*?)\s*[)）]?$")
_LIST_STOP = re.compile(r"個別課題|^【|^\d{1,2}\s*[.．]\s*\S")
_REASON_LABEL = re.compile(r"^[・○●]?\s*選\s*定\s*理\s*由\s*[:：]\s*(.*)$")
_REASON_HEADING = re.compile(r"^[<＜〈《]\s*理\s*由\s*[>＞〉》]$")
_HANDLING = re.compile(r"連携推進項目としての(.*?年\s*度)の取り?扱い")
_MATERIAL_LABEL = re.compile(r"^(?:参考)?資料\s*\d+$")
_DETAIL_NOTE = re.compile(r"^\[?詳細.*ページ\]?(?:\(#\))?$")
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
    departments: list[str] = field(default_factory=list)
    box: tuple[int, BBox] | None = None  # the title cell or line, for provenance


@dataclass(frozen=True)
class ListLayout:
    """Which columns of a list table hold what.

    A list marks its years either in one column per year (R4 | R5 (案)) or, for the
    one year its heading names, in a status column (区分: 新規 / 継続) or not at all.
    """

    title_col: int
    year_cols: dict[int, int]  # column → fiscal year
    note_col: int | None
    status_col: int | None = None
    proposers_col: int | None = None
    dept_col: int | None = None
    reason_col: int | None = None
    header_rows: int = 1
    extra: tuple[str, ...] = ()
    status_fy: int | None = None  # the year a status column's header names (令和7年度の方向性), if another


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


def text_to_item_heading(text: str, profile: Profile | None = None) -> tuple[str, list[str]] | None:
    """An item heading of the profile's ``[outline] item_heading`` forms → (title, statuses).

    ``【継続】１　title`` → (title, ['継続']); ``■ title（新規）`` → (title, ['新規']);
    ``２．title（令和6年度で終了）`` → (title, ['令和6年度で終了']).
    """
    pattern = (profile or default_profile()).get("outline", "item_heading")
    if not pattern:
        return None
    m = re.match(pattern, text.strip())
    if not m or not m.group("title"):
        return None
    title, statuses = m.group("title").strip(), []
    status = m.groupdict().get("status")
    if status:
        statuses.append(status)
    while True:
        rest, paren = split_trailing_paren(title)
        if paren is None or not _STATUS_WORDS.search(paren):
            break
        title, statuses = rest, [*statuses, paren]
    return (title, statuses) if title else None


def text_to_marked_title(text: str, profile: Profile | None = None) -> str | None:
    """The title of a line marked like a heading (■ title, 1. title) with no status, or None.

    Such a line opens an item only where its title is an item the document names
    elsewhere, or the item's fields follow it: the caller decides.
    """
    pattern = (profile or default_profile()).get("items", "marked_heading")
    m = re.match(pattern, text.strip()) if pattern else None
    return m.group("title").strip() if m else None


def text_to_slide_title(text: str, profile: Profile | None = None) -> str | None:
    """The item title of a slide's title (…主な成果（title）), by the profile's ``item_slide``."""
    pattern = (profile or default_profile()).get("outline", "item_slide")
    m = re.search(pattern, text) if pattern else None
    return m.group("title").strip() if m else None


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


def status_to_fiscal_year(status: str, profile: Profile | None = None) -> int | None:
    """The year a status is about (令和4年度協議継続 → 2022; 令和6年度で終了 → 2025).

    A year the status counts from (R3年度からの継続) is not the year it is about; a
    year it ends with (令和6年度で終了: the profile's ``status_last_year``) is the last
    year of the item, so the change (終了) is the next year's.
    """
    if "から" in status:
        return None
    year = text_to_fiscal_year(status)
    last = (profile or default_profile()).get("items", "status_last_year")
    if year is not None and last and re.search(last, status):
        return year + 1
    return year


def text_to_kv(text: str, profile: Profile | None = None) -> tuple[str, str] | None:
    """``提案市町村: 富山市`` → ('proposers', '富山市'); also targets and departments."""
    kvs = text_to_kvs(text, profile)
    return kvs[0] if kvs else None


_KV_SEPARATORS = " 　／/|｜,，、"


def _label_pattern(profile: Profile) -> tuple[re.Pattern, dict[str, str]] | None:
    fields = {}
    for key, name in (("proposer_labels", "proposers"), ("target_labels", "targets"),
                      ("department_labels", "departments"), ("status_labels", "status")):
        for w in profile.words("items", key):
            fields[w] = name
    if not fields:
        return None
    alts = "|".join(r"\s*".join(re.escape(ch) for ch in w) for w in sorted(fields, key=len, reverse=True))
    return re.compile(f"(?:{alts})"), fields


def text_to_kvs(text: str, profile: Profile | None = None) -> list[tuple[str, str]]:
    """Every ``label：value`` of a line of an item's fields, in order.

    ``提案団体：港南市、北川町　担当課：交通政策課`` → [('proposers', '港南市、北川町'),
    ('departments', '交通政策課')]. The first label opens the line (after a bullet) and
    may stand before its value with only a space, as a ruled label | value table prints
    it; a later one needs a colon. A ``status`` label (区分：新規) gives ('status', …).
    """
    found = _label_pattern(profile or default_profile())
    if found is None:
        return []
    pat, fields = found
    text = text.strip()
    head = re.match(r"^[・○●■◆□◇]?\s*", text)
    pos = head.end()
    m = pat.match(text, pos)
    if not m:
        return []
    after = text[m.end():]
    colon = re.match(r"\s*[:：]\s*", after)
    if not colon and not re.match(r"\s+\S", after):
        return []
    if not colon and fields[re.sub(r"\s+", "", m.group(0))] == "status":
        return []  # 区分 without a colon is a word of the text, not a label
    starts = [(m.start(), m.end(), fields[re.sub(r"\s+", "", m.group(0))])]
    for m2 in pat.finditer(text, m.end()):
        before, after = text[m2.start() - 1:m2.start()], text[m2.end():]
        # a later label: after a separator and before a colon; in a ruled label | value row
        # (提案団体 青嶺市 担当課 移住定住推進課) a space on both sides will do
        if before in _KV_SEPARATORS and (re.match(r"\s*[:：]", after) or (not colon and re.match(r"\s+\S", after))):
            starts.append((m2.start(), m2.end(), fields[re.sub(r"\s+", "", m2.group(0))]))
    out = []
    for k, (a, b, name) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        value = re.sub(r"^\s*[:：]\s*", "", text[b:end]).strip(_KV_SEPARATORS + ":：")
        out.append((name, value))
    return out


#: A results heading is short unless it names the plans too (…取組結果と今後の方向性).
DEFAULT_RESULTS_HEADING_CHARS = 14


def text_to_results_heading(text: str, profile: Profile | None = None) -> tuple[bool, int | None]:
    """(is it a results heading — ``◎ R3年度の取り組み結果と今後の方向性``, ``■取組結果`` —, the year it names)."""
    words = (profile or default_profile()).words("items", "results_headings")
    key = re.sub(r"取り?組み?(?:の)?", "取組", re.sub(r"\s+", "", text))
    if not any(w in key for w in words):
        return False, None
    if "方向性" not in key and len(key) > DEFAULT_RESULTS_HEADING_CHARS:
        return False, None
    return True, text_to_fiscal_year(text)


def text_to_variant_title(text: str, profile: Profile | None = None) -> str | None:
    """The item title in ``…主な取り組み実績と成果について (title)``, or None."""
    return text_to_slide_title(text, profile)


def text_to_list_heading(text: str, profile: Profile | None = None) -> int | None:
    """The fiscal year of a ``【R4年度の連携推進項目】`` heading (the profile's ``list_heading``), or None."""
    pattern = (profile or default_profile()).get("items", "list_heading")
    m = re.match(pattern, text) if pattern else _LIST_HEADING.match(text)
    return text_to_fiscal_year(m.group(1)) if m else None


def text_to_list_entry(text: str) -> tuple[str, str | None] | None:
    """``1 title（R3年度からの継続）`` → (title, status); None for other lines.

    A scan's entry whose number is run into its title or misread (_LIST_ENTRY_OCR) is one
    only when it ends with its status: a line of text may start with a number too.
    """
    m = _LIST_ENTRY.match(text)
    if not m:
        m = _LIST_ENTRY_OCR.match(text)
        title, paren = split_trailing_paren(m.group(1)) if m else (None, None)
        return (title, paren) if paren is not None and _STATUS_WORDS.search(paren) else None
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


def table_to_list_layout(table: Table, profile: Profile | None = None, header: Header | None = None,
                         *, in_item: bool = False) -> ListLayout | None:
    """The column roles of a list of items (title | R4 | R5 (案) | 備考, or 連携テーマ | 区分 |
    提案団体 | 担当部局), or None.

    A list has a title column and marks its items' years (year columns) or says more of
    them (a status, proposers, departments). A bare 項目 / テーマ header names the item
    only outside an item's own pages.
    """
    profile = profile or default_profile()
    header = header or table_to_header(table, profile)
    if header is None or not table.rows or len(table.rows[0]) < 2:
        return None
    title = header.col("item")
    if title is None and not in_item:
        title = next((c for c in header.cols("topic")
                      if re.sub(r"\s+", "", header.texts[c]) in profile.words("items", "generic_item_columns")), None)
    years = dict(header.years)
    if title is None and years and 0 not in years and _years_hold_marks(table, header, years):
        title = 0  # the series' list: its first column (区分) holds the titles
    if title is None:
        return None
    status = header.col("status")
    if status is not None and not column_holds_status(table, status, header, profile):
        status = None
    status_fy = None
    if status is None:
        # 令和7年度の方向性 holding 継続 / 終了: a status of the year its header names
        status = next((c for c in header.cols("plans") if column_holds_status(table, c, header, profile)), None)
        status_fy = text_to_fiscal_year(header.texts[status]) if status is not None else None
    if not years and status is None and not header.has("proposers", "departments"):
        return None
    if years and 0 in years:
        return None
    note, reason = header.col("note"), header.col("reason")
    if years:  # the series' 備考 column, right of the year columns
        note = next((i for i, h in enumerate(header.texts) if i not in years and i > 0 and _NOTE_HEADER.search(h)),
                    None)
        reason = None
    used = {title, status, note, reason, header.col("proposers"), header.col("departments"), header.col("number"),
            *years}
    extra = tuple(t for i, t in enumerate(header.texts) if t and i not in used)
    return ListLayout(title, years, note, status, header.col("proposers"), header.col("departments"), reason,
                      header.rows, extra, status_fy)


#: What a year column of a list marks an item with: ○, ○継続, —, or nothing.
_YEAR_MARK = re.compile(r"^(?:[○◯〇●×\-－―—ー]|継続|新規|終了|$)")


def _years_hold_marks(table: Table, header: Header, years: dict[int, int]) -> bool:
    """Whether year columns mark items (○ / —) rather than hold figures (a table of figures by year)."""
    cells = [cell_to_text(r[c]) for r in table.rows[header.rows:] for c in years if c < len(r) and r[c] is not None]
    return bool(cells) and all(_YEAR_MARK.match(c) for c in cells)


def list_table_to_entries(table: Table, layout: ListLayout, page: int, has_header: bool,
                          fiscal_year: int | None = None) -> list[ListEntry]:
    """The items of a list table with their mark in each year's column.

    A year is recorded from the first year the item is marked on: a blank before
    it means the item did not exist yet, a blank or dash after it that it ended. A
    list without year columns lists the items of ``fiscal_year`` (its heading's), each
    with the change its status column prints.
    """
    out = []
    first = layout.header_rows if has_header else 0
    for r, row in enumerate(table.rows[first:], first):
        cell = lambda i: row[i] if i is not None and i < len(row) else None  # noqa: E731
        text = cell_to_text(cell(layout.title_col))
        if not text:
            continue
        title, paren = split_trailing_paren(text)
        if paren is not None and _STATUS_WORDS.search(paren) and not layout.year_cols:
            entry = ListEntry(title, page)
            status = paren
        else:
            entry = ListEntry(title, page, proposers=text_to_names(paren))
            status = None
        box = table.cell_bboxes[r][layout.title_col] if r < len(table.cell_bboxes) and \
            layout.title_col < len(table.cell_bboxes[r]) else None
        entry.box = (page, tuple(box)) if box else None
        seen = False
        for col, fy in sorted(layout.year_cols.items(), key=lambda kv: kv[1]):
            mark = cell_to_text(row[col]) if col < len(row) else ""
            selected = bool(_SELECTED_MARK.match(mark))
            seen = seen or selected
            if seen:
                entry.years[fy] = (selected, status_to_change(mark))
        if not layout.year_cols and fiscal_year is not None:
            status = cell_to_text(cell(layout.status_col)) or status
            change = status_to_change(status)
            if layout.status_fy is not None and layout.status_fy != fiscal_year:
                entry.years[fiscal_year] = (True, None)
                if change is not None:
                    entry.years[layout.status_fy] = (change != "終了", change)
            else:
                entry.years[fiscal_year] = (True, change)
        for name in municipality_cell_to_names(cell(layout.proposers_col)):
            if name not in entry.proposers:
                entry.proposers.append(name)
        entry.departments = department_cell_to_names(cell(layout.dept_col))
        if layout.note_col is not None and layout.year_cols and layout.note_col < len(row):
            entry.note = cell_to_text(row[layout.note_col]) or None  # the series' 備考: a reason of last resort
        if layout.reason_col is not None:
            entry.reason = cell_to_text(cell(layout.reason_col)) or None
        out.append(entry)
    return out
