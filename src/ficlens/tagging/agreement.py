"""When a declared AO3 tag and a suggested one name the same thing.

Both sides are compared after light normalisation (case, spacing, FFN rating letters,
AO3's renamed and displayed warning and rating names, relationship order). Names may be
shortened the way fanfiction.net and authors write them: "Rory/Jess" or "Rory G." agree
with "Rory Gilmore/Jess Mariano" and "Rory Gilmore"; a declared freeform tag that contains
a suggested one ("Fluff and Angst") agrees with it. The report and the tables both mark
agreement with these functions, so they never disagree about it.
"""

from __future__ import annotations

import itertools
import re

from ficlens.ingest.ao3_vocab import normalize_category, normalize_rating, normalize_warning
from ficlens.model import Metadata

_FFN_RATINGS = {
    "k": "general audiences",
    "k+": "general audiences",
    "g": "general audiences",
    "t": "teen and up audiences",
    "teen": "teen and up audiences",
    "m": "mature",
    "ma": "explicit",
    "e": "explicit",
}
_SPACE = re.compile(r"\s+")
_PAIR = re.compile(r"\s*(?:/|\s&\s)\s*")
_RATED = re.compile(r"^(?:fiction\s+)?(?:rated:?\s*)?", re.IGNORECASE)
_WORDS = re.compile(r"[^\W_]+")
_CANONICAL = {
    "rating": normalize_rating,
    "warnings": normalize_warning,
    "category": normalize_category,
}


def normalise(category: str, tag: str) -> str:
    """The form two tags are compared in."""
    value = _SPACE.sub(" ", tag).strip()
    if category == "rating":
        value = _RATED.sub("", value)
    if category in _CANONICAL:
        value = _CANONICAL[category](value)
    value = value.casefold()
    if category == "rating":
        return _FFN_RATINGS.get(value, value)
    if category == "relationships":
        return "/".join(sorted(_PAIR.split(value)))
    return value


def _name_agrees(declared: str, suggested: str) -> bool:
    """ "Rory", "Rory G." or "Gilmore" name "Rory Gilmore": each declared word starts a
    word of the suggested name, in order."""
    d, s = _WORDS.findall(declared.casefold()), _WORDS.findall(suggested.casefold())
    if not d or len(d) > len(s):
        return False
    if len(d) == 1:
        return d[0] in s
    i = 0
    for word in d:
        while i < len(s) and not s[i].startswith(word):
            i += 1
        if i == len(s):
            return False
        i += 1
    return True


def agrees(category: str, declared: str, suggested: str) -> bool:
    """Whether a declared tag and a suggested one name the same thing."""
    if normalise(category, declared) == normalise(category, suggested):
        return True
    if category == "characters":
        return _name_agrees(declared, suggested)
    if category == "relationships":
        d, s = _PAIR.split(declared.strip()), _PAIR.split(suggested.strip())
        romantic = ("/" in declared) == ("/" in suggested)
        return (
            romantic
            and len(d) == len(s)
            and any(
                all(_name_agrees(a, b) for a, b in zip(d, perm, strict=True))
                for perm in itertools.permutations(s)
            )
        )
    if category == "additional":
        words = set(_WORDS.findall(declared.casefold()))
        wanted = _WORDS.findall(suggested.casefold())
        return bool(wanted) and set(wanted) <= words
    return False


def declared_tags(metadata: Metadata) -> dict[str, list[str]]:
    """What the source declares, per field of :class:`ficlens.model.Tags`."""
    m = metadata
    return {
        "fandoms": list(m.fandoms),
        "rating": [m.rating] if m.rating else [],
        "warnings": list(m.warnings),
        "category": list(m.category),
        "relationships": list(m.relationships),
        "characters": list(m.characters),
        "additional": list(m.additional_tags),
    }
