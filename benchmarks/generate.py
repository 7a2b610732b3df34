"""Write a synthetic but valid ``timeline-corpus/1`` corpus of N events.

    python benchmarks/generate.py 100000 benchmarks/data/100k

What it makes, deterministically from ``--seed``:

* actors with a long-tailed (Zipf-like) share of the events, of every kind,
  and coalitions whose members are other actors (some nested);
* documents whose text holds one sentence per event they report, so every
  quote is a real, unique passage (resolved by the loader like any other),
  plus boilerplate lines marked as excluded;
* dates at mixed precision: days, months, years, approximate and uncertain
  dates, intervals, a few open-ended ones and a few outside datetime's range;
* event types, tags, summaries over a vocabulary big enough for search to be
  selective, and claims in which two documents disagree.

The result passes ``timeline-explorer check``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

import orjson

KINDS = ["state"] * 5 + ["person"] * 6 + ["organisation"] * 4 + ["group"] * 2 + ["other"]
TYPES = ["statement", "letter", "meeting", "report", "protest", "arrest", "vote", "interview", "sanction", "visit"]
TAGS = ["UN", "trade", "rights", "security", "energy", "health", "border", "election", "media", "courts"]
VERBS = ["condemns", "meets", "writes to", "sanctions", "visits", "praises", "criticises", "signs with",
         "warns", "supports", "questions", "thanks", "accuses", "negotiates with", "recognises"]
SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ven", "sol", "dar", "ish", "an", "or", "el", "qu", "zan",
             "bel", "ti", "mor", "nes", "pa", "ru", "gal", "fen", "do", "xi", "ha", "lun", "cer", "wy"]


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add(word(rng, rng.randint(2, 4)))
    return sorted(words)


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


def make_date(rng: random.Random, i: int, n: int) -> str:
    """Mixed precision, roughly increasing with i so that the corpus spans decades."""
    r = rng.random()
    if r < 0.0005:
        return f"Y-{rng.randint(10_001, 13_800_000_000)}"  # outside datetime's range
    year = 1950 + (i * 70) // max(1, n) + rng.randint(-2, 2)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    if r < 0.60:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if r < 0.75:
        return f"{year:04d}-{month:02d}"
    if r < 0.83:
        return f"{year:04d}"
    if r < 0.89:
        return f"{year:04d}-{month:02d}~"
    if r < 0.93:
        return f"{year:04d}-{month:02d}-{day:02d}?"
    if r < 0.99:
        end_year = year + rng.randint(0, 2)
        end_month = rng.randint(month if end_year == year else 1, 12)
        return f"{year:04d}-{month:02d}/{end_year:04d}-{end_month:02d}"
    return f"{year:04d}-{month:02d}/.."


def generate(n: int, out: Path, seed: int = 1) -> dict:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary(rng, 4000)

    n_actors = max(40, n // 40)
    actors = []
    names: set[str] = set()
    for i in range(n_actors):
        while True:
            name = f"{word(rng, 2).capitalize()} {word(rng, 3).capitalize()}"
            if name not in names:
                names.add(name)
                break
        actor = {"id": f"a{i}", "name": name, "kind": rng.choice(KINDS)}
        if rng.random() < 0.05:
            actor["aliases"] = [name.replace(" ", "-"), name.upper()]
        actors.append(actor)
    # Coalitions: members drawn from the plain actors; every tenth contains another coalition.
    n_coalitions = max(4, n_actors // 25)
    coalitions = []
    for j in range(n_coalitions):
        members = sorted(rng.sample(range(n_actors), rng.randint(2, 12)))
        coalition = {"id": f"c{j}", "name": f"Coalition {word(rng, 3).capitalize()} {j}", "kind": "coalition",
                     "members": [f"a{m}" for m in members]}
        if j and j % 10 == 0:
            coalition["members"].append(f"c{j - 1}")
        coalitions.append(coalition)
    participants = [a["id"] for a in actors] + [c["id"] for c in coalitions]
    weights = zipf_weights(len(participants))
    rng.shuffle(weights)  # the popular ones are not just the first ids
    cum_weights = list(itertools.accumulate(weights))  # once: choices() would redo it per call

    n_docs = max(5, n // 200)
    doc_sentences: list[list[str]] = [[] for _ in range(n_docs)]
    events = []
    for i in range(n):
        k = 1 if rng.random() < 0.6 else rng.randint(2, 4)
        who = rng.choices(participants, cum_weights=cum_weights, k=k)
        who = list(dict.fromkeys(who))
        subject = actors[int(who[0][1:])]["name"] if who[0].startswith("a") else coalitions[int(who[0][1:])]["name"]
        words = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 7)))
        title = f"{subject} {rng.choice(VERBS)} {words}"
        date = make_date(rng, i, n)
        quotes = []
        for d in rng.sample(range(n_docs), 1 if rng.random() < 0.7 else 2):
            sentence = f"Report e{i}.{d}: {title}, according to source {d}."
            doc_sentences[d].append(sentence)
            quotes.append({"doc": f"d{d}", "exact": sentence})
        event = {
            "id": f"e{i}",
            "date": date,
            "title": title,
            "type": rng.choice(TYPES),
            "actors": who,
            "quotes": quotes,
        }
        if rng.random() < 0.3:
            event["summary"] = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 20))) + "."
        if rng.random() < 0.3:
            event["tags"] = rng.sample(TAGS, rng.randint(1, 3))
        if date.endswith(("~", "?")) or "/" in date:
            event["date_note"] = "Synthetic: qualified or interval date."
        events.append(event)

    documents = []
    for d, sentences in enumerate(doc_sentences):
        boiler = f"Subscribe to the synthetic newsletter number {d} for more."
        paragraphs = []
        for start in range(0, len(sentences), 5):
            paragraphs.append(" ".join(sentences[start:start + 5]))
        text = f"Synthetic document {d}\n\n" + "\n\n".join(paragraphs) + f"\n\n{boiler}\n"
        (out / f"d{d}.txt").write_text(text, encoding="utf-8")
        documents.append({
            "id": f"d{d}", "path": f"d{d}.txt", "title": f"Synthetic document {d}",
            "outlet": f"Outlet {d % 17}", "published": f"{2000 + d % 24:04d}-{1 + d % 12:02d}-01",
            "exclude": [{"exact": boiler, "reason": "newsletter prompt"}],
        })

    claims = []
    two_source = [e for e in events if len(e["quotes"]) == 2]
    for j, e in enumerate(two_source[: max(1, n // 1000)]):
        claims.append({
            "id": f"k{j}", "about": f"Synthetic disagreement {j}", "events": [e["id"]],
            "statements": [{**e["quotes"][0], "value": "one"}, {**e["quotes"][1], "value": "other"}],
        })

    corpus = {
        "format": "timeline-corpus/1",
        "title": f"Synthetic corpus of {n:,} events",
        "description": "Generated by benchmarks/generate.py for benchmarks and scale tests.",
        "documents": documents,
        "actors": actors + coalitions,
        "events": events,
        "claims": claims,
    }
    data = orjson.dumps(corpus)
    (out / "corpus.json").write_bytes(data)
    counts: dict[str, int] = {}
    for e in events:
        for a in e["actors"]:
            counts[a] = counts.get(a, 0) + 1
    top = max((a for a in counts if a.startswith("a")), key=counts.__getitem__)
    stats = {"events": n, "actors": len(actors) + len(coalitions), "documents": n_docs, "claims": len(claims),
             "corpus_json_bytes": len(data), "top_actor": actors[int(top[1:])]["name"],
             "top_actor_direct_events": counts[top], "search_word": vocab[len(vocab) // 2]}
    (out / "stats.json").write_bytes(orjson.dumps(stats))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("events", type=int, help="number of events (10000, 100000, 1000000, ...)")
    parser.add_argument("out", type=Path, help="folder to write the corpus into")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stats = generate(args.events, args.out, args.seed)
    stats["seconds"] = round(time.perf_counter() - started, 1)
    print(orjson.dumps(stats).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
