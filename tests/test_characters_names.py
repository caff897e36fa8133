"""Scoring name forms as person or place from how the text uses them."""

from __future__ import annotations

from collections import Counter

from ficlens.characters.names import NameOccurrence, score_names


def _occ(surface: str, role: str = "pobj", head: str = "in", **kw: object) -> NameOccurrence:
    fields: dict[str, object] = {
        "start": 0,
        "end": len(surface),
        "surface": surface,
        "title": "",
        "role": role,
        "head_lemma": head,
        "in_quote": False,
        "possessive": False,
        "standalone_possessive": False,
        "after_quote": False,
        "after_place_preposition": False,
        "entity": "GPE",
    }
    fields.update(kw)
    return NameOccurrence(**fields)  # type: ignore[arg-type]


def test_a_name_that_acts_is_a_person_whatever_the_parser_labels() -> None:
    occs = [
        *[_occ("Corwin", "nsubj", verb) for verb in ("stop", "take", "follow", "pause")],
        _occ("Corwin", "poss", "hand", possessive=True),
        _occ("Corwin", "poss", "brow", possessive=True),
        _occ("Corwin", "dobj", "send"),
        _occ("Corwin", "pobj", "with"),
        _occ("Corwin", after_place_preposition=True),
    ]
    s = score_names(occs, Counter())["Corwin"]
    assert s.person > s.place


def test_a_place_used_after_prepositions_stays_a_place() -> None:
    occs = [
        *[_occ("Brackley", after_place_preposition=True) for _ in range(6)],
        _occ("Brackley", "nsubj", "be"),
        _occ("Brackley", "nsubj", "lie"),
        _occ("Brackley", "poss", "street", possessive=True),
    ]
    s = score_names(occs, Counter())["Brackley"]
    assert s.place > s.person
