"""The speaker ranker's features, on short texts and hand-built mentions written here."""

from __future__ import annotations

import dataclasses

from ficlens.characters import CharacterLayer, MentionRef, given_characters
from ficlens.dialogue.attribution import (
    TAG_RULES,
    Attribution,
    Turn,
    _noun_chain,
    _parity_anchor,
    sieve,
)
from ficlens.dialogue.features import FEATURES, TurnContext, candidates, features
from ficlens.dialogue.layout import Paragraphs
from ficlens.dialogue.quotes import QuoteResult
from ficlens.dialogue.style import TurnWords
from ficlens.dialogue.tags import find_tag
from ficlens.ingest import read_text
from ficlens.model import Character
from ficlens.pipeline import Document, Options, run_document

CAST = [
    Character(id="lane", name="Lane Kim", aliases=["Lane"], gender="female"),
    Character(id="rory", name="Rory Gilmore", aliases=["Rory"], gender="female"),
    Character(id="dave", name="Dave Rygalski", aliases=["Dave"], gender="male"),
]


def _mention(text: str, word: str, character: str, role: str, after: int = 0) -> MentionRef:
    start = text.index(word, after)
    pronoun = {"She": "female", "he": "male", "him": "male"}.get(word)
    return MentionRef(
        start=start,
        end=start + len(word),
        text=word,
        kind="pronoun" if pronoun else "name",
        character=character,
        role=role,
        pronoun=pronoun,  # type: ignore[arg-type]
    )


def _turn(text: str, *, pronoun: str | None = None, noun_gender: str | None = None) -> TurnContext:
    start = text.index('"')
    return TurnContext(
        start=start,
        end=text.index('"', start + 1) + 1,
        paragraph=0,
        tag_character=None,
        tag_kind="pronoun" if pronoun else "nominal",
        tag_pronoun=pronoun,
        tag_is_speech=True,
        vocatives=(),
        sieve_speaker=None,
        tag_noun_gender=noun_gender,
    )


def _on(rows: list[list[float]], cands: list[str], feature: str) -> list[str]:
    k = FEATURES.index(feature)
    return [c for c, row in zip(cands, rows, strict=True) if row[k]]


def test_possessive_name_superseded_by_a_later_subject_is_not_the_agreeing_name() -> None:
    # "Lane's" is nearer the quotation than any other name, but a later female subject
    # ("She turned") took over: the pronoun tag does not point at the possessor.
    text = (
        "Rory Gilmore came in late. Lane's guitar was out of tune. She turned to him. "
        'She said, "Fix it."'
    )
    mentions = [
        _mention(text, "Rory Gilmore", "rory", "nsubj"),
        _mention(text, "Lane", "lane", "poss"),
        _mention(text, "She", "rory", "nsubj"),
        _mention(text, "him", "dave", "pobj"),
    ]
    layer = CharacterLayer(list(CAST), mentions, given=True)
    cands = ["lane", "rory", "dave"]
    rows = features(_turn(text, pronoun="female"), [], [], [], cands, layer, {})
    assert _on(rows, cands, "agreeing_name0") == ["rory"]


def test_possessive_name_superseded_by_any_later_subject_name() -> None:
    text = 'Lane\'s amp hummed. Dave shrugged at them. She said, "Turn it off."'
    mentions = [
        _mention(text, "Lane", "lane", "poss"),
        _mention(text, "Dave", "dave", "nsubj"),
        _mention(text, "She", None, "nsubj"),  # type: ignore[arg-type]
    ]
    layer = CharacterLayer(list(CAST), mentions, given=True)
    cands = ["lane", "rory", "dave"]
    rows = features(_turn(text, pronoun="female"), [], [], [], cands, layer, {})
    assert _on(rows, cands, "agreeing_name0") == []


def test_possessive_name_with_no_subject_after_it_still_counts() -> None:
    text = 'Rory waited. Then Lane\'s phone buzzed. She said, "Finally."'
    mentions = [
        _mention(text, "Rory", "rory", "nsubj"),
        _mention(text, "Lane", "lane", "poss"),
    ]
    layer = CharacterLayer(list(CAST), mentions, given=True)
    cands = ["lane", "rory", "dave"]
    rows = features(_turn(text, pronoun="female"), [], [], [], cands, layer, {})
    assert _on(rows, cands, "agreeing_name0") == ["lane"]


