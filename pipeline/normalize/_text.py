"""Character-level normalisation: normalize_text, fold_variants, person_key.

See the package docstring for the character classes and what happens to each.
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.normalize._tables import DEFAULT_DATA_DIR, VARIANT_TABLE_HEADER, load_char_table

RADICALS_FILE = DEFAULT_DATA_DIR / "radicals.tsv"
VARIANTS_FILE = DEFAULT_DATA_DIR / "kanji_variants.tsv"

#: Square era names (one code point each) and the two kanji they stand for.
DEFAULT_SQUARE_ERAS = {"㍾": "明治", "㍽": "大正", "㍼": "昭和", "㍻": "平成", "㋿": "令和"}
#: Full-width forms kept as printed: Japanese text uses them as its own punctuation.
DEFAULT_KEPT_FULLWIDTH = "（）～"
#: Wave dashes that mean the same range mark as ～ (U+FF5E).
DEFAULT_TILDES = "〜∼"
#: Slash look-alikes a text layer carries for the / of 8/19 (／ is full-width ASCII, folded above).
DEFAULT_SLASHES = "∕⁄"
#: Middle-dot look-alikes a text layer carries for the katakana middle dot ・ (部長・局長, 3・7・18).
DEFAULT_MIDDLE_DOTS = "‧⋅·∙"
_FULLWIDTH_ASCII = range(0xFF01, 0xFF5F)
_HALFWIDTH_KANA = range(0xFF61, 0xFFA0)
_HALFWIDTH_VOICED = {"\uff9e": "゛", "\uff9f": "゜"}  # spacing marks, never combining ones


def _halfwidth_kana_tables() -> tuple[dict[int, str], dict[str, str]]:
    """Single half-width katakana → full-width; (letter, voicing mark) pairs → one kana."""
    singles = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in _HALFWIDTH_KANA}
    singles.update({ord(k): v for k, v in _HALFWIDTH_VOICED.items()})
    pairs = {}
    for cp in _HALFWIDTH_KANA:
        for mark in _HALFWIDTH_VOICED:
            composed = unicodedata.normalize("NFKC", chr(cp) + mark)
            if len(composed) == 1:
                pairs[chr(cp) + mark] = composed
    return singles, pairs


def _build_char_table() -> dict[int, str]:
    table: dict[int, str] = {ord(k): v for k, v in load_char_table(RADICALS_FILE).items()}
    table.update({cp: chr(cp - 0xFEE0) for cp in _FULLWIDTH_ASCII if chr(cp) not in DEFAULT_KEPT_FULLWIDTH})
    table.update({ord(ch): "～" for ch in DEFAULT_TILDES})
    table.update({ord(ch): "/" for ch in DEFAULT_SLASHES})
    table.update({ord(ch): "・" for ch in DEFAULT_MIDDLE_DOTS})
    table.update({ord(k): v for k, v in DEFAULT_SQUARE_ERAS.items()})
    singles, _ = _halfwidth_kana_tables()
    table.update(singles)
    return table


_CHAR_TABLE = _build_char_table()
_KANA_PAIRS = _halfwidth_kana_tables()[1]
_KANA_PAIR_RE = re.compile("|".join(map(re.escape, _KANA_PAIRS)))
_VARIANT_TABLE = {ord(k): v for k, v in load_char_table(VARIANTS_FILE, VARIANT_TABLE_HEADER).items()}
_LINE_BREAK_RE = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_INLINE_SPACE_RE = re.compile(r"[^\S\n]+")
_SPACE_AT_BREAK_RE = re.compile(r" ?\n ?")
_ANY_SPACE_RE = re.compile(r"\s+")


def fold_chars(text: str) -> str:
    """The character mapping of normalize_text, leaving whitespace untouched.

    parse_name needs this: it reads the width of space runs (均等割付) before
    they are collapsed.
    """
    if any(0xFF61 <= ord(ch) <= 0xFF9F for ch in text):
        text = _KANA_PAIR_RE.sub(lambda m: _KANA_PAIRS[m.group()], text)
    return text.translate(_CHAR_TABLE)


def normalize_text(text: str) -> str:
    """Normalise one cell or line of extracted text (see the package docstring).

    Args:
        text: raw text from a PDF text layer or table cell.

    Returns:
        The text with radicals and compatibility ideographs repaired, full-width
        ASCII narrowed, half-width katakana widened, and whitespace runs collapsed
        to one space (line breaks kept, spaces beside them and at both ends
        dropped). Applying it twice gives the same result.
    """
    text = fold_chars(text)
    text = _LINE_BREAK_RE.sub("\n", text)
    text = _INLINE_SPACE_RE.sub(" ", text)
    text = _SPACE_AT_BREAK_RE.sub("\n", text)
    return text.strip()


def fold_variants(text: str) -> str:
    """Fold variant kanji to one representative (齊→斉, 髙→高, 﨑→崎, 邉→辺, 𠮷→吉).

    Uses pipeline/data/kanji_variants.tsv (see tools/build_variants.py for its
    sources). Other characters are returned unchanged; combine with
    normalize_text for text straight from a PDF.
    """
    return text.translate(_VARIANT_TABLE)


def person_key(name: str) -> str:
    """Identity key of a person's name: equal for spellings of the same name.

    Args:
        name: a bare name (honorifics and roles already removed, e.g. by
            parse_name), in any spacing or variant spelling.

    Returns:
        normalize_text, then all whitespace removed, then fold_variants:
        ``田中 斉``, ``田中 齊``, ``田 中 齊`` and ``田中 ⿑`` share one key.
    """
    return fold_variants(_ANY_SPACE_RE.sub("", normalize_text(name)))
