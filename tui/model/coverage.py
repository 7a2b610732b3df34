"""Which source reports which event: the coverage matrix of a selection.

Rows are events, columns documents; a cell holds the indexes of the event's
quotes from that document (empty: the document does not report the event).
Columns are the documents cited by the selected events, oldest publication
first (undated ones last, by title); for a selection too large to walk
(more than ``WALK_LIMIT`` events), every document of the corpus.  Rows are
looked up when drawn, so the matrix of a million events costs only what is
on screen; sorting by anything but date walks the selection and is offered
up to ``WALK_LIMIT`` events.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .corpus import Corpus, Document, Event

__all__ = ["WALK_LIMIT", "Coverage", "SORTS"]

WALK_LIMIT = 50_000
SORTS = ("date", "sources", "document")


def _doc_key(d: Document) -> tuple:
    lower = d.published.lower if d.published is not None else math.inf
    return (lower, (d.title or d.path).casefold(), d.id)


@dataclass
class Coverage:
    corpus: Corpus
    positions: Sequence[int]  # rows, in the current order
    documents: list[Document]  # columns
    sort: str = "date"
    sort_document: str | None = None  # for sort == "document"

    @classmethod
    def of(cls, corpus: Corpus, selection: Sequence[int]) -> Coverage:
        if len(selection) <= WALK_LIMIT:
            cited: dict[str, Document] = {}
            for p in selection:
                for q in corpus.event(p).quotes:
                    cited.setdefault(q.document.id, q.document)
            documents = sorted(cited.values(), key=_doc_key)
        else:
            documents = sorted(corpus.documents.values(), key=_doc_key)
        return cls(corpus, selection, documents)

    @property
    def walkable(self) -> bool:
        return len(self.positions) <= WALK_LIMIT

    def event(self, row: int) -> Event:
        return self.corpus.event(self.positions[row])

    def cell(self, row: int, column: int) -> list[int]:
        """Indexes (in the event's quote list) of the event's quotes from the column's document."""
        doc = self.documents[column]
        return [i for i, q in enumerate(self.event(row).quotes) if q.document is doc]

    def column_of(self, doc_id: str) -> int | None:
        for i, d in enumerate(self.documents):
            if d.id == doc_id:
                return i
        return None

    def sorted_by(self, sort: str, document: Document | None = None) -> Coverage:
        """The same matrix with its rows in another order (date: timeline order)."""
        if sort not in SORTS:
            raise ValueError(sort)
        positions = sorted(self.positions)
        if sort == "sources":
            positions.sort(key=lambda p: -self.corpus.event(p).source_count)
        elif sort == "document" and document is not None:
            positions.sort(key=lambda p: not any(q.document is document for q in self.corpus.event(p).quotes))
        return Coverage(self.corpus, positions, self.documents, sort,
                        document.id if document is not None and sort == "document" else None)

    def events_of(self, column: int) -> list[int]:
        """Rows whose event the column's document reports, in the current order."""
        doc = self.documents[column]
        return [row for row, p in enumerate(self.positions)
                if any(q.document is doc for q in self.corpus.event(p).quotes)]

    def counts(self) -> list[int]:
        """For each column, how many of the rows its document reports (walks the selection)."""
        index = {d.id: i for i, d in enumerate(self.documents)}
        counts = [0] * len(self.documents)
        for p in self.positions:
            for doc_id in {q.document.id for q in self.corpus.event(p).quotes}:
                i = index.get(doc_id)
                if i is not None:
                    counts[i] += 1
        return counts
