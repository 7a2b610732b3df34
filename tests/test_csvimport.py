"""CSV event tables (ACLED-style) into a corpus: mapping, dates, bad rows, encoding, memory.

tests/data/csv/acled-sample.csv is hand-written: ACLED's column layout, invented rows.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from model_support import PROBLEM_LINE, REPO, run

from tui.model.csvimport import BadRowsError, Mapping, _SeenIds, import_csv, parse_date
from tui.model.errors import CorpusError, UsageError
from tui.model.loader import load_corpus
from tui.model.opening import Source, open_source

SAMPLE = REPO / "tests" / "data" / "csv" / "acled-sample.csv"


def rows(file: Path) -> list[dict]:
    with open(file, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, header: list[str], body: list[list[str]], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(body)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture(scope="module")
def sample_corpus(tmp_path_factory):
    target = tmp_path_factory.mktemp("acled") / "corpus"
    result = import_csv(SAMPLE, target)
    return result, load_corpus(target)


# -- the ACLED sample ----------------------------------------------------------------------------------------------


def test_sample_imports_checks_clean_and_opens(tmp_path, capsys):
    target = tmp_path / "corpus"
    status, out, err = run(["import", "csv", str(SAMPLE), "-o", str(target)], capsys)
    assert status == 0, err
    n = len(rows(SAMPLE))
    assert err.strip() == f"{target}: {n} events, 13 actor(s), 5 document(s) from {n} rows of {SAMPLE}"
    assert "\r" not in err  # not a terminal: one summary line, no progress bar
    status, out, _ = run(["check", str(target), "--warnings"], capsys)
    assert status == 0 and f"OK: {n} events" in out and "warning" not in out


def test_one_event_per_row_with_the_row_s_id_and_notes(sample_corpus):
    result, corpus = sample_corpus
    table = rows(SAMPLE)
    assert result.events == len(table) == len(corpus.events)
    for row in table:
        event = corpus.events_by_id[row["event_id_cnty"]]
        assert event.summary == row["notes"].strip()
        (quote,) = event.quotes
        assert quote.anchored
        if row["notes"]:
            assert quote.text == row["notes"]
        else:  # no notes: the row's own cells are quoted, so that the event stays traceable
            assert f"event_id_cnty: {row['event_id_cnty']}" in quote.text
        assert quote.document.outlet == row["source"]  # the source names the outlet
        assert event.type == row["event_type"]
        kept = event.extra["csv"]
        assert kept["sub_event_type"] == row["sub_event_type"] and kept["latitude"] == row["latitude"]
        assert "notes" not in kept and "event_date" not in kept


def test_identical_notes_of_two_rows_are_two_passages(sample_corpus):
    _, corpus = sample_corpus
    a, b = corpus.events_by_id["XYZ1004"].quotes[0], corpus.events_by_id["XYZ1005"].quotes[0]
    assert a.text == b.text and a.document is b.document
    assert a.start != b.start


def test_acled_dates_and_time_precision(sample_corpus):
    _, corpus = sample_corpus
    e = corpus.events_by_id
    assert e["XYZ1001"].date.text == "2019-07-18" and not e["XYZ1001"].date_note
    assert e["XYZ1002"].date.text == "2019-07-18~"  # "18 July 2019", precision 2
    assert "time_precision 2" in e["XYZ1002"].date_note and "18 July 2019" in e["XYZ1002"].date_note
    assert e["XYZ1003"].date.text == "2019-07?"  # precision 3: only the month (or year) is known
    assert "time_precision 3" in e["XYZ1003"].date_note
    assert e["XYZ1006"].date.text == "2019-07-22"


def test_actors_from_the_four_acled_columns(sample_corpus):
    _, corpus = sample_corpus
    names = lambda event_id: [corpus.actors[a].name for a in corpus.events_by_id[event_id].actors]  # noqa: E731
    assert names("XYZ1001") == ["Protesters (Xyland)", "Students (Xyland)", "Teachers (Xyland)"]
    assert names("XYZ1006") == ["Unidentified Armed Group (Xyland)", "Civilians (Xyland)", "Journalists (Xyland)"]
    # One actor for one name, across rows.
    assert corpus.events_by_id["XYZ1004"].actors[0] == corpus.events_by_id["XYZ1001"].actors[0]


def test_the_default_title_rule(sample_corpus):
    _, corpus = sample_corpus
    e = corpus.events_by_id
    assert e["XYZ1001"].title == "Peaceful protest: Protesters (Xyland) in Port Example, Capital District, Xyland"
    assert e["XYZ1008"].title == ("Armed clash: Military Forces of Xyland (2018-) and Rebel Front in Hill Post, "
                                  "North Province, Xyland (4 fatalities)")


def test_documents_hold_a_few_hundred_rows_each(tmp_path):
    table = rows(SAMPLE)
    header = list(table[0])
    body = []
    for i in range(7):
        row = dict(table[0], event_id_cnty=f"N{i}", notes=f"Note number {i}.")
        body.append([row[h] for h in header])
    file = write_csv(tmp_path / "t.csv", header, body)
    result = import_csv(file, tmp_path / "c", Mapping(rows_per_document=3))
    corpus = load_corpus(tmp_path / "c")
    assert result.documents == 3
    sizes = sorted(len([e for e in corpus.events if e.quotes[0].document is d]) for d in corpus.documents.values())
    assert sizes == [1, 3, 3]


# -- other tables, the mapping options ---------------------------------------------------------------------------


def test_mapping_options(tmp_path, capsys):
    file = write_csv(tmp_path / "events.csv", ["when", "what", "who", "details", "kind", "paper"], [
        ["18/07/2019", "Letter sent", "Qatar|Oman", "The letter was sent on Thursday.", "letter", "Gazette"],
        ["01/08/2019", "Reply", "China", "China replied.", "statement", "Herald"],
    ])
    target = tmp_path / "c"
    status, _, err = run(["import", "csv", str(file), "-o", str(target), "--date-column", "when",
                          "--date-format", "%d/%m/%Y", "--title-column", "what", "--actor-column", "who",
                          "--actor-separator", "|", "--notes-column", "details", "--type-column", "kind",
                          "--source-column", "paper", "--title", "My events"], capsys)
    assert status == 0, err
    corpus = load_corpus(target)
    assert corpus.title == "My events"
    first, second = corpus.events
    assert (first.id, first.date.text, first.title, first.type) == ("row-2", "2019-07-18", "Letter sent", "letter")
    assert [corpus.actors[a].name for a in first.actors] == ["Qatar", "Oman"]
    assert first.quotes[0].text == "The letter was sent on Thursday." and first.quotes[0].document.outlet == "Gazette"
    assert second.date.text == "2019-08-01"


def test_an_empty_column_name_maps_nothing(tmp_path):
    result = import_csv(SAMPLE, tmp_path / "c", Mapping(actors=[""], type="", precision=""))
    corpus = load_corpus(tmp_path / "c")
    assert result.actors == 0 and not corpus.types
    assert corpus.events_by_id["XYZ1002"].date.text == "2019-07-18"  # no precision column: the day as given


def test_a_summary_column_distinct_from_the_notes(tmp_path):
    file = write_csv(tmp_path / "t.csv", ["date", "title", "summary", "notes"],
                     [["2019", "T", "Short summary.", "The longer passage quoted."]])
    import_csv(file, tmp_path / "c", Mapping(summary="summary", notes="notes"))
    (event,) = load_corpus(tmp_path / "c").events
    assert event.summary == "Short summary." and event.quotes[0].text == "The longer passage quoted."


@pytest.mark.parametrize(
    ("raw", "edtf"),
    [
        ("2019-07-18", "2019-07-18"), ("18 July 2019", "2019-07-18"), ("18 Jul 2019", "2019-07-18"),
        ("July 18, 2019", "2019-07-18"), ("2019-7-8", "2019-07-08"), ("25/12/2019", "2019-12-25"),
        ("12/25/2019", "2019-12-25"), ("05/05/2019", "2019-05-05"), ("2019-07", "2019-07"), ("2019", "2019"),
        ("2019-07~", "2019-07~"), ("2018-11/2019-01", "2018-11/2019-01"), ("March 2019", "2019-03"),
        ("Tue, 16 Jul 2019 10:00:00", "2019-07-16"),
    ],
)
def test_dates_without_a_format(raw, edtf):
    assert parse_date(raw) == edtf


@pytest.mark.parametrize(("raw", "words"), [("03/04/2019", "ambiguous"), ("2019-02-30", "not a real day"),
                                             ("next week", "not a date"), ("July 18", "no year")])
def test_bad_dates_say_why(raw, words):
    with pytest.raises(Exception) as info:
        parse_date(raw)
    assert words in str(info.value)


def test_unknown_column_is_a_usage_error_with_a_suggestion(tmp_path, capsys):
    status, out, err = run(["import", "csv", str(SAMPLE), "-o", str(tmp_path / "c"), "--date-column", "event_dat"],
                           capsys)
    assert status == 2 and "did you mean 'event_date'?" in err
    assert not (tmp_path / "c").exists() and list(tmp_path.iterdir()) == []
    file = write_csv(tmp_path / "t.csv", ["when", "what"], [["2019", "x"]])
    with pytest.raises(UsageError, match="no date column"):
        import_csv(file, tmp_path / "c")


# -- bad rows ---------------------------------------------------------------------------------------------------------

BAD_TABLE = textwrap.dedent("""\
    event_id_cnty,event_date,time_precision,notes
    A1,2019-07-18,1,fine
    A2,2019-13-45,1,bad date
    A3,,1,no date
    A4,2019-07-18,7,bad precision
    A1,2019-07-19,1,repeated id
    A6,2019-07-20,1,too,many,cells
    A7,2019-07-21,1,fine too
    """)


def test_every_bad_row_is_located_and_nothing_is_written(tmp_path, capsys):
    file = tmp_path / "bad.csv"
    file.write_text(BAD_TABLE, encoding="utf-8")
    target = tmp_path / "c"
    status, out, err = run(["import", "csv", str(file), "-o", str(target)], capsys)
    assert status == 1
    lines = err.splitlines()
    problems = [PROBLEM_LINE.match(line) for line in lines[:-1]]
    assert all(problems), lines
    assert [(int(m["line"]), m["location"]) for m in problems] == [
        (3, "row 3, column 'event_date'"), (4, "row 4, column 'event_date'"), (5, "row 5, column 'time_precision'"),
        (6, "row 6, column 'event_id_cnty'"), (7, "row 7"),
    ]
    assert "'2019-13-45'" in problems[0]["message"] and "13 is not a month" in problems[0]["message"]
    assert "already used" in problems[3]["message"] and "6 cells" in problems[4]["message"]
    assert "5 bad rows; nothing was written" in lines[-1] and "--skip-bad-rows" in lines[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_skip_bad_rows_imports_the_rest_and_reports_them(tmp_path, capsys):
    file = tmp_path / "bad.csv"
    file.write_text(BAD_TABLE, encoding="utf-8")
    target = tmp_path / "c"
    status, _, err = run(["import", "csv", str(file), "-o", str(target), "--skip-bad-rows"], capsys)
    assert status == 0
    assert "2 events" in err and "5 bad rows skipped" in err and "import-report.csv" in err
    assert [e.id for e in load_corpus(target).events] == ["A1", "A7"]
    with open(target / "import-report.csv", encoding="utf-8", newline="") as handle:
        report = list(csv.DictReader(handle))
    assert [(r["row"], r["column"], r["value"]) for r in report] == [
        ("3", "event_date", "2019-13-45"), ("4", "event_date", ""), ("5", "time_precision", "7"),
        ("6", "event_id_cnty", "A1"), ("7", "", "")]
    assert all(r["problem"] and r["fix"] for r in report)
    elsewhere = tmp_path / "report.csv"
    status, _, err = run(["import", "csv", str(file), "-o", str(tmp_path / "d"), "--skip-bad-rows",
                          "--report", str(elsewhere)], capsys)
    assert status == 0 and elsewhere.is_file() and not (tmp_path / "d" / "import-report.csv").exists()


def test_many_bad_rows_are_counted_not_all_printed(tmp_path):
    file = write_csv(tmp_path / "t.csv", ["date", "notes"], [["not a date", f"n{i}"] for i in range(300)])
    with pytest.raises(BadRowsError) as info:
        import_csv(file, tmp_path / "c")
    assert info.value.count == 300 and len(info.value.problems) == 50


def test_quoting_problems_and_blank_lines(tmp_path):
    file = tmp_path / "t.csv"
    file.write_text('date,notes\n2019,"fine"\n\n2020,"a ""quoted"" word, and a comma"\n2021,"unclosed\n', encoding="utf-8")
    with pytest.raises(BadRowsError) as info:
        import_csv(file, tmp_path / "c")
    (problem,) = info.value.problems
    assert problem.location == "row 5" and problem.line == 5
    import_csv(file, tmp_path / "c", skip_bad_rows=True)
    texts = [e.quotes[0].text for e in load_corpus(tmp_path / "c").events]
    assert texts == ["fine", 'a "quoted" word, and a comma']


# -- encoding ---------------------------------------------------------------------------------------------------------


def test_a_byte_order_mark_is_fine(tmp_path):
    file = tmp_path / "bom.csv"
    file.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    result = import_csv(file, tmp_path / "c")
    assert result.columns["id"] == "event_id_cnty" and result.events == len(rows(SAMPLE))


def test_a_file_that_is_not_utf8_is_located(tmp_path, capsys):
    file = tmp_path / "latin1.csv"
    content = "date,notes\n2019,fine\n2020,caf\u00e9 cr\u00e8me\n"
    file.write_bytes(content.encode("latin-1"))
    status, out, err = run(["import", "csv", str(file), "-o", str(tmp_path / "c")], capsys)
    assert status == 1
    offset = content.encode("latin-1").index(b"\xe9")
    first = err.splitlines()[0]
    assert first.startswith(f"{file}:3: row 3: ") and f"byte 0xe9 at byte offset {offset}" in first
    assert "iconv" in first and not (tmp_path / "c").exists()


def test_a_bad_byte_after_the_first_megabyte_is_located_too(tmp_path):
    file = tmp_path / "big.csv"
    head = "date,notes\n" + "".join(f"2019,row {i} {'x' * 90}\n" for i in range(12_000))
    file.write_bytes(head.encode() + b"2020,\xff\n")
    with pytest.raises(CorpusError) as info:
        import_csv(file, tmp_path / "c")
    (problem,) = info.value.problems
    assert f"byte offset {len(head.encode()) + 5}" in problem.message
    assert problem.line == 12_002 and problem.location == "row 12002"


def test_text_from_the_file_stays_text(tmp_path):
    file = write_csv(tmp_path / "t.csv", ["date", "title", "notes"],
                     [["2019", "[bold]x[/] <b>y</b>", "Notes with [red]markup[/red] and \x1b[2J escapes."]])
    import_csv(file, tmp_path / "c")
    (event,) = load_corpus(tmp_path / "c").events
    assert event.title == "[bold]x[/] <b>y</b>"
    assert event.quotes[0].text == "Notes with [red]markup[/red] and \x1b[2J escapes."


# -- the output folder ----------------------------------------------------------------------------------------------


def test_existing_folders_and_force(tmp_path, capsys):
    target = tmp_path / "c"
    assert run(["import", "csv", str(SAMPLE), "-o", str(target)], capsys)[0] == 0
    status, _, err = run(["import", "csv", str(SAMPLE), "-o", str(target)], capsys)
    assert status == 1 and "--force" in err
    assert run(["import", "csv", str(SAMPLE), "-o", str(target), "--force"], capsys)[0] == 0
    # --force never replaces a folder that holds the file being imported.
    inside = target / "data.csv"
    inside.write_bytes(SAMPLE.read_bytes())
    status, _, err = run(["import", "csv", str(inside), "-o", str(target), "--force"], capsys)
    assert status == 1 and "being imported" in err and inside.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]


def test_seen_ids_table():
    seen = _SeenIds(size=8)
    keys = [f"id-{i}" for i in range(5000)]
    assert all(seen.add(k) for k in keys)
    assert not any(seen.add(k) for k in keys[::7])
    assert seen.add("new") and seen.size >= 2 * seen.count


# -- a large file: bounded memory ---------------------------------------------------------------------------------------

GENERATE = """
import csv, sys
n, out = int(sys.argv[1]), sys.argv[2]
header = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
          "assoc_actor_1", "actor2", "country", "admin1", "location", "source", "notes", "fatalities"]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(header)
    for i in range(n):
        w.writerow([f"GEN{i}", f"{2000 + i // 10000}-{1 + i % 12:02d}-{1 + i % 28:02d}", 1 + i % 3, "Protests",
                    "Peaceful protest", f"Protesters ({i % 50})", f"Group {i % 300}; Union {i % 70}", "", "Xyland",
                    f"Province {i % 30}", f"Town {i % 900}", f"Outlet {i % 40}",
                    f"On day {i}, some {i % 97} people marched in Town {i % 900} about issue {i}; no injuries.", i % 3])
