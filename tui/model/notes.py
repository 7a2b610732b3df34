"""What a researcher writes about a corpus: marks, notes and saved views.

They live in a sidecar file beside the corpus (``corpus.notes.json`` next to
``corpus.json``; ``FILE.notes.json`` next to an imported file such as a
TimelineJS ``FILE.json``), never inside ``corpus.json``.  When that folder is
not writable, or the corpus is the bundled one, the sidecar lives in the
user's data folder instead (``$XDG_DATA_HOME/timeline-explorer/notes/``, or
``$TIMELINE_EXPLORER_DATA``), under a name derived from the corpus's path; a
sidecar beside a corpus in a read-only folder is read, and the one in the
data folder starts from it.  A file beside the corpus that is not a sidecar
(another tool's ``FILE.notes.json``, a pipe, a device, a symbolic link) is
never read as one nor touched: the data folder is used instead.

Nothing written there is ever lost:

* every change is written at once, atomically (a temporary file renamed over
  the old one), so the file on disk is always a whole version;
* a change that cannot be written (disk full, permissions) stays in memory,
  is reported, and is written with the next change or retry;
* every change is merged into what is on disk *now*, under a lock, so two
  app instances on one corpus keep each other's marks and notes; when both
  changed the same note, both texts are kept;
* a damaged sidecar (it says it is one, but is not valid JSON) is set aside
  under a new name and reported, never overwritten; entries that do not fit
  the format (checked with msgspec, as the corpus's records are) are left
  out, and the file as it was is kept beside it;
* a session that ends with changes it could not write anywhere writes them
  to a new file (``rescue``) rather than lose them.

Marks and notes are keyed by event id, so they follow events through filter
changes and corpus edits; those of events no longer in the corpus are kept.

The file (``timeline-notes/1``)::

    {"format": "timeline-notes/1",
     "marks": {"EVENT_ID": {"at": "2026-11-22T10:00:00Z"}},
     "notes": {"EVENT_ID": {"text": "...", "updated": "2026-11-22T10:00:00Z"}},
     "views": {"NAME": {"actors": [...], "from": "2019-07", "to": null,
                        "types": [...], "search": "...", "saved": "..."}}}
"""

from __future__ import annotations

import contextlib
import copy
import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import msgspec

from .atomic import atomic_write_bytes
from .files import NOTES_LIMIT, check_output, describe_mode, read_regular
from .places import data_dir, path_key
from .corpus import Query
from .dates import DateError, parse_edtf

__all__ = ["NOTES_FORMAT", "NotesStore", "SaveResult", "notes_path", "query_from_view", "read_notes",
           "view_from_query"]

NOTES_FORMAT = "timeline-notes/1"
CONFLICT_SEPARATOR = "\n\n— also written in another session —\n\n"

try:  # POSIX: an advisory lock around read-merge-write
    import fcntl
except ImportError:  # pragma: no cover - Windows: the merge still runs, without the lock
    fcntl = None  # type: ignore[assignment]


def _beside(origin: Path) -> Path:
    return origin.with_name(origin.stem + ".notes.json")


def _private(origin: Path) -> Path:
    return data_dir() / "notes" / f"{origin.parent.name or 'corpus'}-{path_key(origin)}.notes.json"


def sidecar_files(origin: Path) -> dict[Path, str]:
    """Every place the marks and notes of the corpus opened from ``origin`` may be kept."""
    origin = Path(origin).resolve()
    return {_beside(origin): "the marks and notes of this corpus", _private(origin): "the marks and notes of this corpus"}


def notes_path(origin: Path, *, bundled: bool = False) -> Path:
    """Where the sidecar of the corpus opened from ``origin`` is written (see the module's docstring)."""
    origin = Path(origin).resolve()
    if not bundled and os.access(origin.parent, os.W_OK):
        return _beside(origin)
    return _private(origin)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _empty() -> dict:
    return {"format": NOTES_FORMAT, "marks": {}, "notes": {}, "views": {}}


class DamagedNotes(Exception):
    """The sidecar says it is a ``timeline-notes/1`` file but cannot be read as one."""


class ForeignFile(Exception):
    """The file at the sidecar's path is not a sidecar of marks and notes at all."""


# The shape of each entry, checked with msgspec as the corpus's records are; an entry
# that does not fit is left out (and the file as it was is kept, see ``NotesStore``).
class _Mark(msgspec.Struct):
    at: str = ""


