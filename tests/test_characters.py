"""Character discovery, alias clustering, gender, narrator and pronoun resolution."""

from __future__ import annotations

from collections import Counter

import pytest

import ficlens
from ficlens.characters import CharacterListError, alias_key, given_characters
from ficlens.characters.clustering import cluster_names, name_tokens, same_given_name, title_of
from ficlens.characters.coref import resolve_pronouns
from ficlens.characters.gender import decide
from ficlens.characters.layer import MentionRef
from ficlens.characters.mentions import alias_pattern
from ficlens.characters.narrator import declared_pov_names


def _clusters(counts: dict[str, int]) -> list[set[str]]:
    clusters, _ = cluster_names(counts)
    return [set(c.surfaces) for c in clusters]


def test_first_name_full_name_and_title_forms_merge() -> None:
    groups = _clusters({"Maren Holt": 3, "Maren": 20, "Miss Holt": 2, "Holt": 1})
    assert {"Maren Holt", "Maren", "Miss Holt", "Holt"} in groups


def test_shared_surname_keeps_people_apart_and_is_ambiguous() -> None:
    clusters, ambiguous = cluster_names(
        {"Maren Holt": 3, "Ida Holt": 2, "Maren": 9, "Ida": 4, "Holt": 2}
    )
    groups = [set(c.surfaces) for c in clusters]
    assert {"Maren Holt", "Maren"} in groups
    assert {"Ida Holt", "Ida"} in groups
    assert "Holt" in ambiguous and len(ambiguous["Holt"]) == 2


def test_title_gender_picks_the_right_holt() -> None:
    groups = _clusters({"Maren Holt": 3, "Mrs. Maren Holt": 1, "Tobias Holt": 2, "Mr. Holt": 2})
    tobias = next(g for g in groups if "Tobias Holt" in g)
    assert "Mr. Holt" in tobias


def test_middle_name_and_nickname_merge() -> None:
    groups = _clusters({"Celia Anne Marsh": 1, "Celia Marsh": 2, "William Pryce": 2, "Bill": 5})
    assert {"Celia Anne Marsh", "Celia Marsh"} in groups
    assert {"William Pryce", "Bill"} in groups
    assert same_given_name("bill", "william") and not same_given_name("bill", "celia")


def test_canon_key_overrides_token_rules() -> None:
    # "Dodger" is a canon nickname: it joins the canon character though no token matches.
    canon = {"Dodger": "jm", "Jude Marlow": "jm"}
    clusters, _ = cluster_names({"Jude Marlow": 2, "Dodger": 3, "Jude": 4}, canon.get)
    assert [set(c.surfaces) for c in clusters] == [{"Jude Marlow", "Dodger", "Jude"}]


def test_name_helpers() -> None:
    assert title_of("Miss. Gilmore") == "miss"
    assert title_of("Miss") == ""
    assert name_tokens("Mr. Jess Mariano") == ["jess", "mariano"]
    assert alias_key("Miss. O’Hara") == alias_key("miss o'hara")
    pattern = alias_pattern(["Miss Holt", "Maren"])
    assert pattern is not None
    text = "Miss. Holt met Maren's dog; Marenka is someone else."
    assert [m.group(0) for m in pattern.finditer(text)] == ["Miss. Holt", "Maren"]


def test_gender_evidence_order() -> None:
    # Many pronoun votes decide alone (a gender-swapped fic) ...
    assert decide(Counter(female=5), "male", "male", "john") == ("female", "pronouns")
    # ... a few are weighed against the honorific and the first-name lexicon.
    assert decide(Counter(female=2), "male", None, None) == ("male", "title")
    assert decide(Counter(male=2), "unknown", None, "charlotte") == ("female", "lexicon")
    assert decide(Counter(male=2), "unknown", None, None) == ("male", "pronouns")
    assert decide(Counter(female=1, male=1), "male", None, None) == ("male", "title")
    assert decide(None, "unknown", "female", "rory") == ("female", "canon")
    assert decide(None, "unknown", None, "margaret") == ("female", "lexicon")
    assert decide(None, "unknown", None, "xqzt") == ("unknown", None)


def test_declared_pov() -> None:
    notes = ["A/N: It's written from Nell's POV, in first person.", "POV: Aubrey"]
    assert declared_pov_names(notes) == ["Nell", "Aubrey"]


