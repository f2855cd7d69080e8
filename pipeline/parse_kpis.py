"""Parse the reported figures (KPIs) of a packet: tables, slides and prose alike.

A figure is a number printed with a unit of the genre's vocabulary
(pipeline/data/kpi_units.tsv: 件, 人, 社, 市町村, 区間, 箇所, %, か月 …), or a bare
number in a table column whose header names a count (接種回数 → 回). Numbers that
only look like figures are left out: dates and times (their units are not in the
vocabulary), ordinals (第4回, 3回目, その2), denominators (1回あたり, /1名),
numbers inside quoted titles (「…8か月以上…」) and inside Latin names (JAPAN2023).

Each figure is read in its text unit — a table cell's bullet, a slide line, a prose
sentence — and gets from the words around it: what is counted (metric), where
(scope: 全国, a prefecture, 県内 → the packet's own prefecture), for whom (segment:
table row/column labels, age bands), as of when (``R4. 1. 1時点``, ``1月7日現在``,
a table header ``(R5.1.17現在)``), a national rank (全国10位), and whether it is a
plan (kind target: 予定, 目標, 見込み, a column of next year's plans) or done.

Nothing here keys on one packet's names, titles, numbers or pages.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex as re

from pipeline.ir import BBox, Document, Line, Page, Table
from pipeline.normalize import DateSpan, normalize_text, parse_date
from pipeline.normalize import read_data_lines
from pipeline.layout import join_lines, starts_sub_point, table_continues
from pipeline.outline import Outline, document_to_outline, title_to_item_key
from pipeline.parse_items_text import cell_to_printed_lines, cell_to_text, cell_to_wrapped_lines
from pipeline.profile import Profile, default_profile
from pipeline.provenance import Box, boxes_to_columns, line_to_box
from pipeline.registry import register
from pipeline.rows import Context, Meeting, ParseResult

STAGE = "parse_kpis"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
UNITS_FILE = DEFAULT_DATA_DIR / "kpi_units.tsv"
MARKERS_FILE = DEFAULT_DATA_DIR / "kpi_markers.tsv"
SCOPES_FILE = DEFAULT_DATA_DIR / "kpi_scopes.tsv"
UNITS_HEADER = ("unit", "class", "not_followed_by", "only_followed_by")
MARKERS_HEADER = ("marker", "role")
SCOPES_HEADER = ("word", "scope")
UNIT_CLASSES = frozenset({"count", "percent", "ratio", "money", "duration", "amount"})
MARKER_ROLES = frozenset({"as_of", "target", "future_header"})
#: Multipliers printed between a number and its unit (約600万人, 1,980千円).
DEFAULT_MULTIPLIERS = {"百": 100, "千": 1_000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000,
                       "億": 100_000_000}
#: A cell line this many characters shorter than the cell's longest line ends an item.
DEFAULT_SHORT_LINE_CHARS = 1.5
#: A line this much taller than the page's usual line is a heading: it reports no figures.
DEFAULT_HEADING_SCALE = 1.25
#: ... but on a scan a line's box is its words' boxes, and a bracket reaches above and below
#: the kanji (about 1.4 times their height): a scanned line with brackets is a heading only
#: from this much taller than the page's usual line.
DEFAULT_OCR_BRACKET_HEADING_SCALE = 1.6
_BRACKETS = re.compile(r"[()（）「」『』【】\[\]]")
#: A wrapped line ends within this many character widths of the text's right margin.
DEFAULT_WRAP_CHARS = 1.8
#: Running text fills at least this share of the page width (the rest is margins).
DEFAULT_TEXT_WIDTH_SHARE = 0.9
#: An OCR'd line is a heading in a larger type only when its characters are also this much
#: wider than the running text's (measured on lines of DEFAULT_PITCH_CHARS characters or more).
DEFAULT_OCR_HEADING_PITCH = 1.15
DEFAULT_PITCH_CHARS = 4
#: Lines of running text outside a page's tables needed to measure its usual type size.
DEFAULT_MIN_TEXT_LINES = 4
#: How far (in characters) the second line of a bullet or numbered point may start right of its
#: first: under the text after the mark (①, ※, (1), 1., a)).
DEFAULT_HANGING_CHARS = 2.5
_HANGING_PUNCTUATION = frozenset("、。，．,.")
_HANGING_MARK = re.compile(r"^(?:[①-⑳※・●○◎■□◆◇▶▷⇒→]|[(（]?\d{1,2}[)）.．]|[a-zA-Z][)）])")
#: A table cell with at most this many characters besides its figures is a grid cell:
#: its row and column labels say for whom the figure is (← 2か月前倒し可, 49,215,236).
DEFAULT_GRID_CELL_CHARS = 8
#: A table's caption (or unit declaration) is printed at most this far (pt) above it.
DEFAULT_CAPTION_GAP = 40.0
#: How far (characters) after a figure a national rank (全国10位) may follow.
DEFAULT_RANK_WINDOW = 12
#: Lets parse_date read a month/day printed without a year where only *whether* it is a date matters.
DEFAULT_PROBE_FISCAL_YEAR = 2000
#: A 時点/現在 printed at most this many characters after a figure dates it ((会員数143者(12/31日現在))).
DEFAULT_AS_OF_AFTER_CHARS = 16
#: A date printed as one token is at most this long (R4.12末, 令和4年6月～令和6年2月).
DEFAULT_DATE_TOKEN_CHARS = 16
#: A column header at most this long that names a rate or a count (接種率, 会員数) is the metric.
DEFAULT_HEADER_METRIC_CHARS = 16
#: How many characters after a figure are read for the words naming it.
DEFAULT_AFTER_CHARS = 16
#: Longest metric kept (characters); longer phrases are cut at the front.
DEFAULT_METRIC_CHARS = 40


# --- vocabulary ---------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitSpec:
    """One unit of kpi_units.tsv."""

    unit: str
    cls: str
    not_followed_by: str = ""
    only_followed_by: tuple[str, ...] = ()


def tsv_to_rows(path: Path, header: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]]:
    """Read a vocabulary file strictly (the pipeline/data format: version comment, header row, rows).

    Returns:
        (line number, fields) per data row.

    Raises:
        ValueError: naming the file and line of a missing version comment, a wrong
            header, a row with another number of fields, an empty field or a repeated row.
    """
    out, seen = [], {}
    for number, text in read_data_lines(path, header):
        fields = tuple(text.split("\t"))
        if len(fields) != len(header):
            raise ValueError(f"{path}:{number}: expected {len(header)} tab-separated fields, found {len(fields)}")
        if any(not f or f != f.strip() for f in fields):
            raise ValueError(f"{path}:{number}: empty field or stray spaces in {fields!r}")
        if fields in seen:
            raise ValueError(f"{path}:{number}: repeats line {seen[fields]}")
        seen[fields] = number
        out.append((number, fields))
    return out


def tsv_to_units(path: Path = UNITS_FILE) -> dict[str, UnitSpec]:
    """The unit vocabulary: unit → UnitSpec (``-`` means none in the last two columns)."""
    units: dict[str, UnitSpec] = {}
    for number, (unit, cls, not_followed, only_followed) in tsv_to_rows(path, UNITS_HEADER):
        if cls not in UNIT_CLASSES:
            raise ValueError(f"{path}:{number}: unknown class {cls!r} (one of {sorted(UNIT_CLASSES)})")
        if unit in units:
            raise ValueError(f"{path}:{number}: unit {unit!r} listed twice")
        units[unit] = UnitSpec(unit, cls, "" if not_followed == "-" else not_followed,
                               () if only_followed == "-" else tuple(only_followed.split("|")))
    return units


def tsv_to_markers(path: Path = MARKERS_FILE) -> dict[str, tuple[str, ...]]:
    """Marker words per role (as_of, target, future_header), longest first."""
    roles: dict[str, list[str]] = {r: [] for r in MARKER_ROLES}
    for number, (marker, role) in tsv_to_rows(path, MARKERS_HEADER):
        if role not in MARKER_ROLES:
            raise ValueError(f"{path}:{number}: unknown role {role!r} (one of {sorted(MARKER_ROLES)})")
        roles[role].append(marker)
    return {r: tuple(sorted(ws, key=len, reverse=True)) for r, ws in roles.items()}


def tsv_to_scopes(path: Path = SCOPES_FILE) -> dict[str, str]:
    """Area word → scope (``home`` = the packet's own prefecture)."""
    scopes: dict[str, str] = {}
    for number, (word, scope) in tsv_to_rows(path, SCOPES_HEADER):
        if word in scopes:
            raise ValueError(f"{path}:{number}: word {word!r} listed twice")
        scopes[word] = scope
    return scopes


#: What may stand above a table that continues the previous page's: a page number or a material label.

_UNITS = tsv_to_units()
_MARKERS = tsv_to_markers()
_SCOPES = tsv_to_scopes()
_PREFECTURES = tuple(w for w, s in _SCOPES.items() if s == w and w != "全国")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\s?\d+)?"
_MULT = _alternation(DEFAULT_MULTIPLIERS)
_FIGURE_RE = re.compile(rf"""
    (?<![\d.,/A-Za-z])
    (?:(?P<years>\d{{1,2}})年(?=\d))?
    (?P<num>{_NUM})(?:\s*(?P<mult>{_MULT}))?
    (?:\s*[～~]\s*(?P<num2>{_NUM})(?:\s*(?P<mult2>{_MULT}))?)?
    \s*(?P<unit>{_alternation(_UNITS)})
""", re.VERBOSE)
_BARE_NUMBER_RE = re.compile(rf"(?<![\d.,/A-Za-z])(?P<num>{_NUM})(?![\d.,]|\s*[{''.join(DEFAULT_MULTIPLIERS)}])")
_ORDINAL_BEFORE_RE = re.compile(r"(?:第|その|No\.?|№)\s*$")
_PER_AFTER_RE = re.compile(r"^\s*(?:あたり|当たり|につき|毎|ごと)")
_APPROX_BEFORE_RE = re.compile(r"(?:約|およそ|概ね|計|合計|延べ|全)\s*$")
_QUOTE_RE = re.compile(r"「[^「」]*(?:」|$)|^[^「」]*」|『[^『』]*(?:』|$)")
_URL_RE = re.compile(r"https?://\S+")
_RANK_RE = re.compile(r"^[\s)）]*[（(]?\s*(?P<area>全国|県内|全県|市内)?\s*第?\s*(?P<rank>\d+)\s*位")
_AS_OF_RE = re.compile(rf"(?P<end>末)?\s*(?P<marker>{_alternation(_MARKERS['as_of'])})")
_CLAUSE_DELIMS = "。、,，;；⇒→+＋"
_PHRASE_DELIMS = _CLAUSE_DELIMS + "()（）「」『』[]【】:：…・ "
_LEADING_MARKS_RE = re.compile(
    r"^[\s・●○◎■□◆◇▶▷⇒→←※\-*①-⑳❶-❿)）]+|^[0-9]+[.．、)）]\s*|^[a-z][)）]\s*|^[(（][0-9a-z]+[)）]\s*"
    r"|^(?:の|は|が|を|に|で|と|も)(?=\S)")
