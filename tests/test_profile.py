"""Body profiles: loaded strictly, merged with the genre, detected from content."""
from __future__ import annotations

import pytest

from pipeline import profile as P


def test_the_shipped_profiles_load_and_extend_the_genre():
    profiles = P.load_profiles()
    assert {"renkei_packet", "meeting_record", P.FALLBACK} <= set(profiles)
    assert P.GENRE not in profiles
    # a genre key reaches every profile unless the profile replaces it
    for prof in profiles.values():
        assert "次第" in prof.words("outline", "cover_headings")
    assert profiles["meeting_record"].get("outline", "header_on_first_page") is True
    assert profiles["renkei_packet"].get("outline", "header_on_first_page") is False


@pytest.mark.parametrize("text, message", [
    ('name = "x"\n[outline\n', "x.toml: "),
    ('description = "x"\n\n[bogus]\nwords = ["a"]\n', "x.toml, line 3: unknown section [bogus]"),
    ('description = "x"\ncolour = "red"\n', "x.toml, line 2: unknown key 'colour'"),
    ('[outline]\n\nlabel_lines = {a = 1}\n', "x.toml, line 3: a value must be"),
    ('[outline]\ncover_headings = ["次第", 3]\n', "x.toml, line 2: a value must be"),
    ('parsers = "pages"\n', "x.toml, line 1: parsers must be a list of names"),
])
def test_a_bad_profile_is_an_error_naming_file_and_line(text, message):
    with pytest.raises(P.ProfileError) as e:
        P.text_to_raw_profile(text, "x.toml")
    assert str(e.value).startswith(message)


def test_extra_keys_add_to_the_genre_list_and_plain_keys_replace_it():
    base = {"outline": {"cover_headings": ["次第"], "other_headings": ["配席図"]}}
    own = {"outline": {"extra_cover_headings": ["会議次第"], "other_headings": ["座席表"]}}
    merged = P._merge(base, own)
    assert merged["outline"]["cover_headings"] == ["次第", "会議次第"]
    assert merged["outline"]["other_headings"] == ["座席表"]


def test_an_unknown_parser_in_a_profile_is_an_error(monkeypatch):
    files = dict(P._profile_files())
    files["broken"] = 'description = "x"\nparsers = ["pages", "no_such_parser"]\n'
    monkeypatch.setattr(P, "_profile_files", lambda: files)
    P.load_profiles.cache_clear()
    try:
        with pytest.raises(P.ProfileError, match=r"broken.toml, line 2: unknown parser 'no_such_parser'"):
            P.load_profiles()
    finally:
        P.load_profiles.cache_clear()


def test_pattern_allows_letter_spacing_and_prefers_the_longest_word():
    prof = P.Profile("t", "", (), {"attendees": {"list_headings": ["委員", "出席委員"]}})
    pat = prof.pattern("attendees", "list_headings")
    assert pat.match("出 席 委 員").group(0) == "出 席 委 員"
    assert pat.match("委員長").group(0) == "委員"
    assert prof.pattern("attendees", "nothing") is None


SERIES_TEXT = """「ワンチームとやま」連携推進本部会議 次第
出席者 1. 市町村等（17名）
連携項目名 WG開催状況 取り組み結果と今後の方向性 年間スケジュール"""
RECORD_TEXT = """広域連携推進特別委員会記録
開催日時及び場所 令和3年12月17日(金)午前10時00分~午前10時35分 第1委員会室
出席委員(8名) 委員長 岡 田 英 君"""


@pytest.mark.parametrize("text, expected", [
    (SERIES_TEXT, "renkei_packet"),
    (RECORD_TEXT, "meeting_record"),
    ("売上報告 第3四半期の数字", P.FALLBACK),
])
def test_the_profile_is_detected_from_the_text(text, expected):
    det = P.text_to_detection(text)
    assert det.profile.name == expected
    if expected == P.FALLBACK:
        assert det.evidence == () and det.evidence_text() == "no profile's evidence found"
    else:
        assert det.score >= det.profile.get("detect", "min_score")
        assert det.evidence_text().startswith(f"score {det.score:g}: ")


def test_evidence_counts_each_phrase_once_and_ignores_spaces():
    det = P.text_to_detection("議 事 録\n議事録 議事録 出席委員 出席委員")
    assert det.profile.name == "meeting_record"
    assert det.evidence == ("議事録", "出席委員")
    assert det.score == 4


def test_get_profile_names_the_known_ones():
    with pytest.raises(KeyError, match="unknown profile 'nope' \\(known: meeting_record, renkei_packet"):
        P.get_profile("nope")
