"""parse_date: Japanese date expressions → DateSpan."""
from __future__ import annotations

import calendar
import dataclasses
from dataclasses import dataclass
from datetime import date

import regex as re

from pipeline.normalize._numerals import replace_kanji_numerals
from pipeline.normalize._text import normalize_text

#: First Gregorian year of each era; era year N is start + N - 1, without range
#: checks, because documents print 平成32年度 and 昭和64年 long after the change.
DEFAULT_ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
                "M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019}
#: Western years outside this range are taken for other numbers (phone numbers, codes).
DEFAULT_WESTERN_YEARS = range(1868, 2201)
#: First month of the Japanese fiscal year (April–March).
FISCAL_YEAR_START_MONTH = 4
PRECISIONS = ("day", "early", "mid", "late", "month", "year", "fiscal_year")
# How coarse each precision is: a range takes the coarser of its two ends.
_COARSENESS = {"day": 0, "early": 1, "mid": 1, "late": 1, "month": 2, "year": 3, "fiscal_year": 3}
# Part-of-month words → (first day, last day or None for month end, precision).
_MONTH_PARTS = {
    "上旬": (1, 10, "early"), "初旬": (1, 10, "early"), "初め": (1, 10, "early"), "初頭": (1, 10, "early"),
    "中旬": (11, 20, "mid"), "半ば": (11, 20, "mid"), "中頃": (11, 20, "mid"),
    "下旬": (21, None, "late"),
    "末": (None, None, "day"),
}
_WEEKDAYS = "月火水木金土日"
_PLANNED_RE = re.compile(r"予定|見込|[（(]案[）)]")

# Spaces inside a date token (R 3. 1. 10, 令和 4 年) are noise of the PDF layout;
# spaces between two numbers are kept, since those may be two separate values.
_DATE_GAP_RE = re.compile(
    r"(?<=[MTSHR治正和成./年月])\s+(?=\d)|(?<=\d)\s+(?=[./年月日])|(?<=月)\s+(?=[上中下初半末頃])")
_GENGO_ONE_RE = re.compile(r"(明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR]\.?)\s*元(?=\s*年)")
# The same year in the other calendar, in brackets after the first: 令和6年(2024年)12月20日,
# 2024年（令和6年）12月20日. It says nothing the first year does not, and would cut the date
# in two (the year alone, then a month and day without one).
_OTHER_CALENDAR_YEAR_RE = re.compile(
    r"(?<=年)\s*[（(]\s*(?:(?:明治|大正|昭和|平成|令和|[MTSHR]\.?)\s*\d{1,2}|\d{4})\s*年?\s*[）)]\s*(?=\d)")

_YEAR = r"""(?:(?P<era>明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR])\.?(?P<eyear>\d{1,2})
              |(?<![\d.,])(?P<wyear>\d{4})(?!\d))"""
_PART = r"(?P<part>上旬|初旬|初め|初頭|中旬|半ば|中頃|下旬|末)?(?:頃|ごろ)?"
_NOT_FRACTION = r"(?!\s*(?:の割合|以上|以下|未満|程度|超|%|倍|ページ|頁))"
# One date term. Branches are tried left to right at each position, longest forms first.
_TERM = rf"""
    {_YEAR}年度(?P<fy_end>末)?
  | {_YEAR}(?P<ysep>年|[./-])(?P<month>\d{{1,2}})(?:月|[./-])(?P<day>\d{{1,2}})(?![\d])(?!\.\d)日?
  | {_YEAR}(?P<ysep>年|[./])(?P<month>\d{{1,2}})(?P<msep>月)?~(?P<month2>\d{{1,2}})月(?![\d])
  | {_YEAR}(?P<ysep>年|[./])(?P<month>\d{{1,2}})(?![\d])(?P<msep>月)?(?!\.\d|/\d){_PART}
  | {_YEAR}年(?!度)
  | (?<![\dA-Za-z./\-])(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}})(?![\d/]|\.\d){_NOT_FRACTION}
  | (?<![\d./\-])(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日
  | (?<![\d./\-~])(?P<month>\d{{1,2}})月?~(?P<month2>\d{{1,2}})月(?![\d])
  | (?<![\d./\-])(?P<month>\d{{1,2}})月{_PART}
  | (?P<fy_only>年度末)
"""
_TERM_RE = re.compile(_TERM, re.VERBOSE)
_WEEKDAY_RE = re.compile(r"\s*[（(〈<]\s*(?P<wd>[月火水木金土日])\s*(?:曜日?)?\s*(?:[・,、]\s*(?:祝|休)日?)?\s*[）)〉>]")
# 至 closes a range opened by 自 (自 令和4年4月1日 至 令和5年3月31日), as official forms print it.
_CONNECTOR_RE = re.compile(r"\s*(?P<c>~|から|-|至)\s*")
# What may follow a range connector when it is not a full term: a day (3/7~10)
# or month.day (R4.5.1~6.30) that inherits the rest from the start.
_SHORT_END_RE = re.compile(r"(?:(?P<month>\d{1,2})[./])?(?P<day>\d{1,2})日?(?![\d/.月年])")


