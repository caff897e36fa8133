"""A caller-supplied character list (``analyze(text, characters=[...])``), validated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ficlens.errors import FicError
from ficlens.model import Character


class CharacterListError(FicError):
    """A given character list is malformed (names the entry and field)."""


def given_characters(entries: Iterable[Mapping[str, Any] | Character]) -> list[Character]:
    """Turn ``[{"id", "name", "aliases"}]`` into Characters, keeping the caller's ids."""
    out: list[Character] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if isinstance(entry, Character):
            entry = entry.model_dump()
        if not isinstance(entry, Mapping):
            raise CharacterListError(f"characters[{i}]: expected a mapping with id and name")
        cid, name = entry.get("id"), entry.get("name")
        if not isinstance(cid, str) or not cid:
            raise CharacterListError(f"characters[{i}].id: a non-empty string is required")
        if cid in seen:
            raise CharacterListError(f"characters[{i}].id: '{cid}' is used twice")
        if not isinstance(name, str):
            raise CharacterListError(f"characters[{i}].name: a string is required")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise CharacterListError(f"characters[{i}].aliases: a list of strings is required")
        gender = entry.get("gender", "unknown")
        if gender not in ("female", "male", "nonbinary", "unknown"):
            raise CharacterListError(f"characters[{i}].gender: '{gender}' is not a gender")
        seen.add(cid)
        names = sorted({a for a in [name, *aliases] if a.strip()})
        out.append(Character(id=cid, name=name, aliases=names, gender=gender))
    return out
