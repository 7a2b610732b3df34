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
import gc
import heapq
import os
import re
import select
import signal
import stat
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from operator import attrgetter
from pathlib import Path, PurePosixPath

import msgspec

from . import schema
from .anchoring import LineIndex
from .corpus import Actor, Claim, Corpus, Document, Period, Quote, Statement
from .dates import DateError, EDTFDate, parse_dates, parse_edtf
from .errors import CorpusError, Problem
from .jsonspans import top_level_spans
from .textfold import fold

__all__ = ["load_corpus", "resolve_corpus_path", "CORPUS_FILE", "ReadAhead", "stop_checking"]

CORPUS_FILE = "corpus.json"
_MEMBER_KINDS = {"coalition", "organisation", "group", "other"}
_JSON_TYPE_NAMES = {
    "str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
    "object": "an object", "array": "an array", "null": "null",
}


def resolve_corpus_path(source: str | os.PathLike[str],
                        progress: Callable[[int, int, int], None] | None = None) -> tuple[Path, Path]:
    """``(corpus folder, corpus file)`` for a folder or a ``corpus.json`` path.

    A TimelineJS file or a CSV table is converted into a corpus folder in the
    user's cache (see ``conversions``), and that folder is returned; the
    conversion reports ``progress(bytes read, total bytes, rows)`` when it
    can.  Raises :class:`CorpusError` when there is no such file or folder,
    or when a converted file has problems (located in that file).
    """
    path = Path(source)
    try:
        if path.is_file():
            from .filekinds import kind_of

            kind = kind_of(path)
            if kind is not None:
                from .conversions import converted_corpus

                folder = converted_corpus(path, kind, progress)
                return folder, folder / CORPUS_FILE
        if path.is_dir():
            file = path / CORPUS_FILE
            if not file.is_file():
                raise CorpusError([Problem(
                    str(path), "", f"this folder has no {CORPUS_FILE}",
                    f"give a folder that contains {CORPUS_FILE}, or the path of a corpus file "
                    "(the format is described in docs/corpus-format.md)", code="io",
                )])
            return path, file
        if path.is_file():
            return path.parent, path
    except OSError as exc:
        raise CorpusError([Problem(str(path), "", f"cannot be opened: {exc.strerror or exc}", "check the path and its permissions", code="io")]) from None
    raise CorpusError([Problem(str(path), "", "no such file or folder", "check the path; a corpus is a folder with a corpus.json", code="io")])


Progress = Callable[[str, float | None], None]

# Up to this many events, a corpus is checked (every quote anchored) before it is
# shown; a larger one is shown at once and checked in the background.
EAGER_VERIFY_EVENTS = 20_000


