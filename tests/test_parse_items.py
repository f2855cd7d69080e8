"""parse_items: items, item_years, wg_meetings and item_results from the sample packets.

The r3 packet (2022-01-20) is checked value by value against what the hand-made
gold (../shared/gold/r3_2022-01-20) says; its Kangxi/split rendition must give the
same rows; the r4 packet (2023-01-19) is compared with golden CSVs in
tests/golden/r4_browser (UPDATE_GOLDEN=1 rewrites them: review the diff by eye).
Small hand-built IRs cover the bad input the samples do not have.
"""
from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ir import Document, Line, Page, Table
from pipeline.normalize import normalize_text
from pipeline.parse_items import document_to_items
from pipeline.parse_items_blocks import text_to_item_heading
from pipeline.parse_items_text import cell_to_logical_text, department_cell_to_names, text_width
from pipeline.parse_items_wg import dates_cell_to_dates, table_to_wg_layout, wg_table_to_entries
from pipeline.rows import Meeting
from tests.conftest import sample_document

GOLDEN_R4 = Path(__file__).resolve().parent / "golden" / "r4_browser"
R3_MEETING = Meeting(held_on=date(2022, 1, 20), fiscal_year=2021)
R4_MEETING = Meeting(held_on=date(2023, 1, 19), fiscal_year=2022)

WILDLIFE = "有害鳥獣の市町村による連携捕獲の推進"
MEDICAL = "県単医療費助成制度のあり方検討"
ZERO_CARBON = "ゼロカーボンシティ富山の実現"
DISASTER = "防災・危機管理体制の連携・強化"
DIGITAL = "自治体行政のデジタル化"
EXPORT = "農林水産物等の輸出促進に向けた連携・強化"


def _parse(name: str, meeting: Meeting):
    return document_to_items(sample_document(name), meeting)


@pytest.fixture(scope="session")
def r3():
    return _parse("r3_browser.pdf", R3_MEETING)


@pytest.fixture(scope="session")
def r3_split():
    return _parse("r3_browser_kangxi_split.pdf", R3_MEETING)


@pytest.fixture(scope="session")
def r4():
    return _parse("r4_browser.pdf", R4_MEETING)


def _rows(res, table: str, **where) -> list[dict]:
    return [r for r in res.tables.get(table, []) if all(r.get(k) == v for k, v in where.items())]


# ---------------------------------------------------------------- r3: items and item_years

def test_r3_items_are_the_six_collaboration_items_with_their_shortened_titles(r3):
    items = {it["key"]: it["variants"] for it in r3.items}
    assert items == {
        WILDLIFE: ["有害鳥獣の連携捕獲の推進"],
        MEDICAL: [],
        ZERO_CARBON: [],
        DISASTER: ["防災危機管理体制の連携・強化"],
        DIGITAL: [],
        EXPORT: [],
    }
    assert all(it["title"] == it["key"] for it in r3.items)


def test_r3_item_years_follow_the_gold(r3):
    got = {(r["item_key"], r["fiscal_year"]): (r["selected"], r["change"], "|".join(r["proposers"]))
           for r in r3.tables["item_years"]}
    assert got == {
        (WILDLIFE, 2021): (True, None, "富山市"),
        (WILDLIFE, 2022): (False, "終了", ""),
        (MEDICAL, 2021): (True, None, "富山市|射水市|黒部市"),
        (MEDICAL, 2022): (False, None, ""),
        (ZERO_CARBON, 2021): (True, None, "魚津市|南砺市"),
        (ZERO_CARBON, 2022): (True, "継続", "魚津市|南砺市"),
        (DISASTER, 2021): (True, None, "富山市|高岡市|砺波市"),
        (DISASTER, 2022): (False, "終了", ""),
        (DIGITAL, 2021): (True, None, "射水市|氷見市|砺波市|滑川市"),
        (DIGITAL, 2022): (True, "継続", "射水市|氷見市|砺波市"),
        (EXPORT, 2022): (True, "新規", "富山市"),
    }


def test_r3_departments_are_the_union_of_wg_table_and_results_page_without_matome(r3):
    (disaster,) = _rows(r3, "item_years", item_key=DISASTER, fiscal_year=2021)
    assert disaster["departments"] == ["危機管理局", "厚生部", "生活環境文化部", "土木部", "防災・危機管理課",
                                       "厚生企画課", "環境政策課", "建設技術企画課", "道路課"]
    (wildlife,) = _rows(r3, "item_years", item_key=WILDLIFE, fiscal_year=2021)
    assert wildlife["departments"] == ["生活環境文化部", "農林水産部", "自然保護課", "農村振興課"]
    (digital,) = _rows(r3, "item_years", item_key=DIGITAL, fiscal_year=2022)
    assert digital["departments"] == []


def test_r3_new_item_gets_reason_department_and_targets_of_its_proposal_page(r3):
    (export,) = _rows(r3, "item_years", item_key=EXPORT)
    assert export["reason"] == ("農林漁業者の所得向上や担い手育成に向け、輸出に取り組む事業者の掘り起こしや"
                                "販路開拓支援などを連携して行う必要がある。")
    assert export["departments"] == ["農林水産企画課"]
    assert export["targets"] == "全市町村"
    assert export["page"] == 20
    assert [r["reason"] for r in r3.tables["item_years"] if r["item_key"] != EXPORT] == [None] * 10


# ---------------------------------------------------------------- r3: wg_meetings

def test_r3_wg_meetings_count_per_item(r3):
    counts: dict[str, int] = {}
    for r in r3.tables["wg_meetings"]:
        counts[r["item_key"]] = counts.get(r["item_key"], 0) + 1
    assert counts == {WILDLIFE: 10, MEDICAL: 5, ZERO_CARBON: 5, DISASTER: 14, DIGITAL: 21}


