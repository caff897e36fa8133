"""Break the resolver's errors on LitBank gold pronouns down by cause.

    python training/coref_errors.py training/cache/coref.pkl [GOLD_JSONL]

Uses the shipped weights and scorer (so figures are in-sample when the scorer was fitted
on the same documents). Each gold narration pronoun or quoted he/she of a named
character is counted as right, or under the first cause that applies: "I" with no
narrator or the wrong one; a plural, neutral or second-person pronoun; the gold character
not named before it (no candidate); its gender unknown or wrong; else a ranking error,
split by whether the gold character was last mentioned by a pronoun or description since
its last name.
"""

from __future__ import annotations

import pickle
import sys
from collections import Counter
from pathlib import Path

from ficlens.characters.coref import shipped_scorer, shipped_weights
from ficlens.eval.gold import read_gold

GOLD = Path(__file__).resolve().parents[2] / "shared/data/gold/dev/litbank.jsonl"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    with open(argv[1], "rb") as fh:
        problems = pickle.load(fh)
    docs = {d.id: d for d in read_gold(Path(argv[2]) if len(argv) > 2 else GOLD)}
    causes: Counter[str] = Counter()
    by_class: Counter[str] = Counter()
    right_by_class: Counter[str] = Counter()
    for p in problems:
        pr, doc = p["problem"], docs[p["id"]]
        solved = {(m.start, m.end): m for m in pr.solve(shipped_weights(), shipped_scorer())}
        names = [(m.start, m.character) for m in pr.mentions if m.kind == "name" and m.character]
        gold_mentions = [(m.start, m.character) for m in doc.mentions]
        for start, end, gold in p["gold"]:
            m = solved.get((start, end))
            if m is None or (m.in_quote and m.pronoun not in ("male", "female")):
                continue
            by_class[m.pronoun or "?"] += 1
            if m.character == gold:
                causes["right"] += 1
                right_by_class[m.pronoun or "?"] += 1
                continue
            gender = pr.genders.get(gold, "unknown")
            if m.pronoun == "first":
                cause = (
                    "first person: no narrator"
                    if pr.narrator is None
                    else "first person: wrong narrator"
                )
            elif m.pronoun not in ("male", "female"):
                cause = f"{m.pronoun} pronoun"
            elif not any(s < start and c == gold for s, c in names):
                cause = "gold not named before"
            elif gender == "unknown":
                cause = "gold gender unknown"
            elif gender != m.pronoun:
                cause = "gold gender wrong"
            else:
                last_name = max(s for s, c in names if s < start and c == gold)
                last_any = max(s for s, c in gold_mentions if s < start and c == gold)
                cause = "ranking: " + (
                    "gold since mentioned by pronoun/description"
                    if last_any > last_name
                    else "gold last mentioned by name"
                )
            causes[cause] += 1
    total = sum(causes.values())
    for cause, n in causes.most_common():
        print(f"{n:6d} {n / total:.3f} {cause}")
    for cls, n in by_class.most_common():
        print(f"{cls:>8}: {right_by_class[cls]}/{n} right")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