def load_corpus(source: str | os.PathLike[str], *, allow_unanchored: bool = False, verify: bool = True,
                progress: Progress | None = None, use_cache: bool = False,
                preview: Callable[[Corpus], None] | None = None, read_ahead: ReadAhead | None = None) -> Corpus:
    """Load and validate a corpus (a folder, or the path of its ``corpus.json``).

    With ``allow_unanchored``, quotes that no longer match their documents do
    not stop the load: they stay unanchored and are listed in
    ``corpus.problems``.  Every other problem raises :class:`CorpusError`.

    With ``verify=False`` the documents are not read and no quote is anchored
    yet: the caller runs ``corpus.verify()`` later (the app does, in the
    background, so that a very large corpus shows at once).

    ``progress(phase, fraction)`` is called as the load goes (fraction None
    while a phase cannot tell).  With ``use_cache``, a valid compiled cache
    of the corpus (see ``cache``) is opened instead of parsing the JSON.

    ``preview(corpus)`` is called, from the loading thread, as soon as the
    first events in timeline order are known, which is long before the whole
    corpus is indexed: ``corpus`` then holds just those events (at most
    ``PREVIEW_EVENTS``), so that a caller can show the top of the timeline
    while the rest loads.  It is called at most once, only when the file is
    well-formed JSON of the corpus's shape (the raw load), and never when
    what it would show could be wrong: one of those events naming an
    unknown actor or document, or a record of theirs that does not decode.
    The rest of the file is checked after, as always: a corpus that showed
    its first events can still fail to load.

    ``read_ahead`` is the file being read already (see ``ReadAhead``): its
    bytes are used, once, instead of reading the file again.
    """
    gc_was_enabled = gc.isenabled()
    # Loading creates millions of objects and frees almost none: the cyclic
    # collector would only rescan them again and again.
    gc.disable()
    try:
        root, file = resolve_corpus_path(source)
        corpus = None
        if use_cache:
            from .cache import open_cached

            corpus = open_cached(root, file, thorough=True)
            if corpus is not None and verify and not corpus.verified:
                corpus.verify()
            if corpus is not None and corpus.verified:
                if any(not (allow_unanchored and p.is_anchor_problem) for p in corpus.errors):
                    raise CorpusError(corpus.problems)
        if corpus is None:
            corpus = _Loader(root, file, progress, preview, read_ahead).load(allow_unanchored, verify)
        note_origin(corpus, source, root)
    except CorpusError:
        raise
    except RecursionError:
        raise CorpusError([Problem(str(source), "", "the corpus is nested too deeply to read", "flatten the JSON structure", code="json")]) from None
    except MemoryError:
        raise CorpusError([Problem(str(source), "", "the corpus is too large for the memory available", "", code="io")]) from None
    except Exception as exc:  # pragma: no cover - a bug; still never a traceback
        raise CorpusError([Problem(str(source), "", f"internal error while loading: {type(exc).__name__}: {exc}",
                                   "please report this with the corpus that caused it", code="internal")]) from None
    finally:
        if gc_was_enabled:
            gc.enable()
    if len(corpus.events) >= FREEZE_THRESHOLD:
        # A big corpus lives as long as the process: move it out of the
        # collector's sight so that later collections stay short.
        gc.freeze()
    return corpus


FREEZE_THRESHOLD = 50_000


def read_file(file: Path, progress: Progress | None = None, chunk: int = 16 << 20) -> bytes | bytearray:
    """The file's bytes: a large file is read in place into one buffer, chunk by chunk
    (with progress), not read in parts and then joined, which copies it all once more."""
    with open(file, "rb", buffering=0) as handle:
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


def is_converted(source: str | os.PathLike[str], root: Path) -> bool:
    """Did ``resolve_corpus_path(source)`` give ``root`` by converting another format (TimelineJS, CSV)?"""
    path = Path(source)
    return not path.is_dir() and root != path.parent


def note_origin(corpus: Corpus, source: str | os.PathLike[str], root: Path) -> None:
    """A corpus converted from another tool's file names that file as its ``origin`` (reloads re-convert it)."""
    if is_converted(source, root):
        from .conversions import adopt_conversion

        adopt_conversion(corpus, Path(source))


def _line_col_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(data)))
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


