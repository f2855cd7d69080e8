"""Review: a static HTML site to check each extracted value against the page it came from.

``python -m pipeline review [DOC_ID|--all]`` writes ``review/index.html`` (the documents
with their rows per table, warnings, OCR'd pages and corrections) and one folder per
document: each page rendered with PDFium next to the HTML, the boxes of the extracted
values drawn over it (one colour per table), and the rows beside it. Selecting a row
highlights its box and scrolls the page to it, and the reverse; OCR'd, low-confidence
and corrected values are marked; warnings and data-check findings link to their page;
and each value shows the line to paste into a corrections file (pipeline.corrections).

The site is opened from disk: plain HTML, CSS and a little JavaScript shipped in
``pipeline/review_assets``, nothing from a server or the network. The warehouse is
only read.
"""
from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pipeline import corrections as corr

#: Fact tables drawn on the pages, in legend order, with the columns shown beside the
#: page (those the warehouse has) and the column whose correction line a box click shows.
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "agenda_items": (("seq", "title"), "title"),
    "materials": (("seq", "label", "title", "department"), "title"),
    "attendees": (("seq", "side", "post", "name", "name_text", "by_proxy", "proxy_name", "proxy_post",
                   "absent", "ocr_confidence"), "name"),
    "item_years": (("fiscal_year", "title_text", "selected", "change", "proposers", "departments", "targets"),
                   "title_text"),
    "wg_meetings": (("date_text", "held_on", "ends_on", "precision", "track", "label", "planned"), "held_on"),
    "item_results": (("seq", "section", "topic", "results", "next_steps"), "results"),
    "kpis": (("value_text", "value", "unit", "metric", "scope", "segment", "as_of", "rank", "kind"), "value"),
    "schedule": (("date_text", "starts_on", "ends_on", "precision", "event", "session_no", "format", "planned"),
                 "event"),
}
#: Documents fields shown (and correctable) in a document's header.
DOCUMENT_FIELDS = ("title", "meeting_body", "fiscal_year", "session_no", "held_on", "starts_at", "ends_at", "venue",
                   "weekday_text")
PROVENANCE = ("page", "x0", "top", "x1", "bottom", "boxes")
DEFAULT_DPI = 110
#: An OCR'd value below this confidence (0–1) is marked, as pipeline.ocr warns about it.
DEFAULT_LOW_CONFIDENCE = 0.6
DEFAULT_IMAGE_FORMAT = "webp"  # Chromium and Firefox show it; a fifth of a PNG's size for a text page
DEFAULT_WEBP_QUALITY = 80
ASSETS = ("review.css", "review.js")


class ReviewError(Exception):
    """The review cannot be built as asked (an unknown document, a folder that cannot be written)."""


@dataclass(frozen=True)
class ReviewSettings:
    dpi: int = DEFAULT_DPI
    low_confidence: float = DEFAULT_LOW_CONFIDENCE
    image_format: str = DEFAULT_IMAGE_FORMAT
    webp_quality: int = DEFAULT_WEBP_QUALITY


@dataclass
class Built:
    """What a review run wrote."""

    index: Path
    documents: list[str] = field(default_factory=list)
    pages: int = 0
    boxes: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass
class DocData:
    """Everything the review of one document shows, read from the warehouse."""

    doc: dict
    tables: dict[str, list[dict]]
    keys: dict[str, list[str]]
    warnings: list[dict]
    corrections: list[dict]
    ocr_pages: set[int]


# --- reading the warehouse ---------------------------------------------------------------------

def _fetch(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
        [table]).fetchall()]


def warehouse_to_docdata(con, doc_id: str) -> DocData:
    """One document's rows, warnings and corrections; rows in load order (the order keys count in)."""
    doc = _fetch(con, "select * from documents where doc_id = ?", [doc_id])[0]
    tables, keys = {}, {}
    for table in TABLES:
        if not _columns(con, table):
            continue
        rows = _fetch(con, f'select * from "{table}" where doc_id = ? order by rowid', [doc_id])
        keys[table] = corr.rows_to_keys(table, doc["source_path"], rows)
        tables[table] = rows
    warnings = _fetch(con, "select stage, page, message from warnings where doc_id = ? "
                           "order by stage = 'check', page nulls first, message", [doc_id])
    fixes = _fetch(con, "select * from corrections where doc_id = ? order by file, line", [doc_id]) \
        if _columns(con, "corrections") else []
    ocr = {r[0] for r in con.execute("select page from pages where doc_id = ? and source = 'ocr'", [doc_id]).fetchall()}
    return DocData(doc, tables, keys, warnings, fixes, ocr)


