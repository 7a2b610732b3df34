"""Search text: case-, accent- and typography-insensitive, alias-aware.

A search is a list of terms separated by spaces; a double-quoted phrase is
one term.  An event matches when every term occurs in its title, summary or
quote texts.  Matching is by substring on folded text (see ``textfold``):
``uyghur`` finds ``Uyghurs``, ``china's`` finds ``China’s``.

Alias spellings count as the same word: when a term contains a spelling of an
actor (its name or one of its aliases) starting at a word boundary, every other
spelling of that actor matches in its place, so ``Uyghur`` also finds
``Uighur`` and ``Uygur``, and ``Ali Mansouri`` finds ``Ali Al-Mansouri``.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import msgspec

from .textfold import fold

if TYPE_CHECKING:
    from .corpus import Event

__all__ = ["AliasTable", "SearchIndex", "SearchPattern", "split_terms"]


_TERM = re.compile(r'["“”]([^"“”]*)["“”]|(\S+)')


def split_terms(text: str) -> list[str]:
    """Terms of a search: words, or "quoted phrases" (straight or curly quotes).

    Apostrophes and backslashes are ordinary characters: ``China's`` is one term.
    """
    terms = []
    for m in _TERM.finditer(text):
        term = m.group(1) if m.group(1) is not None else m.group(2)
        term = " ".join(term.split())
        if term:
            terms.append(term)
    return terms


class AliasTable:
    """Groups of spellings that name the same actor, folded."""

    def __init__(self, groups: Iterable[tuple[str, ...]] = ()) -> None:
        self.groups: list[tuple[str, ...]] = list(groups)
        self._group_of: dict[str, int] = {}
        for i, group in enumerate(self.groups):
            for spelling in group:
                self._group_of.setdefault(spelling, i)
        spellings = sorted(self._group_of, key=lambda s: (-len(s), s))
        self._finder = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, spellings)) + ")") if spellings else None
        )

    @classmethod
    def from_spellings(cls, spellings: Iterable[Iterable[str]]) -> AliasTable:
        groups = []
        for names in spellings:
            folded = sorted({" ".join(fold(n).split()) for n in names if n.strip()}, key=lambda s: (-len(s), s))
            if len(folded) > 1:
                groups.append(tuple(folded))
        return cls(groups)

    def term_regex(self, term: str) -> str:
        """A regex (over folded text) matching ``term`` or its alias spellings."""
        term = fold(term)
        if self._finder is None:
            return _flexible(term)
        out = []
        pos = 0
        for m in self._finder.finditer(term):
            out.append(_flexible(term[pos : m.start()]))
            group = self.groups[self._group_of[m.group()]]
            out.append("(?:" + "|".join(_flexible(s) for s in group) + ")")
            pos = m.end()
        out.append(_flexible(term[pos:]))
        return "".join(out)


def _flexible(text: str) -> str:
    # Whitespace in a phrase matches any run of whitespace (line breaks too).
    return r"\s+".join(re.escape(part) for part in text.split(" "))


class SearchPattern:
    """A compiled search; ``matches`` folded haystacks, ``spans`` in raw text."""

    def __init__(self, text: str, aliases: AliasTable | None = None) -> None:
        self.text = text
        self.terms = split_terms(text)
        aliases = aliases or AliasTable()
        self.regexes = [re.compile(aliases.term_regex(t)) for t in self.terms]
        self._any = (
            re.compile("|".join(f"(?:{r.pattern})" for r in self.regexes)) if self.regexes else None
        )

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matches(self, folded: str) -> bool:
        """Does every term occur in ``folded`` (text already passed through ``fold``)?"""
        return all(r.search(folded) for r in self.regexes)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where any term occurs in ``text`` (raw), as ``(start, end)`` offsets."""
        if self._any is None:
            return []
        return [m.span() for m in self._any.finditer(fold(text)) if m.end() > m.start()]


class _QuoteText(msgspec.Struct):
    """Just a quote's text, for building the search index (other fields are skipped)."""

    exact: str = ""


