"""Text from a corpus in what people read: shown, never obeyed.

A corpus is data from anywhere: a title, a quote or a note may carry an
escape sequence (``ESC ] 0 ; … BEL`` retitles a terminal, ``ESC ] 52`` writes
its clipboard, ``ESC [ 2 J`` clears it), a C1 control that some terminals
obey as one, a bidirectional override that reorders what follows it, or an
invisible character that hides text.  Every output meant for people (the
Markdown and CSV exports, the citation the app copies) goes through
:func:`for_people`; the JSON outputs keep every character, escaped
(:func:`json_escape_invisible`), so that ``json.loads`` gives the same text
back and no byte of them can act on a terminal either.

The stand-ins are those the app shows on screen (``tui/app/text.py``):

* C0 controls (but tab and line breaks) become control pictures (``␛``),
  DEL ``␡``, and C1 controls ``⟨U+009B⟩``;
* bidirectional marks, embeddings, overrides and isolates become tags such as
  ``⟨RLO⟩``, which cannot reorder anything;
* invisible characters with no part in any script (zero-width space, word
  joiner, invisible operators, a byte-order mark inside the text) are dropped:
  a reader never saw them.  The zero-width joiner and non-joiner stay: emoji
  and several scripts (Persian, Indic) need them.
"""

from __future__ import annotations

import re

__all__ = ["CONTROL_CHARACTERS", "CONTROL_PATTERN", "STAND_INS", "for_people", "json_escape_invisible",
           "may_hold_control_characters"]

_BIDI = {
    0x061C: "ALM", 0x200E: "LRM", 0x200F: "RLM",
    0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
    0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
}
_INVISIBLE = (0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF)

# The one table of visible stand-ins, also the app's on screen (``tui/app/text.py`` adds what
# only a screen needs): C0 controls, DEL, C1 controls, bidirectional controls.
STAND_INS: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x00, 0x20)}
STAND_INS[0x7F] = "\u2421"
STAND_INS.update({c: f"⟨U+{c:04X}⟩" for c in range(0x80, 0xA0)})
STAND_INS.update({c: f"⟨{name}⟩" for c, name in _BIDI.items()})

_TABLE: dict[int, str | None] = dict(STAND_INS)
_TABLE.update(dict.fromkeys(_INVISIBLE))
_TABLE[0x09] = "\t"
_ONE_LINE = dict(_TABLE)
_ONE_LINE.update({0x0A: " ", 0x0D: " ", 0x2028: " ", 0x2029: " "})
_LINES = dict(_TABLE)
_LINES.update({0x0A: "\n", 0x2028: "\n", 0x2029: "\n"})

# Any character the tables change (a quick test: most text has none).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_NEWLINES = re.compile("[\n\r\u2028\u2029]")
_CR = re.compile("\r\n?")


def for_people(text: str, *, multiline: bool = True) -> str:
    """``text`` with nothing left that a terminal would obey or that hides or reorders text.

    With ``multiline`` the line breaks stay (CR LF and a lone CR become LF,
    the Unicode line and paragraph separators too); without, every line
    break becomes a space.  Tabs stay.
    """
    if multiline:
        if "\r" in text:
            text = _CR.sub("\n", text)
        return text.translate(_LINES) if _UNSAFE.search(text) else text
    if _UNSAFE.search(text) or _NEWLINES.search(text):
        return text.translate(_ONE_LINE)
    return text


# -- JSON -------------------------------------------------------------------------------------------------

# The UTF-8 forms of the characters JSON writers leave raw that must not reach a terminal: DEL,
# C1 controls, bidirectional controls, zero-width and invisible characters, the line and
# paragraph separators, U+FEFF. (C0 controls are always escaped in JSON.) Each starts with a
# lead byte, and outside its strings JSON is ASCII: a match is always one whole character.
_JSON_INVISIBLE = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xef\xbb\xbf"
)


def _escape(match: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(match.group().decode("utf-8"))


def json_escape_invisible(data: bytes) -> bytes:
    """JSON text (UTF-8) with those characters as ``\\uXXXX`` escapes: the same JSON value."""
    if data.isascii() and b"\x7f" not in data:
        return data
    return _JSON_INVISIBLE.sub(_escape, data)


# -- finding control characters in a corpus file --------------------------------------------------------------

# In the bytes of a JSON file: a control character (but tab, LF, CR), DEL, a C1 control, a
# bidirectional embedding, override or isolate, written raw or as a JSON escape. It may match
# a little more (an escaped backslash before a "b"): what it finds is checked again, exactly.
_CONTROL_ESCAPE = rb"\\(?:u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F]|u20(?:2[a-eA-E]|6[6-9])|[bf])"
_CONTROL_ESCAPES = re.compile(_CONTROL_ESCAPE)
CONTROL_PATTERN = re.compile(_CONTROL_ESCAPE + rb"|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
# The same characters in decoded text.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def may_hold_control_characters(data: bytes | memoryview) -> bool:
    """Might the JSON text ``data`` hold one of those characters? False is certain.

    A scan of the bytes (~400 MB/s; ASCII text without a backslash, in a
    tenth of that); the strings it points at are to be looked at exactly.
    """
    if isinstance(data, (bytes, bytearray)) and data.isascii():
        return b"\x7f" in data or (b"\\" in data and _CONTROL_ESCAPES.search(data) is not None)
    return CONTROL_PATTERN.search(data) is not None
