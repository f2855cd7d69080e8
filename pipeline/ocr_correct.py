"""OCR'd attendee rows checked against what the warehouse already knows.

A scanned 出席者 list misreads a kanji now and then (南砺 → 南個, 肇 → 貢). Most
posts and people come back packet after packet, so a reading one or two strokes
away from a post or a (post, name) pair of an earlier packet is almost surely that
value. The rules, all in :func:`rows_to_corrected` (a pure function: known values
in, corrected rows and warnings out):

- only rows read by OCR are touched (``from_ocr``); text-layer rows are the truth;
- a post is replaced by a known post (or a known municipality or department with
  長) within a small edit distance, the nearest one only when it is unique;
- a name is replaced only by the name of someone who held *the same post* before
  (the post agrees), within a small edit distance, and only when the reading was
  doubtful (OCR confidence below ``trusted_conf``): a new person in a post is
  never "corrected" into the one who held it before, and a reading that is the
  name of any known person (in any variant spelling: 田中 斉 / 田中 齊) is kept;
- every replaced row gets ``ocr_corrected = true`` and a warning naming the
  original reading.

The rest of the module is the glue used at load time (:func:`review_tables`):
it reads the known values with the open connection, puts each attendee's OCR
confidence on its row, and lists doubtful cells as warnings.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

STAGE = "ocr_correct"
#: Edits allowed between a reading and a known value ...
DEFAULT_MAX_DISTANCE = 1
#: ... and no more than this share of the known value's characters (a 2-character
#: post one edit away is another post: 市長 / 町長).
DEFAULT_MAX_SHARE = 0.34
#: A name read at least this sure (0–1) is what is printed: it is never replaced.
DEFAULT_TRUSTED_CONF = 0.9
#: A table cell read with less confidence than this (0–1) is listed as a warning.
DEFAULT_LOW_CONF = 0.6
#: A municipality or department name becomes a post with this suffix (南砺市 → 南砺市長).
_HEAD_SUFFIX = "長"


@dataclass(frozen=True)
class KnownValues:
    """What earlier packets established.

    Attributes:
        holders: (post, name) pairs, names spelled with their space (藤井 裕久).
        posts: every post seen.
        places: municipality and department names (南砺市, 生活環境文化部).
    """

    holders: frozenset[tuple[str, str]] = frozenset()
    posts: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()

    @property
    def all_posts(self) -> frozenset[str]:
        return self.posts | {p + _HEAD_SUFFIX for p in self.places if not p.endswith(_HEAD_SUFFIX)}

    @property
    def names(self) -> frozenset[str]:
        return frozenset(_key(n) for _, n in self.holders)

    @property
    def person_ids(self) -> frozenset[str]:
        """The holders as persons: one id for variant spellings (田中 斉 / 田中 齊)."""
        from pipeline.identity import person_id_for

        return frozenset(person_id_for(n) for _, n in self.holders)


@dataclass(frozen=True)
class CorrectSettings:
    max_distance: int = DEFAULT_MAX_DISTANCE
    max_share: float = DEFAULT_MAX_SHARE
    trusted_conf: float = DEFAULT_TRUSTED_CONF


@dataclass(frozen=True)
class Correction:
    """One replaced value: which row (seq), column, the reading and what replaced it."""

    seq: int | None
    page: int | None
    column: str
    original: str
    corrected: str

    @property
    def message(self) -> str:
        return (f"OCR reading corrected against earlier packets: attendee {self.seq} {self.column} "
                f"{self.original!r} → {self.corrected!r}")


def _key(text: str | None) -> str:
    """Comparison form: NFKC, no spaces or middle-dot variants."""
    t = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in t if not ch.isspace())


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance (insert, delete, substitute one character).

    Args:
        limit: stop early and return ``limit + 1`` once the distance must exceed it.
    """
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def reading_to_known(reading: str, candidates: frozenset[str] | set[str],
                     settings: CorrectSettings = CorrectSettings(), same=None) -> str | None:
    """The one known value within the edit bound of ``reading``; None if none or several tie.

    A reading that is itself known is kept (None).

    Args:
        same: for names, the person a value spells (person_id_for): values that tie but spell
            one person (田中 齊, 田中 斉) are told apart by the kanji nearest the one read
            (_nearest_spelling).
    """
    key = _key(reading)
    if not key:
        return None
    by_key: dict[str, str] = {}
    for c in candidates:
        by_key.setdefault(_key(c), c)
    if key in by_key:
        return None
    best: list[tuple[int, str]] = []
    for ck, c in by_key.items():
        bound = min(settings.max_distance, int(len(ck) * settings.max_share))
        if bound < 1:
            continue
        d = edit_distance(key, ck, bound)
        if d <= bound:
            best.append((d, c))
    if not best:
        return None
    best.sort()
    tied = [c for d, c in best if d == best[0][0]]
    if len(tied) > 1:
        if same is not None and len({same(c) for c in tied}) == 1:
            return _nearest_spelling(key, tied)
        return None  # two known values as near: no way to tell which was printed
    return best[0][1]


