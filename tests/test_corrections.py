"""Corrections as data: read strictly, applied at load, re-applied on every re-parse, reported when stale."""
from __future__ import annotations

import os
import shutil
from datetime import date

import duckdb
import pytest

from pipeline import corrections as corr
from pipeline.cli import main
from tests.conftest import sample_pdf

HEADER = "table,key,column,value_as_extracted,corrected_value,note\n"


def _write(folder, name: str, body: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(HEADER + body, encoding="utf-8")
    return folder


# --- reading the files -------------------------------------------------------------------------

@pytest.mark.parametrize("body, message", [
    ("attendees,r3.pdf#1,name,藤井 裕久\n", r"fix\.csv:2: expected 6 fields"),
    ("attendee,r3.pdf#1,name,a,b,\n", r"fix\.csv:2: unknown table 'attendee'"),
    ("attendees,r3.pdf#1,nmae,a,b,\n", r"fix\.csv:2: attendees has no column 'nmae'"),
    ("attendees,r3.pdf#1,seq,1,2,\n", r"fix\.csv:2: attendees\.seq cannot be corrected"),
    ("kpis,r3.pdf#18|22. 7%,value_text,22. 7%,22.7%,\n", r"fix\.csv:2: kpis\.value_text cannot be corrected"),
    ("kpis,r3.pdf#18|22. 7%,x0,1,2,\n", r"fix\.csv:2: kpis\.x0 cannot be corrected"),
    ("schedule,r3.pdf#R 3. 1. 10,starts_on,2021-01-10,2021-13-01,\n",
     r"fix\.csv:2: corrected_value '2021-13-01' is not a DATE value of schedule\.starts_on"),
    ("kpis,r3.pdf#18|22. 7%,value,22.7,22.70,\n", r"fix\.csv:2: corrected_value is the value as extracted"),
    ("attendees,r3.pdf,name,a,b,\n", r"fix\.csv:2: a attendees key is <source path>#<row key>"),
    ("\n\nattendees,r3.pdf#1,name,a,b,\nattendees,r3.pdf#1,name,a,c,\n",
     r"fix\.csv:5: attendees r3\.pdf#1 name is already corrected at .*fix\.csv:4"),
])
def test_a_bad_line_is_an_error_naming_file_and_line(tmp_path, body, message):
    folder = _write(tmp_path / "c", "fix.csv", body)
    with pytest.raises(corr.CorrectionsError, match=message):
        corr.load_dir(folder)


def test_a_wrong_header_is_an_error_on_line_1(tmp_path):
    (tmp_path / "fix.csv").write_text("table,key,column,old,new\n", encoding="utf-8")
    with pytest.raises(corr.CorrectionsError, match=r"fix\.csv:1: the first line must be the header"):
        corr.load_dir(tmp_path)


def test_the_folder_gives_corrections_and_a_digest_that_follows_its_files(tmp_path):
    assert corr.load_dir(tmp_path / "none") == corr.NONE
    folder = _write(tmp_path / "c", "a.csv", "attendees,r3.pdf#2,name,\"角田 悠紀\",\"角田 悠記\",\"OCR, 紀→記\"\n")
    fixes = corr.load_dir(folder)
    assert [(c.where.rsplit("/", 1)[1], c.table, c.key, c.column, c.value_as_extracted, c.corrected_value, c.note)
            for c in fixes.corrections] == [("a.csv:2", "attendees", "r3.pdf#2", "name", "角田 悠紀", "角田 悠記",
                                             "OCR, 紀→記")]
    assert corr.version_with("0.1.0+abc", corr.NONE) == "0.1.0+abc"
    v1 = corr.version_with("0.1.0+abc", fixes)
    (folder / "a.csv").write_text(HEADER, encoding="utf-8")
    v2 = corr.version_with("0.1.0+abc", corr.load_dir(folder))
    assert v1.startswith("0.1.0+abc+c") and v2.startswith("0.1.0+abc+c") and v1 != v2


def test_values_are_written_as_the_file_reads_them():
    for value, type_, text in [(22.7, "DOUBLE", "22.7"), (6_000_000.0, "DOUBLE", "6000000"), (True, "BOOLEAN", "true"),
                               (date(2022, 1, 20), "DATE", "2022-01-20"), (["魚津市", "南砺市"], "VARCHAR[]", "魚津市|南砺市"),
                               (None, "VARCHAR", ""), (17, "INTEGER", "17")]:
        assert corr.value_to_text(value) == text
        assert corr.text_to_value(text, type_) == value


# --- keys and applying -------------------------------------------------------------------------

def test_keys_are_the_source_and_the_natural_key_with_a_count_for_repeats():
    rows = [{"page": 18, "value_text": "22. 7%"}, {"page": 18, "value_text": "41. 7%"},
            {"page": 18, "value_text": "22. 7%"}]
    assert corr.rows_to_keys("kpis", "r3/x.pdf", rows) == [
        "r3/x.pdf#18|22. 7%", "r3/x.pdf#18|41. 7%", "r3/x.pdf#18|22. 7%~2"]
    assert corr.rows_to_keys("documents", "r3/x.pdf", [{}]) == ["r3/x.pdf"]


def _fixes(*lines: tuple[str, ...]) -> corr.CorrectionSet:
    return corr.CorrectionSet(tuple(corr.row_to_correction("c.csv", i + 2, list(f)) for i, f in enumerate(lines)),
                              "d" * 64)


def test_applying_sets_the_value_and_its_derived_columns_and_reports_the_rest():
    document = {"source_path": "r3.pdf", "venue": "県民会館"}
    tables = {
        "attendees": [{"seq": 1, "name": "藤井 裕久", "person_id": "p_old", "family_name": "藤井", "given_name": "裕久",
                       "page": 2},
                      {"seq": 2, "name": "角田 悠紀", "page": 2}],
        "warnings": [],
    }
    fixes = _fixes(("attendees", "r3.pdf#1", "name", "藤井 裕久", "藤井 裕之", "OCR"),
                   ("attendees", "r3.pdf#2", "name", "角田 悠記", "角田 悠貴", ""),
                   ("attendees", "r3.pdf#9", "name", "夏野 元志", "夏野 元士", ""),
                   ("documents", "r3.pdf", "venue", "県民会館", "富山県民会館", ""),
                   ("documents", "r4.pdf", "venue", "県民会館", "富山県民会館", ""))
    assert corr.apply_to_tables(fixes, document, tables, "run1") == 2
    first = tables["attendees"][0]
    assert (first["name"], first["family_name"], first["given_name"]) == ("藤井 裕之", "藤井", "裕之")
    from pipeline.identity import person_id_for

    assert first["person_id"] == person_id_for("藤井 裕之") != "p_old"
    assert tables["attendees"][1]["name"] == "角田 悠紀" and document["venue"] == "富山県民会館"
    assert [(r["line"], r["applied"], r["reason"]) for r in tables["corrections"]] == [
        (2, True, None),
        (3, False, "the value as extracted is now '角田 悠紀', not '角田 悠記'"),
        (4, False, "no attendees row has this key now (the parser or the PDF changed)"),
        (5, True, None)]
    assert [(w["stage"], w["page"], w["message"]) for w in tables["warnings"]] == [
        ("corrections", 2, "c.csv:3: attendees r3.pdf#2 name: the value as extracted is now '角田 悠紀', "
                           "not '角田 悠記'; not applied"),
        ("corrections", None, "c.csv:4: attendees r3.pdf#9 name: no attendees row has this key now "
                              "(the parser or the PDF changed); not applied")]


def test_a_correction_the_parser_has_caught_up_with_says_it_can_go():
    tables = {"kpis": [{"page": 18, "value_text": "22. 7%", "value": 22.7}]}
    fixes = _fixes(("kpis", "r3.pdf#18|22. 7%", "value", "2.27", "22.7", ""))
    corr.apply_to_tables(fixes, {"source_path": "r3.pdf"}, tables, None)
    assert tables["corrections"][0]["reason"] == "the value is now extracted as corrected: this line can be deleted"


# --- through ingest ----------------------------------------------------------------------------

def _ingest(base, raw, fixes) -> int:
    return main(["ingest", "--raw", str(raw), "--db", str(base / "w.duckdb"), "--extracted", str(base / "ext"),
                 "--corrections", str(fixes), "--quiet"])


def _state(base, source: str, seq: int):
    con = duckdb.connect(str(base / "w.duckdb"), read_only=True)
    try:
        name = con.execute("select a.name, a.person_id from attendees a join documents d using (doc_id) "
                           "where d.source_path = ? and a.seq = ?", [source, seq]).fetchone()
        fixes = con.execute("select line, applied, reason from corrections order by line").fetchall()
        warned = con.execute("select message from warnings where stage = 'corrections' order by message").fetchall()
        status = con.execute("select status from ingest_log order by finished_at desc, rowid desc limit 1").fetchone()
    finally:
        con.close()
    return name, fixes, [w[0] for w in warned], status[0]


def _age_the_pipeline(base) -> None:
    """What an older release leaves: rows recorded under another pipeline version."""
    con = duckdb.connect(str(base / "w.duckdb"))
    con.execute("update files set pipeline_version = '0.0.1+older'")
    con.close()


def test_a_corrected_name_survives_two_re_ingests_and_a_new_pipeline_version(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sample_pdf("r3_browser.pdf"), raw / "r3_browser.pdf")
    fixes = _write(tmp_path / "corrections", "names.csv",
                   "attendees,r3_browser.pdf#1,name,藤井 裕久,藤井 裕之,test: a misread name\n"
                   "attendees,r3_browser.pdf#2,name,角田 悠記,角田 悠貴,test: stale\n")
    from pipeline.identity import person_id_for

    want = ("藤井 裕之", person_id_for("藤井 裕之"))
    stale = "the value as extracted is now '角田 悠紀', not '角田 悠記'"
    assert _ingest(tmp_path, raw, fixes) == 0
    name, applied, warned, status = _state(tmp_path, "r3_browser.pdf", 1)
    assert (name, applied, status) == (want, [(2, True, None), (3, False, stale)], "loaded")
    assert warned == [f"{fixes / 'names.csv'}:3: attendees r3_browser.pdf#2 name: {stale}; not applied"]
    for _ in range(2):  # nothing changed: the file is skipped, its corrected rows stay
        assert _ingest(tmp_path, raw, fixes) == 0
        assert _state(tmp_path, "r3_browser.pdf", 1) == (want, [(2, True, None), (3, False, stale)], warned,
                                                         "unchanged")
    _age_the_pipeline(tmp_path)  # a new release re-parses the file from extracted/: corrections apply again
    assert _ingest(tmp_path, raw, fixes) == 0
    assert _state(tmp_path, "r3_browser.pdf", 1) == (want, [(2, True, None), (3, False, stale)], warned, "loaded")
    # fixing the stale line re-applies the file on the next ingest, with nothing else changed
    _write(fixes, "names.csv", "attendees,r3_browser.pdf#1,name,藤井 裕久,藤井 裕之,test: a misread name\n"
                               "attendees,r3_browser.pdf#2,name,角田 悠紀,角田 悠貴,test: fixed\n")
    assert _ingest(tmp_path, raw, fixes) == 0
    assert _state(tmp_path, "r3_browser.pdf", 2)[:3] == (("角田 悠貴", person_id_for("角田 悠貴")),
                                                         [(2, True, None), (3, True, None)], [])


def test_a_bad_corrections_file_stops_ingest_before_anything_is_written(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    fixes = _write(tmp_path / "corrections", "bad.csv", "attendees,r3_browser.pdf#1,name,a\n")
    assert _ingest(tmp_path, raw, fixes) == 2
    assert f"error: {fixes / 'bad.csv'}:2: expected 6 fields" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


NEED_OCR = os.environ.get("REQUIRE_OCR") == "1"


def test_a_corrected_ocr_name_survives_re_ingests_and_a_new_pipeline_version(tmp_path):
    from pipeline import ocr
    from tests.test_ocr import image_only_pdf

    if not ocr.tesseract_available():
        if NEED_OCR:
            pytest.fail("REQUIRE_OCR=1 but tesseract with Japanese data is not installed")
        pytest.skip("tesseract-ocr + tesseract-ocr-jpn not installed (make ocr-deps)")
    raw = tmp_path / "raw"
    raw.mkdir()
    image_only_pdf(sample_pdf("r3_browser.pdf"), (1, 2), raw / "scan.pdf")
    fixes = tmp_path / "corrections"
    assert _ingest(tmp_path, raw, fixes) == 0
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    seq, read = con.execute("select seq, name from attendees where from_ocr and name <> '' order by seq").fetchone()
    con.close()
    _write(fixes, "ocr.csv", f"attendees,scan.pdf#{seq},name,{read},試験 太郎,OCR misread\n")
    for expected_status in ("loaded", "unchanged", "unchanged"):  # the new file re-applies; then nothing to do
        assert _ingest(tmp_path, raw, fixes) == 0
        name, applied, warned, status = _state(tmp_path, "scan.pdf", seq)
        assert (name[0], applied, warned, status) == ("試験 太郎", [(2, True, None)], [], expected_status)
    _age_the_pipeline(tmp_path)
    assert _ingest(tmp_path, raw, fixes) == 0
    assert _state(tmp_path, "scan.pdf", seq)[0][0] == "試験 太郎"
