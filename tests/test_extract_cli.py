"""``timeline-explorer extract``: the draft corpus on disk, no clobbering, located errors."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from model_support import SEEDS, base_corpus, run

from tui.model.loader import load_corpus

SEED_DOCS = sorted(SEEDS.glob("*.txt"))
ARTICLE = (
    "Envoys ask for a meeting\n"
    "\n"
    "Ambassador Ali Al-Mansouri wrote to Coly Seck on July 18 about the letter.\n"
    "\n"
    "China last year ranked as Qatar's third largest trade partner, data show.\n"
    "\n"
    "Subscribe to our newsletter for the news of July 19 and more.\n"
)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "in" / "article.txt"
    path.parent.mkdir()
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_extract_writes_a_draft_that_passes_check_and_loads(tmp_path, capsys):
    out = tmp_path / "drafts" / "corpus.json"
    status, stdout, err = run(["extract", *map(str, SEED_DOCS), "--published", "2019-08-21", "--corpus", str(SEEDS),
                               "-o", str(out)], capsys)
    assert status == 0, err
    assert "candidate events from 5 documents" in err
    status, check_out, _ = run(["check", str(out.parent)], capsys)
    assert status == 0 and "OK:" in check_out
    corpus = load_corpus(out)
    assert corpus.problems == []
    assert len(corpus.events) > 5
    for event in corpus.events:
        assert event.draft is True
        assert 0 <= event.confidence <= 1 and event.note and event.quotes
        assert all(q.anchored for q in event.quotes)
    # Documents are copied in byte for byte, under their own names.
    for doc in SEED_DOCS:
        assert (out.parent / doc.name).read_bytes() == doc.read_bytes()
    # No temporary file is left behind.
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(["corpus.json", *(d.name for d in SEED_DOCS)])
    # The reference's document ids, titles and exclusions carry over.
    assert "theprint-qatar" in corpus.documents
    assert corpus.documents["theprint-qatar"].exclusions
    assert str(corpus.documents["theprint-qatar"].published.text) == "2019-08-21"
    # The four required events are there, with the dates the seed corpus gives them.
    dates = {e.date.text for e in corpus.events}
    assert {"2019-07-08", "2019-07-12", "2019-07-18"} <= dates


def test_an_output_folder_gets_corpus_json(article, tmp_path, capsys):
    out = tmp_path / "drafts"
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", f"{out}/"], capsys)
    assert status == 0, err
    assert (out / "corpus.json").is_file() and (out / "article.txt").read_bytes() == article.read_bytes()
    out.joinpath("corpus.json").unlink()
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", str(out)], capsys)  # existing folder
    assert status == 0, err
    assert (out / "corpus.json").is_file()


def test_any_json_name_works_with_documents_beside_it(article, tmp_path, capsys):
    out = tmp_path / "out" / "DRAFT.json"
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", str(out)], capsys)
    assert status == 0, err
    assert (out.parent / "article.txt").read_bytes() == article.read_bytes()
    assert run(["check", str(out)], capsys)[0] == 0


def test_a_document_inside_the_folder_is_cited_where_it_is(tmp_path, capsys):
    folder = tmp_path / "work"
    (folder / "sources").mkdir(parents=True)
    doc = folder / "sources" / "article.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    status, _, err = run(["extract", str(doc), "--published", "2019-08-21", "-o", str(folder / "corpus.json")], capsys)
    assert status == 0, err
    data = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    assert [d["path"] for d in data["documents"]] == ["sources/article.txt"]
    assert sorted(p.name for p in folder.iterdir()) == ["corpus.json", "sources"]


def test_documents_are_copied_byte_for_byte(tmp_path, capsys):
    raw = b"\xef\xbb\xbfThe ministry replied on July 19, officials said.\r\n\r\nCaf\xc3\xa9 talks followed in March.\r\n"
    doc = tmp_path / "crlf.txt"
    doc.write_bytes(raw)
    out = tmp_path / "d" / "corpus.json"
    status, _, err = run(["extract", str(doc), "--published", "2019-08-21", "-o", str(out)], capsys)
    assert status == 0, err
    assert (out.parent / "crlf.txt").read_bytes() == raw
    corpus = load_corpus(out)
    assert {e.date.text for e in corpus.events} >= {"2019-07-19", "2019-03"}


def test_two_documents_with_one_name_get_two_files(tmp_path, capsys):
    a, b = tmp_path / "a" / "news.txt", tmp_path / "b" / "news.txt"
    for path, day in ((a, "July 18"), (b, "July 19")):
        path.parent.mkdir()
        path.write_text(f"The ministry replied on {day}, officials said.\n", encoding="utf-8")
    out = tmp_path / "d" / "corpus.json"
    status, _, err = run(["extract", str(a), str(b), "--published", "2019-08-21", "-o", str(out)], capsys)
    assert status == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    paths = [d["path"] for d in data["documents"]]
    assert len(set(paths)) == 2
    for path, src in zip(paths, (a, b)):
        assert (out.parent / path).read_bytes() == src.read_bytes()


def test_one_published_date_per_document(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The governor told Sky News in March that the centres were schools.\n", encoding="utf-8")
    b.write_text("The governor told Sky News in March that the centres were schools.\n", encoding="utf-8")
    out = tmp_path / "d" / "corpus.json"
    status, _, err = run(["extract", str(a), str(b), "--published", "2019-07-11", "--published", "2018-02-01",
                          "-o", str(out)], capsys)
    assert status == 0, err
    corpus = load_corpus(out)
    published = {d.path: d.published.text for d in corpus.documents.values()}
    assert published == {"a.txt": "2019-07-11", "b.txt": "2018-02-01"}
    by_doc = {e.quotes[0].document.path: e.date.text for e in corpus.events if not e.date.text.endswith("~")}
    assert by_doc == {"a.txt": "2019-03", "b.txt": "2017-03"}


# -- nothing is lost -------------------------------------------------------------------------------------------

def test_an_existing_draft_is_not_replaced_without_force(article, tmp_path, capsys):
    out = tmp_path / "d" / "corpus.json"
    out.parent.mkdir()
    out.write_bytes(b"precious")
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", str(out)], capsys)
    assert status == 1
    assert "--force" in err and "nothing was written" in err
    assert out.read_bytes() == b"precious"
    assert sorted(p.name for p in out.parent.iterdir()) == ["corpus.json"]  # no document copied either
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", str(out), "--force"], capsys)
    assert status == 0, err
    assert json.loads(out.read_bytes())["format"] == "timeline-corpus/1"


def test_a_different_file_in_the_way_of_a_copy_is_not_replaced_without_force(article, tmp_path, capsys):
    out = tmp_path / "d" / "corpus.json"
    out.parent.mkdir()
    (out.parent / "article.txt").write_bytes(b"my own notes")
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", str(out)], capsys)
    assert status == 1 and "article.txt" in err and "--force" in err
    assert (out.parent / "article.txt").read_bytes() == b"my own notes"
    assert not out.exists()
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", str(out), "--force"], capsys)
    assert status == 0, err
    assert (out.parent / "article.txt").read_bytes() == article.read_bytes()


def test_an_identical_copy_already_there_is_reused(article, tmp_path, capsys):
    out = tmp_path / "d" / "corpus.json"
    out.parent.mkdir()
    shutil.copy(article, out.parent / "article.txt")
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", str(out)], capsys)
    assert status == 0, err


@pytest.mark.parametrize("which", ["corpus", "document", "input"])
def test_never_writes_over_what_it_reads_even_with_force(tmp_path, capsys, which):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    doc = folder / "000_2850487d08e3d448.txt"
    target = {"corpus": folder / "corpus.json", "document": folder / "001_7d40094ea373a31e.txt", "input": doc}[which]
    status, _, err = run(["extract", str(doc), "--published", "2019-08-21", "--corpus", str(folder),
                          "-o", str(target), "--force"], capsys)
    assert status == 1
    assert "nothing was written" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_write_that_fails_leaves_nothing_behind(article, tmp_path, capsys, monkeypatch):
    import tui.model.extract as extract_module

    out = tmp_path / "d" / "corpus.json"
    real = extract_module.atomic_write_bytes

    def failing(path, data):
        if path.name == "corpus.json":
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(extract_module, "atomic_write_bytes", failing)
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "-o", str(out)], capsys)
    assert status == 1
    assert "No space left on device" in err and "nothing was written" in err
    assert not (tmp_path / "d").exists()
    assert article.read_text(encoding="utf-8") == ARTICLE


# -- bad input: located, never a traceback ----------------------------------------------------------------------

LOCATED = re.compile(r"^(?P<file>[^:]+)(?::(?P<line>\d+))?: .+ \(fix: .+\)$")


def test_a_document_that_is_not_utf8_is_located(tmp_path, capsys):
    doc = tmp_path / "latin1.txt"
    doc.write_bytes(b"First line.\nThe caf\xe9 opened on July 18.\n")
    status, _, err = run(["extract", str(doc), "--published", "2019-08-21", "-o", str(tmp_path / "d" / "c.json")], capsys)
    assert status == 1
    first = err.splitlines()[0]
    m = LOCATED.match(first)
    assert m and m["file"] == str(doc) and m["line"] == "2"
    assert "column 8" in first and "0xe9" in first and "UTF-8" in first
    assert "Traceback" not in err
    assert not (tmp_path / "d").exists()


def test_every_bad_document_is_reported_at_once(tmp_path, capsys):
    (tmp_path / "folder").mkdir()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff")
    status, _, err = run(["extract", str(tmp_path / "missing.txt"), str(tmp_path / "folder"), str(bad),
                          "--published", "2019-08-21", "-o", str(tmp_path / "d.json")], capsys)
    assert status == 1
    lines = err.splitlines()
    assert any("missing.txt: no such file" in line for line in lines)
    assert any("folder: is a folder" in line for line in lines)
    assert any("bad.txt:1:" in line for line in lines)
    assert "Traceback" not in err


def test_the_same_document_twice_is_refused(article, tmp_path, capsys):
    status, _, err = run(["extract", str(article), str(article), "--published", "2019-08-21",
                          "-o", str(tmp_path / "d.json")], capsys)
    assert status == 1 and "given twice" in err


def test_a_published_month_or_year_is_enough_and_dates_no_more_than_it_allows(tmp_path, capsys):
    doc = tmp_path / "a.txt"
    march = "The governor told Sky News in March that the centres were schools."
    tuesday = "On Tuesday, the ministry answered the envoys."
    july = "Qatar withdrew from the letter on July 18, its envoy said."
    doc.write_text(f"{march}\n\n{tuesday}\n\n{july}\n", encoding="utf-8")
    expected = {
        "2019-08-21": {march: "2019-03", tuesday: "2019-08-20", july: "2019-07-18"},
        "2019-08": {march: "2019-03", tuesday: "2019-08~", july: "2019-07-18"},  # "on Tuesday": the month, about
        "2019-02": {march: "2018-03", tuesday: "2019-02~", july: "2018-07-18"},
        # Published in July 2019 but before the 18th, "July 18" would be in 2018: the year is uncertain.
        "2019-07": {march: "2019-03", tuesday: "2019-07~", july: "2019-07-18?"},
        # Published in 2019 but before March, "in March" would be March 2018.
        "2019": {march: "2019-03?", tuesday: "2019~", july: "2019-07-18?"},
    }
    for published, dates in expected.items():
        out = tmp_path / published / "corpus.json"
        status, _, err = run(["extract", str(doc), "--published", published, "-o", str(out)], capsys)
        assert status == 0, err
        corpus = load_corpus(out)
        assert [d.published.text for d in corpus.documents.values()] == [published]
        assert {e.quotes[0].exact: e.date.text for e in corpus.events} == dates, published
    unsure = next(e for e in corpus.events if e.quotes[0].exact == march)
    assert "published earlier, it would be 2018" in unsure.date_note


@pytest.mark.parametrize(
    ("published", "words"),
    [
        (["2019-08-21/2019-08-23"], "is not a single plain date"),
        (["2019-08?"], "is not a single plain date"),
        (["2019-02-30"], "not a real day"),
        (["yesterday"], "is not a date"),
        (["2019-08-21", "2019-08-22", "2019-08-23"], "given 3 times for 2 documents"),
    ],
)
def test_bad_published_dates_are_usage_errors(article, tmp_path, capsys, published, words):
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    argv = ["extract", str(article), str(other), "-o", str(tmp_path / "d.json")]
    for date in published:
        argv += ["--published", date]
    status, out, err = run(argv, capsys)
    assert status == 2
    assert words in err and "--published" in err
    assert "Traceback" not in err
    assert not (tmp_path / "d.json").exists()


def test_published_and_output_are_required(article, capsys):
    assert run(["extract", str(article), "-o", "x.json"], capsys)[0] == 2
    assert run(["extract", str(article), "--published", "2019-08-21"], capsys)[0] == 2


def test_a_bad_reference_corpus_is_reported_and_nothing_written(article, make_corpus, tmp_path, capsys):
    data = base_corpus()
    data["events"][0]["date"] = "2019-13-01"
    folder = make_corpus(data)
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "--corpus", str(folder),
                          "-o", str(tmp_path / "d.json")], capsys)
    assert status == 1
    assert "cannot be used as --corpus" in err and "events[0]" in err
    assert not (tmp_path / "d.json").exists()


def test_output_never_carries_control_characters(tmp_path, capsys):
    doc = tmp_path / "evil\x1b[2J.txt"
    doc.write_text("The ministry \x1b]0;pwned\x07replied on July 19, officials said.\n", encoding="utf-8")
    out = tmp_path / "d" / "corpus.json"
    status, stdout, err = run(["extract", str(doc), "--published", "2019-08-21", "-o", str(out)], capsys)
    assert status == 0, err
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", stdout + err)
    corpus = load_corpus(out)
    event = corpus.events[0]
    assert "\x1b" not in event.title and "\x1b" in event.quotes[0].exact  # quotes stay verbatim


def test_actors_from_the_reference_corpus(article, tmp_path, capsys):
    out = tmp_path / "d" / "corpus.json"
    status, _, err = run(["extract", str(article), "--published", "2019-08-21", "--corpus", str(SEEDS), "-o", str(out)],
                         capsys)
    assert status == 0, err
    corpus = load_corpus(out)
    on_18 = next(e for e in corpus.events if e.date.text == "2019-07-18")
    assert set(on_18.actors) == {"ali-al-mansouri", "coly-seck"}
    assert not any("2019-07-19" == e.date.text for e in corpus.events)  # the newsletter prompt


def test_help_has_examples(capsys):
    status, out, _ = run(["extract", "--help"], capsys)
    assert status == 0
    assert "examples:" in out and "--published" in out and "docs/extract.md" in out
    status, out, _ = run(["--help"], capsys)
    assert "extract" in out
