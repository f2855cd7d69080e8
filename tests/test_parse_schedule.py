"""parse_schedule: the 年間スケジュール of the real packets, read from IR extracted from the PDFs."""
from __future__ import annotations

import csv
import io
import os
from datetime import date

import pytest

from pipeline.ir import Document, Line, Page, Table
from pipeline.parse_schedule import document_to_schedule
from pipeline.rows import Meeting
from tests.conftest import GOLDEN, SHARED, sample_document

R3 = Meeting(held_on=date(2022, 1, 20), fiscal_year=2021)
R4 = Meeting(held_on=date(2023, 1, 19), fiscal_year=2022)
COLUMNS = ["fiscal_year", "starts_on", "ends_on", "precision", "date_text", "event", "session_no",
           "extraordinary", "format", "planned", "page"]


@pytest.fixture(scope="module")
def schedules() -> dict[str, list[dict]]:
    """Schedule rows of the three sample packets, extracted here from the PDFs."""
    out = {}
    for name, meeting in (("r3_browser.pdf", R3), ("r3_browser_kangxi_split.pdf", R3), ("r4_browser.pdf", R4)):
        res = document_to_schedule(sample_document(name), meeting)
        assert res.warnings == []
        out[name] = res.tables["schedule"]
    return out


def rows_to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(["" if r[c] is None else str(r[c]).lower() if isinstance(r[c], bool) else r[c] for c in COLUMNS])
    return buf.getvalue()


def test_r3_schedule_rows(schedules):
    rows = schedules["r3_browser.pdf"]
    assert len(rows) == 13
    assert rows[0] == {
        "fiscal_year": 2020, "starts_on": date(2021, 1, 10), "ends_on": date(2021, 1, 10), "precision": "day",
        "date_text": "R 3. 1. 10", "event": "※雪害対策への協力に関する臨時会議（WEB）", "session_no": None,
        "extraordinary": True, "format": "WEB", "planned": False, "page": 22}
    assert rows[9] == {
        "fiscal_year": 2022, "starts_on": date(2022, 5, 11), "ends_on": date(2022, 5, 20), "precision": "mid",
        "date_text": "R 4. 5月中旬",
        "event": "R4 第1回本部会議の開催 ① 令和4年度連携推進項目の取り組み内容等の報告 ② “ スケジュール",
        "session_no": 1, "extraordinary": False, "format": None, "planned": True, "page": 22}
    # a cell wrapped over three lines: the wrap inside 取り扱い joins without a space, ※ opens a sub-point
    assert rows[11]["event"] == ("R4 第3回本部会議の開催 ① 連携推進項目の取り組み結果の中間報告 "
                                 "② 次年度の連携推進項目の取り扱いについて ※一定の方向性が出たものがあれば入れ替えを検討")
    assert [r["fiscal_year"] for r in rows] == [2020] * 3 + [2021] * 6 + [2022] * 4
    assert [r["session_no"] for r in rows] == [None, None, None, None, 1, 2, 3, None, 4, 1, 2, 3, 4]
    assert [r["format"] for r in rows if r["format"]] == ["WEB", "対面+WEB", "WEB", "WEB", "WEB", "WEB"]
    # this meeting (R 4. 1. 20) is not planned; everything after it is
    assert [r["planned"] for r in rows] == [False] * 9 + [True] * 4
    assert rows[12]["starts_on"] == date(2023, 1, 21) and rows[12]["ends_on"] == date(2023, 1, 31)


