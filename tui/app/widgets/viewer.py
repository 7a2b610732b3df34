"""The source-quote viewer: for one event, everything it rests on.

Its date and what the date rests on, its summary, then every quote in its
surrounding paragraph with the quote highlighted, naming the document; then
the claims about the event, each source's version side by side.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...model.corpus import Corpus, Event, Quote
from ...model.search import SearchPattern
from ..text import safe_line, styled


class QuoteViewer(VerticalScroll, can_focus=True):
    """Shows one event; the app tells it which event, quote and search."""

    COMPONENT_CLASSES = {
        "viewer--quote",
        "viewer--current-quote",
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
        self._quote_blocks: list[Static] = []

    def show(self, event: Event | None, quote_index: int, pattern: SearchPattern | None, *, force: bool = False) -> None:
        same_content = (event is self.event and event is not None and _same_pattern(pattern, self.pattern)
                        and not force)
        quote_moved = quote_index != self.quote_index
        self.event, self.quote_index, self.pattern = event, quote_index, pattern
        if same_content:
            self._mark_current(scroll=quote_moved)
            return
        with self.app.batch_update():
            self.remove_children()
            blocks = self._blocks()
            self._quote_blocks = [b for b in blocks if b.has_class("viewer-quote")]
            self.mount_all(blocks)
            self._mark_current(scroll=False)
        self.scroll_home(animate=False)

    # -- building -------------------------------------------------------------

    def _blocks(self) -> list[Static]:
        event = self.event
        if event is None:
            return [Static(Text("No event selected.", style="italic"), classes="viewer-empty")]
        label = self.get_component_rich_style("viewer--label")
        dim = self.get_component_rich_style("viewer--dim")
        blocks: list[Static] = []
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
        blocks.append(Static(head, classes="viewer-head"))
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
            blocks.append(Static(actors, classes="viewer-actors"))
        if event.summary:
            blocks.append(Static(styled(event.summary, self._match_spans(event.summary)), classes="viewer-summary"))
        if event.date_note:
            note = Text()
            note.append("Date  ", label)
            note.append_text(styled(event.date_note, base="italic"))
            blocks.append(Static(note, classes="viewer-date-note"))
        quotes = event.quotes
        docs = len({q.document.id for q in quotes})
        sources = Text()
        sources.append(
            f"Sources: {docs} document{'s' if docs != 1 else ''}, {len(quotes)} quote{'s' if len(quotes) != 1 else ''}",
            label,
        )
        if len(quotes) > 1:
            sources.append("   [ ] previous/next quote · y copy · o open", dim)
        elif quotes:
            sources.append("   y copy · o open", dim)
        else:
            sources.append("   none: nothing traces this event to a source", self.get_component_rich_style("viewer--problem"))
        blocks.append(Static(sources, classes="viewer-sources"))
        for i, quote in enumerate(quotes):
            blocks.append(Static(self._quote_text(i, quote), classes="viewer-quote"))
        for claim in self.corpus.claims_of(event):
            blocks.append(Static(self._claim_table(claim), classes="viewer-claim"))
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

    def _claim_table(self, claim) -> Table:
        """Each source's version side by side: what it says, who says it, in its words."""
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

    def _mark_current(self, scroll: bool) -> None:
        for i, block in enumerate(self._quote_blocks):
            block.set_class(i == self.quote_index, "-current")
        if scroll and 0 <= self.quote_index < len(self._quote_blocks):
            current = self._quote_blocks[self.quote_index]
            if current.is_mounted:
                self.scroll_to_widget(current, animate=False, top=False)


def _same_pattern(a: SearchPattern | None, b: SearchPattern | None) -> bool:
    return (a.text if a else "") == (b.text if b else "")
