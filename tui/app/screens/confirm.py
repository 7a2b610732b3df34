"""A yes/no question."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..text import safe_line


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
