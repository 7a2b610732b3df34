"""The note editor: free text about one event, kept in the notes sidecar."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from ...model.corpus import Event
from ...model.safetext import for_people
from ...model.view import short_date
from ..text import safe_line


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
