"""A raw/ folder holding the series' packets and other bodies' records, ingested in one run."""
from __future__ import annotations

import shutil

import duckdb

from tests.conftest import SHARED, sample_pdf

RECORDS = SHARED / "fixtures" / "other_bodies" / "pdfs"


def test_each_document_gets_its_profile_and_the_views_count_each_meeting_once(tmp_path):
    from pipeline.cli import main

    raw = tmp_path / "raw"
    (raw / "series").mkdir(parents=True)
    (raw / "councils").mkdir()
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "series" / "r3_browser.pdf")
    shutil.copy2(sample_pdf("r3_browser_kangxi_split.pdf"), raw / "series" / "r3_kangxi.pdf")  # same meeting
    for name in ("01_hachinohe_kouiki.pdf", "22_mhlw_ginoukentei33.pdf", "26_digital_shakai4.pdf"):
        shutil.copy2(RECORDS / name, raw / "councils" / name)
    db = tmp_path / "w.duckdb"
    assert main(["ingest", "--raw", str(raw), "--db", str(db), "--extracted", str(tmp_path / "extracted"), "--quiet"]) == 0
    with duckdb.connect(str(db), read_only=True) as c:
        profiles = dict(c.execute("select source_path, profile from documents").fetchall())
        assert profiles == {
            "series/r3_browser.pdf": "renkei_packet", "series/r3_kangxi.pdf": "renkei_packet",
            "councils/01_hachinohe_kouiki.pdf": "meeting_record",
            "councils/22_mhlw_ginoukentei33.pdf": "meeting_record",
            "councils/26_digital_shakai4.pdf": "meeting_record",
        }
        evidence = c.execute("select profile_evidence from documents where source_path like '%22_mhlw%'").fetchone()[0]
        assert evidence.startswith("score ") and "議事録" in evidence
        # two renditions of one meeting are one meeting; each record is its own
        assert c.execute("select count(*) from meeting_documents").fetchone()[0] == 4
        listed = c.execute("""select count(*) from attendees join documents using (doc_id)
                              where source_path = 'series/r3_browser.pdf'""").fetchone()[0]
        in_view = c.execute("select count(*) from attendance where held_on = date '2022-01-20'").fetchone()[0]
        assert listed == 34 and in_view == listed
        # the series' items parsers do not run on records
        assert c.execute("""select count(*) from kpis join documents using (doc_id)
                            where profile = 'meeting_record'""").fetchone()[0] == 0
        assert c.execute("""select count(*) from pages join documents using (doc_id)
                            where source_path like 'councils/%'""").fetchone()[0] >= 3
