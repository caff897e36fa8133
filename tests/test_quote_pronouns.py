"""Quoted "I" and "you": who they mean, from the quotation's speaker and addressees."""

from __future__ import annotations

from ficlens.characters import CharacterLayer, MentionRef
from ficlens.dialogue.stage import _quote_pronouns
from ficlens.model import Quote

# "Come here," said Ada.  "Why?" asked Ben.  "Because you should," Ada told Ben and Cy.
# (offsets are made up)
TEXT_MENTIONS = [
    MentionRef(50, 53, "you", "pronoun", None, in_quote=True, pronoun="second"),
]


def _layer(mentions: list[MentionRef]) -> CharacterLayer:
    return CharacterLayer(characters=[], mentions=mentions)


def test_you_with_several_addressees_is_the_one_who_spoke_last() -> None:
    quotes = [
        Quote(start=0, end=11, speaker="ada", addressees=["ben"]),
        Quote(start=24, end=30, speaker="ben", addressees=["ada"]),
        Quote(start=44, end=66, speaker="ada", addressees=["cy", "ben"]),
    ]
    out = _quote_pronouns(quotes, _layer(list(TEXT_MENTIONS)))
    assert [(m.text, m.character) for m in out] == [("you", "ben")]


def test_you_with_several_silent_addressees_stays_unlinked() -> None:
    quotes = [
        Quote(start=0, end=11, speaker="ada", addressees=[]),
        Quote(start=44, end=66, speaker="ada", addressees=["cy", "ben"]),
    ]
    assert _quote_pronouns(quotes, _layer(list(TEXT_MENTIONS))) == []


def test_i_is_the_speaker_and_you_the_one_addressee() -> None:
    mentions = [
        MentionRef(2, 3, "I", "pronoun", None, in_quote=True, pronoun="first"),
        MentionRef(4, 6, "my", "pronoun", None, in_quote=True, pronoun="first"),
        MentionRef(7, 10, "you", "pronoun", None, in_quote=True, pronoun="second"),
    ]
    quotes = [Quote(start=0, end=11, speaker="ada", addressees=["ben"])]
    out = _quote_pronouns(quotes, _layer(mentions))
    assert [m.character for m in out] == ["ada", "ada", "ben"]
