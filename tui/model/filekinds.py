"""What kind of file a corpus path names: a corpus file, or another tool's file to convert first.

Kept apart from ``conversions`` so that opening a corpus file asks the
question without importing what converting needs (the writers, ``json``,
``hashlib``): a name ending in ``.csv`` or ``.tsv`` is a CSV table; a JSON
file that does not declare itself a ``timeline-corpus/1`` file in its first
bytes, and looks like TimelineJS, is TimelineJS; anything else is left to
the corpus loader, which explains what is wrong with it, if anything.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["CSV_SUFFIXES", "is_timelinejs_file", "kind_of"]

CSV_SUFFIXES = {".csv": ",", ".tsv": "\t"}

_SNIFF_BYTES = 1 << 16
_SNIFF_LIMIT = 256 << 20  # a TimelineJS file is a web page's data; beyond this it is a corpus
_DECLARES_CORPUS = re.compile(rb'"format"\s*:\s*"timeline-corpus/')


def kind_of(path: Path) -> str | None:
    """``"csv"``, ``"timelinejs"`` or None (a corpus file, or something the corpus loader will explain)."""
    if path.suffix.lower() in CSV_SUFFIXES:
        return "csv"
    return "timelinejs" if is_timelinejs_file(path) else None


def is_timelinejs_file(path: Path) -> bool:
    """Is ``path`` a TimelineJS file rather than a ``corpus.json``?

    Cheap for a corpus file: its first bytes name its format, and neither
    ``json`` nor the TimelineJS converter is imported.
    """
    from .files import open_regular

    try:
        with open_regular(path) as handle:
            head = handle.read(_SNIFF_BYTES)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head.startswith(b"{") or _DECLARES_CORPUS.search(head) or size > _SNIFF_LIMIT:
        return False
    import json

    try:
        with open_regular(path, limit=_SNIFF_LIMIT) as handle:
            data = json.loads(handle.readall().decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return False  # not JSON: the corpus loader explains what is wrong
    from .timelinejs import looks_like_timelinejs

    return looks_like_timelinejs(data)
