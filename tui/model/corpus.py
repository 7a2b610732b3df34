"""The loaded corpus: documents, actors, events with their quotes, claims.

These are the objects the app and the command line work with.  They are built
by ``loader.load_corpus`` and read-only by convention.  Nothing here imports
Textual.

Quotes are anchored by ``Corpus.verify``: document by document, reading each
text once and letting it go again, so a corpus of a million events opens
without holding every document in memory.  ``load_corpus`` verifies before
it returns unless asked not to (the app does that in the background).

Queries work on timeline *positions* (indexes into ``Corpus.events``).  A
selection is a ``range`` or a sorted list of positions; filters are checked
against parallel arrays, so a query costs in proportion to the smallest set
involved, not to the corpus.
"""

from __future__ import annotations

import bisect
import difflib
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import compress, count
from operator import attrgetter
from pathlib import Path

import msgspec
from msgspec.structs import replace

from . import schema
from .anchoring import AnchorError, Context, LineIndex, context, resolve
from .dates import EDTFDate, Precision
from .editorial import OPENS_QUOTE, foreign_events, missing_phrases
from .errors import Problem, Problems
from .files import read_document
from .search import AliasTable, SearchIndex, SearchPattern
from .textfold import fold

__all__ = [
    "Actor",
    "Claim",
    "Corpus",
    "Document",
    "Event",
    "Exclusion",
    "Period",
    "Query",
    "Quote",
    "Selection",
    "Statement",
]

Selection = range | list[int]


class Exclusion(msgspec.Struct, eq=False):
    """A passage of a document that is not citable."""

    start: int
    end: int
    reason: str = ""


class Document:
    """A source document; its text is read from its file when first needed."""

    __slots__ = ("id", "path", "_file", "title", "outlet", "published", "url", "note", "_exclusions",
                 "selectors", "_text", "_lines", "_keep", "_lock", "accessed")

    def __init__(self, id: str, path: str, file: Path | str, title: str = "", outlet: str = "",
                 published: EDTFDate | None = None, url: str = "", note: str = "",
                 selectors: Sequence = (), text: str | None = None, *, accessed: EDTFDate | None = None) -> None:
        self.id = id
        self.path = path  # as written in corpus.json, relative to the corpus folder
        self._file = file  # a str until asked for: a Path each for 5,000 documents cost 70 ms per open
        self.title = title
        self.outlet = outlet
        self.published = published
        self.url = url
        self.note = note
        self.accessed = accessed  # when the copy was retrieved, if the corpus says
        self.selectors = list(selectors)  # the exclude selectors, resolved by Corpus.verify
        self._exclusions: list[Exclusion] | None = None if self.selectors else []
        self._text = text
        self._keep = text is not None
        self._lines: LineIndex | None = None
        self._lock = threading.Lock()

    @property
    def file(self) -> Path:
        """Where the document is on disk."""
        file = self._file
        if not isinstance(file, Path):
            file = self._file = Path(file)
        return file

    @property
    def text(self) -> str:
        """The document's text, exactly as in its file (read on first use, then kept)."""
        text = self._text
        if text is None:
            with self._lock:
                if self._text is None:
                    self._text = read_document(self.file).decode("utf-8")
                text = self._text
        self._keep = True
        return text

    def _borrow_text(self) -> str:
        """The text for a one-off pass (verification), without keeping it afterwards."""
        if self._text is not None:
            return self._text
        return read_document(self.file).decode("utf-8")

    @property
    def exclusions(self) -> list[Exclusion]:
        """The passages that are not citable (resolved when first needed; problems are verify's to report)."""
        if self._exclusions is None:
            found = [ex for _, ex in self.marks()]
            found.sort(key=lambda e: (e.start, e.end))
            self._exclusions = found
        return self._exclusions

    def marks(self) -> Iterator[tuple[int, Exclusion]]:
        """Each passage of the document's ``exclude`` list that resolves, with its index in that list
        (those that do not are verify's to report)."""
        text = self.text
        for j, sel in enumerate(self.selectors):
            try:
                start, end = resolve(text, sel.exact, sel.prefix, sel.suffix)
            except AnchorError:
                continue
            yield j, Exclusion(start, end, getattr(sel, "reason", ""))

    @exclusions.setter
    def exclusions(self, value: list[Exclusion]) -> None:
        self._exclusions = value

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

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


