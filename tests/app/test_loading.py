"""Loading in the app (progress screen), the background indexer, the compiled
cache seen from the app, and reloading (`r`): what a user sees and what state
the app keeps."""

from __future__ import annotations

import gc
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from app_support import first_events_shown, wait_for
from textual.app import App
from textual.widgets import ProgressBar, Static

from tui.app import background
from tui.app.app import TimelineApp
from tui.app.background import LoadingScreen
from tui.app.screens.dialogs import ProblemsScreen
from tui.app.widgets.timeline import TimelineView
from tui.model import load_corpus
from tui.model.cache import cache_path, open_cached, source_meta, write_cache
from tui.model.corpus import Query
from tui.model.errors import CorpusError, UsageError

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def header(app: TimelineApp) -> str:
    return str(app.query_one("#header-bar", Static).render())


@pytest.fixture
def seeds_copy(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    return folder


def main_shown(app: TimelineApp) -> bool:
    return app.corpus is not None and bool(app.screen.query("#header-bar"))


async def test_a_corpus_loaded_in_the_app_shows_progress_then_the_chronology():
    app = TimelineApp(None, source=SEEDS / "corpus.json")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, LoadingScreen) or main_shown(app)
        await wait_for(pilot, lambda: main_shown(app))
        assert "22 of 22 events" in header(app)
        assert app.corpus.verified  # small: checked before it was shown
        await wait_for(pilot, lambda: app.focused is app.query_one(TimelineView))  # ready for keys


class LoadingOnly(App):
    def on_mount(self) -> None:
        self.push_screen(LoadingScreen(Path("big/corpus.json")))


async def test_loading_screen_shows_phase_and_fraction():
    app = LoadingOnly()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.show_progress("reading", 0.42)
        await pilot.pause()
        assert screen.query_one(ProgressBar).percentage == pytest.approx(0.42)
        assert "Reading the corpus file" in str(screen.query_one("#loading-phase", Static).render())
        screen.show_progress("decoding", None)
        assert screen.query_one(ProgressBar).total is None  # indeterminate, not a made-up figure


async def test_q_quits_while_loading(monkeypatch):
    # A load that does not finish until the test lets it (a huge file on a slow disk).
    release = threading.Event()

    def slow_load(source, **kwargs):
        kwargs["progress"]("reading", 0.1)
        release.wait(30)
        raise CorpusError([])

    monkeypatch.setattr(background, "load_corpus", slow_load)
    app = TimelineApp(None, source=SEEDS / "corpus.json")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause(0.2)
            assert isinstance(app.screen, LoadingScreen)
            assert app.screen.query_one(ProgressBar).percentage == pytest.approx(0.1)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0  # quit at once, the loader still at work in its daemon thread
        assert app.corpus is None and not app.load_problems
    finally:
        release.set()


async def test_a_broken_corpus_loaded_in_the_app_exits_1_with_located_problems(make_corpus):
    folder = make_corpus(b'{"format": "timeline-corpus/1", "title": "x", "events": [}')
    app = TimelineApp(None, source=folder / "corpus.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.load_problems)
    assert app.return_code == 1
    problem = app.load_problems[0]
    assert problem.file.endswith("corpus.json") and problem.line == 1


async def test_a_command_line_mistake_found_after_loading_exits_2():
    def make_query(corpus):
        raise UsageError("--actor: no actor 'atlantis'")

    app = TimelineApp(None, source=SEEDS / "corpus.json", make_query=make_query)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.usage_message)
    assert app.return_code == 2
    assert app.usage_message == "--actor: no actor 'atlantis'"


async def test_filters_from_the_command_line_apply_after_loading():
    app = TimelineApp(None, source=SEEDS / "corpus.json",
                      make_query=lambda corpus: Query(frozenset({"qatar"})), event_id="qatar-withdraws-july-18")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(app))
        await pilot.pause()
        assert "4 of 22 events" in header(app)
        assert app.current_event.id == "qatar-withdraws-july-18"


