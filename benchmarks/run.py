"""Run the benchmark suite and print a table (median, min, max of several runs).

    python benchmarks/run.py                      # seeds, 10k, 100k, 1M (generates what is missing)
    python benchmarks/run.py --sizes 100k --runs 5
    python benchmarks/run.py --json benchmarks/results/latest.json

Everything runs in a real terminal (tmux): the program is started the way a
user starts it, and the app records two kinds of timestamps when asked to by
environment variables: its first painted screen (TIMELINE_EXPLORER_FIRST_PAINT)
and, for traced actions, the time from the action's start to the moment its
result has been written to the terminal (TIMELINE_EXPLORER_TRACE).  Startup is
measured from process start (a shell stamp right before exec) to first paint,
beside a bare Textual app that shows one line, in the same run, interleaved.

This machine is shared and noisy: quote medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from terminal import Terminal, environment, peak_rss_mb, wait_for_file  # noqa: E402

PYTHON = sys.executable
APP = [PYTHON, "-m", "tui"]
BARE = [PYTHON, str(HERE / "bare_app.py")]
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
# The start-up figure is a ratio of two medians of ~0.2 s, on a shared machine whose runs
# spread over ±30 ms: five runs of each move it by ±0.05. A pair of runs takes a second.
STARTUP_RUNS = 15


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def first_paint(argv: list[str], expect: str, extra_env: dict[str, str] | None = None,
                timeout: float = 300.0, early: str | None = None) -> tuple[float, float, float | None, float | None]:
    """From process start: ms until the terminal got the first screen showing ``expect``, ms until
    the program said it was painted (TIMELINE_EXPLORER_FIRST_PAINT), the peak RSS (MB) then, and
    ms until ``early`` first reached the terminal (None without it).

    The first figure is read from the program's output as tmux receives it, the
    same way for every program. The second comes from inside the program, from a
    callback Textual runs once a refresh is done: it includes the refreshes that
    Textual makes after the first frame (scroll bars appearing, the terminal
    reporting its size again), which change little or nothing on screen.
    """
    with tempfile.TemporaryDirectory() as tmp:
        t0_file = Path(tmp) / "t0"
        marker = Path(tmp) / "paint"
        shown = Path(tmp) / "shown"
        first = Path(tmp) / "early"
        env = {"TIMELINE_EXPLORER_FIRST_PAINT": str(marker), "TIMELINE_EXPLORER_KEYMAP": "/nonexistent",
               "TERM": "xterm-256color", **(extra_env or {})}
        term = Terminal(120, 40)
        try:
            term.start(argv, env, t0_file, watch=[(expect, shown)] + ([(early, first)] if early else []))
            painted = int(wait_for_file(marker, timeout)[0])
            seen = int(wait_for_file(shown, 30)[0])
            started = int(wait_for_file(t0_file, 5)[0])
            early_ms = (int(wait_for_file(first, 30)[0]) - started) / 1e6 if early else None
            term.wait_for(expect, timeout=30)
            rss = peak_rss_mb(term.pid())
        finally:
            term.close()
    return (seen - started) / 1e6, (painted - started) / 1e6, rss, early_ms


def bench_startup(runs: int) -> dict:
    bare, seeds, bare_settled, seeds_settled = [], [], [], []
    for _ in range(runs):  # interleaved, so that both see the same machine
        seen, settled, _rss, _ = first_paint(BARE, "Hello from a bare Textual app")
        bare.append(seen)
        bare_settled.append(settled)
        seen, settled, _rss, _ = first_paint(APP + [str(ROOT / "seeds")], "22 of 22 events")
        seeds.append(seen)
        seeds_settled.append(settled)
    result = {"bare_textual_first_paint_ms": summary(bare), "seeds_first_paint_ms": summary(seeds),
              "bare_textual_settled_ms": summary(bare_settled), "seeds_settled_ms": summary(seeds_settled)}
    result["ratio_of_medians"] = result["seeds_first_paint_ms"]["median"] / result["bare_textual_first_paint_ms"]["median"]
    # Each pair ran back to back, on the same machine load: the median of their ratios.
    result["median_of_pair_ratios"] = statistics.median(s / b for s, b in zip(seeds, bare))
    result["settled_ratio_of_medians"] = result["seeds_settled_ms"]["median"] / result["bare_textual_settled_ms"]["median"]
    return result


def ensure_corpus(label: str) -> Path:
    n = SIZES[label]
    folder = HERE / "data" / label
    if not (folder / "corpus.json").exists() or not (folder / "stats.json").exists():
        print(f"  generating {label} ({n:,} events) …", flush=True)
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), str(folder)], check=True, stdout=subprocess.DEVNULL)
    return folder


def traced(term: Terminal, trace: Path, name: str, before: int) -> float:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if trace.exists():
            lines = [line.split() for line in trace.read_text(encoding="utf-8").splitlines()]
            mine = [float(ms) for n, ms in lines if n == name]
            if len(mine) > before:
                return mine[before]
        time.sleep(0.005)
    # What the terminal shows says why (a key lost, a dialog in the way).
    raise TimeoutError(f"no {name} trace; the screen:\n{term.screen()}")


BUSY = ("indexing", "checking quotes", "writing the index")


def wait_until_idle(term: Terminal, timeout: float = 900) -> None:
    """Until the header no longer shows background work (checking, indexing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        header = term.screen().split("\n", 1)[0]
        if not any(word in header for word in BUSY):
            return
        time.sleep(0.2)
    raise TimeoutError("the background work did not finish")


def bench_interaction(folder: Path, runs: int, cache: Path) -> dict:
    """Toggle the busiest actor, page down, search: each traced inside the app."""
    stats = json.loads((folder / "stats.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace"
        marker = Path(tmp) / "paint"
        env = {"TIMELINE_EXPLORER_TRACE": str(trace), "TIMELINE_EXPLORER_FIRST_PAINT": str(marker),
               "TIMELINE_EXPLORER_KEYMAP": "/nonexistent", "TERM": "xterm-256color",
               "TIMELINE_EXPLORER_CACHE": str(cache)}
        term = Terminal(160, 50)
        try:
            term.start(APP + [str(folder)], env)
            wait_for_file(marker, 900)
            wait_until_idle(term)  # measure in the steady state
            toggles, pages, searches = [], [], []
            term.keys("a")
            term.type(stats["top_actor"])
            # The list narrowed to the actor (its checkbox shown) before the cursor goes down to it.
            term.wait_for(f"[ ] {stats['top_actor'][:12]}", timeout=60)
            time.sleep(0.3)
            term.keys("Down")
            for i in range(runs * 2):  # on, off, on, off …
                term.keys("Space")
                toggles.append(traced(term, trace, "toggle", i))
            term.keys("Escape")
            term.keys("g")
            for i in range(runs):
                term.keys("PageDown", pause=0.15)
                pages.append(traced(term, trace, "page", i))
            for i in range(runs):
                term.keys("/")
                term.type(stats["search_word"][: 4 + i % 3])
                term.keys("Enter")
                searches.append(traced(term, trace, "search", i))
                term.keys("Escape")
            rss = peak_rss_mb(term.pid())
        finally:
            term.close()
    return {"toggle_actor_ms": summary(toggles), "page_down_ms": summary(pages), "search_ms": summary(searches),
            "peak_rss_mb": rss, "top_actor": stats["top_actor"], "search_word": stats["search_word"]}


_BUILD = """
import sys, time
from pathlib import Path
from tui.model.engine.largefile import build, cache_folder
import shutil
folder = Path(sys.argv[1])
shutil.rmtree(cache_folder(folder / "corpus.json"), ignore_errors=True)  # made anew, whatever was there
build(folder, folder / "corpus.json")
meta = cache_folder(folder / "corpus.json") / "meta.json"
while not meta.exists():  # the compiled file is written in the background, its metadata last
    time.sleep(0.05)
"""


def build_cache(folder: Path, cache: Path) -> float:
    """Compile the corpus the way the app does on its first open, until its cache is written; seconds."""
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", _BUILD, str(folder)], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "TIMELINE_EXPLORER_CACHE": str(cache)})
    return time.perf_counter() - started


def bench_size(label: str, runs: int, peer: bool, first_open_only: bool = False) -> dict:
    folder = ensure_corpus(label)
    n = SIZES[label]
    expect = f"of {n:,} events"
    result: dict = {"events": n, "corpus_json_mb": (folder / "corpus.json").stat().st_size / 1e6}
    # First open: no compiled cache (each run gets an empty cache folder): until the first
    # events show (the loading screen shows them while the rest is indexed), and until the
    # explorer is on screen.
    title = first_event_title(folder)[:12]
    opens, firsts, rss = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as empty:
            ms, _settled, peak, first = first_paint(APP + [str(folder)], expect, {"TIMELINE_EXPLORER_CACHE": empty},
                                                    timeout=900, early=title)
        opens.append(ms)
        firsts.append(first)
        rss.append(peak or 0)
    result["first_open_first_events_ms"] = summary(firsts)
    result["first_open_ms"] = summary(opens)
    result["peak_rss_first_open_mb"] = max(rss)
    if first_open_only:
        return result
    with tempfile.TemporaryDirectory() as cache_dir:
        cache = Path(cache_dir)
        result["index_build_s"] = build_cache(folder, cache)
        reopens, rss = [], []
        for _ in range(runs):
            ms, _settled, peak, _ = first_paint(APP + [str(folder)], expect, {"TIMELINE_EXPLORER_CACHE": str(cache)})
            reopens.append(ms)
            rss.append(peak or 0)
        result["cached_reopen_ms"] = summary(reopens)
        result["peak_rss_cached_reopen_mb"] = max(rss)
        result.update(bench_interaction(folder, runs, cache))
        with tempfile.TemporaryDirectory() as tmp:
            csv_file = Path(tmp) / "events.csv"
            started = time.perf_counter()
            subprocess.run(APP + ["export", str(folder), "--format", "csv", "-o", str(csv_file)],
                           check=True, stderr=subprocess.DEVNULL, env={**os.environ, "TIMELINE_EXPLORER_CACHE": str(cache)})
            result["export_csv_s"] = time.perf_counter() - started
            if peer:
                result["peer"] = bench_peer(folder, csv_file, runs, cache)
    return result


def bench_dates(runs: int) -> dict:
    """Dates parsed a column at once and one at a time (``parse_dates.py``, its own process)."""
    argv = [PYTHON, str(HERE / "parse_dates.py"), "--runs", str(runs)]
    biggest = HERE / "data" / "1m"  # its dates too, when the suite has made it
    if (biggest / "corpus.json").exists():
        argv.append(str(biggest))
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def first_event_title(folder: Path) -> str:
    """The title of the first event of the timeline (loaded in a process of its own)."""
    code = ("import sys; from tui.model.loader import load_corpus; "
            "sys.stdout.write(load_corpus(sys.argv[1], allow_unanchored=True, verify=False).events[0].title)")
    return subprocess.run([PYTHON, "-c", code, str(folder)], capture_output=True, text=True, check=True,
                          encoding="utf-8").stdout


def first_title(csv_file: Path) -> str:
    import csv

    with open(csv_file, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return next(reader)["title"]


def screen_time(argv: list[str], expect: str, env: dict[str, str], timeout: float = 900) -> float:
    """ms from process start until ``expect`` reaches the terminal (read from the program's
    output as tmux receives it, both programs alike)."""
    with tempfile.TemporaryDirectory() as tmp:
        t0_file = Path(tmp) / "t0"
        shown = Path(tmp) / "shown"
        term = Terminal(160, 50)
        try:
            term.start(argv, {"TERM": "xterm-256color", "HOME": tmp, **env}, t0_file, watch=[(expect, shown)])
            seen = int(wait_for_file(shown, timeout)[0])
            started = int(wait_for_file(t0_file, 5)[0])
        finally:
            term.close()
    return (seen - started) / 1e6


def bench_peer(folder: Path, csv_file: Path, runs: int, cache: Path) -> dict:
    """VisiData opening the same events as CSV, until its first rows show, beside our first screen."""
    vd = shutil.which("vd") or str(Path(PYTHON).parent / "vd")
    if not Path(vd).exists():
        return {"skipped": "VisiData is not installed (pip install visidata)"}
    title = first_title(csv_file)[:12]
    ours_first, ours_cached, theirs = [], [], []
    for _ in range(runs):  # interleaved
        theirs.append(screen_time([vd, str(csv_file)], title, {}))
        with tempfile.TemporaryDirectory() as empty:
            ours_first.append(screen_time(APP + [str(folder)], title,
                                          {"TIMELINE_EXPLORER_CACHE": empty, "TIMELINE_EXPLORER_KEYMAP": "/nonexistent"}))
        ours_cached.append(screen_time(APP + [str(folder)], title,
                                       {"TIMELINE_EXPLORER_CACHE": str(cache), "TIMELINE_EXPLORER_KEYMAP": "/nonexistent"}))
    result = {"visidata_first_rows_ms": summary(theirs), "ours_first_open_rows_ms": summary(ours_first),
              "ours_cached_reopen_rows_ms": summary(ours_cached), "visidata": _vd_version(vd)}
    result["first_open_ratio"] = result["ours_first_open_rows_ms"]["median"] / result["visidata_first_rows_ms"]["median"]
    result["cached_ratio"] = result["ours_cached_reopen_rows_ms"]["median"] / result["visidata_first_rows_ms"]["median"]
    return result


def _vd_version(vd: str) -> str:
    out = subprocess.run([vd, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return out.splitlines()[0] if out else "unknown"


def print_table(results: dict) -> None:
    rows = []
    start = results.get("startup")
    if start:
        for key, label in (("bare_textual_first_paint_ms", "bare Textual app: first screen"),
                           ("seeds_first_paint_ms", "seed corpus: first screen")):
            s = start[key]
            rows.append((label, s["median"], s["min"], s["max"], "ms"))
        rows.append(("seed / bare (ratio of medians)", start["ratio_of_medians"], None, None, "x"))
        rows.append(("seed / bare (median of the pairs' ratios)", start["median_of_pair_ratios"], None, None, "x"))
        for key, label in (("bare_textual_settled_ms", "bare Textual app: painted, said from inside"),
                           ("seeds_settled_ms", "seed corpus: painted, said from inside")):
            s = start[key]
            rows.append((label, s["median"], s["min"], s["max"], "ms"))
        rows.append(("seed / bare, said from inside", start["settled_ratio_of_medians"], None, None, "x"))
    for name, d in results.get("dates", {}).items():
        what = (f"the 1M corpus's {d['distinct']:,} distinct dates" if name == "corpus"
                else f"{d['distinct']:,} distinct {name}")
        rows.append((f"dates: {what}, a column at once", d["column_m_per_s"], None, None, "M/s"))
        rows.append(("dates: the same, one at a time (parse_edtf)", d["one_at_a_time_m_per_s"], None, None, "M/s"))
    for label, r in results.get("sizes", {}).items():
        for key, name in (("first_open_first_events_ms", "first open: first events on screen"),
                          ("first_open_ms", "first open: explorer on screen"), ("cached_reopen_ms", "cached reopen: first paint"),
                          ("toggle_actor_ms", "actor toggle"), ("page_down_ms", "page down"), ("search_ms", "search")):
            s = r.get(key)
            if s is not None:
                rows.append((f"{label}: {name}", s["median"], s["min"], s["max"], "ms"))
        rows.append((f"{label}: peak RSS, first open (explorer on screen)", r["peak_rss_first_open_mb"], None, None, "MB"))
        if "peak_rss_mb" not in r:  # --first-open-only
            continue
        rows.append((f"{label}: peak RSS, cached, after the interactions", r["peak_rss_mb"], None, None, "MB"))
        rows.append((f"{label}: background index build", r["index_build_s"], None, None, "s"))
        rows.append((f"{label}: export CSV", r["export_csv_s"], None, None, "s"))
        peer = r.get("peer")
        if peer and "skipped" not in peer:
            for key, name in (("visidata_first_rows_ms", "VisiData, CSV: first rows on screen"),
                              ("ours_first_open_rows_ms", "ours, first open: first rows on screen"),
                              ("ours_cached_reopen_rows_ms", "ours, cached: first rows on screen")):
                s = peer[key]
                rows.append((f"{label}: {name}", s["median"], s["min"], s["max"], "ms"))
            rows.append((f"{label}: ours first open / VisiData", peer["first_open_ratio"], None, None, "x"))
            rows.append((f"{label}: ours cached / VisiData", peer["cached_ratio"], None, None, "x"))
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'measure':<{width}}{'median':>10}{'min':>10}{'max':>10}")
    for name, med, lo, hi, unit in rows:
        fmt = (lambda v: f"{v:>10.2f}") if unit in ("x", "s", "M/s") else (lambda v: f"{v:>10.1f}")
        print(f"{name:<{width}}{fmt(med)}{fmt(lo) if lo is not None else ' ' * 10}"
              f"{fmt(hi) if hi is not None else ' ' * 10}  {unit}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--startup-runs", type=int, default=STARTUP_RUNS,
                        help=f"runs of the start-up pair, at least --runs (default {STARTUP_RUNS})")
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m (or 'none')")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-dates", action="store_true", help="do not time the date parser")
    parser.add_argument("--peer", default="1m",
                        help="sizes at which to compare with VisiData (comma-separated, or 'none')")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--first-open-only", action="store_true",
                        help="at each size, time the first open only (no cache, keys, export or peer)")
    args = parser.parse_args(argv)
    if not shutil.which("tmux"):
        print("the benchmarks need tmux", file=sys.stderr)
        return 2
    # An installed package has its bytecode compiled; a source checkout may not
    # (this environment even sets PYTHONDONTWRITEBYTECODE): compile it, so that
    # both apps start from bytecode, as installed programs do.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "tui"), str(HERE)], check=True)
    results: dict = {"machine": environment(), "date": time.strftime("%Y-%m-%d %H:%M"), "runs": args.runs}
    if not args.skip_startup:
        print("startup: seed corpus vs a bare Textual app …", flush=True)
        results["startup"] = bench_startup(max(args.runs, args.startup_runs))
    if not args.skip_dates:
        print("dates: parsing …", flush=True)
        results["dates"] = bench_dates(args.runs)
    results["sizes"] = {}
    for label in [s for s in args.sizes.split(",") if s and s != "none"]:
        print(f"{label} events …", flush=True)
        results["sizes"][label] = bench_size(label, args.runs, label in args.peer.split(","), args.first_open_only)
    print()
    print_table(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
