"""Helpers shared by the app's Pilot tests (imported by name, like tests/model_support.py)."""

from __future__ import annotations

import threading


async def wait_for(pilot, condition, seconds: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds (background threads and processes are real)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def hold_loads(monkeypatch) -> threading.Event:
    """Loads in the app go as usual, except that the loader stops right after handing
    over the first events (if asked for them), and again before handing over the
    corpus, until the returned event is set."""
    from tui.app import background

    release = threading.Event()
    real = background.load_corpus

    def load(source, **kwargs):
        preview = kwargs.get("preview")

        def hand_over(corpus):
            preview(corpus)
            release.wait(30)

        if preview is not None:
            kwargs["preview"] = hand_over
        corpus = real(source, **kwargs)
        release.wait(30)
        return corpus

    monkeypatch.setattr(background, "load_corpus", load)
    return release


def first_events_shown(app) -> bool:
    """Is the loading screen showing the first events of the timeline?"""
    from tui.app.background import LoadingScreen

    return isinstance(app.screen, LoadingScreen) and bool(app.screen.query("#loading-preview"))
