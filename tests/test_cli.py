"""The command line, in-process (tui.cli.main) and once as ``python -m tui``."""

from __future__ import annotations

import json
import shutil
import os
import re
import subprocess
import sys

import pytest
from model_support import PROBLEM_LINE, REPO, SEEDS, base_corpus, run

from tui.model.schema import json_schema

# -- check ------------------------------------------------------------------------------------------------


def test_check_seeds_is_one_line(capsys):
    status, out, err = run(["check"], capsys)
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 1
    assert "OK: 22 events" in lines[0] and "quotes anchored" in lines[0]
    assert lines[0].startswith(str(SEEDS / "corpus.json"))
    assert err == ""


def test_check_quiet_prints_nothing(capsys):
    assert run(["check", str(SEEDS), "--quiet"], capsys) == (0, "", "")


def test_the_command_entry_point_runs_the_command_line_and_leaves_the_collector_as_it_was(capsys):
    # timeline-explorer and python -m tui go through tui.main, which imports the
    # command line with the collector paused: it must be running again after.
    import gc

    import tui

    assert gc.isenabled()
    assert tui.main(["check", str(SEEDS), "--quiet"]) == 0
    assert gc.isenabled()
    gc.disable()
    try:
        assert tui.main(["check", str(SEEDS), "--quiet"]) == 0
        assert not gc.isenabled()  # nor turned on when it was off
    finally:
        gc.enable()
    result = subprocess.run([sys.executable, "-m", "tui", "check", str(SEEDS)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "OK: 22 events" in result.stdout


def test_check_bad_corpus(make_corpus, capsys):
    data = base_corpus()
    data["events"][0]["actors"] = ["nobody"]
    data["events"][0]["quotes"][0]["exact"] = "hello wrld"
    data["events"].append({"id": "e2", "date": "2019-02-30", "title": "T", "quotes": [{"doc": "d1", "exact": "Intro line."}]})
    folder = make_corpus(data)
    status, out, err = run(["check", str(folder)], capsys)
    assert status == 1
    lines = out.splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert len(problems) == 3
    for line in problems:
        m = PROBLEM_LINE.match(line)
        assert m, line
        assert m["file"] == str(folder / "corpus.json")
        assert m["location"].startswith("events[")
    assert "3 problems" in summary
    assert "Traceback" not in out + err
    # Sorted by line.
    numbers = [int(PROBLEM_LINE.match(line)["line"]) for line in problems]
    assert numbers == sorted(numbers)


@pytest.mark.parametrize(
    "raw", [b"", b"[" * 100_000, b"\xff\xfe", b'{"format": "timeline-corpus/2", "title": "x"}'],
    ids=["empty", "deep", "binary", "future-format"],
)
def test_check_unreadable_corpus_is_one_line_no_traceback(make_corpus, capsys, raw):
    folder = make_corpus(raw)
    status, out, err = run(["check", str(folder)], capsys)
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(str(folder / "corpus.json")) and "(fix: " in lines[0]
    assert "Traceback" not in out + err


def test_check_missing_corpus(tmp_path, capsys):
    status, out, _ = run(["check", str(tmp_path / "nope")], capsys)
    assert status == 1 and "no such file or folder" in out


def test_check_output_never_carries_control_characters(make_corpus, capsys):
    data = base_corpus()
    data["events"][0]["quotes"][0]["exact"] = "hello \x1b]0;pwned\x07world"
    data["\x1b[2J"] = True
    status, out, _ = run(["check", str(make_corpus(data))], capsys)
    assert status == 1
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", out)


def test_check_warnings(make_corpus, capsys):
    data = base_corpus()
    data["events"][0]["quotes"] = []
    folder = make_corpus(data)
    status, out, _ = run(["check", str(folder)], capsys)
    assert status == 0 and "warning" in out and "--warnings" in out
    status, out, _ = run(["check", str(folder), "--warnings"], capsys)
    assert status == 0
    assert any(": warning: " in line for line in out.splitlines())


# -- export -o -----------------------------------------------------------------------------------------------


def test_export_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "out.json"
    target.write_bytes(b"precious")
    status, _, err = run(["export", "-f", "json", "-o", str(target)], capsys)
    assert status == 1
    assert "--force" in err
    assert target.read_bytes() == b"precious"
    status, _, _ = run(["export", "-f", "json", "-o", str(target), "--force"], capsys)
    assert status == 0
    assert json.loads(target.read_bytes())["format"] == "timeline-export/1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary file left


def test_export_is_atomic_when_writing_fails(tmp_path, capsys, monkeypatch):
    import tui.model.export as export_module

    target = tmp_path / "out.json"
    target.write_bytes(b"precious")

    def failing(corpus, events, query, fmt, out):
        out.write(b"partial output")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "write_export", failing)
    status, _, err = run(["export", "-f", "json", "-o", str(target), "--force"], capsys)
    assert status == 1
    assert "nothing was written" in err
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_export_new_file_gets_all_of_it(tmp_path, capsys):
    target = tmp_path / "new.csv"
    status, _, err = run(["export", "-f", "csv", "-o", str(target), "--actor", "qatar"], capsys)
    assert status == 0
    assert "events written (csv)" in err
    assert target.read_text(encoding="utf-8").startswith("id,date,")


def _copy_seeds(tmp_path):

    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.mark.parametrize("how", ["direct", "relative", "symlink", "document"])
def test_export_never_writes_over_the_corpus(tmp_path, capsys, monkeypatch, how):
    folder = _copy_seeds(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    if how == "direct":
        target = str(folder / "corpus.json")
    elif how == "relative":
        monkeypatch.chdir(folder)
        target = "./sub/../corpus.json"
        (folder / "sub").mkdir()
    elif how == "symlink":
        os.symlink(folder / "corpus.json", tmp_path / "link.json")
        target = str(tmp_path / "link.json")
    else:
        target = str(folder / "000_2850487d08e3d448.txt")
    status, _, err = run(["export", str(folder), "-f", "json", "-o", target, "--force"], capsys)
    assert status == 1
    assert "corpus" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_export_to_a_folder_or_missing_folder(tmp_path, capsys):
    assert run(["export", "-f", "json", "-o", str(tmp_path)], capsys)[0] == 1
    status, _, err = run(["export", "-f", "json", "-o", str(tmp_path / "no" / "x.json")], capsys)
    assert status == 1 and "nothing was written" in err


def test_export_of_a_bad_corpus_fails_cleanly(make_corpus, capsys, tmp_path):
    data = base_corpus()
    data["events"][0]["date"] = "2019-02-30"
    target = tmp_path / "out.json"
    status, out, err = run(["export", str(make_corpus(data)), "-f", "json", "-o", str(target)], capsys)
    assert status == 1
    assert "not exported" in err and "events[0]" in err
    assert not target.exists()


# -- usage errors ---------------------------------------------------------------------------------------------


def test_unknown_actor_exits_2_with_a_suggestion(capsys):
    status, out, err = run(["export", "-f", "json", "--actor", "Qatr"], capsys)
    assert status == 2
    assert "did you mean 'qatar'?" in err
    assert out == ""


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["export", "-f", "json", "--from", "2019-02-30"], "--from"),
        (["export", "-f", "json", "--type", "lettre"], "letter"),
        (["export", "-f", "yaml"], "invalid choice"),
        (["export"], "--format"),
    ],
)
def test_usage_errors_exit_2(capsys, argv, words):
    status, out, err = run(argv, capsys)
    assert status == 2
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [[], ["open"], ["check"], ["export"], ["schema"]])
def test_help_mentions_examples(capsys, command):
    status, out, _ = run([*command, "--help"], capsys)
    assert status == 0
    assert "example" in out.lower()
    assert "timeline-explorer" in out


