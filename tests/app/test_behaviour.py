"""The app's behaviour, driven with Pilot: state and what is on screen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from tui.app.app import TimelineApp
from tui.model.cslformat import plain_citation as citation_text
from tui.app.screens.dialogs import DateRangeScreen, HelpScreen, ProblemsScreen
from tui.app.screens.document import DocumentScreen, DocumentView, wrap_offsets
from tui.app.widgets.actors import ActorList
from tui.app.widgets.timeline import TimelineView
from tui.app.widgets.viewer import QuoteViewer
from tui.model import load_corpus

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
HOSTILE = ROOT / "tests" / "data" / "hostile"


def app_on(corpus_path=SEEDS, **kwargs) -> TimelineApp:
    return TimelineApp(load_corpus(corpus_path, allow_unanchored=True), **kwargs)


def shown_ids(app: TimelineApp) -> list[str]:
    timeline = app.query_one(TimelineView)
    return [timeline.event_at(i).id for i in range(len(timeline.rows)) if timeline.event_at(i) is not None]


def header(app: TimelineApp) -> str:
    return str(app.query_one("#header-bar", Static).render())


def viewer_text(app: TimelineApp) -> str:
    """The viewer's content as plain text, tables included."""
    return app.query_one(QuoteViewer).plain_text()


async def toggle_actor(pilot, name: str) -> None:
    await pilot.press("a", *name, "down", "space")
    await pilot.pause()


async def test_opens_on_the_whole_chronology_in_order():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ids = shown_ids(app)
        assert len(ids) == 22
        assert ids == [e.id for e in app.corpus.events]
        assert "22 of 22 events" in header(app)
        assert app.current_event.id == ids[0]
        assert app.focused is app.query_one(TimelineView)


async def test_filtering_by_qatar_keeps_the_july_12_letter_and_the_withdrawal():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        await toggle_actor(pilot, "qatar")
        assert app.query_state.actors == {"qatar"}
        ids = shown_ids(app)
        assert "july-12-letter" in ids  # through the coalition of signatories
        assert "qatar-withdraws-july-18" in ids  # directly
        assert "july-8-statement" not in ids
        assert f"{len(ids)} of 22 events" in header(app)
        assert "actor: Qatar" in header(app)


async def test_germany_shows_the_july_8_statement_and_the_envoys_letter_only():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        await toggle_actor(pilot, "germany")
        assert shown_ids(app) == ["envoys-letter-to-chen-quanguo", "july-8-statement"]


async def test_several_actors_means_any_of_them_and_c_clears():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        await toggle_actor(pilot, "germany")
        await pilot.press(*["backspace"] * 7)
        await toggle_actor(pilot, "wang")
        assert app.query_state.actors == {"germany", "wang-yi"}
        assert set(shown_ids(app)) == {"envoys-letter-to-chen-quanguo", "july-8-statement", "wang-yi-ignore-gossip",
                                       "canada-raises-at-un-general-assembly"}
        await pilot.press("escape", "c")
        await pilot.pause()
        assert app.query_state.is_empty()
        assert len(shown_ids(app)) == 22


async def test_actor_counts_follow_the_other_filters():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        actor_list = app.query_one(ActorList)
        assert actor_list.count("qatar") == 4
        assert actor_list.count("germany") == 2
        await pilot.press("slash", *"withdraw", "enter", "f")  # only matches: the search narrows too
        await pilot.pause()
        assert app.narrow_to_find
        assert actor_list.count("germany") == 0
        assert actor_list.count("qatar") >= 1


async def test_opening_the_july_18_event_shows_both_documents_that_report_it():
    app = app_on(event_id="qatar-withdraws-july-18")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        assert app.current_event.id == "qatar-withdraws-july-18"
        text = viewer_text(app)
        assert "Qatar refuses to certify China’s human rights record" in text  # ThePrint
        assert "Qatar withdraws support for China over Beijing’s crackdown" in text  # Middle East Confidential
        assert "Sources: 2 documents, 7 quotes" in text
        assert "wrote to Seck on July 18" in text
        assert "Sources disagree: Why Qatar withdrew" in text


async def test_keys_move_through_events_skipping_headings():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        events = app.corpus.events
        await pilot.press("j")
        assert app.current_event is events[1]
        await pilot.press("j", "j", "k")
        assert app.current_event is events[2]
        await pilot.press("G")
        assert app.current_event is events[-1]
        await pilot.press("g")
        assert app.current_event is events[0]
        await pilot.press("pagedown")
        assert app.current_event.position > 5
        await pilot.press("end", "up")
        assert app.current_event is events[-2]


