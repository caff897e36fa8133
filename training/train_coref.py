"""Fit the pronoun resolver to LitBank, with document-level cross-validation.

    python training/coref_data.py ../shared/data/gold/dev/litbank.jsonl training/cache/coref.pkl
    python training/train_coref.py training/cache/coref.pkl [--write] [--seeds N]

The objective is pronoun linking accuracy over gold pronouns of named characters that the
resolver is responsible for: narration's, and he/she inside quotations (a quotation's "I"
and "you" the dialogue stage links). Two models are fitted:

* the hand salience weights, by coordinate ascent over multiplicative steps;
* on top of them, the candidate scorer: a conditional logit over the candidate characters
  of each pronoun (features in ``ficlens.characters.coref.FEATURES``) maximising the
  probability of the gold character, with an L2 penalty (``L2``). Features depend on earlier
  resolutions, so the scorer is refitted on the features its own decisions produce
  (pooled with the earlier passes, which keeps the refits from oscillating).

Five folds by document report held-out accuracy of the defaults, the fitted salience and
the scorer. ``--write`` fits on all documents and writes
``src/ficlens/characters/coref_weights.json``. A change of the data moves the scorer's
refits, and so the held-out figure of one fold assignment, by about a point either way;
``--seeds N`` also prints the mean over N assignments (the usual one and N - 1 shuffles
of the documents), which is the figure to compare.
"""

from __future__ import annotations

import json
import pickle
import random
import sys
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from ficlens.characters.coref import FEATURES, Scorer, Weights
from ficlens.characters.layer import MentionRef

OUT = Path(__file__).resolve().parents[1] / "src/ficlens/characters/coref_weights.json"
STEPS = (0.5, 0.75, 0.9, 1.1, 1.33, 2.0)
FOLDS = 5
#: Chosen by the mean held-out figure over three fold assignments (``--seeds 3``):
#: 1 gave 0.7957, 30 0.7969, 100 0.8014, 300 0.7969. A weak penalty let the scorer fit
#: the training documents' quirks, two points above its held-out figure.
L2 = 100.0
REFITS = 3


def accuracy(
    problems: list[dict[str, Any]],
    w: Weights,
    scorer: Scorer | None = None,
    quoted: list[int] | None = None,
) -> tuple[int, int]:
    """Right and total; ``quoted`` (when given) gains the right and total of the quoted
    he/she alone."""
    right = total = 0
    for p in problems:
        solved = {(m.start, m.end): m for m in p["problem"].solve(w, scorer)}
        for start, end, character in p["gold"]:
            m = solved.get((start, end))
            if m is None or (m.in_quote and m.pronoun not in ("male", "female")):
                continue  # not a pronoun token we saw, or a quoted I/you (the dialogue's)
            total += 1
            right += int(m.character == character)
            if quoted is not None and m.in_quote:
                quoted[0] += int(m.character == character)
                quoted[1] += 1
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


def _rows(
    problems: list[dict[str, Any]], w: Weights, scorer: Scorer | None
) -> tuple[list[np.ndarray], list[int], float]:
    """Feature matrices and gold index of every pronoun whose gold is a candidate, and
    the accuracy of ``scorer`` over the problems (as :func:`accuracy` counts it)."""
    xs: list[np.ndarray] = []
    ys: list[int] = []
    right = total = 0
    for p in problems:
        gold = {(s, e): c for s, e, c in p["gold"]}

        def keep(
            m: MentionRef,
            candidates: list[str],
            rows: list[dict[str, float]],
            gold: dict[tuple[int, int], str] = gold,
        ) -> None:
            g = gold.get((m.start, m.end))
            if g in candidates and len(candidates) > 1:
                xs.append(np.asarray([[r[f] for f in FEATURES] for r in rows], dtype=float))
                ys.append(candidates.index(g))

        solved = {(m.start, m.end): m for m in p["problem"].solve(w, scorer, keep)}
        for start, end, character in p["gold"]:
            m = solved.get((start, end))
            if m is None or (m.in_quote and m.pronoun not in ("male", "female")):
                continue
            total += 1
            right += int(m.character == character)
    return xs, ys, right / total if total else 0.0


