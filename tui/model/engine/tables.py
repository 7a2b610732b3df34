"""Event tables read where they are (CSV, TSV, Parquet, JSON lines, or a table of an engine),
their columns mapped to the events' (``columns.EVENT_COLUMNS``).

A :class:`TableMapping` says which column holds what.  Two are built in:
``acled`` (ACLED's export: ``event_id_cnty``, ``event_date`` with its
``time_precision``, four actor columns, notes as the quote) and ``gdelt2``
(GDELT 2.0 events: 61 tab-separated columns without a header, ``SQLDATE``,
``Actor1Name``/``Actor2Name``, ``EventCode`` (CAMEO) as the type,
``SOURCEURL`` as the source); any other table is described by options or a
TOML file (``--mapping FILE.toml``, see ``docs/engines.md``).  The mapping is
told from the columns when none is given.

Dates are the one thing Python does: the distinct date cells (with their
precision codes) are parsed once each (``csvimport.parse_date``, the same
rules as ``import csv``), and the engine joins the result.  A cell that is
not a date is a located problem (table, row, column, value, why).
"""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path
from typing import Any

import msgspec

from ..errors import CorpusError, Problem
from .backends import sql_string
from .columns import DATE_COLUMNS, EVENT_ACTOR_COLUMNS, INDEXED_DATES, date_rows, fold_table

__all__ = ["GDELT2_COLUMNS", "PRESETS", "TABLE_SUFFIXES", "TableMapping", "detect_mapping", "load_mapping",
           "mapped_events", "read_table"]

from ..engine_names import TABLE_SUFFIXES  # noqa: E402  (one list of the tables' file names)
SHOWN_BAD_ROWS = 20  # bad rows named one by one; the others are counted

# GDELT 2.0 event table columns, in file order (the files have no header).
GDELT2_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
    "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code", "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "Actor2KnownGroupCode", "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code",
    "Actor2Type2Code", "Actor2Type3Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode",
    "QuadClass", "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone", "Actor1Geo_Type",
    "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat",
    "Actor1Geo_Long", "Actor1Geo_FeatureID", "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
]


