"""Loading a ``timeline-corpus/1`` corpus: decode, validate, anchor, index.

``load_corpus`` either returns a :class:`~tui.model.corpus.Corpus` or raises
:class:`~tui.model.errors.CorpusError` listing every problem found, each
located (file, line when known, record path, id) with a way to fix it.  It
never raises anything else, whatever the input.

A well-formed file opens with its event records kept as raw JSON (slices of
the file, decoded when an event is shown) and only the fields that order and
index the timeline decoded for every event; the records are checked in full
all the same, by a child process on the other core when there are many
(``_Loader.load_raw``).  At the first error the file is decoded again into
typed records, and if that fails too, generically, each record validated on
its own, so that one bad record does not hide the problems of the others.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import stat
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from operator import attrgetter
from pathlib import Path, PurePosixPath

import msgspec

from ..collector import paused, settle_large
from . import schema
from .corpus import Actor, Claim, Corpus, Document, Period, Quote, Statement
from .store import MANY_EVENTS
from .dates import DateError, EDTFDate, parse_dates, parse_edtf
from .errors import CorpusError, Problem
from .files import CORPUS_FILE_LIMIT, DOCUMENT_LIMIT, NotARegularFile, TooLarge, describe_mode, open_regular, read_document, read_regular
from .jsonspans import Locator, json_type, repeated_keys, repeated_top_level_key
from .safetext import CONTROL_CHARACTERS, CONTROL_PATTERN, may_hold_control_characters
from .textfold import fold

__all__ = ["load_corpus", "resolve_corpus_path", "CORPUS_FILE", "ReadAhead"]

CORPUS_FILE = "corpus.json"
_MEMBER_KINDS = {"coalition", "organisation", "group", "other"}
_JSON_TYPE_NAMES = {
    "str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
    "object": "an object", "array": "an array", "null": "null",
}


def resolve_corpus_path(source: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``(corpus folder, corpus file)`` for a folder or a ``corpus.json`` path.

    Raises :class:`CorpusError` when there is no such file or folder.  (Other
    tools' files are opened by ``opening``, which converts or maps them.)
    """
    path = Path(source)
    try:
        if path.is_dir():
            file = path / CORPUS_FILE
            if not file.is_file():
                _not_a_file(file)
                raise CorpusError([Problem(
                    str(path), "", f"this folder has no {CORPUS_FILE}",
                    f"give a folder that contains {CORPUS_FILE}, or the path of a corpus file "
                    "(the format is described in docs/corpus-format.md)", code="io",
                )])
            return path, file
        if path.is_file():
            return path.parent, path
        _not_a_file(path)
    except OSError as exc:
        raise CorpusError([Problem(str(path), "", f"cannot be opened: {exc.strerror or exc}", "check the path and its permissions", code="io")]) from None
    raise CorpusError([Problem(str(path), "", "no such file or folder", "check the path; a corpus is a folder with a corpus.json", code="io")])


def _not_a_file(path: Path) -> None:
    """Raise :class:`CorpusError` saying what ``path`` is when something that is not a regular
    file is there (a folder, a pipe, a device, a link to one or to nothing); return when nothing is."""
    if not os.path.lexists(path):
        return
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise CorpusError([Problem(str(path), "", f"is a symbolic link to {os.readlink(path)!r}, which does not exist",
                                   "point the link at the corpus file, or put the file itself there", code="io")]) from None
    link = " (through a symbolic link)" if path.is_symlink() else ""
    raise CorpusError([Problem(str(path), "", f"is {describe_mode(mode)}{link}, not a regular file",
                               f"put the corpus file itself there: {path.name} must be a regular JSON file", code="io")])


# Keys given twice inside records are looked for (a warning) by ``check`` (which sets this), in
# files up to REPEATED_KEYS_LIMIT: it takes a second decoding by the standard library's slower
# decoder, which opening the app does without.  (Twice at the top level is looked for in every
# file, always: an error, see ``jsonspans.repeated_top_level_key``.)
LOOK_FOR_REPEATED_KEYS = False
REPEATED_KEYS_LIMIT = 16 * 1024 * 1024


def _repeated_keys(data: bytes | memoryview) -> list[tuple[str, object]]:
    if not LOOK_FOR_REPEATED_KEYS or len(data) > REPEATED_KEYS_LIMIT:
        return []
    try:
        return repeated_keys(bytes(data).decode("utf-8-sig"))
    except (ValueError, RecursionError):  # not JSON, not UTF-8: the decoder says where
        return []


def _shown_id(record_id: object) -> str:
    return f"the record {msgspec.json.encode(record_id).decode()}" if isinstance(record_id, str) else "an object"


Progress = Callable[[str, float | None], None]


def load_corpus(source: str | os.PathLike[str], *, allow_unanchored: bool = False, verify: bool = True,
                progress: Progress | None = None, read_ahead: ReadAhead | None = None) -> Corpus:
    """Load and validate a corpus (a folder, or the path of its ``corpus.json``).

    With ``allow_unanchored``, quotes that no longer match their documents do
    not stop the load: they stay unanchored and are listed in
    ``corpus.problems``.  Every other problem raises :class:`CorpusError`.

    With ``verify=False`` the documents are not read and no quote is anchored
    yet: the caller runs ``corpus.verify()`` later (the app does, in the
    background, so that a larger corpus shows at once).

    ``progress(phase, fraction)`` is called as the load goes (fraction None
    while a phase cannot tell).  ``read_ahead`` is the file being read
    already (see ``ReadAhead``): its bytes are used, once, instead of reading
    the file again.
    """
    with paused():
        try:
            root, file = resolve_corpus_path(source)
            corpus = _Loader(root, file, progress, read_ahead).load(allow_unanchored, verify)
        except CorpusError:
            raise
        except RecursionError:
            raise CorpusError([Problem(str(source), "", "the corpus is nested too deeply to read", "flatten the JSON structure", code="json")]) from None
        except MemoryError:
            raise CorpusError([Problem(str(source), "", "the corpus is too large for the memory available", "", code="io")]) from None
        except Exception as exc:  # pragma: no cover - a bug; still never a traceback
            raise CorpusError([Problem(str(source), "", f"internal error while loading: {type(exc).__name__}: {exc}",
                                       "please report this with the corpus that caused it", code="internal")]) from None
    # A big corpus lives as long as the process: out of the collector's sight.
    if len(corpus.events) >= MANY_EVENTS:
        settle_large()
    return corpus



def read_file(file: Path, progress: Progress | None = None, chunk: int = 16 << 20) -> bytes | bytearray:
    """The file's bytes: a large file is read in place into one buffer, chunk by chunk
    (with progress), not read in parts and then joined, which copies it all once more."""
    with open_regular(file, limit=CORPUS_FILE_LIMIT, what="a corpus file") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= chunk:
            return handle.readall()
        data = bytearray(size)
        done = 0
        with memoryview(data) as view:
            while done < size:
                got = handle.readinto(view[done:done + chunk])
                if not got:
                    break
                done += got
                if progress is not None:
                    progress("reading", done / size)
        if done < size:  # the file shrank while it was read
            del data[done:]
        else:  # ... or grew
            data += handle.readall()
    return data


