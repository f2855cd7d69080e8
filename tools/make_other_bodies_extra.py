#!/usr/bin/env python3
"""Rebuild the PDFs of tests/fixtures/other_bodies_extra/ from their HTML sources.

The held-out set of other bodies' meeting records (README.md there) is hand-written HTML,
one file per record (html/NN_short.html), printed to A4 PDF (pdfs/NN_short.pdf) with
Debian's headless Chromium — the same way the samples in ../shared/fixtures/other_bodies
were printed. Each HTML names its font in its CSS; the font must be installed (Debian:
fonts-noto-cjk, fonts-ipaexfont, fonts-morisawa-bizud-gothic), else Chromium would silently
fall back to another one, so this script checks with fc-list first.

Odd-numbered records use Noto Serif/Sans CJK JP or IPAex Mincho/Gothic: with those fonts
Chromium's text layer carries Kangxi / CJK-radical code points (⼭ for 山, ⻑ for 長).
Even-numbered ones use BIZ UDGothic / BIZ UDPGothic, whose text layer carries ordinary
ideographs. With --check, each PDF is opened (pdfplumber) and the page count (1 or 2) and the
presence or absence of radicals is verified.

Usage (repository root):

    .venv/bin/python tools/make_other_bodies_extra.py [--only NN_short ...] [--check]
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "other_bodies_extra"
HTML_DIR = FIXTURE / "html"
PDF_DIR = FIXTURE / "pdfs"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
_FONT = re.compile(r'font-family:\s*"([^"]+)"')


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium not found (Debian: apt-get install chromium)")


def installed_fonts() -> set[str]:
    out = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True, check=True).stdout
    return {fam.strip() for line in out.splitlines() for fam in line.split(",")}


def print_pdf(browser: str, html: Path, pdf: Path) -> None:
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # a fresh profile: no state shared between runs
        cmd = [browser, *CHROMIUM_ARGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.as_uri()]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if res.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        sys.exit(f"chromium failed on {html.name}: {res.stderr.strip()[-500:]}")


def check_pdf(pdf: Path, expect_radicals: bool) -> str:
    import pdfplumber  # the project's own dependency

    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
        text = "".join(c["text"] for p in doc.pages for c in p.chars)
        fonts = sorted({c["fontname"].split("+")[-1] for p in doc.pages for c in p.chars})
    radicals = sum(1 for ch in text if 0x2E80 <= ord(ch) <= 0x2FDF)
    problems = []
    if pages not in (1, 2):
        problems.append(f"{pages} pages (want 1 or 2)")
    if expect_radicals and not radicals:
        problems.append("no radical code points in the text layer")
    if not expect_radicals and radicals > 2:
        problems.append(f"{radicals} radical code points in the text layer")
    if problems:
        sys.exit(f"{pdf.name}: " + "; ".join(problems))
    return f"{pages} page(s), fonts {', '.join(fonts)}, {radicals} radical code points"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="file stems to rebuild (default: all)")
    ap.add_argument("--check", action="store_true", help="verify page counts and the text layer")
    a = ap.parse_args(argv)

    sources = sorted(HTML_DIR.glob("*.html"))
    if a.only:
        sources = [s for s in sources if s.stem in set(a.only)]
    if not sources:
        sys.exit("no HTML sources selected")
    browser = chromium()
    have = installed_fonts()
    for html in sources:
        fonts = set(_FONT.findall(html.read_text(encoding="utf-8")))
        missing = fonts - have
        if missing:
            sys.exit(f"{html.name}: font(s) not installed: {', '.join(sorted(missing))}")
        pdf = PDF_DIR / (html.stem + ".pdf")
        print_pdf(browser, html, pdf)
        info = ""
        if a.check:
            odd = int(html.stem.split("_", 1)[0]) % 2 == 1
            info = "  " + check_pdf(pdf, expect_radicals=odd)
        print(f"{pdf.relative_to(ROOT)}{info}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
