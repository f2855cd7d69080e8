"""Japanese local-government meeting packets (PDF) → DuckDB warehouse."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__version__ = "0.1.0"


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """The release plus a digest of the code and data that turn an IR into rows.

    Recorded on every document: when a parser, a SQL file or a normalization table
    changes, the next ingest re-parses every file (from extracted/, without re-reading
    the PDFs) instead of trusting rows an older pipeline made.
    """
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(p for pattern in ("*.py", "sql/*.sql", "data/*", "normalize/*.py")
                       for p in root.glob(pattern) if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"
