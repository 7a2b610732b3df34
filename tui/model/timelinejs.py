"""TimelineJS (Knight Lab) files: import into a corpus, export of a corpus, and opening one directly.

A TimelineJS file is one JSON object: ``events`` (a list of slides),
optionally ``title`` (the title slide), ``eras`` and ``scale``.  Each slide has
a ``start_date`` (and maybe an ``end_date``) whose parts (``year``, ``month``,
``day``, ``hour``, ``minute``, ``second``, ``millisecond``) may be numbers,
strings or empty strings, ``text.headline`` / ``text.text`` in HTML, a
``media`` object (an image URL, or a ``<blockquote>``, with a ``caption`` and a
``credit``), a ``group`` and a ``unique_id``.

**Import** (``convert``) makes a ``timeline-corpus/1`` corpus of it: one event
per slide, dated at the precision the slide gives (cosmological years kept
exactly: ``Y-13800000000``); HTML turned into plain text (``htmltext``); the
group as an actor; eras as periods; the title slide as the corpus's title and
description.  Every event gets a small plain-text document of its own
(``slides/NNNN-ID.txt``: its headline, text, blockquote with its attribution,
caption and credit) and quotes passages of it: the blockquotes and the
caption, or, when there are none, its own text.  The original slide is kept
under the event's ``extra["timelinejs"]`` (the title slide, eras and other
top-level keys under the corpus's), so nothing is lost.

**Export** (``write_timelinejs``) writes a valid TimelineJS file of any
corpus, streamed event by event.  What TimelineJS cannot say (several actors,
EDTF qualifiers, exact texts, notes) is written under the namespaced key
``"timeline_explorer"`` of each slide and of the file (TimelineJS ignores
unknown keys), with a fingerprint of the slide as exported: importing the
file back restores those exact values for every slide still as exported,
and reads an edited slide as it now is.

**Opening** a TimelineJS file (``conversions.converted_corpus``) converts it
into a corpus folder in the user's cache and reports problems located in the
TimelineJS file itself:
``marktwain.json:57: events[3].start_date.month: 13 is not a month (fix: …)``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from . import schema
from .anchoring import make_selector
from .jsonspans import Locator, json_type
from .corpuswriter import CorpusJsonWriter, FolderBuilder, actor_records, dumps, slugify, unique
from .dates import MAX_YEAR, DateError, EDTFDate, date_from_parts, days_in_month, parse_edtf
from .errors import CorpusError, Problem
from .files import SMALL_FILE_LIMIT, HugeNumber, parse_json, read_regular
from .htmltext import convert as html_convert
from .htmltext import one_line, text_to_html, title_of_text
from .safetext import for_people

__all__ = [
    "NAMESPACE", "Conversion", "convert", "import_timelinejs",
    "looks_like_timelinejs", "write_timelinejs",
]

NAMESPACE = "timeline_explorer"
KEY_VERSION = 1
_DATE_PARTS = ("year", "month", "day", "hour", "minute", "second", "millisecond")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_BLOCKQUOTE = re.compile(r"<\s*blockquote\b", re.IGNORECASE)
_HUMAN_YEARS = (-271_820, 275_759)  # what a JavaScript Date holds; beyond it TimelineJS needs the cosmological scale


# -- reading and locating -------------------------------------------------------------------------------


class _Locator(Locator):
    """Line numbers of slides (and fields in them) in the TimelineJS file, found when a problem needs one."""

    def __init__(self, text: str) -> None:
        super().__init__(text, ("events", "eras"))

    def line(self, section: str | None, index: int | None, keys: tuple = ()) -> int | None:
        if section is None:
            return None
        entry = self.spans().get(section)
        if entry is None:
            return None
        if isinstance(entry, list):
            if index is None or not 0 <= index < len(entry):
                return None
            start, end = entry[index]
        else:
            start, end = entry
        pos = start
        for key in keys:
            if isinstance(key, int):
                continue
            found = self.text.find(json.dumps(key), pos, end)
            if found == -1:
                break
            pos = found
        return self.line_at(pos)


def _preview(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) < 60 else text[:57] + "…"


def _fingerprint(value: object) -> str:
    """A digest of a slide as written, to tell whether it was edited after an export."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


def looks_like_timelinejs(data: object) -> bool:
    """A JSON object with an ``events`` list of slides that is not a ``timeline-corpus/1`` file."""
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        return False
    fmt = data.get("format")
    if isinstance(fmt, str) and fmt.startswith("timeline-corpus/"):
        return False
    if isinstance(data.get("title"), str) or any(k in data for k in ("documents", "actors", "claims", "periods")):
        return False  # a corpus file that lost its "format": let the loader say so
    return True


# -- one slide, as its visible fields say ----------------------------------------------------------------

Report = Callable[..., None]  # report(keys, message, hint, severity="error")


@dataclass
class _Date:
    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None

    def edtf(self) -> str:
        text = date_from_parts(self.year, self.month, self.day)
        if self.hour is not None:
            text += f"T{self.hour:02d}:{(self.minute or 0):02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
        return text


