"""The document view: a whole source document, scrolled to a quote.

The quote is highlighted, the event's other quotes in this document are
underlined, and passages that are not citable (boilerplate, captions,
reader comments) are dimmed under a label saying why.  Drawn with the Line
API, so a long document costs only the lines on screen.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from urllib.parse import urlsplit

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Static

from ...model.corpus import Document, Event, Quote
from ...model.search import SearchPattern
from ..text import safe, safe_line, styled
from ..widgets.keybar import KeyBar
from ..widgets.lines import LineView


@dataclass(frozen=True, slots=True)
class _Row:
    start: int
    end: int
    label: str = ""  # a 'not cited' label row, shown above an excluded passage


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Display lines of ``text`` as ``(start, end)`` offsets, wrapped at ``width`` cells.

    Breaks after spaces where it can, inside a word only when one word is
    wider than the line.  Line ends in the text always break.
    """
    width = max(4, width)
    rows: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while True:
        nl = text.find("\n", pos)
        line_end = n if nl == -1 else nl
        start = pos
        if start == line_end:
            rows.append((start, start))
        while start < line_end:
            used = 0
            i = start
            last_break = -1
            while i < line_end:
                w = cell_len(safe(text[i]))
                if used + w > width:
                    break
                used += w
                i += 1
                if text[i - 1] == " ":
                    last_break = i
            if i >= line_end:
                rows.append((start, line_end))
                start = line_end
            elif last_break > start:
                rows.append((start, last_break))
                start = last_break
            else:
                i = max(i, start + 1)
                rows.append((start, i))
                start = i
        if nl == -1:
            break
        pos = nl + 1
    return rows


