"""The attendees parser on small IR fixtures (tests/fixtures/ir/attendees_*.json).

Each fixture holds the few lines of one layout, cut from the IR of a real record
(../shared/fixtures/other_bodies) or packet; the inline cases at the end build the IR
of layouts seen in other bodies' records line by line. One regression test per hard
case, named after what broke.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ir import Document, Line, Page, Table, json_to_document
from pipeline.outline import document_to_outline
from pipeline.parse_attendees import document_to_attendees, looks_like_a_name
from pipeline.parse_attendees_text import (glued_to_pairs, line_to_tokens, profile_to_vocabulary,
                                           split_post_prefix)
from pipeline.profile import Profile, ProfileError, get_profile
from pipeline.registry import parsers
from pipeline.rows import Context

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ir"
RECORD = "meeting_record"


def parse(doc: Document, profile: str | Profile = RECORD):
    prof = get_profile(profile) if isinstance(profile, str) else profile
    return document_to_attendees(doc, Context(profile=prof, outline=document_to_outline(doc, prof)))


def rows_of(name: str, profile: str = RECORD) -> list[dict]:
    doc = json_to_document((FIXTURES / f"attendees_{name}.json").read_text(encoding="utf-8"))
    return parse(doc, profile).tables.get("attendees", [])


def pairs(rows: list[dict]) -> list[tuple[str | None, str]]:
    return [(r["post"], r["name"]) for r in rows if not r["absent"]]


def text_doc(*lines: str, x1: float | None = None) -> Document:
    """A one-page record of the given lines, each as wide as its text (10.5 pt a character)."""
    out, top = [], 60.0
    for text in lines:
        out.append(Line(text, 57.0, top, x1 or min(57.0 + 10.5 * len(text), 538.0), top + 10.5))
        top += 16.5
    page = Page(1, 594.96, 841.92, "\n".join(ln.text for ln in out), out, [], True)
    return Document("t", "t.pdf", "0" * 64, 1, [page])


def text_pairs(*lines: str) -> list[tuple[str | None, str]]:
    return pairs(parse(text_doc(*lines)).tables.get("attendees", []))


# --- the sample records ------------------------------------------------------------------------

def test_ditto_mark_takes_the_post_above():
    rows = rows_of("ditto_spread")
    assert pairs(rows)[:8] == [("委員長", "岡田 英"), ("副委員長", "山之内 悠"), ("委員", "田端 文明"),
                               ("委員", "上条 幸哉"), ("委員", "豊田 美好"), ("委員", "山名 文世"),
                               ("委員", "坂本 美洋"), ("委員", "五戸 定博")]


def test_spread_names_keep_a_multi_character_half_whole():
    rows = rows_of("ditto_spread")
    got = {r["name_text"]: (r["family_name"], r["given_name"]) for r in rows}
    assert got["山之内 悠"] == ("山之内", "悠")
    assert got["槻ノ木沢 昌 敏"] == ("槻ノ木沢", "昌敏")
    assert got["岡 田 英"] == ("岡田", "英")


def test_heading_count_is_the_sides_stated_count_and_nashi_lists_no_one():
    rows = rows_of("ditto_spread")
    assert {r["side"]: r["side_stated_count"] for r in rows} == {"出席委員": 8, "出席理事者": None,
                                                                  "出席事務局職員": None}
    assert sum(r["side"] == "出席委員" for r in rows) == 8
    assert not any(r["absent"] for r in rows)  # 欠席委員(なし), 委員外議員(なし)


def test_several_post_name_pairs_on_one_line_and_a_long_post():
    assert pairs(rows_of("ditto_spread"))[8:] == [("総合政策部長", "中村 行宏"),
                                                  ("総合政策部次長政策推進課長", "岩瀧 大介"),
                                                  ("主幹", "槻ノ木沢 昌敏")]


def test_names_glued_to_posts_with_separators_missing():
    rows = rows_of("running_glued")
    assert pairs(rows)[:10] == [("委員長", "角田"), ("副委員長", "粉川"), ("委員", "藤井"), ("委員", "井阪"),
                                ("委員", "有村"), ("委員", "岩佐"), ("委員", "奥村"), ("委員", "野田"),
                                ("委員", "九里"), ("委員", "柴田")]
    assert rows[5]["family_name"] == "岩佐" and rows[5]["given_name"] == ""  # 岩佐委|員 wrapped mid-post


def test_numbered_points_open_and_close_lists_and_related_staff_is_no_one():
    rows = rows_of("running_glued")
    assert [(r["side"], r["post"], r["name"]) for r in rows[10:]] == [
        ("出席した説明員", "県民生活部長", "浅見"),  # …浅見県民生活部長および関係職員
        ("事務局職員", "副主幹", "小森"), ("事務局職員", "主査", "林"), ("事務局職員", "主事", "小橋")]
    # 6 会議に付した事件 別紙次第書のとおり … is no list


def test_row_of_names_across_a_column_is_cut_by_the_dictionary():
    got = pairs(rows_of("name_grid"))
    assert got[:9] == [("会長", "佐藤 清雄"), ("副会長", "石黒 直次"), ("副会長", "田代 千代志"),
                       ("委員", "高橋 正男"), ("委員", "千葉 勇"), ("委員", "田口 喜義"), ("委員", "信田 幸雄"),
                       ("委員", "稲田 修"), ("委員", "堀川 光博")]
    assert ("委員", "小林 一雄") in got and ("委員", "藤原 万正") in got and ("委員", "雲雀 俊作") in got


def test_post_line_heads_the_names_below_it_across_groups():
    rows = rows_of("name_grid")
    present = [r for r in rows if not r["absent"]]
    assert len(present) == 26 and [r["post"] for r in present[3:]] == ["委員"] * 23
    assert {r["side_stated_count"] for r in present} == {26}  # 以上26名 closes the 出席者 list


def test_absent_heading_keeps_its_rows_with_absent_true():
    absent = [(r["side"], r["name"], r["side_stated_count"]) for r in rows_of("name_grid") if r["absent"]]
    assert absent == [("欠席者", "武藤 昭男", 1)]  # …協議会欠席者 武 藤 昭 男 1名
    seats = [r for r in rows_of("seats") if r["absent"]]
    assert [(r["side"], r["post"], r["name"], r["side_stated_count"]) for r in seats] == [
        ("欠席議員", "議員", "大沢 秀教", 3), ("欠席議員", "議員", "矢幡 秀則", 3), ("欠席議員", "議員", "水野 正光", 3)]


def test_end_heading_stops_the_list_before_the_agenda():
    names = [r["name"] for r in rows_of("name_grid")]
    assert names[-1] == "武藤 昭男"  # 会 議 次 第, 1.開 会 …


def test_family_name_wrapped_away_from_its_post():
    got = pairs(rows_of("glued_wrapped"))
    assert len(got) == 31
    assert ("佐久地域振興局長", "原") in got  # …、原 | 佐久地域振興局長、
    assert ("危機管理監兼危機管理部長", "前沢") in got  # 前沢危機管理監兼危機管 | 理部長
    assert ("会計管理者兼会計局長", "尾島") in got
    assert ("上伊那地域振興局長", "布山") in got  # a surname the dictionary lacks, read as one word
    assert ("副知事", "関") in got and ("行政経営推進担当参事", "村井") in got


def test_label_headings_with_a_colon_and_a_trailing_count():
    rows = rows_of("labels_colon")
    assert [r["name"] for r in rows if r["side"] == "委員"][-1] == "若山 拓也"
    assert {r["side_stated_count"] for r in rows if r["side"] == "委員"} == {14}
    assert sum(r["side"] == "委員" and r["post"] == "委員" for r in rows) == 14
    assert [(r["post"], r["name"]) for r in rows if r["side"] == "事務局"] == [
        ("政策室長", "冨田 泰"), ("政策室市民協働推進担当", "馬場 麻衣子"),
        ("政策室市民協働推進担当", "池田 直子"), ("政策室市民協働推進担当", "髙橋 健太朗")]


def test_a_run_of_names_before_a_count_is_no_side_header():
    # …箕輪明久、若山拓也(14名) once read as a side called by the six names, losing them
    rows = rows_of("labels_colon")
    assert len(rows) == 18 and {r["side"] for r in rows} == {"委員", "事務局"}


def test_audience_count_and_materials_list_name_no_one():
    names = [r["name"] for r in rows_of("labels_colon")]
    assert not any("資料" in n or "傍聴" in n for n in names)  # 傍聴者:1名, 4 欠席者 なし, 5 配布資料


def test_list_runs_on_to_the_next_page_and_readings_are_dropped():
    rows = rows_of("next_page_readings")
    assert pairs(rows) == [("鳥取県知事", "平井 伸治"), ("島根県知事", "丸山 達也"), ("岡山県知事", "伊原木 隆太"),
                           ("広島県知事", "湯崎 英彦"), ("山口県知事", "村岡 嗣政")]
    assert {r["page"] for r in rows} == {2}  # heading on page 1, names on page 2; 4 第1回… ends it


def test_spaced_heading_and_a_post_wrapped_mid_word():
    got = pairs(rows_of("spaced_heading_glued"))
    assert got[0] == ("会長", "白井") and got[1] == ("副会長", "宮城")
    assert ("委員", "眞庭") in got  # 眞庭委 | 員
    assert got[-1] == ("男女共同参画推進課長", "岡田")
    assert len(got) == 17


def test_affiliation_in_brackets_is_the_post_of_a_sankasha():
    got = pairs(rows_of("affiliation"))
    assert got[0] == ("山梨学院大学教授", "金子 勝一")
    assert got[-1] == ("法政大学教授", "筒井 美紀")
    assert len(got) == 7  # 議題 ends the list


def test_numbered_seats_take_the_post_of_their_heading():
    rows = [r for r in rows_of("seats") if r["side"] == "出席議員"]
    assert len(rows) == 17 and {r["post"] for r in rows} == {"議員"} and {r["side_stated_count"] for r in rows} == {17}
    assert [r["name"] for r in rows[:4]] == ["玉置 幸哉", "中村 貴文", "山田 拓司", "岡 覚"]


def test_names_wrapped_at_a_line_end_are_joined():
    got = pairs(rows_of("seats"))
    assert ("議員", "岡村 千里") in got  # 岡 村 千 | 里 君
    assert ("議員", "鈴木 伸太郎") in got  # 鈴 木 伸太 | 郎 君
    assert ("観光交流課長", "中村 浩三") in got  # 中 村 浩 | 三 君
    assert ("教育長", "滝 誠") in got  # 教育長 | 滝 誠 君: a wrap after a whole post is a space
    assert ("長寿社会課長", "長瀬 尚美") in got


def test_a_wrapped_name_has_the_box_of_each_of_its_lines():
    row = next(r for r in rows_of("seats") if r["name"] == "岡村 千里")
    assert [(b["page"], round(b["top"], 1)) for b in row["boxes"]] == [(1, 96.5), (1, 113.0)]
    assert (round(row["top"], 1), round(row["bottom"], 1)) == (96.5, 123.5)  # the union of the two
    assert "boxes" not in next(r for r in rows_of("seats") if r["name"] == "玉置 幸哉")


def test_heading_tails_are_not_part_of_the_side():
    sides = [r["side"] for r in rows_of("seats")]
    assert "説明のため出席した者" in sides  # …の職・氏名
    assert ("犬山市長", "山田 拓郎") in pairs(rows_of("seats"))


def test_a_record_without_a_list_invents_no_one():
    res = parse(json_to_document((FIXTURES / "attendees_no_list.json").read_text(encoding="utf-8")))
    assert res.tables.get("attendees", []) == []
    assert [w.message for w in res.warnings] == ["no attendee list found"]


@pytest.mark.parametrize("name", ["ditto_spread", "running_glued", "name_grid", "glued_wrapped", "labels_colon",
                                  "next_page_readings", "spaced_heading_glued", "affiliation", "seats"])
def test_every_row_has_its_page_box_and_identity(name):
    for r in rows_of(name):
        assert r["page"] >= 1 and 0 < r["x0"] < r["x1"] and 0 < r["top"] < r["bottom"]
        assert r["person_id"] and r["person_id"].startswith("p_")
        assert r["name"] == (f"{r['family_name']} {r['given_name']}" if r["given_name"] else r["family_name"])
    assert [r["seq"] for r in rows_of(name)] == list(range(1, len(rows_of(name)) + 1))


def test_series_tables_keep_their_sides_and_give_the_name_cell_box():
    rows = rows_of("series_tables", "renkei_packet")
    assert len(rows) == 34
    assert [(r["side"], r["side_stated_count"]) for r in (rows[0], rows[17])] == [("市町村等", 17), ("県", 17)]
    first = rows[0]
    assert (first["post"], first["name"], first["page"]) == ("富山市長", "藤井 裕久", 2)
    assert first["x0"] > 200 and first["top"] < first["bottom"]  # the name cell, right of the post cell


def test_parser_is_registered_once_for_every_profile():
    assert parsers()["attendees"].tables == ("attendees",)
    for name in (RECORD, "renkei_packet"):
        assert "attendees" in get_profile(name).parsers


def test_a_misspelt_vocabulary_key_is_an_error():
    prof = get_profile(RECORD)
    bad = Profile("bad", "", prof.parsers, {**prof.sections,
                                             "attendees": {**prof.sections["attendees"], "list_heading": ["出席者"]}})
    with pytest.raises(ProfileError, match="list_heading"):
        profile_to_vocabulary(bad)


def test_vocabulary_is_the_profiles():
    prof = get_profile(RECORD)
    bare = Profile("bare", "", prof.parsers, {**prof.sections,
                                               "attendees": {**prof.sections["attendees"], "list_headings": []}})
    doc = json_to_document((FIXTURES / "attendees_affiliation.json").read_text(encoding="utf-8"))
    assert parse(doc, bare).tables.get("attendees", []) == []  # no heading word, no list
    assert len(parse(doc).tables["attendees"]) == 7


# --- layouts of other bodies' records, built line by line ---------------------------------------

def test_post_glued_before_a_family_name():
    assert text_pairs("出席委員 十九名", "委員長野村 有信君", "理事吉野 利明君", "理事花輪ともふみ君", "大西由紀子君",
                      "本日の会議に付した事件") == [
        ("委員長", "野村 有信"), ("理事", "吉野 利明"), ("理事", "花輪 ともふみ"), ("委員", "大西 由紀子")]


def test_kanji_head_count_is_stated():
    rows = parse(text_doc("出席委員 十九名", "委員長野村 有信君")).tables["attendees"]
    assert rows[0]["side_stated_count"] == 19


def test_honorific_printed_against_a_one_character_given_name():
    assert text_pairs("出席者は左のとおり。", "委員長 末松 信介君", "理 事", "相川 博君") == [
        ("委員長", "末松 信介"), ("理事", "相川 博")]


def test_each_post_after_a_run_of_family_names():
    assert text_pairs("〇出席委員", "日向委員長、くり林、中里、保坂の各委員(後藤副委員長は欠席)", "〇本日審査した案件") == [
        ("委員長", "日向"), ("委員", "くり林"), ("委員", "中里"), ("委員", "保坂")]


def test_name_post_order_with_spread_family_names():
    assert text_pairs("5 出席説明員 青 木 区長 荒 牧 企画経営部長", "大 野 参事(総務課長) 原 施設課長", "7 議 題") == [
        ("区長", "青木"), ("企画経営部長", "荒牧"), ("参事", "大野"), ("施設課長", "原")]


def test_the_widest_line_of_a_page_is_no_wrap():
    # two columns of post-name pairs without honorifics: 花 子 | 委 員 must not join
    assert text_pairs("出席委員（4人）", "委 員 長 山 田 太 郎 副委員長 鈴 木 花 子", "委 員 佐 藤 一 郎 委 員 田 中 次 郎",
                      "会議に付した事件") == [("委員長", "山田 太郎"), ("副委員長", "鈴木 花子"), ("委員", "佐藤 一郎"),
                                       ("委員", "田中 次郎")]


def test_post_in_brackets_after_a_name():
    assert text_pairs("出席委員：山田太郎（会長）、鈴木花子（副会長）、佐藤一郎", "議題") == [
        ("会長", "山田 太郎"), ("副会長", "鈴木 花子"), ("委員", "佐藤 一郎")]


def test_bracketed_labels_open_lists():
    rows = parse(text_doc("出席者", "【委員】山田太郎、鈴木花子", "【事務局】中村課長、小林主査", "議題")).tables["attendees"]
    assert [(r["side"], r["post"], r["name"]) for r in rows] == [
        ("委員", "委員", "山田 太郎"), ("委員", "委員", "鈴木 花子"), ("事務局", "課長", "中村"), ("事務局", "主査", "小林")]


def test_speaker_line_after_the_list_is_no_attendee():
    assert text_pairs("出席者 山田委員長、鈴木委員", "○山田委員長 ただいまから会議を開きます。") == [
        ("委員長", "山田"), ("委員", "鈴木")]


def test_names_in_a_bracket_after_a_post_and_count():
    rows = parse(text_doc("出席者", "委員5名（山田、鈴木、佐藤、田中、高橋）", "議題")).tables["attendees"]
    assert [r["name"] for r in rows] == ["山田", "鈴木", "佐藤", "田中", "高橋"]
    assert {(r["post"], r["side_stated_count"]) for r in rows} == {("委員", 5)}


def test_unruled_column_header_opens_a_list():
    assert text_pairs("区分 職名 氏名", "委員 会長 山田 太郎", "委員 副会長 鈴木 花子") == [
        ("会長", "山田 太郎"), ("副会長", "鈴木 花子")]


def test_spread_nashi_is_no_one():
    assert text_pairs("〇欠席委員 な し", "〇出席説明員", "教育長 浦 田 幹 男", "〇会議に付した事件") == [("教育長", "浦田 幹男")]


def test_whole_names_glued_to_posts_and_an_angle_bracket_label():
    rows = parse(text_doc("(3)出席者 遠藤久夫会長 牛丸聡委員 白石小百合委員", "藤原忠彦専門委員、北村善明専門委員", "<事務局>",
                          "長妻厚生労働大臣 外口保険局長 唐澤審議官 他", "(4)議題")).tables["attendees"]
    assert [(r["side"], r["post"], r["name"]) for r in rows] == [
        ("出席者", "会長", "遠藤 久夫"), ("出席者", "委員", "牛丸 聡"), ("出席者", "委員", "白石 小百合"),
        ("出席者", "専門委員", "藤原 忠彦"), ("出席者", "専門委員", "北村 善明"), ("事務局", "厚生労働大臣", "長妻"),
        ("事務局", "保険局長", "外口"), ("事務局", "審議官", "唐澤")]


def test_family_name_glued_to_a_noun_is_not_read_whole():
    # 笹渕健康福祉部長: 健康 is listed as a given name, but here it opens the post
    assert text_pairs("出席者:", "笹渕健康福祉部長、岩下南信州地域振興局長") == [
        ("健康福祉部長", "笹渕"), ("南信州地域振興局長", "岩下")]


def test_given_name_printed_against_the_post_after_a_spaced_family_name():
    assert text_pairs("○出席委員(3名)", "日野 たかし委員長", "広川 まさのり副委員長", "木村 広一委員", "○欠席委員(0名)") == [
        ("委員長", "日野 たかし"), ("副委員長", "広川 まさのり"), ("委員", "木村 広一")]


def test_two_posts_held_together_before_a_name():
    assert text_pairs("○出席説明員", "地域支えあい推進部長、地域包括ケア推進担当部長 石井 大輔", "健康福祉部長 杉本 兼太郎",
                      "○委員長署名") == [("地域支えあい推進部長、地域包括ケア推進担当部長", "石井 大輔"),
                                    ("健康福祉部長", "杉本 兼太郎")]


MITSUKE_LIKE = ("〇出席委員(8人)", "木 原 大 輔 重 信 元 子", "大 坪 正 幸 関 三 郎", "〇説明のため出席した者",
                "副 市 長 清 水 幸 雄", "会 計 管 理 者 兼 高 橋 弥 一", "会 計 課 長", "企 画 調 整 課 長 金 井 薫 平",
                "まちづくり 課 長 森 沢 亜 土", "〇事務局職員出席者", "議 事 係 長 大久保 英 輝",
                "〇関 三郎委員長 これより本日の会議を開きます。")


def test_grid_row_prefers_two_character_given_names():
    # 大 坪 正 幸 関 三 郎 once cut as 大坪 正 + 幸 関三郎 (関三郎 is a given name too)
    assert text_pairs(*MITSUKE_LIKE)[:4] == [("委員", "木原 大輔"), ("委員", "重信 元子"), ("委員", "大坪 正幸"),
                                             ("委員", "関 三郎")]


def test_spread_post_at_a_line_start_is_joined():
    got = text_pairs(*MITSUKE_LIKE)
    assert ("企画調整課長", "金井 薫平") in got and ("まちづくり課長", "森沢 亜土") in got
    assert ("副市長", "清水 幸雄") in got


def test_concurrent_post_runs_on_to_the_next_line():
    assert ("会計管理者兼会計課長", "高橋 弥一") in text_pairs(*MITSUKE_LIKE)


def test_spread_end_heading_inside_a_post_is_no_heading():
    # 議 事 係 長 once matched the end heading 議事 and closed the list
    got = text_pairs(*MITSUKE_LIKE)
    assert got[-1] == ("議事係長", "大久保 英輝") and len(got) == 9


def _grid(rows, widths, x0=57.0, top=100.0, h=18.0) -> Table:
    boxes = [[(x0 + sum(widths[:j]), top + i * h, x0 + sum(widths[:j + 1]), top + (i + 1) * h)
              for j in range(len(r))] for i, r in enumerate(rows)]
    return Table((x0, top, x0 + sum(widths), top + len(rows) * h), [list(r) for r in rows], boxes)


def _table_doc(lines: list[tuple[str, float]], table: Table) -> Document:
    ls = [Line(t, 57.0, top, 57.0 + 10.5 * len(t), top + 10.5) for t, top in lines]
    ls += [Line(" ".join(c for c in r if c), table.bbox[0] + 2, table.bbox[1] + i * 18 + 3, table.bbox[2] - 2,
                table.bbox[1] + i * 18 + 13) for i, r in enumerate(table.rows)]
    ls.sort(key=lambda ln: ln.top)
    page = Page(1, 594.96, 841.92, "\n".join(ln.text for ln in ls), ls, [table], True)
    return Document("t", "t.pdf", "0" * 64, 1, [page])


def test_ruled_list_under_a_heading_with_an_attendance_column():
    table = _grid([("職名", "氏名", "備考"), ("会長", "山田 太郎", ""), ("委員", "鈴木 花子", "欠席")], (120.0, 200.0, 120.0))
    rows = parse(_table_doc([("第1回○○審議会 議事録", 60.0), ("出席委員（2名）", 80.0)], table)).tables["attendees"]
    assert [(r["side"], r["post"], r["name"], r["absent"], r["side_stated_count"]) for r in rows] == [
        ("出席委員", "会長", "山田 太郎", False, 2), ("出席委員", "委員", "鈴木 花子", True, 2)]
    assert rows[0]["x0"] == 177.0  # the name cell's box


def test_label_and_value_table_rows_read_as_lists():
    table = _grid([("日時", "令和5年5月1日 午後2時"), ("出席委員", "山田太郎（会長）、鈴木花子"), ("欠席委員", "なし"),
                   ("事務局", "環境政策課長 中村 一郎")], (120.0, 300.0))
    rows = parse(_table_doc([("第1回○○審議会 議事録", 60.0)], table)).tables["attendees"]
    assert [(r["side"], r["post"], r["name"]) for r in rows] == [
        ("出席委員", "会長", "山田 太郎"), ("出席委員", "委員", "鈴木 花子"), ("事務局", "環境政策課長", "中村 一郎")]


# --- the held-out records (tests/fixtures/other_bodies_extra), one cause each ---------------------

def test_kanji_numbered_points_and_a_long_post_ending_in_sha():
    # 一　出席委員 … 教育長職務代理者　乙部　伸枝 … 一　会議録署名委員 … 一　書記 … 一　付議事件
    assert pairs(rows_of("kanji_numbered_points")) == [
        ("教育長", "沢渡 一馬"), ("教育長職務代理者", "乙部 伸枝"), ("委員", "鹿野 晋"), ("委員", "御子柴 由美"),
        ("委員", "伊佐 隆文"), ("教育次長兼学校教育課長", "椎名 康晴"), ("生涯学習課長", "甲斐 昌代"),
        ("学校教育課指導主事", "南雲 直人"), ("教育総務係長", "荻野 亜由美")]


def test_who_signs_the_record_is_no_list():
    # the signers are people listed above: 会議録署名委員 ends the list before it and opens none
    rows = rows_of("kanji_numbered_points")
    assert [r["name"] for r in rows].count("鹿野 晋") == 1
    assert text_pairs("出席委員", "委員 山田 太郎", "委員 鈴木 花子", "議事録署名人 山田 太郎 鈴木 花子") == [
        ("委員", "山田 太郎"), ("委員", "鈴木 花子")]


def test_a_numbered_point_naming_a_post_heads_its_list_and_a_kanji_point_ends_it():
    rows = rows_of("kanji_numbered_points")
    assert [(r["side"], r["post"], r["name"]) for r in rows][-1] == ("書記", "教育総務係長", "荻野 亜由美")
    assert text_pairs("一 出席委員", "委員 山田 太郎", "一 議事録署名委員", "委員 山田 太郎", "一 書記", "佐藤 一郎",
                      "一 付議事件", "議案第一号 条例の改正") == [("委員", "山田 太郎"), ("書記", "佐藤 一郎")]
    # a kanji spread as the first character of a name (十 河 …) is no point
    assert text_pairs("出席委員", "十 河 信 善 委 員") == [("委員", "十河 信善")]


def test_roles_ending_in_sha_are_posts_never_names():
    assert text_pairs("出席委員", "学識経験者", "山田 太郎", "司会者 鈴木 花子") == [
        ("学識経験者", "山田 太郎"), ("司会者", "鈴木 花子")]


def test_a_ruled_table_with_the_name_column_first():
    # 【参集者】 over 氏名 | 所属・役職: the header row says the name comes first; an affiliation is no name
    rows = rows_of("name_first_table")
    assert pairs(rows)[:6] == [
        ("緑川工科大学情報学部教授", "御手洗 啓介"), ("緑川商工会議所中小企業相談所長", "春日井 瞳"),
        ("株式会社みどりかわシステムズ代表取締役", "鷲尾 隆一"), ("社会福祉法人緑川市社会福祉協議会事務局次長", "仲宗根 絢子"),
        ("一般社団法人地域情報化推進機構主席研究員", "久遠寺 匠"), ("公募市民", "蓮見 早紀")]
    assert {r["side"] for r in rows[:6]} == {"参集者"}


def test_headings_with_a_head_count_are_no_names():
    # 出席者　参集者6名、市側出席者3名（欠席者なし）, then 【市側出席者】 副市長　江波戸　敦　／ …
    got = pairs(rows_of("name_first_table"))
    assert not any("者" in name for _, name in got)
    assert got[6:] == [("副市長", "江波戸 敦"), ("デジタル推進監", "猪瀬 恭平"), ("情報政策課長", "浦部 聡美")]


def test_bracketed_department_subheadings_group_a_list_and_end_nothing():
    # ７　出席説明員 / ［健康福祉部］ / 部長 菅野 道夫 次長 小平 里奈 / … / ［教育委員会］ / … / ８　事務局職員
    rows = [r for r in rows_of("department_subheadings") if r["side"] == "出席説明員"]
    assert [(r["post"], r["name"]) for r in rows] == [
        ("部長", "菅野 道夫"), ("次長", "小平 里奈"), ("健康政策課長", "磯貝 昭"), ("医療整備課長", "大河内 亨"),
        ("教育長", "坂東 孝信"), ("教育次長", "三好 美和"), ("教育総務課長", "新谷 浩平"), ("高校教育課長", "荒巻 晴子")]
    assert len(rows_of("department_subheadings")) == 19


def test_a_department_printed_alone_over_its_posts_is_no_name():
    assert text_pairs("出席説明員", "健康福祉部", "部長 菅野 道夫", "教育委員会事務局 教育次長 三好 美和", "事務局職員",
                      "議事課主幹 木暮 潤") == [("部長", "菅野 道夫"), ("教育次長", "三好 美和"), ("議事課主幹", "木暮 潤")]


def test_name_first_header_cells_in_other_words():
    table = _grid([("委員氏名", "所属・役職名"), ("山田 太郎", "千草大学教授"), ("鈴木 花子", "公募市民")], (150.0, 250.0))
    rows = parse(_table_doc([("第1回○○審議会 議事録", 60.0), ("出席委員", 80.0)], table)).tables["attendees"]
    assert pairs(rows) == [("千草大学教授", "山田 太郎"), ("公募市民", "鈴木 花子")]


def test_nested_brackets_a_post_in_brackets_notes_and_minutes():
    got = pairs(rows_of("nested_brackets_and_minutes"))
    assert ("千草県市長会（汐見市環境部長）", "戸叶 純一") in got  # one person, the nested bracket is the post
    assert ("公募委員", "久世 明日香") in got  # （公募委員） is the post, not a note
    assert len(got) == 13  # ※飯塚委員、久世委員は… is a note; ○事務局 県民向けの概要版を作成し… is minutes
    assert got[-4:] == [("環境生活部長", "堀之内 誠"), ("環境生活部次長", "遠山 由紀子"), ("環境政策課長", "北見 圭吾"),
                        ("環境政策課温暖化対策室長", "真鍋 晃")]


def test_a_post_in_brackets_that_holds_dairi_is_no_proxy():
    rows = parse(text_doc("出席委員", "委員 山田 太郎", "乙部 伸枝（教育長職務代理者）", "委員 鈴木 花子（代理）", "議題")
                 ).tables["attendees"]
    assert [(r["post"], r["name"], r["by_proxy"]) for r in rows] == [
        ("委員", "山田 太郎", False), ("教育長職務代理者", "乙部 伸枝", False), ("委員", "鈴木 花子", True)]


def test_headings_of_the_minutes_end_a_list():
    assert text_pairs("出席者", "○委員 山田 太郎", "議事概要", "○事務局 資料に基づき説明") == [("委員", "山田 太郎")]


def test_a_sentence_after_a_speaker_mark_is_no_name():
    assert text_pairs("出席者", "委員 山田 太郎", "○事務局 いただいた御意見を踏まえ、素案を修正する。") == [("委員", "山田 太郎")]
    assert text_pairs("出席者", "委員 山田 太郎", "※山田委員はオンラインにより出席", "環境政策課長 鈴木 花子") == [
        ("委員", "山田 太郎"), ("環境政策課長", "鈴木 花子")]


def test_a_heading_cell_wrapped_over_two_lines():
    # a label | value table: 説明のため / 出席した者 in one cell is one heading, no one's name
    rows = rows_of("heading_cell_wrapped")
    assert [(r["post"], r["name"]) for r in rows if r["side"] == "説明のため出席した者"] == [
        ("総務部長", "桑原 達彦"), ("総務部次長", "永瀬 広美"), ("総務課長", "寺門 一樹"), ("財政課長", "布施 寛子"),
        ("企画部長", "松平 直樹"), ("企画政策課長", "五味 隆之")]
    assert len(rows) == 16 and not any("ため" in r["name"] for r in rows)
    assert text_pairs("出席委員", "委員 山田 太郎", "説明のため", "出席した者", "総務部長 鈴木 花子") == [
        ("委員", "山田 太郎"), ("総務部長", "鈴木 花子")]


# --- the steps -----------------------------------------------------------------------------------

def test_tokens_of_a_heading_line():
    v = profile_to_vocabulary(get_profile(RECORD))
    got = [(t.kind, t.text) for t in line_to_tokens("〇出席議員(17名) 1番 玉 置 幸 哉 君", v)]
    assert got == [("head", "出席議員"), ("count", "(17名)"), ("seat", "1番"), ("word", "玉"), ("word", "置"),
                   ("word", "幸"), ("word", "哉"), ("hon", "君")]
    assert [t.kind for t in line_to_tokens("欠席委員(なし) 委員外議員(なし)", v)] == ["head", "none", "head", "none"]
    assert line_to_tokens("欠席議員(3名)", v)[0].absent


def test_glued_runs_cut_into_family_names_and_posts():
    v = profile_to_vocabulary(get_profile(RECORD))
    def cut(text, **kw):
        found = glued_to_pairs(text, v, **kw)
        return None if found is None else [(n.name, post) for n, post in found]
    assert cut("藤井委員井阪委員有村委員岩佐委員") == [("藤井", "委員"), ("井阪", "委員"), ("有村", "委員"), ("岩佐", "委員")]
    assert cut("早川監査委員事務局長") == [("早川", "監査委員事務局長")]
    assert cut("田中議事調査課担当係長") == [("田中", "議事調査課担当係長")]
    assert cut("遠藤久夫会長") == [("遠藤 久夫", "会長")]  # a whole name, not 遠藤 + 久夫会長
    assert cut("総合政策部長", first_threshold=4.0) is None


def test_post_prefix_prefers_a_post_to_an_organization():
    v = profile_to_vocabulary(get_profile(RECORD))
    assert split_post_prefix("委員長野村", v) == ("委員長", "野村")
    assert split_post_prefix("財務局長谷川", v) == ("財務局長", "谷川")
    assert split_post_prefix("山田太郎", v) is None


def test_numbered_entries_inside_a_list_are_not_its_next_point():
    assert text_pairs("出席委員", "(1) 山田 太郎", "(2) 鈴木 花子", "(3) 議事録の確認") == [
        ("委員", "山田 太郎"), ("委員", "鈴木 花子")]


def test_absence_noted_after_a_name():
    rows = parse(text_doc("出席委員：山田太郎、鈴木花子（欠席）、佐藤一郎", "議題")).tables["attendees"]
    assert [(r["name"], r["absent"]) for r in rows] == [("山田 太郎", False), ("鈴木 花子", True), ("佐藤 一郎", False)]


def test_attendees_in_a_separate_sheet_invent_no_one():
    assert text_pairs("出席者 別紙のとおり", "議題") == []


def test_issue_12_specks_read_around_an_ocr_post_are_cut():
    from pipeline.parse_attendees import ocr_post_to_trimmed

    cases = {"高岡市長・": "高岡市長", "町村会常務理事 、。": "町村会常務理事", "生活環境文化部長ーー』": "生活環境文化部長",
             "理事・ワンチームとやま推進室長すき": "理事・ワンチームとやま推進室長", "教育長*": "教育長",
             "市長会事務局長～": "市長会事務局長",  # a speck read as ～ (the 1-bit r4 scan of seed 8765)
             "危機管理局長-": "危機管理局長",  # ... or as a hyphen (the 1-bit r4 scan of seed 5555)
             "-理事・ワンチームとやま推進室長": "理事・ワンチームとやま推進室長",  # before it (1-bit r4, 4646)
             "・ 土木部長": "土木部長",
             # kept: no post word before the tail, or the tail holds a kanji
             "センター": "センター", "部長（兼）": "部長（兼）", "課長（事務取扱い）": "課長（事務取扱い）",
             "（兼）部長": "（兼）部長"}
    assert {k: ocr_post_to_trimmed(k) for k in cases} == cases


def test_issue_12_a_dash_beside_a_kanji_of_an_ocr_name_is_the_kanji_one():
    from pipeline.parse_attendees import ocr_name_to_repaired

    cases = {"三牧 純ーー郎": "三牧 純一郎", "蔵堀 祐ー": "蔵堀 祐一", "田中 一郎": "田中 一郎",
             "ルーカス ジョーンズ": "ルーカス ジョーンズ",  # a katakana name keeps its long vowels
             # a speck between kanji is the gap it stands in, or nothing when the gap is there
             "中川.行孝": "中川 行孝", "中川 .行孝": "中川 行孝", "中川 行.孝": "中川 行孝",
             "ジョン・スミス": "ジョン・スミス",
             # specks after the last kanji: dust read as 。 and a piece of the cell's border
             "舟橋 貴之。 ーー": "舟橋 貴之", "舟橋貴之.": "舟橋貴之", "ハリー": "ハリー",
             # ... or two dashes set apart (1-bit r3 scan of seed 2929); one alone may be a given
             # name's 一 and is not dropped
             "中川行孝 ーー": "中川行孝", "田中 ー": "田中 ー",
             # one dash where the gap is: a surname, then a given name that 一 does not begin
             # (the gray r3 scan of seed 7070); else a given name's 一
             "笹島-春人": "笹島 春人", "田中-郎": "田中一郎", "三牧純-郎": "三牧純一郎"}
    assert {k: ocr_name_to_repaired(k) for k in cases} == cases


def test_issue_12_a_speck_beside_a_side_label_is_no_part_of_it():
    from pipeline.parse_attendees import text_to_sides

    assert text_to_sides("2.:県(17名)") == [("県", 17, 0)]
    assert text_to_sides("1、市町村等(17名)") == [("市町村等", 17, 0)]
    assert text_to_sides("2. ・県（17名）") == [("県", 17, 0)]
    # ... and one before the count's bracket (another seed's r3 scan) neither
    assert text_to_sides("2.県: (17名)") == [("県", 17, 0)]


def test_issue_12_an_ocr_post_one_kanji_from_a_post_word_is_that_word():
    from pipeline.parse_attendees import ocr_post_to_repaired
    from pipeline.parse_attendees_text import profile_to_vocabulary
    from pipeline.profile import get_profile

    words = profile_to_vocabulary(get_profile("renkei_packet")).post_words
    # 副 read as 劉 (the 1-bit r3 scan of seed 5555)
    cases = {"劉知事": "副知事", "教音長": "教育長",
             # kept: a word of its own, a post word, two post words one kanji away (副部長, 本部長)
             "県知事": "県知事", "副知事": "副知事", "木部長": "木部長", "市長": "市長"}
    assert {k: ocr_post_to_repaired(k, words) for k in cases} == cases


def test_issue_12_a_table_whose_name_cells_are_no_names_is_no_list_of_attendees():
    # the WG table after a list whose section ran on (its next heading misread on a scan)
    table = _grid([("連携項目名(提案市町村)", "主な検討事項"),
                   ("ゼロカーボンシティ富山の実現(魚津市、南砺市)", "効率的・効果的な温暖化対策の実施"),
                   ("自治体行政のデジタル化(射水市、氷見市)", "AI・RPA等の共同導入による経費削減等")], (200.0, 200.0))
    assert parse(_table_doc([("出席者", 60.0)], table)).tables["attendees"] == []
    table = _grid([("会長", "山田 太郎"), ("委員", "鈴木 花子"), ("委員", "ジョン・スミス")], (200.0, 200.0))
    assert [r["name"] for r in parse(_table_doc([("出席者", 60.0)], table)).tables["attendees"]] == [
        "山田 太郎", "鈴木 花子", "ジョン・スミス"]
    assert [looks_like_a_name(t) for t in ("田 中 齊", "主な検討事項", "効率的・効果的な温暖化対策の実施", "R4年度")] == [
        True, True, False, False]


def test_issue_12_an_ocr_head_of_a_municipality_the_document_lists_one_kanji_off():
    from pipeline.parse_attendees import document_to_places, ocr_post_to_printed_place

    lines = ["提案市町村:富山市、射水市、黒部市", "対象市町村:全市町村", "黒部市長 大野 久芳", "舟橋村長 古越 邦男"]
    doc = Document("d", "x.pdf", "0" * 64, 1, [Page(1, 595, 842, "\n".join(lines),
                                                   [Line(t, 50, 40 + 20 * i, 300, 52 + 20 * i) for i, t in enumerate(lines)],
                                                   [], False, source="ocr")])
    places = document_to_places(doc)
    assert {"富山市", "射水市", "黒部市", "全市町村"} <= places and "黒部市長" not in places
    # 黒 lost its upper strokes on a 1-bit scan: 甲部 is printed nowhere, 黒部市 once
    assert ocr_post_to_printed_place("甲部市長", places) == "黒部市長"
    # a municipality the document never lists is left as read; so is one it lists as read
    assert ocr_post_to_printed_place("舟横村長", places) == "舟横村長"
    assert ocr_post_to_printed_place("富山市長", places | {"冨山市"}) == "富山市長"
    # two listed municipalities one kanji away: nothing tells which
    assert ocr_post_to_printed_place("甲部市長", places | {"甲府市"}) == "甲部市長"


def test_issue_12_a_side_cell_whose_number_and_count_a_scan_spaced_out():
    # a scan of the Word-style rendition: its 区分 cell read 1 .市町村等(1 7名); the side was kept
    # as that text and no attendee matched its side
    table = _grid([("区 分", "職名", "氏名", "備考"), ("1 .市町村等(1 7名)", "富山市長", "藤井 裕久", ""),
                   (None, "高岡市長", "角田 悠紀", ""), ("2 .県(1 7名)", "知事", "新田 八朗", "")],
                  (80.0, 120.0, 120.0, 60.0))
    rows = parse(_table_doc([("出席者", 60.0)], table)).tables["attendees"]
    assert [(r["side"], r["side_stated_count"], r["post"], r["name"]) for r in rows] == [
        ("市町村等", 17, "富山市長", "藤井 裕久"), ("市町村等", 17, "高岡市長", "角田 悠紀"), ("県", 17, "知事", "新田 八朗")]