class ReadAhead:
    """A corpus file read in a thread of its own, started before the loader needs it.

    Reading a large file is mostly the kernel copying pages, during which
    the thread holds no interpreter lock: the command line starts it before
    the interface is imported and set up, and the two overlap (on a 394 MB
    corpus, 0.3 s of reading that would otherwise come after them).  The
    loader takes the bytes (``load_corpus(..., read_ahead=...)``) once.
    """

    def __init__(self, file: Path) -> None:
        self.file = file
        self._fraction: float | None = None
        self._data: bytes | bytearray | None = None
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._read, name="corpus-read-ahead", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            self._data = read_file(self.file, self._progress)
        except OSError as exc:
            self._error = exc

    def _progress(self, phase: str, fraction: float | None) -> None:
        self._fraction = fraction

    def take(self, progress: Progress | None = None) -> bytes | bytearray:
        """The bytes, once the thread has read them (``progress`` is told how far it is
        meanwhile); raises the ``OSError`` that reading met."""
        while self._thread.is_alive():
            self._thread.join(0.05)
            if progress is not None and self._fraction is not None:
                progress("reading", self._fraction)
        if self._error is not None:
            raise self._error
        data, self._data = self._data, None  # held by the loader alone from now on
        if data is None:
            raise OSError("the file was taken already")
        return data


def _line_col_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(data)))
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


class _Locator(Locator):
    """Line numbers of records in corpus.json, for diagnostics.

    Records are found structurally: the top-level object is walked with the
    standard library's JSON scanner, one array element at a time, giving the
    offset of every record by its index.  Done only when a problem needs a
    line, once, and cheap in memory (each element is decoded and dropped).
    """

    def __init__(self, text: str | None, file: Path) -> None:
        super().__init__(text, schema.SECTIONS)
        self.file = file

    @property
    def text(self) -> str:
        if self._text is None:  # released after loading; problems found later re-read it
            try:
                self._text = read_regular(self.file, limit=CORPUS_FILE_LIMIT).decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._text = ""
        return self._text

    def line(self, section: str, index: int, exact: str | None = None) -> int | None:
        items = self.spans().get(section)  # only sections that are arrays have records
        if not isinstance(items, list) or not 0 <= index < len(items):
            return None
        offset = items[index][0]
        end = items[index + 1][0] if index + 1 < len(items) else len(self.text)
        if exact:
            for form in (msgspec.json.encode(exact).decode(), _ascii_json(exact)):
                pos = self.text.find(form, offset, end)
                if pos != -1:
                    offset = pos
                    break
        return self.line_at(offset)


class _LazyLine:
    """Where a record is in corpus.json, worked out only if a problem needs it."""

    __slots__ = ("locator", "section", "index", "exact")

    def __init__(self, locator: _Locator | None, section: str, index: int, exact: str | None) -> None:
        self.locator, self.section, self.index, self.exact = locator, section, index, exact

    def resolve(self) -> int | None:
        if self.locator is None:
            return None
        return self.locator.line(self.section, self.index, self.exact)


def _ascii_json(text: str) -> str:
    import json  # the standard library's encoder writes \uXXXX escapes as a hand-written file may have them

    return json.dumps(text, ensure_ascii=True)


_SINGULAR = {"documents": "document", "actors": "actor", "events": "event", "claims": "claim", "periods": "period"}


