"""Parse the 出席者 list: posts and names per side, proxies, stated head counts.

The list is found by its heading (出席者), split into sides by numbered headers with
a head count (``1. 市町村等（17名）``), and read from ruled tables (post, name,
note) or, where the list is not ruled, from its text lines. A table that runs on
to the next page continues the last side.

Other layouts of the same list: a header row names the columns (区分 | 職名 | 氏名
| 備考), and a 区分 column (merged over its rows, ``市町村等（17名）``) gives the side;
lists printed side by side put their side headers on one line, and each table
takes the header above it in its own column; posts spread by 均等割付 (知　　事) are
closed up.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex as re

from pipeline.identity import person_id_for
from pipeline.ir import Document, Line, Page, Table
from pipeline.layout import edges_line_up
from pipeline.normalize import normalize_text, parse_name
from pipeline.registry import register
from pipeline.rows import Context, ParseResult

STAGE = "parse_attendees"

_HEADING = re.compile(r"出\s*席\s*者")
#: One side header: an optional number (1. / (1) / ① / 一、 / 1 followed by a space), the side, its head count.
_SIDE_ONE = re.compile(
    r"(?:\d+\s*[.．、)）]|[(（]\s*\d+\s*[)）]|[①-⑳]|[一二三四五六七八九十]+\s*[.．、]|\d+(?=\s))?\s*"
    r"(?P<side>[^\s（()）0-9][^（()）]*?)\s*[（(]\s*(?P<n>\d+)\s*(?:名|人)\s*[）)]")
_PROXY = re.compile(r"[（(]\s*代\s*理\s*[)）]")
_POST_TAIL = re.compile(r"(?:長|官|監|理事|参事|次長|主幹|補佐|員|係|担当|代理|幹事|主任|参与)$")
_HEADER_CELLS = {"役職", "職名", "所属", "区分", "氏名", "名前", "備考", "所属・職名"}
#: What each header cell of a ruled list names: the side, the post, the name, a note.
_HEADER_ROLES = {"区分": "side", "役職": "post", "職名": "post", "所属": "post", "所属・職名": "post",
                 "氏名": "name", "名前": "name", "備考": "note"}
#: Side headers whose (estimated) left edges are this close (pt) head the same column of the page.
DEFAULT_COLUMN_TOLERANCE = 12.0


@dataclass
class _Side:
    name: str
    stated: int | None
    page: int
    top: float
    x0: float = 0.0  # left edge of the header (estimated when several share a printed line)


@dataclass(frozen=True)
class _Columns:
    """Which columns of a ruled list hold the side, post, name and notes."""

    post: int = 0
    name: int = 1
    side: int | None = None
    notes: tuple[int, ...] = ()


def text_to_sides(text: str) -> list[tuple[str, int, int]]:
    """The side headers a line holds, as (side, stated count, offset in the line).

    Several headers share one printed line when the lists stand side by side
    (``1. 市町村等（17名） 2. 県（17名）``); a line with anything else is no header.
    """
    out, pos = [], 0
    while pos < len(text):
        m = _SIDE_ONE.match(text, pos)
        if not m:
            return []
        out.append((m.group("side").strip(), int(m.group("n")), m.start()))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def line_to_sides(ln: Line, page_no: int) -> list[_Side]:
    """The side headers of one text line, each with its left edge.

    The IR keeps one box per line, so a header after the first is placed by its
    share of the line's characters: rough, but enough to tell columns apart.
    """
    text = normalize_text(ln.text)
    found = text_to_sides(text)
    width = ln.x1 - ln.x0
    return [_Side(side, n, page_no, ln.top, ln.x0 + width * at / max(len(text), 1)) for side, n, at in found]


def header_to_columns(cells: list[str]) -> _Columns | None:
    """Column roles from a header row (区分 | 職名 | 氏名 | 備考), or None if the row is no header."""
    roles = [_HEADER_ROLES.get(normalize_text(c).replace(" ", "")) for c in cells]
    if "name" not in roles or "post" not in roles:
        return None
    return _Columns(post=roles.index("post"), name=roles.index("name"),
                    side=roles.index("side") if "side" in roles else None,
                    notes=tuple(i for i, r in enumerate(roles) if r not in ("side", "post", "name")))


def _cell(text: str | None) -> str:
    """Cell text with wrapped lines joined: Japanese wraps mid-word, so no space."""
    if not text:
        return ""
    return "".join(part.strip() for part in text.split("\n"))


def find_attendee_pages(doc: Document) -> list[Page]:
    """The page with the 出席者 heading and the pages its list runs on to."""
    for i, page in enumerate(doc.pages):
        head = [ln for ln in page.lines[:4] if _HEADING.search(normalize_text(ln.text))]
        if not head:
            continue
        pages = [page]
        for nxt in doc.pages[i + 1:]:
            if _continues(pages[-1], nxt):
                pages.append(nxt)
            else:
                break
        return pages
    return []


def _continues(prev: Page, page: Page) -> bool:
    """A page continues the list if it opens with a side header or a table lined up with prev's."""
    if not prev.tables:
        return False
    first_lines = [normalize_text(ln.text) for ln in page.lines[:2]]
    if any(text_to_sides(t) for t in first_lines):
        return True
    if not page.tables:
        return False
    t, last = page.tables[0], prev.tables[-1]
    lines_above = [ln for ln in page.lines if ln.bottom <= t.bbox[1] + 1]
    return not lines_above and edges_line_up(last.bbox[0], last.bbox[2], t)


