"""Marks and notes in the app when things go wrong (issue 24): a note written in two sessions,
quitting with changes that could not be written, a sidecar with entries that do not fit."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from textual.widgets import Input, TextArea

from tui.app.app import TimelineApp
from tui.app.screens.notes import NoteScreen
from tui.app.screens.views import ViewsScreen
from tui.app.screens.unsaved import UnsavedNotesScreen
from tui.model import load_corpus
from tui.model import notes as notes_module
from tui.model.notes import NotesStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def failing_writes(monkeypatch) -> None:
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(notes_module, "atomic_write_bytes", full)


async def test_a_note_saved_in_another_session_while_the_editor_is_open_is_kept(corpus_dir):
    sidecar = corpus_dir / "corpus.notes.json"
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        # Another instance on the same corpus saves a note on the same event ...
        other = NotesStore.open(sidecar)
        assert other.set_note("july-12-letter", "written in A").saved
        app._poll_notes()  # ... and this one reads it (its timer would), the editor still open
        app.screen.query_one(TextArea).text = "written in B"
        await pilot.press("escape")
        await pilot.pause()
    text = orjson.loads(sidecar.read_bytes())["notes"]["july-12-letter"]["text"]
    assert "written in A" in text and "written in B" in text


async def test_quitting_with_unsaved_changes_asks_and_saves_them_elsewhere(corpus_dir, tmp_path, monkeypatch):
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        failing_writes(monkeypatch)
        await pilot.press("m")
        await pilot.pause()
        assert app.notes.unsaved == 1
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedNotesScreen)  # asked, not quit
        assert "No space left on device" in str(app.screen.query_one("#unsaved-reason").render())
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, UnsavedNotesScreen)
        await pilot.press("q")
        await pilot.pause()
        monkeypatch.undo()  # the other file can be written
        monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
        field = app.screen.query_one("#unsaved-path", Input)
        field.value = str(tmp_path / "rescued.notes.json")
        await pilot.press("enter")
        await pilot.pause()
    assert not app.is_running
    assert app.rescued_notes == tmp_path / "rescued.notes.json"
    assert "july-12-letter" in orjson.loads(app.rescued_notes.read_bytes())["marks"]


async def test_a_path_that_cannot_be_written_is_refused_in_the_dialog(corpus_dir, tmp_path, monkeypatch):
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        failing_writes(monkeypatch)
        await pilot.press("m", "q")
        await pilot.pause()
        monkeypatch.undo()
        monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
        app.screen.query_one("#unsaved-path", Input).value = "/dev/null"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedNotesScreen)
        assert "character device" in str(app.screen.query_one("#unsaved-message").render())
        await pilot.press("ctrl+x")  # quit and lose them, on purpose
        await pilot.pause()
    assert not app.is_running and app.rescued_notes is None


async def test_an_app_that_ends_without_asking_rescues_what_it_could_not_write(corpus_dir, tmp_path, monkeypatch):
    app = TimelineApp(load_corpus(corpus_dir), event_id="july-12-letter")
    async with app.run_test(size=(120, 40)) as pilot:
        failing_writes(monkeypatch)
        await pilot.press("m")
        await pilot.pause()
        monkeypatch.undo()
        monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
        (corpus_dir / "corpus.notes.json").mkdir()  # still cannot be written at the end
        app.exit()  # the terminal went away, say: nobody can be asked
        await pilot.pause()
    assert app.rescued_notes is not None and app.rescued_notes.is_relative_to(tmp_path / "data")
    assert "july-12-letter" in orjson.loads(app.rescued_notes.read_bytes())["marks"]


async def test_saved_views_that_do_not_fit_are_left_out_and_v_works(corpus_dir):
    sidecar = corpus_dir / "corpus.notes.json"
    sidecar.write_bytes(orjson.dumps({"format": "timeline-notes/1", "marks": {}, "notes": {},
                                      "views": {"x": 5, "y": {"actors": 7}, "Qatar": {"actors": ["qatar"]}}}))
    app = TimelineApp(load_corpus(corpus_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("do not fit the format" in n.message for n in app._notifications)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ViewsScreen)
        app.screen.dismiss(("apply", "Qatar"))
        await pilot.pause()
        assert app.query_state.actors == {"qatar"}
    assert list(corpus_dir.glob("corpus.notes.json.damaged-*"))
