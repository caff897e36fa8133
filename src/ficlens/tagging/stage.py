"""The tagging stage: AO3 tag suggestions from the layers before it.

It needs only the characters; the narrative, relations and affect layers are read when
their stages ran (their name in ``Analysis.timings``, or their field filled in an analysis
built by hand), and the tags that depend on them are suggested only then: no relationship
tags and no "Gen" from an empty relationship list that nobody computed. The story is read
once by the story lexicon and the paratext once by the notes lexicon; no spaCy.
"""

from __future__ import annotations

from collections.abc import Sequence

from ficlens.fandoms import KnowledgeBase, load_knowledge_base
from ficlens.model import Analysis, Relationship, Tags
from ficlens.pipeline import Document
from ficlens.tagging.additional import Context, suggest_additional
from ficlens.tagging.category import suggest_category
from ficlens.tagging.cues import note_spans, speech_spans, story_spans
from ficlens.tagging.fandom import suggest_fandoms
from ficlens.tagging.lexicon import NOTE_LEXICON, STORY_LEXICON
from ficlens.tagging.people import (
    significant_relationships,
    suggest_characters,
    suggest_relationships,
)
from ficlens.tagging.rating import suggest_rating
from ficlens.tagging.warnings import suggest_warnings


def layers_present(analysis: Analysis) -> frozenset[str]:
    """Which of the later layers this analysis has (ran, or filled by hand)."""
    filled = {
        "narrative": analysis.narrative.person is not None or analysis.narrative.tense is not None,
        "relations": bool(analysis.relationships or analysis.interactions),
        "affect": bool(analysis.emotion_arc),
    }
    return frozenset(k for k, v in filled.items() if v or k in analysis.timings)


def _story_words(analysis: Analysis, spans: Sequence[tuple[int, int]]) -> int:
    if analysis.stats.words:
        return analysis.stats.words
    return sum(len(analysis.text[a:b].split()) for a, b in spans)


def suggest_tags(analysis: Analysis, kb: KnowledgeBase | None = None) -> Tags:
    """Every tag suggestion for one analysis (pure: reads ``analysis``, returns ``Tags``)."""
    kb = kb or load_knowledge_base()
    text = analysis.text
    spans = story_spans(analysis)
    story = STORY_LEXICON.scan(text, spans, speech_spans(analysis))
    notes = NOTE_LEXICON.scan(text, note_spans(analysis))
    words = _story_words(analysis, spans)
    ran = layers_present(analysis)

    fandoms = suggest_fandoms(analysis, kb)
    scope = [s.tag for s in fandoms]
    rating = suggest_rating(text, story, words)
    tags = Tags(
        fandoms=fandoms,
        rating=[rating],
        warnings=suggest_warnings(analysis, story, words, rating.tag),
        characters=suggest_characters(analysis),
    )
    romantic: list[Relationship] = []
    if "relations" in ran:
        tags.category = suggest_category(analysis)
        tags.relationships = suggest_relationships(analysis, kb, scope)
        romantic = [r for r in significant_relationships(analysis) if r.kind == "romantic"]
    episodes = kb.episodes_in(text, scope) if scope else []
    ctx = Context(analysis, story, notes, words, episodes, ran, romantic)
    tags.additional = suggest_additional(ctx)
    return tags


class TaggingStage:
    """AO3 tag suggestions (``analysis.tags``)."""

    name = "tagging"
    requires: tuple[str, ...] = ("characters",)

    def run(self, doc: Document) -> None:
        doc.analysis.tags = suggest_tags(doc.analysis, load_knowledge_base(doc.options.fandom_dirs))
