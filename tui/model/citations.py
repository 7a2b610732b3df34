"""The documents of a corpus as references: CSL-JSON, BibTeX, and pandoc citations.

What reference managers (Zotero, Mendeley, JabRef) and pandoc read.  Every
document is one reference, with the fields it has and no others: its title,
its outlet (CSL ``container-title``), its publication date (``issued``), its
URL and, when the corpus records it, the day its copy was accessed.  Its
citation key is its id, unique in the corpus and stable across exports.

Dates keep their EDTF precision: a month is ``[[2019, 7]]``, an interval two
date-parts, an approximate date ``circa``; what CSL's date-parts cannot say
(an uncertain date) travels as its EDTF string in ``raw`` (pandoc's citeproc
reads EDTF there), and what no processor reads (an open interval, a season,
unspecified digits) as ``literal``, the date in words.

Text meant for people (BibTeX, Markdown) never carries control characters or
escape sequences from the documents: they are shown escaped (``printable``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import BinaryIO
from urllib.parse import quote as url_quote

import orjson

from .corpus import Corpus, Document, Event, Query
from .dates import EDTFDate, Precision
from .errors import printable

__all__ = [
    "CSL_TYPE",
    "bibtex_entry",
    "citation_key",
    "csl_date",
    "csl_item",
    "pandoc_citation",
    "write_bibtex",
    "write_csl_json",
]

# CSL's generic type (Zotero exports its "Document" items as this): a corpus says
# nothing more specific about what a document is, and nothing is invented.
CSL_TYPE = "document"

_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def citation_key(doc: Document) -> str:
    """The document's citation key: its id (unique in the corpus, stable, and a valid BibTeX key)."""
    return doc.id


# A key pandoc reads bare: word characters, with single punctuation marks inside.
_BARE_KEY = re.compile(r"[A-Za-z0-9_]+(?:[.:\-][A-Za-z0-9_]+)*")


def pandoc_key(doc: Document) -> str:
    """``@key``, or ``@{key}`` when the key ends with (or doubles) punctuation, which pandoc would drop."""
    key = citation_key(doc)
    return f"@{key}" if _BARE_KEY.fullmatch(key) else f"@{{{key}}}"


def pandoc_citation(doc: Document, suffix: str = "") -> str:
    """A pandoc citation of ``doc``: ``[@key]``, or ``[@key, suffix]``."""
    return f"[{pandoc_key(doc)}{', ' + suffix if suffix else ''}]"


# -- CSL-JSON ----------------------------------------------------------------------------------------


def _csl_year(year: int) -> int:
    # EDTF numbers years astronomically (0000 is 1 BCE); CSL writes BCE years as negative numbers.
    return year if year > 0 else year - 1


def _parts(point) -> list[int] | None:
    if point is None or point.month is not None and not 1 <= point.month <= 12:
        return None  # a season (21-24): no date-parts for it
    parts = [_csl_year(point.year)]
    if point.month is not None and point.precision >= Precision.MONTH:
        parts.append(point.month)
        if point.day is not None and point.precision >= Precision.DAY:
            parts.append(point.day)
    return parts


def csl_date(date: EDTFDate, *, uncertain_as_circa: bool = False) -> dict:
    """A CSL-JSON date for an EDTF date, at its precision (see the module's docstring).

    ``uncertain_as_circa``: for a processor that reads no EDTF (citeproc-py), an uncertain
    date as its parts, marked circa, instead of its EDTF string.
    """
    if date.uncertain and not uncertain_as_circa:
        return {"raw": date.text}
    if date.interval:
        if date.open_start or date.open_end or date.unknown_start or date.unknown_end:
            return {"literal": date.human()}
        ends = [_parts(date.start), _parts(date.end)]
        if None in ends:
            return {"literal": date.human()}
        value: dict = {"date-parts": ends}
    else:
        parts = _parts(date.start)
        if parts is None:
            return {"literal": date.human()}
        value = {"date-parts": [parts]}
    if date.approximate or date.uncertain:
        value["circa"] = True
    return value


def _text(value: str) -> str:
    """Document text for a reference's field: one line, control characters shown escaped."""
    return printable(" ".join(value.split()))


def csl_item(doc: Document) -> dict:
    """The CSL-JSON item of a document: the fields it has, none invented."""
    item: dict = {"id": citation_key(doc), "type": CSL_TYPE}
    if doc.title:
        item["title"] = _text(doc.title)
    if doc.outlet:
        item["container-title"] = _text(doc.outlet)
    if doc.published is not None:
        item["issued"] = csl_date(doc.published)
    if doc.url:
        item["URL"] = _url(doc.url)
    if doc.accessed is not None:
        item["accessed"] = csl_date(doc.accessed)
    return item


