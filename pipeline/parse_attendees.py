"""Parse attendee lists: sides, posts and names, absentees, proxies, stated head counts.

One parser for every body. It reads the profile's attendee sections from the outline
(``[attendees] sections``: the 出席者 pages of a packet; the whole record, header
included, for a council's record whose lists may start mid-line) in two layouts:

* Ruled tables (the series' 出席者 list): post, name and note columns; a header row
  naming the columns in any order (区分 | 職名 | 氏名 | 備考, 氏名 | 所属・役職: the
  profile's ``*_columns`` words) and a 区分 column (merged over its rows,
  ``市町村等（17名）``) give the side; lists printed side by side put their side
  headers on one line, and each table takes the header above it in its own column; a
  table running on to the next page continues the last side; proxies in a note.
* Text (pipeline.parse_attendees_text): every list heading of the genre's vocabulary
  (出席委員(8名), 説明のため出席した者, 参集者 …) opens a list; posts, names, ditto
  marks, seats, running text and names glued to posts are read by one grammar.

Rows under an absent heading (欠席委員, 欠席者) are kept with ``absent`` true. Every
row carries its page and the box of the line or cell it came from.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex as re

from pipeline.identity import person_id_for
from pipeline.ir import Document, Line, Page, Table
from pipeline.normalize import normalize_text, parse_name
from pipeline.normalize._names import PersonName
from pipeline.parse_attendees_text import (DEFAULT_WRAP_MARGIN, AttendeeList, LineRef, Person, Vocabulary,
                                           entries_to_people, heading_continues, is_side_label, lines_to_stream,
                                           profile_to_vocabulary, text_to_sides, tokens_to_entries, tokens_to_lists)
from pipeline.registry import register
from pipeline.rows import Context, ParseResult

__all__ = ["document_to_attendees", "line_to_sides", "post_to_text", "text_to_sides"]

STAGE = "parse_attendees"

_PROXY = re.compile(r"[（(]\s*代\s*理\s*[)）]")
_POST_TAIL = re.compile(r"(?:長|官|監|理事|参事|次長|主幹|補佐|員|係|担当|代理|幹事|主任|参与)$")
#: What each header cell of a ruled list names (the side, the post, the name, a note) when
#: the profile lists no column words of its own ([attendees] side_columns, post_columns …).
_HEADER_ROLES = {"区分": "side", "役職": "post", "職名": "post", "所属": "post", "所属・職名": "post",
                 "氏名": "name", "名前": "name", "備考": "note"}
#: The [attendees] key listing the header cells of each role.
_ROLE_KEYS = {"side_columns": "side", "post_columns": "post", "name_columns": "name", "note_columns": "note"}
_BULLET = re.compile(r"^[〇○◯●◎◇◆■□※・]+\s*")
#: A header cell of a ruled list is at most this long (所属団体・役職名); a longer cell is data.
DEFAULT_MAX_HEADER_CHARS = 8
#: A name wrapped at a line's end runs on to at most this many lines.
DEFAULT_MAX_NAME_LINES = 2
#: Side headers whose (estimated) left edges are this close (pt) head the same column of the page.
DEFAULT_COLUMN_TOLERANCE = 12.0
#: A person's name is at most this many characters (spaces aside) and has no sentence marks,
#: brackets or digits; a table most of whose "names" are not is no list of attendees (the WG
#: table after an attendee list whose section a misread heading left open).
DEFAULT_MAX_NAME_CHARS = 12
_NOT_IN_A_NAME = re.compile(r"[、。，．,()（）「」:：0-9０-９]")


@dataclass
class _Side:
    name: str
    stated: int | None
    page: int
    top: float
    x0: float = 0.0  # left edge of the header (estimated when several share a printed line)
    absent: bool = False  # a list of those who did not attend (欠席者)


@dataclass(frozen=True)
class _Columns:
    """Which columns of a ruled list hold the side, post, name and notes."""

    post: int = 0
    name: int = 1
    side: int | None = None
    notes: tuple[int, ...] = ()


def line_to_sides(ln: Line, page_no: int) -> list[_Side]:
    """The side headers of one text line, each with its left edge.

    The IR keeps one box per line, so a header after the first is placed by its
    share of the line's characters: rough, but enough to tell columns apart.
    """
    text = normalize_text(ln.text)
    found = text_to_sides(text)
    if not all(is_side_label(side) for side, _, _ in found):
        return []
    width = ln.x1 - ln.x0
    return [_Side(_BULLET.sub("", side) or side, n, page_no, ln.top, ln.x0 + width * at / max(len(text), 1))
            for side, n, at in found]


def header_roles(v: Vocabulary | None = None) -> dict[str, str]:
    """Header cell (spaces removed) → the role of its column, from the profile's column words."""
    roles = {re.sub(r"\s+", "", normalize_text(w)): role
             for key, role in _ROLE_KEYS.items() for w in (getattr(v, key, ()) if v else ())}
    return roles or dict(_HEADER_ROLES)


