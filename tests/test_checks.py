"""Data checks: SQL returning offending rows, stored as warnings."""
from __future__ import annotations

import shutil

import duckdb

from pipeline import checks


def test_weekday_and_head_count_findings(warehouse, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy2(warehouse, db)
    with duckdb.connect(str(db)) as c:
        doc = c.execute("select doc_id from documents where source_path = 'r4_browser.pdf'").fetchone()[0]
        c.execute("update documents set weekday_text = '金' where doc_id = ?", [doc])
        c.execute("delete from attendees where doc_id = ? and seq = 35", [doc])
        assert checks.run_checks(c, "t") >= 2
        found = [m for d, _, _, m in checks.list_findings(c) if d == doc]
    assert "weekday_matches_date: printed weekday （金） does not match held_on 2023-01-19" in found
    assert "attendees_head_count: 出席者 県: header states 18名, rows found 17" in found
