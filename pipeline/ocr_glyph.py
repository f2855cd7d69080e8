"""A second look at the kanji of a doubtful OCR'd line: each glyph matched against the
kanji of installed Japanese typefaces.

Tesseract's Japanese models know about 2,700 characters; names are printed with
kanji outside them (肇, 齊), which they can only misread (貢, 齋). On a line whose
votes left it doubtful, each glyph is cut out by the em pitch of full-width print
and compared with every kanji an office document can hold (the cp932 set, about
8,500), drawn in the Mincho and Gothic faces installed here. A read kanji is
replaced only when another one fits the glyph far better than it (``min_margin``)
and fits it well in itself (``min_score``), and only when the line's other kanji vouch
for the cut (line_to_checked). When the glyphs and the characters do not match one to
one, a dropped ・ is put back or a kana read from a speck left out; otherwise the line is
left as read.

Two narrower checks use the same drawn faces: the digit of a date range read as kana
(line_to_digit_checked), and a share whose ％ was read as 96, told by the width of its
ink (word_to_share_checked).

The matching is a normalized correlation of small, blurred bitmaps of each glyph's
ink: a printed face and its nearest installed face differ in detail, not in where
the strokes lie. A glyph is scaled by its box, so a blot stuck to its side skews it: it
is matched with its box's thin edges trimmed as well (ink_to_edge_trimmed).
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.ocr_image import load_cv2

#: Families whose regular face is drawn; those not installed are left out (Debian's
#: fonts-ipaexfont and fonts-noto-cjk have them all; ``make ocr-deps`` installs both).
DEFAULT_GLYPH_FAMILIES = ("IPAexMincho", "Noto Serif CJK JP", "IPAexGothic", "Noto Sans CJK JP")
#: Side of the bitmap a glyph is compared at (pixels).
DEFAULT_GLYPH_SIZE = 24
#: Pixel size a typeface's glyph is drawn at before it is brought to that bitmap.
DEFAULT_DRAW_SIZE = 48
#: The best kanji must correlate with the glyph at least this well (measured on the
#: attendee cells of the scans in tests/fixtures/scans and two more scans of other seeds:
#: right replacements scored 0.74–0.90; the wrong ones above 0.7 are stopped by the
#: guards of line_to_checked) ...
DEFAULT_MIN_SCORE = 0.7
#: ... and this much better than the kanji that was read (right: 0.17–0.83; wrong,
#: a read kanji that was right: at most 0.14).
DEFAULT_MIN_MARGIN = 0.15
#: A replacement by a smaller margin, down to this, is made only when the line becomes more
#: word-like to Sudachi (武限義一 → 武隈義一 on another seed's r4 scan: 隈 fits by 0.12 and
#: makes a surname), or when the engine cannot put out the kanji that fits (齋 → 齊 by
#: 0.149 on that scan: tesseract's jpn model has no 齊).
DEFAULT_WORD_MARGIN = 0.10
#: A kanji that fits a glyph better than the one read by a slimmer margin, down to this, is
#: one of the glyph's tied options (see DEFAULT_TIE): taken only when it makes more of the line
#: words of the kinds print has there. 土本部長 → 土木部長, 木 fitting by 0.07 (a 1-bit scan
#: broke 本's short stroke; 土木部長 is a department's head, 土本部長 no post).
DEFAULT_COVER_MARGIN = 0.05
#: Kanji that fit a glyph within this of the best one are tied: the glyph cannot tell them
#: apart (十, 士 and 土 fit a light 土 by 0.806, 0.802 and 0.800; 囗 and 口 a broken 口 by 0.895
#: and 0.870), and the words around it choose among them (ocr_lexicon.text_to_coverage) ...
DEFAULT_TIE = 0.03
#: ... or within this, when no more than DEFAULT_MAX_TIED kanji fit so (a blotted 氷 of 氷見市長
#: fits 水 by 0.86 and 氷 by 0.80: 水見 is no place) ...
DEFAULT_WIDE_TIE = 0.06
#: ... down to this fit (入 of a broken 入善町長 fits by 0.625, the best, 人, by 0.635) ...
DEFAULT_WEAK_SCORE = 0.6
#: ... unless more kanji than this are tied: then the glyph says nothing (a blotted 室 fits
#: 峯, 寥, 寨, 章, 搴 and 官 within 0.02 of each other).
DEFAULT_MAX_TIED = 3
#: How many of a glyph's best kanji are looked at for ties (more than DEFAULT_MAX_TIED, and
#: room for variant spellings: 郎 and 郞 are one choice).
_TIED_LOOK = 8
#: A glyph's cut may be at most this many ems wide (a kanji and the gap beside it).
DEFAULT_MAX_GLYPH_EMS = 1.2
#: Ink pieces smaller than this share of the em, squared, are specks: not glyph ink.
DEFAULT_SPECK_EMS = 0.15
#: A narrow piece of ink this many ems or more beyond the rest of its line is no glyph of it.
DEFAULT_STRAY_EMS = 2.0
#: A speck stuck to a glyph's side (a blot touching 田's left stroke) widens its bounding box,
#: and the box is what a glyph is scaled by: 田 then fits 川 (0.75) better than 田 (0.41).
#: Each glyph is matched as cut and with its edges trimmed, the better of the two counting:
#: an edge's columns (or rows) whose ink is under this share of the glyph's fullest one are
#: trimmed ...
DEFAULT_EDGE_INK_SHARE = 0.2
#: ... up to this many ems from each side, and only when what is trimmed is at most this share
#: of the glyph's ink: a blot is small against a glyph (田's 4 %, 智's 6 %), while trimming the
#: tips of strokes takes a tenth or more (市 9–13 %, 中 9–13 %, 土 17 %) and makes another kanji
#: of them (市 trimmed of its dot and tail fits 田: 魚津市長 became 魚津田長).
DEFAULT_MAX_EDGE_EMS = 0.15
DEFAULT_MAX_TRIMMED_SHARE = 0.075
#: A trimmed glyph is matched with this many kanji, those it fits best at half the side.
DEFAULT_TRIMMED_SHORTLIST = 64
#: A read kanji that fits its glyph at least this well is taken as right without a search
#: through every kanji (the search costs a product with 34,000 bitmaps a glyph) ...
DEFAULT_SURE_FIT = 0.8
#: ... or this well, in a line of at most DEFAULT_SHORT_LINE characters: a name or a post, where
#: one kanji decides who is meant (士木部長 and 土本部長 on two scans: 士 and 本 fit their broken
#: glyphs by 0.8–0.86, 土 and 木 better). Prose lines are many: searched so, they cost about
#: 0.2 s of OCR a page, and changed none of 4,296 captured lines.
DEFAULT_SHORT_SURE_FIT = 0.9
DEFAULT_SHORT_LINE = 8
#: A glyph no taller or wider than this share of the em, standing mid-line, is the dot ・.
DEFAULT_DOT_EMS = 0.35
#: Bumped when the bitmaps change, so that a cache of an older kind is not read.
_TEMPLATE_VERSION = 4
#: A speck between two full-width characters, read as a Latin mark (寺田.昌孝).
_SPECK_BETWEEN = re.compile(r"(?<=[\u3040-\u30ff\u4e00-\u9fff])\s*[.,'`:;]+\s*(?=[\u3040-\u30ff\u4e00-\u9fff])")
#: Marks printed about as small as a speck: a line with one has no sure count of glyphs.
_SMALL_MARKS = frozenset("、。，．,.")
#: Kana and the marks of full-width print: matched when a reading has a character too
#: many, never put in place of a kanji.
_KANA = tuple(chr(c) for c in (*range(0x3041, 0x3097), *range(0x30A1, 0x30F7))) + ("ー", "・")
_DIGITS = tuple("0123456789")
#: A line ending in a date range whose last number was read as something else: 5月へる月
#: (5月～6月), the る standing where only a digit can.
_DIGIT_SLOT = re.compile(r"[0-9][月日]\s*[～~へて一ー<＜-]\s*(?P<x>[^\x00-\x7f～~])\s*[月日]$")


@dataclass(frozen=True)
class GlyphSettings:
    families: tuple[str, ...] = DEFAULT_GLYPH_FAMILIES
    size: int = DEFAULT_GLYPH_SIZE
    min_score: float = DEFAULT_MIN_SCORE
    min_margin: float = DEFAULT_MIN_MARGIN
    word_margin: float = DEFAULT_WORD_MARGIN
    cover_margin: float = DEFAULT_COVER_MARGIN
    tie: float = DEFAULT_TIE
    wide_tie: float = DEFAULT_WIDE_TIE
    weak_score: float = DEFAULT_WEAK_SCORE
    max_tied: int = DEFAULT_MAX_TIED
    #: where the drawn bitmaps are kept between runs (None: the user's cache folder)
    cache_dir: str | None = None


@dataclass(frozen=True)
class Templates:
    """Every candidate character drawn in every face: ``vectors[face, char]`` is a unit
    vector. The first ``kanji`` characters are the kanji, then come kana, marks and digits."""

    chars: tuple[str, ...]
    vectors: np.ndarray  # float32 (faces, chars, size*size)
    kanji: int

    @functools.cached_property
    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.chars)}

    @functools.cached_property
    def kanji_matrix(self) -> np.ndarray:
        """The kanji's vectors of every face as one contiguous (faces × kanji, size²)
        matrix: a slice of ``vectors`` would be copied at every product."""
        return np.ascontiguousarray(self.vectors[:, :self.kanji]).reshape(-1, self.vectors.shape[2])

    def kanji_scores(self, glyphs: np.ndarray) -> np.ndarray:
        """Each glyph's (rows of ``glyphs``) correlation with each kanji, the best over the
        faces: (glyphs, kanji). One product for all the glyphs of a line."""
        faces = self.vectors.shape[0]
        return (glyphs @ self.kanji_matrix.T).reshape(len(glyphs), faces, self.kanji).max(axis=1)

    @functools.cached_property
    def coarse_matrix(self) -> np.ndarray:
        """kanji_matrix at half the side (vectors_to_coarse): a quarter of the cost, for a
        shortlist."""
        return np.ascontiguousarray(vectors_to_coarse(self.kanji_matrix))

    def kanji_shortlist(self, glyph: np.ndarray, n: int) -> np.ndarray:
        """The ``n`` kanji a glyph's vector fits best at half the side (any face)."""
        faces = self.vectors.shape[0]
        coarse = (vectors_to_coarse(glyph[None]) @ self.coarse_matrix.T).reshape(faces, self.kanji).max(axis=0)
        return np.argpartition(coarse, -n)[-n:]


