"""parse_time_span: 午後3時～4時30分 → (15:00, 16:30)."""
from __future__ import annotations

from datetime import time

import regex as re

from pipeline.normalize._numerals import replace_kanji_numerals
from pipeline.normalize._text import normalize_text

_MERIDIEM = r"(?P<ap>午前|午後|AM|PM|A\.M\.|P\.M\.|am|pm|a\.m\.|p\.m\.)?\s*"
# 時 followed by 間/点/期/限/代 is a duration or a period (3時間, 1時点), not a clock time.
_CLOCK = rf"""{_MERIDIEM}
    (?:(?<![\d./:])(?P<h>\d{{1,2}})\s*時(?!間|点|期|限|代)\s*(?:(?P<m>\d{{1,2}})\s*分|(?P<half>半))?
     |(?<![\d./:])(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?![\d:])
     |(?P<noon>正午))"""
_CLOCK_RE = re.compile(_CLOCK, re.VERBOSE)
# 自 午後2時 至 午後3時30分: official forms open a range with 自 and close it with 至.
_CONNECTOR_RE = re.compile(r"\s*(?:~|から|-|至)\s*")
#: What may stand before the first clock time when ``at_start`` asks for a value that is a
#: time: spaces, a colon left by the label, and 自 (from).
_LEAD_RE = re.compile(r"[\s:]*(?:自\s*)?")


def _clock(m: re.Match) -> tuple[int, int, str | None] | None:
    """(hour, minute, 午前/午後 or None) of one clock-time match, before 午前/午後 applies."""
    if m.group("noon"):
        return 12, 0, "noon"
    hour = int(m.group("h"))
    minute = 30 if m.group("half") else int(m.group("m") or 0)
    ap = m.group("ap")
    if ap:
        ap = "午前" if ap in ("午前", "AM", "A.M.", "am", "a.m.") else "午後"
    return hour, minute, ap


def _apply(hour: int, minute: int, ap: str | None) -> time | None:
    # 午後0時 and the common 午後12時 both mean noon; 午前12時 is read as midnight.
    if ap == "午後" and hour < 12:
        hour += 12
    elif ap == "午前" and hour == 12:
        hour = 0
    elif ap in ("午前", "午後") and hour > 12:
        return None  # 午後15時 is a misprint we cannot resolve
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def parse_time_span(text: str, *, at_start: bool = False) -> tuple[time | None, time | None]:
    """Parse the first clock time or time range in ``text``.

    Args:
        text: e.g. ``午後3時～4時30分``, ``15時～16時30分``, ``15:00～16:30``,
            ``15時～``, ``午前10時～正午``, ``午後三時``, ``自 午後2時 至 午後3時``.
        at_start: only a time that opens ``text`` (after spaces, a colon or 自) counts:
            the value printed after a label such as 開会, where a time further on
            belongs to something else.

    Returns:
        (start, end): end is None for an open range (15時～) or a single time;
        both are None when the text holds no clock time. 午前/午後 on the start
        carries to an end printed without its own; if that would put a 午前 end
        before the start (午前11時～1時) the end is read as 午後.
    """
    t = replace_kanji_numerals(normalize_text(text).replace("～", "~"))
    first = _CLOCK_RE.match(t, _LEAD_RE.match(t).end()) if at_start else _CLOCK_RE.search(t)
    if not first:
        return None, None
    h1, m1, ap1 = _clock(first)
    start = time(12, 0) if ap1 == "noon" else _apply(h1, m1, ap1)
    if start is None:
        return None, None
    connector = _CONNECTOR_RE.match(t, first.end())
    second = _CLOCK_RE.match(t, connector.end()) if connector else None
    if not second:
        return start, None
    h2, m2, ap2 = _clock(second)
    if ap2 == "noon":
        return start, time(12, 0)
    if ap2 is None and ap1 in ("午前", "午後"):
        ap2 = ap1
        end = _apply(h2, m2, ap2)
        if ap1 == "午前" and end is not None and end < start:
            end = _apply(h2, m2, "午後")
        return start, end
    return start, _apply(h2, m2, ap2)
