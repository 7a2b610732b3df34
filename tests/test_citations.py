"""The documents as references: CSL-JSON, BibTeX, Markdown with pandoc citations, and `y`'s CSL styles."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import jsonschema
import pytest
from model_support import REPO, SEEDS, base_corpus, run

from tui.model import cslformat
from tui.model.citations import bib_escape, csl_date, csl_item, pandoc_key
from tui.model.corpus import Query
from tui.model.dates import parse_edtf
from tui.model.export import write_export
from tui.model.loader import load_corpus

DATA = REPO / "tests" / "data" / "citations"
HOSTILE = REPO / "tests" / "data" / "hostile"
EXAMPLE = REPO / "docs" / "example"
CSL_SCHEMA = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
ZOTERO = json.loads((DATA / "zotero-citeProcJSExport.json").read_text(encoding="utf-8"))
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def export(corpus, fmt: str, query: Query = Query()) -> tuple[int, bytes]:
    out = io.BytesIO()
    count = write_export(corpus, corpus.iter_events(corpus.select(query)), query, fmt, out)
    return count, out.getvalue()


def pandoc() -> str:
    found = shutil.which("pandoc")
    assert found, "the pandoc citations tests need pandoc (apt-get install pandoc; CI installs it, see .ci/run)"
    return found


# -- CSL-JSON --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("2019-07-18", {"date-parts": [[2019, 7, 18]]}),
    ("2019-07", {"date-parts": [[2019, 7]]}),
    ("2019", {"date-parts": [[2019]]}),
    ("2019-07-18T14:30:00Z", {"date-parts": [[2019, 7, 18]]}),
    ("2019-07~", {"date-parts": [[2019, 7]], "circa": True}),
    ("2018-11/2019-01", {"date-parts": [[2018, 11], [2019, 1]]}),
    ("2021-03-15/2021-06~", {"date-parts": [[2021, 3, 15], [2021, 6]], "circa": True}),
    ("2019?", {"raw": "2019?"}),  # uncertain: CSL's date-parts cannot say it; pandoc reads the EDTF
    ("2019-07-20%", {"raw": "2019-07-20%"}),
    ("2017-04/..", {"literal": "April 2017 – ongoing"}),
    ("2019-21", {"literal": "Spring 2019"}),
    ("-0043", {"date-parts": [[-44]]}),  # 44 BCE: astronomical in EDTF, negative BCE years in CSL
])
def test_csl_dates_keep_the_edtf_precision(text, expected):
    assert csl_date(parse_edtf(text)) == expected


def test_a_csl_item_has_the_fields_the_document_has_and_no_others(make_corpus):
    data = base_corpus()
    data["documents"].append({"id": "d2", "path": "a.txt", "title": "Bridge to close", "outlet": "Gazette",
                              "published": "2021-03-03", "url": "https://example.org/bridge", "accessed": "2024-03-01",
                              "note": "provenance, not a reference field"})
    corpus = load_corpus(make_corpus(data))
    assert csl_item(corpus.documents["d1"]) == {"id": "d1", "type": "document"}
    assert csl_item(corpus.documents["d2"]) == {
        "id": "d2", "type": "document", "title": "Bridge to close", "container-title": "Gazette",
        "issued": {"date-parts": [[2021, 3, 3]]}, "URL": "https://example.org/bridge",
        "accessed": {"date-parts": [[2024, 3, 1]]},
    }


def test_csl_json_export_is_valid_csl_data_as_zoteros_own_export_is(seed_corpus):
    validator = jsonschema.Draft7Validator(CSL_SCHEMA)
    # The schema reads a real Zotero export (but for two variables of CSL 1.1 that Zotero writes already).
    zotero_items = [{k: v for k, v in item.items() if k not in ("license", "part-number")} for item in ZOTERO.values()]
    assert not list(validator.iter_errors(zotero_items))
    count, data = export(seed_corpus, "csl-json")
    items = json.loads(data)
    assert count == len(items) == len(seed_corpus.documents)
    assert not list(validator.iter_errors(items))
    # The same fields, in the same shape, as Zotero writes them for a newspaper article and a document.
    zotero_news = ZOTERO["newspaperArticle"]
    for item in items:
        assert set(item) <= set(zotero_news)
        assert item["type"] == ZOTERO["document"]["type"] == "document"
        assert [len(parts) for parts in item["issued"]["date-parts"]] == [len(p) for p in item["issued"]["date-parts"]]
    assert [i["id"] for i in items] == list(seed_corpus.documents)


def test_a_filtered_export_lists_the_documents_its_events_cite(make_corpus):
    data = base_corpus()
    data["documents"].append({"id": "uncited", "path": "a.txt", "title": "Nobody quotes this"})
    corpus = load_corpus(make_corpus(data))
    _, everything = export(corpus, "csl-json")
    assert [i["id"] for i in json.loads(everything)] == ["d1", "uncited"]  # every document is a reference
    count, cited = export(corpus, "csl-json", Query(actors=frozenset({"x"})))
    assert count == 1 and [i["id"] for i in json.loads(cited)] == ["d1"]


def test_hostile_text_is_data_in_every_reference():
    corpus = load_corpus(HOSTILE)
    _, data = export(corpus, "csl-json")
    (item,) = json.loads(data)
    assert "\x1b" not in item["title"] and "\\u001b[5mblink" in item["title"]
    _, bib = export(corpus, "bibtex")
    text = bib.decode("utf-8")
    assert not CONTROL.search(text)
    assert r"\textbackslash{}u001b" in text and "[red]Title[/red]" in text


# -- BibTeX ---------------------------------------------------------------------------------------------


def test_bibtex_escapes_latex_special_characters():
    assert bib_escape(r"50% of A&B's $5 #1 a_b x^2 ~ {x} \end") == \
        r"50\% of A\&B's \$5 \#1 a\_b x\^{}2 \~{} \{x\} \textbackslash{}end"
    assert bib_escape("two\nlines\x1b[31m") == r"two lines\textbackslash{}u001b[31m"


def test_bibtex_reads_back_through_pandoc(tmp_path, make_corpus):
    data = base_corpus()
    data["documents"][0].update({"title": "Costs {rise} 50% & more_than $5", "outlet": "The #1 Gazette",
                                 "published": "2019-07~", "url": "https://example.org/a_b?x=1&y=%20",
                                 "accessed": "2024-03-01"})
    corpus = load_corpus(make_corpus(data))
    _, bib = export(corpus, "bibtex")
    (tmp_path / "refs.bib").write_bytes(bib)
    # pandoc's own BibLaTeX reader: what a reference manager would read.
    result = subprocess.run([pandoc(), "-f", "biblatex", "-t", "csljson", str(tmp_path / "refs.bib")],
                            capture_output=True, text=True, timeout=60, check=True)
    (item,) = json.loads(result.stdout)
    assert item["id"] == "d1"
    assert item["title"] == "Costs {rise} 50% & more_than $5"
    assert item["URL"] == "https://example.org/a_b?x=1&y=%20"
    assert item["issued"]["date-parts"] == [[2019, 7]]
    assert item["accessed"]["date-parts"] == [[2024, 3, 1]]


# -- Markdown with pandoc citations ----------------------------------------------------------------------


def test_pandoc_keys_are_bare_where_pandoc_reads_them_so(make_corpus):
    data = base_corpus()
    data["documents"] += [{"id": "doc:004", "path": "a.txt"}, {"id": "ends.", "path": "a.txt"},
                          {"id": "a--b", "path": "a.txt"}]
    corpus = load_corpus(make_corpus(data))
    keys = {d.id: pandoc_key(d) for d in corpus.documents.values()}
    assert keys == {"d1": "@d1", "doc:004": "@doc:004", "ends.": "@{ends.}", "a--b": "@{a--b}"}


def test_pandoc_renders_the_markdown_export_with_its_references(tmp_path, capsys):
    target = tmp_path / "out" / "chronology.md"
    target.parent.mkdir()
    status, _, err = run(["export", str(EXAMPLE), "--format", "markdown", "--citations", "pandoc", "-o", str(target)],
                         capsys)
    assert status == 0, err
    refs = tmp_path / "out" / "chronology.references.json"
    assert json.loads(refs.read_text(encoding="utf-8")) == [csl_item(d) for d in load_corpus(EXAMPLE).documents.values()]
    markdown = target.read_text(encoding="utf-8")
    assert markdown.startswith('---\nbibliography: "chronology.references.json"\n---\n')
    assert "[@minutes]" in markdown and "[@gazette]" in markdown
    for style in (None, REPO / "tui" / "styles" / "apa.csl"):
        args = [pandoc(), "--citeproc", "-t", "plain", "--wrap=none", target.name]
        if style is not None:
            args[2:2] = ["--csl", str(style)]
        result = subprocess.run(args, cwd=target.parent, capture_output=True, text=True, timeout=60, check=True)
        assert "not found" not in result.stderr, result.stderr  # every key resolved
        rendered = result.stdout
        assert "[@" not in rendered and "???" not in rendered
        # The reference list that pandoc wrote from the CSL-JSON.
        references = rendered[rendered.index("References"):]
        assert "Minutes of the Riverside town council" in references or \
               "Minutes of the Riverside Town Council" in references
        assert "Riverside Gazette" in references and "2021" in references


def test_document_text_never_becomes_a_pandoc_citation(tmp_path, capsys):
    # The hostile corpus quotes "[@click=app.quit]": escaped, pandoc must not look it up.
    target = tmp_path / "hostile.md"
    status, _, err = run(["export", str(HOSTILE), "--format", "markdown", "--citations", "pandoc", "-o", str(target)],
                         capsys)
    assert status == 0, err
    result = subprocess.run([pandoc(), "--citeproc", "-t", "plain", target.name], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=True)
    assert "not found" not in result.stderr, result.stderr
    assert "@click=app.quit" in result.stdout


def test_pandoc_citations_need_markdown_and_a_file(tmp_path, capsys):
    status, _, err = run(["export", str(EXAMPLE), "--format", "markdown", "--citations", "pandoc"], capsys)
    assert status == 2 and "give -o FILE.md" in err
    status, _, err = run(["export", str(EXAMPLE), "--format", "json", "--citations", "pandoc", "-o",
                          str(tmp_path / "x.json")], capsys)
    assert status == 2 and "only for --format markdown" in err
    (tmp_path / "x.references.json").write_text("mine", encoding="utf-8")
    status, _, err = run(["export", str(EXAMPLE), "--format", "markdown", "--citations", "pandoc", "-o",
                          str(tmp_path / "x.md")], capsys)
    assert status == 1 and "already exists" in err
    assert not (tmp_path / "x.md").exists() and (tmp_path / "x.references.json").read_text() == "mine"


def test_cli_exports_references(tmp_path, capsys):
    status, _, err = run(["export", str(SEEDS), "--format", "bibtex", "-o", str(tmp_path / "refs.bib")], capsys)
    assert status == 0 and "5 references written (bibtex)" in err
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8").count("@misc{") == 5


# -- y with a CSL style (citeproc-py) --------------------------------------------------------------------


@pytest.mark.parametrize("style", cslformat.STYLES)
def test_each_shipped_style_formats_a_reference_once(style, seed_corpus):
    doc = seed_corpus.documents["theprint-qatar"]
    reference = cslformat.format_reference(doc, style)
    # The title stands in for the missing author, and is then not repeated.
    assert reference.lower().count("certify china") == 1, reference  # some styles title-case it
    assert "2019" in reference and "ThePrint" in reference


def test_a_style_file_is_a_style_too(tmp_path, seed_corpus):
    own = tmp_path / "mine.csl"
    own.write_bytes((REPO / "tui" / "styles" / "apa.csl").read_bytes())
    quote = seed_corpus.events[3].quotes[0]
    text, problem = cslformat.clipboard_citation(quote, str(own))
    assert problem == "" and text == cslformat.clipboard_citation(quote, "apa")[0]
    (tmp_path / "broken.csl").write_text("<style", encoding="utf-8")
    text, problem = cslformat.clipboard_citation(quote, str(tmp_path / "broken.csl"))
    assert text == cslformat.plain_citation(quote) and "cannot be read" in problem


def test_without_citeproc_py_y_falls_back_to_the_plain_citation(seed_corpus, monkeypatch):
    import sys

    cslformat._style.cache_clear()
    monkeypatch.setitem(sys.modules, "citeproc", None)  # as if it were not installed
    quote = seed_corpus.events[3].quotes[0]
    try:
        text, problem = cslformat.clipboard_citation(quote, "apa")
    finally:
        cslformat._style.cache_clear()
    assert text == cslformat.plain_citation(quote)
    assert "citeproc-py" in problem and "timeline-explorer[citations]" in problem


def test_the_clipboard_never_carries_control_characters():
    corpus = load_corpus(HOSTILE)
    escape_event = next(e for e in corpus.events if e.id == "escape-event")
    for style in ("", "apa"):
        text, _ = cslformat.clipboard_citation(escape_event.quotes[0], style)
        assert not CONTROL.search(text), repr(text)
        assert "␛]52;c;ZXZpbA==" in text  # shown as a stand-in, never obeyed


def test_the_shipped_styles_keep_their_licence():
    styles = REPO / "tui" / "styles"
    readme = (styles / "README.md").read_text(encoding="utf-8")
    assert "Creative Commons Attribution-ShareAlike\n3.0" in readme
    for style in cslformat.STYLES:
        assert f"`{style}.csl`" in readme
        assert 'license="http://creativecommons.org/licenses/by-sa/3.0/"' in (styles / f"{style}.csl").read_text()