def test_r3_wg_tracks_come_from_note_headings_colons_trailing_names_and_sub_rows(r3):
    def tracks(key):
        return [(r["date_text"], r["track"], r["label"]) for r in _rows(r3, "wg_meetings", item_key=key)]

    assert tracks(WILDLIFE) == [
        ("2/17", None, None), ("4/19", None, None), ("9/7", None, None),
        ("5/17", "捕獲の「空白地域」解消に向けた協議(舟橋、上市、立山)", None),
        ("7/12", "捕獲の「空白地域」解消に向けた協議(舟橋、上市、立山)", None),
        ("9/1", "捕獲の「空白地域」解消に向けた協議(舟橋、上市、立山)", "3町村で協定締結"),
        ("5/26", "通報エリア設定に向けた氷見市と石川県側隣接4市町との協議", None),
        ("7/16", "通報エリア設定に向けた氷見市と石川県側隣接4市町との協議", None),
        ("9/24", "通報エリア設定に向けた氷見市と石川県側隣接4市町との協議", "設定完了"),
        ("10/6", "農林水産省概算要求等に関する情報共有(市町村等)", None),
    ]
    assert tracks(DISASTER)[:4] == [
        ("2/19", "防災担当課長会議", None), ("4/26", "防災担当課長会議", None),
        ("7/21", "①避難所などの広域的な利用による効率的な避難所の運営", "5市"),
        ("8/24", "①避難所などの広域的な利用による効率的な避難所の運営", "10市町村"),
    ]
    assert tracks(MEDICAL)[1] == ("10/14", "①-1 子ども医療費(現物支給化)", "副市町村長級検討会")
    assert {t for _, t, _ in tracks(DIGITAL)} == {"IT担当課長会議", "情報担当課長会議", "マイナンバー会議", "クラウド関係会議"}
    assert {t for _, t, _ in tracks(ZERO_CARBON)} == {None}


def test_r3_wg_dates_resolve_to_the_year_before_the_meeting_unless_planned(r3):
    by_text = {(r["item_key"], r["date_text"]): r for r in r3.tables["wg_meetings"]}
    feb = by_text[(WILDLIFE, "2/17")]
    assert (feb["held_on"], feb["planned"], feb["precision"], feb["fiscal_year"]) == (
        date(2021, 2, 17), False, "day", 2021)
    assert by_text[(DIGITAL, "1/6")]["held_on"] == date(2022, 1, 6)
    month = by_text[(ZERO_CARBON, "2月予定")]
    assert (month["held_on"], month["ends_on"], month["precision"], month["planned"]) == (
        date(2022, 2, 1), date(2022, 2, 28), "month", True)
    planned = by_text[(DISASTER, "2/4予定")]
    assert (planned["held_on"], planned["planned"]) == (date(2022, 2, 4), True)
    assert sum(r["planned"] for r in r3.tables["wg_meetings"]) == 2


def test_r3_wg_note_without_dates_is_a_warning(r3):
    messages = [w.message for w in r3.warnings]
    assert messages == ["WG開催状況 text with no column, not a meeting row (防災・危機管理体制の連携・強化): "
                        "※上記会議以外に、各土木センター・事務所単位で市町村と協議を実施"]
    assert r3.warnings[0].page == 4


# ---------------------------------------------------------------- r3: item_results

def test_r3_item_results_count_and_sections(r3):
    rows = r3.tables["item_results"]
    assert len(rows) == 33
    assert [(r["section"], r["seq"]) for r in _rows(r3, "item_results", item_key=DISASTER)] == [
        ("広域避難関係", 1), ("広域避難関係", 2), ("広域避難関係", 3), ("被災者支援関係", 4),
        ("災害廃棄物関係", 5), ("災害廃棄物関係", 6), ("災害廃棄物関係", 7), ("災害廃棄物関係", 8),
        ("除排雪関係", 9), ("除排雪関係", 10), ("除排雪関係", 11)]
    assert {r["fiscal_year"] for r in rows} == {2021}
    assert [r["page"] for r in _rows(r3, "item_results", item_key=DIGITAL)] == [15] * 4 + [16] * 5


def test_r3_merged_topic_is_carried_down_and_bullets_start_lines(r3):
    rows = _rows(r3, "item_results", item_key=WILDLIFE)
    assert [r["topic"] for r in rows] == ["●クマ等による人身被害防止対策の推進"] * 4 + ["●イノシシによる農作物被害防止対策の推進"] * 5
    assert rows[2]["results"] == (
        "③捕獲の「空白地域」の解消\n"
        "⇒9月 捕獲組織のない舟橋村での出沒に備え、舟橋村がクマ出沒時の応援について上市町及び立山町と協定を締結(9/1)\n"
        "※上記締結を踏まえ、県は上市町及び立山町の捕獲隊員に対して舟橋村を対象区域とする捕獲を許可(9/15)")
    assert rows[1]["next_steps"] == "運用及び運用結果に基づくエリアの見直し(随時)"


def test_r3_list_items_without_markers_split_at_short_lines(r3):
    first = _rows(r3, "item_results", item_key=ZERO_CARBON)[0]
    assert first["results"] == (
        "再生可能エネルギー導入ポテンシャル情報や市町村別温室効果ガス排出量の把握方法について情報共有\n"
        "県再生可能エネルギービジョンの改定に向け、市町村と連携して施策等に取り組めるよう、情報共有・意見照会")
    assert _rows(r3, "item_results", item_key=ZERO_CARBON)[3]["next_steps"] == "県・市町村連携による啓発活動の実施\nポータルサイトの開設等"


def test_r3_empty_next_step_cell_is_carried_from_the_row_above(r3):
    waste = _rows(r3, "item_results", item_key=DISASTER, section="災害廃棄物関係")
    assert [r["next_steps"] for r in waste[:3]] == ["状況の変化に応じて、随時情報を更新し、共有を実施"] * 3
    assert waste[3]["next_steps"].startswith("初動対応や仮置場の設置・運営に係る訓練(地震想定)を予定")


# ---------------------------------------------------------------- the Kangxi / page-split rendition

#: Where a row was printed: differs between renditions of the same content.
PROVENANCE = {"page", "x0", "top", "x1", "bottom", "boxes"}


def _without_pages(res) -> dict:
    return {t: [{k: v for k, v in r.items() if k not in PROVENANCE} for r in res.tables.get(t, [])]
            for t in ("item_years", "wg_meetings", "item_results")}


def test_split_rendition_gives_the_same_rows_as_the_plain_one(r3, r3_split):
    assert r3_split.items == r3.items
    assert _without_pages(r3_split) == _without_pages(r3)


def test_split_rendition_rows_point_at_the_page_they_are_printed_on(r3_split):
    rows = _rows(r3_split, "item_results", item_key=WILDLIFE)
    assert [r["page"] for r in rows] == [6, 6, 6, 6, 7, 7, 7, 7, 7]
    waste = _rows(r3_split, "item_results", item_key=DISASTER, section="災害廃棄物関係")
    assert [(r["page"], r["next_steps"][:9]) for r in waste] == [
        (14, "状況の変化に応じて"), (14, "状況の変化に応じて"), (15, "状況の変化に応じて"), (15, "初動対応や仮置場の")]
    assert {r["page"] for r in _rows(r3_split, "wg_meetings", item_key=DIGITAL)} == {5}


