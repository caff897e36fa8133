"""A letter's "you" is the person its salutation names ("Dear Judy, … you know").

In narration outside quotations "you" has no antecedent a resolver can rank; in an
epistolary text it is the letter's addressee, named in the salutation. A letter runs from
its salutation to its sign-off ("Yours ever,") or the next salutation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from ficlens.characters.layer import MentionRef
from ficlens.structure.patterns import SALUTATION, SIGN_OFF

#: A salutation or sign-off is a short paragraph of its own.
MAX_LINE = 60


def _paragraphs(text: str, story: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Blank-line paragraphs: the resolver's paragraph starts also break at every line of
    a hard-wrapped text, where a wrapped line opening "Yours" would end a letter."""
    out: list[tuple[int, int]] = []
    for s, e in story:
        for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text[s:e]):
            out.append((s + m.start(), s + m.end()))
    return out


def letter_addressees(
    text: str, story: Sequence[tuple[int, int]], mentions: Sequence[MentionRef]
) -> list[MentionRef]:
    """``mentions`` with each unlinked narration "you" inside a letter linked to the
    character its salutation names."""
    names = [m for m in mentions if m.kind == "name" and m.character]
    name_starts = [m.start for m in names]
    letters: list[tuple[int, int, str | None]] = []  # (from, to or -1, addressee)
    for s, e in _paragraphs(text, story):
        if e - s > MAX_LINE:
            continue
        open_letter = bool(letters) and letters[-1][1] < 0
        if SIGN_OFF.match(text, s, e) and open_letter:
            letters[-1] = (letters[-1][0], s, letters[-1][2])
        elif SALUTATION.match(text, s, e):
            if open_letter:
                letters[-1] = (letters[-1][0], s, letters[-1][2])
            i = bisect_left(name_starts, s)
            named = names[i].character if i < len(names) and names[i].start < e else None
            letters.append((e, -1, named))
    if not letters:
        return list(mentions)
    out: list[MentionRef] = []
    for m in mentions:
        if m.kind == "pronoun" and m.pronoun == "second" and not m.character and not m.in_quote:
            who = next((c for a, b, c in letters if a <= m.start and (b < 0 or m.start < b)), None)
            if who:
                m = replace(m, character=who)
        out.append(m)
    return out
