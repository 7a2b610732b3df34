"""Correctness at scale: a synthetic corpus of 10,000 events, checked against
brute force over the raw JSON (counts, order, every kind of filter, search),
and the compiled cache: a round trip that changes nothing, and staleness and
damage that are never trusted.

Speed is the benchmarks' business (benchmarks/run.py); these tests only
check that the indexes give the same answers as a linear scan would.
"""

from __future__ import annotations

import os
import random
import shutil

import orjson
import pytest
from model_support import generate_corpus

from tui.model import cache as cache_module
from tui.model import corpus as corpus_module
from tui.model.cache import open_cached, source_meta, write_cache
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
    monkeypatch.setattr(corpus_module, "_SEARCH_WINDOW", 997)  # many windows, ending mid-event
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


@pytest.fixture
def cached(big, tmp_path, monkeypatch):
    """A copy of the big corpus with a fresh cache, in a private cache folder."""
    src, *_ = big
    folder = tmp_path / "corpus"
    shutil.copytree(src, folder)
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    corpus = load_corpus(folder)
    corpus.search_index()
    path = write_cache(corpus, source_meta(folder / "corpus.json"))
    return folder, corpus, path


def test_cache_round_trip_changes_nothing(cached):
    folder, corpus, _ = cached
    again = open_cached(folder, folder / "corpus.json")
    assert again is not None and again.verified
    assert len(again.events) == N
    assert [e.id for e in again.events] == [e.id for e in corpus.events]
    for a, b in zip(again.events[::50], corpus.events[::50], strict=True):
        assert (a.date.text, a.title, a.summary, a.type, a.tags, a.actors, a.claims, a.index) == \
               (b.date.text, b.title, b.summary, b.type, b.tags, b.actors, b.claims, b.index)
        assert [(q.document.id, q.exact) for q in a.quotes] == [(q.document.id, q.exact) for q in b.quotes]
        assert [q.context() for q in a.quotes] == [q.context() for q in b.quotes]
    for actor in corpus.actors:
        assert list(again.actor_positions(actor)) == list(corpus.actor_positions(actor))
    assert again.heading_groups() == corpus.heading_groups()
    assert again.types == corpus.types
    q = Query(types=frozenset({"meeting"}), date_from=parse_edtf("1980"))
    assert again.positions(q) == corpus.positions(q)
    # The date columns come from the cache as they are: filtering by date parses no date.
    fresh = open_cached(folder, folder / "corpus.json")
    for lo, hi in [("1975", "1990"), ("1999-06", None), (None, "1971")]:
        q = Query(date_from=parse_edtf(lo) if lo else None, date_to=parse_edtf(hi) if hi else None)
        assert fresh.positions(q) == corpus.positions(q)
    assert not any(fresh._dates._parsed)
    assert list(fresh._lowers) == list(corpus._lowers) and list(fresh._uppers) == list(corpus._uppers)
    assert list(fresh._wide) == list(corpus._wide)
    for word in ["condemns", "Report e12", "meets"]:
        assert again.search(word) == corpus.search(word)
    assert [str(p) for p in again.problems] == [str(p) for p in corpus.problems]
    assert again.position_of("e77") == corpus.position_of("e77")


def test_cache_of_a_changed_corpus_is_not_used(cached):
    folder, _, _ = cached
    file = folder / "corpus.json"
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert open_cached(folder, file) is None
    # Same time, different size.
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with open(file, "ab") as handle:
        handle.write(b"\n")
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert open_cached(folder, file) is None


def test_cache_after_a_document_changed_is_rechecked(cached):
    folder, _, _ = cached
    doc = folder / "d3.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Report e", "Note e"), encoding="utf-8")
    again = open_cached(folder, folder / "corpus.json")
    assert again is not None and not again.verified  # the app checks the quotes again
    problems = again.verify()
    assert problems and all(p.is_anchor_problem for p in problems)
    assert all("d3" in p.message for p in problems)


