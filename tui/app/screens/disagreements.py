"""Disagreements: every claim, each source's version side by side, with the documents named."""

from __future__ import annotations

from rich.cells import cell_len
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model.corpus import Claim, Corpus
from ...model.search import SearchPattern
from ...model.wording import plural
from ..text import safe_line
from ..widgets.keybar import KeyBar
from .document import DocumentScreen, QuoteSet


class DisagreementsScreen(Screen[str | None]):
    """Every claim: each source's version side by side, with the documents named."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="claims.close"),
        Binding("o", "open", "Open in the document", id="claims.open"),
        Binding("t", "to_event", "Go to the event", id="claims.event"),
    ]

    def __init__(self, corpus: Corpus, pattern: SearchPattern | None) -> None:
        super().__init__()
        self.corpus = corpus
        self.pattern = pattern
        self._rows: list[tuple[Claim, int | None]] = []  # (claim, statement index or None for its heading)

    def compose(self) -> ComposeResult:
        n = len(self.corpus.claims)
        yield Static(Text(f"Disagreements between sources: {n} {plural(n, 'claim')}", style="bold"),
                     id="claims-title")
        yield OptionList(id="claims-list")
        yield KeyBar()

    def on_mount(self) -> None:
        options: list[Option] = []
        width = max(8, max((cell_len(s.value) for c in self.corpus.claims.values() for s in c.statements), default=8))
        width = min(width, 28)
        located = self.corpus.positions_of({e for c in self.corpus.claims.values() for e in c.events})
        titles = {event_id: self.corpus.event(p).title for event_id, p in located.items()}
        for claim in self.corpus.claims.values():
            heading = Text("≠ ", style="bold red")
            heading.append(safe_line(claim.about), "bold")
            events = [titles[e] for e in claim.events if e in titles]
            if events:
                heading.append("\n  about: " + safe_line("; ".join(events)), "italic")
            options.append(Option(heading, id=f"h:{claim.id}", disabled=True))
            self._rows.append((claim, None))
            for i, statement in enumerate(claim.statements):
                # Side by side: each source's version, then where it says so.
                grid = Table.grid(padding=(0, 2))
                grid.add_column(width=width, no_wrap=False)
                grid.add_column(ratio=1)
                doc = statement.document
                where = Text(safe_line(doc.label), style="cyan")
                where.append("\n“" + safe_line(statement.exact) + "”")
                if statement.start is None:
                    where.append("  (not found in the document)", "bold red")
                grid.add_row(Text(safe_line(statement.value or "—"), style="bold yellow"), where)
                options.append(Option(Padding(grid, (0, 0, 0, 2)), id=f"s:{claim.id}:{i}"))
                self._rows.append((claim, i))
        option_list = self.query_one(OptionList)
        option_list.add_options(options)
        first = next((k for k, (_, i) in enumerate(self._rows) if i is not None), None)
        if first is not None:
            option_list.highlighted = first
        option_list.focus()

    def _current(self) -> tuple[Claim, int | None] | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        return self._rows[option_list.highlighted]

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        current = self._current()
        if current is None or current[1] is None:
            self.app.bell()
            return
        claim, i = current
        quotes = QuoteSet(f"claim: {claim.about}", tuple(claim.statements))
        self.app.push_screen(DocumentScreen(quotes, i, self.pattern))

    def action_to_event(self) -> None:
        current = self._current()
        if current is None or not current[0].events:
            self.app.bell()
            self.notify("This claim names no event.", timeout=2)
            return
        self.dismiss(current[0].events[0])

    def action_close(self) -> None:
        self.dismiss(None)
