"""Narrative stage: POV person and focal character, tense, unmarked viewpoint shifts, slips.

See ``docs/architecture.md`` ("narrative/") for the decisions a reader may check.
"""

from __future__ import annotations

from ficlens.narrative.stage import NarrativeStage

__all__ = ["NarrativeStage"]
