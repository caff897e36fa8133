"""Relatives by name: "his wife" of Mr. Bennet is Mrs. Bennet.

A speech tag often names its speaker only through someone else ("cried his wife", "said
her mother"), most of all when the text has not named them yet. A reader finds the
relative by the family name: the wife of "Mr. Bennet" is the "Mrs. Bennet" of the cast,
the mother of "Elizabeth Bennet" too. Only a relation that a title pins down (a spouse, a
parent) and only one character who fits is taken; "her sister" among five Bennet sisters
is left to the other evidence. An aunt or uncle goes by a title of their own ("Aunt
Juley"), so "her aunt" is the one cast member so titled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ficlens.characters.clustering import name_tokens, title_of
from ficlens.model import Character

#: Kinship nouns and the titles their bearer goes by among the owner's family name.
KIN_TITLES: dict[str, frozenset[str]] = {
    "wife": frozenset({"mrs", "lady"}),
    "lady": frozenset({"mrs", "lady"}),
    "husband": frozenset({"mr", "sir", "lord"}),
    "mother": frozenset({"mrs", "lady"}),
    "mamma": frozenset({"mrs", "lady"}),
    "mama": frozenset({"mrs", "lady"}),
    "father": frozenset({"mr", "sir", "lord"}),
    "papa": frozenset({"mr", "sir", "lord"}),
}


#: Kinship nouns that are titles themselves: the one cast member so titled, whatever their
#: family name ("her aunt" is the cast's Aunt Juley, who is Mrs. Munt).
KIN_RANKS: dict[str, frozenset[str]] = {
    "aunt": frozenset({"aunt"}),
    "uncle": frozenset({"uncle"}),
    "grandmother": frozenset({"granny", "grandma"}),
    "granny": frozenset({"granny", "grandma"}),
    "grandfather": frozenset({"grandpa"}),
}
KIN_NOUNS = frozenset(KIN_TITLES) | frozenset(KIN_RANKS)


def _forms(c: Character) -> list[str]:
    return [f for f in (c.name, *c.aliases) if f.strip()]


def family_names(c: Character) -> set[str]:
    """The character's family names: the last word of a titled form ("Mr. Bennet") or of
    a form of two words or more ("Elizabeth Bennet"); a lone given name has none."""
    out: set[str] = set()
    for form in _forms(c):
        words = name_tokens(form)
        if words and (title_of(form) or len(words) >= 2):
            out.add(words[-1])
    return out


class Kinship:
    """The cast indexed by title and by title and family name, so that every relative of
    every character can be looked up at once (``kin_table``)."""

    def __init__(self, characters: Iterable[Character]) -> None:
        self.families: dict[str, set[str]] = {}
        self.titled: dict[str, set[str]] = defaultdict(set)
        self.titled_family: dict[tuple[str, str], set[str]] = defaultdict(set)
        for c in characters:
            self.families[c.id] = family_names(c)
            for form in _forms(c):
                title, words = title_of(form), name_tokens(form)
                if title:
                    self.titled[title].add(c.id)
                    if words:
                        self.titled_family[(title, words[-1])].add(c.id)

    def relative(self, owner: str, noun: str) -> str | None:
        """The id of the one character who is ``owner``'s ``noun`` by title and family
        name (or by the title alone, for an aunt or uncle), or None (not a kinship noun the
        titles decide, no family name, none or several)."""
        noun = noun.lower()
        found: set[str] = set()
        if noun in KIN_RANKS:
            for title in KIN_RANKS[noun]:
                found |= self.titled.get(title, set())
        else:
            for title in KIN_TITLES.get(noun, ()):
                for family in self.families.get(owner, ()):
                    found |= self.titled_family.get((title, family), set())
        found.discard(owner)
        return found.pop() if len(found) == 1 else None


def kin_table(characters: Sequence[Character]) -> dict[tuple[str, str], str]:
    """Every (owner id, kinship noun) pair that names one relative in the cast, for a
    resolver that learns whose "her father" it reads only as it goes."""
    kinship = Kinship(characters)
    out: dict[tuple[str, str], str] = {}
    for owner in characters:
        for noun in KIN_NOUNS:
            kin = kinship.relative(owner.id, noun)
            if kin is not None:
                out[(owner.id, noun)] = kin
    return out
