"""Structure stage: paratext vs story, chapters, scenes, flashbacks.

(placeholder: being implemented)
"""

from __future__ import annotations

from ficlens.model import Chapter, Scene, Segment
from ficlens.pipeline import Document


class StructureStage:
    name = "structure"
    requires: tuple[str, ...] = ()

    def run(self, doc: Document) -> None:
        a = doc.analysis
        stripped_start = len(a.text) - len(a.text.lstrip())
        end = len(a.text.rstrip())
        a.segments = [Segment(start=stripped_start, end=end, kind="story")]
        a.chapters = [Chapter(index=0, start=stripped_start, end=end)]
        a.scenes = [Scene(index=0, chapter=0, start=stripped_start, end=end)]
