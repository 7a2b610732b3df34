"""ACLED-like event tables of any size, written by DuckDB: a CSV and Parquet files.

    python benchmarks/tables.py 1000000 benchmarks/data/acled-1m        # .csv and .parquet
    python benchmarks/tables.py 10000000 benchmarks/data/acled-10m --parquet-only

ACLED's columns; dates over 27 years at all three time precisions; a
long-tailed set of 5,000 actors (a few take most of the events, as real ones
do) in four actor columns; notes of some 150 characters with a searchable
vocabulary; rows in no particular order (as an export appended to over the
years is not sorted by date).  Deterministic: the same N gives the same table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

QUERY = """
WITH r AS (SELECT i, hash(i) AS h, hash(i * 31 + 7) AS g FROM range({n}) t(i))
SELECT
  'XYZ' || lpad(CAST(i AS VARCHAR), 9, '0') AS event_id_cnty,
  CAST(DATE '1997-01-01' + CAST(h % 9862 AS INTEGER) AS VARCHAR) AS event_date,
  CAST(1997 + (h % 9862) // 365 AS VARCHAR) AS year,
  CAST(CASE WHEN g % 10 < 7 THEN 1 WHEN g % 10 < 9 THEN 2 ELSE 3 END AS VARCHAR) AS time_precision,
  ['Demonstrations', 'Political violence', 'Political violence', 'Strategic developments'][1 + CAST(g % 4 AS INTEGER)]
    AS disorder_type,
  ['Protests', 'Riots', 'Battles', 'Strategic developments'][1 + CAST(g % 4 AS INTEGER)] AS event_type,
  ['Peaceful protest', 'Violent demonstration', 'Armed clash', 'Agreement'][1 + CAST(g % 4 AS INTEGER)]
    AS sub_event_type,
  'Group ' || CAST(CAST(floor(pow(1.0003, (h // 7) % 28000)) AS BIGINT) % 5000 AS VARCHAR) AS actor1,
  CASE WHEN g % 3 = 0 THEN 'Students (Xyland); Teachers (Xyland)' ELSE '' END AS assoc_actor_1,
  CASE WHEN g % 2 = 0 THEN 'Group ' || CAST((h // 13) % 5000 AS VARCHAR) ELSE '' END AS actor2,
  '' AS assoc_actor_2,
  ['Xyland', 'Zedonia', 'Ambria'][1 + CAST(h % 3 AS INTEGER)] AS country,
  'Province ' || CAST(h % 40 AS VARCHAR) AS admin1,
  'Town ' || CAST(h % 900 AS VARCHAR) AS location,
  ['Example Daily', 'Radio Example', 'Example Times'][1 + CAST(g % 3 AS INTEGER)] AS source,
  'On that day, group ' || CAST((h // 7) % 5000 AS VARCHAR) || ' gathered in town ' || CAST(h % 900 AS VARCHAR)
    || ', "calling for ' || ['wages', 'water', 'elections', 'peace', 'schools'][1 + CAST(g % 5 AS INTEGER)]
    || '"; word' || CAST(h % 20000 AS VARCHAR) || ' was reported by ' || CAST(g % 50 AS VARCHAR) || ' witnesses.'
    AS notes,
  CAST(CASE WHEN g % 4 = 2 THEN g % 7 ELSE 0 END AS VARCHAR) AS fatalities
FROM r
ORDER BY g
"""


def write(n: int, stem: Path, *, csv: bool = True) -> None:
    stem.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    # The shuffle (ORDER BY g) of 100M rows is larger than memory: bounded, it spills beside the output.
    con.execute("SET memory_limit = '4GB'")
    con.execute(f"SET temp_directory = '{stem.parent / '.generating.tmp'}'")
    started = time.perf_counter()
    source = QUERY.format(n=n)
    con.execute(f"COPY ({source}) TO '{stem}.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)")
    if csv:
        con.execute(f"COPY (SELECT * FROM '{stem}.parquet') TO '{stem}.csv' (HEADER, DELIMITER ',')")
    print(f"{stem}: {n:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int)
    parser.add_argument("stem", type=Path, help="the files' path without suffix")
    parser.add_argument("--parquet-only", action="store_true")
    args = parser.parse_args()
    write(args.rows, args.stem, csv=not args.parquet_only)


if __name__ == "__main__":
    main()
