"""Interval lookups for offsets that only move forward (one pass over the tokens).

Why a cursor: the scan visits tokens in text order, so "is this offset inside a
quotation / flashback?" is answered by advancing a pointer instead of a search per token.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence


class Cursor:
    """Membership in sorted, possibly overlapping ``[start, end)`` intervals for
    non-decreasing offsets."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted((s, e) for s, e in spans if e > s)
        self._i = 0
        self._reach = -1  # furthest end among intervals already passed
        self._last = -1

    def inside(self, offset: int) -> bool:
        if offset < self._last:  # a step back: restart (rare; keeps the answer right)
            self._i, self._reach = 0, -1
        self._last = offset
        spans = self._spans
        while self._i < len(spans) and spans[self._i][0] <= offset:
            self._reach = max(self._reach, spans[self._i][1])
            self._i += 1
        return offset < self._reach


_BLANK = re.compile(r"\n[^\S\n]*\n\s*")
_LINE = re.compile(r"\n\s*")


def paragraph_starts(
    text: str, story: Sequence[tuple[int, int]], *, blank_lines: bool
) -> list[int]:
    """Where each story paragraph starts (blank-line paragraphs in hard-wrapped text,
    else one per line)."""
    pattern = _BLANK if blank_lines else _LINE
    starts: list[int] = []
    for s, e in story:
        starts.append(s)
        starts.extend(m.end() for m in pattern.finditer(text, s, e) if m.end() < e)
    return sorted(set(starts))


def index_of(starts: Sequence[int], offset: int) -> int:
    """Index of the interval (by sorted starts) holding ``offset``; 0 before the first."""
    return max(bisect_right(starts, offset) - 1, 0)
