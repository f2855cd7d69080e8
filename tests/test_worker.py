"""Workers: page-range slices join into the same IR; --jobs 2 and the dask executor
give the same tables as --jobs 1."""
from __future__ import annotations

import shutil

import pytest

from pipeline.cli import main
from pipeline.extract import pdf_to_document
from pipeline.ingest import plan_slices
from pipeline.worker import Job, join_slices, run_job, run_jobs, run_slice
from tests.conftest import ROOT, sample_pdf
from tests.test_crash import snapshot
from tests.test_ocr import require_tesseract


def test_slices_join_into_the_same_ir():
    path = sample_pdf("r3_browser.pdf")
    whole = pdf_to_document(path, doc_id="d", sha256="0" * 64, rel_path="r3.pdf").document
    job = Job(str(path), "r3.pdf", "0" * 64, "d", "/nonexistent")
    parts = [run_slice(Job(**{**job.__dict__, "page_range": r})).document for r in ((17, 33), (1, 16))]
    assert join_slices(parts) == whole


def test_plan_slices_splits_a_lone_packet_across_workers(tmp_path):
    job = Job(str(sample_pdf("r4_browser.pdf")), "r4.pdf", "0" * 64, "d", str(tmp_path))
    assert [j.page_range for j in plan_slices([job], 2)] == [(1, 24), (25, 47)]
    assert [j.page_range for j in plan_slices([job], 1)] == [None]
    # enough files to keep both workers busy: whole files
    assert [j.page_range for j in plan_slices([job, job], 2)] == [None, None]


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for name in ("r3_browser.pdf", "r4_browser.pdf"):
        shutil.copy2(sample_pdf(name), raw / name)
    return raw


def ingest_snapshot(raw, base, *extra):
    assert main(["ingest", "--raw", str(raw), "--db", str(base / "w.duckdb"), "--extracted", str(base / "ex"),
                 "--quiet", *extra]) == 0
    return snapshot(base / "w.duckdb")


@pytest.fixture(scope="module")
def jobs1(raw, tmp_path_factory):
    return ingest_snapshot(raw, tmp_path_factory.mktemp("j1"), "--jobs", "1")


def test_two_jobs_give_the_same_tables(raw, jobs1, tmp_path):
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy2(raw / "r4_browser.pdf", one / "r4_browser.pdf")  # one file: sliced across both workers
    two = ingest_snapshot(raw, tmp_path / "both", "--jobs", "2")
    assert two == jobs1
    sliced = ingest_snapshot(one, tmp_path / "sliced", "--jobs", "2")
    single = ingest_snapshot(one, tmp_path / "single", "--jobs", "1")
    assert sliced == single


def test_dask_local_cluster_gives_the_same_tables(raw, jobs1, tmp_path):
    assert ingest_snapshot(raw, tmp_path, "--executor", "dask", "--jobs", "2") == jobs1


def test_scheduler_needs_dask(tmp_path, capsys):
    assert main(["ingest", "--raw", str(tmp_path), "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err


def test_library_warnings_are_kept_beside_the_ir(tmp_path):
    from pipeline.worker import run_job

    job = Job(str(sample_pdf("r3_browser_kangxi_split.pdf")), "k.pdf", "2" * 64, "k", str(tmp_path))
    result = run_job(job)
    assert result.ok and sum(result.library_warnings.values()) > 0
    log = (tmp_path / "k" / "extract.log").read_text(encoding="utf-8").splitlines()
    count, message = log[0].split("\t")
    assert int(count) == sum(result.library_warnings.values())
    assert message.startswith("Could not get FontBBox")


# --- issue 12: a scan is not killed for being a scan ------------------------------------------------


@pytest.fixture(scope="module")
def one_scanned_page(tmp_path_factory):
    from pypdf import PdfReader, PdfWriter

    out = tmp_path_factory.mktemp("scan1") / "scan1.pdf"
    writer = PdfWriter()
    writer.add_page(PdfReader(ROOT / "tests" / "fixtures" / "scans" / "r3_scan200.pdf").pages[0])
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def test_issue_12_a_worker_announces_its_pages_to_ocr_before_reading_them(one_scanned_page, tmp_path):
    require_tesseract()
    announced: list[int] = []
    res = run_job(Job(str(one_scanned_page), "scan1.pdf", "0" * 64, "s", str(tmp_path)), on_ocr=announced.append)
    assert res.ok and res.ocr_pages == 1 and announced == [1]
    text: list[int] = []
    part = run_slice(Job(str(sample_pdf("r3_browser.pdf")), "r3.pdf", "0" * 64, "d", "/nonexistent",
                         page_range=(1, 2)), on_ocr=text.append)
    assert part.ok and text == []  # a text layer needs no allowance


def test_issue_12_the_time_limit_grows_with_the_pages_to_ocr(one_scanned_page, tmp_path):
    require_tesseract()
    job = Job(str(one_scanned_page), "scan1.pdf", "0" * 64, "s", str(tmp_path))
    [res] = run_jobs([job], timeout=0.5, max_memory_mb=None, ocr_seconds_per_page=300)
    # the OCR of a page takes seconds: it ran past the base limit and was let finish
    assert res.ok, res.error
    assert res.ocr_pages == 1 and res.seconds["extract"] > 0.5


def test_issue_12_a_killed_worker_leaves_no_tesseract_behind(tmp_path):
    import os
    import subprocess
    import sys
    import time

    import psutil

    require_tesseract()
    fifo = tmp_path / "page.png"
    os.mkfifo(fifo)  # tesseract blocks opening it: a run that never ends by itself
    code = ("from pipeline import ocr; "
            f"ocr._run_tesseract([{str(fifo)!r}, 'stdout', '-l', 'jpn'], ocr.OcrSettings())")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    try:
        deadline, runs = time.monotonic() + 30, []
        while not runs and time.monotonic() < deadline:
            runs = [c for c in psutil.Process(proc.pid).children() if c.name() == "tesseract"]
            time.sleep(0.05)
        assert runs, "tesseract did not start"
    finally:
        proc.kill()  # as the time limit kills a worker
        proc.wait(10)
    _, alive = psutil.wait_procs(runs, timeout=10)
    assert alive == []
