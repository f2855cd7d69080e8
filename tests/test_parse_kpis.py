"""parse_kpis: the reported figures of the real packets (IR extracted from the PDFs), and the
tricky strings that must, or must not, read as figures."""
from __future__ import annotations

import csv
import io
import os
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import parse_kpis
from pipeline.ir import Document, Line, Page, Table
from pipeline.normalize import normalize_text
from pipeline.parse_kpis import document_to_kpis, text_to_figures
from pipeline.rows import Meeting
from tests.conftest import GOLDEN, SHARED, sample_document

R3 = Meeting(held_on=date(2022, 1, 20), fiscal_year=2021)
R4 = Meeting(held_on=date(2023, 1, 19), fiscal_year=2022)
COLUMNS = ["page", "item_key", "metric", "scope", "segment", "value", "value_text", "unit", "as_of",
           "as_of_text", "rank", "kind", "context"]
WILDLIFE, DISASTER, DIGITAL = "有害鳥獣の市町村による連携捕獲の推進", "防災・危機管理体制の連携・強化", "自治体行政のデジタル化"
EXPORT = "農林水産物等の輸出促進に向けた連携・強化"


@pytest.fixture(scope="module")
def kpis() -> dict[str, list[dict]]:
    """KPI rows of the three sample packets."""
    out = {}
    for name, meeting in (("r3_browser.pdf", R3), ("r3_browser_kangxi_split.pdf", R3), ("r4_browser.pdf", R4)):
        res = document_to_kpis(sample_document(name), meeting)
        assert res.warnings == []
        out[name] = res.tables["kpis"]
    return out


def find(rows: list[dict], **want) -> list[dict]:
    return [r for r in rows if all(r[k] == v for k, v in want.items())]


def figures(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in text_to_figures(normalize_text(text))]


# --- tricky strings ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("R3. 1. 1時点 22. 7% (全国27位)", [(22.7, "%")]),          # a stray space inside the decimal
    ("進捗状況を確認(月1～2回)", [(1.0, "回"), (2.0, "回")]),      # a range gives both ends
    ("◆実践活動（3～4か月）", [(3.0, "か月"), (4.0, "か月")]),
    ("医療従事者等（約600万人）", [(6_000_000.0, "人")]),
    ("接種の対象となる1億人の方の85%となる約8,500万回", [(100_000_000.0, "人"), (85.0, "%"), (85_000_000.0, "回")]),
    ("県内全 15 市町村がふるさと回帰支援センターに", [(15.0, "市町村")]),
    ("（１月７日現在、３４社７２７人申請済）", [(34.0, "社"), (727.0, "人")]),  # full-width digits
    ("・年会費：（正会員）5万円", [(50_000.0, "円")]),
    ("④受講費用 1,980千円/1名", [(1_980_000.0, "円")]),          # /1名 is a denominator
    ("年6回開催予定（1回あたり2日間開催）", [(6.0, "回"), (2.0, "日間")]),
    ("①受講期間 令和4年6月～令和6年2月（1年9か月）", [(21.0, "か月")]),
    ("高齢者・その他 ← 1月前倒し可", [(1.0, "月")]),              # 月 as a length only before 前倒し …
    ("10～12月4市で実験を実施", [(4.0, "市")]),                    # … else a month name
    ("7/21 5市、8/24 10市町村", [(5.0, "市"), (10.0, "市町村")]),  # dates before counts are not counts
    # a line that opens with a figure counts on in its unit: no list number (gray r3 scan, 3535)
    ("5 箇所新設+新たに共同利用12箇所、全66箇所へ", [(5.0, "箇所"), (12.0, "箇所"), (66.0, "箇所")]),
    ("3 市町村連携の推進（15市町村）", [(15.0, "市町村")]),  # a title's scope in brackets: 3 is its number
])
def test_figures_in_tricky_strings(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "第4回本部会議の開催",                     # ordinal
    "新型コロナワクチンの追加接種（3回目接種をいう。）",
    "初回接種（1回目、2回目接種をいう。以下同じ。）",
    "「初回接種完了から8か月以上の経過を待たずに…について（その2）」",  # inside a quoted title
    "日 時：令和4年1月20日（木） 午後3時～4時30分",              # dates and times
    "資料3 令和4年度本部会議年間スケジュール",                    # 資料N label, 年度
    "TEL 076-444-3111（内線 2345）",                              # phone number
    "「FOODEX JAPAN2023(第48回国際食品・飲料展)」",               # a name and an ordinal
    "2 自治体行政のデジタル化（R3年度からの継続）",               # a list number before a word
    "R4. 11 市町村との共同調達に向けた意向調査を実施",            # R4. 11 is November
    "・初回接種（2回接種）の完了から",                           # a parenthesis restating the noun
    "(入庁5年目程度から30代の職員を想定)",
    "- 12 -",                                                     # page number
    "5市民が参加",                                                # the unit is part of a word
    "2030年度",
])
def test_strings_that_are_not_figures(text):
    assert figures(text) == []


