"""A held-out set of other bodies' meeting records (tests/fixtures/other_bodies_extra).

Twelve invented records — city and prefectural council committees, a 本会議, 審議会, 部会,
協議会, 幹事会, 検討会, a notice of results — written as HTML from the genre's real layouts
(not from the parsers, and not from the ten samples in ../shared/fixtures/other_bodies) and
printed with headless Chromium (tools/make_other_bodies_extra.py). Their gold (gold.csv, the
format of the samples' gold) is hand-written; README.md there says what is unusual in each.

The set is ingested once and scored by ../shared/tools/score_other.py itself, run as a
subprocess: the bars are the issue's (header_acc >= 0.95, attendee pair F1 >= 0.90, name F1
>= 0.95), and the record without an attendee list must get no attendee.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXTRA = Path(__file__).resolve().parent / "fixtures" / "other_bodies_extra"
PDFS = EXTRA / "pdfs"
GOLD = EXTRA / "gold.csv"
SCORER = ROOT.parent / "shared" / "tools" / "score_other.py"
#: the record that prints no attendee list (a count, a division and roles without names only)
NO_LIST = "41_tsukimino_sogo_gaiyo.pdf"

MIN_HEADER_ACC = 0.95
MIN_PAIR_F1 = 0.90
MIN_NAME_F1 = 0.95

_SUMMARY = re.compile(r"^other_bodies header_acc=([\d.]+) attendee_name_f1=([\d.]+) attendee_pair_f1=([\d.]+)$", re.M)


@pytest.fixture(scope="module")
def extra_db(tmp_path_factory) -> Path:
    """The twelve records ingested once into a fresh warehouse."""
    from pipeline.cli import main

    base = tmp_path_factory.mktemp("other_bodies_extra")
    raw = base / "raw"
    raw.mkdir()
    for pdf in sorted(PDFS.glob("*.pdf")):
        shutil.copy2(pdf, raw / pdf.name)
    db = base / "meetings.duckdb"
    assert main(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(base / "extracted"), "--quiet"]) == 0
    return db


@pytest.fixture(scope="module")
def score(extra_db) -> dict:
    """score_other.py's verbose report and its summary numbers."""
    assert SCORER.exists(), f"{SCORER} is not there: the tests need ../shared beside the checkout"
    res = subprocess.run([sys.executable, str(SCORER), "--db", str(extra_db), "--gold", str(GOLD),
                          "--pdfs", str(PDFS), "-v"], capture_output=True, text=True, check=True)
    m = _SUMMARY.search(res.stdout)
    assert m, res.stdout[-2000:] + res.stderr[-2000:]
    return {"report": res.stdout, "header_acc": float(m.group(1)), "name_f1": float(m.group(2)),
            "pair_f1": float(m.group(3))}


def test_the_fixture_is_whole():
    """Every record has its HTML source, its PDF and its gold header; the gold parses."""
    pdfs = sorted(p.stem for p in PDFS.glob("*.pdf"))
    assert len(pdfs) == 12
    assert pdfs == sorted(p.stem for p in (EXTRA / "html").glob("*.html"))
    headers, attendees = set(), set()
    with GOLD.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            fields = json.loads(row["fields"])
            stem = row["file"][:-4]
            assert stem in pdfs, row["file"]
            if row["kind"] == "meeting_header":
                assert stem not in headers, f"two headers for {row['file']}"
                headers.add(stem)
                for key in ("starts_at", "ends_at"):
                    assert fields[key] is None or re.fullmatch(r"\d\d:\d\d", fields[key]), (row["file"], key)
            else:
                assert row["kind"] == "attendee", row
                assert fields["post"] and fields["name"], row
                attendees.add(stem)
    assert headers == set(pdfs)
    assert attendees == set(pdfs) - {NO_LIST[:-4]}


def test_header_accuracy(score):
    assert score["header_acc"] >= MIN_HEADER_ACC, score["report"]


def test_attendee_pair_f1(score):
    assert score["pair_f1"] >= MIN_PAIR_F1, score["report"]


def test_attendee_name_f1(score):
    assert score["name_f1"] >= MIN_NAME_F1, score["report"]


def test_no_attendee_invented_without_a_list(extra_db):
    """41 prints 委員20名中16名出席, 事務局 企画部企画政策課, 傍聴者 3名 and roles without names: no one."""
    with duckdb.connect(str(extra_db), read_only=True) as con:
        docs = con.execute("select doc_id from documents where source_path = ? "
                           "or ends_with(replace(source_path, '\\', '/'), ?)", [NO_LIST, "/" + NO_LIST]).fetchall()
        assert len(docs) == 1, docs
        cols = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'attendees'").fetchall()}
        absent = " and not coalesce(absent, false)" if "absent" in cols else ""
        rows = con.execute(f"select post, name from attendees where doc_id = ?{absent}", [docs[0][0]]).fetchall()
    assert rows == []
