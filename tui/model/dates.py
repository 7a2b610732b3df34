"""EDTF dates: parsing, a total sort order, and human-readable display.

Dates in a corpus are EDTF strings (Library of Congress Extended Date/Time
Format).  The common forms (``2019``, ``2019-07``, ``2019-07-18``, a time of
day, a ``?``/``~``/``%`` qualifier, ``Y``-prefixed long years and intervals of
those) are parsed here by a fast path; everything else EDTF allows (seasons,
unspecified digits such as ``201X``, per-component qualifiers, sets) is handed
to the maintained ``edtf`` parser, imported only when such a date appears.
A whole column of dates (``parse_dates``, how a corpus's dates are parsed)
takes days, months, years, qualified or not, and intervals of them through
the standard library's ISO parser, in C, faster still.

Every date maps to integer *instant keys* (seconds on a proleptic Gregorian
calendar with astronomical year numbering, stored as plain Python ints so any
year works, including ``Y-13800000000``).  A date covers the closed span
``[lower, upper]`` of instant keys; open interval ends are ``-inf``/``+inf``.

The total order (see ``docs/corpus-format.md``) sorts by, in turn:

1. the first instant the date can denote (``lower``);
2. precision, coarsest first: a year sorts before the months and days that
   start on the same day, a month before its first day;
3. the last instant it can denote (``upper``): the shorter span first;
4. certainty: plain, then approximate ``~``, uncertain ``?``, both ``%``;
5. the EDTF text itself, so that the order never depends on input order.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
from collections.abc import Iterable
from datetime import date as _date
from enum import IntEnum
from functools import lru_cache

__all__ = [
    "MONTH_ABBREVIATIONS",
    "MONTH_NAMES",
    "DateError",
    "EDTFDate",
    "ForeignDigits",
    "MAX_YEAR",
    "YearOutOfRange",
    "Point",
    "Precision",
    "parse_edtf",
    "parse_dates",
    "date_from_parts",
    "iso_day",
]

DAY_SECONDS = 86_400
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)  # "Jan" … "Dec"
INF = float("inf")


class DateError(ValueError):
    """A string that is not a date this program understands, with a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


MAX_YEAR = 10**15  # far beyond the age of the universe: a larger "year" is a typo or an attack


class YearOutOfRange(DateError):
    """A year beyond ±``MAX_YEAR``: refused before its digits are converted (Python will not
    convert a string of more than 4,300 digits to an integer, nor write one out)."""


class ForeignDigits(DateError):
    """A date written with digits other than 0-9 (Arabic-Indic, full-width, ...)."""


def _shown(text: str) -> str:
    """``text`` quoted for a message, a long one cut short."""
    return repr(text) if len(text) <= 40 else repr(text[:30]) + f"… ({len(text):,} characters)"


def _year_too_large(text: str) -> YearOutOfRange:
    return YearOutOfRange(f"{_shown(text)}: year too large (years go up to ±10^15)",
                          "check the number: a year has at most 16 digits (Y-13800000000 is the Big Bang)")


def _check_year(year: int, text: str) -> int:
    if not -MAX_YEAR <= year <= MAX_YEAR:
        raise _year_too_large(text)
    return year


# Seventeen significant digits or more, or an exponent of 16 or more (Y1E16): beyond MAX_YEAR.
_TOO_MANY_DIGITS = re.compile(r"[1-9][0-9]{16}|Y-?[0-9]+E0*(?:[1-9][0-9]{2,}|1[6-9]|[2-9][0-9])")


def _not_ascii(text: str) -> DateError:
    """Why ``text`` (not all ASCII) is not a date: EDTF is written in ASCII only."""
    odd = next(c for c in text if not c.isascii())
    name = unicodedata.name(odd, "unnamed character")
    if all(c.isascii() or unicodedata.digit(c, None) is not None for c in text):
        ascii_text = "".join(c if c.isascii() else str(unicodedata.digit(c)) for c in text)
        return ForeignDigits(f"{_shown(text)} is written in digits other than 0-9: {odd!r} is U+{ord(odd):04X} {name}",
                             f"write the date in the digits 0-9: {ascii_text!r}")
    return DateError(f"{_shown(text)} has a character EDTF does not use: {odd!r} (U+{ord(odd):04X} {name})",
                     'write it in ASCII like "2019-07-18"; see docs/corpus-format.md')


