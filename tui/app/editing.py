"""The app's side of editing (``model.editing``): one editor per session, its refusals shown, the corpus reloaded.

The editor lives as long as the app (``editor_of``), so that undo and redo
reach every change of the session, across the reloads that show each change.
"""

from __future__ import annotations

from ..model.editing import Change, Editor, EditError


def editor_of(app) -> Editor | None:
    """The session's editor of the corpus on screen, or None (after saying why: read-only, unreadable)."""
    editor = getattr(app, "_session_editor", None)
    if editor is not None:
        return editor
    origin = getattr(app.store, "origin", None)
    try:
        if origin is None or app.corpus is None:
            raise EditError([])
        editor = Editor(origin)
    except EditError as exc:
        refused(app, exc, "This corpus cannot be edited here")
        return None
    app._session_editor = editor
    return editor


def refused(app, exc: EditError, title: str) -> None:
    """Say why a change was refused, and list its problems."""
    from .screens.editing import show_refusal

    show_refusal(app, exc, title)


def written(app, change: Change, verb: str = "", select: str | None = None) -> None:
    """Say what was written and show the corpus as it is now: the selected event kept, or the
    event ``select`` selected (a new event)."""
    note = " (the file had changed on disk: the change was made on it as it is now)" if change.rebased else ""
    app.notify(f"{verb or 'Saved'}: {change.description}{note}", timeout=4)
    app._reload()
    if select is not None:  # read when the reloaded corpus is shown, after this
        app.start_event_id = select


def open_triage(app) -> None:
    """The drafts of the corpus on screen, one by one (the corpus reloaded after, if anything changed)."""
    editor = editor_of(app)
    if editor is None:
        return
    if not editor.drafts():
        app.notify("This corpus has no draft events (extract makes them).", timeout=4)
        return
    from .screens.editing import TriageScreen

    def closed(changed: bool | None) -> None:
        if changed:
            app._reload()

    app.push_screen(TriageScreen(editor), closed)


def show_changes(app) -> None:
    """The session's changes (none yet: an empty list, without opening an editor for it)."""
    editor = getattr(app, "_session_editor", None) or editor_of(app)
    if editor is None:
        return
    from .screens.editing import ChangesScreen

    app.push_screen(ChangesScreen(editor))


def open_event_quotes(app) -> None:
    """The selected event's quotes, to remove or reorder (the corpus reloaded after, if anything changed)."""
    event = app.current_event
    if event is None:
        app.notify("Select an event first.", severity="warning", timeout=3)
        return
    editor = editor_of(app)
    if editor is None:
        return
    if event.id not in editor.corpus.events_by_id:
        app.notify("This event is not in corpus.json as it is on disk now: press r to reload.",
                   severity="warning", timeout=5)
        return
    from .screens.editing import EventQuotesScreen

    def closed(changed: bool | None) -> None:
        if changed:
            app._reload()

    app.push_screen(EventQuotesScreen(editor, event.id, getattr(app, "quote_index", 0)), closed)


def open_actor_editor(app, actor_id: str | None) -> None:
    """An actor's name, aliases and members, written to corpus.json (the corpus reloaded after)."""
    if actor_id is None:
        app.notify("Put the cursor on an actor first.", severity="warning", timeout=3)
        return
    editor = editor_of(app)
    if editor is None:
        return
    if actor_id not in editor.corpus.actors:
        app.notify("This actor is not in corpus.json as it is on disk now: press r to reload.",
                   severity="warning", timeout=5)
        return
    from .screens.editing import ActorScreen

    def save(fields: dict | None) -> None:
        if fields is None:
            return
        try:
            change = editor.set_actor(actor_id, **fields)
        except EditError as exc:
            refused(app, exc, "Not saved")
            return
        written(app, change, "Actor saved")

    app.push_screen(ActorScreen(editor.corpus, actor_id), save)
