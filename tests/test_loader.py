"""The loader on bad input: always CorpusError, every problem located, with a fix."""

from __future__ import annotations

import json
import os
import re

import pytest
from model_support import BASE_DOC, SEEDS, base_corpus, line_of, load_problems, record_lines, record_path
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.model.dates import parse_edtf
from tui.model.errors import CorpusError
from tui.model.loader import load_corpus


def mutated(fn) -> dict:
    data = base_corpus()
    fn(data)
    return data


def the_problem(problems, path: str):
    """The one problem located at ``path`` (ignoring the record-id labels)."""
    matching = [p for p in problems if record_path(p.location) == path]
    assert matching, f"no problem at {path!r}: {[str(p) for p in problems]}"
    return matching[0]


def test_the_base_corpus_is_valid(make_corpus):
    corpus = load_corpus(make_corpus())
    assert [e.id for e in corpus.events] == ["e1"]
    assert corpus.events[0].quotes[0].text == "hello world"


# -- the file as a whole -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b'{"format": "timeline-corpus/1", "title": "T", "events": [{"id": "e1", "da', "truncated"),
        (b'{"format": "timeline-corpus/1",\n "title": "Caf\xe9"}', "not UTF-8"),
        (b"[]", "array"),
        (b'[{"format": "timeline-corpus/1"}]', "array"),
        (b'"timeline-corpus/1"', "string"),
        (b"42", "number"),
        (b"null", "null"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"a":' * 100_000, "nested too deeply"),
        (b"{'format': 'timeline-corpus/1'}", "not valid JSON"),
        (b'{"format": "timeline-corpus/1",}', "not valid JSON"),
    ],
    ids=["empty", "blank", "truncated", "latin-1", "array", "array-of-corpus", "string", "number", "null",
         "deep-arrays", "deep-objects", "single-quotes", "trailing-comma"],
)
def test_unreadable_files(make_corpus, raw, message):
    folder = make_corpus(raw)
    problems = load_problems(folder)
    assert len(problems) == 1
    p = problems[0]
    assert p.file == str(folder / "corpus.json")
    assert message in p.message
    assert p.hint
    assert str(p).startswith(str(folder / "corpus.json"))


def test_non_utf8_is_located_at_its_byte(make_corpus):
    folder = make_corpus(b'{"format": "timeline-corpus/1",\n "title": "Caf\xe9"}')
    p = load_problems(folder)[0]
    assert p.line == 2
    # ' "title": "Caf' is 14 bytes: the bad byte is in column 15.
    assert "0xe9" in p.message and "column 15" in p.message


def test_syntax_error_is_located(make_corpus):
    folder = make_corpus(b'{\n  "format": "timeline-corpus/1",\n  "title": "T"\n  "events": []\n}')
    p = load_problems(folder)[0]
    assert p.line == 4
    assert "line 4" in p.message


def test_utf8_bom_is_accepted(make_corpus):
    raw = b"\xef\xbb\xbf" + json.dumps(base_corpus()).encode()
    assert load_corpus(make_corpus(raw)).events[0].id == "e1"


def test_missing_corpus(tmp_path):
    problems = load_problems(tmp_path / "nowhere")
    assert "no such file" in problems[0].message and problems[0].hint
    problems = load_problems(tmp_path)  # a folder without corpus.json
    assert "corpus.json" in problems[0].message and problems[0].hint


# -- structure ---------------------------------------------------------------------------------

