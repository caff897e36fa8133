"""Unnamed speakers known by a description, and people who share a surname."""

from __future__ import annotations

import ficlens
from ficlens.characters.clustering import cluster_names
from ficlens.characters.nominals import noun_gender


def _speaker_names(text: str) -> list[tuple[str, str | None]]:
    a = ficlens.analyze(text)
    names = {c.id: c.name for c in a.characters}
    return [(text[q.start : q.end], names.get(q.speaker or "")) for q in a.quotes if q.speech]


def test_the_maid_speaking_becomes_a_character_with_her_quote() -> None:
    text = (
        "Tobias Wren sat alone in the library, reading by the fire.\n\n"
        "The door opened quietly.\n\n"
        '"Your tea is ready, sir," said the maid.\n\n'
        "Tobias Wren put down his book and looked up.\n"
    )
    a = ficlens.analyze(text)
    maid = next((c for c in a.characters if c.name == "the maid"), None)
    assert maid is not None
    assert maid.gender == "female"
    assert "the maid" in maid.aliases
    quote = next(q for q in a.quotes if q.speech)
    assert quote.speaker == maid.id
    kinds = {m.kind for m in a.mentions if m.character == maid.id}
    assert kinds == {"nominal"}


def test_the_girl_right_after_a_named_girl_is_not_a_new_character() -> None:
    text = (
        "Maren Holt came into the kitchen with a basket of apples.\n\n"
        '"It is cold out there," said the girl.\n\n'
        "Maren Holt set the basket down by the stove.\n"
    )
    a = ficlens.analyze(text)
    assert not any(c.name == "the girl" for c in a.characters)
    assert [c.name for c in a.characters] == ["Maren Holt"]


def test_descriptions_that_are_not_people_do_not_speak() -> None:
    text = (
        "Tobias Wren opened the envelope at the table.\n\n"
        '"Come at once," said the letter.\n\n'
        "Tobias Wren read it twice and went out.\n"
    )
    a = ficlens.analyze(text)
    assert not any(c.name == "the letter" for c in a.characters)


def test_noun_gender() -> None:
    assert noun_gender("maid") == "female"
    assert noun_gender("coachman") == "male"
    assert noun_gender("parlourmaid") == "female"
    assert noun_gender("doctor") == "unknown"


def test_father_and_son_sharing_a_surname_stay_two_when_the_text_shows_two() -> None:
    counts = {"Arthur Pell": 6, "Arthur": 30, "Mr. Pell": 20}
    together = {
        "Mr. Pell": {"Arthur": 4},
        "Arthur": {"Mr. Pell": 4},
    }
    clusters, _ = cluster_names(counts, together=together)
    groups = [set(c.surfaces) for c in clusters]
    assert {"Arthur Pell", "Arthur"} in groups
    assert {"Mr. Pell"} in groups


def test_title_form_and_full_name_merge_when_nothing_separates_them() -> None:
    counts = {"John Pell": 6, "John": 30, "Mr. Pell": 20}
    together = {"Mr. Pell": {"Miss Ada": 3}}  # meeting someone else proves nothing
    clusters, _ = cluster_names(counts, together=together)
    assert [set(c.surfaces) for c in clusters] == [{"John Pell", "John", "Mr. Pell"}]


def test_father_and_son_in_a_text() -> None:
    text = (
        "Mr. Pell and George came down the lane together. Mr. Pell walked ahead of George.\n\n"
        '"We are late," said Mr. Pell.\n\n'
        '"We are always late," said George Pell.\n\n'
        "George laughed, and Mr. Pell shook his head at George.\n"
    )
    a = ficlens.analyze(text)
    by_alias = {alias: c.id for c in a.characters for alias in c.aliases}
    assert "Mr. Pell" in by_alias and "George Pell" in by_alias
    assert by_alias["Mr. Pell"] != by_alias["George Pell"]
    speakers = [q.speaker for q in a.quotes if q.speech]
    assert speakers == [by_alias["Mr. Pell"], by_alias["George Pell"]]


def test_miss_and_mrs_with_one_surname_are_two_women() -> None:
    clusters, _ = cluster_names({"Ada Pell": 5, "Ada": 20, "Mrs. Pell": 12, "Miss Pell": 8})
    groups = [set(c.surfaces) for c in clusters]
    assert {"Ada Pell", "Ada", "Miss Pell"} in groups
    assert {"Mrs. Pell"} in groups


def test_miss_and_surname_is_not_the_sister_called_miss_with_her_given_name() -> None:
    counts = {"Hester Orme": 5, "Miss Hester Orme": 2, "Hester": 20, "Miss Orme": 6}
    clusters, _ = cluster_names(counts)
    groups = [set(c.surfaces) for c in clusters]
    assert {"Hester Orme", "Miss Hester Orme", "Hester"} in groups
    assert {"Miss Orme"} in groups


