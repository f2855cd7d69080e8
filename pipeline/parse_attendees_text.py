"""Attendee lists printed as text: headings, posts and names in the layouts of the genre.

Records of councils, committees and 審議会 print their lists in many ways: a heading
and ``post name`` pairs, several to a line (``委員長 岡 田 英 君 副委員長 山之内 悠 君``);
posts spread over single characters (``委 員``) and ditto marks (``〃``); numbered
seats (``1番 玉 置 幸 哉 君``); names under a post line, a row of names across a
column (``高 橋 正 男 千 葉 勇``); running text with separators
(``委員:奥村隆一、関谷昇、…``), names glued to their posts
(``角田委員長、粉川副委員長 藤井委員井阪委員…``), an affiliation or a reading in
brackets after a name. This module reads them all with one grammar, in small steps:

1. ``line_to_tokens``: one line → typed tokens (heading, end heading, number, seat,
   bracket, separator, honorific, ditto mark, head count, word).
2. ``tokens_to_lists``: the token stream of a section → lists, each from its heading
   to the next heading, an end heading (議題, 配布資料, 会議録署名委員 …), a numbered point
   that opens no list (``6 会議に付した事件``, ``一　付議事件``) or a sentence of the minutes;
   a heading wrapped over two lines is one heading, a bracketed department (［健康福祉部］)
   only groups the list it stands in, and a ※ note is no entry.
3. ``tokens_to_entries``: a list's tokens → entries, cut at separators, honorifics,
   seats, ditto marks, brackets and hard line ends; a soft line end (the line ran to
   the right margin) is a wrap, and the words on both sides may be one word.
4. ``entries_to_people``: each entry read post-first (``委員長 山田 太郎``) or
   name-first (``山田委員長``), as the list's entries vote; names are cut and split by
   pipeline.normalize (pieces_to_names, family_prefix_scores).

Every word of the genre's vocabulary (headings, posts, honorifics, marks) comes from the
profile's ``[attendees]`` section (pipeline/data/profiles/genre.toml).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from pipeline.ir import Line
from pipeline.layout import is_page_number
from pipeline.normalize._numerals import kanji_to_int
from pipeline.normalize._names import (PersonName, family_prefix_scores, full_name_prefixes, is_name_text,
                                       name_roles, pieces_to_name, pieces_to_names, pieces_to_names_scored,
                                       starts_with_person_name)
from pipeline.profile import Profile, ProfileError

#: A line ends in a wrap when its right edge is this close to the page's text margin,
#: in line heights (the next word did not fit).
DEFAULT_WRAP_MARGIN = 1.6
#: A name glued to a post (阿部知事) needs a family-name score this high to vote for the
#: name-first reading of a list (known surname, cut at a word boundary).
DEFAULT_GLUED_VOTE_SCORE = 4.0
#: A second or later name in one glued run (藤井委員井阪委員…) must be a known surname.
DEFAULT_GLUED_NEXT_SCORE = 3.5
#: A name in one piece among family names glued to posts is split only at this score
#: (both halves known to the dictionary).
DEFAULT_STRONG_SPLIT = 4.0
#: What reading the start of an entry as a spread post (企 画 調 整 課 長) must gain over
#: reading it as names.
DEFAULT_SPREAD_POST_BONUS = 1.0
#: What a known given name adds to a glued family name (遠藤久夫会長), and what a post that
#: opens with a person's name (遠藤|久夫会長) costs.
DEFAULT_GIVEN_BONUS = 1.5
DEFAULT_NAME_IN_POST_COST = 4.0
#: A number inside a list opens an entry, not the record's next point, when a name this
#: plausible follows it (both halves known to the dictionary).
DEFAULT_NUMBERED_NAME_SCORE = 4.0
#: Cost of one more (name, post) pair when a glued run is cut.
DEFAULT_GLUED_CUT_COST = 0.5
#: A name printed in one run is at most this long (勅使河原 美由紀): a longer run of kanji and kana
#: is a phrase of the minutes (県民向けの概要版を作成し), unless it is katakana (a foreign name).
DEFAULT_MAX_NAME_CHARS = 8
#: A side header with a head count (1. 市町村等（17名）) names a group in a few words; a longer
#: text before a count is a run of names (…箕輪明久、若山拓也(14名)).
DEFAULT_MAX_SIDE_CHARS = 12

#: One side header of the series' lists: an optional number (1. / (1) / ① / 一、 / 1 followed
#: by a space), the side, its head count.
#: A scan may lose the stop after a side's number (2県(17名) for 2. 県（17名）), or read it as
#: another mark (1:市町村等, 1,市町村等): a number glued to the kanji of a side label still
#: numbers it. After a numbered side it may lose the count's opening bracket too (2.県8名) for
#: 2. 県（18名）).
_SIDE_ONE = re.compile(
    # a speck before the number (.2.県(18名)) is no part of it
    r"(?:[.．,，'`:：;；]\s*(?=\d))?"
    r"(?P<number>\d+\s*[.．、,，・)）:：;；]|[(（]\s*\d+\s*[)）]|[①-⑳]|[一二三四五六七八九十]+\s*[.．、]|\d+(?=\s)"
    r"|\d{1,2}(?=[\s:：;；.．,，'`・]*\p{Han}))?"
    # a scan's speck after the number (2.:県) is no part of the label: a label starts with a letter
    r"[\s:：;；.．,，'`・]*"
    # ... nor is one before the count's bracket (2.県: (17名), 1.市町村等- (17名)); a katakana
    # label's ー is its own (オブザーバー)
    r"(?P<side>[^\s（()）0-9:：;；.．,，'`・][^（()）]*?)[\s:：;；.．,，'`\-‐－―]*(?(number)[（(]?|[（(])"
    r"\s*(?P<n>\d+)\s*(?:名|人)\s*[）)]")
#: Bullets and marks before a heading or an entry.
_BULLETS = "〇○◯●◎◇◆■□※＊*・-－−‐"
_LEAD_MARKS = re.compile(rf"^[{re.escape(_BULLETS)}]+")
#: A number opening a point: 3 / 3. / (2) / ① / 三、 (a seat, 1番, is not one).
_NUMBER = re.compile(r"^(?:\d{1,2}[.．、]?|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}[、.．])$")
_NUMBER_HEAD = re.compile(r"^(?:\d{1,2}[.．、]|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}[、.．])(?=\S)")
#: A record's point numbered by a kanji numeral and a space alone (``一　付議事件``, ``一　書記``),
#: as records of town councils print them. A single character after the space is no point
#: but a name spread over its characters (十 河 信 善, 二 宮 …).
_KANJI_POINT = re.compile(r"^[一二三四五六七八九十]{1,3}\s+(?=\S\S)")
_SEAT = re.compile(r"^第?\d{1,3}番$")
_COUNT = re.compile(r"^(?:以上|計|合計|総数)?\s*(?P<n>\d{1,4}|[〇一二三四五六七八九十百]{1,4})\s*[名人]$")
_WORD_COUNT = re.compile(r"^(?P<w>[^\d]+?)(?P<n>\d{1,4})[名人]$")
_RULE = re.compile(r"^(?:[─━―—\-－−‐=＝*＊_…·.]{2,}|[-－−‐])$")
_KANA_ONLY = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\s・ー]+$")
_KATAKANA_NAME = re.compile(r"^[\u30a0-\u30ff・ー＝=]+$")
_LABEL = re.compile(r"(?P<label>[^\s:：()（）、,]{2,15})\s*[:：]")
_TAIL_END = re.compile(r"(?:である|です)?[。．]?")
#: A label in corner brackets at a line's start (【委員】, 〔事務局〕) reads as ``委員:``.
_BRACKET_LABEL = re.compile(r"^\s*[【〔［\[《<＜〈]\s*(?P<label>[^】〕］\]》>＞〉]{1,20}?)\s*[】〕］\]》>＞〉]\s*")


@dataclass(frozen=True)
class Vocabulary:
    """The words the attendee reader knows, from a profile's ``[attendees]`` section."""

    sections: tuple[str, ...] = ("attendees",)
    list_headings: tuple[str, ...] = ()
    label_headings: tuple[str, ...] = ()
    absent_headings: tuple[str, ...] = ()
    end_headings: tuple[str, ...] = ()
    heading_tails: tuple[str, ...] = ()
    post_words: tuple[str, ...] = ()
    post_suffixes: tuple[str, ...] = ()
    org_suffixes: tuple[str, ...] = ()
    honorifics: tuple[str, ...] = ()
    ditto_marks: tuple[str, ...] = ()
    separators: tuple[str, ...] = ()
    none_words: tuple[str, ...] = ()
    drop_phrases: tuple[str, ...] = ()
    others_words: tuple[str, ...] = ()
    group_suffixes: tuple[str, ...] = ()
    column_headers: tuple[str, ...] = ()
    department_suffixes: tuple[str, ...] = ()
    role_suffixes: tuple[str, ...] = ()
    attendance_notes: tuple[str, ...] = ()
    note_marks: tuple[str, ...] = ()
    side_columns: tuple[str, ...] = ()
    post_columns: tuple[str, ...] = ()
    name_columns: tuple[str, ...] = ()
    note_columns: tuple[str, ...] = ()
    skip_words: tuple[str, ...] = ()
    name_stop_words: tuple[str, ...] = ()
    note_words: tuple[str, ...] = ()
    proxy_words: tuple[str, ...] = ()
    absent_notes: tuple[str, ...] = ()
    prose_markers: tuple[str, ...] = ()
    concurrent_marks: tuple[str, ...] = ()


