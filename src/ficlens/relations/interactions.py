"""Who interacts with whom: dialogue turns, shared scenes and mentions per pair.

Why these three: talking to someone (a speech quote's speaker → its addressees), being in
the same scene, and naming or referring to someone (in one's own speech, or in one
narration sentence together) are what a reader counts when asking "how much do these two
have to do with each other?". The weight combines them so that one line of dialogue
counts as much as one shared scene and twice as much as one co-mention:

    weight = dialogue_turns + 0.5 * mentions + shared_scenes

A pair "interacts" when it has at least one dialogue turn or one mention; sharing a
scene alone (two people in one long chapter) is not an interaction.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator

from ficlens.cast import dialogue_turns
from ficlens.model import Analysis, Interaction
from ficlens.relations.context import TextIndex, pair

TURN_WEIGHT = 1.0
MENTION_WEIGHT = 0.5
SCENE_WEIGHT = 1.0


def _scene_members(analysis: Analysis) -> Iterator[set[str]]:
    """The characters mentioned or speaking in each scene (the whole text when unsplit)."""
    bounds = [(s.start, s.end) for s in analysis.scenes] or [(0, len(analysis.text))]
    starts = [s for s, _ in bounds]
    members: list[set[str]] = [set() for _ in bounds]

    def add(offset: int, character: str | None) -> None:
        i = bisect_right(starts, offset) - 1
        if character and i >= 0 and offset < bounds[i][1]:
            members[i].add(character)

    for m in analysis.mentions:
        add(m.start, m.character)
    for q in analysis.quotes:
        if q.speech:
            add(q.start, q.speaker)
    return iter(members)


def _mentions(analysis: Analysis, index: TextIndex) -> Counter[tuple[str, str]]:
    """Mentions of each other: inside one's own speech, or together in a narration sentence."""
    counts: Counter[tuple[str, str]] = Counter()
    for q in index.quotes:
        if q.speaker is None:
            continue
        for p in index.mentions_in(q.start, q.end):
            if p.character != q.speaker:
                counts[pair(q.speaker, p.character)] += 1
    for i, start in enumerate(index.sent_starts):
        end = index.sent_ends[i]
        present = {
            p.character for p in index.mentions_in(start, end) if index.quote_at(p.offset) is None
        }
        if len(present) < 2:
            continue
        ordered = sorted(present)
        for x, a in enumerate(ordered):
            for b in ordered[x + 1 :]:
                counts[(a, b)] += 1
    return counts


def interactions(analysis: Analysis, index: TextIndex) -> list[Interaction]:
    """One :class:`Interaction` per interacting pair, ``a < b``, heaviest first."""
    turns = dialogue_turns(analysis)
    mentions = _mentions(analysis, index)
    scenes: Counter[tuple[str, str]] = Counter()
    for members in _scene_members(analysis):
        ordered = sorted(members)
        for x, a in enumerate(ordered):
            for b in ordered[x + 1 :]:
                scenes[(a, b)] += 1
    pairs = {pair(s, t) for s, t in turns} | set(mentions)
    out: list[Interaction] = []
    for a, b in pairs:
        a_to_b, b_to_a = turns.get((a, b), 0), turns.get((b, a), 0)
        shared, named = scenes.get((a, b), 0), mentions.get((a, b), 0)
        weight = TURN_WEIGHT * (a_to_b + b_to_a) + MENTION_WEIGHT * named + SCENE_WEIGHT * shared
        out.append(
            Interaction(
                a=a,
                b=b,
                dialogue_turns=a_to_b + b_to_a,
                a_to_b=a_to_b,
                b_to_a=b_to_a,
                shared_scenes=shared,
                mentions=named,
                weight=round(weight, 3),
            )
        )
    out.sort(key=lambda i: (-i.weight, i.a, i.b))
    return out
