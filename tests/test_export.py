"""Export: Parquet round-trips, CSV for Excel in Japan, formula injection guarded."""
from __future__ import annotations

import duckdb
import pytest

from pipeline.cli import main
from pipeline.export import guard_formula


@pytest.mark.parametrize("value, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+81 76", "'+81 76"), ("-1", "'-1"), ("@cmd", "'@cmd"),
    ("富山市長", "富山市長"), ("", ""), (3.5, 3.5), (None, None),
])
def test_guard_formula(value, expected):
    assert guard_formula(value) == expected


def test_parquet_row_counts_equal_the_tables(warehouse, tmp_path):
    assert main(["export", "--db", str(warehouse), "--format", "parquet", "--out", str(tmp_path)]) == 0
    with duckdb.connect(str(warehouse), read_only=True) as c:
        for name in ("documents", "attendees", "persons", "wg_meetings", "kpis", "attendance", "wg_activity"):
            n = c.execute(f"select count(*) from {name}").fetchone()[0]
            assert c.execute(f"select count(*) from '{tmp_path / (name + '.parquet')}'").fetchone()[0] == n
        back = c.execute(f"select variants from '{tmp_path / 'persons.parquet'}' where len(variants) = 2").fetchall()
        assert back == [(["田中 斉", "田中 齊"],)]


def test_csv_has_a_bom_and_japanese_intact(warehouse, tmp_path):
    assert main(["export", "--db", str(warehouse), "--format", "csv", "--out", str(tmp_path)]) == 0
    raw = (tmp_path / "attendees.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "市長会事務局長" in text and "田中 齊" in text
    persons = (tmp_path / "persons.csv").read_text(encoding="utf-8-sig")
    assert "田中 斉|田中 齊" in persons


def test_xlsx_has_a_sheet_per_relation(warehouse, tmp_path):
    import openpyxl

    assert main(["export", "--db", str(warehouse), "--format", "xlsx", "--out", str(tmp_path)]) == 0
    wb = openpyxl.load_workbook(tmp_path / "warehouse.xlsx", read_only=True)
    assert {"documents", "attendees", "kpi_series", "post_holders"} <= set(wb.sheetnames)
    assert next(wb["documents"].iter_rows(min_row=1, max_row=1, values_only=True))[0] == "doc_id"
