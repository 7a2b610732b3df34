"""Writing a new corpus folder: atomically, with ``corpus.json`` streamed.

Imports build the whole folder in a temporary sibling (``.NAME.XXXX.tmp``
beside the target) and rename it into place only when everything was
written: the target is either untouched or complete.  An existing folder is
replaced only when asked (``force``) and only if it is a corpus folder (it
has a ``corpus.json``) that does not hold the file being imported; anything
else the user wrote is never touched.

``CorpusJsonWriter`` writes ``corpus.json`` one record per line, so that a
million events never sit in memory and ``check`` can name the line of each
record.  Sections may come in any order (JSON object keys are unordered):
imports write the events first, then the actors and documents they found.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import unicodedata
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import msgspec
import orjson

from . import schema
from .atomic import fsync_path

__all__ = ["CorpusJsonWriter", "FolderBuilder", "OutputError", "dumps", "slugify", "unique"]


def dumps(value: object) -> bytes:
    """JSON bytes of ``value``; integers beyond 64 bits (which orjson refuses) go through ``json``."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def actor_records(corpus, wanted: Iterable[str]) -> list[dict]:
    """The records of the actors ``wanted`` and of every actor they refer to (members, affiliation),
    in the corpus's order, as the corpus file writes them (the schema's field order, defaults left out)."""
    keep: set[str] = set()
    stack = list(wanted)
    while stack:
        actor_id = stack.pop()
        if actor_id in keep or actor_id not in corpus.actors:
            continue
        keep.add(actor_id)
        actor = corpus.actors[actor_id]
        stack += list(actor.members)
        if actor.affiliation:
            stack.append(actor.affiliation)
    return [msgspec.to_builtins(schema.Actor(a.id, a.name, a.kind, list(a.aliases), list(a.members), a.affiliation,
                                             a.note))
            for a in corpus.actors.values() if a.id in keep]


def slugify(text: str, limit: int = 60) -> str:
    """``"Qatar withdraws (18 July)"`` → ``"qatar-withdraws-18-july"``: ASCII letters, digits and '-'.

    Accents are dropped (``é`` → ``e``); what has no ASCII form (CJK, Arabic)
    disappears, so the result may be empty: callers have a fallback.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-")


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not in ``taken`` yet (then taken)."""
    candidate = base
    n = 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


class OutputError(Exception):
    """The output cannot be written (exists, not a corpus, no parent): one clear sentence about
    ``path`` (None: the output folder itself)."""

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(message)
        self.path = path


class FolderBuilder:
    """A corpus folder built in a temporary sibling of ``target``, renamed into place by ``commit``.

    Use as a context manager: leaving the block by an exception removes the
    temporary folder and leaves ``target`` as it was.
    """

    def __init__(self, target: str | os.PathLike[str], *, force: bool = False,
                 protect: Iterable[str | os.PathLike[str]] = ()) -> None:
        self.target = Path(target)
        self.force = force
        self._check_target([Path(p) for p in protect])
        parent = self.target.parent if str(self.target.parent) else Path(".")
        try:
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=parent))
        except OSError as exc:
            raise OutputError(f"cannot create a folder beside it: {exc.strerror or exc}") from None
        self._done = False
        self.kept: list[str] = []  # sidecars carried over from the folder replaced (see commit)

    def _check_target(self, protect: list[Path]) -> None:
        target = self.target
        if not target.name or target.name in (".", ".."):
            raise OutputError("give the name of a new folder")
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise OutputError(f"the folder {parent} does not exist; create it first")
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise OutputError("exists and is not a folder; choose a new folder name")
        if not target.exists():
            return
        try:
            empty = not any(target.iterdir())
        except OSError as exc:
            raise OutputError(f"cannot be read: {exc.strerror or exc}") from None
        if empty:
            return
        if not self.force:
            raise OutputError("already exists and is not empty; not replaced (add --force to replace a corpus folder)")
        if not (target / "corpus.json").is_file():
            raise OutputError("is not empty and is not a corpus folder (it has no corpus.json); "
                              "not replaced even with --force: choose a new folder")
        resolved = target.resolve()
        for p in protect:
            try:
                if p.resolve().is_relative_to(resolved):
                    raise OutputError(f"holds {p}, the file being imported; choose another folder")
            except OSError:
                continue

    def path(self, relative: str) -> Path:
        """Where a file of the corpus goes (its folders are made as needed)."""
        file = self.tmp / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        return file

    def commit(self) -> None:
        """Put the finished folder in place of the target.

        A corpus folder replaced (``force``) keeps the researcher's marks and
        notes: its sidecars (``*.notes.json`` and the copies set aside beside
        them) are carried into the new folder, where they follow the events
        by id.  ``kept`` lists them.
        """
        target = self.target
        if target.exists():
            self.kept = _carry_sidecars(target, self.tmp)
        _fsync_tree(self.tmp)
        if target.exists() and any(target.iterdir()):
            # POSIX cannot rename over a non-empty folder: move the old one aside first.
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=self.tmp.parent))
            os.rmdir(old)
            os.rename(target, old)
            try:
                os.rename(self.tmp, target)
            except BaseException:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(self.tmp, target)  # over an empty folder, or into a free name
        self._done = True

    def abort(self) -> None:
        if not self._done:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self._done = True

    def __enter__(self) -> FolderBuilder:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is not None:
            self.abort()
        elif not self._done:
            self.abort()  # left without commit: nothing is kept


def _carry_sidecars(old: Path, new: Path) -> list[str]:
    """Copy the sidecars of marks and notes of the folder ``old`` into ``new`` (names of those copied)."""
    kept = []
    for entry in os.scandir(old):
        name = entry.name
        if not (name.endswith(".notes.json") or ".notes.json.damaged-" in name):
            continue
        if not entry.is_file(follow_symlinks=False) or os.path.lexists(new / name):
            continue
        shutil.copy2(entry.path, new / name)
        kept.append(name)
    return sorted(kept)


def _fsync_tree(folder: Path) -> None:
    for root, _, files in os.walk(folder):
        for name in files:
            fsync_path(os.path.join(root, name))
        fsync_path(root)


class CorpusJsonWriter:
    """``corpus.json``, written as it goes: a head, then sections record by record.

    >>> w = CorpusJsonWriter(handle, title="…")        # writes {"format": …, "title": …
    >>> with w.section("events") as add: add({...})    # ,\\n"events":[\\n{...},\\n{...}\\n]
    >>> w.close()                                      # }
    """

    def __init__(self, out: BinaryIO, *, title: str, description: str = "", extra: dict | None = None) -> None:
        self.out = out
        head = {"format": schema.FORMAT, "title": title}
        if description:
            head["description"] = description
        if extra:
            head["extra"] = extra
        out.write(dumps(head)[:-1])  # without the closing brace
        self.count: dict[str, int] = {}

    @contextlib.contextmanager
    def section(self, name: str) -> Iterator:
        out = self.out
        out.write(b',\n' + orjson.dumps(name) + b':[')
        n = 0

        def add(record: dict) -> None:
            nonlocal n
            out.write((b"\n" if n == 0 else b",\n") + dumps(record))
            n += 1

        yield add
        out.write(b"\n]" if n else b"]")
        self.count[name] = n

    def write_section(self, name: str, records: Iterable[dict]) -> None:
        with self.section(name) as add:
            for record in records:
                add(record)

    def close(self) -> None:
        self.out.write(b"}\n")
