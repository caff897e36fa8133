"""Number and gender of a caller's cast entries (short made-up texts)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

import pytest

import ficlens
from ficlens.characters.coref import resolve_pronouns
from ficlens.characters.gender import decide
from ficlens.characters.layer import MentionRef
from ficlens.characters.number import is_plural_span
from ficlens.language.loader import load_pipeline


@lru_cache(maxsize=1)
def _nlp() -> Any:
    return load_pipeline(with_ner=False)


def _plural(sentence: str, phrase: str) -> bool:
    doc = _nlp()(sentence)
    start = sentence.index(phrase)
    span = doc.char_span(start, start + len(phrase))
    assert span is not None
    return is_plural_span(span)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("At noon the Varleys drove up to the gate.", "the Varleys"),
        ("She paid the servants on Friday.", "the servants"),
        ("Then some of the boys ran off.", "some of the boys"),
        ("He wrote to Captain and Mrs Orrin at once.", "Captain and Mrs Orrin"),
        ("Two sailors stood by the rail.", "Two sailors"),
    ],
)
def test_group_names_are_plural(sentence: str, phrase: str) -> None:
    assert _plural(sentence, phrase)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("At noon Miss Tibbs drove up to the gate.", "Miss Tibbs"),
        ("Later that night Haskins walked home alone.", "Haskins"),
        ("He was a quiet one who leaves his hat and coat behind.", "a quiet one who leaves"),
        ("She paid the maid on Friday.", "the maid"),
    ],
)
def test_people_are_singular(sentence: str, phrase: str) -> None:
    assert not _plural(sentence, phrase)


def test_a_plural_cast_entry_is_never_she() -> None:
    text = "The Varleys came in from the rain. She sat down by the fire and said nothing."
    cast = [
        {"id": "varleys", "name": "the Varleys", "aliases": ["The Varleys"]},
        {"id": "mira", "name": "Mira Dunn", "aliases": ["Mira"]},
    ]
    a = ficlens.analyze(text, characters=cast)
    she = text.index("She")
    assert all(m.character != "varleys" for m in a.mentions if m.start == she)


def _m(start: int, text: str, kind: str, character: str | None = None, **kw: Any) -> MentionRef:
    return MentionRef(start, start + len(text), text, kind, character, **kw)


def test_resolver_skips_plural_characters_for_he_and_she() -> None:
    mentions = [
        _m(0, "Ann", "name", "ann", role="nsubj"),
        _m(20, "the Orrins", "name", "orrins", role="nsubj"),
        _m(40, "she", "pronoun", pronoun="female", role="nsubj"),
    ]
    genders = {"ann": "female", "orrins": "female"}
    group = frozenset({"orrins"})
    out = resolve_pronouns(mentions, genders.__getitem__, [0], [0], [], None, plural=group)  # type: ignore[arg-type]
    assert out[-1].character == "ann"
    out = resolve_pronouns(mentions, genders.__getitem__, [0], [0], [], None)  # type: ignore[arg-type]
    assert out[-1].character == "orrins"  # without the number, the group is the nearer


def test_a_usually_male_rank_is_weak_evidence() -> None:
    assert decide(None, "unknown", None, None, rank=True) == ("male", "title")
    assert decide(Counter(female=1), "unknown", None, None, rank=True) == ("female", "pronouns")
    assert decide(None, "unknown", None, "kathryn", rank=True) == ("female", "lexicon")


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("Colonel Pardew", "male"),  # a rank
        ("Citoyenne Marchal", "female"),  # a foreign honorific
        ("Mis' Gadd", "female"),
        ("young Tobias Fenn", "male"),  # "young" is no given name (the lexicon says female)
        ("old Aunt Bethel", "female"),  # the title after a describing word
        ("the tall woman", "female"),  # a description's head noun
        ("his elder brother, one of the clerks", "male"),
    ],
)
def test_given_character_gender_from_its_name(name: str, gender: str) -> None:
    text = f"Everyone waited in the hall. {name[0].upper()}{name[1:]} came in late."
    a = ficlens.analyze(text, characters=[{"id": "x", "name": name, "aliases": [name]}])
    assert a.characters[0].gender == gender
