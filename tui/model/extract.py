"""Candidate events from plain-text documents (``timeline-explorer extract``).

A document is cut into sentences; boilerplate (navigation, captions, link
lists, newsletter prompts, copyright lines, reader comments) is skipped, and
so are the passages a reference corpus excludes for a document with the same
text.  Each sentence that carries a date expression ("July 18", "on Tuesday",
"in March", "earlier this year", "since April 2017", ...) becomes a candidate
event, its date resolved with python-dateutil against the document's
publication date, at the precision the text supports, and explained in the
event's ``date_note``.  A news article's lead, which usually reports its news
without a date, is proposed too, dated approximately to the publication.
Actors are recognised from the reference corpus's names and aliases.
Candidates from several documents about the same date and actors are merged
into one event with a quote from each.

The result is a draft corpus (``Draft``): every event is marked ``draft``,
with a ``confidence`` and, in its ``note``, the reasons for it.  ``write_draft``
writes it as the corpus file of a folder, with the documents beside it.
docs/extract.md describes the rules; nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import msgspec
from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from . import schema
from .anchoring import selector_fields
from .atomic import atomic_write_bytes
from .corpuswriter import actor_records, unique
from .dates import MONTH_NAMES, DateError, Precision, YearOutOfRange, date_from_parts, parse_edtf
from .errors import Problem
from .files import NotARegularFile, OutputRefused, TooLarge, check_output, read_document
from .textfold import fold
from .wording import plural

__all__ = [
    "ActorMatcher",
    "Candidate",
    "DateMention",
    "Draft",
    "DraftError",
    "Publication",
    "Source",
    "Unit",
    "document_candidates",
    "extract",
    "find_dates",
    "publication",
    "read_source",
    "text_units",
    "write_draft",
]

MIN_WORDS = 5  # a passage shorter than this cannot state an event
TITLE_CHARS = 100

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_OF = {name: wd for name, wd in zip(_WEEKDAYS, (MO, TU, WE, TH, FR, SA, SU))}


# -- the publication date ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Publication:
    """When a document was published: a day, or (for the model's callers) a month or a year.

    ``first`` and ``last`` are the first and last days it can denote.
    """

    text: str
    first: date
    last: date
    precision: str  # "day", "month" or "year"

    @property
    def day(self) -> date | None:
        return self.first if self.precision == "day" else None

    def describe(self) -> str:
        if self.precision == "day":
            return f"{self.first.day} {MONTH_NAMES[self.first.month - 1]} {self.first.year}"
        if self.precision == "month":
            return f"{MONTH_NAMES[self.first.month - 1]} {self.first.year}"
        return str(self.first.year)

    def approximate(self) -> str:
        """The publication date itself, marked approximate (EDTF ``~``)."""
        return self.text + "~"


def publication(text: str, *, require_day: bool = True) -> Publication:
    """Parse a publication date; raise :class:`DateError` (with a hint) if it is not one.

    With ``require_day`` only a day (``2019-08-21``) is accepted; without it
    (the command line) a month or a year is accepted too, and expressions that
    count from the publication day ("on Tuesday") then resolve only
    approximately.
    """
    hint_day = ("give the day of publication as YYYY-MM-DD, e.g. 2019-08-21" if require_day else
                "give the day of publication as YYYY-MM-DD (2019-08-21), else its month (2019-08) or year (2019)")
    try:
        parsed = parse_edtf(text)
    except DateError as exc:
        message = exc.message if isinstance(exc, YearOutOfRange) else f"{text!r} is not a date: {exc.message}"
        raise DateError(message, hint_day) from None
    point = parsed.start
    if parsed.interval or parsed.is_uncertain or point is None or point.second is not None:
        raise DateError(f"{text!r} is not a single plain date", hint_day)
    if not 1 <= point.year <= 9999:
        raise DateError(f"{text!r} is outside the years 1-9999", hint_day)
    if point.precision == Precision.DAY:
        day = date(point.year, point.month, point.day)
        return Publication(text, day, day, "day")
    if require_day:
        raise DateError(f"{text!r} is not a day", hint_day)
    if point.precision == Precision.MONTH:
        first = date(point.year, point.month, 1)
        return Publication(text, first, first + relativedelta(day=31), "month")
    if point.precision == Precision.YEAR:
        return Publication(text, date(point.year, 1, 1), date(point.year, 12, 31), "year")
    raise DateError(f"{text!r} is not a day, a month or a year", hint_day)


# -- date expressions -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a passage, resolved.

    ``start``/``end`` are offsets in the passage; ``date`` is EDTF;
    ``reason`` says why the date deserves its ``confidence`` and ``rule``
    how it was resolved (for the event's ``date_note``).
    """

    start: int
    end: int
    text: str
    date: str
    confidence: float
    reason: str
    rule: str


_MONTH_FULL = "|".join(MONTH_NAMES)
_MONTH_ANY = rf"(?:{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|2[01]\d\d)"
_WEEKDAY = "|".join(_WEEKDAYS)
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# A preposition before a date changes its meaning: "since" opens an interval,
# "until"/"by"/"before"/"after" bound the event rather than date it.
_PREP = r"(?:(?i:ever\s+since|since|until|till|by|before|after|in|on|during|from|of|early|late|throughout)\s+|(?i:mid-))"
_NOT_NUMBER_AFTER = r"(?![\d,.]\d)(?!\s*(?:%|(?i:per\s*cent|percent)))"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "Tuesday, July 16, 2019", "July 18, 2019", "Sept. 18 2019"
    ("full", re.compile(rf"(?P<prep>{_PREP})?(?:(?P<wd>{_WEEKDAY}),?\s+)?\b(?P<body>{_MONTH_ANY}\s+{_DAY},?\s+{_YEAR})\b")),
    # "18 July 2019", "the 18th of July, 2019"
    ("full", re.compile(rf"(?P<prep>{_PREP})?(?:(?P<wd>{_WEEKDAY}),?\s+(?:the\s+)?)?(?<![\d,.])(?P<body>{_DAY}(?:\s+of)?\s+{_MONTH_ANY},?\s+{_YEAR})\b")),
    ("iso", re.compile(r"(?P<prep>" + _PREP + r")?(?<![\d-])(?P<body>\d{4}-\d\d-\d\d)(?![\d-])")),
    # "July 18", "Tuesday, July 16"
    ("day-month", re.compile(rf"(?P<prep>{_PREP})?(?:(?P<wd>{_WEEKDAY}),?\s+)?\b(?P<body>{_MONTH_ANY}\s+{_DAY})\b{_NOT_NUMBER_AFTER}")),
    # "12 July", "the 12th of July"
    ("day-month", re.compile(rf"(?P<prep>{_PREP})?(?:(?P<wd>{_WEEKDAY}),?\s+(?:the\s+)?)?(?<![\d,.$£€])(?P<body>{_DAY}(?:\s+of)?\s+{_MONTH_ANY})\b")),
    # "March 2019", "in April 2017"
    ("month-year", re.compile(rf"(?P<prep>{_PREP})?\b(?P<body>{_MONTH_ANY},?\s+(?:of\s+)?{_YEAR})\b")),
    # "in March", "last March", "mid-March" (a bare month name needs a word before it)
    ("month", re.compile(rf"(?P<prep>{_PREP}|(?i:last|this)\s+)(?P<body>{_MONTH_FULL})\b")),
    # "between 2017 and 2019", "from 2017 to 2019"
    ("years", re.compile(rf"(?i:\b(?:between|from)\s+)(?P<y1>{_YEAR})\s*(?:(?i:and|to|until|through)\s+|[-–—]\s*)(?P<y2>{_YEAR})\b")),
    # "in 2018", "since 2017", "in early 2018" (a bare number needs a word before it)
    ("year", re.compile(rf"(?P<prep>(?i:in\s+(?:early\s+|late\s+|mid-)?)|{_PREP})(?<![$£€])(?P<body>{_YEAR})\b{_NOT_NUMBER_AFTER}")),
    # "in the 1990s"
    ("decade", re.compile(rf"(?P<prep>{_PREP})?(?i:the\s+)(?P<body>1[6-9]\d0|20\d0)['’]?s\b")),
    ("rel-year", re.compile(r"(?i:\b(?P<mod>earlier\s+this|early\s+this|later\s+this|late\s+this|this|last|next|late\s+last|early\s+last|earlier\s+last)\s+year\b)")),
    ("rel-month", re.compile(r"(?i:\b(?P<mod>earlier\s+this|early\s+this|later\s+this|late\s+this|this|last|next)\s+month\b)")),
    ("rel-week", re.compile(r"(?i:\b(?P<mod>earlier\s+this|later\s+this|this|last|next)\s+week\b)")),
    ("ago", re.compile(r"(?i:\b(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<unit>day|week|month|year)s?\s+ago\b)")),
    ("weekday", re.compile(rf"(?:(?P<mod>(?i:last|this|next|on|ever\s+since|since|until|till|by|before|after))\s+)?\b(?P<wd>{_WEEKDAY})\b")),
    ("dayword", re.compile(r"(?i:\b(?P<word>yesterday|today|tomorrow)\b)")),
]

