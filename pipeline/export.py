"""Export: every warehouse table and analyst view to Parquet, CSV or Excel.

No SQL is built from a path or a name: relations are quoted identifiers and files are
written through DuckDB's relation API, so an output folder called ``it's an export``
(or something worse) is just a folder. File and sheet names made from relation names
keep to one folder and to what Excel accepts.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pandas as pd

from pipeline import load
from pipeline.load import quote_ident

#: Excel runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
INTERNAL_TABLES = ("meta", "files")
#: Excel keeps at most this many characters in a cell (openpyxl would cut silently).
EXCEL_CELL_LIMIT = 32_767
#: Columns that say which row a warning is about, when the relation has them.
ROW_KEYS = ("doc_id", "page")


class OutputError(Exception):
    """The output folder cannot be made or written; nothing was exported."""


def safe_file_name(name: str) -> str:
    """A relation name as a file name inside the output folder (no separators, no control characters)."""
    name = re.sub(r"[/\\\x00-\x1f\x7f]", "_", name)
    return "_" + name if name in ("", ".", "..") else name


def _sheet_title(name: str, used: set[str]) -> str:
    """An Excel sheet title: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    title = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", name).strip("'")[:31] or "_"
    base, n = title, 2
    while title.lower() in used:
        suffix = f"~{n}"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


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


def _out_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    for p in (out_dir, *out_dir.parents):
        if p.exists():
            if not p.is_dir():
                raise OutputError(f"{out_dir} is a file, not a folder" if p == out_dir
                                  else f"{out_dir}: {p} is a file, not a folder")
            break
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out_dir}: cannot create the folder ({(e.strerror or str(e)).lower()})") from e
    return out_dir


def export_warehouse(db_path: Path, out_dir: Path, fmt: str = "parquet",
                     warn: Callable[[str], None] | None = None) -> list[tuple[str, int]]:
    """Write each table and view to ``out_dir``.

    Args:
        db_path: the warehouse.
        out_dir: created if missing; files are named after the relation.
        fmt: ``parquet`` (types kept), ``csv`` (UTF-8 with BOM, formulas guarded) or
            ``xlsx`` (one workbook, a sheet per relation, formulas guarded, cells cut
            visibly at Excel's limit).
        warn: called with a line per cell cut for Excel (naming sheet, row and column).

    Returns:
        (relation, rows written) pairs.

    Raises:
        OutputError: ``out_dir`` is a file or cannot be made.
    """
    out_dir = _out_dir(out_dir)
    warn = warn or (lambda msg: None)
    con = load.connect(db_path, read_only=True, lock_timeout=10)
    written = []
    try:
        names = _relations(con)
        if fmt == "parquet":
            for name in names:
                rel = con.sql(f"select * from {quote_ident(name)}")
                rel.write_parquet(str(out_dir / f"{safe_file_name(name)}.parquet"))
                written.append((name, con.execute(f"select count(*) from {quote_ident(name)}").fetchall()[0][0]))
        elif fmt == "csv":
            for name in names:
                df = _guarded(con.execute(f"select * from {quote_ident(name)}").df())
                df.to_csv(out_dir / f"{safe_file_name(name)}.csv", index=False, encoding="utf-8-sig")
                written.append((name, len(df)))
        elif fmt == "xlsx":
            used: set[str] = set()
            with pd.ExcelWriter(out_dir / "warehouse.xlsx", engine="openpyxl") as xw:
                for name in names:
                    sheet = _sheet_title(name, used)
                    df = _fit_excel(_guarded(con.execute(f"select * from {quote_ident(name)}").df()), sheet, warn)
                    df.to_excel(xw, sheet_name=sheet, index=False)
                    written.append((name, len(df)))
        else:
            raise ValueError(f"unknown export format {fmt!r}")
    finally:
        con.close()
    return written


def _fit_excel(df: pd.DataFrame, sheet: str, warn: Callable[[str], None]) -> pd.DataFrame:
    """Cut text over Excel's cell limit with a marker in the cell, and say where.

    Excel (and openpyxl) would keep the first 32,767 characters without a trace: the
    marker tells the reader of the cell, the warning the one who ran the export.
    """
    for col in df.columns:
        if df[col].dtype != object and not str(df[col].dtype).startswith(("str", "string")):
            continue
        lengths = df[col].map(lambda v: len(v) if isinstance(v, str) else 0)
        for i in [int(i) for i in (lengths > EXCEL_CELL_LIMIT).to_numpy().nonzero()[0]]:
            j = df.columns.get_loc(col)
            text = df.iat[i, j]
            marker = f"…[cut: {len(text):,} characters in all; Excel holds {EXCEL_CELL_LIMIT:,} per cell]"
            df.iat[i, j] = text[:EXCEL_CELL_LIMIT - len(marker)] + marker  # on df itself: pandas copies on write
            keys = ", ".join(f"{k} {df[k].iat[i]}" for k in ROW_KEYS if k in df.columns and k != col)
            warn(f"sheet {sheet}, row {i + 2}" + (f" ({keys})" if keys else "")
                 + f", column {col}: {len(text):,} characters cut to {EXCEL_CELL_LIMIT:,} (Excel's limit per cell); "
                 "the CSV and Parquet exports keep all of it")
    return df


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
