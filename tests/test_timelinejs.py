"""TimelineJS (Knight Lab): import, export, opening a file directly, and round trips.

The fixtures in tests/data/timelinejs/ are real timelines from TimelineJS3
(MPL-2.0, see the README there).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from model_support import PROBLEM_LINE, REPO, run

from tui.model.corpus import Query
from tui.model.dates import parse_edtf
from tui.model.errors import CorpusError
from tui.model.export import FORMATS, write_export
from tui.model.htmltext import html_to_text, one_line
from tui.model.opening import Source, corpus_of, plan
from tui.model.timelinejs import NAMESPACE, convert, import_timelinejs


def load_corpus(path):
    """A corpus folder, or a TimelineJS file opened as the command line opens it (converted)."""
    return corpus_of(plan(Source(str(path))))

FIXTURES = REPO / "tests" / "data" / "timelinejs"
FILES = sorted(FIXTURES.glob("*.json"))


def slides(file: Path) -> list[dict]:
    return json.loads(file.read_text(encoding="utf-8"))["events"]


def part(value) -> int | None:
    """A TimelineJS date part as a number (they come as numbers, strings or empty strings)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return int(value)


def signature(corpus) -> list[tuple]:
    """What a round trip must keep of every event."""
    return [(e.id, e.date.text, e.title, e.summary, tuple(e.actors), tuple(q.text for q in e.quotes))
            for e in corpus.events]


def export_bytes(corpus, query: Query = Query()) -> bytes:
    out = io.BytesIO()
    count = write_export(corpus, corpus.query(query), query, "timelinejs", out)
    assert count == len(corpus.query(query))
    return out.getvalue()


# -- the fixtures: import, check, open -----------------------------------------------------------------------


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_every_fixture_imports_and_checks_clean(tmp_path, capsys, file):
    target = tmp_path / "corpus"
    status, _, err = run(["import", "timelinejs", str(file), "-o", str(target)], capsys)
    assert status == 0, err
    n = len(slides(file))
    assert f"{target}: {n} events" in err
    status, out, _ = run(["check", str(target)], capsys)
    assert status == 0 and f"OK: {n} events" in out
    assert "warning" not in out  # every event quotes its own document; nothing is left uncited


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_nothing_of_a_fixture_is_lost(file):
    corpus = load_corpus(file)
    original = slides(file)
    assert len(corpus.events) == len(original)
    by_original = {json.dumps(e.extra["timelinejs"], sort_keys=True): e for e in corpus.events}
    assert len(by_original) == len(original)  # each slide kept whole, as it was, under extra["timelinejs"]
    for slide in original:
        event = by_original[json.dumps(slide, sort_keys=True)]
        headline = one_line(html_to_text((slide.get("text") or {}).get("headline") or ""))
        if headline:
            assert event.title == headline
        start = slide["start_date"]
        point = event.date.start
        assert point.year == int(start["year"])  # cosmological years exactly
        assert point.month == part(start.get("month")) and point.day == part(start.get("day"))
        if part(start.get("hour")) is not None:
            assert point.second // 3600 == part(start["hour"])
        end = slide.get("end_date")
        if end and any(part(v) is not None for k, v in end.items() if k != "format"):
            assert event.date.interval and event.date.end.year == int(end["year"])
        group = one_line(slide.get("group") or "")
        assert [corpus.actors[a].name for a in event.actors] == ([group] if group else [])
        assert event.quotes and all(q.anchored for q in event.quotes)
        media = slide.get("media") or {}
        if "<blockquote" in (media.get("url") or ""):
            quoted = html_to_text(media["url"].split("<cite>")[0])
            assert any(q.text == quoted for q in event.quotes)


def test_the_timeline_is_in_date_order_including_cosmological_years():
    corpus = load_corpus(FIXTURES / "cosmo.json")
    assert [e.date.text for e in corpus.events][:2] == ["Y-13800000000", "Y-13799630000"]
    assert corpus.events[0].title == "The Big Bang"
    assert [e.date.sort_key for e in corpus.events] == sorted(e.date.sort_key for e in corpus.events)
    years = [int(s["start_date"]["year"]) for s in slides(FIXTURES / "cosmo.json")]
    assert [e.date.start.year for e in corpus.events] == sorted(years)


