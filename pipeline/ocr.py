"""OCR for pages without a text layer (scanned packets), into the same IR.

Uses the ``tesseract`` command (Debian: tesseract-ocr, tesseract-ocr-jpn) when it
is installed; without it pages stay empty and the parse stage warns how to enable
it. Tables are recovered from the image's ruling lines: the dark horizontal and
vertical runs become edges, and pdfplumber's own edge → intersection → cell steps
turn them into cells, so a scanned table reaches the parsers as rows and cells
just like a born-digital one.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from pipeline.ir import Line, Page, Table

DEFAULT_OCR_DPI = 300
DEFAULT_OCR_LANG = "jpn"
DEFAULT_OCR_TIMEOUT = 120  # seconds per page
#: A dark run at least this long (in PDF points) is a ruling line, not a glyph stroke.
DEFAULT_MIN_RULE_PT = 30.0
DEFAULT_MIN_WORD_CONF = 10.0
#: A gap wider than this share of the glyph height is a printed space (田中 斉);
#: tesseract splits Japanese into "words" at narrower gaps that are not spaces.
DEFAULT_SPACE_GAP = 0.8
#: Table cells lower than this (pt) hold one line of text.
DEFAULT_SINGLE_LINE_PT = 22.0
#: White margins (px) a one-line cell is read with; the most frequent reading wins.
DEFAULT_VOTE_PADS = (8, 6, 10)
#: Pixels cut from each cell edge so no ruling line is left in the crop.
DEFAULT_CELL_INSET = 5
# tesseract reads the wave dash of a time range (3時～4時) as 一 or ー.
_RANGE_DASH = re.compile(r"(?<=[時分0-9])\s*[一ー―‐-]\s*(?=[0-9])")


def tesseract_available(lang: str = DEFAULT_OCR_LANG) -> bool:
    """True when tesseract is on PATH and has the language's data."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return lang in out.stdout.split()


def fill_missing_text(path: Path, pages: list[Page], problems: list) -> list[Page]:
    """Return ``pages`` with OCR text and tables for the pages that have no text layer.

    A page whose OCR fails keeps its empty text and gets an entry in ``problems``.
    """
    missing = [p for p in pages if p.needs_ocr and p.width > 0]
    if not missing or not tesseract_available():
        return pages
    import pypdfium2

    out = {p.number: p for p in pages}
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for p in missing:
            try:
                image = pdf[p.number - 1].render(scale=DEFAULT_OCR_DPI / 72).to_pil().convert("L")
                out[p.number] = image_to_page(image, p)
            except Exception as e:  # one bad page must not cost the others
                problems.append((p.number, f"OCR failed: {type(e).__name__}: {e}"))
    finally:
        pdf.close()
    return [out[p.number] for p in pages]


def image_to_page(image, page: Page, dpi: int = DEFAULT_OCR_DPI) -> Page:
    """OCR one grayscale page image into an IR page (coordinates in PDF points)."""
    scale = 72.0 / dpi
    table_cells, clean = image_to_table_cells(image, scale)
    # OCR the image with its ruling lines erased: tesseract reads text inside a grid badly.
    words = image_to_words(clean, scale)
    lines = words_to_lines(words)
    cell_texts = cells_to_texts(clean, [c for cells in table_cells for c in cells], scale)
    tables = [_fill_table(cells, cell_texts) for cells in table_cells]
    text = "\n".join(ln.text for ln in lines)
    return replace(page, text=text, lines=lines, tables=[t for t in tables if t.rows],
                   has_text_layer=False, source="ocr")


def image_to_words(image, scale: float, lang: str = DEFAULT_OCR_LANG) -> list[dict]:
    """Run tesseract on the image; words with boxes in PDF points."""
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", lang, "--psm", "4", "tsv"],
                          input=buf.getvalue(), capture_output=True, timeout=DEFAULT_OCR_TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip()[:200])
    words = []
    reader = csv.DictReader(io.StringIO(proc.stdout.decode("utf-8", "replace")), delimiter="\t",
                            quoting=csv.QUOTE_NONE)
    for r in reader:
        text = (r.get("text") or "").strip()
        if r.get("level") != "5" or not text or float(r.get("conf") or -1) < DEFAULT_MIN_WORD_CONF:
            continue
        x, y, w, h = (int(r[k]) for k in ("left", "top", "width", "height"))
        words.append({"text": text, "x0": x * scale, "top": y * scale, "x1": (x + w) * scale,
                      "bottom": (y + h) * scale, "line": (r["block_num"], r["par_num"], r["line_num"])})
    return words


