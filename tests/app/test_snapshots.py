"""Snapshot tests of the app's screens (review each SVG as a picture before accepting it).

Deterministic by construction: fixed terminal sizes, the fixed theme the app
sets, no clock anywhere, and no blinking cursor under the headless driver.
"""

from __future__ import annotations

from pathlib import Path

from tui.app.app import TimelineApp
from tui.model import load_corpus
from tui.model.corpus import Query

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
HOSTILE = ROOT / "tests" / "data" / "hostile"


def seeds_app(**kwargs) -> TimelineApp:
    return TimelineApp(load_corpus(SEEDS, allow_unanchored=True), **kwargs)


def test_opening_screen(snap_compare):
    assert snap_compare(seeds_app(), terminal_size=(120, 40))


def test_actor_filter_applied(snap_compare):
    # a → narrow to "qat" → down into the list → toggle Qatar → back to the timeline.
    assert snap_compare(seeds_app(), press=["a", "q", "a", "t", "down", "space", "tab"], terminal_size=(120, 40))


def test_search_with_matches(snap_compare):
    assert snap_compare(seeds_app(), press=["slash", *"uyghur", "enter"], terminal_size=(120, 40))


def test_event_with_several_sources(snap_compare):
    # The July 18 withdrawal, reported by two documents, its second quote selected.
    assert snap_compare(seeds_app(event_id="qatar-withdraws-july-18"), press=["right_square_bracket"],
                        terminal_size=(120, 40))


def test_event_with_a_claim(snap_compare):
    # The July 12 letter: 37 or 13 signatories; the viewer scrolled down to the claim table.
    async def scroll_viewer(pilot):
        await pilot.pause()
        pilot.app.query_one("#viewer").scroll_end(animate=False)

    assert snap_compare(seeds_app(event_id="july-12-letter"), run_before=scroll_viewer, terminal_size=(140, 45))


def test_document_view_at_quote(snap_compare):
    assert snap_compare(seeds_app(event_id="qatar-withdraws-july-18"), press=["o"], terminal_size=(120, 40))


def test_document_view_shows_excluded_passages(snap_compare):
    # The last quote of the Yusuf event sits near ThePrint's boilerplate and reader comment.
    assert snap_compare(seeds_app(event_id="china-qatar-trade-2018"), press=["o", "G"], terminal_size=(120, 40))


def test_help_screen(snap_compare):
    assert snap_compare(seeds_app(), press=["question_mark"], terminal_size=(120, 48))


def test_layout_80x24(snap_compare):
    assert snap_compare(seeds_app(event_id="july-8-statement"), terminal_size=(80, 24))


def test_layout_80x24_with_actor_pane(snap_compare):
    assert snap_compare(seeds_app(), press=["a", *"ger"], terminal_size=(80, 24))


def test_layout_60x20(snap_compare):
    assert snap_compare(seeds_app(event_id="july-12-letter"), terminal_size=(60, 20))


def test_layout_200x60(snap_compare):
    assert snap_compare(seeds_app(event_id="july-8-statement"), terminal_size=(200, 60))


def test_filter_with_no_results(snap_compare):
    app = seeds_app(query=Query(actors=frozenset({"japan"}), date_from=None), find="")
    # Japan's only event is the July 8 statement; a date range after it leaves nothing.
    from tui.model.dates import parse_edtf

    app.query_state = Query(actors=frozenset({"japan"}), date_from=parse_edtf("2019-08"))
    assert snap_compare(app, terminal_size=(120, 30))


def test_hostile_text_is_shown_literally(snap_compare):
    app = TimelineApp(load_corpus(HOSTILE))
    assert snap_compare(app, terminal_size=(140, 40))


def test_hostile_text_in_document_view(snap_compare):
    app = TimelineApp(load_corpus(HOSTILE), event_id="escape-event")
    assert snap_compare(app, press=["o"], terminal_size=(120, 30))


# -- the research workflow ------------------------------------------------------------------------
#
# The marks and notes of these corpora live beside a copy of the seeds at a fixed path, so
# that the paths the screens show are the same on every machine.

FIXED = Path("/tmp/timeline-explorer-snapshots")


def fixed_seeds_app(**kwargs) -> TimelineApp:
    import shutil

    shutil.rmtree(FIXED, ignore_errors=True)
    shutil.copytree(SEEDS, FIXED / "seeds")
    return TimelineApp(load_corpus(FIXED / "seeds"), **kwargs)


def test_marks_and_notes_list(snap_compare):
    app = fixed_seeds_app(event_id="july-8-statement")
    keys = ["m", "e", *"Compare with the 37 of July 12.", "escape", "j", "j", "m", "M"]
    assert snap_compare(app, press=keys, terminal_size=(120, 36))


