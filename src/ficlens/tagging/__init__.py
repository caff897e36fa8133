"""Tagging stage: AO3 tag suggestions (rating, warnings, category, fandoms, relationships,
characters, additional tags), each with the evidence spans behind it."""

from ficlens.tagging.stage import TaggingStage, suggest_tags

__all__ = ["TaggingStage", "suggest_tags"]
