"""Fandom knowledge base: canon characters, ships, relations, places and episodes per fandom.

One TOML file per fandom in ``fandoms/data/`` (users add their own folders with
``--fandom-dir``). The characters stage asks it who a name can be and whether a name is a
place; :func:`detect_fandom` tells which fandom a fic is from.
"""

from ficlens.errors import FandomFileError
from ficlens.fandoms.detect import FandomScore, detect_fandom
from ficlens.fandoms.kb import EpisodeMention, KnowledgeBase, MatchStrength, NameMatch
from ficlens.fandoms.loader import (
    DATA_DIR,
    load_knowledge_base,
    read_fandom_dir,
    read_fandom_file,
)
from ficlens.fandoms.schema import CanonCharacter, CanonRelation, Episode, Fandom, Ship

__all__ = [
    "DATA_DIR",
    "CanonCharacter",
    "CanonRelation",
    "Episode",
    "EpisodeMention",
    "Fandom",
    "FandomFileError",
    "FandomScore",
    "KnowledgeBase",
    "MatchStrength",
    "NameMatch",
    "Ship",
    "detect_fandom",
    "load_knowledge_base",
    "read_fandom_dir",
    "read_fandom_file",
]