@dataclass
class _Visible:
    """What a slide says, as plain values; ``document`` is the text of its own document."""

    date: str
    date_note: str
    title: str
    title_from: str  # "" when the headline gave the title, else where it came from
    summary: str
    group: str
    document: str
    quotes: list[tuple[str, str, str]]  # (prefix, exact, suffix) in ``document``

    @property
    def quote_texts(self) -> list[str]:
        return [exact for _, exact, _ in self.quotes]


class _TooLong(ValueError):
    """A number of more digits than any date part has (a year has at most 16)."""


def _number(raw: object) -> int | None:
    """A date part as TimelineJS reads it: a number, a numeric string, or empty; ValueError otherwise."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, HugeNumber):
        raise _TooLong
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise ValueError
    if isinstance(raw, str):
        s = raw.strip()
        if not s:
            return None
        if _INTEGER.fullmatch(s):
            if len(s) > 20:
                raise _TooLong
            return int(s)
    raise ValueError


def _read_date(value: object, keys: tuple, report: Report, *, required: bool) -> _Date | None:
    """A TimelineJS date object, checked; None when absent (or broken: reported)."""
    name = keys[-1]
    if value is None or value == {}:
        if required:
            report(keys[:-1], f"the slide has no {name}",
                   f'add "{name}": {{"year": 2019, "month": 7, "day": 18}} (TimelineJS itself skips such a slide)')
        return None
    if not isinstance(value, dict):
        report(keys, f"expected a date object, got {json_type(value)} {_preview(value)}",
               'write it like {"year": 2019, "month": 7, "day": 18}')
        return None
    parts: dict[str, int | None] = {}
    ok = True
    for part in _DATE_PARTS:
        raw = value.get(part)
        try:
            parts[part] = _number(raw)
        except _TooLong:
            report(keys + (part,), f"a number of {len(str(raw).lstrip('+-')):,} digits is too large for a {part}",
                   f"years go up to ±{MAX_YEAR:,}; check the number")
            ok = False
        except ValueError:
            report(keys + (part,), f"{_preview(raw)} is not a number",
                   "write a whole number such as 2019 (a year BCE is negative, -44; no commas or letters)")
            ok = False
    if not ok:
        return None
    if all(v is None for v in parts.values()):
        if required:
            report(keys + ("year",), "the year is missing", f'add the year: "{name}": {{"year": 2019}}')
        return None  # an empty end_date: no end
    year, month, day = parts["year"], parts["month"], parts["day"]
    hour, minute, second, ms = parts["hour"], parts["minute"], parts["second"], parts["millisecond"]
    if year is None:
        report(keys + ("year",), "the year is missing", "every date needs a year")
        return None
    if abs(year) > MAX_YEAR:
        report(keys + ("year",), f"the year {year} is out of range", f"years go up to ±{MAX_YEAR:,}; check the number")
        return None
    checks = [
        (month is not None and not 1 <= month <= 12, "month", f"{month} is not a month", "months are 1-12"),
        (day is not None and month is None, "day", "a day without a month", "add the month, or leave the day empty"),
        (hour is not None and day is None, "hour", "a time of day without a day", "add the day, or leave the time empty"),
        (minute is not None and hour is None, "minute", "minutes without an hour", "add the hour"),
        (second is not None and minute is None, "second", "seconds without minutes", "add the minute"),
        (hour is not None and not 0 <= hour <= 23, "hour", f"{hour} is not an hour", "hours are 0-23"),
        (minute is not None and not 0 <= minute <= 59, "minute", f"{minute} is not a minute", "minutes are 0-59"),
        (second is not None and not 0 <= second <= 59, "second", f"{second} is not a second", "seconds are 0-59"),
    ]
    for bad, part, message, hint in checks:
        if bad:
            report(keys + (part,), message, hint)
            return None
    if day is not None and month is not None and not 1 <= day <= days_in_month(year, month):
        report(keys + ("day",), f"{year}-{month:02d}-{day:02d} is not a real day (that month has "
               f"{days_in_month(year, month)} days)", "check the day")
        return None
    if ms is not None and ms != 0:
        report(keys + ("millisecond",), f"milliseconds ({ms}) are dropped: EDTF dates stop at seconds",
               "nothing to do; the original is kept with the event", severity="warning")
    return _Date(year, month, day, hour, minute, second)


def _text_field(value: object, keys: tuple, report: Report) -> str:
    """An HTML text field: a string (numbers accepted), else reported."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    report(keys, f"expected text, got {json_type(value)} {_preview(value)}", "write it as a string")
    return ""



