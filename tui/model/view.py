"""What a timeline view shows, computed without any UI: rows and counts.

``TimelineRows`` lays a selection of events out as the lines of a timeline —
a heading for each year, one for each month, then the event rows — without
walking the selection: headings come from the corpus's runs of positions
sharing a (year, month), found in the selection by bisection.  Building the
rows of a million selected events costs a few hundred bisections; any row is
then found in O(log) time, which is what a virtualised view needs.
"""

from __future__ import annotations

import bisect
from typing import Literal

import msgspec

from typing import TYPE_CHECKING

from .corpus import Corpus, Selection
from .dates import MONTH_ABBREVIATIONS, MONTH_NAMES, EDTFDate, format_year

if TYPE_CHECKING:
    from .store import EventSet

__all__ = ["ActorCounter", "Row", "TimelineRows", "periods_by_year", "short_date"]

_OPEN_START = -(2**63)

RowKind = Literal["year", "month", "event"]


class Row(msgspec.Struct, frozen=True):
    kind: RowKind
    label: str = ""  # headings
    position: int = -1  # events: the event's timeline position
    year: int | None = None  # headings: the year (and month) they stand for
    month: int | None = None


class _Segment(msgspec.Struct, frozen=True):
    row: int  # first row of the segment
    headings: tuple[Row, ...]  # 0, 1 or 2 heading rows before its events
    first: int  # index into the selection of its first event
    count: int  # number of its events


def _year_label(year: int) -> str:
    return "Open start" if year == _OPEN_START else format_year(year)


class TimelineRows:
    """The rows of a timeline over an :class:`~tui.model.store.EventSet` (events in timeline order).

    Built from the set's headings (how many events fall under each year and
    month): the layout costs one step per heading, whatever the number of
    events, and a row's event is asked of the set only when it is drawn.  On
    a SQL store that event may not be fetched yet: the row is then an event
    row whose ``position`` is -1 (drawn as a placeholder until it comes).
    """

    def __init__(self, events: EventSet) -> None:
        self.events = events
        segments: list[_Segment] = []
        row = 0
        first = 0
        last_year: int | None = None
        for (year, month), count in events.headings():
            headings: list[Row] = []
            if year != last_year:
                headings.append(Row("year", _year_label(year), year=year))
                last_year = year
            if month:
                headings.append(Row("month", f"{MONTH_NAMES[month - 1]} {format_year(year)}", year=year, month=month))
            segments.append(_Segment(row, tuple(headings), first, count))
            row += len(headings) + count
            first += count
        self._segments = segments
        self._segment_rows = [s.row for s in segments]
        self._segment_firsts = [s.first for s in segments]
        self._length = row
        self._count = first

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, row: int) -> Row:
        if not 0 <= row < self._length:
            raise IndexError(row)
        seg = self._segments[bisect.bisect_right(self._segment_rows, row) - 1]
        offset = row - seg.row
        if offset < len(seg.headings):
            return seg.headings[offset]
        position = self.events.position(seg.first + offset - len(seg.headings))
        return Row("event", position=-1 if position is None else position)

    @property
    def event_count(self) -> int:
        return self._count

    def is_event(self, row: int) -> bool:
        """Is ``row`` an event's row (fetched or not)?"""
        if not 0 <= row < self._length:
            return False
        seg = self._segments[bisect.bisect_right(self._segment_rows, row) - 1]
        return row - seg.row >= len(seg.headings)

    def _row_of_index(self, index: int) -> int:
        """The row of the ``index``-th selected event."""
        seg = self._segments[bisect.bisect_right(self._segment_firsts, index) - 1]
        return seg.row + len(seg.headings) + (index - seg.first)

    def _index_of_row(self, row: int) -> tuple[int, bool]:
        """The selection index at ``row`` (or of the first event after a heading), and whether it is an event."""
        seg = self._segments[bisect.bisect_right(self._segment_rows, row) - 1]
        offset = row - seg.row - len(seg.headings)
        if offset < 0:
            return seg.first, False
        return seg.first + offset, True

    def row_of_position(self, position: int) -> int | None:
        """The row showing the event at timeline ``position``, if it is selected."""
        if position not in self.events:
            return None
        return self._row_of_index(self.events.index_of(position))

    def nearest_event_row(self, position: int) -> int | None:
        """The row of the selected event closest after (or at) ``position``, else the last."""
        if not self._count:
            return None
        i = min(self.events.index_of(position), self._count - 1)
        return self._row_of_index(i)

    def step(self, row: int, delta: int) -> int | None:
        """The event row ``delta`` events after (or before) ``row``."""
        n = self._count
        if not n:
            return None
        row = max(0, min(self._length - 1, row))
        index, is_event = self._index_of_row(row)
        if not is_event and delta > 0:
            delta -= 1  # a heading's first event is one step after it
        return self._row_of_index(max(0, min(n - 1, index + delta)))

    def first_event_row(self) -> int | None:
        return self._row_of_index(0) if self._count else None

    def last_event_row(self) -> int | None:
        return self._row_of_index(self._count - 1) if self._count else None

    def event_index(self, row: int) -> int:
        """0-based index among the selected events of the event at (or after) ``row``."""
        return self._index_of_row(row)[0]

    def index_range(self, first_row: int, last_row: int) -> tuple[int, int]:
        """The indexes ``[start, stop)`` of the selected events shown from ``first_row`` to ``last_row``."""
        if not self._count:
            return 0, 0
        start = self._index_of_row(max(0, min(self._length - 1, first_row)))[0]
        end, is_event = self._index_of_row(max(0, min(self._length - 1, last_row)))
        return start, min(self._count, end + (1 if is_event else 0))


class ActorCounter:
    """Per-actor event counts under a base selection, computed on demand and kept.

    The sidebar asks only for the actors it draws, so a corpus with many
    thousands of actors never counts them all.
    """

    def __init__(self, corpus: Corpus, base: Selection) -> None:
        self.corpus = corpus
        self.base = base
        self._counts: dict[str, int] = {}
        self._base_set: set[int] | None = None

    def __call__(self, actor_id: str) -> int:
        count = self._counts.get(actor_id)
        if count is None:
            base = self.base
            if isinstance(base, range) or len(self.corpus.actor_positions(actor_id)) < len(base) // 8:
                count = self.corpus.count_in(actor_id, base)
            else:
                if self._base_set is None:
                    self._base_set = set(base)
                count = len(self._base_set.intersection(self.corpus.actor_positions(actor_id)))
            self._counts[actor_id] = count
        return count


def periods_by_year(corpus: Corpus) -> dict[int, str]:
    """The named periods (eras) of a corpus, by the year they start in: '⟦Title, 1957–1975⟧ …'."""
    out: dict[int, list[str]] = {}
    for period in corpus.periods:
        year, _ = period.date.year_month()
        if year is None:
            continue
        out.setdefault(year, []).append(f"⟦{period.title}, {period.date.human()}⟧")
    return {year: " ".join(titles) for year, titles in out.items()}


def row_date(date: EDTFDate) -> str:
    """A timeline row's date as shown: ``short_date`` with its marks, 'c.' approximate, '?' uncertain."""
    prefix = "c." if date.approximate else ""
    suffix = "?" if (date.uncertain or date.unknown_end or date.unknown_start) else ""
    return prefix + short_date(date) + suffix


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
            return f"{MONTH_ABBREVIATIONS[p.month - 1]} {year}"
        return f"{p.day} {MONTH_ABBREVIATIONS[p.month - 1]} {year}"

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
