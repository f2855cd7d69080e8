"""Discover: find the candidate files under raw/ and fingerprint them."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SUFFIXES = (".pdf",)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel_path: str  # as stored in the warehouse: relative to the raw dir, POSIX separators
    size: int
    mtime_ns: int


def raw_dir_to_files(raw_dir: Path, suffixes: tuple[str, ...] = DEFAULT_SUFFIXES) -> list[SourceFile]:
    """Walk ``raw_dir`` recursively and list the files to ingest, sorted by path.

    Hidden files and folders (a leading dot, e.g. editors' temp files) are skipped;
    the suffix test is case-insensitive because sites publish ``.PDF`` too.
    """
    raw_dir = Path(raw_dir).resolve()
    out: list[SourceFile] = []
    for root, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(suffixes):
                continue
            p = Path(root) / name
            try:
                st = p.stat()
            except OSError:
                continue
            out.append(SourceFile(p, p.relative_to(raw_dir).as_posix(), st.st_size, st.st_mtime_ns))
    return out


def file_to_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def sha256_to_doc_id(sha256: str) -> str:
    """Stable for the same bytes, whatever the file is called."""
    return sha256[:16]
