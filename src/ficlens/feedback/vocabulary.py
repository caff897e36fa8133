"""Words that are never misspellings in a fic: its characters' names and its canon.

Character names and aliases come from ``analysis.characters``; the knowledge base adds
every fandom's canon names, places, named things and episode-title words, so a
lower-cased "dodger" or "luke's" is not a typo.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ficlens.fandoms import KnowledgeBase, load_knowledge_base
from ficlens.model import Character

_WORDS = re.compile(r"[^\W\d_]+")


def words_of(*names: str) -> set[str]:
    return {w.lower() for n in names for w in _WORDS.findall(n)}


def character_words(characters: list[Character]) -> frozenset[str]:
    return frozenset(words_of(*(n for c in characters for n in (c.name, *c.aliases))))


@lru_cache(maxsize=8)
def canon_words(fandom_dirs: tuple[str, ...] = ()) -> frozenset[str]:
    """Every word of every fandom's canon (loaded once per set of fandom folders)."""
    kb: KnowledgeBase = load_knowledge_base(list(fandom_dirs))
    found: set[str] = set()
    for f in kb:
        found |= words_of(f.name, *f.aliases, *f.places, *f.things)
        for c in f.characters:
            found |= words_of(c.tag, c.name, *c.aliases)
        for s in f.ships:
            found |= words_of(*s.names)
        for e in f.episodes:
            found |= words_of(e.title, *e.aliases)
    return frozenset(found)