async def test_an_unverified_corpus_is_checked_by_the_indexer_process_and_adopts_its_cache(seeds_copy):
    corpus = load_corpus(seeds_copy, allow_unanchored=True, verify=False)
    app = TimelineApp(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        assert not corpus.verified
        assert app._indexer is not None  # another process, on the other core
        await wait_for(pilot, lambda: corpus.verified)
        await pilot.pause()
        assert corpus._cache is not None  # the records now come from the mapped cache
        assert "indexing" not in header(app) and "checking" not in header(app)
        assert app.current_event.quotes[0].context() is not None
    assert cache_path(seeds_copy / "corpus.json").exists()
    reopened = open_cached(seeds_copy, seeds_copy / "corpus.json")
    assert reopened is not None and reopened.verified and len(reopened.events) == 22


async def test_reload_keeps_filters_search_and_selection_and_shows_the_change(seeds_copy):
    file = seeds_copy / "corpus.json"
    app = TimelineApp(load_corpus(seeds_copy), query=Query(frozenset({"qatar"})), find="withdraw",
                      event_id="qatar-withdraws-july-18")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        data = json.loads(file.read_text(encoding="utf-8"))
        event = next(e for e in data["events"] if e["id"] == "qatar-withdraws-july-18")
        event["title"] = "Qatar withdraws its signature (edited)"
        file.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        old = app.corpus
        await pilot.press("r")
        await wait_for(pilot, lambda: app.corpus is not old and main_shown(app))
        await pilot.pause()
        assert app.query_state.actors == {"qatar"}
        assert app.find_text == "withdraw"
        assert app.current_event.id == "qatar-withdraws-july-18"
        assert app.current_event.title == "Qatar withdraws its signature (edited)"
        assert "4 of 22 events" in header(app)


async def test_reload_of_a_broken_corpus_keeps_the_last_good_state(seeds_copy):
    file = seeds_copy / "corpus.json"
    app = TimelineApp(load_corpus(seeds_copy), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        good = app.corpus
        file.write_text(file.read_text(encoding="utf-8").replace('"title"', '"titel"', 3), encoding="utf-8")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        assert app.corpus is good
        assert app.reload_problems and all(p.file.endswith("corpus.json") for p in app.reload_problems)
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_event.id == "july-12-letter"
        assert "22 of 22 events" in header(app)
        await pilot.press("p")  # the problems stay one key away
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert app.screen.problems == app.reload_problems


async def test_a_cache_whose_source_changed_behind_its_back_is_not_trusted(seeds_copy):
    """Same size, same modification time, different content: the background hash check catches it."""
    file = seeds_copy / "corpus.json"
    corpus = load_corpus(seeds_copy)
    corpus.search_index()
    write_cache(corpus, source_meta(file))
    stat = file.stat()
    text = file.read_text(encoding="utf-8")
    changed = text.replace("Qatar withdraws from the July 12 letter", "Qatar Withdraws from the July 12 letter")
    assert changed != text and len(changed.encode()) == len(text.encode())
    file.write_text(changed, encoding="utf-8")
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    cached = open_cached(seeds_copy, file)
    assert cached is not None  # size and time match: it opens from the cache...
    app = TimelineApp(cached)
    async with app.run_test(size=(120, 40)) as pilot:
        # ...and the hash check finds the change, drops the cache and reloads from the JSON.
        await wait_for(pilot, lambda: app.corpus is not cached and main_shown(app))
        assert any("Qatar Withdraws" in e.title for e in app.corpus.events)
        assert app.corpus._cache is None


async def test_a_cached_corpus_whose_documents_changed_is_checked_again(seeds_copy):
    """The command line opens a cache without looking at the documents; the app looks in the background."""
    file = seeds_copy / "corpus.json"
    corpus = load_corpus(seeds_copy)
    write_cache(corpus, source_meta(file))
    doc = next(seeds_copy.glob("*.txt"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    cached = open_cached(seeds_copy, file, check_documents=False)
    assert cached is not None and cached.verified
    app = TimelineApp(cached)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.corpus is not cached and main_shown(app))
        assert app.corpus.verified and app.corpus._cache is None  # checked again, from the files
    assert open_cached(seeds_copy, file) is None or not open_cached(seeds_copy, file).verified


async def test_the_collector_paused_for_start_up_resumes_after_the_first_screen():
    gc.disable()
    try:
        app = TimelineApp(load_corpus(SEEDS), resume_gc_after_start=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, gc.isenabled)
            assert gc.get_freeze_count() > 0  # what start-up made is out of the collector's way
    finally:
        gc.unfreeze()
        gc.enable()


def preview_rows(app: TimelineApp) -> list[str]:
    view = app.screen.query_one("#loading-preview", TimelineView)
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_the_first_events_show_while_the_rest_loads(held_loads, seeds_copy):
    app = TimelineApp(None, source=seeds_copy / "corpus.json", preview=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: first_events_shown(app))
        assert app.corpus is None  # still loading
        rows = preview_rows(app)
        first = load_corpus(seeds_copy).events
        # The timeline's own rows: the headings (first that of the open start, "in the past"), then the
        # first events in order.
        assert rows[0].strip() == "Open start" and rows[2].strip() == "2017"
        titles = [e.title for e in first]
        shown = [next(t for t in titles if t[:30] in row) for row in rows if any(t[:30] in row for t in titles)]
        assert shown == titles[:len(shown)] and len(shown) >= 10
        assert app.focused is None or not isinstance(app.focused, TimelineView)  # nothing to do with them yet
        await pilot.press("j", "enter", "o")  # keys meant for the timeline do nothing here
        assert isinstance(app.screen, LoadingScreen)
        held_loads.set()
        await wait_for(pilot, lambda: main_shown(app))
        assert app.current_event.id == first[0].id
        assert not app.screen.query("#loading-preview")


async def test_no_first_events_when_the_first_screen_is_another_view(held_loads):
    app = TimelineApp(None, source=SEEDS / "corpus.json", make_query=lambda corpus: Query(frozenset({"qatar"})))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        assert isinstance(app.screen, LoadingScreen)
        assert not app.screen.query("#loading-preview")
        held_loads.set()
        await wait_for(pilot, lambda: main_shown(app))
        assert "4 of 22 events" in header(app)


async def test_a_corpus_that_fails_after_its_first_events_showed_exits_with_its_problems(monkeypatch, make_corpus):
    # The first events are fine; the last one names an actor nobody declared.
    from tui.model import loader

    monkeypatch.setattr(loader, "PREVIEW_EVENTS", 5)
    last = load_corpus(SEEDS).events[-1].id
    data = json.loads((SEEDS / "corpus.json").read_text(encoding="utf-8"))
    next(e for e in data["events"] if e["id"] == last)["actors"] = ["atlantis"]
    folder = make_corpus(data, docs={p.name: p.read_bytes() for p in SEEDS.glob("*.txt")})
    shown = []
    real = LoadingScreen.show_preview
    monkeypatch.setattr(LoadingScreen, "show_preview", lambda self, *a: (shown.append(True), real(self, *a)))
    app = TimelineApp(None, source=folder / "corpus.json", preview=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.load_problems)
    assert shown  # the first events were on screen for a moment...
    assert app.return_code == 1  # ...and the corpus still does not open
    assert any("unknown actor 'atlantis'" in p.message for p in app.load_problems)


async def test_clicks_in_the_first_events_open_nothing_before_the_corpus_is_loaded(held_loads, seeds_copy):
    app = TimelineApp(None, source=seeds_copy / "corpus.json", preview=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: first_events_shown(app))
        view = app.screen.query_one("#loading-preview", TimelineView)
        # An event row (Amnesty's, 2018), below the open start's, 2017's and 2018's headings.
        await pilot.click("#loading-preview", offset=(10, 6))
        await pilot.click("#loading-preview", offset=(10, 6), times=2)
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen) and app.current_event is None
        assert view.cursor_row == 6  # the click did reach the rows
        held_loads.set()
        await wait_for(pilot, lambda: main_shown(app))
        assert app.current_event.id == load_corpus(seeds_copy).events[0].id
