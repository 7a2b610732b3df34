"""W3C Web Annotations: the export (JSON-LD, checked against the W3C context) and the import as drafts."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from model_support import PROBLEM_LINE, REPO, base_corpus, run, write_corpus
from pyld import jsonld

from tui.model.annotations import ANNO_CONTEXT, text_iri
from tui.model.corpus import Query
from tui.model.export import write_export
from tui.model.htmltext import html_to_text
from tui.model.loader import load_corpus

DATA = REPO / "tests" / "data" / "annotations"
EXAMPLE = REPO / "docs" / "example"
HYPOTHESIS = DATA / "wikipedia-regression-testing.json"
WIKIPEDIA_URL = "https://en.wikipedia.org/wiki/Regression_testing"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
AS = "http://www.w3.org/ns/activitystreams#"


def export_annotations(corpus, notes=None) -> dict:
    out = io.BytesIO()
    query = Query()
    count = write_export(corpus, corpus.iter_events(corpus.select(query)), query, "annotations", out,
                         notes=notes or {})
    data = json.loads(out.getvalue())
    assert count == data["total"] == len(data["first"]["items"])
    return data


def local_context_loader(url, options=None):
    """The W3C context from the test data; any other URL is refused (no network)."""
    if url != ANNO_CONTEXT:
        raise AssertionError(f"the annotations export asked for another context: {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": json.loads((DATA / "anno.jsonld").read_text(encoding="utf-8"))}


# -- out ---------------------------------------------------------------------------------------------------


def test_every_quote_is_an_annotation_of_its_document():
    corpus = load_corpus(EXAMPLE)
    data = export_annotations(corpus)
    items = data["first"]["items"]
    quotes = [(e, slot) for e in corpus.events for slot in range(len(e.quotes))]
    assert len(items) == len(quotes)
    for item, (event, slot) in zip(items, quotes, strict=True):
        quote = event.quotes[slot]
        text = quote.document.text
        assert item["type"] == "Annotation" and item["id"].startswith("urn:uuid:")
        target = item["target"]
        # No URL in the example's documents: the target names the document's exact text (RFC 6920).
        assert target["source"] == text_iri(text)
        by_type = {s["type"]: s for s in target["selector"]}
        position, tq = by_type["TextPositionSelector"], by_type["TextQuoteSelector"]
        assert text[position["start"]:position["end"]] == tq["exact"] == quote.text
        assert text[:position["start"]].endswith(tq["prefix"]) and text[position["end"]:].startswith(tq["suffix"])
        assert 0 < len(tq["prefix"]) <= 32 and len(tq["suffix"]) <= 32
        (describing,) = [b for b in item["body"] if b["purpose"] == "describing"]
        assert (describing["dcterms:identifier"], describing["dcterms:date"], describing["dcterms:title"]) == \
               (event.id, event.date.text, event.title)
    # Stable: the same export gives the same ids.
    assert [i["id"] for i in export_annotations(corpus)["first"]["items"]] == [i["id"] for i in items]
    assert len({i["id"] for i in items}) == len(items)


def test_the_target_is_the_documents_url_where_it_has_one(seed_corpus):
    items = export_annotations(seed_corpus)["first"]["items"]
    sources = {i["target"]["source"] for i in items}
    assert sources == {d.url for d in seed_corpus.documents.values()}


def test_the_export_expands_against_the_w3c_context():
    corpus = load_corpus(EXAMPLE)
    data = export_annotations(corpus, notes={"bridge-closed": "Check the council's June minutes."})
    (collection,) = jsonld.expand(data, {"documentLoader": local_context_loader})
    assert collection["@type"] == [AS + "OrderedCollection"]
    (page,) = collection[AS + "first"]
    annotations = page[AS + "items"][0]["@list"]
    assert len(annotations) == data["total"]
    for annotation in annotations:
        assert annotation["@type"] == [OA + "Annotation"]
        assert annotation[OA + "motivatedBy"] == [{"@id": OA + "describing"}]
        (target,) = annotation[OA + "hasTarget"]
        assert target[OA + "hasSource"][0]["@id"].startswith("ni:///sha-256;")
        selectors = {s["@type"][0]: s for s in target[OA + "hasSelector"]}
        quote = selectors[OA + "TextQuoteSelector"]
        assert {OA + "exact", OA + "prefix", OA + "suffix"} <= set(quote)
        position = selectors[OA + "TextPositionSelector"]
        assert position[OA + "start"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
        bodies = {b[OA + "hasPurpose"][0]["@id"]: b for b in annotation[OA + "hasBody"]}
        event = bodies[OA + "describing"]
        assert event["@type"] == [OA + "TextualBody"]
        assert {DCTERMS + "identifier", DCTERMS + "date", DCTERMS + "title",
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"} <= set(event)
    notes = [a for a in annotations if any(b[OA + "hasPurpose"][0]["@id"] == OA + "commenting" for b in a[OA + "hasBody"])]
    assert len(notes) == 2  # the two quotes of the event with a note
    (comment,) = [b for b in notes[0][OA + "hasBody"] if b[OA + "hasPurpose"][0]["@id"] == OA + "commenting"]
    assert comment["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"] == [{"@value": "Check the council's June minutes."}]


def test_the_cli_export_takes_the_notes_from_the_sidecar_and_leaves_it_alone(tmp_path, capsys):
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    sidecar = folder / "corpus.notes.json"
    sidecar.write_text(json.dumps({"format": "timeline-notes/1", "notes": {
        "footbridge-request": {"text": "Ask the club.", "updated": "2024-01-01T00:00:00Z"}}}), encoding="utf-8")
    before = sidecar.read_bytes()
    status, _, err = run(["export", str(folder), "--format", "annotations", "-o", str(tmp_path / "a.jsonld")], capsys)
    assert status == 0 and "6 annotations written (annotations)" in err
    items = json.loads((tmp_path / "a.jsonld").read_text(encoding="utf-8"))["first"]["items"]
    comments = [b["value"] for i in items for b in i["body"] if b["purpose"] == "commenting"]
    assert comments == ["Ask the club.", "Ask the club."]
    assert sidecar.read_bytes() == before
    for text, problem in (('{"format": "timeline-notes/1", "notes": []}', "is damaged"),
                          ("{not json", "is not a file of marks and notes")):
        sidecar.write_text(text, encoding="utf-8")
        status, _, err = run(["export", str(folder), "--format", "annotations", "-o", str(tmp_path / "b.jsonld"),
                              "--force"], capsys)
        assert status == 0 and problem in err and "exported without" in err
        assert sidecar.read_text(encoding="utf-8") == text  # reported, never moved or rewritten


# -- in ----------------------------------------------------------------------------------------------------


@pytest.fixture
def wikipedia_corpus(tmp_path) -> Path:
    """A corpus of one document: the text of the Wikipedia page the Hypothesis annotations were made on."""
    html = (DATA / "wikipedia-regression-testing.html").read_text(encoding="utf-8")
    data = {"format": "timeline-corpus/1", "title": "Software testing", "documents": [{
        "id": "wp-regression", "path": "regression-testing.txt", "title": "Regression testing", "outlet": "Wikipedia",
        "published": "2016-11-11", "url": WIKIPEDIA_URL, "accessed": "2016-12-16",
        "exclude": [{"exact": "Retrieved from", "reason": "site boilerplate"}]}]}
    return write_corpus(tmp_path / "wikipedia", data, {"regression-testing.txt": html_to_text(html)})


def test_a_hypothesis_export_becomes_draft_events(wikipedia_corpus, tmp_path, capsys):
    status, _, err = run(["import", "annotations", str(HYPOTHESIS), "--corpus", str(wikipedia_corpus),
                          "-o", str(tmp_path / "drafts/")], capsys)
    assert status == 0, err
    assert "5 draft events" in err
    draft = load_corpus(tmp_path / "drafts")  # the draft is a corpus
    rows = json.loads(HYPOTHESIS.read_text(encoding="utf-8"))["rows"]
    assert len(draft.events) == len(rows)
    text = draft.documents["wp-regression"].text
    assert text == (wikipedia_corpus / "regression-testing.txt").read_text(encoding="utf-8")  # copied byte for byte
    by_id = {e.id: e for e in draft.events}
    for row in rows:
        event = by_id[f"ann-{row['id']}"]
        (selector,) = [s for s in row["target"][0]["selector"] if s["type"] == "TextQuoteSelector"]
        (quote,) = event.quotes
        assert event.draft and quote.text == selector["exact"] and quote.document.id == "wp-regression"
        assert event.summary == row["text"]  # the annotation's note
        assert event.date.text == "2016-11-11~"  # approximately the page's date: the annotation gives none
        assert "approximately the publication date" in event.date_note
    # The heading: "Regression testing" occurs many times; the annotation's context (the page's
    # white space around it, squeezed) singles out the heading, not the page title on the first line.
    heading = by_id["ann-rvTr_MOBEeaQl9tXcHfSkw"].quotes[0]
    assert heading.start == text.index("\nRegression testing\n") + 1
    assert text[heading.end:].lstrip().startswith("From Wikipedia")


def test_a_hypothesis_client_export_and_a_w3c_page_read_alike(wikipedia_corpus, tmp_path, capsys):
    rows = json.loads(HYPOTHESIS.read_text(encoding="utf-8"))["rows"]
    shapes = {
        "client.json": {"export_date": "2024-01-01T00:00:00Z", "export_userid": "acct:someone@hypothes.is",
                        "client_version": "1.0", "annotations": rows},
        "list.json": rows,
        "page.jsonld": {"@context": ANNO_CONTEXT, "type": "AnnotationPage", "items": rows},
        "collection.jsonld": {"@context": ANNO_CONTEXT, "type": "AnnotationCollection",
                              "first": {"type": "AnnotationPage", "items": rows[:2],
                                        "next": {"type": "AnnotationPage", "items": rows[2:]}}},
    }
    results = []
    for name, content in shapes.items():
        (tmp_path / name).write_text(json.dumps(content, indent=2), encoding="utf-8")
        status, _, err = run(["import", "annotations", str(tmp_path / name), "--corpus", str(wikipedia_corpus),
                              "-o", str(tmp_path / f"out-{name}" / "corpus.json")], capsys)
        assert status == 0, err
        draft = load_corpus(tmp_path / f"out-{name}")
        results.append([(e.id, e.quotes[0].start, e.quotes[0].end) for e in draft.events])
    assert all(r == results[0] for r in results) and len(results[0]) == 5


def test_the_export_comes_back_as_the_same_quotes(tmp_path, capsys):
    corpus = load_corpus(EXAMPLE)
    status, _, err = run(["export", str(EXAMPLE), "--format", "annotations", "-o", str(tmp_path / "q.jsonld")], capsys)
    assert status == 0, err
    status, _, err = run(["import", "annotations", str(tmp_path / "q.jsonld"), "--corpus", str(EXAMPLE),
                          "-o", str(tmp_path / "drafts" / "corpus.json")], capsys)
    assert status == 0, err
    draft = load_corpus(tmp_path / "drafts")
    expected = [(e.date.text, e.title, q.document.id, q.start, q.end) for e in corpus.events for q in e.quotes]
    got = [(e.date.text, e.title, e.quotes[0].document.id, e.quotes[0].start, e.quotes[0].end) for e in draft.events]
    assert sorted(got) == sorted(expected)
    assert all(e.draft and len(e.quotes) == 1 and "As the annotation says" in e.date_note for e in draft.events)


def _import(tmp_path, capsys, annotations, corpus_folder: Path, name="bad.json"):
    path = tmp_path / name
    path.write_text(annotations if isinstance(annotations, str) else json.dumps(annotations, indent=2), encoding="utf-8")
    out = tmp_path / "never"
    status, _, err = run(["import", "annotations", str(path), "--corpus", str(corpus_folder), "-o", str(out / "c.json")],
                         capsys)
    assert not out.exists(), "nothing may be written"
    return status, err


def _annotation(exact, source="https://example.org/a", prefix="", suffix="", **more):
    selector = {"type": "TextQuoteSelector", "exact": exact}
    if prefix:
        selector["prefix"] = prefix
    if suffix:
        selector["suffix"] = suffix
    return {"id": more.pop("id", "a1"), "type": "Annotation", "target": {"source": source, "selector": selector}, **more}


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    data = base_corpus()
    data["documents"][0].update({"url": "https://example.org/a", "published": "2019-07-20"})
    return write_corpus(tmp_path / "small", data)


@pytest.mark.parametrize("annotation, location, message", [
    (_annotation("hello world", source="https://example.org/other"), "[1] (annotation 'a1').target.source",
     "is not a document of the corpus"),
    (_annotation("goodbye world"), "[1] (annotation 'a1').target.selector (TextQuoteSelector, document 'd1')",
     "the quote is not in the document"),
    (_annotation("spam"), "[1] (annotation 'a1').target.selector (TextQuoteSelector, document 'd1')",
     "the quote occurs 3 times"),
    (_annotation("spam spam", prefix="comment: "), "[1] (annotation 'a1').target.selector (TextQuoteSelector, document 'd1')",
     "falls in a passage the corpus excludes as not citable (reader comment)"),
    (_annotation("hello world", tags=["date:2019-13-45"]), "[1] (annotation 'a1').tags",
     "tag 'date:2019-13-45': month 13 does not exist"),
    (_annotation("hello world", prefix="NOT THIS "), "[1] (annotation 'a1').target.selector (TextQuoteSelector, document 'd1')",
     "never with the given prefix"),
])
def test_bad_annotations_are_located_and_nothing_is_written(tmp_path, capsys, small_corpus, annotation, location, message):
    good = _annotation("hello world", id="ok")
    status, err = _import(tmp_path, capsys, [good, annotation], small_corpus)
    assert status == 1
    problems = [line for line in err.splitlines() if PROBLEM_LINE.match(line)]
    assert len(problems) == 1, err
    m = PROBLEM_LINE.match(problems[0])
    assert m["file"] == str(tmp_path / "bad.json") and int(m["line"]) > 1  # the line where the annotation starts
    assert m["location"] == location
    assert location in problems[0] and message in problems[0] and m["fix"]
    assert "nothing was written" in err


def test_a_document_without_a_date_needs_the_annotation_to_give_one(tmp_path, capsys):
    folder = write_corpus(tmp_path / "undated", {**base_corpus(), "documents": [
        {"id": "d1", "path": "a.txt", "url": "https://example.org/a"}]})
    status, err = _import(tmp_path, capsys, [_annotation("hello world")], folder)
    assert status == 1 and "no publication date" in err and "date:YYYY-MM-DD" in err
    status, _, err = run(["import", "annotations", str(tmp_path / "bad.json"), "--corpus", str(folder), "-o",
                          str(tmp_path / "ok" / "c.json")], capsys)
    assert status == 1
    (tmp_path / "dated.json").write_text(json.dumps([_annotation("hello world, said X", tags=["date:2019-07-18", "council"])]),
                                         encoding="utf-8")
    status, _, err = run(["import", "annotations", str(tmp_path / "dated.json"), "--corpus", str(folder), "-o",
                          str(tmp_path / "ok" / "c.json")], capsys)
    assert status == 0, err
    (event,) = load_corpus(tmp_path / "ok" / "c.json").events
    assert event.date.text == "2019-07-18" and event.tags == ("council",) and event.actors == ("x",)


def test_files_that_are_not_annotations_are_located(tmp_path, capsys, small_corpus):
    status, err = _import(tmp_path, capsys, '{"rows": [\n  {"id": 1,}\n]}', small_corpus)
    assert status == 1 and "bad.json:2: column" in err and "not valid JSON" in err
    status, err = _import(tmp_path, capsys, {"hello": "world"}, small_corpus)
    assert status == 1 and "is not a Web Annotation file" in err
    status, err = _import(tmp_path, capsys, {"type": "AnnotationCollection", "first": "https://example.org/page1"},
                          small_corpus)
    assert status == 1 and "is a link, not included in the file" in err


def test_page_notes_and_replies_are_skipped_with_a_warning(tmp_path, capsys, small_corpus):
    note = {"id": "page", "uri": "https://example.org/a", "text": "A note on the page", "target": [{"source": "https://example.org/a"}]}
    reply = {"id": "re", "uri": "https://example.org/a", "text": "I agree", "references": ["page"], "target": [{"source": "https://example.org/a"}]}
    (tmp_path / "mixed.json").write_text(json.dumps({"rows": [note, _annotation("hello world"), reply]}), encoding="utf-8")
    status, _, err = run(["import", "annotations", str(tmp_path / "mixed.json"), "--corpus", str(small_corpus), "-o",
                          str(tmp_path / "d" / "c.json")], capsys)
    assert status == 0, err
    assert "rows[0] (annotation 'page'): warning: skipped" in err and "a reply" in err
    assert len(load_corpus(tmp_path / "d" / "c.json").events) == 1


def test_a_draft_written_inside_the_corpus_folder_cites_its_documents_in_place(tmp_path, capsys):
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    status, _, err = run(["export", str(folder), "--format", "annotations", "-o", str(tmp_path / "q.jsonld")], capsys)
    assert status == 0, err
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    status, _, err = run(["import", "annotations", str(tmp_path / "q.jsonld"), "--corpus", str(folder),
                          "-o", str(folder / "annotations.json")], capsys)
    assert status == 0, err
    assert {p.name for p in folder.iterdir()} == set(before) | {"annotations.json"}  # no copies
    assert all((folder / name).read_bytes() == data for name, data in before.items())  # nothing replaced
    draft = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    assert {d["path"] for d in draft["documents"]} == {"gazette.txt", "minutes.txt"}
    # The corpus file itself is never the draft's target, even with --force.
    status, _, err = run(["import", "annotations", str(tmp_path / "q.jsonld"), "--corpus", str(folder),
                          "-o", str(folder), "--force"], capsys)
    assert status == 1 and "nothing was written" in err
    assert (folder / "corpus.json").read_bytes() == before["corpus.json"]
