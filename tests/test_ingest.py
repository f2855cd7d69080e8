"""The spine end to end: incremental, idempotent, duplicate-aware, failure-isolating."""
from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

from pipeline.cli import main
from tests.conftest import sample_pdf

COUNTED = ("documents", "agenda_items", "materials", "attendees", "persons", "pages", "raw_tables",
           "warnings", "items", "item_years", "wg_meetings", "item_results", "kpis", "schedule")


@pytest.fixture(scope="module")
def shared_extracted(tmp_path_factory):
    # IR files are keyed by content, so tests can share them and skip re-reading PDFs.
    return tmp_path_factory.mktemp("extracted")


def run_ingest(raw, db, extracted, *extra) -> int:
    return main(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(extracted), "--quiet", *extra])


def counts(db) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as c:
        return {t: c.execute(f"select count(*) from {t}").fetchone()[0] for t in COUNTED}


def last_run(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute("""select source_path, status, message from ingest_log
                            where run_id = (select run_id from ingest_log order by started_at desc, finished_at desc
                                            limit 1)
                            order by source_path""").fetchall()


def test_rerun_on_unchanged_files_changes_nothing(tmp_path, shared_extracted):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("r3_browser.pdf", "r4_browser.pdf"):
        shutil.copy2(sample_pdf(name), raw / name)
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 0
    first = counts(db)
    assert first["documents"] == 2
    assert first["attendees"] == 34 + 35
    assert run_ingest(raw, db, shared_extracted) == 0
    assert counts(db) == first
    assert [s for _, s, _ in last_run(db)] == ["unchanged", "unchanged"]


def test_changed_bytes_replace_the_documents_rows(tmp_path, shared_extracted):
    raw = tmp_path / "raw"
    raw.mkdir()
    packet = raw / "packet.pdf"
    shutil.copy2(sample_pdf("r3_browser.pdf"), packet)
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 0
    with duckdb.connect(str(db), read_only=True) as c:
        old_id = c.execute("select doc_id from documents").fetchone()[0]
    shutil.copy2(sample_pdf("r4_browser.pdf"), packet)  # a "corrected republication"
    assert run_ingest(raw, db, shared_extracted) == 0
    with duckdb.connect(str(db), read_only=True) as c:
        docs = c.execute("select doc_id, source_path, held_on::varchar from documents").fetchall()
        assert len(docs) == 1 and docs[0][0] != old_id
        assert docs[0][1:] == ("packet.pdf", "2023-01-19")
        for t in ("attendees", "pages", "raw_tables", "agenda_items"):
            assert c.execute(f"select count(*) from {t} where doc_id = ?", [old_id]).fetchone()[0] == 0
        assert c.execute("select count(*) from attendees").fetchone()[0] == 35
    assert last_run(db)[0][1] == "loaded"


def test_byte_identical_copy_is_a_duplicate(tmp_path, shared_extracted):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "a.pdf")
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "sub" / "copy of a.pdf")
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 0
    assert counts(db)["documents"] == 1
    runs = last_run(db)
    assert [(p, s) for p, s, _ in runs] == [("a.pdf", "loaded"), ("sub/copy of a.pdf", "duplicate")]
    assert "a.pdf" in runs[1][2]


def test_two_renditions_of_one_meeting_stay_two_documents(tmp_path, shared_extracted):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("r3_browser.pdf", "r3_browser_kangxi_split.pdf"):
        shutil.copy2(sample_pdf(name), raw / name)
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 0
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("select count(*) from documents").fetchone()[0] == 2
        assert c.execute("select count(*), count(distinct doc_id) from attendees").fetchone() == (68, 2)
        msgs = [m for (m,) in c.execute("select message from warnings where message like 'same_meeting_twice%'")
                .fetchall()]
    assert len(msgs) == 2 and all("likely another rendition" in m for m in msgs)


def test_bad_files_fail_alone(tmp_path, shared_extracted):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sample_pdf("r4_browser.pdf"), raw / "good.pdf")
    (raw / "page.pdf").write_text("<!DOCTYPE html><html><body>Not found</body></html>", encoding="utf-8")
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "truncated.pdf").write_bytes(sample_pdf("r3_browser.pdf").read_bytes()[:2000])
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 1
    runs = {p: (s, m) for p, s, m in last_run(db)}
    assert runs["good.pdf"][0] == "loaded"
    assert runs["page.pdf"] == ("failed", "page.pdf: not a PDF (file starts with '<!DOCTYPE html><html')")
    assert runs["empty.pdf"] == ("failed", "empty.pdf: empty file (0 bytes)")
    assert runs["truncated.pdf"] == ("failed", "truncated.pdf: cannot open PDF (PdfminerException: Unexpected EOF)")
    assert counts(db)["attendees"] == 35


def test_old_warehouse_is_rebuilt_not_half_used(tmp_path, shared_extracted):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "a.pdf")
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 0
    before = counts(db)
    with duckdb.connect(str(db)) as c:
        c.execute("update meta set value = 'ancient' where key = 'schema_version'")
        c.execute("alter table attendees drop column name_text")
    assert run_ingest(raw, db, shared_extracted) == 0
    assert counts(db) == before
    assert last_run(db)[0][1] == "loaded"


def test_locked_warehouse_gives_a_clear_message(tmp_path, shared_extracted, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,sys,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True);"
                               "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        rc = run_ingest(raw, db, shared_extracted, "--lock-timeout", "1")
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert rc == 3
    err = capsys.readouterr().err
    assert str(db) in err and "locked by another process (PID" in err
