"""The actor filter sidebar: actors grouped by kind, with counts, to toggle.

A filter input on top narrows the list as you type; the list itself is a
virtualised Line-API view (a corpus can have many thousands of actors).
Coalitions show their members under their name.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Input

from ...model.corpus import Actor, Corpus
from ...model.textfold import fold
from ..focus import bound_action, focus_now, pass_on
from ..text import safe_line
from .lines import LineView, fit_segments, text_strip

KIND_TITLES = {
    "state": "States",
    "person": "People",
    "organisation": "Organisations",
    "coalition": "Coalitions",
    "group": "Groups",
    "other": "Other",
}


class _Line(NamedTuple):
    kind: str  # "heading" | "actor" | "members"
    text: str = ""
    actor: str = ""


class _Block(NamedTuple):
    """One kind's part of the list: its heading, then its actors (and coalitions' members)."""

    row: int  # the heading's line
    title: str
    actors: list[Actor]
    offsets: list[int] | None  # each actor's line after the heading, when members add lines; None: one line each
    members: dict[int, list[str]]  # member lines under the actor at that index
    rows: int  # lines in all, heading included


class _Lines(Sequence):
    """The list's lines, each worked out when it is drawn.

    Only the lines of coalitions' members need work up front (wrapping their
    names); an actor's line is found by arithmetic, or by bisection in a kind
    with coalitions, so that listing 26,000 actors costs milliseconds.
    """

    def __init__(self, blocks: list[_Block]) -> None:
        self._blocks = blocks
        self._starts = [b.row for b in blocks]
        self._len = blocks[-1].row + blocks[-1].rows if blocks else 0

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[k] for k in range(*row.indices(self._len))]
        if row < 0:
            row += self._len
        if not 0 <= row < self._len:
            raise IndexError(row)
        block = self._blocks[bisect.bisect_right(self._starts, row) - 1]
        if row == block.row:
            return _Line("heading", block.title)
        below = row - block.row - 1
        if block.offsets is None:
            return _Line("actor", actor=block.actors[below].id)
        i = bisect.bisect_right(block.offsets, below) - 1
        if below == block.offsets[i]:
            return _Line("actor", actor=block.actors[i].id)
        return _Line("members", block.members[i][below - block.offsets[i] - 1], block.actors[i].id)


class ActorList(LineView, can_focus=True):
    """Actors to toggle as filters; posts ``Toggled`` with the actor id."""

    COMPONENT_CLASSES = {
        "actors--heading",
        "actors--cursor",
        "actors--selected",
        "actors--count",
        "actors--zero",
        "actors--members",
        "actors--empty",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next", show=False, id="actors.down"),
        Binding("k,up", "cursor_up", "Previous", show=False, id="actors.up"),
        Binding("g,home", "first", "First", show=False, id="actors.first"),
        Binding("G,end", "last", "Last", show=False, id="actors.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="actors.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="actors.page-up"),
        Binding("space,enter", "toggle", "Toggle actor", id="actors.toggle"),
        Binding("R", "edit_actor", "Edit actor", show=False, id="actors.edit"),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    class Toggled(Message):
        def __init__(self, actor_id: str) -> None:
            super().__init__()
            self.actor_id = actor_id

    def __init__(self, corpus: Corpus, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.corpus = corpus
        self.count: Callable[[str], int | None] = lambda actor_id: 0
        self.selected: frozenset[str] = frozenset()
        self.narrow = ""
        self._lines: Sequence[_Line] = ()
        self._actor_lines: list[int] = []
        self._layout_width = 0
        self._keys: dict[str, str] | None = None  # folded spellings, for narrowing (made on first use)
        self._order: dict[str, list[Actor]] | None = None  # actors of each kind in display order

    def _ordered(self) -> dict[str, list[Actor]]:
        """The actors of each kind sorted by name, case- and accent-insensitively (worked out once)."""
        if self._order is None:
            actors = list(self.corpus.actors.values())
            # Folding keeps lengths: fold every name in one pass, then split.
            folded = fold("\x00".join(a.name.replace("\x00", " ") for a in actors)).split("\x00")
            ranked = sorted(range(len(actors)), key=lambda i: (folded[i], actors[i].id))
            order: dict[str, list[Actor]] = {}
            for i in ranked:
                order.setdefault(actors[i].kind, []).append(actors[i])
            self._order = order
        return self._order

    def _narrow_keys(self) -> dict[str, str]:
        if self._keys is None:
            actors = list(self.corpus.actors.values())
            joined = fold("\x00".join(" ".join(a.spellings).replace("\x00", " ") for a in actors)).split("\x00")
            self._keys = {a.id: " ".join(key.split()) for a, key in zip(actors, joined, strict=True)}
        return self._keys

    def show(self, *, count: Callable[[str], int | None], selected: frozenset[str], narrow: str) -> None:
        """``count(actor_id)``: events the actor would show (asked only for the actors drawn)."""
        current = self.current_actor
        self.count = count
        self.selected = selected
        if narrow != self.narrow or not self._lines:
            self.narrow = narrow
            self._build()
            self._select(current)
        self.refresh()

    def refresh_counts(self) -> None:
        """The counts came (a store that asks an engine counts every actor at once): draw them."""
        self.refresh()

    def reset(self) -> None:
        """Forget the narrowing: the next ``show`` builds the whole list again."""
        self.narrow = ""
        self._lines = []

    def narrow_to(self, text: str) -> None:
        """Show only the actors whose name or an alias contains ``text`` (folded)."""
        self.show(count=self.count, selected=self.selected, narrow=text)

    def action_edit_actor(self) -> None:
        """The actor under the cursor: its name, aliases and members (written to corpus.json)."""
        from ..editing import open_actor_editor

        open_actor_editor(self.app, self.current_actor)

    @property
    def current_actor(self) -> str | None:
        if 0 <= self.cursor < len(self._lines) and self._lines[self.cursor].kind == "actor":
            return self._lines[self.cursor].actor
        return None

    @property
    def visible_actor_count(self) -> int:
        return len(self._actor_lines)

    def _build(self) -> None:
        width = max(10, self.scrollable_content_region.width or 28)
        self._layout_width = width
        wanted = " ".join(fold(self.narrow).split())
        ordered = self._ordered()
        if wanted:
            keys = self._narrow_keys()
            ordered = {kind: [a for a in actors if wanted in keys[a.id]] for kind, actors in ordered.items()}
        blocks: list[_Block] = []
        actor_lines: list[int] = []
        row = 0
        for kind, title in KIND_TITLES.items():
            actors = ordered.get(kind, [])
            if not actors:
                continue
            offsets: list[int] | None = None
            members: dict[int, list[str]] = {}
            if any(a.members for a in actors):
                offsets, below = [], 0
                for i, actor in enumerate(actors):
                    offsets.append(below)
                    below += 1
                    if actor.members:
                        names = [self.corpus.actors[m].name for m in actor.members if m in self.corpus.actors]
                        members[i] = _wrap_names(names, width - 6, max_lines=3)
                        below += len(members[i])
                actor_lines.extend(row + 1 + o for o in offsets)
                rows = 1 + below
            else:
                rows = 1 + len(actors)
                actor_lines.extend(range(row + 1, row + rows))
            blocks.append(_Block(row, f"{title} ({len(actors)})", actors, offsets, members, rows))
            row += rows
        self._lines = _Lines(blocks)
        self._actor_lines = actor_lines
        self.virtual_size = Size(0, len(self._lines))

    def _select(self, actor_id: str | None) -> None:
        for i in self._actor_lines:
            if self._lines[i].actor == actor_id:
                self._move(i)
                return
        self._move(self._actor_lines[0] if self._actor_lines else 0)

    def _move(self, line: int) -> None:
        self.cursor = line
        self.scroll_to_region(Region(0, line, 1, 1), animate=False, force=True)
        # Keep a kind's heading in view above its first actor.
        if line > 0 and self._lines[line - 1].kind == "heading":
            self.scroll_to_region(Region(0, line - 1, 1, 2), animate=False, force=True)
        self.refresh()

    def _step(self, delta: int) -> None:
        if not self._actor_lines:
            return
        i = bisect.bisect_left(self._actor_lines, self.cursor)
        i = max(0, min(len(self._actor_lines) - 1, i + delta))
        self._move(self._actor_lines[i])

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        if self._actor_lines:
            self._move(self._actor_lines[0])

    def action_last(self) -> None:
        if self._actor_lines:
            self._move(self._actor_lines[-1])

    def action_page_down(self) -> None:
        self._step(max(1, self.scrollable_content_region.height - 2))

    def action_page_up(self) -> None:
        self._step(-max(1, self.scrollable_content_region.height - 2))

    def action_toggle(self) -> None:
        actor = self.current_actor
        if actor is not None:
            self.post_message(self.Toggled(actor))

    def on_click(self, click: Click) -> None:
        line = int(self.scroll_offset.y + click.y)
        if 0 <= line < len(self._lines) and self._lines[line].kind == "actor":
            self._move(line)
            self.action_toggle()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._layout_width:
            current = self.current_actor
            self._build()
            self._select(current)

    def render_lines(self, crop):
        if not self._layout_width and self.scrollable_content_region.width:
            # The first frame is drawn before the widget hears of its size: list the actors now.
            self._build()
            self.set_reactive(ActorList.cursor, self._actor_lines[0] if self._actor_lines else 0)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        base = self.base_style
        if not self._lines:
            if y == 0:
                return text_strip(Text(" No actor matches", style=self.get_component_rich_style("actors--empty")), width, base, self.app.console)
            return Strip.blank(width, base)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        if line.kind == "heading":
            return text_strip(Text(" " + line.text, style=self.get_component_rich_style("actors--heading")), width, base, self.app.console)
        if line.kind == "members":
            return text_strip(Text("      " + safe_line(line.text), style=self.get_component_rich_style("actors--members")), width, base, self.app.console)
        actor = self.corpus.actors[line.actor]
        count = self.count(actor.id)  # None: the engine has not answered yet
        selected = actor.id in self.selected
        mark = "[x] " if selected else "[ ] "
        count_text = f" {count}" if count is not None else " …"
        name_w = max(1, width - 2 - len(mark) - len(count_text))
        style = self.get_component_rich_style("actors--selected") if selected else (
            self.get_component_rich_style("actors--zero") if count == 0 else None)
        console = self.app.console
        segments = [Segment(" "), Segment(mark, style), *fit_segments([(safe_line(actor.name), style)], name_w, console, style),
                    Segment(count_text, self.get_component_rich_style("actors--count"))]
        row_style = base
        if index == self.cursor:
            cursor = self.get_component_rich_style("actors--cursor")
            segments = list(Segment.apply_style(segments, post_style=cursor))
            row_style = base + cursor
        # The row as the line's text: padded, or cut with an ellipsis when the pane is narrower than it.
        segments = fit_segments([(segment.text, segment.style) for segment in segments], width, console)
        return Strip(segments, width).apply_style(row_style)



def _wrap_names(names: list[str], width: int, max_lines: int) -> list[str]:
    """Member names over at most ``max_lines`` lines, ending '+N more' if cut.

    A name wider than a line gets a line of its own (the view truncates it).
    """
    width = max(8, width)
    lines: list[str] = []
    current = ""
    used = 0  # cells in ``current``
    for i, name in enumerate(names):
        cells = cell_len(name)
        if not current or used + 2 + cells <= width:
            current += f", {name}" if current else name
            used += cells + (2 if used else 0)
            continue
        if len(lines) == max_lines - 1:
            lines.append(f"{current} +{len(names) - i} more")
            return lines
        lines.append(current + ",")
        current, used = name, cells
    if current:
        lines.append(current)
    return lines


class ActorFilterInput(Input):
    """The 'type to narrow' field above the actor list."""

    BINDINGS = [
        Binding("down,enter", "to_list", "To the list", show=False, id="actors.to-list"),
    ]

    def __init__(self, actor_list: ActorList, **kwargs) -> None:
        super().__init__(**kwargs)
        self.actor_list = actor_list  # the list it narrows, given by the pane that holds both

    def on_key(self, event: events.Key) -> None:
        # Here, in this field's own order: after the characters typed before (the list is
        # narrowed first), and the keys typed after go on to the list (see focus.py).
        if pass_on(self, event):
            return
        if bound_action(self, event.key) == "to_list":
            event.prevent_default()
            event.stop()
            self.action_to_list()

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False  # deterministic snapshots

    def action_to_list(self) -> None:
        actor_list = self.actor_list
        # Narrowed to what is typed now, not when the pane gets to its Changed messages:
        # a space right after must toggle an actor of the narrowed list.
        actor_list.narrow_to(self.value)
        focus_now(actor_list)


class ActorPane(Vertical):
    """Title (drawn on its top edge), narrowing field and list; forwards the list's messages."""

    def __init__(self, corpus: Corpus, *, count: Callable[[str], int | None], selected: frozenset[str],
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.corpus = corpus
        self._count = count
        self._selected = selected
        self.border_title = "Actors"

    def compose(self) -> ComposeResult:
        actor_list = ActorList(self.corpus, id="actor-list")
        actor_list.count, actor_list.selected = self._count, self._selected
        yield ActorFilterInput(actor_list, placeholder="type to narrow…", id="actor-filter")
        yield actor_list

    @on(Input.Changed, "#actor-filter")
    def _narrow(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one(ActorList).narrow_to(event.value)
