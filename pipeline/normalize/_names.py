"""parse_name: a printed person's name → family name and given name."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.normalize._tables import DEFAULT_DATA_DIR, load_word_list
from pipeline.normalize._text import fold_chars, fold_variants

HONORIFICS_FILE = DEFAULT_DATA_DIR / "honorifics.txt"
#: Width of one whitespace character when comparing the gaps of 均等割付 spacing.
DEFAULT_SPACE_WIDTHS = {"\u3000": 2, "\t": 2}
_HONORIFICS = load_word_list(HONORIFICS_FILE)
_BRACKETED_RE = re.compile(r"[（(〔［\[【〈<][^）)〕］\]】〉>]*[）)〕］\]】〉>]")
_EDGE_MARKS_RE = re.compile(r"^[\s○◯〇◎●◆◇■□・※＊*:：、,]+|[\s:：、,。]+$")
_GAP_RE = re.compile(r"\s+")
_SURNAME, _GIVEN = "姓", "名"


@dataclass(frozen=True)
class PersonName:
    """A person's name split into family and given name, spelled as printed.

    Attributes:
        family: family name (姓), without spaces.
        given: given name (名), without spaces; '' only when the name could not be split.
    """

    family: str
    given: str

    @property
    def name(self) -> str:
        """``family + ' ' + given``, or the family name alone when the split is unknown.

        The display form and the input of person_key.
        """
        return f"{self.family} {self.given}" if self.given else self.family


@functools.cache
def _sudachi():
    """(dictionary, tokenizer): building them takes a noticeable fraction of a second, so once."""
    from sudachipy import Dictionary, SplitMode

    dictionary = Dictionary(dict="core")
    return dictionary, dictionary.tokenizer(mode=SplitMode.C)


@functools.lru_cache(maxsize=65536)
def _name_roles(surface: str) -> frozenset[str]:
    """Which of 姓/名 the dictionary lists ``surface`` as (also via its folded variant spelling)."""
    dictionary, _ = _sudachi()
    roles = set()
    for form in dict.fromkeys((surface, fold_variants(surface))):
        for morpheme in dictionary.lookup(form):
            pos = morpheme.part_of_speech()
            if pos[:3] == ("名詞", "固有名詞", "人名") and pos[3] in (_SURNAME, _GIVEN):
                roles.add(pos[3])
    return frozenset(roles)


def _tokenizer_split(text: str) -> int | None:
    """Where the tokenizer ends a leading run of 姓 morphemes followed by a 名 one."""
    _, tokenizer = _sudachi()
    position, seen_surname = 0, False
    for morpheme in tokenizer.tokenize(fold_variants(text)):
        pos = morpheme.part_of_speech()
        if pos[:3] == ("名詞", "固有名詞", "人名") and pos[3] == _SURNAME:
            seen_surname = True
        elif seen_surname and pos[:3] == ("名詞", "固有名詞", "人名") and pos[3] == _GIVEN:
            return position
        else:
            return None
        position += len(morpheme.surface())
    return None


def split_unspaced(text: str) -> tuple[str, str]:
    """Split a name printed without a space (藤井裕久) with Sudachi's surname knowledge.

    Each split point scores 2 when the dictionary lists the left part as a
    surname, 2 when it lists the right part as a given name, and 1 when the
    tokenizer draws the same boundary. A string the dictionary knows as a
    surname and that no split explains fully (田中) is a family name alone.
    """
    if len(text) < 2:
        return text, ""
    agreed = _tokenizer_split(text)
    best, best_key = None, None
    for k in range(1, len(text)):
        score = 2 * (_SURNAME in _name_roles(text[:k])) + 2 * (_GIVEN in _name_roles(text[k:]))
        key = (score + (k == agreed), -abs(k - 2))  # last resort: the commonest surname length
        if best_key is None or key > best_key:
            best, best_key = k, key
    whole_is_surname = _SURNAME in _name_roles(text) and agreed is None
    if best_key[0] < 2 or (whole_is_surname and best_key[0] < 5):
        return text, ""
    return text[:best], text[best:]


def _strip_roles(tokens: list[str], gaps: list[int]) -> tuple[list[str], list[int]]:
    """Drop honorifics and role titles around the name tokens (市長 藤井 裕久 君).

    ``gaps`` holds the width of the space after each token but the last; the
    gaps between the tokens that remain are returned with them.
    """
    lo, hi = 0, len(tokens)
    while hi - lo > 1 and any(tokens[lo].endswith(w) for w in _HONORIFICS):
        lo += 1  # 富山市長 藤井裕久: a leading token ending in a role is a title
    while hi - lo > 1 and tokens[hi - 1] in _HONORIFICS:
        hi -= 1
    tokens, gaps = tokens[lo:hi], gaps[lo:hi - 1]
    last = tokens[-1]
    word = next((w for w in _HONORIFICS if last.endswith(w) and len(last) > len(w)), None)
    if word and len(tokens) <= 2:
        tokens = tokens[:-1] + [last[: -len(word)]]  # 田中 斉委員長 keeps 斉
    elif word:
        tokens, gaps = tokens[:-1], gaps[:-1]  # 藤井 裕久 総務部長 drops the whole title
    if len(tokens) == 1:
        word = next((w for w in _HONORIFICS if tokens[0].startswith(w) and len(tokens[0]) - len(w) >= 2), None)
        if word:
            tokens = [tokens[0][len(word):]]  # 議長藤井裕久
    return tokens, gaps


def _gap_width(gap: str) -> int:
    return sum(DEFAULT_SPACE_WIDTHS.get(ch, 1) for ch in gap)


def parse_name(text: str) -> PersonName:
    """Split a printed name into family and given name.

    Radicals and compatibility ideographs are repaired (normalize_text's
    character mapping), variant kanji are kept as printed (齊, 髙, 﨑, 邊, 澤),
    and honorifics and roles around the name (君, 氏, 様, 議長, 委員長, 市長 …,
    see pipeline/data/honorifics.txt) and bracketed notes are dropped.

    Spacing decides the split: two parts (``田中 斉``, ``林　　正之``) are taken as
    printed. Evenly spread characters (``藤 井 裕 久``) and names without a space
    (``三牧純一郎``) are joined and split with Sudachi's surname and given-name
    entries. Spacing with one widest gap (``田　中　　齊``) splits at that gap.

    Args:
        text: the name cell, e.g. ``議長 藤井 裕久君`` or ``田　中　　齊``.

    Returns:
        PersonName; its given name is '' only when the name cannot be split.
    """
    text = _EDGE_MARKS_RE.sub("", _BRACKETED_RE.sub(" ", fold_chars(text)))
    if ":" in text or "：" in text:
        after = re.split(r"[:：]", text)[-1].strip()
        text = after or text
    text = text.strip()
    if not text:
        return PersonName("", "")
    tokens, gaps = _strip_roles(_GAP_RE.split(text), [_gap_width(g) for g in _GAP_RE.findall(text)])
    if not tokens:
        return PersonName("", "")
    if len(tokens) == 1:
        return PersonName(*split_unspaced(tokens[0]))
    if len(tokens) == 2:
        return PersonName(tokens[0], tokens[1])
    widest = max(gaps) if gaps else 0
    if gaps and gaps.count(widest) == 1 and len(set(gaps)) > 1:
        cut = gaps.index(widest) + 1
        return PersonName("".join(tokens[:cut]), "".join(tokens[cut:]))
    return PersonName(*split_unspaced("".join(tokens)))


# --- names printed in pieces: spread over a column, several to a line, glued to a post ----------

#: A name printed one or two characters to a piece (佐 藤 清 雄) holds at most this many pieces.
DEFAULT_MAX_PIECES = 6
#: Cost of one more name when a run of pieces is cut into names: a cut must be earned by
#: the dictionary knowing both halves better than it knows the whole.
DEFAULT_NAME_CUT_COST = 2.0
#: A family name glued to the post after it (阿部知事) is at most this long.
DEFAULT_MAX_FAMILY_CHARS = 4
#: Length priors (characters → score): two-character family names and one- to
#: three-character given names are the common ones; they break ties the dictionary leaves.
DEFAULT_FAMILY_LENGTH_PRIOR = {1: -0.6, 2: 0.6, 3: 0.0, 4: -0.8}
DEFAULT_GIVEN_LENGTH_PRIOR = {1: -0.3, 2: 0.6, 3: -0.1, 4: -0.8}
_NAME_TEXT_RE = re.compile(r"^[\u3005\u3006\u30f5\u30f6\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                           r"\uf900-\ufaff\U00020000-\U0003ffff・]+$")
_KATAKANA_RE = re.compile(r"^[\u30a0-\u30ff・]+$")
_HIRAGANA_RE = re.compile(r"^[\u3041-\u309f]+$")


def name_roles(surface: str) -> frozenset[str]:
    """Which of 姓 (family) and 名 (given) the dictionary lists ``surface`` as."""
    return _name_roles(fold_chars(surface))


def is_name_text(text: str) -> bool:
    """Could ``text`` (spaces removed) be a person's name: kanji and kana only, no digits or marks."""
    return bool(_NAME_TEXT_RE.match(text))


