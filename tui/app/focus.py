"""Keys typed in a burst go where the keys before them sent the focus.

Textual hands each key to the widget focused when the app reads it, and that
widget's bindings run only once the key has made its way back up to the app;
a key that moves the focus (``a`` to the actor filter, ``/`` to the search)
therefore took effect after the keys that arrived with it had already been
handed to the old widget. Keys arrive together when a researcher types fast,
pastes, or works over an SSH link that delivers them in bursts: after ``a``,
a quick ``qatar`` reached the timeline, whose ``q`` quit the app.

So the keys that move the focus away from the panes (``a``, ``/``) are
priority bindings, run by the app as it reads them, and they move it at once
(``focus_now``); while a text field has the focus they step aside
(``SkipAction``) and the key is typed. The text fields handle the keys that
leave them (enter, down, escape) in their own queue, after the characters
typed before, and pass on the keys that were queued behind (``pass_on``).
"""

from __future__ import annotations

from textual import events
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


def pass_on(widget: Widget, event: events.Key) -> bool:
    """If the focus has left ``widget`` since ``event`` was queued for it, hand the key to
    where the focus is now (in order, behind the keys passed before it); True if so."""
    app = widget.app
    target = app.focused
    if target is widget:
        return False
    event.prevent_default()
    event.stop()
    key = events.Key(event.key, event.character)
    if target is None:
        app.post_message(key)  # no focus: the app reads it as a new key
    else:
        key._set_forwarded()  # as the app hands keys on: bindings are then checked from the target up
        target.post_message(key)
    return True


def bound_action(widget: Widget, key: str) -> str | None:
    """The action ``key`` runs through one of ``widget``'s own bindings (keymap included), if any."""
    active = widget.screen.active_bindings.get(key)
    return active.binding.action if active is not None and active.node is widget else None
