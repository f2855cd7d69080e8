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
