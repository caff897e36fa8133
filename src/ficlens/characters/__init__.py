"""Characters: discovery and alias clustering, gender, narrator, pronoun coreference.

The interface to later stages is :class:`CharacterLayer` (``doc.layers["characters"]``).
"""

from __future__ import annotations

from ficlens.characters.given import CharacterListError, given_characters
from ficlens.characters.layer import CharacterLayer, MentionRef, alias_key
from ficlens.characters.stage import CharactersStage

__all__ = [
    "CharacterLayer",
    "CharacterListError",
    "CharactersStage",
    "MentionRef",
    "alias_key",
    "given_characters",
]
