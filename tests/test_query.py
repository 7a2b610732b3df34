"""Queries on the seed corpus: actors (through coalitions), dates, types, search."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.model.corpus import Query
from tui.model.dates import parse_edtf


def ids(corpus, **filters) -> list[str]:
    if "actors" in filters:
        filters["actors"] = frozenset(filters["actors"])
    if "types" in filters:
        filters["types"] = frozenset(filters["types"])
    for key in ("date_from", "date_to"):
        if isinstance(filters.get(key), str):
            filters[key] = parse_edtf(filters[key])
    return [e.id for e in corpus.query(Query(**filters))]


def test_empty_query_is_everything(seed_corpus):
    assert Query().is_empty()
    assert ids(seed_corpus) == [e.id for e in seed_corpus.events]


def test_qatar(seed_corpus):
    found = ids(seed_corpus, actors={"qatar"})
    # The July 12 letter lists the coalition, not Qatar itself.
    assert "qatar" not in seed_corpus.events_by_id["july-12-letter"].actors
    assert "july-12-letter" in found
    assert "qatar-withdraws-july-18" in found
    for event_id in found:
        actors = set(seed_corpus.events_by_id[event_id].actors)
        assert "qatar" in actors or "july-12-signatories" in actors
    assert "july-8-statement" not in found


def test_germany(seed_corpus):
    # Germany is named in no event directly: only through two coalitions.
    assert not any("germany" in e.actors for e in seed_corpus.events)
    assert ids(seed_corpus, actors={"germany"}) == ["envoys-letter-to-chen-quanguo", "july-8-statement"]


def test_selecting_a_coalition_does_not_bring_in_its_members_events(seed_corpus):
    assert ids(seed_corpus, actors={"july-12-signatories"}) == ["july-12-letter"]
    assert ids(seed_corpus, actors={"western-envoys"}) == ["envoys-letter-to-chen-quanguo"]
    # ... although its members have events of their own.
    assert "canada-raises-at-un-general-assembly" in ids(seed_corpus, actors={"canada"})
    assert "china-qatar-trade-2018" in ids(seed_corpus, actors={"qatar"})


def test_several_actors_means_any_of_them(seed_corpus):
    qatar = set(ids(seed_corpus, actors={"qatar"}))
    germany = set(ids(seed_corpus, actors={"germany"}))
    both = ids(seed_corpus, actors={"qatar", "germany"})
    assert set(both) == qatar | germany
    assert len(both) == len(set(both))


def test_unknown_actor_id_matches_nothing(seed_corpus):
    assert ids(seed_corpus, actors={"atlantis"}) == []


def test_events_of_agrees_with_query(seed_corpus):
    for actor in seed_corpus.actors:
        assert [e.id for e in seed_corpus.events_of(actor)] == ids(seed_corpus, actors={actor})


def test_containers(seed_corpus):
    assert seed_corpus.containers("germany") == {"july-8-states", "western-envoys"}
    assert seed_corpus.containers("qatar") == {"july-12-signatories"}
    assert seed_corpus.containers("china") == frozenset()


def test_date_range_overlaps(seed_corpus):
    found = ids(seed_corpus, date_from="2019-07-10", date_to="2019-07-15")
    assert found == [
        "past-unrest-in-xinjiang",  # ../2019-07: any time up to July 2019
        "detentions-since-2017",  # 2017-04/.. is still going on
        "china-defends-its-xinjiang-policy",  # 2018-11/2019-09
        "ablikim-yusuf-deportation",  # 2019-01/2019-08
        "china-delegation-hopping-mad",  # 2019-07-08/2019-07
        "china-rejects-july-8-letter",  # 2019-07-08/2019-07
        "july-12-letter",
    ]


def test_date_from_only_and_to_only(seed_corpus):
    later = ids(seed_corpus, date_from="2019-07-13")
    assert "qatar-withdraws-july-18" in later and "july-12-letter" not in later
    assert "detentions-since-2017" in later
    earlier = ids(seed_corpus, date_to="2018-08")
    assert earlier == [
        "past-unrest-in-xinjiang", "detentions-since-2017", "amnesty-describes-campaign", "china-qatar-trade-2018",
        "un-panel-august-report",
    ]


def test_range_is_inclusive_of_whole_days(seed_corpus):
    assert "qatar-withdraws-july-18" in ids(seed_corpus, date_from="2019-07-18", date_to="2019-07-18")
    assert "qatar-withdraws-july-18" not in ids(seed_corpus, date_to="2019-07-17")
    assert "qatar-withdraws-july-18" not in ids(seed_corpus, date_from="2019-07-19")


def test_types(seed_corpus):
    assert ids(seed_corpus, types={"letter"}) == [
        "envoys-letter-to-chen-quanguo", "july-12-letter", "qatar-withdraws-july-18", "rights-groups-letter-to-guterres",
    ]
    letters_or_responses = ids(seed_corpus, types={"letter", "response"})
    assert set(letters_or_responses) == {e.id for e in seed_corpus.events if e.type in {"letter", "response"}}
    assert ids(seed_corpus, types={"no-such-type"}) == []
    assert "letter" in seed_corpus.types and "" not in seed_corpus.types


def test_search_combined_with_filters(seed_corpus):
    assert ids(seed_corpus, actors={"qatar"}, text='"July 18"') == ["qatar-withdraws-july-18"]
    assert ids(seed_corpus, types={"letter"}, text="Mansouri") == ["july-12-letter", "qatar-withdraws-july-18"]
    assert ids(seed_corpus, actors={"germany"}, date_from="2019", text="Uyghur") == ["july-8-statement"]
    assert ids(seed_corpus, actors={"germany"}, types={"response"}) == []


def test_describe(seed_corpus):
    q = Query(frozenset({"qatar"}), parse_edtf("2019-07"), None, frozenset({"letter"}), "Seck")
    text = q.describe(seed_corpus)
    assert "Qatar" in text and "July 2019" in text and "letter" in text and "Seck" in text
    assert not q.is_empty()


# -- a property: results are in timeline order and satisfy every filter ---------------------------

SEED_DATES = ["2017", "2018", "2018-08", "2018-11", "2019", "2019-03", "2019-07", "2019-07-08", "2019-07-12",
              "2019-07-18", "2019-09"]
SEARCH_WORDS = ["", "Uyghur", "Qatar", "letter", "China's", '"Human Rights Council"', "million", "Seck"]


@st.composite
def queries(draw, corpus):
    actors = draw(st.frozensets(st.sampled_from(sorted(corpus.actors)), max_size=3))
    types = draw(st.frozensets(st.sampled_from(corpus.types), max_size=2))
    date_from = draw(st.none() | st.sampled_from(SEED_DATES))
    date_to = draw(st.none() | st.sampled_from(SEED_DATES))
    text = draw(st.sampled_from(SEARCH_WORDS))
    return Query(actors, parse_edtf(date_from) if date_from else None, parse_edtf(date_to) if date_to else None,
                 types, text)


def test_query_property(seed_corpus):
    corpus = seed_corpus

    def members_closure(actor_id):
        # Independent of Corpus.containers: every coalition that contains actor_id.
        found, frontier = set(), {actor_id}
        while frontier:
            frontier = {a.id for a in corpus.actors.values() if set(a.members) & frontier} - found
            found |= frontier
        return found | {actor_id}

    @settings(max_examples=200)
    @given(queries(corpus))
    def check(query):
        positions = corpus.positions(query)
        assert positions == sorted(set(positions))
        events = corpus.query(query)
        assert [e.position for e in events] == positions
        for e in events:
            if query.actors:
                wanted = set().union(*(members_closure(a) for a in query.actors))
                assert wanted & set(e.actors)
            if query.types:
                assert e.type in query.types
            if query.date_from:
                assert e.date.upper >= query.date_from.lower
            if query.date_to:
                assert e.date.lower <= query.date_to.upper
        # Dropping a filter never loses an event.
        for looser in (Query(frozenset(), query.date_from, query.date_to, query.types, query.text),
                       Query(query.actors, None, None, query.types, query.text),
                       Query(query.actors, query.date_from, query.date_to, frozenset(), query.text),
                       Query(query.actors, query.date_from, query.date_to, query.types, "")):
            assert set(positions) <= set(corpus.positions(looser))

    check()


# -- resolve_actor ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "actor_id"),
    [
        ("qatar", "qatar"),
        ("Qatar", "qatar"),
        ("QATAR", "qatar"),
        ("United Kingdom", "united-kingdom"),
        ("UK", "united-kingdom"),
        ("British", "united-kingdom"),
        ("Ali Mansouri", "ali-al-mansouri"),
        ("  ali   al-mansouri ", "ali-al-mansouri"),
        ("Uyghur", "uighurs"),
        ("july-12-signatories", "july-12-signatories"),
    ],
)
def test_resolve_actor(seed_corpus, token, actor_id):
    assert seed_corpus.resolve_actor(token) == actor_id


def test_resolve_actor_unknown_suggests(seed_corpus):
    with pytest.raises(LookupError) as info:
        seed_corpus.resolve_actor("Qatr")
    assert "did you mean 'qatar'?" in str(info.value)
    with pytest.raises(LookupError) as info:
        seed_corpus.resolve_actor("zzzzzz")
    assert "no actor 'zzzzzz'" in str(info.value)


def test_resolve_actor_ambiguous(make_corpus):
    from model_support import base_corpus

    from tui.model.loader import load_corpus

    data = base_corpus()
    data["actors"] = [{"id": "x", "name": "X", "aliases": ["Same"]}, {"id": "y", "name": "Y", "aliases": ["same"]}]
    corpus = load_corpus(make_corpus(data))
    assert any(p.code == "alias" for p in corpus.warnings)
    with pytest.raises(LookupError) as info:
        corpus.resolve_actor("Same")
    assert "x" in str(info.value) and "y" in str(info.value)
