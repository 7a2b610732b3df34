"""The quote viewer renders what is on screen first and the rest right after, invisibly to the reader.

Its first frame (and the first frame of every event shown) renders only the
blocks that fill the screen; the other blocks are rendered once that frame is
drawn, or at once when anything needs them: scrolling past the lines rendered,
going to the end, going to a quote below.
"""

from __future__ import annotations

from pathlib import Path

from tui.app.app import TimelineApp
from tui.app.widgets.viewer import QuoteViewer
from tui.model import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def texts(viewer: QuoteViewer) -> list[str]:
    return [strip.text for strip in viewer._lines]


async def _long_event_shown(pilot):
    """The app with the viewer on the seed event whose sources fill several screens, fully laid out."""
    app = pilot.app
    event = max(app.corpus.events, key=lambda e: len(e.quotes))
    await pilot.pause()
    viewer = app.query_one(QuoteViewer)
    viewer.show(event, 0, None)
    await pilot.pause()
    return viewer, event, texts(viewer)


async def test_a_new_event_renders_its_first_screen_then_the_rest_after_the_frame():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        viewer, event, full = await _long_event_shown(pilot)
        height = viewer.scrollable_content_region.height
        assert len(full) > 2 * height  # several screens: the case this is about

        viewer.show(event, 0, None, force=True)
        assert height <= len(viewer._lines) < len(full)  # the screen, not yet the rest
        assert texts(viewer) == full[: len(viewer._lines)]
        await pilot.pause()
        assert texts(viewer) == full
        assert viewer.virtual_size.height == len(full)


async def test_going_to_the_end_at_once_goes_to_the_true_end():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        viewer, event, full = await _long_event_shown(pilot)
        height = viewer.scrollable_content_region.height

        viewer.show(event, 0, None, force=True)
        viewer.scroll_end(animate=False, immediate=True)
        assert texts(viewer) == full
        assert viewer.scroll_y == len(full) - height

        viewer.show(event, 0, None, force=True)  # from the end, back to the top of the event
        assert len(viewer._lines) < len(full)
        viewer.scroll_to(y=len(full), animate=False, immediate=True)  # past the lines rendered so far
        assert viewer.scroll_y == len(full) - height


async def test_the_last_line_drawn_is_the_last_line_of_the_content():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        viewer, event, full = await _long_event_shown(pilot)
        viewer.show(event, 0, None, force=True)
        y = max(i for i, text in enumerate(full) if text.strip())  # the last line with text
        assert y >= len(viewer._lines)
        assert viewer.render_line(y).text.rstrip() == full[y].rstrip()  # asked for before it was rendered


async def test_going_to_the_last_quote_at_once_shows_it():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        viewer, event, full = await _long_event_shown(pilot)
        height = viewer.scrollable_content_region.height
        last = len(event.quotes) - 1

        viewer.show(event, 0, None, force=True)
        viewer.show(event, last, None)
        await pilot.pause()
        top, lines = viewer._block_lines[viewer._quote_block[last]]
        assert top > height  # below the first screen
        assert viewer.scroll_y <= top and top + lines <= viewer.scroll_y + height