STRUCTURE_CASES = [
    # (id, mutation, location, words in the message, words in the hint)
    ("format-2", lambda c: c.update(format="timeline-corpus/2"), "format", "not supported", "upgrade"),
    ("format-other", lambda c: c.update(format="something-else/1"), "format", "not a corpus format", "timeline-corpus/1"),
    ("format-missing", lambda c: c.pop("format"), "format", "missing", "timeline-corpus/1"),
    ("title-missing", lambda c: c.pop("title"), "title", "title", "title"),
    ("title-type", lambda c: c.update(title=5), "title", "title", "title"),
    ("events-type", lambda c: c.update(events={"e1": {}}), "events", "array", "["),
    ("unknown-top-field", lambda c: c.update(evnets=[]), "evnets", "unknown", "did you mean 'events'?"),
    ("unknown-event-field", lambda c: c["events"][0].update(titel="x"), "events[0]", "unknown field 'titel'",
     "did you mean 'title'?"),
    ("unknown-quote-field", lambda c: c["events"][0]["quotes"][0].update(exactt="x"), "events[0].quotes[0]",
     "unknown field 'exactt'", "did you mean 'exact'?"),
    ("unknown-document-field", lambda c: c["documents"][0].update(pth="x"), "documents[0]", "unknown field 'pth'",
     "did you mean 'path'?"),
    ("date-type", lambda c: c["events"][0].update(date=2019), "events[0].date", "expected a string", "type"),
    ("date-missing", lambda c: c["events"][0].pop("date"), "events[0]", "'date' is missing", "date"),
    ("title-empty", lambda c: c["events"][0].update(title=""), "events[0].title", "empty", "fill"),
    ("actors-item-type", lambda c: c["events"][0].update(actors="x"), "events[0].actors", "expected an array", "type"),
    ("bad-id", lambda c: c["events"][0].update(id="-no spaces"), "events[0].id", "not a valid id", "letters"),
    ("bad-kind", lambda c: c["actors"][1].update(kind="nation"), "actors[1].kind", "'nation'", "coalition"),
    ("confidence-range", lambda c: c["events"][0].update(confidence=2), "events[0].confidence", "<= 1", "between 0 and 1"),
    ("empty-statements", lambda c: c.update(claims=[{"id": "c1", "about": "A", "statements": []}]),
     "claims[0].statements", "empty", "add"),
]


@pytest.mark.parametrize(("mutation", "location", "message", "hint"), [c[1:] for c in STRUCTURE_CASES],
                         ids=[c[0] for c in STRUCTURE_CASES])
def test_structural_problems_are_located(make_corpus, mutation, location, message, hint):
    folder = make_corpus(mutated(mutation))
    p = the_problem(load_problems(folder), location)
    assert p.file == str(folder / "corpus.json")
    assert message in p.message
    assert hint in p.hint
    if location.startswith("events["):
        # The line is one of the record's.
        assert p.line in record_lines(folder, "events", 0)


def test_record_problems_name_the_record_id(make_corpus):
    folder = make_corpus(mutated(lambda c: c["events"][0].update(date=2019)))
    p = load_problems(folder)[0]
    assert '(event "e1")' in p.location


def test_one_bad_record_does_not_hide_another(make_corpus):
    def both(c):
        c["events"][0]["date"] = 2019
        c["events"].append({"id": "e2", "date": "2019-02-30", "title": "T", "quotes": [{"doc": "d1", "exact": "Intro line."}]})
        c["actors"][1]["colour"] = "red"
    problems = load_problems(make_corpus(mutated(both)))
    assert {p.message for p in problems} >= {
        "expected a string, got an integer", "unknown field 'colour'",
        "'2019-02-30' is not a real day: February 2019 has 28 days",
    }


def test_a_bad_date_does_not_hide_a_bad_quote_of_the_same_event(make_corpus):
    folder = make_corpus(mutated(lambda c: (c["events"][0].update(date="2019-02-30"),
                                            c["events"][0]["quotes"][0].update(exact="hello wrld"))))
    paths = {record_path(p.location) for p in load_problems(folder)}
    assert {"events[0].date", "events[0].quotes[0]"} <= paths


@pytest.mark.parametrize(
    ("mutation", "location"),
    [
        (lambda c: (c["events"].insert(0, {"id": "e0", "date": 2019, "title": "bad"}),
                    c["events"][1].update(date="2019-02-30")), "events[1].date"),
        (lambda c: (c["actors"].insert(0, {"id": "a0", "name": "A", "kind": "nation"}),
                    c["actors"].append({"id": "x", "name": "again"})), "actors[3]"),
    ],
    ids=["date", "duplicate"],
)
def test_indices_are_those_of_the_file(make_corpus, mutation, location):
    problems = load_problems(make_corpus(mutated(mutation)))
    the_problem(problems, location)


