"""Scanned (image-only) pages: detected, OCR'd into the same IR, parsed like text pages."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline import ocr
from pipeline.extract import pdf_to_document
from pipeline.parse import document_to_rows
from tests.conftest import sample_pdf

NEED_OCR = os.environ.get("REQUIRE_OCR") == "1"


def image_only_pdf(src: Path, pages: tuple[int, ...], out: Path, dpi: int = 300) -> Path:
    """Render pages of a real packet to images and save them as a scan-like PDF (no text layer)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(src))
    images = [pdf[i - 1].render(scale=dpi / 72).to_pil().convert("L") for i in pages]
    pdf.close()
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    return image_only_pdf(sample_pdf("r3_browser.pdf"), (1, 2), tmp_path_factory.mktemp("scan") / "scan.pdf")


def test_image_only_pages_have_no_text_layer_and_warn_without_tesseract(scan, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    doc = pdf_to_document(scan, doc_id="scan", sha256="0" * 64, rel_path="scan.pdf").document
    assert [(p.has_text_layer, p.source, p.text, p.needs_ocr) for p in doc.pages] == [(False, "text", "", True)] * 2
    _, res = document_to_rows(doc)
    msg = "page has no text layer (scanned?): its content is missing; install tesseract (make ocr-deps) to OCR it"
    assert [(w.page, w.message) for w in res.warnings if w.stage == "extract"] == [(1, msg), (2, msg)]


@pytest.fixture(scope="module")
def ocr_rows(scan):
    if not ocr.tesseract_available():
        if NEED_OCR:
            pytest.fail("REQUIRE_OCR=1 but tesseract with Japanese data is not installed")
        pytest.skip("tesseract-ocr + tesseract-ocr-jpn not installed (make ocr-deps)")
    doc = pdf_to_document(scan, doc_id="scan", sha256="0" * 64, rel_path="scan.pdf").document
    return doc, *document_to_rows(doc)


def test_ocr_pages_are_marked_and_carry_text(ocr_rows):
    doc, fields, res = ocr_rows
    assert [(p.source, p.has_text_layer) for p in doc.pages] == [("ocr", False), ("ocr", False)]
    assert "出席者" in doc.pages[1].text
    assert [r["source"] for r in res.tables["pages"]] == ["ocr", "ocr"]


def test_ocr_recovers_the_meeting_and_attendees(ocr_rows):
    _, fields, res = ocr_rows
    assert str(fields["held_on"]) == "2022-01-20"
    assert (str(fields["starts_at"]), str(fields["ends_at"])) == ("15:00:00", "16:30:00")
    att = res.tables["attendees"]
    assert len(att) == 34  # the ruled grid is recovered from the image: one row per person
    names = {(r["post"], r["name"]) for r in att}
    for expected in [("富山市長", "藤井 裕久"), ("高岡市長", "角田 悠紀"), ("南砺市長", "田中 幹夫"),
                     ("市長会事務局長", "田中 斉"), ("教育長", "荻布 佳子"), ("経営管理部長", "岡本 達也")]:
        assert expected in names
    assert [r["side"] for r in att].count("市町村等") == 17
    assert all(r["from_ocr"] for r in att)
    # against the text-layer reading of the same pages: tesseract's jpn model misreads some kanji
    # (氷見 → 水見, 杉本 → 艇本); most rows must still come out exactly right
    text_doc = pdf_to_document(sample_pdf("r3_browser.pdf"), doc_id="t", sha256="1" * 64, rel_path="t.pdf",
                               page_range=(1, 2)).document
    truth = {(r["side"], r["post"], r["name"]) for r in document_to_rows(text_doc)[1].tables["attendees"]}
    exact = sum((r["side"], r["post"], r["name"]) in truth for r in att)
    assert exact >= 29, exact  # 31 of 34 measured with Debian's jpn model