def _join_words(words: list[dict]) -> str:
    """Join OCR words: Japanese runs close up; a visible gap (> half a glyph) stays a space."""
    out = ""
    prev = None
    for w in sorted(words, key=lambda w: w["x0"]):
        if prev is not None:
            gap = w["x0"] - prev["x1"]
            height = max(prev["bottom"] - prev["top"], 1.0)
            if gap > DEFAULT_SPACE_GAP * height or (prev["text"][-1].isascii() and w["text"][0].isascii()):
                out += " "
        out += w["text"]
        prev = w
    return out


def words_to_lines(words: list[dict]) -> list[Line]:
    by_line: dict = {}
    for w in words:
        by_line.setdefault(w["line"], []).append(w)
    lines = []
    for ws in by_line.values():
        lines.append(Line(_RANGE_DASH.sub("～", _join_words(ws)), round(min(w["x0"] for w in ws), 2), round(min(w["top"] for w in ws), 2),
                          round(max(w["x1"] for w in ws), 2), round(max(w["bottom"] for w in ws), 2)))
    lines.sort(key=lambda ln: (round(ln.top / 4), ln.x0))
    return lines


def image_to_table_cells(image, scale: float, min_rule_pt: float = DEFAULT_MIN_RULE_PT):
    """Ruled tables of a page image, and the image with its ruling lines erased.

    Returns:
        (tables as lists of cell boxes in PDF points, cleaned PIL image).
    """
    import numpy as np
    from PIL import Image
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    pixels = np.asarray(image).copy()
    dark = pixels < 128
    min_run = max(int(min_rule_pt / scale), 10)
    edges = []
    rules = np.zeros_like(dark)
    for y, row in enumerate(dark):
        for x0, x1 in _runs(row, min_run):
            rules[max(y - 1, 0):y + 2, x0:x1] = True
            edges.append({"x0": x0 * scale, "x1": x1 * scale, "top": y * scale, "bottom": y * scale,
                          "width": (x1 - x0) * scale, "height": 0, "orientation": "h", "object_type": "line"})
    for x, col in enumerate(dark.T):
        for y0, y1 in _runs(col, min_run):
            rules[y0:y1, max(x - 1, 0):x + 2] = True
            edges.append({"x0": x * scale, "x1": x * scale, "top": y0 * scale, "bottom": y1 * scale,
                          "width": 0, "height": (y1 - y0) * scale, "orientation": "v", "object_type": "line"})
    pixels[rules] = 255
    clean = Image.fromarray(pixels)
    if not edges:
        return [], clean
    edges = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [t for t in cells_to_tables(cells) if len(t) >= 2], clean


def _runs(mask, min_len: int) -> list[tuple[int, int]]:
    import numpy as np

    padded = np.concatenate(([False], mask, [False]))
    diff = np.diff(padded.astype(np.int8))
    starts, ends = np.flatnonzero(diff == 1), np.flatnonzero(diff == -1)
    keep = (ends - starts) >= min_len
    return list(zip(starts[keep].tolist(), ends[keep].tolist()))


def _ink_crop(image, box: tuple[int, int, int, int], pad: int):
    """The cell's ink, trimmed to its bounding box, on a white margin of ``pad`` pixels."""
    import numpy as np
    from PIL import ImageOps

    crop = image.crop(box)
    ink = np.asarray(crop) < 128
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    crop = crop.crop((max(xs.min() - 1, 0), max(ys.min() - 1, 0), xs.max() + 2, ys.max() + 2))
    return ImageOps.expand(crop, pad, fill=255)


