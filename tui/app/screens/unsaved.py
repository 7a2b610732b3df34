"""Quitting with marks and notes that could not be written: where should they go?"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...model.files import OutputRefused
from ...model.notes import NotesStore
from ...model.wording import plural
from ..text import safe_line


class UnsavedNotesScreen(ModalScreen[tuple[str, Path | None] | None]):
    """Asked on quitting while changes to the marks and notes are not on disk.

    It names the sidecar and why it could not be written, and offers a file
    that can be: enter writes everything the session knows there, then the
    app quits.  Dismissed with ``("saved", path)``, ``("discard", None)``
    (quit and lose them), or None (stay).
    """

    BINDINGS = [
        Binding("escape", "stay", "Stay", id="unsaved.stay"),
        Binding("ctrl+x", "discard", "Quit without saving", id="unsaved.discard"),
    ]

    def __init__(self, notes: NotesStore, suggestion: Path) -> None:
        super().__init__()
        self.notes = notes
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        n = self.notes.unsaved
        with Vertical(id="unsaved-body", classes="dialog"):
            yield Static(Text(f"{n} {plural(n, 'change')} to your marks and notes "
                              f"{'are' if n != 1 else 'is'} not saved", style="bold red"))
            reason = Text("They could not be written to ")
            reason.append(safe_line(str(self.notes.path)), "bold")
            if self.notes.unsaved_reason:
                reason.append(": " + safe_line(self.notes.unsaved_reason))
            yield Static(reason, id="unsaved-reason")
            yield Static(Text("Save everything this session holds to this file instead:"))
            yield Input(str(self.suggestion), id="unsaved-path")
            yield Static(id="unsaved-message")
            yield Static(Text("enter: save there and quit · esc: back to the explorer · ctrl+x: quit and lose them",
                              style="dim"))

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.focus()

    @on(Input.Submitted, "#unsaved-path")
    def _save(self, message: Input.Submitted) -> None:
        value = message.value.strip()
        if not value:
            self._say("Give the path of a new file.")
            return
        target = Path(os.path.expanduser(value))
        try:
            written = self.notes.rescue(target)
        except OutputRefused as exc:
            self._say(f"{value} {exc.message}: {exc.hint}.")
            return
        except OSError as exc:
            self._say(f"Cannot write {value}: {exc.strerror or exc}. Nothing was written.")
            return
        self.dismiss(("saved", written))

    def _say(self, message: str) -> None:
        self.query_one("#unsaved-message", Static).update(Text(safe_line(message), style="bold red"))

    def action_stay(self) -> None:
        self.dismiss(None)

    def action_discard(self) -> None:
        self.dismiss(("discard", None))
