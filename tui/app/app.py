"""The Timeline Explorer app: it owns the state, widgets only show it.

State (the query, the search, the selected event and quote) lives here.
Widgets get it through their ``show`` methods and report what the user did
with messages; nothing reaches sideways into a sibling.
"""

from __future__ import annotations

import bisect
import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec.structs import replace
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from ..model.corpus import Corpus, Event, Query, Quote
from ..model.errors import CorpusError, UsageError
from ..model.dates import EDTFDate
from ..model.search import SearchPattern
from ..model.loader import ReadAhead
from ..model.view import ActorCounter, TimelineRows, periods_by_year
from .focus import bound_action, focus_now, pass_on, unless_typing
from .research import NOTES_POLL_SECONDS, ResearchActions
from .keymap import load_keymap
from .text import safe_line
from .widgets.actors import ActorFilterInput, ActorList, ActorPane
from .widgets.density import DensityStrip
from .widgets.keybar import KeyBar
from .widgets.timeline import TimelineView
from .widgets.viewer import QuoteViewer

if TYPE_CHECKING:  # the loading screen and the indexer are imported when a corpus needs them
    from .background import Indexer, LoadingScreen

FIRST_PAINT_ENV = "TIMELINE_EXPLORER_FIRST_PAINT"
TRACE_ENV = "TIMELINE_EXPLORER_TRACE"
BACKGROUND_SEARCH = 50_000  # from this many events, searches run in a worker thread
# Layouts by terminal width (classes set on the screen by Textual on resize):
# below 100 columns the actor pane folds away and the viewer goes under the
# timeline; from 160 the panes get more room.
BREAKPOINTS = [(0, "-tiny"), (70, "-narrow"), (100, "-normal"), (160, "-wide")]
VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
# The side screens' styles (see TimelineApp.push_screen).
SIDE_SCREENS_CSS = Path(__file__).parent / "screens" / "screens.tcss"
# How long a thread that wants the interpreter lock waits at most for the one holding it
# while the app runs (Python's default is 5 ms); see TimelineApp.run.
SWITCH_INTERVAL = 0.001
# How long the loader waits, at most, for the first events it found to be painted.
PREVIEW_PAINT_WAIT = 0.5


class FindInput(Input):
    """The search prompt at the bottom, like less's '/'."""

    BINDINGS = [
        Binding("escape", "cancel", "Clear search", id="find.cancel"),
        Binding("enter", "submit", "Keep search", show=False, id="find.submit"),
    ]

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

    def on_key(self, event: events.Key) -> None:
        # Here, in this field's own order: after the characters typed before, and the keys
        # typed after go on to the timeline (see focus.py).
        if pass_on(self, event):
            return
        action = bound_action(self, event.key)
        if action in ("submit", "cancel"):
            event.prevent_default()
            event.stop()
            getattr(self, f"action_{action}")()

    def action_cancel(self) -> None:
        self.app.action_clear_find()  # type: ignore[attr-defined]

    def action_submit(self) -> None:
        self.app.submit_find(self.value)  # type: ignore[attr-defined]


class MainScreen(Screen):
    """The explorer's screen: Textual's default screen, which shows what the app composes."""

    _shown = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. The first time the screen is shown, each of its
        # widgets was styled a moment ago, as it mounted: styling them all again (as a resume
        # asks for, in case the styles changed while the screen was away) would only delay the
        # first frame.
        if not self._shown:
            self._shown = True
            event.refresh_styles = False