class DocumentView(LineView, can_focus=True):
    COMPONENT_CLASSES = {
        "document--quote",
        "document--current",
        "document--excluded",
        "document--label",
        "document--match",
    }

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False, id="document.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="document.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="document.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="document.bottom"),
        Binding("space,pagedown,f", "page_down", "Page down", show=False, id="document.page-down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="document.page-up"),
    ]

    def __init__(self, document: Document, quotes: list[Quote], current: int, pattern: SearchPattern | None) -> None:
        super().__init__()
        self.document = document
        self.quotes = quotes
        self.current = current
        self.pattern = pattern
        self._rows: list[_Row] = []
        self._starts: list[int] = []
        self._width = 0
        text = document.text
        self._matches = pattern.spans(text) if pattern else []

    def on_resize(self) -> None:
        self._ensure_layout()

    def render_lines(self, crop):
        # The first frame is drawn before the widget hears of its size: lay out now, not a frame later.
        self._ensure_layout()
        return super().render_lines(crop)

    def _ensure_layout(self) -> None:
        if self.scrollable_content_region.width == self._width and self._rows:
            return
        first = not self._rows
        self._layout()
        if first:  # laid out for the first time: open at the quote, never at the top and then there
            self.scroll_to_quote(self.current)

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        if width == self._width and self._rows:
            return
        self._width = width
        text = self.document.text
        exclusions = {ex.start: ex for ex in self.document.exclusions}
        rows: list[_Row] = []
        for start, end in wrap_offsets(text, max(4, width - 1)):
            for ex_start in sorted(s for s in exclusions if start <= s < max(end, start + 1)):
                ex = exclusions.pop(ex_start)
                reason = ex.reason or "not citable"
                rows.append(_Row(start, start, f"┄┄ not cited: {reason} ┄┄"))
            rows.append(_Row(start, end))
        self._rows = rows
        self._starts = [r.start if not r.label else -1 for r in rows]
        self.virtual_size = Size(0, len(rows))
        self.refresh()

    def row_of_offset(self, offset: int) -> int:
        """The first text row that contains ``offset``."""
        for i, row in enumerate(self._rows):
            if not row.label and row.start <= offset < max(row.end, row.start + 1):
                return i
            if not row.label and row.start > offset:
                return max(0, i - 1)
        return max(0, len(self._rows) - 1)

    def scroll_to_quote(self, index: int) -> None:
        self.current = index
        self._layout()
        quote = self.quotes[index] if 0 <= index < len(self.quotes) else None
        if quote is None or quote.start is None:
            return
        row = self.row_of_offset(quote.start)
        # Put the quote a third of the way down, with its context above it.
        target = max(0, row - max(1, self.scrollable_content_region.height // 3))
        # Show the 'not cited' label if it sits right above.
        self.scroll_to(y=target, animate=False, force=True)
        self.refresh()

    def scroll_to_offset(self, offset: int) -> None:
        row = self.row_of_offset(offset)
        self.scroll_to(y=max(0, row - self.scrollable_content_region.height // 3), animate=False, force=True)
        self.refresh()

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)


    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        index = int(self.scroll_offset.y) + y
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[index]
        if row.label:
            text = Text(" " + row.label, style=self.get_component_rich_style("document--label"))
        else:
            text = Text(" ")
            text.append_text(self._line_text(row.start, row.end))
        text.end = ""
        text.no_wrap = True
        text.truncate(width, overflow="crop", pad=True)
        return Strip(list(text.render(self.app.console))).adjust_cell_length(width, base).apply_style(base)

    def _line_text(self, start: int, end: int) -> Text:
        text = self.document.text
        spans: list[tuple[int, int, Style]] = []
        excluded = self.get_component_rich_style("document--excluded")
        for ex in self.document.exclusions:
            if ex.start < end and start < ex.end:
                spans.append((ex.start - start, ex.end - start, excluded))
        quote_style = self.get_component_rich_style("document--quote")
        current_style = self.get_component_rich_style("document--current")
        for i, q in enumerate(self.quotes):
            if q.start is not None and q.start < end and start < q.end:
                spans.append((q.start - start, q.end - start, current_style if i == self.current else quote_style))
        match = self.get_component_rich_style("document--match")
        lo = bisect.bisect_left(self._matches, (start - 1000, 0))
        for s, e in self._matches[lo:]:
            if s >= end:
                break
            if e > start:
                spans.append((s - start, e - start, match))
        return styled(text[start:end], spans, multiline=False)


@dataclass(frozen=True)
class QuoteSet:
    """Quotes shown together in the document view that are not an event's: a claim's statements."""

    title: str
    quotes: tuple[Quote, ...]
    noun: str = "Statement"


class DocumentScreen(Screen):
    """A full-screen document, at one quote of an event."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="document.close"),
        Binding("left_square_bracket", "quote(-1)", "Previous quote", id="document.previous-quote"),
        Binding("right_square_bracket", "quote(1)", "Next quote", id="document.next-quote"),
        Binding("y", "copy", "Copy quote", id="document.copy"),
        Binding("w", "open_url", "Open web page", show=False, id="document.open-url"),
        Binding("n", "find(1)", "Next match", show=False, id="document.next-match"),
        Binding("N", "find(-1)", "Previous match", show=False, id="document.previous-match"),
    ]

    def __init__(self, event: Event | QuoteSet, quote_index: int, pattern: SearchPattern | None) -> None:
        """``event``: an event, or any set of quotes with a title (a claim's statements)."""
        super().__init__()
        self.event = event
        self.quote_index = quote_index
        self.pattern = pattern
        self._match_cursor = -1

    @property
    def quote(self) -> Quote:
        return self.event.quotes[self.quote_index]

    def compose(self) -> ComposeResult:
        yield Static(id="document-header")
        yield self._view(self.quote.document)
        yield Static(id="document-status")
        yield KeyBar()

    def _view(self, document: Document) -> DocumentView:
        quotes = [q for q in self.event.quotes if q.document is document]
        return DocumentView(document, quotes, quotes.index(self.quote), self.pattern)

    def on_mount(self) -> None:
        self._refresh_header()
        view = self.query_one(DocumentView)
        view.focus()

    def _refresh_header(self) -> None:
        doc = self.quote.document
        header = Text()
        header.append(safe_line(doc.title or doc.path), "bold")
        meta = [m for m in (doc.outlet, doc.published.human() if doc.published else "", doc.url) if m]
        if meta:
            header.append("\n" + safe_line(" · ".join(meta)), "dim")
        header.append("\n" + safe_line(f"{doc.path} · id {doc.id}"), "dim")
        self.query_one("#document-header", Static).update(header)
        status = Text()
        noun = getattr(self.event, "noun", "Quote")
        status.append(f"{noun} {self.quote_index + 1}/{len(self.event.quotes)} of ", "bold")
        status.append(safe_line(self.event.title))
        if self.quote.start is None:
            status.append("  —  this quote is not found in the document", "bold red")
        self.query_one("#document-status", Static).update(status)

    def action_close(self) -> None:
        self.dismiss(self.quote_index)

    async def action_quote(self, delta: int) -> None:
        quotes = self.event.quotes
        if not quotes:
            return
        new_index = (self.quote_index + delta) % len(quotes)
        old_doc = self.quote.document
        self.quote_index = new_index
        view = self.query_one(DocumentView)
        if self.quote.document is not old_doc:
            new_view = self._view(self.quote.document)
            await view.remove()
            await self.mount(new_view, after="#document-header")
            new_view.focus()
        else:
            view.scroll_to_quote(view.quotes.index(self.quote))
        self._refresh_header()

    def action_copy(self) -> None:
        self.app.copy_quote(self.quote)  # type: ignore[attr-defined]

    def action_open_url(self) -> None:
        """The document's web address, in a new tab of the browser the explorer is served to
        (``serve``). In a terminal it is only shown: a console browser could take the terminal over."""
        url = self.quote.document.url or ""
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            # Data, never obeyed: a javascript: or file: address would run in, or read through, the page.
            self.notify("This document has no web address (http or https).", severity="warning", timeout=3)
            return
        if not self.app.is_web:
            self.notify(safe_line(f"Its web address: {url}"), timeout=6, markup=False)
            return
        self.app.open_url(url, new_tab=True)
        self.notify(safe_line(f"Opened in a new tab: {url}"), timeout=3, markup=False)

    def action_find(self, delta: int) -> None:
        view = self.query_one(DocumentView)
        matches = view._matches
        if not matches:
            self.app.bell()
            return
        self._match_cursor = (self._match_cursor + delta) % len(matches)
        view.scroll_to_offset(matches[self._match_cursor][0])
        self.notify(f"Match {self._match_cursor + 1} of {len(matches)} in this document", timeout=2)
