"""The first-person narrator: is there one, and what is their name?

A text is first-person when "I/me/my" outside quotations is a large share of its personal
pronouns. The name comes from the paratext ("It's written from Rory's POV") when declared,
else from dialogue: the narrator is the character other people address by name inside
quotations while the narration itself rarely names them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ficlens.characters.layer import MentionRef

_POV = re.compile(
    r"\b(?:from\s+)?([A-Z][\w\u2019'-]*?)(?:['\u2019]s?)?\s+(?:POV|P\.O\.V\.?|point of view"
    r"|perspective)\b|\bPOV\s*[:\-\u2013\u2014]\s*([A-Z][\w'-]*)"
)


def is_first_person(mentions: Sequence[MentionRef]) -> bool:
    """First person outside quotes makes up at least a third of narration pronouns."""
    narration = [m for m in mentions if m.kind == "pronoun" and not m.in_quote]
    first = sum(1 for m in narration if m.pronoun == "first")
    third = sum(1 for m in narration if m.pronoun in ("male", "female"))
    return first >= 3 and first >= 0.35 * (first + third)


def declared_pov_names(paratexts: Iterable[str]) -> list[str]:
    """Names declared as the viewpoint in notes or summaries, in order of appearance."""
    names: list[str] = []
    for text in paratexts:
        for m in _POV.finditer(text):
            name = m.group(1) or m.group(2)
            if name and name.lower() not in ("my", "first", "third", "second", "the", "a"):
                names.append(name)
    return names


def addressed_most(mentions: Sequence[MentionRef]) -> str | None:
    """The character named most inside quotations relative to narration (the narrator is
    "I" in narration, but other characters call them by name)."""
    inside: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for m in mentions:
        if m.kind == "name" and m.character:
            (inside if m.in_quote else outside)[m.character] += 1
    scored = {c: n - 2 * outside[c] for c, n in inside.items()}
    best = max(scored.items(), key=lambda kv: (kv[1], kv[0]), default=None)
    return best[0] if best and best[1] >= 1 else None
