"""Beta-reader feedback: dialogue punctuation, confusions, spelling, repeats, slips."""

from __future__ import annotations

from ficlens.feedback.stage import FeedbackStage

__all__ = ["FeedbackStage"]
