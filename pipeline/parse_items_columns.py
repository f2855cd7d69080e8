"""What the columns of an item table mean, read from their header words.

Packets of the genre print the same kinds of item tables in any column order and
wording: a list of the year's items (連携テーマ | 区分 | 提案団体 | 担当部局), the WG
meetings (連携項目名 | 担当部局 | WG開催状況, or one row per meeting: 開催日 | 連携テーマ
| 会議名 | 開催形式), and results (項目 | 令和6年度の取組実績 | 今後の方向性). A header
cell is classified by the profile's ``[items]`` vocabulary (``<role>_columns``): the
first role, in ``ROLE_ORDER``, one of whose words the cell holds (spaces, a trailing
bracket note and the spelling of 取り組み ignored), a cell equal to a word winning over
one that only holds it. A header may span two rows (a merged group cell over its
sub-columns, 提案・担当 over 提案団体 | 担当部局): the lower cell names the column, the
group cell only where the lower one says nothing.

Columns no role claims are the table's ``extra`` columns: the parsers ignore them and
say so in a warning, never silently.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from pipeline.ir import Table
from pipeline.parse_items_text import cell_to_text
from pipeline.profile import Profile, default_profile

#: Roles in the order a header cell is tested against them: the more specific first
#: (開催状況 is a WG date column before 状況 makes it a results one).
ROLE_ORDER = ("number", "sub", "wg_dates", "meeting", "format", "proposers", "targets", "departments",
              "results", "plans", "item", "topic", "status", "section", "reason", "note")
#: A header cell longer than this (characters without spaces) is text, not a column name.
DEFAULT_HEADER_CHARS = 40
#: A second header row holds short names only.
DEFAULT_SUBHEADER_CHARS = 14
#: A status cell holds at most this many characters (新規（R6～）, 令和6年度で終了).
DEFAULT_STATUS_CHARS = 12

#: A header's note in brackets (連携項目名（提案市町村）); a scan may lose its closing bracket.
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*(?:[)）]\s*)?$")
_TORIKUMI = re.compile(r"取り?組み?")
#: A year column of a list table: a year and nothing else, but for (案): R4, R5 (案), 令和5年度.
_PROPOSAL_MARK = re.compile(r"[（(]\s*案\s*[)）]")
_YEAR_LABEL = re.compile(r"^\S{0,3}(?:\d{1,4}|元)(?:年度)?$")


@dataclass(frozen=True)
class Header:
    """The column roles of one table, from its header row(s).

    Attributes:
        rows: how many rows the header takes (1 or 2).
        texts: each column's header text (group and sub-column joined).
        roles: column → role (a column in no role is absent).
        years: column → fiscal year, for the year columns of a list table.
        extra: header texts of the columns no role claims.
    """

    rows: int
    texts: tuple[str, ...]
    roles: dict[int, str] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)
    extra: tuple[str, ...] = ()

    def col(self, role: str) -> int | None:
        """The first column of ``role``, or None."""
        return next((c for c, r in sorted(self.roles.items()) if r == role), None)

    def cols(self, role: str) -> list[int]:
        return [c for c, r in sorted(self.roles.items()) if r == role]

    def has(self, *roles: str) -> bool:
        return any(r in self.roles.values() for r in roles)


@lru_cache(maxsize=8)
def _vocabulary(profile: Profile) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((role, tuple(_key(w) for w in profile.words("items", f"{role}_columns"))) for role in ROLE_ORDER)


def _key(text: str) -> str:
    """A header text as it is matched: no spaces, no trailing note, 取り組み spelled 取組."""
    t = re.sub(r"\s+", "", text)
    t = _TRAILING_NOTE.sub("", t) if _TRAILING_NOTE.sub("", t) else t
    return _TORIKUMI.sub("取組", t)


def text_to_role(text: str, profile: Profile) -> str | None:
    """The role a header text names, or None."""
    key = _key(text)
    if not key or len(key) > DEFAULT_HEADER_CHARS:
        return None
    vocab = _vocabulary(profile)
    for role, words in vocab:
        if key in words:
            return role
    for role, words in vocab:
        if any(w and w in key for w in words):
            return role
    # a scan's header with one kanji misread (環目 for 項目) that makes no word of its own, or
    # holding a name of four or more characters so misread (MG開催炎況 holds 開催状況)
    from pipeline.ocr_lexicon import one_kanji_apart, text_is_word

    for role, words in vocab:
        if any(len(w) >= 2 and one_kanji_apart(w, key) for w in words) and not text_is_word(key):
            return role
    for role, words in vocab:
        for w in (w for w in words if len(w) >= 4):
            if any(one_kanji_apart(w, piece) and not text_is_word(piece)
                   for piece in (key[i:i + len(w)] for i in range(len(key) - len(w) + 1))):
                return role
    return None


def text_to_year(text: str) -> int | None:
    """The fiscal year a year column's header names (R5 (案) → 2023), or None."""
    from pipeline.parse_items_stream import text_to_fiscal_year

    label = _PROPOSAL_MARK.sub("", text).replace(" ", "")
    if not _YEAR_LABEL.match(label):
        return None
    return text_to_fiscal_year(label if label.endswith("年度") else label + "年度")