"""

MEASURE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "tui", "import", "csv", sys.argv[1], "-o", sys.argv[2]],
                      capture_output=True, text=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(done.stderr)
"""


def _peak_kib(csv_file: Path, target: Path) -> int:
    """Peak RSS of one import in a fresh process (measured by a parent of its own, so no other child counts)."""
    result = subprocess.run([sys.executable, "-c", MEASURE, str(csv_file), str(target)], capture_output=True,
                            text=True, timeout=120, cwd=REPO)
    status, peak = result.stdout.split("\n", 1)[0].split()
    assert status == "0", result.stdout
    return int(peak) // 1024 if sys.platform == "darwin" else int(peak)  # bytes on macOS, KiB on Linux


@pytest.mark.slow
def test_a_large_file_imports_in_bounded_memory(tmp_path):
    big, small = tmp_path / "big.csv", tmp_path / "small.csv"
    for n, file in ((200_000, big), (2_000, small)):
        subprocess.run([sys.executable, "-c", GENERATE, str(n), str(file)], check=True, timeout=60)
    growth_kib = _peak_kib(big, tmp_path / "big") - _peak_kib(small, tmp_path / "small")
    size_kib = big.stat().st_size // 1024
    # Holding 200,000 rows as Python lists of strings takes several times the file's size
    # (~40 MB here); the import's peak grows by a fraction of it.
    assert growth_kib < size_kib * 0.75, (growth_kib, size_kib)
    assert growth_kib < 48 * 1024
    with open(tmp_path / "big" / "corpus.json", "rb") as handle:
        head = handle.read(200)
        handle.seek(-200, os.SEEK_END)
        tail = handle.read()
    assert head.startswith(b'{"format":"timeline-corpus/1"') and tail.endswith(b"]}\n")
    events = 0
    with open(tmp_path / "big" / "corpus.json", "rb") as handle:
        for line in handle:
            events += line.startswith(b'{"id":"GEN')
    assert events == 200_000
    assert json.loads((tmp_path / "small" / "corpus.json").read_bytes())["events"][0]["id"] == "GEN0"


