"""Fixtures for the model and command-line tests; helpers live in model_support.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from model_support import SEEDS, write_corpus

from tui.model.loader import load_corpus

# Property tests: no deadline (the machine is noisy), a moderate number of
# examples, and no example database written into the repository.
settings.register_profile(
    "timeline",
    deadline=None,
    max_examples=150,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("timeline")

MakeCorpus = Callable[..., Path]


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled caches go to a temporary folder, never the user's cache."""
    import os

    os.environ["TIMELINE_EXPLORER_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _private_notes(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Marks and notes of corpora that keep them in the data folder (the bundled one)
    go to a fresh folder per test, never the user's."""
    monkeypatch.setenv("TIMELINE_EXPLORER_DATA", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def make_corpus(tmp_path: Path) -> MakeCorpus:
    """Write a corpus folder: ``make_corpus(data=None, docs=None, name=None)``.

    ``data`` is a dict (written as indented JSON, one key per line, so that
    problems have meaningful line numbers), or raw ``bytes``/``str`` for the
    corpus.json; ``None`` is the valid base corpus.  ``docs`` maps relative
    paths to text or bytes; by default the folder gets ``a.txt`` with ``BASE_DOC``.
    """
    counter = iter(range(10_000))

    def make(data: dict | bytes | str | None = None, docs: dict | None = None, name: str | None = None) -> Path:
        return write_corpus(tmp_path / (name or f"corpus{next(counter)}"), data, docs)

    return make


@pytest.fixture(scope="session")
def seed_corpus():
    return load_corpus(SEEDS)


@pytest.fixture(scope="session")
def spark_url(tmp_path_factory):
    """A real Spark Connect server on this machine (local[2]), started for the tests and stopped after:
    the URL to give --engine.  Needs the spark extra (pyspark) and Java 17."""
    from model_support import require_or_skip
    from spark_server import SparkConnectServer, unavailable

    why = unavailable()
    if why:
        require_or_skip("spark", why)
    server = SparkConnectServer(tmp_path_factory.mktemp("spark"))
    try:
        server.start()
    except RuntimeError as exc:
        require_or_skip("spark", f"the Spark Connect server did not start: {exc}")
    yield server.url
    server.stop()
