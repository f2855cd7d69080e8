"""取り組み結果と今後の方向性 tables: 項目 | that year's 取り組み成果 | next year's 取り組み.

The header names the columns (項目, 令和3年度の取り組み成果…, 令和4年度以降の取り組み…)
and the year the results describe. A column left of 項目 groups rows into
sections, and so does a row that spans the whole table (【広域避難関係】). A
merged 項目 cell covers the rows below it (None in the IR, or empty on the next
page), and so does an empty next-step cell beside a filled result: the print
merged it over the rows below.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from pipeline.ir import BBox, Table
from pipeline.parse_items_columns import Header, column_holds_status, table_to_header
from pipeline.parse_items_stream import text_to_fiscal_year
from pipeline.parse_items_text import cell_to_logical_text, cell_to_text, cells_to_full_width
from pipeline.profile import Profile, default_profile

_SECTION_BRACKETS = re.compile(r"^[【\[［〔]\s*|\s*[】\]］〕]$")


@dataclass(frozen=True)
class ResultsLayout:
    """Which columns of a results table hold what, and the year of its results.

    ``item_col`` is set for one table of all items (a row per item or per item and
    topic); ``topic_col`` is None where the table has no topic column. ``results_col``
    or ``next_col`` is None where the table prints only the other.
    """

    section_col: int | None
    topic_col: int | None
    results_col: int | None
    next_col: int | None
    fiscal_year: int | None
    item_col: int | None = None
    status_col: int | None = None
    header_rows: int = 1
    extra: tuple[str, ...] = ()


@dataclass
class ResultsState:
    """What runs on from one row, table or page of an item's results to the next."""

    section: str | None = None
    topic: str | None = None
    next_steps: str | None = None
    seq: int = 0
    rows: list[dict] = field(default_factory=list)
    item: str | None = None  # the item of the row above, in a table of all items


def table_to_results_layout(table: Table, profile: Profile | None = None, header: Header | None = None,
                            *, in_item: bool = True) -> ResultsLayout | None:
    """The results table's column roles from its header, or None if it is none.

    A results table has a column of results (成果, 実績, 結果 …) or of plans (今後の方向性,
    次年度の方針 …) and either the other one or a column naming what they are about: a
    topic (項目, 取組内容) on an item's pages, the item itself (連携テーマ) in one table of
    all items. A bare 項目 / テーマ names the item outside an item's pages (``in_item``
    False). A 区分 column of status words is the items' status; else it groups rows.
    """
    profile = profile or default_profile()
    header = header or table_to_header(table, profile)
    if header is None:
        return None
    results, nxt = header.col("results"), header.col("plans")
    plans = header.cols("plans")
    if results is None and len(plans) >= 2:
        # 令和6年度の取組 | 令和7年度の取組: the earlier year's column holds what was done
        years = {c: text_to_fiscal_year(header.texts[c]) for c in plans}
        dated = sorted((y, c) for c, y in years.items() if y is not None)
        if len(dated) >= 2 and dated[0][0] < dated[-1][0]:
            results, nxt = dated[0][1], dated[-1][1]
    item, topic = header.col("item"), header.col("topic")
    if nxt is not None and column_holds_status(table, nxt, header, profile):
        nxt = None  # 令和7年度の方向性 of 継続 / 終了: a list's status column, not plans
    if results is None and nxt is None:
        return None
    if item is None and topic is not None and not in_item and _is_generic_item(header.texts[topic], profile):
        item, topic = topic, None
    if topic is None and item is None and (results is None or nxt is None):
        return None
    status = header.col("status")
    section = header.col("section")
    if status is not None and not column_holds_status(table, status, header, profile):
        section, status = section if section is not None else status, None
    used = {"results", "plans", "item", "topic", "status", "section", "number"}
    extra = tuple(t for i, t in enumerate(header.texts) if t and header.roles.get(i) not in used)
    year_text = header.texts[results] if results is not None else header.texts[nxt]
    fy = text_to_fiscal_year(year_text) if results is not None else None
    return ResultsLayout(section, topic, results, nxt, fy, item, status, header.rows, extra)


