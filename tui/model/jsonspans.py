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

__all__ = ["Spans", "top_level_spans"]

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
