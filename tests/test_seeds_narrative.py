"""The narrative stage on the seed fics (skipped when ../shared/seeds is absent).

The expected person and tense per seed are those a reader of the seeds states in issue 5;
seeds are matched by their number prefix, not by content.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import ficlens
from ficlens.model import Analysis

EXPECTED = {
    "000": ("third", "present"),
    "001": ("third", "past"),
    "002": ("first", "present"),
    "003": ("third", "past"),
    "004": ("third", "past"),
}


def _by_number(seed_paths: list[Path]) -> dict[str, Analysis]:
    return {p.name[:3]: ficlens.analyze_file(p) for p in seed_paths if p.name[:3] in EXPECTED}


def test_seed_narrative(seed_paths: list[Path]) -> None:
    analyses = _by_number(seed_paths)
    assert set(analyses) == set(EXPECTED)
    for number, (person, tense) in EXPECTED.items():
        a = analyses[number]
        got = (a.narrative.person, a.narrative.tense)
        assert got == (person, tense), f"seed {number}: {got}"
        assert a.narrative.focal, f"seed {number}: no focal character"
        for s in a.scenes:
            assert s.pov.person is not None and s.tense is not None, number
        for slip in a.narrative.slips:
            assert 0 <= slip.start < slip.end <= len(a.text)
            assert slip.kind in ("tense", "viewpoint") and slip.message

    narrator = analyses["002"]
    names = {c.id: c.name for c in narrator.characters}
    assert [names[c] for c in narrator.narrative.focal] == ["Rory Gilmore"]
    assert all(s.pov.focal == narrator.narrative.focal for s in narrator.scenes)

    alternating = analyses["000"]
    opened = [s for s in alternating.scenes if s.opened_by == "viewpoint"]
    assert opened, "seed 000 alternates viewpoints without scene breaks"
    focals = [s.pov.focal[:1] for s in alternating.scenes]
    assert all(a != b for a, b in pairwise(focals)), focals
    assert any(s.kind == "viewpoint" for s in alternating.narrative.slips)

    # seed 004 moves to Logan in its last paragraph, with no marker
    closing = analyses["004"]
    names = {c.id: c.name for c in closing.characters}
    last = closing.scenes[-1]
    assert last.opened_by == "viewpoint"
    assert [names[c].split()[0] for c in last.pov.focal[:1]] == ["Logan"]
    assert "\n" not in closing.text[last.start : last.end].strip()  # one paragraph
