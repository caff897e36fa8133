"""Train the shipped speaker model along the analysis path, and measure that path held out.

``train_speaker.py`` scores one ranker pass from the saved feature rows, whose neighbouring
speakers are the sieve's. Analysis runs ``attribution.RANKER_PASSES`` passes (each later
one reads the answers of the pass before, with weights of its own) and then the
conversation decoder, which the rows cannot replay. This script rebuilds
each document's turns (as ``speaker_data.py`` does) and, on the folds of
``train_speaker.py``:

* fits the first pass on the saved rows, runs it on every held-out document, and rebuilds
  the rows with its held-out answers as the neighbours' speakers (what the second pass
  reads at analysis time, where the text is never one the model saw);
* fits the later passes' weights on those rows, and chooses the decoder's weights on
  their held-out probabilities;
* runs ``attribution.rank`` (or its passes one by one) on every held-out document in
  several settings and prints accuracy per corpus and quote type.

``--write`` then fits both weight vectors on every document, chooses the decoder on every
document's held-out probabilities and writes ``src/ficlens/dialogue/speaker_model.json``;
``--held-out DIR`` writes, for every document, the model that scores it held out (its
fold's weights and decoder) as ``DIR/<doc id>.json``, for ``pronoun_cv.py``:

    python training/speaker_passes.py training/cache/pdnc:../shared/data/gold/dev/pdnc.jsonl:\
training/cache/parse/pdnc [training/cache/litbank:…litbank.jsonl:training/cache/parse/litbank] \
[--write]
"""

from __future__ import annotations

import copy
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from speaker_data import document_turns
from train_speaker import (
    L2,
    Data,
    DecoderSearch,
    fit,
    fit_without,
    folds,
    load,
    rule_confidence,
    steps,
)

from ficlens.characters import CharacterLayer
from ficlens.dialogue.attribution import Turn, _decode, _rank, ranker_rows, turn_words
from ficlens.dialogue.features import FEATURES
from ficlens.dialogue.ranker import SpeakerModel
from ficlens.eval.gold import read_gold

#: (name, the rows each ranker pass was fitted on, decode): "sieve" rows are the saved
#: ones (neighbours' speakers from the sieve), "pass1" rows are rebuilt with the first
#: pass's held-out answers as the neighbours' speakers (what a later pass reads). The
#: decoder's weights are chosen on the pass-1 rows' held-out probabilities. Analysis runs
#: the setting with ``RANKER_PASSES`` passes and the decoder.
SETTINGS = (
    ("1 pass", ("sieve",), False),
    ("1 pass + decoder", ("sieve",), True),
    ("2 passes, one weight vector, + decoder", ("sieve", "sieve"), True),
    ("2 passes, the second fitted on pass-1 rows", ("sieve", "pass1"), False),
    *(
        (
            f"{n} passes, the later ones fitted on pass-1 rows, + decoder",
            ("sieve",) + ("pass1",) * (n - 1),
            True,
        )
        for n in (2, 3, 4, 5, 6)
    ),
)

MODEL_PATH = Path(__file__).resolve().parents[1] / "src/ficlens/dialogue/speaker_model.json"
State = tuple[str, list[Turn], CharacterLayer, list[Any]]
Key = tuple[str, str]


def fold_fits(corpora: dict[str, Data]) -> dict[Key, np.ndarray]:
    """The ranker weights that score each document held out (fitted on the other folds)."""
    out = {}
    for corpus, held in folds(corpora):
        w = fit_without(corpora, corpus, held)
        out.update({(corpus, name): w for name in held})
    return out


def pass_one_rows(
    states: dict[Key, State], corpora: dict[str, Data], fits: dict[Key, np.ndarray]
) -> dict[str, Data]:
    """Training rows whose neighbouring speakers are the first ranker pass's held-out
    answers, as the second pass sees them at analysis time (the rest of each saved row,
    its rule, conversation and layout, is the same)."""
    out: dict[str, Data] = defaultdict(dict)
    for (corpus, name), (text, turns, characters, _) in states.items():
        saved = [t.answer for t in turns]
        _reset(turns, saved)
        words = turn_words(text, turns)
        _rank(words, turns, characters, SpeakerModel(tuple(map(float, fits[(corpus, name)]))))
        out[corpus][name] = [
            row | {"candidates": cands, "rows": feats}
            for row, (cands, feats) in zip(
                corpora[corpus][name], ranker_rows(words, turns, characters), strict=True
            )
        ]
        _reset(turns, saved)
    return out


def _reset(turns: list[Turn], answers: list[Any]) -> None:
    """Give the turns fresh copies of ``answers`` (the sieve's), which ranking changes."""
    for t, a in zip(turns, answers, strict=True):
        t.answer = copy.copy(a)


def run(state: State, models: list[SpeakerModel], decode: bool) -> None:
    """``attribution.rank`` with a model per pass."""
    text, turns, characters, _ = state
    words = turn_words(text, turns)
    scored: list[list[float] | None] = []
    for model in models:
        scored = _rank(words, turns, characters, model)
    if decode:
        _decode(turns, scored, models[-1])


