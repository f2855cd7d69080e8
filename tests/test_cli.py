import pytest

from pipeline.cli import main


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("ingest", "check", "export"):
        assert cmd in out


def test_ingest_help_documents_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    out = capsys.readouterr().out
    for opt in ("--raw", "--db", "--extracted", "--jobs", "--quiet", "--prune", "--timeout", "--max-memory",
                "--lock-timeout", "Exit status"):
        assert opt in out


def test_missing_raw_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["ingest", "--raw", str(tmp_path / "nope"), "--db", str(tmp_path / "w.duckdb")]) == 2
    assert "nope does not exist" in capsys.readouterr().err


def test_summary_names_counts_and_tables(tmp_path, capsys):
    from tests.conftest import sample_pdf
    import shutil

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sample_pdf("r4_browser.pdf"), raw / "r4.pdf")
    assert main(["ingest", "--raw", str(raw), "--db", str(tmp_path / "w.duckdb"),
                 "--extracted", str(tmp_path / "ex")]) == 0
    err = capsys.readouterr().err
    assert "1 loaded (0 partial), 0 unchanged, 0 duplicate, 0 failed" in err
    assert "attendees 35" in err
    assert main(["check", "--db", str(tmp_path / "w.duckdb")]) == 0
    assert "data-check finding(s)" in capsys.readouterr().err
