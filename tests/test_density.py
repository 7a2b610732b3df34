"""The time-density strip's numbers and the coverage matrix, without the UI."""

from __future__ import annotations

import random

import pytest
from model_support import base_corpus

from tui.model import load_corpus
from tui.model.corpus import Query
from tui.model.coverage import Coverage
from tui.model.dates import parse_edtf
from tui.model.density import coarse_in, density, period_containing, period_dates


def brute_counts(corpus, selection, periods):
    return [sum(1 for p in selection if period.lower <= corpus.events[p].date.lower < period.upper)
            for period in periods]


@pytest.mark.parametrize("room", [400, 60, 20, 3, 1])
def test_counts_match_a_scan_at_every_scale(seed_corpus, room):
    selection = seed_corpus.select(Query())
    d = density(seed_corpus, selection, room)
    assert 0 < len(d.periods) <= room
    assert [p.count for p in d.periods] == brute_counts(seed_corpus, selection, d.periods)
    assert sum(p.count for p in d.periods) + d.open_start + d.before == len(selection)
    # Periods tile the span without gaps.
    for a, b in zip(d.periods, d.periods[1:], strict=False):
        assert a.upper == b.lower


def test_the_unit_is_the_finest_that_fits(seed_corpus):
    everything = seed_corpus.select(Query())
    assert density(seed_corpus, everything, 100).unit == "month"  # Apr 2017 – Sep 2019: 30 months
    assert density(seed_corpus, everything, 10).unit == "year"
    assert density(seed_corpus, everything, 2).unit == "decade"
    july = (parse_edtf("2019-07"), parse_edtf("2019-07"))
    d = density(seed_corpus, everything, 40, july)
    assert d.unit == "day" and len(d.periods) == 31
    in_july = seed_corpus.select(Query(date_from=july[0], date_to=july[1]))
    d = density(seed_corpus, in_july, 40, july)
    # Begun before July: the unrest "in the past" (an open start), and 2017, November 2018 and 2019 dates.
    assert d.open_start == sum(1 for p in in_july if seed_corpus.events[p].date.lower == float("-inf")) == 1
    assert d.before == sum(1 for p in in_july if float("-inf") < seed_corpus.events[p].date.lower < july[0].lower)
    # The 22 states' text of July 8, and the two replies dated from July 8 (to the end of the month).
    assert d.periods[7].label == "8 Jul 2019" and d.periods[7].count == 3


def test_a_filtered_selection_and_a_zoom(seed_corpus):
    qatar = seed_corpus.select(Query(frozenset({"qatar"})))
    d = density(seed_corpus, qatar, 100)
    assert sum(p.count for p in d.periods) == len(qatar) == 4
    july12 = seed_corpus.events_by_id["july-12-letter"]
    period = period_containing(d, july12.date)
    assert period.label == "Jul 2019"
    date_from, date_to = period_dates(period)
    zoomed = seed_corpus.positions(Query(frozenset({"qatar"}), date_from, date_to))
    assert july12.position in zoomed
    assert all(seed_corpus.events[p].date.upper >= date_from.lower for p in zoomed)


def test_coarse_dates_are_told_apart(seed_corpus):
    everything = seed_corpus.select(Query())
    d = density(seed_corpus, everything, 100)
    jan_2018 = next(p for p in d.periods if p.label == "Jan 2018")
    # Two events dated only to 2018 start in January: they are counted there, and said to be wider.
    assert jan_2018.count == 2
    assert coarse_in(seed_corpus, everything, jan_2018) == 2
    jul_2019 = next(p for p in d.periods if p.label == "Jul 2019")
    assert coarse_in(seed_corpus, everything, jul_2019) == 0  # "July 2019" lies within the month


def test_cosmological_years_and_open_starts(make_corpus):
    data = base_corpus()
    first = data["events"][0]
    data["events"] = [
        dict(first, id="big-bang", date="Y-13800000000", title="The Big Bang"),
        dict(first, id="earth", date="Y-4540000000", title="The Earth forms"),
        dict(first, id="open", date="../2019", title="Since whenever", date_note="open start"),
        dict(first, id="today", date="2019-07-18", title="Today"),
    ]
    corpus = load_corpus(make_corpus(data), allow_unanchored=True)
    everything = corpus.select(Query())
    d = density(corpus, everything, 80)
    assert d.open_start == 1
    assert sum(p.count for p in d.periods) == 3
    assert d.unit.endswith("years") and int(d.unit.split()[0].replace(",", "")) >= 10**8
    assert [p.count for p in d.periods] == brute_counts(corpus, everything, d.periods)
    assert "BCE" in d.periods[0].label


def test_random_selections_against_a_scan(seed_corpus):
    rng = random.Random(5)
    n = len(seed_corpus.events)
    for _ in range(30):
        selection = sorted(rng.sample(range(n), rng.randint(1, n)))
        d = density(seed_corpus, selection, rng.choice([5, 30, 200]))
        assert [p.count for p in d.periods] == brute_counts(seed_corpus, selection, d.periods)


def test_coverage_cells_and_orders(seed_corpus):
    cov = Coverage.of(seed_corpus, seed_corpus.select(Query()))
    assert len(cov.documents) == 5
    published = [d.published.lower for d in cov.documents]
    assert published == sorted(published)  # oldest first
    for row in range(len(cov.positions)):
        event = cov.event(row)
        for column, doc in enumerate(cov.documents):
            assert cov.cell(row, column) == [i for i, q in enumerate(event.quotes) if q.document is doc]
    by_sources = cov.sorted_by("sources")
    counts = [by_sources.event(r).source_count for r in range(len(by_sources.positions))]
    assert counts == sorted(counts, reverse=True)
    doc = cov.documents[2]
    by_doc = cov.sorted_by("document", doc)
    flags = [any(q.document is doc for q in by_doc.event(r).quotes) for r in range(len(by_doc.positions))]
    assert flags == sorted(flags, reverse=True) and by_doc.sort_document == doc.id
    assert cov.counts() == [len(cov.events_of(c)) for c in range(len(cov.documents))]
    # A filtered view has only the documents its events cite.
    germany = Coverage.of(seed_corpus, seed_corpus.select(Query(frozenset({"germany"}))))
    cited = {q.document.id for p in germany.positions for q in seed_corpus.events[p].quotes}
    assert {d.id for d in germany.documents} == cited