def _display_note(slide: dict, start: object, end: object) -> str:
    shown = []
    for value in (slide.get("display_date"), start.get("display_date") if isinstance(start, dict) else None,
                  end.get("display_date") if isinstance(end, dict) else None):
        if isinstance(value, str) and one_line(html_convert(value).text) and one_line(html_convert(value).text) not in shown:
            shown.append(one_line(html_convert(value).text))
    if not shown:
        return ""
    return "The TimelineJS file shows the date as " + " and ".join(f"“{s}”" for s in shown) + "."


class _DocumentText:
    """The text of an event's document, built part by part, with where each part starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> int | None:
        if not text:
            return None
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def text(self) -> str:
        return "".join(self.parts) + "\n"


def _selectors(document: str, targets: list[tuple[int, str]]) -> list[tuple[str, str, str]]:
    """(prefix, exact, suffix) naming each target passage (start, exact) of ``document`` uniquely."""
    out = []
    seen = set()
    for start, exact in targets:
        if (start, exact) in seen or not exact:
            continue
        seen.add((start, exact))
        out.append(make_selector(document, start, start + len(exact)))
    return out


def _visible(slide: dict, report: Report) -> _Visible | None:
    """The event a slide's visible fields describe, or None (after reporting why)."""
    count = [0]

    def rep(keys, message, hint, severity="error"):
        if severity == "error":
            count[0] += 1
        report(keys, message, hint, severity=severity)

    start_raw, end_raw = slide.get("start_date"), slide.get("end_date")
    start = _read_date(start_raw, ("start_date",), rep, required=True)
    end = _read_date(end_raw, ("end_date",), rep, required=False)
    date = ""
    if start is not None:
        date = start.edtf()
        if end is not None:
            end_text = end.edtf()
            if end_text != date:
                try:
                    parse_edtf(f"{date}/{end_text}")
                    date = f"{date}/{end_text}"
                except DateError as exc:
                    rep(("end_date",), exc.message, "the end_date must not come before the start_date: swap them")
    text = slide.get("text")
    headline_html = body_html = ""
    if isinstance(text, dict):
        headline_html = _text_field(text.get("headline"), ("text", "headline"), rep)
        body_html = _text_field(text.get("text"), ("text", "text"), rep)
    elif text is not None:
        rep(("text",), f"expected an object with a headline and a text, got {json_type(text)}",
            'write it like "text": {"headline": "…", "text": "…"}')
    media = slide.get("media")
    url = caption_html = credit_html = ""
    if isinstance(media, dict):
        url = _text_field(media.get("url"), ("media", "url"), rep)
        caption_html = _text_field(media.get("caption"), ("media", "caption"), rep)
        credit_html = _text_field(media.get("credit"), ("media", "credit"), rep)
    elif media is not None:
        rep(("media",), f"expected a media object, got {json_type(media)}", 'write it like "media": {"url": "…"}')
    group_raw = slide.get("group")
    group = one_line(html_convert(_text_field(group_raw, ("group",), rep)).text)
    if count[0]:
        return None

    headline = one_line(html_convert(headline_html).text)
    body = html_convert(body_html)
    summary = body.text
    media_quotes = html_convert(url).blockquotes if url and _BLOCKQUOTE.search(url) else []
    caption = html_convert(caption_html).text
    credit = html_convert(credit_html).text

    title, title_from = headline, ""
    if not title:
        for source, what in ((summary, "its text"), (media_quotes[0].text if media_quotes else "", "its blockquote"),
                             (caption, "its media caption")):
            if source.strip():
                title, title_from = title_of_text(source), what
                break
    if not title:
        report(("text", "headline"), "the slide has no headline, and no text, blockquote or caption to make a title from",
               'write a headline: "text": {"headline": "…"}')
        return None

    doc = _DocumentText()
    doc.add(headline)
    summary_start = doc.add(summary)
    targets: list[tuple[int, str]] = []
    for bq in media_quotes:
        start_at = doc.add(bq.text)
        doc.add(bq.cite)
        if start_at is not None:
            targets.append((start_at, bq.text))
    caption_start = doc.add(caption)
    doc.add(credit)
    if caption_start is not None:
        targets.append((caption_start, caption))
    if summary_start is not None:
        at = 0
        for bq in body.blockquotes:
            found = summary.find(bq.text, at)
            if found != -1:
                targets.append((summary_start + found, bq.text))
                at = found + len(bq.text)
    if not targets:  # nothing quoted: the slide's own text, so that the event stays traceable
        if summary_start is not None:
            targets.append((summary_start, summary))
        else:  # then the title is the headline, the document's first part
            targets.append((0, headline))
    document = doc.text()
    quotes = _selectors(document, targets)
    return _Visible(date, _display_note(slide, start_raw, end_raw), title, title_from, summary, group, document, quotes)


# -- the namespaced key: exact values -------------------------------------------------------------------


class _QuoteKey(msgspec.Struct):
    text: schema.Text
    cite: str = ""


class _EventKey(msgspec.Struct):
    id: schema.Id
    date: schema.EDTFString
    title: schema.Text
    check: str
    summary: str = ""
    type: str = ""
    tags: list[schema.Text] = []
    actors: list[schema.Ref] = []
    quotes: list[_QuoteKey] = []
    date_note: str = ""
    draft: bool = False
    confidence: float | None = None
    note: str = ""
    extra: dict[str, Any] = {}