class TableMapping(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Which column of a table holds what (``""``: none).

    ``title`` names a column; without one, the title is made of ``title_what``
    (the kind of event), ``title_who`` (joined with "and") and ``title_where``
    (joined with ", "), as ``import csv`` makes ACLED's titles.
    """

    name: str = "custom"
    id: str = ""
    date: str = ""
    date_format: str = ""  # strptime, when the date cells are not ISO or EDTF (GDELT: %Y%m%d)
    precision: str = ""  # ACLED's time_precision codes (1, 2, 3)
    title: str = ""
    title_what: list[str] = []
    title_who: list[str] = []
    title_where: list[str] = []
    title_toll: str = ""  # a count of fatalities, added as " (2 fatalities)" when above 0
    summary: str = ""
    notes: str = ""  # the row's own text: its quote
    actors: list[str] = []
    actor_separator: str = ";"
    type: str = ""
    source: str = ""  # the source's name (an outlet)
    url: str = ""  # the source's URL
    # Reading a delimited file:
    delimiter: str = ""  # "" : "," for .csv, tab for .tsv
    header: bool = True
    columns: list[str] = []  # the columns' names, for a file without a header


PRESETS: dict[str, TableMapping] = {
    "acled": TableMapping(
        name="acled", id="event_id_cnty", date="event_date", precision="time_precision",
        title_what=["sub_event_type", "event_type"], title_who=["actor1", "actor2"],
        title_where=["location", "admin1", "country"], title_toll="fatalities", summary="notes", notes="notes",
        actors=["actor1", "assoc_actor_1", "actor2", "assoc_actor_2"], type="event_type", source="source",
    ),
    "gdelt2": TableMapping(
        name="gdelt2", id="GLOBALEVENTID", date="SQLDATE", date_format="%Y%m%d", title_what=["EventCode"],
        title_who=["Actor1Name", "Actor2Name"], title_where=["ActionGeo_FullName"], notes="SOURCEURL",
        actors=["Actor1Name", "Actor2Name"], actor_separator="", type="EventCode", url="SOURCEURL",
        delimiter="\t", header=False, columns=GDELT2_COLUMNS,
    ),
}


def load_mapping(value: str) -> TableMapping:
    """A preset's name (``acled``, ``gdelt2``) or a TOML file (its ``[mapping]`` table). Raises CorpusError."""
    if value in PRESETS:
        return PRESETS[value]
    path = Path(value)
    from ..files import SMALL_FILE_LIMIT, read_regular

    try:
        data = tomllib.loads(read_regular(path, limit=SMALL_FILE_LIMIT, what="a mapping").decode("utf-8"))
    except FileNotFoundError:
        raise _problem(value, "", f"is neither a mapping file nor one of the built-in mappings ({', '.join(PRESETS)})",
                       "give the path of a TOML mapping file (docs/engines.md) or acled or gdelt2") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(value, "", f"cannot be read: {getattr(exc, 'strerror', None) or exc}",
                       "check the path and its permissions") from None
    except tomllib.TOMLDecodeError as exc:
        raise _problem(value, "", f"is not valid TOML: {exc}", "fix the syntax (see docs/engines.md)") from None
    section = data.get("mapping", data)
    base = section.pop("preset", None) if isinstance(section, dict) else None
    try:
        mapping = msgspec.convert(section, TableMapping)
    except msgspec.ValidationError as exc:
        message, _, where = str(exc).partition(" - at `$")
        raise _problem(value, f"mapping{where.rstrip('`')}", message,
                       "see docs/engines.md for the fields of a mapping") from None
    if base is not None:
        if base not in PRESETS:
            raise _problem(value, "mapping.preset", f"no built-in mapping {base!r}",
                           f"use one of {', '.join(PRESETS)}")
        given = {f: getattr(mapping, f) for f in TableMapping.__struct_fields__ if f in section}
        mapping = msgspec.structs.replace(PRESETS[base], **given)
    return mapping


def _problem(file: str, where: str, message: str, hint: str) -> CorpusError:
    return CorpusError([Problem(file, where, message, hint, code="mapping")])


def detect_mapping(columns: list[str]) -> TableMapping | None:
    """The mapping the columns tell: ACLED's, GDELT's, or, for a table with a column of dates under a
    common name, the common names ``import csv`` recognises (``id``, ``date``, ``title``, ``actors``...)."""
    lower = {c.lower(): c for c in columns}
    if {"event_id_cnty", "event_date"} <= lower.keys():
        return PRESETS["acled"]
    if {"globaleventid", "sqldate"} <= lower.keys():
        return PRESETS["gdelt2"]
    from ..csvimport import DEFAULTS, OTHER_ACTORS

    def first(names: tuple[str, ...]) -> str:
        return next((lower[n] for n in names if n in lower), "")

    date = first(DEFAULTS["date"])
    if not date:
        return None
    notes = first(DEFAULTS["notes"])
    actors = [lower[n] for n in OTHER_ACTORS if n in lower][:1]
    return TableMapping(name="columns", id=first(DEFAULTS["id"]), date=date, precision=first(DEFAULTS["precision"]),
                        title=first(DEFAULTS["title"]), summary=notes, notes=notes, actors=actors,
                        type=first(DEFAULTS["type"]), source=first(DEFAULTS["source"]))


def read_table(backend, path: str, kind: str, mapping: TableMapping | None, *, name: str = "te_source"):
    """The table at ``path`` (``kind``: csv, parquet, json), read in place by ``backend``, every cell as it is."""
    options: dict[str, Any] = {}
    if kind == "csv":
        delimiter = (mapping.delimiter if mapping and mapping.delimiter else
                     "\t" if path.lower().endswith(".tsv") else ",")
        # Every cell as text (dates are read by our rules); the dialect given rather than sniffed, and
        # lines ended either way (a row appended by another tool may end in \r\n where the rest end in \n).
        options.update(all_varchar=True, delim=delimiter, quote='"', escape='"', strict_mode=False)
        if mapping is not None and not mapping.header:
            options.update(header=False, names=mapping.columns or None)
        if backend.name != "duckdb":  # Spark's CSV reader: quotes doubled inside quoted cells, which may hold lines
            options = {"sep": delimiter, "header": mapping.header if mapping else True, "multiLine": True,
                       "quote": '"', "escape": '"'}
        return backend.read_csv(path, table_name=name, **options)
    if kind == "parquet":
        return backend.read_parquet(path, table_name=name)
    return backend.read_json(path, table_name=name)


def _column(t, name: str, what: str, shown: str) -> str | None:
    """The table's column ``name`` (case ignored), or a located problem naming the columns it has."""
    if not name:
        return None
    if name in t.columns:
        return name
    lower = {c.lower(): c for c in t.columns}
    if name.lower() in lower:
        return lower[name.lower()]
    import difflib

    close = difflib.get_close_matches(name, t.columns, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"the columns are: {', '.join(t.columns[:40])}"
    raise _problem(shown, f"mapping.{what}", f"the table has no column {name!r}", hint)


def _text(t, name: str | None):
    """Column ``name`` of ``t`` as text, blank cells as null (None for no column)."""
    if name is None:
        return None
    return t[name].cast("string").strip().nullif("")


def mapped_events(backend, t, mapping: TableMapping, shown: str, *, skip_bad_rows: bool = False):
    """The events of table ``t`` under ``mapping``, as the columns of ``columns.EVENT_COLUMNS`` but ``pos`` and
    ``hay`` (see ``_ordered``), and the problems found (cells that are not dates: raised, unless ``skip_bad_rows``)."""
    import ibis

    name = _names(t, mapping, shown)
    # Rows numbered as a spreadsheet numbers them (and as `import csv` does): the header is row 1.
    numbered = t.mutate(_row=(ibis.row_number() + _first_row(mapping)).cast("int64"))
    joined, problems = _dated(backend, numbered, mapping, shown, name, skip_bad_rows)
    return _event_columns(joined, _date_columns(joined, name), mapping, shown, name), problems


def _first_row(mapping: TableMapping) -> int:
    """The number of a table's first row of data (a header is row 1)."""
    return 2 if mapping.header else 1


def _names(t, mapping: TableMapping, shown: str) -> dict:
    """The table's columns the mapping names (a located problem for one it lacks)."""
    name = {f: _column(t, getattr(mapping, f), f, shown)
            for f in ("id", "date", "precision", "title", "summary", "notes", "type", "source", "url", "title_toll")}
    if name["date"] is None:
        raise _problem(shown, "mapping.date", "no date column is given", "name the column that holds each event's date")
    for group in ("actors", "title_what", "title_who", "title_where"):
        name[group] = [_column(t, c, group, shown) for c in getattr(mapping, group)]
    return name


def _dated(backend, numbered, mapping: TableMapping, shown: str, name: dict, skip_bad_rows: bool):
    """``numbered`` (a table with its row numbers, ``_row``) joined with its dates' columns
    (``columns.DATE_COLUMNS`` and ``date_note``), and the problems found."""
    import ibis

    date_cell = _text(numbered, name["date"]).fill_null("")
    code_cell = _text(numbered, name["precision"]).fill_null("") if name["precision"] else ibis.literal("")
    keyed = numbered.mutate(_d=date_cell, _p=code_cell)
    dates, problems = _dates_of(backend, keyed, mapping, shown, name)
    if problems and not skip_bad_rows:
        raise CorpusError(problems)
    edtf = _small_table(backend, "te_date_cells", dates["cells"])
    dim = _small_table(backend, "te_dates", dates["table"])
    return keyed.join(edtf, [keyed._d == edtf.cell, keyed._p == edtf.code]).join(dim, "date"), problems


def _ident(joined, name: dict):
    """An event's id: the id column's cell, else ``row-N``."""
    import ibis

    numbered_id = ibis.literal("row-") + joined._row.cast("string")
    ident = _text(joined, name["id"])
    return ident.fill_null(numbered_id) if ident is not None else numbered_id


def _date_columns(joined, name: dict) -> dict:
    """The id and the dates' columns of a table ``_dated`` made."""
    return {"id": _ident(joined, name), "date_note": joined.date_note, **{c: joined[c] for c in DATE_COLUMNS}}


def _actor_cells(joined, mapping: TableMapping, name: dict):
    """The actors' names in a row's actor cells, split, as they are (not stripped, empty ones kept)."""
    import ibis

    parts = []
    for column in name["actors"]:
        value = _text(joined, column)
        pieces = value.split(mapping.actor_separator) if mapping.actor_separator else ibis.array([value])
        parts.append(pieces.fill_null(ibis.literal([], "array<string>")))
    if not parts:
        return ibis.literal([], "array<string>")
    names = parts[0]
    for more in parts[1:]:
        names = names.concat(more)
    return names


def _event_columns(joined, dates: dict, mapping: TableMapping, shown: str, name: dict, pos=None):
    """The event columns (``columns.EVENT_COLUMNS`` but ``pos`` and ``hay``) of ``joined``'s rows, whose
    cells the mapping names; ``dates``: the id, ``date_note`` and dates' columns (``_date_columns``)."""
    import ibis

    row = joined._row
    title = _text(joined, name["title"])
    built = _built_title([_text(joined, c) for c in name["title_what"]], [_text(joined, c) for c in name["title_who"]],
                         [_text(joined, c) for c in name["title_where"]])
    if built is not None and name["title_toll"] is not None:
        toll = _text(joined, name["title_toll"]).try_cast("int64")
        toll_text = ibis.cases((toll == 1, ibis.literal("(1 fatality)")),
                               (toll > 1, ibis.literal("(") + toll.cast("string") + " fatalities)"), else_=None)
        built = ibis.literal(" ").join([built, toll_text])
    if built is not None:
        title = built if title is None else title.fill_null(built)
    if title is None:
        title = ibis.literal(None, "string")
    title = title.re_replace(r"\s+", " ").fill_null(ibis.literal("Row ") + row.cast("string"))
    notes = _text(joined, name["notes"])
    summary = _text(joined, name["summary"])
    names = _actor_cells(joined, mapping, name)
    names = names.map(lambda x: x.strip()).filter(lambda x: x.notnull() & (x != ""))
    none = ibis.literal(None, "string")
    if summary is None:
        summary = ibis.literal("")
    elif name["summary"] == name["notes"]:
        summary = ibis.literal(None, "string")  # the row's own text, kept once (see ``columns``)
    else:
        summary = summary.fill_null("")
    return joined.select(
        **({"pos": pos} if pos is not None else {}), id=dates["id"], row=row, **{column: dates[column] for column in DATE_COLUMNS},
        title=title, summary=summary,
        type=_text(joined, name["type"]).fill_null("") if name["type"] else ibis.literal(""),
        tags=ibis.literal([], "array<string>"), actors=names, quotes=none,
        sources=(notes.notnull().cast("int64") if notes is not None else ibis.literal(0, "int64")),
        draft=ibis.literal(False), confidence=ibis.literal(None, "float64"),
        date_note=dates["date_note"], note=ibis.literal(f"{shown}, row ") + row.cast("string") + ".",
        extra=none, notes=notes if notes is not None else none,
        source=_text(joined, name["source"]) if name["source"] else none,
        url=_text(joined, name["url"]) if name["url"] else none,
    )


def _small_table(backend, name: str, columns: dict):
    """A small table of ours (the dates) the engine joins: a view of the session on an engine that runs
    elsewhere (an in-memory table of ibis's may be gone from it by the time a cached query runs)."""
    import ibis
    import pyarrow as pa

    from .compile import arrow_schema

    # From arrow, typed (an empty column has a type too): from a dict, ibis would go through pandas.
    types = {c: DATE_COLUMNS.get(c, "string") for c in columns}
    table = ibis.memtable(pa.table(columns, schema=arrow_schema(types)))
    if backend.name == "duckdb":
        return table
    return backend.create_view(name, table, overwrite=True)


def _built_title(what, who, where):
    """'Peaceful protest: Protesters (Xyland) in Port Example, Capital District' from the row's cells, as
    ``import csv`` makes it.  Joins skip empty cells (SQL's ``concat_ws``), so that no part of the
    expression is written twice: ibis would repeat it in the SQL, and the engine compute it again."""
    import ibis

    def joined(separator: str, parts):
        parts = [p for p in parts if p is not None]
        return ibis.literal(separator).join(parts).nullif("") if parts else None

    who_text = joined(" and ", who)
    place = joined(", ", where)
    body = joined(" ", [who_text, ibis.literal("in ") + place if place is not None else None])
    what_cell = ibis.coalesce(*what) if len(what) > 1 else (what[0] if what else None)
    return joined(": ", [what_cell, body])


def _dates_of(backend, t, mapping: TableMapping, shown: str, name: dict):
    """Parse the distinct (date cell ``_d``, precision code ``_p``) pairs of ``t``: the EDTF of each,
    the dates table, and a located problem per row whose date is not one."""
    from ..csvimport import _BadRow, _qualify, parse_date

    from .backends import arrow_of

    pairs = arrow_of(backend, t.select("_d", "_p").distinct()).to_pylist()
    cells: dict[str, list] = {"cell": [], "code": [], "date": [], "date_note": []}
    bad: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for pair in pairs:
        raw, code = pair["_d"], pair["_p"]
        if not raw:
            bad[(raw, code)] = (name["date"], "", "the date is empty", "fill it in (every event needs a date)")
            continue
        try:
            date = parse_date(raw, mapping.date_format or None)
            edtf, note = _qualify(date, code, raw)
        except _BadRow as exc:
            column = name["precision"] if exc.value == code and code and exc.message.startswith("time_precision") \
                else name["date"]
            bad[(raw, code)] = (column, exc.value or raw, exc.message, exc.hint)
            continue
        cells["cell"].append(raw)
        cells["code"].append(code)
        cells["date"].append(edtf)
        cells["date_note"].append(note)
    table, _ = date_rows(set(cells["date"]))
    problems: list[Problem] = []
    if bad:

        keys = _small_table(backend, "te_bad_dates", {"k_d": [k[0] for k in bad], "k_p": [k[1] for k in bad]})
        found = t.join(keys, [t._d == keys.k_d, t._p == keys.k_p])
        rows = backend.to_pyarrow(found.select("_row", "_d", "_p").order_by("_row").limit(SHOWN_BAD_ROWS)).to_pylist()
        total = int(backend.execute(found.count()))
        for r in rows:
            column, value, message, hint = bad[(r["_d"], r["_p"])]
            problems.append(Problem(shown, f"row {r['_row']}, column {column!r}", message, hint, r["_row"], "error",
                                    "csv"))
        if total > len(rows):
            problems.append(Problem(shown, "", f"… and {total - len(rows)} more row(s) whose date is not one",
                                    "fix them, or open the table with --skip-bad-rows to leave them out", None,
                                    "error", "csv"))
    return {"cells": cells, "table": table}, problems


TABLES_FORMAT = 5  # bump when what a compiled table holds, or how it is made, changes


def table_store(path: str | Path, *, mapping: TableMapping | None = None, backend=None, kind: str | None = None,
                skip_bad_rows: bool = False, progress=None, early: bool = False):
    """A :class:`~.sqlstore.SqlStore` of the event table at ``path`` (or, with ``kind="table"``, of the
    table of that name on ``backend``), its columns mapped by ``mapping`` (told from the columns if None).

    A file read by the embedded DuckDB (no ``backend`` given) is ordered once into a DuckDB database
    file in the user's cache, keyed by the file's path, size, time and the mapping, which later opens
    at once (its content hash is compared after the first screen, see ``is_current``); the engine's
    buffer manager, not Python, holds it.  With ``early``, a table compiled for the first time is given
    back as soon as its keys are made (see ``_keyed_store``), and its ``completion`` (to run in a worker)
    compiles the rest; it answers every question meanwhile, searches more slowly.  On another engine the
    events stay a view the engine orders (``row_number``), cached by the engine."""
    path = str(path)
    report = progress or (lambda phase, fraction: None)
    if backend is None and kind != "table":
        return _compiled_table(Path(path), mapping, kind, skip_bad_rows, report, early)
    return _table_store(backend, path, mapping, kind, skip_bad_rows, report)


def _table_store(backend, path: str, mapping, kind, skip_bad_rows, report):
    """The store of a table on another engine: the events a view the engine orders (``row_number``)
    and caches."""
    from .sqlstore import SqlStore

    shown = Path(path).name if kind != "table" else path
    report("reading", None)
    t, mapping, kind = _source(backend, path, mapping, kind, shown, False)
    report("mapping", None)
    events, problems = mapped_events(backend, t, mapping, shown, skip_bad_rows=skip_bad_rows)
    report("ordering", None)
    ev = _ordered(events, backend.name).cache()
    ea = ev.select("pos", *INDEXED_DATES, actor=ev.actors.unnest()).distinct().select(*EVENT_ACTOR_COLUMNS).cache()
    return SqlStore(backend, ev, ea, _table_meta(backend, ea, _title(shown, mapping), shown, path, kind, problems),
                    engine=backend.name)


def _title(shown: str, mapping: TableMapping) -> str:
    return f"{shown} ({mapping.name})" if mapping.name not in ("custom", "columns") else shown


def _keyed_store(backend, path: str, mapping, kind, skip_bad_rows, report):
    """The store of a table file on the embedded DuckDB, in two steps, so that it is shown before it is
    compiled.  First (here) only the keys are made: each row's number, id and dates, numbered in
    timeline order (``te_keys``), and who takes part in each event (``te_event_actors``); the events
    are a view of the database that joins a page's keys to their rows and maps only those.  Then
    ``_Finishing`` makes the events a table in timeline order, with their search text (a page is a
    range of it, a search one scan of a column), and gives the actor index its date columns."""
    import ibis

    from .sqlstore import SqlStore

    shown = Path(path).name
    report("reading", None)
    t, mapping, kind = _source(backend, path, mapping, kind, shown, True)
    report("mapping", None)
    name = _names(t, mapping, shown)
    joined, problems = _dated(backend, t, mapping, shown, name, skip_bad_rows)
    report("ordering", None)
    dates = _date_columns(joined, name)
    keys = joined.select(_k_row=joined._row, **{f"_k_{c}": e for c, e in dates.items()})
    keys = keys.mutate(_k_pos=ibis.row_number().over(order_by=[keys._k_rank, keys._k_id]).cast("int64"))
    k = backend.create_table("te_keys", keys.order_by("_k_pos"))
    rows = k.join(t, k._k_row == t._row)
    events = _event_columns(rows, {c: rows[f"_k_{c}"] for c in dates}, mapping, shown, name, pos=rows._k_pos)
    # Views of the database in two levels: the search text folded from the mapped columns, not from the
    # expressions that make them (ibis writes an expression again wherever it is used).
    backend.con.execute(f"CREATE VIEW te_rows AS {backend.compile(events)}")
    ev = _with_hay(backend.table("te_rows"), backend.name)
    backend.con.execute(f"CREATE VIEW te_events AS {backend.compile(ev)}")
    ev = backend.table("te_events")
    # Actors and positions only: the index gets its date columns when the events are compiled (they
    # would cost the first screen half as much again).
    pairs = ev.select("pos", actor=ev.actors.unnest()).distinct()
    ea = backend.create_table("te_event_actors", pairs.select("actor", "pos").order_by(["actor", "pos"]))
    return SqlStore(backend, ev, ea, _table_meta(backend, ea, _title(shown, mapping), shown, path, kind, problems),
                    engine=backend.name)


def _source(backend, path: str, mapping, kind, shown: str, materialize: bool):
    """The table to map (read in place), its mapping (told from its columns if None), and its kind.
    With ``materialize`` (a table of the embedded DuckDB's database file), the rows carry their number,
    ``_row``: a delimited or JSON file is parsed once into the engine (the dates, the keys and the
    pages all read it), a Parquet file is a view of the database over the file and its row numbers."""
    if kind == "table":
        t = backend.table(path)
    else:
        kind = kind or TABLE_SUFFIXES.get(Path(path).suffix.lower(), "csv")
        if mapping is None and kind == "csv":
            mapping = _sniffed(backend, path)
        try:
            t = read_table(backend, path, kind, mapping)
        except Exception as exc:  # the engine's own message, in one line
            raise _unreadable(path, kind, exc) from None
    if mapping is None:
        mapping = detect_mapping(list(t.columns))
        if mapping is None:
            raise _problem(shown, "", "its columns are neither ACLED's nor GDELT's, and none of them is named as a "
                           f"date column ({', '.join(t.columns[:12])}{', …' if len(t.columns) > 12 else ''})",
                           "give --mapping FILE.toml naming its id, date, title and actor columns (docs/engines.md)")
    if materialize:
        import ibis

        first = _first_row(mapping)
        try:
            if kind == "parquet":
                # A view stored in the database (a cursor in another thread sees it), numbered by the file.
                literal = sql_string(str(Path(path).resolve()))
                backend.con.execute(f"CREATE VIEW te_source_rows AS SELECT * EXCLUDE (file_row_number), "
                                    f"file_row_number + {first} AS _row FROM read_parquet({literal}, "
                                    "file_row_number = true)")
                t = backend.table("te_source_rows")
            else:
                # Parsed once into a database in memory, attached to the file's (which views of it may name):
                # twice as fast as into the file, and never written there (the cache keeps the events only).
                backend.con.execute("ATTACH ':memory:' AS te_memory")
                numbered = t.mutate(_row=(ibis.row_number() + first).cast("int64"))
                backend.con.execute(f"CREATE TABLE te_memory.main.te_source_rows AS {backend.compile(numbered)}")
                t = backend.table("te_source_rows", database=("te_memory", "main"))
        except Exception as exc:
            raise _unreadable(path, kind, exc) from None
    return t, mapping, kind


def _unreadable(path: str, kind: str, exc: BaseException) -> CorpusError:
    return _problem(path, "", f"cannot be read as a {kind} table: {_first_line(exc)}",
                    "check the file (and its delimiter and header: --mapping)")


def _table_meta(backend, ea, title: str, shown: str, path: str, kind, problems):
    from ..corpus import Actor
    from .sqlstore import StoreMeta

    from .backends import arrow_of

    names = arrow_of(backend, ea.select("actor").distinct().order_by("actor")).column("actor").to_pylist()
    actors = {n: Actor(n, n, "other") for n in names}
    return StoreMeta(title=title,
                     description=f"The table {shown}, read in place; one event per row.", actors=actors,
                     problems=[msgspec.structs.replace(p, severity="warning") for p in problems],
                     origin=Path(path) if kind != "table" else None, file=Path(path) if kind != "table" else None,
                     root=Path(path).parent if kind != "table" else None, table_name=shown, kind="table")


class _TableCache(msgspec.Struct):
    """What a compiled table was made from (kept inside it, in ``te_made``)."""

    format: int
    path: str
    size: int
    mtime_ns: int
    mapping: str  # the mapping asked for ("" when told from the columns), and the rows left out
    skip_bad_rows: bool
    title: str = ""
    problems: list[Problem] = []
    sha256: str = ""


def _compiled_table(path: Path, mapping: TableMapping | None, kind: str | None, skip_bad_rows: bool, report,
                    early: bool = False):
    """The store of a table file on the embedded DuckDB: its compiled database in the cache, made if
    there is none current (see ``table_store``)."""
    import os
    import tempfile

    from ..places import cache_dir, path_key, sweep_unfinished
    from .backends import duckdb_backend

    resolved = path.resolve()
    try:
        st = os.stat(resolved)
    except OSError as exc:
        raise _problem(str(path), "", f"cannot be read: {exc.strerror or exc}", "check the path") from None
    asked = msgspec.json.encode(mapping).decode() if mapping is not None else ""
    made = _TableCache(TABLES_FORMAT, str(resolved), st.st_size, st.st_mtime_ns, asked, skip_bad_rows)
    folder = cache_dir() / "tables"
    # One file per version of the table (DuckDB keeps a database it has open by its path: a new version
    # must have a new one); older versions are removed once a new one is made.
    prefix = f"{path_key(resolved)}-{path_key(asked + str(skip_bad_rows), 8)}-"
    database = folder / f"{prefix}{path_key(f'{st.st_size}:{st.st_mtime_ns}', 8)}.duckdb"
    store = _open_compiled_table(database, made, path, report)
    if store is not None:
        return store
    report("reading", None)
    folder.mkdir(parents=True, exist_ok=True)
    sweep_unfinished(folder)  # an explorer killed mid-compile left its work
    fd, tmp_name = tempfile.mkstemp(prefix=f".{database.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB makes the file
    try:
        backend, raw = duckdb_backend(str(tmp))
        store = _keyed_store(backend, str(path), mapping, kind, skip_bad_rows, report)
    except BaseException:
        _remove_database(tmp)
        raise
    made.problems = list(store.problems)
    made.title = store.title
    finishing = _Finishing(store, raw, made, tmp, database, folder.glob, prefix)
    store.completion = finishing.run
    store.on_close(finishing.abandon)
    if not early:
        report("compiling", None)
        try:
            finishing.run()
        except Exception as exc:  # the unfinished database goes with the store; said in one located line
            store.close()
            raise _problem(str(path), "", f"could not be compiled: {_first_line(exc)}",
                           "check the free space and permissions of the cache folder (TIMELINE_EXPLORER_CACHE)") from None
    return store


def _remove_database(file: Path) -> None:
    for leftover in (file, file.with_name(file.name + ".wal")):
        leftover.unlink(missing_ok=True)


class _Finishing:
    """The second step of compiling a table (see ``_keyed_store``): the events made a table in timeline
    order, the database moved into its place in the cache, and the store turned to it, read only."""

    def __init__(self, store, raw, made: _TableCache, tmp: Path, database: Path, glob, prefix: str) -> None:
        self.store, self.raw, self.made, self.tmp, self.database = store, raw, made, tmp, database
        self._glob, self._prefix = glob, prefix
        self.done = False
        self._lock = threading.Lock()

    def run(self) -> None:
        import os

        from ..places import content_hash
        from .backends import duckdb_backend

        with self._lock:
            if self.done:
                return
            store = self.store
            closed = False
            try:
                # On a connection of its own: the store answers the interface meanwhile, from the views.
                cursor = self.raw.cursor()
                cursor.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")  # as ``duckdb_backend`` (the views')
                cursor.execute("DROP TABLE IF EXISTS te_events_made; DROP TABLE IF EXISTS te_event_actors_made")
                cursor.execute("CREATE TABLE te_events_made AS SELECT * FROM te_events ORDER BY pos")
                dates = ", ".join(f"e.{c}" for c in INDEXED_DATES)
                cursor.execute(f"CREATE TABLE te_event_actors_made AS SELECT a.actor, a.pos, {dates} "
                               "FROM te_event_actors a JOIN te_events_made e USING (pos) ORDER BY a.actor, a.pos")
                cursor.close()
                self.made.sha256 = content_hash(self.made.path)
                with store._lock:
                    # One transaction: a failure leaves the views as they were, and the step can be run again.
                    self.raw.execute("BEGIN TRANSACTION")
                    for statement in ("DROP VIEW te_events", "DROP VIEW te_rows",
                                      "ALTER TABLE te_events_made RENAME TO te_events", "DROP TABLE te_keys",
                                      "DROP TABLE te_event_actors",
                                      "ALTER TABLE te_event_actors_made RENAME TO te_event_actors",
                                      "DROP VIEW IF EXISTS main.te_source_rows"):
                        self.raw.execute(statement)
                    self.raw.execute("CREATE TABLE te_made AS SELECT ? AS made",
                                     [msgspec.json.encode(self.made).decode()])
                    self.raw.execute("COMMIT")
                    self.raw.execute("DETACH DATABASE IF EXISTS te_memory")  # the rows parsed (not transactional)
                    self.raw.close()
                    closed = True
                    os.replace(self.tmp, self.database)
                    # The store's expressions name the tables, which the database file has under the same
                    # names: it is asked through a new connection from now on.
                    store.backend = duckdb_backend(str(self.database), read_only=True)[0]
                    store.ea = store.backend.table("te_event_actors")  # now with its date columns
                    store.compiled, store.compiled_path = self.made, self.database
                    self.done = True
            except BaseException:
                if closed:  # the database is whole (committed): the store reads it wherever it is now
                    self._reopen_somewhere()
                else:  # the store stays as it is, from its views; the unfinished database goes when it closes
                    try:
                        self.raw.execute("ROLLBACK")
                    except Exception:  # noqa: BLE001 - no transaction was open, or the connection is gone
                        pass
                raise
            store.completion = None
            for older in self._glob(f"{self._prefix}*.duckdb"):
                if older != self.database:
                    older.unlink(missing_ok=True)  # an app that has it open keeps reading it until it closes

    def _reopen_somewhere(self) -> None:
        """After the connection closed, something failed (the move into the cache, the new connection): the
        store reads the finished database where it is, else its files go and its questions fail."""
        from .backends import duckdb_backend

        for file in (self.database, self.tmp):
            if file.is_file():
                try:
                    with self.store._lock:
                        self.store.backend = duckdb_backend(str(file), read_only=True)[0]
                        self.store.ea = self.store.backend.table("te_event_actors")
                    return
                except Exception:  # noqa: BLE001 - the other place, or nothing
                    continue
        self.abandon()

    def abandon(self) -> None:
        """The store closed (or the compile failed) before the end: the unfinished database goes."""
        if not self.done:
            try:
                self.raw.close()
            except Exception:  # noqa: BLE001 - closed already
                pass
            _remove_database(self.tmp)


def _open_compiled_table(database: Path, made: _TableCache, path: Path, report):
    """The store of a compiled table if it is current (same format, file, size, time and mapping), else None."""
    from .backends import duckdb_backend
    from .sqlstore import SqlStore

    if not database.is_file():
        return None
    try:
        backend, raw = duckdb_backend(str(database), read_only=True)
        found = msgspec.json.decode(raw.execute("SELECT made FROM te_made").fetchall()[0][0], type=_TableCache)
    except Exception:  # noqa: BLE001 - damaged, unfinished or of another version: made again
        database.unlink(missing_ok=True)
        return None
    if (found.format, found.path, found.size, found.mtime_ns, found.mapping, found.skip_bad_rows) != (
            made.format, made.path, made.size, made.mtime_ns, made.mapping, made.skip_bad_rows):
        raw.close()
        return None
    ev, ea = backend.table("te_events"), backend.table("te_event_actors")
    store = SqlStore(backend, ev, ea, _table_meta(backend, ea, found.title, path.name, str(path), None,
                                                  found.problems), engine="duckdb")
    store.compiled, store.compiled_path = found, database
    return store


def _ordered(events, engine: str):
    """The events numbered in timeline order (by the date's rank, then id), with their folded search text."""
    import ibis

    numbered = events.mutate(hay=_hay(events, engine),
                             pos=ibis.row_number().over(order_by=[events["rank"], events["id"]]).cast("int64"))
    return numbered.select(*_EVENT_ORDER)


def _with_hay(events, engine: str):
    """The events (numbered already) with their folded search text, in the columns' order."""
    return events.mutate(hay=_hay(events, engine)).select(*_EVENT_ORDER)


def _hay(events, engine: str):
    """The folded search text of the events: title, summary and the row's own text."""
    import ibis

    return folded(ibis.literal("\n").join([events.title, events.summary.fill_null(""), events.notes.fill_null("")]),
                  engine)


def folded(text, engine: str):
    """``text`` folded for search as ``textfold.fold`` folds it, by the engine (see ``columns``): DuckDB's
    ``strip_accents`` where it has one, else a translation table after ``lower``."""
    import ibis

    if engine != "duckdb":
        source, target = fold_table()
        return text.lower().translate(source, target)
    from .columns import _CLASSES, _LETTERS

    @ibis.udf.scalar.builtin
    def strip_accents(value: str) -> str:  # DuckDB's own function
        ...

    special = "[" + _LETTERS[0] + "".join(pattern[1:-1] for pattern, _ in _CLASSES) + "]"
    full = strip_accents(text.translate(_LETTERS[0], _LETTERS[1]).lower())
    for pattern, replacement in _CLASSES:
        full = full.re_replace(pattern, replacement)
    return ibis.ifelse(text.re_search(special), full, strip_accents(text.lower()))


def _sniffed(backend, path: str) -> TableMapping | None:
    """A headerless tab-separated file of GDELT's 61 columns is GDELT's (its first line tells)."""
    from ..files import open_regular

    try:
        with open_regular(path) as handle:
            first = handle.read(1 << 16).split(b"\n", 1)[0]
    except OSError:
        return None
    cells = first.split(b"\t")
    if len(cells) == len(GDELT2_COLUMNS) and cells[0].strip().isdigit() and cells[1].strip().isdigit():
        return PRESETS["gdelt2"]
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


from .columns import EVENT_COLUMNS as _COLUMNS  # noqa: E402

_EVENT_ORDER = list(_COLUMNS)
