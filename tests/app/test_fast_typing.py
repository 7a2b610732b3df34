"""Keys typed faster than the screen updates (a fast typist, a paste, a slow SSH link
delivering several keys at once) go where the keys before them sent the focus."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from textual import events

from tui.app.app import TimelineApp
from tui.app.widgets.actors import ActorFilterInput, ActorList
from tui.model import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def type_at_once(app: TimelineApp, keys: str) -> None:
    """Queue all the keys before the app handles any of them, as a terminal delivers a burst."""
    for key in keys:
        name = {" ": "space", "/": "slash", "\n": "enter", "↓": "down"}.get(key, key)
        app.post_message(events.Key(name, None if name in ("enter", "down") else key))


@asynccontextmanager
async def after_burst(keys: str, settle: float | None = None):
    """The app on the seeds, once a burst of ``keys`` has been handled."""
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        type_at_once(app, keys)
        await pilot.pause(settle)
        yield app


async def test_a_then_a_quick_q_types_into_the_actor_filter_instead_of_quitting():
    async with after_burst("aqat") as app:
        assert app.is_running
        assert app.query_one(ActorFilterInput).value == "qat"


async def test_down_then_a_quick_space_toggles_the_actor():
    async with after_burst("aqat↓ ") as app:
        assert app.focused is app.query_one(ActorList)
        assert app.query_state.actors == frozenset({"qatar"})


async def test_slash_then_a_quick_word_is_a_search_not_commands():
    async with after_burst("/qatar\n", settle=0.3) as app:
        assert app.is_running
        assert app.find_text == "qatar"
        assert list(app.matches)


async def test_a_key_right_after_enter_in_the_search_goes_to_the_timeline():
    async with after_burst("/qatar\nj", settle=0.3) as app:
        assert app.find_text == "qatar"
        assert app.focused is app.query_one("#timeline")
        assert app.query_one("#find").value == "qatar"
