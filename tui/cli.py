"""The command line: ``timeline-explorer [CORPUS]``, ``check``, ``export`` and more.

Every failure is a located, one-line message and an exit status, never a
traceback: 0 success, 1 a corpus with problems (or nothing could be written),
2 a mistake in the command line itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .collector import paused
from .version import __version__
from .model.errors import CorpusError, Problem, UsageError, printable
from .model.wording import plural
from .resources import bundled_corpus

PROG = "timeline-explorer"

EXAMPLES_TOP = f"""\
commands:
  open      open the explorer on a corpus (the default command)
  check     validate a corpus: every problem, located, with a fix
  export    write the chronology (or a filtered part) as JSON, CSV, Markdown or TimelineJS;
            its documents as references (CSL-JSON, BibTeX); its quotes as W3C Web Annotations
  extract   propose candidate events from plain-text documents, as a draft corpus
  import    make a corpus of a TimelineJS file or of a CSV table of events (ACLED);
            turn Web Annotations (Hypothesis) of a corpus's documents into draft events
  schema    print the JSON Schema of corpus.json
  serve     serve the explorer to a web browser (the serve extra)

examples:
  {PROG}                              open the bundled seed corpus
  {PROG} path/to/corpus               open a corpus folder (or its corpus.json)
  {PROG} timeline.json                open a TimelineJS file as it is
  {PROG} acled.csv                    open an event table where it is (ACLED's or GDELT's columns)
  {PROG} events.parquet --mapping m.toml   any table (.csv .tsv .parquet .jsonl), its columns mapped
  {PROG} events.parquet --engine sc://host:15002   the same queries on Spark Connect
  {PROG} --actor qatar --from 2019-07 open the seed corpus filtered to Qatar, from July 2019
  {PROG} check path/to/corpus         check a corpus before sharing it
  {PROG} export --format markdown -o chronology.md
  {PROG} serve my-corpus              the explorer in a browser, at http://127.0.0.1:8000/
  {PROG} COMMAND --help               the options of one command

A corpus is a folder with a corpus.json (format timeline-corpus/1, described in
docs/corpus-format.md) and the documents it names. A TimelineJS file opens, checks
and exports like a corpus (docs/import.md); an event table is read by a database
engine, DuckDB unless --engine says otherwise (docs/engines.md).
"""

EXAMPLES_CHECK = f"""\
examples:
  {PROG} check                     check the bundled seed corpus
  {PROG} check my-corpus/          check a corpus folder
  {PROG} check my-corpus/corpus.json --warnings

exit status: 0 when the corpus is sound, 1 when it has problems (one line each:
file:line: location: what is wrong (fix: how to fix it)), 2 for a usage error.
"""

EXAMPLES_EXPORT = f"""\
filters (the same as in the app; all of them narrow the chronology):
  --actor takes an actor id, name or alias and may be repeated: an event
  matches when any of the actors takes part in it, directly or through a
  coalition it belongs to. --from/--to take EDTF dates (2019, 2019-07,
  2019-07-18): an event matches when its date overlaps the range.

