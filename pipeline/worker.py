"""Run extract + parse for each document in an isolated worker process.

Each document gets its own process with a time limit and a memory limit, so a
hostile file (a decompression bomb, a parser loop) is killed and recorded as
failed while the run goes on. The time limit is per file: the page-range slices
of one file share it, so splitting a file never buys it more time. Workers come
from a forkserver that has already imported the pipeline, so a new process costs
a fork, not an interpreter start. Workers ignore Ctrl-C (the terminal sends it to
every process of the group): the parent decides, and stops them.

A scanned page costs seconds of OCR where a text page costs milliseconds, so a
worker that finds pages to OCR tells the parent how many before it starts, and
the file's time limit grows by an allowance per scanned page (capped): a 50-page
scan is not killed for being a scan, and a text file keeps its tight limit.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Iterator

from pipeline import ir
from pipeline.extract import ExtractError, ExtractSettings, pdf_to_document
from pipeline.rows import ParseResult

DEFAULT_TIMEOUT = 300.0  # seconds per document (all its slices together)
DEFAULT_MAX_MEMORY_MB = 3072  # address space per worker
#: Extra seconds of time limit per page to OCR: about 5x what a page costs one core
#: (3.5 s, bench/bench.py --only-ocr), for a loaded machine.
DEFAULT_OCR_SECONDS_PER_PAGE = 20.0
#: The most a file's limit grows for its scanned pages, whatever their number.
DEFAULT_MAX_OCR_ALLOWANCE = 3600.0
_POLL = 0.5  # seconds between two looks at the running workers' clocks


@dataclass(frozen=True)
class Job:
    """One unit of work: a whole document, or (page_range set) one slice of its pages.

    A slice only extracts: its pages come back in ``JobResult.pages`` and the
    caller joins the slices into the document's IR before the document is parsed.
    """

    path: str
    rel_path: str
    sha256: str
    doc_id: str
    extracted_dir: str
    settings: ExtractSettings = field(default_factory=ExtractSettings)
    page_range: tuple[int, int] | None = None
    profile: str | None = None  # force this body profile instead of detecting one


@dataclass(frozen=True)
class OcrNotice:
    """Sent by a worker before it OCRs: how many of its pages are scans."""

    pages: int


@dataclass
class JobResult:
    job: Job
    ok: bool
    error: str | None = None
    fields: dict = field(default_factory=dict)
    parsed: ParseResult | None = None
    page_count: int = 0
    ocr_pages: int = 0
    page_errors: list = field(default_factory=list)
    library_warnings: Counter = field(default_factory=Counter)
    seconds: dict = field(default_factory=dict)
    ir_reused: bool = False
    document: ir.Document | None = None  # the extracted slice, for page-range jobs


def _extract_error(job: Job, e: ExtractError) -> str:
    if e.reason.startswith("not a PDF"):
        # the file changed since discovery checked its bytes: say what it is, never quote it
        from pipeline.discover import describe

        try:
            with open(job.path, "rb") as fh:
                head = fh.read(1024)
        except OSError:
            head = b""
        return f"{job.rel_path}: not a PDF ({describe(head)})"
    return str(e)


def run_slice(job: Job, on_ocr=None) -> JobResult:
    """Extract one page range of a document (no parse: the slices are joined first)."""
    t0 = time.perf_counter()
    try:
        result = pdf_to_document(Path(job.path), doc_id=job.doc_id, sha256=job.sha256, rel_path=job.rel_path,
                                 settings=job.settings, page_range=job.page_range, on_ocr=on_ocr)
    except ExtractError as e:
        return JobResult(job, False, _extract_error(job, e), seconds={"extract": time.perf_counter() - t0})
    return JobResult(job, True, library_warnings=result.library_warnings,
                     seconds={"extract": time.perf_counter() - t0}, document=result.document)


def join_slices(slices: list[ir.Document]) -> ir.Document:
    """The IR of a document from its page-range slices, as one extraction would give it."""
    slices = sorted(slices, key=lambda d: d.pages[0].number if d.pages else 0)
    first = slices[0]
    pages = [p for d in slices for p in d.pages]
    problems = list(dict.fromkeys(pr for d in slices for pr in d.problems))
    problems.sort(key=lambda pr: (pr[0] is not None, pr[0] or 0))
    return ir.Document(first.doc_id, first.source_path, first.sha256, first.page_count, pages, first.metadata,
                       problems)


def run_job(job: Job, on_ocr=None) -> JobResult:
    """Extract (or reuse the stored IR) and parse one document, in this process.

    Args:
        job: the document (or a page range of it).
        on_ocr: called with the number of pages to OCR before OCR starts.
    """
    from pipeline.parse import document_to_rows

    if job.page_range is not None:
        return run_slice(job, on_ocr)
    t0 = time.perf_counter()
    doc = ir.read_document(Path(job.extracted_dir), job.doc_id, job.sha256)
    if doc is not None and job.settings.ocr and any(p.needs_ocr for p in doc.pages):
        from pipeline import ocr

        if ocr.tesseract_available():
            doc = None  # stored before OCR was installed: read the scans again
    reused = doc is not None
    lib_warnings: Counter = Counter()
    if doc is None:
        try:
            result = pdf_to_document(Path(job.path), doc_id=job.doc_id, sha256=job.sha256,
                                     rel_path=job.rel_path, settings=job.settings, on_ocr=on_ocr)
        except ExtractError as e:
            return JobResult(job, False, _extract_error(job, e), seconds={"extract": time.perf_counter() - t0})
        doc, lib_warnings = result.document, result.library_warnings
        ir.write_document(doc, Path(job.extracted_dir))
        write_library_log(Path(job.extracted_dir), job.doc_id, lib_warnings)
    page_errors = [(p, r) for p, r in doc.problems if p is not None]
    if doc.pages and len(page_errors) == len(doc.pages):
        first = page_errors[0]
        return JobResult(job, False, f"{job.rel_path}, page {first[0]}: no page could be read ({first[1]})",
                         page_errors=page_errors, library_warnings=lib_warnings,
                         seconds={"extract": time.perf_counter() - t0})
    unreadable = unreadable_reason(doc)
    if unreadable:
        return JobResult(job, False, unreadable, page_count=doc.page_count, library_warnings=lib_warnings,
                         seconds={"extract": time.perf_counter() - t0}, ir_reused=reused)
    t1 = time.perf_counter()
    fields, parsed = document_to_rows(doc, job.profile)
    t2 = time.perf_counter()
    secs = {"extract": t1 - t0, "parse": t2 - t1}
    for page, reason in doc.problems:
        parsed.warn("extract", page, f"page could not be read: {reason}" if page else reason)
    return JobResult(job, True, None, fields, parsed, page_count=doc.page_count,
                     ocr_pages=sum(1 for p in doc.pages if p.source == "ocr"),
                     page_errors=page_errors, library_warnings=lib_warnings,
                     seconds=secs, ir_reused=reused)


def write_library_log(extracted_dir: Path, doc_id: str, counts: Counter) -> None:
    """Keep the PDF libraries' complaints beside the IR (extract.log), off the terminal."""
    path = ir.ir_path(extracted_dir, doc_id).with_name("extract.log")
    lines = [f"{n}\t{msg}" for msg, n in counts.most_common()]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def unreadable_reason(doc: ir.Document) -> str | None:
    """Why a PDF gives nothing to read (no pages, no text on any page), or None.

    Only such a file fails: a readable PDF of any kind is loaded with what the
    parsers of its profile (or the generic ones) find.
    """
    if not doc.pages:
        return f"{doc.source_path}: the PDF has no pages"
    if not any(p.has_text_layer or p.source == "ocr" for p in doc.pages):
        if any(p.needs_ocr for p in doc.pages):
            return (f"{doc.source_path}: no page has a text layer (a scan?) and OCR is not available; "
                    "install tesseract-ocr and tesseract-ocr-jpn (make ocr-deps) and ingest again")
        return f"{doc.source_path}: no page has any text or image (blank pages)"
    return None


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere a no-op).

    A worker's parent is the forkserver, which exits when the ingest process dies (even
    by SIGKILL): the worker goes down with it rather than run on. A worker's tesseract
    runs call it too (as preexec_fn), so a worker killed at its time limit leaves none behind.
    """
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the parent still kills its workers on every way out it controls


def _child(job: Job, conn, max_memory_mb: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the run, and this worker with it
    die_with_parent()
    if max_memory_mb:
        import resource

        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = run_job(job, on_ocr=lambda n: conn.send(OcrNotice(n)))
    except MemoryError:
        result = JobResult(job, False, f"{job.rel_path}: exceeded the memory limit ({max_memory_mb} MB)")
    except BaseException as e:  # report, never hang the parent
        tb = traceback.extract_tb(e.__traceback__)
        where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
        result = JobResult(job, False, f"{job.rel_path}: internal error {type(e).__name__}: {e}{where}")
    try:
        try:
            conn.send(result)
        except MemoryError:
            conn.send(JobResult(job, False, f"{job.rel_path}: exceeded the memory limit ({max_memory_mb} MB)"))
    except OSError:
        pass  # the parent is gone or gave up on this job: nobody to tell
    finally:
        conn.close()


_CTX = None


def _context():
    global _CTX
    if _CTX is None:
        _CTX = mp.get_context("forkserver")
        _CTX.set_forkserver_preload(["pipeline.worker", "pipeline.parse", "pdfplumber"])
    return _CTX


def run_jobs(jobs: list[Job], *, workers: int = 1, timeout: float = DEFAULT_TIMEOUT,
             max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
             ocr_seconds_per_page: float = DEFAULT_OCR_SECONDS_PER_PAGE,
             max_ocr_allowance: float = DEFAULT_MAX_OCR_ALLOWANCE) -> Iterator[JobResult]:
    """Run jobs in up to ``workers`` processes; yield each result as it finishes.

    ``jobs`` is consumed from the front and may grow while results are being read
    (the caller queues a document's parse once its slices are in). ``timeout`` bounds
    the seconds all jobs of one document take together (its slices run side by side,
    its parse after them): when they are spent, its running jobs are killed and its
    queued slices dropped, each yielding a failed result. A job that announces pages
    to OCR (OcrNotice) adds ``ocr_seconds_per_page`` for each to its document's limit,
    ``max_ocr_allowance`` at most. A worker that dies (out of
    memory, a crash in a C library) yields a failed result with the reason. Closing
    the generator (the caller stops early: an interrupt, a write failure) kills every
    worker still running.
    """
    ctx = _context()
    pending = jobs
    running: dict = {}  # conn -> (process, job, started)
    spent: dict[str, float] = {}  # doc_id -> seconds its finished jobs took
    scanned: dict[str, int] = {}  # doc_id -> pages its jobs announced to OCR

    def used(doc_id: str, now: float) -> float:
        return spent.get(doc_id, 0.0) + sum(now - t for _, j, t in running.values() if j.doc_id == doc_id)

    def limit(doc_id: str) -> float:
        return timeout + min(scanned.get(doc_id, 0) * ocr_seconds_per_page, max_ocr_allowance)

    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                job = pending.pop(0)
                recv, send = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_child, args=(job, send, max_memory_mb), daemon=True)
                p.start()
                send.close()
                running[recv] = (p, job, time.monotonic())
            now = time.monotonic()
            # wake up when the first document's time is spent, not up to a poll later
            per_doc: dict[str, int] = {}
            for _, j, _ in running.values():
                per_doc[j.doc_id] = per_doc.get(j.doc_id, 0) + 1
            left = min(((limit(d) - used(d, now)) / k for d, k in per_doc.items()), default=_POLL)
            ready = wait(list(running), timeout=min(_POLL, max(0.01, left)))
            for conn in ready:
                p, job, started = running[conn]
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    p.join(5)
                    result = JobResult(job, False, _death_reason(job, p.exitcode, max_memory_mb))
                if isinstance(result, OcrNotice):
                    scanned[job.doc_id] = scanned.get(job.doc_id, 0) + result.pages
                    continue  # the job runs on, with more time
                del running[conn]
                conn.close()
                p.join(5)
                spent[job.doc_id] = spent.get(job.doc_id, 0.0) + time.monotonic() - started
                yield result
            now = time.monotonic()
            for doc_id in list(per_doc):
                if used(doc_id, now) <= limit(doc_id):
                    continue
                for conn, (p, job, started) in list(running.items()):
                    if job.doc_id != doc_id:
                        continue
                    p.kill()
                    p.join(5)
                    conn.close()
                    del running[conn]
                    spent[doc_id] = spent.get(doc_id, 0.0) + now - started
                    yield JobResult(job, False, _time_limit(job, limit(doc_id), scanned.get(doc_id, 0)),
                                    seconds={"extract": now - started})
                for job in [j for j in pending if j.doc_id == doc_id]:
                    pending.remove(job)
                    yield JobResult(job, False, _time_limit(job, limit(doc_id), scanned.get(doc_id, 0)))
    finally:
        for conn, (p, _, _) in running.items():
            p.kill()
        for conn, (p, _, _) in running.items():
            p.join(5)
            conn.close()


def _time_limit(job: Job, seconds: float, scanned: int = 0) -> str:
    plural = "" if scanned == 1 else "s"
    allowance = f" (with the allowance for {scanned} scanned page{plural})" if scanned else ""
    return f"{job.rel_path}: killed after the time limit of {seconds:.0f}s{allowance}"


def _death_reason(job: Job, exitcode: int | None, max_memory_mb: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        hint = f" (likely over the memory limit of {max_memory_mb} MB)" if sig == 9 else ""
        return f"{job.rel_path}: worker killed by signal {sig}{hint}"
    return f"{job.rel_path}: worker exited with status {exitcode} without a result"


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_jobs_dask(jobs: list[Job], *, scheduler: str | None = None, workers: int = 1) -> Iterator[JobResult]:
    """Run jobs on a dask.distributed cluster; yield each result as it finishes.

    With ``scheduler`` (``tcp://host:8786``) the jobs join a running cluster, whose
    workers must see the PDFs and the extracted folder at the same paths (a shared
    file system); without it a local cluster of ``workers`` processes is started
    and closed. Like ``run_jobs``, ``jobs`` may grow while results are read.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster)
    try:
        futures: dict = {}

        def submit(job: Job):
            fut = client.submit(run_job, job, pure=False)
            futures[fut.key] = job
            return fut

        ac = as_completed([submit(j) for j in jobs])
        jobs.clear()
        for fut in ac:
            job = futures.pop(fut.key)
            try:
                result = fut.result()
            except Exception as e:  # a worker crash or a bug: this document fails, the run goes on
                result = JobResult(job, False, f"{job.rel_path}: worker error {type(e).__name__}: {e}")
            yield result
            while jobs:
                ac.add(submit(jobs.pop(0)))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
