"""Hostile and unlucky input (issue 24): numbers and years of thousands of digits, dates in
other scripts' digits, a strptime format without a year, duplicate keys in corpus.json, odd
CSV cells, a corpus.json that is not a file.  Each class through the command line: a located
message, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from model_support import REPO, SEEDS, run

NINES = "9" * 5000  # beyond Python's 4,300-digit limit on converting a string to an integer
EXAMPLE = REPO / "docs" / "example"


def short(value: object) -> str:
    """A test id: a 5,000-digit parameter shown cut short."""
    text = str(value)
    return text if len(text) < 30 else f"{text[:8]}…({len(text)})"


@pytest.fixture
def example(tmp_path) -> Path:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    return folder


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text and "internal error" not in text and "4300" not in text


def with_first_event(folder: Path, **fields) -> str:
    data = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    data["events"][0].update(fields)
    (folder / "corpus.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data["events"][0]["id"]


# -- numbers and years of thousands of digits ----------------------------------------------------


@pytest.mark.parametrize("date", ["Y" + NINES, NINES, f"Y{NINES}/2020", "Y1E99999999999"], ids=short)
def test_check_locates_a_year_of_thousands_of_digits(example, capsys, date):
    event = with_first_event(example, date=date)
    status, out, err = run(["check", str(example)], capsys)
    assert status == 1
    no_traceback(out, err)
    assert f'event "{event}"' in out and ".date" in out and "year too large" in out
    assert len(out) < 2000, "the message quotes the long year cut short"


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_export_and_open_refuse_a_year_of_thousands_of_digits(example, capsys, option):
    status, out, err = run(["export", "-f", "json", option, "Y" + NINES, str(example)], capsys)
    assert status == 2
    no_traceback(out, err)
    assert option in err and "year too large" in err and len(err) < 2000
    status, out, err = run([str(example), option, "Y" + NINES], capsys)
    assert status == 2
    no_traceback(out, err)
    assert "year too large" in err


def test_extract_refuses_a_publication_year_of_thousands_of_digits(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("On 3 March the bridge closed.\n", encoding="utf-8")
    status, out, err = run(["extract", str(tmp_path / "a.txt"), "--published", NINES, "-o", str(tmp_path / "d")], capsys)
    assert status == 2
    no_traceback(out, err)
    assert "--published" in err and "year too large" in err and len(err) < 2000
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("year", [NINES, f'"{NINES}"', "123456789012345678901", "-" + NINES], ids=short)
def test_import_timelinejs_locates_a_year_of_thousands_of_digits(tmp_path, capsys, year):
    source = tmp_path / "t.json"
    source.write_text('{"events": [{"start_date": {"year": 2019}, "text": {"headline": "fine"}},'
                      f' {{"start_date": {{"year": {year}}}, "text": {{"headline": "x"}}}}]}}', encoding="utf-8")
    status, out, err = run(["import", "timelinejs", str(source), "-o", str(tmp_path / "c")], capsys)
    assert status == 1
    no_traceback(out, err)
    assert "events[1].start_date.year" in out + err
    assert "too large" in out + err or "out of range" in out + err
    assert not (tmp_path / "c").exists()


def test_import_annotations_with_a_number_of_thousands_of_digits_does_not_crash(tmp_path, capsys):
    source = tmp_path / "a.json"
    source.write_text(f'[{{"id": {NINES}, "text": "x"}}]', encoding="utf-8")
    status, out, err = run(["import", "annotations", "--corpus", str(EXAMPLE), "-o", str(tmp_path / "d"),
                            str(source)], capsys)
    no_traceback(out, err)


@pytest.mark.parametrize(("cell", "words"), [
    (NINES, "year too large"), ("Y" + NINES, "year too large"),
    ("٢٠١٩-07-18", "digits other than 0-9"), ("18/07/２０１９", "digits other than 0-9"),
    ("١٨ July ٢٠١٩", "digits other than 0-9"), ("２０１９", "digits other than 0-9"),
], ids=short)
def test_import_csv_locates_a_date_cell_of_thousands_of_digits_or_other_digits(tmp_path, capsys, cell, words):
    source = tmp_path / "t.csv"
    source.write_text(f"date,title\n2019-07-18,fine\n{cell},x\n", encoding="utf-8")
    status, out, err = run(["import", "csv", str(source), "-o", str(tmp_path / "c")], capsys)
    assert status == 1
    no_traceback(out, err)
    assert f"{source}:3: row 3, column 'date'" in out + err and words in out + err
    assert len(out + err) < 2000


# -- a strptime format without a year -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["%H:%M", "%d/%m", "%B %d", "%%Y %m"])
def test_a_date_format_without_a_year_is_refused(tmp_path, capsys, fmt):
    source = tmp_path / "t.csv"
    source.write_text("date,title\n12:30,x\n", encoding="utf-8")
    status, out, err = run(["import", "csv", str(source), "-o", str(tmp_path / "c"), "--date-format", fmt], capsys)
    assert status == 2
    assert "--date-format" in err and "no year" in err and "%Y" in err
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize(("fmt", "cell", "date"), [("%d/%m/%Y", "18/07/2019", "2019-07-18"), ("%y %H:%M", "19 12:30", "2019")])
def test_a_date_format_with_a_year_still_imports(tmp_path, capsys, fmt, cell, date):
    source = tmp_path / "t.csv"
    source.write_text(f"date,title\n{cell},x\n", encoding="utf-8")
    status, out, err = run(["import", "csv", str(source), "-o", str(tmp_path / "c"), "--date-format", fmt], capsys)
    assert status == 0, err
    assert json.loads((tmp_path / "c" / "corpus.json").read_text())["events"][0]["date"] == date


# -- EDTF dates in other digits or with an impossible offset, in a corpus --------------------------


@pytest.mark.parametrize("date", ["٢٠١٩", "２０１９-07", "2019-07-18T12:00+25:00", "2019-07-18T12:00:00-14:30"])
def test_check_refuses_other_digits_and_impossible_offsets_located(example, capsys, date):
    event = with_first_event(example, date=date)
    status, out, err = run(["check", str(example)], capsys)
    assert status == 1
    no_traceback(out, err)
    assert f'event "{event}"' in out and ".date" in out
    assert ("digits other than 0-9" in out) or ("offset" in out)


# -- corpus.json that is not a file ---------------------------------------------------------------


def command(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
@pytest.mark.parametrize(("kind", "words"), [
    ("folder", "is a folder"), ("fifo", "named pipe"), ("zero", "character device (through a symbolic link)"),
    ("dangling", "symbolic link to"),
])
def test_a_corpus_json_that_is_not_a_file_is_named_for_what_it_is(tmp_path, kind, words):
    folder = tmp_path / "c"
    folder.mkdir()
    target = folder / "corpus.json"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "zero":
        target.symlink_to("/dev/zero")
    else:
        target.symlink_to(tmp_path / "nowhere.json")
    for argv in (["check", str(folder)], ["export", "-f", "json", str(folder)]):
        result = command(*argv)
        assert result.returncode == 1, argv
        text = result.stdout + result.stderr
        no_traceback(text)
        assert f"{target}: " in text and words in text, text
        assert "has no corpus.json" not in text


def test_seeds_still_check_clean(capsys):
    status, out, err = run(["check", str(SEEDS)], capsys)
    assert status == 0, out + err


# -- keys given twice in corpus.json --------------------------------------------------------------


@pytest.mark.parametrize("where", ["end", "start"])
def test_a_second_top_level_section_is_an_error_located(example, capsys, where):
    text = (example / "corpus.json").read_text(encoding="utf-8")
    if where == "end":
        text = text.rstrip().removesuffix("}") + ',\n"events": []\n}\n'
    else:
        text = '{"events": [],\n' + text.lstrip().removeprefix("{")
    (example / "corpus.json").write_text(text, encoding="utf-8")
    status, out, err = run(["check", str(example)], capsys)
    assert status == 1
    assert "OK" not in out
    first = 1 if where == "start" else text.index('"events"') and text[:text.index('"events"')].count("\n") + 1
    assert f"corpus.json:{first}: events: the key 'events' is given more than once at the top level" in out, out
    status, out, err = run(["export", "-f", "json", str(example)], capsys)
    assert status == 1, "nothing is exported of a corpus whose events were replaced"


def test_a_second_top_level_section_is_an_error_for_a_large_corpus_too(tmp_path, capsys):
    from tui.model.engine.largefile import build

    from tui.model.errors import CorpusError

    shutil.copytree(EXAMPLE, tmp_path / "c")
    file = tmp_path / "c" / "corpus.json"
    file.write_text(file.read_text(encoding="utf-8").rstrip().removesuffix("}") + ', "events": []}',
                    encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        build(tmp_path / "c", file)
    assert any("more than once at the top level" in p.message for p in info.value.problems)


def test_a_key_twice_in_a_record_is_a_warning_naming_the_record(example, capsys):
    text = (example / "corpus.json").read_text(encoding="utf-8")
    (example / "corpus.json").write_text(text.replace('"date": "2021-03-01",', '"date": "2021-03-01", "date": "2021-03-02",', 1),
                                         encoding="utf-8")
    status, out, err = run(["check", "--warnings", str(example)], capsys)
    assert status == 0
    assert "warning: the key 'date' is given more than once in the record \"council-votes-closure\"" in out


# -- CSV cells the csv module reads without a word ------------------------------------------------


def test_csv_stray_quotes_nul_bytes_and_repeated_column_names_are_warned_of_located(tmp_path, capsys):
    source = tmp_path / "q.csv"
    source.write_bytes(b'date,title,title,notes\n'
                       b'2019-07-18,a 5" gun,x,"fine ""quoted"""\n'
                       b'2019-07-19,b,y,"two\nlines, ""quoted"" right"\n'
                       b'2019-07-20,c\0d,z,e"f\n')
    status, out, err = run(["import", "csv", str(source), "-o", str(tmp_path / "c")], capsys)
    assert status == 0, err
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert f"{source}:1: row 1, column 3: warning: the column name 'title' is column 2's too" in err
    assert f"{source}:2: row 2, column 'title': warning: a stray '\"' in a cell that is not in quotes" in err
    assert f"{source}:5: row 4, column 'title': warning: the cell holds a NUL byte" in err
    assert f"{source}:5: row 4, column 'notes': warning: a stray '\"'" in err
    assert len(warnings) == 4, warnings  # the quoted cells, on one line or two, are fine
    events = json.loads((tmp_path / "c" / "corpus.json").read_text())["events"]
    assert [e["title"] for e in events][0].startswith('a 5" gun'), "nothing the user wrote is lost"


def test_the_docs_no_longer_call_a_stray_quote_a_bad_row():
    text = (REPO / "docs" / "import.md").read_text(encoding="utf-8")
    assert "a stray `\"`, a quote left open" not in text
    assert "stray '\"'" in text or 'a `"` inside a cell that is not in quotes' in text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_an_annotations_file_that_is_a_pipe_is_refused_not_waited_for(tmp_path):
    pipe = tmp_path / "annotations.jsonld"
    os.mkfifo(pipe)  # nobody writes to it: reading it would wait for ever
    result = command("import", "annotations", str(pipe), "--corpus", str(SEEDS), "-o", str(tmp_path / "out"),
                     timeout=30)
    assert result.returncode == 1
    no_traceback(result.stdout + result.stderr)
    assert f"{pipe}: is a named pipe (FIFO), not a regular file" in result.stderr
