"""parse_date and parse_time_span."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.normalize import DateSpan, parse_date, parse_time_span

PROPERTY = settings(max_examples=400, deadline=None, database=None)
MEETING = date(2022, 1, 20)  # the sample packet's meeting, fiscal year 2021
D = date


def span(start, end=None, precision="day", planned=False):
    return DateSpan(start, end or start, precision, planned)


# --- full dates ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("令和4年1月20日", D(2022, 1, 20)),
    ("令和4年1月20日（木）", D(2022, 1, 20)),
    ("令和4年1月20日(木)", D(2022, 1, 20)),
    ("令和4年1月20日〈木〉", D(2022, 1, 20)),
    ("令和4年1月20日（木曜日）午後3時", D(2022, 1, 20)),
    ("令和 4 年 1 月 20 日", D(2022, 1, 20)),
    ("令和四年一月二十日", D(2022, 1, 20)),
    ("令和４年１月２０日", D(2022, 1, 20)),
    ("R4.1.20", D(2022, 1, 20)),
    ("R 4. 1. 20", D(2022, 1, 20)),
    ("R 3. 1. 10", D(2021, 1, 10)),
    ("Ｒ４．１．２０", D(2022, 1, 20)),
    ("R4/1/20", D(2022, 1, 20)),
    ("R4年1月20日", D(2022, 1, 20)),
    ("H31.4.30", D(2019, 4, 30)),
    ("S64.1.7", D(1989, 1, 7)),
    ("T15.12.24", D(1926, 12, 24)),
    ("M45.7.29", D(1912, 7, 29)),
    ("2022年1月20日", D(2022, 1, 20)),
    ("2022/1/20", D(2022, 1, 20)),
    ("2022-01-20", D(2022, 1, 20)),
    ("2022.1.20", D(2022, 1, 20)),
    ("２０２２年１月２０日", D(2022, 1, 20)),
    ("二〇二二年一月二十日", D(2022, 1, 20)),
    ("平成31年4月30日", D(2019, 4, 30)),
    ("令和元年5月1日", D(2019, 5, 1)),
    ("平成31年5月1日", D(2019, 5, 1)),   # lenient: no era range check
    ("昭和64年1月8日", D(1989, 1, 8)),
    ("R4. 1. 1時点", D(2022, 1, 1)),
    ("日 時：令和4年1月20日（木） 午後3時～4時30分", D(2022, 1, 20)),
    ("令和4年2月29日", None),
    ("令和6年2月29日", D(2024, 2, 29)),
    ("令和4年2月30日", None),
    ("2022/13/1", None),
    ("令和0年1月1日", None),
])
def test_full_dates(text, expected):
    got = parse_date(text)
    assert got == (None if expected is None else span(expected))


# --- the year in both calendars (meeting headers) ---------------------------------

@pytest.mark.parametrize("text, expected", [
    ("令和6年(2024年)12月20日", D(2024, 12, 20)),
    ("令和6年（2024年）12月20日（金）", D(2024, 12, 20)),
    ("2024年(令和6年)12月20日", D(2024, 12, 20)),
    ("令和元年(2019年)5月1日", D(2019, 5, 1)),
    ("令和６年（２０２４年）１２月２０日", D(2024, 12, 20)),
    ("令和六年（二〇二四年）十二月二十日", D(2024, 12, 20)),
    ("令和6年(2024年)12⽉20⽇部局⻑会議", D(2024, 12, 20)),
    ("平成十八年二月十五日", D(2006, 2, 15)),
])
def test_the_other_calendars_year_in_brackets_is_dropped(text, expected):
    assert parse_date(text) == span(expected)


def test_a_bracket_after_a_year_that_is_not_a_year_stays():
    # (2024年) with no month after it is no calendar note: the year alone is read
    assert parse_date("令和6年(2024年)") == span(D(2024, 1, 1), D(2024, 12, 31), "year")


def test_ji_shi_range_of_dates():
    assert parse_date("自 令和4年4月1日 至 令和5年3月31日") == span(D(2022, 4, 1), D(2023, 3, 31))


# --- years, fiscal years, months ---------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("令和4年度", span(D(2022, 4, 1), D(2023, 3, 31), "fiscal_year")),
    ("R4年度", span(D(2022, 4, 1), D(2023, 3, 31), "fiscal_year")),
    ("2022年度", span(D(2022, 4, 1), D(2023, 3, 31), "fiscal_year")),
    ("平成32年度", span(D(2020, 4, 1), D(2021, 3, 31), "fiscal_year")),
    ("令和元年度", span(D(2019, 4, 1), D(2020, 3, 31), "fiscal_year")),
    ("令和4年度末", span(D(2023, 3, 31))),
    ("令和元年", span(D(2019, 1, 1), D(2019, 12, 31), "year")),
    ("2022年", span(D(2022, 1, 1), D(2022, 12, 31), "year")),
    ("令和4年5月", span(D(2022, 5, 1), D(2022, 5, 31), "month")),
    ("R5年4月施行", span(D(2023, 4, 1), D(2023, 4, 30), "month")),
    ("R 4. 5月中旬", span(D(2022, 5, 11), D(2022, 5, 20), "mid")),
    ("R 4. 8月下旬", span(D(2022, 8, 21), D(2022, 8, 31), "late")),
    ("R 5. 1月下旬", span(D(2023, 1, 21), D(2023, 1, 31), "late")),
    ("R4.2月上旬", span(D(2022, 2, 1), D(2022, 2, 10), "early")),
    ("R4.12末", span(D(2022, 12, 31))),
    ("R6.2末", span(D(2024, 2, 29))),
    ("令和4年6月末", span(D(2022, 6, 30))),
    ("令和4年5月初め", span(D(2022, 5, 1), D(2022, 5, 10), "early")),
    ("令和4年5月半ば", span(D(2022, 5, 11), D(2022, 5, 20), "mid")),
    ("令和4年5月頃", span(D(2022, 5, 1), D(2022, 5, 31), "month")),
    ("令和4年5月20日頃", span(D(2022, 5, 20))),
    ("Ｒ５．５月～６月", span(D(2023, 5, 1), D(2023, 6, 30), "month")),
    ("2022年13月", None),
    ("令和0年", None),
    ("2022.12", None),  # a decimal, not a month
])
def test_years_months_and_parts(text, expected):
    assert parse_date(text) == expected


# --- month/day without a year ---------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2/17", span(D(2021, 2, 17))),                # after the meeting, not planned: the year before
    ("2/19", span(D(2021, 2, 19))),
    ("3/26", span(D(2021, 3, 26))),
    ("4/27", span(D(2021, 4, 27))),
    ("12/21", span(D(2021, 12, 21))),
    ("1/6", span(D(2022, 1, 6))),
    ("1/20", span(D(2022, 1, 20))),                # the meeting day itself
    ("1月7日", span(D(2022, 1, 7))),
    ("1/21", span(D(2021, 1, 21))),
    ("2/4予定", span(D(2022, 2, 4), planned=True)),
    ("2/4 見込み", span(D(2022, 2, 4), planned=True)),
    ("2月予定", span(D(2022, 2, 1), D(2022, 2, 28), "month", True)),
    ("12月下旬", span(D(2021, 12, 21), D(2021, 12, 31), "late")),
    ("十二月", span(D(2021, 12, 1), D(2021, 12, 31), "month")),
    ("8月", span(D(2021, 8, 1), D(2021, 8, 31), "month")),
    ("12月末", span(D(2021, 12, 31))),
    ("年度末", span(D(2022, 3, 31), planned=True)),
    ("2/5（土）", span(D(2022, 2, 5), planned=True)),   # the weekday fixes the year
    ("2/5（金）", span(D(2021, 2, 5))),
    ("1/6（木）", span(D(2022, 1, 6))),
    ("(2~3月頃予定)", span(D(2022, 2, 1), D(2022, 3, 31), "month", True)),
    ("5/17、7/12、9/1(3町村で協定締結)", span(D(2021, 5, 17))),
])
def test_month_day_resolved_from_the_meeting(text, expected):
    assert parse_date(text, meeting_date=MEETING) == expected


@pytest.mark.parametrize("text, expected", [
    ("4/27", span(D(2021, 4, 27))),
    ("2/17", span(D(2022, 2, 17))),          # no meeting: plain fiscal-year placement
    ("8月", span(D(2021, 8, 1), D(2021, 8, 31), "month")),
    ("3月", span(D(2022, 3, 1), D(2022, 3, 31), "month")),
    ("年度末", span(D(2022, 3, 31))),
    ("2月予定", span(D(2022, 2, 1), D(2022, 2, 28), "month", True)),
])
def test_month_day_resolved_from_the_fiscal_year(text, expected):
    assert parse_date(text, fiscal_year=2021) == expected


def test_fiscal_year_argument_wins_over_the_meetings():
    assert parse_date("5/1", meeting_date=D(2022, 1, 20), fiscal_year=2019).start == D(2019, 5, 1)


def test_month_day_without_context_is_none():
    assert parse_date("4/27") is None
    assert parse_date("12月下旬") is None


# --- ranges ------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("5月～6月", span(D(2021, 5, 1), D(2021, 6, 30), "month")),
    ("5月〜6月", span(D(2021, 5, 1), D(2021, 6, 30), "month")),
    ("4/1～4/30", span(D(2021, 4, 1), D(2021, 4, 30))),
    ("R4.5.1～R4.6.30", span(D(2022, 5, 1), D(2022, 6, 30), planned=True)),
    ("R4.5.1～6.30", span(D(2022, 5, 1), D(2022, 6, 30), planned=True)),
    ("10/7~1/9", span(D(2021, 10, 7), D(2022, 1, 9))),
    ("(10/7~1/9)", span(D(2021, 10, 7), D(2022, 1, 9))),
    ("3/7~10:東京ビッグサイト", span(D(2021, 3, 7), D(2021, 3, 10))),
    ("R5.3.7~10 東京", span(D(2023, 3, 7), D(2023, 3, 10), planned=True)),
    ("令和4年5月1日～31日", span(D(2022, 5, 1), D(2022, 5, 31), planned=True)),
    ("令和4年4月1日から令和5年3月31日まで", span(D(2022, 4, 1), D(2023, 3, 31), planned=True)),
    ("5月上旬～6月", span(D(2021, 5, 1), D(2021, 6, 30), "month")),
    ("12月～1月", span(D(2021, 12, 1), D(2022, 1, 31), "month")),
    ("4月～年度末", span(D(2021, 4, 1), D(2022, 3, 31), "month")),
    ("令和3年度～令和4年度", span(D(2021, 4, 1), D(2023, 3, 31), "fiscal_year")),
    ("4/1（木）～4/30（金）", span(D(2021, 4, 1), D(2021, 4, 30))),
    ("1/20~", span(D(2022, 1, 20))),
])
def test_ranges(text, expected):
    assert parse_date(text, meeting_date=MEETING) == expected


# --- planned -----------------------------------------------------------------------

@pytest.mark.parametrize("text, planned", [
    ("令和4年2月1日", True),           # after the meeting
    ("令和4年1月20日", False),          # the meeting itself
    ("令和3年12月1日", False),
    ("令和3年12月1日（案）", True),
    ("令和3年12月1日(案)", True),
    ("令和3年12月予定", True),
    ("令和3年12月末見込み", True),
])
def test_planned(text, planned):
    assert parse_date(text, meeting_date=MEETING).planned is planned


# --- not dates ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "第4回", "17名", "資料1-2", "1/3の割合", "8か月", "8ヶ月", "3回目", "22.7%", "22. 7%", "2/3以上",
    "3/4 程度", "076-444-3136", "03-1234-5678", "0120-12-3456", "1.5倍", "No.1/2", "R4", "第1回本部会議",
    "", "   ", "13月", "2月30日", "0/5", "4/0", "令和0年", "13/1",
])
def test_not_dates(text):
    assert parse_date(text, meeting_date=MEETING) is None


# --- properties -------------------------------------------------------------------

_ERAS = (("令和", "R", D(2019, 5, 1)), ("平成", "H", D(1989, 1, 8)), ("昭和", "S", D(1926, 12, 25)))
_WEEKDAY_NAMES = "月火水木金土日"
_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _era(day: date) -> tuple[str, str, int]:
    for name, letter, first in _ERAS:
        if day >= first:
            return name, letter, day.year - first.year + 1
    raise AssertionError(day)


def _kanji(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + ("" if ones == 0 else digits[ones])


def _styles(day: date) -> list[str]:
    name, letter, n = _era(day)
    y, m, d = day.year, day.month, day.day
    wd = _WEEKDAY_NAMES[day.weekday()]
    era_year = "元" if n == 1 else str(n)
    return [
        f"{name}{n}年{m}月{d}日",
        f"{name}{era_year}年{m}月{d}日",
        f"{letter}{n}.{m}.{d}",
        f"{letter} {n}. {m}. {d}",
        f"{letter}{n}/{m}/{d}",
        f"{name}{_kanji(n) if n > 1 else '元'}年{_kanji(m)}月{_kanji(d)}日",
        f"{name}{n}年{m}月{d}日".translate(_FULLWIDTH),
        f"{letter}{n}.{m}.{d}".translate(_FULLWIDTH).replace(letter, chr(ord(letter) + 0xFEE0)),
        f"{name}{n}年{m}月{d}日（{wd}）",
        f"{y}/{m}/{d}({wd})",
        f"{y}年{m}月{d}日",
        f"{y}/{m}/{d}",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日".translate(_FULLWIDTH),
    ]


@PROPERTY
@given(st.dates(min_value=D(1926, 12, 25), max_value=D(2100, 12, 31)))
def test_every_style_parses_back_to_the_day(day):
    for text in _styles(day):
        assert parse_date(text) == span(day), text


@PROPERTY
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(-400, 400))
def test_month_day_lands_within_a_year_of_the_meeting(meeting, offset):
    day = meeting + timedelta(days=offset)
    got = parse_date(f"{day.month}/{day.day}", meeting_date=meeting)
    if (day.month, day.day) == (2, 29) and got is None:
        return  # no 29 February in the year the rules pick
    assert got is not None and got.start.month == day.month and got.start.day == day.day
    assert abs((got.start - meeting).days) <= 366


@PROPERTY
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(0, 200))
def test_weekday_settles_the_year_after_the_meeting(meeting, ahead):
    day = meeting + timedelta(days=ahead)
    text = f"{day.month}/{day.day}（{_WEEKDAY_NAMES[day.weekday()]}）"
    got = parse_date(text, meeting_date=meeting, fiscal_year=meeting.year if meeting.month >= 4 else meeting.year - 1)
    assert got is not None
    assert got.start.weekday() == day.weekday()


_DATEISH = "0123456789０１２３４５６７８９/.-~～〜 年月日度元末旬上中下初め半ば頃予定見込（）()案令和平成昭和RHSMT第回名%の割合以上"


@PROPERTY
@given(st.one_of(st.text(), st.text(alphabet=st.sampled_from(_DATEISH), max_size=40)),
       st.one_of(st.none(), st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))),
       st.one_of(st.none(), st.integers(1800, 2300)))
def test_parse_date_never_raises(text, meeting, fiscal_year):
    got = parse_date(text, meeting_date=meeting, fiscal_year=fiscal_year)
    assert got is None or (got.start <= got.end and got.precision in
                           {"day", "early", "mid", "late", "month", "year", "fiscal_year"})


# --- times -----------------------------------------------------------------------------

T = time


@pytest.mark.parametrize("text, expected", [
    ("午後3時～4時30分", (T(15), T(16, 30))),
    ("午後3時〜4時30分", (T(15), T(16, 30))),
    ("15時～16時30分", (T(15), T(16, 30))),
    ("15:00～16:30", (T(15), T(16, 30))),
    ("１５：００～１６：３０", (T(15), T(16, 30))),
    ("15:00-16:30", (T(15), T(16, 30))),
    ("15時～", (T(15), None)),
    ("日時: 令和4年1月20日(木)15時～", (T(15), None)),
    ("15時~16時30分", (T(15), T(16, 30))),
    ("正午", (T(12), None)),
    ("午前10時～正午", (T(10), T(12))),
    ("午前９時から正午まで", (T(9), T(12))),
    ("午後三時", (T(15), None)),
    ("午後三時三十分～四時", (T(15, 30), T(16))),
    ("午前10時30分～午後3時", (T(10, 30), T(15))),
    ("午前11時～1時", (T(11), T(13))),
    ("午後1時～午後2時", (T(13), T(14))),
    ("13時半", (T(13, 30), None)),
    ("午後0時", (T(12), None)),
    ("午後12時30分", (T(12, 30), None)),
    ("日 時：令和4年1月20日（木） 午後3時～4時30分", (T(15), T(16, 30))),
    ("R4. 1. 1時点", (None, None)),
    ("3時間", (None, None)),
    ("25時", (None, None)),
    ("", (None, None)),
])
def test_parse_time_span(text, expected):
    assert parse_time_span(text) == expected


@PROPERTY
@given(st.one_of(st.text(), st.text(alphabet=st.sampled_from("0123456789:時分半午前後正～~- から"), max_size=30)))
def test_parse_time_span_never_raises(text):
    start, end = parse_time_span(text)
    assert start is None or isinstance(start, time)
    assert end is None or isinstance(end, time)


@pytest.mark.parametrize("day, fy", [("2022-01-20", 2021), ("2022-03-31", 2021), ("2022-04-01", 2022),
                                     ("2019-05-01", 2019), ("2023-12-31", 2023)])
def test_fiscal_year_of(day, fy):
    from datetime import date

    from pipeline.normalize import fiscal_year_of

    assert fiscal_year_of(date.fromisoformat(day)) == fy
