"""A letter's "you" is the person its salutation names ("Dear Judy, … you know").

In narration outside quotations "you" has no antecedent a resolver can rank; in an
epistolary text it is the letter's addressee, named in the salutation. A letter runs from
its salutation to its sign-off ("Yours ever,") or the next salutation. An epistolary
novel often heads each letter "WRITER TO ADDRESSEE" instead: there the letter's "I" is
its writer, whoever narrates the other letters, and its "you" the addressee.

A letter signed with a character's name ("Your friend," / "DRACULA.") is that
character's too. A signed letter the narration quotes (quotation marks, but not speech)
runs back over the written quotations before its sign-off; with no one named in its
salutation, its "you" is the first-person narrator quoting a letter they received.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ficlens.characters.layer import MentionRef, alias_key
from ficlens.structure.patterns import SALUTATION, is_sign_off, letter_close

#: A salutation or sign-off is a short paragraph of its own.
MAX_LINE = 60
#: Around a signature's name: quotation marks and a full stop ('"DRACULA."').
_TRIM = " \n\"'“”‘’.,;:-—"

#: Between the two names of a letter heading ("ADA TO THE REV. MR. GREY"): "to" and at
#: most two words of title.
_HEADING_TO = re.compile(r"\s+to\s+(?:\S+\s+){0,2}", re.IGNORECASE)


@dataclass(frozen=True)
class _Letter:
    start: int
    end: int  # -1 while open
    addressee: str | None
    writer: str | None = None
    quoted: bool = False


@dataclass(frozen=True)
class LetterCast:
    """What letters are read against: each name form's owners (by ``alias_key``), the
    written (not speech) quotation spans, and the narrator."""

    owners: Mapping[str, Sequence[str]]
    written: Sequence[tuple[int, int]]
    narrator: str | None


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


def _signatures(
    text: str, paragraphs: Sequence[tuple[int, int]], owners: Mapping[str, Sequence[str]]
) -> dict[int, str]:
    """The start of each sign-off whose signature, the short line that closes its letter,
    is the name of exactly one character."""
    out: dict[int, str] = {}
    for i, (s, e) in enumerate(paragraphs):
        if not is_sign_off(text, s, e):
            continue
        ps, pe = paragraphs[letter_close(text, paragraphs, i)]
        ids = () if is_sign_off(text, ps, pe) else owners.get(alias_key(text[ps:pe].strip(_TRIM)))
        if ids and len(ids) == 1:
            out[s] = ids[0]
    return out


def _letters(
    text: str,
    paragraphs: Sequence[tuple[int, int]],
    names: Sequence[MentionRef],
    signed: Mapping[int, str],
) -> list[_Letter]:
    """The letters of the story, each from its salutation or heading to its sign-off or
    the next letter."""
    name_starts = [m.start for m in names]
    letters: list[_Letter] = []
    for s, e in paragraphs:
        if e - s > MAX_LINE:
            continue
        open_letter = bool(letters) and letters[-1].end < 0
        first = bisect_left(name_starts, s)
        heading = _heading(text, s, e, names[first : first + 2])
        if is_sign_off(text, s, e) and open_letter:
            letters[-1] = replace(letters[-1], end=s, writer=letters[-1].writer or signed.get(s))
        elif heading or SALUTATION.match(text, s, e):
            if open_letter:
                letters[-1] = replace(letters[-1], end=s)
            named = (
                names[first].character if first < len(names) and names[first].start < e else None
            )
            writer, addressee = heading or (None, named)
            letters.append(_Letter(e, -1, addressee, writer))
    return letters


def _quoted_letters(
    text: str, signed: Mapping[int, str], letters: Sequence[_Letter], cast: LetterCast
) -> list[_Letter]:
    """Signed letters inside written quotations that no salutation opened: each runs back
    from its sign-off over the written quotations that only white space separates."""
    closed = {x.end for x in letters}
    starts = [s for s, _ in cast.written]
    out: list[_Letter] = []
    for sign_off, writer in signed.items():
        k = bisect_left(starts, sign_off + 1) - 1  # the quotation holding the sign-off
        if sign_off in closed or k < 1 or cast.written[k][1] <= sign_off:
            continue
        first = k
        while first > 0 and not text[cast.written[first - 1][1] : starts[first]].strip():
            first -= 1
        if first < k:
            addressee = cast.narrator if cast.narrator != writer else None
            out.append(_Letter(starts[first], sign_off, addressee, writer, quoted=True))
    return out


def letter_pronouns(
    text: str, story: Sequence[tuple[int, int]], mentions: Sequence[MentionRef], cast: LetterCast
) -> list[MentionRef]:
    """``mentions`` with each unlinked "you" inside a letter linked to the character its
    salutation or heading names, and each "I" inside a headed or signed letter linked to
    its writer (in the narration, or in the written quotation of a quoted letter)."""
    paragraphs = _paragraphs(text, story)
    signed = _signatures(text, paragraphs, cast.owners)
    names = [m for m in mentions if m.kind == "name" and m.character]
    letters = _letters(text, paragraphs, names, signed)
    letters += _quoted_letters(text, signed, letters, cast)
    if not letters:
        return list(mentions)
    out: list[MentionRef] = []
    for m in mentions:
        if m.kind == "pronoun" and m.pronoun in ("first", "second"):
            letter = next(
                (
                    x
                    for x in letters
                    if x.start <= m.start
                    and (x.end < 0 or m.start < x.end)
                    and m.in_quote == x.quoted
                ),
                None,
            )
            if letter and m.pronoun == "first" and letter.writer:
                m = replace(m, character=letter.writer)
            elif letter and m.pronoun == "second" and not m.character and letter.addressee:
                m = replace(m, character=letter.addressee)
        out.append(m)
    return out