_BOUNDING = {"until", "till", "by", "before", "after"}


def _prep_word(prep: str | None) -> str:
    return " ".join((prep or "").lower().replace("-", " ").split())


def _dt_parse(text: str, default_year: int) -> datetime | None:
    """dateutil's parser on an expression with a known shape ("18 July", "Sept. 18, 2019")."""
    cleaned = re.sub(r"(?<=[A-Za-z])\.", "", text)
    try:
        return date_parser.parse(cleaned, default=datetime(default_year, 1, 1))
    except (ValueError, OverflowError):
        return None


def _most_recent(text: str, limit: date) -> date | None:
    """The most recent date the (year-less) expression can name, not after ``limit``."""
    for back in range(9):  # nine years back reach a 29 February
        found = _dt_parse(text, limit.year - back)
        if found is not None and found.date() <= limit:
            return found.date()
    return None


def _edtf(d: date) -> str:
    return date_from_parts(d.year, d.month, d.day)


def _month_edtf(d: date) -> str:
    return date_from_parts(d.year, d.month)


def _human_day(d: date) -> str:
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


class _Resolved:
    __slots__ = ("date", "confidence", "reason", "rule")

    def __init__(self, date: str, confidence: float, reason: str, rule: str) -> None:
        self.date = date
        self.confidence = confidence
        self.reason = reason
        self.rule = rule


def _coarse(expr: str, pub: Publication) -> _Resolved:
    """An expression that counts from the publication day, when only its month or year is known."""
    return _Resolved(
        pub.approximate(), 0.35,
        f"“{expr}” counts from the publication day, which is not known",
        f"“{expr}” counts from the day of publication, known only as {pub.describe()}: "
        "dated approximately to the publication.",
    )


def _year_unsure(resolved: _Resolved | None, earliest: date | None, latest: date, pub: Publication) -> _Resolved | None:
    """A date without a year, resolved against a publication known only as a month or a year.

    Counted from the last day the publication can be (``latest``) and from the
    first (``earliest``), the year may differ ("in March", published in 2019:
    March 2019, or March 2018 if published before March): then it is marked
    uncertain and the note says so.
    """
    if resolved is None or earliest is None or earliest.year == latest.year or resolved.date.endswith(("?", "%")):
        return resolved
    return _Resolved(
        resolved.date[:-1] + "%" if resolved.date.endswith("~") else resolved.date + "?", min(resolved.confidence, 0.4), resolved.reason + "; the year is uncertain",
        f"{resolved.rule} The publication is known only as {pub.describe()}: published earlier, "
        f"it would be {earliest.year}, so the year is uncertain (?).",
    )


