"""How fast, and in how much memory, a large ACLED-like CSV table imports.

    python benchmarks/import_csv.py --rows 1000000 --runs 3

Writes an ACLED-like table of N rows once (benchmarks/data/acled-N.csv: ACLED's
columns, dates in both of ACLED's forms, all three time precisions, a long tail of
actors, notes with commas, quotes and line breaks), then runs
``timeline-explorer import csv`` on it RUNS times in a fresh process each, and
prints the median, min and max of the wall time and of the peak RSS (the
child's ru_maxrss, measured by a parent of its own).  --json FILE writes them.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
          "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "location", "source", "notes",
          "fatalities"]
KINDS = [("Demonstrations", "Protests", "Peaceful protest"), ("Political violence", "Riots", "Violent demonstration"),
         ("Political violence", "Battles", "Armed clash"), ("Strategic developments", "Strategic developments",
                                                             "Agreement")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "tui", "import", "csv", sys.argv[1], "-o", sys.argv[2]],
                      capture_output=True, text=True)
print(done.returncode, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(done.stderr[-2000:])
"""


def write_table(rows: int, out: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    actors = [f"Protesters ({c})" for c in ("Xyland", "Zedonia", "Ambria")] + [f"Group {i}" for i in range(5000)]
    cumulative = list(itertools.accumulate(1 / (i + 1) for i in range(len(actors))))  # long-tailed, as real actors are
    tmp = out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            year, month, day = 1997 + i * 27 // rows, rng.randint(1, 12), rng.randint(1, 28)
            date = f"{year}-{month:02d}-{day:02d}" if i % 2 else f"{day} {MONTHS[month - 1]} {year}"
            disorder, kind, sub = KINDS[i % len(KINDS)]
            a1, a2 = rng.choices(actors, cum_weights=cumulative, k=2)
            notes = (f'On {day} {MONTHS[month - 1]} {year}, {a1.lower()} gathered in Town {i % 900}, "calling for '
                     f'change"; {rng.randint(0, 500)} people took part.')
            if i % 10 == 0:
                notes += "\n[size=no report]"
            writer.writerow([f"BEN{i}", date, year, 1 + i % 3, disorder, kind, sub, a1,
                             f"Union {i % 70}; Students ({i % 40})" if i % 3 == 0 else "", a2 if i % 2 else "", "",
                             "Xyland", f"Province {i % 30}", f"Town {i % 900}", f"Outlet {i % 400}", notes, i % 4])
    tmp.replace(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    table = HERE / "data" / f"acled-{args.rows}.csv"
    if not table.is_file():
        table.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_table(args.rows, table)
        print(f"wrote {table} ({table.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")
    seconds, peaks = [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(dir=table.parent) as tmp:
            done = subprocess.run([sys.executable, "-c", MEASURE, str(table), str(Path(tmp) / "corpus")],
                                  capture_output=True, text=True, cwd=HERE.parent, check=True)
            status, wall, peak = done.stdout.split("\n", 1)[0].split()
            if status != "0":
                sys.exit(f"the import failed:\n{done.stdout}")
            seconds.append(float(wall))
            peaks.append(int(peak) / 1024)  # KiB on Linux
            print(f"run {run + 1}: {float(wall):.1f} s, peak RSS {int(peak) / 1024:.0f} MB")
    result = {"rows": args.rows, "file_mb": table.stat().st_size / 1e6,
              "seconds": {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds)},
              "peak_rss_mb": {"median": statistics.median(peaks), "min": min(peaks), "max": max(peaks)}}
    print(f"{args.rows:,} rows ({result['file_mb']:.0f} MB): import {result['seconds']['median']:.1f} s "
          f"(min {min(seconds):.1f}, max {max(seconds):.1f}), peak RSS {result['peak_rss_mb']['median']:.0f} MB "
          f"(min {min(peaks):.0f}, max {max(peaks):.0f}); medians of {args.runs}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