class _Locator:
    """Line numbers of records in corpus.json, for diagnostics.

    Records are found structurally: the top-level object is walked with the
    standard library's JSON scanner, one array element at a time, giving the
    offset of every record by its index.  Done only when a problem needs a
    line, once, and cheap in memory (each element is decoded and dropped).
    """

    def __init__(self, text: str | None, file: Path) -> None:
        self._text = text
        self.file = file
        self._lines: LineIndex | None = None
        self._records: dict[str, list[int]] | None = None

    @property
    def text(self) -> str:
        if self._text is None:  # released after loading; problems found later re-read it
            try:
                self._text = self.file.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._text = ""
        return self._text

    def release(self) -> None:
        """Forget the text (and the indexes into it) until a problem needs them again."""
        self._text = None
        self._lines = None
        self._records = None

    def _scan(self) -> dict[str, list[int]]:
        """Where each record of each section starts (only sections that are arrays)."""
        if self._records is None:
            spans = top_level_spans(self.text, schema.SECTIONS)
            self._records = {key: [start for start, _ in items] for key, items in spans.items()
                             if isinstance(items, list)}
        return self._records

    def line(self, section: str, index: int, exact: str | None = None) -> int | None:
        offsets = self._scan().get(section)
        if not offsets or not 0 <= index < len(offsets):
            return None
        offset = offsets[index]
        end = offsets[index + 1] if index + 1 < len(offsets) else len(self.text)
        if exact:
            for form in (msgspec.json.encode(exact).decode(), _ascii_json(exact)):
                pos = self.text.find(form, offset, end)
                if pos != -1:
                    offset = pos
                    break
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines.line_col(offset)[0]


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
                 preview: Callable[[Corpus], None] | None = None, read_ahead: ReadAhead | None = None) -> None:
        self.root = root
        self.file = file
        self.read_ahead = read_ahead
        self.progress = progress or (lambda phase, fraction: None)
        self.preview = preview
        self.previewed = False  # given (or found wrong): at most once
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
        fast = _Loader(self.root, self.file, self.progress, self.preview)  # (the bytes are read)
        corpus = fast.load_raw(data, allow_unanchored, verify)
        if corpus is not None:
            return corpus
        # Something is wrong with the corpus: find and locate every problem.
        parsed = self.decode(data)
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
        (``schema.EventKeys``).  The records are checked in full all the
        same, on the second core when there are many (see
        ``_Checker``).  At the first error the caller loads the corpus
        again the usual way, which finds and locates every problem; warnings
        and problems of anchoring are found here as there.
        """
        if data.startswith(b"\xef\xbb\xbf"):
            data = memoryview(data)[3:]  # not a copy of the whole file
        # Started first: with many records, a child looks for the first events
        # from the dates alone while this process decodes the rest.
        checker = _Checker(data, PREVIEW_EVENTS if self.preview is not None else 0)
        try:
            try:
                f = msgspec.json.decode(data, type=schema.RawEventsCorpusFile)
            except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
                return None
            self.locator = _Locator(None, self.file)
            documents = self.build_documents(f.documents)
            actors = self.build_actors(f.actors)
            # The first events can be shown as soon as the child has found them.
            keys = self.decode_keys(f.events, lambda: self.preview_found(checker, f, documents, actors, f.events, False))
            if not self.previewed:
                self.preview_found(checker, f, documents, actors, f.events, True)
            self.progress("indexing", None)
            corpus = self.build(f, keys, f.events, documents, actors)
            del keys
            if not checker.verdict(f.events) or corpus is None or any(p.severity == "error" for p in self.problems):
                return None
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
            return None
        finally:
            checker.close()  # never leave the child running, or unwaited for
        return self.finish(corpus, allow_unanchored, verify)

    def decode_keys(self, raws: list[msgspec.Raw], between: Callable[[], bool] | None = None) -> list:
        """The events' keys (``schema.EventKeys``), decoded from their raw records a chunk
        at a time: each chunk holds the interpreter for ~5 ms, where decoding them from
        the whole file at once held it for 0.7 s at a million events, during which the
        interface could not answer a key. It costs ~0.1 s more there; the bar moves.
        ``between()`` is called after each chunk until it returns True."""
        n = len(raws)
        keys: list = []
        for start in range(0, n, _KEYS_CHUNK):
            keys += _KEYS_DECODER.decode(b"[" + b",".join(raws[start:start + _KEYS_CHUNK]) + b"]")
            if n > _KEYS_PROGRESS and start % _KEYS_PROGRESS == 0:
                self.progress("decoding", start / n)
            if between is not None and between():
                between = None
        return keys

    def preview_found(self, checker: _Checker, f, documents: dict[str, Document], actors: dict[str, Actor],
                      raws: list[msgspec.Raw], wait: bool) -> bool:
        """Give the preview of the first events the checking child found, once it has
        answered (without ``wait``, False while it has not)."""
        if self.previewed:
            return True
        answered, found = checker.first_events(wait)
        picks = None if found is None else _found_in_order(found, raws, PREVIEW_EVENTS)
        if picks is not None:
            self.give_preview(f, documents, actors, raws, picks)
        return answered

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
            self.problem("", f"the top level is {_json_type(raw)}, not an object",
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
            self.problem("description", f"expected a string, got {_json_type(description)}",
                         'write the description as text: "description": "…"', code="schema")
            description = ""
        sections: dict[str, list] = {}
        for section, record_type in schema.SECTIONS.items():
            items = raw.get(section, [])
            if not isinstance(items, list):
                self.problem(section, f"expected an array of {section}, got {_json_type(items)}",
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
        preview = None
        if raws is not None and self.preview is not None and not self.previewed:
            def preview(picks: list[int]) -> None:
                self.give_preview(f, documents, actors, raws, picks)
        built = self.build_events(f.events if events is None else events, actors, preview)
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
            data = doc.file.read_bytes()
        except FileNotFoundError:
            self.problem(location, f"document file {shown} does not exist", self.missing_hint(doc.file), line=line, code="document")
            return None
        except IsADirectoryError:
            self.problem(location, f"{shown} is a folder, not a document", "point to the text file", line=line, code="document")
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
        """Is the document there and a readable file?  (Its text is read later, by verify.)"""
        try:
            mode: int | None = os.stat(file).st_mode
        except (OSError, ValueError):
            mode = None
        if mode is not None and not stat.S_ISDIR(mode) and os.access(file, os.R_OK):
            return True
        shown = str(Path(self.shown).parent / file.relative_to(self.root))
        if mode is None:
            self.problem(location, f"document file {shown} does not exist", self.missing_hint(file), line=line, code="document")
        elif stat.S_ISDIR(mode):
            self.problem(location, f"{shown} is a folder, not a document", "point to the text file", line=line, code="document")
        else:
            self.problem(location, f"document {shown} cannot be read: permission denied", "check its permissions",
                         line=line, code="document")
        return False

    def build_actors(self, records: list[schema.Actor]) -> dict[str, Actor]:
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

    def build_events(self, records: list, actors: dict[str, Actor],
                     preview: Callable[[list[int]], None] | None = None) -> dict:
        """Dated, checked event records in timeline order, with what the corpus indexes need.

        The records stay as decoded (their quotes possibly still raw JSON): no
        per-event object is made here, and the checks run over whole columns
        (distinct dates, the set of referenced actors), so that a million
        events open in seconds.  Only records with something to report take
        the slow path, one by one.  Columns are made with ``map`` and
        ``sorted`` over bound methods, which run in C: on a slow machine, a
        loop of ours over a million records costs a quarter of a second.

        ``preview(picks)`` is given the first events in timeline order
        (indexes into ``records``) as soon as the dates are parsed, before
        the rest of the work.
        """
        texts = list(map(_DATE_OF, records))
        tally = Counter(texts)  # the distinct dates, and how many events have each
        parsed = parse_dates(tally)  # None for a text that is not a date: reported below
        # Timeline order: by the rank of the date (an int), then by id within
        # runs of one date only.  Records with a bad date are dropped below.
        distinct = sorted({d for d in parsed.values() if d is not None}, key=_date_order)
        if preview is not None:
            preview(_in_id_order(_date_groups(texts, distinct[:PREVIEW_EVENTS], PREVIEW_EVENTS), PREVIEW_EVENTS,
                                 lambda k: records[k].id))
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

    def give_preview(self, f, documents: dict[str, Document], actors: dict[str, Actor], raws: list[msgspec.Raw],
                     picks: list[int]) -> None:
        """Hand the preview of the events ``picks`` over (once), unless it could be wrong."""
        self.previewed = True
        corpus = self.preview_corpus(f, documents, actors, raws, picks)
        if corpus is not None:
            self.preview(corpus)  # type: ignore[misc]

    def preview_corpus(self, f, documents: dict[str, Document], actors: dict[str, Actor],
                       raws: list[msgspec.Raw], picks: list[int]) -> Corpus | None:
        """A corpus of just the events ``picks`` (the first in timeline order): the top of
        the timeline, shown while the rest loads.  None when it could show something the
        loaded corpus will not: the whole file is checked later, these records now."""
        try:
            decoded = [_EVENT_DECODER.decode(raws[k]) for k in picks]
        except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
            return None
        if any(a not in actors for rec in decoded for a in rec.actors):
            return None  # the load reports it; the timeline would have no name to show
        dates = [self.parse_date_fast(rec.date) for rec in decoded]
        if None in dates:
            return None
        claims: dict[str, Claim] = {}
        for i, rec in enumerate(f.claims):
            if rec.id not in claims:  # the marks of disagreement need the claims' events only
                claims[rec.id] = Claim(rec.id, rec.about, (), tuple(dict.fromkeys(rec.events)), i, bool(rec.events))
        periods = [Period(rec.id, rec.title, date) for rec in f.periods
                   if (date := self.parse_date_fast(rec.date)) is not None]
        problems: list[Problem] = []
        corpus = Corpus(
            title=f.title, description=f.description, root=self.root, file=self.file,
            documents=documents, actors=actors, records=decoded, dates=dates, file_index=picks,  # type: ignore[arg-type]
            claims=claims, periods=sorted(periods, key=lambda p: (p.date.sort_key, p.id)), problems=problems,
            reader=self.read_text,
        )
        for _ in corpus.events:  # every event made here, in the loading thread
            pass
        return None if problems else corpus

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

    def parse_date_fast(self, value: str) -> EDTFDate | None:
        try:
            return parse_edtf(value)
        except DateError:
            return None

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

_MISSING = object()


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

# How many of the first events a preview of the timeline holds: more than a
# screen of the tallest terminal shows.
PREVIEW_EVENTS = 200

# From a file this large (some 40,000 events), the records are checked by a child
# process, in parallel with the indexing.
PARALLEL_CHECK_BYTES = 16 << 20
_CHUNK = 4096  # records decoded at once


def _decode_records(raws: list[msgspec.Raw]) -> list:
    return _RECORDS_DECODER.decode(b"[" + b",".join(raws) + b"]")


_RECORDS_DECODER = msgspec.json.Decoder(list[schema.LeanEvent])
_EVENT_DECODER = msgspec.json.Decoder(schema.LeanEvent)
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


class _Checker:
    """The check of the event records (``_events_valid``) and, when asked, the search
    for the first ``first`` events in timeline order (``_first_events``).

    With a large file and where processes can fork, a child process does
    both on another core, started as soon as the file is read: it shares
    the file's bytes with this one (copy on write), finds the first events
    from the dates alone and sends them through a pipe while this process
    is still decoding the records, then checks the records, holding one
    chunk of decoded records at a time, and answers with its exit status.
    A child that dies for any other reason answers "not valid": the corpus
    is then loaded the usual way, which finds what is wrong, if anything.
    Otherwise the records are checked here, when the verdict is asked for,
    and no first events are found here (the caller finds them as it orders
    the events).
    """

    def __init__(self, data: bytes, first: int = 0) -> None:
        self._data = data
        self._pid = -1
        self._reader = None  # the pipe of the first events, until the child has answered
        self._first: tuple[int, list[list[int]]] | None = None
        self._valid: bool | None = None
        if len(data) >= PARALLEL_CHECK_BYTES and hasattr(os, "fork"):
            self._fork(data, first)

    def _fork(self, data: bytes, first: int) -> None:
        pipe = None
        if first:
            try:
                pipe = os.pipe()
            except OSError:
                pipe = None
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:  # the child: answer, and leave without running any cleanup of the parent's
            parent = os.getppid()
            try:
                if pipe is not None:
                    os.close(pipe[0])
                    try:
                        found = _first_events(data, first)
                    except Exception:
                        found = None
                    message = b"" if found is None else msgspec.json.encode(found)
                    with open(pipe[1], "wb", closefd=True) as out:
                        out.write(message)
                try:
                    raws = msgspec.json.decode(data, type=schema.RawEventsCorpusFile).events
                except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
                    os._exit(1)
                # An orphan stops: its parent ended (or was killed) mid-load.
                code = 0 if _events_valid(data, raws, lambda: os.getppid() == parent) else 1
            except BaseException:
                code = 2
            os._exit(code)
        if pipe is not None:
            os.close(pipe[1])
            if pid > 0:
                self._reader = open(pipe[0], "rb", closefd=True)
            else:
                os.close(pipe[0])
        self._pid = pid
        if pid > 0:
            _CHECKING.add(pid)

    def first_events(self, wait: bool = True) -> tuple[bool, tuple[int, list[list[int]]] | None]:
        """(answered, what the child found or None): without ``wait``, (False, None)
        while the child is still looking.  What it found is the number of events in
        the file and the indexes of the events of the earliest dates, a list per
        date in timeline order (see ``_first_events``)."""
        reader = self._reader
        if reader is not None:
            if not wait and not select.select([reader], [], [], 0)[0]:
                return False, None
            with reader:
                message = reader.read()
            self._reader = None
            try:
                self._first = msgspec.json.decode(message, type=tuple[int, list[list[int]]]) if message else None
            except msgspec.DecodeError:
                self._first = None
        return True, self._first

    def verdict(self, raws: list[msgspec.Raw]) -> bool:
        """Are the file's text and every event record (``raws``) valid? (Waits for the child.)"""
        if self._valid is None:
            self._close_reader()  # a child blocked on a pipe nobody reads would never end
            if self._pid <= 0:
                self._valid = _events_valid(self._data, raws)
            else:
                self._valid = self._wait()
        return self._valid

    def close(self) -> None:
        """Stop the child if it has not answered yet (its verdict is no longer wanted), and wait for it."""
        self._close_reader()
        if self._pid > 0 and self._valid is None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            self._valid = self._wait()
        self._data = None

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _wait(self) -> bool:
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            return False
        finally:
            _CHECKING.discard(self._pid)
        return os.waitstatus_to_exitcode(status) == 0


