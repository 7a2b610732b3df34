"""Hostile and unlucky input in the app (issue 24): nothing from a corpus, a sidecar, a
path or a keymap is obeyed by the terminal or parsed as markup; the command palette
survives a burst of keys; an app that ends on a traceback ends with status 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from model_support import ATTACK, ESCAPE_DOCS, RAW_CONTROL, escape_corpus, write_corpus
from textual import events
from textual.command import CommandList
from textual.widgets import Input, TextArea

from tui.app.app import TimelineApp
from tui.app.palette import CommandPalette
from tui.app.screens.document import DocumentScreen, DocumentView
from tui.app.screens.notes import NoteScreen
from tui.app.screens.views import ViewsScreen
from tui.model import load_corpus

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
MARKUP = "notes [/b] 2019"  # closes a tag it never opened: Rich's markup parser raises MarkupError


def raw_controls(text: str) -> list[str]:
    return RAW_CONTROL.findall(text.encode("utf-8"))


def screen_text(app) -> str:
    """Everything on screen, as the terminal would get it."""
    return app.export_screenshot()


@pytest.fixture
def escape_folder(tmp_path) -> Path:
    return write_corpus(tmp_path / "escapes", escape_corpus(), ESCAPE_DOCS)


def write_sidecar(folder: Path, notes: dict | None = None, views: dict | None = None, raw: bytes | None = None) -> Path:
    path = folder / "corpus.notes.json"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(json.dumps({
            "format": "timeline-notes/1", "marks": {},
            "notes": {k: {"text": v, "updated": "2026-01-01T00:00:00Z"} for k, v in (notes or {}).items()},
            "views": views or {},
        }), encoding="utf-8")
    return path


# -- escapes that would reach the terminal ------------------------------------------------------------


async def test_an_excluded_passage_s_reason_is_shown_never_obeyed(escape_folder):
    app = TimelineApp(load_corpus(escape_folder), event_id="e2")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        view = app.screen.query_one(DocumentView)
        lines = ["".join(segment.text for segment in view.render_line(y)) for y in range(view.size.height)]
        label = next(line for line in lines if "not cited" in line)
        assert "not cited: reason ␛]0;PWNED␇ ␛]52;c;ZXZpbA==␇ ␛[2J ⟨U+009B⟩31m" in label
        assert not raw_controls("".join(lines))
        assert not raw_controls(screen_text(app))


@pytest.mark.parametrize("where", ["timeline", "document"])
async def test_y_copies_a_citation_with_no_escape_sequence(escape_folder, where):
    app = TimelineApp(load_corpus(escape_folder), event_id="e1")
    copied: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        app.copy_to_clipboard = copied.append  # what would go to the terminal (OSC 52)
        if where == "document":
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, DocumentScreen)
        await pilot.press("y")
        await pilot.pause()
    [text] = copied
    assert not raw_controls(text)
    assert text.startswith("“Tuesday ␛]0;PWNED␇ ␛]52;c;ZXZpbA==␇ ␛[2J ⟨U+009B⟩31m")
    assert "— Doc ␛]0;PWNED␇" in text and "⟨RLO⟩evil⟨PDF⟩" in text


async def test_the_note_editor_shows_a_note_s_escapes_and_rewrites_it_only_when_changed(escape_folder):
    sidecar = write_sidecar(escape_folder, notes={"e1": "my note " + ATTACK, "e2": "other"})
    before = sidecar.read_bytes()
    app = TimelineApp(load_corpus(escape_folder), event_id="e1")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        area = app.screen.query_one(TextArea)
        assert area.text.startswith("my note ␛]0;PWNED␇ ␛]52;c;ZXZpbA==␇ ␛[2J ⟨U+009B⟩31m")
        assert not raw_controls(area.text)
        assert not raw_controls(screen_text(app))
        await pilot.press("escape")  # looked at, not changed: nothing is written
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        assert sidecar.read_bytes() == before
        assert app.notes.note("e1") == "my note " + ATTACK

        await pilot.press("e")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        area.post_message(events.Paste(" pasted \x1b]0;AGAIN\x07"))  # a paste is shown the same way
        await pilot.pause()
        await pilot.press("!")
        assert not raw_controls(area.text)
        await pilot.press("escape")
        await pilot.pause()
    saved = json.loads(sidecar.read_text(encoding="utf-8"))["notes"]
    assert saved["e1"]["text"].startswith("my note ␛]0;PWNED␇")  # what the user saw, and what they typed
    assert saved["e1"]["text"].endswith(" pasted ␛]0;AGAIN␇!")
    assert saved["e2"]["text"] == "other"


# -- markup: every text built from data is shown as it is ------------------------------------------------


async def _apply_first_view(app, pilot) -> None:
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(app.screen, ViewsScreen)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_saved_view_named_with_markup_is_applied(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    write_sidecar(folder, views={MARKUP: {"from": "2019", "saved": "2026-01-01T00:00:00Z"}})
    app = TimelineApp(load_corpus(folder))
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await _apply_first_view(app, pilot)
        await pilot.pause(0.2)
        assert app.is_running
        assert any(n.message == f"View “{MARKUP}”" for n in app._notifications)
        assert "View&#160;“notes&#160;[/b]" in screen_text(app)  # the toast, as written


async def test_a_saved_view_naming_an_actor_with_markup_is_applied(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    write_sidecar(folder, views={"v": {"actors": ["qatar", "[/b]gone[/i]"], "saved": "2026-01-01T00:00:00Z"}})
    app = TimelineApp(load_corpus(folder))
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await _apply_first_view(app, pilot)
        await pilot.pause(0.2)
        assert app.is_running
        assert any("actors no longer in the corpus: [/b]gone[/i]" in n.message for n in app._notifications)


async def test_a_damaged_sidecar_beside_a_corpus_whose_path_has_markup(tmp_path):
    folder = tmp_path / "notes [" / "b] 2019"  # the path holds "[/b]"
    shutil.copytree(SEEDS, folder)
    write_sidecar(folder, raw=b"{not json")
    assert "[/b]" in str(folder)
    app = TimelineApp(load_corpus(folder))
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.pause(0.3)
        assert app.is_running
        # The path, literally, in the message that says what became of the damaged sidecar.
        assert any(f"{folder}/corpus.notes.json" in n.message for n in app._notifications), [
            n.message for n in app._notifications]


async def test_an_export_to_a_path_with_markup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "out [" / "b] chronology.md"
    target.parent.mkdir()
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("x")
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.is_running
        assert target.exists()
        assert any(str(target) in n.message for n in app._notifications)


async def test_a_keymap_with_markup_in_it(tmp_path, monkeypatch):
    keymap = tmp_path / "keymap [" / "b].toml"
    keymap.parent.mkdir()
    keymap.write_text('[keys]\n"no.such[/i]" = "j"\n', encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EXPLORER_KEYMAP", str(keymap))
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.pause(0.3)
        assert app.is_running
        assert any("no.such[/i]" in n.message for n in app._notifications)


@pytest.mark.parametrize("field", ["title", "actor", "note"])
async def test_markup_in_an_event_title_an_actor_name_or_a_note_is_text(tmp_path, field):
    # No path from these to a markup parser is known; this keeps it so, on every screen they reach.
    data = json.loads((SEEDS / "corpus.json").read_text(encoding="utf-8"))
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    first = next(e for e in data["events"] if e.get("actors"))
    if field == "title":
        first["title"] = MARKUP + " [@click=app.quit]x[/]"
    elif field == "actor":
        actor = next(a for a in data["actors"] if a["id"] == first["actors"][0])
        actor["name"] = MARKUP + " [@click=app.quit]x[/]"
    (folder / "corpus.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if field == "note":
        write_sidecar(folder, notes={first["id"]: MARKUP + " [@click=app.quit]x[/]"})
    app = TimelineApp(load_corpus(folder), event_id=first["id"])
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.pause()
        assert MARKUP.replace(" ", "&#160;") in screen_text(app)  # in the viewer, as written
        for keys in (["m"], ["M"], ["escape", "e"], ["escape", "o"], ["escape", "C"], ["escape", "D"], ["escape", "v"],
                     ["escape", "x"], ["escape"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert app.is_running


# -- the command palette --------------------------------------------------------------------------------


async def test_page_down_in_the_palette_right_after_its_options_change():
    """Textual 8.2.8's OptionList raised KeyError on page down between the arrival of new
    options in an empty palette list and the next refresh (docs/upstream/)."""
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        commands = palette.query_one(CommandList)
        commands.clear_options()
        await pilot.pause()  # laid out empty: no height
        assert not commands.scrollable_content_region
        # What a burst of keys does: new options arrive, down, page down, before any refresh.
        commands.add_options([f"command {i}" for i in range(60)])
        commands.highlighted = 1
        palette._action_command_list("page_down")  # the binding's action (pagedown)
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert commands.highlighted > 1  # it paged, once laid out
        await pilot.press("pagedown")
        assert app.is_running


# -- the exit status ------------------------------------------------------------------------------------


def test_an_app_that_ends_on_a_traceback_ends_with_status_1(monkeypatch, capsys):
    """A thread of the app (here the opening thread, with a bug) ends on an exception: the app
    ends on it, shows it, and the process's status is 1 (it stayed on the loading screen, and
    quitting gave 0)."""
    import tui.app.app
    import tui.cli
    import tui.model.opening

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the opening thread")

    monkeypatch.setattr(tui.app.app.TimelineApp, "_view_for", broken)
    monkeypatch.setattr(tui.model.opening, "SQL_FROM_BYTES", 0)  # the corpus opens in the app
    real_run = tui.app.app.TimelineApp.run

    async def quit_later(pilot):
        await pilot.pause(3)
        await pilot.press("q")

    monkeypatch.setattr(tui.app.app.TimelineApp, "run",
                        lambda self: real_run(self, headless=True, size=(100, 30), auto_pilot=quit_later))

    class Exited(Exception):
        pass

    exits: list[int] = []

    def fake_exit(code):  # the process would end here (``_leave_half_loaded``)
        exits.append(code)
        raise Exited

    monkeypatch.setattr(tui.cli.os, "_exit", fake_exit)
    with pytest.raises(Exited):
        tui.cli.main([str(SEEDS)])
    assert exits == [1]
    assert "a bug in the opening thread" in capsys.readouterr().err


def test_run_app_is_1_after_an_unhandled_exception(monkeypatch):
    from tui.app import run_app

    def boom(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(TimelineApp, "action_help", boom)
    real_run = TimelineApp.run

    async def press_help(pilot):
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        pilot.app.exit()  # an exit asked for after the exception does not make it a success

    monkeypatch.setattr(TimelineApp, "run", lambda self: real_run(self, headless=True, auto_pilot=press_help))
    assert run_app(load_corpus(SEEDS)) == 1
