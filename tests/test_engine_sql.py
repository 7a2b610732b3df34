"""The SQL a warehouse is sent, snapshot-tested: no test can reach BigQuery, so the queries of the main
screens, compiled by ibis for BigQuery over GDELT 2.0's public table (``gdelt-bq.gdeltv2.events``) with
the ``gdelt2`` mapping, are kept in ``tests/data/sql/`` and compared.  A change of those files is a
change of what every BigQuery user's engine runs: look at it (``TIMELINE_EXPLORER_UPDATE_SQL=1`` writes
them anew).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from model_support import REPO

ibis = pytest.importorskip("ibis", reason="the SQL store needs ibis")

from tui.model.corpus import Query  # noqa: E402
from tui.model.dates import parse_edtf  # noqa: E402
from tui.model.engine import tables  # noqa: E402
from tui.model.engine.sqlstore import SqlStore, StoreMeta  # noqa: E402

SNAPSHOTS = REPO / "tests" / "data" / "sql" / "bigquery"

# GDELT 2.0's event table on BigQuery, as its public dataset declares it (the columns the mapping reads).
GDELT_BQ = ibis.schema({
    "GLOBALEVENTID": "int64", "SQLDATE": "int64", "Actor1Name": "string", "Actor2Name": "string",
    "EventCode": "string", "ActionGeo_FullName": "string", "SOURCEURL": "string",
})


class _Offline:
    """A backend that runs nothing: the expressions are compiled, never executed."""

    name = "bigquery"


@pytest.fixture(scope="module")
def store(monkeypatch_module) -> SqlStore:
    events_table = ibis.table(GDELT_BQ, name="events", catalog="gdelt-bq", database="gdeltv2")
    # The distinct dates are read from the engine and parsed here: two stand for them all.
    cells = {"cell": ["20190708", "20190712"], "code": ["", ""], "date": ["2019-07-08", "2019-07-12"],
             "date_note": ["", ""]}
    monkeypatch_module.setattr(tables, "_dates_of", lambda backend, t, mapping, shown, name: (
        {"cells": cells, "table": tables.date_rows(cells["date"])[0]}, []))
    # On an engine elsewhere, they are views of the session by these names (see tables._small_table).
    monkeypatch_module.setattr(tables, "_small_table", lambda backend, name, columns: ibis.table(
        {column: "string" if column in ("cell", "code", "date", "date_note") else "int64" for column in columns},
        name=name))
    mapped, _ = tables.mapped_events(_Offline(), events_table, tables.PRESETS["gdelt2"], "gdelt-bq.gdeltv2.events")
    ordered = tables._ordered(mapped, "bigquery")
    pairs = ordered.select("pos", actor=ordered.actors.unnest()).distinct()
    return SqlStore(_Offline(), ordered, pairs, StoreMeta(title="GDELT 2.0 events"), engine="bigquery")


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def queries(store: SqlStore) -> dict[str, object]:
    qatar = Query(frozenset({"QATAR"}), parse_edtf("2019-07"), parse_edtf("2019-07"))
    events = store.select(qatar, prepare=False)
    plain = store.select(Query(), prepare=False)
    from tui.model.density import _periods_for

    lo, hi = parse_edtf("2019-07-01").lower, parse_edtf("2019-07-31").lower
    unit, periods = _periods_for(lo, hi, 40)
    return {
        "headings_of_an_actor_in_a_month": events.headings_expr(),
        "first_page": plain.page_expr(offset=0),
        "next_page_by_key": events.page_expr(after=123456),
        "actor_counts": events.actor_counts_expr(),
        "search": plain.filtered.filter(store.search_condition('uighur "human rights"')).count(),
        "density_by_day": events.density_expr(unit, periods)[0],
    }


@pytest.mark.parametrize("name", ["headings_of_an_actor_in_a_month", "first_page", "next_page_by_key",
                                  "actor_counts", "search", "density_by_day"])
def test_the_bigquery_sql_of_the_main_queries(store, name):
    sql = ibis.to_sql(queries(store)[name], dialect="bigquery").strip() + "\n"
    snapshot = SNAPSHOTS / f"{name}.sql"
    if os.environ.get("TIMELINE_EXPLORER_UPDATE_SQL"):
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(sql, encoding="utf-8")
    assert snapshot.is_file(), f"no snapshot yet: TIMELINE_EXPLORER_UPDATE_SQL=1 pytest {Path(__file__).name}"
    assert sql == snapshot.read_text(encoding="utf-8")


def test_the_bigquery_sql_reads_gdelt_and_never_pulls_the_table(store):
    sql = {name: ibis.to_sql(expr, dialect="bigquery") for name, expr in queries(store).items()}
    assert all("`gdelt-bq`.`gdeltv2`.`events`" in text for text in sql.values())
    assert re.search(r"`pos` >= 0 AND `\w+`\.`pos` < 200\s", sql["first_page"])  # a range of positions
    assert "`pos` > 123456" in sql["next_page_by_key"] and "LIMIT 200" in sql["next_page_by_key"]
    assert "OFFSET 0" not in sql["next_page_by_key"]  # by key, not by counting rows
    assert "GROUP BY" in sql["actor_counts"] and "GROUP BY" in sql["density_by_day"]