# The children checking records now (their process ids).
_CHECKING: set[int] = set()


def stop_checking() -> None:
    """Stop the children that check records, for a process that ends mid-load: they
    would go on for a second or two, orphans, in the terminal the user is back in."""
    for pid in list(_CHECKING):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _found_in_order(found: tuple[int, list[list[int]]], raws: list[msgspec.Raw], limit: int) -> list[int] | None:
    """Indexes of the first ``limit`` events in timeline order, from what the child
    found (``_first_events``) and the events' ids; None if it does not fit the
    records decoded here (or one of those records is wrong: the load says why)."""
    count, groups = found
    n = len(raws)
    if count != n or not all(0 <= k < n for group in groups for k in group):
        return None
    decode = _EVENT_ID_DECODER.decode
    try:
        return _in_id_order(groups, limit, lambda k: decode(raws[k]).id)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
        return None


def _date_groups(texts: list[str], dates: list[EDTFDate], limit: int) -> list[list[int]]:
    """Indexes of the events on the first of ``dates`` (in timeline order) that hold
    ``limit`` events, a list per date, given each event's date text: one pass over
    ``texts``.  ``dates`` start where the timeline does (each has an event at least,
    so the first ``limit`` of them are enough)."""
    wanted = {date.text: r for r, date in enumerate(dates[:limit])}
    groups: list[list[int]] = [[] for _ in wanted]
    for k in compress(range(len(texts)), map(wanted.__contains__, texts)):
        groups[wanted[texts[k]]].append(k)
    total = 0
    for r, group in enumerate(groups):
        total += len(group)
        if total >= limit:
            return groups[:r + 1]
    return groups


