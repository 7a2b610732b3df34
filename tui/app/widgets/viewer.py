"""The source-quote viewer: for one event, everything it rests on.

Its date and what the date rests on, its summary, then every quote in its
surrounding paragraph with the quote highlighted, naming the document; then
the claims about the event, each source's version side by side.

The view is drawn with the Line API: the blocks are rendered to lines once
per change (and per width), and scrolling only serves lines from that cache;
moving through events never mounts or removes widgets.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.strip import Strip

from ...model.corpus import Claim, Corpus, Event, Quote
from ...model.search import SearchPattern
from ...model.wording import plural
from ..text import safe_line, styled
from .lines import LineView


class _Bar:
    """A renderable drawn with a coloured bar down its left edge."""

    def __init__(self, inner: RenderableType, style: Style) -> None:
        self.inner = inner
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width - 2)
        lines = console.render_lines(self.inner, options.update(width=width, height=None), pad=True)
        bar = Segment("▌ ", self.style)
        for line in lines:
            yield bar
            yield from line
            yield Segment.line()


class QuoteViewer(LineView, can_focus=True):
    """Shows one event; the app tells it which event, quote and search."""

    # (marked, the user's note) of an event id: the app's notes store answers.
    annotation = staticmethod(lambda event_id: (False, ""))

    COMPONENT_CLASSES = {
        "viewer--quote",
        "viewer--bar",
        "viewer--current-bar",
        "viewer--match",
        "viewer--dim",
        "viewer--label",
        "viewer--value",
        "viewer--problem",
    }

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="viewer.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="viewer.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="viewer.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="viewer.bottom"),
    ]

    def __init__(self, corpus: Corpus, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.corpus = corpus
        self.event: Event | None = None
        self.quote_index = 0
        self.pattern: SearchPattern | None = None
        self._blocks: list[RenderableType] = []
        self._quote_block: dict[int, int] = {}  # quote index -> block index
        self._lines: list[Strip] = []
        self._block_lines: list[tuple[int, int]] = []  # (first line, line count) of each block rendered so far
        self._layout_generation = 0
        self._width = 0

    def on_mount(self) -> None:
        self._refresh_body()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._lay_out()

    def show(self, event: Event | None, quote_index: int, pattern: SearchPattern | None, *, force: bool = False) -> None:
        """Show ``event`` with its ``quote_index``-th quote current."""
        new_event = event is not self.event
        quote_moved = quote_index != self.quote_index
        same = not new_event and not quote_moved and _same_pattern(pattern, self.pattern) and not force
        self.event, self.quote_index, self.pattern = event, quote_index, pattern
        if same or not self.is_mounted:
            return
        self._refresh_body(top=0 if new_event or force else None)
        if new_event or force:
            self.scroll_home(animate=False)
        elif quote_moved:
            self._scroll_to_current()

    # -- building -------------------------------------------------------------

    def _refresh_body(self, top: int | None = None) -> None:
        self._blocks = self._build()
        self._lay_out(top)

    def _lay_out(self, top: int | None = None) -> None:
        """Render the blocks, at the current width, into cached lines: those on screen (from line
        ``top``, else where it is scrolled to) now, the rest right after the frame that shows them
        or as soon as anything needs them."""
        width = self.scrollable_content_region.width
        self._width = width
        self._lines = []
        self._block_lines = []
        self._layout_generation += 1
        if width <= 0:
            return
        top = int(self.scroll_offset.y) if top is None else top
        self._render_blocks(top + self.scrollable_content_region.height)
        if len(self._block_lines) < len(self._blocks):
            generation = self._layout_generation
            self.call_after_refresh(self._finish_layout, generation)

    def _render_blocks(self, until_line: int | None = None) -> None:
        """Render the next blocks until there are ``until_line`` lines (None: all of them)."""
        console = self.app.console
        options = console.options.update(width=self._width, height=None)
        lines, spans, blocks = self._lines, self._block_lines, self._blocks
        while len(spans) < len(blocks) and (until_line is None or len(lines) < until_line):
            if spans:
                lines.append(Strip.blank(self._width))
            rendered = console.render_lines(blocks[len(spans)], options, pad=False)
            spans.append((len(lines), len(rendered)))
            lines.extend(Strip(line) for line in rendered)
        self.virtual_size = Size(0, len(lines))
        self.refresh()

    def _finish_layout(self, generation: int | None = None) -> None:
        """Render the blocks not rendered yet (of the layout ``generation``, when given)."""
        if generation not in (None, self._layout_generation) or len(self._block_lines) >= len(self._blocks):
            return
        if self._width > 0:
            self._render_blocks()

    def validate_scroll_y(self, value: float) -> float:
        if value + self.scrollable_content_region.height > len(self._lines):
            self._finish_layout()  # scrolling past the lines rendered: the rest must be known first
        return super().validate_scroll_y(value)

    def scroll_end(self, **kwargs) -> None:
        self._finish_layout()  # the end must be where it will stay
        super().scroll_end(**kwargs)

    def render_lines(self, crop):
        if self.scrollable_content_region.width != self._width:
            # The first frame is drawn before the widget hears of its size: lay out now, not a frame later.
            self._lay_out()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        base = self.base_style
        if index >= len(self._lines):
            self._finish_layout()
        if 0 <= index < len(self._lines):
            return self._lines[index].adjust_cell_length(width, base).apply_style(base)
        return Strip.blank(width, base)

    def _scroll_to_current(self) -> None:
        block = self._quote_block.get(self.quote_index)
        self._finish_layout()
        if block is None or block >= len(self._block_lines):
            return
        top, height = self._block_lines[block]
        viewport = self.scrollable_content_region.height
        if top < self.scroll_y or top + height > self.scroll_y + viewport:
            self.scroll_to(y=max(0, top - 1), animate=False)

    def _build(self) -> list[RenderableType]:
        event = self.event
        self._quote_block = {}
        if event is None:
            return [Text("No event selected.", style="italic")]
        label = self.get_component_rich_style("viewer--label")
        dim = self.get_component_rich_style("viewer--dim")
        blocks: list[RenderableType] = []
        head = Text()
        head.append(safe_line(event.date.human()), "bold")
        if event.type:
            head.append(f"  ·  {safe_line(event.type)}", dim)
        if event.draft:
            head.append("  ·  draft", "italic")
            if event.confidence is not None:
                head.append(f" (confidence {event.confidence:.0%})", "italic")
        head.append(f"  ·  {safe_line(event.id)}", dim)
        head.append("\n")
        head.append_text(styled(event.title, self._match_spans(event.title), base="bold", multiline=False))
        blocks.append(head)
        if event.actors:
            actors = Text()
            actors.append("Actors  ", label)
            for i, actor_id in enumerate(event.actors):
                actor = self.corpus.actors[actor_id]
                if i:
                    actors.append(" · ")
                actors.append(safe_line(actor.name))
                if actor.members:
                    members = ", ".join(self.corpus.actors[m].name for m in actor.members)
                    actors.append(f" ({safe_line(members)})", dim)
            blocks.append(actors)
        if event.summary:
            blocks.append(styled(event.summary, self._match_spans(event.summary)))
        if event.date_note:
            note = Text()
            note.append("Date  ", label)
            note.append_text(styled(event.date_note, base="italic"))
            blocks.append(note)
        if event.note:
            curator = Text()
            curator.append("Curator's note  ", label)
            curator.append_text(styled(event.note, base="italic"))
            blocks.append(curator)
        marked, mine = self.annotation(event.id)
        if marked or mine:
            yours = Text()
            yours.append("Your note  " if mine else "Marked", self.get_component_rich_style("viewer--value"))
            if mine:
                yours.append_text(styled(mine))
            if marked and mine:
                yours.append("   (marked)", dim)
            blocks.append(yours)
        quotes = event.quotes
        docs = len({q.document.id for q in quotes})
        sources = Text()
        sources.append(
            f"Sources: {docs} {plural(docs, 'document')}, {len(quotes)} {plural(len(quotes), 'quote')}",
            label,
        )
        if len(quotes) > 1:
            sources.append("   [ ] previous/next quote · y copy · o open", dim)
        elif quotes:
            sources.append("   y copy · o open", dim)
        else:
            sources.append("   none: nothing traces this event to a source", self.get_component_rich_style("viewer--problem"))
        blocks.append(sources)
        bar = self.get_component_rich_style("viewer--bar")
        current = self.get_component_rich_style("viewer--current-bar")
        for i, quote in enumerate(quotes):
            self._quote_block[i] = len(blocks)
            blocks.append(_Bar(self._quote_text(i, quote), current if i == self.quote_index else bar))
        for claim in self.corpus.claims_of(event):
            blocks.append(self._claim_table(claim))
        return blocks

    def _match_spans(self, text: str) -> list[tuple[int, int, object]]:
        if not self.pattern:
            return []
        style = self.get_component_rich_style("viewer--match")
        return [(s, e, style) for s, e in self.pattern.spans(text)]

    def _quote_text(self, index: int, quote: Quote) -> Text:
        doc = quote.document
        dim = self.get_component_rich_style("viewer--dim")
        text = Text()
        text.append(f"{index + 1}/{len(self.event.quotes)}  ", self.get_component_rich_style("viewer--label"))
        text.append(safe_line(doc.title or doc.path), "bold")
        meta = [m for m in (doc.outlet, doc.published.human() if doc.published else "") if m]
        if meta:
            text.append("  ·  " + safe_line(" · ".join(meta)), dim)
        text.append("\n")
        ctx = quote.context(max_chars=900)
        if ctx is None:
            text.append("Not found in the document: ", self.get_component_rich_style("viewer--problem"))
            text.append_text(styled(quote.exact, base="italic"))
            if quote.problem is not None:
                text.append("\n" + safe_line(quote.problem.message), dim)
            return text
        spans = [(ctx.quote_start, ctx.quote_end, self.get_component_rich_style("viewer--quote"))]
        spans += [(s, e, st) for s, e, st in self._match_spans(ctx.text)]
        if ctx.clipped_start:
            text.append("… ", dim)
        text.append_text(styled(ctx.text, spans, base=dim))
        if ctx.clipped_end:
            text.append(" …", dim)
        line = quote.line()
        text.append(f"\n{doc.id} · line {line} · characters {quote.start}–{quote.end}", dim)
        return text

    def _claim_table(self, claim: Claim) -> RenderableType:
        """Each source's version side by side: what it says, who says it, in its words."""
        from rich.table import Table

        table = Table(
            title=Text("Sources disagree: " + safe_line(claim.about), style=self.get_component_rich_style("viewer--problem")),
            title_justify="left",
            box=None,
            show_header=False,
            expand=True,
            padding=(0, 1, 1, 0),
        )
        table.add_column(ratio=1, min_width=8)
        table.add_column(ratio=3)
        value_style = self.get_component_rich_style("viewer--value")
        dim = self.get_component_rich_style("viewer--dim")
        for st in claim.statements:
            doc = st.document
            source = Text(safe_line(doc.outlet or doc.title or doc.path), style="bold")
            if doc.published is not None:
                source.append(f" · {safe_line(doc.published.human())}", dim)
            source.append("\n")
            source.append("“", dim)
            source.append_text(styled(st.text, self._match_spans(st.text), base="italic"))
            source.append("”", dim)
            table.add_row(Text(safe_line(st.value or "—"), style=value_style), source)
        return table

    def plain_text(self, width: int = 100) -> str:
        """What the viewer shows, as plain text (for tests and accessibility tools)."""
        console = Console(width=width, record=True, file=_NullFile(), color_system=None)
        console.print(Group(*self._blocks))
        return console.export_text()


class _NullFile:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _same_pattern(a: SearchPattern | None, b: SearchPattern | None) -> bool:
    return (a.text if a else "") == (b.text if b else "")
