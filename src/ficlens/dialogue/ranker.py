"""The learned speaker ranker: a conditional logit over candidate characters.

Weights live in ``speaker_model.json`` inside the package (trained by
``training/speaker_passes.py --write``; see docs/training.md), so analysis needs no
training data.
Scores are turned into probabilities with a softmax over the turn's candidates, which is
what the model was fitted to, so the top probability is the quote's confidence. The
passes after the first have weights of their own (``later_weights``), fitted on rows whose
neighbouring speakers are the first pass's answers rather than the sieve's, since that is
what they read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from ficlens.dialogue.decode import TRANSITIONS
from ficlens.dialogue.features import FEATURES
from ficlens.errors import FicError

MODEL_FILE = "speaker_model.json"


class SpeakerModelError(FicError):
    """The shipped or given speaker model does not fit this version of the features."""


@dataclass(frozen=True)
class SpeakerModel:
    weights: tuple[float, ...]
    rule_confidence: dict[str, float] = field(default_factory=dict)
    #: Weights of the conversation decoder's transition terms (none: no decoding).
    decoder: dict[str, float] = field(default_factory=dict)
    metadata: dict[str, object] = field(default_factory=dict)
    #: Weights of the passes after the first (none: the first pass's weights).
    later_weights: tuple[float, ...] = ()

    def later(self) -> SpeakerModel:
        """The model of the passes after the first."""
        return replace(self, weights=self.later_weights or self.weights)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Softmax of the linear scores of each candidate row."""
        scores = [sum(w * x for w, x in zip(self.weights, row, strict=True)) for row in rows]
        top = max(scores, default=0.0)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps) or 1.0
        return [e / total for e in exps]

    @classmethod
    def from_json(cls, data: dict[str, object], origin: str) -> SpeakerModel:
        names = data.get("features")
        weights = data.get("weights")
        later = data.get("later_weights") or []
        if (
            names != list(FEATURES)
            or not isinstance(weights, list)
            or not isinstance(later, list)
            or len(later) not in (0, len(weights))
        ):
            raise SpeakerModelError(
                f"{origin}: its features do not match this ficlens version; retrain it with "
                "training/speaker_passes.py --write"
            )
        conf = data.get("rule_confidence") or {}
        decoder = data.get("decoder") or {}
        meta = data.get("metadata") or {}
        assert isinstance(conf, dict) and isinstance(decoder, dict) and isinstance(meta, dict)
        if not set(decoder) <= set(TRANSITIONS):
            raise SpeakerModelError(
                f"{origin}: its decoder terms do not match this ficlens version; retrain it "
                "with training/speaker_passes.py --write"
            )
        return cls(
            tuple(float(w) for w in weights),
            dict(conf),
            {k: float(v) for k, v in decoder.items()},
            dict(meta),
            tuple(float(w) for w in later),
        )


@lru_cache(maxsize=1)
def shipped_model() -> SpeakerModel | None:
    """The model shipped in the package, or None when it has not been trained yet."""
    path = resources.files("ficlens.dialogue").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return SpeakerModel.from_json(data, f"ficlens/dialogue/{MODEL_FILE}")
