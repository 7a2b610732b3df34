"""CSV tables of events (ACLED and the like) into a ``timeline-corpus/1`` corpus, streamed.

One event per row.  Which column holds what is given by a :class:`Mapping`;
its defaults recognise ACLED's export (``event_id_cnty``, ``event_date``,
``time_precision``, ``actor1``, ``assoc_actor_1``, ``actor2``,
``assoc_actor_2``, ``event_type``, ``sub_event_type``, ``country``,
``admin1``, ``location``, ``notes``, ``source``, ``fatalities``) and common
names (``id``, ``date``, ``title``, ``type``, ``actors``, ``source``).

The row's notes become the event's summary and its quote: the notes of
every row are written into plain-text documents inside the corpus folder,
one set of documents per ``source`` (which names the documents' outlet),
at most a few hundred rows per document so that anchoring stays fast.
Each row's notes stand under a header line naming the row (``Row 12
(CHL1234)``), which the quote gives as its ``prefix``, so that identical
notes of two rows are two distinct passages.  Columns that no field takes
are kept under the event's ``extra["csv"]``.

The file is read as a stream of lines (UTF-8, with or without a byte-order
mark) and each event is written to ``corpus.json`` as soon as its row is
read: memory holds the distinct actors and sources, the ids seen so far and
a bounded buffer of notes, never the rows.  Every bad row is reported with
its file, row, line, column, value, what is wrong and how to fix it; with
``skip_bad_rows`` they are left out and listed in a report (a CSV file).
"""

from __future__ import annotations

import codecs
import csv
from array import array
import difflib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from . import schema
from .corpuswriter import CorpusJsonWriter, FolderBuilder, OutputError, slugify, unique
from .dates import MONTH_ABBREVIATIONS, MONTH_NAMES, DateError, ForeignDigits, YearOutOfRange, date_from_parts, days_in_month, parse_edtf
from .errors import CorpusError, Problem, UsageError
from .files import OutputRefused, check_output, open_regular
from .htmltext import one_line, title_of_text

__all__ = ["BadRowsError", "CsvImport", "Mapping", "import_csv"]

ROWS_PER_DOCUMENT = 250
REPORT_FILE = "import-report.csv"
REPORT_COLUMNS = ["row", "line", "column", "value", "problem", "fix"]
_SHOWN_PROBLEMS = 50  # bad rows kept in memory to print; the rest are counted (and all go to the report)
_PENDING_CHARS = 2 << 20  # notes waiting to be appended to their documents

# Default column names, tried in order, case-insensitively.
DEFAULTS: dict[str, tuple[str, ...]] = {
    "id": ("event_id_cnty", "event_id", "id"),
    "date": ("event_date", "date"),
    "precision": ("time_precision",),
    "title": ("title", "headline"),
    "notes": ("notes", "text", "description", "summary"),
    "type": ("event_type", "type"),
    "source": ("source", "sources", "outlet"),
}
ACLED_ACTORS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")
OTHER_ACTORS = ("actors", "actor")
# Columns a default title is built from (when the table has no title column).
TITLE_WHAT = ("sub_event_type", "event_type", "type")
TITLE_WHO = ("actor1", "actor2")
TITLE_WHERE = ("location", "admin1", "country")
TITLE_TOLL = "fatalities"

_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name.lower(): i for i, name in enumerate(MONTH_ABBREVIATIONS, start=1)})
_MONTHS["sept"] = 9
_ISO_LOOSE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+)\.?,? (\d{4})", re.ASCII)
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", re.ASCII)
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", re.ASCII)

PRECISION_NOTES = {
    "2": ("~", "ACLED time_precision 2: the source gives an approximate date; ACLED's {raw} is within a few "
               "days of the event, so the day is marked approximate (~)."),
    "3": ("?", "ACLED time_precision 3: the source gives only the month or the year; ACLED's {raw} is kept to "
               "its month, marked uncertain (?), since the month itself may be ACLED's estimate."),
}


@dataclass
class Mapping:
    """Which column holds what.  ``None`` means: the default (see ``DEFAULTS``); ``""``: none."""

    id: str | None = None
    date: str | None = None
    date_format: str | None = None
    precision: str | None = None
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    actors: list[str] | None = None
    actor_separator: str = ";"
    type: str | None = None
    source: str | None = None
    delimiter: str = ","
    corpus_title: str | None = None
    rows_per_document: int = ROWS_PER_DOCUMENT


