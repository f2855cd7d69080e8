"""Read the meeting header of any body's document: date, times, venue, title and body.

One reader for every profile (the series' 次第 and other bodies' records alike). It
reads the first page of the outline's cover section (for records, the top of page 1)
and keys on the genre's vocabulary in the profile's ``[header]`` section (labels such
as 日時, 場所, 開会, record-title suffixes such as 会議録, body suffixes such as 委員会),
never on one body's names. The layouts it reads:

* plain lines, label and value on one line (``日 時：令和4年1月20日（木）``), the
  time on the next line, several labels to a line (``日時:… 場所:…``);
* a label alone on its line with the value on the next (``1 日時`` / ``令和4年…``);
* label/value columns whose text comes out as a block of labels, then a block of
  values in the same order;
* paragraphs flattened into one run of text, labels and values interleaved
  (``開会 10時25分 1 開催日時 平成31年3月14日(木) 閉会 11時40分 2 開催場所 第四委員会室 3 …``);
* box-drawing tables (the rules are read as spaces);
* no labels at all: a full date near the top, the time after it, the venue on the
  next line (unless that line reads as a heading: 議事日程（第２号）).

A time the header does not print is taken from the record's own lines of opening and
closing, wherever they stand (``午後２時47分　散会`` as the last line of page 2).

Every step is a pure function; ``document_to_header`` wires them and the registered
``header`` parser returns its fields.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import regex as re

from pipeline.ir import Document, Page, Table
from pipeline.normalize import fiscal_year_of, normalize_text, parse_date, parse_time_span
from pipeline.normalize._numerals import kanji_to_int
from pipeline.outline import Outline, document_to_outline
from pipeline.profile import Profile
from pipeline.registry import register
from pipeline.rows import Context, ParseResult

STAGE = "parse_header"
#: Lines after a label (its own rest included) that may still hold its value: a date's
#: time is often printed on the line below it.
DEFAULT_VALUE_LINES = 3
#: The title is looked for in this many lines at the top of the header.
DEFAULT_TITLE_LINES = 4
#: A date printed without a label is looked for in this many lines at the top.
DEFAULT_UNLABELED_LINES = 10
#: An unknown line between labels of a label block is at most this long (spaces removed).
DEFAULT_LABEL_CHARS = 12
#: Lines of a centered heading share their center within this many points.
DEFAULT_CENTER_PT = 3.0
#: ... and OCR'd lines within this share of an em more: their boxes hold the ink only, and a
#: bracket or a comma at a line's end fills half its em (「ワンチームとやま」 ends half an em short).
DEFAULT_INK_CENTER_EMS = 0.5
#: An OCR'd cover's body name is checked against its other printings in the document
#: (document_to_body_reading): those at most this many characters apart ...
DEFAULT_BODY_MISREAD_CHARS = 2
#: ... of a name of at least this many characters (a short name is too easily near another).
DEFAULT_BODY_MIN_CHARS = 8

#: Label kinds by the ``[header]`` key that lists them.
LABEL_KEYS = {"date_labels": "date", "time_labels": "time", "start_labels": "start", "end_labels": "end",
              "venue_labels": "venue", "datetime_venue_labels": "datetime_venue", "title_labels": "title"}
#: documents fields the reader fills.
FIELDS = ("title", "meeting_body", "fiscal_year", "session_no", "held_on", "weekday_text", "starts_at", "ends_at",
          "venue")

# --- structure (not vocabulary): numbering, dates and times as printed -------------------------

_KANJI_DIGITS = "〇一二三四五六七八九十"
#: A list number before a label: 1 / 1. / (1) / ① / 一、 / a bullet.
_NUMBER = rf"(?:[(（]\s*\d{{1,2}}\s*[)）]|\d{{1,2}}(?:\s*[.．、)）]|(?=\s))|[①-⑳⑴-⒇⒈-⒛]|[{_KANJI_DIGITS}]{{1,3}}\s*[、.．]|[○〇●◎■□◆◇・])"
_LEADING_NUMBER = re.compile(rf"^\s*{_NUMBER}\s*")
#: A list number left at the end of a value by the next label (``11時40分 2 開催場所``).
_TRAILING_NUMBER = re.compile(rf"\s+{_NUMBER}\s*$")
#: A numbered step after a venue on the same line (``第四委員会室 3 出席した委員``).
_NUMBERED_STEP = re.compile(r"\s+(?:\d{1,2}|[(（]\d{1,2}[)）])\s+(?=\D)")
#: What may stand right before a label: a line start, a space, a list number's mark, a bracket.
_BEFORE_LABEL = r"(?<=^|[\s.．、:：)）】〕\]>＞■□◆◇●○〇◎・(（【〔\[<＜①-⑳⑴-⒇⒈-⒛]|\d\s*[時分]|[時分]\s*半)"
#: What may follow a label: a colon, a space, a bracket, the end, or the start of its value.
_AFTER_LABEL = r"(?=[\s:：】〕\]）)>＞]|$|[\d令平昭大明午自(（])"
#: Box-drawing rules and vertical bars of tables drawn in text.
_BOX = re.compile(r"[\u2500-\u257F|｜]")
_WEEKDAY = re.compile(r"[（(〈]\s*([月火水木金土日])(?:曜日?)?\s*(?:[・,、]\s*(?:祝|休)日?)?\s*[）)〉]")
_N = rf"[\d{_KANJI_DIGITS}]+"
_ERA = r"(?:明治|大正|昭和|平成|令和|[MTSHR]\.?)"
#: Where a date with its year may start: an era, a Western year.
_YEAR_START = re.compile(rf"(?<![A-Za-z]){_ERA}\s*(?:{_N}|元)\s*[年./]|(?<!\d)\d{{4}}\s*[年./-]"
                         rf"|(?<![{_KANJI_DIGITS}])[{_KANJI_DIGITS}]{{4}}年")
#: A full date at the start of a text (閉会日時 令和5年6月20日 午前11時: the time after it).
_DATE_PREFIX = re.compile(
    rf"^\s*(?:{_ERA}\s*)?(?:{_N}|元)\s*[年./]\s*{_N}\s*[月./]\s*{_N}\s*日?"
    r"(?:\s*[（(〈]\s*[月火水木金土日](?:曜日?)?\s*(?:[・,、]\s*(?:祝|休)日?)?\s*[）)〉])?\s*")
#: A clock time a text ends with (午前10時00分 開会: the time printed before its word).
_CLOCK_AT_END = re.compile(rf"(?:(?:午前|午後)\s*)?(?:{_N}\s*時(?:\s*{_N}\s*分|\s*半)?|\d{{1,2}}:\d{{2}})\s*$")
#: One token of a printed date and time: a full date, a weekday, a clock time, a connector.
_DATETIME_TOKEN = (
    rf"(?:{_ERA}\s*)?(?:{_N}|元)\s*年(?!度)(?:\s*[(（][^()（）]{{1,8}}[)）])?(?:\s*{_N}\s*月(?:\s*{_N}\s*日)?)?"
    rf"|{_N}\s*月\s*{_N}\s*日"
    rf"|(?<![A-Za-z])(?:{_ERA}\s*)?\d{{1,4}}\s*[./]\s*\d{{1,2}}\s*[./]\s*\d{{1,2}}(?![\d.:])"
    r"|[（(〈]\s*[月火水木金土日](?:曜日?)?\s*(?:[・,、]\s*(?:祝|休)日?)?\s*[）)〉]"
    rf"|(?:午前|午後|AM|PM)?\s*{_N}\s*時(?:\s*{_N}\s*分|\s*半)?|\d{{1,2}}:\d{{2}}|正午|午前|午後"
    r"|[~～\-]|から|まで|より|自|至")
#: A run of date and time tokens at the start of a text.
_DATETIME_RUN = re.compile(rf"^(?:\s*(?:{_DATETIME_TOKEN}))+\s*")
_FISCAL_YEAR = re.compile(rf"{_ERA}\s*(?:{_N}|元)\s*年度")
_SESSION = re.compile(rf"第\s*({_N})\s*回")
_TITLE_MARKS = re.compile(r"^[\s\-‐－―ー・○〇●◎■□◆◇*＊]+")
_BRACKET_NOTE = r"(?:\s*[(（][^()（）]{1,12}[)）])?"
#: A document's number, bracketed or ending the line: （第２号）, 議事日程第3号 (a heading's,
#: never a place's; 第1号館 is a building).
_DOC_NUMBER = re.compile(rf"[(（]第{_N}号[)）]|第{_N}号$")
#: A clock time as printed before or after its 開会/散会 word on a line of its own.
_CLOCK = rf"(?:(?:午前|午後)\s*)?(?:{_N}\s*時(?:\s*{_N}\s*分|\s*半)?|\d{{1,2}}:\d{{2}})|正午"


@dataclass(frozen=True)
class HeaderLine:
    """One line of the header, normalized (Kangxi folded, full-width ASCII, table rules as spaces)."""

    text: str
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    #: the box is the ink's (OCR), not the printed em boxes' (a text layer)
    ink: bool = False

    @property
    def compact(self) -> str:
        return re.sub(r"\s+", "", self.text)

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Vocabulary:
    """The ``[header]`` vocabulary of a profile, compiled.

    Attributes:
        kinds: a label without spaces → its kind (date, time, start, end, venue, datetime_venue,
            title).
        label: a label in running text (group ``label``).
        label_line: a line that is a label and nothing else (group ``label``).
        venue_mark: a mark that opens a venue without a label (於).
        record_suffix: what ends a record's title (会議録, 次第, の開催について …).
        body_suffixes: what a body's name ends with (委員会, 審議会 …).
        session_kinds: words between 第N回 and the body's name (臨時 …).
        heading_words: words of the record's headings (議事日程, 会議録 …): a line holding
            one is no venue printed without a label.
    """

    kinds: dict
    label: re.Pattern | None
    label_line: re.Pattern | None
    venue_mark: re.Pattern | None
    record_suffix: re.Pattern | None
    body_suffixes: tuple[str, ...]
    session_kinds: tuple[str, ...]
    heading_words: tuple[str, ...] = ()

    def kind_of(self, label: str) -> str | None:
        return self.kinds.get(re.sub(r"[\s:：.．·]+", "", label))


@dataclass(frozen=True)
class Field:
    """A label found in the header and the raw text after it, up to the next label."""

    kind: str
    label: str
    value: str
    line: int
    #: the text on the label's line between the previous label (or the line start) and it
    before: str = ""


def _spaced(words) -> str:
    """One alternation of ``words``, longest first, a space allowed between characters (場 所),
    and a scan's speck read as a mark in that space (場:所 for 場 所)."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(" ?[:：.．·]? ?".join(re.escape(ch) for ch in w) for w in ordered)


