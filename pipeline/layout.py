"""Page layout shared by the parsers: running headers and footers, tables cut by a page end.

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
