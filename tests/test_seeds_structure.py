"""Structure over the seed fics (skipped when ../shared/seeds is absent)."""

from __future__ import annotations

from pathlib import Path

from ficlens.ingest import read_path
from ficlens.model import PARATEXT_KINDS, Analysis
from ficlens.pipeline import run
from ficlens.structure import StructureStage
from tests.test_structure import assert_invariants


def _analyse(path: Path) -> Analysis:
    a = run(read_path(path), stages=[StructureStage()])
    assert_invariants(a)
    return a


def _by_prefix(paths: list[Path], prefix: str) -> Path:
    return next(p for p in paths if p.name.startswith(prefix))


def test_seed_invariants(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        a = _analyse(path)
        story = [s for s in a.segments if s.kind == "story"]
        assert story, path.name
        assert a.chapters and a.scenes, path.name
        first_story = story[0].start
        # paratext only before the story starts, and chapters never include it
        for seg in a.segments:
            if seg.kind in PARATEXT_KINDS and seg.kind != "authors_note":
                assert seg.end <= first_story, (path.name, seg)
        assert a.chapters[0].start >= min(
            s.start for s in a.segments if s.kind in ("story", "chapter_heading")
        )
        assert a.stats.words > 500 and a.stats.paragraphs > 5


def test_seed_front_matter(seed_paths: list[Path]) -> None:
    expected = {
        "000": ["disclaimer", "authors_note"],
        "001": ["disclaimer", "authors_note"],
        "002": ["title", "summary", "spoilers", "authors_note"],
        "003": ["scene_description"],
        "004": ["chapter_heading"],
    }
    for prefix, front in expected.items():
        a = _analyse(_by_prefix(seed_paths, prefix))
        kinds = [s.kind for s in a.segments]
        assert kinds[: len(front) + 1] == [*front, "story"], prefix
        assert "scene_break" not in kinds, prefix  # no breaks, and the 000 rule is paratext


def test_seed_004_chapter_heading_with_title(seed_paths: list[Path]) -> None:
    a = _analyse(_by_prefix(seed_paths, "004"))
    assert len(a.chapters) == 1
    chapter = a.chapters[0]
    assert chapter.number == 4 and chapter.title
    assert a.text[chapter.start :].startswith("Chapter 4")


def test_seed_003_flashback_closed_by_marker(seed_paths: list[Path]) -> None:
    a = _analyse(_by_prefix(seed_paths, "003"))
    assert len(a.flashbacks) == 1
    fb = a.flashbacks[0]
    after = a.text[fb.end :].lstrip()
    assert after.lower().startswith("end flashback")
    before = a.text[: fb.start].rstrip().splitlines()[-1]
    assert "back" in before.lower()  # starts right after the memory cue line
