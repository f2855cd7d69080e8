"""Load: parsed rows into the DuckDB warehouse.

One transaction per document replaces exactly that document's rows, so a killed
run leaves every document either fully old or fully new. Rows go in as DataFrames
(``INSERT … BY NAME``), never one statement per row. Identifiers are quoted by
quote_ident() and values passed as parameters: no SQL is spliced from a name.

A write that fails for lack of storage (disk full, a read-only file system) rolls
back what it was doing and raises WarehouseWriteFailed with the plain reason; a
--db that is not a warehouse raises WarehouseUnusable before anything is written.
"""
from __future__ import annotations

import hashlib
import re
import time
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

import duckdb

from pipeline import identity

#: The release of the table layout; with the digest of schema.sql (schema_version()) it
#: decides when a warehouse is rebuilt, so a column added to schema.sql is never
#: forgotten here.
SCHEMA_VERSION = "5"
DEFAULT_LOCK_TIMEOUT = 30.0

#: Tables that have a doc_id but keep the state of runs and files, not rows of a
#: document: a re-ingest never deletes from them.
BOOKKEEPING_TABLES = frozenset({"ingest_log", "files"})


def _sql(name: str) -> str:
    return resources.files("pipeline").joinpath("sql", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema_version() -> str:
    """SCHEMA_VERSION plus a digest of schema.sql: any change to the tables rebuilds the warehouse."""
    return f"{SCHEMA_VERSION}+{hashlib.sha256(_sql('schema.sql').encode()).hexdigest()[:10]}"


@lru_cache(maxsize=1)
def schema_columns() -> dict[str, tuple[str, ...]]:
    """Table → its columns, read from schema.sql (an in-memory DuckDB runs it)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(_sql("schema.sql"))
        rows = con.execute("select table_name, column_name from information_schema.columns "
                           "order by table_name, ordinal_position").fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for t, c in rows:
        out.setdefault(t, []).append(c)
    return {t: tuple(cs) for t, cs in out.items()}


def document_tables() -> tuple[str, ...]:
    """Tables whose rows belong to one document and are replaced with it: every
    table of the schema with a doc_id, but documents itself and the logs."""
    return tuple(sorted(t for t, cols in schema_columns().items()
                        if "doc_id" in cols and t != "documents" and t not in BOOKKEEPING_TABLES))


def item_tables() -> tuple[str, ...]:
    """Document tables that refer to items (an item_id column)."""
    return tuple(t for t in document_tables() if "item_id" in schema_columns()[t])


def quote_ident(name: str) -> str:
    """A table, view or column name as a DuckDB identifier, whatever characters it holds."""
    return '"' + str(name).replace('"', '""') + '"'


class WarehouseError(Exception):
    """The warehouse file cannot be used or written; the message says why, plainly."""


class WarehouseLocked(WarehouseError):
    """Another process (often a notebook) holds the DuckDB file."""


class WarehouseUnusable(WarehouseError):
    """--db is not a usable warehouse (a folder, another kind of file, a damaged one); nothing was written."""


class WarehouseWriteFailed(WarehouseError):
    """A write to the warehouse failed for lack of storage; what it was doing was rolled back."""

    def __init__(self, db_path, reason: str, doing: str = ""):
        self.db_path, self.reason, self.doing = db_path, reason, doing
        what = f" ({doing})" if doing else ""
        advice = {"no space left on device": "Free some space and run again.",
                  "disk quota exceeded": "Free some space and run again.",
                  "the file system is read-only": "Make it writable and run again."}.get(reason,
                                                                                    "Fix that and run again.")
        super().__init__(f"cannot write the warehouse {db_path}{what}: {reason}. The change in progress was "
                         f"rolled back; everything loaded before stays. {advice}")


#: Error texts that mean the storage under the warehouse failed, and how to say it.
_STORAGE_FAILURES = (
    ("no space left on device", "no space left on device"),
    ("disk quota exceeded", "disk quota exceeded"),
    ("read-only file system", "the file system is read-only"),
    ("input/output error", "an input/output error of the disk"),
    ("database has been invalidated", "an earlier write failed and DuckDB closed the warehouse"),
)


def first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def storage_failure(e: BaseException) -> str | None:
    """The plain reason when a DuckDB error means the disk under the warehouse failed, else None.

    DuckDB reports a full disk at commit as a TransactionException ("Failed to commit:
    Could not write file …: No space left on device"): the text, not the type, tells.
    """
    text = str(e).lower()
    for needle, reason in _STORAGE_FAILURES:
        if needle in text:
            return reason
    if isinstance(e, (duckdb.IOException, duckdb.FatalException)):
        return first_line(e).removeprefix("IO Error: ").removeprefix("FATAL Error: ")
    return None


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if any.

    A failed commit has already ended the transaction ("cannot rollback - no
    transaction is active"): that second error would hide the first, real one.
    """
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass


def close_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Close; a checkpoint that fails at close (disk full) leaves the WAL, replayed on the next open."""
    try:
        con.close()
    except duckdb.Error:
        pass


def _check_db_path(db_path: Path) -> None:
    """Refuse, before DuckDB touches it, a --db that is a folder or another kind of file."""
    from pipeline.discover import NotRegularFile, describe, open_regular, os_reason

    if db_path.is_dir():
        raise WarehouseUnusable(f"{db_path} is a folder, not a DuckDB warehouse file")
    for parent in db_path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise WarehouseUnusable(f"{db_path}: {parent} is a file, not a folder")
            break
    if not (db_path.exists() or db_path.is_symlink()):
        return
    try:
        with open(open_regular(db_path), "rb") as fh:
            head = fh.read(4096)
    except NotRegularFile as e:
        raise WarehouseUnusable(f"{db_path} is {e.strerror}, not a DuckDB warehouse file") from e
    except OSError as e:
        raise WarehouseUnusable(f"{db_path} cannot be read ({os_reason(e)})") from e
    if head[8:12] != b"DUCK":
        raise WarehouseUnusable(f"{db_path} is not a DuckDB warehouse (it is {describe(head)}); "
                                "nothing was written to it")


def connect(db_path: Path, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
            read_only: bool = False, on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting up to ``lock_timeout`` seconds for another process's lock.

    Raises:
        WarehouseLocked: the file is still locked after the wait; the message says
            which file and what to do.
        WarehouseUnusable: the path is a folder, another kind of file, or a damaged
            warehouse; nothing was written to it.
    """
    db_path = Path(db_path)
    _check_db_path(db_path)
    existed = db_path.exists()
    if not read_only:
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise WarehouseUnusable(f"{db_path}: cannot create its folder ({(e.strerror or str(e)).lower()})") from e
    deadline = time.monotonic() + lock_timeout
    told = False
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as e:
            if "lock" not in str(e).lower():
                raise _unusable(db_path, e, existed) from e
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"{db_path} is locked by another process ({_lock_holder(str(e))}). "
                    "Close the notebook or program that has it open (e.g. con.close() or restart "
                    "its kernel), or wait for the other ingest to finish, then run again."
                ) from e
            if on_wait and not told:
                on_wait(f"waiting up to {lock_timeout:.0f}s for the lock on {db_path} "
                        f"({_lock_holder(str(e))})")
                told = True
            time.sleep(0.5)
        except duckdb.Error as e:
            raise _unusable(db_path, e, existed) from e


def _unusable(db_path: Path, e: duckdb.Error, existed: bool) -> WarehouseError:
    text = str(e)
    if not existed:
        reason = storage_failure(e) or first_line(e)
        return WarehouseUnusable(f"{db_path}: cannot create the warehouse ({reason})")
    if "Permission denied" in text:
        return WarehouseUnusable(f"{db_path} cannot be opened (permission denied)")
    if "version" in text.lower():
        return WarehouseUnusable(f"{db_path} cannot be opened by this DuckDB ({first_line(e)}); "
                                 "nothing was written to it")
    return WarehouseUnusable(f"{db_path} is a damaged DuckDB warehouse (truncated?): it cannot be read; nothing was "
                             "written to it. Move it aside (the next ingest builds a new one) or restore it from a copy")


def _lock_holder(msg: str) -> str:
    m = re.search(r"PID (\d+)", msg)
    return f"PID {m.group(1)}" if m else "another process"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the tables; rebuild a warehouse written by another schema version.

    Returns:
        True when the warehouse was (re)built empty.
    """
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables "
                                        "where table_schema = 'main' and table_type = 'BASE TABLE'").fetchall()}
    version = None
    if "meta" in tables:
        row = con.execute("select value from meta where key = 'schema_version'").fetchone()
        version = row[0] if row else None
    rebuilt = False
    if tables and version != schema_version():
        # Never half-use an old warehouse: drop it whole; every file is then new
        # and re-parsed from extracted/ (or the PDF) on this run.
        con.execute("begin")
        try:
            for (v,) in con.execute("select view_name from duckdb_views() where not internal").fetchall():
                con.execute(f"drop view if exists {quote_ident(v)}")
            for t in tables:
                con.execute(f"drop table if exists {quote_ident(t)}")
            con.execute("commit")
        except BaseException:
            rollback_quietly(con)
            raise
        rebuilt = True
    elif not tables:
        rebuilt = True
    con.execute(_sql("schema.sql"))
    con.execute("insert or replace into meta values ('schema_version', ?)", [schema_version()])
    return rebuilt


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    import pandas as pd  # here, not at import: a no-op run and --help need no pandas

    df = pd.DataFrame.from_records(rows)
    con.register("_rows", df)
    try:
        con.execute(f"insert into {quote_ident(table)} by name select * from _rows")
    finally:
        try:
            con.unregister("_rows")
        except duckdb.Error:
            pass  # an aborted transaction refuses even this: the insert's own error is the one to see


def delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for t in document_tables():
        con.execute(f"delete from {quote_ident(t)} where doc_id = ?", [doc_id])
    con.execute("delete from documents where doc_id = ?", [doc_id])


def load_document(con: duckdb.DuckDBPyConnection, document: dict, tables: dict[str, list[dict]],
                  items: list[dict], *, replaces: list[str] = ()) -> dict[str, int]:
    """Replace one document's rows in a single transaction.

    Args:
        document: the documents row.
        tables: table name -> rows of this document (``item_key`` in place of item_id).
        items: the items this document speaks of: ``{"key", "title", "variants"}``.
        replaces: doc_ids of earlier versions of the same file, removed in the same
            transaction (a corrected republication).

    Returns:
        Rows inserted per table.
    """
    doc_id = document["doc_id"]
    con.execute("begin")
    try:
        for old in [doc_id, *replaces]:
            delete_document(con, old)
        key_to_id = _resolve_items(con, items, doc_id)
        counts = {}
        _insert(con, "documents", [document])
        for table, rows in tables.items():
            if table in item_tables():
                rows = [_with_item_id(r, key_to_id) for r in rows]
            rows = [{**r, "doc_id": doc_id} for r in rows]
            _insert(con, table, rows)
            counts[table] = len(rows)
        con.execute("commit")
    except BaseException:
        rollback_quietly(con)
        raise
    return counts


def _with_item_id(row: dict, key_to_id: dict[str, str]) -> dict:
    row = dict(row)
    key = row.pop("item_key", None)
    if "item_id" not in row:
        row["item_id"] = key_to_id.get(key) if key is not None else None
    return row


def _resolve_items(con: duckdb.DuckDBPyConnection, items: list[dict], doc_id: str) -> dict[str, str]:
    """Map this document's item keys to warehouse item_ids, creating new items as needed."""
    rows = con.execute("select item_id, title, title_variants, first_doc_id from items order by item_id").fetchall()
    existing = [(item_id, title, list(variants or [])) for item_id, title, variants, _ in rows]
    # an item this document introduced takes its new reading of the title: a re-parse by a
    # newer pipeline must show what a fresh ingest would (the old reading stays a variant)
    introduced = {item_id for item_id, _, _, first in rows if first == doc_id}
    out: dict[str, str] = {}
    for it in items:
        titles = [it["title"], *it.get("variants", [])]
        item_id = identity.match_item(titles, [(i, [t, *v]) for i, t, v in existing])
        if item_id is None:
            item_id = identity.new_item_id(it["title"], {i for i, _, _ in existing})
            existing.append((item_id, it["title"], list(dict.fromkeys(titles))))
            con.execute("insert into items values (?, ?, ?, ?)",
                        [item_id, it["title"], list(dict.fromkeys(titles)), doc_id])
        else:
            k = next(k for k, (i, _, _) in enumerate(existing) if i == item_id)
            _, title, variants = existing[k]
            if item_id in introduced:
                introduced.discard(item_id)  # the first of this document's titles for it stands
                title, merged = it["title"], list(dict.fromkeys([*titles, *variants]))
            else:
                merged = list(dict.fromkeys([*variants, *titles]))
            if (title, merged) != (existing[k][1], variants):
                existing[k] = (item_id, title, merged)
                con.execute("update items set title = ?, title_variants = ? where item_id = ?",
                            [title, merged, item_id])
        out[it["key"]] = item_id
    return out


def record_files(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Upsert (source_path, sha256, size, mtime_ns, doc_id, status, pipeline_version) rows at once."""
    if rows:
        con.executemany("insert or replace into files values (?, ?, ?, ?, ?, ?, ?)", rows)


def record_log(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    _insert(con, "ingest_log", rows)


def record_warnings(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    _insert(con, "warnings", rows)


def finalize(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild what spans documents: persons, unused items, duplicate meetings, views."""
    con.execute("begin")
    try:
        _rebuild_persons(con)
        con.execute(
            "delete from items where item_id not in ("
            + " union ".join(f"select item_id from {quote_ident(t)} where item_id is not null" for t in item_tables())
            + ")")
        con.execute("""
            update documents d set duplicate_of_meeting = s.others
            from (
                select a.doc_id, list(b.doc_id order by b.doc_id) filter (where b.doc_id is not null) as others
                from documents a left join documents b
                  on a.doc_id <> b.doc_id and a.held_on = b.held_on
                 and coalesce(a.meeting_body, '') = coalesce(b.meeting_body, '')
                group by a.doc_id
            ) s
            where d.doc_id = s.doc_id""")
        con.execute("commit")
    except BaseException:
        rollback_quietly(con)
        raise
    con.execute(_sql("views.sql"))


def _rebuild_persons(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        select a.person_id, a.name, a.family_name, a.given_name, d.held_on, a.doc_id, a.seq
        from attendees a join documents d using (doc_id)
        where a.person_id is not null""").fetchall()
    con.execute("delete from persons")
    persons = identity.rows_to_persons(rows)
    _insert(con, "persons", persons)


def doc_table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = ("documents", *document_tables(), "persons", "items")
    return {t: con.execute(f"select count(*) from {quote_ident(t)}").fetchone()[0] for t in names}


def remove_missing(con: duckdb.DuckDBPyConnection, present: set[str]) -> list[str]:
    """--prune: delete the documents whose source file is gone from raw/."""
    gone = [r for r in con.execute("select doc_id, source_path from documents").fetchall()
            if r[1] not in present]
    for doc_id, path in gone:
        con.execute("begin")
        try:
            delete_document(con, doc_id)
            con.execute("delete from files where source_path = ?", [path])
            con.execute("commit")
        except BaseException:
            rollback_quietly(con)
            raise
    return [p for _, p in gone]