def _cell_role(text: str | None, roles: dict[str, str], *, exact: bool = False) -> str | None:
    """The role a header cell names: one of the column words, or (unless ``exact``) a short
    cell holding the words of one role only (委員氏名, 所属・役職名 → name, post)."""
    key = re.sub(r"\s+", "", normalize_text(_cell(text)))
    if key in roles or exact or not key or len(key) > DEFAULT_MAX_HEADER_CHARS:
        return roles.get(key)
    hits = {role for word, role in roles.items() if len(word) >= 2 and word in key}
    return hits.pop() if len(hits) == 1 else None


def header_to_columns(cells: list[str], v: Vocabulary | None = None) -> _Columns | None:
    """Column roles from a header row, or None if the row is no header.

    The header says which column is which, in whatever order they are printed: 区分 |
    職名 | 氏名 | 備考, or the name first (氏名 | 所属・役職), as lists of invited members print.
    """
    known = header_roles(v)
    roles = [_cell_role(c, known) for c in cells]
    if "name" not in roles or "post" not in roles:
        return None
    return _Columns(post=roles.index("post"), name=roles.index("name"),
                    side=roles.index("side") if "side" in roles else None,
                    notes=tuple(i for i, r in enumerate(roles) if r not in ("side", "post", "name")))


def table_to_column_groups(table: Table, v: Vocabulary | None = None) -> list[Table]:
    """A table holding lists side by side (職名 | 氏名 | 職名 | 氏名) cut into one table per list.

    The header row (in the first two rows) names a post and a name column more than
    once; each group runs from one post column to the next. The rows above the header
    (a side per group: 市町村（7名） | | 県（5名） |) are cut the same way. A table with
    one post | name pair is returned as it is.
    """
    known = header_roles(v)
    for r in range(min(2, len(table.rows))):
        roles = [_cell_role(c, known) for c in table.rows[r]]
        starts = [i for i, role in enumerate(roles) if role == "post"]
        if len(starts) < 2 or roles.count("name") < len(starts):
            continue
        bounds = [*starts[1:], table.n_cols]
        groups = []
        for a, b in zip(starts, bounds):
            rows = [list(row[a:b]) for row in table.rows]
            boxes = [list(row[a:b]) for row in table.cell_bboxes]
            inner = [bx for row in boxes for bx in row if bx]
            bbox = (min(bx[0] for bx in inner), table.bbox[1], max(bx[2] for bx in inner), table.bbox[3]) \
                if inner else table.bbox
            groups.append(Table(bbox, rows, boxes))
        return groups
    return [table]