def test_eras_become_periods_and_the_title_slide_the_corpus_title():
    corpus = load_corpus(FIXTURES / "eras.json")
    data = json.loads((FIXTURES / "eras.json").read_text(encoding="utf-8"))
    assert corpus.title == data["title"]["text"]["headline"]
    assert corpus.description == data["title"]["text"]["text"]
    expected = sorted((f"{int(e['start_date']['year']):04d}/{int(e['end_date']['year']):04d}", e["text"]["headline"])
                      for e in data["eras"])
    assert sorted((p.date.text, p.title) for p in corpus.periods) == expected
    assert corpus.extra["timelinejs"]["eras"] == data["eras"]  # the originals are kept too


def test_times_of_day_and_empty_parts():
    corpus = load_corpus(FIXTURES / "marktwain.json")
    assert corpus.events_by_id["florida-missouri"].date.text == "2000-01-05T06:45:56"
    assert corpus.events_by_id["get-started"].date.text == "2014"  # month/day/hour given as ""
    women = load_corpus(FIXTURES / "women_in_computing.json")
    assert women.events_by_id["and-the-women-who-made-it-work"].date.text == "1943-07/1946"


def test_a_blockquote_is_quoted_without_its_attribution():
    corpus = load_corpus(FIXTURES / "women_in_computing.json")
    event = corpus.events_by_id["edith-clarke-bucking-the-trend"]
    (quote,) = event.quotes
    assert quote.text.startswith("There is no demand for women engineers")
    assert "Edith Clarke, first" not in quote.text
    assert "Edith Clarke, first" in quote.document.text  # the attribution is in the document, after it


def test_slides_without_a_headline_get_a_title_and_a_warning():
    corpus = load_corpus(FIXTURES / "marktwain.json")
    first = corpus.events_by_id["samuel-langhorne-clemens-november-30-1835-april-21-1910"]
    assert first.title.startswith("Samuel Langhorne Clemens") and first.title.endswith("…")
    assert corpus.events_by_id["a-tweet"].title == "a tweet"  # from the caption
    warnings = [str(w) for w in corpus.warnings]
    assert any("events[0].text.headline" in w and "made from its text" in w for w in warnings)
    assert all(w.startswith(str(FIXTURES / "marktwain.json")) for w in warnings)


# -- opening a TimelineJS file directly ------------------------------------------------------------------------


def test_opening_a_file_converts_it_into_the_cache_and_names_its_origin(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    file = tmp_path / "t.json"
    shutil.copy(FIXTURES / "eras.json", file)
    corpus = load_corpus(file)
    assert corpus.origin == file
    assert corpus.root.is_relative_to(tmp_path / "cache")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "t.json"]  # nothing written beside the file
    again = load_corpus(file)
    assert again.root == corpus.root  # unchanged file: the conversion is reused
    data = json.loads(file.read_text(encoding="utf-8"))
    data["events"][0]["text"]["headline"] = "Edited headline"
    file.write_text(json.dumps(data), encoding="utf-8")
    changed = load_corpus(file)  # what a reload (r) does: converts the changed file again
    assert changed.root != corpus.root
    assert "Edited headline" in [e.title for e in changed.events]


def test_problems_of_an_opened_file_are_located_in_it(tmp_path, capsys):
    file = tmp_path / "bad.json"
    data = json.loads((FIXTURES / "eras.json").read_text(encoding="utf-8"))
    data["events"][3]["start_date"]["month"] = "13"
    file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(file)
    (problem,) = info.value.problems
    assert problem.file == str(file) and problem.location == "events[3].start_date.month"
    assert '"month": "13"' in file.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    for argv in (["check", str(file)], [str(file)], ["export", str(file), "-f", "json"]):
        status, out, err = run(argv, capsys)
        assert status == 1
        assert PROBLEM_LINE.match((out + err).splitlines()[0])
        assert "Traceback" not in out + err


def test_check_and_export_take_a_timelinejs_file(tmp_path, capsys):
    file = FIXTURES / "cosmo.json"
    status, out, _ = run(["check", str(file)], capsys)
    assert status == 0 and out.startswith(f"{file}: OK: 7 events")
    target = tmp_path / "out.json"
    status, _, err = run(["export", str(file), "-f", "json", "-o", str(target)], capsys)
    assert status == 0
    assert [e["date"] for e in json.loads(target.read_bytes())["events"]][0] == "Y-13800000000"


