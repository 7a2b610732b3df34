"""Small pieces of English shared by the messages of the command line and the app."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``noun`` as it goes with ``count``: "1 event", "2 events" (``many`` when it is not noun + s)."""
    if count == 1:
        return noun
    return many if many is not None else noun + "s"
