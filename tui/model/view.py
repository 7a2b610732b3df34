"""What a timeline view shows, computed without any UI: rows and counts.

``TimelineRows`` lays a selection of events out as the lines of a timeline:
a heading for each year, a heading for each month, and the event rows, so
that a virtualised view can draw any line on demand.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .corpus import Corpus, Event
from .dates import EDTFDate, Precision, format_year

__all__ = ["Row", "TimelineRows", "heading_key", "short_date", "MONTHS"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_SHORT_MONTHS = tuple(m[:3] for m in MONTHS)

RowKind = Literal["year", "month", "event"]


@dataclass(frozen=True, slots=True)
class Row:
    kind: RowKind
    label: str = ""  # headings
    position: int = -1  # events: the event's timeline position


def heading_key(date: EDTFDate) -> tuple[int | None, int | None]:
    """The (year, month) headings an event is filed under; month None for coarser dates."""
    if date.open_start:
        return None, None
    year, month = date.year_month()
    if date.precision < Precision.MONTH:
        month = None
    return year, month


class TimelineRows:
    """The rows of a timeline over ``positions`` (timeline positions, ascending)."""

    def __init__(self, corpus: Corpus, positions: Sequence[int]) -> None:
        self.corpus = corpus
        self.positions = positions
        rows: list[Row] = []
        event_rows: list[int] = []
        last_year: object = object()
        last_month: object = object()
        events = corpus.events
        for p in positions:
            year, month = heading_key(events[p].date)
            if year != last_year:
                rows.append(Row("year", "Open start" if year is None else format_year(year)))
                last_year, last_month = year, None
            if month is not None and month != last_month:
                rows.append(Row("month", f"{MONTHS[month - 1]} {format_year(year)}"))
                last_month = month
            event_rows.append(len(rows))
            rows.append(Row("event", position=p))
        self._rows = rows
        self._event_rows = event_rows  # row index of the i-th selected event

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index: int) -> Row:
        return self._rows[index]

    @property
    def event_count(self) -> int:
        return len(self._event_rows)

    def event(self, row: int) -> Event | None:
        r = self._rows[row]
        return self.corpus.events[r.position] if r.kind == "event" else None

    def row_of_position(self, position: int) -> int | None:
        """The row showing the event at timeline ``position``, if selected."""
        i = bisect.bisect_left(self.positions, position)
        if i < len(self.positions) and self.positions[i] == position:
            return self._event_rows[i]
        return None

    def nearest_event_row(self, position: int) -> int | None:
        """The row of the selected event closest in time to ``position``."""
        if not self._event_rows:
            return None
        i = bisect.bisect_left(self.positions, position)
        i = min(i, len(self._event_rows) - 1)
        return self._event_rows[i]

    def step(self, row: int, delta: int) -> int | None:
        """The event row ``delta`` events after (or before) ``row``."""
        if not self._event_rows:
            return None
        i = bisect.bisect_left(self._event_rows, row)
        if i < len(self._event_rows) and self._event_rows[i] == row:
            target = i + delta
        else:
            target = i + delta - (1 if delta > 0 else 0)
        target = max(0, min(len(self._event_rows) - 1, target))
        return self._event_rows[target]

    def first_event_row(self) -> int | None:
        return self._event_rows[0] if self._event_rows else None

    def last_event_row(self) -> int | None:
        return self._event_rows[-1] if self._event_rows else None

    def event_index(self, row: int) -> int:
        """0-based index among the selected events of the event at ``row``."""
        return bisect.bisect_left(self._event_rows, row)


def short_date(date: EDTFDate) -> str:
    """A compact label for a timeline row: '18 Jul 2019', 'Jul 2019', '2019', 'Apr 2017 →'.

    Qualifiers are not included: the view shows them as separate marks.
    """
    def point(p) -> str:
        if p is None:
            return "?"
        year = format_year(p.year)
        if p.month is None:
            return year
        if p.day is None:
            return f"{_SHORT_MONTHS[p.month - 1]} {year}"
        return f"{p.day} {_SHORT_MONTHS[p.month - 1]} {year}"

    if date.interval:
        left = "…" if date.open_start else point(date.start)
        if date.open_end:
            return f"{left} →"
        if date.unknown_end:
            return f"{left} – ?"
        return f"{left} – {point(date.end)}"
    if date.start is not None:
        return point(date.start)
    return date.human()