class _EraKey(msgspec.Struct):
    id: schema.Id
    title: schema.Text
    date: schema.EDTFString
    check: str


class _CorpusKey(msgspec.Struct):
    check: str
    version: int = KEY_VERSION
    title: str = ""
    description: str = ""
    actors: list[schema.Actor] = []
    extra: dict[str, Any] = {}


def _without_key(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k != NAMESPACE}


def _exact_document(title: str, summary: str, quotes: list[_QuoteKey]) -> tuple[str, list[tuple[str, str, str]]]:
    doc = _DocumentText()
    doc.add(title)
    doc.add(summary)
    targets = []
    for q in quotes:
        start = doc.add(q.text)
        doc.add(q.cite)
        if start is not None:
            targets.append((start, q.text))
    if not targets:
        targets.append((0, title))
    document = doc.text()
    return document, _selectors(document, targets)


# -- the whole file -----------------------------------------------------------------------------------------


@dataclass
class _Slide:
    index: int
    slide: dict
    visible: _Visible | None
    key: _EventKey | None
    id: str = ""
    actors: list[str] = field(default_factory=list)


@dataclass
class Conversion:
    """A TimelineJS file as a corpus: the records of ``corpus.json`` and the documents' texts."""

    file: Path
    title: str
    description: str
    extra: dict
    events: list[dict]
    documents: list[tuple[dict, str]]  # (record, text)
    actors: list[dict]
    periods: list[dict]
    warnings: list[Problem]

    def write(self, builder: FolderBuilder) -> None:
        for record, text in self.documents:
            builder.path(record["path"]).write_bytes(text.encode("utf-8"))
        with open(builder.path("corpus.json"), "wb") as handle:
            writer = CorpusJsonWriter(handle, title=self.title, description=self.description, extra=self.extra)
            writer.write_section("events", self.events)
            writer.write_section("actors", self.actors)
            writer.write_section("periods", self.periods)
            writer.write_section("documents", (record for record, _ in self.documents))
            writer.close()


