"""Discovery rules of the nobility, wife, rank, apposition and speech-tag round."""

from __future__ import annotations

from collections import Counter

import ficlens
from ficlens.characters.clustering import cluster_names, domain_title, name_tokens
from ficlens.characters.names import score_names

from .test_characters_names import _occ


def _cast(text: str) -> dict[str, ficlens.model.Character]:
    return {c.name: c for c in ficlens.analyze(text).characters}


def _speakers(text: str) -> list[str | None]:
    a = ficlens.analyze(text)
    names = {c.id: c.name for c in a.characters}
    return [names.get(q.speaker or "") for q in a.quotes if q.speech]


def test_a_rank_of_a_domain_is_a_name_and_the_bare_rank_names_her() -> None:
    text = (
        "Across the table sat the Duchess of Wexmoor, a lady of great kindness. "
        "Tobias Wren bowed to her.\n\n"
        '"You are late," said the Duchess.\n\n'
        '"I am sorry," said Tobias Wren.\n\n'
        '"Never mind," the duchess said. "Sit down."\n'
    )
    cast = _cast(text)
    duchess = cast["Duchess of Wexmoor"]
    assert duchess.gender == "female"
    assert {"the Duchess of Wexmoor", "the Duchess"} <= set(duchess.aliases)
    assert "the duchess" not in cast  # no second, unnamed duchess
    assert _speakers(text) == [duchess.name, "Tobias Wren", duchess.name, duchess.name]


def test_a_domain_is_one_name_word() -> None:
    assert name_tokens("Earl of St. Ives") == ["of st ives"]
    assert domain_title("Earl of St. Ives") == "earl"
    assert domain_title("Lady of Shalott") == ""  # "the lady" names anyone
    assert domain_title("Mr. Ives") == ""


def test_a_wife_named_by_her_husbands_name_stays_apart_from_him() -> None:
    for given in ("Tom", "Orland"):  # a known man's name, and one the lexicon lacks
        clusters, _ = cluster_names({f"{given} Ashby": 6, f"Mrs. {given} Ashby": 3})
        groups = [set(c.surfaces) for c in clusters]
        assert {f"{given} Ashby"} in groups and {f"Mrs. {given} Ashby"} in groups
        wife = next(c for c in clusters if f"Mrs. {given} Ashby" in c.surfaces)
        assert wife.best_name() == f"Mrs. {given} Ashby"
    # the reverse order of placing changes nothing
    clusters, _ = cluster_names({"Orland Ashby": 2, "Mrs. Orland Ashby": 5})
    assert len(clusters) == 2
    # her own given name joins her
    clusters, _ = cluster_names({"Mary Ashby": 6, "Mrs. Mary Ashby": 3})
    assert len(clusters) == 1


def test_a_king_with_a_given_name_is_not_a_commoner_with_that_name() -> None:
    clusters, _ = cluster_names({"Ralph Mortimer": 6, "King Ralph": 1})
    assert len(clusters) == 2
    # … but joins someone the text calls by the given name alone, or by that rank
    clusters, _ = cluster_names({"Ralph Mortimer": 6, "Ralph": 9, "King Ralph": 2})
    assert len(clusters) == 1
    clusters, _ = cluster_names({"Lady Edith Crane": 4, "Lady Edith": 7})
    assert len(clusters) == 1


def test_a_name_in_apposition_with_a_person_noun_is_a_person() -> None:
    occs = [
        _occ("Zenobia", "nsubj", "come", described=True),
        _occ("Zenobia", "pobj", "to", after_place_preposition=True),
        _occ("Zenobia", "nsubj", "be", in_quote=True),
        _occ("Zenobia", "appos", "meal"),
    ]
    s = score_names(occs, Counter())["Zenobia"]
    assert s.person > s.place
    plain = [_occ("Zenobia", "nsubj", "come"), *occs[1:]]
    s = score_names(plain, Counter())["Zenobia"]
    assert s.person <= s.place


def test_apposition_and_naming_found_in_text() -> None:
    text = (
        "Just then Zenobia, the nursemaid, carried the tray across to the old lady by "
        "the window.\n\n"
        "The officer, whose name was Kendrick, tapped at the door and was admitted.\n\n"
        "A sailor named Pollard stood by the mast.\n\n"
        '"Come in," said the old lady.\n'
    )
    names = set(_cast(text))
    assert {"Zenobia", "Kendrick", "Pollard"} <= names


def test_a_lone_speech_tag_after_a_quotation_is_a_person() -> None:
    text = (
        "Tobias Wren and the others sat by the fire.\n\n"
        '"The horses are lame," Quill stated gravely.\n\n'
        '"Then we walk," said Tobias Wren.\n'
    )
    assert "Quill" in _cast(text)


def test_a_name_after_a_quotation_that_ends_its_sentence_keeps_its_given_name() -> None:
    text = (
        "Orrin Vale taught the village school.\n\n"
        '"Mind your letters." Orrin Vale\'s pupils knew the rule by heart. '
        "Orrin Vale said it every morning.\n"
    )
    cast = _cast(text)
    assert "Orrin Vale" in cast
    assert "Vale" not in cast
    # … but a capitalised speech verb there is still no part of the name
    text = (
        "Tobias Wren sat by the window.\n\n"
        '"It is raining again." Whined Tobias Wren, and he pulled the curtain.\n'
    )
    assert set(_cast(text)) == {"Tobias Wren"}


def test_a_speaker_broken_in_with_commas_and_particles_is_described() -> None:
    text = (
        "Tobias Wren spoke of the harvest to the company.\n\n"
        '"Surely the rain will come," broke in a tall, grey-haired farmer.\n\n'
        '"It may," said Tobias Wren.\n'
    )
    cast = _cast(text)
    gentleman = cast.get("the tall, grey-haired farmer")
    assert gentleman is not None and "a tall, grey-haired farmer" in gentleman.aliases
    assert _speakers(text)[0] == "the tall, grey-haired farmer"


def test_one_picked_out_of_a_crowd_speaks_for_himself() -> None:
    text = (
        "Tobias Wren walked past the men at the gate.\n\n"
        '"Where are you off to?" asked one old labourer.\n\n'
        '"Home," said Tobias Wren.\n'
    )
    cast = _cast(text)
    labourer = cast.get("the old labourer")
    assert labourer is not None and "one old labourer" in labourer.aliases


def test_a_name_talked_about_in_the_previous_turn_does_not_explain_a_speaker() -> None:
    text = (
        "Tobias Wren came into the inn and sat by the fire.\n\n"
        '"Any word of Garrick?" asked Tobias Wren.\n\n'
        '"None," replied the landlord.\n'
    )
    assert "the landlord" in _cast(text)
