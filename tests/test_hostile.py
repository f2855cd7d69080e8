"""Hostile input (issue 15): one bad entry never stops a run.

Every bad entry is made here, in a temporary folder, beside the real sample packets:
FIFOs, sockets, symlinks (out of raw/, loops, dangling), unreadable files (as a
non-root user), Shift_JIS and control-character file names, non-PDF bytes under any
name, a page tree that lies about its size, a full file system, wrong paths and
signals. In every case the good packets load fully, the run ends within its limits,
and the user gets a message, never a traceback.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from pipeline.cli import main
from pipeline.discover import file_to_sha256
from tests import badfiles
from tests.conftest import ROOT, sample_pdf

#: pages and attendees of each good packet once loaded
GOOD = {"r3_browser.pdf": (33, 34), "r4_browser.pdf": (47, 35)}


@pytest.fixture(autouse=True)
def hard_limit():
    """A test that blocks (a FIFO opened, /dev/zero read) fails instead of hanging the suite."""
    def expire(signum, frame):
        raise TimeoutError("the test ran over 300 s: something blocked")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(300)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """The two good packets extracted once (IR files are keyed by content) and their warehouse."""
    base = tmp_path_factory.mktemp("warm")
    raw = base / "raw"
    raw.mkdir()
    for name in GOOD:
        shutil.copy2(sample_pdf(name), raw / name)
    assert main(["ingest", "--raw", str(raw), "--db", str(base / "w.duckdb"), "--extracted",
                 str(base / "extracted"), "--jobs", "2", "--quiet"]) == 0
    return SimpleNamespace(raw=raw, db=base / "w.duckdb", extracted=base / "extracted")


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    """400 real pages: minutes of extraction."""
    return badfiles.many_real_pages(tmp_path_factory.mktemp("huge") / "huge.pdf", 400)


def good(raw: Path, *names: str) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name in names or GOOD:
        shutil.copy2(sample_pdf(name), raw / name)


def ingest(raw, db, extracted, *extra) -> int:
    return main(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(extracted), *extra])


def cli(*args, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


def last_run(db) -> dict[str, tuple]:
    """source_path -> (status, message) of the latest run in ingest_log."""
    with duckdb.connect(str(db), read_only=True) as c:
        return {p: (s, m) for p, s, m in c.execute("""
            select source_path, status, message from ingest_log
            where run_id = (select run_id from ingest_log group by run_id order by max(rowid) desc limit 1)
            """).fetchall()}  # rowid, not the time: two runs can finish within one second


def assert_good_loaded(db, *names: str) -> None:
    with duckdb.connect(str(db), read_only=True) as c:
        for name in names or GOOD:
            got = c.execute("""select (select count(*) from pages p where p.doc_id = d.doc_id),
                                      (select count(*) from attendees a where a.doc_id = d.doc_id)
                               from documents d where sha256 = ?""", [file_to_sha256(sample_pdf(name))]).fetchall()
            assert got == [GOOD[name]], name


def messages(db) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as c:
        return [m for (m,) in c.execute("select message from ingest_log where message is not null "
                                        "union all select message from warnings").fetchall()]


# 1. discovery is guarded ---------------------------------------------------------------

def test_special_entries_are_logged_and_the_run_goes_on(tmp_path, warm):
    raw = tmp_path / "raw"
    good(raw)
    (raw / "sub").mkdir()
    os.mkfifo(raw / "fifo.pdf")
    (raw / "zero.pdf").symlink_to("/dev/zero")
    (raw / "loop.pdf").symlink_to("loop.pdf")
    (raw / "dangling.pdf").symlink_to("missing.pdf")
    (raw / "sub" / "up").symlink_to("..")
    outside = tmp_path / "outside.pdf"
    shutil.copy2(sample_pdf("r3_browser.pdf"), outside)
    (raw / "elsewhere.pdf").symlink_to(outside)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(raw / "sock.pdf"))
    db = tmp_path / "w.duckdb"
    t0 = time.monotonic()
    try:
        # a subprocess: the old discovery blocked for ever in open() on the FIFO
        p = cli("ingest", "--raw", raw, "--db", db, "--extracted", warm.extracted, timeout=90)
    finally:
        sock.close()
    assert time.monotonic() - t0 < 60
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    out = os.path.realpath(outside)
    assert last_run(db) == {
        "dangling.pdf": ("failed", "dangling.pdf: a link to a missing file (missing.pdf); not read"),
        "elsewhere.pdf": ("skipped", f"elsewhere.pdf: a link to {out}, outside the raw folder; "
                                     "not followed (--follow-links reads it)"),
        "fifo.pdf": ("skipped", "fifo.pdf: not a regular file (a FIFO); not read"),
        "loop.pdf": ("failed", "loop.pdf: a symbolic link loop; not read"),
        "r3_browser.pdf": ("loaded", None),
        "r4_browser.pdf": ("loaded", None),
        "sock.pdf": ("skipped", "sock.pdf: not a regular file (a socket); not read"),
        "sub/up": ("skipped", "sub/up: a link to a folder above it (a loop); not followed"),
        "zero.pdf": ("skipped", "zero.pdf: a link to /dev/zero, outside the raw folder; "
                                "not followed (--follow-links reads it)"),
    }
    lines = p.stderr.splitlines()
    assert "FAILED dangling.pdf: a link to a missing file (missing.pdf); not read" in lines
    assert "FAILED loop.pdf: a symbolic link loop; not read" in lines
    assert "  skipped: fifo.pdf: not a regular file (a FIFO); not read" in lines
    assert [ln for ln in lines if re.fullmatch(r"ingest \w+: 2 loaded \(0 partial\), 0 unchanged, 0 duplicate, "
                                               r"2 failed, 5 skipped", ln)]
    assert_good_loaded(db)


def test_follow_links_reads_files_outside_but_never_special_ones(tmp_path, warm, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sample_pdf("r4_browser.pdf"), tmp_path / "outside.pdf")
    (raw / "r4 link.pdf").symlink_to(tmp_path / "outside.pdf")
    (raw / "passwd.pdf").symlink_to("/etc/passwd")
    (raw / "zero.pdf").symlink_to("/dev/zero")
    db = tmp_path / "w.duckdb"
    assert ingest(raw, db, warm.extracted, "--follow-links") == 1
    assert last_run(db) == {
        "passwd.pdf": ("failed", "passwd.pdf: not a PDF (a text file)"),
        "r4 link.pdf": ("loaded", None),
        "zero.pdf": ("skipped", "zero.pdf: not a regular file (a character device); not read"),
    }
    assert_good_loaded(db, "r4_browser.pdf")
    err = capsys.readouterr().err
    assert "root:" not in err and not [m for m in messages(db) if "root:" in m]  # 9: no content quoted


def test_unreadable_entries_without_root_privileges(tmp_path, warm):
    cmd = [sys.executable, "-m", "pipeline", "ingest"]
    if os.geteuid() == 0:
        # Root reads mode-000 files through CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH: drop both
        # (switching to another uid is no option here: the interpreter lives under root-only /root)
        if not shutil.which("setpriv"):
            pytest.skip("root reads mode-000 files, and setpriv (util-linux) is missing to drop that capability")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    raw = tmp_path / "raw"
    good(raw, "r4_browser.pdf")
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "locked.pdf")
    (raw / "secret").mkdir()
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "secret" / "inside.pdf")
    os.chmod(raw / "locked.pdf", 0)
    os.chmod(raw / "secret", 0)
    db = tmp_path / "w.duckdb"
    try:
        p = subprocess.run([*cmd, "--raw", str(raw), "--db", str(db), "--extracted", str(warm.extracted)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        os.chmod(raw / "secret", 0o755)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert last_run(db) == {
        "locked.pdf": ("failed", "locked.pdf: cannot read the file (permission denied)"),
        "r4_browser.pdf": ("loaded", None),
        "secret": ("failed", "secret: cannot read the folder (permission denied); nothing under it was read"),
    }
    assert "FAILED locked.pdf: cannot read the file (permission denied)" in p.stderr.splitlines()
    assert_good_loaded(db, "r4_browser.pdf")


def test_file_deleted_while_an_earlier_one_is_hashed(tmp_path, warm):
    raw = tmp_path / "raw"
    good(raw, "r4_browser.pdf")
    big = raw / "a_big.pdf"
    with open(big, "wb") as fh:
        fh.truncate(256 << 20)  # sparse: hashing it takes a while, storing it nothing
    victim = raw / "z_gone.pdf"
    shutil.copy2(sample_pdf("r3_browser.pdf"), victim)
    target, done = os.path.realpath(big), threading.Event()

    def delete_while_hashing():
        # a real deletion at the moment the big file is being read past its head
        while not done.is_set():
            for fd in os.listdir("/proc/self/fd"):
                try:
                    if os.readlink(f"/proc/self/fd/{fd}") == target:
                        with open(f"/proc/self/fdinfo/{fd}") as info:
                            if int(info.read().split()[1]) > 2 << 20:
                                victim.unlink()
                                return
                except (OSError, ValueError, IndexError):
                    continue
            time.sleep(0.001)

    watcher = threading.Thread(target=delete_while_hashing, daemon=True)
    watcher.start()
    db = tmp_path / "w.duckdb"
    try:
        rc = ingest(raw, db, warm.extracted, "--quiet")
    finally:
        done.set()
        watcher.join(5)
    assert not victim.exists()
    assert rc == 1
    assert last_run(db) == {
        "a_big.pdf": ("failed", "a_big.pdf: not a PDF (binary data)"),
        "r4_browser.pdf": ("loaded", None),
        "z_gone.pdf": ("skipped", "z_gone.pdf: disappeared before it could be read"),
    }
    assert_good_loaded(db, "r4_browser.pdf")


# 2. Shift_JIS file names ----------------------------------------------------------------

def test_shift_jis_file_name_is_stored_readably_and_losslessly(tmp_path, warm, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    sjis = "令和5年度資料.pdf".encode("cp932")  # what unzip leaves for a Windows-made archive
    odd = "資料".encode() + b"\x81\xff.pdf"  # neither UTF-8 nor cp932
    shutil.copyfile(sample_pdf("r4_browser.pdf"), os.fsencode(raw) + b"/" + sjis)
    shutil.copyfile(sample_pdf("r4_browser.pdf"), os.fsencode(raw) + b"/" + odd)
    db = tmp_path / "w.duckdb"
    assert ingest(raw, db, warm.extracted) == 0
    err = capsys.readouterr().err
    note_sjis = f"the file name is Shift_JIS (cp932), not UTF-8: shown decoded; its bytes are {sjis!r}"
    note_odd = f"the file name is neither UTF-8 nor Shift_JIS: odd bytes shown as \\xNN; its bytes are {odd!r}"
    assert last_run(db) == {
        "令和5年度資料.pdf": ("loaded", note_sjis),
        "資料\\x81\\xff.pdf": ("duplicate", f"byte-identical to 令和5年度資料.pdf; not loaded again; {note_odd}"),
    }
    assert "  duplicate: 資料\\x81\\xff.pdf: byte-identical to 令和5年度資料.pdf; not loaded again" in err
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("select source_path, page_count from documents").fetchall() == [("令和5年度資料.pdf", 47)]
        assert c.execute("select count(*) from persons").fetchone()[0] == 35  # finalize ran
        assert c.execute("select count(*) from attendance").fetchone()[0] == 35  # and the views exist
    assert ingest(raw, db, warm.extracted, "--quiet") == 0
    assert {p: s for p, (s, _) in last_run(db).items()} == {"令和5年度資料.pdf": "unchanged",
                                                            "資料\\x81\\xff.pdf": "duplicate"}


# 3. a page tree that lies, and --timeout across slices --------------------------------------

def test_a_million_page_claim_with_two_jobs(tmp_path, warm):
    from pipeline.ingest import plan_slices
    from pipeline.worker import Job

    raw = tmp_path / "raw"
    good(raw, "r4_browser.pdf")
    claims = badfiles.claims_pages(raw / "claims.pdf", 1_000_000)
    assert claims.stat().st_size < 600_000
    nowhere = str(tmp_path / "none")
    assert [j.page_range for j in plan_slices([Job(str(claims), "c.pdf", "0" * 64, "c", nowhere)], 2)] == [None]
    blank = badfiles.many_blank_pages(tmp_path / "blank.pdf", 1000)
    job = Job(str(blank), "b.pdf", "0" * 64, "b", nowhere)
    assert [j.page_range for j in plan_slices([job], 2)] == [(1, 500), (501, 1000)]  # one slice per worker
    assert [j.page_range for j in plan_slices([job], 4)] == [(1, 250), (251, 500), (501, 750), (751, 1000)]
    db = tmp_path / "w.duckdb"
    t0 = time.monotonic()
    assert ingest(raw, db, warm.extracted, "--jobs", "2", "--timeout", "60", "--quiet") == 0
    assert time.monotonic() - t0 < 60
    assert last_run(db) == {"claims.pdf": ("loaded", None), "r4_browser.pdf": ("loaded", None)}
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("""select page_count, (select count(*) from pages p where p.doc_id = d.doc_id)
                            from documents d where source_path = 'claims.pdf'""").fetchone() == (1, 1)
    assert_good_loaded(db, "r4_browser.pdf")


def test_timeout_bounds_a_files_total_time_across_its_slices(tmp_path, huge):
    from pipeline.ingest import plan_slices
    from pipeline.worker import Job, run_jobs

    slices = plan_slices([Job(str(huge), "huge.pdf", "1" * 64, "h", str(tmp_path))], 2)
    assert [j.page_range for j in slices] == [(1, 200), (201, 400)]
    results = list(run_jobs(slices, workers=2, timeout=2, max_memory_mb=None))
    assert [(r.ok, r.error) for r in results] == [(False, "huge.pdf: killed after the time limit of 2s")] * 2
    spent = sum(r.seconds.get("extract", 0.0) for r in results)
    assert 2.0 <= spent < 2.6  # the two slices together, not 2 s each


# 4. disk full --------------------------------------------------------------------------------

@pytest.fixture
def small_fs(tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs (a real full file system) needs root")
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if p.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({p.stderr.strip()}): the test needs a real full file system")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder``, then free ``leave`` bytes."""
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\1" * 65536)
                fh.flush()
        except OSError:
            pass
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