# ---------------------------------------------------------------- r4: golden files

def _csv(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if r.get(h) is None else "|".join(r[h]) if isinstance(r.get(h), list)
                    else str(r[h]).lower() if isinstance(r.get(h), bool) else r[h] for h in header])
    return buf.getvalue()


def _assert_golden(name: str, text: str) -> None:
    path = GOLDEN_R4 / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden file {path} missing (run with UPDATE_GOLDEN=1 and review it)"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("table, header", [
    ("item_years", ["item_key", "fiscal_year", "selected", "change", "proposers", "departments", "reason",
                    "page", "title_text", "targets"]),
    ("wg_meetings", ["item_key", "track", "label", "held_on", "ends_on", "date_text", "precision", "planned",
                     "fiscal_year", "page"]),
    ("item_results", ["item_key", "fiscal_year", "section", "topic", "results", "next_steps", "page", "seq"]),
])
def test_r4_matches_golden(r4, table, header):
    _assert_golden(f"{table}.csv", _csv(header, r4.tables[table]))


def test_r4_items_match_golden(r4):
    _assert_golden("items.csv", _csv(["key", "title", "variants"], r4.items))


def test_r4_fiscal_year_prefixes_in_the_dates_cell_set_the_year(r4):
    rows = _rows(r4, "wg_meetings", item_key=ZERO_CARBON)
    assert [(r["date_text"], r["fiscal_year"], r["held_on"]) for r in rows] == [
        ("4/27", 2021, date(2021, 4, 27)), ("5/20", 2021, date(2021, 5, 20)), ("8/19", 2021, date(2021, 8, 19)),
        ("10/21", 2021, date(2021, 10, 21)), ("3/29", 2021, date(2022, 3, 29)),
        ("4/28", 2022, date(2022, 4, 28)), ("8/26", 2022, date(2022, 8, 26)), ("12/27", 2022, date(2022, 12, 27))]


def test_r4_next_year_comes_from_the_year_column_table(r4):
    got = {(r["item_key"], r["fiscal_year"]): (r["selected"], r["change"]) for r in r4.tables["item_years"]}
    assert got == {
        (ZERO_CARBON, 2022): (True, None), (ZERO_CARBON, 2023): (False, "終了"),
        (DIGITAL, 2022): (True, None), (DIGITAL, 2023): (True, "継続"),
        (EXPORT, 2022): (True, None), (EXPORT, 2023): (False, "終了"),
        ("こども・子育て施策の連携・強化", 2023): (True, None),
        ("観光再始動に向けた受入体制整備", 2023): (True, None),
    }


def test_r4_warnings_name_the_texts_without_a_column(r4):
    assert [(w.page, w.message.split(": ", 1)[1]) for w in r4.warnings] == [
        (5, "令和3年度に引き続いて"), (5, "輸出拡大ジャンプアップ計画等情報共有"), (5, "輸出の取組状況の共有及び連携事項協議"),
        (5, "連携事項(事業者支援や共同プロモーション)協議"), (5, "連携事項協議・確認")]


# ---------------------------------------------------------------- pure helpers

def test_dates_cell_reads_series_labels_headings_and_year_prefixes():
    dates, notes, bad = dates_cell_to_dates(
        "R3年度: 4/27、3/29 R4年度: 4/28\n※協議A 5/1、6/2(合意)\n7/3・8/4:担当者会議も活用\n○9/5: WG①\n・議題\n2/30",
        2022, date(2023, 1, 19))
    assert [(d.date_text, d.fiscal_year, d.series or d.heading, d.label) for d in dates] == [
        ("4/27", 2021, None, None), ("3/29", 2021, None, None), ("4/28", 2022, None, None),
        ("5/1", 2022, "協議A", None), ("6/2", 2022, "協議A", "合意"),
        ("7/3", 2022, "担当者会議", None), ("8/4", 2022, "担当者会議", None),
        ("9/5", 2022, None, "WG①")]
    assert [d.span.start for d in dates][:2] == [date(2021, 4, 27), date(2022, 3, 29)]
    assert notes == ["議題"]
    assert bad == ["2/30"]


def test_year_prefix_whose_colon_was_read_as_a_dot_or_lost_still_sets_the_year():
    # a scan read R4年度: at the end of a line as R4年度・; its dates had been given to R3年度
    for cell in ("R3年度: 4/27、3/29 R4年度・\n4/28、8/26", "R3年度: 4/27、3/29 令和4年度 4/28、8/26"):
        dates, notes, bad = dates_cell_to_dates(cell, 2022, date(2023, 1, 19))
        assert [(d.date_text, d.span.start, d.series or d.heading) for d in dates] == [
            ("4/27", date(2021, 4, 27), None), ("3/29", date(2022, 3, 29), None),
            ("4/28", date(2022, 4, 28), None), ("8/26", date(2022, 8, 26), None)]
        assert notes == [] and bad == []
    # a year in prose, not before a date, is no prefix
    dates, notes, _ = dates_cell_to_dates("令和3年度に引き続いて5/2", 2022, date(2023, 1, 19))
    assert [d.span.start for d in dates] == [date(2022, 5, 2)]


def test_dates_cell_with_full_width_digits_and_detached_plan_mark():
    dates, notes, bad = dates_cell_to_dates("４／２７、２月 予定", 2021, date(2022, 1, 20))
    assert [(d.date_text, d.span.start, d.span.precision, d.span.planned) for d in dates] == [
        ("4/27", date(2021, 4, 27), "day", False), ("2月予定", date(2022, 2, 1), "month", True)]
    assert notes == [] and bad == []


def test_department_cell_drops_matome_and_splits_at_wraps_after_a_suffix():
    assert department_cell_to_names("知事政策局\n(まとめ) 地\n方創生局 厚\n生部") == ["知事政策局", "地方創生局", "厚生部"]
    assert department_cell_to_names("危機管理局\n土木部") == ["危機管理局", "土木部"]


