"""Exports: JSON (timeline-export/1), CSV and Markdown, in memory and through the CLI."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re

import pytest
from model_support import SEEDS, base_corpus

from tui.cli import main
from tui.model.corpus import Query
from tui.model.dates import parse_edtf
from tui.model.export import md_escape, write_export
from tui.model.loader import load_corpus


def export(corpus, fmt: str, query: Query = Query()) -> bytes:
    out = io.BytesIO()
    count = write_export(corpus, corpus.query(query), query, fmt, out)
    assert count == len(corpus.query(query))
    return out.getvalue()


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


# -- JSON --------------------------------------------------------------------------------------------


def test_json_export(seed_corpus):
    data = json.loads(export(seed_corpus, "json"))
    assert data["format"] == "timeline-export/1"
    assert data["corpus"]["title"] == seed_corpus.title
    assert [e["id"] for e in data["events"]] == [e.id for e in seed_corpus.events]
    assert {d["id"] for d in data["corpus"]["documents"]} == set(seed_corpus.documents)
    assert {c["id"] for c in data["claims"]} == set(seed_corpus.claims)


def test_json_quotes_are_exact_slices_of_the_files(seed_corpus):
    data = json.loads(export(seed_corpus, "json"))
    records = [q for e in data["events"] for q in e["quotes"]] + [s for c in data["claims"] for s in c["statements"]]
    assert len(records) == sum(1 for _ in seed_corpus.quotes())
    for q in records:
        # Re-read the document from disk: the export must agree with the file.
        raw = (SEEDS / q["path"]).read_bytes().decode("utf-8")
        assert raw[q["start"] : q["end"]] == q["text"]
        assert q["doc"] in seed_corpus.documents


def test_json_actors_are_id_and_name(seed_corpus):
    data = json.loads(export(seed_corpus, "json"))
    letter = next(e for e in data["events"] if e["id"] == "july-12-letter")
    assert {"id": "july-12-signatories", "name": "Signatories of the July 12 letter"} in letter["actors"]
    for e in data["events"]:
        for a in e["actors"]:
            assert set(a) == {"id", "name"}
            assert seed_corpus.actors[a["id"]].name == a["name"]


def test_json_export_of_a_query(seed_corpus):
    query = Query(actors=frozenset({"qatar"}))
    data = json.loads(export(seed_corpus, "json", query))
    assert [e["id"] for e in data["events"]] == [e.id for e in seed_corpus.query(query)]
    assert data["query"]["actors"] == ["qatar"]
    # Only the claims about the exported events.
    exported = {e["id"] for e in data["events"]}
    assert data["claims"] and all(set(c["events"]) & exported for c in data["claims"])
    assert "detainee-count" not in {c["id"] for c in data["claims"]}


def test_json_export_of_nothing(seed_corpus):
    data = json.loads(export(seed_corpus, "json", Query(text="zzzzqqqq")))
    assert data["events"] == [] and data["claims"] == []


def test_json_marks_unanchored_quotes(make_corpus):
    data = base_corpus()
    data["events"][0]["quotes"].append({"doc": "d1", "exact": "not in the text at all, nowhere"})
    corpus = load_corpus(make_corpus(data), allow_unanchored=True)
    out = json.loads(export(corpus, "json"))
    good, bad = out["events"][0]["quotes"]
    assert "anchored" not in good and good["text"] == "hello world"
    assert bad["anchored"] is False and bad["start"] is None and bad["text"] == "not in the text at all, nowhere"


# -- CSV ---------------------------------------------------------------------------------------------------


def test_csv_one_row_per_event(seed_corpus):
    rows = parse_csv(export(seed_corpus, "csv"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["id", "date", "date_label", "title"]
    assert len(body) == len(seed_corpus.events)
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert [r["id"] for r in records] == [e.id for e in seed_corpus.events]
    for r, e in zip(records, seed_corpus.events, strict=True):
        assert r["date"] == e.date.text and r["title"] == e.title
        assert r["date_label"] == e.date.human()
        assert (r["actor_ids"].split("; ") if r["actor_ids"] else []) == list(e.actors)
        assert int(r["sources"]) == e.source_count
        for q in e.quotes:
            assert q.text in r["quotes"]  # multi-line cells survive the round trip


def test_csv_of_nothing_still_has_a_header(seed_corpus):
    rows = parse_csv(export(seed_corpus, "csv", Query(text="zzzzqqqq")))
    assert len(rows) == 1 and rows[0][0] == "id"


# -- Markdown ------------------------------------------------------------------------------------------------


def test_markdown_footnotes_name_the_document(seed_corpus):
    md = export(seed_corpus, "markdown").decode("utf-8")
    assert md.startswith("# ")
    refs = re.findall(r"\[\^(\d+)\](?!:)", md)
    notes = re.findall(r"^\[\^(\d+)\]: (.*)$", md, flags=re.MULTILINE)
    assert refs and sorted(set(refs), key=int) == [n for n, _ in notes]
    assert len(notes) == sum(1 for _ in seed_corpus.quotes())
    for _, note in notes:
        doc_id = re.search(r"\(`([^`]+)`, characters \d+–\d+\)\.$", note).group(1)
        assert doc_id in seed_corpus.documents
        assert md_escape(seed_corpus.documents[doc_id].title) in note


def test_markdown_is_grouped_by_year(seed_corpus):
    md = export(seed_corpus, "markdown").decode("utf-8")
    years = re.findall(r"^## (\d{4})$", md, flags=re.MULTILINE)
    assert years == sorted(years) == ["2017", "2018", "2019"]
    assert "### July 2019" in md
    # An open start ("In the past", ../2019-07) comes first under its own heading, as in the timeline,
    # not under the year of its end.
    assert md.index("\n## Open start\n") < md.index("\n## 2017\n")


def test_markdown_puts_open_starts_first_under_their_own_heading(make_corpus):
    data = base_corpus()
    e1 = data["events"][0]
    data["events"] = [dict(e1, id="late", date="2019-07-18"), dict(e1, id="early", date="2017"),
                      dict(e1, id="past", date="../2019-07", date_note="“In the past”")]
    md = export(load_corpus(make_corpus(data)), "markdown").decode("utf-8")
    headings = re.findall(r"^##+ .*$", md, flags=re.MULTILINE)
    assert headings[:4] == ["## Open start", "## 2017", "## 2019", "### July 2019"]
    assert md.index("… – July 2019") < md.index("**2017**")


def _markdown_html(md: str) -> str:
    import markdown_it  # a test extra: render the export as a Markdown reader would
    return markdown_it.MarkdownIt("commonmark").render(md)


def _tmp_corpus(make_corpus, title: str, summary: str = ""):
    data = base_corpus()
    data["events"][0]["title"] = title
    if summary:
        data["events"][0]["summary"] = summary
    return load_corpus(make_corpus(data))


def _rendered_title(html: str) -> str:
    """The event title as a Markdown renderer shows it (between the date and the footnote marks)."""
    m = re.search(r"<li><strong>[^<]*</strong> — (.*?)\[\^1\]", html)
    assert m, html
    return m.group(1)


def test_markdown_escapes_markup_in_titles(make_corpus):
    title = "Qatar *signs* [x](y) <b>bold</b> _under_ `code` #tag"
    corpus = _tmp_corpus(make_corpus, title)
    md = export(corpus, "markdown").decode("utf-8")
    shown = _rendered_title(_markdown_html(md))
    assert "<" not in shown.replace("&lt;", "")  # no <em>, <a>, <b>, <code>
    assert html_lib.unescape(shown) == title


@pytest.mark.parametrize(
    "text",
    ["1. Qatar signs", "2) Qatar signs"],
)
def test_markdown_keeps_leading_numbers_literal(make_corpus, text):
    corpus = _tmp_corpus(make_corpus, text)
    shown = _rendered_title(_markdown_html(export(corpus, "markdown").decode("utf-8")))
    assert html_lib.unescape(shown) == text


@pytest.mark.parametrize("rule", ["---", "==="])
def test_markdown_summary_lines_of_dashes_stay_literal(make_corpus, rule):
    corpus = _tmp_corpus(make_corpus, "Title", summary=f"First line\n{rule}\nlast line")
    html = _markdown_html(export(corpus, "markdown").decode("utf-8"))
    assert "<h1>" not in html.replace("<h1>Tiny</h1>", "") and "<h2>First line</h2>" not in html
    assert rule in html


@pytest.mark.parametrize(
    "text",
    ["*a*", "_a_", "[a](b)", "<i>x</i>", "`c`", "# h", "- item", "+ item", "> quote", "a | b", "~~s~~", "&amp;", "\\*"],
)
def test_md_escape_renders_literally(text):
    html = _markdown_html(md_escape(text))
    rendered = re.sub(r"</?p>|\n", "", html)
    assert html_lib.unescape(rendered) == text


# -- through the CLI ----------------------------------------------------------------------------------------------


def test_cli_export_json_to_stdout(capsysbinary):
    assert main(["export", "--format", "json", "--actor", "Qatar"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert "july-12-letter" in [e["id"] for e in data["events"]]


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_cli_export_to_file_equals_in_memory_export(tmp_path, capsys, seed_corpus, fmt):
    target = tmp_path / f"out.{fmt}"
    assert main(["export", str(SEEDS), "-f", fmt, "-o", str(target), "--from", "2019-07", "--to", "2019-07"]) == 0
    err = capsys.readouterr().err
    query = Query(date_from=parse_edtf("2019-07"), date_to=parse_edtf("2019-07"))
    n = len(seed_corpus.query(query))
    assert f"{n} events written ({fmt})" in err
    assert target.read_bytes() == export(seed_corpus, fmt, query)


def test_json_gives_each_date_its_earliest_and_latest_day(seed_corpus):
    data = json.loads(export(seed_corpus, "json"))
    for record in data["events"]:
        date = parse_edtf(record["date"])
        assert (record["date_earliest"], record["date_latest"]) == date.day_bounds()
    # A month, an interval: the first and last day they can denote.
    by_precision = {r["date"]: r for r in data["events"]}
    assert any(r["date_earliest"] != r["date_latest"] for r in by_precision.values())


def test_json_documents_carry_the_accessed_date(make_corpus):
    data = base_corpus()
    data["documents"][0]["accessed"] = "2024-03-01"
    data["documents"][0]["url"] = "https://example.org/a"
    corpus = load_corpus(make_corpus(data))
    exported = json.loads(export(corpus, "json"))
    assert exported["corpus"]["documents"][0]["accessed"] == "2024-03-01"
    assert exported["events"][0]["date_earliest"] == exported["events"][0]["date_latest"] == "2019-07-18"
