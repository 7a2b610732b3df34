"""The ``timeline-corpus/1`` file format: one definition of its records.

These msgspec structs are, at once, the decoder of ``corpus.json`` (straight
into typed records), the structural validator (with ``$.events[3].date``-style
error paths) and the source of the JSON Schema shipped in
``docs/corpus.schema.json`` (``timeline-explorer schema`` prints it; a test
keeps the shipped copy equal to what this module generates).

Checks the schema cannot express (references between records, dates that are
EDTF, quotes that occur exactly once in their document) live in ``loader``.
"""

from typing import Annotated, Any, Literal

import msgspec

FORMAT = "timeline-corpus/1"

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"
Id = Annotated[
    str,
    msgspec.Meta(
        pattern=ID_PATTERN,
        description="An identifier: a letter or digit, then letters, digits, '_', '.', ':' or '-' (at most 128).",
    ),
]
# References to ids are checked against the records they name (an unknown
# reference is an error with a did-you-mean), so they need no pattern here.
Ref = Annotated[str, msgspec.Meta(min_length=1, description="The id of another record.")]
Text = Annotated[str, msgspec.Meta(min_length=1, description="Non-empty text.")]
Extra = Annotated[
    dict[str, Any],
    msgspec.Meta(description=(
        "Data from another tool, kept as it is and written back by exports to that tool "
        "(for example the original TimelineJS slide under \"timelinejs\"); the explorer shows none of it."
    )),
]
EDTFString = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        description=(
            "An EDTF date (Library of Congress Extended Date/Time Format): 2019, 2019-07, "
            "2019-07-18, with ~ (approximate) or ? (uncertain), an interval 2018-11/2019-01, "
            "open or unknown ends (2017-04/.., 2017/), long years (Y-13800000000)."
        ),
        examples=["2019-07-18", "2019-07~", "2019?", "2018-11/2019-01", "2017-04/..", "Y-13800000000"],
    ),
]

ActorKind = Literal["state", "person", "organisation", "coalition", "group", "other"]
ACTOR_KINDS: tuple[str, ...] = ActorKind.__args__  # type: ignore[attr-defined]


