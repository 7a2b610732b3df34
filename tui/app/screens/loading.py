"""What a source shows while it opens away from the interface: what is happening, and how far along.

A large corpus is checked and compiled by the engine, an event table read and
ordered, a remote engine asked: each takes seconds, during which ``q`` quits.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from ..text import safe_line

_PHASES = {
    "reading": "Reading",
    "decoding": "Decoding the events",
    "validating": "Checking every record",
    "indexing": "Ordering and indexing the events",
    "compiling": "Compiling the events for the engine",
    "mapping": "Mapping the table's columns",
    "ordering": "Ordering the events in time",
    "checking": "Checking every quote against its document",
    "showing": "Asking for the first screen",
}


class LoadingScreen(Screen[None]):
    """A progress bar, the phase under way, and ``q`` to quit."""

    BINDINGS = [Binding("q,ctrl+c,escape", "app.quit", "Quit", id="loading.quit")]

    def __init__(self, source: str, title: str = "Opening") -> None:
        super().__init__()
        self.source = source
        self.title_text = title

    def compose(self) -> ComposeResult:
        from textual.widgets import ProgressBar  # only a slow source shows this screen: imported then

        with Vertical(id="loading-box"):
            yield Static(Text(f"{self.title_text} {safe_line(str(self.source))}", style="bold"), id="loading-title")
            yield ProgressBar(total=None, show_eta=False, id="loading-bar")
            yield Static("Starting…", id="loading-phase")
            yield Static(Text("q quits", style="dim"), id="loading-hint")

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.query_one("#loading-bar").styles.animate = None  # type: ignore[attr-defined]

    def show_progress(self, phase: str, fraction: float | None) -> None:
        self.query_one("#loading-phase", Static).update(_PHASES.get(phase, phase) + "…")
        bar = self.query_one("#loading-bar")
        if fraction is None:
            bar.update(total=None)
        else:
            bar.update(total=100, progress=round(fraction * 100))