def profile_to_vocabulary(profile: Profile) -> Vocabulary:
    """The attendee vocabulary of a profile (the genre's, with the profile's own additions).

    Raises:
        ProfileError: the profile's ``[attendees]`` section has a key no reader knows (a
            misspelt key would otherwise leave its words unused without a trace).
    """
    fields = Vocabulary.__dataclass_fields__
    unknown = sorted(set(profile.sections.get("attendees", {})) - set(fields))
    if unknown:
        raise ProfileError(f"profile {profile.name}: unknown key(s) in [attendees]: {', '.join(unknown)} "
                           f"(known: {', '.join(fields)})")
    kw = {name: profile.words("attendees", name) for name in fields}
    kw["sections"] = kw["sections"] or ("attendees",)
    return Vocabulary(**kw)


def _ends_concurrent(word: str, v: Vocabulary) -> str | None:
    """The mark (兼) a post ends with when it goes on to another after the name, or None."""
    return next((m for m in v.concurrent_marks if word.endswith(m) and len(word) > len(m) + 1), None)


# --- patterns built once per vocabulary ---------------------------------------------------------

def _alternation(words: tuple[str, ...]) -> str:
    """Words longest first, each matching with spaces between its characters (出 席 者)."""
    alts = [r"\s?".join(re.escape(ch) for ch in w) for w in sorted(set(words), key=len, reverse=True) if w]
    return "(?:" + "|".join(alts) + ")" if alts else "(?!)"


@dataclass(frozen=True)
class _Patterns:
    heading: re.Pattern
    label: re.Pattern
    end: re.Pattern
    tail: re.Pattern
    token: re.Pattern
    drop: re.Pattern | None


@lru_cache(maxsize=8)
def _patterns(v: Vocabulary) -> _Patterns:
    tails = _alternation(v.heading_tails)
    seps = "".join(re.escape(s) for s in v.separators if len(s) == 1) or "、"
    # a bracket may hold one more (千草県市長会（汐見市環境部長）): the outer one is one token
    token = re.compile(rf"(?P<paren>[(（](?:[^()（）]|[(（][^()（）]*[)）])*[)）])|(?P<sep>[{seps}])|(?P<colon>[:：])"
                       rf"|(?P<word>[^\s()（）{seps}:：]+)")
    drops = [re.escape(w) for w in sorted(v.drop_phrases, key=len, reverse=True)]
    if v.others_words:  # 浅見部長ほか3名: the others are counted, not named
        drops.append("(?:" + "|".join(map(re.escape, v.others_words)) + r")\s*\d+\s*[名人]")
    drop = re.compile("|".join(drops)) if drops else None
    return _Patterns(heading=re.compile(_alternation(v.list_headings)), label=re.compile(_alternation(v.label_headings)),
                     end=re.compile(_alternation(v.end_headings)), tail=re.compile(tails), token=token, drop=drop)


# --- step 1: a line to tokens ------------------------------------------------------------------