_SEARCH_WINDOW = 4 << 20  # characters (or bytes) scanned between two looks at cancellation


class SearchIndex:
    """All events' folded search texts in one string, searched at C speed.

    ``text`` holds each event's haystack (see ``Event.haystack``) in timeline
    order, each followed by a NUL that no term can match across; ``offsets``
    gives where each starts.  The text may be ``str``, or UTF-8 ``bytes``
    (a compiled cache maps it from disk; patterns are then encoded too).
    A regex scan finds candidates for the longest term; the others are
    checked on those candidates only.
    """

    def __init__(self, text: str | bytes, offsets: Sequence[int]) -> None:
        self.text = text
        self.offsets = offsets

    @classmethod
    def of_records(cls, records: Sequence, made: Sequence[Event | None]) -> SearchIndex:
        """The index of a corpus's events from their records, without making an Event
        for each (the quotes' texts are read straight from their raw JSON)."""
        decode = msgspec.json.Decoder(list[_QuoteText]).decode
        parts = []
        offsets = array("q")
        pos = 0
        # Records are read only for the events not made yet (a raw record is decoded to be read).
        if all(event is not None for event in made):
            records = made
        for rec, event in zip(records, made):
            if event is not None:
                exacts = [q.exact for q in event.quotes]
            else:
                quotes = rec.quotes
                if isinstance(quotes, (msgspec.Raw, bytes)):
                    try:
                        exacts = [q.exact for q in decode(quotes)]
                    except (msgspec.ValidationError, msgspec.DecodeError):
                        exacts = []  # reported when the event is made or verified
                else:
                    exacts = [q.exact for q in quotes]
            hay = "\n".join([rec.title, rec.summary, *exacts])
            offsets.append(pos)
            parts.append(hay)
            pos += len(hay) + 1
        # Folding keeps lengths, so folding it all at once keeps the offsets.
        return cls(fold("\x00".join(parts)), offsets)

    @classmethod
    def of_events(cls, events: Iterable[Event]) -> SearchIndex:
        parts = []
        offsets = []
        pos = 0
        for event in events:
            offsets.append(pos)
            hay = event.haystack
            parts.append(hay)
            pos += len(hay) + 1
        return cls("\x00".join(parts), offsets)

    def search(self, pattern: SearchPattern, cancelled: Callable[[], bool] | None = None) -> list[int] | None:
        """Positions of the events matching ``pattern``; None once ``cancelled()`` says so.

        The text is scanned in windows of a few megabytes that end where an
        event begins, asking ``cancelled()`` between them: a search the user
        has already typed past stops within milliseconds instead of holding
        the interpreter for the whole scan.
        """
        regexes = pattern.regexes
        if not regexes:
            return []
        text = self.text
        if isinstance(text, (bytes, bytearray, memoryview)):
            regexes = [re.compile(r.pattern.encode("utf-8")) for r in regexes]
        # The longest term is usually the most selective.  After a hit, the scan
        # jumps to the next event's text (one hit per event is enough).  No term
        # matches a NUL (terms are folded words; whitespace is \s), so no hit
        # spans two events.
        first = max(regexes, key=lambda r: len(r.pattern))
        others = [r for r in regexes if r is not first]
        search = first.search
        offsets = self.offsets
        count = len(offsets)
        end = len(text)
        found: list[int] = []
        pos = 0
        while pos < end:
            if cancelled is not None and cancelled():
                return None
            k = bisect.bisect_right(offsets, pos + _SEARCH_WINDOW)
            stop = offsets[k] if k < count else end
            while (m := search(text, pos, stop)) is not None:
                p = bisect.bisect_right(offsets, m.start()) - 1
                pos = offsets[p + 1] if p + 1 < count else end
                if others:
                    hay = text[offsets[p]:pos - 1 if p + 1 < count else end]
                    if not all(r.search(hay) for r in others):
                        continue
                found.append(p)
            pos = max(pos, stop)
        return found