class Quote:
    """A verbatim passage of a document, resolved to offsets once anchored.

    ``owner`` is the event or claim citing it and ``slot`` its index in the
    owner's list, which locate it in corpus.json for diagnostics.
    """

    __slots__ = ("document", "exact", "prefix", "suffix", "_start", "_end", "problem", "owner", "slot", "checked",
                 "_tried")

    def __init__(self, document: Document, exact: str, prefix: str = "", suffix: str = "",
                 owner: object = None, slot: int = 0) -> None:
        self.document = document
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
        self._start: int | None = None
        self._end: int | None = None
        self.problem: Problem | None = None
        self.owner = owner
        self.slot = slot
        self.checked = False  # anchoring attempted (by Corpus.verify)
        self._tried = False  # anchoring attempted on first use, before verification reached it

    @property
    def start(self) -> int | None:
        """Where the quote starts in its document (code points); None if it does not anchor.

        A quote used before the verification reached it (a large corpus shown
        at once, or one reopened from its compiled cache) is anchored on first
        use; its problem, if it has one, is reported by the verification.
        """
        if not self.checked and not self._tried:
            self._anchor_now()
        return self._start

    @start.setter
    def start(self, value: int | None) -> None:
        self._start = value

    @property
    def end(self) -> int | None:
        if not self.checked and not self._tried:
            self._anchor_now()
        return self._end

    @end.setter
    def end(self, value: int | None) -> None:
        self._end = value

    @property
    def anchored(self) -> bool:
        return self.start is not None

    @property
    def text(self) -> str:
        """The quoted text: ``document.text[start:end]``, which is ``exact`` once anchored."""
        return self.exact

    def context(self, max_chars: int | None = None) -> Context | None:
        """The paragraph around the quote (``None`` for a quote that does not anchor)."""
        start, end = self.start, self.end
        if start is None or end is None:
            return None
        barriers = [(ex.start, ex.end) for ex in self.document.exclusions]
        return context(self.document.text, start, end, max_chars, barriers)

    def line(self) -> int | None:
        start = self.start
        if start is None:
            return None
        return self.document.lines.line_col(start)[0]

    def _anchor_now(self) -> None:
        self._tried = True
        try:
            start, end = resolve(self.document.text, self.exact, self.prefix, self.suffix, self.document.lines)
        except (AnchorError, OSError, UnicodeDecodeError):
            return
        self._start, self._end = start, end


class Statement(Quote):
    """One source's version in a claim."""

    __slots__ = ("value",)

    def __init__(self, document: Document, exact: str, prefix: str = "", suffix: str = "",
                 owner: object = None, slot: int = 0, value: str = "") -> None:
        super().__init__(document, exact, prefix, suffix, owner, slot)
        self.value = value


class Actor(msgspec.Struct, eq=False):
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


class Event:
    __slots__ = ("id", "date", "title", "summary", "type", "tags", "actors", "quotes", "date_note", "draft",
                 "confidence", "note", "claims", "position", "index", "_haystack", "extra")

    def __init__(self, id: str, date: EDTFDate, title: str, summary: str = "", type: str = "",
                 tags: tuple[str, ...] = (), actors: tuple[str, ...] = (), quotes: tuple[Quote, ...] = (),
                 date_note: str = "", draft: bool = False, confidence: float | None = None, note: str = "",
                 index: int = -1) -> None:
        self.id = id
        self.date = date
        self.title = title
        self.summary = summary
        self.type = type
        self.tags = tags
        self.actors = actors
        self.quotes = quotes
        self.date_note = date_note
        self.draft = draft
        self.confidence = confidence
        self.note = note
        self.claims: list[str] = []  # ids of the claims about this event
        self.position = -1  # index in timeline order
        self.index = index  # index in corpus.json's "events"
        self._haystack: str | None = None
        self.extra: dict = {}  # data from another tool, kept as it is (see the corpus format)

    def __repr__(self) -> str:
        return f"Event({self.id!r}, {self.date.text!r}, {self.title!r})"

    @property
    def documents(self) -> list[Document]:
        """The distinct documents this event cites, in the order first cited."""
        seen: dict[str, Document] = {}
        for q in self.quotes:
            seen.setdefault(q.document.id, q.document)
        return list(seen.values())

    @property
    def source_count(self) -> int:
        quotes = self.quotes
        if len(quotes) == 1:
            return 1
        return len({q.document.id for q in quotes})

    @property
    def disputed(self) -> bool:
        return bool(self.claims)

    @property
    def haystack(self) -> str:
        """Folded search text: title, summary and quote texts."""
        if self._haystack is None:
            self._haystack = fold("\n".join([self.title, self.summary, *(q.exact for q in self.quotes)]))
        return self._haystack


class Claim(msgspec.Struct, eq=False):
    """A point on which the sources disagree: each statement is one source's version."""

    id: str
    about: str
    statements: tuple[Statement, ...]
    events: tuple[str, ...] = ()
    index: int = -1  # index in corpus.json's "claims"
    explicit: bool = True  # events given in the file (else derived from shared passages)


class Period(msgspec.Struct, eq=False):
    id: str
    title: str
    date: EDTFDate


class Query(msgspec.Struct, frozen=True):
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


# A span longer than this (seconds) is a "wide" event: date filters check
# those one by one, and every other event by two bisections.
_WIDE = 400 * 86_400
_ID_OF = attrgetter("id")