def _length_prior(prior: dict[int, float], text: str) -> float:
    if _KATAKANA_RE.match(text):
        return 0.0  # ビアンキ アンソニー: foreign names are long
    return prior.get(len(text), -1.5)


def _pair_score(family: str, given: str) -> float:
    """How well the dictionary and the usual lengths explain ``family`` + ``given``."""
    if not given:
        return 2.0 * (_SURNAME in name_roles(family)) - 0.5 + _length_prior(DEFAULT_FAMILY_LENGTH_PRIOR, family)
    # the dictionary lists many single kanji as surnames: one-character evidence weighs less
    known = _SURNAME in name_roles(family)
    score = ((1.0 if len(family) == 1 else 2.0) if known else -0.5) + 2.0 * (_GIVEN in name_roles(given))
    score += _length_prior(DEFAULT_FAMILY_LENGTH_PRIOR, family) + _length_prior(DEFAULT_GIVEN_LENGTH_PRIOR, given)
    if len(family) == 1 and len(given) == 1:
        score -= 3.0  # 岡 覚 exists, but two one-character halves are more often a name cut in two
    return score


def _part_is_whole(part: list[str]) -> bool:
    """A half of a spread name: one piece (山之内), or single characters (田 端)."""
    return len(part) == 1 or all(len(p) == 1 for p in part)