def profile_to_vocabulary(profile: Profile) -> Vocabulary:
    """Compile the ``[header]`` vocabulary of ``profile``."""
    kinds = {}
    for key, kind in LABEL_KEYS.items():
        for w in profile.words("header", key):
            kinds.setdefault(re.sub(r"\s+", "", w), kind)
    alts = _spaced(kinds)
    marks = profile.words("header", "venue_marks")
    suffixes = profile.words("header", "record_suffixes")
    return Vocabulary(
        kinds=kinds,
        # a colon ends a label whatever follows it (or what a scan reads it as: 場所.県民会館,
        # 日時"令和5年…); without one, a label must be a word of its own
        label=re.compile(rf"{_BEFORE_LABEL}(?P<label>{alts})(?:\s*[:：.．\"'`]\s*|{_AFTER_LABEL})") if alts else None,
        label_line=re.compile(rf"^(?:{_NUMBER}\s*)?[【\[［〔<＜]?\s*(?P<label>{alts})\s*[】\]］〕>＞]?\s*[:：]?\s*$")
        if alts else None,
        venue_mark=re.compile(rf"{_BEFORE_LABEL}(?:{_spaced(marks)})\s*[:：]?\s*(?=\S)") if marks else None,
        record_suffix=re.compile(rf"(?P<suffix>{_spaced(suffixes)}){_BRACKET_NOTE}(?=\s|$)") if suffixes else None,
        body_suffixes=tuple(sorted(profile.words("header", "body_suffixes"), key=len, reverse=True)),
        session_kinds=profile.words("header", "session_kinds"),
        heading_words=profile.words("header", "heading_words"),
    )


