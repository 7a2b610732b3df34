"""The engine's benchmarks: event tables and large corpora until the explorer answers keys,
beside VisiData and a bare Textual app measured in the same run, interleaved.

    python benchmarks/engine.py                          # everything below (generates what is missing)
    python benchmarks/engine.py --only csv-1m,parquet-1m --runs 5
    python benchmarks/engine.py --only spark-1m          # needs Java 17 and the spark extra
    python benchmarks/engine.py --only parquet-100m --runs 1

What is timed is what a user waits for: from the process's start (a shell stamp
right before exec) until the explorer has painted its first screen of events
with the timeline focused, so that the next key is answered (the app writes
that moment to TIMELINE_EXPLORER_FIRST_PAINT). The peers are timed from their
own start until their first screen reaches the terminal (read from the output as
tmux receives it), VisiData until the first rows of the table show, the bare
Textual app until its one line shows. Keys (actor toggle on a new actor and off, page down, search) are
timed inside the app, from the key to the moment its result was written to the
terminal (TIMELINE_EXPLORER_TRACE). The machine is shared and noisy: medians.

Sets:
  csv-1m       1,000,000 ACLED-like rows, CSV: first open (each run with an empty cache), reopen; VisiData
  parquet-1m   the same rows as Parquet: first open, reopen; VisiData on the CSV
  parquet-10m  10,000,000 rows: first open (once), reopen, keys, peak RSS
  parquet-100m 100,000,000 rows: first open (once), reopen, keys, peak RSS (generates 2.8 GB)
  corpus-1m    a 1,000,000-event corpus.json: first open, reopen; the bare Textual app
  spark-1m     the 1M Parquet on a local Spark Connect server: open, page down, actor toggle
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from run import APP, BARE, PYTHON, build_cache, first_paint, screen_time, summary, traced  # noqa: E402
from terminal import Terminal, environment, peak_rss_mb, wait_for_file  # noqa: E402

DATA = HERE / "data"
ALL = ("csv-1m", "parquet-1m", "parquet-10m", "corpus-1m", "spark-1m")


def table(rows: int, fmt: str) -> Path:
    """The generated ACLED-like table of ``rows`` rows (made by tables.py when missing)."""
    name = {1_000_000: "acled-1m", 10_000_000: "acled-10m", 100_000_000: "acled-100m"}[rows]
    path = DATA / f"{name}.{fmt}"
    if not path.exists():
        print(f"  generating {path.name} …", flush=True)
        argv = [PYTHON, str(HERE / "tables.py"), str(rows), str(DATA / name)]
        if fmt == "parquet":
            argv.append("--parquet-only")
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return path


def corpus_1m() -> Path:
    folder = DATA / "1m"
    if not (folder / "corpus.json").exists():
        print("  generating the 1M-event corpus …", flush=True)
        subprocess.run([PYTHON, str(HERE / "generate.py"), "1000000", str(folder)], check=True, stdout=subprocess.DEVNULL)
    return folder


def table_facts(path: Path) -> dict:
    """The busiest actor, a word of the notes, and the first row VisiData shows."""
    import duckdb

    reader = f"read_parquet('{path}')" if path.suffix == ".parquet" else f"read_csv('{path}')"
    con = duckdb.connect()
    (actor, _), = con.sql(f"SELECT actor1, count(*) c FROM {reader} GROUP BY 1 ORDER BY 2 DESC LIMIT 1").fetchall()
    (notes,), = con.sql(f"SELECT notes FROM {reader} LIMIT 1").fetchall()
    word = next(w for w in notes.replace(",", " ").replace(";", " ").split() if w.startswith("word"))
    (first_id,), = con.sql(f"SELECT event_id_cnty FROM {reader} LIMIT 1").fetchall()
    return {"rows": con.sql(f"SELECT count(*) FROM {reader}").fetchall()[0][0], "top_actor": actor,
            "search_word": word, "first_id": first_id}


def opened(argv: list[str], rows: int, cache: str, extra: dict[str, str] | None = None,
           timeout: float = 1800) -> tuple[float, float | None]:
    """ms until the explorer answers keys, and its peak RSS (MB) then."""
    _seen, painted, rss, _ = first_paint(argv, f"of {rows:,} events",
                                         {"TIMELINE_EXPLORER_CACHE": cache, **(extra or {})}, timeout=timeout)
    return painted, rss


def compile_table(source: Path, cache: Path) -> None:
    """Compile a table into ``cache`` as the app does after its first screen (the benchmark closes the
    app at its first screen, before that ends): ``check`` compiles it to the end."""
    subprocess.run([*APP, "check", str(source)], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "TIMELINE_EXPLORER_CACHE": str(cache)})


def visidata(csv_file: Path, first_id: str) -> float:
    vd = shutil.which("vd") or str(Path(PYTHON).parent / "vd")
    if not Path(vd).exists():
        raise SystemExit("VisiData is the peer: pip install visidata")
    return screen_time([vd, str(csv_file)], first_id, {})


def bare() -> float:
    return first_paint(BARE, "Hello from a bare Textual app")[1]


def bench_opens(label: str, source: Path, rows: int, runs: int, peer, settle=None) -> dict:
    """First open (an empty cache each run) and reopen (from a cache made once), the peer interleaved.

    ``settle(cache)`` finishes what the first open leaves to the background (a large corpus's compiled
    file is written after the first screen; the benchmark closes the app sooner than a user would)."""
    firsts, reopens, peers, rss = [], [], [], []
    with tempfile.TemporaryDirectory() as kept:
        opened(APP + [str(source)], rows, kept)
        if settle is not None:
            settle(Path(kept))
        for _ in range(runs):
            peers.append(peer())
            with tempfile.TemporaryDirectory() as empty:
                ms, peak = opened(APP + [str(source)], rows, empty)
            firsts.append(ms)
            rss.append(peak or 0)
            reopens.append(opened(APP + [str(source)], rows, kept)[0])
    result = {"first_open_ms": summary(firsts), "reopen_ms": summary(reopens), "peer_ms": summary(peers),
              "peak_rss_first_open_mb": max(rss)}
    result["first_open_ratio"] = result["first_open_ms"]["median"] / result["peer_ms"]["median"]
    result["reopen_ratio"] = result["reopen_ms"]["median"] / result["peer_ms"]["median"]
    print(f"  {label}: first open {result['first_open_ms']['median']:.0f} ms, reopen "
          f"{result['reopen_ms']['median']:.0f} ms, peer {result['peer_ms']['median']:.0f} ms", flush=True)
    return result


def keys(source: Path, facts: dict, runs: int, cache: str, extra_args: list[str] | None = None,
         extra_env: dict[str, str] | None = None) -> dict:
    """Actor toggle, page down and search, timed inside the app; peak RSS after them."""
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace"
        marker = Path(tmp) / "paint"
        env = {"TIMELINE_EXPLORER_TRACE": str(trace), "TIMELINE_EXPLORER_FIRST_PAINT": str(marker),
               "TIMELINE_EXPLORER_KEYMAP": "/nonexistent", "TERM": "xterm-256color",
               "TIMELINE_EXPLORER_CACHE": cache, **(extra_env or {})}
        term = Terminal(160, 50)
        try:
            term.start(APP + [str(source), *(extra_args or [])], env)
            wait_for_file(marker, 1800)
            time.sleep(1.0)
            toggles, toggles_off, pages, searches = [], [], [], []
            term.keys("a")
            term.type(facts["top_actor"])
            term.wait_for(f"[ ] {facts['top_actor']} ", timeout=120)
            time.sleep(0.5)
            term.keys("Down")
            # Each run a new actor (the list narrowed to the busiest one's name shows several): on is a
            # question the store has not been asked; off goes back to every event, which it has.
            for i in range(runs):
                term.keys("Space", pause=0.3)
                toggles.append(traced(term, trace, "toggle", 2 * i))
                term.keys("Space", pause=0.3)
                toggles_off.append(traced(term, trace, "toggle", 2 * i + 1))
                term.keys("Down", pause=0.2)
            term.keys("Escape")
            term.keys("g")
            for i in range(runs):
                term.keys("PageDown", pause=0.3)
                pages.append(traced(term, trace, "page", i))
            for i in range(runs):
                term.keys("/")
                term.type(facts["search_word"][: len(facts["search_word"]) - i % 2])
                term.keys("Enter")
                searches.append(traced(term, trace, "search", i))
                term.keys("Escape")
            rss = peak_rss_mb(term.pid())
        finally:
            term.close()
    return {"toggle_actor_ms": summary(toggles), "toggle_off_ms": summary(toggles_off),
            "page_down_ms": summary(pages), "search_ms": summary(searches),
            "peak_rss_mb": rss}


def bench_big(label: str, rows: int, runs: int) -> dict:
    """One first open (the build is long), then reopens and keys from its cache."""
    source = table(rows, "parquet")
    facts = table_facts(source)
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        first, first_rss = opened(APP + [str(source)], rows, cache, timeout=7200)
        print(f"  {label}: first open {first / 1000:.1f} s", flush=True)
        compiling = time.perf_counter()
        compile_table(source, Path(cache))
        compiled_s = time.perf_counter() - compiling
        reopens, rss = [], []
        for _ in range(runs):
            ms, peak = opened(APP + [str(source)], rows, cache)
            reopens.append(ms)
            rss.append(peak or 0)
        result = {"rows": rows, "first_open_ms": first, "peak_rss_first_open_mb": first_rss, "compile_s": compiled_s,
                  "reopen_ms": summary(reopens), "peak_rss_reopen_mb": max(rss),
                  **keys(source, facts, runs, cache), "wall_s": time.perf_counter() - started,
                  "cache_mb": sum(p.stat().st_size for p in Path(cache).rglob("*") if p.is_file()) / 1e6}
    print(f"  {label}: reopen {result['reopen_ms']['median']:.0f} ms, search {result['search_ms']['median']:.0f} ms, "
          f"page {result['page_down_ms']['median']:.0f} ms, toggle on {result['toggle_actor_ms']['median']:.0f} ms, "
          f"off {result['toggle_off_ms']['median']:.0f} ms, RSS {result['peak_rss_mb']:.0f} MB", flush=True)
    return result


def bench_spark(runs: int) -> dict:
    """The 1M Parquet on a Spark Connect server started here (tests/spark_server.py)."""
    from spark_server import SparkConnectServer  # the test suite's own launcher

    source = table(1_000_000, "parquet")
    facts = table_facts(source)
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        server = SparkConnectServer(Path(folder))
        server.start()
        try:
            argv = APP + [str(source), "--engine", server.url]
            opens = [opened(argv, 1_000_000, cache, timeout=900)[0] for _ in range(runs)]
            result = {"open_ms": summary(opens), **keys(source, facts, runs, cache, ["--engine", server.url])}
        finally:
            server.stop()
    print(f"  spark-1m: open {result['open_ms']['median']:.0f} ms, page {result['page_down_ms']['median']:.0f} ms",
          flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default=",".join(ALL), help="comma-separated sets (see above)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "tui"), str(HERE)], check=True)
    results: dict = {"machine": environment(), "date": time.strftime("%Y-%m-%d %H:%M"), "runs": args.runs}
    wanted = args.only.split(",")
    csv_1m = table(1_000_000, "csv") if {"csv-1m", "parquet-1m"} & set(wanted) else None
    if csv_1m is not None:
        first_id = table_facts(csv_1m)["first_id"]
    for name in wanted:
        print(f"{name} …", flush=True)
        if name == "csv-1m":
            results[name] = bench_opens(name, csv_1m, 1_000_000, args.runs, lambda: visidata(csv_1m, first_id),
                                        settle=lambda cache: compile_table(csv_1m, cache))
        elif name == "parquet-1m":
            parquet = table(1_000_000, "parquet")
            results[name] = bench_opens(name, parquet, 1_000_000, args.runs, lambda: visidata(csv_1m, first_id),
                                        settle=lambda cache: compile_table(parquet, cache))
        elif name == "corpus-1m":
            folder = corpus_1m()
            results[name] = bench_opens(name, folder, 1_000_000, args.runs, bare,
                                        settle=lambda cache, folder=folder: build_cache(folder, cache))
        elif name == "parquet-10m":
            results[name] = bench_big(name, 10_000_000, args.runs)
        elif name == "parquet-100m":
            results[name] = bench_big(name, 100_000_000, args.runs)
        elif name == "spark-1m":
            results[name] = bench_spark(args.runs)
        else:
            parser.error(f"no set {name!r}")
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
