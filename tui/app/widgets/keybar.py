"""The key bar at the bottom: the main keys of whatever has the focus, on one line.

It shows what Textual's ``Footer`` shows (the bindings marked ``show``, the
command palette's key on the right) but draws them as one line of segments
(Textual's Line API) instead of mounting a widget per key and mounting them all again whenever
the focus moves. That rebuilding cost a fifth of the time to the first
screen, and the first screen came up with an empty footer.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from ..text import safe_line


class KeyBar(Widget, can_focus=False):
    """One line of ``key description`` pairs; clicking one presses its key."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "keybar--key",
        "keybar--description",
        "keybar--disabled",
        "keybar--separator",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hits: list[tuple[int, int, str, bool]] = []  # (first cell, end cell, key, enabled)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def _entries(self) -> tuple[list[tuple[str, str, str, bool]], tuple[str, str, str, bool] | None]:
        """(key, key as shown, description, enabled) of the keys to show, and of the palette's key."""
        app = self.app
        active = self.screen.active_bindings
        entries, actions = [], set()
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue  # one entry per action, as Textual's footer does
            actions.add(binding.action)
            entries.append((binding.key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = (binding.key, app.get_key_display(binding), binding.description, enabled)
        return entries, palette

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        return Strip(self._line(width)).adjust_cell_length(width, base).apply_style(base)

    def _line(self, width: int) -> list[Segment]:
        """The keys that fit in ``width`` cells, the palette's key on the right; notes where each key is."""
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        disabled = self.get_component_rich_style("keybar--disabled")
        entries, palette = self._entries()
        right: list[Segment] = []
        if palette is not None:
            _key, shown, description, enabled = palette
            right = [Segment("▏", self.get_component_rich_style("keybar--separator")),
                     *self._parts(shown, description, key_style, description_style, disabled, enabled), Segment(" ")]
        room = width - Segment.get_line_length(right)
        line: list[Segment] = []
        used = 0
        hits: list[tuple[int, int, str, bool]] = []
        for key, shown, description, enabled in entries:
            part = self._parts(shown, description, key_style, description_style, disabled, enabled)
            cells = Segment.get_line_length(part)
            if used + cells > room:
                break  # keys that do not fit are left out whole, not cut (the help screen lists every key)
            hits.append((used, used + cells, key, enabled))
            line.extend(part)
            used += cells
        if palette is not None and room >= 0:
            line.append(Segment(" " * (room - used)))
            hits.append((room, width, palette[0], palette[3]))
            line.extend(right)
        self._hits = hits
        return line

    @staticmethod
    def _parts(shown: str, description: str, key_style: Style, description_style: Style, disabled: Style,
               enabled: bool) -> list[Segment]:
        if not enabled:
            key_style, description_style = key_style + disabled, description_style + disabled
        parts = [Segment(f" {safe_line(shown)} ", key_style)]
        if description:
            parts.append(Segment(f"{safe_line(description)} ", description_style))
        return parts

    def text(self) -> str:
        """The bar as it reads."""
        return "".join(segment.text for segment in self._line(self.size.width))

    def on_click(self, event: events.Click) -> None:
        for start, end, key, enabled in self._hits:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key.split(",")[0].strip())
                else:
                    self.app.bell()
                return

