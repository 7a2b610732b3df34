"""The marks list: the marked events and the events with notes; enter goes to one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model.corpus import Corpus
from ...model.notes import NotesStore
from ...model.view import short_date
from ..messages import NotesChanged
from ..text import safe_line
from .notes import NoteScreen


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