def pieces_to_name(pieces: list[str]) -> tuple[PersonName, float]:
    """One name printed in pieces, split into family and given name, with a plausibility score.

    Spread names keep their halves whole: a piece of two or more characters is a
    family or a given name of its own (``山之内 悠``, ``田 代 千代志``, ``槻ノ木沢 昌 敏``),
    single characters pair up (``岡 田 英``). Among the splits that respect this, the
    dictionary's surname and given-name entries, the tokenizer's boundary and the usual
    lengths decide. Pieces that fit no such split (a wrap cut inside a half) are joined
    and split like an unspaced name.

    Args:
        pieces: the name's pieces as printed, spaces removed (``["佐", "藤", "清", "雄"]``).

    Returns:
        (name, score); the score is higher the better the dictionary explains the
        name, and very low for text that cannot be a name.
    """
    pieces = [fold_chars(p) for p in pieces if p]
    text = "".join(pieces)
    if not text or not is_name_text(text) or _HIRAGANA_RE.match(text):
        return PersonName(text, ""), -10.0  # a family name is never kana alone in hiragana
    if len(text) == 1:
        return PersonName(text, ""), -4.0
    if len(pieces) == 1:
        family, given = split_unspaced(text)
        return PersonName(family, given), _pair_score(family, given)
    agreed = _tokenizer_split(text)
    best: tuple[float, PersonName] | None = None
    if _SURNAME in name_roles(text):
        best = (_pair_score(text, ""), PersonName(text, ""))  # 青 木 区長: a family name spread alone
    for k in range(1, len(pieces)):
        fam, giv = pieces[:k], pieces[k:]
        if not (_part_is_whole(fam) and _part_is_whole(giv)):
            continue
        family, given = "".join(fam), "".join(giv)
        score = _pair_score(family, given) + (1.0 if len(family) == agreed else 0.0)
        if best is None or score > best[0]:
            best = (score, PersonName(family, given))
    if best is None:
        family, given = split_unspaced(text)
        best = (_pair_score(family, given) - 1.0, PersonName(family, given))
    if len(pieces) > DEFAULT_MAX_PIECES:
        best = (best[0] - 5.0, best[1])
    return best[1], best[0]


def pieces_to_names(pieces: list[str], cut_cost: float = DEFAULT_NAME_CUT_COST) -> list[tuple[int, int, PersonName]]:
    """Cut a run of name pieces into names (see pieces_to_names_scored)."""
    return pieces_to_names_scored(pieces, cut_cost)[1]


