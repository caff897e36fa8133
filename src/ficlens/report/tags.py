"""Declared AO3 tags beside suggested ones, with agreement and evidence anchors.

A suggestion "agrees" with a declared tag when both name the same thing after light
normalisation (case, spacing, FFN rating letters, relationship order), so a reader sees at
a glance where the analysis and the author concur.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ficlens.model import Analysis, Metadata, TagSuggestion

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("rating", "Rating"),
    ("warnings", "Archive warnings"),
    ("category", "Category"),
    ("fandoms", "Fandoms"),
    ("relationships", "Relationships"),
    ("characters", "Characters"),
    ("additional", "Additional tags"),
)
_FFN_RATINGS = {
    "k": "general audiences",
    "k+": "general audiences",
    "g": "general audiences",
    "t": "teen and up audiences",
    "teen": "teen and up audiences",
    "m": "mature",
    "ma": "explicit",
    "e": "explicit",
}
_SPACE = re.compile(r"\s+")
_PAIR = re.compile(r"\s*(?:/|\s&\s)\s*")


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    anchor: str
    start: int
    end: int
    cue: str


@dataclass(frozen=True, slots=True)
class TagView:
    tag: str
    agreed: bool
    confidence: float | None = None
    evidence: tuple[EvidenceLink, ...] = ()


@dataclass(slots=True)
class TagRow:
    key: str
    label: str
    declared: list[TagView] = field(default_factory=list)
    suggested: list[TagView] = field(default_factory=list)


def normalise(category: str, tag: str) -> str:
    """The form two tags are compared in."""
    value = _SPACE.sub(" ", tag).strip().casefold()
    if category == "rating":
        return _FFN_RATINGS.get(value, value)
    if category == "relationships":
        return "/".join(sorted(_PAIR.split(value)))
    return value


def declared_tags(metadata: Metadata, category: str) -> list[str]:
    if category == "rating":
        return [metadata.rating] if metadata.rating else []
    if category == "additional":
        return list(metadata.additional_tags)
    values: list[str] = getattr(metadata, category)
    return list(values)


def tag_rows(analysis: Analysis) -> list[TagRow]:
    """One row per AO3 category, with evidence anchors named ``ev-<category>-<i>-<j>``."""
    rows: list[TagRow] = []
    for key, label in CATEGORIES:
        declared = declared_tags(analysis.metadata, key)
        suggestions: list[TagSuggestion] = getattr(analysis.tags, key)
        declared_norm = {normalise(key, t) for t in declared}
        suggested_norm = {normalise(key, s.tag) for s in suggestions}
        row = TagRow(key=key, label=label)
        row.declared = [TagView(t, normalise(key, t) in suggested_norm) for t in declared]
        for i, s in enumerate(suggestions):
            links = tuple(
                EvidenceLink(f"ev-{key}-{i}-{j}", ev.start, ev.end, ev.cue)
                for j, ev in enumerate(s.evidence)
            )
            agreed = normalise(key, s.tag) in declared_norm
            row.suggested.append(TagView(s.tag, agreed, s.confidence, links))
        rows.append(row)
    return rows