# --- lines ---------------------------------------------------------------------------------------

def text_to_header_text(text: str) -> str:
    """A line as the reader reads it: normalized, table rules turned into spaces."""
    return re.sub(r"\s+", " ", _BOX.sub(" ", normalize_text(text))).strip()


def _join_wrapped(parts: list[str]) -> str:
    """A cell's lines as one text: a space only between two letters or digits (2023/6/20 13:00)."""
    out = ""
    for part in (p.strip() for p in parts):
        if part:
            out += (" " if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii()
                    and part[0].isalnum() else "") + part
    return out


def table_to_lines(table: Table) -> list[HeaderLine]:
    """A ruled table of the header, one line per row: ``label value`` as the cells read.

    The cells say which text is a label and which its value, where the page's lines
    would interleave a label centered beside a value of two lines.
    """
    out = []
    for r, row in enumerate(table.rows):
        cells = [_join_wrapped([text_to_header_text(part) for part in c.split("\n")]) for c in row if c]
        text = " ".join(c for c in cells if c)
        if text:
            boxes = [b for b in (table.cell_bboxes[r] if r < len(table.cell_bboxes) else []) if b]
            top = min((b[1] for b in boxes), default=table.bbox[1])
            out.append(HeaderLine(text, table.bbox[0], table.bbox[2], top))
    return out


def page_to_header_lines(page: Page, keep=lambda top: True) -> list[HeaderLine]:
    """The lines of a page as the header reader reads them; a ruled table's rows replace its lines."""
    tables = [t for t in page.tables if keep(t.bbox[1])]
    out = []
    for ln in page.lines:
        if not keep(ln.top) or any(t.bbox[1] - 1 <= ln.top <= t.bbox[3] and t.bbox[0] - 1 <= ln.x0 <= t.bbox[2]
                                   for t in tables):
            continue
        text = text_to_header_text(ln.text)
        if text:
            out.append(HeaderLine(text, ln.x0, ln.x1, ln.top, ln.bottom, page.source == "ocr"))
    for t in tables:
        out.extend(table_to_lines(t))
    return sorted(out, key=lambda h: h.top)


def document_to_header_lines(doc: Document, outline: Outline) -> list[HeaderLine]:
    """The lines of the header: the first page of the cover section (page 1 without one).

    A header is printed on one page; later pages of a long cover section hold lists
    and minutes, whose 場所 or 開会 are not the meeting's.
    """
    section = outline.first("cover")
    if section is None:
        return page_to_header_lines(doc.pages[0]) if doc.pages else []
    page = next((p for p in doc.pages if p.number == section.start[0]), None)
    if page is None:
        return []
    end = section.end

    def keep(top: float) -> bool:
        # the line that opens the next section is read too: a list heading found mid-line
        # (第四委員会室 3 出席した委員 …) shares it with the header's last value
        return section.contains(page.number, top) or (end is not None and end[0] == page.number
                                                      and abs(top - end[1]) < 0.5)

    return page_to_header_lines(page, keep)


def _strip_number(text: str) -> str:
    return _LEADING_NUMBER.sub("", text, count=1)


# --- dates and times -----------------------------------------------------------------------------

