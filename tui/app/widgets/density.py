"""The time-density strip above the timeline: how many events fall in each period.

Two lines: bars (one block character per cell, eight heights, the tallest
bar the busiest period), then the span's ends, the unit and the period of
the selected event with its count.  The period of the selected event is
drawn in the accent colour.  The numbers come from ``model.density``.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from ...model.density import Density
from ...model.wording import plural
from .lines import text_strip

_BARS = "▁▂▃▄▅▆▇█"


class DensityStrip(Widget):
    COMPONENT_CLASSES = {"density--bar", "density--current", "density--empty", "density--axis", "density--label"}

    DEFAULT_CSS = """
    DensityStrip { height: 2; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.density: Density | None = None
        self.current: int | None = None  # index of the selected event's period
        self.coarse = 0  # of the current period's events, those whose dates reach beyond it
        self.zoomed = False

    def show(self, density: Density | None, current: int | None, *, zoomed: bool, coarse: int = 0) -> None:
        self.density, self.current, self.zoomed, self.coarse = density, current, zoomed, coarse
        self.refresh()

    def cells(self, width: int) -> list[tuple[int, int]]:
        """The cells ``[start, end)`` of each period, spread over ``width``."""
        n = len(self.density.periods) if self.density else 0
        if not n:
            return []
        out = []
        for i in range(n):
            out.append((i * width // n, (i + 1) * width // n))
        return out

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        density = self.density
        if density is None or not density.periods:
            if y == 0:
                text = Text(" no dated events to chart", style=self.get_component_rich_style("density--empty"))
                return text_strip(text, width, base, self.app.console)
            return Strip.blank(width, base)
        if y == 0:
            return text_strip(self._bars(width), width, base, self.app.console)
        return text_strip(self._axis(width), width, base, self.app.console)

    def _bars(self, width: int) -> Text:
        density = self.density
        peak = density.peak or 1
        bar = self.get_component_rich_style("density--bar")
        current = self.get_component_rich_style("density--current")
        empty = self.get_component_rich_style("density--empty")
        text = Text()
        for i, (start, end) in enumerate(self.cells(width)):
            count = density.periods[i].count
            if count == 0:
                glyph, style = "·", empty
            else:
                glyph = _BARS[min(7, max(0, round(count / peak * 7)))]
                style = bar
            if i == self.current:
                style = current
            text.append(glyph * max(0, end - start), style)
        return text

    def _axis(self, width: int) -> Text:
        """The first period, what the selected event's period holds, the last period."""
        density = self.density
        axis = self.get_component_rich_style("density--axis")
        label = self.get_component_rich_style("density--label")
        periods = density.periods
        left, right = periods[0].label, periods[-1].label
        parts = []
        if self.current is not None:
            p = periods[self.current]
            part = f"{p.label}: {p.count:,} {plural(p.count, 'event')}"
            if self.coarse:
                part += f" ({self.coarse:,} spanning longer)"
            parts.append(part)
        if density.before:
            parts.append(f"{density.before:,} began earlier")
        if density.open_start:
            parts.append(f"{density.open_start:,} without a start not shown")
        if self.zoomed:
            parts.append("zoomed: Z out")
        parts.append(f"by {density.unit}")
        middle = Text(" · ".join(parts), style=label, no_wrap=True, overflow="ellipsis")
        room = width - cell_len(left) - cell_len(right) - 4
        text = Text()
        text.append(left, axis)
        if room >= 8:
            middle.truncate(room, overflow="ellipsis")
            text.append("  ")
            text.append_text(middle)
            text.append(" " * (room - cell_len(middle.plain) + 2))
            text.append(right, axis)
        return text