def _cell(text: str | None) -> str:
    """Cell text with wrapped lines joined: Japanese wraps mid-word, so no space."""
    if not text:
        return ""
    return "".join(part.strip() for part in text.split("\n"))


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
                columns: _Columns | None, v: Vocabulary | None = None) -> tuple[list[dict], list[_Side], _Columns | None]:
    """Attendee rows of one ruled table.

    Args:
        columns: the column roles a previous page's header set (a continuation may
            not repeat the header); None for post | name | notes.
        v: the profile's vocabulary (the words of header cells).

    Returns:
        (rows, sides named in a 区分 column, the column roles in force at the table's end).
    """
    out: list[dict] = []
    table_sides: list[_Side] = []
    row_side: _Side | None = None  # a side printed as a row of its own across the list
    known = header_roles(v)
    columns_before = columns
    for i, cells in enumerate(table.rows):
        row_boxes = table.cell_bboxes[i] if i < len(table.cell_bboxes) else []
        boxes = [b for b in row_boxes if b]
        texts = [_cell(c) for c in cells]
        if not any(texts):
            continue
        filled = [t for t in texts if t]
        if len(filled) == 1 and (columns is None or columns.side is None):
            found = text_to_sides(normalize_text(filled[0]))
            if len(found) == 1 and is_side_label(found[0][0]):
                row_side = _side_cell_to_side(filled[0], page_no, boxes)
                table_sides.append(row_side)
                continue
        header = header_to_columns(texts, v)
        if header is not None:
            columns = header
            continue
        if texts[0] and _cell_role(texts[0], known, exact=True):
            continue  # a header row naming only some of its columns
        cols = columns or _Columns()
        if cols.side is not None and cols.side < len(texts) and texts[cols.side]:
            table_sides.append(_side_cell_to_side(texts[cols.side], page_no, boxes))
        if cols.side is not None:
            # a merged 区分 cell covers the rows below it, on this page and the next
            side = table_sides[-1] if table_sides else (earlier[-1] if earlier else None)
        elif row_side is not None:
            side = row_side
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
        name_at = cols.name if columns is not None else 1
        box = (row_boxes[name_at] if name_at < len(row_boxes) and row_boxes[name_at] else
               (boxes[0] if boxes else table.bbox))
        out.append(_row(side, post, name_raw, " ".join(n for n in notes if n), page_no, box))
    if 2 * sum(looks_like_a_name(r["name_text"]) for r in out) < len(out):
        return [], [], columns_before
    return out, table_sides, columns


def looks_like_a_name(text: str) -> bool:
    """Could the text of a name cell be a person's name (short, no sentence marks or digits)?"""
    key = re.sub(r"\s+", "", normalize_text(text or ""))
    return 0 < len(key) <= DEFAULT_MAX_NAME_CHARS and not _NOT_IN_A_NAME.search(key)


#: A gap OCR read between a side's number and its stop, or inside its head count.
_SPACED_NUMBER = re.compile(r"(?<=^\d)\s+(?=[.．])|(?<=\d)\s+(?=\d*\s*名)")


def _side_cell_to_side(text: str, page_no: int, boxes: list) -> _Side:
    """A 区分 cell (``市町村等（17名）`` or just ``県``) as a side; the gaps a scan reads inside
    its number and count (``1 .市町村等(1 7名)``) are closed first."""
    norm = _SPACED_NUMBER.sub("", normalize_text(text))
    found = text_to_sides(norm)
    top, x0 = (boxes[0][1], boxes[0][0]) if boxes else (0.0, 0.0)
    if len(found) == 1:
        return _Side(found[0][0], found[0][1], page_no, top, x0)
    return _Side(norm.strip(), None, page_no, top, x0)


def _row(side: _Side | None, post_raw: str | None, name_raw: str, note: str, page_no: int,
         box: tuple[float, float, float, float], name: PersonName | None = None) -> dict:
    """One attendees row; ``name`` is parsed from ``name_raw`` unless given."""
    # A proxy may be printed in the note column or after the name in the name cell.
    proxy_in_name = _PROXY.search(name_raw)
    if proxy_in_name:
        note = (name_raw[proxy_in_name.start():] + " " + note).strip()
        name_raw = name_raw[: proxy_in_name.start()].strip()
    if name is None:
        name = parse_name(name_raw)
    by_proxy, proxy_name, proxy_post = _proxy(note)
    x0, top, x1, bottom = box
    return {
        "side": side.name if side else None,
        "side_stated_count": side.stated if side else None,
        "absent": bool(side and side.absent) or "欠席" in note,
        "post": post_to_text(post_raw) if post_raw else None,
        "name": name.name,
        "family_name": name.family,
        "given_name": name.given,
        "name_text": name_raw,
        "person_id": person_id_for(name.name),
        "by_proxy": by_proxy,
        "proxy_name": proxy_name,
        "proxy_post": proxy_post,
        "page": page_no,
        "x0": x0, "top": top, "x1": x1, "bottom": bottom,
    }


def post_to_text(raw: str) -> str:
    """A post as printed, without 均等割付 letter-spacing (``知　　事`` → ``知事``).

    Only a post spread one character per token is joined: spaces between words
    (``理事 推進室長``) are kept.
    """
    text = normalize_text(raw).strip()
    tokens = text.split(" ")
    return "".join(tokens) if len(tokens) > 1 and all(len(t) == 1 for t in tokens) else text


