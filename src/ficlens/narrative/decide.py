"""Person and tense from counted narration cues, with the share of cues that agree.

Why these thresholds: a first-person narrator telling someone else's story says "he"
and "she" far more than "I", so first person needs only a quarter of the personal
pronouns (as ``characters/narrator.is_first_person``); second person is a "you" that
outnumbers "I" and is a quarter of them too. Tense is a plain majority of the finite
verbs of narration outside backstory and flashbacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ficlens.model import Evidence, Person, Tense
from ficlens.narrative.scan import Sentence

#: Fewer cues than this and a scene inherits the fic's decision (share left empty).
MIN_CUES = 3
FIRST_SHARE = 0.25
SAMPLES = 3


@dataclass(frozen=True)
class Decision:
    person: Person | None
    person_share: float | None
    tense: Tense | None
    tense_share: float | None
    evidence: list[Evidence]


def _spread(items: list[tuple[int, int, str]], n: int = SAMPLES) -> list[tuple[int, int, str]]:
    """Up to ``n`` samples spread over the text rather than its first lines."""
    if len(items) <= n:
        return items
    return [items[(2 * i + 1) * len(items) // (2 * n)] for i in range(n)]


def _share(n: int, total: int) -> float | None:
    return round(n / total, 3) if total else None


def decide(sentences: Iterable[Sentence]) -> Decision:
    """Person and tense of a run of sentences (a scene or the whole fic)."""
    first: list[tuple[int, int, str]] = []
    second: list[tuple[int, int, str]] = []
    third: list[tuple[int, int, str]] = []
    present: list[tuple[int, int, str]] = []
    past: list[tuple[int, int, str]] = []
    for s in sentences:
        first += s.first
        second += s.second
        third += s.third
        if s.evidence:
            present += s.present
            past += s.past
    nf, ns, nt = len(first), len(second), len(third)
    total = nf + ns + nt
    person: Person | None = None
    chosen: list[tuple[int, int, str]] = []
    if total >= MIN_CUES:
        if ns >= MIN_CUES and ns > nf and ns >= FIRST_SHARE * total:
            person, chosen = "second", second
        elif nf >= MIN_CUES and nf >= FIRST_SHARE * total:
            person, chosen = "first", first
        else:
            person, chosen = "third", third
    tense: Tense | None = None
    verbs: list[tuple[int, int, str]] = []
    if len(present) + len(past) >= MIN_CUES:
        tense, verbs = ("present", present) if len(present) > len(past) else ("past", past)
    evidence = [
        Evidence(start=a, end=b, cue=f"{person} person: {w}") for a, b, w in _spread(chosen)
    ]
    evidence += [Evidence(start=a, end=b, cue=f"{tense}: {w}") for a, b, w in _spread(verbs)]
    return Decision(
        person=person,
        person_share=_share(len(chosen), total) if person else None,
        tense=tense,
        tense_share=_share(len(verbs), len(present) + len(past)) if tense else None,
        evidence=evidence,
    )