def vectors_to_coarse(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors of square glyphs (rows) at half the side: 2×2 means, centred, normalized."""
    side = int(round(vectors.shape[1] ** 0.5))
    half = vectors.reshape(len(vectors), side // 2, 2, side // 2, 2).mean(axis=(2, 4)).reshape(len(vectors), -1)
    half = half - half.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(half, axis=1, keepdims=True)
    return (half / np.where(norms > 0, norms, 1.0)).astype(np.float32)


#: Kanji that are single strokes: a damaged glyph often fits one of them, and print has
#: them only as radicals, never in a name or a word.
_STROKES = frozenset("丨丶丿亅乚乛")


def office_kanji() -> tuple[str, ...]:
    """The kanji a Japanese office document can hold: cp932's, less the compatibility
    duplicates that NFKC folds onto another (朗 U+F929 is 朗 U+6717) and the single strokes."""
    out = []
    for code in range(0x4E00, 0xFA30):
        ch = chr(code)
        if unicodedata.normalize("NFKC", ch) != ch or ch in _STROKES:
            continue
        try:
            ch.encode("cp932")
        except UnicodeEncodeError:
            continue
        out.append(ch)
    return tuple(out)


@functools.lru_cache(maxsize=4)
def installed_faces(families: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """(file, face index) of each family's regular face that fontconfig knows, in order
    (asked once a process)."""
    try:
        listing = subprocess.run(["fc-list", ":lang=ja", "family", "style", "file", "index"],
                                 capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    found: dict[str, tuple[str, int]] = {}
    for line in listing.splitlines():
        # /path/file.ttc: Family A,Family B:style=Regular:index=0
        path, _, rest = line.partition(": ")
        fields = dict(f.split("=", 1) for f in rest.split(":")[1:] if "=" in f)
        names = [n.strip() for n in rest.split(":")[0].split(",")]
        if "Regular" not in fields.get("style", "").split(","):
            continue
        for name in names:
            if name in families and name not in found:
                found[name] = (path, int(fields.get("index", 0)))
    return tuple(found[f] for f in families if f in found)


def ink_to_cropped(ink: np.ndarray) -> np.ndarray:
    """The ink within its bounding box (an empty array for no ink)."""
    ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return ink[ys[0]:ys[-1] + 1, xs[0]:xs[-1] + 1] if len(xs) else ink[:0, :0]


def ink_to_vector(ink: np.ndarray, size: int = DEFAULT_GLYPH_SIZE) -> np.ndarray | None:
    """A glyph's ink (bool, any size) as a unit vector: the ink's bounding box squared
    (centred), shrunk to ``size``², blurred, centred on its mean. None for no ink."""
    cv2 = load_cv2()

    crop = ink_to_cropped(ink)
    if not crop.size:
        return None
    h, w = crop.shape
    side = max(h, w)
    square = np.zeros((side, side), np.float32)
    square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = crop
    small = cv2.resize(square, (size, size), interpolation=cv2.INTER_AREA)
    v = cv2.GaussianBlur(small, (0, 0), 1.0).ravel()
    v = v - v.mean()
    norm = float(np.linalg.norm(v))
    return v / norm if norm else None


@functools.lru_cache(maxsize=16)
def _font(face: tuple[str, int], draw_size: int):
    from PIL import ImageFont

    return ImageFont.truetype(face[0], draw_size, index=face[1])


def text_to_ink(text: str, face: tuple[str, int], draw_size: int = DEFAULT_DRAW_SIZE) -> np.ndarray:
    """``text`` drawn in one face: its ink (bool; empty for a character the face lacks)."""
    from PIL import Image

    mask = _font(face, draw_size).getmask(text, mode="L")
    if not mask.size[0] or not mask.size[1]:
        return np.zeros((0, 0), bool)
    return np.asarray(Image.frombytes("L", mask.size, bytes(mask))) > 128


def face_to_vectors(face: tuple[str, int], chars: tuple[str, ...], size: int = DEFAULT_GLYPH_SIZE,
                    draw_size: int = DEFAULT_DRAW_SIZE) -> np.ndarray:
    """Each of ``chars`` drawn in one face, as ink_to_vector gives a scanned glyph (a
    character the face lacks gets a zero vector: it matches nothing)."""
    out = np.zeros((len(chars), size * size), np.float32)
    for i, ch in enumerate(chars):
        v = ink_to_vector(text_to_ink(ch, face, draw_size), size)
        if v is not None:
            out[i] = v
    return out


def _cache_path(settings: GlyphSettings, faces: tuple[tuple[str, int], ...]) -> Path:
    root = Path(settings.cache_dir or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = repr((_TEMPLATE_VERSION, settings.size, DEFAULT_DRAW_SIZE,
                [(f, i, os.path.getsize(f), int(os.path.getmtime(f))) for f, i in faces]))
    return root / "onetoyama-pipeline" / f"glyphs-{hashlib.sha1(key.encode()).hexdigest()[:16]}.npy"


@functools.lru_cache(maxsize=4)
def load_templates(settings: GlyphSettings = GlyphSettings()) -> Templates | None:
    """The candidate kanji drawn in every installed face of ``settings.families``; None
    when none is installed.

    Drawing them takes a few seconds a face, so they are kept in the user's cache
    folder (keyed by the faces' files) and drawn again only when a face changes.
    """
    faces = installed_faces(settings.families)
    if not faces:
        return None
    kanji = office_kanji()
    chars = kanji + _KANA + _DIGITS
    path = _cache_path(settings, faces)
    try:
        vectors = np.load(path).astype(np.float32)
        if vectors.shape == (len(faces), len(chars), settings.size ** 2):
            return Templates(chars, vectors, len(kanji))
    except (OSError, ValueError):
        pass
    vectors = np.stack([face_to_vectors(f, chars, settings.size) for f in faces])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(partial, vectors.astype(np.float16))
        os.replace(partial, path)
    except OSError:
        pass  # an unwritable cache costs time, not results
    return Templates(chars, vectors, len(kanji))


def ink_to_despeckled(ink: np.ndarray) -> tuple[np.ndarray, int]:
    """A line's ink without specks, and its em (the height of what is left).

    The em is first guessed from the whole line (specks above or below a glyph make it
    too tall), then from the ink without the small pieces.
    """
    cv2 = load_cv2()

    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    areas = np.concatenate([[0], stats[1:, cv2.CC_STAT_AREA]])
    em = ink.shape[0]
    kept = ink
    for share in (2 / 3 * DEFAULT_SPECK_EMS, DEFAULT_SPECK_EMS):
        keep = areas >= (share * em) ** 2
        keep[0] = False
        kept = keep[labels]
        rows = np.flatnonzero(kept.any(axis=1))
        if not len(rows):
            return kept, ink.shape[0]
        em = int(rows[-1] - rows[0] + 1)
    stray = _stray_end_runs(kept, em)
    if stray:
        kept = kept.copy()
        for x0, x1 in stray:
            kept[:, x0:x1] = False
        rows = np.flatnonzero(kept.any(axis=1))
        em = int(rows[-1] - rows[0] + 1)
    return kept, em


def _stray_end_runs(ink: np.ndarray, em: int) -> list[tuple[int, int]]:
    """The runs of ink at either end of a line that stand far apart from it and are too
    narrow for a glyph: a piece of the cell's border or a blot, not print (地方創生局長 and,
    fifteen ems to its right, a blot as big as a speck's upper bound)."""
    runs = ink_to_runs(ink)
    out = []
    far = DEFAULT_STRAY_EMS * em
    while len(runs) > 1 and runs[-1][1] - runs[-1][0] < em / 2 and runs[-1][0] - runs[-2][1] > far:
        out.append(runs.pop())
    while len(runs) > 1 and runs[0][1] - runs[0][0] < em / 2 and runs[1][0] - runs[0][1] > far:
        out.append(runs.pop(0))
    return out


def ink_to_runs(ink: np.ndarray) -> list[tuple[int, int]]:
    """(x0, x1) of each run of columns that hold ink, left to right."""
    cols = np.concatenate([[False], ink.any(axis=0), [False]])
    edges = np.flatnonzero(cols[1:] != cols[:-1])
    return list(zip(edges[::2], edges[1::2]))


def ink_to_glyph_boxes(ink: np.ndarray, n: int, em: int) -> list[tuple[int, int]] | None:
    """Cut a line of full-width print into ``n`` glyphs: (x0, x1) of each.

    The columns with ink form runs; a kanji is one run or several side by side (川, 村),
    about one em wide. Of the ways to group the runs into ``n`` glyphs none wider than
    ``DEFAULT_MAX_GLYPH_EMS``, the one whose glyphs are nearest an em wide wins. None
    when there is no such way (fewer runs than characters, or glyphs run together).
    """
    runs = ink_to_runs(ink)
    r = len(runs)
    if n <= 0 or r < n or em <= 0:
        return None
    inf = float("inf")
    cost = np.full((r + 1, n + 1), inf)
    back = np.zeros((r + 1, n + 1), int)
    cost[0, 0] = 0.0
    for i in range(1, r + 1):
        for j in range(i - 1, -1, -1):
            width = runs[i - 1][1] - runs[j][0]
            if width > DEFAULT_MAX_GLYPH_EMS * em:
                break
            step = (width / em - 1.0) ** 2
            for k in range(1, min(n, j + 1) + 1):
                if cost[j, k - 1] + step < cost[i, k]:
                    cost[i, k] = cost[j, k - 1] + step
                    back[i, k] = j
    if cost[r, n] == inf:
        return None
    boxes = []
    i = r
    for k in range(n, 0, -1):
        j = back[i, k]
        boxes.append((int(runs[j][0]), int(runs[i - 1][1])))
        i = j
    return boxes[::-1]


def is_full_width(text: str) -> bool:
    """True when every character but spaces is printed one em wide (kanji, kana, ・): the
    glyphs can then be cut by the em."""
    return all(unicodedata.east_asian_width(ch) in "WF" for ch in text if not ch.isspace())


def views_to_ink(image, binary=None) -> list[np.ndarray]:
    """The ink of a line piece as each view shows it: the binarized piece, and the
    grayscale one cut at its own Otsu threshold (a light JPEG'd line loses thin strokes
    at a fixed one)."""
    cv2 = load_cv2()

    out = []
    if binary is not None:
        out.append(np.asarray(binary.convert("L")) < 128)
    gray = np.asarray(image.convert("L"))
    lo, hi = np.percentile(gray, 2), np.percentile(gray, 98)
    if hi - lo > 32:
        threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        out.append(gray < threshold)
    return out


def _glyph_vectors(clean: np.ndarray, boxes: list[tuple[int, int]], size: int) -> list[np.ndarray | None]:
    return [ink_to_vector(clean[:, x0:x1], size) for x0, x1 in boxes]


def ink_to_edge_trimmed(ink: np.ndarray, em: int) -> np.ndarray:
    """A glyph's ink without the thin ink at the edges of its box (DEFAULT_EDGE_INK_SHARE,
    at most DEFAULT_MAX_EDGE_EMS deep): a speck stuck to its side. The ink as it was when
    that is more than DEFAULT_MAX_TRIMMED_SHARE of it (the tips of its strokes)."""
    whole = ink = ink_to_cropped(ink)
    if not ink.size:
        return ink
    deepest = int(DEFAULT_MAX_EDGE_EMS * em)
    for axis in (0, 1):
        counts = ink.sum(axis=axis)
        thin = counts < DEFAULT_EDGE_INK_SHARE * counts.max()
        lead = next((i for i, t in enumerate(thin) if not t), len(thin))
        tail = next((i for i, t in enumerate(thin[::-1]) if not t), len(thin))
        lead, tail = min(lead, deepest), min(tail, deepest)
        if lead + tail >= len(thin):
            continue
        ink = ink[:, lead:len(thin) - tail] if axis == 0 else ink[lead:len(thin) - tail]
    return ink if ink.sum() >= (1 - DEFAULT_MAX_TRIMMED_SHARE) * whole.sum() else whole


def _trimmed_vectors(clean: np.ndarray, boxes: list[tuple[int, int]], size: int, em: int) -> list[np.ndarray | None]:
    """The vector of each glyph trimmed (ink_to_edge_trimmed); None where nothing was trimmed."""
    out = []
    for x0, x1 in boxes:
        glyph = clean[:, x0:x1]
        trimmed = ink_to_edge_trimmed(glyph, em)
        out.append(ink_to_vector(trimmed, size) if trimmed.sum() < glyph.sum() else None)
    return out


def _is_dot(clean: np.ndarray, box: tuple[int, int], em: int) -> bool:
    """True when the glyph in ``box`` is a small mark standing mid-line: the dot ・."""
    piece = clean[:, box[0]:box[1]]
    rows = np.flatnonzero(piece.any(axis=1))
    band = np.flatnonzero(clean.any(axis=1))
    if not len(rows) or not len(band):
        return False
    height, width = rows[-1] - rows[0] + 1, box[1] - box[0]
    middle = (rows[0] + rows[-1]) / 2 - band[0]
    return max(height, width) <= DEFAULT_DOT_EMS * em and 0.3 * em <= middle <= 0.7 * em


def _recounted(chars: list[str], clean: np.ndarray, em: int, templates: Templates,
               settings: GlyphSettings) -> list[str] | None:
    """The characters of a reading whose count the glyphs contradict, mended; None when
    no single mend fits.

    - One glyph more than characters, and that glyph the dot ・ (a small dot that
      tesseract drops: 参事・市町村 read 参事市町村): the ・ is put in its place.
    - One glyph fewer: a kana or mark was read from a speck beside a glyph (ワン read
      ワソン). Of the readings with one such character left out, the one whose
      characters fit the glyphs best is taken, when it fits clearly better (by
      ``min_margin``) than any other.
    """
    n = len(chars)
    if any(ch in _SMALL_MARKS for ch in chars):
        return None  # the count of glyphs is unsure: cleaning the specks may have taken these
    more = ink_to_glyph_boxes(clean, n + 1, em)
    if more is not None:
        dots = [j for j, box in enumerate(more) if _is_dot(clean, box, em)]
        if len(dots) == 1:
            j = dots[0]
            if "・" not in chars[max(j - 1, 0):j + 1]:
                return chars[:j] + ["・"] + chars[j:]
        return None
    fewer = ink_to_glyph_boxes(clean, n - 1, em) if n > 1 else None
    if fewer is None:
        return None
    vectors = _glyph_vectors(clean, fewer, settings.size)
    if any(v is None for v in vectors):
        return None
    scores = (templates.vectors @ np.stack(vectors).T).max(axis=0)  # (chars, glyphs)

    def fit(candidate: list[str]) -> float:
        return sum(float(scores[templates.index[c], j]) if c in templates.index else 0.0
                   for j, c in enumerate(candidate))

    fits: dict[str, float] = {}
    for i, ch in enumerate(chars):
        if ch not in _KANA:
            continue  # a speck is read as a kana or a dot, never as a kanji
        candidate = chars[:i] + chars[i + 1:]
        fits["".join(candidate)] = fit(candidate)
    if not fits:
        return None
    ranked = sorted(fits.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < settings.min_margin:
        return None
    return list(ranked[0][0])


def line_to_checked(text: str, views: list[np.ndarray], templates: Templates,
                    settings: GlyphSettings = GlyphSettings(),
                    word_score=None, coverage=None,
                    readable: frozenset[str] = frozenset(),
                    context: tuple[str, str] = ("", "")) -> tuple[str, list[tuple[str, str]]]:
    """One doubtful line's reading with what its glyphs contradict mended.

    Its characters are first matched one to one with its glyphs (a ・ dropped or a
    kana read from a speck is mended: _recounted); then a read kanji is replaced by
    the kanji that fits its glyph far better.

    Args:
        text: the line as read (one line, spaces allowed).
        views: the line's ink in one or more views (views_to_ink); each view is cut
            into glyphs on its own, all must agree on a mended count, and a kanji's
            score is the mean over the views.
        templates: load_templates().
        word_score: text → how word-like it is (default: ocr_lexicon.text_to_word_score);
            replacements that make the line less word-like are not made.
        coverage: text → how much of it is words of the kinds print has there (default:
            ocr_lexicon.text_to_coverage); a kanji chosen among tied ones must raise it.
        readable: the characters the engine that read the line can put out
            (ocr.lang_to_characters); a kanji outside them could only have been misread, so
            a replacement by it needs no word to back a narrow margin (田中齋 → 田中齊).
        context: the text before and after the line in its cell: the words a kanji makes
            may run on into them (新田敗 above 朗 is 新田八朗).

    Returns:
        The text, and (read, replacement) for each change ('' for a character put in or
        left out).
    """
    spaced = _SPECK_BETWEEN.sub(" ", text)
    if spaced != text:  # 寺田.昌孝: the speck's ink is no glyph; the reading stays as read if nothing changes
        checked, changed = line_to_checked(spaced, views, templates, settings, word_score, coverage,
                                           readable, context)
        return (checked, changed) if changed else (text, [])
    chars = [ch for ch in text if not ch.isspace()]
    if not chars or not views or not is_full_width(text) or not any(ch in templates.index for ch in chars):
        return text, []
    cleaned = [ink_to_despeckled(ink) for ink in views]
    changed: list[tuple[str, str]] = []
    cuts = [ink_to_glyph_boxes(clean, len(chars), em) for clean, em in cleaned]
    if any(boxes is None for boxes in cuts):
        mended = [_recounted(chars, clean, em, templates, settings) for clean, em in cleaned]
        if mended[0] is None or any(m != mended[0] for m in mended):
            return text, []
        changed.extend(_count_changes(chars, mended[0]))
        chars = mended[0]
        cuts = [ink_to_glyph_boxes(clean, len(chars), em) for clean, em in cleaned]
    if any(boxes is None for boxes in cuts) or not _cuts_agree(cuts, cleaned[0][1]):
        return text, []
    views_vectors = [_glyph_vectors(clean, boxes, settings.size) for (clean, _), boxes in zip(cleaned, cuts)]
    trimmed_vectors = [_trimmed_vectors(clean, boxes, settings.size, em) for (clean, em), boxes in zip(cleaned, cuts)]
    kanji_at = [i for i, ch in enumerate(chars) if templates.index.get(ch, templates.kanji) < templates.kanji
                and all(vs[i] is not None for vs in views_vectors)]
    if not kanji_at:
        return _respaced(text, chars, chars) if changed else text, changed
    # how well each read kanji fits its glyph (the best face, the better of the glyph as cut
    # and trimmed, the mean of the views): a glyph its kanji fits surely (DEFAULT_SURE_FIT,
    # DEFAULT_SHORT_SURE_FIT) needs no search through every kanji
    stacked = [np.stack([vs[i] for i in kanji_at]) for vs in views_vectors]
    stacked_trimmed = [np.stack([t[i] if t[i] is not None else vs[i] for i in kanji_at])
                       for vs, t in zip(views_vectors, trimmed_vectors)]
    read = np.array([templates.index[chars[i]] for i in kanji_at])
    fits = np.mean([np.maximum(np.einsum("fkd,kd->fk", templates.vectors[:, read], g).max(axis=0),
                               np.einsum("fkd,kd->fk", templates.vectors[:, read], gt).max(axis=0))
                    for g, gt in zip(stacked, stacked_trimmed)], axis=0)
    sure = DEFAULT_SHORT_SURE_FIT if len(chars) <= DEFAULT_SHORT_LINE else DEFAULT_SURE_FIT
    unsure = [n for n, f in enumerate(fits) if f < sure]
    # every view's unsure glyphs in one product (a product per view costs a third more); a
    # glyph some view trimmed is matched trimmed with the kanji it fits best at half the side
    # only (a search through every kanji again would cost as much as the first)
    searched = (templates.kanji_scores(np.concatenate([g[unsure] for g in stacked]))
                .reshape(len(stacked), len(unsure), templates.kanji)
                if unsure else np.zeros((len(stacked), 0, templates.kanji)))
    for j, n in enumerate(unsure):
        if all(t[kanji_at[n]] is None for t in trimmed_vectors):
            continue
        glyphs = np.stack([g[n] for g in stacked_trimmed])
        short = templates.kanji_shortlist(glyphs.mean(axis=0), DEFAULT_TRIMMED_SHORTLIST)
        trimmed = np.einsum("fkd,vd->vfk", templates.vectors[:, short], glyphs)
        searched[:, j, short] = np.maximum(searched[:, j, short], trimmed.max(axis=1))
    searched = searched.mean(axis=0)
    out = list(chars)
    vouching, replaced, narrow, tied = len(kanji_at) - len(unsure), [], False, {}
    for n, s in zip(unsure, searched):
        i, ch = kanji_at[n], chars[kanji_at[n]]
        best = int(np.argmax(s))
        margin = s[best] - s[templates.index[ch]]
        if templates.chars[best] == ch:
            vouching += 1
            continue
        if s[best] >= settings.min_score and margin >= settings.word_margin:
            replaced.append((i, templates.chars[best]))
            # a kanji the engine cannot put out was misread for sure: its margin is no doubt
            narrow |= margin < settings.min_margin and not (readable and templates.chars[best] not in readable)
        options = _tied_options(s, ch, templates, settings)
        if options:
            tied[i] = options
    # The kanji left as read must vouch for the cut and the face: when most of them are
    # not their glyph's best match either, the glyphs were cut off by one (県と市町村 →
    # 県と町村村) or printed in a face unlike the installed ones (a bold 項目 → 項賣).
    # A replacement that is the character beside it is a cut off by one as well.
    others = len(kanji_at) - len(replaced)
    shifted = any(new in chars[max(i - 1, 0):i] + chars[i + 1:i + 2] for i, new in replaced)
    if replaced and not shifted and 2 * vouching >= others:
        proposed = list(out)
        for i, new in replaced:
            proposed[i] = new
        # a misread kanji rarely makes a word, and a right one rarely breaks one: 連携 is
        # not made 連遧 by a speck on its glyph, 展作 is made 農作 (a character alone, a
        # name's wrapped last kanji, is no word either way)
        if word_score is None:
            from pipeline.ocr_lexicon import text_to_word_score as word_score
        before, after = word_score("".join(out)), word_score("".join(proposed))
        covered = _in_context(coverage, context)
        cover_before, cover_after = covered(out), covered(proposed)
        # ... and a replacement by a narrow margin must make the line more word-like, or, by a
        # kanji the engine cannot put out, must cost it no word (田中齋 → 田中齊, not 啓発 → 薯発).
        # None may cost the line, read with the rest of its cell, a word of the kinds print has
        # there: a wrapped 也 after 岡本達 stays, though 皀 fits its broken glyph far better.
        if cover_after >= cover_before and (
                after > before or ((after == before or len(out) == 1) and not narrow)):
            changed.extend((out[i], new) for i, new in replaced)
            out = proposed
    # A glyph left as read that several kanji fit alike (the one read may be one of them), or
    # that its best kanji fits only fairly or by a slim margin, gets the one of them that joins
    # the words around it (二木部長 or 士木部長 → 土木部長, not 十木部長; 堀日正 → 堀口正, not 堀囗正;
    # 土本部長 → 土木部長), when the vouching holds for it too.
    left = {i: options for i, options in tied.items() if out[i] == chars[i]}
    others = len(kanji_at) - len(left)
    if left and len(chars) + len("".join(context)) > 1 and 2 * vouching >= others:
        from pipeline.ocr_lexicon import text_to_cost

        covered = _in_context(coverage, context)
        for i, options in left.items():
            if any(new in out[max(i - 1, 0):i] + out[i + 1:i + 2] for new in options if new != out[i]):
                continue  # the glyphs may be cut off by one
            lines = {new: out[:i] + [new] + out[i + 1:] for new in options}
            choice = max(options, key=lambda new: (covered(lines[new]), -text_to_cost("".join(lines[new]))))
            if covered(lines[choice]) > covered(out):
                changed.append((out[i], choice))
                out[i] = choice
    if not changed:
        return text, []
    return _respaced(text, out, chars), changed


def _in_context(coverage, context: tuple[str, str]):
    """characters → the coverage of the line they make, read with the rest of its cell."""
    if coverage is None:
        from pipeline.ocr_lexicon import text_to_coverage as coverage
    return lambda chars: coverage(context[0] + "".join(chars) + context[1])


def _tied_options(scores: np.ndarray, read: str, templates: Templates, settings: GlyphSettings) -> list[str]:
    """The kanji that fit a glyph about as well as its best one (within ``wide_tie``, or
    within ``tie`` when more fit so) and well enough (``weak_score``), best first, one per
    variant spelling. The kanji read is one of them when it is tied too; when it is not, they
    must fit better (``cover_margin``). None when more than ``max_tied`` are tied even within
    ``tie``: the glyph says nothing."""
    top = np.argpartition(-scores, _TIED_LOOK)[:_TIED_LOOK]
    top = top[np.argsort(-scores[top])]
    own = scores[templates.index[read]]
    for tie in (settings.wide_tie, settings.tie):
        floor = max(scores[top[0]] - tie, settings.weak_score)
        if own < floor:
            floor = max(floor, own + settings.cover_margin)
        options = _one_per_variant([templates.chars[j] for j in top if scores[j] >= floor])
        if len(options) <= settings.max_tied:
            return options
    return []


def _one_per_variant(kanji: list[str]) -> list[str]:
    """``kanji`` with only the first of each variant spelling (郎 and 郞 are one choice)."""
    from pipeline.normalize import fold_variants

    seen: set[str] = set()
    out = []
    for ch in kanji:
        if fold_variants(ch) not in seen:
            seen.add(fold_variants(ch))
            out.append(ch)
    return out


def _cuts_agree(cuts: list[list[tuple[int, int]]], em: int) -> bool:
    """True when every view cut the line alike (each glyph's middle within a quarter em): a
    view that lost a thin glyph (三, 一 in a light gray line) cuts the rest off by one."""
    first = cuts[0]
    return all(len(c) == len(first) and all(abs((a0 + a1) - (b0 + b1)) / 2 <= em / 4
                                             for (a0, a1), (b0, b1) in zip(c, first)) for c in cuts[1:])


def _count_changes(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """('', added) or (dropped, '') for readings one character apart."""
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    return [("", after[i])] if len(after) > len(before) else [(before[i], "")]


def _respaced(text: str, out: list[str], chars: list[str]) -> str:
    """``out`` with the spaces of ``text`` where they were read (a character put in or
    left out shifts the ones after it)."""
    if len(out) == len([ch for ch in text if not ch.isspace()]):
        it = iter(out)
        return "".join(ch if ch.isspace() else next(it) for ch in text)
    return "".join(out)


def line_to_digit_checked(text: str, views: list[np.ndarray], templates: Templates,
                          settings: GlyphSettings = GlyphSettings()) -> str:
    """A line ending in a date range whose last number was read as a kana or a kanji
    (5月へる月) with the digit its glyph fits best: the reading is wrong whatever that
    digit is, so the best digit is taken when it fits well (``min_score``).

    The glyph is found from the line's end: the unit (月, 日) is the last em of ink, the
    digit the narrow glyph before it.
    """
    m = _DIGIT_SLOT.search(text)
    if not m or not views:
        return text
    digits = [templates.index[d] for d in _DIGITS]
    scores = []
    for ink in views:
        clean, em = ink_to_despeckled(ink)
        runs = ink_to_runs(clean)
        i = len(runs) - 1
        while i > 0 and runs[-1][1] - runs[i - 1][0] <= 1.1 * em:
            i -= 1  # the unit's runs
        j = i - 1
        while j > 0 and runs[i - 1][1] - runs[j - 1][0] <= 0.75 * em:
            j -= 1  # the digit's
        if j < 0 or runs[i - 1][1] - runs[j][0] > 0.75 * em:
            return text
        v = ink_to_vector(clean[:, runs[j][0]:runs[i - 1][1]], settings.size)
        if v is None:
            return text
        scores.append((templates.vectors[:, digits] @ v).max(axis=0))
    s = np.mean(scores, axis=0)
    best = int(np.argmax(s))
    if s[best] < settings.min_score:
        return text
    return text[:m.start("x")] + _DIGITS[best] + text[m.end("x"):]


#: A share whose ％ was read as 96 or 9% (41.7% → 41.796, 59.1% → 59.19%): the numbers it
#: may be, the reading's and the share's, are told apart by the width of the ink. Only
#: shares with a decimal: a whole number ending in 96 is as often a year (1996).
#: A speck before the number read as a point (.22.79%) is no part of it, and an opening
#: bracket glued after it (41.796() is the next word's. Its ring may be read as a digit more
#: (41.79%6, the lid-model 1-bit r4 scan of seed 22).
SHARE_MISREAD = re.compile(r"^(?P<speck>[.,:;'`・·]+(?=[0-9]))?(?P<head>.*[^0-9.\s])?"
                           r"(?P<number>[0-9]+\.\s?[0-9])(?P<tail>9%[%0-9]?|[0-9]{1,2})(?P<bracket>[(（])?$")
#: The tails a ％ read as more than one sign leaves; the share is told from them by width.
_WIDE_TAIL = re.compile(r"96|9%[%0-9]?")
#: The signs a share's last glyph is matched with: the half-width % of most faces, and ％.
_PERCENT = ("%", "％")
#: The width a text drawn in an installed face would have at the ink's height must come
#: this close to the ink's (a share of it) ...
DEFAULT_WIDTH_FIT = 0.08


def ink_to_aspect(ink: np.ndarray) -> float:
    """Width over height of the ink's bounding box; 0 for no ink."""
    crop = ink_to_cropped(ink)
    return crop.shape[1] / crop.shape[0] if crop.size else 0.0


def word_to_share_checked(text: str, ink: np.ndarray, faces: tuple[tuple[str, int], ...]) -> str:
    """A word read as a share with its ％ misread (41.796, 41.79, 59.106, 41.79%, 59.19%%; glued to the
    word before it: 時点:41.796) made the share (41.7%) when its last glyph is a ％ (it fits a
    drawn ％ far better than the digit read), or when its ink is as wide as the share would be
    and clearly narrower than the reading.

    A speck read before the number goes (.22.79% → 22.7%), and an opening bracket read after it
    stays (41.796( → 41.7%(): its ink is left out of the measure.

    A number printed with two decimals (41.79) keeps them: its last glyph is the 9.

    Args:
        text: the word as read.
        ink: the word's ink (bool), specks and all: they are cleaned here.
        faces: installed_faces(); each candidate is matched in its nearest face.
    """
    m = SHARE_MISREAD.match(text)
    if not m or not faces:
        return text
    clean = ink_to_despeckled(ink)[0]
    if m.group("bracket"):
        runs = ink_to_runs(clean)
        if len(runs) < 2:
            return text
        clean = clean[:, :runs[-1][0]]  # the bracket is the last run of columns
    aspect = ink_to_aspect(clean)
    if not aspect:
        return text
    share = (m.group("head") or "") + m.group("number") + "%" + (m.group("bracket") or "")
    if (not m.group("tail").startswith("9%")
            and _last_glyph_is_percent(clean, m.group("tail")[-1], faces)):
        return share
    if not _WIDE_TAIL.fullmatch(m.group("tail")) or m.group("head"):
        # a ％ read as one digit leaves the width as it was, and the width of a word glued to
        # another (時点:41.796) is not the share's: nothing to tell by
        return text

    def misfits(candidate: str) -> list[float]:
        return [abs(ink_to_aspect(text_to_ink(candidate, f)) / aspect - 1.0) for f in faces]

    shares, reads = misfits(m.group("number") + "%"), misfits(m.group("number") + m.group("tail"))
    fits, was = min(shares), min(reads)
    if fits > DEFAULT_WIDTH_FIT or was < 2 * fits:
        return text
    # the reading fits some face fairly (41.796 in Noto Serif, 7%): the share must fit better
    # in every face, the one printed among them
    return share if was > DEFAULT_WIDTH_FIT or all(s < r for s, r in zip(shares, reads)) else text


@functools.lru_cache(maxsize=256)
def _drawn_vector(ch: str, face: tuple[str, int]) -> np.ndarray | None:
    return ink_to_vector(text_to_ink(ch, face))


def _last_glyph_is_percent(clean: np.ndarray, digit: str, faces: tuple[tuple[str, int], ...]) -> bool:
    """True when the last run of ink fits a drawn ％ well (DEFAULT_MIN_SCORE) and far better
    (DEFAULT_MIN_MARGIN) than ``digit``, the last character read: the slash joins a ％'s two
    rings into one run of columns, a digit is a run of its own."""
    runs = ink_to_runs(clean)
    glyph = ink_to_vector(clean[:, runs[-1][0]:runs[-1][1]]) if runs else None
    if glyph is None:
        return False

    def fit(chars: tuple[str, ...]) -> float:
        drawn = [_drawn_vector(ch, f) for ch in chars for f in faces]
        return max((float(glyph @ v) for v in drawn if v is not None), default=0.0)

    percent = fit(_PERCENT)
    return percent >= DEFAULT_MIN_SCORE and percent - fit((digit,)) >= DEFAULT_MIN_MARGIN
