"""How many events fall in each period of a span: the time-density strip.

The unit is the finest of day (within one month), month, year, decade,
century, millennium, then powers of ten years, that gives no more periods
than there is room for; the
span is the date filter when there is one, else the span of the selected
events.  Each period is counted by two bisections over the selection (events
are in timeline order, whose first key is the first instant of their date),
so a strip over a million events costs a few hundred bisections.

An event counts in the period where its date starts.  Events whose start is
open (``../2019``) have no place on the strip and are counted apart, as are
those that began before the span (a date filter keeps the events that
overlap it, so a zoomed strip can show events that started earlier).
"""

from __future__ import annotations

import bisect
import math
from datetime import date as _date
from datetime import timedelta as _timedelta
from collections.abc import Sequence

import msgspec

from .corpus import Corpus, Selection
from .dates import DAY_SECONDS, MONTH_ABBREVIATIONS, EDTFDate, date_from_parts, format_year, instant, parse_edtf

__all__ = ["Density", "Period", "coarse_in", "density", "period_containing", "period_dates"]



class Period(msgspec.Struct, frozen=True):
    """One period of the strip: ``[lower, upper)`` in instants, its EDTF date and labels."""

    lower: int
    upper: int
    edtf: str  # '2019-07', '2019', '1990/1999', ...
    label: str  # 'Jul 2019', '2019', '1990s'
    count: int = 0


class Density(msgspec.Struct, frozen=True):
    unit: str  # 'month', 'year', 'decade', 'century', 'millennium', '10,000 years', ...
    periods: tuple[Period, ...]
    open_start: int  # selected events whose date has no start, not on the strip
    before: int = 0  # selected events that began before the span (a zoom keeps those overlapping it)

    @property
    def peak(self) -> int:
        return max((p.count for p in self.periods), default=0)

    def index_of(self, lower: float) -> int | None:
        """The period in which an event starting at ``lower`` counts."""
        starts = [p.lower for p in self.periods]
        i = bisect.bisect_right(starts, lower) - 1
        if 0 <= i < len(self.periods) and lower < self.periods[i].upper:
            return i
        return None


def _year_of(key: float) -> int:
    from .dates import _year_month_of_instant

    return _year_month_of_instant(int(key))[0]


def _month_of(key: float) -> tuple[int, int]:
    from .dates import _year_month_of_instant

    return _year_month_of_instant(int(key))


def _year_period(first: int, years: int) -> Period:
    last = first + years - 1
    lower, upper = instant(first), instant(last + 1)
    if years == 1:
        return Period(lower, upper, date_from_parts(first), format_year(first))
    edtf = f"{date_from_parts(first)}/{date_from_parts(last)}"
    if years == 10 and first > 0:
        label = f"{first}s"
    else:
        label = f"{format_year(first)}–{format_year(last)}"
    return Period(lower, upper, edtf, label)


def _unit_name(years: int) -> str:
    return {1: "year", 10: "decade", 100: "century", 1000: "millennium"}.get(years, f"{years:,} years")


