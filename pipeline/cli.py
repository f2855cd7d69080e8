"""Command line: ``python -m pipeline ingest|check|export``."""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from pipeline import pipeline_version

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE, EXIT_LOCKED, EXIT_WAREHOUSE = 0, 1, 2, 3, 4
#: a run stopped by a signal exits 128 + its number, as a shell reports it: 130 Ctrl-C, 143 SIGTERM
EXIT_SIGNAL_BASE = 128


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: unwind (workers stopped, transaction rolled back), then exit."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _parser() -> argparse.ArgumentParser:
    from pipeline.load import DEFAULT_LOCK_TIMEOUT
    from pipeline.worker import DEFAULT_MAX_MEMORY_MB, DEFAULT_OCR_SECONDS_PER_PAGE, DEFAULT_TIMEOUT

    ap = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn meeting packets (PDF) in raw/ into the DuckDB warehouse analysts query.",
    )
    ap.add_argument("--version", action="version", version=f"%(prog)s {pipeline_version()}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ing = sub.add_parser(
        "ingest", help="load every new or changed PDF from raw/ into the warehouse",
        description="Load every new or changed PDF under --raw into --db, keeping each document's "
                    "intermediate representation in --extracted. Unchanged files are skipped; a changed "
                    "file replaces its document's rows; a byte-identical copy is recorded as a duplicate. "
                    "A file is a PDF by its bytes, whatever its name; entries that are not read (other files, "
                    "FIFOs, devices, links out of --raw) are listed as skipped. "
                    "Exit status: 0 when every file loaded, 1 when any file failed (the others are still "
                    "loaded), 2 usage error (a wrong path), 3 when the warehouse is locked by another process, "
                    "4 when the warehouse could not be written (disk full; the change in progress is rolled "
                    "back), 130 / 143 when stopped by Ctrl-C / SIGTERM.")
    ing.add_argument("--raw", type=Path, default=Path("raw"), help="folder searched recursively for PDFs (default: raw)")
    ing.add_argument("--follow-links", action="store_true",
                     help="also read files and folders that symbolic links in --raw lead to outside it "
                          "(never FIFOs or devices)")
    ing.add_argument("--db", type=Path, default=Path("warehouse/meetings.duckdb"),
                     help="DuckDB warehouse file (default: warehouse/meetings.duckdb)")
    ing.add_argument("--extracted", type=Path, default=Path("extracted"),
                     help="folder for per-document intermediate output (default: extracted)")
    ing.add_argument("--jobs", type=int, default=1, metavar="N",
                     help="worker processes extracting in parallel (default: 1; 0 = one per core)")
    ing.add_argument("--prune", action="store_true",
                     help="remove the rows of documents whose file is no longer in --raw")
    ing.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                     help=f"time limit per document, all its page ranges together when --jobs splits a large "
                          f"packet, plus {DEFAULT_OCR_SECONDS_PER_PAGE:.0f} s per scanned page to OCR; a file over it is recorded as failed "
                          f"(default: {DEFAULT_TIMEOUT:.0f})")
    ing.add_argument("--max-memory", type=int, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
                     help=f"memory limit per worker process, 0 for none (default: {DEFAULT_MAX_MEMORY_MB})")
    ing.add_argument("--lock-timeout", type=float, default=DEFAULT_LOCK_TIMEOUT, metavar="SECONDS",
                     help=f"how long to wait for a warehouse held by another process (default: {DEFAULT_LOCK_TIMEOUT:.0f})")
    ing.add_argument("--executor", choices=("local", "dask"), default="local",
                     help="where extraction runs: local worker processes (default), or a dask.distributed "
                          "cluster (needs the dask extra: pip install -e '.[dask]')")
    ing.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --executor dask: address of a running scheduler (tcp://host:8786); "
                          "without it a local cluster of --jobs workers is started")
    ing.add_argument("--profile", metavar="NAME",
                     help="read every file with this body profile instead of detecting one per document "
                          "(the profiles are pipeline/data/profiles/*.toml)")
    ing.add_argument("--corrections", type=Path, default=Path("corrections"), metavar="DIR",
                     help="folder of hand corrections (*.csv: table,key,column,value_as_extracted,corrected_value,"
                          "note) applied to each document's rows at load; editing one re-applies them on the next "
                          "ingest (default: corrections; see corrections/README.md)")
    ing.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    chk = sub.add_parser("check", help="list the data-check findings and parse warnings of the warehouse",
                         description="Run the data checks (SQL returning offending rows) against the warehouse "
                                     "and list their findings, with the parse warnings per document. "
                                     "Exit status 0 also when there are findings: they are warnings.")
    chk.add_argument("--db", type=Path, default=Path("warehouse/meetings.duckdb"),
                     help="DuckDB warehouse file (default: warehouse/meetings.duckdb)")
    chk.add_argument("--all", action="store_true", help="also list every parse warning, not only their count")

    exp = sub.add_parser("export", help="write every table and view to Parquet, CSV or Excel",
                         description="Export every warehouse table and analyst view. CSV is UTF-8 with a BOM "
                                     "(Excel in Japan opens it), with cells starting with = + - @ guarded "
                                     "against formula injection.")
    exp.add_argument("--db", type=Path, default=Path("warehouse/meetings.duckdb"),
                     help="DuckDB warehouse file (default: warehouse/meetings.duckdb)")
    exp.add_argument("--format", choices=("parquet", "csv", "xlsx"), default="parquet",
                     help="output format (default: parquet)")
    exp.add_argument("--out", type=Path, default=Path("export"), help="output folder (default: export)")

    fet = sub.add_parser(
        "fetch", help="download newly published packets from the sources in sources.toml into raw/",
        description="Read each source's listing page (its further pages, and one detail page per meeting), "
                    "and download every PDF of its meetings not yet in raw/ into raw/<folder>/<fiscal year>/. "
                    "A second run downloads nothing unchanged (conditional requests); a republished file "
                    "replaces the old one at the same path. robots.txt is honoured, at most `rate` requests "
                    "a second per host. Exit status: 0 when nothing failed (links skipped on purpose, by "
                    "robots.txt or for another host, are reported, not failures), 1 when a download or page "
                    "failed (everything else is still done), 2 usage error, 3 the warehouse is locked.")
    fet.add_argument("--source", metavar="NAME|URL",
                     help="only the source of --sources with this name, or a listing page URL (watched with "
                          "default settings, its own host allowed, PDFs under raw/<host>/)")
    fet.add_argument("--sources", type=Path, default=Path("sources.toml"), metavar="FILE",
                     help="the sources file (default: sources.toml)")
    fet.add_argument("--raw", type=Path, default=Path("raw"), help="folder the PDFs are saved under (default: raw)")
    fet.add_argument("--db", type=Path, default=Path("warehouse/meetings.duckdb"),
                     help="DuckDB warehouse holding the fetches manifest (default: warehouse/meetings.duckdb)")
    fet.add_argument("--dry-run", action="store_true",
                     help="read the pages and list what would be downloaded; download and write nothing")
    fet.add_argument("--since", metavar="DATE",
                     help="only meetings held on or after DATE (2023-04-01 or 令和5年4月1日); links whose "
                          "meeting date cannot be read are still fetched")
    fet.add_argument("--rate", type=float, metavar="N",
                     help="requests per second per host, for every source (default: sources.toml, else 1; 0 = no limit)")
    fet.add_argument("--timeout", type=float, metavar="SECONDS",
                     help="seconds to connect and between two reads (default: sources.toml, else 30)")
    fet.add_argument("--lock-timeout", type=float, default=DEFAULT_LOCK_TIMEOUT, metavar="SECONDS",
                     help=f"how long to wait for a warehouse held by another process (default: {DEFAULT_LOCK_TIMEOUT:.0f})")
    fet.add_argument("-q", "--quiet", action="store_true", help="print nothing but failures")

    rev = sub.add_parser(
        "review", help="write a static HTML review of documents: each page with the boxes of its values",
        description="Write a static site (open index.html from disk; no server, nothing from the network): "
                    "an index of the documents, and per document each page rendered with the boxes of the "
                    "extracted values drawn over it beside their rows, warnings and corrections, and for each "
                    "value the line to paste into a corrections file.")
    rev.add_argument("doc_id", nargs="?", metavar="DOC_ID", help="the document to review (a doc_id or its prefix)")
    rev.add_argument("--all", action="store_true", help="review every document")
    rev.add_argument("--db", type=Path, default=Path("warehouse/meetings.duckdb"),
                     help="DuckDB warehouse file (default: warehouse/meetings.duckdb)")
    rev.add_argument("--raw", type=Path, default=Path("raw"),
                     help="folder the documents' source paths are relative to (default: raw)")
    rev.add_argument("--corrections", type=Path, default=Path("corrections"), metavar="DIR",
                     help="corrections folder, to list corrections naming no document (default: corrections)")
    rev.add_argument("--out", type=Path, default=Path("review"), help="output folder (default: review)")
    rev.add_argument("--dpi", type=int, default=110, help="resolution of the page images (default: 110)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from pipeline.load import WarehouseUnusable

    try:
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "check":
            return _check(args)
        if args.command == "export":
            return _export(args)
        if args.command == "fetch":
            return _fetch(args)
        if args.command == "review":
            return _review(args)
    except WarehouseUnusable as e:  # any command given a --db that is not a warehouse
        print(f"error: --db {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{args.command} interrupted (SIGINT)", file=sys.stderr)
        return EXIT_SIGNAL_BASE + signal.SIGINT
    return EXIT_USAGE


def _on_signals() -> tuple[dict, list[int]]:
    """Turn SIGINT and SIGTERM into Interrupted, once.

    A second signal while the run unwinds is ignored: the unwinding is short
    (kill the workers, roll back one transaction) and must not be cut.

    Returns:
        The handlers to restore, and the list the signal's number is put in (DuckDB
        may report the interrupt as its own InterruptException: the number still tells).
    """
    got: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        return {}, got

    def handler(signum, frame):
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_IGN)
        got.append(signum)
        raise Interrupted(signum)

    return {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}, got