def _check_offset(tz: str, source: str) -> str:
    """``tz`` (Z, +hh, +hhmm, +hh:mm) when it is an offset clocks use, at most ±14:00."""
    if tz and tz != "Z":
        digits = tz[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if minutes > 59 or hours * 60 + minutes > 14 * 60:
            raise DateError(f"{_shown(source)}: the time zone offset {tz} does not exist",
                            "offsets go from -12:00 to +14:00, e.g. +02:00; Z is UTC")
    return tz


class Precision(IntEnum):
    """How precisely a date is known; a lower value is coarser."""

    CENTURY = 0
    DECADE = 1
    YEAR = 2
    SEASON = 3
    MONTH = 4
    DAY = 5
    MINUTE = 6
    SECOND = 7


def is_leap(year: int) -> bool:
    """Proleptic Gregorian leap year, valid for any (astronomical) year."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    # calendar.monthrange goes through datetime.date and so fails outside
    # years 1..9999; the rule itself is one line.
    if month == 2 and is_leap(year):
        return 29
    return _MONTH_DAYS[month - 1]


def _days_before_year(year: int) -> int:
    # Days from 0000-01-01 to year-01-01 on the proleptic Gregorian calendar
    # (works for negative years too, thanks to floor division).
    y = year - 1
    return 365 * year + y // 4 - y // 100 + y // 400 + 1


_CUM_DAYS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def instant(year: int, month: int = 1, day: int = 1, second: int = 0) -> int:
    """Seconds since 0000-01-01T00:00:00 (negative before it)."""
    days = _days_before_year(year) + _CUM_DAYS[month - 1] + day - 1
    if month > 2 and is_leap(year):
        days += 1
    return days * DAY_SECONDS + second


class Point:
    """One end of a date: what is known of it, for display."""

    __slots__ = ("year", "month", "day", "second", "tz", "precision", "approximate", "uncertain", "lower", "upper")

    def __init__(self, year: int, month: int | None = None, day: int | None = None, second: int | None = None,
                 tz: str = "", precision: Precision = Precision.YEAR, approximate: bool = False,
                 uncertain: bool = False) -> None:
        self.year = year
        self.month = month
        self.day = day
        self.second = second  # seconds into the day, when a time is given
        self.tz = tz  # the time zone designator as written ("Z", "+02:00")
        self.precision = precision
        self.approximate = approximate
        self.uncertain = uncertain
        if second is not None:
            self.lower = self.upper = instant(year, month or 1, day or 1, second)
        else:
            self.lower = instant(year, month or 1, day or 1, 0)
            m = month or 12
            self.upper = instant(year, m, day or days_in_month(year, m), DAY_SECONDS - 1)

    @classmethod
    def _known(cls, year: int, month: int | None, day: int | None, lower: int, upper: int, precision: Precision,
               approximate: bool, uncertain: bool) -> Point:
        """A date-only point whose bounds are worked out already (by ``_plain_parts``)."""
        point = cls.__new__(cls)
        point.year, point.month, point.day, point.second, point.tz = year, month, day, None, ""
        point.precision, point.approximate, point.uncertain = precision, approximate, uncertain
        point.lower, point.upper = lower, upper
        return point

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.year, self.month, self.day, self.second, self.tz, self.precision,
                                             self.approximate, self.uncertain) == (
            other.year, other.month, other.day, other.second, other.tz, other.precision, other.approximate,
            other.uncertain)

    def __hash__(self) -> int:
        return hash((self.year, self.month, self.day, self.second))

    def human(self) -> str:
        """'18 July 2019', 'July 2019', '2019', with an era for BCE years."""
        year = format_year(self.year)
        if self.month is None:
            text = year
        elif self.day is None:
            text = f"{MONTH_NAMES[self.month - 1]} {year}"
        else:
            text = f"{self.day} {MONTH_NAMES[self.month - 1]} {year}"
        if self.second is not None:
            h, rem = divmod(self.second, 3600)
            m, s = divmod(rem, 60)
            clock = f"{h:02d}:{m:02d}" if s == 0 and self.precision < Precision.SECOND else f"{h:02d}:{m:02d}:{s:02d}"
            text = f"{text}, {clock}{(' ' + self.tz) if self.tz else ''}"
        return _qualify(text, self.approximate, self.uncertain)


def format_year(year: int) -> str:
    """A year for readers: '2019', '44 BCE', '13,800,000,001 BCE', '12,000'.

    EDTF numbers years astronomically (0000 is 1 BCE), so year -43 is 44 BCE.
    """
    if year <= 0:
        return f"{1 - year:,} BCE" if 1 - year >= 10_000 else f"{1 - year} BCE"
    return f"{year:,}" if year >= 10_000 else str(year)


def _qualify(text: str, approximate: bool, uncertain: bool) -> str:
    if approximate and uncertain:
        return f"c. {text}?"
    if approximate:
        return f"c. {text}"
    if uncertain:
        return f"{text}?"
    return text


_QUALIFIER_RANK = {"": 0, "~": 1, "?": 2, "%": 3}

# One point: [Y]year[-month[-day[Thh:mm[:ss][tz]]]][qualifier]
_POINT = re.compile(
    r"""
    (?P<y>Y-?\d{5,}|-?\d{4})
    (?:-(?P<m>\d{2})
      (?:-(?P<d>\d{2})
        (?:T(?P<hh>\d{2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?
           (?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?
      )?
    )?
    (?P<q>[?~%])?
    """,
    re.VERBOSE,
)
# A long year written without EDTF's 'Y' prefix, e.g. '-13800000000'.  Not
# EDTF, but unambiguous and common in data exported from other tools
# (TimelineJS writes years as bare numbers): accepted, shown as 'Y…'.
_BARE_LONG_YEAR = re.compile(r"-?\d{5,}")


class EDTFDate:
    """A parsed EDTF date (a single date, an interval or a set); immutable by convention.

    ``lower``/``upper`` are instant keys (ints, or ±inf for open ends);
    ``start``/``end`` describe the ends for display (``None`` when open or
    unknown, or for EDTF forms only the fallback parser understands).
    Dates are equal when their EDTF texts are.
    """

    __slots__ = ("text", "lower", "upper", "precision", "approximate", "uncertain", "interval", "_start", "end",
                 "open_start", "open_end", "unknown_start", "unknown_end", "sort_key")

    def __init__(self, text: str, lower: int | float, upper: int | float, precision: Precision,
                 approximate: bool = False, uncertain: bool = False, interval: bool = False,
                 start: Point | None = None, end: Point | None = None, open_start: bool = False,
                 open_end: bool = False, unknown_start: bool = False, unknown_end: bool = False) -> None:
        self.text = text
        self.lower = lower
        self.upper = upper
        self.precision = precision
        self.approximate = approximate
        self.uncertain = uncertain
        self.interval = interval
        self._start = start
        self.end = end
        self.open_start = open_start  # '..' : runs from the indefinite past
        self.open_end = open_end  # '..' : still ongoing
        self.unknown_start = unknown_start  # ''  : start not known
        self.unknown_end = unknown_end  # ''  : end not known
        q = 3 if (approximate and uncertain) else 2 if uncertain else 1 if approximate else 0
        self.sort_key = (lower, int(precision), upper, q, text)

    @property
    def start(self) -> Point | None:
        """The first (or only) end of the date, for display."""
        return self._start

    def __repr__(self) -> str:
        return f"EDTFDate({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EDTFDate) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __lt__(self, other: EDTFDate) -> bool:
        return self.sort_key < other.sort_key

    @property
    def is_uncertain(self) -> bool:
        """True when anything about the date is approximate or uncertain."""
        return self.approximate or self.uncertain or self.unknown_start or self.unknown_end

    def overlaps(self, lower: int | float, upper: int | float) -> bool:
        return self.lower <= upper and self.upper >= lower

    def human(self) -> str:
        """The date as a reader would write it: '18 July 2019', 'c. March 2019?'."""
        if not self.interval:
            if self.start is not None:
                return self.start.human()
            return _fallback_human(self)
        left = "…" if self.open_start else "?" if self.unknown_start else self.start.human() if self.start else "?"
        if self.open_end:
            right = "ongoing"
        elif self.unknown_end:
            right = "?"
        else:
            right = self.end.human() if self.end else "?"
        return f"{left} – {right}"

    def day_bounds(self) -> tuple[str | None, str | None]:
        """The earliest and latest day the date can denote, as ISO 8601 dates (``iso_day``):
        ``2019-07`` gives ``("2019-07-01", "2019-07-31")``; an open end gives ``None``.
        An unknown end (``2017/``) gives ``None`` too. Qualifiers (``~``, ``?``) do not widen the
        span: these are the bounds of the date as written."""
        return (None if self.unknown_start else iso_day(self.lower),
                None if self.unknown_end else iso_day(self.upper))

    def year_month(self) -> tuple[int | None, int | None]:
        """The year and month a timeline files this date under (its start)."""
        p = self.start or self.end
        if p is None:
            if self.lower in (INF, -INF):
                return None, None
            return _year_month_of_instant(int(self.lower))
        return p.year, p.month


class _PointDate(EDTFDate):
    """A year, month or day alone, maybe qualified (``2019``, ``2019-07~``, ``2019-07-18?``):
    the commonest dates, made with as few steps as can be, as a million of them may be:
    what is never set for them is the class's, and their start, for display, is made
    from the text on first use."""

    __slots__ = ()
    interval = open_start = open_end = unknown_start = unknown_end = False
    end = None

    @property
    def start(self) -> Point:
        if self._start is None:
            text = self.text[:-1] if self.approximate or self.uncertain else self.text
            n = len(text)
            self._start = Point._known(int(text[:4]), int(text[5:7]) if n > 4 else None, int(text[8:]) if n > 7 else None,
                                       self.lower, self.upper, self.precision, self.approximate, self.uncertain)
        return self._start

    def year_month(self) -> tuple[int | None, int | None]:
        text = self.text
        return int(text[:4]), int(text[5:7]) if len(text) > 5 and text[4] == "-" else None


class _PlainDate(_PointDate):
    """A year, month or day alone, unqualified."""

    __slots__ = ()
    approximate = uncertain = False


def _plain_date(text: str, lower: int, upper: int, precision: Precision) -> EDTFDate:
    date = _new_plain(_PlainDate)
    date.text = text
    date.lower = lower
    date.upper = upper
    date.precision = precision
    date._start = None
    date.sort_key = (lower, int(precision), upper, 0, text)
    return date


def _qualified_date(text: str, lower: int, upper: int, precision: Precision, qualifier: str) -> EDTFDate:
    date = _new_point(_PointDate)
    date.text = text
    date.lower = lower
    date.upper = upper
    date.precision = precision
    date.approximate = qualifier in ("~", "%")
    date.uncertain = qualifier in ("?", "%")
    date._start = None
    date.sort_key = (lower, int(precision), upper, _QUALIFIER_RANK[qualifier], text)
    return date


_new_plain = _PlainDate.__new__
_new_point = _PointDate.__new__


class _IntervalDate(EDTFDate):
    """An interval whose ends are each a year, month or day (maybe qualified), open
    (``..``) or unknown (empty): ``1954-10/1956-04``, ``1991-05/..``; its ends, for
    display, are made from the text on first use."""

    __slots__ = ("_end",)
    interval = True

    @property
    def start(self) -> Point | None:
        if self._start is None:
            self._start = _text_point(self.text.partition("/")[0])
        return self._start

    @property
    def end(self) -> Point | None:
        if self._end is None:
            self._end = _text_point(self.text.partition("/")[2])
        return self._end


def _iso_point(text: str) -> tuple[int, int, Precision, bool, bool] | None:
    """(lower, upper, precision, approximate, uncertain) of a day, month or year, maybe
    qualified (see ``_iso_span``), or None for anything else."""
    qualifier = text[-1:]
    if qualifier in ("?", "~", "%"):
        span = _iso_span(text[:-1])
        return None if span is None else (*span, qualifier in ("~", "%"), qualifier in ("?", "%"))
    span = _iso_span(text)
    return None if span is None else (*span, False, False)


def _text_point(text: str) -> Point | None:
    """The ``Point`` of an end of an ``_IntervalDate`` (None when open or unknown)."""
    found = None if text in ("", "..") else _iso_point(text)
    if found is None:
        return None
    core = text.rstrip("?~%")
    n = len(core)
    return Point._known(int(core[:4]), int(core[5:7]) if n > 4 else None, int(core[8:]) if n > 7 else None, *found)


def _interval_date(text: str) -> EDTFDate | None:
    """``text`` (one ``/``) as an ``_IntervalDate``, made as ``_fast_interval`` makes it,
    or None when an end is another form or the interval is wrong (``parse_edtf`` says why)."""
    left, _, right = text.partition("/")
    start = end = None
    if left not in ("", ".."):
        start = _iso_point(left)
        if start is None:
            return None
    if right not in ("", ".."):
        end = _iso_point(right)
        if end is None:
            return None
    if start is None:
        if end is None:
            return None
        lower = end[0] if left == "" else -INF
    else:
        lower = start[0]
    if end is None:
        upper = start[1] if right == "" else INF  # type: ignore[index]
    else:
        upper = end[1]
        if start is not None and start[0] > upper:
            return None
    approximate = bool((start and start[3]) or (end and end[3]))
    uncertain = bool((start and start[4]) or (end and end[4]))
    date = _new_interval(_IntervalDate)
    date.text = text
    date.lower = lower
    date.upper = upper
    date.precision = precision = (start or end)[2]  # type: ignore[index]
    date.approximate = approximate
    date.uncertain = uncertain
    date.open_start = left == ".."
    date.open_end = right == ".."
    date.unknown_start = left == ""
    date.unknown_end = right == ""
    date._start = date._end = None
    q = 3 if (approximate and uncertain) else 2 if uncertain else 1 if approximate else 0
    date.sort_key = (lower, int(precision), upper, q, text)
    return date


_new_interval = _IntervalDate.__new__


def _year_month_of_instant(key: int) -> tuple[int, int]:
    year, month, _ = _day_of_instant(key)
    return year, month


def _day_of_instant(key: int) -> tuple[int, int, int]:
    """(year, month, day) of an instant key, on the proleptic Gregorian calendar."""
    days = key // DAY_SECONDS
    # Estimate the year, then correct: works for any magnitude.
    year = days * 400 // 146_097
    while _days_before_year(year) > days:
        year -= 1
    while _days_before_year(year + 1) <= days:
        year += 1
    doy = days - _days_before_year(year)
    month = 1
    while month < 12:
        length = days_in_month(year, month)
        if doy < length:
            break
        doy -= length
        month += 1
    return year, month, doy + 1


def iso_day(key: int | float) -> str | None:
    """The day of an instant key as an ISO 8601 calendar date, for tools that cannot read EDTF:
    ``2019-07-18``; years before 1 and after 9999 in ISO's expanded form (``-0043-03-15``,
    ``+12000-01-01``; astronomical numbering, as in EDTF); ``None`` for an open end (±inf)."""
    if key in (INF, -INF):
        return None
    year, month, day = _day_of_instant(int(key))
    if 0 <= year <= 9999:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{'-' if year < 0 else '+'}{abs(year):04d}-{month:02d}-{day:02d}"


def _point(match: re.Match[str], source: str) -> Point | None:
    year = _check_year(int(match["y"].removeprefix("Y")), source)
    month = day = second = None
    precision = Precision.YEAR
    if match["m"] is not None:
        month = int(match["m"])
        if 21 <= month <= 41 and match["d"] is None:
            return None  # an EDTF season or quarter: the full parser's job
        if not 1 <= month <= 12:
            raise DateError(
                f"month {match['m']} does not exist in {source!r}",
                "months are 01-12 (EDTF seasons 21-41 need no day part)",
            )
        precision = Precision.MONTH
    if match["d"] is not None:
        day = int(match["d"])
        if not 1 <= day <= days_in_month(year, month):
            raise DateError(
                f"{source!r} is not a real day: {MONTH_NAMES[month - 1]} {year} has {days_in_month(year, month)} days",
                "check the day, or give only the year and month if the day is not known",
            )
        precision = Precision.DAY
    if match["hh"] is not None:
        hh, mi = int(match["hh"]), int(match["mi"])
        ss = int(match["ss"]) if match["ss"] is not None else 0
        if hh > 23 or mi > 59 or ss > 59:
            raise DateError(f"{source!r} has an impossible time of day", "use hh:mm:ss with hours 00-23")
        second = hh * 3600 + mi * 60 + ss
        precision = Precision.SECOND if match["ss"] is not None else Precision.MINUTE
    q = match["q"] or ""
    return Point(
        year, month, day, second, _check_offset(match["tz"] or "", source), precision,
        approximate=q in "~%" and q != "", uncertain=q in "?%" and q != "",
    )


def _fast_point(text: str, source: str) -> Point | None:
    # The commonest forms (a plain year, month or day, maybe qualified) without
    # the general pattern's cost.
    q = text[-1:]
    approximate, uncertain = q in ("~", "%"), q in ("?", "%")
    parts = _plain_parts(text[:-1] if approximate or uncertain else text)
    if parts is not None:
        return Point._known(*parts, approximate, uncertain)
    m = _POINT.fullmatch(text)
    if m is None:
        if _BARE_LONG_YEAR.fullmatch(text):
            return Point(_check_year(int(text), source), precision=Precision.YEAR)
        return None
    return _point(m, source)


_SEEN: dict[str, EDTFDate] = {}
_DAY_SECONDS_1 = DAY_SECONDS - 1
_LEAP_CUM = (0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335)
_MONTH_LEN = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_edtf(text: str) -> EDTFDate:
    """Parse an EDTF string; raise :class:`DateError` with a hint if it is not one.

    Plain years, months and days (``2019``, ``2019-07``, ``2019-07-18``) take
    a fast path without regular expressions; every date is parsed once and
    then looked up.
    """
    if type(text) is not str:  # defensive: callers may pass decoded JSON
        raise DateError(f"a date must be a string, not {type(text).__name__}", 'write it like "2019-07-18"')
    date = _SEEN.get(text)
    if date is not None:
        return date
    if not text.isascii():
        raise _not_ascii(text)
    date = _parse_plain(text)
    if date is None:
        date = _parse_cached(text)
    if len(_SEEN) > 500_000:
        _SEEN.clear()
    _SEEN[text] = date
    return date


def parse_dates(texts: Iterable[str]) -> dict[str, EDTFDate | None]:
    """Each of ``texts`` (distinct) parsed, None for one that is not a date: how a whole
    column of dates is parsed (``parse_edtf`` says why one is not).

    Days, months and years, maybe qualified, the commonest dates, are
    checked and counted by the standard library's ISO parser (in C) and
    made with the fewest steps: over a million distinct plain days a second
    on a slow machine (``benchmarks/run.py`` measures it), where
    ``parse_edtf``, one date at a time, makes some 400,000.  Anything else
    goes through ``parse_edtf``.
    """
    parsed: dict[str, EDTFDate | None] = {}
    from_iso = _date.fromisoformat
    new = _new_plain
    seconds, before_one, last = DAY_SECONDS, _BEFORE_ONE, DAY_SECONDS - 1
    day = Precision.DAY
    day_rank = int(day)
    for text in texts:
        if len(text) == 10 and text[7] == "-":
            try:  # YYYY-MM-DD: of the ISO forms the parser takes, the only one of this shape
                lower = from_iso(text).toordinal() * seconds + before_one
            except ValueError:  # year 0, or not a real day (parse_edtf says which)
                pass
            else:
                date = new(_PlainDate)
                date.text = text
                date.lower = lower
                date.upper = upper = lower + last
                date.precision = day
                date._start = None
                date.sort_key = (lower, day_rank, upper, 0, text)
                parsed[text] = date
                continue
        elif len(text) == 7 and text[4] == "-":
            try:
                first = from_iso(text + "-01")
            except ValueError:  # year 0, a season, or no such month
                pass
            else:
                lower = first.toordinal() * DAY_SECONDS + _BEFORE_ONE
                parsed[text] = _plain_date(text, lower, lower + days_in_month(first.year, first.month) * DAY_SECONDS - 1,
                                           Precision.MONTH)
                continue
        elif len(text) == 4 and text.isascii() and text.isdigit():
            year = int(text)
            parsed[text] = _plain_date(text, _days_before_year(year) * DAY_SECONDS,
                                       _days_before_year(year + 1) * DAY_SECONDS - 1, Precision.YEAR)
            continue
        elif text[-1:] in ("?", "~", "%"):
            if len(text) == 11 and text[7] == "-":  # a qualified day, the commonest of them
                try:
                    lower = from_iso(text[:10]).toordinal() * seconds + before_one
                except ValueError:
                    pass
                else:
                    parsed[text] = _qualified_date(text, lower, lower + last, day, text[10])
                    continue
            else:
                span = _iso_span(text[:-1])
                if span is not None:
                    parsed[text] = _qualified_date(text, *span, text[-1])
                    continue
        elif text.count("/") == 1:
            date = _interval_date(text)
            if date is not None:
                parsed[text] = date
                continue
        try:
            parsed[text] = parse_edtf(text)
        except DateError:
            parsed[text] = None
    return parsed


_BEFORE_ONE = 365 * DAY_SECONDS  # seconds from 0000-01-01 to 0001-01-01, whose ordinal is 1


def _iso_span(text: str) -> tuple[int, int, Precision] | None:
    """(lower, upper, precision) of a plain day, month or year of years 0001-9999 (by the
    standard library's ISO parser), or None for anything else."""
    n = len(text)
    try:
        if n == 10 and text[7] == "-":
            lower = _date.fromisoformat(text).toordinal() * DAY_SECONDS + _BEFORE_ONE
            return lower, lower + DAY_SECONDS - 1, Precision.DAY
        if n == 7 and text[4] == "-":
            first = _date.fromisoformat(text + "-01")
            lower = first.toordinal() * DAY_SECONDS + _BEFORE_ONE
            return lower, lower + days_in_month(first.year, first.month) * DAY_SECONDS - 1, Precision.MONTH
    except ValueError:  # year 0, a season, or no such month or day: parse_edtf says which
        return None
    if n == 4 and text.isascii() and text.isdigit():
        year = int(text)
        return _days_before_year(year) * DAY_SECONDS, _days_before_year(year + 1) * DAY_SECONDS - 1, Precision.YEAR
    return None


def _parse_plain(text: str) -> EDTFDate | None:
    """YYYY, YYYY-MM or YYYY-MM-DD (years 0000-9999), or None for anything else."""
    parts = _plain_parts(text)
    return None if parts is None else _plain_date(text, *parts[3:])


def _plain_parts(text: str) -> tuple[int, int | None, int | None, int, int, Precision] | None:
    """(year, month, day, lower, upper, precision) of a plain date (see ``_parse_plain``)."""
    n = len(text)
    if n not in (4, 7, 10) or not text[:4].isdigit():
        return None
    year = int(text[:4])
    y = year - 1
    year_days = 365 * year + y // 4 - y // 100 + y // 400 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if n == 4:
        lower = year_days * DAY_SECONDS
        upper = (year_days + (366 if leap else 365)) * DAY_SECONDS - 1
        return year, None, None, lower, upper, Precision.YEAR
    if text[4] != "-" or not text[5:7].isdigit():
        return None
    month = int(text[5:7])
    if not 1 <= month <= 12:
        return None  # seasons, or an impossible month: the full parser says which
    first = year_days + (_LEAP_CUM if leap else _CUM_DAYS)[month - 1]
    length = 29 if (month == 2 and leap) else _MONTH_LEN[month - 1]
    if n == 7:
        return year, month, None, first * DAY_SECONDS, (first + length) * DAY_SECONDS - 1, Precision.MONTH
    if text[7] != "-" or not text[8:].isdigit():
        return None
    day = int(text[8:])
    if not 1 <= day <= length:
        return None  # the full parser explains
    lower = (first + day - 1) * DAY_SECONDS
    return year, month, day, lower, lower + _DAY_SECONDS_1, Precision.DAY


@lru_cache(maxsize=65_536)
def _parse_cached(text: str) -> EDTFDate:
    if text != text.strip() or not text:
        raise DateError(f"{_shown(text)} is not an EDTF date (empty or surrounded by spaces)",
                        'write it like "2019-07-18"')
    if _TOO_MANY_DIGITS.search(text):
        raise _year_too_large(text)
    if "/" in text and text.count("/") == 1 and not text.startswith(("[", "{")):
        left, right = text.split("/")
        result = _fast_interval(text, left, right)
        if result is not None:
            return result
    else:
        p = _fast_point(text, text)
        if p is not None:
            return EDTFDate(
                text, p.lower, p.upper, p.precision, p.approximate, p.uncertain, start=p,
            )
    return _fallback(text)


def _fast_interval(text: str, left: str, right: str) -> EDTFDate | None:
    start = end = None
    if left not in ("", ".."):
        start = _fast_point(left, text)
        if start is None:
            return None
    if right not in ("", ".."):
        end = _fast_point(right, text)
        if end is None:
            return None
    if start is None and end is None:
        raise DateError(f"{text!r} has neither a start nor an end", "give at least one end, e.g. \"2017-04/..\"")
    lower = start.lower if start else -INF
    upper = end.upper if end else INF
    if start is None and left == "":  # unknown start: we only know the end
        lower = end.lower
    if end is None and right == "":  # unknown end: we only know the start
        upper = start.upper
    if start is not None and end is not None and start.lower > end.upper:
        raise DateError(f"interval {text!r} ends before it starts", "swap the two ends")
    return EDTFDate(
        text,
        lower,
        upper,
        (start or end).precision,
        approximate=bool((start and start.approximate) or (end and end.approximate)),
        uncertain=bool((start and start.uncertain) or (end and end.uncertain)),
        interval=True,
        start=start,
        end=end,
        open_start=left == "..",
        open_end=right == "..",
        unknown_start=left == "",
        unknown_end=right == "",
    )


def _struct_key(value, upper: bool) -> int | float:
    if isinstance(value, float):  # the edtf library's ±inf for open ends
        return value
    year, month, day = value[0], value[1], value[2]
    return instant(year, month, day, DAY_SECONDS - 1 if upper else 0)


_FALLBACK_PRECISION = {
    "century": Precision.CENTURY,
    "decade": Precision.DECADE,
    "year": Precision.YEAR,
    "month": Precision.MONTH,
    "day": Precision.DAY,
}


def _fallback(text: str) -> EDTFDate:
    # Lazily imported: the edtf package pulls in pyparsing, which costs start-up
    # time, and the fast path covers what corpora usually hold.
    try:
        from edtf import parse_edtf as edtf_parse
        from edtf.parser.edtf_exceptions import EDTFParseException
    except ImportError as exc:  # pragma: no cover - a broken install
        raise DateError(f"cannot parse {text!r}: the edtf package is missing ({exc})") from None
    not_edtf = DateError(
        f"{text!r} is not an EDTF date",
        'use YYYY, YYYY-MM or YYYY-MM-DD, optionally with ~ (approximate) or ? (uncertain), '
        'or an interval "START/END"; see docs/corpus-format.md',
    )
    try:
        # The library prints diagnostics of its own on some inputs: keep them
        # out of our output (and out of the terminal).
        with contextlib.redirect_stdout(io.StringIO()):
            parsed = edtf_parse(text)
            lower = _struct_key(parsed.lower_strict(), upper=False)
            upper = _struct_key(parsed.upper_strict(), upper=True)
            try:
                library_precision = parsed.precision
            except Exception:  # e.g. unspecified digits inside a year: "9X14"
                library_precision = None
    except EDTFParseException:
        raise not_edtf from None
    except Exception:  # the library fails on some odd inputs of its own grammar
        raise not_edtf from None
    for key in (lower, upper):
        if key not in (INF, -INF) and not _LOWEST <= key <= _HIGHEST:
            raise _year_too_large(text)
    kind = type(parsed).__name__
    if kind == "Level1Interval" and text.endswith("/"):
        upper = lower  # unknown end: the library invents ten years; we do not
    if lower > upper:
        raise DateError(f"{text!r} ends before it starts", "swap the two ends")
    precision = _FALLBACK_PRECISION.get(library_precision or "", None) if isinstance(library_precision, str) else None
    if precision is None:
        precision = Precision.SEASON if "Season" in kind else Precision.YEAR
    return EDTFDate(
        text,
        lower,
        upper,
        precision,
        approximate=bool(getattr(parsed, "is_approximate", False) or "~" in text or "%" in text),
        uncertain=bool(getattr(parsed, "is_uncertain", False) or "?" in text or "%" in text),
        interval="/" in text,
        open_start=text.startswith("../"),
        open_end=text.endswith("/.."),
        unknown_start=text.startswith("/"),
        unknown_end=text.endswith("/"),
    )


_LOWEST = instant(-MAX_YEAR)
_HIGHEST = instant(MAX_YEAR + 1) - 1
_SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}


def _fallback_human(d: EDTFDate) -> str:
    text = d.text
    m = re.fullmatch(r"(-?\d{4})-(2[1-4])([?~%]?)", text)
    if m:
        label = f"{_SEASONS[int(m[2])]} {format_year(int(m[1]))}"
        return _qualify(label, m[3] in "~%" and m[3] != "", m[3] in "?%" and m[3] != "")
    m = re.fullmatch(r"(\d{2,3})X{1,2}", text)
    if m:
        return f"{m[1]}{'0' * (4 - len(m[1]))}s"
    m = re.fullmatch(r"\[(-?\d{4})\.\.\]", text)
    if m:
        return f"{format_year(int(m[1]))} or later"
    m = re.fullmatch(r"\[\.\.(-?\d{4})\]", text)
    if m:
        return f"{format_year(int(m[1]))} or earlier"
    return text


def _clear_caches() -> None:
    _SEEN.clear()
    _parse_cached.cache_clear()


parse_edtf.cache_clear = _clear_caches  # type: ignore[attr-defined]


def date_from_parts(
    year: int,
    month: int | None = None,
    day: int | None = None,
    second: int | None = None,
    *,
    approximate: bool = False,
    uncertain: bool = False,
) -> str:
    """Write an EDTF string for the given parts (the inverse of parsing); a year beyond
    ±``MAX_YEAR`` is refused (:class:`YearOutOfRange`) before it is written out."""
    if not -MAX_YEAR <= year <= MAX_YEAR:
        raise YearOutOfRange("year too large (years go up to ±10^15)", "check the number: a year has at most 16 digits")
    if -9999 <= year <= 9999:
        text = f"{'-' if year < 0 else ''}{abs(year):04d}"
    else:
        text = f"Y{year}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
            if second is not None:
                h, rem = divmod(second, 3600)
                mi, s = divmod(rem, 60)
                text += f"T{h:02d}:{mi:02d}:{s:02d}"
    if approximate and uncertain:
        text += "%"
    elif approximate:
        text += "~"
    elif uncertain:
        text += "?"
    parse_edtf(text)  # never hand out a string we cannot read back
    return text
