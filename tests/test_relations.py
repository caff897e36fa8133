"""The relations stage: interactions and relationships, on short texts written here.

Most tests build the layers the stage reads (characters, mentions, quotes, scenes,
sentences) from a small markup, so that each rule is tested alone, independent of the
character finder and the speaker attribution; the last tests run the real pipeline.
"""

from __future__ import annotations

import re

import ficlens
from ficlens import pipeline
from ficlens.fandoms import load_knowledge_base
from ficlens.model import Analysis, Character, Mention, Metadata, Quote, Scene, Source
from ficlens.relations import analyse
from ficlens.relations.cues import negated

_MARK = re.compile(r"\{([^{}:]+):([a-z]+)\}")
_PRONOUNS = {"he", "him", "his", "she", "her", "i", "me", "my", "you", "your"}


def build(
    marked: str,
    cast: dict[str, tuple[str, str]],
    speakers: list[tuple[str, list[str]]] | None = None,
    tags: dict[str, str] | None = None,
    declared: list[str] | None = None,
) -> tuple[Analysis, list[tuple[int, int]]]:
    """An analysis from marked text: ``{surface:id}`` is a mention of character ``id``.

    ``cast`` maps id → (name, gender); ``speakers`` gives (speaker, addressees) for each
    double-quoted span in order; scenes are separated by a line "***"; sentences end at
    . ! ? (with a closing quote kept).
    """
    text, mentions, pos = "", [], 0
    for m in _MARK.finditer(marked):
        text += marked[pos : m.start()]
        start = len(text)
        text += m.group(1)
        kind = "pronoun" if m.group(1).lower() in _PRONOUNS else "name"
        mentions.append(Mention(start=start, end=len(text), character=m.group(2), kind=kind))
        pos = m.end()
    text += marked[pos:]
    quotes = []
    for i, q in enumerate(re.finditer(r'"[^"]*"', text)):
        speaker, addressees = (speakers or [])[i] if speakers and i < len(speakers) else (None, [])
        quotes.append(Quote(start=q.start(), end=q.end(), speaker=speaker, addressees=addressees))
    scenes, start = [], 0
    for part in re.finditer(r"\n\*\*\*\n|$", text):
        scenes.append(Scene(index=len(scenes), chapter=0, start=start, end=part.start()))
        start = part.end()
    sentences = [(s.start(), s.end()) for s in re.finditer(r'[^\s.!?][^.!?]*[.!?]+"?', text)]
    characters = [
        Character(id=cid, name=name, gender=gender, ao3_tag=(tags or {}).get(cid))  # type: ignore[arg-type]
        for cid, (name, gender) in cast.items()
    ]
    analysis = Analysis(
        ficlens_version="test",
        source=Source(),
        text=text,
        metadata=Metadata(relationships=declared or []),
        scenes=scenes,
        characters=characters,
        mentions=mentions,
        quotes=quotes,
    )
    return analysis, sentences


CAST = {
    "amy": ("Amy Adams", "female"),
    "ben": ("Ben Brown", "male"),
    "carl": ("Carl Cole", "male"),
}


def _run(analysis: Analysis, sentences: list[tuple[int, int]]) -> Analysis:
    analyse(analysis, sentences, load_knowledge_base())
    return analysis


def _rel(analysis: Analysis, a: str, b: str):  # type: ignore[no-untyped-def]
    key = tuple(sorted((a, b)))
    return next((r for r in analysis.relationships if tuple(r.pair) == key), None)


# ---------------------------------------------------------------- interactions


def test_dialogue_turns_are_counted_both_ways() -> None:
    a, s = build(
        '{Ben:ben} smiled. "Morning." "Hi." "Coffee?" "Please." "Here."',
        CAST,
        speakers=[
            ("ben", ["amy"]),
            ("amy", ["ben"]),
            ("ben", ["amy"]),
            ("amy", ["ben"]),
            ("ben", ["amy"]),
        ],
    )
    _run(a, s)
    (i,) = [i for i in a.interactions if {i.a, i.b} == {"amy", "ben"}]
    assert (i.a, i.b) == ("amy", "ben")  # a < b by id
    assert i.a_to_b == 2 and i.b_to_a == 3 and i.dialogue_turns == 5
    assert i.weight > 5


def test_shared_scenes_and_mentions() -> None:
    a, s = build(
        "{Amy:amy} met {Ben:ben} at noon.\n***\n{Amy:amy} saw {Ben:ben} again.\n***\n"
        "{Carl:carl} sat alone. {Amy:amy} left.",
        CAST,
    )
    _run(a, s)
    by_pair = {(i.a, i.b): i for i in a.interactions}
    assert by_pair[("amy", "ben")].shared_scenes == 2
    assert by_pair[("amy", "ben")].mentions == 2
    # Amy and Carl share the last scene but never meet in a sentence: no interaction
    assert ("amy", "carl") not in by_pair