formats:
  json      {{"format": "timeline-export/1", "corpus": ..., "events": [...], "claims": [...]}},
            each quote with its document, code-point offsets and exact text
  csv       one row per event; a cell starting with = + - @ (or a tab or carriage
            return) gets a ' before it, so that a spreadsheet shows it instead of running
            it as a formula (OWASP's advice). --csv-formulas keep writes such cells as they
            are: for programs that read the CSV as data, where a date such as -0500 or
            a number such as -3 must stay as it is; never for a file to open in a spreadsheet
  markdown  a chronology to paste into a paper, quotes as footnoted citations
  timelinejs  a TimelineJS (Knight Lab) file: quotes as blockquotes with their citation,
            the first actor as the slide's group, periods as eras; exact values under
            "timeline_explorer", so that importing it back gives the same events
  csl-json  the documents the events cite (all of them, unfiltered) as references for
            Zotero, Mendeley or pandoc: title, outlet, date, URL, accessed date
  bibtex    the same references as BibTeX entries (@misc; biblatex's EDTF date too)
  annotations  every quote as a W3C Web Annotation (JSON-LD): the document with a
            TextQuoteSelector and a TextPositionSelector, the event it supports and
            your note on it (from the corpus's notes sidecar)

markdown with --citations pandoc cites each quote's document as [@key] and writes
the references beside -o FILE.md as FILE.references.json: pandoc --citeproc renders
them in any CSL style (docs/citations.md).

examples:
  {PROG} export --format json                            the whole seed corpus, to stdout
  {PROG} export --format csv --actor qatar -o qatar.csv
  {PROG} export my-corpus --format markdown --from 2019-07 --to 2019-07 -o july.md
  {PROG} export --format json --search "Uyghur" --type letter
  {PROG} export --format timelinejs -o timeline.json      publish with TimelineJS
  {PROG} export --format csl-json -o references.json      import into Zotero
  {PROG} export --format markdown --citations pandoc -o paper.md
  {PROG} export --format annotations -o quotes.jsonld

-o writes atomically and refuses to replace an existing file unless --force is
given; it never writes over the corpus's own files.

Text is written as data in every format: JSON escapes control characters,
bidirectional overrides and invisible characters (\\u001b, \\u202e: the same
strings for a JSON reader); Markdown, CSV and the text of TimelineJS slides
show them as visible stand-ins (␛, ⟨RLO⟩), so that an export on a terminal,
through a pipe or in a file never acts on the terminal that shows it.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one clear line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {printable(message)}\n")
        sys.exit(2)


def _add_corpus_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "corpus", nargs="?", metavar="CORPUS",
        help="a corpus folder, its corpus.json, a TimelineJS file, or an event table (.csv, .tsv, .parquet, "
             ".jsonl; with --engine, a path the engine reads or a table's name) (default: the bundled seed corpus)",
    )
    tables = parser.add_argument_group("event tables and engines (docs/engines.md)")
    tables.add_argument("--mapping", metavar="NAME|FILE.toml",
                        help="which of a table's columns hold what: acled, gdelt2, or a TOML mapping file "
                             "(default: told from the columns)")
    tables.add_argument("--engine", metavar="URL",
                        help="run the queries on this engine: sc://HOST:PORT (Spark Connect), postgres://..., "
                             "bigquery://PROJECT/DATASET (default: DuckDB, embedded)")
    tables.add_argument("--skip-bad-rows", action="store_true",
                        help="leave out a table's rows whose date cannot be read (they are listed as warnings)")


def _add_filters(parser: argparse.ArgumentParser, *, types: bool = True) -> None:
    group = parser.add_argument_group("filters")
    group.add_argument("--actor", action="append", default=[], metavar="ACTOR",
                       help="an actor id, name or alias (repeatable: any of them)")
    group.add_argument("--from", dest="date_from", metavar="DATE", help="events overlapping this EDTF date or later")
    group.add_argument("--to", dest="date_to", metavar="DATE", help="events overlapping this EDTF date or earlier")
    if types:
        group.add_argument("--type", action="append", default=[], metavar="TYPE", help="an event type (repeatable)")
    group.add_argument("--search", default="", metavar="TEXT",
                       help='words that must all occur (case-insensitive; alias spellings count as one word; "quote" a phrase)')


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; given ``command``, with that command's options alone.

    Declaring every command's options took ~2 ms of every start of the app,
    for a line that names one command (``_normalise_argv`` names it). Without
    a command (``--help``, ``--version``), every command is declared.
    """
    parser = _Parser(
        prog=PROG,
        description="Timeline Explorer: explore a chronology of events built from source documents, "
                    "filter it by actor, and read the exact source quotes behind every event.",
        epilog=EXAMPLES_TOP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, add in _COMMAND_PARSERS.items():
        if command is None or command == name:
            add(sub)
    return parser


def _add_open_parser(sub) -> None:
    p_open = sub.add_parser(
        "open", help="open the explorer (the default)", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Open the explorer on a corpus. Without a command, this is what runs.",
        epilog=f"examples:\n  {PROG}\n  {PROG} my-corpus --actor germany\n  {PROG} open --event july-12-letter\n  "
               f"{PROG} open check      (a corpus folder named like a command)\n",
    )
    _add_corpus_arg(p_open)
    _add_filters(p_open)
    p_open.add_argument("--event", metavar="ID", help="start with this event selected")


def _add_check_parser(sub) -> None:
    p_check = sub.add_parser(
        "check", help="validate a corpus", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Validate a corpus: the format, every reference, date and quote. "
                    "Prints a one-line summary when it is sound, one line per problem otherwise.",
        epilog=EXAMPLES_CHECK,
    )
    _add_corpus_arg(p_check)
    p_check.add_argument("--warnings", action="store_true", help="also list warnings (a sound corpus may have some)")
    p_check.add_argument("--quiet", "-q", action="store_true", help="print nothing when the corpus is sound")


def _add_export_parser(sub) -> None:
    p_export = sub.add_parser(
        "export", help="export the chronology", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Export the chronology, or the part the filters select, in timeline order.",
        epilog=EXAMPLES_EXPORT,
    )
    _add_corpus_arg(p_export)
    p_export.add_argument("--format", "-f", required=True,
                          choices=["json", "csv", "markdown", "timelinejs", "csl-json", "bibtex", "annotations"],
                          help="output format")
    p_export.add_argument("--citations", choices=["footnotes", "pandoc"], default="footnotes",
                          help="markdown: cite each quote in words (footnotes, the default) or with pandoc "
                               "citation keys, writing FILE.references.json beside FILE (needs -o)")
    p_export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    p_export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p_export.add_argument("--csv-formulas", choices=["escape", "keep"], default="escape",
                          help="CSV: put a ' before cells starting with = + - @ (which a spreadsheet would run "
                               "as formulas; the default), or keep them as they are, for data pipelines")
    _add_filters(p_export)


def _add_serve_parser(sub) -> None:
    p_serve = sub.add_parser(
        "serve", help="serve the explorer to a web browser", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve the explorer to a web browser: each tab that opens the address runs the explorer "
                    "on the corpus, with the options given here, and closing the tab ends it. Nothing is "
                    "fetched from the network. Needs the serve extra (pip install 'timeline-explorer[serve]').",
        epilog=f"examples:\n  {PROG} serve                          the seed corpus at http://127.0.0.1:8000/\n"
               f"  {PROG} serve my-corpus --actor germany --port 8080\n"
               f"  {PROG} serve my-corpus --host 0.0.0.0 --token   to other machines too, to those\n"
               "                                       given the printed address (with its token)\n",
    )
    _add_corpus_arg(p_serve)
    _add_filters(p_serve)
    p_serve.add_argument("--event", metavar="ID", help="start with this event selected")
    p_serve.add_argument("--host", default="127.0.0.1",
                         help="the address to listen on (default: 127.0.0.1, this machine only)")
    p_serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    p_serve.add_argument("--token", action="store_true",
                         help="require a secret token, made for this run, in the address (printed at start)")


def _add_schema_parser(sub) -> None:
    sub.add_parser(
        "schema", help="print the JSON Schema of corpus.json", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Print the JSON Schema (draft 2020-12) of the timeline-corpus/1 format.",
        epilog=f"example:\n  {PROG} schema > corpus.schema.json\n",
    )


def _normalise_argv(argv: list[str]) -> list[str]:
    """Make ``open`` the default command: ``timeline-explorer [CORPUS] [options]``."""
    if not argv:
        return ["open"]
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    return ["open", *argv]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = _normalise_argv(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser(args_list[0] if args_list[0] in COMMANDS else None)
    args = parser.parse_args(args_list)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "export":
            return cmd_export(args, parser)
        if args.command == "schema":
            return cmd_schema()
        if args.command == "import":
            return cmd_import(args, parser)
        if args.command == "extract":
            return cmd_extract(args, parser)
        if args.command == "edit":
            from .cli_edit import cmd_edit

            return cmd_edit(args)
        if args.command == "serve":
            return cmd_serve(args, parser)
        return cmd_open(args, parser)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _corpus_source(args: argparse.Namespace) -> Path:
    return Path(args.corpus) if args.corpus else bundled_corpus()


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    def key(p: Problem) -> tuple:
        return (p.file, p.line if p.line is not None else 1 << 60)

    for p in sorted(problems, key=key):
        stream.write(f"{p}\n")


def cmd_check(args: argparse.Namespace) -> int:
    from .model import loader

    loader.LOOK_FOR_REPEATED_KEYS = True  # a key given twice in a record: a warning (top level: always an error)
    try:
        return _check(args)
    finally:
        loader.LOOK_FOR_REPEATED_KEYS = False


def _check(args: argparse.Namespace) -> int:
    from .model.opening import corpus_of, open_store, plan

    source = _corpus_source(args)
    try:
        opening = plan(_source(args))
        if opening.kind in ("table", "engine"):
            return _check_table(open_store(opening), args)
        corpus = corpus_of(opening)
    except CorpusError as exc:
        _print_problems(exc.problems, sys.stdout)
        if args.warnings:
            _print_problems(exc.warnings, sys.stdout)
        n = len(exc.problems)
        sys.stdout.write(f"{printable(str(source))}: {n} {plural(n, 'problem')}; the corpus cannot be used until they are fixed\n")
        return 1
    warnings = corpus.warnings
    if args.warnings:
        _print_problems(warnings, sys.stdout)
    if not args.quiet:
        quotes = sum(1 for _ in corpus.quotes())
        w = f", {len(warnings)} {plural(len(warnings), 'warning')}" if warnings else ""
        hint = " (--warnings lists them)" if warnings and not args.warnings else ""
        sys.stdout.write(
            printable(
                f"{corpus.origin}: OK: {len(corpus.events)} events, {len(corpus.actors)} actors, "
                f"{len(corpus.documents)} documents, {len(corpus.claims)} claims, {quotes} quotes anchored{w}{hint}"
            ) + "\n"
        )
    return 0


def _check_table(store, args: argparse.Namespace) -> int:
    """``check`` of an event table: every date read, the mapping's columns found (the rest is the table's)."""
    warnings = store.warnings
    if args.warnings:
        _print_problems(warnings, sys.stdout)
    if not args.quiet:
        w = f", {len(warnings)} {plural(len(warnings), 'warning')}" if warnings else ""
        sys.stdout.write(printable(f"{store.title}: OK: {len(store):,} events, {len(store.actors):,} actors, "
                                   f"read by {store.engine}{w}") + "\n")
    return 0


def _build_query(corpus, args: argparse.Namespace):
    """The filters of the command line, checked against ``corpus`` (raises ``UsageError``)."""
    from .model.corpus import Query
    from .model.dates import DateError, parse_edtf

    actors = set()
    for token in args.actor:
        try:
            actors.add(corpus.resolve_actor(token))
        except LookupError as exc:
            raise UsageError(f"--actor: {exc.args[0]}") from None
    dates = {}
    for name in ("date_from", "date_to"):
        value = getattr(args, name)
        if value:
            try:
                dates[name] = parse_edtf(value)
            except DateError as exc:
                flag = "--from" if name == "date_from" else "--to"
                raise UsageError(f"{flag}: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")) from None
    types = set(getattr(args, "type", []) or [])
    unknown = types - set(corpus.types) if types else set()
    if unknown:
        known = ", ".join(corpus.types) or "none"
        raise UsageError(f"--type: no event has type {', '.join(sorted(map(repr, unknown)))} (types in this corpus: {known})")
    event_id = getattr(args, "event", None)
    if event_id and corpus.position_of(event_id) is None:
        raise UsageError(f"--event: no event {event_id!r} in this corpus")
    return Query(frozenset(actors), dates.get("date_from"), dates.get("date_to"), frozenset(types), args.search)


def _query_or_exit(corpus, args: argparse.Namespace, parser: argparse.ArgumentParser):
    try:
        return _build_query(corpus, args)
    except UsageError as exc:
        parser.error(str(exc))


def cmd_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .model.atomic import atomic_writer
    from .model.export import protected_files, write_export
    from .model.files import OutputRefused, check_output
    from .model.opening import open_source

    source = _corpus_source(args)
    try:
        corpus = open_source(_source(args))
    except CorpusError as exc:
        _print_problems(exc.problems, sys.stderr)
        sys.stderr.write(f"{printable(str(source))}: not exported: fix these problems first (see `{PROG} check`)\n")
        return 1
    query = _query_or_exit(corpus, args, parser)
    if args.citations == "pandoc":
        if args.format != "markdown":
            parser.error("--citations pandoc: only for --format markdown")
        if not args.output:
            parser.error("--citations pandoc: give -o FILE.md (the references are written beside it)")
    if args.csv_formulas != "escape" and args.format != "csv":
        parser.error("--csv-formulas: only for --format csv")
    options = _export_options(corpus, args)
    events = corpus.select(query).iter_events()
    if not args.output:
        # No format writes a control character of the corpus raw (see model/safetext.py): what
        # goes to a terminal, a pipe or a file is the same.
        out = sys.stdout.buffer
        write_export(corpus, events, query, args.format, out, **options)
        out.flush()
        return 0
    target = Path(args.output)
    try:
        check_output(target, force=args.force, protected=protected_files(corpus))
    except OutputRefused as exc:
        sys.stderr.write(f"{printable(args.output)}: {exc.message} ({exc.hint}); nothing was written\n")
        return 1
    if args.citations == "pandoc":
        return _export_pandoc(corpus, events, query, target, args)
    try:
        with atomic_writer(target) as handle:
            count = write_export(corpus, events, query, args.format, handle, **options)
    except OSError as exc:
        sys.stderr.write(f"{printable(args.output)}: cannot write: {exc.strerror or exc}; nothing was written\n")
        return 1
    from .model.export import UNITS

    unit = UNITS.get(args.format, "event")
    sys.stderr.write(f"{printable(args.output)}: {count} {plural(count, unit)} written ({args.format})\n")
    return 0


def _export_options(corpus, args: argparse.Namespace) -> dict:
    """What a format's writer needs beyond the events: what to do with spreadsheet formulas, for
    CSV; the researcher's notes, for annotations (read from the corpus's sidecar, never written; a
    damaged one is reported and left alone)."""
    if args.format == "csv":
        return {"csv_formulas": args.csv_formulas}
    if args.format != "annotations":
        return {}
    from .model.notes import notes_path, read_notes
    from .resources import bundled_corpus

    try:
        bundled = corpus.origin.resolve().parent == bundled_corpus().resolve()
    except OSError:
        bundled = False
    path = notes_path(corpus.origin, bundled=bundled)
    notes, problem = read_notes(path)
    if problem:
        sys.stderr.write(printable(f"{path}: {problem}") + "\n")
    return {"notes": notes}


def _export_pandoc(corpus, events, query, target: Path, args: argparse.Namespace) -> int:
    """The Markdown with pandoc citation keys, and its references (CSL-JSON) beside it; both or neither."""
    from .model.atomic import atomic_writer
    from .model.citations import references_name, write_csl_items
    from .model.export import write_pandoc_markdown

    from .model.export import protected_files
    from .model.files import OutputRefused, check_output

    refs = target.with_name(references_name(target.name))
    try:
        check_output(refs, force=args.force, protected=protected_files(corpus))
    except OutputRefused as exc:
        sys.stderr.write(f"{printable(str(refs))}: the references file: {exc.message} ({exc.hint}); nothing was written\n")
        return 1
    cited: set[str] = set()
    try:
        with atomic_writer(refs) as refs_out, atomic_writer(target) as handle:
            count = write_pandoc_markdown(corpus, events, query, handle, bibliography=refs.name, cited=cited)
            n_refs = write_csl_items([d for d in corpus.documents.values() if d.id in cited], refs_out)
    except OSError as exc:
        sys.stderr.write(f"{printable(args.output)}: cannot write: {exc.strerror or exc}; nothing was written\n")
        return 1
    sys.stderr.write(printable(
        f"{args.output}: {count} {plural(count, 'event')} written (markdown, pandoc citations), "
        f"{n_refs} {plural(n_refs, 'reference')} in {refs}; render with: "
        f"cd {target.parent} && pandoc --citeproc {target.name} -o {Path(target.name).stem}.html") + "\n")
    return 0


def cmd_schema() -> int:
    import json

    from .model.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


def cmd_open(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    # The collector is paused until the first screen is painted; the app then settles what
    # start-up made (see ``collector`` and TimelineApp.resume_gc_after_start).
    with paused():
        return _open(args, parser)


def _source(args: argparse.Namespace):
    """What the command line names to open (see ``opening``)."""
    from .model.opening import Source

    return Source(args.corpus, getattr(args, "engine", None), getattr(args, "mapping", None),
                  getattr(args, "skip_bad_rows", False))


def _open(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .model.opening import open_store, plan

    source = _source(args)
    shown = source.path or str(bundled_corpus())
    try:
        opening = plan(source)
        if opening.in_app:
            return _open_in_app(opening, args)
        store = open_store(opening)
    except CorpusError as exc:
        return _cannot_open(shown, exc.problems)
    except OSError as exc:
        return _cannot_open(shown, [Problem(shown, "", f"cannot be read: {exc.strerror or exc}",
                                            "check that the file exists and is readable", code="io")])
    query = _query_or_exit(store, args, parser)
    from .app import run_app

    return run_app(store, query=query, event_id=args.event, resume_gc_after_start=True)


def cmd_serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Check what would open (as ``open`` does, so that a problem is told here and not in every
    browser tab), then serve ``open`` with the same options."""
    try:
        from .web import app_command, is_loopback, serve
        import textual_serve  # noqa: F401
    except ImportError:
        sys.stderr.write(f"{PROG} serve: needs textual-serve: pip install 'timeline-explorer[serve]'\n")
        return 1
    from .model.opening import open_store, plan

    if not 0 <= args.port <= 65535:
        parser.error(f"--port: {args.port} is not a port (0 to 65535)")
    source = _source(args)
    shown = source.path or str(bundled_corpus())
    try:
        opening = plan(source)
        if opening.in_app:
            title = opening.shown  # opened (it may take long) by each app, behind its progress screen
        else:
            store = open_store(opening)
            _query_or_exit(store, args, parser)
            title = store.title
    except CorpusError as exc:
        return _cannot_open(shown, exc.problems)
    except OSError as exc:
        return _cannot_open(shown, [Problem(shown, "", f"cannot be read: {exc.strerror or exc}",
                                            "check that the file exists and is readable", code="io")])
    token = None
    if args.token:
        import secrets

        token = secrets.token_urlsafe(24)
    if not is_loopback(args.host) and token is None:
        sys.stderr.write(
            f"{PROG} serve: warning: listening on {printable(args.host)}: anyone who can reach this address "
            "can read the corpus and write marks and notes in it (--token requires a secret in the address; "
            "the default, --host 127.0.0.1, serves this machine only)\n")
    return serve(app_command(_open_args(args)), host=args.host, port=args.port, title=printable(title), token=token)