class _Converter:
    def __init__(self, file: Path, raw: bytes | None = None) -> None:
        self.file = file
        self.shown = str(file)
        self.raw = raw
        self.problems: list[Problem] = []
        self.locator: _Locator | None = None

    # -- reporting --

    def report(self, section: str | None, index: int | None, keys: tuple, message: str, hint: str = "",
               severity: str = "error") -> None:
        location = section or ""
        if section is not None and index is not None:
            location = f"{section}[{index}]"
        for key in keys:
            location += f"[{key}]" if isinstance(key, int) else (f".{key}" if location else str(key))
        line = self.locator.line(section, index, keys) if self.locator is not None else None
        self.problems.append(Problem(self.shown, location, message, hint, line, severity, "timelinejs"))  # type: ignore[arg-type]

    def reporter(self, section: str, index: int) -> Report:
        def report(keys, message, hint="", severity="error"):
            self.report(section, index, tuple(keys), message, hint, severity)
        return report

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def fail(self) -> CorpusError:
        return CorpusError(self.problems)

    # -- reading --

    def read(self) -> dict:
        raw = self.raw
        if raw is None:
            try:
                raw = read_regular(self.file, limit=SMALL_FILE_LIMIT, what="a TimelineJS file")
            except OSError as exc:
                self.report(None, None, (), f"cannot be read: {exc.strerror or exc}",
                            getattr(exc, "hint", "check the path and its permissions"))
                raise self.fail() from None
        raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            self.problems.append(Problem(self.shown, "", f"is not UTF-8 text: byte 0x{raw[exc.start]:02x} at byte offset {exc.start}",
                                         "save the file as UTF-8", line, "error", "encoding"))
            raise self.fail() from None
        if not text.strip():
            self.report(None, None, (), "the file is empty",
                        'a TimelineJS file is a JSON object: {"title": {...}, "events": [...]}')
            raise self.fail()
        try:
            data = parse_json(text)
        except json.JSONDecodeError as exc:
            self.problems.append(Problem(self.shown, "", f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                                         "fix the JSON syntax there (a missing comma, quote or bracket is the usual cause)",
                                         exc.lineno, "error", "json"))
            raise self.fail() from None
        except RecursionError:
            self.report(None, None, (), "the JSON is nested too deeply", "a TimelineJS file is an object with a list of slides")
            raise self.fail() from None
        self.locator = _Locator(text)
        if not isinstance(data, dict):
            self.report(None, None, (), f"the top level is {json_type(data)}, not an object",
                        'a TimelineJS file is a JSON object: {"title": {...}, "events": [...]}')
            raise self.fail()
        events = data.get("events")
        if events is None:
            self.report(None, None, (), 'there is no "events" list, so this is not a TimelineJS file',
                        'add "events": [ {"start_date": {"year": 2019}, "text": {"headline": "…"}} ]')
            raise self.fail()
        if not isinstance(events, list):
            self.report("events", None, (), f"expected a list of slides, got {json_type(events)}", 'write "events": [ ... ]')
            raise self.fail()
        if not events:
            self.report("events", None, (), "the timeline has no slides", "add at least one slide to \"events\"")
            raise self.fail()
        return data

    # -- converting --

    def run(self) -> Conversion:
        data = self.read()
        corpus_key = self.corpus_key(data)
        slides: list[_Slide] = []
        for i, slide in enumerate(data["events"]):
            report = self.reporter("events", i)
            if not isinstance(slide, dict):
                report((), f"expected a slide object, got {json_type(slide)}",
                       'a slide is {"start_date": {...}, "text": {"headline": "…", "text": "…"}}')
                continue
            key = self.slide_key(slide, i)
            visible = _visible(slide, report) if key is None else None
            if key is None and visible is None:
                continue
            slides.append(_Slide(i, slide, visible, key))
        periods = self.periods(data.get("eras"))
        if self.errors:
            raise self.fail()
        self.assign_ids(slides)
        actors = self.assign_actors(slides, corpus_key)
        title, description = self.titles(data, corpus_key)
        extra: dict = dict(corpus_key.extra) if corpus_key is not None else {}
        extra["timelinejs"] = {k: v for k, v in data.items() if k not in ("events", NAMESPACE)}
        events, documents = [], []
        for s in slides:
            event, document = self.event_record(s, title)
            events.append(event)
            documents.append(document)
        return Conversion(self.file, title, description, extra, events, documents, actors, periods,
                          [p for p in self.problems if p.severity == "warning"])

    def corpus_key(self, data: dict) -> _CorpusKey | None:
        raw = data.get(NAMESPACE)
        if raw is None:
            return None
        try:
            key = msgspec.convert(raw, _CorpusKey)
        except msgspec.ValidationError as exc:
            self.report(NAMESPACE, None, (), f"the exact values written by Timeline Explorer are unreadable ({exc}); "
                        "the file is read as TimelineJS shows it", "nothing to do, or remove the key", severity="warning")
            return None
        return key

    def slide_key(self, slide: dict, i: int) -> _EventKey | None:
        raw = slide.get(NAMESPACE)
        if raw is None:
            return None
        report = self.reporter("events", i)
        try:
            key = msgspec.convert(raw, _EventKey)
            parse_edtf(key.date)
        except (msgspec.ValidationError, DateError) as exc:
            report((NAMESPACE,), f"the exact values written by Timeline Explorer are unreadable ({getattr(exc, 'message', exc)}); "
                   "the slide is read as TimelineJS shows it", "nothing to do, or remove the key", severity="warning")
            return None
        if key.check != _fingerprint(_without_key(slide)):
            report((NAMESPACE,), "the slide was edited after it was exported, so its exact values are not used: "
                   "it is read as TimelineJS shows it", "nothing to do", severity="warning")
            return None
        return key

    def assign_ids(self, slides: list[_Slide]) -> None:
        taken: set[str] = set()
        first_use: dict[str, int] = {}
        pending: list[tuple[_Slide, str]] = []
        for s in slides:
            raw_id = s.key.id if s.key is not None else s.slide.get("unique_id")
            explicit = raw_id.strip() if isinstance(raw_id, str) else ""
            if explicit and re.fullmatch(schema.ID_PATTERN, explicit) and explicit not in taken:
                s.id = explicit
                taken.add(explicit)
                first_use[explicit] = s.index
                continue
            report = self.reporter("events", s.index)
            if explicit and explicit in taken:
                pending.append((s, explicit))
                report(("unique_id",), f"the unique_id {explicit!r} is also used by events[{first_use[explicit]}]",
                       "give every slide its own unique_id (this one was given another)", severity="warning")
            elif explicit:
                pending.append((s, slugify(explicit)))
                report(("unique_id",), f"{explicit!r} is not a usable id (letters, digits, '_', '.', ':', '-')",
                       "nothing to do: the slide was given one made from it; the original is kept", severity="warning")
            elif raw_id is not None and not isinstance(raw_id, str):
                pending.append((s, ""))
                report(("unique_id",), f"expected text, got {json_type(raw_id)}", "write the unique_id as a string",
                       severity="warning")
            else:
                pending.append((s, ""))
        for s, base in pending:
            title = s.key.title if s.key is not None else s.visible.title  # type: ignore[union-attr]
            base = base or slugify(title)
            if not base:
                base = "slide-" + _fingerprint(_without_key(s.slide))[:10]
            s.id = unique(base, taken)

    def assign_actors(self, slides: list[_Slide], corpus_key: _CorpusKey | None) -> list[dict]:
        records: dict[str, dict] = {}
        if corpus_key is not None:
            for actor in corpus_key.actors:
                if actor.id not in records:
                    records[actor.id] = msgspec.to_builtins(actor)
        by_name = {rec["name"]: aid for aid, rec in records.items()}
        taken = set(records)
        for s in slides:
            if s.key is not None:
                for aid in dict.fromkeys(s.key.actors):
                    if aid not in records:
                        records[aid] = {"id": aid, "name": aid} if re.fullmatch(schema.ID_PATTERN, aid) else None  # type: ignore[assignment]
                        if records[aid] is None:
                            del records[aid]
                            continue
                        taken.add(aid)
                    s.actors.append(aid)
            elif s.visible is not None and s.visible.group:
                name = s.visible.group
                aid = by_name.get(name)
                if aid is None:
                    aid = unique(slugify(name) or "group-" + _fingerprint(name)[:8], taken)
                    records[aid] = {"id": aid, "name": name}
                    by_name[name] = aid
                s.actors.append(aid)
        # References between actor records that lead nowhere are dropped (the loader would refuse them).
        for rec in records.values():
            if "members" in rec:
                rec["members"] = [m for m in rec["members"] if m in records and m != rec["id"]]
                if not rec["members"]:
                    del rec["members"]
            if rec.get("affiliation") is not None and rec["affiliation"] not in records:
                del rec["affiliation"]
        return list(records.values())

    def periods(self, eras: object) -> list[dict]:
        if eras is None:
            return []
        if not isinstance(eras, list):
            self.report("eras", None, (), f"expected a list of eras, got {json_type(eras)}", 'write "eras": [ ... ]')
            return []
        out: list[dict] = []
        taken: set[str] = set()
        for i, era in enumerate(eras):
            report = self.reporter("eras", i)
            if not isinstance(era, dict):
                report((), f"expected an era object, got {json_type(era)}",
                       'an era is {"start_date": {...}, "end_date": {...}, "text": {"headline": "…"}}')
                continue
            key = None
            if isinstance(era.get(NAMESPACE), dict):
                try:
                    key = msgspec.convert(era[NAMESPACE], _EraKey)
                    parse_edtf(key.date)
                    if key.check != _fingerprint(_without_key(era)):
                        key = None
                except (msgspec.ValidationError, DateError):
                    key = None
            if key is not None and key.id not in taken:
                taken.add(key.id)
                out.append({"id": key.id, "title": key.title, "date": key.date})
                continue
            start = _read_date(era.get("start_date"), ("start_date",), report, required=True)
            end = _read_date(era.get("end_date"), ("end_date",), report, required=False)
            if start is not None and end is None and "end_date" not in era:
                report(("end_date",), "the era has no end_date", "add an end_date: TimelineJS needs both ends of an era")
                continue
            text = era.get("text")
            headline = ""
            if isinstance(text, dict):
                headline = one_line(html_convert(_text_field(text.get("headline"), ("text", "headline"), report)).text)
            if start is None or end is None:
                continue
            date = start.edtf()
            if end.edtf() != date:
                try:
                    parse_edtf(f"{date}/{end.edtf()}")
                    date = f"{date}/{end.edtf()}"
                except DateError as exc:
                    report(("end_date",), exc.message, "the end_date must not come before the start_date: swap them")
                    continue
            if not headline:
                headline = f"Era {i + 1}"
                report(("text", "headline"), f"the era has no headline; it is called {headline!r}", "give it a headline",
                       severity="warning")
            out.append({"id": unique(slugify(headline) or f"era-{i + 1}", taken), "title": headline, "date": date})
        return out

    def titles(self, data: dict, key: _CorpusKey | None) -> tuple[str, str]:
        title_slide = data.get("title")
        if key is not None and key.check == _fingerprint(title_slide) and key.title.strip():
            return key.title, key.description
        headline = description = ""
        if isinstance(title_slide, dict):
            text = title_slide.get("text")
            if isinstance(text, dict):
                report = self.reporter("title", None)  # type: ignore[arg-type]
                headline = one_line(html_convert(_text_field(text.get("headline"), ("text", "headline"), report)).text)
                description = html_convert(_text_field(text.get("text"), ("text", "text"), report)).text
        elif title_slide is not None:
            self.report("title", None, (), f"expected a title slide object, got {json_type(title_slide)}",
                        'write "title": {"text": {"headline": "…", "text": "…"}}', severity="warning")
        if not headline:
            headline = self.file.stem
            self.report("title", None, ("text", "headline") if isinstance(title_slide, dict) else (),
                        f"the timeline has no title headline; the corpus is called {headline!r} after the file",
                        "give the title slide a headline", severity="warning")
        return headline, description

    def event_record(self, s: _Slide, corpus_title: str) -> tuple[dict, tuple[dict, str]]:
        safe = s.id.replace(":", "%3A")
        path = f"slides/{s.index + 1:04d}-{safe}.txt"
        if s.key is not None:
            k = s.key
            document, selectors = _exact_document(k.title, k.summary, k.quotes)
            record: dict[str, Any] = {"id": s.id, "date": k.date, "title": k.title}
            for name, value in (("summary", k.summary), ("type", k.type), ("tags", k.tags)):
                if value:
                    record[name] = value
            title = k.title
            extra = dict(k.extra)
        else:
            v = s.visible
            assert v is not None
            document, selectors = v.document, v.quotes
            record = {"id": s.id, "date": v.date, "title": v.title}
            if v.summary:
                record["summary"] = v.summary
            title = v.title
            extra = {}
            if v.title_from:
                self.report("events", s.index, ("text", "headline"),
                            f"the slide has no headline; its title was made from {v.title_from}: {title!r}",
                            "give the slide a headline", severity="warning")
        if s.actors:
            record["actors"] = s.actors
        record["quotes"] = [{"doc": s.id, "exact": exact, **({"prefix": p} if p else {}), **({"suffix": x} if x else {})}
                            for p, exact, x in selectors]
        if s.key is not None:
            k = s.key
            for name, value in (("date_note", k.date_note), ("note", k.note)):
                if value:
                    record[name] = value
            if k.draft:
                record["draft"] = True
            if k.confidence is not None:
                record["confidence"] = k.confidence
        elif s.visible is not None and s.visible.date_note:
            record["date_note"] = s.visible.date_note
        extra["timelinejs"] = _without_key(s.slide)
        record["extra"] = extra
        doc_record = {"id": s.id, "path": path, "title": title, "outlet": corpus_title,
                      "note": f"The text of slide events[{s.index}] of {self.file.name} (TimelineJS), as plain text."}
        return record, (doc_record, document)


