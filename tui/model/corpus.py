"""The loaded corpus: documents, actors, events with resolved quotes, claims.

These are the objects the app and the command line work with.  They are built
by ``loader.load_corpus`` (which validates everything) and are read-only by
convention.  Nothing here imports Textual.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .anchoring import Context, LineIndex, context
from .dates import EDTFDate
from .errors import Problem
from .search import AliasTable, SearchPattern
from .textfold import fold

__all__ = [
    "Actor",
    "Claim",
    "Corpus",
    "Document",
    "Event",
    "Exclusion",
    "Period",
    "Quote",
    "Statement",
]


@dataclass(slots=True, eq=False)
class Exclusion:
    """A passage of a document that is not citable."""

    start: int
    end: int
    reason: str = ""


@dataclass(eq=False)
class Document:
    id: str
    path: str  # as written in corpus.json, relative to the corpus folder
    file: Path
    title: str = ""
    outlet: str = ""
    published: EDTFDate | None = None
    url: str = ""
    note: str = ""
    exclusions: list[Exclusion] = field(default_factory=list)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The document's text, exactly as in its file (read on first use)."""
        if self._text is None:
            self._text = self.file.read_bytes().decode("utf-8")
        return self._text

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @property
    def label(self) -> str:
        """A short name for the document: its title, else its path."""
        return self.title or self.path

    def citation(self) -> str:
        """'Title', Outlet, 21 August 2019 (the parts that are known)."""
        parts = [self.title or self.path]
        if self.outlet:
            parts.append(self.outlet)
        if self.published is not None:
            parts.append(self.published.human())
        return ", ".join(parts)

    def exclusion_at(self, start: int, end: int) -> Exclusion | None:
        """The excluded passage overlapping ``[start, end)``, if any."""
        for ex in self.exclusions:
            if ex.start < end and start < ex.end:
                return ex
        return None


@dataclass(eq=False)
class Quote:
    """A verbatim passage of a document, resolved to offsets when it anchors."""

    document: Document
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    problem: Problem | None = None

    @property
    def anchored(self) -> bool:
        return self.start is not None

    @property
    def text(self) -> str:
        """The quoted text: ``document.text[start:end]`` when anchored."""
        if self.start is None or self.end is None:
            return self.exact
        return self.document.text[self.start : self.end]

    def context(self, max_chars: int | None = None) -> Context | None:
        """The paragraph around the quote (``None`` for an unanchored quote)."""
        if self.start is None or self.end is None:
            return None
        barriers = [(ex.start, ex.end) for ex in self.document.exclusions]
        return context(self.document.text, self.start, self.end, max_chars, barriers)

    def line(self) -> int | None:
        if self.start is None:
            return None
        return self.document.lines.line_col(self.start)[0]


@dataclass(eq=False)
class Statement(Quote):
    """One source's version in a claim."""

    value: str = ""


@dataclass(eq=False)
class Actor:
    id: str
    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    affiliation: str | None = None
    note: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(eq=False)
class Event:
    id: str
    date: EDTFDate
    title: str
    summary: str = ""
    type: str = ""
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    date_note: str = ""
    draft: bool = False
    confidence: float | None = None
    note: str = ""
    claims: list[str] = field(default_factory=list)  # ids of claims about this event
    position: int = -1  # index in timeline order

    @property
    def documents(self) -> list[Document]:
        """The distinct documents this event cites, in the order first cited."""
        seen: dict[str, Document] = {}
        for q in self.quotes:
            seen.setdefault(q.document.id, q.document)
        return list(seen.values())

    @property
    def source_count(self) -> int:
        return len({q.document.id for q in self.quotes})

    @property
    def disputed(self) -> bool:
        return bool(self.claims)

    @cached_property
    def haystack(self) -> str:
        """Folded search text: title, summary and quote texts."""
        return fold("\n".join([self.title, self.summary, *(q.text for q in self.quotes)]))


