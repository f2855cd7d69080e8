"""Text of table cells and text lines for the item parsers.

pdfplumber gives a cell's visual lines separated by ``\\n``: a wrap inside a
sentence looks the same as a real line break. The helpers here rebuild the
logical lines a reader sees: a visual line that starts with a bullet (・ ⇒ ※ ● ①
…), or follows a line that left room for its first word (the browser would have
put it there had the line not ended), starts a new logical line; any other
visual line continues the one before it. Japanese wraps anywhere, so
continuations are joined without a space. Widths are estimated from the
characters (full-width 1 em, ASCII by class), as the IR has no glyph positions
per cell.

Every helper normalizes first (pipeline.normalize.normalize_text): the IR keeps
the raw text layer, Kangxi radicals and all.
"""
from __future__ import annotations

import unicodedata

import regex as re

from pipeline.layout import join_pair
from pipeline.normalize import normalize_text

#: A visual line ended on a hard break when the next line's first unbreakable piece
#: would have fitted after it with this many ems to spare (glyph widths are estimates).
DEFAULT_HARD_BREAK_SPARE_EMS = 0.0
#: Widths in ems of narrow (ASCII) glyphs, fitted on the sample packets' text lines;
#: proportional fonts vary, so these are estimates.
DEFAULT_NARROW_WIDTHS = {"digit": 0.56, "upper": 0.67, "lower": 0.56, "paren": 0.36, "other": 0.38}

#: A visual line starting with one of these opens a new logical line (a bullet or a numbered point).
_MARKER_START = re.compile(r"^(?:[・⇒※●○◎■□◆◇▶▷→•◯]|[①-⑳])")
#: A visual line opening with a fiscal-year prefix (R4年度: / 令和4年度：) starts the dates of another
#: year: a new logical line, never the run-on of the line above (whose last date would swallow the era).
_FY_LINE_START = re.compile(r"^(?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*年\s*度\s*[:：]")
#: A bullet after a space inside a line opens a new logical line too (the print kept the list inline).
_INLINE_MARKER = re.compile(r"\s+(?=[・⇒※●○◎■◆])")
#: What a line cannot be broken before: an ASCII word with its brackets (up to a hyphen,
#: after which a browser may break), or one character, each with the closing
#: punctuation that may not start a line (kinsoku).
_LINE_HEAD = re.compile(r"^(?:[(\[]?[A-Za-z0-9](?:[!-,.-~]*?-(?=[A-Za-z])|[!-~]*)|.)"
                        r"[、。，．,.)）」』】〕\]!?！？ー々・:：;；ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ]*")
#: A department name ends with one of these; a wrap right after one is a boundary between names.
_DEPARTMENT_END = re.compile(r"[部局課室庁]$")
#: A municipality name ends with one of these; a wrap right after one is a boundary between names.
_MUNICIPALITY_END = re.compile(r"[市町村県区]$")
_COORDINATOR_MARK = re.compile(r"[（(]\s*まとめ\s*[)）]")
_LIST_SEPARATOR = re.compile(r"[、,，\s]+")
#: A month/day date cut inside its day (10/2 | 0) or its month (1 | 2/28) at a line end.
_DATE_CUT_DAY = re.compile(r"(?<![\d/])(?:1[0-2]|0?[1-9])/[0-3]$")
_DATE_REST_DAY = re.compile(r"^\d(?!\d)")
_DATE_CUT_MONTH = re.compile(r"(?<![\d/])1$")
_DATE_REST_MONTH = re.compile(r"^[0-2]/\d")
#: A trailing bracket group: the proposers after an item title, a status after a heading. Its
#: close may be read by OCR as a lenticular bracket (…を終了】), which print never pairs with (;
#: specks after it may be read as marks (…(魚津市、南砺市)。 ・).
_SPECKS_TO_END = r"[\s。、・.,'`]*$"
_TRAILING_PAREN = re.compile(r"\s*[（(]([^（()）【】]*)[)）】]" + _SPECKS_TO_END)
_UNOPENED_END = re.compile(r"\s*[)）]" + _SPECKS_TO_END)
#: A year's status whose opening bracket a scan lost or misread (…強化・6R4年度新規項目)): it starts at
#: its era year; what stands between the title and it is specks (a digit glued to R is none).
_UNOPENED_STATUS = re.compile(r"[\s・.,'`]*\d?(?P<status>(?:R|令和)\s*\d{1,2}\s*年度[^()（）]{0,8}?(?:新規|継続|終了)"
                              r"[^()（）]{0,6}?)[)）]" + _SPECKS_TO_END)
_NAME_ONLY = re.compile(r"\s*[^\s、,，()（）]{1,6}[市町村区]\s*")


