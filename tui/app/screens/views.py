"""Saved views: name the current filters, or go back to a saved view."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...model.notes import NotesStore
from ..text import safe_line


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
