"""Screens of the research workflow: marks, the note editor, saved views,
exports, disagreements and coverage.

Everything from the corpus or from the user's notes is shown as ``Text``
built from plain strings (``safe_line``), never as markup.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from rich.cells import cell_len
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Static, TextArea
from textual.widgets.option_list import Option

from ...model.corpus import Claim, Corpus, Event, Query
from ...model.store import EventSet, EventStore
from ...model.coverage import Coverage
from ...model.export import protected_files
from ...model.files import OutputRefused, check_output
from ...model.safetext import for_people
from ...model.notes import NotesStore
from ...model.search import SearchPattern
from ...model.view import short_date
from ...model.wording import plural
from ..messages import NotesChanged
from ..text import safe_line
from ..widgets.keybar import KeyBar
from ..widgets.lines import LineView
from .document import DocumentScreen, QuoteSet

# -- marks ----------------------------------------------------------------------------


class MarksScreen(ModalScreen[str | None]):
    """The marked events and the events with notes; enter goes to one."""

    BINDINGS = [
        Binding("escape,q,M", "dismiss_none", "Close", id="marks.close"),
        Binding("m", "unmark", "Unmark", id="marks.unmark"),
        Binding("e", "edit", "Edit note", id="marks.edit"),
    ]

    def __init__(self, corpus: Corpus, notes: NotesStore | None) -> None:
        super().__init__()
        self.corpus = corpus
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(id="marks-body", classes="dialog"):
            yield Static(id="marks-title")
            yield OptionList(id="marks-list")
            yield Static(Text("enter: go to the event · m: unmark · e: edit the note · esc: close", style="dim"))

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _ids(self) -> list[str]:
        notes = self.notes
        if notes is None:
            return []
        ids = list(dict.fromkeys([*notes.marks, *notes.notes]))

        def key(event_id: str) -> tuple:
            p = self.corpus.position_of(event_id)
            return (p is None, p if p is not None else 0, event_id)

        return sorted(ids, key=key)

    def _fill(self, keep: str | None = None) -> None:
        notes = self.notes
        options = []
        missing = 0
        for event_id in self._ids():
            p = self.corpus.position_of(event_id)
            marked = notes.is_marked(event_id)
            text = Text()
            text.append("● " if marked else "  ", "bold magenta")
            if p is None:
                missing += 1
                text.append(safe_line(event_id), "bold")
                text.append("  not in the corpus any more (kept)", "italic red")
            else:
                event = self.corpus.event(p)
                text.append(f"{short_date(event.date):<13} ", "bold")
                text.append(safe_line(event.title))
            note = notes.note(event_id)
            if note:
                first = note.strip().splitlines()[0] if note.strip() else ""
                text.append("\n    ¶ " + safe_line(first[:200]), "italic")
            options.append(Option(text, id=event_id))
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        n_marks = len(notes.marks) if notes else 0
        n_notes = len(notes.notes) if notes else 0
        title = Text()
        title.append(f"Marks and notes: {n_marks} marked, {n_notes} with a note", "bold")
        if missing:
            title.append(f" · {missing} of events no longer in the corpus", "italic")
        if notes is not None:
            title.append("\n" + safe_line(f"kept in {notes.path}"), "dim")
        if not options:
            title.append("\nNothing yet: press m on an event to mark it, e to write a note.", "italic")
        self.query_one("#marks-title", Static).update(title)
        if options:
            ids = [o.id for o in options]
            option_list.highlighted = ids.index(keep) if keep in ids else 0

    @on(OptionList.OptionSelected)
    def _chosen(self, message: OptionList.OptionSelected) -> None:
        event_id = message.option.id
        if event_id is not None and self.corpus.position_of(event_id) is not None:
            self.dismiss(event_id)
        else:
            self.app.bell()

    def _highlighted(self) -> str | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        return option_list.get_option_at_index(option_list.highlighted).id

    def action_unmark(self) -> None:
        event_id = self._highlighted()
        if event_id is None or self.notes is None:
            return
        self.post_message(NotesChanged(self.notes.set_mark(event_id, not self.notes.is_marked(event_id))))
        self._fill(keep=event_id)

    def action_edit(self) -> None:
        event_id = self._highlighted()
        p = self.corpus.position_of(event_id) if event_id else None
        if event_id is None or self.notes is None:
            return
        event = self.corpus.event(p) if p is not None else None

        def save(text: str | None) -> None:
            if text is None or text.rstrip() == self.notes.note(event_id):
                return
            self.post_message(NotesChanged(self.notes.set_note(event_id, text)))
            self._fill(keep=event_id)

        self.app.push_screen(NoteScreen(event, self.notes.note(event_id), self.notes.path, event_id=event_id), save)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


# -- the note editor ---------------------------------------------------------------------


class NoteArea(TextArea):
    """The note editor's text area. What it shows is text for people
    (``safetext.for_people``): a control character in a note (from the sidecar,
    or pasted) is shown as a stand-in such as ␛, never sent to the terminal."""

    def _replace_via_keyboard(self, insert: str, start, end):  # every typed or pasted text comes here
        return super()._replace_via_keyboard(for_people(insert), start, end)


class NoteScreen(ModalScreen[str | None]):
    """Free text about one event. Escape saves (nothing typed is ever dropped);
    ctrl+r reverts to what was there.

    The note is shown with its control characters as visible stand-ins, and
    dismissed with None (nothing to save) unless the user changed it: a note
    only looked at is never rewritten with the stand-ins in it.
    """

    BINDINGS = [
        Binding("escape,ctrl+s", "save", "Save and close", id="note.save"),
        Binding("ctrl+r", "revert", "Revert", id="note.revert"),
    ]

    def __init__(self, event: Event | None, text: str, path: Path, *, event_id: str | None = None) -> None:
        super().__init__()
        self.event = event
        self.event_id = event.id if event is not None else event_id
        self.original = text
        self.shown = for_people(text)
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="note-body", classes="dialog"):
            title = Text("Note on ", style="bold")
            if self.event is not None:
                title.append(f"{short_date(self.event.date)} · ", "bold")
                title.append(safe_line(self.event.title))
            else:
                title.append(safe_line(str(self.event_id)))
            yield Static(title, id="note-title")
            yield NoteArea(self.shown, id="note-text", soft_wrap=True, show_line_numbers=False)
            hint = Text("esc or ctrl+s: save and close · ctrl+r: revert · an empty note is removed\n", style="dim")
            hint.append(safe_line(f"kept in {self.path}"), "dim")
            yield Static(hint)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        self.dismiss(None if text == self.shown else text)

    def action_revert(self) -> None:
        self.query_one(TextArea).text = self.shown


# -- saved views --------------------------------------------------------------------------


class ViewsScreen(ModalScreen[tuple[str, str] | None]):
    """Name the current filters, or go back to a saved view."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", id="views.close"),
        Binding("delete,ctrl+d", "delete", "Delete view", id="views.delete"),
    ]

    def __init__(self, notes: NotesStore | None, current: str) -> None:
        super().__init__()
        self.notes = notes
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="views-body", classes="dialog"):
            yield Static(Text("Saved views", style="bold"))
            describe = self.current or "everything (no filter)"
            yield Static(Text("Now showing: ", style="dim") + Text(safe_line(describe)))
            yield Input(placeholder="name the current view and press enter to save it", id="view-name")
            yield OptionList(id="views-list")
            yield Static(Text("enter on a view: show it · delete: remove it · esc: close", style="dim"))

    def on_mount(self) -> None:
        options = []
        views = self.notes.views if self.notes else {}
        for name in sorted(views, key=str.casefold):
            view = views[name]
            text = Text(safe_line(name), style="bold")
            parts = []
            if view.get("actors"):
                parts.append("actors: " + ", ".join(map(str, view["actors"])))
            if view.get("from") or view.get("to"):
                parts.append(f"dates: {view.get('from') or '…'} to {view.get('to') or '…'}")
            if view.get("types"):
                parts.append("types: " + ", ".join(map(str, view["types"])))
            if view.get("search"):
                parts.append(f"search: {view['search']}")
            text.append("  " + safe_line("; ".join(parts) or "everything"), "dim")
            options.append(Option(text, id=name))
        option_list = self.query_one(OptionList)
        option_list.add_options(options)
        if options:
            option_list.highlighted = 0
            option_list.focus()
        else:
            self.query_one(Input).focus()

    @on(Input.Submitted, "#view-name")
    def _save(self, message: Input.Submitted) -> None:
        name = " ".join(message.value.split())
        if not name:
            self.app.bell()
            return
        self.dismiss(("save", name))

    @on(OptionList.OptionSelected)
    def _apply(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(("apply", message.option.id))

    def action_delete(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None or self.focused is not option_list:
            return
        self.dismiss(("delete", option_list.get_option_at_index(option_list.highlighted).id))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


# -- export ----------------------------------------------------------------------------------

_EXTENSIONS = {"markdown": ".md", "json": ".json", "csv": ".csv"}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "timeline"


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; no is the default."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body", classes="dialog"):
            yield Static(Text(safe_line(self.question), style="bold"))
            yield Static(Text("y: yes · n or esc: no", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ExportScreen(ModalScreen[None]):
    """Write the current view or the marked events, as on the command line."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="export.cancel")]

    def __init__(self, corpus: EventStore, view: EventSet, query: Query, marked: list[int]) -> None:
        super().__init__()
        self.corpus = corpus
        self.view_events = view
        self.export_query = query
        self.marked = marked

    def compose(self) -> ComposeResult:
        with Vertical(id="export-body", classes="dialog"):
            yield Static(Text("Export", style="bold"))
            with Horizontal(classes="export-row"):
                with RadioSet(id="export-scope"):
                    yield RadioButton(f"the current view ({len(self.view_events):,} events)", value=True, id="scope-view")
                    yield RadioButton(f"the marked events ({len(self.marked):,})", id="scope-marked",
                                      disabled=not self.marked)
                with RadioSet(id="export-format"):
                    yield RadioButton("Markdown", value=True, id="format-markdown")
                    yield RadioButton("JSON", id="format-json")
                    yield RadioButton("CSV", id="format-csv")
            yield Label("File:")
            yield Input(self._default_path("markdown", "view"), id="export-path")
            yield Static(id="export-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def _default_path(self, fmt: str, scope: str) -> str:
        name = _slug(self.corpus.title) + ("-marked" if scope == "marked" else "")
        return str(Path.cwd() / f"{name}{_EXTENSIONS[fmt]}")

    def _choice(self) -> tuple[str, str]:
        scope = "marked" if self.query_one("#scope-marked", RadioButton).value else "view"
        fmt = "markdown"
        for candidate in ("json", "csv"):
            if self.query_one(f"#format-{candidate}", RadioButton).value:
                fmt = candidate
        return scope, fmt

    @on(RadioSet.Changed)
    def _changed(self) -> None:
        # Follow the choice in the suggested file name, unless the user typed their own.
        path_input = self.query_one("#export-path", Input)
        scope, fmt = self._choice()
        suggestions = {self._default_path(f, s) for f in _EXTENSIONS for s in ("view", "marked")}
        if path_input.value in suggestions:
            path_input.value = self._default_path(fmt, scope)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self._say("Give a file name.", error=True)
            return
        target = Path(os.path.expanduser(value))
        if not target.is_absolute():
            target = Path.cwd() / target
        try:
            check_output(target, force=False, protected=protected_files(self.corpus))
        except OutputRefused as exc:
            if exc.replaceable:  # a regular file of the user's: ask first
                self._confirm_replace(target)
            else:
                self._say(f"{value} {exc.message}: {exc.hint}. Nothing was written.", error=True)
            return
        self._write(target)

    def _confirm_replace(self, target: Path) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self._write(target)
            else:
                self._say("Not replaced: choose another name, or confirm with y.")

        self.app.push_screen(ConfirmScreen(f"{target} exists. Replace it?"), answer)

    def _write(self, target: Path) -> None:
        from ...model.atomic import atomic_writer
        from ...model.export import write_export

        scope, fmt = self._choice()
        events = self.corpus.events_at(self.marked) if scope == "marked" else self.view_events.iter_events()
        query = self.export_query if scope == "view" else Query()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_writer(target) as handle:
                count = write_export(self.corpus, events, query, fmt, handle)
        except OSError as exc:
            self._say(f"Cannot write {target}: {exc.strerror or exc}. Nothing was written.", error=True)
            return
        self.app.notify(f"{count:,} {plural(count, 'event')} written to {safe_line(str(target))} ({fmt}).",
                        timeout=6)
        self.dismiss(None)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.query_one("#export-message", Static).update(Text(safe_line(message), style="bold red" if error else ""))

    @on(Button.Pressed, "#export-cancel")
    def action_dismiss_none(self) -> None:
        self.dismiss(None)


# -- disagreements ---------------------------------------------------------------------------


class DisagreementsScreen(Screen[str | None]):
    """Every claim: each source's version side by side, with the documents named."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="claims.close"),
        Binding("o", "open", "Open in the document", id="claims.open"),
        Binding("t", "to_event", "Go to the event", id="claims.event"),
    ]

    def __init__(self, corpus: Corpus, pattern: SearchPattern | None) -> None:
        super().__init__()
        self.corpus = corpus
        self.pattern = pattern
        self._rows: list[tuple[Claim, int | None]] = []  # (claim, statement index or None for its heading)

    def compose(self) -> ComposeResult:
        n = len(self.corpus.claims)
        yield Static(Text(f"Disagreements between sources: {n} {plural(n, 'claim')}", style="bold"),
                     id="claims-title")
        yield OptionList(id="claims-list")
        yield KeyBar()

    def on_mount(self) -> None:
        options: list[Option] = []
        width = max(8, max((cell_len(s.value) for c in self.corpus.claims.values() for s in c.statements), default=8))
        width = min(width, 28)
        located = self.corpus.positions_of({e for c in self.corpus.claims.values() for e in c.events})
        titles = {event_id: self.corpus.event(p).title for event_id, p in located.items()}
        for claim in self.corpus.claims.values():
            heading = Text("≠ ", style="bold red")
            heading.append(safe_line(claim.about), "bold")
            events = [titles[e] for e in claim.events if e in titles]
            if events:
                heading.append("\n  about: " + safe_line("; ".join(events)), "italic")
            options.append(Option(heading, id=f"h:{claim.id}", disabled=True))
            self._rows.append((claim, None))
            for i, statement in enumerate(claim.statements):
                # Side by side: each source's version, then where it says so.
                grid = Table.grid(padding=(0, 2))
                grid.add_column(width=width, no_wrap=False)
                grid.add_column(ratio=1)
                doc = statement.document
                where = Text(safe_line(doc.label), style="cyan")
                where.append("\n“" + safe_line(statement.exact) + "”")
                if statement.start is None:
                    where.append("  (not found in the document)", "bold red")
                grid.add_row(Text(safe_line(statement.value or "—"), style="bold yellow"), where)
                options.append(Option(Padding(grid, (0, 0, 0, 2)), id=f"s:{claim.id}:{i}"))
                self._rows.append((claim, i))
        option_list = self.query_one(OptionList)
        option_list.add_options(options)
        first = next((k for k, (_, i) in enumerate(self._rows) if i is not None), None)
        if first is not None:
            option_list.highlighted = first
        option_list.focus()

    def _current(self) -> tuple[Claim, int | None] | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        return self._rows[option_list.highlighted]

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        current = self._current()
        if current is None or current[1] is None:
            self.app.bell()
            return
        claim, i = current
        quotes = QuoteSet(f"claim: {claim.about}", tuple(claim.statements))
        self.app.push_screen(DocumentScreen(quotes, i, self.pattern))

    def action_to_event(self) -> None:
        current = self._current()
        if current is None or not current[0].events:
            self.app.bell()
            self.notify("This claim names no event.", timeout=2)
            return
        self.dismiss(current[0].events[0])

    def action_close(self) -> None:
        self.dismiss(None)


# -- coverage ------------------------------------------------------------------------------


class CoverageMatrix(LineView, can_focus=True):
    """Events (rows) by documents (columns); ● a document reports the event, · it does not."""

    COMPONENT_CLASSES = {"coverage--cell", "coverage--empty", "coverage--cursor", "coverage--title",
                         "coverage--head"}
    BINDINGS = [
        Binding("j,down", "move(0, 1)", "Down", show=False, id="coverage.down"),
        Binding("k,up", "move(0, -1)", "Up", show=False, id="coverage.up"),
        Binding("l,right", "move(1, 0)", "Right", show=False, id="coverage.right"),
        Binding("h,left", "move(-1, 0)", "Left", show=False, id="coverage.left"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="coverage.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="coverage.page-up"),
        Binding("g,home", "first", "First", show=False, id="coverage.first"),
        Binding("G,end", "last", "Last", show=False, id="coverage.last"),
    ]
    LABEL = 44  # cells for the date and title of each row
    CELL = 3

    def __init__(self, coverage: Coverage) -> None:
        super().__init__()
        self.coverage = coverage
        self.row = 0
        self.column = 0

    def set_coverage(self, coverage: Coverage) -> None:
        self.coverage = coverage
        self.row = min(self.row, max(0, len(coverage.positions) - 1))
        self.virtual_size = Size(0, len(coverage.positions) + 1)  # columns follow the cursor instead
        self.refresh()

    def on_mount(self) -> None:
        self.set_coverage(self.coverage)

    def _columns_shown(self) -> int:
        return max(1, (self.scrollable_content_region.width - self.LABEL) // self.CELL)

    def _first_column(self) -> int:
        shown = self._columns_shown()
        return max(0, min(self.column - shown // 2, len(self.coverage.documents) - shown))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        cov = self.coverage
        first = self._first_column()
        columns = range(first, min(len(cov.documents), first + self._columns_shown()))
        head = self.get_component_rich_style("coverage--head")
        cursor = self.get_component_rich_style("coverage--cursor")
        text = Text(no_wrap=True)
        if y == 0:
            text.append(f"{'event':<{self.LABEL}}", head)
            for c in columns:
                label = f"{c + 1:>{self.CELL - 1}} "
                text.append(label[-self.CELL:], cursor if c == self.column else head)
        else:
            row = int(self.scroll_offset.y) + y - 1
            if row >= len(cov.positions):
                return Strip.blank(width, base)
            event = cov.event(row)
            label = Text(f"{short_date(event.date):<12} ", style=self.get_component_rich_style("coverage--head"))
            label.append(safe_line(event.title), self.get_component_rich_style("coverage--title"))
            label.truncate(self.LABEL - 1, overflow="ellipsis", pad=True)
            label.append(" ")
            text.append_text(label)
            docs = {q.document.id for q in event.quotes}
            for c in columns:
                has = cov.documents[c].id in docs
                style = self.get_component_rich_style("coverage--cell" if has else "coverage--empty")
                if row == self.row and c == self.column:
                    style = style + cursor
                text.append(" ● " if has else " · ", style)
            if row == self.row:
                text.stylize(Style(bold=True), 0, self.LABEL)
        text.truncate(width, pad=True)
        segments = list(text.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, base).apply_style(base)

    def action_move(self, dx: int, dy: int) -> None:
        cov = self.coverage
        self.column = max(0, min(len(cov.documents) - 1, self.column + dx))
        self.row = max(0, min(len(cov.positions) - 1, self.row + dy))
        self._follow()

    def action_page(self, direction: int) -> None:
        self.action_move(0, direction * max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.row = 0
        self._follow()

    def action_last(self) -> None:
        self.row = max(0, len(self.coverage.positions) - 1)
        self._follow()

    def _follow(self) -> None:
        height = self.scrollable_content_region.height - 1
        top = int(self.scroll_offset.y)
        if self.row < top:
            self.scroll_to(y=self.row, animate=False)
        elif self.row >= top + height:
            self.scroll_to(y=self.row - height + 1, animate=False)
        self.refresh()
        self.screen.post_message(CoverageScreen.Moved())  # type: ignore[attr-defined]

    def scroll_to_row(self, row: int) -> None:
        self.row = row
        self._follow()


class CoverageScreen(Screen[str | None]):
    """Which document reports which event; enter opens the quote under the cursor."""

    class Moved(Message):
        """The cursor moved: the status line follows."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="coverage.close"),
        Binding("enter,o", "open", "Open the quote", id="coverage.open"),
        Binding("s", "sort", "Sort", id="coverage.sort"),
        Binding("L", "list_document", "Events of this document", id="coverage.document"),
        Binding("t", "to_event", "Go to the event", id="coverage.event"),
    ]

    def __init__(self, corpus: Corpus, selection, pattern: SearchPattern | None) -> None:
        super().__init__()
        self.corpus = corpus
        self.coverage = Coverage.of(corpus, selection)
        self.full = self.coverage
        self.listing: str | None = None  # showing only the events of this document
        self.pattern = pattern

    def compose(self) -> ComposeResult:
        yield Static(id="coverage-title")
        yield CoverageMatrix(self.coverage)
        yield Static(id="coverage-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._status()
        self.query_one(CoverageMatrix).focus()

    def on_coverage_screen_moved(self, message: Moved) -> None:
        self._status()

    def _status(self) -> None:
        cov = self.coverage
        matrix = self.query_one(CoverageMatrix)
        title = Text(f"Coverage: {len(cov.positions):,} events × {len(cov.documents):,} documents", style="bold")
        title.append(f"   sorted by {cov.sort}" + (f" ({safe_line(cov.sort_document)} first)" if cov.sort_document else ""),
                     "dim")
        if self.listing is not None:
            title.append(f"   only the events of {safe_line(self.listing)} (L: all)", "italic")
        self.query_one("#coverage-title", Static).update(title)
        status = Text()
        if cov.documents:
            doc = cov.documents[matrix.column]
            status.append(f"column {matrix.column + 1}: ", "bold")
            status.append(safe_line(doc.label), "cyan")
        if cov.positions:
            event = cov.event(matrix.row)
            quotes = cov.cell(matrix.row, matrix.column) if cov.documents else []
            status.append("\n")
            status.append(safe_line(event.title), "bold")
            status.append(f"  ·  {len(quotes)} quote(s) from this document" if quotes else "  ·  not reported by this document",
                          "dim")
        self.query_one("#coverage-status", Static).update(status)

    def action_open(self) -> None:
        cov = self.coverage
        matrix = self.query_one(CoverageMatrix)
        if not cov.positions or not cov.documents:
            return
        quotes = cov.cell(matrix.row, matrix.column)
        if not quotes:
            self.app.bell()
            self.notify("This document does not report this event.", timeout=2)
            return
        self.app.push_screen(DocumentScreen(cov.event(matrix.row), quotes[0], self.pattern))

    def action_sort(self) -> None:
        cov = self.coverage
        if not cov.walkable:
            self.notify("Sorting walks every event: filter the view below 50,000 events first.", timeout=4)
            return
        order = ["date", "sources", "document"]
        nxt = order[(order.index(cov.sort) + 1) % len(order)]
        doc = cov.documents[self.query_one(CoverageMatrix).column] if cov.documents else None
        self.coverage = cov.sorted_by(nxt, doc)
        if self.listing is None:
            self.full = self.coverage
        matrix = self.query_one(CoverageMatrix)
        matrix.set_coverage(self.coverage)
        matrix.scroll_to_row(0)
        self._status()

    def action_list_document(self) -> None:
        cov = self.full
        matrix = self.query_one(CoverageMatrix)
        if not cov.documents:
            return
        if self.listing is not None:
            self.coverage = self.full  # back to all events
            self.listing = None
        else:
            if not cov.walkable:
                self.notify("Listing walks every event: filter the view below 50,000 events first.", timeout=4)
                return
            doc = self.coverage.documents[matrix.column]
            rows = cov.events_of(cov.documents.index(doc))
            self.coverage = Coverage(cov.corpus, [cov.positions[r] for r in rows], cov.documents, "date")
            self.listing = doc.id
        matrix.set_coverage(self.coverage)
        matrix.scroll_to_row(0)
        self._status()

    def action_to_event(self) -> None:
        if self.coverage.positions:
            self.dismiss(self.coverage.event(self.query_one(CoverageMatrix).row).id)

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["ConfirmScreen", "CoverageScreen", "DisagreementsScreen", "ExportScreen", "MarksScreen", "NoteArea",
           "NoteScreen", "ViewsScreen"]