@dataclass
class Token:
    """One token of a line.

    Attributes:
        kind: head, end, num, seat, paren, sep, colon, hon, ditto, count, none, skip, word, brk.
        text: the token as printed (normalized); for a head, the heading without spaces.
        ref: index of the line it came from.
        soft: for brk (a line end): the line ran to the margin, so the words around it may be one.
        count: for a count, the number.
        absent: for a head, a list of the absent.
    """

    kind: str
    text: str
    ref: int = -1
    soft: bool = False
    count: int | None = None
    absent: bool = False


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


def is_side_label(side: str) -> bool:
    """Is the text before a head count a group's name (市町村等), not a run of names?"""
    return len(side) <= DEFAULT_MAX_SIDE_CHARS and not re.search(r"[、,，;；\s]", side)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_post(word: str, v: Vocabulary, *, orgs: bool = True) -> bool:
    """Is ``word`` a post: a post word, or a word ending like one (総合政策部長, 政策室…担当),
    or (with ``orgs``) like an organization standing for one (国土交通省).

    A short word the dictionary lists as a given name (信長) is a name, not a post.
    """
    if word in v.post_words:
        return True
    mark = _ends_concurrent(word, v)
    if mark:
        return is_post(word[: -len(mark)], v, orgs=orgs)  # 会計管理者兼 (会計課長 on the next line)
    ends = any(word.endswith(s) and len(word) >= max(2, len(s)) for s in v.post_suffixes)
    org = orgs and any(word.endswith(s) and len(word) > len(s) for s in v.org_suffixes)
    if len(word) < 2 or not (ends or org):
        return False
    return not (len(word) <= 3 and "名" in name_roles(word))


def is_department_label(label: str, v: Vocabulary) -> bool:
    """Is a bracketed label (［健康福祉部］, 【教育委員会】) a department's name: a grouping of
    the list it stands in, not a heading of a list of its own nor the record's next point?"""
    word = _compact(label)
    p = _patterns(v)
    if p.heading.fullmatch(word) or p.label.fullmatch(word) or p.end.fullmatch(word):
        return False
    if any(word.endswith(w) for w in v.group_suffixes):
        return False  # 【市側出席者】, 【関係団体】: people
    return len(word) >= 2 and any(word.endswith(w) for w in (*v.department_suffixes, *v.org_suffixes))


def is_role(word: str, v: Vocabulary) -> bool:
    """Is ``word`` a role that is no post word (教育長職務代理者, 学識経験者, 司会者)?

    Such a word is never a name: before a name it is the name's post, alone on its line
    it heads the names below. Only the post-first reading takes it so; elsewhere (a label
    before a colon opening a list of a group) it stays what it was.
    """
    return len(word) >= 3 and is_name_text(word) and any(word.endswith(s) for s in v.role_suffixes)


def could_be_name(text: str, v: Vocabulary) -> bool:
    """Could ``text`` (a candidate read from a list, spaces removed) be a person's name?

    Not when it holds a word no name holds (署名, 委員), a list heading (参集者), ends like a
    role (学識経験者) or, past a family name's length, like a department (健康福祉部, printed
    alone over its posts); nor when it is longer than a name is (words of the minutes),
    a foreign name in katakana excepted.
    """
    if any(w in text for w in v.name_stop_words) or any(h in text for h in v.list_headings):
        return False
    if is_role(text, v):
        return False
    if len(text) >= 4 and any(text.endswith(s) for s in v.department_suffixes):
        return False
    return len(text) <= DEFAULT_MAX_NAME_CHARS or bool(_KATAKANA_NAME.match(text))


def _is_absent(heading: str, v: Vocabulary) -> bool:
    return any(heading.endswith(a) or heading == a for a in v.absent_headings)


def _boundary_after(text: str, end: int, p: _Patterns, start: int | None = None) -> int | None:
    """Where a heading ending at ``end`` really ends (after a tail such as の職・氏名), or None
    if it runs on into a word (出席者数).

    A heading matched over spaced characters (``議 事``, from ``start``) must not run on
    into more single characters: ``議 事 係 長`` is a spread post, not the heading 議事.
    """
    m = p.tail.match(text, end)
    if m:
        end = m.end()
        m = _TAIL_END.match(text, end)  # …は次のとおりである。
        end = m.end() if m else end
    if start is not None and " " in text[start:end] and re.match(r" \S(?:\s|$)", text[end:]):
        return None
    if end >= len(text) or text[end].isspace() or text[end] in "(（:：、,":
        return end
    return None


def _line_start(text: str) -> int:
    """Offset after the bullets and the number that open a line."""
    pos = 0
    m = _LEAD_MARKS.match(text)
    if m:
        pos = m.end()
    while pos < len(text) and text[pos].isspace():
        pos += 1
    m = re.match(r"(?:\d{1,2}[.．、]?|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}[、.．])(?=\s|[^\d番])",
                 text[pos:])
    if m and not re.match(r"\d+番", text[pos:]):
        pos += m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return pos


def _head_spans(text: str, v: Vocabulary, p: _Patterns) -> list[tuple[int, int, str, str]]:
    """Spans of headings and end headings in a line: (start, end, kind, heading)."""
    spans: list[tuple[int, int, str, str]] = []
    lead = _line_start(text)
    first_word_end = lead + len(text[lead:].split(" ", 1)[0])
    for m in p.heading.finditer(text):
        start, word = m.start(), _compact(m.group())
        end = _boundary_after(text, m.end(), p, start)
        if end is None:
            continue
        before = text[start - 1] if start else " "
        if before.isspace() or before in _BULLETS or before in ")）" or start == 0:
            spans.append((start, end, "head", word))
        elif m.end() <= first_word_end or start <= lead:
            spans.append((lead if m.end() <= first_word_end else start, end, "head", word))  # ○○協議会出席者
    if not spans or spans[0][0] > lead:
        m = p.label.match(text, lead)
        if m and _boundary_after(text, m.end(), p, lead) is not None:
            word, end = _compact(m.group()), m.end()
            rest = text[end:].lstrip()
            counted = re.match(r"[(（]\s*(?:\d+\s*[名人]|なし|無し)\s*[)）]", rest)
            if rest[:1] in (":", "：") or counted or not is_post(word, v, orgs=False):
                spans.insert(0, (lead, end, "head", word))
    if not spans or spans[0][0] > lead:
        m = p.end.match(text, lead)
        if m and (_boundary_after(text, m.end(), p, lead) is not None or text[m.end():m.end() + 1] == "の"):
            spans.insert(0, (lead, m.end(), "end", _compact(m.group())))
    if not spans or spans[0][0] > lead:
        m = _LABEL.match(text, lead)
        if m and not is_post(m.group("label"), v) and m.group("label") not in v.column_headers:
            # an unknown label (学識経験者：…, 開催形式：…): a group of people opens a list,
            # anything else is a point of the record after the lists
            label = m.group("label")
            people = any(label.endswith(w) for w in v.group_suffixes)
            spans.insert(0, (lead, m.end(), "head" if people else "end", label))
    return sorted(spans)


