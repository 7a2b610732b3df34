"""The base of the views drawn line by line (Textual's Line API on a ScrollView)."""

from __future__ import annotations

from rich.style import Style
from textual.scroll_view import ScrollView


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