def _resolve(kind: str, m: re.Match[str], expr: str, pub: Publication) -> _Resolved | None:
    limit = pub.last
    published = f"publication ({pub.describe()})"
    if kind in ("full", "iso"):
        found = _dt_parse(m["body"], 2000)
        if found is None:
            return None
        resolved = _Resolved(_edtf(found.date()), 0.9, "explicit date (day, month and year)",
                             f"“{expr}”: stated in full.")
        return _check_weekday(resolved, m, found.date())
    if kind == "day-month":
        found = _most_recent(m["body"], limit)
        if found is None:
            return None
        resolved = _Resolved(
            _edtf(found), 0.8, "explicit day and month; year from publication date",
            f"“{expr}” has no year: the most recent {found.day} {MONTH_NAMES[found.month - 1]} "
            f"not after {published}.",
        )
        earliest = _most_recent(m["body"], pub.first)
        return _year_unsure(_check_weekday(resolved, m, found), earliest, found, pub)
    if kind == "month-year":
        found = _dt_parse(m["body"], 2000)
        if found is None:
            return None
        return _Resolved(_month_edtf(found.date()), 0.8, "explicit month and year", f"“{expr}”: month and year stated.")
    if kind == "month":
        found = _dt_parse(m["body"], limit.year)
        if found is None:
            return None
        strict = _prep_word(m["prep"]) == "last"

        def most_recent(day: date) -> date:
            month = found.date().replace(year=day.year)
            if month > day:
                month -= relativedelta(years=1)
            if strict and (month.year, month.month) == (day.year, day.month):
                month -= relativedelta(years=1)
            return month

        month = most_recent(limit)
        which = "before" if strict else "not after"
        resolved = _Resolved(
            _month_edtf(month), 0.65, "month stated; year from publication date",
            f"“{expr}” has no year: the most recent {m['body']} {which} {published}, {m['body']} {month.year}.",
        )
        return _year_unsure(resolved, most_recent(pub.first), month, pub)
    if kind == "years":
        y1, y2 = int(m["y1"]), int(m["y2"])
        if y1 > y2:
            return None
        return _Resolved(f"{date_from_parts(y1)}/{date_from_parts(y2)}", 0.75, "explicit years",
                         f"“{expr}”: the years stated.")
    if kind == "year":
        return _Resolved(date_from_parts(int(m["body"])), 0.75, "explicit year", f"“{expr}”: the year stated.")
    if kind == "decade":
        decade = m["body"]
        return _Resolved(decade[:3] + "X", 0.55, "explicit decade", f"“{expr}”: the decade stated.")
    mod = _prep_word(m.groupdict().get("mod"))
    if kind == "rel-year":
        year = pub.first.year
        if mod in ("last", "late last", "early last", "earlier last"):
            return _Resolved(date_from_parts(year - 1), 0.65, "year relative to publication",
                             f"“{expr}”: the year before {published}.")
        if mod == "this":
            return _Resolved(date_from_parts(year), 0.6, "year relative to publication",
                             f"“{expr}”: the year of {published}.")
        if mod == "next":
            return _Resolved(date_from_parts(year + 1), 0.5, "year relative to publication (the future)",
                             f"“{expr}”: the year after {published}.")
        if mod in ("earlier this", "early this"):
            start = {"day": f"{year:04d}-01-01", "month": f"{year:04d}-01", "year": ""}[pub.precision]
            text = f"{start}/{pub.text}" if start else pub.text
            return _Resolved(text, 0.5, "only “earlier this year”: between the start of the year and publication",
                             f"“{expr}”: between the start of {year} and {published}.")
        end = {"day": f"{year:04d}-12-31", "month": f"{year:04d}-12", "year": ""}[pub.precision]
        text = f"{pub.text}/{end}" if end else pub.text
        return _Resolved(text, 0.45, "only “later this year”: between publication and the end of the year",
                         f"“{expr}”: between {published} and the end of {year}.")
    if kind == "rel-month":
        if pub.precision == "year":
            return _coarse(expr, pub)
        month = pub.first
        if mod == "last":
            return _Resolved(_month_edtf(month + relativedelta(months=-1)), 0.6, "month relative to publication",
                             f"“{expr}”: the month before {published}.")
        if mod == "this":
            return _Resolved(_month_edtf(month), 0.55, "month relative to publication",
                             f"“{expr}”: the month of {published}.")
        if mod == "next":
            return _Resolved(_month_edtf(month + relativedelta(months=1)), 0.45,
                             "month relative to publication (the future)", f"“{expr}”: the month after {published}.")
        if pub.precision == "month":
            return _Resolved(pub.text, 0.5, "month relative to publication", f"“{expr}”: the month of {published}.")
        if mod in ("earlier this", "early this"):
            return _Resolved(f"{_edtf(month + relativedelta(day=1))}/{pub.text}", 0.5,
                             "only “earlier this month”: between the start of the month and publication",
                             f"“{expr}”: between the start of the month and {published}.")
        return _Resolved(f"{pub.text}/{_edtf(month + relativedelta(day=31))}", 0.45,
                         "only “later this month”: between publication and the end of the month",
                         f"“{expr}”: between {published} and the end of the month.")
    if kind == "rel-week":
        day = pub.day
        if day is None:
            return _coarse(expr, pub)
        monday = day + relativedelta(weekday=MO(-1))
        sunday = monday + relativedelta(days=6)
        if mod == "last":
            monday, sunday = monday - relativedelta(weeks=1), sunday - relativedelta(weeks=1)
        elif mod == "next":
            monday, sunday = monday + relativedelta(weeks=1), sunday + relativedelta(weeks=1)
        elif mod == "earlier this":
            sunday = day
        elif mod == "later this":
            monday = day
        confidence = 0.45 if mod == "next" else 0.55
        return _Resolved(f"{_edtf(monday)}/{_edtf(sunday)}", confidence, "week relative to publication",
                         f"“{expr}”: {_human_day(monday)} to {_human_day(sunday)}, counted from {published}.")
    if kind == "ago":
        n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
        unit = m["unit"].lower()
        if unit == "year":
            year = pub.first.year - n
            return _Resolved(date_from_parts(year, approximate=True), 0.5, "years counted back from publication",
                             f"“{expr}”: about {year}, {n} year(s) before {published}.")
        if unit == "month":
            if pub.precision == "year":
                return _coarse(expr, pub)
            month = pub.first + relativedelta(months=-n)
            return _Resolved(date_from_parts(month.year, month.month, approximate=True), 0.5,
                             "months counted back from publication",
                             f"“{expr}”: about {MONTH_NAMES[month.month - 1]} {month.year}, {n} month(s) before {published}.")
        day = pub.day
        if day is None:
            return _coarse(expr, pub)
        back = day - relativedelta(**{unit + "s": n})
        if unit == "week":
            return _Resolved(date_from_parts(back.year, back.month, back.day, approximate=True), 0.45,
                             "weeks counted back from publication",
                             f"“{expr}”: about {_human_day(back)}, {n} week(s) before {published}.")
        return _Resolved(_edtf(back), 0.6, "days counted back from publication",
                         f"“{expr}”: {_human_day(back)}, {n} day(s) before {published}.")
    if kind == "weekday":
        day = pub.day
        if day is None:
            return _coarse(expr, pub)
        weekday = _WEEKDAY_OF[m["wd"]]
        name = m["wd"]
        if mod == "last":
            found = (day - timedelta(days=1)) + relativedelta(weekday=weekday(-1))
            return _Resolved(_edtf(found) + "~", 0.45, f"weekday only (“last {name}” may mean this week's or the week before)",
                             f"“{expr}”: the most recent {name} before {published}, {_human_day(found)}; "
                             f"approximate, as “last {name}” may also mean the {name} a week earlier.")
        if mod == "next":
            found = (day + timedelta(days=1)) + relativedelta(weekday=weekday(+1))
            return _Resolved(_edtf(found) + "~", 0.4, "weekday only, in the future",
                             f"“{expr}”: the first {name} after {published}, {_human_day(found)}; approximate.")
        found = day + relativedelta(weekday=weekday(-1))
        if found == day or mod == "this":
            return _Resolved(_edtf(found) + "~", 0.45, "weekday only, ambiguous",
                             f"“{expr}”: the most recent {name} on or before {published}, {_human_day(found)}; "
                             f"approximate: the document may mean the {name} of the week before, or the coming one.")
        return _Resolved(_edtf(found), 0.6, "weekday only: the most recent such day before publication",
                         f"“{expr}”: the most recent {name} on or before {published}, {_human_day(found)}.")
    if kind == "dayword":
        day = pub.day
        if day is None:
            return _coarse(expr, pub)
        word = m["word"].lower()
        shift, confidence = {"yesterday": (-1, 0.7), "today": (0, 0.5), "tomorrow": (1, 0.4)}[word]
        found = day + timedelta(days=shift)
        return _Resolved(_edtf(found), confidence, f"“{word}”, counted from publication",
                         f"“{expr}”: {_human_day(found)}, counted from {published}.")
    return None  # pragma: no cover - every pattern kind is handled above


