"""Chapter headings and chapter spans.

Headings: "Chapter 4", "Chapter Four: Title", "CHAPTER ONE", "Part 2", "Prologue", AO3's
"Chapter 4: Title", FFN's "1. Title" (only when such lines run 1, 2, 3… as lone short
paragraphs) and FanFicFare's tab-indented chapter titles. A bare "Chapter 4" followed by a
short title line takes that line as its title (both are ``chapter_heading``). A heading right
after another heading, with no story between, repeats it (FanFicFare title + the author's own
"Chapter 1") and starts no new chapter.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from ficlens.model import Chapter, Segment
from ficlens.structure import patterns
from ficlens.structure.blocks import Block


@dataclass
class Head:
    """A chapter start: the index of its first heading block and what the heading says."""

    block: int
    number: int | None
    title: str | None


def _numbered_run(blocks: list[Block]) -> set[int]:
    """Indices of FFN "1. Title" lines that count 1, 2, 3… (a lone "3. Buy milk" does not)."""
    cands: list[tuple[int, int]] = []
    for i, b in enumerate(blocks):
        if b.fixed or b.kind is not None or b.lines > 1:
            continue
        m = patterns.match_numbered(b.text)
        if m and (i == 0 or b.blank_before > 0 or blocks[i - 1].lines > 1):
            cands.append((i, m[0]))
    accepted: set[int] = set()
    expected = 1
    run: list[int] = []
    for i, n in cands:
        if n == expected:
            run.append(i)
            expected += 1
        elif n == 1:
            if len(run) >= 2:
                accepted.update(run)
            run, expected = [i], 2
    if len(run) >= 2:
        accepted.update(run)
    return accepted


def detect_headings(blocks: list[Block], *, indented_titles: bool) -> list[Head]:
    """Mark heading blocks as ``chapter_heading`` and return the chapter starts in order."""
    numbered = _numbered_run(blocks)
    heads: list[Head] = []
    story_since_head = True
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.fixed:
            if b.kind == "chapter_heading":
                if story_since_head:
                    heads.append(Head(i, None, None))
                story_since_head = False
            i += 1
            continue
        found = _heading_of(b, i in numbered, indented_titles) if b.kind is None else None
        if found is None:
            if b.kind is None:
                story_since_head = True
            i += 1
            continue
        b.kind = "chapter_heading"
        head_idx = i
        number, title = found
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            title is None
            and nxt is not None
            and not nxt.fixed
            and nxt.kind is None
            and i + 2 < len(blocks)
            and patterns.is_title_line(nxt.text)
            and patterns.match_heading(nxt.text) is None
        ):
            nxt.kind = "chapter_heading"
            title = nxt.text.strip()
            i += 1
        if story_since_head:
            heads.append(Head(head_idx, number, title))
        elif heads:
            last = heads[-1]
            last.number = last.number if last.number is not None else number
            last.title = last.title if last.title is not None else title
        story_since_head = False
        i += 1
    return heads


def _heading_of(
    b: Block, numbered: bool, indented_titles: bool
) -> tuple[int | None, str | None] | None:
    if b.lines != 1:
        return None
    found = patterns.match_heading(b.text)
    if found is None and numbered:
        found = patterns.match_numbered(b.text)
    if found is None and indented_titles and b.indented and len(b.text) <= 100:
        found = patterns.match_heading(b.text) or (None, b.text.strip())
    return found


def build_chapters(
    heads: list[Head], blocks: list[Block], segments: list[Segment], numbering: bool
) -> list[Chapter]:
    """Chapters from heading to next heading; story before the first heading is chapter 0.

    The last chapter ends with the last story segment, so trailing end notes after the
    story stay outside it; leading paratext before the first story never belongs to one.
    """
    story = [s for s in segments if s.kind == "story"]
    starts: list[tuple[int, int | None, str | None]] = [
        (blocks[h.block].start, h.number, h.title) for h in heads
    ]
    first_head = starts[0][0] if starts else None
    pre_story = [s for s in story if first_head is None or s.end <= first_head]
    if pre_story:
        starts.insert(0, (pre_story[0].start, None, None))
    seg_starts = [s.start for s in segments]
    last_story_end = story[-1].end if story else None
    chapters: list[Chapter] = []
    for idx, (start, number, title) in enumerate(starts):
        if idx + 1 < len(starts):
            k = bisect_left(seg_starts, starts[idx + 1][0]) - 1  # last segment before next
            end = segments[k].end if k >= 0 and segments[k].start >= start else start
        elif last_story_end is not None and last_story_end > start:
            end = last_story_end
        else:
            end = max(start, segments[-1].end) if segments else start
        if numbering and number is None and heads:
            number = idx + 1 - (1 if pre_story else 0)
        chapters.append(Chapter(index=idx, number=number, title=title, start=start, end=end))
    return chapters
