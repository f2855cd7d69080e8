"""Corrections as data: hand fixes of extracted values that survive every re-ingest.

An analyst who finds a value the parser (or OCR) got wrong writes one line in a CSV
file under ``corrections/`` (columns ``table,key,column,value_as_extracted,
corrected_value,note``) instead of editing the warehouse. Every time a document is
loaded — a new file, a changed file, a re-parse for a new pipeline version — its
rows are parsed afresh and then the corrections naming it are applied, before the
load. A correction applies only while the row still holds ``value_as_extracted``:
when the parser or the PDF changed the value, the correction is reported (a warning,
and ``applied = false`` with the reason in the ``corrections`` table) and not
applied, so a fix never lands on a value nobody looked at.

Row keys are ``<source_path>#<natural key>``: the document's path under raw/ and the
table's own key columns (:data:`KEY_COLUMNS`), joined with ``|``; ``~2``, ``~3`` … is
appended when several rows of the document share that natural key, in parse order.
``documents`` rows are keyed by the source path alone. Key columns cannot be
corrected (a corrected key would no longer find its row).

Files are read strictly: a bad line is an error naming the file and line.
"""
from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from pathlib import Path

DEFAULT_DIR = Path("corrections")
HEADER = ("table", "key", "column", "value_as_extracted", "corrected_value", "note")
STAGE = "corrections"
#: Joins the parts of a natural key, and separates the source path from it.
KEY_SEP, SOURCE_SEP, OCCURRENCE_SEP = "|", "#", "~"

#: The natural key of a row within its document, per correctable table. Printed order
#: (seq) for the lists of the cover and the attendee lists; what is printed for the rest.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (),
    "agenda_items": ("seq",),
    "materials": ("seq",),
    "attendees": ("seq",),
    "item_years": ("fiscal_year", "title_text"),
    "wg_meetings": ("page", "date_text"),
    "item_results": ("page", "seq"),
    "kpis": ("page", "value_text"),
    "schedule": ("date_text",),
}
#: Columns no correction may set: identity, provenance and the loader's bookkeeping.
PROTECTED = frozenset({
    "doc_id", "item_id", "page", "x0", "top", "x1", "bottom", "boxes", "section", "outline_section",
    "source_path", "sha256", "page_count", "ingested_at", "pipeline_version", "status", "file_size",
    "file_mtime_ns", "ocr_pages", "duplicate_of_meeting", "profile", "profile_evidence",
})
#: Columns derived from a corrected column, recomputed with it unless corrected themselves.
DERIVED = {("attendees", "name"): ("person_id", "family_name", "given_name")}


class CorrectionsError(ValueError):
    """A corrections file that cannot be read as written; the message names file and line."""


@dataclass(frozen=True)
class Correction:
    """One line of a corrections file."""

    file: str
    line: int
    table: str
    key: str
    column: str
    value_as_extracted: str
    corrected_value: str
    note: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def names(self, source_path: str) -> bool:
        """Does the key name a row of the document at ``source_path``?"""
        return self.key == source_path if self.table == "documents" else \
            self.key.startswith(source_path + SOURCE_SEP)


@dataclass(frozen=True)
class CorrectionSet:
    """Every correction of a folder, and a digest of its files (part of the run's version)."""

    corrections: tuple[Correction, ...] = ()
    digest: str = ""
    files: tuple[str, ...] = field(default=())


NONE = CorrectionSet()


# --- the schema's types ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def column_types() -> dict[str, dict[str, str]]:
    """Table → column → DuckDB type, read from schema.sql (an in-memory DuckDB runs it)."""
    import duckdb

    from pipeline.load import _sql

    con = duckdb.connect(":memory:")
    try:
        con.execute(_sql("schema.sql"))
        rows = con.execute("select table_name, column_name, data_type from information_schema.columns").fetchall()
    finally:
        con.close()
    out: dict[str, dict[str, str]] = {}
    for t, c, ty in rows:
        out.setdefault(t, {})[c] = ty
    return out


def text_to_value(text: str, type_: str):
    """A value as written in a corrections file, in the column's type ('' is NULL).

    Raises:
        ValueError: the text is not a value of that type.
    """
    if text == "":
        return None
    if type_ == "VARCHAR":
        return text
    if type_ in ("INTEGER", "BIGINT", "SMALLINT"):
        return int(text)
    if type_ == "DOUBLE":
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        return value
    if type_ == "BOOLEAN":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{text!r} is not true or false")
        return text.lower() == "true"
    if type_ == "DATE":
        return date.fromisoformat(text)
    if type_ == "TIME":
        return time.fromisoformat(text)
    if type_ == "VARCHAR[]":
        return text.split(KEY_SEP)
    raise ValueError(f"columns of type {type_} cannot be corrected")


