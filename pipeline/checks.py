"""Data checks: SQL that returns offending rows, run after every ingest.

Findings are warnings (stage ``check``), replaced on each run, never exceptions:
bad data is reported, not fatal.
"""
from __future__ import annotations

from importlib import resources

import duckdb


def load_checks() -> list[tuple[str, str]]:
    """(name, sql) pairs from sql/checks.sql, split at `-- check: <name>` lines."""
    text = resources.files("pipeline").joinpath("sql", "checks.sql").read_text(encoding="utf-8")
    checks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("-- check:"):
            checks.append((line.split(":", 1)[1].strip(), []))
        elif checks:
            checks[-1][1].append(line)
    return [(name, "\n".join(body).strip().rstrip(";")) for name, body in checks]


def run_checks(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> int:
    """Run every check, store the findings as warnings, return their number."""
    findings = []
    for name, sql in load_checks():
        for doc_id, page, message in con.execute(sql).fetchall():
            findings.append((doc_id, "check", page, f"{name}: {message}", run_id))
    con.execute("begin")
    con.execute("delete from warnings where stage = 'check'")
    if findings:
        con.executemany("insert into warnings (doc_id, stage, page, message, run_id) values (?, ?, ?, ?, ?)",
                        findings)
    con.execute("commit")
    return len(findings)


def list_findings(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("""
        select w.doc_id, d.source_path, w.page, w.message
        from warnings w left join documents d using (doc_id)
        where w.stage = 'check' order by d.source_path, w.page nulls first, w.message""").fetchall()