def _open_args(args: argparse.Namespace) -> list[str]:
    """The ``open`` command line that opens what ``args`` name, with the same options."""
    words: list[str] = []
    for flag, value in (("--mapping", args.mapping), ("--engine", args.engine), ("--from", args.date_from),
                        ("--to", args.date_to), ("--search", args.search or None), ("--event", args.event)):
        if value is not None:
            words.append(f"{flag}={value}")  # one word: a value may begin with "-"
    for flag, values in (("--actor", args.actor), ("--type", args.type)):
        words += [f"{flag}={value}" for value in values]
    if args.skip_bad_rows:
        words.append("--skip-bad-rows")
    if args.corpus:
        # Absolute: the app runs where the server runs, but a path is not left to chance.
        corpus = args.corpus if args.engine else str(Path(args.corpus).absolute())
        words += ["--", corpus]
    return words


def _cannot_open(source: str | Path, problems: Sequence[Problem]) -> int:
    _print_problems(problems, sys.stderr)
    sys.stderr.write(f"{printable(str(source))}: cannot be opened: fix these problems first (`{PROG} check` lists them)\n")
    return 1


def _open_in_app(opening, args: argparse.Namespace) -> int:
    """Open a source that takes a while (a large corpus, a table, an engine) in the app, behind a
    progress screen. A large corpus file is read in a thread from now on, while the interface is
    imported and set up."""
    read_ahead = None
    if opening.kind == "large-corpus":
        from .model.loader import ReadAhead

        read_ahead = ReadAhead(opening.file)
    from .app import report_rescued_notes
    from .app.app import TimelineApp, exit_status

    app = TimelineApp(opening, make_query=lambda store: _build_query(store, args), event_id=args.event,
                      resume_gc_after_start=True, read_ahead=read_ahead)
    status = exit_status(app, app.run())
    report_rescued_notes(app)
    if app.load_problems:
        return _cannot_open(opening.shown, app.load_problems)
    if app.return_code == 2:
        sys.stderr.write(f"{PROG}: error: {printable(app.usage_message)}\n")
        return 2
    if app.store is None:
        _leave_half_open(status)
    return status


