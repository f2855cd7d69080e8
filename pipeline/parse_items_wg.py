"""The WG開催状況 table: one row per item (連携項目名 with its 提案市町村), sub-rows
per WG設置区分, the 担当部局, and a cell listing the working-group meeting dates.

A dates cell reads like ``2/19、4/26 防災担当課長会議 7/21 5市、8/24 10市町村`` or
``2/25・8/17:IT担当課長会議 3/26:情報担当課長会議`` or
``※捕獲の…協議 5/17、9/1(協定締結)`` or ``R3年度: 4/27 … R4年度: 4/28 …``. It is
read as a sequence of date groups and the texts between them:

- ``RN年度:`` sets the fiscal year of the dates after it;
- dates joined by 、 or ・ form a group (a space alone starts a new one);
- a bracket right after a date, or a count after it (``5市``), is that date's label;
- text after a colon names the group's meeting series (the track), unless it
  numbers one meeting (``WG①``, ``第2回``), which makes it the label;
- text after a group without a colon names the group's series too;
- ``※text`` before dates names the series of the dates that follow;
- anything else (a preamble, a bullet under a meeting, a ※ note without dates)
  has no column: it is reported as a warning, never dropped silently.

Dates are located here and resolved by pipeline.normalize.parse_date.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from pipeline.ir import BBox, Table
from pipeline.normalize import DateSpan, parse_date
from pipeline.parse_items_columns import Header, column_holds_status, table_to_header
from pipeline.profile import Profile, default_profile
from pipeline.parse_items_text import (
    cell_to_run_on_text, cell_to_text, cells_to_full_width, department_cell_to_names, municipality_cell_to_names,
    split_trailing_paren, text_to_names,
)
from pipeline.parse_items_stream import text_to_fiscal_year

#: A run of the characters dates are printed with, holding a digit: a candidate date
#: (4/27, 2/4予定, 2月予定, 10月中旬, 10/7~1/9) for parse_date to accept or reject.
_DATE_CHARS = "0-9/月日予定上中下初旬頃末~～"
_DATE_RUN = re.compile(rf"[{_DATE_CHARS}]*\d[{_DATE_CHARS}]*")
#: A full date as offices print it: an era or Western year, a weekday in brackets, a
#: range to another day (令和6年7月22日(月)～23日(火), 2024年5月21日, R6.5.21, 6月3日(月)).
_WEEKDAY = r"(?:\s*[(（][月火水木金土日](?:・?祝)?[)）])"
_YEAR = r"(?:(?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*年\s*|\d{4}\s*年\s*)"
_DAY = rf"(?:{_YEAR}?\d{{1,2}}\s*月\s*\d{{1,2}}\s*日{_WEEKDAY}?|(?:[RH]\s*\d{{1,2}}\s*[.．]\s*)\d{{1,2}}\s*[.．]\s*\d{{1,2}}{_WEEKDAY}?|\d{{1,2}}/\d{{1,2}}{_WEEKDAY})"
_FULL_DATE = re.compile(
    rf"{_DAY}(?:\s*[~～〜]\s*(?:{_DAY}|\d{{1,2}}\s*日{_WEEKDAY}?|\d{{1,2}}/\d{{1,2}}))?(?:\s*[(（]?予定[)）]?)?"
    rf"|{_YEAR}\d{{1,2}}\s*月(?:\s*[上中下初]旬|頃|末)?(?:\s*[(（]?予定[)）]?)?")
#: A meeting held in writing or online: its format, never a label or series.
DEFAULT_FORMATS = ("書面開催", "書面", "オンライン", "WEB", "Web", "web", "対面")
_DATE_SHAPE = re.compile(r"\d\s*[/月]")
_PLANNED_WORD = re.compile(r"^[(（]?(?:予定|見込み?)[)）]?$")
#: ``R3年度:`` / ``令和4年度：`` — a fiscal-year prefix for the dates after it; its colon may
#: be lost or read as a dot (``R4年度・`` ⏎ ``4/28``: a scan) when a date follows.
_FY_PREFIX = re.compile(r"[^\s:、,・※○]{1,4}年\s*度\s*(?:[:：]|[・･]?(?=\s*\d{1,2}\s*[/月]))")
#: Where a text run between dates splits: a ※ note, an item marker, a bullet at a word start.
_GAP_SPLIT = re.compile(r"(?=※)|(?=[○●◯◎■◆])|(?:^|(?<=\s))(?=・)")
_SEPARATORS = " 、,，・○●◯◎■◆\t\n"
_LIST_SEPARATOR = re.compile(r"[、,，・]")
_ITEM_MARKER = re.compile(r"^\s*[○●◯◎■◆]")
_COLON = re.compile(r"^\s*[:：]\s*")
#: A text that numbers one meeting rather than naming a series: WG①, 第2回, 第2回WG.
_INSTANCE = re.compile(r"[①-⑳]\s*$|^第\s*\d+\s*回")
#: A count after a date (5市, 10市町村, 20名): a label of that date.
_COUNT = re.compile(r"^\d")
#: A meeting series name followed by a description (クラウド関係会議も活用し協議): keep the name.
_SERIES_TAIL = re.compile(
    r"^(.+?(?:会議|WG|部会|検討会|協議会|研修会|連絡会|委員会|説明会))(?:も|を|にて|で|に|と|の)\S*$")
#: A WG設置区分 text that numbers a sub-group (①…, ①-1 …, (1) …).
_NUMBERED = re.compile(r"^(?:[①-⑳]|[(（]\d{1,2}[)）]|\d{1,2}\s*[.．)）])")
_BULLET = re.compile(r"^[・●○◯◎■□◆◇]")


@dataclass(frozen=True)
class WgLayout:
    """Which columns of a WG開催状況 table hold what.

    ``title_col`` is None for a table of one item's meetings (its item is the page's);
    ``meeting_col`` / ``format_col`` belong to tables of one row per meeting (会議名, 開催形式).
    """

    title_col: int | None
    dates_col: int
    dept_col: int | None
    sub_col: int | None
    proposers_col: int | None = None  # when 提案市町村 has a column of its own
    meeting_col: int | None = None
    format_col: int | None = None
    header_rows: int = 1
    extra: tuple[str, ...] = ()
    status_col: int | None = None  # 区分 (新規 / 継続) of the item in the table's year


@dataclass
class WgSubRow:
    """One WG設置区分 row of an item."""

    text: str
    dates_raw: str | None
    page: int
    meeting: str | None = None  # 会議名 of a row-per-meeting table
    fmt: str | None = None  # 開催形式 of a row-per-meeting table
    box: tuple[int, BBox] | None = None  # the dates cell's (page, box)
    #: width in ems of a full line of the dates column (0: unknown), for dates broken at its edge
    dates_full_width: float = 0.0


@dataclass
class WgEntry:
    """One item of the WG table, possibly over several rows and pages."""

    title: str
    proposers: list[str]
    departments: list[str]
    page: int
    subrows: list[WgSubRow] = field(default_factory=list)
    status: str | None = None
    #: (page, box) of the cell the title is printed in, for provenance
    box: tuple[int, BBox] | None = None


@dataclass
class WgDate:
    """A date found in a dates cell, with what the cell says about it."""

    date_text: str
    fiscal_year: int | None
    span: DateSpan
    label: str | None = None
    series: str | None = None
    heading: str | None = None
    fmt: str | None = None


def table_to_wg_layout(table: Table, profile: Profile | None = None, header: Header | None = None,
                       *, in_item: bool = False) -> WgLayout | None:
    """The WG table's column roles from its header, or None if this is no WG table.

    A WG table has a column of meeting dates and, unless ``in_item`` (it stands on one
    item's pages), a column of item titles. A column no role claims, right of the
    title, is the WG設置区分 (sub-group) column, as the series prints it.
    """
    header = header or table_to_header(table, profile)
    if header is None:
        return None
    dates, title = header.col("wg_dates"), header.col("item")
    if dates is None:
        return None
    if title is None and not in_item:
        generic = (profile or default_profile()).words("items", "generic_item_columns")
        title = next((c for c in header.cols("topic") if re.sub(r"\s+", "", header.texts[c]) in generic), None)
    if title is None and not in_item:
        return None
    if title is None and not (header.has("meeting", "format") or _names_wg(header.texts[dates])):
        return None  # 開催日 | テーマ on an item's pages: a training's dates, not its WG's
    taken = set(header.roles)
    sub = header.col("sub")
    if sub is None and title is not None:
        sub = next((i for i in range(title + 1, len(header.texts)) if i not in taken and header.texts[i]), None)
    extra = tuple(t for i, t in enumerate(header.texts) if t and i not in taken and i != sub
                  and header.roles.get(i) is None)
    status = header.col("status")
    if status is not None and not column_holds_status(table, status, header, profile or default_profile()):
        status = None
    used = {"item", "wg_dates", "departments", "proposers", "sub", "meeting", "format", "number"}
    extra += tuple(header.texts[i] for i, r in header.roles.items() if r not in used and i not in (title, status))
    return WgLayout(title, dates, header.col("departments"), sub, header.col("proposers"), header.col("meeting"),
                    header.col("format"), header.rows, extra, status)


def _names_wg(text: str) -> bool:
    return bool(re.search(r"WG|ワーキング|部会|会議", text))


def title_cell_to_title(raw: str | None) -> tuple[str, list[str]]:
    """``有害鳥獣の…推進 (富山市)`` → (title, proposers)."""
    title, paren = split_trailing_paren(cell_to_text(raw))
    return title, text_to_names(paren)


def wg_table_to_entries(table: Table, layout: WgLayout, page: int, has_header: bool,
                        current: WgEntry | None) -> tuple[list[WgEntry], list[str]]:
    """The items of one physical WG table.

    Args:
        table: the table.
        layout: its column roles.
        page: its page number.
        has_header: whether row 0 is the header (a continuation may have none).
        current: the item whose rows ran on from the previous page, if any.

    Returns:
        (items that start here, in order, ``current`` having taken the rows
        before the first one; problems found, for warnings).
    """
    first = layout.header_rows if has_header else 0
    rows = table.rows[first:]
    full_width = cells_to_full_width([r[layout.dates_col] for r in rows if layout.dates_col < len(r)])
    out: list[WgEntry] = [current] if current is not None else []
    problems: list[str] = []
    for r, row in enumerate(rows, first):
        cell = lambda i: row[i] if i is not None and i < len(row) else None  # noqa: E731
        title_raw = cell(layout.title_col)
        if title_raw and cell_to_text(title_raw):
            title, proposers = title_cell_to_title(title_raw)
            proposers += [p for p in municipality_cell_to_names(cell(layout.proposers_col)) if p not in proposers]
            out.append(WgEntry(title, proposers, [], page, status=cell_to_text(cell(layout.status_col)) or None,
                               box=_cell_box(table, r, layout.title_col, page)))
        elif not out:
            text = " ".join(cell_to_text(c) for c in row if c)
            if text.strip():
                problems.append(f"WG開催状況 row with no 連携項目名 above it: {text[:80]}")
            continue
        entry = out[-1]
        for name in department_cell_to_names(cell(layout.dept_col)):
            if name not in entry.departments:
                entry.departments.append(name)
        entry.subrows.append(WgSubRow(cell_to_text(cell(layout.sub_col)), cell(layout.dates_col), page,
                                      meeting=cell_to_text(cell(layout.meeting_col)) or None,
                                      fmt=cell_to_text(cell(layout.format_col)) or None,
                                      box=_cell_box(table, r, layout.dates_col, page), dates_full_width=full_width))
    return (out[1:] if current is not None else out), problems


def _cell_box(table: Table, row: int, col: int | None, page: int) -> tuple[int, BBox] | None:
    """The (page, box) of a cell, for provenance; None where the IR has no cell boxes."""
    if col is None or row >= len(table.cell_bboxes) or col >= len(table.cell_bboxes[row]):
        return None
    box = table.cell_bboxes[row][col]
    return (page, tuple(box)) if box else None


def subrow_is_track(entry: WgEntry, sub: WgSubRow) -> bool:
    """Whether a WG設置区分 text names a sub-group (a track), not a description.

    Several sub-rows under one item, or a numbered text, are sub-groups; a
    single bulleted or plain description of the item is not.
    """
    if not sub.text or _BULLET.match(sub.text):
        return False
    return len(entry.subrows) > 1 or bool(_NUMBERED.match(sub.text))


def _clean_name(text: str) -> str:
    """A track or label text: trimmed of separators and of unmatched closing brackets."""
    t = text.strip(_SEPARATORS)
    while t and t[-1] in ")）" and t.count("(") + t.count("（") < t.count(")") + t.count("）"):
        t = t[:-1].rstrip()
    return t


def _series_name(text: str) -> str:
    m = _SERIES_TAIL.match(text)
    return m.group(1) if m else text


class _CellReader:
    """Reads one dates cell front to back (see the module docstring)."""

    def __init__(self, fiscal_year: int | None, meeting_date, formats: tuple[str, ...] = DEFAULT_FORMATS):
        self.fy = fiscal_year
        self.meeting_date = meeting_date
        self.formats = tuple(sorted(formats, key=len, reverse=True))
        self.pending_label: str | None = None  # 第1回 printed before its date
        self.dates: list[WgDate] = []
        self.notes: list[str] = []
        self.bad_dates: list[str] = []
        self.group: list[WgDate] = []
        self.heading: str | None = None
        self.heading_used = True
        self.pending_colon = False

    def close_heading(self) -> None:
        if self.heading and not self.heading_used:
            self.notes.append("※" + self.heading)

    def close_group(self) -> None:
        self.group = []

    def to_span(self, token: str) -> DateSpan | None:
        return parse_date(token, meeting_date=self.meeting_date, fiscal_year=self.fy)

    def on_date(self, token: str, span: DateSpan) -> None:
        d = WgDate(re.sub(r"\s+", "", token), self.fy, span, heading=self.heading, label=self.pending_label)
        self.pending_label = None
        self.heading_used = True
        self.dates.append(d)
        self.group.append(d)
        self.pending_colon = False

    def on_series(self, text: str) -> None:
        name = _clean_name(text)
        if not name:
            return
        if _INSTANCE.search(name):
            for d in self.group:
                d.label = d.label or name
        else:
            for d in self.group:
                d.series = d.series or _series_name(name)
        self.close_group()

    def on_gap(self, gap: str) -> None:
        if self.pending_colon and gap.strip(_SEPARATORS):
            self.pending_colon = False
            self.on_series(gap)
            return
        colon = _COLON.match(gap)
        if colon and self.group:
            rest = gap[colon.end():]
            if not rest.strip(_SEPARATORS):
                self.pending_colon = True
                return
            parts = [p for p in _GAP_SPLIT.split(rest) if p.strip(_SEPARATORS)]
            self.on_series(parts[0])
            for p in parts[1:]:
                self.on_text(p)
            return
        # a bracket glued to a date is that date's label
        if gap[:1] in "(（" and self.group:
            depth, end = 0, None
            for i, ch in enumerate(gap):
                depth += ch in "(（"
                depth -= ch in ")）"
                if depth == 0:
                    end = i
                    break
            if end is not None:
                inner = _clean_name(gap[1:end])
                fmt = self.to_format(inner)
                if fmt is not None:
                    self.group[-1].fmt = fmt
                else:
                    self.group[-1].label = inner
                gap = gap[end + 1:]
        for part in _GAP_SPLIT.split(gap):
            if _ITEM_MARKER.match(part):
                self.close_heading()  # ○ opens a new entry: what a ※ note headed ends here
                self.heading, self.heading_used = None, True
                self.close_group()
            if part.strip(_SEPARATORS):
                self.on_text(part)

    def to_format(self, text: str) -> str | None:
        """The format a text names when it is nothing else (オンライン, 書面開催 → 書面)."""
        t = text.strip(_SEPARATORS + "()（）")
        for word in self.formats:
            if t == word or (t.startswith(word) and len(t) - len(word) <= 2 and t.endswith("開催")):
                return word.removesuffix("開催") or word
        return None

    def on_text(self, part: str) -> None:
        text = part.strip(_SEPARATORS)
        fmt = self.to_format(text)
        if fmt is not None and self.group:
            for d in self.group[-1:]:
                d.fmt = d.fmt or fmt
            return
        if not self.group and _INSTANCE.match(_clean_name(text)) and len(text) <= 8:
            self.pending_label = _clean_name(text)  # 第1回 before its date labels that date
            return
        if self.group and _PLANNED_WORD.match(text):
            # 予定 printed apart from its date still marks it
            d = self.group[-1]
            span = self.to_span(f"{d.date_text}{text}")
            if span is not None:
                d.date_text, d.span = f"{d.date_text}{text}", span
                return
        if part.lstrip().startswith("※"):
            self.close_heading()
            self.close_group()
            self.heading = _clean_name(text.lstrip("※")) or None
            self.heading_used = self.heading is None
        elif part.lstrip(" 、,，").startswith("・"):
            self.notes.append(text)
        elif self.group and (_COUNT.match(text) or text[:1] in "(（"):
            self.group[-1].label = self.group[-1].label or _clean_name(text.strip("()（）"))
        elif self.group:
            self.on_series(text)
        else:
            self.notes.append(text)

    def read_line(self, line: str) -> None:
        pos = 0
        full = [(m.start(), m.end(), "date") for m in _FULL_DATE.finditer(line)]
        runs = [(m.start(), m.end(), "date") for m in _DATE_RUN.finditer(line)
                if not any(a < m.end() and m.start() < b for a, b, _ in full)]
        tokens = sorted([(m.start(), m.end(), "fy") for m in _FY_PREFIX.finditer(line)] + full + runs)
        for start, end, kind in tokens:
            if start < pos:
                continue
            token = line[start:end]
            if kind == "fy":
                fy = text_to_fiscal_year(token)
                if fy is None:
                    continue  # 次年度: and the like: text, not a year
                self.on_gap(line[pos:start])
                self.close_group()
                self.fy = fy
            else:
                span = self.to_span(token)
                if span is None and not _DATE_SHAPE.search(token):
                    continue  # not a date (5市, 10市町村): stays part of the text around it
                gap = line[pos:start]
                self.on_gap(gap)
                if not _LIST_SEPARATOR.search(gap):
                    self.close_group()  # dates not joined by 、 or ・ are separate groups
                pos = end
                if span is None:
                    self.bad_dates.append(token)  # shaped like a date but impossible: reported, not a label
                    continue
                self.on_date(token, span)
            pos = end
        self.on_gap(line[pos:])


def dates_cell_to_dates(raw: str | None, fiscal_year: int | None,
                        meeting_date=None, full_width: float = 0.0,
                        formats: tuple[str, ...] = DEFAULT_FORMATS) -> tuple[list[WgDate], list[str], list[str]]:
    """The dates of one WG開催状況 cell with their series, labels and fiscal years.

    Only markers (※, ○, ・ …) start a new line here: dates and names are the
    separators that matter, and a short line in this narrow column says nothing.
    A line that fills the column was broken at the cell's edge, inside a date
    where it ends in one (4/2 ⏎ 7 is 4/27: cell_to_run_on_text).

    Args:
        raw: the cell as extracted.
        fiscal_year: the table's fiscal year (a ``RN年度:`` prefix overrides it).
        meeting_date: the meeting's date, which settles the year of month/day dates.
        full_width: width in ems of a full line of the column (0: unknown).
        formats: words of a meeting's format (オンライン, 書面開催) printed beside a date.

    Returns:
        (dates in printed order, texts that belong to no date or column,
        date-like tokens parse_date could not read).
    """
    reader = _CellReader(fiscal_year, meeting_date, formats)
    for line in cell_to_run_on_text(raw, full_width).split("\n"):
        reader.read_line(line)
    reader.close_heading()
    return reader.dates, reader.notes, reader.bad_dates


def wg_date_to_row(d: WgDate, *, item_key: str, track: str | None, page: int, label: str | None = None,
                   fmt: str | None = None) -> dict:
    """The wg_meetings row of one date (``label`` / ``fmt``: the row's 会議名 instance and 開催形式)."""
    span = d.span
    return {
        "item_key": item_key, "track": d.series or d.heading or track, "label": d.label or label,
        "held_on": span.start, "ends_on": span.end, "date_text": d.date_text,
        "precision": span.precision, "planned": bool(span.planned),
        "fiscal_year": d.fiscal_year, "page": page, "format": d.fmt or fmt,
    }


def meeting_to_track(name: str | None) -> tuple[str | None, str | None]:
    """A 会議名 cell to (track, label): ``第1回交通WG`` → ('交通WG', '第1回')."""
    if not name:
        return None, None
    m = re.match(r"^(第\s*\d+\s*回)\s*(.*)$", name)
    if m:
        return (m.group(2).strip() or None), m.group(1).replace(" ", "")
    return name, None
