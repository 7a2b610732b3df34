"""Another tool's file in the app (TimelineJS, an event table): it opens as it is, and `r` reads it again."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from app_support import wait_for
from textual.widgets import Static

from tui.app.app import TimelineApp
from tui.model.opening import Source, open_source, plan

ROOT = Path(__file__).resolve().parents[2]
ERAS = ROOT / "tests" / "data" / "timelinejs" / "eras.json"
ACLED = ROOT / "tests" / "data" / "csv" / "acled-sample.csv"


def main_shown(app: TimelineApp) -> bool:
    return app.store is not None and bool(app.screen.query("#header-bar"))


async def ready_to_search(pilot, app):
    """Wait until the table is compiled and the timeline has the keys; the header, the timeline, and the
    positions of the events of Ríoverde (the search of these tests: two events, not the first)."""
    from tui.app.widgets.timeline import TimelineView

    await wait_for(pilot, lambda: main_shown(app) and app.store.completion is None)  # compiled
    header = app.query_one("#header-bar", Static)
    timeline = app.query_one(TimelineView)
    await wait_for(pilot, lambda: app.focused is timeline and "indexing" not in str(header.render()))
    every = [p for p in range(len(app.store)) if "Ríoverde" in app.store.event(p).summary]
    return header, timeline, every


def titles(app: TimelineApp) -> list[str]:
    return [app.store.event(p).title for p in range(len(app.store))]


async def test_a_timelinejs_file_opens_and_reloads_from_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    file = tmp_path / "timeline.json"
    shutil.copy(ERAS, file)
    app = TimelineApp(plan(Source(str(file))))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(app))
        assert app.store.origin == file
        assert "20 of 20 events" in str(app.query_one("#header-bar", Static).render())
        data = json.loads(file.read_text(encoding="utf-8"))
        data["events"].append({"start_date": {"year": "699"}, "text": {"headline": "Added in TimelineJS"}})
        file.write_text(json.dumps(data), encoding="utf-8")
        old = app.store
        await pilot.press("r")
        await wait_for(pilot, lambda: app.store is not old and main_shown(app))
        await pilot.pause()
        assert app.store.origin == file
        assert "Added in TimelineJS" in titles(app)
        assert "21 of 21 events" in str(app.query_one("#header-bar", Static).render())


async def test_an_opened_timelinejs_corpus_keeps_its_origin_through_a_reload(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    file = tmp_path / "timeline.json"
    shutil.copy(ERAS, file)
    app = TimelineApp(open_source(Source(str(file))))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        data = json.loads(file.read_text(encoding="utf-8"))
        data["events"][0]["text"]["headline"] = "Edited headline"
        file.write_text(json.dumps(data), encoding="utf-8")
        old = app.store
        await pilot.press("r")
        await wait_for(pilot, lambda: app.store is not old and main_shown(app))
        assert "Edited headline" in titles(app)
        assert app.store.origin == file


async def test_a_table_opens_in_place_and_reloads_from_the_table(tmp_path):
    table = tmp_path / "acled.csv"
    shutil.copy(ACLED, table)
    with open(table, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    app = TimelineApp(plan(Source(str(table))))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(app))
        n = len(rows) - 1
        assert app.store.origin == table and app.store.kind == "sql"
        await wait_for(pilot, lambda: f"{n} of {n} events" in str(app.query_one("#header-bar", Static).render()))
        notes = rows[0].index("notes")
        added = [*rows[1]]
        added[0], added[notes] = "XYZ9999", "On 19 July 2019, a row added since marched."
        with open(table, "a", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(added)
        old = app.store
        await pilot.press("r")
        await wait_for(pilot, lambda: app.store is not old and main_shown(app))
        await pilot.pause()
        assert app.store.origin == table
        assert "a row added since marched" in app.store.event(app.store.position_of("XYZ9999")).summary
        await wait_for(pilot, lambda: f"{n + 1} of {n + 1} events" in str(app.query_one("#header-bar", Static).render()))


async def test_a_table_answers_while_it_compiles_and_says_so(tmp_path, monkeypatch):
    import threading

    from tui.model.engine import tables

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    table = tmp_path / "acled.csv"
    shutil.copy(ACLED, table)
    release = threading.Event()
    finish = tables._Finishing.run

    def held(self) -> None:  # the compile's second step waits until the test has looked
        release.wait(30)
        finish(self)

    monkeypatch.setattr(tables._Finishing, "run", held)
    app = TimelineApp(plan(Source(str(table))))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: main_shown(app))
        header = app.query_one("#header-bar", Static)
        await wait_for(pilot, lambda: "indexing" in str(header.render()))
        assert app.store.compiled is None
        await pilot.press("slash", *"journalist", "enter")  # a search, answered by the view meanwhile
        await wait_for(pilot, lambda: "search “journalist”: 1 match" in str(header.render()))
        assert not list((tmp_path / "cache" / "tables").glob("[!.]*.duckdb"))
        release.set()
        await wait_for(pilot, lambda: "indexing" not in str(header.render()))
        assert app.store.compiled is not None and app.store.compiled_path.is_file()
        assert app.store.compiled_path.parent == tmp_path / "cache" / "tables"
        await pilot.press("escape", "slash", *"rioverde", "enter")  # and by the compiled table after
        await wait_for(pilot, lambda: "search “rioverde”: 2 matches" in str(header.render()))


async def test_a_large_search_on_a_table_shows_its_first_matches_before_it_is_counted(tmp_path, monkeypatch):
    import threading


    from tui.model.engine import sqlstore

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(sqlstore, "FIRST_MATCHES", 1)  # more than one match: the first comes first
    table = tmp_path / "acled.csv"
    shutil.copy(ACLED, table)
    release = threading.Event()
    count = sqlstore.SqlMatches.count

    def held(self) -> int:  # the engine's count of every match waits until the test has looked
        release.wait(30)
        return count(self)

    monkeypatch.setattr(sqlstore.SqlMatches, "count", held)
    app = TimelineApp(plan(Source(str(table))))
    async with app.run_test(size=(120, 40)) as pilot:
        header, timeline, every = await ready_to_search(pilot, app)
        assert len(every) == 2 and every[0] > 0  # the cursor, on the first event, has to move to it
        await pilot.press("slash", *"rioverde", "enter")
        await wait_for(pilot, lambda: "search “rioverde”: 1+ matches, counting…" in str(header.render()))
        await wait_for(pilot, lambda: timeline.current_event is not None and timeline.current_event.position == every[0])
        assert not app.matches.counted
        release.set()
        await wait_for(pilot, lambda: "search “rioverde”: 2 matches" in str(header.render()))
        await pilot.press("n")  # the next match, from those the engine holds now
        await wait_for(pilot, lambda: timeline.current_event.position == every[1])


async def _table_app_with_a_held_count(tmp_path, monkeypatch):
    """A table's app whose engine counts a search's matches only once the test releases it (the first of
    them known at once: FIRST_MATCHES is 1), and the two events matching “rioverde”."""
    import threading

    from tui.model.engine import sqlstore

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(sqlstore, "FIRST_MATCHES", 1)
    table = tmp_path / "acled.csv"
    shutil.copy(ACLED, table)
    release = threading.Event()
    count = sqlstore.SqlMatches.count

    def held(self) -> int:
        release.wait(30)
        return count(self)

    monkeypatch.setattr(sqlstore.SqlMatches, "count", held)
    return TimelineApp(plan(Source(str(table)))), release


async def test_a_search_keeps_the_cursor_on_a_matching_event_while_it_is_counted(tmp_path, monkeypatch):
    """The search moves the cursor to the match at or after it: an event under the cursor that matches, but
    is not among the first matches known, stays selected (it must not skip to the next one)."""

    app, release = await _table_app_with_a_held_count(tmp_path, monkeypatch)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            header, timeline, every = await ready_to_search(pilot, app)
            assert len(every) == 2
            app.go_to_position(every[1])  # the second match: not among the first known
            await wait_for(pilot, lambda: timeline.current_event is not None
                           and timeline.current_event.position == every[1])
            await pilot.press("slash", *"rioverde", "enter")
            await wait_for(pilot, lambda: "1+ matches, counting…" in str(app.query_one("#header-bar").render()))
            await pilot.pause(0.5)  # the jump to the match at or after the cursor has been made
            assert not app.matches.counted
            assert timeline.current_event.position == every[1]
    finally:
        release.set()


async def test_n_moves_to_the_next_match_before_the_matches_are_counted(tmp_path, monkeypatch):
    """n goes to the next match as soon as the engine has said where it is; it does not wait for the count
    of every match (seconds on a large table) to move."""

    app, release = await _table_app_with_a_held_count(tmp_path, monkeypatch)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            header, timeline, every = await ready_to_search(pilot, app)
            await pilot.press("slash", *"rioverde", "enter")
            await wait_for(pilot, lambda: timeline.current_event is not None
                           and timeline.current_event.position == every[0])
            await pilot.press("n")
            await wait_for(pilot, lambda: timeline.current_event.position == every[1], seconds=5)
            assert not app.matches.counted
    finally:
        release.set()


async def test_the_timeline_marks_the_matches_on_screen_once_they_are_counted(tmp_path, monkeypatch):
    """Matches on screen beyond the first ones known are marked (▌) once the count has brought them all,
    without waiting for the next redraw of the timeline."""

    app, release = await _table_app_with_a_held_count(tmp_path, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        header, timeline, every = await ready_to_search(pilot, app)
        await pilot.press("slash", *"rioverde", "enter")
        await wait_for(pilot, lambda: "1+ matches, counting…" in str(header.render()))
        await wait_for(pilot, lambda: timeline.current_event.position == every[0])
        row = timeline.rows.row_of_position(every[1])
        assert row is not None
        on_screen = row - int(timeline.scroll_offset.y)
        assert 0 <= on_screen < timeline.scrollable_content_region.height, "both matches are on screen"
        await pilot.pause(0.3)
        release.set()
        await wait_for(pilot, lambda: "2 matches" in str(header.render()))
        await pilot.pause(0.3)
        assert timeline.render_line(on_screen).text.startswith("▌")


async def test_a_search_the_engine_cannot_count_keeps_its_first_matches_and_says_so(tmp_path, monkeypatch):

    from tui.model.engine import sqlstore

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(sqlstore, "FIRST_MATCHES", 1)

    def fails(self) -> int:
        raise RuntimeError("the engine went away")

    monkeypatch.setattr(sqlstore.SqlMatches, "count", fails)
    table = tmp_path / "acled.csv"
    shutil.copy(ACLED, table)
    app = TimelineApp(plan(Source(str(table))))
    async with app.run_test(size=(120, 40)) as pilot:
        header, timeline, every = await ready_to_search(pilot, app)
        await pilot.press("slash", *"rioverde", "enter")
        await wait_for(pilot, lambda: "search “rioverde”: 1+ matches (not counted)" in str(header.render()))
        assert "counting" not in str(header.render())
        assert any("the engine went away" in str(n.message) for n in app._notifications)
        first = next(p for p in range(len(app.store)) if "Ríoverde" in app.store.event(p).summary)
        assert timeline.current_event.position == first  # the first match stays shown and selected


async def test_a_filter_toggled_back_on_a_table_is_shown_at_once(tmp_path, monkeypatch):
    """Back to a view the store has learnt (its set kept), the explorer shows it in the same key press,
    without a worker's round trip or a 'filtering…' frame; a view never asked goes to the engine."""
    from tui.model.corpus import Query

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    table = tmp_path / "acled.csv"
    shutil.copy(ACLED, table)
    app = TimelineApp(plan(Source(str(table))))
    async with app.run_test(size=(120, 40)) as pilot:
        header, timeline, every = await ready_to_search(pilot, app)
        everything = app.events
        actor = next(a for a in sorted(app.store.actors) if 0 < (app.events.actor_count(a) or 0) < len(app.store))
        app.query_state = Query(frozenset({actor}))
        app.refresh_view()
        assert app.events is everything and app.busy == "filtering"  # never asked: a worker asks the engine
        await wait_for(pilot, lambda: app.events is not everything and app.busy is None)
        app.query_state = Query()
        app.refresh_view()
        assert app.events is everything and app.busy is None  # kept: shown now
        assert f"{len(everything)} of {len(everything)} events" in str(header.render())
