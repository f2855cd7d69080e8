"""Export: every warehouse table and analyst view to Parquet, CSV or Excel."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import load

#: Excel runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
INTERNAL_TABLES = ("meta", "files")


def guard_formula(value):
    """Prefix a quote to text Excel would run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _relations(con) -> list[str]:
    tables = [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'main' order by table_name").fetchall()]
    views = [r[0] for r in con.execute(
        "select view_name from duckdb_views() where schema_name = 'main' and not internal order by view_name"
    ).fetchall()]
    return [t for t in tables if t not in INTERNAL_TABLES] + views


def export_warehouse(db_path: Path, out_dir: Path, fmt: str = "parquet") -> list[tuple[str, int]]:
    """Write each table and view to ``out_dir``.

    Args:
        db_path: the warehouse.
        out_dir: created if missing; files are named after the relation.
        fmt: ``parquet`` (types kept), ``csv`` (UTF-8 with BOM, formulas guarded) or
            ``xlsx`` (one workbook, a sheet per relation, formulas guarded).

    Returns:
        (relation, rows written) pairs.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = load.connect(db_path, read_only=True, lock_timeout=10)
    written = []
    try:
        names = _relations(con)
        if fmt == "parquet":
            for name in names:
                path = out_dir / f"{name}.parquet"
                con.execute(f"copy (select * from \"{name}\") to '{path.as_posix()}' (format parquet)")
                written.append((name, con.execute(f'select count(*) from "{name}"').fetchone()[0]))
        elif fmt == "csv":
            for name in names:
                df = _guarded(con.execute(f'select * from "{name}"').df())
                df.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8-sig")
                written.append((name, len(df)))
        elif fmt == "xlsx":
            with pd.ExcelWriter(out_dir / "warehouse.xlsx", engine="openpyxl") as xw:
                for name in names:
                    df = _guarded(con.execute(f'select * from "{name}"').df())
                    df.to_excel(xw, sheet_name=name[:31], index=False)
                    written.append((name, len(df)))
        else:
            raise ValueError(f"unknown export format {fmt!r}")
    finally:
        con.close()
    return written


def _cell(value):
    # Lists (VARCHAR[] columns) become `a|b`, the separator the gold files use too.
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist") and not isinstance(value, str):
        value = "|".join(map(str, list(value)))
    return guard_formula(value)


def _guarded(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object or str(df[col].dtype).startswith(("str", "string")):
            df[col] = df[col].map(lambda v: None if v is None else _cell(v))
    return df
