"""Marks, notes and saved views in their sidecar file: nothing a researcher writes is lost."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from tui.model import notes as notes_module
from tui.model.corpus import Query
from tui.model.dates import parse_edtf
from tui.model.notes import CONFLICT_SEPARATOR, NotesStore, notes_path, query_from_view, view_from_query


@pytest.fixture
def sidecar(tmp_path) -> Path:
    return tmp_path / "corpus.notes.json"


def on_disk(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


def test_marks_and_notes_are_written_at_once_and_read_back(sidecar):
    store = NotesStore.open(sidecar)
    assert store.set_mark("july-8-statement", True).saved
    assert store.set_note("july-8-statement", "22 states; compare the 37 of July 12.").saved
    disk = on_disk(sidecar)
    assert disk["format"] == "timeline-notes/1"
    assert "july-8-statement" in disk["marks"]
    assert disk["notes"]["july-8-statement"]["text"] == "22 states; compare the 37 of July 12."
    again = NotesStore.open(sidecar)
    assert again.is_marked("july-8-statement")
    assert again.note("july-8-statement").startswith("22 states")
    assert again.set_mark("july-8-statement", False).saved
    assert not NotesStore.open(sidecar).is_marked("july-8-statement")


def test_an_empty_note_removes_it(sidecar):
    store = NotesStore.open(sidecar)
    store.set_note("e1", "text")
    store.set_note("e1", "   ")
    assert "e1" not in on_disk(sidecar)["notes"]


def test_the_sidecar_sits_beside_the_corpus_or_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path / "data"))
    folder = tmp_path / "corpus"
    folder.mkdir()
    assert notes_path(folder / "corpus.json") == folder / "corpus.notes.json"
    assert notes_path(folder / "timeline.json") == folder / "timeline.notes.json"  # an imported file
    bundled = notes_path(folder / "corpus.json", bundled=True)
    assert bundled.parent == tmp_path / "data" / "notes" and bundled.name.endswith(".notes.json")
    # Named by the SHA-1 of the corpus's path, as every version has named it: notes written before are found.
    key = hashlib.sha1(str((folder / "corpus.json").resolve()).encode("utf-8")).hexdigest()[:16]
    assert bundled.name == f"corpus-{key}.notes.json"
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # a read-only folder
    assert notes_path(folder / "corpus.json").parent == tmp_path / "data" / "notes"


def test_a_damaged_sidecar_is_set_aside_never_overwritten(sidecar):
    garbage = b'{"format": "timeline-notes/1", "marks": {"e1": '  # cut short
    sidecar.write_bytes(garbage)
    store = NotesStore.open(sidecar)
    assert store.set_aside is not None and store.set_aside.read_bytes() == garbage
    assert "set aside" in store.load_error and store.set_aside.name in store.load_error
    assert store.set_mark("e2", True).saved
    assert set(on_disk(sidecar)["marks"]) == {"e2"}
    assert store.set_aside.read_bytes() == garbage  # still there, untouched


def test_a_sidecar_damaged_during_a_session_keeps_what_the_session_knew(sidecar):
    store = NotesStore.open(sidecar)
    store.set_mark("e1", True)
    store.set_note("e1", "first")
    sidecar.write_bytes(b"not json at all")  # something else wrote over it
    result = store.set_mark("e2", True)
    assert result.saved and result.set_aside is not None
    assert result.set_aside.read_bytes() == b"not json at all"
    disk = on_disk(sidecar)
    assert set(disk["marks"]) == {"e1", "e2"} and disk["notes"]["e1"]["text"] == "first"


def test_a_file_of_another_format_is_never_touched(sidecar):
    other = orjson.dumps({"format": "something-else/2", "marks": {}})
    sidecar.write_bytes(other)
    store = NotesStore.open(sidecar)
    assert store.set_aside is None and "not a timeline-notes/1 file" in store.load_error
    result = store.set_mark("e1", True)
    assert not result.saved and "never written over" in result.error
    assert store.is_marked("e1") and store.unsaved == 1  # kept in the session
    assert sidecar.read_bytes() == other
    assert [p.name for p in sidecar.parent.iterdir()] == [sidecar.name]


def test_two_sessions_keep_each_others_marks_and_notes(sidecar):
    a = NotesStore.open(sidecar)
    b = NotesStore.open(sidecar)  # opened before a wrote anything
    a.set_mark("e1", True)
    a.set_note("e1", "from a")
    b.set_mark("e2", True)
    b.set_note("e2", "from b")
    disk = on_disk(sidecar)
    assert set(disk["marks"]) == {"e1", "e2"}
    assert disk["notes"]["e1"]["text"] == "from a" and disk["notes"]["e2"]["text"] == "from b"
    assert a.changed_on_disk()
    assert a.reload()
    assert a.is_marked("e2") and a.note("e2") == "from b"
    assert not a.changed_on_disk()


def test_the_same_note_edited_in_two_sessions_keeps_both_versions(sidecar):
    a = NotesStore.open(sidecar)
    a.set_note("e1", "original")
    b = NotesStore.open(sidecar)
    a.set_note("e1", "edited in a")
    result = b.set_note("e1", "edited in b")  # b still thinks it says "original"
    assert result.saved and result.conflict
    text = on_disk(sidecar)["notes"]["e1"]["text"]
    assert text == "edited in a" + CONFLICT_SEPARATOR + "edited in b"
    assert b.note("e1") == text
    # Removing a note another session has changed meanwhile removes nothing.
    a.reload()
    c = NotesStore.open(sidecar)
    a.set_note("e1", "again in a")
    c.set_note("e1", "")
    assert on_disk(sidecar)["notes"]["e1"]["text"] == "again in a"


def test_a_failed_write_loses_nothing_and_is_retried(sidecar, monkeypatch):
    store = NotesStore.open(sidecar)
    store.set_mark("e1", True)
    before = sidecar.read_bytes()
    real_replace = os.replace

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    result = store.set_note("e1", "written while the disk was full")
    assert not result.saved and "No space left" in result.error
    assert store.unsaved == 1
    assert store.note("e1") == "written while the disk was full"  # kept in memory
    assert sidecar.read_bytes() == before  # the file on disk is the last whole version
    assert [p.name for p in sidecar.parent.iterdir() if p.name.endswith(".tmp")] == []
    monkeypatch.setattr(os, "replace", real_replace)
    assert store.set_mark("e2", True).saved  # the next change writes both
    disk = on_disk(sidecar)
    assert disk["notes"]["e1"]["text"] == "written while the disk was full"
    assert set(disk["marks"]) == {"e1", "e2"}
    assert store.unsaved == 0


def test_an_unreadable_sidecar_is_never_written_over(sidecar, monkeypatch):
    sidecar.write_bytes(orjson.dumps({"format": "timeline-notes/1", "marks": {"kept": {"at": "x"}}}))
    real = notes_module.read_regular

    def denied(path, **kwargs):
        if Path(path) == sidecar:
            raise PermissionError(13, "Permission denied")
        return real(path, **kwargs)

    monkeypatch.setattr(notes_module, "read_regular", denied)
    store = NotesStore.open(sidecar)
    assert "Permission denied" in store.load_error
    result = store.set_mark("e1", True)
    assert not result.saved and "never written over" in result.error
    monkeypatch.setattr(notes_module, "read_regular", real)
    assert set(on_disk(sidecar)["marks"]) == {"kept"}


_WRITER = """
import sys
from pathlib import Path
from tui.model.notes import NotesStore
store = NotesStore.open(Path(sys.argv[1]))
i = 0
while True:
    store.set_mark(f"e{i}", True)
    store.set_note(f"e{i}", "note " * 200 + str(i))
    print(i, flush=True)  # acknowledged: both are on disk
    i += 1