def text_to_day(text: str) -> tuple[date, str | None] | None:
    """The first full date printed with its year in ``text``, and the weekday printed after it.

    ``平成29年全員協議会( 7月24日) 平成29年7月 … 平成29年7月24日(月曜日)`` gives
    2017-07-24 and 月: a year alone, a month, or a day without its year is passed over.

    Returns:
        (the day, the weekday character or None), or None without such a date.
    """
    for m in _YEAR_START.finditer(text):
        span = parse_date(text[m.start():])
        if span is not None and span.precision == "day":
            rest = text[m.start():]
            wd = _WEEKDAY.search(rest)
            # the weekday is the date's when nothing but the date stands between them
            return span.start, (wd.group(1) if wd and is_datetime_only(rest[: wd.start()]) else None)
    return None


def text_to_times(text: str, *, at_start: bool = False) -> tuple[time | None, time | None]:
    """Start and end time printed in ``text`` (午後7時~8時50分 → 19:00, 20:50)."""
    return parse_time_span(text, at_start=at_start)


def text_after_datetime(text: str) -> str:
    """What follows the date and time a text opens with (the venue after 日時及び場所's time)."""
    m = _DATETIME_RUN.match(text)
    return text[m.end():].strip() if m else text.strip()


def strip_leading_date(text: str) -> str:
    """A title without the date it opens with (平成31年3月14日スポーツ…, 令和 3年12月 …).

    A year alone stays: 令和5年第2回定例会 is the session's name.
    """
    m = _DATETIME_RUN.match(text)
    if m and re.search(r"[月時:./]", m.group()):
        return text[m.end():].strip()
    return text.strip()


def is_datetime_only(text: str) -> bool:
    """Whether ``text`` holds a date or time and nothing else."""
    return bool(text.strip()) and not text_after_datetime(text)


# --- labels --------------------------------------------------------------------------------------

def _label_like(text: str, vocab: Vocabulary) -> bool:
    """A short line with no number that could label a value (an unknown label in a block)."""
    t = re.sub(r"\s+", "", _strip_number(text)).rstrip(":：")
    return (0 < len(t) <= DEFAULT_LABEL_CHARS and not re.search(r"[\d、。，,「」()（）]", t)
            and text_to_day(t) is None)


def _label_only(text: str, vocab: Vocabulary) -> str | None:
    """The kind of label ``text`` is, when it is a label and nothing else."""
    if vocab.label_line is None:
        return None
    m = vocab.label_line.match(text)
    return vocab.kind_of(m.group("label")) if m else None


def value_fits(kind: str, value: str, vocab: Vocabulary) -> bool:
    """Whether ``value`` can be the value of a label of ``kind`` (a date under 日時 …)."""
    if _label_only(value, vocab):
        return False
    if kind in ("date", "datetime_venue"):
        return text_to_day(value) is not None
    if kind in ("time", "start", "end"):
        return text_to_times(value, at_start=True)[0] is not None
    if kind == "venue":
        return bool(value.strip()) and not is_datetime_only(value)
    return True


def lines_to_label_blocks(lines: list[HeaderLine], vocab: Vocabulary) -> tuple[list[Field], set[int]]:
    """Labels printed as a block of lines followed by their values in a block, in order.

    Two columns of labels and values often come out of a PDF as all the labels, then
    all the values (開催年月日 / 開催場所 / 委員数 / 開会 / 閉会, then 平成17年3月27日 / … /
    午後2時44分). A block is a run of lines that are labels (unknown short ones
    allowed between known ones), followed by as many lines, each of which fits its
    label's kind; otherwise the lines are left to the running-text reader.

    Returns:
        (the fields of every block, the indexes of the lines they used).
    """
    fields: list[Field] = []
    used: set[int] = set()
    texts = [ln.text for ln in lines]
    i = 0
    while i < len(texts):
        if not _label_only(texts[i], vocab):
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(texts) and (_label_only(texts[j], vocab) or _label_like(texts[j], vocab)):
            run.append(j)
            j += 1
        while run and not _label_only(texts[run[-1]], vocab):
            run.pop()
        k = len(run)
        values = texts[run[-1] + 1: run[-1] + 1 + k]
        known = [(n, _label_only(texts[r], vocab)) for n, r in enumerate(run) if _label_only(texts[r], vocab)]
        if len(known) >= 2 and len(values) == k and all(value_fits(kind, values[n], vocab) for n, kind in known):
            for n, kind in known:
                fields.append(Field(kind, texts[run[n]], values[n], run[n]))
            used.update(range(run[0], run[-1] + 1 + k))
            i = run[-1] + 1 + k
        else:
            i = run[-1] + 1
    return fields, used


def lines_to_fields(lines: list[HeaderLine], vocab: Vocabulary, skip: set[int] = frozenset()) -> list[Field]:
    """Every label in the running text of ``lines`` with the text after it, up to the next label.

    The lines are read as one text, so that a value on the line below its label, two
    labels on one line, and a paragraph flattened into labels and values interleaved
    read alike. A list number left before the next label is not part of the value.
    """
    if vocab.label is None:
        return []
    texts = ["" if n in skip else ln.text for n, ln in enumerate(lines)]
    stream = "\n".join(texts)
    found = [(m.start(), m.end(), m.group("label")) for m in vocab.label.finditer(stream)]
    if vocab.venue_mark is not None:
        for m in vocab.venue_mark.finditer(stream):
            if not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), None))
    found.sort()
    out = []
    for n, (s, e, label) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(stream)
        value = _TRAILING_NUMBER.sub("", stream[e:end])
        line_start = stream.rfind("\n", 0, s) + 1
        before = stream[max(line_start, found[n - 1][1] if n else 0):s]
        kind = "venue" if label is None else vocab.kind_of(label)
        out.append(Field(kind, label or stream[s:e].strip(), value, stream.count("\n", 0, s), before))
    return out


