"""The conversation decoder, on short invented exchanges built by hand."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ficlens.dialogue.attribution import Attribution, Turn, _decode
from ficlens.dialogue.decode import MAX_STATES, Step, decode, observed, ranked
from ficlens.dialogue.features import FEATURES
from ficlens.dialogue.ranker import SpeakerModel, SpeakerModelError

#: Weights of the size the training chooses: a repeat across paragraphs without a tag is
#: unlikely, the speaker of turn n−2 likely.
WEIGHTS = {"repeat_adjacent_untagged": -2.0, "alternate_untagged": 0.5}


def _speakers(steps: list[Step], weights: dict[str, float]) -> list[str | None]:
    return [s.speakers[i] for s, i in zip(steps, decode(steps, weights), strict=True)]


def _leaning(lean: str, other: str, p: float, paragraph: int, conversation: int = 0) -> Step:
    """An untagged turn in its own paragraph that the ranker gives to ``lean`` with p."""
    return ranked([lean, other], [p, 1 - p], conversation, paragraph, paragraph)


def test_untagged_exchange_after_two_named_turns_alternates() -> None:
    # Ada and Ben are named; the ranker then leans slightly to Ben on every untagged turn
    # (as a nearest-mention feature would), which alone gives Ben three lines in a row.
    steps = [
        observed("ada", 0, 0, 0, tagged=True),
        observed("ben", 0, 1, 1, tagged=True),
        *(_leaning("ben", "ada", 0.55, p) for p in range(2, 6)),
    ]
    assert _speakers(steps, {}) == ["ada", "ben", "ben", "ben", "ben", "ben"]
    assert _speakers(steps, WEIGHTS) == ["ada", "ben", "ada", "ben", "ada", "ben"]


def test_a_confident_turn_outweighs_the_alternation() -> None:
    steps = [
        observed("ada", 0, 0, 0, tagged=True),
        observed("ben", 0, 1, 1, tagged=True),
        _leaning("ben", "ada", 0.97, 2),
    ]
    assert _speakers(steps, WEIGHTS) == ["ada", "ben", "ben"]


def test_an_observed_turn_is_never_changed() -> None:
    # However strongly the transitions want Ada back on turn 3, its tag named Cleo.
    steps = [
        observed("ada", 0, 0, 0, tagged=True),
        observed("ben", 0, 1, 1, tagged=True),
        observed("cleo", 0, 2, 2, tagged=True),
        _leaning("ben", "cleo", 0.5, 3),
    ]
    strong = {"alternate_tagged": 9.0, "alternate_untagged": 9.0, "repeat_tagged": -9.0}
    got = _speakers(steps, strong)
    assert got[:3] == ["ada", "ben", "cleo"]
    assert got[3] == "ben"  # n−2 of turn 3 is Ben


def test_a_new_conversation_does_not_inherit_the_alternation() -> None:
    steps = [
        observed("ada", 0, 0, 0, tagged=True),
        observed("ben", 0, 1, 1, tagged=True),
        _leaning("ben", "ada", 0.55, 9, conversation=1),
    ]
    assert _speakers(steps, WEIGHTS)[2] == "ben"


def test_two_turns_in_one_paragraph_keep_their_speaker() -> None:
    steps = [
        observed("ada", 0, 0, 0, tagged=True),
        ranked(["ben", "ada"], [0.6, 0.4], 0, 0, 0),
    ]
    assert _speakers(steps, {"repeat_same_paragraph": 1.0}) == ["ada", "ada"]
    assert _speakers(steps, {}) == ["ada", "ben"]


def test_a_repeat_after_narration_is_weighed_apart_from_an_adjacent_one() -> None:
    def steps(paragraph: int) -> list[Step]:
        return [
            observed("ada", 0, 0, 0, tagged=True),
            ranked(["ben", "ada"], [0.55, 0.45], 0, paragraph, paragraph),
        ]

    weights = {"repeat_adjacent_untagged": -2.0, "repeat_after_narration": 1.0}
    assert _speakers(steps(1), weights) == ["ada", "ben"]
    assert _speakers(steps(3), weights) == ["ada", "ada"]  # narration in paragraphs 1-2


def test_a_ranked_turn_keeps_its_best_few_candidates() -> None:
    names = [f"c{i}" for i in range(8)]
    probs = [0.005, 0.3, 0.2, 0.1, 0.15, 0.1, 0.1, 0.045]
    step = ranked(names, probs, 0, 0, 0)
    assert step.speakers[0] == "c1" and len(step.speakers) == MAX_STATES
    assert "c0" not in step.speakers


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    group: int
    speech: bool = True


def _turn(group: int, speaker: str, rule: str, cands: list[str]) -> Turn:
    turn = Turn([_Piece(group * 10, group * 10 + 5, group)], group, group)
    turn.answer = Attribution(speaker=speaker, rule=rule)
    turn.candidates = cands
    return turn


def test_attribution_decodes_the_ranked_turns_and_leaves_sure_tags() -> None:
    model = SpeakerModel(tuple(0.0 for _ in FEATURES), {}, WEIGHTS)
    turns = [
        _turn(0, "ada", "tag_name", ["ada", "ben"]),
        _turn(1, "ben", "tag_name", ["ben", "ada"]),
        _turn(2, "ben", "ranker", ["ben", "ada"]),
        _turn(3, "ben", "ranker", ["ben", "ada"]),
    ]
    _decode(turns, [None, None, [0.55, 0.45], [0.55, 0.45]], model)
    assert [t.answer.speaker for t in turns] == ["ada", "ben", "ada", "ben"]
    assert [t.answer.rule for t in turns] == ["tag_name", "tag_name", "conversation", "ranker"]
    assert turns[2].answer.confidence == 0.45


def test_a_model_with_unknown_decoder_terms_is_refused() -> None:
    data = {"features": list(FEATURES), "weights": [0.0] * len(FEATURES)}
    assert SpeakerModel.from_json({**data, "decoder": {"alternate_untagged": 1}}, "m").decoder
    with pytest.raises(SpeakerModelError):
        SpeakerModel.from_json({**data, "decoder": {"no_such_term": 1.0}}, "m")