def _day_periods(lo: float, hi: float, room: int) -> list[Period] | None:
    """Day periods over [lo, hi] if there is room for them (and the years are ordinary ones)."""
    first = int(lo) // DAY_SECONDS
    last = int(hi) // DAY_SECONDS
    if last - first + 1 > room:
        return None
    y0, _ = _month_of(lo)
    y1, _ = _month_of(hi)
    if not (1 <= y0 and y1 <= 9999):
        return None
    origin = _date(1, 1, 1)
    base = instant(1)
    periods = []
    for day in range(first, last + 1):
        d = origin + _timedelta(days=day - base // DAY_SECONDS)
        lower = day * DAY_SECONDS
        periods.append(Period(lower, lower + DAY_SECONDS, date_from_parts(d.year, d.month, d.day),
                              f"{d.day} {MONTH_ABBREVIATIONS[d.month - 1]} {format_year(d.year)}"))
    return periods


def _periods_for(lo: float, hi: float, room: int) -> tuple[str, list[Period]]:
    """The periods covering instants [lo, hi], as fine as ``room`` allows."""
    y0, m0 = _month_of(lo)
    y1, m1 = _month_of(hi)
    if (y0, m0) == (y1, m1):  # within one month: days, if they fit
        days = _day_periods(lo, hi, room)
        if days is not None:
            return "day", days
    months = (y1 - y0) * 12 + (m1 - m0) + 1
    if months <= room:
        periods = []
        y, m = y0, m0
        for _ in range(months):
            lower = instant(y, m)
            ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
            periods.append(Period(lower, instant(ny, nm), date_from_parts(y, m), f"{MONTH_ABBREVIATIONS[m - 1]} {format_year(y)}"))
            y, m = ny, nm
        return "month", periods
    years = 1
    while True:
        first = math.floor(y0 / years) * years
        last = math.floor(y1 / years) * years
        count = (last - first) // years + 1
        if count <= room:
            return _unit_name(years), [_year_period(first + k * years, years) for k in range(count)]
        years *= 10


def density(corpus: Corpus, selection: Selection | Sequence[int], room: int,
            span: tuple[EDTFDate | None, EDTFDate | None] = (None, None)) -> Density:
    """Counts of the selected events per period over ``span`` (or the selection's own span)."""
    room = max(1, room)
    lowers = corpus._lowers
    n = len(selection)
    key = lowers.__getitem__

    def first_at_or_after(value: float) -> int:
        if isinstance(selection, range):
            lo = selection.start
            return max(0, bisect.bisect_left(lowers, value, lo, selection.stop) - lo)
        return bisect.bisect_left(selection, value, key=key)

    open_count = first_at_or_after(-1e300) if n else 0  # open starts (-inf) sort first
    if n == open_count:
        return Density("year", (), open_count)
    date_from, date_to = span
    lo = date_from.lower if date_from is not None and date_from.lower != -math.inf else key(selection[open_count])
    hi = date_to.upper if date_to is not None and date_to.upper != math.inf else key(selection[n - 1])
    if hi < lo:
        hi = lo
    unit, periods = _periods_for(lo, hi, room)
    counted = []
    for p in periods:
        count = first_at_or_after(p.upper) - first_at_or_after(p.lower)
        counted.append(Period(p.lower, p.upper, p.edtf, p.label, count))
    before = first_at_or_after(periods[0].lower) - open_count
    return Density(unit, tuple(counted), open_count, before)


def period_containing(density: Density, date: EDTFDate) -> Period | None:
    """The period of the strip in which an event with ``date`` counts."""
    if date.lower == -math.inf:
        return None
    i = density.index_of(date.lower)
    return density.periods[i] if i is not None else None


def period_dates(period: Period) -> tuple[EDTFDate, EDTFDate]:
    """The period as a date filter: from its first to its last unit."""
    if "/" in period.edtf:
        left, right = period.edtf.split("/")
        return parse_edtf(left), parse_edtf(right)
    date = parse_edtf(period.edtf)
    return date, date


def coarse_in(corpus: Corpus, selection: Selection | Sequence[int], period: Period, limit: int = 100_000) -> int | None:
    """Of the events counted in ``period``, how many have dates reaching beyond it (a year-precision
    date counted in its first month, say).  None when the period holds more than ``limit`` events."""
    lowers, uppers = corpus._lowers, corpus._uppers
    key = lowers.__getitem__
    if isinstance(selection, range):
        a = bisect.bisect_left(lowers, period.lower, selection.start, selection.stop)
        b = bisect.bisect_left(lowers, period.upper, a, selection.stop)
        positions: Sequence[int] = range(a, b)
    else:
        a = bisect.bisect_left(selection, period.lower, key=key)
        b = bisect.bisect_left(selection, period.upper, a, key=key)
        positions = selection[a:b]
    if len(positions) > limit:
        return None
    return sum(1 for p in positions if uppers[p] >= period.upper)
