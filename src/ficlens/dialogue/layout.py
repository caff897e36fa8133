"""Paragraph lookup for attribution, on the same paragraphs quotation detection used.

Turn-taking works in paragraphs: a new paragraph usually means a new speaker.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from ficlens.dialogue.paragraphs import paragraphs


class Paragraphs:
    """Sorted, trimmed paragraph spans of the story regions, with lookup by offset."""

    def __init__(self, text: str, story: Sequence[tuple[int, int]]) -> None:
        self.spans = [(s, e) for s, e, _ in paragraphs(text, story)]
        self.starts = [s for s, _ in self.spans]

    def index(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (or the one before it)."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self.spans[i]
