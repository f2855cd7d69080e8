"""The OCR correction matcher: known values in, corrected rows and warnings out (no OCR, no database)."""
from __future__ import annotations

import duckdb

from pipeline.ir import Line, Page, Table
from pipeline.ocr_correct import (CorrectSettings, KnownValues, attendees_with_confidence, con_to_known,
                                  edit_distance, pages_to_doubt_warnings, reading_to_known, rows_to_corrected)

KNOWN = KnownValues(
    holders=frozenset({("南砺市長", "田中 幹夫"), ("生活環境文化部長", "出来田 肇"), ("富山市長", "藤井 裕久"),
                       ("副知事", "蔵堀 祐一"), ("副知事", "横田 美香")}),
    posts=frozenset({"南砺市長", "生活環境文化部長", "富山市長", "副知事"}),
    places=frozenset({"射水市", "厚生部"}),
)


def row(post: str, name: str, *, ocr: bool = True, conf: float | None = 0.5, seq: int = 1) -> dict:
    return {"seq": seq, "page": 2, "post": post, "name": name, "name_text": name, "family_name": name.split()[0],
            "given_name": name.split()[-1], "from_ocr": ocr, "ocr_confidence": conf}


def test_edit_distance():
    assert edit_distance("南個市長", "南砺市長") == 1
    assert edit_distance("蔵堀祐", "蔵堀祐一") == 1
    assert edit_distance("市長", "町長") == 1
    assert edit_distance("abc", "xyz", limit=1) == 2  # stopped early: more than the limit


def test_a_misread_name_under_an_agreeing_post_is_corrected_and_named_in_a_warning():
    rows, fixes = rows_to_corrected([row("生活環境文化部長", "出来田 貢", seq=27)], KNOWN)
    r = rows[0]
    assert (r["name"], r["family_name"], r["given_name"], r["ocr_corrected"]) == ("出来田 肇", "出来田", "肇", True)
    assert r["name_text"] == "出来田 貢"  # the reading as printed stays
    assert [(f.seq, f.page, f.column, f.original, f.corrected) for f in fixes] == \
        [(27, 2, "name", "出来田 貢", "出来田 肇")]
    assert fixes[0].message == ("OCR reading corrected against earlier packets: attendee 27 name "
                                "'出来田 貢' → '出来田 肇'")


def test_a_misread_post_is_corrected_then_its_holder_agrees():
    rows, fixes = rows_to_corrected([row("南個市長", "田中 幹天")], KNOWN)
    assert (rows[0]["post"], rows[0]["name"]) == ("南砺市長", "田中 幹夫")
    assert [(f.column, f.original, f.corrected) for f in fixes] == [("post", "南個市長", "南砺市長"),
                                                                     ("name", "田中 幹天", "田中 幹夫")]


def test_a_post_is_corrected_from_a_known_municipality_or_department():
    rows, _ = rows_to_corrected([row("射永市長", "夏野 元志"), row("厚生部良", "木内 哲平")], KNOWN)
    assert [r["post"] for r in rows] == ["射水市長", "厚生部長"]
    assert [r["name"] for r in rows] == ["夏野 元志", "木内 哲平"]  # nobody known in those posts: names kept


def test_a_new_person_is_never_corrected_into_the_old_holder():
    new_mayor = row("富山市長", "森 雅志")
    near_but_sure = row("富山市長", "藤井 裕之", conf=0.97)  # read clearly: a different person
    rows, fixes = rows_to_corrected([new_mayor, near_but_sure], KNOWN)
    assert [(r["name"], r["ocr_corrected"]) for r in rows] == [("森 雅志", False), ("藤井 裕之", False)]
    assert fixes == []


def test_the_post_must_agree():
    # one edit from 藤井 裕久, but he held 富山市長, not 高岡市長
    rows, fixes = rows_to_corrected([row("高岡市長", "藤并 裕久")], KNOWN)
    assert rows[0]["name"] == "藤并 裕久" and not rows[0]["ocr_corrected"] and fixes == []


def test_a_reading_that_is_a_known_name_is_kept():
    # 横田 美香 is known (another 副知事): a reading of her is not pulled to 蔵堀 祐一
    rows, fixes = rows_to_corrected([row("副知事", "横田 美香")], KNOWN)
    assert rows[0]["name"] == "横田 美香" and fixes == []


