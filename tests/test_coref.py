"""Pronoun resolution patterns: narrator, gender, salience and syntax (short made-up texts)."""

from __future__ import annotations

import math

import pytest

import ficlens
from ficlens.characters.coref import FEATURES, Scorer, resolve_pronouns, shipped_scorer
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


def test_a_vocative_the_narrator_answers_outweighs_a_narration_sentence_naming_them() -> None:
    # One narration sentence names them three times (one strike), they are addressed once
    # and "I" answers: the narrator.
    text = (
        "I poured the tea while Odo talked. You will have a fair idea of Piers Lammle, "
        "Lammle of the ferry, or plain old Lammle to the boatmen, if you picture a heron "
        "in a coat.\n\n"
        '"And now, Lammle, where will you go?" Odo asked.\n\n'
        "I lit my pipe before answering, and I thought of the coast.\n"
    )
    cast: list[dict[str, object]] = [
        {"id": "p", "name": "Piers Lammle", "aliases": ["Piers Lammle", "Lammle"]},
        {"id": "o", "name": "Odo", "aliases": ["Odo"]},
    ]
    assert set(_links(text, cast, "I")) == {"p"}


def test_a_vocative_someone_else_answers_does_not_name_the_narrator() -> None:
    # "Jack" is addressed, but "my uncle" answers: Jack is the uncle, not the "I".
    text = (
        "I sat by the fire and I said nothing while they talked.\n\n"
        '"Let a boy run about and play," said old Fenwick. "Am I right, Jack?"\n\n'
        '"That\u2019s my principle, too," said my uncle.\n\n'
        "I ate my supper and I went up to bed.\n"
    )
    cast: list[dict[str, object]] = [
        {"id": "j", "name": "Jack", "aliases": ["Jack"]},
        {"id": "f", "name": "Fenwick", "aliases": ["Fenwick"]},
    ]
    assert "j" not in _links(text, cast, "I")


def test_a_name_the_narrator_says_alone_or_as_an_introduction_is_their_own() -> None:
    # Each is also named once in narration, a strike a mere vocative would not outweigh.
    answer = (
        'She looked up from the ledger. "The English gentleman?" "Yes," I said, '
        '"Tobias Grell." I waited while she wrote Grell in the book, and I looked at the stove.\n'
    )
    cast: list[dict[str, object]] = [{"id": "t", "name": "Tobias Grell", "aliases": ["Grell"]}]
    assert set(_links(answer, cast, "I")) == {"t"}
    introduction = (
        "I knocked twice and I waited on the step. The name Quill was on my letter.\n\n"
        '"Mr. Quill, your new tenant, sir," I said at last when the door opened.\n\n'
        '"The house is mine," he snapped, and I followed him in.\n'
    )
    cast = [{"id": "q", "name": "Mr. Quill", "aliases": ["Mr. Quill", "Quill"]}]
    assert set(_links(introduction, cast, "I")) == {"q"}


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


def _problem_mentions() -> list[MentionRef]:
    # "Bram waited. Cole spoke to Bram at length. Then he left."  (offsets are made up)
    return [
        MentionRef(0, 4, "Bram", "name", "b", role="nsubj"),
        MentionRef(20, 24, "Cole", "name", "c", role="nsubj"),
        MentionRef(40, 44, "Bram", "name", "b", role="pobj"),
        MentionRef(60, 62, "he", "pronoun", None, role="nsubj", pronoun="male"),
    ]


def _solve(scorer: Scorer | None) -> str | None:
    out = resolve_pronouns(
        _problem_mentions(), lambda _c: "male", [0, 20, 50], [0], [], None, scorer=scorer
    )
    return out[-1].character


def test_scorer_replaces_salience_when_given() -> None:
    # Hand salience: Bram (subject, then object) outweighs Cole (one subject mention).
    assert _solve(None) == "b"
    # A scorer that only values the last mention being a subject picks Cole.
    assert _solve(Scorer({"last_subject": 1.0})) == "c"
    assert _solve(Scorer({"mention_count": 1.0})) == "b"


