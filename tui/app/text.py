"""Text from documents, shown literally and safely.

Everything a corpus contains (titles, quotes, names, whole documents) is data.
It is put on screen as ``rich.text.Text`` built from plain strings, never
parsed as Rich/Textual markup, and every character that could act on a
terminal or break the layout is replaced by a visible stand-in:

* C0/C1 control characters (escape sequences start with one) become control
  pictures (``␛``) or ``⟨U+009B⟩``;
* bidirectional overrides and isolates become ``⟨RLO⟩``-style tags, so that
  they cannot reorder what follows (right-to-left scripts themselves, such as
  Uyghur, are shown as they are);
* joiners and emoji modifiers whose width terminals disagree on (ZWJ,
  variation selector 16, skin tones, tag characters) are dropped from the
  display, so each emoji keeps the width the layout reserved for it.

Styling uses offsets into the original text; sanitising happens per styled
run, so highlights stay exactly where the quote is.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text

from ..model.safetext import STAND_INS

__all__ = ["safe", "safe_line", "styled"]

_TABLE: dict[int, str | None] = dict(STAND_INS)  # C0 and C1 controls, DEL, bidirectional controls
_TABLE[0x2028] = "⟨LS⟩"
_TABLE[0x2029] = "⟨PS⟩"
_TABLE[0xFEFF] = None  # byte-order mark / zero-width no-break space
for _c in (0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)):
    _TABLE[_c] = None
_TABLE[0x09] = " "  # a tab is shown as a space: its width is not ours to guess

_MULTILINE = dict(_TABLE)
_MULTILINE[0x0A] = "\n"
_MULTILINE[0x0D] = None  # CR of CRLF: the LF already ends the line


def safe(text: str, *, multiline: bool = False) -> str:
    """``text`` with nothing left that a terminal would obey."""
    return text.translate(_MULTILINE if multiline else _TABLE)


def safe_line(text: str) -> str:
    """One line of display text: line breaks become spaces, then made safe."""
    return safe(" ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text)


def styled(
    text: str,
    spans: Iterable[tuple[int, int, Style | str]] = (),
    *,
    base: Style | str = "",
    multiline: bool = True,
) -> Text:
    """A safe ``Text`` of ``text`` with styles over ``[start, end)`` offsets of the original.

    Overlapping spans combine (later spans on top).
    """
    spans = [(max(0, s), min(len(text), e), st) for s, e, st in spans if e > s]
    cuts = {0, len(text)}
    for s, e, _ in spans:
        cuts.add(s)
        cuts.add(e)
    points = sorted(cuts)
    out = Text(style=base, end="", no_wrap=False)
    for a, b in zip(points, points[1:]):
        if a >= b:
            continue
        style: Style | str = ""
        active = [st for s, e, st in spans if s <= a and b <= e]
        if active:
            style = Style.combine(Style.parse(st) if isinstance(st, str) else st for st in active)
        piece = safe(text[a:b], multiline=multiline)
        if piece:
            out.append(piece, style or None)
    return out
