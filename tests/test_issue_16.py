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


# --- both sides' lists side by side in one ruled table ---------------------------------------

from pipeline.ir import Document, Line, Page, Table  # noqa: E402
from pipeline.outline import document_to_outline  # noqa: E402
from pipeline.parse_attendees import document_to_attendees, table_to_column_groups  # noqa: E402
from pipeline.profile import get_profile  # noqa: E402
from pipeline.rows import Context  # noqa: E402


def _side_by_side() -> Table:
    rows = [["市町村（2名）", None, "県（1名）", None], ["職名", "氏名", "職名", "氏名"],
            ["青嶺市長", "高瀬 正人", "知事", "藤原 清隆"], ["港南市長", "川村 由美", None, None]]
    xs = (44.0, 150.0, 300.0, 400.0, 520.0)
    boxes = [[(xs[c], 78.0 + 20 * r, xs[c + 1], 98.0 + 20 * r) if rows[r][c] is not None or r > 1 else None
              for c in range(4)] for r in range(len(rows))]
    boxes[0] = [(44.0, 78.0, 300.0, 98.0), None, (300.0, 78.0, 520.0, 98.0), None]
    return Table((44.0, 78.0, 520.0, 158.0), rows, boxes)


def test_a_table_of_two_lists_side_by_side_is_cut_into_two():
    groups = table_to_column_groups(_side_by_side())
    assert [g.rows[2] for g in groups] == [["青嶺市長", "高瀬 正人"], ["知事", "藤原 清隆"]]
    assert [(g.bbox[0], g.bbox[2]) for g in groups] == [(44.0, 300.0), (300.0, 520.0)]


def test_both_sides_of_a_side_by_side_table_are_read_with_their_side():
    page = Page(2, 595, 842, "出席者名簿", [Line("出席者名簿", 265, 47, 330, 60)], [_side_by_side()], True)
    doc = Document("d", "x.pdf", "0" * 64, 2, [Page(1, 595, 842, "次第", [Line("次第", 278, 75, 300, 88)], [], True),
                                               page])
    prof = get_profile("renkei_packet")
    rows = document_to_attendees(doc, Context(prof, document_to_outline(doc, prof))).tables["attendees"]
    assert [(r["side"], r["side_stated_count"], r["post"], r["name"]) for r in rows] == [
        ("市町村", 2, "青嶺市長", "高瀬 正人"), ("市町村", 2, "港南市長", "川村 由美"), ("県", 1, "知事", "藤原 清隆")]
