"""Text from a corpus in what people read (issue 24): no output of ours carries a byte a
terminal would obey, JSON keeps every character (escaped), CSV cells are never formulas,
and ``check --warnings`` names the fields that hold control characters."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import time

import orjson
import pytest
from model_support import ATTACK, ESCAPE_DOCS, PROBLEM_LINE, RAW_CONTROL, REPO, base_corpus, escape_corpus, run

from tui.model.export import csv_cell, write_export
from tui.model.loader import load_corpus
from tui.model.safetext import for_people, json_escape_invisible, may_hold_control_characters

FORMATS = ["json", "csv", "markdown", "timelinejs"]


# -- the function ---------------------------------------------------------------------------------------------


def test_for_people_shows_what_a_terminal_would_obey_and_keeps_line_breaks_and_scripts():
    text = "a\x1b]0;X\x07b\x9bc\u202ed\u2066e\u200bf\ufeffg\x00h\x7fi\tj\r\nk\rl\u2028m"
    shown = for_people(text)
    assert shown == "a␛]0;X␇b⟨U+009B⟩c⟨RLO⟩d⟨LRI⟩efg␀h␡i\tj\nk\nl\nm"
    assert RAW_CONTROL.search(shown.encode()) is None
    assert for_people(text, multiline=False).count("\n") == 0
    # What scripts and emoji need stays: joiners, right-to-left letters, combining marks.
    for kept in ("👨\u200d👩\u200d👧", "می\u200cخواهم", "ئۇيغۇر", "e\u0301", "新疆"):
        assert for_people(kept) == kept


def test_json_escaping_keeps_every_character():
    value = {"t": "a\x1b]0;X\x07b\x9bc\u202ed\u200be\u200df\u2028g\ufeffh\x7fi\u061cj é 新疆 👍🏽"}
    data = json_escape_invisible(orjson.dumps(value))
    assert json.loads(data) == value
    assert RAW_CONTROL.search(data) is None
    for raw in ("\u200b", "\u200d", "\u2028", "\ufeff", "\u061c"):
        assert raw.encode() not in data
    assert "é 新疆 👍🏽".encode() in data  # the rest stays as it was


@pytest.mark.parametrize("escape", ["\\u001b", "\\u0007", "\\u0000", "\\u007f", "\\u009b", "\\u202e", "\\u2066", "\\b",
                                    "\x7f", "\u009b", "\u202e", "\u2069"])
def test_the_quick_scan_finds_control_characters_written_any_way(escape):
    assert may_hold_control_characters(f'{{"title": "a{escape}b"}}'.encode())
    assert may_hold_control_characters(f'{{"title": "é a{escape}b"}}'.encode())


def test_the_quick_scan_passes_ordinary_text():
    for text in ('{"t": "plain ascii\\n with \\"escapes\\" \\t \\\\ \\u00e9"}', '{"t": "“quotes” — é 新疆 👨‍👩‍👧"}'):
        assert not may_hold_control_characters(text.encode())


# -- exports ----------------------------------------------------------------------------------------------------


def export(corpus, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    write_export(corpus, corpus.iter_events(corpus.select(corpus_query())), corpus_query(), fmt, out, **options)
    return out.getvalue()


def corpus_query():
    from tui.model.corpus import Query

    return Query()


@pytest.fixture
def escape_folder(make_corpus):
    return make_corpus(escape_corpus(), ESCAPE_DOCS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_export_carries_a_control_character(escape_folder, fmt):
    data = export(load_corpus(escape_folder), fmt)
    assert RAW_CONTROL.search(data) is None, data[RAW_CONTROL.search(data).start() - 20:][:60]
    assert b"\xe2\x80\x8b" not in data and b"\xef\xbb\xbf" not in data  # nor an invisible character


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_text_exports_show_control_characters_as_stand_ins(escape_folder, fmt):
    text = export(load_corpus(escape_folder), fmt).decode("utf-8")
    assert "0;PWNED␇" in text and "␛[2J" in text.replace("\\", "") and "⟨U+009B⟩31m" in text
    assert "⟨RLO⟩evil⟨PDF⟩" in text and "␀ ␡" in text


def test_the_json_export_gives_back_every_string_exactly(escape_folder):
    corpus = load_corpus(escape_folder)
    data = json.loads(export(corpus, "json"))
    assert data["corpus"]["title"] == corpus.title == "Title " + ATTACK
    assert data["corpus"]["documents"][0]["outlet"] == "Outlet " + ATTACK
    assert [e["summary"] for e in data["events"]] == [e.summary for e in corpus.events]
    assert data["events"][0]["quotes"][0]["text"] == "Tuesday " + ATTACK + " and hello"


def test_the_timelinejs_export_shows_stand_ins_and_keeps_the_exact_text(escape_folder, tmp_path):
    from tui.model.timelinejs import import_timelinejs

    corpus = load_corpus(escape_folder)
    data = export(corpus, "timelinejs")
    slides = json.loads(data)["events"]
    assert "␛]0;PWNED␇" in slides[1]["text"]["headline"]
    assert slides[1]["timeline_explorer"]["title"] == "@SUM(1+1) " + ATTACK  # exact, for importing it back
    (tmp_path / "t.json").write_bytes(data)
    import_timelinejs(tmp_path / "t.json", tmp_path / "back")
    back = load_corpus(tmp_path / "back")
    assert [e.title for e in back.events] == [e.title for e in corpus.events]
    assert [e.summary for e in back.events] == [e.summary for e in corpus.events]


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote(escape_folder):
    rows = list(csv.DictReader(io.StringIO(export(load_corpus(escape_folder), "csv").decode("utf-8"), newline="")))
    assert rows[0]["title"] == "'=HYPERLINK(\"http://evil.invalid\",\"click\")"
    assert rows[0]["date_note"] == "'-2+3"
    assert rows[0]["actors"].startswith("X ")  # "X ...; =Y()": not at the start of the cell
    assert rows[1]["title"].startswith("'@SUM(1+1)")
    assert rows[1]["summary"] == "'+1"
    assert rows[0]["id"] == "e1" and rows[0]["date"] == "2019-07-18"  # the rest as it was


# A carriage return becomes a line break first (for_people): no cell starts with one.
@pytest.mark.parametrize("value, escaped", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\r=1", "\n=1"),
    ("a=1", "a=1"), ("", ""), ("1-2", "1-2"), (3, "3"),
])
def test_csv_cell(value, escaped):
    assert csv_cell(value) == escaped
    assert csv_cell(value, formulas="keep") == for_people(str(value))


def test_csv_formulas_can_be_kept_for_data_pipelines(escape_folder):
    rows = list(csv.DictReader(io.StringIO(export(load_corpus(escape_folder), "csv", csv_formulas="keep")
                                           .decode("utf-8"), newline="")))
    assert rows[0]["title"] == "=HYPERLINK(\"http://evil.invalid\",\"click\")"
    assert rows[0]["date_note"] == "-2+3"
    assert "␛]0;PWNED␇" in rows[0]["summary"]  # text for people all the same


# -- the command line: a terminal, a pipe, a file ---------------------------------------------------------------


def _on_a_terminal(argv: list[str]) -> tuple[int, bytes]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, its stdout a terminal
        os.execv(sys.executable, [sys.executable, "-m", "tui", *argv])
    out = b""
    while True:
        try:
            block = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not block:
            break
        out += block
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_is_the_same_safe_text_on_a_terminal_in_a_pipe_and_in_a_file(escape_folder, tmp_path, fmt):
    argv = ["export", str(escape_folder), "--format", fmt]
    status, on_terminal = _on_a_terminal(argv)
    assert status == 0
    piped = subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, timeout=60, cwd=REPO)
    assert piped.returncode == 0, piped.stderr
    target = tmp_path / f"out.{fmt}"
    written = subprocess.run([sys.executable, "-m", "tui", *argv, "-o", str(target)], capture_output=True, timeout=60)
    assert written.returncode == 0, written.stderr
    in_file = target.read_bytes()
    for data in (on_terminal, piped.stdout, in_file):
        assert RAW_CONTROL.search(data) is None
    assert in_file == piped.stdout
    # The terminal adds a CR before each LF: nothing else differs (no escaping of its own).
    assert on_terminal == piped.stdout.replace(b"\n", b"\r\n")
    assert b"\\u000d" not in on_terminal  # CSV's own line ends are not escaped
    if fmt == "json":
        assert json.loads(piped.stdout)["corpus"]["title"] == "Title " + ATTACK


def test_csv_formulas_option(escape_folder, capsys):
    status, out, _ = run(["export", str(escape_folder), "-f", "csv", "--csv-formulas", "keep"], capsys)
    assert status == 0
    assert "\n" + 'e1,2019-07-18,18 July 2019,"=HYPERLINK(' in out.replace("\r\n", "\n")
    status, _, err = run(["export", str(escape_folder), "-f", "json", "--csv-formulas", "keep"], capsys)
    assert status == 2 and "--csv-formulas: only for --format csv" in err


# -- check --warnings --------------------------------------------------------------------------------------------


def test_check_warnings_name_every_field_with_control_characters(escape_folder, capsys):
    status, out, _ = run(["check", str(escape_folder), "--warnings"], capsys)
    assert status == 0
    lines = [line for line in out.splitlines() if "control characters" in line]
    where = [PROBLEM_LINE.match(line).group("location") for line in lines]
    assert where == [
        "title", "description", 'documents[0].title (document "d1")', 'documents[0].outlet (document "d1")',
        'documents[0].url (document "d1")', 'documents[0].exclude[0].reason (document "d1")', 'actors[0].name (actor "x")',
        'events[0].summary (event "e1")', 'events[0].quotes[0].exact (event "e1")', 'events[1].title (event "e2")',
    ]
    assert all("\x1b" not in line and "U+001B" in line for line in lines)
    # Each on the line where its record starts.
    text = (escape_folder / "corpus.json").read_text(encoding="utf-8").splitlines()
    line = int(PROBLEM_LINE.match(lines[-1]).group("line"))
    assert text[line - 1].strip() == "{" and text[line].strip() == '"id": "e2",'
    # 10 of control characters, and 2 editorial ones: the title quotes phrases no quote holds.
    assert "OK: 2 events" in out and "12 warnings" in out


@pytest.mark.parametrize("written", ["\\u001b[2J", "\\u009b", "\\u202e", "\u202e", "\u0085", "\\u0000"])
def test_check_warns_of_a_control_character_however_it_is_written(make_corpus, capsys, written):
    raw = json.dumps(base_corpus(), indent=2).replace('"title": "E"', f'"title": "E{written}"')
    folder = make_corpus(raw)
    status, out, _ = run(["check", str(folder), "--warnings"], capsys)
    assert status == 0
    assert 'events[0].title (event "e1"): warning: holds control characters' in out


def test_check_does_not_warn_of_ordinary_text(make_corpus, capsys):
    data = base_corpus()
    data["events"][0]["title"] = "Line\nbreak\ttab “quotes” 👨‍👩‍👧 می‌خواهم C:\\bin\\file"
    status, out, _ = run(["check", str(make_corpus(data)), "--warnings"], capsys)
    assert status == 0 and "control characters" not in out


def test_a_large_corpus_names_the_same_fields_with_control_characters(escape_folder, monkeypatch, tmp_path):
    """A large corpus is compiled by the engine, which finds the events that hold control characters
    (the others are never decoded): its warnings are those of the usual load, field by field, and
    they stay with its compiled cache."""
    import tui.model.opening
    from tui.model.engine.largefile import cache_folder
    from tui.model.opening import Source, open_store, plan

    def control(problems) -> list[str]:
        return sorted(p.location for p in problems if p.code == "control")

    usual = control(load_corpus(escape_folder).warnings)
    monkeypatch.setattr(tui.model.opening, "SQL_FROM_BYTES", 0)  # every corpus is a large one
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    store = open_store(plan(Source(str(escape_folder))))
    assert store.compiled is not None and len(usual) == 10
    assert control(store.warnings) == usual
    meta = cache_folder(escape_folder / "corpus.json") / "meta.json"
    for _ in range(200):  # the cache is written in a thread
        if meta.exists():
            break
        time.sleep(0.05)
    store.close()
    again = open_store(plan(Source(str(escape_folder))))
    assert again.compiled is not None and control(again.warnings) == usual
