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

from pipeline.ir import Table
from pipeline.parse_items_stream import text_to_fiscal_year
from pipeline.parse_items_text import cell_to_logical_text, cell_to_text, cells_to_full_width

_TOPIC_HEADER = re.compile(r"^(?:取り?組み?)?項目$|^(?:施策|事業|取組)$")
_RESULTS_HEADER = re.compile(r"成果|結果|実績|進捗|状況")
_NEXT_HEADER = re.compile(r"取り?組|今後|方向性|予定")
_SECTION_BRACKETS = re.compile(r"^[【\[［〔]\s*|\s*[】\]］〕]$")


@dataclass(frozen=True)
class ResultsLayout:
    """Which columns of a results table hold what, and the year of its results."""

    section_col: int | None
    topic_col: int
    results_col: int
    next_col: int
    fiscal_year: int | None


@dataclass
class ResultsState:
    """What runs on from one row, table or page of an item's results to the next."""

    section: str | None = None
    topic: str | None = None
    next_steps: str | None = None
    seq: int = 0
    rows: list[dict] = field(default_factory=list)


def table_to_results_layout(table: Table) -> ResultsLayout | None:
    """The results table's column roles from its header row, or None if it is none."""
    if not table.rows:
        return None
    head = [cell_to_text(c).replace(" ", "") for c in table.rows[0]]
    topic = next((i for i, h in enumerate(head) if _TOPIC_HEADER.match(h)), None)
    if topic is None:
        return None
    results = next((i for i in range(topic + 1, len(head)) if _RESULTS_HEADER.search(head[i])), None)
    if results is None:
        return None
    nxt = next((i for i in range(results + 1, len(head)) if _NEXT_HEADER.search(head[i])), None)
    if nxt is None:
        return None
    section = 0 if topic > 0 else None
    return ResultsLayout(section, topic, results, nxt, text_to_fiscal_year(head[results]))


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
                          page: int) -> list[str]:
    """Append the item_results rows of one physical table to ``state.rows``.

    Args:
        table: the table.
        layout: its column roles (from its header or the table it continues).
        has_header: whether row 0 is the header.
        state: the running state of this item's results (section, carried cells, seq).
        page: the page number.

    Returns:
        Problems found (texts for warnings).
    """
    rows = table.rows[1:] if has_header else table.rows
    width = {c: cells_to_full_width([r[c] for r in rows if c < len(r)]) for c in (layout.results_col, layout.next_col)}
    problems: list[str] = []
    for row in rows:
        cell = lambda i: row[i] if i is not None and i < len(row) else None  # noqa: E731
        heading = _spanning_text(row)
        if heading is not None:
            state.section, state.topic, state.next_steps = section_text(heading), None, None
            continue
        if layout.section_col is not None and cell_to_text(cell(layout.section_col)):
            new_section = section_text(cell_to_text(cell(layout.section_col)))
            if new_section != state.section:
                state.section, state.topic, state.next_steps = new_section, None, None
        topic = cell_to_text(cell(layout.topic_col))
        results = cell_to_logical_text(cell(layout.results_col), width[layout.results_col])
        nxt = cell_to_logical_text(cell(layout.next_col), width[layout.next_col])
        if topic:
            if not results and not nxt:
                state.topic, state.next_steps = topic, None  # a sub-heading row: names the rows below
                continue
            state.topic = topic
        if not results and not nxt:
            continue
        if state.topic is None:
            problems.append(f"results row with no 項目 (topic) above it: {(results or nxt)[:80]}")
        if not nxt and results and state.next_steps:
            nxt = state.next_steps  # an empty next-step cell under a filled one: merged in print
        state.next_steps = nxt or None
        state.seq += 1
        state.rows.append({"section": state.section, "topic": state.topic, "results": results,
                           "next_steps": nxt, "page": page, "seq": state.seq})
    return problems
