"""A TimelineJS file opened directly: converted into a corpus folder in the user's cache.

``timeline-explorer FILE`` (and ``check``/``export``) take a TimelineJS file
where a corpus is expected.  (An event table, CSV or Parquet, is not
converted: an engine reads it where it is, see ``engine.tables``.)  The file is converted
once, as ``import`` would convert it, into a folder of the user's cache
(``$TIMELINE_EXPLORER_CACHE``, else ``$XDG_CACHE_HOME/timeline-explorer``),
keyed by the file's absolute path and the SHA-256 of its content: a changed
file is converted again, and the corpus names the file as its ``origin`` so
that a reload re-converts it.  The conversion's warnings are kept beside it
and come back as the corpus's problems, located in the original file.

Which files (``filekinds``): a JSON file that is not a ``timeline-corpus/1``
file but looks like TimelineJS is TimelineJS.  To keep the corpus,
``import`` writes it into a folder of one's own.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .corpuswriter import FolderBuilder, OutputError, dumps
from .errors import CorpusError, Problem

__all__ = ["WARNINGS_FILE", "adopt_conversion", "converted_corpus"]

WARNINGS_FILE = "import-warnings.json"

Progress = Callable[[int, int, int], None]  # (bytes read, total bytes, rows): see csvimport


def _cache_root(kind: str) -> Path:
    from .places import cache_dir

    return cache_dir() / kind


def cached_conversion(path: Path, kind: str) -> tuple[Path, bool]:
    """``(folder, converted already?)``: where the corpus of ``path`` is (or would be) in the cache."""
    from .places import content_hash, path_key

    folder = _cache_root(kind) / f"{path_key(path.resolve())}-{content_hash(path)[:24]}"
    return folder, (folder / "corpus.json").is_file()


def converted_corpus(source: str | Path, kind: str, progress: Progress | None = None) -> Path:
    """The corpus folder made from ``source`` (a ``kind`` file), converted now unless the cache has it.

    Older conversions of the same path are removed, but for the previous
    one, which an open app may still read.  Raises :class:`CorpusError`
    located in the original file.
    """
    path = Path(source)
    try:
        folder, ready = cached_conversion(path, kind)
    except OSError as exc:
        raise CorpusError([Problem(str(path), "", f"cannot be read: {exc.strerror or exc}",
                                   "check the path and its permissions", code="io")]) from None
    if ready:
        return folder
    root = folder.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
        builder = FolderBuilder(folder)
        with builder:
            warnings = _CONVERTERS[kind](path, builder, progress)
            builder.path(WARNINGS_FILE).write_bytes(dumps([
                {"file": p.file, "location": p.location, "message": p.message, "hint": p.hint, "line": p.line,
                 "severity": p.severity, "code": p.code} for p in warnings]))
            if (folder / "corpus.json").is_file():  # another process converted it meanwhile
                builder.abort()
            else:
                builder.commit()
    except (OSError, OutputError) as exc:
        if (folder / "corpus.json").is_file():
            return folder
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CorpusError([Problem(str(path), "", f"cannot be converted into the cache folder {root}: {message}",
                                   "check that the cache folder is writable (or set TIMELINE_EXPLORER_CACHE)",
                                   code="io")]) from None
    _prune(root, folder)
    return folder


def _timelinejs(path: Path, builder: FolderBuilder, progress: Progress | None) -> list[Problem]:
    from .timelinejs import convert

    conversion = convert(path)
    conversion.write(builder)
    return conversion.warnings


_CONVERTERS: dict[str, Callable[[Path, FolderBuilder, Progress | None], list[Problem]]] = {
    "timelinejs": _timelinejs,
}


def _prune(root: Path, keep: Path) -> None:
    """Remove older conversions of one file, keeping ``keep`` and the newest other one."""
    path_key = keep.name.split("-", 1)[0]
    try:
        others = [p for p in root.iterdir() if p.name.startswith(path_key + "-") and p != keep and p.is_dir()]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in others[1:]:
        shutil.rmtree(old, ignore_errors=True)


def adopt_conversion(corpus: Any, origin: Path) -> None:
    """Make a corpus converted from ``origin`` name it as its origin, with the conversion's warnings."""
    corpus.origin = Path(origin)
    try:
        raw = json.loads((corpus.root / WARNINGS_FILE).read_bytes())
    except (OSError, ValueError):
        return
    known = {(p.location, p.message) for p in corpus.problems}
    for w in raw if isinstance(raw, list) else []:
        try:
            problem = Problem(str(origin), w["location"], w["message"], w.get("hint", ""), w.get("line"),
                              w.get("severity", "warning"), w.get("code", "import"))
        except (KeyError, TypeError):
            continue
        if (problem.location, problem.message) not in known:
            corpus.problems.append(problem)