def test_export_never_writes_over_the_timelinejs_file_it_reads(tmp_path, capsys):
    file = tmp_path / "t.json"
    shutil.copy(FIXTURES / "eras.json", file)
    before = file.read_bytes()
    status, _, err = run(["export", str(file), "-f", "timelinejs", "-o", str(file), "--force"], capsys)
    assert status == 1 and "corpus" in err
    assert file.read_bytes() == before


def test_a_corpus_json_without_its_format_is_not_taken_for_timelinejs(make_corpus):
    from model_support import base_corpus

    data = base_corpus()
    del data["format"]
    with pytest.raises(CorpusError) as info:
        load_corpus(make_corpus(data))
    assert any("format" in p.message for p in info.value.problems)


# -- bad input --------------------------------------------------------------------------------------------------

GOOD = {"start_date": {"year": 2019}, "text": {"headline": "A headline"}}


def _timeline(*slides_: object) -> str:
    return json.dumps({"title": {"text": {"headline": "T"}}, "events": list(slides_)}, indent=2)


@pytest.mark.parametrize(
    ("content", "location", "words"),
    [
        ("{not json", "", "is not valid JSON"),
        ("[1, 2]", "", "not an object"),
        ('{"title": {"text": {"headline": "T"}}}', "", 'no "events" list'),
        (_timeline({"text": {"headline": "No date"}}), "events[0]", "no start_date"),
        (_timeline(GOOD, {"start_date": {"year": "MMXIX"}, "text": {"headline": "x"}}), "events[1].start_date.year",
         "'MMXIX' is not a number"),
        (_timeline({"start_date": {"year": 2019, "month": 13}, "text": {"headline": "x"}}), "events[0].start_date.month",
         "13 is not a month"),
        (_timeline({"start_date": {"year": 2019}, "text": {"headline": ""}}), "events[0].text.headline",
         "no headline"),
        (_timeline({"start_date": {"year": 2019, "month": 2, "day": "30"}, "text": {"headline": "x"}}),
         "events[0].start_date.day", "not a real day"),
        (_timeline({"start_date": {"year": 2019}, "end_date": {"year": 2018}, "text": {"headline": "x"}}),
         "events[0].end_date", "ends before it starts"),
        (_timeline("a slide?"), "events[0]", "expected a slide object"),
        (_timeline({"start_date": {"year": 2019}, "text": {"headline": ["x"]}}), "events[0].text.headline",
         "expected text"),
    ],
    ids=["not-json", "not-object", "no-events", "no-start-date", "year-not-number", "month-13", "empty-headline",
         "feb-30", "end-before-start", "slide-not-object", "headline-not-text"],
)
def test_bad_input_is_a_located_error_and_nothing_is_written(tmp_path, capsys, content, location, words):
    file = tmp_path / "bad.json"
    file.write_text(content, encoding="utf-8")
    target = tmp_path / "out"
    status, out, err = run(["import", "timelinejs", str(file), "-o", str(target)], capsys)
    assert status == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{file}:") and words in first and "(fix: " in first
    if location:
        m = PROBLEM_LINE.match(first)
        assert m and m["location"] == location
        assert 1 <= int(m["line"]) <= len(content.splitlines())
    assert "nothing was written" in err and "Traceback" not in out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]  # no folder, no temporary left


def test_a_bad_year_is_located_on_its_line(tmp_path):
    file = tmp_path / "bad.json"
    content = _timeline(GOOD, GOOD, {"start_date": {"year": "20l9"}, "text": {"headline": "x"}})
    file.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        convert(file)
    (problem,) = info.value.problems
    assert '"year": "20l9"' in content.splitlines()[problem.line - 1]


