"""W3C Web Annotations: the quotes out, as JSON-LD, and annotations in, as draft events.

**Out** (``write_annotations``): every quote of the exported events is one
annotation of the W3C Web Annotation Data Model, in its JSON-LD vocabulary
(``http://www.w3.org/ns/anno.jsonld``), in one ``AnnotationCollection``:

* the **target** is the document: its URL where the corpus has one, else an
  identifier of its exact text (``ni:///sha-256;…``, RFC 6920), refined by a
  ``TextQuoteSelector`` (the passage and up to 32 characters either side) and,
  for an anchored quote, a ``TextPositionSelector`` (code-point offsets into
  the corpus's copy of the document, as the quotes are anchored);
* the **body** is the event the quote supports (a ``TextualBody`` describing
  it, with its id, EDTF date and title as Dublin Core terms) and the
  researcher's note on the event, where there is one (``commenting``).

**In** (``read_annotations`` then ``draft_from_annotations``): annotations of
documents of a corpus, as W3C JSON-LD (one, a list, a collection or a page)
or as a Hypothesis export (the client's ``{"annotations": [...]}`` or the
API's ``{"rows": [...]}``), become a draft corpus of candidate events, one per
annotation, each with its quote: the target is matched to a document of the
corpus (by URL, by the text identifier above, or by the document's id or
path), and the ``TextQuoteSelector`` is anchored in the document's text as
every quote is (``anchoring.resolve``). The draft is written like
``extract``'s (``extract.write_draft``) and reviewed the same way.

Every problem is located (file, line, annotation and field) with a fix, and
one problem means nothing is written.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import orjson

from .anchoring import AnchorError, resolve, selector_fields
from .corpus import Corpus, Document, Event, Query, Quote
from .dates import DateError, parse_edtf
from .errors import Problem
from .wording import plural

__all__ = [
    "ANNO_CONTEXT",
    "AnnotationError",
    "ReadAnnotation",
    "document_iri",
    "draft_from_annotations",
    "read_annotations",
    "write_annotations",
]

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32  # of text either side of a quote in a TextQuoteSelector (as Hypothesis writes them)
# The namespace of the annotations' ids (urn:uuid, version 5: the same quote gets the same id every time).
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://timeline-explorer.invalid/ns/annotation")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S")


# -- out -------------------------------------------------------------------------------------------------


def text_iri(text: str) -> str:
    """An identifier of exactly this text: ``ni:///sha-256;<base64url>`` (RFC 6920) of its UTF-8 bytes."""
    import hashlib  # only when a document has no URL (hashlib loads OpenSSL)

    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def document_iri(doc: Document) -> str:
    """What an annotation's target names: the document's URL, else the identifier of its text."""
    from .citations import _url

    url = doc.url.strip()
    if url and _SCHEME.match(url):
        return _url(url)
    return text_iri(doc.text)


def _selectors(q: Quote) -> list[dict]:
    if q.anchored:
        text = q.document.text
        start, end = q.start, q.end
        quote = {"type": "TextQuoteSelector", "exact": text[start:end],
                 "prefix": text[max(0, start - CONTEXT_CHARS):start], "suffix": text[end:end + CONTEXT_CHARS]}
        return [quote, {"type": "TextPositionSelector", "start": start, "end": end}]
    quote = {"type": "TextQuoteSelector", "exact": q.exact}
    if q.prefix:
        quote["prefix"] = q.prefix
    if q.suffix:
        quote["suffix"] = q.suffix
    return [quote]


def annotation_record(e: Event, slot: int, source: str, note: str = "") -> dict:
    """The annotation of quote ``slot`` of event ``e`` whose document is named ``source``."""
    q = e.quotes[slot]
    body: list[dict] = [{
        "type": "TextualBody",
        "purpose": "describing",
        "format": "text/plain",
        "value": f"{e.date.human()} — {e.title} (event {e.id})",
        "dcterms:identifier": e.id,
        "dcterms:date": e.date.text,
        "dcterms:title": e.title,
    }]
    if note.strip():
        body.append({"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": note})
    return {
        "id": f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, f'{source} {e.id} {slot}')}",
        "type": "Annotation",
        "motivation": "describing",
        "body": body,
        "target": {"source": source, "selector": _selectors(q)},
    }


