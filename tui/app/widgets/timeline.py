"""The timeline pane: events in date order under year and month headings.

A virtualised view (Textual's Line API on a ``ScrollView``): it sets its
virtual height to the number of rows and draws only the lines on screen, so
it costs the same for ten events as for a million.  The rows of a store that
asks an engine come a page at a time: a row not fetched yet is drawn as a
placeholder, and the view asks for the rows on screen (``WantRows``).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from ...model.corpus import Event
from ...model.search import SearchPattern
from ...model.store import EventStore, Matches
from ...model.view import Row, TimelineRows, short_date
from .. import instrument
from ..text import safe_line
from .lines import LineView, fit_segments, text_strip


class TimelineView(LineView, can_focus=True):
    """The chronology; the app gives it rows and matches, it reports the cursor."""

    COMPONENT_CLASSES = {
        "timeline--year",
        "timeline--month",
        "timeline--cursor",
        "timeline--date",
        "timeline--qualifier",
        "timeline--title",
        "timeline--actors",
        "timeline--sources",
        "timeline--claim",
        "timeline--match",
        "timeline--matched-row",
        "timeline--draft",
        "timeline--problem",
        "timeline--empty",
        "timeline--mark",
        "timeline--note",
        "timeline--period",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next", show=False, id="timeline.down"),
        Binding("k,up", "cursor_up", "Previous", show=False, id="timeline.up"),
        Binding("g,home", "first", "First", show=False, id="timeline.first"),
        Binding("G,end", "last", "Last", show=False, id="timeline.last"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="timeline.page-down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="timeline.page-up"),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="timeline.half-page-down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="timeline.half-page-up"),
        Binding("enter,o", "open", "Open source", id="timeline.open"),
    ]

    cursor_row: reactive[int] = reactive(0, init=False)

    class Highlighted(Message):
        """The cursor is on an event (``None`` when nothing is shown)."""

        def __init__(self, event: Event | None) -> None:
            super().__init__()
            self.event = event

    class Opened(Message):
        """The user asked to open the sources of an event."""

        def __init__(self, event: Event) -> None:
            super().__init__()
            self.event = event

    class WantRows(Message):
        """Rows on screen whose events are not fetched yet: events ``first`` to ``end`` (excluded) of the view."""

        def __init__(self, first: int, end: int) -> None:
            super().__init__()
            self.first, self.end = first, end

    def __init__(self, store: EventStore, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.rows: TimelineRows | None = None
        self.matches: Matches | None = None
        self.pattern: SearchPattern | None = None
        self.empty_message = "No events match the filters."
        # Rendered event rows, reused while nothing that shapes them changes
        # (a page down repaints several times: cursor, viewer, scrollbar).
        self._strip_cache: LRUCache[tuple, Strip] = LRUCache(2_000)
        # (marked, has a note) of an event id: the app's notes store answers.
        self.annotations: Callable[[str], tuple[bool, bool]] = lambda event_id: (False, False)
        # Named periods (eras) starting under each heading: (year, month) -> titles.
        self.period_labels: Callable[[Row], str] = lambda row: ""

    # -- state in -------------------------------------------------------------

    def prepare(self, rows: TimelineRows, *, matches: Matches | None, pattern: SearchPattern | None,
                select_position: int | None, empty_message: str) -> None:
        """The first state, given before the widget is mounted."""
        self.rows, self.matches, self.pattern, self.empty_message = rows, matches, pattern, empty_message
        self._strip_cache.clear()
        self.set_reactive(TimelineView.cursor_row, self._target_row(rows, select_position))
        self._prepared = True

    def on_mount(self) -> None:
        if self.rows is not None:
            self.virtual_size = Size(0, len(self.rows))
            if getattr(self, "_prepared", False):
                self.call_after_refresh(self._scroll_to_cursor)

    def _scroll_to_cursor(self) -> None:
        if self.rows is not None and self.rows.first_event_row() == self.cursor_row:
            return  # already in view at the top, headings included
        self.scroll_to_region(Region(0, self.cursor_row, 1, 1), animate=False, force=True)

    @staticmethod
    def _target_row(rows: TimelineRows, select_position: int | None) -> int:
        target = None
        if select_position is not None:
            target = rows.row_of_position(select_position)
            if target is None:
                target = rows.nearest_event_row(select_position)
        if target is None:
            target = rows.first_event_row()
        return target if target is not None else 0

    def show(self, rows: TimelineRows, *, matches: Matches | None, pattern: SearchPattern | None,
             select_position: int | None) -> None:
        """Show ``rows``; put the cursor on ``select_position`` or the nearest event."""
        self.rows = rows
        self.matches = matches
        self.pattern = pattern
        self._strip_cache.clear()
        self.virtual_size = Size(0, len(rows))
        self._move_to(self._target_row(rows, select_position), force=True)
        self.refresh()

    def invalidate(self) -> None:
        """Redraw every row (something shown in them changed, e.g. quote problems found)."""
        self._strip_cache.clear()
        self.refresh()

    def set_matches(self, matches: Matches | None, pattern: SearchPattern | None) -> None:
        self.matches = matches
        self.pattern = pattern
        self._strip_cache.clear()
        self.refresh()

    def rows_arrived(self) -> None:
        """The events of rows drawn as placeholders have been fetched: draw them, and say which
        event the cursor is on if that was one of them."""
        self._wanted = None
        self._strip_cache.clear()
        self.refresh()
        self.post_message(self.Highlighted(self.current_event))

    def event_at(self, row: int) -> Event | None:
        """The event of ``row`` (None for a heading, or an event not fetched yet)."""
        if self.rows is None or not 0 <= row < len(self.rows):
            return None
        found = self.rows[row]
        if found.kind != "event" or found.position < 0:
            return None
        return self.store.event(found.position)

    @property
    def current_event(self) -> Event | None:
        if self.rows is None or not len(self.rows):
            return None
        return self.event_at(min(self.cursor_row, len(self.rows) - 1))

    # -- movement -------------------------------------------------------------

    def _move_to(self, row: int | None, *, force: bool = False) -> None:
        if row is None or self.rows is None:
            if force:
                self.post_message(self.Highlighted(None))
            return
        changed = row != self.cursor_row
        self.cursor_row = row
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, force=True)
        # Keep the headings above the first event visible at the top.
        if self.rows.first_event_row() == row:
            self.scroll_to(y=0, animate=False, force=True)
        if changed or force:
            self.post_message(self.Highlighted(self.current_event))
        self.refresh()

    def watch_cursor_row(self) -> None:
        self.refresh()

    def move_to_position(self, position: int) -> None:
        if self.rows is None:
            return
        row = self.rows.row_of_position(position)
        if row is not None:
            self._move_to(row)

    def action_cursor_down(self) -> None:
        if self.rows is not None:
            self._move_to(self.rows.step(self.cursor_row, 1))

    def action_cursor_up(self) -> None:
        if self.rows is not None:
            self._move_to(self.rows.step(self.cursor_row, -1))

    def action_first(self) -> None:
        if self.rows is not None:
            self._move_to(self.rows.first_event_row())

    def action_last(self) -> None:
        if self.rows is not None:
            self._move_to(self.rows.last_event_row())

    def _page(self, fraction: float, direction: int) -> None:
        if self.rows is None or not len(self.rows):
            return
        lines = max(1, int(self.scrollable_content_region.height * fraction))
        target = max(0, min(len(self.rows) - 1, self.cursor_row + direction * lines))
        row = target if self.rows.is_event(target) else self.rows.step(target, 0)
        if row == self.cursor_row:
            row = self.rows.step(self.cursor_row, direction)
        self.scroll_to(y=self.scroll_y + direction * lines, animate=False, force=True)
        self._move_to(row)

    def action_page_down(self) -> None:
        instrument.trace_begin("page")
        self._page(1.0, 1)
        instrument.trace_end(self, "page")

    def action_page_up(self) -> None:
        instrument.trace_begin("page")
        self._page(1.0, -1)
        instrument.trace_end(self, "page")

    def action_half_page_down(self) -> None:
        self._page(0.5, 1)

    def action_half_page_up(self) -> None:
        self._page(0.5, -1)

    def action_open(self) -> None:
        event = self.current_event
        if event is not None:
            self.post_message(self.Opened(event))

    def on_click(self, click: Click) -> None:
        if self.rows is None:
            return
        row = int(self.scroll_offset.y + click.y)
        if 0 <= row < len(self.rows) and self.rows.is_event(row):
            self._move_to(row)
            if click.chain >= 2:
                self.action_open()

    # -- drawing ----------------------------------------------------------------

    def on_resize(self) -> None:
        if self.rows is not None:
            self.virtual_size = Size(0, len(self.rows))


    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row_index = int(self.scroll_offset.y) + y
        base = self.base_style
        if self.rows is None or not len(self.rows):
            lines = self.empty_message.split("\n")
            if self.rows is not None and 1 <= y <= len(lines):
                text = Text("  " + lines[y - 1], style=self.get_component_rich_style("timeline--empty"))
                return text_strip(text, width, base, self.app.console)
            return Strip.blank(width, base)
        if row_index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[row_index]
        if row.kind == "event" and row.position < 0:  # not fetched yet: asked for, drawn when it comes
            self._want_rows()
            return text_strip(Text("   …", style=self.get_component_rich_style("timeline--empty")), width, base, self.app.console)
        if row.kind in ("year", "month"):
            indent = " " if row.kind == "year" else "   "
            text = Text(indent + row.label, style=self.get_component_rich_style(f"timeline--{row.kind}"))
            periods = self.period_labels(row)
            if periods:
                text.append("   " + safe_line(periods), self.get_component_rich_style("timeline--period"))
            return text_strip(text, width, base, self.app.console)
        is_cursor = row_index == self.cursor_row
        key = (row.position, width, is_cursor, is_cursor and self.has_focus, base)
        strip = self._strip_cache.get(key)
        if strip is not None:
            return strip
        event = self.store.event(row.position)
        segments = self._event_segments(event, width, self.matches is not None and row.position in self.matches)
        style = base
        if is_cursor:
            cursor = self.get_component_rich_style("timeline--cursor")
            if not self.has_focus:
                cursor = cursor + Style(bold=False)
            segments = list(Segment.apply_style(segments, post_style=cursor))
            style = base + cursor
        strip = Strip(segments, width).apply_style(style)  # the segments are the row's width exactly
        self._strip_cache.set(key, strip)
        return strip

    _wanted: tuple[int, int] | None = None

    def _want_rows(self) -> None:
        """Ask (once per screen) for the events of the rows on screen, and a screen around them."""
        rows = self.rows
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        start, stop = rows.index_range(top - height, top + 2 * height)
        if self._wanted is not None and self._wanted[0] <= start and stop <= self._wanted[1]:
            return
        self._wanted = (start, stop)
        # Made after this frame, in the view's own turn: a message made while the screen draws would
        # count the screen as its sender and stop there, never reaching the app.
        self.call_later(lambda: self.post_message(self.WantRows(start, stop)))


    def _event_segments(self, event: Event, width: int, matched: bool) -> list[Segment]:
        """The row of ``event``, exactly ``width`` cells: one segment per part (the parts fitted as
        strings, not as rich Text: a screen of rows is drawn at every change of it)."""
        component = self.get_component_rich_style
        console = self.app.console
        date_w = 14
        marks_w = 5
        actors_w = 0 if width < 70 else min(34, max(16, width // 4))
        title_w = max(8, width - 4 - date_w - marks_w - actors_w - (2 if actors_w else 0))
        out = [Segment("▌", Style(color=component("timeline--match").color)) if matched else Segment(" ")]
        marked, noted = self.annotations(event.id)
        out.append(Segment("●" if marked else " ", component("timeline--mark")))
        out.append(Segment("¶" if noted else " ", component("timeline--note")))
        out.append(Segment(" "))
        # Date: as precise as known; approximate/uncertain marked where the eye falls.
        date = event.date
        label = safe_line(short_date(date))
        prefix = "c." if date.approximate else ""
        suffix = "?" if (date.uncertain or date.unknown_end or date.unknown_start) else ""
        qualifier = component("timeline--qualifier")
        parts = [(prefix, qualifier), (label, qualifier if (prefix or suffix) else component("timeline--date")),
                 (suffix, qualifier)]
        out.extend(fit_segments(parts, date_w - 1, console))
        out.append(Segment(" "))
        # Title, with search matches marked.
        title = safe_line(event.title)
        title_style = component("timeline--draft" if event.draft else "timeline--title")
        if event.draft or (self.pattern and matched):
            title_text = Text(title, style=title_style)
            if self.pattern and matched:
                match_style = component("timeline--match")
                for s, e in self.pattern.spans(title):
                    title_text.stylize(match_style, s, e)
            if event.draft:
                title_text = Text.assemble(("draft ", component("timeline--draft")), title_text)
            title_text.truncate(title_w, overflow="ellipsis", pad=True)
            row = Text()
            row.append_text(title_text)  # its own style, if any, over it all: rendered alone, it would be lost
            out.extend(row.render(console))
        else:
            out.extend(fit_segments([(title, title_style)], title_w, console, title_style))
        if actors_w:
            out.append(Segment("  "))
            names = [self.store.actors[a].name if a in self.store.actors else a for a in event.actors]
            actors_style = component("timeline--actors")
            out.extend(fit_segments([(safe_line(_join_fitting(names, actors_w)), actors_style)], actors_w, console, actors_style))
        # Marks: number of sources, disagreement, quotes that do not anchor.
        out.append(Segment(f"{event.source_count:>2}", component("timeline--sources")))
        out.append(Segment(" ≠" if event.claims else "  ", component("timeline--claim")))
        unanchored = any(q.problem is not None for q in event.quotes)
        out.append(Segment("!" if unanchored else " ", component("timeline--problem")))
        if Segment.get_line_length(out) > width:  # narrower than the columns need: cut at the end, as text is cut
            out = fit_segments([(segment.text, segment.style) for segment in out], width, console)
        return out


def _join_fitting(names: list[str], width: int) -> str:
    """'A, B +2' fitting in ``width`` cells (the first name alone if nothing else fits)."""
    if not names:
        return ""
    shown: list[str] = []
    for i, name in enumerate(names):
        rest = len(names) - i - 1
        candidate = ", ".join([*shown, name]) + (f" +{rest}" if rest else "")
        if cell_len(candidate) > width and shown:
            return ", ".join(shown) + f" +{len(names) - len(shown)}"
        shown.append(name)
    return ", ".join(shown)


__all__ = ["TimelineView"]