def _ingest(args) -> int:
    from pipeline.corrections import CorrectionsError
    from pipeline.discover import printable
    from pipeline.ingest import IngestOptions, SetupError, ingest
    from pipeline.load import WarehouseLocked, WarehouseWriteFailed
    from pipeline.worker import cpu_count

    if args.scheduler and args.executor != "dask":
        print("error: --scheduler needs --executor dask", file=sys.stderr)
        return EXIT_USAGE
    if args.profile:
        from pipeline.profile import load_profiles

        if args.profile not in load_profiles():
            print(f"error: unknown profile {args.profile!r} (known: {', '.join(sorted(load_profiles()))})",
                  file=sys.stderr)
            return EXIT_USAGE
    tty = sys.stderr.isatty() and not args.quiet

    def progress(msg: str) -> None:
        if tty:
            print(msg, file=sys.stderr, flush=True)

    opts = IngestOptions(raw_dir=args.raw, db_path=args.db, extracted_dir=args.extracted,
                         jobs=args.jobs if args.jobs > 0 else cpu_count(), prune=args.prune,
                         timeout=args.timeout, max_memory_mb=args.max_memory or None,
                         lock_timeout=args.lock_timeout, executor=args.executor, scheduler=args.scheduler,
                         profile=args.profile, follow_links=args.follow_links, corrections_dir=args.corrections)
    def notice(msg: str) -> None:
        if not args.quiet:
            print(printable(msg), file=sys.stderr, flush=True)

    saved, got = _on_signals()
    try:
        summary = ingest(opts, progress, notice)
    except (SetupError, CorrectionsError) as e:
        print(f"error: {printable(str(e))}", file=sys.stderr)
        return EXIT_USAGE
    except WarehouseLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_LOCKED
    except WarehouseWriteFailed as e:
        print(f"error: {printable(str(e))}", file=sys.stderr)
        return EXIT_WAREHOUSE
    except BaseException as e:
        if not (got or isinstance(e, Interrupted)):
            raise
        signum = got[0] if got else e.signum
        print(f"ingest interrupted ({signal.Signals(signum).name}): workers stopped, the open transaction rolled "
              "back; documents loaded before stay. Run it again to finish.", file=sys.stderr)
        return EXIT_SIGNAL_BASE + signum
    finally:
        for s, h in saved.items():
            signal.signal(s, h)
    for o in summary.outcomes:
        if o.status == "failed":
            print(f"FAILED {o.message}", file=sys.stderr)  # messages name the file, already escaped
    if not args.quiet:
        print(_summary_text(summary), file=sys.stderr)
    return EXIT_FAILED_FILES if summary.failed else EXIT_OK