def held_out_steps(corpora: dict[str, Data], fits: dict[Key, np.ndarray]) -> DecoderSearch:
    """The decoder search over every document's held-out probabilities."""
    return DecoderSearch(
        {k: (corpora[k[0]][k[1]], steps(corpora[k[0]][k[1]], w)) for k, w in fits.items()}
    )


def evaluate(
    states: dict[Key, State],
    corpora: dict[str, Data],
    fits: dict[str, dict[Key, np.ndarray]],
    searches: dict[str, DecoderSearch],
) -> dict[str, Any]:
    """Accuracy of every setting on every held-out document, by corpus and quote type."""
    right: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    total: dict[str, Counter[str]] = defaultdict(Counter)
    for corpus, held in folds(corpora):
        left_out = {(corpus, name) for name in held}
        decoders = {r: search.choose(left_out) for r, search in searches.items()}
        for name in held:
            _, turns, _, golds = state = states[(corpus, name)]
            sieve_answers = [t.answer for t in turns]
            for setting, rows, decode in SETTINGS:
                _reset(turns, sieve_answers)
                models = [
                    SpeakerModel(tuple(map(float, fits[r][(corpus, name)])), {}, decoders[rows[-1]])
                    for r in rows
                ]
                run(state, models, decode)
                for t, g in zip(turns, golds, strict=True):
                    if g.speaker is None:
                        continue
                    for key in (g.type or "none", "all"):
                        right[corpus][setting][key] += int(t.answer.speaker == g.speaker)
                        if setting == SETTINGS[0][0]:
                            total[corpus][key] += 1
    return {
        corpus: {
            setting: {k: round(right[corpus][setting][k] / n[k], 4) for k in sorted(n)}
            for setting, _, _ in SETTINGS
        }
        | {"n": dict(n)}
        for corpus, n in total.items()
    }


def _model(
    first: np.ndarray, later: np.ndarray, confidence: Any, decoder: Any, metadata: Any
) -> str:
    """The model file's text (the format ``ranker.SpeakerModel.from_json`` reads)."""
    model = {
        "features": list(FEATURES),
        "weights": [round(float(x), 5) for x in first],
        "later_weights": [round(float(x), 5) for x in later],
        "rule_confidence": confidence,
        "decoder": decoder,
        "metadata": metadata,
    }
    return json.dumps(model, indent=1) + "\n"


def write_model(
    corpora: dict[str, Data], pass_one: dict[str, Data], search: DecoderSearch, report: Any
) -> None:
    """Both passes fitted on every document, the decoder chosen on every document's
    held-out second-pass probabilities."""
    data = {name: turns for d in corpora.values() for name, turns in d.items()}
    first = fit([t for turns in data.values() for t in turns])
    later = fit([t for d in pass_one.values() for turns in d.values() for t in turns])
    metadata = {"trained_on": sorted(data), "l2": L2, "cross_validation": report}
    MODEL_PATH.write_text(
        _model(first, later, rule_confidence(data), search.choose(set()), metadata),
        encoding="utf-8",
    )
    print(f"wrote {MODEL_PATH}")


def write_held_out(
    folder: Path,
    corpora: dict[str, Data],
    fits: dict[str, dict[Key, np.ndarray]],
    search: DecoderSearch,
) -> None:
    """Each document's held-out model: both passes and the decoder of its fold."""
    folder.mkdir(parents=True, exist_ok=True)
    for corpus, held in folds(corpora):
        decoder = search.choose({(corpus, name) for name in held})
        train = {n: t for c, d in corpora.items() for n, t in d.items() if c != corpus}
        train |= {n: t for n, t in corpora[corpus].items() if n not in held}
        confidence = rule_confidence(train)
        for name in held:
            first, later = fits["sieve"][(corpus, name)], fits["pass1"][(corpus, name)]
            metadata = {"held_out": name, "l2": L2}
            text = _model(first, later, confidence, decoder, metadata)
            (folder / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"wrote held-out models to {folder}")


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if ":" in a]
    if not args:
        print(__doc__)
        return 2
    corpora: dict[str, Data] = {}
    states: dict[Key, State] = {}
    for arg in args:
        data_dir, gold, parse = (Path(p) for p in arg.split(":"))
        corpora[data_dir.name] = load(data_dir)
        for doc in read_gold(gold):
            states[(data_dir.name, doc.id)] = document_turns(doc, parse)
    fits = {"sieve": fold_fits(corpora)}
    pass_one = pass_one_rows(states, corpora, fits["sieve"])
    fits["pass1"] = fold_fits(pass_one)
    searches = {
        "sieve": held_out_steps(corpora, fits["sieve"]),
        "pass1": held_out_steps(pass_one, fits["pass1"]),
    }
    report = evaluate(states, corpora, fits, searches)
    print(json.dumps(report, indent=2))
    if "--write" in argv:
        write_model(corpora, pass_one, searches["pass1"], report)
    if "--held-out" in argv:
        folder = Path(argv[argv.index("--held-out") + 1])
        write_held_out(folder, corpora, fits, searches["pass1"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