# -- references, duplicates, cycles, dates -------------------------------------------------------

REFERENCE_CASES = [
    ("unknown-actor", lambda c: c["events"][0].update(actors=["xx"]), "events[0].actors[0]", "unknown actor 'xx'", "did you mean 'x'?"),
    ("unknown-document", lambda c: c["events"][0]["quotes"][0].update(doc="d2"), "events[0].quotes[0].doc", "unknown document 'd2'", "documents"),
    ("unknown-member", lambda c: c["actors"].append({"id": "bloc", "name": "Bloc", "kind": "coalition", "members": ["zz"]}),
     "actors[2].members[0]", "unknown actor 'zz'", "actors"),
    ("unknown-affiliation", lambda c: c["actors"][0].update(affiliation="nobody"), "actors[0].affiliation", "unknown actor 'nobody'", "actor"),
    ("unknown-claim-event", lambda c: c.update(claims=[{"id": "c1", "about": "A", "events": ["e9"],
                                                       "statements": [{"doc": "d1", "exact": "hello world"}]}]),
     "claims[0].events[0]", "unknown event 'e9'", "event id"),
    ("unknown-statement-doc", lambda c: c.update(claims=[{"id": "c1", "about": "A",
                                                          "statements": [{"doc": "nod", "exact": "hello world"}]}]),
     "claims[0].statements[0].doc", "unknown document 'nod'", "documents"),
    ("duplicate-event", lambda c: c["events"].append(dict(c["events"][0])), "events[1]", "duplicate event id", "own id"),
    ("duplicate-actor", lambda c: c["actors"].append({"id": "x", "name": "Again"}), "actors[2]", "duplicate actor id", "own id"),
    ("duplicate-document", lambda c: c["documents"].append({"id": "d1", "path": "a.txt"}), "documents[1]", "duplicate document id", "own id"),
    ("cycle", lambda c: c["actors"].extend([{"id": "a", "name": "A", "kind": "coalition", "members": ["b"]},
                                            {"id": "b", "name": "B", "kind": "coalition", "members": ["a"]}]),
     "actors[2].members", "a → b → a", "remove"),
    ("long-cycle", lambda c: c["actors"].extend([{"id": "a", "name": "A", "kind": "coalition", "members": ["b"]},
                                                 {"id": "b", "name": "B", "kind": "group", "members": ["c"]},
                                                 {"id": "c", "name": "C", "kind": "coalition", "members": ["x", "a"]}]),
     "actors[2].members", "a → b → c → a", "remove"),
    ("self-member", lambda c: c["actors"].append({"id": "a", "name": "A", "kind": "coalition", "members": ["a"]}),
     "actors[2].members[0]", "member of itself", "remove"),
    ("state-with-members", lambda c: c["actors"][0].update(kind="state", members=["y"]), "actors[0].members", "cannot have members", "coalition"),
    ("impossible-day", lambda c: c["events"][0].update(date="2019-02-30"), "events[0].date", "not a real day", "day"),
    ("impossible-month", lambda c: c["events"][0].update(date="2019-13-01"), "events[0].date", "month 13", "01-12"),
    ("backwards-interval", lambda c: c["events"][0].update(date="2019-01/2018-11"), "events[0].date", "ends before it starts", "swap"),
    ("garbage-date", lambda c: c["events"][0].update(date="last Tuesday"), "events[0].date", "not an EDTF date", "YYYY"),
    ("bad-published", lambda c: c["documents"][0].update(published="2019-99"), "documents[0].published", "month 99", "01-12"),
    ("bad-period", lambda c: c.update(periods=[{"id": "p", "title": "P", "date": "2019-02-30"}]), "periods[0].date", "not a real day", "day"),
]


