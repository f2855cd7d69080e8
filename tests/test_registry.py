"""The parser registry against the schema: adding a table is the schema, one parser, its tests."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline import load, registry
from pipeline.ir import Document, Line, Page
from pipeline.outline import Outline
from pipeline.parse import document_to_rows
from pipeline.profile import Profile, load_profiles
from pipeline.rows import Context, ParseResult

#: Document tables that no parser fills: the parse stage writes warnings, the load stage
#: the hand corrections it applied (pipeline.corrections).
WRITTEN_BY_THE_RUNNER = {"warnings", "corrections"}


def test_every_document_table_of_the_schema_has_a_parser():
    filled = registry.tables_filled()
    missing = [t for t in load.document_tables() if t not in filled and t not in WRITTEN_BY_THE_RUNNER]
    assert missing == []


def test_every_table_a_parser_declares_is_a_document_table_of_the_schema():
    tables = set(load.document_tables())
    wrong = {spec.name: [t for t in spec.tables if t not in tables]
             for spec in registry.parsers().values() if any(t not in tables for t in spec.tables)}
    assert wrong == {}


def test_document_tables_are_derived_from_the_schema_not_a_list():
    tables = load.document_tables()
    assert {"attendees", "kpis", "pages", "raw_tables", "warnings", "wg_meetings"} <= set(tables)
    assert "documents" not in tables and "ingest_log" not in tables and "files" not in tables
    assert set(load.item_tables()) == {"item_years", "wg_meetings", "item_results", "kpis"}


def test_every_profile_names_only_registered_parsers_and_runs_a_header_parser_first():
    specs = registry.parsers()
    for prof in load_profiles().values():
        assert set(prof.parsers) <= set(specs), prof.name
        assert any(specs[p].phase == "header" for p in prof.parsers), prof.name


def test_two_parsers_of_one_name_are_refused():
    with pytest.raises(ValueError, match="two parsers are called 'pages'"):
        registry.register("pages", tables=("pages",))(lambda doc, ctx: ParseResult())


@pytest.fixture
def scratch_parsers():
    """Parsers registered by one test and removed after it."""
    names: list[str] = []
    yield names
    for n in names:
        registry._REGISTRY.pop(n, None)


def _doc() -> Document:
    page = Page(1, 595, 842, "日時 令和4年1月20日", [Line("日時 令和4年1月20日", 50, 60, 250, 72)], [], True)
    return Document("d1", "x.pdf", "0" * 64, 1, [page])


def test_a_parser_writing_an_undeclared_table_loses_those_rows_with_a_warning(scratch_parsers, monkeypatch):
    @registry.register("test_sloppy", tables=("schedule",))
    def sloppy(doc, ctx):
        res = ParseResult()
        res.add("schedule", [{"page": 1, "event": "会議"}])
        res.add("kpis", [{"page": 1, "value": 1.0}])
        return res

    scratch_parsers.append("test_sloppy")
    prof = Profile("test_profile", "", ("test_sloppy",), {})
    monkeypatch.setattr("pipeline.parse.get_profile", lambda name: prof)
    fields, res = document_to_rows(_doc(), profile="test_profile")
    assert res.tables == {"schedule": [{"page": 1, "event": "会議", "section": None}]}
    assert [w.message for w in res.warnings if w.stage == "test_sloppy"] == [
        "parser wrote table 'kpis', which it does not declare: rows dropped"]
    assert fields["profile"] == "test_profile" and fields["profile_evidence"] == "forced with --profile"


def test_body_parsers_see_the_meeting_the_header_parsers_found(scratch_parsers, monkeypatch):
    seen = {}

    @registry.register("test_header", tables=(), phase="header")
    def header(doc, ctx):
        seen["header"] = ctx.meeting
        return ParseResult(fields={"held_on": date(2022, 1, 20), "fiscal_year": 2021})

    @registry.register("test_body", tables=())
    def body(doc, ctx):
        seen["body"] = ctx.meeting
        return ParseResult()

    scratch_parsers.extend(["test_header", "test_body"])
    # listed body first: the phase, not the list order, decides
    prof = Profile("test_profile", "", ("test_body", "test_header"), {})
    monkeypatch.setattr("pipeline.parse.get_profile", lambda name: prof)
    fields, _ = document_to_rows(_doc(), profile="test_profile")
    assert seen["header"].held_on is None
    assert (seen["body"].held_on, seen["body"].fiscal_year) == (date(2022, 1, 20), 2021)
    assert fields["held_on"] == date(2022, 1, 20)


def test_a_failing_parser_costs_only_its_own_tables(scratch_parsers, monkeypatch):
    @registry.register("test_broken", tables=("kpis",))
    def broken(doc, ctx):
        raise ZeroDivisionError("boom")

    scratch_parsers.append("test_broken")
    prof = Profile("test_profile", "", ("pages", "test_broken"), {})
    monkeypatch.setattr("pipeline.parse.get_profile", lambda name: prof)
    _, res = document_to_rows(_doc(), profile="test_profile")
    assert [r["page"] for r in res.tables["pages"]] == [1]
    assert "kpis" not in res.tables
    msg = [w.message for w in res.warnings if w.stage == "test_broken"]
    assert len(msg) == 1 and msg[0].startswith("parser failed: ZeroDivisionError: boom | test_registry.py:")


def test_rows_record_the_outline_section_they_came_from():
    ctx_outline = Outline(())
    assert ctx_outline.name_at(1) is None
    page = Page(1, 595, 842, "", [Line("次第", 50, 40, 100, 52), Line("出席者", 50, 400, 100, 412)], [], True)
    doc = Document("d1", "x.pdf", "0" * 64, 1, [page])
    _, res = document_to_rows(doc, profile="renkei_packet")
    assert {r["section"] for r in res.tables["pages"]} == {"cover:次第"}
