"""Page images before recognition: skew, binarization, specks and ruling lines.

Office scans come at 200 dpi, a degree or so askew, with dust specks and broken
strokes. Each step here is a pure function on numpy arrays (OpenCV underneath), so
the OCR module can chain them and the tests can check each one on a page whose
skew is known:

    gray ─gray_to_skew─▶ angle ─gray_to_deskewed─▶ gray ─gray_to_ink─▶ ink
        ─ink_to_rules─▶ segments ─segments_to_rules─▶ rules ─rules_to_mask─▶ ink without rules
        ─ink_to_despeckled─▶ ink to read

``ink`` arrays are boolean, True where there is ink. Angles are in degrees,
counter-clockwise positive (PIL's ``rotate`` convention).

OpenCV (``opencv-python-headless``) is imported here only: pages with a text layer
never load it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: Skews searched (degrees either way): more than a sheet laid on a flatbed by hand.
DEFAULT_MAX_SKEW = 3.0
#: Coarse search step, then a fine step around the best coarse angle.
DEFAULT_SKEW_COARSE_STEP = 0.1
DEFAULT_SKEW_FINE_STEP = 0.02
#: The skew is estimated on the page shrunk to about this many pixels across (speed;
#: 0.02° tilts a line by half a pixel over that width, enough to tell).
DEFAULT_SKEW_WIDTH = 1600
#: Below this skew the page is left as it is: rotating costs a resample for nothing.
DEFAULT_MIN_SKEW = 0.05
#: A connected blob of at most this many pixels (at 300 dpi) with no ink within
#: DEFAULT_SPECK_CLEARANCE px is a speck, not a dot of a glyph (、。 and dakuten sit
#: next to their glyph; a dust speck sits alone) ...
DEFAULT_SPECK_AREA = 60
#: ... and no longer than this (px) either way: a broken stroke (the pieces of a thin 一)
#: is long and flat, a speck is compact.
DEFAULT_SPECK_SIDE = 9
DEFAULT_SPECK_CLEARANCE = 6
#: ... unless glyphs stand level with it on both sides within this many px: a ・ between
#: two words of a line stands further from its neighbours than the clearance.
DEFAULT_SPECK_LINE_REACH = 24
#: ... or within this many px, for a solid round blob this big (its sides at least
#: DEFAULT_DOT_SIDE px, its box at least DEFAULT_DOT_FILL ink): a printed ・ is centred in a
#: glyph's em (理事・ワンチーム on the gray r3 scan of seed 8642: 21 px from 事, 27 px from ワ);
#: dust is smaller or ragged.
DEFAULT_DOT_LINE_REACH = 36
DEFAULT_DOT_SIDE = 6
DEFAULT_DOT_FILL = 0.6
#: Gaps (px) bridged inside a ruling line before it is measured: drop-outs in a scanned rule.
DEFAULT_RULE_GAP = 4
#: Blank rows (px at 300 dpi) between two text lines of a cell; leading is wider.
DEFAULT_LINE_GAP = 3
#: A band of ink lower than this share of a typical line is part of a neighbouring line ...
DEFAULT_THIN_BAND = 0.35
#: ... unless it is a glyph's width wide (this share of the tallest line's height) and set apart
#: by a line's spacing (this share): a line holding only 一 (a given name wrapped: 祐 ⏎ 一).
DEFAULT_STROKE_WIDTH = 0.6
DEFAULT_STROKE_GAP = 0.3
#: A band at least this many times as high as the cell's lowest full line is two lines whose
#: gap specks, a comma's tail or a slash bridged ...
DEFAULT_TALL_BAND = 1.6
#: ... cut in the middle of the longest run of rows with at most this share of the band's
#: fullest row's ink, half a line or more from either end (a line of text has no such run).
DEFAULT_GAP_INK = 0.05
#: Pixels erased on each side of a ruling line along with it.
DEFAULT_RULE_FRINGE = 4
#: A table's lost outer border is put back where this many of its rules end alike (within
#: DEFAULT_BORDER_TOL px of the 300 dpi page).
DEFAULT_MIN_BORDER_RULES = 3
DEFAULT_BORDER_TOL = 8
DEFAULT_MAX_BORDER_THICKNESS = 12
DEFAULT_MIN_BORDER_LEN = 120  # two rows of a table, at least
#: Pixels around erased ink (rules, specks) painted over with it in the grayscale page:
#: their soft edges lie outside the binarized mask.
DEFAULT_ERASE_MARGIN = 1
#: Side (px, odd) of the Gaussian that smooths the grayscale page cells are read from:
#: JPEG blocks and the stair-steps of an upscaled 1-bit scan, not the strokes.
DEFAULT_SMOOTH_SIDE = 3


@dataclass(frozen=True)
class Segment:
    """One ruling line on the image, in pixels: horizontal (y0 == y1) or vertical (x0 == x1).

    ``thickness`` is the line's extent across its direction (px).
    """

    orientation: str  # "h" or "v"
    x0: int
    y0: int
    x1: int
    y1: int
    thickness: int = 1

    def touches(self, other: "Segment", tol: int) -> bool:
        """True when this line and a perpendicular one meet or cross (within ``tol`` px)."""
        h, v = (self, other) if self.orientation == "h" else (other, self)
        if h.orientation != "h" or v.orientation != "v":
            return False
        return h.x0 - tol <= v.x0 <= h.x1 + tol and v.y0 - tol <= h.y0 <= v.y1 + tol


#: Threads of OpenCV's own pool. The ingest already runs one worker per core: more
#: threads only contend with the other workers (and with tesseract). Measured on the r3
#: scan (33 pages, make bench's case f): 3.40 s CPU per page with OpenCV's default pool,
#: 2.73 s with one, and the wall time fell too (2.97 → 2.64 s per page).
DEFAULT_CV_THREADS = 1


@lru_cache(maxsize=1)
def load_cv2():
    """OpenCV, with its thread pool set to DEFAULT_CV_THREADS."""
    import cv2

    cv2.setNumThreads(DEFAULT_CV_THREADS)
    return cv2


def image_to_gray(image) -> np.ndarray:
    """A PIL image (any mode) as a uint8 grayscale array."""
    return np.asarray(image.convert("L"), dtype=np.uint8)


def gray_to_ink(gray: np.ndarray) -> np.ndarray:
    """Ink mask by Otsu's threshold (the page is ink on paper: two levels, whatever the contrast).

    A light Gaussian blur first keeps JPEG noise and the stair-steps of an upscaled
    1-bit scan from deciding single pixels.
    """
    cv2 = load_cv2()
    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    _, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary == 0


def gray_to_skew(gray: np.ndarray, max_skew: float = DEFAULT_MAX_SKEW, width: int = DEFAULT_SKEW_WIDTH) -> float:
    """Skew of a grayscale page (image_to_skew), binarized after it is shrunk to ``width``
    pixels: the skew is measured at that size anyway, and binarizing the full page only for
    it cost a fifth of a second per page."""
    cv2 = load_cv2()
    h, w = gray.shape
    f = min(1.0, width / max(w, 1))
    if f < 1.0:
        gray = cv2.resize(gray, (max(int(w * f), 1), max(int(h * f), 1)), interpolation=cv2.INTER_AREA)
    return image_to_skew(gray_to_ink(gray), max_skew, width, speck_area=max(2, int(DEFAULT_SPECK_AREA * f * f)))


def image_to_skew(ink: np.ndarray, max_skew: float = DEFAULT_MAX_SKEW,
                  width: int = DEFAULT_SKEW_WIDTH, speck_area: int | None = None) -> float:
    """Skew of a page from its ink: the angle at which rows of ink are sharpest.

    Text lines and ruling lines make the horizontal projection of the ink spiky when
    the page is straight; rotated by the wrong angle the spikes smear. The sharpness
    (sum of squared row counts) is maximised over a coarse then a fine grid of
    angles, shearing the ink coordinates instead of rotating the image, on the page
    shrunk to ``width`` pixels with its specks dropped (on a near-empty page the
    specks would decide the angle).

    Args:
        speck_area: blobs up to this many pixels of ``ink`` as it is are dropped; by default
            DEFAULT_SPECK_AREA scaled to the shrunk page.

    Returns:
        Degrees the page is rotated counter-clockwise (rotate by minus this to straighten);
        0.0 for a page with (almost) no ink.
    """
    cv2 = load_cv2()
    h, w = ink.shape
    f = min(1.0, width / max(w, 1))
    small = cv2.resize(ink.astype(np.uint8) * 255, (max(int(w * f), 1), max(int(h * f), 1)),
                       interpolation=cv2.INTER_AREA) if f < 1.0 else ink.astype(np.uint8) * 255
    small = small >= 64
    n, labels, stats, _ = cv2.connectedComponentsWithStats(small.astype(np.uint8), connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] > (speck_area if speck_area is not None else max(2, int(DEFAULT_SPECK_AREA * f * f)))
    keep[0] = False
    ys, xs = np.nonzero(keep[labels])
    if len(ys) < 50:
        return 0.0
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64)

    def sharpness(angle: float) -> float:
        # a line drawn at +angle (ccw) rises to the right: y = y0 - x·tan(angle)
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        rows -= rows.min()
        counts = np.bincount(rows)
        return float(np.dot(counts, counts))

    coarse = np.arange(-max_skew, max_skew + 1e-9, DEFAULT_SKEW_COARSE_STEP)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - DEFAULT_SKEW_COARSE_STEP, best + DEFAULT_SKEW_COARSE_STEP + 1e-9, DEFAULT_SKEW_FINE_STEP)
    return round(float(max(fine, key=sharpness)), 3)


def gray_to_deskewed(gray: np.ndarray, angle: float, min_skew: float = DEFAULT_MIN_SKEW) -> np.ndarray:
    """The page rotated by ``-angle`` about its centre, paper-white where the corners open up."""
    if abs(angle) < min_skew:
        return gray
    cv2 = load_cv2()
    h, w = gray.shape
    # cv2's positive angle is counter-clockwise too: undo the skew with its negative
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=255)


def ink_to_despeckled(ink: np.ndarray, max_area: int = DEFAULT_SPECK_AREA,
                      clearance: int = DEFAULT_SPECK_CLEARANCE,
                      line_reach: int = DEFAULT_SPECK_LINE_REACH, max_side: int = DEFAULT_SPECK_SIDE) -> np.ndarray:
    """The ink without isolated specks: small blobs with no glyph close around them."""
    cv2 = load_cv2()
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    small = np.flatnonzero((stats[:, cv2.CC_STAT_AREA] <= max_area)
                           & (np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) <= max_side))
    small = small[small != 0]
    if len(small) == 0:
        return ink
    # ink of the big blobs, grown by the clearance: a small blob touching it is part of a glyph
    is_small = np.zeros(n, dtype=bool)
    is_small[small] = True
    big = (labels > 0) & ~is_small[labels]
    k = 2 * clearance + 1
    big8 = big.astype(np.uint8)
    near_big = cv2.dilate(big8, np.ones((k, k), np.uint8)) > 0
    # level with glyphs on the left AND on the right: inside a line of text
    near_big |= _level_both_sides(big8, line_reach)
    near = np.bincount(labels[near_big], minlength=n) > 0
    width, height, area = (stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA])
    dot = is_small & (np.minimum(width, height) >= DEFAULT_DOT_SIDE) & (area >= DEFAULT_DOT_FILL * width * height)
    if dot.any():
        near |= dot & (np.bincount(labels[_level_both_sides(big8, DEFAULT_DOT_LINE_REACH)], minlength=n) > 0)
    specks = is_small & ~near
    return ink & ~specks[labels]


def _level_both_sides(big8: np.ndarray, reach: int) -> np.ndarray:
    """Pixels with ink of ``big8`` within ``reach`` px on their left and on their right, in their row."""
    cv2 = load_cv2()
    kernel = np.ones((1, reach + 1), np.uint8)
    return (cv2.dilate(big8, kernel, anchor=(0, 0)) > 0) & (cv2.dilate(big8, kernel, anchor=(reach, 0)) > 0)


def ink_to_rules(ink: np.ndarray, min_len: int, gap: int = DEFAULT_RULE_GAP) -> list[Segment]:
    """Ruling lines of a (straightened) page.

    Args:
        ink: ink mask.
        min_len: shortest run (px) taken for a ruling line; a glyph stroke is shorter.
        gap: drop-outs up to this long inside a line are bridged.

    Returns:
        One segment per connected horizontal or vertical line. The strokes of a bold
        heading can join into a "line" too: :func:`segments_to_rules` tells them apart.
    """
    cv2 = load_cv2()
    img = ink.astype(np.uint8)
    segments: list[Segment] = []
    for orientation, bridge, keep in (("h", (gap, 1), (min_len, 1)), ("v", (1, gap), (1, min_len))):
        closed = cv2.morphologyEx(img, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
        lines = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, keep))
        n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for x, y, w, h, _area in stats[1:].tolist():
            if orientation == "h":
                segments.append(Segment("h", x, y + h // 2, x + w, y + h // 2, h))
            else:
                segments.append(Segment("v", x + w // 2, y, x + w // 2, y + h, w))
    return segments


def segments_to_rules(segments: list[Segment], lone_min_len: int, tol: int = DEFAULT_RULE_GAP) -> list[Segment]:
    """The segments that are printed rules: those meeting a perpendicular line (a table's
    grid), and lone lines long enough that no run of glyph strokes makes them."""
    out = []
    for s in segments:
        length = (s.x1 - s.x0) if s.orientation == "h" else (s.y1 - s.y0)
        if length >= lone_min_len or any(s.touches(o, tol) for o in segments if o.orientation != s.orientation):
            out.append(s)
    return out


def rules_to_closed(rules: list[Segment], min_rules: int = DEFAULT_MIN_BORDER_RULES,
                    tol: int = DEFAULT_BORDER_TOL, min_len: int = DEFAULT_MIN_BORDER_LEN) -> list[Segment]:
    """The rules with each table's lost outer border put back.

    A table's border is often printed thinner or lighter than its inner rules (a browser
    draws a 0.5 pt edge as one pale pixel column): after a scan's threshold nothing is
    left of it, and the table loses its last column. Where ``min_rules`` or more rules of
    one table (each pair of neighbours crossed by one of its perpendicular rules) end at
    the same place and no perpendicular rule there spans them, one is put there.
    """
    out = list(rules)
    # only thin lines: a filled box (a heading's black band) is a "rule" of its own width
    thin = [r for r in rules if r.thickness <= DEFAULT_MAX_BORDER_THICKNESS]
    for along in ("h", "v"):
        lines = [r for r in thin if r.orientation == along]
        across = [r for r in thin if r.orientation != along]
        if along == "h":
            span, pos = (lambda r: (r.x0, r.x1)), (lambda r: r.y0)
            c_span, c_pos = (lambda r: (r.y0, r.y1)), (lambda r: r.x0)
        else:
            span, pos = (lambda r: (r.y0, r.y1)), (lambda r: r.x0)
            c_span, c_pos = (lambda r: (r.x0, r.x1)), (lambda r: r.y0)
        for end in (0, 1):
            for group in _clusters(lines, lambda r: span(r)[end], tol):
                group.sort(key=pos)
                runs, run = [], [group[0]]
                for a, b in zip(group, group[1:]):
                    joined = any(c_span(c)[0] - tol <= pos(a) and c_span(c)[1] + tol >= pos(b)
                                 and max(span(a)[0], span(b)[0]) - tol <= c_pos(c) <= min(span(a)[1], span(b)[1]) + tol
                                 for c in across)
                    if joined:
                        run.append(b)
                    else:
                        runs.append(run)
                        run = [b]
                runs.append(run)
                for run in runs:
                    if len(run) < min_rules:
                        continue
                    at = sorted(span(r)[end] for r in run)[len(run) // 2]
                    top, bottom = pos(run[0]), pos(run[-1])
                    if bottom - top < min_len:
                        continue  # a chart's small grid, not a table's rows
                    if any(abs(c_pos(c) - at) <= tol and c_span(c)[0] - tol <= top and c_span(c)[1] + tol >= bottom
                           for c in across):
                        continue
                    out.append(Segment("v", at, top, at, bottom, 1) if along == "h"
                               else Segment("h", top, at, bottom, at, 1))
    return out


def _clusters(lines: list[Segment], value, tol: int) -> list[list[Segment]]:
    """``lines`` grouped where ``value`` differs by at most ``tol`` from the next."""
    groups: list[list[Segment]] = []
    for r in sorted(lines, key=value):
        if groups and value(r) - value(groups[-1][-1]) <= tol:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def rules_to_mask(shape: tuple[int, int], rules: list[Segment], fringe: int = DEFAULT_RULE_FRINGE) -> np.ndarray:
    """Pixels to erase with the rules: each line's band, grown by ``fringe`` px on both sides
    (the ragged edge of a scanned rule would read as a dash)."""
    mask = np.zeros(shape, dtype=bool)
    for s in rules:
        half = s.thickness // 2 + fringe
        if s.orientation == "h":
            mask[max(s.y0 - half, 0):s.y0 + half + 1, max(s.x0 - fringe, 0):s.x1 + fringe] = True
        else:
            mask[max(s.y0 - fringe, 0):s.y1 + fringe, max(s.x0 - half, 0):s.x0 + half + 1] = True
    return mask


def gray_to_cleaned(gray: np.ndarray, erase: np.ndarray, margin: int = DEFAULT_ERASE_MARGIN,
                    smooth: int = DEFAULT_SMOOTH_SIDE) -> np.ndarray:
    """The grayscale page with the ``erase`` pixels (and ``margin`` px around them) painted
    paper-white, lightly smoothed: the recognizer reads the soft grey of broken strokes
    that a threshold would have cut."""
    cv2 = load_cv2()
    if margin > 0:
        k = 2 * margin + 1
        erase = cv2.dilate(erase.astype(np.uint8), np.ones((k, k), np.uint8)) > 0
    out = cv2.GaussianBlur(gray, (smooth, smooth), 0) if smooth > 1 else gray.copy()
    out[erase] = 255
    return out


def ink_to_image(ink: np.ndarray):
    """Black ink on white as a PIL image (what the recognizer reads)."""
    from PIL import Image

    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8), "L")


def ink_to_line_bands(ink: np.ndarray, min_gap: int = DEFAULT_LINE_GAP) -> list[tuple[int, int]]:
    """The text lines of a block of ink (a table cell), as (top, bottom) row ranges.

    Rows with ink form bands; a blank run of at least ``min_gap`` rows separates two
    lines. A band much lower than the others (a stray mark, the top of a glyph cut by
    a blank row) joins the nearer neighbour instead of becoming a line of its own,
    unless it is a glyph wide and a line's spacing away: a line of 一 alone.
    """
    rows = ink.any(axis=1)
    bands: list[list[int]] = []
    gap = min_gap
    for y, has in enumerate(rows.tolist()):
        if has:
            if bands and gap < min_gap:
                bands[-1][1] = y + 1
            else:
                bands.append([y, y + 1])
            gap = 0
        else:
            gap += 1
    if len(bands) < 2:
        return [tuple(b) for b in bands]
    typical = float(np.median([b - a for a, b in bands]))
    tallest = max(b - a for a, b in bands)

    def gaps(i: int) -> tuple[int | None, int | None]:
        """Blank rows between band ``i`` and the band above, and the band below (None at an end)."""
        a, b = bands[i]
        return (a - bands[i - 1][1] if i > 0 else None,
                bands[i + 1][0] - b if i + 1 < len(bands) else None)

    def is_stroke_line(i: int) -> bool:
        a, b = bands[i]
        return (int(ink[a:b].any(axis=0).sum()) >= DEFAULT_STROKE_WIDTH * tallest
                and min(g for g in gaps(i) if g is not None) >= DEFAULT_STROKE_GAP * tallest)

    merged = True
    while merged and len(bands) > 1:
        merged = False
        for i, (a, b) in enumerate(bands):
            if b - a >= DEFAULT_THIN_BAND * typical or is_stroke_line(i):
                continue
            # join the neighbour across the smaller gap
            up, down = gaps(i)
            j = i - 1 if down is None or (up is not None and up <= down) else i + 1
            lo, hi = min(i, j), max(i, j)
            bands[lo:hi + 1] = [[bands[lo][0], bands[hi][1]]]
            merged = True
            break
    full = [b - a for a, b in bands if b - a >= DEFAULT_THIN_BAND * tallest]
    if len(full) < 2:  # no line to measure a band against
        return [tuple(b) for b in bands]
    return [piece for a, b in bands for piece in _band_to_lines(ink, a, b, min(full))]


def _band_to_lines(ink: np.ndarray, top: int, bottom: int, line: int) -> list[tuple[int, int]]:
    """A band of rows as its lines: itself, unless it is DEFAULT_TALL_BAND lines high and
    has a run of nearly blank rows away from its ends (see DEFAULT_GAP_INK)."""
    if bottom - top < DEFAULT_TALL_BAND * line:
        return [(top, bottom)]
    counts = ink[top:bottom].sum(axis=1)
    low = (counts <= DEFAULT_GAP_INK * counts.max()).tolist()
    margin = line // 2
    best: tuple[int, int] | None = None
    start = None
    for y in range(margin, len(low) - margin + 1):
        if y < len(low) - margin and low[y]:
            start = y if start is None else start
        elif start is not None:
            if best is None or y - start > best[1] - best[0]:
                best = (start, y)
            start = None
    if best is None:
        return [(top, bottom)]
    cut = top + (best[0] + best[1]) // 2
    return _band_to_lines(ink, top, cut, line) + _band_to_lines(ink, cut, bottom, line)
