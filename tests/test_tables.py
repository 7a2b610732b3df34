"""Event tables opened where they are: the built-in mappings (ACLED, GDELT 2.0), any table through a
TOML mapping, Parquet and JSON lines, a table of an engine, and every way of getting it wrong."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from model_support import PROBLEM_LINE, REPO, run

pytest.importorskip("duckdb", reason="event tables are read by the engine (duckdb)")

from tui.model.corpus import Query  # noqa: E402
from tui.model.errors import CorpusError  # noqa: E402
from tui.model.opening import Source, open_source  # noqa: E402

ACLED = REPO / "tests" / "data" / "csv" / "acled-sample.csv"
GDELT = REPO / "tests" / "data" / "gdelt" / "20141124-sample.export.CSV"


def all_events(store):
    return [store.event(p) for p in range(len(store))]


def test_a_gdelt_export_is_told_by_its_columns_and_keeps_its_source_url():
    store = open_source(Source(str(GDELT)))  # no header, tab-separated, a .CSV suffix: GDELT's own naming
    assert store.title == f"{GDELT.name} (gdelt2)"
    events = all_events(store)
    assert [(e.id, e.date.text, e.type) for e in events] == [
        ("324845984", "2004-11-26", "014"), ("324845987", "2004-11-26", "051"), ("324846008", "2013-11-24", "080")]
    assert events[1].actors == ("COMPANIES", "EXXON")
    assert events[1].title == "051: COMPANIES and EXXON in Port Moresby, National Capital, Papua New Guinea"
    source = events[0].quotes[0]  # every row keeps its provenance: the file, the row, its own source
    assert source.document.title == f"{GDELT.name}, row 1"
    assert source.document.url == source.text == (
        "http://www.news.com.au/national/western-australia/wa-police-union-ptsd-and-stress-survey-reveals-"
        "medically-retired-officers-feel-abandoned/story-fnii5thn-1227133470730")
    assert len(store.select(Query(frozenset({"EXXON"})))) == 1


def write_parquet(path: Path, rows: list[dict]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


ROWS = [
    {"uid": "b2", "when": "2021-03-04", "what": "Second", "who": "Alpha; Beta", "text": "Beta joined.", "kind": "meeting"},
    {"uid": "a1", "when": "2021-03-04", "what": "First", "who": "Alpha", "text": "Alpha met.", "kind": "meeting"},
    {"uid": "c3", "when": "2020-12", "what": "Earlier", "who": "Gamma", "text": "Gamma wrote.", "kind": "letter"},
]

MAPPING = """
[mapping]
id = "uid"
date = "when"
title = "what"
notes = "text"
summary = "text"
actors = ["who"]
type = "kind"
"""


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".csv"])
def test_any_table_opens_through_a_toml_mapping(tmp_path, suffix):
    table = tmp_path / f"events{suffix}"
    if suffix == ".parquet":
        write_parquet(table, ROWS)
    elif suffix == ".jsonl":
        table.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    else:
        table.write_text("uid,when,what,who,text,kind\n" + "".join(
            ",".join(f'"{v}"' for v in r.values()) + "\n" for r in ROWS), encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    store = open_source(Source(str(table), mapping=str(mapping)))
    assert [(e.id, e.date.text, e.title, e.actors, e.type) for e in all_events(store)] == [
        ("c3", "2020-12", "Earlier", ("Gamma",), "letter"),
        ("a1", "2021-03-04", "First", ("Alpha",), "meeting"),
        ("b2", "2021-03-04", "Second", ("Alpha", "Beta"), "meeting"),  # one date: by id
    ]
    assert len(store.select(Query(frozenset({"Alpha"})))) == 2
    assert len(store.select(Query(text="joined"))) == 1


def test_a_mapping_that_names_a_missing_column_is_a_located_error(tmp_path, capsys):
    table = write_parquet(tmp_path / "events.parquet", ROWS)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING.replace('"who"', '"whom"'), encoding="utf-8")
    status, _, err = run([str(table), "--mapping", str(mapping)], capsys)
    assert status == 1 and "Traceback" not in err
    assert "mapping.actors: the table has no column 'whom' (fix: did you mean 'who'?)" in err


@pytest.mark.parametrize("text, words", [
    ("[mapping\ndate = 1", "is not valid TOML"),
    ('[mapping]\ndate = 7\n', "mapping.date: Expected `str`, got `int`"),
    ('[mapping]\ndate = "when"\ncolour = "red"\n', "unknown field `colour`"),
    ('[mapping]\npreset = "acledd"\n', "no built-in mapping 'acledd'"),
])
def test_a_bad_mapping_file_says_what_is_wrong(tmp_path, capsys, text, words):
    table = write_parquet(tmp_path / "events.parquet", ROWS)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(text, encoding="utf-8")
    status, _, err = run(["check", str(table), "--mapping", str(mapping)], capsys)
    assert status == 1 and words in err + _ and "Traceback" not in err


def test_a_mapping_may_start_from_a_preset(tmp_path):
    table = tmp_path / "renamed.csv"
    table.write_text(ACLED.read_text(encoding="utf-8").replace("event_date", "day", 1), encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[mapping]\npreset = "acled"\ndate = "day"\n', encoding="utf-8")
    store = open_source(Source(str(table), mapping=str(mapping)))
    assert len(store) == 8 and store.event(0).date.text == "2019-07?"


def test_a_table_whose_columns_say_nothing_asks_for_a_mapping(tmp_path, capsys):
    table = write_parquet(tmp_path / "events.parquet", ROWS)
    status, _, err = run([str(table)], capsys)
    assert status == 1
    assert "none of them is named as a date column (uid, when, what, who, text, kind)" in err
    assert "--mapping FILE.toml" in err


def test_bad_dates_are_located_by_row_and_column_and_can_be_left_out(tmp_path, capsys):
    rows = [*ROWS, {**ROWS[0], "uid": "d4", "when": "the 31st of Smarch"}]
    table = write_parquet(tmp_path / "events.parquet", rows)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        open_source(Source(str(table), mapping=str(mapping)))
    [problem] = caught.value.problems
    assert (problem.file, problem.location, problem.line) == ("events.parquet", "row 5, column 'when'", 5)
    assert "'the 31st of Smarch' is not a date" in problem.message
    store = open_source(Source(str(table), mapping=str(mapping), skip_bad_rows=True))
    assert len(store) == 3 and [p.location for p in store.warnings] == ["row 5, column 'when'"]


def test_a_table_on_an_engine_is_named_by_the_engine(tmp_path, capsys):
    import duckdb

    database = tmp_path / "events.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("CREATE TABLE acled AS SELECT * FROM read_csv(?, all_varchar = true)", [str(ACLED)])
    store = open_source(Source("acled", engine=f"duckdb://{database}", mapping="acled"))
    assert len(store) == 8 and store.event(0).id == "XYZ1003"
    status, out, err = run(["export", "acled", "--engine", f"duckdb://{database}", "--mapping", "acled",
                            "-f", "csv", "--actor", "Rebel Front"], capsys)
    assert status == 0, err
    assert out.count("XYZ1008") == 1 and "XYZ1001" not in out


def test_an_engine_that_cannot_be_reached_is_one_line_without_its_password(capsys):
    status, _, err = run(["events", "--engine", "postgres://reader:s3cr3t@127.0.0.1:1/db"], capsys)
    assert status == 1 and "Traceback" not in err
    assert "s3cr3t" not in err and "reader:***@127.0.0.1" in err
    line = err.strip().splitlines()[0]
    assert line.startswith("postgres://reader:***@127.0.0.1:1/db:") and "(fix: check the engine's URL" in line


def test_the_command_opens_a_table_in_a_real_terminal_process():
    result = subprocess.run([sys.executable, "-m", "tui", "check", str(GDELT)], capture_output=True, text=True,
                            timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "OK: 3 events, 4 actors, read by duckdb" in result.stdout


def test_problems_of_a_table_are_one_located_line_each(tmp_path, capsys):
    table = tmp_path / "events.csv"
    table.write_text("id,date,title\na,2019-07-18,Good\nb,2019-02-30,Not a day\n", encoding="utf-8")
    status, out, _ = run(["check", str(table)], capsys)
    assert status == 1
    located = [PROBLEM_LINE.match(line) for line in out.splitlines()]
    assert [(m["file"], m["line"], m["location"]) for m in located if m] == [("events.csv", "3", "row 3, column 'date'")]


def answers(store) -> dict:
    """What the explorer asks of a store: every event (with its actors and its quote), counts per actor
    and per heading, a search, and one page of a filtered set."""
    events = store.select(Query())
    return {
        "events": [(e.id, e.date.text, e.title, e.actors, e.type, [q.text for q in e.quotes])
                   for e in all_events(store)],
        "actors": sorted(store.actors),
        "per actor": {a: len(store.select(Query(frozenset({a})))) for a in sorted(store.actors)},
        "headings": events.store._run(events.headings_expr()).to_pylist(),
        "search": len(store.select(Query(text="journalist"))),
        "accented search": len(store.select(Query(text="rioverde"))),
        "by type": len(store.select(Query(types=frozenset({"Protests"})))),
    }


def acled_table(tmp_path: Path, suffix: str) -> Path:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    if suffix == ".csv":
        table = tmp_path / "acled.csv"
        table.write_bytes(ACLED.read_bytes())
        return table
    table = tmp_path / "acled.parquet"
    pq.write_table(pcsv.read_csv(ACLED), table)
    return table


def cached_tables() -> list[Path]:
    """The compiled tables published in the cache (not those being made)."""
    from tui.model.places import cache_dir

    return sorted(p for p in (cache_dir() / "tables").glob("*.duckdb") if not p.name.startswith("."))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_table_shown_before_its_compile_ends_answers_as_it_does_after(tmp_path, monkeypatch, suffix):
    from tui.model.engine.tables import table_store

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    table = acled_table(tmp_path, suffix)
    compiled_at_once = table_store(table)
    expected = answers(compiled_at_once)
    compiled_at_once.close()
    for file in cached_tables():
        file.unlink()

    store = table_store(table, early=True)
    assert store.completion is not None and store.compiled is None
    assert not cached_tables()  # nothing in the cache until it is whole
    shown = store.select(Query(frozenset({"Protesters (Xyland)"})))  # the set on screen while it compiles
    assert answers(store) == expected
    store.completion()
    assert store.completion is None and [store.compiled_path] == cached_tables()
    assert answers(store) == expected
    assert [store.event(p).id for p in shown.positions(0, len(shown))] == [
        e.id for e in all_events(store) if "Protesters (Xyland)" in e.actors]
    store.close()
    reopened = table_store(table)
    assert reopened.completion is None and reopened.compiled is not None
    assert answers(reopened) == expected
    reopened.close()


def test_a_table_closed_before_its_compile_ends_leaves_nothing_behind(tmp_path, monkeypatch):
    from tui.model.engine.tables import table_store
    from tui.model.places import cache_dir

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    store = table_store(acled_table(tmp_path, ".csv"), early=True)
    assert len(store) == 8
    store.close()
    assert not list((cache_dir() / "tables").iterdir())


def test_a_compile_that_fails_in_the_background_leaves_the_table_open_as_it_was(tmp_path, monkeypatch):
    from tui.model.engine import tables

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    table = acled_table(tmp_path, ".csv")
    store = tables.table_store(table, early=True)
    expected = answers(store)

    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.model.places.content_hash", no_room)
    with pytest.raises(OSError):
        store.completion()
    assert store.compiled is None and answers(store) == expected  # still answering, from its views
    store.close()
    assert not list((tmp_path / "cache" / "tables").iterdir())


def test_a_compile_that_fails_after_its_connection_closed_still_answers(tmp_path, monkeypatch):
    import os

    from tui.model.engine import tables

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    store = tables.table_store(acled_table(tmp_path, ".csv"), early=True)
    expected = answers(store)

    def refused(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)  # the move into the cache, after the connection closed
    with pytest.raises(PermissionError):
        store.completion()
    monkeypatch.undo()
    assert answers(store) == expected  # read from the finished database where it is
    store.close()
    assert not list((tmp_path / "cache" / "tables").iterdir())


def test_a_compile_that_fails_on_the_command_line_is_located_and_leaves_nothing(tmp_path, monkeypatch):
    from tui.model.engine import tables

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))

    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.model.places.content_hash", no_room)
    with pytest.raises(CorpusError) as caught:
        tables.table_store(acled_table(tmp_path, ".csv"))
    [problem] = caught.value.problems
    assert "could not be compiled" in problem.message and "No space left on device" in problem.message
    assert not list((tmp_path / "cache" / "tables").iterdir())


def test_a_compile_that_failed_midway_can_be_run_again(tmp_path, monkeypatch):
    from tui.model.engine import tables

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    store = tables.table_store(acled_table(tmp_path, ".csv"), early=True)
    expected = answers(store)
    store.backend.con.execute("CREATE TABLE te_made (x INTEGER)")  # the step's last statement will fail
    with pytest.raises(Exception):
        store.completion()
    assert answers(store) == expected  # the views are as they were (one transaction)
    store.backend.con.execute("DROP TABLE te_made")
    store.completion()
    assert store.compiled is not None and answers(store) == expected
    store.close()


def test_what_a_killed_explorer_left_mid_compile_is_swept_once_it_is_old(tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    from tui.model.engine.tables import table_store
    from tui.model.places import UNFINISHED_AFTER, cache_dir

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    table = acled_table(tmp_path, ".csv")
    # An explorer killed while its table compiles: the process ends without closing anything.
    killed = ("import os, sys; from tui.model.engine.tables import table_store; "
              "table_store(sys.argv[1], early=True); os._exit(9)")
    done = subprocess.run([sys.executable, "-c", killed, str(table)], env=os.environ, cwd=Path(__file__).parents[1],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    folder = cache_dir() / "tables"
    left = [p for p in folder.iterdir() if p.name.startswith(".")]
    assert left and not cached_tables()

    young = table_store(table)  # another explorer may still be working on a young one: it stays
    assert set(left) <= set(folder.iterdir())
    young.close()
    for file in cached_tables():
        file.unlink()
    old = os.path.getmtime(left[0]) - UNFINISHED_AFTER - 60
    for file in left:
        os.utime(file, (old, old))
    again = table_store(table)  # the next compile sweeps it
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
    assert len(again) == 8
    again.close()


def test_an_in_memory_engine_spills_into_the_cache_not_the_users_folder(tmp_path, monkeypatch):
    from tui.model.engine.backends import duckdb_backend
    from tui.model.places import spill_dir

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "it's cache"))
    _, raw = duckdb_backend()
    assert raw.execute("SELECT current_setting('temp_directory')").fetchone()[0] == str(spill_dir())
    assert spill_dir().is_relative_to(tmp_path / "it's cache")


def test_an_in_memory_engine_spills_before_the_cache_folder_is_made(tmp_path, monkeypatch):
    """A first run (no cache folder yet), say ``--engine duckdb`` on a large table: what does not fit the
    engine's memory spills (DuckDB makes the last folder of its temp_directory, not its parents)."""
    from tui.model.engine.backends import duckdb_backend

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "first run" / "cache"))
    _, raw = duckdb_backend()
    raw.execute("SET memory_limit = '40MB'")  # as a larger table would in the usual 1-4 GB
    raw.execute("SET threads = 1")
    raw.execute("CREATE TABLE t AS SELECT hash(i) AS k, repeat('x', 40) || i AS s FROM range(1500000) r(i)")
    assert raw.execute("SELECT count(*) FROM (SELECT * FROM t ORDER BY k)").fetchone()[0] == 1_500_000
    raw.close()
