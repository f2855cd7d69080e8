"""Benchmark: ingest cost against pdfplumber's own floor, measured in one run.

    .venv/bin/python bench/bench.py [--docs 100] [--out bench/out]

Builds a corpus of distinct files from the sample packets (re-saved with other
metadata so their hashes differ), then measures and prints ratios:
  (a) full ingest time per page vs the pdfplumber floor (extract_words +
      find_tables + table extraction on the same pages, in this run);
  (b) --jobs 2 vs --jobs 1;
  (c) a no-op re-ingest of the corpus;
  (d) peak RSS of the ingest (whole process tree) and of the largest document;
  (e) time split by stage;
  (f) OCR of a scanned packet (tests/fixtures/scans/r3_scan200.pdf: 200 dpi, skewed,
      specks): seconds per page per core (CPU time of the extraction and its tesseract
      runs, one worker) and wall time per page;
  and cost at 1×, 2× and 4× corpus size (linearity). ``--only-ocr`` runs (f) alone.
Results are also written to <out>/bench.json. Ratios, not absolute times, are the
point: both sides of each ratio are measured on the same machine in the same run.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "raw" / "r3_browser.pdf", ROOT / "raw" / "r4_browser.pdf"]
SHARED_SAMPLE = ROOT.parent / "shared" / "fixtures" / "pdfs" / "r3_browser_kangxi_split.pdf"


def build_corpus(out: Path, n_docs: int) -> list[Path]:
    """n_docs distinct PDFs: the samples re-saved with a different /Subject each."""
    from pypdf import PdfReader, PdfWriter

    out.mkdir(parents=True, exist_ok=True)
    sources = SAMPLES + ([SHARED_SAMPLE] if SHARED_SAMPLE.exists() else [])
    paths = []
    for i in range(n_docs):
        dst = out / f"packet_{i:04d}.pdf"
        if not dst.exists():
            writer = PdfWriter(clone_from=PdfReader(sources[i % len(sources)]))
            writer.add_metadata({"/Subject": f"bench copy {i}"})
            with open(dst, "wb") as fh:
                writer.write(fh)
        paths.append(dst)
    return paths


DEFAULT_BIG_PAGES = 300


def build_big_packet(out: Path, min_pages: int) -> Path:
    """One packet of at least ``min_pages`` pages (the samples one after another)."""
    from pypdf import PdfReader, PdfWriter

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        return out
    writer, n = PdfWriter(), 0
    while n < min_pages:
        for src in SAMPLES:
            for page in PdfReader(src).pages:
                writer.add_page(page)
                n += 1
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


DEFAULT_NOOP_FILES = 200
SCAN_SAMPLE = ROOT / "tests" / "fixtures" / "scans" / "r3_scan200.pdf"


def ocr_seconds_per_page(path: Path, pages: int | None = None) -> dict:
    """Extract a scanned PDF (every page OCR'd) in a fresh process with one tesseract thread.

    CPU seconds (the process and its tesseract children) per page is the cost per core,
    whatever else the machine runs; wall seconds per page is what one worker takes here.
    """
    code = ("import json, resource, sys, time; from pathlib import Path;"
            "from pipeline.extract import pdf_to_document; from pipeline import ocr;"
            "assert ocr.tesseract_available(), 'tesseract with jpn data is not installed (make ocr-deps)';"
            "t0 = time.perf_counter();"
            f"r = pdf_to_document(Path({str(path)!r}), doc_id='b', sha256='0'*64, rel_path='scan.pdf',"
            f" page_range=(1, {pages or 10**6}));"
            "wall = time.perf_counter() - t0;"
            "cpu = sum(getattr(resource.getrusage(w), k) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)"
            " for k in ('ru_utime', 'ru_stime'));"
            "n = sum(p.source == 'ocr' for p in r.document.pages);"
            "print(json.dumps({'pages': n, 'wall_s': wall, 'cpu_s': cpu}))")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    n = max(info["pages"], 1)
    return {**info, "file": path.name, "cpu_s_per_page": info["cpu_s"] / n, "wall_s_per_page": info["wall_s"] / n}


def print_ocr(r: dict) -> None:
    print(f"(f) OCR of {r['file']}: {r['pages']} pages, {r['cpu_s_per_page']:.2f} s per page per core (CPU), "
          f"{r['wall_s_per_page']:.2f} s per page wall (one worker)")


def build_small_corpus(out: Path, n_docs: int, pages: int = 3) -> list[Path]:
    """n_docs distinct short packets (the first pages of a sample), for the no-op timing."""
    from pypdf import PdfReader, PdfWriter

    out.mkdir(parents=True, exist_ok=True)
    reader = PdfReader(SAMPLES[0])
    paths = []
    for i in range(n_docs):
        dst = out / f"short_{i:04d}.pdf"
        if not dst.exists():
            writer = PdfWriter()
            for page in reader.pages[:pages]:
                writer.add_page(page)
            writer.add_metadata({"/Subject": f"bench short copy {i}"})
            with open(dst, "wb") as fh:
                writer.write(fh)
        paths.append(dst)
    return paths


def floor_seconds(paths: list[Path]) -> tuple[float, int]:
    """pdfplumber alone: words, tables and their text for every page, pages closed after use."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = 0
    t0 = time.perf_counter()
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_words()
                for t in page.find_tables():
                    t.extract()
                page.close()
                pages += 1
    return time.perf_counter() - t0, pages


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{d}/status") as fh:
                kb = next((int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
        rss[int(d)] = kb
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_ingest(raw: Path, work: Path, jobs: int, fresh: bool = True) -> dict:
    """Run `python -m pipeline ingest` as a subprocess; wall time, peak tree RSS, summary."""
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-c",
           "import json,sys; from pipeline.ingest import IngestOptions, ingest; from pathlib import Path;"
           f"s = ingest(IngestOptions(raw_dir=Path({str(raw)!r}), db_path=Path({str(work / 'w.duckdb')!r}),"
           f" extracted_dir=Path({str(work / 'ex')!r}), jobs={jobs}));"
           "print(json.dumps({'stage_seconds': s.stage_seconds, 'pages': s.pages, 'failed': s.failed,"
           " 'statuses': [o.status for o in s.outcomes]}))"]
    peak = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.25)  # walking /proc costs CPU the ingest should have

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    info = json.loads(out.strip().splitlines()[-1])
    return {"wall_s": wall, "peak_rss_mb": peak / 1024, **info}


def largest_document_rss(path: Path, work: Path) -> float:
    work.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-c",
           "import resource, sys; from pathlib import Path; from pipeline.worker import Job, run_job;"
           f"r = run_job(Job({str(path)!r}, 'x.pdf', 'f'*64, 'bench_largest', {str(work)!r}));"
           "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100, help="corpus size (default 100)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--ocr-pages", type=int, help="OCR only the first N pages of the scan (default all)")
    ap.add_argument("--only-ocr", action="store_true", help="run the OCR case (f) alone")
    a = ap.parse_args(argv)
    out = a.out
    if a.only_ocr:
        r = ocr_seconds_per_page(SCAN_SAMPLE, a.ocr_pages)
        out.mkdir(parents=True, exist_ok=True)
        (out / "bench_ocr.json").write_text(json.dumps(r, indent=1), encoding="utf-8")
        print_ocr(r)
        return 0
    corpus_dir = out / "corpus"
    paths = build_corpus(corpus_dir, a.docs)
    res: dict = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                             "cpus": os.cpu_count()}, "docs": len(paths)}

    floor_s, pages = floor_seconds(paths)
    res["floor"] = {"seconds": floor_s, "pages": pages, "ms_per_page": 1000 * floor_s / pages}
    j1 = run_ingest(corpus_dir, out / "j1", jobs=1)
    j2 = run_ingest(corpus_dir, out / "j2", jobs=2)
    noop = run_ingest(corpus_dir, out / "j2", jobs=2, fresh=False)
    small_dir = out / "small"
    build_small_corpus(small_dir, DEFAULT_NOOP_FILES)
    run_ingest(small_dir, out / "small_work", jobs=2)
    noop200 = run_ingest(small_dir, out / "small_work", jobs=2, fresh=False)
    res["noop_200"] = noop200
    res["jobs1"], res["jobs2"], res["noop"] = j1, j2, noop
    # linearity: 1×, 2×, 4× of a quarter of the corpus, each from scratch (4× is the --jobs 1 run)
    quarter = max(1, len(paths) // 4)
    lin = {"4x": {"docs": len(paths), "wall_s": j1["wall_s"], "pages": j1["pages"],
                  "ms_per_page": 1000 * j1["wall_s"] / max(j1["pages"], 1), "peak_rss_mb": j1["peak_rss_mb"]}}
    for mult in (1, 2):
        sub = out / f"lin{mult}"
        if sub.exists():
            shutil.rmtree(sub)
        sub.mkdir(parents=True)
        for p in paths[: quarter * mult]:
            os.link(p, sub / p.name)
        r = run_ingest(sub, out / f"lin{mult}_work", jobs=1)
        lin[f"{mult}x"] = {"docs": quarter * mult, "wall_s": r["wall_s"], "pages": r["pages"],
                           "ms_per_page": 1000 * r["wall_s"] / max(r["pages"], 1), "peak_rss_mb": r["peak_rss_mb"]}
    res["linearity"] = lin = {k: lin[k] for k in ("1x", "2x", "4x")}
    biggest = max(paths, key=lambda p: p.stat().st_size)
    res["largest_document"] = {"file": biggest.name, "peak_rss_mb": largest_document_rss(biggest, out / "largest")}
    big_dir = out / "big"
    big = build_big_packet(big_dir / "packet_300.pdf", DEFAULT_BIG_PAGES)
    rb = run_ingest(big_dir, out / "big_work", jobs=2)
    res["big_packet"] = {"pages": rb["pages"], "wall_s": rb["wall_s"], "peak_rss_mb": rb["peak_rss_mb"],
                         "file": big.name}

    from pipeline import ocr

    res["ocr"] = ocr_seconds_per_page(SCAN_SAMPLE, a.ocr_pages) if ocr.tesseract_available() else None
    ratios = {
        "ocr_cpu_s_per_page": res["ocr"]["cpu_s_per_page"] if res["ocr"] else None,
        "ingest_vs_floor_per_page": (j1["wall_s"] / j1["pages"]) / (floor_s / pages),
        "jobs2_speedup": j1["wall_s"] / j2["wall_s"],
        "noop_seconds": noop["wall_s"],
        "noop_200_files_seconds": noop200["wall_s"],
        "peak_rss_mb_jobs1": j1["peak_rss_mb"],
        "peak_rss_mb_jobs2": j2["peak_rss_mb"],
        "largest_document_rss_mb": res["largest_document"]["peak_rss_mb"],
        "big_packet_rss_mb": res["big_packet"]["peak_rss_mb"],
        "linearity_ms_per_page_1x_2x_4x": [round(lin[k]["ms_per_page"], 2) for k in ("1x", "2x", "4x")],
    }
    res["ratios"] = ratios
    (out / "bench.json").write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"corpus: {len(paths)} documents, {pages} pages; machine: {res['machine']}")
    print(f"(a) ingest / pdfplumber floor, per page:  {ratios['ingest_vs_floor_per_page']:.2f}x "
          f"({1000 * j1['wall_s'] / j1['pages']:.1f} ms vs {1000 * floor_s / pages:.1f} ms)")
    print(f"(b) --jobs 2 speed-up over --jobs 1:       {ratios['jobs2_speedup']:.2f}x "
          f"({j1['wall_s']:.1f} s vs {j2['wall_s']:.1f} s)")
    print(f"(c) no-op re-ingest of {len(paths)} files:          {noop['wall_s']:.2f} s "
          f"({set(noop['statuses'])}); of {DEFAULT_NOOP_FILES} files: {noop200['wall_s']:.2f} s "
          f"({set(noop200['statuses'])})")
    print(f"(d) peak RSS: ingest --jobs 1 {j1['peak_rss_mb']:.0f} MB, --jobs 2 {j2['peak_rss_mb']:.0f} MB; "
          f"largest document alone {res['largest_document']['peak_rss_mb']:.0f} MB; "
          f"a {res['big_packet']['pages']}-page packet (--jobs 2) {res['big_packet']['peak_rss_mb']:.0f} MB")
    st = j1["stage_seconds"]
    total = sum(st.values()) or 1
    print("(e) stages (--jobs 1): " + ", ".join(f"{k} {v:.1f} s ({100 * v / total:.0f}%)" for k, v in st.items()))
    if res["ocr"]:
        print_ocr(res["ocr"])
    else:
        print("(f) OCR: skipped, tesseract with jpn data is not installed (make ocr-deps)")
    print("linearity (ms/page and peak RSS at 1x, 2x, 4x): " + ", ".join(
        f"{k} {v['ms_per_page']:.1f} ms, {v['peak_rss_mb']:.0f} MB ({v['docs']} docs)" for k, v in lin.items()))
    print(f"written: {out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