def fit_logit(xs: list[np.ndarray], ys: list[int], l2: float = L2) -> np.ndarray:
    """Maximum-likelihood conditional logit weights with an L2 penalty."""
    sizes = [len(x) for x in xs]
    big = np.vstack(xs)
    owner = np.repeat(np.arange(len(xs)), sizes)
    gold_rows = np.cumsum([0, *sizes[:-1]]) + np.asarray(ys)

    def loss(v: np.ndarray) -> tuple[float, np.ndarray]:
        scores = big @ v
        top = np.full(len(xs), -np.inf)
        np.maximum.at(top, owner, scores)
        e = np.exp(scores - top[owner])
        z = np.zeros(len(xs))
        np.add.at(z, owner, e)
        nll = float(np.sum(np.log(z) + top) - np.sum(scores[gold_rows]))
        p = e / z[owner]
        grad = big.T @ p - big[gold_rows].sum(axis=0)
        return nll + 0.5 * l2 * float(v @ v), grad + l2 * v

    result = minimize(loss, np.zeros(big.shape[1]), jac=True, method="L-BFGS-B")
    return np.asarray(result.x)


def fit_scorer(problems: list[dict[str, Any]], w: Weights) -> Scorer:
    """Refit on the features the last scorer's own decisions produce, and keep the refit
    that resolves the training documents best (the refits wander by a point or so, and
    the last is not always the best)."""
    scorer: Scorer | None = None
    xs: list[np.ndarray] = []
    ys: list[int] = []
    best: tuple[float, Scorer] | None = None
    for i in range(REFITS + 1):
        more_x, more_y, acc = _rows(problems, w, scorer)
        if scorer is not None and (best is None or acc > best[0]):
            best = (acc, scorer)
        if i == REFITS:
            break
        xs, ys = xs + more_x, ys + more_y  # every pass so far (as in DAgger)
        v = fit_logit(xs, ys, L2)
        scorer = Scorer({f: round(float(x), 5) for f, x in zip(FEATURES, v, strict=True)})
    assert best is not None
    return best[1]


def heldout(problems: list[dict[str, Any]], seed: int) -> float:
    """Held-out accuracy of the scorer over one fold assignment (seed 0: the usual one)."""
    order = list(problems)
    if seed:
        order.sort(key=lambda p: str(p["id"]))
        random.Random(seed).shuffle(order)
    folds = [order[i::FOLDS] for i in range(FOLDS)]
    right = total = 0
    for i, held in enumerate(folds):
        train = [p for j, fold in enumerate(folds) if j != i for p in fold]
        r, t = accuracy(held, Weights(), fit_scorer(train, Weights()))
        right, total = right + r, total + t
    return right / total if total else 0.0


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    with open(argv[1], "rb") as fh:
        problems = pickle.load(fh)
    tune = "--tune-salience" in argv
    folds = [problems[i::FOLDS] for i in range(FOLDS)]
    totals = {"defaults": [0, 0], "salience": [0, 0], "scorer": [0, 0]}
    quoted = [0, 0]
    for i, held in enumerate(folds):
        train = [p for j, fold in enumerate(folds) if j != i for p in fold]
        w = fit(train) if tune else Weights()
        scorer = fit_scorer(train, w)
        for key, (ww, sc) in {
            "defaults": (Weights(), None),
            "salience": (w, None),
            "scorer": (w, scorer),
        }.items():
            r, t = accuracy(held, ww, sc, quoted if key == "scorer" else None)
            totals[key][0] += r
            totals[key][1] += t
    report: dict[str, Any] = {
        "defaults_heldout_accuracy": round(totals["defaults"][0] / totals["defaults"][1], 4),
        "fitted_heldout_accuracy": round(totals["scorer"][0] / totals["scorer"][1], 4),
        "gold_pronouns": totals["scorer"][1],
        "narration_heldout_accuracy": round(
            (totals["scorer"][0] - quoted[0]) / (totals["scorer"][1] - quoted[1]), 4
        ),
        "quoted_he_she_heldout_accuracy": round(quoted[0] / quoted[1], 4) if quoted[1] else None,
    }
    if tune:
        report["salience_only_heldout_accuracy"] = round(
            totals["salience"][0] / totals["salience"][1], 4
        )
    if "--seeds" in argv:
        seeds = range(int(argv[argv.index("--seeds") + 1]))
        figures = [round(heldout(problems, s), 4) for s in seeds]
        report["heldout_by_fold_assignment"] = figures
        report["heldout_mean_over_assignments"] = round(sum(figures) / len(figures), 4)
    print(json.dumps(report, indent=2))
    if "--write" in argv:
        w = fit(problems) if tune else Weights()
        scorer = fit_scorer(problems, w)
        data = {
            "weights": asdict(w),
            "scorer": {
                "features": list(FEATURES),
                "weights": [scorer.weights[f] for f in FEATURES],
            },
            "cross_validation": report,
            "trained_on": "LitBank dev (training/coref_data.py)",
        }
        OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
