"""Editing a corpus folder (model.editing) and ``timeline-explorer edit``: checked, atomic, diff-friendly."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from model_support import REPO, run

from tui.model import editing
from tui.model.anchoring import resolve
from tui.model.editing import Editor, EditError, ReadOnly, selector_for
from tui.model.jsonspans import top_level_spans
from tui.model.loader import load_corpus

SEEDS = REPO / "seeds"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def _events(folder: Path) -> list[str]:
    text = (folder / "corpus.json").read_text(encoding="utf-8")
    return [text[s:e] for s, e in top_level_spans(text, ("events",))["events"]]


def _outside_events(folder: Path) -> tuple[str, str]:
    text = (folder / "corpus.json").read_text(encoding="utf-8")
    items = top_level_spans(text, ("events",))["events"]
    return text[:items[0][0]], text[items[-1][1]:]


def _passage(editor: Editor, doc_id: str, needle: str) -> tuple[int, int]:
    text = editor.corpus.documents[doc_id].text
    start = text.index(needle)
    return start, start + len(needle)


def _with_drafts(folder: Path) -> Editor:
    editor = Editor(folder)
    for n, needle in enumerate(["UN experts say around one million Uighur Muslims",
                                "Qatar has withdrawn its signature"]):
        doc = "yournews-22" if n == 0 else "mec-qatar"
        text = editor.corpus.documents[doc].text
        if needle not in text:  # the second: whatever the document's first sentence is
            needle = text[:40]
        change = editor.add_event(date="2019-07", title=f"Draft {n}", id=f"draft-{n}",
                                  quotes=[editor.quote_of(doc, needle)], actors=["china"])
        editor.set_field(change.id, "draft", "true")
    return editor


# -- diff-friendly writes ------------------------------------------------------------------------------


def test_a_set_field_changes_only_that_record(corpus: Path) -> None:
    before = _events(corpus)
    head, tail = _outside_events(corpus)
    editor = Editor(corpus)
    target = editor.corpus.events[5].id
    editor.set_field(target, "title", "A new title")
    after = _events(corpus)
    assert len(after) == len(before)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(changed) == 1
    assert json.loads(after[changed[0]])["id"] == target
    assert json.loads(after[changed[0]])["title"] == "A new title"
    assert _outside_events(corpus) == (head, tail)
    # the changed record keeps its keys in their order and the file's layout
    old, new = json.loads(before[changed[0]]), json.loads(after[changed[0]])
    assert list(old) == list(new)
    assert after[changed[0]] == before[changed[0]].replace(json.dumps(old["title"], ensure_ascii=False),
                                                          '"A new title"')
    assert load_corpus(corpus).events_by_id[target].title == "A new title"


def test_an_added_event_is_appended_and_the_rest_kept(corpus: Path) -> None:
    original = (corpus / "corpus.json").read_text(encoding="utf-8")
    editor = Editor(corpus)
    start, end = _passage(editor, "yournews-22", "UN experts say around one million Uighur Muslims")
    change = editor.add_event(date="2019-07-20", title="UN experts’ estimate", actors=["china"],
                              quotes=[editor.quote_at("yournews-22", start, end)])
    assert change.id == "un-experts-estimate"
    text = (corpus / "corpus.json").read_text(encoding="utf-8")
    last_end = top_level_spans(original, ("events",))["events"][-1][1]
    assert text[:last_end] == original[:last_end]
    assert text.endswith(original[last_end:])
    loaded = load_corpus(corpus)
    quote = loaded.events_by_id["un-experts-estimate"].quotes[0]
    assert (quote.start, quote.end) == (start, end)


def test_unknown_fields_in_extra_are_kept(corpus: Path) -> None:
    target = Editor(corpus).corpus.events[0].id
    data = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    data["events"][0]["extra"] = {"mine": {"nested": [1, 2]}}
    (corpus / "corpus.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    Editor(corpus).set_field(target, "summary", "new")
    record = json.loads(_events(corpus)[0])
    assert record["extra"] == {"mine": {"nested": [1, 2]}}
    assert record["summary"] == "new"


# -- refused changes --------------------------------------------------------------------------------------


def test_a_change_that_fails_the_check_is_refused_and_nothing_written(corpus: Path) -> None:
    original = (corpus / "corpus.json").read_bytes()
    editor = Editor(corpus)
    target = editor.corpus.events[2].id
    with pytest.raises(EditError) as exc:
        editor.set_field(target, "date", "2019-02-30")
    assert "date" in exc.value.problems[0].location and target in exc.value.problems[0].location
    with pytest.raises(EditError) as exc:
        editor.set_field(target, "actors", "no-such-actor")
    assert "no-such-actor" in str(exc.value)
    assert (corpus / "corpus.json").read_bytes() == original
    assert editor.done == []


def test_quotes_not_in_the_document_ambiguous_or_excluded_are_refused(corpus: Path) -> None:
    editor = Editor(corpus)
    with pytest.raises(EditError) as exc:
        editor.quote_of("yournews-22", "UN experts say around one milion Uighur Muslims")
    assert "nearest passage" in str(exc.value) and "million" in str(exc.value)
    with pytest.raises(EditError) as exc:
        editor.quote_of("yournews-22", "the")
    assert exc.value.problems[0].code == "anchor-ambiguous"
    start, end = _passage(editor, "theprint-qatar", "Text Size:")
    with pytest.raises(EditError) as exc:
        editor.quote_at("theprint-qatar", start, end)
    assert exc.value.problems[0].code == "anchor-excluded" and "site boilerplate" in str(exc.value)
    with pytest.raises(EditError) as exc:
        editor.quote_of("theprint-qatar", "Text Size:")
    assert exc.value.problems[0].code == "anchor-excluded"


def test_converted_sources_are_read_only(tmp_path: Path) -> None:
    with pytest.raises(ReadOnly) as exc:
        Editor(REPO / "tests" / "data" / "timelinejs" / "eras.json")
    assert "import" in exc.value.problems[0].hint
    with pytest.raises(ReadOnly):
        Editor(REPO / "tests" / "data" / "csv" / "acled-sample.csv")


# -- the file on disk ------------------------------------------------------------------------------------


def test_a_change_made_on_disk_meanwhile_is_never_lost(corpus: Path) -> None:
    editor = Editor(corpus)
    first, second = editor.corpus.events[0].id, editor.corpus.events[1].id
    Editor(corpus).set_field(first, "title", "Changed by someone else")  # another editor, a git pull
    change = editor.set_field(second, "title", "Changed here")
    assert change.rebased
    loaded = load_corpus(corpus)
    assert loaded.events_by_id[first].title == "Changed by someone else"
    assert loaded.events_by_id[second].title == "Changed here"
    # an undo would now put back a text that someone else changed since: refused
    Editor(corpus).set_field(first, "summary", "and again")
    with pytest.raises(EditError) as exc:
        editor.undo()
    assert exc.value.problems[0].code == "conflict"
    assert load_corpus(corpus).events_by_id[second].title == "Changed here"


def test_a_change_on_disk_while_checking_abandons_the_write(corpus: Path, monkeypatch) -> None:
    editor = Editor(corpus)
    target = editor.corpus.events[0].id
    real = editor._load
    calls = []

    def meanwhile(data: bytes):
        corpus_ = real(data)
        if not calls:
            calls.append(1)
            other = (corpus / "corpus.json").read_text(encoding="utf-8").replace('"title": ', '"title":  ', 1)
            (corpus / "corpus.json").write_text(other, encoding="utf-8")
        return corpus_

    monkeypatch.setattr(editor, "_load", meanwhile)
    with pytest.raises(EditError) as exc:
        editor.set_field(target, "summary", "mine")
    assert exc.value.problems[0].code == "conflict"
    assert '"title":  ' in (corpus / "corpus.json").read_text(encoding="utf-8")
    assert [p.name for p in corpus.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failed_write_leaves_the_old_file_whole(corpus: Path, monkeypatch) -> None:
    original = (corpus / "corpus.json").read_bytes()
    editor = Editor(corpus)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        editor.set_field(editor.corpus.events[0].id, "title", "never written")
    assert (corpus / "corpus.json").read_bytes() == original
    assert [p.name for p in corpus.iterdir() if p.name.endswith(".tmp")] == []


# -- drafts and the session ------------------------------------------------------------------------------


def test_drafts_accepted_rejected_and_merged(corpus: Path) -> None:
    editor = _with_drafts(corpus)
    assert editor.drafts() == ["draft-0", "draft-1"]
    with pytest.raises(EditError):
        editor.accept(editor.corpus.events[0].id)  # not a draft
    editor.accept("draft-0")
    assert "draft" not in json.loads(_events(corpus)[-2])
    assert editor.drafts() == ["draft-1"]
    target = editor.corpus.events[3]
    quotes_before = len(target.quotes)
    draft_quote = json.loads(_events(corpus)[-1])["quotes"][0]
    editor.merge("draft-1", target.id)
    merged = load_corpus(corpus).events_by_id[target.id]
    assert len(merged.quotes) == quotes_before + 1
    assert merged.quotes[-1].exact == draft_quote["exact"]
    assert "draft-1" not in load_corpus(corpus).events_by_id
    assert editor.drafts() == []
    editor.undo()
    assert editor.drafts() == ["draft-1"]
    editor.reject("draft-1")
    assert "draft-1" not in load_corpus(corpus).events_by_id


def test_undo_and_redo_restore_the_exact_text(corpus: Path) -> None:
    original = (corpus / "corpus.json").read_bytes()
    editor = Editor(corpus)
    target = editor.corpus.events[0].id
    editor.set_field(target, "title", "one")
    after_one = (corpus / "corpus.json").read_bytes()
    editor.set_field(target, "title", "two")
    editor.undo()
    assert (corpus / "corpus.json").read_bytes() == after_one
    editor.undo()
    assert (corpus / "corpus.json").read_bytes() == original
    assert editor.undo() is None
    editor.redo()
    assert (corpus / "corpus.json").read_bytes() == after_one
    assert editor.corpus.events_by_id[target].title == "one"


def test_removing_the_only_event_leaves_an_empty_list(tmp_path: Path) -> None:
    text = '{\n  "events": [\n    {"id": "a"}\n  ]\n}\n'
    items = top_level_spans(text, ("events",))["events"]
    assert editing._Text(text).remove(0) == '{\n  "events": []\n}\n'
    assert len(items) == 1


# -- selectors --------------------------------------------------------------------------------------------


def _seed_texts() -> list[tuple[str, str, list[tuple[int, int]]]]:
    corpus = load_corpus(SEEDS)
    return [(doc.id, doc.text, [(e.start, e.end) for e in doc.exclusions]) for doc in corpus.documents.values()]


SEED_TEXTS = _seed_texts()


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.data())
def test_a_selector_from_any_span_of_a_seed_document_resolves_to_it(data) -> None:
    _, text, _ = data.draw(st.sampled_from(SEED_TEXTS))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 300)))
    selector = selector_for(text, start, end)
    assert resolve(text, selector["exact"], selector.get("prefix", ""), selector.get("suffix", "")) == (start, end)
    assert selector["exact"] == text[start:end]
    if text.count(text[start:end]) == 1:  # the shortest: no context when the passage is unique
        assert "prefix" not in selector and "suffix" not in selector


def test_selectors_of_short_spans_at_every_position_resolve() -> None:
    """Deterministic, exhaustive over positions: every 7th start, lengths 1, 2, 5 and a word."""
    for _, text, _ in SEED_TEXTS:
        for start in range(0, len(text) - 1, 7):
            for length in (1, 2, 5, 12):
                end = min(len(text), start + length)
                selector = selector_for(text, start, end)
                assert resolve(text, selector["exact"], selector.get("prefix", ""),
                               selector.get("suffix", "")) == (start, end)


# -- the command line -------------------------------------------------------------------------------------


def test_cli_add_event_prints_the_new_id_and_the_corpus_checks(corpus: Path, capsys) -> None:
    status, out, err = run(["edit", str(corpus), "add-event", "--date", "2019-07-20", "--title", "Experts' estimate",
                            "--actor", "china", "--type", "report",
                            "--quote", "yournews-22", "UN experts say around one million Uighur Muslims"], capsys)
    assert (status, out) == (0, "experts-estimate\n"), err
    event = load_corpus(corpus).events_by_id["experts-estimate"]
    assert event.type == "report" and event.actors == ("china",)
    status, out, err = run(["edit", str(corpus), "add-quote", "experts-estimate", "yournews-22",
                            "UN experts say around one milion"], capsys)
    assert status == 1 and "nearest passage" in err and "nothing was written" in err
    status, out, _ = run(["edit", str(corpus), "set", "experts-estimate", "summary", "From yournews.es."], capsys)
    assert (status, out) == (0, "experts-estimate\n")
    status, out, _ = run(["check", str(corpus), "--quiet"], capsys)
    assert status == 0


def test_cli_triage(corpus: Path, capsys) -> None:
    _with_drafts(corpus)
    assert run(["edit", str(corpus), "accept", "draft-0"], capsys)[:2] == (0, "draft-0\n")
    target = load_corpus(corpus).events[0].id
    assert run(["edit", str(corpus), "merge", "draft-1", target], capsys)[:2] == (0, f"{target}\n")
    status, _, err = run(["edit", str(corpus), "reject", "draft-1"], capsys)
    assert status == 1 and "no event has this id" in err
    status, _, err = run(["edit", str(REPO / "tests/data/timelinejs/eras.json"), "accept", "x"], capsys)
    assert status == 1 and "read-only" in err and "import" in err


def test_a_file_with_a_bom_and_crlf_line_ends_keeps_them(corpus: Path) -> None:
    file = corpus / "corpus.json"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    original = file.read_bytes()
    editor = Editor(corpus)
    target = editor.corpus.events[1].id
    editor.set_field(target, "type", "changed")
    data = file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert len(data.splitlines()) == len(original.splitlines())
    editor.undo()
    assert file.read_bytes() == original


def test_a_corpus_with_no_events_gets_its_first(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(SEEDS / "002_b5400e5f6aae15b5.txt", folder / "a.txt")
    (folder / "corpus.json").write_text(json.dumps({
        "format": "timeline-corpus/1", "title": "T",
        "documents": [{"id": "a", "path": "a.txt"}], "events": []}, indent=2), encoding="utf-8")
    editor = Editor(folder)
    change = editor.add_event(date="2019", title="First", quotes=[editor.quote_of("a", "UN experts say")])
    assert change.id == "first"
    loaded = load_corpus(folder)
    assert [e.id for e in loaded.events] == ["first"]
    assert loaded.events[0].quotes[0].exact == "UN experts say"


# -- quotes of an event: removed, reordered --------------------------------------------------------------


def test_quotes_removed_and_reordered_with_undo(corpus: Path) -> None:
    editor = Editor(corpus)
    original = (corpus / "corpus.json").read_bytes()
    others = [r for r in _events(corpus) if '"july-12-letter"' not in r]
    before = [(q.document.id, q.exact) for q in editor.corpus.events_by_id["july-12-letter"].quotes]
    assert len(before) >= 3
    editor.move_quote("july-12-letter", 0, 1)
    after = [(q.document.id, q.exact) for q in load_corpus(corpus).events_by_id["july-12-letter"].quotes]
    assert after == [before[1], before[0], *before[2:]]
    editor.move_quote("july-12-letter", 2, -2)
    after = [(q.document.id, q.exact) for q in load_corpus(corpus).events_by_id["july-12-letter"].quotes]
    assert after == [before[2], before[1], before[0], *before[3:]]
    editor.remove_quote("july-12-letter", 1)
    after = [(q.document.id, q.exact) for q in load_corpus(corpus).events_by_id["july-12-letter"].quotes]
    assert after == [before[2], before[0], *before[3:]]
    assert [r for r in _events(corpus) if '"july-12-letter"' not in r] == others  # the rest byte-identical
    for _ in range(3):
        editor.undo()
    assert (corpus / "corpus.json").read_bytes() == original


def test_a_quote_move_or_removal_out_of_range_is_refused(corpus: Path) -> None:
    editor = Editor(corpus)
    original = (corpus / "corpus.json").read_bytes()
    quotes = editor.corpus.events_by_id["july-12-letter"].quotes
    with pytest.raises(EditError, match="has no quote 99"):
        editor.remove_quote("july-12-letter", 98)
    with pytest.raises(EditError, match="first already"):
        editor.move_quote("july-12-letter", 0, -1)
    with pytest.raises(EditError, match="last already"):
        editor.move_quote("july-12-letter", len(quotes) - 1, 1)
    single = next(e for e in editor.corpus.events if len(e.quotes) == 1)
    with pytest.raises(EditError, match="no quote left"):
        editor.remove_quote(single.id, 0)
    assert (corpus / "corpus.json").read_bytes() == original


# -- claims, actors, passages not citable ------------------------------------------------------------------


def _section(folder: Path, section: str) -> list[str]:
    text = (folder / "corpus.json").read_text(encoding="utf-8")
    return [text[s:e] for s, e in top_level_spans(text, (section,))[section]]


def test_a_statement_joins_a_claim_and_a_new_claim_is_made(corpus: Path) -> None:
    editor = Editor(corpus)
    original = (corpus / "corpus.json").read_bytes()
    events_before = _events(corpus)
    start, end = _passage(editor, "yournews-22", "UN experts say around one million Uighur Muslims")
    quote = editor.quote_at("yournews-22", start, end)
    with pytest.raises(EditError, match="has this passage as a statement already"):
        editor.add_statement("detainee-count", {**quote, "exact": quote["exact"] + " are being held in detention centres"})
    change = editor.add_claim(about="How many Uighurs the UN experts count", quote=quote, value="one million",
                              events=["un-panel-august-report"])
    claim = load_corpus(corpus).claims[change.id]
    assert (claim.about, claim.events, [st.value for st in claim.statements]) == (
        "How many Uighurs the UN experts count", ("un-panel-august-report",), ["one million"])
    assert (claim.statements[0].start, claim.statements[0].end) == (start, end)
    s2, e2 = _passage(editor, "scmp-envoys", "a million or more Uygurs")
    editor.add_statement(change.id, editor.quote_at("scmp-envoys", s2, e2), "a million or more")
    claim = load_corpus(corpus).claims[change.id]
    assert [st.document.id for st in claim.statements] == ["yournews-22", "scmp-envoys"]
    assert _events(corpus) == events_before  # only the claims changed
    with pytest.raises(EditError, match="no claim has this id"):
        editor.add_statement("no-such-claim", quote)
    editor.undo()
    editor.undo()
    assert (corpus / "corpus.json").read_bytes() == original


def test_an_actors_name_aliases_and_members_are_set(corpus: Path) -> None:
    editor = Editor(corpus)
    original = (corpus / "corpus.json").read_bytes()
    actors_before = _section(corpus, "actors")
    editor.set_actor("qatar", name="State of Qatar", aliases=["Qatari", "Doha", "Al-Thani government"])
    actor = load_corpus(corpus).actors["qatar"]
    assert (actor.name, actor.aliases) == ("State of Qatar", ("Qatari", "Doha", "Al-Thani government"))
    after = _section(corpus, "actors")
    changed = [i for i, (a, b) in enumerate(zip(actors_before, after)) if a != b]
    assert len(changed) == 1 and "\n" not in after[changed[0]]  # one line, as the others
    editor.set_actor("western-envoys", members=["canada", "australia"])
    assert load_corpus(corpus).actors["western-envoys"].members == ("canada", "australia")
    with pytest.raises(EditError) as refused:  # refused by the check, which names the place
        editor.set_actor("saudi-arabia", members=["no-such-actor"])
    problem = refused.value.problems[0]
    assert "no-such-actor" in problem.message and "saudi-arabia" in problem.location
    lines = (corpus / "corpus.json").read_text(encoding="utf-8").splitlines()
    assert '"id": "saudi-arabia"' in lines[problem.line - 1]  # the line of corpus.json where the problem is
    editor.undo()
    editor.undo()
    assert (corpus / "corpus.json").read_bytes() == original


def test_a_passage_marked_not_citable_then_cannot_be_quoted(corpus: Path) -> None:
    editor = Editor(corpus)
    original = (corpus / "corpus.json").read_bytes()
    docs_before = _section(corpus, "documents")
    text = editor.corpus.documents["yournews-22"].text
    cited = {(q.start, q.end) for e in editor.corpus.events for q in e.quotes if q.document.id == "yournews-22"}
    cited |= {(s.start, s.end) for c in editor.corpus.claims.values() for s in c.statements
              if s.document.id == "yournews-22"}
    # a passage no event or claim cites, not marked already
    start = next(m for m in range(len(text) - 40) if text[m].isupper() and all(e <= m or s >= m + 40 for s, e in cited)
                 and editor.corpus.documents["yournews-22"].exclusion_at(m, m + 40) is None)
    end = start + 40
    with pytest.raises(EditError, match="needs a reason"):
        editor.exclude("yournews-22", start, end, " ")
    editor.exclude("yournews-22", start, end, "site boilerplate")
    doc = load_corpus(corpus).documents["yournews-22"]
    assert any((ex.start, ex.end, ex.reason) == (start, end, "site boilerplate") for ex in doc.exclusions)
    after = _section(corpus, "documents")
    assert [a == b for a, b in zip(docs_before, after)].count(False) == 1
    with pytest.raises(EditError, match="not citable"):
        editor.quote_at("yournews-22", start, end)
    with pytest.raises(EditError, match="overlaps one marked already"):
        editor.exclude("yournews-22", start + 1, end + 5, "again")
    editor.undo()
    assert (corpus / "corpus.json").read_bytes() == original


def test_a_quoted_passage_cannot_be_marked_not_citable(corpus: Path) -> None:
    editor = Editor(corpus)
    original = (corpus / "corpus.json").read_bytes()
    q = editor.corpus.events_by_id["july-12-letter"].quotes[0]
    with pytest.raises(EditError) as refused:
        editor.exclude(q.document.id, q.start, q.end, "boilerplate")
    assert any(p.code == "anchor-excluded" for p in refused.value.problems)
    assert (corpus / "corpus.json").read_bytes() == original


def test_cli_set_actor_exclude_and_claims(corpus: Path, capsys) -> None:
    from tui.cli import main

    assert main(["edit", str(corpus), "set-actor", "qatar", "--name", "State of Qatar", "--aliases", "Qatari, Doha"]) == 0
    assert capsys.readouterr().out.strip() == "qatar"
    assert load_corpus(corpus).actors["qatar"].name == "State of Qatar"
    assert main(["edit", str(corpus), "add-claim", "--about", "Who Qatar left", "--event", "qatar-withdraws-july-18",
                 "--statement", "mec-qatar", "Qatar has pulled out from the 13 countries", "13 countries"]) == 0
    claim_id = capsys.readouterr().out.strip()
    claim = load_corpus(corpus).claims[claim_id]
    assert (claim.about, claim.events, claim.statements[0].value) == ("Who Qatar left", ("qatar-withdraws-july-18",),
                                                                      "13 countries")
    assert main(["edit", str(corpus), "add-statement", claim_id, "theprint-qatar",
                 "Qatar withdrew its signature from a letter", "--value", "a letter"]) == 0
    assert capsys.readouterr().out.strip() == claim_id
    assert len(load_corpus(corpus).claims[claim_id].statements) == 2
    passage = "region for an explanation of alleged human rights abuses against ethnic Uygurs."
    assert main(["edit", str(corpus), "exclude", "scmp-envoys", passage, "--reason", "headline"]) == 0
    doc = load_corpus(corpus).documents["scmp-envoys"]
    assert any(doc.text[ex.start:ex.end] == passage and ex.reason == "headline" for ex in doc.exclusions)
    assert main(["edit", str(corpus), "exclude", "scmp-envoys", "no such words anywhere", "--reason", "x"]) == 1
    assert "nothing was written" in capsys.readouterr().err


def test_a_refused_change_names_the_line_on_disk(corpus: Path) -> None:
    editor = Editor(corpus)
    lines = (corpus / "corpus.json").read_text(encoding="utf-8").splitlines()
    quote = editor.quote_of("mec-qatar", "Qatar has pulled out from the 13 countries")
    with pytest.raises(EditError) as refused:  # a new event: its line is in the change
        editor.add_event(date="2019-13-45", title="Bad", quotes=[quote])
    problem = next(p for p in refused.value.problems if p.severity == "error")
    assert "month 13" in problem.message and "in the change" in problem.message and problem.line > len(lines) // 2
    with pytest.raises(EditError) as refused:  # a field of an event: the line of that event's field
        editor.set_field("july-12-letter", "actors", "china, nobody")
    problem = next(p for p in refused.value.problems if p.severity == "error")
    assert "nobody" in problem.message  # named at its record's line, which the change did not move
    assert '"id": "july-12-letter"' in "\n".join(lines[problem.line - 1:problem.line + 2])
    # a problem after the change (lines added before it) is named at its line on disk
    from tui.model.editing import _lines_on_disk
    from tui.model.errors import Problem

    before = "a\nb\nc\nd\n"
    after = "a\nB\nB2\nc\nd\n"
    moved = _lines_on_disk([Problem("f", "", "x", line=5), Problem("f", "", "y", line=1),
                            Problem("f", "", "z", line=3)], "f", "f", before, after)
    assert [p.line for p in moved] == [4, 1, 3] and "in the change" in moved[2].message


def test_a_passage_not_citable_is_made_citable_again(corpus: Path) -> None:
    editor = Editor(corpus)
    original = (corpus / "corpus.json").read_bytes()
    docs_before = _section(corpus, "documents")
    doc_id, doc = next((d, doc) for d, doc in editor.corpus.documents.items() if len(doc.exclusions) >= 2)
    unmarked = doc.exclusions[1]  # the first stays marked
    middle = (unmarked.start + unmarked.end) // 2
    free = next(m for m in range(len(doc.text)) if doc.exclusion_at(m, m + 1) is None)
    with pytest.raises(EditError, match="no passage marked as not citable"):
        editor.include(doc_id, free, free + 1)
    assert (corpus / "corpus.json").read_bytes() == original
    editor.include(doc_id, middle, middle + 1)
    after = load_corpus(corpus).documents[doc_id]
    assert [(ex.start, ex.end) for ex in after.exclusions] == \
           [(ex.start, ex.end) for ex in doc.exclusions if ex is not unmarked]
    assert [a == b for a, b in zip(docs_before, _section(corpus, "documents"))].count(False) == 1
    # what was dimmed can be quoted now
    assert editor.quote_at(doc_id, unmarked.start, unmarked.end)["exact"] == doc.text[unmarked.start:unmarked.end]
    editor.undo()
    assert (corpus / "corpus.json").read_bytes() == original


def test_the_last_mark_of_a_document_removed_leaves_no_empty_list(corpus: Path) -> None:
    editor = Editor(corpus)
    doc_id, doc = next((d, doc) for d, doc in editor.corpus.documents.items() if doc.exclusions)
    for ex in list(doc.exclusions):
        editor.include(doc_id, ex.start, ex.end)
        editor = Editor(corpus)  # read again: the offsets of the marks left are the document's own
    assert not load_corpus(corpus).documents[doc_id].exclusions
    record = next(r for r in json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))["documents"]
                  if r["id"] == doc_id)
    assert "exclude" not in record


def test_cli_include(corpus: Path, capsys) -> None:
    from tui.cli import main

    editor = Editor(corpus)
    # a line of a marked passage that the document has once
    doc_id, doc, words = next((d, doc, line[:40]) for d, doc in editor.corpus.documents.items()
                              for ex in doc.exclusions for line in doc.text[ex.start:ex.end].split("\n")
                              if len(line.strip()) > 10 and doc.text.count(line[:40]) == 1)
    assert main(["edit", str(corpus), "include", doc_id, words]) == 0
    assert capsys.readouterr().out.strip() == doc_id
    assert len(load_corpus(corpus).documents[doc_id].exclusions) == len(doc.exclusions) - 1
    assert main(["edit", str(corpus), "include", doc_id, words]) == 1  # nothing marked there any more
    assert "no passage marked as not citable" in capsys.readouterr().err
