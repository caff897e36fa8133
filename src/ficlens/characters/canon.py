"""Canon knowledge for character finding, scoped to the fandoms the fic belongs to.

Only the fandoms ``detect_fandom`` finds (or the fic declares) are consulted, so "Dean"
in a Gilmore Girls fic is Dean Forester, never Dean Winchester. A name matches a canon
character only when the strongest match is unique and more than a bare surname.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ficlens.fandoms import CanonCharacter, KnowledgeBase, detect_fandom, load_knowledge_base
from ficlens.model import Analysis

#: Fandoms scoring at least this (of the best, 0..1) are candidates.
MIN_FANDOM_SCORE = 0.3
MAX_FANDOMS = 3
#: A candidate fandom stays in scope only when at least this share of the names the text
#: uses for people are its canon characters: a novel with a Rachel and a Robert among fifty
#: other names is not Gilmore Girls, a fic about Rory, Jess, Luke and Liz is.
MIN_COVERAGE = 0.5


class CanonMatcher:
    """Name → canon character and "is this a place?" within a set of fandoms."""

    def __init__(self, kb: KnowledgeBase, fandoms: Sequence[str]) -> None:
        self.kb = kb
        self.fandoms = list(fandoms)
        self._cache: dict[str, CanonCharacter | None] = {}

    def character(self, surface: str) -> CanonCharacter | None:
        if not self.fandoms:
            return None
        if surface not in self._cache:
            matches = self.kb.match_character(surface, self.fandoms)
            found = None
            if matches and matches[0].strength != "surname":
                best = [m for m in matches if m.strength == matches[0].strength]
                if len({m.character.tag for m in best}) == 1:
                    found = best[0].character
            self._cache[surface] = found
        return self._cache[surface]

    def key(self, surface: str) -> str | None:
        """The canon tag a surface names (for alias clustering), or None."""
        found = self.character(surface)
        return found.tag if found else None

    def non_person(self, surface: str) -> bool:
        return bool(self.fandoms) and self.kb.is_non_person(surface, self.fandoms)

    def restricted(self, names: Mapping[str, int]) -> CanonMatcher:
        """Keep the fandoms whose canon covers enough of the text's person names (a name
        counts once; names used only once are noise and do not count)."""
        used = [n for n, count in names.items() if count >= 2] or list(names)
        if not used:
            return CanonMatcher(self.kb, [])
        kept = []
        for fandom in self.fandoms:
            hits = sum(
                1
                for n in used
                if any(m.strength != "surname" for m in self.kb.match_character(n, [fandom]))
            )
            if hits / len(used) >= MIN_COVERAGE:
                kept.append(fandom)
        return CanonMatcher(self.kb, kept)

    def by_tag(self, tag: str) -> CanonCharacter | None:
        for name in self.fandoms:
            fandom = self.kb.fandom(name)
            for c in fandom.characters if fandom else ():
                if c.tag == tag:
                    return c
        return None


def matcher_for(analysis: Analysis, fandom_dirs: Sequence[str] = ()) -> CanonMatcher:
    """A matcher over the fandoms this fic belongs to (none when nothing points anywhere)."""
    kb = load_knowledge_base(fandom_dirs)
    scores = detect_fandom(analysis, kb)
    fandoms = [s.fandom for s in scores if s.score >= MIN_FANDOM_SCORE][:MAX_FANDOMS]
    return CanonMatcher(kb, fandoms)
