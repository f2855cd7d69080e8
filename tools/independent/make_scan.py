#!/usr/bin/env python3
"""Independent scan-simulation maker.

Turns a text-layer PDF into an image-only PDF that resembles an office MFP scan.
Styles:
  A  grayscale "photo/text" scan, stored as JPEG
  B  1-bit "text" mode scan (global threshold, no dither), stored as CCITT G4
  C  photocopy (darkened, toner specks, grey background, blur) then gray scan, JPEG

Usage: make.py SRC.pdf OUT.pdf STYLE SEED [JPEG_QUALITY]
Writes OUT.pdf and OUT.pdf.json (per-page parameters).
Deterministic: same inputs + seed -> same bytes.
"""
import io
import json
import os
import subprocess
import sys
import tempfile

import cv2
import img2pdf
import numpy as np
from PIL import Image, TiffImagePlugin

RENDER_DPI = 400          # render resolution (scanner optics oversample)
OUT_DPI = 200             # stored resolution
F = RENDER_DPI // OUT_DPI  # 2


def render_pages(src, tmpdir):
    """Render every page grayscale at RENDER_DPI with pdftoppm; return sorted file list."""
    prefix = os.path.join(tmpdir, "p")
    subprocess.run(["pdftoppm", "-r", str(RENDER_DPI), "-gray", src, prefix], check=True)
    files = sorted(f for f in os.listdir(tmpdir) if f.endswith(".pgm"))
    return [os.path.join(tmpdir, f) for f in files]


def page_sizes_pts(src):
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", src], check=True,
                         capture_output=True, text=True).stdout
    sizes, rots = {}, {}
    for line in out.splitlines():
        if line.startswith("Page") and " size:" in line:
            n = int(line.split()[1])
            parts = line.split(":", 1)[1].split()
            sizes[n] = (float(parts[0]), float(parts[2]))
        elif line.startswith("Page") and " rot:" in line:
            n = int(line.split()[1])
            rots[n] = int(line.split(":", 1)[1])
    res = []
    for n in sorted(sizes):
        w, h = sizes[n]
        if rots.get(n, 0) % 180 == 90:
            w, h = h, w
        res.append((w, h))
    return res


def smooth_field(rng, h, w, cells=(3, 4), amp=1.0):
    """Low-frequency random field in [-amp, amp] (bicubic-upsampled small grid)."""
    g = rng.uniform(-1, 1, size=cells).astype(np.float32)
    f = cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
    m = np.abs(f).max() or 1.0
    return f / m * amp