def test_html_is_text_scripts_are_dropped_and_markup_lookalikes_stay_literal(tmp_path):
    file = tmp_path / "t.json"
    file.write_text(_timeline({
        "start_date": {"year": 2019},
        "text": {"headline": "<b>[bold]x[/]</b><script>alert(1)</script>",
                 "text": "<p>One &amp; two</p><style>p {}</style><p>[red]three[/red] &lt;i&gt;</p>"},
    }), encoding="utf-8")
    corpus = load_corpus(file)
    (event,) = corpus.events
    assert event.title == "[bold]x[/]"
    assert event.summary == "One & two\n\n[red]three[/red] <i>"
    assert "alert" not in event.quotes[0].document.text and "p {}" not in event.quotes[0].document.text


def test_ids_from_unique_id_slugs_and_duplicates(tmp_path):
    file = tmp_path / "t.json"
    file.write_text(_timeline(
        {"start_date": {"year": 2019}, "text": {"headline": "Same"}},
        {"start_date": {"year": 2019}, "text": {"headline": "Same"}, "unique_id": "same"},
        {"start_date": {"year": 2019}, "text": {"headline": "Other"}, "unique_id": "My Slide!"},
        {"start_date": {"year": 2019}, "text": {"headline": "Third"}, "unique_id": "same"},
        {"start_date": {"year": 2019}, "text": {"headline": "北京"}},
    ), encoding="utf-8")
    corpus = load_corpus(file)
    ids = {e.extra["timelinejs"].get("unique_id", ""): e.id for e in corpus.events if e.title != "Same"}
    same = sorted((e.id, e.extra["timelinejs"].get("unique_id")) for e in corpus.events if e.title == "Same")
    assert same == [("same", "same"), ("same-2", None)]  # an explicit unique_id wins over a made-up one
    assert ids["My Slide!"] == "my-slide"  # made usable; the original stays under extra
    third = next(e for e in corpus.events if e.title == "Third")
    assert third.id.startswith("same-") and third.id != "same-2"
    beijing = next(e for e in corpus.events if e.title == "北京")
    assert re.fullmatch(r"slide-[0-9a-f]{10}", beijing.id)
    assert load_corpus(file).events_by_id[beijing.id].title == "北京"  # stable across conversions
    assert any("also used by events[1]" in str(w) for w in corpus.warnings)


def test_groups_become_actors(tmp_path):
    file = tmp_path / "t.json"
    file.write_text(_timeline(
        {"start_date": {"year": 2019}, "text": {"headline": "a"}, "group": "Politics"},
        {"start_date": {"year": 2020}, "text": {"headline": "b"}, "group": "<i>Politics</i>"},
        {"start_date": {"year": 2021}, "text": {"headline": "c"}, "group": "Science & Tech"},
        {"start_date": {"year": 2022}, "text": {"headline": "d"}, "group": ""},
    ), encoding="utf-8")
    corpus = load_corpus(file)
    assert {a.id: a.name for a in corpus.actors.values()} == {"politics": "Politics", "science-tech": "Science & Tech"}
    assert [list(e.actors) for e in corpus.events] == [["politics"], ["politics"], ["science-tech"], []]


def test_a_slide_edited_after_export_is_read_as_it_now_is(tmp_path, seed_corpus):
    file = tmp_path / "t.json"
    data = json.loads(export_bytes(seed_corpus))
    slide = data["events"][0]
    slide["text"]["headline"] = "Edited in TimelineJS"
    file.write_text(json.dumps(data), encoding="utf-8")
    corpus = load_corpus(file)
    edited = corpus.events_by_id[slide[NAMESPACE]["id"]]
    assert edited.title == "Edited in TimelineJS"
    assert edited.date.text != slide[NAMESPACE]["date"]  # "2017-04/..": TimelineJS shows a start only
    assert any("edited after it was exported" in str(w) for w in corpus.warnings)
    untouched = corpus.events_by_id[data["events"][1][NAMESPACE]["id"]]
    assert untouched.date.text == data["events"][1][NAMESPACE]["date"]


# -- -o: atomic, never over the user's files -------------------------------------------------------------------------


