"""Length-preserving text folding for search and quote diagnostics.

``fold(s)`` returns a string of exactly ``len(s)`` characters in which case,
diacritics and typographic variants are erased: ``’`` becomes ``'``, ``“`` becomes
``"``, an en dash becomes ``-``, a no-break space a space, ``É`` becomes ``e``.
Because every character maps to exactly one character, an offset found in the
folded text is the same offset in the original: search hits can be
highlighted in the document as it is.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]

_SPECIAL = {
    # apostrophes and single quotes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u0060": "'", "\u00b4": "'",
    # double quotes
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    # dashes and hyphens
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    # spaces
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ",
    # letters whose lower case is not one character, or has no decomposition
    "\u0130": "i",  # İ
    "\u00df": "\u00df",  # ß stays (its casefold is two letters)
    "\u0131": "i",  # dotless ı
    "\u0142": "l", "\u0141": "l",  # ł Ł
    "\u00f8": "o", "\u00d8": "o",  # ø Ø
    "\u0111": "d", "\u0110": "d",  # đ Đ
}


class _FoldTable(dict):
    """A ``str.translate`` table that computes each character's fold once."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _SPECIAL.get(char)
        if folded is None:
            base = unicodedata.normalize("NFD", char)[0] if not unicodedata.combining(char) else char
            lower = base.lower()
            folded = lower if len(lower) == 1 else base
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Case-, accent- and typography-insensitive form of ``text``, same length."""
    return text.translate(_TABLE)