def convert(file: str | Path, raw: bytes | None = None) -> Conversion:
    """Convert a TimelineJS file into corpus records; raise :class:`CorpusError` with every problem, located."""
    return _Converter(Path(file), raw).run()


def import_timelinejs(source: str | Path, target: str | Path, *, force: bool = False) -> Conversion:
    """Write the corpus of a TimelineJS file into the folder ``target`` (atomically).

    Raises :class:`CorpusError` (problems of the file: nothing written) or
    :class:`OutputError` (the folder cannot be written).
    """
    source = Path(source)
    builder = FolderBuilder(target, force=force, protect=[source])
    with builder:
        conversion = convert(source)
        conversion.write(builder)
        builder.commit()
    return conversion



# -- export --------------------------------------------------------------------------------------------------


def _date_object(year: int, month: int | None = None, day: int | None = None, second: int | None = None,
                 precision: int = 2) -> dict:
    from .dates import Precision

    obj: dict[str, int] = {"year": year}
    if month is not None:
        obj["month"] = month
        if day is not None:
            obj["day"] = day
            if second is not None and precision >= Precision.MINUTE:
                h, rem = divmod(second, 3600)
                mi, sec = divmod(rem, 60)
                obj["hour"], obj["minute"] = h, mi
                if precision >= Precision.SECOND:
                    obj["second"] = sec
    return obj


