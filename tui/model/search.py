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

import re
from collections.abc import Iterable

from .textfold import fold

__all__ = ["AliasTable", "SearchPattern", "split_terms"]


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