DOC_TABLES = ("documents", "agenda_items", "materials", "attendees", "persons", "pages", "raw_tables", "items",
              "item_years", "wg_meetings", "item_results", "kpis", "schedule")


def table_counts(db) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as c:
        return {t: c.execute(f"select count(*) from {t}").fetchone()[0] for t in DOC_TABLES}


def test_disk_full_says_so_and_keeps_the_warehouse(tmp_path, warm, small_fs, capsys):
    raw = tmp_path / "raw"
    good(raw, "r3_browser.pdf")
    db = small_fs / "w.duckdb"
    assert ingest(raw, db, warm.extracted, "--quiet") == 0
    before = table_counts(db)
    assert before["documents"] == 1 and before["attendees"] == 34
    good(raw, "r4_browser.pdf")
    filler = fill(small_fs, leave=96 << 10)  # room for the run's bookkeeping, not for a document
    capsys.readouterr()
    assert ingest(raw, db, warm.extracted) == 4
    err = capsys.readouterr().err
    assert "Traceback" not in err and "cannot rollback" not in err
    assert err.splitlines()[-1] == (
        f"error: cannot write the warehouse {db} (loading r4_browser.pdf): no space left on device. "
        "The change in progress was rolled back; everything loaded before stays. Free some space and run again.")
    filler.unlink()
    assert table_counts(db) == before  # as it was
    assert ingest(raw, db, warm.extracted, "--quiet") == 0
    assert last_run(db) == {"r3_browser.pdf": ("unchanged", None), "r4_browser.pdf": ("loaded", None)}
    assert_good_loaded(db)