def _leave_half_open(code: int) -> None:
    """End the process now: the user quit while the source was opening.

    The opening thread still holds what it has built (a million events make
    tens of millions of objects), and the interpreter's own shutdown would
    wait for it and then walk all of it: seconds after the screen is gone.
    The app has restored the terminal and nothing of the user's is unsaved
    (marks and notes are written as they change), so nothing is lost.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


# -- extract ------------------------------------------------------------------------------------------------

EXAMPLES_EXTRACT = f"""\
Every sentence with a date expression ("July 18", "on Tuesday", "in March", "last
year", "since April 2017", ...) becomes a candidate event, dated against the
document's publication date at the precision the text supports; a news article's
undated lead is proposed too, dated approximately to the publication. The rules,
confidence levels and limits are in docs/extract.md.

--published   the publication date, EDTF: a day (2019-08-21) is best; a month
              (2019-08) or a year (2019) when that is all that is known, and then
              "on Tuesday", "yesterday" and the like resolve only approximately.
              Given once, it holds for every DOC; given once per DOC, the dates go
              with the documents in the same order.
--corpus      recognise the actors of this corpus (names and aliases; whole words,
              case and accents ignored), and skip the passages it excludes in a
              document with exactly the same text.

examples:
  {PROG} extract article.txt --published 2019-08-21 -o drafts/corpus.json
  {PROG} extract a.txt b.txt --published 2019-07-11 --published 2019-08-21 --corpus my-corpus -o drafts/
  {PROG} check drafts/                    the draft is a corpus
  {PROG} drafts/                          review it in the explorer: candidates are marked as drafts

-o names the draft's corpus file (a folder gets corpus.json); documents not already
in that folder are copied into it byte for byte. No existing file is replaced
without --force, and every file is written atomically.
"""


def _add_extract_parser(sub) -> None:
    p = sub.add_parser(
        "extract", help="propose candidate events from documents", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Propose candidate events from plain-text documents, as a draft corpus to review in the explorer.",
        epilog=EXAMPLES_EXTRACT,
    )
    p.add_argument("documents", nargs="+", metavar="DOC", help="plain UTF-8 text files")
    p.add_argument("--published", action="append", required=True, metavar="DATE",
                   help="publication date, an EDTF day; once for every DOC, or once per DOC in order")
    p.add_argument("--corpus", metavar="CORPUS", help="a corpus whose actors to recognise and whose excluded passages to honour")
    p.add_argument("-o", "--output", required=True, metavar="DRAFT",
                   help="the draft's corpus file (e.g. drafts/corpus.json), or a folder for it")
    p.add_argument("--force", action="store_true", help="replace existing files")


def cmd_extract(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .model.dates import DateError
    from .model.extract import DraftError, default_target, extract, publication, read_source
    from .model.loader import load_corpus

    if len(args.published) not in (1, len(args.documents)):
        parser.error(f"--published is given {len(args.published)} times for {len(args.documents)} documents: "
                     "give it once (for every document) or once per document, in the same order")
    dates = []
    for text in args.published:
        try:
            dates.append(publication(text, require_day=False))
        except DateError as exc:
            parser.error(f"--published: {exc.message} ({exc.hint})")
    reference = None
    if args.corpus:
        try:
            reference = load_corpus(args.corpus)
        except CorpusError as exc:
            _print_problems(exc.problems, sys.stderr)
            sys.stderr.write(f"{printable(args.corpus)}: cannot be used as --corpus: fix these problems first "
                             f"(`{PROG} check` lists them); nothing was written\n")
            return 1
    sources, problems, seen = [], [], {}
    for i, name in enumerate(args.documents):
        path = Path(name)
        key = os.path.realpath(path)
        if key in seen:
            problems.append(Problem(name, "", f"is given twice (also as {seen[key]!r})", "give each document once"))
            continue
        seen[key] = name
        try:
            sources.append(read_source(path, dates[i] if len(dates) > 1 else dates[0]))
        except DraftError as exc:
            problems += exc.problems
    if problems:
        _print_problems(problems, sys.stderr)
        sys.stderr.write("extract: nothing was written\n")
        return 1
    draft = extract(sources, reference)
    target = default_target(args.output)
    protected = [Path(d) for d in args.documents]
    if reference is not None:
        protected += [reference.file, *(d.file for d in reference.documents.values())]
    if not _write_draft(draft, target, args.force, protected, "extract"):
        return 1
    n, k = len(draft.events), len(sources)
    sys.stderr.write(printable(
        f"{target}: {n} candidate {plural(n, 'event')} from {k} {plural(k, 'document')}; "
        f"review {'them' if n != 1 else 'it'} with: {PROG} {target}"
    ) + "\n")
    return 0


# -- import ---------------------------------------------------------------------------------------------------

EXAMPLES_IMPORT = f"""\
sources:
  timelinejs  a TimelineJS (Knight Lab) JSON file: one event per slide, the title slide
              as the corpus's title, groups as actors, eras as periods; each event gets a
              small document of its own text, which its quotes cite
  csv         a table of events, one per row; ACLED's columns are recognised by default
  annotations W3C Web Annotations (JSON-LD) or a Hypothesis export, of documents of a
              corpus: each becomes a draft event with its quote, in a draft corpus

examples:
  {PROG} import timelinejs timeline.json -o my-corpus
  {PROG} import csv acled.csv -o acled-corpus --skip-bad-rows
  {PROG} import annotations hypothesis.json --corpus my-corpus -o drafts/
  {PROG} import SOURCE --help           the options of one source

-o names a new folder, built beside it and renamed into place when complete; an
existing non-empty folder is replaced only with --force, and only if it is a corpus
folder. The mappings, rules and messages are in docs/import.md.
"""

EXAMPLES_IMPORT_TIMELINEJS = f"""\
examples:
  {PROG} import timelinejs timeline.json -o my-corpus
  {PROG} check my-corpus
  {PROG} timeline.json                  (or open the file as it is, without importing it)

exit status: 0 imported (warnings, such as a slide without a headline whose title
was made from its text, are listed); 1 nothing was written (each problem located in
the file: timeline.json:57: events[3].start_date.month: 13 is not a month (fix: ...));
2 a usage error.
"""

EXAMPLES_IMPORT_CSV = f"""\
columns (the defaults, tried in order with case ignored, are ACLED's and common names):
  --id-column         event_id_cnty, event_id, id; else row-N
  --date-column       event_date, date (required)
  --date-format       a strptime format (%d/%m/%Y); without it: an EDTF date, 2019-07-18,
                      18 July 2019, July 18, 2019, 18/07/2019 when the order is
                      unambiguous, then python-dateutil at the precision the text gives
  --precision-column  time_precision: ACLED's 1 = the day, 2 = approximately (2019-07-18~),
                      3 = only the month or year (2019-07?), explained in date_note
  --title-column      title, headline; else "sub_event_type: actor1 and actor2 in
                      location, admin1, country (N fatalities)", else the notes' first line
  --notes-column      notes, text, description, summary: quoted, in documents in the corpus
  --summary-column    the notes column
  --actor-column      repeatable; actor1, assoc_actor_1, actor2, assoc_actor_2 (else actors)
  --type-column       event_type, type
  --source-column     source: the outlet of the documents that hold the rows' notes
  An empty name ('') maps no column to that field. Other columns are kept in each
  event's extra["csv"].

examples:
  {PROG} import csv acled.csv -o acled-corpus
  {PROG} import csv acled.csv -o acled-corpus --skip-bad-rows --report bad-rows.csv
  {PROG} import csv events.csv -o corpus --date-column when --date-format %d/%m/%Y \\
      --title-column what --actor-column who --actor-separator "|"

exit status: 0 imported (with --skip-bad-rows, bad rows are left out, counted, and
listed in import-report.csv inside the corpus, or in --report FILE); 1 nothing was
written: bad rows without --skip-bad-rows (each one located: acled.csv:18: row 17,
column 'event_date': '2019-13-45' is not a date (fix: ...)), a file that is not
UTF-8, an existing folder; 2 a usage error (a column that does not exist).
"""


def _write_draft(draft, target: Path, force: bool, protected: list[Path], command: str) -> bool:
    """Write a draft corpus (of extract or an import) and load it back; say why not in located lines."""
    from .model.extract import DraftError, write_draft
    from .model.loader import load_corpus

    try:
        write_draft(draft, target, force=force, protected=protected)
    except DraftError as exc:
        _print_problems(exc.problems, sys.stderr)
        sys.stderr.write(f"{command}: nothing was written\n")
        return False
    try:
        load_corpus(target)
    except CorpusError as exc:  # a bug of ours: say so, located
        _print_problems(exc.problems, sys.stderr)
        sys.stderr.write(f"{printable(str(target))}: the draft was written but does not load; please report this\n")
        return False
    return True


def _add_import_parser(sub) -> None:
    p = sub.add_parser(
        "import", help="make a corpus of a TimelineJS file or a CSV table, or drafts of Web Annotations",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Make a corpus of another tool's data: a TimelineJS file, or a CSV table of events such as ACLED's; "
                    "or draft events of Web Annotations (Hypothesis) of a corpus's documents.",
        epilog=EXAMPLES_IMPORT,
    )
    sources = p.add_subparsers(dest="source", metavar="SOURCE", parser_class=_Parser, required=True)

    def output(q: argparse.ArgumentParser) -> None:
        q.add_argument("-o", "--output", required=True, metavar="FOLDER", help="the new corpus folder")
        q.add_argument("--force", action="store_true", help="replace FOLDER if it is an existing corpus folder")

    tl = sources.add_parser(
        "timelinejs", help="a TimelineJS (Knight Lab) JSON file", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Make a corpus of a TimelineJS file: one event per slide, dated at the precision it gives.",
        epilog=EXAMPLES_IMPORT_TIMELINEJS,
    )
    tl.add_argument("file", metavar="FILE.json", help="the TimelineJS file")
    output(tl)

    c = sources.add_parser(
        "csv", help="a CSV table of events (ACLED's columns by default)", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Make a corpus of a CSV table of events, one per row, streamed: a file of any size "
                    "imports in bounded memory.",
        epilog=EXAMPLES_IMPORT_CSV,
    )
    c.add_argument("file", metavar="FILE.csv", help="the CSV file (UTF-8, with or without a byte-order mark)")
    output(c)
    cols = c.add_argument_group("columns")
    for name, what in (("id", "the event's id"), ("date", "the date"), ("precision", "ACLED's time_precision code"),
                       ("title", "the title"), ("notes", "the text quoted"), ("summary", "the summary"),
                       ("type", "the event type"), ("source", "the source (the documents' outlet)")):
        cols.add_argument(f"--{name}-column", metavar="COLUMN", help=what)
    cols.add_argument("--date-format", metavar="FORMAT", help="strptime format of the dates, e.g. %%d/%%m/%%Y")
    cols.add_argument("--actor-column", action="append", metavar="COLUMN", help="a column of actors (repeatable)")
    cols.add_argument("--actor-separator", default=";", metavar="SEP",
                      help="splits a cell into several actors (default ';'; '' to keep cells whole)")
    c.add_argument("--delimiter", default=",", metavar="CHAR", help="the field delimiter (default ','; 'tab' for tabs)")
    c.add_argument("--title", metavar="TEXT", help="the corpus's title (default: from the file name)")
    c.add_argument("--rows-per-document", type=int, default=250, metavar="N",
                   help="rows per document of notes (default 250; smaller documents anchor faster)")
    c.add_argument("--skip-bad-rows", action="store_true",
                   help="leave bad rows out (counted and listed in a report) instead of writing nothing")
    c.add_argument("--report", metavar="FILE", help="where --skip-bad-rows lists the bad rows "
                   "(default: import-report.csv in the corpus folder)")

    a = sources.add_parser(
        "annotations", help="W3C Web Annotations or a Hypothesis export, as draft events",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Turn Web Annotations of documents of a corpus into draft events, each with its quote.",
        epilog=EXAMPLES_IMPORT_ANNOTATIONS,
    )
    a.add_argument("file", metavar="FILE", help="the annotations (JSON-LD, or a Hypothesis JSON export)")
    a.add_argument("--corpus", required=True, metavar="CORPUS", help="the corpus whose documents were annotated")
    a.add_argument("-o", "--output", required=True, metavar="DRAFT",
                   help="the draft's corpus file (e.g. drafts/corpus.json), or a folder for it")
    a.add_argument("--force", action="store_true", help="replace existing files")


EXAMPLES_IMPORT_ANNOTATIONS = f"""\
Each annotation that quotes a passage (a TextQuoteSelector) of a document of
--corpus becomes a draft event with that quote: its target is matched to the
document by URL (or by the identifier the annotations export gives a document
without one, or by the document's id or path), its quote anchored in the
document's text as every quote is. The event is dated as the annotation says
(a tag date:2019-07-18, or the event's date in this program's own export), else
approximately by the document's publication date; the annotation's note becomes
its summary, its tags its tags. Notes on a whole page and replies are skipped
(listed as warnings). Details: docs/citations.md.

examples:
  {PROG} import annotations hypothesis-export.json --corpus my-corpus -o drafts/
  {PROG} import annotations quotes.jsonld --corpus my-corpus -o my-corpus/annotations.json
  {PROG} drafts/                      review the drafts in the explorer

-o names the draft's corpus file (a folder gets corpus.json), as for extract:
documents not already in its folder are copied in byte for byte, no existing file
is replaced without --force, every file is written atomically. Exit status: 0
written; 1 nothing was written: every annotation whose document is not in the
corpus, whose quote does not anchor, is ambiguous or falls in an excluded passage
is listed (FILE:LINE: rows[3] (annotation 'id').target.selector: ... (fix: ...));
2 a usage error.
"""


def _add_edit_parser(sub) -> None:
    from .cli_edit import add_edit_parser

    add_edit_parser(sub)


# Each command's parser, in the order --help lists them.
_COMMAND_PARSERS = {
    "open": _add_open_parser, "check": _add_check_parser, "export": _add_export_parser,
    "schema": _add_schema_parser, "extract": _add_extract_parser, "import": _add_import_parser,
    "edit": _add_edit_parser,
    "serve": _add_serve_parser,
}
COMMANDS = tuple(_COMMAND_PARSERS)  # the words a line may start with to name its command


def cmd_import(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.source == "timelinejs":
        return _import_timelinejs(args)
    if args.source == "annotations":
        return _import_annotations(args)
    return _import_csv(args, parser)


def _import_annotations(args: argparse.Namespace) -> int:
    from .model.annotations import AnnotationError, draft_from_annotations, read_annotations
    from .model.extract import default_target
    from .model.loader import load_corpus

    try:
        corpus = load_corpus(args.corpus)
    except CorpusError as exc:
        _print_problems(exc.problems, sys.stderr)
        sys.stderr.write(f"{printable(args.corpus)}: cannot be used as --corpus: fix these problems first "
                         f"(`{PROG} check` lists them); nothing was written\n")
        return 1
    try:
        annotations, warnings = read_annotations(args.file)
        draft = draft_from_annotations(annotations, corpus, args.file)
    except AnnotationError as exc:
        _print_problems(exc.problems, sys.stderr)
        n = len(exc.problems)
        sys.stderr.write(f"{printable(args.file)}: {n} {plural(n, 'problem')}; nothing was written\n")
        return 1
    _print_problems(warnings, sys.stderr)
    target = default_target(args.output)
    protected = [Path(args.file), corpus.file, *(d.file for d in corpus.documents.values())]
    if not _write_draft(draft, target, args.force, protected, "import"):
        return 1
    n, w = len(draft.events), len(warnings)
    sys.stderr.write(printable(
        f"{target}: {n} draft {plural(n, 'event')} from {args.file}"
        + (f" ({w} skipped, listed above)" if w else "") + f"; review {'them' if n != 1 else 'it'} with: {PROG} {target}"
    ) + "\n")
    return 0


def _import_failed(args: argparse.Namespace, exc: Exception) -> int:
    """Say why an import wrote nothing (problems located in the input, or the output that failed); 1."""
    from .model.csvimport import BadRowsError

    if isinstance(exc, BadRowsError):
        _print_problems(exc.problems, sys.stderr)
        more = exc.count - len(exc.problems)
        if more > 0:
            sys.stderr.write(f"… and {more} more bad {plural(more, 'row')}\n")
        sys.stderr.write(f"{printable(args.file)}: {exc.count} bad {plural(exc.count, 'row')}; nothing was written "
                         "(fix them, or add --skip-bad-rows to leave them out)\n")
    elif isinstance(exc, CorpusError):
        _print_problems(exc.problems, sys.stderr)
        sys.stderr.write(f"{printable(args.file)}: nothing was written: fix these problems first\n")
    elif isinstance(exc, OSError):
        sys.stderr.write(f"{printable(args.output)}: cannot write: {exc.strerror or exc}; nothing was written\n")
    else:  # OutputError: the folder exists, is not a corpus, the report cannot replace what is there...
        where = getattr(exc, "path", None) or args.output
        sys.stderr.write(f"{printable(str(where))}: {exc}; nothing was written\n")
    return 1


def _import_timelinejs(args: argparse.Namespace) -> int:
    from .model.corpuswriter import OutputError
    from .model.loader import load_corpus
    from .model.timelinejs import import_timelinejs

    try:
        conversion = import_timelinejs(args.file, args.output, force=args.force)
    except (CorpusError, OutputError, OSError) as exc:
        return _import_failed(args, exc)
    _print_problems(conversion.warnings, sys.stderr)
    try:
        load_corpus(args.output)
    except CorpusError as exc:  # a bug of ours: say so, located
        _print_problems(exc.problems, sys.stderr)
        sys.stderr.write(f"{printable(args.output)}: the corpus was written but does not load; please report this\n")
        return 1
    n, w = len(conversion.events), len(conversion.warnings)
    sys.stderr.write(printable(
        f"{args.output}: {n} {plural(n, 'event')}, {len(conversion.actors)} actor(s), "
        f"{len(conversion.periods)} period(s) from {args.file}"
        + (f"; {w} {plural(w, 'warning')} above" if w else "")
    ) + "\n")
    return 0


class _ProgressBar:
    """A one-line progress bar on a terminal (stderr), redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream, self.label, self.last, self.drawn = stream, printable(label), 0.0, False

    def __call__(self, done: int, total: int, rows: int) -> None:
        import time

        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        fraction = min(1.0, done / total) if total else 1.0
        filled = int(fraction * 30)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%}  {rows:,} rows")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * (len(self.label) + 60) + "\r")
            self.stream.flush()
            self.drawn = False


def _import_csv(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .model.corpuswriter import OutputError
    from .model.csvimport import Mapping, import_csv

    delimiter = "\t" if args.delimiter in ("tab", "\\t", "\t") else args.delimiter
    if len(delimiter) != 1:
        parser.error(f"--delimiter: give one character (or 'tab'), not {args.delimiter!r}")
    if args.rows_per_document < 1:
        parser.error("--rows-per-document: give a number of rows, 1 or more")
    mapping = Mapping(
        id=args.id_column, date=args.date_column, date_format=args.date_format, precision=args.precision_column,
        title=args.title_column, summary=args.summary_column, notes=args.notes_column,
        actors=args.actor_column, actor_separator=args.actor_separator, type=args.type_column,
        source=args.source_column, delimiter=delimiter, corpus_title=args.title,
        rows_per_document=args.rows_per_document,
    )
    bar = _ProgressBar(sys.stderr, Path(args.file).name) if sys.stderr.isatty() else None
    try:
        try:
            result = import_csv(args.file, args.output, mapping, force=args.force, skip_bad_rows=args.skip_bad_rows,
                                report=args.report, progress=bar)
        finally:
            if bar is not None:
                bar.clear()
    except UsageError as exc:
        parser.error(str(exc))
    except (CorpusError, OutputError, OSError) as exc:
        return _import_failed(args, exc)
    _print_problems(result.warnings, sys.stderr)
    if result.warning_count > len(result.warnings):
        sys.stderr.write(f"{printable(str(args.file))}: {result.warning_count - len(result.warnings):,} more warnings\n")
    summary = (f"{args.output}: {result.events:,} {plural(result.events, 'event')}, {result.actors:,} actor(s), "
               f"{result.documents:,} document(s) from {result.rows:,} {plural(result.rows, 'row')} of {args.file}")
    if result.bad_rows:
        summary += (f"; {result.bad_rows:,} bad {plural(result.bad_rows, 'row')} skipped, "
                    f"listed in {result.report}")
    sys.stderr.write(printable(summary) + "\n")
    return 0
