"""How fast dates parse: a column at once (``parse_dates``, the loader's way) and
one at a time (``parse_edtf``), on distinct dates, so that no memo helps.

Prints one JSON object: for each set of dates, how many, and the median rate
over the runs (millions a second).  The garbage collector is paused, as it is
while a corpus loads.  Run by ``run.py``; on its own:
``python benchmarks/parse_dates.py --runs 5 [CORPUS_FOLDER]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.model import dates  # noqa: E402


def distinct_sets() -> dict[str, list[str]]:
    """Every day of 1000-2999 (730,485 days) in a random order, every month and year of
    them, 200,000 of the days marked uncertain, and an interval from each month to one
    of the 30 after it. Each text is made in the order it is then parsed, as a decoder
    makes a file's dates: parsing texts scattered in memory would measure the memory."""
    first = date(1000, 1, 1)
    offsets = list(range((date(3000, 1, 1) - first).days))
    random.Random(7).shuffle(offsets)
    days = [(first + timedelta(days=k)).isoformat() for k in offsets]
    months = [f"{year:04d}-{month:02d}" for year in range(1000, 3000) for month in range(1, 13)]
    years = [f"{year:04d}" for year in range(1000, 3000)]
    uncertain_days = [(first + timedelta(days=k)).isoformat() + "?" for k in offsets[:200_000]]
    spans = random.Random(8)
    month_intervals = list(dict.fromkeys(f"{m}/{months[min(len(months) - 1, i + spans.randint(1, 30))]}"
                                         for i, m in enumerate(months)))
    return {"days": days, "months": months, "years": years, "uncertain days": uncertain_days,
            "intervals of months": month_intervals}


def rate(parse, texts: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        dates._clear_caches()
        start = time.perf_counter()
        parse(texts)
        times.append(time.perf_counter() - start)
    return len(texts) / statistics.median(times) / 1e6


def one_at_a_time(texts: list[str]) -> None:
    for text in texts:
        try:
            dates.parse_edtf(text)
        except dates.DateError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("corpus", nargs="?", type=Path, help="also the distinct dates of this corpus's events")
    args = parser.parse_args(argv)
    gc.disable()
    sets = distinct_sets()
    if args.corpus is not None:
        import msgspec

        from tui.model import schema

        raw = (args.corpus / "corpus.json").read_bytes()
        events = msgspec.json.decode(raw, type=schema.DatesCorpusFile).events
        sets["corpus"] = list(dict.fromkeys(e.date for e in events))
        del raw, events
    result = {}
    for name, texts in sets.items():
        result[name] = {"distinct": len(texts), "column_m_per_s": rate(dates.parse_dates, texts, args.runs),
                        "one_at_a_time_m_per_s": rate(one_at_a_time, texts, args.runs)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
