"""The model of Timeline Explorer: documents, actors, events, dates, quotes, queries.

Nothing in this package imports Textual (a test checks it), so it serves the
command line, the exporters and any other front end alike.
"""

from .corpus import Actor, Claim, Corpus, Document, Event, Period, Query, Quote, Statement
from .dates import DateError, EDTFDate, parse_edtf
from .errors import CorpusError, Problem
from .loader import load_corpus

__all__ = [
    "Actor",
    "Claim",
    "Corpus",
    "CorpusError",
    "DateError",
    "Document",
    "EDTFDate",
    "Event",
    "Period",
    "Problem",
    "Query",
    "Quote",
    "Statement",
    "load_corpus",
    "parse_edtf",
]