async def test_search_matches_alias_spellings_and_n_moves_between_matches():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"Uygur", "enter")
        await pilot.pause()
        matched = {app.corpus.events[p].id for p in list(app.matches)}
        # Events whose texts only say "Uighur" are found through the actor's aliases.
        assert "july-12-letter" in matched
        assert "amnesty-describes-campaign" in matched
        assert "china-qatar-trade-2018" not in matched
        assert "search “Uygur”" in header(app)
        first = app.current_event.position
        assert first in list(app.matches)
        await pilot.press("n")
        second = app.current_event.position
        assert second in list(app.matches) and second > first
        await pilot.press("N")
        assert app.current_event.position == first
        # Nothing is filtered by a search alone; f narrows, esc clears.
        assert len(shown_ids(app)) == 22
        await pilot.press("f")
        assert len(shown_ids(app)) == len(list(app.matches))
        await pilot.press("escape")
        await pilot.pause()
        assert app.find_text == "" and len(shown_ids(app)) == 22


async def test_search_is_incremental():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"Coly")
        await pilot.pause(0.3)
        assert app.find_text == "Coly"
        assert {app.corpus.events[p].id for p in list(app.matches)} == {"qatar-withdraws-july-18"}


async def test_quote_keys_and_copy_with_citation():
    app = app_on(event_id="qatar-withdraws-july-18")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        event = app.current_event
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.quote_index == 2
        await pilot.press("left_square_bracket")
        assert app.quote_index == 1
        await pilot.press("y")
        quote = event.quotes[1]
        assert app.last_copied == citation_text(quote)
        assert app.last_copied.startswith("“" + quote.text + "”")
        assert "ThePrint (Bloomberg report), August 2019" in app.last_copied
        assert quote.text == quote.document.text[quote.start:quote.end]


async def test_document_view_opens_at_the_quote_and_walks_the_event_quotes():
    app = app_on(event_id="qatar-withdraws-july-18")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        view = screen.query_one(DocumentView)
        assert view.document.id == "theprint-qatar"
        quote = screen.quote
        first_row = view.row_of_offset(quote.start)
        assert view.scroll_offset.y <= first_row < view.scroll_offset.y + view.size.height
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert screen.quote_index == 2
        assert screen.query_one(DocumentView).document.id == "theprint-qatar"  # its three quotes come first
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.quote_index == 3
        assert screen.query_one(DocumentView).document.id == "mec-qatar"  # switched document
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DocumentScreen)
        assert app.quote_index == 3  # the viewer follows where the reader went


async def test_main_screen_actions_do_nothing_on_the_document_screen():
    app = app_on(event_id="july-8-statement")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("a", "c", "slash")  # would touch widgets of the main screen
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)


async def test_date_range_dialog_filters_by_overlap():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DateRangeScreen)
        await pilot.press(*"2019-07", "enter", *"2019-07", "enter")
        await pilot.pause()
        ids = shown_ids(app)
        assert "july-12-letter" in ids and "july-8-statement" in ids
        assert "detentions-since-2017" in ids  # an ongoing interval overlaps July 2019
        assert "ablikim-yusuf-deportation" in ids  # the year 2019 overlaps July 2019
        assert "rights-groups-letter-to-guterres" not in ids
        assert "from July 2019; to July 2019" in header(app)


async def test_date_range_dialog_rejects_a_bad_date_with_a_message():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d", *"2019-02-30", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DateRangeScreen)
        message = str(app.screen.query_one("#dates-error", Static).render())
        assert "February 2019 has 28 days" in message


async def test_help_lists_every_key_of_the_main_screen():
    app = app_on()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {d for _, rows in app.screen.sections for _, d in rows}
        for needed in ("Quit", "Next event", "Copy the selected quote with its citation (title, outlet, date)",
                       "Open the source document at the selected quote", "Previous quote of the event",
                       "Next event matching the search", "Clear all filters and the search"):
            assert needed in described
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_tab_cycles_the_panes():
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.focused is app.query_one(TimelineView)
        await pilot.press("tab")
        assert app.focused is app.query_one(QuoteViewer)
        await pilot.press("tab")
        assert app.focused is app.query_one(ActorList)
        await pilot.press("tab")
        assert app.focused is app.query_one(TimelineView)


