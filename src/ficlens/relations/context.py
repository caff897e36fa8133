"""Who is present where: sentences, resolved mentions and speech quotes, indexed once.

Why: every relations judgement asks the same questions ("which characters does this
sentence mention?", "is this offset inside someone's speech, and to whom?"). Answering
them by bisection over sorted offsets keeps the stage linear in the size of the fic; no
second spaCy pass is needed, the language stage's sentences and the characters stage's
mentions (pronouns already carry character ids) are enough.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ficlens.model import Analysis, Gender, Quote


@dataclass(frozen=True)
class Present:
    """A character present at ``offset`` (a mention, or the speaker/addressee of a quote)."""

    character: str
    offset: int
    start: int
    end: int
    kind: str = "name"


class TextIndex:
    """Sentences, mentions and speech quotes of one analysis, searchable by offset."""

    def __init__(self, analysis: Analysis, sentences: Sequence[tuple[int, int]]) -> None:
        self.text = analysis.text
        spans = sorted(sentences)
        self.sent_starts = [s for s, _ in spans]
        self.sent_ends = [e for _, e in spans]
        mentions = sorted(
            (m for m in analysis.mentions if m.character), key=lambda m: (m.start, m.end)
        )
        self.mentions = mentions
        self.m_starts = [m.start for m in mentions]
        speech = sorted((q for q in analysis.quotes if q.speech), key=lambda q: q.start)
        self.quotes = speech
        self.q_starts = [q.start for q in speech]
        self.gender: dict[str, Gender] = {c.id: c.gender for c in analysis.characters}

    # ------------------------------------------------------------- lookups

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing ``offset``, or None (paratext, gaps)."""
        i = bisect_right(self.sent_starts, offset) - 1
        if i >= 0 and offset < self.sent_ends[i]:
            return i
        return None

    def sentence(self, i: int) -> tuple[int, int]:
        return self.sent_starts[i], self.sent_ends[i]

    def quote_at(self, offset: int) -> Quote | None:
        """The speech quote containing ``offset`` (quotes do not nest)."""
        i = bisect_right(self.q_starts, offset) - 1
        if i >= 0 and offset < self.quotes[i].end:
            return self.quotes[i]
        return None

    def mentions_in(self, start: int, end: int) -> list[Present]:
        i = bisect_left(self.m_starts, start)
        j = bisect_left(self.m_starts, end)
        return [Present(m.character, m.start, m.start, m.end, m.kind) for m in self.mentions[i:j]]

    # ---------------------------------------------------------- participants

    def participants(self, start: int, end: int) -> list[Present]:
        """Characters present around the text span ``[start, end)``.

        The mentions of its sentence (inside speech, "I" and "you" are already its speaker
        and addressee); in narration, when they name fewer than two characters, also the
        previous sentence's (a reader carries "She had said it. ... his heart" across one
        sentence boundary). Speech is not widened to its speaker and addressee: people
        talk about third parties' love affairs more than about their own.
        """
        i = self.sentence_at(start)
        if i is None:
            return []
        s, e = self.sentence(i)
        found = self.mentions_in(s, e)
        if len({p.character for p in found}) >= 2:
            return found
        q = self.quote_at(start)
        if len({p.character for p in found}) < 2 and i > 0 and q is None:
            ps, pe = self.sentence(i - 1)
            found = self.mentions_in(ps, pe) + found
        return found


def nearest_pair(present: Sequence[Present], start: int, end: int) -> tuple[str, str] | None:
    """The two distinct characters whose presence is nearest to ``[start, end)``."""
    best: dict[str, int] = {}
    for p in present:
        d = 0 if p.start < end and start < p.end else min(abs(p.end - start), abs(p.start - end))
        if d < best.get(p.character, 1 << 30):
            best[p.character] = d
    if len(best) < 2:
        return None
    a, b = sorted(best, key=lambda c: (best[c], c))[:2]
    return (a, b) if a < b else (b, a)


def pair(a: str, b: str) -> tuple[str, str]:
    """The canonical (sorted) form of an unordered pair."""
    return (a, b) if a < b else (b, a)
