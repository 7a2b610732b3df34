"""Editorial checks: what a title or summary puts in quotation marks, and where a claim's sources are.

Two of ``check --warnings``'s rules (run by ``Corpus.verify``; see
docs/corpus-format.md, *Validation*):

* ``quoted-phrase``: a phrase that an event's title or summary puts in
  quotation marks says that a source says it in those words; one that none of
  the event's quotes contains rests on nothing the event cites.
* ``claim-one-source`` (found by the loader) and ``claim-event-sources``: a
  claim records how *sources* differ; one whose statements all come from one
  document, or that is attached to an event none of whose quotes come from
  the claim's documents, marks an event "sources disagree" on no evidence
  the event shows.

Everything here is per event or per claim, with no scan of other events: the
checks cost the same per event for ten events as for a million.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .textfold import fold

__all__ = ["OPENS_QUOTE", "foreign_events", "missing_phrases", "quoted_phrases"]

# A phrase in quotation marks: “…”, „…“ or „…”, «…», "…", ‘…’ and '…'.  A single
# quotation mark is also an apostrophe (China’s, the states’ letter): an opening
# one must not follow a letter, a closing one must not be followed by one, and
# inside the phrase an apostrophe is one only when a letter follows it.
_QUOTED = re.compile(
    r"“(?P<a>[^“”]+)”"
    r"|„(?P<b>[^„“”]+)[“”]"
    r"|«\s?(?P<c>[^«»]+?)\s?»"
    r'|"(?P<d>[^"]+)"'
    r"|(?<![\w’'])‘(?P<e>(?:[^‘’]|’(?=\w))+)’(?!\w)"
    r"|(?<![\w’'])'(?P<f>(?:[^'’‘]|'(?=\w))+)'(?!\w)"
)
# Any character that may open a quotation: most titles have none, and skip the rest.
_OPENERS = re.compile(r"[“„«\"‘']")
OPENS_QUOTE = _OPENERS.search
# An elision inside a quoted phrase: each part must still be found, in order, in one quote.
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.|\[(?:…|\.\.\.)\])\s*")
_SPACES = re.compile(r"\s+")
# Punctuation a writer may move inside or outside the closing quotation mark.
_EDGE = " \t\n.,;:!?"


def _norm(text: str) -> str:
    """Folded (case, accents, typographic quotes and dashes) with runs of white space as one space."""
    return _SPACES.sub(" ", fold(text))


def quoted_phrases(text: str) -> list[str]:
    """The phrases ``text`` puts in quotation marks, in order (an empty list for most titles)."""
    if not text or _OPENERS.search(text) is None:
        return []
    phrases = []
    for m in _QUOTED.finditer(text):
        phrase = next(g for g in m.groups() if g is not None).strip(_EDGE)
        if phrase:
            phrases.append(phrase)
    return phrases


def _found(parts: Sequence[str], quote: str) -> bool:
    at = 0
    for part in parts:
        at = quote.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def missing_phrases(text: str, quotes: Iterable[str]) -> list[str]:
    """The phrases in quotation marks in ``text`` that none of ``quotes`` contains.

    A phrase is found in a quote regardless of case, accents, the kind of
    quotation marks, apostrophes and dashes, and line breaks; punctuation at
    its edges is ignored; an ellipsis (``…``, ``...``, ``[…]``) stands for
    words left out, the parts being found in order in one quote.
    """
    phrases = quoted_phrases(text)
    if not phrases:
        return []
    folded = [_norm(q) for q in quotes]
    missing = []
    for phrase in phrases:
        parts = [p for p in (s.strip(_EDGE) for s in _ELLIPSIS.split(_norm(phrase))) if p]
        if parts and not any(_found(parts, q) for q in folded):
            missing.append(phrase)
    return missing


def foreign_events(statement_documents: Iterable[str],
                   event_documents: Iterable[tuple[str, Iterable[str]]]) -> list[tuple[str, list[str]]]:
    """The events (id, their documents) that cite none of a claim's documents.

    ``event_documents`` pairs each event the claim is attached to with the
    documents its quotes come from; an event without quotes is left out (it is
    reported as unsourced).
    """
    own = set(statement_documents)
    found = []
    for event_id, documents in event_documents:
        docs = list(dict.fromkeys(documents))
        if docs and own.isdisjoint(docs):
            found.append((event_id, docs))
    return found
