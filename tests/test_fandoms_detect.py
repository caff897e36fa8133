"""Name lookups, episode titles and fandom detection (texts written for these tests)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficlens.fandoms import KnowledgeBase, detect_fandom, load_knowledge_base
from ficlens.fandoms.names import trie_pattern
from ficlens.model import Analysis, Character, Mention, Metadata, Segment, Source

GG = "Gilmore Girls"
SPN = "Supernatural (TV 2005)"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _analysis(text: str, **metadata: list[str]) -> Analysis:
    return Analysis(
        ficlens_version="test", source=Source(), text=text, metadata=Metadata(**metadata)
    )


# --------------------------------------------------------------------- names


def _tags(kb: KnowledgeBase, surface: str, fandoms: list[str] | None = None) -> list[str]:
    return [c.tag for _, c in kb.find_characters(surface, fandoms)]


def test_exact_forms_find_the_character(kb: KnowledgeBase) -> None:
    for surface in (
        "Rory",
        "rory",
        "RORY GILMORE",
        "Ror",
        "Mary",
        "Lorelai Leigh Gilmore",
        "Rory's",
        "Rory\u2019s",
    ):
        assert _tags(kb, surface, [GG]) == ["Rory Gilmore"], surface
    for surface in ("Jess", "Jess Mariano", "Dodger"):
        assert _tags(kb, surface, [GG]) == ["Jess Mariano"], surface
    assert _tags(kb, "Cas", [SPN]) == ["Castiel (Supernatural)"]
    assert _tags(kb, "Castiel", [SPN]) == ["Castiel (Supernatural)"]


def test_weaker_matches_are_flagged(kb: KnowledgeBase) -> None:
    matches = kb.match_character("Lorelai", [GG])
    assert matches[0].character.tag == "Lorelai Gilmore" and matches[0].strength == "exact"
    weaker = {m.character.tag: m.strength for m in matches[1:]}
    assert weaker.get("Rory Gilmore") == "first_name"  # Rory's given name is Lorelai
    assert _tags(kb, "Lorelai", [GG]) == ["Lorelai Gilmore"]  # strongest tier only
    mariano = kb.match_character("Mariano", [GG])
    assert {m.character.tag for m in mariano} == {"Jess Mariano", "Jimmy Mariano"}
    assert {m.strength for m in mariano} == {"surname"}


def test_titles_and_function_words_are_not_names(kb: KnowledgeBase) -> None:
    assert kb.match_character("One") == []  # "All For One" has no first name or surname
    assert kb.match_character("The") == []  # nor has "The Doctor"
    assert kb.match_character("Mrs.") == []  # nor is "Mrs." the first name of "Mrs. Kim"
    assert kb.match_character("Rivia") == []  # a place, though part of "Geralt of Rivia"
    assert [m.strength for m in kb.match_character("Bittle", ["Check Please!"])][:1] == ["surname"]


def test_honorific_keeps_the_implied_gender(kb: KnowledgeBase) -> None:
    women = set(_tags(kb, "Mrs. Gilmore", [GG]))
    assert {"Emily Gilmore", "Lorelai Gilmore"} <= women
    assert "Richard Gilmore" not in women
    assert _tags(kb, "Mr. Gilmore", [GG]) == ["Richard Gilmore"]
    assert _tags(kb, "Miss Patty", [GG]) == ["Miss Patty"]


def test_shared_first_names_span_fandoms(kb: KnowledgeBase) -> None:
    deans = {(f.name, c.tag) for f, c in kb.find_characters("Dean")}
    assert {(GG, "Dean Forester"), (SPN, "Dean Winchester")} <= deans
    assert _tags(kb, "Dean", [SPN]) == ["Dean Winchester"]
    assert kb.find_characters("Stars Hollow") == []
    assert kb.find_characters("Nobody In Particular") == []


def test_fandom_lookup_by_tag_and_alias(kb: KnowledgeBase) -> None:
    gg = kb.fandom(GG)
    assert gg is not None
    assert kb.fandom("gilmore girls") is gg and kb.fandom("GG") is gg
    spn = kb.fandom("SPN")
    assert spn is not None and spn.name == SPN
    assert kb.fandom("Supernatural") is spn
    assert kb.fandom("No Such Show") is None


# ------------------------------------------------------------------- episodes


def test_episode_titles_found_with_spans(kb: KnowledgeBase) -> None:
    text = (
        'Set right after Last Week Fights, This Week Tights. Or maybe after "Keg! Max!" '
        "and the 'Nag Hammadi...' kiss. A pilot is not the \u201cPilot\u201d."
    )
    found = kb.episodes_in(text)
    spans = {text[e.start : e.end]: e for e in found}
    assert set(spans) == {"Last Week Fights, This Week Tights", "Keg! Max!", "Nag Hammadi", "Pilot"}
    assert spans["Nag Hammadi"].episode.title.startswith("Nag Hammadi Is Where")
    assert spans["Keg! Max!"].quoted and not spans["Last Week Fights, This Week Tights"].quoted
    owners = {(text[e.start : e.end], e.fandom.name) for e in found}
    assert ("Pilot", SPN) in owners and ("Pilot", GG) in owners  # both shows have one
    assert {f for t, f in owners if t != "Pilot"} == {GG}
    assert {e.fandom.name for e in kb.episodes_in(text, [GG])} == {GG}


def test_a_title_two_shows_share_is_split_between_them(kb: KnowledgeBase) -> None:
    shared_only = detect_fandom(_analysis('After "Swan Song" nothing was the same.'), kb)
    assert {s.fandom for s in shared_only} == {GG, SPN}
    assert abs(shared_only[0].score - shared_only[1].score) < 0.01
    with_place = detect_fandom(_analysis('After "Swan Song" Stars Hollow was quiet.'), kb)
    scores = {s.fandom: s.score for s in with_place}
    assert scores[GG] > 2 * scores.get(SPN, 0.0)


def test_short_titles_are_not_found_as_everyday_words(kb: KnowledgeBase) -> None:
    text = "The pilot said it was a double date. Bon voyage, she said. Help wanted."
    assert kb.episodes_in(text) == []


def test_dialogue_is_not_an_episode_title(kb: KnowledgeBase) -> None:
    text = (
        '"Kill me now," she groaned. "Pilot," he said. "Let the games begin!" '
        "It's just like riding a bike, Lane said. \u201cFall,\u201d she whispered."
    )
    assert kb.episodes_in(text) == []
    text = 'After "Kill Me Now" and \u201cFall\u201d and Let the Games Begin, nothing.'
    found = [(text[e.start : e.end], e.episode.season) for e in kb.episodes_in(text, [GG])]
    assert found == [("Kill Me Now", 1), ("Fall", 8), ("Let the Games Begin", 3)]


# ------------------------------------------------------------------ detection


GG_TEXT = (
    "Lorelai pushed open the door of Luke's and waved at Rory, who was already on her "
    "second coffee. Across the square, Kirk was arguing with Taylor about the gazebo, and "
    "Sookie had promised pie for the whole of Stars Hollow. Jess leaned on the counter and "
    "pretended not to listen."
)
SPN_TEXT = (
    "Dean Winchester kicked the motel door shut and dropped the duffel on the bed. Castiel "
    "stood by the window, head tilted, while Sam read out the lore about the thing in the "
    "woods. Bobby had called twice already."
)


def test_gilmore_girls_paragraph(kb: KnowledgeBase) -> None:
    scores = detect_fandom(_analysis(GG_TEXT), kb)
    assert scores and scores[0].fandom == GG
    assert 0.0 < scores[0].score <= 1.0
    assert all(s.score < scores[0].score for s in scores[1:])
    cues = {GG_TEXT[e.start : e.end] for e in scores[0].evidence}
    assert {"Rory", "Stars Hollow", "Luke's"} & cues
    for e in scores[0].evidence:
        assert 0 <= e.start < e.end <= len(GG_TEXT)


def test_supernatural_paragraph(kb: KnowledgeBase) -> None:
    scores = detect_fandom(_analysis(SPN_TEXT), kb)
    assert scores[0].fandom == SPN
    gg = [s for s in scores if s.fandom == GG]
    assert not gg or gg[0].score < scores[0].score / 2


def test_shared_names_are_settled_by_the_distinctive_ones(kb: KnowledgeBase) -> None:
    text = "Dean waited for Rory at the edge of Stars Hollow."
    scores = {s.fandom: s.score for s in detect_fandom(_analysis(text), kb)}
    assert max(scores, key=scores.__getitem__) == GG
    assert scores.get(SPN, 0.0) < scores[GG] / 2


@pytest.mark.parametrize(
    ("text", "fandom"),
    [
        (
            "Harry stared at Draco across the Great Hall while Hermione muttered about Snape.",
            "Harry Potter - J. K. Rowling",
        ),
        (
            "Sherlock threw himself onto the sofa at Baker Street; John put the kettle on.",
            "Sherlock (TV)",
        ),
        (
            "Tony Stark glared at Steve across the lab in Avengers Tower.",
            "Marvel Cinematic Universe",
        ),
        (
            "Naruto shouted at Sasuke while Sakura and Kakashi watched from the Konoha gate.",
            "Naruto",
        ),
        (
            "Hinata jumped and Kageyama set the ball; Tsukishima sighed at Karasuno practice.",
            "Haikyuu!!",
        ),
        ("Stiles parked in the Beacon Hills Preserve while Derek glowered.", "Teen Wolf (TV)"),
        ("Crowley lounged in the bookshop while Aziraphale fussed in Soho.", "Good Omens (TV)"),
        ("Geralt grunted while Jaskier sang; Yennefer rolled her eyes.", "The Witcher (TV)"),
        (
            "Keith glared at Lance in the Castle of Lions while Pidge argued with Coran.",
            "Voltron: Legendary Defender",
        ),
        (
            "Bitty baked a pie in the Haus while Jack Zimmermann watched.",
            "Check Please! (Webcomic)",
        ),
    ],
)
def test_each_fandom_is_recognised_by_its_cast(kb: KnowledgeBase, text: str, fandom: str) -> None:
    scores = detect_fandom(_analysis(text), kb)
    assert scores and scores[0].fandom == fandom
    assert all(s.score < scores[0].score for s in scores[1:])


def test_everyday_names_alone_point_nowhere(kb: KnowledgeBase) -> None:
    text = "Will went to Paris in June with Grace and Jack. The doctor said it was nothing."
    assert detect_fandom(_analysis(text), kb) == []


def test_declared_fandom_wins(kb: KnowledgeBase) -> None:
    scores = detect_fandom(_analysis(SPN_TEXT, fandoms=["Gilmore Girls"]), kb)
    assert scores[0].fandom == GG and scores[0].score == 1.0 and scores[0].declared
    assert scores[1].fandom == SPN and scores[1].score < 1.0 and not scores[1].declared


def test_declared_fandom_evidence_points_at_its_name(kb: KnowledgeBase) -> None:
    text = "Disclaimer: I don't own gilmore girls.\n\n" + GG_TEXT
    scores = detect_fandom(_analysis(text, fandoms=["Gilmore Girls (TV)"]), kb)
    assert scores[0].fandom == GG and scores[0].declared
    first = scores[0].evidence[0]
    assert text[first.start : first.end] == "gilmore girls"
    assert first.cue.startswith("declared fandom")
    assert len(scores[0].evidence) > 1  # the names in the text are kept as evidence too


def test_declared_crossover_and_aliases(kb: KnowledgeBase) -> None:
    scores = detect_fandom(_analysis("Nothing canon here.", fandoms=["GG + SPN Crossover"]), kb)
    assert {s.fandom for s in scores if s.declared} == {GG, SPN}
    unknown = detect_fandom(_analysis("Nothing canon here.", fandoms=["Some Other Show"]), kb)
    assert unknown == []


def test_nothing_canon_gives_no_fandom(kb: KnowledgeBase) -> None:
    text = "The rain kept on. She made tea, read two chapters and fell asleep by the window."
    assert detect_fandom(_analysis(text), kb) == []


def test_episode_title_alone_points_to_its_fandom(kb: KnowledgeBase) -> None:
    text = 'This picks up right after "Those Are Strings, Pinocchio" and ignores the rest.'
    scores = detect_fandom(_analysis(text), kb)
    assert scores and scores[0].fandom == GG
    assert any(e.cue.startswith("episode:") for e in scores[0].evidence)


def test_characters_from_the_characters_stage_count(kb: KnowledgeBase) -> None:
    text = "She said hello to him and he said hello back."
    a = _analysis(text)
    a.characters = [Character(id="c0", name="Jess", ao3_tag="Jess Mariano", canon=True)]
    a.mentions = [Mention(start=0, end=3, character="c0", kind="name")]
    scores = detect_fandom(a, kb)
    assert scores and scores[0].fandom == GG
    assert scores[0].evidence[0].start == 0


def test_names_in_authors_notes_count_less(kb: KnowledgeBase) -> None:
    note = "A/N: Thanks to Castiel and Bobby Singer for reading this over!"
    text = note + "\n\n" + GG_TEXT
    plain = {s.fandom: s.score for s in detect_fandom(_analysis(text), kb)}
    a = _analysis(text)
    a.segments = [
        Segment(start=0, end=len(note), kind="authors_note"),
        Segment(start=len(note) + 2, end=len(text), kind="story"),
    ]
    noted = {s.fandom: s.score for s in detect_fandom(a, kb)}
    assert plain[SPN] > 0.1
    assert noted.get(SPN, 0.0) < plain[SPN] / 2
    assert noted[GG] == plain[GG]


def test_repetition_counts_less_than_variety(kb: KnowledgeBase) -> None:
    repeated = detect_fandom(_analysis("Rory. " * 200), kb)
    varied = detect_fandom(_analysis("Rory. Lorelai. Luke Danes. Paris Geller. Stars Hollow."), kb)
    assert varied[0].fandom == GG
    rep_gg = next(s.score for s in repeated if s.fandom == GG)
    assert rep_gg < varied[0].score


def test_detection_is_fast_on_a_long_text(kb: KnowledgeBase) -> None:
    paragraph = GG_TEXT + " " + SPN_TEXT + " The weather turned and nobody said a word. "
    text = paragraph * (600_000 // len(paragraph.split()) + 1)
    assert len(text.split()) >= 600_000
    detect_fandom(_analysis("warm up"), kb)
    start = time.perf_counter()
    scores = detect_fandom(_analysis(text), kb)
    elapsed = time.perf_counter() - start
    assert {s.fandom for s in scores[:2]} == {GG, SPN}
    assert elapsed < 3.0  # typically ~0.3 s; generous for a shared machine


_WORDS = st.sampled_from(
    [
        "Rory",
        "Jess",
        "Dean",
        "Castiel",
        "Stars Hollow",
        "the",
        "\u201cPilot\u201d",
        "Luke's",
        "Will",
        '"',
        "'",
        "\u2019s",
        "...",
        "\n",
        " ",
        "Mrs.",
        "Gilmore",
        "Keg! Max!",
        "ß",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(max_size=5)), max_size=40))
def test_detection_never_fails_and_spans_stay_in_the_text(parts: list[str]) -> None:
    text = " ".join(parts)
    kb = load_knowledge_base()
    scores = detect_fandom(_analysis(text), kb)
    assert [s.score for s in scores] == sorted((s.score for s in scores), reverse=True)
    for s in scores:
        assert 0.0 < s.score <= 1.0
        for e in s.evidence:
            assert 0 <= e.start < e.end <= len(text)
    for e in kb.episodes_in(text):
        forms = {_title(t) for t in (e.episode.title, *e.episode.aliases)}
        assert _title(text[e.start : e.end]) in forms


def _title(title: str) -> str:
    return title.replace("\u2019", "'").rstrip(".\u2026 ")


def test_odd_surfaces_match_nothing(kb: KnowledgeBase) -> None:
    for surface in ("", "   ", "'s", "Mrs.", "/", "&"):
        assert kb.match_character(surface) == []
        assert not kb.is_place(surface)
        assert kb.ship_by_name(surface) is None


@settings(max_examples=80, deadline=None)
@given(
    st.sets(st.text(alphabet="ab.'? ", min_size=1, max_size=5), min_size=1, max_size=12),
    st.text(alphabet="ab.'? ", max_size=6),
)
def test_trie_pattern_matches_exactly_its_words(words: set[str], probe: str) -> None:
    pattern = re.compile(trie_pattern(words))
    for w in words:
        assert pattern.fullmatch(w)
    assert bool(pattern.fullmatch(probe)) == (probe in words)