def _check_weekday(resolved: _Resolved, m: re.Match[str], found: date) -> _Resolved:
    written = m.groupdict().get("wd")
    if written and _WEEKDAYS[found.weekday()] != written:
        resolved.confidence -= 0.3
        resolved.reason += f"; but {found.isoformat()} is a {_WEEKDAYS[found.weekday()]}, not a {written}"
    return resolved


def find_dates(passage: str, pub: Publication) -> list[DateMention]:
    """The date expressions in ``passage``, resolved against ``pub``, in order.

    Where expressions overlap ("earlier this year" and "this year"), the
    longest wins.
    """
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(passage):
            if m.end() > m.start():
                found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int, str, re.Match[str]]] = []
    for item in found:
        if all(item[1] <= t[0] or t[1] <= item[0] for t in taken):
            taken.append(item)
    taken.sort(key=lambda f: f[0])
    mentions = []
    for start, end, kind, m in taken:
        expr = " ".join(passage[start:end].split())
        resolved = _resolve(kind, m, expr, pub)
        if resolved is None:
            continue
        prep = _prep_word(m.groupdict().get("prep") or (m.groupdict().get("mod") if kind == "weekday" else None))
        if prep in ("since", "ever since"):
            first = resolved.date.split("/")[0]
            resolved = _Resolved(f"{first}/..", resolved.confidence, resolved.reason + "; “since”: ongoing",
                                 resolved.rule + " “Since”: an interval from then, still going on.")
        elif prep in _BOUNDING:
            resolved.confidence -= 0.2
            resolved.reason += f"; “{prep}” bounds the event rather than dating it"
        try:
            parse_edtf(resolved.date)
        except DateError:  # pragma: no cover - every form above is EDTF
            continue
        mentions.append(DateMention(start, end, expr, resolved.date, round(resolved.confidence, 2),
                                    resolved.reason, resolved.rule))
    return mentions


# -- sentences and boilerplate ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence (or a heading line) of a document: ``text[start:end]``.

    ``skip`` says why it is not considered (boilerplate, too short), or is
    empty; ``heading`` is true for a line that does not end like a sentence.
    """

    start: int
    end: int
    text: str
    heading: bool
    skip: str = ""


_TERMINAL_END = re.compile(r"""[.!?…]["'”’»)\]]*$""")
_SENTENCE_END = re.compile(r"""([.!?…]+["'”’»)\]]*)(\s+)(?=["'“‘«(\[]?[A-Z0-9\u00c0-\u00de])""")
_WORD_BEFORE = re.compile(r"""([\w.]*\w)[.]["'”’»)\]]*$""")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen sen rep gov st mt jr sr lt col capt sgt maj cmdr adm no nos vs etc inc ltd co corp "
    "dept univ jan feb mar apr jun jul aug sep sept oct nov dec approx est fig al ave blvd".split()
)
_SEPARATOR = re.compile(r"(?:^|\s)::(?:\s|$)")
_BULLET = re.compile(r"[•·▪◦‣*–—-]\s+")
_WORDS = re.compile(r"\w+")

