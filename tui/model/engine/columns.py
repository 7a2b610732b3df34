"""The columns every source of the SQL store is seen as, and how dates and search text become columns.

Dates are parsed in Python, once per distinct EDTF text (a million events
have some tens of thousands of distinct dates), into a small *dates* table
that the engine joins: its ``rank`` orders dates as the timeline does
(``EDTFDate.sort_key``), so that every engine sorts events the same way, by
``(rank, id)``.  Open ends, which have no instant, are the smallest and
largest 64-bit integers.

Search text is folded as ``textfold.fold`` folds it (case, accents,
typographic quotes and dashes erased, one character for one): by Python when
a corpus is compiled, and by the engine's own ``lower`` and ``translate``
when a table is read in place (``fold_sql``), with a table of the characters
whose fold is not their lower case (Latin, Greek, Cyrillic, punctuation).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..corpus import heading_key
from ..dates import DAY_SECONDS, EDTFDate, _year_month_of_instant, parse_dates
from ..textfold import fold
from .backends import sql_string

__all__ = ["DATE_COLUMNS", "EVENT_ACTOR_COLUMNS", "EVENT_COLUMNS", "INDEXED_DATES", "INT_MAX", "INT_MIN", "date_rows", "fold_table", "instant_int"]

INT_MIN = -(2**63) + 1  # an open start: before every instant (one above the smallest int, kept for "none")
INT_MAX = 2**63 - 1  # an open or unknown end: after every instant

# The events table (a compiled corpus, or a table read in place through its mapping), in timeline order.
EVENT_COLUMNS: dict[str, str] = {
    "pos": "int64",  # the event's place in the timeline (0 first)
    "id": "string",
    "row": "int64",  # where it comes from: its index in corpus.json's events, or the table's row (1 = the first)
    "date": "string",  # EDTF
    "rank": "int64",  # the date's rank in timeline order
    "lower": "int64",  # first and last instant of the date (seconds; INT_MIN / INT_MAX for open ends)
    "upper": "int64",
    "hy": "int64",  # the timeline heading it is filed under: year, and month (0 for coarser dates)
    "hm": "int64",
    "ly": "int64",  # year, month and day number of ``lower`` (null for an open start): the density strip's units
    "lm": "int64",
    "lday": "int64",
    "title": "string",
    "summary": "string",  # null: the row's own text (``notes``) is its summary too, kept once
    "type": "string",
    "tags": "array<string>",
    "actors": "array<string>",
    "quotes": "string",  # the quote list as JSON ([{"doc", "exact", "prefix", "suffix"}]); null for a table's row
    "sources": "int64",  # distinct documents quoted
    "draft": "boolean",
    "confidence": "float64",
    "date_note": "string",
    "note": "string",
    "extra": "string",  # JSON, or null
    "hay": "string",  # folded search text: title, summary and quotes
    "notes": "string",  # a table row's own text (its quote), null for a corpus
    "source": "string",  # a table row's source (outlet), null for a corpus
    "url": "string",  # a table row's source URL, null for a corpus
}

# The actor index (who takes part in each event: one row per actor and event, sorted by actor then
# position), with the event's date columns that the timeline's headings and the density strip count
# by: a query by actors alone is answered from the actors' runs of the index, not the events table.
INDEXED_DATES = ["hy", "hm", "lower", "upper", "ly", "lm", "lday"]
EVENT_ACTOR_COLUMNS: dict[str, str] = {"actor": "string", "pos": "int64", **{c: "int64" for c in INDEXED_DATES}}

DATE_COLUMNS: dict[str, str] = {
    "date": "string", "rank": "int64", "lower": "int64", "upper": "int64", "hy": "int64", "hm": "int64",
    "ly": "int64", "lm": "int64", "lday": "int64",
}


def instant_int(value: float) -> int:
    """An instant as a 64-bit integer column value (open ends as INT_MIN / INT_MAX)."""
    if value == -math.inf:
        return INT_MIN
    if value == math.inf:
        return INT_MAX
    return max(INT_MIN, min(INT_MAX, int(value)))


def date_rows(texts: Iterable[str]) -> tuple[dict[str, list], list[str]]:
    """The dates table of ``texts`` (distinct EDTF texts) as columns, and the texts that are not dates."""
    parsed = parse_dates(set(texts))
    bad = sorted(t for t, d in parsed.items() if d is None)
    dates = sorted((d for d in parsed.values() if d is not None), key=lambda d: d.sort_key)
    columns: dict[str, list] = {name: [] for name in DATE_COLUMNS}
    for rank, date in enumerate(dates):
        hy, hm = heading_key(date)
        lower = instant_int(date.lower)
        columns["date"].append(date.text)
        columns["rank"].append(rank)
        columns["lower"].append(lower)
        columns["upper"].append(instant_int(date.upper))
        columns["hy"].append(hy)
        columns["hm"].append(hm)
        if lower == INT_MIN:
            columns["ly"].append(None)
            columns["lm"].append(None)
            columns["lday"].append(None)
        else:
            y, m = _year_month_of_instant(lower)
            columns["ly"].append(y)
            columns["lm"].append(m)
            columns["lday"].append(lower // DAY_SECONDS)
    return columns, bad


def date_of(rows: dict[str, list], i: int) -> EDTFDate:  # pragma: no cover - a helper for debugging
    from ..dates import parse_edtf

    return parse_edtf(rows["date"][i])


# -- folding in SQL ------------------------------------------------------------------------

_RANGES = [(0x0009, 0x000A), (0x0020, 0x007F), (0x00A0, 0x0250), (0x0370, 0x0400), (0x0400, 0x0530),
           (0x1E00, 0x1F00), (0x2000, 0x2070), (0x3000, 0x3001)]


def fold_table() -> tuple[str, str]:
    """``(from, to)`` for SQL ``translate``: after ``lower``, what ``fold`` does beyond lower case.

    For every character of the covered ranges (ASCII, Latin, Greek, Cyrillic,
    general punctuation), its lower case maps to its fold when the two
    differ, and so does the character itself (for an engine whose ``lower``
    leaves it be); ``translate(lower(x), from, to)`` is then ``fold(x)`` for
    text in those ranges.  Characters outside them fold by ``lower`` alone.
    """
    pairs: dict[str, str] = {}
    for start, stop in _RANGES:
        for code in range(start, stop):
            char = chr(code)
            folded = fold(char)
            lower = char.lower()
            if len(lower) == 1 and lower != folded:
                pairs.setdefault(lower, folded)
            if char != folded and char != lower:
                pairs.setdefault(char, folded)
    return "".join(pairs), "".join(pairs.values())


# What ``fold`` does beyond lower case and accents, for engines that have ``strip_accents``: letters
# without a decomposition, then typographic quotes, dashes and spaces.
_LETTERS = ("\u0130\u0131\u0142\u0141\u00f8\u00d8\u0111\u0110", "iilloodd")
_CLASSES = [
    ("[\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4]", "'"),
    ("[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]", '"'),
    ("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]", "-"),
    ("[\u00a0\u2007\u202f\u2009\u200a\u3000\t]", " "),
]


def fold_sql(expr: str) -> str:
    """DuckDB SQL folding the text ``expr`` as ``fold`` does (case, accents, typography).

    ``strip_accents(lower(...))`` does most of it at the speed of a copy; the
    replacements of letters without a decomposition and of typographic marks
    cost a pass each, so they are made only in the texts that have one."""
    special = "[" + _LETTERS[0] + "".join(pattern[1:-1] for pattern, _ in _CLASSES) + "]"
    full = f"strip_accents(lower(translate({expr}, {sql_string(_LETTERS[0])}, {sql_string(_LETTERS[1])})))"
    for pattern, replacement in _CLASSES:
        full = f"regexp_replace({full}, {sql_string(pattern)}, {sql_string(replacement)}, 'g')"
    return f"CASE WHEN regexp_matches({expr}, {sql_string(special)}) THEN {full} ELSE strip_accents(lower({expr})) END"
