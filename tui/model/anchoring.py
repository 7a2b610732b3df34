"""Quote anchoring: W3C TextQuoteSelector to TextPositionSelector, and back.

A selector ``(exact, prefix, suffix)`` names the passage ``exact`` of a
document, with ``prefix`` and ``suffix`` the text right before and after it
when ``exact`` alone occurs more than once.  ``resolve`` turns it into code-point
offsets ``(start, end)`` such that ``text[start:end] == exact``, or explains
precisely why it cannot: not found (with the nearest passage and how similar
it is), ambiguous (with where it occurs and a prefix that would disambiguate),
or only found without the given prefix/suffix.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable

import msgspec

from .textfold import fold

__all__ = [
    "AnchorError",
    "Context",
    "LineIndex",
    "context",
    "make_selector",
    "selector_fields",
    "nearest_passage",
    "occurrences",
    "resolve",
]


class AnchorError(Exception):
    """A selector that does not resolve to exactly one passage."""

    def __init__(self, kind: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.kind = kind  # "missing" | "ambiguous" | "context"
        self.message = message
        self.hint = hint


class LineIndex:
    """Offsets to 1-based line and column numbers for one text."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def occurrences(text: str, exact: str, limit: int | None = None) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``exact``."""
    found = []
    start = text.find(exact)
    while start != -1:
        found.append(start)
        if limit is not None and len(found) >= limit:
            break
        start = text.find(exact, start + 1)
    return found


