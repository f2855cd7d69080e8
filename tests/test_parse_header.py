"""The generic header reader on small IR fixtures (tests/fixtures/ir/header_*.json).

Each fixture holds the top lines of one sample record's (or packet's) first page, as
extraction wrote them (Kangxi code points, full-width digits and all). Hand-built pages
cover the layouts the samples do not print. Regression tests are named after what broke.
"""
from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from pipeline.ir import Document, Line, Page, Table, json_to_document
from pipeline.outline import document_to_outline
from pipeline.parse_header import (
    header_parser,
    profile_to_vocabulary,
    strip_leading_date,
    text_to_day,
    text_to_title,
    title_to_parts,
)
from pipeline.profile import get_profile, load_profiles
from pipeline.registry import parsers
from pipeline.rows import Context

IR = Path(__file__).resolve().parent / "fixtures" / "ir"
T = time


def fixture(name: str) -> Document:
    return json_to_document((IR / f"header_{name}.json").read_text(encoding="utf-8"))


def read(doc: Document, profile: str = "meeting_record"):
    prof = get_profile(profile)
    return header_parser(doc, Context(profile=prof, outline=document_to_outline(doc, prof)))


def fields(doc: Document, profile: str = "meeting_record") -> dict:
    return read(doc, profile).fields


def when(f: dict) -> tuple:
    return f.get("held_on"), f.get("starts_at"), f.get("ends_at"), f.get("venue")


def page_of(texts: list[str], x0: float = 57.0, tables: list[Table] | None = None) -> Document:
    lines = [Line(t, x0, 60 + 18 * i, x0 + 10 * len(t), 70 + 18 * i) for i, t in enumerate(texts)]
    return Document("d", "x.pdf", "0" * 64, 1, [Page(1, 595, 842, "\n".join(texts), lines, tables or [], True)])


# --- the sample records, one layout each -------------------------------------------------------

def test_venue_after_the_time_under_a_date_and_venue_label():
    # 開催日時及び場所 令和3年12月17日(金)午前10時00分~午前10時35分 第1委員会室
    f = fields(fixture("hachinohe_datetime_venue"))
    assert when(f) == (date(2021, 12, 17), T(10), T(10, 35), "第1委員会室")
    assert f["weekday_text"] == "金"


def test_repeated_title_before_record_suffix_takes_the_last_name():
    # 令和 3年12月 広域連携推進特別委員会 広域連携推進特別委員会記録
    f = fields(fixture("hachinohe_datetime_venue"))
    assert (f["title"], f["meeting_body"], f["fiscal_year"]) == ("広域連携推進特別委員会", "広域連携推進特別委員会", 2021)
    assert "session_no" not in f


def test_flattened_paragraph_labels_and_values_interleaved():
    # 開会 10時25分 1 開催日時 平成31年3月14日(木) 閉会 11時40分 2 開催場所 / 第四委員会室 3 出席した委員 …
    f = fields(fixture("shiga_flattened"))
    assert when(f) == (date(2019, 3, 14), T(10, 25), T(11, 40), "第四委員会室")
    assert (f["title"], f["weekday_text"], f["fiscal_year"]) == ("スポーツ振興対策特別委員会", "木", 2018)


def test_label_block_then_value_block_pairs_in_order():
    # 開催年月日 / 開催場所 / 合併協議会委員数 / 開 会 / 閉 会, then the five values
    f = fields(fixture("semboku_label_block"))
    assert when(f) == (date(2005, 3, 27), T(14), T(14, 44), "田沢湖町総合開発センター大集会室")
    assert (f["title"], f["meeting_body"], f["session_no"]) == (
        "第10回臨時田沢湖・角館・西木合併協議会", "田沢湖・角館・西木合併協議会", 10)


def test_title_after_the_date_on_an_unlabelled_line():
    # 令和6年(2024年)12月20日部局長会議 / 時間:午前09時30分~午前10時03分 / 場所:県庁特別会議室
    f = fields(fixture("nagano_title_after_date"))
    assert when(f) == (date(2024, 12, 20), T(9, 30), T(10, 3), "県庁特別会議室")
    assert f["title"] == "部局長会議"


def test_colon_after_label_is_not_part_of_the_venue():
    # 場所:県庁特別会議室 came out as ':県庁特別会議室' when the colon was left to the value
    assert fields(fixture("nagano_title_after_date"))["venue"] == "県庁特別会議室"
    assert fields(fixture("kita_two_labels_one_line"))["venue"] == "滝野川会館 303集会室"


