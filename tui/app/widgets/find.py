"""The search prompt at the bottom, like less's '/'."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

from ..focus import bound_action, focus_now, pass_on
from ..messages import FindCleared, FindKept


class FindInput(Input):
    """The search prompt: the app follows its typing (``Input.Changed``); enter keeps the
    search (``FindKept``), escape clears it (``FindCleared``)."""

    BINDINGS = [
        Binding("escape", "cancel", "Clear search", id="find.cancel"),
        Binding("enter", "submit", "Keep search", show=False, id="find.submit"),
    ]

    def __init__(self, *, back_to: Widget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.back_to = back_to  # where the focus goes when the search is kept or cleared, given by the app

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

    def on_key(self, event: events.Key) -> None:
        # Here, in this field's own order: after the characters typed before, and the keys
        # typed after go on to the timeline (see focus.py).
        if pass_on(self, event):
            return
        action = bound_action(self, event.key)
        if action in ("submit", "cancel"):
            event.prevent_default()
            event.stop()
            getattr(self, f"action_{action}")()

    def action_cancel(self) -> None:
        self._leave()
        self.post_message(FindCleared())

    def action_submit(self) -> None:
        self._leave()
        self.post_message(FindKept(self.value))

    def _leave(self) -> None:
        # The focus leaves at once, not when the app gets to the message: the keys queued here
        # behind this one then go on to where it went (see focus.py).
        focus_now(self.back_to)