def test_a_gendered_noun_in_the_tag_agrees_or_clashes() -> None:
    text = 'The band packed up. "Same time next week," said the drummer\'s dad.'
    layer = CharacterLayer(list(CAST), [], given=True)
    cands = ["lane", "rory", "dave"]
    rows = features(_turn(text, noun_gender="male"), [], [], [], cands, layer, {})
    assert _on(rows, cands, "noun_agrees") == ["dave"]
    assert _on(rows, cands, "noun_clashes") == ["lane", "rory"]


def test_find_tag_keeps_the_head_noun_of_a_nominal_subject() -> None:
    text = 'Rory Gilmore stood at the counter.\n\n"We close at nine," said the old man.\n'
    cast = given_characters([{"id": "rory", "name": "Rory Gilmore", "aliases": ["Rory"]}])
    doc = run_document(read_text(text), Options(characters=tuple(cast)))
    start = text.index(',"') + 2
    end = text.index("man.") + 4
    tag = find_tag(text, doc.layers["language"], doc.layers["characters"], [("after", start, end)])
    assert tag is not None and tag.speech_verb
    assert tag.noun == "man"


def test_a_possessor_inside_the_tag_subject_is_not_the_speaker() -> None:
    text = 'Ada Price bent over the engine.\n\n"Not that wire," said a voice in Ada\'s ear.\n'
    cast = given_characters([{"id": "ada", "name": "Ada Price", "aliases": ["Ada"]}])
    doc = run_document(read_text(text), Options(characters=tuple(cast)))
    start = text.index(',"') + 2
    end = text.index("ear.") + 4
    tag = find_tag(text, doc.layers["language"], doc.layers["characters"], [("after", start, end)])
    assert tag is not None and tag.speech_verb
    assert tag.character is None and tag.kind == "nominal"


def test_parity_anchors_on_pronoun_tags_as_well_as_names() -> None:
    # Rory (named) - Dave ("he said") - Rory (untagged) - ? (untagged): the last turn's
    # speaker two turns back was found by a pronoun tag, which only the weaker anchor reads.
    rules = [("rory", "tag_name"), ("dave", "tag_pronoun"), ("rory", "alternation"), (None, "")]
    turns = [
        Turn([], k, k, Attribution(speaker=s, rule=r), conversation=0)
        for k, (s, r) in enumerate(rules)
    ]
    assert _parity_anchor(turns, 3, -1) is None
    assert _parity_anchor(turns, 3, -1, TAG_RULES) == "dave"
    assert _parity_anchor(turns, 2, -1) == "rory"


def test_parity_tag_features_fire_for_untagged_turns_only() -> None:
    text = 'They stood at the door. "Coming?"'
    layer = CharacterLayer(list(CAST), [], given=True)
    cands = ["lane", "rory", "dave"]
    untagged = dataclasses.replace(_turn(text), tag_kind=None, tag_is_speech=False)
    rows = features(untagged, [], [], [], cands, layer, {}, (None, None), ("dave", "lane"))
    assert _on(rows, cands, "parity_tag_back") == ["dave"]
    assert _on(rows, cands, "parity_tag_fwd") == ["lane"]
    tagged = features(
        _turn(text, pronoun="male"), [], [], [], cands, layer, {}, (None, None), ("dave", "lane")
    )
    assert _on(tagged, cands, "parity_tag_back") == []


def test_a_nominal_tag_chains_to_the_last_turn_tagged_with_the_same_noun() -> None:
    # "said the stranger" twice, with another turn between: the second stranger is the
    # speaker the first one was given; a different noun ("the clerk") starts no chain.
    text = (
        'Dave Rygalski waited by the till.\n\n"Is this the road north?" said the stranger.\n\n'
        '"It is," said Dave.\n\n"And the inn?" asked the tall stranger.\n\n'
        '"Shut," said the clerk.\n'
    )
    cast = given_characters(
        [
            {"id": "dave", "name": "Dave Rygalski", "aliases": ["Dave"]},
            {"id": "tom", "name": "Tom Rook", "aliases": ["Tom"]},
        ]
    )
    doc = run_document(read_text(text), Options(characters=tuple(cast)))
    contexts = [
        dataclasses.replace(c, sieve_speaker=who)
        for c, who in zip(_contexts(text, doc), ["tom", "dave", None, None], strict=True)
    ]
    assert [c.tag_noun for c in contexts] == ["stranger", None, "stranger", "clerk"]
    assert _noun_chain(contexts, 2) == "tom"
    assert _noun_chain(contexts, 3) is None
    layer = doc.layers["characters"]
    cands = ["dave", "tom"]
    rows = features(contexts[2], [], [], [], cands, layer, {}, noun_chain="tom")
    assert _on(rows, cands, "noun_chain") == ["tom"]


