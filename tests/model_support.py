"""Helpers shared by the model and command-line tests (imported by name, not through conftest).

A separate module because several ``conftest.py`` files exist under tests/ and
``from conftest import ...`` would pick whichever was imported first.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from tui.model.errors import CorpusError, Problem
from tui.model.loader import load_corpus

REPO = Path(__file__).resolve().parents[1]

# A located problem as the command line prints it: FILE:LINE: WHERE: WHAT (fix: HOW)
PROBLEM_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<location>[^:]+): (?P<message>.+) \(fix: (?P<fix>.+)\)$")


def run(argv, capsys):
    """The command line's main(argv) -> (exit status, stdout, stderr); argparse exits become statuses."""
    from tui.cli import main

    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err
SEEDS = REPO / "seeds"


def generate_corpus(n: int, folder: Path, seed: int) -> dict:
    """Write a synthetic corpus of ``n`` events into ``folder`` with the benchmarks'
    generator (benchmarks/generate.py); its statistics."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(n, folder, seed=seed)

# The document the small test corpora cite.  Its last paragraph is marked as
# not citable in BASE_CORPUS.
BASE_DOC = (
    "Intro line.\n"
    "\n"
    "The council met on Tuesday, and hello world, said X to the press.\n"
    "\n"
    "A reader comment: spam spam spam.\n"
)

BASE_CORPUS: dict = {
    "format": "timeline-corpus/1",
    "title": "Tiny",
    "documents": [
        {
            "id": "d1",
            "path": "a.txt",
            "exclude": [{"exact": "A reader comment: spam spam spam.", "reason": "reader comment"}],
        }
    ],
    "actors": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
    "events": [
        {
            "id": "e1",
            "date": "2019-07-18",
            "title": "E",
            "actors": ["x"],
            "quotes": [{"doc": "d1", "exact": "hello world"}],
        }
    ],
}


def base_corpus() -> dict:
    """A fresh, valid corpus dict (mutate freely)."""
    return copy.deepcopy(BASE_CORPUS)


def write_corpus(folder: Path, data: dict | bytes | str | None = None, docs: dict | None = None) -> Path:
    """Write corpus.json (and documents) into ``folder``; see the ``make_corpus`` fixture."""
    folder.mkdir(parents=True, exist_ok=True)
    for rel, content in (docs if docs is not None else {"a.txt": BASE_DOC}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if data is None:
        data = base_corpus()
    if isinstance(data, dict):
        raw = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    elif isinstance(data, str):
        raw = data.encode("utf-8")
    else:
        raw = data
    (folder / "corpus.json").write_bytes(raw)
    return folder


def load_problems(folder: Path, **kwargs) -> list[Problem]:
    """Load ``folder``, which must fail with CorpusError; return its problems."""
    with pytest.raises(CorpusError) as info:
        load_corpus(folder, **kwargs)
    problems = info.value.problems
    assert problems, "a CorpusError must carry at least one problem"
    return problems


_LABEL = re.compile(r' \((?:document|actor|event|claim|period) "(?:[^"\\]|\\.)*"\)')


def record_path(location: str) -> str:
    """``events[0].date`` from ``events[0].date (event "e1")`` or ``events[0] (event "e1").date``."""
    return _LABEL.sub("", location)


def line_of(folder: Path, line: int) -> str:
    return (folder / "corpus.json").read_text(encoding="utf-8").splitlines()[line - 1]


def record_lines(folder: Path, section: str, index: int) -> range:
    """The 1-based lines of ``section[index]`` in a corpus.json written by ``write_corpus``.

    ``write_corpus`` indents by two, so records are the objects opened by a
    line ``    {`` and closed by ``    }`` or ``    },`` inside ``  "section": [``.
    """
    lines = (folder / "corpus.json").read_text(encoding="utf-8").splitlines()
    i = lines.index(f'  "{section}": [')
    starts = []
    for n in range(i + 1, len(lines)):
        if lines[n] == "    {":
            starts.append(n)
        elif lines[n] in ("    }", "    },") and len(starts) == index + 1:
            return range(starts[index] + 1, n + 2)
        elif lines[n].startswith("  ]"):
            break
    raise AssertionError(f"no record {section}[{index}]")


def require_or_skip(component: str, reason: str) -> None:
    """Skip a test that needs ``component`` (spark, browser...) which this machine lacks, saying why;
    unless TIMELINE_EXPLORER_REQUIRE names it (CI sets it): then the missing component is a failure,
    never a check silently not done."""
    import os

    required = {c.strip() for c in os.environ.get("TIMELINE_EXPLORER_REQUIRE", "").split(",") if c.strip()}
    if component in required:
        pytest.fail(f"{component} is required here (TIMELINE_EXPLORER_REQUIRE) but {reason}")
    pytest.skip(reason)
# Text a terminal would obey, or that hides or reorders what follows: OSC 0 (retitles the
# terminal), OSC 52 (writes its clipboard), CSI 2J (clears it), C1 CSI and OSC, a bell, NUL,
# DEL, a right-to-left override and an isolate, a zero-width space, a byte-order mark.
ATTACK = ("\x1b]0;PWNED\x07 \x1b]52;c;ZXZpbA==\x07 \x1b[2J \x9b31m \x9d0;X\x9c \x00 \x7f "
          "\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth \ufeff end")
ESCAPE_DOC = "Intro line.\n\nThe council met on Tuesday " + ATTACK + " and hello world.\n\nA reader comment.\n"


def escape_corpus() -> dict:
    """A small valid corpus whose every text field carries ``ATTACK``, and cells a
    spreadsheet would run as formulas; its document is ``ESCAPE_DOC`` (``docs=ESCAPE_DOCS``)."""
    return {
        "format": "timeline-corpus/1",
        "title": "Title " + ATTACK,
        "description": "Description " + ATTACK,
        "documents": [{"id": "d1", "path": "a.txt", "title": "Doc " + ATTACK, "outlet": "Outlet " + ATTACK,
                       "url": "https://example.invalid/" + ATTACK,
                       "exclude": [{"exact": "A reader comment.", "reason": "reason " + ATTACK}]}],
        "actors": [{"id": "x", "name": "X " + ATTACK}, {"id": "y", "name": "=Y()"}],
        "events": [
            {"id": "e1", "date": "2019-07-18", "title": "=HYPERLINK(\"http://evil.invalid\",\"click\")",
             "summary": "Summary " + ATTACK, "date_note": "-2+3", "actors": ["x", "y"],
             "quotes": [{"doc": "d1", "exact": "Tuesday " + ATTACK + " and hello"}]},
            {"id": "e2", "date": "2019-07-19", "title": "@SUM(1+1) " + ATTACK, "summary": "+1", "actors": ["x"],
             "quotes": [{"doc": "d1", "exact": "hello world"}]},
        ],
    }


ESCAPE_DOCS = {"a.txt": ESCAPE_DOC}
# Bytes that must never reach a terminal from an output meant to be read: C0 controls but tab,
# LF and CR, DEL, C1 controls (UTF-8), bidirectional embeddings, overrides and isolates.
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
