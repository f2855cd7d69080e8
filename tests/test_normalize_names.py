"""parse_name and split_unspaced."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.normalize import PersonName, parse_name, person_key, split_unspaced

PROPERTY = settings(max_examples=200, deadline=None, database=None)


@pytest.mark.parametrize("text, family, given", [
    # printed with one space: trusted as printed
    ("藤井 裕久", "藤井", "裕久"),
    ("田中 斉", "田中", "斉"),
    ("田中\u3000斉", "田中", "斉"),
    ("林\u3000\u3000正之", "林", "正之"),
    ("勅使河原 三千代", "勅使河原", "三千代"),
    ("John Smith", "John", "Smith"),
    # evenly spread (均等割付): joined, then split with Sudachi
    ("藤 井 裕 久", "藤井", "裕久"),
    ("藤\u3000井\u3000裕\u3000久", "藤井", "裕久"),
    ("田 中 齊", "田中", "齊"),
    # one gap wider than the others: split there
    ("田\u3000中\u3000\u3000齊", "田中", "齊"),
    ("藤\u3000井\u3000\u3000裕\u3000久", "藤井", "裕久"),
    ("南 里  明 日 香", "南里", "明日香"),
    # no space: Sudachi's surname knowledge, not a fixed two-character cut
    ("藤井裕久", "藤井", "裕久"),
    ("林正之", "林", "正之"),
    ("三牧純一郎", "三牧", "純一郎"),
    ("出来田肇", "出来田", "肇"),
    ("南里明日香", "南里", "明日香"),
    ("石破茂", "石破", "茂"),
    ("小池百合子", "小池", "百合子"),
    ("鈴木一", "鈴木", "一"),
    ("山田さくら", "山田", "さくら"),
    # variant kanji kept as printed, even where Sudachi only knows the common form
    ("髙橋一郎", "髙橋", "一郎"),
    ("山﨑太郎", "山﨑", "太郎"),
    ("渡邉美樹", "渡邉", "美樹"),
    ("齋藤健", "齋藤", "健"),
    ("澤田 明", "澤田", "明"),
    # radicals and compatibility ideographs in the text layer are repaired
    ("⾧谷川 健", "長谷川", "健"),
    ("田 中 ⿑", "田中", "斉"),
    ("ＴＡＮＡＫＡ　Ｈｉｔｏｓｈｉ", "TANAKA", "Hitoshi"),
])
def test_split(text, family, given):
    assert parse_name(text) == PersonName(family, given)


@pytest.mark.parametrize("text, family, given", [
    ("藤井 裕久 君", "藤井", "裕久"),
    ("藤井裕久君", "藤井", "裕久"),
    ("議長 藤井裕久君", "藤井", "裕久"),
    ("議長藤井裕久", "藤井", "裕久"),
    ("田中 斉 委員長", "田中", "斉"),
    ("田中 斉委員長", "田中", "斉"),
    ("委員長　田　中　　齊", "田中", "齊"),
    ("富山市長\u3000藤井 裕久", "藤井", "裕久"),
    ("市長会事務局長 田中 斉", "田中", "斉"),
    ("藤井 裕久 富山市長", "藤井", "裕久"),
    ("田中斉様", "田中", "斉"),
    ("田中 斉 氏", "田中", "斉"),
    ("田中斉さん", "田中", "斉"),
    ("田中 斉 殿", "田中", "斉"),
    ("田中 斉（たなか ひとし）", "田中", "斉"),
    ("田中 斉 (代理)", "田中", "斉"),
    ("◎田中 斉", "田中", "斉"),
    ("○ 藤井 裕久", "藤井", "裕久"),
    ("議長：藤井 裕久", "藤井", "裕久"),
])
def test_honorifics_and_roles_are_stripped(text, family, given):
    assert parse_name(text) == PersonName(family, given)


@pytest.mark.parametrize("text, family", [("田中", "田中"), ("林", "林"), ("", ""), ("   ", "")])
def test_unsplittable(text, family):
    p = parse_name(text)
    assert (p.family, p.given) == (family, "")


def test_name_property_is_family_space_given():
    p = parse_name("藤井裕久")
    assert p.name == "藤井 裕久" == p.family + " " + p.given


def test_a_family_name_alone_has_no_trailing_space():
    # glued lists print family names only (角田委員長): the name is the family name as is
    assert parse_name("田中").name == "田中"


def test_person_name_is_frozen():
    p = parse_name("藤井 裕久")
    with pytest.raises(AttributeError):
        p.family = "x"


def test_split_unspaced_uses_the_dictionary():
    assert split_unspaced("出来田肇") == ("出来田", "肇")
    assert split_unspaced("斉") == ("斉", "")


@pytest.mark.parametrize("spellings", [
    ("田中 斉", "田中　齊", "田　中　　齊", "田中斉", "田 中 ⿑"),
    ("髙橋 一郎", "高橋一郎", "高 橋 一 郎"),
    ("渡邉 美樹", "渡辺美樹", "渡邊　美樹"),
])
def test_parsed_spellings_share_one_person_key(spellings):
    keys = {person_key(parse_name(s).name) for s in spellings}
    assert len(keys) == 1


_NAMES = [("藤井", "裕久"), ("林", "正之"), ("三牧", "純一郎"), ("出来田", "肇"), ("南里", "明日香"),
          ("田中", "斉"), ("小池", "百合子"), ("河野", "太郎")]


@PROPERTY
@given(st.sampled_from(_NAMES), st.sampled_from([" ", "\u3000", "  ", "\u3000\u3000"]),
       st.sampled_from(["", "君", " 君", " 委員長", "様"]), st.sampled_from(["", "議長 ", "○"]))
def test_printed_split_survives_spacing_and_honorifics(name, gap, suffix, prefix):
    family, given_name = name
    assert parse_name(f"{prefix}{family}{gap}{given_name}{suffix}") == PersonName(family, given_name)


@PROPERTY
@given(st.sampled_from(_NAMES), st.sampled_from([" ", "\u3000"]))
def test_evenly_spread_names_split_like_unspaced_ones(name, gap):
    family, given_name = name
    assert parse_name(gap.join(family + given_name)) == parse_name(family + given_name)


@PROPERTY
@given(st.text(max_size=20))
def test_parse_name_never_raises(text):
    p = parse_name(text)
    assert p.name == (p.family + " " + p.given if p.given else p.family)
    assert " " not in p.family and " " not in p.given


# --- names printed in pieces (attendee lists of other bodies' records) ----------------------------

from pipeline.normalize._names import family_prefix_scores, pieces_to_name, pieces_to_names  # noqa: E402


@pytest.mark.parametrize("pieces, family, given", [
    (["岡", "田", "英"], "岡田", "英"),
    (["山之内", "悠"], "山之内", "悠"),
    (["槻ノ木沢", "昌", "敏"], "槻ノ木沢", "昌敏"),
    (["田", "代", "千代志"], "田代", "千代志"),
    (["境", "田", "ケイ子"], "境田", "ケイ子"),
    (["三", "牧", "純", "一", "郎"], "三牧", "純一郎"),
    (["ビアンキ", "アンソニー"], "ビアンキ", "アンソニー"),
    (["岡", "覚"], "岡", "覚"),
    (["利", "川", "智"], "利川", "智"),
    (["青", "木"], "青木", ""),
])
def test_a_spread_name_keeps_its_whole_halves(pieces, family, given):
    assert pieces_to_name(pieces)[0] == PersonName(family, given)


def test_a_row_of_spread_names_is_cut_where_the_dictionary_knows_the_parts():
    def cut(text):
        return [n.name for _, _, n in pieces_to_names(text.split())]
    assert cut("高 橋 正 男 千 葉 勇") == ["高橋 正男", "千葉 勇"]
    assert cut("石 黒 直 次 田 代 千代志") == ["石黒 直次", "田代 千代志"]
    assert cut("小 林 一 雄 藤 原 万 正") == ["小林 一雄", "藤原 万正"]
    assert cut("雲 雀 俊 作 小田嶋 忠") == ["雲雀 俊作", "小田嶋 忠"]
    assert cut("藤 井 裕 久") == ["藤井 裕久"]  # one name, not two halves
    assert cut("奥村隆一 関谷昇") == ["奥村 隆一", "関谷 昇"]


def test_text_that_cannot_be_a_name_scores_lowest():
    assert pieces_to_name(["令和4年"])[1] < -5
    assert pieces_to_name(["議"])[1] < 0


def test_family_name_glued_to_a_post():
    best = lambda text: max(family_prefix_scores(text).items(), key=lambda kv: kv[1])[0]  # noqa: E731
    assert best("阿部知事") == 2
    assert best("関副知事") == 1
    assert best("原佐久地域振興局長") == 1  # 原佐 is no surname
    assert best("柳沢上田地域振興局長") == 2  # not 柳, cut inside the word 柳沢
    assert best("布山上伊那地域振興局長") == 2  # unknown to the dictionary, but one word
