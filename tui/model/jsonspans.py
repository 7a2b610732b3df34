"""Where things are in a JSON file's text: for error messages that name a line.

The fast decoders (msgspec, orjson) say what is wrong with a record, not on
which line of the file it sits. When a problem needs a line, the text is
scanned once here with the standard library's decoder, which gives offsets:
the span of each top-level member's value and, for the arrays asked for, the
span of each item.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .anchoring import LineIndex

__all__ = ["Locator", "Spans", "json_type", "repeated_keys", "repeated_top_level_key", "top_level_spans"]

_WS = re.compile(r"[ \t\n\r]*")

# key -> (start, end) of its value; for the arrays asked for, key -> [(start, end) of each item]
Spans = dict[str, "tuple[int, int] | list[tuple[int, int]]"]


def top_level_spans(text: str, arrays: Collection[str]) -> Spans:
    """The offsets of the top-level members of the JSON object in ``text``.

    Where the structure goes wrong (the very problem being reported, often),
    the scan stops quietly and keeps what it found before.
    """
    import json  # only when a problem needs a line

    spans: Spans = {}
    decoder = json.JSONDecoder()
    ws = _WS
    try:
        i = ws.match(text, 0).end()
        if text[i:i + 1] != "{":
            return spans
        i += 1
        while True:
            i = ws.match(text, i).end()
            if text[i:i + 1] == "}":
                break
            key, i = decoder.raw_decode(text, i)
            i = ws.match(text, i).end()
            if text[i:i + 1] != ":":
                break
            i = ws.match(text, i + 1).end()
            start = i
            if key in arrays and text[i:i + 1] == "[":
                items: list[tuple[int, int]] = []
                spans[key] = items
                i += 1
                while True:
                    i = ws.match(text, i).end()
                    if text[i:i + 1] == "]":
                        i += 1
                        break
                    item_start = i
                    _, i = decoder.raw_decode(text, i)
                    items.append((item_start, i))
                    i = ws.match(text, i).end()
                    if text[i:i + 1] == ",":
                        i += 1
            else:
                _, i = decoder.raw_decode(text, i)
                spans[key] = (start, i)
            i = ws.match(text, i).end()
            if text[i:i + 1] == ",":
                i += 1
    except (ValueError, IndexError, RecursionError):
        pass
    return spans


_WS_BYTES = re.compile(rb"[ \t\n\r]*")
_KEY_BYTES = re.compile(rb'"((?:[^"\\]|\\.)*)"[ \t\n\r]*:[ \t\n\r]*')


def repeated_top_level_key(data: bytes | memoryview) -> tuple[str, int] | None:
    """(key, line) of the first top-level key of the JSON object in ``data`` that the object
    has more than once, or None.  The fast decoders keep the last of two equal keys without a
    word (a second ``"events": []`` empties the corpus), so this is checked apart, exactly and
    cheaply: the members are decoded once as raw slices (last wins), then the text is walked
    from member to member, each value compared with its raw slice; the first value that is
    not its key's last one, or a key seen before, is a repeated key.  A text that is not one
    JSON object gives None: the decoder says what is wrong with it."""
    import msgspec

    try:
        members = msgspec.json.decode(data, type=dict[str, msgspec.Raw])
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
        return None
    view = memoryview(data)
    seen: set[str] = set()
    i = _WS_BYTES.match(data, 0).end()
    if data[i:i + 1] != b"{":
        return None
    i += 1
    while True:
        i = _WS_BYTES.match(data, i).end()
        match = _KEY_BYTES.match(data, i)
        if match is None:
            return None  # '}' (an empty object, or the end): no key is repeated
        key = msgspec.json.decode(b'"' + bytes(match[1]) + b'"', type=str)
        start, i = i, match.end()
        value = members.get(key)
        n = len(value) if value is not None else 0
        if key in seen or value is None or view[i:i + n] != memoryview(value):
            return key, bytes(view[:start]).count(b"\n") + 1
        seen.add(key)
        i = _WS_BYTES.match(data, i + n).end()
        if data[i:i + 1] != b",":
            return None
        i += 1


def repeated_keys(text: str) -> list[tuple[str, object]]:
    """(key, the "id" of its object or None) for each key an object in the JSON ``text`` has
    more than once, by the standard library's decoder: for a file small enough to decode twice."""
    import json

    found: list[tuple[str, object]] = []

    def pairs(items: list[tuple[str, object]]) -> dict:
        members = dict(items)
        if len(members) != len(items):
            seen: set[str] = set()
            for k, _ in items:
                if k in seen:
                    found.append((k, members.get("id")))
                seen.add(k)
        return members

    json.loads(text, object_pairs_hook=pairs)
    return found


def json_type(value: object) -> str:
    """What kind of JSON value a decoded ``value`` is, in words for a message ("an object", "a number")."""
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


class Locator:
    """Lines in a JSON file's text, for messages: the spans of its top-level members (and of the
    items of the arrays asked for) and the line of an offset, each worked out when a problem first
    needs one, and once."""

    def __init__(self, text: str | None, arrays: Collection[str]) -> None:
        self._text = text
        self._arrays = arrays
        self._spans: Spans | None = None
        self._lines: LineIndex | None = None

    @property
    def text(self) -> str:
        return self._text or ""

    def spans(self) -> Spans:
        if self._spans is None:
            self._spans = top_level_spans(self.text, self._arrays)
        return self._spans

    def line_at(self, offset: int) -> int:
        """The line (from 1) of ``offset`` in the text."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines.line_col(offset)[0]

    def release(self) -> None:
        """Forget the text and what was worked out from it."""
        self._text = None
        self._spans = None
        self._lines = None