def _point_object(point) -> dict:
    return _date_object(point.year, point.month, point.day, point.second, int(point.precision))


def _dates(date: EDTFDate) -> tuple[dict, dict | None, str]:
    """TimelineJS start and end date objects of an EDTF date, and a display_date when TimelineJS cannot say it."""
    from .dates import Precision

    start = date.start
    end = date.end if date.interval else None
    exact = not (date.approximate or date.uncertain or date.open_start or date.open_end or date.unknown_start
                 or date.unknown_end)
    if start is None and end is not None:  # an open or unknown start: TimelineJS needs one, so the end stands in
        start, end = end, None
        exact = False
    if start is None:  # forms only the full EDTF parser reads (seasons, 201X, sets): the first instant it denotes
        year, month = date.year_month()
        obj = {"year": year if year is not None else 0}
        if month is not None and date.precision >= Precision.MONTH:
            obj["month"] = month
        return obj, None, date.human()
    start_obj = _point_object(start)
    end_obj = _point_object(end) if end is not None else None
    return start_obj, end_obj, "" if exact else date.human()


def _needs_cosmological(date: EDTFDate) -> bool:
    for p in (date.start, date.end):
        if p is not None and not _HUMAN_YEARS[0] <= p.year <= _HUMAN_YEARS[1]:
            return True
    return False


def _blockquote(text: str, cite: str = "") -> str:
    html = f"<blockquote>{text_to_html(text)}"
    if cite:
        html += f"<cite>{text_to_html(cite)}</cite>"
    return html + "</blockquote>"


def _derive(base: dict) -> _Visible | None:
    """What importing ``base`` (an original slide) would make of it, or None if it has problems."""
    def report(keys, message, hint="", severity="error"):
        pass

    try:
        return _visible(base, report)
    except Exception:  # pragma: no cover - a stored slide is data; never fail the export over it
        return None