def add_specks(rng, img, n, vmin, vmax, size_p=(0.62, 0.24, 0.09, 0.05)):
    """Dust / salt-and-pepper: n dark specks of 1..4 px (irregular), values in [vmin,vmax]."""
    h, w = img.shape
    sizes = rng.choice([1, 2, 3, 4], size=n, p=size_p)
    ys = rng.integers(0, h, size=n)
    xs = rng.integers(0, w, size=n)
    vals = rng.uniform(vmin, vmax, size=n)
    for s, y, x, v in zip(sizes, ys, xs, vals):
        if s == 1:
            img[y, x] = min(img[y, x], v)
            continue
        # irregular blob: random subset of an s x s box, always including centre
        blk = rng.random((s, s)) < 0.75
        blk[s // 2, s // 2] = True
        y0, x0 = max(0, y - s // 2), max(0, x - s // 2)
        y1, x1 = min(h, y0 + s), min(w, x0 + s)
        sub = img[y0:y1, x0:x1]
        m = blk[: y1 - y0, : x1 - x0]
        sub[m] = np.minimum(sub[m], v)
    return img


def add_salt(rng, img, n):
    """A few white dropouts (mostly visible inside dark areas)."""
    h, w = img.shape
    ys = rng.integers(0, h, size=n)
    xs = rng.integers(0, w, size=n)
    img[ys, xs] = np.maximum(img[ys, xs], rng.uniform(200, 250, size=n))
    return img


def photocopy(rng, g):
    """First generation photocopy at RENDER_DPI. g: float32 0..255 (255 = white)."""
    h, w = g.shape
    # toner spread: thicken strokes slightly (min filter ~0.5 px at 200 dpi) + darken mid-tones
    g = cv2.erode(g, np.ones((2, 2), np.uint8))
    g = 255.0 * np.power(g / 255.0, 1.7)
    g = cv2.GaussianBlur(g, (0, 0), 1.3)
    # map tones: ink -> ~12, paper -> grey background ~ 222 with mottle
    bg = rng.uniform(216, 226)
    mottle = smooth_field(rng, h, w, cells=(6, 8), amp=5.0)
    fine = rng.normal(0, 6, size=(h // 8 + 1, w // 8 + 1)).astype(np.float32)
    fine = cv2.GaussianBlur(fine, (0, 0), 1.5)
    mottle += cv2.resize(fine, (w, h), interpolation=cv2.INTER_LINEAR)
    ink = 12.0
    g = ink + (bg + mottle - ink) * (g / 255.0)
    # toner specks (fused toner dots, 1-3 px at 200 dpi => 2-6 px here)
    n_t = int(rng.integers(250, 450))
    gs = np.ascontiguousarray(g)
    ys = rng.integers(0, h, size=n_t)
    xs = rng.integers(0, w, size=n_t)
    rads = rng.choice([1, 1, 1, 2, 2, 3], size=n_t)
    vals = rng.uniform(10, 90, size=n_t)
    for y, x, r, v in zip(ys, xs, rads, vals):
        cv2.circle(gs, (int(x), int(y)), int(r), float(v), -1, lineType=cv2.LINE_AA)
    # a faint drum streak (vertical) somewhere on the page, ~1 px at 200 dpi
    sx = int(rng.integers(int(w * 0.1), int(w * 0.9)))
    depth = float(rng.uniform(18, 35))
    gs[:, sx:sx + 2] -= depth * (rng.random((h, 1)) < 0.85).astype(np.float32)
    # a grey shadow band along one edge (copier lid not fully closed), faint
    side = int(rng.integers(0, 4))
    bw = int(rng.integers(int(0.004 * w), int(0.012 * w)))
    ramp = np.linspace(1.0, 0.0, bw, dtype=np.float32)[None, :] * rng.uniform(25, 50)
    if side == 0:
        gs[:, :bw] -= ramp
    elif side == 1:
        gs[:, w - bw:] -= ramp[:, ::-1]
    elif side == 2:
        gs[:bw, :] -= ramp.T
    else:
        gs[h - bw:, :] -= ramp.T[::-1, :]
    gs = cv2.GaussianBlur(gs, (0, 0), 0.6)
    return np.clip(gs, 0, 255)


def scan_page(rng, g, out_w, out_h, style):
    """g: rendered page float32 (0..255) at RENDER_DPI. Returns (uint8 image at OUT_DPI, params)."""
    H, W = out_h * F, out_w * F  # canvas at render dpi
    sign = rng.choice([-1.0, 1.0])
    angle = float(sign * rng.uniform(0.5, 1.5))
    scale = float(1.0 + rng.uniform(-0.01, 0.01))
    mm = RENDER_DPI / 25.4
    tx = float(rng.uniform(-3.0, 3.0) * mm)
    ty = float(rng.uniform(-3.0, 3.0) * mm)

    sh, sw = g.shape
    # paper tone for the scan
    backing = 236.0  # scanner lid / ADF backing seen outside the sheet
    # rotate about the page centre, scale, then translate, onto the canvas
    M = cv2.getRotationMatrix2D((sw / 2.0, sh / 2.0), angle, scale)
    M[0, 2] += (W - sw) / 2.0 + tx
    M[1, 2] += (H - sh) / 2.0 + ty
    warped = cv2.warpAffine(g, M, (W, H), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=-1.0)
    outside = warped < 0
    # slightly darker scanner backing outside the sheet, thin edge shadow at the sheet border
    mask = (~outside).astype(np.float32)
    edge = cv2.GaussianBlur(mask, (0, 0), 2.0)
    warped[outside] = backing
    shadow = np.clip(1.0 - np.abs(edge - 0.5) * 2.0, 0, 1) * 25.0
    warped = warped - shadow
    # optics: slight blur at render dpi, then sensor sampling down to OUT_DPI
    warped = cv2.GaussianBlur(warped, (0, 0), 0.9)
    img = cv2.resize(warped, (out_w, out_h), interpolation=cv2.INTER_AREA)

    # dust / salt-and-pepper specks on the glass (a few hundred, some 2-4 px)
    n_specks = int(rng.integers(250, 450))
    img = add_specks(rng, img, n_specks, 25.0, 130.0)
    img = add_salt(rng, img, int(rng.integers(40, 120)))
    # mild blur (lens) at OUT_DPI
    img = cv2.GaussianBlur(img, (0, 0), 0.5)

    params = dict(angle_deg=round(angle, 4), scale=round(scale, 4),
                  tx_mm=round(tx / mm, 2), ty_mm=round(ty / mm, 2), specks=n_specks)

    if style in ("A", "C"):
        # tone: ink ~ 28, paper ~ 244 (A); C keeps its photocopy tones, with slight lift
        if style == "A":
            img = 28.0 + (img / 255.0) * (244.0 - 28.0)
        else:
            img = 10.0 + (img / 255.0) * (250.0 - 10.0)
        # uneven lighting: gentle multiplicative gradient + low-frequency field
        gy = np.linspace(-1, 1, out_h, dtype=np.float32)[:, None]
        gx = np.linspace(-1, 1, out_w, dtype=np.float32)[None, :]
        a, b = rng.uniform(-0.025, 0.025, size=2)
        light = 1.0 + a * gx + b * gy + smooth_field(rng, out_h, out_w, (3, 4), 0.015)
        light -= max(0.0, float(light.max()) - 1.0)  # never brighten above 1
        img = img * light
        # gaussian sensor noise
        sigma = float(rng.uniform(3.0, 5.0))
        img = img + rng.normal(0, sigma, size=img.shape).astype(np.float32)
        params["noise_sigma"] = round(sigma, 2)
        return np.clip(np.rint(img), 0, 255).astype(np.uint8), params

    # style B: 1-bit threshold (no dither). Sensor noise first, then fixed threshold.
    img = 20.0 + (img / 255.0) * (248.0 - 20.0)
    sigma = float(rng.uniform(4.0, 7.0))
    img = img + rng.normal(0, sigma, size=img.shape).astype(np.float32)
    thr = float(rng.uniform(150, 165))
    bw = (img >= thr).astype(np.uint8) * 255
    # isolated pepper pixels from the binariser
    n_pep = int(rng.integers(100, 250))
    bw[rng.integers(0, out_h, n_pep), rng.integers(0, out_w, n_pep)] = 0
    params.update(noise_sigma=round(sigma, 2), threshold=round(thr, 1))
    return bw, params


def encode(img, style, quality):
    buf = io.BytesIO()
    if style == "B":
        im = Image.fromarray(img).convert("1", dither=Image.Dither.NONE)
        TiffImagePlugin.STRIP_SIZE = 1 << 30  # single strip -> img2pdf passes G4 through
        im.save(buf, format="TIFF", compression="group4", dpi=(OUT_DPI, OUT_DPI))
    else:
        Image.fromarray(img, mode="L").save(buf, format="JPEG", quality=quality,
                                            dpi=(OUT_DPI, OUT_DPI), optimize=False)
    return buf.getvalue()


def main():
    src, out, style, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    quality = int(sys.argv[5]) if len(sys.argv) > 5 else 70
    sizes = page_sizes_pts(src)
    blobs, meta = [], []
    with tempfile.TemporaryDirectory(prefix="indep_scan_") as td:
        files = render_pages(src, td)
        assert len(files) == len(sizes), (len(files), len(sizes))
        for i, (fn, (wpt, hpt)) in enumerate(zip(files, sizes), start=1):
            rng = np.random.default_rng([seed, i])
            g = cv2.imread(fn, cv2.IMREAD_GRAYSCALE).astype(np.float32)
            if style == "C":
                g = photocopy(rng, g)
            out_w = int(round(wpt / 72.0 * OUT_DPI))
            out_h = int(round(hpt / 72.0 * OUT_DPI))
            img, p = scan_page(rng, g, out_w, out_h, style)
            p.update(page=i, px=[out_w, out_h])
            meta.append(p)
            blobs.append(encode(img, style, quality))
            print(f"{os.path.basename(out)} p{i}: {p}", flush=True)
    layout = img2pdf.get_fixed_dpi_layout_fun((OUT_DPI, OUT_DPI))
    pdf = img2pdf.convert(blobs, layout_fun=layout, nodate=True,
                          engine=img2pdf.Engine.internal)
    with open(out, "wb") as fh:
        fh.write(pdf)
    with open(out + ".json", "w") as fh:
        json.dump(dict(src=src, style=style, seed=seed, quality=quality if style != "B" else None,
                       pages=meta), fh, indent=1)


if __name__ == "__main__":
    main()