@pytest.mark.parametrize(("mutation", "location", "message", "hint"), [c[1:] for c in REFERENCE_CASES],
                         ids=[c[0] for c in REFERENCE_CASES])
def test_reference_and_date_problems_are_located(make_corpus, mutation, location, message, hint):
    folder = make_corpus(mutated(mutation))
    problems = load_problems(folder)
    p = the_problem(problems, location)
    assert p.file == str(folder / "corpus.json")
    assert message in p.message
    assert hint in p.hint
    assert p.line is not None
    assert str(p).startswith(f"{folder / 'corpus.json'}:{p.line}: ")
    section, index = re.match(r"(\w+)\[(\d+)\]", location).groups()
    assert p.line in record_lines(folder, section, int(index))


@pytest.mark.parametrize(
    ("mutation", "location"),
    [
        (lambda c: c["events"][0].update(date="2019-02-30"), "events[0].date"),
        (lambda c: c["events"][0].update(actors=["xx"]), "events[0].actors[0]"),
        (lambda c: c["documents"][0].update(path="../a.txt"), "documents[0].path"),
    ],
    ids=["date", "reference", "path"],
)
def test_locations_start_with_the_record_path(make_corpus, mutation, location):
    p = load_problems(make_corpus(mutated(mutation)))[0]
    assert p.location.startswith(location)


@pytest.mark.parametrize(
    "mutation",
    [
        lambda c: c["documents"][0].update(titel="x"),
        lambda c: c["actors"][0].update(kind="nation"),
        lambda c: (c["events"][0].update(date="2019-02-30"),
                   c.update(claims=[{"id": "c1", "about": "A", "events": ["e1"],
                                     "statements": [{"doc": "d1", "exact": "hello world"}, {"doc": "d1", "exact": "Intro line."}]}])),
    ],
    ids=["document", "actor", "event"],
)
def test_a_bad_record_is_not_also_reported_as_unknown(make_corpus, mutation):
    problems = load_problems(make_corpus(mutated(mutation)))
    assert [p for p in problems if "unknown" in p.message and p.code == "ref"] == []


def test_description_type_problem_has_a_hint(make_corpus):
    p = the_problem(load_problems(make_corpus(mutated(lambda c: c.update(description=5)))), "description")
    assert p.hint


def test_unspecified_digit_dates_load(make_corpus):
    """'9X14' (EDTF level 2: a year with an unknown digit) is a date, not a problem."""
    corpus = load_corpus(make_corpus(mutated(lambda c: c["events"][0].update(date="9X14"))))
    event = corpus.events_by_id[corpus.events[-1].id]
    assert event.date.text == "9X14"
    assert event is corpus.events[-1]  # 9014–9914 sorts after every other event of the corpus


# -- documents ------------------------------------------------------------------------------------------


def test_path_with_dotdot(make_corpus):
    p = the_problem(load_problems(make_corpus(mutated(lambda c: c["documents"][0].update(path="../a.txt")))), "documents[0].path")
    assert "outside the corpus folder" in p.message and p.hint
    assert "symlink" not in p.message  # said for what it is, not caught later as a link


@pytest.mark.parametrize("path", ["/etc/hostname", "~/a.txt", "C:/a.txt"])
def test_absolute_paths(make_corpus, path):
    p = the_problem(load_problems(make_corpus(mutated(lambda c: c["documents"][0].update(path=path)))), "documents[0].path")
    assert "absolute" in p.message and "relative" in p.hint


def test_backslash_path(make_corpus):
    p = the_problem(load_problems(make_corpus(mutated(lambda c: c["documents"][0].update(path="sub\\a.txt")))), "documents[0].path")
    assert "/" in p.hint