def _word_tokens(word: str, v: Vocabulary) -> list[Token]:
    """Typed tokens of one word (no spaces, brackets, separators or colons in it)."""
    out: list[Token] = []
    if _RULE.match(word):
        return []
    m = _LEAD_MARKS.match(word)
    if m and m.end() < len(word) and word[0] not in v.ditto_marks:
        word = word[m.end():]
    elif m and m.end() == len(word):
        return []
    m = _NUMBER_HEAD.match(word)
    if m and not _SEAT.match(word):
        out.append(Token("num", m.group()))
        word = word[m.end():]
    if _SEAT.match(word):
        return [*out, Token("seat", word)]
    if _NUMBER.match(word):
        return [*out, Token("num", word)]
    m = _COUNT.match(word)
    if m and _count_value(m.group("n")) is not None:
        return [*out, Token("count", word, count=_count_value(m.group("n")))]
    m = _WORD_COUNT.match(word)
    if m and not _SEAT.match(word):  # 委員5名: a post and how many hold it
        return [*out, *_word_tokens(m.group("w"), v), Token("count", word[m.end("w"):], count=int(m.group("n")))]
    if word in v.honorifics:
        return [*out, Token("hon", word)]
    if word in v.none_words:
        return [*out, Token("none", word)]
    if word in v.skip_words:
        return [*out, Token("skip", word)]
    ditto = next((d for d in sorted(v.ditto_marks, key=len, reverse=True) if word.startswith(d)), None)
    # a mark (〃) may stand against the name after it; a kanji one (同) only alone
    if ditto and (word == ditto or not re.match(r"\p{Han}", ditto)):
        out.append(Token("ditto", ditto))
        word = word[len(ditto):]
        if not word:
            return out
    if "・" in word.strip("・") and not is_post(word, v) and all(
            re.search(r"\p{Han}", part) for part in word.split("・") if part):
        # 山田・鈴木・佐藤: names run together with middle dots (a foreign name is katakana)
        for k, part in enumerate(x for x in word.split("・") if x):
            out += ([Token("sep", "・")] if k else []) + _word_tokens(part, v)
        return out
    hon = next((h for h in v.honorifics if word.endswith(h) and len(word) >= len(h) + 2), None)
    if hon and not is_post(word, v) and is_name_text(word[: -len(hon)]):
        return [*out, Token("word", word[: -len(hon)]), Token("hon", hon)]
    return [*out, Token("word", word)]


def _count_value(n: str) -> int | None:
    """A head count in digits or kanji numerals (十九名)."""
    return int(n) if n.isdigit() else kanji_to_int(n)


def _paren_token(text: str, v: Vocabulary) -> Token:
    inner = _compact(text[1:-1])
    m = re.match(r"^(?:以上|計)?(?P<n>\d{1,4})[名人]$", inner)
    if m:
        return Token("count", text, count=int(m.group("n")))
    if inner in v.none_words:
        return Token("none", text)
    if re.match(r"^\d{1,2}$", inner):
        return Token("num", text)
    return Token("paren", text)


def line_to_tokens(text: str, v: Vocabulary) -> list[Token]:
    """The typed tokens of one line of an attendee section (text normalized).

    Headings come out as one ``head`` token (spaces between their characters and a
    tail such as の職・氏名 swallowed, a body's name before them dropped), each with
    whether it lists the absent; a series side header (``1. 市町村等（17名）``) is a
    head followed by its count.
    """
    p = _patterns(v)
    text = text.strip()
    if not text or is_page_number(text):
        return []
    if v.note_marks and text.startswith(v.note_marks):
        return []  # ※飯塚委員、久世委員はオンラインにより出席: a note on the list, no entry of it
    point = _KANJI_POINT.match(text)
    if point:
        rest = line_to_tokens(text[point.end():], v)
        return [Token("num", point.group().strip()), *rest] if rest else []
    sides = text_to_sides(text)
    if sides and all(is_side_label(side) for side, _, _ in sides):
        out = []
        for side, n, _ in sides:
            side = _LEAD_MARKS.sub("", side).strip() or side
            out += [Token("head", side, absent=_is_absent(side, v)), Token("count", f"({n}名)", count=n)]
        return out
    if p.drop is not None:
        text = p.drop.sub(" ", text).strip()
    m = _BRACKET_LABEL.match(text)
    if m and is_department_label(m.group("label"), v):
        # ［健康福祉部］ inside a list groups the posts below it (部長, 次長 stay as printed)
        text = text[m.end():].strip()
        if not text:
            return []
    elif m:
        text = m.group("label") + ": " + text[m.end():]
    words = text.split()
    if len(words) >= 2 and all(w in v.column_headers for w in words):
        return [Token("head", "")]  # 区分 職名 氏名: the header of an unruled list
    out: list[Token] = []
    pos = 0
    for start, end, kind, word in _head_spans(text, v, p) + [(len(text), len(text), "", "")]:
        out.extend(_plain_tokens(text[pos:start], v, p))
        if kind:
            out.append(Token(kind, word, absent=kind == "head" and _is_absent(word, v)))
        pos = max(pos, end)
    return tokens_to_proxy_folded(out, v)


#: At most this many words after a bare proxy mark on its line are the proxy's (a name and a post).
DEFAULT_PROXY_TAIL_WORDS = 2


