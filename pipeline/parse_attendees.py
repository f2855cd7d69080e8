"""Parse the 出席者 list: posts and names per side, proxies, stated head counts.

The list is found by its heading (出席者), split into sides by numbered headers with
a head count (``1. 市町村等（17名）``), and read from ruled tables (post, name,
note) or, where the list is not ruled, from its text lines. A table that runs on
to the next page continues the last side.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex as re

from pipeline.identity import person_id_for
from pipeline.ir import Document, Page, Table
from pipeline.normalize import normalize_text, parse_name
from pipeline.rows import ParseResult

STAGE = "parse_attendees"

_HEADING = re.compile(r"出\s*席\s*者")
_SIDE = re.compile(
    r"^(?:\d+\s*[.．、)）]|[(（]\s*\d+\s*[)）]|[①-⑳]|[一二三四五六七八九十]+\s*[.．、])?\s*"
    r"(?P<side>[^\s（()）0-9][^（()）]*?)\s*[（(]\s*(?P<n>\d+)\s*(?:名|人)\s*[）)]\s*$")
_PROXY = re.compile(r"[（(]\s*代\s*理\s*[)）]")
_POST_TAIL = re.compile(r"(?:長|官|監|理事|参事|次長|主幹|補佐|員|係|担当|代理|幹事|主任|参与)$")
_HEADER_CELLS = {"役職", "職名", "所属", "区分", "氏名", "名前", "備考", "所属・職名"}
#: A continuation table's edges must line up with the previous page's within this (pt).
DEFAULT_CONTINUATION_TOLERANCE = 4.0


@dataclass
class _Side:
    name: str
    stated: int | None
    page: int
    top: float


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
    if any(_SIDE.match(t) for t in first_lines):
        return True
    if not page.tables:
        return False
    t, last = page.tables[0], prev.tables[-1]
    lines_above = [ln for ln in page.lines if ln.bottom <= t.bbox[1] + 1]
    tol = DEFAULT_CONTINUATION_TOLERANCE
    return (not lines_above and abs(t.bbox[0] - last.bbox[0]) <= tol and abs(t.bbox[2] - last.bbox[2]) <= tol)


def document_to_attendees(doc: Document) -> ParseResult:
    """Attendee rows of the document's 出席者 list, with head-count checks as warnings."""
    res = ParseResult()
    pages = find_attendee_pages(doc)
    if not pages:
        res.warn(STAGE, None, "no 出席者 (attendance) list found")
        return res
    rows: list[dict] = []
    sides: list[_Side] = []
    for page in pages:
        page_sides = [
            _Side(m.group("side").strip(), int(m.group("n")), page.number, ln.top)
            for ln in page.lines
            if (m := _SIDE.match(normalize_text(ln.text)))
        ]
        found = []
        if page.tables:
            for table in page.tables:
                found.extend(_table_rows(table, page_sides, sides, page.number))
        else:
            found.extend(_line_rows(page, page_sides, sides))
        for r in found:
            r["from_ocr"] = page.source == "ocr"
        rows.extend(found)
        sides.extend(page_sides)
    for seq, r in enumerate(rows, 1):
        r["seq"] = seq
    res.add("attendees", rows)
    for s in sides:
        found = sum(1 for r in rows if r["side"] == s.name)
        if s.stated is not None and found != s.stated:
            res.warn(STAGE, s.page, f"出席者 {s.name}: header states {s.stated}名 but {found} rows were found")
    if not rows:
        res.warn(STAGE, pages[0].number, "出席者 heading found but no attendee rows")
    return res


def _side_for(top: float, page_sides: list[_Side], earlier: list[_Side]) -> _Side | None:
    above = [s for s in page_sides if s.top <= top + 1]
    if above:
        return above[-1]
    return earlier[-1] if earlier else (page_sides[0] if page_sides else None)


def _table_rows(table: Table, page_sides: list[_Side], earlier: list[_Side], page_no: int) -> list[dict]:
    out = []
    for i, cells in enumerate(table.rows):
        # Sides are assigned per row, not per table: a scanned grid can run on
        # across a side header.
        boxes = [b for b in (table.cell_bboxes[i] if i < len(table.cell_bboxes) else []) if b]
        side = _side_for(boxes[0][1] if boxes else table.bbox[1], page_sides, earlier)
        texts = [_cell(c) for c in cells]
        if not any(texts):
            continue
        if texts[0] and normalize_text(texts[0]).replace(" ", "") in _HEADER_CELLS:
            continue
        filled = [t for t in texts if t]
        if len(filled) < 2:
            continue  # a spacer or a stray caption, not a person
        post, name_raw, *notes = texts
        out.append(_row(side, post, name_raw, " ".join(n for n in notes if n), page_no))
    return out


def _line_rows(page: Page, page_sides: list[_Side], earlier: list[_Side]) -> list[dict]:
    """Unruled lists: `post name [(代理)name post]` per line under a side header."""
    out = []
    for ln in page.lines:
        text = normalize_text(ln.text).strip()
        if not page_sides and not earlier:
            break
        if _SIDE.match(text) or _HEADING.search(text) or ln.top < min((s.top for s in page_sides), default=0):
            continue
        side = _side_for(ln.top, page_sides, earlier)
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
        "post": normalize_text(post_raw).strip(),
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


def _proxy(note: str) -> tuple[bool, str | None, str | None]:
    """`(代理)水落 生活環境文化部次長` → (True, 水落, 生活環境文化部次長)."""
    note = normalize_text(note).strip()
    m = _PROXY.search(note)
    if not m:
        return False, None, None
    rest = (note[: m.start()] + " " + note[m.end():]).split()
    if not rest:
        return True, None, None
    post_at = next((i for i in range(len(rest) - 1, 0, -1) if _POST_TAIL.search(rest[i])), None)
    if post_at is None:
        return True, " ".join(rest), None
    return True, " ".join(rest[:post_at]), "".join(rest[post_at:])