@dataclass
class CsvImport:
    """What an import did."""

    target: Path
    rows: int = 0
    events: int = 0
    bad_rows: int = 0
    actors: int = 0
    documents: int = 0
    report: Path | None = None
    shown: list[Problem] = field(default_factory=list)  # the first bad rows, for the terminal
    warnings: list[Problem] = field(default_factory=list)  # the first odd cells and headers, for the terminal
    warning_count: int = 0
    columns: dict[str, object] = field(default_factory=dict)  # the mapping as resolved


class BadRowsError(CorpusError):
    """Rows that cannot be imported (without ``skip_bad_rows``): the first of them, and how many in all."""

    def __init__(self, problems: list[Problem], count: int) -> None:
        super().__init__(problems)
        self.count = count


class _BadRow(Exception):
    def __init__(self, column: str, value: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.column, self.value, self.message, self.hint = column, value, message, hint


class _NotUtf8(Exception):
    def __init__(self, offset: int, byte: int, line: int) -> None:
        super().__init__(offset)
        self.offset, self.byte, self.line = offset, byte, line


class _SeenIds:
    """The ids seen so far, as 64-bit digests in an open-addressing table.

    8 to 16 bytes per id instead of the ~80 a set of strings takes, so that a
    million rows are checked for repeated ids in ~16 MB.  Two different ids
    with the same 64-bit digest (about one chance in 10^7 for a million rows)
    would be taken for a repeat: the row is reported, never silently lost.
    """

    def __init__(self, size: int = 1 << 16) -> None:
        self.size = size
        self.table = array("Q", bytes(8 * size))
        self.count = 0

    @staticmethod
    def _digest(key: str) -> int:
        return (hash(key) & 0xFFFF_FFFF_FFFF_FFFF) or 1

    def add(self, key: str) -> bool:
        """Record ``key``; False if it was seen before."""
        h = self._digest(key)
        if not self._insert(h):
            return False
        self.count += 1
        if self.count * 2 > self.size:
            old = self.table
            self.size *= 2
            self.table = array("Q", bytes(8 * self.size))
            for v in old:
                if v:
                    self._insert(v)
        return True

    def _insert(self, h: int) -> bool:
        table, mask = self.table, self.size - 1
        i = h & mask
        while True:
            v = table[i]
            if v == 0:
                table[i] = h
                return True
            if v == h:
                return False
            i = (i + 1) & mask


# -- reading -------------------------------------------------------------------------------------------------


class _Lines:
    """The file's lines, decoded as UTF-8 as they are read; knows how far it has read (bytes)."""

    def __init__(self, handle: BinaryIO, chunk: int = 1 << 20) -> None:
        self.handle = handle
        self.chunk = chunk
        self.read_bytes = 0
        self.lines = 0
        self.row: list[str] = []  # the lines of the row being read (a quoted cell may span several)
        self.odd = False  # a '"' or a NUL byte in them: the row's cells are looked at for warnings

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        rest = ""
        first = True
        consumed = 0  # bytes handed to the decoder so far
        while True:
            block = self.handle.read(self.chunk)
            if first:
                first = False
                if block.startswith(codecs.BOM_UTF8):
                    block = block[3:]
                    consumed = 3
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                # The lines before the bad byte are read first, so that the error names its row.
                data = pending + block
                parts = (rest + data[:exc.start].decode("utf-8", "replace")).split("\n")
                for part in parts[:-1]:
                    self.lines += 1
                    yield part + "\n"
                raise _NotUtf8(consumed - len(pending) + exc.start, data[exc.start], self.lines + 1) from None
            consumed += len(block)
            self.read_bytes = consumed
            if rest:
                text = rest + text
            parts = text.split("\n")
            rest = parts.pop()
            for part in parts:
                self.lines += 1
                self.row.append(part)
                if '"' in part or "\0" in part:
                    self.odd = True
                yield part + "\n"
            if not block:
                break
        if rest:
            self.lines += 1
            self.row.append(rest)
            if '"' in rest or "\0" in rest:
                self.odd = True
            yield rest


# -- dates ----------------------------------------------------------------------------------------------------


def check_date_format(fmt: str | None) -> None:
    """Refuse (:class:`UsageError`) a ``--date-format`` that reads no year: ``%H:%M`` would
    turn "12:30" into the year 1900, strptime's default, for every row without a word."""
    if fmt and not re.search(r"%[YyGcx]", fmt.replace("%%", "")):
        raise UsageError(f"--date-format {fmt!r} reads no year, so every date would be in 1900 (strptime's default); "
                         "give a format with %Y (2019) or %y (19), e.g. %d/%m/%Y")


def _format_precision(fmt: str) -> str:
    """``"day"``, ``"month"`` or ``"year"``: what a strptime format fixes."""
    if re.search(r"%[dj]", fmt):
        return "day"
    if re.search(r"%[mbB]", fmt):
        return "month"
    return "year"


def _day(year: int, month: int, day: int, raw: str) -> str:
    if not 1 <= month <= 12:
        raise _BadRow("", raw, f"{raw!r}: {month} is not a month", "months are 1-12")
    if not 1 <= day <= days_in_month(year, month):
        raise _BadRow("", raw, f"{raw!r} is not a real day", "check the day and the month")
    return date_from_parts(year, month, day)


def parse_date(raw: str, date_format: str | None = None) -> str:
    """An EDTF date for a cell, or :class:`_BadRow` saying why not.

    Tried in turn: ``date_format`` (strptime) when given; ``2019-07-18`` or
    ``2019-7-8``; ``18 July 2019`` and ``July 18, 2019`` (English month names);
    ``18/07/2019`` when the order of day and month is unambiguous; an EDTF date
    as it stands (``2019-07``, ``2019?``, intervals); then python-dateutil, at
    the precision the text gives (a missing day gives a month, a missing month
    a year).  Times of day are dropped: a CSV row is an event of a day.
    """
    if date_format:
        try:
            parsed = datetime.strptime(raw, date_format)
        except ValueError:
            raise _BadRow("", raw, f"{raw!r} does not match --date-format {date_format!r}",
                          "fix the cell, or give the --date-format the column uses") from None
        precision = _format_precision(date_format)
        if precision == "day":
            return date_from_parts(parsed.year, parsed.month, parsed.day)
        if precision == "month":
            return date_from_parts(parsed.year, parsed.month)
        return date_from_parts(parsed.year)
    m = _ISO_LOOSE.fullmatch(raw)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]), raw)
    m = _DAY_MONTH_YEAR.fullmatch(raw)
    if m and m[2].lower() in _MONTHS:
        return _day(int(m[3]), _MONTHS[m[2].lower()], int(m[1]), raw)
    m = _MONTH_DAY_YEAR.fullmatch(raw)
    if m and m[1].lower() in _MONTHS:
        return _day(int(m[3]), _MONTHS[m[1].lower()], int(m[2]), raw)
    m = _NUMERIC.fullmatch(raw)
    if m:
        a, b, year = int(m[1]), int(m[3]), int(m[4])
        if a > 12 and b <= 12:
            return _day(year, b, a, raw)
        if b > 12 and a <= 12:
            return _day(year, a, b, raw)
        if a == b:
            return _day(year, a, a, raw)
        sep = m[2]
        raise _BadRow("", raw, f"{raw!r} is ambiguous: day {a} of month {b}, or month {a} day {b}?",
                      f"give --date-format %d{sep}%m{sep}%Y (day first) or %m{sep}%d{sep}%Y (month first)")
    # The common forms are tried first: the full EDTF parser is slow on what is not EDTF.
    try:
        return parse_edtf(raw).text
    except (YearOutOfRange, ForeignDigits) as exc:  # no other reading of it would be right
        raise _BadRow("", raw, exc.message, exc.hint) from None
    except DateError:
        pass
    odd = next((c for c in raw if c.isdigit() and not c.isascii()), None)
    if odd is not None:
        raise _BadRow("", raw, f"{raw!r} is written in digits other than 0-9 ({odd!r} is U+{ord(odd):04X})",
                      "write the date in the digits 0-9")
    return _dateutil(raw)


