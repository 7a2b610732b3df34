"""The curated seed corpus: it loads, and says what the sources say."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from model_support import SEEDS, load_problems

from tui.model.dates import parse_edtf
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
    assert len(seed_corpus.events) == 22


def test_events_are_in_timeline_order(seed_corpus):
    keys = [(e.date.sort_key, e.id) for e in seed_corpus.events]
    assert keys == sorted(keys)
    assert [e.position for e in seed_corpus.events] == list(range(22))
    # Spot checks that do not rely on sort_key: the unrest "in the past" (an open start)
    # first, then 2017; September 2019 last.
    assert [e.id for e in seed_corpus.events[:2]] == ["past-unrest-in-xinjiang", "detentions-since-2017"]
    assert seed_corpus.events[-1].date.text.startswith("2019-09")
    ids = [e.id for e in seed_corpus.events]
    assert ids.index("july-8-statement") < ids.index("july-12-letter") < ids.index("qatar-withdraws-july-18")
    assert ids.index("envoys-letter-to-chen-quanguo") < ids.index("july-8-statement")
    # China's replies to the 22 states' text come after it (dated "after 8 July", an interval).
    for reply in ("china-rejects-july-8-letter", "china-delegation-hopping-mad"):
        assert ids.index("july-8-statement") < ids.index(reply) < ids.index("july-12-letter")
    # Wang Yi's Tuesday comes before Hua Chunying's Thursday.
    assert ids.index("wang-yi-ignore-gossip") < ids.index("hua-chunying-rejects-envoys-letter")


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


# -- what issue 22's audit asked of the corpus -------------------------------------------------------------------


def test_every_date_says_what_it_rests_on(seed_corpus):
    # No source states a year with its dates: every event's date_note says where the rest comes from.
    assert [e.id for e in seed_corpus.events if not e.date_note.strip()] == []
    assert [d.id for d in seed_corpus.documents.values() if not d.note.strip()] == []


def test_the_western_envoys_are_fourteen_states_and_the_eu(seed_corpus):
    members = [seed_corpus.actors[m] for m in seed_corpus.actors["western-envoys"].members]
    assert len(members) == 15
    assert sorted(a.kind for a in members) == ["organisation"] + ["state"] * 14
    assert "European Union" in [a.name for a in members]


def test_middle_east_confidential_is_dated_only_after_bloombergs_report(seed_corpus):
    published = seed_corpus.documents["mec-qatar"].published
    assert published.interval and published.text == "2019-08-21/2019"


def test_the_yusuf_episode_is_not_dated_before_august(seed_corpus):
    # "Earlier this year" in a report of about 21 August 2019 does not exclude early August.
    date = seed_corpus.events_by_id["ablikim-yusuf-deportation"].date
    assert date.overlaps(parse_edtf("2019-08-02").lower, parse_edtf("2019-08-03").upper)
    assert "Early this year" in seed_corpus.events_by_id["ablikim-yusuf-deportation"].date_note
    claim = seed_corpus.claims["ablikim-yusuf-when"]
    assert {s.text for s in claim.statements} == {"Earlier this year", "Early this year"}


def test_no_claim_that_is_not_a_disagreement(seed_corpus):
    assert "first-collective-criticism" not in seed_corpus.claims
    assert not seed_corpus.events_by_id["envoys-letter-to-chen-quanguo"].disputed
    for claim in seed_corpus.claims.values():
        assert len({s.document.id for s in claim.statements}) >= 2, claim.id
        assert len({s.value for s in claim.statements}) >= 2, claim.id


def test_the_detainee_claim_is_shown_where_its_figures_are_quoted(seed_corpus):
    claim = seed_corpus.claims["detainee-count"]
    assert set(claim.events) >= {"detentions-since-2017", "un-panel-august-report", "rights-groups-letter-to-guterres",
                                 "us-embassy-statement"}
    assert "mec-qatar" not in {s.document.id for s in claim.statements}  # it speaks of treatment, not detention
    assert any("possibly more than 2 million" in s.value for s in claim.statements)


def test_claims_on_the_22_states_and_the_signatories(seed_corpus):
    values = {s.value for s in seed_corpus.claims["july-12-signatory-count"].statements}
    assert {"37 states", "13 states", "dozens"} <= values
    called_on = {s.document.id: s.value for s in seed_corpus.claims["july-8-called-on"].statements}
    assert called_on["mec-qatar"] == "the UN High Commissioner for Human Rights" and "China" in called_on["yournews-22"]
    assert {s.document.id for s in seed_corpus.claims["july-8-addressee"].statements} == {"theprint-qatar", "yournews-22"}
    # The text itself is named neutrally: the sources disagree on what it was.
    event = seed_corpus.events_by_id["july-8-statement"]
    assert "statement" not in event.title.lower() and event.type != "statement"
    assert "statement" not in seed_corpus.actors["july-8-states"].name.lower()


@pytest.mark.parametrize(("spelling", "actor_id"), [
    ("Kazakhs", "kazakhs"), ("Kazaks", "kazakhs"), ("Xi Jinping", "xi-jinping"), ("State Department", "us-state-department"),
    ("Chinese Foreign Ministry", "china-foreign-ministry"), ("Qatari", "qatar"), ("Doha", "qatar"), ("Beijing", "china"),
    ("U.N. chief", "antonio-guterres"), ("UN Head", "antonio-guterres"),
])
def test_actors_the_audit_found_missing(seed_corpus, spelling, actor_id):
    assert seed_corpus.resolve_actor(spelling) == actor_id


@pytest.mark.parametrize(("event_id", "doc_id", "passage"), [
    ("australia-statement", "scmp-envoys", "conveyed these concerns to China on a number of occasions"),
    ("canada-foreign-ministry-statement", "scmp-envoys", "Canada’s foreign ministry did not comment directly"),
    ("past-unrest-in-xinjiang", "yournews-22", "In the past, the region has experienced violent protests"),
    ("envoys-letter-to-chen-quanguo", "scmp-envoys", "we request a meeting with you"),
    ("qatar-withdraws-july-18", "theprint-qatar", "Qatar withdrew its signature"),
    ("qatar-withdraws-july-18", "mec-qatar", "Qatar has pulled out"),
    ("july-8-statement", "yournews-22", "Nearly two dozen countries have signed a joint letter"),
    ("july-8-statement", "yournews-22", "including the High Commissioner for Human Rights, “meaningful access”"),
    ("us-embassy-statement", "scmp-envoys", "“We remain alarmed that since April 2017"),
])
def test_passages_the_audit_found_uncited(seed_corpus, event_id, doc_id, passage):
    event = seed_corpus.events_by_id[event_id]
    assert any(q.document.id == doc_id and passage in q.exact for q in event.quotes)


def test_the_associated_press_credit_line_is_not_citable(seed_corpus):
    doc = seed_corpus.documents["scmp-envoys"]
    start = doc.text.index("Additional reporting by Associated Press")
    assert doc.exclusion_at(start, start + 10).reason == "credit line"
