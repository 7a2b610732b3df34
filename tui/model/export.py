"""Exports of a chronology: JSON (``timeline-export/1``), CSV, Markdown and TimelineJS; the documents
as references (CSL-JSON, BibTeX: ``citations``); the quotes as W3C Web Annotations (``annotations``).

Every writer streams: it takes an iterable of events and writes them one by
one to a binary file, so exporting a very large corpus never builds the whole
output in memory.  Quote texts are always ``document[start:end]``.
"""

from __future__ import annotations

import csv
import json
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

import orjson

from .corpus import Claim, Corpus, Document, Event, Query, Quote
from .dates import MONTH_NAMES, Precision, format_year
from .safetext import for_people, json_escape_invisible

__all__ = ["CSV_FORMULAS", "EXPORT_FORMAT", "FORMATS", "UNITS", "protected_files", "write_export"]

EXPORT_FORMAT = "timeline-export/1"


def _quote_record(q: Quote) -> dict:
    record = {
        "doc": q.document.id,
        "path": q.document.path,
        "start": q.start,
        "end": q.end,
        "text": q.text,
    }
    if not q.anchored:
        record["anchored"] = False
    return record


def _event_record(corpus: Corpus, e: Event) -> dict:
    earliest, latest = e.date.day_bounds()
    record = {
        "id": e.id,
        "date": e.date.text,
        "date_label": e.date.human(),
        # For tools that cannot read EDTF: the first and last day the date can denote (ISO 8601).
        "date_earliest": earliest,
        "date_latest": latest,
        "title": e.title,
        "summary": e.summary,
        "type": e.type,
        "tags": list(e.tags),
        "actors": [{"id": a, "name": corpus.actors[a].name} for a in e.actors],
        "quotes": [_quote_record(q) for q in e.quotes],
        "date_note": e.date_note,
        "claims": list(e.claims),
    }
    if e.draft:
        record["draft"] = True
        if e.confidence is not None:
            record["confidence"] = e.confidence
    if e.extra:
        record["extra"] = e.extra
    return record


def _claim_record(c: Claim) -> dict:
    return {
        "id": c.id,
        "about": c.about,
        "events": list(c.events),
        "statements": [{**_quote_record(s), "value": s.value} for s in c.statements],
    }


def _document_record(d: Document) -> dict:
    return {
        "id": d.id,
        "path": d.path,
        "title": d.title,
        "outlet": d.outlet,
        "published": d.published.text if d.published else None,
        "url": d.url,
        "accessed": d.accessed.text if d.accessed else None,
    }


def _query_record(query: Query) -> dict:
    return {
        "actors": sorted(query.actors),
        "from": query.date_from.text if query.date_from else None,
        "to": query.date_to.text if query.date_to else None,
        "types": sorted(query.types),
        "search": query.text,
    }


def _claims_for(corpus: Corpus, touched: set[str], query: Query) -> list[Claim]:
    """The claims to export: all of them for the whole chronology, else those touching
    an exported event (``touched``: their ids, gathered as the events streamed by)."""
    if query.is_empty():
        return list(corpus.claims.values())
    return [c for c in corpus.claims.values() if c.id in touched]


def _json(value: object) -> bytes:
    """JSON of ``value`` in which no character can act on a terminal (all escaped, none lost)."""
    return json_escape_invisible(orjson.dumps(value))


def write_json(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO) -> int:
    head = {
        "format": EXPORT_FORMAT,
        "corpus": {
            "title": corpus.title,
            "description": corpus.description,
            "format": "timeline-corpus/1",
            "documents": [_document_record(d) for d in corpus.documents.values()],
        },
        "query": _query_record(query),
    }
    # Stream: the header object, then one event per line, then the claims.
    out.write(_json(head)[:-1] + b',\n"events":[')
    touched: set[str] = set()
    count = 0
    for e in events:
        out.write((b"\n" if count == 0 else b",\n") + _json(_event_record(corpus, e)))
        touched.update(e.claims)
        count += 1
    out.write(b'\n],\n"claims":[')
    for i, c in enumerate(_claims_for(corpus, touched, query)):
        out.write((b"\n" if i == 0 else b",\n") + _json(_claim_record(c)))
    out.write(b"\n]}\n")
    return count


CSV_COLUMNS = [
    "id", "date", "date_label", "title", "summary", "type", "tags", "actor_ids", "actors",
    "sources", "documents", "quotes", "claims", "date_note",
]


# A cell a spreadsheet would read as a formula starts with one of these (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_FORMULAS = ("escape", "keep")


