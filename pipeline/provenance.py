"""Provenance: where on which page a row's value was printed.

Every fact row carries ``page`` and the box ``x0, top, x1, bottom`` (PDF points from
the page's top-left corner, pdfplumber's names) of the line or cell it came from,
and ``boxes`` — one per line or cell — where a value was joined from several
lines or pages. Parsers build these columns with :func:`boxes_to_columns` so that
every table spells them the same way.
"""
from __future__ import annotations

from typing import Iterable

from pipeline.ir import BBox, Line

Box = tuple[int, BBox]  # (page number, (x0, top, x1, bottom))


def line_to_box(page: int, line: Line) -> Box:
    return page, (line.x0, line.top, line.x1, line.bottom)


def boxes_to_columns(boxes: Iterable[Box | None]) -> dict:
    """The provenance columns of a row from the boxes of what it was read from.

    The row's ``page`` and box are those of its first box, grown to cover the other
    boxes on the same page; ``boxes`` lists every box when there is more than one.
    An empty list gives no columns (the row keeps whatever page it has).
    """
    found = [b for b in boxes if b is not None]
    if not found:
        return {}
    page = found[0][0]
    same = [bb for p, bb in found if p == page]
    out = {
        "page": page,
        "x0": round(min(b[0] for b in same), 2), "top": round(min(b[1] for b in same), 2),
        "x1": round(max(b[2] for b in same), 2), "bottom": round(max(b[3] for b in same), 2),
    }
    if len(found) > 1:
        out["boxes"] = [{"page": p, "x0": round(b[0], 2), "top": round(b[1], 2), "x1": round(b[2], 2),
                         "bottom": round(b[3], 2)} for p, b in found]
    return out