def _in_id_order(groups: list[list[int]], limit: int, id_of: Callable[[int], str]) -> list[int]:
    """The first ``limit`` of the events of ``_date_groups``: by date, then by id."""
    picks: list[int] = []
    for group in groups:
        if len(picks) >= limit:
            break
        picks += sorted(group, key=id_of)
    return picks[:limit]


_EVENT_ID_DECODER = msgspec.json.Decoder(schema.EventId)

# A plain year, month or day, maybe qualified, maybe the start of an interval:
# the earliest instant of such a date lies in the year of its first four digits
# (a season of a year too: "2019-24" is the winter of 2019).
_IN_ITS_YEAR = re.compile(r"[0-9]{4}(?:-[0-9]{2}){0,2}[~?%]?(?:/.*)?", re.DOTALL).fullmatch


def _earliest_dates(texts: Iterable[str], limit: int) -> list[EDTFDate]:
    """The first ``limit`` of the dates written ``texts`` (distinct), in timeline order
    (texts that are not dates are left out).

    Parsing every distinct date took most of the time of finding the first
    events (70,756 dates of a million events, 0.45 s): a date whose earliest
    instant lies in the year of its first digits (``_IN_ITS_YEAR``, the
    common forms) is parsed only if that year is among the earliest ones
    that hold ``limit`` dates; any other form is parsed, whatever it is.
    """
    by_year: dict[str, list[str]] = defaultdict(list)
    other: list[str] = []
    for text in texts:
        if _IN_ITS_YEAR(text):
            by_year[text[:4]].append(text)
        else:
            other.append(text)
    parsed = [date for date in parse_dates(other).values() if date is not None]
    # Any date of a later year comes after the ``limit`` dates of these years.
    found = 0
    for year in sorted(by_year):
        if found >= limit:
            break
        dates = [date for date in parse_dates(by_year[year]).values() if date is not None]
        parsed += dates
        found += len(dates)
    return heapq.nsmallest(limit, parsed, key=_date_order)


