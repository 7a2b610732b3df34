"""Keys typed in a burst go where the keys before them sent the focus.

Textual hands each key to the widget focused when the app reads it, and that
widget's bindings run only once the key has made its way back up to the app;
a key that moves the focus (``a`` to the actor filter, ``/`` to the search)
therefore took effect after the keys that arrived with it had already been
handed to the old widget. Keys arrive together when a researcher types fast,
pastes, or works over an SSH link that delivers them in bursts: after ``a``,
a quick ``qatar`` reached the timeline, whose ``q`` quit the app.

So the keys that move the focus are priority bindings, run by the app as it
reads them, and they move it at once (``focus_now``); while a text field has
the focus they step aside (``SkipAction``) and the key is typed.
"""

from __future__ import annotations

from textual.actions import SkipAction
from textual.widget import Widget
from textual.widgets import Input


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus at once (``Widget.focus()`` waits for the messages already queued)."""
    widget.screen.set_focus(widget)


def unless_typing(app) -> None:
    """Raise ``SkipAction`` when a text field has the focus, so that the key is typed into it."""
    if isinstance(app.focused, Input):
        raise SkipAction()
