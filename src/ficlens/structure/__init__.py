"""Structure stage: paratext vs story, chapters, scenes, flashbacks.

The text is cut into blocks (lines, or paragraphs of hard-wrapped text; see ``blocks``),
each block gets one kind, and adjacent blocks of one kind merge into a segment. Order:
declared segments from ingest are kept as given; break lines; FanFicFare header and TOC;
chapter headings; paratext at the edges of the text and of each chapter; the rest is story;
break lines without story on both sides become rules of the paratext they close. Segments
are therefore sorted, trimmed, non-empty and cover every non-whitespace character once.
"""

from __future__ import annotations

from ficlens.model import Chapter
from ficlens.pipeline import Document
from ficlens.structure import chapters as chapters_mod
from ficlens.structure import paratext, patterns, scenes
from ficlens.structure.blocks import Block, is_wrapped, make_blocks
from ficlens.structure.flashbacks import find_flashbacks

__all__ = ["StructureStage"]


def _bodies(blocks: list[Block]) -> list[list[Block]]:
    """Runs of blocks between chapter headings (the zones where notes are looked for)."""
    bodies: list[list[Block]] = [[]]
    for b in blocks:
        if b.kind == "chapter_heading":
            if bodies[-1]:
                bodies.append([])
        else:
            bodies[-1].append(b)
    return [body for body in bodies if body]


def _reindex(chapters: list[Chapter], text_len: int) -> list[Chapter]:
    """Declared chapters, sorted, clipped to the text and indexed 0..n-1."""
    out: list[Chapter] = []
    for c in sorted(chapters, key=lambda c: c.start):
        start, end = min(c.start, text_len), min(max(c.end, c.start), text_len)
        out.append(c.model_copy(update={"index": len(out), "start": start, "end": end}))
    return out


class StructureStage:
    """Fill segments, chapters, scenes, flashbacks and the basic text stats."""

    name = "structure"
    requires: tuple[str, ...] = ()

    def run(self, doc: Document) -> None:
        a = doc.analysis
        text = a.text
        fic = doc.fic
        declared_chapters = _reindex(fic.declared_chapters, len(text))
        wrapped = is_wrapped(text)
        blocks = make_blocks(text, fic.declared_segments, wrapped)
        for b in blocks:
            if not b.fixed and b.lines == 1 and patterns.is_break(b.text):
                b.kind = "scene_break"
        fff = paratext.mark_fanficfare(blocks)
        if not fff:
            paratext.mark_toc(blocks)
        indented = fff or fic.source.flavor == "fanficfare_txt"
        heads = chapters_mod.detect_headings(blocks, indented_titles=indented)
        bodies = _bodies(blocks)
        first_is_top = bool(blocks) and bool(bodies) and bodies[0][0] is blocks[0]
        for n, body in enumerate(bodies):
            top = n == 0 and first_is_top
            paratext.mark_leading(body, top_of_text=top, before_heading=top and len(bodies) > 1)
            paratext.mark_trailing(body)
        for b in blocks:
            if b.kind is None:
                b.kind = "story"
        scenes.resolve_rules(blocks)
        segments = scenes.merge_segments(blocks, [c.start for c in declared_chapters])
        if declared_chapters:
            chapters = declared_chapters
        else:
            chapters = chapters_mod.build_chapters(heads, blocks, segments, numbering=fff)
        a.segments = segments
        a.chapters = chapters
        a.scenes = scenes.build_scenes(segments, chapters)
        boundaries = [s.start for s in segments if s.kind in ("scene_break", "chapter_heading")]
        boundaries += [c.start for c in chapters]
        a.flashbacks = find_flashbacks(blocks, boundaries, fic.italic_spans)
        story_paragraphs = sum(1 for b in blocks if b.kind == "story")
        scenes.fill_stats(a.stats, text, segments, story_paragraphs)
