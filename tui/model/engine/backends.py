"""Engines: DuckDB embedded by default, or the one an ``--engine`` URL names.

``connect(url)`` gives an ibis backend:

* ``duckdb`` (the default; ``duckdb:///path/to/file.duckdb`` for a database
  file) embedded in this process;
* ``sc://host:port``: Spark Connect (the ``spark`` extra: ``pip install
  'timeline-explorer[spark]'``); a server that does not answer within
  ``REACH_SECONDS`` is said to be unreachable (the client itself would retry
  for minutes);
* any URL ibis connects to (``postgres://user@host/db``,
  ``bigquery://project/dataset``...), with that backend's ibis extra.

Credentials stay in the URL or the engine's own configuration; no message
ever shows them (``redact``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["EngineError", "arrow_of", "connect", "dialect_of", "duckdb_backend", "redact"]


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
    return {"sc": "pyspark", "postgres": "postgres", "postgresql": "postgres",
            "bigquery": "bigquery"}.get(scheme, scheme)


def duckdb_backend(database: str = ":memory:", *, read_only: bool = False):
    """An ibis DuckDB backend over a DuckDB connection of ours (``raw``: its connection)."""
    import duckdb
    import ibis

    raw = duckdb.connect(database, read_only=read_only)
    # The engine's memory stays bounded (it spills a large sort to disk): the explorer shares the machine.
    raw.execute(f"SET memory_limit = '{_memory_limit()}'")
    if database == ":memory:" and not read_only:  # else DuckDB spills into ./.tmp of the user's folder
        from ..places import spill_dir

        spill = spill_dir()
        try:
            spill.parent.mkdir(parents=True, exist_ok=True)  # DuckDB makes the last folder only
        except OSError:
            pass  # the engine says so if it ever has to spill
        raw.execute(f"SET temp_directory = {sql_string(str(spill))}")
    # ibis 12 writes list lambdas in the arrow form (x -> ...), which DuckDB 2 deprecates and
    # refuses unless asked to read it (sqlglot 30.17, the last release ibis 12 works with).
    raw.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")
    return ibis.duckdb.from_connection(raw), raw


def sql_string(text: str) -> str:
    """``text`` as a SQL string literal (DuckDB's: quotes doubled, backslashes as they are)."""
    return "'" + text.replace("'", "''") + "'"


def arrow_of(backend, expr):
    """The rows of ``expr`` as a pyarrow table (a scalar's value), asked of ``backend``.  On DuckDB, the
    SQL ibis compiles goes to DuckDB straight: ibis's own ``to_pyarrow`` first loads its pandas
    converters (0.3 s of a first screen), needed only for ibis's in-memory tables, which it registers."""
    import ibis.expr.operations as ops
    import ibis.expr.types as ir

    if backend.name == "duckdb" and not expr.op().find(ops.InMemoryTable):
        table = backend.con.sql(backend.compile(expr)).to_arrow_table()
        return table.column(0)[0].as_py() if isinstance(expr, ir.Scalar) else table
    if isinstance(expr, ir.Scalar):  # through arrow: execute() would import pandas for one value
        return backend.to_pyarrow(expr).as_py()
    return backend.to_pyarrow(expr)


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
    _reachable(url, "Spark Connect server")
    try:
        # create(), not getOrCreate(): the latter gives back the session made for an earlier URL
        # (one that did not answer, say) whatever URL it is now asked for.
        session = SparkSession.builder.remote(url).create()
        _answers(session, url)
        return ibis.pyspark.connect(session)
    except EngineError:
        raise
    except Exception as exc:
        raise EngineError(f"cannot connect to Spark at {redact(url)}: {redact(_first_line(exc))}") from None


ANSWER_SECONDS = 60.0


def _answers(session, url: str) -> None:
    """Ask the server its version, waiting ``ANSWER_SECONDS`` at most: something that accepts the
    connection but never answers (a server still starting, a wrong port) would hang the client."""
    import threading

    outcome: list = []

    def ask() -> None:
        try:
            # A configuration read, not session.version: that is a functools.cached_property, whose
            # lock (Python 3.11) is one for every session, held by a probe that never returns.
            outcome.append(session.conf.get("spark.sql.session.timeZone"))
        except BaseException as exc:  # noqa: BLE001 - given back to the caller below
            outcome.append(exc)

    asking = threading.Thread(target=ask, name="spark-connect-probe", daemon=True)
    asking.start()
    asking.join(ANSWER_SECONDS)
    if not outcome:
        raise EngineError(f"the Spark Connect server at {redact(url)} accepted the connection but did not answer "
                          f"within {ANSWER_SECONDS:.0f} s; is it a Spark Connect server, and has it started?")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]


REACH_SECONDS = 10.0


def _reachable(url: str, what: str) -> None:
    """Raise :class:`EngineError` unless something accepts a connection at ``url``'s host and port."""
    import socket

    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    try:
        port = parts.port or 15002  # Spark Connect's port
    except ValueError:
        raise EngineError(f"{redact(url)}: the port is not a number") from None
    try:
        with socket.create_connection((host, port), timeout=REACH_SECONDS):
            pass
    except OSError as exc:
        why = "no answer" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise EngineError(f"cannot reach the {what} at {host}:{port} ({why}); "
                          "is it running, and is the address right?") from None


def _first_line(exc: BaseException) -> str:
    """The engine's message in one line (gRPC's, Spark Connect's transport, is its ``details``)."""
    found = re.search(r'details = "([^"]*)"', str(exc))
    if found:
        return found.group(1)[:300]
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