#: What OCR leaves after a post's last word: specks read as marks or kana (生活環境文化部長ーー』,
#: 推進室長すき, 高岡市長・, 教育長*, 市長会事務局長～, 危機管理局長-). A printed post ends in its post word,
#: never in these.
_OCR_POST_MARKS = r"\s・、。，．,.:;'`*＊ー―─‐－\-～~"
_OCR_POST_JUNK = re.compile(rf"[{_OCR_POST_MARKS}』」』)）\u3041-\u3096]+$")
#: ... and before it: a post starts with a kanji (or a bracket: （兼）…), never with a mark.
_OCR_POST_LEAD = re.compile(rf"^[{_OCR_POST_MARKS}]+(?=\p{{Han}})")


def ocr_post_to_trimmed(post: str) -> str:
    """An OCR'd post without the specks read before its first kanji (``-理事`` → ``理事``) or
    after its post word (``市長・`` → ``市長``).

    Only a tail after a word that ends posts (長, 理事, 官 …) is cut, and only when it
    holds no kanji, katakana word or digit: ``議長代理`` and ``部長（兼）`` stay.
    """
    post = _OCR_POST_LEAD.sub("", post)
    m = _OCR_POST_JUNK.search(post)
    if not m or m.start() == 0:
        return post
    head = post[: m.start()]
    return head if _POST_TAIL.search(head) else post


#: A dash beside a kanji in a name: tesseract reads the kanji 一 as the katakana ー (or a
#: dash), and a 一 cut by a wrap or a speck as two of them (純ーー郎). A kanji name holds no
#: long-vowel mark; a katakana name keeps its ー, which stands after katakana.
_DASH_IN_KANJI_NAME = re.compile(r"(?<=\p{Han})[ー―‐－-]+|[ー―‐－-]+(?=\p{Han})")


#: A speck between two kanji of a name, read as a Latin mark (中川.行孝): names have none.
_SPECK_IN_KANJI_NAME = re.compile(r"(?<=\p{Han})\s*[.,'`:;・･]+\s*(?=\p{Han})")


#: Specks after a name's last kanji, read as a stop or a comma and whatever follows them
#: (舟橋 貴之。 ーー: dust and a piece of the cell's border), or as two dashes or more set apart
#: (中川行孝 ーー; one may be the 一 of a given name: 田中 ー): a name ends with its kanji.
_SPECK_MARKS = r"\s。、.,'`・ー―‐－-"
_SPECKS_AFTER_NAME = re.compile(rf"(?<=\p{{Han}})\s*[。、.,'`]+[{_SPECK_MARKS}]*$"
                                rf"|(?<=\p{{Han}})\s+[ー―‐－-]{{2,}}[{_SPECK_MARKS}]*$")


#: One dash between the kanji of a name printed with no gap read: a speck in the gap or the 一 of
#: a given name (笹島-春人, 田中-郎); _gap_or_one tells which.
_ONE_DASH_NAME = re.compile(r"^(?P<left>\p{Han}+)[ー―‐－-](?P<right>\p{Han}+)$")


def _gap_or_one(m: re.Match) -> str:
    """A speck in the gap when the dictionary knows the left side as a surname, the right as
    a given name, and 一 plus the right as none (笹島 春人, not 笹島 一春人); else the 一."""
    from pipeline.normalize._names import _name_roles

    left, right = m["left"], m["right"]
    gap = "姓" in _name_roles(left) and "名" in _name_roles(right) and "名" not in _name_roles("一" + right)
    return f"{left} {right}" if gap else m.group()


def ocr_name_to_repaired(name: str) -> str:
    """An OCR'd name with the dashes beside its kanji read back as 一 (三牧 純ーー郎 → 三牧 純一郎),
    a speck between its kanji taken for the gap it usually stands in (中川.行孝 → 中川 行孝;
    a name that has its gap already just loses it; 笹島-春人 → 笹島 春人, see _gap_or_one), and
    the specks after it dropped."""
    name = _ONE_DASH_NAME.sub(_gap_or_one, _SPECKS_AFTER_NAME.sub("", name))
    name = _DASH_IN_KANJI_NAME.sub("一", name)
    gap = "" if re.search(r"\s", name) else " "
    return _SPECK_IN_KANJI_NAME.sub(lambda m: " " if m.group().strip() != m.group() else gap, name)


