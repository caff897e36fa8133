"""The relations stage: ``analysis.interactions`` and ``analysis.relationships``.

Reads the characters stage's mentions (pronouns resolved), the dialogue stage's speakers
and addressees, the scenes, the language stage's sentence boundaries, the declared
relationship tags and the fandom knowledge base; runs no model of its own.
"""

from __future__ import annotations

from ficlens.fandoms import KnowledgeBase, load_knowledge_base
from ficlens.model import Analysis
from ficlens.pipeline import Document
from ficlens.relations.context import TextIndex
from ficlens.relations.cues import kin_cues, platonic_cues, romance_cues
from ficlens.relations.interactions import interactions
from ficlens.relations.knowledge import canon_ties, declared_pairs
from ficlens.relations.score import relationships


class RelationsStage:
    """Fill interactions (who talks to, meets and mentions whom) and relationships."""

    name = "relations"
    requires: tuple[str, ...] = ("characters", "dialogue")

    def run(self, doc: Document) -> None:
        layer = doc.layer("language")
        sentences = [(s.start, s.end) for s in layer.iter_sentences()]
        analyse(doc.analysis, sentences, load_knowledge_base(doc.options.fandom_dirs))


def analyse(
    analysis: Analysis, sentences: list[tuple[int, int]], kb: KnowledgeBase | None = None
) -> None:
    """Fill ``analysis.interactions`` and ``analysis.relationships`` in place."""
    index = TextIndex(analysis, sentences)
    text = analysis.text
    found = interactions(analysis, index)
    ties = canon_ties(analysis.characters, kb) if kb is not None else []
    canon_kin: dict[str, set[str]] = {}
    for t in ties:
        if t.kind == "family":
            canon_kin.setdefault(t.a, set()).add(t.b)
            canon_kin.setdefault(t.b, set()).add(t.a)
    hits = [
        *romance_cues(text, index),
        *platonic_cues(text, index),
        *kin_cues(text, index, canon_kin),
    ]
    declared = declared_pairs(analysis.metadata.relationships, analysis.characters, kb)
    analysis.interactions = found
    analysis.relationships = relationships(hits, ties, declared, found, analysis.characters, index)