@dataclass(frozen=True)
class DateSpan:
    """A date or a span of dates as printed.

    Attributes:
        start: first day covered.
        end: last day covered (== start for precision 'day').
        precision: 'day', 'early'/'mid'/'late' (上旬/中旬/下旬), 'month', 'year'
            or 'fiscal_year'.
        planned: printed as a plan (予定, 見込み, （案）) or starting after the meeting.
    """

    start: date
    end: date
    precision: str
    planned: bool = False


@dataclass(frozen=True)
class _Term:
    """One parsed date term before its year is settled."""

    year: int | None          # calendar year; the fiscal year for kind 'fy'/'fy_end'
    month: int | None
    day: int | None
    kind: str                 # 'day', 'month', 'months', 'year', 'fy', 'fy_end'
    part: str | None = None   # a _MONTH_PARTS key
    month2: int | None = None  # last month of kind 'months' (2~3月)
    weekday: int | None = None
    stop: int = 0             # index just after the term in the prepared text


def _prepare(text: str) -> str:
    t = normalize_text(text).replace("～", "~")
    t = replace_kanji_numerals(t)
    t = _GENGO_ONE_RE.sub(r"\g<1>1", t)
    t = _OTHER_CALENDAR_YEAR_RE.sub("", t)
    return _DATE_GAP_RE.sub("", t)


def _year_of(m: re.Match) -> int | None:
    if m.group("eyear") is not None:
        n = int(m.group("eyear"))
        return DEFAULT_ERAS[m.group("era")] + n - 1 if n >= 1 else None
    if m.group("wyear") is not None:
        y = int(m.group("wyear"))
        return y if y in DEFAULT_WESTERN_YEARS else None
    return None


def _term_from_match(m: re.Match) -> _Term | None:
    """Interpret one _TERM_RE match; None when it is not a usable date."""
    has_year = m.group("eyear") is not None or m.group("wyear") is not None
    year = _year_of(m) if has_year else None
    if has_year and year is None:
        return None
    if m.group("fy_only"):
        return _Term(None, None, None, "fy_end", stop=m.end())
    month = int(m.group("month")) if m.group("month") else None
    day = int(m.group("day")) if m.group("day") else None
    if month is None:
        # 令和4年度, 令和4年度末, 令和元年
        kind = ("fy_end" if m.group("fy_end") else "fy") if "度" in m.group() else "year"
        return _Term(year, None, None, kind, stop=m.end())
    if not 1 <= month <= 12:
        return None
    if m.group("month2"):
        month2 = int(m.group("month2"))
        return _Term(year, month, None, "months", month2=month2, stop=m.end()) if 1 <= month2 <= 12 else None
    if day is not None:
        if not 1 <= day <= 31:
            return None
        return _Term(year, month, day, "day", stop=m.end())
    # A Western year and a bare number (2022.12, 2022/3) is more often a decimal
    # or a ratio than a month: require 年 or 月.
    if m.group("wyear") and m.group("ysep") != "年" and not m.group("msep"):
        return None
    return _Term(year, month, None, "month", part=m.group("part") or None, stop=m.end())


def _with_weekday(term: _Term, text: str) -> _Term:
    """Read a printed weekday after a day term: （木）, (木), 〈木〉, （木・祝）."""
    m = _WEEKDAY_RE.match(text, term.stop)
    if not m:
        return term
    weekday = _WEEKDAYS.index(m.group("wd")) if term.kind == "day" else None
    return dataclasses.replace(term, weekday=weekday, stop=m.end())


def _first_term(text: str) -> _Term | None:
    for m in _TERM_RE.finditer(text):
        term = _term_from_match(m)
        if term is not None and _bounds(term, term.year or 2000) is not None:
            return _with_weekday(term, text)
    return None


