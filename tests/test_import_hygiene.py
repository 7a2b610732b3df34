"""The model and the command line never import Textual (start-up time, and a clean layering)."""

from __future__ import annotations

import os
import subprocess
import sys

from model_support import REPO, SEEDS

# Every module of the model, found on disk (a new one is checked without anyone remembering to list it).
MODULES = ["tui", "tui.model", "tui.cli", "tui.resources"] + sorted(
    f"tui.model.{path.stem}" for path in (REPO / "tui" / "model").glob("*.py") if path.stem != "__init__")


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)


def test_importing_the_model_and_cli_does_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_check_and_export_do_not_import_textual():
    # Lazy imports happen when a command runs, so run the commands too.
    code = (
        "import io, sys, contextlib\n"
        "from tui.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    assert main(['check', {str(SEEDS)!r}]) == 0\n"
        "from tui.model import load_corpus, Query\n"
        "from tui.model.export import write_export\n"
        f"c = load_corpus({str(SEEDS)!r})\n"
        "for fmt in ('json', 'csv', 'markdown'):\n"
        "    write_export(c, c.query(Query(text='Uyghur')), Query(text='Uyghur'), fmt, io.BytesIO())\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "print('ok')\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_app_opening_a_corpus_file_leaves_the_rest_unimported(tmp_path):
    # Start-up time: a corpus file opens without the converters (TimelineJS, HTML) or what they
    # write with, and with no notes sidecar or keymap file there is nothing for orjson or tomllib
    # to read. The command line loads the corpus by its file, as here.
    code = (
        "import sys\n"
        "from tui.app.app import TimelineApp\n"
        "from tui.model import load_corpus\n"
        f"app = TimelineApp(load_corpus({str(SEEDS / 'corpus.json')!r}))\n"
        "start = app._start\n"
        "def start_and_stop():\n"
        "    start()\n"
        "    app.exit(0)\n"
        "app._start = start_and_stop\n"
        "assert app.run(headless=True, size=(120, 40)) == 0\n"
        "loaded = sorted(m for m in ('tui.model.conversions', 'tui.model.timelinejs', 'tui.model.htmltext',\n"
        "                            'tui.model.corpuswriter', 'orjson', 'json', 'tomllib',\n"
        "                            'tui.model.citations', 'tui.model.cslformat', 'tui.model.annotations',\n"
        "                            'citeproc', 'lxml', 'tui.app.settings') if m in sys.modules)\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    env = {**os.environ, "TIMELINE_EXPLORER_DATA": str(tmp_path / "data"),
           "TIMELINE_EXPLORER_KEYMAP": str(tmp_path / "no-keymap.toml")}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
