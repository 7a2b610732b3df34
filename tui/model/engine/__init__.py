"""Events in a database engine: the SQL side of the ``EventStore`` (see ``tui.model.store``).

Every source the SQL store serves is seen as one *events* table of the same
columns (``columns.EVENT_SCHEMA``) in timeline order, and one *event_actors*
table (an actor and an event's position per row):

* a large ``corpus.json`` is validated in full, then compiled by DuckDB into
  a sorted Parquet file in the user's cache (``compile``), which later opens
  in place;
* an event table (CSV, TSV, Parquet, JSON lines; ACLED, GDELT or any table
  through a mapping) is read where it is, its columns mapped to the events'
  (``tables``);
* on another engine (``--engine sc://…``, ``postgres://…``, ``bigquery://…``)
  the same mapping is an ibis expression the engine runs (``backends``).

The queries (``sqlstore``) are ibis expressions: one API, compiled for each
engine; ``ibis.to_sql(expr, dialect=...)`` shows what an engine is sent.

Nothing here imports Textual, and nothing outside imports this package
unless a source needs an engine: the small corpora never load it.
"""