_TRAILING_PARTICLES_RE = re.compile(r"(?:については|では|には|とは|へは|は|が|を|に|で|と|も|の|へ|から|より|約|全|計|各|…)+$")
_AGE_RE = re.compile(r"\d+\s*(?:～\s*\d+\s*)?歳(?:以上|以下|未満|代)?")
_ERA_START_RE = re.compile(r"^(?:令和|平成|昭和|大正|明治|[RHS]\s*\d|\d)")
_ERA_IN_TEXT_RE = re.compile(r"(?:令和|平成|(?<![A-Za-z0-9])[RH](?=\s*\d))")
_NUMBER_IN_TEXT_RE = re.compile(r"(?<=[^\x00-\x7f])\d")
_BULLET_SPLIT_RE = re.compile(r"(?=(?<=^|\s)[・⇒※●○◎◆■]\S)")
_TRAILING_PAREN_RE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
#: A bracketed label opening a heading (【継続】, ［新規］) before its list number.
_BRACKET_LABEL_RE = re.compile(r"^\s*[【\[［〔][^】\]］〕]{1,8}[】\]］〕]\s*")
_ITEM_COLUMN_RE = re.compile(r"連携(?:項目|事項)名|^項目名")
#: An area word, unless it is part of a longer one (県内外: inside and outside the prefecture).
_SCOPE_RE = re.compile(rf"(?:{_alternation(_SCOPES)})(?!外)")
#: A table's unit declaration: （単位：千円）, 単位:人.
_UNIT_DECLARATION_RE = re.compile(rf"単位\s*[:：]\s*(?P<mult>{_MULT})?\s*(?P<unit>{_alternation(_UNITS)})")
#: A row label that names a measure (観光客入込数, 予算額, 接種率) is the metric, not a segment.
_METRIC_LABEL_RE = re.compile(r"(?:数|率|額|量|費|高)(?:\s*[（(][^()（）]*[)）])?$")
_HEADER_COUNT_RE = re.compile(rf"(?P<unit>{_alternation(u for u, s in _UNITS.items() if s.cls == 'count')})数")
_LEGEND_RE = re.compile(r"[（(]\s*[)）]\s*(?:内)?は\s*(?P<seg>.+?)(?:の(?:状況|数|値|実績))?\s*$")
_TITLE_LINE_RE = re.compile(r"(?:について|に関する件)(?:\s*[（(][^（）()]*[)）])?$")
#: A line that only dates or sources what follows it: (R5.1.17現在), 令和4年12月末時点,
#: R5.1.16国公表資料, 出典：…(R4.10.1現在). Its date is the as-of date of the figures below.
_SOURCE_WORDS = "公表|資料|調べ|調査|集計|発表|統計|出典|出所"
#: A new block of a slide (○ heading, (1) point, 【…】) ends the reach of an as-of line above it.
_BLOCK_START_RE = re.compile(r"^(?:[○●◎■□◆◇【]|[(（]\d+[)）]|\d+[.．、)]|[①-⑳])")
#: How a count's metric ends: 受講者 + 人数, 開催 + 回数; other units + 数 (市町村数).
_COUNT_SUFFIX = {"名": "人数", "人": "人数", "回": "回数", "件": "件数"}
#: A period right before a count makes it a rate (年2回, 月1～2回).
_PER_PERIOD = "年月週日"
_PHRASE_STOPS = set(_CLAUSE_DELIMS + "()（）「」『』[]【】:：")
_WORD_AFTER_RE = re.compile(r"^[一-龥々ァ-ヶーA-Za-z][^\s、。,()（）「」:：⇒→+＋]{0,11}")
#: Qualifiers after a figure (8か月以上, 3回程度): they bound it, they do not name it.
_QUALIFIER_RE = re.compile(r"^(?:以上|以下|未満|程度|超|前後|ほど|余り|強|弱)")
_PAREN_LABEL_RE = re.compile(r"[（(](?P<label>[^()（）0-9]{1,12})[)）]\s*$")


# --- text units -----------------------------------------------------------------------------