def _tesseract_many(paths: list[str], psm: str, lang: str, tmp: str) -> list[str]:
    """OCR many small images in one tesseract run; one text per image."""
    import os

    listing = os.path.join(tmp, f"list-{psm}-{len(paths)}-{abs(hash(paths[0]))}.txt")
    with open(listing, "w", encoding="utf-8") as fh:
        fh.write("\n".join(paths) + "\n")
    proc = subprocess.run(["tesseract", listing, "stdout", "-l", lang, "--psm", psm],
                          capture_output=True, timeout=DEFAULT_OCR_TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip()[:200])
    # tesseract ends each input image's text with a form feed
    texts = proc.stdout.decode("utf-8", "replace").split("\f")
    return [(texts[i] if i < len(texts) else "") for i in range(len(paths))]


def _clean_cell_text(text: str) -> str:
    return "\n".join(ln.strip() for ln in text.strip().splitlines() if ln.strip())


def cells_to_texts(image, cells: list[tuple], scale: float, lang: str = DEFAULT_OCR_LANG) -> dict[tuple, str]:
    """OCR each table cell on its own (a few tesseract runs for all of them).

    A cell read alone is read far better than the same words in a full-page pass:
    tesseract gets one line (or one block) and no neighbouring columns to merge.
    Tesseract's reading of a short line shifts with the white margin around it, so a
    one-line cell is read with several margins and the most frequent reading wins.
    """
    import os
    import tempfile
    from collections import Counter

    out: dict[tuple, str] = {c: "" for c in cells}
    if not cells:
        return out
    with tempfile.TemporaryDirectory(prefix="ocr-cells-") as tmp:
        single: dict[int, list[tuple[tuple, str]]] = {pad: [] for pad in DEFAULT_VOTE_PADS}
        block: list[tuple[tuple, str]] = []
        for i, c in enumerate(cells):
            x0, top, x1, bottom = (int(round(v / scale)) for v in c)
            inset = DEFAULT_CELL_INSET
            if x1 - x0 <= 2 * inset + 4 or bottom - top <= 2 * inset + 4:
                continue
            box = (x0 + inset, top + inset, x1 - inset, bottom - inset)
            one_line = (bottom - top) * scale < DEFAULT_SINGLE_LINE_PT
            for pad in (DEFAULT_VOTE_PADS if one_line else DEFAULT_VOTE_PADS[:1]):
                crop = _ink_crop(image, box, pad)
                if crop is None:
                    break
                path = os.path.join(tmp, f"cell{i:05d}-{pad}.png")
                crop.save(path)
                (single[pad] if one_line else block).append((c, path))
        readings: dict[tuple, list[str]] = {}
        for pad, items in single.items():
            if items:
                texts = _tesseract_many([p for _, p in items], "13", lang, tmp)
                for (c, _), text in zip(items, texts):
                    readings.setdefault(c, []).append(_clean_cell_text(text))
        for c, votes in readings.items():
            out[c] = Counter(votes).most_common(1)[0][0]  # ties: the first margin's reading
        if block:
            texts = _tesseract_many([p for _, p in block], "6", lang, tmp)
            for (c, _), text in zip(block, texts):
                out[c] = _clean_cell_text(text)
    return out


def _fill_table(cells: list[tuple], cell_texts: dict[tuple, str]) -> Table:
    """Rows of cell texts, cells grouped by their top and left edges."""
    tops = sorted({round(c[1], 0) for c in cells})
    lefts = sorted({round(c[0], 0) for c in cells})
    grid: dict[tuple[int, int], tuple] = {}
    for c in cells:
        grid[(tops.index(round(c[1], 0)), lefts.index(round(c[0], 0)))] = c
    rows, boxes = [], []
    for r in range(len(tops)):
        row, brow = [], []
        for k in range(len(lefts)):
            c = grid.get((r, k))
            if c is None:
                row.append(None)
                brow.append(None)
                continue
            row.append(_RANGE_DASH.sub("～", cell_texts.get(c, "")))
            brow.append(tuple(round(v, 2) for v in c))
        rows.append(row)
        boxes.append(brow)
    x0 = min(c[0] for c in cells)
    top = min(c[1] for c in cells)
    x1 = max(c[2] for c in cells)
    bottom = max(c[3] for c in cells)
    return Table((round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)), rows, boxes)