def test_record_sees_every_candidate_with_all_features() -> None:
    seen: list[tuple[str, list[str], list[dict[str, float]]]] = []
    resolve_pronouns(
        _problem_mentions(),
        lambda _c: "male",
        [0, 20, 50],
        [0],
        [],
        None,
        record=lambda m, cands, rows: seen.append((m.text, cands, rows)),
    )
    assert [(t, sorted(c)) for t, c, _ in seen] == [("he", ["b", "c"])]
    rows = dict(zip(seen[0][1], seen[0][2], strict=True))
    assert set(rows["b"]) == set(FEATURES)
    assert rows["b"]["most_recent"] == 1.0 and rows["c"]["second_recent"] == 1.0
    assert rows["c"]["last_subject"] == 1.0 and rows["b"]["last_subject"] == 0.0
    assert rows["b"]["mention_count"] > rows["c"]["mention_count"]


def test_object_pronoun_never_takes_its_clause_subject_under_the_scorer() -> None:
    mentions = [
        MentionRef(0, 4, "Bram", "name", "b", role="nsubj"),
        MentionRef(20, 24, "Cole", "name", "c", role="nsubj"),
        MentionRef(30, 33, "him", "pronoun", None, role="dobj", pronoun="male"),
    ]
    out = resolve_pronouns(
        mentions,
        lambda _c: "male",
        [0, 20],
        [0],
        [],
        None,
        clause_subject=lambda m: 20 if m.start == 30 else None,
        scorer=Scorer({"same_sentence": 5.0}),
    )
    assert out[-1].character == "b"


def test_shipped_scorer_covers_the_features() -> None:
    scorer = shipped_scorer()
    assert scorer is not None and set(scorer.weights) == set(FEATURES)
    assert scorer.weights["unknown_gender"] < 0  # a known, agreeing gender is preferred


def test_possessive_prefers_the_subject_of_its_own_clause() -> None:
    text = (
        "Arlo slept in the chair by the window. Tobias Holt came in quietly and shook his head.\n"
    )
    cast: list[dict[str, object]] = [
        {"id": "a", "name": "Arlo", "aliases": ["Arlo"], "gender": "male"},
        {"id": "t", "name": "Tobias Holt", "aliases": ["Tobias"], "gender": "male"},
    ]
    assert _links(text, cast, "his") == ["t"]


def test_cast_entries_named_by_a_description() -> None:
    from ficlens.characters.mentions import is_description
    from ficlens.model import Character

    assert is_description(Character(id="1", name="the stranger", aliases=["The stranger"]))
    assert not is_description(Character(id="2", name="Ada Marsh", aliases=["Ada"]))
    # One proper name among the forms is enough to count as named.
    assert not is_description(Character(id="3", name="the captain", aliases=["Holt"]))


def test_paragraph_topic_and_description_features() -> None:
    mentions = [
        MentionRef(0, 4, "Bram", "name", "b", role="nsubj"),
        MentionRef(20, 31, "the drummer", "name", "d", role="dobj"),
        MentionRef(40, 42, "He", "pronoun", None, role="nsubj", pronoun="male"),
        MentionRef(60, 64, "Cole", "name", "c", role="nsubj"),  # a new paragraph
        MentionRef(70, 72, "he", "pronoun", None, role="nsubj", pronoun="male"),
    ]
    rows: dict[str, dict[str, dict[str, float]]] = {}
    resolve_pronouns(
        mentions,
        lambda _c: "male",
        [0, 40, 60, 70],
        [0, 60],
        [],
        None,
        record=lambda m, cands, r: rows.setdefault(m.text, dict(zip(cands, r, strict=True))),
        descriptions=frozenset({"d"}),
    )
    first, second = rows["He"], rows["he"]
    assert first["b"]["paragraph_topic"] == 1.0 and first["d"]["paragraph_topic"] == 0.0
    assert first["d"]["description"] == 1.0 and first["b"]["description"] == 0.0
    assert first["b"]["recent_name"] == 1.0
    assert second["c"]["paragraph_topic"] == 1.0 and second["b"]["paragraph_topic"] == 0.0


def test_a_name_after_an_opening_single_quote_is_a_mention() -> None:
    from ficlens.characters.mentions import alias_pattern

    pattern = alias_pattern(["Mr. Vance", "Neil"])
    assert pattern is not None
    found = [m.group(0) for m in pattern.finditer("'Mr. Vance, sir,' I said. O'Neil nodded.")]
    assert found == ["Mr. Vance"]  # and no "Neil" inside "O'Neil"
    assert [m.group(0) for m in pattern.finditer("'Neil!'")] == ["Neil"]


