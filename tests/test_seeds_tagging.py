"""Tag suggestions on the seed fics (skipped when ../shared/seeds is absent).

The seeds are Gilmore Girls fics about Rory Gilmore and Jess Mariano. Only what does not
need the narrative, relations and affect stages is asserted here; the structural tags are
checked against the layers they come from rather than against file names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ficlens
from ficlens.fandoms import load_knowledge_base
from ficlens.model import Analysis
from ficlens.tagging.vocabulary import RATING_SCALE

GG = "Gilmore Girls"


@pytest.fixture(scope="module")
def seeds() -> list[Analysis]:
    from tests.conftest import SEEDS

    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    return [ficlens.analyze_file(Path(p)) for p in SEEDS]


def _notes(a: Analysis) -> str:
    return "\n".join(a.text[s.start : s.end] for s in a.segments if s.kind != "story")


def test_every_seed_is_gilmore_girls_with_one_rating(seeds: list[Analysis]) -> None:
    for a in seeds:
        t = a.tags
        assert t.fandoms and t.fandoms[0].tag == GG and t.fandoms[0].confidence >= 0.5
        assert len(t.rating) == 1 and t.rating[0].tag in RATING_SCALE
        assert t.warnings
        # no seed has sexual content beyond a fade to black, nor violence
        assert t.rating[0].tag in ("General Audiences", "Teen And Up Audiences")
        assert not {"Underage Sex", "Rape/Non-Con", "Major Character Death"} & {
            w.tag for w in t.warnings
        }
        assert {"Rory Gilmore", "Jess Mariano"} <= {c.tag for c in t.characters}


def test_every_evidence_span_lies_in_the_text(seeds: list[Analysis]) -> None:
    for a in seeds:
        for _, suggestions in a.tags:
            for s in suggestions:
                assert 0.0 <= s.confidence <= 1.0
                for e in s.evidence:
                    assert 0 <= e.start < e.end <= len(a.text), (s.tag, e)


def test_flashbacks_tag_follows_the_structure_layer(seeds: list[Analysis]) -> None:
    assert any(a.flashbacks for a in seeds)
    for a in seeds:
        tagged = "Flashbacks" in {s.tag for s in a.tags.additional}
        assert tagged == bool(a.flashbacks)


def test_episode_related_when_the_notes_cite_an_episode(seeds: list[Analysis]) -> None:
    kb = load_knowledge_base()
    cited = 0
    for a in seeds:
        in_notes = [e for e in kb.episodes_in(_notes(a), [GG])]
        tags = {s.tag for s in a.tags.additional}
        assert ("Episode Related" in tags) == bool(in_notes)
        cited += bool(in_notes)
    assert cited >= 2


def test_phone_calls_rest_on_phone_wording(seeds: list[Analysis]) -> None:
    calls = [a for a in seeds if "Phone Calls" in {s.tag for s in a.tags.additional}]
    assert calls, "a seed is a long phone conversation"
    for a in calls:
        s = next(s for s in a.tags.additional if s.tag == "Phone Calls")
        spans = [a.text[e.start : e.end] for e in s.evidence]
        assert all(re.search(r"phone|line|rang|ring|hung|hang|dial", x, re.I) for x in spans)
