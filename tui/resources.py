"""Where the bundled seed corpus lives, in a source checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_corpus"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_corpus() -> Path:
    """The folder of the bundled seed corpus.

    A wheel carries it inside the package (``tui/seeds``, placed there by the
    build configuration in ``pyproject.toml``); a source checkout or an
    editable install has it at the top of the repository (``seeds/``).
    """
    for candidate in (_PACKAGE / "seeds", _PACKAGE.parent / "seeds"):
        if (candidate / "corpus.json").is_file():
            return candidate
    return _PACKAGE / "seeds"  # reported as missing by the loader, with a located message