def test_a_title_form_of_the_other_gender_does_not_join_a_full_name() -> None:
    clusters, _ = cluster_names({"John Pell": 5, "Mr. John Pell": 2, "Mrs. John Pell": 2})
    wife = next(c for c in clusters if "Mrs. John Pell" in c.surfaces)
    assert set(wife.surfaces) == {"Mrs. John Pell"}
    assert wife.best_name() == "Mrs. John Pell"


def test_a_reply_to_a_named_speaker_is_someone_else() -> None:
    text = (
        "Edwin Marsh walked along the river at dusk.\n\n"
        '"Is this the road to the mill?" asked Edwin Marsh.\n\n'
        '"It is, sir," said the ferryman. "Keep to the left."\n\n'
        '"Thank you," said Edwin Marsh.\n\n'
        '"Mind the ford," answered the ferryman.\n'
    )
    a = ficlens.analyze(text)
    ferryman = next((c for c in a.characters if c.name == "the ferryman"), None)
    assert ferryman is not None
    speakers = [q.speaker for q in a.quotes if q.speech]
    assert speakers[1] == ferryman.id and speakers[-1] == ferryman.id


def test_an_inverted_tag_with_any_speech_verb_and_a_title_used_as_a_name() -> None:
    text = (
        "Edwin Marsh knocked twice and waited on the step.\n\n"
        '"Come in," nodded the porter.\n\n'
        "Edwin Marsh went up to the office on the second floor.\n\n"
        '"You are late," said the Registrar, without looking up.\n'
    )
    a = ficlens.analyze(text)
    names = {c.name.lower() for c in a.characters}
    assert {"the porter", "the registrar"} <= names


def test_an_object_after_a_verb_in_narration_does_not_speak() -> None:
    text = (
        "Edwin Marsh sat by the window with Hester Lane.\n\n"
        "Edwin Marsh resumed the argument, and Hester Lane announced the verdict.\n\n"
        '"Enough," said Hester Lane.\n'
    )
    a = ficlens.analyze(text)
    assert not any(c.name in ("the argument", "the verdict") for c in a.characters)


def test_a_description_with_an_identifying_phrase_is_its_own_speaker() -> None:
    text = (
        "The board sat round the long table while Hester Lane waited by the door.\n\n"
        '"Bring the boy in," said the gentleman in the grey coat.\n\n'
        "Hester Lane fetched the boy.\n\n"
        '"He looks thin," said the gentleman in the grey coat.\n'
    )
    a = ficlens.analyze(text)
    names = {c.name for c in a.characters}
    assert "the gentleman in the grey coat" in names


def test_a_speech_verb_clause_that_a_quotation_follows_or_interrupts_is_a_tag() -> None:
    text = (
        "Hester Lane rang at the tall house in the square.\n\n"
        'The steward opened the door and announced: "Miss Lane, madam."\n\n'
        '"The mistress," the steward continued, "will see you now."\n\n'
        '"I am sorry, sir," said this emissary, "the carriage is gone."\n'
    )
    a = ficlens.analyze(text)
    names = {c.name for c in a.characters}
    assert "the steward" in names and "the emissary" in names


def test_a_description_whose_relative_clause_tags_a_quotation_speaks() -> None:
    text = (
        "Hester Lane climbed the stairs of the old house. At the top she was met by the\n"
        "porter, who said,\n\n"
        '"Nobody has lived here for a year."\n\n'
        "Hester Lane thanked him and went down again.\n"
    )
    a = ficlens.analyze(text)
    porter = next((c for c in a.characters if c.name == "the porter"), None)
    assert porter is not None
    assert [q.speaker for q in a.quotes if q.speech] == [porter.id]


def test_a_description_going_on_to_speak_in_a_later_verb_speaks() -> None:
    text = (
        "Hester Lane sat by the stove, waiting for the kettle.\n\n"
        "After some minutes a small boy looked in to say,\n\n"
        '"The cart is here for the trunks."\n\n'
        "Hester Lane rose and went out.\n"
    )
    a = ficlens.analyze(text)
    boy = next((c for c in a.characters if c.name == "the small boy"), None)
    assert boy is not None
    assert [q.speaker for q in a.quotes if q.speech] == [boy.id]


def test_a_thing_going_on_to_speak_in_a_later_verb_is_no_one() -> None:
    text = (
        "Hester Lane sat by the stove, waiting for the kettle.\n\n"
        "After some minutes a sudden gust came in to say,\n\n"
        '"The cart is here for the trunks."\n\n'
        "Hester Lane rose and went out.\n"
    )
    assert not any("gust" in c.name for c in ficlens.analyze(text).characters)


