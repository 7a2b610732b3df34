"""One interface to the events: ``EventStore``, and the sets of events a query selects.

Everything the app and the exports ask of the events goes through here:

* ``store.select(query)`` is the :class:`EventSet` of the events the filters
  select, in timeline order (by the date's sort key, then id).  It knows how
  many they are, how they fall under the timeline's year and month headings,
  the timeline *position* of its ``i``-th event, where a position falls in it,
  per-actor counts (coalitions included) under the other filters, per-period
  counts for the density strip, and the events among it that match a search;
* ``store.event(position)`` is one event, with its quotes; ``position_of(id)``
  where an event is; ``store.events_at(positions)`` several, for exports.

A *position* is an event's place in the timeline of the whole store (0 is the
earliest event); it never changes while the store is open, whatever the
filters, so the app keeps positions, not events.

Two implementations answer the same questions the same way, which one
conformance suite checks (``tests/test_store_conformance.py``):

* :class:`MemoryStore` (here) holds a curated corpus in Python, as loaded by
  ``loader.load_corpus``: small, fast, never imports an engine;
* ``sqlstore.SqlStore`` asks a database engine through ibis (DuckDB embedded
  by default, Spark, PostgreSQL, BigQuery...), which holds the table: Python
  only ever holds the windows of rows on screen.

Some answers of a SQL store take a while; those methods say so (``slow``)
and the app calls them from a worker.  ``EventSet.ready(start, stop)`` says
whether the positions of a range are at hand without asking the engine.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from msgspec.structs import replace

from .corpus import Actor, Claim, Corpus, Document, Event, Period, Query, heading_key
from .dates import EDTFDate
from .errors import Problem
from .search import SearchPattern

__all__ = ["MANY_EVENTS", "EventSet", "EventStore", "Matches", "MemoryStore", "MemoryEventSet", "HeadingKey"]

HeadingKey = tuple[int, int]  # (year, month): month 0 for a date coarser than a month; year -2**63 for open starts

# A store this large (or one on an engine) is searched, and its density strip worked out, in a
# worker; a corpus this large is settled out of the garbage collector's sight once loaded.
MANY_EVENTS = 50_000


@runtime_checkable
class Matches(Protocol):
    """The events of an :class:`EventSet` that match a search, in timeline order."""

    text: str
    pattern: SearchPattern
    #: Is their number known? A large result on an engine is shown from its first matches while the
    #: engine counts the rest (``len`` then waits for it: ask it away from the interface).
    counted: bool
    #: How many are known to match at least (all of them once ``counted``).
    least: int

    def __len__(self) -> int: ...
    def __bool__(self) -> bool:
        """Does anything match (known without counting)?"""
    def __contains__(self, position: object) -> bool: ...
    def first(self) -> int | None: ...
    def after(self, position: int) -> int | None:
        """The first matching position after ``position``, wrapping around to the first."""
    def before(self, position: int) -> int | None:
        """The last matching position before ``position``, wrapping around to the last."""
    def index(self, position: int) -> int:
        """How many matches come before ``position`` (its 0-based rank when it is one)."""


@runtime_checkable
class EventSet(Protocol):
    """The events a query selects, in timeline order."""

    query: Query

    def __len__(self) -> int: ...
    def __contains__(self, position: object) -> bool: ...

    def headings(self) -> list[tuple[HeadingKey, int]]:
        """Each timeline heading (year, month) with how many of the events fall under it, in order."""

    def position(self, index: int) -> int | None:
        """The position of the ``index``-th event (None: not fetched yet, see ``ready``)."""

    def positions(self, start: int, stop: int) -> Sequence[int]:
        """Positions of the events ``start`` to ``stop`` (fetched if need be: slow on a SQL store)."""

    def ready(self, start: int, stop: int) -> bool:
        """Are the positions of events ``start`` to ``stop`` at hand, without asking the engine?"""

    def index_of(self, position: int) -> int:
        """How many of the events come before ``position`` (its index if it is one of them)."""

    def actor_count(self, actor_id: str) -> int | None:
        """How many events selecting ``actor_id`` would show under the other filters
        (directly or through a coalition it belongs to); None while not known yet."""

    def search(self, text: str, cancelled: Callable[[], bool] | None = None) -> Matches | None:
        """The events among these that match the search ``text`` (None if ``cancelled``)."""

    def members(self, positions: Iterable[int]) -> list[int]:
        """Those of ``positions`` that are among these events, ascending."""

    def iter_events(self) -> Iterator[Event]:
        """Every one of these events, in timeline order (exports; a SQL store fetches them by batches)."""

    def density(self, room: int, span: tuple[EDTFDate | None, EDTFDate | None]): ...
    def coarse_in(self, period) -> int | None: ...
    def lowers(self, start: int, stop: int) -> Sequence[float]: ...


@runtime_checkable
class EventStore(Protocol):
    """The events of a corpus or a table, and what describes them (documents, actors, claims)."""

    title: str
    description: str
    documents: Mapping[str, Document]
    actors: Mapping[str, Actor]
    claims: Mapping[str, Claim]
    periods: list[Period]
    problems: list[Problem]
    origin: Path

    def __len__(self) -> int: ...
    @property
    def types(self) -> list[str]: ...
    def select(self, query: Query) -> EventSet: ...
    def event(self, position: int) -> Event: ...
    def position_of(self, event_id: str) -> int | None: ...
    def positions_of(self, ids: Iterable[str]) -> dict[str, int]: ...
    def events_at(self, positions: Iterable[int]) -> Iterator[Event]: ...
    def resolve_actor(self, token: str) -> str: ...
    def search_pattern(self, text: str) -> SearchPattern: ...


# -- in memory -----------------------------------------------------------------------------


class _ListMatches:
    """Matches held as a sorted list of positions (a memory store, or a small SQL result)."""

    counted = True

    def __init__(self, text: str, pattern: SearchPattern, positions: Sequence[int]) -> None:
        self.text, self.pattern, self._positions = text, pattern, positions
        self._set: frozenset[int] | None = None

    def __len__(self) -> int:
        return len(self._positions)

    def __bool__(self) -> bool:
        return bool(self._positions)

    @property
    def least(self) -> int:
        return len(self._positions)

    def __contains__(self, position: object) -> bool:
        if self._set is None:
            self._set = frozenset(self._positions)
        return position in self._set

    def __iter__(self) -> Iterator[int]:
        return iter(self._positions)

    def first(self) -> int | None:
        return self._positions[0] if self._positions else None

    def after(self, position: int) -> int | None:
        if not self._positions:
            return None
        i = bisect.bisect_right(self._positions, position)
        return self._positions[i % len(self._positions)]

    def before(self, position: int) -> int | None:
        if not self._positions:
            return None
        i = bisect.bisect_left(self._positions, position) - 1
        return self._positions[i % len(self._positions)]

    def index(self, position: int) -> int:
        return bisect.bisect_left(self._positions, position)


class MemoryEventSet:
    """A selection of a :class:`MemoryStore`: a range or a sorted list of positions."""

    def __init__(self, store: MemoryStore, query: Query, positions: range | list[int]) -> None:
        self.store, self.query, self.selected = store, query, positions
        self._counts: Callable[[str], int] | None = None

    def __len__(self) -> int:
        return len(self.selected)

    def __iter__(self) -> Iterator[int]:
        return iter(self.selected)

    def __contains__(self, position: object) -> bool:
        sel = self.selected
        if isinstance(sel, range):
            return position in sel
        if not isinstance(position, int):
            return False
        i = bisect.bisect_left(sel, position)
        return i < len(sel) and sel[i] == position

    def headings(self) -> list[tuple[HeadingKey, int]]:
        sel = self.selected
        n = len(sel)
        out = []
        for key, start, end in self.store.corpus.heading_groups():
            if isinstance(sel, range):
                lo = max(0, min(n, start - sel.start))
                hi = max(0, min(n, end - sel.start))
            else:
                lo = bisect.bisect_left(sel, start)
                hi = bisect.bisect_left(sel, end, lo)
            if hi > lo:
                out.append((key, hi - lo))
        return out

    def position(self, index: int) -> int | None:
        return self.selected[index]

    def positions(self, start: int, stop: int) -> Sequence[int]:
        return self.selected[start:stop]

    def ready(self, start: int, stop: int) -> bool:
        return True

    def index_of(self, position: int) -> int:
        sel = self.selected
        if isinstance(sel, range):
            return max(0, min(len(sel), position - sel.start))
        return bisect.bisect_left(sel, position)

    def actor_count(self, actor_id: str) -> int:
        if self._counts is None:
            from .view import ActorCounter

            corpus = self.store.corpus
            base = corpus.select(replace(self.query, actors=frozenset())) if self.query.actors else self.selected
            self._counts = ActorCounter(corpus, base)
        return self._counts(actor_id)

    def search(self, text: str, cancelled: Callable[[], bool] | None = None) -> _ListMatches | None:
        corpus = self.store.corpus
        pattern = corpus.search_pattern(text)
        if not pattern:
            return _ListMatches(text, pattern, [])
        found = corpus.search(text, self.selected, cancelled=cancelled)
        if found is None:
            return None
        return _ListMatches(text, pattern, found)

    def members(self, positions: Iterable[int]) -> list[int]:
        """Those of ``positions`` that are among these events, ascending."""
        return sorted(p for p in positions if p in self)

    def iter_events(self) -> Iterator[Event]:
        """Every one of these events, in timeline order, made one at a time (exports)."""
        return self.store.corpus.iter_events(self.selected)

    def lowers(self, start: int, stop: int) -> Sequence[float]:
        lowers = self.store.corpus._lowers
        return [lowers[p] for p in self.selected[start:stop]]

    def density(self, room: int, span: tuple[EDTFDate | None, EDTFDate | None]):
        from .density import density

        return density(self.store.corpus, self.selected, room, span)

    def coarse_in(self, period) -> int | None:
        from .density import coarse_in

        return coarse_in(self.store.corpus, self.selected, period)


class MemoryStore:
    """A curated corpus held in Python (``loader.load_corpus``): the store of small corpora.

    Its metadata attributes are the corpus's own, so what shows a corpus can
    show this store; ``corpus`` is there for what only a corpus in memory
    does (anchoring its quotes, editing it).
    """

    kind = "memory"
    slow = False  # no answer of this store needs a worker

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def __len__(self) -> int:
        return len(self.corpus.events)

    def __getattr__(self, name: str):
        # title, description, documents, actors, claims, periods, problems, origin, file, root,
        # errors, warnings, unanchored, verified, verify, claims_of, aliases ...: the corpus's
        return getattr(self.corpus, name)

    @property
    def types(self) -> list[str]:
        return self.corpus.types

    def select(self, query: Query) -> MemoryEventSet:
        return MemoryEventSet(self, query, self.corpus.select(replace(query, text=query.text)))

    def event(self, position: int) -> Event:
        return self.corpus.events[position]

    def position_of(self, event_id: str) -> int | None:
        return self.corpus.position_of(event_id)

    def positions_of(self, ids: Iterable[str]) -> dict[str, int]:
        """Where each of the events ``ids`` is (those not in the store are left out)."""
        found = {}
        for event_id in ids:
            p = self.corpus.position_of(event_id)
            if p is not None:
                found[event_id] = p
        return found

    def events_at(self, positions: Iterable[int]) -> Iterator[Event]:
        return self.corpus.iter_events(positions)

    def resolve_actor(self, token: str) -> str:
        return self.corpus.resolve_actor(token)

    def search_pattern(self, text: str) -> SearchPattern:
        return self.corpus.search_pattern(text)


def heading_of(date: EDTFDate) -> HeadingKey:
    """The timeline heading a date is filed under (see ``corpus.heading_key``)."""
    return heading_key(date)
