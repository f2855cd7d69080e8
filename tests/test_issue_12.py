"""Regressions of issue 12 (hard renditions), each named after what broke."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.parse_items_text import cell_to_run_on_text
from pipeline.parse_items_wg import dates_cell_to_dates

#: A full line of the narrow WG dates column, in ems (what cells_to_full_width estimates there).
FULL = 4.0


@pytest.mark.parametrize("raw, want", [
    ("4/30、8/\n17、10/2\n0、1/17", "4/30、8/17、10/20、1/17"),   # day cut at the edge
    ("9/7、1\n2/28", "9/7、12/28"),                              # month cut at the edge
    ("4/28、8/\n10、11/2\n4(訓\n練)", "4/28、8/10、11/24(訓練)"),
    ("市、8/24\n10市町村", "市、8/24 10市町村"),                 # the print broke at a space
    ("4/2\n7", "4/2 7"),                                         # short line: a real break
])
def test_date_broken_inside_its_number_at_the_cell_edge_is_one_date(raw, want):
    full = FULL if "\n7" not in raw else 10.0
    assert cell_to_run_on_text(raw, full) == want


def test_without_a_column_width_no_line_counts_as_full():
    assert cell_to_run_on_text("10/2\n0、1/17", 0.0) == "10/2 0、1/17"


def test_dates_cell_reads_4_27_not_4_2_when_the_line_filled_the_cell():
    dates, notes, bad = dates_cell_to_dates("4/2\n7、5/20", 2021, date(2022, 1, 20), full_width=2.0)
    assert [(d.date_text, d.span.start) for d in dates] == [("4/27", date(2021, 4, 27)), ("5/20", date(2021, 5, 20))]
    assert notes == [] and bad == []