def value_to_text(value) -> str:
    """A warehouse value as a corrections file writes it (the inverse of text_to_value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return KEY_SEP.join(value_to_text(v) for v in value)
    return str(value)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return list(a) == list(b)
    return a == b


# --- reading the files -------------------------------------------------------------------------

def correctable_columns(table: str) -> tuple[str, ...]:
    cols = column_types().get(table, {})
    return tuple(c for c in cols if c not in PROTECTED and c not in KEY_COLUMNS.get(table, ()))


def row_to_correction(file: str, line: int, fields: list[str]) -> Correction:
    """One data row of a corrections file, checked against the schema.

    Raises:
        CorrectionsError: naming ``file:line``.
    """
    where = f"{file}:{line}"
    if len(fields) != len(HEADER):
        raise CorrectionsError(f"{where}: expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(fields)}")
    table, key, column, extracted, corrected, note = fields
    if table not in KEY_COLUMNS:
        raise CorrectionsError(f"{where}: unknown table {table!r} (one of {', '.join(sorted(KEY_COLUMNS))})")
    if not key.strip() or key != key.strip():
        raise CorrectionsError(f"{where}: the key is empty or has stray spaces: {key!r}")
    if table != "documents" and SOURCE_SEP not in key:
        raise CorrectionsError(f"{where}: a {table} key is <source path>#<row key>, not {key!r}")
    types = column_types()[table]
    if column not in types:
        raise CorrectionsError(f"{where}: {table} has no column {column!r}")
    if column not in correctable_columns(table):
        raise CorrectionsError(f"{where}: {table}.{column} cannot be corrected (it identifies the row or "
                               f"records where it was printed); correctable: {', '.join(correctable_columns(table))}")
    for name, text in (("value_as_extracted", extracted), ("corrected_value", corrected)):
        try:
            text_to_value(text, types[column])
        except ValueError as e:
            raise CorrectionsError(f"{where}: {name} {text!r} is not a {types[column]} value of "
                                   f"{table}.{column}: {e}") from None
    if _same(text_to_value(extracted, types[column]), text_to_value(corrected, types[column])):
        raise CorrectionsError(f"{where}: corrected_value is the value as extracted: the line changes nothing")
    return Correction(file, line, table, key, column, extracted, corrected, note)


def file_to_corrections(path: Path, label: str | None = None) -> list[Correction]:
    """Every correction of one CSV file (UTF-8, a BOM allowed; blank lines skipped).

    Raises:
        CorrectionsError: a wrong header or a bad line, naming file and line.
    """
    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorrectionsError(f"{label}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    out: list[Correction] = []
    try:
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != HEADER:
            raise CorrectionsError(f"{label}:1: the first line must be the header {','.join(HEADER)}")
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            out.append(row_to_correction(label, reader.line_num, fields))
    except csv.Error as e:
        raise CorrectionsError(f"{label}:{reader.line_num}: {e}") from None
    return out


def load_dir(folder: Path = DEFAULT_DIR) -> CorrectionSet:
    """Every ``*.csv`` of the folder (none when it does not exist), strictly.

    Raises:
        CorrectionsError: a bad line (naming file and line), or one row's column
            corrected twice (naming both lines).
    """
    folder = Path(folder)
    if not folder.is_dir():
        return NONE
    paths = sorted(folder.glob("*.csv"))
    h = hashlib.sha256()
    found: list[Correction] = []
    seen: dict[tuple[str, str, str], Correction] = {}
    for path in paths:
        label = str(folder / path.name)
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        for c in file_to_corrections(path, label):
            first = seen.get((c.table, c.key, c.column))
            if first is not None:
                raise CorrectionsError(f"{c.where}: {c.table} {c.key} {c.column} is already corrected at {first.where}")
            seen[(c.table, c.key, c.column)] = c
            found.append(c)
    if not paths:
        return NONE
    return CorrectionSet(tuple(found), h.hexdigest(), tuple(str(folder / p.name) for p in paths))


def version_with(version: str, fixes: CorrectionSet) -> str:
    """The version a file's rows are recorded with: the pipeline's, plus the corrections'.

    Editing a corrections file thus re-parses (from extracted/) and re-corrects every
    document on the next ingest, as a new pipeline version does.
    """
    return f"{version}+c{fixes.digest[:10]}" if fixes.digest else version


# --- keys and applying -------------------------------------------------------------------------

def rows_to_keys(table: str, source_path: str, rows: list[dict]) -> list[str]:
    """The key of each row of one document's table, in the order given (parse order)."""
    if table == "documents":
        return [source_path for _ in rows]
    cols = KEY_COLUMNS[table]
    seen: dict[str, int] = {}
    out = []
    for r in rows:
        natural = KEY_SEP.join(value_to_text(r.get(c)) for c in cols)
        n = seen[natural] = seen.get(natural, 0) + 1
        out.append(f"{source_path}{SOURCE_SEP}{natural}" + (f"{OCCURRENCE_SEP}{n}" if n > 1 else ""))
    return out