class _Note(msgspec.Struct):
    text: str
    updated: str = ""


class _View(msgspec.Struct, rename={"date_from": "from", "date_to": "to"}):
    actors: list[str] = []
    date_from: str | None = None
    date_to: str | None = None
    types: list[str] = []
    search: str = ""
    saved: str = ""


_SECTIONS = {"marks": _Mark, "notes": _Note, "views": _View}
_MARKER = b'"timeline-notes/'


def _parse(data: bytes) -> tuple[dict, list[str]]:
    """The sidecar's content, and what in it did not fit the format (one phrase each).

    Raises ``ForeignFile`` for a file that is not a sidecar (it is never
    touched), ``DamagedNotes`` for one that says it is but cannot be read.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, as an editor may write
    try:
        doc = msgspec.json.decode(data, type=dict[str, msgspec.Raw])
    except msgspec.DecodeError as exc:
        if _MARKER in data:
            raise DamagedNotes(f"not valid JSON: {exc}") from None
        raise ForeignFile("it is not a JSON object") from None
    fmt = doc.get("format")
    try:
        fmt = msgspec.json.decode(fmt) if fmt is not None else None
    except msgspec.DecodeError:  # pragma: no cover - a Raw of a decoded file is valid JSON
        fmt = None
    if fmt != NOTES_FORMAT:
        if isinstance(fmt, str) and fmt.startswith("timeline-notes/"):
            raise DamagedNotes(f"format {fmt!r} is not {NOTES_FORMAT}, the one this version reads")
        raise ForeignFile(f"it is not a {NOTES_FORMAT} file")
    out = _empty()
    misfits = []
    for section, record in _SECTIONS.items():
        raw = doc.get(section)
        if raw is None:
            continue
        try:
            entries = msgspec.json.decode(raw, type=dict[str, msgspec.Raw])
        except (msgspec.DecodeError, msgspec.ValidationError):
            misfits.append(f"{section!r} is not an object")
            continue
        decoder = msgspec.json.Decoder(record)
        for key, value in entries.items():
            try:
                decoder.decode(value)
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                misfits.append(f"{section} {key!r}: {exc}")
                continue
            out[section][key] = msgspec.json.decode(value)
    return out, misfits


def read_notes(path: Path) -> tuple[dict[str, str], str]:
    """The notes in the sidecar at ``path``, read-only (event id → text), and a problem, if any.

    For exports: a missing sidecar has no notes; one that cannot be read or is
    damaged gives none, with the reason, and is left as it is (the app sets a
    damaged one aside when it opens the corpus).
    """
    try:
        data = read_regular(path, limit=NOTES_LIMIT, what="a file of marks and notes")
    except FileNotFoundError:
        return {}, ""
    except OSError as exc:
        return {}, f"cannot be read: {getattr(exc, 'hint', '') or exc.strerror or exc}; exported without the notes"
    try:
        parsed, misfits = _parse(data)
    except DamagedNotes as exc:
        return {}, f"is damaged ({exc}); exported without the notes"
    except ForeignFile as exc:
        return {}, f"is not a file of marks and notes ({exc}); exported without the notes"
    notes = {event_id: note["text"] for event_id, note in parsed["notes"].items() if note["text"].strip()}
    if misfits:
        return notes, f"is damaged in part ({'; '.join(misfits)}); exported without those entries"
    return notes, ""


class SaveResult(msgspec.Struct, frozen=True):
    """What happened to a change: written, or kept in memory with the reason."""

    saved: bool
    error: str = ""
    conflict: bool = False  # a note changed here and elsewhere: both versions kept
    set_aside: Path | None = None  # a damaged sidecar was moved here


class NotesStore:
    """The marks, notes and views of one corpus, kept in its sidecar file.

    ``path`` is where they are written; ``also`` a sidecar never written
    (the one beside a corpus in a folder this session cannot write to),
    whose marks, notes and views the sidecar at ``path`` starts from until
    it is first written.
    """

    def __init__(self, path: Path, also: Path | None = None) -> None:
        self.path = Path(path)
        self.also = also
        self.data = _empty()
        self._pending: list[Callable[[dict], bool]] = []  # changes not yet on disk
        self._stamp: tuple | None = None
        self.set_aside: Path | None = None  # where a damaged sidecar (or a copy of one) went when it was found
        self.load_error = ""
        self._blocked = ""  # why the file at ``path`` is never written over (empty: it may be)
        self._shared: dict | None = None  # what ``also`` holds

    # -- reading ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, also: Path | None = None) -> NotesStore:
        """The store of the sidecar at ``path``; problems end up in ``load_error``, never raised.

        A file there that cannot be read (permissions, a pipe, a device), or
        that is not a sidecar at all, is never written over: changes then
        stay in memory and each save says why.
        """
        store = cls(path, also)
        if also is not None:
            store._shared = store._read_shared(also)
        try:
            store._read_disk(initial=True)
        except (OSError, ForeignFile) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            store._blocked = f"{store.path} {_is(why)}, so it is left as it is and never written over"
            store.load_error = store._blocked
            store.data = store._with_shared(_empty())
        return store

    @classmethod
    def for_corpus(cls, origin: Path, *, bundled: bool = False) -> NotesStore:
        """The store of the corpus opened from ``origin`` (its folder, or the file it was converted from).

        Beside the corpus when its folder can be written (and it is not the
        bundled one), else in the user's data folder, reading the sidecar
        beside it too, if there is one.  A file beside it that is not a
        sidecar, or not a regular file, is left alone: the marks and notes
        go to the data folder, and ``load_error`` says why.
        """
        origin = Path(origin).resolve()
        beside, private = _beside(origin), _private(origin)
        usable, why = _usable(beside)
        if not bundled and os.access(origin.parent, os.W_OK) and usable:
            return cls.open(beside)
        shared = beside if usable and os.path.lexists(beside) else None
        store = cls.open(private, also=shared)
        if why:
            note = f"{beside} {_is(why)}: it is left as it is, and your marks and notes are kept in {private}"
            store.load_error = f"{note}; {store.load_error}" if store.load_error else note
        return store

    def _stat(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read_disk(self, *, initial: bool = False) -> dict | None:
        """The sidecar as it is on disk now: an empty one if missing, None if it was
        damaged (it is then set aside, and the caller goes on from what it had)."""
        try:
            data = read_regular(self.path, limit=NOTES_LIMIT, what="a file of marks and notes")
        except FileNotFoundError:
            parsed = self._with_shared(_empty())
            if initial:
                self.data = parsed
                self._stamp = None
            return parsed
        except OSError as exc:
            self.load_error = f"cannot read {self.path}: {exc.strerror or exc}"
            raise
        try:
            parsed, misfits = _parse(data)
        except ForeignFile as exc:
            if initial:
                raise  # not ours: never touched (see ``open``)
            # It was this session's sidecar a moment ago: something else wrote over it. Keep that
            # under a new name, and go on from what the session knew.
            self.set_aside = self._set_aside(str(exc))
            return None
        except DamagedNotes as exc:
            self.set_aside = self._set_aside(str(exc))
            return None
        if misfits:
            self._keep_copy(data, misfits)
        if initial:
            self.data = parsed
            self._stamp = self._stat()
        return parsed

    def _read_shared(self, path: Path) -> dict | None:
        try:
            shared, misfits = _parse(read_regular(path, limit=NOTES_LIMIT, what="a file of marks and notes"))
        except (OSError, DamagedNotes, ForeignFile) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.load_error = f"{path} cannot be read ({why}); its marks and notes are not shown"
            return None
        if misfits:
            self.load_error = f"{len(misfits)} entr{'y' if len(misfits) == 1 else 'ies'} of {path} do not fit the format " \
                              f"and are not shown ({misfits[0]})"
        return shared

    def _with_shared(self, doc: dict) -> dict:
        """A sidecar not written yet starts from what the read-only one beside the corpus holds
        (once written, it holds all of that, and what this session changed)."""
        return copy.deepcopy(self._shared) if self._shared else doc

    def _set_aside(self, why: str) -> Path:
        target = self._free_name("damaged")
        os.replace(self.path, target)
        self.load_error = f"{self.path} was damaged ({why}); it was set aside as {target.name} and a new one started"
        return target

    def _keep_copy(self, data: bytes, misfits: list[str]) -> None:
        """Some entries do not fit the format: keep the file as it was, beside it, once."""
        if self.set_aside is not None:
            return
        target = self._free_name("damaged")
        try:
            atomic_write_bytes(target, data)
        except OSError as exc:
            self.load_error = f"{len(misfits)} entries of {self.path} do not fit the format ({misfits[0]}) and " \
                              f"a copy of the file could not be kept ({exc.strerror or exc}): it is not written over"
            self._blocked = self.load_error
            return
        self.set_aside = target
        n = len(misfits)
        self.load_error = (f"{n} entr{'y' if n == 1 else 'ies'} of {self.path} do not fit the format and are left out "
                           f"({misfits[0]}{'; …' if n > 1 else ''}); the file as it was is kept as {target.name}")

    def _free_name(self, label: str) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.{label}-{stamp}")
        n = 1
        while os.path.lexists(target):
            n += 1
            target = self.path.with_name(f"{self.path.name}.{label}-{stamp}-{n}")
        return target

    def changed_on_disk(self) -> bool:
        """Has another session written the sidecar since we last read or wrote it?"""
        return self._stat() != self._stamp

    def reload(self) -> bool:
        """Read what other sessions wrote (our unsaved changes stay on top); True if anything changed."""
        with self._locked():
            disk = self._read_disk()
            before = self.data
            merged = copy.deepcopy(disk if disk is not None else before)
            for change in self._pending:
                change(merged)
            self.data = merged
            self._stamp = self._stat()
        return merged != before

    # -- what is in it -----------------------------------------------------------------

    @property
    def marks(self) -> dict[str, dict]:
        return self.data["marks"]

    @property
    def notes(self) -> dict[str, dict]:
        return self.data["notes"]

    @property
    def views(self) -> dict[str, dict]:
        return self.data["views"]

    def is_marked(self, event_id: str) -> bool:
        return event_id in self.data["marks"]

    def note(self, event_id: str) -> str:
        note = self.data["notes"].get(event_id)
        return note["text"] if note else ""

    @property
    def unsaved(self) -> int:
        return len(self._pending)

    @property
    def unsaved_reason(self) -> str:
        """Why the changes not saved yet could not be written (empty when all are)."""
        return self._last_error if self._pending else ""

    _last_error = ""

    # -- changing it -------------------------------------------------------------------

    def set_mark(self, event_id: str, marked: bool) -> SaveResult:
        at = _now()

        def change(doc: dict) -> bool:
            if marked:
                doc["marks"].setdefault(event_id, {"at": at})
            else:
                doc["marks"].pop(event_id, None)
            return False

        return self._apply(change)

    def set_note(self, event_id: str, text: str, *, base: str | None = None) -> SaveResult:
        """Set (or, with empty text, remove) the note of an event.

        ``base`` is the note as it was when the writer began (an editor
        opened on it); by default, as this session knows it now.  Merged
        against what is on disk: if the note there is no longer ``base``
        (another session changed it meanwhile), both versions are kept, one
        after the other.
        """
        if base is None:
            base = self.note(event_id)
        text = text.rstrip()
        updated = _now()

        def change(doc: dict) -> bool:
            current = doc["notes"].get(event_id, {}).get("text", "")
            conflict = current not in (base, text) and bool(text)
            value = f"{current}{CONFLICT_SEPARATOR}{text}" if conflict else text
            if value:
                doc["notes"][event_id] = {"text": value, "updated": updated}
            elif current == base:
                doc["notes"].pop(event_id, None)
            return conflict

        return self._apply(change)

    def save_view(self, name: str, view: dict) -> SaveResult:
        record = {**view, "saved": _now()}

        def change(doc: dict) -> bool:
            doc["views"][name] = record
            return False

        return self._apply(change)

    def delete_view(self, name: str) -> SaveResult:
        def change(doc: dict) -> bool:
            doc["views"].pop(name, None)
            return False

        return self._apply(change)

    def retry(self) -> SaveResult:
        """Write the changes that could not be written before."""
        if not self._pending:
            return SaveResult(True)
        return self._apply(None)

    def _apply(self, change: Callable[[dict], bool] | None) -> SaveResult:
        # In memory first: whatever happens on disk, the change is not lost.
        conflict = False
        if change is not None:
            conflict = change(self.data)
            self._pending.append(change)
        if self._blocked:
            self._last_error = self._blocked + " (your changes are kept in this session)"
            return SaveResult(False, self._last_error)
        set_aside_before = self.set_aside
        try:
            with self._locked():
                disk = self._read_disk()
                # A damaged file was set aside: go on from what this session knew.
                merged = copy.deepcopy(disk if disk is not None else self.data)
                conflict = False
                for pending in self._pending:
                    conflict = pending(merged) or conflict
                self._write(self.path, merged)
                self.data = merged
                self._pending.clear()
                self._stamp = self._stat()
        except OSError as exc:
            self._last_error = f"{exc.strerror or exc} ({exc.filename or self.path})"
            return SaveResult(False, self._last_error, conflict)
        aside = self.set_aside if self.set_aside is not set_aside_before else None
        return SaveResult(True, conflict=conflict, set_aside=aside)

    @staticmethod
    def _write(path: Path, doc: dict) -> None:
        import orjson  # here, not at the top: most starts have nothing to write (~1.6 ms with json)

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")

    def default_rescue_path(self) -> Path:
        """A new file in the data folder for :meth:`rescue`."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = data_dir() / "notes" / "rescued"
        name = self.path.name.removesuffix(".notes.json")
        path = folder / f"{name}-{stamp}.notes.json"
        n = 1
        while os.path.lexists(path):
            n += 1
            path = folder / f"{name}-{stamp}-{n}.notes.json"
        return path

    def rescue(self, path: Path | None = None) -> Path:
        """Write everything this session knows (its unsaved changes too) to ``path``, a new file
        (by default :meth:`default_rescue_path`), for a session that ends with changes it could
        not write to the sidecar.  Raises ``OSError`` or ``files.OutputRefused``."""
        if path is None:
            path = self.default_rescue_path()
        check_output(path, force=False, protected={self.path: "the sidecar that could not be written"})
        self._write(path, self.data)
        return path

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        # Never through a symbolic link: a link planted there would make us create (or lock) a
        # file wherever it points.
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC
        try:
            fd = os.open(lock, flags, 0o644)
        except OSError as exc:
            if os.path.islink(lock):
                raise OSError(exc.errno, "its lock file is a symbolic link; remove it", str(lock)) from None
            raise
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "its lock file is not a regular file; remove it", str(lock))
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _is(why: str) -> str:
    """``"it is a named pipe"`` → ``"is a named pipe"``: a reason said of the file by name."""
    return why.removeprefix("it ") if why.startswith("it ") else f"cannot be used ({why})"


