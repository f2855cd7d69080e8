"""Extract: a PDF file to the intermediate representation (pipeline.ir).

This is the only stage that opens PDFs. It reads each page once (text lines and
ruled tables from the same cached characters), closes the page straight after so
pdfplumber's per-page caches do not pile up, and skips layout analysis
(``laparams``), which doubles the cost and is not needed for lines and tables.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.ir import Document, Line, Page, Table

log = logging.getLogger(__name__)

DEFAULT_TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
DEFAULT_X_TOLERANCE = 3.0
DEFAULT_Y_TOLERANCE = 3.0
#: Pages with fewer characters than this count as having no usable text layer.
DEFAULT_MIN_TEXT_CHARS = 5


@dataclass(frozen=True)
class ExtractSettings:
    table_settings: dict = field(default_factory=lambda: dict(DEFAULT_TABLE_SETTINGS))
    x_tolerance: float = DEFAULT_X_TOLERANCE
    y_tolerance: float = DEFAULT_Y_TOLERANCE
    min_text_chars: int = DEFAULT_MIN_TEXT_CHARS
    ocr: bool = True  # OCR pages without a text layer when tesseract is installed


class ExtractError(Exception):
    """A file that cannot be read as a PDF; the message names the file (and page)."""

    def __init__(self, path: str, reason: str, page: int | None = None):
        self.path, self.reason, self.page = path, reason, page
        where = f"{path}, page {page}" if page else path
        super().__init__(f"{where}: {reason}")


@dataclass
class ExtractResult:
    document: Document
    library_warnings: Counter  # pdfminer/pdfplumber log messages, counted

    @property
    def page_errors(self) -> list[tuple[int, str]]:
        """(page, reason) for the pages that could not be read."""
        return [(p, r) for p, r in self.document.problems if p is not None]


class _CountingHandler(logging.Handler):
    """Collects library warnings so they are counted, not printed on the terminal."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        # pdfminer repeats font complaints once per glyph run: count by message head.
        self.counts[msg[:120]] += 1


def sniff_pdf(path: Path, name: str | None = None) -> None:
    """Refuse early, with a clear reason, what is plainly not a PDF.

    Args:
        path: the file.
        name: how messages name it (the path relative to raw/); ``path`` when None.
    """
    name = name or str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as e:
        raise ExtractError(name, f"cannot read file ({e.strerror})") from e
    if size == 0:
        raise ExtractError(name, "empty file (0 bytes)")
    if b"%PDF-" not in head:
        start = head[:20].decode("latin-1", "replace").strip()
        raise ExtractError(name, f"not a PDF (file starts with {start!r})")


def _root_cause(e: BaseException) -> BaseException:
    # pdfplumber wraps pdfminer's exceptions; the wrapped one says what is wrong.
    while e.args and isinstance(e.args[0], BaseException):
        e = e.args[0]
    return e


def _page_count(pdf) -> int:
    return len(pdf.pages)


def _close_quietly(pdf) -> None:
    # pdfplumber's close() walks the pages again: on a malformed tree it raises anew
    try:
        pdf.close()
    except Exception:
        pass


