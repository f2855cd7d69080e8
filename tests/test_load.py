"""The load stage against a real DuckDB file."""
from __future__ import annotations

from pipeline import load


def _load(con, doc_id: str, title: str, year: int) -> None:
    load.load_document(con, {"doc_id": doc_id, "source_path": f"{doc_id}.pdf", "sha256": doc_id * 32},
                       {"item_years": [{"item_key": "k", "fiscal_year": year, "selected": True}]},
                       [{"key": "k", "title": title, "variants": []}])


def test_a_reparse_gives_the_item_it_introduced_its_new_title(tmp_path):
    con = load.connect(tmp_path / "w.duckdb")
    load.ensure_schema(con)
    # an older parser kept a list number in the title; the next year's packet names the item
    _load(con, "d1", "3 農林水産物等の輸出促進に向けた連携・強化", 2022)
    _load(con, "d2", "農林水産物等の輸出促進に向けた連携・強化", 2023)
    assert con.execute("select title, first_doc_id from items").fetchall() == [
        ("3 農林水産物等の輸出促進に向けた連携・強化", "d1")]
    # the first document re-parsed by a newer parser: its reading replaces the title it gave
    _load(con, "d1", "農林水産物等の輸出促進に向けた連携・強化", 2022)
    (title, variants, first), = con.execute("select title, title_variants, first_doc_id from items").fetchall()
    assert (title, first) == ("農林水産物等の輸出促進に向けた連携・強化", "d1")
    assert variants == ["農林水産物等の輸出促進に向けた連携・強化", "3 農林水産物等の輸出促進に向けた連携・強化"]
    # a later document never renames an item it did not introduce
    _load(con, "d2", "農林水産物等の輸出促進に向けた連携強化", 2023)
    assert con.execute("select title from items").fetchall() == [("農林水産物等の輸出促進に向けた連携・強化",)]
    con.close()
