"""Pronoun resolution patterns: narrator, gender, salience and syntax (short made-up texts)."""

from __future__ import annotations

import ficlens
from ficlens.characters.layer import MentionRef
from ficlens.characters.narrator import identify, is_first_person


def _name(start: int, text: str, who: str, in_quote: bool = False) -> MentionRef:
    return MentionRef(start, start + len(text), text, "name", who, in_quote=in_quote)


def _links(text: str, cast: list[dict[str, object]], word: str) -> list[str]:
    a = ficlens.analyze(text, characters=cast)
    return [m.character for m in a.mentions if a.text[m.start : m.end] == word]


def test_narrator_is_the_character_addressed_by_name() -> None:
    text = '"Sit down, Wren," said Ottilie. Wren stood there. "Wren! Now."'
    mentions = [
        _name(text.index("Wren"), "Wren", "w", in_quote=True),
        _name(text.index("Ottilie"), "Ottilie", "o"),
        _name(text.index("Wren stood"), "Wren", "w"),
        _name(text.rindex("Wren"), "Wren", "w", in_quote=True),
    ]
    assert identify(mentions, text) == "w"
    # Named in narration more often than addressed: not the narrator.
    text2 = "Wren ran. Wren fell. Wren slept. " + text
    shifted = [
        MentionRef(m.start + 33, m.end + 33, m.text, m.kind, m.character, m.in_quote)
        for m in mentions
    ]
    extra = [_name(i, "Wren", "w") for i in (0, 10, 21)]
    assert identify(extra + shifted, text2) is None


def test_narrator_names_themself() -> None:
    text = "My father was a miller, and my name was Corin Vale. Dace laughed."
    mentions = [
        _name(text.index("Corin"), "Corin Vale", "c"),
        _name(text.index("Dace"), "Dace", "d"),
    ]
    assert identify(mentions, text) == "c"


def test_letter_signature_names_the_narrator_but_a_heading_does_not() -> None:
    text = "THE MILL\n\nI wrote to you at once.\n\n    Yours ever,\n    Bettany\n"
    mentions = [
        _name(text.index("THE MILL"), "THE MILL", "heading"),
        _name(text.index("Bettany"), "Bettany", "b"),
    ]
    assert identify(mentions, text) == "b"
    assert identify(mentions[:1], text) is None


def test_first_person_text_with_a_given_cast_links_i_to_the_addressed_character() -> None:
    text = (
        "I came down the stairs late. Marrick was already at the table and he did not "
        "look up. I poured my tea.\n\n"
        '"You are late, Tamsin," Marrick said.\n\n'
        "I shrugged and I sat down across from him. He sighed.\n"
    )
    cast: list[dict[str, object]] = [
        {"id": "t", "name": "Tamsin", "aliases": ["Tamsin"]},
        {"id": "m", "name": "Marrick", "aliases": ["Marrick"]},
    ]
    assert set(_links(text, cast, "I")) == {"t"}
    assert _links(text, cast, "He") == ["m"]


def test_first_person_threshold_counts_a_narrator_telling_others_story() -> None:
    def pron(cls: str) -> MentionRef:
        return MentionRef(0, 1, "x", "pronoun", None, pronoun=cls)  # type: ignore[arg-type]

    assert is_first_person([pron("first")] * 4 + [pron("male")] * 10)
    assert not is_first_person([pron("first")] * 2 + [pron("male")] * 10)


def test_given_name_after_an_honorific_feeds_the_lexicon() -> None:
    from ficlens.characters.stage import _given_name

    assert _given_name("Captain John Marsh") == "john"
    assert _given_name("Captain Marsh") is None  # a surname, not a given name
    assert _given_name("Celia Marsh") == "celia"
