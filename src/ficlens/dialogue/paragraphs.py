"""Paragraphs for quotation detection.

Hard-wrapped books separate paragraphs by blank lines and wrap lines at ~70 characters, so
a quote continues across single newlines; fan fiction plain text often has one paragraph per
line and no blank lines at all. We pick the reading once per document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_BLANK_GAP = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"[^\n]+")
_NONSPACE = re.compile(r"\S")


def uses_blank_lines(text: str) -> bool:
    """True when blank lines separate paragraphs that span several lines.

    Needs both many blank gaps (at least one per ten non-blank lines) and many lines that
    continue on the next line; otherwise every line is its own paragraph.
    """
    lines = 0
    joined = 0
    gaps = 0
    prev_blank = True
    for line in text.split("\n"):
        blank = not line.strip()
        if blank:
            if not prev_blank:
                gaps += 1
        else:
            lines += 1
            if not prev_blank:
                joined += 1
        prev_blank = blank
    if lines == 0:
        return False
    return gaps >= 0.1 * lines and joined >= 0.2 * lines


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    m = _NONSPACE.search(text, start, end)
    if m is None:
        return None
    s = m.start()
    e = end
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def paragraphs(
    text: str, regions: Sequence[tuple[int, int]] | None = None, blank_lines: bool | None = None
) -> list[tuple[int, int, int]]:
    """Trimmed paragraphs ``(start, end, region)`` in text order; never cross a region."""
    if blank_lines is None:
        blank_lines = uses_blank_lines(text)
    if regions is None:
        regions = [(0, len(text))]
    out: list[tuple[int, int, int]] = []
    for r, (lo, hi) in enumerate(sorted(regions)):
        lo, hi = max(0, lo), min(len(text), hi)
        if lo >= hi:
            continue
        if blank_lines:
            pos = lo
            for m in _BLANK_GAP.finditer(text, lo, hi):
                t = _trim(text, pos, m.start())
                if t is not None:
                    out.append((t[0], t[1], r))
                pos = m.end()
            t = _trim(text, pos, hi)
            if t is not None:
                out.append((t[0], t[1], r))
        else:
            for m in _LINE.finditer(text, lo, hi):
                t = _trim(text, m.start(), m.end())
                if t is not None:
                    out.append((t[0], t[1], r))
    return out
