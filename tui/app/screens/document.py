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
from textual.widgets import Input, Static

from ...model.corpus import Document, Event, Quote
from ...model.search import SearchPattern
from ..text import safe, safe_line, styled
from ..messages import CopyQuote
from ..widgets.keybar import KeyBar
from ..widgets.lines import LineView, text_strip


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
        "document--selection",
        "document--current-match",
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
        self.selection: tuple[int, int] | None = None  # offsets of the passage selected to cite
        self.current_match = -1  # the match n/N went to last (shown apart from the others)
        text = document.text
        self._matches = pattern.spans(text) if pattern else []

    def set_pattern(self, pattern: SearchPattern | None) -> None:
        """Highlight another search's matches (the find of ``/``), or none."""
        self.pattern = pattern
        self._matches = pattern.spans(self.document.text) if pattern else []
        self.refresh()

    def top_offset(self) -> int:
        """The offset of the first character of text on screen."""
        top = int(self.scroll_offset.y)
        return next((r.start for r in self._rows[top:] if not r.label), 0)

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
                reason = safe_line(ex.reason) if ex.reason else "not citable"  # data: shown, never obeyed
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
        return text_strip(text, width, base, self.app.console, overflow="crop")

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
        current_match = self.get_component_rich_style("document--current-match")
        lo = bisect.bisect_left(self._matches, (start - 1000, 0))
        for n, (s, e) in enumerate(self._matches[lo:], lo):
            if s >= end:
                break
            if e > start:
                spans.append((s - start, e - start, current_match if n == self.current_match else match))
        if self.selection is not None and self.selection[0] < end and start < self.selection[1]:
            spans.append((self.selection[0] - start, self.selection[1] - start,
                          self.get_component_rich_style("document--selection")))
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
        Binding("O", "open_url", "Open web page", show=False, id="document.open-url"),
        Binding("slash", "find_in_document", "Find", id="document.find"),
        Binding("n", "find(1)", "Next match", show=False, id="document.next-match"),
        Binding("N", "find(-1)", "Previous match", show=False, id="document.previous-match"),
        Binding("v", "select", "Select", id="document.select"),
        Binding("w", "by_word(1)", "Extend by a word", show=False, id="document.extend-word"),
        Binding("W", "by_word(-1)", "Shrink by a word", show=False, id="document.shrink-word"),
        Binding("s", "by_sentence(1)", "Extend by a sentence", show=False, id="document.extend-sentence"),
        Binding("S", "by_sentence(-1)", "Shrink by a sentence", show=False, id="document.shrink-sentence"),
        Binding("A", "add_quote", "Add as quote", id="document.add-quote"),
        Binding("E", "new_event", "New event", id="document.new-event"),
        Binding("K", "to_claim", "Add to a claim", show=False, id="document.to-claim"),
        Binding("X", "exclude", "Mark not citable", show=False, id="document.exclude"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="document.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="document.redo"),
        Binding("L", "changes", "Changes", show=False, id="document.changes"),
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
        yield Input(placeholder="find in this document (enter: keep, n N: next, previous, v: select; esc: cancel)",
                    id="document-find")
        yield KeyBar()

    def _view(self, document: Document) -> DocumentView:
        quotes = [q for q in self.event.quotes if q.document is document]
        return DocumentView(document, quotes, quotes.index(self.quote), self.pattern)

    def on_mount(self) -> None:
        find = self.query_one("#document-find", Input)
        find.display = False
        if self.app.is_headless:
            find.cursor_blink = False
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
        views = self.query(DocumentView)
        matches = views.first()._matches if views else []
        if views:
            views.first().current_match = self._match_cursor
            views.first().refresh()
        if views and 0 <= self._match_cursor < len(matches):
            if views.first().selection is None:
                status.append(f"\nMatch {self._match_cursor + 1} of {len(matches)} in this document (v selects it)  ",
                              "dim")
            else:
                status.append(f"\nMatch {self._match_cursor + 1}/{len(matches)}  ", "dim")
        elif views and views.first().pattern and not matches:
            status.append("\nNo match in this document  ", "dim")
        selection = views.first().selection if views else None
        if selection is not None:
            start, end = selection
            status.append(("" if "\n" in status.plain else "\n") + f"Selected {start}–{end} ({end - start} characters)", "bold")
            excluded = views.first().document.exclusion_at(start, end)
            if excluded is not None:
                reason = excluded.reason or "not citable"
                status.append(f"  —  not citable: {safe_line(reason)}", "bold red")
            else:
                status.append("  —  A: a quote of this event · E: a new event · K: to a claim · X: not citable",
                              "dim")
        self.query_one("#document-status", Static).update(status)

    def action_close(self) -> None:
        find = self.query_one("#document-find", Input)
        if find.display:  # escape in the find field: the find cancelled, the search before it back
            self._end_find(keep=False)
            return
        view = self.query_one(DocumentView)
        if view.selection is not None:  # escape clears the selection first
            view.selection = None
            view.refresh()
            self._refresh_header()
            return
        self.dismiss(self.quote_index)

    # -- selecting a passage, citing it

    def _select(self, span: tuple[int, int]) -> None:
        from ...model.selection import clamp

        view = self.query_one(DocumentView)
        view.selection = clamp(view.document.text, *span)
        view.scroll_to_offset(view.selection[0])
        view.refresh()
        self._refresh_header()

    def action_select(self) -> None:
        """Select the search match shown last, else the quote shown, else the first word on screen."""
        from ...model.selection import word_at

        view = self.query_one(DocumentView)
        if 0 <= self._match_cursor < len(view._matches):
            self._select(view._matches[self._match_cursor])
        elif self.quote.document is view.document and self.quote.start is not None:
            self._select((self.quote.start, self.quote.end))
        else:
            rows = view._rows
            top = int(view.scroll_offset.y)
            offset = next((r.start for r in rows[top:] if not r.label), 0)
            self._select(word_at(view.document.text, offset))

    def _move(self, how, delta: int) -> None:
        view = self.query_one(DocumentView)
        if view.selection is None:
            self.action_select()
            return
        self._select(how(view.document.text, *view.selection, delta))

    def action_by_word(self, delta: int) -> None:
        from ...model.selection import by_word

        self._move(by_word, delta)

    def action_by_sentence(self, delta: int) -> None:
        from ...model.selection import by_sentence

        self._move(by_sentence, delta)

    def _excluded(self):
        view = self.query_one(DocumentView)
        return None if view.selection is None else view.document.exclusion_at(*view.selection)

    def action_add_quote(self) -> None:
        from ..editing import editor_of, refused, written
        from ...model.editing import EditError

        view = self.query_one(DocumentView)
        event = self.event
        if view.selection is None:
            self.notify("Select a passage first (v, then w/W and s/S).", severity="warning", timeout=4)
            return
        if isinstance(event, QuoteSet):
            self.notify("These are a claim's statements, not an event's quotes.", severity="warning", timeout=4)
            return
        editor = editor_of(self.app)
        if editor is None:
            return
        try:
            quote = editor.quote_at(view.document.id, *view.selection)
            change = editor.add_quote(event.id, quote)
        except EditError as exc:
            refused(self.app, exc, "Not added")
            return
        written(self.app, change, "Quote added")

    def action_new_event(self) -> None:
        """A new event citing the selected passage: a form for its date, title, type and actors."""
        from ..editing import editor_of, refused, written
        from ...model.editing import EditError
        from .editing import NewEventScreen

        view = self.query_one(DocumentView)
        if view.selection is None:
            self.notify("Select a passage first (v, then w/W and s/S).", severity="warning", timeout=4)
            return
        editor = editor_of(self.app)
        if editor is None:
            return
        doc_id, (start, end) = view.document.id, view.selection
        try:
            quote = editor.quote_at(doc_id, start, end)  # a passage not citable is refused before the form
        except EditError as exc:
            refused(self.app, exc, "Not citable")
            return

        def save(fields: dict | None) -> None:
            if fields is None:
                return
            try:
                change = editor.add_event(quotes=[quote], **fields)
            except EditError as exc:
                refused(self.app, exc, "Not added")
                return
            written(self.app, change, "Event added", select=change.id)

        self.app.push_screen(NewEventScreen(editor.corpus, view.document.text[start:end]), save)

    def _citable_selection(self, verb: str):
        """``(editor, quote record)`` for the selection, or None after saying why not."""
        from ..editing import editor_of, refused
        from ...model.editing import EditError

        view = self.query_one(DocumentView)
        if view.selection is None:
            self.notify(f"Select a passage first (v, then w/W and s/S), to {verb}.", severity="warning", timeout=4)
            return None
        editor = editor_of(self.app)
        if editor is None:
            return None
        try:
            return editor, editor.quote_at(view.document.id, *view.selection)
        except EditError as exc:
            refused(self.app, exc, "Not citable")
            return None

    def action_to_claim(self) -> None:
        """The selection added to a claim as one source's statement (a claim chosen, or a new one)."""
        from ..editing import refused, written
        from ...model.editing import EditError
        from .editing import ClaimScreen

        found = self._citable_selection("add it to a claim")
        if found is None:
            return
        editor, quote = found
        view = self.query_one(DocumentView)
        events = [self.event.id] if isinstance(self.event, Event) else []

        def save(fields: dict | None) -> None:
            if fields is None:
                return
            try:
                if fields["claim"] is None:
                    change = editor.add_claim(about=fields["about"], quote=quote, value=fields["value"], events=events)
                else:
                    change = editor.add_statement(fields["claim"], quote, fields["value"])
            except EditError as exc:
                refused(self.app, exc, "Not added")
                return
            written(self.app, change, "Statement added")

        self.app.push_screen(ClaimScreen(editor.corpus, view.document.text[slice(*view.selection)]), save)

    def action_exclude(self) -> None:
        """The selection marked as not citable, with a reason (refused if an event or claim quotes it)."""
        from ..editing import editor_of, refused, written
        from ...model.editing import EditError
        from .editing import ReasonScreen

        view = self.query_one(DocumentView)
        if view.selection is None:
            marked = self._marked_at_match()
            if marked is not None:
                self._make_citable(marked)
                return
            self.notify("Select a passage first (v, then w/W and s/S), to mark it not citable; or find a word of "
                        "a dimmed passage (/), then X, to make it citable again.", severity="warning", timeout=5)
            return
        editor = editor_of(self.app)
        if editor is None:
            return
        doc_id, (start, end) = view.document.id, view.selection

        def save(reason: str | None) -> None:
            if reason is None:
                return
            try:
                change = editor.exclude(doc_id, start, end, reason)
            except EditError as exc:
                refused(self.app, exc, "Not marked")
                return
            written(self.app, change, "Marked not citable")

        self.app.push_screen(ReasonScreen(view.document.text[start:end]), save)

    def _marked_at_match(self):
        """The passage marked not citable that the current find match is in, or None."""
        view = self.query_one(DocumentView)
        if not 0 <= self._match_cursor < len(view._matches):
            return None
        start, end = view._matches[self._match_cursor]
        return view.document.exclusion_at(start, end)

    def _make_citable(self, marked) -> None:
        """Asked first: the marked passage ``marked`` made citable again (its mark removed)."""
        from ..editing import editor_of, refused, written
        from ...model.editing import EditError
        from .confirm import ConfirmScreen

        view = self.query_one(DocumentView)
        editor = editor_of(self.app)
        if editor is None:
            return
        doc_id = view.document.id
        passage = view.document.text[marked.start:marked.end]
        shown = passage[:60] + ("…" if len(passage) > 60 else "")
        why = f" (marked: {marked.reason})" if marked.reason else ""

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                change = editor.include(doc_id, marked.start, marked.end)
            except EditError as exc:
                refused(self.app, exc, "Not changed")
                return
            written(self.app, change, "Citable again")

        self.app.push_screen(ConfirmScreen(f"Make “{shown}” citable again{why}?"), answer)

    def action_undo(self, redo: bool = False) -> None:
        from ..editing import editor_of, refused, written
        from ...model.editing import EditError

        editor = editor_of(self.app)
        if editor is None:
            return
        try:
            change = editor.redo() if redo else editor.undo()
        except EditError as exc:
            refused(self.app, exc, "Not undone" if not redo else "Not redone")
            return
        if change is None:
            self.notify(f"Nothing to {'redo' if redo else 'undo'} in this session.", timeout=3)
            return
        written(self.app, change, "Redone" if redo else "Undone")

    def action_redo(self) -> None:
        self.action_undo(redo=True)

    def action_changes(self) -> None:
        from ..editing import show_changes

        show_changes(self.app)

    def palette_commands(self):
        """The command palette's entries for this screen's keys: selecting, citing, undo."""
        from textual.app import SystemCommand

        for binding in self.BINDINGS:
            if binding.id in _PALETTE:
                yield SystemCommand(binding.description, _PALETTE[binding.id],
                                    lambda action=binding.action: self.run_action(action))


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
        self.post_message(CopyQuote(self.quote))

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
        self._refresh_header()  # the status line says which match of how many

    # -- finding in the document (/)

    def action_find_in_document(self) -> None:
        """The find field: matches highlighted as typed, the first at or after the top of the screen shown."""
        view = self.query_one(DocumentView)
        find = self.query_one("#document-find", Input)
        self._before_find = (view.pattern, self._match_cursor)
        find.display = True
        with find.prevent(Input.Changed):
            find.value = view.pattern.text if view.pattern else ""
        find.cursor_position = len(find.value)
        find.focus()

    def on_input_changed(self, message: Input.Changed) -> None:
        if message.input.id != "document-find":
            return
        message.stop()
        view = self.query_one(DocumentView)
        text = message.value
        view.set_pattern(self.app.store.search_pattern(text) if text.strip() else None)
        top = view.top_offset()
        self._match_cursor = next((i for i, (s, _) in enumerate(view._matches) if s >= top),
                                  0 if view._matches else -1)
        if self._match_cursor >= 0:
            view.scroll_to_offset(view._matches[self._match_cursor][0])
        self._refresh_header()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        if message.input.id == "document-find":
            message.stop()
            self._end_find(keep=True)

    def _end_find(self, keep: bool) -> None:
        find = self.query_one("#document-find", Input)
        find.display = False
        view = self.query_one(DocumentView)
        if not keep:
            pattern, cursor = getattr(self, "_before_find", (view.pattern, self._match_cursor))
            view.set_pattern(pattern)
            self._match_cursor = cursor if cursor < len(view._matches) else -1
        view.focus()
        self._refresh_header()

_PALETTE = {
    "document.find": "Find in this document (incremental; n and N go to the next and previous match, v selects it)",
    "document.select": "Select a passage: the search match shown, else the quote shown, else the first word on screen",
    "document.extend-word": "Extend the selection by a word",
    "document.shrink-word": "Shrink the selection by a word",
    "document.extend-sentence": "Extend the selection to the end of the next sentence",
    "document.shrink-sentence": "Shrink the selection to the end of the previous sentence",
    "document.add-quote": "Add the selected passage as a quote of this event (written to corpus.json)",
    "document.new-event": "Make a new event citing the selected passage (a form: date, title, type, actors)",
    "document.to-claim": "Add the selected passage to a claim as one source's statement (a claim, or a new one)",
    "document.exclude": "Mark the selected passage as not citable (boilerplate, caption, comment), with a reason; "
                        "with no selection, make the dimmed passage of the find match citable again",
    "document.undo": "Undo the session's last change to corpus.json",
    "document.redo": "Redo the change undone last",
    "document.changes": "List the session's changes to corpus.json (and those undone)",
}
