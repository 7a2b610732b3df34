"""The Textual front end: a thin view over ``tui.model``."""

from __future__ import annotations

from ..model.corpus import Query

__all__ = ["run_app"]


def run_app(store, *, query: Query | None = None, event_id: str | None = None,
            resume_gc_after_start: bool = False) -> int:
    """Run the explorer on ``corpus``; return the process exit status."""
    from .app import TimelineApp, exit_status

    app = TimelineApp(store, query=query, event_id=event_id, resume_gc_after_start=resume_gc_after_start)
    status = exit_status(app, app.run())
    report_rescued_notes(app)
    return status


def report_rescued_notes(app) -> None:
    """Say, once the terminal is back, where the marks and notes that could not be written went."""
    rescued = getattr(app, "rescued_notes", None)
    notes = getattr(app, "notes", None)
    if rescued is None or notes is None:
        return
    import sys

    from ..model.errors import printable

    sys.stderr.write(printable(f"{notes.path}: could not be written; your marks and notes are saved in {rescued}")
                     + "\n")
