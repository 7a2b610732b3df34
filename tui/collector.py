"""The one policy for Python's cyclic garbage collector.

Starting the app and loading a corpus make hundreds of thousands to millions of
objects that live as long as the process (modules, classes, styles, events) and
free almost none: the collector would only walk them again and again (a tenth of
the time to the first screen; seconds in a large load). So:

- ``paused()`` holds the collector off while such objects are made: importing
  the command line, opening a source, a load, a compile;
- ``settle()`` moves everything alive into the permanent generation and lets
  the collector run again, for what the session makes from then on: after the
  first screen is painted, and after a load large enough to matter.

Nothing else in the package touches ``gc``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused", "settle", "settle_large"]



@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block; as it was before, after it (nested blocks nest)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle() -> None:
    """What is alive now lives on: out of the collector's sight, which then runs again."""
    gc.freeze()
    gc.enable()


def settle_large() -> None:
    """After the load of a large corpus (``store.MANY_EVENTS``), which lives as long as the process:
    what is alive is moved out of the collector's sight (whose state is left as it is)."""
    gc.freeze()
