"""Turn cue hits, canon ties, declared tags and interactions into scored relationships.

Why these formulas (each a saturating 1 − exp(−mass / scale), so one more cue matters
less once the case is made, and every score stays in [0, 1]):

- romantic: mass = present-romance cues + half of history cues (exes, breakups, "I'm
  over him"); scaled by the share of present cues (0.35 for a pure ex, 1.0 for no
  history at all), because an ex is romantic history, not the fic's pairing; then by the
  pair's presence, 0.5 + 0.5·sqrt(weight / heaviest interaction weight): a romance the fic
  is about is one it shows, not one it recalls. A pair that is family (a canon tie, or
  kin cues weighing at least half its romantic cues) keeps only a quarter of its
  romantic score (mothers and daughters hug and love each other).
- family: kin cues ("his mother", "Mom," in speech) and canon family ties (weight 2
  each); a shared surname adds 1 when there is already family evidence.
- platonic: friend cues and canon friendships (1.5), scaled by presence like romance;
  halved when the present-romance mass is at least the friendship mass (lovers are
  called friends too; friends are rarely kissed).
- a declared tag ("A/B", "A & B") lifts its kind to 1 − 0.3·(1 − score), at least 0.7.

One relationship per pair: the kind with the highest score (ties: declared, then family,
romantic, platonic).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ficlens.model import Character, Evidence, Interaction, Relationship, RelationshipKind
from ficlens.relations.context import TextIndex
from ficlens.relations.cues import CueHit
from ficlens.relations.knowledge import CanonTie, Declared

ROMANTIC_SCALE = 6.0
FAMILY_SCALE = 2.5
PLATONIC_SCALE = 3.0
HISTORY_SHARE = 0.5
PURE_EX = 0.35
FAMILY_DAMPING = 0.25
FAMILY_OVER = 0.5
PLATONIC_DAMPING = 0.5
CANON_FAMILY = 2.0
CANON_PLATONIC = 1.5
CANON_ROMANTIC = 1.0
SURNAME = 1.0
DECLARED_KEEP = 0.3
MAX_EVIDENCE = 12
MIN_SCORE = 0.05


@dataclass
class _Pair:
    hits: dict[RelationshipKind, list[CueHit]] = field(default_factory=lambda: defaultdict(list))
    canon: list[CanonTie] = field(default_factory=list)
    declared: Declared | None = None


def _saturate(mass: float, scale: float) -> float:
    return 1.0 - math.exp(-mass / scale)


def _surname(c: Character | None) -> str | None:
    if c is None:
        return None
    words = c.name.split()
    return words[-1].lower() if len(words) > 1 else None


def relationships(
    hits: Sequence[CueHit],
    canon: Sequence[CanonTie],
    declared: Sequence[Declared],
    interactions: Sequence[Interaction],
    characters: Sequence[Character],
    index: TextIndex,
) -> list[Relationship]:
    """Score every pair with evidence; one relationship per pair, highest score first."""
    pairs: dict[tuple[str, str], _Pair] = defaultdict(_Pair)
    for h in hits:
        pairs[h.pair].hits[h.kind].append(h)
    for t in canon:
        pairs[t.pair].canon.append(t)
    for d in declared:
        pairs[d.pair].declared = d
    weights = {(i.a, i.b): i.weight for i in interactions}
    heaviest = max(weights.values(), default=0.0) or 1.0
    by_id = {c.id: c for c in characters}
    firsts = first_together(index, {k for k, p in pairs.items() if p.canon or p.declared})
    out: list[Relationship] = []
    for key, p in pairs.items():
        presence = 0.5 + 0.5 * math.sqrt(min(weights.get(key, 0.0) / heaviest, 1.0))
        rel = _best(key, p, presence, by_id, firsts.get(key))
        if rel is not None and rel.score >= MIN_SCORE:
            out.append(rel)
    out.sort(key=lambda r: (-r.score, r.pair))
    return out


def _best(
    key: tuple[str, str],
    p: _Pair,
    presence: float,
    by_id: dict[str, Character],
    first: tuple[int, int] | None,
) -> Relationship | None:
    scores: dict[RelationshipKind, float] = {}
    evidence: dict[RelationshipKind, list[Evidence]] = {}

    # a canon tie the fic never shows (no sentence with both) is not evidence
    shown = list(p.canon) if first is not None else []
    canon_ev: dict[RelationshipKind, list[Evidence]] = {
        "family": [],
        "romantic": [],
        "platonic": [],
    }
    if first is not None:
        for t in shown:
            cue = _canon_cue(t, by_id)
            canon_ev[t.kind].append(Evidence(start=first[0], end=first[1], cue=cue))

    # family
    family_mass = sum(h.weight for h in p.hits["family"])
    family_mass += CANON_FAMILY * sum(1 for t in shown if t.kind == "family")
    family_ev = canon_ev["family"] + [_ev(h) for h in p.hits["family"]]
    a, b = (by_id.get(k) for k in key)
    if family_mass > 0 and _surname(a) is not None and _surname(a) == _surname(b):
        family_mass += SURNAME
    scores["family"] = _saturate(family_mass, FAMILY_SCALE)
    evidence["family"] = family_ev

    # romantic
    now = sum(h.weight for h in p.hits["romantic"] if not h.history)
    past = sum(h.weight for h in p.hits["romantic"] if h.history)
    textual = now + past > 0
    for t in shown:
        if t.kind == "romantic" and textual:
            if "ex" in t.label:
                past += CANON_ROMANTIC
            else:
                now += CANON_ROMANTIC
    mass = now + HISTORY_SHARE * past
    share = now / (now + past) if now + past else 1.0
    romantic = _saturate(mass, ROMANTIC_SCALE) * (PURE_EX + (1 - PURE_EX) * share) * presence
    canon_family = any(t.kind == "family" for t in shown)
    if canon_family or (family_mass >= CANON_FAMILY and family_mass >= FAMILY_OVER * now):
        romantic *= FAMILY_DAMPING
    scores["romantic"] = romantic
    evidence["romantic"] = (canon_ev["romantic"] if textual else []) + [
        _ev(h) for h in p.hits["romantic"]
    ]

    # platonic
    plat = sum(h.weight for h in p.hits["platonic"])
    plat += CANON_PLATONIC * sum(1 for t in shown if t.kind == "platonic")
    scores["platonic"] = _saturate(plat, PLATONIC_SCALE) * presence
    if now >= max(plat, 1.0):  # friends who kiss are lovers: friendship words are common
        scores["platonic"] *= PLATONIC_DAMPING
    evidence["platonic"] = canon_ev["platonic"] + [_ev(h) for h in p.hits["platonic"]]

    d = p.declared
    if d is not None:
        scores[d.kind] = 1.0 - DECLARED_KEEP * (1.0 - scores[d.kind])
        if first is not None:
            cue = f"declared: {d.tag}"
            evidence[d.kind].insert(0, Evidence(start=first[0], end=first[1], cue=cue))
    order: list[RelationshipKind] = ["family", "romantic", "platonic"]
    kind = max(
        order,
        key=lambda k: (round(scores[k], 6), d is not None and d.kind == k, -order.index(k)),
    )
    if scores[kind] <= 0:
        return None
    return Relationship(
        pair=key,
        kind=kind,
        score=round(min(max(scores[kind], 0.0), 1.0), 4),
        declared=d is not None and d.kind == kind,
        evidence=_trim(evidence[kind]),
    )


def _ev(h: CueHit) -> Evidence:
    return Evidence(start=h.start, end=h.end, cue=f"ex: {h.label}" if h.history else h.label)


def _trim(evidence: list[Evidence]) -> list[Evidence]:
    """At most MAX_EVIDENCE spans: canon/declared first, then in text order."""
    head = [e for e in evidence if e.cue.startswith(("canon:", "declared:"))]
    rest = sorted((e for e in evidence if e not in head), key=lambda e: (e.start, e.end))
    return (head + rest)[:MAX_EVIDENCE]


def _canon_cue(t: CanonTie, by_id: dict[str, Character]) -> str:
    a, b = by_id.get(t.a), by_id.get(t.b)
    name_a = a.name if a else t.a
    name_b = b.name if b else t.b
    return f"canon: {name_a} is {name_b}'s {t.label}"


def first_together(
    index: TextIndex, wanted: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, int]]:
    """For each wanted pair, the first sentence in which both are present (mentioned or
    speaking): the span a reader checks a canon tie or a declared pairing against."""
    found: dict[tuple[str, str], tuple[int, int]] = {}
    if not wanted:
        return found
    members = {c for k in wanted for c in k}
    for i, start in enumerate(index.sent_starts):
        end = index.sent_ends[i]
        present = sorted({p.character for p in index.participants(start, end)} & members)
        for x, a in enumerate(present):
            for b in present[x + 1 :]:
                if (a, b) in wanted and (a, b) not in found:
                    found[(a, b)] = (start, end)
        if len(found) == len(wanted):
            break
    return found
