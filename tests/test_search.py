"""Search: folding, terms, phrases, alias spellings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.model.corpus import Query
from tui.model.search import AliasTable, SearchPattern, split_terms
from tui.model.textfold import fold


def ids(corpus, text: str, **filters) -> list[str]:
    return [e.id for e in corpus.query(Query(text=text, **filters))]


# -- folding ----------------------------------------------------------------------


@settings(max_examples=300)
@given(st.text())
def test_fold_preserves_length_and_is_idempotent(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("China’s", "china's"),
        ("“Quoted”", '"quoted"'),
        ("2018–2019", "2018-2019"),
        ("ÉCOLE", "ecole"),
        ("İstanbul", "istanbul"),
        ("Łódź", "lodz"),
        ("a\u00a0b", "a b"),
    ],
)
def test_fold_examples(raw, folded):
    assert fold(raw) == folded


# -- terms ------------------------------------------------------------------------------


def test_split_terms_words_and_phrases():
    assert split_terms('qatar "July 18"  letter') == ["qatar", "July 18", "letter"]
    assert split_terms('"a   b"') == ["a b"]
    assert split_terms("   ") == []
    assert split_terms('unbalanced "quote') == ["unbalanced", '"quote']


def test_apostrophes_are_not_quotes():
    assert split_terms("China's Qatar's") == ["China's", "Qatar's"]


def test_backslashes_are_kept():
    assert split_terms(r"a\b") == [r"a\b"]


# -- patterns -----------------------------------------------------------------------------


def test_search_is_case_insensitive():
    p = SearchPattern("qATar")
    assert p.matches(fold("QATAR withdraws"))
    assert not p.matches(fold("Qtar"))


def test_straight_apostrophe_finds_curly_and_back():
    assert SearchPattern("China's").matches(fold("China’s record"))
    assert SearchPattern("China’s").matches(fold("China's record"))


def test_every_term_must_match():
    p = SearchPattern("qatar letter")
    assert p.matches(fold("Qatar signed the letter"))
    assert not p.matches(fold("Qatar signed"))
    assert not p.matches(fold("the letter"))


def test_phrase_is_one_term_and_spans_line_breaks():
    p = SearchPattern('"hopping mad"')
    assert p.matches(fold("was hopping\nmad about"))
    assert not p.matches(fold("mad hopping"))
    assert not p.matches(fold("hopping, then mad"))


def test_empty_search_is_false():
    assert not SearchPattern("   ")
    assert SearchPattern("x")


def test_spans_are_offsets_in_the_raw_text():
    text = "Qatar’s ÉCOLE and qatar’s"
    spans = SearchPattern("qatar's").spans(text)
    assert [text[s:e] for s, e in spans] == ["Qatar’s", "qatar’s"]


def test_alias_table_makes_spellings_equivalent():
    table = AliasTable.from_spellings([["Uighurs", "Uyghur", "Uygur"], ["Single"]])
    p = SearchPattern("uyghur", table)
    assert p.matches(fold("the Uygur minority"))
    assert p.matches(fold("Uighurs"))
    # Without the table the spellings are different words.
    assert not SearchPattern("uyghur").matches(fold("the Uygur minority"))


@settings(max_examples=200)
@given(
    st.text(alphabet=st.characters(blacklist_characters="\"'\\", blacklist_categories=("Cs",)), min_size=1, max_size=60),
    st.data(),
)
def test_any_substring_word_finds_its_text(haystack, data):
    words = haystack.split()
    if not words:
        return
    word = data.draw(st.sampled_from(words))
    start = data.draw(st.integers(0, len(word) - 1))
    end = data.draw(st.integers(start + 1, len(word)))
    assert SearchPattern(word[start:end]).matches(fold(haystack))


# -- the seed corpus -------------------------------------------------------------------------


def test_uyghur_finds_the_other_spellings(seed_corpus):
    found = set(ids(seed_corpus, "Uyghur"))
    only_other = {
        e.id for e in seed_corpus.events
        if "uyghur" not in e.haystack and ("uighur" in e.haystack or "uygur" in e.haystack)
    }
    # Events whose texts say only 'Uighur' or only 'Uygur' exist, and are found.
    assert any("uighur" in seed_corpus.events_by_id[i].haystack for i in only_other)
    assert any("uygur" in seed_corpus.events_by_id[i].haystack for i in only_other)
    assert only_other <= found
    assert "july-12-letter" in found  # ThePrint and MEC write only 'Uighur'
    assert "un-panel-august-report" in found  # the SCMP writes only 'Uygur'
    # Every spelling gives the same result.
    assert set(ids(seed_corpus, "Uighur")) == found == set(ids(seed_corpus, "uygur"))


def test_ali_mansouri_finds_ali_al_mansouri(seed_corpus):
    found = ids(seed_corpus, "Ali Mansouri")
    assert "qatar-withdraws-july-18" in found
    # The phrase 'Ali Mansouri' as such occurs only in Middle East Confidential's
    # quotes; ThePrint's quote of the same letter says 'Ali Al-Mansouri'.
    event = seed_corpus.events_by_id["qatar-withdraws-july-18"]
    theprint = [q.text for q in event.quotes if q.document.id == "theprint-qatar"]
    assert any("Ali Al-Mansouri" in t for t in theprint)
    assert found == ids(seed_corpus, '"Ali Al-Mansouri"')
    assert found == ids(seed_corpus, "ali al-mansouri")


def test_alias_only_event_is_found_by_the_other_spelling(make_corpus):
    from model_support import base_corpus

    from tui.model.loader import load_corpus

    data = base_corpus()
    data["actors"].append({"id": "am", "name": "Ali Al-Mansouri", "aliases": ["Ali Mansouri"]})
    data["events"][0]["title"] = "Ali Al-Mansouri signs"
    corpus = load_corpus(make_corpus(data))
    assert ids(corpus, '"Ali Mansouri"') == ["e1"]
    assert ids(corpus, "Ali Mansouri") == ["e1"]


def test_seed_apostrophe_folding(seed_corpus):
    # The seeds write China’s with U+2019.
    found = ids(seed_corpus, "China's foreign ministry")
    assert "china-rejects-july-8-letter" in found
    assert found == ids(seed_corpus, "China’s foreign ministry")


def test_seed_multiple_terms_and_phrases(seed_corpus):
    assert ids(seed_corpus, 'qatar "July 18"') == ["qatar-withdraws-july-18"]
    assert ids(seed_corpus, '"hopping mad"') == ["china-delegation-hopping-mad"]
    assert ids(seed_corpus, '"mad hopping"') == []
    both = set(ids(seed_corpus, "Qatar")) & set(ids(seed_corpus, "Seck"))
    assert set(ids(seed_corpus, "Qatar Seck")) == both == {"qatar-withdraws-july-18"}
    assert ids(seed_corpus, "zzzqqq") == []


def test_seed_two_possessives(seed_corpus):
    expected = set(ids(seed_corpus, "China's")) & set(ids(seed_corpus, "Qatar's"))
    assert expected
    assert set(ids(seed_corpus, "China's Qatar's")) == expected
