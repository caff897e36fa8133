"""Speaker and addressee attribution on short texts written for these tests."""

from __future__ import annotations

import ficlens
from ficlens.model import Analysis

CAST = [
    {"id": "ada", "name": "Ada Price", "aliases": ["Ada"]},
    {"id": "ben", "name": "Ben Okafor", "aliases": ["Ben"]},
]


def _speakers(a: Analysis) -> list[tuple[str, str | None]]:
    return [(a.text[q.start : q.end], q.speaker) for q in a.quotes if q.speech]


def _by_words(a: Analysis, words: str) -> ficlens.model.Quote:
    return next(q for q in a.quotes if words in a.text[q.start : q.end])


def test_tags_after_before_inside_and_inverted() -> None:
    text = (
        "Ada Price came in from the rain. Ben Okafor was at the stove.\n\n"
        '"You are late," said Ben.\n\n'
        'Ada shrugged and asked, "Is there soup?"\n\n'
        '"No," Ben said, "but there is bread."\n\n'
        '"Bread will do," Ada replied.\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    assert _by_words(a, "You are late").speaker == "ben"
    assert _by_words(a, "Is there soup").speaker == "ada"
    no, bread = _by_words(a, '"No,"'), _by_words(a, "but there is bread")
    assert no.speaker == bread.speaker == "ben"  # one speech interrupted by its tag
    assert _by_words(a, "Bread will do").speaker == "ada"
    assert _by_words(a, "You are late").type == "explicit"


def test_pronoun_tags_and_the_capitalised_tag_error() -> None:
    text = (
        "Ada Price sat on the porch. Ben Okafor leaned on the rail beside her.\n\n"
        '"Please don\'t go." She said. Her voice shook.\n\n'
        '"I have to," he said quietly.\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    first = _by_words(a, "Please don't go")
    assert (first.speaker, first.type) == ("ada", "anaphoric")
    assert _by_words(a, "I have to").speaker == "ben"


def test_action_beat_without_speech_verb() -> None:
    text = (
        "Ada Price and Ben Okafor sat in silence.\n\n"
        'Ben frowns. "We should have left earlier."\n\n'
        'Ada laughs. "You say that every time."\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    assert _by_words(a, "left earlier").speaker == "ben"
    assert _by_words(a, "every time").speaker == "ada"


def test_vocative_names_the_addressee_not_the_speaker() -> None:
    text = (
        "Ada Price found Ben Okafor in the garage.\n\n"
        '"Ben, the car is on fire," she said.\n\n'
        '"I know, Ada," he said.\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    fire = _by_words(a, "the car is on fire")
    assert fire.speaker == "ada" and fire.addressees == ["ben"]
    know = _by_words(a, "I know")
    assert know.speaker == "ben" and know.addressees == ["ada"]


def test_a_name_spoken_about_is_no_vocative() -> None:
    cast = [*CAST, {"id": "cal", "name": "Cal Reyes", "aliases": ["Cal"]}]
    text = (
        "Ada Price, Ben Okafor and Cal Reyes waited at the kerb.\n\n"
        '"Cal\'s taxi is late again," Ada said.\n\n'
        '"It always is," Ben said. "Is that your Cal?"\n'
    )
    a = ficlens.analyze(text, characters=cast)
    taxi = _by_words(a, "taxi is late")
    assert taxi.speaker == "ada" and "cal" not in taxi.addressees  # a possessive
    assert "cal" not in _by_words(a, "always is").addressees  # "your Cal"


def test_a_vocative_without_its_comma_after_a_common_noun() -> None:
    # "some soup Ada?" with the comma missing: the parser reads "soup Ada" as one noun
    # phrase, but no one is called that, so Ada is spoken to.
    text = (
        "Ada Price sat on the step. Ben Okafor came out with two bowls.\n\n"
        '"Do you want some soup Ada?"\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    assert _by_words(a, "some soup").addressees == ["ada"]
    assert _by_words(a, "some soup").speaker == "ben"


def test_an_endearment_before_a_name_makes_it_a_vocative() -> None:
    cast = [
        {"id": "ada", "name": "Ada Price", "aliases": ["Ada"]},
        {"id": "ben", "name": "Ben Okafor", "aliases": ["Ben", "Mr. Okafor"]},
        {"id": "cal", "name": "Cal Reyes", "aliases": ["Cal"]},
    ]
    text = (
        "Ada Price, Cal Reyes and Ben Okafor sat by the fire.\n\n"
        '"My dear Mr. Okafor, the kettle is boiling," said Cal.\n\n'
        '"Then take it off," said Ada.\n'
    )
    a = ficlens.analyze(text, characters=cast)
    assert _by_words(a, "the kettle is boiling").addressees == ["ben"]


def test_a_name_answering_a_question_for_a_name_is_no_vocative() -> None:
    cast = [*CAST, {"id": "cal", "name": "Cal Reyes", "aliases": ["Cal"]}]
    text = (
        "Ada Price and Ben Okafor watched the new neighbour carry boxes in.\n\n"
        '"What is his name?" Ben asked.\n\n'
        '"Cal."\n\n'
        '"Does he have a dog?"\n'
    )
    a = ficlens.analyze(text, characters=cast)
    answer = _by_words(a, "Cal.")
    assert answer.speaker == "ada" and "cal" not in answer.addressees
    assert _by_words(a, "have a dog").speaker == "ben"  # Cal never joined the talk
    called = ficlens.analyze(text.replace("What is his name?", "Is that him?"), characters=cast)
    assert _by_words(called, "Cal.").addressees == ["cal"]  # not asked for a name: a call


def test_untagged_alternation_and_reset_by_scene_break() -> None:
    text = (
        "The phone rang and Ada Price picked it up. It was Ben Okafor.\n\n"
        '"Where are you?" Ada asked.\n\n'
        '"At the station," Ben said.\n\n'
        '"Which one?"\n\n'
        '"The old one by the river."\n\n'
        '"Stay there."\n\n'
        '"Where would I go?"\n\n'
        "* * *\n\n"
        "Hours later the rain stopped.\n\n"
        '"Is anyone there?"\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    expected = {
        "Which one": "ada",
        "old one by the river": "ben",
        "Stay there": "ada",
        "Where would I go": "ben",
    }
    for words, speaker in expected.items():
        assert _by_words(a, words).speaker == speaker, words
    assert all(q.type == "implicit" for q in a.quotes if "Stay there" in a.text[q.start : q.end])
    lonely = _by_words(a, "Is anyone there")
    assert lonely.confidence < _by_words(a, "At the station").confidence


def test_first_person_narrator_speaks_with_i_said() -> None:
    text = (
        "A/N: Told from Ada's POV.\n\n"
        "I walked into the kitchen and Ben Okafor looked up from his book. I sat down.\n\n"
        '"You look tired," he said.\n\n'
        '"I am tired," I said. I rubbed my eyes.\n\n'
        '"Ada, go to bed."\n'
    )
    a = ficlens.analyze(text)
    ids = {c.name: c.id for c in a.characters}
    ada = next(cid for name, cid in ids.items() if name.startswith("Ada"))
    assert _by_words(a, "I am tired").speaker == ada
    assert _by_words(a, "You look tired").speaker != ada
    bed = _by_words(a, "go to bed")
    assert bed.speaker != ada and ada in bed.addressees
    me = [m for m in a.mentions if a.text[m.start : m.end] == "I" and m.start > text.index("I am")]
    assert me and me[0].character == ada  # "I" inside Ada's quote is Ada


def test_quote_counts_and_words_spoken() -> None:
    text = '"Hello there," said Ada Price.\n\n"Hi," said Ben Okafor.\n\n"Bye," said Ada.\n'
    a = ficlens.analyze(text, characters=CAST)
    counts = {c.id: c.quote_count for c in a.characters}
    assert counts == {"ada": 2, "ben": 1}
    assert a.stats.words_spoken["ada"] == 3 and a.stats.words_spoken["ben"] == 1
    assert a.stats.dialogue_share is not None and 0 < a.stats.dialogue_share <= 1


def test_scare_quotes_have_no_speaker() -> None:
    text = (
        'Ada Price had "borrowed" the car again, and Ben Okafor knew it.\n\n'
        '"Where is it?" Ben asked.\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    scare = next(q for q in a.quotes if "borrowed" in a.text[q.start : q.end])
    assert not scare.speech and scare.speaker is None
    assert _by_words(a, "Where is it").speaker == "ben"


def test_phone_call_decided_by_names_and_beats() -> None:
    text = (
        "Ada Price sat on the stairs in the dark. Ben Okafor was asleep when the phone rang.\n\n"
        '"Yeah?" he mumbles.\n\n'
        '"Ben?"\n\n'
        "Her voice was thin and far away.\n\n"
        '"Ada?"\n\n'
        "She doesn't answer.\n\n"
        '"Ada? Talk to me."\n\n'
        'The line goes dead. His face falls. "Great."\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    assert _by_words(a, "Yeah?").speaker == "ben"
    assert _by_words(a, '"Ben?"').speaker == "ada"  # the next turn calls her by name
    assert _by_words(a, '"Ada?"').speaker == "ben"
    assert _by_words(a, "Talk to me").speaker == "ben"  # she does not answer
    assert _by_words(a, "Great").speaker == "ben"  # his face falls


def test_the_next_paragraph_describing_the_voice_names_the_speaker() -> None:
    text = (
        "Ada Price knocked on the door of the flat above the bakery.\n\n"
        '"Who is it?"\n\n'
        "He sounded half asleep. Ada almost left.\n\n"
        '"It\'s me," Ada said.\n\n'
        "Ben Okafor opened the door.\n"
    )
    a = ficlens.analyze(text, characters=CAST)
    assert _by_words(a, "Who is it").speaker == "ben"
    assert _by_words(a, "It's me").speaker == "ada"


def test_a_name_the_parser_takes_for_an_adverb_still_tags_the_speech() -> None:
    cast = [*CAST, {"id": "dolly", "name": "Dolly", "aliases": ["Dolly"]}]
    text = (
        "Ada Price looked at the garden.\n\n"
        '"I would not have minded it, perhaps."\n\n'
        '"Or a cake," said Dolly.\n\n'
        '"Or a pie," Dolly said quietly.\n'
    )
    a = ficlens.analyze(text, characters=cast)
    for words in ("Or a cake", "Or a pie"):
        q = _by_words(a, words)
        assert (q.speaker, q.type) == ("dolly", "explicit")


def test_a_possessed_speech_noun_is_a_tag() -> None:
    text = (
        "Ada Price sat by the fire with Ben Okafor.\n\n"
        '"Nothing ever happens here," said Ada.\n\n'
        '"I thought a storm was coming," was Ben\'s contribution. "Look at the clouds."\n\n'
        "\"Four o'clock!\" was Ada's quick amendment.\n\n"
        '"Why four?" was Ben\'s irritable inquiry.\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    for words, speaker in (("storm", "ben"), ("clouds", "ben"), ("Four", "ada"), ("Why", "ben")):
        q = _by_words(a, words)
        assert (q.speaker, q.type) == (speaker, "explicit")


def test_a_verb_in_a_relative_clause_is_neither_tag_nor_beat() -> None:
    text = (
        "Ada Price walked Ben Okafor to the gate. She said she was tired.\n\n"
        '"Fine." He takes the polite exit she is offering him. "I should leave then."\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    assert _by_words(a, "Fine").speaker == "ben"
    assert _by_words(a, "leave then").speaker == "ben"


def test_a_beats_actor_is_its_sentences_subject_not_an_embedded_clauses() -> None:
    # The parser makes "handing" a complement of "sees", not a relative clause: the beat is
    # still his, not the first-person narrator's, and so are the words around it.
    cast = [{"id": "ada", "name": "Ada Price", "aliases": ["Ada", "I"]}, *CAST[1:]]
    text = (
        "I walked Ben Okafor to the gate that night. I was tired.\n\n"
        '"Fine." He sees the easy out I\u2019m handing him. "I should leave then."\n\n'
        "I nod, and I do not watch him go.\n"
    )
    a = ficlens.analyze(text, characters=cast)
    assert _by_words(a, "Fine").speaker == "ben"
    assert _by_words(a, "leave then").speaker == "ben"


def test_phrasal_inverted_tags_and_sources_of_speech() -> None:
    cast = [*CAST, {"id": "cleo", "name": "Cleo", "aliases": []}]
    text = (
        "Ada Price and Ben Okafor sat on the porch with Cleo.\n\n"
        '"It will rain tonight," put in Cleo.\n\n'
        '"Not a chance," broke in Ben.\n\n'
        '"Hmph!" from Ada, who had hung the washing out.\n\n'
        '"We shall see!" came from Cleo\'s pursed lips.\n\n'
        '"I give it an hour," were Ben\'s words.\n'
    )
    a = ficlens.analyze(text, characters=cast)
    for words, speaker in (
        ("rain tonight", "cleo"),
        ("Not a chance", "ben"),
        ("Hmph", "ada"),
        ("We shall see", "cleo"),
        ("an hour", "ben"),
    ):
        q = _by_words(a, words)
        assert (q.speaker, q.type) == (speaker, "explicit"), words


def test_heard_someone_say_agents_and_by_saying() -> None:
    cast = [*CAST, {"id": "cleo", "name": "Cleo", "aliases": []}]
    text = (
        "Ada Price waited in the hall with Cleo.\n\n"
        '"The train is late again," Ada heard Ben Okafor say behind the door.\n\n'
        "Cleo was reading a letter when she was accosted by Ben, "
        '"Who is it from?"\n\n'
        'Ada broke the silence by saying: "Let us go in."\n'
    )
    a = ficlens.analyze(text, characters=cast)
    assert _by_words(a, "train is late").speaker == "ben"
    assert _by_words(a, "Who is it from").speaker == "ben"
    assert _by_words(a, "Let us go in").speaker == "ada"


def test_a_manner_verb_in_its_own_sentence_is_a_beat_not_a_tag() -> None:
    text = (
        "Ada Price and Ben Okafor stood at the window.\n\n"
        'Ada smiled at the garden. "What a mess," said Ben.\n\n'
        'Ben shrugged. "It was like that when we came."\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    mess = _by_words(a, "What a mess")
    assert (mess.speaker, mess.type) == ("ben", "explicit")
    assert _by_words(a, "like that").type == "implicit"  # a beat, not a speech tag
    assert _by_words(a, "like that").speaker == "ben"


def test_a_name_the_parser_takes_for_a_modal_still_tags_the_speech() -> None:
    cast = [*CAST, {"id": "may", "name": "May", "aliases": []}]
    text = (
        "Ada Price opened the door for May and Ben Okafor.\n\n"
        '"Did it go well, then?" May questioned from the step.\n'
    )
    a = ficlens.analyze(text, characters=cast)
    q = _by_words(a, "go well")
    assert (q.speaker, q.type) == ("may", "explicit")


def test_a_tag_paragraph_running_into_the_speech_and_phrasal_speech_verbs() -> None:
    text = (
        "Ada Price and Ben Okafor waited at the crossing.\n\n"
        "There was a pause, and then Ben said\n\n"
        '"Where has the bus gone?"\n\n'
        'Ada looked at the timetable, frowned, and broke out "Cancelled, of course!"\n\n'
        'Ben spoke. "We walk, then."\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    bus = _by_words(a, "bus gone")
    assert (bus.speaker, bus.type) == ("ben", "explicit")
    cancelled = _by_words(a, "Cancelled")
    assert (cancelled.speaker, cancelled.type) == ("ada", "explicit")
    assert _by_words(a, "We walk").speaker == "ben"


def test_a_clause_after_the_quotation_that_starts_anew_or_leads_on_is_not_its_tag() -> None:
    cast = [*CAST, {"id": "cleo", "name": "Cleo", "aliases": []}]
    text = (
        "Ada Price, Ben Okafor and Cleo sat in the kitchen.\n\n"
        'Ben said, "Tea," while Cleo laughed at the kettle.\n\n'
        'When Cleo came back she asked: "Milk?" Ada looked up and replied:\n\n'
        '"Please, and two sugars."\n'
    )
    a = ficlens.analyze(text, characters=cast)
    assert _by_words(a, "Tea").speaker == "ben"
    assert _by_words(a, "Milk").speaker == "cleo"
    assert _by_words(a, "Please").speaker == "ada"


def test_surname_particles_match_in_either_case() -> None:
    cast = [
        {"id": "hugo", "name": "Mr. Van Der Berg", "aliases": []},
        {"id": "berg", "name": "Berg", "aliases": []},
        {"id": "ada", "name": "Ada Price", "aliases": ["Ada"]},
    ]
    text = 'Ada Price bowed. "It is late," Mr. van der Berg said.\n'
    a = ficlens.analyze(text, characters=cast)
    assert _by_words(a, "It is late").speaker == "hugo"


def test_a_described_character_is_introduced_with_an_indefinite_article() -> None:
    cast = [*CAST, {"id": "porter", "name": "The Grinning Porter", "aliases": []}]
    text = (
        "Ada Price and Ben Okafor stood on the platform with their cases.\n\n"
        '"Carry your bags, miss?" asked a grinning porter.\n\n'
        '"No, thank you," said Ada.\n'
    )
    a = ficlens.analyze(text, characters=cast)
    q = _by_words(a, "Carry your bags")
    assert (q.speaker, q.type) == ("porter", "explicit")


def test_a_described_alias_with_a_describing_word_before_a_common_noun_matches() -> None:
    cast = [*CAST, {"id": "oldwoman", "name": "The Old Woman", "aliases": []}]
    text = (
        "Ada Price and Ben Okafor walked through the orchard.\n\n"
        '"Mind the wasps," called the old woman from the wall.\n\n'
        '"We will," said Ben.\n'
    )
    a = ficlens.analyze(text, characters=cast)
    assert _by_words(a, "Mind the wasps").speaker == "oldwoman"


def test_the_narrators_i_said_is_as_sure_as_a_name() -> None:
    cast = [
        {"id": "nell", "name": "Nell Hart", "aliases": ["Nell"]},
        {"id": "ada", "name": "Ada Price", "aliases": ["Ada"]},
        {"id": "ben", "name": "Ben Okafor", "aliases": ["Ben"]},
    ]
    text = (
        "My name is Nell Hart, and I keep the lighthouse. I had gone down to the shore "
        "when Ada Price and Ben Okafor came along the path, and I waved to them both.\n\n"
        '"You are up early," said Ada.\n\n'
        '"The tide will not wait," I answered, with a glance at Ben.\n\n'
        '"Nor will the ferry," said Ben.\n'
    )
    a = ficlens.analyze(text, characters=cast)
    tide = _by_words(a, "tide will not wait")
    assert tide.speaker == "nell"
    assert tide.confidence > 0.9


def test_a_listed_narrator_speaks_the_narrators_lines() -> None:
    cast = [
        {"id": "me", "name": "Narrator", "aliases": []},
        {"id": "ada", "name": "Ada Price", "aliases": ["Ada"]},
    ]
    text = (
        "I had been walking for an hour when I met Ada Price at the stile. I was tired, "
        "and I said so, and I sat down on the step while she watched me.\n\n"
        '"You look worn out," said Ada.\n\n'
        '"I am," I said. "The hill is longer than I remembered."\n'
    )
    a = ficlens.analyze(text, characters=cast)
    assert _by_words(a, "I am").speaker == "me"
    assert all(c.id in ("me", "ada") for c in a.characters)


def test_a_speaker_going_on_addresses_the_last_other_speaker() -> None:
    # Ada speaks twice in a row: her second line still answers Ben, who spoke before her
    # first one (there is no next turn to fall back on).
    text = (
        "Ada Price came in from the rain. Ben Okafor was at the stove.\n\n"
        '"Where were you?" Ben asked.\n\n'
        '"Out," Ada said.\n\n'
        'Ada hung up her wet coat. "Does it matter?" she said.\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    last = _by_words(a, "Does it matter")
    assert last.speaker == "ada" and last.addressees == ["ben"]
    assert _by_words(a, "Out").addressees == ["ben"]


def test_an_inverted_tag_with_a_possessive_or_a_noun_taken_for_an_adjective_is_a_tag() -> None:
    """'"How?" asked his sister.' and '"When?" cried the stranger.': the parser takes the
    speaker for an object (and "stranger" for an adjective); both are speech tags."""
    text = (
        "Ada Price and Ben Okafor sat by the fire, and a man in a grey coat sat apart.\n\n"
        '"The road is closed," said Ben.\n\n'
        '"How?" asked his sister.\n\n'
        '"When?" cried the stranger, hastily.\n'
    )
    a = ficlens.analyze(text, characters=CAST)
    assert _by_words(a, "How?").type == "anaphoric"  # a description, not a name
    assert _by_words(a, "When?").type == "anaphoric"


def test_a_tag_right_against_the_quotation_beats_a_speech_verb_further_on() -> None:
    text = (
        "Ada Price was laying the table when the door opened.\n\n"
        'Then Ben Okafor exclaimed "Ada!" with such heartiness at the sight of her standing '
        "by the table that she begged him to be quiet.\n"
    )
    a = ficlens.analyze(text, characters=CAST)
    assert _by_words(a, "Ada!").speaker == "ben"