def _contexts(text: str, doc: Document) -> list[TurnContext]:
    """The sieve's view of each turn of an analysed text."""
    a = doc.analysis
    story = [(s.start, s.end) for s in a.segments if s.kind == "story"]
    quotes: QuoteResult = doc.layer("quotes")
    turns = sieve(
        text,
        quotes.quotes,
        doc.layer("language"),
        doc.layer("characters"),
        Paragraphs(text, story),
        [s.start for s in a.scenes],
    )
    return [t.context() for t in turns]


def test_conversation_participants_become_candidates_and_are_marked() -> None:
    text = 'They stood at the door. "Coming?"'
    layer = CharacterLayer(list(CAST), [], given=True)
    untagged = dataclasses.replace(_turn(text), tag_kind=None, tag_is_speech=False)
    cands = candidates(untagged, [], layer, ["rory", "dave"])
    assert set(cands) == {"rory", "dave"}
    # Rory spoke twice before, Dave speaks once after: both are participants, and the
    # share of the surrounding turns each speaks is what the ranker reads.
    rows = features(untagged, [], [], ["rory", "rory"], cands, layer, {}, later=["dave"])
    assert _on(rows, cands, "speaks_later") == ["dave"]
    k = FEATURES.index("conversation_share")
    share = {c: row[k] for c, row in zip(cands, rows, strict=True)}
    assert share == {"rory": 2 / 3, "dave": 1 / 3}


def test_a_gendered_noun_tag_points_at_the_nearest_character_of_its_gender() -> None:
    # "said the girl": the nearest woman the narration named (Rory, not the nearer Dave),
    # and Lane as the only woman of the conversation.
    text = 'Rory tuned the bass. Dave counted in. "Again," said the girl.'
    mentions = [_mention(text, "Rory", "rory", "nsubj"), _mention(text, "Dave", "dave", "nsubj")]
    layer = CharacterLayer(list(CAST), mentions, given=True)
    cands = ["lane", "rory", "dave"]
    rows = features(_turn(text, noun_gender="female"), [], [], ["lane", "dave"], cands, layer, {})
    assert _on(rows, cands, "noun_agreeing_rank0") == ["rory"]
    assert _on(rows, cands, "noun_agreeing_name0") == ["rory"]
    assert _on(rows, cands, "noun_sole_participant") == ["lane"]
    rows = features(_turn(text, pronoun="female"), [], [], ["lane", "dave"], cands, layer, {})
    assert _on(rows, cands, "noun_agreeing_rank0") == []


def test_the_only_participant_of_the_tag_pronoun_gender_is_marked() -> None:
    text = 'They stood at the door. "Coming?" he asked.'
    layer = CharacterLayer(list(CAST), [], given=True)
    cands = ["lane", "rory", "dave"]
    rows = features(_turn(text, pronoun="male"), [], [], ["lane", "dave"], cands, layer, {})
    assert _on(rows, cands, "sole_agreeing_participant") == ["dave"]
    rows = features(_turn(text, pronoun="female"), [], [], ["lane", "rory"], cands, layer, {})
    assert _on(rows, cands, "sole_agreeing_participant") == []


def test_a_group_is_no_candidate_unless_the_tag_names_it() -> None:
    text = 'The twins sat by the fire with Dave Rygalski. "Again?"'
    cast = [*CAST, Character(id="twins", name="The Twins", aliases=["the twins"])]
    layer = CharacterLayer(cast, [], given=True, plural=frozenset({"twins"}))
    untagged = dataclasses.replace(_turn(text), tag_kind=None, tag_is_speech=False)
    assert "twins" not in candidates(untagged, ["twins"], layer, ["twins", "dave"])
    named = dataclasses.replace(_turn(text), tag_kind="name", tag_character="twins")
    assert candidates(named, [], layer)[0] == "twins"


def test_a_quotation_sounds_most_like_the_speaker_who_uses_its_words() -> None:
    turns = [
        '"Dude, that riff is wicked," said Dave.',
        '"Wicked riff, dude. Again?"',
        '"Mother says practice ends at nine," said Lane.',
        '"Dude, wicked."',
    ]
    profiles = TurnWords(turns).profiles(["dave", "dave", "lane", None])
    assert profiles.similarity(3, "dave") > profiles.similarity(3, "lane") == 0.0
    # A turn is left out of its own speaker's profile: Lane's only turn has nothing to
    # match, while Dave's first turn still matches his second.
    assert profiles.similarity(2, "lane") == 0.0
    assert profiles.similarity(0, "dave") > 0.0
    assert profiles.similarity(3, "rory") == 0.0


