"""Library speed at corpus scale: store, index, search, dupes and stats on invented fics.

Generates ``--fics`` fics of about ``--words`` words each from a fixed vocabulary (seeded,
so runs compare), a tenth of them reposts of another fic with curly quotes and rewrapped
lines. Analysis runs with the language stage off, so the numbers are the library's own.

    python benchmarks/library.py [--fics 300] [--words 3000] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import ficlens
from ficlens.library import Filters, Library, open_for_reading, search
from ficlens.library.dupes import find_dupes
from ficlens.library.stats import corpus_stats

_WORDS = (
    "the a and of to in she he they it was were had said quiet river stone orchard winter "
    "candle road letter sister brother house morning window bread under over beside carried "
    "found kept turned slowly again never old green bright small heavy garden bell harbour "
    "field song lantern gate tide ship captain storm dawn dusk silver iron glass ember salt"
)
VOCAB = _WORDS.split()
FANDOMS = ["Tidewater Chronicles", "Ember Court", "Lamplighters", "Glasswork", "Saltmarsh"]
RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "K+", "T"]


def invent(rng: random.Random, words: int) -> list[str]:
    paragraphs, left = [], words
    while left > 0:
        n = min(left, rng.randint(20, 120))
        paragraphs.append(" ".join(rng.choice(VOCAB) for _ in range(n)).capitalize() + ".")
        left -= n
    return paragraphs


def fic_text(i: int, body: list[str], rng: random.Random) -> str:
    header = (
        f"Title: Invented {i}\nAuthor: author{i % 37}\nFandom: {rng.choice(FANDOMS)}\n"
        f"Rating: {rng.choice(RATINGS)}\nPairing: A{i % 11}/B{i % 7}\n\n"
        f"A/N: note number {i}.\n\n"
    )
    return header + "\n\n".join(body) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fics", type=int, default=300)
    parser.add_argument("--words", type=int, default=3000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(20261124)
    bodies = [invent(rng, args.words) for _ in range(args.fics)]
    for i in range(0, args.fics, 10):  # every tenth is a reformatted repost of the next one
        if i + 1 < args.fics:
            bodies[i] = [textwrap.fill(p, 60) for p in bodies[i + 1]]
    texts = [fic_text(i, body, rng) for i, body in enumerate(bodies)]
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        began = time.perf_counter()
        analyses = [ficlens.analyze(t, disable=["language"]) for t in texts]
        timings["analyse (structure only)"] = time.perf_counter() - began
        with Library.open(db, create=True) as lib:
            began = time.perf_counter()
            for analysis in analyses:
                lib.store(analysis, None)
            timings["store"] = time.perf_counter() - began
            began = time.perf_counter()
            lib.refresh_index()
            timings["build text index"] = time.perf_counter() - began
        with open_for_reading(db) as lib:
            began = time.perf_counter()
            queries = ["lantern harbour", "silver tide", '"the old gate"', "said"]
            for q in queries:
                search(lib, q)
                search(lib, q, Filters(rating="teen", min_words=100))
            timings["search (per query)"] = (time.perf_counter() - began) / (2 * len(queries))
            began = time.perf_counter()
            pairs = find_dupes(lib)
            timings["dupes"] = time.perf_counter() - began
            began = time.perf_counter()
            corpus_stats(lib)
            timings["stats"] = time.perf_counter() - began
        size = db.stat().st_size
    result = {
        "fics": args.fics,
        "words": sum(a.stats.words for a in analyses),
        "seconds": {k: round(v, 4) for k, v in timings.items()},
        "fics_per_second_stored": round(args.fics / timings["store"], 1),
        "dupe_pairs": len(pairs),
        "db_megabytes": round(size / 1e6, 2),
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    print(f"{result['fics']} fics, {result['words']:,} story words, {result['db_megabytes']} MB")
    for name, seconds in result["seconds"].items():
        print(f"  {name:<26} {seconds:8.3f} s")
    print(f"  stored per second          {result['fics_per_second_stored']:8.1f}")
    print(f"  near-duplicate pairs       {result['dupe_pairs']:8d}")


if __name__ == "__main__":
    main()
