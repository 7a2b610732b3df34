"""Hostile and unlucky files (issue 24): nothing hangs on a pipe or a device, nothing the user
wrote is replaced, the marks and notes are never lost.

One mechanism each (``tui.model.files``): readers take only regular files within a size
limit; writers replace only regular files that are neither read by the command nor a
sidecar of marks and notes.  These tests try each class through the command line.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from model_support import REPO, SEEDS, run

from tui.model import files
from tui.model.atomic import atomic_write_bytes
from tui.model.files import NotARegularFile, OutputRefused, TooLarge, check_output, read_regular
from tui.model.notes import NotesStore

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")

NOTES = {"format": "timeline-notes/1", "marks": {"july-12-letter": {"at": "2019-07-12T00:00:00Z"}},
         "notes": {"july-12-letter": {"text": "mine, typed by hand", "updated": "2026-01-01T00:00:00Z"}}, "views": {}}


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def command(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The command line in a process of its own, so that a hang fails the test instead of the run."""
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO)


# -- reading: only regular files, within a limit --------------------------------------------------


def test_reading_a_pipe_or_a_device_fails_at_once_and_says_what_it_is(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # nobody writes to it: a plain read would block forever
    with pytest.raises(NotARegularFile) as caught:
        read_regular(fifo)
    assert "named pipe (FIFO)" in caught.value.strerror
    with pytest.raises(NotARegularFile) as caught:
        read_regular("/dev/zero")  # never ends
    assert "character device" in caught.value.strerror
    with pytest.raises(IsADirectoryError):
        read_regular(tmp_path)


def test_a_file_over_its_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(files.DOCUMENT_LIMIT + 1)  # sparse: costs no disk
    with pytest.raises(TooLarge) as caught:
        files.read_document(big)
    assert "more than the 64 MB a document may have" in caught.value.strerror
    assert read_regular(big, limit=None)[:1] == b"\0"  # no limit: read


def test_check_names_a_document_that_is_a_pipe_and_does_not_hang(seeds):
    doc = seeds / "004_7829e80712a0d21d.txt"
    doc.unlink()
    os.mkfifo(doc)
    result = command("check", str(seeds))
    assert result.returncode == 1
    assert "004_7829e80712a0d21d.txt cannot be read: it is a named pipe (FIFO), not a regular file" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_opening_a_corpus_whose_document_is_a_pipe_or_too_large_says_why(seeds):
    doc = seeds / "004_7829e80712a0d21d.txt"
    doc.unlink()
    os.mkfifo(doc)
    result = command(str(seeds))
    assert result.returncode == 1
    assert "it is a named pipe (FIFO), not a regular file" in result.stderr
    doc.unlink()
    with open(doc, "wb") as handle:
        handle.truncate(files.DOCUMENT_LIMIT + 1)
    result = command("check", str(seeds))
    assert result.returncode == 1 and "more than the 64 MB a document may have" in result.stdout


def test_a_corpus_file_that_is_a_pipe_is_never_read(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    os.mkfifo(folder / "corpus.json")
    for argv in (["check", str(folder)], ["check", str(folder / "corpus.json")], [str(folder / "corpus.json")]):
        result = command(*argv)
        assert result.returncode == 1, argv
        assert "Traceback" not in result.stdout + result.stderr


def test_extract_refuses_a_pipe_and_a_device(tmp_path):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    result = command("extract", str(fifo), "/dev/zero", "--published", "2019-08-21", "-o", str(tmp_path / "d.json"))
    assert result.returncode == 1
    assert "it is a named pipe (FIFO), not a regular file" in result.stderr
    assert "it is a character device, not a regular file" in result.stderr
    assert not (tmp_path / "d.json").exists()


def test_import_csv_refuses_a_pipe(tmp_path):
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    result = command("import", "csv", str(fifo), "-o", str(tmp_path / "out"))
    assert result.returncode == 1 and "named pipe (FIFO)" in result.stderr
    assert not (tmp_path / "out").exists()


# -- writing: only regular files, never what is read, never the marks and notes -----------------


def test_atomic_writes_never_replace_a_pipe_a_link_or_a_folder(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    for path in (fifo, link, tmp_path):
        with pytest.raises(OSError):
            atomic_write_bytes(path, b"x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink() and not (tmp_path / "elsewhere").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_export_with_force_replaces_only_a_regular_file(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    status, _, err = run(["export", "-f", "json", "-o", str(fifo), "--force"], capsys)
    assert status == 1 and "is a named pipe (FIFO), not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    link = tmp_path / "link.json"
    (tmp_path / "target.json").write_text("kept")
    link.symlink_to(tmp_path / "target.json")
    status, _, err = run(["export", "-f", "json", "-o", str(link), "--force"], capsys)
    assert status == 1 and "is a symbolic link" in err
    assert link.is_symlink() and (tmp_path / "target.json").read_text() == "kept"
    mine = tmp_path / "old.json"
    mine.write_text("old")
    status, _, err = run(["export", "-f", "json", "-o", str(mine)], capsys)
    assert status == 1 and "already exists; not replaced (add --force" in err
    assert run(["export", "-f", "json", "-o", str(mine), "--force"], capsys)[0] == 0
    assert orjson.loads(mine.read_bytes())["format"] == "timeline-export/1"


def test_export_never_writes_over_the_marks_and_notes(seeds, tmp_path, capsys):
    sidecar = seeds / "corpus.notes.json"
    sidecar.write_bytes(orjson.dumps(NOTES))
    status, _, err = run(["export", str(seeds), "-f", "json", "-o", str(sidecar), "--force"], capsys)
    assert status == 1 and "marks and notes" in err
    assert orjson.loads(sidecar.read_bytes()) == NOTES
    # Another corpus's sidecar, moved anywhere, is no export's to replace either.
    moved = tmp_path / "notes-backup.json"
    moved.write_bytes(orjson.dumps(NOTES, option=orjson.OPT_INDENT_2))
    status, _, err = run(["export", str(seeds), "-f", "csv", "-o", str(moved), "--force"], capsys)
    assert status == 1 and "holds marks and notes" in err
    assert orjson.loads(moved.read_bytes()) == NOTES
    status, _, err = run(["export", str(seeds), "-f", "csv", "-o", str(seeds / "corpus.json"), "--force"], capsys)
    assert status == 1 and "is the corpus file" in err


CSV = "event_id_cnty,event_date,notes\nA1,2019-07-18,Qatar withdrew.\nA2,not a date,Broken.\n"


def test_an_import_report_never_replaces_the_table_a_link_or_a_file_without_force(tmp_path, capsys):
    table = tmp_path / "in.csv"
    table.write_text(CSV, encoding="utf-8")
    status, _, err = run(["import", "csv", str(table), "-o", str(tmp_path / "out"), "--skip-bad-rows",
                          "--report", str(table)], capsys)
    assert status == 1 and "is the table being imported" in err
    assert table.read_text(encoding="utf-8") == CSV and not (tmp_path / "out").exists()
    existing = tmp_path / "report.csv"
    existing.write_text("mine")
    status, _, err = run(["import", "csv", str(table), "-o", str(tmp_path / "out"), "--skip-bad-rows",
                          "--report", str(existing)], capsys)
    assert status == 1 and "already exists; not replaced" in err and existing.read_text() == "mine"
    link = tmp_path / "link.csv"
    link.symlink_to(existing)
    status, _, err = run(["import", "csv", str(table), "-o", str(tmp_path / "out"), "--skip-bad-rows", "--force",
                          "--report", str(link)], capsys)
    assert status == 1 and "symbolic link" in err and existing.read_text() == "mine"
    status, _, err = run(["import", "csv", str(table), "-o", str(tmp_path / "out"), "--skip-bad-rows",
                          "--report", str(tmp_path / "new-report.csv")], capsys)
    assert status == 0 and "not a date" in (tmp_path / "new-report.csv").read_text(encoding="utf-8")


def test_reimporting_over_a_corpus_folder_keeps_its_marks_and_notes(tmp_path, capsys):
    table = tmp_path / "in.csv"
    table.write_text(CSV.replace("A2,not a date", "A2,2019-07-19"), encoding="utf-8")
    out = tmp_path / "out"
    assert run(["import", "csv", str(table), "-o", str(out)], capsys)[0] == 0
    notes = {**NOTES, "marks": {"A1": {"at": "x"}}}
    (out / "corpus.notes.json").write_bytes(orjson.dumps(notes))
    assert run(["import", "csv", str(table), "-o", str(out), "--force"], capsys)[0] == 0
    assert orjson.loads((out / "corpus.notes.json").read_bytes()) == notes
    assert (out / "corpus.json").is_file()


def test_check_output_says_what_is_in_the_way(tmp_path):
    with pytest.raises(OutputRefused) as caught:
        check_output("/dev/null", force=True)
    assert caught.value.message == "is a character device, not a regular file; only a regular file may be replaced"
    check_output(tmp_path / "new.json")  # nothing there: fine
    (tmp_path / "old.json").write_text("x")
    with pytest.raises(OutputRefused) as caught:
        check_output(tmp_path / "old.json")
    assert caught.value.replaceable
    check_output(tmp_path / "old.json", force=True)


# -- the sidecar of marks and notes -------------------------------------------------------------


def test_a_dangling_lock_link_creates_nothing_outside_the_folder(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    outside = tmp_path / "outside" / "planted"
    (tmp_path / "outside").mkdir()
    (folder / "corpus.notes.json.lock").symlink_to(outside)
    store = NotesStore.open(folder / "corpus.notes.json")
    result = store.set_mark("e1", True)
    assert not result.saved and "lock file is a symbolic link" in result.error
    assert not outside.exists()
    assert store.is_marked("e1") and store.unsaved == 1  # kept in the session
    (folder / "corpus.notes.json.lock").unlink()
    assert store.retry().saved


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_sidecar_that_is_not_a_regular_file_is_left_alone_and_the_notes_go_elsewhere(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
    folder = tmp_path / "corpus"
    folder.mkdir()
    beside = folder / "corpus.notes.json"
    if kind == "fifo":
        os.mkfifo(beside)
    elif kind == "dev-zero":
        beside.symlink_to("/dev/zero")
    else:
        beside.mkdir()
    store = NotesStore.for_corpus(folder / "corpus.json")  # returns at once: nothing is read from it
    assert store.path.is_relative_to(tmp_path / "data")
    assert str(beside) in store.load_error and str(store.path) in store.load_error
    assert store.set_mark("e1", True).saved
    assert os.path.lexists(beside) and not beside.is_file()
    # Opened directly at that path, it is not read either, and never written over.
    direct = NotesStore.open(beside)
    assert not direct.set_mark("e1", True).saved and "never written over" in direct.load_error


def test_an_unrelated_file_beside_an_imported_file_is_not_renamed(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
    (tmp_path / "t.json").write_text("{}")
    unrelated = tmp_path / "t.notes.json"
    unrelated.write_text('{"my": "own notes about t.json"}')
    store = NotesStore.for_corpus(tmp_path / "t.json")
    assert store.set_mark("e1", True).saved
    assert unrelated.read_text() == '{"my": "own notes about t.json"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "t.json", "t.notes.json"]


def test_a_sidecar_with_a_byte_order_mark_is_read(tmp_path):
    sidecar = tmp_path / "corpus.notes.json"
    sidecar.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(NOTES))
    store = NotesStore.open(sidecar)
    assert store.load_error == "" and store.set_aside is None
    assert store.is_marked("july-12-letter") and store.note("july-12-letter") == "mine, typed by hand"


def test_entries_that_do_not_fit_are_left_out_and_the_file_is_kept(tmp_path):
    sidecar = tmp_path / "corpus.notes.json"
    bad = {**NOTES, "views": {"x": 5, "y": {"actors": 7}, "good": {"actors": ["qatar"], "from": "2019-07"}},
           "notes": {**NOTES["notes"], "n2": {"text": 3}}}
    sidecar.write_bytes(orjson.dumps(bad))
    store = NotesStore.open(sidecar)
    assert set(store.views) == {"good"} and set(store.notes) == {"july-12-letter"}
    assert "3 entries" in store.load_error and "notes 'n2'" in store.load_error
    assert store.set_aside is not None and orjson.loads(store.set_aside.read_bytes()) == bad
    assert store.set_mark("e2", True).saved  # the sidecar is written without them ...
    assert set(orjson.loads(sidecar.read_bytes())["views"]) == {"good"}
    assert orjson.loads(store.set_aside.read_bytes()) == bad  # ... which are kept beside it


def test_a_read_only_folder_shows_the_sidecar_beside_it_and_writes_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
    folder = tmp_path / "corpus"
    folder.mkdir()
    beside = folder / "corpus.notes.json"
    beside.write_bytes(orjson.dumps(NOTES))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == folder else real_access(path, mode))
    store = NotesStore.for_corpus(folder / "corpus.json")
    assert store.path.is_relative_to(tmp_path / "data")
    assert store.is_marked("july-12-letter") and store.note("july-12-letter") == "mine, typed by hand"
    assert store.set_mark("e2", True).saved
    assert orjson.loads(beside.read_bytes()) == NOTES  # never written
    again = NotesStore.for_corpus(folder / "corpus.json")
    assert again.is_marked("july-12-letter") and again.is_marked("e2")


def test_a_note_edited_in_two_sessions_keeps_both_even_after_one_reads_the_other(tmp_path):
    sidecar = tmp_path / "corpus.notes.json"
    a = NotesStore.open(sidecar)
    b = NotesStore.open(sidecar)
    base_b = b.note("e1")  # b's editor opens on the empty note
    assert a.set_note("e1", "written in a").saved
    assert b.reload()  # b's poll reads a's note while b's editor is open
    result = b.set_note("e1", "written in b", base=base_b)
    assert result.saved and result.conflict
    text = orjson.loads(sidecar.read_bytes())["notes"]["e1"]["text"]
    assert "written in a" in text and "written in b" in text


def test_rescue_writes_everything_to_a_new_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
    sidecar = tmp_path / "ro" / "corpus.notes.json"
    sidecar.parent.mkdir()
    sidecar.mkdir()  # cannot be written: a folder is in the way
    store = NotesStore.open(sidecar)
    assert not store.set_note("e1", "precious").saved
    rescued = store.rescue()
    assert rescued.is_relative_to(tmp_path / "data")
    assert orjson.loads(rescued.read_bytes())["notes"]["e1"]["text"] == "precious"
    with pytest.raises(OutputRefused):
        store.rescue(rescued)  # never over an existing file