def test_pronouns_linked_to_a_character_of_unknown_gender_are_features() -> None:
    mentions = [
        MentionRef(0, 4, "Kit", "name", "k", role="nsubj"),
        MentionRef(10, 13, "She", "pronoun", None, role="nsubj", pronoun="female"),
        MentionRef(30, 32, "he", "pronoun", None, role="nsubj", pronoun="male"),
        MentionRef(40, 43, "Ash", "name", "a", role="nsubj"),
        MentionRef(50, 53, "she", "pronoun", None, role="nsubj", pronoun="female"),
    ]
    rows: dict[int, dict[str, dict[str, float]]] = {}
    resolve_pronouns(
        mentions,
        lambda c: "male" if c == "a" else "unknown",
        [0, 10, 30, 40, 50],
        [0],
        [],
        None,
        record=lambda m, cands, r: rows.setdefault(m.start, dict(zip(cands, r, strict=True))),
    )
    assert rows[10]["k"]["unknown_gender_linked"] == 0.0  # nothing linked yet
    assert rows[30]["k"]["unknown_gender_other"] == 1.0  # "She" went to Kit, this is "he"
    assert rows[50]["k"]["unknown_gender_linked"] == 1.0
    assert "a" not in rows[50]  # Ash is male


def test_quoted_he_and_she_are_resolved_but_quoted_i_and_you_are_left() -> None:
    # Mira met Dov. "He never calls," Mira said. "I know," said Dov. "You told me."
    mentions = [
        MentionRef(0, 4, "Mira", "name", "m", role="nsubj"),
        MentionRef(9, 12, "Dov", "name", "d", role="dobj"),
        MentionRef(15, 17, "He", "pronoun", None, role="nsubj", pronoun="male", in_quote=True),
        MentionRef(30, 34, "Mira", "name", "m", role="nsubj"),
        MentionRef(42, 43, "I", "pronoun", None, role="nsubj", pronoun="first", in_quote=True),
        MentionRef(60, 63, "You", "pronoun", None, role="nsubj", pronoun="second", in_quote=True),
    ]
    out = resolve_pronouns(
        mentions,
        lambda c: {"m": "female", "d": "male"}[c],
        [0, 15, 42, 60],
        [0],
        [],
        None,
        scorer=shipped_scorer(),
    )
    by_text = {m.text: m.character for m in out}
    assert by_text["He"] == "d"
    assert by_text["I"] is None and by_text["You"] is None  # the dialogue stage's


def test_quote_features_only_fire_inside_quotations() -> None:
    mentions = [
        MentionRef(0, 4, "Bram", "name", "b", role="nsubj"),
        MentionRef(10, 12, "he", "pronoun", None, role="nsubj", pronoun="male", in_quote=True),
        MentionRef(30, 32, "he", "pronoun", None, role="nsubj", pronoun="male"),
    ]
    rows: dict[int, dict[str, dict[str, float]]] = {}
    resolve_pronouns(
        mentions,
        lambda _c: "male",
        [0, 10, 30],
        [0],
        [],
        None,
        record=lambda m, cands, r: rows.setdefault(m.start, dict(zip(cands, r, strict=True))),
    )
    assert rows[10]["b"]["quote_most_recent"] == 1.0
    assert rows[10]["b"]["quote_paragraph_narration"] == 1.0
    assert rows[30]["b"]["quote_most_recent"] == 0.0 and rows[30]["b"]["most_recent"] == 1.0


def test_previous_sentence_subject_feature_for_a_subject_pronoun() -> None:
    # Bram sat. Cole watched Bram. "Wait." He stood.  (the quote names no subject)
    mentions = [
        MentionRef(0, 4, "Bram", "name", "b", role="nsubj"),
        MentionRef(10, 14, "Cole", "name", "c", role="nsubj"),
        MentionRef(23, 27, "Bram", "name", "b", role="dobj"),
        MentionRef(40, 42, "He", "pronoun", None, role="nsubj", pronoun="male"),
        MentionRef(50, 53, "his", "pronoun", None, role="poss", pronoun="male"),
    ]
    rows: dict[int, dict[str, dict[str, float]]] = {}
    resolve_pronouns(
        mentions,
        lambda _c: "male",
        [0, 10, 30, 40, 48],
        [0],
        [],
        None,
        record=lambda m, cands, r: rows.setdefault(m.start, dict(zip(cands, r, strict=True))),
    )
    assert rows[40]["c"]["previous_subject"] == 1.0  # Cole led the last sentence with one
    assert rows[40]["b"]["previous_subject"] == 0.0
    assert rows[50]["c"]["previous_subject"] == 0.0  # a possessive, not a subject


