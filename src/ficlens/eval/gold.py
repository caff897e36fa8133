"""Typed reader for the gold JSONL (``shared/data/gold/README.md``).

Each line is checked field by field so that a broken file fails with the line number and
the field at fault instead of a ``KeyError`` deep inside a scorer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficlens.errors import GoldFormatError

QUOTE_TYPES = ("explicit", "anaphoric", "implicit")
PERSONS = ("first", "second", "third")
TENSES = ("present", "past")
RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit")
"""AO3 ratings from mildest to strongest (the eval also scores "within one level")."""
RELATIONSHIP_KINDS = ("romantic", "platonic", "family")


@dataclass(frozen=True)
class GoldCharacter:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GoldQuote:
    start: int
    end: int
    speaker: str | None
    addressees: list[str]
    type: str | None
    quote_id: str


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    character: str


@dataclass(frozen=True)
class GoldRelationship:
    """A pairing the annotators name: two character ids, or two names when the document
    has no character list (``"A/B"`` is romantic, ``"A & B"`` platonic, as on AO3)."""

    pair: tuple[str, str]
    kind: str


@dataclass(frozen=True)
class GoldDoc:
    id: str
    source: str
    title: str
    text: str
    characters: list[GoldCharacter]
    quotes: list[GoldQuote]
    mentions: list[GoldMention]
    pov: str | None = None
    tense: str | None = None
    relationships: list[GoldRelationship] = field(default_factory=list)
    rating_hint: str | None = None


class _Line:
    """Field access that reports ``line N: field`` on any type or presence error."""

    def __init__(self, path: Path, lineno: int) -> None:
        self.where = f"{path}:{lineno}"

    def fail(self, name: str, problem: str) -> GoldFormatError:
        return GoldFormatError(f"{self.where}: field {name!r}: {problem}")

    def get(
        self, obj: dict[str, Any], key: str, kind: type, name: str, nullable: bool = False
    ) -> Any:
        if key not in obj:
            raise self.fail(name, "missing")
        value = obj[key]
        if value is None and nullable:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(name, f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def obj(self, value: Any, name: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(name, f"expected object, got {type(value).__name__}")
        return value

    def strings(self, obj: dict[str, Any], key: str, name: str) -> list[str]:
        items = self.get(obj, key, list, name)
        for k, s in enumerate(items):
            if not isinstance(s, str):
                raise self.fail(f"{name}[{k}]", "expected str")
        return list(items)

    def choice(self, obj: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str | None:
        """An optional string field that must be one of ``allowed`` (case folded)."""
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or value.casefold() not in allowed:
            raise self.fail(key, f"expected one of {', '.join(allowed)}, got {value!r}")
        return value.casefold()

    def span(self, obj: dict[str, Any], name: str, size: int) -> tuple[int, int]:
        start = self.get(obj, "start", int, f"{name}.start")
        end = self.get(obj, "end", int, f"{name}.end")
        if not 0 <= start <= end <= size:
            raise self.fail(name, f"span [{start}, {end}) outside the text (length {size})")
        return start, end


def _parse(raw: dict[str, Any], ln: _Line) -> GoldDoc:
    text: str = ln.get(raw, "text", str, "text")
    chars = []
    for k, c in enumerate(ln.get(raw, "characters", list, "characters")):
        c = ln.obj(c, f"characters[{k}]")
        chars.append(
            GoldCharacter(
                id=ln.get(c, "id", str, f"characters[{k}].id"),
                name=ln.get(c, "name", str, f"characters[{k}].name"),
                aliases=ln.strings(c, "aliases", f"characters[{k}].aliases"),
            )
        )
    quotes = []
    for k, q in enumerate(ln.get(raw, "quotes", list, "quotes")):
        q = ln.obj(q, f"quotes[{k}]")
        start, end = ln.span(q, f"quotes[{k}]", len(text))
        qtype = ln.get(q, "type", str, f"quotes[{k}].type", nullable=True)
        if qtype is not None and qtype not in QUOTE_TYPES:
            raise ln.fail(f"quotes[{k}].type", f"unknown type {qtype!r}")
        quotes.append(
            GoldQuote(
                start=start,
                end=end,
                speaker=ln.get(q, "speaker", str, f"quotes[{k}].speaker", nullable=True),
                addressees=ln.strings(q, "addressees", f"quotes[{k}].addressees"),
                type=qtype,
                quote_id=ln.get(q, "quote_id", str, f"quotes[{k}].quote_id"),
            )
        )
    mentions = []
    for k, m in enumerate(ln.get(raw, "mentions", list, "mentions")):
        m = ln.obj(m, f"mentions[{k}]")
        start, end = ln.span(m, f"mentions[{k}]", len(text))
        mentions.append(
            GoldMention(start, end, ln.get(m, "character", str, f"mentions[{k}].character"))
        )
    return GoldDoc(
        id=ln.get(raw, "id", str, "id"),
        source=ln.get(raw, "source", str, "source"),
        title=ln.get(raw, "title", str, "title"),
        text=text,
        characters=chars,
        quotes=quotes,
        mentions=mentions,
        pov=_pov(raw, ln),
        tense=ln.choice(raw, "tense", TENSES),
        relationships=_relationships(raw, ln),
        rating_hint=_rating(raw, ln),
    )


def _pov(raw: dict[str, Any], ln: _Line) -> str | None:
    """``"pov": "first"`` or ``"pov": {"person": "first", ...}``."""
    pov = raw.get("pov")
    if isinstance(pov, dict):
        return ln.choice(pov, "person", PERSONS)
    return ln.choice(raw, "pov", PERSONS)


def _relationships(raw: dict[str, Any], ln: _Line) -> list[GoldRelationship]:
    """``"A/B"`` and ``"A & B"`` strings or ``{"pair": [a, b], "kind": k}`` objects."""
    out = []
    for k, rel in enumerate(raw.get("relationships") or []):
        name = f"relationships[{k}]"
        if isinstance(rel, str):
            kind = "romantic" if "/" in rel else "platonic"
            parts = [p.strip() for p in rel.replace(" & ", "/").split("/")]
            if len(parts) != 2 or not all(parts):
                raise ln.fail(name, f"expected 'A/B' or 'A & B', got {rel!r}")
            out.append(GoldRelationship((parts[0], parts[1]), kind))
            continue
        rel = ln.obj(rel, name)
        pair = ln.strings(rel, "pair", f"{name}.pair")
        if len(pair) != 2:
            raise ln.fail(f"{name}.pair", f"expected two characters, got {len(pair)}")
        kind = ln.choice(rel, "kind", RELATIONSHIP_KINDS) or "romantic"
        out.append(GoldRelationship((pair[0], pair[1]), kind))
    return out


def _rating(raw: dict[str, Any], ln: _Line) -> str | None:
    """An AO3 rating by its name or its initial (G, T, M, E)."""
    value = raw.get("rating_hint")
    if value is None:
        return None
    if isinstance(value, str):
        for rating in RATINGS:
            if value.casefold() in (rating.casefold(), rating[0].casefold()):
                return rating
    raise ln.fail("rating_hint", f"expected one of {', '.join(RATINGS)}, got {value!r}")


def read_gold(path: str | Path) -> Iterator[GoldDoc]:
    """Yield one :class:`GoldDoc` per non-blank line; raise GoldFormatError on a bad line."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            ln = _Line(path, lineno)
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFormatError(f"{ln.where}: not valid JSON ({exc.msg})") from None
            yield _parse(ln.obj(raw, "document"), ln)
