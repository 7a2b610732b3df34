"""Rows are fitted to their columns the way rich's ``Text.truncate`` fits text."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from tui.app.widgets.lines import fit_segments

BOLD, RED = Style(bold=True), Style(color="red")
CONSOLE = Console(width=200)
TEXTS = ["", "c.", "Nov 2018", "Apr 2017 →", "新疆维吾尔自治区的拘留营", "ئۇيغۇر", "a😀b😀c😀d😀", "x" * 40]


def _by_text_truncate(parts: list[tuple[str, Style]], width: int, pad_style: Style | None) -> list[tuple[str, Style]]:
    text = Text.assemble(*parts, style=pad_style or "")
    text.truncate(width, overflow="ellipsis", pad=True)
    row = Text()
    row.append_text(text)  # as the row was made: its own style becomes a span over it, padding included
    return _cells(row.render(CONSOLE))


def _cells(segments) -> list[tuple[str, Style]]:
    """Each cell's character(s) and style, so that two ways of cutting a line into segments compare."""
    out = []
    for text, style, _ in Segment.split_and_crop_lines(list(segments), 10_000, pad=False, include_new_lines=False).__next__():
        for char in text:
            out.append((char, style or Style()))
    return out


@pytest.mark.parametrize("width", [1, 2, 5, 8, 13, 30])
@pytest.mark.parametrize("first", TEXTS)
@pytest.mark.parametrize("second", ["", "?", "Uyghur"])
def test_a_date_of_parts_is_fitted_as_text_truncate_fits_it(first, second, width):
    parts = [(first, BOLD), (second, RED)]
    fitted = fit_segments(parts, width, CONSOLE)
    assert sum(cell_len(s.text) for s in fitted) == width
    assert _cells(fitted) == _by_text_truncate(parts, width, None)


@pytest.mark.parametrize("width", [1, 2, 5, 8, 13, 30])
@pytest.mark.parametrize("text", TEXTS)
def test_a_title_is_fitted_as_text_truncate_fits_it(text, width):
    fitted = fit_segments([(text, BOLD)], width, CONSOLE, BOLD)  # padded in its own style, as a Text's own style pads
    assert sum(cell_len(s.text) for s in fitted) == width
    assert _cells(fitted) == _by_text_truncate([(text, BOLD)], width, BOLD)


async def test_timeline_rows_fill_their_width_and_keep_the_title_style_beside_matches():
    from tui.app.app import TimelineApp
    from tui.app.text import safe_line
    from tui.app.widgets.timeline import TimelineView
    from tui.model import load_corpus
    from tui.resources import bundled_corpus

    app = TimelineApp(load_corpus(bundled_corpus()))
    async with app.run_test(size=(120, 40)):
        timeline = app.query_one(TimelineView)
        title_style = timeline.get_component_rich_style("timeline--title")
        match_style = timeline.get_component_rich_style("timeline--match")
        timeline.pattern = app.corpus.search_pattern("Mansouri")
        matched_titles = 0
        for event in app.corpus.events:
            for width in (40, 75, 100, 160):
                for matched in (False, True):
                    cells = _cells(timeline._event_segments(event, width, matched))
                    assert len(cells) == width or any(cell_len(c) == 2 for c, _ in cells)
                    title = safe_line(event.title)
                    start = "".join(c for c, _ in cells).index(title[:6])
                    spans = list(timeline.pattern.spans(title)) if matched else []
                    offset = 0
                    while start + offset < len(cells) and offset < len(title) and cells[start + offset][0] == title[offset]:
                        in_match = any(s <= offset < e for s, e in spans)
                        expected = title_style + match_style if in_match else title_style
                        assert cells[start + offset][1] == expected, (event.id, width, matched, offset)
                        matched_titles += in_match
                        offset += 1
        assert matched_titles  # the check above saw matched characters of a title