# 5. wrong paths ---------------------------------------------------------------------------

def _wrong(tmp_path: Path, case: str, warehouse: str):
    """(argv, the foreign path that must stay untouched, the one expected line)."""
    raw = tmp_path / "raw"
    good(raw, "r4_browser.pdf")
    base = ["ingest", "--raw", str(raw), "--extracted", str(tmp_path / "ex")]
    p = tmp_path / "thing"
    if case == "db-text":
        p.write_text("name,post\n富山,知事\n", encoding="utf-8")
        return [*base, "--db", str(p)], p, f"error: --db {p} is not a DuckDB warehouse (it is a text file); " \
                                           "nothing was written to it"
    if case == "db-pdf":
        shutil.copy2(sample_pdf("r4_browser.pdf"), p)
        return [*base, "--db", str(p)], p, f"error: --db {p} is not a DuckDB warehouse (it is a PDF document); " \
                                           "nothing was written to it"
    if case == "db-empty":
        p.write_bytes(b"")
        return [*base, "--db", str(p)], p, f"error: --db {p} is not a DuckDB warehouse (it is an empty file); " \
                                           "nothing was written to it"
    if case == "db-truncated":
        p.write_bytes(Path(warehouse).read_bytes()[:20000])
        return [*base, "--db", str(p)], p, (f"error: --db {p} is a damaged DuckDB warehouse (truncated?): it cannot "
                                            "be read; nothing was written to it. Move it aside (the next ingest "
                                            "builds a new one) or restore it from a copy")
    if case == "db-folder":
        p.mkdir()
        (p / "keep.txt").write_text("mine")
        return [*base, "--db", str(p)], p / "keep.txt", f"error: --db {p} is a folder, not a DuckDB warehouse file"
    if case == "db-under-a-file":
        p.write_text("mine")
        return [*base, "--db", str(p / "w.duckdb")], p, f"error: --db {p / 'w.duckdb'}: {p} is a file, not a folder"
    if case == "extracted-file":
        p.write_text("mine")
        return (["ingest", "--raw", str(raw), "--db", str(tmp_path / "w.duckdb"), "--extracted", str(p)], p,
                f"error: --extracted {p} is a file, not a folder")
    if case == "raw-file":
        p.write_text("mine")
        return (["ingest", "--raw", str(p), "--db", str(tmp_path / "w.duckdb")], p,
                f"error: --raw {p} is a file, not a folder")
    if case == "export-db-text":
        p.write_text("hello\n")
        return ["export", "--db", str(p), "--out", str(tmp_path / "out")], p, \
            f"error: --db {p} is not a DuckDB warehouse (it is a text file); nothing was written to it"
    if case == "export-out-file":
        p.write_text("mine")
        return ["export", "--db", warehouse, "--out", str(p)], p, f"error: --out {p} is a file, not a folder"
    if case == "check-db-truncated":
        p.write_bytes(Path(warehouse).read_bytes()[:20000])
        return ["check", "--db", str(p)], p, (f"error: --db {p} is a damaged DuckDB warehouse (truncated?): it "
                                              "cannot be read; nothing was written to it. Move it aside (the next "
                                              "ingest builds a new one) or restore it from a copy")
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["db-text", "db-pdf", "db-empty", "db-truncated", "db-folder", "db-under-a-file",
                                  "extracted-file", "raw-file", "export-db-text", "export-out-file",
                                  "check-db-truncated"])
