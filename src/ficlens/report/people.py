"""Who is who in the report: display names, colours and initials per character.

Colour is never the only cue: every speaker also gets short, unique initials. Colours come
from the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies; the most talkative speakers get the first colours.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ficlens.cast import narrator_of
from ficlens.model import Analysis

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Person:
    """One character as the report shows it. ``key`` is safe for ids and class names."""

    id: str
    name: str
    key: str
    initials: str
    colour: str
    tint: str
    ink: str
    narrator: bool = False


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def tint(colour: str, amount: float = 0.78) -> str:
    """Mix ``colour`` with white; light enough for body text on top."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = (round(c + (255 - c) * amount) for c in (r, g, b))
    return "#{:02x}{:02x}{:02x}".format(*mix)


def ink_for(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    return "#000000" if contrast(colour, "#000000") >= contrast(colour, "#ffffff") else "#ffffff"


def _initial_candidates(name: str) -> list[str]:
    words = _WORD.findall(name) or ["?"]
    first = words[0]
    candidates = ["".join(w[0] for w in words[:3]).upper()]
    if len(words) == 1:
        candidates.append(first[:2].capitalize())
    else:
        candidates.append(first[:2].capitalize() + "".join(w[0] for w in words[1:3]).upper())
    return candidates


def _unique_initials(names: list[str]) -> list[str]:
    taken: set[str] = set()
    result: list[str] = []
    for name in names:
        candidates = _initial_candidates(name)
        choice = next((c for c in candidates if c not in taken), None)
        number = 2
        while choice is None:
            if f"{candidates[0]}{number}" not in taken:
                choice = f"{candidates[0]}{number}"
            number += 1
        taken.add(choice)
        result.append(choice)
    return result


def people(analysis: Analysis) -> dict[str, Person]:
    """Characters plus any speaker/mention id the character list lacks, keyed by id."""
    names: dict[str, str] = {c.id: c.name for c in analysis.characters}
    for quote in analysis.quotes:
        for cid in [quote.speaker, *quote.addressees]:
            if cid is not None:
                names.setdefault(cid, cid)
    for mention in analysis.mentions:
        names.setdefault(mention.character, mention.character)
    for cid in analysis.stats.words_spoken:
        names.setdefault(cid, cid)
    for inter in analysis.interactions:
        names.setdefault(inter.a, inter.a)
        names.setdefault(inter.b, inter.b)

    talk = Counter(q.speaker for q in analysis.quotes if q.speaker is not None)
    talk.update(analysis.stats.words_spoken)
    ids = list(names)
    by_talk = sorted(ids, key=lambda cid: -talk[cid])  # stable: ties keep list order
    colour_of = {cid: PALETTE[i % len(PALETTE)] for i, cid in enumerate(by_talk)}
    initials = _unique_initials([names[cid] for cid in ids])
    narrator = narrator_of(analysis)
    result: dict[str, Person] = {}
    for index, cid in enumerate(ids):
        colour = colour_of[cid]
        result[cid] = Person(
            id=cid,
            name=names[cid],
            key=f"c{index}",
            initials=initials[index],
            colour=colour,
            tint=tint(colour),
            ink=ink_for(colour),
            narrator=cid == narrator,
        )
    return result


def name_of(cast: dict[str, Person], cid: str) -> str:
    """Display name for a character id, the id itself when unknown."""
    person = cast.get(cid)
    return person.name if person else cid