def test_logical_lines_join_wraps_break_before_bullets_and_after_short_lines():
    full = "①出沒への対応や人身被害等に関する市町村間"  # 21 ems: a full line of the column
    cell = f"{full}\nの情報共有\n⇒被害防止対策会議を年二回開催し、随時出沒\n案件やその対応等の情報共有\n県と共有"
    assert cell_to_logical_text(cell, text_width(full)) == (
        "①出沒への対応や人身被害等に関する市町村間の情報共有\n⇒被害防止対策会議を年二回開催し、随時出沒案件やその対応等の情報共有\n県と共有")
    assert cell_to_logical_text(cell, 0.0) == (
        "①出沒への対応や人身被害等に関する市町村間の情報共有\n⇒被害防止対策会議を年二回開催し、随時出沒案件やその対応等の情報共有県と共有")
    assert cell_to_logical_text("FOODEX\nJAPAN 2023 ・次", text_width("FOODEX")) == "FOODEX JAPAN 2023\n・次"


_JA = st.text(alphabet=st.sampled_from(list("あいう漢字カナ・⇒※①、。()0123456789AZ ") + ["\n", "⽉", "１"]), max_size=80)


@settings(max_examples=200, deadline=None)
@given(_JA, st.floats(min_value=0, max_value=30))
def test_logical_lines_never_lose_or_add_printed_characters(text, width):
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    assert squeeze(cell_to_logical_text(text, width)) == squeeze(normalize_text(text))


# ---------------------------------------------------------------- bad input, hand-built IR

def _page(number: int, lines: list[tuple[str, float]], tables: list[Table] = ()) -> Page:
    ls = [Line(t, 40.0, top, 400.0, top + 10.0) for t, top in lines]
    return Page(number, 595.0, 842.0, "\n".join(t for t, _ in lines), ls, list(tables), True)


def _table(top: float, rows: list[list[str | None]]) -> Table:
    return Table((40.0, top, 550.0, top + 20.0 * len(rows)), rows)


def _doc(pages: list[Page]) -> Document:
    return Document("d", "x.pdf", "0", len(pages), pages)


RESULTS_HEADER = ["区分", "項目", "令和3年度の取り組み成果", "令和4年度以降の取り組み"]


def test_section_column_groups_rows_and_a_header_less_continuation_is_joined():
    doc = _doc([
        _page(1, [("資料1", 20), ("連携事項名 テスト項目の推進 (連携推進項目での協議を終了)", 50),
                  ("提案市町村: A市、B町", 70), ("◎ R3年度の取り組み結果と今後の方向性", 90)],
              [_table(500, [RESULTS_HEADER, ["防災関係", "●訓練", "実施した", "継続する"], [None, "●研修", "開催した", ""]])]),
        # the material's label repeated at the top of the page does not cut the table
        _page(2, [("資料1", 20)],
              [_table(40, [["", "", "追加の成果", "追加の取り組み"], ["除雪関係", "●除雪", "拡大した", "検証する"]])]),
    ])
    res = document_to_items(doc, R3_MEETING)
    got = [(r["section"], r["topic"], r["results"], r["next_steps"], r["page"], r["seq"])
           for r in res.tables["item_results"]]
    assert got == [("防災関係", "●訓練", "実施した", "継続する", 1, 1),
                   ("防災関係", "●研修", "開催した", "継続する", 1, 2),
                   ("防災関係", "●研修", "追加の成果", "追加の取り組み", 2, 3),
                   ("除雪関係", "●除雪", "拡大した", "検証する", 2, 4)]
    years = {(r["fiscal_year"], r["selected"], r["change"]) for r in res.tables["item_years"]}
    assert years == {(2021, True, None), (2022, False, "終了")}
    assert res.warnings == []


def test_bad_input_is_warned_with_its_page_and_the_rest_still_parses():
    doc = _doc([
        _page(1, [("令和3年度連携推進項目のWG開催状況", 30)],
              [_table(60, [["連携項目名 (提案市町村)", "WG設置区分", "担当部局", "WG開催状況"],
                           [None, "", "", "4/1"],
                           ["項目甲の推進 (A市)", "", "総務部", "5/14、13/40、6/1(会合)"]])]),
        _page(2, [("◎ R3年度の取り組み結果と今後の方向性", 50)],
              [_table(100, [["番号", "内容", "備考"], ["1", "x", "y"]])]),
        _page(3, [("連携事項名 項目甲の推進", 50), ("◎ R3年度の取り組み結果と今後の方向性", 70)],
              [_table(100, [["項目", "令和3年度の取り組み成果", "令和4年度の取り組み"], ["", "成果のみ", "次の一手"]])]),
        _page(4, [("◎ R3年度の取り組み結果と今後の方向性", 50), ("表は画像のみ", 70)]),
    ])
    res = document_to_items(doc, R3_MEETING)
    assert [(w.stage, w.page, w.message) for w in res.warnings] == [
        ("parse_items", 1, "WG開催状況 row with no 連携項目名 above it: 4/1"),
        ("parse_items", 2, "取り組み結果 heading with no 連携事項名 above it: ◎ R3年度の取り組み結果と今後の方向性"),
        ("parse_items", 2, "table under a 取り組み結果 heading with a header not recognized, skipped: 番号 | 内容 | 備考"),
        ("parse_items", 3, "results row with no 項目 (topic) above it: 成果のみ"),
        ("parse_items", 4, "取り組み結果 heading with no table under it"),
        ("parse_items", 1, "unparseable WG開催状況 date '13/40' (項目甲の推進)"),
    ]
    assert [(r["date_text"], r["label"], r["held_on"]) for r in res.tables["wg_meetings"]] == [
        ("5/14", None, date(2021, 5, 14)), ("6/1", "会合", date(2021, 6, 1))]
    assert [it["key"] for it in res.items] == ["項目甲の推進"]
    assert [(r["topic"], r["results"]) for r in res.tables["item_results"]] == [(None, "成果のみ")]


