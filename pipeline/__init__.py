"""Japanese local-government meeting packets (PDF) → DuckDB warehouse."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__version__ = "0.1.0"


#: Modules that never change a parsed row (fetching, the review site, the command line,
#: export): editing them must not make the next ingest re-parse every document.
_NOT_PARSING = ("fetch", "review", "cli.py", "export.py", "__main__.py")


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """The release plus a digest of the code and data that turn an IR into rows.

    Recorded on every document: when a parser, a SQL file, a normalization table or a
    profile changes, the next ingest re-parses every file (from extracted/, without
    re-reading the PDFs) instead of trusting rows an older pipeline made.
    """
    return tree_to_version(Path(__file__).resolve().parent)


def tree_to_version(root: Path) -> str:
    """``__version__`` plus a digest of the parsing code and data under ``root``."""
    h = hashlib.sha256()
    for path in sorted(p for pattern in ("*.py", "sql/*.sql", "data/*", "data/profiles/*", "normalize/*.py")
                       for p in root.glob(pattern) if p.is_file() and not p.name.startswith(_NOT_PARSING)):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"
