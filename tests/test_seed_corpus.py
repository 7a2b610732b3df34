"""The curated seed corpus: it loads, and says what the sources say."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from model_support import SEEDS, load_problems

from tui.model.loader import load_corpus

# The seed documents are fixed data: the stored texts of five news articles.
SEED_SHA256 = {
    "000_2850487d08e3d448.txt": "da63f082f0b86a141728ee6b5d44afcaa5bd12bed38d523bc3e23f2e36d83d47",
    "001_7d40094ea373a31e.txt": "8f7fc1242382298cd0421fa790b5a07f60c258770b2f27601fc0c6d7ed6d2026",
    "002_b5400e5f6aae15b5.txt": "61f170b47b44f4581334f69412e476658bd7b4d534c961d5b07fb2a7050ae8dd",
    "003_cdd7c1c46159c5e9.txt": "9f44701f7f7a7187af33879a601bcc58facbe983c220ce064930620317127894",
    "004_7829e80712a0d21d.txt": "954e9ff5111246dbd531d2980d9f2933732b626b7321e61619b60152e4ec4eac",
}


@pytest.mark.parametrize("name", sorted(SEED_SHA256))
def test_seed_documents_are_byte_for_byte_the_originals(name):
    assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == SEED_SHA256[name]


def test_every_seed_document_is_one_of_the_originals(seed_corpus):
    assert {d.path for d in seed_corpus.documents.values()} == set(SEED_SHA256)
    for doc in seed_corpus.documents.values():
        assert doc.text == (SEEDS / doc.path).read_bytes().decode("utf-8")


def test_loads_without_problems(seed_corpus):
    assert seed_corpus.problems == []
    assert seed_corpus.title
    assert len(seed_corpus.events) == 17


def test_events_are_in_timeline_order(seed_corpus):
    keys = [(e.date.sort_key, e.id) for e in seed_corpus.events]
    assert keys == sorted(keys)
    assert [e.position for e in seed_corpus.events] == list(range(17))
    # Spot checks that do not rely on sort_key: 2017 first, September 2019 last.
    assert seed_corpus.events[0].id == "detentions-since-2017"
    assert seed_corpus.events[-1].date.text.startswith("2019-09")
    ids = [e.id for e in seed_corpus.events]
    assert ids.index("july-8-statement") < ids.index("july-12-letter") < ids.index("qatar-withdraws-july-18")
    assert ids.index("envoys-letter-to-chen-quanguo") < ids.index("july-8-statement")


def test_every_quote_is_anchored_verbatim(seed_corpus):
    quotes = list(seed_corpus.quotes())
    assert len(quotes) > 50
    for q in quotes:
        assert q.anchored and q.problem is None
        raw = (SEEDS / q.document.path).read_bytes().decode("utf-8")
        assert raw[q.start : q.end] == q.exact == q.text
        ctx = q.context(max_chars=300)
        assert ctx.text[ctx.quote_start : ctx.quote_end] == q.exact


def test_nothing_cites_an_excluded_passage(seed_corpus):
    for q in seed_corpus.quotes():
        for ex in q.document.exclusions:
            assert q.end <= ex.start or ex.end <= q.start, (q.exact, ex.reason)


def test_reader_comment_is_excluded(seed_corpus):
    doc = seed_corpus.documents["theprint-qatar"]
    start = doc.text.index("HYPOCRITE")
    ex = doc.exclusion_at(start, start + 9)
    assert ex is not None and ex.reason == "reader comment"


def test_citing_the_reader_comment_is_refused(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    data = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    event = next(e for e in data["events"] if e["id"] == "qatar-withdraws-july-18")
    event["quotes"].append({"doc": "theprint-qatar", "exact": "these selfish, self righteous parasites"})
    (folder / "corpus.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    problems = load_problems(folder)
    assert len(problems) == 1
    assert problems[0].code == "anchor-excluded"
    assert "reader comment" in problems[0].message


REQUIRED = {
    "july-8-statement": "2019-07-08",
    "july-12-letter": "2019-07-12",
    "qatar-withdraws-july-18": "2019-07-18",
    "envoys-letter-to-chen-quanguo": "2018-11~",
}


@pytest.mark.parametrize(("event_id", "date"), sorted(REQUIRED.items()))
def test_required_events_exist(seed_corpus, event_id, date):
    event = seed_corpus.events_by_id[event_id]
    assert event.date.text == date
    assert event.quotes


def test_required_events_say_what_they_are(seed_corpus):
    e = seed_corpus.events_by_id
    assert "qatar" in e["qatar-withdraws-july-18"].actors
    assert "Withdraw" in e["qatar-withdraws-july-18"].title or "withdraw" in e["qatar-withdraws-july-18"].title
    assert "chen-quanguo" in e["envoys-letter-to-chen-quanguo"].actors
    assert "july-12-signatories" in e["july-12-letter"].actors
    assert "july-8-states" in e["july-8-statement"].actors


def test_each_july_18_event_cites_both_documents_that_report_it(seed_corpus):
    reporting = {d.id for d in seed_corpus.documents.values() if "July 18" in d.text}
    assert reporting == {"theprint-qatar", "mec-qatar"}
    july_18 = [e for e in seed_corpus.events if e.date.text == "2019-07-18"]
    assert july_18
    for event in july_18:
        assert {d.id for d in event.documents} >= reporting
        assert event.source_count >= 2


def test_claim_on_signatory_count(seed_corpus):
    claims = [c for c in seed_corpus.claims.values() if "july-12-letter" in c.events]
    texts = {s.text for c in claims for s in c.statements}
    assert any("Thirty-seven" in t for t in texts)
    assert any(t.startswith("13 countries") or "the 13 countries" in t for t in texts)
    claim = next(c for c in claims if any("Thirty-seven" in s.text for s in c.statements))
    assert {s.document.id for s in claim.statements} >= {"theprint-qatar", "mec-qatar"}
    assert seed_corpus.events_by_id["july-12-letter"].disputed


def test_claim_on_detainee_numbers(seed_corpus):
    claim = next(
        c for c in seed_corpus.claims.values()
        if sum("million" in s.text for s in c.statements) >= 3
    )
    assert "detentions-since-2017" in claim.events
    assert len({s.document.id for s in claim.statements}) >= 4
    assert len({s.value for s in claim.statements}) >= 4


@pytest.mark.parametrize(
    ("spellings", "actor_id"),
    [
        (["Uighur", "Uyghur", "Uygur", "uighurs"], "uighurs"),
        (["Ali Al-Mansouri", "Ali Mansouri", "ali mansouri"], "ali-al-mansouri"),
    ],
)
def test_actor_aliases(seed_corpus, spellings, actor_id):
    for spelling in spellings:
        assert seed_corpus.resolve_actor(spelling) == actor_id


def test_seed_corpus_loads_from_its_corpus_json_path_too():
    corpus = load_corpus(SEEDS / "corpus.json")
    assert [e.id for e in corpus.events] == [e.id for e in load_corpus(SEEDS).events]