@dataclass(eq=False)
class Claim:
    """A point on which the sources disagree: each statement is one source's version."""

    id: str
    about: str
    statements: tuple[Statement, ...]
    events: tuple[str, ...] = ()


@dataclass(eq=False)
class Period:
    id: str
    title: str
    date: EDTFDate


@dataclass(frozen=True)
class Query:
    """Which events to show.  Every part narrows; empty parts do not filter.

    * ``actors``: events in which any of these actors takes part, directly or
      through a coalition it belongs to (a coalition does not bring in its
      members' separate events);
    * ``date_from``/``date_to``: events whose span overlaps the range from the
      first instant of ``date_from`` to the last instant of ``date_to``;
    * ``types``: events of any of these types;
    * ``text``: see ``search`` (every term must occur).
    """

    actors: frozenset[str] = frozenset()
    date_from: EDTFDate | None = None
    date_to: EDTFDate | None = None
    types: frozenset[str] = frozenset()
    text: str = ""

    def is_empty(self) -> bool:
        return not (self.actors or self.date_from or self.date_to or self.types or self.text.strip())

    def describe(self, corpus: Corpus | None = None) -> str:
        """The filters in words, for headers and exports."""
        parts = []
        if self.actors:
            names = sorted(corpus.actors[a].name if corpus and a in corpus.actors else a for a in self.actors)
            parts.append("actor: " + " or ".join(names))
        if self.date_from:
            parts.append(f"from {self.date_from.human()}")
        if self.date_to:
            parts.append(f"to {self.date_to.human()}")
        if self.types:
            parts.append("type: " + " or ".join(sorted(self.types)))
        if self.text.strip():
            parts.append(f"search: {self.text.strip()}")
        return "; ".join(parts)