class Selector(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A passage of a document, as a W3C TextQuoteSelector.

    ``exact`` is the passage, character for character; ``prefix`` and
    ``suffix`` are the text immediately before and after it, needed only when
    ``exact`` occurs more than once in the document.
    """

    exact: Text
    prefix: str = ""
    suffix: str = ""
    type: Literal["TextQuoteSelector"] | None = None


class Exclusion(Selector, forbid_unknown_fields=True, omit_defaults=True):
    """A passage that is not citable: site boilerplate, captions, reader comments."""

    reason: str = ""


class Quote(Selector, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A verbatim passage of one document of the corpus."""

    doc: Ref


class Statement(Quote, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """One source's version in a claim: a quote, optionally with a short label of its position."""

    value: str = ""


class Document(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: Id
    path: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            description="Relative to the corpus folder, with '/' separators; never outside the folder.",
        ),
    ]
    title: str = ""
    outlet: str = ""
    published: EDTFString | None = None
    url: str = ""
    note: str = ""
    exclude: list[Exclusion] = []
    accessed: Annotated[
        EDTFString,
        msgspec.Meta(description="When the copy was retrieved (an EDTF date, usually a day): cited as the "
                                 "reference's accessed date in the CSL-JSON and BibTeX exports."),
    ] | None = None


class Actor(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: Id
    name: Text
    kind: ActorKind = "other"
    aliases: list[Text] = []
    members: list[Ref] = []
    affiliation: Ref | None = None
    note: str = ""


class Event(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: Id
    date: EDTFString
    title: Text
    summary: str = ""
    type: str = ""
    tags: list[Text] = []
    actors: list[Ref] = []
    quotes: list[Quote] = []
    date_note: str = ""
    draft: bool = False
    confidence: Annotated[float, msgspec.Meta(ge=0, le=1)] | None = None
    note: str = ""
    extra: Extra = {}


class Claim(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: Id
    about: Text
    statements: Annotated[list[Statement], msgspec.Meta(min_length=1)]
    events: list[Ref] = []


class Period(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A named span shown on the timeline (TimelineJS calls them eras)."""

    id: Id
    title: Text
    date: EDTFString


class CorpusFile(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The whole ``corpus.json``."""

    format: Literal["timeline-corpus/1"]
    title: Text
    description: str = ""
    documents: list[Document] = []
    actors: list[Actor] = []
    events: list[Event] = []
    claims: list[Claim] = []
    periods: list[Period] = []
    extra: Extra = {}


# The sections of a corpus file and the record type of each, in file order.
SECTIONS: dict[str, type[msgspec.Struct]] = {
    "documents": Document,
    "actors": Actor,
    "events": Event,
    "claims": Claim,
    "periods": Period,
}


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of ``corpus.json``, generated from the structs."""
    schema = msgspec.json.schema(CorpusFile)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://timeline-explorer.invalid/schema/timeline-corpus-1.json",
        "title": "timeline-corpus/1",
        "description": "A corpus for Timeline Explorer: documents, actors, events with verbatim quotes, claims.",
        **schema,
    }
    return schema


# -- the lean decoding of large corpora ------------------------------------------
#
# Derived from the definitions above, not written twice: the same events,
# with their quotes kept as undecoded JSON (``msgspec.Raw``, a slice of the
# file) and without per-string constraints.  Opening a million events then
# creates no object per quote; a quote list is decoded, with the full
# ``Quote`` definition and its checks, when its event is first shown or when
# the corpus is verified.

RAW_EMPTY_LIST = msgspec.Raw(b"[]")


def _plain(tp: object) -> object:
    """A field type without its regex constraints (recursively for lists and unions).

    Patterns are the costly check (a regex per string); the loader checks ids
    itself when it verifies the corpus.  Lengths and ranges stay.
    """
    import typing

    origin = typing.get_origin(tp)
    if origin is Annotated:
        base, *metas = typing.get_args(tp)
        if any(getattr(m, "pattern", None) for m in metas):
            return _plain(base)
        return tp
    if origin is list:
        return list[_plain(typing.get_args(tp)[0])]  # type: ignore[misc]
    if origin in (typing.Union, __import__("types").UnionType):
        args = tuple(_plain(a) for a in typing.get_args(tp))
        return typing.Union[args]  # type: ignore[return-value]
    return tp


def _lean_event_type() -> type[msgspec.Struct]:
    import typing

    hints = typing.get_type_hints(Event, include_extras=True)
    info = msgspec.structs.fields(Event)
    fields = []
    for f in info:
        if f.name == "quotes":
            fields.append(("quotes", msgspec.Raw, RAW_EMPTY_LIST))
        elif f.required:
            fields.append((f.name, _plain(hints[f.name])))
        else:
            default = f.default if f.default is not msgspec.NODEFAULT else msgspec.field(default_factory=f.default_factory)
            fields.append((f.name, _plain(hints[f.name]), default))
    return msgspec.defstruct("LeanEvent", fields, forbid_unknown_fields=True)


LeanEvent = _lean_event_type()


class LeanCorpusFile(msgspec.Struct, forbid_unknown_fields=True):
    """``corpus.json`` with lean events (see ``LeanEvent``)."""

    format: Literal["timeline-corpus/1"]
    title: Text
    description: str = ""
    documents: list[Document] = []
    actors: list[Actor] = []
    events: list[LeanEvent] = []  # type: ignore[valid-type]
    claims: list[Claim] = []
    periods: list[Period] = []
    extra: Extra = {}


# -- the raw decoding of a corpus ------------------------------------------------
#
# The fastest open keeps every event record as its raw JSON (a slice of the
# file, decoded as a ``LeanEvent`` when the event is shown) and decodes, for
# the indexes, only the fields below.  The records are still checked in full
# (as ``LeanEvent``s, chunk by chunk, the decoded chunks dropped): an open
# never shows a corpus whose records have not all passed.


class EventKeys(msgspec.Struct):
    """The fields of an event that order and index the timeline; the others are skipped here."""

    id: str
    date: str
    actors: list[str] = []
    type: str = ""
    date_note: str = ""


class EventDate(msgspec.Struct):
    """An event's date alone: what finds the first events of the timeline (see ``loader``)."""

    date: str


class DatesCorpusFile(msgspec.Struct):
    """``corpus.json`` read for its events' dates only."""

    events: list[EventDate] = []


class EventId(msgspec.Struct):
    """An event's id alone."""

    id: str


def _raw_events_file() -> type[msgspec.Struct]:
    fields = []
    for f in msgspec.structs.fields(LeanCorpusFile):
        if f.name == "events":
            fields.append(("events", list[msgspec.Raw], msgspec.field(default_factory=list)))
        elif f.required:
            fields.append((f.name, f.type))
        else:
            default = f.default if f.default is not msgspec.NODEFAULT else msgspec.field(default_factory=f.default_factory)
            fields.append((f.name, f.type, default))
    return msgspec.defstruct("RawEventsCorpusFile", fields, forbid_unknown_fields=True)


# ``corpus.json`` with each event kept as its raw JSON; everything else decoded and checked.
RawEventsCorpusFile = _raw_events_file()
