"""Split text into blocks: the units the detectors classify.

A block is a trimmed span: one line of an unwrapped FFN-style text (where every line is a
paragraph), or a blank-line separated paragraph of a hard-wrapped text (FanFicFare TXT wraps
at 78 columns). Inside a wrapped paragraph a line that is a label ("Genre: …"), a heading or
a scene break still starts a block of its own, so header lines are classified one by one.
Declared segments from ingest become fixed blocks that the detectors leave alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ficlens.model import Segment, SegmentKind
from ficlens.structure import patterns

_LINE = re.compile(r"[^\n]*\n?")


@dataclass
class Block:
    start: int
    end: int
    text: str
    blank_before: int = 0
    """Blank lines between this block and the previous one (a wider gap often ends a note)."""
    indented: bool = False
    """First line starts with a tab or four+ spaces (FanFicFare chapter titles)."""
    kind: SegmentKind | None = None
    fixed: bool = False
    """Declared by ingest: kept as given."""
    lines: int = 1


@dataclass
class _Line:
    start: int
    end: int
    raw: str


def _lines(text: str, lo: int, hi: int) -> list[_Line | None]:
    """Non-blank lines (trimmed spans) of text[lo:hi]; None marks a blank line."""
    out: list[_Line | None] = []
    pos = lo
    for m in _LINE.finditer(text, lo, hi):
        if m.start() == m.end():
            break
        raw = m.group().rstrip("\r\n")
        s = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            out.append(_Line(pos + s, pos + s + len(stripped), raw))
        else:
            out.append(None)
        pos = m.end()
    return out


def is_wrapped(text: str) -> bool:
    """Hard-wrapped text: most lines short and most paragraphs several lines long."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 8:
        return False
    short = sum(1 for ln in lines if len(ln) <= 80)
    if short < 0.95 * len(lines):
        return False
    joined = sum(
        1
        for a, b in zip(text.splitlines(), text.splitlines()[1:], strict=False)
        if a.strip() and b.strip()
    )
    return joined >= 0.3 * len(lines)


def _starts_block(raw: str) -> bool:
    s = raw.strip()
    return (
        patterns.label_kind(s) is not None
        or patterns.match_heading(s) is not None
        or patterns.is_break(s)
        or patterns.flashback_marker(s) is not None
    )


def _blocks_in(text: str, lo: int, hi: int, wrapped: bool) -> list[Block]:
    blocks: list[Block] = []
    blank = 0
    current: Block | None = None
    for line in _lines(text, lo, hi):
        if line is None:
            blank += 1
            current = None
            continue
        indented = line.raw.startswith("\t") or line.raw.startswith("    ")
        if current is not None and wrapped and not _starts_block(line.raw):
            current.end = line.end
            current.text = text[current.start : current.end]
            current.lines += 1
            continue
        current = Block(
            line.start, line.end, text[line.start : line.end], blank_before=blank, indented=indented
        )
        blocks.append(current)
        blank = 0
        if not wrapped:
            current = None
    return blocks


def _clean_declared(text: str, declared: list[Segment]) -> list[Segment]:
    """Clip, trim and de-overlap declared segments so the contract holds whatever ingest sent."""
    out: list[Segment] = []
    last = 0
    for seg in sorted(declared, key=lambda s: (s.start, s.end)):
        start, end = max(seg.start, last), min(seg.end, len(text))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(Segment(start=start, end=end, kind=seg.kind))
            last = end
    return out


def make_blocks(text: str, declared: list[Segment], wrapped: bool) -> list[Block]:
    """All blocks of the text in order; declared non-story segments become fixed blocks."""
    fixed = [s for s in _clean_declared(text, declared) if s.kind != "story"]
    blocks: list[Block] = []
    pos = 0
    for seg in fixed:
        blocks.extend(_blocks_in(text, pos, seg.start, wrapped))
        gap = text[pos : seg.start]
        blocks.append(
            Block(
                seg.start,
                seg.end,
                text[seg.start : seg.end],
                blank_before=max(0, gap.count("\n") - 1),
                kind=seg.kind,
                fixed=True,
            )
        )
        pos = seg.end
    blocks.extend(_blocks_in(text, pos, len(text), wrapped))
    return blocks