class _Loader:
    def __init__(self, root: Path, file: Path, progress: Progress | None = None,
                 read_ahead: ReadAhead | None = None, *, trusted: bool = False) -> None:
        # ``trusted``: the records were checked in full when a compiled cache was made of them (and
        # the cache is of this very file): paths, coalitions and spellings are not checked again.
        # A document gone since is found when the quotes are checked.
        self.trusted = trusted
        self.root = root
        self.file = file
        self.read_ahead = read_ahead
        self.progress = progress or (lambda phase, fraction: None)
        self.shown = str(file)
        self.problems: list[Problem] = []
        self.locator: _Locator | None = None
        self.document_ids: set[str] = set()
        # Records that failed the structural checks leave holes: keep each good
        # record's index in the file, and every id the file declares (so that a
        # reference to a broken record is not also called unknown).
        self.indices: dict[str, list[int]] = {}
        self.declared: dict[str, set[str]] = {}
        self.orphans: list[Quote] = []
        self.orphan_records: list[tuple[int, object]] = []
        self.event_ids: set[str] = set()
        self.folders: dict[Path, Path] = {}

    # -- reporting ----------------------------------------------------------

    def problem(self, location: str, message: str, hint: str = "", *, line: int | _LazyLine | None = None,
                severity: str = "error", code: str = "", file: str | None = None) -> Problem:
        if isinstance(line, _LazyLine):
            line = line.resolve()
        p = Problem(file or self.shown, location, message, hint, line, severity, code)  # type: ignore[arg-type]
        self.problems.append(p)
        return p

    def where(self, section: str, index: int, record_id: object, sub: str = "") -> str:
        """``events[3].date (event "x")``: the path in the file, then the record's id."""
        label = f"{section}[{index}]{sub}"
        if isinstance(record_id, str) and record_id:
            label += f" ({_SINGULAR[section]} {msgspec.json.encode(record_id).decode()})"
        return label

    @staticmethod
    def where_sub(where: str, sub: str) -> str:
        """Insert a path inside a record into a ``where`` label, before the id."""
        record, paren, rest = where.partition(" (")
        return record + sub + (paren + rest if paren else "")

    def line(self, section: str, index: int, exact: str | None = None) -> _LazyLine:
        return _LazyLine(self.locator, section, index, exact)

    def repeated_key_warnings(self, twice: list[tuple[str, object]]) -> None:
        for key, record_id in twice:
            where = f"{_shown_id(record_id)}" if record_id is not None else "an object"
            self.problem(key, f"the key {key!r} is given more than once in {where}: only its last value is read",
                         f"keep one {key!r} in it", severity="warning", code="json")

    def fail(self) -> CorpusError:
        return CorpusError(self.problems)

    # -- reading ------------------------------------------------------------

    def load(self, allow_unanchored: bool, verify: bool) -> Corpus:
        try:
            data = self.read()
        except OSError as exc:
            self.problem("", f"cannot be read: {exc.strerror or exc}", "check that the file exists and is readable", code="io")
            raise self.fail() from None
        self.progress("decoding", None)
        repeated = repeated_top_level_key(data)
        if repeated is not None:
            key, line = repeated
            self.problem(key, f"the key {key!r} is given more than once at the top level of the file: only its last "
                         "value would be read and the others lost without a word",
                         f"merge the two {key!r} into one, or remove the one that is not wanted", line=line, code="json")
            raise self.fail()
        twice = _repeated_keys(data)
        fast = _Loader(self.root, self.file, self.progress)  # (the bytes are read)
        fast.repeated_key_warnings(twice)
        corpus = fast.load_raw(data, allow_unanchored, verify)
        if corpus is not None:
            return corpus
        self.repeated_key_warnings(twice)
        # Something is wrong with the corpus: find and locate every problem.
        parsed = self.decode(data)
        if parsed is not None:
            self.control_characters(data)
        del data
        if parsed is None:
            raise self.fail()
        self.progress("indexing", None)
        corpus = self.build(parsed)
        del parsed
        if corpus is None:
            raise self.fail()
        return self.finish(corpus, allow_unanchored, verify)

    def finish(self, corpus: Corpus, allow_unanchored: bool, verify: bool) -> Corpus:
        """Anchor the quotes if asked to; the corpus, unless something blocks it."""
        if verify:
            corpus.verify()
        if self.blocking(allow_unanchored):
            raise self.fail()
        if self.locator is not None:
            self.locator.release()
        return corpus

    def load_raw(self, data: bytes, allow_unanchored: bool, verify: bool) -> Corpus | None:
        """The corpus, its event records kept as raw JSON; None if anything about it is wrong.

        This is how a well-formed corpus opens: every event record stays a
        slice of the file (decoded when the event is shown), and only the
        fields that order and index the timeline are decoded for every event
        (``schema.EventKeys``).  The records are checked in full all the same
        (``_events_valid``).  At the first error the caller loads the corpus
        again the usual way, which finds and locates every problem; warnings
        and problems of anchoring are found here as there.
        """
        if data.startswith(b"\xef\xbb\xbf"):
            data = memoryview(data)[3:]  # not a copy of the whole file
        try:
            f = msgspec.json.decode(data, type=schema.RawEventsCorpusFile)
            self.locator = _Locator(None, self.file)
            documents = self.build_documents(f.documents)
            actors = self.build_actors(f.actors)
            keys = self.decode_keys(f.events)
            self.progress("indexing", None)
            corpus = self.build(f, keys, f.events, documents, actors)
            del keys
            if corpus is None or any(p.severity == "error" for p in self.problems) or not _events_valid(data, f.events):
                return None
            self.control_characters(data)
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
            return None
        return self.finish(corpus, allow_unanchored, verify)

    def decode_keys(self, raws: list[msgspec.Raw]) -> list:
        """The events' keys (``schema.EventKeys``), decoded from their raw records a chunk
        at a time: each chunk holds the interpreter for a few milliseconds, so that a
        load in the app's background leaves the interface free to answer keys."""
        n = len(raws)
        keys: list = []
        for start in range(0, n, _KEYS_CHUNK):
            keys += _KEYS_DECODER.decode(b"[" + b",".join(raws[start:start + _KEYS_CHUNK]) + b"]")
            if n > _KEYS_PROGRESS and start % _KEYS_PROGRESS == 0:
                self.progress("decoding", start / n)
        return keys

    def read(self) -> bytes | bytearray:
        """The file's bytes: read ahead by the caller (``ReadAhead``), or read now."""
        ahead = self.read_ahead
        if ahead is not None and ahead.file == self.file:
            self.read_ahead = None
            return ahead.take(self.progress)
        return read_file(self.file, self.progress)

    def blocking(self, allow_unanchored: bool) -> list[Problem]:
        return [p for p in self.problems
                if p.severity == "error" and not (allow_unanchored and p.is_anchor_problem)]

    def decode(self, data: bytes) -> schema.CorpusFile | None:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if not data.strip():
            self.problem("", "the file is empty", "a corpus file is a JSON object; see docs/corpus-format.md for an example", code="json")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, col = _line_col_of_byte(data, exc.start)
            self.problem("", f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {col}",
                         "save the file as UTF-8", line=line, code="encoding")
            return None
        self.locator = _Locator(text, self.file)
        try:
            return msgspec.json.decode(data, type=schema.LeanCorpusFile)
        except (msgspec.DecodeError, RecursionError):
            pass
        # Slow path: find every structural problem, keep every valid record.
        try:
            raw = msgspec.json.decode(data)
        except RecursionError:
            self.problem("", "the JSON is nested too deeply", "a corpus is a flat object of lists of records; check the structure", code="json")
            return None
        except msgspec.DecodeError as exc:
            self.json_syntax_problem(data, str(exc))
            return None
        return self.validate_structure(raw)

    def json_syntax_problem(self, data: bytes, message: str) -> None:
        m = re.search(r"\(byte (\d+)\)", message)
        if "truncated" in message:
            line, col = _line_col_of_byte(data, len(data))
            self.problem("", f"the JSON ends too early (at line {line}): the file looks truncated",
                         "check the end of the file: a closing bracket, brace or quote is missing", line=line, code="json")
        elif m:
            line, col = _line_col_of_byte(data, int(m.group(1)))
            what = message.split(" (byte")[0].replace("JSON is malformed: ", "")
            self.problem("", f"is not valid JSON: {what} at line {line}, column {col}",
                         "fix the JSON syntax there (a missing comma, quote or bracket is the usual cause)", line=line, code="json")
        else:
            self.problem("", f"is not valid JSON: {message}", "fix the JSON syntax", code="json")

    def validate_structure(self, raw: object) -> schema.CorpusFile | None:
        if not isinstance(raw, dict):
            self.problem("", f"the top level is {json_type(raw)}, not an object",
                         'a corpus file is an object: {"format": "timeline-corpus/1", "title": ..., "events": [...]}', code="schema")
            return None
        fmt = raw.get("format")
        if fmt != schema.FORMAT:
            if fmt is None:
                self.problem("format", "the format is missing", f'add "format": "{schema.FORMAT}"', line=1, code="format")
            elif isinstance(fmt, str) and fmt.startswith("timeline-corpus/"):
                self.problem("format", f"format {fmt!r} is not supported by this version, which reads {schema.FORMAT}",
                             "upgrade Timeline Explorer, or convert the corpus", code="format")
                return None
            else:
                self.problem("format", f"{_preview(fmt)} is not a corpus format",
                             f'set "format": "{schema.FORMAT}" (is this a corpus file?)', code="format")
                return None
        known = set(schema.CorpusFile.__struct_fields__)
        for key in raw:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"remove it; known fields: {', '.join(sorted(known))}"
                self.problem(str(key), "unknown top-level field", hint, code="schema")
        title = raw.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problem("title", "the corpus needs a title" if title is None else "the title must be non-empty text",
                         'add "title": "…"', code="schema")
            title = "Untitled corpus"
        description = raw.get("description", "")
        if not isinstance(description, str):
            self.problem("description", f"expected a string, got {json_type(description)}",
                         'write the description as text: "description": "…"', code="schema")
            description = ""
        sections: dict[str, list] = {}
        for section, record_type in schema.SECTIONS.items():
            items = raw.get(section, [])
            if not isinstance(items, list):
                self.problem(section, f"expected an array of {section}, got {json_type(items)}",
                             f'write "{section}": [ ... ]', code="schema")
                sections[section] = []
                continue
            good = []
            indices = []
            for i, item in enumerate(items):
                record_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(record_id, str):
                    self.declared.setdefault(section, set()).add(record_id)
                try:
                    good.append(msgspec.convert(item, record_type))
                    indices.append(i)
                except msgspec.ValidationError as exc:
                    self.schema_problem(section, i, record_id, str(exc))
            sections[section] = good
            self.indices[section] = indices
        return schema.CorpusFile(format=schema.FORMAT, title=title, description=description, **sections)

    def control_characters(self, data: bytes | bytearray | memoryview) -> None:
        """A warning for every field of the file whose text holds a control character (one a
        terminal would obey, or a bidirectional override): the app and the exports show them
        as stand-ins, but the corpus is better without. Cheap when there is none, as nearly
        always: one scan of the bytes; then only the records it points at are decoded, and
        their lines found in one pass."""
        if not may_hold_control_characters(data):
            return
        text = data if isinstance(data, (bytes, bytearray)) else bytes(data)
        try:
            members = msgspec.json.decode(text, type=dict[str, msgspec.Raw])
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
            return  # reported as what it is
        lines = _LineFinder(text)
        for key, raw in members.items():
            if CONTROL_PATTERN.search(raw) is None:
                continue
            try:
                if key not in schema.SECTIONS:
                    self.control_warning(key, msgspec.json.decode(raw), lines.of(raw))
                    continue
                items = msgspec.json.decode(raw, type=list[msgspec.Raw])
                for i in compress(range(len(items)), map(CONTROL_PATTERN.search, items)):
                    record = msgspec.json.decode(items[i])
                    record_id = record.get("id") if isinstance(record, dict) else None
                    self.control_warning(self.where(key, i, record_id), record, lines.of(items[i]))
            except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
                continue  # reported as what it is

    def control_warning(self, where: str, value: object, line: int | None) -> None:
        for path, text in _strings(value):
            found = sorted(set(CONTROL_CHARACTERS.findall(text)))
            if not found:
                continue
            names = ", ".join(f"U+{ord(c):04X}" for c in found[:4]) + (", …" if len(found) > 4 else "")
            self.problem(self.where_sub(where, path), f"holds control characters ({names}) that a terminal "
                         "would obey or that reorder the text",
                         "remove them; the app and the exports show them as stand-ins such as ␛ and ⟨RLO⟩",
                         line=line, severity="warning", code="control")

    def schema_problem(self, section: str, index: int, record_id: object, message: str) -> None:
        text, _, path = message.partition(" - at `$")
        path = path.rstrip("`")
        location = self.where(section, index, record_id, path)
        what, hint = _explain_validation(text, section, path)
        self.problem(location, what, hint, line=self.line(section, index), code="schema")

    # -- building -----------------------------------------------------------

    def build(self, f, events: list | None = None, raws: list[msgspec.Raw] | None = None,
              documents: dict[str, Document] | None = None, actors: dict[str, Actor] | None = None) -> Corpus | None:
        """The corpus of a decoded file: ``f.events`` are its event records, or, when the
        file was decoded raw, ``events`` are their keys and ``raws`` their JSON (and the
        documents and actors may be built already)."""
        if documents is None:
            documents = self.build_documents(f.documents)
        if actors is None:
            actors = self.build_actors(f.actors)
        built = self.build_events(f.events if events is None else events, actors)
        records, types = built["records"], None
        if raws is not None:
            types = list(map(_TYPE_OF, records))
            records = RawRecords(list(map(raws.__getitem__, built["file_index"])))
        self.event_ids = self.declared.get("events", set())
        claims = self.build_claims(f.claims, documents)
        periods = self.build_periods(f.periods)
        try:
            corpus = Corpus(
                title=f.title, description=f.description, root=self.root, file=self.file,
                documents=documents, actors=actors, records=records, dates=built["dates"], types=types,
                file_index=built["file_index"], by_actor=built["by_actor"], groups=built["groups"], ids=built["ids"],
                claims=claims, periods=sorted(periods, key=lambda p: (p.date.sort_key, p.id)),
                problems=self.problems, reporter=self.report, reader=self.read_text,
                extra_quotes=self.orphans, orphan_records=self.orphan_records,
            )
            corpus.extra = f.extra
            return corpus
        except Exception as exc:  # pragma: no cover - defensive
            self.problem("", f"could not index the corpus: {exc}", code="internal")
            return None

    def report(self, location: str, kind: str, subject: object, exact: str | None, message: str, hint: str,
               code: str) -> Problem:
        """Record a problem found after loading: by ``Corpus.verify``, or when an event's quotes are decoded."""
        if kind == "schema":  # an event's quote list that does not fit the format
            owner = subject
            path = location[location.index("]") + 1:]
            what, fix = _explain_validation(message, "events", path)
            where = self.where("events", owner.index, owner.id, path)  # type: ignore[attr-defined]
            return self.problem(where, what, fix, line=self.line("events", owner.index), code="schema")  # type: ignore[attr-defined]
        if kind == "unknown-document":
            owner = subject
            doc_id = exact or ""
            where = self.where("events", owner.index, owner.id, location)  # type: ignore[attr-defined]
            if doc_id in self.document_ids:  # declared, but its record or file is broken: reported there
                return Problem(self.shown, where, "", "", None, "warning", "ignored")
            return self.problem(where, f"unknown document {doc_id!r}",
                                _did_you_mean(doc_id, self.document_ids, 'add it to "documents"'),
                                line=self.line("events", owner.index), code="ref")  # type: ignore[attr-defined]
        if kind == "bad-id":
            event = subject
            what, fix = _explain_validation("Expected `str` matching regex", "events", ".id")
            return self.problem(self.where("events", event.index, event.id, ".id"), what, fix,  # type: ignore[attr-defined]
                                line=self.line("events", event.index), code="schema")  # type: ignore[attr-defined]
        if kind == "unsourced":
            event = subject
            return self.problem(self.where("events", event.index, event.id),  # type: ignore[attr-defined]
                                "the event cites no quote, so nothing traces it to a source",
                                'add "quotes" from the documents that report it',
                                line=self.line("events", event.index), severity="warning", code="unsourced")  # type: ignore[attr-defined]
        if kind in ("quoted-phrase", "claim-event-sources"):  # warnings of Corpus.verify about a record
            section = "claims" if isinstance(subject, Claim) else "events"
            where = self.where(section, subject.index, subject.id, location)  # type: ignore[attr-defined]
            return self.problem(where, message, hint, line=self.line(section, subject.index),  # type: ignore[attr-defined]
                                severity="warning", code=kind)
        if kind == "unused":
            doc = subject
            return self.problem(self.document_where[doc.id], "no event or claim cites this document",  # type: ignore[attr-defined]
                                "cite it, or remove it from the corpus",
                                line=self.line("documents", self.document_index[doc.id]),  # type: ignore[attr-defined]
                                severity="warning", code="unused")
        if kind == "quote":
            owner = subject.owner  # type: ignore[attr-defined]
            section = "claims" if isinstance(owner, Claim) else "events"
            line = self.line(section, owner.index, exact)
        else:
            doc = subject
            location = self.where_sub(self.document_where.get(doc.id, "documents"), location)  # type: ignore[attr-defined]
            line = self.line("documents", self.document_index[doc.id], exact)  # type: ignore[attr-defined]
        return self.problem(location, message, hint, line=line, code=code)

    def read_text(self, doc: Document) -> str | None:
        """A document's text for verification, or None after recording why it cannot be read."""
        location = self.where_sub(self.document_where.get(doc.id, "documents"), ".path")
        line = self.line("documents", self.document_index[doc.id])
        shown = self.doc_shown(doc)
        try:
            data = read_document(doc.file)
        except FileNotFoundError:
            self.problem(location, f"document file {shown} does not exist", self.missing_hint(doc.file), line=line, code="document")
            return None
        except (NotARegularFile, TooLarge) as exc:
            self.problem(location, f"document {shown} cannot be read: {exc.strerror}", exc.hint, line=line, code="document")
            return None
        except OSError as exc:
            self.problem(location, f"document {shown} cannot be read: {exc.strerror or exc}", "check its permissions",
                         line=line, code="document")
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            dl, dc = _line_col_of_byte(data, exc.start)
            self.problem(location, f"document {shown} is not UTF-8: byte 0x{data[exc.start]:02x} at its line {dl}, column {dc}",
                         f"convert it to UTF-8 (for example: iconv -f windows-1252 -t utf-8 {doc.file.name})",
                         line=line, code="encoding")
            return None

    def missing_hint(self, file: Path) -> str:
        hint = "check the path (it is relative to the corpus folder)"
        try:
            names = [p.name for p in file.parent.iterdir()] if file.parent.is_dir() else []
        except OSError:
            names = []
        close = difflib.get_close_matches(file.name, names, n=1)
        return f"did you mean {close[0]!r}?" if close else hint

    def unique(self, section: str, records: list, kind: str) -> list[tuple[int, object]]:
        """``(index in the file, record)`` of the records whose id is not taken already."""
        indices = self.indices.get(section)
        declared = self.declared.setdefault(section, set())
        ids = [rec.id for rec in records]
        distinct = set(ids)
        declared |= distinct
        if len(distinct) == len(ids):  # the usual case, without a loop of our own
            return list(zip(indices if indices is not None else range(len(records)), records))
        seen: dict[str, int] = {}
        out = []
        for k, rec in enumerate(records):
            i = indices[k] if indices is not None else k
            if rec.id in seen:
                self.problem(self.where(section, i, rec.id), f"duplicate {kind} id (also used by {section}[{seen[rec.id]}])",
                             f"give each {kind} its own id", line=self.line(section, i), code="duplicate")
                continue
            seen[rec.id] = i
            out.append((i, rec))
        return out

    def parse_date(self, value: str, location: str, line: int | None) -> EDTFDate | None:
        try:
            return parse_edtf(value)
        except DateError as exc:
            self.problem(location, exc.message, exc.hint, line=line, code="date")
            return None

    def build_documents(self, records: list[schema.Document]) -> dict[str, Document]:
        documents: dict[str, Document] = {}
        paths: dict[str, str] = {}
        self.document_ids = {rec.id for rec in records} | self.declared.get("documents", set())
        self.document_where: dict[str, str] = {}
        self.document_index: dict[str, int] = {}
        for i, rec in self.unique("documents", records, "document"):
            where = self.where("documents", i, rec.id)
            self.document_where[rec.id] = where
            self.document_index[rec.id] = i
            line = self.line("documents", i)
            found = self.document_file(rec.path, self.where_sub(where, ".path"), line)
            published = self.parse_date(rec.published, self.where_sub(where, ".published"), line) if rec.published else None
            accessed = self.parse_date(rec.accessed, self.where_sub(where, ".accessed"), line) if rec.accessed else None
            if found is None or not self.probe_document(found[0], self.where_sub(where, ".path"), line):
                continue
            file, resolved = found
            key = os.path.normcase(str(resolved))
            if key in paths:
                self.problem(self.where_sub(where, ".path"), f"the same file is also documents {paths[key]}", "list each file once",
                             line=line, severity="warning", code="duplicate")
            paths[key] = rec.id
            documents[rec.id] = Document(rec.id, rec.path, file, rec.title, rec.outlet, published, rec.url, rec.note,
                                         rec.exclude, accessed=accessed)
        return documents

    def doc_shown(self, doc: Document) -> str:
        return str(Path(self.shown).parent / doc.path) if self.shown else doc.path

    def resolved_folder(self, folder: Path) -> Path:
        """``folder.resolve()``, worked out once per folder (documents usually share a few)."""
        resolved = self.folders.get(folder)
        if resolved is None:
            resolved = self.folders[folder] = folder.resolve()
        return resolved

    def document_file(self, path: str, location: str, line: int | None) -> tuple[Path, Path] | None:
        """The document's file, and where it really is (symlinks followed), if it may be read."""
        if self.trusted:
            file = self.root / path
            return file, file
        if "\\" in path:
            self.problem(location, f"{path!r} uses backslashes", "write paths with '/' separators", line=line, code="path")
            return None
        pure = PurePosixPath(path)
        if pure.is_absolute() or re.match(r"^[A-Za-z]:", path) or path.startswith("~"):
            self.problem(location, f"{path!r} is an absolute path", "give the path relative to the corpus folder", line=line, code="path")
            return None
        if ".." in pure.parts:
            self.problem(location, f"{path!r} points outside the corpus folder", "keep documents inside the corpus folder", line=line, code="path")
            return None
        if "\x00" in path:
            self.problem(location, "the path contains a NUL character", "fix the path", line=line, code="path")
            return None
        file = self.root / pure
        try:
            resolved = self.resolved_folder(file.parent) / file.name
            if os.path.islink(resolved):
                resolved = resolved.resolve()
            root = self.resolved_folder(self.root)
        except (OSError, RuntimeError) as exc:  # symlink loops
            self.problem(location, f"{path!r} cannot be resolved: {exc}", "fix or remove the symlink", line=line, code="path")
            return None
        if not resolved.is_relative_to(root):
            self.problem(location, f"{path!r} is a symlink that points outside the corpus folder",
                         "copy the document into the corpus folder instead of linking to it", line=line, code="path")
            return None
        return file, resolved

    def probe_document(self, file: Path, location: str, line: object) -> bool:
        """Is the document there and a readable regular file, not too large?  (Its text is read later, by verify.)"""
        if self.trusted:
            return True
        try:
            st: os.stat_result | None = os.stat(file)
        except (OSError, ValueError):
            st = None
        if st is not None and stat.S_ISREG(st.st_mode) and st.st_size <= DOCUMENT_LIMIT and os.access(file, os.R_OK):
            return True
        shown = str(Path(self.shown).parent / file.relative_to(self.root))
        if st is None:
            self.problem(location, f"document file {shown} does not exist", self.missing_hint(file), line=line, code="document")
        elif stat.S_ISDIR(st.st_mode):
            self.problem(location, f"{shown} is a folder, not a document", "point to the text file", line=line, code="document")
        elif not stat.S_ISREG(st.st_mode):
            error = NotARegularFile(file, st.st_mode)
            self.problem(location, f"document {shown} cannot be read: {error.strerror}", error.hint, line=line,
                         code="document")
        elif st.st_size > DOCUMENT_LIMIT:
            error = TooLarge(file, st.st_size, DOCUMENT_LIMIT, "a document")
            self.problem(location, f"document {shown} cannot be read: {error.strerror}", error.hint, line=line,
                         code="document")
        else:
            self.problem(location, f"document {shown} cannot be read: permission denied", "check its permissions",
                         line=line, code="document")
        return False

    def build_actors(self, records: list[schema.Actor]) -> dict[str, Actor]:
        if self.trusted:
            self.declared["actors"] = {rec.id for rec in records}
            return {rec.id: Actor(rec.id, rec.name, rec.kind, tuple(rec.aliases), tuple(dict.fromkeys(rec.members)),
                                  rec.affiliation, rec.note) for rec in records}
        actors: dict[str, Actor] = {}
        indexed = self.unique("actors", records, "actor")
        self.actor_index = {rec.id: i for i, rec in indexed}
        valid = {rec.id for _, rec in indexed}
        ids = {rec.id for rec in records} | self.declared.get("actors", set())
        for i, rec in indexed:
            where = self.where("actors", i, rec.id)
            line = self.line("actors", i)
            members = []
            for j, m in enumerate(rec.members):
                if m in ids and m not in valid:
                    continue  # a member whose own record is broken: reported there
                if m not in ids:
                    self.problem(self.where_sub(where, f".members[{j}]"), f"unknown actor {m!r}", _did_you_mean(m, ids, "add the actor to \"actors\""), line=line, code="ref")
                elif m == rec.id:
                    self.problem(self.where_sub(where, f".members[{j}]"), "an actor cannot be a member of itself", "remove it", line=line, code="cycle")
                else:
                    members.append(m)
            if rec.members and rec.kind not in _MEMBER_KINDS:
                self.problem(self.where_sub(where, ".members"), f"a {rec.kind} cannot have members", 'make it kind "coalition" (or "organisation"/"group")', line=line, code="schema")
            if rec.affiliation is not None and rec.affiliation not in ids:
                self.problem(self.where_sub(where, ".affiliation"), f"unknown actor {rec.affiliation!r}", _did_you_mean(rec.affiliation, ids, "add the actor"), line=line, code="ref")
            actors[rec.id] = Actor(rec.id, rec.name, rec.kind, tuple(rec.aliases), tuple(dict.fromkeys(members)), rec.affiliation, rec.note)
        self.check_cycles(actors)
        spelled: dict[str, str] = {}
        for actor in actors.values():
            for spelling in {" ".join(fold(s).split()) for s in actor.spellings}:
                other = spelled.setdefault(spelling, actor.id)
                if other != actor.id:
                    self.problem(self.where("actors", list(actors).index(actor.id), actor.id, ".aliases"),
                                 f"the spelling {spelling!r} also names actor {other!r}",
                                 "searches treat spellings of one actor as the same word; give each spelling to one actor",
                                 line=self.line("actors", self.actor_index[actor.id]), severity="warning", code="alias")
        return actors

    def check_cycles(self, actors: dict[str, Actor]) -> None:
        state: dict[str, int] = {}  # 1 = on the stack, 2 = done
        reported: set[frozenset[str]] = set()
        order = list(actors)
        for start in order:
            if state.get(start):
                continue
            stack: list[tuple[str, Iterable[str]]] = [(start, iter(actors[start].members))]
            path = [start]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                    path.pop()
                    continue
                if child not in actors:
                    continue
                if state.get(child) == 1:
                    cycle = path[path.index(child):] + [child]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        i = order.index(cycle[0])
                        self.problem(self.where("actors", i, cycle[0], ".members"),
                                     "coalition membership cycle: " + " → ".join(cycle),
                                     "a coalition cannot contain itself; remove one of these memberships",
                                     line=self.line("actors", self.actor_index[cycle[0]]), code="cycle")
                elif not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(actors[child].members)))
        # Keep the model acyclic even so: drop memberships that close a cycle.
        if reported:
            for actor in actors.values():
                actor.members = tuple(m for m in actor.members if not _reaches(actors, m, actor.id))

    def quote(self, q: schema.Quote, documents: dict[str, Document], location: str, line: object,
              owner: object, slot: int, cls=Quote, **extra) -> Quote | None:
        doc = documents.get(q.doc)
        if doc is None:
            if q.doc not in self.document_ids:
                self.problem(self.where_sub(location, ".doc"), f"unknown document {q.doc!r}",
                             _did_you_mean(q.doc, self.document_ids, "add it to \"documents\""), line=line, code="ref")
            return None  # a document that failed its checks was reported already
        return cls(doc, q.exact, q.prefix, q.suffix, owner, slot, **extra)

    def build_events(self, records: list, actors: dict[str, Actor]) -> dict:
        """Dated, checked event records in timeline order, with what the corpus indexes need.

        The records stay as decoded (their quotes possibly still raw JSON): no
        per-event object is made here, and the checks run over whole columns
        (distinct dates, the set of referenced actors), so that a million
        events open in seconds.  Only records with something to report take
        the slow path, one by one.  Columns are made with ``map`` and
        ``sorted`` over bound methods, which run in C: on a slow machine, a
        loop of ours over a million records costs a quarter of a second.

        """
        texts = list(map(_DATE_OF, records))
        tally = Counter(texts)  # the distinct dates, and how many events have each
        parsed = parse_dates(tally)  # None for a text that is not a date: reported below
        # Timeline order: by the rank of the date (an int), then by id within
        # runs of one date only.  Records with a bad date are dropped below.
        distinct = sorted({d for d in parsed.values() if d is not None}, key=_date_order)
        indices, unique, ids = self.unique_events(records)
        if unique is not records:  # records with a duplicate id were dropped
            records = unique
            texts = list(map(_DATE_OF, records))
            tally = Counter(texts)
        n = len(records)
        # Bad or qualified-without-note dates: the slow path, per record.
        suspicious = {t for t, d in parsed.items() if d is None or d.approximate or d.uncertain}
        drop: set[int] = set()
        if suspicious:
            for k in compress(range(n), map(suspicious.__contains__, texts)):
                rec = records[k]
                date = parsed[texts[k]]
                if date is not None and rec.date_note:
                    continue  # a qualified date with its note: nothing to say
                i = k if indices is None else indices[k]
                if self.check_event(i, rec, date, actors, check_actors=False) is None:
                    self.orphan_records.append((i, rec))  # its quotes are still checked
                    drop.add(k)
        if drop:  # exactly the records whose date does not parse: none of them has a date in ``distinct``
            keep = [k for k in range(n) if k not in drop]
            records = list(map(records.__getitem__, keep))
            texts = list(map(texts.__getitem__, keep))
            indices = keep if indices is None else list(map(indices.__getitem__, keep))
            ids = list(map(ids.__getitem__, keep))
            n = len(records)
        rank_of_date = {d.text: r for r, d in enumerate(distinct)}
        rank = list(map(rank_of_date.__getitem__, texts))
        del texts
        order = sorted(range(n), key=rank.__getitem__)
        start = 0
        by_id = ids.__getitem__
        counts = [tally[d.text] for d in distinct]
        for count in counts:
            if count > 1:
                run = order[start:start + count]
                run.sort(key=by_id)
                order[start:start + count] = run
            start += count
        # The actor index, filled in file order (records lie in memory in that
        # order: walking them in timeline order would cost twice as much) at
        # timeline positions, then each list sorted.
        position = [0] * n
        for p, k in enumerate(order):
            position[k] = p
        lists: defaultdict[str, list[int]] = defaultdict(list)
        for p, named in zip(position, map(_ACTORS_OF, records)):
            for actor in named:
                lists[actor].append(p)
        del position
        by_actor: dict[str, list[int]] = dict(lists)
        del lists
        for actor, lst in by_actor.items():
            lst.sort()
            if len(lst) > 1 and len(set(lst)) != len(lst):  # an actor named twice in one event
                by_actor[actor] = sorted(set(lst))
        records = list(map(records.__getitem__, order))
        indices = order if indices is None else list(map(indices.__getitem__, order))
        dates = list(map(distinct.__getitem__, map(rank.__getitem__, order)))
        ids = list(map(by_id, order))
        # References to unknown actors fall out as a set difference.
        unknown = by_actor.keys() - actors.keys()
        if unknown:
            bad_positions = sorted({p for a in unknown for p in by_actor.pop(a)})
            for p in bad_positions:
                self.check_event(indices[p], records[p], dates[p], actors, check_dates=False)
                records[p].actors = [a for a in records[p].actors if a in actors]
        return {"records": records, "dates": dates, "file_index": indices, "by_actor": by_actor, "ids": ids,
                "groups": _heading_groups(distinct, counts)}

    def unique_events(self, records: list) -> tuple[list[int] | None, list, list[str]]:
        """``unique`` for the events, as columns: indexes in the file (None when each
        record's is its index in ``records``), records, ids."""
        ids = list(map(_ID_OF, records))
        distinct = set(ids)
        if len(distinct) == len(ids):
            declared = self.declared.get("events")
            self.declared["events"] = distinct if declared is None else declared | distinct
            return self.indices.get("events"), records, ids
        pairs = self.unique("events", records, "event")
        return [i for i, _ in pairs], [rec for _, rec in pairs], [rec.id for _, rec in pairs]

    def check_event(self, i: int, rec, date: EDTFDate | None, actors: dict[str, Actor], *,
                    check_dates: bool = True, check_actors: bool = True) -> EDTFDate | None:
        """The slow path of an event with something to report."""
        where = self.where("events", i, rec.id)
        line = self.line("events", i)
        if check_dates and date is None:
            date = self.parse_date(rec.date, self.where_sub(where, ".date"), line)
        if check_actors:
            declared = self.declared.get("actors", set())
            for j, a in enumerate(rec.actors):
                if a not in actors and a not in declared:
                    self.problem(self.where_sub(where, f".actors[{j}]"), f"unknown actor {a!r}",
                                 _did_you_mean(a, actors, "add it to \"actors\""), line=line, code="ref")
        if date is None:
            return None
        if check_dates and (date.approximate or date.uncertain) and not rec.date_note.strip():
            self.problem(self.where_sub(where, ".date"), f"the date {rec.date!r} is qualified but has no date_note",
                         'say in "date_note" what the date rests on', line=line, severity="warning", code="date-note")
        return date

    def build_claims(self, records: list[schema.Claim], documents: dict[str, Document]) -> dict[str, Claim]:
        claims: dict[str, Claim] = {}
        for i, rec in self.unique("claims", records, "claim"):
            where = self.where("claims", i, rec.id)
            line = self.line("claims", i)
            claim = Claim(rec.id, rec.about, (), (), i, bool(rec.events))
            statements = []
            for j, st in enumerate(rec.statements):
                statement = self.quote(st, documents, self.where_sub(where, f".statements[{j}]"), line, claim, j, Statement, value=st.value)
                if statement is not None:
                    statements.append(statement)
            claim.statements = tuple(statements)
            declared = self.declared.get("events", set())
            for j, e in enumerate(rec.events):
                if e not in self.event_ids and e not in declared:
                    self.problem(self.where_sub(where, f".events[{j}]"), f"unknown event {e!r}", _did_you_mean(e, self.event_ids, "check the event id"), line=line, code="ref")
            if len(rec.statements) < 2:
                self.problem(self.where_sub(where, ".statements"), "a claim with one statement shows no disagreement",
                             "add the other sources' versions", line=line, severity="warning", code="claim")
            elif len(docs := {st.doc for st in rec.statements}) == 1:
                self.problem(self.where_sub(where, ".statements"),
                             f"every statement is quoted from one document ({next(iter(docs))!r}): one source's "
                             "versions show no disagreement between sources",
                             "add the version of another document that reports it; if none differs, quote the "
                             "passages in the event instead", line=line, severity="warning", code="claim-one-source")
            claim.events = tuple(e for e in dict.fromkeys(rec.events) if e in self.event_ids)
            claims[rec.id] = claim
        return claims

    def build_periods(self, records: list[schema.Period]) -> list[Period]:
        periods = []
        for i, rec in self.unique("periods", records, "period"):
            date = self.parse_date(rec.date, f"{self.where('periods', i, rec.id)}.date", self.line("periods", i))
            if date is not None:
                periods.append(Period(rec.id, rec.title, date))
        return periods



