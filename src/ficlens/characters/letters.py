"""A letter's "you" is the person its salutation names ("Dear Judy, … you know").

In narration outside quotations "you" has no antecedent a resolver can rank; in an
epistolary text it is the letter's addressee, named in the salutation. A letter runs from
its salutation to its sign-off ("Yours ever,") or the next salutation. An epistolary
novel often heads each letter "WRITER TO ADDRESSEE" instead: there the letter's "I" is
its writer, whoever narrates the other letters, and its "you" the addressee.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ficlens.characters.layer import MentionRef
from ficlens.structure.patterns import SALUTATION, SIGN_OFF

#: A salutation or sign-off is a short paragraph of its own.
MAX_LINE = 60

#: Between the two names of a letter heading ("ADA TO THE REV. MR. GREY"): "to" and at
#: most two words of title.
_HEADING_TO = re.compile(r"\s+to\s+(?:\S+\s+){0,2}", re.IGNORECASE)


@dataclass(frozen=True)
class _Letter:
    start: int
    end: int  # -1 while open
    addressee: str | None
    writer: str | None = None


def _paragraphs(text: str, story: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Blank-line paragraphs: the resolver's paragraph starts also break at every line of
    a hard-wrapped text, where a wrapped line opening "Yours" would end a letter."""
    out: list[tuple[int, int]] = []
    for s, e in story:
        for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text[s:e]):
            out.append((s + m.start(), s + m.end()))
    return out


def _heading(text: str, s: int, e: int, names: Sequence[MentionRef]) -> tuple[str, str] | None:
    """Writer and addressee of a heading paragraph "ADA TO MR. GREY (place)": it opens
    with the writer's name, and "to" alone joins it to the addressee's (``names``: the
    first two name mentions from ``s`` on)."""
    here = [m for m in names if s <= m.start < e]
    if len(here) < 2 or here[0].start != s or here[0].character == here[1].character:
        return None
    joint = _HEADING_TO.fullmatch(text, here[0].end, here[1].start)
    if joint is None or here[0].character is None or here[1].character is None:
        return None
    return here[0].character, here[1].character


def _letters(
    text: str, story: Sequence[tuple[int, int]], names: Sequence[MentionRef]
) -> list[_Letter]:
    """The letters of the story, each from its salutation or heading to its sign-off or
    the next letter."""
    name_starts = [m.start for m in names]
    letters: list[_Letter] = []
    for s, e in _paragraphs(text, story):
        if e - s > MAX_LINE:
            continue
        open_letter = bool(letters) and letters[-1].end < 0
        first = bisect_left(name_starts, s)
        heading = _heading(text, s, e, names[first : first + 2])
        if SIGN_OFF.match(text, s, e) and open_letter:
            letters[-1] = replace(letters[-1], end=s)
        elif heading or SALUTATION.match(text, s, e):
            if open_letter:
                letters[-1] = replace(letters[-1], end=s)
            named = (
                names[first].character if first < len(names) and names[first].start < e else None
            )
            writer, addressee = heading or (None, named)
            letters.append(_Letter(e, -1, addressee, writer))
    return letters


def letter_pronouns(
    text: str, story: Sequence[tuple[int, int]], mentions: Sequence[MentionRef]
) -> list[MentionRef]:
    """``mentions`` with each unlinked narration "you" inside a letter linked to the
    character its salutation or heading names, and each narration "I" inside a headed
    letter linked to its writer."""
    letters = _letters(text, story, [m for m in mentions if m.kind == "name" and m.character])
    if not letters:
        return list(mentions)
    out: list[MentionRef] = []
    for m in mentions:
        if m.kind == "pronoun" and not m.in_quote and m.pronoun in ("first", "second"):
            letter = next(
                (x for x in letters if x.start <= m.start and (x.end < 0 or m.start < x.end)),
                None,
            )
            if letter and m.pronoun == "first" and letter.writer:
                m = replace(m, character=letter.writer)
            elif letter and m.pronoun == "second" and not m.character and letter.addressee:
                m = replace(m, character=letter.addressee)
        out.append(m)
    return out
