"""Engines: DuckDB embedded by default, or the one an ``--engine`` URL names.

``connect(url)`` gives an ibis backend:

* ``duckdb`` (the default; ``duckdb:///path/to/file.duckdb`` for a database
  file) embedded in this process;
* ``sc://host:port``: Spark Connect (the ``spark`` extra: ``pip install
  'timeline-explorer[spark]'``); ``spark-local`` starts a local Spark
  Connect server first (Java 17 must be installed);
* any URL ibis connects to (``postgres://user@host/db``,
  ``bigquery://project/dataset``...), with that backend's ibis extra.

Credentials stay in the URL or the engine's own configuration; no message
ever shows them (``redact``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["EngineError", "connect", "dialect_of", "duckdb_backend", "redact"]


class EngineError(Exception):
    """An engine that cannot be reached or used: one sentence, never a password."""


_SECRETS = [
    re.compile(r"(://[^/\s:@]*:)[^@\s/]*(@)"),  # scheme://user:PASSWORD@host
    re.compile(r"(?i)\b((?:password|passwd|pwd|token|secret|api[_-]?key|access[_-]?key)\s*[=:]\s*)[^\s&;,'\"]+"),
]


def redact(text: str) -> str:
    """``text`` (a URL, or an engine's message quoting one) with passwords and tokens replaced by ``***``."""
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: m.group(1) + "***" + (m.group(2) if m.lastindex and m.lastindex > 1 else ""),
                           text)
    return text


def dialect_of(url: str | None) -> str:
    """The SQL dialect (sqlglot's name) of the engine ``url`` names."""
    if not url or url.startswith("duckdb"):
        return "duckdb"
    scheme = urlsplit(url).scheme
    return {"sc": "pyspark", "spark-local": "pyspark", "postgres": "postgres", "postgresql": "postgres",
            "bigquery": "bigquery"}.get(scheme, scheme)


def duckdb_backend(database: str = ":memory:", *, read_only: bool = False):
    """An ibis DuckDB backend over a DuckDB connection of ours (``raw``: its connection)."""
    import duckdb
    import ibis

    raw = duckdb.connect(database, read_only=read_only)
    # The engine's memory stays bounded (it spills a large sort to disk): the explorer shares the machine.
    raw.execute(f"SET memory_limit = '{_memory_limit()}'")
    # ibis 12 writes list lambdas in the arrow form (x -> ...), which DuckDB 2 deprecates and
    # refuses unless asked to read it (sqlglot 30.17, the last release ibis 12 works with).
    raw.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")
    return ibis.duckdb.from_connection(raw), raw


def _memory_limit() -> str:
    """What DuckDB may hold: a quarter of the machine's memory, between 1 and 4 GB."""
    import os

    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 << 30
    return f"{max(1 << 30, min(4 << 30, total // 4)) >> 20}MB"


def connect(url: str | None):
    """The ibis backend of ``url`` (None: DuckDB in memory). Raises :class:`EngineError`."""
    if not url or url == "duckdb":
        return duckdb_backend()[0]
    if url.startswith("duckdb://"):
        return duckdb_backend(url.removeprefix("duckdb://") or ":memory:")[0]
    scheme = urlsplit(url).scheme
    if scheme == "sc":
        return _spark_connect(url)
    try:
        import ibis

        return ibis.connect(url)
    except ImportError as exc:
        missing = f" ({exc.name})" if exc.name else ""
        raise EngineError(f"the {scheme} engine needs a package that is not installed{missing}: "
                          f"pip install 'ibis-framework[{scheme}]'") from None
    except Exception as exc:  # the engine's own error: said in one line, without the URL's secrets
        raise EngineError(f"cannot connect to {redact(url)}: {redact(_first_line(exc))}") from None


def _spark_connect(url: str):
    try:
        import ibis
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("Spark needs the spark extra: pip install 'timeline-explorer[spark]'") from None
    try:
        session = SparkSession.builder.remote(url).getOrCreate()
        return ibis.pyspark.connect(session)
    except Exception as exc:
        raise EngineError(f"cannot connect to Spark at {redact(url)}: {redact(_first_line(exc))}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
