"""The SQL event store: every answer computed by a database engine, through ibis.

``SqlStore`` holds two ibis tables of any backend, ``events`` (the columns of
``columns.EVENT_COLUMNS``, one row per event, ``pos`` its timeline position)
and ``event_actors`` (``actor``, ``pos``), and the few things that describe
them (documents, actors, claims), which are small.  Its ``select(query)``
asks the engine for the count and the headings of the events the query
selects; windows of rows come a page at a time, by key (the next page after a
known one is ``pos > last``), and are kept while they are useful.  Counts
per actor (coalitions included), per period (the density strip) and the
events matching a search are aggregations the engine runs; Python never
holds the table.

Every method that asks the engine may take a while on a remote engine: the
app calls them from a worker (``slow = True``).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import msgspec

from ..corpus import Actor, Claim, Document, Event, Period, Query, Quote
from ..dates import EDTFDate, parse_edtf
from ..errors import Problem, Problems
from ..search import AliasTable, SearchPattern
from ..textfold import fold
from .columns import INDEXED_DATES, INT_MAX, INT_MIN

__all__ = ["PAGE", "SqlEventSet", "SqlMatches", "SqlStore", "StoreMeta"]

PAGE = 200  # events fetched at once: more than the tallest screen shows
EVENT_CACHE = 20_000  # events kept made (those of the pages fetched)
MATCH_LIST_LIMIT = 200_000  # up to this many matches, their positions are fetched at once
FIRST_MATCHES = PAGE  # a search's first matches (a page of them), asked before the others are counted
RECENT_SETS = 8  # the sets of the latest queries kept with what they learnt (``SqlStore.select``)

# What a row of the timeline needs of an event, and the viewer of the selected one.
ROW_COLUMNS = ["pos", "id", "row", "date", "title", "summary", "type", "tags", "actors", "quotes", "sources", "draft",
               "confidence", "date_note", "note", "extra", "notes", "source", "url"]


class StoreMeta(msgspec.Struct):
    """What describes the events of a SQL store (small enough for Python)."""

    title: str
    description: str = ""
    documents: dict = {}  # id -> Document
    actors: dict = {}  # id -> Actor
    claims: dict = {}  # id -> Claim
    periods: list = []
    problems: list = []
    origin: Path | None = None
    file: Path | None = None
    root: Path | None = None
    table_name: str = ""  # where a table's rows come from, as shown in provenance: "acled.csv"
    editable: bool = False
    kind: str = "table"  # "corpus" (a compiled corpus.json) or "table"
    event_positions: dict | None = None  # the claims' events' positions, when the compiled cache knows them


def _dates_cache() -> Callable[[str], EDTFDate]:
    cache: dict[str, EDTFDate] = {}

    def date(text: str) -> EDTFDate:
        found = cache.get(text)
        if found is None:
            found = cache[text] = parse_edtf(text)
        return found

    return date


class _NeedsEngine(BaseException):
    """A question asked through ``SqlStore.answer_now`` would ask the engine. A BaseException: no
    ``except Exception`` on the way may take it for a failure."""


class SqlStore(Problems):
    """An :class:`~tui.model.store.EventStore` whose events are in a database engine."""

    kind = "sql"
    slow = True

    def __init__(self, backend, events, event_actors, meta: StoreMeta, *, engine: str = "duckdb",
                 hay=None) -> None:
        self.backend = backend
        self.t = events
        self.ea = event_actors
        self.meta = meta
        self.engine = engine
        self._on_close: Callable[[], None] | None = None  # see ``on_close``
        self._hay = hay if hay is not None else events.hay
        self.title = meta.title
        self.description = meta.description
        self.documents: dict[str, Document] = meta.documents
        self.actors: dict[str, Actor] = meta.actors
        self.claims: dict[str, Claim] = meta.claims
        self.periods: list[Period] = meta.periods
        self.problems: list[Problem] = meta.problems
        self.origin = meta.origin
        self.file = meta.file
        self.root = meta.root
        self.verified = meta.kind != "corpus"  # a corpus's quotes are checked by ``verify``
        self.compiled = None  # what the compiled cache this store reads was made from (``largefile``, ``tables``)
        self.compiled_path: Path | None = None  # where that cache is
        # The rest of its compile, to run in a worker once the store is shown (``tables._keyed_store``).
        self.completion: Callable[[], None] | None = None
        self._quote_problems: dict[int, dict[int, Problem]] = {}  # pos -> slot -> why the quote does not anchor
        self.on_verified: Callable[[SqlStore, list[Problem]], None] | None = None  # keeps the verdict (a cache)
        self._date = _dates_cache()
        self._events: OrderedDict[int, Event] = OrderedDict()
        self._lock = threading.RLock()  # the engine's connection: one question at a time
        # The events made, which the interface reads as it draws: never behind a question to the engine.
        self._events_lock = threading.Lock()
        self._aliases: AliasTable | None = None
        self._containers = _containers(self.actors)
        self._claims_at: dict[int, list[str]] = {}
        self._total: int | None = None  # asked of the engine when first wanted
        self._types: list[str] | None = None
        self._held_count = 0  # search results held by the engine (``_hold``), and those no longer wanted
        self._released: list[str] = []
        # The sets of the latest queries, with what they learnt (count, headings, pages, counts): a filter
        # toggled back is answered without the engine. The store's events never change while it is open.
        self._sets: OrderedDict[Query, SqlEventSet] = OrderedDict()
        self._sets_lock = threading.Lock()
        self._local = threading.local()  # ``answer_now``: a thread's questions may not ask the engine
        self._attach_claims()

    # -- the engine ---------------------------------------------------------------

    def answer_now(self, question: Callable[[], object]) -> tuple[bool, object]:
        """``(True, question())`` when the store can answer from what it has learnt, without the engine;
        ``(False, None)`` as soon as the question would ask the engine (before waiting for it: the
        interface's thread asks this way, and then asks the engine in a worker)."""
        self._local.offline = True
        try:
            return True, question()
        except _NeedsEngine:
            return False, None
        finally:
            self._local.offline = False

    def _engine(self) -> None:
        """About to ask the engine: not on a thread that asked ``answer_now`` (called before the
        expressions of a question are built too, where building them is most of the cost)."""
        if getattr(self._local, "offline", False):
            raise _NeedsEngine

    def _run(self, expr):
        """Run an expression: a scalar's value, or a table's rows as a pyarrow table."""
        from .backends import arrow_of

        self._engine()
        with self._lock:
            return arrow_of(self.backend, expr)

    def _hold(self, positions, owner):
        """``positions`` (an expression of one column, ``pos``) made a temporary table of the engine's session,
        when the engine is DuckDB and the store's connection stays: its ibis table, else None.  The table
        lives as long as ``owner``: it is dropped at the next hold after ``owner`` is gone."""
        import weakref

        import ibis.expr.operations as ops

        if self.engine != "duckdb" or self.completion is not None or positions.op().find(ops.InMemoryTable):
            return None
        self._engine()
        with self._lock:
            raw = self.backend.con
            while self._released:
                raw.execute(f'DROP TABLE IF EXISTS "{self._released.pop()}"')
            self._held_count += 1
            name = f"te_matches_{self._held_count}"
            raw.execute(f'CREATE TEMP TABLE "{name}" AS {self.backend.compile(positions)}')
            weakref.finalize(owner, self._released.append, name)  # no SQL in a finalizer: noted, dropped later
            return self.backend.table(name)

    def _release(self, table) -> None:
        """Drop a table ``_hold`` made now (its answers are all in Python)."""
        with self._lock:
            try:
                self.backend.con.execute(f'DROP TABLE IF EXISTS "{table.get_name()}"')
            except Exception:  # noqa: BLE001 - the connection may be gone
                pass

    def sql(self, expr, dialect: str | None = None) -> str:
        """The SQL an engine is sent for ``expr`` (``ibis.to_sql``)."""
        import ibis

        return ibis.to_sql(expr, dialect=dialect or self.engine)

    def on_close(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when the store is closed, after its connection."""
        self._on_close = callback

    def close(self) -> None:
        """Let go of what the engine holds for this store (tables it cached) and of the connection."""
        with self._lock:
            for table in (self.t, self.ea):
                release = getattr(table, "release", None)  # a table the engine cached (Spark)
                if release is not None:
                    try:
                        release()
                    except Exception:  # noqa: BLE001 - the engine may be gone already
                        pass
            try:
                self.backend.disconnect()
            except Exception:  # noqa: BLE001
                pass
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    # -- what describes the events ---------------------------------------------------

    def __len__(self) -> int:
        if self._total is None:
            self._total = int(self._run(self.t.count()))
        return self._total

    @property
    def types(self) -> list[str]:
        if self._types is None:
            types = self._run(self.t.select("type").distinct()).column("type").to_pylist()
            self._types = sorted(t for t in types if t)
        return self._types

    @property
    def aliases(self) -> AliasTable:
        if self._aliases is None:
            self._aliases = AliasTable.from_spellings(a.spellings for a in self.actors.values())
        return self._aliases

    def search_pattern(self, text: str) -> SearchPattern:
        return SearchPattern(text, self.aliases)

    def containers(self, actor_id: str) -> frozenset[str]:
        return self._containers.get(actor_id, frozenset())

    def claims_of(self, event: Event) -> list[Claim]:
        return [self.claims[c] for c in event.claims if c in self.claims]

    def resolve_actor(self, token: str) -> str:
        from ..corpus import resolve_actor

        return resolve_actor(self.actors, token)

    def _attach_claims(self) -> None:
        wanted = {e for c in self.claims.values() for e in c.events}
        if not wanted:
            return
        at = self.meta.event_positions
        if at is None:
            rows = self._run(self.t.filter(self.t.id.isin(sorted(wanted))).select("id", "pos")).to_pylist()
            at = {r["id"]: r["pos"] for r in rows}
        for claim in self.claims.values():
            for event_id in claim.events:
                if event_id in at:
                    ids = self._claims_at.setdefault(at[event_id], [])
                    if claim.id not in ids:
                        ids.append(claim.id)

    # -- events ---------------------------------------------------------------

    def _make(self, r: dict) -> Event:
        position = r["pos"]
        summary = r["summary"] if r["summary"] is not None else r.get("notes")  # see ``columns``
        event = Event(r["id"], self._date(r["date"]), r["title"] or "", summary or "", r["type"] or "",
                      tuple(r["tags"] or ()), tuple(dict.fromkeys(r["actors"] or ())), (), r["date_note"] or "",
                      bool(r["draft"]), r["confidence"], r["note"] or "", r["row"])
        event.position = position
        event.claims = list(self._claims_at.get(position, ()))
        if r.get("extra"):
            try:
                event.extra = msgspec.json.decode(r["extra"])
            except msgspec.DecodeError:
                event.extra = {}
        event.quotes = tuple(self._quotes(event, r))
        return event

    def _quotes(self, event: Event, r: dict) -> list[Quote]:
        if r.get("quotes") is not None:
            made = []
            problems = self._quote_problems.get(event.position, {})
            for j, q in enumerate(msgspec.json.decode(r["quotes"])):
                doc = self.documents.get(q.get("doc"))
                if doc is not None:
                    quote = Quote(doc, q["exact"], q.get("prefix") or "", q.get("suffix") or "", event, j)
                    if j in problems:
                        quote.problem, quote.checked = problems[j], True
                    made.append(quote)
            return made
        text = r.get("notes") or ""
        if not text.strip():
            return []
        # A table's row is its own source: its text is the document, quoted whole, named by file and row.
        name = self.meta.table_name
        doc = Document(f"row-{r['row']}", f"{name}#row={r['row']}", self.meta.file or Path(name),
                       title=f"{name}, row {r['row']:,}", outlet=r.get("source") or "", url=r.get("url") or "",
                       text=text)
        doc.exclusions = []
        return [Quote(doc, text, "", "", event, 0)]

    def _keep(self, events: Iterable[Event]) -> None:
        with self._events_lock:
            cache = self._events
            for event in events:
                cache[event.position] = event
                cache.move_to_end(event.position)
            while len(cache) > EVENT_CACHE:
                cache.popitem(last=False)

    def cached_event(self, position: int) -> Event | None:
        with self._events_lock:
            return self._events.get(position)

    def event(self, position: int) -> Event:
        found = self.cached_event(position)
        if found is not None:
            return found
        rows = self._run(self.t.filter(self.t.pos == position).select(*ROW_COLUMNS)).to_pylist()
        if not rows:
            raise IndexError(position)
        event = self._make(rows[0])
        self._keep([event])
        return event

    def position_of(self, event_id: str) -> int | None:
        rows = self._run(self.t.filter(self.t.id == event_id).select("pos")).column("pos").to_pylist()
        return rows[0] if rows else None

    def positions_of(self, ids: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self._run(self.t.filter(self.t.id.isin(wanted)).select("id", "pos")).to_pylist()
        return {r["id"]: r["pos"] for r in rows}

    def events_at(self, positions: Iterable[int], batch: int = 5_000) -> Iterator[Event]:
        """The events at ``positions`` (ascending), fetched a batch at a time and not kept."""
        chunk: list[int] = []
        for p in positions:
            chunk.append(p)
            if len(chunk) >= batch:
                yield from self._fetch_events(chunk)
                chunk = []
        if chunk:
            yield from self._fetch_events(chunk)

    def _fetch_events(self, positions: list[int]) -> list[Event]:
        lo, hi = positions[0], positions[-1]
        t = self.t
        expr = t.filter((t.pos >= lo) & (t.pos <= hi))
        if hi - lo + 1 != len(positions):
            expr = expr.filter(t.pos.isin(positions))
        rows = self._run(expr.order_by("pos").select(*ROW_COLUMNS)).to_pylist()
        return [self._make(r) for r in rows]

    def iter_selected(self, query: Query, batch: int = 5_000) -> Iterator[Event]:
        """Every event ``query`` selects, in timeline order, a batch at a time (exports)."""
        events = self.select(query, prepare=False)
        last = -1
        while True:
            rows = self._run(events.filtered.filter(self.t.pos > last).order_by("pos").limit(batch)
                             .select(*ROW_COLUMNS)).to_pylist()
            if not rows:
                return
            for r in rows:
                yield self._make(r)
            last = rows[-1]["pos"]

    # -- checking every quote ----------------------------------------------------------

    def adopt_verdict(self, problems: list[Problem]) -> None:
        """What an earlier ``verify`` of the same compiled corpus found (kept in its cache)."""
        import re

        where = re.compile(r'^events\[\d+\]\.quotes\[(\d+)\] \(event "(.*)"\)$')
        located = {}
        for p in problems:
            m = where.match(p.location)
            if m:
                located.setdefault(m[2], {})[int(m[1])] = p
        positions = self.positions_of(located)
        self._quote_problems = {positions[i]: slots for i, slots in located.items() if i in positions}
        self.problems.extend(problems)
        self.verified = True

    def verify(self, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> list[Problem]:
        """Anchor every quote of a corpus in its document (the engine hands them over document by
        document); record what does not anchor.  Safe to run in a worker while the store is shown."""
        from ..anchoring import AnchorError, resolve
        from ..corpus import Exclusion, anchor_quote

        if self.meta.kind != "corpus" or self.verified:
            self.verified = True
            return []
        shown = str(self.file) if self.file is not None else "corpus.json"
        found: list[Problem] = []
        quote_problems: dict[int, dict[int, Problem]] = {}
        reader = self._quotes_by_document()
        documents = list(self.documents.values())
        total, done = len(documents), 0
        current_doc, text, lines = None, None, None
        for batch in reader:
            if cancelled is not None and cancelled():
                return found
            columns = batch.to_pydict()
            for pos, row, event_id, slot, doc_id, exact, prefix, suffix in zip(
                    columns["pos"], columns["row"], columns["id"], columns["slot"], columns["doc"], columns["exact"],
                    columns["prefix"], columns["suffix"]):
                if doc_id != current_doc:
                    current_doc = doc_id
                    doc = self.documents.get(doc_id)
                    text, lines = self._document_text(doc, found) if doc is not None else (None, None)
                    done += 1
                    if progress is not None:
                        progress(min(done, total), total)
                if text is None:
                    continue
                result = anchor_quote(text, exact, prefix or "", suffix or "", lines, doc,
                                      str(Path(shown).parent / doc.path))
                if not isinstance(result, tuple):
                    problem = Problem(shown, f'events[{row}].quotes[{slot}] (event "{event_id}")', result.message,
                                      result.hint, None, "error", result.code)
                    found.append(problem)
                    quote_problems.setdefault(pos, {})[slot] = problem
        for claim in self.claims.values():
            for statement in claim.statements:
                doc = statement.document
                text, lines = self._document_text(doc, found)
                if text is None:
                    continue
                result = anchor_quote(text, statement.exact, statement.prefix, statement.suffix, lines, doc,
                                      str(Path(shown).parent / doc.path))
                statement.checked = True
                if isinstance(result, tuple):
                    statement.start, statement.end = result
                else:
                    statement.problem = Problem(shown, f'claims[{claim.index}].statements[{statement.slot}] '
                                                f'(claim "{claim.id}")', result.message, result.hint, None, "error",
                                                result.code)
                    found.append(statement.problem)
        with self._lock, self._events_lock:
            self._quote_problems = quote_problems
            self.problems.extend(found)
            for position, event in self._events.items():
                for q in event.quotes:
                    q.problem = quote_problems.get(position, {}).get(q.slot)
                    q.checked = q.problem is not None
            self.verified = True
        if self.on_verified is not None:
            self.on_verified(self, found)
        del AnchorError, resolve, Exclusion
        return found

    def _quotes_by_document(self):
        """Every quote of every event, grouped by document: batches of (pos, row, id, slot, doc, exact, prefix,
        suffix), from the compiled table (DuckDB's SQL: a step of the embedded engine, not a query of the app)."""
        raw = self.backend.con.cursor()
        return raw.sql("""
            SELECT pos, row, id, slot, q.doc AS doc, q.exact AS exact, q.prefix AS prefix, q.suffix AS suffix
            FROM (SELECT pos, row, id, unnest(qs) AS q, generate_subscripts(qs, 1) - 1 AS slot
                  FROM (SELECT pos, row, id, from_json(quotes,
                        '[{"doc": "VARCHAR", "exact": "VARCHAR", "prefix": "VARCHAR", "suffix": "VARCHAR"}]') AS qs
                        FROM te_events))
            ORDER BY doc, pos, slot""").to_arrow_reader(50_000)

    def _document_text(self, doc: Document, found: list[Problem]):
        """A document's text and line index for checking its quotes (its excluded passages resolved too),
        or (None, None) after recording why it cannot be read."""
        from ..anchoring import AnchorError, LineIndex, resolve
        from ..corpus import Exclusion

        try:
            text = doc._borrow_text()
        except (OSError, UnicodeDecodeError) as exc:
            found.append(Problem(str(doc.file), "", f"cannot be read: {getattr(exc, 'strerror', None) or exc}",
                                 getattr(exc, "hint", "check the document's file"), None, "error", "document"))
            return None, None
        lines = LineIndex(text)
        if doc._exclusions is None:
            exclusions = []
            for j, sel in enumerate(doc.selectors):
                try:
                    start, end = resolve(text, sel.exact, sel.prefix, sel.suffix, lines)
                except AnchorError as exc:
                    found.append(Problem(str(self.file), f'document "{doc.id}" .exclude[{j}]',
                                         f"{exc.message} (in {doc.path})", exc.hint, None, "error",
                                         f"anchor-exclude-{exc.kind}"))
                    continue
                exclusions.append(Exclusion(start, end, getattr(sel, "reason", "")))
            doc.exclusions = sorted(exclusions, key=lambda e: (e.start, e.end))
        return text, lines

    # -- queries ------------------------------------------------------------------

    def predicate(self, query: Query):
        """The ibis condition selecting ``query``'s events (None: all of them)."""
        t = self.t
        parts = []
        if query.actors:
            parts.append(t.pos.isin(self._actor_positions(query.actors)))
        if query.date_from is not None and query.date_from.lower != float("-inf"):
            from .columns import instant_int

            parts.append(t.upper >= instant_int(query.date_from.lower))
        if query.date_to is not None and query.date_to.upper != float("inf"):
            from .columns import instant_int

            parts.append(t.lower <= instant_int(query.date_to.upper))
        if query.types:
            parts.append(t.type.isin(sorted(query.types)))
        if query.text.strip():
            found = self.search_condition(query.text)
            if found is not None:
                parts.append(found)
        if not parts:
            return None
        condition = parts[0]
        for part in parts[1:]:
            condition = condition & part
        return condition

    def expanded(self, actors: Iterable[str]) -> list[str]:
        """The actors and every coalition containing them (an event of a coalition counts for its members)."""
        out: set[str] = set()
        for a in actors:
            out.add(a)
            out |= self.containers(a)
        return sorted(out)

    def _actor_positions(self, actors: Iterable[str]):
        ea = self.ea
        return ea.filter(ea.actor.isin(self.expanded(actors))).pos

    def search_condition(self, text: str):
        """The condition on the folded search text for ``text`` (every term must occur)."""
        pattern = self.search_pattern(text)
        if not pattern:
            return None
        hay = self._hay
        condition = None
        for term, regex in zip(pattern.terms, pattern.regexes):
            literal = fold(term)
            if regex.pattern == re.escape(literal) and " " not in literal:
                part = hay.contains(literal)
            else:
                part = hay.re_search(regex.pattern)
            condition = part if condition is None else condition & part
        return condition

    def select(self, query: Query, *, prepare: bool = True) -> SqlEventSet:
        """The events ``query`` selects; with ``prepare``, their count and headings asked now."""
        with self._sets_lock:
            events = self._sets.get(query)
            if events is not None:
                self._sets.move_to_end(query)
        if events is None:
            events = SqlEventSet(self, query, self.predicate(query))
            with self._sets_lock:
                events = self._sets.setdefault(query, events)
                while len(self._sets) > RECENT_SETS:
                    self._sets.popitem(last=False)
        if prepare:
            events.prepare()
        return events


class SqlMatches:
    """The events of a set that match a search: their positions when there are few enough to
    hold, else their count, the positions of the pages shown, and the engine for the rest.

    The first matches in timeline order come first (the engine stops scanning once it has them: a
    few milliseconds where counting them all scans the whole search text); when there are more,
    ``counted`` is False until :meth:`count` (or ``len``) has had the engine count the others, which
    it finds after the first ones (the table is in timeline order: the part already read is skipped)."""

    def __init__(self, events: SqlEventSet, text: str, pattern: SearchPattern, condition, *,
                 counted: bool = True) -> None:
        self.events, self.text, self.pattern, self.condition = events, text, pattern, condition
        store = events.store
        self._lock = threading.Lock()
        self._pages: dict[int, frozenset[int]] = {}
        self._count: int | None = None
        self._positions: list[int] | None = None  # every matching position, when held in Python
        self._first: list[int] = []  # the first matches, in order
        self._rest = None  # the others (a table with one column, ``pos``), asked of the engine as needed
        if condition is None:
            self._count, self._positions = 0, []
            return
        matching = events.filtered.filter(condition).select("pos")
        first = store._run(matching.order_by("pos").limit(FIRST_MATCHES + 1)).column("pos").to_pylist()
        if len(first) <= FIRST_MATCHES:  # that is all of them
            self._count, self._positions, self._first = len(first), first, first
            return
        self._first = first[:FIRST_MATCHES]
        self._rest = matching.filter(matching.pos > self._first[-1])
        if counted:
            self.count()

    @property
    def counted(self) -> bool:
        return self._count is not None

    @property
    def least(self) -> int:
        return self._count if self._count is not None else len(self._first) + 1

    def count(self) -> int:
        """Have the engine count every match (and hold them, or fetch their positions when few enough)."""
        with self._lock:
            if self._count is not None:
                return self._count
            store = self.events.store
            rest = self._rest
            held = store._hold(rest, self)
            if held is not None:  # the search text is scanned once: the rest asks the few positions held
                rest = held
            count = len(self._first) + int(store._run(rest.count()))
            if count <= MATCH_LIST_LIMIT:
                self._positions = self._first + store._run(rest.order_by("pos")).column("pos").to_pylist()
                if held is not None:
                    store._release(held)  # every answer is in Python now
            else:
                self._rest = rest
            self._count = count
            return count

    def __len__(self) -> int:
        return self._count if self._count is not None else self.count()

    def __bool__(self) -> bool:
        return bool(self._first)

    def __contains__(self, position: object) -> bool:
        positions = self._positions
        if positions is not None:
            i = bisect.bisect_left(positions, position)  # type: ignore[arg-type]
            return i < len(positions) and positions[i] == position
        first = self._first
        i = bisect.bisect_left(first, position)  # type: ignore[arg-type]
        if i < len(first) and first[i] == position:
            return True
        for found in list(self._pages.values()):  # a copy: a worker may keep a page meanwhile
            if position in found:
                return True
        return False

    def fetch_between(self, lo: int, hi: int) -> None:
        """Learn which positions in ``[lo, hi]`` match (a page on screen, for a large result)."""
        if self._positions is not None or hi <= self._first[-1]:
            return
        m = self._rest
        found = self.events.store._run(m.filter((m.pos >= lo) & (m.pos <= hi)))
        self._pages[lo] = frozenset(found.column("pos").to_pylist())

    def first(self) -> int | None:
        return self._first[0] if self._first else None

    def after(self, position: int) -> int | None:
        positions = self._positions
        if positions is not None:
            if not positions:
                return None
            return positions[bisect.bisect_right(positions, position) % len(positions)]
        i = bisect.bisect_right(self._first, position)
        if i < len(self._first):
            return self._first[i]
        found = self._edge(position, "after")
        return found if found is not None else self._first[0]

    def before(self, position: int) -> int | None:
        positions = self._positions
        if positions is not None:
            if not positions:
                return None
            return positions[(bisect.bisect_left(positions, position) - 1) % len(positions)]
        i = bisect.bisect_left(self._first, position)
        if i == 0:  # none before: the last of all
            found = self._edge(None, "last")
            return found if found is not None else self._first[-1]
        if i < len(self._first):
            return self._first[i - 1]
        found = self._edge(position, "before")
        return found if found is not None else self._first[-1]

    def index(self, position: int) -> int:
        positions = self._positions
        if positions is not None:
            return bisect.bisect_left(positions, position)
        i = bisect.bisect_left(self._first, position)
        if i < len(self._first):
            return i
        m = self._rest
        return len(self._first) + int(self.events.store._run(m.filter(m.pos < position).count()))

    def _edge(self, position: int | None, way: str) -> int | None:
        """The first of the other matches after ``position``, the last before it, or the last of all."""
        m = self._rest
        if way == "after":
            m = m.filter(m.pos > position)
        elif way == "before":
            m = m.filter(m.pos < position)
        value = self.events.store._run(m.pos.min() if way == "after" else m.pos.max())
        return None if value is None else int(value)


class SqlEventSet:
    """The events a query selects, asked of the engine a page at a time."""

    def __init__(self, store: SqlStore, query: Query, condition) -> None:
        self.store, self.query, self.condition = store, query, condition
        self.filtered = store.t.filter(condition) if condition is not None else store.t
        self._count: int | None = None
        self._headings: list[tuple[tuple[int, int], int]] | None = None
        self._pages: dict[int, list[int]] = {}
        self._actor_counts: dict[str, int] | None = None
        self.page = PAGE  # events a page holds (each set keeps its own: its pages are kept with it)
        self._lock = threading.Lock()

    def _actor_pairs(self):
        """When the query selects by actors alone (and the actor index has the date columns): the rows of
        its events in the actor index, one per event (the index holds an actor's events as one run: the
        engine reads only those); else None."""
        q = self.query
        if not q.actors or q.types or q.text.strip() or q.date_from is not None or q.date_to is not None:
            return None
        store = self.store
        if not set(INDEXED_DATES) <= set(store.ea.columns):
            return None  # a table still compiling: its index has no dates yet
        wanted = store.expanded(q.actors)
        ea = store.ea
        if len(wanted) == 1:
            return ea.filter(ea.actor == wanted[0])
        return ea.filter(ea.actor.isin(wanted)).select("pos", *INDEXED_DATES).distinct()

    def headings_expr(self):
        """How many of the events fall under each timeline heading (year, month), in order."""
        f = self._actor_pairs()
        if f is None:
            f = self.filtered
        return f.group_by(["hy", "hm"]).aggregate(n=f.count()).order_by(["hy", "hm"])

    def page_expr(self, offset: int | None = None, after: int | None = None, before: int | None = None):
        """A page of events: at ``offset`` among them, or by key, the one after position ``after`` or
        before position ``before``."""
        t, f = self.store.t, self.filtered
        if self.condition is None and after is None and before is None:
            # Every event: positions are 0, 1, 2... (``columns.EVENT_COLUMNS``), so a page is a range of them,
            # which the engine finds by the table's zone maps, or in the keys of a table being compiled.
            start = offset or 0
            return t.filter((t.pos >= start) & (t.pos < start + self.page)).order_by("pos").select(*ROW_COLUMNS)
        pairs = self._actor_pairs()
        if pairs is not None:
            f = pairs  # by actors alone: the page's positions from the actor index, then those events
        if after is not None:
            expr = f.filter(f.pos > after).order_by("pos").limit(self.page)
        elif before is not None:
            expr = f.filter(f.pos < before).order_by(f.pos.desc()).limit(self.page)
        else:
            expr = f.order_by("pos").limit(self.page, offset=offset or 0)
        if pairs is not None:
            expr = t.filter(t.pos.isin(expr.pos)).order_by("pos")
        return expr.select(*ROW_COLUMNS)

    def prepare(self) -> None:
        """Ask the engine how many events there are and how they fall under the headings."""
        if self._headings is not None:
            return
        self.store._engine()  # before building the expression: not on the interface's thread
        rows = self.store._run(self.headings_expr()).to_pylist()
        headings = [((r["hy"], r["hm"]), int(r["n"])) for r in rows]
        # The count first: another thread that finds the headings (and so does not prepare) finds it too.
        self._count = sum(n for _, n in headings)
        self._headings = headings

    def __len__(self) -> int:
        if self._count is None:
            self.prepare()
        return self._count  # type: ignore[return-value]

    def headings(self) -> list[tuple[tuple[int, int], int]]:
        if self._headings is None:
            self.prepare()
        return self._headings  # type: ignore[return-value]

    # -- positions, a page at a time ---------------------------------------------------

    def position(self, index: int) -> int | None:
        page = self._pages.get(index // self.page)
        if page is None:
            return None
        offset = index % self.page
        return page[offset] if offset < len(page) else None

    def ready(self, start: int, stop: int) -> bool:
        if stop <= start:
            return True
        return all(k in self._pages for k in range(start // self.page, (stop - 1) // self.page + 1))

    def positions(self, start: int, stop: int) -> list[int]:
        stop = min(stop, len(self))
        if stop <= start:
            return []
        for k in range(start // self.page, (stop - 1) // self.page + 1):
            if k not in self._pages:
                self._fetch(k)
        out: list[int] = []
        for k in range(start // self.page, (stop - 1) // self.page + 1):
            page = self._pages[k]
            lo = max(start - k * self.page, 0)
            hi = min(stop - k * self.page, len(page))
            out += page[lo:hi]
        return out

    def _fetch(self, k: int) -> None:
        """Page ``k``: by key from a neighbouring page already fetched, else by offset."""
        store = self.store
        store._engine()  # before building the expression: not on the interface's thread
        before, after = self._pages.get(k - 1), self._pages.get(k + 1)
        if before:
            expr = self.page_expr(after=before[-1])
        elif after and k > 0:
            expr = self.page_expr(before=after[0])
        else:
            expr = self.page_expr(offset=k * self.page)
        rows = store._run(expr).to_pylist()
        rows.sort(key=lambda r: r["pos"])
        events = [store._make(r) for r in rows]
        store._keep(events)
        with self._lock:
            self._pages[k] = [e.position for e in events]

    def _dated(self):
        """The set's events with their date columns (``columns.INDEXED_DATES``): from the actor index when
        the query selects by actors alone."""
        pairs = self._actor_pairs()
        return pairs if pairs is not None else self.filtered

    def _members_expr(self):
        """The positions of the set's events, a table of one column (``pos``): from the actor index when the
        query selects by actors alone."""
        pairs = self._actor_pairs()
        return pairs.select("pos") if pairs is not None else self.filtered.select("pos")

    def index_of(self, position: int) -> int:
        if self.condition is None:
            return position  # every event: positions are 0, 1, 2...
        for k, page in list(self._pages.items()):  # a copy: a worker may keep a page meanwhile
            if page and page[0] <= position <= page[-1]:
                return k * self.page + bisect.bisect_left(page, position)
        m = self._members_expr()
        return int(self.store._run(m.filter(m.pos < position).count()))

    def __contains__(self, position: object) -> bool:
        if not isinstance(position, int):
            return False
        if self.condition is None:
            return 0 <= position < len(self)
        for page in list(self._pages.values()):  # a copy: a worker may keep a page meanwhile
            if page and page[0] <= position <= page[-1]:
                i = bisect.bisect_left(page, position)
                return i < len(page) and page[i] == position
        m = self._members_expr()
        return int(self.store._run(m.filter(m.pos == position).count())) > 0

    def members(self, positions: Iterable[int]) -> list[int]:
        wanted = sorted(set(positions))
        if not wanted:
            return []
        m = self._members_expr()
        return sorted(self.store._run(m.filter(m.pos.isin(wanted))).column("pos").to_pylist())

    def iter_events(self) -> Iterator[Event]:
        return self.store.iter_selected(self.query)

    # -- counts ----------------------------------------------------------------------

    def actor_pairs_expr(self):
        """The (actor, pos) pairs of the events the query selects without its actors (the base the
        sidebar counts in)."""
        store = self.store
        base_query = self.query.__class__(frozenset(), self.query.date_from, self.query.date_to, self.query.types,
                                          self.query.text)
        condition = store.predicate(base_query)
        ea = store.ea
        return ea if condition is None else ea.filter(ea.pos.isin(store.t.filter(condition).pos))

    def actor_counts_expr(self):
        """Every actor's events under the other filters; (actor, pos) pairs are distinct by construction,
        so a count of rows is a count of events."""
        pairs = self.actor_pairs_expr()
        return pairs.group_by("actor").aggregate(n=pairs.count())

    def actor_counts(self) -> dict[str, int]:
        """For every actor, how many events selecting it would show under the other filters (an actor
        in a coalition counts the coalition's events too)."""
        if self._actor_counts is None:
            store = self.store
            store._engine()  # before building the expressions: not on the interface's thread
            direct = store._run(self.actor_counts_expr()).to_pylist()
            counts = {r["actor"]: int(r["n"]) for r in direct}
            members = [a for a in store.actors if store.containers(a)]
            if members:
                import ibis

                via = ibis.memtable({"actor": [a for a in members for _ in ({a} | store.containers(a))],
                                     "via": [v for a in members for v in sorted({a} | store.containers(a))]})
                pairs = self.actor_pairs_expr()
                joined = pairs.join(via, pairs.actor == via.via)
                rows = store._run(joined.group_by(via.actor).aggregate(n=joined.pos.nunique())).to_pylist()
                counts.update({r["actor"]: int(r["n"]) for r in rows})
            self._actor_counts = counts
        return self._actor_counts

    def actor_count(self, actor_id: str) -> int | None:
        if self._actor_counts is None:
            return None
        return self._actor_counts.get(actor_id, 0)

    # -- search ----------------------------------------------------------------------

    def search(self, text: str, cancelled: Callable[[], bool] | None = None, *,
               counted: bool = True) -> SqlMatches | None:
        """The matches of ``text``; without ``counted``, only the first of a large result are asked now
        (see ``SqlMatches``)."""
        pattern = self.store.search_pattern(text)
        matches = SqlMatches(self, text, pattern, self.store.search_condition(text), counted=counted)
        if cancelled is not None and cancelled():
            return None
        return matches

    # -- time ------------------------------------------------------------------------

    def lowers(self, start: int, stop: int) -> list[int]:
        positions = self.positions(start, stop)
        return [self.store.event(p).date.lower for p in positions]

    def density_expr(self, unit: str, periods):
        """Events per period of the strip, grouped by the engine in calendar units (the periods are
        days, months or runs of years, see ``density``); and the group key of each period."""
        from ..dates import _year_month_of_instant

        f = self._dated()
        known = f.filter(f.lower != INT_MIN)
        inside = known.filter((known.lower >= periods[0].lower) & (known.lower < periods[-1].upper))
        if unit == "day":
            bucket = inside.lday
            keys = [p.lower // 86_400 for p in periods]
        elif unit == "month":
            bucket = inside.ly * 12 + inside.lm - 1
            keys = [(lambda y, m: y * 12 + m - 1)(*_year_month_of_instant(p.lower)) for p in periods]
        else:
            years = {"year": 1, "decade": 10, "century": 100, "millennium": 1000}.get(unit) or int(
                unit.split()[0].replace(",", ""))
            bucket = (inside.ly / years).floor().cast("int64") * years if years > 1 else inside.ly
            keys = [_year_month_of_instant(p.lower)[0] for p in periods]
        return inside.group_by(b=bucket).aggregate(n=inside.count()), keys

    def density(self, room: int, span: tuple[EDTFDate | None, EDTFDate | None]):
        """The density strip's counts, grouped by the engine in calendar units."""
        from ..density import Density, Period as Bucket, _periods_for

        self.store._engine()  # before building the expressions: not on the interface's thread
        store, f = self.store, self._dated()
        room = max(1, room)
        known = f.filter(f.lower != INT_MIN)
        open_count = int(store._run(f.filter(f.lower == INT_MIN).count()))
        date_from, date_to = span
        lo = date_from.lower if date_from is not None and date_from.lower != float("-inf") else None
        hi = date_to.upper if date_to is not None and date_to.upper != float("inf") else None
        if lo is None or hi is None:
            edges = store._run(known.aggregate(lo=known.lower.min(), hi=known.lower.max())).to_pylist()[0]
            if edges["lo"] is None:
                return Density("year", (), open_count)
            lo = edges["lo"] if lo is None else lo
            hi = edges["hi"] if hi is None else hi
        if hi < lo:
            hi = lo
        unit, periods = _periods_for(lo, hi, room)
        expr, keys = self.density_expr(unit, periods)
        rows = store._run(expr).to_pylist()
        by_key = {int(r["b"]): int(r["n"]) for r in rows if r["b"] is not None}
        counted = tuple(Bucket(p.lower, p.upper, p.edtf, p.label, by_key.get(k, 0)) for p, k in zip(periods, keys))
        before = int(store._run(known.filter(known.lower < periods[0].lower).count()))
        return Density(unit, counted, open_count, before)

    def coarse_in(self, period) -> int | None:
        f = self._dated()
        inside = f.filter((f.lower >= period.lower) & (f.lower < period.upper))
        return int(self.store._run(inside.filter(inside.upper >= period.upper).count()))


def _containers(actors: Mapping[str, Actor]) -> dict[str, frozenset[str]]:
    from ..corpus import _containers as containers

    return containers(dict(actors))


def sentinel_upper(value: int) -> float:
    return float("inf") if value == INT_MAX else value