def test_a_character_named_only_as_i_or_we_is_never_he_or_she() -> None:
    # A cast entry whose only names are personal pronouns speaks or listens; a "he"
    # after it means someone else.
    mentions = [
        MentionRef(0, 4, "Oren", "name", "o", role="nsubj"),
        MentionRef(20, 22, "We", "name", "w", role="nsubj"),
        MentionRef(30, 32, "he", "pronoun", None, role="nsubj", pronoun="male"),
    ]
    out = resolve_pronouns(
        mentions, lambda c: "male" if c == "o" else "unknown", [0, 20, 30], [0], [], None
    )
    assert out[-1].character == "o"


def test_role_features_follow_the_pronouns_own_role() -> None:
    # Bram thanked Cole. His hat fell. He laughed. Tess saw him.
    mentions = [
        MentionRef(0, 4, "Bram", "name", "b", role="nsubj"),
        MentionRef(12, 16, "Cole", "name", "c", role="dobj"),
        MentionRef(18, 21, "His", "pronoun", None, role="poss", pronoun="male"),
        MentionRef(31, 33, "He", "pronoun", None, role="nsubj", pronoun="male"),
        MentionRef(43, 47, "Tess", "name", "t", role="nsubj"),
        MentionRef(52, 55, "him", "pronoun", None, role="dobj", pronoun="male"),
    ]
    rows: dict[int, dict[str, dict[str, float]]] = {}
    resolve_pronouns(
        mentions,
        lambda c: "female" if c == "t" else "male",
        [0, 18, 31, 43],
        [0],
        [],
        None,
        record=lambda m, cands, r: rows.setdefault(m.start, dict(zip(cands, r, strict=True))),
    )
    his, he, him = rows[18], rows[31], rows[52]
    assert his["b"]["poss_last_subject"] == 1.0 and his["c"]["poss_last_subject"] == 0.0
    assert his["c"]["poss_most_recent"] == 1.0 and his["b"]["subject_last_subject"] == 0.0
    assert all(row["subject_last_subject"] == row["last_subject"] for row in he.values())
    assert all(row["poss_most_recent"] == 0.0 for row in he.values())
    linked = [c for c in him if him[c]["object_last_subject"] == 1.0]
    assert all(him[c]["subject_last_subject"] == 0.0 for c in him) and linked


def test_sole_candidate_features_mark_the_only_character_on_stage_lately() -> None:
    # Nell met Ruth. (new paragraph) Vera came in. ... ... She sat.
    mentions = [
        MentionRef(0, 4, "Nell", "name", "n", role="nsubj"),
        MentionRef(9, 13, "Ruth", "name", "r", role="dobj"),
        MentionRef(20, 24, "Vera", "name", "v", role="nsubj"),
        MentionRef(60, 63, "She", "pronoun", None, role="nsubj", pronoun="female"),
    ]
    rows: dict[str, dict[str, float]] = {}
    resolve_pronouns(
        mentions,
        lambda _c: "female",
        [0, 20, 35, 48, 60],
        [0, 20],
        [],
        None,
        record=lambda m, cands, r: rows.update(zip(cands, r, strict=True)),
    )
    # Vera is the only woman named in this paragraph; three sentences back, she is also
    # the only one in the window (Nell and Ruth were four sentences ago).
    assert rows["v"]["sole_in_paragraph"] == 1.0 and rows["v"]["sole_in_window"] == 0.0
    assert rows["n"]["sole_in_paragraph"] == 0.0 and rows["r"]["sole_in_window"] == 0.0


def test_sole_in_window_needs_no_rival_in_the_last_two_sentences() -> None:
    # Nell waved. Ruth nodded. She left.  /  Nell waved. It rained. She left.
    close = [
        MentionRef(0, 4, "Nell", "name", "n", role="nsubj"),
        MentionRef(12, 16, "Ruth", "name", "r", role="nsubj"),
        MentionRef(24, 27, "She", "pronoun", None, role="nsubj", pronoun="female"),
    ]
    alone = [
        MentionRef(0, 4, "Nell", "name", "n", role="nsubj"),
        MentionRef(40, 43, "She", "pronoun", None, role="nsubj", pronoun="female"),
    ]
    for mentions, starts, want in ((close, [0, 12, 24], 0.0), (alone, [0, 25, 40], 1.0)):
        rows: dict[str, dict[str, float]] = {}
        resolve_pronouns(
            mentions,
            lambda _c: "female",
            starts,
            [0],
            [],
            None,
            record=lambda m, cands, r, rows=rows: rows.update(zip(cands, r, strict=True)),
        )
        assert rows["n"]["sole_in_window"] == want


