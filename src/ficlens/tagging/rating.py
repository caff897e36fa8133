"""The rating: exactly one of AO3's four, from graded profanity, sex and violence cues.

A reader rates by the strongest content present, not by its sum: one graphic sex scene
makes a fic Explicit however gentle the rest. So each level has its own test and the
highest level that passes wins. Weak, common cues (a "damn", the word "sex", "blood")
are judged by density, so that a 150,000-word novel with a handful of "damn"s and "the
fair sex" is not rated like a 1,000-word fic full of them; unmistakable cues (an
anatomical term, a narrated sex act, a slit throat, a "fuck") count outright.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ficlens.model import Evidence, TagSuggestion
from ficlens.tagging.cues import Cue, Cues, evidence
from ficlens.tagging.vocabulary import EXPLICIT, GENERAL, MATURE, TEEN

ONE_SHOT_WORDS = 3000.0
CLEAR = 0.7
"""Cues weighing at least this count outright; lighter ones count only by density."""
"""Density unit: weak cues are counted per this many story words (a typical one-shot)."""


@dataclass(frozen=True)
class _Level:
    tag: str
    strength: float  # how far past its threshold the evidence goes (>= 1 passes)
    cues: list[Cue]
    label: str


def _per_unit(weight: float, words: int) -> float:
    return weight / max(1.0, words / ONE_SHOT_WORDS)


def _levels(cues: Cues, words: int) -> list[_Level]:
    explicit = cues.get("sex_explicit")
    implied = cues.get("sex_implied")
    narrated_implied = [c for c in implied if not c.in_speech]
    suggestive = cues.get("sex_suggestive")
    strong, mild = cues.get("swear_strong"), cues.get("swear_mild")
    graphic, violence = cues.get("violence_graphic"), cues.get("violence")
    w = Cues.weight
    narrated = sum(c.weight for c in narrated_implied)
    # "breast", "nipple", "condom" alone are not a sex scene: they count only by density
    clear = sum(c.weight for c in narrated_implied if c.weight >= CLEAR)
    e = w(cues, "sex_explicit")
    distinct_explicit = len({c.start for c in explicit})
    # anatomical and act words: a one-shot with a sex scene has several per 3,000 words, a
    # long fic with one scene has a dozen in all, a classic novel one stray "cock" (a hat)
    explicit_strength = max(e / 8.0, _per_unit(e, words) / 2.0) if distinct_explicit >= 3 else 0.0
    out = [
        _Level(EXPLICIT, explicit_strength, explicit + narrated_implied, "explicit sex"),
        _Level(
            MATURE,
            max(
                max(e / 4.0, _per_unit(e, words)) if distinct_explicit >= 2 else 0.0,
                max(clear / 3.0, _per_unit(narrated, words) / 1.5),
                _per_unit(w(cues, "violence_graphic"), words) / 2.0,
                _per_unit(w(cues, "swear_strong"), words) / 12.0,
            ),
            explicit + narrated_implied + graphic + strong,
            "mature content",
        ),
        _Level(
            TEEN,
            max(
                w(cues, "swear_strong"),
                sum(c.weight for c in implied if c.weight >= CLEAR),
                _per_unit(w(cues, "sex_implied"), words) / 0.7,
                max(
                    w(cues, "violence_graphic") / 2.0, _per_unit(w(cues, "violence_graphic"), words)
                ),
                _per_unit(w(cues, "swear_mild"), words) / 1.6,
                _per_unit(w(cues, "sex_suggestive"), words) / 2.0,
                _per_unit(w(cues, "violence"), words) / 2.5,
            ),
            strong + mild + implied + suggestive + graphic + violence,
            "teen content",
        ),
    ]
    return out


def suggest_rating(text: str, cues: Cues, words: int) -> TagSuggestion:
    """The one rating a careful reader would give, with the cues that decide it."""
    levels = _levels(cues, words)
    for i, level in enumerate(levels):
        if level.strength >= 1.0:
            # sure when well past the line; less so when the level above is nearly reached
            above = levels[i - 1].strength if i else 0.0
            confidence = 0.55 + 0.4 * (1.0 - math.exp(-(level.strength - 0.5))) - 0.2 * above
            return TagSuggestion(
                tag=level.tag,
                confidence=round(min(0.95, max(0.3, confidence)), 3),
                evidence=evidence(text, level.cues, level.label),
            )
    teen = levels[-1]
    # General Audiences: surer on a longer text without cues, less sure with weak cues present
    confidence = 0.6 + 0.3 * (1.0 - math.exp(-words / 2000.0)) - 0.35 * teen.strength
    ev: list[Evidence] = evidence(text, teen.cues, "mild content") if teen.cues else []
    return TagSuggestion(
        tag=GENERAL, confidence=round(min(0.95, max(0.3, confidence)), 3), evidence=ev
    )