# -- a table opened directly, as a corpus ---------------------------------------------------------------------


def test_a_table_opens_checks_and_exports_like_a_corpus(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    table = tmp_path / "events.csv"
    table.write_bytes(SAMPLE.read_bytes())
    status, out, err = run(["check", str(table)], capsys)
    assert status == 0, err
    assert f"OK: {len(rows(SAMPLE))} events" in out
    store = open_source(Source(str(table)))
    assert store.origin == table and store.kind == "sql"  # read where it is: a reload reads it again
    assert {store.event(p).id for p in range(len(store))} == {r["event_id_cnty"] for r in rows(SAMPLE)}
    actor = store.event(0).actors[0]
    status, out, err = run(["export", str(table), "-f", "json", "--actor", actor], capsys)
    assert status == 0, err
    exported = json.loads(out)["events"]
    assert exported and all(actor in [a["id"] for a in e["actors"]] for e in exported)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "events.csv"]  # nothing beside it: a cache


def test_an_opened_tsv_table_with_common_column_names_is_split_on_tabs(tmp_path, monkeypatch):
    table = tmp_path / "events.tsv"
    table.write_text("id\tdate\ttitle\tactors\nt1\t2019-07-18\tA, with a comma\tQatar\n", encoding="utf-8")
    store = open_source(Source(str(table)))
    event = store.event(0)
    assert (event.id, event.date.text, event.title, [store.actors[a].name for a in event.actors]) == (
        "t1", "2019-07-18", "A, with a comma", ["Qatar"])


def test_an_opened_table_with_bad_rows_does_not_open_and_says_how_to_leave_them_out(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    table = write_csv(tmp_path / "events.csv", ["id", "date", "title"],
                      [["a", "2019-07-18", "Good"], ["b", "2019-13-45", "Bad month"], ["c", "", "No date"]])
    status, out, err = run(["check", str(table)], capsys)
    err = out + err  # check reports on stdout
    assert status == 1
    lines = [PROBLEM_LINE.match(line) for line in err.splitlines()]
    located = [m for m in lines if m]
    assert [(m["line"], m["location"]) for m in located] == [("3", "row 3, column 'date'"), ("4", "row 4, column 'date'")], err
    assert "2 problems" in err
    status, out, err = run(["check", str(table), "--skip-bad-rows", "--warnings"], capsys)
    assert status == 0 and "OK: 1 events" in out and "row 3, column 'date'" in out