class _Orphan:
    """The event of a quote whose event could not be built (its own problem was reported)."""

    __slots__ = ("id", "index")

    def __init__(self, id: str, index: int) -> None:
        self.id, self.index = id, index


def _date_order(date: EDTFDate) -> tuple:
    return date.sort_key


_ID_OF = attrgetter("id")
_DATE_OF = attrgetter("date")
_ACTORS_OF = attrgetter("actors")
_TYPE_OF = attrgetter("type")

_CHUNK = 4096  # records decoded at once


def _decode_records(raws: list[msgspec.Raw]) -> list:
    return _RECORDS_DECODER.decode(b"[" + b",".join(raws) + b"]")


_RECORDS_DECODER = msgspec.json.Decoder(list[schema.LeanEvent])
_KEYS_DECODER = msgspec.json.Decoder(list[schema.EventKeys])
_KEYS_CHUNK = 4_096  # events' keys decoded at once
_KEYS_PROGRESS = 32 * _KEYS_CHUNK  # events between two reports of progress


class RawRecords(Sequence):
    """Event records kept as their raw JSON, each decoded when asked for.

    The records were checked, all of them, when the corpus was loaded; a
    record decoded here is dropped again (the corpus keeps the events it
    makes).  Iterating decodes them by chunks, in C.
    """

    __slots__ = ("_raws", "_decode")

    def __init__(self, raws: list[msgspec.Raw]) -> None:
        self._raws = raws
        self._decode = msgspec.json.Decoder(schema.LeanEvent).decode

    def __len__(self) -> int:
        return len(self._raws)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return _decode_records(self._raws[i])
        return self._decode(self._raws[i])

    def __iter__(self) -> Iterator:
        raws = self._raws
        for start in range(0, len(raws), _CHUNK):
            yield from _decode_records(raws[start:start + _CHUNK])


