"""Relations on the seed fics (skipped when ../shared/seeds is absent).

Every seed is a Jess Mariano/Rory Gilmore fic: its top romantic pair must be Jess and
Rory, and no pair with one of Rory's exes (Dean, Logan) may outrank it.
"""

from __future__ import annotations

from pathlib import Path

import ficlens
from ficlens.model import Analysis


def _names(a: Analysis, pair: tuple[str, str]) -> set[str]:
    by_id = {c.id: c for c in a.characters}
    return {by_id[x].name.split()[0] for x in pair if x in by_id}


def test_main_pairing_of_every_seed_is_jess_and_rory(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        a = ficlens.analyze_file(path)
        romantic = [r for r in a.relationships if r.kind == "romantic"]
        assert romantic, f"{path.name}: no romantic relationship found"
        top = romantic[0]
        assert _names(a, top.pair) == {"Jess", "Rory"}, (path.name, top)
        assert top.evidence, path.name
        for r in a.relationships:
            if _names(a, r.pair) & {"Dean", "Logan"}:
                assert r.score < top.score, (path.name, r)
        scores = [r.score for r in a.relationships]
        assert scores == sorted(scores, reverse=True), path.name
        for i in a.interactions:
            assert i.a < i.b and i.dialogue_turns == i.a_to_b + i.b_to_a, path.name
