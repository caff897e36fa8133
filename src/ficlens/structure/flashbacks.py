"""Flashbacks: explicit markers, implicit starts, and italic runs from markup.

Choice (consistent everywhere): marker lines ("Flashback", "*End of Flashback*", "/Flashback")
are story segments, since a reader sees them, but a :class:`Flashback` spans only the
remembered content between them: from the first story block after the opening marker to the
last story block before the closing one. An opening line that carries story itself
("Flashback: It was 1999 and…") starts the span. ``cue`` is the opening marker text; for a
flashback with only a closing marker it is the memory cue that introduced it ("thought back"),
else None. An unclosed flashback ends at the next scene break or chapter end. With markup,
a run of wholly italic paragraphs after a marker or memory cue is a flashback.
"""

from __future__ import annotations

from dataclasses import dataclass

from ficlens.model import Flashback, Span
from ficlens.structure import patterns
from ficlens.structure.blocks import Block


@dataclass
class _Open:
    cue: str | None
    start: int | None = None
    end: int | None = None
    italic: bool = False


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _parts(blocks: list[Block], boundaries: list[int]) -> list[list[Block]]:
    """Story blocks grouped by scene: a new group after every boundary offset."""
    story = [b for b in blocks if b.kind == "story"]
    bounds = sorted(boundaries)
    groups: list[list[Block]] = []
    k = 0
    for b in story:
        moved = False
        while k < len(bounds) and bounds[k] <= b.start:
            k += 1
            moved = True
        if moved or not groups:
            groups.append([])
        groups[-1].append(b)
    return groups


def _implicit_start(part: list[Block], close: int, floor: int) -> tuple[int, str | None]:
    """Where a flashback with only a closing marker began: after a memory cue, else after a
    wide gap, else at the start of the scene (never before ``floor``, the last marker)."""
    for k in range(close - 2, floor - 1, -1):
        m = patterns.MEMORY_CUE.search(part[k].text)
        if m and patterns.flashback_marker(_first_line(part[k].text)) is None:
            return k + 1, m.group(0)
    for k in range(close - 1, floor, -1):
        if part[k].blank_before >= 2:
            return k, None
    return floor, None


def _italic(b: Block, spans: list[Span]) -> bool:
    return any(s.start <= b.start and b.end <= s.end for s in spans)


def find_flashbacks(
    blocks: list[Block], boundaries: list[int], italic_spans: list[Span]
) -> list[Flashback]:
    """All flashbacks, in text order, each within one scene."""
    out: list[Flashback] = []
    for part in _parts(blocks, boundaries):
        current: _Open | None = None
        floor = 0
        for k, b in enumerate(part):
            marker = patterns.flashback_marker(_first_line(b.text)) if b.lines <= 3 else None
            italic = _italic(b, italic_spans)
            if current is not None and current.italic and not italic and current.end is not None:
                out.append(Flashback(start=current.start or 0, end=current.end, cue=current.cue))
                current = None
            if marker == "open":
                if current is not None and current.start is not None and current.end is not None:
                    out.append(Flashback(start=current.start, end=current.end, cue=current.cue))
                current = _Open(cue=b.text.strip())
                if patterns.marker_has_content(b.text):
                    current.start, current.end = b.start, b.end
                floor = k + 1
                continue
            if marker == "close":
                if current is not None:
                    if current.start is not None and current.end is not None:
                        out.append(Flashback(start=current.start, end=current.end, cue=current.cue))
                    current = None
                else:
                    first, cue = _implicit_start(part, k, floor)
                    if first < k:
                        out.append(Flashback(start=part[first].start, end=part[k - 1].end, cue=cue))
                floor = k + 1
                continue
            if current is not None:
                if current.start is None:
                    current.start, current.italic = b.start, italic
                current.end = b.end
        if current is not None and current.start is not None and current.end is not None:
            out.append(Flashback(start=current.start, end=current.end, cue=current.cue))
        out.extend(_italic_runs(part, italic_spans, out))
    out.sort(key=lambda f: f.start)
    return out


def _italic_runs(part: list[Block], spans: list[Span], found: list[Flashback]) -> list[Flashback]:
    """Italic paragraph runs introduced by a memory cue (markers are handled above)."""
    if not spans:
        return []
    out: list[Flashback] = []
    k = 1
    while k < len(part):
        if not _italic(part[k], spans) or _italic(part[k - 1], spans):
            k += 1
            continue
        end = k
        while end + 1 < len(part) and _italic(part[end + 1], spans):
            end += 1
        intro = part[k - 1].text
        cue = patterns.MEMORY_CUE.search(intro)
        covered = any(f.start <= part[k].start < f.end for f in found)
        if cue and not covered:
            out.append(Flashback(start=part[k].start, end=part[end].end, cue=cue.group(0)))
        k = end + 1
    return out
