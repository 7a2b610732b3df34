"""How well ``extract`` finds the curated events of the seed corpus: precision and recall.

    python tests/extract_eval.py            # with the seed corpus as --corpus (actors, excluded passages)
    python tests/extract_eval.py --bare     # without it: no actors, no exclusions, no merging

The five seed documents are extracted with the publication dates the seed
corpus records for them (one to the day, three only to the month, and one,
known only to be of 2019 after 21 August, as the year 2019: the plain date
``extract --published`` takes that covers it), exactly as the command line
would (same model functions), and the candidates are compared with the
curated events.

**Matching.** A candidate matches a curated event when (1) their dates
overlap (the spans of instants the two EDTF dates denote intersect, so
``2019-01-01/2019-08`` matches ``2019`` and ``2018-11~`` matches
``2018-11``) and (2) one of the candidate's quotes overlaps one of the
event's quotes: same document, and their character ranges share at least
one character.

* precision = candidates that match at least one curated event / candidates
* recall = curated events matched by at least one candidate / curated events
* quote precision = candidate quotes (each sentence proposed, before merging)
  that overlap a quote of a curated event with an overlapping date / quotes

Four events are required to be found with their exact curated date (same
EDTF string): the July 8 statement, the July 12 letter, the July 18
withdrawal and the Western envoys' letter.  tests/test_extract.py keeps
them, and floors under precision and recall.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from tui.model.anchoring import resolve  # noqa: E402
from tui.model.dates import parse_edtf  # noqa: E402
from tui.model.extract import Source, extract, publication  # noqa: E402
from tui.model.loader import load_corpus  # noqa: E402

SEEDS = REPO / "seeds"
REQUIRED = ("july-8-statement", "july-12-letter", "qatar-withdraws-july-18", "envoys-letter-to-chen-quanguo")


@dataclass
class Evaluation:
    candidates: list[dict]
    curated: list[str]
    matches: dict[str, list[str]]  # candidate id -> curated event ids it matches
    found_by: dict[str, list[str]]  # curated event id -> candidate ids
    quotes: int
    quotes_matching: int
    required: dict[str, list[str]] = field(default_factory=dict)  # required id -> candidates with the exact date

    @property
    def precision(self) -> float:
        return sum(1 for m in self.matches.values() if m) / len(self.candidates) if self.candidates else 0.0

    @property
    def recall(self) -> float:
        return sum(1 for f in self.found_by.values() if f) / len(self.curated) if self.curated else 0.0

    @property
    def quote_precision(self) -> float:
        return self.quotes_matching / self.quotes if self.quotes else 0.0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _dates_overlap(a: str, b: str) -> bool:
    x, y = parse_edtf(a), parse_edtf(b)
    return x.lower <= y.upper and y.lower <= x.upper


def _plain(published) -> str:
    """A document's publication date as ``extract --published`` takes it: the date itself, or
    for an interval (``2019-08-21/2019``) the month or year that covers both its ends."""
    if not published.interval:
        return published.text
    start, end = published.start, published.end
    if start is None or end is None or start.year != end.year:
        raise ValueError(f"no plain date covers {published.text!r}")
    if start.month is not None and start.month == end.month:
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def evaluate(seeds: Path = SEEDS, *, use_corpus: bool = True) -> Evaluation:
    corpus = load_corpus(seeds)
    docs = list(corpus.documents.values())
    sources = [Source(d.path, d.text, publication(_plain(d.published), require_day=False), d.file, d.file.read_bytes())
               for d in docs]
    draft = extract(sources, corpus if use_corpus else None)
    # Draft documents are the seed documents, in order: map ids across.
    seed_of = {dd.id: doc.id for dd, doc in zip(draft.documents, docs)}
    text_of = {doc.id: doc.text for doc in docs}

    def spans(quotes, doc_key) -> list[tuple[str, tuple[int, int]]]:
        out = []
        for q in quotes:
            doc = doc_key(q)
            out.append((doc, resolve(text_of[doc], q["exact"], q.get("prefix", ""), q.get("suffix", ""))))
        return out

    curated = {e.id: (e.date.text, [(q.document.id, (q.start, q.end)) for q in e.quotes]) for e in corpus.events}
    matches: dict[str, list[str]] = {}
    found_by: dict[str, list[str]] = {e: [] for e in curated}
    required: dict[str, list[str]] = {e: [] for e in REQUIRED}
    quotes = quotes_matching = 0
    for cand in draft.events:
        cand_spans = spans(cand["quotes"], lambda q: seed_of[q["doc"]])
        hits = []
        for event_id, (event_date, event_spans) in curated.items():
            if not _dates_overlap(cand["date"], event_date):
                continue
            if any(d1 == d2 and _overlap(s1, s2) for d1, s1 in cand_spans for d2, s2 in event_spans):
                hits.append(event_id)
                found_by[event_id].append(cand["id"])
                if event_id in required and cand["date"] == event_date:
                    required[event_id].append(cand["id"])
        matches[cand["id"]] = hits
        for d1, s1 in cand_spans:
            quotes += 1
            if any(_dates_overlap(cand["date"], event_date) and any(d1 == d2 and _overlap(s1, s2) for d2, s2 in event_spans)
                   for event_date, event_spans in curated.values()):
                quotes_matching += 1
    return Evaluation(draft.events, list(curated), matches, found_by, quotes, quotes_matching, required)


def report(ev: Evaluation, out=sys.stdout) -> None:
    write = out.write
    write(f"candidates: {len(ev.candidates)}; curated events: {len(ev.curated)}\n")
    write(f"precision: {ev.precision:.2f} ({sum(1 for m in ev.matches.values() if m)}/{len(ev.candidates)})\n")
    write(f"recall:    {ev.recall:.2f} ({sum(1 for f in ev.found_by.values() if f)}/{len(ev.curated)})\n")
    write(f"quote precision: {ev.quote_precision:.2f} ({ev.quotes_matching}/{ev.quotes})\n\n")
    write("curated events:\n")
    for event_id, cands in ev.found_by.items():
        mark = "found " if cands else "MISSED"
        need = " (required: exact date " + ("ok" if ev.required[event_id] else "NOT MET") + ")" if event_id in ev.required else ""
        write(f"  {mark} {event_id}{need}\n")
    write("\ncandidates:\n")
    for cand in ev.candidates:
        hits = ev.matches[cand["id"]]
        write(f"  {'ok' if hits else '--'} {cand['date']:<16} {cand['confidence']:.2f} {cand['title'][:60]}"
              f"{'  -> ' + ', '.join(hits) if hits else ''}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall of extract on the seed corpus.")
    parser.add_argument("--bare", action="store_true", help="without the seed corpus's actors and excluded passages")
    args = parser.parse_args(argv)
    ev = evaluate(use_corpus=not args.bare)
    report(ev)
    return 0 if all(ev.required.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
