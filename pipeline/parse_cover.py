"""Parse the 次第 (cover page): its agenda (議事) and its materials (配付資料).

Keys on the genre's vocabulary (次第, 議事, 配付資料, 資料N), not on any one body's
names, so another prefecture's or another year's cover parses too. The meeting the
cover names (title, date, time, venue) is read by the one header reader of every
profile, pipeline.parse_header.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import regex as re

from pipeline.ir import Document, Page
from pipeline.layout import is_page_number
from pipeline.normalize import normalize_text
from pipeline.parse_header import document_to_context, document_to_header
from pipeline.outline import Outline, Section
from pipeline.profile import Profile, default_profile
from pipeline.provenance import Box, boxes_to_columns
from pipeline.registry import register
from pipeline.rows import Context, Meeting, ParseResult

STAGE = "parse_cover"
#: A 配付資料 line ending within this many character widths of the list's right edge was wrapped.
DEFAULT_WRAP_EMS = 1.5

# (a scan's speck in the gap of a spaced 議 事 reads as a period: 3議.事; one after it, as 、 or a
# dash: 3議事 、, 3議事 -)
_AGENDA_HEAD = re.compile(r"^(?:(?:第\s*)?(?:\d+|[一二三四五六七八九十]+))?[\s.．、]*議[\s.．,'`]*(?:事|題)(?:\s*事\s*項)?"
                          r"[\s.．、。,，'`:：\-‐－―]*$")
#: A numbered step of the program (2 知事あいさつ; a scan may lose the space: 2知事あいさつ).
_STEP = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[\s.．、]*[^\s\d.．、)）]")
#: The first entry of a (1), (2) … agenda.
_FIRST_ENTRY = re.compile(r"^[(（]\s*[1１lI]\s*[)）]")
_TOP_LEVEL = re.compile(r"^(?:第\s*)?(?:\d+|[一二三四五六七八九十]+)[\s.．、]+\S")
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
#: The default material labels, when no profile gives its own ([cover] material_labels).
DEFAULT_MATERIAL_LABELS = ("参考資料", "資料", "別紙", "別添", "参考")
#: A 配付資料 line ending like this is a whole entry even when it fills the line: （担当部局） or a full stop.
_ENDS_COMPLETE = re.compile(r"[）)。]$")
#: A line this far (pt) right of where the list entries start continues the entry above.
DEFAULT_INDENT_PT = 5.0
#: A speck between an OCR'd label or agenda mark and its title, read as a dash or a period (資料3-令和5年度…,
#: (2)-令和4年度…), a bar or a closing bracket (資料1】令和4年度…: print opens no title with one):
#: a sub-number has digits after its dash.
_OCR_TITLE_SPECK = re.compile(r"^[-‐－―.,'`|｜】」』]+\s*(?=[\p{Han}\p{Hiragana}\p{Katakana}「『（(])")
#: A speck before an OCR'd material's label, read as a comma, a period or a quote (、参考資料2…).
_LEAD_SPECK = re.compile(r"^[、。,，.．'`]+\s*")
#: An OCR'd agenda entry that ends in a bracketed note whose opening bracket was lost
#: (…対策について報告)): the note is the kanji after the last kana, as (報告) and (案) are.
_UNOPENED_NOTE = re.compile(r"(?<=[\p{Hiragana}\p{Katakana}])(?P<note>\p{Han}{1,4})(?P<close>[)）])$")
#: ... or whose closing bracket was lost (…対策について(報告): the same note, its bracket open.
_UNCLOSED_NOTE = re.compile(r"(?<=[\p{Hiragana}\p{Katakana}])(?P<open>[(（])\p{Han}{1,4}$")
#: (a scan's speck after the bracket reads as a colon or a period: （地方創生局）:)
_DEPT_TAIL = re.compile(r"[（(]([^（）()]*?(?:局|部|課|室|庁|センター|委員会|本部|事務所|所|会))[）)][\s.．、,，'`:：]*$")


@dataclass(frozen=True)
class _L:
    """A cover line, normalized, with its position."""

    text: str
    x0: float
    top: float
    page: int
    x1: float = 0.0
    bottom: float = 0.0
    ocr: bool = False

    @property
    def box(self) -> Box:
        return self.page, (self.x0, self.top, self.x1, self.bottom)

    @property
    def compact(self) -> str:
        """The text without its spaces."""
        return re.sub(r"\s+", "", self.text)


def _lines(page: Page) -> list[_L]:
    out = []
    for ln in page.lines:
        t = normalize_text(ln.text).strip()
        if t:
            out.append(_L(t, ln.x0, ln.top, page.number, ln.x1, ln.bottom, page.source == "ocr"))
    return out


def labels_to_material_pattern(labels: tuple[str, ...]) -> re.Pattern:
    """An entry of a materials list: a label (資料2-1, 資料２－１, 別紙1, 参考資料３, or a bare
    参考資料 / 別添 followed by a space) and the title after it."""
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^(?P<label>(?:{words})(?:\s*[0-9]+(?:\s*[-－‐―ー]\s*[0-9]+)?)?)"
                      rf"(?:(?<=[0-9])\s*|\s+)(?P<title>\S.*)$")


def labels_to_unnumbered_pattern(labels: tuple[str, ...]) -> re.Pattern:
    """An OCR'd entry whose label lost its number: the label word run into the title, or
    a space where the number stood (資料令和3年度…, 資料 令和3年度…: a narrow 1 between two
    glyphs is often not read at all)."""
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    # (a mark where the number stood is the number lost, too: 参考資料+認定…, 資料|令和…)
    marks = "+＋|｜!！"
    return re.compile(rf"^(?P<word>{words})\s*(?:[{marks}]\s*)?(?P<title>[^\s0-9０-９\-－‐―ー{marks}].*)$")


def rows_to_numbered(rows: list[dict]) -> list[dict]:
    """Entries whose label lost its number (``_word``) numbered from their neighbours of the
    same label word: one after the entry above (資料3 after 資料2), or one before the entry
    below when it is the first (資料1 before 資料2). An entry neither tells is dropped (a
    guess would name the wrong material), unless its label was printed bare (``_bare``: 参考資料
    and a space), which it then keeps."""
    numbers = [None] * len(rows)
    for i, r in enumerate(rows):
        m = re.fullmatch(r"(\D+?)([0-9]+)", r["label"])
        if m and "_word" not in r:
            numbers[i] = (m.group(1), int(m.group(2)))
    out = []
    for i, r in enumerate(rows):
        word, bare = r.pop("_word", None), r.pop("_bare", False)
        if word is None:
            out.append(r)
            continue
        before = next((numbers[j] for j in range(i - 1, -1, -1) if numbers[j] and numbers[j][0] == word), None)
        after = next((numbers[j] for j in range(i + 1, len(rows)) if numbers[j] and numbers[j][0] == word), None)
        if before and (after is None or after[1] == before[1] + 2):
            n = before[1] + 1
        elif before is None and after and after[1] == 2:
            n = 1
        else:
            if bare:
                out.append(r)
            continue
        numbers[i] = (word, n)
        out.append({**r, "label": f"{word}{n}"})
    return out


def document_to_cover_rows(doc: Document, outline: Outline, profile: Profile | None = None) -> ParseResult:
    """The agenda_items and materials rows of the 次第, with warnings when it has none.

    Args:
        doc: the IR.
        outline: the document's outline (pipeline.outline.document_to_outline): its cover
            section is the one place the cover is found, so a direct caller builds it first.
        profile: whose ``[cover] material_labels`` name the materials (資料, 別紙 …).
    """
    res = ParseResult()
    cover = outline.first("cover")
    pages = {p.number: p for p in doc.pages}
    page = pages.get(cover.start[0]) if cover is not None else None
    if page is None:
        res.warn(STAGE, None, "no 次第 (agenda) page found: meeting date, venue and agenda are empty")
        return res
    labels = tuple(profile.words("cover", "material_labels")) if profile else ()
    labels = labels or DEFAULT_MATERIAL_LABELS
    rest = lines_to_body(_lines(page), cover)
    lost_at = _lost_head_at(rest)
    res.add("agenda_items", _with_boxes(_agenda(rest, lost_at)))
    res.add("materials", _with_boxes(_materials(rest, labels_to_material_pattern(labels),
                                                labels_to_unnumbered_pattern(labels))))
    if not res.tables["agenda_items"]:
        res.warn(STAGE, page.number, "次第 has no 議事 entries")
    elif lost_at is not None:
        res.warn(STAGE, page.number, f"次第 has no 議事 heading: the entries from {rest[lost_at].text!r} are taken as its agenda")
    return res


def document_to_cover(doc: Document, ctx: Context | None = None) -> tuple[ParseResult, dict, Meeting]:
    """Parse the cover into the documents fields, agenda_items and materials rows.

    Args:
        doc: the IR.
        ctx: the profile and outline to read the header with; by default the
            DEFAULT_PROFILE's (pipeline.profile), with the outline built here.

    Returns:
        (result with agenda_items/materials rows and warnings, the documents fields
        as the header reader gives them, the Meeting later parsers resolve dates against).
    """
    ctx = ctx or document_to_context(doc, default_profile())
    res = document_to_cover_rows(doc, ctx.outline, ctx.profile)
    fields = document_to_header(doc, ctx).fields
    return res, fields, Meeting(held_on=fields.get("held_on"), fiscal_year=fields.get("fiscal_year"))


def _with_boxes(rows: list[dict]) -> list[dict]:
    """The provenance columns from the lines each row was read from (``_boxes``)."""
    for r in rows:
        r.update(boxes_to_columns(r.pop("_boxes", [])))
    return rows


def lines_to_body(lines: list[_L], cover: Section) -> list[_L]:
    """The cover page's lines below its heading: the line the outline's cover section is
    labelled with (its text, spaces removed). Every line when the section has no heading
    (a record's header on page 1) or the label is not printed on its own line."""
    for i, ln in enumerate(lines):
        if cover.label and ln.compact == cover.label:
            return lines[i + 1:]
    return lines


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


def _lost_head_at(lines: list[_L]) -> int | None:
    """Where the entries of an agenda whose 議事 heading was not read begin (a scan lost the
    line): an entry numbered 1 right of the program step above it, with a second entry
    after it. None when the cover has its heading, or no such entries."""
    if any(_AGENDA_HEAD.match(ln.text) for ln in lines):
        return None
    for i in range(1, len(lines) - 1):
        ln, step = lines[i], lines[i - 1]
        if (_FIRST_ENTRY.match(ln.text) and _STEP.match(step.text) and ln.x0 > step.x0 + DEFAULT_INDENT_PT
                and _ITEM_MARK.match(lines[i + 1].text)):
            return i
    return None


def _agenda(lines: list[_L], lost_at: int | None = None) -> list[dict]:
    """The 議事 entries; ``lost_at`` is where they begin when the heading was not read (_lost_head_at)."""
    rows: list[dict] = []
    head: _L | None = None
    head_style: str | None = None
    for i, ln in enumerate(lines):
        if head is None:
            if i == lost_at:
                # the step above the entries stands in for the heading: its indent and numbering
                # end the list where the program goes on (4 閉会)
                head, head_style = lines[i - 1], text_to_numbering(lines[i - 1].text)
            else:
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
            rows[-1]["_boxes"].append(ln.box)
            rows[-1]["_ocr"] |= ln.ocr
        else:
            title = ln.text[m.end():].strip() if m else ln.text
            rows.append({"seq": len(rows) + 1, "title": _OCR_TITLE_SPECK.sub("", title) if ln.ocr else title,
                         "page": ln.page, "_x0": ln.x0, "_boxes": [ln.box], "_ocr": ln.ocr})
    for r in rows:
        r.pop("_x0")
        if r.pop("_ocr"):
            if not re.search(r"[(（]", r["title"]):
                r["title"] = _UNOPENED_NOTE.sub(lambda m: ("（" if m["close"] == "）" else "(") + m[0], r["title"])
            elif not re.search(r"[)）]", r["title"]):
                r["title"] = _UNCLOSED_NOTE.sub(lambda m: m[0] + ("）" if m["open"] == "（" else ")"), r["title"])
    return rows


def _materials(lines: list[_L], pattern: re.Pattern, unnumbered: re.Pattern) -> list[dict]:
    rows: list[dict] = []
    started = False
    label_x0 = 0.0
    right = _list_right_edge(lines, pattern)
    prev: _L | None = None
    for ln in lines:
        if not started:
            started = bool(_MATERIALS_HEAD.match(ln.text))
            continue
        if is_page_number(ln.text):
            break  # the page's footer: nothing after it belongs to the list
        if ln.ocr and (unspecked := _LEAD_SPECK.sub("", ln.text)) != ln.text and (
                pattern.match(unspecked) or unnumbered.match(unspecked)):
            ln = replace(ln, text=unspecked)
        m = pattern.match(ln.text)
        bare = unnumbered.match(ln.text) if ln.ocr and not m else None
        if m:
            label_x0 = ln.x0
            title = m.group("title").strip()
            label = re.sub(r"\s+", "", m.group("label"))
            rows.append({"label": label, "title": _OCR_TITLE_SPECK.sub("", title) if ln.ocr else title,
                         "page": ln.page, "_boxes": [ln.box]})
            if ln.ocr and not re.search(r"[0-9]", label):
                # a bare label on an OCR'd line may have lost its number to a space (資料 令和…):
                # numbered when its neighbours tell it, else kept bare as printed (参考資料 …)
                rows[-1].update(_word=label, _bare=True)
        elif bare and not (rows and _wrapped(prev, right)) and (not rows or abs(ln.x0 - label_x0) <= _em(ln)):
            label_x0 = ln.x0
            rows.append({"label": bare.group("word"), "_word": bare.group("word"),
                         "title": bare.group("title").strip(), "page": ln.page, "_boxes": [ln.box]})
        elif rows and (not rows[-1]["title"] or ln.x0 > label_x0 + 3 or _wrapped(prev, right)):
            rows[-1]["title"] += ln.text
            rows[-1]["_boxes"].append(ln.box)
        elif rows:
            break
        prev = ln
    rows = rows_to_numbered(rows)
    for i, r in enumerate(rows, 1):
        r["seq"] = i
        d = _DEPT_TAIL.search(r["title"])
        r["department"] = d.group(1) if d else None
        if d:
            r["title"] = r["title"][: d.start()].rstrip()
    return rows


def _em(line: _L) -> float:
    return max(line.bottom - line.top, 1.0)


def _list_right_edge(lines: list[_L], pattern: re.Pattern) -> float:
    """Where the 配付資料 entries' lines end at the widest: the right edge a long title wraps at."""
    return max((ln.x1 for ln in lines if pattern.match(ln.text)), default=0.0)


def _wrapped(line: _L | None, right: float) -> bool:
    """Whether ``line`` ran to the list's right edge, so the next line continues it.

    A title that wraps without a hanging indent starts its next line under the
    label; only a line that was full tells that continuation from a new paragraph.
    """
    if line is None or not line.x1 or _ENDS_COMPLETE.search(line.text):
        return False
    return right - line.x1 <= DEFAULT_WRAP_EMS * _em(line)


@register("cover", tables=("agenda_items", "materials"))
def cover_parser(doc: Document, ctx: Context) -> ParseResult:
    """The 議事 and 配付資料 lists of the 次第 (the outline's cover section)."""
    return document_to_cover_rows(doc, ctx.outline, ctx.profile)
