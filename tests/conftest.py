"""Shared fixtures: the real sample PDFs and a warehouse ingested from them."""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import shutil
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURE_PDFS = SHARED / "fixtures" / "pdfs"
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = ("r3_browser.pdf", "r4_browser.pdf", "r3_browser_kangxi_split.pdf")


def sample_pdf(name: str) -> Path:
    """A sample packet; raw/ ships two of them, ../shared has all three."""
    for folder in (ROOT / "raw", FIXTURE_PDFS):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"sample {name} is in neither raw/ nor {FIXTURE_PDFS}")


@functools.lru_cache(maxsize=None)
def sample_document(name: str):
    """The IR of a sample packet, extracted once per test session (parser tests of several
    modules read the same three packets; the parsers never change the IR they are given).

    Its doc_id is the first 16 hex digits of the file's SHA-256, as the ingest names it.
    """
    from pipeline.extract import pdf_to_document

    path = sample_pdf(name)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return pdf_to_document(path, doc_id=sha[:16], sha256=sha, rel_path=name).document


@pytest.fixture(scope="session")
def sample_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    for name in SAMPLES:
        shutil.copy2(sample_pdf(name), raw / name)
    return raw


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory, sample_raw) -> Path:
    """A warehouse ingested from the three sample packets, once per test session."""
    from pipeline.cli import main

    base = tmp_path_factory.mktemp("wh")
    db = base / "meetings.duckdb"
    rc = main(["ingest", "--raw", str(sample_raw), "--db", str(db), "--extracted", str(base / "extracted"),
               "--jobs", "2", "--quiet"])
    assert rc == 0
    return db


#: Other renditions with their own tests (tests/fixtures/variants, tests/fixtures/sibling): ingested
#: together once per session, so test_variants.py and test_sibling.py share one ingest.
VARIANT_PDFS = tuple(Path(__file__).resolve().parent / "fixtures" / "variants" / f"{packet}_variant_{name}.pdf"
                     for packet, names in (("r3", ("office", "split", "plain", "glyph", "narrow")),
                                           ("r4", ("office", "narrow", "glyph")))
                     for name in names)
SIBLING_PDFS = tuple(Path(__file__).resolve().parent / "fixtures" / "sibling" / name
                     for name in ("sibling_office.pdf", "sibling_browser.pdf"))
#: Text-layer renditions of both packets made by a generator written without this code
#: (tests/fixtures/independent/README.md).
INDEPENDENT_PDFS = tuple(Path(__file__).resolve().parent / "fixtures" / "independent" / f"{packet}_{style}.pdf"
                         for packet in ("r3", "r4") for style in ("word", "excel"))


@pytest.fixture(scope="session")
def renditions_warehouse(tmp_path_factory) -> Path:
    """The variant and independent renditions of both sample packets and the sibling packet, in one warehouse.

    One ingest of all of them (two workers) costs less than one per test module; the
    extracted IR is beside the warehouse (``<db>.parent / "extracted"``).
    """
    from pipeline.cli import main

    base = tmp_path_factory.mktemp("renditions")
    raw = base / "raw"
    raw.mkdir()
    for pdf in VARIANT_PDFS + SIBLING_PDFS + INDEPENDENT_PDFS:
        shutil.copy2(pdf, raw / pdf.name)
    db = base / "meetings.duckdb"
    rc = main(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(base / "extracted"), "--jobs", "2",
               "--quiet"])
    assert rc == 0
    return db


@pytest.fixture
def con(warehouse):
    c = duckdb.connect(str(warehouse), read_only=True)
    yield c
    c.close()


def doc_id_of(con, source_name: str) -> str:
    row = con.execute("select doc_id from documents where source_path like ?", ["%" + source_name]).fetchone()
    assert row, f"{source_name} not loaded"
    return row[0]


def rows_to_csv(header: list[str], rows: list[tuple]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else ("|".join(v) if isinstance(v, list) else v) for v in r])
    return buf.getvalue()


def assert_golden(con, sql: str, params: list, golden: Path) -> None:
    """Compare a query's rows with a golden CSV exactly.

    With UPDATE_GOLDEN=1 the file is (re)written instead: review the diff by eye.
    """
    cur = con.execute(sql, params)
    header = [d[0] for d in cur.description]
    text = rows_to_csv(header, cur.fetchall())
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"golden file {golden} missing (run with UPDATE_GOLDEN=1 and review it)"
    assert text == golden.read_text(encoding="utf-8")


def pytest_collection_modifyitems(session, config, items):
    """Notebooks (nbmake) run against a warehouse built from raw/, made once per session."""
    if not any(str(getattr(i, "path", "")).endswith(".ipynb") for i in items):
        return
    if os.environ.get("ONETOYAMA_WAREHOUSE"):
        return
    import tempfile

    from pipeline.cli import main

    base = Path(tempfile.mkdtemp(prefix="nb-warehouse-"))
    db = base / "meetings.duckdb"
    rc = main(["ingest", "--raw", str(ROOT / "raw"), "--db", str(db), "--extracted", str(base / "extracted"),
               "--quiet"])
    assert rc == 0, "ingest of raw/ for the notebooks failed"
    os.environ["ONETOYAMA_WAREHOUSE"] = str(db)  # the notebook kernels inherit it