def tokens_to_proxy_folded(tokens: list[Token], v: Vocabulary) -> list[Token]:
    """A bare proxy mark and the words after it to the line's end as one proxy note.

    An unruled list prints the proxy beside the name, ``廣島 伸一 (代理)水落 生活環境文化部次長``:
    the words after ``(代理)`` name who came instead and their post, not another attendee.
    """
    for k, tok in enumerate(tokens):
        if tok.kind != "paren" or _compact(tok.text[1:-1]) not in v.proxy_words:
            continue
        tail = tokens[k + 1:]
        if tail and len(tail) <= DEFAULT_PROXY_TAIL_WORDS and all(t.kind == "word" for t in tail):
            return [*tokens[:k], Token("paren", tok.text + " ".join(t.text for t in tail))]
    return tokens


def _plain_tokens(text: str, v: Vocabulary, p: _Patterns) -> list[Token]:
    out: list[Token] = []
    for m in p.token.finditer(text):
        if m.group("paren"):
            inner = m.group()[1:-1]
            if any(sep in inner for sep in v.separators) and not any(w in inner for w in v.proxy_words):
                # 委員5名（山田、鈴木、佐藤…）: the names are in the bracket
                out += [Token("sep", "、"), *_plain_tokens(inner, v, p), Token("sep", "、")]
            else:
                out.append(_paren_token(m.group(), v))
        elif m.group("sep"):
            out.append(Token("sep", m.group()))
        elif m.group("colon"):
            out.append(Token("colon", m.group()))
        else:
            out.extend(_word_tokens(m.group(), v))
    return out


# --- step 2: a section's lines to lists --------------------------------------------------------

@dataclass(frozen=True)
class LineRef:
    """A line of the section with where it is: its page, box, and whether it wraps on."""

    page: int
    line: Line
    text: str
    soft_end: bool = False
    from_ocr: bool = False


@dataclass
class AttendeeList:
    """One list: its heading (the side), whether it lists the absent, its stated count, its tokens."""

    side: str | None
    absent: bool = False
    stated: int | None = None
    none: bool = False
    start: tuple[int, float] = (0, 0.0)
    end: tuple[int, float] | None = None
    x0: float = 0.0
    tokens: list[Token] = field(default_factory=list)


def heading_continues(first: str, second: str, v: Vocabulary) -> bool:
    """Does a heading begun on one line (or in one cell line) go on at the start of the next?

    ``説明のため`` / ``出席した者``: a line that is no heading but the beginning of one (after
    its number) is joined to the next when the two make the heading.
    """
    head = _compact(first[_line_start(first):])
    if len(head) < 2 or not second.strip():
        return False
    p = _patterns(v)
    if p.heading.fullmatch(head) or p.end.fullmatch(head) or p.label.fullmatch(head):
        return False
    if not any(h.startswith(head) and len(h) > len(head) for h in v.list_headings):
        return False
    m = p.heading.match(head + _compact(second))
    return bool(m) and m.end() > len(head)


def lines_to_stream(lines: list[LineRef], v: Vocabulary) -> list[Token]:
    """Every token of the lines in order, with a line-end token (soft or hard) after each line.

    A heading wrapped over two lines (``説明のため`` / ``出席した者``) is read as one line.
    """
    out: list[Token] = []
    joined: set[int] = set()
    for i, ref in enumerate(lines):
        if i in joined:
            continue
        text = ref.text
        if i + 1 < len(lines) and heading_continues(text, lines[i + 1].text, v):
            text = text.rstrip() + lines[i + 1].text.lstrip()
            joined.add(i + 1)
        toks = line_to_tokens(text, v)
        if not toks:
            continue
        for t in toks:
            t.ref = i
        out.extend(toks)
        out.append(Token("brk", "", ref=i, soft=ref.soft_end))
    return out


def _next_real(tokens: list[Token], i: int) -> Token | None:
    return next((t for t in tokens[i + 1:] if t.kind != "brk"), None)


def _name_follows(tokens: list[Token], i: int) -> bool:
    """Do the words after token i, on its line, open with a name the dictionary knows in full?"""
    pieces = []
    for t in tokens[i + 1:]:
        if t.kind != "word" or t.ref != tokens[i].ref or len(pieces) == 4:
            break
        pieces.append(t.text)
    return any(pieces_to_name(pieces[:k])[1] >= DEFAULT_NUMBERED_NAME_SCORE and pieces_to_name(pieces[:k])[0].given
               for k in range(1, len(pieces) + 1))


def _lone_post_point(tokens: list[Token], i: int, v: Vocabulary) -> bool:
    """Is the number at token i followed by one post word and the line's end (一　書記)?"""
    after = tokens[i + 1:i + 3]
    return (len(after) == 2 and after[0].kind == "word" and after[0].ref == tokens[i].ref
            and is_post(after[0].text, v, orgs=False) and after[1].kind == "brk")


def tokens_to_lists(tokens: list[Token], lines: list[LineRef], v: Vocabulary) -> list[AttendeeList]:
    """Cut the token stream into lists: a heading opens one, the next heading, an end
    heading or a numbered point that is no heading and no post closes it.

    Tokens outside any list (the meeting header before the first heading, the agenda
    after the last list) are dropped.
    """
    lists: list[AttendeeList] = []
    current: AttendeeList | None = None

    def close(at: int) -> None:
        nonlocal current
        if current is not None:
            ref = lines[tokens[at].ref] if 0 <= at < len(tokens) and tokens[at].ref >= 0 else None
            current.end = (ref.page, ref.line.top) if ref else None
        current = None

    heading_word = -1  # the post word a numbered point made a heading of
    for i, t in enumerate(tokens):
        if i == heading_word:
            continue
        if t.kind == "word" and any(m in t.text for m in v.prose_markers):
            if current is not None:
                # the record's running text after the list: a line that opens with a speaker
                # (○山田委員長 ただいまから…) is no entry of it
                if current.start[0] != lines[t.ref].page or current.start[1] != lines[t.ref].line.top:
                    current.tokens = [x for x in current.tokens if x.ref != t.ref]
                close(i)
            continue
        if t.kind == "head":
            close(i)
            ref = lines[t.ref]
            current = AttendeeList(t.text, absent=t.absent, start=(ref.page, ref.line.top), x0=ref.line.x0)
            lists.append(current)
            # what stands right after a heading belongs to it: its count, なし, a note, a colon
            continue
        if t.kind == "end":
            close(i)
            continue
        if t.kind == "num":
            nxt = _next_real(tokens, i)
            if current is None and _lone_post_point(tokens, i, v):
                # 一　書記: a numbered point naming one post alone heads the list of its holders
                ref = lines[t.ref]
                current = AttendeeList(nxt.text, start=(ref.page, ref.line.top), x0=ref.line.x0)
                lists.append(current)
                heading_word = i + 1
                continue
            if nxt is None or nxt.kind == "head" or (nxt.kind == "word" and is_post(nxt.text, v)):
                continue
            if current is not None and _name_follows(tokens, i):
                continue  # (1) 山田 太郎 …: a numbered entry of the list, not its next point
            close(i)
            continue
        if current is not None:
            current.tokens.append(t)
    return lists