def _summary_text(summary) -> str:
    from pipeline.discover import printable

    lines = [f"ingest {summary.run_id}: "
             f"{summary.count('loaded', 'partial')} loaded ({summary.count('partial')} partial), "
             f"{summary.count('unchanged')} unchanged, {summary.count('duplicate')} duplicate, "
             f"{summary.failed} failed" + (f", {summary.count('skipped')} skipped" if summary.count('skipped') else "")
             + (f", {summary.count('pruned')} pruned" if summary.count('pruned') else "")]
    if summary.rebuilt:
        lines.append("warehouse created (or rebuilt for this pipeline version)")
    for o in summary.outcomes:
        if o.status in ("duplicate", "partial") or (o.status == "unchanged" and o.message):
            lines.append(f"  {o.status}: {printable(o.source_path)}: {o.message}")
        elif o.status == "skipped":
            lines.append(f"  skipped: {o.message}")  # the message names the entry
    lines.append(f"warnings: {summary.warnings} new from parsing, {summary.check_findings} from data checks, "
                 f"{summary.library_warnings} PDF library messages (see `python -m pipeline check`)")
    shown = 10
    for path, page, msg in summary.findings[:shown]:
        lines.append(f"  check: {printable(str(path))}" + (f", page {page}" if page else "") + f": {printable(msg)}")
    if len(summary.findings) > shown:
        lines.append(f"  … and {len(summary.findings) - shown} more (python -m pipeline check)")
    counts = ", ".join(f"{t} {n}" for t, n in summary.table_counts.items())
    lines.append(f"rows: {counts}")
    return "\n".join(lines)