def _dateutil(raw: str) -> str:
    from dateutil import parser as dateparser

    try:
        # Two different defaults show which parts the text itself gives.
        one = dateparser.parse(raw, default=datetime(2000, 1, 1))
        two = dateparser.parse(raw, default=datetime(2004, 2, 2))
    except (ValueError, OverflowError, TypeError):
        raise _BadRow("", raw, f"{raw!r} is not a date", "write it as 2019-07-18 (or give --date-format)") from None
    if one.year != two.year:
        raise _BadRow("", raw, f"{raw!r} has no year", "every date needs a year; write it as 2019-07-18")
    if one.month != two.month:
        return date_from_parts(one.year)
    if one.day != two.day:
        return date_from_parts(one.year, one.month)
    return date_from_parts(one.year, one.month, one.day)


def _qualify(date: str, code: str, raw: str) -> tuple[str, str]:
    """Apply ACLED's ``time_precision`` to a date: (EDTF date, date note)."""
    if code in ("", "1"):
        return date, ""
    if code not in PRECISION_NOTES:
        raise _BadRow("", code, f"time_precision {code!r} is not one of ACLED's codes",
                      "use 1 (the day is known), 2 (approximately) or 3 (only the month or year)")
    mark, note = PRECISION_NOTES[code]
    parsed = parse_edtf(date)
    if parsed.interval or parsed.approximate or parsed.uncertain:
        return date, note.format(raw=raw)
    start = parsed.start
    if code == "3" and start is not None and start.month is not None:
        date = date_from_parts(start.year, start.month)
    return date + mark, note.format(raw=raw)


