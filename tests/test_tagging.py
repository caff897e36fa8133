"""The tagging stage on short texts and hand-built analyses (all written for these tests)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficlens import pipeline
from ficlens.fandoms import KnowledgeBase, detect_fandom, load_knowledge_base
from ficlens.model import (
    Analysis,
    Character,
    EmotionPoint,
    Emotions,
    Evidence,
    Flashback,
    Mention,
    Metadata,
    Narrative,
    Quote,
    Relationship,
    Segment,
    Source,
    Tags,
    TagSuggestion,
)
from ficlens.report.tags import tag_rows
from ficlens.tagging import suggest_tags
from ficlens.tagging.additional import RULES
from ficlens.tagging.people import relationship_tag
from ficlens.tagging.vocabulary import ADDITIONAL, RATING_SCALE

GG = "Gilmore Girls"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def make(
    story: str,
    notes: str = "",
    cast: dict[str, tuple[str, str]] | None = None,
    **fields: object,
) -> Analysis:
    """An analysis of ``notes`` (an author's note) then ``story``; ``cast`` maps id →
    (name, gender) and every occurrence of a name (or its first word) becomes a mention."""
    text = (notes + "\n\n" if notes else "") + story
    segments = []
    if notes:
        segments.append(Segment(start=0, end=len(notes), kind="authors_note"))
    segments.append(Segment(start=len(text) - len(story), end=len(text), kind="story"))
    characters, mentions = [], []
    for cid, (name, gender) in (cast or {}).items():
        found = list(re.finditer(rf"\b(?:{re.escape(name)}|{re.escape(name.split()[0])})\b", text))
        mentions += [
            Mention(start=m.start(), end=m.end(), character=cid, kind="name") for m in found
        ]
        characters.append(
            Character(id=cid, name=name, gender=gender, mention_count=len(found))  # type: ignore[arg-type]
        )
    quotes = [Quote(start=m.start(), end=m.end()) for m in re.finditer(r'"[^"\n]*"', text)]
    a = Analysis(
        ficlens_version="test",
        source=Source(),
        text=text,
        segments=segments,
        characters=characters,
        mentions=sorted(mentions, key=lambda m: m.start),
        quotes=quotes,
    )
    a.stats.words = len(story.split())
    for key, value in fields.items():
        setattr(a, key, value)
    return a


def tags_of(a: Analysis, kb: KnowledgeBase | None = None) -> Tags:
    return suggest_tags(a, kb)


def names(suggestions: list[TagSuggestion]) -> list[str]:
    return [s.tag for s in suggestions]


def only(suggestions: list[TagSuggestion], tag: str) -> TagSuggestion:
    return next(s for s in suggestions if s.tag == tag)


def assert_evidence_in_text(a: Analysis, s: TagSuggestion, words: str) -> None:
    """Every span lies in the text and at least one shows one of ``words`` (a regex)."""
    assert s.evidence, s.tag
    assert len(s.evidence) <= 5 or s.tag in {"Flashbacks"}
    for e in s.evidence:
        assert 0 <= e.start < e.end <= len(a.text)
    assert any(re.search(words, a.text[e.start : e.end], re.IGNORECASE) for e in s.evidence)


PLAIN = (
    "Mara walked to the harbour every morning to count the boats. The gulls argued over "
    "the nets while the old ferryman told her about the storms of his youth. She wrote "
    "the numbers in a small green notebook and went home for breakfast. "
) * 6


# ------------------------------------------------------------------ rating


def test_plain_text_is_general_audiences() -> None:
    t = tags_of(make(PLAIN))
    assert names(t.rating) == ["General Audiences"]
    assert t.rating[0].confidence >= 0.6


def test_mild_swearing_is_teen() -> None:
    a = make(PLAIN + '"Damn it," Mara said. "What the hell is this crap?"')
    r = tags_of(a).rating
    assert names(r) == ["Teen And Up Audiences"]
    assert_evidence_in_text(a, r[0], r"damn|hell|crap")


def test_one_strong_swear_is_teen_and_its_span_is_evidence() -> None:
    a = make(PLAIN + '"Oh, f—king brilliant," Mara said.')
    r = tags_of(a).rating[0]
    assert r.tag == "Teen And Up Audiences"
    assert_evidence_in_text(a, r, r"f—king")


def test_implied_sex_narrated_is_mature() -> None:
    story = PLAIN + (
        "That night they made love for the first time. Later they slept together again and "
        "woke tangled in the sheets, her dress where he had pulled it off."
    )
    a = make(story)
    r = tags_of(a).rating[0]
    assert r.tag == "Mature"
    assert_evidence_in_text(a, r, r"made love|slept together|tangled")


def test_sex_only_talked_about_is_teen_not_mature() -> None:
    a = make(PLAIN + '"Did they have sex?" Mara asked. "Don\'t be so nosy," he said.')
    assert names(tags_of(a).rating) == ["Teen And Up Audiences"]


def test_graphic_sex_is_explicit() -> None:
    story = (
        "He kissed her and she felt his erection against her hip. She reached for his cock, "
        "he thrust into her slowly and she came with a long orgasm. "
    ) * 2
    a = make(story)
    r = tags_of(a).rating[0]
    assert r.tag == "Explicit"
    assert_evidence_in_text(a, r, r"erection|cock|orgasm|thrust")


def test_stray_words_in_a_long_text_do_not_raise_the_rating() -> None:
    # a novel-length text with one cocked hat and one "making love" (courting) stays General
    story = (
        (PLAIN * 30) + "He cocked his hat. Mr. Dale was making love to Miss Pryor. " + PLAIN * 30
    )
    assert names(tags_of(make(story)).rating) == ["General Audiences"]


_WORDS = st.sampled_from(
    [
        "the",
        "boat",
        "damn",
        "fuck",
        "kissed",
        "sex",
        "blood",
        "cock",
        "naked",
        "made love",
        "orgasm",
        "stabbed",
        "she",
        "said",
        '"',
        ".",
        "\n\n",
        "tortured",
        "slept together",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, max_size=80))
def test_exactly_one_rating_always(words: list[str]) -> None:
    a = make(" ".join(words))
    rating = tags_of(a).rating
    assert len(rating) == 1 and rating[0].tag in RATING_SCALE
    assert 0.0 <= rating[0].confidence <= 1.0
    for e in rating[0].evidence:
        assert 0 <= e.start < e.end <= len(a.text)


# ---------------------------------------------------------------- warnings


def test_no_cues_no_archive_warnings_apply() -> None:
    assert names(tags_of(make(PLAIN)).warnings) == ["No Archive Warnings Apply"]


def test_graphic_violence_is_warned() -> None:
    story = PLAIN + (
        "The blade went in and blood sprayed across the wall. His skull cracked on the stone, "
        "and a pool of blood spread under him while they tortured the last prisoner."
    )
    a = make(story)
    w = tags_of(a).warnings
    assert "Graphic Depictions Of Violence" in names(w)
    assert_evidence_in_text(a, only(w, "Graphic Depictions Of Violence"), r"blood|skull")


def test_one_weak_cue_means_choose_not_to_use() -> None:
    a = make("The soldiers came at dawn. Blood sprayed on the snow. Then it was quiet.")
    w = tags_of(a).warnings
    assert names(w) == ["Choose Not To Use Archive Warnings"]
    assert_evidence_in_text(a, w[0], r"blood")


def test_teenagers_kissing_is_not_underage_sex() -> None:
    a = make(PLAIN + "She was sixteen years old and he kissed her under the bleachers.")
    t = tags_of(a)
    assert "Underage Sex" not in names(t.warnings)
    assert names(t.warnings) == ["No Archive Warnings Apply"]


def test_minor_with_sexual_content_is_underage_sex() -> None:
    story = (
        "She was fifteen years old. That night they made love, slept together and woke "
        "tangled in the sheets; he pulled her onto the bed again. "
    ) + PLAIN
    a = make(story)
    t = tags_of(a)
    assert t.rating[0].tag in ("Mature", "Explicit")
    assert "Underage Sex" in names(t.warnings)


DEATH_STORY = (
    "Anna loved the lighthouse. Anna climbed it every evening with Ben. "
    "Anna told Ben about the ships. Ben listened. "
    * 4
    + "In the winter Anna died. The whole village came to Anna's funeral, and Ben wept."
)
SIDE_DEATH = (
    "Anna loved the lighthouse. Anna climbed it every evening with Ben. "
    "Anna told Ben about the ships. Ben listened. "
    * 4
    + "In the winter the old baker Tom died, and Anna baked the bread for the village."
)


def test_death_of_a_main_character_is_warned() -> None:
    cast = {"anna": ("Anna", "female"), "ben": ("Ben", "male"), "tom": ("Tom", "male")}
    a = make(DEATH_STORY, cast=cast)
    w = tags_of(a).warnings
    assert "Major Character Death" in names(w)
    assert_evidence_in_text(a, only(w, "Major Character Death"), r"died|funeral")


def test_death_of_a_side_character_is_not_mcd() -> None:
    cast = {"anna": ("Anna", "female"), "ben": ("Ben", "male"), "tom": ("Tom", "male")}
    w = names(tags_of(make(SIDE_DEATH, cast=cast)).warnings)
    assert w == ["No Archive Warnings Apply"]


def test_figurative_killing_is_not_violence() -> None:
    a = make(PLAIN + '"This exam is killing me," she said. She could have strangled him for it.')
    t = tags_of(a)
    assert names(t.warnings) == ["No Archive Warnings Apply"]
    assert names(t.rating) == ["General Audiences"]


# ---------------------------------------------------------------- category


def _couple(genders: tuple[str, str], kind: str = "romantic", score: float = 0.8) -> Analysis:
    story = "Sam and Alex walked home together and Alex kissed Sam. " * 3
    cast = {"sam": ("Sam", genders[0]), "alex": ("Alex", genders[1])}
    ev = [Evidence(start=story.index("kissed"), end=story.index("kissed") + 6, cue="kiss")]
    rel = Relationship(pair=("sam", "alex"), kind=kind, score=score, evidence=ev)  # type: ignore[arg-type]
    return make(story, cast=cast, relationships=[rel])


@pytest.mark.parametrize(
    ("genders", "category"),
    [
        (("female", "male"), "F/M"),
        (("male", "female"), "F/M"),
        (("male", "male"), "M/M"),
        (("female", "female"), "F/F"),
        (("nonbinary", "female"), "Other"),
    ],
)
def test_category_from_genders(genders: tuple[str, str], category: str) -> None:
    assert names(tags_of(_couple(genders)).category) == [category]


def test_gen_without_romance_and_nothing_without_relations() -> None:
    assert names(tags_of(_couple(("female", "male"), kind="platonic")).category) == ["Gen"]
    assert tags_of(make(PLAIN)).category == []  # the relations stage did not run
    assert tags_of(make(PLAIN)).relationships == []


def test_unknown_gender_gives_no_category() -> None:
    assert tags_of(_couple(("unknown", "male"))).category == []


def test_multi_for_two_kinds_of_pairing() -> None:
    story = "Kate met Lena, and Lena met Tom. Kate kissed Lena; Lena kissed Tom. " * 3
    cast = {"k": ("Kate", "female"), "l": ("Lena", "female"), "t": ("Tom", "male")}
    k1, k2 = story.index("Kate kissed"), story.index("Lena kissed")
    rels = [
        Relationship(
            pair=("k", "l"),
            kind="romantic",
            score=0.8,
            evidence=[Evidence(start=k1, end=k1 + 11, cue="kiss")],
        ),
        Relationship(
            pair=("l", "t"),
            kind="romantic",
            score=0.7,
            evidence=[Evidence(start=k2, end=k2 + 11, cue="kiss")],
        ),
    ]
    category = tags_of(make(story, cast=cast, relationships=rels)).category
    cat = names(category)
    assert "Multi" in cat and "F/F" in cat and "F/M" in cat
    assert {e.start for e in only(category, "Multi").evidence} == {k1, k2}


def test_an_ex_far_below_the_main_pairing_is_not_tagged() -> None:
    story = "Rose kissed Finn. Rose once dated Cole. " * 3
    cast = {"r": ("Rose", "female"), "f": ("Finn", "male"), "c": ("Cole", "male")}
    rels = [
        Relationship(pair=("r", "f"), kind="romantic", score=0.9),
        Relationship(pair=("r", "c"), kind="romantic", score=0.2),
    ]
    t = tags_of(make(story, cast=cast, relationships=rels))
    assert names(t.relationships) == ["Finn/Rose"]


# ------------------------------------------------------------ relationships


def test_relationship_tags_are_ordered_by_family_name(kb: KnowledgeBase) -> None:
    # AO3's wrangling guidelines: members in alphabetical order by family name, then given
    assert relationship_tag(["Brian Young", "Zoe Adams"], True, kb) == "Zoe Adams/Brian Young"
    assert relationship_tag(["Brian Young", "Zoe Adams"], False, kb) == "Zoe Adams & Brian Young"
    assert relationship_tag(["Tom Ward", "Ann Ward"], True, kb) == "Ann Ward/Tom Ward"
    # a known ship, in either order; the family name read from the canon name, so tags
    # written family name first ("Hinata Shouyou") are ordered by it too
    for pair in (["Jess Mariano", "Rory Gilmore"], ["Rory Gilmore", "Jess Mariano"]):
        assert relationship_tag(pair, True, kb, [GG]) == "Rory Gilmore/Jess Mariano"
    hq = ["Kageyama Tobio", "Hinata Shouyou"]
    assert relationship_tag(hq, True, kb, ["Haikyuu!!"]) == "Hinata Shouyou/Kageyama Tobio"
    sh = ["John Watson", "Sherlock Holmes"]
    assert relationship_tag(sh, True, kb, ["Sherlock (TV)"]) == "Sherlock Holmes/John Watson"
    # a single name counts as a family name; the ship's own spelling is kept
    spn = ["Dean Winchester", "Castiel (Supernatural)"]
    assert relationship_tag(spn, True, kb, ["Supernatural (TV 2005)"]) == "Castiel/Dean Winchester"
    # a character tagged by another name than the KB's sorts by the tag's own family name
    sw = ["Rey (Star Wars)", "Kylo Ren"]
    assert relationship_tag(sw, True, kb, ["Star Wars - All Media Types"]) == "Kylo Ren/Rey"


def test_relationship_suggestions_use_ao3_tags_and_relationship_evidence(kb: KnowledgeBase) -> None:
    story = "Rory waited. Jess came. Rory kissed Jess by the bridge. Lorelai hugged Rory. " * 3
    cast = {
        "rory": ("Rory Gilmore", "female"),
        "jess": ("Jess Mariano", "male"),
        "lor": ("Lorelai Gilmore", "female"),
    }
    a = make(story, cast=cast)
    for c in a.characters:
        c.canon, c.ao3_tag = True, c.name
    kiss = story.index("kissed")
    a.relationships = [
        Relationship(
            pair=("rory", "jess"),
            kind="romantic",
            score=0.8,
            evidence=[Evidence(start=kiss, end=kiss + 6, cue="kiss")],
        ),
        Relationship(pair=("lor", "rory"), kind="family", score=0.7),
    ]
    t = tags_of(a, kb)
    assert names(t.relationships) == ["Rory Gilmore/Jess Mariano", "Lorelai Gilmore & Rory Gilmore"]
    assert t.relationships[0].evidence[0].start == kiss
    assert {"Rory Gilmore", "Jess Mariano"} <= set(names(t.characters))
    assert names(t.fandoms)[:1] == [GG]


# ------------------------------------------------------------------- fandom


NOVEL = (
    "Richard and Emily drove to Hartford in the rain. Paris waited at the station with "
    "Dean and Logan, and Lane read a letter from Luke about the inn at Stars Hollow. "
) * 8


def test_no_fandom_for_a_novel_without_canon_characters(kb: KnowledgeBase) -> None:
    cast = {n.lower(): (n, "unknown") for n in ("Richard", "Emily", "Paris", "Dean", "Lane")}
    a = make(NOVEL, cast=cast)
    raw = {s.fandom: s.score for s in detect_fandom(a, kb)}
    assert raw.get(GG, 0.0) >= 0.5  # the detector alone is fooled
    fandoms = tags_of(a, kb).fandoms
    assert all(s.tag != GG or s.confidence < 0.3 for s in fandoms)


def test_fandom_when_the_cast_is_canon(kb: KnowledgeBase) -> None:
    cast = {n.lower(): (n, "unknown") for n in ("Richard", "Emily", "Paris", "Dean", "Lane")}
    a = make(NOVEL, cast=cast)
    tags = {"richard": "Richard Gilmore", "emily": "Emily Gilmore", "paris": "Paris Geller"}
    for c in a.characters:
        if c.id in tags:
            c.canon, c.ao3_tag = True, tags[c.id]
    f = tags_of(a, kb).fandoms
    assert names(f)[:1] == [GG] and f[0].confidence >= 0.5
    assert_evidence_in_text(a, f[0], r"Richard|Emily|Paris")


def test_declared_fandom_is_suggested(kb: KnowledgeBase) -> None:
    a = make(PLAIN, metadata=Metadata(fandoms=["Gilmore Girls"]))
    assert names(tags_of(a, kb).fandoms) == [GG]


# ---------------------------------------------------------- additional tags


def add(a: Analysis, kb: KnowledgeBase | None = None) -> list[str]:
    return names(tags_of(a, kb).additional)


PHONE = (
    "Her mobile buzzed on the desk three times before she answered.\n\n"
    '"Yes?"\n\n"Guess who," came his voice down the phone line.\n\n"Are you close?"\n\n'
    '"Two streets away," he said. She hung up and grabbed her coat.'
)
NOT_PHONE = (
    "The queue for tickets wound around the block.\n\n"
    '"Yes?"\n\n"Guess who," he said.\n\n"Are you close?"\n\n"Two streets away," he said.'
)


def test_phone_calls() -> None:
    a = make(PHONE)
    s = only(tags_of(a).additional, "Phone Calls")
    assert_evidence_in_text(a, s, r"phone|line|hung")
    assert "Phone Calls" not in add(make(NOT_PHONE))


def test_flashbacks_from_the_structure_layer() -> None:
    a = make(PLAIN, flashbacks=[Flashback(start=10, end=120, cue="Flashback")])
    s = only(tags_of(a).additional, "Flashbacks")
    assert (s.evidence[0].start, s.evidence[0].end) == (10, 120)
    assert "Flashbacks" not in add(make(PLAIN))


def test_first_person_and_present_tense_from_the_narrative_layer() -> None:
    first = make(PLAIN, narrative=Narrative(person="first", tense="present", person_share=0.9))
    assert {"First Person", "Present Tense"} <= set(add(first))
    third = make(PLAIN, narrative=Narrative(person="third", tense="past"))
    assert not {"First Person", "Present Tense"} & set(add(third))
    # without the narrative stage nothing is guessed, even for a text full of "I"
    assert "First Person" not in add(make("I run. I hide. I wait. " * 20))


def test_episode_related_and_missing_scene_from_notes(kb: KnowledgeBase) -> None:
    cast = {"r": ("Rory Gilmore", "female"), "j": ("Jess Mariano", "male")}
    story = "Rory sat on the bridge. Jess sat down beside Rory. " * 5
    note = 'A/N: A missing scene, set just after "Keg! Max!" in my head-canon.'
    a = make(story, notes=note, cast=cast)
    for c in a.characters:
        c.canon, c.ao3_tag = True, c.name
    t = tags_of(a, kb)
    assert {"Episode Related", "Missing Scene"} <= set(names(t.additional))
    assert_evidence_in_text(a, only(t.additional, "Episode Related"), r"Keg! Max!")
    plain = make(story, notes="A/N: Thanks for reading!", cast=cast)
    for c in plain.characters:
        c.canon, c.ao3_tag = True, c.name
    assert not {"Episode Related", "Missing Scene"} & set(add(plain, kb))


def test_canon_divergence_post_canon_and_au_from_notes() -> None:
    t = add(make(PLAIN, notes="A/N: What if she had said yes? Post-canon, Modern AU."))
    assert {"Canon Divergence", "Post-Canon", "Alternate Universe"} <= set(t)
    assert not {"Canon Divergence", "Post-Canon", "Alternate Universe"} & set(
        add(make(PLAIN, notes="A/N: Thanks to my beta, as usual."))
    )
    # "au" inside a word or in the story itself is no AU note
    assert "Alternate Universe" not in add(make(PLAIN + " The au pair left.", notes="A/N: hi"))


def test_love_confession_versus_established_relationship() -> None:
    confession = make(PLAIN + '"I love you," he said at last.')
    assert "Love Confessions" in add(confession)
    established = make(
        PLAIN + '"I love you," she said. "I love you too," he said. It was our anniversary, '
        "and my boyfriend had cooked."
    )
    tags = add(established)
    assert "Established Relationship" in tags and "Love Confessions" not in tags


def test_getting_together_and_first_kiss() -> None:
    a = make(
        PLAIN
        + '"I love you." She kissed him. It was their first kiss, the start of a new relationship.'
    )
    tags = add(a)
    assert {"Getting Together", "First Kiss"} <= set(tags)
    assert not {"Getting Together", "First Kiss"} & set(add(make(PLAIN)))


def test_break_up() -> None:
    a = make(PLAIN + "They broke up in June. After the break-up she dumped his letters too.")
    assert "Break Up" in add(a)
    assert "Break Up" not in add(make(PLAIN + "The ice broke apart."))


def test_loss_of_virginity_needs_sexual_context() -> None:
    a = make(
        PLAIN + "It was her first time with him; he was gentle when she lost her virginity, "
        "and they slept together until dawn."
    )
    assert "Loss of Virginity" in add(a)
    assert "Loss of Virginity" not in add(make(PLAIN + "The Virgin Mary stood in the chapel."))


def test_hurt_comfort() -> None:
    story = (
        "She was sobbing on the porch. He knelt and hugged her close, rubbing slow circles "
        "on her shoulders, and brushed the tears from her cheek. 'Shh, I've got you,' he said. "
    ) * 2
    assert "Hurt/Comfort" in add(make(story))
    assert "Hurt/Comfort" not in add(make("He held her coat while she tied her shoe. " * 4))


def test_angst_and_fluff_from_cues() -> None:
    sad = make(
        "She cried all night, alone, heartbroken. The pain would not stop; tears, grief, "
        "despair. She was terrified of the morning. " * 3
    )
    happy = make(
        "She smiled and laughed, happy and warm, snuggled against him; they giggled and "
        "grinned at the sweet, silly cat. " * 3
    )
    assert "Angst" in add(sad) and "Fluff" not in add(sad)
    assert "Fluff" in add(happy) and "Angst" not in add(happy)


def _arc(text: str, valence: float, sad: float, joy: float) -> list[EmotionPoint]:
    half = len(text) // 2
    return [
        EmotionPoint(
            start=a, end=b, index=i, valence=valence, emotions=Emotions(sadness=sad, joy=joy)
        )
        for i, (a, b) in enumerate(((0, half), (half, len(text))))
    ]


def test_angst_and_fluff_follow_the_emotion_arc_when_affect_ran() -> None:
    dark = make(PLAIN)
    dark.emotion_arc = _arc(dark.text, -0.5, 0.6, 0.1)
    bright = make(PLAIN)
    bright.emotion_arc = _arc(bright.text, 0.6, 0.0, 0.7)
    assert "Angst" in add(dark) and "Fluff" not in add(dark)
    assert "Fluff" in add(bright) and "Angst" not in add(bright)
    s = only(tags_of(dark).additional, "Angst")
    assert any(e.cue.startswith("emotion arc") for e in s.evidence)


def test_romance_from_relationships_or_cues() -> None:
    assert "Romance" in add(_couple(("female", "male")))
    assert "Romance" not in add(_couple(("female", "male"), kind="platonic"))
    assert "Romance" not in add(make(PLAIN))


def test_humor_and_reunions_need_density() -> None:
    funny = make("She laughed at his joke. He chuckled, teasing her; she giggled, amused. " * 3)
    assert "Humor" in add(funny)
    assert "Humor" not in add(make(PLAIN + " She laughed once."))
    back = make(
        "He came back after all these years. She hadn't seen him since school. "
        '"You\'re back," she said. He had returned for good. ' * 2
    )
    assert "Reunions" in add(back)
    assert "Reunions" not in add(make(PLAIN + " He came back from the shop."))


def test_every_rule_names_a_tag_of_the_vocabulary() -> None:
    assert [tag for tag, _, _ in RULES] == list(ADDITIONAL)
    for t in tags_of(make(PHONE)).additional:
        assert t.tag in ADDITIONAL


# ---------------------------------------------------------- stage and report


def test_stage_runs_after_the_layers_it_reads_and_needs_characters() -> None:
    order = pipeline.STAGE_ORDER
    assert order.index("tagging") > max(
        order.index(s) for s in ("characters", "narrative", "relations", "affect")
    )
    assert "tagging" not in [s.name for s in pipeline.build_stages(["characters"])]


def test_report_marks_agreement_with_declared_tags() -> None:
    a = make(PLAIN + '"Damn it. What the hell," she said.')
    a.metadata = Metadata(rating="Teen And Up Audiences", additional_tags=["fluff"])
    a.tags = suggest_tags(a)
    rows = {r.key: r for r in tag_rows(a)}
    assert rows["rating"].declared[0].agreed
    assert rows["rating"].suggested[0].agreed


@pytest.mark.parametrize(
    ("category", "declared", "suggested", "same"),
    [
        (
            "warnings",
            "Creator Chose Not To Use Archive Warnings",
            "Choose Not To Use Archive Warnings",
            True,
        ),
        ("warnings", "Underage", "Underage Sex", True),
        ("rating", "Fiction Rated: T", "Teen And Up Audiences", True),
        ("rating", "Teen and Up", "Teen And Up Audiences", True),
        ("rating", "M", "Teen And Up Audiences", False),
        ("category", "M/F", "F/M", True),
        ("relationships", "Rory/Jess", "Jess Mariano/Rory Gilmore", True),
        ("relationships", "Rory & Jess", "Jess Mariano/Rory Gilmore", False),
        ("relationships", "Rory/Logan", "Jess Mariano/Rory Gilmore", False),
        ("characters", "Rory G.", "Rory Gilmore", True),
        ("characters", "Jess M.", "Rory Gilmore", False),
        ("additional", "Fluff and Angst", "Angst", True),
        ("additional", "First Time", "First Kiss", False),
    ],
)
def test_report_agreement_knows_ao3_quirks(
    category: str, declared: str, suggested: str, same: bool
) -> None:
    from ficlens.tagging.agreement import agrees

    assert agrees(category, declared, suggested) is same


def test_idioms_of_death_are_not_deaths() -> None:
    cast = {"anna": ("Anna", "female"), "ben": ("Ben", "male")}
    story = (
        "Anna was dead tired. Anna's phone was dead. Ben said Anna was dead to him now, "
        "and Anna almost died laughing. "
    ) + DEATH_STORY.split("In the winter")[0]
    w = names(tags_of(make(story, cast=cast)).warnings)
    assert w == ["No Archive Warnings Apply"]


def test_a_rewrite_note_makes_episode_related_surer(kb: KnowledgeBase) -> None:
    cast = {"r": ("Rory Gilmore", "female"), "j": ("Jess Mariano", "male")}
    story = "Rory sat on the bridge. Jess sat down beside Rory. " * 5

    def episode(note: str) -> TagSuggestion:
        a = make(story, notes=note, cast=cast)
        for c in a.characters:
            c.canon, c.ao3_tag = True, c.name
        return only(tags_of(a, kb).additional, "Episode Related")

    plain = episode('A/N: Set during "Keg! Max!".')
    rewrite = episode('A/N: A re-write of "Keg! Max!", with a twist.')
    assert rewrite.confidence > plain.confidence
    assert any(e.cue == "note: re-write" for e in rewrite.evidence)


def test_leads_weak_romance_is_tagged_but_a_walk_ons_family_tie_is_not() -> None:
    story = (
        "Mia waited at the pier. Leo did not come. Mia thought of Leo all night, and Leo "
        "thought of Mia in the city. " * 4 + "Leo's mother Ruth had left a note."
    )
    cast = {"mia": ("Mia", "female"), "leo": ("Leo", "male"), "ruth": ("Ruth", "female")}
    rels = [
        Relationship(pair=("leo", "ruth"), kind="family", score=0.6),
        Relationship(pair=("leo", "mia"), kind="romantic", score=0.18),
    ]
    t = tags_of(make(story, cast=cast, relationships=rels))
    assert names(t.relationships) == ["Leo/Mia"]
    assert names(t.category) == ["F/M"]
    assert "Ruth" not in names(t.characters)
    # a weak romance between a lead and a walk-on is not the fic's pairing
    rels[1] = Relationship(pair=("mia", "ruth"), kind="romantic", score=0.18)
    assert tags_of(make(story, cast=cast, relationships=rels)).relationships == []


def test_relationship_evidence_puts_the_present_before_the_history() -> None:
    a = _couple(("female", "male"))
    kiss = a.relationships[0].evidence[0]
    old = Evidence(start=0, end=3, cue="ex: over")
    a.relationships[0].evidence = [old, kiss]
    t = tags_of(a)
    assert t.relationships[0].evidence == [kiss, old]
    assert old not in only(t.additional, "Romance").evidence


def test_a_crowded_cast_gets_a_short_relationship_list() -> None:
    people = ["Ann", "Bea", "Cal", "Dan", "Eve", "Fay", "Gus"]
    story = " ".join(f"{a} met {b}." for a in people for b in people if a != b) * 2
    cast = {p.lower(): (p, "female") for p in people}
    rels = [
        Relationship(pair=(a.lower(), b.lower()), kind="platonic", score=0.9)
        for i, a in enumerate(people)
        for b in people[i + 1 :]
    ]
    rels.append(Relationship(pair=("ann", "bea"), kind="romantic", score=0.5, declared=True))
    t = tags_of(make(story, cast=cast, relationships=rels))
    assert "Ann/Bea" in names(t.relationships)
    assert len(t.relationships) == 4  # the declared pairing and three friendships


def test_notes_only_text_still_gets_one_rating_and_no_story_cues() -> None:
    a = Analysis(
        ficlens_version="test",
        source=Source(),
        text="A/N: damn, this took forever. Rated for fuck-ups.",
        segments=[Segment(start=0, end=49, kind="authors_note")],
    )
    t = suggest_tags(a)
    assert names(t.rating) == ["General Audiences"]  # swearing in a note is not the story's
    assert names(t.warnings) == ["No Archive Warnings Apply"]


def test_the_pipeline_fills_tags() -> None:
    import ficlens

    text = (
        '"Damn it, Nora," Tom said. "What the hell happened?"\n\n'
        "Nora shrugged and looked at the sea. Tom sat down beside her.\n"
    ) * 3
    a = ficlens.analyze(text)
    assert "tagging" in a.timings
    assert names(a.tags.rating) == ["Teen And Up Audiences"]
    # a category only when the relations stage ran (it lands on its own branch)
    assert bool(a.tags.category) == ("relations" in a.timings)


def test_one_clear_implied_cue_in_a_long_fic_is_teen_but_courting_is_not() -> None:
    long_story = PLAIN * 40
    a = make(long_story + " Later they slept together. " + long_story)
    assert names(tags_of(a).rating) == ["Teen And Up Audiences"]
    b = make(long_story + " Mr. Dale was making love to Miss Pryor. " + long_story)
    assert names(tags_of(b).rating) == ["General Audiences"]


def test_a_death_is_no_death_when_the_character_speaks_on() -> None:
    cast = {"anna": ("Anna", "female"), "ben": ("Ben", "male")}
    later = '"I am fine," came the answer. The ships sailed on. ' * 60
    story = DEATH_STORY + " " + later
    died = story.index("Anna died")

    def told_by(speaker: str) -> Analysis:
        a = make(story, cast=cast)
        for q in a.quotes:
            if q.start > died:
                q.speaker = speaker
        return a

    assert "Major Character Death" not in names(tags_of(told_by("anna")).warnings)
    assert "Major Character Death" in names(tags_of(told_by("ben")).warnings)


def test_i_love_you_to_a_parent_is_no_confession() -> None:
    assert "Love Confessions" not in add(make(PLAIN + '"I love you, Mom," she said.'))
    # with relations: said to someone known only as family
    story = PLAIN + '"I love you," Mia told Ruth.'
    cast = {"mia": ("Mia", "female"), "ruth": ("Ruth", "female")}
    a = make(story, cast=cast)
    a.quotes[-1].speaker, a.quotes[-1].addressees = "mia", ["ruth"]
    a.relationships = [Relationship(pair=("mia", "ruth"), kind="family", score=0.9)]
    assert "Love Confessions" not in add(a)
    a.relationships = [Relationship(pair=("mia", "ruth"), kind="romantic", score=0.9)]
    assert "Love Confessions" in add(a)
