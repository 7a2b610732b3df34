"""Export the current view or the marked events, as on the command line."""

from __future__ import annotations

import os
import re
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from ...model.corpus import Query
from ...model.export import protected_files
from ...model.files import OutputRefused, check_output
from ...model.store import EventSet, EventStore
from ...model.wording import plural
from ..text import safe_line
from .confirm import ConfirmScreen

_EXTENSIONS = {"markdown": ".md", "json": ".json", "csv": ".csv"}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "timeline"


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