def test_wg_table_with_a_proposers_column_and_numbered_sub_groups():
    table = _table(60, [["連携項目名", "提案市町村", "WG設置区分", "担当部局", "WG開催状況"],
                        ["項目乙の推進", "A市、B村", "①子ども部会", "厚生部\n(まとめ)", "5/1"],
                        [None, None, "②障がい部会", "福祉課", "6/1"]])
    layout = table_to_wg_layout(table)
    columns = (layout.title_col, layout.proposers_col, layout.sub_col, layout.dept_col, layout.dates_col)
    assert columns == (0, 1, 2, 3, 4)
    (entry,), problems = wg_table_to_entries(table, layout, 1, True, None)
    assert (entry.title, entry.proposers, entry.departments, problems) == ("項目乙の推進", ["A市", "B村"], ["厚生部", "福祉課"], [])
    assert [(s.text, s.dates_raw) for s in entry.subrows] == [("①子ども部会", "5/1"), ("②障がい部会", "6/1")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789/月予定:：、・※○()（）年度R令和 会議WG①\n市あ")), max_size=60))
def test_dates_cell_reader_never_fails_and_every_date_is_printed(text):
    dates, notes, bad = dates_cell_to_dates(text, 2021, date(2022, 1, 20))
    squeezed = "".join(normalize_text(text).split())
    assert all(d.date_text in squeezed for d in dates)
    assert all(d.span.start <= d.span.end for d in dates)


# ---------------------------------------------------------------- other layouts (issue 16): IR fixtures

IR_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ir"
SIBLING_MEETING = Meeting(held_on=date(2025, 2, 10), fiscal_year=2024)


def _ir(name: str) -> Document:
    from pipeline.ir import json_to_document

    return json_to_document((IR_FIXTURES / name).read_text(encoding="utf-8"))


def _parse_ir(doc: Document, meeting: Meeting = SIBLING_MEETING):
    """The items parser as the parse stage runs it: profile, outline and meeting in a Context."""
    from pipeline.outline import document_to_outline
    from pipeline.parse_items import items_parser
    from pipeline.profile import get_profile
    from pipeline.rows import Context

    prof = get_profile("renkei_packet")
    return items_parser(doc, Context(profile=prof, outline=document_to_outline(doc, prof), meeting=meeting))


@pytest.fixture(scope="module")
def sibling_lists():
    return _parse_ir(_ir("items_sibling_lists_and_wg.json"))


@pytest.fixture(scope="module")
def sibling_pages():
    return _parse_ir(_ir("items_sibling_item_pages.json"))


def test_list_with_a_two_row_header_and_a_status_column_gives_the_years_items(sibling_lists):
    got = [(r["item_key"], r["fiscal_year"], r["selected"], r["change"], r["proposers"], r["departments"])
           for r in sibling_lists.tables["item_years"]]
    assert got == [
        ("地域公共交通の維持・確保", 2024, True, "継続", ["港南市", "北川町"], ["地域振興部"]),
        ("移住・定住促進に向けた情報発信の共同化", 2024, True, "新規", ["青嶺市"], ["地域振興部"]),
        ("公共施設の広域的な相互利用", 2024, True, "継続", ["白石市", "南原町", "西山村"], ["総務部"]),
        ("水道事業の広域連携", 2024, True, "継続", ["東浜市"], ["生活環境部"]),
        ("デジタル人材の共同確保・育成", 2024, True, "新規", ["青嶺市", "港南市"], ["デジタル戦略局"]),
    ]
    # 備考 is a note of the list, not a reason
    assert {r["reason"] for r in sibling_lists.tables["item_years"]} == {None}


def test_wg_table_of_one_row_per_meeting_with_the_date_first(sibling_lists):
    rows = [(r["item_key"][:4], r["date_text"], str(r["held_on"]), str(r["ends_on"]), r["track"], r["label"],
             r["format"], r["planned"]) for r in sibling_lists.tables["wg_meetings"]]
    assert rows == [
        ("地域公共", "令和6年5月21日(火)", "2024-05-21", "2024-05-21", "交通WG", "第1回", "対面", False),
        ("地域公共", "令和6年8月6日(火)", "2024-08-06", "2024-08-06", "交通WG", "第2回", "オンライン", False),
        ("地域公共", "令和6年11月12日(火)", "2024-11-12", "2024-11-12", "交通WG", "第3回", "書面", False),
        ("地域公共", "令和7年3月予定", "2025-03-01", "2025-03-31", "交通WG", "第4回", None, True),
        ("公共施設", "5/28", "2024-05-28", "2024-05-28", "公共施設担当課長会議", None, "対面", False),
        ("公共施設", "8/27", "2024-08-27", "2024-08-27", "公共施設担当課長会議", None, "対面", False),
        ("公共施設", "11/26", "2024-11-26", "2024-11-26", "公共施設担当課長会議", None, "書面", False),
        ("水道事業", "令和6年7月22日(月)～23日(火)", "2024-07-22", "2024-07-23", "先進地視察", None, "対面", False),
        ("水道事業", "10/15", "2024-10-15", "2024-10-15", "広域連携検討会", None, "オンライン", False),
        ("水道事業", "12/10", "2024-12-10", "2024-12-10", "広域連携検討会", None, "オンライン", False),
    ]


def test_columns_no_role_claims_are_named_in_a_warning(sibling_lists, sibling_pages):
    assert [(w.page, w.message) for w in sibling_lists.warnings] == [
        (4, "columns of a WG開催状況 table not read: 主な内容")]
    assert [(w.page, w.message) for w in sibling_pages.warnings] == [
        (5, "columns of a 取り組み結果 table not read: 課題")]


def test_item_headings_of_every_form_open_their_items(sibling_pages):
    assert [it["key"] for it in sibling_pages.items] == [
        "地域公共交通の維持・確保", "移住・定住促進に向けた情報発信の共同化", "公共施設の広域的な相互利用",
        "水道事業の広域連携", "デジタル人材の共同確保・育成", "災害時の応援・受援体制の強化"]
    by_item: dict[str, list[tuple]] = {}
    for r in sibling_pages.tables["item_results"]:
        by_item.setdefault(r["item_key"][:4], []).append((r["page"], r["seq"], r["topic"]))
    assert by_item == {
        "地域公共": [(5, 1, "①デマンド交通の共同運行"), (5, 2, "②路線バスの維持に向けた連携"), (5, 3, "③利用促進の共同PR")],
        "移住・定": [(6, 1, "移住ポータルサイトの共同運営"), (6, 2, "合同移住相談会の開催")],
        # two items on one page, each under its own numbered heading
        "公共施設": [(7, 1, "体育施設の相互利用"), (7, 2, "図書館の広域貸出")],
        "水道事業": [(7, 1, "資機材の共同調達"), (7, 2, "災害時の相互応援")],
        # a slide titled …主な成果（title）
        "デジタル": [(8, 1, "専門人材の共同任用"), (8, 2, "職員研修の合同実施")],
    }


def test_results_columns_in_another_order_and_an_extra_column(sibling_pages):
    first = _rows(sibling_pages, "item_results", item_key="地域公共交通の維持・確保")[0]
    assert first["results"] == "・港南市と北川町の境界をまたぐデマンド交通の共同運行を試行（10月～）\n・利用者数は月平均320人"
    assert first["next_steps"] == "試行結果を検証し、令和7年度中に本格運行の可否を判断"  # 課題 is not read
    assert {r["fiscal_year"] for r in sibling_pages.tables["item_results"]} == {2024}


def test_status_words_wherever_printed_decide_the_years(sibling_pages):
    got = {(r["item_key"][:4], r["fiscal_year"]): (r["selected"], r["change"])
           for r in sibling_pages.tables["item_years"]}
    assert got == {
        ("地域公共", 2024): (True, None), ("地域公共", 2025): (True, "継続"),  # 【継続】, then 資料3
        ("移住・定", 2024): (True, "新規"), ("移住・定", 2025): (True, "継続"),  # （新規） on its heading
        ("公共施設", 2024): (True, None), ("公共施設", 2025): (False, "終了"),  # （令和6年度で終了）, left out of 資料3
        ("水道事業", 2024): (True, None), ("水道事業", 2025): (True, "継続"),
        ("デジタル", 2024): (True, "新規"), ("デジタル", 2025): (True, "継続"),  # 区分：新規 in a line of fields
        ("災害時の", 2025): (True, "新規"),
    }
    (new,) = _rows(sibling_pages, "item_years", item_key="災害時の応援・受援体制の強化")
    assert new["reason"] == "大規模災害に備え、市町村間の応援・受援の手順を共通化する必要がある。"


def test_fields_several_on_a_line_or_in_a_label_value_table(sibling_pages):
    got = {(r["item_key"][:4], r["fiscal_year"]): (r["proposers"], r["departments"])
           for r in sibling_pages.tables["item_years"] if r["fiscal_year"] == 2024}
    assert got == {("地域公共", 2024): (["港南市", "北川町"], ["交通政策課"]),
                   ("移住・定", 2024): (["青嶺市"], ["移住定住推進課"]),
                   ("公共施設", 2024): (["白石市", "南原町", "西山村"], ["市町村課"]),
                   ("水道事業", 2024): (["東浜市"], ["生活衛生課"]),
                   ("デジタル", 2024): (["青嶺市", "港南市"], ["デジタル戦略課"])}


def test_wg_dates_printed_as_lines_on_an_item_page(sibling_pages):
    rows = [(r["item_key"][:4], r["date_text"], r["label"], r["format"], r["planned"])
            for r in sibling_pages.tables["wg_meetings"]]
    assert rows == [
        ("移住・定", "6月3日(月)", None, None, False), ("移住・定", "9月10日(火)", None, "オンライン", False),
        ("移住・定", "12月17日(火)", None, None, False),
        ("デジタル", "令和6年6月18日（火）", "第1回", "オンライン", False),
        ("デジタル", "令和6年10月8日（火）", "第2回", "対面", False),
        ("デジタル", "令和7年2月25日（火）予定", "第3回", None, True)]


def test_item_rows_carry_the_box_of_their_cell_or_line(sibling_lists, sibling_pages):
    doc = _ir("items_sibling_lists_and_wg.json")
    wg_table = doc.pages[1].tables[0]
    first = sibling_lists.tables["wg_meetings"][0]
    assert (first["page"], (first["x0"], first["top"], first["x1"], first["bottom"])) == (
        4, tuple(round(v, 2) for v in wg_table.cell_bboxes[1][0]))
    line_row = _rows(sibling_pages, "wg_meetings", date_text="6月3日(月)")[0]
    assert line_row["page"] == 6 and line_row["top"] == pytest.approx(142.3, abs=1)
    result = sibling_pages.tables["item_results"][0]
    assert len(result["boxes"]) == 3  # topic, results and next-step cells
    for table in ("item_years", "wg_meetings", "item_results"):
        for res in (sibling_lists, sibling_pages):
            assert all(r.get("x0") is not None for r in res.tables.get(table, [])), table


# ---------------------------------------------------------------- column roles, hand-built tables

def test_column_roles_in_any_order_and_a_two_row_header():
    from pipeline.parse_items_columns import table_to_header

    header = table_to_header(_table(0, [["今後の方向性", "成果", "取組項目", "No."], ["a", "b", "c", "1"]]))
    assert header.roles == {0: "plans", 1: "results", 2: "topic", 3: "number"}
    two = table_to_header(_table(0, [["連携テーマ", "担当", None, "WG"], [None, "提案団体", "所管課", "開催日"],
                                     ["x", "A市", "B課", "5/1"]]))
    assert (two.rows, two.roles) == (2, {0: "item", 1: "proposers", 2: "departments", 3: "wg_dates"})


def test_one_results_table_for_all_items_with_a_status_column():
    doc = _doc([_page(1, [("令和6年度 連携項目の取組結果", 30)], [_table(60, [
        ["連携項目", "区分", "取組結果", "今後の方針"],
        ["公共交通の維持", "継続", "会議を3回開催", "取組を継続"],
        [None, None, "研修を実施", "研修を拡充"],
        ["水道事業の広域化", "終了", "協定を締結", "各市町村で運用"]])])])
    res = _parse_ir(doc)
    assert [(r["item_key"], r["topic"], r["results"], r["next_steps"], r["seq"]) for r in res.tables["item_results"]] == [
        ("公共交通の維持", None, "会議を3回開催", "取組を継続", 1), ("公共交通の維持", None, "研修を実施", "研修を拡充", 2),
        ("水道事業の広域化", None, "協定を締結", "各市町村で運用", 1)]
    years = {(r["item_key"], r["fiscal_year"]): (r["selected"], r["change"]) for r in res.tables["item_years"]}
    assert years == {("公共交通の維持", 2024): (True, None), ("公共交通の維持", 2025): (True, "継続"),
                     ("水道事業の広域化", 2024): (True, None), ("水道事業の広域化", 2025): (False, "終了")}


# ---------------------------------------------------------------- regressions, named after what broke

def test_training_dates_table_on_an_item_page_is_not_a_wg_table():
    """開催日 | テーマ on an item's slide lists a training's sessions, not the item's WG meetings."""
    doc = _doc([_page(1, [("連携事項名 項目甲の推進", 30), ("開催日 テーマ", 62), ("8月3日 情報セキュリティ", 82)],
                      [_table(60, [["開催日", "テーマ"], ["8月3日", "情報セキュリティ"], ["9月28日", "DXの推進"]])])])
    res = _parse_ir(doc)
    assert res.tables["wg_meetings"] == []


def test_wg_dates_repeated_on_a_slide_are_one_meeting_each():
    doc = _doc([
        _page(1, [("WG開催状況", 30)], [_table(60, [["連携項目名", "WG開催状況"], ["項目甲の推進", "4/21、7/27"]])]),
        _page(2, [("令和3年度連携項目の主な取り組み実績と成果について (項目甲の推進)", 30),
                  ("(WG会議開催状況: 4/21, 7/27, 9/29)", 60)]),
    ])
    res = _parse_ir(doc, R3_MEETING)
    assert [(r["date_text"], r["page"]) for r in res.tables["wg_meetings"]] == [("4/21", 1), ("7/27", 1), ("9/29", 2)]


def test_a_material_list_entry_naming_results_is_not_a_results_heading():
    doc = _doc([_page(1, [("配付資料", 30), ("資料2 連携テーマ別の取組結果と今後の方向性", 50)]),
                _page(2, [("出席者名簿", 30)], [_table(60, [["市町村（7名）", None, "県（5名）", None]])])])
    assert _parse_ir(doc).warnings == []


def test_figures_by_year_are_not_a_list_of_items():
    doc = _doc([_page(1, [("参考資料", 20)], [_table(60, [["指標", "令和5年度", "令和6年度"],
                                                          ["移住相談件数", "410件", "536件"]])])])
    res = _parse_ir(doc)
    assert (res.items, res.tables["item_years"]) == ([], [])


def test_a_status_ending_in_a_year_ends_the_item_the_year_after():
    from pipeline.parse_items_blocks import status_to_fiscal_year

    assert status_to_fiscal_year("令和6年度で終了") == 2025
    assert status_to_fiscal_year("令和4年度協議継続") == 2022
    assert status_to_fiscal_year("R3年度からの継続") is None


def test_wg_table_with_a_bare_theme_column_a_status_column_and_a_label_value_row():
    doc = _doc([
        _page(1, [("令和6年度 ワーキンググループ開催状況", 30)], [_table(60, [
            ["No.", "テーマ", "区分", "担当課", "開催日"],
            ["1", "地域公共交通の維持・確保", "継続", "交通政策課", "5/21、8/6（オンライン）"],
            ["2", "水道事業の広域連携", "新規", "生活衛生課", "7/22"]])]),
        _page(2, [("（１）水道事業の広域連携", 30), ("提案団体 東浜市 担当課 生活衛生課", 50)],
              [_table(80, [["取組項目", "令和6年度の取組", "令和7年度の取組"], ["資機材の共同調達", "仕様を統一", "共同調達を実施"]])]),
    ])
    res = _parse_ir(doc)
    assert [(r["item_key"][:4], r["date_text"], r["format"]) for r in res.tables["wg_meetings"]] == [
        ("地域公共", "5/21", None), ("地域公共", "8/6", "オンライン"), ("水道事業", "7/22", None)]
    years = {(r["item_key"][:4], r["fiscal_year"]): (r["change"], r["proposers"], r["departments"])
             for r in res.tables["item_years"]}
    assert years == {("地域公共", 2024): ("継続", [], ["交通政策課"]),
                     ("水道事業", 2024): ("新規", ["東浜市"], ["生活衛生課"])}
    # 令和6年度の取組 | 令和7年度の取組: the earlier year is what was done
    (row,) = res.tables["item_results"]
    assert (row["item_key"], row["topic"], row["results"], row["next_steps"]) == (
        "水道事業の広域連携", "資機材の共同調達", "仕様を統一", "共同調達を実施")


def test_a_text_list_of_next_years_themes():
    doc = _doc([_page(1, [("【令和7年度の連携テーマ（案）】", 30), ("1 地域公共交通の維持・確保（継続）", 50),
                          ("2 災害時の応援・受援体制の強化（新規）", 70)])])
    res = _parse_ir(doc)
    assert [(r["item_key"], r["fiscal_year"], r["selected"], r["change"]) for r in res.tables["item_years"]] == [
        ("地域公共交通の維持・確保", 2025, True, "継続"), ("災害時の応援・受援体制の強化", 2025, True, "新規")]


def test_a_text_list_whose_entries_open_with_a_mark_before_their_number():
    # an office rendition marks each entry (○1 …, ■3 …); a ■ line with a status is also the
    # form of an item heading, but under a year's list heading it is an entry of the list
    for mark in ("○", "■"):
        doc = _doc([_page(1, [("【R4年度の連携推進項目】（案）", 30), (f"{mark}1 ゼロカーボンシティ富山の実現（R3年度からの継続）", 50),
                              ("（提案市町村：魚津市、南砺市）", 70), (f"{mark}3 農林水産物等の輸出促進（R4年度新規項目）", 90),
                              ("2. その他想定される個別課題", 110)])])
        res = _parse_ir(doc)
        assert [(r["item_key"], r["fiscal_year"], r["change"], r["proposers"]) for r in res.tables["item_years"]] == [
            ("ゼロカーボンシティ富山の実現", 2022, "継続", ["魚津市", "南砺市"]),
            ("農林水産物等の輸出促進", 2022, "新規", [])], mark
    # elsewhere the ■ line is an item's heading, and its list number no part of the title
    assert text_to_item_heading("■3 農林水産物等の輸出促進（R4年度新規項目）", None) == (
        "農林水産物等の輸出促進", ["R4年度新規項目"])


def test_a_next_years_direction_column_of_status_words_is_a_status_not_plans():
    doc = _doc([_page(1, [("令和6年度 連携テーマ一覧", 30)], [_table(60, [
        ["連携テーマ", "提案市町村", "令和7年度の方向性"],
        ["地域公共交通の維持・確保", "港南市", "継続"],
        ["公共施設の広域的な相互利用", "白石市", "終了"]])])])
    res = _parse_ir(doc)
    assert res.tables["item_results"] == []
    got = {(r["item_key"][:4], r["fiscal_year"]): (r["selected"], r["change"]) for r in res.tables["item_years"]}
    assert got == {("地域公共", 2024): (True, None), ("地域公共", 2025): (True, "継続"),
                   ("公共施設", 2024): (True, None), ("公共施設", 2025): (False, "終了")}


@pytest.mark.parametrize("text, want", [
    ("1 ゼロカーボンシティ富山の実現（R3年度からの継続）", ("ゼロカーボンシティ富山の実現", "R3年度からの継続")),
    ("2 観光の振興", ("観光の振興", None)),
    # a scan: the number run into the title, or its 1 read as a bracket or a bar ...
    ("3農林水産物等の輸出促進に向けた連携・強化(R4年度新規項目)", ("農林水産物等の輸出促進に向けた連携・強化", "R4年度新規項目")),
    ("] ゼロカーボンシティ富山の実現(R3年度からの継続)", ("ゼロカーボンシティ富山の実現", "R3年度からの継続")),
    ("w 3農林水産物等の輸出促進(R4年度新規項目)", ("農林水産物等の輸出促進", "R4年度新規項目")),  # a speck before it
    ("e. 3.農林水産物等の輸出促進(R4年度新規項目)", ("農林水産物等の輸出促進", "R4年度新規項目")),  # 1-bit r3, 1212
    ("-3農林水産物等の輸出促進(R4年度新規項目)", ("農林水産物等の輸出促進", "R4年度新規項目")),  # gray r3, 3535
    ("-e 3農林水産物等の輸出促進(R4年度新規項目)", ("農林水産物等の輸出促進", "R4年度新規項目")),  # 1-bit r3, 1313
    ("- 3.農林水産物等の輸出促進(R4年度新規項目)", ("農林水産物等の輸出促進", "R4年度新規項目")),
    ("-3.農林水産物等の輸出促進(R4年度新規項目)", None),  # no gap after the speck: a numbered point
    ("3.農林水産物等の輸出促進(R4年度新規項目)", None),  # a numbered point of the document, as before
    # ... is an entry only with its status: a line of text may start with a number too
    ("3月に研修を実施(県・15市町村)", None),
    ("2023年度の取組", None),
    ("] 参考", None),
])
def test_issue_12_text_list_entry_as_a_scan_reads_it(text, want):
    from pipeline.parse_items_blocks import text_to_list_entry, text_to_list_proposers

    assert text_to_list_entry(normalize_text(text)) == want
    assert text_to_list_proposers("(提案市町村魚津市、南砺市)") == ["魚津市", "南砺市"]  # its colon lost


@pytest.mark.parametrize("text, want", [
    ("県単医療費助成制度のあり方検討 (富山市、射水市、黒部市)", ("県単医療費助成制度のあり方検討", "富山市、射水市、黒部市")),
    # a scan lost the opening bracket: the list starts where Sudachi's place name does
    ("県単医療費助成制度のあり方検討富山市、射水市、黒部市)", ("県単医療費助成制度のあり方検討", "富山市、射水市、黒部市")),
    ("デジタル化の推進小矢部市)", ("デジタル化の推進", "小矢部市")),
    # no place name before the bracket, or nothing before the name: left as printed
    ("計画の策定)", ("計画の策定)", None)),
    ("富山市)", ("富山市)", None)),
    ("検討富山市、全県)", ("検討富山市、全県)", None)),
    # a scan read the status's closing bracket as 】 (the 1-bit r4 scan of seed 9753, page 14)
    ("農林水産物等の輸出促進 (連携推進項目での協議を終了】", ("農林水産物等の輸出促進", "連携推進項目での協議を終了")),
    ("輸出促進【新規】", ("輸出促進【新規】", None)),
    # specks after the close read as marks (the 1-bit r3 scan of seed 1111, page 4)
    ("ゼロカーボンシティ富山の実現(魚津市、南砺市)。 ・", ("ゼロカーボンシティ富山の実現", "魚津市、南砺市")),
    # a status whose opening bracket was read as ・6 (the same scan, page 20)
    ("輸出促進に向けた連携・強化・6R4年度新規項目)", ("輸出促進に向けた連携・強化", "R4年度新規項目")),
    ("輸出促進R4年度からの継続)", ("輸出促進", "R4年度からの継続")),
    ("計画R4年度)", ("計画R4年度)", None)),            # no status word: left as printed
])
def test_issue_12_trailing_list_whose_opening_bracket_was_lost(text, want):
    from pipeline.parse_items_text import split_trailing_paren

    assert split_trailing_paren(text) == want


def test_issue_12_a_scanned_header_with_one_kanji_misread_keeps_its_role():
    from pipeline.parse_items_columns import text_to_role
    from pipeline.profile import get_profile

    # the 取り組み結果 table of the 1-bit r4 scan of seed 5926 (p.6) reads its 項目 as 環目
    profile = get_profile("renkei_packet")
    assert [text_to_role(t, profile) for t in ("環目", "項目", "担当部属")] == ["topic", "topic", "departments"]
    # a word of its own one kanji away is another column
    assert text_to_role("科目", profile) is None


def test_issue_12_a_scanned_header_whose_note_lost_its_closing_bracket_keeps_its_role():
    from pipeline.parse_items_columns import text_to_role
    from pipeline.profile import get_profile

    # the WG table of the gray r3 scan of seed 7070 reads 連携項目名（提案市町村） as
    # 連携項目名(提案市町利: the note is no column name, the proposers' column is beside it
    profile = get_profile("renkei_packet")
    assert [text_to_role(t, profile) for t in ("連携項目名(提案市町利", "連携項目名（提案市町村）", "提案市町村")] == [
        "item", "item", "proposers"]
    # ... and the gray r4 scan of seed 3434 reads WG開催状況 as MG開催炎況: it holds 開催状況 misread
    assert text_to_role("MG開催炎況", profile) == "wg_dates"


def test_issue_12_a_scanned_list_heading_and_item_heading_with_misread_marks():
    from pipeline.parse_items_blocks import text_to_item_heading, text_to_list_heading
    from pipeline.profile import get_profile

    profile = get_profile("renkei_packet")
    # the 1-bit r3 scan of seed 1212: 【 read as {, and 連携 of 連携事項名 as 失 after a bar
    assert text_to_list_heading("{R4年度の連携推進項目】(案)", profile) == 2022
    assert text_to_item_heading("| 失事項名有害鳥獣の連携捕獲の推進(連携推進項目での協議を終了)", profile) == (
        "有害鳥獣の連携捕獲の推進", ["連携推進項目での協議を終了"])
    assert text_to_item_heading("事項名", profile) is None
