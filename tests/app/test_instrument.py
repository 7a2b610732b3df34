"""The benchmarks' instrumentation: silent unless asked, and when asked, one line per traced key
and the moment of the first screen (benchmarks/ reads these files)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from app_support import wait_for

from tui.app.app import TimelineApp
from tui.app.instrument import FIRST_PAINT_ENV, TRACE_ENV
from tui.model import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


async def test_keys_and_the_first_screen_are_recorded_when_the_benchmarks_ask(tmp_path, monkeypatch):
    trace, marker = tmp_path / "trace", tmp_path / "first-paint"
    monkeypatch.setenv(TRACE_ENV, str(trace))
    monkeypatch.setenv(FIRST_PAINT_ENV, str(marker))
    before = time.time_ns()
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, marker.exists)
        await pilot.press("pagedown")
        await pilot.press("a", *"qatar", "down", "space")  # an actor toggled
        await wait_for(pilot, lambda: trace.exists() and len(trace.read_text().splitlines()) >= 2)
    painted = int(marker.read_text().split()[0])
    assert before < painted < time.time_ns()
    lines = trace.read_text().splitlines()
    assert [line.split()[0] for line in lines][:2] == ["page", "toggle"]
    assert all(re.fullmatch(r"[a-z]+ \d+\.\d{3}", line) for line in lines)


async def test_nothing_is_written_when_they_do_not(tmp_path, monkeypatch):
    monkeypatch.delenv(TRACE_ENV, raising=False)
    monkeypatch.delenv(FIRST_PAINT_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    app = TimelineApp(load_corpus(SEEDS))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("pagedown")
        await pilot.pause(0.2)
    assert list(tmp_path.iterdir()) == []
