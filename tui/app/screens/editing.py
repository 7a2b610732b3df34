"""Triage of draft events (``extract``'s candidates): accept, reject or merge each, with the count left.

Each decision is checked and written at once (``model.editing``); the
timeline shows them when the screen closes (the corpus is reloaded then, not
after each decision, so that the walk through the drafts is not broken).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...model.editing import Editor, EditError
from ..text import safe, safe_line


def passage_shown(passage: str, *, id: str, limit: int = 300) -> Static:
    """The selected passage a dialog acts on, quoted (its first ``limit`` characters), as data."""
    return Static(Text("“" + safe(passage[:limit]) + ("…" if len(passage) > limit else "") + "”"), id=id)


def name_fields(screen, prefix: str) -> None:
    """Each input of ``screen`` named in its border by its id (less ``prefix``): the name stays once the
    placeholder is gone; no blinking cursor in a headless run (snapshots)."""
    for field in screen.query(Input):
        if screen.app.is_headless:
            field.cursor_blink = False
        field.border_title = (field.id or "").removeprefix(prefix).replace("-", " ")


def show_refusal(app, exc: EditError, title: str) -> None:
    """A refused change: a notice with the first problem, and the list of them all."""
    from ...model.errors import Problem
    from .dialogs import ProblemsScreen

    problems = exc.problems or [Problem("", "", "only a corpus folder held in memory can be edited",
                                        "open a corpus folder; import a TimelineJS or CSV file first "
                                        "(timeline-explorer import)", code="read-only")]
    app.notify(f"{title}: {problems[0].message}", severity="error", timeout=6)
    app.push_screen(ProblemsScreen(problems, title=title))


class TriageScreen(ModalScreen[bool]):
    """The drafts one by one; dismissed with True when something was written."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="triage.close"),
        Binding("j,down", "move(1)", "Next draft", id="triage.next"),
        Binding("k,up", "move(-1)", "Previous draft", id="triage.previous"),
        Binding("Y", "accept", "Accept", id="triage.accept"),
        Binding("X", "reject", "Reject", id="triage.reject"),
        Binding("M", "merge", "Merge into…", id="triage.merge"),
        Binding("ctrl+z", "undo", "Undo", id="triage.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="triage.redo"),
        Binding("L", "changes", "Changes", show=False, id="triage.changes"),
    ]

    def __init__(self, editor: Editor) -> None:
        super().__init__()
        self.editor = editor
        self.index = 0
        self.changed = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="triage-body"):
            yield Static(id="triage-count")
            yield Static(id="triage-draft")
        yield Input(placeholder="merge into the event with id… (enter; esc to cancel)", id="triage-merge")

    def on_mount(self) -> None:
        self.query_one("#triage-merge", Input).display = False
        self._show()

    @property
    def drafts(self) -> list[str]:
        return self.editor.drafts()

    @property
    def current(self) -> str | None:
        drafts = self.drafts
        if not drafts:
            return None
        self.index = max(0, min(self.index, len(drafts) - 1))
        return drafts[self.index]

    def _show(self) -> None:
        drafts = self.drafts
        count = Text(f"Drafts: {len(drafts)} left", style="bold")
        if drafts:
            count.append(f"  ·  {self.index + 1 if self.current else 0} of {len(drafts)}", "dim")
        count.append("\nY accept · X reject · M merge into an event · j k next, previous · ctrl+z undo · L changes · esc close",
                     "dim")
        self.query_one("#triage-count", Static).update(count)
        body = Text()
        draft_id = self.current
        if draft_id is None:
            body.append("No draft left: every candidate is triaged. Run `timeline-explorer check` and export.")
        else:
            event = self.editor.corpus.events_by_id[draft_id]
            body.append(safe_line(event.date.human()) + "  ", "bold")
            body.append(safe_line(event.title) + "\n", "bold")
            body.append(safe_line(f"id {event.id}"), "dim")
            if event.actors:
                body.append(safe_line("  ·  actors: " + ", ".join(event.actors)), "dim")
            if event.confidence is not None:
                body.append(f"  ·  confidence {event.confidence:.2f}", "dim")
            for q in event.quotes:
                body.append("\n\n“" + safe(q.exact) + "”")
                body.append("\n  — " + safe_line(q.document.label), "dim")
            if event.note:
                body.append("\n\n" + safe(event.note), "italic")
        self.query_one("#triage-draft", Static).update(body)

    def action_move(self, delta: int) -> None:
        if self.drafts:
            self.index = (self.index + delta) % len(self.drafts)
            self._show()

    def _do(self, change, verb: str) -> None:
        try:
            done = change()
        except EditError as exc:
            show_refusal(self.app, exc, f"Not {verb}")
            return
        if done is None:
            self.notify(f"Nothing to {verb.rstrip('d').rstrip('e')}.", timeout=3)
            return
        self.changed = True
        self.notify(f"{verb.capitalize()}: {done.description}", timeout=3)
        self._show()

    def action_accept(self) -> None:
        if (draft := self.current) is not None:
            self._do(lambda: self.editor.accept(draft), "accepted")

    def action_reject(self) -> None:
        if (draft := self.current) is not None:
            self._do(lambda: self.editor.reject(draft), "rejected")

    def action_merge(self) -> None:
        if self.current is None:
            return
        field = self.query_one("#triage-merge", Input)
        field.display = True
        field.value = ""
        field.focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        field = self.query_one("#triage-merge", Input)
        field.display = False
        target = message.value.strip()
        if target and (draft := self.current) is not None:
            self._do(lambda: self.editor.merge(draft, target), "merged")

    def action_undo(self) -> None:
        self._do(self.editor.undo, "undone")

    def action_redo(self) -> None:
        self._do(self.editor.redo, "redone")

    def action_changes(self) -> None:
        self.app.push_screen(ChangesScreen(self.editor))

    def action_close(self) -> None:
        field = self.query_one("#triage-merge", Input)
        if field.display:
            field.display = False
            return
        self.dismiss(self.changed)


