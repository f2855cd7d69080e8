"""Page layout shared by the parsers: running headers and footers, tables cut by a page end,
and lines wrapped by the print.

Packets print page numbers (``- 3 -``, ``3 / 12``) and the material label (資料3) on
every page, and let long tables run on to the next page with or without their header;
every parser must see through both the same way.
"""
from __future__ import annotations

import regex as re

from pipeline.ir import Page, Table
from pipeline.normalize import normalize_text

#: A continuation table's outer edges line up with the cut table's within this (pt).
DEFAULT_CONTINUATION_TOLERANCE = 4.0

_PAGE_NUMBER = re.compile(r"^[-－—‐\s]*\d{1,3}[-－—‐\s]*$|^\d{1,3}\s*/\s*\d{1,3}$")
_RUNNING_HEADER = re.compile(r"[-－—‐\s\d/]*|(?:参考)?資料\s*\d+(?:\s*[-－‐]\s*\d+)?")


#: ASCII words next to a wrap: the print swallowed the space it broke at.
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")
#: A line opening with one of these starts a new sub-point, not a wrapped continuation.
_SUB_POINT = re.compile(r"^[①-⑳※・●○◎■□◆◇▶▷⇒→]")


def join_pair(head: str, tail: str, tight: bool = False) -> str:
    """Join a wrapped line to its continuation.

    Japanese wraps inside words, so no space is added, except between two ASCII
    words, where the print swallowed the space it broke at.

    Args:
        head, tail: the line and its continuation (normalized).
        tight: the wrap fell next to a full-width glyph: never a space.
    """
    if not head:
        return tail
    if not tail:
        return head
    if not tight and _ASCII_WORD_END.search(head) and _ASCII_WORD_START.search(tail):
        return f"{head} {tail}"
    return head + tail


def join_lines(parts: list[str], tight: list[bool] | None = None) -> str:
    """Undo the visual wraps of a block of lines; a new sub-point (・ ① ※ …) stays apart with a space.

    ``tight`` (one flag a part) marks the parts that follow a wrap next to a full-width glyph,
    joined with nothing between (join_pair).
    """
    out = ""
    for k, part in enumerate(p.strip() for p in parts):
        if not part:
            continue
        out = out + " " + part if out and _SUB_POINT.match(part) else join_pair(out, part, bool(tight and tight[k]))
    return out


def starts_sub_point(text: str) -> bool:
    """Does a line open a new sub-point (a bullet, a circled number, ※)?"""
    return bool(_SUB_POINT.match(text))


def is_page_number(text: str) -> bool:
    """A page number printed as a header or footer (``- 1 -``, ``1 / 3``)."""
    return bool(_PAGE_NUMBER.match(text))


def is_running_header(text: str) -> bool:
    """A page number, or the material label (資料3) printed at the top of each of its pages."""
    return bool(_RUNNING_HEADER.fullmatch(text.strip()))


def tables_line_up(prev: Table, table: Table, tolerance: float = DEFAULT_CONTINUATION_TOLERANCE) -> bool:
    """Whether ``table`` has the columns of ``prev`` (same count, same outer edges)."""
    return edges_line_up(prev.bbox[0], prev.bbox[2], table, tolerance) and prev.n_cols == table.n_cols


def edges_line_up(x0: float, x1: float, table: Table, tolerance: float = DEFAULT_CONTINUATION_TOLERANCE) -> bool:
    return abs(table.bbox[0] - x0) <= tolerance and abs(table.bbox[2] - x1) <= tolerance


def table_continues(page: Page, table: Table, x0: float, x1: float, n_cols: int) -> bool:
    """Is ``table`` the rest of a table cut by the previous page's end?

    It opens the page with nothing but running headers above it, and has the cut
    table's number of columns and left and right edges.
    """
    if not page.tables or page.tables[0] is not table or table.n_cols != n_cols:
        return False
    if not edges_line_up(x0, x1, table):
        return False
    above = [ln for ln in page.lines if ln.bottom <= table.bbox[1] + 1]
    return all(is_running_header(normalize_text(ln.text)) for ln in above)