_TEXT = st.text(st.sampled_from(list("0123456789０２ ,.～/:()（）「」年月日度時点現在末約全第回目件人名社市町村箇所%万億"
                                    "千か月以上前倒しの、。は⇒・※①令和R県内全国富山県位あたり")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_any_text_gives_printed_figures_and_never_raises(text):
    unit = parse_kpis.TextUnit(text=text, page=1, labels=("全国",), column="接種回数 (R5.1.17現在)",
                               header_unit="回", as_of_text="R5.1.17現在", legend="65歳以上")
    for row in parse_kpis.unit_to_kpis(unit, R3, "富山県"):
        assert row["value_text"] in text and row["value"] >= 0
        assert row["kind"] in ("actual", "target") and row["scope"] in (None, "全国", "富山県")


def test_a_bad_vocabulary_line_names_file_and_line(tmp_path):
    path = tmp_path / "kpi_units.tsv"
    path.write_text("# kpi_units version 1\nunit\tclass\tnot_followed_by\tonly_followed_by\n"
                    "件\tcount\t目\t-\n人\tcount\t-\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"kpi_units.tsv:4: expected 4 tab-separated fields, found 3"):
        parse_kpis.tsv_to_units(path)
    path.write_text("# kpi_units version 1\nunit\tclass\tnot_followed_by\tonly_followed_by\n"
                    "件\tcounts\t-\t-\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"kpi_units.tsv:3: unknown class 'counts'"):
        parse_kpis.tsv_to_units(path)
    path.write_text("unit\tclass\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"kpi_units.tsv:1: the first line must be"):
        parse_kpis.tsv_to_units(path)


def test_the_shipped_vocabulary_loads():
    assert parse_kpis.tsv_to_units()["市町村"].cls == "count"
    assert parse_kpis.tsv_to_units()["月"].only_followed_by[0] == "前倒し"
    assert "時点" in parse_kpis.tsv_to_markers()["as_of"]
    assert parse_kpis.tsv_to_scopes()["県内"] == "home" and parse_kpis.tsv_to_scopes()["石川県"] == "石川県"


# --- the r3 packet ----------------------------------------------------------------------------

def test_r3_card_issuance_rates_are_dated_ranked_and_scoped(kpis):
    rows = find(kpis["r3_browser.pdf"], unit="%", page=18)
    assert [(r["value"], r["value_text"], r["as_of"], r["as_of_text"], r["rank"], r["scope"]) for r in rows] == [
        (22.7, "22. 7%", date(2021, 1, 1), "R3. 1. 1時点", 27, "富山県"),
        (41.7, "41. 7%", date(2022, 1, 1), "R4. 1. 1時点", 10, "富山県"),
    ]
    assert {(r["metric"], r["item_key"], r["kind"]) for r in rows} == {("マイナンバーカードの交付率", DIGITAL, "actual")}
    assert rows[0]["context"] == ("県・市町村の連携により、マイナンバーカードの交付率が上昇 "
                                  "(R3. 1. 1時点 22. 7% (全国27位) ⇒ R4. 1. 1時点 41. 7% (全国10位))")


def test_r3_outcome_figures_of_the_items(kpis):
    rows = kpis["r3_browser.pdf"]
    (boar,) = find(rows, value=5.0, unit="事業者")
    assert (boar["as_of"], boar["as_of_text"], boar["item_key"], boar["page"]) == \
        (date(2021, 12, 31), "12月末時点", WILDLIFE, 5)
    (calls,) = find(rows, value=11.0, unit="件")
    assert (calls["metric"], calls["item_key"], calls["context"]) == ("通報実績", WILDLIFE, "※通報実績: 11件")
    (firms,) = find(rows, value=34.0, unit="社")
    (people,) = find(rows, value=727.0, unit="人")
    assert firms["as_of"] == people["as_of"] == date(2022, 1, 7) and people["as_of_text"] == "1月7日現在"
    assert [r["value"] for r in find(rows, unit="箇所")] == [5.0, 12.0, 66.0]
    assert [r["value"] for r in find(rows, unit="区間")] == [26.0, 62.0]
    assert {r["item_key"] for r in find(rows, unit="区間")} == {DISASTER}
    (ishikawa,) = find(rows, unit="市町", page=4)
    assert (ishikawa["value"], ishikawa["scope"], ishikawa["item_key"]) == (4.0, "石川県", WILDLIFE)
    # the WG table's meeting dates date the participant counts printed after them
    assert [(r["value"], r["unit"], r["as_of"], r["as_of_text"], r["item_key"]) for r in find(rows, page=4, scope=None)
            if r["unit"] != "町村"] == [
        (5.0, "市", date(2021, 7, 21), "7/21", DISASTER), (10.0, "市町村", date(2021, 8, 24), "8/24", DISASTER)]


def test_r3_next_years_column_is_target_and_ranges_give_two_rows(kpis):
    rows = kpis["r3_browser.pdf"]
    twice = find(rows, page=5, unit="回")
    assert [(r["value"], r["kind"], r["metric"]) for r in twice] == [
        (2.0, "actual", "被害防止対策会議開催回数(年)"), (2.0, "target", "被害防止対策会議開催回数(年)")]
    monthly = [r for r in find(rows, page=15, unit="回") if r["value_text"] == "1～2回"]
    assert [r["value"] for r in monthly] == [1.0, 2.0]
    assert monthly[0]["metric"] == monthly[1]["metric"] == "進捗状況を確認回数(月)"
    assert monthly[0]["context"] == monthly[1]["context"]
    (procedures,) = find(rows, unit="手続")
    assert (procedures["value"], procedures["kind"]) == (26.0, "target")


def test_r3_grid_cells_take_their_row_and_column_labels(kpis):
    chart = find(kpis["r3_browser.pdf"], page=25, metric="前倒し可")
    assert len(chart) == 15
    assert Counter(r["unit"] for r in chart) == {"か月": 4, "月": 11}
    assert chart[3]["segment"] == "高齢者・その他 R4.2月 (R3.6月)"
    assert chart[3]["context"] == "高齢者 その他 R4.2月 (R3.6月) ← 1月前倒し可"


def test_r3_numbers_that_are_not_figures_are_left_out(kpis):
    rows = kpis["r3_browser.pdf"]
    assert find(rows, page=1) == [] and find(rows, page=22) == []  # 次第 and 年間スケジュール
    assert find(rows, page=23, unit="回") == []                    # 初回接種（2回接種）
    # the notice quotes its predecessors' titles (8か月 inside 「」) and means 8か月 once per sentence
    assert len(find(rows, page=29, value=8.0)) == 1
    assert not [r for r in rows if "回目" in r["value_text"] or r["value_text"].startswith("その")]


def _score_like_score_py(gold: list[dict], pred: list[dict]) -> tuple[float, float]:
    """(core recall, precision) with score.py's matching: (value, unit, as_of when the gold dates it)."""
    pool, tp, tp_core = list(pred), 0, 0
    for g in sorted(gold, key=lambda g: g["core"] != "true"):
        for i, p in enumerate(pool):
            if (round(float(g["value"]), 6), g["unit"]) == (round(p["value"], 6), p["unit"]) and \
                    (not g["as_of"] or g["as_of"] == (p["as_of"].isoformat() if p["as_of"] else "")):
                pool.pop(i)
                tp += 1
                tp_core += g["core"] == "true"
                break
    return tp_core / sum(g["core"] == "true" for g in gold), tp / len(pred)


@pytest.mark.parametrize("source", ["r3_browser.pdf", "r3_browser_kangxi_split.pdf"])
def test_r3_against_the_hand_made_gold(kpis, source):
    with open(SHARED / "gold" / "r3_2022-01-20" / "kpis.csv", encoding="utf-8", newline="") as fh:
        gold = list(csv.DictReader(fh))
    core_recall, precision = _score_like_score_py(gold, kpis[source])
    assert core_recall == 1.0
    assert precision >= 0.95


def test_kangxi_split_rendition_reads_like_the_plain_one(kpis):
    key = lambda r: (r["value"], r["unit"], r["as_of"], r["item_key"], r["kind"], r["metric"])  # noqa: E731
    plain, split = Counter(map(key, kpis["r3_browser.pdf"])), Counter(map(key, kpis["r3_browser_kangxi_split.pdf"]))
    # the extractor loses one merged cell of the split 前倒し chart (高齢者施設等利用者 ← 2か月前倒し可)
    assert plain - split == Counter({(2.0, "か月", None, None, "actual", "前倒し可"): 1})
    assert split - plain == Counter()


def test_a_table_declaring_its_unit_gives_its_bare_numbers_that_unit():
    table = Table(bbox=(40, 100, 550, 160), rows=[
        ["区分", "令和3年度", "令和4年度（見込み）"],
        ["観光客入込数", "1,234", "1,500"],
        ["宿泊者数", "321", "400"],
    ])
    page = Page(number=3, width=595.0, height=842.0, text="", has_text_layer=True, tables=[table], lines=[
        Line("○観光の状況", 40, 70, 120, 80), Line("（単位：千人）", 480, 86, 550, 96)])
    doc = Document(doc_id="d", source_path="x.pdf", sha256="0" * 64, page_count=1, pages=[page])
    rows = document_to_kpis(doc, R3).tables["kpis"]
    assert [(r["metric"], r["segment"], r["value"], r["value_text"], r["unit"], r["kind"]) for r in rows] == [
        ("観光客入込数", "令和3年度", 1_234_000.0, "1,234", "人", "actual"),
        ("観光客入込数", "令和4年度（見込み）", 1_500_000.0, "1,500", "人", "target"),
        ("宿泊者数", "令和3年度", 321_000.0, "321", "人", "actual"),
        ("宿泊者数", "令和4年度（見込み）", 400_000.0, "400", "人", "target"),
    ]


# --- the r4 packet ----------------------------------------------------------------------------

def test_r4_table_of_bare_numbers_takes_unit_date_and_legend_from_its_header(kpis):
    rows = find(kpis["r4_browser.pdf"], page=46, scope="富山県", unit="回")
    assert [(r["value"], r["value_text"], r["segment"]) for r in rows] == [
        (445664.0, "445,664", None), (231452.0, "231,452", "65歳以上の高齢者"),
        (15951.0, "15,951", "1回目"), (15587.0, "15,587", "2回目"), (5511.0, "5,511", "3回目")]
    assert {(r["metric"], r["as_of"], r["as_of_text"]) for r in rows} == {("接種回数", date(2023, 1, 17), "R5.1.17現在")}
    by_age = find(kpis["r4_browser.pdf"], page=46, metric="オミクロン株対応ワクチンの年代別接種率")
    assert len(by_age) == 22 and by_age[0]["segment"] == "12歳～19歳" and by_age[0]["scope"] == "全国"


def test_r4_item_figures(kpis):
    rows = kpis["r4_browser.pdf"]
    rates = find(rows, page=11, unit="%")
    assert [(r["value"], r["as_of"], r["as_of_text"], r["rank"], r["metric"]) for r in rates] == [
        (41.7, date(2022, 1, 1), "R4.1.1時点", 10, "マイナンバーカードの交付率"),
        (59.1, date(2022, 12, 31), "R4.12末時点", 10, "マイナンバーカードの交付率")]
    (members,) = find(rows, unit="者")
    assert (members["value"], members["as_of"], members["item_key"]) == (143.0, date(2022, 12, 31), EXPORT)
    assert [(r["value"], r["kind"]) for r in find(rows, page=8, unit="業務")] == [
        (20.0, "actual"), (14.0, "target"), (6.0, "target")]
    (contracts,) = find(rows, unit="件", page=9)
    assert (contracts["value"], contracts["as_of"]) == (34.0, date(2023, 1, 15))
    assert Counter(r["item_key"] for r in rows)[DIGITAL] == 10


def test_r4_kpis_golden(kpis):
    """Every row checked by eye against the PDF; UPDATE_GOLDEN=1 rewrites the file (review the diff)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in kpis["r4_browser.pdf"]:
        value = int(r["value"]) if r["value"].is_integer() else r["value"]
        w.writerow(["" if r[c] is None else value if c == "value" else r[c] for c in COLUMNS])
    golden = GOLDEN / "r4_browser" / "kpis.csv"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(buf.getvalue(), encoding="utf-8")
    assert buf.getvalue() == golden.read_text(encoding="utf-8")


def test_a_table_whose_first_column_is_headed_with_the_profiles_item_word_gives_each_row_its_item():
    # issue 12: a WG table headed 連携推進項目 (not 連携項目名) names each row's item, as the profile says
    from pipeline.parse_kpis import header_names_item

    assert header_names_item("連携推進項目", ("連携推進項目",))
    assert header_names_item("連携項目名 (提案市町村)")
    assert not header_names_item("連携推進項目")  # the word comes from the profile
    assert not header_names_item("区分", ("連携推進項目",))


def test_a_cell_wrapped_inside_a_full_width_date_joins_it_tight():
    # issue 12 (glyph rendition): ８∕２ ⏎ ４ is 8/24, not "8/2 4", so the count after it keeps its date
    from pipeline.parse_kpis import cell_to_segments

    got = " ".join(cell_to_segments("R3年度:\n４∕２６ 防災担当課長会議 ７∕２１ 5市、８∕２\n４ 10市町村"))
    assert "8/24 10市町村" in got and "8/2 4" not in got
    assert " ".join(cell_to_segments("令和4年度の 取り組み\nAI and\nRPA")).endswith("AI and RPA")


def test_an_item_column_is_keyed_by_the_documents_profile_not_the_default_one():
    # a body whose titles end in a 【…】 status note: its own status-tail rule drops it, the
    # default profile's rule (a bracketed 継続/新規 …) keeps it
    from dataclasses import replace

    from pipeline.profile import default_profile

    default = default_profile()
    sections = {**default.sections, "outline": {**default.sections["outline"],
                                                "item_status_tail": r"\s*【[^】]*】\s*$"}}
    bracketed = replace(default, name="bracketed_status", sections=sections)
    table = Table((40.0, 100.0, 540.0, 160.0), [["連携項目名", "取組実績"], ["デジタル化の推進【重点】", "研修会を3回開催"]],
                  [[(40.0, 100.0, 200.0, 120.0), (200.0, 100.0, 540.0, 120.0)],
                   [(40.0, 120.0, 200.0, 160.0), (200.0, 120.0, 540.0, 160.0)]])
    lines = [Line("連携項目名 取組実績", 44, 104, 300, 115), Line("デジタル化の推進【重点】 研修会を3回開催", 44, 134, 420, 145)]
    doc = Document("d", "x.pdf", "0" * 64, 1, [Page(1, 595, 842, "", lines, [table], True)])
    keys = lambda profile: [r["item_key"] for r in document_to_kpis(doc, R4, profile=profile).tables["kpis"]]  # noqa: E731
    assert keys(bracketed) == ["デジタル化の推進"]
    assert keys(default) == keys(None) == ["デジタル化の推進【重点】"]


def test_issue_12_an_item_title_wrapped_before_a_middle_dot_keys_its_row():
    # a spreadsheet wrapped the title at 連携 ⏎ ・強化: the ・ opens no bullet in a title
    table = Table((40.0, 100.0, 540.0, 160.0),
                  [["連携項目名(提案市町村)", "WG開催状況"], ["防災・危機管理体制の連携\n・強化 (富山市、高岡市)", "7/21 5市、8/24 10市町村"]],
                  [[(40.0, 100.0, 200.0, 120.0), (200.0, 100.0, 540.0, 120.0)],
                   [(40.0, 120.0, 200.0, 160.0), (200.0, 120.0, 540.0, 160.0)]])
    lines = [Line("連携項目名(提案市町村) WG開催状況", 44, 104, 300, 115), Line("防災・危機管理体制の連携 7/21 5市、8/24 10市町村", 44, 124, 420, 135),
             Line("・強化 (富山市、高岡市)", 44, 137, 160, 148)]
    doc = Document("d", "x.pdf", "0" * 64, 1, [Page(1, 595, 842, "", lines, [table], True)])
    rows = document_to_kpis(doc, R4).tables["kpis"]
    assert [(r["value"], r["unit"], r["item_key"]) for r in rows] == [
        (5, "市", "防災・危機管理体制の連携・強化"), (10, "市町村", "防災・危機管理体制の連携・強化")]


def test_issue_12_a_scanned_line_made_tall_by_its_brackets_is_no_heading():
    # a scanned line's box is its words' boxes: the brackets of (県・15市町村) make it 1.4
    # times the usual height, which on a text layer would mark a heading in a larger type
    # (text, box height, width of a character); the heading is set in a larger type
    texts = [("概要", 9.4, 10), ("ICTに関する職員研修の開催(県・15市町村)", 14.2, 10), ("開催日 テーマ", 8.4, 10),
             ("6月10日 情報システムの標準化", 9.8, 10), ("10月14日 安全管理措置", 10.1, 10),
             ("R4.1.1時点41.7% (全国10位)", 15.6, 10), ("【主な成果】3市で実証", 17.0, 17)]
    lines, top = [], 70.0
    for text, height, pitch in texts:
        lines.append(Line(text, 40, top, 40 + pitch * len(text), top + height))
        top += height + 8

    def page(source: str) -> Page:
        return Page(12, 595, 842, "\n".join(t for t, _, _ in texts), lines, [], False, source=source)

    # a box 1.66 times the usual (brackets and ％ reach above and below the type) of characters
    # as wide as the others' is running text; a line of wider characters is a heading
    assert parse_kpis.page_to_paragraphs(page("ocr")) == [
        "概要", "ICTに関する職員研修の開催(県・15市町村)", "開催日 テーマ", "6月10日 情報システムの標準化",
        "10月14日 安全管理措置", "R4.1.1時点41.7% (全国10位)"]
    assert "ICTに関する職員研修の開催(県・15市町村)" not in parse_kpis.page_to_paragraphs(page("text"))


def test_issue_12_a_count_after_a_date_glued_to_words_is_dated_by_that_date():
    # a scan runs the words together: 4/26防災担当課長会議7/21 5市 (the text layer spaces them)
    for text in ("2/19、4/26 防災担当課長会議 7/21 5市、8/24 10市町村", "2/19、4/26防災担当課長会議7/21 5市、8/24 10市町村"):
        unit = parse_kpis.TextUnit(text=text, page=4)
        rows = parse_kpis.unit_to_kpis(unit, R3, "富山県")
        assert [(r["value"], r["unit"], r["as_of"], r["as_of_text"]) for r in rows] == [
            (5.0, "市", date(2021, 7, 21), "7/21"), (10.0, "市町村", date(2021, 8, 24), "8/24")]


def test_issue_12_an_as_of_date_glued_to_a_misread_arrow_still_dates_the_figure_after_it():
    # the 1-bit r3 scan of seed 2468 reads ⇒ as マ: (全国27位)マR4. 1. 1時点41.7%
    text = "(R3. 1. 1時点22.7% (全国27位)マR4. 1. 1時点41.7% (全国10位))"
    assert parse_kpis._date_before(text, text.rfind("時点")) == "R4. 1. 1"
    assert parse_kpis._date_before(text, text.find("時点")) == "R3. 1. 1"
    assert parse_kpis._date_before("調査員数は時点", 5) is None
    # ... or an opening bracket as a kanji (the gray r3 scan of seed 3141)
    assert parse_kpis._date_before("人1月7日現在、34社727人", 5) == "1月7日"


def test_issue_12_a_marker_whose_date_was_lost_does_not_take_the_date_before_it():
    # the 1-bit r4 scan of seed 8181 drops ⇒ R4.12 of (全国10位) ⇒ R4.12末時点59.1%: 59.1% is
    # not of R4.1.1
    for text, second in (("R4.1.1時点41.7% (全国10位) 末時点59.1% (全国10位)", None),
                         ("R4.1.1時点41.7% (全国10位) ⇒ R4.12末時点59.1% (全国10位)", date(2022, 12, 31))):
        rows = parse_kpis.unit_to_kpis(parse_kpis.TextUnit(text=text, page=11), R4, "富山県")
        assert [(r["value"], r["as_of"]) for r in rows] == [(41.7, date(2022, 1, 1)), (59.1, second)]


def test_issue_12_a_word_processors_points_wrap_under_their_text_above_a_table_of_small_type():
    # an office rendition: numbered points in 10.5 pt whose second line starts under the text
    # after the mark (hanging indent), above a table in 7 pt that holds most of the page's lines
    lines = [Line("国は以下の前倒しに必要なワクチンを自治体に供給する。", 57, 105, 330, 115.5),
             Line("①a) 本年1月から、医療従事者等（約600万人）、b) 高齢者施設等入所者等（約900万人）の接種", 62, 118, 535, 128.5),
             Line("間隔を2カ月前倒し", 74, 131, 168, 141.5),
             Line("③c) 本年3月から、その他高齢者の接種間隔を更に1カ月前倒し、d) 一般・職域（約5,500万", 80, 158, 527, 168.5),
             Line("人）も1カ月前倒し", 91, 171, 186, 181.5)]
    lines += [Line(f"← {k}か月前倒し可", 300, 230 + 20 * k, 380, 237 + 20 * k) for k in range(1, 9)]
    table = Table((56, 214, 538, 406), [["医療従事者等", f"← {k}か月前倒し可"] for k in range(1, 9)])
    page = Page(25, 595, 842, "", lines, [table], True)
    assert parse_kpis.page_to_paragraphs(page) == [
        "国は以下の前倒しに必要なワクチンを自治体に供給する。",
        "①a) 本年1月から、医療従事者等（約600万人）、b) 高齢者施設等入所者等（約900万人）の接種間隔を2カ月前倒し",
        "③c) 本年3月から、その他高齢者の接種間隔を更に1カ月前倒し、d) 一般・職域（約5,500万人）も1カ月前倒し"]
    # a line that is no point's first does not take a deeper line as its own
    plain = Page(1, 595, 842, "", [Line("国は以下の前倒しに必要なワクチンを自治体に供給するとともに、市町村の接種", 57, 100, 535, 110.5),
                                   Line("体制を支援する", 74, 113, 160, 123.5)], [], True)
    assert len(parse_kpis.page_to_paragraphs(plain)) == 2


def test_issue_12_a_comma_hung_past_the_margin_does_not_move_it():
    # word processors hang a line's closing 、 or 。 outside the right margin (ぶら下げ): the
    # margin is where the other lines end, so 1,800 ⏎ 万人分 is one figure
    lines = [Line("ワクチンについては、1月・2月に山場を迎える3,100万人を対象とする3回目接種の前倒しについて、", 56.8, 100, 547.9, 110.5),
             Line("各都道府県における大規模接種会場の設置や、接種場所のさらなる確保などを通じて、ペースアップ", 56.8, 115, 529.3, 125.5),
             Line("を要請いたします。さらに3月以降は、今般追加確保したモデルナ1,800", 56.8, 130, 528.6, 140.5),
             Line("万人分を活用して、一般分についても前倒しをいたします。", 56.8, 145, 340.3, 155.5)]
    page = Page(26, 595, 842, "", lines, [], True)
    (para,) = parse_kpis.page_to_paragraphs(page)
    assert "モデルナ1,800万人分を活用して" in para
    doc = Document("d", "x.pdf", "0" * 64, 1, [page])
    rows = document_to_kpis(doc, R4).tables["kpis"]
    assert (18_000_000, "人分") in [(r["value"], r["unit"]) for r in rows]