class NewEventScreen(ModalScreen["dict | None"]):
    """A new event from a selected passage: date (EDTF, checked as typed and shown as the timeline shows it),
    date note, title, summary, type, actors (ids, names or aliases, checked as typed).
    Dismissed with the fields, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new-event.cancel"),
        Binding("ctrl+s", "save", "Save the event", id="new-event.save"),
    ]

    def __init__(self, corpus, passage: str) -> None:
        super().__init__()
        self.corpus = corpus
        self.passage = passage

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="new-event-dialog"):
            yield Static(Text("New event from the selected passage", style="bold"))
            yield passage_shown(self.passage, id="new-event-passage")
            yield Input(placeholder="date (EDTF: 2019-07-18, 2019-07, 2019-07-12/2019-07-18, 2019~)", id="new-event-date")
            yield Static("", id="new-event-date-shown")
            yield Input(placeholder="date note: how the date is known (optional)", id="new-event-date-note")
            yield Input(placeholder="title", id="new-event-title")
            yield Input(placeholder="summary (optional)", id="new-event-summary")
            yield Input(placeholder="type (letter, statement, report…; optional)", id="new-event-type")
            yield Input(placeholder="actors: ids, names or aliases, comma-separated (optional)", id="new-event-actors")
            yield Static("", id="new-event-actors-shown")
            yield Static(Text("enter: next field · ctrl+s: save · esc: cancel", style="dim"))

    def on_mount(self) -> None:
        name_fields(self, "new-event-")
        self.query_one("#new-event-date", Input).focus()

    def _date(self) -> tuple[str, str | None]:
        """The date as typed, and what is wrong with it (None: a date)."""
        from ...model.dates import DateError, parse_edtf

        value = self.query_one("#new-event-date", Input).value.strip()
        if not value:
            return value, "a date is needed"
        try:
            parse_edtf(value)
        except DateError as exc:
            return value, exc.message + (f" ({exc.hint})" if exc.hint else "")
        return value, None

    def _actors(self) -> tuple[list[str], str | None]:
        ids, problems = [], []
        for token in self.query_one("#new-event-actors", Input).value.split(","):
            if token.strip():
                try:
                    ids.append(self.corpus.resolve_actor(token.strip()))
                except LookupError as exc:
                    problems.append(str(exc))
        return ids, "; ".join(problems) or None

    def on_input_changed(self, message: Input.Changed) -> None:
        from ...model.dates import parse_edtf
        from ...model.view import row_date

        if message.input.id == "new-event-date":
            value, problem = self._date()
            shown = Text()
            if problem is None:
                date = parse_edtf(value)
                shown.append("on the timeline: " + safe_line(row_date(date)), "green")
                shown.append("  ·  " + safe_line(date.human()), "dim")
            elif value:
                shown.append(safe_line(problem), "bold red")
            self.query_one("#new-event-date-shown", Static).update(shown)
        elif message.input.id == "new-event-actors":
            ids, problem = self._actors()
            shown = Text()
            if ids:
                shown.append(safe_line(", ".join(f"{self.corpus.actors[i].name} ({i})" for i in ids)), "green")
            if problem:
                shown.append(("  " if ids else "") + safe_line(problem), "bold red")
            self.query_one("#new-event-actors-shown", Static).update(shown)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        fields = list(self.query(Input))
        i = fields.index(message.input)
        if i + 1 < len(fields):
            fields[i + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        date, problem = self._date()
        title = self.query_one("#new-event-title", Input).value.strip()
        actors, actor_problem = self._actors()
        for wrong, field in ((problem, "#new-event-date"), (None if title else "a title is needed", "#new-event-title"),
                             (actor_problem, "#new-event-actors")):
            if wrong:
                self.notify(wrong, severity="error", timeout=5)
                self.query_one(field, Input).focus()
                return
        def value(name: str) -> str:
            return self.query_one(f"#new-event-{name}", Input).value.strip()

        self.dismiss({"date": date, "title": title, "actors": actors, "type": value("type"),
                      "summary": value("summary"), "date_note": value("date-note")})

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChangesScreen(ModalScreen[None]):
    """The session's changes to corpus.json, oldest first, and those undone (which ctrl+y redoes)."""

    BINDINGS = [Binding("escape,q,L", "close", "Close", id="changes.close")]

    def __init__(self, editor: Editor) -> None:
        super().__init__()
        self.editor = editor

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="changes-body"):
            text = Text(f"Changes of this session to {safe_line(str(self.editor.file))}", style="bold")
            if not self.editor.done and not self.editor.undone:
                text.append("\n\nNone yet.", "dim")
            for n, change in enumerate(self.editor.done, 1):
                text.append(f"\n{n:>3}. ")
                text.append(safe_line(change.description))
                if change.rebased:
                    text.append("  (made on the file as changed on disk)", "dim")
            for change in reversed(self.editor.undone):
                text.append("\n     undone: ", "dim")
                text.append(safe_line(change.description), "dim strike")
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)


