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

import tomllib
from pathlib import Path
from typing import Any

import msgspec

from ..errors import CorpusError, Problem
from .columns import DATE_COLUMNS, date_rows, fold_table

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
        if backend.name != "duckdb":
            options = {"sep": delimiter, "header": mapping.header if mapping else True}
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
    """The events of table ``t`` under ``mapping``, as the columns of ``columns.EVENT_COLUMNS`` but ``pos``,
    and the problems found (cells that are not dates: raised, unless ``skip_bad_rows``)."""
    import ibis

    name = {f: _column(t, getattr(mapping, f), f, shown)
            for f in ("id", "date", "precision", "title", "summary", "notes", "type", "source", "url")}
    if name["date"] is None:
        raise _problem(shown, "mapping.date", "no date column is given", "name the column that holds each event's date")
    actors = [_column(t, a, "actors", shown) for a in mapping.actors]
    what = [_column(t, c, "title_what", shown) for c in mapping.title_what]
    who = [_column(t, c, "title_who", shown) for c in mapping.title_who]
    where = [_column(t, c, "title_where", shown) for c in mapping.title_where]
    # Rows numbered as a spreadsheet numbers them (and as `import csv` does): the header is row 1.
    numbered = t.mutate(_row=(ibis.row_number() + (2 if mapping.header else 1)).cast("int64"))
    date_cell = _text(numbered, name["date"]).fill_null("")
    code_cell = _text(numbered, name["precision"]).fill_null("") if name["precision"] else ibis.literal("")
    dates, problems = _dates_of(backend, numbered.mutate(_d=date_cell, _p=code_cell), mapping, shown, name)
    if problems and not skip_bad_rows:
        raise CorpusError(problems)
    edtf = ibis.memtable(dates["cells"])
    dim = ibis.memtable(dates["table"])
    keyed = numbered.mutate(_d=date_cell, _p=code_cell)
    joined = keyed.join(edtf, [keyed._d == edtf.cell, keyed._p == edtf.code]).join(dim, "date")
    row = joined._row
    ident = _text(joined, name["id"])
    numbered_id = ibis.literal("row-") + row.cast("string")
    title = _text(joined, name["title"])
    built = _built_title([_text(joined, c) for c in what], [_text(joined, c) for c in who],
                         [_text(joined, c) for c in where])
    toll_column = _column(t, mapping.title_toll, "title_toll", shown)
    if built is not None and toll_column is not None:
        toll = _text(joined, toll_column).try_cast("int64")
        suffix = ibis.ifelse(toll == 1, ibis.literal(" (1 fatality)"),
                             ibis.literal(" (") + toll.cast("string") + " fatalities)")
        built = ibis.ifelse(toll.notnull() & (toll > 0), built + suffix, built)
    if built is not None:
        title = built if title is None else title.fill_null(built)
    if title is None:
        title = ibis.literal(None, "string")
    title = title.re_replace(r"\s+", " ").fill_null(ibis.literal("Row ") + row.cast("string"))
    notes = _text(joined, name["notes"])
    summary = _text(joined, name["summary"])
    parts = []
    for column in actors:
        value = _text(joined, column)
        pieces = value.split(mapping.actor_separator) if mapping.actor_separator else ibis.array([value])
        parts.append(pieces.fill_null(ibis.literal([], "array<string>")))
    if parts:
        names = parts[0]
        for more in parts[1:]:
            names = names.concat(more)
        names = names.map(lambda x: x.strip()).filter(lambda x: x.notnull() & (x != ""))
    else:
        names = ibis.literal([], "array<string>")
    source_from, source_to = fold_table()
    hay = ibis.literal("\n").join([title, summary.fill_null("") if summary is not None else ibis.literal(""),
                                    notes.fill_null("") if notes is not None else ibis.literal("")])
    none = ibis.literal(None, "string")
    events = joined.select(
        id=ident.fill_null(numbered_id) if ident is not None else numbered_id, row=row, date=joined.date,
        **{column: joined[column] for column in DATE_COLUMNS if column != "date"},
        title=title, summary=summary.fill_null("") if summary is not None else ibis.literal(""),
        type=_text(joined, name["type"]).fill_null("") if name["type"] else ibis.literal(""),
        tags=ibis.literal([], "array<string>"), actors=names, quotes=none,
        sources=(notes.notnull().cast("int64") if notes is not None else ibis.literal(0, "int64")),
        draft=ibis.literal(False), confidence=ibis.literal(None, "float64"),
        date_note=joined.date_note, note=ibis.literal(f"{shown}, row ") + row.cast("string") + ".",
        extra=none, hay=hay.lower().translate(source_from, source_to),
        notes=notes if notes is not None else none,
        source=_text(joined, name["source"]) if name["source"] else none,
        url=_text(joined, name["url"]) if name["url"] else none,
    )
    return events, problems