"""


def test_killing_a_session_in_the_middle_of_saving_loses_no_acknowledged_change(sidecar):
    for delay in (0.3, 0.45, 0.6):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(sidecar)], stdout=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged = [int(line) for line in out.split()]
        assert acknowledged, "the writer never got going"
        disk = on_disk(sidecar)  # always a whole file
        for i in acknowledged:
            assert f"e{i}" in disk["marks"]
            assert disk["notes"][f"e{i}"]["text"].endswith(str(i))
    leftovers = [p for p in sidecar.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 3  # a kill between write and rename leaves a dot-file, never a half sidecar


def test_saved_views_round_trip(sidecar):
    store = NotesStore.open(sidecar)
    query = Query(frozenset({"qatar", "china"}), parse_edtf("2019-07"), parse_edtf("2019-08~"), frozenset({"letter"}))
    store.save_view("Qatar in July", view_from_query(query, "withdraw"))
    again = NotesStore.open(sidecar)
    back, problems = query_from_view(again.views["Qatar in July"])
    assert problems == []
    assert back.actors == query.actors and back.types == query.types and back.text == "withdraw"
    assert back.date_from.text == "2019-07" and back.date_to.text == "2019-08~"
    store.delete_view("Qatar in July")
    assert NotesStore.open(sidecar).views == {}


def test_a_view_with_a_bad_date_says_so(sidecar):
    back, problems = query_from_view({"actors": ["qatar"], "from": "July 2019", "to": None})
    assert back.actors == {"qatar"} and back.date_from is None
    assert problems and problems[0].startswith("from:")


def test_reload_keeps_unsaved_changes_on_top(sidecar, monkeypatch):
    a = NotesStore.open(sidecar)
    b = NotesStore.open(sidecar)
    monkeypatch.setattr(notes_module, "atomic_write_bytes", lambda *args: (_ for _ in ()).throw(OSError(5, "I/O error")))
    assert not a.set_mark("mine", True).saved
    monkeypatch.undo()
    b.set_mark("theirs", True)
    a.reload()
    assert a.is_marked("mine") and a.is_marked("theirs") and a.unsaved == 1
    assert a.retry().saved
    assert set(on_disk(sidecar)["marks"]) == {"mine", "theirs"}