def ocr_post_to_repaired(post: str, post_words: tuple[str, ...]) -> str:
    """An OCR'd post that is a post word of the genre with one kanji misread (劉知事 → 副知事):
    one post word only is one kanji away, and the reading is no word of the dictionary
    (県知事 stays)."""
    from pipeline.ocr_lexicon import one_kanji_apart, text_is_word

    if post in post_words:
        return post
    near = [w for w in post_words if len(w) >= 3 and one_kanji_apart(w, post)]
    return near[0] if len(near) == 1 and not text_is_word(post) else post


#: The head of a municipality: 黒部市長, 入善町長, 舟橋村長.
_HEAD_OF_PLACE = re.compile(r"(?P<place>\p{Han}{2,3})(?P<kind>[市町村])長")
#: A municipality printed on its own (in a list of proposers: 富山市、射水市、黒部市).
_PLACE = re.compile(r"(?<!\p{Han})(\p{Han}{2,3}[市町村])(?!\p{Han})")


def document_to_places(doc: Document) -> frozenset[str]:
    """The municipalities a document prints on their own (not as part of a word or a post)."""
    return frozenset(m.group(1) for page in doc.pages for ln in page.lines
                     for m in _PLACE.finditer(normalize_text(ln.text)))


def ocr_post_to_printed_place(post: str, places: frozenset[str]) -> str:
    """An OCR'd head of a municipality that the document prints nowhere, one kanji from exactly
    one municipality it does print, is that one's head (甲部市長 → 黒部市長 where the
    packet lists 黒部市 among an item's proposers): a misread is rarely repeated alike."""
    from pipeline.ocr_lexicon import one_kanji_apart

    m = _HEAD_OF_PLACE.fullmatch(post)
    if not m or m["place"] + m["kind"] in places:
        return post
    near = [p for p in places if p.endswith(m["kind"]) and one_kanji_apart(p, m["place"] + m["kind"])]
    return near[0] + "長" if len(near) == 1 else post


def _repair_ocr_row(row: dict, post_words: tuple[str, ...] = ()) -> None:
    """Undo what OCR typically does to a post and a name (rows of scanned pages only)."""
    if row.get("post"):
        row["post"] = ocr_post_to_repaired(ocr_post_to_trimmed(row["post"]), post_words)
    raw = row.get("name_text") or ""
    repaired = ocr_name_to_repaired(raw)
    if row.get("name") and repaired != raw:
        name = parse_name(repaired)
        row.update(name=name.name, family_name=name.family, given_name=name.given, person_id=person_id_for(name.name))


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


# --- the parser ---------------------------------------------------------------------------------

def _in_table(ln: Line, tables: list[Table]) -> bool:
    mid = (ln.top + ln.bottom) / 2
    return any(t.bbox[1] - 1 <= mid <= t.bbox[3] + 1 and ln.x0 < t.bbox[2] and ln.x1 > t.bbox[0] for t in tables)


def _soft_end(ln: Line, page: Page) -> bool:
    """Did the line run to the page's right text margin (so its last word may go on below)?

    The margin is taken as wide as the left one (A4 printed with 20 mm on both sides)
    unless a line reaches further: the widest line of a short page is not a wrap.
    """
    left = min((x.x0 for x in page.lines), default=ln.x0)
    edge = max(max((x.x1 for x in page.lines), default=ln.x1), page.width - left if page.width else 0.0)
    return ln.x1 >= edge - DEFAULT_WRAP_MARGIN * max(ln.bottom - ln.top, 1.0)


def _scope(doc: Document, ctx: Context, v: Vocabulary) -> list[tuple[Page, Line]]:
    """The lines of the outline's sections the profile reads attendee lists in, in reading order."""
    seen, out = set(), []
    for kind in v.sections:
        for page, ln in ctx.outline.lines_of(doc, kind):
            if id(ln) not in seen:
                seen.add(id(ln))
                out.append((page, ln))
    return sorted(out, key=lambda pl: (pl[0].number, pl[1].top, pl[1].x0))


def _scope_tables(doc: Document, ctx: Context, v: Vocabulary) -> list[tuple[Page, Table]]:
    sections = [s for kind in v.sections for s in ctx.outline.of(kind)]
    return [(page, t) for page in doc.pages for t in page.tables
            if any(s.contains(page.number, t.bbox[1]) for s in sections)]


