"""The base of the views drawn line by line (Textual's Line API on a ScrollView)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LineView(ScrollView):
    """A ScrollView that draws with ``render_line`` and gets its base style once per pass.

    A widget's ``rich_style`` walks its ancestors; asked for by every line of a
    repaint, it was a good part of the repaint's cost.
    """

    _pass_style: Style | None = None

    def render_lines(self, crop):
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    @property
    def base_style(self) -> Style:
        """The widget's base style (worked out once per repaint while one is under way)."""
        return self._pass_style or self.rich_style


def text_strip(text: Text, width: int, style: Style, console, overflow: str = "ellipsis") -> Strip:
    """``text`` as one line of exactly ``width`` cells in ``style``: cut (``overflow``: "ellipsis" or
    "crop") or padded. ``text`` is changed (made a single line and cut)."""
    text.end = ""
    text.no_wrap = True
    text.overflow = overflow  # type: ignore[assignment]
    text.truncate(width, overflow=overflow, pad=True)  # type: ignore[arg-type]
    segments = list(text.render(console))
    if not segments:
        return Strip.blank(width, style)
    return Strip(segments).adjust_cell_length(width, style).apply_style(style)


def fit_segments(parts: list[tuple[str, Style]], width: int, console, pad_style: Style | None = None) -> list[Segment]:
    """``parts`` (text, style) as segments of exactly ``width`` cells, as ``Text.truncate`` with an
    ellipsis and padding makes them: cut with an ellipsis in the style of the part it ends in, or
    padded with spaces in ``pad_style``."""
    length = cell_len("".join(text for text, _ in parts))
    if length > width:
        text = Text.assemble(*parts, style=pad_style or "")
        text.truncate(width, overflow="ellipsis")
        return list(text.render(console))
    segments = [Segment(text, style) for text, style in parts if text]
    if length < width:
        segments.append(Segment(" " * (width - length), pad_style))
    return segments
