"""Pronoun linking on LitBank with both learned models held out (novel-level).

    python training/coref_data.py GOLD_JSONL training/cache/coref.pkl PARSE_CACHE
    python training/speaker_passes.py …pdnc… …litbank… --held-out training/cache/held_out
    python training/pronoun_cv.py GOLD_JSONL PARSE_CACHE training/cache/coref.pkl \
        training/cache/held_out [--end-to-end]

``ficlens eval`` and ``coref_pipeline.py`` run the shipped models, which were fitted on
these documents: their pronoun figure is in-sample. Here every document is analysed with
a pronoun scorer fitted on the other folds of ``train_coref.py`` and with the speaker
model that scores it held out in ``speaker_passes.py`` (a quotation's "I" and "you" are
its attributed speaker and addressee), and pronoun linking is scored the way the eval
does. Prints the held-out figure, the in-sample one of the shipped models, and each
model held out alone.
"""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from coref_pipeline import run_doc
from train_coref import FOLDS, fit_scorer

import ficlens.characters.stage as characters_stage
import ficlens.dialogue.attribution as attribution
from ficlens.characters.coref import Scorer, Weights, shipped_scorer, shipped_weights
from ficlens.dialogue.ranker import SpeakerModel, shipped_model
from ficlens.eval.gold import read_gold
from ficlens.eval.run import score_document


def held_out_scorers(problems: list[dict[str, Any]]) -> dict[str, Scorer]:
    """For every document, the pronoun scorer fitted without its fold (the folds and the
    salience weights of ``train_coref.py``)."""
    folds = [problems[i::FOLDS] for i in range(FOLDS)]
    out: dict[str, Scorer] = {}
    for i, held in enumerate(folds):
        train = [p for j, fold in enumerate(folds) if j != i for p in fold]
        scorer = fit_scorer(train, shipped_weights())
        out.update({str(p["id"]): scorer for p in held})
    return out


@contextmanager
def models(weights: Weights, scorer: Scorer | None, speaker: SpeakerModel | None) -> Iterator[None]:
    """Run the pipeline with these models in place of the shipped ones."""
    saved = (characters_stage.shipped_weights, characters_stage.shipped_scorer)
    saved_speaker = attribution.shipped_model
    characters_stage.shipped_weights = lambda: weights  # type: ignore[assignment]
    characters_stage.shipped_scorer = lambda: scorer  # type: ignore[assignment]
    attribution.shipped_model = lambda: speaker  # type: ignore[assignment]
    try:
        yield
    finally:
        characters_stage.shipped_weights, characters_stage.shipped_scorer = saved
        attribution.shipped_model = saved_speaker


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 4:
        print(__doc__)
        return 2
    gold, cache, pickled, held_dir = (Path(a) for a in args)
    end_to_end = "--end-to-end" in argv
    with open(pickled, "rb") as fh:
        scorers = held_out_scorers(pickle.load(fh))
    shipped = shipped_model()
    totals: dict[str, list[int]] = {}
    for doc in read_gold(gold):
        data = json.loads((held_dir / f"{doc.id}.json").read_text(encoding="utf-8"))
        speaker = SpeakerModel.from_json(data, doc.id)
        settings = {
            "held out": (scorers[doc.id], speaker),
            "held-out pronoun scorer, shipped speaker model": (scorers[doc.id], shipped),
            "shipped pronoun scorer, held-out speaker model": (shipped_scorer(), speaker),
            "shipped (in-sample)": (shipped_scorer(), shipped),
        }
        for key, (scorer, speakers) in settings.items():
            with models(shipped_weights(), scorer, speakers):
                run = run_doc(doc, cache, end_to_end)
            scores = score_document(doc, run.analysis, 0.0, given_characters=not end_to_end)
            right, total = totals.setdefault(key, [0, 0])
            totals[key] = [right + scores.pronouns.correct, total + scores.pronouns.total]
    for key, (right, total) in totals.items():
        print(f"pronoun linking, {key}: {right}/{total} = {right / max(total, 1):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