def _list_open_at(lists: list[AttendeeList], page: int, top: float) -> AttendeeList | None:
    """The text list a point lies in (after its heading, before what closed it)."""
    found = [lst for lst in lists if lst.start <= (page, top) and (lst.end is None or (page, top) < lst.end)]
    return found[-1] if found else None


def _name_lines(name_text: str, refs: list[LineRef], at: int) -> list[LineRef]:
    """The line a name starts on, and the lines it runs on to when wrapped (岡 村 千 | 里 君)."""
    want = re.sub(r"\s+", "", name_text)
    used, text = [refs[at]], re.sub(r"\s+", "", refs[at].text)
    j = at
    while want not in text and j + 1 < len(refs) and len(used) < DEFAULT_MAX_NAME_LINES:
        j += 1
        used.append(refs[j])
        text += re.sub(r"\s+", "", refs[j].text)
    return used if want in text else [refs[at]]


def _person_row(p: Person, lst: AttendeeList, refs: list[LineRef]) -> dict:
    ref = refs[p.ref]
    side = _Side(lst.side, lst.stated, ref.page, ref.line.top, ref.line.x0, lst.absent) if lst.side else None
    lines = _name_lines(p.name_text, refs, p.ref)
    ln = ref.line
    box = (ln.x0, ln.top, ln.x1, ln.bottom)
    if len({(r.page) for r in lines}) == 1 and len(lines) > 1:
        box = (min(r.line.x0 for r in lines), ln.top, max(r.line.x1 for r in lines), max(r.line.bottom for r in lines))
    row = _row(side, p.post, p.name_text, p.proxy_note or "", ref.page, box, p.name)
    if len(lines) > 1:
        row["boxes"] = [{"page": r.page, "x0": r.line.x0, "top": r.line.top, "x1": r.line.x1, "bottom": r.line.bottom}
                        for r in lines]
    row["from_ocr"] = ref.from_ocr
    row["absent"] = row["absent"] or p.absent
    return row


def _cell_lines(text: str, v: Vocabulary) -> list[str]:
    """The lines of a cell, a heading wrapped inside it (説明のため / 出席した者) made one."""
    parts = text.split("\n")
    out: list[str] = []
    for part in parts:
        if out and heading_continues(normalize_text(out[-1]), normalize_text(part), v):
            out[-1] = out[-1].rstrip() + part.lstrip()
        else:
            out.append(part)
    return out


def _table_to_lines(page: Page, table: Table, v: Vocabulary) -> list[Line]:
    """A ruled table no list heading stands over, as text lines (label | value rows: 出席委員 | …)."""
    out = []
    for i, cells in enumerate(table.rows):
        boxes = [b for b in (table.cell_bboxes[i] if i < len(table.cell_bboxes) else []) if b]
        if not boxes:
            continue
        x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        parts = [_cell_lines(c, v) for c in cells if c]
        if not parts:
            continue
        # the first line of each cell makes the row's line; further lines of a cell follow it
        out.append(Line(" ".join(p[0] for p in parts), x0, top, x1, bottom))
        for p in parts:
            out.extend(Line(extra, x0, top, x1, bottom) for extra in p[1:])
    return out


def _text_lists(refs: list[LineRef], v: Vocabulary) -> tuple[list[AttendeeList], list[tuple[tuple, dict]]]:
    """Lists and rows read from text lines; rows keyed for reading order."""
    stream = lines_to_stream(refs, v)
    lists = tokens_to_lists(stream, refs, v)
    rows = []
    for lst in lists:
        entries = tokens_to_entries(lst)
        for person in entries_to_people(entries, lst, v) if not lst.none else []:
            ref = refs[person.ref]
            # lists follow one another on a line (… 柴田委員 4 出席した説明員 浅見…): keep their order
            rows.append(((ref.page, ref.line.top, 0, len(rows)), _person_row(person, lst, refs)))
    return lists, rows


