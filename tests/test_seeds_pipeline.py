"""The whole pipeline over the seed fics (skipped when ../shared/seeds is absent)."""

from __future__ import annotations

from pathlib import Path

import ficlens
from ficlens import pipeline
from ficlens.model import Analysis


def _spans(a: Analysis) -> list[tuple[str, int, int]]:
    spans = [(s.kind, s.start, s.end) for s in a.segments]
    spans += [("chapter", c.start, c.end) for c in a.chapters]
    spans += [("scene", s.start, s.end) for s in a.scenes]
    spans += [("flashback", f.start, f.end) for f in a.flashbacks]
    return spans


def test_every_seed_through_the_pipeline(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        a = ficlens.analyze_file(path)
        raw = path.read_bytes().decode(a.source.encoding or "utf-8")
        assert a.text == raw, f"{path.name}: text must be the file content unchanged"
        for kind, start, end in _spans(a):
            assert 0 <= start <= end <= len(a.text), (path.name, kind, start, end)
        assert any(s.kind == "story" and s.end > s.start for s in a.segments), path.name
        assert a.stats.sentences > 10, path.name
        assert set(a.timings) == set(pipeline.STAGE_ORDER), path.name
        for scene in a.scenes:
            assert 0 <= scene.chapter < len(a.chapters)
            chapter = a.chapters[scene.chapter]
            assert chapter.start <= scene.start and scene.end <= chapter.end, path.name
