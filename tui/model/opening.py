"""Opening what the user names: what it is, which store serves it, and whether it opens behind a
progress screen.  The one place that decides; the command line and the app only ask.

=====================  ==============================================  ===================
what is named          how it opens                                    store
=====================  ==============================================  ===================
a corpus (small)       loaded and checked (``loader.load_corpus``)     ``MemoryStore``
a corpus (large)       checked in full, compiled by the engine into    ``SqlStore``
                       a sorted Parquet file in the cache
a TimelineJS file      converted into a corpus in the cache            ``MemoryStore``
an event table         read in place by the engine (CSV, TSV,          ``SqlStore``
                       Parquet, JSON lines), its columns mapped
``--engine URL``       the table (a path the engine reads, or a        ``SqlStore``
                       table's name) on that engine
=====================  ==============================================  ===================

``plan(source)`` tells which (cheaply: a look at the path and the first
bytes), ``open_store(plan)`` opens it; both raise ``CorpusError`` with
located problems.  Opening a small corpus never imports the engine.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import msgspec

from .errors import CorpusError, Problem

__all__ = ["EAGER_VERIFY_EVENTS", "SQL_FROM_BYTES", "Plan", "Source", "open_source", "open_store", "plan"]

# From this size a corpus.json is compiled by the engine (some 40,000 events): below it, a corpus
# loads in a fraction of a second and is served from memory.
SQL_FROM_BYTES = 16 << 20
# Up to this many events, a corpus's quotes are all checked before it is shown; above, in the background.
EAGER_VERIFY_EVENTS = 20_000

Progress = Callable[[str, float | None], None]  # (phase, fraction or None)


class Source(msgspec.Struct, frozen=True):
    """What the user named, as the command line takes it."""

    path: str | None = None  # a corpus folder or file, a TimelineJS file, a table, a table's name; None: bundled
    engine: str | None = None  # an engine URL (--engine); None: in this process
    mapping: str | None = None  # a table's mapping: acled, gdelt2, or a TOML file
    skip_bad_rows: bool = False  # a table's rows whose date is not one are left out (and listed)


class Plan(msgspec.Struct, frozen=True):
    """How ``source`` opens: ``kind`` is corpus, large-corpus, timelinejs, table or engine."""

    source: Source
    kind: str
    shown: str  # the source as messages name it
    root: Path | None = None  # a corpus's folder
    file: Path | None = None  # the file read (corpus.json, the TimelineJS file, the table)

    @property
    def in_app(self) -> bool:
        """Does it open in the app behind a progress screen (it may take seconds)?"""
        return self.kind not in ("corpus", "timelinejs")


def _path_problem(path: str, message: str, hint: str) -> CorpusError:
    return CorpusError([Problem(path, "", message, hint, code="io")])


def plan(source: Source) -> Plan:
    """How ``source`` opens (raises ``CorpusError`` when there is nothing to open there)."""
    from .engine_names import table_kind

    if source.engine:
        return Plan(source, "engine", source.path or "")
    if source.path is None:
        from ..resources import bundled_corpus

        folder = bundled_corpus()
        return Plan(source, "corpus", str(folder), folder, folder / "corpus.json")
    path = Path(source.path)
    if table_kind(path) is not None:
        _readable_file(path)
        return Plan(source, "table", str(path), path.parent, path)
    from .loader import CORPUS_FILE, resolve_corpus_path

    if path.is_file() and path.name != CORPUS_FILE:
        from .filekinds import is_timelinejs_file

        if is_timelinejs_file(path):
            return Plan(source, "timelinejs", str(path), path.parent, path)
    root, file = resolve_corpus_path(path)
    try:
        size = os.stat(file).st_size
    except OSError:
        size = 0
    return Plan(source, "large-corpus" if size >= SQL_FROM_BYTES else "corpus", str(path), root, file)


def _readable_file(path: Path) -> None:
    import stat

    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _path_problem(str(path), "no such file", "check the path of the table") from None
    except OSError as exc:
        raise _path_problem(str(path), f"cannot be opened: {exc.strerror or exc}",
                            "check the path and its permissions") from None
    if not stat.S_ISREG(st.st_mode):
        from .files import describe_mode

        raise _path_problem(str(path), f"is {describe_mode(st.st_mode)}, not a regular file",
                            "give the path of the table's file")


def open_store(plan: Plan, progress: Progress | None = None, *, read_ahead=None, early: bool = False):
    """The store of ``plan``'s source, opened; raises ``CorpusError`` (located problems) when it
    cannot be used.  A corpus whose only problems are quotes that no longer match opens, with them
    listed.  ``read_ahead`` is the plan's file being read already (``loader.ReadAhead``).  With
    ``early`` (the app), an event table compiled for the first time comes back before its compile
    ends, with the rest to run in a worker (its ``completion``, see ``tables.table_store``)."""
    if plan.kind in ("corpus", "timelinejs"):
        return _memory_store(plan, progress, read_ahead)
    if plan.kind == "large-corpus":
        from .engine.largefile import compiled_store

        return compiled_store(plan.root, plan.file, progress, read_ahead=read_ahead)
    from .engine.backends import EngineError, connect
    from .engine.tables import load_mapping, table_store
    from .engine_names import table_kind

    mapping = load_mapping(plan.source.mapping) if plan.source.mapping else None
    try:
        if plan.kind == "engine":
            backend = connect(plan.source.engine)
            name = plan.source.path or ""
            return table_store(name, mapping=mapping, backend=backend, kind=table_kind(name) or "table",
                               skip_bad_rows=plan.source.skip_bad_rows, progress=progress)
        return table_store(plan.file, mapping=mapping, skip_bad_rows=plan.source.skip_bad_rows, progress=progress,
                           early=early)
    except EngineError as exc:
        from .engine.backends import redact

        raise CorpusError([Problem(redact(plan.source.engine or ""), "", str(exc),
                                   "check the engine's URL, that it is running, and your credentials",
                                   code="engine")]) from None


def _memory_store(plan: Plan, progress: Progress | None, read_ahead=None):
    from .loader import load_corpus
    from .store import MemoryStore

    if plan.kind == "timelinejs":
        from .conversions import adopt_conversion, converted_corpus

        folder = converted_corpus(plan.file, "timelinejs")
        corpus = load_corpus(folder, allow_unanchored=True, verify=False, progress=progress)
        adopt_conversion(corpus, plan.file)
    else:
        corpus = load_corpus(plan.file, allow_unanchored=True, verify=False, progress=progress,
                             read_ahead=read_ahead)
    if len(corpus.events) <= EAGER_VERIFY_EVENTS:
        if progress is not None:
            progress("checking", None)
        corpus.verify()  # small enough to check every quote before it is shown
    if corpus.verified and any(not p.is_anchor_problem for p in corpus.errors):
        raise CorpusError(corpus.problems)
    return MemoryStore(corpus)


def corpus_of(plan: Plan, *, verify: bool = True):
    """The corpus of a corpus, large or small, or of a TimelineJS file, loaded and checked in full
    (``check`` and ``extract --corpus``); raises ``CorpusError``."""
    from .loader import load_corpus

    if plan.kind == "timelinejs":
        from .conversions import adopt_conversion, converted_corpus

        corpus = load_corpus(converted_corpus(plan.file, "timelinejs"), verify=verify)
        adopt_conversion(corpus, plan.file)
        return corpus
    if plan.kind not in ("corpus", "large-corpus"):
        raise CorpusError([Problem(plan.shown, "", "is an event table, not a corpus",
                                   "give a corpus folder (or import the table first: timeline-explorer import csv)",
                                   code="io")])
    return load_corpus(plan.file, verify=verify)


def open_source(source: Source, progress: Progress | None = None):
    """``open_store(plan(source))``."""
    return open_store(plan(source), progress)
