"""Fixtures for the app tests, and where their snapshots live.

pytest-textual-snapshot stores SVGs beside the tests by default; this keeps
them in the top-level ``snapshots/`` folder, one sub-folder per test module.
The plugin looks ``SVGImageExtension`` up in its module at every call, so
rebinding the name there is enough (the plugin's version is pinned in
pyproject.toml because this relies on that internal).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_textual_snapshot

from tui.model import load_corpus

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "snapshots"
SEEDS = ROOT / "seeds"
HOSTILE = ROOT / "tests" / "data" / "hostile"


class TopLevelSVGExtension(pytest_textual_snapshot.SVGImageExtension):
    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / Path(test_location.filepath).stem)


pytest_textual_snapshot.SVGImageExtension = TopLevelSVGExtension


@pytest.fixture(autouse=True)
def _no_user_keymap(monkeypatch, tmp_path):
    # Tests never read the developer's own keymap or settings.
    monkeypatch.setenv("TIMELINE_EXPLORER_KEYMAP", str(tmp_path / "no-keymap.toml"))
    monkeypatch.setenv("TIMELINE_EXPLORER_SETTINGS", str(tmp_path / "no-settings.toml"))


@pytest.fixture(scope="session")
def seed_corpus():
    return load_corpus(SEEDS)


@pytest.fixture(scope="session")
def hostile_corpus():
    return load_corpus(HOSTILE)