def test_a_described_person_a_pronoun_tag_can_only_mean_speaks() -> None:
    text = (
        "Hester Lane and her brother walked up from the quay to the inn.\n\n"
        "At the side door a waiter came out to meet them, bowing low.\n\n"
        '"Your rooms are ready, madam," he said. "The cart brought your trunks."\n\n'
        "Hester Lane thanked him and went up.\n"
    )
    a = ficlens.analyze(text)
    waiter = next((c for c in a.characters if c.name == "the waiter"), None)
    assert waiter is not None
    assert {q.speaker for q in a.quotes if q.speech} == {waiter.id}


def test_a_thing_described_after_the_person_does_not_hide_who_the_pronoun_means() -> None:
    text = (
        "Hester Lane and her brother waited in the empty yard of the inn.\n\n"
        "Across the yard a tall man was walking towards them. At the first glance "
        "the coat looked new.\n\n"
        '"Your rooms are ready, madam," he said. "The cart brought your trunks."\n\n'
        "Hester Lane thanked him and went up.\n"
    )
    a = ficlens.analyze(text)
    man = next((c for c in a.characters if c.name == "the tall man"), None)
    assert man is not None
    assert {q.speaker for q in a.quotes if q.speech} == {man.id}


def test_a_person_the_narrator_meets_is_who_the_next_pronoun_tag_means() -> None:
    text = (
        "I walked up from the quay to the inn in the rain.\n\n"
        "At the side door I met the housekeeper and asked for a room.\n\n"
        '"There is one left at the top," she said. "It is small but dry."\n\n'
        "I thanked her and went up.\n"
    )
    a = ficlens.analyze(text)
    keeper = next((c for c in a.characters if c.name == "the housekeeper"), None)
    assert keeper is not None
    assert {q.speaker for q in a.quotes if q.speech} == {keeper.id}


def test_a_pronoun_tag_after_a_named_person_makes_no_described_speaker() -> None:
    text = (
        "Hester Lane and her brother walked up from the quay to the inn.\n\n"
        "At the side door a waiter came out, and Tobias Wren followed him.\n\n"
        '"Your rooms are ready, madam," he said. "The cart brought your trunks."\n\n'
        "Hester Lane thanked him and went up.\n"
    )
    assert not any("waiter" in c.name for c in ficlens.analyze(text).characters)


def test_one_of_a_group_who_speaks() -> None:
    text = (
        "Hester Lane came into the yard where the carters were resting.\n\n"
        '"Is the road open?" asked Hester Lane.\n\n'
        '"Not past the bridge," said one of the carters.\n'
    )
    a = ficlens.analyze(text)
    assert any(c.name == "one of the carters" for c in a.characters)


def test_a_described_person_who_then_speaks_is_named_by_the_introduction() -> None:
    text = (
        "Hester Lane crossed the yard to the gate. There she met a stout porter with a "
        "lantern in his hand.\n\n"
        '"What do you want?" said the porter.\n\n'
        '"My brother," said Hester Lane.\n\n'
        '"He is gone," replied the porter.\n'
    )
    a = ficlens.analyze(text)
    porter = next(c for c in a.characters if "porter" in c.name)
    assert porter.name == "the stout porter"
    assert {"a stout porter", "the porter"} <= set(porter.aliases)
    spoken = [q.speaker for q in a.quotes if q.speech]
    assert spoken.count(porter.id) == 2


def test_a_title_of_nobility_before_a_given_name_is_that_person() -> None:
    clusters, _ = cluster_names({"Ilse Varga": 6, "Ilse": 20, "Countess Ilse": 2})
    groups = [set(c.surfaces) for c in clusters]
    assert {"Ilse Varga", "Ilse", "Countess Ilse"} in groups


def test_a_description_that_speaks_where_no_one_is_quoted_is_no_one() -> None:
    text = (
        "Hester Lane sat at the back of the hall.\n\n"
        "The lecturer murmured on about the harvest for an hour.\n\n"
        "Hester Lane fell asleep, and the scene suggested a schoolroom.\n"
    )
    a = ficlens.analyze(text)
    assert not any(c.name in ("the lecturer", "the scene") for c in a.characters)
    quoted = text.replace("for an hour.\n", 'for an hour. "Wheat," he said, "is life."\n')
    assert any(c.name == "the lecturer" for c in ficlens.analyze(quoted).characters)


def test_a_person_known_by_a_calling_is_who_a_pronoun_tag_means() -> None:
    text = (
        "Tobias Wren carried his pages up to the newspaper office on Mill Street.\n\n"
        "The editor read the first page twice and frowned at the window.\n\n"
        '"Nobody will believe a word of it," he said. "Cut the second half."\n\n'
        "Tobias Wren went home to rewrite it.\n"
    )
    a = ficlens.analyze(text)
    editor = next((c for c in a.characters if c.name == "the editor"), None)
    assert editor is not None
    assert {q.speaker for q in a.quotes if q.speech} == {editor.id}