def _nearest_spelling(key: str, spellings: list[str]) -> str | None:
    """Of spellings of one name, the one whose kanji in the place of the misread are nearest it
    in Unicode's order, which sorts kanji by radical and then strokes: 齋 (U+9F4B) read for 齊
    (U+9F4A), not for 斉 (U+6589). None when two are as near."""
    def gap(spelling: str) -> int | None:
        other = _key(spelling)
        if len(other) != len(key):
            return None
        return sum(abs(ord(a) - ord(b)) for a, b in zip(key, other) if a != b)

    ranked = sorted((g, s) for s in spellings if (g := gap(s)) is not None)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def rows_to_corrected(rows: list[dict], known: KnownValues,
                      settings: CorrectSettings = CorrectSettings()) -> tuple[list[dict], list[Correction]]:
    """Attendee rows with OCR misreadings replaced by known values (see the module docstring).

    Args:
        rows: attendee rows (``post``, ``name``, ``from_ocr``, optionally ``ocr_confidence``).
        known: what earlier packets established.

    Returns:
        (new rows — the input is not changed —, one Correction per replaced value).
    """
    from pipeline.identity import person_id_for
    from pipeline.normalize import parse_name

    out, fixes = [], []
    posts = known.all_posts
    names = known.names
    # a reading that is a known person's name in another spelling (田中 斉 / 田中 齊) is that
    # person as printed here: it is kept, not respelled
    known_ids = known.person_ids
    by_post: dict[str, set[str]] = {}
    for post, name in known.holders:
        by_post.setdefault(_key(post), set()).add(name)
    for row in rows:
        row = dict(row)
        row.setdefault("ocr_corrected", False if row.get("from_ocr") else None)
        if not row.get("from_ocr"):
            out.append(row)
            continue
        post = row.get("post") or ""
        better_post = reading_to_known(post, posts, settings) if post else None
        if better_post:
            fixes.append(Correction(row.get("seq"), row.get("page"), "post", post, better_post))
            row["post"] = post = better_post
            row["ocr_corrected"] = True
        name = row.get("name") or ""
        conf = row.get("ocr_confidence")
        doubtful = conf is None or conf < settings.trusted_conf
        holders = by_post.get(_key(post), set())
        if name and doubtful and holders and _key(name) not in names and person_id_for(name) not in known_ids:
            better_name = reading_to_known(name, holders, settings, same=person_id_for)
            if better_name:
                fixes.append(Correction(row.get("seq"), row.get("page"), "name", name, better_name))
                parsed = parse_name(better_name)
                row.update(name=parsed.name, family_name=parsed.family, given_name=parsed.given,
                           person_id=person_id_for(parsed.name), ocr_corrected=True)
        out.append(row)
    return out, fixes


# --- load-time glue: the IR's confidences, the warehouse's known values -------------------


def _cell_text(text: str | None) -> str:
    return _key("".join((text or "").split("\n")))