# Lines that are site furniture, whatever the site.  Each is (pattern, reason,
# how: "match" at the start of the line, "search" anywhere in it, "short" at
# the start of a line of at most 12 words).
_LINE_RULES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"(?:\b(?:photo|photograph|pic|picture|image|illustration|credit)s?\s*:|\|\s*photo\b|"
                r"\b(?:getty images|afp photo|ap photo|reuters photo)\b)", re.I), "photo caption", "search"),
    (re.compile(r"(?:©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b)", re.I), "copyright line", "search"),
    (re.compile(r"(?:also read|read more|read also|see also|related(?: stories| articles| news| coverage)?|"
                r"recommended|more from|more on this|most read|most popular|trending|watch|listen)\b\s*[:|»>]", re.I),
     "link to other content", "match"),
    (re.compile(r"(?:read more|also read|related articles|related stories)\s*$", re.I), "link to other content", "match"),
    (re.compile(r"(?:previous article|next article|previous post|next post|skip to|back to top|share (?:this|on|via)\b|"
                r"advertisement\b|sponsored\b|click here|tap here|home\s*[»>/|])", re.I), "navigation", "match"),
    (re.compile(r"(?:by|written by|reporting by|additional reporting by|edited by|compiled by)\b", re.I), "byline", "short"),
    (re.compile(r"(?:published|updated|posted|last updated|first published)\b", re.I), "publication stamp", "short"),
]
# A comments section comes last on a page: from its first line on, everything is skipped.
_COMMENTS = re.compile(
    r"(?:\d+\s+comments?\b|comments?\s*(?:\(\d+\))?\s*$|leave a (?:reply|comment)\b|add (?:your|a) comments?\b|"
    r"post a comment\b|share your views\b|join the (?:conversation|discussion)\b|(?:show|view|read) (?:all )?comments\b|"
    r"reader comments\b|\d+\s+responses?\s*$)", re.I)
_SENTENCE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:subscribe|subscribers?|newsletter|sign up|unsubscribe|follow us|click here)\b", re.I),
     "newsletter or subscription prompt"),
]