def open_pdf(path: Path, rel_path: str, *, force_repair: bool = False):
    """Open with pdfplumber; rebuild a broken file with PDFium if need be.

    Args:
        path: the file.
        rel_path: how messages name it.
        force_repair: go straight to PDFium's rewrite (pdfplumber opened the file but
            could not build its pages).

    Returns:
        (the open pdfplumber PDF, whether it had to be repaired).

    Raises:
        ExtractError: encrypted with a user password, or beyond repair.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    first_error = "malformed page tree"
    if not force_repair:
        try:
            return pdfplumber.open(path, password=""), False
        except MemoryError:
            raise  # the worker reports the memory limit
        except Exception as e:  # pdfminer raises many types on damaged files
            cause = _root_cause(e)
            if isinstance(cause, MemoryError):
                raise cause from e
            if isinstance(cause, PDFPasswordIncorrect):
                raise ExtractError(rel_path, "encrypted PDF: a password is required to open it") from e
            first_error = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return _open_repaired(path, rel_path, first_error), True


def _open_repaired(path: Path, rel_path: str, first_error: str):
    """The file rewritten by PDFium, opened with pdfplumber.

    PDFium rebuilds what pdfminer's repair cannot (a lost xref stream, a malformed
    page box), and it is already installed with pdfplumber.
    """
    import io

    import pdfplumber
    import pypdfium2

    try:
        src = pypdfium2.PdfDocument(str(path))
        buf = io.BytesIO()
        try:
            src.save(buf)
        finally:
            src.close()
        return pdfplumber.open(io.BytesIO(buf.getvalue()))
    except MemoryError:
        raise
    except Exception as e:
        raise ExtractError(rel_path, f"cannot open PDF ({first_error})") from e


def page_to_ir(page, settings: ExtractSettings) -> Page:
    """One pdfplumber page to an IR page: text lines and tables with cell boxes."""
    lines = [
        Line(ln["text"], round(ln["x0"], 2), round(ln["top"], 2), round(ln["x1"], 2), round(ln["bottom"], 2))
        for ln in page.extract_text_lines(
            strip=True, return_chars=False, x_tolerance=settings.x_tolerance, y_tolerance=settings.y_tolerance
        )
        if ln["text"].strip()
    ]
    tables = []
    for t in page.find_tables(settings.table_settings):
        rows = t.extract(x_tolerance=settings.x_tolerance, y_tolerance=settings.y_tolerance)
        if not rows:
            continue
        boxes = [[tuple(round(v, 2) for v in c) if c else None for c in r.cells] for r in t.rows]
        tables.append(Table(tuple(round(v, 2) for v in t.bbox), rows, boxes))
    n_chars = sum(len(ln.text.replace(" ", "")) for ln in lines)
    return Page(
        number=page.page_number,
        width=round(float(page.width), 2),
        height=round(float(page.height), 2),
        text="\n".join(ln.text for ln in lines),
        lines=lines,
        tables=tables,
        has_text_layer=n_chars >= settings.min_text_chars,
        n_images=len(page.images),
    )


def pdf_to_document(
    path: Path,
    *,
    doc_id: str,
    sha256: str,
    rel_path: str,
    settings: ExtractSettings | None = None,
    page_range: tuple[int, int] | None = None,
    on_ocr: Callable[[int], None] | None = None,
) -> ExtractResult:
    """Read a PDF into the IR.

    Args:
        path: the file to read.
        doc_id, sha256, rel_path: identity of the file, recorded in the IR.
        settings: extraction settings (``ExtractSettings()`` when None).
        page_range: 1-based inclusive (first, last) to read only part of the file
            (used to split a large packet across workers); None reads all pages.
        on_ocr: called with the number of pages about to be OCR'd, before OCR starts
            (the worker asks for more time with it: a scan takes seconds a page).

    Returns:
        The document with one IR page per PDF page; a page that fails to parse is
        kept empty and listed in ``Document.problems`` so the rest of the file still counts.

    Raises:
        ExtractError: the file is not a PDF, is encrypted with a password, or is
            too broken to open.
    """
    settings = settings or ExtractSettings()
    path = Path(path)
    sniff_pdf(path, rel_path)
    handler = _CountingHandler()
    lib_loggers = [logging.getLogger(n) for n in ("pdfminer", "pdfplumber")]
    saved = [(lg, lg.propagate, lg.level) for lg in lib_loggers]
    for lg in lib_loggers:
        lg.addHandler(handler)
        lg.propagate = False
        lg.setLevel(logging.WARNING)
    pages: list[Page] = []
    problems: list[tuple[int | None, str]] = []
    try:
        pdf, repaired = open_pdf(path, rel_path)
        if repaired:
            problems.append((None, "the cross-reference table was broken; read through PDFium's repair"))
        try:
            n_pages = _page_count(pdf)
        except Exception as e:
            # pdfplumber builds every page object at once, so one malformed page (a
            # MediaBox of text) costs the whole tree; PDFium rewrites such pages.
            _close_quietly(pdf)
            if repaired:
                raise ExtractError(rel_path, f"cannot read the page tree ({type(e).__name__}: {e})") from e
            pdf, _ = open_pdf(path, rel_path, force_repair=True)
            try:
                n_pages = _page_count(pdf)
            except Exception as e2:
                _close_quietly(pdf)
                raise ExtractError(rel_path, f"cannot read the page tree ({type(e).__name__}: {e})") from e2
            problems.append((None, f"the page tree was malformed ({type(e).__name__}: {e}); "
                                   "read through PDFium's repair"))
        try:
            first, last = page_range or (1, n_pages)
            for number in range(first, min(last, n_pages) + 1):
                try:
                    page = pdf.pages[number - 1]
                    try:
                        pages.append(page_to_ir(page, settings))
                    finally:
                        page.close()
                except MemoryError:
                    raise
                except Exception as e:
                    if isinstance(_root_cause(e), MemoryError):
                        raise MemoryError from e
                    problems.append((number, f"{type(e).__name__}: {e}"))
                    pages.append(Page(number, 0.0, 0.0, "", [], [], False))
            metadata = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
        finally:
            _close_quietly(pdf)
    finally:
        for lg, propagate, level in saved:
            lg.removeHandler(handler)
            lg.propagate = propagate
            lg.setLevel(level)
    if settings.ocr:
        from pipeline import ocr

        pages = ocr.fill_missing_text(path, pages, problems, on_ocr=on_ocr)
    doc = Document(doc_id, rel_path, sha256, n_pages, pages, metadata, problems)
    return ExtractResult(doc, handler.counts)
