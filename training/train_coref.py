"""Fit the pronoun resolver's salience weights to LitBank, with document-level CV.

    python training/coref_data.py ../shared/data/gold/dev/litbank.jsonl training/cache/coref.pkl
    python training/train_coref.py training/cache/coref.pkl [--write]

The objective is pronoun linking accuracy over gold pronouns of named characters that the
resolver is responsible for (narration, not quotations, whose "I" and "you" the dialogue
stage links). Coordinate ascent over multiplicative steps of each weight; five folds by
document report held-out accuracy against the hand-set defaults. ``--write`` fits on all
documents and writes ``src/ficlens/characters/coref_weights.json``.
"""

from __future__ import annotations

import json
import pickle
import sys
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

from ficlens.characters.coref import Weights

OUT = Path(__file__).resolve().parents[1] / "src/ficlens/characters/coref_weights.json"
STEPS = (0.5, 0.75, 0.9, 1.1, 1.33, 2.0)
FOLDS = 5


def accuracy(problems: list[dict[str, Any]], w: Weights) -> tuple[int, int]:
    right = total = 0
    for p in problems:
        solved = {(m.start, m.end): m for m in p["problem"].solve(w)}
        for start, end, character in p["gold"]:
            m = solved.get((start, end))
            if m is None or m.in_quote:
                continue  # not ours to resolve, or not a pronoun token we saw
            total += 1
            right += int(m.character == character)
    return right, total


def _acc(problems: list[dict[str, Any]], w: Weights) -> float:
    r, t = accuracy(problems, w)
    return r / t if t else 0.0


def fit(problems: list[dict[str, Any]], rounds: int = 3) -> Weights:
    best = Weights()
    score = _acc(problems, best)
    for _ in range(rounds):
        improved = False
        for f in fields(Weights):
            for step in STEPS:
                value = getattr(best, f.name) * step
                if "decay" in f.name or "factor" in f.name or "penalty" in f.name:
                    value = min(value, 1.0)
                trial = replace(best, **{f.name: value})
                s = _acc(problems, trial)
                if s > score + 1e-9:
                    best, score, improved = trial, s, True
        if not improved:
            break
    return best


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    with open(argv[1], "rb") as fh:
        problems = pickle.load(fh)
    folds = [problems[i::FOLDS] for i in range(FOLDS)]
    base_r = base_t = fit_r = fit_t = 0
    for i, held in enumerate(folds):
        train = [p for j, fold in enumerate(folds) if j != i for p in fold]
        w = fit(train)
        r, t = accuracy(held, Weights())
        base_r, base_t = base_r + r, base_t + t
        r, t = accuracy(held, w)
        fit_r, fit_t = fit_r + r, fit_t + t
    report = {
        "defaults_heldout_accuracy": round(base_r / base_t, 4),
        "fitted_heldout_accuracy": round(fit_r / fit_t, 4),
        "gold_pronouns": fit_t,
    }
    print(json.dumps(report, indent=2))
    if "--write" in argv:
        w = fit(problems)
        data = {"weights": asdict(w), "cross_validation": report,
                "trained_on": "LitBank dev (training/coref_data.py)"}
        OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