def _url(url: str) -> str:
    # Spaces, braces, backslashes and invisible or control characters percent-encoded:
    # a URL is then one token everywhere (BibTeX's verbatim url field, Markdown, a terminal).
    url = url.strip()
    return "".join(c if c.isprintable() and c not in " {}\\\"<>" else url_quote(c, safe="") for c in url)


def _cited_documents(corpus: Corpus, events: Iterable[Event], query: Query, cited: set[str] | None = None) -> list[Document]:
    """The documents to list: every document of the corpus for the whole chronology, else those
    the selected events (and the claims about them) cite; in the corpus's order."""
    if query.is_empty() and cited is None:
        return list(corpus.documents.values())
    wanted: set[str] = set(cited or ())
    claims: set[str] = set()
    for e in events:
        wanted.update(q.document.id for q in e.quotes)
        claims.update(e.claims)
    for cid in claims:
        claim = corpus.claims.get(cid)
        if claim is not None:
            wanted.update(s.document.id for s in claim.statements)
    return [d for d in corpus.documents.values() if d.id in wanted]


def write_csl_json(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO) -> int:
    """The documents as a CSL-JSON array (one item per line); returns how many."""
    docs = _cited_documents(corpus, events, query)
    return write_csl_items(docs, out)


def write_csl_items(docs: list[Document], out: BinaryIO) -> int:
    out.write(b"[")
    for i, doc in enumerate(docs):
        out.write((b"\n" if i == 0 else b",\n") + orjson.dumps(csl_item(doc)))
    out.write(b"\n]\n")
    return len(docs)


# -- BibTeX -------------------------------------------------------------------------------------------

_BIB_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#",
    "_": r"\_", "^": r"\^{}", "~": r"\~{}",
}
_BIB_RE = re.compile(r"[\\{}$&%#_^~]")


def bib_escape(value: str) -> str:
    """Text for a BibTeX field, shown literally: LaTeX's special characters escaped, one line,
    control and invisible characters shown as ``\\uXXXX`` (whose backslash is escaped in turn)."""
    return _BIB_RE.sub(lambda m: _BIB_SPECIAL[m.group()], _text(value))


# EDTF forms biblatex's date fields read (ISO 8601-2 level 1: qualifiers, X digits,
# open and unknown interval ends, seasons, times); years with a 'Y' or sets are not among them.
_BIBLATEX_DATE = re.compile(r"[0-9X\-+:T~?%./Z]+")


def bibtex_entry(doc: Document) -> str:
    """The BibTeX entry (``@misc``) of a document: ``title``, ``howpublished`` (the outlet),
    biblatex's ``date`` (the EDTF date) and classic ``year``/``month``, ``url``, ``urldate``."""
    fields: list[tuple[str, str]] = []
    if doc.title:
        fields.append(("title", "{" + bib_escape(doc.title) + "}"))  # double braces: styles keep its case
    if doc.outlet:
        fields.append(("howpublished", bib_escape(doc.outlet)))
    date = doc.published
    if date is not None:
        if _BIBLATEX_DATE.fullmatch(date.text):
            fields.append(("date", date.text))
        else:
            fields.append(("note", bib_escape(f"Published {date.human()}")))
        start = date.start
        if not date.interval and start is not None and start.year > 0:
            fields.append(("year", str(start.year)))
            if start.month is not None and 1 <= start.month <= 12 and start.precision >= Precision.MONTH:
                fields.append(("month", _MONTH_MACROS[start.month - 1]))
    if doc.url:
        fields.append(("url", _url(doc.url)))
    if doc.accessed is not None and _BIBLATEX_DATE.fullmatch(doc.accessed.text):
        fields.append(("urldate", doc.accessed.text))
    lines = [f"@misc{{{citation_key(doc)},"]
    for name, value in fields:
        # month macros go bare; everything else braced
        lines.append(f"  {name} = {value if name == 'month' else '{' + value + '}'},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_bibtex(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO) -> int:
    """The documents as BibTeX entries (UTF-8); returns how many."""
    docs = _cited_documents(corpus, events, query)
    out.write(f"% {_text(corpus.title)}: {len(docs)} references, exported by Timeline Explorer\n".encode())
    for doc in docs:
        out.write(b"\n" + bibtex_entry(doc).encode("utf-8"))
    return len(docs)


def references_name(markdown_name: str) -> str:
    """The CSL-JSON file written beside a Markdown export: ``paper.md`` → ``paper.references.json``."""
    stem = markdown_name[:-3] if markdown_name.lower().endswith(".md") else markdown_name
    return f"{stem}.references.json"


WRITERS: dict[str, Callable[[Corpus, Iterable[Event], Query, BinaryIO], int]] = {
    "csl-json": write_csl_json,
    "bibtex": write_bibtex,
}
