"""Opening in the app (a progress screen while a large corpus is compiled, a table read, an engine
asked), the compiled cache seen from the app, and reloading (`r`): what a user sees and what state
the app keeps."""

from __future__ import annotations

import gc
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from app_support import wait_for
from textual.app import App
from textual.widgets import ProgressBar, Static

from tui.app import app as app_module
from tui.app.app import TimelineApp
from tui.app.screens.dialogs import ProblemsScreen
from tui.app.screens.loading import LoadingScreen
from tui.app.widgets.timeline import TimelineView
from tui.model import load_corpus
from tui.model.corpus import Query
from tui.model.errors import CorpusError, UsageError
from tui.model.opening import Plan, Source

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


def compiled(folder: Path) -> Plan:
    """The plan of a large corpus, for a small one: it takes the engine's path, as a large one does."""
    return Plan(Source(str(folder)), "large-corpus", str(folder), folder, folder / "corpus.json")


def main_shown(app: TimelineApp) -> bool:
    return app.store is not None and bool(app.screen.query("#header-bar"))


async def test_a_large_corpus_opens_behind_a_progress_screen_then_answers_from_the_engine(seeds_copy):
    app = TimelineApp(compiled(seeds_copy))
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, LoadingScreen) or main_shown(app)
        await wait_for(pilot, lambda: main_shown(app))
        assert app.store.kind == "sql"
        assert "22 of 22 events" in header(app)
        await wait_for(pilot, lambda: app.focused is app.query_one(TimelineView))  # ready for keys
        # Its quotes are checked after the first screen, as a large corpus's are.
        await wait_for(pilot, lambda: app.store.verified)
        await pilot.pause()
        assert "checking" not in header(app) and not app.store.unanchored
        assert app.current_event.quotes[0].context() is not None
        await pilot.press("a")
        await pilot.press(*"qatar", "down", "space")
        await wait_for(pilot, lambda: "4 of 22 events" in header(app))


class LoadingOnly(App):
    def on_mount(self) -> None:
        self.push_screen(LoadingScreen("big/corpus.json"))


async def test_loading_screen_shows_phase_and_fraction():
    app = LoadingOnly()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.show_progress("reading", 0.42)
        await pilot.pause()
        assert screen.query_one(ProgressBar).percentage == pytest.approx(0.42)
        assert "Reading" in str(screen.query_one("#loading-phase", Static).render())
        screen.show_progress("compiling", None)
        assert screen.query_one(ProgressBar).total is None  # indeterminate, not a made-up figure


async def test_q_quits_while_opening(monkeypatch, seeds_copy):
    # An opening that does not finish until the test lets it (a huge file, a slow engine).
    release = threading.Event()

    def slow_open(plan, progress=None, **kwargs):
        progress("reading", 0.1)
        release.wait(30)
        raise CorpusError([])

    monkeypatch.setattr(app_module, "open_store", slow_open)
    app = TimelineApp(compiled(seeds_copy))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause(0.2)
            assert isinstance(app.screen, LoadingScreen)
            assert app.screen.query_one(ProgressBar).percentage == pytest.approx(0.1)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0  # quit at once, the opening still at work in its daemon thread
        assert app.store is None and not app.load_problems
    finally:
        release.set()


async def test_a_broken_large_corpus_exits_1_with_located_problems(make_corpus):
    folder = make_corpus(b'{"format": "timeline-corpus/1", "title": "x", "events": [}')
    app = TimelineApp(compiled(folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.load_problems)
    assert app.return_code == 1
    problem = app.load_problems[0]
    assert problem.file.endswith("corpus.json") and problem.line == 1


async def test_a_large_corpus_with_a_bad_record_is_explained_as_check_explains_it(seeds_copy):
    file = seeds_copy / "corpus.json"
    data = json.loads(file.read_text(encoding="utf-8"))
    data["events"][3]["actors"] = ["atlantis"]
    file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    app = TimelineApp(compiled(seeds_copy))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.load_problems)
    assert app.return_code == 1
    assert any(p.location.startswith("events[3].actors[0]") and "atlantis" in p.message and p.line
               for p in app.load_problems)