def test_a_narrator_named_once_in_apposition_is_found_and_speaks() -> None:
    text = (
        "I, Maud Ellery, of the Fen Farm, set down what happened that winter. I was "
        "alone in the kitchen when the carter knocked, and I let him in.\n\n"
        '"It is cold out," he said.\n\n'
        '"Then sit by the fire," I said, and I gave him the stool.\n\n'
        '"I, John, will not forget it," he said.\n'
    )
    a = ficlens.analyze(text)
    narrator = next(c for c in a.characters if c.name == "Maud Ellery")
    fire = next(q for q in a.quotes if "sit by the fire" in a.text[q.start : q.end])
    assert fire.speaker == narrator.id
    assert not any(c.name == "Narrator" for c in a.characters)
    john = next(q for q in a.quotes if "I, John" in a.text[q.start : q.end])
    assert john.speaker != narrator.id  # "I, John," inside a quotation names its speaker
    i_links = {m.character for m in a.mentions if a.text[m.start : m.end] == "I" and m.start < 90}
    assert i_links == {narrator.id}


def test_a_letters_you_is_the_person_its_salutation_names() -> None:
    text = (
        "Dear Ada,\n\n"
        "I arrived on Tuesday and the house is colder than you said it would be. Your "
        "brother sends his love, and I think you would laugh at the state of the garden.\n\n"
        "Yours ever,\n\n"
        "Ben Okafor\n\n"
        "He posted it the next morning. If you have ever waited for a reply, you know how "
        "the days went.\n"
    )
    cast: list[dict[str, object]] = [
        {"id": "ada", "name": "Ada Price", "aliases": ["Ada"]},
        {"id": "ben", "name": "Ben Okafor", "aliases": ["Ben"]},
    ]
    a = ficlens.analyze(text, characters=cast)
    sign_off = a.text.index("Yours ever")
    inside = [
        m.character
        for m in a.mentions
        if a.text[m.start : m.end].lower() in ("you", "your") and m.start < sign_off
    ]
    assert inside and set(inside) == {"ada"}
    after = [m for m in a.mentions if a.text[m.start : m.end] == "you" and m.start > sign_off]
    assert not after  # the narration's "you" after the letter is nobody


def test_a_headed_letters_i_is_its_writer_and_you_its_addressee() -> None:
    text = (
        "LETTER ONE\n\n"
        "MISS ADA PRICE TO MR. BEN OKAFOR\n\n"
        "I have your parcel, and I thank you for it with all my heart.\n\n"
        "LETTER TWO\n\n"
        "MR. BEN OKAFOR TO MISS ADA PRICE\n\n"
        "I am glad the parcel came safely; you must tell me if the jar broke.\n"
    )
    cast: list[dict[str, object]] = [
        {"id": "ada", "name": "Ada Price", "aliases": ["MISS ADA PRICE", "Ada"]},
        {"id": "ben", "name": "Ben Okafor", "aliases": ["MR. BEN OKAFOR", "Ben"]},
    ]
    a = ficlens.analyze(text, characters=cast)
    second = a.text.index("LETTER TWO")

    def links(word: str, first_letter: bool) -> set[str]:
        return {
            m.character
            for m in a.mentions
            if a.text[m.start : m.end] == word and (m.start < second) == first_letter
        }

    assert links("I", True) == {"ada"} and links("you", True) == {"ben"}
    assert links("I", False) == {"ben"} and links("you", False) == {"ada"}


