"""The baseline: a bare Textual app that shows one line of text.

It records its first paint the same way Timeline Explorer does (the
TIMELINE_EXPLORER_FIRST_PAINT file), so both are measured alike.
"""

import os
import time

from textual.app import App, ComposeResult
from textual.widgets import Static


def _record(path: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{time.time_ns()}\n")


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Static("Hello from a bare Textual app")

    def on_mount(self) -> None:
        marker = os.environ.get("TIMELINE_EXPLORER_FIRST_PAINT")
        if marker:
            self.call_after_refresh(_record, marker)


if __name__ == "__main__":
    Bare().run()
