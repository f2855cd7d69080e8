"""Collaboration items (連携推進項目) of a meeting packet and what it reports on them.

``document_to_items`` walks the packet once, front to back (see
parse_items_stream), and reads:

- item tables by what their columns mean (parse_items_columns: the profile's
  ``[items]`` vocabulary, any column order, two-row headers; columns no role
  claims are named in a warning): WG tables (parse_items_wg; a row per item with a
  cell of dates, or a row per meeting with 会議名 / 開催形式) → wg_meetings; lists of
  a year's items (title with year columns, or a 区分 status, 提案団体, 担当部局);
  results tables, per item or one for all items (parse_items_results) → item_results;
- each item's own pages, opened by a heading of the profile's ``[outline]
  item_heading`` forms (連携事項名 …, 【継続】１ …, ■ …（新規）, ２．…（令和6年度で終了）),
  a marked line naming a known item (■ …, （１）…), or a slide's title (…成果（title）);
  under it 提案団体 / 担当課 / 区分 fields (several on a line, or a label | value
  table), WG dates printed as lines, and its results tables; a table under no
  heading takes the item of the outline's item section;
- status words wherever printed (a heading, a 区分 column or field, a bracket):
  新規 is about the year reported on, 継続 / 終了 about the next (令和6年度で終了: the
  item ends after 2024);
- next year's list (numbered lines or a table), the proposal pages after it,
  選定理由 and <理由> texts → next year's item_years.

Every item_years, wg_meetings and item_results row carries the page and box of
the cell or line it came from (pipeline.provenance.boxes_to_columns). A meeting
printed twice (the WG table and a slide) is one row.

Titles are grouped into items within the document with
pipeline.identity.match_item, so a shortened heading is a variant of its item,
not a new one. The function is pure: IR in, rows out; anything it cannot
place is a warning naming the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.identity import match_item
from pipeline.ir import Document, Table
from pipeline.layout import is_page_number, join_pair, tables_line_up
from pipeline.normalize import normalize_text
from pipeline.outline import Outline
from pipeline.parse_items_blocks import (
    ListEntry, ListLayout, is_detail_note, is_list_stop, is_material_label, is_reason_heading,
    list_table_to_entries, status_to_change, status_to_fiscal_year, table_to_list_layout,
    text_to_block_heading, text_to_handling_year, text_to_item_heading, text_to_kv, text_to_kvs, text_to_list_entry,
    text_to_list_heading, text_to_list_proposers, text_to_marked_title, text_to_reason, text_to_results_heading,
    text_to_status, text_to_variant_title,
)
from pipeline.parse_items_columns import table_to_header
from pipeline.profile import Profile, default_profile
from pipeline.provenance import Box, boxes_to_columns, line_to_box
from pipeline.parse_items_results import (
    ResultsLayout, ResultsState, results_table_to_rows, section_text, table_to_results_layout,
)
from pipeline.parse_items_stream import (
    Event, document_to_events, text_to_fiscal_year,
)
from pipeline.parse_items_text import cell_to_text, department_cell_to_names, split_trailing_paren, text_to_names
from pipeline.parse_items_wg import (
    WgEntry, WgLayout, WgSubRow, dates_cell_to_dates, meeting_to_track, subrow_is_track, table_to_wg_layout,
    wg_date_to_row, wg_table_to_entries,
)
from pipeline.registry import register
from pipeline.rows import Context, Meeting, ParseResult

STAGE = "parse_items"

#: A line continues the paragraph above it when the gap between them is under this share of a line's height.
DEFAULT_PARAGRAPH_GAP = 0.75
#: The first line of a reason may sit this many line heights under its <理由> heading.
DEFAULT_REASON_FIRST_GAP = 2.5

_SECTION_LINE = "【"
#: A heading with these words announces the WG table.
_WG_HEADING = ("連携推進", "開催状況")
_EXPECTED = {"results": "取り組み結果", "wg": "WG開催状況"}
#: The words before the first date of a WG line (■WG開催状況 6/3、9/10) fit in this many characters.
DEFAULT_WG_LABEL_CHARS = 25
#: A marked heading (■ title) opens an item when the item's fields follow within this many lines.
DEFAULT_FIELDS_WITHIN = 2


# ---------------------------------------------------------------- what the walk collects

@dataclass
class _Block:
    """A 連携事項名 page: an item as its own page describes it."""

    title: str
    page: int
    statuses: list[str] = field(default_factory=list)
    proposers: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    results_fy: int | None = None  # the year its 取り組み結果 describe; None: a proposal page
    list_fy: int | None = None  # the year of the last list printed before it
    results: ResultsState = field(default_factory=ResultsState)
    reasons: list[tuple[int | None, str, int]] = field(default_factory=list)  # (year, text, page)
    box: Box | None = None  # the heading line or title cell, for provenance
    #: opened by a slide's title or a table of all items, not by a page of the item's own:
    #: it says nothing of the item's years unless it holds results
    soft: bool = False


@dataclass
class _Fact:
    """What one place of the document says about an item in one fiscal year."""

    title: str
    fiscal_year: int
    page: int
    selected: bool | None = None
    change: str | None = None
    proposers: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    reason: str | None = None
    note: str | None = None
    exhaustive: bool = False  # from a list of the year's items: absence from it means not selected
    box: Box | None = None


@dataclass
class _Walk:
    """State of the front-to-back walk and everything it has collected."""

    meeting: Meeting
    res: ParseResult
    titles: list[tuple[str, bool, int]] = field(default_factory=list)  # (title, primary?, page)
    wg_entries: list[tuple[WgEntry, int | None]] = field(default_factory=list)  # (entry, fiscal year)
    blocks: list[_Block] = field(default_factory=list)
    lists: list[tuple[int, list[ListEntry]]] = field(default_factory=list)  # (fiscal year, entries)
    block: _Block | None = None
    in_list: list[ListEntry] | None = None
    reason_target: tuple[object, int | None] | None = None  # (block or entry, year) the next reason is for
    handling_fy: int | None = None
    pending_section: str | None = None
    results_heading_fy: int | None = None
    page_fy: dict[int, int] = field(default_factory=dict)  # page → fiscal year its heading names
    last_table: tuple | None = None  # (kind, table, layout, page, header) of the last item table
    since_table: bool = True
    wg_current: WgEntry | None = None
    consumed: set[int] = field(default_factory=set)
    awaiting_title: _Block | None = None
    skip_to: int = -1  # events up to this index were read as part of a paragraph
    material: str | None = None  # the 資料N label of the material being read
    since_table_before: bool = True  # since_table as it was before the current line
    expect: tuple[str, int] | None = None  # a heading announced this kind of table ('results'/'wg'), on this page
    profile: Profile | None = None
    outline: Outline | None = None
    wg_lines: tuple[int, float] | None = None  # a WG heading over lines of dates: (page, its bottom)
    events: list[Event] = field(default_factory=list)
    all_results: ResultsState = field(default_factory=ResultsState)  # a results table of all items
    title_boxes: dict[str, Box | None] = field(default_factory=dict)

    def warn(self, page: int | None, message: str) -> None:
        self.res.warn(STAGE, page, message)


# ---------------------------------------------------------------- the walk

def document_to_items(doc: Document, meeting: Meeting, profile: Profile | None = None,
                      outline: Outline | None = None) -> ParseResult:
    """Items, item_years, wg_meetings and item_results of one packet.

    Args:
        doc: the document's IR (raw text; normalized here).
        meeting: the meeting the packet is for; its date and fiscal year resolve
            month/day dates and are the fallback year of undated tables.
        profile: the body profile, whose ``[items]`` vocabulary names the columns and
            fields and whose ``[outline]`` item patterns name the headings (default: the
            council-packet profile).
        outline: the document's outline; its item sections name the item of a table
            found under no heading of its own.

    Returns:
        ParseResult with ``items`` ({"key", "title", "variants"}) and rows of
        ``item_years``, ``wg_meetings`` and ``item_results`` (``item_key`` = the
        item's title key), plus warnings for anything that could not be placed.
    """
    walk = _Walk(meeting, ParseResult(), profile=profile or default_profile(), outline=outline)
    events = document_to_events(doc)
    walk.events = events
    for i, ev in enumerate(events):
        if i <= walk.skip_to or (ev.in_table and ev.table_id in walk.consumed):
            continue
        if ev.is_table:
            _on_table(walk, ev)
        elif ev.text and not is_page_number(ev.text):
            _on_line(walk, ev, events, i)
    _expect(walk, None, None)
    _close_block(walk)
    keys = _group_titles(walk)
    _emit(walk, keys)
    return walk.res


def _on_line(walk: _Walk, ev: Event, events: list[Event], i: int) -> None:
    """Hand a text line to the first handler that recognizes it."""
    walk.since_table_before, walk.since_table = walk.since_table, True
    for handler in _LINE_HANDLERS:
        if handler(walk, ev, events, i):
            return


def _line_is_awaited_title(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """The title of a 連携事項名 heading printed alone on its line."""
    block, walk.awaiting_title = walk.awaiting_title, None
    if block is None or block.title:
        return False
    block.title = ev.text
    block.box = _line_box(ev)
    walk.titles.append((ev.text, True, ev.page))
    return True


def _line_is_block_heading(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    if walk.in_list is not None and text_to_list_entry(ev.text) is not None:
        return False  # ■3 title（R4年度新規項目） under a year's list heading: an entry of the list
    heading = text_to_block_heading(ev.text) or text_to_item_heading(ev.text, walk.profile)
    if heading is None:
        return False
    _open_block(walk, heading[0], heading[1], ev.page, _line_box(ev))
    return True


def _line_is_marked_heading(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """``■ title`` / ``1. title`` without a status: an item's heading where the title is an
    item named elsewhere in the document, or the item's fields follow it."""
    title = text_to_marked_title(ev.text, walk.profile)
    if title is None or text_to_kvs(title, walk.profile):
        return False
    known = [(str(n), [t]) for n, (t, primary, _) in enumerate(walk.titles) if primary]
    fields_follow = any(text_to_kvs(e.text, walk.profile) for e in _next_lines(events, i, DEFAULT_FIELDS_WITHIN))
    if match_item([title], known) is None and not fields_follow:
        return False
    _open_block(walk, title, [], ev.page, _line_box(ev))
    return True


def _next_lines(events: list[Event], i: int, n: int) -> list[Event]:
    """The next ``n`` text lines after event ``i`` on its page (lines of a table included)."""
    out = []
    for ev in events[i + 1:]:
        if ev.page != events[i].page or len(out) >= n:
            break
        if not ev.is_table and ev.text:
            out.append(ev)
    return out


def _line_is_block_status(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """``(令和4年度協議継続)`` on the line under a 連携事項名 heading."""
    block = walk.block
    status = text_to_status(ev.text)
    if status is None or block is None or block.results.rows or block.results_fy is not None:
        return False
    block.statuses.append(status)
    return True


def _line_is_list_heading(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    list_fy = text_to_list_heading(ev.text, walk.profile)
    if list_fy is None:
        return False
    _close_block(walk)
    walk.in_list = []
    walk.lists.append((list_fy, walk.in_list))
    return True


def _line_is_list_entry(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """An entry of a text list of next year's items, or its proposers; ends the list at its end."""
    entries, text = walk.in_list, ev.text
    if entries is None:
        return False
    if is_list_stop(text):
        walk.in_list = None
        return False
    entry = text_to_list_entry(text)
    if entry is not None:
        title, status = entry
        fy = walk.lists[-1][0]
        e = ListEntry(title, ev.page, box=_line_box(ev))
        e.years[fy] = (True, status_to_change(status))
        entries.append(e)
        walk.titles.append((title, True, ev.page))
        walk.reason_target = (e, fy)
        return True
    proposers = text_to_list_proposers(text)
    if proposers is not None and entries:
        entries[-1].proposers.extend(p for p in proposers if p not in entries[-1].proposers)
        return True
    return is_detail_note(text)


def _line_is_results_heading(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    is_results, fy = text_to_results_heading(ev.text, walk.profile)
    if not is_results or _is_material_entry(walk, ev.text):
        return False
    walk.results_heading_fy = fy
    walk.pending_section = None
    _expect(walk, "results", ev.page)
    if walk.block is None:
        walk.warn(ev.page, f"取り組み結果 heading with no 連携事項名 above it: {ev.text}")
    elif walk.block.results_fy is None:
        walk.block.results_fy = fy
    return True


def _line_is_block_field(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """提案市町村: / 対象市町村: / 県担当課: (and 区分:) under an item's heading, several on a line."""
    kvs = text_to_kvs(ev.text, walk.profile)
    if not kvs:
        return False
    if len(kvs) == 1:
        value, walk.skip_to = _paragraph(events, i, kvs[0][1])
        kvs = [(kvs[0][0], value)]
    if walk.block is None:
        walk.warn(ev.page, f"{ev.text.split(':')[0].split('：')[0]} line with no 連携事項名 above it: "
                           f"{kvs[0][1][:80]}")
        return True
    for field_, value in kvs:
        if field_ == "status":
            walk.block.statuses.append(value)
            continue
        names = department_cell_to_names(value) if field_ == "departments" else text_to_names(value)
        target = getattr(walk.block, field_)
        target.extend(n for n in names if n not in target)
    return True


def _line_is_reason(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """``・選定理由：…`` (with the lines it wraps onto)."""
    reason = text_to_reason(ev.text)
    if reason is None:
        return False
    body, walk.skip_to = _paragraph(events, i, reason)
    _on_reason(walk, ev, body)
    return True


def _line_is_handling(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """``連携推進項目としての令和5年度の取り扱い(案)``: the year the <理由> below is about."""
    handling = text_to_handling_year(ev.text)
    if handling is None:
        return False
    walk.handling_fy = handling
    return True


def _line_is_reason_heading(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """``<理由>`` and the paragraph under it."""
    if not is_reason_heading(ev.text):
        return False
    body, walk.skip_to = _paragraph(events, i, "", first_gap=DEFAULT_REASON_FIRST_GAP)
    if body:
        _on_reason(walk, ev, body, walk.handling_fy)
    return True


def _line_is_variant_title(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """``…主な取り組み実績と成果について (title)``: a title the item is also printed with.

    A slide of another item than the open one names the item of the tables under it:
    it opens a soft block, which counts only if results follow.
    """
    variant = text_to_variant_title(ev.text, walk.profile)
    if variant is None:
        return False
    walk.titles.append((variant, False, ev.page))
    block = walk.block
    if block is None or match_item([variant], [("b", [block.title])]) is None:
        _open_block(walk, variant, [], ev.page, _line_box(ev), soft=True)
    return True


def _line_is_section(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """``【広域避難関係】`` over the next results table."""
    if not ev.text.startswith(_SECTION_LINE) or walk.block is None:
        return False
    walk.pending_section = section_text(ev.text)
    return True


def _line_is_material_label(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """``資料2``: a new material starts, so no item page runs on.

    The same label again is a running header of the material's pages: it breaks
    nothing (not even a table running on to the page).
    """
    if not is_material_label(ev.text):
        return False
    label = ev.text.replace(" ", "")
    if label == walk.material:
        walk.since_table = walk.since_table_before
        return True
    walk.material = label
    _close_block(walk)
    walk.in_list = None
    return True


def _line_is_wg_line(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """WG meetings printed as text on an item's pages.

    ``■WG開催状況 6月3日(月)、9月10日(火)（オンライン）`` — WG words, then the dates — or a
    WG heading (``【WG開催実績】``) over lines of dates (``第1回 令和6年6月18日（火） オンライン``),
    which run until a line without a date.
    """
    if walk.block is None or ev.line is None or ev.in_table:
        return False  # a table's cells are its own: a 開催日 | テーマ table of a training is no WG
    words = walk.profile.words("items", "wg_line_words")
    fy = walk.block.results_fy or walk.meeting.fiscal_year
    dates, notes, _ = dates_cell_to_dates(ev.text, fy, walk.meeting.held_on, formats=_formats(walk))
    first = _first_date_at(ev.text)
    prefix = ev.text[:first] if first is not None else ev.text
    names_wg = any(w in prefix for w in words) and len(prefix.replace(" ", "")) <= DEFAULT_WG_LABEL_CHARS
    in_run = walk.wg_lines is not None and walk.wg_lines[0] == ev.page
    if names_wg and not dates:
        walk.wg_lines = (ev.page, ev.line.bottom)
        return True
    if not dates or not (names_wg or in_run):
        walk.wg_lines = None
        return False
    raw = ev.text[first:] if names_wg and first is not None else ev.text
    entry = WgEntry(walk.block.title, [], [], ev.page)
    entry.subrows.append(WgSubRow("", raw, ev.page, box=_line_box(ev)))
    walk.wg_entries.append((entry, fy))
    if in_run:
        walk.wg_lines = (ev.page, ev.line.bottom)
    return True


def _first_date_at(text: str) -> int | None:
    """Where the first date of a text starts (a digit followed by / or 月, with its era year)."""
    import regex as re

    m = re.search(r"(?:(?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*年\s*)?\d{1,2}\s*[/月]\s*\d", text)
    return m.start() if m else None


def _formats(walk: _Walk) -> tuple[str, ...]:
    return walk.profile.words("items", "wg_formats") or ("書面", "オンライン", "対面")


def _line_names_a_year(walk: _Walk, ev: Event, events: list[Event], i: int) -> bool:
    """Any other line: the first year a page's heading names dates its WG table."""
    if all(w in ev.text for w in _WG_HEADING):
        _expect(walk, "wg", ev.page)
    year = text_to_fiscal_year(ev.text)
    if year is not None and ev.page not in walk.page_fy:
        walk.page_fy[ev.page] = year
    return True


_LINE_HANDLERS = (
    _line_is_awaited_title, _line_is_block_heading, _line_is_block_status, _line_is_list_heading,
    _line_is_list_entry, _line_is_results_heading, _line_is_block_field, _line_is_reason, _line_is_handling,
    _line_is_reason_heading, _line_is_variant_title, _line_is_wg_line, _line_is_section, _line_is_material_label,
    _line_is_marked_heading, _line_names_a_year,
)


def _expect(walk: _Walk, kind: str | None, page: int | None) -> None:
    """Note that a heading announced a table; warn when the one announced before never came."""
    if walk.expect is not None:
        walk.warn(walk.expect[1], f"{_EXPECTED[walk.expect[0]]} heading with no table under it")
    walk.expect = (kind, page) if kind is not None else None


def _on_reason(walk: _Walk, ev: Event, text: str, fy: int | None = None) -> None:
    if walk.reason_target is None:
        walk.warn(ev.page, f"reason with no item to attach to: {text[:80]}")
        return
    target, target_fy = walk.reason_target
    if isinstance(target, ListEntry):
        target.reason = text
    else:
        target.reasons.append((fy or target_fy, text, ev.page))


def _paragraph(events: list[Event], i: int, head: str, first_gap: float | None = None) -> tuple[str, int]:
    """``head`` with the lines that continue the paragraph of line ``i`` joined to it.

    Returns:
        (the text, the index of the last event read).
    """
    prev, last = events[i], i
    text = head
    for j, ev in enumerate(events[i + 1:], i + 1):
        if ev.page != prev.page or ev.is_table or ev.in_table or ev.line is None or not ev.text:
            break
        height = max(prev.line.bottom - prev.line.top, 1.0)
        gap = ev.line.top - prev.line.bottom
        limit = (first_gap if first_gap is not None and prev is events[i] else DEFAULT_PARAGRAPH_GAP) * height
        if gap > limit or _starts_new_entry(ev.text):
            break
        text = join_pair(text, ev.text)
        prev, last = ev, j
    return text.strip(), last


def _starts_new_entry(text: str) -> bool:
    return (text_to_kv(text) is not None or text_to_block_heading(text) is not None
            or text_to_reason(text) is not None or is_reason_heading(text) or is_list_stop(text)
            or text[:1] in "・●○◎■◆※【")


def _is_material_entry(walk: _Walk, text: str) -> bool:
    """A line of the 配付資料 list (資料2 …取組結果と今後の方向性): it names a material, it heads nothing."""
    import regex as re

    pattern = walk.profile.get("outline", "material_entry")
    return bool(pattern and re.match(pattern, re.sub(r"\s+", "", text)))


def _line_box(ev: Event) -> Box | None:
    return line_to_box(ev.page, ev.line) if ev.line is not None else None


def _open_block(walk: _Walk, title: str, statuses: list[str], page: int, box: Box | None = None,
                soft: bool = False) -> None:
    _close_block(walk)
    walk.in_list = None
    block = _Block(title, page, list(statuses), list_fy=walk.lists[-1][0] if walk.lists else None, box=box,
                   soft=soft)
    walk.block = block
    walk.blocks.append(block)
    walk.results_heading_fy = None
    walk.pending_section = None
    walk.handling_fy = None
    walk.reason_target = (block, None)
    if title and not soft:
        walk.titles.append((title, True, page))
    else:
        walk.awaiting_title = block


def _close_block(walk: _Walk) -> None:
    walk.block = None
    walk.wg_lines = None
    walk.pending_section = None
    walk.results_heading_fy = None


# ---------------------------------------------------------------- tables

def _on_table(walk: _Walk, ev: Event) -> None:
    table = ev.table
    header, kind, layout = _classify(walk, table)
    last = walk.last_table
    cont = (last is not None and not walk.since_table and ev.page in (last[3], last[3] + 1)
            and tables_line_up(last[1], table))
    if cont and kind is not None and not _same_header(header, last[4]):
        kind = None  # a row that only looks like a header: the cut table's body runs on
    has_header = kind is not None
    if kind is None and cont:
        kind, layout, header = last[0], last[2], last[4]
    elif kind is not None and cont and kind == last[0]:
        layout = last[2] if kind == "results" and layout.fiscal_year is None else layout
    else:
        cont = False
    if kind is None:
        if walk.expect is not None and ev.page <= walk.expect[1] + 1 and table.rows:
            head = " | ".join(cell_to_text(c) for c in table.rows[0])
            walk.warn(ev.page, f"table under a {_EXPECTED[walk.expect[0]]} heading with a header not recognized, "
                               f"skipped: {head[:120]}")
            walk.expect = None
        walk.since_table = True
        return
    walk.expect = None
    walk.consumed.add(ev.table_id)
    if has_header and not cont and layout.extra:
        walk.warn(ev.page, f"columns of a {_KIND_NAMES[kind]} table not read: {' | '.join(layout.extra)[:120]}")
    if kind == "wg":
        _on_wg_table(walk, ev, table, layout, has_header, cont)
    elif kind == "results":
        _on_results_table(walk, ev, table, layout, has_header, cont)
    else:
        _on_list_table(walk, ev, table, layout, has_header)
    walk.last_table = (kind, table, layout, ev.page, header)
    walk.since_table = False


_KIND_NAMES = {"wg": "WG開催状況", "results": "取り組み結果", "list": "連携項目一覧"}


def _classify(walk: _Walk, table: Table) -> tuple[object, str | None, object]:
    """(the header, the kind of item table, its layout) — kind None for other tables.

    On an item's own pages a bare テーマ / 項目 column is a topic of the item, not an item.
    """
    header = table_to_header(table, walk.profile)
    if header is None:
        return None, None, None
    in_item = walk.block is not None
    for kind, fn in (("wg", table_to_wg_layout), ("results", table_to_results_layout),
                     ("list", table_to_list_layout)):
        layout = fn(table, walk.profile, header, in_item=in_item)
        if layout is not None:
            return header, kind, layout
    return header, None, None


def _same_header(a, b) -> bool:
    """Whether a table repeats the header of the table it continues (same roles in the same columns)."""
    return a is not None and b is not None and a.roles == b.roles and a.years == b.years


def _on_wg_table(walk: _Walk, ev: Event, table: Table, layout: WgLayout, has_header: bool, cont: bool) -> None:
    fy = walk.wg_entries[-1][1] if cont and walk.wg_entries else walk.page_fy.get(ev.page, walk.meeting.fiscal_year)
    current = walk.wg_current if cont else None
    if layout.title_col is None:
        # one item's meetings on its own pages: every row is that item's
        if current is None:
            if walk.block is None:
                return
            current = WgEntry(walk.block.title, [], [], ev.page)
            walk.wg_entries.append((current, fy))
        _, problems = wg_table_to_entries(table, layout, ev.page, has_header, current)
        entries = []
    else:
        entries, problems = wg_table_to_entries(table, layout, ev.page, has_header, current)
    for p in problems:
        walk.warn(ev.page, p)
    for e in entries:
        walk.wg_entries.append((e, fy))
        walk.titles.append((e.title, True, e.page))
        # the title's own cell: a WG row's dates cell is not where the item is named
        walk.title_boxes.setdefault(e.title, e.box)
    if entries:
        walk.wg_current = entries[-1]
    elif current is not None:
        walk.wg_current = current


def _on_results_table(walk: _Walk, ev: Event, table: Table, layout: ResultsLayout, has_header: bool,
                      cont: bool) -> None:
    if layout.item_col is not None:
        _on_all_items_results(walk, ev, table, layout, has_header, cont)
        return
    block = walk.block
    if block is None:
        item = walk.outline.item_at(ev.page, ev.top) if walk.outline is not None else None
        if item is None:
            walk.warn(ev.page, "取り組み結果 table with no 連携事項名 above it: "
                      + " | ".join(cell_to_text(c) for c in table.rows[0])[:120])
            return
        _open_block(walk, item, [], ev.page, soft=True)  # the outline's item section names it
        block = walk.block
    fy = layout.fiscal_year or walk.results_heading_fy or block.results_fy or walk.meeting.fiscal_year
    if block.results_fy is not None and fy != block.results_fy:
        walk.warn(ev.page, f"results of {fy} under an item whose results are of {block.results_fy}; "
                           f"kept as {block.results_fy}")
        fy = block.results_fy
    if fy is None:
        walk.warn(ev.page, f"取り組み結果 table with no year for its results ({block.title})")
    block.results_fy = fy
    if block.soft and block.title and all(t != block.title or not primary for t, primary, _ in walk.titles):
        walk.titles.append((block.title, True, block.page))  # its results make the slide's item an item
    state = block.results
    if not cont:
        state.section, state.topic, state.next_steps = walk.pending_section, None, None
    walk.pending_section = None
    for p in results_table_to_rows(table, layout, has_header=has_header, state=state, page=ev.page):
        walk.warn(ev.page, p)


def _on_all_items_results(walk: _Walk, ev: Event, table: Table, layout: ResultsLayout, has_header: bool,
                          cont: bool) -> None:
    """One results table for all items: each row's item is its item cell (merged over the rows below)."""
    fy = layout.fiscal_year or walk.results_heading_fy or walk.page_fy.get(ev.page) or walk.meeting.fiscal_year
    _close_block(walk)
    state = walk.all_results if cont else ResultsState()
    walk.all_results = state
    states: dict[str, ResultsState] = {}
    for p in results_table_to_rows(table, layout, has_header=has_header, state=state, page=ev.page, states=states):
        walk.warn(ev.page, p)
    for title, st in states.items():
        title, paren = _split_status(title)
        block = next((b for b in walk.blocks if b.title == title and b.results_fy == fy), None)
        if block is None:
            block = _Block(title, ev.page, results_fy=fy, soft=True)
            walk.blocks.append(block)
            walk.titles.append((title, True, ev.page))
        if paren:
            block.statuses.append(paren)
        for row in st.rows:
            status = row.pop("_status", None)
            if status and status not in block.statuses:
                block.statuses.append(status)
            block.results.seq += 1
            block.results.rows.append({**row, "seq": block.results.seq})


def _split_status(title: str) -> tuple[str, str | None]:
    rest, paren = split_trailing_paren(title)
    return (rest, paren) if paren is not None and status_to_change(paren) else (title, None)


def _on_list_table(walk: _Walk, ev: Event, table: Table, layout: ListLayout, has_header: bool) -> None:
    fy = max(layout.year_cols.values()) if layout.year_cols else \
        walk.page_fy.get(ev.page, walk.meeting.fiscal_year)
    if fy is None:
        walk.warn(ev.page, "list of items with no year to file it under")
        return
    entries = list_table_to_entries(table, layout, ev.page, has_header, fy)
    if walk.lists and walk.lists[-1][0] == fy and not walk.since_table:
        walk.lists[-1][1].extend(entries)
    else:
        _close_block(walk)
        walk.lists.append((fy, entries))
    for e in entries:
        walk.titles.append((e.title, True, e.page))


# ---------------------------------------------------------------- items

def _group_titles(walk: _Walk) -> dict[str, str]:
    """Each title seen → its item's key; sets ``res.items``.

    Titles from headings, tables and lists form the items; a title from a
    実績 heading only joins an item (warned when it matches none).
    """
    groups: list[list[str]] = []
    for title, primary, page in sorted(walk.titles, key=lambda t: not t[1]):
        title = normalize_text(title).strip()
        best = match_item([title], [(str(n), g) for n, g in enumerate(groups)])
        if best is not None:
            groups[int(best)].append(title)
        elif primary:
            groups.append([title])
        else:
            walk.warn(page, f"title in a 実績 heading matches no item: {title}")
    keys: dict[str, str] = {}
    for g in groups:
        counts: dict[str, int] = {}
        for t in g:
            counts[t] = counts.get(t, 0) + 1
        key = max(counts, key=lambda t: (counts[t], len(t)))
        variants = [t for t in counts if t != key]
        walk.res.items.append({"key": key, "title": key, "variants": variants})
        for t in g:
            keys[t] = key
    return keys


def _key(keys: dict[str, str], title: str) -> str:
    """The item key of a title; a title no item took (a slide's, misread: 臓林水産物…) keys as
    itself, so its rows stay (with no item) instead of costing the document all its items."""
    title = normalize_text(title).strip()
    return keys.get(title, title)


# ---------------------------------------------------------------- rows

def _emit(walk: _Walk, keys: dict[str, str]) -> None:
    """Turn what the walk collected into rows (item_key = the item's key)."""
    wg_rows, facts = _wg_to_rows(walk, keys)
    results_rows = []
    for block in walk.blocks:
        facts.extend(_block_to_facts(walk, block))
        if block.results.rows:
            key = _key(keys, block.title)
            results_rows.extend(_results_row(key, block.results_fy, r) for r in block.results.rows)
    facts.extend(_lists_to_facts(walk))
    facts.sort(key=lambda f: f.page)  # a year's row points at its first mention
    walk.res.add("wg_meetings", wg_rows)
    walk.res.add("item_results", results_rows)
    walk.res.add("item_years", _facts_to_item_years(walk, facts, keys))


def _results_row(key: str, fiscal_year: int | None, row: dict) -> dict:
    """An item_results row with its provenance: the boxes of its topic, results and next-step cells."""
    out = {k: v for k, v in row.items() if not k.startswith("_")}
    return {"item_key": key, "fiscal_year": fiscal_year, **out, **boxes_to_columns(row.get("_boxes", []))}


def _wg_to_rows(walk: _Walk, keys: dict[str, str]) -> tuple[list[dict], list[_Fact]]:
    """wg_meetings rows of the WG tables, and what they say of their year's items."""
    rows: list[dict] = []
    seen: dict[tuple, list[dict]] = {}
    facts: list[_Fact] = []
    for entry, fy in walk.wg_entries:
        if fy is None:
            walk.warn(entry.page, f"WG開催状況 table with no fiscal year: {entry.title}")
            continue
        key = _key(keys, entry.title)
        facts.append(_Fact(entry.title, fy, entry.page, selected=True, proposers=list(entry.proposers),
                           departments=list(entry.departments), box=walk.title_boxes.get(entry.title),
                           change=status_to_change(entry.status)))
        for sub in entry.subrows:
            track = sub.text if subrow_is_track(entry, sub) else None
            label = None
            if sub.meeting:
                track, label = meeting_to_track(sub.meeting)
            fmt = _cell_to_format(walk, sub.fmt)
            dates, notes, bad = dates_cell_to_dates(sub.dates_raw, fy, walk.meeting.held_on, sub.dates_full_width,
                                                    formats=_formats(walk))
            for note in notes:
                walk.warn(sub.page, f"WG開催状況 text with no column, not a meeting row ({entry.title}): {note}")
            for token in bad:
                walk.warn(sub.page, f"unparseable WG開催状況 date {token!r} ({entry.title})")
            prov = boxes_to_columns([sub.box])
            for d in dates:
                row = {**wg_date_to_row(d, item_key=key, track=track, page=sub.page, label=label, fmt=fmt), **prov}
                _add_meeting(rows, seen, row)
    return rows, facts


def _add_meeting(rows: list[dict], seen: dict[tuple, list[dict]], row: dict) -> None:
    """Add a WG meeting unless the document printed it already (a slide repeating the WG table's dates):
    the first print is kept, and what only the second says (a label, a format) is added to it. Two
    series meeting on one day (two tracks) are two meetings."""
    k = (row["item_key"], row["held_on"], row["ends_on"])
    first = next((r for r in seen.get(k, []) if None in (r["track"], row["track"]) or r["track"] == row["track"]),
                 None)
    if first is None:
        seen.setdefault(k, []).append(row)
        rows.append(row)
        return
    for col in ("track", "label", "format"):
        if first.get(col) is None and row.get(col) is not None:
            first[col] = row[col]


def _cell_to_format(walk: _Walk, text: str | None) -> str | None:
    """A 開催形式 cell to the format it names (書面開催 → 書面), or None (―, blank)."""
    if not text:
        return None
    key = text.replace(" ", "")
    for word in sorted(_formats(walk), key=len, reverse=True):
        if word in key:
            return word.removesuffix("開催") or word
    return None


def _lists_to_facts(walk: _Walk) -> list[_Fact]:
    """What the lists of a year's items say: one fact per item and marked year."""
    out = []
    for fy, entries in walk.lists:
        for e in entries:
            for year, (selected, change) in e.years.items():
                out.append(_Fact(e.title, year, e.page, selected=selected, change=change,
                                 proposers=list(e.proposers) if selected else [],
                                 departments=list(e.departments) if selected else [],
                                 reason=e.reason if year == fy else None,
                                 note=e.note if year == fy else None, exhaustive=True, box=e.box))
    return out


def _block_to_facts(walk: _Walk, block: _Block) -> list[_Fact]:
    """What a 連携事項名 page says: its year's row, next year's by its status, reasons.

    A page with results describes the year of its results; its status (終了 /
    継続) is about the year after unless it names one, 新規 about the year of its
    results (an item is new in the year it reports on). A page without results
    proposes an item for the year of the list printed before it. A soft block (a
    slide's title, a row of a table of all items) speaks only through its results.
    """
    if block.soft and not block.results.rows:
        return []
    if block.results_fy is not None:
        fy = block.results_fy
    elif block.list_fy is not None:
        fy = block.list_fy
    elif walk.lists:
        fy = walk.lists[-1][0]
    elif walk.meeting.fiscal_year is not None:
        fy = walk.meeting.fiscal_year + 1
    else:
        walk.warn(block.page, f"連携事項名 page with no year to file it under: {block.title}")
        return []
    out = [_Fact(block.title, fy, block.page, selected=True, proposers=list(block.proposers),
                 departments=list(block.departments), targets=list(block.targets), box=block.box)]
    if block.results_fy is None:
        for status in block.statuses:
            out[0].change = out[0].change or status_to_change(status)
    for status in block.statuses if block.results_fy is not None else []:
        change = status_to_change(status)
        year = status_to_fiscal_year(status, walk.profile)
        if change == "新規" and year in (None, fy):
            out[0].change = out[0].change or change
        elif change is not None:
            out.append(_Fact(block.title, year or fy + 1, block.page, selected=change != "終了", change=change,
                             box=block.box))
    for year, text, page in block.reasons:
        year = year or (fy + 1 if block.results_fy is not None else fy)
        out.append(_Fact(block.title, year, page, reason=text))
    return out


def _facts_to_item_years(walk: _Walk, facts: list[_Fact], keys: dict[str, str]) -> list[dict]:
    """Merge the facts per (item, year) into item_years rows.

    A list of a year's items is exhaustive: an item of the year before that it
    leaves out gets a row with selected = false (change only where printed).
    A 備考 of a list is the reason only where no reason is printed.
    """
    merged: dict[tuple[str, int], dict] = {}
    notes: dict[tuple[str, int], str] = {}
    for f in facts:
        if f.fiscal_year is None:
            continue  # warned where the year was missing
        k = (_key(keys, f.title), f.fiscal_year)
        if k not in merged:
            merged[k] = _empty_year_row(k, f.page, normalize_text(f.title).strip())
        _merge_fact(walk, merged[k], f)
        if f.box is not None and f.box not in merged[k]["_boxes"]:
            merged[k]["_boxes"].append(f.box)
        if f.note:
            notes.setdefault(k, f.note)
    for k, note in notes.items():
        merged[k]["reason"] = merged[k]["reason"] or note
    for fy, _ in walk.lists:
        for key, year in list(merged):
            if year == fy - 1 and merged[(key, year)]["selected"] and (key, fy) not in merged:
                merged[(key, fy)] = {**_empty_year_row((key, fy), _list_page(walk, fy), None), "selected": False,
                                     "_boxes": _list_boxes(walk, fy)}
    first_seen: dict[str, int] = {}
    for key, _ in merged:
        first_seen.setdefault(key, len(first_seen))
    rows = []
    for row in sorted(merged.values(), key=lambda r: (first_seen[r["item_key"]], r["fiscal_year"])):
        row.pop("_exhaustive", None)
        row["selected"] = True if row["selected"] is None else row["selected"]
        rows.append(_with_provenance(row, row.pop("_boxes")))
    return rows


def _with_provenance(row: dict, boxes: list[Box]) -> dict:
    """The row with the box of its first mention (on its page) and every box it was read from."""
    on_page = [b for b in boxes if b[0] == row["page"]]
    if not on_page:
        return row
    cols = boxes_to_columns([on_page[0], *[b for b in boxes if b != on_page[0]]])
    if len(boxes) == 1:
        cols.pop("boxes", None)
    return {**row, **cols}


def _empty_year_row(k: tuple[str, int], page: int | None, title_text: str | None) -> dict:
    return {"item_key": k[0], "fiscal_year": k[1], "selected": None, "change": None, "proposers": [],
            "departments": [], "reason": None, "page": page, "title_text": title_text, "targets": None,
            "_boxes": []}


def _merge_fact(walk: _Walk, row: dict, f: _Fact) -> None:
    """Add one fact to its item_years row; conflicting statements are warned, a year's list decides."""
    label = f"{row['item_key']} {row['fiscal_year']}"
    if f.selected is not None:
        if row["selected"] is not None and row["selected"] != f.selected:
            walk.warn(f.page, f"{label}: printed both as selected and not; the list of the year decides")
        if row["selected"] is None or (f.exhaustive and not row.get("_exhaustive")):
            row["selected"], row["_exhaustive"] = f.selected, f.exhaustive
    if f.change is not None:
        if row["change"] is not None and row["change"] != f.change:
            walk.warn(f.page, f"{label}: change printed as both {row['change']} and {f.change}; first kept")
        row["change"] = row["change"] or f.change
    for col in ("proposers", "departments"):
        row[col].extend(x for x in getattr(f, col) if x not in row[col])
    if f.targets:
        row["targets"] = _join_targets(row["targets"], f.targets)
    row["reason"] = row["reason"] or f.reason


def _join_targets(current: str | None, names: list[str]) -> str:
    parts = [p for p in (current or "").split("、") if p]
    parts.extend(n for n in names if n not in parts)
    return "、".join(parts)


def _list_boxes(walk: _Walk, fy: int) -> list[Box]:
    """The box of the first entry of the year's list: where a left-out item's row points."""
    for year, entries in walk.lists:
        if year == fy and entries and entries[0].box is not None:
            return [entries[0].box]
    return []


def _list_page(walk: _Walk, fy: int) -> int | None:
    for year, entries in walk.lists:
        if year == fy and entries:
            return entries[0].page
    return None


@register("items", tables=("item_years", "wg_meetings", "item_results"))
def items_parser(doc: Document, ctx: Context) -> ParseResult:
    """Collaboration items: their years, WG meetings, results and plans."""
    return document_to_items(doc, ctx.meeting, ctx.profile, ctx.outline)
