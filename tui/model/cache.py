"""A compiled cache of a corpus, so that a large corpus reopens at once.

One file per corpus in the user's cache folder
(``$XDG_CACHE_HOME/timeline-explorer/``), memory-mapped when read.  It holds
the corpus in timeline order, column by column: integer columns (date ranks,
file indexes, types, the actor index) are used in place through
``memoryview``s, so opening reads almost nothing; each event's record is a
small msgpack blob decoded only when the event is shown; the search text is
mapped from disk too.

The cache is never trusted blindly: it names the source file and its size,
modification time and SHA-256, and carries a CRC-32 of every section; a
cache whose source no longer matches, or that is damaged in any way (bad
magic, version, section bounds or checksums, msgpack), is ignored and
rebuilt.  Opening compares size and modification time and checks every
section but the two largest (the event records and the search text); the
app then checks those two and the source's SHA-256 in the background, and
reloads from the JSON if anything differs.

Writes are atomic (a temporary file renamed over the old one).
"""

from __future__ import annotations

import gc
import hashlib
import mmap
import os
import struct
import zlib
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import msgspec

from . import schema
from .atomic import atomic_writer
from .corpus import Columns, Corpus, Document, SearchIndex
from .dates import EDTFDate, parse_edtf
from .errors import Problem

__all__ = ["CACHE_FORMAT", "cache_dir", "cache_path", "content_hash", "documents_changed", "open_cached", "source_meta",
           "write_cache"]

MAGIC = b"TECACHE1"
CACHE_FORMAT = 8  # bump when what is cached, or how the loader orders events, changes
_ALIGN = 8
_OPEN = (-(2**63), 2**63 - 1)  # how an instant column stores -inf and +inf (open ends)


