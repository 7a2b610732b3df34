"""Atomic file writes: the target is either the old file or the whole new one."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_writer", "atomic_write_bytes", "fsync_path"]


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Write ``path`` through a temporary file in the same folder, renamed on success.

    If the block raises (or the process dies), ``path`` is untouched and the
    temporary file is removed (or, after a crash, left as a dot-file beside it).
    The new file keeps the mode of the file it replaces, or gets the usual
    mode for new files (0666 minus the umask).  Only a regular file is ever
    replaced: a device, a pipe, a folder or a symbolic link at ``path``
    raises ``files.NotARegularFile`` (an ``OSError``) before anything is written.
    """
    target = Path(path)
    _only_regular(target)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        fsync_path(folder)  # the rename itself
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _only_regular(target: Path) -> None:
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        from .files import not_regular

        raise not_regular(target, st.st_mode)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_writer(path) as handle:
        handle.write(data)


def fsync_path(path: str | os.PathLike[str]) -> None:
    """Flush a file or a folder (a rename in it) to disk, where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