def test_a_named_person_of_the_other_gender_does_not_hide_who_he_is() -> None:
    text = (
        "Hester Lane had been feverish since the storm.\n\n"
        "A surgeon came over from the next valley and talked with Mrs. Orme by the fire.\n\n"
        '"Keep the shutters closed," he said, "and give her broth."\n\n'
        "Mrs. Orme nodded.\n"
    )
    assert any(c.name == "the surgeon" for c in ficlens.analyze(text).characters)
    blocked = text.replace("Mrs. Orme", "Tobias Wren")
    assert not any("surgeon" in c.name for c in ficlens.analyze(blocked).characters)


def test_a_shorter_description_refers_back_to_a_fuller_definite_one() -> None:
    text = (
        "Hester Lane stepped down onto the landing stage with her bag.\n\n"
        '"Where is the mill?" she asked the ferry boy.\n\n'
        '"Up past the church," the boy called back.\n\n'
        "Hester Lane picked up her bag.\n"
    )
    boy = next((c for c in ficlens.analyze(text).characters if "boy" in c.name), None)
    assert boy is not None
    assert boy.name == "the ferry boy"


def test_the_man_refers_back_to_a_person_known_by_a_calling() -> None:
    text = (
        "Hester Lane hurried out into the dark lane.\n\n"
        "A watchman stood under the arch, stamping his feet against the cold.\n\n"
        '"Which way to the quay?" asked Hester Lane.\n\n'
        '"Down the steps," said the man, pointing with his stick.\n'
    )
    a = ficlens.analyze(text)
    watchman = next((c for c in a.characters if "watchman" in c.name), None)
    assert watchman is not None
    assert "the man" not in watchman.aliases
    assert not any(c.name == "the man" for c in a.characters)


def test_a_description_that_counts_one_of_several_is_no_named_persons_epithet() -> None:
    text = (
        "Maren Holt came into the kitchen with a basket of apples, and the maids "
        "followed her.\n\n"
        '"It is cold out there," said the second maid.\n\n'
        "Maren Holt set the basket down by the stove.\n"
    )
    assert any(c.name == "the second maid" for c in ficlens.analyze(text).characters)
    plain = text.replace("the second maid", "the maid")
    assert not any("maid" in c.name for c in ficlens.analyze(plain).characters)


def test_a_description_parsed_as_the_sentence_root_speaks_through_its_verb() -> None:
    # the small model takes "called" for a modifier of "the ferryman", the sentence root
    text = (
        "Hester Lane came down to the quay at dusk.\n\n"
        'The ferryman, who was standing at the rail, called out, "Mind the rope, miss," '
        "and threw it to her.\n\n"
        "Hester Lane caught it.\n"
    )
    a = ficlens.analyze(text)
    ferryman = next((c for c in a.characters if c.name == "the ferryman"), None)
    assert ferryman is not None
    assert {q.speaker for q in a.quotes if q.speech} == {ferryman.id}


def test_an_indefinite_description_brings_in_someone_no_name_explains() -> None:
    text = (
        "Tobias Wren was telling the table about his plans for the mill.\n\n"
        '"Would you sell it, Mr. Crane?"\n\n'
        '"Never to you," broke in a stout, grey gentleman.\n\n'
        "Tobias Wren laughed.\n"
    )
    names = [c.name for c in ficlens.analyze(text).characters]
    assert "the stout, grey gentleman" in names
    definite = text.replace("a stout, grey gentleman", "the gentleman")
    assert not any("gentleman" in c.name for c in ficlens.analyze(definite).characters)


def test_a_description_with_an_identifying_phrase_is_also_known_without_it() -> None:
    text = (
        "Hester Lane sat in the corner of the carriage. A young salesman from the north "
        "folded his newspaper.\n\n"
        '"You will find a room at the inn," said the salesman.\n\n'
        "Hester Lane thanked him.\n"
    )
    a = ficlens.analyze(text)
    salesman = next(c for c in a.characters if "salesman" in c.name)
    assert "a young salesman" in salesman.aliases
    assert "a young salesman from the north" in salesman.aliases


def test_a_description_owned_by_a_common_noun_speaks_as_one_person() -> None:
    text = (
        "Hester Lane came into the ward with a candle. The innkeeper's apprentice was "
        "standing by the fire.\n\n"
        '"You want better coals," said the innkeeper\'s apprentice, poking the grate.\n\n'
        "Hester Lane said nothing.\n"
    )
    names = [c.name for c in ficlens.analyze(text).characters]
    assert "the innkeeper's apprentice" in names
    named = text.replace("innkeeper's", "Colonel's")
    assert not any("apprentice" in c.name for c in ficlens.analyze(named).characters)
