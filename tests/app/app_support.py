"""Helpers shared by the app's Pilot tests (imported by name, like tests/model_support.py)."""

from __future__ import annotations


async def wait_for(pilot, condition, seconds: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds (background threads and processes are real)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")
