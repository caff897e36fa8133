"""Train the speaker ranker (a conditional logit) and report document-level cross-validation.

    python training/speaker_data.py ../shared/data/gold/dev/pdnc.jsonl training/cache/pdnc
    python training/train_speaker.py training/cache/pdnc [training/cache/litbank]

Each turn offers candidate characters with feature rows (``dialogue/features.py``); the
model maximises the softmax probability of the gold speaker among them, with an L2
penalty. Several data folders (corpora) are pooled. Cross-validation is grouped by
document: each corpus's documents are dealt into at most ``MAX_FOLDS`` folds (so the 13
PDNC novels are left out one at a time), and each fold is scored by a model fitted on
every other document of every corpus, so no figure is measured on a document the model was
trained on. Figures are reported per corpus. The weights of the conversation decoder
(``dialogue/decode.py``) are chosen for each fold on the other folds' out-of-fold ranker
probabilities (figures as ``decoded``). This is the quick measure of a feature change (one
ranker pass); ``speaker_passes.py`` measures the analysis path and writes the model file
with the functions here.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from ficlens.dialogue.attribution import SURE_RULES
from ficlens.dialogue.decode import TRANSITIONS, Step, decode, observed, ranked

L2 = 1.0
#: Folds per corpus: PDNC's 13 novels each get their own, LitBank's 80 excerpts share 13.
MAX_FOLDS = 13

Data = dict[str, list[dict[str, Any]]]


def load(folder: Path) -> Data:
    return {p.stem: json.loads(p.read_text())["turns"] for p in sorted(folder.glob("*.json"))}


def folds(corpora: dict[str, Data]) -> list[tuple[str, list[str]]]:
    """(corpus, documents) of every cross-validation fold."""
    out = []
    for corpus, data in corpora.items():
        names = sorted(data)
        k = min(len(names), MAX_FOLDS)
        out += [(corpus, names[i::k]) for i in range(k)]
    return out


def _design(turns: Sequence[dict[str, Any]]) -> tuple[list[np.ndarray], list[int]]:
    """Feature matrices and gold candidate index of the turns the model can learn from."""
    xs, ys = [], []
    for t in turns:
        if t["speaker"] in t["candidates"] and len(t["candidates"]) > 1:
            xs.append(np.asarray(t["rows"], dtype=float))
            ys.append(t["candidates"].index(t["speaker"]))
    return xs, ys


def fit(turns: Sequence[dict[str, Any]], l2: float = L2) -> np.ndarray:
    """Maximum-likelihood conditional logit weights with an L2 penalty."""
    xs, ys = _design(turns)
    sizes = [len(x) for x in xs]
    big = np.vstack(xs)
    owner = np.repeat(np.arange(len(xs)), sizes)
    gold_rows = np.cumsum([0, *sizes[:-1]]) + np.asarray(ys)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        scores = big @ w
        top = np.zeros(len(xs))
        np.maximum.at(top, owner, scores)
        e = np.exp(scores - top[owner])
        z = np.zeros(len(xs))
        np.add.at(z, owner, e)
        logz = np.log(z) + top
        nll = float(np.sum(logz) - np.sum(scores[gold_rows]))
        p = e / z[owner]
        grad = big.T @ p - big[gold_rows].sum(axis=0)
        return nll + 0.5 * l2 * float(w @ w), grad + l2 * w

    result = minimize(loss, np.zeros(big.shape[1]), jac=True, method="L-BFGS-B")
    return np.asarray(result.x)


def probabilities(turn: dict[str, Any], w: np.ndarray) -> list[float]:
    scores = np.asarray(turn["rows"], dtype=float) @ w
    p = np.exp(scores - scores.max())
    return list(p / p.sum())


def predict(turn: dict[str, Any], w: np.ndarray) -> tuple[str | None, float]:
    if not turn["candidates"]:
        return turn["sieve"], 0.0
    if turn["rule"] in SURE_RULES:
        return turn["sieve"], 1.0
    if len(turn["candidates"]) == 1:
        return turn["candidates"][0], 0.5
    p = probabilities(turn, w)
    best = int(np.argmax(p))
    return turn["candidates"][best], float(p[best])


def steps(turns: Sequence[dict[str, Any]], w: np.ndarray) -> list[Step]:
    """The decoder's view of a document's turns, as ``attribution._decode`` builds it: the
    turns the ranker does not score are observed with its answer, the others ranked."""
    out = []
    for t in turns:
        first, last = t["paragraphs"]
        tagged = t["tag"] is not None  # a speech tag or an action beat
        if t["rule"] in SURE_RULES or len(t["candidates"]) < 2:
            out.append(observed(predict(t, w)[0], t["conversation"], first, last, tagged))
        else:
            p = probabilities(t, w)
            out.append(ranked(t["candidates"], p, t["conversation"], first, last, tagged))
    return out


def decoded(docs: Sequence[list[Step]], weights: dict[str, float]) -> list[list[str | None]]:
    return [[s.speakers[i] for s, i in zip(d, decode(d, weights), strict=True)] for d in docs]


#: Values the decoder's weights are searched over (coordinate ascent, two rounds).
GRID = (-3.0, -2.0, -1.5, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
ROUNDS = 2


class DecoderSearch:
    """Chooses the decoder's transition weights by held-out accuracy: coordinate ascent
    over ``GRID`` on the out-of-fold ranker probabilities of the documents given. Each
    weight setting is decoded once per document and remembered, so the folds, which
    differ by a few documents, share most of the work."""

    def __init__(self, docs: dict[tuple[str, str], tuple[list[dict[str, Any]], list[Step]]]):
        self.docs = docs
        self.memo: dict[tuple[float, ...], dict[tuple[str, str], int]] = {}

    def hits(self, values: tuple[float, ...]) -> dict[tuple[str, str], int]:
        if values not in self.memo:
            weights = dict(zip(TRANSITIONS, values, strict=True))
            keys = list(self.docs)
            answers = decoded([self.docs[k][1] for k in keys], weights)
            self.memo[values] = {
                k: sum(
                    int(a == t["speaker"])
                    for a, t in zip(got, self.docs[k][0], strict=True)
                    if t["speaker"] is not None
                )
                for k, got in zip(keys, answers, strict=True)
            }
        return self.memo[values]

    def choose(self, left_out: set[tuple[str, str]]) -> dict[str, float]:
        def score(values: tuple[float, ...]) -> int:
            return sum(v for k, v in self.hits(values).items() if k not in left_out)

        best = tuple(0.0 for _ in TRANSITIONS)
        for _ in range(ROUNDS):
            for f in range(len(TRANSITIONS)):
                trials = [(*best[:f], g, *best[f + 1 :]) for g in GRID]
                best = max(trials, key=lambda v: (score(v), -sum(map(abs, v))))
        return dict(zip(TRANSITIONS, best, strict=True))


def fit_without(corpora: dict[str, Data], corpus: str, held: Sequence[str]) -> np.ndarray:
    """Weights fitted on every document of every corpus but ``held`` of ``corpus``."""
    left_out = {(corpus, name) for name in held}
    return fit(
        [
            t
            for c, data in corpora.items()
            for name, turns in data.items()
            if (c, name) not in left_out
            for t in turns
        ]
    )


def cross_validate(corpora: dict[str, Data]) -> dict[str, Any]:
    """Held-out accuracy by corpus and quote type, for the sieve, the ranker and the ranker
    with the conversation decoder, and the calibration of the ranker's probabilities over
    every corpus. The decoder's weights for a fold are chosen on the other folds' held-out
    probabilities."""
    right: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    total: dict[str, Counter[str]] = defaultdict(Counter)
    bins: dict[int, list[int]] = defaultdict(list)
    held_steps: dict[tuple[str, str], tuple[list[dict[str, Any]], list[Step]]] = {}
    for corpus, held in folds(corpora):
        w = fit_without(corpora, corpus, held)
        for name in held:
            turns = corpora[corpus][name]
            held_steps[(corpus, name)] = (turns, steps(turns, w))
        for t in (t for name in held for t in corpora[corpus][name]):
            if t["speaker"] is None:
                continue
            speaker, conf = predict(t, w)
            for key in (t["type"] or "none", "all"):
                total[corpus][key] += 1
                right[corpus]["sieve"][key] += int(t["sieve"] == t["speaker"])
                right[corpus]["ranker"][key] += int(speaker == t["speaker"])
            if t["rule"] not in SURE_RULES:
                bins[min(int(conf * 10), 9)].append(int(speaker == t["speaker"]))
    search = DecoderSearch(held_steps)
    chosen = {}
    for corpus, held in folds(corpora):
        keys = [(corpus, name) for name in held]
        weights = search.choose(set(keys))
        chosen[f"{corpus}:{held[0]}"] = weights
        answers = decoded([held_steps[k][1] for k in keys], weights)
        for k, got in zip(keys, answers, strict=True):
            for t, speaker in zip(held_steps[k][0], got, strict=True):
                if t["speaker"] is None:
                    continue
                for key in (t["type"] or "none", "all"):
                    right[corpus]["decoded"][key] += int(speaker == t["speaker"])
    systems = ("sieve", "ranker", "decoded")
    report: dict[str, Any] = {
        corpus: {
            **{
                system: {k: round(right[corpus][system][k] / n[k], 4) for k in sorted(n)}
                for system in systems
            },
            "n": dict(n),
        }
        for corpus, n in total.items()
    }
    report["calibration"] = {
        f"{b / 10:.1f}-{(b + 1) / 10:.1f}": [round(sum(v) / len(v), 3), len(v)]
        for b, v in sorted(bins.items())
    }
    report["decoder_by_fold"] = chosen
    return report


def rule_confidence(data: Data) -> dict[str, float]:
    """Accuracy of the answers the ranker does not score: the sieve's sure rules, and
    turns with a single candidate (whose softmax would always say 1.0)."""
    hits: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for turns in data.values():
        for t in turns:
            if t["speaker"] is None:
                continue
            if t["rule"] in SURE_RULES:
                key, answer = t["rule"], t["sieve"]
            elif len(t["candidates"]) == 1:
                key, answer = "single_candidate", t["candidates"][0]
            else:
                continue
            seen[key] += 1
            hits[key] += int(answer == t["speaker"])
    return {r: round(hits[r] / seen[r], 3) for r in seen}


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv[1:] if not a.startswith("--")]
    if not folders:
        print(__doc__)
        return 2
    corpora = {f.name: load(f) for f in folders}
    if sum(len(d) for d in corpora.values()) < 2:
        print("need at least two documents for cross-validation")
        return 2
    report = cross_validate(corpora)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