def document_to_attendees(doc: Document) -> ParseResult:
    """Attendee rows of the document's 出席者 list, with head-count checks as warnings."""
    res = ParseResult()
    pages = find_attendee_pages(doc)
    if not pages:
        res.warn(STAGE, None, "no 出席者 (attendance) list found")
        return res
    rows: list[dict] = []
    sides: list[_Side] = []
    columns: _Columns | None = None
    for page in pages:
        page_sides = [s for ln in page.lines for s in line_to_sides(ln, page.number)]
        found = []
        if page.tables:
            for table in page.tables:
                new_rows, new_sides, columns = _table_rows(table, page_sides, sides, page.number, columns)
                found.extend(new_rows)
                page_sides.extend(new_sides)
        else:
            found.extend(_line_rows(page, page_sides, sides))
        for r in found:
            r["from_ocr"] = page.source == "ocr"
        rows.extend(found)
        sides.extend(page_sides)
    for seq, r in enumerate(rows, 1):
        r["seq"] = seq
    res.add("attendees", rows)
    # A stated count against the rows found is the data check attendees_head_count; only a
    # side with no row at all is invisible to it.
    for s in sides:
        if s.stated and not any(r["side"] == s.name for r in rows):
            res.warn(STAGE, s.page, f"出席者 {s.name}: header states {s.stated}名 but no rows were found")
    if not rows:
        res.warn(STAGE, pages[0].number, "出席者 heading found but no attendee rows")
    return res


def _side_for(top: float, x0: float, page_sides: list[_Side], earlier: list[_Side]) -> _Side | None:
    """The side a row at (top, x0) belongs to: the nearest header above it in its column."""
    above = [s for s in page_sides if s.top <= top + 1]
    if above:
        tol = DEFAULT_COLUMN_TOLERANCE
        left = [s for s in above if s.x0 <= x0 + tol] or above
        column = max(s.x0 for s in left)
        return max((s for s in left if s.x0 >= column - tol), key=lambda s: s.top)
    return earlier[-1] if earlier else (page_sides[0] if page_sides else None)


def _table_rows(table: Table, page_sides: list[_Side], earlier: list[_Side], page_no: int,
                columns: _Columns | None) -> tuple[list[dict], list[_Side], _Columns | None]:
    """Attendee rows of one ruled table.

    Args:
        columns: the column roles a previous page's header set (a continuation may
            not repeat the header); None for post | name | notes.

    Returns:
        (rows, sides named in a 区分 column, the column roles in force at the table's end).
    """
    out: list[dict] = []
    table_sides: list[_Side] = []
    for i, cells in enumerate(table.rows):
        boxes = [b for b in (table.cell_bboxes[i] if i < len(table.cell_bboxes) else []) if b]
        texts = [_cell(c) for c in cells]
        if not any(texts):
            continue
        header = header_to_columns(texts)
        if header is not None:
            columns = header
            continue
        if texts[0] and normalize_text(texts[0]).replace(" ", "") in _HEADER_CELLS:
            continue
        cols = columns or _Columns()
        if cols.side is not None and cols.side < len(texts) and texts[cols.side]:
            table_sides.append(_side_cell_to_side(texts[cols.side], page_no, boxes))
        if cols.side is not None:
            # a merged 区分 cell covers the rows below it, on this page and the next
            side = table_sides[-1] if table_sides else (earlier[-1] if earlier else None)
        else:
            # Sides are assigned per row, not per table: a scanned grid can run on
            # across a side header.
            side = _side_for(boxes[0][1] if boxes else table.bbox[1], boxes[0][0] if boxes else table.bbox[0],
                             page_sides, earlier)
        person = [t for j, t in enumerate(texts) if j != cols.side]
        if len([t for t in person if t]) < 2:
            continue  # a spacer or a stray caption, not a person
        if columns is None:
            post, name_raw, *notes = texts
        else:
            at = lambda j: texts[j] if j is not None and j < len(texts) else ""  # noqa: E731
            post, name_raw, notes = at(cols.post), at(cols.name), [at(j) for j in cols.notes]
        out.append(_row(side, post, name_raw, " ".join(n for n in notes if n), page_no))
    return out, table_sides, columns