def heading_key(date: EDTFDate) -> tuple[int, int]:
    """(year, month) a timeline files a date under; month 0 for coarser dates.

    Non-decreasing along the timeline order, so every key covers one
    contiguous run of positions.  Open-start dates come first, under year
    ``-inf`` (as ``(-2**63, 0)``).
    """
    if date.open_start or date.lower == float("-inf"):
        return (-(2**63), 0)
    year, month = date.year_month()
    if year is None:
        return (-(2**63), 0)
    if date.precision < Precision.SEASON or month is None:
        return (year, 0)
    return (year, month)


class Corpus(Problems):
    """A corpus, events in timeline order, with indexes for queries."""

    def __init__(
        self,
        *,
        title: str,
        description: str,
        root: Path,
        file: Path,
        documents: dict[str, Document],
        actors: dict[str, Actor],
        records: list,
        dates: list[EDTFDate],
        file_index: list[int],
        claims: dict[str, Claim],
        periods: list[Period],
        problems: list[Problem],
        reporter: Callable[..., Problem] | None = None,
        reader: Callable[[Document], str | None] | None = None,
        extra_quotes: Sequence[Quote] = (),
        orphan_records: Sequence[tuple[int, object]] = (),
        by_actor: dict[str, Sequence[int]] | None = None,
        groups: list[tuple[tuple[int, int], int, int]] | None = None,
        ids: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
    ) -> None:
        """``records``: the events' records (schema.Event or schema.LeanEvent) in timeline order,
        ``dates`` their parsed dates and ``file_index`` their indexes in corpus.json; ``ids``, when
        the caller has them, their ids (and ``types`` their types) in the same order."""
        self.title = title
        self.description = description
        self.root = root
        self.file = file
        self.documents = documents
        self.actors = actors
        self.claims = claims
        self.periods = periods
        self.extra: dict = {}  # data from another tool about the whole corpus, kept as it is
        # The file the user opened: corpus.json itself, or a file in another format
        # (a TimelineJS JSON) that was converted into this corpus.  Reloading reads
        # it again, and what the user writes about the corpus (marks, notes) lives beside it.
        self.origin: Path = file
        self.problems = problems
        self.verified = False
        self._reporter = reporter
        self._reader = reader
        self._extra_quotes = list(extra_quotes)  # quotes of records that could not be built, still checked
        self._orphan_records = list(orphan_records)  # (file index, record) of events that could not be placed
        self._records = records
        self._dates = dates
        self._file_index = file_index
        self._ids = ids
        self._types = types
        n = len(records)
        self._made: list[Event | None] = [None] * n
        self._make_lock = threading.Lock()
        self.events: EventList = EventList(self)
        self._events_by_id: dict[str, int] | None = None
        self._claims_at: dict[int, list[str]] = {}
        if by_actor is None:
            by_actor = {}
            for i, rec in enumerate(records):
                for actor in rec.actors:
                    lst = by_actor.get(actor)
                    if lst is None:
                        by_actor[actor] = [i]
                    elif lst[-1] != i:
                        lst.append(i)
        self._by_actor = by_actor
        # Date and type columns are built on first use (a first screen needs neither).
        self._date_columns: tuple[list, list, list[int]] | None = None
        self._type_columns: tuple[dict[str, int], list[int], dict[str, list[int]]] | None = None
        self._containers = _containers(actors)
        self._expanded: dict[str, list[int]] = {}
        self._groups = groups
        self._search_index: SearchIndex | None = None
        self._search_lock = threading.Lock()
        self._aliases: AliasTable | None = None
        if claims:
            # Claims name their events by id: find those few positions with one pass,
            # without building the index of every id.
            wanted = {e for c in claims.values() for e in c.events}
            if ids is None:
                ids = list(map(_ID_OF, records))
            found = {ids[i]: i for i in compress(range(len(ids)), map(wanted.__contains__, ids))}
            for claim in claims.values():
                for event_id in claim.events:
                    position = found.get(event_id)
                    if position is not None:
                        ids = self._claims_at.setdefault(position, [])
                        if claim.id not in ids:
                            ids.append(claim.id)

    @property
    def aliases(self) -> AliasTable:
        if self._aliases is None:
            self._aliases = AliasTable.from_spellings(a.spellings for a in self.actors.values())
        return self._aliases

    # -- columns built on first use ----------------------------------------------

    def _dates_columns(self) -> tuple[list, list, list[int]]:
        if self._date_columns is None:
            lowers = [d.lower for d in self._dates]
            uppers = [d.upper for d in self._dates]
            wide = [i for i in range(len(lowers)) if uppers[i] - lowers[i] > _WIDE]
            self._date_columns = (lowers, uppers, wide)
        return self._date_columns

    @property
    def _lowers(self) -> list:
        return self._dates_columns()[0]

    @property
    def _uppers(self) -> list:
        return self._dates_columns()[1]

    @property
    def _wide(self) -> list[int]:
        return self._dates_columns()[2]

    def _types_columns(self) -> tuple[dict[str, int], list[int], dict[str, list[int]]]:
        if self._type_columns is None:
            types = self._types if self._types is not None else [rec.type for rec in self._records]
            type_ids = {t: k for k, t in enumerate(dict.fromkeys(types))}
            by_type: dict[str, list[int]] = {t: [] for t in type_ids}
            for i, t in enumerate(types):
                by_type[t].append(i)
            self._type_columns = (type_ids, [type_ids[t] for t in types], by_type)
        return self._type_columns

    @property
    def _type_ids(self) -> dict[str, int]:
        return self._types_columns()[0]

    @property
    def _type_of(self) -> list[int]:
        return self._types_columns()[1]

    @property
    def _by_type(self) -> dict[str, list[int]]:
        return self._types_columns()[2]

    # -- events, made on first use ---------------------------------------------

    def _ids_index(self) -> dict[str, int]:
        if self._events_by_id is None:
            if self._ids is not None:
                ids = self._ids
            else:
                ids = map(_ID_OF, self._records)
            self._events_by_id = dict(zip(ids, count()))
        return self._events_by_id

    @property
    def events_by_id(self) -> _EventsById:
        """Events by id (the index is built on first use)."""
        return _EventsById(self, self._ids_index())

    def event(self, position: int) -> Event:
        """The event at timeline ``position`` (as an event store answers it)."""
        return self._event(position)

    def own_files(self) -> dict[Path, str]:
        """The files this corpus is made of, each with what it is: never written over by an export."""
        files = {Path(doc.file): f"a document of the corpus ({doc.id})" for doc in self.documents.values()}
        files[self.origin] = "the file the corpus was opened from"
        files[self.file] = "the corpus file"
        return files

    def position_of(self, event_id: str) -> int | None:
        return self._ids_index().get(event_id)

    def _attach(self, claim: Claim) -> None:
        for event_id in claim.events:
            position = self.position_of(event_id)
            if position is None:
                continue
            ids = self._claims_at.setdefault(position, [])
            if claim.id not in ids:
                ids.append(claim.id)
                made = self._made[position]
                if made is not None and claim.id not in made.claims:
                    made.claims.append(claim.id)

    def _event(self, position: int) -> Event:
        event = self._made[position]
        if event is not None:
            return event
        with self._make_lock:
            event = self._made[position]
            if event is None:
                event = self._make_event(position)
                self._made[position] = event
        return event

    def iter_events(self, positions: Iterable[int]) -> Iterator[Event]:
        """The events at ``positions``, made one by one and not kept (for exports:
        a million events pass through in the memory of one)."""
        made = self._made
        for p in positions:
            event = made[p]
            yield event if event is not None else self._make_event(p)

    def _make_event(self, position: int) -> Event:
        rec = self._records[position]
        event = Event(rec.id, self._dates[position], rec.title, rec.summary, rec.type, tuple(rec.tags),
                      tuple(dict.fromkeys(rec.actors)), (), rec.date_note, rec.draft, rec.confidence, rec.note,
                      self._file_index[position])
        event.position = position
        event.extra = rec.extra
        event.claims = list(self._claims_at.get(position, ()))
        event.quotes = tuple(self._make_quotes(event, rec.quotes, event.index))
        return event

    def _make_quotes(self, owner: object, quotes: object, file_index: int) -> list[Quote]:
        """Quote objects of an event's record: decoded now if the record kept them as raw JSON."""
        if isinstance(quotes, (msgspec.Raw, bytes)):
            try:
                quotes = msgspec.json.decode(quotes, type=list[schema.Quote])
            except (msgspec.ValidationError, msgspec.DecodeError) as exc:
                message, _, path = str(exc).partition(" - at `$")
                self._report_schema(f"events[{file_index}].quotes{path.rstrip('`')}", owner, message)
                return []
        made = []
        for j, q in enumerate(quotes):
            doc = self.documents.get(q.doc)
            if doc is None:
                self._report_unknown_document(owner, file_index, j, q.doc)
                continue
            made.append(Quote(doc, q.exact, q.prefix, q.suffix, owner, j))
        return made

    def _warn(self, kind: str, subject: object) -> None:
        if self._reporter is not None:
            self._reporter("", kind, subject, None, "", "", kind)
            return
        messages = {"unsourced": ("the event cites no quote", "warning"), "bad-id": ("not a valid id", "error"),
                    "unused": ("no event or claim cites this document", "warning")}
        message, severity = messages.get(kind, (kind, "warning"))
        self.problems.append(Problem(str(self.file), f"{type(subject).__name__.lower()} {subject.id!r}",  # type: ignore[attr-defined]
                                     message, "", None, severity, kind))  # type: ignore[arg-type]

    def _report_schema(self, location: str, owner: object, message: str) -> None:
        if self._reporter is not None:
            self._reporter(location, "schema", owner, None, message, "see docs/corpus-format.md", "schema")
        else:
            self.problems.append(Problem(str(self.file), location, message, "", None, "error", "schema"))

    def _report_unknown_document(self, owner: object, file_index: int, slot: int, doc_id: str) -> None:
        if self._reporter is not None:
            self._reporter(f".quotes[{slot}].doc", "unknown-document", owner, doc_id, "", "", "ref")
        else:
            self.problems.append(Problem(str(self.file), f"events[{file_index}].quotes[{slot}].doc",
                                         f"unknown document {doc_id!r}", "", None, "error", "ref"))

    # -- facts --------------------------------------------------------------

    @property
    def types(self) -> list[str]:
        return sorted(t for t in self._type_ids if t)

    def containers(self, actor_id: str) -> frozenset[str]:
        """The coalitions ``actor_id`` belongs to, directly or through other coalitions."""
        return self._containers.get(actor_id, frozenset())

    def events_of(self, actor_id: str) -> list[Event]:
        """Events the actor takes part in, directly or through its coalitions."""
        return [self.events[i] for i in self.actor_positions(actor_id)]

    def resolve_actor(self, token: str) -> str:
        """The id of the actor named by ``token``: an id, a name or an alias (see ``resolve_actor``)."""
        return resolve_actor(self.actors, token)

    def claims_of(self, event: Event) -> list[Claim]:
        return [self.claims[c] for c in event.claims]

    def quotes(self) -> Iterable[Quote]:
        for e in self.events:
            yield from e.quotes
        for c in self.claims.values():
            yield from c.statements

    # -- verification -------------------------------------------------------------

    def verify(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Problem]:
        """Anchor every quote and exclusion; return (and record) what does not anchor.

        Goes document by document, reading each text once; documents nobody
        has opened for display are let go again afterwards.  Safe to run in a
        worker thread while the corpus is being shown.
        """
        by_doc: dict[str, list[Quote]] = {}
        orphans = []
        for file_index, rec in self._orphan_records:
            owner = _OrphanEvent(rec.id, file_index)
            orphans.extend(self._make_quotes(owner, rec.quotes, file_index))
        valid_id = re.compile(schema.ID_PATTERN).match
        opens_quote = OPENS_QUOTE
        # Titles and summaries with a phrase in quotation marks that no quote of their event
        # contains: (event, field, phrases), reported after the documents are read unless the
        # field is itself a passage of one of the event's documents (see ``_wording_gaps``).
        wording: list[list] = []
        wording_of_doc: dict[str, list[list]] = {}
        for event in self.events:
            if not valid_id(event.id):
                self._warn("bad-id", event)
            if not event.quotes and not event.draft:
                self._warn("unsourced", event)
            if opens_quote(event.title) or (event.summary and opens_quote(event.summary)):
                for gap in self._wording_gaps(event):  # most titles have no quotation mark: a regex search each
                    wording.append(gap)
                    for doc_id in {q.document.id for q in event.quotes}:
                        wording_of_doc.setdefault(doc_id, []).append(gap)
        for quote in [*self.quotes(), *self._extra_quotes, *orphans]:
            by_doc.setdefault(quote.document.id, []).append(quote)
        for doc in self.documents.values():
            if doc.id not in by_doc:
                self._warn("unused", doc)

        found: list[Problem] = []
        total = len(self.documents)
        for done, doc in enumerate(self.documents.values(), 1):
            if cancelled is not None and cancelled():
                return found
            text = self._read(doc)
            if text is None:
                for quote in by_doc.get(doc.id, ()):
                    quote.checked = True  # the document's own problem says why
                continue
            lines = doc._lines
            exclusions: list[Exclusion] = []
            for j, sel in enumerate(doc.selectors):
                try:
                    start, end = resolve(text, sel.exact, sel.prefix, sel.suffix, lines)
                except AnchorError as exc:
                    found.append(self._report(f".exclude[{j}]", "exclude", doc, sel.exact,
                                              f"{exc.message} (in {self._doc_shown(doc)})", exc.hint,
                                              f"anchor-exclude-{exc.kind}"))
                    continue
                exclusions.append(Exclusion(start, end, getattr(sel, "reason", "")))
            exclusions.sort(key=lambda e: (e.start, e.end))
            doc.exclusions = exclusions
            for quote in by_doc.get(doc.id, ()):
                problem = self._anchor(quote, text, lines, doc)
                if problem is not None:
                    found.append(problem)
            for gap in wording_of_doc.get(doc.id, ()):
                if gap[2] and getattr(gap[0], gap[1]) in text:
                    gap[2] = []  # the field is the document's own words, quotation marks and all
            if not doc._keep:
                doc._text = None  # nobody is reading it: let it go
            if progress is not None:
                progress(done, total)
        for event, field, phrases in wording:
            for phrase in phrases:
                self._advise("quoted-phrase", event, f".{field}",
                             f"the {field} puts “{phrase}” in quotation marks, but none of the event's quotes contains it",
                             "quote the passage that says it, or drop the quotation marks: they say a source used these words")
        self._link_claims()
        self._check_claim_sources()
        self.verified = True
        return found

    @staticmethod
    def _wording_gaps(event: Event) -> list[list]:
        """[event, field, phrases] for each of the event's title and summary that puts in quotation
        marks phrases none of its quotes contains.

        A field that is itself a verbatim passage of a document the event cites (an
        imported TimelineJS slide's headline and text are) quotes with its source's own
        quotation marks: ``verify`` drops it once it has read the documents.
        """
        exacts = [q.exact for q in event.quotes]
        return [[event, field, phrases] for field in ("title", "summary")
                if (phrases := missing_phrases(getattr(event, field), exacts))]

    def _check_claim_sources(self) -> None:
        """Warn of an explicit claim attached to an event that cites none of the claim's documents.

        Per claim, over its own events only.  (A claim without ``events`` is
        attached by shared passages, so to events that cite its documents.)
        """
        for claim in self.claims.values():
            if not claim.explicit or not claim.statements or not claim.events:
                continue
            attached = []
            for event_id in claim.events:
                position = self.position_of(event_id)
                if position is not None:
                    attached.append((event_id, [q.document.id for q in self.events[position].quotes]))
            own = list(dict.fromkeys(s.document.id for s in claim.statements))
            for event_id, docs in foreign_events(own, attached):
                self._advise("claim-event-sources", claim, ".events",
                             f"the claim is attached to event {event_id!r}, which cites none of the claim's documents "
                             f"(the event cites {', '.join(map(repr, docs))}; the claim quotes {', '.join(map(repr, own))})",
                             "attach the claim to the events its sources report, or quote the event from one of them")

    def _advise(self, kind: str, subject: object, location: str, message: str, hint: str) -> None:
        """A warning about an event or a claim, found by verify (located in corpus.json by the loader)."""
        if self._reporter is not None:
            self._reporter(location, kind, subject, None, message, hint, kind)
            return
        label = f"{type(subject).__name__.lower()} {subject.id!r}{location}"  # type: ignore[attr-defined]
        self.problems.append(Problem(str(self.file), label, message, hint, None, "warning", kind))

    def _read(self, doc: Document) -> str | None:
        if doc._text is not None:
            return doc._text
        if self._reader is not None:
            return self._reader(doc)
        try:
            return doc._borrow_text()
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(str(self._doc_shown(doc)), "", f"cannot be read: {exc}", "", None, "error", "document"))
            return None

    def _anchor(self, quote: Quote, text: str, lines: LineIndex | None, doc: Document) -> Problem | None:
        quote.checked = True
        found = anchor_quote(text, quote.exact, quote.prefix, quote.suffix, lines, doc, self._doc_shown(doc))
        if isinstance(found, tuple):
            quote.start, quote.end = found
            return None
        message, hint, code = found.message, found.hint, found.code
        quote.start = quote.end = None
        quote.problem = self._report(_location(quote), "quote", quote, quote.exact, message, hint, code)
        return quote.problem

    def _report(self, location: str, kind: str, subject: object, exact: str | None, message: str, hint: str,
                code: str) -> Problem:
        if self._reporter is not None:  # the loader records it, located in corpus.json
            return self._reporter(location, kind, subject, exact, message, hint, code)
        problem = Problem(str(self.file), location, message, hint, None, "error", code)
        self.problems.append(problem)
        return problem

    def _doc_shown(self, doc: Document) -> str:
        return str(self.file.parent / doc.path)

    def _link_claims(self) -> None:
        """Attach claims without an explicit event list to the events sharing their passages."""
        derived = [c for c in self.claims.values() if not c.explicit]
        if not derived:
            return
        by_doc: dict[str, list[tuple[int, int, Event]]] = {}
        for event in self.events:
            for q in event.quotes:
                if q.start is not None:
                    by_doc.setdefault(q.document.id, []).append((q.start, q.end, event))
        for claim in derived:
            linked: dict[str, None] = {}
            for s in claim.statements:
                if s.start is None:
                    continue
                for start, end, event in by_doc.get(s.document.id, ()):
                    if start < s.end and s.start < end:
                        linked[event.id] = None
            claim.events = tuple(linked)
            self._attach(claim)

    # -- queries ------------------------------------------------------------

    def search_pattern(self, text: str) -> SearchPattern:
        return SearchPattern(text, self.aliases)

    def actor_positions(self, actor_id: str) -> list[int]:
        """Sorted positions of the events of ``actor_id``, directly or through its coalitions."""
        cached = self._expanded.get(actor_id)
        if cached is not None:
            return cached
        lists = [self._by_actor.get(actor_id, [])]
        lists += [self._by_actor.get(c, []) for c in self.containers(actor_id)]
        lists = [lst for lst in lists if lst]
        if not lists:
            result: list[int] = []
        elif len(lists) == 1:
            result = lists[0]
        else:
            result = sorted(set().union(*lists))
        self._expanded[actor_id] = result
        return result

    def _date_range(self, query: Query) -> tuple[int, int, list[int]]:
        """Positions [lo, hi) whose narrow dates overlap, plus the wide ones that do."""
        lo_key = query.date_from.lower if query.date_from else None
        hi_key = query.date_to.upper if query.date_to else None
        n = len(self.events)
        hi = bisect.bisect_right(self._lowers, hi_key) if hi_key is not None else n
        lo = bisect.bisect_left(self._lowers, lo_key - _WIDE) if lo_key is not None else 0
        lo = min(lo, hi)
        extra = []
        if lo_key is not None:
            uppers = self._uppers
            # Narrow events starting up to _WIDE before the range: check their end.
            first_inside = bisect.bisect_left(self._lowers, lo_key, lo, hi)
            found = {i for i in range(lo, first_inside) if uppers[i] >= lo_key}
            lo = first_inside
            for i in self._wide:
                if i < lo and uppers[i] >= lo_key and (hi_key is None or self._lowers[i] <= hi_key):
                    found.add(i)
            extra = sorted(found)
        return lo, hi, extra

    def select(self, query: Query) -> Selection:
        """Timeline positions of the events matching ``query``, ascending: a range or a list."""
        n = len(self.events)
        dated = query.date_from is not None or query.date_to is not None
        candidates: Selection | None = None
        # The actor filter gives the first candidate list (any of the actors).
        if query.actors:
            lists = [self.actor_positions(a) for a in query.actors]
            candidates = lists[0] if len(lists) == 1 else sorted(set().union(*lists))
        if dated:
            lo, hi, extra = self._date_range(query)
            if candidates is None:
                candidates = range(lo, hi) if not extra else sorted({*extra, *range(lo, hi)})
            else:
                extra_set = set(extra)
                candidates = [p for p in candidates if lo <= p < hi or p in extra_set]
        type_ids = None
        if query.types:
            type_ids = {self._type_ids[t] for t in query.types if t in self._type_ids}
            if candidates is None:
                lists = [self._by_type[t] for t in query.types if t in self._by_type]
                candidates = lists[0] if len(lists) == 1 else sorted(set().union(*lists))
                type_ids = None
            else:
                type_of = self._type_of
                candidates = [p for p in candidates if type_of[p] in type_ids]
        if query.text.strip():
            matches = self.search(query.text, candidates)
            return matches
        if candidates is None:
            return range(n)
        return candidates

    def positions(self, query: Query) -> list[int]:
        """Timeline positions of the events matching ``query``, in order (as a list)."""
        return list(self.select(query))

    def query(self, query: Query) -> list[Event]:
        """The events matching ``query``, in timeline order."""
        return [self.events[i] for i in self.select(query)]

    def count_in(self, actor_id: str, base: Selection) -> int:
        """How many of the actor's events (directly or via coalitions) are in ``base``."""
        positions = self.actor_positions(actor_id)
        if isinstance(base, range):
            if base.start == 0 and base.stop >= len(self.events):
                return len(positions)
            return bisect.bisect_left(positions, base.stop) - bisect.bisect_left(positions, base.start)
        if len(positions) < len(base) // 8:
            count = 0
            for p in positions:
                i = bisect.bisect_left(base, p)
                if i < len(base) and base[i] == p:
                    count += 1
            return count
        return len(set(base).intersection(positions))

    def actor_counts(self, query: Query) -> dict[str, int]:
        """For each actor, how many events selecting it would show under the other filters."""
        base = self.select(replace(query, actors=frozenset()))
        if not isinstance(base, range):
            base_set = set(base)
            return {a: len(base_set.intersection(self.actor_positions(a))) for a in self.actors}
        return {a: self.count_in(a, base) for a in self.actors}

    def search(self, text: str, within: Selection | None = None,
               cancelled: Callable[[], bool] | None = None) -> list[int] | None:
        """Positions of the events matching the search ``text`` (within a selection).

        None if ``cancelled()`` turned true while a large search was under way.
        """
        pattern = self.search_pattern(text)
        if not pattern:
            return list(within) if within is not None else list(range(len(self.events)))
        events = self.events
        if within is not None and len(within) < 20_000:
            return [p for p in within if pattern.matches(events[p].haystack)]
        index = self.search_index()
        found = index.search(pattern, cancelled)
        if found is None:
            return None
        if within is None:
            return found
        if isinstance(within, range):
            return [p for p in found if within.start <= p < within.stop]
        allowed = set(within)
        return [p for p in found if p in allowed]

    def matching(self, positions: Iterable[int], text: str) -> list[int]:
        """The positions among ``positions`` whose event matches the search ``text``."""
        pattern = self.search_pattern(text)
        if not pattern:
            return []
        if not isinstance(positions, (range, list)):
            positions = list(positions)
        return self.search(text, positions)

    def search_index(self) -> SearchIndex:
        """The index behind searches of large selections (built on first use)."""
        with self._search_lock:
            if self._search_index is None:
                self._search_index = SearchIndex.of_records(self._records, self._made)
            return self._search_index

    def heading_groups(self) -> list[tuple[tuple[int, int], int, int]]:
        """((year, month), first position, end position) of each run of one heading key."""
        if self._groups is None:
            groups: list[tuple[tuple[int, int], int, int]] = []
            key_cache: dict[EDTFDate, tuple[int, int]] = {}
            last = None
            start = 0
            for i, date in enumerate(self._dates):
                key = key_cache.get(date)
                if key is None:
                    key = key_cache[date] = heading_key(date)
                if key != last:
                    if last is not None:
                        groups.append((last, start, i))
                    last, start = key, i
            if last is not None:
                groups.append((last, start, len(self._dates)))
            self._groups = groups
        return self._groups


