"""What the app does for its first screen to reach the terminal sooner, and that it stays right.

The explorer's screen is styled once as it opens, and styled right.

Textual styles each widget as it mounts, then styles the whole screen again
when the screen is first shown (a resume asks for that, in case the styles
changed while a screen was away). On a screen that has just mounted that second
pass changes nothing and costs a good part of the start-up: the main screen
skips it the first time it is shown, and only then.

The side screens' styles are read when the first of them opens, not at
start-up, and added without restyling the explorer's screen, which none of
them may touch.

While the app runs, threads wait for the interpreter lock at most 1 ms (not
Python's 5 ms), so that the thread that writes frames to the terminal is not
held up by a busy interface thread.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual import events
from textual.widgets import Static

from tui.app.app import SIDE_SCREENS_CSS, SWITCH_INTERVAL, MainScreen, TimelineApp
from tui.model import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def styles_of(app: TimelineApp) -> dict:
    """Every node's rules and its component classes' rules, on the explorer's screen."""
    styles = {}
    for node in app.screen.walk_children(with_self=True):
        components = {name: style.get_rules() for name, style in node._component_styles.items()}
        styles[node] = (node.styles.get_rules(), components)
    return styles


def restyled_nodes(app: TimelineApp) -> list:
    """The nodes the stylesheet is asked to style again from now on (a list that fills up)."""
    seen: list = []
    update_nodes = app.stylesheet.update_nodes

    def recording(nodes, animate=False):
        nodes = list(nodes)
        seen.extend(nodes)
        return update_nodes(nodes, animate=animate)

    app.stylesheet.update_nodes = recording
    return seen


async def test_the_screen_is_not_styled_a_second_time_when_first_shown():
    app = TimelineApp(load_corpus(SEEDS))
    seen = restyled_nodes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        header = app.query_one("#header-bar", Static)
        # The timeline's focus restyles the timeline and what it is in; nothing restyles the header.
        assert header not in seen


async def test_styles_at_start_are_those_a_full_restyle_gives():
    for size in ((120, 40), (80, 24), (200, 60), (60, 20)):  # each layout class of the screen
        app = TimelineApp(load_corpus(SEEDS))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            at_start = styles_of(app)
            app.update_styles(app.screen)
            await pilot.pause()
            assert styles_of(app) == at_start, size


def test_only_the_first_showing_skips_the_restyle():
    screen = MainScreen()
    first, second = events.ScreenResume(), events.ScreenResume()
    screen.on_screen_resume(first)
    screen.on_screen_resume(second)
    assert (first.refresh_styles, second.refresh_styles) == (False, True)


def test_threads_switch_sooner_while_the_app_runs_and_as_before_after():
    before = sys.getswitchinterval()
    assert before > SWITCH_INTERVAL  # Python's default, 5 ms: else this test shows nothing
    app = TimelineApp(load_corpus(SEEDS))
    seen = []
    start = app._start

    def start_and_look() -> None:
        start()
        seen.append(sys.getswitchinterval())
        app.exit(0)

    app._start = start_and_look
    assert app.run(headless=True, size=(120, 40)) == 0
    assert seen == [SWITCH_INTERVAL]
    assert sys.getswitchinterval() == before


def side_styles_read(app: TimelineApp) -> bool:
    return any(Path(path) == SIDE_SCREENS_CSS for path, _ in app.stylesheet.source)


async def test_the_side_screens_styles_are_read_when_the_first_side_screen_opens():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not side_styles_read(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert side_styles_read(app)
        help_title = app.screen.query_one("#help-title")
        assert help_title.styles.margin.bottom == 1  # from screens.tcss (#help-title)


async def test_no_side_screen_style_touches_the_explorers_screen():
    for size in ((120, 40), (80, 24)):
        app = TimelineApp(load_corpus(SEEDS))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            at_start = styles_of(app)
            await pilot.press("question_mark")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert side_styles_read(app) and isinstance(app.screen, MainScreen)
            app.update_styles(app.screen)  # what the side screens' styles would make of it
            await pilot.pause()
            assert styles_of(app) == at_start, size