def _check(args) -> int:
    import duckdb

    from pipeline import checks, load
    from pipeline.discover import printable

    if not args.db.exists():
        print(f"error: no warehouse at {args.db}; run `python -m pipeline ingest` first", file=sys.stderr)
        return EXIT_USAGE
    try:
        con = load.connect(args.db, lock_timeout=5)
    except load.WarehouseLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_LOCKED
    try:
        n = checks.run_checks(con)
        for doc_id, path, page, message in checks.list_findings(con):
            where = printable(f"{path or doc_id}") + (f", page {page}" if page else "")
            print(f"{where}: {printable(message)}")
        parse_warnings = con.execute("""
            select d.source_path, w.stage, w.page, w.message from warnings w left join documents d using (doc_id)
            where w.stage <> 'check' order by 1, 3 nulls first""").fetchall()
        if args.all:
            for path, stage, page, message in parse_warnings:
                print(printable(f"{path}") + (f", page {page}" if page else "") + f": [{stage}] {printable(message)}")
        print(f"{n} data-check finding(s), {len(parse_warnings)} parse warning(s)", file=sys.stderr)
    except duckdb.Error as e:
        print(f"error: {args.db}: {e}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        con.close()
    return EXIT_OK


def _export(args) -> int:
    from pipeline import export, load

    if not args.db.exists():
        print(f"error: no warehouse at {args.db}; run `python -m pipeline ingest` first", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = export.export_warehouse(args.db, args.out, args.format,
                                          warn=lambda msg: print(f"warning: {msg}", file=sys.stderr))
    except export.OutputError as e:
        print(f"error: --out {e}", file=sys.stderr)
        return EXIT_USAGE
    except load.WarehouseLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_LOCKED
    for name, n in written:
        print(f"{name}: {n} rows", file=sys.stderr)
    return EXIT_OK


def _fetch(args) -> int:
    from dataclasses import replace

    from pipeline import fetch
    from pipeline.load import WarehouseLocked

    try:
        adhoc = bool(args.source and "://" in args.source)
        if adhoc and not args.sources.exists():
            settings, sources = fetch.FetchSettings(), []
        else:
            settings, sources = fetch.load_sources(args.sources)
        sources = fetch.select_sources(sources, args.source)
        since = fetch.since_to_date(args.since) if args.since else None
    except (fetch.SourcesError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    if not sources:
        print(f"error: {args.sources} lists no [[source]]", file=sys.stderr)
        return EXIT_USAGE
    if args.rate is not None:
        settings = replace(settings, rate=args.rate)
        sources = [replace(s, rate=None) for s in sources]
    if args.timeout is not None:
        settings = replace(settings, timeout=args.timeout)
    tty = sys.stderr.isatty() and not args.quiet

    def progress(msg: str) -> None:
        if tty:
            print(msg, file=sys.stderr, flush=True)

    def notice(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    opts = fetch.FetchOptions(raw_dir=args.raw, db_path=args.db, dry_run=args.dry_run, since=since,
                              lock_timeout=args.lock_timeout)
    try:
        summary = fetch.fetch(sources, settings, opts, progress, notice)
    except WarehouseLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_LOCKED
    for o in summary.outcomes:
        if o.status == "failed":
            print(f"FAILED {o.url}: {o.message}", file=sys.stderr)
    if args.dry_run:
        for o in summary.outcomes:
            if o.status in ("would-fetch", "would-check"):
                print(f"{o.status}\t{o.path}\t{o.url}\t{o.message}")
    if not args.quiet:
        for o in summary.outcomes:
            if o.status in ("skipped", "duplicate", "updated"):
                print(f"  {o.status}: {o.url}: {o.message}", file=sys.stderr)
        print(_fetch_summary_text(summary, args.dry_run), file=sys.stderr)
    return EXIT_FAILED_FILES if summary.failed else EXIT_OK


def _fetch_summary_text(summary, dry_run: bool) -> str:
    c = summary.count
    if dry_run:
        head = (f"fetch (dry run): {c('would-fetch')} to download, {c('would-check')} to check again, "
                f"{c('failed')} failed, {c('skipped')} skipped")
    else:
        head = (f"fetch: {c('new')} new, {c('updated')} updated, {c('unchanged')} unchanged, "
                f"{c('duplicate')} duplicate, {c('failed')} failed, {c('skipped')} skipped")
    if c("older"):
        head += f", {c('older')} older than --since"
    return head + f"; {summary.requests} requests, {summary.bytes_downloaded / 1048576:.1f} MB downloaded"


def _review(args) -> int:
    from pipeline import load, review

    if not args.db.exists():
        print(f"error: no warehouse at {args.db}; run `python -m pipeline ingest` first", file=sys.stderr)
        return EXIT_USAGE
    if bool(args.doc_id) == bool(args.all):
        print("error: name one DOC_ID or give --all", file=sys.stderr)
        return EXIT_USAGE
    settings = review.ReviewSettings(dpi=args.dpi)
    try:
        built = review.build_review(args.db, args.raw, args.out, None if args.all else args.doc_id,
                                    corrections_dir=args.corrections, settings=settings)
    except review.ReviewError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except load.WarehouseLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_LOCKED
    for line in built.notes:
        print(line, file=sys.stderr)
    print(f"review: {len(built.documents)} document(s), {built.pages} page(s), {built.boxes} box(es) "
          f"in {built.seconds:.1f}s: open {built.index}", file=sys.stderr)
    return EXIT_OK
