"""Benchmark instrumentation, off unless the benchmarks ask for it by environment variable.

``TIMELINE_EXPLORER_FIRST_PAINT`` names a file that gets the wall-clock time (ns) at which the
explorer's first screen of events reached the terminal; ``TIMELINE_EXPLORER_TRACE`` names a file
that gets a line ``NAME MILLISECONDS`` per traced key (page, toggle, search): from the key to the
moment its result was written to the terminal (the next refresh).  ``benchmarks/`` reads both."""

from __future__ import annotations

import os
import time

from textual.dom import DOMNode

__all__ = ["FIRST_PAINT_ENV", "TRACE_ENV", "first_paint", "trace_begin", "trace_end"]

FIRST_PAINT_ENV = "TIMELINE_EXPLORER_FIRST_PAINT"
TRACE_ENV = "TIMELINE_EXPLORER_TRACE"

_open: dict[str, int] = {}  # traced actions begun and not ended yet: name -> perf_counter_ns


def _append(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)


def first_paint(node: DOMNode) -> None:
    """Record the moment the next refresh of ``node`` is on screen (when the benchmarks ask)."""
    path = os.environ.get(FIRST_PAINT_ENV)
    if path:
        node.call_after_refresh(lambda: _append(path, f"{time.time_ns()}\n"))


def trace_begin(name: str) -> None:
    """A traced action starts (when the benchmarks ask)."""
    if os.environ.get(TRACE_ENV):
        _open[name] = time.perf_counter_ns()


def trace_end(node: DOMNode, name: str) -> None:
    """The action's result is on screen once ``node``'s next refresh is written."""
    path = os.environ.get(TRACE_ENV)
    start = _open.pop(name, None)
    if path and start is not None:
        node.call_after_refresh(lambda: _append(path, f"{name} {(time.perf_counter_ns() - start) / 1e6:.3f}\n"))
