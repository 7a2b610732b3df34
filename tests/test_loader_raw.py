"""The raw load: event records kept as their JSON, checked in full all the same.

A well-formed corpus opens with its event records kept raw (decoded when an
event is shown) and only their keys decoded for the indexes; every record is still
checked against the format.  Whatever goes wrong sends
the load down the usual path.  These tests hold the two paths to the same
results: the same events, the same problems, the same located errors.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from model_support import SEEDS, base_corpus, generate_corpus, load_problems

from tui.model import loader
from tui.model.errors import CorpusError
from tui.model.loader import RawRecords, load_corpus



def _usual(monkeypatch, folder: Path, **kwargs):
    """Load ``folder`` the usual way (every record decoded), for comparison."""
    with monkeypatch.context() as m:
        m.setattr(loader._Loader, "load_raw", lambda self, data, allow, verify: None)
        try:
            return load_corpus(folder, **kwargs)
        except CorpusError as exc:
            return exc.problems


def _event_view(corpus) -> list[tuple]:
    return [(e.id, e.date.text, e.title, e.summary, e.type, e.tags, e.actors, e.date_note, e.draft, e.confidence,
             e.note, e.index, tuple(e.claims), tuple((q.document.id, q.exact, q.start, q.end) for q in e.quotes))
            for e in corpus.events]


def test_seeds_open_raw_with_the_same_events_as_the_usual_load(monkeypatch):
    corpus = load_corpus(SEEDS)
    assert isinstance(corpus._records, RawRecords)
    usual = _usual(monkeypatch, SEEDS)
    assert not isinstance(usual._records, RawRecords)
    assert _event_view(corpus) == _event_view(usual)
    assert [(p.location, p.message, p.severity) for p in corpus.problems] == \
        [(p.location, p.message, p.severity) for p in usual.problems]
    assert {a: list(v) for a, v in corpus._by_actor.items()} == {a: list(v) for a, v in usual._by_actor.items()}
    assert corpus.types == usual.types


def test_generated_corpus_opens_raw_like_the_usual_load(monkeypatch, tmp_path):
    folder = tmp_path / "corpus"
    generate_corpus(2_000, folder, seed=11)
    corpus = load_corpus(folder)
    usual = _usual(monkeypatch, folder)
    assert isinstance(corpus._records, RawRecords)
    assert _event_view(corpus) == _event_view(usual)
    assert [(p.location, p.message) for p in corpus.problems] == [(p.location, p.message) for p in usual.problems]


@pytest.mark.parametrize("change, where", [
    (lambda e: e.update(title=5), "events[0]"),
    (lambda e: e.update(titel="typo"), "events[0]"),
    (lambda e: e.update(confidence=2), "events[0]"),
    (lambda e: e["quotes"][0].update(exact=7), "events[0]"),
    (lambda e: e.update(actors=["nobody"]), "events[0].actors[0]"),
    (lambda e: e.update(date="2019-02-30"), "events[0].date"),
    (lambda e: e.update(date=20190718), "events[0].date"),  # the keys themselves do not decode
    (lambda e: e.update(actors="x"), "events[0].actors"),
])
def test_a_bad_record_gives_the_usual_located_problems(monkeypatch, make_corpus, change, where):
    data = base_corpus()
    change(data["events"][0])
    folder = make_corpus(data)
    problems = load_problems(folder)
    assert any(where in p.location for p in problems), [p.location for p in problems]
    usual = _usual(monkeypatch, folder)
    assert [(p.location, p.line, p.message) for p in problems] == [(p.location, p.line, p.message) for p in usual]


def test_invalid_utf8_inside_a_record_is_found(make_corpus):
    # The raw decoding skips the quote's text; the full check does not.
    text = make_corpus().joinpath("corpus.json").read_bytes().replace(b'"hello world"', b'"hello \xe9world"')
    problems = load_problems(make_corpus(text))
    assert [p.code for p in problems] == ["encoding"]
    assert "not UTF-8" in problems[0].message


def test_warnings_alone_keep_the_raw_load(monkeypatch, make_corpus):
    data = base_corpus()
    data["events"][0]["date"] = "2019-07~"  # qualified, with no date_note: a warning
    folder = make_corpus(data)
    corpus = load_corpus(folder)
    assert isinstance(corpus._records, RawRecords)
    assert [p.code for p in corpus.problems if p.severity == "warning"] == ["date-note"]
    usual = _usual(monkeypatch, folder)
    assert [(p.location, p.message) for p in corpus.problems] == [(p.location, p.message) for p in usual.problems]


def test_raw_records_decode_alike_one_by_one_in_chunks_and_slices(monkeypatch):
    corpus = load_corpus(SEEDS)
    records = corpus._records
    monkeypatch.setattr(loader, "_CHUNK", 3)
    one_by_one = [records[i] for i in range(len(records))]
    assert list(records) == one_by_one
    assert records[2:7] == one_by_one[2:7]
    assert [r.id for r in one_by_one] == [e.id for e in corpus.events]


@pytest.mark.parametrize("told", [None, -5, +5], ids=["same size", "file grew", "file shrank"])
def test_large_files_are_read_whole_in_place(make_corpus, monkeypatch, told):
    """A file larger than one chunk is read into one buffer; a size that changes
    while it is read (an editor still writing it) still gives every byte there is."""
    folder = make_corpus()
    file = folder / "corpus.json"
    expected = file.read_bytes()
    if told is not None:
        real = os.fstat

        def fstat(fd):
            st = real(fd)
            return os.stat_result((*st[:6], st.st_size + told, *st[7:]))

        monkeypatch.setattr(os, "fstat", fstat)
    seen = []
    data = loader.read_file(file, lambda phase, fraction: seen.append((phase, fraction)), chunk=64)
    assert bytes(data) == expected
    assert seen and all(phase == "reading" for phase, _ in seen)
    assert [f for _, f in seen] == sorted(f for _, f in seen)


def test_a_file_read_ahead_is_loaded_from_the_bytes_read(make_corpus, monkeypatch):
    folder = make_corpus()
    file = folder / "corpus.json"
    ahead = loader.ReadAhead(file)
    ahead._thread.join()
    file.write_bytes(b"{not json")  # changed after it was read: the load uses what was read
    read_again = []
    monkeypatch.setattr(loader, "read_file", lambda *args, **kwargs: read_again.append(args) or b"")
    corpus = load_corpus(folder, read_ahead=ahead)
    assert [e.id for e in corpus.events] == ["e1"]
    assert read_again == []
    with pytest.raises(OSError):
        ahead.take()  # taken once: the loader holds the only reference


def test_a_file_read_ahead_that_cannot_be_read_is_a_located_problem(make_corpus, monkeypatch):
    import errno

    def fail(file, progress=None, chunk=0):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(loader, "read_file", fail)
    folder = make_corpus()
    ahead = loader.ReadAhead(folder / "corpus.json")
    with pytest.raises(CorpusError) as caught:
        load_corpus(folder, read_ahead=ahead)
    [problem] = caught.value.problems
    assert problem.message == "cannot be read: Input/output error" and problem.code == "io"


def test_a_read_ahead_of_another_file_is_not_used(make_corpus):
    one, other = make_corpus(), make_corpus()
    ahead = loader.ReadAhead(other / "corpus.json")
    corpus = load_corpus(one, read_ahead=ahead)
    assert corpus.file == one / "corpus.json"
    assert bytes(ahead.take()) == (other / "corpus.json").read_bytes()  # still there for its own file



def test_keys_decoded_chunk_by_chunk_give_the_same_corpus(monkeypatch, tmp_path):
    folder = tmp_path / "corpus"
    generate_corpus(1_000, folder, seed=3)
    whole = load_corpus(folder)
    monkeypatch.setattr(loader, "_KEYS_CHUNK", 7)  # 143 chunks, the last one short
    monkeypatch.setattr(loader, "_KEYS_PROGRESS", 70)
    told = []
    chunked = load_corpus(folder, progress=lambda phase, fraction: told.append((phase, fraction)))
    assert isinstance(chunked._records, RawRecords)
    assert _event_view(chunked) == _event_view(whole)
    assert {a: list(v) for a, v in chunked._by_actor.items()} == {a: list(v) for a, v in whole._by_actor.items()}
    fractions = [f for phase, f in told if phase == "decoding" and f is not None]
    assert fractions and fractions == sorted(fractions) and fractions[-1] < 1