@dataclass(frozen=True)
class TextUnit:
    """A sentence, slide line or table cell segment a figure is read in.

    Attributes:
        text: the unit, normalized, on one line.
        page: 1-based page number.
        item_key: title of the item section the unit sits in, or None.
        labels: row labels of its table row (grid tables only).
        column: its table column's header, or None.
        caption: the line printed above its table, or None.
        future: the unit sits in a column of next year's plans.
        as_of_text: an as-of date the table header gives (``R5.1.17現在``), or None.
        header_unit: the unit of the bare numbers in its cell: named by the column header
            (接種回数 → 回) or declared for the table (（単位：千円） → 円, multiplier 1000).
        header_multiplier: the multiplier declared with that unit.
        legend: what a parenthesised value stands for (``※ ()は65歳以上の高齢者``), or None.
        lead: the text unit printed just before it on the page (a slide's line above), or None.
        boxes: where the unit's text was printed: the lines of its paragraph, or the lines of
            its table cell (the whole cell when they cannot be told apart).
        owners: for each character of ``text``, the index in ``boxes`` of the box it was
            printed in (-1 for a space the joining added); empty when not known, and then a
            figure's box is every box of the unit.
    """

    text: str
    page: int
    item_key: str | None = None
    labels: tuple[str, ...] = ()
    column: str | None = None
    caption: str | None = None
    future: bool = False
    as_of_text: str | None = None
    header_unit: str | None = None
    header_multiplier: int = 1
    legend: str | None = None
    lead: str | None = None
    boxes: tuple[Box, ...] = ()
    owners: tuple[int, ...] = ()


def cell_to_segments(cell: str) -> list[str]:
    """A table cell's text split into its items, wraps undone.

    An item starts at a bullet (・ ⇒ ※ …) or after a visual line that ends short of the
    cell's width: a list printed without markers still breaks its lines there. A wrap next
    to a full-width glyph joins tight, even where normalization made both sides ASCII
    (８∕２ ⏎ ４ is 8/24, not 8/2 4). A line is short only when it is short both as
    normalized and as printed: normalization narrows what the print set wide (部会の設置
    (１∕１５現 fills its cell, its normalized (1/15現 looks a character short), while the
    printed glyphs overstate a proportional font's digits, so the cell's full width stays
    the normalized one.
    """
    wrapped = cell_to_wrapped_lines(cell)
    full = max((_visual_width(ln) for ln, _ in wrapped), default=0.0)
    widths = [max(_visual_width(ln), _visual_width(printed))
              for (ln, _), printed in zip(wrapped, cell_to_printed_lines(cell))]
    items: list[list[tuple[str, bool]]] = []
    ended = True
    for (ln, tight), width in zip(wrapped, widths):
        if ended or starts_sub_point(ln):
            items.append([(ln, tight)])
        else:
            items[-1].append((ln, tight))
        ended = len(wrapped) > 2 and width < full - DEFAULT_SHORT_LINE_CHARS
    parts = [p.strip() for item in items
             for p in _BULLET_SPLIT_RE.split(join_lines([ln for ln, _ in item], [t for _, t in item]))]
    return [p for p in parts if p]