def _value_lines(value: str, limit: int = DEFAULT_VALUE_LINES) -> list[str]:
    """The lines of a value: the rest of the label's line and the lines below, up to ``limit``."""
    parts = value.split("\n")[:limit]
    return [p.strip() for p in parts if p.strip()]


def value_to_venue(value: str) -> str | None:
    """The venue in a label's value: its first line, up to a numbered step printed after it."""
    first = next(iter(_value_lines(value, DEFAULT_VALUE_LINES)), "")
    first = _NUMBERED_STEP.split(first, maxsplit=1)[0].strip()
    return first or None


def value_to_title(value: str, vocab: Vocabulary) -> str | None:
    """The title under a label such as 会議名: its first line, without a record suffix."""
    first = next(iter(_value_lines(value, DEFAULT_VALUE_LINES)), "")
    m = vocab.record_suffix.search(first) if vocab.record_suffix is not None else None
    if m:
        first = _strip_suffix(first[: m.start()].rstrip(), re.sub(r"\s+", "", m.group("suffix")), vocab)
    return _TITLE_MARKS.sub("", first).strip() or None


def field_to_time(field: Field) -> tuple[time | None, time | None]:
    """The time a 開会, 閉会 or 時間 label gives.

    In order: a time opening the rest of its line (``開会 午前10時``, ``閉会日時 令和5年
    6月20日 午前11時``); a time right before the label on its line (``午前10時00分 開会``);
    for a label alone at the end of its line, a time opening the next line.
    """
    lines = field.value.split("\n")
    own = _DATE_PREFIX.sub("", lines[0], count=1) if text_to_day(lines[0]) else lines[0]
    start, end = text_to_times(own, at_start=True)
    if start is not None:
        return start, end
    m = _CLOCK_AT_END.search(field.before)
    if m and not own.strip():
        return text_to_times(m.group())
    if not own.strip() and not field.before.strip():
        nxt = next((ln for ln in lines[1:] if ln.strip()), "")
        nxt = _DATE_PREFIX.sub("", nxt, count=1) if text_to_day(nxt) else nxt
        return text_to_times(nxt, at_start=True)
    return None, None


def fields_to_meeting(fields: list[Field], vocab: Vocabulary | None = None) -> dict:
    """held_on, weekday_text, starts_at, ends_at, venue and title from the labelled fields.

    The first label of each kind that yields a value wins; times printed with the date
    come first, then 時間, then 開会/閉会 for what is still missing.
    """
    out: dict = {}
    times: dict = {}
    for f in fields:
        if f.kind in ("date", "datetime_venue"):
            text = " ".join(_value_lines(f.value))
            start, end = text_to_times(text)
            if start is not None:
                times.setdefault("date", (start, end))
            day = text_to_day(text)
            if day is None or "held_on" in out:
                continue
            out["held_on"], weekday = day
            if weekday:
                out["weekday_text"] = weekday
            if f.kind == "datetime_venue" and "venue" not in out:
                rest = [text_after_datetime(ln) for ln in _value_lines(f.value)]
                venue = next((r for r in rest if r and not is_datetime_only(r)), None)
                if venue:
                    out["venue"] = value_to_venue(venue)
        elif f.kind in ("time", "start", "end"):
            start, end = field_to_time(f)
            if start is not None:
                times.setdefault(f.kind, (start, end))
        elif f.kind == "venue" and "venue" not in out:
            venue = value_to_venue(f.value)
            if venue and not is_datetime_only(venue):
                out["venue"] = venue
        elif f.kind == "title" and "title" not in out and vocab is not None:
            title = value_to_title(f.value, vocab)
            if title:
                out["title"] = title
    for key in ("date", "time", "start"):
        if key in times:
            out.setdefault("starts_at", times[key][0])
            if times[key][1] is not None:
                out.setdefault("ends_at", times[key][1])
    if "end" in times and "ends_at" not in out:
        out["ends_at"] = times["end"][0]
    return out


def lines_to_unlabeled_meeting(lines: list[HeaderLine], vocab: Vocabulary) -> dict:
    """Date, time and venue printed without labels near the top of the header.

    The first full date with its year is the meeting's day; the time is the one after
    it on its line or a line below that opens with a time; the venue is the next line,
    when the date and time lines hold nothing else and that line is neither a label,
    a numbered step nor a body's name.
    """
    top = lines[:DEFAULT_UNLABELED_LINES]
    for i, ln in enumerate(top):
        found = text_to_day(ln.text)
        if found is None:
            continue
        out: dict = {"held_on": found[0]}
        if found[1]:
            out["weekday_text"] = found[1]
        start_at = _YEAR_START.search(ln.text).start()
        start, end = text_to_times(ln.text[start_at:])
        j = i + 1
        only_datetime = is_datetime_only(ln.text)
        while start is None and j < min(i + 3, len(top)):
            start, end = text_to_times(top[j].text, at_start=True)
            if start is None:
                break
            only_datetime = only_datetime and is_datetime_only(top[j].text)
            j += 1
        if start is not None:
            out["starts_at"] = start
            if end is not None:
                out["ends_at"] = end
        if only_datetime and j < len(top):
            nxt = top[j].text
            if (not _LEADING_NUMBER.match(nxt) and not _label_only(nxt, vocab) and text_to_day(nxt) is None
                    and not (vocab.label and vocab.label.search(nxt)) and not _ends_with_body(nxt, vocab)
                    and not is_heading_like(nxt, vocab)):
                out["venue"] = nxt.strip()
        return out
    return {}