async def test_keymap_remaps_a_binding_by_id(tmp_path, monkeypatch):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\n"timeline.down" = "x"\n"no.such.binding" = "z"\n', encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EXPLORER_KEYMAP", str(keymap))
    app = app_on()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("x")
        assert app.current_event is app.corpus.events[1]
        await pilot.press("j")  # no longer bound
        assert app.current_event is app.corpus.events[1]
        warnings = [n.message for n in app._notifications]
        assert any("no.such.binding" in w for w in warnings)


@pytest.mark.parametrize("size", [(60, 20), (40, 12), (80, 24), (200, 60)])
async def test_small_and_large_terminals_do_not_crash(size):
    app = app_on()
    async with app.run_test(size=size) as pilot:
        await pilot.press("j", "a", *"qa", "down", "space", "escape", "slash", *"letter", "enter", "n", "o")
        await pilot.pause()
        await pilot.press("right_square_bracket", "escape", "question_mark", "escape", "q")


async def test_a_corpus_with_unanchored_quotes_opens_and_lists_them(tmp_path):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus_dir)
    data = json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))
    data["events"][0]["quotes"][0]["exact"] = "a passage that is in no document at all"
    (corpus_dir / "corpus.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    app = TimelineApp(load_corpus(corpus_dir, allow_unanchored=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        event = app.corpus.events_by_id[data["events"][0]["id"]]
        assert not event.quotes[0].anchored
        assert "1 unanchored (p)" in header(app)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        problems = " ".join(str(s.content) for s in app.screen.query(".problem"))
        assert 'events[0].quotes[0] (event "past-unrest-in-xinjiang")' in problems
        assert "not in the document" in problems


async def test_hostile_text_is_never_markup_or_escape_codes():
    app = app_on(HOSTILE, event_id="markup-event")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
        assert "[bold&#160;red]Markup[/bold&#160;red]" in svg  # shown literally
        assert "\x1b" not in svg and "\x07" not in svg and "\u202e" not in svg
        assert "␛[31m" in svg  # the escape shown as a control picture
        assert "⟨RLO⟩" in svg
        assert app.is_running  # the [@click=app.quit] text did not act


def test_wrap_offsets_cover_the_text_exactly():
    text = "one two three four five six seven\n\nlong-unbreakable-word-here and more\nend"
    rows = wrap_offsets(text, 10)
    rebuilt = []
    for start, end in rows:
        assert end - start <= 10
        rebuilt.append(text[start:end])
    assert "".join(rebuilt).replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_the_keys_reference_in_docs_is_current():
    """docs/keys.md lists every binding id (for remapping); it is generated from the bindings."""
    from tui.app.app import _all_bindings, keys_reference

    shipped = (ROOT / "docs" / "keys.md").read_text(encoding="utf-8")
    assert shipped == keys_reference(), "regenerate docs/keys.md (see its header)"
    assert all(f"`{b.id}`" in shipped for b in _all_bindings() if b.id)


async def test_copy_formats_the_citation_in_the_style_of_the_settings(tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text('[citation]\nstyle = "apa"\n', encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EXPLORER_SETTINGS", str(settings))
    app = app_on(event_id="qatar-withdraws-july-18")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("y")
        quote = app.current_event.quotes[0]
        doc = quote.document
        # APA: the title in the author's place (once), the date in parentheses, the outlet, the URL.
        assert app.last_copied == (f"“{quote.text}” — {doc.title}. (2019, August). In {doc.outlet}. {doc.url}")
        assert app.last_copied.count(doc.title) == 1
        # A style that does not exist: the plain citation, and a warning that says so.
        settings.write_text('[citation]\nstyle = "no-such-style"\n', encoding="utf-8")
        await pilot.press("y")
        await pilot.pause()
        assert app.last_copied == citation_text(quote)
        assert any("no style 'no-such-style'" in str(n.message) for n in app._notifications)


async def test_w_in_a_terminal_shows_the_documents_address_and_opens_nothing(monkeypatch):
    """Only a browser (``serve``) opens the address, in a new tab; a terminal's console browser could
    take the screen over, so there it is shown. An address that is not http(s) is never opened."""
    opened: list[str] = []
    app = app_on(event_id="qatar-withdraws-july-18")
    monkeypatch.setattr(type(app), "open_url", lambda self, url, new_tab=True: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("O")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Its web address: https://theprint.in/") for m in messages), messages
        assert opened == []

        monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
        await pilot.press("O")
        await pilot.pause()
        assert opened and opened[0].startswith("https://theprint.in/")

        app.screen.quote.document.url = "javascript:alert(1)"
        await pilot.press("O")
        await pilot.pause()
        assert len(opened) == 1
        assert any("no web address" in n.message for n in app._notifications)
