"""Grouping scored sentences into emotion points: fixed word windows and scenes.

Window rule: ``window_words(n)`` = n / 50 rounded up to a multiple of 50, at least 100 and
at most 2,500 story words. A 2,000-word fic gets 20 points of 100 words, a 20,000-word fic
about 50 of 400, a 150,000-word novel 60 of 2,500 (a 600,000-word one 240): always enough
points for a readable line, never thousands. Windows are cut at sentence starts once they
hold that many words, and also wherever paratext (an author's note, a disclaimer …) lies
between two sentences, so no window's span covers paratext; a last window shorter than
half the size joins the one before it when nothing lies between them.

A point's valence is the mean compound valence of its sentences that have words; its
emotions are counts of (non-negated) emotion words per 100 words.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

from ficlens.affect.lexicons import EMOTIONS
from ficlens.affect.scorer import Sentence
from ficlens.model import EmotionPoint, Emotions, EmotionWindow

MIN_WINDOW = 100
MAX_WINDOW = 2500
TARGET_POINTS = 50


def window_words(story_words: int) -> int:
    """Window size in words for a text of ``story_words`` (see the module docstring)."""
    size = 50 * math.ceil(story_words / TARGET_POINTS / 50) if story_words > 0 else 0
    return max(MIN_WINDOW, min(MAX_WINDOW, size))


def point(
    sentences: Sequence[Sentence], start: int, end: int, kind: EmotionWindow, index: int
) -> EmotionPoint:
    """One emotion point over ``sentences`` with the span ``[start, end)``."""
    scored = [s for s in sentences if s.words]
    words = sum(s.words for s in scored)
    valence = sum(s.valence for s in scored) / len(scored) if scored else 0.0
    counts = [sum(s.emotions[i] for s in scored) for i in range(len(EMOTIONS))]
    per100 = {
        name: (round(100.0 * c / words, 4) if words else 0.0)
        for name, c in zip(EMOTIONS, counts, strict=True)
    }
    return EmotionPoint(
        start=start,
        end=end,
        window=kind,
        index=index,
        valence=round(max(-1.0, min(1.0, valence)), 4),
        emotions=Emotions(**per100),
    )


def word_windows(
    sentences: Sequence[Sentence], size: int, paratext_starts: Sequence[int]
) -> list[list[Sentence]]:
    """Consecutive groups of sentences of about ``size`` words, never across paratext."""

    def paratext_between(a: int, b: int) -> bool:
        i = bisect_left(paratext_starts, a)
        return i < len(paratext_starts) and paratext_starts[i] < b

    groups: list[list[Sentence]] = []
    current: list[Sentence] = []
    words = 0
    for s in sentences:
        if current and (words >= size or paratext_between(current[-1].end, s.start)):
            groups.append(current)
            current, words = [], 0
        current.append(s)
        words += s.words
    if current:
        if (
            groups
            and words < size / 2
            and not paratext_between(groups[-1][-1].end, current[0].start)
        ):
            groups[-1].extend(current)
        else:
            groups.append(current)
    return groups


def window_points(
    sentences: Sequence[Sentence], paratext_starts: Sequence[int]
) -> list[EmotionPoint]:
    size = window_words(sum(s.words for s in sentences))
    groups = word_windows(sentences, size, paratext_starts)
    return [point(g, g[0].start, g[-1].end, "window", i) for i, g in enumerate(groups)]


def scene_points(
    sentences: Sequence[Sentence], scenes: Sequence[tuple[int, int]]
) -> list[EmotionPoint]:
    """One point per scene span, over the sentences that start inside it."""
    starts = [s.start for s in sentences]
    out: list[EmotionPoint] = []
    for index, (start, end) in enumerate(scenes):
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        out.append(point(sentences[lo:hi], start, end, "scene", index))
    return out
