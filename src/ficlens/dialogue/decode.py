"""Conversation-level decoding of speakers: a second-order Viterbi over each conversation.

The ranker scores every turn's candidates on its own. The decoder then picks the speakers
of a whole conversation together: the sum of each turn's log-probability plus a few
transition terms the per-turn ranker cannot express, since they compare *decided* speakers
with each other (the ranker only sees the sieve's or its previous pass's answers):

``repeat_same_paragraph``     turn n's speaker is turn n−1's, in the same paragraph
``repeat_adjacent_untagged``  … in the next paragraph, no narration between, no tag
``repeat_tagged``             … in another paragraph, with a tag
``repeat_after_narration``    … no tag, narration between
``alternate_untagged``        turn n's speaker is turn n−2's (and not n−1's), no tag
``alternate_tagged``          … with a tag

(a tag is a speech tag or an action beat beside the quotation, whoever it names)

Their weights are learned on held-out novels (``training/speaker_passes.py``) and stored in
the model file. Turns the sieve is sure of (``SURE_RULES``: a tag naming the speaker, "I
said", a beat whose subject is a name) are observed: they have a single state, so the
decoder never changes them but they anchor their neighbours.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TRANSITIONS: tuple[str, ...] = (
    "repeat_same_paragraph",
    "repeat_adjacent_untagged",
    "repeat_tagged",
    "repeat_after_narration",
    "alternate_untagged",
    "alternate_tagged",
)

#: States kept per turn: the ranker's best few candidates (the rest almost never win).
MAX_STATES = 4
#: Candidates below this probability are not states (unless they are the best).
MIN_PROBABILITY = 0.01


@dataclass(frozen=True)
class Step:
    """One turn as the decoder sees it: its possible speakers with their log-probabilities
    (a single one, scored 0, when the turn is observed) and where it sits."""

    speakers: tuple[str | None, ...]
    scores: tuple[float, ...]
    conversation: int
    first_paragraph: int
    last_paragraph: int
    tagged: bool = False  # a speech tag or an action beat was found


def observed(
    speaker: str | None,
    conversation: int,
    first_paragraph: int,
    last_paragraph: int,
    tagged: bool = False,
) -> Step:
    """A turn whose speaker is fixed."""
    return Step((speaker,), (0.0,), conversation, first_paragraph, last_paragraph, tagged)


def ranked(
    candidates: Sequence[str],
    probabilities: Sequence[float],
    conversation: int,
    first_paragraph: int,
    last_paragraph: int,
    tagged: bool = False,
) -> Step:
    """A turn the ranker scored: its best candidates as states."""
    order = sorted(range(len(candidates)), key=lambda i: -probabilities[i])
    keep = [i for i in order[:MAX_STATES] if probabilities[i] >= MIN_PROBABILITY] or order[:1]
    return Step(
        tuple(candidates[i] for i in keep),
        tuple(math.log(max(probabilities[i], 1e-9)) for i in keep),
        conversation,
        first_paragraph,
        last_paragraph,
        tagged,
    )


def transition_features(
    steps: Sequence[Step], n: int, a: str | None, b: str | None, c: str | None
) -> list[str]:
    """Names of the transition terms that fire when turns n−2, n−1, n (same conversation;
    ``a`` or ``b`` None when absent) have speakers a, b, c."""
    if c is None:
        return []
    out: list[str] = []
    turn = steps[n]
    if b is not None and c == b:
        prev = steps[n - 1]
        if turn.first_paragraph == prev.last_paragraph:
            out.append("repeat_same_paragraph")
        elif turn.tagged:
            out.append("repeat_tagged")
        elif turn.first_paragraph == prev.last_paragraph + 1:
            out.append("repeat_adjacent_untagged")
        else:
            out.append("repeat_after_narration")
    if a is not None and c == a and c != b:
        out.append("alternate_tagged" if turn.tagged else "alternate_untagged")
    return out


def decode(steps: Sequence[Step], weights: Mapping[str, float]) -> list[int]:
    """The index of the chosen speaker of every step (into ``Step.speakers``), maximising
    the sum of the steps' scores and the weighted transition terms within conversations."""
    out: list[int] = []
    start = 0
    for end in range(1, len(steps) + 1):
        if end == len(steps) or steps[end].conversation != steps[start].conversation:
            out += _viterbi(steps, start, end, weights)
            start = end
    return out


def _viterbi(
    steps: Sequence[Step], start: int, end: int, weights: Mapping[str, float]
) -> list[int]:
    """Second-order Viterbi over steps[start:end]; states are pairs (index at n−1, at n)."""
    if all(len(s.speakers) == 1 for s in steps[start:end]):
        return [0] * (end - start)
    first = steps[start]
    best: dict[tuple[int, int], float] = {(-1, j): v for j, v in enumerate(first.scores)}
    back: list[dict[tuple[int, int], int]] = [{}]
    for n in range(start + 1, end):
        step = steps[n]
        before = steps[n - 1].speakers
        twice = steps[n - 2].speakers if n - 2 >= start else ()
        new: dict[tuple[int, int], float] = {}
        pointer: dict[tuple[int, int], int] = {}
        for (i, j), value in best.items():
            a = twice[i] if i >= 0 else None
            b = before[j]
            for k, c in enumerate(step.speakers):
                score = value + step.scores[k]
                for name in transition_features(steps, n, a, b, c):
                    score += weights.get(name, 0.0)
                if (j, k) not in new or score > new[(j, k)]:
                    new[(j, k)] = score
                    pointer[(j, k)] = i
        best = new
        back.append(pointer)
    (j, k) = max(best, key=best.__getitem__)
    path = [k]
    for n in range(end - start - 1, 0, -1):
        i = back[n][(j, k)]
        path.append(j)
        j, k = i, j
    path.reverse()
    return path