def cache_dir() -> Path:
    base = os.environ.get("TIMELINE_EXPLORER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "timeline-explorer")
    return Path(base)


def cache_path(corpus_file: Path) -> Path:
    key = hashlib.sha1(str(Path(corpus_file).resolve()).encode("utf-8")).hexdigest()
    return cache_dir() / f"{key}.tecache"


def content_hash(file: Path, chunk: int = 8 << 20) -> str:
    """SHA-256 of a file, read in chunks (hashlib releases the GIL on big updates)."""
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def source_meta(corpus_file: Path, *, with_hash: bool = True) -> dict:
    stat = os.stat(corpus_file)
    meta = {"path": str(Path(corpus_file).resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    if with_hash:
        meta["sha256"] = content_hash(corpus_file)
    return meta


def _document_stamps(corpus: Corpus) -> dict[str, list[int]]:
    stamps = {}
    for doc in corpus.documents.values():
        try:
            st = os.stat(doc.file)
            stamps[doc.id] = [st.st_size, st.st_mtime_ns]
        except OSError:
            stamps[doc.id] = [-1, -1]
    return stamps


class CacheEvent(msgspec.Struct, array_like=True):
    """An event's record as cached; the same attributes as ``schema.LeanEvent``."""

    id: str
    date: str
    title: str
    summary: str
    type: str
    tags: list[str]
    actors: list[str]
    quotes: bytes  # the quote list as JSON, decoded when the event is shown
    date_note: str
    draft: bool
    confidence: float | None
    note: str
    extra: dict


class _CorpusPart(msgspec.Struct, array_like=True):
    title: str
    description: str
    documents: list[schema.Document]
    actors: list[schema.Actor]
    claims: list[schema.Claim]
    periods: list[schema.Period]
    extra: dict
    problems: list[Problem]
    quote_problems: list[tuple[int, int, int]]  # (file index of the event, quote slot, index into problems)
    verified: bool


def _int_column(values: Iterator[int] | Sequence[int], typecode: str = "i") -> bytes:
    return array(typecode, values).tobytes()


def _instant_column(values: Sequence[int | float]) -> bytes:
    """Instants (seconds, ±inf for open ends) as int64; OverflowError if one does not fit."""
    low, high = _OPEN
    column = array("q", [0]) * len(values)
    for i, v in enumerate(values):
        if v == float("-inf"):
            column[i] = low
        elif v == float("inf"):
            column[i] = high
        elif low < v < high:
            column[i] = v
        else:
            raise OverflowError(v)
    return column.tobytes()


class _Column(Sequence):
    """A column of ``len(column)`` items read one at a time, each made by ``_item`` from
    the mapped ``column`` (slices give lists)."""

    __slots__ = ("column",)

    def __init__(self, column: memoryview) -> None:
        self.column = column

    def __len__(self) -> int:
        return len(self.column)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._item(k) for k in range(*i.indices(len(self)))]
        return self._item(i)

    def _item(self, i: int):
        raise NotImplementedError


class _Instants(_Column):
    """An instant column read in place: int64s, the two extremes standing for ±inf."""

    __slots__ = ()

    def _item(self, i: int):
        v = self.column[i]
        if v == _OPEN[0]:
            return float("-inf")
        if v == _OPEN[1]:
            return float("inf")
        return v


def write_cache(corpus: Corpus, meta: dict, path: Path | None = None,
                progress: Callable[[str, float], None] | None = None) -> Path:
    """Write the compiled cache of ``corpus`` (verified, ideally) for the source described by ``meta``."""
    path = path or cache_path(corpus.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = len(corpus._records)
    sections: dict[str, bytes] = {}
    encoder = msgspec.msgpack.Encoder()
    json_encoder = msgspec.json.Encoder()

    def step(name: str, fraction: float) -> None:
        if progress is not None:
            progress(name, fraction)

    # Events, in timeline order: one blob each.
    offsets = array("q", [0]) * (n + 1)
    blobs = bytearray()
    ids = []
    for i, rec in enumerate(corpus._records):
        ids.append(rec.id)
        quotes = rec.quotes
        raw = bytes(quotes) if isinstance(quotes, (msgspec.Raw, bytes)) else json_encoder.encode(quotes)
        blobs += encoder.encode(CacheEvent(rec.id, rec.date, rec.title, rec.summary, rec.type, list(rec.tags),
                                           list(rec.actors), raw, rec.date_note, rec.draft, rec.confidence, rec.note,
                                           rec.extra))
        offsets[i + 1] = len(blobs)
        if i % 50_000 == 0:
            step("writing the cache", i / max(1, n) * 0.6)
    sections["event_blobs"] = bytes(blobs)
    del blobs
    sections["event_offsets"] = offsets.tobytes()
    sections["ids"] = encoder.encode(ids)
    del ids
    # Dates: the distinct dates in timeline order, and each position's rank among them.
    distinct: dict[str, int] = {}
    ranks = array("i", [0]) * n
    for i, date in enumerate(corpus._dates):
        r = distinct.get(date.text)
        if r is None:
            r = distinct[date.text] = len(distinct)
        ranks[i] = r
    sections["dates"] = encoder.encode(list(distinct))
    sections["rank"] = ranks.tobytes()
    # What date filters and the density strip bisect: each position's lower and upper
    # instant (±inf for open ends), so that a reopened corpus need not parse a million
    # dates into objects the garbage collector would then walk at every full collection.
    lowers, uppers, wide = corpus._dates_columns()
    try:
        sections["lowers"] = _instant_column(lowers)
        sections["uppers"] = _instant_column(uppers)
        sections["wide"] = _int_column(wide)
    except OverflowError:  # years beyond ±290 billion: parsed from the date texts when reopened
        for name in ("lowers", "uppers", "wide"):
            sections.pop(name, None)
    sections["file_index"] = _int_column(corpus._file_index)
    type_ids, type_of, by_type = corpus._types_columns()
    sections["types"] = encoder.encode(list(type_ids))
    sections["type_of"] = _int_column(type_of)
    # Each type's positions, one type after the other (as the actor index below).
    table = {}
    positions = array("i")
    for name, lst in by_type.items():
        table[name] = (len(positions), len(lst))
        positions.extend(lst)
    sections["types_index"] = encoder.encode(table)
    sections["type_positions"] = positions.tobytes()
    # The actor index: each actor's positions, one after the other.
    table = {}
    positions = array("i")
    for actor, lst in corpus._by_actor.items():
        table[actor] = (len(positions), len(lst))
        positions.extend(lst)
    sections["actors_index"] = encoder.encode(table)
    sections["actor_positions"] = positions.tobytes()
    sections["groups"] = encoder.encode([[y, m, a, b] for (y, m), a, b in corpus.heading_groups()])
    sections["claims_at"] = encoder.encode({str(p): ids for p, ids in corpus._claims_at.items()})
    step("writing the cache", 0.7)
    # Search text: the folded haystacks, NUL-separated, as UTF-8.
    if corpus._search_index is not None and isinstance(corpus._search_index.text, str):
        text = corpus._search_index.text.encode("utf-8")
        # Byte offsets of each haystack.
        search_offsets = array("q")
        pos = 0
        for part in corpus._search_index.text.split("\x00"):
            search_offsets.append(pos)
            pos += len(part.encode("utf-8")) + 1
        sections["search_text"] = text
        sections["search_offsets"] = search_offsets.tobytes()
    # The rest, and what verification found.
    problems = list(corpus.problems)
    index_of = {id(p): k for k, p in enumerate(problems)}
    quote_problems = []
    for event in corpus._made:
        if event is None:
            continue
        for q in event.quotes:
            if q.problem is not None and id(q.problem) in index_of:
                quote_problems.append((event.index, q.slot, index_of[id(q.problem)]))
    sections["corpus"] = encoder.encode(_CorpusPart(
        corpus.title, corpus.description,
        [_document_record(d) for d in corpus.documents.values()],
        [schema.Actor(a.id, a.name, a.kind, list(a.aliases), list(a.members), a.affiliation, a.note)
         for a in corpus.actors.values()],
        [_claim_record(c) for c in corpus.claims.values()],
        [schema.Period(p.id, p.title, p.date.text) for p in corpus.periods],
        corpus.extra, problems, quote_problems, corpus.verified,
    ))
    step("writing the cache", 0.9)
    header = {
        "format": CACHE_FORMAT,
        "source": meta,
        "documents": _document_stamps(corpus),
        "events": n,
        "sections": {},
        "crc32": {name: zlib.crc32(data) for name, data in sections.items()},
    }
    # Lay the sections out, 8-byte aligned, after the header.  The header lists
    # their offsets, so its room is sized first with every offset at its
    # largest possible width, then the real header is written into that room.
    names = list(sections)
    header["sections"] = {name: [1 << 62, len(sections[name])] for name in names}
    start = _aligned(len(MAGIC) + 8 + len(msgspec.json.encode(header)))
    offset = start
    for name in names:
        header["sections"][name] = [offset, len(sections[name])]
        offset = _aligned(offset + len(sections[name]))
    encoded = msgspec.json.encode(header)
    with atomic_writer(path) as handle:
        handle.write(MAGIC + struct.pack("<Q", len(encoded)) + encoded)
        handle.write(b"\0" * (start - len(MAGIC) - 8 - len(encoded)))
        written = start
        for name in names:
            handle.write(sections[name])
            written += len(sections[name])
            pad = _aligned(written) - written
            handle.write(b"\0" * pad)
            written += pad
    step("writing the cache", 1.0)
    return path


def _aligned(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN


def _document_record(d: Document) -> schema.Document:
    return schema.Document(d.id, d.path, d.title, d.outlet, d.published.text if d.published else None, d.url, d.note,
                           list(d.selectors), accessed=d.accessed.text if d.accessed else None)


def _claim_record(c) -> schema.Claim:
    return schema.Claim(c.id, c.about, [schema.Statement(s.exact, s.prefix, s.suffix, doc=s.document.id, value=s.value)
                                        for s in c.statements], list(c.events) if c.explicit else [])


_CHECKED_LATER = ("event_blobs", "search_text", "lowers", "uppers")


class CacheError(Exception):
    """The cache cannot be used (stale or damaged): rebuild it."""


class _Cache:
    """The mapped file and its sections."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as handle:
            self.map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            if self.map[:len(MAGIC)] != MAGIC:
                raise CacheError("not a cache file")
            (length,) = struct.unpack("<Q", self.map[len(MAGIC):len(MAGIC) + 8])
            self.header = msgspec.json.decode(self.map[len(MAGIC) + 8:len(MAGIC) + 8 + length])
            if not isinstance(self.header, dict) or self.header.get("format") != CACHE_FORMAT:
                raise CacheError("another cache format")
            self.view = memoryview(self.map)
            for name, (offset, size) in self.header["sections"].items():
                if offset < 0 or size < 0 or offset + size > len(self.map) or offset % _ALIGN:
                    raise CacheError(f"section {name} out of bounds")
            # Every section but the two big ones is checked now (a few milliseconds
            # even for a million events); those two by ``intact()``, in the background.
            for name in self.header["sections"]:
                if name not in _CHECKED_LATER and not self._crc_ok(name):
                    raise CacheError(f"section {name} is damaged")
        except (CacheError, msgspec.DecodeError, struct.error, KeyError, TypeError, ValueError) as exc:
            self.close()
            raise CacheError(str(exc)) from None

    def close(self) -> None:
        view = getattr(self, "view", None)
        if view is not None:
            view.release()
        try:
            self.map.close()
        except BufferError:
            pass  # sections still in use: the map goes with them

    def _crc_ok(self, name: str) -> bool:
        return zlib.crc32(self.bytes(name)) == self.header["crc32"][name]

    def intact(self) -> bool:
        """Are the sections not checked on opening intact too?  (Reads them all: run it in a thread.)"""
        try:
            return all(self._crc_ok(name) for name in _CHECKED_LATER if self.has(name))
        except (KeyError, ValueError):
            return False

    def bytes(self, name: str) -> memoryview:
        offset, size = self.header["sections"][name]
        return self.view[offset:offset + size]

    def ints(self, name: str, typecode: str = "i") -> memoryview:
        return self.bytes(name).cast(typecode)

    def has(self, name: str) -> bool:
        return name in self.header["sections"]

    def msgpack(self, name: str, type=object):
        return msgspec.msgpack.decode(self.bytes(name), type=type)


class CachedRecords(Sequence):
    """Event records in timeline order, each decoded from the mapped cache when asked for."""

    def __init__(self, cache: _Cache) -> None:
        self._offsets = cache.ints("event_offsets", "q")
        self._blobs = cache.bytes("event_blobs")
        self._decoder = msgspec.msgpack.Decoder(CacheEvent)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return self._decoder.decode(self._blobs[self._offsets[i]:self._offsets[i + 1]])

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


class _Slices(Mapping):
    """Each actor's (or type's) positions: a slice of one mapped column, cut when asked for."""

    def __init__(self, table: dict[str, tuple[int, int]], positions: memoryview) -> None:
        self._table = table
        self._positions = positions

    def __getitem__(self, actor: str) -> memoryview:
        start, count = self._table[actor]
        return self._positions[start:start + count]

    def __iter__(self):
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, actor: object) -> bool:
        return actor in self._table


class _LazyDates(_Column):
    """Each position's date, parsed (once per distinct date) when asked for; ``column`` holds
    each position's rank among the distinct date ``texts``."""

    __slots__ = ("_texts", "_parsed")

    def __init__(self, texts: list[str], ranks: memoryview) -> None:
        super().__init__(ranks)
        self._texts = texts
        self._parsed: list[EDTFDate | None] = [None] * len(texts)

    def _item(self, i: int) -> EDTFDate:
        r = self.column[i]
        date = self._parsed[r]
        if date is None:
            date = self._parsed[r] = parse_edtf(self._texts[r])
        return date


def open_cached(root: Path, file: Path, *, reporter=None, reader=None, thorough: bool = False,
                check_documents: bool = True) -> Corpus | None:
    """The corpus from its compiled cache, or None when there is no usable cache.

    A usable cache names this very file, with its current size and
    modification time; anything else (stale, damaged, another format) gives
    None, and the caller loads the JSON instead.  With ``thorough`` (for the
    command line, where nothing checks afterwards), the file's SHA-256 and
    the checksums of the big sections are compared too before it is used.
    Without ``check_documents`` (the app, which checks in the background
    with ``documents_changed``), the documents' sizes and times are not
    compared now.
    """
    path = cache_path(file)
    try:
        stat = os.stat(file)
        cache = _Cache(path)
    except (OSError, CacheError, ValueError):
        return None
    try:
        source = cache.header["source"]
        if (source.get("path") != str(Path(file).resolve()) or source.get("size") != stat.st_size
                or source.get("mtime_ns") != stat.st_mtime_ns):
            return None
        if thorough and (source.get("sha256") != content_hash(file) or not cache.intact()):
            return None
        corpus = _corpus_from(cache, root, file, reporter, reader, check_documents)
    except (CacheError, msgspec.DecodeError, msgspec.ValidationError, KeyError, TypeError, ValueError,
            IndexError, struct.error, OSError):
        return None
    from .loader import FREEZE_THRESHOLD

    if len(corpus.events) >= FREEZE_THRESHOLD:
        # As after a load from JSON: a big corpus lives as long as the process, and
        # every full collection would walk its objects again (130 ms at 1M events,
        # at random moments: an actor toggle took 100-600 ms instead of 25).
        gc.freeze()
    return corpus


def _corpus_from(cache: _Cache, root: Path, file: Path, reporter, reader, check_documents: bool = True) -> Corpus:
    from .loader import build_from_cache_part

    part = cache.msgpack("corpus", _CorpusPart)
    documents, actors, claims, periods = build_from_cache_part(part, root, file)
    records = CachedRecords(cache)
    n = len(records)
    texts = cache.msgpack("dates", list[str])
    ranks = cache.ints("rank")
    file_index = cache.ints("file_index")
    if len(ranks) != n or len(file_index) != n:
        raise CacheError("columns of different lengths")
    dates = _LazyDates(texts, ranks)
    date_columns = None
    if cache.has("lowers"):
        date_columns = (_Instants(cache.ints("lowers", "q")), _Instants(cache.ints("uppers", "q")), cache.ints("wide"))
        if len(date_columns[0]) != n or len(date_columns[1]) != n:
            raise CacheError("columns of different lengths")
    table = cache.msgpack("actors_index", dict[str, tuple[int, int]])
    positions = cache.ints("actor_positions")
    by_actor = _Slices(table, positions)
    groups = [((y, m), a, b) for y, m, a, b in cache.msgpack("groups", list[tuple[int, int, int, int]])]
    claims_at = {int(p): ids for p, ids in cache.msgpack("claims_at", dict[str, list[str]]).items()}

    def ids() -> list[str]:
        return cache.msgpack("ids", list[str])

    def types():
        names = cache.msgpack("types", list[str])
        type_ids = {t: k for k, t in enumerate(names)}
        by_type = _Slices(cache.msgpack("types_index", dict[str, tuple[int, int]]), cache.ints("type_positions"))
        return type_ids, cache.ints("type_of"), by_type

    search = None
    if cache.has("search_text"):
        def search() -> SearchIndex:
            return SearchIndex(cache.bytes("search_text"), cache.ints("search_offsets", "q"))

    corpus = Corpus(
        title=part.title, description=part.description, root=root, file=file, documents=documents,
        actors=actors, records=records, dates=dates, file_index=file_index, claims=claims,
        periods=periods, problems=list(part.problems), reporter=reporter, reader=reader,
        by_actor=by_actor, groups=groups,
        columns=Columns(ids=ids, types=types, claims_at=claims_at, search=search),
    )
    corpus.extra = part.extra
    corpus._date_columns = date_columns
    corpus.verified = part.verified and (not check_documents or not documents_changed(corpus, cache))
    if corpus.verified:
        corpus._quote_problems = {(e, s): corpus.problems[k] for e, s, k in part.quote_problems}
    else:  # documents changed since: their problems are recomputed by a new verification
        corpus.problems[:] = [p for p in corpus.problems if not (p.code.startswith("anchor") or p.code in
                                                                  ("document", "encoding", "unused", "unsourced"))]
    corpus._cache = cache
    return corpus


def documents_changed(corpus: Corpus, cache: _Cache | None = None) -> bool:
    """Has any document changed (size or time) since the cache was written?"""
    cache = cache or corpus._cache
    if cache is None:
        return False
    return cache.header.get("documents", {}) != _document_stamps(corpus)

