"""Crash safety: SIGKILL at any moment of an ingest leaves a consistent warehouse, and
the next run finishes the job with the same tables as a clean run."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from pipeline.cli import main
from tests.conftest import ROOT, sample_pdf

TABLES = {
    "documents": "doc_id, source_path, sha256, page_count, title, held_on, starts_at, venue",
    "attendees": "doc_id, seq, side, post, name, person_id, by_proxy",
    "agenda_items": "doc_id, seq, title", "materials": "doc_id, seq, label, title",
    "pages": "doc_id, page, char_count", "raw_tables": "doc_id, page, table_no, row_no, col_no, text",
    "persons": "person_id, name, variants", "schedule": "doc_id, starts_on, event",
    "wg_meetings": "doc_id, held_on, date_text", "item_results": "doc_id, topic, results",
    "kpis": "doc_id, value, unit, context", "files": "source_path, sha256, doc_id, status",
}


def snapshot(db) -> dict:
    with duckdb.connect(str(db), read_only=True) as c:
        return {t: sorted(map(str, c.execute(f"select {cols} from {t}").fetchall())) for t, cols in TABLES.items()}


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for name in ("r3_browser.pdf", "r4_browser.pdf", "r3_browser_kangxi_split.pdf"):
        shutil.copy2(sample_pdf(name), raw / name)
    return raw


@pytest.fixture(scope="module")
def clean(tmp_path_factory, raw):
    base = tmp_path_factory.mktemp("clean")
    assert main(["ingest", "--raw", str(raw), "--db", str(base / "w.duckdb"), "--extracted", str(base / "ex"),
                 "--quiet", "--jobs", "2"]) == 0
    return snapshot(base / "w.duckdb")


# early in extraction, in the middle, and while loading (on a 2-core machine)
@pytest.mark.parametrize("kill_after", [0.8, 3.0, 6.0])
def test_sigkill_then_rerun_equals_a_clean_run(tmp_path, raw, clean, kill_after):
    db, ex = tmp_path / "w.duckdb", tmp_path / "ex"
    cmd = [sys.executable, "-m", "pipeline", "ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(ex),
           "--quiet", "--jobs", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stderr=subprocess.DEVNULL)
    time.sleep(kill_after)
    os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers, at once
    proc.wait(10)
    assert main(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(ex), "--quiet", "--jobs", "2"]) == 0
    assert snapshot(db) == clean
    leftovers = [p for p in ex.rglob("*") if p.name.startswith(".ir-")]
    assert leftovers == [] or all(p.suffix == ".tmp" for p in leftovers)
