"""The format-neutral intermediate representation (IR) of one document.

Extraction writes it once per document to ``extracted/<doc_id>/ir.json``; every
parser reads only this, so a re-parse never re-opens the PDF, and a page that came
from OCR looks like any other page to the parsers.

Text in the IR is exactly as the text layer (or OCR) gave it: no normalization,
so that a parser can still see the raw form (``name_text``) and the repair of
Kangxi code points stays in one place (pipeline.normalize).
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Bump when the shape of the IR or what extraction puts in it changes; an IR file
#: of another version is re-extracted rather than trusted.
IR_VERSION = 5  # 5: OCR confidences (Line.confidence, Table.cell_confidences)

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


@dataclass(frozen=True)
class Line:
    """One visual text line.

    ``confidence`` is the recognizer's (0–1) for a line read by OCR, None for the text layer.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float | None = None


@dataclass(frozen=True)
class Table:
    """One ruled table as found on a page.

    ``rows`` hold cell texts with the visual line breaks of wrapped text; a cell
    covered by a merged cell above or to the left is ``None``. ``cell_confidences``
    (same shape as ``rows``) holds the recognizer's confidence (0–1) of each cell of a
    table read by OCR; it is empty for a table of the text layer.
    """

    bbox: BBox
    rows: list[list[str | None]]
    cell_bboxes: list[list[BBox | None]] = field(default_factory=list)
    cell_confidences: list[list[float | None]] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    text: str
    lines: list[Line]
    tables: list[Table]
    has_text_layer: bool
    source: str = "text"  # "text" (the PDF's text layer) or "ocr"
    n_images: int = 0  # images drawn on the page: a page without text but with an image is a scan

    @property
    def needs_ocr(self) -> bool:
        """No text layer, but something drawn: a scanned page, not a blank one."""
        return not self.has_text_layer and self.n_images > 0 and self.source != "ocr"


@dataclass(frozen=True)
class Document:
    doc_id: str
    source_path: str
    sha256: str
    page_count: int
    pages: list[Page]
    metadata: dict = field(default_factory=dict)
    #: what extraction could not do: (page, reason); page None for the whole file
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    ir_version: int = IR_VERSION


def document_to_json(doc: Document) -> str:
    return json.dumps(asdict(doc), ensure_ascii=False, separators=(",", ":"))


def json_to_document(text: str) -> Document:
    raw = json.loads(text)
    pages = [
        Page(
            number=p["number"],
            width=p["width"],
            height=p["height"],
            text=p["text"],
            lines=[Line(**ln) for ln in p["lines"]],
            tables=[
                Table(
                    bbox=tuple(t["bbox"]),
                    rows=t["rows"],
                    cell_bboxes=[[tuple(b) if b else None for b in r] for r in t["cell_bboxes"]],
                    cell_confidences=t.get("cell_confidences", []),
                )
                for t in p["tables"]
            ],
            has_text_layer=p["has_text_layer"],
            source=p.get("source", "text"),
            n_images=p.get("n_images", 0),
        )
        for p in raw["pages"]
    ]
    return Document(
        doc_id=raw["doc_id"],
        source_path=raw["source_path"],
        sha256=raw["sha256"],
        page_count=raw["page_count"],
        pages=pages,
        metadata=raw.get("metadata", {}),
        problems=[tuple(p) for p in raw.get("problems", [])],
        ir_version=raw.get("ir_version", 0),
    )


def ir_path(extracted_dir: Path, doc_id: str) -> Path:
    return Path(extracted_dir) / doc_id / "ir.json"


def write_document(doc: Document, extracted_dir: Path) -> Path:
    """Write the IR atomically: a reader (or a killed run) never sees half a file."""
    path = ir_path(extracted_dir, doc.doc_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ir-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(document_to_json(doc))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_document(extracted_dir: Path, doc_id: str, sha256: str | None = None) -> Document | None:
    """The stored IR, or None when absent, unreadable, stale or of another version."""
    path = ir_path(extracted_dir, doc_id)
    try:
        doc = json_to_document(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if doc.ir_version != IR_VERSION or (sha256 and doc.sha256 != sha256):
        return None
    return doc
