"""Normalisation shared by every parser: text, dates, times and person names.

Public API::

    normalize_text(text) -> str
    fold_variants(text) -> str
    person_key(name) -> str
    parse_date(text, *, meeting_date=None, fiscal_year=None) -> DateSpan | None
    fiscal_year_of(day) -> int   (April–March: 2022-01-20 → 2021)
    parse_time_span(text) -> (time | None, time | None)
    parse_name(text) -> PersonName

Character classes and what normalize_text does with each
--------------------------------------------------------
Folded (one str.translate table, built once from pipeline/data/radicals.tsv and
the rules below):

1. Kangxi radicals U+2F00–U+2FD5 and CJK Radicals Supplement U+2E80–U+2EF3 →
   the kanji that Japanese fonts draw with the same glyph (⾧→長, ⽣→生,
   ⼾→戸, ⿊→黒, ⻑→長, ⻫→斉, ⿑→斉 — the last by the project's
   convention: PDFs carry ⿑ where the page prints 斉); radicals no font shares fall back to
   Unicode's EquivalentUnifiedIdeograph.txt (see tools/build_radicals.py).
2. CJK Compatibility Ideographs U+F900–U+FAFF and U+2F800–U+2FA1F → their
   canonical (NFC) unified ideograph (都→都). The twelve unified ideographs
   inside that block (﨑 U+FA11, 﨔 …) have no decomposition and are kept.
3. Full-width ASCII U+FF01–U+FF5E → ASCII (Ｒ５．→R5., ：→:), except （ ） ～,
   which Japanese text uses as its own punctuation.
4. Half-width katakana and punctuation U+FF61–U+FF9F → full width, with a
   following voicing mark composed (ｶﾞ→ガ, ｳﾞ→ヴ; a lone ﾞ→゛).
5. Wave dash 〜 U+301C and tilde operator ∼ U+223C → ～ U+FF5E; division slash ∕
   U+2215 and fraction slash ⁄ U+2044 → /; hyphenation point ‧ U+2027, dot operator ⋅
   U+22C5, middle dot · U+00B7 and bullet operator ∙ U+2219 → ・ U+30FB (and half-width
   ･ by rule 4), so 8∕19 is a date and 総務部長‧局長 a post like any other.
6. Square era names ㍾ ㍽ ㍼ ㍻ ㋿ → 明治 大正 昭和 平成 令和.

Whitespace:

7. Line breaks (CRLF, CR, U+2028, U+2029, U+0085) → \\n; every other run of
   whitespace (space, tab, U+3000, NBSP, …) → one space; spaces next to a line
   break are dropped and the whole string is stripped. A space inside a line is
   never deleted (田中 斉 keeps it): it may separate family and given name.

Kept exactly as printed: everything else, notably ①–⑳, ⑴, ㈱, ㈲, ㎡, Roman
numerals (Ⅲ), Japanese punctuation 、。「」・, kana, ASCII ~, variant kanji
(齊, 髙, 﨑, 邊, 澤), and runs of repeated characters (ーーー). This is not NFKC.

normalize_text is idempotent. fold_variants and person_key fold variant kanji
to one representative using pipeline/data/kanji_variants.tsv (see
tools/build_variants.py for its sources); names keep the printed spelling.
"""
from pipeline.normalize._dates import DateSpan, fiscal_year_of, parse_date
from pipeline.normalize._names import PersonName, parse_name, split_unspaced
from pipeline.normalize._tables import load_char_table, load_word_list, read_data_lines
from pipeline.normalize._text import fold_chars, fold_variants, normalize_text, person_key
from pipeline.normalize._times import parse_time_span

__all__ = [
    "DateSpan",
    "PersonName",
    "fiscal_year_of",
    "fold_chars",
    "fold_variants",
    "load_char_table",
    "load_word_list",
    "normalize_text",
    "parse_date",
    "parse_name",
    "parse_time_span",
    "person_key",
    "read_data_lines",
    "split_unspaced",
]
