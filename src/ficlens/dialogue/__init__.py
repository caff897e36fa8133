"""Dialogue: quotation detection (``quotes`` stage) and speaker/addressee attribution
(``dialogue`` stage)."""

from __future__ import annotations

from ficlens.dialogue.quotes import QuoteResult, QuoteSpan, find_quotes
from ficlens.dialogue.stage import DialogueStage, QuotesStage

__all__ = ["DialogueStage", "QuoteResult", "QuoteSpan", "QuotesStage", "find_quotes"]