def test_curly_and_straight_apostrophes_are_the_same_word() -> None:
    turns = ['"Don\'t."', '"Do not."', '"Don’t!"']
    profiles = TurnWords(turns).profiles(["lane", "dave", None])
    assert profiles.similarity(2, "lane") > profiles.similarity(2, "dave") == 0.0


def test_style_features_mark_the_most_similar_candidate() -> None:
    text = 'They stood at the door. "Coming?"'
    layer = CharacterLayer(list(CAST), [], given=True)
    untagged = dataclasses.replace(_turn(text), tag_kind=None, tag_is_speech=False)
    cands = ["lane", "rory", "dave"]
    style = {"lane": 0.1, "rory": 0.4, "dave": 0.0}
    rows = features(untagged, [], [], [], cands, layer, {}, style=style)
    assert _on(rows, cands, "style_rank0") == ["rory"]
    k = FEATURES.index("style_share")
    assert [row[k] for row in rows] == [0.25, 1.0, 0.0]
    rows = features(untagged, [], [], [], cands, layer, {})
    assert _on(rows, cands, "style_rank0") == []


def test_find_tag_keeps_whom_the_tag_verb_speaks_to_and_the_verb() -> None:
    text = 'Lane Kim and Rory Gilmore waited.\n\n"You are late," she said to Rory.\n'
    cast = given_characters(
        [
            {"id": "lane", "name": "Lane Kim", "aliases": ["Lane"]},
            {"id": "rory", "name": "Rory Gilmore", "aliases": ["Rory"]},
        ]
    )
    doc = run_document(read_text(text), Options(characters=tuple(cast)))
    start = text.index(',"') + 2
    end = text.index("Rory.") + 5
    tag = find_tag(text, doc.layers["language"], doc.layers["characters"], [("after", start, end)])
    assert tag is not None and tag.speech_verb and tag.kind == "pronoun"
    assert (tag.verb, tag.objects) == ("say", ("rory",))
    quote = next(q for q in doc.analysis.quotes if q.speech)
    assert (quote.speaker, quote.addressees) == ("lane", ["rory"])
    alone = 'Lane Kim waited.\n\n"Late again," she said to herself.\n'
    doc = run_document(read_text(alone), Options(characters=tuple(cast)))
    start = alone.index(',"') + 2
    tag = find_tag(
        alone, doc.layers["language"], doc.layers["characters"], [("after", start, len(alone))]
    )
    assert tag is not None and tag.objects == ()  # a reflexive is the speaker's own
    turning = text.replace("said to Rory", "said, turning to Rory")
    doc = run_document(read_text(turning), Options(characters=tuple(cast)))
    start = turning.index(',"') + 2
    tag = find_tag(
        turning, doc.layers["language"], doc.layers["characters"], [("after", start, len(turning))]
    )
    assert tag is not None and tag.objects == ("rory",)


def test_the_one_a_tag_speaks_to_is_marked_and_agrees_with_no_pronoun_tag() -> None:
    text = 'Rory Gilmore and Lane Kim waited. "You are late," she said to Lane.'
    mentions = [
        _mention(text, "Rory Gilmore", "rory", "nsubj"),
        _mention(text, "Lane Kim", "lane", "conj"),
    ]
    layer = CharacterLayer(list(CAST), mentions, given=True)
    cands = ["lane", "rory", "dave"]
    turn = dataclasses.replace(_turn(text, pronoun="female"), tag_objects=("lane",))
    rows = features(turn, [], [], [], cands, layer, {})
    assert _on(rows, cands, "tag_object") == ["lane"]
    assert _on(rows, cands, "agreeing_rank0") == ["rory"]  # Lane is nearer, but spoken to


def test_a_tag_verb_of_going_on_points_at_the_previous_speaker() -> None:
    text = 'The van was packed. "And bring the map," he added.'
    layer = CharacterLayer(list(CAST), [], given=True)
    cands = ["lane", "rory", "dave"]
    before = dataclasses.replace(_turn(text), sieve_speaker="dave")
    added = dataclasses.replace(_turn(text, pronoun="male"), tag_verb="add")
    rows = features(added, [before], [], [], cands, layer, {})
    assert _on(rows, cands, "tag_continues_prev") == ["dave"]
    said = dataclasses.replace(added, tag_verb="say")
    rows = features(said, [before], [], [], cands, layer, {})
    assert _on(rows, cands, "tag_continues_prev") == []
