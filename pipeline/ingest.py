"""Ingest: raw/ → extracted/ → warehouse, incrementally.

Wires the stages: discover the files, decide per file (new, changed, unchanged,
duplicate), extract + parse the rest in worker processes, and load each document
in its own transaction from this one process (DuckDB has a single writer).
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable

import duckdb

from pipeline import checks, corrections, load, pipeline_version
from pipeline import ocr_correct
from pipeline.discover import (DiscoverSettings, discover, file_to_sha256, open_regular, os_reason, printable,
                               sha256_to_doc_id)
from pipeline.ir import ir_path, write_document
from pipeline.worker import (DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Job, JobResult, join_slices, run_jobs,
                             run_jobs_dask)

#: A document of this many pages or more is extracted in slices across workers.
DEFAULT_SPLIT_MIN_PAGES = 64
DEFAULT_SLICE_PAGES = 32  # the smallest slice worth a process
#: At most this many slices per worker and file: each slice opens the file and builds
#: its whole page list again, so more slices cost more than they balance.
DEFAULT_SLICES_PER_WORKER = 1


@dataclass(frozen=True)
class IngestOptions:
    raw_dir: Path = Path("raw")
    db_path: Path = Path("warehouse/meetings.duckdb")
    extracted_dir: Path = Path("extracted")
    jobs: int = 1
    prune: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB
    lock_timeout: float = load.DEFAULT_LOCK_TIMEOUT
    executor: str = "local"  # local (worker processes) or dask
    scheduler: str | None = None  # dask scheduler address; None starts a local cluster
    profile: str | None = None  # force this body profile on every file (None: detect per document)
    follow_links: bool = False  # read what symbolic links lead to outside raw_dir
    corrections_dir: Path = corrections.DEFAULT_DIR  # hand corrections (*.csv) applied at load


class SetupError(Exception):
    """A path given to the run is unusable (a file where a folder is needed…); nothing was done."""


@dataclass
class FileOutcome:
    source_path: str
    status: str  # loaded, partial, unchanged, duplicate, failed, skipped, pruned
    message: str = ""
    doc_id: str | None = None
    name_note: str | None = None  # how a non-UTF-8 file name was read, with its bytes


@dataclass
class IngestSummary:
    run_id: str
    outcomes: list[FileOutcome] = field(default_factory=list)
    warnings: int = 0
    check_findings: int = 0
    library_warnings: int = 0
    table_counts: dict[str, int] = field(default_factory=dict)
    rebuilt: bool = False
    #: (file, page, message) of the data-check findings, for the end-of-run summary
    findings: list[tuple] = field(default_factory=list)
    #: seconds per stage, summed over documents (extract and parse run in workers)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    pages: int = 0

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def failed(self) -> int:
        return self.count("failed")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def check_paths(opts: IngestOptions) -> None:
    """Refuse, before anything is written, folders that cannot work.

    Raises:
        SetupError: one line naming the option and the path.
    """
    raw = Path(opts.raw_dir)
    if not raw.exists():
        raise SetupError(f"raw folder {raw} does not exist")
    if not raw.is_dir():
        raise SetupError(f"--raw {raw} is a file, not a folder")
    extracted = Path(opts.extracted_dir)
    for p in (extracted, *extracted.parents):
        try:
            if not p.exists():
                continue
        except OSError as e:
            raise SetupError(f"--extracted {extracted}: cannot look at {p} ({os_reason(e)})") from e
        if not p.is_dir():
            raise SetupError(f"--extracted {extracted} is a file, not a folder" if p == extracted
                             else f"--extracted {extracted}: {p} is a file, not a folder")
        break


def ingest(opts: IngestOptions, progress: Callable[[str], None] = lambda s: None,
           notice: Callable[[str], None] = lambda s: None) -> IngestSummary:
    """Bring the warehouse up to date with raw/.

    Nothing found in raw/ stops the run: an entry that cannot be read is recorded
    (failed or skipped, with the reason) and the others are loaded.

    Args:
        opts: what to ingest where.
        progress: called with a line per finished file (the CLI shows it on a terminal).
        notice: called with messages the operator should see even off a terminal
            (waiting for another process's lock).

    Returns:
        The run's summary; ``summary.failed`` counts the files that could not be loaded.

    Raises:
        SetupError: --raw or --extracted cannot be used; nothing was done.
        corrections.CorrectionsError: a corrections file has a bad line (file and line
            named); nothing was done.
        load.WarehouseUnusable: --db is not a warehouse; nothing was written to it.
        load.WarehouseLocked: another process holds the warehouse past the wait.
        load.WarehouseWriteFailed: the warehouse could not be written (disk full…): the
            run stops, the change in progress is rolled back, what was loaded stays.
    """
    check_paths(opts)
    fixes = corrections.load_dir(opts.corrections_dir)  # strict: a bad line stops the run before any write
    summary = IngestSummary(run_id=uuid.uuid4().hex[:12])
    version = corrections.version_with(pipeline_version(), fixes)  # edited corrections re-parse like new code
    con = load.connect(opts.db_path, lock_timeout=opts.lock_timeout, on_wait=notice)
    results = None
    doing = "setting up the warehouse"  # what is being written, for the message when a write fails
    try:
        summary.rebuilt = load.ensure_schema(con)
        try:
            found = discover(opts.raw_dir, DiscoverSettings(follow_links=opts.follow_links))
        except OSError as e:
            raise SetupError(f"--raw {opts.raw_dir}: cannot read the folder ({os_reason(e)})") from e
        known = {r[0]: r[1:] for r in con.execute(
            "select source_path, sha256, size, mtime_ns, doc_id, status, pipeline_version from files").fetchall()}
        docs = {r[0]: r[1] for r in con.execute("select doc_id, source_path from documents").fetchall()}
        # a forced profile re-parses the documents that were read with another one
        reprofile = set() if opts.profile is None else {r[0] for r in con.execute(
            "select doc_id from documents where profile is distinct from ?", [opts.profile]).fetchall()}
        # an entry still there but unreadable today keeps its rows under --prune
        present = {f.rel_path for f in found.files} | {e.rel_path for e in found.entries if e.present}
        jobs: list[Job] = []
        file_of: dict[str, object] = {}
        planned_docs: set[str] = set()
        log_rows: list[dict] = []
        file_rows: list[tuple] = []
        failures: list[FileOutcome] = []
        for entry in found.entries:
            outcome = _add(summary, FileOutcome(entry.rel_path, entry.status, entry.message, None, entry.name_note))
            log_rows.append(_log(summary.run_id, entry.rel_path, None, outcome, _now()))
        for f in found.files:
            started = _now()
            shown = printable(f.rel_path)
            prev = known.get(f.rel_path)
            if f.not_pdf is None and prev and prev[1] == f.size and prev[2] == f.mtime_ns and prev[5] == version \
                    and prev[4] in ("loaded", "partial", "duplicate") and (prev[3] in docs or prev[4] == "duplicate"):
                sha = prev[0]  # size+mtime unchanged: no need to read the bytes
            else:
                try:
                    sha = file_to_sha256(f.path)
                except OSError as e:
                    gone = isinstance(e, FileNotFoundError)
                    if gone:
                        present.discard(f.rel_path)
                    outcome = _add(summary, FileOutcome(
                        f.rel_path, "skipped" if gone else "failed",
                        f"{shown}: disappeared before it could be read" if gone
                        else f"{shown}: cannot read the file ({os_reason(e)})", None, f.name_note))
                    log_rows.append(_log(summary.run_id, f.rel_path, None, outcome, started))
                    continue
            doc_id = sha256_to_doc_id(sha)
            if f.not_pdf is not None:  # named like a PDF, but its bytes say otherwise
                why = "empty file (0 bytes)" if f.size == 0 else f"not a PDF ({f.not_pdf})"
                outcome = _add(summary, FileOutcome(f.rel_path, "failed", f"{shown}: {why}", doc_id, f.name_note))
                failures.append(outcome)
                file_rows.append((f.rel_path, sha, f.size, f.mtime_ns, doc_id, "failed", version))
                log_rows.append(_log(summary.run_id, f.rel_path, sha, outcome, started))
                continue
            outcome = None
            if prev and prev[0] == sha and prev[5] == version and prev[4] in ("loaded", "partial") \
                    and doc_id in docs and doc_id not in reprofile:
                outcome = FileOutcome(f.rel_path, "unchanged", "", doc_id, f.name_note)
            elif doc_id in planned_docs or (doc_id in docs and docs[doc_id] != f.rel_path):
                owner = docs.get(doc_id)
                if owner is not None and owner not in present:
                    # the file was renamed or moved: keep its rows, follow the new name
                    con.execute("update documents set source_path = ? where doc_id = ?", [f.rel_path, doc_id])
                    con.execute("delete from files where source_path = ?", [owner])
                    docs[doc_id] = f.rel_path
                    outcome = FileOutcome(f.rel_path, "unchanged", f"renamed from {owner}", doc_id, f.name_note)
                else:
                    same_as = owner or next((j.rel_path for j in jobs if j.doc_id == doc_id), "?")
                    outcome = FileOutcome(f.rel_path, "duplicate", f"byte-identical to {same_as}; not loaded again",
                                          doc_id, f.name_note)
            if outcome is not None:
                _add(summary, outcome)
                kept = prev[4] if prev and prev[0] == sha else "loaded"
                state = (f.rel_path, sha, f.size, f.mtime_ns, doc_id,
                         kept if outcome.status == "unchanged" else outcome.status, version)
                if prev is None or tuple(prev) != state[1:]:
                    file_rows.append(state)  # only what changed: a no-op run writes nothing here
                log_rows.append(_log(summary.run_id, f.rel_path, sha, outcome, started))
                continue
            planned_docs.add(doc_id)
            jobs.append(Job(str(f.path), f.rel_path, sha, doc_id, str(opts.extracted_dir), profile=opts.profile))
            file_of[f.rel_path] = (f, prev, started)
        doing = "recording the files of this run"
        load.record_files(con, file_rows)
        load.record_log(con, log_rows)
        for outcome in failures:
            _record_failure(con, summary, outcome)

        total = len(jobs)
        queue = plan_slices(jobs, opts.jobs) if opts.executor == "local" else list(jobs)
        slices: dict[str, list] = {}  # doc_id -> slice results so far
        n_slices = {j.doc_id: sum(1 for q in queue if q.doc_id == j.doc_id and q.page_range) for j in jobs}
        if opts.executor == "dask":
            results = run_jobs_dask(queue, scheduler=opts.scheduler, workers=opts.jobs)
        else:
            results = run_jobs(queue, workers=opts.jobs, timeout=opts.timeout, max_memory_mb=opts.max_memory_mb)
        n = 0
        for result in results:
            job = result.job
            if job.page_range is not None:
                # a slice: once all slices of the document are in, store its IR and queue its parse
                got = slices.setdefault(job.doc_id, [])
                got.append(result)
                summary.library_warnings += sum(result.library_warnings.values())
                summary.stage_seconds["extract"] = summary.stage_seconds.get("extract", 0.0) \
                    + result.seconds.get("extract", 0.0)
                if len(got) < n_slices[job.doc_id]:
                    continue
                failed = next((r for r in got if not r.ok), None)
                whole = replace(job, page_range=None)
                if failed is None:
                    write_document(join_slices([r.document for r in got]), Path(whole.extracted_dir))
                    queue.append(whole)
                    continue
                result = JobResult(whole, False, failed.error)
                job = whole
            n += 1
            f, prev, started = file_of[job.rel_path]
            shown = printable(job.rel_path)
            replaces = [prev[3]] if prev and prev[3] and prev[3] != job.doc_id and prev[3] in docs \
                and docs.get(prev[3]) == job.rel_path else []
            summary.library_warnings += sum(result.library_warnings.values())
            for stage, secs in result.seconds.items():
                summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + secs
            summary.pages += result.page_count
            t_load = time.perf_counter()
            doing = f"loading {shown}"
            if not result.ok:
                if not os.path.lexists(f.path):  # deleted while the run was on: nothing to report but that
                    present.discard(job.rel_path)
                    outcome = _add(summary, FileOutcome(job.rel_path, "skipped",
                                                        f"{shown}: disappeared before it could be read",
                                                        job.doc_id, f.name_note))
                else:
                    outcome = _add(summary, FileOutcome(job.rel_path, "failed", result.error or f"{shown}: failed",
                                                        job.doc_id, f.name_note))
                    _record_failure(con, summary, outcome)
            else:
                try:
                    outcome = _load_one(con, result, f, replaces, summary, fixes)
                except duckdb.Error as e:
                    if isinstance(e, duckdb.InterruptException) or load.storage_failure(e):
                        raise
                    # this document's rows do not fit (a bug or odd data): it alone fails
                    outcome = FileOutcome(job.rel_path, "failed",
                                          f"{shown}: could not be loaded ({load.first_line(e)})", job.doc_id)
                    _record_failure(con, summary, _add(summary, outcome))
                else:
                    _add(summary, outcome)
                if outcome.status in ("loaded", "partial"):
                    docs[job.doc_id] = job.rel_path
                    for old in replaces:
                        docs.pop(old, None)
                outcome.name_note = f.name_note
            summary.stage_seconds["load"] = summary.stage_seconds.get("load", 0.0) + time.perf_counter() - t_load
            load.record_files(con, [(job.rel_path, job.sha256, f.size, f.mtime_ns, job.doc_id, outcome.status,
                                     version)])
            load.record_log(con, [_log(summary.run_id, job.rel_path, job.sha256, outcome, started)])
            doing = ""
            progress(f"[{n}/{total}] {shown}: {outcome.status}"
                     + (f" ({outcome.message})" if outcome.message and outcome.status != "loaded" else ""))

        doing = "finishing the run (persons, views, data checks)"
        t_final = time.perf_counter()
        if opts.prune:
            for path in load.remove_missing(con, present):
                _add(summary, FileOutcome(path, "pruned", "source file no longer in raw/"))
        load.finalize(con)
        summary.check_findings = checks.run_checks(con, summary.run_id)
        summary.findings = [(path or doc_id, page, msg) for doc_id, path, page, msg in checks.list_findings(con)]
        summary.table_counts = load.doc_table_counts(con)
        summary.stage_seconds["finalize"] = time.perf_counter() - t_final
    except duckdb.Error as e:
        reason = load.storage_failure(e)
        if reason is None:
            raise
        raise load.WarehouseWriteFailed(opts.db_path, reason, doing) from e
    finally:
        if results is not None:
            results.close()  # stops the workers still running (an interrupt, a write failure)
        load.close_quietly(con)
    return summary


def _add(summary: IngestSummary, outcome: FileOutcome) -> FileOutcome:
    """Record an outcome; its message is escaped once here for every place that shows it."""
    outcome.message = printable(outcome.message or "")
    summary.outcomes.append(outcome)
    return outcome


def _record_failure(con, summary: IngestSummary, outcome: FileOutcome) -> None:
    """A failed file's reason, kept as its document's only warning (shown by `check` and exports)."""
    con.execute("delete from warnings where doc_id = ?", [outcome.doc_id])
    load.record_warnings(con, [{"doc_id": outcome.doc_id, "stage": "extract", "page": None,
                                "message": outcome.message, "run_id": summary.run_id}])
    summary.warnings += 1


def _page_count(path: str) -> int:
    """Pages of a PDF that really exist; 0 when unknown.

    The page tree's /Count is only a claim (600 bytes can claim a million pages), so
    PDFium, which walks the tree itself, is asked whether the last claimed page
    exists; when it does not, the real count is found by bisection (pages exist as a
    prefix: page i exists when i is below the count). Only the tree is read, never a
    page's contents, so a hostile page cannot cost anything here.
    """
    import ctypes

    try:
        import pypdfium2
        import pypdfium2.raw as pdfium_c

        with open(open_regular(path), "rb") as fh:
            doc = pypdfium2.PdfDocument(fh)
            try:
                claimed = len(doc)
                size = pdfium_c.FS_SIZEF()

                def exists(i: int) -> bool:
                    return bool(pdfium_c.FPDF_GetPageSizeByIndexF(doc.raw, i, ctypes.byref(size)))

                if claimed <= 0 or exists(claimed - 1):
                    return max(claimed, 0)
                if not exists(0):
                    return 0
                lo, hi = 0, claimed - 1  # page lo exists, page hi does not
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    lo, hi = (mid, hi) if exists(mid) else (lo, mid)
                return lo + 1
            finally:
                doc.close()
    except Exception:
        return 0  # broken or encrypted: the whole-file job reports why


def plan_slices(jobs: list[Job], workers: int) -> list[Job]:
    """Split documents into page-range slices so that one large packet uses every core.

    A document is sliced when it is large, or when there are fewer documents than
    workers; otherwise whole files already keep every worker busy and slicing
    would only re-open PDFs. Pages are counted for real (not the /Count a file
    claims) and a file gets at most DEFAULT_SLICES_PER_WORKER slices per worker,
    so each worker opens it once.
    """
    if workers <= 1:
        return list(jobs)
    out: list[Job] = []
    few = len(jobs) < workers
    max_slices = workers * DEFAULT_SLICES_PER_WORKER
    for job in jobs:
        if ir_path(Path(job.extracted_dir), job.doc_id).exists():
            out.append(job)  # already extracted: only a re-parse is due
            continue
        pages = _page_count(job.path)
        if pages >= DEFAULT_SPLIT_MIN_PAGES:
            size = max(DEFAULT_SLICE_PAGES, -(-pages // max_slices))
        elif few and pages >= 2 * workers:
            size = -(-pages // workers)
        else:
            out.append(job)
            continue
        out.extend(replace(job, page_range=(first, min(first + size - 1, pages)))
                   for first in range(1, pages + 1, size))
    return out


def _load_one(con, result, f, replaces: list[str], summary: IngestSummary,
              fixes: corrections.CorrectionSet = corrections.NONE) -> FileOutcome:
    job, parsed, fields = result.job, result.parsed, result.fields
    status = "partial" if result.page_errors else "loaded"
    document = {
        "doc_id": job.doc_id, "source_path": job.rel_path, "sha256": job.sha256, "page_count": result.page_count,
        "meeting_body": fields.get("meeting_body"), "title": fields.get("title"),
        "fiscal_year": fields.get("fiscal_year"), "session_no": fields.get("session_no"),
        "held_on": fields.get("held_on"), "starts_at": fields.get("starts_at"), "ends_at": fields.get("ends_at"),
        "venue": fields.get("venue"), "ingested_at": _now(), "pipeline_version": pipeline_version(),
        "weekday_text": fields.get("weekday_text"), "status": status, "file_size": f.size,
        "file_mtime_ns": f.mtime_ns, "ocr_pages": result.ocr_pages,
        "profile": fields.get("profile"), "profile_evidence": fields.get("profile_evidence"),
    }
    tables = dict(parsed.tables)
    tables["warnings"] = [{"stage": w.stage, "page": w.page, "message": w.message, "run_id": summary.run_id}
                          for w in parsed.warnings]
    summary.warnings += ocr_correct.review_tables(con, job, tables, summary.run_id) if result.ocr_pages else 0
    summary.warnings += corrections.apply_to_tables(fixes, document, tables, summary.run_id)
    load.load_document(con, document, tables, parsed.items, replaces=replaces)
    summary.warnings += len(parsed.warnings)
    msg = f"replaces {', '.join(replaces)}" if replaces else ""
    if status == "partial":
        msg = f"{len(result.page_errors)} page(s) unreadable, first: page {result.page_errors[0][0]}"
    return FileOutcome(job.rel_path, status, msg, job.doc_id)


def _log(run_id: str, path: str, sha: str | None, outcome: FileOutcome, started: datetime) -> dict:
    # the raw bytes of a non-UTF-8 name ride along in the message: the name is never lost
    message = "; ".join(m for m in (outcome.message, outcome.name_note) if m)
    return {"run_id": run_id, "source_path": path, "sha256": sha, "status": outcome.status,
            "message": printable(message) or None, "started_at": started, "finished_at": _now(),
            "doc_id": outcome.doc_id}
