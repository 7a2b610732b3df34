"""A corpus as the engine's tables: its events in timeline order, and who takes part in each.

``corpus_tables(corpus)`` makes them from a loaded, validated corpus (any
size that fits in memory: the conformance suite runs every engine on the
same corpus this way).  A large ``corpus.json`` takes the fast path of
``largefile``, which makes the same tables without building Python events.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from ..corpus import Corpus
from .columns import DATE_COLUMNS, EVENT_ACTOR_COLUMNS, EVENT_COLUMNS, INDEXED_DATES, date_rows

__all__ = ["arrow_schema", "corpus_tables", "event_actor_rows"]

_ARROW_TYPES = {
    "int64": "int64", "string": "string", "boolean": "bool", "float64": "float64", "array<string>": "list<string>",
}


def arrow_schema(columns: dict[str, str] = EVENT_COLUMNS):
    import pyarrow as pa

    kinds = {"int64": pa.int64(), "string": pa.string(), "boolean": pa.bool_(), "float64": pa.float64(),
             "array<string>": pa.list_(pa.string())}
    return pa.schema([(name, kinds[kind]) for name, kind in columns.items()])


def _quotes_json(quotes) -> str:
    return msgspec.json.encode([{k: v for k, v in (("doc", q.document.id), ("exact", q.exact), ("prefix", q.prefix),
                                                    ("suffix", q.suffix)) if v or k in ("doc", "exact")}
                                for q in quotes]).decode()


def corpus_tables(corpus: Corpus):
    """``(events, event_actors)`` pyarrow tables of a loaded corpus, events in timeline order."""
    import pyarrow as pa

    from ..textfold import fold

    events = corpus.events
    dates, _ = date_rows(e.date.text for e in events)
    index = {text: i for i, text in enumerate(dates["date"])}
    columns: dict[str, list] = {name: [] for name in EVENT_COLUMNS}
    for event in events:
        d = index[event.date.text]
        columns["pos"].append(event.position)
        columns["id"].append(event.id)
        columns["row"].append(event.index)
        for name in DATE_COLUMNS:
            columns[name].append(dates[name][d])
        columns["title"].append(event.title)
        columns["summary"].append(event.summary)
        columns["type"].append(event.type)
        columns["tags"].append(list(event.tags))
        columns["actors"].append(list(event.actors))
        columns["quotes"].append(_quotes_json(event.quotes))
        columns["sources"].append(event.source_count)
        columns["draft"].append(event.draft)
        columns["confidence"].append(event.confidence)
        columns["date_note"].append(event.date_note)
        columns["note"].append(event.note)
        columns["extra"].append(msgspec.json.encode(event.extra).decode() if event.extra else None)
        columns["hay"].append(fold("\n".join([event.title, event.summary, *(q.exact for q in event.quotes)])))
        columns["notes"].append(None)
        columns["source"].append(None)
        columns["url"].append(None)
    table = pa.table(columns, schema=arrow_schema())
    actors, positions = event_actor_rows(columns["pos"], columns["actors"])
    at = {p: i for i, p in enumerate(columns["pos"])}
    index = {"actor": actors, "pos": positions, **{c: [columns[c][at[p]] for p in positions] for c in INDEXED_DATES}}
    return table, pa.table(index, schema=arrow_schema(EVENT_ACTOR_COLUMNS))


def event_actor_rows(positions: Iterable[int], actors: Iterable[list[str]]) -> tuple[list[str], list[int]]:
    """(actor, pos) pairs, one per actor of each event (an actor named twice in one event, once),
    sorted by actor then position: an actor's events are one run of the table."""
    pairs = sorted({(a, p) for p, names in zip(positions, actors) for a in names})
    return [a for a, _ in pairs], [p for _, p in pairs]


def load_tables(backend, events, event_actors, *, prefix: str = "te"):
    """Put the pyarrow tables ``events`` and ``event_actors`` into ``backend`` (as temporary
    tables of the session); their ibis tables."""
    import ibis

    name, actors_name = f"{prefix}_events", f"{prefix}_event_actors"
    if backend.name == "duckdb":
        raw = backend.con
        raw.register(f"{name}_arrow", events)
        raw.register(f"{actors_name}_arrow", event_actors)
        # Tables of the in-memory database, not of one connection: a cursor (another thread) sees them too.
        raw.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{name}_arrow" ORDER BY pos')
        raw.execute(f'CREATE OR REPLACE TABLE "{actors_name}" AS SELECT * FROM "{actors_name}_arrow" '
                    "ORDER BY actor, pos")
        raw.unregister(f"{name}_arrow")
        raw.unregister(f"{actors_name}_arrow")
        return backend.table(name), backend.table(actors_name)
    # Another engine: views of the session over the tables handed over (Spark has no temporary tables).
    return (backend.create_view(name, ibis.memtable(events), overwrite=True).cache(),
            backend.create_view(actors_name, ibis.memtable(event_actors), overwrite=True).cache())


def corpus_store(corpus: Corpus, backend=None):
    """A :class:`~.sqlstore.SqlStore` of a loaded corpus, on ``backend`` (DuckDB in memory by default)."""
    from .backends import duckdb_backend
    from .sqlstore import SqlStore, StoreMeta

    if backend is None:
        backend = duckdb_backend()[0]
    events, event_actors = corpus_tables(corpus)
    t, ea = load_tables(backend, events, event_actors)
    meta = StoreMeta(title=corpus.title, description=corpus.description, documents=corpus.documents,
                     actors=corpus.actors, claims=corpus.claims, periods=corpus.periods,
                     problems=list(corpus.problems), origin=corpus.origin, file=corpus.file, root=corpus.root,
                     kind="corpus")
    return SqlStore(backend, t, ea, meta, engine=backend.name)
