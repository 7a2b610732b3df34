"""``check --warnings``'s editorial rules: quoted phrases a title or summary does not
rest on, and claims whose sources are one document or not the event's."""

from __future__ import annotations

import pytest
from model_support import BASE_DOC, base_corpus, line_of, record_lines, record_path, run

from tui.model.editorial import missing_phrases, quoted_phrases
from tui.model.loader import load_corpus

OTHER_DOC = "Second report.\n\nThe mayor said the bridge would close in March, not in June.\n"
DOCS = {"a.txt": BASE_DOC, "b.txt": OTHER_DOC}


def corpus_with(**event) -> dict:
    data = base_corpus()
    data["documents"].append({"id": "d2", "path": "b.txt"})
    data["events"][0].update(event)
    data["events"].append({"id": "e2", "date": "2019-08", "title": "F",
                           "quotes": [{"doc": "d2", "exact": "the bridge would close in March"}]})
    return data


def warnings_of(make_corpus, data: dict, code: str):
    folder = make_corpus(data, DOCS)
    corpus = load_corpus(folder)
    return folder, [p for p in corpus.warnings if p.code == code]


# -- phrases in quotation marks --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "phrases"), [
    ("Qatar lodges “stern representations” and ‘a protest’", ["stern representations", "a protest"]),
    ('A "straight" and a \'single\' quotation', ["straight", "single"]),
    ("«guillemets» and „low-high“", ["guillemets", "low-high"]),
    ("The council’s vote and the states’ letter", []),  # apostrophes, not quotation marks
    ("China’s ‘hopping mad’ delegation", ["hopping mad"]),
    ("‘Qatar’s stance’ was", ["Qatar’s stance"]),  # an apostrophe inside a quoted phrase
    ("No quotation marks at all", []),
    ("“counter terrorism.”", ["counter terrorism"]),  # punctuation at the edges is not part of it
])
def test_quoted_phrases(text, phrases):
    assert quoted_phrases(text) == phrases


@pytest.mark.parametrize(("text", "quote", "missing"), [
    ("says “Hello World”", "and hello world, said", []),  # case
    ("says ‘the council’s vote’", "the council's vote", []),  # curly and straight apostrophes
    ("says “hello\nworld”", "hello world", []),  # line breaks
    ("says “the council … the press”", "The council met on Tuesday, and hello world, said X to the press.", []),
    ("says “the press … the council”", "The council met on Tuesday, and hello world, said X to the press.",
     ["the press … the council"]),  # the parts of an elided phrase in their order
    ("says “goodbye world”", "hello world", ["goodbye world"]),
])
def test_missing_phrases(text, quote, missing):
    assert missing_phrases(text, [quote]) == missing


def test_a_title_quoting_what_no_quote_says_is_a_located_warning(make_corpus):
    folder, found = warnings_of(make_corpus, corpus_with(title="X says “goodbye world”"), "quoted-phrase")
    assert len(found) == 1
    p = found[0]
    assert record_path(p.location) == "events[0].title" and '(event "e1")' in p.location
    assert "goodbye world" in p.message and p.hint
    assert p.line in record_lines(folder, "events", 0)
    assert p.severity == "warning"


def test_a_summary_is_checked_too_and_each_phrase_is_reported(make_corpus):
    data = corpus_with(summary="X said “hello world”, not “farewell” nor ‘adieu’.")
    _, found = warnings_of(make_corpus, data, "quoted-phrase")
    assert [record_path(p.location) for p in found] == ["events[0].summary"] * 2
    assert ["farewell" in found[0].message, "adieu" in found[1].message] == [True, True]


def test_a_phrase_another_event_quotes_is_not_enough(make_corpus):
    # e2 quotes "the bridge would close in March"; e1 cites only d1.
    _, found = warnings_of(make_corpus, corpus_with(title="X: “the bridge would close in March”"), "quoted-phrase")
    assert len(found) == 1 and "e1" in found[0].location


def test_phrases_the_quotes_contain_are_not_reported(make_corpus):
    data = corpus_with(title="X says “Hello world”", summary="‘said X’ … and 'the press'")
    data["events"][0]["quotes"] = [{"doc": "d1", "exact": "hello world, said X to the press"}]
    folder = make_corpus(data, DOCS)
    assert load_corpus(folder).warnings == []


def test_a_field_that_is_itself_a_passage_of_the_events_document_quotes_its_own_words(make_corpus):
    # As an imported TimelineJS slide: the summary is the slide's text, the quote its caption.
    slide = 'She said "Nobody would touch it" then.\n\nA caption.\n'
    data = corpus_with(summary='She said "Nobody would touch it" then.')
    data["documents"].append({"id": "d3", "path": "c.txt"})
    data["events"][0]["quotes"] = [{"doc": "d3", "exact": "A caption."}]
    data["events"][1]["quotes"].append({"doc": "d1", "exact": "hello world"})
    folder = make_corpus(data, {**DOCS, "c.txt": slide})
    assert load_corpus(folder).warnings == []
    # The same words in a document the event does not cite are no support.
    data["events"][0]["quotes"] = [{"doc": "d2", "exact": "Second report."}]
    data["events"][1]["quotes"].append({"doc": "d3", "exact": "A caption."})
    found = [p for p in load_corpus(make_corpus(data, {**DOCS, "c.txt": slide})).warnings]
    assert [p.code for p in found] == ["quoted-phrase"] and "Nobody would touch it" in found[0].message


# -- claims ------------------------------------------------------------------------------------------------