async def test_a_command_line_mistake_found_after_opening_exits_2(seeds_copy):
    def make_query(store):
        raise UsageError("--actor: no actor 'atlantis'")

    app = TimelineApp(compiled(seeds_copy), make_query=make_query)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.usage_message)
    assert app.return_code == 2
    assert app.usage_message == "--actor: no actor 'atlantis'"


async def test_filters_from_the_command_line_apply_after_opening(seeds_copy):
    app = TimelineApp(compiled(seeds_copy), make_query=lambda store: Query(frozenset({"qatar"})),
                      event_id="qatar-withdraws-july-18", find="withdraw")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(app))
        await wait_for(pilot, lambda: "4 of 22 events" in header(app) and "withdraw”: 1 match" in header(app))
        assert app.current_event.id == "qatar-withdraws-july-18"


async def test_a_compiled_corpus_reopens_from_its_cache_and_keeps_its_verdict(seeds_copy):
    from tui.model.engine.largefile import cache_folder

    app = TimelineApp(compiled(seeds_copy))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(app) and app.store.verified)
        await wait_for(pilot, lambda: (cache_folder(seeds_copy / "corpus.json") / "verdict.json").exists())
    again = TimelineApp(compiled(seeds_copy))
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(again))
        assert again.store.compiled is not None and again.store.verified  # no check needed: the cache says
        assert "22 of 22 events" in header(again)


async def test_a_cache_whose_source_changed_behind_its_back_is_not_trusted(seeds_copy):
    """Same size, same modification time, different content: the background hash check catches it."""
    from tui.model.engine.largefile import cache_folder

    file = seeds_copy / "corpus.json"
    app = TimelineApp(compiled(seeds_copy))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(app))
        await wait_for(pilot, lambda: (cache_folder(file) / "meta.json").exists())
    stat = file.stat()
    text = file.read_text(encoding="utf-8")
    changed = text.replace("Qatar withdraws from the July 12 letter", "Qatar Withdraws from the July 12 letter")
    assert changed != text and len(changed.encode()) == len(text.encode())
    file.write_text(changed, encoding="utf-8")
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    checked = []  # the store the hash check was asked about: the one opened from the cache

    def titles(store) -> list[str]:
        return [store.event(p).title for p in range(len(store))]

    again = TimelineApp(compiled(seeds_copy))
    check = again._check_compiled_source

    def watched() -> None:
        checked.append(again.store)
        check()

    again._check_compiled_source = watched
    async with again.run_test(size=(120, 40)) as pilot:
        # The check runs in a worker and a small file hashes at once: the reload may be done before
        # the first screen is looked at, so the test goes by what was checked, not by timing.
        await wait_for(pilot, lambda: bool(checked))
        first = checked[0]
        assert first.compiled is not None  # size and time match: it opens from the cache...
        assert not any("Qatar Withdraws" in t for t in titles(first))
        # ...and the hash check finds the change, drops the cache and compiles the file again.
        await wait_for(pilot, lambda: again.store is not first and main_shown(again))
        assert any("Qatar Withdraws" in t for t in titles(again.store))


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
        old = app.store
        await pilot.press("r")
        await wait_for(pilot, lambda: app.store is not old and main_shown(app))
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
        good = app.store
        file.write_text(file.read_text(encoding="utf-8").replace('"title"', '"titel"', 3), encoding="utf-8")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        assert app.store is good
        assert app.reload_problems and all(p.file.endswith("corpus.json") for p in app.reload_problems)
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_event.id == "july-12-letter"
        assert "22 of 22 events" in header(app)
        await pilot.press("p")  # the problems stay one key away
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert app.screen.problems == app.reload_problems


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


async def test_an_engine_that_fails_mid_session_keeps_the_last_screen_and_says_why(seeds_copy, monkeypatch):
    app = TimelineApp(compiled(seeds_copy))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(app))
        await wait_for(pilot, lambda: "22 of 22 events" in header(app))
        before = app.current_event.id

        def broken(query, **kwargs):
            raise RuntimeError("Connection to the engine lost: password=hunter2 at db.example")

        monkeypatch.setattr(app.store, "select", broken)
        app.query_state = Query(frozenset({"qatar"}))
        app.refresh_view()
        await wait_for(pilot, lambda: any("could not answer" in n.message for n in app._notifications))
        assert app.current_event.id == before and "22 of 22 events" in header(app)
        assert not any("hunter2" in n.message for n in app._notifications)