def warehouse_to_index_rows(con) -> list[dict]:
    """One row per document for the index: counts per table, warnings, OCR'd pages, corrections."""
    docs = _fetch(con, "select * from documents order by held_on nulls last, source_path", [])
    present = [t for t in TABLES if _columns(con, t)]
    for d in docs:
        d["counts"] = {t: con.execute(f'select count(*) from "{t}" where doc_id = ?', [d["doc_id"]]).fetchone()[0]
                       for t in present}
        d["n_warnings"], d["n_checks"] = con.execute(
            "select count(*) filter (where stage <> 'check'), count(*) filter (where stage = 'check') "
            "from warnings where doc_id = ?", [d["doc_id"]]).fetchone()
        d["n_applied"], d["n_stale"] = con.execute(
            "select count(*) filter (where applied), count(*) filter (where not applied) from corrections "
            "where doc_id = ?", [d["doc_id"]]).fetchone() if _columns(con, "corrections") else (0, 0)
    return docs


# --- pages -------------------------------------------------------------------------------------

def pdf_to_page_images(pdf_path: Path, out_dir: Path, settings: ReviewSettings) -> list[tuple[str, float, float]]:
    """Render every page once (an image already there for this doc and dpi is kept: a doc_id
    names fixed bytes).

    Returns:
        (image file name, page width, page height in PDF points) per page.
    """
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(pdf_path))
    out = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            width, height = page.get_size()
            name = f"p{i + 1:03d}-{settings.dpi}.{settings.image_format}"
            target = out_dir / name
            if not target.exists():
                image = page.render(scale=settings.dpi / 72).to_pil()
                tmp = target.with_suffix(".tmp")
                if settings.image_format == "webp":
                    image.save(tmp, format="WEBP", quality=settings.webp_quality, method=4)
                else:
                    image.save(tmp, format="PNG", optimize=True)
                tmp.replace(target)
            out.append((name, float(width), float(height)))
            page.close()
    finally:
        pdf.close()
    return out


def row_to_boxes(row: dict) -> list[tuple[int, float, float, float, float]]:
    """The row's box first, then the parts of a value joined from several lines or pages."""
    if row.get("x0") is None or row.get("page") is None:
        return []
    main = (row["page"], row["x0"], row["top"], row["x1"], row["bottom"])
    parts = [(b["page"], b["x0"], b["top"], b["x1"], b["bottom"]) for b in (row.get("boxes") or [])]
    return [main] + [p for p in parts if p != main]


# --- HTML --------------------------------------------------------------------------------------

def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _shown(value) -> str:
    """How a value reads on the page (the corrections file's spelling, lists with ' | ')."""
    if isinstance(value, (list, tuple)):
        return " | ".join(corr.value_to_text(v) for v in value)
    return corr.value_to_text(value)


def _pct(v: float, whole: float) -> str:
    return f"{100.0 * v / whole:.3f}%" if whole else "0%"


def _row_marks(table: str, row: dict, page_is_ocr: bool, settings: ReviewSettings) -> list[str]:
    marks = []
    if row.get("from_ocr") or page_is_ocr:
        marks.append("ocr")
    conf = row.get("ocr_confidence")
    if conf is not None and conf == conf and conf < settings.low_confidence:
        marks.append("low")
    return marks