def write_annotations(corpus: Corpus, events: Iterable[Event], query: Query, out: BinaryIO, *,
                      notes: dict[str, str] | None = None) -> int:
    """Every quote of ``events`` as a Web Annotation, in an ``AnnotationCollection``; ``notes``
    (event id → the researcher's note) become commenting bodies. Returns how many annotations."""
    notes = notes or {}
    head = {"@context": ANNO_CONTEXT, "type": "AnnotationCollection", "label": corpus.title}
    out.write(orjson.dumps(head)[:-1] + b',"first":{"type":"AnnotationPage","startIndex":0,"items":[')
    sources: dict[str, str] = {}
    count = 0
    for e in events:
        for slot, q in enumerate(e.quotes):
            doc = q.document
            source = sources.get(doc.id)
            if source is None:
                source = sources[doc.id] = document_iri(doc)
            record = annotation_record(e, slot, source, notes.get(e.id, ""))
            out.write((b"\n" if count == 0 else b",\n") + orjson.dumps(record))
            count += 1
    out.write(b'\n]},\n"total":' + str(count).encode() + b"}\n")
    return count


# -- in: reading the file --------------------------------------------------------------------------------


class AnnotationError(Exception):
    """Annotations that cannot be imported; ``problems`` says where and why. Nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]) if problems else "the annotations cannot be imported")
        self.problems = problems


@dataclass
class ReadAnnotation:
    """One annotation as read from the file: where it is, and what it says."""

    location: str  # rows[3], annotations[0], first.items[2], [5], or "" for a file of one annotation
    line: int | None
    record: dict
    id: str = ""
    targets: list[dict] = field(default_factory=list)  # {"source", "quote": selector dict, "position": (s, e)}
    note: str = ""
    tags: list[str] = field(default_factory=list)
    event: dict = field(default_factory=dict)  # dcterms identifier/date/title of a body (our own export)

    @property
    def where(self) -> str:
        label = self.location or "the annotation"
        return f"{label} (annotation {self.id!r})" if self.id else label


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _item_lines(text: str, key: str | None) -> list[int]:
    """The line where each item of the top-level array (``key`` None) or of the top-level
    object's array ``key`` starts; [] when the file's layout defeats the scan."""
    from .jsonspans import top_level_spans

    if key is None:
        spans = top_level_spans('{"_":' + text.lstrip("\ufeff") + "}", ("_",)).get("_")
        shift = -5 + (1 if text.startswith("\ufeff") else 0)
    else:
        spans = top_level_spans(text.lstrip("\ufeff"), (key,)).get(key)
        shift = 1 if text.startswith("\ufeff") else 0
    if not isinstance(spans, list):
        return []
    return [_line_of(text, start + shift) for start, _ in spans]


def _values(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _type_is(node: dict, name: str) -> bool:
    return any(t in (name, f"oa:{name}", f"http://www.w3.org/ns/oa#{name}") for t in _values(node.get("type")))


def _items(data, shown: str, text: str) -> list[tuple[str, int | None, object]]:
    """(location, line, annotation) of every annotation in the parsed file."""
    def listed(values: list, prefix: str, lines: list[int]) -> list[tuple[str, int | None, object]]:
        return [(f"{prefix}[{i}]", lines[i] if i < len(lines) else None, a) for i, a in enumerate(values)]

    if isinstance(data, list):
        return listed(data, "", _item_lines(text, None))
    if not isinstance(data, dict):
        raise AnnotationError([Problem(shown, "", "is not a Web Annotation file: the JSON is neither an object nor a list",
                                       "export the annotations as W3C JSON-LD or as a Hypothesis JSON export")])
    for key in ("rows", "annotations", "items"):  # Hypothesis API, Hypothesis client export, an AnnotationPage
        if isinstance(data.get(key), list):
            return listed(data[key], key, _item_lines(text, key))
    if "first" in data or _type_is(data, "AnnotationCollection"):
        page, prefix, found = data.get("first"), "first", []
        while True:
            if not isinstance(page, dict) or not isinstance(page.get("items"), list):
                what = f"the page {page!r} is a link, not included in the file" if isinstance(page, str) else \
                    "it has no page of items"
                raise AnnotationError([Problem(shown, prefix, f"the collection's annotations are not in the file: {what}",
                                               "save the collection with its pages embedded (first.items)")])
            found += listed(page["items"], f"{prefix}.items", [])
            if page.get("next") is None:
                return found
            page, prefix = page["next"], f"{prefix}.next"
    if "target" in data:
        return [("", 1, data)]
    raise AnnotationError([Problem(shown, "", "is not a Web Annotation file: no annotation, list, collection or "
                                              "Hypothesis export (rows, annotations) in it",
                                   "export the annotations as W3C JSON-LD or as a Hypothesis JSON export")])


def _selector_nodes(selector) -> list[dict]:
    """The selectors of a target, following refinedBy (a FragmentSelector refined by a quote, say)."""
    found: list[dict] = []
    stack = list(reversed(_values(selector)))
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(reversed(_values(node.get("refinedBy"))))
    return found


def _source_of(target, annotation: dict) -> str:
    if isinstance(target, str):
        return target
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id") or source.get("@id")
    if isinstance(source, list):  # Hypothesis has accepted a list of one
        source = next((s for s in source if isinstance(s, str)), None)
    if not isinstance(source, str) or not source:
        source = annotation.get("uri") if isinstance(annotation.get("uri"), str) else ""
    return source


def _string(node: dict, *names: str) -> str | None:
    for name in names:
        value = node.get(name)
        if isinstance(value, dict):
            value = value.get("@value")
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = value[0]
        if isinstance(value, str):
            return value
    return None


def _parse_annotation(shown: str, location: str, line: int | None, record: object) -> tuple[ReadAnnotation | None, list[Problem]]:
    if not isinstance(record, dict):
        return None, [Problem(shown, location or "the file", "is not an annotation (a JSON object)",
                              "remove it, or export the annotations again", line=line)]
    ann = ReadAnnotation(location, line, record, id=_string(record, "id", "@id") or "")
    problems: list[Problem] = []
    targets = _values(record.get("target"))
    for t_index, target in enumerate(targets):
        if not isinstance(target, (dict, str)):
            continue
        nodes = _selector_nodes(target.get("selector")) if isinstance(target, dict) else []
        quotes = [n for n in nodes if _type_is(n, "TextQuoteSelector")]
        if not quotes:
            continue
        quote = quotes[0]
        where = f"{ann.where}.target" + (f"[{t_index}]" if isinstance(record.get("target"), list) else "")
        exact = _string(quote, "exact", "oa:exact")
        if not exact:
            problems.append(Problem(shown, f"{where}.selector", "the TextQuoteSelector has no \"exact\" text",
                                    "give the quoted passage in \"exact\", or remove the annotation", line=line))
            continue
        position = None
        for n in nodes:
            if _type_is(n, "TextPositionSelector") and isinstance(n.get("start"), int) and isinstance(n.get("end"), int):
                position = (n["start"], n["end"])
                break
        ann.targets.append({"source": _source_of(target, record), "where": where, "exact": exact,
                            "prefix": _string(quote, "prefix", "oa:prefix") or "",
                            "suffix": _string(quote, "suffix", "oa:suffix") or "", "position": position})
    # The body: notes (commenting, describing or no purpose), tags, and an event's terms (our own export).
    notes: list[str] = []
    if isinstance(record.get("text"), str) and record["text"].strip():  # Hypothesis
        notes.append(record["text"].strip())
    for tag in _values(record.get("tags")):
        if isinstance(tag, str) and tag.strip():
            ann.tags.append(tag.strip())
    if isinstance(record.get("bodyValue"), str) and record["bodyValue"].strip():
        notes.append(record["bodyValue"].strip())
    for body in _values(record.get("body")):
        if not isinstance(body, dict):
            continue
        purposes = {str(p).removeprefix("oa:") for p in _values(body.get("purpose"))}
        value = _string(body, "value", "rdf:value")
        event_terms = {k: _string(body, f"dcterms:{k}", f"http://purl.org/dc/terms/{k}") for k in ("identifier", "date", "title")}
        if any(event_terms.values()):
            ann.event = {k: v for k, v in event_terms.items() if v}
        elif "tagging" in purposes:
            if value and value.strip():
                ann.tags.append(value.strip())
        elif value and value.strip() and (not purposes or purposes & {"commenting", "describing", "replying", "questioning"}):
            notes.append(value.strip())
    ann.note = "\n\n".join(dict.fromkeys(notes))
    return ann, problems


def read_annotations(path: str | Path) -> tuple[list[ReadAnnotation], list[Problem]]:
    """The annotations in a file, and warnings (annotations with no quote: page notes, replies).

    Raises ``AnnotationError`` with located problems for a file that cannot be read or
    annotations that are malformed.
    """
    import json

    from .files import parse_json

    from .files import NotARegularFile, read_regular

    shown = str(path)
    try:
        data_bytes = read_regular(path, what="an annotations file")  # a pipe or a device is refused, not read
    except FileNotFoundError:
        raise AnnotationError([Problem(shown, "", "no such file", "check the path of the annotations file")]) from None
    except IsADirectoryError:
        raise AnnotationError([Problem(shown, "", "is a folder", "give the annotations file itself")]) from None
    except NotARegularFile as exc:
        raise AnnotationError([Problem(shown, "", f"is {exc.kind}, not a regular file",
                                       "give the annotations file itself")]) from None
    except OSError as exc:
        raise AnnotationError([Problem(shown, "", f"cannot be read: {exc.strerror or exc}", "check its permissions")]) from None
    try:
        text = data_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnnotationError([Problem(shown, "", f"not UTF-8 text (byte {exc.start})", "save the file as UTF-8 JSON",
                                       line=data_bytes.count(b"\n", 0, exc.start) + 1)]) from None
    try:
        data = parse_json(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise AnnotationError([Problem(shown, f"column {exc.colno}", f"not valid JSON: {exc.msg}",
                                       "export the annotations again, or fix the JSON there", line=exc.lineno)]) from None
    annotations: list[ReadAnnotation] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for location, line, record in _items(data, shown, text):
        ann, found = _parse_annotation(shown, location, line, record)
        problems += found
        if ann is None:
            continue
        if not ann.targets and not found:
            is_reply = isinstance(record.get("references"), list) and record["references"]
            what = "a reply" if is_reply else "a note on the whole page, or an annotation of no text"
            warnings.append(Problem(shown, ann.where, f"skipped: it quotes no text (no TextQuoteSelector): {what}",
                                    "nothing to do; only annotations of a passage become quotes", line=line,
                                    severity="warning"))
            continue
        annotations.append(ann)
    if problems:
        raise AnnotationError(problems)
    return annotations, warnings


# -- in: the draft ----------------------------------------------------------------------------------------


def _normal_url(url: str) -> str:
    """A URL as compared with documents' URLs: no scheme, case-insensitive host, no fragment, no trailing '/'."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    if not parts.netloc:
        return url.strip()
    host = parts.netloc.lower().removesuffix(":443").removesuffix(":80")
    path = parts.path.rstrip("/")
    return f"//{host}{path}" + (f"?{parts.query}" if parts.query else "")