def test_wrong_paths_give_one_clear_message(tmp_path, warm, capsys, case):
    argv, foreign, expected = _wrong(tmp_path, case, str(warm.db))
    before = foreign.read_bytes()
    capsys.readouterr()
    assert main(argv) == 2
    assert capsys.readouterr().err == expected + "\n"
    assert foreign.read_bytes() == before  # no foreign file overwritten
    assert not (tmp_path / "w.duckdb").exists() and not (tmp_path / "ex").exists()


# 6. no SQL spliced from paths or names -------------------------------------------------------

def test_export_paths_and_names_are_never_spliced_into_sql(tmp_path, warm):
    db = tmp_path / "w.duckdb"
    shutil.copy2(warm.db, db)
    with duckdb.connect(str(db)) as c:
        c.execute('create view "it\'s ""odd""" as select 1 as x')
        c.execute("""create view "../escape" as select 2 as y""")
    out = tmp_path / "it's an export'; copy documents to 'pwned.csv' (format csv); --"
    assert main(["export", "--db", str(db), "--format", "parquet", "--out", str(out)]) == 0
    with duckdb.connect() as c:
        assert c.execute("select count(*) from read_parquet(?)", [str(out / "documents.parquet")]).fetchone() == (2,)
        assert c.execute("select x from read_parquet(?)", [str(out / 'it\'s "odd".parquet')]).fetchall() == [(1,)]
        assert c.execute("select y from read_parquet(?)", [str(out / ".._escape.parquet")]).fetchall() == [(2,)]
    assert not (tmp_path / "escape.parquet").exists()
    assert not list(tmp_path.rglob("pwned*")) and not (ROOT / "pwned.csv").exists()
    assert main(["export", "--db", str(db), "--format", "xlsx", "--out", str(out)]) == 0
    import openpyxl

    wb = openpyxl.load_workbook(out / "warehouse.xlsx", read_only=True)
    assert {"it's \"odd\"", ".._escape"} <= set(wb.sheetnames)