class EventQuotesScreen(ModalScreen[bool]):
    """An event's quotes, in order: remove one, move one up or down. Each change is written at once;
    the timeline shows them when the screen closes (dismissed with True when something was written)."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="quotes.close"),
        Binding("j,down", "cursor(1)", "Next quote", id="quotes.next"),
        Binding("k,up", "cursor(-1)", "Previous quote", id="quotes.previous"),
        Binding("K", "move(-1)", "Move up", id="quotes.move-up"),
        Binding("J", "move(1)", "Move down", id="quotes.move-down"),
        Binding("X", "remove", "Remove", id="quotes.remove"),
        Binding("ctrl+z", "undo", "Undo", id="quotes.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="quotes.redo"),
    ]

    def __init__(self, editor: Editor, event_id: str, index: int = 0) -> None:
        super().__init__()
        self.editor = editor
        self.event_id = event_id
        self.index = index
        self.changed = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="quotes-body"):
            yield Static(id="quotes-list")

    def on_mount(self) -> None:
        self._show()

    @property
    def quotes(self) -> tuple:
        event = self.editor.corpus.events_by_id.get(self.event_id)
        return event.quotes if event is not None else ()

    def _show(self) -> None:
        event = self.editor.corpus.events_by_id.get(self.event_id)
        text = Text()
        if event is None:
            text.append("This event is no longer in the corpus (changed on disk?).", "bold red")
            self.query_one("#quotes-list", Static).update(text)
            return
        quotes = event.quotes
        self.index = max(0, min(self.index, len(quotes) - 1))
        text.append(f"Quotes of “{safe_line(event.title)}” ({len(quotes)})", "bold")
        text.append("\nj k choose · K J move up, down · X remove · ctrl+z undo · ctrl+y redo · esc close", "dim")
        for n, q in enumerate(quotes):
            here = n == self.index
            text.append(("\n\n▶ " if here else "\n\n  ") + f"{n + 1}. ", "bold" if here else "")
            exact = q.exact if len(q.exact) <= 240 else q.exact[:240] + "…"
            text.append("“" + safe(exact) + "”", "reverse" if here else "")
            text.append("\n     — " + safe_line(q.document.label), "dim")
        self.query_one("#quotes-list", Static).update(text)

    def action_cursor(self, delta: int) -> None:
        if self.quotes:
            self.index = (self.index + delta) % len(self.quotes)
            self._show()

    def _do(self, change, verb: str, then: int | None = None) -> None:
        try:
            done = change()
        except EditError as exc:
            show_refusal(self.app, exc, f"Not {verb}")
            return
        if done is None:
            self.notify(f"Nothing to {'undo' if verb == 'undone' else 'redo'}.", timeout=3)
            return
        self.changed = True
        if then is not None:
            self.index = then
        self.notify(f"{verb.capitalize()}: {done.description}", timeout=3)
        self._show()

    def action_move(self, delta: int) -> None:
        index = self.index
        self._do(lambda: self.editor.move_quote(self.event_id, index, delta), "moved", index + delta)

    def action_remove(self) -> None:
        index = self.index
        self._do(lambda: self.editor.remove_quote(self.event_id, index), "removed")

    def action_undo(self) -> None:
        self._do(self.editor.undo, "undone")

    def action_redo(self) -> None:
        self._do(self.editor.redo, "redone")

    def action_close(self) -> None:
        self.dismiss(self.changed)


class ClaimScreen(ModalScreen["dict | None"]):
    """The selected passage added to a claim as one source's statement: an existing claim, or a new one.

    Dismissed with ``{"claim": id or None, "about": text (a new claim), "value": text}``, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="claim.cancel"),
        Binding("ctrl+s", "save", "Add the statement", id="claim.save"),
    ]

    NEW = "--new-claim--"

    def __init__(self, corpus, passage: str) -> None:
        super().__init__()
        self.corpus = corpus
        self.passage = passage

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        with VerticalScroll(id="claim-dialog"):
            yield Static(Text("Add the selected passage to a claim, as one source's statement", style="bold"))
            yield passage_shown(self.passage, id="claim-passage")
            options = [Option(Text("+ a new claim…", style="bold"), id=self.NEW)]
            for claim in sorted(self.corpus.claims.values(), key=lambda c: c.about.casefold()):
                label = Text(safe_line(claim.about))
                label.append(f"  ({len(claim.statements)} statements · {safe_line(claim.id)})", "dim")
                options.append(Option(label, id=claim.id))
            yield OptionList(*options, id="claim-choice")
            yield Input(placeholder="what is disputed (the new claim's question)", id="claim-about")
            yield Input(placeholder="this source's version, in a few words (optional: “37 states”)", id="claim-value")
            yield Static(Text("↑ ↓ choose · enter: next field · ctrl+s: add · esc: cancel", style="dim"))

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        name_fields(self, "claim-")
        choice = self.query_one("#claim-choice", OptionList)
        choice.highlighted = 1 if self.corpus.claims else 0
        self._show_about()
        choice.focus()

    def _chosen(self) -> str | None:
        from textual.widgets import OptionList

        choice = self.query_one("#claim-choice", OptionList)
        if choice.highlighted is None:
            return None
        return choice.get_option_at_index(choice.highlighted).id

    def _show_about(self) -> None:
        self.query_one("#claim-about", Input).display = self._chosen() == self.NEW

    def on_option_list_option_highlighted(self, message) -> None:
        self._show_about()

    def on_option_list_option_selected(self, message) -> None:
        self._show_about()
        target = "#claim-about" if self._chosen() == self.NEW else "#claim-value"
        self.query_one(target, Input).focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        if message.input.id == "claim-about":
            self.query_one("#claim-value", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        chosen = self._chosen()
        about = self.query_one("#claim-about", Input).value.strip()
        if chosen is None:
            self.notify("Choose a claim, or a new one.", severity="error", timeout=4)
            return
        if chosen == self.NEW and not about:
            self.notify("Say what is disputed: the new claim's question.", severity="error", timeout=5)
            self.query_one("#claim-about", Input).focus()
            return
        self.dismiss({"claim": None if chosen == self.NEW else chosen, "about": about,
                      "value": self.query_one("#claim-value", Input).value.strip()})

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonScreen(ModalScreen["str | None"]):
    """Why the selected passage is not citable (site boilerplate, caption, comment…): dismissed with it, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def __init__(self, passage: str) -> None:
        super().__init__()
        self.passage = passage

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reason-dialog"):
            yield Static(Text("Mark the selected passage as not citable", style="bold"))
            yield passage_shown(self.passage, id="reason-passage")
            yield Input(placeholder="why: site boilerplate, photo caption, reader comment… (enter: mark; esc: cancel)",
                        id="reason-input")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        if self.app.is_headless:
            field.cursor_blink = False
        field.focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        reason = message.value.strip()
        if not reason:
            self.notify("Say why it is not citable.", severity="error", timeout=4)
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ActorScreen(ModalScreen["dict | None"]):
    """An actor's name, aliases and members (a coalition's), the members checked as typed.

    Dismissed with ``{"name", "aliases", "members"}`` (lists of text; member ids), or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="actor.cancel"),
        Binding("ctrl+s", "save", "Save the actor", id="actor.save"),
    ]

    def __init__(self, corpus, actor_id: str) -> None:
        super().__init__()
        self.corpus = corpus
        self.actor = corpus.actors[actor_id]

    def compose(self) -> ComposeResult:
        actor = self.actor
        with VerticalScroll(id="actor-dialog"):
            title = Text("Actor ", style="bold")
            title.append(safe_line(actor.id), "bold")
            title.append(f"  ·  {safe_line(actor.kind)}", "dim")
            yield Static(title)
            yield Input(actor.name, placeholder="name", id="actor-name")
            yield Input(", ".join(actor.aliases), placeholder="aliases: other spellings, comma-separated (optional)",
                        id="actor-aliases")
            yield Input(", ".join(actor.members), placeholder="members: actors, comma-separated (a coalition's)",
                        id="actor-members")
            yield Static("", id="actor-members-shown")
            yield Static(Text("enter: next field · ctrl+s: save · esc: cancel", style="dim"))

    def on_mount(self) -> None:
        name_fields(self, "actor-")
        self._show_members()
        self.query_one("#actor-name", Input).focus()

    def _members(self) -> tuple[list[str], str | None]:
        ids, problems = [], []
        for token in self.query_one("#actor-members", Input).value.split(","):
            if token.strip():
                try:
                    ids.append(self.corpus.resolve_actor(token.strip()))
                except LookupError as exc:
                    problems.append(str(exc))
        if self.actor.id in ids:
            problems.append("an actor cannot be its own member")
        return ids, "; ".join(problems) or None

    def _show_members(self) -> None:
        ids, problem = self._members()
        shown = Text()
        if ids:
            shown.append(safe_line(", ".join(f"{self.corpus.actors[i].name} ({i})" for i in ids)), "green")
        if problem:
            shown.append(("  " if ids else "") + safe_line(problem), "bold red")
        self.query_one("#actor-members-shown", Static).update(shown)

    def on_input_changed(self, message: Input.Changed) -> None:
        if message.input.id == "actor-members":
            self._show_members()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        fields = list(self.query(Input))
        i = fields.index(message.input)
        if i + 1 < len(fields):
            fields[i + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        name = self.query_one("#actor-name", Input).value.strip()
        members, problem = self._members()
        if not name:
            self.notify("An actor needs a name.", severity="error", timeout=4)
            self.query_one("#actor-name", Input).focus()
            return
        if problem:
            self.notify(problem, severity="error", timeout=5)
            self.query_one("#actor-members", Input).focus()
            return
        aliases = [a.strip() for a in self.query_one("#actor-aliases", Input).value.split(",") if a.strip()]
        self.dismiss({"name": name, "aliases": aliases, "members": members})

    def action_cancel(self) -> None:
        self.dismiss(None)