def _m(start: int, text: str, kind: str, character: str | None = None, **kw: object) -> MentionRef:
    return MentionRef(start, start + len(text), text, kind, character, **kw)  # type: ignore[arg-type]


def test_salience_and_gender_agreement() -> None:
    genders = {"ann": "female", "bo": "male"}
    mentions = [
        _m(0, "Ann", "name", "ann", role="nsubj"),
        _m(10, "Bo", "name", "bo", role="dobj"),
        _m(20, "She", "pronoun", pronoun="female", role="nsubj"),
        _m(30, "him", "pronoun", pronoun="male", role="dobj"),
        _m(40, "her", "pronoun", pronoun="female", role="poss"),
    ]
    out = resolve_pronouns(mentions, genders.__getitem__, [0, 15], [0], [], None)  # type: ignore[arg-type]
    assert [m.character for m in out] == ["ann", "bo", "ann", "bo", "ann"]


def test_object_pronoun_is_not_its_clause_subject() -> None:
    genders = {"cal": "male", "dev": "male"}
    mentions = [
        _m(0, "Dev", "name", "dev", role="nsubj"),
        _m(20, "Cal", "name", "cal", role="nsubj"),
        _m(30, "him", "pronoun", pronoun="male", role="dobj"),
    ]
    subject = {30: 20}
    out = resolve_pronouns(
        mentions,
        genders.__getitem__,
        [0],
        [0],
        [],
        None,  # type: ignore[arg-type]
        clause_subject=lambda m: subject.get(m.start),
    )
    assert out[-1].character == "dev"


def test_scene_break_fades_salience() -> None:
    genders = {"ann": "female", "eve": "unknown"}
    mentions = [
        _m(0, "Ann", "name", "ann", role="nsubj"),
        _m(50, "Eve", "name", "eve", role="nsubj"),
        _m(60, "she", "pronoun", pronoun="female", role="nsubj"),
    ]
    out = resolve_pronouns(mentions, genders.__getitem__, [0, 40], [0, 40], [40], None)  # type: ignore[arg-type]
    assert out[-1].character == "eve"  # Ann faded at the scene break; Eve may be female


def test_given_character_list_is_validated() -> None:
    chars = given_characters([{"id": "7", "name": "Ann Lee", "aliases": ["Ann"]}])
    assert chars[0].id == "7" and set(chars[0].aliases) == {"Ann", "Ann Lee"}
    with pytest.raises(CharacterListError, match=r"characters\[1\]\.id"):
        given_characters([{"id": "a", "name": "A"}, {"id": "a", "name": "B"}])
    with pytest.raises(CharacterListError, match=r"aliases"):
        given_characters([{"id": "a", "name": "A", "aliases": "A"}])


STORY = """Maren Holt pushed the door open with her shoulder. The shop was dark.

Tobias Holt was asleep behind the counter. He snored softly.

Maren shook him awake. She was not in the mood for his excuses. Tobias rubbed his eyes.

"Tobias," Maren said. "The lamps are out again."

Later, at Greer's, Maren bought a coffee. Tobias followed her in and ordered tea for himself.
"""


def test_discovery_on_a_short_story() -> None:
    a = ficlens.analyze(STORY)
    by_name = {c.name: c for c in a.characters}
    assert set(by_name) >= {"Maren Holt", "Tobias Holt"}
    assert "Greer" not in " ".join(by_name)  # "at Greer's" is a place
    assert by_name["Maren Holt"].gender == "female"
    assert by_name["Tobias Holt"].gender == "male"
    assert "Maren" in by_name["Maren Holt"].aliases
    text = a.text
    himself = text.index("himself")
    link = next(m for m in a.mentions if m.start == himself)
    assert link.character == by_name["Tobias Holt"].id
    she = text.index("She was not")
    assert next(m for m in a.mentions if m.start == she).character == by_name["Maren Holt"].id


def test_given_characters_keep_ids() -> None:
    cast = [
        {"id": "0", "name": "Maren Holt", "aliases": ["Maren"]},
        {"id": "1", "name": "Tobias Holt", "aliases": ["Tobias"]},
    ]
    a = ficlens.analyze(STORY, characters=cast)
    assert [c.id for c in a.characters] == ["0", "1"]
    named = {m.character for m in a.mentions if m.kind == "name"}
    assert named == {"0", "1"}