def _tables_to_rows(doc: Document, by_page: dict[int, list[Table]], scope: list[tuple[Page, Line]],
                    lists: list[AttendeeList], v: Vocabulary) -> tuple[list, list[_Side], list[AttendeeList]]:
    """Rows of the ruled tables in the attendee sections, page by page.

    A table under an open list (or with a header row naming its columns) is a ruled list:
    each row takes the side above it in its column. Any other table (a record's label |
    value header block: 出席委員 | 山田太郎、…) is read as text lines.

    Returns:
        (keyed rows, every side seen in page order, lists read from tables as text).
    """
    keyed, sides, more_lists = [], [], []
    columns: _Columns | None = None
    pages = {p.number: p for p in doc.pages}
    for number in sorted({n for n in by_page} | {p.number for p, _ in scope}):
        page = pages[number]
        # side headers on every line of the page, a ruled grid's own header row included (a scan)
        page_sides = [s for p, ln in scope if p.number == number for s in line_to_sides(ln, number)]
        structural = {(s.top, s.name) for s in page_sides}
        page_sides += [_Side(lst.side, lst.stated, number, lst.start[1], lst.x0, lst.absent) for lst in lists
                       if lst.start[0] == number and lst.side and (lst.start[1], lst.side) not in structural]
        page_sides.sort(key=lambda s: (s.top, s.x0))
        tables = [g for t in by_page.get(number, []) for g in table_to_column_groups(t, v)]
        for j, table in enumerate(tables):
            header = any(header_to_columns([_cell(c) for c in r], v) for r in table.rows[:2])
            if not header and _list_open_at(lists, number, table.bbox[1]) is None:
                table_refs = [LineRef(number, ln, normalize_text(ln.text), False, page.source == "ocr")
                              for ln in _table_to_lines(page, table, v)]
                found, rows = _text_lists(table_refs, v)
                more_lists += found
                keyed += [((number, table.bbox[1], 1 + j, k), r) for k, (_, r) in enumerate(rows)]
                continue
            rows, table_sides, columns = _table_rows(table, page_sides, sides, number, columns, v)
            page_sides.extend(table_sides)
            for k, r in enumerate(rows):
                r["from_ocr"] = page.source == "ocr"
                keyed.append(((number, table.bbox[1], 1 + j, k), r))
        sides.extend(page_sides)
    return keyed, sides, more_lists


def document_to_attendees(doc: Document, ctx: Context) -> ParseResult:
    """Attendee rows of the document's attendance lists, in reading order.

    Args:
        doc: the IR.
        ctx: its profile (the ``[attendees]`` vocabulary) and outline (where to look).

    Returns:
        attendees rows, and a warning where a side states a head count but has no row
        or where no list is found.
    """
    res = ParseResult()
    v = profile_to_vocabulary(ctx.profile)
    by_page: dict[int, list[Table]] = {}
    for page, t in _scope_tables(doc, ctx, v):
        by_page.setdefault(page.number, []).append(t)
    scope = _scope(doc, ctx, v)
    refs = [LineRef(page.number, ln, normalize_text(ln.text), _soft_end(ln, page), page.source == "ocr")
            for page, ln in scope if not _in_table(ln, by_page.get(page.number, []))]
    lists, keyed = _text_lists(refs, v)
    table_keyed, sides, table_lists = _tables_to_rows(doc, by_page, scope, lists, v)
    rows = [r for _, r in sorted(keyed + table_keyed, key=lambda kr: kr[0])]
    places = None
    for seq, r in enumerate(rows, 1):
        r["seq"] = seq
        if r.get("from_ocr"):
            _repair_ocr_row(r, v.post_words)
            if r.get("post") and _HEAD_OF_PLACE.fullmatch(r["post"]):
                places = document_to_places(doc) if places is None else places
                r["post"] = ocr_post_to_printed_place(r["post"], places)
    res.add("attendees", rows)
    # A stated count against the rows found is the data check attendees_head_count; only a
    # side with no row at all is invisible to it.
    warned = set()
    for s in sides:
        if s.stated and not any(r["side"] == s.name for r in rows) and s.name not in warned:
            warned.add(s.name)
            res.warn(STAGE, s.page, f"出席者 {s.name}: header states {s.stated}名 but no rows were found")
    if not rows and not lists and not table_lists:
        res.warn(STAGE, None, "no attendee list found")
    return res


@register("attendees", tables=("attendees",))
def attendees_parser(doc: Document, ctx: Context) -> ParseResult:
    """Attendee rows of the document's attendance lists."""
    return document_to_attendees(doc, ctx)
