"""Regressions of issue 16 (another council's packet), each named after what broke."""
from __future__ import annotations

import pytest

from pipeline.parse_kpis import text_to_figures


@pytest.mark.parametrize("text, want", [
    ("【継続】１ 地域公共交通の維持・確保", []),            # the heading's list number, not 1 地域
    ("［新規］2 市町村の連携", []),
    ("・東京と大阪で合同相談会を開催し、延べ186組が来場", [(186.0, "組")]),
    ("組織改編で3組合を統合", []),                        # 組合, 組織: not the unit 組
])
def test_heading_numbers_and_the_unit_kumi(text, want):
    assert [(f.value, f.unit) for f in text_to_figures(text)] == want


# --- material labels in every common form (issue 16.6) ---------------------------------------

from pipeline.parse_cover import DEFAULT_MATERIAL_LABELS, labels_to_material_pattern  # noqa: E402
from pipeline.normalize import normalize_text  # noqa: E402


@pytest.mark.parametrize("line, want", [
    ("資料２－１ 令和7年度の連携テーマ", ("資料2-1", "令和7年度の連携テーマ")),
    ("資料2-1令和7年度の連携テーマ", ("資料2-1", "令和7年度の連携テーマ")),
    ("資料 3 年間スケジュール", ("資料3", "年間スケジュール")),
    ("別紙1 委員名簿", ("別紙1", "委員名簿")),
    ("別添 補足資料", ("別添", "補足資料")),
    ("参考資料３ 関連データ", ("参考資料3", "関連データ")),
    ("参考資料 連携テーマ関連データ（地域振興部）", ("参考資料", "連携テーマ関連データ（地域振興部）")),
    ("資料集の作成について", None),       # a word beginning with 資料, no label
    ("参考となる事例", None),
])
def test_material_labels_in_every_common_form(line, want):
    m = labels_to_material_pattern(DEFAULT_MATERIAL_LABELS).match(normalize_text(line))
    got = (m.group("label").replace(" ", ""), m.group("title")) if m else None
    assert got == want
