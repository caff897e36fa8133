"""The feedback stage: beta-reader remarks over the story text.

Each rule is a small module yielding ``Feedback`` items; this module gathers the inputs
once (story ranges, quotations, the spaCy layer, the names that are not typos), runs the
rules, drops duplicates and keeps the items in text order. Paratext is never checked.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from ficlens.feedback.confusions import confusion_rules
from ficlens.feedback.context import Context
from ficlens.feedback.dialogue import dialogue_rules
from ficlens.feedback.repeats import repeat_rules
from ficlens.feedback.slips import slip_rules
from ficlens.feedback.spacing import plural_apostrophe_rules, spacing_rules
from ficlens.feedback.spelling import spelling_rules
from ficlens.feedback.vocabulary import canon_words, character_words
from ficlens.model import Feedback
from ficlens.pipeline import Document


class FeedbackStage:
    """Fill ``analysis.feedback``; reads characters and narrative slips when present."""

    name = "feedback"
    requires: tuple[str, ...] = ("language", "quotes")

    def run(self, doc: Document) -> None:
        a = doc.analysis
        names = character_words(a.characters)
        canon = canon_words(tuple(str(d) for d in doc.options.fandom_dirs))
        ctx = Context(
            text=a.text,
            story=[(s.start, s.end) for s in a.segments if s.kind == "story"],
            quotes=list(a.quotes),
            language=doc.layers.get("language"),
            names=names,
            vocabulary=names | canon,
        )
        found = merge(
            [
                *confusion_rules(ctx),
                *spelling_rules(ctx),
                *dialogue_rules(ctx),
                *spacing_rules(ctx),
                *plural_apostrophe_rules(ctx),
                *repeat_rules(ctx),
            ]
        )
        # a slip is about the narration, not the wording: it may share words with an item
        slips = list(slip_rules(a, ctx))
        a.feedback = sorted([*found, *slips], key=lambda f: (f.start, f.end, f.rule))


def merge(items: Iterable[Feedback]) -> list[Feedback]:
    """Text order; an item overlapping an earlier-listed (higher-priority) one is dropped."""
    starts: list[int] = []
    kept: list[Feedback] = []
    for f in items:
        i = bisect_left(starts, f.start)
        if i > 0 and kept[i - 1].end > f.start:
            continue
        if i < len(kept) and kept[i].start < max(f.end, f.start + 1):
            continue
        starts.insert(i, f.start)
        kept.insert(i, f)
    return kept
