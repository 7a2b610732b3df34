"""Coverage: which document reports which event, as a matrix of events by documents."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Static

from ...model.corpus import Corpus
from ...model.coverage import Coverage
from ...model.search import SearchPattern
from ...model.view import short_date
from ..text import safe_line
from ..widgets.keybar import KeyBar
from ..widgets.lines import LineView
from .document import DocumentScreen


class CoverageMatrix(LineView, can_focus=True):
    """Events (rows) by documents (columns); ● a document reports the event, · it does not."""

    COMPONENT_CLASSES = {"coverage--cell", "coverage--empty", "coverage--cursor", "coverage--title",
                         "coverage--head"}
    BINDINGS = [
        Binding("j,down", "move(0, 1)", "Down", show=False, id="coverage.down"),
        Binding("k,up", "move(0, -1)", "Up", show=False, id="coverage.up"),
        Binding("l,right", "move(1, 0)", "Right", show=False, id="coverage.right"),
        Binding("h,left", "move(-1, 0)", "Left", show=False, id="coverage.left"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="coverage.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="coverage.page-up"),
        Binding("g,home", "first", "First", show=False, id="coverage.first"),
        Binding("G,end", "last", "Last", show=False, id="coverage.last"),
    ]
    LABEL = 44  # cells for the date and title of each row
    CELL = 3

    def __init__(self, coverage: Coverage) -> None:
        super().__init__()
        self.coverage = coverage
        self.row = 0
        self.column = 0

    def set_coverage(self, coverage: Coverage) -> None:
        self.coverage = coverage
        self.row = min(self.row, max(0, len(coverage.positions) - 1))
        self.virtual_size = Size(0, len(coverage.positions) + 1)  # columns follow the cursor instead
        self.refresh()

    def on_mount(self) -> None:
        self.set_coverage(self.coverage)

    def _columns_shown(self) -> int:
        return max(1, (self.scrollable_content_region.width - self.LABEL) // self.CELL)

    def _first_column(self) -> int:
        shown = self._columns_shown()
        return max(0, min(self.column - shown // 2, len(self.coverage.documents) - shown))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        cov = self.coverage
        first = self._first_column()
        columns = range(first, min(len(cov.documents), first + self._columns_shown()))
        head = self.get_component_rich_style("coverage--head")
        cursor = self.get_component_rich_style("coverage--cursor")
        text = Text(no_wrap=True)
        if y == 0:
            text.append(f"{'event':<{self.LABEL}}", head)
            for c in columns:
                label = f"{c + 1:>{self.CELL - 1}} "
                text.append(label[-self.CELL:], cursor if c == self.column else head)
        else:
            row = int(self.scroll_offset.y) + y - 1
            if row >= len(cov.positions):
                return Strip.blank(width, base)
            event = cov.event(row)
            label = Text(f"{short_date(event.date):<12} ", style=self.get_component_rich_style("coverage--head"))
            label.append(safe_line(event.title), self.get_component_rich_style("coverage--title"))
            label.truncate(self.LABEL - 1, overflow="ellipsis", pad=True)
            label.append(" ")
            text.append_text(label)
            docs = {q.document.id for q in event.quotes}
            for c in columns:
                has = cov.documents[c].id in docs
                style = self.get_component_rich_style("coverage--cell" if has else "coverage--empty")
                if row == self.row and c == self.column:
                    style = style + cursor
                text.append(" ● " if has else " · ", style)
            if row == self.row:
                text.stylize(Style(bold=True), 0, self.LABEL)
        text.truncate(width, pad=True)
        segments = list(text.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, base).apply_style(base)

    def action_move(self, dx: int, dy: int) -> None:
        cov = self.coverage
        self.column = max(0, min(len(cov.documents) - 1, self.column + dx))
        self.row = max(0, min(len(cov.positions) - 1, self.row + dy))
        self._follow()

    def action_page(self, direction: int) -> None:
        self.action_move(0, direction * max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.row = 0
        self._follow()

    def action_last(self) -> None:
        self.row = max(0, len(self.coverage.positions) - 1)
        self._follow()

    def _follow(self) -> None:
        height = self.scrollable_content_region.height - 1
        top = int(self.scroll_offset.y)
        if self.row < top:
            self.scroll_to(y=self.row, animate=False)
        elif self.row >= top + height:
            self.scroll_to(y=self.row - height + 1, animate=False)
        self.refresh()
        self.screen.post_message(CoverageScreen.Moved())  # type: ignore[attr-defined]

    def scroll_to_row(self, row: int) -> None:
        self.row = row
        self._follow()


class CoverageScreen(Screen[str | None]):
    """Which document reports which event; enter opens the quote under the cursor."""

    class Moved(Message):
        """The cursor moved: the status line follows."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="coverage.close"),
        Binding("enter,o", "open", "Open the quote", id="coverage.open"),
        Binding("s", "sort", "Sort", id="coverage.sort"),
        Binding("L", "list_document", "Events of this document", id="coverage.document"),
        Binding("t", "to_event", "Go to the event", id="coverage.event"),
    ]

    def __init__(self, corpus: Corpus, selection, pattern: SearchPattern | None) -> None:
        super().__init__()
        self.corpus = corpus
        self.coverage = Coverage.of(corpus, selection)
        self.full = self.coverage
        self.listing: str | None = None  # showing only the events of this document
        self.pattern = pattern

    def compose(self) -> ComposeResult:
        yield Static(id="coverage-title")
        yield CoverageMatrix(self.coverage)
        yield Static(id="coverage-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._status()
        self.query_one(CoverageMatrix).focus()

    def on_coverage_screen_moved(self, message: Moved) -> None:
        self._status()

    def _status(self) -> None:
        cov = self.coverage
        matrix = self.query_one(CoverageMatrix)
        title = Text(f"Coverage: {len(cov.positions):,} events × {len(cov.documents):,} documents", style="bold")
        title.append(f"   sorted by {cov.sort}" + (f" ({safe_line(cov.sort_document)} first)" if cov.sort_document else ""),
                     "dim")
        if self.listing is not None:
            title.append(f"   only the events of {safe_line(self.listing)} (L: all)", "italic")
        self.query_one("#coverage-title", Static).update(title)
        status = Text()
        if cov.documents:
            doc = cov.documents[matrix.column]
            status.append(f"column {matrix.column + 1}: ", "bold")
            status.append(safe_line(doc.label), "cyan")
        if cov.positions:
            event = cov.event(matrix.row)
            quotes = cov.cell(matrix.row, matrix.column) if cov.documents else []
            status.append("\n")
            status.append(safe_line(event.title), "bold")
            status.append(f"  ·  {len(quotes)} quote(s) from this document" if quotes else "  ·  not reported by this document",
                          "dim")
        self.query_one("#coverage-status", Static).update(status)

    def action_open(self) -> None:
        cov = self.coverage
        matrix = self.query_one(CoverageMatrix)
        if not cov.positions or not cov.documents:
            return
        quotes = cov.cell(matrix.row, matrix.column)
        if not quotes:
            self.app.bell()
            self.notify("This document does not report this event.", timeout=2)
            return
        self.app.push_screen(DocumentScreen(cov.event(matrix.row), quotes[0], self.pattern))

    def action_sort(self) -> None:
        cov = self.coverage
        if not cov.walkable:
            self.notify("Sorting walks every event: filter the view below 50,000 events first.", timeout=4)
            return
        order = ["date", "sources", "document"]
        nxt = order[(order.index(cov.sort) + 1) % len(order)]
        doc = cov.documents[self.query_one(CoverageMatrix).column] if cov.documents else None
        self.coverage = cov.sorted_by(nxt, doc)
        if self.listing is None:
            self.full = self.coverage
        matrix = self.query_one(CoverageMatrix)
        matrix.set_coverage(self.coverage)
        matrix.scroll_to_row(0)
        self._status()

    def action_list_document(self) -> None:
        cov = self.full
        matrix = self.query_one(CoverageMatrix)
        if not cov.documents:
            return
        if self.listing is not None:
            self.coverage = self.full  # back to all events
            self.listing = None
        else:
            if not cov.walkable:
                self.notify("Listing walks every event: filter the view below 50,000 events first.", timeout=4)
                return
            doc = self.coverage.documents[matrix.column]
            rows = cov.events_of(cov.documents.index(doc))
            self.coverage = Coverage(cov.corpus, [cov.positions[r] for r in rows], cov.documents, "date")
            self.listing = doc.id
        matrix.set_coverage(self.coverage)
        matrix.scroll_to_row(0)
        self._status()

    def action_to_event(self) -> None:
        if self.coverage.positions:
            self.dismiss(self.coverage.event(self.query_one(CoverageMatrix).row).id)

    def action_close(self) -> None:
        self.dismiss(None)
