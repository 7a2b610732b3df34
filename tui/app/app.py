"""The Timeline Explorer app: it owns the state, widgets only show it.

State (the query, the search, the selected event and quote) lives here.
Widgets get it through their ``show`` methods and report what the user did
with messages; nothing reaches sideways into a sibling.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from msgspec.structs import replace
from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from ..collector import settle
from ..model.corpus import Corpus, Event, Query, Quote
from ..model.dates import EDTFDate
from ..model.errors import CorpusError, Problem, UsageError
from ..model.loader import ReadAhead
from ..model.opening import Plan, Source, open_store
from ..model.opening import plan as plan_of
from ..model.search import SearchPattern
from ..model.store import MANY_EVENTS, EventSet, EventStore, Matches, MemoryStore
from ..model.view import TimelineRows, periods_by_year
from ..model.wording import plural
from . import instrument
from .messages import (Answered, Compiled, CompiledChecked, CompileFailed, CopyQuote, EngineFailed, FindCleared,
                       FindKept, MatchesCounted, MatchesFound, OpenFailed, Opened, OpenProgress, Verified, VerifyProgress)
from .focus import focus_now, unless_typing
from .research_actions import NOTES_POLL_SECONDS, ResearchActions
from .keymap import load_keymap
from .text import safe_line
from .widgets.actors import ActorFilterInput, ActorList, ActorPane
from .widgets.density import DensityStrip
from .widgets.find import FindInput
from .widgets.keybar import KeyBar
from .widgets.timeline import TimelineView
from .widgets.viewer import QuoteViewer

if TYPE_CHECKING:  # the loading screen is imported when a source needs it
    from .screens.loading import LoadingScreen

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


class View(NamedTuple):
    """What a refresh shows: the events the filters select, their rows, the event to put the
    cursor on, and what to say when there are none."""

    events: EventSet
    rows: TimelineRows
    select: int | None
    empty: str


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
        Binding("T", "triage", "Triage drafts", show=False, id="app.triage"),
        Binding("Q", "event_quotes", "Edit quotes", show=False, id="app.event-quotes"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="app.next-pane", priority=True),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="app.previous-pane", priority=True),
        Binding("escape", "escape", "Back", show=False, id="app.escape"),
    ]

    # The explorer's state that the header shows: setting one redraws the header (``_state_shown``).
    # The rest it shows (the events, the matches, the marks) is redrawn where they change.
    query_state: var[Query] = var(Query, always_update=True, init=False)  # the filters, search text apart
    find_text: var[str] = var("", always_update=True, init=False)  # the search
    narrow_to_find: var[bool] = var(False, always_update=True, init=False)  # only the matches shown
    searching: var[bool] = var(False, always_update=True, init=False)  # a search runs in a worker
    busy: var[str | None] = var(None, always_update=True, init=False)  # what the engine is being asked
    verifying: var[str | None] = var(None, always_update=True, init=False)  # what the background check is doing

    def __init__(self, source: EventStore | Corpus | Plan, *, query: Query | None = None, find: str = "",
                 event_id: str | None = None, make_query: Callable[[EventStore], Query] | None = None,
                 resume_gc_after_start: bool = False, read_ahead: ReadAhead | None = None) -> None:
        """Explore ``source``: a store (or a loaded corpus) at once, or a ``Plan`` to open behind a
        progress screen (a large corpus, a table, an engine).

        ``make_query(store)`` gives the starting filters once the store is
        there (it may raise ``UsageError``, which ends the app with status 2).
        With ``resume_gc_after_start`` (the command line pauses the garbage
        collector while the app starts), the objects made until the first
        screen is painted are frozen, out of the collector's sight, and the
        collector resumes.  ``read_ahead`` is the plan's file being read
        already (see ``loader.ReadAhead``).
        """
        super().__init__()
        self.plan: Plan | None = source if isinstance(source, Plan) else None
        if isinstance(source, Corpus):
            source = MemoryStore(source)
        self.store: EventStore | None = None if self.plan is not None else source  # type: ignore[assignment]
        self._read_ahead = read_ahead
        self.resume_gc_after_start = resume_gc_after_start
        self.make_query = make_query
        self.load_problems: list = []  # why a source opened in the app could not be opened
        self.usage_message = ""  # what was wrong with the command line, found once the source opened
        self._loading: LoadingScreen | None = None  # the progress screen of an opening under way
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
        self.events: EventSet | None = None  # the events the filters select
        self.matches: Matches | None = None  # those of them matching the search
        self._count_failed = False  # the engine could not count them (the first ones are shown)
        self.pattern: SearchPattern | None = None
        self.last_copied: str | None = None
        self._find_timer = None
        self._jump_after_search: bool | None = None

    @property
    def corpus(self) -> Corpus | None:
        """The corpus held in memory, when the store is one (anchoring, editing); else None."""
        return getattr(self.store, "corpus", None)

    @property
    def shown_count(self) -> int:
        return len(self.events) if self.events is not None else 0

    @property
    def selection(self) -> EventSet | None:
        return self.events

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
        self._thread_hook = threading.excepthook
        threading.excepthook = self._thread_failed
        try:
            return super().run(*args, **kwargs)
        finally:
            threading.excepthook = self._thread_hook
            sys.setswitchinterval(previous)

    # -- ending on an error ----------------------------------------------------------

    class ThreadFailed(Message):
        """A thread of the app (loading, checking) ended on an exception."""

        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def _thread_failed(self, args: threading.ExceptHookArgs) -> None:
        """A thread ended on an exception: so does the app, as on one of its own (its traceback
        shown, exit status 1), instead of printing it under the screen and going on."""
        if self.is_running and args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
            self.post_message(self.ThreadFailed(args.exc_value))  # thread-safe
        else:
            self._thread_hook(args)

    def on_timeline_app_thread_failed(self, message: ThreadFailed) -> None:
        raise message.error

    # -- notifications ---------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Textual's notification, always as plain text: messages carry data (a saved
        view's name, a path, an event's title), and as markup ``[/b]`` in one would end the
        app. ``markup`` is ignored: a screen's or widget's ``notify`` passes ``True`` for
        every caller, and no message here needs styling."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        # Textual's version words this in markup.
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {self.get_key_display(active.binding)} to quit the app",
                            title="Do you want to quit?")
                return

    def _on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        # Textual's version words this in markup, with the path inside.
        if event.name == "screenshot":
            event.prevent_default()
            self.notify("Saved screenshot" + (f" to {safe_line(str(event.path))}" if event.path else ""),
                        title="Screenshot")

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
        if self.store is not None:
            self._prepare_main_screen()
            yield from self._main_widgets(self._first_view())

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

    def _first_view(self, store: EventStore | None = None) -> View:
        """The first view of ``store`` (the app's): the starting filters' events, the event to start on,
        and (on a small store) the search's matches. On a slow store, called from the opening thread."""
        store = store if store is not None else self.store
        select = store.position_of(self.start_event_id) if self.start_event_id else None
        view = self._compute_view(select, store)
        if self.find_text.strip() and not self._search_in_worker(store):
            self.matches = view.events.search(self.find_text)
            self.pattern = self.matches.pattern
            if select is None and self.matches:
                view = view._replace(select=self.matches.first())
        return view

    def _main_widgets(self, view: View) -> list:
        """The explorer's widgets, made with the first view already worked out.

        Computing the view before any widget exists and handing it to the
        widgets as they are made means the first layout is the final one.
        """
        self.events = view.events
        self._open_notes(self.store)
        timeline = TimelineView(self.store, id="timeline")
        # It is given the focus as soon as it has mounted (AUTO_FOCUS, or ``_start`` after a reload): styled
        # as focused from the start, it is not styled a second time, with its 16 component classes, for it.
        timeline.set_reactive(TimelineView.has_focus, True)
        timeline.annotations = self._annotation
        periods = periods_by_year(self.store)
        timeline.period_labels = lambda row: periods.get(row.year, "") if row.kind == "year" else ""
        timeline.prepare(view.rows, matches=self.matches, pattern=self.pattern, select_position=view.select,
                         empty_message=view.empty)
        self.current_event = timeline.current_event
        viewer = QuoteViewer(self.store, id="viewer")
        viewer.annotation = self._viewer_annotation
        viewer.event, viewer.quote_index, viewer.pattern = self.current_event, 0, self.pattern
        return [
            Static(self._header_text(), id="header-bar"),
            ActorPane(self.store, count=view.events.actor_count, selected=self.query_state.actors, id="sidebar"),
            Vertical(DensityStrip(id="density"), timeline, id="timeline-pane"),
            viewer,
            KeyBar(),
        ]

    def on_mount(self) -> None:
        if self.theme != "textual-dark":
            self.theme = "textual-dark"  # fixed, for predictable screens and snapshots
        self._apply_keymap()
        if self.store is not None:
            self._start()
        else:
            self._open_in_app()

    def _start(self) -> None:
        """The explorer is on screen: focus it and set the background work going."""
        instrument.first_paint(self)
        if self.resume_gc_after_start:
            self.resume_gc_after_start = False
            self.call_after_refresh(settle)
        if self.find_text.strip() and self._search_in_worker():
            self._jump_after_search = self.start_event_id is None
            self._search()
        self.query_one(TimelineView).focus()
        if getattr(self.store, "verified", True):
            self._announce_problems()
        else:
            self._verify_in_background()
        if getattr(self.store, "compiled", None) is not None:
            self._check_compiled_source()
        if getattr(self.store, "completion", None) is not None:
            self._complete_in_background()
        if self.store.slow:
            self._count_actors()
        if self.store.slow or len(self.store) >= MANY_EVENTS:
            # After the first paint: a first screen does not need the strip.
            self.call_after_refresh(self._refresh_density)
        else:
            self._refresh_density()
        if self._notes_timer is None:
            self._notes_timer = self.set_interval(NOTES_POLL_SECONDS, self._poll_notes)

    # -- work away from the interface ------------------------------------------------

    def _from_worker(self, message: Message) -> None:
        """From a worker's thread: post ``message`` to the app (nothing if the app has quit meanwhile)."""
        try:
            self.post_message(message)
        except RuntimeError:  # the event loop closed as the app quit
            pass

    def _ask(self, what: str, question: Callable[[], object], then: Callable[[object], None], *,
             group: str = "engine") -> None:
        """Ask the store ``question()`` away from the interface, saying ``what`` meanwhile, then
        ``then(answer)`` here (``Answered``); a newer question of the same ``group`` cancels an older
        one.  On a store that answers at once, it is asked here and now."""
        if not self.store.slow:
            then(question())
            return
        answer_now = getattr(self.store, "answer_now", None)
        if answer_now is not None:  # what the store has learnt answers at once (a filter toggled back)
            try:
                known, answer = answer_now(question)
            except Exception:  # noqa: BLE001 - asked again in the worker, whose failure is said
                known, answer = False, None
            if known:
                self.workers.cancel_group(self, group)  # an older question's answer must not come after it
                then(answer)
                return
        self.busy = what

        def work() -> None:
            try:
                answer = question()
            except Exception as exc:  # an engine's failure mid-session: said, and the last screen kept
                if not worker.is_cancelled:
                    self._from_worker(EngineFailed(what, exc))
                return
            if not worker.is_cancelled:
                self._from_worker(Answered(then, answer, worker))

        # A worker of its own, not ``@work``: the group (what a newer question cancels) is the caller's.
        worker = self.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=False)

    def on_answered(self, message: Answered) -> None:
        self.busy = None
        if message.worker is not None and message.worker.is_cancelled:
            return  # a newer question of its group was asked (and maybe answered at once) since
        message.then(message.answer)

    def on_engine_failed(self, failure: EngineFailed) -> None:
        from ..model.engine.backends import redact

        what, exc = failure.what, failure.error
        self.busy = None
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        self.notify(f"The engine could not answer ({what}): {safe_line(redact(message))[:300]}. "
                    "The last screen stays.", severity="error", timeout=12)

    # -- opening in the app -----------------------------------------------------------------

    def _open_in_app(self, *, reload: bool = False) -> None:
        """Open the plan's source behind a progress screen; the explorer comes when it has opened."""
        from .screens.loading import LoadingScreen

        plan = self.plan
        screen = LoadingScreen(plan.shown, "Reloading" if reload else "Opening")
        self.push_screen(screen)
        self._loading = screen
        read_ahead, self._read_ahead = self._read_ahead, None

        def progress(phase: str, fraction: float | None) -> None:
            self._from_worker(OpenProgress(phase, fraction))

        def work() -> None:
            try:
                store = open_store(plan, progress, read_ahead=read_ahead, early=True)
            except CorpusError as exc:
                self._from_worker(OpenFailed(exc, reload))
                return
            except Exception as exc:  # never a traceback: an engine's own failure, in one located line
                from ..model.engine.backends import redact

                problem = Problem(plan.shown, "", f"cannot be opened: {redact(str(exc)).splitlines()[0][:300]}",
                                  "check the source (and the engine, with --engine)", code="engine")
                self._from_worker(OpenFailed(CorpusError([problem]), reload))
                return
            progress("showing", None)
            view = self._view_for(store, reload)
            self._from_worker(Opened(store, view, reload))

        import threading

        # A daemon thread, not a worker: quitting while an engine compiles a large source must end the
        # process at once, and Textual runs thread workers in asyncio's default executor, whose threads
        # are waited for when the event loop closes and again when the interpreter exits.
        threading.Thread(target=work, name="opening", daemon=True).start()

    def on_open_progress(self, message: OpenProgress) -> None:
        if self._loading is not None:
            self._loading.show_progress(message.phase, message.fraction)

    async def on_opened(self, message: Opened) -> None:
        if message.reload:
            await self._reloaded(message.store, message.view)
        else:
            await self._opened(message.store, message.view)

    async def on_open_failed(self, message: OpenFailed) -> None:
        if message.reload:
            await self._reload_failed(message.error)
        else:
            self._load_failed(message.error)

    def _view_for(self, store: EventStore, reload: bool) -> View | None:
        """The first view of a store just opened (in the opening thread: a slow store asks the engine)."""
        if not reload and self.make_query is not None:
            return None  # the starting filters come from the command line first (see ``_opened``)
        return self._first_view(store)  # of that store: the app's own stays the one on screen until then

    async def _opened(self, store: EventStore, view: View | None) -> None:
        if self.make_query is not None:
            try:
                query = self.make_query(store)
            except UsageError as exc:
                self.usage_message = str(exc)
                self.exit(return_code=2)
                return
            self.make_query = None
            self.query_state = replace(query, text="")
            self.find_text = self.find_text or query.text
        self.store = store
        if view is None:
            view = await self._in_thread(self._first_view)
        await self._end_loading()
        await self._main_screen().mount_all(self._main_widgets(view))
        self._start()

    async def _in_thread(self, work: Callable[[], object]):
        """``work()`` in a thread (a slow store's first view), awaited without blocking the interface."""
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, work)

    async def _end_loading(self) -> None:
        if self._loading is not None:
            if self.screen is self._loading:
                await self.pop_screen()
            self._loading = None

    def _load_failed(self, error: CorpusError) -> None:
        self.load_problems = error.problems
        self.exit(return_code=1)

    # -- reloading ---------------------------------------------------------------------

    def _reload(self) -> None:
        """Open the source again from its files; on success show it keeping the filters, the
        search and the selected event; on failure keep what is on screen."""
        if self._loading is not None or self.store is None:
            return
        self.workers.cancel_group(self, "verify")
        origin = getattr(self.store, "origin", None)
        if self.plan is None:
            self.plan = plan_of(Source(str(origin) if origin is not None else None))
        self.start_event_id = self.current_event.id if self.current_event is not None else None
        self._open_in_app(reload=True)

    async def _reloaded(self, store: EventStore, view: View | None) -> None:
        self.reload_problems = []
        await self._end_loading()
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        old = self.store
        self.store = store
        # Filters naming actors or types the corpus no longer has are dropped.
        # Set without redrawing the header: the one on screen stays as it is until it is replaced below.
        self.set_reactive(TimelineApp.query_state, replace(
            self.query_state, actors=frozenset(a for a in self.query_state.actors if a in store.actors),
            types=frozenset(t for t in self.query_state.types if t in store.types)))
        if view is None or view.events.query != self.effective_query():
            view = await self._in_thread(self._first_view)
        self.set_reactive(TimelineApp.verifying, None)
        main = self._main_screen()
        await main.query("#header-bar, #sidebar, #timeline-pane, #viewer, KeyBar").remove()
        await main.mount_all(self._main_widgets(view))
        self._start()
        if old is not store and hasattr(old, "close"):
            old.close()

    async def _reload_failed(self, error: CorpusError) -> None:
        await self._end_loading()
        self.reload_problems = error.problems
        if not getattr(self.store, "verified", True):
            self._verify_in_background()  # it was stopped for the reload
        from .screens.dialogs import ProblemsScreen

        self.notify(f"{len(error.problems)} problem(s): the corpus was not reloaded; the last good state stays "
                    "on screen.", severity="error", timeout=15)
        self.push_screen(ProblemsScreen(error.problems, title="Not reloaded: the corpus on disk has problems"))

    def on_unmount(self) -> None:
        self._rescue_unsaved_notes()
        if self.store is not None and hasattr(self.store, "close"):
            self.store.close()

    def _announce_problems(self) -> None:
        errors = self.store.errors
        if errors:
            unanchored = len(self.store.unanchored)
            other = len(errors) - unanchored
            parts = []
            if unanchored:
                parts.append(f"{unanchored} {plural(unanchored, 'quote')} no longer match their documents")
            if other:
                parts.append(f"{other} other {plural(other, 'problem')}")
            self.notify(" and ".join(parts) + ": press p to see them.", severity="warning", timeout=8)

    def _verify_in_background(self) -> None:
        """Anchor every quote after the first paint, showing progress; then warm the search index."""
        self.verifying = "checking quotes"
        self._verify(self.store)

    @work(thread=True, group="verify", exit_on_error=False)
    def _verify(self, store: EventStore) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self._from_worker(VerifyProgress(done / max(1, total)))

        store.verify(progress=progress, cancelled=lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return
        self._from_worker(Verified())
        corpus = getattr(store, "corpus", None)
        if corpus is not None:
            corpus.search_index()  # the first search of a big corpus need not wait for it

    def _complete_in_background(self) -> None:
        """A table shown before its compile ended (``open_store(early=True)``): the rest compiles away from
        the interface, the header saying so; the store answers meanwhile, its searches more slowly."""
        store = self.store
        self.verifying = "indexing"

        def work() -> None:
            try:
                store.completion()
            except Exception as exc:  # noqa: BLE001 - said; the table stays open as it is
                self._from_worker(CompileFailed(store, exc))
                return
            self._from_worker(Compiled(store))

        import threading

        # A daemon thread, as opening's, not a worker: quitting does not wait for a compile of minutes
        # (closing the store discards it, and the next open compiles again).
        threading.Thread(target=work, name="compiling", daemon=True).start()

    def on_compiled(self, message: Compiled) -> None:
        if message.store is self.store:
            self.verifying = None

    def on_compile_failed(self, message: CompileFailed) -> None:
        if message.store is not self.store:
            return
        self.verifying = None
        exc = message.error
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        self.notify(f"The table could not be compiled ({safe_line(first)[:300]}): it stays open as it is, "
                    "its searches slower, and is compiled again next time.", severity="warning", timeout=12)

    def _check_compiled_source(self) -> None:
        """A compiled cache is used while its corpus file has the size and time it was made from: its
        content is compared in a worker, and a cache that differs is built again."""
        self._compare_compiled(self.store)

    @work(thread=True, group="cache-check", exit_on_error=False)
    def _compare_compiled(self, store: EventStore) -> None:
        from ..model.engine.largefile import is_current

        self._from_worker(CompiledChecked(store, is_current(store)))

    def on_compiled_checked(self, message: CompiledChecked) -> None:
        store = message.store
        if not message.current and store is self.store:
            self.notify("The corpus file changed since it was compiled: compiling it again.", severity="warning",
                        timeout=8)
            import shutil

            compiled = store.compiled_path
            if compiled is not None:
                store.close()
                if compiled.is_dir():
                    shutil.rmtree(compiled, ignore_errors=True)
                else:
                    compiled.unlink(missing_ok=True)
            self._reload()

    def on_verify_progress(self, message: VerifyProgress) -> None:
        self.verifying = f"checking quotes {message.fraction:.0%}"

    def on_verified(self, message: Verified) -> None:
        self.verifying = None
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
        if self.store is not None and self.screen is self._main_screen() and self.is_mounted:
            self.call_after_refresh(self._refresh_header)  # the order of its parts depends on the width
            self.call_after_refresh(self._refresh_density)  # as many periods as there is room for

    def _narrow(self) -> bool:
        """Is the main screen laid out for a narrow terminal (see HORIZONTAL_BREAKPOINTS)?"""
        if not self.screen_stack:  # composing: go by the terminal's size
            return self.size.width < 100
        screen = self._main_screen()
        return screen.has_class("-narrow") or screen.has_class("-tiny")

    # -- state out --------------------------------------------------------------

    def effective_query(self) -> Query:
        return replace(self.query_state, text=self.find_text if self.narrow_to_find else "")

    def _compute_view(self, select_position: int | None, store: EventStore | None = None) -> View:
        """The model side of a refresh of ``store`` (the app's): the events, their rows (no widget touched;
        on a slow store, in a worker, with the page around the selected event fetched too)."""
        store = store if store is not None else self.store
        query = self.effective_query()
        events = store.select(query)
        if store.slow and len(events):
            index = events.index_of(select_position) if select_position is not None else 0
            events.positions(max(0, index - 100), index + 100)
        return View(events, TimelineRows(events), select_position,
                    "No events match the filters.\nPress c to clear them." if not query.is_empty()
                    else "This corpus has no events.")

    def refresh_view(self, select_position: int | None = None) -> None:
        """Recompute what is shown from the state, and push it to the widgets."""
        if select_position is None and self.current_event is not None:
            select_position = self.current_event.position
        self._ask("filtering", lambda: self._compute_view(select_position), self._show_view, group="view")

    def _show_view(self, view: View) -> None:
        self.events = view.events
        timeline = self.query_one(TimelineView)
        timeline.empty_message = view.empty
        timeline.show(view.rows, matches=self.matches, pattern=self.pattern, select_position=view.select)
        actor_list = self.query_one(ActorList)
        actor_list.show(count=view.events.actor_count, selected=self.effective_query().actors, narrow=actor_list.narrow)
        self._search()
        self._refresh_header()
        if self.store.slow:
            # The events first: the engine's counts (every actor's, the strip's) would share the machine
            # with drawing them, so they are asked once the screen is drawn.
            self.call_after_refresh(self._count_actors)
            self.call_after_refresh(self._refresh_density)
        else:
            self._refresh_density()
        instrument.trace_end(self, "toggle")

    def _count_actors(self) -> None:
        """A slow store counts every actor's events in one question to the engine; the list shows them then."""
        events = self.events

        def shown(counts: object) -> None:
            if events is self.events:
                self.query_one(ActorList).refresh_counts()

        self._ask("counting actors", events.actor_counts, shown, group="actors")

    def _search_in_worker(self, store: EventStore | None = None) -> bool:
        store = store if store is not None else self.store
        return store.slow or len(store) >= MANY_EVENTS

    def _search(self) -> None:
        """Find the events matching the search among those shown: at once, or in a worker for big corpora."""
        text = self.find_text
        events = self.events
        if not text.strip():
            self._show_matches(text, None)
            return
        if not self._search_in_worker():
            self._show_matches(text, events.search(text))
            return
        self.searching = True
        self._search_events(events, text)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_events(self, events: EventSet, text: str) -> None:
        # A newer search cancels this one (exclusive worker): the scan then stops early.
        worker = get_current_worker()
        # On an engine, the first matches are shown at once and counted after: the header says so.
        try:
            if self.store.slow:
                matches = events.search(text, cancelled=lambda: worker.is_cancelled, counted=False)
            else:
                matches = events.search(text, cancelled=lambda: worker.is_cancelled)
            if matches is None or worker.is_cancelled:
                return
            self._from_worker(MatchesFound(text, matches))
        except Exception as exc:
            if not worker.is_cancelled:
                self._from_worker(EngineFailed("searching", exc))
            return
        if matches.counted or worker.is_cancelled:
            return  # a newer search does not wait behind this one's count
        try:
            len(matches)
        except Exception as exc:  # the first matches stay shown, said as not counted
            if not worker.is_cancelled:
                self._from_worker(MatchesCounted(text, matches, exc))
            return
        if not worker.is_cancelled:
            self._from_worker(MatchesCounted(text, matches))

    def on_matches_found(self, message: MatchesFound) -> None:
        self._show_matches(message.text, message.matches)

    def on_matches_counted(self, message: MatchesCounted) -> None:
        if message.error is not None:
            self.post_message(EngineFailed("counting the matches", message.error))
        if message.matches is self.matches:
            self._count_failed = message.error is not None
            self._refresh_header()
            self.query_one(TimelineView).invalidate()  # the rows drawn before: which of them match is known now

    def _show_matches(self, text: str, matches: Matches | None) -> None:
        if text != self.find_text:
            return  # a newer search is on its way
        self.matches = matches
        self._count_failed = False
        self.pattern = matches.pattern if matches is not None else None
        self.searching = False  # and the header shows the matches
        timeline = self.query_one(TimelineView)
        timeline.set_matches(matches, self.pattern)
        self.query_one(QuoteViewer).show(self.current_event, self.quote_index, self.pattern)
        if self._jump_after_search is not None:
            from_start = self._jump_after_search
            self._jump_after_search = None
            self._jump_to_match(0, from_start=from_start)
        instrument.trace_end(self, "search")

    def _state_shown(self) -> None:
        """One of the reactives the header shows changed: redraw it (if there is one yet)."""
        if self.screen_stack:
            self._refresh_header()

    _watch_query_state = _watch_find_text = _watch_narrow_to_find = _state_shown
    _watch_searching = _watch_busy = _watch_verifying = _state_shown

    def _refresh_header(self) -> None:
        for header in self._main_screen().query("#header-bar").results(Static):
            header.update(self._header_text())

    def _header_text(self) -> Text:
        total = len(self.store)
        parts: list[tuple[str, str]] = [(f"{self.shown_count:,} of {total:,} events", "bold")]
        filters = replace(self.query_state, text="").describe(self.store)
        if filters:
            parts.append((safe_line(filters), "bold yellow"))
        if self.find_text.strip() and self.searching:
            parts.append((f"searching “{safe_line(self.find_text.strip())}”…", "bold cyan"))
        elif self.find_text.strip():
            matches = self.matches
            n = (len(matches) if matches.counted else matches.least) if matches is not None else 0
            counted = matches is None or matches.counted
            found = (f"{n:,} match{'es' if n != 1 else ''}" if counted
                     else f"{n - 1:,}+ matches" + (" (not counted)" if self._count_failed else ", counting…"))
            only = " (only matches shown)" if self.narrow_to_find else ""
            parts.append((f"search “{safe_line(self.find_text.strip())}”: {found}{only}", "bold cyan"))
        if self.busy is not None:
            parts.append((f"{self.busy}…", "italic"))
        if self.verifying is not None:
            parts.append((self.verifying, "italic"))
        if self.store.unanchored:
            parts.append((f"{len(self.store.unanchored)} unanchored (p)", "bold red"))
        if self.notes is not None and self.notes.marks:
            parts.append((f"● {len(self.notes.marks)} marked", "bold magenta"))
        if self.notes is not None and self.notes.unsaved:
            parts.append((f"{self.notes.unsaved} change(s) not saved yet", "bold red"))
        title = (safe_line(self.store.title), "bold")
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

    @on(TimelineView.WantRows)
    def _rows_wanted(self, message: TimelineView.WantRows) -> None:
        events, matches, timeline = self.events, self.matches, self.query_one("#timeline", TimelineView)

        def fetch() -> None:
            positions = events.positions(message.first, message.end)
            fetch_matches = getattr(matches, "fetch_between", None)
            if positions and fetch_matches is not None:
                fetch_matches(positions[0], positions[-1])  # which of them to mark, for a large result

        self._ask("fetching events", fetch, lambda _: timeline.rows_arrived() if events is self.events else None,
                  group="rows")

    @on(ActorList.Toggled)
    def _actor_toggled(self, message: ActorList.Toggled) -> None:
        instrument.trace_begin("toggle")
        actors = set(self.query_state.actors)
        actors.symmetric_difference_update({message.actor_id})
        self.query_state = replace(self.query_state, actors=frozenset(actors))
        self.refresh_view()  # shown by ``_show_view``, which ends the trace

    @on(Input.Changed, "#find")
    def _find_changed(self, message: Input.Changed) -> None:
        # Incremental, debounced: the view follows the typing without redoing work per key.
        if self._find_timer is not None:
            self._find_timer.stop()
        self._find_timer = self.set_timer(0.12, lambda: self._apply_find(message.value))

    def _apply_find(self, text: str) -> None:
        instrument.trace_begin("search")
        self.find_text = text
        self._jump_after_search = False
        if self.narrow_to_find:
            self.refresh_view()
        else:
            self._search()

    def on_find_kept(self, message: FindKept) -> None:
        """Enter in the search field: search for its text now and go back to the timeline."""
        if self._find_timer is not None:
            self._find_timer.stop()
        self._apply_find(message.text)
        self._hide_find()

    def on_find_cleared(self, message: FindCleared) -> None:
        self.action_clear_find()

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
            find = FindInput(back_to=self.query_one(TimelineView), id="find",
                             placeholder="search titles, summaries and quotes (enter: keep, esc: clear)")
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

    def _jump_to_match(self, delta: int, *, from_start: bool, say: bool = False) -> None:
        """Move to a matching event: the first, the one at or after the cursor (``delta`` 0), the
        next or the previous (wrapping around); with ``say``, tell which of how many it is."""
        matches = self.matches
        if not matches:
            return
        # The timeline's cursor is the truth even before its Highlighted message arrives.
        cursor_event = self.query_one(TimelineView).current_event
        current = cursor_event.position if cursor_event else -1

        def find() -> tuple[int | None, int]:
            if from_start or current < 0:
                target = matches.first()
            elif delta == 0:  # at or after the cursor (asked, not looked up: a large result's may not be known)
                target = matches.after(current - 1)
            elif delta > 0:
                target = matches.after(current)
            else:
                target = matches.before(current)
            # How many: known, or said as at least so many while the engine counts them (not waited for).
            total = (len(matches) if matches.counted else None) if say else 0
            return target, matches.index(target) if target is not None else 0, total

        def go(found: object) -> None:
            target, index, total = found  # type: ignore[misc]
            if target is None:
                return
            self.go_to_position(target)
            if say:
                of = f"{total:,}" if total is not None else f"{max(matches.least - 1, index + 1):,}+"
                self.notify(f"Match {index + 1:,} of {of}", timeout=1.5)

        self._ask("finding the match", find, go, group="jump")

    def go_to_position(self, position: int) -> None:
        """Put the cursor on the event at ``position`` (one of those shown); on a slow store, once
        the engine has said where it falls and its page is fetched."""
        timeline = self.query_one(TimelineView)
        events = self.events

        def locate() -> int:
            index = events.index_of(position)
            events.positions(max(0, index - 50), index + 50)
            return index

        def move(index: object) -> None:
            if events is self.events:
                timeline.move_to_position(position)

        if self.store.slow:
            self._ask("finding the event", locate, move, group="jump")
        else:
            timeline.move_to_position(position)

    def action_next_match(self, delta: int) -> None:
        if not self.find_text.strip():
            self.notify("No search yet: press / to search.", timeout=3)
            return
        if not self.matches:
            self.bell()
            self.notify("No event matches the search.", timeout=3)
            return
        self._jump_to_match(delta, from_start=False, say=True)

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

    def action_clear_filters(self, select_position: int | None = None) -> None:
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
        self.query_one(ActorList).reset()
        self.refresh_view(select_position)
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

    def on_copy_quote(self, message: CopyQuote) -> None:
        self.copy_quote(message.quote)

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
            self.push_screen(ProblemsScreen(self.store.problems))

    def action_triage(self) -> None:
        from .editing import open_triage

        open_triage(self)

    def action_event_quotes(self) -> None:
        from .editing import open_event_quotes

        open_event_quotes(self)

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

    def action_command_palette(self) -> None:
        """Textual's command palette, with its page keys made safe (see palette.py)."""
        from .palette import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette"))

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
        if screen is self._main_screen():
            yield SystemCommand("Edit actor", _COMMAND_HELP["actors.edit"],
                                lambda: self.query_one(ActorList).action_edit_actor())
        yield from getattr(screen, "palette_commands", tuple)()  # a screen's own keys (the document view's editing)

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
    "app.event-quotes": "The selected event's quotes: remove one, move one up or down (written to corpus.json)",
    "app.triage": "Triage the draft events (extract's candidates): accept, reject or merge each, with the count left",
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
    "actors.edit": "Edit the actor under the cursor: name, aliases, members (written to corpus.json)",
    "document.close": "Back to the timeline",
    "document.previous-quote": "Previous quote of the event (may switch document)",
    "document.next-quote": "Next quote of the event (may switch document)",
    "document.copy": "Copy the quote with its citation",
    "document.open-url": "Open the document's web address (in a browser, `serve`: a new tab; in a terminal: shown)",
    "document.find": "Find in this document (incremental; enter keeps it, esc cancels)",
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

    from .screens.coverage import CoverageScreen
    from .screens.disagreements import DisagreementsScreen
    from .screens.marks import MarksScreen
    from .screens.notes import NoteScreen
    from .screens.views import ViewsScreen

    research = {"app.mark", "app.next-mark", "app.previous-mark", "app.marks", "app.note", "app.views", "app.export",
                "app.disagreements", "app.coverage", "app.zoom-in", "app.zoom-out"}
    return [
        ("Everywhere", [b for b in TimelineApp.BINDINGS if b.id != "app.escape" and b.id not in research]),
        ("Research: marks, notes, views, time, sources", [b for b in TimelineApp.BINDINGS if b.id in research]),
        ("Timeline", [b for b in TimelineView.BINDINGS]),
        ("Actor list", [b for b in ActorList.BINDINGS if b.id in ("actors.toggle", "actors.edit")]
         + list(ActorFilterInput.BINDINGS)),
        ("Document view", list(DocumentScreen.BINDINGS) + only(DocumentView.BINDINGS, {"document.page-down", "document.page-up"})),
        ("Marks list, note editor, saved views", [*MarksScreen.BINDINGS, *NoteScreen.BINDINGS, *ViewsScreen.BINDINGS]),
        ("Disagreements and coverage", [*DisagreementsScreen.BINDINGS, *CoverageScreen.BINDINGS]),
        ("Draft triage, new event form, session's changes", _triage_bindings()),
    ]


def _triage_bindings() -> list[Binding]:
    from .screens import editing as e

    return [*e.TriageScreen.BINDINGS, *e.NewEventScreen.BINDINGS, *e.ChangesScreen.BINDINGS,
            *e.EventQuotesScreen.BINDINGS, *e.ClaimScreen.BINDINGS, *e.ReasonScreen.BINDINGS, *e.ActorScreen.BINDINGS]


def _all_bindings() -> list[Binding]:
    from .screens.dialogs import DateRangeScreen, HelpScreen, ProblemsScreen
    from .screens.document import DocumentScreen, DocumentView
    from .screens.confirm import ConfirmScreen
    from .screens.coverage import CoverageMatrix, CoverageScreen
    from .screens.disagreements import DisagreementsScreen
    from .screens.export import ExportScreen
    from .screens.marks import MarksScreen
    from .screens.notes import NoteScreen
    from .screens.views import ViewsScreen

    return [
        *TimelineApp.BINDINGS, *TimelineView.BINDINGS, *ActorList.BINDINGS, *ActorFilterInput.BINDINGS,
        *QuoteViewer.BINDINGS, *DocumentScreen.BINDINGS, *DocumentView.BINDINGS, *FindInput.BINDINGS,
        *HelpScreen.BINDINGS, *ProblemsScreen.BINDINGS, *DateRangeScreen.BINDINGS,
        *MarksScreen.BINDINGS, *NoteScreen.BINDINGS, *ViewsScreen.BINDINGS, *ExportScreen.BINDINGS,
        *ConfirmScreen.BINDINGS, *DisagreementsScreen.BINDINGS, *CoverageScreen.BINDINGS, *CoverageMatrix.BINDINGS,
        *_triage_bindings(),
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


def exit_status(app: App, result: object) -> int:
    """The process's exit status once ``app.run()`` returned ``result``.

    1 when the app ended on an unhandled exception (Textual printed its
    traceback), whatever status was asked for before or after it; else the
    status asked for (``exit(return_code=...)``, 0 by default).
    """
    if getattr(app, "_exception", None) is not None:  # Textual keeps the exception the app ended on
        return 1
    return result if isinstance(result, int) else (app.return_code or 0)
