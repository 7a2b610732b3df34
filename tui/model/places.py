"""Where Timeline Explorer keeps things of the user's, and how it names them.

* the cache (``$TIMELINE_EXPLORER_CACHE``, else ``$XDG_CACHE_HOME/timeline-explorer``):
  what can be made again (converted TimelineJS files, compiled corpora);
* the data folder (``$TIMELINE_EXPLORER_DATA``, else ``$XDG_DATA_HOME/timeline-explorer``):
  what cannot (marks and notes of a corpus in a read-only folder);
* the configuration (``$XDG_CONFIG_HOME/timeline-explorer``): the keymap.

Things are named by a hash of a path (``path_key``) or of a file's content
(``content_hash``).  The standard library's own SHA-1 and SHA-256 modules are
used where they exist: ``import hashlib`` loads OpenSSL, 1.5 ms of a start.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir", "config_dir", "content_hash", "data_dir", "path_key", "spill_dir", "sweep_unfinished"]

APP = "timeline-explorer"


def _xdg(variable: str, default: str) -> Path:
    return Path(os.environ.get(variable) or os.path.join(os.path.expanduser("~"), default)) / APP


def cache_dir() -> Path:
    override = os.environ.get("TIMELINE_EXPLORER_CACHE")
    return Path(override) if override else _xdg("XDG_CACHE_HOME", ".cache")


def spill_dir() -> Path:
    """Where an engine spills what does not fit its memory (DuckDB's default is ``.tmp`` in the folder the
    explorer was started from, which is the user's and may be read only)."""
    return cache_dir() / "spill"


#: What an interrupted compile left (the explorer killed mid-way) is removed once it is this old:
#: a compile under way writes its files all along; a younger one may be another explorer's, working.
UNFINISHED_AFTER = 6 * 3600


def sweep_unfinished(folder: Path, *, older_than: float = UNFINISHED_AFTER) -> list[Path]:
    """Remove from ``folder`` the work files of compiles that never ended (``.*.tmp``, files or folders,
    with a DuckDB database's ``.wal``), untouched for ``older_than`` seconds; the removed are returned."""
    import shutil
    import time

    removed: list[Path] = []
    now = time.time()
    try:
        candidates = [p for p in folder.glob(".*.tmp") if p.name.count(".") >= 3]
    except OSError:
        return removed
    for work in candidates:
        wal = work.with_name(work.name + ".wal")
        try:
            touched = max(p.stat().st_mtime for p in (work, wal) if p.exists())
        except (OSError, ValueError):
            continue
        if now - touched < older_than:
            continue
        if work.is_dir() and not work.is_symlink():
            shutil.rmtree(work, ignore_errors=True)
        else:
            work.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)
        removed.append(work)
    return removed


def data_dir() -> Path:
    override = os.environ.get("TIMELINE_EXPLORER_DATA")
    return Path(override) if override else _xdg("XDG_DATA_HOME", os.path.join(".local", "share"))


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config")


def path_key(path: str | os.PathLike[str], length: int = 16) -> str:
    """A short, stable name for a path (the SHA-1 of its text, as every version has named sidecars)."""
    try:
        from _sha1 import sha1
    except ImportError:  # a Python built without it
        from hashlib import sha1
    return sha1(str(path).encode("utf-8")).hexdigest()[:length]


def content_hash(file: str | os.PathLike[str], chunk: int = 8 << 20) -> str:
    """The SHA-256 of a regular file's content, read in chunks (the hash releases the GIL on big updates)."""
    from hashlib import sha256

    from .files import open_regular

    digest = sha256()
    with open_regular(file) as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