class _OrphanEvent:
    """Stands for an event that could not be placed (its own problem was reported), so that
    its quotes can still be checked and located."""

    __slots__ = ("id", "index")

    def __init__(self, id: str, index: int) -> None:
        self.id, self.index = id, index


class EventList(Sequence):
    """The corpus's events in timeline order; each is made into an Event when first used."""

    __slots__ = ("_corpus",)

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus

    def __len__(self) -> int:
        return len(self._corpus._records)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._corpus._event(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._corpus._event(index)

    def __iter__(self):
        event = self._corpus._event
        for i in range(len(self._corpus._records)):
            yield event(i)

    def index(self, event, *args) -> int:  # type: ignore[override]
        return event.position

    def __contains__(self, event) -> bool:
        return isinstance(event, Event) and 0 <= event.position < len(self) and self[event.position] is event


class _EventsById(Mapping):
    """A read-only mapping from id to Event over the corpus's index."""

    __slots__ = ("_corpus", "_index")

    def __init__(self, corpus: Corpus, index: dict[str, int]) -> None:
        self._corpus = corpus
        self._index = index

    def __getitem__(self, key: str) -> Event:
        return self._corpus._event(self._index[key])

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: object) -> bool:
        return key in self._index


class QuoteProblem(msgspec.Struct, frozen=True):
    """Why a quote does not anchor in its document: what to say, how to fix it, its problem code."""

    message: str
    hint: str
    code: str


