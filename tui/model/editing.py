"""Editing a curated corpus: events and quotes added, fields set, drafts triaged, ``corpus.json`` written back.

Every change is made on the text of ``corpus.json``, record by record: the
records a change does not touch stay byte for byte what they were, and the
one it touches is written in the file's own indentation (top-level keys one a
line, lists of records one record a line, as ``extract`` and the seed corpus
write them), its keys in their order, every field kept.  The new text is
then loaded and checked as ``check`` would (``load_corpus``): a change that
fails is refused with the located problems, and nothing is written.  The
write is atomic (``atomic.atomic_writer``).

The file may change on disk while it is edited (another editor, ``git
pull``): before every change the file is read again, and a change is made
on what is on disk now, never on a stale copy; an undo that would lose what
someone else wrote is refused.

Only a curated corpus folder is editable: a TimelineJS or CSV file opens as a
converted copy, and a large corpus or an engine table through SQL; those
are read-only, and ``import`` makes a corpus folder of them.

A quote's selector is the shortest W3C TextQuoteSelector that names the
passage (``anchoring.make_selector``: ``exact``, with ``prefix``/``suffix``
only as long as needed), and it is resolved back before anything is written:
it must name exactly the selected offsets.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec

from .anchoring import LineIndex, resolve, selector_fields
from .atomic import atomic_writer
from .corpus import Corpus, QuoteProblem, anchor_quote
from .corpuswriter import slugify, unique
from .errors import CorpusError, Problem, printable
from .jsonspans import top_level_spans

__all__ = [
    "EDIT_FIELDS",
    "Change",
    "EditError",
    "Editor",
    "ReadOnly",
    "format_record",
    "selector_for",
]

BOM = "\ufeff"

# The fields ``set`` may change, and how a value given as text becomes JSON.
EDIT_FIELDS: dict[str, str] = {
    "date": "text", "title": "text", "summary": "text", "type": "text", "date_note": "text",
    "note": "text", "tags": "list", "actors": "list", "confidence": "number", "draft": "bool",
}


class EditError(Exception):
    """A change refused: ``problems`` say where and why; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "the change was refused")


class ReadOnly(EditError):
    """The source is not a corpus folder of one's own."""


class Change(msgspec.Struct):
    """One change written to the corpus: what it did, the id it made or changed, the text before and after."""

    description: str
    id: str
    before: str
    after: str
    rebased: bool = False  # the file had changed on disk: the change was made on the new text


class _Bytes:
    """The new text handed to ``load_corpus`` as if read ahead (see ``loader.ReadAhead``)."""

    def __init__(self, file: Path, data: bytes) -> None:
        self.file = file
        self._data = data

    def take(self, progress=None) -> bytes:
        return self._data