@pytest.mark.parametrize("where", ["magic", "header", "small-section", "truncated", "empty"])
def test_damaged_cache_is_never_trusted(cached, where):
    folder, _, path = cached
    data = bytearray(path.read_bytes())
    header = cache_module._Cache(path).header
    if where == "magic":
        data[:8] = b"NOTCACHE"
    elif where == "header":
        data[20:40] = b"\xff" * 20
    elif where == "small-section":
        offset, size = header["sections"]["actor_positions"]
        data[offset + size // 2] ^= 0x55
    elif where == "truncated":
        del data[len(data) // 2:]
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    assert open_cached(folder, folder / "corpus.json") is None


def test_damage_in_the_big_sections_is_found_by_the_background_check(cached):
    folder, _, path = cached
    header = cache_module._Cache(path).header
    data = bytearray(path.read_bytes())
    offset, size = header["sections"]["event_blobs"]
    data[offset + size // 3] ^= 0x01
    path.write_bytes(bytes(data))
    again = open_cached(folder, folder / "corpus.json")
    assert again is not None  # opening stays instant: the big sections are checked afterwards...
    assert not again._cache.intact()  # ...and this check finds the damage


def test_instant_columns_keep_open_ends_and_refuse_what_does_not_fit():
    values = [float("-inf"), -(2**62), -1, 0, 61472908800, 2**62, float("inf")]
    column = cache_module._Instants(memoryview(cache_module._instant_column(values)).cast("q"))
    assert list(column) == values
    assert column[1:3] == values[1:3]
    with pytest.raises(OverflowError):
        cache_module._instant_column([2**63])


@pytest.mark.parametrize("section", ["lowers", "uppers"])
def test_damaged_date_columns_are_found_by_the_background_check(cached, section):
    folder, _, path = cached
    header = cache_module._Cache(path).header
    data = bytearray(path.read_bytes())
    offset, size = header["sections"][section]
    data[offset + size // 2] ^= 0x10
    path.write_bytes(bytes(data))
    again = open_cached(folder, folder / "corpus.json")
    assert again is not None
    assert not again._cache.intact()


def test_intact_cache_passes_the_background_check(cached):
    folder, _, _ = cached
    again = open_cached(folder, folder / "corpus.json")
    assert again._cache.intact()


def test_cache_written_atomically_replaces_the_old_one(cached, monkeypatch):
    folder, corpus, path = cached
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_cache(corpus, source_meta(folder / "corpus.json"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left behind


def test_adopt_takes_the_indexers_verdict(big, tmp_path, monkeypatch):
    """The app shows a large corpus unverified, then adopts what the indexer process wrote."""
    src, *_ = big
    folder = tmp_path / "corpus"
    shutil.copytree(src, folder)
    doc = folder / "d5.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Report e", "Notice e", 1), encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    from tui.model.indexer import run

    shown = load_corpus(folder, allow_unanchored=True, verify=False)
    first = shown.events[0]  # made before the verdict: keeps its identity
    assert run(folder / "corpus.json") == 0
    fresh = open_cached(folder, folder / "corpus.json")
    assert shown.adopt(fresh)
    assert shown.verified and shown.events[0] is first
    unanchored = shown.unanchored  # the event's quote, and a claim's statement if one cites the passage
    assert unanchored and all("d5.txt" in p.message for p in unanchored)
    broken = [q for e in shown.events for q in e.quotes if q.problem is not None]
    assert len(broken) == 1 and broken[0].context() is None
    assert shown.search("condemns") == fresh.search("condemns")


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_export_from_the_cache_is_identical(cached, tmp_path, monkeypatch, fmt):
    from tui.cli import main

    folder, _, path = cached
    with_cache = tmp_path / f"cached.{fmt}"
    assert main(["export", str(folder), "--format", fmt, "--actor", "a3", "-o", str(with_cache)]) == 0
    path.unlink()  # now without it
    without = tmp_path / f"plain.{fmt}"
    assert main(["export", str(folder), "--format", fmt, "--actor", "a3", "-o", str(without)]) == 0
    assert with_cache.read_bytes() == without.read_bytes()
    assert len(with_cache.read_bytes()) > 1000


def test_export_never_uses_a_cache_whose_source_changed_behind_its_back(cached, tmp_path):
    from tui.cli import main

    folder, _, _ = cached
    file = folder / "corpus.json"
    stat = file.stat()
    data = file.read_bytes()
    # Same size, same time, valid JSON: the corpus title's first letter swapped for another.
    at = data.index(b'"title":"Synthetic') + len(b'"title":"')
    changed = data[:at] + b"Z" + data[at + 1:]
    file.write_bytes(changed)
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert open_cached(folder, file) is not None  # the quick check alone would take it...
    out = tmp_path / "out.json"
    assert main(["export", str(folder), "--format", "json", "-o", str(out)]) == 0
    assert orjson.loads(out.read_bytes())["corpus"]["title"].startswith("Zynthetic")  # ...the export did not
