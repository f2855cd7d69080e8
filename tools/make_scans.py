#!/usr/bin/env python3
"""Make office-scanner renditions of the sample packets: image-only PDFs, as a copier makes them.

Each page of a packet is rendered with PDFium at 200 dpi (what office scanners default
to), then degraded the way paper and a flatbed degrade it:

- the paper is laid slightly askew: rotated by a seeded random angle of 0.5–1.5° (either sign),
- ink is not black and paper not white (contrast loss), and the optics soften edges (blur),
- dust and toner specks (pepper) and drop-outs inside strokes (salt) are scattered over it,
- the page is stored as an office copier stores it in its text mode: thresholded to 1 bit
  (thin strokes break, specks stay) and CCITT G4 compressed, about 30 KB a page; or, with
  ``--mode L``, as a grayscale JPEG (about 150 KB a page). No text layer either way.

The angles are written beside the PDF (``<name>.angles.json``) so that tests can check the
skew estimate against the truth. Everything is seeded: the same seed makes the same bytes.

``--model lid`` makes the pages as another scanner does, so that no repair is tuned to one
model of damage: the page is rendered at 300 dpi and brought down to the scan resolution
(Lanczos), stretched up to 2 % along the feed, skewed (bilinear), lit unevenly (up to 40 grey
levels darker towards one corner), shadowed along one edge by the lid (10–30 px), hit by
sensor noise (σ 9 grey levels) and a 3×3 blur, then stored 1 bit by Otsu's threshold or as a
grayscale JPEG of quality 70.

Usage (from the repository root):

    .venv/bin/python tools/make_scans.py [--src PDF ...] [--out DIR] [--seed N] [--dpi 200]
        [--mode 1|L] [--quality 45] [--pages 1,2,5] [--name NAME] [--model flatbed|lid]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = (DEFAULT_ROOT.parent / "shared" / "fixtures" / "pdfs" / "r3_browser.pdf",
                   DEFAULT_ROOT.parent / "shared" / "fixtures" / "pdfs" / "r4_browser.pdf")
DEFAULT_OUT_DIR = DEFAULT_ROOT / "tests" / "fixtures" / "scans"
DEFAULT_SEED = 20240120
DEFAULT_DPI = 200
#: JPEG quality of the stored page: low enough for a fixture of a few MB, high enough
#: that the JPEG blocks are not the main damage (office scanners use about this).
DEFAULT_QUALITY = 45
DEFAULT_MIN_ANGLE = 0.5  # degrees
DEFAULT_MAX_ANGLE = 1.5
#: Darkest ink and lightest paper after contrast loss (0–255).
DEFAULT_INK = (45, 70)
DEFAULT_PAPER = (222, 238)
DEFAULT_BLUR = (0.5, 0.8)  # Gaussian radius in pixels at the scan resolution
#: Share of pixels that get a dark speck (1–3 px) / a white drop-out inside ink.
DEFAULT_PEPPER = 0.0008
DEFAULT_SALT = 0.02
#: Standard deviation of the sensor noise (grey levels); JPEG smooths most of it away, and it costs size.
DEFAULT_SENSOR_NOISE = 0.0
#: "1": thresholded, CCITT G4; "L": grayscale JPEG.
DEFAULT_MODE = "1"
#: Where between ink and paper a 1-bit copier puts its threshold (0 ink, 1 paper); above the
#: middle, as copiers are set to keep thin strokes.
DEFAULT_THRESHOLD = 0.7
#: "flatbed": the degradations above; "lid": another scanner's (see the module's docstring).
DEFAULT_MODEL = "flatbed"
#: The lid model: the resolution it renders at, its sensor noise and its JPEG quality.
DEFAULT_LID_RENDER_DPI = 300
DEFAULT_LID_NOISE = 9.0
DEFAULT_LID_QUALITY = 70


@dataclass(frozen=True)
class ScanSettings:
    dpi: int = DEFAULT_DPI
    quality: int = DEFAULT_QUALITY
    min_angle: float = DEFAULT_MIN_ANGLE
    max_angle: float = DEFAULT_MAX_ANGLE
    ink: tuple[int, int] = DEFAULT_INK
    paper: tuple[int, int] = DEFAULT_PAPER
    blur: tuple[float, float] = DEFAULT_BLUR
    pepper: float = DEFAULT_PEPPER
    salt: float = DEFAULT_SALT
    mode: str = DEFAULT_MODE
    threshold: float = DEFAULT_THRESHOLD


def seed_to_angle(rng: random.Random, settings: ScanSettings) -> float:
    """A skew of min..max degrees, either sign."""
    return round(rng.uniform(settings.min_angle, settings.max_angle) * rng.choice((-1, 1)), 3)


def page_to_scan(image, angle: float, rng: random.Random, settings: ScanSettings):
    """Degrade one clean grayscale page image (PIL, mode L) into what a scanner gives.

    Args:
        image: the page rendered at the scan resolution.
        angle: degrees, counter-clockwise positive (PIL's convention).
        rng: the page's random source (noise positions, contrast, blur).
        settings: how strong each degradation is.

    Returns:
        The degraded page, same size: mode 1 or L as ``settings.mode`` says.
    """
    import numpy as np
    from PIL import Image, ImageFilter

    ink = rng.uniform(*settings.ink)
    paper = rng.uniform(*settings.paper)
    nrng = np.random.default_rng(rng.randrange(2**32))
    a = np.asarray(image, dtype=np.float32) / 255.0
    # salt: drop-outs inside strokes (worn toner), before blur so they soften like real ones
    is_ink = a < 0.5
    a = np.where(is_ink & (nrng.random(a.shape) < settings.salt), 1.0, a)
    a = ink + (paper - ink) * a
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=int(paper))
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(*settings.blur)))
    a = np.asarray(img, dtype=np.float32)
    # pepper: dust and toner specks of 1–3 px anywhere on the page
    h, w = a.shape
    n = int(h * w * settings.pepper)
    ys, xs = nrng.integers(0, h - 3, n), nrng.integers(0, w - 3, n)
    sizes = nrng.integers(1, 4, n)
    darkness = nrng.uniform(ink, (ink + paper) / 2, n)
    for y, x, s, d in zip(ys.tolist(), xs.tolist(), sizes.tolist(), darkness.tolist()):
        a[y:y + s, x:x + s] = np.minimum(a[y:y + s, x:x + s], d)
    # sensor noise, mild: it is what makes a flat paper area not flat
    a += nrng.normal(0.0, DEFAULT_SENSOR_NOISE, a.shape)
    if settings.mode == "1":
        cut = ink + settings.threshold * (paper - ink)
        return Image.fromarray(a > cut).convert("1")
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def page_to_lid_scan(image, dpi: int, rng: random.Random, nrng, mode: str):
    """Degrade one clean grayscale page rendered at DEFAULT_LID_RENDER_DPI as the lid model does.

    Args:
        image: the page (PIL, mode L) at DEFAULT_LID_RENDER_DPI.
        dpi: the scan's resolution.
        rng: the document's random source (stretch, skew, light, shadow), drawn page after page.
        nrng: the document's numpy generator (sensor noise).
        mode: "1" (Otsu's threshold) or "L".

    Returns:
        (the degraded page, its skew in degrees counter-clockwise).
    """
    import cv2
    import numpy as np
    from PIL import Image

    w, h = image.size
    stretch = rng.uniform(1.0, 1.02)
    down = dpi / DEFAULT_LID_RENDER_DPI
    image = image.resize((int(w * down), int(h * down * stretch)), Image.LANCZOS)
    angle = rng.uniform(DEFAULT_MIN_ANGLE, DEFAULT_MAX_ANGLE) * rng.choice((-1, 1))
    image = image.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=235)
    a = np.asarray(image, np.float32)
    rows, cols = a.shape
    ink, paper = rng.uniform(20, 60), rng.uniform(215, 245)
    a = ink + (paper - ink) * a / 255.0
    # light falling off across the page and down it
    a = a - (np.linspace(0, rng.uniform(10, 25), cols)[None, :] + np.linspace(0, rng.uniform(0, 15), rows)[:, None])
    side = rng.randint(10, 30)
    if rng.random() < 0.5:
        a[:, :side] = np.minimum(a[:, :side], np.linspace(30, 180, side)[None, :])
    else:
        a[:side, :] = np.minimum(a[:side, :], np.linspace(30, 180, side)[:, None])
    a += nrng.normal(0, DEFAULT_LID_NOISE, a.shape)
    a = np.clip(cv2.GaussianBlur(a, (3, 3), 0.6), 0, 255).astype(np.uint8)
    if mode == "1":
        _, b = cv2.threshold(a, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        return Image.fromarray(b).convert("1"), round(angle, 3)
    return Image.fromarray(a, "L"), round(angle, 3)


def pdf_to_lid_scan(src: Path, out: Path, seed: int, dpi: int = DEFAULT_DPI, mode: str = DEFAULT_MODE,
                    pages: list[int] | None = None) -> list[float]:
    """Write the lid model's image-only scan of ``src`` to ``out``; returns each page's skew."""
    import numpy as np

    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    numbers, images, angles = [], [], []
    for number, clean in _clean_pages(src, pages, DEFAULT_LID_RENDER_DPI):
        page, angle = page_to_lid_scan(clean, dpi, rng, nrng, mode)
        numbers.append(number)
        images.append(page)
        angles.append(angle)
    _save(images, out, dpi, mode, DEFAULT_LID_QUALITY)
    _save_angles(out, {"source": src.name, "seed": seed, "dpi": dpi, "mode": mode, "model": "lid",
                       "pages": numbers, "angles_ccw_degrees": angles})
    return angles


def _clean_pages(src: Path, pages: list[int] | None, dpi: int):
    """(1-based number, the clean grayscale page rendered by PDFium at ``dpi``) for each of
    ``pages`` (all when None), one page at a time."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(src))
    try:
        for number in pages or range(1, len(pdf) + 1):
            yield number, pdf[number - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


def _save(images: list, out: Path, dpi: int, mode: str, quality: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    # Pillow stores a mode-1 page as a CCITT G4 image and a mode-L page as a JPEG, and nothing
    # else: no text layer.
    extra = {"quality": quality} if mode == "L" else {}  # a G4 page takes no quality
    # fixed dates: the same seed gives the same bytes
    when = time.gmtime(1705708800)  # 2024-01-20
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi,
                   creationDate=when, modDate=when, **extra)


def _save_angles(out: Path, meta: dict) -> None:
    out.with_suffix(".angles.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def pdf_to_scan(src: Path, out: Path, seed: int, settings: ScanSettings = ScanSettings(),
                pages: list[int] | None = None) -> list[float]:
    """Write the image-only scan of ``src`` to ``out``; returns the angle of each page.

    Args:
        src: the born-digital packet.
        out: the PDF to write (its ``.angles.json`` is written beside it).
        seed: with the file name, decides every random choice.
        settings: scan resolution and degradations.
        pages: 1-based page numbers to include (all when None).
    """
    rng = random.Random(f"{seed}:{src.name}")
    numbers, images, angles = [], [], []
    for number, clean in _clean_pages(src, pages, settings.dpi):
        angle = seed_to_angle(rng, settings)
        numbers.append(number)
        images.append(page_to_scan(clean, angle, rng, settings))
        angles.append(angle)
    _save(images, out, settings.dpi, settings.mode, settings.quality)
    _save_angles(out, {"source": src.name, "seed": seed, "dpi": settings.dpi, "mode": settings.mode, "pages": numbers,
                       "angles_ccw_degrees": angles})
    return angles


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, nargs="+", default=list(DEFAULT_SOURCES))
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--dpi", type=int, default=DEFAULT_DPI)
    ap.add_argument("--mode", choices=("1", "L"), default=DEFAULT_MODE)
    ap.add_argument("--quality", type=int, default=DEFAULT_QUALITY,
                    help="JPEG quality (mode L of the flatbed model; the lid model stores quality 70)")
    ap.add_argument("--pages", help="comma-separated 1-based pages (default: all)")
    ap.add_argument("--name", help="output file stem (default <packet>_scan<dpi>[_gray])")
    ap.add_argument("--model", choices=("flatbed", "lid"), default=DEFAULT_MODEL,
                    help="how the pages are degraded (see above)")
    a = ap.parse_args(argv)
    settings = ScanSettings(dpi=a.dpi, quality=a.quality, mode=a.mode)
    pages = [int(p) for p in a.pages.split(",")] if a.pages else None
    for src in a.src:
        stem = a.name or f"{src.stem.replace('_browser', '')}_scan{a.dpi}" + ("_gray" if a.mode == "L" else "")
        out = a.out / f"{stem}.pdf"
        angles = (pdf_to_lid_scan(src, out, a.seed, a.dpi, a.mode, pages) if a.model == "lid"
                  else pdf_to_scan(src, out, a.seed, settings, pages))
        print(f"{out}: {len(angles)} pages, {out.stat().st_size / 1e6:.2f} MB, "
              f"skew {min(angles):+.2f}..{max(angles):+.2f}°")
    return 0


if __name__ == "__main__":
    sys.exit(main())
