"""Messages that go up to the app from the screens and widgets it shows: a child says what
happened, and the app, which owns the state, decides what follows."""

from __future__ import annotations

from textual.message import Message

from ..model.corpus import Quote
from ..model.notes import SaveResult

__all__ = ["CopyQuote", "FindCleared", "FindKept", "NotesChanged"]


class NotesChanged(Message):
    """The marks or notes were changed (by a side screen): ``result`` is how their saving went."""

    def __init__(self, result: SaveResult) -> None:
        super().__init__()
        self.result = result


class CopyQuote(Message):
    """The researcher asked for ``quote`` with its citation on the clipboard."""

    def __init__(self, quote: Quote) -> None:
        super().__init__()
        self.quote = quote


class FindKept(Message):
    """Enter in the search field: search for ``text`` now, and keep it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class FindCleared(Message):
    """Escape in the search field: clear the search."""