def is_heading_like(text: str, vocab: Vocabulary) -> bool:
    """Whether a line reads as one of the record's headings rather than a place.

    A venue printed without a label is a bare place name; a line holding a heading
    word (議事日程, 会議録 …), a record suffix, or a document number (（第２号）, 第3号)
    is the record's next heading, not the venue.
    """
    t = re.sub(r"\s+", "", text)
    if any(w in t for w in vocab.heading_words):
        return True
    if vocab.record_suffix is not None and vocab.record_suffix.search(text):
        return True
    return bool(_DOC_NUMBER.search(t))


# --- title and body ------------------------------------------------------------------------------

def _ends_with_body(text: str, vocab: Vocabulary) -> bool:
    """Whether ``text`` ends with a body's name, a bracketed session after it (…部会（令和5年度第3回）) aside."""
    t = re.sub(r"[(（][^()（）]*[)）]$", "", re.sub(r"\s+", "", text))
    return any(t.endswith(b) for b in vocab.body_suffixes)


def _heading_text(lines: list[HeaderLine], i: int) -> str:
    """Line ``i`` with the centered heading lines right above it (a title set on two lines)."""
    head = [lines[i]]
    for ln in reversed(lines[:i]):
        tol = DEFAULT_CENTER_PT
        if ln.ink or head[0].ink:
            tol += DEFAULT_INK_CENTER_EMS * max(ln.bottom - ln.top, head[0].bottom - head[0].top, 0.0)
        if abs(ln.center - head[0].center) <= tol and abs(ln.x0 - head[0].x0) > DEFAULT_CENTER_PT:
            head.insert(0, ln)
        else:
            break
    return "".join(ln.text for ln in head[:-1]) + head[-1].text


def text_to_title(text: str, vocab: Vocabulary) -> str | None:
    """The title in the text before a record suffix, or in a heading line.

    The title is the last name ending with a body suffix, with the parts before it
    that are not names of their own (``「ワンチームとやま」 連携推進本部会議``,
    ``令和3年度 第4回 …``); a repeated name, a date or a month before it ends it
    (``令和 3年12月 広域連携推進特別委員会 広域連携推進特別委員会`` → the last one).
    """
    text = _TITLE_MARKS.sub("", text).strip()
    chunks = text.split()
    if not chunks:
        return None
    last = max((n for n, c in enumerate(chunks) if _ends_with_body(c, vocab)), default=len(chunks) - 1)
    first = last
    while first > 0 and _title_part(chunks[first - 1], vocab):
        first -= 1
    title = strip_leading_date("".join(chunks[first:last + 1]))
    return title or None


def _title_part(chunk: str, vocab: Vocabulary) -> bool:
    """Whether a chunk before a body's name belongs to its title: the year and session, or
    words without numbers; not another name, a date or a document number."""
    if _ends_with_body(chunk, vocab) or is_datetime_only(chunk):
        return False
    if re.fullmatch(rf"(?:{_FISCAL_YEAR.pattern})?\s*(?:{_SESSION.pattern})?", chunk):
        return True
    return not re.search(r"\d", chunk)


def _strip_suffix(before: str, suffix: str, vocab: Vocabulary) -> str:
    """The title before ``suffix``; 部局長会議録 is 部局長会議 + 録, not 部局長 + 会議録.

    A bracketed session after the body's name (里親等審査部会（令和5年度第3回）会議録) is the
    title's: the suffix is not cut into it.
    """
    core = re.sub(r"\s*[(（][^()（）]*[)）]$", "", before)
    if not before or _ends_with_body(before, vocab) or (core != before and _ends_with_body(core, vocab)):
        return before
    for j in range(len(suffix) - 1, 0, -1):
        if _ends_with_body(before + suffix[:j], vocab):
            return before + suffix[:j]
    return before


def lines_to_title(lines: list[HeaderLine], vocab: Vocabulary) -> str | None:
    """The meeting's title from the top lines of the header.

    A line with a record suffix (会議録, 議事録(要旨), 次第, の開催について …) gives the text
    before it; without one, a top line above the first label that, past a date, ends
    with a body suffix (``令和6年(2024年)12月20日部局長会議``).
    """
    top = lines[:DEFAULT_TITLE_LINES]
    if vocab.record_suffix is not None:
        for i, ln in enumerate(top):
            m = vocab.record_suffix.search(ln.text)
            if m is None:
                continue
            heading = _heading_text(lines, i)
            cut = len(heading) - len(ln.text) + m.start()
            before = heading[:cut].rstrip()
            title = text_to_title(_strip_suffix(before, re.sub(r"\s+", "", m.group("suffix")), vocab), vocab)
            if title:
                return title
    for ln in top:
        if vocab.label is not None and (vocab.label.search(ln.text) or _label_only(ln.text, vocab)):
            break
        rest = strip_leading_date(ln.text)
        if rest and _ends_with_body(rest, vocab) and not _LEADING_NUMBER.match(ln.text):
            return text_to_title(rest, vocab)
    return None


