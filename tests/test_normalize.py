"""normalize_text, fold_variants, person_key and the strict data-file loaders."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.normalize import (
    fold_chars, fold_variants, load_char_table, load_word_list, normalize_text, person_key,
)
from pipeline.normalize._tables import DEFAULT_DATA_DIR, VARIANT_TABLE_HEADER

PROPERTY = settings(max_examples=300, deadline=None, database=None)


# --- character classes ------------------------------------------------------

@pytest.mark.parametrize("radical, kanji", [
    ("⼾", "戸"),  # U+2F3E: the fonts draw 戸, NFKC would give 戶
    ("⿊", "黒"),  # U+2FCA: Noto shares 黑, IPAex 黒; the JIS X 0208 form wins the tie
    ("⿑", "斉"),  # U+2FD1: the fonts draw 齊, but PDFs carry it where the page prints 斉 (issue #4 convention)
    ("⻑", "長"),  # U+2ED1, no NFKC mapping
    ("⻫", "斉"),  # U+2EEB, no NFKC mapping
    ("⼭", "山"), ("⽇", "日"), ("⾧", "長"), ("⼝", "口"), ("⽣", "生"), ("⽉", "月"),
    ("⾼", "高"), ("⼀", "一"), ("⺟", "母"), ("⻄", "西"),
])
def test_radicals_fold_to_the_kanji_fonts_draw(radical, kanji):
    assert normalize_text(radical) == kanji
    assert normalize_text(f"{radical}谷川") == f"{kanji}谷川"


def test_every_kangxi_radical_is_repaired():
    for cp in range(0x2F00, 0x2FD6):
        out = normalize_text(chr(cp))
        assert len(out) == 1 and unicodedata.name(out).startswith("CJK UNIFIED IDEOGRAPH"), hex(cp)


@pytest.mark.parametrize("compat, unified", [("\uFA26", "都"), ("\uFA1B", "福"), ("\uF91D", "欄"),
                                             ("\U0002F800", "丽")])
def test_compatibility_ideographs_fold_to_unified(compat, unified):
    assert normalize_text(compat) == unified


@pytest.mark.parametrize("kept", ["﨑", "\uFA0E", "\uFA0F", "\uFA29"])
def test_unified_ideographs_in_the_compatibility_block_are_kept(kept):
    assert normalize_text(kept) == kept


@pytest.mark.parametrize("raw, expected", [
    ("Ｒ５．５月", "R5.5月"),
    ("ＡＢＣ１２３！＃＄％＆＝＋－＊／：；", "ABC123!#$%&=+-*/:;"),
    ("（案）", "（案）"),      # full-width parentheses kept
    ("５月～６月", "5月～6月"),  # full-width tilde kept
])
def test_fullwidth_ascii_narrowed_except_parentheses_and_tilde(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("ｶﾞｲﾄﾞﾗｲﾝ", "ガイドライン"),
    ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
    ("ﾊﾟﾝﾌﾚｯﾄ", "パンフレット"),
    ("｢ﾃｽﾄ｣､ｱ･ｲ｡", "「テスト」、ア・イ。"),
    ("ﾞ", "゛"),
])
def test_halfwidth_katakana_widened(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("raw", ["〜", "∼", "～"])
def test_wave_dashes_fold_to_fullwidth_tilde(raw):
    assert normalize_text(f"5月{raw}6月") == "5月～6月"


@pytest.mark.parametrize("raw, expected", [
    ("８∕１９", "8/19"), ("８⁄１９", "8/19"), ("８／１９", "8/19"),
    ("総務部長‧局長", "総務部長・局長"), ("3⋅7⋅18", "3・7・18"), ("部長·課長", "部長・課長"),
    ("部長∙課長", "部長・課長"), ("部長･課長", "部長・課長"),
])
def test_slash_and_middle_dot_lookalikes_fold_to_one_form(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("raw, expected", [("㍻31年", "平成31年"), ("㋿元年", "令和元年"),
                                           ("㍼64年", "昭和64年"), ("㍽", "大正"), ("㍾", "明治")])
def test_square_era_names_expanded(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("kept", ["①②⑳", "⑴⑵", "㈱", "㈲", "㎡", "Ⅲ", "ⅳ", "、。「」・", "ーーー",
                                  "!!!", "齊髙﨑邊澤", "~", "ひらがな", "カタカナ"])
def test_not_nfkc_these_are_kept(kept):
    assert normalize_text(kept) == kept


@pytest.mark.parametrize("raw, expected", [
    ("田中 斉", "田中 斉"),
    ("田中\u3000斉", "田中 斉"),
    ("田中\u3000\u3000\u3000斉", "田中 斉"),
    ("田中\t \u00a0斉", "田中 斉"),
    ("  前後  ", "前後"),
    ("一行目 \n  二行目", "一行目\n二行目"),
    ("a\r\nb\rc\u2028d", "a\nb\nc\nd"),
    ("段落\n\n段落", "段落\n\n段落"),
    ("\n\n見出し\n", "見出し"),
])
def test_whitespace_collapses_but_never_disappears_inside_a_line(raw, expected):
    assert normalize_text(raw) == expected


_SPECIAL = ("⼾⿊⿑⻑⻫⾧⽣⺀⺍\uFA26\uFA11\U0002F800ＡＺ０９（）～〜∼ｶﾞﾊﾟﾞﾟｰ｡｢"
            "㍻㋿①⑴㈱㎡Ⅲ \u3000\t\n\r\u00a0\u2028\x85齊髙𠮷")


@PROPERTY
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(_SPECIAL))))
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@PROPERTY
@given(st.text(alphabet=st.sampled_from(_SPECIAL + "田中斉ー")))
def test_fold_chars_keeps_whitespace_and_agrees_with_normalize_text(text):
    folded = fold_chars(text)
    assert [c for c in folded if c.isspace()] == [c for c in text if c.isspace()]
    assert normalize_text(folded) == normalize_text(text)


# --- variants and identity -------------------------------------------------

@pytest.mark.parametrize("variant, representative", [
    ("齊", "斉"), ("齋", "斎"), ("髙", "高"), ("﨑", "崎"), ("嵜", "崎"), ("邊", "辺"), ("邉", "辺"),
    ("澤", "沢"), ("濱", "浜"), ("濵", "浜"), ("𠮷", "吉"), ("德", "徳"), ("廣", "広"), ("國", "国"),
    ("眞", "真"), ("戶", "戸"), ("黑", "黒"),
])
def test_fold_variants(variant, representative):
    assert fold_variants(variant) == representative
    assert fold_variants(representative) == representative


@pytest.mark.parametrize("a, b", [("斉", "斎"), ("田", "佃"), ("崎", "埼"), ("岩", "巌"), ("沢", "途"),
                                  ("吉", "桔")])
def test_distinct_characters_are_not_merged(a, b):
    assert fold_variants(a) != fold_variants(b)


@pytest.mark.parametrize("spelling", ["田中 斉", "田中 齊", "田 中 齊", "田中　⿑", "田中斉", "田　中　　齊",
                                      "田中\u3000斉"])
def test_person_key_joins_spellings(spelling):
    assert person_key(spelling) == person_key("田中 斉") == "田中斉"


@pytest.mark.parametrize("a, b", [("髙橋 一郎", "高橋 一郎"), ("山﨑 太郎", "山崎 太郎"), ("渡邊 健", "渡邉 健"),
                                  ("渡辺 健", "渡邉 健"), ("澤田 明", "沢田 明"), ("濱口 修", "浜口 修"),
                                  ("𠮷田 茂", "吉田 茂"), ("⾧谷川 健", "長谷川 健")])
def test_person_key_variant_spellings(a, b):
    assert person_key(a) == person_key(b)


def test_person_key_keeps_different_people_apart():
    assert person_key("田中 斉") != person_key("田中 斎")
    assert person_key("林 正之") != person_key("林 正")


_VARIANT_ROWS = sorted(load_char_table(DEFAULT_DATA_DIR / "kanji_variants.tsv", VARIANT_TABLE_HEADER).items())


@PROPERTY
@given(st.sampled_from(_VARIANT_ROWS), st.sampled_from(["田中 ", "", " 一郎", "山"]))
def test_person_key_is_the_same_for_every_variant_row(row, frame):
    variant, representative = row
    assert person_key(frame + variant) == person_key(frame + representative)
    assert person_key(person_key(frame + variant)) == person_key(frame + variant)


# --- data files load strictly -----------------------------------------------

def test_shipped_data_files_load():
    radicals = load_char_table(DEFAULT_DATA_DIR / "radicals.tsv")
    assert radicals["⾧"] == "長" and len(radicals) > 1000
    assert "﨑" not in radicals
    variants = load_char_table(DEFAULT_DATA_DIR / "kanji_variants.tsv", VARIANT_TABLE_HEADER)
    assert variants["齊"] == "斉"
    assert "君" in load_word_list(DEFAULT_DATA_DIR / "honorifics.txt")
    for name in ("radicals.tsv", "kanji_variants.tsv", "honorifics.txt"):
        first = (DEFAULT_DATA_DIR / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith(f"# {name} version ")


_TABLE_HEAD = "# test table version 1\nsource_cp\tsource\ttarget_cp\ttarget\torigin\n"
_GOOD_ROW = "U+2FA7\t⾧\tU+9577\t長\tfont\n"


@pytest.mark.parametrize("body, line, message", [
    ("U+2F63\t⽣\tU+751F\t生\n", 4, "5 tab-separated fields"),
    ("U+2F64\t⽣\tU+751F\t生\tfont\n", 4, "does not name"),
    ("U+2F63\t⽣⽣\tU+751F\t生\tfont\n", 4, "not one character"),
    ("U+2FA7\t⾧\tU+9577\t長\tfont\n", 4, "already mapped on line 3"),
    ("U+751F\t生\tU+751F\t生\tfont\n", 4, "maps to itself"),
    ("U+2F63\t⽣\tU+751F\t生\t \n", 4, "origin"),
    ("\n", 4, "5 tab-separated fields"),
    ("U+9577\t長\tU+9578\t镸\tfont\n", 3, "is itself mapped on line 4"),
])
def test_char_table_bad_line_names_file_and_line(tmp_path, body, line, message):
    path = tmp_path / "bad.tsv"
    path.write_text(_TABLE_HEAD + _GOOD_ROW + body, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_char_table(path)
    assert f"{path}:{line}:" in str(err.value)
    assert message in str(err.value)


@pytest.mark.parametrize("text, line", [
    ("source_cp\tsource\ttarget_cp\ttarget\torigin\n" + _GOOD_ROW, 1),  # no version comment
    ("# v1 without the word\n" + _GOOD_ROW, 1),
    ("# t version 1\nsource\ttarget\n" + _GOOD_ROW, 2),  # wrong header
    ("# t version 1\n# more\n" + _GOOD_ROW, 3),  # header missing
])
def test_char_table_bad_preamble(tmp_path, text, line):
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"bad\.tsv:{line}:"):
        load_char_table(path)


def test_char_table_good_file(tmp_path):
    path = tmp_path / "good.tsv"
    path.write_text(_TABLE_HEAD + _GOOD_ROW + "U+2F63\t⽣\tU+751F\t生\tfont\n", encoding="utf-8")
    assert load_char_table(path) == {"⾧": "長", "⽣": "生"}


@pytest.mark.parametrize("body, line", [("様\n様\n", 5), ("委 員\n", 4), ("\n", 4), (" 君\n", 4)])
def test_word_list_bad_line_names_file_and_line(tmp_path, body, line):
    path = tmp_path / "words.txt"
    path.write_text("# words version 1\n# comment\nword\n" + body, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"words\.txt:{line}:"):
        load_word_list(path)


def test_word_list_longest_first(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# words version 1\nword\n長\n委員長\n委員\n", encoding="utf-8")
    assert load_word_list(path) == ("委員長", "委員", "長")