class _Documents:
    """Finds the corpus document an annotation's target names."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.by_key: dict[str, list[Document]] = {}
        for doc in corpus.documents.values():
            keys = {doc.id, doc.path}
            if doc.url.strip():
                keys.add(_normal_url(doc.url))
            for key in keys:
                self.by_key.setdefault(key, []).append(doc)
        self._hashed: dict[str, Document] | None = None

    def find(self, source: str) -> list[Document]:
        if source.startswith("ni:"):
            if self._hashed is None:
                self._hashed = {}
                for doc in self.corpus.documents.values():
                    try:
                        self._hashed.setdefault(text_iri(doc.text), doc)
                    except (OSError, UnicodeDecodeError):
                        continue
            found = self._hashed.get(source)
            return [found] if found else []
        return self.by_key.get(_normal_url(source)) or self.by_key.get(source, [])


_WS = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    return _WS.sub(" ", text)


def _anchor(text: str, exact: str, prefix: str, suffix: str, position: tuple[int, int] | None) -> tuple[int, int]:
    """Where the quote is in the document: the corpus's anchoring first; then, when the annotated
    page's text around the quote differs only in white space (a web page's layout against a plain
    copy), the occurrence whose surroundings match with white space squeezed; then a
    TextPositionSelector that points at exactly the quote."""
    try:
        return resolve(text, exact, prefix, suffix)
    except AnchorError as exc:
        error = exc
    n = len(exact)
    if error.kind == "context":
        want_before, want_after = _squeeze(prefix).strip(), _squeeze(suffix).strip()
        starts = []
        start = text.find(exact)
        while start != -1:
            before = _squeeze(text[max(0, start - 2 * len(prefix) - 64):start]).rstrip()
            after = _squeeze(text[start + n:start + n + 2 * len(suffix) + 64]).lstrip()
            if before.endswith(want_before) and after.startswith(want_after):
                starts.append(start)
            start = text.find(exact, start + 1)
        if len(starts) == 1:
            return starts[0], starts[0] + n
    if error.kind in ("context", "ambiguous") and position is not None and text[position[0]:position[1]] == exact:
        return position
    raise error


def _approximately(text: str) -> str:
    """The EDTF date ``text`` marked approximate (``2019-08-21`` → ``2019-08-21~``), where it can be."""
    for candidate in (text + "~" if text[-1:] not in "~?%" else None,
                      text[:-1] + "%" if text.endswith("?") else None):
        if candidate is None:
            continue
        try:
            date = parse_edtf(candidate)
        except DateError:
            continue
        if not date.interval:
            return candidate
    return text


def _id_part(value: str) -> str:
    tail = re.split(r"[/#:]", value.rstrip("/#"))[-1] if value else ""
    return re.sub(r"[^A-Za-z0-9_.:-]+", "-", tail).strip("-._:")[:80]


def draft_from_annotations(annotations: list[ReadAnnotation], corpus: Corpus, shown: str) -> object:
    """A draft corpus (``extract.Draft``): one draft event per annotation, with its quotes anchored in
    the corpus's documents. Raises ``AnnotationError`` with every problem, located."""
    from .corpuswriter import actor_records, unique
    from .extract import ActorMatcher, Draft, DraftDocument, Source, _selector_record, _title

    finder = _Documents(corpus)
    matcher = ActorMatcher(corpus.actors.values())
    problems: list[Problem] = []
    events: list[dict] = []
    used_docs: dict[str, Document] = {}
    used_actors: list[str] = []
    event_ids: set[str] = set()
    for n, ann in enumerate(annotations, 1):
        quotes: list[dict] = []
        docs: list[Document] = []
        for target in ann.targets:
            source = target["source"]
            found = finder.find(source) if source else []
            if not found:
                problems.append(Problem(
                    shown, f"{target['where']}.source",
                    f"{source!r} is not a document of the corpus" if source else "the target names no document",
                    "add the document to the corpus with this URL (\"url\"), or leave the annotation out of the file",
                    line=ann.line))
                continue
            if len({d.id for d in found}) > 1:
                ids = ", ".join(repr(d.id) for d in found)
                problems.append(Problem(shown, f"{target['where']}.source",
                                        f"{source!r} names several documents of the corpus ({ids})",
                                        "give each document of the corpus its own URL", line=ann.line))
                continue
            doc = found[0]
            try:
                text = doc.text
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(shown, f"{target['where']}", f"document {doc.id!r} cannot be read: {exc}",
                                        "check the corpus (timeline-explorer check)", line=ann.line))
                continue
            exact = target["exact"]
            try:
                start, end = _anchor(text, exact, target["prefix"], target["suffix"], target["position"])
            except AnchorError as exc:
                hint = exc.hint
                if exc.kind == "context":
                    hint = ("the text around the quote differs from the corpus's copy of the document: check that "
                            "the annotated page is the same version, or remove the annotation's prefix and suffix")
                problems.append(Problem(shown, f"{target['where']}.selector (TextQuoteSelector, document {doc.id!r})",
                                        exc.message, hint, line=ann.line, code=f"anchor-{exc.kind}"))
                continue
            excluded = doc.exclusion_at(start, end)
            if excluded is not None:
                why = f" ({excluded.reason})" if excluded.reason else ""
                problems.append(Problem(shown, f"{target['where']}.selector (TextQuoteSelector, document {doc.id!r})",
                                        f"the quote falls in a passage the corpus excludes as not citable{why}",
                                        "quote the document's own text, outside its excluded passages, or leave "
                                        "the annotation out", line=ann.line, code="anchor-excluded"))
                continue
            quotes.append({"doc": doc.id, **selector_fields(text, start, end)})
            docs.append(doc)
        if not quotes:
            continue
        first_doc = docs[0]
        # The date: as the annotation says (our own export's dcterms:date, or a tag date:EDTF), else
        # approximately the publication date of the document it quotes.
        date_text, date_note = "", ""
        tag_dates = [t for t in ann.tags if t.lower().startswith("date:")]
        said = ann.event.get("date") or (tag_dates[0][5:].strip() if tag_dates else "")
        if said:
            field_name = "body dcterms:date" if ann.event.get("date") else f"tag {tag_dates[0]!r}"
            try:
                parse_edtf(said)
            except DateError as exc:
                problems.append(Problem(shown, f"{ann.where}.{'body' if ann.event.get('date') else 'tags'}",
                                        f"{field_name}: {exc.message}",
                                        exc.hint or "give an EDTF date such as 2019-07-18", line=ann.line))
                continue
            date_text, date_note = said, f"As the annotation says ({field_name})."
        elif first_doc.published is not None:
            date_text = _approximately(first_doc.published.text)
            date_note = (f"The annotation gives no date: approximately the publication date of {first_doc.label!r} "
                         f"({first_doc.published.human()}); the event it reports may be earlier.")
        else:
            problems.append(Problem(
                shown, ann.where,
                f"gives no date, and document {first_doc.id!r} it quotes has no publication date to date it by",
                f"add \"published\" to document {first_doc.id!r} in the corpus, or tag the annotation "
                "date:YYYY-MM-DD", line=ann.line))
            continue
        actors = matcher.find("\n".join(q["exact"] for q in quotes))
        used_actors += [a for a in actors if a not in used_actors]
        for doc in docs:
            used_docs.setdefault(doc.id, doc)
        base = "ann-" + (_id_part(ann.id) or f"{n:03d}")
        title = ann.event.get("title") or _title(quotes[0]["exact"]) or f"Annotation {n}"
        event: dict = {"id": unique(base, event_ids), "date": date_text, "title": title}
        if ann.note:
            event["summary"] = ann.note
        tags = [t for t in dict.fromkeys(ann.tags) if not t.lower().startswith("date:")]
        if tags:
            event["tags"] = tags
        if actors:
            event["actors"] = actors
        event["quotes"] = quotes
        event["date_note"] = date_note
        event["draft"] = True
        origin = []
        if ann.id:
            origin.append(ann.id)
        if ann.event.get("identifier"):
            origin.append(f"event {ann.event['identifier']!r}")
        event["note"] = "Imported from a Web Annotation" + (f" ({', '.join(origin)})" if origin else "") + \
                        f" in {Path(shown).name}."
        event["extra"] = {"web-annotation": ann.record}
        events.append(event)
    if problems:
        raise AnnotationError(problems)
    documents = []
    for doc in corpus.documents.values():
        if doc.id not in used_docs:
            continue
        record: dict = {}
        for key in ("title", "outlet", "url", "note"):
            if getattr(doc, key):
                record[key] = getattr(doc, key)
        if doc.published is not None:
            record["published"] = doc.published.text
        if doc.accessed is not None:
            record["accessed"] = doc.accessed.text
        selectors = [_selector_record(s) for s in doc.selectors]
        if selectors:
            record["exclude"] = selectors
        data = doc.file.read_bytes()
        documents.append(DraftDocument(doc.id, Path(doc.path).name, Source(Path(doc.path).name, doc.text, None, doc.file, data),
                                       record))
    n = len(events)
    description = (f"{n} candidate {plural(n, 'event')} from the Web Annotations in {Path(shown).name}, "
                   f"on documents of “{corpus.title}”. Every event is a draft: check its date and title, "
                   "then remove \"draft\".")
    return Draft(f"Draft: {n} {plural(n, 'annotation')} from {Path(shown).name}", description, documents,
                 actor_records(corpus, used_actors), events)
