"""How much a quotation sounds like each character's other speech in the same text.

Characters talk in their own way (pet words, forms of address, dialect spellings), so
the words of an untagged or pronoun-tagged turn say something about who speaks it. Each
character's profile is the words and word pairs of the turns currently attributed to
them (pairs catch phrasing: "my dear", "I reckon"); a turn is compared with a profile that
leaves that turn itself out, so an answer never supports itself. Weighting is tf-idf over
the text's turns with sublinear counts.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import pairwise

WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


class TurnWords:
    """The tf-idf vectors of a text's turns: computed once, whoever the speakers are."""

    def __init__(self, turn_texts: Sequence[str]) -> None:
        turns = [_terms(t) for t in turn_texts]
        df = Counter(w for terms in turns for w in terms)
        n = max(1, len(turns))
        self.idf = {w: math.log(n / k) for w, k in df.items() if k < n}
        self.counts = [{w: k for w, k in terms.items() if w in self.idf} for terms in turns]
        self.vectors = [{w: self.weight(w, k) for w, k in t.items()} for t in self.counts]
        self.norms = [math.sqrt(sum(x * x for x in v.values())) for v in self.vectors]

    def weight(self, word: str, count: int) -> float:
        return math.log1p(count) * self.idf[word] if count > 0 else 0.0

    def profiles(self, speakers: Sequence[str | None]) -> SpeechProfiles:
        return SpeechProfiles(self, speakers)


class SpeechProfiles:
    """Word profiles of every speaker of a text, for leave-one-out cosine similarity."""

    def __init__(self, words: TurnWords, speakers: Sequence[str | None]) -> None:
        self._words = words
        self._speakers = list(speakers)
        self._counts: dict[str, Counter[str]] = defaultdict(Counter)
        for terms, speaker in zip(words.counts, self._speakers, strict=True):
            if speaker:
                self._counts[speaker].update(terms)
        self._profiles = {
            s: {w: words.weight(w, k) for w, k in c.items()} for s, c in self._counts.items()
        }
        self._norm2 = {s: sum(x * x for x in p.values()) for s, p in self._profiles.items()}

    def similarity(self, i: int, character: str) -> float:
        """Cosine between turn ``i``'s words and the character's other turns' words."""
        words = self._words
        vector, profile = words.vectors[i], self._profiles.get(character)
        if not vector or not profile:
            return 0.0
        norm2 = self._norm2[character]
        if self._speakers[i] == character:  # leave the turn out of the profile
            counts, dot = self._counts[character], 0.0
            for w, k in words.counts[i].items():
                rest = words.weight(w, counts[w] - k)
                norm2 += rest * rest - profile[w] * profile[w]
                dot += vector[w] * rest
        else:
            dot = sum(x * profile.get(w, 0.0) for w, x in vector.items())
        if norm2 <= 1e-12:
            return 0.0
        return dot / (math.sqrt(norm2) * words.norms[i])


def _terms(text: str) -> Counter[str]:
    """The words of a quotation (curly apostrophes read as straight ones: "don’t") and its
    pairs of adjacent words."""
    words = WORD.findall(text.lower().replace("’", "'"))
    return Counter([*words, *(f"{a} {b}" for a, b in pairwise(words))])