def _events_valid(data: bytes, raws: list[msgspec.Raw], wanted: Callable[[], bool] | None = None) -> bool:
    """Is the file UTF-8 throughout, and is each event record a valid ``LeanEvent``?
    ``wanted()`` is asked between chunks: once it says no, the answer is no too."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), 1 << 22):
            utf8.decode(view[start:start + (1 << 22)])
        utf8.decode(b"", final=True)
        for start in range(0, len(raws), _CHUNK):
            if wanted is not None and not wanted():
                return False
            _decode_records(raws[start:start + _CHUNK])
    except (UnicodeDecodeError, msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return False
    finally:
        view.release()
    return True


def _heading_groups(distinct: list[EDTFDate], counts: list[int]) -> list[tuple[tuple[int, int], int, int]]:
    """Runs of timeline positions under one (year, month) heading, worked out per distinct
    date (``counts[r]`` events have the date ``distinct[r]``)."""
    from .corpus import heading_key

    groups: list[tuple[tuple[int, int], int, int]] = []
    position = 0
    last = None
    start = 0
    for date, n in zip(distinct, counts):
        if not n:
            continue
        key = heading_key(date)
        if key != last:
            if last is not None:
                groups.append((last, start, position))
            last, start = key, position
        position += n
    if last is not None:
        groups.append((last, start, position))
    return groups


def _reaches(actors: dict[str, Actor], start: str, target: str) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == target:
            return True
        if node in seen or node not in actors:
            continue
        seen.add(node)
        stack.extend(actors[node].members)
    return False


def _did_you_mean(value: str, known: Iterable[str], otherwise: str) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else otherwise


class _LineFinder:
    """The lines of pieces of a file's bytes, asked for in the order they appear: one pass."""

    def __init__(self, data: bytes | bytearray) -> None:
        self.data, self.pos, self.line = data, 0, 1

    def of(self, piece: msgspec.Raw) -> int | None:
        at = self.data.find(bytes(piece), self.pos)
        if at == -1:
            return None
        self.line += self.data.count(b"\n", self.pos, at)
        self.pos = at
        return self.line