def test_label_alone_on_its_line_and_pm_carried_to_the_end_time():
    # 1 日時 / 令和4年4月27日(水曜日) 午後7時~8時50分 / 2 場所 / …
    f = fields(fixture("komae_label_lines"))
    assert when(f) == (date(2022, 4, 27), T(19), T(20, 50), "狛江市防災センター402・403会議室(オンライン含む)")
    assert f["weekday_text"] == "水"


def test_no_title_is_invented_when_none_is_printed():
    assert "title" not in fields(fixture("komae_label_lines"))


def test_notice_title_before_no_kaisai_ni_tsuite_and_venue_without_its_address():
    f = fields(fixture("chugoku_notice"))
    assert when(f) == (date(2022, 5, 18), T(12, 30), T(16, 20), "ホテル一畑 2階 平安の間")
    assert f["title"] == "中国地方知事会令和4年度第1回知事会議及び令和4年度第1回中国地域発展推進会議"
    assert (f["fiscal_year"], f["session_no"]) == (2022, 1)


def test_two_labels_on_one_line_and_an_open_ended_time():
    # 日 時:平成20年11月14日(金)午後7時00分∼ 場 所:滝野川会館 303集会室 (∼ is U+223C)
    f = fields(fixture("kita_two_labels_one_line"))
    assert when(f) == (date(2008, 11, 14), T(19), None, "滝野川会館 303集会室")
    assert (f["title"], f["meeting_body"], f["session_no"]) == ("第2回北区男女共同参画審議会", "北区男女共同参画審議会", 2)


def test_program_steps_named_like_time_labels_give_no_time():
    # 1 開 会 / 2 審 議 / 3 閉 会 are steps of the program: no 閉会 time may come from them
    assert fields(fixture("kita_two_labels_one_line"))["starts_at"] == T(19)
    assert "ends_at" not in fields(fixture("kita_two_labels_one_line"))


def test_title_line_with_a_leading_dash_and_label_lines():
    f = fields(fixture("mhlw_label_lines"))
    assert when(f) == (date(2024, 9, 17), T(13, 30), T(15, 30), "厚生労働省共用第9会議室(オンライン併用)")
    assert (f["title"], f["session_no"]) == ("第33回技能検定職種の統廃合等に関する検討会", 33)


def test_unlabelled_date_past_a_year_and_a_month_and_time_on_the_next_line():
    # 平成29年全員協議会( 7月24日) 平成29年7月 全員協議会会議録 平成29年7月24日(月曜日)
    # 午前9時58分から 午前10時33分まで 〇出席議員(17名) …
    f = fields(fixture("inuyama_unlabeled"))
    assert when(f) == (date(2017, 7, 24), T(9, 58), T(10, 33), None)
    assert (f["title"], f["weekday_text"]) == ("全員協議会", "月")


def test_full_width_digits_and_colon():
    # 令和５年６月６日（火）８：４５～８：５５
    f = fields(fixture("digital_fullwidth"))
    assert when(f) == (date(2023, 6, 6), T(8, 45), T(8, 55), "総理大臣官邸2階大ホール")
    assert (f["title"], f["meeting_body"], f["session_no"]) == ("第4回デジタル社会推進会議", "デジタル社会推進会議", 4)


# --- the series, read by the same reader --------------------------------------------------------

def test_series_centered_title_on_three_lines_and_unlabelled_date_time_venue():
    # 令和3年度第4回 / 「ワンチームとやま」連携推進本部会議 / 次 第 (centered), then date, time, venue
    f = fields(fixture("series_plain_unlabeled"), "renkei_packet")
    assert when(f) == (date(2022, 1, 20), T(15), T(16, 30), "県民会館8階バンケットホール")
    assert (f["title"], f["meeting_body"], f["fiscal_year"], f["session_no"], f["weekday_text"]) == (
        "令和3年度第4回「ワンチームとやま」連携推進本部会議", "「ワンチームとやま」連携推進本部会議", 2021, 4, "木")


