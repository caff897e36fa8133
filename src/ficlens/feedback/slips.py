"""Tense and viewpoint slips, copied from the narrative stage's ``analysis.narrative``.

The narrative stage decides what is a slip; this stage only turns each slip into a
feedback item. Slips may be deliberate (a present-tense aside, a shifting viewpoint),
so they are ``info``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ficlens.feedback.context import Context, item
from ficlens.model import Analysis, Feedback

_RULES = {"tense": "narrative.tense_slip", "viewpoint": "narrative.viewpoint_slip"}


def slip_rules(analysis: Analysis, ctx: Context) -> Iterator[Feedback]:
    """``narrative.tense_slip`` and ``narrative.viewpoint_slip``."""
    for slip in analysis.narrative.slips:
        rule = _RULES.get(slip.kind)
        if rule is None or not ctx.in_story(slip.start):
            continue
        yield item(slip.start, slip.end, rule, slip.message, None, "info")