def test_a_quoted_letters_i_is_its_signer_and_you_the_narrator_who_got_it() -> None:
    text = (
        "The clerk came back with a letter for me, and I read it by the window:--\n\n"
        '"Sir.--I shall call on you at noon. I trust you will be at home, for my '
        'business will not wait.\n\n"Yours faithfully,\n\n"VANTRELL."\n\n'
        "I folded it and I went out.\n"
    )
    cast: list[dict[str, object]] = [
        {"id": "vantrell", "name": "Count Vantrell", "aliases": ["Count Vantrell"]},
    ]
    a = ficlens.analyze(text, characters=cast)
    body = a.text.index('"Sir'), a.text.index('"Yours')
    inside = {
        a.text[m.start : m.end]: m.character
        for m in a.mentions
        if body[0] <= m.start < body[1] and a.text[m.start : m.end] in ("I", "my", "you")
    }
    narrator = {
        m.character
        for m in a.mentions
        if a.text[m.start : m.end] == "I" and not body[0] <= m.start < body[1]
    }
    assert inside["I"] == inside["my"] == "vantrell"
    assert len(narrator) == 1 and inside["you"] in narrator != {"vantrell"}


def test_a_signature_that_names_no_one_makes_no_writer() -> None:
    text = (
        "A boy brought a note, and I read it on the step:--\n\n"
        '"Sir.--I shall call at noon.\n\n"Yours faithfully,\n\n"A FRIEND."\n\n'
        "I did not know the hand.\n"
    )
    cast: list[dict[str, object]] = [{"id": "ned", "name": "Ned Ashby", "aliases": ["Ned"]}]
    a = ficlens.analyze(text, characters=cast)
    note = a.text.index('"Sir'), a.text.index('"Yours')
    assert not any(note[0] <= m.start < note[1] for m in a.mentions)


def test_a_titled_mans_surname_alone_is_him_unless_another_title_says_not() -> None:
    cast: list[dict[str, object]] = [
        {"id": "pell", "name": "Mr. Pell", "aliases": ["Mr. Pell"]},
        {"id": "orme", "name": "Count Orme", "aliases": ["Count Orme"]},
        {"id": "vey", "name": "Miss Vey", "aliases": ["Miss Vey"]},
    ]
    text = "Pell sighed. Orme bowed to him. Vey laughed. Mrs. Pell came in late.\n"
    a = ficlens.analyze(text, characters=cast)
    names = {(a.text[m.start : m.end], m.character) for m in a.mentions if m.kind == "name"}
    assert names == {("Pell", "pell"), ("Orme", "orme")}  # not Mrs. Pell, not bare "Vey"


def test_a_short_line_with_to_between_two_names_is_no_letter_heading() -> None:
    text = "Ada ran to Ben.\n\nI watched them from the window and I said nothing.\n"
    cast: list[dict[str, object]] = [
        {"id": "ada", "name": "Ada Price", "aliases": ["Ada"]},
        {"id": "ben", "name": "Ben Okafor", "aliases": ["Ben"]},
        {"id": "me", "name": "Narrator", "aliases": ["I"]},
    ]
    assert set(_links(text, cast, "I")) == {"me"}


def test_a_speech_tags_pronoun_is_not_whom_its_quotation_names() -> None:
    cast: list[dict[str, object]] = [
        {"id": "ben", "name": "Ben", "aliases": ["Ben"]},
        {"id": "tom", "name": "Tom", "aliases": ["Tom"]},
        {"id": "ada", "name": "Ada", "aliases": ["Ada"]},
    ]
    opening = "Ben waited at the gate with Ada. The rain had stopped.\n\n"
    after = '"Tom promised to come at noon, and Tom is never late," he said.\n'
    before = 'He said, "Tom promised to come at noon, and Tom is never late."\n'
    assert _links(opening + after, cast, "he") == ["ben"]
    assert _links(opening + before, cast, "He") == ["ben"]


def test_a_pronoun_after_a_quotation_but_no_tag_may_be_whom_it_names() -> None:
    cast: list[dict[str, object]] = [
        {"id": "ben", "name": "Ben", "aliases": ["Ben"]},
        {"id": "tom", "name": "Tom", "aliases": ["Tom"]},
        {"id": "ada", "name": "Ada", "aliases": ["Ada"]},
    ]
    text = (
        "Ben had gone home an hour ago. Ada waited at the gate. The rain had stopped.\n\n"
        '"Look, Tom is here at last." He came up the path, shaking off the rain.\n'
    )
    assert _links(text, cast, "He") == ["tom"]  # "came" tags nothing