def editable_file(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``(folder, corpus.json)`` of a corpus that may be edited; ``ReadOnly`` says why another is not."""
    from .opening import Source, plan

    try:
        p = plan(Source(str(path)))
    except CorpusError as exc:
        raise EditError(exc.problems) from None
    if p.kind != "corpus" or p.root is None or p.file is None:
        what = {
            "timelinejs": "a TimelineJS file, which opens as a converted copy",
            "table": "an event table (CSV, Parquet…), which opens through SQL",
            "engine": "an engine table",
            "large-corpus": "a large corpus, which opens through SQL",
        }.get(p.kind, p.kind)
        hint = ("make a corpus folder of your own with `timeline-explorer import` and edit that"
                if p.kind != "large-corpus" else
                "edit it with a script or a text editor, then run `timeline-explorer check`")
        raise ReadOnly([Problem(str(path), "", f"is read-only here: it is {what}", hint, code="read-only")])
    return p.root, p.file


def _read(file: Path) -> tuple[bytes, str]:
    from .files import read_regular

    try:
        data = read_regular(file, what="the corpus file")
    except OSError as exc:
        raise EditError([Problem(str(file), "", f"cannot be read: {exc.strerror or exc}",
                                 "check that the file exists and is readable", code="io")]) from None
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditError([Problem(str(file), "", f"is not UTF-8 text (byte {exc.start})",
                                 "save it as UTF-8", code="json")]) from None


# -- the text of corpus.json ---------------------------------------------------------------------------


def _layout(text: str, start: int) -> tuple[str, str]:
    """The newline and the indentation of the record that starts at ``start``."""
    newline = "\r\n" if "\r\n" in text else "\n"
    line_start = text.rfind("\n", 0, start) + 1
    lead = text[line_start:start]
    return newline, lead if lead.strip() == "" else ""


def _unit(text: str, key: str, item_indent: str) -> str:
    """One level of indentation: the record's indent minus its section key's (two spaces when unsure)."""
    at = text.find(json.dumps(key))
    if at != -1:
        line_start = text.rfind("\n", 0, at) + 1
        lead = text[line_start:at]
        if lead.strip() == "" and item_indent.startswith(lead) and len(item_indent) > len(lead):
            return item_indent[len(lead):]
    return "  "


def _escape_unseen(m: re.Match) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in m.group())


# Characters that look like nothing or like a space: written escaped, as the corpus files write them.
_UNSEEN = re.compile("[^\\S ]|[\\u00ad\\u200b-\\u200f\\u2028\\u2029\\u2060\\ufeff]")


def _compact(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return _UNSEEN.sub(_escape_unseen, text)


def format_record(record: dict, indent: str = "    ", unit: str = "  ", newline: str = "\n") -> str:
    """A record as the corpus files write them: a key a line; a list of records, a record a line.

    ``indent`` is the indentation of the record's own line (its first line is
    not indented: it goes where the old record was).
    """
    inner = indent + unit
    lines = []
    for key, value in record.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = f",{newline}".join(inner + unit + _compact(v) for v in value)
            lines.append(f"{inner}{_compact(key)}: [{newline}{items}{newline}{inner}]")
        else:
            lines.append(f"{inner}{_compact(key)}: {_compact(value)}")
    if not lines:
        return "{}"
    return "{" + newline + f",{newline}".join(lines) + newline + indent + "}"


class _Text:
    """The text of ``corpus.json`` and the spans of the records of one of its lists (``section``)."""

    def __init__(self, text: str, section: str = "events") -> None:
        self.text = text
        self.section = section
        spans = top_level_spans(text, (section,))
        items = spans.get(section)
        self.items: list[tuple[int, int]] = items if isinstance(items, list) else []

    def of(self, section: str) -> _Text:
        """The same text, seen as another list's records."""
        return _Text(self.text, section)

    def records(self) -> list[dict]:
        return [json.loads(self.text[s:e]) for s, e in self.items]

    def index_of(self, record_id: str) -> int | None:
        for i, rec in enumerate(self.records()):
            if isinstance(rec, dict) and rec.get("id") == record_id:
                return i
        return None

    def _whole(self, change: Callable[[list], None]) -> str:
        """The whole file written again (a list with no record yet: no record to align on)."""
        data = json.loads(self.text)
        records = data.setdefault(self.section, [])
        change(records)
        newline, _ = _layout(self.text, 0)
        out = ["{"]
        members = list(data.items())
        for n, (key, value) in enumerate(members):
            end = "," if n < len(members) - 1 else ""
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                recs = f",{newline}".join("    " + format_record(v, "    ", "  ", newline) for v in value)
                out.append(f"  {_compact(key)}: [{newline}{recs}{newline}  ]{end}")
            else:
                out.append(f"  {_compact(key)}: {_compact(value)}{end}")
        out.append("}")
        return newline.join(out) + newline

    def _format(self, like: int, record: dict) -> str:
        """``record`` written as the record ``like`` is: on one line if it is (the actors of the seed
        corpus), else a key a line."""
        s, e = self.items[like]
        if "\n" not in self.text[s:e]:
            return _compact(record)
        newline, indent = _layout(self.text, s)
        return format_record(record, indent, _unit(self.text, self.section, indent), newline)

    def replace(self, i: int, record: dict) -> str:
        s, e = self.items[i]
        return self.text[:s] + self._format(i, record) + self.text[e:]

    def append(self, record: dict) -> str:
        if not self.items:
            return self._whole(lambda events: events.append(record))
        s, e = self.items[-1]
        newline, indent = _layout(self.text, s)
        return self.text[:e] + "," + newline + indent + self._format(len(self.items) - 1, record) + self.text[e:]

    def remove(self, i: int) -> str:
        items, text = self.items, self.text
        if i > 0:
            return text[:items[i - 1][1]] + text[items[i][1]:]
        if len(items) > 1:
            return text[:items[0][0]] + text[items[1][0]:]
        open_at = text.rfind("[", 0, items[0][0])
        close_at = text.find("]", items[0][1])
        return text[:open_at + 1] + text[close_at:]


