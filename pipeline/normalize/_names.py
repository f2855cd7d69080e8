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
        """``family + ' ' + given``: the display form and the input of person_key."""
        return self.family + " " + self.given


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
