"""Facts about the cast read off a finished :class:`Analysis` (shared by report and exports).

The analysis stores characters, mentions and quotes but not who the first-person narrator
is or who talks to whom; both follow from those layers, and the report and the exports
must agree on them, so they are computed here once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from ficlens.model import Analysis, Quote

#: A speaker attribution below this confidence is shown as uncertain.
UNCERTAIN_BELOW = 0.5
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
_THIRD_PERSON = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})


class SpeechSpans:
    """``inside(offset)``: is the offset inside a speech quotation? (Quotes do not nest.)"""

    def __init__(self, quotes: list[Quote]) -> None:
        spans = sorted((q.start, q.end) for q in quotes if q.speech)
        self.starts = [s for s, _e in spans]
        self.ends = [e for _s, e in spans]

    def inside(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]


def narrator_of(analysis: Analysis) -> str | None:
    """The first-person narrator's character id, or None for a text that is not first person.

    The characters stage links "I/me/my" outside quotations to the narrator; as in
    ``characters/narrator.is_first_person``, the text is first person when those are at
    least three and a quarter of the narration's personal pronouns. The narrator is the
    character most of them point to.
    """
    text, speech = analysis.text, SpeechSpans(analysis.quotes)
    first: Counter[str] = Counter()
    third = 0
    for m in analysis.mentions:
        if m.kind != "pronoun" or speech.inside(m.start):
            continue
        word = text[m.start : m.end].lower()
        if word in FIRST_PERSON:
            first[m.character] += 1
        elif word in _THIRD_PERSON:
            third += 1
    total = sum(first.values())
    if total < 3 or total < 0.25 * (total + third):
        return None
    return first.most_common(1)[0][0]


def dialogue_turns(analysis: Analysis) -> Counter[tuple[str, str]]:
    """Speech quotes per (speaker, addressee) pair: who talks to whom, directed."""
    turns: Counter[tuple[str, str]] = Counter()
    for q in analysis.quotes:
        if not q.speech or q.speaker is None:
            continue
        for addressee in dict.fromkeys(q.addressees):
            if addressee != q.speaker:
                turns[(q.speaker, addressee)] += 1
    return turns


def is_uncertain(quote: Quote) -> bool:
    """An attributed speech quote whose speaker the attribution is unsure of."""
    return quote.speech and quote.speaker is not None and quote.confidence < UNCERTAIN_BELOW