def cell_to_visual_lines(raw: str | None) -> list[str]:
    """The normalized, stripped, non-empty visual lines of a cell or text."""
    if not raw:
        return []
    return [ln.strip() for ln in normalize_text(raw).split("\n") if ln.strip()]


def cell_to_wrapped_lines(raw: str | None) -> list[tuple[str, bool]]:
    """The visual lines of cell_to_visual_lines, each with whether it follows a wide-glyph wrap.

    A wrap next to a full-width glyph (１２/２８ printed by an office suite) is a
    Japanese wrap even where normalization makes both sides ASCII: nothing was
    swallowed there, so join_pair must not put a space back.
    """
    out: list[tuple[str, bool]] = []
    prev_wide = False
    for printed, text in _cell_parts(raw):
        out.append((text, prev_wide or _is_wide(printed[0])))
        prev_wide = _is_wide(printed[-1])
    return out


def cell_to_printed_lines(raw: str | None) -> list[str]:
    """The visual lines of a cell as printed (not normalized), one per line of cell_to_wrapped_lines.

    Normalization narrows what the print set wide (full-width digits １５ → 15), so how
    far a line reaches across its cell is read from the printed glyphs.
    """
    return [printed for printed, _ in _cell_parts(raw)]


def _cell_parts(raw: str | None) -> list[tuple[str, str]]:
    """(as printed, normalized) of each line of a cell with text."""
    out = []
    for part in (raw or "").split("\n"):
        text = normalize_text(part).strip()
        if text:
            out.append((part.strip(), text))
    return out


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def cell_to_text(raw: str | None) -> str:
    """A cell's text on one line: every visual wrap joined (titles, topics, names)."""
    out = ""
    for ln, tight in cell_to_wrapped_lines(raw):
        out = join_pair(out, ln, tight)
    return out


