"""Identity across documents: the same person, the same collaboration item.

Pure functions; load.py applies them against what the warehouse already holds.
"""
from __future__ import annotations

import difflib
from datetime import date
import hashlib
import unicodedata

import regex as re

from pipeline.normalize import fold_variants, normalize_text, person_key

#: Two titles name the same item from this similarity on (0–1, see title_similarity).
DEFAULT_ITEM_SIMILARITY = 0.8
# Punctuation and brackets that rewording adds or drops without changing the item.
_TITLE_NOISE = re.compile(r"[\s・･、,。「」『』（）()〔〕【】\-－‐―ー～〜]|等")


def person_id_for(name: str) -> str | None:
    """Stable id of a person's name, equal for variant spellings (田中 斉 / 田中 齊)."""
    key = person_key(name) if name else ""
    if not key:
        return None
    return "p_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def title_key(title: str) -> str:
    t = fold_variants(normalize_text(title))
    t = unicodedata.normalize("NFKC", t)
    return _TITLE_NOISE.sub("", t)


def title_similarity(a: str, b: str) -> float:
    """1.0 for the same title; high when one is a shortened or reworded form of the other."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    ratio = difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()
    # A shortened heading (有害鳥獣の連携捕獲の推進 for 有害鳥獣の市町村による連携捕獲の推進)
    # keeps its words in order: score it by how much of the shorter one the longer covers.
    short, long_ = sorted((ka, kb), key=len)
    blocks = difflib.SequenceMatcher(None, short, long_, autojunk=False).get_matching_blocks()
    covered = sum(b.size for b in blocks) / len(short)
    if len(short) >= 6 and covered >= 0.95:
        ratio = max(ratio, 0.9)
    return ratio


def match_item(titles: list[str], existing: list[tuple[str, list[str]]],
               threshold: float = DEFAULT_ITEM_SIMILARITY) -> str | None:
    """The item_id among ``existing`` (id, titles) that best matches any of ``titles``."""
    best, best_s = None, 0.0
    for item_id, known in existing:
        s = max((title_similarity(a, b) for a in titles for b in known if a and b), default=0.0)
        if s > best_s:
            best, best_s = item_id, s
    return best if best_s >= threshold else None


def new_item_id(title: str, taken: set[str]) -> str:
    base = "i_" + hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:10]
    item_id, n = base, 1
    while item_id in taken:
        n += 1
        item_id = f"{base}_{n}"
    return item_id


def rows_to_persons(rows: list[tuple]) -> list[dict]:
    """Attendee rows (person_id, name, family, given, held_on, doc_id, seq) to persons rows.

    The person's name is the spelling of their latest appearance; every spelling
    seen is kept in ``variants``.
    """
    by_id: dict[str, list[tuple]] = {}
    for r in rows:
        by_id.setdefault(r[0], []).append(r)
    out = []
    for pid, rs in sorted(by_id.items()):
        rs.sort(key=lambda r: (r[4] or date.min, r[5], r[6]))
        latest = rs[-1]
        variants = sorted({r[1] for r in rs if r[1]})
        out.append({"person_id": pid, "name": latest[1], "family_name": latest[2],
                    "given_name": latest[3], "variants": variants})
    return out
