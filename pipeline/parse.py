"""Parse: the IR of one document to warehouse rows, by running each parser in turn.

Each parser is a pure function of the IR; one that fails costs only its own
tables (a warning names it), never the rest of the document.
"""
from __future__ import annotations

import traceback
from typing import Callable

from pipeline import parse_attendees, parse_cover, parse_items, parse_kpis, parse_schedule
from pipeline.ir import Document
from pipeline.normalize import normalize_text
from pipeline.rows import Meeting, ParseResult

Parser = Callable[[Document, Meeting], ParseResult]


def _parsers() -> list[tuple[str, Parser]]:
    """The parsers after the cover, in order."""
    return [
        ("parse_attendees", lambda doc, meeting: parse_attendees.document_to_attendees(doc)),
        ("parse_items", parse_items.document_to_items),
        ("parse_schedule", parse_schedule.document_to_schedule),
        ("parse_kpis", parse_kpis.document_to_kpis),
    ]


def document_to_pages(doc: Document) -> list[dict]:
    rows = []
    for p in doc.pages:
        text = normalize_text(p.text)
        rows.append({
            "page": p.number, "text": text, "char_count": len(text.replace(" ", "").replace("\n", "")),
            "has_text_layer": p.has_text_layer, "source": p.source if p.text else "none",
        })
    return rows


def document_to_raw_tables(doc: Document) -> list[dict]:
    rows = []
    for p in doc.pages:
        for t_no, table in enumerate(p.tables, 1):
            for r_no, cells in enumerate(table.rows, 1):
                for c_no, cell in enumerate(cells, 1):
                    rows.append({"page": p.number, "table_no": t_no, "row_no": r_no, "col_no": c_no,
                                 "text": None if cell is None else normalize_text(cell)})
    return rows


def document_to_rows(doc: Document) -> tuple[dict, ParseResult]:
    """All rows of one document.

    Returns:
        (the parsed documents fields, the ParseResult with every other table's rows).
    """
    res = ParseResult()
    res.add("pages", document_to_pages(doc))
    res.add("raw_tables", document_to_raw_tables(doc))
    try:
        cover, fields, meeting = parse_cover.document_to_cover(doc)
        res.merge(cover)
    except Exception as e:  # a parser bug must not cost the document
        fields, meeting = {}, Meeting()
        res.warn("parse_cover", None, f"parser failed: {type(e).__name__}: {e} | {_where(e)}")
    for name, parser in _parsers():
        try:
            res.merge(parser(doc, meeting))
        except Exception as e:
            res.warn(name, None, f"parser failed: {type(e).__name__}: {e} | {_where(e)}")
    for p in doc.pages:
        if p.needs_ocr:
            res.warn("extract", p.number, "page has no text layer (scanned?): its content is missing; "
                     "install tesseract (make ocr-deps) to OCR it")
        elif not p.has_text_layer and p.source != "ocr" and p.width > 0:
            res.warn("extract", p.number, "page has no text and no image: blank, or its content could "
                     "not be decoded")
    return fields, res


def _where(e: Exception) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    return f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
