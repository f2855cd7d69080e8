"""Analyst views and the wareki macro, on the warehouse of the sample packets."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.parametrize("day, text", [
    ("2022-01-20", "令和4年1月20日"), ("2019-05-01", "令和元年5月1日"), ("2019-04-30", "平成31年4月30日"),
    ("1989-01-08", "平成元年1月8日"), ("1989-01-07", "昭和64年1月7日"), ("1926-12-25", "昭和元年12月25日"),
])
def test_wareki_macro(con, day, text):
    assert con.execute(f"select wareki(DATE '{day}')").fetchone()[0] == text


def test_every_view_has_a_comment(con):
    views = dict(con.execute("select view_name, comment from duckdb_views() where not internal").fetchall())
    assert set(views) >= {"kpi_series", "wg_activity", "item_timeline", "attendance", "post_holders",
                          "meeting_documents"}
    assert all(views[v] for v in views)


def test_a_meeting_is_counted_once_across_renditions(con):
    # three files, two meetings: the two renditions of 2022-01-20 count once
    assert con.execute("select count(*) from documents").fetchone()[0] == 3
    assert con.execute("select held_on::varchar from meeting_documents order by 1").fetchall() == [
        ("2022-01-20",), ("2023-01-19",)]
    assert con.execute("select held_on::varchar, count(*) from attendance group by 1 order by 1").fetchall() == [
        ("2022-01-20", 34), ("2023-01-19", 35)]


def test_attendance_follows_a_person_across_spellings(con):
    rows = con.execute("""select held_on, name_as_printed, person from attendance
                          where post = '市長会事務局長' order by held_on""").fetchall()
    assert rows == [(dt.date(2022, 1, 20), "田中 斉", "田中 齊"), (dt.date(2023, 1, 19), "田中 齊", "田中 齊")]


def test_post_holders_show_who_held_a_post_when(con):
    rows = con.execute("""select person, first_seen, last_seen, meetings, ever_by_proxy from post_holders
                          where post = '生活環境文化部長' order by first_seen""").fetchall()
    assert rows == [("出来田 肇", dt.date(2022, 1, 20), dt.date(2022, 1, 20), 1, False),
                    ("廣島 伸一", dt.date(2023, 1, 19), dt.date(2023, 1, 19), 1, True)]
    both = con.execute("select person from post_holders where post = '副知事' and meetings = 2 order by 1").fetchall()
    assert both == [("横田 美香",), ("蔵堀 祐一",)]


def test_wg_activity_reads_each_fiscal_year_from_its_latest_report(con):
    rows = con.execute("""select fiscal_year, meetings, held, planned, last_meeting from wg_activity
                          where item like 'ゼロカーボン%' order by fiscal_year""").fetchall()
    # r3 announced 2月予定 for FY2021; r4 reports it held on 3/29
    assert rows == [(2021, 5, 5, 0, dt.date(2022, 3, 29)), (2022, 3, 3, 0, dt.date(2022, 12, 27))]


def test_item_timeline_tracks_status_by_year(con):
    rows = con.execute("""select fiscal_year, selected, change from item_timeline
                          where item like '有害鳥獣%' order by fiscal_year""").fetchall()
    assert rows == [(2021, True, None), (2022, False, "終了")]
    results = con.execute("""select results from item_timeline where item like '有害鳥獣%' and fiscal_year = 2021
                          """).fetchone()[0]
    assert results.startswith("●クマ等による人身被害防止対策の推進: ①出沒への対応")


def test_kpi_series_charts_one_metric_across_years(con):
    rows = con.execute("""select as_of, value, rank from kpi_series where metric = 'マイナンバーカードの交付率'
                          and kind = 'actual' group by all order by as_of""").fetchall()
    assert rows == [(dt.date(2021, 1, 1), 22.7, 27), (dt.date(2022, 1, 1), 41.7, 10),
                    (dt.date(2022, 12, 31), 59.1, 10)]


def test_items_that_continue_share_one_item_id_across_years(con):
    # every item of the 2023 packet that the 2022 packet also speaks of has one id in both
    rows = con.execute("""
        select i.title, count(distinct d.held_on) as meetings
        from item_years y join meeting_documents d using (doc_id) join items i using (item_id)
        group by i.title having count(distinct d.held_on) = 2 order by i.title""").fetchall()
    assert rows == [("ゼロカーボンシティ富山の実現", 2), ("自治体行政のデジタル化", 2),
                    ("農林水産物等の輸出促進に向けた連携・強化", 2)]
    assert con.execute("select count(*) from items").fetchone()[0] == 8


def test_one_items_wg_dates_span_both_fiscal_years(con):
    rows = con.execute("""
        select w.fiscal_year, count(distinct w.held_on), min(w.held_on), max(w.held_on)
        from wg_meetings w join items i using (item_id)
        where i.title = 'ゼロカーボンシティ富山の実現' group by 1 order by 1""").fetchall()
    assert rows == [(2021, 6, dt.date(2021, 4, 27), dt.date(2022, 3, 29)),
                    (2022, 3, dt.date(2022, 4, 28), dt.date(2022, 12, 27))]