# --- step 3: a list's tokens to entries --------------------------------------------------------

@dataclass
class Entry:
    """What stands between two delimiters of a list: words, and what marks them.

    Attributes:
        words: (text, line index) of each word.
        wraps: indexes i where words[i-1] and words[i] stand on both sides of a soft line end.
        ditto: the entry opens with a ditto mark (its post is the one above).
        seat: the seat number before it (1番).
        closed_by: hon, sep, colon, brk … (a name closed by 君 is one name).
        parens: brackets after the words.
    """

    words: list[tuple[str, int]] = field(default_factory=list)
    wraps: set[int] = field(default_factory=set)
    ditto: bool = False
    seat: str | None = None
    closed_by: str | None = None
    parens: list[str] = field(default_factory=list)


def tokens_to_entries(lst: AttendeeList) -> list[Entry]:
    """Cut a list's tokens into entries; take its stated count and なし on the way."""
    entries: list[Entry] = []
    cur = Entry()
    opening = True  # right after the heading: a count, なし or a note are the heading's

    def close(by: str) -> None:
        nonlocal cur
        if cur.words or cur.parens or cur.ditto or cur.seat:
            cur.closed_by = by
            entries.append(cur)
        cur = Entry()

    for t in lst.tokens:
        if t.kind == "word":
            if cur.parens:  # a word after a bracket starts the next entry
                close("paren")
            cur.words.append((t.text, t.ref))
            opening = False
        elif t.kind == "brk":
            if t.soft:
                if cur.words:
                    cur.wraps.add(len(cur.words))
            else:
                close("brk")
        elif t.kind in ("sep", "hon", "colon", "skip"):
            close(t.kind)
        elif t.kind == "seat":
            close("seat")
            cur.seat = t.text
            opening = False
        elif t.kind == "ditto":
            close("ditto")
            cur.ditto = True
            opening = False
        elif t.kind == "paren":
            if opening:
                continue  # (予定), (五十音順 敬称略): a note on the heading
            cur.parens.append(t.text)
        elif t.kind == "count":
            close("count")
            if lst.stated is None:
                lst.stated = t.count
        elif t.kind == "none":
            close("none")
            if opening:
                lst.none = True
    close("end")
    # a wrap index past the entry's last word (the line ended the entry) means nothing
    for e in entries:
        e.wraps = {i for i in e.wraps if 0 < i < len(e.words)}
    return entries


# --- step 4: entries to people -----------------------------------------------------------------

@dataclass
class Person:
    """One person read from a list, before it becomes an attendees row."""

    post: str | None
    name: PersonName
    name_text: str
    ref: int
    proxy_note: str | None = None
    absent: bool = False


