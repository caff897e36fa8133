"""The shape of one fandom data file (``fandoms/data/*.toml``), checked on load.

Files are written by hand (ours and users'), so every field is validated and every
cross-reference (ship members, relation ends) must name a character tag of the same
fandom: a typo in a tag would otherwise silently turn into "no match" at analysis time.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ficlens.model import Gender, RelationshipKind

GENDERS: tuple[str, ...] = get_args(Gender)
RELATION_KINDS: tuple[str, ...] = get_args(RelationshipKind)
ShipKind = Literal["romantic", "platonic"]
SHIP_KINDS: tuple[str, ...] = get_args(ShipKind)


def _one_of(value: Any, allowed: tuple[str, ...]) -> Any:
    """Checked before the Literal type so that the message lists the allowed values."""
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _no_blank(values: list[str]) -> list[str]:
    for i, v in enumerate(values):
        if not v.strip():
            raise ValueError(f"entry {i} is empty")
    return [v.strip() for v in values]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def plain_name(tag: str) -> str:
    """``"Castiel (Supernatural)"`` → ``"Castiel"``: AO3 disambiguates shared names in brackets."""
    head, sep, _ = tag.partition(" (")
    return head.strip() if sep and tag.endswith(")") else tag.strip()


class CanonCharacter(_Entry):
    """A canon character: AO3 canonical tag, full name, the names fics call them by."""

    tag: str = Field(min_length=1, description="AO3 canonical character tag")
    name: str = Field(default="", description="full name; defaults to the tag without (Fandom)")
    aliases: list[str] = Field(default_factory=list, description="nicknames, short forms")
    gender: Gender = "unknown"

    _check_aliases = field_validator("aliases")(_no_blank)

    @field_validator("gender", mode="before")
    @classmethod
    def _check_gender(cls, v: Any) -> Any:
        return _one_of(v, GENDERS)

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("name") and isinstance(data.get("tag"), str):
            data = {**data, "name": plain_name(data["tag"])}
        return data

    @property
    def forms(self) -> list[str]:
        """Every full form this character is called by (tag, bare tag, name, aliases)."""
        seen: dict[str, None] = {}
        for form in (self.tag, plain_name(self.tag), self.name, *self.aliases):
            seen.setdefault(form, None)
        return list(seen)


class Ship(_Entry):
    """A relationship as AO3 tags it (``A/B`` romantic, ``A & B`` platonic) and its fan names."""

    tag: str = Field(min_length=1, description="AO3 relationship tag")
    names: list[str] = Field(default_factory=list, description="portmanteau / fan names")
    kind: ShipKind = Field(
        default="romantic", description="romantic or platonic; from the tag by default"
    )
    members: list[str] = Field(
        default_factory=list,
        description="character tags; split from the tag by default (set it when AO3's "
        "relationship tag spells a member differently from the character tag)",
    )

    _check_names = field_validator("names")(_no_blank)

    @model_validator(mode="before")
    @classmethod
    def _derive(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("tag"), str):
            return data
        tag: str = data["tag"]
        platonic = "/" not in tag and " & " in tag
        data = dict(data)
        if not data.get("kind"):
            data["kind"] = "platonic" if platonic else "romantic"
        if not data.get("members"):
            data["members"] = [m.strip() for m in tag.split(" & " if platonic else "/")]
        return data

    @field_validator("kind", mode="before")
    @classmethod
    def _check_kind(cls, v: Any) -> Any:
        return _one_of(v, SHIP_KINDS)

    @field_validator("members")
    @classmethod
    def _check_members(cls, v: list[str]) -> list[str]:
        if len(v) < 2:
            raise ValueError("a ship needs at least two members")
        return v


class CanonRelation(_Entry):
    """A canon tie between two characters, read as "*a* is the *label* of *b*"."""

    a: str
    b: str
    kind: RelationshipKind = "family"
    label: str = Field(min_length=1, description="e.g. mother, uncle, spouse")

    @field_validator("kind", mode="before")
    @classmethod
    def _check_kind(cls, v: Any) -> Any:
        return _one_of(v, RELATION_KINDS)


class Episode(_Entry):
    """An episode (or book/film) title; ``aliases`` are short forms fans quote it by."""

    title: str = Field(min_length=1)
    season: int | None = None
    number: int | None = None
    aliases: list[str] = Field(default_factory=list)


class Fandom(_Entry):
    """One fandom: its AO3 canonical fandom tag and the canon a reader would know."""

    name: str = Field(min_length=1, description="AO3 canonical fandom tag")
    aliases: list[str] = Field(default_factory=list, description="other names, abbreviations")
    characters: list[CanonCharacter] = Field(default_factory=list)
    ships: list[Ship] = Field(default_factory=list)
    relations: list[CanonRelation] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list, description="canon places (not people)")
    things: list[str] = Field(
        default_factory=list, description="named things that are not people: bands, ships, groups"
    )
    episodes: list[Episode] = Field(default_factory=list)

    _check_lists = field_validator("aliases", "places", "things")(_no_blank)

    @model_validator(mode="before")
    @classmethod
    def _ship_members(cls, data: Any) -> Any:
        """AO3 writes "Castiel/Dean Winchester" for the character tag "Castiel (Supernatural)"."""
        if not isinstance(data, dict):
            return data
        chars, ships = data.get("characters"), data.get("ships")
        if not isinstance(chars, list) or not isinstance(ships, list):
            return data
        tags = {c["tag"] for c in chars if isinstance(c, dict) and isinstance(c.get("tag"), str)}
        bare: dict[str, str] = {}
        for tag in tags:
            bare[plain_name(tag)] = tag if plain_name(tag) not in bare else ""
        fixed: list[Any] = []
        for ship in ships:
            if (
                isinstance(ship, dict)
                and isinstance(ship.get("tag"), str)
                and not ship.get("members")
            ):
                tag = ship["tag"]
                platonic = "/" not in tag and " & " in tag
                parts = [p.strip() for p in tag.split(" & " if platonic else "/")]
                members = [p if p in tags else bare.get(p) or p for p in parts]
                ship = {**ship, "members": members}
            fixed.append(ship)
        return {**data, "ships": fixed}

    @field_validator("episodes", mode="before")
    @classmethod
    def _titles(cls, v: Any) -> Any:
        """Allow plain strings for episodes that need no season or short forms."""
        if isinstance(v, list):
            return [{"title": e} if isinstance(e, str) else e for e in v]
        return v

    @model_validator(mode="after")
    def _cross_references(self) -> Fandom:
        tags: dict[str, int] = {}
        for i, c in enumerate(self.characters):
            if c.tag in tags:
                raise ValueError(
                    f"characters[{i}].tag: duplicate tag {c.tag!r} (also characters[{tags[c.tag]}])"
                )
            tags[c.tag] = i
        ship_tags: set[str] = set()
        for i, s in enumerate(self.ships):
            if s.tag in ship_tags:
                raise ValueError(f"ships[{i}].tag: duplicate ship {s.tag!r}")
            ship_tags.add(s.tag)
            for m in s.members:
                if m not in tags:
                    raise ValueError(
                        f"ships[{i}].members: {m!r} is not a character tag of {self.name}"
                    )
        for i, r in enumerate(self.relations):
            for end in ("a", "b"):
                if getattr(r, end) not in tags:
                    raise ValueError(
                        f"relations[{i}].{end}: {getattr(r, end)!r} is not a character tag "
                        f"of {self.name}"
                    )
            if r.a == r.b:
                raise ValueError(f"relations[{i}]: a and b are the same character")
        return self

    def __repr__(self) -> str:
        return f"Fandom({self.name!r}, {len(self.characters)} characters)"

    def character(self, tag: str) -> CanonCharacter | None:
        """The character with this exact AO3 tag."""
        return next((c for c in self.characters if c.tag == tag), None)
