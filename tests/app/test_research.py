"""The research workflow in the app, driven with Pilot: marks and notes that are
never lost, saved views, exports, the disagreements and coverage views, the
time-density strip and zoom, named periods."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import orjson
import pytest
from textual.widgets import Input, OptionList, RadioButton, Static, TextArea

from tui.app.app import TimelineApp
from tui.app.screens.document import DocumentScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.coverage import CoverageMatrix, CoverageScreen
from tui.app.screens.disagreements import DisagreementsScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.marks import MarksScreen
from tui.app.screens.notes import NoteScreen
from tui.app.screens.views import ViewsScreen
from tui.app.widgets.density import DensityStrip
from tui.app.widgets.timeline import TimelineView
from tui.app.widgets.viewer import QuoteViewer
from tui.model import load_corpus
from tui.model import notes as notes_module
from tui.model.corpus import Query
from tui.model.notes import NotesStore

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A copy of the seeds in a writable folder: the sidecar goes beside its corpus.json."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def sidecar(folder: Path) -> dict:
    return orjson.loads((folder / "corpus.notes.json").read_bytes())


def header(app: TimelineApp) -> str:
    return str(app.query_one("#header-bar", Static).render())


def row_text(app: TimelineApp, event_id: str) -> str:
    timeline = app.query_one(TimelineView)
    position = app.corpus.position_of(event_id)
    event = app.corpus.events[position]
    return "".join(segment.text for segment in timeline._event_segments(event, 100, False))


async def test_m_marks_the_event_in_the_sidecar_beside_the_corpus(corpus_dir):
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert "july-12-letter" in sidecar(corpus_dir)["marks"]
        assert row_text(app, "july-12-letter")[1] == "●"
        assert "● 1 marked" in header(app)
        await pilot.press("m")  # again: unmarked
        await pilot.pause()
        assert sidecar(corpus_dir)["marks"] == {}
    assert json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))  # corpus.json untouched
    assert "marks" not in (corpus_dir / "corpus.json").read_text(encoding="utf-8")


async def test_marks_follow_event_ids_through_filters_and_corpus_edits(corpus_dir):
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        app.query_state = Query(frozenset({"germany"}))  # the July 12 letter is not Germany's
        app.refresh_view()
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert app.current_event.id != "july-12-letter"
        await pilot.press("c", "g", "u")  # clear the filters, from the top: the next mark
        await pilot.pause()
        assert app.current_event.id == "july-12-letter"
        # An edit to the corpus that adds an event before it and moves every position.
        data = json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))
        new = dict(data["events"][0], id="an-earlier-event", date="2001", title="An earlier event")
        data["events"].insert(0, new)
        (corpus_dir / "corpus.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        old = app.corpus
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.corpus is not old and app.query(TimelineView):
                break
        await pilot.pause()
        assert len(app.corpus.events) == 23
        assert app.notes.is_marked("july-12-letter")
        assert row_text(app, "july-12-letter")[1] == "●"
        assert row_text(app, "an-earlier-event")[1] == " "


async def test_marks_list_goes_to_an_event_even_when_filters_hide_it(corpus_dir):
    app = TimelineApp(load_corpus(corpus_dir), event_id="qatar-withdraws-july-18")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m", "e", *"Qatar's letter to Seck", "escape")
        await pilot.pause()
        app.query_state = Query(frozenset({"japan"}))
        app.refresh_view()
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, MarksScreen)
        option = app.screen.query_one(OptionList).get_option_at_index(0)
        assert "Qatar withdraws" in str(option.prompt) and "Qatar's letter to Seck" in str(option.prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert app.current_event.id == "qatar-withdraws-july-18"
        assert app.query_state.is_empty()  # the filters hid it: cleared


async def test_a_note_is_saved_on_escape_and_shown_with_the_event(corpus_dir):
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-8-statement")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Compare: 22 [bold]states[/] here, 37 on July 12.", "escape")
        await pilot.pause()
        text = "Compare: 22 [bold]states[/] here, 37 on July 12."
        assert sidecar(corpus_dir)["notes"]["july-8-statement"]["text"] == text
        assert "Your note  " + text in app.query_one(QuoteViewer).plain_text()  # literally, markup and all
        assert row_text(app, "july-8-statement")[2] == "¶"
        # ctrl+r reverts what was typed; escape then changes nothing.
        await pilot.press("e", *" more", "ctrl+r", "escape")
        await pilot.pause()
        assert sidecar(corpus_dir)["notes"]["july-8-statement"]["text"] == text
        # An emptied note is removed.
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(TextArea).text = ""
        await pilot.press("escape")
        await pilot.pause()
        assert "july-8-statement" not in sidecar(corpus_dir)["notes"]


async def test_two_app_instances_keep_each_others_marks(corpus_dir):
    a = TimelineApp(load_corpus(corpus_dir), event_id="july-8-statement")
    b = TimelineApp(load_corpus(corpus_dir), event_id="july-12-letter")
    async with a.run_test(size=(120, 40)) as pilot_a, b.run_test(size=(120, 40)) as pilot_b:
        await pilot_a.press("m")
        await pilot_b.press("m", "e", *"from b", "escape")
        await pilot_a.pause()
        await pilot_b.pause()
        a._poll_notes()  # what the app's timer does every couple of seconds
        await pilot_a.pause()
        assert a.notes.is_marked("july-12-letter") and a.notes.note("july-12-letter") == "from b"
        assert row_text(a, "july-12-letter")[1:3] == "●¶"
    assert set(sidecar(corpus_dir)["marks"]) == {"july-8-statement", "july-12-letter"}


async def test_a_failed_write_is_reported_kept_and_written_later(corpus_dir, monkeypatch):
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-8-statement")
    async with app.run_test(size=(120, 40)) as pilot:
        real = notes_module.atomic_write_bytes

        def failing(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(notes_module, "atomic_write_bytes", failing)
        await pilot.press("m")
        await pilot.pause()
        assert app.notes.is_marked("july-8-statement")  # in the session
        assert "1 change(s) not saved yet" in header(app)
        assert any("No space left" in n.message for n in app._notifications)
        assert not (corpus_dir / "corpus.notes.json").exists()
        monkeypatch.setattr(notes_module, "atomic_write_bytes", real)
        app._poll_notes()  # the timer retries
        await pilot.pause()
        assert "july-8-statement" in sidecar(corpus_dir)["marks"]
        assert "not saved" not in header(app)


async def test_a_damaged_sidecar_is_set_aside_with_a_warning(corpus_dir):
    damaged = '{"format": "timeline-notes/1", "marks": {"x": '  # cut short
    (corpus_dir / "corpus.notes.json").write_text(damaged, encoding="utf-8")
    app = TimelineApp(load_corpus(corpus_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("set aside" in n.message for n in app._notifications)
        await pilot.press("m")
        await pilot.pause()
    aside = list(corpus_dir.glob("corpus.notes.json.damaged-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == damaged
    assert len(sidecar(corpus_dir)["marks"]) == 1


async def test_a_file_beside_the_corpus_that_is_not_a_sidecar_is_left_alone(corpus_dir, tmp_path, monkeypatch):
    # Another tool's corpus.notes.json (or a stray file): never renamed, read or written over.
    monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
    (corpus_dir / "corpus.notes.json").write_text("{ this is not json", encoding="utf-8")
    app = TimelineApp(load_corpus(corpus_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("left as it is" in n.message and str(tmp_path / "data") in n.message for n in app._notifications)
        await pilot.press("m")
        await pilot.pause()
        assert app.notes.path.is_relative_to(tmp_path / "data")
    assert (corpus_dir / "corpus.notes.json").read_text(encoding="utf-8") == "{ this is not json"
    assert not list(corpus_dir.glob("corpus.notes.json.*"))
    assert len(orjson.loads(app.notes.path.read_bytes())["marks"]) == 1


async def test_saved_views_name_the_filters_and_bring_them_back(corpus_dir):
    app = TimelineApp(load_corpus(corpus_dir), query=Query(frozenset({"qatar"})), find="withdraw")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ViewsScreen)
        await pilot.press(*"Qatar withdrawal", "enter")
        await pilot.pause()
        saved = sidecar(corpus_dir)["views"]["Qatar withdrawal"]
        assert saved["actors"] == ["qatar"] and saved["search"] == "withdraw"
        await pilot.press("c")
        await pilot.pause()
        assert app.query_state.is_empty()
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one(OptionList)
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_state.actors == {"qatar"} and app.find_text == "withdraw"
        assert "4 of 22 events" in header(app)
        await pilot.press("v", "delete")
        await pilot.pause()
        assert sidecar(corpus_dir)["views"] == {}


async def test_export_from_the_app_writes_and_never_clobbers_without_asking(corpus_dir, tmp_path):
    target = tmp_path / "out" / "qatar.md"
    app = TimelineApp(load_corpus(corpus_dir), query=Query(frozenset({"qatar"})))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        text = target.read_text(encoding="utf-8")
        assert text.startswith("# Xinjiang at the UN") and "actor: Qatar" in text
        chronology = text.split("## Disagreements")[0]
        assert chronology.count("\n- **") == 4  # the four events of the view
        # Again: the file exists; n keeps it.
        target.write_text("my own file", encoding="utf-8")
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "my own file"
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter", "y")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("# Xinjiang at the UN")
        # The corpus's own files are refused.
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(corpus_dir / "corpus.json")
        await pilot.press("enter")
        await pilot.pause()
        assert "is the corpus file; it is never written over" in str(app.screen.query_one("#export-message", Static).render())
        # So are a pipe (it would be replaced by a file, as would a device) and the marks and notes.
        import os

        os.mkfifo(tmp_path / "pipe")
        for path, why in ((tmp_path / "pipe", "named pipe (FIFO), not a regular file"),
                          (corpus_dir / "corpus.notes.json", "marks and notes")):
            app.screen.query_one("#export-path", Input).value = str(path)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)
            assert why in str(app.screen.query_one("#export-message", Static).render())
        assert (tmp_path / "pipe").is_fifo()


async def test_export_of_the_marked_events_as_json(corpus_dir, tmp_path):
    target = tmp_path / "marked.json"
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-8-statement")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m", "j", "j", "m", "x")
        await pilot.pause()
        app.screen.query_one("#scope-marked", RadioButton).value = True
        app.screen.query_one("#format-json", RadioButton).value = True
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value.endswith("-marked.json")  # the name follows
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
    data = orjson.loads(target.read_bytes())
    assert [e["id"] for e in data["events"]] == sorted(NotesStore.open(corpus_dir / "corpus.notes.json").marks,
                                                       key=lambda i: load_corpus(corpus_dir).position_of(i))
    assert len(data["events"]) == 2


async def test_disagreements_view_shows_each_version_and_opens_it_in_its_document():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("D")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DisagreementsScreen)
        prompts = [str(screen.query_one(OptionList).get_option_at_index(i).prompt)
                   for i in range(screen.query_one(OptionList).option_count)]
        assert any("How many states signed the July 12 letter" in p for p in prompts)
        claim, index = screen._current()
        assert index == 0 and claim.id == next(iter(app.corpus.claims))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        status = str(app.screen.query_one("#document-status", Static).render())
        assert status.startswith(f"Statement 1/{len(claim.statements)} of claim: {claim.about}")
        await pilot.press("right_square_bracket")  # the next source's version, in its own document
        await pilot.pause()
        assert app.screen.quote is claim.statements[1]
        await pilot.press("escape", "t")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert app.current_event.id == claim.events[0]


async def test_coverage_matrix_shows_which_document_reports_which_event():
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CoverageScreen)
        cov = screen.coverage
        assert len(cov.positions) == 22 and len(cov.documents) == 5
        # Every ● is a document citing the event, and every event has one.
        for row in range(22):
            event = cov.event(row)
            cited = {q.document.id for q in event.quotes}
            assert {d.id for d in cov.documents if cov.cell(row, cov.documents.index(d))} == cited
        # The July 18 withdrawal: reported by two documents; enter opens the quote.
        row = [cov.event(r).id for r in range(22)].index("qatar-withdraws-july-18")
        matrix = screen.query_one(CoverageMatrix)
        matrix.scroll_to_row(row)
        column = next(c for c in range(5) if cov.cell(row, c))
        matrix.column = column
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.quote.document is cov.documents[column]
        await pilot.press("escape")
        await pilot.press("s")  # by number of sources
        await pilot.pause()
        counts = [screen.coverage.event(r).source_count for r in range(22)]
        assert counts == sorted(counts, reverse=True)
        await pilot.press("L")  # only the events of the document under the cursor
        await pilot.pause()
        doc = screen.coverage.documents[matrix.column]
        shown = [screen.coverage.event(r) for r in range(len(screen.coverage.positions))]
        assert shown and all(any(q.document is doc for q in e.quotes) for e in shown)
        assert len(shown) == sum(1 for e in app.corpus.events if any(q.document is doc for q in e.quotes))


async def test_density_strip_counts_the_view_and_zooms_into_a_period():
    app = TimelineApp(load_corpus(SEEDS), event_id="july-12-letter")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        strip = app.query_one(DensityStrip)
        dens = strip.density
        assert dens.unit == "month"
        assert sum(p.count for p in dens.periods) == 21 and dens.open_start == 1  # "in the past" has no place on it
        assert dens.periods[strip.current].label == "Jul 2019" and dens.periods[strip.current].count == 5
        await pilot.press("z")
        await pilot.pause()
        assert app.query_state.date_from.text == "2019-07" and app.query_state.date_to.text == "2019-07"
        july = [e for e in app.corpus.events if e.date.lower <= app.query_state.date_to.upper
                and e.date.upper >= app.query_state.date_from.lower]  # overlapping July 2019
        assert len(july) > 5 and f"{len(july)} of 22 events" in header(app)
        assert app.current_event.id == "july-12-letter"
        app.query_state = Query(frozenset({"qatar"}), app.query_state.date_from, app.query_state.date_to)
        app.refresh_view()
        await pilot.pause()
        assert sum(p.count for p in strip.density.periods) == 2  # follows the filters
        await pilot.press("Z")
        await pilot.pause()
        assert app.query_state.date_from is None and app.query_state.actors == {"qatar"}
        assert sum(p.count for p in strip.density.periods) == 4


async def test_named_periods_are_shown_on_the_timeline(make_corpus):
    from model_support import base_corpus

    data = base_corpus()
    data["periods"] = [{"id": "p1", "title": "The [bold]early[/] years", "date": data["events"][0]["date"][:4]}]
    app = TimelineApp(load_corpus(make_corpus(data)))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        timeline = app.query_one(TimelineView)
        heading = next(timeline.rows[i] for i in range(len(timeline.rows)) if timeline.rows[i].kind == "year")
        assert "⟦The [bold]early[/] years" in timeline.period_labels(heading)
        line = timeline.render_line(0).text
        assert "The [bold]early[/] years" in line


async def test_the_marks_list_unmarks_and_edits_notes_and_the_timeline_follows(corpus_dir):
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m", "M")
        await pilot.pause()
        assert isinstance(app.screen, MarksScreen)
        await pilot.press("e", *"checked", "escape")  # a note, from the list
        await pilot.pause()
        assert sidecar(corpus_dir)["notes"]["july-12-letter"]["text"] == "checked"
        assert row_text(app, "july-12-letter")[2] == "¶"
        assert "Your note  checked" in app.query_one(QuoteViewer).plain_text()  # shown at once, behind the list
        await pilot.press("m")  # unmarked, from the list
        await pilot.pause()
        assert "july-12-letter" not in sidecar(corpus_dir)["marks"]
        assert row_text(app, "july-12-letter")[1] != "●"


async def test_y_in_the_document_view_copies_the_quote_with_its_citation(corpus_dir):
    from tui.model.cslformat import plain_citation as citation_text

    app = TimelineApp(load_corpus(corpus_dir), event_id="qatar-withdraws-july-18")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.last_copied == citation_text(app.screen.quote)
