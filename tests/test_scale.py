"""Correctness at scale: a synthetic corpus of 10,000 events, checked against
brute force over the raw JSON (counts, order, every kind of filter, search),
and the same corpus compiled by the engine, as a large corpus.json is: the
same answers.

Speed is the benchmarks' business (benchmarks/run.py); these tests only
check that the indexes give the same answers as a linear scan would.
"""

from __future__ import annotations

import random

import orjson
import pytest
from model_support import generate_corpus

from tui.model import search as search_module
from tui.model.corpus import Query
from tui.model.dates import parse_edtf
from tui.model.loader import load_corpus

N = 10_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale") / "corpus"
    stats = generate_corpus(N, folder, seed=7)
    raw = orjson.loads((folder / "corpus.json").read_bytes())
    corpus = load_corpus(folder)
    return folder, stats, raw, corpus


def _closure(raw: dict) -> dict[str, set[str]]:
    """For each actor, itself and every coalition containing it (directly or not), from the raw JSON."""
    members = {a["id"]: set(a.get("members", ())) for a in raw["actors"]}
    result = {}
    for actor in members:
        found, frontier = {actor}, {actor}
        while frontier:
            frontier = {c for c, m in members.items() if m & frontier} - found
            found |= frontier
        result[actor] = found
    return result


def _raw_order(raw: dict) -> list[str]:
    dated = [(parse_edtf(e["date"]).sort_key, e["id"]) for e in raw["events"]]
    return [event_id for _, event_id in sorted(dated)]


def test_every_event_loads_checked_in_documented_order(big):
    folder, stats, raw, corpus = big
    assert len(corpus.events) == N == stats["events"]
    assert corpus.errors == []
    assert corpus.verified
    assert [e.id for e in corpus.events] == _raw_order(raw)
    # Every quote anchored, to its exact text.
    for event in corpus.events[::97]:
        for q in event.quotes:
            assert q.document.text[q.start:q.end] == q.exact


def test_actor_filters_match_brute_force(big):
    _, _, raw, corpus = big
    closure = _closure(raw)
    rng = random.Random(3)
    actor_ids = [a["id"] for a in raw["actors"]]
    coalitions = [a["id"] for a in raw["actors"] if a.get("kind") == "coalition"]
    members = [m for a in raw["actors"] if a.get("kind") == "coalition" for m in a["members"]]
    chosen = {*rng.sample(actor_ids, 25), *coalitions[:5], *members[:5]}
    order = {event_id: i for i, event_id in enumerate(_raw_order(raw))}
    for actor in chosen:
        expected = sorted(order[e["id"]] for e in raw["events"] if closure[actor] & set(e["actors"]))
        assert corpus.positions(Query(frozenset({actor}))) == expected, actor
    # Several actors: any of them.
    pair = frozenset(rng.sample(actor_ids, 2))
    wanted = closure[min(pair)] | closure[max(pair)]
    expected = sorted(order[e["id"]] for e in raw["events"] if wanted & set(e["actors"]))
    assert corpus.positions(Query(pair)) == expected


def test_date_and_type_filters_match_brute_force(big):
    _, _, raw, corpus = big
    order = {event_id: i for i, event_id in enumerate(_raw_order(raw))}
    parsed = {e["id"]: parse_edtf(e["date"]) for e in raw["events"]}
    for lo, hi in [("1960", "1961"), ("1975-03", "1975-03"), ("1990-06-15", "2001"), (None, "1955"), ("2018", None)]:
        q_from = parse_edtf(lo) if lo else None
        q_to = parse_edtf(hi) if hi else None
        expected = sorted(order[i] for i, d in parsed.items()
                          if (q_from is None or d.upper >= q_from.lower) and (q_to is None or d.lower <= q_to.upper))
        assert corpus.positions(Query(date_from=q_from, date_to=q_to)) == expected, (lo, hi)
        assert expected  # the ranges were chosen to hold events
    types = frozenset({"letter", "vote"})
    expected = sorted(order[e["id"]] for e in raw["events"] if e["type"] in types)
    assert corpus.positions(Query(types=types)) == expected
    # Combined: the intersection of what each filter gives alone.
    actor = max(corpus.actors, key=lambda a: len(corpus.actor_positions(a)))
    q_from, q_to = parse_edtf("1970"), parse_edtf("1990")
    combined = corpus.positions(Query(frozenset({actor}), q_from, q_to, types))
    alone = (set(corpus.positions(Query(frozenset({actor})))) & set(corpus.positions(Query(date_from=q_from, date_to=q_to)))
             & set(corpus.positions(Query(types=types))))
    assert combined == sorted(alone) and combined