def pieces_to_names_scored(pieces: list[str], cut_cost: float = DEFAULT_NAME_CUT_COST,
                           ) -> tuple[float, list[tuple[int, int, PersonName]]]:
    """Cut a run of name pieces into names: a row of names printed across a column.

    ``高 橋 正 男 千 葉 勇`` → 高橋 正男, 千葉 勇. Each possible name is scored by
    pieces_to_name; the cut with the highest total (less ``cut_cost`` per name) wins,
    so a run becomes several names only where the dictionary knows the parts.

    Args:
        pieces: name pieces in printed order, spaces removed.
        cut_cost: the price of one more name.

    Returns:
        (the cut's total score, (first piece, end piece, name) per name in order);
        (0.0, []) for no pieces.
    """
    n = len(pieces)
    best: list[tuple[float, list] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for end in range(1, n + 1):
        for start in range(max(0, end - DEFAULT_MAX_PIECES - 1), end):
            if best[start] is None:
                continue
            name, score = pieces_to_name(pieces[start:end])
            total = best[start][0] + score - cut_cost
            if best[end] is None or total > best[end][0]:
                best[end] = (total, [*best[start][1], (start, end, name)])
    return (best[n][0], best[n][1]) if best[n] else (0.0, [])


def family_prefix_scores(text: str, max_chars: int = DEFAULT_MAX_FAMILY_CHARS) -> dict[int, float]:
    """How likely each short prefix of ``text`` is a family name glued to what follows.

    For name-and-post runs printed without a space (阿部知事, 原佐久地域振興局長): the
    dictionary's surname entry counts most; a prefix the dictionary does not list still
    counts when the tokenizer reads it as one word (布山上伊那… → 布山); a cut inside one
    of the tokenizer's words (柳|沢上田…) counts against.

    Returns:
        prefix length → score (negative: not a family name).
    """
    folded = fold_chars(text)
    _, tokenizer = _sudachi()
    bounds, person, first_word = set(), set(), 0
    at = 0
    for morpheme in tokenizer.tokenize(fold_variants(folded)):
        at += len(morpheme.surface())
        bounds.add(at)
        pos = morpheme.part_of_speech()
        if pos[:3] == ("名詞", "固有名詞", "人名"):
            person.add(at)
        if not first_word and pos[0] == "名詞":
            first_word = at
    out = {}
    for k in range(1, min(max_chars, len(folded) - 1) + 1):
        prefix = folded[:k]
        if not is_name_text(prefix):
            break
        if _SURNAME in name_roles(prefix):
            score = 3.0
        elif k == first_word and 2 <= k <= 3:
            score = 1.5  # a word the tokenizer knows, though not as a surname
        else:
            score = -2.0 - (1.0 if k == 1 else 0.0)
        score += 1.0 if k in bounds else -3.0
        score += 0.5 if k in person else 0.0
        out[k] = score + DEFAULT_FAMILY_LENGTH_PRIOR.get(k, -1.0)
    return out


def full_name_prefixes(text: str, max_chars: int = DEFAULT_MAX_PIECES + 1) -> dict[int, PersonName]:
    """Prefixes of ``text`` that are a whole name the dictionary knows both halves of.

    For names glued to their posts in full (遠藤久夫会長 → 遠藤 久夫): the family half must
    be listed as a surname and the given half as a given name.

    Returns:
        prefix length → the name split into family and given name.
    """
    folded = fold_chars(text)
    _, tokenizer = _sudachi()
    given_at: dict[int, int] = {}  # end of a morpheme read as a given name → its start
    at = 0
    for morpheme in tokenizer.tokenize(fold_variants(folded)):
        start, at = at, at + len(morpheme.surface())
        if morpheme.part_of_speech()[:4] == ("名詞", "固有名詞", "人名", _GIVEN):
            given_at[at] = start
    out = {}
    for k in range(3, min(max_chars, len(folded) - 1) + 1):
        # the given half must be a word the tokenizer reads as a given name here
        # (白石|小百合|委員), not a noun that happens to be one (笹渕|健康|福祉部長, 吉沢|公|営…)
        if k not in given_at:
            continue
        family, given = folded[: given_at[k]], folded[given_at[k]:k]
        if family and _SURNAME in name_roles(family):
            out[k] = PersonName(family, given)
    return out


@functools.lru_cache(maxsize=4096)
def starts_with_person_name(text: str) -> bool:
    """Does the tokenizer read the start of ``text`` as a person's name (久夫会長)?"""
    _, tokenizer = _sudachi()
    for morpheme in tokenizer.tokenize(fold_variants(fold_chars(text))):
        return morpheme.part_of_speech()[:3] == ("名詞", "固有名詞", "人名")
    return False