def attendees_with_confidence(rows: list[dict], pages: list) -> list[dict]:
    """Attendee rows with ``ocr_confidence``: the lowest confidence of the cells of the
    table row that holds the attendee's name (or of the OCR line that holds it).

    Args:
        rows: attendee rows (``page``, ``name_text``).
        pages: the document's IR pages.
    """
    by_page = {p.number: p for p in pages}
    out = []
    for row in rows:
        row = dict(row)
        page = by_page.get(row.get("page"))
        if row.get("from_ocr") and page is not None and row.get("ocr_confidence") is None:
            row["ocr_confidence"] = _row_confidence(page, _key(row.get("name_text")), _key(row.get("post")))
        out.append(row)
    return out


def _row_confidence(page, name: str, post: str) -> float | None:
    if not name:
        return None
    for t in page.tables:
        for cells, confs in zip(t.rows, t.cell_confidences):
            texts = [_cell_text(c) for c in cells]
            if any(name and name in tx for tx in texts) and (not post or any(post in tx for tx in texts)):
                found = [c for c in confs if c is not None]
                return round(min(found), 3) if found else None
    for ln in page.lines:
        if name in _key(ln.text) and ln.confidence is not None:
            return ln.confidence
    return None


def pages_to_doubt_warnings(pages: list, threshold: float = DEFAULT_LOW_CONF) -> list[dict]:
    """One warning per OCR'd table cell read with less than ``threshold`` confidence."""
    out = []
    for p in pages:
        if p.source != "ocr":
            continue
        for t in p.tables:
            for cells, confs in zip(t.rows, t.cell_confidences):
                for text, conf in zip(cells, confs):
                    if text and conf is not None and conf < threshold:
                        out.append({"stage": STAGE, "page": p.number,
                                    "message": f"OCR reading of a table cell is doubtful (confidence {conf:.2f}): "
                                               f"{' '.join(text.split())!r}"})
    return out


def con_to_known(con, doc_id: str) -> KnownValues:
    """Known values from the other documents of the warehouse: posts and holders read from a
    text layer or already confirmed, and municipality and department names.

    A table or column the warehouse lacks counts as knowing nothing from it.
    """
    def rows(sql: str) -> list[tuple]:
        try:
            return con.execute(sql, [doc_id]).fetchall()
        except Exception:  # an older warehouse without the column: nothing known from it
            return []

    holders = rows("select distinct post, name from attendees where doc_id <> ? and post is not null "
                   "and name is not null and (from_ocr is not true or ocr_corrected is true)")
    places = rows("select distinct unnest(proposers) from item_years where doc_id <> ?") \
        + rows("select distinct unnest(departments) from item_years where doc_id <> ?") \
        + rows("select distinct department from materials where doc_id <> ?")
    return KnownValues(holders=frozenset((p, n) for p, n in holders),
                       posts=frozenset(p for p, _ in holders),
                       places=frozenset(p for (p,) in places if p))


def review_tables(con, job, tables: dict, run_id: str) -> int:
    """Put OCR confidences, corrections and doubt warnings on a document's tables (load time).

    Changes ``tables`` in place, as the other load-time steps do.

    Args:
        con: the open warehouse connection (known values are read from it).
        job: the worker job (its ``extracted_dir`` and ``doc_id`` locate the IR).
        tables: table name → rows, as about to be loaded.
        run_id: stamped on the new warnings.

    Returns:
        The number of warnings added (0 when the document has no OCR'd page).
    """
    from pipeline.ir import read_document

    doc = read_document(Path(job.extracted_dir), job.doc_id)
    if doc is None or not any(p.source == "ocr" for p in doc.pages):
        return 0
    rows = attendees_with_confidence(tables.get("attendees", []), doc.pages)
    rows, fixes = rows_to_corrected(rows, con_to_known(con, job.doc_id))
    if "attendees" in tables or rows:
        tables["attendees"] = rows
    new = pages_to_doubt_warnings(doc.pages) + [{"stage": STAGE, "page": f.page, "message": f.message}
                                                for f in fixes]
    tables["warnings"] = list(tables.get("warnings", [])) + [dict(w, run_id=run_id) for w in new]
    return len(new)