def _strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every string in a decoded JSON value (``.quotes[0].exact``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f".{key}" if isinstance(key, str) and key.isidentifier() else f"[{msgspec.json.encode(key).decode()}]"
            yield from _strings(item, path + name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _preview(value: object) -> str:
    text = msgspec.json.encode(value).decode() if not isinstance(value, str) else repr(value)
    return text if len(text) < 60 else text[:57] + "…"


_VALIDATION_PATTERNS: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"Object missing required field `(\w+)`"), lambda m, s, p: (f"required field {m[1]!r} is missing", f"add {m[1]!r}")),
    (re.compile(r"Object contains unknown field `([^`]*)`"), lambda m, s, p: (
        f"unknown field {m[1]!r}",
        _unknown_field_hint(m[1], s, p))),
    (re.compile(r"Expected `(\w+)`, got `(\w+)`"), lambda m, s, p: (
        f"expected {_JSON_TYPE_NAMES.get(m[1], m[1])}, got {_JSON_TYPE_NAMES.get(m[2], m[2])}", "change the value's type")),
    (re.compile(r"Expected `str` matching regex"), lambda m, s, p: (
        "not a valid id", "ids start with a letter or digit and use only letters, digits, '_', '.', ':' and '-'")),
    (re.compile(r"Expected `str` of length >= 1"), lambda m, s, p: ("must not be empty", "fill it in")),
    (re.compile(r"Expected `array` of length >= 1"), lambda m, s, p: ("must not be empty", "add at least one entry")),
    (re.compile(r"Invalid enum value '([^']*)'"), lambda m, s, p: (
        f"{m[1]!r} is not allowed here", "kind is one of: " + ", ".join(schema.ACTOR_KINDS) if p.endswith(".kind") else "use one of the documented values")),
    (re.compile(r"Expected `(float|int)` (>=|<=) ([\d.]+)"), lambda m, s, p: (f"must be {m[2]} {m[3]}", "confidence is between 0 and 1")),
]


def _unknown_field_hint(name: str, section: str, path: str) -> str:
    record = {
        "documents": schema.Document, "actors": schema.Actor, "events": schema.Event,
        "claims": schema.Claim, "periods": schema.Period,
    }[section]
    if re.search(r"\.(quotes|statements)\[\d+\]$", path):
        record = schema.Statement if ".statements[" in path else schema.Quote
    elif re.search(r"\.exclude\[\d+\]$", path):
        record = schema.Exclusion
    fields = record.__struct_fields__
    close = difflib.get_close_matches(name, fields, n=1)
    return f"did you mean {close[0]!r}?" if close else f"remove it; known fields: {', '.join(fields)}"


def _explain_validation(text: str, section: str, path: str) -> tuple[str, str]:
    for pattern, explain in _VALIDATION_PATTERNS:
        m = pattern.search(text)
        if m:
            return explain(m, section, path)  # type: ignore[operator]
    return text, "see docs/corpus-format.md"
