"""The key bar: the focused pane's keys on one line, drawn, not composed."""

from __future__ import annotations

from pathlib import Path

from tui.app.app import TimelineApp
from tui.app.screens.dialogs import HelpScreen
from tui.app.widgets.actors import ActorList
from tui.app.widgets.keybar import KeyBar
from tui.model import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def bar_text(app: TimelineApp) -> str:
    bar = app.screen.query_one(KeyBar)
    return bar.text()


async def test_the_bar_shows_the_focused_pane_keys_and_follows_the_focus():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        for shown in ("⏎ Open source", "q Quit", "? Help", "/ Search", "^p palette"):
            assert shown in text
        assert "Toggle actor" not in text
        app.query_one(ActorList).focus()
        await pilot.pause()
        assert "Toggle actor" in bar_text(app)
        assert "Open source" not in bar_text(app)


async def test_clicking_a_key_presses_it():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        x = bar_text(app).index("? Help")
        await pilot.click(KeyBar, offset=(x + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_keys_that_do_not_fit_are_left_out_whole():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert len(text) == 60
        assert text.rstrip().endswith("^p palette")
        left = text.split("▏")[0]
        assert "q Quit" in left
        # Every key shown has its whole description: none is cut at the edge.
        wide = TimelineApp(load_corpus(SEEDS))
        async with wide.run_test(size=(200, 40)) as wide_pilot:
            await wide_pilot.pause()
            everything = bar_text(wide).split("▏")[0]
        assert len(everything.strip()) > len(left.strip())
        shown = left.rstrip()
        assert everything.startswith(shown)
        assert everything[len(shown):].startswith("  ")  # the next key begins there: nothing cut
