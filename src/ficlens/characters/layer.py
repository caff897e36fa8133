"""``CharacterLayer``: the character inventory and its mentions, for later stages.

This is the one interface between ``characters/`` and the stages that read it
(``dialogue/`` above all): the inventory (``characters``), every mention found with the
character it points to, the first-person narrator, and name lookup. Offsets are absolute
``str`` offsets into ``Analysis.text``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Literal

from ficlens.model import Character, Gender, Mention, MentionKind

PronounClass = Literal["male", "female", "plural", "neutral", "first", "second"]


@dataclass(frozen=True)
class MentionRef:
    """A mention of a (possible) character.

    ``character`` is None when a pronoun could not be resolved. ``role`` is the spaCy
    dependency label of the mention's head (``nsubj`` for a subject), or "" when unknown;
    ``pronoun`` is the class of a pronoun (None for names and nominals).
    """

    start: int
    end: int
    text: str
    kind: MentionKind
    character: str | None
    in_quote: bool = False
    role: str = ""
    pronoun: PronounClass | None = None

    def to_model(self) -> Mention:
        """The contract's view of a resolved mention."""
        return Mention(
            start=self.start, end=self.end, character=self.character or "", kind=self.kind
        )


@dataclass
class CharacterLayer:
    """Inventory + mentions. ``given`` is True when the caller supplied the inventory."""

    characters: list[Character]
    mentions: list[MentionRef] = field(default_factory=list)
    narrator: str | None = None
    given: bool = False
    plural: frozenset[str] = frozenset()  # groups ("the servants"; ``characters/number.py``)
    _by_id: dict[str, Character] = field(default_factory=dict, repr=False)
    _alias_index: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: (m.start, m.end))
        self._starts = [m.start for m in self.mentions]
        self._by_id = {c.id: c for c in self.characters}
        for c in self.characters:
            for alias in {c.name, *c.aliases}:
                ids = self._alias_index.setdefault(alias_key(alias), [])
                if c.id not in ids:
                    ids.append(c.id)

    def get(self, character_id: str) -> Character | None:
        return self._by_id.get(character_id)

    def gender(self, character_id: str) -> Gender:
        c = self._by_id.get(character_id)
        return c.gender if c else "unknown"

    def is_plural(self, character_id: str) -> bool:
        """True for a group: never a he/she, nor the speaker of one turn."""
        return character_id in self.plural

    def lookup(self, surface: str) -> list[str]:
        """Character ids whose name or an alias equals ``surface`` (case/punctuation-blind)."""
        return list(self._alias_index.get(alias_key(surface), ()))

    def mentions_between(self, start: int, end: int) -> list[MentionRef]:
        """Mentions that start inside ``[start, end)``, in text order."""
        i = bisect_left(self._starts, start)
        j = bisect_left(self._starts, end)
        return self.mentions[i:j]


def alias_key(surface: str) -> str:
    """Normalise a name for comparison: case, full stops, apostrophes and spacing ignored."""
    cleaned = surface.replace("\u2019", "'").replace(".", " ").replace("'", "")
    return " ".join(cleaned.lower().split())
