"""Which file names are event tables (read by the engine), without importing the engine."""

from __future__ import annotations

from pathlib import Path

__all__ = ["TABLE_SUFFIXES", "table_kind"]

# suffix -> how the engine reads it
TABLE_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "json",
                  ".ndjson": "json"}


def table_kind(path: str | Path) -> str | None:
    """``"csv"``, ``"parquet"`` or ``"json"`` for a table's file name, else None."""
    return TABLE_SUFFIXES.get(Path(path).suffix.lower())