def anchor_quote(text: str, exact: str, prefix: str, suffix: str, lines: LineIndex | None, doc: Document,
                 shown: str) -> tuple[int, int] | QuoteProblem:
    """Where the quote ``exact`` is in ``doc``'s ``text`` (``shown``: the document's path as messages
    give it), or why it is not there: not found, ambiguous, or inside a passage not citable."""
    try:
        start, end = resolve(text, exact, prefix, suffix, lines)
    except AnchorError as exc:
        return QuoteProblem(f"{exc.message} (in document {doc.id!r}, {shown})", exc.hint, f"anchor-{exc.kind}")
    for ex in doc.exclusions:
        if ex.start < end and start < ex.end:
            reason = f" ({ex.reason})" if ex.reason else ""
            line = (lines or LineIndex(text)).line_col(start)[0]
            return QuoteProblem(
                f"the quote (line {line} of {shown}) is inside a passage marked as not citable{reason}",
                "quote the article itself, not its boilerplate, captions or comments", "anchor-excluded")
    return start, end


def resolve_actor(actors: Mapping[str, Actor], token: str) -> str:
    """The id of the actor named by ``token``: an id, a name or an alias.

    Raises ``LookupError`` with a suggestion when none or several match.
    """
    if token in actors:
        return token
    wanted = " ".join(fold(token).split())
    matches = [a.id for a in actors.values() if wanted in {" ".join(fold(s).split()) for s in a.spellings}]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupError(f"{token!r} names several actors ({', '.join(matches)}); give one of these ids")
    names = {**{a.id: a.id for a in actors.values()}, **{a.name: a.id for a in actors.values()}}
    close = difflib.get_close_matches(token, list(names), n=1)
    hint = f" (did you mean {names[close[0]]!r}?)" if close else ""
    raise LookupError(f"no actor {token!r} in this corpus{hint}")


def _location(quote: Quote) -> str:
    owner = quote.owner
    if isinstance(owner, Claim):
        return f'claims[{owner.index}].statements[{quote.slot}] (claim "{owner.id}")'
    if owner is not None:  # an event (or the stand-in of one that could not be built)
        return f'events[{owner.index}].quotes[{quote.slot}] (event "{owner.id}")'
    return ""


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


__all__ += ["heading_key"]
