"""Citing a passage in the document view: select by keyboard, add as a quote, undo and redo (Pilot)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from app_support import wait_for

from textual.widgets import Static

from tui.app.app import TimelineApp
from tui.app.screens.document import DocumentScreen, DocumentView
from tui.model import load_corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


async def _document(pilot, app) -> DocumentView:
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(app.screen, DocumentScreen))
    await pilot.pause()
    return app.screen.query_one(DocumentView)


async def test_select_extend_add_as_quote_then_undo_and_redo(corpus: Path) -> None:
    original = (corpus / "corpus.json").read_bytes()
    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _document(pilot, app)
        quote = app.screen.quote
        await pilot.press("v")
        assert view.selection == (quote.start, quote.end)  # starts at the quote shown
        await pilot.press("s")
        start, end = view.selection
        assert start == quote.start and end > quote.end
        text = view.document.text
        assert text[end - 1] in ".!?”’\"')]"
        await pilot.press("W")
        assert view.selection[1] < end
        await pilot.press("w")
        assert view.selection == (start, end)
        status = str(app.screen.query_one("#document-status").render())
        assert f"Selected {start}–{end}" in status
        await pilot.press("A")
        await wait_for(pilot, lambda: app.current_event is not None and len(app.current_event.quotes) == 6)
        added = load_corpus(corpus).events_by_id["july-12-letter"].quotes[-1]
        assert (added.document.id, added.start, added.end) == (view.document.id, start, end)
        await _document(pilot, app)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.current_event is not None and len(app.current_event.quotes) == 5)
        assert (corpus / "corpus.json").read_bytes() == original
        await _document(pilot, app)
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.current_event is not None and len(app.current_event.quotes) == 6)
        assert len(load_corpus(corpus).events_by_id["july-12-letter"].quotes) == 6


async def test_a_passage_not_citable_is_refused_with_the_reason(corpus: Path) -> None:
    original = (corpus / "corpus.json").read_bytes()
    app = TimelineApp(load_corpus(corpus), event_id="china-qatar-trade-2018")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _document(pilot, app)
        ex = view.document.exclusions[0]
        app.screen._select((ex.start, ex.end))
        await pilot.pause()
        assert "not citable" in str(app.screen.query_one("#document-status").render())
        await pilot.press("A")
        await pilot.pause()
        assert "not citable" in str(app.screen.problems[0].message)
        assert (corpus / "corpus.json").read_bytes() == original


async def test_escape_clears_the_selection_before_closing(corpus: Path) -> None:
    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _document(pilot, app)
        await pilot.press("v", "escape")
        assert view.selection is None and isinstance(app.screen, DocumentScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, DocumentScreen)


async def test_a_converted_source_is_read_only_in_the_app(tmp_path: Path) -> None:
    from tui.model.opening import Source, open_source

    corpus_ = open_source(Source(str(ROOT / "tests" / "data" / "timelinejs" / "eras.json")))
    app = TimelineApp(corpus_)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if app.current_event is None or not app.current_event.quotes:
            pytest.skip("the converted file's first event cites nothing to open")
        view = await _document(pilot, app)
        await pilot.press("v", "A")
        await pilot.pause()
        assert "read-only" in app.screen.problems[0].message and "import" in app.screen.problems[0].hint
        assert view.selection is not None


async def test_the_editing_keys_are_in_the_palette_and_the_help(corpus: Path) -> None:
    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await _document(pilot, app)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Select", "Add as quote", "Undo", "Redo", "Extend by a sentence", "Find", "Add to a claim",
                "Mark not citable"} <= titles
        main = {c.title for c in app.get_system_commands(app.screen_stack[0])}
        assert {"Edit quotes", "Edit actor", "Triage drafts"} <= main
        help_rows = [row for _, rows in app._help_sections() for row in rows]
        assert any("Add as quote" in what for _, what in help_rows)
        for what in ("Find in this document", "Add to a claim", "Mark not citable", "Edit the actor under the cursor",
                     "remove one, move one up or down"):
            assert any(what in row for _, row in help_rows), what


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    from tui.cli import main

    seeds = ROOT / "seeds"
    out = tmp_path / "drafts" / "corpus.json"
    assert main(["extract", str(seeds / "000_2850487d08e3d448.txt"), str(seeds / "001_7d40094ea373a31e.txt"),
                 "--published", "2019-08-21", "--corpus", str(seeds), "-o", str(out)]) == 0
    return out.parent


async def test_triage_accepts_rejects_merges_and_counts(drafts: Path) -> None:
    from tui.app.screens.editing import TriageScreen

    before = load_corpus(drafts)
    ids = [e.id for e in before.events if e.draft]
    assert len(ids) >= 4
    app = TimelineApp(before)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        screen = app.screen
        assert f"Drafts: {len(ids)} left" in str(screen.query_one("#triage-count").render())
        await pilot.press("Y")  # the first accepted
        await pilot.press("X")  # the next rejected
        await pilot.pause()
        assert f"Drafts: {len(ids) - 2} left" in str(screen.query_one("#triage-count").render())
        await pilot.press("M")
        await pilot.press(*ids[0], "enter")  # the third merged into the accepted one
        await pilot.pause()
        on_disk = load_corpus(drafts)
        assert not on_disk.events_by_id[ids[0]].draft
        assert ids[1] not in on_disk.events_by_id and ids[2] not in on_disk.events_by_id
        merged_exacts = {q.exact for q in on_disk.events_by_id[ids[0]].quotes}
        assert {q.exact for q in before.events_by_id[ids[2]].quotes} <= merged_exacts
        await pilot.press("ctrl+z")  # the merge undone
        await pilot.pause()
        assert ids[2] in load_corpus(drafts).events_by_id
        assert f"Drafts: {len(ids) - 2} left" in str(screen.query_one("#triage-count").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.store is not None and len(app.store) == len(ids) - 1 and not isinstance(app.screen, TriageScreen))


async def test_new_event_from_a_selection_with_the_date_checked_as_typed(corpus: Path) -> None:
    from tui.app.screens.editing import NewEventScreen

    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _document(pilot, app)
        await pilot.press("v", "E")
        await wait_for(pilot, lambda: isinstance(app.screen, NewEventScreen))
        form = app.screen
        start, end = view.selection
        await pilot.press(*"2019-02-30")
        await pilot.pause()
        assert "28 days" in str(form.query_one("#new-event-date-shown").render())
        await pilot.press("ctrl+s")  # refused: the date is not one
        assert app.screen is form
        for _ in range(2):
            await pilot.press("backspace")
        await pilot.press(*"28")
        await pilot.pause()
        assert "28 February 2019" in str(form.query_one("#new-event-date-shown").render())
        assert "28 Feb 2019" in str(form.query_one("#new-event-date-shown").render())  # the timeline's row
        await pilot.press("enter", *"on the letter", "enter", *"Envoys sign", "enter", *"They sign.", "enter",
                          *"letter", "enter", *"Qatar, nobody")
        await pilot.pause()
        assert "no actor 'nobody'" in str(form.query_one("#new-event-actors-shown").render())
        for _ in range(len(", nobody")):
            await pilot.press("backspace")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "envoys-sign" in load_corpus(corpus).events_by_id)
        event = load_corpus(corpus).events_by_id["envoys-sign"]
        assert (event.date.text, event.title, event.type, event.actors) == ("2019-02-28", "Envoys sign", "letter",
                                                                            ("qatar",))
        assert (event.quotes[0].start, event.quotes[0].end) == (start, end)
        assert (event.summary, event.date_note) == ("They sign.", "on the letter")
        await wait_for(pilot, lambda: app.current_event is not None and app.current_event.id == "envoys-sign")


async def test_the_session_changes_are_listed(corpus: Path) -> None:
    from tui.app.screens.editing import ChangesScreen

    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await _document(pilot, app)
        await pilot.press("v", "s", "A")
        await wait_for(pilot, lambda: app.current_event is not None and len(app.current_event.quotes) == 6)
        await _document(pilot, app)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.current_event is not None and len(app.current_event.quotes) == 5)
        await _document(pilot, app)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
        shown = str(app.screen.query_one(Static).render())
        assert "undone: add a quote of theprint-qatar to july-12-letter" in shown


async def test_find_in_the_document_then_select_the_match(corpus: Path) -> None:
    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _document(pilot, app)
        text = view.document.text
        word = "the"
        await pilot.press("slash", *word)
        await pilot.pause()
        assert view._matches and all(text[s:e].lower() == word for s, e in view._matches)
        first = app.screen._match_cursor
        assert view._matches[first][0] >= view.top_offset() or first == 0
        assert f"Match {first + 1} of {len(view._matches)}" in str(app.screen.query_one("#document-status").render())
        await pilot.press("enter")  # kept; the view has the keys again
        assert app.screen.focused is view
        await pilot.press("n", "n", "N")
        cursor = app.screen._match_cursor
        assert cursor == (first + 1) % len(view._matches)
        await pilot.press("v")
        assert view.selection == view._matches[cursor]
        await pilot.press("escape", "slash", *"zzqqx")  # no match; esc brings the search before back
        await pilot.pause()
        assert view._matches == [] and "No match" in str(app.screen.query_one("#document-status").render())
        await pilot.press("escape")
        assert isinstance(app.screen, DocumentScreen) and view.pattern is not None and view.pattern.text == word
        assert app.screen._match_cursor == cursor


async def test_an_events_quotes_are_removed_and_reordered(corpus: Path) -> None:
    from tui.app.screens.editing import EventQuotesScreen

    before = [q.exact for q in load_corpus(corpus).events_by_id["july-12-letter"].quotes]
    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("Q")
        await wait_for(pilot, lambda: isinstance(app.screen, EventQuotesScreen))
        screen = app.screen
        await pilot.press("J")  # the first quote moved down: the cursor follows it
        await pilot.pause()
        assert screen.index == 1
        assert [q.exact for q in load_corpus(corpus).events_by_id["july-12-letter"].quotes][:2] == [before[1], before[0]]
        await pilot.press("j", "X")  # the third removed
        await pilot.pause()
        assert [q.exact for q in load_corpus(corpus).events_by_id["july-12-letter"].quotes] == \
            [before[1], before[0], *before[3:]]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(load_corpus(corpus).events_by_id["july-12-letter"].quotes) == len(before)
        assert "Quotes of" in str(screen.query_one("#quotes-list").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, EventQuotesScreen) and app.current_event is not None
                       and app.current_event.quotes[0].exact == before[1])
        assert app.current_event.id == "july-12-letter"


async def test_the_selection_joins_a_claim_or_makes_a_new_one(corpus: Path) -> None:
    from tui.app.screens.editing import ClaimScreen

    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _document(pilot, app)
        await pilot.press("v", "K")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimScreen))
        start, end = view.selection
        claims = sorted(load_corpus(corpus).claims.values(), key=lambda c: c.about.casefold())
        assert not app.screen.query_one("#claim-about").display  # an existing claim is highlighted first
        await pilot.press("enter", *"37 states (again)", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ClaimScreen)
                       and len(load_corpus(corpus).claims[claims[0].id].statements) == len(claims[0].statements) + 1)
        added = load_corpus(corpus).claims[claims[0].id].statements[-1]
        assert (added.document.id, added.start, added.end, added.value) == (view.document.id, start, end,
                                                                           "37 states (again)")
        view = await _document(pilot, app)
        await pilot.press("v", "s", "K")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimScreen))
        await pilot.press("home")  # a new claim
        await pilot.pause()
        assert app.screen.query_one("#claim-about").display
        await pilot.press("enter", *"Who signed first", "enter", *"Saudi Arabia", "enter")
        await wait_for(pilot, lambda: "who-signed-first" in load_corpus(corpus).claims)
        claim = load_corpus(corpus).claims["who-signed-first"]
        assert claim.events == ("july-12-letter",) and claim.statements[0].value == "Saudi Arabia"


async def test_a_passage_is_marked_not_citable_with_a_reason(corpus: Path) -> None:
    from tui.app.screens.editing import ReasonScreen

    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _document(pilot, app)
        await pilot.press("v", "X")  # the quote itself: refused, an event cites it
        await wait_for(pilot, lambda: isinstance(app.screen, ReasonScreen))
        await pilot.press(*"boilerplate", "enter")
        await wait_for(pilot, lambda: hasattr(app.screen, "problems"))
        assert any(p.code == "anchor-excluded" for p in app.screen.problems)
        await pilot.press("escape")
        await pilot.pause()
        text = view.document.text
        cited = [(q.start, q.end) for e in load_corpus(corpus).events for q in e.quotes
                 if q.document.id == view.document.id]
        start = next(m.start() for m in __import__("re").finditer(r"\w+ \w+ \w+", text)
                     if all(e <= m.start() or s >= m.end() for s, e in cited)
                     and view.document.exclusion_at(*m.span()) is None)
        app.screen._select((start, start + len(text[start:].split(" ", 3)[0]) + 1))
        span = view.selection
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, ReasonScreen))
        await pilot.press(*"site boilerplate", "enter")
        await wait_for(pilot, lambda: any((ex.start, ex.end) == span
                                          for ex in load_corpus(corpus).documents[view.document.id].exclusions))


async def test_an_actor_is_renamed_given_aliases_and_members(corpus: Path) -> None:
    from tui.app.screens.editing import ActorScreen

    app = TimelineApp(load_corpus(corpus), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"qat", "down")
        await pilot.pause()
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ActorScreen))
        form = app.screen
        assert form.actor.id == "qatar"
        assert form.query_one("#actor-aliases").value == "Qatari, Doha"
        await pilot.press("ctrl+a", "ctrl+k", *"State of Qatar", "enter", "end", *", Al Thani", "enter",
                          *"nobody")
        await pilot.pause()
        assert "no actor 'nobody'" in str(form.query_one("#actor-members-shown").render())
        await pilot.press("ctrl+s")  # refused: an unknown member
        assert app.screen is form
        for _ in "nobody":
            await pilot.press("backspace")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: load_corpus(corpus).actors["qatar"].name == "State of Qatar")
        assert load_corpus(corpus).actors["qatar"].aliases == ("Qatari", "Doha", "Al Thani")
        await wait_for(pilot, lambda: app.store is not None and app.store.actors["qatar"].name == "State of Qatar")


async def test_a_dimmed_passage_found_is_made_citable_again(corpus: Path) -> None:
    import re

    from tui.app.screens.confirm import ConfirmScreen

    app = TimelineApp(load_corpus(corpus), event_id="china-qatar-trade-2018")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _document(pilot, app)
        doc = view.document
        before = [(ex.start, ex.end) for ex in doc.exclusions]
        # a word found first inside a dimmed passage, and nowhere else
        word, marked = next((m.group(), ex) for ex in doc.exclusions
                            for m in re.finditer(r"[A-Za-z]{6,}", doc.text[ex.start:ex.end])
                            if doc.text.count(m.group()) == 1)
        await pilot.press("X")  # nothing selected, no match: says how
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("slash", *word, "enter")
        await pilot.pause()
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "citable again" in app.screen.question
        await pilot.press("y")
        await wait_for(pilot, lambda: [(ex.start, ex.end) for ex in load_corpus(corpus).documents[doc.id].exclusions]
                       == [span for span in before if span != (marked.start, marked.end)])
