"""Messages that go up to the app from the screens and widgets it shows (a child says what
happened, and the app, which owns the state, decides what follows), and from its background
work (a worker's thread posts its result, the app shows it)."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from ..model.corpus import Quote
from ..model.notes import SaveResult
from ..model.store import Matches

__all__ = ["Answered", "CompiledChecked", "CopyQuote", "EngineFailed", "FindCleared", "FindKept", "MatchesFound",
           "NotesChanged", "Verified", "VerifyProgress"]


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


# -- from the app's background work (posted from a worker's thread to the app) ------------------


class Answered(Message):
    """The store answered a question asked away from the interface: ``then(answer)`` shows it."""

    def __init__(self, then: Callable[[object], None], answer: object, worker: object = None) -> None:
        super().__init__()
        self.then = then
        self.answer = answer
        self.worker = worker  # the worker that asked: a newer question cancels it, and its answer is dropped


class EngineFailed(Message):
    """The engine failed while ``what`` (a phrase: "searching") was asked of it."""

    def __init__(self, what: str, error: Exception) -> None:
        super().__init__()
        self.what = what
        self.error = error


class MatchesFound(Message):
    """The search for ``text`` found ``matches`` among the events shown."""

    def __init__(self, text: str, matches: Matches | None) -> None:
        super().__init__()
        self.text = text
        self.matches = matches


class VerifyProgress(Message):
    """The background check of the quotes is ``fraction`` done."""

    def __init__(self, fraction: float) -> None:
        super().__init__()
        self.fraction = fraction


class Verified(Message):
    """The background check of the quotes is done: its problems are in the store."""


class CompiledChecked(Message):
    """The compiled cache of ``store`` was compared with its corpus file: ``current`` if it still matches."""

    def __init__(self, store: object, current: bool) -> None:
        super().__init__()
        self.store = store
        self.current = current


class Compiled(Message):
    """A table shown before its compile ended (``open_store(early=True)``) finished compiling."""

    def __init__(self, store: object) -> None:
        super().__init__()
        self.store = store


class CompileFailed(Message):
    """Compiling a table shown early failed: ``store`` stays open as it is (answering from its views)."""

    def __init__(self, store: object, error: Exception) -> None:
        super().__init__()
        self.store = store
        self.error = error


class OpenProgress(Message):
    """Opening (or reloading) has reached ``phase``, ``fraction`` done (``None``: unknown)."""

    def __init__(self, phase: str, fraction: float | None) -> None:
        super().__init__()
        self.phase = phase
        self.fraction = fraction


class Opened(Message):
    """The source opened: ``store``, with its first ``view`` when the opening thread made one."""

    def __init__(self, store: object, view: object, reload: bool) -> None:
        super().__init__()
        self.store = store
        self.view = view
        self.reload = reload


class OpenFailed(Message):
    """The source could not be opened: ``error`` (a ``CorpusError``) says where and why."""

    def __init__(self, error: Exception, reload: bool) -> None:
        super().__init__()
        self.error = error
        self.reload = reload


class MatchesCounted(Message):
    """The engine has counted every match of the search for ``text`` (shown from its first ones), or
    could not (``error``)."""

    def __init__(self, text: str, matches: Matches, error: Exception | None = None) -> None:
        super().__init__()
        self.text = text
        self.matches = matches
        self.error = error
