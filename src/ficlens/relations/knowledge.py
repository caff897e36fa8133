"""What the source and the canon say about pairs: declared tags and canon ties.

Why separate from the cues: these are not read in the story text but looked up, so they
need matching of names to the fic's characters (by AO3 tag, name or alias) rather than
pronoun resolution. Declared tags follow AO3's form: "A/B" is romantic, "A & B" platonic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ficlens.characters import alias_key
from ficlens.fandoms import KnowledgeBase
from ficlens.fandoms.schema import plain_name
from ficlens.model import Character, RelationshipKind
from ficlens.relations.context import pair


@dataclass(frozen=True)
class Declared:
    """A relationship tag of the source, matched to two characters of the fic."""

    pair: tuple[str, str]
    kind: RelationshipKind
    tag: str


@dataclass(frozen=True)
class CanonTie:
    """A canon relation between two characters of the fic: "a is the label of b"."""

    pair: tuple[str, str]
    kind: RelationshipKind
    label: str
    a: str
    b: str


class CastIndex:
    """Character lookup by AO3 tag, name, alias, or (when unique) first name."""

    def __init__(self, characters: Sequence[Character]) -> None:
        self.by_tag: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        self.by_first: dict[str, list[str]] = {}
        for c in characters:
            if c.ao3_tag:
                self.by_tag[alias_key(c.ao3_tag)] = c.id
                self.by_tag.setdefault(alias_key(plain_name(c.ao3_tag)), c.id)
            for form in {c.name, *c.aliases}:
                self.by_name.setdefault(alias_key(form), []).append(c.id)
            first = alias_key(c.name).split(" ")[0] if c.name.strip() else ""
            if first:
                self.by_first.setdefault(first, []).append(c.id)

    def find(self, surface: str) -> str | None:
        key = alias_key(surface)
        if key in self.by_tag:
            return self.by_tag[key]
        plain = alias_key(plain_name(surface))
        if plain in self.by_tag:
            return self.by_tag[plain]
        for table, k in ((self.by_name, key), (self.by_name, plain), (self.by_first, plain)):
            ids = list(dict.fromkeys(table.get(k, ())))
            if len(ids) == 1:
                return ids[0]
        first = plain.split(" ")[0] if plain else ""
        ids = list(dict.fromkeys(self.by_first.get(first, ())))
        return ids[0] if len(ids) == 1 else None


def declared_pairs(
    tags: Sequence[str], characters: Sequence[Character], kb: KnowledgeBase | None = None
) -> list[Declared]:
    """The declared relationship tags that name two characters of the fic.

    A tag of more than two members ("A/B/C") declares every pair in it. A name the cast
    does not know is looked up as a ship ("Literati") in the knowledge base.
    """
    cast = CastIndex(characters)
    out: dict[tuple[str, str], Declared] = {}
    for tag in tags:
        platonic = "/" not in tag and "&" in tag
        kind: RelationshipKind = "platonic" if platonic else "romantic"
        parts = [p.strip() for p in re.split(r"\s*&\s*" if platonic else r"/", tag) if p.strip()]
        ids = [cast.find(p) for p in parts]
        if (len(parts) < 2 or None in ids) and kb is not None:
            ship = kb.ship_by_name(tag)
            if ship is not None:
                kind = ship[1].kind
                ids = [cast.find(m) for m in ship[1].members]
        found = [i for i in dict.fromkeys(ids) if i is not None]
        for x, a in enumerate(found):
            for b in found[x + 1 :]:
                out.setdefault(pair(a, b), Declared(pair(a, b), kind, tag))
    return list(out.values())


def canon_ties(characters: Sequence[Character], kb: KnowledgeBase) -> list[CanonTie]:
    """Canon relations (knowledge base) between characters of the fic, by AO3 tag."""
    by_tag = {c.ao3_tag: c.id for c in characters if c.ao3_tag}
    if len(by_tag) < 2:
        return []
    out: list[CanonTie] = []
    for fandom in kb:
        for r in fandom.relations:
            a, b = by_tag.get(r.a), by_tag.get(r.b)
            if a and b and a != b:
                out.append(CanonTie(pair(a, b), r.kind, r.label, a, b))
    return out