def apply_to_tables(fixes: CorrectionSet, document: dict, tables: dict[str, list[dict]], run_id: str | None) -> int:
    """Apply the corrections naming one document to its parsed rows, in place.

    Adds ``tables["corrections"]`` (one row per correction naming the document,
    applied or not) and, for each one not applied, a warning to ``tables["warnings"]``.

    Args:
        fixes: the run's corrections.
        document: the documents row (its ``source_path`` is what keys name; corrections
            of the documents table apply to it).
        tables: table → rows of the document, as parsed.
        run_id: the ingest run.

    Returns:
        The number of warnings added.
    """
    source = document["source_path"]
    mine = [c for c in fixes.corrections if c.names(source)]
    if not mine:
        return 0
    types = column_types()
    index: dict[str, dict[str, dict]] = {"documents": {source: document}}
    for table in {c.table for c in mine} - {"documents"}:
        rows = tables.get(table, [])
        index[table] = dict(zip(rows_to_keys(table, source, rows), rows))
    records, warnings = [], []
    corrected: set[tuple[int, str]] = set()
    renamed: list[tuple[str, dict]] = []
    for c in mine:
        row = index[c.table].get(c.key)
        reason = None
        if row is None:
            reason = f"no {c.table} row has this key now (the parser or the PDF changed)"
        else:
            current = row.get(c.column)
            want = text_to_value(c.value_as_extracted, types[c.table][c.column])
            new = text_to_value(c.corrected_value, types[c.table][c.column])
            if _same(current, want):
                row[c.column] = new
                corrected.add((id(row), c.column))
                if (c.table, c.column) in DERIVED:
                    renamed.append((c.table, row))
            elif _same(current, new):
                reason = "the value is now extracted as corrected: this line can be deleted"
            else:
                reason = f"the value as extracted is now {value_to_text(current)!r}, not {c.value_as_extracted!r}"
        records.append({"file": c.file, "line": c.line, "table_name": c.table, "row_key": c.key,
                        "column_name": c.column, "value_as_extracted": c.value_as_extracted,
                        "corrected_value": c.corrected_value, "note": c.note or None,
                        "applied": reason is None, "reason": reason, "run_id": run_id})
        if reason is not None:
            page = row.get("page") if row is not None and c.table != "documents" else None
            warnings.append({"stage": STAGE, "page": page, "run_id": run_id,
                             "message": f"{c.where}: {c.table} {c.key} {c.column}: {reason}; not applied"})
    for table, row in renamed:
        _recompute_derived(table, row, corrected)
    tables["corrections"] = tables.get("corrections", []) + records
    tables["warnings"] = tables.get("warnings", []) + warnings
    return len(warnings)


def _recompute_derived(table: str, row: dict, corrected: set[tuple[int, str]]) -> None:
    """A corrected attendee name gets the person id and name parts of the corrected name."""
    if table == "attendees" and row.get("name"):
        from pipeline.identity import person_id_for
        from pipeline.normalize import parse_name

        parts = parse_name(row["name"])
        # as pipeline.parse_attendees fills them
        derived = {"person_id": person_id_for(row["name"]), "family_name": parts.family, "given_name": parts.given}
        for col, value in derived.items():
            if (id(row), col) not in corrected:
                row[col] = value


def unmatched(fixes: CorrectionSet, source_paths: set[str]) -> list[Correction]:
    """Corrections whose key names no document of the warehouse (a renamed or removed file)."""
    return [c for c in fixes.corrections if not any(c.names(s) for s in source_paths)]


def correction_line(table: str, key: str, column: str, value) -> str:
    """The CSV line that corrects ``column`` of the row ``key``: fill in corrected_value and note."""
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([table, key, column, value_to_text(value), "", ""])
    return buf.getvalue()