class Corpus:
    """A validated corpus, events in timeline order, with indexes for queries."""

    def __init__(
        self,
        *,
        title: str,
        description: str,
        root: Path,
        file: Path,
        documents: dict[str, Document],
        actors: dict[str, Actor],
        events: list[Event],
        claims: dict[str, Claim],
        periods: list[Period],
        problems: list[Problem],
    ) -> None:
        self.title = title
        self.description = description
        self.root = root
        self.file = file
        self.documents = documents
        self.actors = actors
        self.events = events
        self.claims = claims
        self.periods = periods
        self.problems = problems
        self.events_by_id = {e.id: e for e in events}
        for i, event in enumerate(events):
            event.position = i
        # Direct participation, and the coalitions each actor belongs to.
        self._by_actor: dict[str, list[int]] = {}
        self._by_type: dict[str, list[int]] = {}
        for i, event in enumerate(events):
            for actor in dict.fromkeys(event.actors):
                self._by_actor.setdefault(actor, []).append(i)
            self._by_type.setdefault(event.type, []).append(i)
        self._containers = _containers(actors)
        self.aliases = AliasTable.from_spellings(a.spellings for a in actors.values())

    # -- facts --------------------------------------------------------------

    @property
    def unanchored(self) -> list[Problem]:
        return [p for p in self.problems if p.is_anchor_problem and p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def types(self) -> list[str]:
        return sorted(t for t in self._by_type if t)

    def containers(self, actor_id: str) -> frozenset[str]:
        """The coalitions ``actor_id`` belongs to, directly or through other coalitions."""
        return self._containers.get(actor_id, frozenset())

    def events_of(self, actor_id: str) -> list[Event]:
        """Events the actor takes part in, directly or through its coalitions."""
        return [self.events[i] for i in sorted(self._positions_for_actor(actor_id))]

    def resolve_actor(self, token: str) -> str:
        """The id of the actor named by ``token``: an id, a name or an alias.

        Raises ``LookupError`` with a suggestion when none or several match.
        """
        if token in self.actors:
            return token
        wanted = " ".join(fold(token).split())
        matches = [a.id for a in self.actors.values() if wanted in {" ".join(fold(s).split()) for s in a.spellings}]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise LookupError(f"{token!r} names several actors ({', '.join(matches)}); give one of these ids")
        names = {**{a.id: a.id for a in self.actors.values()}, **{a.name: a.id for a in self.actors.values()}}
        close = difflib.get_close_matches(token, list(names), n=1)
        hint = f" (did you mean {names[close[0]]!r}?)" if close else ""
        raise LookupError(f"no actor {token!r} in this corpus{hint}")

    def claims_of(self, event: Event) -> list[Claim]:
        return [self.claims[c] for c in event.claims]

    def quotes(self) -> Iterable[Quote]:
        for e in self.events:
            yield from e.quotes
        for c in self.claims.values():
            yield from c.statements

    # -- queries ------------------------------------------------------------

    def search_pattern(self, text: str) -> SearchPattern:
        return SearchPattern(text, self.aliases)

    def _positions_for_actor(self, actor_id: str) -> set[int]:
        positions: set[int] = set(self._by_actor.get(actor_id, ()))
        for coalition in self.containers(actor_id):
            positions.update(self._by_actor.get(coalition, ()))
        return positions

    def positions(self, query: Query) -> list[int]:
        """Timeline positions of the events matching ``query``, in order."""
        candidates: set[int] | None = None
        if query.actors:
            candidates = set()
            for actor in query.actors:
                candidates |= self._positions_for_actor(actor)
        if query.types:
            by_type: set[int] = set()
            for t in query.types:
                by_type.update(self._by_type.get(t, ()))
            candidates = by_type if candidates is None else candidates & by_type
        ordered: Sequence[int] = sorted(candidates) if candidates is not None else range(len(self.events))
        lower = query.date_from.lower if query.date_from else None
        upper = query.date_to.upper if query.date_to else None
        pattern = self.search_pattern(query.text) if query.text.strip() else None
        result = []
        events = self.events
        for i in ordered:
            event = events[i]
            if lower is not None and event.date.upper < lower:
                continue
            if upper is not None and event.date.lower > upper:
                continue
            if pattern is not None and not pattern.matches(event.haystack):
                continue
            result.append(i)
        return result

    def query(self, query: Query) -> list[Event]:
        """The events matching ``query``, in timeline order."""
        return [self.events[i] for i in self.positions(query)]

    def actor_counts(self, query: Query) -> dict[str, int]:
        """For each actor, how many events selecting it would show under the other filters.

        That is: the events it takes part in (directly or through its
        coalitions) that also pass the query's date, type and search filters.
        """
        base = set(self.positions(replace(query, actors=frozenset())))
        everything = len(base) == len(self.events)
        counts = {}
        for actor_id in self.actors:
            positions = self._positions_for_actor(actor_id)
            counts[actor_id] = len(positions) if everything else len(positions & base)
        return counts

    def matching(self, positions: Iterable[int], text: str) -> list[int]:
        """The positions among ``positions`` whose event matches the search ``text``."""
        pattern = self.search_pattern(text)
        if not pattern:
            return []
        events = self.events
        return [p for p in positions if pattern.matches(events[p].haystack)]


def _containers(actors: dict[str, Actor]) -> dict[str, frozenset[str]]:
    """For each actor, every coalition that contains it, transitively.

    Membership cycles are rejected by the loader; the walk still guards
    against them so that this never loops.
    """
    parents: dict[str, set[str]] = {}
    for actor in actors.values():
        for member in actor.members:
            parents.setdefault(member, set()).add(actor.id)
    result: dict[str, frozenset[str]] = {}
    for actor_id in parents:
        seen: set[str] = set()
        stack = list(parents[actor_id])
        while stack:
            p = stack.pop()
            if p in seen or p == actor_id:
                continue
            seen.add(p)
            stack.extend(parents.get(p, ()))
        result[actor_id] = frozenset(seen)
    return result
