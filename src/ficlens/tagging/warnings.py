"""Archive warnings: a warning when its cues are clear, "Choose Not To Use" when they are not.

AO3's warnings are promises to readers, so a false "No Archive Warnings Apply" is the
worst mistake and a false warning the second worst. Each warning has a *strong* test
(suggest it) and a *weak* one (cues present but not conclusive: suggest "Choose Not To
Use Archive Warnings", which is what a careful author does when unsure). Two traps are
avoided on purpose: a kiss between teenagers is not Underage Sex (a minor's age counts
only beside sexual content of Mature level or more), and the death of a walk-on is not a
Major Character Death (a death cue counts only when it is about a main character).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from ficlens.model import Analysis, Mention, TagSuggestion
from ficlens.tagging.cues import Cue, Cues, evidence
from ficlens.tagging.rating import ONE_SHOT_WORDS
from ficlens.tagging.vocabulary import (
    CHOSE_NOT,
    DEATH,
    EXPLICIT,
    MATURE,
    NO_WARNINGS,
    NONCON,
    UNDERAGE,
    VIOLENCE,
)

MAIN_SHARE = 0.12
"""A main character holds at least this share of all character mentions (or is the top one)."""
_BETWEEN = re.compile(
    r"(?:['’]s)?[\s,]*(?:(?:had|has|have|was|is|were|been|be|just|finally|suddenly|already|"
    r"then|also|now|later|soon|eventually|tragically)\s+)*",
    re.IGNORECASE,
)
_NOT_DEAD = re.compile(
    r"\b(?:not|n't|never|almost|nearly|could\s+have|might\s+have|would\s+have|as\s+if|"
    r"like|pretend\w*|wish\w*)\W+(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)


def _main_characters(analysis: Analysis) -> set[str]:
    counts = Counter(m.character for m in analysis.mentions)
    total = sum(counts.values())
    if not total:
        return set()
    top = counts.most_common(1)[0][0]
    return {c for c, n in counts.items() if n / total >= MAIN_SHARE} | {top}


def _deaths_of_main(analysis: Analysis, cues: list[Cue]) -> dict[str, list[Cue]]:
    """Death cues whose subject or object is a main character: "Rory died", "killed her"."""
    main = _main_characters(analysis)
    mentions: list[Mention] = sorted(
        (m for m in analysis.mentions if m.character in main), key=lambda m: m.end
    )
    ends = [m.end for m in mentions]
    text = analysis.text
    out: dict[str, list[Cue]] = defaultdict(list)
    for cue in cues:
        if _NOT_DEAD.search(text, max(0, cue.start - 40), cue.start):
            continue
        i = bisect.bisect_right(ends, cue.end) - 1
        while i >= 0 and mentions[i].end >= cue.start - 40:
            m = mentions[i]
            inside = cue.start <= m.start and m.end <= cue.end  # "killed her"
            before = m.end <= cue.start and _BETWEEN.fullmatch(text, m.end, cue.start)
            if inside or before:
                out[m.character].append(cue)
                break
            i -= 1
    return {c: found for c, found in out.items() if not _speaks_after(analysis, c, found[0])}


ALIVE_AFTER = 2000
"""A "death" after which its character still speaks (beyond this many characters) is a
misread: a namesake's death ("Mrs. Churchill's death" clustered with Frank Churchill), a
figure of speech, or a scare the character survives."""


def _speaks_after(analysis: Analysis, character: str, cue: Cue) -> bool:
    after = cue.end + ALIVE_AFTER
    inside = [(f.start, f.end) for f in analysis.flashbacks]
    later = [
        q
        for q in analysis.quotes
        if q.speaker == character
        and q.start > after
        and not any(a <= q.start < b for a, b in inside)
    ]
    return len(later) > 2


AGE_NEAR = 3000
"""An age counts for Underage Sex only this close (characters) to sexual content."""


def _near(cue: Cue, others: list[Cue], distance: int) -> bool:
    starts = [o.start for o in others]
    i = bisect.bisect_left(starts, cue.start)
    return any(
        abs(others[j].start - cue.start) <= distance for j in (i - 1, i) if 0 <= j < len(others)
    )


def _per_unit(weight: float, words: int) -> float:
    return weight / max(1.0, words / ONE_SHOT_WORDS)


def suggest_warnings(
    analysis: Analysis, cues: Cues, words: int, rating: str
) -> list[TagSuggestion]:
    text = analysis.text
    strong: list[TagSuggestion] = []
    weak: list[Cue] = []

    graphic = cues.get("violence_graphic")
    g = cues.weight("violence_graphic")
    if g >= 2.0 and _per_unit(g, words) >= 0.5:
        conf = min(0.9, 0.5 + 0.1 * g)
        strong.append(
            TagSuggestion(
                tag=VIOLENCE, confidence=conf, evidence=evidence(text, graphic, "graphic violence")
            )
        )
    elif _per_unit(g, words) >= 0.8:
        weak += graphic

    deaths = _deaths_of_main(analysis, cues.get("death"))
    best = max(deaths.values(), key=len, default=[])
    if len(best) >= 2:
        conf = min(0.85, 0.45 + 0.1 * len(best))
        strong.append(
            TagSuggestion(
                tag=DEATH,
                confidence=conf,
                evidence=evidence(text, best, "death of a main character"),
            )
        )
    elif best:
        weak += best

    noncon = cues.get("noncon")
    n = cues.weight("noncon")
    if n >= 2.0 and _per_unit(n, words) >= 0.5:
        strong.append(
            TagSuggestion(
                tag=NONCON,
                confidence=min(0.85, 0.45 + 0.1 * n),
                evidence=evidence(text, noncon, "non-consent"),
            )
        )
    elif _per_unit(n, words) >= 0.8:
        weak += noncon

    if rating in (MATURE, EXPLICIT):
        sexual = cues.get("sex_explicit", "sex_implied")
        ages = [a for a in cues.get("minor_age") if _near(a, sexual, AGE_NEAR)]
        if sum(a.weight for a in ages) >= 1.0:
            ev = evidence(text, ages, "minor", limit=2) + evidence(
                text, sexual, "sexual content", limit=3
            )
            strong.append(
                TagSuggestion(
                    tag=UNDERAGE, confidence=0.5, evidence=sorted(ev, key=lambda e: e.start)
                )
            )
        elif ages:
            weak += ages

    if strong:
        return sorted(strong, key=lambda s: s.tag)
    if weak:
        return [
            TagSuggestion(
                tag=CHOSE_NOT, confidence=0.4, evidence=evidence(text, weak, "possible warning")
            )
        ]
    return [TagSuggestion(tag=NO_WARNINGS, confidence=0.75 if words >= 500 else 0.6)]
