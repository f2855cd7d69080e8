"""Parse the annual schedule (年間スケジュール): one row per dated event.

The schedule sections come from the outline (a heading with 年間スケジュール that is
not an entry of the 配付資料 list). Each is read from the ruled table under its
heading: a column of era dates (``R 3. 1. 10``, ``R 4. 5月中旬``, ``R5. 5月～6月``), the
event — the column whose header the profile's ``[schedule] event_headers`` name
(会議, 行事 …), else the widest text right of the dates — and, to the left, a
fiscal-year column whose cells are merged over the rows of that year (read to check
each row's fiscal year, which its date settles). A table that runs on to the next
page is followed when the next page opens with a table of the same columns. Without
a table, the section's lines are read: a line opening with a date is an event
(``６月上旬 第１回幹事会（オンライン）``), the lines under it continue it. A fiscal
year in the heading (令和7年度 年間スケジュール) places month-only dates (8月下旬).

Keys on the genre's layout and vocabulary (年間スケジュール, 年度 labels, 第N回,
臨時, （WEB）), never on one body's events, so other years' packets parse too.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import regex as re

from pipeline.ir import Document, Page, Table
from pipeline.normalize import DateSpan, fiscal_year_of, normalize_text, parse_date
from pipeline.layout import is_page_number, is_running_header, join_lines, table_continues
from pipeline.outline import Outline, Section, document_to_outline, section_to_lines
from pipeline.profile import Profile, default_profile
from pipeline.provenance import boxes_to_columns, line_to_box
from pipeline.registry import register
from pipeline.rows import Context, Meeting, ParseResult

STAGE = "parse_schedule"

_SESSION = re.compile(r"第\s*(\d+)\s*回[^\s①-⑳※（(]*会(?:議)?")
_EXTRAORDINARY = re.compile(r"臨時")
_FORMAT = re.compile(
    r"[（(]\s*((?:WEB|Web|web|オンライン|対面|ハイブリッド|書面)(?:\s*[+＋・/]\s*(?:WEB|Web|web|オンライン|対面|書面))*)\s*[）)]")
#: A fiscal-year label fits in this many characters (令和10年度).
DEFAULT_LABEL_CHARS = 8
#: A date cell holds at most this many characters (R5. 10月～11月); longer text is an event.
DEFAULT_DATE_CELL_CHARS = 16
#: Share of the table's rows whose cell in a column must read as a date for it to be the date column.
DEFAULT_DATE_COLUMN_SHARE = 0.6


@dataclass(frozen=True)
class _Layout:
    """Which columns of a schedule table hold what."""

    fy_col: int | None
    date_col: int
    event_col: int


def document_to_schedule(doc: Document, meeting: Meeting, outline: Outline | None = None, *,
                         with_provenance: bool = False, profile: Profile | None = None) -> ParseResult:
    """Schedule rows of every 年間スケジュール table in the document.

    Args:
        doc: the document's IR.
        meeting: the meeting the packet is for; its date resolves month-only dates
            and decides which events are still planned.
        outline: the document's outline, whose ``schedule`` sections are read; built
            with the series' profile when not given.
        profile: the body profile whose ``[schedule]`` vocabulary names the columns
            (the series' when not given).
        with_provenance: add the provenance columns (the boxes of the row's date and
            event cells, see pipeline.provenance); the registered parser always does,
            callers that compare only the values may leave them out.

    Returns:
        ParseResult with ``schedule`` rows and warnings.
    """
    profile = profile or default_profile()
    if outline is None:
        outline = document_to_outline(doc, profile)
    event_words = profile.words("schedule", "event_headers")
    res = ParseResult()
    rows: list[dict] = []
    pages = doc.pages
    index = {p.number: i for i, p in enumerate(pages)}
    for section in outline.of("schedule"):
        page_no, heading_top = section.start
        i = index[page_no]
        page = pages[i]
        heading_fy = _fy_of_heading(section.label or "", meeting)
        tables = [t for t in page.tables if t.bbox[1] >= heading_top - 1 and section.contains(page_no, t.bbox[1])]
        found = [(page, t, _layout(t, meeting, event_words)) for t in tables]
        found = [(p, t, lay) for p, t, lay in found if lay is not None]
        if not found:
            line_rows = section_to_line_rows(doc, section, meeting, heading_fy, res,
                                             with_provenance=with_provenance)
            if not line_rows:
                res.warn(STAGE, page.number, "年間スケジュール heading without a table or lines of dates under it")
            rows.extend(line_rows)
            continue
        # a table cut by the page end runs on at the top of the next pages
        last_table = found[-1][1]
        for nxt in pages[i + 1:]:
            cont = _continuation(nxt, last_table)
            if cont is None:
                break
            lay = _layout(cont, meeting, event_words) or found[-1][2]
            found.append((nxt, cont, lay))
            last_table = cont
        fy: int | None = heading_fy
        for p, t, lay in found:
            new_rows, fy = table_to_schedule_rows(p, t, lay, meeting, fy, res, with_provenance=with_provenance)
            rows.extend(new_rows)
    if not rows:
        res.warn(STAGE, None, "no 年間スケジュール (annual schedule) found")
    res.add("schedule", rows)
    return res


def _cell_text(text: str | None) -> str:
    """Cell text with its visual wraps undone (sub-points ① ② ※ joined with single spaces)."""
    return re.sub(r"\s+", " ", join_lines(normalize_text(text).split("\n"))).strip() if text else ""


def _date_text(text: str | None) -> str:
    """The printed date with its stray spaces kept but the visual wraps removed (``R 4. 5月中旬``)."""
    if not text:
        return ""
    return re.sub(r"[ \t]+", " ", "".join(normalize_text(p).strip() for p in text.split("\n"))).strip()


def _layout(table: Table, meeting: Meeting, event_words: tuple[str, ...] = ()) -> _Layout | None:
    """Find the date column (most cells read as dates) and the event column to its right:
    the first whose header cell holds one of ``event_words`` (in their order of preference),
    else the one with the most text."""
    n = table.n_cols
    if n < 2:
        return None
    best, best_share = None, 0.0
    for c in range(n - 1):
        # share of all rows, so that a merged column with a few 年度 labels never wins
        dated = sum(1 for r in table.rows if c < len(r) and _is_event_date(_date_text(r[c]), meeting))
        share = dated / len(table.rows)
        if share > best_share:
            best, best_share = c, share
    if best is None or best_share < DEFAULT_DATE_COLUMN_SHARE:
        return None
    lengths = {c: sum(len(r[c] or "") for r in table.rows if c < len(r)) for c in range(best + 1, n)}
    event_col = max(lengths, key=lambda c: lengths[c])
    header = table.rows[0]
    if not _is_event_date(_date_text(header[best] if best < len(header) else None), meeting):
        heads = {c: re.sub(r"\s+", "", normalize_text(header[c] or "")) for c in range(best + 1, min(n, len(header)))}
        named = next((c for w in event_words for c, h in heads.items() if w in h), None)
        event_col = named if named is not None else event_col
    fy_col = best - 1 if best >= 1 else None
    return _Layout(fy_col=fy_col, date_col=best, event_col=event_col)


def _is_event_date(text: str, meeting: Meeting) -> bool:
    """A date cell: a day, a part of a month or months (not a 年度 label), and little else."""
    if not text or len(re.sub(r"\s+", "", text)) > DEFAULT_DATE_CELL_CHARS:
        return False
    span = _parse(text, meeting)
    return span is not None and span.precision not in ("year", "fiscal_year")


def _parse(text: str, meeting: Meeting, fiscal_year: int | None = None) -> DateSpan | None:
    """A date cell's span.

    A month/day printed without a year falls in ``fiscal_year`` (the row's 年度
    label) when there is one: the label says which year it is, so it is not moved
    to the year before for lying after the meeting (a schedule lists plans). Without
    a label it is placed relative to the meeting. Either way an event after the
    meeting is planned.
    """
    if not text:
        return None
    if fiscal_year is None:
        return parse_date(text, meeting_date=meeting.held_on, fiscal_year=meeting.fiscal_year)
    span = parse_date(text, fiscal_year=fiscal_year)
    if span is not None and meeting.held_on is not None and span.start > meeting.held_on:
        span = replace(span, planned=True)
    return span


def _fy_of_heading(label: str, meeting: Meeting) -> int | None:
    """The fiscal year a schedule's heading names (令和7年度 年間スケジュール), if any."""
    m = re.search(r"(?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*年度", label)
    span = _parse(m.group(0), meeting) if m else None
    return span.start.year if span and span.precision == "fiscal_year" else None


#: A schedule line opens with its date: up to two tokens (R5. 6月上旬, 令和7年 5月中旬).
_LINE_DATE = re.compile(r"^(\S+(?:\s+\S+)?)\s+(\S.*)$")


def section_to_line_rows(doc: Document, section: Section, meeting: Meeting, fy: int | None,
                         res: ParseResult, *, with_provenance: bool = True) -> list[dict]:
    """Rows of a schedule printed as lines: ``６月上旬 第１回幹事会（オンライン）``.

    A line whose first one or two tokens read as a date opens an event; the lines
    below it that open with no date continue its text. Month-only dates fall in the
    heading's fiscal year when it names one, else in the meeting's.
    """
    rows: list[dict] = []
    boxes: list[list] = []
    for page, ln in section_to_lines(doc, section):
        if (page.number, ln.top) == section.start:
            continue  # the heading itself
        text = normalize_text(ln.text)
        if is_page_number(text) or is_running_header(text):
            continue
        dated = None
        m = _LINE_DATE.match(text)
        if m:
            head = m.group(1)
            for date_text in (head, head.split(" ")[0]):
                if _is_event_date(date_text, meeting):
                    dated = (date_text, text[len(date_text):].strip())
                    break
        if dated is None:
            if rows and text:
                rows[-1]["event"] = join_lines([rows[-1]["event"], text])
                boxes[-1].append(line_to_box(page.number, ln))
            continue
        date_text, event = dated
        span = _parse(date_text, meeting, fy)
        if span is None:
            continue
        rows.append(_row(span, date_text, event, page.number))
        boxes.append([line_to_box(page.number, ln)])
    for r, b in zip(rows, boxes):
        _finish_event(r)
        if with_provenance:
            r.update(boxes_to_columns(b))
    return rows


def _row(span: DateSpan, date_text: str, event: str, page: int) -> dict:
    return {"fiscal_year": fiscal_year_of(span.start), "starts_on": span.start, "ends_on": span.end,
            "precision": span.precision, "date_text": date_text, "event": event, "planned": bool(span.planned),
            "page": page}


def _finish_event(row: dict) -> None:
    """session_no, extraordinary and format, from the event's text."""
    event = row["event"]
    session = _SESSION.search(event)
    fmt = _FORMAT.search(event)
    row["session_no"] = int(session.group(1)) if session else None
    row["extraordinary"] = bool(_EXTRAORDINARY.search(event))
    row["format"] = re.sub(r"\s+", "", fmt.group(1)).replace("＋", "+").upper() if fmt else None


def _continuation(page: Page, prev: Table) -> Table | None:
    """The table at the top of ``page`` that continues ``prev`` (same columns, no heading above)."""
    if page.tables and table_continues(page, page.tables[0], prev.bbox[0], prev.bbox[2], prev.n_cols):
        return page.tables[0]
    return None


def _fy_of_label(text: str, meeting: Meeting) -> int | None:
    """The fiscal year a label opening ``text`` names (令和3年度; 令和3年 with 度 wrapped away)."""
    head = text.replace("\n", "")[:DEFAULT_LABEL_CHARS]
    if "年" not in head:
        return None
    label = head[:head.index("年") + 1] + "度"
    span = _parse(label, meeting)
    return span.start.year if span and span.precision == "fiscal_year" else None


def _fy_from_lines(page: Page, table: Table, lay: _Layout, r: int, meeting: Meeting) -> int | None:
    """A fiscal-year label printed beside row ``r`` that the table extraction lost.

    Merged cells are sometimes split or dropped by the extractor (a missing rule): the
    label is still a text line inside the fiscal-year column, level with its first row.
    """
    if lay.fy_col is None or not table.cell_bboxes:
        return None
    row_box = next((b for b in table.cell_bboxes[r] if b), None)
    col_x0 = table.bbox[0]
    col_x1 = _col_x1(table, lay.fy_col)
    if row_box is None or col_x1 is None:
        return None
    for ln in page.lines:
        if col_x0 - 1 <= ln.x0 <= col_x1 and row_box[1] - 1 <= ln.top < row_box[3]:
            fy = _fy_of_label(normalize_text(ln.text), meeting)
            if fy is not None:
                return fy
    return None


def _col_x1(table: Table, col: int) -> float | None:
    for row in table.cell_bboxes:
        if col < len(row) and row[col] and (col + 1 >= len(row) or row[col + 1]):
            return row[col][2]
    return None


def _covered(table: Table, lay: _Layout, r: int) -> bool:
    """Is row ``r``'s fiscal-year cell covered by a merged cell starting above it?"""
    if lay.fy_col is None or not table.cell_bboxes:
        return True
    row_box = next((b for b in table.cell_bboxes[r] if b), None)
    if row_box is None:
        return True
    for above in range(r - 1, -1, -1):
        box = table.cell_bboxes[above][lay.fy_col] if lay.fy_col < len(table.cell_bboxes[above]) else None
        if box:
            return box[3] >= row_box[3] - 1
    return False


#: An era date whose month has two digits though no month has (R4.38.30: a speck before the 8
#: read as a 3) ...
_MONTH_MISREAD = re.compile(r"^(?P<before>(?:令和|平成|[RH])\s*\d{1,2}\s*[.．年]\s*)(?P<month>\d{2})(?P<after>\s*[.．月].*)$")


def text_to_month_candidates(text: str) -> list[str]:
    """The dates ``text`` may be when its month is impossible: one of its two digits is a
    speck's (R4.38.30 → R4.3.30 or R4.8.30). Empty when the month is one."""
    m = _MONTH_MISREAD.match(text)
    if not m or int(m.group("month")) <= 12:
        return []
    return [m.group("before") + digit + m.group("after") for digit in dict.fromkeys(m.group("month"))
            if digit != "0"]


def rows_to_ordered(rows: list[dict | tuple]) -> tuple[list[dict], list[str]]:
    """Settle each undecided row (a tuple of (date_text, candidate rows)) by the order of the
    schedule: the one candidate that falls between the rows around it. A schedule lists its
    events in the order of their dates.

    Returns:
        (rows, a note for each undecided row: how it was settled, or that it was left out).
    """
    out: list[dict] = []
    notes: list[str] = []
    for i, row in enumerate(rows):
        if isinstance(row, dict):
            out.append(row)
            continue
        date_text, candidates = row
        before = next((r["starts_on"] for r in reversed(out)), None)
        after = next((r["starts_on"] for r in rows[i + 1:] if isinstance(r, dict)), None)
        fits = [c for c in candidates if (before is None or before <= c["starts_on"])
                and (after is None or c["starts_on"] <= after)]
        if len(fits) == 1:
            out.append(fits[0])
            notes.append(f"schedule row whose month is no month: {date_text!r} taken as "
                         f"{fits[0]['starts_on'].isoformat()}, the one reading between the rows around it")
        else:
            notes.append(f"schedule row whose month is no month: {date_text!r}, and the rows around "
                         "it do not tell which digit is a speck")
    return out, notes


def table_to_schedule_rows(page: Page, table: Table, lay: _Layout, meeting: Meeting, fy: int | None,
                           res: ParseResult, *, with_provenance: bool = True) -> tuple[list[dict], int | None]:
    """Rows of one schedule table.

    The fiscal year of a row is the one its date falls in; the fiscal-year column is read
    to check it (a disagreement is warned about).

    Args:
        fy: the fiscal-year label carried over from the previous page's part of the table.
        with_provenance: add the boxes of the row's date and event cells.

    Returns:
        (schedule rows, the fiscal year in force at the table's end).
    """
    def finished(span: DateSpan, r: int, date_text: str, event: str) -> dict:
        row = _row(span, date_text, event, page.number)
        _finish_event(row)
        if with_provenance:
            row.update(boxes_to_columns(row_to_cell_boxes(page, table, r, (lay.date_col, lay.event_col))))
        return row

    out: list = []
    for r, cells in enumerate(table.rows):
        cells = list(cells) + [None] * (table.n_cols - len(cells))
        if lay.fy_col is not None:
            label = cells[lay.fy_col]
            if label:
                fy = _fy_of_label(normalize_text(label), meeting) or fy
            elif not _covered(table, lay, r):
                fy = _fy_from_lines(page, table, lay, r, meeting) or fy
        date_text = _date_text(cells[lay.date_col])
        event = _cell_text(cells[lay.event_col])
        if not date_text and not event:
            continue
        span = _parse(date_text, meeting, fy)
        if span is not None and span.precision == "fiscal_year" and not event:
            # a row that only names a year (【令和3年度】 across the table) heads the rows below it
            fy = span.start.year
            continue
        if span is None:
            spans = [s for c in text_to_month_candidates(date_text) if (s := _parse(c, meeting, fy)) is not None]
            if spans:  # settled by the rows around it, below
                out.append((date_text, [finished(s, r, date_text, event) for s in spans]))
            elif r > 0:  # row 0 without a date is the table's header (日程 / 内容)
                res.warn(STAGE, page.number, f"schedule row without a readable date: {date_text!r} {event[:30]!r}")
            continue
        row_fy = fiscal_year_of(span.start)
        if fy is not None and fy != row_fy:
            # a calendar-year grouping, a misprint or a merged label cell the extractor lost:
            # the date itself says which fiscal year the event falls in
            res.warn(STAGE, page.number, f"{date_text!r} is in fiscal year {row_fy}, "
                                         f"but printed under the {fy} label")
        out.append(finished(span, r, date_text, event))
    out, notes = rows_to_ordered(out)
    for note in notes:
        res.warn(STAGE, page.number, note)
    return out, fy


def row_to_cell_boxes(page: Page, table: Table, r: int, cols: tuple[int, ...]) -> list:
    """The (page, box) of the cells ``cols`` of row ``r`` that have a box of their own and
    hold text (a cell covered by a merged one has none)."""
    boxes = table.cell_bboxes[r] if r < len(table.cell_bboxes) else []
    cells = table.rows[r]
    return [(page.number, boxes[c]) for c in dict.fromkeys(cols)
            if c < len(boxes) and boxes[c] and c < len(cells) and cells[c]]


@register("schedule", tables=("schedule",))
def schedule_parser(doc: Document, ctx: Context) -> ParseResult:
    """Rows of the annual schedule (年間スケジュール)."""
    return document_to_schedule(doc, ctx.meeting, ctx.outline, with_provenance=True, profile=ctx.profile)