def test_output_folder_is_refused_unless_force_and_a_corpus(tmp_path, capsys):
    file = FIXTURES / "eras.json"
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    status, _, err = run(["import", "timelinejs", str(file), "-o", str(target)], capsys)
    assert status == 1 and "--force" in err
    status, _, err = run(["import", "timelinejs", str(file), "-o", str(target), "--force"], capsys)
    assert status == 1 and "not a corpus folder" in err
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    corpus_folder = tmp_path / "corpus"
    assert run(["import", "timelinejs", str(FIXTURES / "cosmo.json"), "-o", str(corpus_folder)], capsys)[0] == 0
    status, _, err = run(["import", "timelinejs", str(file), "-o", str(corpus_folder)], capsys)
    assert status == 1
    assert run(["import", "timelinejs", str(file), "-o", str(corpus_folder), "--force"], capsys)[0] == 0
    assert load_corpus(corpus_folder).title == "Eras Test"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]  # no temporary folder left


def test_an_empty_existing_folder_is_fine(tmp_path, capsys):
    target = tmp_path / "empty"
    target.mkdir()
    assert run(["import", "timelinejs", str(FIXTURES / "cosmo.json"), "-o", str(target)], capsys)[0] == 0
    assert (target / "corpus.json").is_file()


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    from tui.model import timelinejs

    def failing(self, builder):
        builder.path("corpus.json").write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(timelinejs.Conversion, "write", failing)
    with pytest.raises(OSError):
        import_timelinejs(FIXTURES / "eras.json", tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


# -- export --------------------------------------------------------------------------------------------------------


def test_timelinejs_is_an_export_format():
    assert "timelinejs" in FORMATS


def test_export_is_a_valid_timelinejs_file(seed_corpus):
    data = json.loads(export_bytes(seed_corpus))
    assert data["title"]["text"]["headline"] == seed_corpus.title
    assert len(data["events"]) == len(seed_corpus.events)
    for slide, event in zip(data["events"], seed_corpus.events, strict=True):
        assert isinstance(slide["start_date"]["year"], int)
        for d in (slide["start_date"], slide.get("end_date") or {}):
            assert set(d) <= {"year", "month", "day", "hour", "minute", "second"}
            assert all(isinstance(v, int) for v in d.values())
        assert slide["unique_id"] == event.id
        assert html_to_text(slide["text"]["headline"]) == event.title
        first = event.quotes[0]
        assert html_to_text(slide["media"]["url"]) == one_line(first.text) or first.text in html_to_text(slide["media"]["url"])
        assert slide["media"]["url"].startswith("<blockquote>")
        assert html_to_text(slide["media"]["credit"]) == first.document.citation()
        assert slide["text"]["text"].count("<blockquote>") == len(event.quotes) - 1
        d = event.date
        if d.approximate or d.uncertain or d.open_start or d.open_end or d.unknown_start or d.unknown_end:
            assert slide["display_date"] == event.date.human()
        else:
            assert "display_date" not in slide
        names = [seed_corpus.actors[a].name for a in event.actors]
        assert slide.get("group") == (names[0] if names else None)  # the rule: the first actor


def test_export_dates_at_their_precision():
    from tui.model.timelinejs import _dates

    assert _dates(parse_edtf("2019-07-18")) == ({"year": 2019, "month": 7, "day": 18}, None, "")
    assert _dates(parse_edtf("2019-07~")) == ({"year": 2019, "month": 7}, None, "c. July 2019")
    assert _dates(parse_edtf("2018-11/2019-01")) == ({"year": 2018, "month": 11}, {"year": 2019, "month": 1}, "")
    assert _dates(parse_edtf("Y-13800000000"))[0] == {"year": -13800000000}
    assert _dates(parse_edtf("2000-01-05T06:45"))[0] == {"year": 2000, "month": 1, "day": 5, "hour": 6, "minute": 45}
    start, end, shown = _dates(parse_edtf("../2019"))
    assert start == {"year": 2019} and end is None and shown == "… – 2019"


def test_export_of_a_cosmological_corpus_says_so():
    corpus = load_corpus(FIXTURES / "cosmo.json")
    assert json.loads(export_bytes(corpus))["scale"] == "cosmological"
    assert "scale" not in json.loads(export_bytes(load_corpus(FIXTURES / "eras.json")))


def test_export_streams_event_by_event(seed_corpus):
    seen = []

    def events():
        for e in seed_corpus.events:
            seen.append(e.id)
            yield e

    out = io.BytesIO()

    class Watch(io.BytesIO):
        def write(self, data):
            # When a slide is written, the events after it have not been read yet.
            if b'"unique_id"' in data:
                assert json.loads(data.lstrip(b",\n"))["unique_id"] == seen[-1]
            return out.write(data)

    assert write_export(seed_corpus, events(), Query(), "timelinejs", Watch()) == len(seed_corpus.events)
    json.loads(out.getvalue())


def test_export_of_a_query_keeps_the_actors_it_needs(seed_corpus, tmp_path):
    query = Query(actors=frozenset({"qatar"}))
    file = tmp_path / "q.json"
    file.write_bytes(export_bytes(seed_corpus, query))
    corpus = load_corpus(file)
    assert [e.id for e in corpus.events] == [e.id for e in seed_corpus.query(query)]
    for e in corpus.events:
        assert e.actors == seed_corpus.events_by_id[e.id].actors


def test_cli_export_timelinejs(tmp_path, capsys):
    target = tmp_path / "t.json"
    status, _, err = run(["export", "-f", "timelinejs", "-o", str(target), "--actor", "qatar"], capsys)
    assert status == 0 and "(timelinejs)" in err
    assert json.loads(target.read_bytes())["events"]


# -- round trips ------------------------------------------------------------------------------------------------------


def test_seed_corpus_round_trip(tmp_path, seed_corpus):
    file = tmp_path / "seeds.json"
    file.write_bytes(export_bytes(seed_corpus))
    back = tmp_path / "back"
    import_timelinejs(file, back)
    corpus = load_corpus(back)
    assert signature(corpus) == signature(seed_corpus)
    for e in corpus.events:
        original = seed_corpus.events_by_id[e.id]
        assert (e.type, e.tags, e.date_note, e.note) == (original.type, original.tags, original.date_note, original.note)
    assert (corpus.title, corpus.description) == (seed_corpus.title, seed_corpus.description)
    used = {a for e in seed_corpus.events for a in e.actors}
    for aid in used:
        a, b = corpus.actors[aid], seed_corpus.actors[aid]
        assert (a.name, a.kind, a.aliases, a.members, a.affiliation) == (b.name, b.kind, b.aliases, b.members, b.affiliation)


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_fixture_round_trip(tmp_path, file):
    corpus = load_corpus(file)
    exported = tmp_path / "export.json"
    exported.write_bytes(export_bytes(corpus))
    back = tmp_path / "back"
    import_timelinejs(exported, back)
    again = load_corpus(back)
    assert signature(again) == signature(corpus)
    assert [(p.id, p.title, p.date.text) for p in again.periods] == [(p.id, p.title, p.date.text) for p in corpus.periods]
    assert again.title == corpus.title
    # The slides go back as they came (an empty unique_id is filled in with the event's id).
    data = json.loads(exported.read_bytes())

    def without_id(slide: dict) -> str:
        return json.dumps({k: v for k, v in slide.items() if k != "unique_id"}, sort_keys=True)

    original = {without_id(s): s.get("unique_id") for s in slides(file)}
    for slide in data["events"]:
        slide.pop(NAMESPACE)
        assert without_id(slide) in original
        assert original[without_id(slide)] in (slide["unique_id"], "", None)


def test_round_trip_keeps_what_timelinejs_cannot_say(tmp_path, make_corpus):
    from model_support import base_corpus

    data = base_corpus()
    data["events"][0].update({"date": "2019-07~", "date_note": "about then", "actors": ["x", "y"], "type": "t",
                              "tags": ["a"], "draft": True, "confidence": 0.5, "extra": {"csv": {"row": "3"}}})
    data["periods"] = [{"id": "p", "title": "A period", "date": "2019-06/2019-08?"}]
    corpus = load_corpus(make_corpus(data))
    file = tmp_path / "t.json"
    file.write_bytes(export_bytes(corpus))
    back = load_corpus(file)
    (e,) = back.events
    assert (e.date.text, e.date_note, e.actors, e.type, e.tags, e.draft, e.confidence) == (
        "2019-07~", "about then", ("x", "y"), "t", ("a",), True, 0.5)
    assert e.extra["csv"] == {"row": "3"}
    assert [(p.id, p.date.text) for p in back.periods] == [("p", "2019-06/2019-08?")]
    assert json.loads(file.read_bytes())["events"][0]["display_date"] == "c. July 2019"