def _side_cell_to_side(text: str, page_no: int, boxes: list) -> _Side:
    """A 区分 cell (``市町村等（17名）`` or just ``県``) as a side."""
    norm = normalize_text(text)
    found = text_to_sides(norm)
    top, x0 = (boxes[0][1], boxes[0][0]) if boxes else (0.0, 0.0)
    if len(found) == 1:
        return _Side(found[0][0], found[0][1], page_no, top, x0)
    return _Side(norm.strip(), None, page_no, top, x0)


def _line_rows(page: Page, page_sides: list[_Side], earlier: list[_Side]) -> list[dict]:
    """Unruled lists: `post name [(代理)name post]` per line under a side header."""
    out = []
    for ln in page.lines:
        text = normalize_text(ln.text).strip()
        if not page_sides and not earlier:
            break
        if text_to_sides(text) or _HEADING.search(text) or ln.top < min((s.top for s in page_sides), default=0):
            continue
        side = _side_for(ln.top, ln.x0, page_sides, earlier)
        proxy = _PROXY.search(text)
        main, note = (text[: proxy.start()], text[proxy.start():]) if proxy else (text, "")
        parts = main.split(" ", 1)
        if len(parts) < 2:
            continue
        out.append(_row(side, parts[0], parts[1], note, page.number))
    return out


def _row(side: _Side | None, post_raw: str, name_raw: str, note: str, page_no: int) -> dict:
    # A proxy may be printed in the note column or after the name in the name cell.
    proxy_in_name = _PROXY.search(name_raw)
    if proxy_in_name:
        note = (name_raw[proxy_in_name.start():] + " " + note).strip()
        name_raw = name_raw[: proxy_in_name.start()].strip()
    name = parse_name(name_raw)
    by_proxy, proxy_name, proxy_post = _proxy(note)
    return {
        "side": side.name if side else None,
        "side_stated_count": side.stated if side else None,
        "post": post_to_text(post_raw),
        "name": name.name,
        "family_name": name.family,
        "given_name": name.given,
        "name_text": name_raw,
        "person_id": person_id_for(name.name),
        "by_proxy": by_proxy,
        "proxy_name": proxy_name,
        "proxy_post": proxy_post,
        "page": page_no,
    }


def post_to_text(raw: str) -> str:
    """A post as printed, without 均等割付 letter-spacing (``知　　事`` → ``知事``).

    Only a post spread one character per token is joined: spaces between words
    (``理事 推進室長``) are kept.
    """
    text = normalize_text(raw).strip()
    tokens = text.split(" ")
    return "".join(tokens) if len(tokens) > 1 and all(len(t) == 1 for t in tokens) else text


def _proxy(note: str) -> tuple[bool, str | None, str | None]:
    """`(代理)水落 生活環境文化部次長` → (True, 水落, 生活環境文化部次長)."""
    note = normalize_text(note).strip()
    m = _PROXY.search(note)
    if not m:
        return False, None, None
    rest = (note[: m.start()] + " " + note[m.end():]).split()
    if not rest:
        return True, None, None
    # a name comes first; a lone word that reads as a post is the proxy's post (（代理）教育次長)
    first = 0 if len(rest) == 1 else 1
    post_at = next((i for i in range(len(rest) - 1, first - 1, -1) if _POST_TAIL.search(rest[i])), None)
    if post_at is None:
        return True, " ".join(rest), None
    return True, " ".join(rest[:post_at]) or None, "".join(rest[post_at:])


@register("attendees", tables=("attendees",))
def attendees_parser(doc: Document, ctx: Context) -> ParseResult:
    """Attendee rows of the document's attendance lists."""
    return document_to_attendees(doc)
