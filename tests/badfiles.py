"""Real files of each bad-input class, made from the sample packets with pypdf."""
from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from tests.conftest import sample_pdf


def _write(writer: PdfWriter, out: Path) -> Path:
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def encrypted(out: Path, user_password: str) -> Path:
    w = PdfWriter(clone_from=PdfReader(sample_pdf("r4_browser.pdf")))
    w.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    return _write(w, out)


def zero_pages(out: Path) -> Path:
    return _write(PdfWriter(), out)


def pages_of(out: Path, first: int, last: int, source: str = "r3_browser.pdf") -> Path:
    r = PdfReader(sample_pdf(source))
    w = PdfWriter()
    for i in range(first - 1, last):
        w.add_page(r.pages[i])
    return _write(w, out)


def many_blank_pages(out: Path, n: int) -> Path:
    w = PdfWriter()
    for _ in range(n):
        w.add_blank_page(595, 842)
    return _write(w, out)


def corrupt_xref(out: Path, source: str = "r4_browser.pdf") -> Path:
    """The packet with its startxref offset pointing at garbage: readers must rebuild the table."""
    data = sample_pdf(source).read_bytes()
    m = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    bad = data[: m.start(1)] + b"1" + b"0" * (len(m.group(1)) - 1) + data[m.end(1):]
    out.write_bytes(bad)
    return out


def republished(out: Path, source: str = "r4_browser.pdf") -> Path:
    """The same packet re-saved with other metadata: other bytes, same meeting."""
    w = PdfWriter(clone_from=PdfReader(sample_pdf(source)))
    w.add_metadata({"/Subject": "corrected edition"})
    return _write(w, out)


def malformed_page_box(out: Path) -> Path:
    """A packet whose second page has a MediaBox of text: pdfplumber cannot build its pages."""
    from pypdf.generic import ArrayObject, NameObject, NumberObject, TextStringObject

    w = PdfWriter(clone_from=PdfReader(sample_pdf("r3_browser.pdf")))
    w.pages[1][NameObject("/MediaBox")] = ArrayObject([TextStringObject("a"), NumberObject(0)])
    return _write(w, out)


def many_real_pages(out: Path, n: int, source: str = "r3_browser.pdf") -> Path:
    """A huge packet: the sample's pages over and over (slow to read, unlike blank pages)."""
    r = PdfReader(sample_pdf(source))
    w = PdfWriter()
    for i in range(n):
        w.add_page(r.pages[i % len(r.pages)])
    return _write(w, out)


def claims_pages(out: Path, claimed: int, source: str = "r3_browser.pdf") -> Path:
    """One real page whose page tree claims ``claimed`` pages (/Count): a reader must count the kids."""
    from pypdf.generic import NameObject, NumberObject

    w = PdfWriter()
    w.add_page(PdfReader(sample_pdf(source)).pages[0])
    w._root_object["/Pages"][NameObject("/Count")] = NumberObject(claimed)
    return _write(w, out)
