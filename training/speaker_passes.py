"""Held-out speaker accuracy of the analysis path itself: ranker passes and the decoder.

``train_speaker.py`` scores one ranker pass from the saved feature rows, whose neighbouring
speakers are the sieve's. Analysis runs more passes (the later ones read the earlier
answers) and then the conversation decoder, which the rows cannot replay. This script
rebuilds each document's turns (as ``speaker_data.py`` does), fits the ranker and chooses
the decoder's weights on the same folds as ``train_speaker.py``, and runs
``attribution.rank`` on every held-out document in several settings:

    python training/speaker_passes.py training/cache/pdnc:../shared/data/gold/dev/pdnc.jsonl:\
training/cache/parse/pdnc [training/cache/litbank:…litbank.jsonl:training/cache/parse/litbank]
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
from train_speaker import Data, DecoderSearch, fit_without, folds, load, steps

from ficlens.characters import CharacterLayer
from ficlens.dialogue.attribution import Turn, _decode, _rank, ranker_rows
from ficlens.dialogue.ranker import SpeakerModel
from ficlens.eval.gold import read_gold

#: (name, the rows each ranker pass was fitted on, decode): "sieve" rows are the saved
#: ones (neighbours' speakers from the sieve), "pass1" rows are rebuilt with the first
#: pass's held-out answers as the neighbours' speakers (what a second pass reads).
SETTINGS = (
    ("1 pass", ("sieve",), False),
    ("2 passes", ("sieve", "sieve"), False),
    ("1 pass + decoder", ("sieve",), True),
    ("2 passes + decoder", ("sieve", "sieve"), True),
    ("2 passes, the second fitted on pass-1 rows", ("sieve", "pass1"), False),
    ("2 passes, the second fitted on pass-1 rows + decoder", ("sieve", "pass1"), True),
)

State = tuple[list[Turn], CharacterLayer, list[Any]]
Key = tuple[str, str]


def fold_fits(corpora: dict[str, Data]) -> dict[Key, np.ndarray]:
    """The ranker weights that score each document held out (fitted on the other folds)."""
    out = {}
    for corpus, held in folds(corpora):
        w = fit_without(corpora, corpus, held)
        out.update({(corpus, name): w for name in held})
    return out


def pass_one_rows(states: dict[Key, State], fits: dict[Key, np.ndarray]) -> dict[str, Data]:
    """Training rows whose neighbouring speakers are the first ranker pass's held-out
    answers, as the second pass sees them at analysis time."""
    out: dict[str, Data] = defaultdict(dict)
    for (corpus, name), (turns, characters, golds) in states.items():
        saved = [copy.copy(t.answer) for t in turns]
        _rank(turns, characters, SpeakerModel(tuple(map(float, fits[(corpus, name)]))))
        out[corpus][name] = [
            {"speaker": g.speaker, "candidates": cands, "rows": rows}
            for g, (cands, rows) in zip(golds, ranker_rows(turns, characters), strict=True)
        ]
        for t, a in zip(turns, saved, strict=True):
            t.answer = a
    return out


def run(
    turns: list[Turn], characters: CharacterLayer, models: list[SpeakerModel], decode: bool
) -> None:
    """``attribution.rank`` with a model per pass."""
    scored: list[list[float] | None] = []
    for model in models:
        scored = _rank(turns, characters, model)
    if decode:
        _decode(turns, scored, models[-1])


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    corpora: dict[str, Data] = {}
    states: dict[Key, State] = {}
    for arg in argv[1:]:
        data_dir, gold, parse = (Path(p) for p in arg.split(":"))
        corpora[data_dir.name] = load(data_dir)
        for doc in read_gold(gold):
            states[(data_dir.name, doc.id)] = document_turns(doc, parse)
    fits = {"sieve": fold_fits(corpora)}
    fits["pass1"] = fold_fits(pass_one_rows(states, fits["sieve"]))
    search = DecoderSearch(
        {k: (corpora[k[0]][k[1]], steps(corpora[k[0]][k[1]], w)) for k, w in fits["sieve"].items()}
    )
    right: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    total: dict[str, Counter[str]] = defaultdict(Counter)
    for corpus, held in folds(corpora):
        decoder = search.choose({(corpus, name) for name in held})
        for name in held:
            turns, characters, golds = states[(corpus, name)]
            sieve_answers = [copy.copy(t.answer) for t in turns]
            for setting, rows, decode in SETTINGS:
                for t, a in zip(turns, sieve_answers, strict=True):
                    t.answer = copy.copy(a)
                models = [
                    SpeakerModel(tuple(map(float, fits[r][(corpus, name)])), {}, decoder)
                    for r in rows
                ]
                run(turns, characters, models, decode)
                for t, g in zip(turns, golds, strict=True):
                    if g.speaker is None:
                        continue
                    for key in (g.type or "none", "all"):
                        right[corpus][setting][key] += int(t.answer.speaker == g.speaker)
                        if setting == SETTINGS[0][0]:
                            total[corpus][key] += 1
    report = {
        corpus: {
            setting: {k: round(right[corpus][setting][k] / n[k], 4) for k in sorted(n)}
            for setting, _, _ in SETTINGS
        }
        | {"n": dict(n)}
        for corpus, n in total.items()
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
