import pytest

from pipeline.ir import Line, Page, Table
from pipeline.layout import is_page_number, is_running_header, table_continues, tables_line_up


@pytest.mark.parametrize("text, want", [("- 3 -", True), ("12", True), ("3 / 12", True), ("資料3", False),
                                        ("3月", False), ("第3回", False)])
def test_is_page_number(text, want):
    assert is_page_number(text) is want


@pytest.mark.parametrize("text, want", [("資料3", True), ("参考資料 2-1", True), ("- 4 -", True),
                                        ("資料3 年間スケジュール", False), ("出席者", False)])
def test_is_running_header(text, want):
    assert is_running_header(text) is want


def _table(x0, x1, cols=3, top=100.0):
    return Table((x0, top, x1, top + 200), [["a"] * cols, ["b"] * cols])


def test_a_table_continues_under_running_headers_only():
    cut = _table(43.1, 553.1)
    rest = _table(44.0, 552.5, top=60)
    page = Page(2, 595, 842, "", [Line("資料1", 500, 20, 540, 30), Line("- 2 -", 280, 40, 310, 50)], [rest], True)
    assert tables_line_up(cut, rest)
    assert table_continues(page, rest, cut.bbox[0], cut.bbox[2], cut.n_cols)
    headed = Page(2, 595, 842, "", [Line("年間スケジュール", 200, 20, 400, 30)], [rest], True)
    assert not table_continues(headed, rest, cut.bbox[0], cut.bbox[2], cut.n_cols)
    assert not table_continues(page, rest, cut.bbox[0], cut.bbox[2] + 20, cut.n_cols)  # other edges
    assert not table_continues(page, rest, cut.bbox[0], cut.bbox[2], 4)  # other columns