def csv_cell(value: object, *, formulas: str = "escape") -> str:
    """A CSV cell of ``value``: text for people (see ``safetext``) and, with ``formulas="escape"``,
    a ``'`` before a cell that a spreadsheet would otherwise run as a formula (``=``, ``+``, ``-``,
    ``@``, tab, carriage return at its start: OWASP's advice). ``"keep"`` leaves such cells as
    they are, for programs that read the CSV as data (a negative number, a date like -0500)."""
    text = for_people(value if isinstance(value, str) else str(value))
    if formulas == "escape" and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO, *,
              csv_formulas: str = "escape") -> int:
    """One row per event; ``csv_formulas``: see ``csv_cell``."""
    formulas = csv_formulas
    if formulas not in CSV_FORMULAS:
        raise ValueError(f"csv_formulas must be one of {CSV_FORMULAS}, not {formulas!r}")
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        count = 0
        for e in events:
            writer.writerow([csv_cell(value, formulas=formulas) for value in (
                e.id,
                e.date.text,
                e.date.human(),
                e.title,
                e.summary,
                e.type,
                "; ".join(e.tags),
                "; ".join(e.actors),
                "; ".join(corpus.actors[a].name for a in e.actors),
                e.source_count,
                "; ".join(d.id for d in e.documents),
                "\n\n".join(f"[{q.document.id}] {q.text}" for q in e.quotes),
                "; ".join(e.claims),
                e.date_note,
            )])
            count += 1
        text.flush()
    finally:
        text.detach()
    return count


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#$@])")  # @: pandoc would read "@key" as a citation
# Block markers at the start of a line: bullets, ordered-list numbers
# (escape the punctuation: "1\." — a backslash before a digit would show),
# setext underlines, blockquotes are covered by ">" above.
_MD_BULLET = re.compile(r"^(\s*)([-+=])", re.MULTILINE)
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Text for Markdown, shown literally: no emphasis, links, HTML, lists or headings,
    and no control character (``safetext.for_people``)."""
    text = _MD_SPECIAL.sub(r"\\\1", for_people(text))
    text = _MD_BULLET.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _MD_ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _md_block(text: str, indent: str = "    ") -> str:
    # Continuation lines of a footnote must be indented to stay inside it.
    return md_escape(text).replace("\n", "\n" + indent)


def _md_citation(d: Document) -> str:
    parts = [f"*{md_escape(d.title or d.path)}*"]
    if d.outlet:
        parts.append(md_escape(d.outlet))
    if d.published is not None:
        parts.append(md_escape(d.published.human()))
    text = ", ".join(parts)
    if d.url:
        text += f", <{d.url}>" if re.fullmatch(r"https?://[^\s<>]+", d.url) else f", {md_escape(d.url)}"
    return text


def _md_quote_note(q: Quote) -> str:
    where = f"characters {q.start}–{q.end}" if q.anchored else "not found in the document"
    return f"“{_md_block(q.text)}” — {_md_citation(q.document)} (`{q.document.id}`, {where})."


_OPEN_START = object()  # the heading of the dates with an open start (``../2019-07``), as in the timeline


def write_markdown(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO, *,
                   quote_note: Callable[[Quote], str] = _md_quote_note, front: str = "", tail: str = "",
                   sources_heading: bool = True) -> int:
    """The chronology in Markdown; ``quote_note`` writes each quote's footnote (the pandoc variant
    cites with ``[@key]``, see ``citations``), ``front`` and ``tail`` go first and last."""
    # Everything written goes through for_people: no control character from the corpus reaches the file.
    w: Callable[[str], object] = lambda s: out.write(for_people(s).encode("utf-8"))  # noqa: E731
    w(front)
    w(f"# {md_escape(corpus.title)}\n\n")
    filters = query.describe(corpus)
    if filters:
        w(f"Events matching {md_escape(filters)}.\n\n")
    w("Each event cites the source passages it rests on in its footnotes; dates marked "
      "“c.” are approximate and those marked “?” uncertain.\n")
    # The footnotes go at the end but are known event by event: they wait in a
    # temporary file, not in memory, so that the export streams at any size.
    with tempfile.TemporaryFile() as notes:
        n_notes = 0

        def note(text: str) -> int:
            nonlocal n_notes
            n_notes += 1
            notes.write(for_people(f"[^{n_notes}]: {text}\n").encode("utf-8"))
            return n_notes

        touched: set[str] = set()
        year = month = object()
        count = 0
        for e in events:
            if e.date.open_start or e.date.lower == float("-inf"):  # first in the timeline, under their own heading
                y, m, label = _OPEN_START, None, "Open start"
            else:
                y, m = e.date.year_month()
                label = format_year(y) if y is not None else "Undated"
            if y != year:
                w(f"\n## {label}\n")
                year, month = y, None
            if m != month and m is not None and e.date.precision >= Precision.MONTH:
                w(f"\n### {MONTH_NAMES[m - 1]} {format_year(y)}\n")
                month = m
            marks = "".join(f"[^{note(quote_note(q))}]" for q in e.quotes)
            draft = " *(draft)*" if e.draft else ""
            w(f"\n- **{md_escape(e.date.human())}** — {md_escape(e.title)}{marks}{draft}\n")
            if e.summary:
                w(f"\n  {_md_block(e.summary, '  ')}\n")
            if e.date_note:
                w(f"\n  *Date:* {_md_block(e.date_note, '  ')}\n")
            for cid in e.claims:
                w(f"\n  *Sources disagree:* {md_escape(corpus.claims[cid].about)} (see “Disagreements”).\n")
            touched.update(e.claims)
            count += 1
        if count == 0:
            w("\nNo events match.\n")
        claims = _claims_for(corpus, touched, query)
        if claims:
            w("\n## Disagreements between sources\n")
            for c in claims:
                w(f"\n### {md_escape(c.about)}\n\n")
                for s in c.statements:
                    value = f"**{md_escape(s.value)}** — " if s.value else ""
                    w(f"- {value}{md_escape(s.document.label)}[^{note(quote_note(s))}]\n")
        if n_notes:
            w("\n## Sources\n\n" if sources_heading else "\n")
            notes.seek(0)
            shutil.copyfileobj(notes, out)
    w(tail)
    return count


def write_timelinejs(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO) -> int:
    """A TimelineJS (Knight Lab) file; see ``timelinejs.write_timelinejs``."""
    from .timelinejs import write_timelinejs as write

    return write(corpus, events, query, _JsonEscaping(out))


class _JsonEscaping:
    """A binary stream that escapes what ``json_escape_invisible`` escapes in each whole piece
    of JSON written to it."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out

    def write(self, data: bytes) -> int:
        self.out.write(json_escape_invisible(bytes(data)))
        return len(data)