def test_mentions_inside_speech_count_for_the_speaker() -> None:
    a, s = build('"Where is {Carl:carl}?" asked nobody.', CAST, speakers=[("amy", [])])
    _run(a, s)
    (i,) = a.interactions
    assert (i.a, i.b, i.mentions, i.dialogue_turns) == ("amy", "carl", 1, 0)


# --------------------------------------------------------------- relationships


def test_kisses_outrank_an_ex() -> None:
    a, s = build(
        "{Amy:amy} and {Carl:carl} broke up last spring. {Carl:carl} is {her:amy} "
        "ex-boyfriend now. {Amy:amy} kissed {Ben:ben} by the lake. {She:amy} kissed "
        "{him:ben} again. {Ben:ben} held {her:amy} hand. {Amy:amy} and {Ben:ben} talked.",
        CAST,
    )
    _run(a, s)
    romantic = [r for r in a.relationships if r.kind == "romantic"]
    assert [tuple(r.pair) for r in romantic][:2] == [("amy", "ben"), ("amy", "carl")]
    ex = _rel(a, "amy", "carl")
    assert ex is not None and ex.score < romantic[0].score
    assert ex.evidence and all(e.cue.startswith("ex") for e in ex.evidence)
    assert not any(e.cue.startswith("ex") for e in romantic[0].evidence)


def test_pronouns_decide_the_pair() -> None:
    a, s = build("{Carl:carl} watched from the door as {she:amy} kissed {him:ben}.", CAST)
    _run(a, s)
    r = _rel(a, "amy", "ben")
    assert r is not None and r.kind == "romantic"
    assert _rel(a, "amy", "carl") is None and _rel(a, "ben", "carl") is None


def test_negated_cue_is_no_evidence() -> None:
    a, s = build("{Amy:amy} never kissed {Ben:ben}.", CAST)
    _run(a, s)
    assert _rel(a, "amy", "ben") is None
    assert negated("she never truly loved him", len("she never truly "))
    assert not negated("she really loved him", len("she really "))


def test_family_from_his_mother() -> None:
    cast = {"jo": ("Jo March", "male"), "meg": ("Meg March", "female")}
    a, s = build("{Meg:meg} was {his:jo} mother. {Jo:jo} rolled his eyes.", cast)
    _run(a, s)
    r = _rel(a, "jo", "meg")
    assert r is not None and r.kind == "family"
    assert [a.text[e.start : e.end] for e in r.evidence] == ["his mother"]


def test_kin_word_without_a_named_kin_is_no_evidence() -> None:
    cast = {"jo": ("Jo March", "male"), "meg": ("Meg Hale", "female")}
    a, s = build("{Jo:jo} told {Meg:meg} of {his:jo} mother.", cast)
    _run(a, s)
    assert _rel(a, "jo", "meg") is None


def test_mom_in_speech_names_the_addressee() -> None:
    cast = {"kid": ("Kit Lane", "female"), "mum": ("Mara Lane", "female")}
    a, s = build('"Mom, I am home." {Mara:mum} looked up.', cast, speakers=[("kid", ["mum"])])
    _run(a, s)
    r = _rel(a, "kid", "mum")
    assert r is not None and r.kind == "family"
    assert a.text[r.evidence[0].start : r.evidence[0].end] == "Mom"


def test_canon_family_from_the_knowledge_base() -> None:
    cast = {"rory": ("Rory Gilmore", "female"), "lorelai": ("Lorelai Gilmore", "female")}
    tags = {"rory": "Rory Gilmore", "lorelai": "Lorelai Gilmore"}
    a, s = build(
        "{Rory:rory} ran down the road. {Lorelai:lorelai} hugged {Rory:rory} at the door.",
        cast,
        tags=tags,
    )
    _run(a, s)
    r = _rel(a, "lorelai", "rory")
    assert r is not None and r.kind == "family"
    assert r.evidence[0].cue.startswith("canon:") and "mother" in r.evidence[0].cue
    first = a.text[r.evidence[0].start : r.evidence[0].end]
    assert first.startswith("Lorelai hugged Rory")  # the first sentence with both


def test_canon_needs_the_pair_in_the_knowledge_base() -> None:
    cast = {"rory": ("Rory Gilmore", "female"), "lane": ("Lane Kim", "female")}
    tags = {"rory": "Rory Gilmore", "lane": "Lane Kim"}
    a, s = build("{Lane:lane} waved at {Rory:rory}.", cast, tags=tags)
    _run(a, s)
    r = _rel(a, "lane", "rory")  # canon best friends, not family
    assert r is not None and r.kind == "platonic"
    assert r.evidence[0].cue == "canon: Lane Kim is Rory Gilmore's best friend"
    assert a.text[r.evidence[0].start : r.evidence[0].end] == "Lane waved at Rory."


