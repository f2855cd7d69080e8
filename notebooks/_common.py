"""Shared set-up of the notebooks: where the warehouse is, and Japanese-capable charts."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib_fontja  # noqa: E402,F401  (registers IPAexGothic and makes it the default font)


def repo_root() -> Path:
    here = Path.cwd().resolve()
    for p in (here, *here.parents):
        if (p / "pyproject.toml").exists() and (p / "pipeline").is_dir():
            return p
    raise RuntimeError(f"run the notebooks inside the repository (cwd {here})")


def warehouse_path() -> Path:
    path = Path(os.environ.get("ONETOYAMA_WAREHOUSE", repo_root() / "warehouse" / "meetings.duckdb"))
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `make ingest` first")
    return path


def query(sql: str, params: list | None = None):
    """Run one query on a short-lived read-only connection (an open one would block `make ingest`)."""
    with duckdb.connect(str(warehouse_path()), read_only=True) as con:
        return con.execute(sql, params or []).df()


def save(fig, name: str) -> Path:
    out = repo_root() / "notebooks" / "figures" / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120, bbox_inches="tight")
    return out


plt.rcParams.update({"figure.figsize": (9, 5), "axes.titlesize": 14, "axes.labelsize": 11})