# -- the import --------------------------------------------------------------------------------------------------


def _line(text: str) -> str:
    """A cell on one line (``one_line``), without its cost for the usual cell that needs nothing."""
    if "\n" in text or "\t" in text or "\r" in text or "  " in text or "\x0b" in text or "\x0c" in text:
        return one_line(text)
    return text.strip(" ")



class _Columns:
    """The header, and the index of each column a field takes."""

    def __init__(self, header: list[str], mapping: Mapping, shown: str) -> None:
        self.names = []
        self.twice: list[tuple[int, str, int]] = []  # (column, name, the column that has it first)
        seen: dict[str, int] = {}
        for i, name in enumerate(header):
            name = name.strip()
            if not name:
                name = f"column {i + 1}"
            if name in seen:
                self.twice.append((i + 1, name, seen[name] + 1))
                name = f"{name} (column {i + 1})"
            seen[name] = i
            self.names.append(name)
        self.shown = shown
        lower: dict[str, int] = {}
        for i, name in enumerate(self.names):
            lower.setdefault(name.lower(), i)
        self.lower = lower

        def given(option: str, value: str | None, defaults: tuple[str, ...]) -> int | None:
            if value is None:
                return next((lower[d] for d in defaults if d in lower), None)
            if value == "":
                return None
            return self.find(option, value)

        self.id = given("--id-column", mapping.id, DEFAULTS["id"])
        self.date = given("--date-column", mapping.date, DEFAULTS["date"])
        if self.date is None:
            raise UsageError(f"{shown}: no date column found (looked for {', '.join(DEFAULTS['date'])}); "
                             f"give --date-column (the columns are: {self._list()})")
        self.precision = given("--precision-column", mapping.precision, DEFAULTS["precision"])
        self.title = given("--title-column", mapping.title, DEFAULTS["title"])
        self.notes = given("--notes-column", mapping.notes, DEFAULTS["notes"])
        self.summary = self.notes if mapping.summary is None else given("--summary-column", mapping.summary, ())
        self.type = given("--type-column", mapping.type, DEFAULTS["type"])
        self.source = given("--source-column", mapping.source, DEFAULTS["source"])
        if mapping.actors is None:
            acled = [lower[a] for a in ACLED_ACTORS if a in lower]
            self.actors = acled or [lower[a] for a in OTHER_ACTORS if a in lower][:1]
        else:
            self.actors = [self.find("--actor-column", a) for a in mapping.actors if a != ""]
        self.what = [lower[c] for c in TITLE_WHAT if c in lower][:1]
        self.who = [lower[c] for c in TITLE_WHO if c in lower]
        self.where = [lower[c] for c in TITLE_WHERE if c in lower]
        self.toll = lower.get(TITLE_TOLL)
        used = {self.id, self.date, self.precision, self.title, self.notes, self.summary, self.type, self.source,
                *self.actors}
        self.extra = [i for i in range(len(self.names)) if i not in used]

    def _list(self) -> str:
        names = ", ".join(self.names[:40])
        return names + (", …" if len(self.names) > 40 else "")

    def find(self, option: str, name: str) -> int:
        if name in self.names:
            return self.names.index(name)
        if name.lower() in self.lower:
            return self.lower[name.lower()]
        close = difflib.get_close_matches(name, self.names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (the columns are: {self._list()})"
        raise UsageError(f"{option}: {self.shown} has no column {name!r}{hint}")

    def name(self, index: int | None) -> str:
        return self.names[index] if index is not None else ""

    def describe(self) -> dict[str, object]:
        def n(i):
            return self.names[i] if i is not None else None
        return {"id": n(self.id), "date": n(self.date), "precision": n(self.precision), "title": n(self.title),
                "summary": n(self.summary), "notes": n(self.notes), "actors": [self.names[i] for i in self.actors],
                "type": n(self.type), "source": n(self.source)}


class _Documents:
    """The notes of the rows, appended to one set of documents per source, a few hundred rows each."""

    def __init__(self, builder: FolderBuilder, per_document: int, file_name: str) -> None:
        self.builder = builder
        self.per = max(1, per_document)
        self.file_name = file_name
        self.sources: dict[str, list] = {}  # source -> [slug, rows so far]
        self.slugs: set[str] = set()
        self.pending: dict[str, list[str]] = {}  # path -> entries
        self.pending_chars = 0

    def add(self, source: str, header: str, text: str) -> str:
        """Queue a row's entry; return the id of the document it goes into."""
        info = self.sources.get(source)
        if info is None:
            slug = unique(slugify(source, 40) or ("no-source" if not source else "source"), self.slugs)
            info = self.sources[source] = [slug, 0]
        part = info[1] // self.per + 1
        info[1] += 1
        doc_id = f"{info[0]}.{part}"
        entry = f"{header}{text}\n\n"
        self.pending.setdefault(doc_id, []).append(entry)
        self.pending_chars += len(entry)
        if self.pending_chars > _PENDING_CHARS:
            self.flush()
        return doc_id

    def flush(self) -> None:
        for doc_id, entries in self.pending.items():
            with open(self.builder.path(f"notes/{doc_id}.txt"), "ab") as handle:
                handle.write("".join(entries).encode("utf-8"))
        self.pending.clear()
        self.pending_chars = 0

    def records(self) -> Iterator[dict]:
        for source, (slug, count) in self.sources.items():
            parts = (count + self.per - 1) // self.per
            for part in range(1, parts + 1):
                label = source or "no source"
                title = f"{self.file_name}: notes of the rows from {label}"
                if parts > 1:
                    title += f" (part {part} of {parts})"
                record = {"id": f"{slug}.{part}", "path": f"notes/{slug}.{part}.txt", "title": title,
                          "note": f"The notes column of {self.file_name}, one entry per row under a line naming "
                                  "the row; written by timeline-explorer import csv."}
                if source:
                    record["outlet"] = source
                yield record


Progress = Callable[[int, int, int], None]  # (bytes read, total bytes, rows)


def import_csv(source: str | os.PathLike[str], target: str | os.PathLike[str], mapping: Mapping | None = None, *,
               force: bool = False, skip_bad_rows: bool = False, report: str | os.PathLike[str] | None = None,
               progress: Progress | None = None) -> CsvImport:
    """Import a CSV table of events into a new corpus folder ``target``, streamed.

    Raises :class:`CorpusError` (bad rows without ``skip_bad_rows``, a file
    that is not UTF-8 or has no header: nothing is written),
    :class:`UsageError` (a column option names no column) or
    ``OutputError`` (the folder cannot be written).
    """
    check_date_format((mapping or Mapping()).date_format)
    if report is not None:
        # Checked before anything is read: a report never replaces the table itself, a link, a
        # device or the marks and notes, nor an existing file unless ``force``.
        try:
            check_output(report, force=force, protected={Path(source): "the table being imported"})
        except OutputRefused as exc:
            raise OutputError(f"{exc.message} ({exc.hint})", path=report) from None
    with FolderBuilder(target, force=force, protect=[Path(source)]) as builder:
        result = write_corpus(source, builder, mapping, skip_bad_rows=skip_bad_rows, progress=progress)
        result.target = Path(target)
        if result.bad_rows:
            report_tmp = builder.tmp / REPORT_FILE
            if report is not None:
                from .atomic import atomic_writer

                with open(report_tmp, "rb") as src, atomic_writer(report) as dst:
                    shutil.copyfileobj(src, dst)
                report_tmp.unlink()
                result.report = Path(report)
            else:
                result.report = Path(target) / REPORT_FILE
        builder.commit()
    return result


def write_corpus(source: str | os.PathLike[str], builder: FolderBuilder, mapping: Mapping | None = None, *,
                 skip_bad_rows: bool = False, progress: Progress | None = None) -> CsvImport:
    """Write the corpus of a CSV table into a folder being built (``import_csv`` and opening a table directly).

    Bad rows raise :class:`BadRowsError` unless ``skip_bad_rows``; then they
    are listed in ``import-report.csv`` inside the folder.
    """
    mapping = mapping or Mapping()
    check_date_format(mapping.date_format)
    path = Path(source)
    try:
        handle = open_regular(path)  # a table of any size: it is streamed
        total = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise CorpusError([Problem(str(path), "", f"cannot be read: {exc.strerror or exc}",
                                   getattr(exc, "hint", "check the path and its permissions"), code="io")]) from None
    result = CsvImport(builder.target)
    with handle:
        _Import(path, handle, total, builder, mapping, result, skip_bad_rows, progress).run()
    if result.bad_rows and not skip_bad_rows:
        raise BadRowsError(list(result.shown), result.bad_rows)
    return result


class _Import:
    def __init__(self, path: Path, handle: BinaryIO, total: int, builder: FolderBuilder, mapping: Mapping,
                 result: CsvImport, skip: bool, progress: Progress | None) -> None:
        self.path, self.handle, self.total, self.builder = path, handle, total, builder
        self.mapping, self.result, self.skip, self.progress = mapping, result, skip, progress
        self.shown = str(path)
        self.report_handle = None
        self.report_writer = None

    def warn(self, row: int, line: int, column: str, message: str, hint: str) -> None:
        self.result.warning_count += 1
        if len(self.result.warnings) < _SHOWN_PROBLEMS:
            where = f"row {row}" + (f", {column}" if column else "")
            self.result.warnings.append(Problem(self.shown, where, message, hint, line, "warning", "csv"))

    def odd_cells(self, cells: list[str], raw: str, names: list[str], row: int, line: int) -> None:
        """Warn of a NUL byte in a cell, and of a '"' in a cell that is not in quotes (kept as text:
        the csv module reads ``5" gun`` as it stands, though a quote belongs only around a cell)."""
        for i, cell in enumerate(cells):
            column = f"column {names[i]!r}" if i < len(names) else f"column {i + 1}"
            if "\0" in cell:
                self.warn(row, line, column, "the cell holds a NUL byte (U+0000), kept as it stands",
                          "remove it: a NUL is no text (a binary file, or a broken export?)")
            if '"' in cell and '"' + cell.replace('"', '""') + '"' not in raw:
                self.warn(row, line, column, f"a stray '\"' in a cell that is not in quotes: {cell[:60]!r}, "
                          "kept as text", 'put the cell in double quotes and double the quote inside it (5"" gun)')

    def problem(self, row: int, line: int, column: str, value: str, message: str, hint: str) -> None:
        self.result.bad_rows += 1
        if len(self.result.shown) < _SHOWN_PROBLEMS:
            where = f"row {row}" + (f", column {column!r}" if column else "")
            self.result.shown.append(Problem(self.shown, where, message, hint, line, "error", "csv"))
        if self.report_writer is None:
            self.report_handle = open(self.builder.tmp / REPORT_FILE, "w", encoding="utf-8", newline="")
            self.report_writer = csv.writer(self.report_handle)
            self.report_writer.writerow(REPORT_COLUMNS)
        self.report_writer.writerow([row, line, column, value, message, hint])

    def run(self) -> None:
        csv.field_size_limit(max(csv.field_size_limit(), 64 << 20))
        lines = _Lines(self.handle)
        # strict: a stray quote or a quote left open at the end is an error, not a silently merged row.
        reader = csv.reader(lines, delimiter=self.mapping.delimiter, strict=True)
        try:
            self._rows(reader, lines)
        except _NotUtf8 as exc:
            raise CorpusError([Problem(
                self.shown, f"row {self.rows_read + 1}" if self.rows_read else "",
                f"is not UTF-8: byte 0x{exc.byte:02x} at byte offset {exc.offset}",
                f"save the file as UTF-8 (for example: iconv -f windows-1252 -t utf-8 {self.path.name} > utf8.csv)",
                exc.line, "error", "encoding")]) from None
        finally:
            if self.report_handle is not None:
                self.report_handle.close()

    rows_read = 0

    def _rows(self, reader, lines: _Lines) -> None:
        result, mapping = self.result, self.mapping
        try:
            header = next(reader)
        except StopIteration:
            raise CorpusError([Problem(self.shown, "", "the file is empty", "a CSV file starts with a header row naming its columns",
                                       None, "error", "csv")]) from None
        except csv.Error as exc:
            raise CorpusError([Problem(self.shown, "row 1", f"the header row cannot be read: {exc}", "check the file's quoting",
                                       1, "error", "csv")]) from None
        self.rows_read = 1
        cols = _Columns(header, mapping, self.shown)
        for column, name, first in cols.twice:
            self.warn(1, 1, f"column {column}", f"the column name {name!r} is column {first}'s too: options and "
                      f"defaults take column {first}; this one is imported as {name + f' (column {column})'!r}",
                      "give each column a name of its own in the header")
        lines.odd = False
        lines.row.clear()
        result.columns = cols.describe()
        width = len(header)
        file_name = self.path.name
        documents = _Documents(self.builder, mapping.rows_per_document, file_name)
        actors: dict[str, str] = {}  # name -> id
        actor_ids: set[str] = set()
        ids = _SeenIds()
        date_cache: dict[tuple[str, str], tuple[str, str]] = {}
        names = cols.names
        separator = mapping.actor_separator
        id_pattern = re.compile(schema.ID_PATTERN)
        progress, total = self.progress, self.total
        title = mapping.corpus_title or f"{self.path.stem} (imported from {file_name})"
        description = f"Imported from {file_name} by timeline-explorer import csv: one event per row."
        extra = {"csv": {"file": file_name, "columns": cols.names, "mapping": cols.describe()}}
        with open(self.builder.path("corpus.json"), "wb", buffering=1 << 20) as out:
            writer = CorpusJsonWriter(out, title=title, description=description, extra=extra)
            with writer.section("events") as add:
                row_number = 1
                line_start = lines.lines + 1
                while True:
                    try:
                        cells = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:
                        lines.row.clear()
                        lines.odd = False
                        row_number += 1
                        self.rows_read = row_number
                        self.problem(row_number, line_start, "", "", f"the row cannot be read: {exc}",
                                     'check its quoting: a field with a comma, quote or line break must be in double '
                                     'quotes, and a quote inside it doubled ("")')
                        line_start = lines.lines + 1
                        continue
                    row_number += 1
                    self.rows_read = row_number
                    line = line_start
                    line_start = lines.lines + 1
                    if lines.odd:
                        self.odd_cells(cells, "\n".join(lines.row), names, row_number, line)
                        lines.odd = False
                    lines.row.clear()
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue  # a blank line: a row (as a spreadsheet counts them) without an event
                    result.rows += 1
                    if progress is not None and result.rows % 2000 == 0:
                        progress(lines.read_bytes, total, result.rows)
                    if len(cells) != width:
                        self.problem(row_number, line, "", "", f"the row has {len(cells)} cells, the header has {width}",
                                     "check its quoting: a field with a comma must be in double quotes")
                        continue
                    try:
                        record = self.event(cells, cols, row_number, date_cache, id_pattern, ids)
                    except _BadRow as bad:
                        self.problem(row_number, line, bad.column, bad.value, bad.message, bad.hint)
                        continue
                    # Actors, documents: only for rows that made an event.
                    event_actors = []
                    for index in cols.actors:
                        cell = cells[index]
                        if not cell:
                            continue
                        for name in (cell.split(separator) if separator else [cell]):
                            name = _line(name)
                            if not name:
                                continue
                            aid = actors.get(name)
                            if aid is None:
                                aid = actors[name] = unique(slugify(name) or f"actor-{len(actors) + 1}", actor_ids)
                            if aid not in event_actors:
                                event_actors.append(aid)
                    if event_actors:
                        record["actors"] = event_actors
                    notes = cells[cols.notes].strip() if cols.notes is not None else ""
                    if not notes:  # nothing to quote: the row's own cells, so that the event stays traceable
                        notes = "\n".join(f"{names[i]}: {_line(c)}" for i, c in enumerate(cells) if c.strip())
                    source = _line(cells[cols.source]) if cols.source is not None else ""
                    header_line = f"Row {row_number} ({record['id']})\n"
                    doc_id = documents.add(source, header_line, notes)
                    record["quotes"] = [{"doc": doc_id, "exact": notes, "prefix": header_line}]
                    add(record)
                    result.events += 1
            documents.flush()
            writer.write_section("actors", ({"id": aid, "name": name} for name, aid in actors.items()))
            writer.write_section("documents", documents.records())
            writer.close()
            result.actors = len(actors)
            result.documents = writer.count.get("documents", 0)
        if progress is not None:
            progress(lines.read_bytes, total, result.rows)

    def event(self, cells: list[str], cols: _Columns, row: int, date_cache: dict, id_pattern, ids: _SeenIds) -> dict:
        raw_date = cells[cols.date].strip()
        code = cells[cols.precision].strip() if cols.precision is not None else ""
        key = (raw_date, code)
        dated = date_cache.get(key)
        if dated is None:
            if not raw_date:
                raise _BadRow(cols.name(cols.date), "", "the date is empty", "fill it in (every event needs a date)")
            try:
                date = parse_date(raw_date, self.mapping.date_format)
            except _BadRow as bad:
                raise _BadRow(cols.name(cols.date), raw_date, bad.message, bad.hint) from None
            try:
                dated = _qualify(date, code, raw_date)
            except _BadRow as bad:
                raise _BadRow(cols.name(cols.precision), code, bad.message, bad.hint) from None
            if len(date_cache) > 20_000:
                date_cache.clear()
            date_cache[key] = dated
        date, date_note = dated
        raw_id = cells[cols.id].strip() if cols.id is not None else ""
        if raw_id and not id_pattern.fullmatch(raw_id):
            raw_id = re.sub(r"[^A-Za-z0-9_.:-]+", "-", raw_id).strip("-._:")[:120]
        event_id = raw_id or f"row-{row}"
        if not ids.add(event_id):
            raise _BadRow(cols.name(cols.id), raw_id or "", f"the id {event_id!r} is already used by an earlier row",
                          "give every row its own id (a repeated row is often a duplicate: remove it)")
        title = _line(cells[cols.title]) if cols.title is not None else ""
        if not title:
            title = self.built_title(cells, cols) or (
                title_of_text(cells[cols.summary]) if cols.summary is not None else "") or f"Row {row}"
        record: dict = {"id": event_id, "date": date, "title": title}
        summary = cells[cols.summary].strip() if cols.summary is not None else ""
        if summary:
            record["summary"] = summary
        if cols.type is not None and cells[cols.type].strip():
            record["type"] = _line(cells[cols.type])
        if date_note:
            record["date_note"] = date_note
        extra = {cols.names[i]: cells[i] for i in cols.extra if cells[i] != ""}
        record["note"] = f"{self.path.name}, row {row}."
        if extra:
            record["extra"] = {"csv": extra}
        return record

    @staticmethod
    def built_title(cells: list[str], cols: _Columns) -> str:
        """'Peaceful protest: Protesters (Chile) in Santiago, Metropolitana, Chile (2 fatalities)'."""
        what = next((_line(cells[i]) for i in cols.what if cells[i].strip()), "")
        who = [_line(cells[i]) for i in cols.who if cells[i].strip()]
        where: list[str] = []
        for i in cols.where:
            place = _line(cells[i])
            if place and place not in where:
                where.append(place)
        body = " and ".join(who)
        if where:
            body = f"{body} in {', '.join(where)}" if body else f"in {', '.join(where)}"
        text = f"{what}: {body}" if what and body else (what or body)
        if not text:
            return ""
        if cols.toll is not None:
            try:
                toll = int(cells[cols.toll].strip() or 0)
            except ValueError:
                toll = 0
            if toll > 0:
                text += f" ({toll} {'fatality' if toll == 1 else 'fatalities'})"
        return one_line(text)