def test_series_title_set_on_two_centered_lines():
    f = fields(fixture("series_two_line_title"), "renkei_packet")
    assert when(f) == (date(2023, 1, 19), T(15), T(16, 30), "県民会館8階バンケットホール")
    assert (f["title"], f["fiscal_year"], f["session_no"]) == ("令和4年度第4回「ワンチームとやま」連携推進本部会議", 2022, 4)


def test_title_ending_in_honbu_kaigi_is_not_cut_before_kaigi_shidai():
    # 連携推進本部会議次第 read as 連携推進本部 + 会議次第 while 本部 was a body suffix
    f = fields(page_of(["「ワンチームとやま」 連携推進本部会議次第", "日 時：令和4年1月20日（木）"]), "renkei_packet")
    assert f["meeting_body"] == "「ワンチームとやま」連携推進本部会議"


def test_kaigiroku_suffix_glued_to_a_kaigi_name_keeps_the_kaigi():
    assert fields(page_of(["部局長会議録", "日時 令和5年6月20日(火) 9:30～10:00"]))["title"] == "部局長会議"


# --- layouts the samples do not print ----------------------------------------------------------

def test_times_printed_before_their_kaikai_and_heikai_words():
    f = fields(page_of(["総務委員会記録", "1 開催日時 令和5年6月20日(火) 午前10時00分 開会", "午前11時30分 閉会",
                        "2 開催場所 第1委員会室"]))
    assert when(f) == (date(2023, 6, 20), T(10), T(11, 30), "第1委員会室")


def test_kaikai_glued_to_its_time_on_one_line():
    f = fields(page_of(["総務委員会会議録", "日時 令和5年6月20日(火) 午前10時00分開会 午前11時30分閉会"]))
    assert (f["starts_at"], f["ends_at"]) == (T(10), T(11, 30))


def test_ji_shi_range_on_two_lines():
    f = fields(page_of(["合併協議会会議録", "開催日時 令和5年6月20日", "自 午後2時00分", "至 午後3時30分", "開催場所 中央公民館"]))
    assert when(f) == (date(2023, 6, 20), T(14), T(15, 30), "中央公民館")


def test_kanji_numerals_and_kaigi_sankai():
    f = fields(page_of(["平成十八年第一回定例会会議録", "平成十八年二月十五日（水曜日）", "開議 午前十時", "散会 午後二時十五分"]))
    assert (f["held_on"], f["starts_at"], f["ends_at"], f["weekday_text"]) == (date(2006, 2, 15), T(10), T(14, 15), "水")
    assert (f["title"], f["session_no"]) == ("平成十八年第一回定例会", 1)


def test_venue_after_the_o_mark():
    f = fields(page_of(["第1回景観懇話会 次第", "令和5年6月20日(火)午後2時", "於 市民会館大ホール", "1 開会"]))
    assert when(f) == (date(2023, 6, 20), T(14), None, "市民会館大ホール")


def test_title_under_a_kaigimei_label():
    f = fields(page_of(["会議録", "会議名 第3回都市計画審議会", "開催日時 令和5年6月20日（火）午後2時から午後4時まで",
                        "開催場所 市役所 第1会議室"]))
    assert (f["title"], f["meeting_body"], f["session_no"]) == ("第3回都市計画審議会", "都市計画審議会", 3)
    assert when(f) == (date(2023, 6, 20), T(14), T(16), "市役所 第1会議室")


def test_bracketed_session_after_the_name_leaves_the_body():
    f = fields(page_of(["都市計画審議会（第3回）議事録", "日時：R5.6.20（火）14:00～16:00", "場所：市役所301会議室"]))
    assert (f["title"], f["meeting_body"], f["session_no"]) == ("都市計画審議会（第3回）", "都市計画審議会", 3)
    assert (f["held_on"], f["weekday_text"]) == (date(2023, 6, 20), "火")


def test_box_drawing_table_in_the_text():
    f = fields(page_of(["環境審議会 議事録", "┏━━━┳━━━━━━━━━━━━━┓", "┃日 時┃令和5年6月20日（火）午後2時～4時┃",
                        "┣━━━╋━━━━━━━━━━━━━┫", "┃場 所┃市役所第1会議室┃", "┗━━━┻━━━━━━━━━━━━━┛"]))
    assert when(f) == (date(2023, 6, 20), T(14), T(16), "市役所第1会議室")


