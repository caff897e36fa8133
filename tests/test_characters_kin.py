"""Relatives by title and family name ("his wife" of Mr. Thorne is Mrs. Thorne)."""

from __future__ import annotations

import ficlens
from ficlens.characters.kin import Kinship, family_names
from ficlens.model import Character


def relative(cast: list[Character], owner: Character, noun: str) -> str | None:
    return Kinship(cast).relative(owner.id, noun)


def _cast(*forms: tuple[str, list[str]]) -> list[Character]:
    return [Character(id=name.lower(), name=name, aliases=aliases) for name, aliases in forms]


def test_family_names_come_from_titled_or_full_forms_only() -> None:
    ada, thorne = _cast(("Ada Thorne", ["Ada", "Addie"]), ("Mr. Thorne", []))
    assert family_names(ada) == {"thorne"}
    assert family_names(thorne) == {"thorne"}
    assert family_names(Character(id="p", name="Pip", aliases=["Pip"])) == set()


def test_a_spouse_or_parent_is_the_one_titled_bearer_of_the_family_name() -> None:
    cast = _cast(
        ("Mr. Thorne", []),
        ("Mrs. Thorne", ["Harriet Thorne"]),
        ("Ada Thorne", ["Ada"]),
        ("Mrs. Pell", []),
    )
    by_id = {c.id: c for c in cast}
    assert relative(cast, by_id["mr. thorne"], "wife") == "mrs. thorne"
    assert relative(cast, by_id["mrs. thorne"], "husband") == "mr. thorne"
    assert relative(cast, by_id["ada thorne"], "mother") == "mrs. thorne"
    assert relative(cast, by_id["ada thorne"], "father") == "mr. thorne"
    # No title decides a sister; no one titled Mr. Pell is in the cast.
    assert relative(cast, by_id["ada thorne"], "sister") is None
    assert relative(cast, by_id["mrs. pell"], "husband") is None


def test_two_who_fit_are_no_answer() -> None:
    cast = _cast(("Ada Thorne", []), ("Mrs. Thorne", []), ("Lady Thorne", []))
    assert relative(cast, cast[0], "mother") is None


def test_his_wife_in_a_tag_is_the_wife_not_him() -> None:
    cast: list[dict[str, object]] = [
        {"id": "mr", "name": "Mr. Thorne", "aliases": ["Mr. Thorne"]},
        {"id": "mrs", "name": "Mrs. Thorne", "aliases": ["Mrs. Thorne"]},
        {"id": "ada", "name": "Ada Thorne", "aliases": ["Ada"]},
    ]
    text = (
        "The house on the hill had been let at last, and the news was all over the village "
        "by noon.\n\n"
        '"My dear Mr. Thorne," said his wife to him that evening, "have you heard?"\n\n'
        "Mr. Thorne said that he had not.\n\n"
        '"It is let," cried his wife, "and to a young man from the north."\n'
    )
    a = ficlens.analyze(text, characters=cast)
    speakers = [q.speaker for q in a.quotes if q.speech]
    assert speakers and set(speakers) == {"mrs"}


def test_her_husbands_beat_is_his_not_hers() -> None:
    cast: list[dict[str, object]] = [
        {"id": "mr", "name": "Mr. Thorne", "aliases": ["Mr. Thorne"]},
        {"id": "mrs", "name": "Mrs. Thorne", "aliases": ["Mrs. Thorne"]},
    ]
    text = (
        "Mrs. Thorne came in with the letters and laid them by the lamp.\n\n"
        'Her husband folded his newspaper. "Nothing from the bank, I hope."\n'
    )
    a = ficlens.analyze(text, characters=cast)
    assert [q.speaker for q in a.quotes if q.speech] == ["mr"]


def test_an_inverted_tag_with_a_possessive_is_the_relative_speaking() -> None:
    """'"Well?" cried his wife.': the parser takes "his wife" for the verb's object."""
    cast: list[dict[str, object]] = [
        {"id": "mr", "name": "Mr. Thorne", "aliases": ["Mr. Thorne"]},
        {"id": "mrs", "name": "Mrs. Thorne", "aliases": ["Mrs. Thorne"]},
    ]
    text = (
        "Mr. Thorne read the letter twice and put it in his pocket without a word.\n\n"
        '"Well?" cried his wife impatiently.\n'
    )
    a = ficlens.analyze(text, characters=cast)
    assert [q.speaker for q in a.quotes if q.speech] == ["mrs"]


def test_an_aunt_is_the_one_cast_member_titled_aunt_whatever_her_family_name() -> None:
    cast = _cast(("Helen Marsh", ["Helen"]), ("Aunt Juley", ["Mrs. Munt"]), ("Mr. Marsh", []))
    assert relative(cast, cast[0], "aunt") == "aunt juley"
    assert relative(cast, cast[0], "uncle") is None
    two = [*cast, *_cast(("Aunt Polly", []))]
    assert relative(two, two[0], "aunt") is None