def test_note_editor(snap_compare):
    app = fixed_seeds_app(event_id="qatar-withdraws-july-18")
    assert snap_compare(app, press=["e", *"Ask ThePrint about the date."], terminal_size=(120, 36))


def test_marked_event_in_timeline(snap_compare):
    app = fixed_seeds_app(event_id="july-12-letter")
    assert snap_compare(app, press=["m", "e", *"37 or 13?", "escape"], terminal_size=(120, 36))


def test_saved_views(snap_compare):
    from tui.model.notes import NotesStore

    app = fixed_seeds_app()
    store = NotesStore.open(FIXED / "seeds" / "corpus.notes.json")
    store.save_view("Qatar in July 2019", {"actors": ["qatar"], "from": "2019-07", "to": "2019-07", "types": [],
                                           "search": ""})
    store.save_view("Uyghur spellings", {"actors": [], "from": None, "to": None, "types": [], "search": "Uyghur"})
    assert snap_compare(app, press=["v"], terminal_size=(120, 36))


def test_export_dialog(snap_compare, monkeypatch):
    app = fixed_seeds_app(event_id="july-8-statement")
    monkeypatch.chdir(FIXED)  # the suggested file name is in the current folder
    assert snap_compare(app, press=["m", "x"], terminal_size=(120, 36))


def test_disagreements_view(snap_compare):
    assert snap_compare(seeds_app(), press=["D"], terminal_size=(140, 45))


def test_coverage_view(snap_compare):
    assert snap_compare(seeds_app(event_id="july-12-letter"), press=["C", "j", "j", "l"], terminal_size=(120, 30))


def test_density_zoomed_into_a_month(snap_compare):
    assert snap_compare(seeds_app(event_id="july-12-letter"), press=["z"], terminal_size=(120, 36))


def test_document_view_with_a_selection(snap_compare):
    """A passage selected to cite: highlighted, its offsets and what A does in the status line."""
    assert snap_compare(seeds_app(event_id="july-12-letter"), press=["o", "v", "s", "s"], terminal_size=(120, 40))


def test_draft_triage(snap_compare, tmp_path):
    """The triage of extract's candidates: the count left, the draft with its quotes, the keys."""
    from tui.cli import main

    out = tmp_path / "drafts" / "corpus.json"
    assert main(["extract", str(SEEDS / "000_2850487d08e3d448.txt"), "--published", "2019-08-21",
                 "--corpus", str(SEEDS), "-o", str(out)]) == 0
    assert snap_compare(TimelineApp(load_corpus(out.parent)), press=["T"], terminal_size=(120, 40))


def test_new_event_form(snap_compare):
    """The form for a new event from a selected passage: the date shown as the timeline shows it, actors matched."""
    assert snap_compare(seeds_app(event_id="july-12-letter"),
                        press=["o", "v", "E", *"2019-07-12~", "enter", *"the letter's date", "enter",
                               *"States back China", "enter", *"37 states sign.", "enter", "enter",
                               *"Qatar, Pakistan"], terminal_size=(120, 40))


def test_document_find(snap_compare):
    """Find in the document (/): the matches highlighted as typed, which of how many is shown."""
    assert snap_compare(seeds_app(event_id="july-12-letter"), press=["o", "slash", *"uighur"],
                        terminal_size=(120, 40))


def test_event_quotes_editor(snap_compare, tmp_path):
    """An event's quotes, to remove or reorder: the one under the cursor shown reversed, the keys."""
    import shutil

    shutil.copytree(SEEDS, tmp_path / "corpus")
    app = TimelineApp(load_corpus(tmp_path / "corpus"), event_id="july-12-letter")
    assert snap_compare(app, press=["Q", "j"], terminal_size=(120, 40))


def test_add_to_a_claim(snap_compare):
    """The selected passage added to a claim: the claims to choose from (or a new one), the source's version."""
    assert snap_compare(seeds_app(event_id="july-12-letter"), press=["o", "v", "K", "enter", *"37 states"],
                        terminal_size=(120, 40))


def test_mark_not_citable(snap_compare):
    """The selected passage marked as not citable: the reason asked for."""
    assert snap_compare(seeds_app(event_id="july-12-letter"), press=["o", "v", "X", *"photo caption"],
                        terminal_size=(120, 40))


def test_actor_editor(snap_compare):
    """An actor's name, aliases and members, the members matched as typed."""
    assert snap_compare(seeds_app(), press=["a", *"qat", "down", "R", "enter", "enter", *"China, nobody"],
                        terminal_size=(120, 40))


def test_document_status_with_a_long_title(snap_compare):
    """A long event title takes one line of the status, cut: the match and the selection stay on the second."""
    assert snap_compare(seeds_app(event_id="past-unrest-in-xinjiang"),
                        press=["o", "slash", *"detention", "enter", "n", "v"], terminal_size=(120, 40))