# -- selectors --------------------------------------------------------------------------------------------


def selector_for(text: str, start: int, end: int) -> dict:
    """The shortest TextQuoteSelector naming ``text[start:end]``: ``{"exact", "prefix"?, "suffix"?}``.

    Resolved back before it is returned: it names exactly these offsets, or
    ``AssertionError`` (a bug, never a quote written that points elsewhere).
    """
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"not a passage of the text: {start}..{end} of {len(text)}")
    selector = selector_fields(text, start, end)
    found = resolve(text, selector["exact"], selector.get("prefix", ""), selector.get("suffix", ""))
    if found != (start, end):
        raise AssertionError(f"the selector made for {start}..{end} resolves to {found[0]}..{found[1]}")
    return selector


# -- the editor ---------------------------------------------------------------------------------------------


class Editor:
    """Changes to one corpus folder, each checked and written at once; undo and redo of the session's.

    ``corpus`` is the corpus as last read or written (loaded and checked).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.root, self.file = editable_file(path)
        self.shown = str(self.file)
        data, text = _read(self.file)
        self._data = data
        self.corpus = self._load(data)
        self.done: list[Change] = []
        self.undone: list[Change] = []

    # -- reading and checking

    def _load(self, data: bytes) -> Corpus:
        from .loader import load_corpus

        try:
            return load_corpus(self.file, read_ahead=_Bytes(self.file, data))  # type: ignore[arg-type]
        except CorpusError as exc:
            raise EditError(exc.problems) from None

    def _current(self) -> tuple[str, bool]:
        """The text on disk now; True if it changed since last read (then the corpus is read again)."""
        data, text = _read(self.file)
        if data == self._data:
            return text, False
        self.corpus = self._load(data)
        self._data = data
        return text, True

    def _write(self, before: str, after: str) -> Corpus:
        """Check ``after`` and write it, unless the file changed on disk since ``before`` was read."""
        data = after.encode("utf-8")
        try:
            corpus = self._load(data)
        except EditError as exc:
            raise EditError(_lines_on_disk(exc.problems, str(self.file), self.shown, before, after)) from None
        with atomic_writer(self.file) as out:
            out.write(data)
            _, now = _read(self.file)
            if now != before:  # changed while this change was checked: the write is abandoned
                raise EditError([Problem(self.shown, "", "the file changed on disk while the change was made",
                                         "nothing was written; make the change again", code="conflict")])
        self._data = data
        self.corpus = corpus
        return corpus

    def _apply(self, description: str, make: Callable[[_Text], tuple[str, str]]) -> Change:
        text, rebased = self._current()
        body = text[1:] if text.startswith(BOM) else text
        new_body, made_id = make(_Text(body))
        after = (BOM if text.startswith(BOM) else "") + new_body
        self._write(text, after)
        change = Change(description, made_id, text, after, rebased)
        self.done.append(change)
        self.undone.clear()
        return change

    def _problem(self, location: str, message: str, hint: str = "", code: str = "edit") -> EditError:
        return EditError([Problem(self.shown, location, message, hint, code=code)])

    # -- what the changes need

    def _event(self, t: _Text, event_id: str, *, draft: bool | None = None) -> tuple[int, dict]:
        i = t.index_of(event_id)
        if i is None:
            raise self._problem(f"events[{event_id!r}]", "no event has this id",
                                "give the id of an event of the corpus (`timeline-explorer open` shows them)")
        rec = t.records()[i]
        if draft is True and not rec.get("draft"):
            raise self._problem(f"events[{i}] ({event_id})", "is not a draft", "give the id of a draft event")
        return i, rec

    def quote_at(self, doc_id: str, start: int, end: int) -> dict:
        """The quote record for the passage ``start..end`` of a document: its shortest selector, checked."""
        doc = self._document(doc_id)
        text = doc.text
        if not (0 <= start < end <= len(text)):
            raise self._problem(f"documents[{doc_id!r}]", f"{start}..{end} is not a passage of the document",
                                "select some text of the document")
        excluded = doc.exclusion_at(start, end)
        if excluded is not None:
            reason = f" ({printable(excluded.reason)})" if excluded.reason else ""
            raise self._problem(f"documents[{doc_id!r}]",
                                f"the passage {start}..{end} is inside a passage marked as not citable{reason}",
                                "quote the article itself, not its boilerplate, captions or comments",
                                "anchor-excluded")
        return {"doc": doc_id, **selector_for(text, start, end)}

    def quote_of(self, doc_id: str, exact: str, prefix: str = "", suffix: str = "") -> dict:
        """The quote record for a passage given as text: refused as ``check`` would refuse it
        (not in the document, with the nearest passage; ambiguous; not citable)."""
        doc = self._document(doc_id)
        text = doc.text
        found = anchor_quote(text, exact, prefix, suffix, doc.lines, doc, doc.path)
        if isinstance(found, QuoteProblem):
            raise self._problem(f"quote in {doc_id!r}", found.message, found.hint, found.code)
        return {"doc": doc_id, **selector_for(text, *found)}

    def span_of(self, doc_id: str, exact: str) -> tuple[int, int]:
        """Where a passage given as text is in a document, refused as ``check`` refuses a quote
        (not there, with the nearest passage; there more than once; in a passage not citable)."""
        doc = self._document(doc_id)
        found = anchor_quote(doc.text, exact, "", "", doc.lines, doc, doc.path)
        if isinstance(found, QuoteProblem):
            raise self._problem(f"passage of {doc_id!r}", found.message, found.hint, found.code)
        return found

    def span_in_document(self, doc_id: str, exact: str) -> tuple[int, int]:
        """Where a passage given as text is in a document, wherever it is (a passage not citable too)."""
        from .anchoring import AnchorError

        doc = self._document(doc_id)
        try:
            return resolve(doc.text, exact, "", "", doc.lines)
        except AnchorError as exc:
            raise self._problem(f"passage of {doc_id!r}", exc.message, exc.hint, f"anchor-{exc.kind}") from None

    def _document(self, doc_id: str):
        doc = self.corpus.documents.get(doc_id)
        if doc is None:
            from .loader import _did_you_mean

            raise self._problem(f"documents[{doc_id!r}]", "no document has this id",
                                _did_you_mean(doc_id, self.corpus.documents, "give the id of a document of the corpus"))
        return doc

    # -- the changes

    def add_event(self, *, date: str, title: str, quotes: Sequence[dict], actors: Sequence[str] = (),
                  type: str = "", summary: str = "", date_note: str = "", id: str | None = None) -> Change:
        """A new event (its id made from its title unless given), with its quotes (``quote_at``/``quote_of``)."""
        record: dict = {}

        def make(t: _Text) -> tuple[str, str]:
            taken = {r.get("id") for r in t.records() if isinstance(r, dict)}
            if id is not None and id in taken:
                raise self._problem(f"events[{id!r}]", "an event has this id already", "give another id")
            new_id = id or unique(slugify(title) or "event", taken)
            record.clear()
            record.update({"id": new_id, "date": date, "title": title})
            for key, value in (("summary", summary), ("type", type)):
                if value:
                    record[key] = value
            if actors:
                record["actors"] = list(dict.fromkeys(actors))
            if date_note:
                record["date_note"] = date_note
            record["quotes"] = [dict(q) for q in quotes]
            return t.append(record), new_id

        return self._apply(f"add event “{title}”", make)

    def add_quote(self, event_id: str, quote: dict) -> Change:
        def make(t: _Text) -> tuple[str, str]:
            i, rec = self._event(t, event_id)
            quotes = rec.setdefault("quotes", [])
            if any(q.get("doc") == quote["doc"] and q.get("exact") == quote["exact"]
                   and q.get("prefix", "") == quote.get("prefix", "") for q in quotes):
                raise self._problem(f"events[{i}] ({event_id})", "cites this passage already", "")
            quotes.append(dict(quote))
            return t.replace(i, rec), event_id

        return self._apply(f"add a quote of {quote['doc']} to {event_id}", make)

    def set_field(self, event_id: str, field: str, value: str) -> Change:
        """Set one field of an event from text (``EDIT_FIELDS``); an empty value removes an optional field."""
        kind = EDIT_FIELDS.get(field)
        if kind is None:
            from .loader import _did_you_mean

            raise self._problem(f"events[{event_id!r}].{field}", "is not a field that can be set",
                                _did_you_mean(field, EDIT_FIELDS, "one of: " + ", ".join(EDIT_FIELDS)))
        parsed: object
        if kind == "list":
            parsed = [part.strip() for part in value.split(",") if part.strip()]
        elif kind == "number":
            try:
                parsed = float(value) if value.strip() else None
            except ValueError:
                raise self._problem(f"events[{event_id!r}].{field}", f"{value!r} is not a number",
                                    "give a number between 0 and 1") from None
        elif kind == "bool":
            if value.lower() not in ("true", "false", "yes", "no", ""):
                raise self._problem(f"events[{event_id!r}].{field}", f"{value!r} is not true or false",
                                    "give true or false")
            parsed = value.lower() in ("true", "yes")
        else:
            parsed = value

        def make(t: _Text) -> tuple[str, str]:
            i, rec = self._event(t, event_id)
            if parsed in ("", [], None, False) and field not in ("date", "title"):
                rec.pop(field, None)
            else:
                rec[field] = parsed
            return t.replace(i, rec), event_id

        return self._apply(f"set {field} of {event_id}", make)

    def _quote_index(self, event_id: str, i: int, rec: dict, index: int) -> list:
        quotes = rec.get("quotes")
        if not isinstance(quotes, list) or not 0 <= index < len(quotes):
            count = len(quotes) if isinstance(quotes, list) else 0
            raise self._problem(f"events[{i}] ({event_id}).quotes", f"has no quote {index + 1} (it has {count})",
                                "give the number of one of its quotes")
        return quotes

    def remove_quote(self, event_id: str, index: int) -> Change:
        """The event's quote ``index`` (0-based) removed; an event keeps at least one (``check`` says so)."""
        def make(t: _Text) -> tuple[str, str]:
            i, rec = self._event(t, event_id)
            quotes = self._quote_index(event_id, i, rec, index)
            if len(quotes) == 1:
                raise self._problem(f"events[{i}] ({event_id}).quotes", "would have no quote left",
                                    "an event cites at least one passage: add another quote first, "
                                    "or reject the event if it is a draft")
            quotes.pop(index)
            return t.replace(i, rec), event_id

        return self._apply(f"remove quote {index + 1} of {event_id}", make)

    def move_quote(self, event_id: str, index: int, delta: int) -> Change:
        """The event's quote ``index`` moved ``delta`` places (earlier if negative), within the list."""
        def make(t: _Text) -> tuple[str, str]:
            i, rec = self._event(t, event_id)
            quotes = self._quote_index(event_id, i, rec, index)
            to = max(0, min(len(quotes) - 1, index + delta))
            if to == index:
                raise self._problem(f"events[{i}] ({event_id}).quotes",
                                    f"quote {index + 1} is the {'first' if delta < 0 else 'last'} already", "")
            quotes.insert(to, quotes.pop(index))
            return t.replace(i, rec), event_id

        return self._apply(f"move quote {index + 1} of {event_id} {'up' if delta < 0 else 'down'}", make)

    def accept(self, draft_id: str) -> Change:
        def make(t: _Text) -> tuple[str, str]:
            i, rec = self._event(t, draft_id, draft=True)
            rec.pop("draft", None)
            return t.replace(i, rec), draft_id

        return self._apply(f"accept draft {draft_id}", make)

    def reject(self, draft_id: str) -> Change:
        def make(t: _Text) -> tuple[str, str]:
            i, _ = self._event(t, draft_id, draft=True)
            return t.remove(i), draft_id

        return self._apply(f"reject draft {draft_id}", make)

    def merge(self, draft_id: str, event_id: str) -> Change:
        """The draft's quotes and actors join the event; the draft goes."""
        if draft_id == event_id:
            raise self._problem(f"events[{draft_id!r}]", "cannot be merged into itself", "give another event")

        def make(t: _Text) -> tuple[str, str]:
            _, draft = self._event(t, draft_id, draft=True)
            i, rec = self._event(t, event_id)
            quotes = rec.setdefault("quotes", [])
            for q in draft.get("quotes", []):
                if q not in quotes:
                    quotes.append(q)
            actors = list(dict.fromkeys([*rec.get("actors", []), *draft.get("actors", [])]))
            if actors:
                rec["actors"] = actors
            merged = _Text(t.replace(i, rec))
            j = merged.index_of(draft_id)
            assert j is not None
            return merged.remove(j), event_id

        return self._apply(f"merge draft {draft_id} into {event_id}", make)

    # -- claims: each statement one source's version

    def _record(self, t: _Text, section: str, record_id: str, noun: str) -> tuple[_Text, int, dict]:
        seen = t.of(section)
        i = seen.index_of(record_id)
        if i is None:
            from .loader import _did_you_mean

            ids = [r.get("id") for r in seen.records() if isinstance(r, dict)]
            raise self._problem(f"{section}[{record_id!r}]", f"no {noun} has this id",
                                _did_you_mean(record_id, [x for x in ids if isinstance(x, str)],
                                              f"give the id of a {noun} of the corpus"))
        return seen, i, seen.records()[i]

    def add_statement(self, claim_id: str, quote: dict, value: str = "") -> Change:
        """A statement (a quote, with the short label of its version) added to a claim."""
        def make(t: _Text) -> tuple[str, str]:
            claims, i, rec = self._record(t, "claims", claim_id, "claim")
            statements = rec.setdefault("statements", [])
            statement = {**quote, **({"value": value} if value else {})}
            if any(st.get("doc") == quote["doc"] and st.get("exact") == quote["exact"]
                   and st.get("prefix", "") == quote.get("prefix", "") for st in statements):
                raise self._problem(f"claims[{i}] ({claim_id})", "has this passage as a statement already", "")
            statements.append(statement)
            return claims.replace(i, rec), claim_id

        return self._apply(f"add a statement of {quote['doc']} to claim {claim_id}", make)

    def add_claim(self, *, about: str, quote: dict, value: str = "", events: Sequence[str] = (),
                  id: str | None = None) -> Change:
        """A new claim (what is disputed, ``about``), with its first statement; its id made from ``about``."""
        def make(t: _Text) -> tuple[str, str]:
            claims = t.of("claims")
            taken = {r.get("id") for r in claims.records() if isinstance(r, dict)}
            if id is not None and id in taken:
                raise self._problem(f"claims[{id!r}]", "a claim has this id already", "give another id")
            new_id = id or unique(slugify(about) or "claim", taken)
            record: dict = {"id": new_id, "about": about}
            if events:
                record["events"] = list(dict.fromkeys(events))
            record["statements"] = [{**quote, **({"value": value} if value else {})}]
            return claims.append(record), new_id

        return self._apply(f"add claim “{about}”", make)

    # -- actors

    def set_actor(self, actor_id: str, *, name: str | None = None, aliases: Sequence[str] | None = None,
                  members: Sequence[str] | None = None) -> Change:
        """An actor's name, aliases or members changed (those given; an empty list removes the field)."""
        def make(t: _Text) -> tuple[str, str]:
            actors, i, rec = self._record(t, "actors", actor_id, "actor")
            if name is not None:
                if not name.strip():
                    raise self._problem(f"actors[{i}] ({actor_id}).name", "is empty", "give the actor a name")
                rec["name"] = name.strip()
            for key, values in (("aliases", aliases), ("members", members)):
                if values is None:
                    continue
                cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
                if cleaned:
                    rec[key] = cleaned
                else:
                    rec.pop(key, None)
            return actors.replace(i, rec), actor_id

        what = ", ".join(k for k, v in (("name", name), ("aliases", aliases), ("members", members)) if v is not None)
        return self._apply(f"set {what or 'nothing'} of actor {actor_id}", make)

    # -- passages not citable

    def exclude(self, doc_id: str, start: int, end: int, reason: str) -> Change:
        """The passage ``start..end`` of a document marked as not citable (boilerplate, a comment…), with why.

        Refused if an event or a claim quotes it (``check`` says which)."""
        doc = self._document(doc_id)
        text = doc.text
        if not (0 <= start < end <= len(text)):
            raise self._problem(f"documents[{doc_id!r}]", f"{start}..{end} is not a passage of the document",
                                "select some text of the document")
        if doc.exclusion_at(start, end) is not None:
            raise self._problem(f"documents[{doc_id!r}]", f"the passage {start}..{end} overlaps one marked already",
                                "select a passage outside the dimmed ones")
        if not reason.strip():
            raise self._problem(f"documents[{doc_id!r}].exclude", "needs a reason",
                                "say why it is not citable: site boilerplate, photo caption, reader comment…")
        selector = selector_for(text, start, end)

        def make(t: _Text) -> tuple[str, str]:
            documents, i, rec = self._record(t, "documents", doc_id, "document")
            rec.setdefault("exclude", []).append({**selector, "reason": reason.strip()})
            return documents.replace(i, rec), doc_id

        return self._apply(f"mark {start}..{end} of {doc_id} not citable", make)

    def include(self, doc_id: str, start: int, end: int) -> Change:
        """The passage marked as not citable that overlaps ``start..end`` made citable again (its mark
        removed from the document's ``exclude``). Refused where no marked passage is."""
        doc = self._document(doc_id)
        slot = next((j for j, ex in doc.marks() if ex.start < end and start < ex.end), None)
        if slot is None:
            raise self._problem(f"documents[{doc_id!r}]", f"no passage marked as not citable at {start}..{end}",
                                "give a passage inside a dimmed one (its reason is shown there)")

        def make(t: _Text) -> tuple[str, str]:
            documents, i, rec = self._record(t, "documents", doc_id, "document")
            marks = list(rec.get("exclude") or [])
            if slot >= len(marks):
                raise self._problem(f"documents[{doc_id!r}].exclude[{slot}]", "is not in the file any more",
                                    "reload the corpus (r) and try again")
            del marks[slot]
            if marks:
                rec["exclude"] = marks
            else:
                rec.pop("exclude", None)
            return documents.replace(i, rec), doc_id

        return self._apply(f"make {start}..{end} of {doc_id} citable again", make)

    # -- the session

    def drafts(self) -> list[str]:
        """The ids of the draft events left, in file order."""
        return [e.id for e in self.corpus.events if e.draft]

    def _swap(self, change: Change, old: str, new: str, verb: str) -> None:
        text, _ = self._current()
        if text != old:
            raise self._problem("", f"cannot {verb} “{change.description}”: the file changed on disk since",
                                "nothing was written; the file as it is now is kept", code="conflict")
        self._write(text, new)

    def undo(self) -> Change | None:
        if not self.done:
            return None
        change = self.done[-1]
        self._swap(change, change.after, change.before, "undo")
        self.undone.append(self.done.pop())
        return change

    def redo(self) -> Change | None:
        if not self.undone:
            return None
        change = self.undone[-1]
        self._swap(change, change.before, change.after, "redo")
        self.done.append(self.undone.pop())
        return change


def _lines_on_disk(problems: list[Problem], *files_and_texts: str) -> list[Problem]:
    """The problems found in a change refused, their lines said as the file on disk has them.

    A problem on a line the change did not touch gets that line's number in the
    file as it is (a line after the change moves by the lines the change added);
    one inside the change keeps the line the change would have written, and says so.
    """
    file, shown, before, after = files_and_texts
    old, new = before.split("\n"), after.split("\n")
    same = 0
    while same < min(len(old), len(new)) and old[same] == new[same]:
        same += 1
    tail = 0
    while tail < min(len(old), len(new)) - same and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    out = []
    for p in problems:
        if p.line is None or p.file not in (file, shown):
            out.append(p)
        elif p.line <= same:
            out.append(p)
        elif p.line > len(new) - tail:
            out.append(msgspec.structs.replace(p, line=p.line - (len(new) - len(old))))
        else:
            out.append(msgspec.structs.replace(p, message=p.message + " (in the change, at the line it would "
                                                                     "have written; nothing was written)"))
    return out


def line_of(text: str, offset: int) -> int:
    return LineIndex(text).line_col(offset)[0]
