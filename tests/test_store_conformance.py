"""One conformance suite for every event store: the same corpus, the same queries, the same answers.

The in-memory store of a curated corpus is the reference; the SQL store runs
the same queries through ibis on DuckDB (and, in ``tests/engines``, on Spark).
Each engine is a fixture parameter: a new engine joins by adding one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from model_support import REPO, SEEDS, generate_corpus

from tui.model.corpus import Query
from tui.model.dates import parse_edtf
from tui.model.loader import load_corpus
from tui.model.store import MemoryStore

pytest.importorskip("ibis", reason="the SQL store needs the engine dependencies (ibis, duckdb)")

from tui.model.engine.compile import corpus_store  # noqa: E402

ACLED = REPO / "tests" / "data" / "csv" / "acled-sample.csv"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate_corpus(600, folder, seed=7)
    return folder


def engines():
    """(name, make a SQL store of a corpus) for each engine this run can reach."""
    yield "duckdb", lambda corpus: corpus_store(corpus)


@pytest.fixture(scope="module", params=["seeds", "synthetic"])
def corpus(request, synthetic):
    return load_corpus(SEEDS if request.param == "seeds" else synthetic)


@pytest.fixture(scope="module", params=[name for name, _ in engines()])
def pair(request, corpus):
    make = dict(engines())[request.param]
    return MemoryStore(corpus), make(corpus)


def queries(store) -> list[Query]:
    actors = sorted(store.actors)
    coalitions = [a for a in actors if store.actors[a].members]
    members = [m for c in coalitions for m in store.actors[c].members]
    types = store.types
    picks = [Query(), Query(frozenset(actors[:1])), Query(frozenset(actors[1:4]))]
    if coalitions:
        picks.append(Query(frozenset(coalitions[:1])))
    if members:
        picks.append(Query(frozenset(members[:1])))  # a member: its coalitions' events count too
    if types:
        picks.append(Query(types=frozenset(types[:2])))
    picks += [
        Query(date_from=parse_edtf("2019-07"), date_to=parse_edtf("2019-07")),
        Query(date_from=parse_edtf("1990")),
        Query(date_to=parse_edtf("1980-06~")),
        Query(text="uyghur"),  # alias spellings: Uighur, Uygur
        Query(text='"human rights" council'),
        Query(text="mizanel"),
        Query(frozenset(actors[:2]), date_from=parse_edtf("1960"), text="a"),
    ]
    return picks


def test_the_same_events_in_the_same_order(pair):
    memory, sql = pair
    assert len(memory) == len(sql)
    assert memory.types == sql.types
    for query in queries(memory):
        a, b = memory.select(query), sql.select(query)
        assert len(a) == len(b), query
        assert a.headings() == b.headings(), query
        assert list(a.positions(0, len(a))) == b.positions(0, len(b)), query


def test_the_same_events_field_by_field(pair):
    memory, sql = pair
    for position in range(0, len(memory), max(1, len(memory) // 40)):
        x, y = memory.event(position), sql.event(position)
        assert (x.id, x.date.text, x.title, x.summary, x.type, x.actors, x.tags, x.draft, x.date_note) == \
               (y.id, y.date.text, y.title, y.summary, y.type, y.actors, y.tags, y.draft, y.date_note)
        assert [(q.document.id, q.exact, q.start, q.end) for q in x.quotes] == \
               [(q.document.id, q.exact, q.start, q.end) for q in y.quotes]
        assert sorted(x.claims) == sorted(y.claims) and x.source_count == y.source_count
        assert sql.position_of(x.id) == position


def test_actor_counts_with_coalitions(pair):
    memory, sql = pair
    for query in queries(memory)[:6]:
        a, b = memory.select(query), sql.select(query)
        counts = b.actor_counts()
        for actor in memory.actors:
            assert a.actor_count(actor) == counts.get(actor, 0), (query, actor)


@pytest.mark.parametrize("held", ["positions", "engine", "uncounted"])
def test_search_matches_and_their_navigation(pair, monkeypatch, held):
    """The same matches and the same answers, however the SQL store holds them: every position in
    Python, the engine holding them (too many), or only the first ones known while it has not counted."""
    from tui.model.engine import sqlstore

    memory, sql = pair
    if held != "positions":  # too many matches to hold: the engine answers where the next one is
        monkeypatch.setattr(sqlstore, "MATCH_LIST_LIMIT", 1)
        monkeypatch.setattr(sqlstore, "FIRST_MATCHES", 3)  # and only the first three come first
    for text in ("uyghur", "Uighur 22", "“human rights”", "mizanel", "letter", "zzzz-nothing"):
        a = memory.select(Query()).search(text)
        b = sql.select(Query()).search(text, counted=held != "uncounted")
        assert bool(a) == bool(b), text
        if held == "uncounted" and len(a) > 3:
            assert not b.counted and b.least == 4, text  # the first three, and more
        if len(a):
            middle = list(a)[len(a) // 2]
            second = list(a)[1] if len(a) > 1 else list(a)[0]
            for position in (middle, second, list(a)[-1] + 1, -1):  # in the first ones known and beyond
                assert (a.after(position), a.before(position), a.index(position)) == \
                       (b.after(position), b.before(position), b.index(position)), (text, position)
            assert a.first() == b.first(), text
        if held == "uncounted" and len(a) > 3:
            assert [p for p in list(a)[:3]] == [p for p in range(list(a)[2] + 1) if p in b], text
            assert not b.counted, "navigating the matches does not count them"
        assert len(a) == len(b) and b.counted and b.least == len(a), text
        if held != "positions" and len(b):
            b.fetch_between(0, len(memory))  # a page on screen: which of its events match
        assert list(a) == [p for p in range(len(memory)) if p in b], text


def test_positions_and_membership(pair):
    memory, sql = pair
    every = range(0, len(memory), max(1, len(memory) // 25))
    for query in queries(memory):
        a, b = memory.select(query), sql.select(query)  # no page fetched: the engine answers
        for position in every:
            assert (position in a) == (position in b), (query, position)
            assert a.index_of(position) == b.index_of(position), (query, position)
        assert b.members(every) == [p for p in every if p in a], query


def test_density_and_coarse_dates(pair):
    memory, sql = pair
    for query in queries(memory):  # every kind of filter: actors alone are counted from the actor index
        for room in (12, 40, 200):
            a = memory.select(query).density(room, (query.date_from, query.date_to))
            b = sql.select(query).density(room, (query.date_from, query.date_to))
            assert a == b, (query, room)
            for period in a.periods[:5]:
                assert memory.select(query).coarse_in(period) == sql.select(query).coarse_in(period)


def test_a_table_read_in_place_gives_the_events_import_makes(tmp_path, capsys):
    from model_support import run

    from tui.model.engine.tables import table_store

    assert run(["import", "csv", str(ACLED), "-o", str(tmp_path / "imported")], capsys)[0] == 0
    imported = MemoryStore(load_corpus(tmp_path / "imported"))
    table = table_store(ACLED)
    assert len(table) == len(imported)
    for query in (Query(), Query(text="Port Example"), Query(types=frozenset({"Protests"}))):
        a, b = imported.select(query), table.select(query)
        assert a.headings() == b.headings()
        xs = [imported.event(p) for p in a.positions(0, len(a))]
        ys = [table.event(p) for p in b.positions(0, len(b))]
        assert [(x.id, x.date.text, x.title, x.summary, x.type, x.date_note) for x in xs] == \
               [(y.id, y.date.text, y.title, y.summary, y.type, y.date_note) for y in ys]
        assert [[imported.actors[a].name for a in x.actors] for x in xs] == [list(y.actors) for y in ys]
        # Every row keeps its provenance: the table and the row, and its own text as its quote.
        for y in ys:
            if y.quotes:
                assert y.quotes[0].document.title == f"acled-sample.csv, row {y.index:,}"
                assert y.quotes[0].start == 0 and y.quotes[0].text == y.summary


# -- the same suite on Spark (a real Spark Connect server, started for the tests) ---------------------

SPARK_QUERIES = [Query(), Query(frozenset({"qatar"})), Query(frozenset({"gulf-cooperation-council"})),
                 Query(types=frozenset({"letter", "statement"})), Query(text="uyghur"),
                 Query(date_from=parse_edtf("2019-07"), date_to=parse_edtf("2019-07"))]


@pytest.fixture(scope="module")
def spark(spark_url):
    from tui.model.engine.backends import connect

    backend = connect(spark_url)
    corpus = load_corpus(SEEDS)
    store = corpus_store(corpus, backend)
    yield MemoryStore(corpus), store
    store.close()


@pytest.mark.spark
def test_spark_answers_as_memory_does(spark):
    memory, sql = spark
    assert len(memory) == len(sql) and memory.types == sql.types
    for query in SPARK_QUERIES:
        a, b = memory.select(query), sql.select(query)
        assert len(a) == len(b), query
        assert a.headings() == b.headings(), query
        assert list(a.positions(0, len(a))) == b.positions(0, len(b)), query
    counts = sql.select(Query()).actor_counts()
    assert all(memory.select(Query()).actor_count(a) == counts.get(a, 0) for a in memory.actors)
    a, b = memory.select(Query()).search("Uighur 22"), sql.select(Query()).search("Uighur 22")
    assert list(a) == [p for p in range(len(memory)) if p in b]
    for room in (12, 40):
        assert memory.select(Query()).density(room, (None, None)) == sql.select(Query()).density(room, (None, None))
    x, y = memory.event(5), sql.event(5)
    assert (x.id, x.title, [q.exact for q in x.quotes]) == (y.id, y.title, [q.exact for q in y.quotes])


@pytest.mark.spark
def test_spark_reads_a_table_in_place(spark_url, tmp_path):
    from tui.model.engine.backends import connect
    from tui.model.engine.tables import table_store

    backend = connect(spark_url)
    store = table_store(str(ACLED), backend=backend)
    try:
        local = table_store(ACLED)
        assert len(store) == len(local) == 8
        assert [store.event(p).id for p in range(8)] == [local.event(p).id for p in range(8)]
        assert len(store.select(Query(frozenset({"Protesters (Xyland)"})))) == 4
    finally:
        store.close()


def test_pages_by_offset_and_by_key_agree(pair, monkeypatch):
    """Small pages: each is fetched by offset, by key after the page before it, or by key before the page
    after it, and every way gives the reference's events."""
    from tui.model.engine import sqlstore

    monkeypatch.setattr(sqlstore, "PAGE", 7)
    memory, sql = pair
    monkeypatch.setattr(sql, "_sets", type(sql._sets)())  # sets of small pages, not those of other tests
    for query in queries(memory):
        a = memory.select(query)
        expected = list(a.positions(0, len(a)))
        n = len(expected)
        pages = range((n + 6) // 7)
        forward = sql.select(query)  # page 0 by offset, then each by key after the last
        assert [p for k in pages for p in forward.positions(k * 7, k * 7 + 7)] == expected, query
        backward = sql.select(query)  # the last page by offset, then each by key before the next
        got = [backward.positions(k * 7, k * 7 + 7) for k in reversed(pages)]
        assert [p for page in reversed(got) for p in page] == expected, query
        if n > 14:
            middle = sql.select(query)
            assert middle.positions(7, 14) == expected[7:14]  # by offset, with no neighbour


def test_a_search_held_by_the_engine_answers_however_many_came_after(pair, monkeypatch):
    from tui.model.engine import sqlstore

    monkeypatch.setattr(sqlstore, "MATCH_LIST_LIMIT", 0)  # every result held by the engine
    memory, sql = pair
    first = sql.select(Query()).search("letter")
    later = [sql.select(Query()).search(text) for text in ("uyghur", "a", "e", "un", "22", "letter")]
    expected = memory.select(Query()).search("letter")
    if len(expected):
        assert first.first() == expected.first() and first.after(expected.first()) == later[-1].after(expected.first())
    del later  # what nobody holds any more is dropped at the next search
    sql.select(Query()).search("rights")
    assert len(first) == len(expected)


def test_a_filter_toggled_back_is_answered_without_the_engine(pair, monkeypatch):
    memory, sql = pair
    actor = sorted(memory.actors)[0]
    everything, one = sql.select(Query()), sql.select(Query(frozenset({actor})))
    for events in (everything, one):
        events.positions(0, 50)
        events.actor_counts()
    asked = []
    run = sql._run
    monkeypatch.setattr(sql, "_run", lambda expr: asked.append(expr) or run(expr))
    again = sql.select(Query())  # back to every event: what the set learnt is still there
    assert again is everything and not asked
    reference = memory.select(Query())
    assert (len(again), again.headings(), list(again.positions(0, 50))) == \
           (len(reference), reference.headings(), list(reference.positions(0, 50)))
    assert not asked
    for n in range(9):  # eight newer queries: the oldest is asked again
        sql.select(Query(frozenset(sorted(memory.actors)[n % len(memory.actors):][:1]), text=f"x{n}"))
    assert sql.select(Query(frozenset({actor}))) is not one and asked
