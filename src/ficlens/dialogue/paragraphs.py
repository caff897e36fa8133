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
_QUOTE_LINE_BREAK = re.compile(r"(?<=[.!?,;:\-—][\"”’'»])[ \t\r]*\n(?=[ \t]*[\"“‘'«]\S)")


def _quote_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a block where one line closes a quote and the next opens one.

    Some books put each speech on its own line without blank lines between them.
    """
    out = []
    pos = start
    for m in _QUOTE_LINE_BREAK.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return out


def uses_blank_lines(text: str) -> bool:
    """True when blank lines separate paragraphs that run over several lines.

    Either many blank gaps (one per ten lines) with many lines continuing on the next, or a
    hard-wrapped text (most lines filled close to one width of at most 80 characters) with
    some blank lines: its long narration paragraphs leave few gaps.
    """
    lengths: list[int] = []
    joined = 0
    gaps = 0
    prev_blank = True
    for line in text.split("\n"):
        if not line.strip():
            prev_blank = True
            continue
        if not lengths:
            pass  # blank lines before the first text are no gap
        elif prev_blank:
            gaps += 1
        else:
            joined += 1
        lengths.append(len(line.rstrip()))
        prev_blank = False
    n = len(lengths)
    if n == 0 or gaps == 0:
        return False
    if gaps >= 0.1 * n and joined >= 0.2 * n:
        return True
    width = sorted(lengths)[int(0.9 * (n - 1))]
    filled = sum(1 for x in lengths if x >= width - 20)
    return width <= 80 and filled >= 0.5 * n and joined >= 0.3 * n


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    m = _NONSPACE.search(text, start, end)
    if m is None:
        return None
    s = m.start()
    e = end
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _merge(text: str, regions: Sequence[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """Regions clipped to the text, sorted, overlapping ones merged (touching ones kept apart)."""
    if regions is None:
        return [(0, len(text))] if text else []
    out: list[tuple[int, int]] = []
    for lo, hi in sorted((max(0, a), min(len(text), b)) for a, b in regions):
        if lo >= hi:
            continue
        if out and lo < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def paragraphs(
    text: str, regions: Sequence[tuple[int, int]] | None = None, blank_lines: bool | None = None
) -> list[tuple[int, int, int]]:
    """Trimmed paragraphs ``(start, end, region)`` in text order; never cross a region."""
    if blank_lines is None:
        blank_lines = uses_blank_lines(text)
    out: list[tuple[int, int, int]] = []
    for r, (lo, hi) in enumerate(_merge(text, regions)):
        if blank_lines:
            pos = lo
            cuts = [(m.start(), m.end()) for m in _BLANK_GAP.finditer(text, lo, hi)]
            for a, b in [*cuts, (hi, hi)]:
                for s, e in _quote_lines(text, pos, a):
                    t = _trim(text, s, e)
                    if t is not None:
                        out.append((t[0], t[1], r))
                pos = b
        else:
            for m in _LINE.finditer(text, lo, hi):
                t = _trim(text, m.start(), m.end())
                if t is not None:
                    out.append((t[0], t[1], r))
    return out
