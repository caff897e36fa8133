"""Lookups over the loaded fandoms: who a name can be, whether it is a place, which ship.

The characters stage asks "who could 'Rory' be?" thousands of times per fic, so every
surface form is indexed once by :func:`~ficlens.fandoms.names.name_key`. A bare first
name or surname is a weaker clue than a full name or a known nickname; :class:`NameMatch`
says which kind of match it was, so callers can prefer the stronger ones.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from ficlens.fandoms.names import HONORIFICS, name_key, name_parts, split_honorific, trie_pattern
from ficlens.fandoms.schema import (
    CanonCharacter,
    CanonRelation,
    Episode,
    Fandom,
    Ship,
    plain_name,
)

MatchStrength = Literal["exact", "first_name", "surname"]
STRENGTH_ORDER: dict[str, int] = {"exact": 0, "first_name": 1, "surname": 2}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_OPEN_QUOTES = frozenset("\"'“‘«")
_CLOSE_QUOTES = frozenset("\"'”’»")


@dataclass(frozen=True)
class NameMatch:
    """One canon character a surface form may refer to, and how strong the match is.

    ``exact``: the tag, full name or a listed alias; ``first_name`` / ``surname``: only one
    word of the full name (with an honorific such as "Mrs." the implied gender must fit).
    """

    fandom: Fandom
    character: CanonCharacter
    strength: MatchStrength
    form: str


@dataclass(frozen=True)
class EpisodeMention:
    """A canon episode title found in a text; ``quoted`` when it stands in quotation marks."""

    start: int
    end: int
    fandom: Fandom
    episode: Episode
    quoted: bool


@dataclass(frozen=True)
class _Entry:
    fandom: int
    character: int
    strength: MatchStrength
    form: str


class KnowledgeBase:
    """The fandoms ficlens knows, with indexes for name, place, ship and episode lookups."""

    def __init__(self, fandoms: Iterable[Fandom], sources: dict[str, Path] | None = None):
        self.fandoms: tuple[Fandom, ...] = tuple(fandoms)
        self.sources: dict[str, Path] = dict(sources or {})
        """Fandom name → the data file it was read from."""
        self._by_name: dict[str, Fandom] = {}
        for f in self.fandoms:
            for n in (f.name, *f.aliases):
                self._by_name.setdefault(name_key(n), f)
        self._names: dict[str, list[_Entry]] = {}
        self._places: dict[str, set[str]] = {}
        self._things: dict[str, set[str]] = {}
        self._ships: dict[str, list[tuple[int, Ship]]] = {}
        for fi, f in enumerate(self.fandoms):
            self._index_fandom(fi, f)

    def __repr__(self) -> str:
        return f"KnowledgeBase({len(self.fandoms)} fandoms)"

    def __len__(self) -> int:
        return len(self.fandoms)

    def __iter__(self) -> Iterator[Fandom]:
        return iter(self.fandoms)

    def _index_fandom(self, fi: int, f: Fandom) -> None:
        places = {_place_key(p) for p in f.places}
        for ci, c in enumerate(f.characters):
            exact = {name_key(form) for form in c.forms}
            for form in c.forms:
                self._add_name(name_key(form), _Entry(fi, ci, "exact", form))
            for word, strength in name_parts(c.name):
                if name_key(word) not in exact and name_key(word) not in places:
                    self._add_name(name_key(word), _Entry(fi, ci, strength, word))
        for place in f.places:
            self._places.setdefault(_place_key(place), set()).add(f.name)
        for thing in f.things:
            self._things.setdefault(_place_key(thing), set()).add(f.name)
        for s in f.ships:
            for n in (s.tag, plain_name(s.tag), *s.names):
                self._ships.setdefault(name_key(n), []).append((fi, s))

    def _add_name(self, key: str, entry: _Entry) -> None:
        entries = self._names.setdefault(key, [])
        if not any(e.fandom == entry.fandom and e.character == entry.character for e in entries):
            entries.append(entry)

    # ----------------------------------------------------------------- fandoms

    def fandom(self, name: str) -> Fandom | None:
        """The fandom with this AO3 tag or alias (case-insensitive), or None."""
        key = name_key(name)
        found = self._by_name.get(key)
        if found is None and key.endswith(")"):
            found = self._by_name.get(name_key(plain_name(name)))
        if found is None and "|" in key:  # "原神 | Genshin Impact (Video Game)" style tags
            found = next(
                (self._by_name[p.strip()] for p in key.split("|") if p.strip() in self._by_name),
                None,
            )
        return found

    def _scope(self, fandoms: Sequence[str] | None) -> set[int] | None:
        if fandoms is None:
            return None
        if isinstance(fandoms, str):  # one name passed bare, not a list of letters
            fandoms = [fandoms]
        wanted = {f.name for f in (self.fandom(n) for n in fandoms) if f is not None}
        return {i for i, f in enumerate(self.fandoms) if f.name in wanted}

    # -------------------------------------------------------------- characters

    def match_character(
        self, surface: str, fandoms: Sequence[str] | None = None
    ) -> list[NameMatch]:
        """Every canon character ``surface`` may name, strongest match first.

        Case-insensitive; a trailing possessive is ignored ("Rory's"); an honorific before
        a surname keeps only characters of the implied gender ("Mrs. Gilmore").
        """
        scope = self._scope(fandoms)
        found: dict[tuple[int, int], _Entry] = {}

        def add(entries: Iterable[_Entry], gender: str | None = None) -> None:
            for e in entries:
                if scope is not None and e.fandom not in scope:
                    continue
                char = self.fandoms[e.fandom].characters[e.character]
                if gender and char.gender not in (gender, "unknown"):
                    continue
                old = found.get((e.fandom, e.character))
                if old is None or STRENGTH_ORDER[e.strength] < STRENGTH_ORDER[old.strength]:
                    found[(e.fandom, e.character)] = e

        for key in _possessive_variants(name_key(surface)):
            add(self._names.get(key, ()))
            title, rest = split_honorific(key)
            if title is not None:
                gender = HONORIFICS[title]
                rest_key = name_key(rest)
                add(
                    (e for e in self._names.get(rest_key, ()) if e.strength != "first_name"),
                    gender,
                )
        ranked = sorted(found.values(), key=lambda e: (STRENGTH_ORDER[e.strength], e.fandom))
        return [
            NameMatch(
                self.fandoms[e.fandom],
                self.fandoms[e.fandom].characters[e.character],
                e.strength,
                e.form,
            )
            for e in ranked
        ]

    def find_characters(
        self, surface: str, fandoms: Sequence[str] | None = None
    ) -> list[tuple[Fandom, CanonCharacter]]:
        """The canon characters ``surface`` most plausibly names: the strongest tier only.

        "Jess", "Jess Mariano" and "Dodger" give Jess Mariano; "Gilmore" alone gives every
        Gilmore (a surname-only match) unless a character is called exactly that. Use
        :meth:`match_character` to see every candidate with its strength.
        """
        matches = self.match_character(surface, fandoms)
        if not matches:
            return []
        best = matches[0].strength
        return [(m.fandom, m.character) for m in matches if m.strength == best]

    # ------------------------------------------------------------ places, ships

    def _in(self, index: dict[str, set[str]], surface: str, fandoms: Sequence[str] | None) -> bool:
        key = _place_key(surface)
        names = index.get(key) or index.get(_place_key(_strip_possessive(key))) or set()
        scope = self._scope(fandoms)
        if scope is None:
            return bool(names)
        return any(self.fandoms[i].name in names for i in scope)

    def is_place(self, surface: str, fandoms: Sequence[str] | None = None) -> bool:
        """Whether ``surface`` is a canon place ("Stars Hollow", "Luke's", "the Dragonfly Inn")."""
        return self._in(self._places, surface, fandoms)

    def is_non_person(self, surface: str, fandoms: Sequence[str] | None = None) -> bool:
        """A canon place or named thing (band, starship, house…): never a character."""
        return self.is_place(surface, fandoms) or self._in(self._things, surface, fandoms)

    def ship_by_name(
        self, name: str, fandoms: Sequence[str] | None = None
    ) -> tuple[Fandom, Ship] | None:
        """The ship called ``name``: a fan name ("Literati"), its AO3 tag, or "Rory/Jess".

        A pairing written with first names or in another order is resolved through the
        characters, so "Rory/Jess" and "Jess Mariano/Rory Gilmore" find the same ship.
        """
        scope = self._scope(fandoms)
        for fi, s in self._ships.get(name_key(name), ()):
            if scope is None or fi in scope:
                return self.fandoms[fi], s
        platonic = "/" not in name and "&" in name
        parts = [p.strip() for p in re.split(r"&" if platonic else r"/", name) if p.strip()]
        if len(parts) < 2:
            return None
        for fi, f in enumerate(self.fandoms):
            if scope is not None and fi not in scope:
                continue
            options = [{c.tag for _, c in self.find_characters(p, [f.name])} for p in parts]
            if not all(options):
                continue
            for s in f.ships:
                if len(s.members) == len(parts) and (s.kind == "platonic") == platonic:
                    for perm in itertools.permutations(s.members):
                        if all(m in opt for m, opt in zip(perm, options, strict=True)):
                            return f, s
        return None

    def canon_relations(
        self, a: str, b: str, fandoms: Sequence[str] | None = None
    ) -> list[tuple[Fandom, CanonRelation]]:
        """Canon ties between two character tags, in either direction ("is Luke Jess's uncle?")."""
        scope = self._scope(fandoms)
        return [
            (f, r)
            for i, f in enumerate(self.fandoms)
            if scope is None or i in scope
            for r in f.relations
            if {r.a, r.b} == {a, b}
        ]

    # ---------------------------------------------------------------- episodes

    @cached_property
    def _episode_index(self) -> tuple[re.Pattern[str] | None, dict[str, list[tuple[int, int]]]]:
        titles: dict[str, list[tuple[int, int]]] = {}
        forms: set[str] = set()
        for fi, f in enumerate(self.fandoms):
            for ei, ep in enumerate(f.episodes):
                for form in (ep.title, *ep.aliases):
                    for variant in {form, form.rstrip(".… ")}:
                        if len(variant) >= 3:
                            forms.add(variant)
                            titles.setdefault(name_key(variant), []).append((fi, ei))
        if not forms:
            return None, titles
        pattern = re.compile(r"(?<!\w)(?:" + trie_pattern(forms) + r")(?!\w)", re.IGNORECASE)
        return pattern, titles

    def episodes_in(self, text: str, fandoms: Sequence[str] | None = None) -> list[EpisodeMention]:
        """Canon episode titles named in ``text``, with their spans.

        Only the title's own capitalisation counts ("Let the Games Begin", not the
        everyday "Let the games begin"). A title of two or more words counts in quotation
        marks; a one-word title ("Pilot") only when the quotes close right after it (not
        dialogue such as "Pilot," he said); unquoted, a title counts when it is four or more
        words long, and a listed short form ("Nag Hammadi") counts anywhere.
        """
        pattern, titles = self._episode_index
        if pattern is None:
            return []
        scope = self._scope(fandoms)
        out: list[EpisodeMention] = []
        for m in pattern.finditer(text):
            quoted, tight = _quotes(text, m.start(), m.end())
            found = _title_form(m.group())
            for fi, ei in titles.get(name_key(m.group()), ()):
                if scope is not None and fi not in scope:
                    continue
                ep = self.fandoms[fi].episodes[ei]
                if _counts(found, ep, quoted, tight):
                    out.append(EpisodeMention(m.start(), m.end(), self.fandoms[fi], ep, quoted))
        return out


def _title_form(title: str) -> str:
    return title.translate(_APOSTROPHES).rstrip(".… ")


def _counts(found: str, ep: Episode, quoted: bool, tight: bool) -> bool:
    if any(found == _title_form(a) for a in ep.aliases):
        return True
    if found != _title_form(ep.title):
        return False
    words = len(found.split())
    return words >= 4 or (quoted and (words >= 2 or tight))


def _quotes(text: str, start: int, end: int) -> tuple[bool, bool]:
    """(in quotation marks, closed right after the title without punctuation)."""
    if start == 0 or text[start - 1] not in _OPEN_QUOTES:
        return False, False
    after = text[end : end + 4]
    rest = after.lstrip(".…,!?")
    quoted = bool(rest) and rest[0] in _CLOSE_QUOTES
    return quoted, quoted and bool(after) and after[0] in _CLOSE_QUOTES


def _strip_possessive(key: str) -> str:
    if key.endswith("'s"):
        return key[:-2]
    return key[:-1] if key.endswith("'") else key


def _possessive_variants(key: str) -> list[str]:
    bare = _strip_possessive(key)
    return [key] if bare == key else [key, bare]


def _place_key(surface: str) -> str:
    key = name_key(surface)
    return key[4:] if key.startswith("the ") else key