def glued_to_pairs(text: str, v: Vocabulary, *, first_threshold: float = 1.0) -> list[tuple[PersonName, str]] | None:
    """Cut a run of names glued to their posts into (name, post) pairs.

    ``阿部知事`` → [(阿部, 知事)]; ``藤井委員井阪委員`` → [(藤井, 委員), (井阪, 委員)];
    ``前沢危機管理監兼危機管理部長`` → [(前沢, 危機管理監兼危機管理部長)]; a whole name
    glued in full, ``遠藤久夫会長`` → [(遠藤 久夫, 会長)]. Each pair is a family name
    (family_prefix_scores) or a whole name (full_name_prefixes) and a post (is_post) that
    does not open with a person's name; the cut with the best total wins, a later name
    needs the dictionary's surname entry.

    Returns:
        The pairs, or None when no cut explains the run (it is a post alone).
    """
    n = len(text)
    best: list[tuple[float, list] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for i in range(n):
        if best[i] is None:
            continue
        need = first_threshold if i == 0 else DEFAULT_GLUED_NEXT_SCORE
        family = family_prefix_scores(text[i:])
        names = {k: (score, PersonName(text[i:i + k], "")) for k, score in family.items() if score >= need}
        for k, name in full_name_prefixes(text[i:]).items():
            score = family.get(len(name.family), need) + DEFAULT_GIVEN_BONUS
            if score > names.get(k, (-99.0,))[0]:
                names[k] = (score, name)
        for k, (score, name) in names.items():
            for j in range(i + k + 1, n + 1):
                post = text[i + k:j]
                if not is_post(post, v):
                    continue
                total = best[i][0] + score - DEFAULT_GLUED_CUT_COST + (0.5 if post in v.post_words else 0.0)
                if starts_with_person_name(post):
                    total -= DEFAULT_NAME_IN_POST_COST  # 遠藤|久夫会長: a post does not open with a name
                if best[j] is None or total > best[j][0]:
                    best[j] = (total, [*best[i][1], (name, post)])
    return best[n][1] if best[n] else None


def _splits_glued(word: str, v: Vocabulary) -> bool:
    """Does ``word`` read as a known surname glued to a post (a vote for name-first)?"""
    scores = family_prefix_scores(word)
    return any(s >= DEFAULT_GLUED_VOTE_SCORE and is_post(word[k:], v) for k, s in scores.items())


def entries_to_mode(entries: list[Entry], v: Vocabulary) -> str:
    """``post_first`` (委員長 山田 太郎) or ``name_first`` (山田委員長, 山田 太郎 委員長), by vote.

    A post followed by a name votes post-first; a post after a name or at an entry's
    end that splits into a known surname and a post votes name-first. Ties read
    post-first, the commoner layout.
    """
    pf = nf = 0
    for e in entries:
        words = [w for w, _ in e.words]
        for i, w in enumerate(words):
            if not is_post(w, v):
                continue
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is not None and not is_post(nxt, v):
                pf += 1
            elif (i > 0 and not is_post(words[i - 1], v)) or _splits_glued(w, v):
                nf += 1
    return "name_first" if nf > pf else "post_first"


def _join_wraps(e: Entry, mode: str, v: Vocabulary) -> list[tuple[str, int]]:
    """The entry's words with the words around a wrap joined where they are one word."""
    words = list(e.words)
    for i in sorted(e.wraps, reverse=True):
        (a, ra), (b, _) = words[i - 1], words[i]
        if is_post(a, v):
            continue  # 教育長 | 滝 誠: the line ended after a whole post
        if mode == "post_first" and is_post(b, v) and not (i == 1 and is_post(a + b, v)):
            continue  # a name, then the next post
        words[i - 1:i + 1] = [(a + b, ra)]
    return words


def _join_spread_lead_post(words: list[tuple[str, int]], v: Vocabulary) -> list[tuple[str, int]]:
    """A post spread over its characters at an entry's start (企 画 調 整 課 長 金 井 薫 平,
    まちづくり 課 長 森 沢 亜 土) made one word, where the names after it read better so.

    The run is single characters, or one word and single characters; it must end like a
    post, and the pieces after it must make better names than the whole run does.
    """
    n = len(words)
    if n < 3 or sum(len(w) == 1 for w, _ in words[:3]) < 2:
        return words
    best, best_score = None, pieces_to_names_scored([w for w, _ in words])[0]
    for j in range(2, min(n, 14) + 1):
        run = "".join(w for w, _ in words[:j])
        if any(len(w) > 1 for w, _ in words[1:j]):
            continue
        # 会 計 管 理 者 兼 (高 橋 弥 一): a post going on to another after the name
        if not is_post(run, v):
            continue
        rest = [w for w, _ in words[j:]]
        score = pieces_to_names_scored(rest)[0] + DEFAULT_SPREAD_POST_BONUS
        if score > best_score:
            best, best_score = j, score
    if best is None:
        return words
    return [("".join(w for w, _ in words[:best]), words[0][1]), *words[best:]]


def _join_spread_post(words: list[tuple[str, int]], v: Vocabulary) -> list[tuple[str, int]]:
    """Posts spread over single characters (委 員, 副 会 長) made one word, wherever they stand
    (two columns of ``post name`` pairs share a line)."""
    words = _join_spread_lead_post(words, v)
    out, i = [], 0
    while i < len(words):
        for size in (4, 3, 2):
            head = words[i:i + size]
            if len(head) == size and all(len(w) == 1 for w, _ in head) and "".join(w for w, _ in head) in v.post_words:
                out.append(("".join(w for w, _ in head), head[0][1]))
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _names_of(words: list[tuple[str, int]], one: bool, v: Vocabulary | None = None,
              family_style: bool = False) -> list[tuple[PersonName, str, int]]:
    """Names in a run of name pieces: (name, as printed, line index).

    With ``family_style`` (a list of family names glued to posts), a name printed in one
    piece is split only where the dictionary knows both halves (くり林 stays whole).
    """
    pieces = [w for w, _ in words]
    if not pieces:
        return []
    hon = next((h for h in (v.honorifics if v else ()) if pieces[-1].endswith(h) and len(pieces[-1]) > len(h)), None)
    if hon and (len(pieces) > 1 or len(pieces[-1]) > len(hon) + 1):
        pieces[-1] = pieces[-1][: -len(hon)]  # 相川 博君: 君 printed against a one-character name
    if one:
        name, score = pieces_to_name(pieces)
        if family_style and len(pieces) == 1 and name.given and score < DEFAULT_STRONG_SPLIT:
            name = PersonName(pieces[0], "")
        return [(name, " ".join(pieces), words[0][1])] if score > -10 else []
    out = []
    for start, end, name in pieces_to_names(pieces):
        text = "".join(pieces[start:end])
        if len(text) < 2 or not is_name_text(text):
            continue
        if family_style and end - start == 1 and name.given and pieces_to_name([text])[1] < DEFAULT_STRONG_SPLIT:
            name = PersonName(text, "")
        out.append((name, " ".join(pieces[start:end]), words[start][1]))
    return out


def _paren_kind(text: str, v: Vocabulary) -> str:
    inner = _compact(text[1:-1])
    if not inner:
        return "note"
    posted = (is_post(inner, v, orgs=False) or is_role(inner, v)) and not re.search(r"\d", inner)
    if any(w in inner for w in v.proxy_words) and not posted:
        return "proxy"  # not （教育長職務代理者）, a post that holds 代理
    if _KANA_ONLY.match(inner):
        return "reading"
    if posted and not any(w in inner for w in (*v.absent_notes, *v.attendance_notes)):
        return "affiliation"  # （公募委員）, （会長）: a post, though 公募 alone is a note
    if any(w in inner for w in v.note_words):
        return "note"
    return "affiliation"


def _holds_post(inner: str, v: Vocabulary) -> bool:
    """Does a bracket's text name a post: itself, or the bracket inside it
    (千草県市長会（汐見市環境部長）: the body and the post held there)?"""
    if is_post(inner, v) or is_role(inner, v):
        return True
    return any(is_post(_compact(m.group(1)), v) for m in re.finditer(r"[(（]([^()（）]+)[)）]", inner))


_SURNAME_ROLE = "姓"
_EACH = re.compile(r"^(?P<name>.+?)の?各(?P<post>.+)$")


def split_post_prefix(word: str, v: Vocabulary) -> tuple[str, str] | None:
    """A post printed glued before a family name (委員長野村 有信君 → 委員長, 野村), or None.

    The rest must be a family name the dictionary knows; a post ending like a post
    (財務局長|谷川) is preferred to one ending like an organization (財務局|長谷川).
    """
    best = None
    for k in range(len(word) - 1, 1, -1):
        head, rest = word[:k], word[k:]
        if not is_post(head, v) or not is_name_text(rest):
            continue
        known = _SURNAME_ROLE in name_roles(rest) or max(family_prefix_scores(rest).values(), default=-9) \
            >= DEFAULT_GLUED_NEXT_SCORE
        if not known:
            continue
        proper = any(head.endswith(x) for x in v.post_suffixes) or head in v.post_words
        key = (proper, -len(rest))
        if best is None or key > best[0]:
            best = (key, (head, rest))
    return best[1] if best else None


def _given_before_post(word: str, v: Vocabulary) -> tuple[str, str] | None:
    """A given name glued before a post word (たかし委員長 → たかし, 委員長), or None."""
    for post in sorted(v.post_words, key=len, reverse=True):
        head = word[: -len(post)]
        if word.endswith(post) and head and is_name_text(head):
            kana = re.fullmatch(r"[\u3041-\u309f\u30a0-\u30ff]{2,5}", head)
            return (head, post) if kana or "名" in name_roles(head) else None
    return None


@dataclass
class _Carry:
    """The post in force for names printed without one.

    A post that stood alone (a post line, ``委員:``) heads every name below it; one
    printed with its own name carries on only along its line (``政策室…担当 馬場麻衣子、
    池田直子``), and past it only where the list heading gives no post of its own
    (under 出席委員, a name alone on a new line is a 委員, not the 理事 above it).
    """

    post: str | None = None
    label: bool = False
    line: int = -1

    def post_for(self, ref: int, default: str | None) -> str | None:
        if self.post and (self.label or self.line == ref or default is None):
            return self.post
        return default or self.post


def entries_to_people(entries: list[Entry], lst: AttendeeList, v: Vocabulary) -> list[Person]:
    """The people of one list, reading each entry in the list's mode.

    Posts carry on to the names after them (see _Carry); a ditto mark takes the post
    of the row above; a list heading that ends with a post (出席議員) gives its rows
    that post when nothing else does; ``…保坂の各委員`` gives its post to the names
    before it; a bracket after a name gives its post (``山田太郎（会長）``), or an
    affiliation where no post is in force.
    """
    mode = entries_to_mode(entries, v)
    default = next((w for w in sorted(v.post_words, key=len, reverse=True)
                    if lst.side and lst.side.endswith(w)), None)
    people: list[Person] = []
    explicit: list[bool] = []  # per person: the post was printed for them
    carry = _Carry()
    joined_post: str | None = None

    def add(post: str | None, name: PersonName, text: str, ref: int, own: bool) -> None:
        people.append(Person(post, name, text, ref))
        explicit.append(own)

    def names(run: list[tuple[str, int]], post: str | None, one: bool) -> None:
        for name, text, ref in _names_of(run, one, v, family_style=mode == "name_first"):
            if not could_be_name(name.family + name.given, v):
                continue  # 委員長署名, 参集者6名, 学識経験者, 健康福祉部, 御意見として承る: no one's name
            add(post or carry.post_for(ref, default), name, text, ref, post is not None)

    for e in entries:
        words = _join_spread_post(_join_wraps(e, mode, v), v)
        if e.closed_by == "colon" and not any(is_post(w, v) for w, _ in words):
            continue  # 学識経験者: a group's label, not a name
        if "".join(w for w, _ in words) in v.none_words:
            continue  # な し
        before = len(people)
        ditto = (people[-1].post if people else None) if e.ditto else None
        if mode == "post_first":
            split = []
            for w, ref in words:
                pre = None if is_post(w, v) else split_post_prefix(w, v)
                split += [(pre[0], ref), (pre[1], ref)] if pre else [(w, ref)]
            post, run, groups = ditto, [], []
            if joined_post and split and is_post(split[0][0], v):
                split[0] = (joined_post + "、" + split[0][0], split[0][1])  # 推進部長、…担当部長 石井 大輔
            joined_post = None
            for w, ref in split:
                if is_post(w, v) or is_role(w, v):
                    groups.append((post, run, ref))
                    post, run = w, []
                else:
                    run.append((w, ref))
            groups.append((post, run, split[-1][1] if split else -1))
            for g_post, run, ref in groups:
                if g_post is None and not run:
                    continue
                if g_post is not None and not run:
                    if people and people[-1].post and _ends_concurrent(people[-1].post, v):
                        people[-1].post += g_post  # 会計管理者兼 高橋弥一 / 会計課長
                        continue
                    if e.closed_by == "sep" and sum(1 for g in groups if g[0] or g[1]) == 1:
                        joined_post = g_post  # one of two posts held together, the name after the second
                        continue
                    carry = _Carry(g_post, label=True, line=ref)  # a post line: it heads the names below
                    continue
                if g_post is not None:
                    carry = _Carry(g_post, label=False, line=run[0][1])
                names(run, g_post, e.closed_by == "hon")
        else:
            pending: list[tuple[str, int]] = []
            since = len(people)
            for w, ref in words:
                each = _EACH.match(w)
                if each and is_post(each.group("post"), v):
                    names(pending + [(each.group("name"), ref)], None, True)
                    pending = []
                    for k in range(since, len(people)):
                        if not explicit[k]:
                            people[k].post, explicit[k] = each.group("post"), True
                    continue
                if not is_post(w, v):
                    pending.append((w, ref))
                    continue
                if pending:
                    tail = _given_before_post(w, v)
                    if tail:  # 日野 たかし委員長: the given name printed against the post
                        pending.append((tail[0], ref))
                        w = tail[1]
                    names(pending, w, True)
                    pending = []
                    since = len(people)
                    continue
                pairs = glued_to_pairs(w, v)
                if pairs:
                    for name, post in pairs:
                        add(post, name, name.family + name.given, ref, True)
                    since = len(people)
                else:
                    carry = _Carry(w, label=True, line=ref)
            names(pending, ditto, e.closed_by == "hon")
        for paren in e.parens:
            kind = _paren_kind(paren, v)
            if kind == "proxy" and len(people) > before:
                people[-1].proxy_note = paren
            elif kind == "note" and len(people) > before and _compact(paren[1:-1]).startswith(v.absent_notes or ("\0",)):
                # 山田太郎（欠席）; not (後藤副委員長は欠席), a note on someone else
                people[-1].absent = True
            elif kind == "affiliation" and len(people) - before == 1 and not explicit[-1]:
                inner = _compact(paren[1:-1])
                # 山田太郎（会長）: a post in the bracket is the row's; an affiliation only where
                # nothing else gives one (参集者: 金子勝一 (山梨学院大学教授))
                if _holds_post(inner, v) or not people[-1].post:
                    people[-1].post = inner
    return people