def _visual_width(text: str) -> float:
    """Printed width in full-width characters (Latin letters, digits and spaces count half)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def _right_margin(page: Page, tables: list[Table]) -> float:
    """Right edge of the page's running text: where its widest line ends, but no less than
    the usual text width (a slide whose lines are all short wraps none of them)."""
    # a line ending in 、 or 。 may end one character past the margin: word processors hang
    # that mark outside it (ぶら下げ), and the margin is where the other lines end
    edges = [ln.x1 - (ln.bottom - ln.top if ln.text.rstrip()[-1:] in _HANGING_PUNCTUATION else 0.0)
             for ln in page.lines if ln.text.strip() and not _in_table(ln, tables)]
    return max([*edges, page.width * DEFAULT_TEXT_WIDTH_SHARE])


def _pitch(line) -> float | None:
    """Width per full-width character of a line of at least DEFAULT_PITCH_CHARS characters."""
    width = _visual_width(normalize_text(line.text))
    return (line.x1 - line.x0) / width if width >= DEFAULT_PITCH_CHARS else None


def _runs_on(prev, line, text: str, margin: float, hanging: bool = False) -> bool:
    """Does ``line`` continue the paragraph ``prev`` ends? A wrapped line ends at the margin
    (less than about two characters short of it) and the next starts at the same left edge
    (or one indent to its left), unless it opens a new bullet. After the first line of a
    bullet or numbered point (``hanging``) the next may start under the text after its mark
    (a word processor's hanging indent: ①a) 本年1月から…の接種 ⏎ 間隔を2カ月前倒し)."""
    size = max(min(prev.bottom - prev.top, line.bottom - line.top), 1.0)
    right = DEFAULT_HANGING_CHARS * size if hanging else 2
    if starts_sub_point(text) or not -1.5 * size <= line.x0 - prev.x0 <= right:
        return False
    return prev.x1 >= margin - DEFAULT_WRAP_CHARS * size


def _in_table(line, tables: list[Table]) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return any(t.bbox[0] - 1 <= cx <= t.bbox[2] + 1 and t.bbox[1] - 1 <= cy <= t.bbox[3] + 1 for t in tables)


def page_to_paragraphs(page: Page) -> list[str]:
    """The page's running text outside its tables, wrapped lines joined into paragraphs.

    A line runs on into the next when it reaches the text's right margin and the next
    does not open a new bullet; a line opening with a parenthesis annotates the line
    above it (``(1月7日現在、34社727人申請済)``) and joins it too.
    """
    return [text for text, _ in page_to_paragraph_lines(page)]


def page_to_paragraph_lines(page: Page) -> list[tuple[str, list[Line]]]:
    """Each paragraph of :func:`page_to_paragraphs` with the lines it was joined from."""
    tables = [t for t in page.tables if len(t.rows) > 1]
    margin = _right_margin(page, tables)
    # the running text's usual height, not the tables': a table of small type under a few
    # lines of text would make every line of the text a heading (when there are a few: a
    # table's page with only its title outside has no running text to measure)
    outside = [ln for ln in page.lines if not _in_table(ln, tables)]
    if len(outside) < DEFAULT_MIN_TEXT_LINES:
        outside = page.lines
    heights = sorted(ln.bottom - ln.top for ln in outside)
    usual = heights[len(heights) // 2] if heights else 0.0
    # an OCR'd line's box is its words' boxes, 1.3-1.6 times the type's height for a line of
    # brackets, ％ or a speck; the width of its characters tells a larger type, too
    pitches = sorted(p for p in map(_pitch, outside) if p)
    usual_pitch = pitches[len(pitches) // 2] if pitches else 0.0
    paras: list[list[str]] = []
    lines: list[list[Line]] = []
    prev = None
    for ln in page.lines:
        scale = (DEFAULT_OCR_BRACKET_HEADING_SCALE if page.source == "ocr" and _BRACKETS.search(ln.text)
                 else DEFAULT_HEADING_SCALE)
        larger = ln.bottom - ln.top > usual * scale
        if larger and page.source == "ocr" and usual_pitch and (_pitch(ln) or 0.0) <= usual_pitch * DEFAULT_OCR_HEADING_PITCH:
            larger = False  # as wide as the running text's characters: a box made tall, not a heading
        if _in_table(ln, tables) or larger:
            prev = None  # a table's own text, or a heading in a larger type
            continue
        text = normalize_text(ln.text)
        if not text:
            continue
        hanging = prev is not None and len(lines[-1]) == 1 and bool(_HANGING_MARK.match(paras[-1][0]))
        runs_on = prev is not None and _runs_on(prev, ln, text, margin, hanging)
        annotates = prev is not None and text[0] in "(（" and ln.top - prev.bottom < (prev.bottom - prev.top) * 1.5
        if paras and runs_on:
            paras[-1].append(text)
            lines[-1].append(ln)
        elif paras and annotates:
            paras[-1][-1] += " " + text  # printed as a note on its own line: keep them apart
            lines[-1].append(ln)
        else:
            paras.append([text])
            lines.append([ln])
        prev = ln
    return [(join_lines(p), ls) for p, ls in zip(paras, lines)]


def texts_to_owners(sources: list[str], pieces: list[str]) -> list[tuple[int, ...]] | None:
    """Which source text each character of each piece was printed in.

    ``pieces`` (sentences, cell bullets) are cut in order from the joined ``sources``
    (visual lines): joining and cutting only add or drop spaces, so the other
    characters line up one to one.

    Returns:
        Per piece, the source index of each character (-1 for a space); None when the
        pieces do not spell the sources (then no character can be placed).
    """
    owner = [i for i, text in enumerate(sources) for ch in text if not ch.isspace()]
    chars = [ch for text in sources for ch in text if not ch.isspace()]
    out, k = [], 0
    for piece in pieces:
        own = []
        for ch in piece:
            if ch.isspace():
                own.append(-1)
                continue
            if k >= len(chars) or chars[k] != ch:
                return None
            own.append(owner[k])
            k += 1
        out.append(tuple(own))
    return out if k == len(chars) else None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", normalize_text(text))


def cell_to_line_boxes(page: Page, cell: str, box: BBox) -> list[BBox]:
    """The box of each visual line of a table cell, or the cell's box alone.

    The page's lines run across the cells of a table row, so a cell line's box is the
    page line that prints it, cut to the cell's left and right edges. When some cell
    line is not found in a page line of its own (a merged row of another column is in
    the way), the whole cell is the only box.
    """
    texts = [_compact(t) for t in normalize_text(cell).split("\n") if t.strip()]
    x0, top, x1, bottom = box
    candidates = [ln for ln in page.lines
                  if top - 1 <= (ln.top + ln.bottom) / 2 <= bottom + 1 and ln.x0 < x1 - 1 and ln.x1 > x0 + 1]
    out: list[BBox] = []
    i = 0
    for text in texts:
        while i < len(candidates) and text not in _compact(candidates[i].text):
            i += 1
        if i >= len(candidates):
            return [box]
        ln = candidates[i]
        out.append((max(x0, ln.x0), ln.top, min(x1, ln.x1), ln.bottom))
        i += 1
    return out or [box]


def cell_to_units_boxes(page: Page, cell: str, box: BBox | None, segments: list[str]) -> list[tuple[tuple[Box, ...], tuple[int, ...]]]:
    """(boxes, owners) of each segment of a cell (see TextUnit); nothing known without a cell box."""
    if box is None:
        return [((), ())] * len(segments)
    line_boxes = cell_to_line_boxes(page, cell, box)
    lines = [ln.strip() for ln in normalize_text(cell).split("\n") if ln.strip()]
    owners = texts_to_owners(lines, segments) if len(line_boxes) == len(lines) else None
    boxes = tuple((page.number, b) for b in line_boxes)
    if owners is None:
        return [(boxes, ())] * len(segments)
    return [(boxes, own) for own in owners]


def paragraph_to_sentences(paragraph: str) -> list[str]:
    """Split at 。 (kept with its sentence); text inside （…） is never split."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(paragraph):
        if ch in "(（「":
            depth += 1
        elif ch in ")）」":
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0:
            out.append(paragraph[start:i + 1].strip())
            start = i + 1
    if paragraph[start:].strip():
        out.append(paragraph[start:].strip())
    return [s for s in out if s]


def _is_header_row(row: list[str | None]) -> bool:
    """A header row names columns: it may print dates (接種回数 (R5.1.17現在)) but no figures."""
    texts = [_cell_text(c) for c in row if c]
    return bool(texts) and not any(_figures_in(t) for t in texts)


def _figures_in(text: str) -> bool:
    return any(True for _ in _iter_figures(text))


def _caption(page: Page, table: Table) -> str | None:
    for ln in _lines_above(page, table):
        text = normalize_text(ln.text)
        if "。" in text or text.startswith("※") or len(text) > 40:
            return None  # a note or a sentence, not a caption
        if _is_date_token(text.split(" ")[0]):
            continue  # a source line (R5.1.16国公表資料) between the caption and the table
        return re.sub(r"^[○●◎◆■・\s]+", "", text) or None
    return None


def _legend(page: Page, table: Table) -> str | None:
    nxt = min((t.bbox[1] for t in page.tables if t.bbox[1] > table.bbox[3]), default=page.height)
    for ln in page.lines:
        if table.bbox[3] - 1 <= ln.top < nxt:
            m = _LEGEND_RE.search(re.sub(r"^[※\s]+", "", normalize_text(ln.text)))
            if m:
                return m.group("seg").strip()
    return None


def text_to_dating_line(text: str) -> str | None:
    """The as-of text of a line that only dates or sources the figures below it, or None.

    ``（R5.1.17現在）`` and ``○県内の状況（R5.1.17現在）`` → ``R5.1.17現在``;
    ``R5.1.16国公表資料`` stays whole (its date is read from the front); a line that
    reports a figure is no such line.
    """
    text = normalize_text(text).lstrip("※ ")
    bracketed = re.fullmatch(r"[（(\[［]\s*(.*?)\s*[）)\]］]", text)
    text = bracketed.group(1) if bracketed else text
    if not text or len(text) > DEFAULT_DATE_TOKEN_CHARS + 8 or "。" in text or _figures_in(text):
        return None
    text = re.sub(r"^(?:出典|出所|資料)\s*[:：]\s*", "", text)
    head = text.split(" ")[0]
    m = _AS_OF_RE.search(text)
    date_text = _date_before(text, m.start()) if m else None
    if date_text and not text[m.end():].strip(" )）]］"):
        # a heading may carry it (○県内の状況（R5.1.17現在）): the date and its marker are the as-of
        return date_text + (m.group("end") or "") + m.group("marker")
    if _is_date_token(head) and re.search(_SOURCE_WORDS, text):
        return text
    return None


def _lines_above(page: Page, table: Table) -> list:
    """The lines printed within the caption gap above a table, nearest first."""
    above = [ln for ln in page.lines
             if ln.bottom <= table.bbox[1] + 1 and table.bbox[1] - ln.bottom < DEFAULT_CAPTION_GAP]
    return sorted(above, key=lambda ln: -ln.bottom)


def _source_as_of(page: Page, table: Table) -> str | None:
    """A dating line printed just above a table (between its caption and the table)."""
    return next((found for ln in _lines_above(page, table) if (found := text_to_dating_line(ln.text))), None)


def _header_as_of(header: list[str]) -> str | None:
    for text in header:
        for m in _AS_OF_RE.finditer(text):
            date_text = _date_before(text, m.start())
            if date_text:
                return date_text + (m.group("end") or "") + m.group("marker")
    return None


@dataclass(frozen=True)
class TableState:
    """What a table hands on to its continuation at the top of the next page."""

    x0: float
    x1: float
    n_cols: int
    header: tuple[str, ...] | None
    first_value_col: int
    carried: tuple[tuple[int, str], ...]
    caption: str | None
    legend: str | None
    as_of: str | None


def _cell_text(cell: str | None) -> str:
    return join_lines(normalize_text(cell).split("\n")) if cell else ""


def _is_value_cell(text: str) -> bool:
    return _figures_in(text) or bool(re.fullmatch(r"[\d,.\s()（）%]*\d[\d,.\s()（）%]*", text))


def header_names_item(header: str, item_columns: tuple[str, ...] = ()) -> bool:
    """Does a table's first header cell name the item of each row (連携項目名, 連携推進項目 …)?"""
    compact = re.sub(r"\s+", "", header)
    return bool(_ITEM_COLUMN_RE.search(compact)) or any(w in compact for w in item_columns)


def table_to_units(page: Page, table: Table, item_key: str | None, meeting: Meeting,
                   prev: TableState | None = None,
                   profile: Profile | None = None) -> tuple[list[TextUnit], TableState | None]:
    """Text units of one ruled table: one per bullet of each cell, with its row and column labels.

    Args:
        prev: the state of the previous page's last table; a continuation of it keeps its
            header, label columns and merged row labels.
        profile: the document's profile. Its ``[items] item_columns`` are header words of a
            first column that names each row's item (連携推進項目 …), besides 連携項目名 /
            項目名, and its ``[outline] item_status_tail`` keys the item titles of that column
            as the items parser keys them. None: no further header words, and titles keyed
            by the default profile.

    Returns:
        (the units, the state a continuation on the next page starts from).
    """
    rows = [[c for c in r] + [None] * (table.n_cols - len(r)) for r in table.rows]
    continued = prev is not None and table_continues(page, table, prev.x0, prev.x1, prev.n_cols)
    if len(rows) < 2 and not continued:
        return [], None
    header: list[str] | None = None
    if _is_header_row(rows[0]) and len(rows) > 1:
        header = [normalize_text(c or "").replace("\n", "") for c in rows[0]]
        body = rows[1:]
    else:
        body = rows
    if continued and header is None:
        header = list(prev.header) if prev.header else None
    value_cols = [c for r in body for c, cell in enumerate(r) if cell and _is_value_cell(_cell_text(cell))]
    first_value_col = min(value_cols, default=table.n_cols)
    if continued:
        first_value_col = min(first_value_col, prev.first_value_col)
    item_columns = profile.words("items", "item_columns") if profile else ()
    item_col = 0 if header and header_names_item(header[0], item_columns) else None
    as_of = (_header_as_of(header) if header else None) or _source_as_of(page, table)
    legend, caption = _legend(page, table), _caption(page, table)
    declared = _declared_unit(page, table, header)
    if continued:
        as_of, legend, caption = as_of or prev.as_of, legend or prev.legend, caption or prev.caption
    units: list[TextUnit] = []
    carried: dict[int, str] = dict(prev.carried) if continued else {}
    first_body = len(rows) - len(body)
    for ri, r in enumerate(body, start=first_body):
        for c in range(table.n_cols):
            if r[c]:
                # an item's title wrapped before a ・ (…の連携 ⏎ ・強化) is one title, not a bullet
                carried[c] = cell_to_text(r[c]) if c == item_col else _cell_text(r[c])
            elif r[c] is None:
                pass  # covered by a merged cell: its label carries down
            elif c < first_value_col:
                carried.pop(c, None)
        row_item = item_key
        if item_col is not None and carried.get(item_col):
            row_item = title_to_item_key(_TRAILING_PAREN_RE.sub("", carried[item_col]), profile or default_profile())
        labels = tuple(carried[c] for c in range(min(first_value_col, table.n_cols)) if carried.get(c))
        for c in range(first_value_col, table.n_cols):
            if not r[c]:
                continue
            column = header[c] if header and c < len(header) and header[c] else None
            segments = cell_to_segments(r[c])
            where = cell_to_units_boxes(page, r[c], _cell_box(table, ri, c), segments)
            for seg, (boxes, owners) in zip(segments, where):
                units.append(TextUnit(
                    text=seg, page=page.number, item_key=row_item,
                    labels=labels if _is_grid_cell(seg) else (), column=column, caption=caption,
                    future=bool(column and _is_future_header(column, meeting)),
                    as_of_text=as_of, header_unit=_header_unit(column) or declared[0],
                    header_multiplier=1 if _header_unit(column) else declared[1], legend=legend,
                    boxes=boxes, owners=owners))
    state = TableState(table.bbox[0], table.bbox[2], table.n_cols, tuple(header) if header else None,
                       first_value_col, tuple(carried.items()), caption, legend, as_of)
    return units, state


def _cell_box(table: Table, r: int, c: int) -> BBox | None:
    if r < len(table.cell_bboxes) and c < len(table.cell_bboxes[r]):
        return table.cell_bboxes[r][c]
    return None


def _is_grid_cell(text: str) -> bool:
    rest = _FIGURE_RE.sub("", text)
    rest = _BARE_NUMBER_RE.sub("", rest)
    return len(re.sub(r"[\s()（）←→、,.%]", "", rest)) <= DEFAULT_GRID_CELL_CHARS


def _declared_unit(page: Page, table: Table, header: list[str] | None) -> tuple[str | None, int]:
    """(unit, multiplier) a table declares for its numbers (（単位：千円） in its header or
    printed just above or below it), or (None, 1)."""
    near = [normalize_text(ln.text) for ln in page.lines
            if table.bbox[1] - DEFAULT_CAPTION_GAP <= ln.bottom <= table.bbox[1] + 1
            or table.bbox[3] - 1 <= ln.top <= table.bbox[3] + DEFAULT_CAPTION_GAP / 2]
    for text in [*(header or []), *near]:
        m = _UNIT_DECLARATION_RE.search(text)
        if m:
            return m.group("unit"), DEFAULT_MULTIPLIERS.get(m.group("mult") or "", 1)
    return None, 1


def _header_unit(column: str | None) -> str | None:
    m = _HEADER_COUNT_RE.search(column or "")
    return m.group("unit") if m else None


def _is_future_header(column: str, meeting: Meeting) -> bool:
    """A column of next year's plans: 今後 / 以降 / (案) …, or headed by a later fiscal year."""
    if any(w in column for w in _MARKERS["future_header"]):
        return True
    if meeting.fiscal_year is None:
        return False
    span = parse_date(column, meeting_date=meeting.held_on, fiscal_year=meeting.fiscal_year)
    return bool(span and span.precision == "fiscal_year" and span.start.year > meeting.fiscal_year)


def document_to_units(doc: Document, meeting: Meeting, outline: Outline,
                      profile: Profile | None = None) -> list[TextUnit]:
    """Every text unit of the document, in reading order, with its item section (from the outline);
    a table row under an item column (the ``profile``'s, see table_to_units) carries that row's item."""
    units: list[TextUnit] = []
    state: TableState | None = None
    for page in doc.pages:
        item = outline.item_at(page.number)
        page_state = None
        for table in page.tables:
            table_units, page_state = table_to_units(page, table, item, meeting, state, profile)
            units.extend(table_units)
        state = page_state
        lead = None
        dated = None  # an as-of line above this block of the page
        for para, lines in page_to_paragraph_lines(page):
            if _BLOCK_START_RE.match(para):
                dated = None
            if as_of_line := text_to_dating_line(para):
                dated = as_of_line
                continue
            if _TITLE_LINE_RE.search(para) and "。" not in para:
                continue  # a heading or a notice's title names things, it reports nothing
            sentences = paragraph_to_sentences(para)
            boxes = tuple(line_to_box(page.number, ln) for ln in lines)
            owners = texts_to_owners([normalize_text(ln.text) for ln in lines], sentences) or [()] * len(sentences)
            for sentence, own in zip(sentences, owners):
                units.append(TextUnit(text=sentence, page=page.number, item_key=item, lead=lead,
                                      boxes=boxes, owners=own, as_of_text=dated))
                lead = sentence
    return units


# --- figures --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """One number found in a unit, before the words around it are read."""

    value: float
    value_text: str
    unit: str
    cls: str
    start: int
    end: int
    anchor: int  # where the words before it end: the range's first number for both ends of a range


def _masked_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTE_RE.finditer(text)] + [m.span() for m in _URL_RE.finditer(text)]


def _number(text: str, mult: str | None) -> float:
    return float(re.sub(r"[,\s]", "", text)) * DEFAULT_MULTIPLIERS.get(mult or "", 1)


def _iter_figures(text: str):
    """(match, UnitSpec) of each number-with-unit in ``text`` that is a figure."""
    masked = _masked_spans(text)
    for m in _FIGURE_RE.finditer(text):
        spec = _UNITS[m.group("unit")]
        after = text[m.end():]
        before = text[:m.start()]
        if any(a <= m.start() < b for a, b in masked):
            continue
        if _ORDINAL_BEFORE_RE.search(before) or _PER_AFTER_RE.match(after):
            continue
        if after[:1] and after[0] in spec.not_followed_by:
            continue
        if spec.only_followed_by and not after.lstrip().startswith(spec.only_followed_by):
            continue
        if m.group("years") and spec.cls != "duration":
            continue
        if not _LEADING_MARKS_RE.sub("", _BRACKET_LABEL_RE.sub("", before)).strip() \
                and re.search(r"\d\s+\D", m.group(0)) and not _counted_again(after, m.group("unit")):
            continue  # a list number: 2 自治体行政のデジタル化, 【継続】1 地域公共交通の…
        if re.search(r"\d\s*[./]\s*$", before):
            continue  # the month or day of a date printed with stray spaces: R4. 11 市町村との…
        if _restates(before, after, m):
            continue
        yield m, spec


def _counted_again(after: str, unit: str) -> bool:
    """True when ``after`` holds another figure in ``unit`` outside brackets: a line that counts
    on in it (5 箇所新設+新たに共同利用12箇所) opens with a figure, not a list number; a title
    (2 自治体行政のデジタル化, 3 市町村連携の推進（15市町村）) counts nothing more."""
    bare = re.sub(r"[(（][^()（）]*[)）]", "", after)
    return any(f.group("unit") == unit for f in _FIGURE_RE.finditer(bare))


def _restates(before: str, after: str, m) -> bool:
    """A parenthesis that restates the noun before it (初回接種（2回接種）) defines, it does not report."""
    if not before.endswith(("(", "（")):
        return False
    word = re.match(r"^([^()（）]{1,6})[)）]", after)
    return bool(word) and before[:-1].endswith(word.group(1))


def text_to_figures(text: str) -> list[Figure]:
    """The figures printed in one normalized text unit; a range (1～2回) gives two.

    >>> [(f.value, f.unit) for f in text_to_figures("進捗状況を確認(月1～2回)")]
    [(1.0, '回'), (2.0, '回')]
    """
    out = []
    for m, spec in _iter_figures(text):
        approx = _APPROX_BEFORE_RE.search(text[:m.start()])
        shown_from = approx.start() if approx and approx.group(0).strip() in ("約", "およそ", "概ね") else m.start()
        shown = text[shown_from:m.end()]
        value = _number(m.group("num"), m.group("mult") or m.group("mult2"))
        if m.group("years"):
            value += 12 * int(m.group("years"))  # 1年9か月
        anchor = m.start("years") if m.group("years") else m.start("num")
        out.append(Figure(value, shown, spec.unit, spec.cls, m.start("num"), m.end(), anchor))
        if m.group("num2"):
            out.append(Figure(_number(m.group("num2"), m.group("mult2")), shown, spec.unit, spec.cls,
                              m.start("num2"), m.end(), anchor))
    return out


def bare_to_figures(text: str, unit: str, multiplier: int = 1) -> list[Figure]:
    """Bare numbers of a table cell whose header names the unit (49,215,236 under 接種回数) or
    whose table declares it (1,234 under （単位：千円） → 1234000 円)."""
    spec = _UNITS[unit]
    return [Figure(_number(m.group("num"), None) * multiplier, m.group("num"), unit, spec.cls,
                   m.start(), m.end(), m.start())
            for m in _BARE_NUMBER_RE.finditer(text)]


# --- the words around a figure ------------------------------------------------------------------

def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in _CLAUSE_DELIMS:
        i -= 1
    return i


def _date_before(text: str, pos: int) -> str | None:
    """The date printed right before ``pos`` (``R3. 1. 1`` before 時点), as printed: the
    longest piece of the clause before it that parses as a date."""
    head = text[:pos].rstrip()
    cut = max(head.rfind(ch) for ch in "、。(（⇒→:：…,，")
    head = head[cut + 1:].strip()
    # a piece starts at the clause's start, after a space, or where an era starts after a mark
    # OCR misread (41.7%⇒R4 read as 41.7%マR4); failing those, where a number does after a
    # kanji ((1月7日 read as 人1月7日: 27位)マR4 would pass for a date before R4 does)
    tiers = (sorted({0, *(m.end() for m in re.finditer(r"\s+", head)), *(m.start() for m in _ERA_IN_TEXT_RE.finditer(head))}),
             [m.start() for m in _NUMBER_IN_TEXT_RE.finditer(head)])
    for starts in tiers:
        for s in starts:
            cand = head[s:].strip()
            if cand and _ERA_START_RE.match(cand) and parse_date(cand, fiscal_year=DEFAULT_PROBE_FISCAL_YEAR) is not None:
                return cand
    return None


def _as_of(unit: TextUnit, text: str, fig: Figure, meeting: Meeting) -> tuple[str | None, DateSpan | None]:
    """(as_of_text, DateSpan) dating ``fig``: the nearest 時点/現在 marker before it, else
    one right after it, else a date printed just before it (``7/21 5市``), else the table's."""
    best = None
    for m in _AS_OF_RE.finditer(text):
        date_text = _date_before(text, m.start())
        if not date_text:
            if m.end() <= fig.start:
                # a nearer marker whose date is unreadable (a scan lost R4.12 of R4.12末時点)
                # ends the reach of the one before it: its date is another's
                best = None
            continue
        shown = date_text + (m.group("end") or "") + m.group("marker")
        if m.end() <= fig.start:
            best = (shown, date_text + (m.group("end") or ""))
        elif best is None and m.start() - fig.end < DEFAULT_AS_OF_AFTER_CHARS:
            best = (shown, date_text + (m.group("end") or ""))
            break
    if best is None:
        # a meeting's date right before a count (7/21 5市、8/24 10市町村) dates it
        prev = re.search(r"(?:^|[\s、,])(?P<d>[^\s、,]+)\s+$", text[:fig.start])
        token = prev.group("d") if prev else ""
        # a scan runs words together (4/26防災担当課長会議7/21 5市): the date right before is the last
        glued = re.search(r"(?<=[^\s0-9/.])[0-9]{1,2}\s*/\s*[0-9]{1,2}$", token)
        token = glued.group() if glued else token
        if token and _is_date_token(token):
            best = (token, token)
    if best is None and unit.as_of_text:
        m = _AS_OF_RE.search(unit.as_of_text)
        best = (unit.as_of_text, unit.as_of_text[:m.start()] + (m.group("end") or "") if m else unit.as_of_text)
    if best is None:
        return None, None
    span = parse_date(best[1], meeting_date=meeting.held_on, fiscal_year=meeting.fiscal_year)
    if span is None:
        return None, None
    return best[0], span


def _rank(text: str, fig: Figure) -> int | None:
    m = _RANK_RE.match(text[fig.end:fig.end + DEFAULT_RANK_WINDOW])
    return int(m.group("rank")) if m else None


def _scope(unit: TextUnit, text: str, fig: Figure, home: str | None, ranked: bool) -> str | None:
    for label in unit.labels:
        if label in _SCOPES:
            return home if _SCOPES[label] == "home" else _SCOPES[label]
    clause = text[_clause_start(text, fig.start):fig.start]
    clause = _RANK_RE.sub("", clause)
    clause = re.sub(r"[（(]\s*(?:全国|県内)\s*\d+\s*位\s*[)）]", "", clause)
    found = None
    for m in _SCOPE_RE.finditer(clause):
        found = m.group(0)
    if found:
        return home if _SCOPES[found] == "home" else _SCOPES[found]
    return home if ranked else None


def _segment(unit: TextUnit, text: str, fig: Figure, as_of_text: str | None) -> str | None:
    """For whom the figure is: a grid cell's row and column labels, a parenthesised label
    right before it ((正会員)439), the table's legend for parenthesised values, or an age band."""
    rows = [lb for lb in unit.labels if lb not in _SCOPES and not _METRIC_LABEL_RE.search(lb)]
    column = unit.column if unit.labels and unit.column and not _header_metric(unit.column, unit, fig) else None
    if rows or column:
        return " ".join(p for p in ("・".join(rows), column) if p)
    label = _phrase_before(text, fig.anchor, as_of_text)[3]
    if label:
        return label
    if unit.legend and _in_parentheses(text, fig.start):
        return unit.legend
    age = list(_AGE_RE.finditer(text[_clause_start(text, fig.start):fig.start]))
    return age[-1].group(0) if age else None


def _in_parentheses(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[:pos]:
        depth += ch in "(（"
        depth -= ch in ")）"
    return depth > 0


def _kind(unit: TextUnit, text: str) -> str:
    """target for a plan (予定, 目標, 見込み … in its unit, or a column of next year's plans)."""
    if unit.future or any(w in text for w in _MARKERS["target"]):
        return "target"
    return "actual"


def _clean_phrase(phrase: str) -> str:
    """Strip bullets, numbering and particles off a phrase's ends."""
    if phrase.count("(") + phrase.count("（") > phrase.count(")") + phrase.count("）"):
        phrase = re.split(r"[(（]", phrase)[-1]
    prev = None
    while prev != phrase:
        prev = phrase
        phrase = _LEADING_MARKS_RE.sub("", phrase).strip()
        phrase = _TRAILING_PARTICLES_RE.sub("", phrase).strip()
    return phrase


def _is_date_token(token: str) -> bool:
    """Does ``token`` (no spaces) open with a date and hold no kana (4/26, 4・9月, R4.12末,
    R5.1.16国公表資料)? Such a token dates or sources a figure; it does not name it."""
    return bool(token) and len(token) <= DEFAULT_DATE_TOKEN_CHARS and bool(_ERA_START_RE.match(token)) \
        and not re.search(r"[ぁ-んァ-ヶ]", token) and parse_date(token, fiscal_year=DEFAULT_PROBE_FISCAL_YEAR) is not None


def _drop_dates_and_areas(phrase: str) -> str:
    """Drop the dates (4/26, 9月) and area words (全国) a phrase holds: they date or place
    the figure, they do not say what it counts."""
    kept = [t for t in phrase.split(" ") if not _is_date_token(_LEADING_MARKS_RE.sub("", t))]
    phrase = " ".join(kept)
    return re.sub(rf"(?:{_alternation(_SCOPES)})$", "", phrase)


def _phrase_before(text: str, start: int, as_of: str | None) -> tuple[str, str, str, str]:
    """The words before a figure.

    Returns:
        (the phrase naming it, the delimiter ending that phrase, a per-period 年/月 printed
        right before it (年2回), a parenthesised label right before it ((正会員)439)).
    """
    head = text[:start]
    per = label = ""
    if head[-1:] and head[-1] in _PER_PERIOD and not head[-2:-1].isdigit():
        per, head = head[-1], head[:-1]
    approx = _APPROX_BEFORE_RE.search(head)
    if approx:
        head = head[:approx.start()]
    if as_of:
        head = head.replace(as_of, "")
    m = _PAREN_LABEL_RE.search(head)
    if m:
        label, head = m.group("label").strip(), head[:m.start()]
    head = head.rstrip()
    delim = head[-1] if head and head[-1] in _PHRASE_DELIMS else ""
    if delim and delim in ":：(（":
        head = head[:-1].rstrip()
    phrase, stop = _phrase_ending(head)
    if stop in ("(", "（") and head.endswith(("・", "、")) and len(re.sub(r"[・、\s]", "", phrase)) <= 2:
        # (県・11市町): the words inside only list who; the phrase before the parenthesis names it
        outer = head[:head.rfind(stop)].rstrip()
        phrase = _phrase_ending(outer)[0]
    return phrase, delim, per, label


def _phrase_ending(head: str) -> tuple[str, str]:
    """(the phrase ``head`` ends with, figures and dates dropped; the character that stops it)."""
    i = len(head)
    while i > 0 and head[i - 1] not in _PHRASE_STOPS:
        i -= 1
    phrase = _strip_figures(head[i:])
    return _clean_phrase(_drop_dates_and_areas(_clean_phrase(phrase))), head[i - 1] if i else ""


def _strip_figures(text: str) -> str:
    for m, _ in reversed(list(_iter_figures(text))):
        approx = _APPROX_BEFORE_RE.search(text[:m.start()])
        qualifier = _QUALIFIER_RE.match(text[m.end():])
        text = text[:approx.start() if approx else m.start()] + text[m.end() + (qualifier.end() if qualifier else 0):]
    return text


def _phrase_after(text: str, end: int) -> tuple[str, str]:
    """("noun", X) when the figure modifies a noun (900万回分の未使用ワクチン), ("verb", X) when a
    verbal noun follows it (15市町村参加, 5箇所新設, 5事業者が出荷を再開), else ("", "")."""
    tail = text[end:]
    while True:  # 34社727人申請済: the words after the last figure name both
        m = _FIGURE_RE.match(tail)
        if not m:
            break
        tail = tail[m.end():]
    tail = re.sub(r"^\s*(?:[（(]\s*(?:全国|県内)?\s*\d+\s*位\s*[)）])?", "", tail)
    tail = _QUALIFIER_RE.sub("", tail)
    closed = re.match(r"^\s*[)）]\s*", tail)
    if closed:
        # (年2回)開催: a verb right after the parenthesis still tells what was counted,
        # a noun (（約900万人）の接種間隔) belongs to the words before the parenthesis
        tail = tail[closed.end():]
    elif tail.startswith("の"):
        noun = _noun_run(tail[1:])
        return ("noun", noun) if len(noun) >= 2 else ("", "")
    tail = re.sub(r"^(?:が|を|に|で|と|も|は)", "", tail)
    m = _WORD_AFTER_RE.match(tail)
    word = _noun_run(m.group(0)) if m else ""
    return ("verb", word) if word else ("", "")


@functools.cache
def _tokenizer():
    """Sudachi's tokenizer, built once (that takes a noticeable fraction of a second)."""
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def _noun_run(text: str) -> str:
    """The nouns ``text`` opens with (出荷を再開する → 出荷を再開, 拡大し → 拡大, 前倒し可 → 前倒し可)."""
    morphemes = list(_tokenizer().tokenize(text[:DEFAULT_AFTER_CHARS]))
    words: list[str] = []
    for i, mo in enumerate(morphemes):
        pos = mo.part_of_speech()[0]
        if re.search(r"\d", mo.surface()):
            break  # the next figure (6ヶ月): its words are its own
        if pos in ("名詞", "接頭辞", "接尾辞"):
            words.append(mo.surface())
        elif mo.surface() == "を" and words and i + 1 < len(morphemes) \
                and morphemes[i + 1].part_of_speech()[0] == "名詞":
            words.append("を")  # 出荷を再開: one action, object and verbal noun
        else:
            break
    return "".join(words).removesuffix("を")


def _header_metric(column: str | None, unit: TextUnit, fig: Figure) -> str | None:
    """The column header as the metric, when it names what its cells count (接種回数, 接種率)."""
    if not column:
        return None
    plain = re.sub(r"\s*[（(][^()（）]*[)）]", "", column).strip()
    if _header_unit(column) == fig.unit or \
            (re.search(r"率|額|数|量", plain) and len(plain) <= DEFAULT_HEADER_METRIC_CHARS):
        return plain
    return None


@dataclass(frozen=True)
class _Named:
    """How the previous figure of a unit was named (a parallel figure may share it)."""

    before: str = ""
    core: str = ""
    unit: str = ""
    cls: str = ""


def _metric(unit: TextUnit, text: str, fig: Figure, as_of_text: str | None, last: _Named) -> tuple[str, _Named]:
    """What the figure counts, in a short phrase taken from the words around it.

    Args:
        last: how the unit's previous figure was named. A figure printed without words of
            its own (（正会員）5万円 （賛助会員）3万円; 7/21 5市、8/24 10市町村) shares its
            words; a length without words before it (2カ月前倒しし、6カ月に短縮) its subject.

    Returns:
        (the metric, how this figure was named).
    """
    suffix = _COUNT_SUFFIX.get(fig.unit, fig.unit + "数") if fig.cls == "count" else ""
    if fig.cls == "percent":
        # a rate is named by the ...率 printed before it, in its unit or in the line above
        rate = list(re.finditer(r"[^\s、。()（）⇒→:：]*?率", text[:fig.anchor])) or \
            list(re.finditer(r"[^\s、。()（）⇒→:：]*?率", unit.lead or ""))
        if rate:
            return _trim(_clean_phrase(rate[-1].group(0))), last
    header = _header_metric(unit.column, unit, fig)
    if header:
        return _trim(header), last
    named_row = [lb for lb in unit.labels if _METRIC_LABEL_RE.search(lb)]
    if named_row and _is_grid_cell(text):
        return _trim(re.sub(r"\s*[（(][^()（）]*[)）]", "", named_row[-1])), last  # 観光客入込数 | 1,234
    before, delim, per, _ = _phrase_before(text, fig.anchor, as_of_text)
    if len(before) < 2 and delim not in ("(", "（"):
        before = ""  # 既に → 既: an adverb, not a name (but 県（18名）: a label)
    if delim in (":", "：") and before:
        return _trim(before), _Named(before, before, fig.unit, fig.cls)
    kind, after = _phrase_after(text, fig.end)
    if kind == "noun" and fig.cls in ("count", "amount", "money") and delim not in ("(", "（") \
            and not re.search(r"[一-龥々ァ-ヶーA-Za-z]$", before):
        # 市中にある900万回分の未使用ワクチン: the noun it counts follows; 高齢者1,700万人の接種間隔:
        # a noun right before the figure is what it counts, the one after is something else
        return _trim(after + suffix), _Named(before, after, fig.unit, fig.cls)
    if kind == "noun":
        after = ""
    if not before and _is_grid_cell(text):
        before = _clean_phrase(unit.caption or "")
    if not before and fig.cls == "duration":
        before = last.before
    total = _APPROX_BEFORE_RE.search(text[:fig.anchor])
    total = "(全体)" if total and total.group(0).strip() == "全" else ""
    core = before + after
    if not core and not total and last.core and last.cls == fig.cls:
        core = last.core
    if not core and fig.cls != "count":
        core = _clean_phrase(_drop_dates_and_areas(_strip_figures(text[_clause_start(text, fig.anchor):fig.anchor])))
    named = _Named(before, core, fig.unit, fig.cls)
    if core.endswith("数"):
        suffix = ""  # 受講者数 18名: the words already name a count
    return _trim(core + suffix + (f"({per})" if per else "") + total), named


def _trim(phrase: str) -> str:
    """A metric of at most DEFAULT_METRIC_CHARS, cut after a topic particle when too long."""
    phrase = re.sub(r"\s+", " ", phrase).strip()
    while len(phrase) > DEFAULT_METRIC_CHARS:
        cut = re.search(r"(?:については|には|は|、|の)", phrase)
        if not cut or cut.end() >= len(phrase):
            return phrase[-DEFAULT_METRIC_CHARS:]
        phrase = phrase[cut.end():]
    return phrase


def _context(unit: TextUnit) -> str:
    if unit.labels and _is_grid_cell(unit.text):
        return " ".join([*unit.labels, *([unit.column] if unit.column else []), unit.text])
    return unit.text


def unit_to_kpis(unit: TextUnit, meeting: Meeting, home: str | None, res: ParseResult | None = None) -> list[dict]:
    """KPI rows of one text unit.

    Args:
        home: the packet's own prefecture (the scope of 県内 and of nationally ranked figures).
        res: where to report a figure dated by a 時点/現在 whose date cannot be read.
    """
    text = unit.text
    figures = text_to_figures(text)
    if not figures and unit.header_unit:
        figures = bare_to_figures(text, unit.header_unit, unit.header_multiplier)
    rows = []
    last = _Named()
    for fig in figures:
        as_of_text, span = _as_of(unit, text, fig, meeting)
        rank = _rank(text, fig)
        metric, last = _metric(unit, text, fig, as_of_text, last)
        row = {
            "item_key": unit.item_key,
            "metric": metric,
            "scope": _scope(unit, text, fig, home, rank is not None),
            "segment": _segment(unit, text, fig, as_of_text),
            "value": fig.value,
            "value_text": fig.value_text,
            "unit": fig.unit,
            "as_of": span.start if span else None,
            "as_of_text": as_of_text,
            "rank": rank,
            "kind": _kind(unit, text),
            "context": _context(unit),
            "page": unit.page,
            **boxes_to_columns(figure_to_boxes(unit, fig)),
        }
        each = figure_to_each_names(text, fig)
        if each:  # the metric read off the words before the figure named only the last of them
            metric = row["metric"].replace(each[-1], "", 1).strip() or row["metric"]
            rows.extend({**row, "metric": metric, "segment": name} for name in each)
        else:
            rows.append(row)
    if res is not None and rows and not any(r["as_of"] for r in rows):
        for m in _AS_OF_RE.finditer(text):
            if re.search(r"[\d日月末]\s*$", text[:m.start()]):
                res.warn(STAGE, unit.page, f"{m.group('marker')} without a readable date: {text[:60]!r}")
                break
    return rows


#: Names listed before a figure printed after 各 (高岡市、砺波市、南砺市各1名): the figure holds for
#: each of them. The list starts at a delimiter, so a count before it (富山県13名、) is not a name.
_EACH_RE = re.compile(r"(?<![^\s、，,（(])(?P<names>[^\d\s、，,（()）。]+(?:[、，,][^\d\s、，,（()）。]+)+)各\s*$")


def figure_to_each_names(text: str, fig: Figure) -> list[str]:
    """The names a figure printed after 各 holds for (one row each); [] when it is not so printed."""
    m = _EACH_RE.search(text[:fig.anchor])
    return re.split(r"[、，,]", m.group("names")) if m else []


def figure_to_boxes(unit: TextUnit, fig: Figure) -> list[Box]:
    """The boxes of the lines (or cells) a figure is printed on, from its value text to its unit."""
    if unit.owners:
        span = unit.owners[max(0, fig.end - len(fig.value_text)):fig.end]
        found = dict.fromkeys(i for i in span if i >= 0)
        if found:
            return [unit.boxes[i] for i in found]
    return list(unit.boxes)


def document_to_home(doc: Document) -> str | None:
    """The prefecture the packet is about: the one its pages name most often."""
    counts = {p: 0 for p in _PREFECTURES}
    for page in doc.pages:
        text = normalize_text(page.text)
        for p in _PREFECTURES:
            counts[p] += text.count(p)
    best = max(counts, key=lambda p: counts[p]) if counts else None
    return best if best and counts[best] > 0 else None


def document_to_kpis(doc: Document, meeting: Meeting, outline: Outline | None = None,
                     profile: Profile | None = None) -> ParseResult:
    """KPI rows of every figure the document reports.

    Args:
        doc: the document's IR.
        meeting: the meeting; its date settles as-of dates printed without a year.
        outline: the document's outline (item sections); built with ``profile`` (else the
            series' profile) when not given.
        profile: the document's profile: its item columns and how it keys item titles (see
            table_to_units); None for the series' keying and no further item columns.

    Returns:
        ParseResult with ``kpis`` rows (item_key is the item section's title, or None).
    """
    res = ParseResult()
    home = document_to_home(doc)
    rows: list[dict] = []
    if outline is None:
        outline = document_to_outline(doc, profile or default_profile())
    for unit in document_to_units(doc, meeting, outline, profile):
        try:
            rows.extend(unit_to_kpis(unit, meeting, home, res))
        except Exception as e:  # a bug on one sentence must not cost the packet's other figures
            res.warn(STAGE, unit.page, f"figures of {unit.text[:40]!r} not read: {type(e).__name__}: {e}")
    res.add("kpis", rows)
    return res


@register("kpis", tables=("kpis",))
def kpis_parser(doc: Document, ctx: Context) -> ParseResult:
    """Every reported figure; a figure on an item's pages carries that item."""
    return document_to_kpis(doc, ctx.meeting, ctx.outline, ctx.profile)