def _matches_context(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    return (not prefix or text.endswith(prefix, 0, start)) and (not suffix or text.startswith(suffix, end))


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve(text: str, exact: str, prefix: str = "", suffix: str = "", lines: LineIndex | None = None) -> tuple[int, int]:
    """Offsets ``(start, end)`` of the one passage the selector names."""
    if not exact:
        raise AnchorError("missing", "the quote is empty", 'give the passage in "exact"')
    starts = occurrences(text, exact)
    n = len(exact)
    matching = [s for s in starts if _matches_context(text, s, s + n, prefix, suffix)]
    if len(matching) == 1:
        return matching[0], matching[0] + n
    lines = lines or LineIndex(text)
    if len(matching) > 1:
        where = ", ".join(f"line {lines.line_col(s)[0]}" for s in matching[:6])
        more = f" and {len(matching) - 6} more" if len(matching) > 6 else ""
        p, _, s_ = make_selector(text, matching[0], matching[0] + n, prefix, suffix)
        hint_parts = []
        if p != prefix:
            hint_parts.append(f'"prefix": {_json_str(p)}')
        if s_ != suffix:
            hint_parts.append(f'"suffix": {_json_str(s_)}')
        hint = (
            f"add {' and '.join(hint_parts)} to pick the first one (at line {lines.line_col(matching[0])[0]}), "
            "or lengthen the quote"
        )
        raise AnchorError("ambiguous", f"the quote occurs {len(matching)} times ({where}{more})", hint)
    if starts:
        which = []
        if prefix and not any(text.endswith(prefix, 0, s) for s in starts):
            which.append("prefix")
        if suffix and not any(text.startswith(suffix, s + n) for s in starts):
            which.append("suffix")
        what = " and ".join(which) or "prefix and suffix together"
        line = lines.line_col(starts[0])[0]
        raise AnchorError(
            "context",
            f"the quote occurs {len(starts)} time(s) (first at line {line}) but never with the given {what}",
            f"correct the {what} to the text just around the quote, or remove it if the quote is unique",
        )
    start, end, ratio = nearest_passage(text, exact)
    line = lines.line_col(start)[0]
    passage = text[start:end]
    if ratio < 0.6:
        best = f" (the closest, {_percent(ratio)} similar, is at line {line}: {_json_str(_short(passage))})" if ratio > 0 else ""
        raise AnchorError("missing", f"the quote is not in the document, and nothing in it is close{best}",
                          "check that the quote comes from this document, and copy it verbatim")
    message = f"the quote is not in the document; the nearest passage, {_percent(ratio)} similar, is at line {line}: {_json_str(_short(passage))}"
    hint = "copy the passage verbatim from the document"
    diff = _first_difference(exact, passage)
    if diff:
        hint = f"{diff}; {hint}"
    raise AnchorError("missing", message, hint)


def _json_str(text: str) -> str:
    # Shown inside diagnostics: escape control characters so that document
    # text can never act on the terminal.
    out = []
    for ch in text:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in _INVISIBLE:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_NAMED_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


# Patterns compiled on first use (by re, which keeps them): they only explain quotes that are not
# found, and compiling the Unicode word classes took 0.8 ms of every start-up.
_TOKEN = r"\w+|\s+|[^\w\s]"


def _first_difference(exact: str, passage: str) -> str:
    """Describe, word by word, the first place where the quote differs from the passage."""
    doc_tokens = re.findall(_TOKEN, passage)
    quote_tokens = re.findall(_TOKEN, exact)
    matcher = difflib.SequenceMatcher(None, doc_tokens, quote_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        doc_part, quote_part = "".join(doc_tokens[i1:i2]), "".join(quote_tokens[j1:j2])
        if len(doc_part) == 1 and len(quote_part) == 1:
            return (f"the document has {_json_str(doc_part)} (U+{ord(doc_part):04X}) where the quote has "
                    f"{_json_str(quote_part)} (U+{ord(quote_part):04X})")
        if not doc_part.strip() and not quote_part.strip():
            return (f"the spacing differs: the document has {_json_str(doc_part) if doc_part else 'nothing'} "
                    f"where the quote has {_json_str(quote_part) if quote_part else 'nothing'}")
        if not quote_part.strip():
            return f"the document has {_json_str(_short(doc_part, 40))} that the quote leaves out"
        if not doc_part.strip():
            return f"the quote adds {_json_str(_short(quote_part, 40))}, which the document does not have"
        return f"the document has {_json_str(_short(doc_part, 40))} where the quote has {_json_str(_short(quote_part, 40))}"
    return ""


_WORD = r"\w{4,}"


def _percent(ratio: float) -> str:
    """A similarity as a whole percentage, rounded down: a passage that differs
    from the quote is never said to be 100% similar."""
    return f"{int(ratio * 100)}%"


def nearest_passage(text: str, exact: str) -> tuple[int, int, float]:
    """The passage of ``text`` most similar to ``exact``: ``(start, end, ratio)``.

    Used only to explain a quote that is not found, so it favours a useful
    answer over speed: exact matches of the folded text first (a curly
    apostrophe typed straight), then windows aligned on the quote's words.
    """
    n = len(exact)
    if not text or not exact:
        return 0, 0, 0.0
    folded_text = fold(text)
    folded_exact = fold(exact)
    pos = folded_text.find(folded_exact)
    if pos != -1:
        ratio = difflib.SequenceMatcher(None, exact, text[pos : pos + n], autojunk=False).ratio()
        return pos, pos + n, ratio
    # Candidate window starts: wherever a word of the quote occurs in the
    # text, shifted by that word's offset in the quote.
    candidates: set[int] = set()
    for m in re.finditer(_WORD, folded_exact):
        word = m.group()
        for p in occurrences(folded_text, word, limit=200):
            candidates.add(max(0, min(len(text) - 1, p - m.start())))
        if len(candidates) > 2000:
            break
    if not candidates:
        step = max(1, n // 4)
        candidates = set(range(0, max(1, len(text) - n + 1), step))
    best = (0, min(n, len(text)), 0.0)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(folded_exact)
    for s in sorted(candidates):
        window = folded_text[s : s + n]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best[2] or matcher.quick_ratio() <= best[2]:
            continue
        r = matcher.ratio()
        if r > best[2]:
            best = (s, min(len(text), s + n), r)
    start, end, ratio = _refine(folded_text, folded_exact, text, exact, best)
    # Show whole words: never cut one in two at either edge.
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end, ratio


def _refine(folded_text: str, folded_exact: str, text: str, exact: str, best: tuple[int, int, float]) -> tuple[int, int, float]:
    """Re-align a fixed-width best window on the quote's actual extent."""
    start, end, ratio = best
    if ratio <= 0:
        return best
    n = len(exact)
    slack = max(8, n // 5)
    lo = max(0, start - slack)
    region = folded_text[lo : min(len(text), end + slack)]
    blocks = [b for b in difflib.SequenceMatcher(None, region, folded_exact, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return best
    first, last = blocks[0], blocks[-1]
    new_start = max(0, lo + first.a - first.b)
    new_end = min(len(text), lo + last.a + last.size + (n - last.b - last.size))
    new_ratio = difflib.SequenceMatcher(None, exact, text[new_start:new_end], autojunk=False).ratio()
    return (new_start, new_end, new_ratio) if new_ratio >= ratio else best


def make_selector(text: str, start: int, end: int, prefix: str = "", suffix: str = "") -> tuple[str, str, str]:
    """The shortest ``(prefix, exact, suffix)`` that names exactly ``text[start:end]``.

    Keeps any given prefix/suffix as a floor and grows them a word at a time
    (then a character at a time at the edges of the text) until unique.
    """
    exact = text[start:end]
    for growth in _growths(text, start, end, len(prefix), len(suffix)):
        p = text[start - growth[0] : start] if growth[0] else ""
        s = text[end : end + growth[1]]
        matching = [
            o for o in occurrences(text, exact)
            if _matches_context(text, o, o + len(exact), p, s)
        ]
        if matching == [start]:
            return p, exact, s
    return text[:start], exact, text[end:]


def selector_fields(text: str, start: int, end: int) -> dict[str, str]:
    """A quote's selector fields for ``text[start:end]`` as the corpus writes them: ``exact``, and
    ``prefix``/``suffix`` only when they are needed (see ``make_selector``)."""
    prefix, exact, suffix = make_selector(text, start, end)
    fields = {"exact": exact}
    if prefix:
        fields["prefix"] = prefix
    if suffix:
        fields["suffix"] = suffix
    return fields


def _growths(text: str, start: int, end: int, min_prefix: int, min_suffix: int):
    """Prefix/suffix lengths to try, shortest first, alternating sides."""
    p, s = min_prefix, min_suffix
    yield p, s
    while p < start or s < len(text) - end:
        if p < start:
            p = _next_word_boundary_back(text, start, p)
            yield p, s
        if s < len(text) - end:
            s = _next_word_boundary_forward(text, end, s)
            yield p, s


def _next_word_boundary_back(text: str, start: int, current: int) -> int:
    i = start - current - 1
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return start - max(i, 0)


def _next_word_boundary_forward(text: str, end: int, current: int) -> int:
    i = end + current + 1
    while i < len(text) and not text[i].isspace():
        i += 1
    return min(i, len(text)) - end


class Context(msgspec.Struct, frozen=True):
    """The passage around a quote: ``text`` is ``document[start:end]``.

    ``quote_start``/``quote_end`` are the quote's offsets inside ``text``;
    ``clipped_start``/``clipped_end`` say whether the paragraph goes on
    beyond the shown window.
    """

    start: int
    end: int
    text: str
    quote_start: int
    quote_end: int
    clipped_start: bool = False
    clipped_end: bool = False


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


def context(
    text: str,
    start: int,
    end: int,
    max_chars: int | None = None,
    barriers: Iterable[tuple[int, int]] = (),
) -> Context:
    """The paragraph(s) containing ``text[start:end]``, optionally clipped.

    Paragraphs are separated by blank lines, and by the ``barriers`` spans
    (excluded passages: boilerplate inside a paragraph is not context).  With
    ``max_chars``, a long paragraph is clipped to whole sentences around the
    quote (never cutting the quote itself).
    """
    para_start = 0
    for m in _BLANK_LINE.finditer(text, 0, start):
        para_start = m.end()
    m = _BLANK_LINE.search(text, end)
    para_end = m.start() if m else len(text)
    for b_start, b_end in barriers:
        if b_end <= start:
            para_start = max(para_start, b_end)
        elif b_start >= end:
            para_end = min(para_end, b_start)
    # A quote that itself ends a paragraph keeps that paragraph only.
    para_end = max(para_end, end)
    clip_start, clip_end = para_start, para_end
    clipped_start = clipped_end = False
    if max_chars is not None and para_end - para_start > max_chars:
        budget = max(0, max_chars - (end - start))
        before = budget // 2
        lo = max(para_start, start - before)
        hi = min(para_end, end + (budget - (start - lo)))
        lo = max(para_start, min(lo, start - (budget - (hi - end))))
        # Snap outward-limited edges to sentence starts/ends where possible.
        if lo > para_start:
            snap = None
            for s in _SENTENCE_END.finditer(text, lo, start):
                snap = s.end()
                break
            lo = snap if snap is not None else _word_start(text, lo, start)
            clipped_start = lo > para_start
        if hi < para_end:
            snap = None
            for s in _SENTENCE_END.finditer(text, end, hi):
                snap = s.end()
            hi = snap if snap is not None else _word_end(text, hi, end)
            clipped_end = hi < para_end
        clip_start, clip_end = lo, hi
    body = text[clip_start:clip_end]
    # Trim surrounding whitespace but keep the offsets honest.
    lead = len(body) - len(body.lstrip())
    trail = len(body) - len(body.rstrip())
    lead = min(lead, start - clip_start)
    trail = min(trail, clip_end - end)
    clip_start += lead
    clip_end -= trail
    return Context(
        clip_start,
        clip_end,
        text[clip_start:clip_end],
        start - clip_start,
        end - clip_start,
        clipped_start,
        clipped_end,
    )


def _word_start(text: str, pos: int, limit: int) -> int:
    while pos < limit and not text[pos - 1].isspace():
        pos += 1
    return pos


def _word_end(text: str, pos: int, limit: int) -> int:
    while pos > limit and not text[pos].isspace():
        pos -= 1
    return pos
