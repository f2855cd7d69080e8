"""Golden files per document and table, compared exactly (UPDATE_GOLDEN=1 rewrites them)."""
from __future__ import annotations

import pytest

from tests.conftest import GOLDEN, assert_golden, doc_id_of

QUERIES = {
    "documents": """select title, meeting_body, fiscal_year, session_no, held_on, starts_at, ends_at, venue,
                           weekday_text, page_count from documents where doc_id = ?""",
    "agenda_items": "select seq, title, page from agenda_items where doc_id = ? order by seq",
    "materials": "select seq, label, title, department, page from materials where doc_id = ? order by seq",
    "attendees": """select seq, side, post, name, family_name, given_name, name_text, by_proxy, proxy_name,
                           proxy_post, page, side_stated_count from attendees where doc_id = ? order by seq""",
}


@pytest.mark.parametrize("source", ["r3_browser.pdf", "r4_browser.pdf"])
@pytest.mark.parametrize("table", sorted(QUERIES))
def test_golden_tables(con, source, table):
    assert_golden(con, QUERIES[table], [doc_id_of(con, source)], GOLDEN / source.removesuffix(".pdf") / f"{table}.csv")


@pytest.mark.parametrize("table", ["documents", "agenda_items", "materials"])
def test_kangxi_rendition_reads_like_the_plain_one(con, table):
    sql = QUERIES[table].replace(", page_count", "")
    plain = con.execute(sql, [doc_id_of(con, "r3_browser.pdf")]).fetchall()
    kangxi = con.execute(sql, [doc_id_of(con, "r3_browser_kangxi_split.pdf")]).fetchall()
    assert kangxi == plain


def test_kangxi_rendition_attendees_match_after_repair(con):
    sql = "select seq, side, post, name, family_name, given_name, by_proxy from attendees where doc_id = ? order by seq"
    assert con.execute(sql, [doc_id_of(con, "r3_browser_kangxi_split.pdf")]).fetchall() == \
        con.execute(sql, [doc_id_of(con, "r3_browser.pdf")]).fetchall()
