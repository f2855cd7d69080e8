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
    assert runs["page.pdf"] == ("failed", "page.pdf: not a PDF (an HTML page)")  # said, never quoted
    assert runs["empty.pdf"] == ("failed", "empty.pdf: empty file (0 bytes)")
    assert runs["truncated.pdf"] == ("failed", "truncated.pdf: cannot open PDF (PSEOF: Unexpected EOF)")
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
        rc = main(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(shared_extracted),
                   "--lock-timeout", "1"])
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert rc == 3
    err = capsys.readouterr().err
    assert str(db) in err and "locked by another process (PID" in err
    assert f"waiting up to 1s for the lock on {db}" in err  # said before giving up, not only at the end


def test_mixed_run_keeps_every_good_file_and_explains_every_bad_one(tmp_path, shared_extracted):
    from tests import badfiles

    clean = tmp_path / "clean"
    clean.mkdir()
    for name in ("r3_browser.pdf", "r4_browser.pdf"):
        shutil.copy2(sample_pdf(name), clean / name)
    assert run_ingest(clean, tmp_path / "clean.duckdb", shared_extracted) == 0

    raw = tmp_path / "raw"
    (raw / "令和4年度 資料").mkdir(parents=True)
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "r3_browser.pdf")
    shutil.copy2(sample_pdf("r4_browser.pdf"), raw / "令和4年度 資料" / "第4回 本部会議.pdf")
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "copy.pdf")
    (raw / "html.pdf").write_text("<html><body>moved</body></html>", encoding="utf-8")
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "truncated.pdf").write_bytes(sample_pdf("r3_browser.pdf").read_bytes()[:5000])
    badfiles.encrypted(raw / "locked.pdf", "secret")
    badfiles.encrypted(raw / "open-encrypted.pdf", "")
    badfiles.corrupt_xref(raw / "xref.pdf")
    badfiles.zero_pages(raw / "zero.pdf")
    badfiles.pages_of(raw / "slides.pdf", 5, 6)  # real text, but no 次第 and no 出席者: loaded all the same
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 1
    got = {p: (s, m) for p, s, m in last_run(db)}
    assert {p: s for p, (s, _) in got.items()} == {
        # files are taken in path order: the first of two identical files is loaded
        "copy.pdf": "loaded", "empty.pdf": "failed", "html.pdf": "failed", "locked.pdf": "failed",
        "open-encrypted.pdf": "loaded", "r3_browser.pdf": "duplicate", "slides.pdf": "loaded",
        "truncated.pdf": "failed", "xref.pdf": "loaded", "zero.pdf": "failed",
        "令和4年度 資料/第4回 本部会議.pdf": "loaded",
    }
    assert got["locked.pdf"][1] == "locked.pdf: encrypted PDF: a password is required to open it"
    assert got["slides.pdf"][1] is None  # a readable PDF is loaded with what its profile's parsers find
    assert got["zero.pdf"][1] == "zero.pdf: the PDF has no pages"
    assert got["truncated.pdf"][1].startswith("truncated.pdf: cannot open PDF (")
    sql = """select d.held_on, a.seq, a.side, a.post, a.name, a.by_proxy from attendees a join documents d using (doc_id)
             where d.sha256 = ? order by a.seq"""
    with duckdb.connect(str(db), read_only=True) as c, duckdb.connect(str(tmp_path / "clean.duckdb"),
                                                                      read_only=True) as ref:
        for name in ("r3_browser.pdf", "r4_browser.pdf"):
            from pipeline.discover import file_to_sha256

            sha = file_to_sha256(sample_pdf(name))
            assert c.execute(sql, [sha]).fetchall() == ref.execute(sql, [sha]).fetchall()
            for t in ("pages", "raw_tables", "agenda_items", "materials"):
                q = f"select count(*) from {t} join documents using (doc_id) where sha256 = ?"
                assert c.execute(q, [sha]).fetchone() == ref.execute(q, [sha]).fetchone()
        fails = c.execute("select count(*) from warnings where stage = 'extract' and message like '%: %'").fetchone()[0]
        assert fails >= 5
        slides = c.execute("""select profile, (select count(*) from pages p where p.doc_id = d.doc_id)
                              from documents d where source_path = 'slides.pdf'""").fetchone()
        assert slides[1] == 2 and slides[0] is not None
        xref_warn = c.execute("""select message from warnings join documents using (doc_id)
                                 where source_path = 'xref.pdf' and stage = 'extract'""").fetchall()
        assert xref_warn == [("the cross-reference table was broken; read through PDFium's repair",)]


def test_time_limit_kills_a_runaway_file(tmp_path, shared_extracted):
    from tests import badfiles

    raw = tmp_path / "raw"
    raw.mkdir()
    badfiles.many_real_pages(raw / "huge.pdf", 400)  # minutes of work
    badfiles.pages_of(raw / "good.pdf", 1, 2)  # 次第 and 出席者 only: well inside the limit
    db = tmp_path / "w.duckdb"
    # one worker: no page-range slices, so the limit applies to the whole file
    assert run_ingest(raw, db, tmp_path / "ex", "--timeout", "3", "--jobs", "1") == 1
    got = {p: (s, m) for p, s, m in last_run(db)}
    assert got["huge.pdf"] == ("failed", "huge.pdf: killed after the time limit of 3s")
    assert got["good.pdf"][0] == "loaded"


def test_memory_limit_fails_the_file_not_the_run(tmp_path, shared_extracted):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sample_pdf("r4_browser.pdf"), raw / "r4.pdf")
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, tmp_path / "ex", "--max-memory", "30") == 1
    status, message = last_run(db)[0][1:]
    assert status == "failed" and message.startswith("r4.pdf: ") and "memory" in message


def test_prune_removes_rows_of_files_gone_from_raw(tmp_path, shared_extracted):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("r3_browser.pdf", "r4_browser.pdf"):
        shutil.copy2(sample_pdf(name), raw / name)
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 0
    (raw / "r3_browser.pdf").unlink()
    assert run_ingest(raw, db, shared_extracted) == 0
    assert counts(db)["documents"] == 2  # rows stay without --prune
    assert run_ingest(raw, db, shared_extracted, "--prune") == 0
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("select source_path from documents").fetchall() == [("r4_browser.pdf",)]
        assert c.execute("select count(*) from attendees").fetchone()[0] == 35


def test_rows_of_an_older_pipeline_are_reparsed_from_the_stored_ir(tmp_path, shared_extracted, capsys):
    from pipeline import pipeline_version

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sample_pdf("r4_browser.pdf"), raw / "r4.pdf")
    db = tmp_path / "w.duckdb"
    assert run_ingest(raw, db, shared_extracted) == 0
    before = counts(db)
    with duckdb.connect(str(db)) as c:
        c.execute("update files set pipeline_version = '0.0.1+older'")
        c.execute("update documents set pipeline_version = '0.0.1+older'")
    capsys.readouterr()
    assert main(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(shared_extracted)]) == 0
    err = capsys.readouterr().err
    assert "1 loaded (0 partial), 0 unchanged" in err
    assert "0 PDF library messages" in err  # the stored IR was parsed; the PDF was not read again
    assert counts(db) == before
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("select pipeline_version from documents").fetchone()[0] == pipeline_version()
    assert pipeline_version().startswith("0.1.0+")
