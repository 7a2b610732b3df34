"""Work the app does away from the interface: loading, indexing, checking the cache.

* ``LoadingScreen`` shows a progress bar while a large corpus loads in a
  daemon thread (so ``q`` quits at once, even mid-load), and the first events
  of the timeline as soon as the loader knows them;
* ``Indexer`` runs ``python -m tui.model.indexer`` in its own process, which
  checks every quote, builds the search text and writes the compiled cache,
  on the other core, and reports its progress line by line;
* ``check_cache_content`` compares a cached corpus's file with the hash the
  cache recorded, in a thread.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from ..model.corpus import Corpus
from ..model.errors import CorpusError
from ..model.loader import EAGER_VERIFY_EVENTS, ReadAhead, load_corpus
from .text import safe_line
from .widgets.timeline import TimelineView

_PHASES = {
    "reading": "Reading the corpus file",
    "decoding": "Decoding the events",
    "indexing": "Ordering and indexing the events",
    "checking": "Checking every quote against its document",
}


class LoadingScreen(Screen[None]):
    """What a large corpus shows while it loads: what is happening, and how far along."""

    BINDINGS = [Binding("q,ctrl+c,escape", "app.quit", "Quit", id="loading.quit")]

    def __init__(self, source: Path, title: str = "Opening") -> None:
        super().__init__()
        self.source = source
        self.title_text = title

    def compose(self) -> ComposeResult:
        from textual.widgets import ProgressBar  # only a large corpus shows this screen: imported then

        with Vertical(id="loading-box"):
            yield Static(Text(f"{self.title_text} {safe_line(str(self.source))}", style="bold"), id="loading-title")
            yield ProgressBar(total=100, show_eta=False, id="loading-bar")
            yield Static("Starting…", id="loading-phase")
            yield Static(Text("q quits", style="dim"), id="loading-hint")

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.query_one("#loading-bar").styles.animate = None  # type: ignore[attr-defined]

    def show_preview(self, corpus: Corpus, annotations: Callable[[str], tuple[bool, bool]] | None = None) -> None:
        """Show the top of the timeline (``corpus`` holds its first events) below the progress.

        The rows are the timeline's own, drawn by the same widget; they are not
        focusable, as nothing can be done with them until the corpus is loaded.
        """
        from ..model.view import TimelineRows, periods_by_year

        if self.query("#loading-preview"):
            return
        timeline = TimelineView(corpus, id="loading-preview")
        timeline.can_focus = False
        if annotations is not None:
            timeline.annotations = annotations
        periods = periods_by_year(corpus)
        timeline.period_labels = lambda row: periods.get(row.year, "") if row.kind == "year" else ""
        timeline.prepare(TimelineRows(corpus, range(len(corpus.events))), matches=frozenset(), pattern=None,
                         select_position=None, empty_message="")
        self.add_class("-preview")
        self.mount(Static(Text("The first events, in date order. The explorer opens when every event is indexed.",
                               style="dim"), id="loading-note"))
        self.mount(timeline)

    @on(TimelineView.Highlighted)
    @on(TimelineView.Opened)
    def _keep_to_the_preview(self, message: TimelineView.Highlighted | TimelineView.Opened) -> None:
        # A click in the first events moves their cursor, and nothing else: the
        # explorer, its viewer and the document view come with the loaded corpus.
        message.stop()

    def show_progress(self, phase: str, fraction: float | None) -> None:
        self.query_one("#loading-phase", Static).update(_PHASES.get(phase, phase) + "…")
        bar = self.query_one("#loading-bar")
        if fraction is None:
            bar.update(total=None)
        else:
            bar.update(total=100, progress=round(fraction * 100))


def load_in_thread(source: Path, on_progress: Callable[[str, float | None], None],
                   on_done: Callable[[Corpus], None], on_error: Callable[[CorpusError], None],
                   on_preview: Callable[[Corpus], None] | None = None,
                   read_ahead: ReadAhead | None = None) -> threading.Thread:
    """Load ``source`` in a daemon thread (it never keeps the process alive after quitting);
    ``on_preview`` gets the first events of the timeline, if the loader finds them early;
    ``read_ahead``, the file being read already."""

    def work() -> None:
        try:
            corpus = load_corpus(source, allow_unanchored=True, verify=False, progress=on_progress,
                                 preview=on_preview, read_ahead=read_ahead)
            if len(corpus.events) <= EAGER_VERIFY_EVENTS:
                on_progress("checking", None)
                corpus.verify()  # small enough to check every quote before it is shown
        except CorpusError as exc:
            on_error(exc)
            return
        on_done(corpus)

    thread = threading.Thread(target=work, name="corpus-loader", daemon=True)
    thread.start()
    return thread


class Indexer:
    """The background indexer process of one corpus."""

    def __init__(self, corpus_file: Path, on_progress: Callable[[str, float], None],
                 on_done: Callable[[Path], None], on_failed: Callable[[str], None]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.model.indexer", str(corpus_file)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", start_new_session=True,
        )
        self._thread = threading.Thread(target=self._read, args=(on_progress, on_done, on_failed),
                                        name="indexer-reader", daemon=True)
        self._thread.start()

    def _read(self, on_progress, on_done, on_failed) -> None:
        outcome: tuple[str, str] | None = None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            word, _, rest = line.strip().partition(" ")
            if word == "progress":
                phase, _, fraction = rest.partition(" ")
                try:
                    on_progress(phase, float(fraction))
                except ValueError:
                    pass
            elif word in ("done", "failed"):
                outcome = (word, rest)
        code = self.process.wait()
        if outcome and outcome[0] == "done" and code == 0:
            on_done(Path(outcome[1]))
        elif outcome is None and code < 0:
            return  # stopped by us
        else:
            on_failed(outcome[1] if outcome else f"the indexer stopped (exit status {code})")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()


def check_cache_content(corpus: Corpus, on_changed: Callable[[], None]) -> threading.Thread | None:
    """In a thread, hash the corpus file and check the cache's big sections; call ``on_changed``
    if the file differs from what the cache was made from or the cache is damaged."""
    cache = getattr(corpus, "_cache", None)
    if cache is None:
        return None
    expected = cache.header.get("source", {}).get("sha256")
    from ..model.cache import content_hash, documents_changed

    def work() -> None:
        if documents_changed(corpus) or not cache.intact():
            on_changed()
            return
        try:
            actual = content_hash(corpus.file)
        except OSError:
            return
        if expected and actual != expected:
            on_changed()

    thread = threading.Thread(target=work, name="cache-check", daemon=True)
    thread.start()
    return thread
