"""pipeline_version: a digest of what turns an IR into rows, and of nothing else."""
from __future__ import annotations

import shutil
from pathlib import Path

import pipeline
from pipeline import tree_to_version


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "pipeline"
    shutil.copytree(Path(pipeline.__file__).parent, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_installed_tree_gives_the_recorded_version():
    assert pipeline.pipeline_version() == tree_to_version(Path(pipeline.__file__).parent)


def test_a_profile_a_parser_or_a_data_file_changes_the_version(tmp_path):
    root = _copy(tmp_path)
    before = tree_to_version(root)
    for rel in ("data/profiles/meeting_record.toml", "parse_schedule.py", "data/kpi_units.tsv", "sql/views.sql"):
        path = root / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert tree_to_version(root) != before, rel
        path.write_bytes(original)
    assert tree_to_version(root) == before


def test_fetching_review_and_cli_code_do_not_change_it(tmp_path):
    root = _copy(tmp_path)
    before = tree_to_version(root)
    for rel in ("fetch.py", "fetch_listing.py", "cli.py", "export.py"):
        (root / rel).write_bytes((root / rel).read_bytes() + b"\n# edited\n")
    assert tree_to_version(root) == before
