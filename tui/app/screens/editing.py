"""Triage of draft events (``extract``'s candidates): accept, reject or merge each, with the count left.

Each decision is checked and written at once (``model.editing``); the
timeline shows them when the screen closes (the corpus is reloaded then, not
after each decision, so that the walk through the drafts is not broken).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...model.editing import Editor, EditError
from ..text import safe, safe_line


class TriageScreen(ModalScreen[bool]):
    """The drafts one by one; dismissed with True when something was written."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="triage.close"),
        Binding("j,down", "move(1)", "Next draft", id="triage.next"),
        Binding("k,up", "move(-1)", "Previous draft", id="triage.previous"),
        Binding("Y", "accept", "Accept", id="triage.accept"),
        Binding("X", "reject", "Reject", id="triage.reject"),
        Binding("M", "merge", "Merge into…", id="triage.merge"),
        Binding("ctrl+z", "undo", "Undo", id="triage.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="triage.redo"),
    ]

    def __init__(self, editor: Editor) -> None:
        super().__init__()
        self.editor = editor
        self.index = 0
        self.changed = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="triage-body"):
            yield Static(id="triage-count")
            yield Static(id="triage-draft")
        yield Input(placeholder="merge into the event with id… (enter; esc to cancel)", id="triage-merge")

    def on_mount(self) -> None:
        self.query_one("#triage-merge", Input).display = False
        self._show()

    @property
    def drafts(self) -> list[str]:
        return self.editor.drafts()

    @property
    def current(self) -> str | None:
        drafts = self.drafts
        if not drafts:
            return None
        self.index = max(0, min(self.index, len(drafts) - 1))
        return drafts[self.index]

    def _show(self) -> None:
        drafts = self.drafts
        count = Text(f"Drafts: {len(drafts)} left", style="bold")
        if drafts:
            count.append(f"  ·  {self.index + 1 if self.current else 0} of {len(drafts)}", "dim")
        count.append("\nY accept · X reject · M merge into an event · j k next, previous · ctrl+z undo · esc close",
                     "dim")
        self.query_one("#triage-count", Static).update(count)
        body = Text()
        draft_id = self.current
        if draft_id is None:
            body.append("No draft left: every candidate is triaged. Run `timeline-explorer check` and export.")
        else:
            event = self.editor.corpus.events_by_id[draft_id]
            body.append(safe_line(event.date.human()) + "  ", "bold")
            body.append(safe_line(event.title) + "\n", "bold")
            body.append(safe_line(f"id {event.id}"), "dim")
            if event.actors:
                body.append(safe_line("  ·  actors: " + ", ".join(event.actors)), "dim")
            if event.confidence is not None:
                body.append(f"  ·  confidence {event.confidence:.2f}", "dim")
            for q in event.quotes:
                body.append("\n\n“" + safe(q.exact) + "”")
                body.append("\n  — " + safe_line(q.document.label), "dim")
            if event.note:
                body.append("\n\n" + safe(event.note), "italic")
        self.query_one("#triage-draft", Static).update(body)

    def action_move(self, delta: int) -> None:
        if self.drafts:
            self.index = (self.index + delta) % len(self.drafts)
            self._show()

    def _do(self, change, verb: str) -> None:
        try:
            done = change()
        except EditError as exc:
            from ..editing import refused

            refused(self.app, exc, f"Not {verb}")
            return
        if done is None:
            self.notify(f"Nothing to {verb.rstrip('d').rstrip('e')}.", timeout=3)
            return
        self.changed = True
        self.notify(f"{verb.capitalize()}: {done.description}", timeout=3)
        self._show()

    def action_accept(self) -> None:
        if (draft := self.current) is not None:
            self._do(lambda: self.editor.accept(draft), "accepted")

    def action_reject(self) -> None:
        if (draft := self.current) is not None:
            self._do(lambda: self.editor.reject(draft), "rejected")

    def action_merge(self) -> None:
        if self.current is None:
            return
        field = self.query_one("#triage-merge", Input)
        field.display = True
        field.value = ""
        field.focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        field = self.query_one("#triage-merge", Input)
        field.display = False
        target = message.value.strip()
        if target and (draft := self.current) is not None:
            self._do(lambda: self.editor.merge(draft, target), "merged")

    def action_undo(self) -> None:
        self._do(self.editor.undo, "undone")

    def action_redo(self) -> None:
        self._do(self.editor.redo, "redone")

    def action_close(self) -> None:
        field = self.query_one("#triage-merge", Input)
        if field.display:
            field.display = False
            return
        self.dismiss(self.changed)
