"""The preview of a load: the top of the timeline, known before the rest is indexed.

``load_corpus(..., preview=callback)`` hands the callback a corpus of the
first events in timeline order as soon as the dates are parsed.  What it
shows must be what the loaded corpus shows at its top, or nothing at all.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from model_support import SEEDS, base_corpus, generate_corpus

from tui.model import loader
from tui.model.errors import CorpusError
from tui.model.loader import load_corpus



def _row(event) -> tuple:
    """What a timeline row shows of an event, and what its quote viewer needs."""
    return (event.id, event.date.text, event.title, event.actors, event.source_count, bool(event.claims),
            event.draft, event.index, tuple((q.document.id, q.exact) for q in event.quotes))


def _load_with_preview(folder: Path, **kwargs):
    seen = []
    corpus = load_corpus(folder, allow_unanchored=True, verify=False, preview=seen.append, **kwargs)
    return corpus, seen


@pytest.fixture
def child(monkeypatch):
    """The records checked, and the first events found, by a forked child."""
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(loader, "PARALLEL_CHECK_BYTES", 0)


def _spy_on(method, calls: list):
    """``method`` of the loader, noting the picks of each call in ``calls``."""
    def spy(self, f, documents, actors, raws, picks):
        calls.append(list(picks))
        return method(self, f, documents, actors, raws, picks)
    return spy


def _dated(make_corpus, dates: list[str]) -> Path:
    """A corpus of events e0, e1, ... on ``dates``, in that order in the file."""
    data = base_corpus()
    template = data["events"][0]
    data["events"] = [dict(template, id=f"e{i}", date=date) for i, date in enumerate(dates)]
    return make_corpus(data)


def test_the_seeds_preview_is_the_top_of_their_timeline(check_mode):
    corpus, seen = _load_with_preview(SEEDS)
    assert len(seen) == 1
    preview = seen[0]
    assert len(preview.events) == len(corpus.events)  # fewer events than a preview holds: all of them
    assert [_row(e) for e in preview.events] == [_row(e) for e in corpus.events]
    assert preview.heading_groups() == corpus.heading_groups()
    assert preview.title == corpus.title
    assert any(e.claims for e in preview.events)  # the marks of disagreement are there


def test_a_large_corpus_preview_holds_its_first_events_in_order(check_mode, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "PREVIEW_EVENTS", 150)
    folder = tmp_path / "c"
    generate_corpus(3_000, folder, seed=5)
    corpus, seen = _load_with_preview(folder)
    preview = seen[0]
    assert len(preview.events) == 150
    top = [corpus.events[i] for i in range(150)]
    assert [_row(e) for e in preview.events] == [_row(e) for e in top]
    # Headings over those events: the corpus's own, cut where the preview ends.
    groups = [(key, start, min(end, 150)) for key, start, end in corpus.heading_groups() if start < 150]
    assert preview.heading_groups() == groups
    # Ties on a date are broken by id, as in the timeline.
    dates = [e.date.text for e in preview.events]
    assert len(set(dates)) < len(dates)


def test_the_preview_cuts_through_the_events_of_one_date(check_mode, make_corpus, monkeypatch):
    monkeypatch.setattr(loader, "PREVIEW_EVENTS", 3)
    corpus, seen = _load_with_preview(_dated(make_corpus, ["2019-07-18" if i % 2 else "2019-07-01" for i in range(8)]))
    assert [e.id for e in seen[0].events] == ["e0", "e2", "e4"]
    assert [e.id for e in corpus.events][:3] == ["e0", "e2", "e4"]


@pytest.mark.parametrize("change", [
    lambda e: e.update(actors=["nobody"]),  # the row would name an actor the corpus lacks
    lambda e: e.update(title=5),  # the record does not decode
    lambda e: e["quotes"][0].update(doc="nowhere"),  # a quote of an unknown document
])
def test_no_preview_of_a_top_event_that_is_wrong(check_mode, make_corpus, change):
    data = base_corpus()
    change(data["events"][0])
    seen, problems = [], []
    try:  # an unknown document is found when the event is made or checked, later
        load_corpus(make_corpus(data), allow_unanchored=True, verify=False, preview=seen.append)
    except CorpusError as exc:
        problems = exc.problems
    assert seen == []
    assert not [p for p in problems if p.code == "internal"]  # the preview never breaks the load


def test_a_wrong_event_further_down_does_not_hold_the_preview_back(check_mode, make_corpus, monkeypatch):
    # Only what the preview shows is checked for it; the load still fails as it must.
    monkeypatch.setattr(loader, "PREVIEW_EVENTS", 1)
    data = base_corpus()
    late = dict(data["events"][0], id="e2", date="2020-01-01", actors=["nobody"])
    data["events"].append(late)
    seen = []
    with pytest.raises(CorpusError) as caught:
        load_corpus(make_corpus(data), allow_unanchored=True, verify=False, preview=seen.append)
    assert [e.id for e in seen[0].events] == ["e1"]
    assert any("unknown actor" in p.message for p in caught.value.problems)


def test_the_usual_load_gives_no_preview(make_corpus, monkeypatch):
    # A file that the raw load refuses is loaded record by record: no preview then.
    monkeypatch.setattr(loader._Loader, "load_raw", lambda self, data, allow, verify: None)
    corpus, seen = _load_with_preview(make_corpus())
    assert [e.id for e in corpus.events] == ["e1"]
    assert seen == []


def test_the_preview_comes_before_the_indexes_are_built(check_mode, make_corpus, monkeypatch):
    order = []
    build = loader._Loader.unique_events

    def unique_events(self, records):
        order.append("indexing")
        return build(self, records)

    monkeypatch.setattr(loader._Loader, "unique_events", unique_events)
    load_corpus(make_corpus(), verify=False, preview=lambda corpus: order.append("preview"))
    assert order == ["preview", "indexing"]


def test_the_child_finds_the_first_events(child, make_corpus, monkeypatch):
    # With the records checked by a child, the child finds the preview's events:
    # the indexes it sends are used, not worked out again here.
    monkeypatch.setattr(loader, "PREVIEW_EVENTS", 2)
    folder = _dated(make_corpus, [f"2019-07-{10 + i}" for i in range(5)])
    searched_here = []
    first_events = loader._first_events

    def spy(data, limit):
        searched_here.append(limit)
        return first_events(data, limit)

    monkeypatch.setattr(loader, "_first_events", spy)  # the child, a fork, runs the spy too
    built_here = []
    monkeypatch.setattr(loader._Loader, "give_preview", _spy_on(loader._Loader.give_preview, built_here))
    corpus, seen = _load_with_preview(folder)
    assert [e.id for e in seen[0].events] == ["e0", "e1"]
    assert searched_here == []  # not in this process (what the child noted stays in the child)
    assert built_here == [[0, 1]]  # the child's picks, in the file's indexes


def test_a_child_that_finds_nothing_leaves_the_preview_to_this_process(child, make_corpus, monkeypatch):
    monkeypatch.setattr(loader, "_first_events", lambda data, limit: 1 / 0)
    corpus, seen = _load_with_preview(make_corpus())
    assert [e.id for e in seen[0].events] == ["e1"]
    assert [e.id for e in corpus.events] == ["e1"]


def test_the_child_s_first_events_show_before_the_events_are_ordered(child, make_corpus, monkeypatch):
    # Found by the child from the dates alone: shown as soon as it answers, at the
    # latest when the keys are decoded, before this process orders anything.
    monkeypatch.setattr(loader, "_KEYS_CHUNK", 1)
    told = []
    load_corpus(_dated(make_corpus, [f"2019-07-{10 + i % 9}" for i in range(40)]), verify=False, progress=lambda phase, fraction: told.append(phase),
                preview=lambda corpus: told.append("preview"))
    assert "preview" in told
    assert told.index("preview") < told.index("indexing")


# Date texts of every kind a corpus may hold: plain and qualified points, intervals
# (closed, open, unknown ends), seasons, times, long and negative years, years with
# significant digits, unspecified digits, sets, and texts that are not dates at all.
_FORMS = [
    "1999", "1999-12", "1999-12-31", "2000", "2000-01", "2000-01-01", "2000-01-01?", "2000~", "2000-01%",
    "2000-21", "2000-24", "2000-33", "2000-41", "2000-24/2001", "1999-12-31/2000-01-02", "1999/..", "1999-06/",
    "../1999", "/1999-05", "2000-01-01T10:00:00Z", "1999-12-31T23:30:00-02:00", "-0050", "12000", "1950S2",
    "199X", "19XX-XX", "[1998, 1999]", "{1999-01, 1999-02}", "Y-17000", "1999?-06", "2000-00", "2000-13",
    "1999-02-29", "1999-05-01/1999-04-01", "not a date", "", " 1999", "２０００",
]


def _expected_dates(texts, limit):
    """The first ``limit`` dates, found the slow way: every text parsed."""
    from tui.model.dates import DateError, parse_edtf

    dates = []
    for text in texts:
        try:
            dates.append(parse_edtf(text))
        except DateError:
            pass
    dates.sort(key=lambda d: d.sort_key)
    return [d.text for d in dates[:limit]]


@pytest.mark.parametrize("seed", range(40))
def test_the_earliest_dates_are_those_of_parsing_every_date(seed):
    import random

    rng = random.Random(seed)
    texts = set(rng.sample(_FORMS, rng.randint(1, len(_FORMS))))
    for limit in (1, 3, 10, 50):
        found = [d.text for d in loader._earliest_dates(texts, limit)]
        assert found == _expected_dates(texts, limit), (texts, limit)


def test_a_year_of_dates_that_do_not_parse_does_not_stop_the_search_for_the_earliest():
    # 1990 has two dates, both impossible: the first dates are in 1991, then 1992.
    texts = {"1990-02-30", "1990-13", "1991-05-01", "1991-04?", "1992"}
    assert [d.text for d in loader._earliest_dates(texts, 2)] == ["1991-04?", "1991-05-01"]
    assert [d.text for d in loader._earliest_dates(texts, 3)] == ["1991-04?", "1991-05-01", "1992"]


def test_a_date_written_with_its_year_first_starts_in_that_year():
    # What lets the search for the earliest dates parse only the earliest years.
    from tui.model.dates import DateError, _year_month_of_instant, parse_edtf

    checked = 0
    for text in _FORMS + [f"2000-{n}" for n in range(21, 42)] + ["0000", "0000-01-01/9999", "2000-02-29~/.."]:
        if not loader._IN_ITS_YEAR(text):
            continue
        try:
            date = parse_edtf(text)
        except DateError:
            continue
        assert _year_month_of_instant(date.lower)[0] == int(text[:4]), text
        checked += 1
    assert checked > 30
    for text in ("1950S2", "12000", "-0050", "1999?-06", "../1999", "2000-01-01T10:00:00Z", "２０００", "199X"):
        assert not loader._IN_ITS_YEAR(text), text  # left to the full parser