def title_to_parts(title: str, vocab: Vocabulary) -> dict:
    """meeting_body, fiscal_year and session_no of a title.

    ``令和3年度第4回「ワンチームとやま」連携推進本部会議`` → body 「ワンチームとやま」連携推進本部会議,
    fiscal year 2021, session 4: the body is the title without the year, the session
    and a session kind (臨時) it opens with.
    """
    out: dict = {}
    fy = _FISCAL_YEAR.search(title)
    if fy:
        span = parse_date(fy.group())
        if span is not None:
            out["fiscal_year"] = span.start.year
    session = _SESSION.search(title)
    if session:
        n = session.group(1)
        out["session_no"] = int(n) if n.isdigit() else kanji_to_int(n)
    kinds = "|".join(re.escape(k) for k in vocab.session_kinds)
    # 臨時 before the body's name is the session's kind; 臨時会 and 定例会 are sessions themselves
    lead = rf"^(?:{_FISCAL_YEAR.pattern})?\s*(?:{_SESSION.pattern})?\s*" + (rf"(?:(?:{kinds})(?!会)\s*)?" if kinds else "")
    body = re.sub(lead, "", title, count=1)
    body = re.sub(rf"\s*[(（]\s*(?:{_FISCAL_YEAR.pattern})?\s*{_SESSION.pattern}\s*[)）]", "", body).strip()
    out["meeting_body"] = body or title
    return out