def _built_title(what, who, where):
    """'Peaceful protest: Protesters (Xyland) in Port Example, Capital District' from the row's cells."""
    import ibis

    what_cell = ibis.coalesce(*what) if what else None
    body = ibis.literal(" and ").join(who).nullif("") if who else None
    if where:
        place = ibis.literal(", ").join(where).nullif("")
        located = ibis.literal("in ") + place if body is None else ibis.ifelse(
            body.notnull(), body + " in " + place, "in " + place)
        body = located if body is None else ibis.ifelse(place.notnull(), located, body)
    if what_cell is None:
        return body
    if body is None:
        return what_cell
    return ibis.ifelse(what_cell.notnull() & body.notnull(), what_cell + ": " + body, ibis.coalesce(what_cell, body))


def _dates_of(backend, t, mapping: TableMapping, shown: str, name: dict):
    """Parse the distinct (date cell ``_d``, precision code ``_p``) pairs of ``t``: the EDTF of each,
    the dates table, and a located problem per row whose date is not one."""
    from ..csvimport import _BadRow, _qualify, parse_date

    pairs = backend.to_pyarrow(t.select("_d", "_p").distinct()).to_pylist()
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
        import ibis

        keys = ibis.memtable({"k_d": [k[0] for k in bad], "k_p": [k[1] for k in bad]})
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


def table_store(path: str | Path, *, mapping: TableMapping | None = None, backend=None, kind: str | None = None,
                skip_bad_rows: bool = False, progress=None):
    """A :class:`~.sqlstore.SqlStore` of the event table at ``path`` (or, with ``kind="table"``, of the
    table of that name on ``backend``), its columns mapped by ``mapping`` (told from the columns if None).

    On DuckDB the events are ordered once into a table of the session (the engine's memory, not
    Python's); on another engine they stay a view the engine orders (``row_number``)."""
    import ibis

    from ..corpus import Actor
    from .backends import duckdb_backend
    from .sqlstore import SqlStore, StoreMeta

    if backend is None:
        backend = duckdb_backend()[0]
    path = str(path)
    shown = Path(path).name if kind != "table" else path
    report = progress or (lambda phase, fraction: None)
    report("reading", None)
    if kind == "table":
        t = backend.table(path)
    else:
        kind = kind or TABLE_SUFFIXES.get(Path(path).suffix.lower(), "csv")
        if mapping is None and kind == "csv":
            mapping = _sniffed(backend, path)
        try:
            t = read_table(backend, path, kind, mapping)
        except Exception as exc:  # the engine's own message, in one line
            raise _problem(path, "", f"cannot be read as a {kind} table: {_first_line(exc)}",
                           "check the file (and its delimiter and header: --mapping)") from None
    if mapping is None:
        mapping = detect_mapping(list(t.columns))
        if mapping is None:
            raise _problem(shown, "", "its columns are neither ACLED's nor GDELT's, and none of them is named as a "
                           f"date column ({', '.join(t.columns[:12])}{', …' if len(t.columns) > 12 else ''})",
                           "give --mapping FILE.toml naming its id, date, title and actor columns (docs/engines.md)")
    report("mapping", None)
    events, problems = mapped_events(backend, t, mapping, shown, skip_bad_rows=skip_bad_rows)
    ordered = events.mutate(pos=(ibis.row_number().over(order_by=[events["rank"], events["id"]])).cast("int64"))
    ordered = ordered.select(*_EVENT_ORDER)
    report("ordering", None)
    pairs = ordered.select("pos", actor=ordered.actors.unnest()).distinct()
    if backend.name == "duckdb":
        # Tables of the in-memory database, not of one connection: a cursor (another thread) sees them too.
        ev = backend.create_table("te_events", ordered.order_by("pos"), overwrite=True)
        ea = backend.create_table("te_event_actors", pairs.order_by(["actor", "pos"]), overwrite=True)
    else:
        ev, ea = ordered.cache(), pairs.cache()
    names = backend.to_pyarrow(ea.select("actor").distinct().order_by("actor")).column("actor").to_pylist()
    actors = {n: Actor(n, n, "other") for n in names}
    meta = StoreMeta(title=f"{shown} ({mapping.name})" if mapping.name not in ("custom", "columns") else shown,
                     description=f"The table {shown}, read in place; one event per row.", actors=actors,
                     problems=[msgspec.structs.replace(p, severity="warning") for p in problems],
                     origin=Path(path) if kind != "table" else None, file=Path(path) if kind != "table" else None,
                     root=Path(path).parent if kind != "table" else None, table_name=shown, kind="table")
    return SqlStore(backend, ev, ea, meta, engine=backend.name)


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
