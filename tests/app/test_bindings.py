"""No key is bound twice on one screen or widget: the second binding would never run."""

from __future__ import annotations

from collections import Counter

from textual.dom import DOMNode

from tui.app.app import _all_bindings


def _classes_with_bindings():
    seen, stack = [], [DOMNode]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("tui.") and "BINDINGS" in sub.__dict__:
                seen.append(sub)
    return seen


def test_no_key_is_bound_twice_in_one_place():
    _all_bindings()  # imports every screen and widget that has bindings
    classes = _classes_with_bindings()
    assert len(classes) > 10
    for cls in classes:
        keys = Counter(key.strip() for b in cls.__dict__["BINDINGS"] for key in b.key.split(","))
        twice = [k for k, n in keys.items() if n > 1]
        assert not twice, f"{cls.__qualname__} binds {twice} more than once"
