"""The document as one stream of text lines and tables in reading order.

The item parsers walk the packet front to back: a heading line sets context
(the item of a 連携事項名 page, the year of a 取り組み結果 heading, a 【section】)
for the tables under it, and a table cut by a page break continues at the top
of the next page. Lines inside a table's box are part of that table; they are
still in the stream (flagged) so that a table no parser recognizes keeps its
text visible as lines.
"""
from __future__ import annotations

from dataclasses import dataclass


from pipeline.ir import Document, Line, Table
from pipeline.normalize import normalize_text, parse_date

#: A line counts as inside a table's box with this slack (pt).
DEFAULT_BBOX_SLACK = 1.0



@dataclass(frozen=True)
class Event:
    """One line or one table of the stream."""

    page: int
    top: float
    text: str = ""  # normalized line text ('' for a table)
    line: Line | None = None
    table: Table | None = None
    table_id: int | None = None  # the table this event is, or whose box holds this line

    @property
    def is_table(self) -> bool:
        return self.table is not None

    @property
    def in_table(self) -> bool:
        return self.table is None and self.table_id is not None


def _inside(line: Line, bbox) -> bool:
    x0, top, x1, bottom = bbox
    s = DEFAULT_BBOX_SLACK
    return line.top >= top - s and line.bottom <= bottom + s and line.x0 < x1 and line.x1 > x0


def document_to_events(doc: Document) -> list[Event]:
    """Every line and table of the document, page by page, top to bottom."""
    events: list[Event] = []
    next_id = 0
    for page in doc.pages:
        ids = list(range(next_id, next_id + len(page.tables)))
        next_id += len(page.tables)
        evs = [Event(page.number, t.bbox[1], table=t, table_id=i) for t, i in zip(page.tables, ids)]
        for ln in page.lines:
            owner = next((i for t, i in zip(page.tables, ids) if _inside(ln, t.bbox)), None)
            evs.append(Event(page.number, ln.top, normalize_text(ln.text).strip(), line=ln, table_id=owner))
        # a table sorts before the lines inside it (same top: tables first)
        evs.sort(key=lambda e: (e.top, 0 if e.is_table else 1))
        events.extend(evs)
    return events


def text_to_fiscal_year(text: str) -> int | None:
    """The fiscal year (Western start year) a text names first (令和3年度 → 2021), or None.

    None too when the first date the text prints is not a fiscal year.
    """
    span = parse_date(text)
    return span.start.year if span is not None and span.precision == "fiscal_year" else None