def _usable(path: Path) -> tuple[bool, str]:
    """May the sidecar at ``path`` be read and written?  (True, "") when nothing is there;
    (False, why) for a symbolic link, something that is not a regular file, or a file
    that is not a sidecar of marks and notes."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True, ""
    except OSError as exc:
        return False, str(exc.strerror or exc)
    if stat.S_ISLNK(st.st_mode):
        return False, "it is a symbolic link (a sidecar is never written through a link)"
    if not stat.S_ISREG(st.st_mode):
        return False, f"it is {describe_mode(st.st_mode)}, not a regular file"
    try:
        _parse(read_regular(path, limit=NOTES_LIMIT, what="a file of marks and notes"))
    except ForeignFile as exc:
        return False, str(exc)
    except (OSError, DamagedNotes):
        pass  # ours: a damaged one is set aside when opened, an unreadable one never written over
    return True, ""


# -- saved views -------------------------------------------------------------------------


def view_from_query(query: Query, search: str = "") -> dict:
    return {
        "actors": sorted(query.actors),
        "from": query.date_from.text if query.date_from else None,
        "to": query.date_to.text if query.date_to else None,
        "types": sorted(query.types),
        "search": search or query.text,
    }


def query_from_view(view: dict) -> tuple[Query, list[str]]:
    """The filters of a saved view, and what in it could not be used (unknown dates)."""
    problems = []
    dates = {}
    for key in ("from", "to"):
        value = view.get(key)
        if value:
            try:
                dates[key] = parse_edtf(str(value))
            except DateError as exc:
                problems.append(f"{key}: {exc.message}")
    actors = frozenset(a for a in view.get("actors", []) if isinstance(a, str))
    types = frozenset(t for t in view.get("types", []) if isinstance(t, str))
    search = view.get("search") if isinstance(view.get("search"), str) else ""
    return Query(actors, dates.get("from"), dates.get("to"), types, search), problems