def _char_width(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in "WFA":
        return 1.0
    if ch.isdigit():
        kind = "digit"
    elif ch.isupper():
        kind = "upper"
    elif ch.islower():
        kind = "lower"
    elif ch in "()":
        kind = "paren"
    else:
        kind = "other"
    return DEFAULT_NARROW_WIDTHS[kind]


def text_width(text: str) -> float:
    """Printed width of a text in ems: full-width glyphs 1, ASCII about half (by class)."""
    return sum(_char_width(c) for c in text)


def cells_to_full_width(cells: list[str | None]) -> float:
    """The width of a full visual line in a column.

    Most visual lines of a column are wrapped ones, filled to the column's width:
    the most common width (rounded to an em; the widest on a tie) is taken, as the
    estimate of a line's width errs with its ASCII share. Lines that end a cell
    are left out: they are short by nature.
    """
    widths = [text_width(ln) for c in cells for ln in cell_to_visual_lines(c)[:-1]]
    if not widths:
        return max((text_width(ln) for c in cells for ln in cell_to_visual_lines(c)), default=0.0)
    counts: dict[int, int] = {}
    for w in widths:
        counts[round(w)] = counts.get(round(w), 0) + 1
    mode = max(counts, key=lambda k: (counts[k], k))
    return max(w for w in widths if round(w) == mode)


def line_ends_short(line: str, next_line: str, full_width: float,
                    spare_ems: float = DEFAULT_HARD_BREAK_SPARE_EMS) -> bool:
    """Whether a visual line ended on a hard break: the next line's head would have fitted."""
    m = _LINE_HEAD.match(next_line)
    head = text_width(m.group(0)) if m else 1.0
    return full_width - text_width(line) >= head + spare_ems


def cell_to_logical_text(raw: str | None, full_width: float,
                         spare_ems: float = DEFAULT_HARD_BREAK_SPARE_EMS) -> str:
    """A multi-line cell with its logical lines rebuilt, joined by ``\\n``.

    Args:
        raw: the cell text as extracted (visual lines separated by ``\\n``).
        full_width: width in ems of a full line of the column (cells_to_full_width);
            0 breaks only before bullets.
        spare_ems: spare room (ems) the next line's head must leave for a hard break.

    Returns:
        The logical lines: a new one before each bullet and after each line that
        ended short; visual wraps joined.
    """
    logical: list[str] = []
    prev = None
    for ln, tight in cell_to_wrapped_lines(raw):
        if prev is None or _MARKER_START.match(ln) or (full_width and line_ends_short(prev, ln, full_width, spare_ems)):
            logical.append(ln)
        else:
            logical[-1] = join_pair(logical[-1], ln, tight)
        prev = ln
    out = []
    for ln in logical:
        out.extend(p.strip() for p in _INLINE_MARKER.split(ln) if p.strip())
    return "\n".join(out)


def cell_to_run_on_text(raw: str | None, full_width: float) -> str:
    """A cell whose visual lines all run on (a dates cell), with only bullets starting a line.

    Where a line fills the column (the next line's head would not have fitted: see
    line_ends_short) and ends inside a month/day date (``10/2`` ⏎ ``0``, ``1`` ⏎
    ``2/28``), the print broke at the cell's edge inside the date: the parts join with
    nothing between them. Anywhere else join_pair's rule applies (a space between two
    ASCII words: ``8/24`` ⏎ ``10市町村`` broke where a space was). The width of a line
    is estimated from its characters, so fullness alone cannot tell those two apart;
    the date's shape does.

    Args:
        raw: the cell text as extracted.
        full_width: width in ems of a full line of the column (cells_to_full_width);
            0 treats no line as full.
    """
    logical: list[str] = []
    prev = None
    for ln, tight in cell_to_wrapped_lines(raw):
        if prev is None or _MARKER_START.match(ln) or _FY_LINE_START.match(ln):
            logical.append(ln)
        else:
            at_edge = bool(full_width) and not line_ends_short(prev, ln, full_width)
            inside_date = bool(_DATE_CUT_DAY.search(prev) and _DATE_REST_DAY.match(ln)
                               or _DATE_CUT_MONTH.search(prev) and _DATE_REST_MONTH.match(ln))
            logical[-1] = join_pair(logical[-1], ln, tight or (at_edge and inside_date))
        prev = ln
    out = []
    for ln in logical:
        out.extend(p.strip() for p in _INLINE_MARKER.split(ln) if p.strip())
    return "\n".join(out)


def split_trailing_paren(text: str) -> tuple[str, str | None]:
    """``'title (a、b)'`` → ``('title', 'a、b')``; ``(text, None)`` without a trailing bracket.

    A list of municipalities whose opening bracket a scan lost (``title富山市、射水市)``) is
    split where the first name begins: Sudachi knows every municipality as a place name; a
    year's status, where its era year begins (``title・6R4年度新規項目)``).
    """
    m = _TRAILING_PAREN.search(text)
    if not m or not text[: m.start()].strip():
        return _split_unopened_list(text) or _split_unopened_status(text) or (text.strip(), None)
    return text[: m.start()].strip(), m.group(1).strip()


def _split_unopened_status(text: str) -> tuple[str, str] | None:
    m = _UNOPENED_STATUS.search(text)
    if not m or re.search(r"[（(]", text) or not text[: m.start()].strip():
        return None
    return text[: m.start()].strip(), m["status"].strip()


def _split_unopened_list(text: str) -> tuple[str, str] | None:
    m = _UNOPENED_END.search(text)
    if not m or re.search(r"[（(]", text):
        return None
    body = text[: m.start()]
    first, *rest = re.split(r"[、,，]", body)
    if not all(_NAME_ONLY.fullmatch(r) for r in rest):
        return None
    from pipeline.normalize._names import _sudachi

    tokens = list(_sudachi()[1].tokenize(first.rstrip()))
    last = tokens[-1] if tokens else None
    if last is None or last.part_of_speech()[2] != "地名" or not _MUNICIPALITY_END.search(last.surface()):
        return None
    head = first.rstrip()[: -len(last.surface())].strip()
    return (head, body[len(first.rstrip()) - len(last.surface()):].strip()) if head else None


def text_to_names(text: str | None) -> list[str]:
    """A printed list of municipalities or departments (``富山市、高岡市``) to its names."""
    if not text:
        return []
    return [t for t in _LIST_SEPARATOR.split(text.strip()) if t]


def municipality_cell_to_names(raw: str | None) -> list[str]:
    """A 提案市町村 cell to names: a wrap right after 市 / 町 / 村 (or 県, 区) separates two names.

    A narrow column prints one name per line or wraps inside one (小矢部 / 市).
    """
    text = ""
    for ln, tight in cell_to_wrapped_lines(raw):
        text = f"{text} {ln}" if text and _MUNICIPALITY_END.search(text) else join_pair(text, ln, tight)
    return text_to_names(text)


def department_cell_to_names(raw: str | None) -> list[str]:
    """A 担当部局 cell to department names, dropping the ``(まとめ)`` coordinator mark.

    The column is narrow and wraps inside names; a wrap right after a name's
    suffix (部, 局, 課 …) is taken as the space between two names.
    """
    text = ""
    for ln, tight in cell_to_wrapped_lines(raw):
        text = f"{text} {ln}" if text and _DEPARTMENT_END.search(text) else join_pair(text, ln, tight)
    return text_to_names(_COORDINATOR_MARK.sub(" ", text))
