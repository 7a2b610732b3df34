"""A selected passage of a document, moved by keyboard: by word and by sentence.

Pure functions of the text and the offsets ``(start, end)``: the document
view keeps the selection, these say where a key takes it.  A selection
never ends on spaces it does not need, and never becomes empty.
"""

from __future__ import annotations

import re

__all__ = ["by_sentence", "by_word", "clamp", "word_at"]

_WORD = re.compile(r"\S+")
# A sentence ends after . ! ? (and any closing quote or bracket) followed by a space, or at a line end.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)|\n")


def clamp(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` inside the text, at least one character, without spaces at either edge."""
    n = len(text)
    start = max(0, min(start, n - 1)) if n else 0
    end = max(start + 1, min(end, n)) if n else 0
    while end - start > 1 and text[end - 1].isspace():
        end -= 1
    while end - start > 1 and text[start].isspace():
        start += 1
    return start, end


def word_at(text: str, offset: int) -> tuple[int, int]:
    """The word at (or after) ``offset``: the start of a selection."""
    for m in _WORD.finditer(text, max(0, offset)):
        return m.start(), m.end()
    m = None
    for m in _WORD.finditer(text):
        pass
    return (m.start(), m.end()) if m else (0, min(1, len(text)))


def by_word(text: str, start: int, end: int, delta: int) -> tuple[int, int]:
    """The selection with its end moved ``delta`` words (forward to extend, back to shrink)."""
    for _ in range(abs(delta)):
        if delta > 0:
            m = _WORD.search(text, end)
            if m is None:
                break
            end = m.end()
        else:
            words = [m for m in _WORD.finditer(text, start, end)]
            if len(words) <= 1:
                break
            end = words[-2].end()
    return clamp(text, start, end)


def _sentence_ends(text: str) -> list[int]:
    return [m.start() if m.group() == "\n" else m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]


def by_sentence(text: str, start: int, end: int, delta: int) -> tuple[int, int]:
    """The selection with its end moved to the next (or back to the previous) sentence end."""
    ends = _sentence_ends(text)
    for _ in range(abs(delta)):
        if delta > 0:
            later = [e for e in ends if e > end and text[end:e].strip()]
            if not later:
                break
            end = later[0]
        else:
            earlier = [e for e in ends if start < e < end and text[start:e].strip()]
            if not earlier:
                break
            end = earlier[-1]
        start, end = clamp(text, start, end)
    return clamp(text, start, end)