def test_r3_schedule_matches_the_hand_made_gold(schedules):
    """Every gold row, keyed as score.py keys it, with the same event, precision, format and planned."""
    with open(SHARED / "gold" / "r3_2022-01-20" / "schedule.csv", encoding="utf-8", newline="") as fh:
        gold = list(csv.DictReader(fh))
    got = schedules["r3_browser.pdf"]
    assert len(got) == len(gold)
    for g, r in zip(gold, got):
        assert (g["starts_on"], g["ends_on"]) == (r["starts_on"].isoformat(), r["ends_on"].isoformat())
        assert (g["event"], g["date_text"], g["precision"]) == (r["event"], r["date_text"], r["precision"])
        assert g["extraordinary"] == str(r["extraordinary"]).lower() and g["planned"] == str(r["planned"]).lower()
        assert g["format"] == (r["format"] or "") and g["fiscal_year"] == str(r["fiscal_year"])
        assert g["session_no"] == ("" if r["session_no"] is None else str(r["session_no"]))


def test_kangxi_split_rendition_reads_like_the_plain_one(schedules):
    """Kangxi radicals in the text layer, the table cut over two pages, and the extractor
    dropping the 令和3年度 label cell: the rows are still the same."""
    plain, split = schedules["r3_browser.pdf"], schedules["r3_browser_kangxi_split.pdf"]
    strip = lambda rows: [{k: v for k, v in r.items() if k != "page"} for r in rows]  # noqa: E731
    assert strip(split) == strip(plain)
    assert [r["page"] for r in split] == [28] * 6 + [29] * 7


def test_r4_schedule_golden(schedules):
    rows = schedules["r4_browser.pdf"]
    assert len(rows) == 18
    # month ranges and a bare month
    assert (rows[14]["date_text"], rows[14]["starts_on"], rows[14]["ends_on"], rows[14]["precision"]) == \
        ("R5. 5月～6月", date(2023, 5, 1), date(2023, 6, 30), "month")
    assert (rows[16]["date_text"], rows[16]["ends_on"]) == ("R5. 10月～11月", date(2023, 11, 30))
    assert (rows[17]["date_text"], rows[17]["starts_on"], rows[17]["ends_on"]) == \
        ("R6. 1月", date(2024, 1, 1), date(2024, 1, 31))
    assert rows[2]["format"] == "対面+WEB"  # printed （対面＋WEB） with a full-width plus
    golden = GOLDEN / "r4_browser" / "schedule.csv"
    text = rows_to_csv(rows)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def _page(number: int, lines: list[tuple[str, float, float]], tables: list[Table]) -> Page:
    return Page(number=number, width=595.0, height=842.0, text="\n".join(t for t, _, _ in lines),
                lines=[Line(t, x0, top, x0 + 10 * len(t), top + 10) for t, x0, top in lines],
                tables=tables, has_text_layer=True)


def _doc(*pages: Page) -> Document:
    return Document(doc_id="d", source_path="x.pdf", sha256="0" * 64, page_count=len(pages), pages=list(pages))


def test_a_materials_entry_naming_the_schedule_is_not_its_heading():
    cover = _page(1, [("資料3 令和4年度本部会議年間スケジュール", 77, 453)], [])
    res = document_to_schedule(_doc(cover), R3)
    assert res.tables["schedule"] == []
    assert [w.message for w in res.warnings] == ["no 年間スケジュール (annual schedule) found"]


def test_a_table_without_a_header_and_a_fiscal_year_column_merged_over_its_rows():
    table = Table(bbox=(43, 87, 553, 160), rows=[
        ["令和５年\n度", "Ｒ５. ４. ２７", "第１回本部会議の開催（オンライン）"],
        [None, "R5. 7月上旬", "※臨時会議"],
        [None, "R5. 12月", "第２回本部会議の開催 ①報告\n②協議"],
    ])
    page = _page(7, [("年間スケジュール", 100, 50)], [table])
    rows = document_to_schedule(_doc(page), Meeting(held_on=date(2023, 5, 1), fiscal_year=2023)).tables["schedule"]
    assert [(r["fiscal_year"], r["starts_on"], r["ends_on"], r["precision"], r["date_text"]) for r in rows] == [
        (2023, date(2023, 4, 27), date(2023, 4, 27), "day", "R5. 4. 27"),
        (2023, date(2023, 7, 1), date(2023, 7, 10), "early", "R5. 7月上旬"),
        (2023, date(2023, 12, 1), date(2023, 12, 31), "month", "R5. 12月"),
    ]
    assert [(r["session_no"], r["extraordinary"], r["format"], r["planned"]) for r in rows] == [
        (1, False, "オンライン", False), (None, True, None, True), (2, False, None, True)]
    assert rows[2]["event"] == "第2回本部会議の開催 ①報告 ②協議"