def test_a_silence_after_a_call_or_a_quotation_a_paragraph_before_is_no_tag() -> None:
    cast: list[dict[str, object]] = [
        {"id": "jon", "name": "Jon", "aliases": ["Jon"]},
        {"id": "mara", "name": "Mara", "aliases": ["Mara"]},
        {"id": "lise", "name": "Lise", "aliases": ["Lise"]},
    ]
    opening = "Lise had gone to bed an hour ago. Jon held the phone to his ear.\n\n"
    assert _links(opening + '"Mara?"\n\nShe does not answer.\n', cast, "She") == ["mara"]
    assert _links(opening + '"Mara?" She did not answer.\n', cast, "She") == ["mara"]


def test_the_rank_names_the_one_cast_member_holding_it_never_a_judge() -> None:
    from ficlens.characters.mentions import alias_owners, alias_pattern
    from ficlens.model import Character

    cast = [
        Character(id="j", name="Judge Pellow", aliases=["Judge Pellow"]),
        Character(id="d", name="Dr. Ansel Rook", aliases=["Dr. Rook"]),
        Character(id="c1", name="Captain Vey", aliases=["Captain Vey"]),
        Character(id="c2", name="Captain Orme", aliases=["Captain Orme"]),
    ]
    owners = alias_owners(cast)
    assert owners["the Judge"] == ["j"] and owners["the Doctor"] == ["d"]
    assert "the Captain" not in owners  # two captains: the rank alone is anyone's
    pattern = alias_pattern(list(owners))
    assert pattern is not None
    found = [m.group(0) for m in pattern.finditer("The Judge nodded; the\ndoctor frowned.")]
    assert found == ["The Judge", "the\ndoctor"]
    assert not list(pattern.finditer("a judge came, and a doctor, and the captain"))


def test_a_quantified_entry_is_no_antecedent_beyond_its_sentence() -> None:
    mentions = [
        MentionRef(0, 5, "Maren", "name", "m", role="nsubj"),
        MentionRef(20, 29, "Every man", "name", "e", role="nsubj"),
        MentionRef(40, 43, "his", "pronoun", None, role="poss", pronoun="male"),
        MentionRef(60, 62, "He", "pronoun", None, role="nsubj", pronoun="male"),
    ]
    seen: list[list[str]] = []
    resolve_pronouns(
        mentions,
        lambda _c: "male",
        [0, 20, 50],
        [0],
        [],
        None,
        quantified=frozenset({"e"}),
        record=lambda m, cands, rows: seen.append(sorted(cands)),
    )
    assert seen == [["e", "m"], ["m"]]  # "Every man loves his ..." but not the next "He"


def test_governing_subject_feature_and_quantified_names() -> None:
    from ficlens.characters.number import is_quantified

    assert is_quantified("Every man") and is_quantified("some one") and is_quantified("nobody")
    assert not is_quantified("Noah") and not is_quantified("Everett Lane")
    mentions = [
        MentionRef(0, 4, "Bram", "name", "b", role="nsubj"),
        MentionRef(20, 24, "Cole", "name", "c", role="nsubj"),
        MentionRef(30, 32, "he", "pronoun", None, role="nsubj", pronoun="male"),
    ]
    rows: dict[str, dict[str, float]] = {}
    resolve_pronouns(
        mentions,
        lambda _c: "male",
        [0, 20],
        [0],
        [],
        None,
        governing_subject=lambda m: 20 if m.start == 30 else None,
        record=lambda m, cands, r: rows.update(zip(cands, r, strict=True)),
    )
    assert rows["c"]["governing_subject"] == 1.0 and rows["c"]["subject_governing_subject"]
    assert rows["b"]["governing_subject"] == 0.0


def test_clause_subjects_reach_through_conjoined_and_controlled_verbs() -> None:
    text = (
        "Arlo slept by the window. Tobias Holt stood up and shook his head.\n\n"
        "Arlo slept by the window. Tobias Holt began scolding one of his dogs.\n"
    )
    cast: list[dict[str, object]] = [
        {"id": "a", "name": "Arlo", "aliases": ["Arlo"], "gender": "male"},
        {"id": "t", "name": "Tobias Holt", "aliases": ["Tobias"], "gender": "male"},
    ]
    assert _links(text, cast, "his") == ["t", "t"]


