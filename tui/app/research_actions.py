"""The research workflow on top of the explorer: marks, notes, saved views,
zooming through time, exports, and the disagreement and coverage views.

A mixin of ``TimelineApp`` (the bindings live there with all the others);
the state lives in the model (``model.notes``, ``model.density``,
``model.coverage``), these methods only connect it to the widgets.
"""

from __future__ import annotations

import bisect
from pathlib import Path

from msgspec.structs import replace

from ..model.density import period_containing, period_dates
from ..model.notes import NotesStore, SaveResult, query_from_view, view_from_query
from ..model.store import MANY_EVENTS
from ..resources import bundled_corpus
from .messages import NotesChanged
from .text import safe_line
from .widgets.density import DensityStrip
from .widgets.timeline import TimelineView
from .widgets.viewer import QuoteViewer

NOTES_POLL_SECONDS = 2.0


class ResearchActions:
    """Mixed into ``TimelineApp``."""

    notes: NotesStore | None = None
    zoom_stack: list[tuple] = []
    # Where the changes to the marks and notes that could not be written went when the app ended.
    rescued_notes: Path | None = None
    _notes_origin: Path | None = None

    # -- the notes store -------------------------------------------------------------

    def _open_notes(self, corpus) -> None:
        origin = corpus.origin
        if self.notes is not None and self._notes_origin == origin:
            return
        try:
            bundled = origin.resolve().parent == bundled_corpus().resolve()
        except OSError:
            bundled = False
        self._notes_origin = origin
        self.notes = NotesStore.for_corpus(origin, bundled=bundled)
        if self.notes.load_error:
            self.call_later(self.notify, safe_line(self.notes.load_error), severity="warning", timeout=20)

    async def action_quit(self) -> None:
        """Quit; with changes to the marks and notes that could not be written, ask where they should go."""
        notes = self.notes
        if notes is not None and notes.unsaved and not notes.retry().saved:
            from .screens.unsaved import UnsavedNotesScreen

            def answer(result: tuple[str, Path | None] | None) -> None:
                if result is None:
                    return
                verb, path = result
                if verb == "saved":
                    self.rescued_notes = path
                self.exit()

            self.push_screen(UnsavedNotesScreen(notes, notes.default_rescue_path()), answer)
            return
        self.exit()

    def _rescue_unsaved_notes(self) -> None:
        """The app ends with changes it could not write, and nobody was asked (the terminal went
        away, an error): write them to a new file in the data folder rather than lose them."""
        notes = self.notes
        if notes is None or not notes.unsaved or self.rescued_notes is not None:
            return
        if notes.retry().saved:
            return
        try:
            self.rescued_notes = notes.rescue()
        except Exception:  # nothing more can be done; the session's end says so
            self.rescued_notes = None

    def _annotation(self, event_id: str) -> tuple[bool, bool]:
        notes = self.notes
        if notes is None:
            return False, False
        return notes.is_marked(event_id), event_id in notes.notes

    def _viewer_annotation(self, event_id: str) -> tuple[bool, str]:
        notes = self.notes
        if notes is None:
            return False, ""
        return notes.is_marked(event_id), notes.note(event_id)

    def _poll_notes(self) -> None:
        """Another session may have written marks or notes: show them."""
        notes = self.notes
        if notes is None or not notes.changed_on_disk():
            if notes is not None and notes.unsaved:
                result = notes.retry()
                if result.saved:
                    self._report_save(result, quiet=True)
                    self._refresh_header()
            return
        try:
            changed = notes.reload()
        except OSError:
            return
        if changed:
            self._annotations_changed()

    def on_notes_changed(self, message: NotesChanged) -> None:
        """A side screen changed the marks or notes: say how saving went, and show them."""
        self._report_save(message.result)
        self._annotations_changed()

    def _annotations_changed(self) -> None:
        self.query_one(TimelineView).invalidate()
        self.query_one(QuoteViewer).show(self.current_event, self.quote_index, self.pattern, force=True)
        self._refresh_header()

    def _report_save(self, result: SaveResult, *, quiet: bool = False) -> None:
        if result.set_aside is not None:
            self.notify(safe_line(self.notes.load_error), severity="warning", timeout=20)
        if not result.saved:
            if not quiet:
                self.notify(f"Not saved yet: {safe_line(result.error)}. Your change is kept in this session "
                            "and will be written as soon as it can.", severity="error", timeout=12)
        elif quiet:
            self.notify("Your marks and notes are saved now.", timeout=4)
        if result.conflict:
            self.notify("This note was also changed in another session: both versions are kept.",
                        severity="warning", timeout=10)

    # -- marks -----------------------------------------------------------------------------

    def action_mark(self) -> None:
        event = self.current_event
        if event is None or self.notes is None:
            self.bell()
            return
        marked = not self.notes.is_marked(event.id)
        self._report_save(self.notes.set_mark(event.id, marked))
        self._annotations_changed()

    def _marked_positions(self) -> tuple[list[int], int]:
        """Positions of the marked events in the store, and how many marks name no event in it."""
        marks = list(self.notes.marks) if self.notes else []
        found = self.store.positions_of(marks)
        return sorted(found.values()), len(marks) - len(found)

    def action_next_mark(self, delta: int) -> None:
        current = self.current_event.position if self.current_event else -1
        events = self.events

        def find() -> tuple[list[int], list[int]]:
            marked, _ = self._marked_positions()
            return marked, events.members(marked)

        def go(found: object) -> None:
            marked, visible = found  # type: ignore[misc]
            if not marked:
                self.notify("No marked events: press m to mark the selected one.", timeout=3)
                return
            if not visible:
                self.bell()
                self.notify(f"The {len(marked)} marked event(s) are hidden by the filters (c clears them).",
                            timeout=4)
                return
            if delta > 0:
                i = bisect.bisect_right(visible, current) % len(visible)
            else:
                i = (bisect.bisect_left(visible, current) - 1) % len(visible)
            self.go_to_position(visible[i])
            hidden = len(marked) - len(visible)
            extra = f" ({hidden} hidden by the filters)" if hidden else ""
            self.notify(f"Mark {i + 1} of {len(visible)}{extra}", timeout=1.5)

        self._ask("finding the marks", find, go, group="jump")

    def action_marks(self) -> None:
        from .screens.marks import MarksScreen

        def chosen(event_id: str | None) -> None:
            if event_id is not None:
                self.go_to_event(event_id)

        self.push_screen(MarksScreen(self.store, self.notes), chosen)

    def go_to_event(self, event_id: str) -> None:
        """Select an event, clearing the filters if they hide it."""
        events = self.events

        def find() -> tuple[int | None, bool]:
            position = self.store.position_of(event_id)
            return position, position is not None and position in events

        def go(found: object) -> None:
            position, shown = found  # type: ignore[misc]
            if position is None:
                self.notify(f"No event {safe_line(event_id)!r} in this corpus (any more).", severity="warning",
                            timeout=4)
                return
            if not shown:
                self.action_clear_filters(select_position=position)
                self.notify("The filters hid that event: they were cleared.", timeout=3)
            else:
                self.go_to_position(position)
            self.query_one(TimelineView).focus()

        self._ask("finding the event", find, go, group="jump")

    # -- notes -------------------------------------------------------------------------

    def action_note(self) -> None:
        event = self.current_event
        if event is None or self.notes is None:
            self.bell()
            return
        from .screens.notes import NoteScreen

        # The note as the editor opens on it: if another session changes it meanwhile (and this one
        # reads that change while the editor is open), saving keeps both versions.
        base = self.notes.note(event.id)

        def save(text: str | None) -> None:
            if text is None or text.rstrip() == base.rstrip():
                return
            self._report_save(self.notes.set_note(event.id, text, base=base))
            self._annotations_changed()

        self.push_screen(NoteScreen(event, base, self.notes.path), save)

    # -- saved views --------------------------------------------------------------------

    def action_views(self) -> None:
        from .screens.views import ViewsScreen

        def done(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            verb, name = result
            if verb == "save":
                view = view_from_query(self.effective_query(), self.find_text)
                self._report_save(self.notes.save_view(name, view))
                self.notify(f"View “{safe_line(name)}” saved.", timeout=3)
            elif verb == "delete":
                self._report_save(self.notes.delete_view(name))
            elif verb == "apply":
                self.apply_view(name)

        self.push_screen(ViewsScreen(self.notes, self.effective_query().describe(self.store)), done)

    def apply_view(self, name: str) -> None:
        view = self.notes.views.get(name) if self.notes else None
        if view is None:
            return
        query, problems = query_from_view(view)
        unknown = sorted(a for a in query.actors if a not in self.store.actors)
        if unknown:
            problems.append(f"actors no longer in the corpus: {', '.join(unknown)}")
        self.query_state = replace(query, actors=frozenset(a for a in query.actors if a in self.store.actors), text="")
        self.find_text = query.text
        self.narrow_to_find = False
        self.zoom_stack = []
        self.refresh_view()
        self.notify(f"View “{safe_line(name)}”" + (f" (ignored: {safe_line('; '.join(problems))})" if problems else ""),
                    severity="warning" if problems else "information", timeout=5 if problems else 2)

    # -- time density and zoom --------------------------------------------------------

    def _density_room(self) -> int:
        strips = self.query(DensityStrip)
        width = strips.first().size.width if strips else 0
        return max(10, width or self.size.width - 60)

    def _refresh_density(self) -> None:
        strips = self.query(DensityStrip)
        if not strips or self.events is None:
            return
        query = self.effective_query()
        events, room = self.events, self._density_room()
        span = (query.date_from, query.date_to)

        def shown(result: object) -> None:
            if events is self.events:
                self._density = result
                self._update_density_cursor()

        if self.store.slow or len(self.store) >= MANY_EVENTS:  # the first strip of a big corpus builds date columns
            self._ask("counting by period", lambda: events.density(room, span), shown, group="density")
        else:
            shown(events.density(room, span))

    def _update_density_cursor(self) -> None:
        strips = self.query(DensityStrip)
        dens = getattr(self, "_density", None)
        if not strips or dens is None:
            return
        event = self.current_event
        current = dens.index_of(event.date.lower) if event is not None else None
        if current is None or self.store.slow:
            # On an engine, whether the period holds coarser dates is not worth a question per key.
            strips.first().show(dens, current, zoomed=bool(self.zoom_stack), coarse=0)
            return
        coarse = self.events.coarse_in(dens.periods[current])
        strips.first().show(dens, current, zoomed=bool(self.zoom_stack), coarse=coarse or 0)

    def action_zoom_in(self) -> None:
        dens = getattr(self, "_density", None)
        event = self.current_event
        if dens is None or event is None:
            self.bell()
            return
        period = period_containing(dens, event.date)
        if period is None:
            self.bell()
            return
        if len(dens.periods) == 1:
            self.notify(f"Already at a single {dens.unit}.", timeout=2)
            return
        self.zoom_stack = [*self.zoom_stack, (self.query_state.date_from, self.query_state.date_to)]
        date_from, date_to = period_dates(period)
        self.query_state = replace(self.query_state, date_from=date_from, date_to=date_to)
        self.refresh_view()

    def action_zoom_out(self) -> None:
        if not self.zoom_stack:
            self.notify("Not zoomed in." + (" The date filter was set with d." if self.query_state.date_from or
                                             self.query_state.date_to else ""), timeout=3)
            return
        *rest, (date_from, date_to) = self.zoom_stack
        self.zoom_stack = rest
        self.query_state = replace(self.query_state, date_from=date_from, date_to=date_to)
        self.refresh_view()

    # -- exports, disagreements, coverage ----------------------------------------------

    def action_export(self) -> None:
        from .screens.export import ExportScreen

        marked, _ = self._marked_positions()
        self.push_screen(ExportScreen(self.store, self.events, self.effective_query(), marked))

    def action_disagreements(self) -> None:
        from .screens.disagreements import DisagreementsScreen

        if not self.store.claims:
            self.notify("No disagreements are recorded in this corpus (claims).", timeout=3)
            return

        def go(event_id: str | None) -> None:
            if event_id is not None:
                self.go_to_event(event_id)

        self.push_screen(DisagreementsScreen(self.store, self.pattern), go)

    def action_coverage(self) -> None:
        from .screens.coverage import CoverageScreen

        def go(event_id: str | None) -> None:
            if event_id is not None:
                self.go_to_event(event_id)

        from ..model.coverage import WALK_LIMIT

        if self.store.slow and len(self.events) > WALK_LIMIT:
            self.notify(f"Coverage shows at most {WALK_LIMIT:,} events of a table or a large corpus: narrow the "
                        "filters first.", severity="warning", timeout=6)
            return
        events = self.events
        self._ask("fetching the events", lambda: list(events.positions(0, len(events))),
                  lambda positions: self.push_screen(CoverageScreen(self.store, positions, self.pattern), go),
                  group="coverage")


__all__ = ["ResearchActions"]