def _is_generic_item(text: str, profile: Profile) -> bool:
    key = re.sub(r"\s+", "", text)
    return key in profile.words("items", "generic_item_columns")


def section_text(text: str) -> str:
    """A section heading without its brackets: 【広域避難関係】 → 広域避難関係."""
    return _SECTION_BRACKETS.sub("", text.strip()).strip()


def _spanning_text(row: list[str | None]) -> str | None:
    """The text of a row that is one cell merged over the whole width (a section heading)."""
    filled = [c for c in row if c is not None]
    if len(row) > 1 and len(filled) == 1 and cell_to_text(filled[0]) and row[0] is not None:
        return cell_to_text(filled[0])
    return None


def results_table_to_rows(table: Table, layout: ResultsLayout, *, has_header: bool, state: ResultsState,
                          page: int, states: dict[str, ResultsState] | None = None) -> list[str]:
    """Append the item_results rows of one physical table to ``state.rows``.

    Args:
        table: the table.
        layout: its column roles (from its header or the table it continues).
        has_header: whether the table opens with its header.
        state: the running state of this item's results (section, carried cells, seq).
        page: the page number.
        states: for a table of all items (``layout.item_col``): item title → its state,
            filled here (a merged item cell covers the rows below it); rows then carry
            ``_status`` where the table prints one.

    Returns:
        Problems found (texts for warnings).
    """
    first = layout.header_rows if has_header else 0
    rows = table.rows[first:]
    cols = [c for c in (layout.results_col, layout.next_col) if c is not None]
    width = {c: cells_to_full_width([r[c] for r in rows if c < len(r)]) for c in cols}
    problems: list[str] = []
    for r, row in enumerate(rows, first):
        cell = lambda i: row[i] if i is not None and i < len(row) else None  # noqa: E731
        if layout.item_col is not None and states is not None:
            title = cell_to_text(cell(layout.item_col))
            if title:
                state.item = title
            if state.item is None:
                continue
            st = states.setdefault(state.item, ResultsState())
        else:
            st = state
        heading = _spanning_text(row)
        if heading is not None:
            st.section, st.topic, st.next_steps = section_text(heading), None, None
            continue
        if layout.section_col is not None and cell_to_text(cell(layout.section_col)):
            new_section = section_text(cell_to_text(cell(layout.section_col)))
            if new_section != st.section:
                st.section, st.topic, st.next_steps = new_section, None, None
        topic = cell_to_text(cell(layout.topic_col))
        results = cell_to_logical_text(cell(layout.results_col), width.get(layout.results_col, 0.0))
        nxt = cell_to_logical_text(cell(layout.next_col), width.get(layout.next_col, 0.0))
        if topic:
            if not results and not nxt:
                st.topic, st.next_steps = topic, None  # a sub-heading row: names the rows below
                continue
            st.topic = topic
        if not results and not nxt:
            continue
        if st.topic is None and layout.topic_col is not None:
            problems.append(f"results row with no 項目 (topic) above it: {(results or nxt)[:80]}")
        if not nxt and results and st.next_steps and layout.next_col is not None:
            nxt = st.next_steps  # an empty next-step cell under a filled one: merged in print
        st.next_steps = nxt or None
        st.seq += 1
        boxes = [_cell_box(table, r, c, page) for c in (layout.topic_col, layout.results_col, layout.next_col)
                 if c is not None and cell(c)]
        out = {"section": st.section, "topic": st.topic if layout.topic_col is not None else None,
               "results": results, "next_steps": nxt, "page": page, "seq": st.seq,
               "_boxes": [b for b in boxes if b is not None]}
        status = cell_to_text(cell(layout.status_col))
        if status:
            out["_status"] = status
        st.rows.append(out)
    return problems


def _cell_box(table: Table, row: int, col: int, page: int) -> tuple[int, BBox] | None:
    if row >= len(table.cell_bboxes) or col >= len(table.cell_bboxes[row]) or not table.cell_bboxes[row][col]:
        return None
    return page, tuple(table.cell_bboxes[row][col])
