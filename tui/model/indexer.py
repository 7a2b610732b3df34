"""The background indexer: verify a corpus and write its compiled cache, in its own process.

    python -m tui.model.indexer path/to/corpus.json

The app starts it for a large corpus right after the first screen, so that
checking every quote, building the search text and writing the cache use the
other core instead of competing with the interface (one Python process has
one interpreter lock).  It reports on its standard output, one line each:

    progress PHASE FRACTION
    done CACHE_PATH
    failed MESSAGE

and exits 0 when the cache is written.  It never writes anything but the
cache file (atomically).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from pathlib import Path

from .cache import source_meta, write_cache
from .errors import CorpusError
from .loader import load_corpus


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run(corpus_file: Path) -> int:
    # Everything made here lives until the process ends, and nothing is left in
    # cycles to collect: the collector would only walk a million events again
    # and again as they are made.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        meta = source_meta(corpus_file)  # before loading: the cache describes what was read
        _say("progress loading 0")
        corpus = load_corpus(corpus_file, allow_unanchored=True, verify=False)
        corpus.verify(progress=lambda done, total: _say(f"progress checking {done / max(1, total):.3f}"))
        _say("progress indexing 0")
        corpus.search_index()
        path = write_cache(corpus, meta, progress=lambda phase, fraction: _say(f"progress caching {fraction:.3f}"))
    except CorpusError as exc:
        _say("failed " + " ".join(str(exc).split()))
        return 1
    except OSError as exc:
        _say(f"failed cannot write the cache: {exc}")
        return 2
    finally:
        if was_enabled:  # as it was: run() is also called in-process
            gc.enable()
    _say(f"done {path}")
    return 0


def _watch_parent() -> None:
    """Exit as soon as the process that started us is gone: nobody wants the result
    (the app quit, or was killed), and a large corpus would keep a core busy for nothing."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    _watch_parent()
    if len(args) != 1:
        sys.stderr.write("usage: python -m tui.model.indexer CORPUS_JSON\n")
        return 2
    return run(Path(args[0]))


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    # Leave without freeing a million events one by one (seconds, for nothing:
    # the process ends); the cache file was closed and renamed into place already.
    os._exit(status)
