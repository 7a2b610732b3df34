"""The files Timeline Explorer reads and writes: only regular files, within limits.

Everything the app or the command line reads from a path the user named (a
corpus file, its documents, a table to import, the sidecar of marks and
notes, a keymap) goes through :func:`read_regular` or :func:`open_regular`:

* only a regular file is read.  A named pipe would block the reader forever
  (until some other process writes to it), a character device such as
  ``/dev/zero`` never ends, a folder is not a file: each is refused at once
  with what it is.  The file is opened without blocking and checked with
  ``fstat`` on the open descriptor, so nothing can be swapped in between the
  check and the read;
* a file larger than its kind may be is refused before it is read (a
  document of several gigabytes is not an article to quote, it would only
  exhaust the memory), and a file that grows while it is read stops at the
  limit all the same.

Everything written over a path the user named goes through
:func:`check_output` first (and ``atomic.atomic_writer`` refuses by itself to
replace anything but a regular file): a device, a pipe, a folder or a
symbolic link is never replaced, nor the files a command reads, nor a
sidecar of marks and notes, which nothing else could bring back.

The refusals are ``OSError``s whose ``strerror`` is one plain sentence, so
every caller that already says "cannot be read: {strerror}" says what is
wrong without knowing about them.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "CORPUS_FILE_LIMIT", "DOCUMENT_LIMIT", "NOTES_LIMIT", "SMALL_FILE_LIMIT", "NotARegularFile", "OutputRefused",
    "HugeNumber", "TooLarge", "check_output", "describe_mode", "is_notes_sidecar", "open_regular", "read_document", "read_regular",
]

MB = 1 << 20
# A document is a text a researcher reads and quotes: a long book is a few megabytes.
DOCUMENT_LIMIT = 64 * MB
# A corpus file is read into memory whole, and a million events take some 400 MB.
CORPUS_FILE_LIMIT = 8 << 30
# Marks, notes and views of one corpus: written by hand, one event at a time.
NOTES_LIMIT = 64 * MB
# A keymap, a mapping of columns, a TimelineJS file made for a web page.
SMALL_FILE_LIMIT = 256 * MB

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


def describe_mode(mode: int) -> str:
    """What a file of this mode is, in words: ``"a named pipe (FIFO)"``."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


class NotARegularFile(OSError):
    """The path names something other than a regular file (a pipe, a device, a folder)."""

    def __init__(self, path: str | os.PathLike[str], mode: int) -> None:
        self.kind = describe_mode(mode)
        super().__init__(errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL,
                         f"it is {self.kind}, not a regular file", os.fspath(path))
        self.hint = "give the path of a regular file"


class IsAFolder(NotARegularFile, IsADirectoryError):
    """The path names a folder (caught as an ``IsADirectoryError`` too)."""


def not_regular(path: str | os.PathLike[str], mode: int) -> NotARegularFile:
    """The error for reading ``path``, whose mode says it is not a regular file."""
    return IsAFolder(path, mode) if stat.S_ISDIR(mode) else NotARegularFile(path, mode)


class TooLarge(OSError):
    """The file is larger than a file of its kind may be."""

    def __init__(self, path: str | os.PathLike[str], size: int, limit: int, what: str) -> None:
        self.size, self.limit = size, limit
        more = f"{_size(size)}, more" if size > limit else "more"
        super().__init__(errno.EFBIG, f"it is {more} than the {_size(limit)} {what} may have", os.fspath(path))
        self.hint = f"a larger {what.removeprefix('a ').removeprefix('an ')} is not read, so that it cannot exhaust the memory"