def _end_term(text: str, start: _Term) -> _Term | None:
    """The term after a range connector, with what it omits taken from ``start``."""
    c = _CONNECTOR_RE.match(text, start.stop)
    if not c:
        return None
    m = _TERM_RE.match(text, c.end())
    term = _term_from_match(m) if m else None
    if term is not None:
        return _with_weekday(term, text)
    if c.group("c") == "-" or start.kind != "day":
        return None  # a bare number after '-' is a count or a code, not a day
    short = _SHORT_END_RE.match(text, c.end())
    if not short:
        return None
    month = int(short.group("month")) if short.group("month") else start.month
    return _with_weekday(_Term(None, month, int(short.group("day")), "day", stop=short.end()), text)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _bounds(term: _Term, year: int) -> tuple[date, date, str] | None:
    """First day, last day and precision of ``term`` in ``year``; None if impossible."""
    try:
        if term.kind == "fy":
            return date(year, 4, 1), date(year + 1, 3, 31), "fiscal_year"
        if term.kind == "fy_end":
            end = date(year + 1, 3, 31)
            return end, end, "day"
        if term.kind == "year":
            return date(year, 1, 1), date(year, 12, 31), "year"
        if term.kind == "day":
            d = date(year, term.month, term.day)
            return d, d, "day"
        if term.kind == "months":
            end_year = year + (term.month2 < term.month)
            return date(year, term.month, 1), date(end_year, term.month2, _last_day(end_year, term.month2)), "month"
        last = _last_day(year, term.month)
        if term.part is None:
            return date(year, term.month, 1), date(year, term.month, last), "month"
        first, final, precision = _MONTH_PARTS[term.part]
        first, final = first or last, final or last
        return date(year, term.month, first), date(year, term.month, final), precision
    except (ValueError, OverflowError):
        return None


def fiscal_year_of(day: date) -> int:
    return day.year if day.month >= FISCAL_YEAR_START_MONTH else day.year - 1


def _settle_year(term: _Term, fiscal_year: int, meeting_date: date | None, marked: bool) -> int | None:
    """Calendar year of a term printed without one (4/27, 12月下旬, 年度末)."""
    if term.kind == "fy_end":
        return fiscal_year
    fy_year = fiscal_year if term.month >= FISCAL_YEAR_START_MONTH else fiscal_year + 1
    year = fy_year
    span = _bounds(term, year)
    if meeting_date and not marked and span and span[0] > meeting_date:
        year -= 1  # a done thing listed after the meeting happened the year before
    if term.weekday is not None:
        for candidate in dict.fromkeys((year, fy_year, fy_year - 1, fy_year + 1)):
            span = _bounds(term, candidate)
            if span and span[0].weekday() == term.weekday:
                return candidate
    return year


def parse_date(text: str, *, meeting_date: date | None = None, fiscal_year: int | None = None) -> DateSpan | None:
    """Parse the first date, month, fiscal year or range printed in ``text``.

    Args:
        text: a cell or line, e.g. ``令和4年1月20日（木）``, ``R 4. 5月中旬``,
            ``2/4予定``, ``10/7~1/9``, ``令和4年度``.
        meeting_date: the meeting the document belongs to; dates without a year
            are placed relative to it, and dates after it are planned.
        fiscal_year: fiscal year (April–March) that dates without a year belong
            to; defaults to the one containing ``meeting_date``.

    Returns:
        A DateSpan, or None when the text holds no date (第4回, 17名, 1/3の割合),
        holds an impossible one (2月30日, 13月, 令和0年), or holds only a
        month/day with neither ``meeting_date`` nor ``fiscal_year`` to settle
        its year. Never raises on str input.
    """
    prepared = _prepare(text)
    start = _first_term(prepared)
    if start is None:
        return None
    end = _end_term(prepared, start)
    marked = bool(_PLANNED_RE.search(prepared))
    if fiscal_year is None and meeting_date is not None:
        fiscal_year = fiscal_year_of(meeting_date)

    if start.year is not None:
        year = start.year
    elif fiscal_year is None:
        return None
    else:
        year = _settle_year(start, fiscal_year, meeting_date, marked)
    first = _bounds(start, year)
    if first is None:
        return None
    begin, finish, precision = first

    if end is not None:
        end_year = end.year
        if end_year is None and end.kind == "fy_end":
            end_year = fiscal_year_of(begin)  # 4月~年度末
        elif end_year is None:
            # What the end omits comes from the start: 5月~6月, 3/7~10, R4.5.1~6.30.
            end_year = begin.year
            later = _bounds(end, end_year)
            if later and later[1] < begin:
                end_year += 1  # 10/7~1/9 crosses into the next year
        last = _bounds(end, end_year)
        if last is not None and last[1] >= begin:
            finish = last[1]
            if _COARSENESS[last[2]] > _COARSENESS[precision]:
                precision = last[2]
    planned = marked or (meeting_date is not None and begin > meeting_date)
    return DateSpan(begin, finish, precision, planned)