def test_first_person_narrator_named_from_notes() -> None:
    text = (
        "A/N: This one is from Nell's POV.\n\n"
        "I walk into the kitchen and my brother Arlo looks up. I sit down. I am tired.\n\n"
        '"Nell," Arlo says, "you look awful." I laugh at him and I steal his toast.\n\n'
        "I tell myself it will be a good day. He rolls his eyes at me.\n"
    )
    a = ficlens.analyze(text)
    ids = {c.name: c.id for c in a.characters}
    assert "Nell" in ids
    mine = [m for m in a.mentions if a.text[m.start : m.end] in ("I", "my", "me", "myself")]
    assert mine and all(m.character == ids["Nell"] for m in mine)


def test_a_given_cast_is_found_by_derived_and_descriptive_names() -> None:
    from ficlens.characters.mentions import alias_owners
    from ficlens.model import Character

    cast = [
        Character(id="1", name="Miss Welby", aliases=["June Welby"]),
        Character(id="2", name="Mr. Welby", aliases=["Arthur Welby"]),
        Character(id="3", name="The Porter", aliases=["The Porter"]),
    ]
    owners = alias_owners(cast)
    assert owners["June"] == ["1"] and owners["Arthur"] == ["2"]
    assert "Welby" not in owners  # two Welbys: the bare surname is nobody's alias
    pattern = alias_pattern(list(owners))
    assert pattern is not None
    text = "June nodded. the porter shrugged, and The Porter left."
    assert [m.group(0) for m in pattern.finditer(text)] == ["June", "the porter", "The Porter"]


def test_pronouns_before_any_name_go_to_the_dominant_character() -> None:
    text = (
        "She waits on the bridge. She counts the cars. Her hands are cold.\n\n"
        "Nobody comes. She walks home in the rain.\n\n"
        "Maren Holt lets herself in and sits in the dark. Maren does not cry. She will not.\n\n"
        "Her brother Tobias Holt calls at midnight. He does not say sorry.\n"
    )
    a = ficlens.analyze(text)
    maren = next(c.id for c in a.characters if c.name == "Maren Holt")
    first_she = next(m for m in a.mentions if m.start == 0)
    assert first_she.character == maren
    hands = text.index("Her hands")
    assert next(m for m in a.mentions if m.start == hands).character == maren


def test_a_shared_title_form_resolved_to_one_person_becomes_their_alias() -> None:
    text = (
        "Maren Holt and her sister Ida Holt ran the bakery.\n\n"
        "Ida left for the market. Maren stayed behind the counter.\n\n"
        '"A loaf, please, Miss Holt," the boy said to Maren.\n\n'
        "Maren wrapped it and took his coins."
    )
    by_name = {c.name: c for c in ficlens.analyze(text).characters}
    assert "Miss Holt" in by_name["Maren Holt"].aliases
    assert "Miss Holt" not in by_name["Ida Holt"].aliases


def test_a_title_form_used_for_two_people_is_nobodys_alias() -> None:
    text = (
        "Maren Holt and her sister Ida Holt ran the bakery.\n\n"
        'Maren baked. "Morning, Miss Holt," the boy said.\n\n'
        'Ida counted coins. "Morning, Miss Holt," he said again.\n\n'
        "Maren laughed and Ida laughed."
    )
    a = ficlens.analyze(text)
    holts = [m.character for m in a.mentions if a.text[m.start : m.end] == "Miss Holt"]
    assert len(set(holts)) == 2  # recency sends each to a different sister
    assert all("Miss Holt" not in c.aliases for c in a.characters)


@pytest.mark.parametrize(
    "phrase", ["the resident Casanova Brown", "a regular Sherlock Holmes", "the sad old Tom Jones"]
)
def test_a_full_name_only_used_after_an_article_is_not_a_character(phrase: str) -> None:
    text = (
        f"Mara Quinn walked in. Tom Reed was {phrase} of the town, and {phrase} never "
        "smiled.\n\nMara Quinn smiled at Tom Reed."
    )
    names = {c.name for c in ficlens.analyze(text).characters}
    assert names == {"Mara Quinn", "Tom Reed"}


@pytest.mark.parametrize("name", ["Mr. Pell", "Baron Pell"])
def test_a_titled_name_introduced_with_an_article_is_a_character(name: str) -> None:
    text = f'The {name} arrived at noon. The {name} bowed. "Good day," the {name} said.'
    assert name in {c.name for c in ficlens.analyze(text).characters}
