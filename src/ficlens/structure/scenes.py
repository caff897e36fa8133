"""Rules vs scene breaks, segments from classified blocks, scenes, and the structure stats.

A break line is a scene break only with story on both sides; otherwise it is a rule that
belongs to the paratext (or heading) it separates from the story, and takes that kind.
"""

from __future__ import annotations

from bisect import bisect_right

from ficlens.model import PARATEXT_KINDS, Chapter, Scene, Segment, SegmentKind, Stats
from ficlens.structure.blocks import Block


def resolve_rules(blocks: list[Block]) -> None:
    """Turn break lines that do not sit between two story parts into rules."""
    for i, b in enumerate(blocks):
        if b.kind != "scene_break" or b.fixed:
            continue
        p, n = i - 1, i + 1
        while p >= 0 and blocks[p].kind == "scene_break":
            p -= 1
        while n < len(blocks) and blocks[n].kind == "scene_break":
            n += 1
        prev = blocks[p] if p >= 0 else None
        nxt = blocks[n] if n < len(blocks) else None
        if prev is not None and nxt is not None and prev.kind == nxt.kind == "story":
            continue
        if prev is not None and prev.kind != "story":
            b.kind = prev.kind
        elif nxt is not None and nxt.kind != "story":
            b.kind = nxt.kind


def merge_segments(blocks: list[Block], cuts: list[int]) -> list[Segment]:
    """Adjacent blocks of one kind become one segment (a note of three paragraphs is one).

    ``cuts`` are offsets a segment must not straddle (declared chapter starts).
    """
    segments: list[Segment] = []
    kind: SegmentKind | None = None
    cut_points = sorted(cuts)
    for b in blocks:
        assert b.kind is not None
        crosses = bool(segments) and bisect_right(cut_points, b.start) != bisect_right(
            cut_points, segments[-1].start
        )
        if segments and b.kind == kind and not crosses:
            segments[-1].end = b.end
        else:
            segments.append(Segment(start=b.start, end=b.end, kind=b.kind))
            kind = b.kind
    return segments


def chapter_of(starts: list[int], offset: int) -> int:
    """Index of the chapter an offset falls in (the last one starting at or before it)."""
    return max(0, bisect_right(starts, offset) - 1)


def build_scenes(segments: list[Segment], chapters: list[Chapter]) -> list[Scene]:
    """Story split at scene breaks within each chapter; every story segment in one scene."""
    scenes: list[Scene] = []
    if not chapters:
        return scenes
    current: Scene | None = None
    starts = [c.start for c in chapters]
    for seg in segments:
        if seg.kind == "scene_break" or seg.kind == "chapter_heading":
            current = None
            continue
        if seg.kind != "story":
            continue
        chap = chapter_of(starts, seg.start)
        if current is not None and current.chapter == chap:
            current.end = seg.end
            continue
        current = Scene(index=len(scenes), chapter=chap, start=seg.start, end=seg.end)
        scenes.append(current)
    return scenes


def fill_stats(stats: Stats, text: str, segments: list[Segment], story_paragraphs: int) -> None:
    """Characters, story and paratext word counts, story paragraphs (other stats untouched)."""
    stats.characters = len(text)
    stats.words = sum(len(text[s.start : s.end].split()) for s in segments if s.kind == "story")
    stats.paratext_words = sum(
        len(text[s.start : s.end].split()) for s in segments if s.kind in PARATEXT_KINDS
    )
    stats.paragraphs = story_paragraphs
