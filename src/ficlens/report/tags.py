"""Declared AO3 tags beside suggested ones, with agreement and evidence anchors.

Agreement is ``tagging.agreement.agrees`` (shared with the tables), so a reader sees at a
glance where the analysis and the author concur.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ficlens.model import Analysis, TagSuggestion
from ficlens.tagging.agreement import agrees, declared_tags

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("rating", "Rating"),
    ("warnings", "Archive warnings"),
    ("category", "Category"),
    ("fandoms", "Fandoms"),
    ("relationships", "Relationships"),
    ("characters", "Characters"),
    ("additional", "Additional tags"),
)


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


def tag_rows(analysis: Analysis) -> list[TagRow]:
    """One row per AO3 category, with evidence anchors named ``ev-<category>-<i>-<j>``."""
    rows: list[TagRow] = []
    declared_by_field = declared_tags(analysis.metadata)
    for key, label in CATEGORIES:
        declared = declared_by_field[key]
        suggestions: list[TagSuggestion] = getattr(analysis.tags, key)
        row = TagRow(key=key, label=label)
        row.declared = [
            TagView(t, any(agrees(key, t, s.tag) for s in suggestions)) for t in declared
        ]
        for i, s in enumerate(suggestions):
            links = tuple(
                EvidenceLink(f"ev-{key}-{i}-{j}", ev.start, ev.end, ev.cue)
                for j, ev in enumerate(s.evidence)
            )
            agreed = any(agrees(key, t, s.tag) for t in declared)
            row.suggested.append(TagView(s.tag, agreed, s.confidence, links))
        rows.append(row)
    return rows