def docdata_to_html(data: DocData, pages: list[tuple[str, float, float]], settings: ReviewSettings,
                    note: str | None = None) -> tuple[str, int]:
    """The review page of one document.

    Returns:
        (the HTML, the number of boxes drawn: one per row with provenance).
    """
    doc = data.doc
    source = doc["source_path"]
    applied = {(c["table_name"], c["row_key"], c["column_name"]): c for c in data.corrections if c["applied"]}
    boxes_by_page: dict[int, list[str]] = {}
    n_boxes = 0
    sections = []
    for table, rows in data.tables.items():
        shown, main = TABLES[table]
        cols = [c for c in shown if rows and c in rows[0]] or [c for c in shown]
        trs = []
        for i, (row, key) in enumerate(zip(rows, data.keys[table])):
            rid = f"{table}-{i + 1}"
            boxes = row_to_boxes(row)
            marks = _row_marks(table, row, row.get("page") in data.ocr_pages, settings)
            fixed_cols = [c for c in cols if (table, key, c) in applied]
            if fixed_cols:
                marks.append("corrected")
            if boxes:
                n_boxes += 1
                for j, (page, x0, top, x1, bottom) in enumerate(boxes):
                    if page - 1 >= len(pages) or page < 1:
                        continue
                    _, w, h = pages[page - 1]
                    cls = "box" if j == 0 else "box part"
                    boxes_by_page.setdefault(page, []).append(
                        f'<div class="{cls} t-{table}{"".join(" " + m for m in marks)}" data-row="{rid}" '
                        f'title="{_e(table)} {_e(_shown(row.get(main)))}" style="left:{_pct(x0, w)};'
                        f'top:{_pct(top, h)};width:{_pct(x1 - x0, w)};height:{_pct(bottom - top, h)}"></div>')
            tds = []
            for c in cols:
                value = row.get(c)
                fix = applied.get((table, key, c))
                title = f' title="corrected from {_e(fix["value_as_extracted"])} ({_e(fix["file"])}:{fix["line"]})"' \
                    if fix else ""
                extracted = fix["value_as_extracted"] if fix else corr.value_to_text(value)
                cls = ' class="corrected"' if fix else ""
                tds.append(f'<td data-col="{_e(c)}" data-v="{_e(extracted)}"{cls}{title}>{_e(_shown(value))}</td>')
            page_cell = f'<a href="#p{row["page"]}">{row["page"]}</a>' if row.get("page") else ""
            badges = "".join(f'<span class="badge-{m}"></span>' for m in marks)
            trs.append(
                f'<tr class="row t-{table}{"".join(" " + m for m in marks)}" id="{rid}" data-row="{rid}" '
                f'data-table="{table}" data-key="{_e(key)}" data-main="{_e(main)}" '
                f'data-box="{1 if boxes else 0}" tabindex="0"><td class="pg">{page_cell}</td>'
                f'<td class="mk">{badges}</td>{"".join(tds)}</tr>')
        head = "".join(f"<th>{_e(c)}</th>" for c in cols)
        sections.append(
            f'<details class="tbl t-{table}" open><summary><span class="swatch t-{table}"></span>{table} '
            f'<span class="n">{len(rows)}</span></summary><table class="rows"><thead><tr><th>page</th><th></th>'
            f'{head}</tr></thead><tbody>{"".join(trs)}</tbody></table></details>')

    doc_fixes = {c["column_name"]: c for c in data.corrections if c["table_name"] == "documents" and c["applied"]}
    fields = []
    for c in DOCUMENT_FIELDS:
        if c not in doc:
            continue
        fix = doc_fixes.get(c)
        extracted = fix["value_as_extracted"] if fix else corr.value_to_text(doc[c])
        cls = ' class="corrected"' if fix else ""
        fields.append(f'<tr class="docfield" data-table="documents" data-key="{_e(source)}" data-main="{c}" '
                      f'tabindex="0"><th>{c}</th><td data-col="{c}" data-v="{_e(extracted)}"{cls}>'
                      f'{_e(_shown(doc[c]))}</td></tr>')

    page_html = []
    for n, (name, w, h) in enumerate(pages, start=1):
        ocr = ' <span class="badge-ocr"></span> OCR' if n in data.ocr_pages else ""
        page_html.append(
            f'<section class="page" id="p{n}" data-page="{n}"><h3>page {n}{ocr}</h3>'
            f'<div class="sheet" style="aspect-ratio:{w:.2f}/{h:.2f}"><img src="{_e(name)}" alt="page {n}" '
            f'loading="lazy">{"".join(boxes_by_page.get(n, []))}</div></section>')

    warn_items = []
    for w in data.warnings:
        where = f'<a href="#p{w["page"]}">page {w["page"]}</a>' if w["page"] else "document"
        kind = "check" if w["stage"] == "check" else "warn"
        warn_items.append(f'<li class="{kind}"><span class="stage">{_e(w["stage"])}</span> {where}: '
                          f'{_e(w["message"])}</li>')
    fix_items = []
    for c in data.corrections:
        state = "applied" if c["applied"] else f'not applied: {_e(c["reason"])}'
        fix_items.append(f'<li class="{"ok" if c["applied"] else "stale"}">{_e(c["file"])}:{c["line"]} '
                         f'{_e(c["table_name"])} <code>{_e(c["row_key"])}</code> {_e(c["column_name"])}: '
                         f'{_e(c["value_as_extracted"])} → {_e(c["corrected_value"])} — {state}</li>')

    legend = "".join(f'<label><input type="checkbox" data-toggle="{t}" checked><span class="swatch t-{t}"></span>'
                     f'{t} ({len(rows)})</label>' for t, rows in data.tables.items())
    title = doc.get("title") or source
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>review: {_e(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="../assets/review.css"></head>
<body class="doc">
<header><a href="../index.html">← documents</a> <h1>{_e(title)}</h1>
<p class="meta">{_e(doc.get("held_on"))} · {_e(source)} · profile {_e(doc.get("profile"))} ·
{len(pages) or doc.get("page_count")} pages · doc {_e(doc["doc_id"])}</p>
<div class="legend">{legend}<span class="key"><span class="badge-ocr"></span> OCR
<span class="badge-low"></span> low confidence <span class="badge-corrected"></span> corrected</span></div>
{f'<p class="note">{_e(note)}</p>' if note else ''}
</header>
<main>
<div id="pages">{"".join(page_html) or '<p class="note">no page images</p>'}</div>
<aside id="side">
<div id="fixline"><label>line for corrections/*.csv
<input id="fixtext" readonly value="" placeholder="select a value"></label>
<button id="fixcopy" type="button">copy</button></div>
<details class="tbl" open><summary>document</summary><table class="fields">{"".join(fields)}</table></details>
{"".join(sections)}
<details class="tbl" open><summary>warnings and data checks <span class="n">{len(data.warnings)}</span></summary>
<ul class="warnings">{"".join(warn_items) or "<li>none</li>"}</ul></details>
<details class="tbl" open><summary>corrections <span class="n">{len(data.corrections)}</span></summary>
<ul class="fixes">{"".join(fix_items) or "<li>none</li>"}</ul></details>
</aside>
</main>
<script src="../assets/review.js"></script>
</body></html>
"""
    return page, n_boxes


def index_to_html(docs: list[dict], built: set[str], unmatched: list[corr.Correction]) -> str:
    """The index: one line per document of the warehouse, linked when its review was built."""
    tables = [t for t in TABLES if any(t in d["counts"] for d in docs)]
    head = "".join(f'<th><span class="swatch t-{t}"></span>{t}</th>' for t in tables)
    trs = []
    for d in docs:
        name = _e(d.get("title") or d.get("meeting_body") or d["source_path"])
        link = f'<a href="{d["doc_id"]}/index.html">{name}</a>' if d["doc_id"] in built else name
        counts = "".join(f'<td class="num">{d["counts"].get(t, "")}</td>' for t in tables)
        ocr = d.get("ocr_pages") or 0
        stale = f' <span class="stale">({d["n_stale"]} not applied)</span>' if d["n_stale"] else ""
        trs.append(f'<tr><td>{link}<div class="src">{_e(d["source_path"])}</div></td><td>{_e(d.get("held_on"))}</td>'
                   f'<td>{_e(d.get("profile"))}</td><td class="num">{_e(d.get("page_count"))}</td>{counts}'
                   f'<td class="num">{d["n_warnings"]}</td><td class="num">{d["n_checks"]}</td>'
                   f'<td class="num">{ocr}</td><td class="num">{d["n_applied"]}{stale}</td></tr>')
    orphans = "".join(f"<li>{_e(c.where)}: {_e(c.table)} <code>{_e(c.key)}</code> names no document of the "
                      f"warehouse</li>" for c in unmatched)
    return f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>review: documents</title>
<link rel="stylesheet" href="assets/review.css"></head>
<body class="index"><h1>Documents</h1>
<table class="index"><thead><tr><th>meeting</th><th>date</th><th>profile</th><th>pages</th>{head}
<th>warnings</th><th>checks</th><th>OCR'd pages</th><th>corrections applied</th></tr></thead>
<tbody>{"".join(trs)}</tbody></table>
{f'<h2>Corrections naming no document</h2><ul class="fixes">{orphans}</ul>' if orphans else ''}
</body></html>
"""


# --- the run -----------------------------------------------------------------------------------

def _copy_assets(out: Path) -> None:
    target = out / "assets"
    target.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        data = resources.files("pipeline").joinpath("review_assets", name).read_bytes()
        (target / name).write_bytes(data)


def _resolve(con, doc_id: str) -> str:
    found = [r[0] for r in con.execute("select doc_id from documents where doc_id like ? order by doc_id",
                                       [doc_id.replace("%", "") + "%"]).fetchall()]
    if not found:
        raise ReviewError(f"no document {doc_id!r} in the warehouse (see `select doc_id, source_path from documents`)")
    if len(found) > 1 and doc_id not in found:
        raise ReviewError(f"{doc_id!r} names {len(found)} documents: {', '.join(found)}")
    return doc_id if doc_id in found else found[0]


def build_review(db_path: Path, raw_dir: Path, out: Path, doc_id: str | None = None, *,
                 corrections_dir: Path = corr.DEFAULT_DIR, settings: ReviewSettings = ReviewSettings()) -> Built:
    """Write the review site.

    Args:
        db_path: the warehouse (opened read-only).
        raw_dir: the folder documents.source_path is relative to (the PDFs are rendered from it).
        out: the site's folder (index.html, assets/, one folder per document).
        doc_id: the document to review (a prefix is enough); None reviews every document.
        corrections_dir: the corrections folder, to list corrections that name no document.
        settings: dpi and image format.

    Returns:
        What was written.

    Raises:
        ReviewError: an unknown or ambiguous doc_id.
        load.WarehouseLocked: another process holds the warehouse read-write.
    """
    from pipeline import load

    started = time.perf_counter()
    out = Path(out)
    con = load.connect(Path(db_path), read_only=True, lock_timeout=5)
    try:
        docs = warehouse_to_index_rows(con)
        wanted = [d["doc_id"] for d in docs] if doc_id is None else [_resolve(con, doc_id)]
        built = Built(index=out / "index.html")
        out.mkdir(parents=True, exist_ok=True)
        _copy_assets(out)
        for d in wanted:
            data = warehouse_to_docdata(con, d)
            folder = out / d
            folder.mkdir(parents=True, exist_ok=True)
            pdf = Path(raw_dir) / data.doc["source_path"]
            note = None
            pages: list[tuple[str, float, float]] = []
            if pdf.is_file():
                try:
                    pages = pdf_to_page_images(pdf, folder, settings)
                except Exception as e:  # a PDF changed or broken since the ingest: rows are still shown
                    note = f"{pdf} could not be rendered ({type(e).__name__}: {e}): pages not shown"
            else:
                note = f"{pdf} not found (is --raw right?): pages not shown"
            if note:
                built.notes.append(f"{d}: {note}")
            text, n_boxes = docdata_to_html(data, pages, settings, note)
            (folder / "index.html").write_text(text, encoding="utf-8")
            built.documents.append(d)
            built.pages += len(pages)
            built.boxes += n_boxes
        done = {p.name for p in out.iterdir() if (p / "index.html").is_file()} & {d["doc_id"] for d in docs}
        fixes = corr.load_dir(corrections_dir) if Path(corrections_dir).is_dir() else corr.NONE
        orphans = corr.unmatched(fixes, {d["source_path"] for d in docs})
        built.index.write_text(index_to_html(docs, done, orphans), encoding="utf-8")
    finally:
        con.close()
    built.seconds = time.perf_counter() - started
    return built

