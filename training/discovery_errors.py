"""List what character discovery gets wrong on gold novels (end to end, no gold cast).

    python training/discovery_errors.py GOLD_JSONL [--only ID]... [--parse-cache DIR] [--unmapped]

For each document: the gold speaking characters (by number of quotes) that no predicted
character maps to (``eval.scoring.map_characters``), and the predicted characters whose
aliases overlap two or more gold characters' (a wrong merge, e.g. "Mr. Emerson" inside
"George Emerson"), each with the gold quotes it was given. Ends with discovery recall and
end-to-end speaker accuracy over all documents.

Why a parse cache: spaCy is most of the run time, and the characters and dialogue stages
are what changes between runs. ``--parse-cache DIR`` pickles each document after the
structure and language stages and reuses it next time (``parse_cache.py``; delete it
after changing those stages or the spaCy model).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from parse_cache import later_stages, parsed

from ficlens.eval.gold import GoldDoc, read_gold
from ficlens.eval.run import score_document
from ficlens.eval.scoring import alias_key, map_characters


def analyse(doc: GoldDoc, cache: Path | None) -> Any:
    """The full end-to-end analysis of one gold document."""
    run = parsed(doc, cache)
    for stage in later_stages():
        stage.run(run)
    return run.analysis


def report(doc: GoldDoc, analysis: Any, unmapped: bool = False) -> list[str]:
    """Lines describing missed speakers and merges in one document (and, with
    ``unmapped``, the predicted characters no gold character maps to)."""
    mapping = map_characters(
        [(c.id, c.name, c.aliases) for c in analysis.characters], doc.characters
    )
    quotes = Counter(q.speaker for q in doc.quotes if q.speaker)
    gold = {c.id: c for c in doc.characters}
    found = set(mapping.values())
    lines = []
    missed = [
        (n, g)
        for g, n in quotes.most_common()
        if g not in found and not gold[g].name.startswith("_")
    ]
    for n, g in missed:
        aliases = ", ".join(gold[g].aliases[:4])
        lines.append(f"  missed {n:4d} quotes  {gold[g].name}  [{aliases}]")
    gold_sets = {c.id: {alias_key(a) for a in [c.name, *c.aliases]} - {""} for c in doc.characters}
    said = Counter(q.speaker for q in analysis.quotes if q.speech and q.speaker)
    for c in analysis.characters:
        mine = {alias_key(a) for a in [c.name, *c.aliases]}
        hits = [g for g, s in gold_sets.items() if mine & s]
        if len(hits) >= 2:
            names = ", ".join(f"{gold[g].name} ({quotes[g]})" for g in hits)
            lines.append(
                f"  merged {said[c.id]:4d} quotes  {c.name} {sorted(c.aliases)} -> {names}"
            )
    if unmapped:
        for c in analysis.characters:
            if c.id not in mapping and c.id != "narrator":
                aliases = ", ".join(sorted(c.aliases)[:4])
                lines.append(
                    f"  extra  {said[c.id]:4d} quotes  {c.mention_count:4d} mentions  "
                    f"{c.name} ({c.gender}) [{aliases}]"
                )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--parse-cache", type=Path)
    parser.add_argument(
        "--unmapped", action="store_true", help="also list predicted characters not in gold"
    )
    args = parser.parse_args(argv[1:])
    recall = [0, 0]
    precision = [0, 0]
    speakers = [0, 0]
    for doc in read_gold(args.gold):
        if args.only and doc.id not in args.only:
            continue
        began = time.perf_counter()
        analysis = analyse(doc, args.parse_cache)
        scores = score_document(doc, analysis, 0.0, given_characters=False)
        r, s = scores.discovery_recall, scores.speakers.overall
        p = scores.discovery_precision
        recall = [recall[0] + r.correct, recall[1] + r.total]
        precision = [precision[0] + p.correct, precision[1] + p.total]
        speakers = [speakers[0] + s.correct, speakers[1] + s.total]
        print(
            f"{doc.id}: recall {r.correct}/{r.total}, speakers {s.accuracy:.3f}, "
            f"{len(analysis.characters)} characters ({time.perf_counter() - began:.0f} s)"
        )
        for line in report(doc, analysis, args.unmapped):
            print(line)
        sys.stdout.flush()
    print(
        f"discovery recall {recall[0] / max(recall[1], 1):.3f} ({recall[0]}/{recall[1]}), "
        f"precision {precision[0] / max(precision[1], 1):.3f} ({precision[0]}/{precision[1]}), "
        f"speaker accuracy {speakers[0] / max(speakers[1], 1):.3f} (n={speakers[1]})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
