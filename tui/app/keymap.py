"""User key remapping: ``keymap.toml`` maps binding ids to keys.

    # ~/.config/timeline-explorer/keymap.toml
    [keys]
    "app.quit" = "q,ctrl+q"
    "timeline.down" = "j,down,ctrl+n"

The file is optional; problems in it are reported as warnings, never fatal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path

__all__ = ["keymap_path", "load_keymap"]


def keymap_path() -> Path:
    override = os.environ.get("TIMELINE_EXPLORER_KEYMAP")
    if override:
        return Path(override)
    from ..model.places import config_dir

    return config_dir() / "keymap.toml"


def load_keymap(known_ids: Callable[[], Collection[str]],
                path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The keymap in ``path`` (default: ``keymap_path()``) and warnings about it.

    ``known_ids()`` gives the binding ids a keymap may name; it is called only
    when there is a keymap to check, since collecting every screen's bindings
    imports them all, which a start without a keymap need not pay for.
    """
    path = path or keymap_path()
    from ..model.files import SMALL_FILE_LIMIT, open_regular

    try:
        handle = open_regular(path, limit=SMALL_FILE_LIMIT, what="a keymap")
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [f"{path}: ignored, cannot be read: {exc.strerror or exc}"]
    import tomllib  # only when there is a keymap to read

    try:
        with handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return {}, [f"{path}: ignored, cannot be read: {exc}"]
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        return {}, [f"{path}: ignored: [keys] must be a table of binding id = \"key,key\""]
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    ids = known_ids() if keys else ()
    for binding_id, value in keys.items():
        if binding_id not in ids:
            warnings.append(f"{path}: unknown binding id {binding_id!r} (the help screen, ?, lists them)")
            continue
        if not isinstance(value, str) or not value.strip():
            warnings.append(f"{path}: {binding_id}: expected keys as a string such as \"j,down\"")
            continue
        keymap[binding_id] = ",".join(k.strip() for k in value.split(",") if k.strip())
    return keymap, warnings