def test_ruled_table_read_by_its_cells_not_its_interleaved_lines():
    # the label is centered beside a value of two lines: the page's lines interleave them
    texts = ["環境審議会 議事録", "令和5年6月20日（火）", "日時", "午後2時～4時", "市役所", "場所", "第1会議室"]
    lines = [Line(t, 150 if i % 3 != 2 else 60, 60 + 9 * i, 300, 68 + 9 * i) for i, t in enumerate(texts)]
    lines[0] = Line(texts[0], 57, 40, 200, 50)
    table = Table((55, 60, 400, 130), [["日時", "令和5年6月20日（火）\n午後2時～4時"], ["場所", "市役所\n第1会議室"]],
                  [[(55, 60, 140, 95), (140, 60, 400, 95)], [(55, 95, 140, 130), (140, 95, 400, 130)]])
    doc = Document("d", "x.pdf", "0" * 64, 1, [Page(1, 595, 842, "\n".join(texts), lines, [table], True)])
    assert when(fields(doc)) == (date(2023, 6, 20), T(14), T(16), "市役所第1会議室")


def test_basho_inside_an_agenda_item_is_not_a_venue():
    f = fields(page_of(["文教委員会会議録", "日時 令和5年6月20日 午前10時", "議題 (1) 開催場所について", "(2) その他"]))
    assert "venue" not in f and f["starts_at"] == T(10)


def test_a_date_label_without_a_readable_date_is_a_warning():
    res = read(page_of(["文教委員会会議録", "日時 未定", "場所 第1委員会室"]))
    assert [w.message for w in res.warnings] == ["日時 without a readable date: '未定'"]
    assert "held_on" not in res.fields and res.fields["venue"] == "第1委員会室"


# --- the held-out records (tests/fixtures/other_bodies_extra), one cause each ---------------------

def test_closing_line_on_a_later_page_is_the_end_time():
    # page 1 prints only 午前10時開議 under 議事日程; 午後２時47分 散会 is the record's last line, on page 2
    f = fields(fixture("closing_line_on_a_later_page"))
    assert (f["held_on"], f["starts_at"], f["ends_at"]) == (date(2024, 9, 10), T(10), T(14, 47))


def test_a_heading_under_the_date_is_no_unlabelled_venue():
    # 令和６年９月10日（火曜日） / 議事日程（第２号）: no venue is printed, and a heading is none
    assert "venue" not in fields(fixture("closing_line_on_a_later_page"))
    for heading in ("議事日程（第２号）", "本会議 会議録", "議事日程第3号", "本日の会議に付した事件"):
        assert "venue" not in fields(page_of(["第3回定例会会議録", "令和5年6月20日（火）", heading, "出席議員（２２名）"]))
    # a place still reads (第1号館 is a building, not a document's number)
    f = fields(page_of(["第3回定例会会議録", "令和5年6月20日（火）", "市役所第1号館 第1会議室", "出席議員"]))
    assert f["venue"] == "市役所第1号館 第1会議室"


def test_closing_lines_in_brackets_and_the_header_s_own_end_wins():
    doc = page_of(["文教厚生委員会記録", "開会日時 令和6年12月9日（月） 午前10時03分", "場所 第5委員会室",
                   "（休憩 午前11時52分）", "（再開 午後１時00分）", "（午後２時18分閉会）"])
    assert when(fields(doc)) == (date(2024, 12, 9), T(10, 3), T(14, 18), "第5委員会室")
    doc = page_of(["会議録", "開催日 令和5年6月20日", "場所 第1委員会室", "開会（午前10時）", "閉会（午後３時）"])
    assert when(fields(doc)) == (date(2023, 6, 20), T(10), T(15), "第1委員会室")
    doc = page_of(["文教委員会会議録", "日時 令和5年6月20日 午前10時～正午", "場所 第1委員会室", "午後３時 散会"])
    assert when(fields(doc))[2] == T(12)  # the header prints the end: a later line does not replace it
    doc = page_of(["定例会会議録（第3号）", "令和5年6月20日（火曜日）", "出席議員", "午後4時12分 延会"])
    assert when(fields(doc)) == (date(2023, 6, 20), None, T(16, 12), None)
    doc = page_of(["文教委員会会議録", "日時 令和5年6月20日 午後2時", "本日はこれにて散会いたします。"])
    assert "ends_at" not in fields(doc)  # a sentence with 散会 holds no time