def test_name_features_count_from_the_last_name_not_the_last_pronoun() -> None:
    # Nell waved. Ruth nodded. Her hat fell. She left.
    mentions = [
        MentionRef(0, 4, "Nell", "name", "n", role="nsubj"),
        MentionRef(12, 16, "Ruth", "name", "r", role="nsubj"),
        MentionRef(25, 28, "Her", "pronoun", None, role="poss", pronoun="female"),
        MentionRef(38, 41, "She", "pronoun", None, role="nsubj", pronoun="female"),
    ]
    rows: dict[int, dict[str, dict[str, float]]] = {}
    out = resolve_pronouns(
        mentions,
        lambda _c: "female",
        [0, 12, 25, 38],
        [0],
        [],
        None,
        record=lambda m, cands, r: rows.setdefault(m.start, dict(zip(cands, r, strict=True))),
    )
    linked = out[2].character
    assert linked in ("n", "r")
    she = rows[38]
    # the "Her" link makes its character the latest mentioned, but not the latest named
    assert she[linked]["sentence_distance"] == pytest.approx(math.log1p(1))
    assert she["n"]["name_distance"] == pytest.approx(math.log1p(3))
    assert she["r"]["name_distance"] == pytest.approx(math.log1p(2))
    assert she["r"]["name_most_recent"] == 1.0 and she["n"]["name_most_recent"] == 0.0


def test_recency_subject_and_sole_gender_interactions() -> None:
    # Nell saw Ash. She left.  (Ash's gender is unknown)
    mentions = [
        MentionRef(0, 4, "Nell", "name", "n", role="nsubj"),
        MentionRef(9, 12, "Ash", "name", "a", role="dobj"),
        MentionRef(14, 17, "She", "pronoun", None, role="nsubj", pronoun="female"),
    ]
    rows: dict[str, dict[str, float]] = {}
    resolve_pronouns(
        mentions,
        lambda c: "female" if c == "n" else "unknown",
        [0, 14],
        [0],
        [],
        None,
        record=lambda m, cands, r: rows.update(zip(cands, r, strict=True)),
    )
    assert rows["a"]["recent_same_paragraph"] == 1.0 and rows["n"]["recent_same_paragraph"] == 0.0
    assert rows["n"]["subject_distance"] == pytest.approx(math.log1p(1))
    assert rows["a"]["subject_distance"] == 0.0
    assert rows["n"]["sole_known_gender"] == 1.0 and rows["a"]["sole_known_gender"] == 0.0


def test_a_rank_that_also_names_a_described_entry_means_whichever_holder_came_last() -> None:
    """A cast with "The Doctor" (known by nothing else) and "Doctor Rook": "the doctor"
    is the described doctor until Rook is named, then Rook."""
    cast = [
        {"id": "doc", "name": "The Doctor", "aliases": []},
        {"id": "rook", "name": "Doctor Rook", "aliases": ["Mr. Rook"]},
        {"id": "ada", "name": "Ada Price", "aliases": ["Ada"]},
    ]
    text = (
        "Ada lay ill all winter, and the doctor came every morning.\n\n"
        "In spring she went to the coast, where Mr. Rook kept a practice by the harbour.\n\n"
        "The doctor listened to her chest and shook his head.\n"
    )
    a = ficlens.analyze(text, characters=cast)
    doctors = [m.character for m in a.mentions if a.text[m.start : m.end].lower() == "the doctor"]
    assert doctors == ["doc", "rook"]


def test_a_kinship_nominal_is_the_relative_and_an_antecedent() -> None:
    """ "Her father", Evie's, is the cast's Mr. Wilcox, and the "He" after it means him."""
    cast: list[dict[str, object]] = [
        {"id": "paul", "name": "Paul Wilcox", "aliases": ["Paul"]},
        {"id": "evie", "name": "Evie Wilcox", "aliases": ["Evie"]},
        {"id": "henry", "name": "Mr. Wilcox", "aliases": ["Henry Wilcox"]},
    ]
    text = (
        "Paul rose to his feet and laughed.\n\n"
        "Evie stood to leave. Her father kissed her. He smiled at Paul.\n"
    )
    assert _links(text, cast, "Her father") == ["henry"]
    assert _links(text, cast, "He") == ["henry"]


def test_a_subject_pronoun_never_means_a_name_its_own_verb_governs() -> None:
    cast: list[dict[str, object]] = [
        {"id": "tom", "name": "Tom Ash", "aliases": ["Tom"]},
        {"id": "ned", "name": "Ned Bly", "aliases": ["Ned"]},
    ]
    text = "Tom Ash sat by the stove.\n\nNed came in from the rain. He nodded to Ned.\n"
    assert _links(text, cast, "He") == ["tom"]