def test_symlink_outside_the_corpus(make_corpus, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(BASE_DOC, encoding="utf-8")
    folder = make_corpus(mutated(lambda c: c["documents"][0].update(path="link.txt")))
    os.symlink(outside, folder / "link.txt")
    p = the_problem(load_problems(folder), "documents[0].path")
    assert "symlink" in p.message and "outside" in p.message and p.hint


def test_symlink_inside_the_corpus_is_fine(make_corpus):
    folder = make_corpus(mutated(lambda c: c["documents"][0].update(path="link.txt")))
    os.symlink(folder / "a.txt", folder / "link.txt")
    assert load_corpus(folder).events[0].quotes[0].anchored


def test_symlink_loop(make_corpus):
    folder = make_corpus(mutated(lambda c: c["documents"][0].update(path="l1")))
    os.symlink("l2", folder / "l1")
    os.symlink("l1", folder / "l2")
    p = the_problem(load_problems(folder), "documents[0].path")
    assert p.hint


def test_missing_document_suggests_the_close_name(make_corpus):
    folder = make_corpus(mutated(lambda c: c["documents"][0].update(path="A.txt")), docs={"a.txt": BASE_DOC})
    p = the_problem(load_problems(folder), "documents[0].path")
    assert "does not exist" in p.message
    assert "did you mean 'a.txt'?" == p.hint


def test_document_that_is_a_folder(make_corpus):
    folder = make_corpus(mutated(lambda c: c["documents"][0].update(path="sub")), docs={"a.txt": BASE_DOC, "sub/x.txt": "x"})
    p = the_problem(load_problems(folder), "documents[0].path")
    assert "folder" in p.message and p.hint


def test_document_that_is_not_utf8(make_corpus):
    folder = make_corpus(docs={"a.txt": BASE_DOC.encode("utf-8").replace(b"hello", b"h\xe9llo")})
    p = the_problem(load_problems(folder), "documents[0].path")
    assert "not UTF-8" in p.message and "0xe9" in p.message
    assert "line 3" in p.message
    assert "iconv" in p.hint


# -- quotes -------------------------------------------------------------------------------------------------


def test_quote_not_found_shows_nearest_passage(make_corpus):
    folder = make_corpus(mutated(lambda c: c["events"][0]["quotes"][0].update(exact="hello wrld, said X")))
    p = the_problem(load_problems(folder), "events[0].quotes[0]")
    assert p.code == "anchor-missing"
    assert re.search(r"\d+% similar", p.message)
    assert '"hello world, said X"' in p.message
    assert "a.txt" in p.message
    assert '"world"' in p.hint and '"wrld"' in p.hint
    assert "hello wrld" in line_of(folder, p.line)


def test_quote_with_straight_apostrophe(make_corpus):
    folder = make_corpus(
        mutated(lambda c: c["events"][0]["quotes"][0].update(exact="China's record")),
        docs={"a.txt": "China’s record was praised.\n"},
    )
    p = the_problem(load_problems(folder), "events[0].quotes[0]")
    assert "U+2019" in p.hint


def test_ambiguous_quote_hint_fixes_it(make_corpus):
    doc = "First: hello world.\n\nSecond: hello world.\n"
    folder = make_corpus(mutated(lambda c: c["documents"][0].update(exclude=[])), docs={"a.txt": doc})
    p = the_problem(load_problems(folder), "events[0].quotes[0]")
    assert p.code == "anchor-ambiguous"
    assert "2 times" in p.message
    # Apply the suggested fix: the corpus then loads, anchored on the first.
    m = re.search(r'"(prefix|suffix)": ("(?:[^"\\]|\\.)*")', p.hint)
    assert m, p.hint
    data = base_corpus()
    data["documents"][0]["exclude"] = []
    data["events"][0]["quotes"][0][m.group(1)] = json.loads(m.group(2))
    (folder / "corpus.json").write_text(json.dumps(data), encoding="utf-8")
    q = load_corpus(folder).events[0].quotes[0]
    assert (q.start, q.end) == (doc.index("hello world"), doc.index("hello world") + 11)


def test_quote_inside_an_excluded_passage(make_corpus):
    folder = make_corpus(mutated(lambda c: c["events"][0]["quotes"][0].update(exact="reader comment")))
    p = the_problem(load_problems(folder), "events[0].quotes[0]")
    assert p.code == "anchor-excluded"
    assert "not citable" in p.message and "reader comment" in p.message
    assert p.hint


def test_exclusion_that_does_not_match(make_corpus):
    folder = make_corpus(mutated(lambda c: c["documents"][0]["exclude"].append({"exact": "no such boilerplate here"})))
    p = the_problem(load_problems(folder), "documents[0].exclude[1]")
    assert p.hint


# -- allow_unanchored ---------------------------------------------------------------------------------------


def test_allow_unanchored_opens_with_the_quote_flagged(make_corpus):
    folder = make_corpus(mutated(lambda c: c["events"][0]["quotes"].append({"doc": "d1", "exact": "the council met on Monday"})))
    with pytest.raises(CorpusError):
        load_corpus(folder)
    corpus = load_corpus(folder, allow_unanchored=True)
    good, bad = corpus.events[0].quotes
    assert good.anchored and good.text == "hello world"
    assert not bad.anchored and bad.start is None and bad.context() is None
    assert bad.problem is not None and bad.problem.code.startswith("anchor")
    assert bad.problem in corpus.problems
    assert corpus.unanchored == [bad.problem]
    assert bad.text == "the council met on Monday"


def test_allow_unanchored_does_not_excuse_other_problems(make_corpus):
    folder = make_corpus(mutated(lambda c: (c["events"][0]["quotes"][0].update(exact="nope nope"),
                                            c["events"][0].update(date="2019-02-30"))))
    problems = load_problems(folder, allow_unanchored=True)
    assert any(record_path(p.location) == "events[0].date" for p in problems)


# -- never anything but CorpusError --------------------------------------------------------------------------


@settings(max_examples=200)
@given(st.one_of(
    st.binary(max_size=400),
    st.text(alphabet='{}[]":,0123456789 -.aeflnrstu\\/', max_size=120).map(str.encode),
))
def test_arbitrary_bytes_never_raise_anything_but_corpus_error(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    (folder / "corpus.json").write_bytes(data)
    try:
        load_corpus(folder)
    except CorpusError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.code != "internal", str(p)
            assert p.message and p.hint


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)

FIELD_PATHS = [
    ("format",), ("title",), ("description",), ("documents",), ("actors",), ("events",), ("claims",), ("periods",),
    ("documents", 0), ("documents", 0, "id"), ("documents", 0, "path"), ("documents", 0, "exclude"),
    ("documents", 0, "published"), ("actors", 0), ("actors", 0, "members"), ("actors", 0, "kind"),
    ("actors", 0, "aliases"), ("actors", 0, "affiliation"), ("events", 0), ("events", 0, "id"), ("events", 0, "date"),
    ("events", 0, "actors"), ("events", 0, "quotes"), ("events", 0, "quotes", 0), ("events", 0, "quotes", 0, "exact"),
    ("events", 0, "quotes", 0, "doc"), ("events", 0, "quotes", 0, "prefix"), ("events", 0, "confidence"),
    ("events", 0, "draft"), ("events", 0, "tags"),
]


@settings(max_examples=300)
@given(st.sampled_from(FIELD_PATHS), json_values)
def test_arbitrary_json_in_any_field_never_raises_anything_but_corpus_error(tmp_path_factory, path, value):
    folder = tmp_path_factory.mktemp("json")
    (folder / "a.txt").write_text(BASE_DOC, encoding="utf-8")
    data = base_corpus()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    (folder / "corpus.json").write_text(json.dumps(data), encoding="utf-8")
    try:
        load_corpus(folder)
    except CorpusError as exc:
        for p in exc.problems:
            assert p.code != "internal", str(p)
            assert p.file == str(folder / "corpus.json")
            assert p.message


@settings(max_examples=100)
@given(json_values)
def test_arbitrary_json_document_never_raises_anything_but_corpus_error(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("whole")
    (folder / "corpus.json").write_text(json.dumps(value), encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    assert all(p.code != "internal" for p in info.value.problems)


def test_problem_str_escapes_control_characters(make_corpus):
    data = base_corpus()
    data["\x1b[2Jevil"] = 1
    problems = load_problems(make_corpus(data))
    assert all("\x1b" not in str(p) for p in problems)


def test_corpus_error_message_summarises(make_corpus):
    folder = make_corpus(mutated(lambda c: (c["events"][0].update(date="2019-02-30"), c["actors"][1].update(oops=1))))
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    assert len(info.value.problems) == 2
    assert "and 1 more problem" in str(info.value)


def test_warnings_do_not_stop_loading(make_corpus):
    folder = make_corpus(mutated(lambda c: (c["events"][0].update(date="2019~", quotes=[]),)))
    corpus = load_corpus(folder)
    codes = {p.code for p in corpus.warnings}
    assert {"unsourced", "date-note", "unused"} <= codes
    assert corpus.unanchored == []



def test_a_document_accessed_date_is_an_edtf_date(make_corpus):
    data = base_corpus()
    data["documents"][0]["accessed"] = "2024-03-01"
    corpus = load_corpus(make_corpus(data))
    assert corpus.documents["d1"].accessed == parse_edtf("2024-03-01")
    data["documents"][0]["accessed"] = "March 2024"
    problems = load_problems(make_corpus(data, name="bad"))
    assert [(p.location, p.code) for p in problems] == [("documents[0].accessed (document \"d1\")", "date")]


def test_the_accessed_date_survives_the_compiled_cache(make_corpus, tmp_path, monkeypatch):
    import time

    from tui.model.engine.largefile import build, cache_folder, compiled_store

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    data = base_corpus()
    data["documents"][0]["accessed"] = "2024-03~"
    folder = make_corpus(data)
    first = build(folder, folder / "corpus.json")
    assert first.documents["d1"].accessed == parse_edtf("2024-03~")
    meta = cache_folder(folder / "corpus.json") / "meta.json"
    for _ in range(400):  # the cache is written in the background, its metadata last
        if meta.exists():
            break
        time.sleep(0.05)
    first.close()
    again = compiled_store(folder, folder / "corpus.json")
    try:
        assert again.compiled is not None  # from the cache, not built again
        assert again.documents["d1"].accessed == parse_edtf("2024-03~")
    finally:
        again.close()


def test_a_compiled_corpus_reopened_from_its_cache_is_described_as_the_loader_describes_it(tmp_path, monkeypatch):
    """The cache's records were checked when it was made, so a reopen skips the checks (``trusted``):
    what it builds must still be what the loader builds, down to the claims' events."""
    import time

    from tui.model.engine.largefile import build, cache_folder, compiled_store

    import shutil

    monkeypatch.setenv("TIMELINE_EXPLORER_CACHE", str(tmp_path / "cache"))
    seeds_copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds_copy)
    file = seeds_copy / "corpus.json"
    build(seeds_copy, file).close()
    for _ in range(400):
        if (cache_folder(file) / "meta.json").exists():
            break
        time.sleep(0.05)
    corpus = load_corpus(seeds_copy)
    store = compiled_store(seeds_copy, file)
    try:
        assert store.compiled is not None  # from the cache
        assert {a.id: (a.name, a.kind, a.aliases, a.members, a.affiliation) for a in store.actors.values()} == \
            {a.id: (a.name, a.kind, a.aliases, a.members, a.affiliation) for a in corpus.actors.values()}
        assert {d.id: (d.path, d.file, d.published, d.title) for d in store.documents.values()} == \
            {d.id: (d.path, d.file, d.published, d.title) for d in corpus.documents.values()}
        assert [p.id for p in store.periods] == [p.id for p in corpus.periods]
        claimed = [(e.id, sorted(e.claims)) for e in corpus.events if e.claims]
        assert claimed and [(store.event(corpus.position_of(i)).id, sorted(store.event(corpus.position_of(i)).claims))
                            for i, _ in claimed] == claimed
    finally:
        store.close()