def test_bracketed_session_after_a_body_on_a_centered_second_line():
    doc = page_of(["里親等審査部会", "（令和5年度第3回）会議録", "日時 令和5年8月29日（火）午後1時30分"])
    lines = doc.pages[0].lines
    lines[:2] = [Line(lines[0].text, 220, 60, 380, 70), Line(lines[1].text, 230, 78, 370, 88)]  # centered
    f = fields(doc)
    assert (f["title"], f["meeting_body"], f["fiscal_year"], f["session_no"]) == (
        "里親等審査部会（令和5年度第3回）", "里親等審査部会", 2023, 3)
    f = fields(page_of(["令和5年度第3回岬町景観審議会の開催結果について", "1 開催日時 令和6年1月25日（木曜日）午前10時"]))
    assert (f["title"], f["meeting_body"]) == ("令和5年度第3回岬町景観審議会", "岬町景観審議会")


def test_shoshu_labels_give_the_date_and_the_venue():
    # 一　招集年月日　平成二十九年十月三日（火曜日） / 一　招集場所　楓町役場第二庁舎　教育委員会室
    f = fields(fixture("shoshu_labels"))
    assert when(f) == (date(2017, 10, 3), T(14), T(15, 45), "楓町役場第二庁舎 教育委員会室")
    f = fields(page_of(["臨時会会議録", "招集日時 令和5年6月20日（火）午前10時", "招集場所 議場"]))
    assert when(f) == (date(2023, 6, 20), T(10), None, "議場")


# --- the pure steps ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, want", [
    ("平成29年全員協議会( 7月24日) 平成29年7月 全員協議会会議録 平成29年7月24日(月曜日)", (date(2017, 7, 24), "月")),
    ("令和6年(2024年)12⽉20⽇部局⻑会議", (date(2024, 12, 20), None)),
    ("R5.6.20（火）10:00", (date(2023, 6, 20), "火")),
    ("平成十八年二月十五日（水）", (date(2006, 2, 15), "水")),
    ("令和 3年12⽉ 広域連携推進特別委員会-12⽉17⽇-01号", None),
])
def test_text_to_day(text, want):
    assert text_to_day(text) == want


@pytest.mark.parametrize("text, want", [
    ("平成31年 3月14日スポーツ振興対策特別委員会", "スポーツ振興対策特別委員会"),
    ("令和 3年12月 広域連携推進特別委員会", "広域連携推進特別委員会"),
    ("令和5年第2回定例会", "令和5年第2回定例会"),
    ("令和3年度第4回「ワンチームとやま」連携推進本部会議", "令和3年度第4回「ワンチームとやま」連携推進本部会議"),
])
def test_strip_leading_date(text, want):
    assert strip_leading_date(text) == want


def test_text_to_title_walks_back_over_parts_that_are_no_name():
    vocab = profile_to_vocabulary(get_profile("meeting_record"))
    assert text_to_title("令和3年度 第4回 景観審議会", vocab) == "令和3年度第4回景観審議会"
    assert text_to_title("- 第33回技能検定職種の統廃合等に関する検討会", vocab) == "第33回技能検定職種の統廃合等に関する検討会"


def test_title_to_parts():
    vocab = profile_to_vocabulary(get_profile("meeting_record"))
    assert title_to_parts("令和3年度第十回臨時広域連合協議会", vocab) == {
        "fiscal_year": 2021, "session_no": 10, "meeting_body": "広域連合協議会"}


def test_every_profile_reads_its_header_with_this_reader():
    spec = parsers()["header"]
    assert (spec.phase, spec.tables, spec.func) == ("header", (), header_parser)
    for prof in load_profiles().values():
        assert "header" in prof.parsers, prof.name


# --- an OCR'd cover's body name against its other printings ------------------------------------

def packet_of(cover: list[str], others: list[list[str]], source: str = "ocr") -> Document:
    """A packet whose first page is a cover read by ``source`` and whose later pages print
    ``others`` (a text layer)."""
    pages = []
    for n, texts in enumerate([cover, *others], 1):
        lines = [Line(t, 57.0, 60 + 18 * i, 57.0 + 10 * len(t), 70 + 18 * i) for i, t in enumerate(texts)]
        pages.append(Page(n, 595, 842, "\n".join(texts), lines, [], n > 1 or source == "text",
                          source=source if n == 1 else "text"))
    return Document("d", "x.pdf", "0" * 64, len(pages), pages)


