"""Generic parsers every profile runs: the text of each page and every table cell.

They need nothing of the genre, so a document that fits no profile still gives
an analyst its pages and tables to search.
"""
from __future__ import annotations

from pipeline.ir import Document
from pipeline.normalize import normalize_text
from pipeline.registry import register
from pipeline.rows import Context, ParseResult


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
                    box = table.cell_bboxes[r_no - 1][c_no - 1] if r_no - 1 < len(table.cell_bboxes) \
                        and c_no - 1 < len(table.cell_bboxes[r_no - 1]) else None
                    rows.append({"page": p.number, "table_no": t_no, "row_no": r_no, "col_no": c_no,
                                 "text": None if cell is None else normalize_text(cell),
                                 **({"x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3]} if box else {})})
    return rows


@register("pages", tables=("pages",))
def pages_parser(doc: Document, ctx: Context) -> ParseResult:
    """One ``pages`` row per page: normalized text, character count, where the text came from."""
    res = ParseResult()
    res.add("pages", document_to_pages(doc))
    return res


@register("raw_tables", tables=("raw_tables",))
def raw_tables_parser(doc: Document, ctx: Context) -> ParseResult:
    """One ``raw_tables`` row per cell of every ruled table, with the cell's box."""
    res = ParseResult()
    res.add("raw_tables", document_to_raw_tables(doc))
    return res