def test_issue_12_a_variant_spelling_of_the_known_holder_is_kept_as_printed():
    # 田中 斉 and 田中 齊 are one person (one person_id); the scan prints 斉: a warehouse that
    # knows him as 齊 must not respell what this page prints
    known = KnownValues(holders=frozenset({("市長会事務局長", "田中 齊")}), posts=frozenset({"市長会事務局長"}))
    rows, fixes = rows_to_corrected([row("市長会事務局長", "田中 斉")], known)
    assert (rows[0]["name"], rows[0]["ocr_corrected"], fixes) == ("田中 斉", False, [])


def test_issue_12_a_misread_near_two_spellings_of_one_holder_takes_the_nearer_kanji():
    # the warehouse knows him as 田中 斉 (r3) and 田中 齊 (r4); the gray r4 scan of seed 6006
    # reads 齋 (U+9F4B), a neighbour of 齊 (U+9F4A) under one radical, not of 斉 (U+6589)
    known = KnownValues(holders=frozenset({("市長会事務局長", "田中 齊"), ("市長会事務局長", "田中 斉")}),
                        posts=frozenset({"市長会事務局長"}))
    rows, fixes = rows_to_corrected([row("市長会事務局長", "田中 齋")], known)
    assert (rows[0]["name"], rows[0]["ocr_corrected"], [f.corrected for f in fixes]) == ("田中 齊", True, ["田中 齊"])
    # two holders of one post as near who are two people: no way to tell
    two = KnownValues(holders=frozenset({("副知事", "蔵堀 祐一"), ("副知事", "蔵堀 祐二")}), posts=frozenset({"副知事"}))
    rows, fixes = rows_to_corrected([row("副知事", "蔵堀 祐三")], two)
    assert (rows[0]["name"], fixes) == ("蔵堀 祐三", [])


def test_edit_distance_bound():
    assert reading_to_known("蔵堀祐", {"蔵堀 祐一"}) == "蔵堀 祐一"
    assert reading_to_known("蔵堀", {"蔵堀 祐一"}) is None  # two edits
    assert reading_to_known("町長", {"市長"}) is None  # one edit, but half of a 2-character value
    loose = CorrectSettings(max_distance=2)
    assert reading_to_known("蔵堀", {"蔵堀 祐一"}, loose) is None  # still over a third of the value
    assert reading_to_known("南砺市", {"南砺市長", "南砺市役"}) is None  # two as near: no guess


def test_text_layer_rows_are_never_touched():
    rows, fixes = rows_to_corrected([row("生活環境文化部長", "出来田 貢", ocr=False, conf=None)], KNOWN)
    assert rows[0]["name"] == "出来田 貢" and rows[0]["ocr_corrected"] is None and fixes == []


def test_confidence_comes_from_the_table_row_of_the_name():
    table = Table((0, 0, 100, 40), [["富山市長", "藤井 裕久"], ["高岡市長", "角田\n悠紀"]],
                  [[(0, 0, 50, 20), (50, 0, 100, 20)], [(0, 20, 50, 40), (50, 20, 100, 40)]],
                  [[0.95, 0.91], [0.88, 0.42]])
    page = Page(2, 595, 842, "", [Line("出席者", 0, 0, 30, 10, confidence=0.8)], [table], False, source="ocr")
    rows = attendees_with_confidence([{"page": 2, "post": "富山市長", "name_text": "藤井 裕久", "from_ocr": True},
                                      {"page": 2, "post": "高岡市長", "name_text": "角田 悠紀", "from_ocr": True}],
                                     [page])
    assert [r["ocr_confidence"] for r in rows] == [0.91, 0.42]
    assert pages_to_doubt_warnings([page]) == [
        {"stage": "ocr_correct", "page": 2,
         "message": "OCR reading of a table cell is doubtful (confidence 0.42): '角田 悠紀'"}]


def test_known_values_come_from_other_documents_read_from_a_text_layer():
    con = duckdb.connect()
    con.execute("create table attendees (doc_id varchar, post varchar, name varchar, from_ocr boolean, "
                "ocr_corrected boolean)")
    con.execute("insert into attendees values ('old', '富山市長', '藤井 裕久', false, null), "
                "('old', '高岡市長', '角田 悠紀', true, false), ('this', '副知事', '蔵堀 祐一', false, null)")
    con.execute("create table item_years (doc_id varchar, proposers varchar[], departments varchar[])")
    con.execute("insert into item_years values ('old', ['南砺市'], ['厚生部'])")
    known = con_to_known(con, "this")  # materials is missing: nothing known from it
    assert known.holders == frozenset({("富山市長", "藤井 裕久")})
    assert known.places == frozenset({"南砺市", "厚生部"})
    assert "南砺市長" in known.all_posts