COVER = ["「ウひとつの県」連携推進本部会議 次第", "日 時：令和6年1月18日（木）", "午後3時～4時", "場 所：県庁大会議室",
         "1 開 会", "2 閉 会"]
OTHERS = [["令和5年度第2回「ひとつの県」連携推進本部会議 配席図"],
          ["資料1 令和6年度「ひとつの県」連携推進本部会議の予定", "「ひとつの県」連携推進本部会議 出席者名簿"]]


def test_ocr_cover_body_misread_is_the_name_printed_on_more_lines():
    res = read(packet_of(COVER, OTHERS), "renkei_packet")
    f = res.fields
    # the cover's ウ is a misread: three other lines print the name without it, one with
    # the year and the session, which the title then takes
    assert f["meeting_body"] == "「ひとつの県」連携推進本部会議"
    assert f["title"] == "令和5年度第2回「ひとつの県」連携推進本部会議"
    assert (f["fiscal_year"], f["session_no"], f["held_on"]) == (2023, 2, date(2024, 1, 18))
    assert [w.message for w in res.warnings] == [
        "the cover's body name read as '「ウひとつの県」連携推進本部会議' is '「ひとつの県」連携推進本部会議', "
        "as printed on 3 lines"]


def test_ocr_cover_body_speck_at_its_edge_is_dropped_not_replaced_by_a_neighbour():
    # 『「ひとつ… is as near to 度「ひとつ… (年度「ひとつ…) as to 「ひとつ…: the shorter is the name
    cover = ["『「ひとつの県」連携推進本部会議 次第", *COVER[1:]]
    assert fields(packet_of(cover, OTHERS), "renkei_packet")["meeting_body"] == "「ひとつの県」連携推進本部会議"


def test_text_layer_cover_body_and_a_lone_other_printing_are_kept():
    # a text layer is what the body printed; an OCR'd cover outvoted by no other line stays
    assert fields(packet_of(COVER, OTHERS, source="text"), "renkei_packet")["meeting_body"] == \
        "「ウひとつの県」連携推進本部会議"
    assert fields(packet_of(COVER, [OTHERS[0]]), "renkei_packet")["meeting_body"] == "「ウひとつの県」連携推進本部会議"


def test_ocr_title_on_two_centered_lines_ending_in_a_bracket():
    # OCR boxes hold the ink: the closing 」 ends half an em (20 pt) short of its em box, so
    # the first line's center is 5 pt left of the second's; a text layer's would match
    texts = [("令和5年度第2回「ひとつの県」", 161.0, 415.0, 20.0), ("連携推進本部会議 次第", 216.0, 380.0, 20.0),
             ("日 時：令和6年1月18日（木）", 298.0, 438.0, 12.0)]
    lines, top = [], 70.0
    for t, x0, x1, h in texts:
        lines.append(Line(t, x0, top, x1, top + h))
        top += h + 20
    for source, title in (("ocr", "令和5年度第2回「ひとつの県」連携推進本部会議"), ("text", "連携推進本部会議")):
        page = Page(1, 595, 842, "\n".join(t for t, *_ in texts), lines, [], source == "text", source=source)
        f = fields(Document("d", "x.pdf", "0" * 64, 1, [page]), "renkei_packet")
        assert f["title"] == title


def test_issue_12_a_speck_read_as_a_mark_between_the_spaced_kanji_of_a_label():
    # the cover of the gray r3 scan of seed 8080 reads 場 所： as 場:所: (a dust speck in the gap)
    doc = page_of(["「ワンチームとやま」連携推進本部会議次第", "日時:令和4年1月20日(木)", "午後3時～4時30分",
                   "場:所:県民会館8階バンケットホール"])
    assert when(fields(doc, "renkei_packet")) == (date(2022, 1, 20), T(15), T(16, 30), "県民会館8階バンケットホール")


def test_issue_12_a_labels_colon_read_as_a_period_or_a_quote():
    # an independent 1-bit scan of the r4 cover: 日時"令和5年1月19日(木), 場所.県民会館…
    doc = page_of(["連携推進本部会議次第", '日時"令和5年1月19日(木)', "15時～16時30分", "場所.県民会館8階バンケットホール"])
    assert when(fields(doc, "renkei_packet")) == (date(2023, 1, 19), T(15), T(16, 30), "県民会館8階バンケットホール")