def test_top_level_help_lists_every_command(capsys):
    from tui.cli import COMMANDS

    status, out, _ = run(["--help"], capsys)
    assert status == 0
    listed = re.findall(r"^    (\w+) ", out, re.MULTILINE)
    assert sorted(listed) == sorted(COMMANDS)


@pytest.mark.parametrize("argv", [
    ["open", str(SEEDS), "--actor", "qatar", "--actor", "germany", "--from", "2019-07", "--event", "x"],
    ["open"],
    ["check", str(SEEDS), "--warnings", "-q"],
    ["export", str(SEEDS), "-f", "csv", "-o", "out.csv", "--force", "--search", "Uyghur", "--type", "letter"],
    ["schema"],
    ["extract", "a.txt", "--published", "2019-07-12", "-o", "draft"],
    ["import", "csv", "events.csv", "-o", "corpus", "--actor-column", "actor1", "--skip-bad-rows"],
    ["import", "timelinejs", "timeline.json", "-o", "corpus"],
])
def test_a_line_parses_alike_with_its_command_alone_declared(argv):
    # The app declares only the command a line names (start-up time): nothing it parses may change.
    from tui.cli import build_parser

    assert vars(build_parser(argv[0]).parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_version(capsys):
    import tui

    status, out, _ = run(["--version"], capsys)
    assert status == 0 and tui.__version__ in out


def test_schema_prints_json(capsys):
    status, out, _ = run(["schema"], capsys)
    assert status == 0
    assert json.loads(out) == json_schema()


# -- python -m tui ------------------------------------------------------------------------------------------------


def test_python_dash_m_tui_check(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    result = subprocess.run(
        [sys.executable, "-m", "tui", "check"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "OK: 22 events" in result.stdout
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == ""


def test_python_dash_m_tui_check_bad_corpus(make_corpus):
    data = base_corpus()
    data["events"][0]["date"] = "2019-13-01"
    result = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(make_corpus(data))],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert PROBLEM_LINE.match(result.stdout.splitlines()[0])


@pytest.mark.parametrize("argv", [["/no/such/corpus"], ["--actor", "nobody-at-all"]])
def test_open_gives_the_collector_back_when_the_app_does_not_start(argv, capsys):
    # Opening pauses the cyclic garbage collector until the first screen; a
    # command that ends before any screen must not leave it paused.
    import gc

    assert gc.isenabled()
    status, _out, _err = run(argv, capsys)
    assert status in (1, 2)
    assert gc.isenabled()


class _FakeApp:
    """Stands for the app: records how it was made, and is quit at once (or after opening)."""

    made: list = []
    opened = True
    load_problems: list = []
    return_code = 0
    usage_message = ""

    def __init__(self, source, **kwargs):
        self.made.append((source, kwargs))
        self.store = object() if self.opened else None
        self.notes = None
        self.rescued_notes = None

    def run(self):
        return 0


@pytest.fixture
def fake_app(monkeypatch, tmp_path):
    import tui.app.app

    _FakeApp.made = []
    _FakeApp.opened = True
    monkeypatch.setattr(tui.app.app, "TimelineApp", _FakeApp)
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    return _FakeApp


def test_a_large_corpus_opens_in_the_app_and_is_read_while_the_app_starts(capsys, monkeypatch, fake_app):
    # The command line starts reading the file the engine will compile before the app is set up;
    # the app hands the bytes read over.
    import tui.model.opening

    monkeypatch.setattr(tui.model.opening, "SQL_FROM_BYTES", 0)  # every corpus is a large one
    status, _out, _err = run([str(SEEDS)], capsys)
    assert status == 0
    [(plan, kwargs)] = fake_app.made
    assert plan.kind == "large-corpus" and plan.file == SEEDS / "corpus.json"
    assert kwargs["read_ahead"].file == plan.file
    assert bytes(kwargs["read_ahead"].take()) == (SEEDS / "corpus.json").read_bytes()


def test_a_table_and_an_engine_open_in_the_app(capsys, fake_app):
    table = REPO / "tests" / "data" / "csv" / "acled-sample.csv"
    assert run([str(table), "--mapping", "acled"], capsys)[0] == 0
    assert run(["events", "--engine", "duckdb"], capsys)[0] == 0
    (first, _), (second, _) = fake_app.made
    assert (first.kind, first.file, first.source.mapping) == ("table", table, "acled")
    assert (second.kind, second.source.engine, second.source.path) == ("engine", "duckdb", "events")


@pytest.mark.parametrize("opened", [False, True])
def test_quitting_while_a_source_opens_ends_the_process_at_once(opened, capsys, monkeypatch, fake_app):
    # Quit mid-opening: the process ends without the interpreter's shutdown, which would wait for
    # the opening thread and walk everything it built. Quit after: the usual way.
    import tui.cli
    import tui.model.opening

    class Exited(Exception):
        pass

    def fake_exit(code):
        exits.append(code)
        raise Exited

    exits: list[int] = []
    fake_app.opened = opened
    monkeypatch.setattr(tui.model.opening, "SQL_FROM_BYTES", 0)
    monkeypatch.setattr(tui.cli.os, "_exit", fake_exit)
    if opened:
        assert run([str(SEEDS)], capsys)[0] == 0
        assert exits == []
    else:
        with pytest.raises(Exited):
            run([str(SEEDS)], capsys)
        assert exits == [0]


def test_a_small_corpus_never_imports_the_engine():
    # Opening the bundled corpus is measured against a bare Textual app: the engine stays out of it.
    code = ("import sys, tui.cli\n"
            "from tui.model.opening import Source, open_source\n"
            "open_source(Source())\n"
            "print(sorted(m for m in ('duckdb', 'ibis', 'pyarrow', 'pandas') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