def test_indexed_search_agrees_with_a_scan(big):
    _, stats, _, corpus = big
    for text in [stats["search_word"], "condemns", "Report", "no-such-word-anywhere", stats["top_actor"]]:
        pattern = corpus.search_pattern(text)
        scan = [p for p in range(N) if pattern.matches(corpus.events[p].haystack)]
        assert corpus.search(text) == scan, text  # the whole corpus goes through the index
    assert corpus.search(stats["search_word"])


def test_search_in_small_windows_agrees_and_stops_when_cancelled(big, monkeypatch):
    _, stats, _, corpus = big
    monkeypatch.setattr(search_module, "_SEARCH_WINDOW", 997)  # many windows, ending mid-event
    for text in [stats["search_word"], "condemns Report", "no-such-word-anywhere"]:
        pattern = corpus.search_pattern(text)
        scan = [p for p in range(N) if pattern.matches(corpus.events[p].haystack)]
        assert corpus.search(text, cancelled=lambda: False) == scan, text
    looks = []

    def cancelled() -> bool:
        looks.append(1)
        return len(looks) > 3  # the user typed on after three windows

    assert corpus.search(stats["search_word"], cancelled=cancelled) is None
    assert len(looks) == 4  # it stopped at the first look after cancelling, not at the end


def test_actor_counts_match_brute_force(big):
    _, _, raw, corpus = big
    closure = _closure(raw)
    q_from, q_to = parse_edtf("1980"), parse_edtf("1999")
    counts = corpus.actor_counts(Query(date_from=q_from, date_to=q_to))
    in_range = [e for e in raw["events"] if (d := parse_edtf(e["date"])).upper >= q_from.lower and d.lower <= q_to.upper]
    for actor in list(corpus.actors)[::7]:
        assert counts[actor] == sum(1 for e in in_range if closure[actor] & set(e["actors"])), actor


def test_headings_cover_the_timeline_in_order(big):
    *_, corpus = big
    groups = corpus.heading_groups()
    assert groups[0][1] == 0 and groups[-1][2] == N
    for (_, _, end), (_, start, _) in zip(groups, groups[1:], strict=False):
        assert end == start


# -- the compiled cache --------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled(big, tmp_path_factory):
    """The same corpus compiled by the engine, as a large corpus.json is (the fast path)."""
    from tui.model.engine.largefile import build

    folder = big[0]
    return build(folder, folder / "corpus.json")


def test_the_compiled_store_answers_as_the_corpus_in_memory(big, compiled):
    from tui.model.store import MemoryStore

    folder, stats, raw, corpus = big
    memory = MemoryStore(corpus)
    assert compiled.compiled is not None  # the fast path, not the usual load
    assert len(compiled) == N
    rng = random.Random(3)
    actors = sorted(corpus.actors)
    queries = [Query(), Query(frozenset(rng.sample(actors, 3))), Query(types=frozenset(corpus.types[:2])),
               Query(date_from=parse_edtf("1980"), date_to=parse_edtf("1995-06")), Query(text=stats["search_word"])]
    for query in queries:
        a, b = memory.select(query), compiled.select(query)
        assert len(a) == len(b) and a.headings() == b.headings(), query
        assert list(a.positions(0, len(a))) == b.positions(0, len(b)), query
    counts = compiled.select(queries[2]).actor_counts()
    for actor in rng.sample(actors, 50):
        assert memory.select(queries[2]).actor_count(actor) == counts.get(actor, 0)
    for position in rng.sample(range(N), 30):
        x, y = memory.event(position), compiled.event(position)
        assert (x.id, x.date.text, x.title, x.actors, [q.exact for q in x.quotes]) == \
               (y.id, y.date.text, y.title, y.actors, [q.exact for q in y.quotes])


def test_the_compiled_store_checks_every_quote_as_the_loader_does(big, compiled):
    folder, stats, raw, corpus = big
    found = compiled.verify()
    assert compiled.verified and found == [] == corpus.unanchored