def test_rebuild_drops_views_with_any_name(tmp_path, warm):
    db = tmp_path / "w.duckdb"
    shutil.copy2(warm.db, db)
    with duckdb.connect(str(db)) as c:
        c.execute('create view "my ""view""; drop table documents; --" as select 1 as x')
        c.execute("update meta set value = 'ancient' where key = 'schema_version'")
    raw = tmp_path / "raw"
    good(raw, "r4_browser.pdf")
    assert ingest(raw, db, warm.extracted, "--quiet") == 0
    assert_good_loaded(db, "r4_browser.pdf")
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("select count(*) from duckdb_views() where view_name like 'my%'").fetchone() == (0,)


# 7. signals ------------------------------------------------------------------------------

@pytest.mark.parametrize("sig, code, group", [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)])
def test_a_signal_stops_the_workers_and_rolls_back(tmp_path, warm, huge, sig, code, group):
    import psutil

    raw = tmp_path / "raw"
    good(raw, "r4_browser.pdf")
    shutil.copy2(huge, raw / "huge.pdf")
    ex = tmp_path / "ex"
    shutil.copytree(warm.extracted, ex)
    db = tmp_path / "w.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", "--raw", str(raw), "--db", str(db),
                             "--extracted", str(ex), "--jobs", "2", "--quiet"],
                            cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE, text=True)
    try:
        parent = psutil.Process(proc.pid)
        deadline = time.monotonic() + 60
        workers: list = []
        while time.monotonic() < deadline and len(workers) < 2:
            servers = [c for c in parent.children() if "forkserver" in " ".join(c.cmdline())]
            workers = [w for s in servers for w in s.children()]
            time.sleep(0.05)
        assert len(workers) == 2, "the two workers never started"
        family = parent.children(recursive=True)
        time.sleep(0.5)
        if group:
            os.killpg(proc.pid, sig)  # what a terminal's Ctrl-C does
        else:
            os.kill(proc.pid, sig)  # what `kill` or a service manager does: the parent only
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    assert proc.returncode == code
    name = signal.Signals(sig).name
    assert err.splitlines() == [f"ingest interrupted ({name}): workers stopped, the open transaction rolled back; "
                                "documents loaded before stay. Run it again to finish."]
    gone, alive = psutil.wait_procs(family, timeout=10)
    assert [p for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("select count(*) from documents where doc_id not in (select doc_id from pages)"
                         ).fetchone() == (0,)
    (raw / "huge.pdf").unlink()
    assert ingest(raw, db, ex, "--quiet") == 0
    assert_good_loaded(db, "r4_browser.pdf")


# 8. control characters in names --------------------------------------------------------------

def test_control_characters_in_names_are_escaped(tmp_path, warm, capsys):
    from pipeline.ingest import IngestOptions
    from pipeline.ingest import ingest as run

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bad\nFAILED forged.pdf").write_text("<html><body>moved</body></html>", encoding="utf-8")
    shutil.copy2(sample_pdf("r4_browser.pdf"), raw / "r4\tname.pdf")
    shutil.copy2(sample_pdf("r4_browser.pdf"), raw / "s\x1b[31mred.pdf")
    db = tmp_path / "w.duckdb"
    assert ingest(raw, db, warm.extracted) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\t" not in err
    assert not [ln for ln in err.splitlines() if ln.startswith("FAILED forged")]
    lines = err.splitlines()
    assert "FAILED bad\\nFAILED forged.pdf: not a PDF (an HTML page)" in lines
    assert "  duplicate: s\\x1b[31mred.pdf: byte-identical to r4\\tname.pdf; not loaded again" in lines
    assert last_run(db) == {  # the names stay as they are; the messages are escaped
        "bad\nFAILED forged.pdf": ("failed", "bad\\nFAILED forged.pdf: not a PDF (an HTML page)"),
        "r4\tname.pdf": ("loaded", None),
        "s\x1b[31mred.pdf": ("duplicate", "byte-identical to r4\\tname.pdf; not loaded again"),
    }
    assert_good_loaded(db, "r4_browser.pdf")
    progress: list[str] = []
    run(IngestOptions(raw_dir=raw, db_path=tmp_path / "w2.duckdb", extracted_dir=warm.extracted), progress.append)
    assert progress == ["[1/1] r4\\tname.pdf: loaded"]


# 9 and 11. bytes, not names, decide; messages never quote them -------------------------------------

def test_not_a_pdf_says_what_it_is_without_quoting_it(tmp_path, warm, capsys):
    raw = tmp_path / "raw"
    good(raw, "r4_browser.pdf")
    secret = "root:x:0:0:root:/root:/bin/bash"
    (raw / "page.pdf").write_text(f"<!DOCTYPE html><html><body>{secret}</body></html>", encoding="utf-8")
    with zipfile.ZipFile(raw / "data.pdf", "w") as z:
        z.writestr("passwd", secret)
    (raw / "pic.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + secret.encode() * 10)
    (raw / "notes.pdf").write_text(secret + "\n", encoding="utf-8")
    (raw / "old.pdf").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + secret.encode())
    (raw / "empty.pdf").write_bytes(b"")
    db = tmp_path / "w.duckdb"
    assert ingest(raw, db, warm.extracted) == 1
    expected = {
        "data.pdf": "data.pdf: not a PDF (a ZIP archive)",
        "empty.pdf": "empty.pdf: empty file (0 bytes)",
        "notes.pdf": "notes.pdf: not a PDF (a text file)",
        "old.pdf": "old.pdf: not a PDF (a legacy Office document)",
        "page.pdf": "page.pdf: not a PDF (an HTML page)",
        "pic.pdf": "pic.pdf: not a PDF (a PNG image)",
    }
    assert last_run(db) == {**{k: ("failed", v) for k, v in expected.items()}, "r4_browser.pdf": ("loaded", None)}
    with duckdb.connect(str(db), read_only=True) as c:
        assert sorted(m for (m,) in c.execute("select message from warnings where stage = 'extract'").fetchall()) \
            == sorted(expected.values())
    err = capsys.readouterr().err
    for leak in ("root:", "<html", "<!DOCTYPE", "PK\x03", "\x89PNG", "\\x89PNG", "\xd0\xcf"):
        assert leak not in err and not [m for m in messages(db) if leak in m]
    assert_good_loaded(db, "r4_browser.pdf")


def test_magic_bytes_not_names_decide(tmp_path, warm):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sample_pdf("r4_browser.pdf"), raw / "r4 scan")  # no extension
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "R3.PDF")
    (raw / "notes.txt").write_text("議事録メモ\n", encoding="utf-8")
    (raw / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (raw / "saved page").write_text("<html><head><title>404</title></head></html>", encoding="utf-8")
    (raw / ".hidden.pdf").write_text("an editor's temp file")  # hidden: never looked at
    db = tmp_path / "w.duckdb"
    assert ingest(raw, db, warm.extracted, "--quiet") == 0
    assert last_run(db) == {
        "R3.PDF": ("loaded", None),
        "notes.txt": ("skipped", "notes.txt: not a PDF (a text file)"),
        "photo.png": ("skipped", "photo.png: not a PDF (a PNG image)"),
        "r4 scan": ("loaded", None),
        "saved page": ("skipped", "saved page: not a PDF (an HTML page)"),
    }
    with duckdb.connect(str(db), read_only=True) as c:
        assert sorted(c.execute("select source_path from documents").fetchall()) == [("R3.PDF",), ("r4 scan",)]
    assert_good_loaded(db)


# 10. xlsx cell limit ---------------------------------------------------------------------------

def test_xlsx_cell_over_the_excel_limit_is_cut_visibly(tmp_path, warm, capsys):
    import openpyxl

    db = tmp_path / "w.duckdb"
    shutil.copy2(warm.db, db)
    with duckdb.connect(str(db)) as c:
        doc_id = c.execute("select doc_id from documents where source_path = 'r4_browser.pdf'").fetchone()[0]
        c.execute("update pages set text = ? where doc_id = ? and page = 3", ["あ" * 73_610, doc_id])
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "xlsx", "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    warned = [ln for ln in err.splitlines() if ln.startswith("warning: sheet pages, row ")]
    assert len(warned) == 1
    m = re.fullmatch(r"warning: sheet pages, row (\d+) \(doc_id (\w+), page 3\), column text: 73,610 characters cut "
                     r"to 32,767 \(Excel's limit per cell\); the CSV and Parquet exports keep all of it", warned[0])
    assert m and m.group(2) == doc_id
    ws = openpyxl.load_workbook(tmp_path / "out" / "warehouse.xlsx", read_only=True)["pages"]
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))
    row = next(ws.iter_rows(min_row=int(m.group(1)), max_row=int(m.group(1)), values_only=True))
    cell = row[header.index("text")]
    assert (row[header.index("doc_id")], row[header.index("page")]) == (doc_id, 3)
    marker = "…[cut: 73,610 characters in all; Excel holds 32,767 per cell]"
    assert len(cell) == 32_767 and cell.endswith(marker) and cell == "あ" * (32_767 - len(marker)) + marker
