"""The speaker model file and the ranker's two passes."""

from __future__ import annotations

import pytest

from ficlens.characters import given_characters
from ficlens.dialogue.attribution import rank, sieve
from ficlens.dialogue.features import FEATURES
from ficlens.dialogue.layout import Paragraphs
from ficlens.dialogue.ranker import SpeakerModel, SpeakerModelError
from ficlens.ingest import read_text
from ficlens.pipeline import Options, run_document

ZERO = [0.0] * len(FEATURES)


def _leaning(weight: float) -> list[float]:
    """Weights that prefer the character mentioned most in the whole text (or least)."""
    out = list(ZERO)
    out[FEATURES.index("global_log_mentions")] = weight
    return out


def test_the_later_passes_have_weights_of_their_own_when_the_file_gives_them() -> None:
    data = {"features": list(FEATURES), "weights": _leaning(1.0)}
    alone = SpeakerModel.from_json(data, "m")
    assert alone.later().weights == alone.weights
    both = SpeakerModel.from_json({**data, "later_weights": _leaning(-1.0)}, "m")
    assert both.weights == tuple(_leaning(1.0))
    assert both.later().weights == tuple(_leaning(-1.0))


def test_later_weights_of_another_length_are_refused() -> None:
    data = {"features": list(FEATURES), "weights": ZERO, "later_weights": [1.0]}
    with pytest.raises(SpeakerModelError, match="retrain"):
        SpeakerModel.from_json(data, "m")


def test_the_later_passes_decide_with_the_later_weights() -> None:
    text = 'Ada met Ben at the gate. Ada waved. Ada laughed.\n\n"Tea?"\n\n"Please."\n'
    cast = given_characters([{"id": "ada", "name": "Ada"}, {"id": "ben", "name": "Ben"}])
    doc = run_document(read_text(text), Options(characters=tuple(cast)))
    a = doc.analysis
    story = [(s.start, s.end) for s in a.segments if s.kind == "story"]
    characters = doc.layer("characters")

    def speakers(model: SpeakerModel) -> list[str | None]:
        turns = sieve(
            text,
            doc.layer("quotes").quotes,
            doc.layer("language"),
            characters,
            Paragraphs(text, story),
            [],
        )
        rank(text, turns, characters, model)
        return [t.answer.speaker for t in turns]

    # Ada is mentioned three times, Ben once: the first pass's weights favour Ada, the
    # later passes' Ben, and the later passes have the last word.
    assert speakers(SpeakerModel(tuple(_leaning(5.0)))) == ["ada", "ada"]
    assert speakers(SpeakerModel(tuple(_leaning(5.0)), later_weights=tuple(_leaning(-5.0)))) == [
        "ben",
        "ben",
    ]