def test_an_unreadable_date_is_reported_not_guessed():
    table = Table(bbox=(43, 87, 553, 160), rows=[
        ["令和5年度", "R5. 4. 27", "第1回本部会議の開催"],
        [None, "R5. 5. 1", "第2回本部会議の開催"],
        [None, "未定", "第3回本部会議の開催"],
    ])
    res = document_to_schedule(_doc(_page(3, [("年間スケジュール（案）", 100, 50)], [table])), R4)
    assert [r["session_no"] for r in res.tables["schedule"]] == [1, 2]
    assert [(w.page, w.message) for w in res.warnings] == [
        (3, "schedule row without a readable date: '未定' '第3回本部会議の開催'")]


def test_issue_12_a_month_with_a_speck_read_as_a_digit_is_settled_by_the_rows_around_it():
    """The gray r4 scans of seeds 2424 and 6006 read R4.8.30 as R4.38.30: of R4.3.30 and
    R4.8.30 only the second lies between R4.5.16 and R4.10.17."""
    table = Table(bbox=(43, 87, 553, 160), rows=[
        ["R4.1.10", "※臨時会議"],
        ["R4.13.20", "第4回本部会議の開催"],  # between R4.1.10 and R4.5.16 both R4.1.20 and R4.3.20 fit
        ["R4.5.16", "第1回本部会議の開催"],
        ["R4.38.30", "第2回本部会議の開催(WEB)"],
        ["R4.10.17", "第3回本部会議の開催"],
        ["R5.1.19", "第4回本部会議の開催"],
    ])
    res = document_to_schedule(_doc(_page(5, [("年間スケジュール", 100, 50)], [table])), R4)
    assert [(r["starts_on"], r["date_text"], r["session_no"]) for r in res.tables["schedule"]] == [
        (date(2022, 1, 10), "R4.1.10", None), (date(2022, 5, 16), "R4.5.16", 1),
        (date(2022, 8, 30), "R4.38.30", 2), (date(2022, 10, 17), "R4.10.17", 3), (date(2023, 1, 19), "R5.1.19", 4)]
    assert [(w.page, w.message) for w in res.warnings] == [
        (5, "schedule row whose month is no month: 'R4.13.20', and the rows around it do not tell which "
            "digit is a speck"),
        (5, "schedule row whose month is no month: 'R4.38.30' taken as 2022-08-30, the one reading between "
            "the rows around it")]


def test_month_candidates_of_an_impossible_month():
    from pipeline.parse_schedule import text_to_month_candidates

    assert text_to_month_candidates("R4.38.30") == ["R4.3.30", "R4.8.30"]
    assert text_to_month_candidates("令和4年38月30日") == ["令和4年3月30日", "令和4年8月30日"]
    assert text_to_month_candidates("R4.80.30") == ["R4.8.30"]  # no month 0
    assert text_to_month_candidates("R4.10.17") == [] and text_to_month_candidates("R 4. 10月下旬") == []


def test_a_date_outside_its_fiscal_year_label_is_reported_and_placed_by_its_date():
    table = Table(bbox=(43, 87, 553, 160), rows=[
        ["令和4年度", "R4. 4. 1", "第1回本部会議の開催"],
        [None, "R4. 9. 1", "第2回本部会議の開催"],
        [None, "R5. 4. 10", "第3回本部会議の開催"],
    ])
    res = document_to_schedule(_doc(_page(5, [("年間スケジュール", 100, 50)], [table])), R4)
    assert [r["fiscal_year"] for r in res.tables["schedule"]] == [2022, 2022, 2023]
    assert [(w.page, w.message) for w in res.warnings] == [
        (5, "'R5. 4. 10' is in fiscal year 2023, but printed under the 2022 label")]


