"""Kanji numerals in dates and times (令和四年一月二十日, 午後三時) → ASCII digits."""
from __future__ import annotations

import re

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
#: A run of kanji numerals directly before a date or time unit; elsewhere
#: (一郎, 三牧) the same characters are not numbers.
_KANJI_NUMBER_RE = re.compile(r"[〇零一二三四五六七八九十百千]+(?=\s*(?:年|月|日|時|分))")


def kanji_to_int(numeral: str) -> int | None:
    """Value of a kanji numeral: 二十 → 20, 三十一 → 31, 二〇二二 → 2022; None if malformed."""
    if not any(ch in _UNITS for ch in numeral):
        # Positional writing (二〇二二): one digit per character.
        return int("".join(str(_DIGITS[ch]) for ch in numeral)) if numeral else None
    total, digit = 0, None
    last_unit = 10_000
    for ch in numeral:
        if ch in _DIGITS:
            if digit is not None:
                return None  # two digits in a row inside 十/百/千 notation
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None  # 十百, 十十
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def replace_kanji_numerals(text: str) -> str:
    """Write kanji numerals that precede 年/月/日/時/分 in ASCII digits."""
    def repl(match: re.Match) -> str:
        value = kanji_to_int(match.group())
        return match.group() if value is None else str(value)
    return _KANJI_NUMBER_RE.sub(repl, text)
