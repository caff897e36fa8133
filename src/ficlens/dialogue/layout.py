"""Paragraph spans of the story text, the unit turn-taking works in.

Fan fiction plain text is usually one paragraph per line; Gutenberg-style text is
hard-wrapped with blank lines between paragraphs. The language stage's test decides.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ficlens.language.chunking import blank_line_paragraphs


class Paragraphs:
    """Sorted, trimmed paragraph spans with lookup by offset."""

    def __init__(self, text: str, story: Sequence[tuple[int, int]]) -> None:
        joined = "\n".join(text[s:e] for s, e in story)
        splitter = re.compile(r"\n[ \t]*\n\s*" if blank_line_paragraphs(joined) else r"\n\s*")
        spans: list[tuple[int, int]] = []
        for start, end in story:
            cursor = start
            for m in splitter.finditer(text, start, end):
                _add(text, spans, cursor, m.start())
                cursor = m.end()
            _add(text, spans, cursor, end)
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def index(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (or the one before it)."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self.spans[i]


def _add(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))