def test_declared_tags_are_honoured() -> None:
    a, s = build(
        "{Amy:amy} and {Ben:ben} walked home. {Amy:amy} waved at {Carl:carl}.",
        CAST,
        declared=["Amy Adams/Ben Brown", "Amy & Carl"],
    )
    _run(a, s)
    ab, ac = _rel(a, "amy", "ben"), _rel(a, "amy", "carl")
    assert ab is not None and ab.kind == "romantic" and ab.declared and ab.score >= 0.7
    assert ac is not None and ac.kind == "platonic" and ac.declared
    assert ab.evidence[0].cue == "declared: Amy Adams/Ben Brown"
    assert _rel(a, "ben", "carl") is None


def test_evidence_spans_point_at_the_cue_text() -> None:
    a, s = build(
        '{Amy:amy} hugged {Ben:ben}. "{I:amy} love {you:ben}," {she:amy} said. '
        "{Ben:ben} is {her:amy} boyfriend. {Carl:carl} was {her:amy} best friend.",
        CAST,
        speakers=[("amy", ["ben"])],
    )
    _run(a, s)
    seen = {}
    for r in a.relationships:
        for e in r.evidence:
            seen[e.cue] = a.text[e.start : e.end]
    assert seen["I love you"] == "I love you"
    assert seen["hug"] == "hugged"
    assert seen["her boyfriend"] == "her boyfriend"
    assert seen["best friend"] == "best friend"
    assert _rel(a, "amy", "carl").kind == "platonic"  # type: ignore[union-attr]
    assert all(0.0 <= r.score <= 1.0 for r in a.relationships)


def test_relationships_are_sorted_by_score() -> None:
    a, s = build("{Amy:amy} kissed {Ben:ben}. {Amy:amy} and {Carl:carl} were friends.", CAST)
    _run(a, s)
    scores = [r.score for r in a.relationships]
    assert len(scores) == 2 and scores == sorted(scores, reverse=True)


# ------------------------------------------------------------------- pipeline


def test_stage_runs_after_the_stages_it_reads() -> None:
    order = pipeline.STAGE_ORDER
    assert order.index("relations") > max(order.index("characters"), order.index("dialogue"))
    stages = pipeline.build_stages(disable=["dialogue"])
    assert "relations" not in [s.name for s in stages]


def test_pipeline_fills_interactions_and_relationships() -> None:
    text = (
        'Nora Vance waited by the gate. "You came," Nora said.\n\n'
        '"Of course I came," Owen Pike said. He kissed her.\n\n'
        '"Owen," Nora said, and she kissed him back.\n'
    )
    a = ficlens.analyze(text)
    assert "relations" in a.timings
    names = {c.id: c.name for c in a.characters}
    pairs = {frozenset(names[x] for x in r.pair) for r in a.relationships if r.kind == "romantic"}
    assert frozenset({"Nora Vance", "Owen Pike"}) in pairs
    assert a.interactions and a.interactions[0].dialogue_turns >= 1


def test_partner_words_need_a_stated_referent() -> None:
    a, s = build(
        '"{You:ben}\'re {my:amy} boyfriend now," {Amy:amy} told {Ben:ben}. '
        "{Carl:carl} smiled at {her:amy} boyfriend.",
        CAST,
        speakers=[("amy", ["ben"])],
    )
    _run(a, s)
    r = _rel(a, "amy", "ben")
    assert r is not None and r.kind == "romantic"
    assert [a.text[e.start : e.end] for e in r.evidence] == ["my boyfriend"]
    assert _rel(a, "amy", "carl") is None  # "her boyfriend" is not Carl


def test_a_partner_in_the_past_is_an_ex() -> None:
    a, s = build(
        "{Carl:carl} was {her:amy} boyfriend. {Amy:amy} kissed {Ben:ben}. "
        "{Ben:ben} is {her:amy} boyfriend.",
        CAST,
    )
    _run(a, s)
    ex, now = _rel(a, "amy", "carl"), _rel(a, "amy", "ben")
    assert ex is not None and now is not None and ex.score < now.score
    assert [e.cue for e in ex.evidence] == ["ex: her boyfriend"]
    assert "ex: her boyfriend" not in [e.cue for e in now.evidence]


def test_romance_before_the_story_is_history() -> None:
    a, s = build(
        "{Carl:carl} had kissed {Amy:amy} once. {Ben:ben} kissed {Amy:amy} at the dance.",
        CAST,
    )
    _run(a, s)
    old, new = _rel(a, "amy", "carl"), _rel(a, "amy", "ben")
    assert old is not None and new is not None and old.score < new.score
    assert [e.cue for e in old.evidence] == ["ex: kiss (before the story)"]
    assert [e.cue for e in new.evidence] == ["kiss"]


def test_mom_said_to_a_man_is_no_mother() -> None:
    a, s = build('"Mom, stop." {Ben:ben} laughed.', CAST, speakers=[("amy", ["ben"])])
    _run(a, s)
    assert _rel(a, "amy", "ben") is None