def open_regular(path: str | os.PathLike[str], *, limit: int | None = None, what: str = "a file") -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file of at most ``limit`` bytes.

    Raises :class:`NotARegularFile`, :class:`TooLarge`, or the ``OSError`` of
    opening it (no such file, permission denied).  Opening does not block,
    whatever ``path`` is; the descriptor's own ``fstat`` decides.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(path, st.st_mode)
        if limit is not None and st.st_size > limit:
            raise TooLarge(path, st.st_size, limit, what)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], *, limit: int | None = None, what: str = "a file") -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes (see :func:`open_regular`)."""
    with open_regular(path, limit=limit, what=what) as handle:
        if limit is None:
            return handle.readall()
        data = handle.read(limit + 1)
        if len(data) > limit:  # it grew while it was read
            raise TooLarge(path, len(data), limit, what)
        return data


def read_document(path: str | os.PathLike[str]) -> bytes:
    """A document's bytes (a regular file of at most ``DOCUMENT_LIMIT`` bytes)."""
    return read_regular(path, limit=DOCUMENT_LIMIT, what="a document")


# -- writing ------------------------------------------------------------------------------

_NOTES_MARK = b'"timeline-notes/'
_SNIFF = 4096


def is_notes_sidecar(path: str | os.PathLike[str]) -> bool:
    """Is ``path`` a regular file holding marks and notes (``timeline-notes/1``)?

    Read from its first bytes, without blocking on anything that is not a
    regular file.  Such a file is never replaced by an export or an import.
    """
    try:
        with open_regular(path) as handle:
            head = handle.read(_SNIFF)
    except OSError:
        return False
    return _NOTES_MARK in head and b'"format"' in head


class OutputRefused(Exception):
    """Writing to this path is not allowed; the message says why, in one sentence, without the path."""

    def __init__(self, message: str, hint: str = "choose another file", *, replaceable: bool = False) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint
        self.replaceable = replaceable  # refused only because it exists: replacing it was not asked for


def _same_file(a: os.stat_result, path: Path) -> bool:
    try:
        b = os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def check_output(path: str | os.PathLike[str], *, force: bool = False,
                 protected: Mapping[Path, str] | Iterable[Path] = ()) -> None:
    """May ``path`` be written (atomically replaced)?  Raises :class:`OutputRefused` if not.

    It may when nothing is there, or, with ``force``, when it is a regular
    file that is none of the ``protected`` files (what a command reads: a
    mapping gives each one's description, "the input table") and holds no
    marks and notes.  A device, a pipe, a socket, a folder or a symbolic
    link is never replaced.
    """
    described = protected if isinstance(protected, Mapping) else {p: "a file this command reads" for p in protected}
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        # Nothing there yet; still never where a protected file belongs (the marks and notes to come).
        where = _resolved(Path(path))
        for guarded, what in described.items():
            if where is not None and where == _resolved(Path(guarded)):
                raise OutputRefused(f"is reserved for {what}") from None
        return
    except OSError as exc:
        raise OutputRefused(f"cannot be checked: {exc.strerror or exc}", "check the path and its permissions") from None
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        raise OutputRefused(f"is a symbolic link (to {target}); a link is never replaced",
                            "give the path of a regular file, or of a new one")
    if stat.S_ISDIR(st.st_mode):
        raise OutputRefused("is a folder", "give a file name")
    if not stat.S_ISREG(st.st_mode):
        raise OutputRefused(f"is {describe_mode(st.st_mode)}, not a regular file; only a regular file may be replaced")
    for guarded, what in described.items():
        if _same_file(st, Path(guarded)):
            raise OutputRefused(f"is {what}; it is never written over")
    if is_notes_sidecar(path):
        raise OutputRefused("holds marks and notes (timeline-notes/1); it is never written over")
    if not force:
        raise OutputRefused("already exists; not replaced", "add --force to replace it, or choose another file",
                            replaceable=True)


class HugeNumber(str):
    """An integer in a JSON file too long for Python to convert (over 4,000 digits), kept as
    its digits (:func:`parse_json`), for the reader to refuse where it stands, located."""


def _json_int(digits: str) -> int | HugeNumber:
    return int(digits) if len(digits) <= 4000 else HugeNumber(digits)


def parse_json(text: str | bytes) -> object:
    """``json.loads`` that never fails on a number: Python refuses to convert a string of more
    than 4,300 digits to an integer (a ValueError from deep inside the parser), so such a
    number becomes a :class:`HugeNumber` the caller can report where it is."""
    import json

    return json.loads(text, parse_int=_json_int)
