"""Parse the 次第 (cover page): the meeting, its agenda (議事) and its materials (配付資料).

Keys on the genre's vocabulary (次第, 日時, 場所/会場, 議事, 配付資料, 資料N), not on
any one body's names, so another prefecture's or another year's cover parses too.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex as re

from pipeline.ir import Document, Page
from pipeline.layout import is_page_number
from pipeline.normalize import fiscal_year_of, normalize_text, parse_date, parse_time_span
from pipeline.registry import register
from pipeline.rows import Context, Meeting, ParseResult

STAGE = "parse_cover"
#: A 配付資料 line ending within this many character widths of the list's right edge was wrapped.
DEFAULT_WRAP_EMS = 1.5

_ERA_FY = r"(?:令和|平成|昭和|R|H)\s*(?:\d+|元)\s*年度"
_HEADING_PARTS = re.compile(
    rf"^(?P<fy>{_ERA_FY})?\s*(?:第\s*(?P<no>\d+)\s*回)?\s*(?P<body>.*?)\s*$")
_SESSION = re.compile(r"第\s*(\d+)\s*回")
_FY = re.compile(rf"({_ERA_FY})")
_WEEKDAY = re.compile(r"[（(〈]\s*([月火水木金土日])(?:曜日?)?\s*[）)〉]")
_LABEL = {
    "date": re.compile(r"^(?:\d+\s*)?(?:日\s*時|開催日時|日\s*付)\s*[:：]?\s*"),
    "venue": re.compile(r"^(?:\d+\s*)?(?:場\s*所|会\s*場|開催場所)\s*[:：]?\s*"),
}
_AGENDA_HEAD = re.compile(r"^(?:(?:第\s*)?(?:\d+|[一二三四五六七八九十]+))?[\s.．、]*議\s*(?:事|題)(?:\s*事\s*項)?\s*$")
_TOP_LEVEL = re.compile(r"^(?:第\s*)?(?:\d+|[一二三四五六七八九十]+)[\s.．、]+\S")
#: 於 (at) may open a venue printed without a label.
_VENUE_MARK = re.compile(r"^於\s*")
#: ⑴–⒇ (parenthesized) and ⒈–⒛ (with a full stop) are single code points Word's numbering prints.
# OCR garbles a (N) mark now and then ((3③), (l)): up to three digit-like characters
# inside the brackets still make a mark.
_ITEM_MARK = re.compile(r"^(?:[(（]\s*[\dlI①-⑳]{1,3}\s*[)）]|[①-⑳⑴-⒇⒈-⒛]|\d+[.．)）]|[・●○])\s*")
#: The numbering of a line as a style: the 議事 heading's style marks the program's top level.
_NUMBERING_STYLES = (
    ("paren", re.compile(r"^[(（]\s*\d+\s*[)）]")), ("circled", re.compile(r"^[①-⑳]")),
    ("paren_single", re.compile(r"^[⑴-⒇]")), ("stop_single", re.compile(r"^[⒈-⒛]")),
    ("dai", re.compile(r"^第\s*(?:\d+|[一二三四五六七八九十]+)")), ("kanji", re.compile(r"^[一二三四五六七八九十]+\s*[、.．]?")),
    ("digit_stop", re.compile(r"^\d+\s*[.．]")), ("digit_paren", re.compile(r"^\d+\s*[)）]")),
    ("digit", re.compile(r"^\d+(?=\s)")),
)
_MATERIALS_HEAD = re.compile(r"^[【\[［〔〈<《■□◆◇●○]?\s*(?:配\s*付\s*資\s*料|配\s*布\s*資\s*料|資\s*料\s*一\s*覧)"
                             r"(?:\s*一\s*覧)?\s*[】\]］〕〉>》]?\s*$")
_MATERIAL = re.compile(r"^(?P<label>(?:参考資料|資料)\s*[0-9]+(?:\s*[-－‐]\s*[0-9]+)?)\s*(?P<title>.*)$")
#: A 配付資料 line ending like this is a whole entry even when it fills the line: （担当部局） or a full stop.
_ENDS_COMPLETE = re.compile(r"[）)。]$")
#: A line this far (pt) right of where the list entries start continues the entry above.
DEFAULT_INDENT_PT = 5.0
_DEPT_TAIL = re.compile(r"[（(]([^（）()]*?(?:局|部|課|室|庁|センター|委員会|本部|事務所|所|会))[）)]\s*$")


@dataclass(frozen=True)
class _L:
    """A cover line, normalized, with its position."""

    text: str
    compact: str
    x0: float
    top: float
    page: int
    x1: float = 0.0
    bottom: float = 0.0


def _lines(page: Page) -> list[_L]:
    out = []
    for ln in page.lines:
        t = normalize_text(ln.text).strip()
        if t:
            out.append(_L(t, re.sub(r"\s+", "", t), ln.x0, ln.top, page.number, ln.x1, ln.bottom))
    return out


def _join_cjk(text: str) -> str:
    """Drop spaces that only separate Japanese characters (heading letter-spacing)."""
    return re.sub(r"(?<![A-Za-z0-9])\s+(?![A-Za-z0-9])", "", text).strip()


def find_cover_page(doc: Document) -> Page | None:
    """The first page with a 次第 heading."""
    for page in doc.pages:
        for ln in page.lines[:8]:
            if "次第" in re.sub(r"\s+", "", normalize_text(ln.text)):
                return page
    return None


def document_to_cover(doc: Document) -> tuple[ParseResult, dict, Meeting]:
    """Parse the cover into the documents fields, agenda_items and materials rows.

    Returns:
        (result with agenda_items/materials rows and warnings, the documents fields,
        the Meeting later parsers resolve dates against).
    """
    res = ParseResult()
    fields: dict = {}
    page = find_cover_page(doc)
    if page is None:
        res.warn(STAGE, None, "no 次第 (agenda) page found: meeting date, venue and agenda are empty")
        fields.update(_title_from_anywhere(doc, None))
        return res, fields, Meeting(fiscal_year=fields.get("fiscal_year"))
    lines = _lines(page)
    heading, rest = _split_heading(lines)
    fields.update(_heading_fields(heading))
    if not fields.get("title") or fields.get("session_no") is None or fields.get("fiscal_year") is None:
        found = _title_from_anywhere(doc, fields.get("meeting_body"))
        for k, v in found.items():
            if fields.get(k) is None:
                fields[k] = v
    fields.update(_date_venue(rest, res, page.number))
    held_on = fields.get("held_on")
    if fields.get("fiscal_year") is None and held_on:
        fields["fiscal_year"] = fiscal_year_of(held_on)
    if not fields.get("title") and fields.get("meeting_body"):
        fields["title"] = fields["meeting_body"]
    res.add("agenda_items", _agenda(rest))
    res.add("materials", _materials(rest))
    if not res.tables["agenda_items"]:
        res.warn(STAGE, page.number, "次第 has no 議事 entries")
    return res, fields, Meeting(held_on=held_on, fiscal_year=fields.get("fiscal_year"))


def _split_heading(lines: list[_L]) -> tuple[str, list[_L]]:
    for i, ln in enumerate(lines[:8]):
        if "次第" in ln.compact:
            head = "".join(x.text for x in lines[: i + 1])
            return head, lines[i + 1:]
    return "", lines


def _heading_fields(heading: str) -> dict:
    text = _join_cjk(heading)
    text = re.sub(r"次第.*$", "", text)
    m = _HEADING_PARTS.match(text)
    if not m or not m.group("body"):
        return {}
    out = {"meeting_body": m.group("body")}
    if m.group("fy") and m.group("no"):
        out["title"] = text
    if m.group("no"):
        out["session_no"] = int(m.group("no"))
    if m.group("fy"):
        span = parse_date(m.group("fy"))
        if span:
            out["fiscal_year"] = span.start.year
    return out


def _title_from_anywhere(doc: Document, body: str | None) -> dict:
    """A `<年度>第N回<body>` title printed elsewhere (配席図, 出席者 headings)."""
    pat = re.compile(rf"({_ERA_FY})第(\d+)回"
                     + (re.escape(re.sub(r"\s+", "", body)) if body else r"(\S*会議)"))
    for page in doc.pages:
        for ln in page.lines:
            # every space dropped: OCR and letter-spacing put them anywhere (第4 回)
            compact = re.sub(r"\s+", "", normalize_text(ln.text))
            m = pat.search(compact)
            if m:
                span = parse_date(m.group(1))
                out = {"title": m.group(0), "session_no": int(m.group(2))}
                if span:
                    out["fiscal_year"] = span.start.year
                if not body:
                    out["meeting_body"] = m.group(3)
                return out
    return {}


def _date_venue(lines: list[_L], res: ParseResult, page_no: int) -> dict:
    out: dict = {}
    for i, ln in enumerate(lines):
        if "held_on" not in out and (m := _LABEL["date"].match(ln.text)):
            value = ln.text[m.end():]
            # the time often sits on the next line (午後3時～4時30分)
            tail = []
            for nxt in lines[i + 1:i + 3]:
                if _LABEL["venue"].match(nxt.text) or _TOP_LEVEL.match(nxt.text):
                    break
                tail.append(nxt.text)
            fields = _date_fields(value, tail)
            if fields is None:
                res.warn(STAGE, page_no, f"日時 without a readable date: {value!r}")
                continue
            out.update(fields)
        elif "venue" not in out and (m := _LABEL["venue"].match(ln.text)):
            out["venue"] = ln.text[m.end():].strip()
    if "held_on" not in out:
        unlabeled = _unlabeled_date_venue(lines, res, page_no)
        out.update({k: v for k, v in unlabeled.items() if k not in out})
    return out


def _date_fields(value: str, tail: list[str]) -> dict | None:
    """held_on, the printed weekday and start/end times of a 日時 text; None without a date.

    The weekday is only recorded: the data check weekday_matches_date compares it with
    held_on for every document, in one place.
    """
    span = parse_date(value)
    if span is None:
        return None
    out: dict = {"held_on": span.start}
    wd = _WEEKDAY.search(value)
    if wd:
        out["weekday_text"] = wd.group(1)
    out["starts_at"], out["ends_at"] = parse_time_span(" ".join([value, *tail]))
    return out


def _unlabeled_date_venue(lines: list[_L], res: ParseResult, page_no: int) -> dict:
    """Date, time and venue printed without labels under the heading (often right-aligned).

    The block before the program's first step is read: its first line with a full
    date is the meeting day, the lines right after it that hold a time are the
    time, and the next line is the venue.
    """
    block: list[_L] = []
    for ln in lines:
        if _TOP_LEVEL.match(ln.text) or _AGENDA_HEAD.match(ln.text) or _MATERIALS_HEAD.match(ln.text):
            break
        block.append(ln)
    for i, ln in enumerate(block):
        span = parse_date(ln.text)
        if span is None or span.precision != "day":
            continue
        j = i + 1
        while j < len(block) and parse_date(block[j].text) is None and any(parse_time_span(block[j].text)):
            j += 1
        out = _date_fields(ln.text, [b.text for b in block[i + 1:j]]) or {}
        if j < len(block):
            out["venue"] = _VENUE_MARK.sub("", block[j].text).strip()
        return out
    return {}


def text_to_numbering(text: str) -> str | None:
    """The numbering style a line opens with (``3 議事`` → digit, ``三、議事`` → kanji), or None."""
    return next((name for name, pat in _NUMBERING_STYLES if pat.match(text)), None)


def _ends_agenda(ln: _L, head: _L, head_style: str | None) -> bool:
    """A program step after 議事 (``4 閉会``): a top-level line at the heading's indent.

    A line numbered like the 議事 heading itself is a step even when its mark could
    number an agenda entry too (``4. 閉会`` after ``3. 議事`` and ``① …`` entries).
    """
    if not _TOP_LEVEL.match(ln.text) or ln.x0 > head.x0 + 3:
        return False
    return not _ITEM_MARK.match(ln.text) or (head_style is not None and text_to_numbering(ln.text) == head_style)


def _agenda(lines: list[_L]) -> list[dict]:
    rows: list[dict] = []
    head: _L | None = None
    head_style: str | None = None
    for ln in lines:
        if head is None:
            if _AGENDA_HEAD.match(ln.text):
                head, head_style = ln, text_to_numbering(ln.text)
            continue
        if _MATERIALS_HEAD.match(ln.text) or is_page_number(ln.text) or _ends_agenda(ln, head, head_style):
            break
        if rows and ln.x0 < rows[0]["_x0"] - DEFAULT_INDENT_PT:
            break  # back left of the entries: the program's next step (4 閉会), however numbered
        m = _ITEM_MARK.match(ln.text)
        # A wrapped entry continues under its text, right of where the entries start; a
        # line that starts where the entries start is a new entry even when its mark is
        # unreadable.
        if rows and not m and ln.x0 > rows[0]["_x0"] + DEFAULT_INDENT_PT:
            rows[-1]["title"] += ln.text
        else:
            rows.append({"seq": len(rows) + 1, "title": ln.text[m.end():].strip() if m else ln.text,
                         "page": ln.page, "_x0": ln.x0})
    for r in rows:
        r.pop("_x0")
    return rows


def _materials(lines: list[_L]) -> list[dict]:
    rows: list[dict] = []
    started = False
    label_x0 = 0.0
    right = _list_right_edge(lines)
    prev: _L | None = None
    for ln in lines:
        if not started:
            started = bool(_MATERIALS_HEAD.match(ln.text))
            continue
        if is_page_number(ln.text):
            break  # the page's footer: nothing after it belongs to the list
        m = _MATERIAL.match(ln.text)
        if m:
            label_x0 = ln.x0
            rows.append({"label": re.sub(r"\s+", "", m.group("label")), "title": m.group("title").strip(),
                         "page": ln.page})
        elif rows and (not rows[-1]["title"] or ln.x0 > label_x0 + 3 or _wrapped(prev, right)):
            rows[-1]["title"] += ln.text
        elif rows:
            break
        prev = ln
    for i, r in enumerate(rows, 1):
        r["seq"] = i
        d = _DEPT_TAIL.search(r["title"])
        r["department"] = d.group(1) if d else None
        if d:
            r["title"] = r["title"][: d.start()].rstrip()
    return rows


def _list_right_edge(lines: list[_L]) -> float:
    """Where the 配付資料 entries' lines end at the widest: the right edge a long title wraps at."""
    return max((ln.x1 for ln in lines if _MATERIAL.match(ln.text)), default=0.0)


def _wrapped(line: _L | None, right: float) -> bool:
    """Whether ``line`` ran to the list's right edge, so the next line continues it.

    A title that wraps without a hanging indent starts its next line under the
    label; only a line that was full tells that continuation from a new paragraph.
    """
    if line is None or not line.x1 or _ENDS_COMPLETE.search(line.text):
        return False
    em = max(line.bottom - line.top, 1.0)
    return right - line.x1 <= DEFAULT_WRAP_EMS * em



@register("header", tables=(), phase="header")
def header_parser(doc: Document, ctx: Context) -> ParseResult:
    """The documents fields of the meeting (title, body, date, times, venue) from its cover."""
    cover, fields, _ = document_to_cover(doc)
    return ParseResult(fields=fields, warnings=cover.warnings)


@register("cover", tables=("agenda_items", "materials"))
def cover_parser(doc: Document, ctx: Context) -> ParseResult:
    """The 議事 and 配付資料 lists of the 次第 (its warnings come with the header)."""
    cover, _, _ = document_to_cover(doc)
    return ParseResult(tables=cover.tables)
