"""A large ``corpus.json``: checked in full, compiled by DuckDB into sorted Parquet files in the cache.

First open (``build``): the file is decoded with its event records kept raw;
while this process checks every record against the format (msgspec, the
schema's one definition) and builds the documents, actors and claims, a
DuckDB thread parses the same records (as JSON lines) into columns.  The
engine then checks what spans records (duplicate ids, references to actors
and documents), joins the dates (parsed once per distinct text), orders the
events as the timeline does and numbers them: the explorer answers from that
table at once, while the Parquet files are written for the next open.

A corpus with any problem is loaded the usual way instead
(``loader.load_corpus``), which finds and locates every one of them, as
``check`` does: the fast path never has to explain anything.

Reopen (``open_compiled``): the Parquet files are read in place by DuckDB.
The cache is keyed by the corpus file's path and is used only while the
file's size and modification time are those it was made from; the app then
compares the file's content hash (``is_current``) and rebuilds it if they
differ.  Stale, damaged or unfinished caches are never trusted: a cache is a
folder renamed into place once whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import msgspec

from .. import schema
from ..errors import CorpusError, Problem
from ..places import cache_dir, content_hash, path_key, sweep_unfinished
from .backends import sql_string

__all__ = ["FORMAT_VERSION", "cache_folder", "compiled_store", "is_current"]

FORMAT_VERSION = 5  # bump when what is compiled, or how, changes (5: dates in the actor index)

# What read_json gives each field of an event (the format's types; checked by msgspec first).
_JSON_COLUMNS = {
    "id": "VARCHAR", "date": "VARCHAR", "title": "VARCHAR", "summary": "VARCHAR", "type": "VARCHAR",
    "tags": "VARCHAR[]", "actors": "VARCHAR[]",
    "quotes": 'STRUCT("doc" VARCHAR, "exact" VARCHAR, "prefix" VARCHAR, "suffix" VARCHAR)[]',
    "date_note": "VARCHAR", "draft": "BOOLEAN",
    "confidence": "DOUBLE", "note": "VARCHAR", "extra": "JSON",
}


class _Meta(msgspec.Struct):
    """What a compiled cache is made from, and what describes its events."""

    version: int
    path: str
    size: int
    mtime_ns: int
    title: str
    description: str
    documents: list[schema.Document]
    actors: list[schema.Actor]
    claims: list[schema.Claim]
    periods: list[schema.Period]
    extra: dict
    warnings: list[Problem]
    sha256: str = ""
    event_positions: dict[str, int] = {}  # where the events claims name are in the timeline


class _Slow(Exception):
    """Something in the corpus needs the usual load to be explained."""


def cache_folder(file: Path) -> Path:
    return cache_dir() / "compiled" / path_key(Path(file).resolve())


def compiled_store(root: Path, file: Path, progress=None, *, read_ahead=None):
    """The SQL store of the large corpus ``file``: from its compiled cache if it is current, else
    built now (see the module's docstring); raises ``CorpusError`` for a corpus with problems."""
    folder = cache_folder(file)
    meta = _current_meta(folder, file)
    if meta is not None:
        try:
            return open_compiled(folder, meta, root, file)
        except Exception:  # a damaged cache is never trusted: built again
            shutil.rmtree(folder, ignore_errors=True)
    return build(root, file, progress, read_ahead=read_ahead)


def _current_meta(folder: Path, file: Path) -> _Meta | None:
    try:
        meta = msgspec.json.decode((folder / "meta.json").read_bytes(), type=_Meta)
        st = os.stat(file)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    if (meta.version, meta.size, meta.mtime_ns, meta.path) != (FORMAT_VERSION, st.st_size, st.st_mtime_ns,
                                                                 str(Path(file).resolve())):
        return None
    if not all((folder / name).is_file() for name in ("events.parquet", "actors.parquet")):
        return None
    return meta


def is_current(store) -> bool:
    """Is the corpus file still what ``store``'s cache was compiled from (its content hash)?
    Hashing a large file takes a while: the app asks from a worker, after the first screen."""
    meta: _Meta | None = getattr(store, "compiled", None)
    if meta is None:
        return True
    try:
        actual = content_hash(meta.path)
    except OSError:
        return False
    if not meta.sha256:
        return True
    return actual == meta.sha256


def _describe(root: Path, file: Path, meta: _Meta, *, trusted: bool = False):
    """Documents, actors, claims and periods of the corpus, built as the loader builds them (``trusted``:
    from a compiled cache, whose records were checked when it was made)."""
    from ..loader import _Loader

    loader = _Loader(root, file, trusted=trusted)
    documents = loader.build_documents(meta.documents)
    actors = loader.build_actors(meta.actors)
    loader.event_ids = set()
    loader.declared["events"] = _AllIds()  # checked when compiled: every claim's events exist
    claims = loader.build_claims(meta.claims, documents)
    for claim, record in zip(claims.values(), meta.claims):
        claim.events = tuple(dict.fromkeys(record.events))
    periods = sorted(loader.build_periods(meta.periods), key=lambda p: (p.date.sort_key, p.id))
    problems = [p for p in loader.problems if p.severity == "error"]
    if problems:
        raise CorpusError(problems)
    return documents, actors, claims, periods, [p for p in loader.problems if p.severity == "warning"]


class _AllIds(set):
    def __contains__(self, item: object) -> bool:
        return True


def open_compiled(folder: Path, meta: _Meta, root: Path, file: Path):
    """The store of a compiled cache: DuckDB reads its Parquet files in place."""
    from .backends import duckdb_backend
    from .sqlstore import SqlStore

    documents, actors, claims, periods, _ = _describe(root, file, meta, trusted=True)
    backend, raw = duckdb_backend()
    # Views of the database, not of one connection: a cursor (another thread) sees them too.
    raw.execute(f"CREATE VIEW te_events AS SELECT * FROM read_parquet({sql_string(str(folder / 'events.parquet'))})")
    raw.execute(f"CREATE VIEW te_event_actors AS SELECT * FROM read_parquet({sql_string(str(folder / 'actors.parquet'))})")
    events, event_actors = backend.table("te_events"), backend.table("te_event_actors")
    store = SqlStore(backend, events, event_actors, _store_meta(meta, documents, actors, claims, periods, root, file),
                     engine="duckdb")
    store.compiled, store.compiled_path = meta, folder
    try:
        verdict = msgspec.json.decode((folder / "verdict.json").read_bytes(), type=_Verdict)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        verdict = None
    if verdict is not None and verdict.sha256 == meta.sha256 and meta.sha256:
        store.adopt_verdict(verdict.problems)
    else:
        store.on_verified = lambda store, found: _keep_verdict(folder, meta, found)
    return store


class _Verdict(msgspec.Struct):
    """What checking every quote of a compiled corpus found (for the content ``sha256``)."""

    sha256: str
    problems: list[Problem]


def _keep_verdict(folder: Path, meta: _Meta, found: list[Problem]) -> None:
    from ..atomic import atomic_write_bytes

    try:
        atomic_write_bytes(folder / "verdict.json", msgspec.json.encode(_Verdict(meta.sha256, found)))
    except OSError:
        pass  # the check runs again next time


def _store_meta(meta: _Meta, documents, actors, claims, periods, root: Path, file: Path):
    from .sqlstore import StoreMeta

    return StoreMeta(title=meta.title, description=meta.description, documents=documents, actors=actors,
                     claims=claims, periods=periods, problems=list(meta.warnings), origin=file, file=file, root=root,
                     kind="corpus", event_positions=meta.event_positions)


# -- building -------------------------------------------------------------------------


def build(root: Path, file: Path, progress=None, *, read_ahead=None):
    """Check the corpus in full and compile it (see the module's docstring)."""
    from ..loader import read_file

    report = progress or (lambda phase, fraction: None)
    report("reading", None)
    st = os.stat(file)
    data = read_ahead.take(progress) if read_ahead is not None and read_ahead.file == file else read_file(file, progress)
    try:
        return _build_fast(root, file, data, st, report)
    except _Slow:
        del data
        return _build_slow(root, file, report)


def _build_slow(root: Path, file: Path, report):
    """A corpus with problems (or what the fast path does not explain): the usual load says what they
    are; a corpus whose only problems are quotes that do not anchor is compiled from it."""
    from ..loader import load_corpus
    from .compile import corpus_store

    report("validating", None)
    corpus = load_corpus(file, allow_unanchored=True, verify=False, progress=report)
    if any(not p.is_anchor_problem for p in corpus.errors):
        raise CorpusError(corpus.problems)
    report("compiling", None)
    return corpus_store(corpus)


def _build_fast(root: Path, file: Path, data, st: os.stat_result, report):
    from ...collector import paused
    from ..jsonspans import repeated_top_level_key

    with paused():  # millions of objects made, none freed: the collector would only walk them
        report("decoding", None)
        body = memoryview(data)[3:] if bytes(data[:3]) == b"\xef\xbb\xbf" else data
        if repeated_top_level_key(body) is not None:  # the usual load says which, where
            raise _Slow
        try:
            f = msgspec.json.decode(body, type=schema.RawEventsCorpusFile)
        except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
            raise _Slow from None
        folder = cache_folder(file)
        folder.parent.mkdir(parents=True, exist_ok=True)
        sweep_unfinished(folder.parent)  # an explorer killed mid-compile left its work
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
        try:
            return _compile(root, file, f, st, folder, work, report)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise


def _compile(root: Path, file: Path, f, st: os.stat_result, folder: Path, work: Path, report):
    from ..loader import _Loader
    from .backends import duckdb_backend
    from .columns import date_rows, fold_sql
    from .sqlstore import SqlStore

    lines = work / "events.json"  # the records as they are in the file (pretty-printed or not), as one array
    with open(lines, "wb") as out:
        out.write(b"[" + b",".join(f.events) + b"]")
    backend, raw = duckdb_backend()
    parsed: dict[str, BaseException | None] = {}

    def parse() -> None:  # DuckDB lets go of the interpreter while it works: this overlaps the check below
        try:
            columns = ", ".join(f"'{k}': {sql_string(v)}" for k, v in _JSON_COLUMNS.items())
            cursor = raw.cursor()
            cursor.execute(f"CREATE TABLE ev AS SELECT row_number() OVER () - 1 AS row, * FROM read_json("
                           f"{sql_string(str(lines))}, format = 'array', columns = {{{columns}}})")
            parsed["error"] = None
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits
            parsed["error"] = exc

    thread = threading.Thread(target=parse, name="compile-parse", daemon=True)
    thread.start()
    report("validating", None)
    check = msgspec.json.Decoder(list[schema.Event]).decode
    events = f.events
    n = len(events)
    sample: dict[int, str] = {}
    step = 4096
    for start in range(0, n, step):
        try:
            chunk = check(b"[" + b",".join(events[start:start + step]) + b"]")
        except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
            thread.join()
            raise _Slow from None
        sample[start] = chunk[0].id
        if start % (step * 32) == 0:
            report("validating", start / max(1, n))
    loader = _Loader(root, file)
    documents = loader.build_documents(f.documents)
    actors = loader.build_actors(f.actors)
    thread.join()
    if parsed.get("error") is not None or any(p.severity == "error" for p in loader.problems):
        raise _Slow
    lines.unlink()
    report("indexing", None)
    # The events in the file's order, as DuckDB numbered them (checked at a sample of places).
    rows = {r: i for r, i in raw.execute(
        f"SELECT row, id FROM ev WHERE row IN ({', '.join(map(str, sample))})").fetchall()}
    if rows != sample:
        raise _Slow
    _check_references(raw, f, documents, actors)
    texts = [t for (t,) in raw.execute("SELECT DISTINCT date FROM ev").fetchall()]
    dates, bad = date_rows(texts)
    if bad:
        raise _Slow
    import pyarrow as pa

    raw.register("dates_arrow", pa.table(dates))
    raw.execute("CREATE TABLE dates AS SELECT * FROM dates_arrow")
    raw.unregister("dates_arrow")
    _control_warnings(raw, f, loader)
    warnings = [p for p in loader.problems if p.severity == "warning"] + _warnings(raw, f, documents)
    report("compiling", None)
    raw.execute(f"""
        CREATE TABLE te_events AS
        SELECT (row_number() OVER (ORDER BY d.rank, e.id) - 1)::BIGINT AS pos, e.id, e.row::BIGINT AS row, e.date,
               d.rank, d.lower, d.upper, d.hy, d.hm, d.ly, d.lm, d.lday, e.title,
               coalesce(e.summary, '') AS summary, coalesce(e.type, '') AS type, coalesce(e.tags, []) AS tags,
               coalesce(e.actors, []) AS actors, CAST(to_json(coalesce(e.quotes, [])) AS VARCHAR) AS quotes,
               len(list_distinct([q.doc FOR q IN coalesce(e.quotes, [])]))::BIGINT AS sources,
               coalesce(e.draft, false) AS draft, e.confidence, coalesce(e.date_note, '') AS date_note,
               coalesce(e.note, '') AS note,
               CASE WHEN e.extra IS NULL OR CAST(e.extra AS VARCHAR) = '{{}}' THEN NULL
                    ELSE CAST(e.extra AS VARCHAR) END AS extra,
               {fold_sql("e.text")} AS hay,
               NULL::VARCHAR AS notes, NULL::VARCHAR AS source, NULL::VARCHAR AS url
        FROM (SELECT *, concat_ws(chr(10), title, coalesce(summary, ''),
                                  array_to_string([q.exact FOR q IN coalesce(quotes, [])], chr(10))) AS text
              FROM ev) e JOIN dates d USING (date)
        ORDER BY pos
    """)
    raw.execute("DROP TABLE ev")
    raw.execute("""CREATE TABLE te_event_actors AS
                   SELECT DISTINCT unnest(actors) AS actor, pos, hy, hm, lower, upper, ly, lm, lday FROM te_events
                   ORDER BY actor, pos""")  # columns.EVENT_ACTOR_COLUMNS
    named = sorted({e for c in f.claims for e in c.events})
    positions = dict(raw.execute("SELECT id, pos FROM te_events WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                                 [named]).fetchall()) if named else {}
    meta = _Meta(FORMAT_VERSION, str(Path(file).resolve()), st.st_size, st.st_mtime_ns, f.title, f.description,
                 f.documents, f.actors, f.claims, f.periods, f.extra, warnings, event_positions=positions)
    _, _, claims, periods, described = _describe(root, file, meta)
    seen = {(p.location, p.message) for p in warnings}
    meta.warnings += [p for p in described if (p.location, p.message) not in seen]
    store = SqlStore(backend, backend.table("te_events"), backend.table("te_event_actors"),
                     _store_meta(meta, documents, actors, claims, periods, root, file), engine="duckdb")
    store.compiled, store.compiled_path = meta, folder
    _write_cache_later(raw, meta, folder, work, store)
    return store


def _check_references(raw, f, documents, actors) -> None:
    """What spans records: every id once, every actor and document named known, every id well formed,
    every claim's events there; anything else is for the usual load to explain."""
    import re

    if raw.execute("SELECT count(*) - count(DISTINCT id) FROM ev").fetchall()[0][0]:
        raise _Slow
    known_actors = set(actors)
    named = {a for (a,) in raw.execute("SELECT DISTINCT unnest(actors) FROM ev").fetchall()}
    if named - known_actors:
        raise _Slow
    cited = {d for (d,) in raw.execute("SELECT DISTINCT unnest([q.doc FOR q IN quotes]) FROM ev").fetchall()}
    if cited - set(documents):
        raise _Slow
    pattern = schema.ID_PATTERN.removeprefix("^").removesuffix("$")
    if raw.execute(f"SELECT count(*) FROM ev WHERE NOT regexp_full_match(id, {sql_string(pattern)})").fetchall()[0][0]:
        raise _Slow
    wanted = sorted({e for c in f.claims for e in c.events})
    if wanted:
        raw.execute("CREATE TEMP TABLE wanted AS SELECT unnest(?::VARCHAR[]) AS id", [wanted])
        found = raw.execute("SELECT count(*) FROM wanted JOIN ev USING (id)").fetchall()[0][0]
        raw.execute("DROP TABLE wanted")
        if found != len(wanted):
            raise _Slow
    del re


# Characters a terminal would obey or that reorder text (``safetext.CONTROL_CHARACTERS``), in RE2.
_CONTROL_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\x{202a}-\x{202e}\x{2066}-\x{2069}]"


def _control_warnings(raw, f, loader) -> None:
    """The usual load's warnings of fields that hold control characters (``_Loader.control_warning``):
    the events that have any are found by the engine, in parallel, and only they are decoded."""
    for key in ("title", "description"):
        loader.control_warning(key, getattr(f, key), None)
    for section in ("documents", "actors", "claims", "periods"):
        for i, record in enumerate(getattr(f, section)):
            loader.control_warning(loader.where(section, i, getattr(record, "id", None)),
                                   msgspec.to_builtins(record), None)
    text = ("concat(id, date, title, coalesce(summary, ''), coalesce(type, ''), coalesce(date_note, ''), "
            "coalesce(note, ''), array_to_string(coalesce(tags, []), ''), array_to_string("
            "[concat(q.exact, coalesce(q.prefix, ''), coalesce(q.suffix, '')) FOR q IN coalesce(quotes, [])], ''))")
    for row, event_id in raw.execute(f"SELECT row, id FROM ev WHERE regexp_matches({text}, ?) ORDER BY row",
                                     [_CONTROL_RE2]).fetchall():
        loader.control_warning(loader.where("events", row, event_id), msgspec.json.decode(f.events[row]), None)


def _warnings(raw, f, documents) -> list[Problem]:
    """The warnings the usual load gives of events: qualified dates without a note, events that cite
    nothing, documents nobody cites (located by record; the line is ``check``'s to give)."""
    from ..dates import parse_edtf

    shown = "corpus.json"
    problems: list[Problem] = []
    qualified = [t for (t,) in raw.execute("SELECT DISTINCT date FROM ev WHERE coalesce(date_note, '') = ''").fetchall()
                 if (lambda d: d.approximate or d.uncertain)(parse_edtf(t))]
    if qualified:
        raw.execute("CREATE TEMP TABLE qualified AS SELECT unnest(?::VARCHAR[]) AS date", [qualified])
        for row, event_id, date in raw.execute(
                "SELECT row, id, date FROM ev JOIN qualified USING (date) "
                "WHERE coalesce(date_note, '') = '' ORDER BY row").fetchall():
            problems.append(Problem(shown, f'events[{row}].date (event "{event_id}")',
                                    f"the date {date!r} is qualified but has no date_note",
                                    'say in "date_note" what the date rests on', None, "warning", "date-note"))
        raw.execute("DROP TABLE qualified")
    for row, event_id in raw.execute("SELECT row, id FROM ev WHERE len(coalesce(quotes, [])) = 0 "
                                     "AND NOT coalesce(draft, false) ORDER BY row").fetchall():
        problems.append(Problem(shown, f'events[{row}] (event "{event_id}")',
                                "the event cites no quote, so nothing traces it to a source",
                                'add "quotes" from the documents that report it', None, "warning", "unsourced"))
    problems += _editorial_warnings(raw, f, documents)
    cited = {d for (d,) in raw.execute("SELECT DISTINCT unnest([q.doc FOR q IN quotes]) FROM ev").fetchall()}
    cited |= {s.doc for c in f.claims for s in c.statements}
    for i, record in enumerate(f.documents):
        if record.id in documents and record.id not in cited:
            problems.append(Problem(shown, f'documents[{i}] (document "{record.id}")',
                                    "no event or claim cites this document", "cite it, or remove it from the corpus",
                                    None, "warning", "unused"))
    return problems


def _editorial_warnings(raw, f, documents) -> list[Problem]:
    """The warnings ``Corpus.verify`` gives of wording: a title or summary putting in quotation marks
    words none of its event's quotes contains, and a claim attached to an event citing none of the
    claim's documents.  The engine picks the few titles with a quotation mark; Python reads those."""
    from ..editorial import foreign_events, missing_phrases

    shown = "corpus.json"
    problems: list[Problem] = []
    texts: dict[str, str | None] = {}

    def own_words(field: str, doc_ids: list[str]) -> bool:
        for doc_id in doc_ids:
            if doc_id not in texts:
                doc = documents.get(doc_id)
                try:
                    texts[doc_id] = doc._borrow_text() if doc is not None else None
                except (OSError, UnicodeDecodeError):
                    texts[doc_id] = None  # the document's own problem says why
            if texts[doc_id] is not None and field in texts[doc_id]:
                return True
        return False

    opener = "[“„«\"‘']"
    for row, event_id, title, summary, exacts, doc_ids in raw.execute(
            "SELECT row, id, title, summary, [q.exact FOR q IN coalesce(quotes, [])], "
            "[q.doc FOR q IN coalesce(quotes, [])] FROM ev "
            "WHERE regexp_matches(title, ?) OR regexp_matches(coalesce(summary, ''), ?) ORDER BY row",
            [opener, opener]).fetchall():
        for field, text in (("title", title), ("summary", summary)):
            phrases = missing_phrases(text or "", exacts)
            if not phrases or own_words(text, list(dict.fromkeys(doc_ids))):
                continue
            for phrase in phrases:
                problems.append(Problem(
                    shown, f'events[{row}].{field} (event "{event_id}")',
                    f"the {field} puts “{phrase}” in quotation marks, but none of the event's quotes contains it",
                    "quote the passage that says it, or drop the quotation marks: they say a source used these words",
                    None, "warning", "quoted-phrase"))
    attached = [(i, c) for i, c in enumerate(f.claims) if c.statements and c.events]
    if attached:
        wanted = sorted({e for _, c in attached for e in c.events})
        docs_of = dict(raw.execute(
            "SELECT id, [q.doc FOR q IN coalesce(quotes, [])] FROM ev WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [wanted]).fetchall())
        for i, claim in attached:
            own = list(dict.fromkeys(s.doc for s in claim.statements))
            for event_id, docs in foreign_events(own, [(e, docs_of.get(e, [])) for e in claim.events]):
                problems.append(Problem(
                    shown, f'claims[{i}].events (claim "{claim.id}")',
                    f"the claim is attached to event {event_id!r}, which cites none of the claim's documents "
                    f"(the event cites {', '.join(map(repr, docs))}; the claim quotes {', '.join(map(repr, own))})",
                    "attach the claim to the events its sources report, or quote the event from one of them",
                    None, "warning", "claim-event-sources"))
    return problems


def _write_cache_later(raw, meta: _Meta, folder: Path, work: Path, store) -> None:
    """Write the Parquet files and the metadata in a thread (DuckDB works without the interpreter),
    then rename the folder into place: the next open reads them."""

    cursor = raw.cursor()

    def write() -> None:
        try:
            cursor.execute(f"COPY te_events TO {sql_string(str(work / 'events.parquet'))} "
                           "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)")
            cursor.execute(f"COPY te_event_actors TO {sql_string(str(work / 'actors.parquet'))} "
                           "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)")
            meta.sha256 = content_hash(meta.path)
            (work / "meta.json").write_bytes(msgspec.json.encode(meta))
            old = None
            if folder.exists():
                old = folder.with_name(f".{folder.name}.old-{time.time_ns()}")
                os.rename(folder, old)
            os.rename(work, folder)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            # The quotes are checked after the first screen: their verdict joins the cache when it comes.
            store.on_verified = lambda store, found: _keep_verdict(folder, meta, found)
            if store.verified:
                _keep_verdict(folder, meta, list(store.unanchored))
        except Exception:  # the cache is only a speed-up: without it, the next open compiles again
            shutil.rmtree(work, ignore_errors=True)

    thread = threading.Thread(target=write, name="compile-cache", daemon=True)
    _WRITERS.append((thread, cursor))
    if len(_WRITERS) == 1:
        import atexit

        atexit.register(stop_writing)
    thread.start()


_WRITERS: list = []  # (thread, connection) of the caches being written


def stop_writing() -> None:
    """Stop writing compiled caches (the process is ending): a DuckDB query still running in a thread
    when the interpreter shuts down would abort the process. An unfinished cache is never used."""
    for thread, raw in list(_WRITERS):
        if thread.is_alive():
            try:
                raw.interrupt()
            except Exception:  # noqa: BLE001 - already closed, or nothing to interrupt
                pass
            thread.join(10)
    _WRITERS.clear()