# --- issue 16: a schedule by what its columns mean, or printed as lines -------------------

SIBLING = Meeting(held_on=date(2025, 2, 10), fiscal_year=2024)


def _lines_page(number: int, texts: list[tuple[float, str]], tables: list[Table] | None = None) -> Page:
    lines = [Line(t, 44.0, top, 44.0 + 10.5 * len(t), top + 11) for top, t in texts]
    return Page(number, 595, 842, "\n".join(t for _, t in texts), lines, tables or [], True)


def test_the_event_is_the_column_its_header_names_and_the_heading_sets_the_fiscal_year():
    # 会議 | 内容: the longer 内容 column is not the event; 8月下旬 is in the heading's 令和7年度
    rows = [["時期", "会議", "内容"],
            ["令和7年5月中旬", "第1回連携会議（オンライン）", "令和7年度連携テーマの取組方針について協議"],
            ["8月下旬", "第2回連携会議", "取組状況の中間報告と意見交換"],
            ["11月上旬", "第3回連携会議（書面）", "次年度の連携テーマの検討"]]
    boxes = [[(44.0, 104.0 + 20 * r + dx, 44.0 + 150 * (c + 1), 124.0 + 20 * r) for c, dx in enumerate((0, 0, 0))]
             for r in range(len(rows))]
    table = Table((44.0, 104.0, 494.0, 184.0), rows, boxes)
    page = _lines_page(1, [(73.0, "令和7年度 年間スケジュール（案）")], [table])
    res = document_to_schedule(Document("d", "x.pdf", "0" * 64, 1, [page]), SIBLING)
    got = [(r["fiscal_year"], r["starts_on"], r["precision"], r["event"], r["session_no"], r["format"], r["planned"])
           for r in res.tables["schedule"]]
    assert got == [
        (2025, date(2025, 5, 11), "mid", "第1回連携会議（オンライン）", 1, "オンライン", True),
        (2025, date(2025, 8, 21), "late", "第2回連携会議", 2, None, True),
        (2025, date(2025, 11, 1), "early", "第3回連携会議（書面）", 3, "書面", True),
    ]
    assert res.warnings == []


def test_a_schedule_printed_as_lines():
    page = _lines_page(1, [(60.0, "令和7年度 幹事会・本会議 年間スケジュール"),
                           (90.0, "６月上旬 第１回幹事会（オンライン）"),
                           (110.0, "７月中旬 第１回本会議"),
                           (126.0, "　次年度の連携テーマの募集"),
                           (150.0, "R8. 2月 第２回本会議（書面）"),
                           (800.0, "- 3 -")])
    res = document_to_schedule(Document("d", "x.pdf", "0" * 64, 1, [page]), SIBLING, with_provenance=True)
    got = [(r["starts_on"], r["ends_on"], r["precision"], r["date_text"], r["event"], r["session_no"], r["format"])
           for r in res.tables["schedule"]]
    assert got == [
        (date(2025, 6, 1), date(2025, 6, 10), "early", "6月上旬", "第1回幹事会（オンライン）", 1, "オンライン"),
        (date(2025, 7, 11), date(2025, 7, 20), "mid", "7月中旬", "第1回本会議次年度の連携テーマの募集", 1, None),
        (date(2026, 2, 1), date(2026, 2, 28), "month", "R8. 2月", "第2回本会議（書面）", 2, "書面"),
    ]
    second = res.tables["schedule"][1]
    assert (second["page"], second["top"], second["bottom"]) == (1, 110.0, 137.0)
    assert [b["top"] for b in second["boxes"]] == [110.0, 126.0]