class TimelineApp(ResearchActions, App[int]):
    """Explore a corpus: the chronology, the actors, the quotes behind each event."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    VERTICAL_BREAKPOINTS = VERTICAL_BREAKPOINTS
    TITLE = "Timeline Explorer"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        # Priority: these move the focus, which must happen before the keys typed right after them
        # are handed to a widget (see focus.py).
        Binding("slash", "find", "Search", id="app.find", priority=True),
        Binding("n", "next_match(1)", "Next match", show=False, id="app.next-match"),
        Binding("N", "next_match(-1)", "Previous match", show=False, id="app.previous-match"),
        Binding("a", "actors", "Actors", id="app.actors", priority=True),
        Binding("c", "clear_filters", "Clear filters", id="app.clear-filters"),
        Binding("d", "dates", "Dates", show=False, id="app.dates"),
        Binding("f", "toggle_narrow", "Only matches", show=False, id="app.only-matches"),
        Binding("o", "open", "Open source", show=False, id="app.open"),
        Binding("left_square_bracket", "quote(-1)", "Prev quote", show=False, id="app.previous-quote"),
        Binding("right_square_bracket", "quote(1)", "Next quote", show=False, id="app.next-quote"),
        Binding("y", "copy", "Copy quote", id="app.copy"),
        Binding("p", "problems", "Problems", show=False, id="app.problems"),
        Binding("r", "reload", "Reload", show=False, id="app.reload"),
        Binding("m", "mark", "Mark", id="app.mark"),
        Binding("u", "next_mark(1)", "Next mark", show=False, id="app.next-mark"),
        Binding("U", "next_mark(-1)", "Previous mark", show=False, id="app.previous-mark"),
        Binding("M", "marks", "Marks", show=False, id="app.marks"),
        Binding("e", "note", "Note", show=False, id="app.note"),
        Binding("v", "views", "Views", show=False, id="app.views"),
        Binding("x", "export", "Export", show=False, id="app.export"),
        Binding("D", "disagreements", "Disagreements", show=False, id="app.disagreements"),
        Binding("C", "coverage", "Coverage", show=False, id="app.coverage"),
        Binding("z", "zoom_in", "Zoom in", show=False, id="app.zoom-in"),
        Binding("Z", "zoom_out", "Zoom out", show=False, id="app.zoom-out"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="app.next-pane", priority=True),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="app.previous-pane", priority=True),
        Binding("escape", "escape", "Back", show=False, id="app.escape"),
    ]

    def __init__(self, corpus: Corpus | None = None, *, source: Path | None = None,
                 make_query: Callable[[Corpus], Query] | None = None, query: Query | None = None,
                 find: str = "", event_id: str | None = None, resume_gc_after_start: bool = False,
                 preview: bool = False, read_ahead: ReadAhead | None = None) -> None:
        """Explore ``corpus``; or, with ``source`` instead, load it first behind a progress bar.

        ``make_query(corpus)`` gives the starting filters once the corpus is
        there (it may raise ``UsageError``, which ends the app with status 2).
        With ``resume_gc_after_start`` (the command line pauses the garbage
        collector while the app starts), the objects made until the first
        screen is painted are frozen, out of the collector's sight, and the
        collector resumes.  With ``preview`` (a load with no starting filters,
        search or event), the progress screen shows the first events of the
        timeline as soon as the loader knows them.  ``read_ahead`` is the
        ``source`` file being read already (see ``loader.ReadAhead``).
        """
        super().__init__()
        self.preview = preview
        self._read_ahead = read_ahead
        self.resume_gc_after_start = resume_gc_after_start
        self.corpus = corpus  # type: ignore[assignment]
        self.source = source
        self.make_query = make_query
        self.load_problems: list = []  # why a corpus loaded in the app could not be opened
        self.usage_message = ""  # what was wrong with the command line, found once the corpus loaded
        self._indexer: Indexer | None = None
        self._loading: LoadingScreen | None = None  # the progress screen of a load under way
        self._notes_timer = None
        self.zoom_stack: list[tuple] = []  # date filters to return to when zooming out
        self.reload_problems: list = []  # why the last reload was refused
        self.query_state = query or Query()
        self.find_text = find or (self.query_state.text if self.query_state.text else "")
        self.query_state = replace(self.query_state, text="")
        self.narrow_to_find = False
        self.start_event_id = event_id
        self.current_event: Event | None = None
        self.quote_index = 0
        self.match_positions: list[int] = []
        self.pattern: SearchPattern | None = None
        self.shown_count = 0
        self.last_copied: str | None = None
        self._find_timer = None
        self._trace_path = os.environ.get(TRACE_ENV)
        self._trace_open: dict[str, int] = {}
        self.searching = False
        self.verifying: str | None = None  # what the background check or indexer is doing
        self._jump_after_search: bool | None = None
        self.selection = range(0)

    def run(self, *args, **kwargs):
        """Run the app, with a short switch interval between threads while it runs.

        Textual hands each frame to a thread of its own, which writes it to the
        terminal. When the interface thread keeps busy after a frame (with what
        the frame set going, or the next key), that thread waits for the
        interpreter lock up to the switch interval at every step of its write:
        the first screen reached the terminal 6.5 ms after it was made in four
        runs of six, 1.5 ms in the others; with 1 ms, 1.5 ms in all six. The
        other threads (loading, searching) seldom run beside a busy interface.
        """
        previous = sys.getswitchinterval()
        sys.setswitchinterval(min(previous, SWITCH_INTERVAL))
        try:
            return super().run(*args, **kwargs)
        finally:
            sys.setswitchinterval(previous)

    def push_screen(self, screen, *args, **kwargs):
        """Push ``screen``; the first time, read the side screens' styles first.

        The explorer's screen is styled from ``app.tcss`` alone: its first
        frame waits for every style parsed at start-up, and the side screens'
        (the document view, dialogs, research screens, the loading screen: a
        third of the styles) are parsed only when one of them opens. They are
        added to the stylesheet as they are, without the restyle of every
        widget that a screen's own ``CSS_PATH`` sets off (85 ms on the first
        dialog): no rule of theirs matches a widget of the explorer's screen.
        """
        if not self.stylesheet.has_source(str(SIDE_SCREENS_CSS)):
            self.stylesheet.read(SIDE_SCREENS_CSS)
        return super().push_screen(screen, *args, **kwargs)

    # -- layout -------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        if self.corpus is not None:
            self._prepare_main_screen()
            yield from self._main_widgets()

    def _prepare_main_screen(self) -> None:
        """Settle now what Textual would otherwise change once the widgets have their styles.

        The screen gets its layout classes for the terminal's size before any
        of its widgets is styled (the screen alone is styled again: its layout
        depends on them), not at the first resize event, after which every
        widget would be styled and laid out again; and the timeline takes the
        focus as it mounts, not the first focusable widget and then the
        timeline (each change of focus restyles what it leaves and enters).
        """
        self.screen.AUTO_FOCUS = "#timeline"
        width, height = self.size
        classes = {name: False for _, name in BREAKPOINTS + VERTICAL_BREAKPOINTS}
        for size, breakpoints in ((width, BREAKPOINTS), (height, VERTICAL_BREAKPOINTS)):
            reached = [name for threshold, name in sorted(breakpoints) if size >= threshold]
            if reached:
                classes[reached[-1]] = True
        self.screen.update_classes(classes)

    def _main_widgets(self) -> list:
        """The explorer's widgets, made with the first view already worked out.

        Computing the view before any widget exists and handing it to the
        widgets as they are made means the first layout is the final one.
        """
        select = None
        if self.start_event_id and self.start_event_id in self.corpus.events_by_id:
            select = self.corpus.events_by_id[self.start_event_id].position
        view = self._compute_view(select)
        if self.find_text.strip() and len(self.corpus.events) < BACKGROUND_SEARCH:
            self.pattern = self.corpus.search_pattern(self.find_text)
            self.match_positions = self.corpus.search(self.find_text, self.selection)
            if select is None and self.match_positions:
                view["select"] = self.match_positions[0]
        self._open_notes(self.corpus)
        timeline = TimelineView(self.corpus, id="timeline")
        # It is given the focus as soon as it has mounted (AUTO_FOCUS, or ``_start`` after a reload): styled
        # as focused from the start, it is not styled a second time, with its 16 component classes, for it.
        timeline.set_reactive(TimelineView.has_focus, True)
        timeline.annotations = self._annotation
        periods = periods_by_year(self.corpus)
        timeline.period_labels = lambda row: periods.get(row.year, "") if row.kind == "year" else ""
        timeline.prepare(view["rows"], matches=frozenset(self.match_positions), pattern=self.pattern,
                         select_position=view["select"], empty_message=view["empty"])
        self.current_event = timeline.current_event
        viewer = QuoteViewer(self.corpus, id="viewer")
        viewer.annotation = self._viewer_annotation
        viewer.event, viewer.quote_index, viewer.pattern = self.current_event, 0, self.pattern
        return [
            Static(self._header_text(), id="header-bar"),
            ActorPane(self.corpus, count=view["count"], selected=self.query_state.actors, id="sidebar"),
            Vertical(DensityStrip(id="density"), timeline, id="timeline-pane"),
            viewer,
            KeyBar(),
        ]

    def on_mount(self) -> None:
        if self.theme != "textual-dark":
            self.theme = "textual-dark"  # fixed, for predictable screens and snapshots
        self._apply_keymap()
        if self.corpus is not None:
            self._start()
        else:
            self._begin_loading()

    def _start(self) -> None:
        """The explorer is on screen: focus it and set the background work going."""
        marker = os.environ.get(FIRST_PAINT_ENV)
        if marker:
            # Benchmarks: record when the first screen of events has been written to the terminal.
            self.call_after_refresh(_record_first_paint, marker)
        if self.resume_gc_after_start:
            self.resume_gc_after_start = False
            self.call_after_refresh(_resume_gc)
        select = None
        if self.start_event_id and self.start_event_id in self.corpus.events_by_id:
            select = self.corpus.events_by_id[self.start_event_id].position
        if self.find_text.strip() and len(self.corpus.events) >= BACKGROUND_SEARCH:
            self._jump_after_search = select is None
            self._search()
        self.query_one(TimelineView).focus()
        if self.corpus.verified:
            self._announce_problems()
        else:
            self._start_indexer()
        if self.corpus.from_cache:
            from .background import check_cache_content

            check_cache_content(self.corpus, lambda: self._post(self._cache_is_stale))
        if len(self.corpus.events) >= BACKGROUND_SEARCH:
            # After the first paint: the strip needs the date columns, which a first screen does not.
            self.call_after_refresh(self._refresh_density)
        else:
            self._refresh_density()
        if self._notes_timer is None:
            self._notes_timer = self.set_interval(NOTES_POLL_SECONDS, self._poll_notes)

    # -- loading a large corpus in the app --------------------------------------------

    def _post(self, callback, *args) -> None:
        """From a background thread: run ``callback(*args)`` on the interface's thread
        (and nothing at all if the app has quit meanwhile)."""
        if not self.is_running or self._loop is None or self._loop.is_closed():
            return
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:
            pass

    def _begin_loading(self) -> None:
        read_ahead, self._read_ahead = self._read_ahead, None
        self._load(self.source, self._loaded, self._load_failed, preview=self.preview, read_ahead=read_ahead)

    def _load(self, source: Path, on_done, on_error, *, title: str = "Opening", preview: bool = False,
              read_ahead: ReadAhead | None = None) -> None:
        """Load ``source`` in a thread behind a progress screen, then call ``on_done(corpus)``
        (or ``on_error(CorpusError)``) on the interface's thread; with ``preview``, the
        progress screen shows the first events of the timeline meanwhile."""
        from .background import LoadingScreen, load_in_thread

        screen = LoadingScreen(source, title)
        self.push_screen(screen)
        self._loading = screen

        def progress(phase: str, fraction: float | None) -> None:
            self._post(screen.show_progress, phase, fraction)

        def show_preview(corpus: Corpus) -> None:
            # The loader waits (a little) for the rows to be painted: it would otherwise keep
            # the interpreter busy, and the interface waiting for it, for a good part of a second.
            painted = threading.Event()
            self._post(self._show_preview, screen, corpus, painted)
            painted.wait(PREVIEW_PAINT_WAIT)

        load_in_thread(source, progress, lambda corpus: self._post(on_done, corpus),
                       lambda error: self._post(on_error, error), show_preview if preview else None, read_ahead)

    def _show_preview(self, screen: LoadingScreen, corpus: Corpus, painted: threading.Event) -> None:
        if self._loading is not screen:
            painted.set()
            return  # loaded (or failed) meanwhile
        self._open_notes(corpus)  # marks and notes show in the rows as they will in the explorer
        screen.show_preview(corpus, self._annotation)
        self.call_after_refresh(painted.set)

    async def _end_loading(self) -> None:
        if self._loading is not None:
            if self.screen is self._loading:
                await self.pop_screen()
            self._loading = None

    async def _loaded(self, corpus: Corpus) -> None:
        self.corpus = corpus
        if self.make_query is not None:
            try:
                query = self.make_query(corpus)
            except UsageError as exc:
                self.usage_message = str(exc)
                self.exit(return_code=2)
                return
            self.query_state = replace(query, text="")
            self.find_text = self.find_text or query.text
        blocking = [p for p in corpus.errors if not p.is_anchor_problem]
        if blocking:
            self._load_failed(CorpusError(corpus.problems))
            return
        await self._end_loading()
        await self._main_screen().mount_all(self._main_widgets())
        self._start()

    def _load_failed(self, error: CorpusError) -> None:
        self.load_problems = error.problems
        self.exit(return_code=1)

    # -- reloading ---------------------------------------------------------------------

    def _reload(self) -> None:
        """Load the corpus again from its files; on success show it keeping the filters,
        the search and the selected event; on failure keep what is on screen."""
        if self._loading is not None or self.corpus is None:
            return
        if self._indexer is not None:
            self._indexer.stop()
            self._indexer = None
        self.workers.cancel_group(self, "verify")
        self._load(self.corpus.origin, self._reloaded, self._reload_failed, title="Reloading")

    async def _reloaded(self, corpus: Corpus) -> None:
        self.reload_problems = []
        blocking = [p for p in corpus.errors if not p.is_anchor_problem]
        if blocking:
            self._reload_failed(CorpusError(corpus.problems))
            return
        await self._end_loading()
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        keep = self.current_event.id if self.current_event is not None else None
        self.start_event_id = keep
        self.corpus = corpus
        # Filters naming actors or types the corpus no longer has are dropped.
        self.query_state = replace(self.query_state,
                                   actors=frozenset(a for a in self.query_state.actors if a in corpus.actors),
                                   types=frozenset(t for t in self.query_state.types if t in corpus.types))
        self.verifying = None
        main = self._main_screen()
        await main.query("#header-bar, #sidebar, #timeline-pane, #viewer, KeyBar").remove()
        await main.mount_all(self._main_widgets())
        self._start()

    async def _reload_failed(self, error: CorpusError) -> None:
        await self._end_loading()
        self.reload_problems = error.problems
        if not self.corpus.verified:
            self._start_indexer()  # it was stopped for the reload
        from .screens.dialogs import ProblemsScreen

        self.notify(f"{len(error.problems)} problem(s): the corpus was not reloaded; the last good state stays "
                    "on screen.", severity="error", timeout=15)
        self.push_screen(ProblemsScreen(error.problems, title="Not reloaded: the corpus on disk has problems"))

    def _cache_is_stale(self) -> None:
        """The corpus's compiled cache does not match its file (or is damaged): never trust it."""
        from ..model.cache import cache_path

        try:
            cache_path(self.corpus.file).unlink()
        except OSError:
            pass
        self.notify("The index of this corpus is out of date or damaged: reloading from corpus.json.",
                    severity="warning", timeout=10)
        self._reload()

    # -- the background indexer --------------------------------------------------------

    def _start_indexer(self) -> None:
        """Check every quote (and build the search text and the cache) in another process."""
        if self._indexer is not None:
            self._indexer.stop()
        self.verifying = "indexing"
        self._refresh_header()
        from .background import Indexer

        try:
            self._indexer = Indexer(
                self.corpus.file,
                lambda phase, fraction: self._post(self._verify_progress, fraction, phase),
                lambda path: self._post(self._indexed),
                lambda message: self._post(self._index_failed, message),
            )
        except OSError as exc:  # cannot start a process: check here, in a thread
            self._index_failed(str(exc))

    def _indexed(self) -> None:
        from ..model.cache import open_cached

        self._indexer = None
        fresh = open_cached(self.corpus.root, self.corpus.file)
        if fresh is not None and self.corpus.adopt(fresh):
            self._verified()
        else:  # the file changed while it was indexed: check what is on screen here instead
            self.verifying = None
            self._verify_in_background()

    def _index_failed(self, message: str) -> None:
        self.verifying = None
        self._refresh_header()
        if not self.corpus.verified:
            # Check in this process instead, in a thread.
            self._verify_in_background()
        self.notify(f"Background indexing failed: {safe_line(message)}", severity="warning", timeout=8)

    def on_unmount(self) -> None:
        if self._indexer is not None:
            self._indexer.stop()

    def _announce_problems(self) -> None:
        errors = self.corpus.errors
        if errors:
            unanchored = len(self.corpus.unanchored)
            other = len(errors) - unanchored
            parts = []
            if unanchored:
                parts.append(f"{unanchored} quote{'s' if unanchored != 1 else ''} no longer match their documents")
            if other:
                parts.append(f"{other} other problem{'s' if other != 1 else ''}")
            self.notify(" and ".join(parts) + ": press p to see them.", severity="warning", timeout=8)

    def _verify_in_background(self) -> None:
        """Anchor every quote after the first paint, showing progress; then warm the search index."""
        self.verifying = "checking quotes"
        self._refresh_header()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.call_from_thread(self._verify_progress, done / max(1, total))

        def work() -> None:
            self.corpus.verify(progress=progress, cancelled=lambda: worker.is_cancelled)
            if worker.is_cancelled:
                return
            self.call_from_thread(self._verified)
            self.corpus.search_index()  # the first search of a big corpus need not wait for it

        worker = self.run_worker(work, thread=True, group="verify", exit_on_error=False)

    def _verify_progress(self, fraction: float, phase: str = "checking") -> None:
        labels = {"loading": "indexing: reading the corpus", "checking": f"checking quotes {fraction:.0%}",
                  "indexing": "indexing the search text", "caching": f"writing the index {fraction:.0%}"}
        self.verifying = labels.get(phase, phase)
        self._refresh_header()

    def _verified(self) -> None:
        self.verifying = None
        self._refresh_header()
        self.query_one(TimelineView).invalidate()
        self.query_one(QuoteViewer).show(self.current_event, self.quote_index, self.pattern, force=True)
        self._announce_problems()

    def _apply_keymap(self) -> None:
        keymap, warnings = load_keymap(lambda: {b.id for b in _all_bindings() if b.id})
        if keymap:
            self.set_keymap(keymap)
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=10)

    def on_resize(self, event) -> None:
        if self.corpus is not None and self.screen is self._main_screen() and self.is_mounted:
            self.call_after_refresh(self._refresh_header)  # the order of its parts depends on the width
            self.call_after_refresh(self._refresh_density)  # as many periods as there is room for

    def _narrow(self) -> bool:
        """Is the main screen laid out for a narrow terminal (see HORIZONTAL_BREAKPOINTS)?"""
        if not self.screen_stack:  # composing: go by the terminal's size
            return self.size.width < 100
        screen = self._main_screen()
        return screen.has_class("-narrow") or screen.has_class("-tiny")

    # -- benchmark tracing ---------------------------------------------------------

    def trace_begin(self, name: str) -> None:
        """Benchmarks: an action starts (only when TIMELINE_EXPLORER_TRACE names a file)."""
        if self._trace_path:
            self._trace_open[name] = time.perf_counter_ns()

    def trace_end(self, name: str) -> None:
        """Benchmarks: the action's result is on screen once the next refresh is written."""
        if self._trace_path and name in self._trace_open:
            start = self._trace_open.pop(name)
            self.call_after_refresh(self._trace_write, name, start)

    def _trace_write(self, name: str, start: int) -> None:
        with open(self._trace_path, "a", encoding="utf-8") as handle:
            handle.write(f"{name} {(time.perf_counter_ns() - start) / 1e6:.3f}\n")

    # -- state out --------------------------------------------------------------

    def effective_query(self) -> Query:
        return replace(self.query_state, text=self.find_text if self.narrow_to_find else "")

    def _compute_view(self, select_position: int | None) -> dict:
        """The model side of a refresh: selection, rows, counts (no widget touched)."""
        query = self.effective_query()
        selection = self.corpus.select(query)
        self.selection = selection
        self.shown_count = len(selection)
        base = self.corpus.select(replace(query, actors=frozenset())) if query.actors else selection
        return {
            "rows": TimelineRows(self.corpus, selection),
            "count": ActorCounter(self.corpus, base),
            "select": select_position,
            "empty": ("No events match the filters.\nPress c to clear them." if not query.is_empty()
                      else "This corpus has no events."),
        }

    def refresh_view(self, select_position: int | None = None) -> None:
        """Recompute what is shown from the state, and push it to the widgets."""
        if select_position is None and self.current_event is not None:
            select_position = self.current_event.position
        view = self._compute_view(select_position)
        timeline = self.query_one(TimelineView)
        timeline.empty_message = view["empty"]
        timeline.show(view["rows"], matches=frozenset(self.match_positions), pattern=self.pattern,
                      select_position=view["select"])
        actor_list = self.query_one(ActorList)
        actor_list.show(count=view["count"], selected=self.effective_query().actors, narrow=actor_list.narrow)
        self._search()
        self._refresh_header()
        self._refresh_density()

    def _search(self) -> None:
        """Find the events matching the search among those shown: at once, or in a worker for big corpora."""
        text = self.find_text
        selection = self.selection
        if not text.strip():
            self._show_matches(text, None, [])
            return
        pattern = self.corpus.search_pattern(text)
        if len(self.corpus.events) < BACKGROUND_SEARCH:
            self._show_matches(text, pattern, self.corpus.search(text, selection))
            return
        self.searching = True
        self._refresh_header()

        def work() -> None:
            # A newer search cancels this one (exclusive worker): the scan then stops early.
            matches = self.corpus.search(text, selection, cancelled=lambda: worker.is_cancelled)
            if matches is not None and not worker.is_cancelled:
                self.call_from_thread(self._show_matches, text, pattern, matches)

        worker = self.run_worker(work, thread=True, exclusive=True, group="search", exit_on_error=False)

    def _show_matches(self, text: str, pattern: SearchPattern | None, matches: list[int]) -> None:
        if text != self.find_text:
            return  # a newer search is on its way
        self.searching = False
        self.pattern = pattern
        self.match_positions = matches
        timeline = self.query_one(TimelineView)
        timeline.set_matches(frozenset(matches), pattern)
        self._refresh_header()
        self.query_one(QuoteViewer).show(self.current_event, self.quote_index, self.pattern)
        if self._jump_after_search is not None:
            from_start = self._jump_after_search
            self._jump_after_search = None
            self._jump_to_match(0, from_start=from_start)
        self.trace_end("search")

    def _refresh_header(self) -> None:
        for header in self._main_screen().query("#header-bar").results(Static):
            header.update(self._header_text())

    def _header_text(self) -> Text:
        total = len(self.corpus.events)
        parts: list[tuple[str, str]] = [(f"{self.shown_count:,} of {total:,} events", "bold")]
        filters = replace(self.query_state, text="").describe(self.corpus)
        if filters:
            parts.append((safe_line(filters), "bold yellow"))
        if self.find_text.strip() and self.searching:
            parts.append((f"searching “{safe_line(self.find_text.strip())}”…", "bold cyan"))
        elif self.find_text.strip():
            n = len(self.match_positions)
            only = " (only matches shown)" if self.narrow_to_find else ""
            parts.append((f"search “{safe_line(self.find_text.strip())}”: {n} match{'es' if n != 1 else ''}{only}", "bold cyan"))
        if self.verifying is not None:
            parts.append((self.verifying, "italic"))
        if self.corpus.unanchored:
            parts.append((f"{len(self.corpus.unanchored)} unanchored (p)", "bold red"))
        if self.notes is not None and self.notes.marks:
            parts.append((f"● {len(self.notes.marks)} marked", "bold magenta"))
        if self.notes is not None and self.notes.unsaved:
            parts.append((f"{self.notes.unsaved} change(s) not saved yet", "bold red"))
        title = (safe_line(self.corpus.title), "bold")
        # Wide: the title first. Narrow: what is shown and why first, the title last.
        ordered = [title, *parts] if not self._narrow() else [*parts, (title[0], "dim")]
        header = Text(no_wrap=True, overflow="ellipsis")
        for i, (text, style) in enumerate(ordered):
            header.append(("  ·  " if i else " ") + text, style)
        return header

    # -- messages up --------------------------------------------------------------

    @on(TimelineView.Highlighted)
    def _event_highlighted(self, message: TimelineView.Highlighted) -> None:
        if message.event is not self.current_event:
            self.quote_index = 0
        self.current_event = message.event
        self.query_one(QuoteViewer).show(self.current_event, self.quote_index, self.pattern)
        self._update_density_cursor()

    @on(TimelineView.Opened)
    def _event_opened(self, message: TimelineView.Opened) -> None:
        self.action_open()

    @on(ActorList.Toggled)
    def _actor_toggled(self, message: ActorList.Toggled) -> None:
        self.trace_begin("toggle")
        actors = set(self.query_state.actors)
        actors.symmetric_difference_update({message.actor_id})
        self.query_state = replace(self.query_state, actors=frozenset(actors))
        self.refresh_view()
        self.trace_end("toggle")

    @on(Input.Changed, "#find")
    def _find_changed(self, message: Input.Changed) -> None:
        # Incremental, debounced: the view follows the typing without redoing work per key.
        if self._find_timer is not None:
            self._find_timer.stop()
        self._find_timer = self.set_timer(0.12, lambda: self._apply_find(message.value))

    def _apply_find(self, text: str) -> None:
        self.trace_begin("search")
        self.find_text = text
        self._jump_after_search = False
        if self.narrow_to_find:
            self.refresh_view()
        else:
            self._search()

    def submit_find(self, text: str) -> None:
        """Enter in the search field: search for ``text`` now and go back to the timeline."""
        if self._find_timer is not None:
            self._find_timer.stop()
        self._apply_find(text)
        self._hide_find()

    # -- actions ----------------------------------------------------------------

    _MAIN_SCREEN_ACTIONS = {
        "find", "next_match", "actors", "clear_filters", "dates", "toggle_narrow", "open", "quote",
        "copy", "cycle_pane", "escape", "mark", "next_mark", "marks", "note", "views", "export",
        "disagreements", "coverage", "zoom_in", "zoom_out",
    }

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions on the timeline, actors and quotes exist only on the main screen;
        while a corpus loads, quitting is the only one."""
        if self._loading is not None and self.screen is self._loading and action != "quit":
            return False
        if action in self._MAIN_SCREEN_ACTIONS and self.screen is not self._main_screen():
            return False
        return True

    def _main_screen(self) -> Screen:
        return self.screen_stack[0]

    def action_help(self) -> None:
        from .screens.dialogs import HelpScreen

        self.push_screen(HelpScreen(self._help_sections()))

    def _find_input(self) -> FindInput | None:
        found = self.query("#find")
        return found.first(FindInput) if found else None

    async def action_find(self) -> None:
        unless_typing(self)
        find = self._find_input()
        if find is None:  # made on first use: most sessions never search
            find = FindInput(placeholder="search titles, summaries and quotes (enter: keep, esc: clear)", id="find")
            await self.mount(find, before=self.query_one(KeyBar))
        find.add_class("-visible")
        with find.prevent(Input.Changed):
            find.value = self.find_text
        find.cursor_position = len(find.value)
        focus_now(find)

    def _hide_find(self) -> None:
        find = self._find_input()
        if find is not None:
            find.remove_class("-visible")
        focus_now(self.query_one(TimelineView))

    def action_clear_find(self) -> None:
        find = self._find_input()
        if self._find_timer is not None:
            self._find_timer.stop()
        if find is not None:
            with find.prevent(Input.Changed):
                find.value = ""
        self.find_text = ""
        self.narrow_to_find = False
        self._hide_find()
        self.refresh_view()

    def _jump_to_match(self, delta: int, *, from_start: bool) -> int | None:
        """Move to a matching event; return its index among the matches."""
        if not self.match_positions:
            return None
        matches = self.match_positions
        # The timeline's cursor is the truth even before its Highlighted message arrives.
        cursor_event = self.query_one(TimelineView).current_event
        current = cursor_event.position if cursor_event else -1
        if from_start:
            index = 0
        elif delta == 0:
            index = bisect.bisect_left(matches, current)
        elif delta > 0:
            index = bisect.bisect_right(matches, current)
        else:
            index = bisect.bisect_left(matches, current) - 1
        index %= len(matches)
        self.query_one(TimelineView).move_to_position(matches[index])
        return index

    def action_next_match(self, delta: int) -> None:
        if not self.find_text.strip():
            self.notify("No search yet: press / to search.", timeout=3)
            return
        if not self.match_positions:
            self.bell()
            self.notify("No event matches the search.", timeout=3)
            return
        index = self._jump_to_match(delta, from_start=False)
        self.notify(f"Match {index + 1} of {len(self.match_positions)}", timeout=1.5)

    def action_toggle_narrow(self) -> None:
        if not self.find_text.strip():
            self.notify("No search yet: press / to search, then f to show only the matches.", timeout=3)
            return
        self.narrow_to_find = not self.narrow_to_find
        self.refresh_view()

    def action_actors(self) -> None:
        unless_typing(self)
        self._main_screen().add_class("-show-sidebar")
        focus_now(self.query_one("#actor-filter", ActorFilterInput))

    def action_clear_filters(self) -> None:
        self.query_state = Query()
        self.narrow_to_find = False
        find = self._find_input()
        if find is not None:
            with find.prevent(Input.Changed):
                find.value = ""
        self.find_text = ""
        actor_filter = self.query_one("#actor-filter", ActorFilterInput)
        with actor_filter.prevent(Input.Changed):
            actor_filter.value = ""
        actor_list = self.query_one(ActorList)
        actor_list.narrow = ""
        actor_list._lines = []
        self.refresh_view()
        self.notify("Filters cleared.", timeout=2)

    def action_dates(self) -> None:
        def apply(result: tuple[EDTFDate | None, EDTFDate | None] | None) -> None:
            if result is None:
                return
            self.query_state = replace(self.query_state, date_from=result[0], date_to=result[1])
            self.refresh_view()

        from .screens.dialogs import DateRangeScreen

        self.push_screen(DateRangeScreen(self.query_state.date_from, self.query_state.date_to), apply)

    def action_quote(self, delta: int) -> None:
        event = self.current_event
        if event is None or not event.quotes:
            self.bell()
            return
        self.quote_index = (self.quote_index + delta) % len(event.quotes)
        self.query_one(QuoteViewer).show(event, self.quote_index, self.pattern)

    def action_open(self) -> None:
        event = self.current_event
        if event is None:
            return
        if not event.quotes:
            self.notify("This event cites no quote.", severity="warning", timeout=3)
            return

        def back(index: int | None) -> None:
            if index is not None and self.current_event is event:
                self.quote_index = index
                self.query_one(QuoteViewer).show(event, self.quote_index, self.pattern)

        from .screens.document import DocumentScreen

        self.push_screen(DocumentScreen(event, self.quote_index, self.pattern), back)

    def copy_quote(self, quote: Quote) -> None:
        # The citation style, if the settings name one, is read now: citeproc-py loads only for a styled copy.
        from ..model.cslformat import clipboard_citation
        from .settings import citation_style

        style, warning = citation_style()
        text, problem = clipboard_citation(quote, style)
        self.last_copied = text
        self.copy_to_clipboard(text)
        styled = f" in {style}" if style and style != "plain" and not problem else ""
        self.notify(f"Copied the quote with its citation{safe_line(styled)} ({len(quote.text)} characters).", timeout=3)
        for message in (warning, problem):
            if message:
                self.notify(safe_line(message), severity="warning", timeout=10)

    def action_copy(self) -> None:
        event = self.current_event
        if event is None or not event.quotes:
            self.bell()
            return
        self.copy_quote(event.quotes[self.quote_index])

    def action_problems(self) -> None:
        from .screens.dialogs import ProblemsScreen

        if self.reload_problems:
            self.push_screen(ProblemsScreen(self.reload_problems, title="Not reloaded: the corpus on disk has problems"))
        else:
            self.push_screen(ProblemsScreen(self.corpus.problems))

    def action_reload(self) -> None:
        self._reload()

    def action_escape(self) -> None:
        if self._main_screen().has_class("-show-sidebar"):
            self._main_screen().remove_class("-show-sidebar")
            focus_now(self.query_one(TimelineView))
            return
        if self.find_text:
            self.action_clear_find()

    def _panes(self) -> list:
        panes = []
        if not self._narrow() or self._main_screen().has_class("-show-sidebar"):
            panes.append(self.query_one(ActorList))
        panes.append(self.query_one(TimelineView))
        if not self._main_screen().has_class("-tiny") and not self._main_screen().has_class("-short"):
            panes.append(self.query_one(QuoteViewer))
        return panes

    def action_cycle_pane(self, delta: int) -> None:
        panes = self._panes()
        focused = self.focused
        index = 0
        for i, pane in enumerate(panes):
            if focused is pane or (focused is not None and pane in focused.ancestors) or (
                    isinstance(pane, ActorList) and isinstance(focused, ActorFilterInput)):
                index = i
                break
        target = panes[(index + delta) % len(panes)]
        focus_now(target)

    # -- command palette and help --------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in TimelineApp.BINDINGS:
            if binding.id in ("app.escape", "app.next-pane", "app.previous-pane"):
                continue
            action = binding.action
            yield SystemCommand(binding.description, _COMMAND_HELP.get(binding.id, binding.description),
                                lambda action=action: self.run_action(action))
        yield SystemCommand("First event", "Go to the first event", lambda: self.query_one(TimelineView).action_first())
        yield SystemCommand("Last event", "Go to the last event", lambda: self.query_one(TimelineView).action_last())

    def _key_display(self, binding: Binding) -> str:
        keys = self._keymap.get(binding.id, binding.key) if binding.id else binding.key
        shown = []
        for key in keys.split(","):
            key = key.strip()
            shown.append(self.get_key_display(Binding(key, binding.action)))
        return " / ".join(dict.fromkeys(shown))

    def _help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        sections = []
        for title, bindings in _binding_groups():
            rows = [(self._key_display(b), _COMMAND_HELP.get(b.id, b.description)) for b in bindings]
            sections.append((title, rows))
        return sections


_COMMAND_HELP = {
    "app.quit": "Quit",
    "app.help": "Show this help",
    "app.find": "Search titles, summaries and quotes (incremental; alias spellings count as one word)",
    "find.submit": "Keep the search and go back to the timeline",
    "app.next-match": "Next event matching the search",
    "app.previous-match": "Previous event matching the search",
    "app.actors": "Focus the actor list (type to narrow it)",
    "app.clear-filters": "Clear all filters and the search",
    "app.dates": "Filter by a date range (EDTF dates)",
    "app.only-matches": "Show only the events matching the search (toggle)",
    "app.open": "Open the source document at the selected quote",
    "app.previous-quote": "Previous quote of the event",
    "app.next-quote": "Next quote of the event",
    "app.copy": "Copy the selected quote with its citation (title, outlet, date)",
    "app.problems": "List quotes that no longer match their documents, and warnings",
    "app.reload": "Reload the corpus from disk, keeping the filters, search, marks and selected event",
    "app.mark": "Mark or unmark the selected event (kept in the corpus's notes file)",
    "app.next-mark": "Next marked event",
    "app.previous-mark": "Previous marked event",
    "app.marks": "List the marked events and notes",
    "app.note": "Write a note about the selected event",
    "app.views": "Saved views: name the current filters, or go back to saved ones",
    "app.export": "Export the current view or the marked events (Markdown, JSON, CSV)",
    "app.disagreements": "Disagreements: every claim, each source's version side by side",
    "app.coverage": "Coverage: which document reports which event",
    "app.zoom-in": "Zoom into the period of the selected event (time-density strip)",
    "app.zoom-out": "Zoom back out",
    "app.next-pane": "Next pane",
    "app.previous-pane": "Previous pane",
    "app.escape": "Close the actor pane / clear the search",
    "timeline.down": "Next event",
    "timeline.up": "Previous event",
    "timeline.first": "First event",
    "timeline.last": "Last event",
    "timeline.page-down": "Page down",
    "timeline.page-up": "Page up",
    "timeline.half-page-down": "Half a page down",
    "timeline.half-page-up": "Half a page up",
    "timeline.open": "Open the source document at the selected quote",
    "actors.toggle": "Select or deselect the actor (several: events of any of them)",
    "actors.to-list": "From the filter field to the list",
    "document.close": "Back to the timeline",
    "document.previous-quote": "Previous quote of the event (may switch document)",
    "document.next-quote": "Next quote of the event (may switch document)",
    "document.copy": "Copy the quote with its citation",
    "document.next-match": "Next search match in the document",
    "document.previous-match": "Previous search match in the document",
    "document.page-down": "Page down",
    "document.page-up": "Page up",
    "marks.close": "Close the list",
    "marks.unmark": "Mark or unmark the event",
    "marks.edit": "Edit the event's note",
    "note.save": "Save the note and close (nothing typed is dropped)",
    "note.revert": "Revert to the note as it was",
    "views.close": "Close",
    "views.delete": "Delete the saved view",
    "claims.close": "Back to the timeline",
    "claims.open": "Open the statement in its document",
    "claims.event": "Go to the event the claim is about",
    "coverage.close": "Back to the timeline",
    "coverage.open": "Open the quote under the cursor in its document",
    "coverage.sort": "Sort the events: by date, by number of sources, by the document under the cursor",
    "coverage.document": "Only the events of the document under the cursor (again: all)",
    "coverage.event": "Go to the event in the timeline",
}


def _binding_groups() -> list[tuple[str, list[Binding]]]:
    from .screens.document import DocumentScreen, DocumentView

    def only(bindings, ids):
        return [b for b in bindings if b.id in ids]

    from .screens.research import CoverageScreen, DisagreementsScreen, MarksScreen, NoteScreen, ViewsScreen

    research = {"app.mark", "app.next-mark", "app.previous-mark", "app.marks", "app.note", "app.views", "app.export",
                "app.disagreements", "app.coverage", "app.zoom-in", "app.zoom-out"}
    return [
        ("Everywhere", [b for b in TimelineApp.BINDINGS if b.id != "app.escape" and b.id not in research]),
        ("Research: marks, notes, views, time, sources", [b for b in TimelineApp.BINDINGS if b.id in research]),
        ("Timeline", [b for b in TimelineView.BINDINGS]),
        ("Actor list", [b for b in ActorList.BINDINGS if b.id == "actors.toggle"] + list(ActorFilterInput.BINDINGS)),
        ("Document view", list(DocumentScreen.BINDINGS) + only(DocumentView.BINDINGS, {"document.page-down", "document.page-up"})),
        ("Marks list, note editor, saved views", [*MarksScreen.BINDINGS, *NoteScreen.BINDINGS, *ViewsScreen.BINDINGS]),
        ("Disagreements and coverage", [*DisagreementsScreen.BINDINGS, *CoverageScreen.BINDINGS]),
    ]


def _all_bindings() -> list[Binding]:
    from .screens.dialogs import DateRangeScreen, HelpScreen, ProblemsScreen
    from .screens.document import DocumentScreen, DocumentView
    from .screens.research import (ConfirmScreen, CoverageMatrix, CoverageScreen, DisagreementsScreen, ExportScreen,
                                   MarksScreen, NoteScreen, ViewsScreen)

    return [
        *TimelineApp.BINDINGS, *TimelineView.BINDINGS, *ActorList.BINDINGS, *ActorFilterInput.BINDINGS,
        *QuoteViewer.BINDINGS, *DocumentScreen.BINDINGS, *DocumentView.BINDINGS, *FindInput.BINDINGS,
        *HelpScreen.BINDINGS, *ProblemsScreen.BINDINGS, *DateRangeScreen.BINDINGS,
        *MarksScreen.BINDINGS, *NoteScreen.BINDINGS, *ViewsScreen.BINDINGS, *ExportScreen.BINDINGS,
        *ConfirmScreen.BINDINGS, *DisagreementsScreen.BINDINGS, *CoverageScreen.BINDINGS, *CoverageMatrix.BINDINGS,
    ]


def keys_reference() -> str:
    """docs/keys.md: every binding, its default keys and what it does (a test keeps the file current)."""
    lines = [
        "# Keys",
        "",
        "Every key of Timeline Explorer, with the id to remap it by in",
        "`~/.config/timeline-explorer/keymap.toml` (see the README). Generated from the",
        "bindings themselves (`python -c \"from tui.app.app import keys_reference; print(keys_reference(), end='')\"`).",
        "",
        "| binding id | default keys | what it does |",
        "|---|---|---|",
    ]
    seen = set()
    for binding in _all_bindings():
        if not binding.id or binding.id in seen:
            continue
        seen.add(binding.id)
        keys = " ".join(f"`{k.strip()}`" for k in binding.key.split(","))
        what = _COMMAND_HELP.get(binding.id, binding.description).replace("|", "\\|")
        lines.append(f"| `{binding.id}` | {keys} | {what} |")
    return "\n".join(lines) + "\n"


def _resume_gc() -> None:
    gc.freeze()
    gc.enable()


def _record_first_paint(path: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{time.time_ns()}\n")


def citation_text(quote: Quote) -> str:
    """A quote as a researcher pastes it: “text” — Title, Outlet, date. URL (control characters escaped)."""
    from ..model.cslformat import plain_citation

    return plain_citation(quote)
