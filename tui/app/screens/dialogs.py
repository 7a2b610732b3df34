"""Modal screens: help (every key), problems (unanchored quotes), date range."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ...model.dates import DateError, EDTFDate, parse_edtf
from ...model.errors import Problem
from ..text import safe_line


class HelpScreen(ModalScreen[None]):
    """Every key, in the order a newcomer needs them, from the live bindings."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Timeline Explorer — keys", style="bold"), id="help-title")
            for title, rows in self.sections:
                table = Table(title=Text(title, style="bold"), title_justify="left", show_header=False,
                              box=None, padding=(0, 2), expand=True)
                table.add_column(width=22)
                table.add_column(ratio=1)
                for keys, description in rows:
                    table.add_row(Text(keys, style="bold"), Text(description))
                yield Static(table)
            yield Static(Text(
                "Every action is also in the command palette (ctrl+p). Keys can be remapped in "
                "~/.config/timeline-explorer/keymap.toml by binding id (see the README).",
                style="dim"))

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body").scroll_relative(y=delta, animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


class ProblemsScreen(ModalScreen[None]):
    """What is wrong with the corpus that did not stop it opening."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="problems.close")]

    def __init__(self, problems: Iterable[Problem], title: str = "Problems") -> None:
        super().__init__()
        self.problems = list(problems)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-body"):
            errors = [p for p in self.problems if p.severity == "error"]
            warnings = [p for p in self.problems if p.severity == "warning"]
            unanchored = sum(1 for p in errors if p.is_anchor_problem)
            counts = [f"{unanchored} unanchored quote(s)"]
            if len(errors) > unanchored:
                counts.append(f"{len(errors) - unanchored} other error(s)")
            counts.append(f"{len(warnings)} warning(s)")
            title = Text(f"{self.title_text}: {', '.join(counts)}", style="bold")
            yield Static(title)
            if not self.problems:
                yield Static("No problems: every quote is anchored.")
            for p in errors + warnings:
                text = Text()
                text.append("error  " if p.severity == "error" else "warning  ", "bold red" if p.severity == "error" else "bold yellow")
                text.append(safe_line(str(p)))
                yield Static(text, classes="problem")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


class DateRangeScreen(ModalScreen[tuple[EDTFDate | None, EDTFDate | None] | None]):
    """Ask for a date range as two EDTF dates; either may be empty."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dates.cancel")]

    def __init__(self, date_from: EDTFDate | None, date_to: EDTFDate | None) -> None:
        super().__init__()
        self.date_from = date_from
        self.date_to = date_to

    def compose(self) -> ComposeResult:
        with Vertical(id="dates-dialog"):
            yield Label(Text("Date range (EDTF: 2019, 2019-07, 2019-07-18; empty = open)", style="bold"))
            with Horizontal(classes="dates-row"):
                yield Label("From ", classes="dates-label")
                yield Input(self.date_from.text if self.date_from else "", placeholder="e.g. 2019-07", id="date-from")
            with Horizontal(classes="dates-row"):
                yield Label("To   ", classes="dates-label")
                yield Input(self.date_to.text if self.date_to else "", placeholder="e.g. 2019-09", id="date-to")
            yield Static("", id="dates-error")
            with Horizontal(classes="dates-buttons"):
                yield Button("Apply", variant="primary", id="dates-apply")
                yield Button("Cancel", id="dates-cancel")

    def on_mount(self) -> None:
        for field in self.query(Input):
            if self.app.is_headless:
                field.cursor_blink = False
        self.query_one("#date-from", Input).focus()

    def _parse(self, field_id: str, label: str) -> EDTFDate | None:
        value = self.query_one(field_id, Input).value.strip()
        if not value:
            return None
        try:
            return parse_edtf(value)
        except DateError as exc:
            raise ValueError(f"{label}: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")) from None

    def _apply(self) -> None:
        try:
            start = self._parse("#date-from", "From")
            end = self._parse("#date-to", "To")
        except ValueError as exc:
            self.query_one("#dates-error", Static).update(Text(safe_line(str(exc)), style="bold red"))
            return
        if start is not None and end is not None and start.lower > end.upper:
            self.query_one("#dates-error", Static).update(Text("The range ends before it starts.", style="bold red"))
            return
        self.dismiss((start, end))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "date-from":
            self.query_one("#date-to", Input).focus()
        else:
            self._apply()

    @on(Button.Pressed, "#dates-apply")
    def _apply_pressed(self) -> None:
        self._apply()

    @on(Button.Pressed, "#dates-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
