"""Extraction: the IR of real PDFs, and a clear error for each kind of unreadable file."""
from __future__ import annotations

import pytest

from pipeline import ir
from pipeline.extract import ExtractError, pdf_to_document
from tests import badfiles
from tests.conftest import sample_pdf


def extract(path, name="x.pdf"):
    return pdf_to_document(path, doc_id="d", sha256="0" * 64, rel_path=name)


def test_ir_of_a_real_packet_has_lines_tables_and_boxes(tmp_path):
    res = extract(sample_pdf("r4_browser.pdf"))
    doc = res.document
    assert doc.page_count == 47 and len(doc.pages) == 47
    p2 = doc.pages[1]
    assert p2.lines[0].text == "「ワンチームとやま」連携推進本部会議出席者"
    assert [t.n_cols for t in p2.tables] == [2, 3]
    assert p2.tables[1].rows[10] == ["生活環境文化部長", "廣島 伸\n一", "(代理)水落 生活環境\n文化部次長"]
    assert len(p2.tables[1].cell_bboxes[10]) == 3
    # pdfminer's font complaints are counted, not printed
    assert sum(res.library_warnings.values()) > 0
    path = ir.write_document(doc, tmp_path)
    assert path == tmp_path / "d" / "ir.json"
    assert ir.read_document(tmp_path, "d", "0" * 64) == doc
    assert ir.read_document(tmp_path, "d", "1" * 64) is None  # stale: other bytes


def test_kangxi_code_points_stay_raw_in_the_ir():
    doc = extract(sample_pdf("r3_browser_kangxi_split.pdf")).document
    assert "朝⽇町⾧" in doc.pages[1].text  # repaired later, by normalize, in one place


@pytest.mark.parametrize("maker, message", [
    (lambda p: (p.write_text("<html><body>404</body></html>"), p)[1], "x.pdf: not a PDF (file starts with '<html><body>404</bod')"),
    (lambda p: (p.write_bytes(b""), p)[1], "x.pdf: empty file (0 bytes)"),
    (lambda p: badfiles.encrypted(p, "secret"), "x.pdf: encrypted PDF: a password is required to open it"),
])
def test_unreadable_files_raise_a_clear_error(tmp_path, maker, message):
    path = maker(tmp_path / "x.pdf")
    with pytest.raises(ExtractError) as e:
        extract(path)
    assert str(e.value) == message


def test_empty_user_password_is_read(tmp_path):
    doc = extract(badfiles.encrypted(tmp_path / "x.pdf", "")).document
    assert doc.page_count == 47
    assert "出席者" in doc.pages[1].text


def test_corrupt_xref_is_repaired(tmp_path):
    doc = extract(badfiles.corrupt_xref(tmp_path / "x.pdf")).document
    assert doc.problems == [(None, "the cross-reference table was broken; read through PDFium's repair")]
    assert doc.page_count == 47
    assert doc.pages[0].lines[0].text == "令和4年度第4回「ワンチームとやま」"


def test_zero_pages(tmp_path):
    doc = extract(badfiles.zero_pages(tmp_path / "x.pdf")).document
    assert (doc.page_count, doc.pages) == (0, [])


def test_page_range_reads_only_those_pages():
    doc = pdf_to_document(sample_pdf("r3_browser.pdf"), doc_id="d", sha256="0" * 64, rel_path="x.pdf",
                          page_range=(2, 3)).document
    assert [p.number for p in doc.pages] == [2, 3] and doc.page_count == 33


def test_malformed_page_tree_is_a_clear_error_not_a_crash(tmp_path):
    with pytest.raises(ExtractError) as e:
        extract(badfiles.malformed_page_box(tmp_path / "x.pdf"))
    assert str(e.value) == ("x.pdf: cannot read the page tree (MalformedPDFException: Bounding box contains "
                            "non-number coordinate(s): [b'a', 0])")


def test_blank_pages_are_told_from_scans(tmp_path):
    from pipeline.parse import document_to_rows

    doc = extract(badfiles.many_blank_pages(tmp_path / "x.pdf", 2)).document
    assert [(p.has_text_layer, p.n_images, p.needs_ocr) for p in doc.pages] == [(False, 0, False)] * 2
    _, res = document_to_rows(doc)
    assert [(w.page, w.message) for w in res.warnings if w.stage == "extract"] == [
        (1, "page has no text and no image: blank, or its content could not be decoded"),
        (2, "page has no text and no image: blank, or its content could not be decoded")]
