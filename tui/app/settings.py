"""User settings: ``settings.toml`` beside the keymap.

    # ~/.config/timeline-explorer/settings.toml
    [citation]
    style = "apa"   # y copies the quote with its reference in this CSL style

``style`` is a shipped style's name (apa, chicago-author-date,
modern-language-association, harvard-cite-them-right), the path of a ``.csl``
file, or ``plain`` (the default: title, outlet, date, URL). The file is read
when it is needed (``y``), so a change takes effect at once; problems in it
are reported as warnings, never fatal.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["citation_style", "settings_path"]


def settings_path() -> Path:
    override = os.environ.get("TIMELINE_EXPLORER_SETTINGS")
    if override:
        return Path(override)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "timeline-explorer" / "settings.toml"


def citation_style(path: Path | None = None) -> tuple[str, str]:
    """The CSL style ``y`` formats with ("" for the plain citation), and a warning about the file."""
    path = path or settings_path()
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return "", ""
    except OSError as exc:
        return "", f"{path}: ignored, cannot be read: {exc.strerror or exc}"
    import tomllib

    try:
        with handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return "", f"{path}: ignored, cannot be read: {exc}"
    section = data.get("citation", {})
    style = section.get("style", "") if isinstance(section, dict) else None
    if not isinstance(style, str):
        return "", f"{path}: [citation] style must be a string such as \"apa\""
    return style.strip(), ""