def test_a_claim_quoted_from_one_document_is_a_warning(make_corpus):
    data = corpus_with()
    data["claims"] = [{"id": "c1", "about": "Who spoke", "events": ["e1"], "statements": [
        {"doc": "d1", "exact": "The council met", "value": "the council"},
        {"doc": "d1", "exact": "said X", "value": "X"},
    ]}]
    folder, found = warnings_of(make_corpus, data, "claim-one-source")
    assert len(found) == 1
    assert record_path(found[0].location) == "claims[0].statements" and '(claim "c1")' in found[0].location
    assert "'d1'" in found[0].message and found[0].hint
    assert found[0].line in record_lines(folder, "claims", 0)
    # With another document's version it is a disagreement between sources.
    data["claims"][0]["statements"][1] = {"doc": "d2", "exact": "in March", "value": "the mayor"}
    data["claims"][0]["events"] = ["e1", "e2"]
    assert load_corpus(make_corpus(data, DOCS)).warnings == []


def test_a_claim_with_one_statement_gets_only_the_one_statement_warning(make_corpus):
    data = corpus_with()
    data["claims"] = [{"id": "c1", "about": "Who", "events": ["e1"], "statements": [{"doc": "d1", "exact": "said X"}]}]
    codes = [p.code for p in load_corpus(make_corpus(data, DOCS)).warnings]
    assert codes == ["claim"]


def test_a_claim_attached_to_an_event_none_of_its_documents_reports(make_corpus):
    data = corpus_with()
    data["documents"].append({"id": "d3", "path": "c.txt"})
    data["claims"] = [{"id": "c1", "about": "When the bridge closes", "events": ["e2", "e1"], "statements": [
        {"doc": "d2", "exact": "in March", "value": "March"},
        {"doc": "d3", "exact": "in May", "value": "May"},
    ]}]
    folder = make_corpus(data, {**DOCS, "c.txt": "The bridge closes in May.\n"})
    found = [p for p in load_corpus(folder).warnings if p.code == "claim-event-sources"]
    assert len(found) == 1  # e2 quotes d2; e1 quotes only d1
    p = found[0]
    assert record_path(p.location) == "claims[0].events" and '(claim "c1")' in p.location
    assert "'e1'" in p.message and "'d1'" in p.message and "'d2', 'd3'" in p.message and p.hint
    assert p.line in record_lines(folder, "claims", 0)


def test_an_event_without_quotes_is_left_to_the_unsourced_warning(make_corpus):
    data = corpus_with(quotes=[])
    data["claims"] = [{"id": "c1", "about": "When", "events": ["e1", "e2"], "statements": [
        {"doc": "d2", "exact": "in March", "value": "March"},
        {"doc": "d2", "exact": "in June", "value": "June"},
    ]}]
    codes = {p.code for p in load_corpus(make_corpus(data, DOCS)).warnings}
    assert "unsourced" in codes and "claim-event-sources" not in codes


def test_a_claim_without_events_is_attached_by_shared_passages_and_never_foreign(make_corpus):
    data = corpus_with()
    data["claims"] = [{"id": "c1", "about": "When", "statements": [
        {"doc": "d2", "exact": "in March", "value": "March"},
        {"doc": "d1", "exact": "on Tuesday", "value": "Tuesday"},
    ]}]
    corpus = load_corpus(make_corpus(data, DOCS))
    assert corpus.warnings == []
    assert set(corpus.claims["c1"].events) == {"e2"}


# -- on the command line, and through the compiled cache ---------------------------------------------------------


def test_check_warnings_lists_them_located(make_corpus, capsys):
    data = corpus_with(title="X says “goodbye world”")
    data["claims"] = [{"id": "c1", "about": "Who", "events": ["e2"], "statements": [
        {"doc": "d1", "exact": "The council met", "value": "the council"},
        {"doc": "d1", "exact": "said X", "value": "X"},
    ]}]
    folder = make_corpus(data, DOCS)
    status, out, _ = run(["check", str(folder), "--warnings"], capsys)
    assert status == 0
    lines = [line for line in out.splitlines() if ": warning: " in line]
    assert len(lines) == 3
    assert any("events[0].title" in line and "goodbye world" in line and "(fix: " in line for line in lines)
    assert any("claims[0].statements" in line and "one document" in line for line in lines)
    assert any("claims[0].events" in line and "'e2'" in line for line in lines)
    for line in lines:
        number = int(line.split(":")[1])
        assert line_of(folder, number).strip()


def test_a_large_corpus_compiled_by_the_engine_gives_the_same_editorial_warnings(make_corpus, tmp_path, monkeypatch):
    from tui.model.engine.largefile import compiled_store

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    data = corpus_with(title="X says “goodbye world”", summary="The mayor said “in March”")
    data["events"][1]["title"] = "He said “close it” twice."  # the document's own words, marks and all
    data["claims"] = [{"id": "c1", "about": "Who", "events": ["e1", "e2"], "statements": [
        {"doc": "d2", "exact": "in March", "value": "March"},
        {"doc": "d2", "exact": "in June", "value": "June"},
    ]}]
    folder = make_corpus(data, {**DOCS, "b.txt": OTHER_DOC + "He said “close it” twice.\n"})

    def found(problems):
        return sorted((p.code, p.location.split(" ")[0], p.message) for p in problems
                      if p.code in ("quoted-phrase", "claim-event-sources", "claim-one-source"))

    expected = found(load_corpus(folder).warnings)
    assert [code for code, *_ in expected] == ["claim-event-sources", "claim-one-source", "quoted-phrase", "quoted-phrase"]
    assert not any("close it" in message for *_, message in expected)
    store = compiled_store(folder, folder / "corpus.json")
    try:
        assert {(c, m) for c, _, m in found(store.warnings)} == {(c, m) for c, _, m in expected}
    finally:
        store.close()

