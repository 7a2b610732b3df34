"""End to end: the installed command in a real terminal (tmux), keys in, screen out.

tmux is required (CI installs it; see .ci/run). Each test runs its own tmux
server on a private socket, with ``set-clipboard on`` so that a clipboard
write by the app (OSC 52) becomes a tmux paste buffer we can read back.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
HOSTILE = ROOT / "tests" / "data" / "hostile"
COMMAND = Path(sys.executable).parent / "timeline-explorer"


class Terminal:
    def __init__(self, tmp_path: Path, width: int = 120, height: int = 40) -> None:
        tmux = shutil.which("tmux")
        assert tmux, "the end-to-end tests need tmux (apt-get install tmux; CI installs it)"
        assert COMMAND.exists(), f"{COMMAND} is not installed: pip install -e '.[test]'"
        self.tmux = tmux
        self.socket = f"te-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.env = {"TIMELINE_EXPLORER_KEYMAP": str(tmp_path / "no-keymap.toml"), "TERM": "xterm-256color",
                    "TIMELINE_EXPLORER_CACHE": str(tmp_path / "cache"), "TIMELINE_EXPLORER_DATA": str(tmp_path / "data")}

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self, *argv: str) -> None:
        env = " ".join(f"{k}={v}" for k, v in self.env.items())
        quoted = " ".join(_quote(a) for a in (str(COMMAND), *argv))
        # COLUMNS/LINES inherited from the test runner would override the pane's real size.
        shell = f"env -u COLUMNS -u LINES {env} {quoted}; code=$?; echo; echo EXIT=$code; sleep 30"
        self.run("-f", "/dev/null", "new-session", "-d", "-x", str(self.width), "-y", str(self.height), shell)
        self.run("set-option", "-g", "set-clipboard", "on")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", key)
            # A lone ESC is only known to be the Escape key once nothing follows it.
            time.sleep(0.5 if key == "Escape" else 0.08)

    def type(self, text: str) -> None:
        self.run("send-keys", "-l", text)
        time.sleep(0.1)

    def screen(self, escapes: bool = False) -> str:
        args = ["capture-pane", "-p", "-J"] + (["-e"] if escapes else [])
        return self.run(*args).stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; the screen shows:\n{screen}")

    def buffers(self) -> list[str]:
        names = self.run("list-buffers", "-F", "#{buffer_name}", check=False).stdout.split()
        return [self.run("show-buffer", "-b", name).stdout for name in names]

    def close(self) -> None:
        self.run("kill-server", check=False)


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


@pytest.fixture
def terminal(tmp_path):
    term = Terminal(tmp_path)
    yield term
    term.close()


def test_explore_filter_open_copy_and_quit(terminal):
    terminal.start(str(SEEDS))
    screen = terminal.wait_for("22 of 22 events")
    assert "Mass detention of Uighurs" in screen
    assert "Qatar" in screen  # the actor sidebar
    # Narrow the actor list, toggle Qatar: four events remain.
    terminal.keys("a")
    terminal.type("qatar")
    terminal.keys("Down", "Space", "Escape")
    terminal.wait_for("4 of 22 events")
    screen = terminal.wait_for("States sign a letter")  # the timeline follows the header
    assert "actor: Qatar" in screen
    assert "Qatar withdraws from the" in screen
    assert "Amnesty International descr" not in screen
    # Go to the July 18 withdrawal (the last event), copy its quote.
    terminal.keys("G", "y")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not terminal.buffers():
        time.sleep(0.1)
    copied = terminal.buffers()
    assert copied, "y did not reach the terminal's clipboard"
    assert copied[0].startswith("“Dubai: Qatar withdrew its signature from a letter")
    assert "ThePrint (Bloomberg report), August 2019" in copied[0]
    # Open the source document at the quote, and come back.
    terminal.keys("o")
    screen = terminal.wait_for("Quote 1/7 of Qatar withdraws")
    assert "not cited: photo caption" in screen
    terminal.keys("Escape")
    terminal.wait_for("4 of 22 events")
    terminal.keys("q")
    terminal.wait_for("EXIT=0")


def test_search_from_the_command_line_and_next_match(terminal):
    terminal.start(str(SEEDS), "--search", "Uygur")
    screen = terminal.wait_for("search “Uygur”")
    assert "match" in screen
    terminal.keys("n")
    terminal.wait_for("Match 2 of")
    terminal.keys("q")
    terminal.wait_for("EXIT=0")


def test_a_broken_corpus_gives_located_messages_and_exit_1(terminal, tmp_path):
    corpus = tmp_path / "broken"
    shutil.copytree(SEEDS, corpus)
    data = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    data["events"][2]["date"] = "2019-02-30"
    (corpus / "corpus.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    terminal.start(str(corpus))
    screen = terminal.wait_for("EXIT=1")
    assert "events[2]" in screen and "date" in screen and "February 2019 has 28 days" in screen
    assert "cannot be opened" in screen
    assert "Traceback" not in screen


def test_hostile_text_never_reaches_the_terminal_as_codes(terminal):
    terminal.start(str(HOSTILE), "--event", "escape-event")
    screen = terminal.wait_for("4 of 4 events")
    assert "[bold red]Markup[/bold red]" in screen.replace("\n", "")
    assert "␛[31mred␛[0m" in screen
    terminal.keys("o")
    screen = terminal.wait_for("Hostile text sample")
    assert "⟨RLO⟩evil reversed⟨PDF⟩" in screen
    assert "␛]52;c;ZXZpbA==␇" in screen
    # Nothing in the document wrote to the clipboard or set a hyperlink.
    assert terminal.buffers() == []
    raw = terminal.screen(escapes=True)
    assert "\x1b]8;" not in raw and "\x1b]52" not in raw
    terminal.keys("Escape", "q")
    terminal.wait_for("EXIT=0")


@pytest.fixture(scope="module")
def large_file_corpus(tmp_path_factory) -> Path:
    """A small corpus whose corpus.json is large on disk (padded with whitespace, which
    JSON ignores), so the command takes its large-corpus path: compiled by the engine, in the app."""
    from tui.model.opening import SQL_FROM_BYTES as LOAD_IN_APP_BYTES

    folder = tmp_path_factory.mktemp("large") / "corpus"
    shutil.copytree(SEEDS, folder)
    with open(folder / "corpus.json", "ab") as handle:
        handle.write(b" " * LOAD_IN_APP_BYTES)
    return folder


def test_a_large_corpus_loads_in_the_app_then_applies_the_command_line(terminal, large_file_corpus):
    terminal.start(str(large_file_corpus), "--actor", "qatar", "--event", "qatar-withdraws-july-18")
    terminal.wait_for("4 of 22 events")
    screen = terminal.wait_for("Sources: 2 documents")  # the viewer, on the July 18 withdrawal
    assert "actor: Qatar" in screen
    assert "Qatar withdraws from the July 12" in screen
    terminal.keys("q")
    assert "EXIT=0" in terminal.wait_for("EXIT=")


def test_a_large_corpus_with_a_bad_actor_exits_2_after_loading(terminal, large_file_corpus):
    terminal.start(str(large_file_corpus), "--actor", "atlantis")
    screen = terminal.wait_for("EXIT=")
    assert "EXIT=2" in screen
    assert "--actor" in screen and "atlantis" in screen
    assert "Traceback" not in screen


def test_a_large_broken_corpus_exits_1_with_located_problems(terminal, tmp_path):
    from tui.model.opening import SQL_FROM_BYTES as LOAD_IN_APP_BYTES

    folder = tmp_path / "broken"
    shutil.copytree(SEEDS, folder)
    data = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    data["events"][2]["date"] = "July 2019"
    (folder / "corpus.json").write_text(json.dumps(data, indent=1) + " " * LOAD_IN_APP_BYTES, encoding="utf-8")
    terminal.start(str(folder))
    screen = terminal.wait_for("EXIT=")
    assert "EXIT=1" in screen
    assert "corpus.json:" in screen and "events[2].date" in screen
    assert "Traceback" not in screen
