"""What a researcher writes about a corpus: marks, notes and saved views.

They live in a sidecar file beside the corpus (``corpus.notes.json`` next to
``corpus.json``; ``FILE.notes.json`` next to an imported file such as a
TimelineJS ``FILE.json``), never inside ``corpus.json``.  When that folder is
not writable, or the corpus is the bundled one, the sidecar lives in the
user's data folder instead (``$XDG_DATA_HOME/timeline-explorer/notes/``, or
``$TIMELINE_EXPLORER_DATA``), under a name derived from the corpus's path.

Nothing written there is ever lost:

* every change is written at once, atomically (a temporary file renamed over
  the old one), so the file on disk is always a whole version;
* a change that cannot be written (disk full, permissions) stays in memory,
  is reported, and is written with the next change or retry;
* every change is merged into what is on disk *now*, under a lock, so two
  app instances on one corpus keep each other's marks and notes; when both
  changed the same note, both texts are kept;
* a damaged sidecar (not JSON, not this format) is set aside under a new
  name and reported, never overwritten.

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
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import msgspec

from .atomic import atomic_write_bytes
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


def data_dir() -> Path:
    base = os.environ.get("TIMELINE_EXPLORER_DATA") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share"),
        "timeline-explorer")
    return Path(base)


def notes_path(origin: Path, *, bundled: bool = False) -> Path:
    """Where the sidecar of the corpus opened from ``origin`` lives (see the module's docstring)."""
    origin = Path(origin).resolve()
    beside = origin.with_name(origin.stem + ".notes.json")
    if not bundled and os.access(origin.parent, os.W_OK):
        return beside
    try:  # the standard library's own SHA-1: `import hashlib` loads OpenSSL (1.5 ms of opening the bundled corpus)
        from _sha1 import sha1
    except ImportError:  # a Python built without it
        from hashlib import sha1

    key = sha1(str(origin).encode("utf-8")).hexdigest()[:16]
    return data_dir() / "notes" / f"{origin.parent.name or 'corpus'}-{key}.notes.json"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _empty() -> dict:
    return {"format": NOTES_FORMAT, "marks": {}, "notes": {}, "views": {}}


class DamagedNotes(Exception):
    """The sidecar is not a ``timeline-notes/1`` file."""


def _parse(data: bytes) -> dict:
    import orjson  # here, not at the top: most starts have no sidecar to read (~1.6 ms with json)

    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DamagedNotes(f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != NOTES_FORMAT:
        raise DamagedNotes(f"not a {NOTES_FORMAT} file")
    out = _empty()
    for key in ("marks", "notes", "views"):
        section = doc.get(key, {})
        if not isinstance(section, dict):
            raise DamagedNotes(f"{key!r} is not an object")
        out[key] = section
    for event_id, note in out["notes"].items():
        if not isinstance(note, dict) or not isinstance(note.get("text"), str):
            raise DamagedNotes(f"the note of {event_id!r} has no text")
    return out


def read_notes(path: Path) -> tuple[dict[str, str], str]:
    """The notes in the sidecar at ``path``, read-only (event id → text), and a problem, if any.

    For exports: a missing sidecar has no notes; one that cannot be read or is
    damaged gives none, with the reason, and is left as it is (the app sets a
    damaged one aside when it opens the corpus).
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return {}, ""
    except OSError as exc:
        return {}, f"cannot be read: {exc.strerror or exc}"
    try:
        parsed = _parse(data)
    except DamagedNotes as exc:
        return {}, f"is damaged ({exc})"
    return {event_id: note["text"] for event_id, note in parsed["notes"].items() if note["text"].strip()}, ""


class SaveResult(msgspec.Struct, frozen=True):
    """What happened to a change: written, or kept in memory with the reason."""

    saved: bool
    error: str = ""
    conflict: bool = False  # a note changed here and elsewhere: both versions kept
    set_aside: Path | None = None  # a damaged sidecar was moved here


class NotesStore:
    """The marks, notes and views of one corpus, kept in its sidecar file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.data = _empty()
        self._pending: list[Callable[[dict], bool]] = []  # changes not yet on disk
        self._stamp: tuple | None = None
        self.set_aside: Path | None = None  # where a damaged sidecar went when it was found
        self.load_error = ""
        self._blocked = False  # the existing sidecar could not be read: never write over it

    # -- reading ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> NotesStore:
        """The store of the sidecar at ``path``; problems end up in ``load_error``, never raised.

        A sidecar that exists but cannot be read (permissions) is never
        written over: changes then stay in memory and each save says why.
        """
        store = cls(path)
        try:
            store._read_disk(initial=True)
        except OSError:
            store._blocked = True
        return store

    def _stat(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read_disk(self, *, initial: bool = False) -> dict | None:
        """The sidecar as it is on disk now: an empty one if missing, None if it was
        damaged (it is then set aside, and the caller goes on from what it had)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return _empty()
        except OSError as exc:
            self.load_error = f"cannot read {self.path}: {exc.strerror or exc}"
            raise
        try:
            parsed = _parse(data)
        except DamagedNotes as exc:
            self.set_aside = self._set_aside(str(exc))
            return None
        if initial:
            self.data = parsed
            self._stamp = self._stat()
        return parsed

    def _set_aside(self, why: str) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        os.replace(self.path, target)
        self.load_error = f"{self.path} was damaged ({why}); it was set aside as {target.name} and a new one started"
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

    def set_note(self, event_id: str, text: str) -> SaveResult:
        """Set (or, with empty text, remove) the note of an event.

        Merged against what is on disk: if another session changed this note
        since we read it, both versions are kept, one after the other.
        """
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
            return SaveResult(False, f"{self.path} exists but could not be read, so it is not written over "
                                     "(your changes are kept in this session)")
        import orjson  # see _parse

        set_aside_before = self.set_aside
        try:
            with self._locked():
                disk = self._read_disk()
                # A damaged file was set aside: go on from what this session knew.
                merged = copy.deepcopy(disk if disk is not None else self.data)
                conflict = False
                for pending in self._pending:
                    conflict = pending(merged) or conflict
                self.path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(self.path, orjson.dumps(merged, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
                                   + b"\n")
                self.data = merged
                self._pending.clear()
                self._stamp = self._stat()
        except OSError as exc:
            return SaveResult(False, f"{exc.strerror or exc} ({self.path})", conflict)
        aside = self.set_aside if self.set_aside is not set_aside_before else None
        return SaveResult(True, conflict=conflict, set_aside=aside)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


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