def _line_skip(piece: str) -> str:
    words = len(_WORDS.findall(piece))
    for pattern, reason, how in _LINE_RULES:
        if how == "search":
            if pattern.search(piece):
                return reason
        elif pattern.match(piece) and (how == "match" or words <= 12):
            return reason
    return ""


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):
        start += 1
    m = _BULLET.match(text, start, end)
    if m:
        start = m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pieces(text: str, barriers: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Line fragments ``(start, end)``: lines, cut where a barrier or a ``::`` separator lies."""
    out: list[tuple[int, int]] = []
    bars = sorted(barriers)
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        line_end = n if nl == -1 else nl
        cuts = [(pos, line_end)]
        for b_start, b_end in bars:
            if b_end <= pos or b_start >= line_end:
                continue
            nxt = []
            for s, e in cuts:
                if b_end <= s or b_start >= e:
                    nxt.append((s, e))
                    continue
                if s < b_start:
                    nxt.append((s, b_start))
                if b_end < e:
                    nxt.append((b_end, e))
            cuts = nxt
        for s, e in cuts:
            sub_start = s
            for m in _SEPARATOR.finditer(text, s, e):
                out.append((sub_start, m.start()))
                sub_start = m.end()
            out.append((sub_start, e))
        if nl == -1:
            break
        pos = nl + 1
    return out


def text_units(text: str, barriers: Sequence[tuple[int, int]] = ()) -> list[Unit]:
    """The sentences and heading lines of ``text``, each marked with why it is skipped, if it is.

    ``barriers`` are passages that are not text of the document (a reference
    corpus's excluded passages): nothing crosses them.
    """
    blocks: list[list[int]] = []  # [start, end] of runs of lines that belong together
    skipped: list[Unit] = []
    previous_open = False  # the last kept line does not end like a sentence
    for start, end in _pieces(text, barriers):
        start, end = _strip(text, start, end)
        if start >= end:
            continue
        piece = text[start:end]
        if len(_WORDS.findall(piece)) <= 8 and _COMMENTS.match(piece):
            skipped.append(Unit(start, end, piece, True, "reader comments (and everything after them)"))
            break
        reason = _line_skip(piece)
        if reason:
            skipped.append(Unit(start, end, piece, not _TERMINAL_END.search(piece), reason))
            previous_open = False
            continue
        gap = text[blocks[-1][1] : start] if blocks else ""
        if previous_open and piece[0].islower() and gap.count("\n") == 1 and not gap.strip():
            blocks[-1][1] = end  # a line wrapped in the middle of a sentence
        else:
            blocks.append([start, end])
        previous_open = not _TERMINAL_END.search(piece) and not piece.endswith(":")
    units: list[Unit] = []
    for b_start, b_end in blocks:
        for s, e in _sentences(text, b_start, b_end):
            s, e = _strip(text, s, e)
            if s >= e:
                continue
            sentence = text[s:e]
            heading = not _TERMINAL_END.search(sentence)
            reason = ""
            for pattern, why in _SENTENCE_RULES:
                if pattern.search(sentence):
                    reason = why
                    break
            if not reason and len(_WORDS.findall(sentence)) < MIN_WORDS:
                reason = f"fewer than {MIN_WORDS} words"
            units.append(Unit(s, e, sentence, heading, reason))
    units.extend(skipped)
    units.sort(key=lambda u: u.start)
    return units


def _sentences(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.group(1).startswith("."):
            before = _WORD_BEFORE.search(text, pos, m.end(1))
            if before is not None:
                word = before.group(1)
                if "." in word or (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS:
                    continue  # "U.S. lawmakers", "J. Smith", "Mr. Guterres"
        yield pos, m.end(1)
        pos = m.end()
    yield pos, end


# -- actors -----------------------------------------------------------------------------------------------


class ActorMatcher:
    """Finds the actors a passage names, by their names and aliases.

    Whole words, case-, accent- and typography-insensitive (``textfold``),
    except that a short all-capitals spelling (``UN``, ``U.S.``, at most four
    letters) must be written in capitals: ``us`` is not the United States.
    """

    def __init__(self, actors: Iterable[object]) -> None:
        self._ids: dict[str, list[str]] = {}
        self._acronym_ids: dict[str, list[str]] = {}
        for actor in actors:
            for spelling in (actor.name, *actor.aliases):  # type: ignore[attr-defined]
                spelling = " ".join(spelling.split())
                if not spelling:
                    continue
                letters = [c for c in spelling if c.isalpha()]
                if len(letters) <= 4 and all(c.isupper() for c in letters) and letters:
                    table, key = self._acronym_ids, spelling
                else:
                    table, key = self._ids, fold(spelling)
                ids = table.setdefault(key, [])
                if actor.id not in ids:  # type: ignore[attr-defined]
                    ids.append(actor.id)  # type: ignore[attr-defined]
        self._folded = self._compile(self._ids)
        self._acronyms = self._compile(self._acronym_ids)

    @staticmethod
    def _compile(table: dict[str, list[str]]) -> re.Pattern[str] | None:
        if not table:
            return None
        spellings = sorted(table, key=lambda s: (-len(s), s))
        body = "|".join(r"\s+".join(re.escape(part) for part in s.split(" ")) for s in spellings)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)")

    def find(self, passage: str) -> list[str]:
        """The ids of the actors named in ``passage``, in order of first mention."""
        hits: list[tuple[int, int, list[str]]] = []
        if self._folded is not None:
            for m in self._folded.finditer(fold(passage)):
                hits.append((m.start(), m.end(), self._ids[" ".join(m.group().split())]))
        if self._acronyms is not None:
            for m in self._acronyms.finditer(passage):
                hits.append((m.start(), m.end(), self._acronym_ids[" ".join(m.group().split())]))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        found: list[str] = []
        covered = -1
        for start, end, ids in hits:
            if start < covered:
                continue  # inside a longer name ("UN" in "UN Human Rights Council")
            covered = end
            for actor_id in ids:
                if actor_id not in found:
                    found.append(actor_id)
        return found


# -- candidates --------------------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A proposed event from one document: its passages, date and actors."""

    doc: str
    spans: list[tuple[int, int]]
    date: str
    date_note: str
    confidence: float
    reasons: list[str]
    actors: list[str] = field(default_factory=list)
    lead: bool = False

    @property
    def start(self) -> int:
        return self.spans[0][0]


LEAD_SENTENCES = 2


def document_candidates(doc: str, text: str, pub: Publication, *, barriers: Sequence[tuple[int, int]] = (),
                        actors: ActorMatcher | None = None) -> list[Candidate]:
    """The candidate events of one document, in document order (before merging)."""
    units = [u for u in text_units(text, barriers) if not u.skip]
    out: list[Candidate] = []
    lead: list[Unit] = []
    body_seen = 0
    for unit in units:
        mentions = find_dates(unit.text, pub)
        if not unit.heading and body_seen < LEAD_SENTENCES:
            body_seen += 1
            if not mentions:
                lead.append(unit)
        if not mentions:
            continue
        named = actors.find(unit.text) if actors is not None else []
        by_date: dict[str, list[DateMention]] = {}
        for mention in mentions:
            by_date.setdefault(mention.date, []).append(mention)
        for found in by_date.values():
            best = max(found, key=lambda d: d.confidence)
            confidence = best.confidence
            reasons = [best.reason]
            if len(by_date) > 1:
                confidence -= 0.1
                reasons.append(f"one of {len(by_date)} dates in the sentence")
            if actors is not None and not named:
                confidence -= 0.1
                reasons.append("no known actor named")
            out.append(Candidate(doc, [(unit.start, unit.end)], best.date, best.rule, _clamp(confidence), reasons,
                                 named))
    if lead:
        named = []
        if actors is not None:
            for unit in lead:
                named += [a for a in actors.find(unit.text) if a not in named]
        out.append(Candidate(
            doc, [(u.start, u.end) for u in lead], pub.approximate(),
            f"The text gives no date: the lead of a document published {pub.describe()} usually reports the news "
            "of that time, so it is dated approximately to the publication.",
            0.3, ["no date in the text: the document's lead, dated to its publication"], named, lead=True,
        ))
    out.sort(key=lambda c: c.start)
    return out


def _clamp(value: float) -> float:
    return round(min(0.95, max(0.05, value)), 2)


def _precise(edtf: str) -> bool:
    parsed = parse_edtf(edtf)
    return not parsed.interval and not parsed.is_uncertain and parsed.precision == Precision.DAY


def merge(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Group candidates from different documents about the same date and actors.

    Two candidates are linked when their dates are the same EDTF date, they
    come from different documents, and they share an actor (two actors when
    the date is coarser than a plain day: a month or a year holds many
    events).  Groups are the connected sets of links; without actors nothing
    is merged.
    """
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    precise = {c.date: _precise(c.date) for c in candidates}
    for i, a in enumerate(candidates):
        for j in range(i + 1, len(candidates)):
            b = candidates[j]
            if a.doc == b.doc or a.date != b.date:
                continue
            shared = len(set(a.actors) & set(b.actors))
            if shared >= (1 if precise[a.date] else 2):
                parent[root(j)] = root(i)
    groups: dict[int, list[Candidate]] = {}
    for i, c in enumerate(candidates):
        groups.setdefault(root(i), []).append(c)
    return list(groups.values())


# -- the draft corpus --------------------------------------------------------------------------------------


@dataclass
class Source:
    """A document to extract from: its text and publication date.

    ``name`` suggests its file name and id in the draft; ``file`` and ``data``
    are the file it was read from and its bytes, when it comes from one.
    """

    name: str
    text: str
    published: Publication
    file: Path | None = None
    data: bytes | None = None


@dataclass
class DraftDocument:
    id: str
    name: str
    source: Source
    record: dict  # the corpus.json record, without "path"


@dataclass
class Draft:
    """A draft corpus: documents, the actors the events name, candidate events."""

    title: str
    description: str
    documents: list[DraftDocument]
    actors: list[dict]
    events: list[dict]

    def corpus(self, paths: dict[str, str]) -> dict:
        """The ``corpus.json`` object, given each document's path in the draft folder."""
        data: dict = {"format": "timeline-corpus/1", "title": self.title, "description": self.description}
        data["documents"] = [{"id": d.id, "path": paths[d.id], **d.record} for d in self.documents]
        if self.actors:
            data["actors"] = self.actors
        data["events"] = self.events
        return data


_ID_CHARS = re.compile(r"[^A-Za-z0-9_.:-]+")


def _slug(text: str, limit: int = 40) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text))
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def _title(passage: str) -> str:
    text = " ".join("".join(" " if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in passage).split())
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[: TITLE_CHARS - 1]
    if " " in cut[TITLE_CHARS // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


def _same_text(reference, data: bytes) -> object | None:
    """The document of ``reference`` whose file holds exactly ``data``, if any."""
    for doc in reference.documents.values():
        try:
            if doc.file.stat().st_size == len(data) and doc.file.read_bytes() == data:
                return doc
        except OSError:
            continue
    return None


def extract(sources: Sequence[Source], reference=None) -> Draft:
    """Candidate events from ``sources``, as a draft corpus.

    ``reference`` (a loaded :class:`~tui.model.corpus.Corpus`) supplies the
    actors to recognise, and, for a source with exactly the text of one of
    its documents, that document's excluded passages, title, outlet and URL.
    """
    matcher = ActorMatcher(reference.actors.values()) if reference is not None else None
    taken_ids: set[str] = set()
    documents: list[DraftDocument] = []
    candidates: list[Candidate] = []
    order: dict[str, int] = {}
    for source in sources:
        data = source.data if source.data is not None else source.text.encode("utf-8")
        known = _same_text(reference, data) if reference is not None else None
        record: dict = {}
        barriers: list[tuple[int, int]] = []
        if known is not None:
            doc_id = unique(known.id, taken_ids)
            for key in ("title", "outlet"):
                if getattr(known, key):
                    record[key] = getattr(known, key)
            record["published"] = source.published.text
            if known.url:
                record["url"] = known.url
            record["note"] = (f"Draft copy of document '{known.id}' of the corpus “{reference.title}”: "
                              "title, outlet, URL and excluded passages from there; publication date as given to extract.")
            selectors = [_selector_record(s) for s in known.selectors]
            if selectors:
                record["exclude"] = selectors
            barriers = [(ex.start, ex.end) for ex in known.exclusions]
        else:
            doc_id = unique(_ID_CHARS.sub("-", Path(source.name).stem).strip("-._:")[:100] or "doc", taken_ids)
            record["published"] = source.published.text
            record["note"] = "Draft document of extract; publication date as given to extract."
        order[doc_id] = len(documents)
        documents.append(DraftDocument(doc_id, Path(source.name).name, source, record))
        candidates += document_candidates(doc_id, source.text, source.published, barriers=barriers, actors=matcher)
    texts = {d.id: d.source.text for d in documents}
    groups = merge(candidates)
    groups.sort(key=lambda g: (parse_edtf(g[0].date).sort_key, order[g[0].doc], g[0].start))
    events = []
    used_actors: list[str] = []
    event_ids: set[str] = set()
    for n, group in enumerate(groups, 1):
        group.sort(key=lambda c: (order[c.doc], c.start))
        best = max(group, key=lambda c: c.confidence)
        docs = list(dict.fromkeys(c.doc for c in group))
        confidence = best.confidence
        reasons = list(best.reasons)
        if len(docs) > 1:
            confidence = _clamp(confidence + 0.05 * (len(docs) - 1))
            reasons.append(f"reported by {len(docs)} documents")
        actors = list(dict.fromkeys(a for c in group for a in c.actors))
        used_actors += [a for a in actors if a not in used_actors]
        quotes = []
        for c in group:
            text = texts[c.doc]
            for start, end in c.spans:
                quotes.append({"doc": c.doc, **selector_fields(text, start, end)})
        title = _title(texts[best.doc][best.spans[0][0] : best.spans[0][1]])
        notes = list(dict.fromkeys(c.date_note for c in group))
        event: dict = {
            "id": unique(f"draft-{n:03d}" + (f"-{_slug(title)}" if _slug(title) else ""), event_ids),
            "date": best.date,
            "title": title,
        }
        if actors:
            event["actors"] = actors
        event["quotes"] = quotes
        event["date_note"] = " ".join(notes)
        event["draft"] = True
        event["confidence"] = confidence
        event["note"] = f"Proposed by extract; confidence {confidence:.2f}: {'; '.join(reasons)}."
        events.append(event)
    reference_actors = actor_records(reference, used_actors) if reference is not None else []
    n = len(documents)
    description = (
        f"Candidate events proposed by timeline-explorer extract from {n} {plural(n, 'document')}"
        + (f", with the actors of “{reference.title}”" if reference is not None else "")
        + ". Every event is a draft: check its date, quotes and actors, then remove \"draft\"."
    )
    return Draft(f"Draft: candidate events from {n} {plural(n, 'document')}", description, documents,
                 reference_actors, events)


def _selector_record(selector) -> dict:
    """A document's excluded passage as the corpus file writes it."""
    return msgspec.to_builtins(schema.Exclusion(selector.exact, getattr(selector, "prefix", ""),
                                                getattr(selector, "suffix", ""), reason=getattr(selector, "reason", "")))


# -- files ---------------------------------------------------------------------------------------------------


class DraftError(Exception):
    """Documents that cannot be read, or a draft that cannot be written; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]) if problems else "cannot write the draft")
        self.problems = problems


def read_source(path: Path, published: Publication) -> Source:
    """A document file as a :class:`Source`; raises :class:`DraftError` with a located problem."""
    shown = str(path)
    try:
        data = read_document(path)
    except FileNotFoundError:
        raise DraftError([Problem(shown, "", "no such file", "check the path of the document")]) from None
    except IsADirectoryError:
        raise DraftError([Problem(shown, "", "is a folder, not a document", "give the text files themselves")]) from None
    except (NotARegularFile, TooLarge) as exc:
        raise DraftError([Problem(shown, "", f"cannot be read: {exc.strerror}", exc.hint)]) from None
    except OSError as exc:
        raise DraftError([Problem(shown, "", f"cannot be read: {exc.strerror or exc}", "check its permissions")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DraftError([Problem(
            shown, f"column {column}", f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
            f"convert it to UTF-8, for example: iconv -f windows-1252 -t utf-8 {path.name} > {path.stem}.utf8.txt",
            line=line,
        )]) from None
    return Source(path.name, text, published, path, data)


_SAFE_NAME = re.compile(r"[\\\x00-\x1f\x7f]")


def _file_name(name: str, taken: set[str]) -> str:
    name = _SAFE_NAME.sub("_", name).lstrip("~") or "document.txt"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate = name
    n = 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{n}.{ext}" if dot else f"{stem}-{n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def write_draft(draft: Draft, target: Path, *, force: bool = False, protected: Iterable[Path] = ()) -> dict[str, str]:
    """Write ``draft`` as the corpus file ``target``, its documents in the same folder.

    A document already inside that folder is cited where it is; any other is
    copied in, byte for byte (an identical file already there is reused).  No
    existing file is replaced without ``force``, and ``protected`` files (the
    documents read, a reference corpus) never are.  Every file is written
    atomically; on failure, the files this call created are removed.
    Returns each document's path in the draft.  Raises :class:`DraftError`.
    """
    folder = target.parent
    guarded = {Path(p): "one of the files read (a document or the --corpus)" for p in protected}
    problems: list[Problem] = []
    try:
        folder_real = folder.resolve()
        target_real = target.resolve()
    except OSError as exc:
        raise DraftError([Problem(str(target), "", f"cannot be written: {exc.strerror or exc}", "choose another path")]) from None
    if target.is_dir() and not target.is_symlink():
        raise DraftError([Problem(str(target), "", "is a folder", "give the draft's corpus file, e.g. drafts/corpus.json")])
    try:
        check_output(target, force=force, protected=guarded)
    except OutputRefused as exc:
        if not exc.replaceable:
            raise DraftError([Problem(str(target), "", exc.message, "write the draft to a new file")]) from None
        problems.append(Problem(str(target), "", exc.message, exc.hint))
    paths: dict[str, str] = {}
    taken = {target.name.lower()}
    copies: list[tuple[Path, bytes]] = []
    for doc in draft.documents:
        file = doc.source.file
        if file is not None:
            real = file.resolve()
            if real.is_relative_to(folder_real) and real != target_real:
                rel = real.relative_to(folder_real).as_posix()
                paths[doc.id] = rel
                taken.add(rel.lower())
    for doc in draft.documents:
        if doc.id in paths:
            continue
        data = doc.source.data if doc.source.data is not None else doc.source.text.encode("utf-8")
        name = _file_name(doc.name or f"{doc.id}.txt", taken)
        dest = folder / name
        paths[doc.id] = name
        if dest.exists() or dest.is_symlink():
            try:
                same = dest.is_file() and dest.read_bytes() == data
            except OSError:
                same = False
            if same:
                continue  # already there, byte for byte
            try:
                check_output(dest, force=force, protected=guarded)
            except OutputRefused as exc:
                if exc.replaceable:
                    problems.append(Problem(str(dest), "", "already exists with other content; not replaced",
                                            "add --force to replace it, or write the draft to another folder"))
                else:
                    problems.append(Problem(str(dest), "", f"is in the way of the copy of a document and {exc.message}",
                                            "write the draft to another folder"))
                continue
        copies.append((dest, data))
    if problems:
        raise DraftError(problems)
    corpus = json.dumps(draft.corpus(paths), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    created: list[Path] = []
    made_folder = None
    try:
        if not folder.exists():
            made_folder = folder
            while not made_folder.parent.exists():
                made_folder = made_folder.parent
            folder.mkdir(parents=True)
        for dest, data in copies:
            existed = dest.exists()
            atomic_write_bytes(dest, data)
            if not existed:
                created.append(dest)
        atomic_write_bytes(target, corpus)
    except OSError as exc:
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        if made_folder is not None:
            with contextlib.suppress(OSError):
                for sub in sorted(made_folder.rglob("*"), reverse=True):
                    sub.rmdir()
                made_folder.rmdir()
        where = exc.filename or target
        raise DraftError([Problem(str(where), "", f"cannot be written: {exc.strerror or exc}; nothing was written",
                                  "check the folder exists and is writable")]) from None
    return paths


def default_target(output: str) -> Path:
    """The corpus file for ``-o``: a folder (existing, or written with a trailing '/') gets corpus.json."""
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        return path / "corpus.json"
    return path