def _first_events(data: bytes, limit: int) -> tuple[int, list[list[int]]] | None:
    """How many events the file has, and the indexes of the events of the earliest
    dates that hold the first ``limit`` events, a list per date in timeline order;
    found from the dates alone. None if the dates do not decode."""
    try:
        dated = msgspec.json.decode(data, type=schema.DatesCorpusFile).events
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    texts = [event.date for event in dated]
    del dated
    return len(texts), _date_groups(texts, _earliest_dates(set(texts), limit), limit)


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


def build_from_cache_part(part, root: Path, file: Path):
    """Documents, actors, claims and periods from a compiled cache (checked when it was written)."""
    documents: dict[str, Document] = {}
    base = str(root)
    for rec in part.documents:
        published = parse_edtf(rec.published) if rec.published else None
        # The paths were checked (relative, inside the folder) when the cache was written.
        documents[rec.id] = Document(rec.id, rec.path, os.path.join(base, rec.path), rec.title, rec.outlet,
                                     published, rec.url, rec.note, rec.exclude,
                                     accessed=parse_edtf(rec.accessed) if rec.accessed else None)
    actors = {a.id: Actor(a.id, a.name, a.kind, tuple(a.aliases), tuple(a.members), a.affiliation, a.note)
              for a in part.actors}
    claims: dict[str, Claim] = {}
    for i, rec in enumerate(part.claims):
        claim = Claim(rec.id, rec.about, (), tuple(rec.events), i, bool(rec.events))
        claim.statements = tuple(Statement(documents[st.doc], st.exact, st.prefix, st.suffix, claim, j, value=st.value)
                                 for j, st in enumerate(rec.statements) if st.doc in documents)
        claims[rec.id] = claim
    periods = [Period(p.id, p.title, parse_edtf(p.date)) for p in part.periods]
    return documents, actors, claims, periods


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


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


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
