"""How word-like an OCR reading is, by Sudachi's dictionary (sudachidict-core).

A misread kanji rarely makes a word: 総務課長 is a department and a post, 総務諜長
is 総務 + 諜 + 長; 佐藤晃 is a surname and a given name, 佐藤見 is a surname and the
noun 見. When the readings of one cell disagree, the one whose characters the
dictionary covers with longer words (or with a person's name, which can be a
single kanji) is the likelier print. The dictionary is general: it knows neither
these packets nor their people.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

#: Part-of-speech prefix of a person's name (a single kanji given name is a name).
_PERSON = ("名詞", "固有名詞", "人名")
#: The last part of speech of a person's name: a surname or a given name.
_SURNAME, _GIVEN = "姓", "名"
#: Part-of-speech prefix of a place name (入善, 南砺).
_PLACE = ("名詞", "固有名詞", "地名")
#: An office, or the head of one (部, 局長, 町長, 長), or a body (the 会 of 市長会): in a post it
#: follows the name of a department, a municipality or an office, never a person's.
_OFFICE = re.compile(r"^(?:[部局課室所署庁会]|[部局課室所署庁都道府県市区町村]?長)$")
#: The head of a municipality: the word before it is a place.
_PLACE_HEAD = re.compile(r"^[市区町村]長$")
#: Single characters that belong to the word beside them (総務部 + 長, 第 + 2).
_AFFIXES = ("接尾辞", "接頭辞")


def _tokens(text: str) -> list:
    """Sudachi's split of a reading, spaces and the ・ separator left out (they split no word),
    old forms of kanji folded to the forms the dictionary knows (出沒 is the word 出没)."""
    from pipeline.normalize import fold_variants
    from pipeline.normalize._names import _sudachi

    folded = fold_variants("".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace() and ch != "・"))
    if not folded:
        return []
    _, tokenizer = _sudachi()
    return list(tokenizer.tokenize(folded))


@functools.lru_cache(maxsize=65536)
def text_to_word_score(text: str) -> int:
    """Characters of ``text`` covered by dictionary words of two or more characters, by a
    person's name of any length (晃, 肇) or by an affix (the 長 of 総務部長); spaces and the
    ・ separator do not count.

    Args:
        text: one OCR reading (a cell's line).

    Returns:
        0 for text without such words; more is more word-like.
    """
    score = 0
    for m in _tokens(text):
        surface = m.surface()
        if m.is_oov() or surface.isascii():
            continue  # numbers and Latin letters are no evidence either way
        pos = tuple(m.part_of_speech())
        if len(surface) >= 2 or pos[:3] == _PERSON or pos[0] in _AFFIXES:
            score += len(surface)
    return score


@functools.lru_cache(maxsize=65536)
def text_to_coverage(text: str) -> int:
    """Characters of ``text`` covered by words of the kind print has where they stand: a
    stricter text_to_word_score, for choosing among kanji a glyph fits alike.

    Counted are dictionary words of two or more characters, a one-character office or affix
    after a counted word, or an office after an office (土木 + 部 + 長; not 共同 + 薯 + 発), and
    a person's name as names are written: a given name after a surname (堀口 正, 林 正之). Not
    counted are a name before an office (二木部長 is no post: 二木 is a surname), a word before
    the head of a municipality that is no place (大善町長: 大善 is no town, 入善 is), and a
    kanji read as a name where no name stands (眞単, 舞連携, 方創生喬: a given name after a
    given name).

    Args:
        text: one OCR reading (a cell's line).

    Returns:
        0 for text without such words; more is more word-like.
    """
    tokens = _tokens(text)
    kinds = [tuple(m.part_of_speech()) for m in tokens]
    surfaces = [m.surface() for m in tokens]
    counted = [False] * len(tokens)
    for k, m in enumerate(tokens):
        surface, pos = surfaces[k], kinds[k]
        if m.is_oov() or surface.isascii():
            continue
        after = surfaces[k + 1] if k + 1 < len(tokens) else ""
        person = pos[:3] == _PERSON
        if (person and _OFFICE.match(after)) or (_PLACE_HEAD.match(after) and pos[:3] != _PLACE):
            continue
        before = kinds[k - 1] if k else ()
        if person and pos[3] == _GIVEN:  # a given name stands after a surname
            counted[k] = before[:4] == (*_PERSON, _SURNAME)
        elif person and len(surface) == 1:  # a one-kanji surname before a given name
            counted[k] = k + 1 < len(tokens) and kinds[k + 1][:4] == (*_PERSON, _GIVEN)
        else:  # an affix or an office after a counted word, or an office after an office
            counted[k] = (len(surface) >= 2 or ((_OFFICE.match(surface) is not None or pos[0] in _AFFIXES)
                                                and k > 0 and counted[k - 1]
                                                and (len(surfaces[k - 1]) >= 2 or _OFFICE.match(surfaces[k - 1]))))
    return sum(len(s) for s, c in zip(surfaces, counted) if c)


@functools.lru_cache(maxsize=65536)
def text_is_word(text: str) -> bool:
    """True when the dictionary has ``text`` as one entry (市長, 都長), whatever its kind."""
    from pipeline.normalize._names import _sudachi

    dictionary, _ = _sudachi()
    return bool(len(dictionary.lookup(text)))


@functools.lru_cache(maxsize=65536)
def text_to_cost(text: str) -> int:
    """The cost of Sudachi's best split of ``text`` (spaces dropped): lower is likelier
    Japanese. A misread kanji usually breaks a word into rarer pieces (総務部長 3530,
    総務都長 8538; 副知事 0, 加知事 8463)."""
    from pipeline.normalize._names import _sudachi

    folded = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())
    if not folded:
        return 0
    _, tokenizer = _sudachi()
    return int(tokenizer.tokenize(folded).get_internal_cost())


def text_to_plausibility(text: str) -> tuple[int, int]:
    """How likely ``text`` is Japanese print, as a sort key (greater is likelier): first the
    characters the dictionary covers with words and names (text_to_word_score), then the
    lower cost of its split (text_to_cost) between readings that cover as much."""
    return text_to_word_score(text), -text_to_cost(text)


@functools.lru_cache(maxsize=4)
def units_file_to_units(path: Path | None = None) -> tuple[str, ...]:
    """The genre's units of reported figures (件, 箇所, 市町村 …), as parse_kpis loads them
    (strictly) from its kpi_units.tsv."""
    from pipeline.parse_kpis import UNITS_FILE, tsv_to_units

    return tuple(tsv_to_units(path or UNITS_FILE))


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa"


def _one_apart(unit: str, piece: str, is_kind) -> bool:
    diffs = [(a, b) for a, b in zip(unit, piece) if a != b]
    return len(unit) == len(piece) and len(diffs) == 1 and is_kind(diffs[0][0]) and is_kind(diffs[0][1])


def one_kanji_apart(unit: str, piece: str) -> bool:
    """True when ``piece`` is ``unit`` with exactly one kanji replaced by another kanji."""
    return _one_apart(unit, piece, _is_kanji)


def one_katakana_apart(unit: str, piece: str) -> bool:
    """True when ``piece`` is ``unit`` with exactly one katakana replaced by another katakana."""
    return _one_apart(unit, piece, _is_katakana)


def one_katakana_more(unit: str, piece: str) -> bool:
    """True when ``piece`` is ``unit`` with one katakana more (コロナヴウイルス, コロナウイルス)."""
    return len(piece) == len(unit) + 1 and any(
        _is_katakana(piece[i]) and piece[:i] + piece[i + 1:] == unit for i in range(len(piece)))


#: Of several units one kanji from a misread, the likeliest must make the line's split this
#: much cheaper than the next (Sudachi's cost; a word costs a few thousand).
DEFAULT_UNIT_COST_MARGIN = 3000
#: A number and the two to three characters after it: where a unit stands.
_AFTER_NUMBER = re.compile(r"(?<=[0-9])(?=[^\x00-\x7f]{2,3})")


def line_to_units_repaired(text: str, units: tuple[str, ...] | None = None) -> str:
    """``text`` with a unit after a number that OCR got one kanji wrong restored (66細所 →
    66箇所).

    Only units of two or more characters are considered, and the misread is replaced only
    when it is one kanji read as another kanji away from exactly one such unit, or from
    several of which one makes the line far likelier (_likeliest; 4市で is no misread 市町:
    OCR confuses kanji with kanji), is no unit itself, and is no
    dictionary word (text_is_word): 3市長 stays; unless the line prints that unit after
    another number (12向所 among 5箇所 and 66箇所 is 12箇所). The piece ends where the
    kanji run ends (a unit closes the figure's word: 2回会議 is no misread 回分), unless
    the rest of the run is words of their own after the unit (26区問拡大 is 26区間 + 拡大;
    2回会議 would be 回分 + 議).
    """
    units = units_file_to_units() if units is None else units
    candidates = [u for u in units if len(u) >= 2 and any(_is_kanji(ch) for ch in u)]
    if not candidates or not any(ch.isdigit() for ch in text):
        return text
    known = set(units)
    out = text
    for m in reversed(list(_AFTER_NUMBER.finditer(text))):
        at = m.start()
        for size in (3, 2):
            piece = out[at:at + size]
            if len(piece) < size or piece in known or any(out[at:].startswith(u) for u in known if len(u) >= size):
                continue
            near = [u for u in candidates if len(u) == size and one_kanji_apart(u, piece)]
            if near and text_is_word(piece):
                # a word of its own is a misread only of a unit the line prints after another
                # number (5箇所新設+新たに共同利用12向所、全66箇所へ): 1時点 stays, 1時間 is not in its line
                near = [u for u in near if re.search(rf"\d\s*{re.escape(u)}", out)]
            if not near:
                continue
            run = _KANJI_RUN.match(out, at + size).group()
            if run:
                near = [u for u in near if _unit_then_words(u, run)]
            unit = _likeliest(near, lambda u: out[:at] + u + out[at + size:])
            if unit:
                out = out[:at] + unit + out[at + size:]
                break
    return out


def _likeliest(units: list[str], line_with) -> str | None:
    """The one unit, or of several the one whose line the dictionary splits far more cheaply
    (by DEFAULT_UNIT_COST_MARGIN): 5人所新設 is one kanji from 箇所, 人分, 人日 and 人泊, and
    5箇所新設 costs 28,386 against 34,411 for the next."""
    if len(units) <= 1:
        return units[0] if units else None
    ranked = sorted((text_to_cost(line_with(u)), u) for u in units)
    return ranked[0][1] if ranked[0][0] + DEFAULT_UNIT_COST_MARGIN <= ranked[1][0] else None


_KANJI_RUN = re.compile(r"[\u4e00-\u9fff]*")


def _unit_then_words(unit: str, run: str) -> bool:
    """True when the dictionary splits ``unit + run`` into the unit and then words of two or
    more characters."""
    from pipeline.normalize._names import _sudachi

    _, tokenizer = _sudachi()
    tokens = list(tokenizer.tokenize(unit + run))
    return (tokens[0].surface() == unit and len(tokens) > 1
            and all(len(m.surface()) >= 2 and not m.is_oov() for m in tokens[1:]))


TERMS_FILE = Path(__file__).resolve().parent / "data" / "ocr_terms.tsv"
_TERMS_HEADER = ("term", "where")


@functools.lru_cache(maxsize=4)
def tsv_to_terms(path: Path = TERMS_FILE) -> tuple[str, ...]:
    """The genre's words a scan may misread by one kanji (ocr_terms.tsv), loaded strictly.

    Raises:
        ValueError: naming the file and line of a term shorter than four characters or
            with fewer than two kanji (too short a word is found in too many others).
    """
    from pipeline.parse_kpis import tsv_to_rows

    terms = []
    for number, (term, _) in tsv_to_rows(path, _TERMS_HEADER):
        if len(term) < 4 or sum(map(_is_kanji, term)) < 2:
            raise ValueError(f"{path}:{number}: term {term!r} is shorter than 4 characters or has fewer than 2 kanji")
        terms.append(term)
    return tuple(terms)


def line_to_terms_repaired(text: str, terms: tuple[str, ...] | None = None) -> str:
    """``text`` with a genre term that OCR got one kanji wrong restored (存時会議 → 臨時会議).

    A piece one kanji away from a term is replaced only when it is no dictionary word, is
    no part of a longer word, and the dictionary finds the piece with two characters either
    side clearly likelier with the term (its cost lower by ``DEFAULT_TERM_COST_MARGIN``):
    定時会議 is as likely as 臨時会議, and stays; 連携事項協議 is likelier than 連携事項名議.
    """
    terms = tsv_to_terms() if terms is None else terms
    out = text
    for term in terms:
        # a term of four or more characters with one misread keeps one of its pairs
        # whole: without one in the line, there is nothing to look at (this runs on
        # every reading of every cell)
        if not any(term[k:k + 2] in out for k in range(len(term) - 1)):
            continue
        size = len(term)
        at = 0
        while at + size <= len(out):
            piece = out[at:at + size]
            if piece != term and one_kanji_apart(term, piece) and _is_misread(out, at, term):
                out = out[:at] + term + out[at + size:]
                at += size
            else:
                at += 1
    return out


#: How much likelier (Sudachi's cost) a line must be with a term than as read (存時会議 6974,
#: 臨時会議 6285; 本都会議 7077, 本部会議 6285; 定時会議 and 臨時会議 cost the same).
DEFAULT_TERM_COST_MARGIN = 300


def _is_misread(text: str, at: int, term: str) -> bool:
    piece = text[at:at + len(term)]
    wider = [text[max(at - 1, 0):at + len(term)], text[at:at + len(term) + 1]]
    # the cost is taken with two characters either side: a piece that is no word may still
    # be the head of one (連携事項協 | 議 is 連携事項 協議, not 連携事項名 議)
    left, right = text[max(at - 2, 0):at], text[at + len(term):at + len(term) + 2]
    return (not text_is_word(piece)
            and not any(len(w) > len(term) and text_is_word(w) for w in wider)
            and text_to_cost(left + term + right) + DEFAULT_TERM_COST_MARGIN <= text_to_cost(left + piece + right))


def _katakana_confusions() -> dict[str, tuple[str, ...]]:
    """Katakana a scan confuses with each other: the same kana with or without its voicing
    marks (ス ズ, ホ ボ ポ: the marks are a few pixels, lost or made of specks), a kana and its
    small form (ツ ッ), and ン read as ッ, シ or ソ."""
    groups: dict[str, set[str]] = {}
    for code in range(0x30A1, 0x30F5):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0]
        groups.setdefault(base, set()).add(ch)
    pairs = [set(g) for g in groups.values() if len(g) > 1]
    pairs += [set(p) for p in ("ァア", "ィイ", "ゥウ", "ェエ", "ォオ", "ッツヅ", "ャヤ", "ュユ", "ョヨ", "ヮワ", "ンッ", "ンシ", "ンソ")]
    out: dict[str, set[str]] = {}
    for group in pairs:
        for ch in group:
            out.setdefault(ch, set()).update(group - {ch})
    return {ch: tuple(sorted(others)) for ch, others in out.items()}


_CONFUSIONS = _katakana_confusions()
#: Kana a speck beside a kana is read as (セシンター is センター, バメンケット is バンケット):
#: small strokes.
_SPECK_KANA = frozenset("シンソノッメヘ")
#: Shorter runs are too often abbreviations and names the dictionary lacks.
DEFAULT_KATAKANA_RUN = 4
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30faー]{%d,}" % DEFAULT_KATAKANA_RUN)


_NAME_KINDS = frozenset({"人名", "地名"})
#: Kanji that look like katakana: a run beside one may have lost its last kana to it
#: (ホテルニューオータ二 is ホテルニューオータニ), so its end is not known.
_KANA_LIKE_KANJI = frozenset("一二三口力工夕卜八才千")


def _katakana_tokens(run: str) -> list | None:
    """Sudachi's split of ``run``, or None when a piece is unknown or a single kana."""
    from pipeline.normalize._names import _sudachi

    _, tokenizer = _sudachi()
    tokens = list(tokenizer.tokenize(run))
    return None if any(m.is_oov() or len(m.surface()) < 2 for m in tokens) else tokens


def _repair_words(option: str, at: int) -> int | None:
    """How many words ``option`` (a run with its kana at ``at`` changed) is, or None when it
    is no fair repair: a piece unknown or a name, or the changed kana in a word shorter than
    DEFAULT_KATAKANA_RUN (コロナグチン is no コロナ クチン; ホテルニューオータ is no ホテル ニュー オーダ)."""
    tokens = _katakana_tokens(option)
    # a name is no evidence: the dictionary has thousands of katakana names, and one of
    # them is near most misreads of a word it lacks (オガール, a project's name, is オカール)
    if tokens is None or any(m.part_of_speech()[2] in _NAME_KINDS for m in tokens):
        return None
    changed = next(m for m in tokens if m.begin() <= at < m.end())
    return len(tokens) if len(changed.surface()) >= DEFAULT_KATAKANA_RUN else None


@functools.lru_cache(maxsize=8192)
def katakana_to_repaired(run: str) -> str:
    """A katakana run unknown to the dictionary as a whole, repaired by one confused kana (or
    one kana of small strokes fewer: a speck read as シ) when exactly one such change makes it
    the fewest known words (see line_to_katakana_repaired)."""
    if _katakana_tokens(run) is not None:
        return run
    options = {(run[:i] + other + run[i + 1:], i) for i, ch in enumerate(run) for other in _CONFUSIONS.get(ch, ())}
    # ... or one kana fewer: a speck read as a kana of small strokes (not a leading ン: no
    # word starts with one, and ンバウンド lost the イ of インバウンド as often as a speck made it)
    options |= {(run[:i] + run[i + 1:], min(i, len(run) - 2)) for i, ch in enumerate(run)
                if ch in _SPECK_KANA and len(run) > DEFAULT_KATAKANA_RUN and (i or ch != "ン")}
    counted = sorted((n, o) for o, i in options if (n := _repair_words(o, i)) is not None)
    if not counted or (len(counted) > 1 and counted[1][0] == counted[0][0]):
        return run
    return counted[0][1]


def line_to_katakana_repaired(text: str) -> str:
    """``text`` with a katakana word whose voicing mark or small kana a scan misread restored
    (ズケジュール → スケジュール, ポデンシャル → ポテンシャル, シンボジウム → シンポジウム).

    A run of katakana is changed only when the dictionary does not know it (Sudachi reads it
    as one unknown word), and one change of one kana for a kana it is confused with
    (_CONFUSIONS) makes it known words, fewer than any other such change does: ボデンシャル
    (two words) loses to ポテンシャル (one). A run next to a kanji that looks like a kana
    (_KANA_LIKE_KANJI) is left: its end is not known.
    """
    def repaired(m: re.Match) -> str:
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if before in _KANA_LIKE_KANJI or after in _KANA_LIKE_KANJI:
            return m.group()
        return katakana_to_repaired(m.group())

    return _KATAKANA_WORD.sub(repaired, text)
