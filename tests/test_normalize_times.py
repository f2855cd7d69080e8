"""parse_time_span: the forms meeting headers print (more cases in test_normalize_dates.py)."""
from __future__ import annotations

from datetime import time as T

import pytest

from pipeline.normalize import parse_time_span


@pytest.mark.parametrize("text, expected", [
    # 午前/午後 carried to an end time printed without its own
    ("午後7時~8時50分", (T(19), T(20, 50))),
    ("令和4年4月27日(水曜日) 午後7時~8時50分", (T(19), T(20, 50))),
    # every range mark: ～ ~ 〜 ∼ (U+223C) － から…まで 自…至
    ("午前10時～11時", (T(10), T(11))),
    ("午前10時〜11時", (T(10), T(11))),
    ("午前10時∼11時", (T(10), T(11))),
    ("13:30－15:30", (T(13, 30), T(15, 30))),
    ("午前9時58分から 午前10時33分まで", (T(9, 58), T(10, 33))),
    ("自 午後2時00分 至 午後3時30分", (T(14), T(15, 30))),
    ("自午前10時至正午", (T(10), T(12))),
    # open range, full-width digits and colon, single-digit minutes, a zero-padded hour
    ("午後7時00分∼", (T(19), None)),
    ("８：４５～８：５５", (T(8, 45), T(8, 55))),
    ("午前10時5分～11時", (T(10, 5), T(11))),
    ("10時25分", (T(10, 25), None)),
    ("午前09時30分~午前10時03分", (T(9, 30), T(10, 3))),
    ("午後二時十五分", (T(14, 15), None)),
])
def test_header_time_forms(text, expected):
    assert parse_time_span(text) == expected


@pytest.mark.parametrize("text, expected", [
    (" 10時25分 1", (T(10, 25), None)),
    (":午前10時～正午", (T(10), T(12))),
    ("\n自 午後2時 至 午後3時", (T(14), T(15))),
    ("宣告 10時25分", (None, None)),          # a time further on belongs to something else
    ("令和5年6月20日 午前11時", (None, None)),
])
def test_at_start_reads_only_a_time_that_opens_the_text(text, expected):
    assert parse_time_span(text, at_start=True) == expected


def test_at_start_is_off_by_default():
    assert parse_time_span("宣告 10時25分") == (T(10, 25), None)
