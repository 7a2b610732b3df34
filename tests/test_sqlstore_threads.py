"""A SQL store's sets and matches are read by the interface's thread while workers learn more of them
(pages, counts): what one thread reads is whole whatever another is adding at that moment."""

from __future__ import annotations

import inspect
import sys
import threading

import pytest
from model_support import SEEDS

from tui.model.corpus import Query
from tui.model.loader import load_corpus

pytest.importorskip("ibis", reason="the SQL store needs the engine dependencies (ibis, duckdb)")

from tui.model.engine import sqlstore  # noqa: E402
from tui.model.engine.compile import corpus_store  # noqa: E402


@pytest.fixture(scope="module")
def store():
    made = corpus_store(load_corpus(SEEDS))
    yield made
    made.close()


def _line_of(function, text: str) -> int:
    """The line number of the first line of ``function`` containing ``text``."""
    lines, first = inspect.getsourcelines(function)
    return first + next(i for i, line in enumerate(lines) if text in line)


def _pausing_at(code, line: int, meanwhile):
    """A trace function that runs ``meanwhile()`` (in another thread, waited for) the first time ``code``
    reaches ``line``: another thread doing its work at exactly that moment."""
    done = []

    def trace(frame, event, arg):
        if frame.f_code is not code:
            return None if event == "call" else trace
        if event == "line" and frame.f_lineno == line and not done:
            done.append(True)
            other = threading.Thread(target=meanwhile)
            other.start()
            other.join()
        return trace

    return trace


def test_a_set_being_prepared_by_one_thread_has_a_length_in_another(store, monkeypatch):
    """A set kept by the store is shared by the workers that ask for its query: one preparing it while
    another asks its length gets a number, never None."""
    monkeypatch.setattr(store, "_sets", type(store._sets)())
    events = store.select(Query(), prepare=False)
    seen: list = []

    def other_thread_asks() -> None:
        try:
            seen.append(len(store.select(Query(), prepare=False)))
        except Exception as exc:  # noqa: BLE001 - what the other worker would meet
            seen.append(exc)

    line = _line_of(sqlstore.SqlEventSet.prepare, "self._count =")
    sys.settrace(_pausing_at(sqlstore.SqlEventSet.prepare.__code__, line, other_thread_asks))
    try:
        events.prepare()
    finally:
        sys.settrace(None)
    assert seen == [len(store)]


def test_membership_of_a_large_search_while_a_page_of_it_is_learnt(store, monkeypatch):
    """The timeline asks (in the interface's thread) whether each row on screen matches while a worker
    learns which events of another page match (``fetch_between``): no 'dictionary changed size'."""
    monkeypatch.setattr(sqlstore, "FIRST_MATCHES", 1)
    matches = store.select(Query()).search("letter", counted=False)
    assert matches is not None and not matches.counted
    matches.fetch_between(matches.first() + 1, len(store) - 1)  # a page on screen
    errors: list = []

    def worker_learns_a_page() -> None:
        matches._pages[-100] = frozenset()  # as ``fetch_between`` keeps one

    line = _line_of(sqlstore.SqlMatches.__contains__, "if position in found")
    sys.settrace(_pausing_at(sqlstore.SqlMatches.__contains__.__code__, line, worker_learns_a_page))
    try:
        -1 in matches  # noqa: B015 - a row drawn
    except RuntimeError as exc:
        errors.append(exc)
    finally:
        sys.settrace(None)
    assert not errors


def test_index_of_in_a_set_while_a_page_of_it_is_fetched(store, monkeypatch):
    """``index_of`` (the jump worker) while the rows worker keeps a new page of the same set."""
    monkeypatch.setattr(store, "_sets", type(store._sets)())
    actor = sorted(store.actors)[0]
    events = store.select(Query(frozenset({actor})))
    events.positions(0, 1)
    assert events._pages
    errors: list = []

    def rows_worker_keeps_a_page() -> None:
        events._pages[10_000] = []

    line = _line_of(sqlstore.SqlEventSet.index_of, "if page and page[0] <= position")
    sys.settrace(_pausing_at(sqlstore.SqlEventSet.index_of.__code__, line, rows_worker_keeps_a_page))
    try:
        events.index_of(len(store) + 5)
    except RuntimeError as exc:
        errors.append(exc)
    finally:
        sys.settrace(None)
    assert not errors


def test_what_a_store_has_learnt_answers_now_and_the_rest_is_left_to_the_engine(store):
    actor = sorted(store.actors)[0]
    fresh = Query(frozenset({actor}), text="answer-now")
    store._sets.pop(fresh, None)
    asked = []

    def view(query):
        events = store.select(query)
        return len(events), list(events.positions(0, 10))

    known, answer = store.answer_now(lambda: view(fresh))  # never asked: the engine is needed
    assert (known, answer) == (False, None)
    expected = view(fresh)  # asked of the engine (the thread that asked answer_now is not kept offline)
    run = store._run
    store._run = lambda expr: asked.append(expr) or run(expr)
    try:
        assert store.answer_now(lambda: view(fresh)) == (True, expected)  # learnt: answered without it
        assert not asked
        # another thread asking the engine meanwhile is not held to what this one asked
        started, go = threading.Event(), threading.Event()
        answers = []

        def other():
            started.set()
            go.wait(5)
            answers.append(len(store.select(Query(frozenset({actor}), text="another thread"))))

        thread = threading.Thread(target=other)
        thread.start()
        started.wait(5)

        def slow_known():
            go.set()
            thread.join(5)
            return view(fresh)

        assert store.answer_now(slow_known) == (True, expected)
        assert answers and asked  # the other thread asked the engine while this one was offline
    finally:
        store._run = run