def write_csl_json(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO) -> int:
    """The documents as CSL-JSON references; see ``citations``."""
    from .citations import write_csl_json as write

    return write(corpus, events, query, out)


def write_bibtex(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO) -> int:
    """The documents as BibTeX references; see ``citations``."""
    from .citations import write_bibtex as write

    return write(corpus, events, query, out)


def write_annotations(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO, **options) -> int:
    """Every quote as a W3C Web Annotation (JSON-LD); see ``annotations``."""
    from .annotations import write_annotations as write

    return write(corpus, events, query, out, **options)


def write_pandoc_markdown(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO, *,
                          bibliography: str, cited: set[str] | None = None) -> int:
    """The Markdown chronology (``write_markdown``) citing each quote's document with a
    pandoc citation key, ``[@key]``, instead of a written citation; ``bibliography`` names the
    CSL-JSON file beside it (YAML front matter), so that ``pandoc --citeproc`` renders the
    citations and the list of references in any CSL style. The keys cited are added to ``cited``."""
    from .citations import pandoc_citation

    seen = cited if cited is not None else set()

    def note(q: Quote) -> str:
        seen.add(q.document.id)
        where = "" if q.anchored else " (not found in the document)"
        return f"“{_md_block(q.text)}” {pandoc_citation(q.document)}{where}."

    front = f"---\nbibliography: {json.dumps(bibliography, ensure_ascii=False)}\n---\n\n"
    tail = "\n## References\n\n::: {#refs}\n:::\n"
    return write_markdown(corpus, events, query, out, quote_note=note, front=front, tail=tail, sources_heading=False)


FORMATS: dict[str, Callable[..., int]] = {
    "json": write_json,
    "csv": write_csv,
    "markdown": write_markdown,
    "timelinejs": write_timelinejs,
    "csl-json": write_csl_json,
    "bibtex": write_bibtex,
    "annotations": write_annotations,
}
# What each format counts (what ``write_export`` returns): events, unless said here.
UNITS = {"csl-json": "reference", "bibtex": "reference", "annotations": "annotation"}


def protected_files(corpus: Corpus) -> dict[Path, str]:
    """What an export must never write over: the corpus's own files and its marks and notes."""
    from .notes import sidecar_files

    return {**corpus.own_files(), **sidecar_files(corpus.origin)}


def write_export(corpus: Corpus, events: Iterable[Event], query: Query, fmt: str, out: BinaryIO, **options) -> int:
    """Write ``events`` in format ``fmt`` to ``out``; return how many were written (events,
    or what ``UNITS`` says). ``options`` go to the format's writer: the notes, for annotations;
    ``csv_formulas`` for CSV (``"escape"`` cells a spreadsheet would run as formulas, the
    default, or ``"keep"`` them as they are, see ``csv_cell``)."""
    return FORMATS[fmt](corpus, events, query, out, **options)