def _printings_near(text: str, key: str, max_chars: int) -> str | None:
    """The piece of ``text`` closest to ``key`` (at most ``max_chars`` edits away), found
    around an unchanged third of ``key``; None when there is none.

    Of pieces as close, the shortest: a misread at an edge of a name is mostly a speck
    read as a character (『「ワン… against 「ワン…), not a neighbour's character (度「ワン…).
    """
    from pipeline.ocr_correct import edit_distance

    n = len(key)
    best, best_d = None, max_chars + 1
    for a in range(0, n - n // 3 + 1, max(n // 3, 1)):
        anchor = key[a:a + max(n // 3, 1)]
        at = text.find(anchor)
        while at >= 0:
            for start in range(max(at - a - max_chars, 0), at - a + max_chars + 1):
                for length in range(n - max_chars, n + max_chars + 1):
                    piece = text[start:start + length]
                    if len(piece) != length:
                        continue
                    d = edit_distance(piece, key, max_chars)
                    if d < best_d or (d == best_d and best is not None and len(piece) < len(best)):
                        best, best_d = piece, d
            at = text.find(anchor, at + 1)
    return best


def document_to_body_reading(doc: Document, body: str, max_chars: int = DEFAULT_BODY_MISREAD_CHARS,
                             min_chars: int = DEFAULT_BODY_MIN_CHARS) -> tuple[str, int]:
    """The body's name as the document prints it most often, for an OCR'd cover's reading.

    A packet prints its body's name on several pages (the cover, the seating chart, a
    list heading, a material's title); a scan's misread of it (「ウワンチーム…, a speck
    read as 『) is rarely repeated alike. Each line's printing closest to the cover's
    reading (at most ``max_chars`` edits away) is a vote; the cover's own reading wins ties.

    Returns:
        (the reading, how many lines print it).
    """
    key = re.sub(r"\s+", "", body)
    if len(key) < min_chars:
        return body, 0
    votes: dict[str, int] = {}
    for page in doc.pages:
        for ln in page.lines:
            piece = _printings_near(re.sub(r"\s+", "", normalize_text(ln.text)), key, max_chars)
            if piece is not None:
                votes[piece] = votes.get(piece, 0) + 1
    best = max(votes, key=lambda v: (votes[v], v == key), default=key)
    if votes.get(best, 0) <= votes.get(key, 0):
        return body, votes.get(key, 0)
    return best, votes[best]


def document_to_full_title(doc: Document, body: str) -> dict:
    """``<年度>第N回<body>`` printed anywhere in the document (配席図, list headings).

    A cover that names only the body (``○○会議 次第``) leaves the year and the session
    to other pages; every space is dropped, as OCR and letter-spacing put them anywhere.
    """
    pat = re.compile(rf"({_FISCAL_YEAR.pattern})第(\d+)回" + re.escape(re.sub(r"\s+", "", body)))
    for page in doc.pages:
        for ln in page.lines:
            m = pat.search(re.sub(r"\s+", "", normalize_text(ln.text)))
            if m:
                return {"title": m.group(0)}
    return {}


def _clock_line_pattern(vocab: Vocabulary) -> re.Pattern | None:
    """A line that is a clock time and a 開会/閉会 word and nothing else, either way round,
    perhaps in brackets (``午後２時47分 散会``, ``（午後２時18分閉会）``, ``閉会（午後3時）``)."""
    words = [w for w, kind in vocab.kinds.items() if kind in ("start", "end")]
    if not words:
        return None
    alts = _spaced(words)
    return re.compile(rf"^[(（〔]?\s*(?:(?P<c1>{_CLOCK})\s*(?P<w1>{alts})"
                      rf"|(?P<w2>{alts})\s*[:：]?\s*[(（〔]?\s*(?P<c2>{_CLOCK}))\s*[)）〕]?$")


def document_to_clock_lines(doc: Document, vocab: Vocabulary) -> dict:
    """starts_at and ends_at from the record's own 開会 and 散会 lines, wherever they stand.

    A record prints when the sitting opened and closed as lines of their own in its
    minutes (``午前10時00分 開議`` on page 2, ``午後２時47分 散会`` at its end), not only
    in the header: the first opening line and the last closing line are the meeting's.
    """
    pat = _clock_line_pattern(vocab)
    if pat is None:
        return {}
    found: dict = {}
    for page in doc.pages:
        for ln in page.lines:
            m = pat.match(text_to_header_text(ln.text))
            if m is None:
                continue
            word, clock = (m.group("w1"), m.group("c1")) if m.group("w1") else (m.group("w2"), m.group("c2"))
            at = text_to_times(clock)[0]
            kind = vocab.kind_of(word)
            if at is None:
                continue
            if kind == "start":
                found.setdefault("starts_at", at)
            elif kind == "end":
                found["ends_at"] = at
    return found


# --- the parser ----------------------------------------------------------------------------------

def lines_to_header(lines: list[HeaderLine], vocab: Vocabulary) -> tuple[dict, list[str]]:
    """The documents fields of a header's lines, and what could not be read (for warnings)."""
    problems = []
    block_fields, used = lines_to_label_blocks(lines, vocab)
    fields = block_fields + lines_to_fields(lines, vocab, used)
    fields.sort(key=lambda f: f.line)
    out = fields_to_meeting(fields, vocab)
    for f in fields:
        if f.kind == "date" and "held_on" not in out and _value_lines(f.value):
            problems.append(f"{f.label} without a readable date: {_value_lines(f.value)[0]!r}")
            break
    unlabeled = lines_to_unlabeled_meeting(lines, vocab)
    if "held_on" not in out:
        for k, v in unlabeled.items():
            out.setdefault(k, v)
    elif unlabeled.get("held_on") == out["held_on"]:
        # the labelled date printed again with its time (a title line): the time only
        for k in ("starts_at", "ends_at"):
            if k in unlabeled:
                out.setdefault(k, unlabeled[k])
    title = out.get("title") or lines_to_title(lines, vocab)
    if title:
        out["title"] = title
        out.update({k: v for k, v in title_to_parts(title, vocab).items() if v is not None})
    return out, problems


def document_to_header(doc: Document, ctx: Context) -> ParseResult:
    """The documents fields of a document's meeting header (see the module docstring).

    Args:
        doc: the IR.
        ctx: the profile (its ``[header]`` vocabulary) and the outline (its cover section).

    Returns:
        A ParseResult with ``fields`` (title, meeting_body, fiscal_year, session_no,
        held_on, weekday_text, starts_at, ends_at, venue: those found) and warnings.
    """
    vocab = profile_to_vocabulary(ctx.profile)
    lines = document_to_header_lines(doc, ctx.outline)
    fields, problems = lines_to_header(lines, vocab)
    res = ParseResult()
    page = ctx.outline.first("cover").start[0] if ctx.outline.first("cover") else None
    for p in problems:
        res.warn(STAGE, page, p)
    cover = next((p for p in doc.pages if p.number == page), doc.pages[0] if doc.pages else None)
    if fields.get("meeting_body") and cover is not None and cover.source == "ocr":
        read = fields["meeting_body"]
        body, n = document_to_body_reading(doc, read)
        if body != read:
            res.warn(STAGE, page, f"the cover's body name read as {read!r} is {body!r}, as printed on {n} lines")
            fields["meeting_body"] = body
            fields["title"] = (fields.get("title") or read).replace(read, body)
    if fields.get("meeting_body") and (fields.get("session_no") is None or fields.get("fiscal_year") is None):
        full = document_to_full_title(doc, fields["meeting_body"])
        if full:
            fields["title"] = full["title"]
            fields.update({k: v for k, v in title_to_parts(full["title"], vocab).items()
                           if k != "meeting_body" and fields.get(k) is None})
    if fields.get("fiscal_year") is None and fields.get("held_on"):
        fields["fiscal_year"] = fiscal_year_of(fields["held_on"])
    if fields.get("held_on") and (fields.get("starts_at") is None or fields.get("ends_at") is None):
        clock = document_to_clock_lines(doc, vocab)
        if fields.get("starts_at") is None and clock.get("starts_at") is not None:
            fields["starts_at"] = clock["starts_at"]
        start, end = fields.get("starts_at"), clock.get("ends_at")
        if fields.get("ends_at") is None and end is not None and (start is None or end > start):
            fields["ends_at"] = end
    res.fields.update({k: fields[k] for k in FIELDS if fields.get(k) is not None})
    return res


def document_to_context(doc: Document, profile: Profile) -> Context:
    """A Context for reading ``doc`` with ``profile`` outside the parse stage (tests, the cover)."""
    return Context(profile, document_to_outline(doc, profile))


@register("header", tables=(), phase="header")
def header_parser(doc: Document, ctx: Context) -> ParseResult:
    """The documents fields of the meeting (title, body, date, times, venue), for every profile."""
    return document_to_header(doc, ctx)
