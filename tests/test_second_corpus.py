"""A second, made-up corpus written from the format alone (schema.py), not from the seeds."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tui.cli import main
from tui.model.corpus import Query
from tui.model.dates import parse_edtf
from tui.model.export import write_export
from tui.model.loader import load_corpus

HARBOUR = (
    "Harbour Gazette — Ålesund edition\n"
    "\n"
    "On 3 March 1951 the harbour council of Nordvik agreed to build a new pier.\n"
    "The mayor, Åse Lind, said: “The pier will be finished within two years.”\n"
    "\n"
    "Critics said the pier would cost 2 million kroner.\n"
    "A rumour put the cost at 2 million kroner too.\n"
)
LETTER = (
    "Dear editor,\n"
    "\n"
    "The pier cost 3 million kroner, not 2 million, and it opened in 1954.\n"
    "Signed, the Fishers’ Guild of Nordvik.\n"
)

CORPUS = {
    "format": "timeline-corpus/1",
    "title": "The Nordvik pier",
    "description": "A made-up corpus for the tests.",
    "documents": [
        {"id": "gazette", "path": "gazette.txt", "title": "Council agrees new pier", "outlet": "Harbour Gazette",
         "published": "1951-03-04", "url": "https://example.invalid/gazette"},
        {"id": "letter", "path": "letters/guild.txt", "title": "Letter from the guild", "published": "1955?"},
    ],
    "actors": [
        {"id": "council", "name": "Nordvik harbour council", "kind": "organisation"},
        {"id": "lind", "name": "Åse Lind", "kind": "person", "aliases": ["Ase Lind", "the mayor"], "affiliation": "council"},
        {"id": "guild", "name": "Fishers’ Guild", "kind": "group", "aliases": ["Fishers' Guild"]},
        {"id": "critics", "name": "Critics", "kind": "group"},
        {"id": "town", "name": "Nordvik townsfolk", "kind": "coalition", "members": ["guild", "critics"]},
        {"id": "region", "name": "The whole region", "kind": "coalition", "members": ["town"]},
    ],
    "events": [
        {"id": "pier-agreed", "date": "1951-03-03", "title": "Council agrees to build a pier", "type": "decision",
         "actors": ["council", "lind"],
         "quotes": [{"doc": "gazette", "exact": "the harbour council of Nordvik agreed to build a new pier"},
                    {"doc": "gazette", "exact": "The mayor, Åse Lind, said"},
                    {"doc": "gazette", "exact": "“The pier will be finished within two years.”"}]},
        {"id": "pier-built", "date": "1951-03/1954", "title": "The pier is built", "type": "construction",
         "actors": ["town"], "date_note": "From the decision to the opening the letter gives.",
         "quotes": [{"doc": "letter", "exact": "it opened in 1954"}]},
        {"id": "cost-criticised", "date": "1951-03~", "title": "Critics say the *pier* would cost [2 million](kroner)",
         "type": "criticism", "actors": ["critics"], "date_note": "Reported in the issue of 4 March 1951.",
         "summary": "1. The critics\n---\nspoke.",
         "quotes": [{"doc": "gazette", "exact": "2 million kroner", "prefix": "cost "}]},
        {"id": "guild-letter", "date": "1955?", "title": "The guild writes to the editor", "type": "letter",
         "actors": ["guild"], "date_note": "The letter's publication year, uncertain.",
         "quotes": [{"doc": "letter", "exact": "The pier cost 3 million kroner"},
                    {"doc": "letter", "exact": "Signed, the Fishers’ Guild of Nordvik."}]},
        {"id": "deep-time", "date": "Y-13800000000", "title": "Before the harbour", "type": "context", "draft": True},
    ],
    "claims": [
        {"id": "cost", "about": "What the pier cost",
         "statements": [{"doc": "gazette", "exact": "2 million kroner", "prefix": "cost ", "value": "2 million"},
                        {"doc": "letter", "exact": "3 million kroner", "value": "3 million"}]},
    ],
    "periods": [{"id": "fifties", "title": "The 1950s", "date": "1950/1959"}],
}


@pytest.fixture
def folder(make_corpus):
    return make_corpus(CORPUS, docs={"gazette.txt": HARBOUR, "letters/guild.txt": LETTER}, name="nordvik")


@pytest.fixture
def corpus(folder):
    return load_corpus(folder)


def test_loads(corpus):
    assert corpus.title == "The Nordvik pier"
    # 1951-03~ and 1951-03/1954 start on 1 March, before 1951-03-03; the
    # shorter span first.
    assert [e.id for e in corpus.events] == ["deep-time", "cost-criticised", "pier-built", "pier-agreed", "guild-letter"]
    assert [p.id for p in corpus.periods] == ["fifties"]
    assert corpus.problems == []  # a draft needs no quote, and nothing else is wrong
    assert corpus.documents["letter"].published.uncertain


def test_quotes_are_code_point_offsets(corpus, folder):
    for q in corpus.quotes():
        raw = (folder / q.document.path).read_text(encoding="utf-8")
        assert raw[q.start : q.end] == q.exact
    # '2 million kroner' occurs twice: the prefix picks the one after 'cost '.
    q = corpus.events_by_id["cost-criticised"].quotes[0]
    assert HARBOUR.count("2 million kroner") == 2
    assert q.start == HARBOUR.index("2 million kroner")
    assert HARBOUR[q.start - 5 : q.start] == "cost "


def test_claim_without_events_is_linked_by_shared_passage(corpus):
    claim = corpus.claims["cost"]
    assert claim.events == ("cost-criticised", "guild-letter")
    assert corpus.events_by_id["guild-letter"].claims == ["cost"]
    assert corpus.events_by_id["pier-agreed"].claims == []


def test_nested_coalitions(corpus):
    assert corpus.containers("guild") == {"town", "region"}
    ids = [e.id for e in corpus.query(Query(actors=frozenset({"guild"})))]
    assert ids == ["pier-built", "guild-letter"]
    assert [e.id for e in corpus.query(Query(actors=frozenset({"region"})))] == []


def test_queries(corpus):
    def ids(**kw):
        return [e.id for e in corpus.query(Query(**kw))]

    assert ids(text="Ase Lind") == ["pier-agreed"]
    assert ids(text="the mayor") == ["pier-agreed"]
    assert ids(text="Fishers' Guild") == ["guild-letter"]
    assert ids(text="pier finished") == ["pier-agreed"]
    assert ids(date_from=parse_edtf("1953"), date_to=parse_edtf("1953")) == ["pier-built"]
    assert ids(date_to=parse_edtf("0001")) == ["deep-time"]
    assert ids(types=frozenset({"letter", "decision"})) == ["pier-agreed", "guild-letter"]
    assert corpus.resolve_actor("ase lind") == "lind"
    assert corpus.resolve_actor("Fishers' Guild") == "guild"


def test_exports(corpus, folder):
    events = corpus.events
    out = io.BytesIO()
    assert write_export(corpus, events, Query(), "json", out) == 5
    data = json.loads(out.getvalue())
    assert [e["id"] for e in data["events"]] == [e.id for e in events]
    deep = data["events"][0]
    assert deep["date_label"] == "13,800,000,001 BCE" and deep["draft"] is True and deep["quotes"] == []
    for record in data["events"] + data["claims"]:
        for q in record.get("quotes", []) + record.get("statements", []):
            raw = (folder / q["path"]).read_text(encoding="utf-8")
            assert raw[q["start"] : q["end"]] == q["text"]

    out = io.BytesIO()
    write_export(corpus, events, Query(), "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert [r["id"] for r in rows] == [e.id for e in events]
    assert rows[2]["id"] == "pier-built" and rows[2]["actors"] == "Nordvik townsfolk"

    out = io.BytesIO()
    write_export(corpus, events, Query(), "markdown", out)
    md = out.getvalue().decode("utf-8")
    assert "Council agrees new pier" in md and "`gazette`" in md and "`letter`" in md


def test_cli_check_and_export(folder, capsys, tmp_path):
    assert main(["check", str(folder)]) == 0
    assert "OK: 5 events" in capsys.readouterr().out
    target = tmp_path / "out.csv"
    assert main(["export", str(folder), "--format", "csv", "--actor", "Ase Lind", "-o", str(target)]) == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert [r["id"] for r in rows] == ["pier-agreed"]