def _slide(corpus, e) -> dict:
    base = e.extra.get("timelinejs") if isinstance(e.extra, dict) else None
    base = base if isinstance(base, dict) else None
    slide: dict[str, Any] = _without_key(base) if base is not None else {}
    derived = _derive(base) if base is not None else None
    quotes = list(e.quotes)
    texts = [q.text for q in quotes]
    names = [corpus.actors[a].name for a in e.actors if a in corpus.actors]

    if not (derived and derived.title == e.title and derived.summary == e.summary and derived.quote_texts == texts):
        body = text_to_html(e.summary) if e.summary else ""
        for q in quotes[1:]:
            body += _blockquote(q.text, q.document.citation())
        slide["text"] = {"headline": text_to_html(e.title), "text": body}
        if quotes:
            slide["media"] = {"url": _blockquote(quotes[0].text), "credit": text_to_html(quotes[0].document.citation())}
        else:
            slide.pop("media", None)
    if not (derived and derived.date == e.date.text):
        start, end, display = _dates(e.date)
        slide["start_date"] = start
        if end is not None:
            slide["end_date"] = end
        else:
            slide.pop("end_date", None)
        if display:
            slide["display_date"] = display
        else:
            slide.pop("display_date", None)
    if not (derived and ([derived.group] if derived.group else []) == names):
        if names:
            slide["group"] = for_people(names[0], multiline=False)  # one group per slide: the first actor
        else:
            slide.pop("group", None)
    slide["unique_id"] = e.id
    key: dict[str, Any] = {"id": e.id, "date": e.date.text, "title": e.title}
    for name, value in (("summary", e.summary), ("type", e.type), ("tags", list(e.tags)), ("actors", list(e.actors)),
                        ("date_note", e.date_note), ("note", e.note)):
        if value:
            key[name] = value
    if quotes:
        key["quotes"] = [{"text": q.text, "cite": q.document.citation()} for q in quotes]
    if e.draft:
        key["draft"] = True
    if e.confidence is not None:
        key["confidence"] = e.confidence
    other = {k: v for k, v in (e.extra or {}).items() if k != "timelinejs"}
    if other:
        key["extra"] = other
    key["check"] = _fingerprint(slide)
    slide[NAMESPACE] = key
    return slide


def _title_slide(corpus) -> dict:
    tl = corpus.extra.get("timelinejs") if isinstance(corpus.extra, dict) else None
    base = tl.get("title") if isinstance(tl, dict) and isinstance(tl.get("title"), dict) else None
    if base is not None:
        text = base.get("text") if isinstance(base.get("text"), dict) else {}
        headline = one_line(html_convert(text.get("headline") if isinstance(text.get("headline"), str) else "").text)
        description = html_convert(text.get("text") if isinstance(text.get("text"), str) else "").text
        if headline == corpus.title and description == corpus.description:
            return dict(base)
    slide = dict(base) if base is not None else {}
    slide["text"] = {"headline": text_to_html(corpus.title), "text": text_to_html(corpus.description)}
    return slide


def _era(period) -> dict:
    start, end, _ = _dates(period.date)
    era = {"start_date": start, "end_date": end or start, "text": {"headline": text_to_html(period.title)}}
    era[NAMESPACE] = {"id": period.id, "title": period.title, "date": period.date.text, "check": _fingerprint(era)}
    return era


def write_timelinejs(corpus, events, query, out: BinaryIO) -> int:
    """Write ``events`` as a TimelineJS file, streamed one slide at a time; return how many."""
    title = _title_slide(corpus)
    tl = corpus.extra.get("timelinejs") if isinstance(corpus.extra, dict) else None
    head: dict[str, Any] = {"title": title}
    if isinstance(tl, dict):  # other top-level keys of an imported file (scale, …) go back as they were
        head.update({k: v for k, v in tl.items() if k not in ("title", "eras", "events", NAMESPACE)})
    out.write(dumps(head)[:-1])
    if corpus.periods:
        out.write(b',\n"eras":[' + b",\n".join(dumps(_era(p)) for p in corpus.periods) + b"]")
        cosmological = any(_needs_cosmological(p.date) for p in corpus.periods)
    else:
        cosmological = False
    out.write(b',\n"events":[')
    count = 0
    used: dict[str, None] = {}
    for e in events:
        out.write((b"\n" if count == 0 else b",\n") + dumps(_slide(corpus, e)))
        used.update(dict.fromkeys(e.actors))
        cosmological = cosmological or _needs_cosmological(e.date)
        count += 1
    out.write(b"\n]")
    if cosmological and "scale" not in head:
        out.write(b',\n"scale":"cosmological"')
    key: dict[str, Any] = {"version": KEY_VERSION, "title": corpus.title, "description": corpus.description,
                           "actors": actor_records(corpus, used)}
    other = {k: v for k, v in (corpus.extra or {}).items() if k != "timelinejs"}
    if other:
        key["extra"] = other
    key["check"] = _fingerprint(title)
    out.write(b',\n"' + NAMESPACE.encode() + b'":' + dumps(key) + b"}\n")
    return count