def _row_texts(row: list[str | None], width: int) -> list[str | None]:
    """Cell texts of a row, a merged cell's text carried right over the cells it covers."""
    out: list[str | None] = []
    for c in range(width):
        raw = row[c] if c < len(row) else None
        out.append(cell_to_text(raw) if raw is not None else None)
    return out


def _is_subheader(row: list[str | None], profile: Profile) -> bool:
    """Whether a table's second row is the lower half of its header (提案団体 | 担当部局 under 提案・担当)."""
    named = [t for t in (cell_to_text(c) for c in row if c is not None) if t]
    return bool(named) and all(len(t.replace(" ", "")) <= DEFAULT_SUBHEADER_CHARS and text_to_role(t, profile)
                               for t in named)


def table_to_header(table: Table, profile: Profile | None = None) -> Header | None:
    """The column roles of a table from its first row (and its second, where it is the
    lower half of a two-row header), or None for a table with no rows."""
    if not table.rows:
        return None
    profile = profile or default_profile()
    width = table.n_cols
    top = _row_texts(table.rows[0], width)
    # a group cell spans to the right: carry its text over the cells it covers
    group: list[str] = []
    for t in top:
        group.append(t if t is not None else (group[-1] if group else ""))
    n_rows = 1
    lower: list[str | None] = [None] * width
    if len(table.rows) > 1 and (None in table.rows[0] or None in table.rows[1]) and _is_subheader(table.rows[1], profile):
        n_rows = 2
        lower = _row_texts(table.rows[1], width)
    texts, roles, years, extra = [], {}, {}, []
    for c in range(width):
        g, s = group[c] or "", lower[c] or ""
        text = s if s else g
        texts.append(f"{g} {s}".strip() if s and g and g != s else text)
        role = text_to_role(s, profile) if s else None
        role = role or text_to_role(g, profile)
        year = text_to_year(text) if role is None and text else None
        if role is not None:
            roles[c] = role
        elif year is not None:
            years[c] = year
        elif text:
            extra.append(text)
    return Header(n_rows, tuple(texts), roles, years, tuple(extra))


def body_rows(table: Table, header: Header | None, has_header: bool = True) -> list[list[str | None]]:
    """The rows under the header (all rows of a continuation without one)."""
    if not has_header or header is None:
        return table.rows
    return table.rows[header.rows:]


def column_holds_status(table: Table, col: int, header: Header, profile: Profile) -> bool:
    """Whether a 区分 column holds status words (新規 / 継続 / 終了) rather than group names."""
    words = profile.words("items", "status_words")
    cells = [cell_to_text(r[col]).replace(" ", "") for r in body_rows(table, header) if col < len(r) and r[col]]
    cells = [c for c in cells if c]
    return bool(cells) and all(len(c) <= DEFAULT_STATUS_CHARS and text_is_status(c, words) for c in cells)


_STATUS_NOTE = re.compile(r"[(（][^()（）]*[)）]")
_STATUS_YEAR = re.compile(r"^(?:令和|平成|R|H)?\d*年?度?(?:で|から|より|の)?")
_STATUS_NOUN = re.compile(r"(?:項目|テーマ|事業|予定|見込み?)$")


def text_is_status(text: str, words: tuple[str, ...]) -> bool:
    """Whether a cell is a status (継続, R6終了, 新規(R6～), 令和6年度で終了, 協議継続), not a
    sentence or a plan that mentions one (各団体の通常業務として継続, 継続する)."""
    rest = _STATUS_NOUN.sub("", _STATUS_YEAR.sub("", _STATUS_NOTE.sub("", text.replace(" ", ""))))
    return any(rest == w or (rest.endswith(w) and len(rest) <= len(w) + 2) for w in words)
