"""Category (F/F, F/M, Gen, M/M, Multi, Other) from the romantic relationships and genders.

AO3's category describes the romantic or sexual relationships a work is about: one per
kind of pairing present, "Multi" when there are several kinds or a relationship of more
than two people, "Other" when a partner is neither a woman nor a man, and "Gen" when there
is no romance at all. A pair with a partner of unknown gender says nothing, so it is left
out rather than guessed.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from ficlens.model import Analysis, Evidence, TagSuggestion
from ficlens.tagging.cues import MAX_EVIDENCE
from ficlens.tagging.people import significant_relationships
from ficlens.tagging.vocabulary import F_F, F_M, GEN, M_M, MULTI, OTHER

_PAIR = {
    ("female", "female"): F_F,
    ("female", "male"): F_M,
    ("male", "male"): M_M,
}


def _triads(pairs: list[tuple[str, str]]) -> bool:
    """Three people all romantically linked with each other: a poly relationship."""
    linked = {frozenset(p) for p in pairs}
    people = sorted({x for p in pairs for x in p})
    return any(
        {frozenset((a, b)), frozenset((a, c)), frozenset((b, c))} <= linked
        for a, b, c in combinations(people, 3)
    )


def suggest_category(analysis: Analysis) -> list[TagSuggestion]:
    gender = {c.id: c.gender for c in analysis.characters}
    romantic = [r for r in significant_relationships(analysis) if r.kind == "romantic"]
    if not romantic:
        return [TagSuggestion(tag=GEN, confidence=0.7 if analysis.relationships else 0.6)]
    found: dict[str, list[float]] = {}
    evidence: dict[str, list[Evidence]] = {}
    for r in romantic:
        genders = tuple(sorted(gender.get(i, "unknown") for i in r.pair))
        if "unknown" in genders:
            continue
        cat = _PAIR.get((genders[0], genders[1]), OTHER)
        found.setdefault(cat, []).append(r.score)
        evidence.setdefault(cat, []).extend(r.evidence[:2])
    out = [
        TagSuggestion(
            tag=cat,
            confidence=round(min(0.95, max(scores)), 3),
            evidence=evidence[cat][:MAX_EVIDENCE],
        )
        for cat, scores in sorted(found.items())
    ]
    people = Counter(i for r in romantic for i in r.pair)
    multi_ev = [ev[0] for ev in evidence.values() if ev][:MAX_EVIDENCE]
    if len(found) > 1 or _triads([r.pair for r in romantic]):
        multi_conf = 0.6 if len(found) > 1 else 0.5
        out.append(TagSuggestion(tag=MULTI, confidence=multi_conf, evidence=multi_ev))
    elif out and max(people.values()) >= 3:
        out.append(TagSuggestion(tag=MULTI, confidence=0.35, evidence=multi_ev))
    return sorted(out, key=lambda s: s.tag)
