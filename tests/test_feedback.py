"""Beta-reader feedback rules, each with a text that should and one that should not fire."""

from __future__ import annotations

import pytest

import ficlens
from ficlens.feedback.stage import FeedbackStage, merge
from ficlens.ingest import read_text
from ficlens.model import Analysis, Feedback, Segment, Slip
from ficlens.pipeline import Document


def _items(text: str, rule_prefix: str = "") -> list[tuple[str, str, str | None, str]]:
    """(rule, flagged text, suggestion, severity) for every item whose rule starts so."""
    a = ficlens.analyze(text)
    return [
        (f.rule, a.text[f.start : f.end], f.suggestion, f.severity)
        for f in a.feedback
        if f.rule.startswith(rule_prefix)
    ]


def _flagged(text: str, rule: str) -> list[str]:
    return [t for r, t, _, _ in _items(text, rule) if r == rule]


# ----------------------------------------------------------------- dialogue tags


def test_full_stop_before_tag_becomes_comma() -> None:
    text = 'Mara looked at the rain.\n\n"Please stay a while." He said. Then he left.\n'
    found = _items(text, "dialogue.")
    assert found == [("dialogue.tag_full_stop", '." He said', '," he said', "warning")]


def test_full_stop_before_named_and_inverted_tags() -> None:
    text = (
        'Mara and Tobin walked home.\n\n"It is late now." Mara said quietly.\n\n'
        '"I know it is." Whispered Tobin.\n'
    )
    found = {(t, s) for _, t, s, _ in _items(text, "dialogue.tag_full_stop")}
    assert found == {('." Mara said', '," Mara said'), ('." Whispered Tobin', '," whispered Tobin')}


def test_action_beat_after_full_stop_is_fine() -> None:
    text = (
        '"That sounds lovely." She smiled at him.\n\n"Take the blue one." He answered the '
        'door.\n\n"Mr." he read aloud from the plate.\n'
    )
    assert _items(text, "dialogue.") == []


def test_tag_that_opens_the_next_line_keeps_its_full_stop() -> None:
    text = '"Yes." She added quietly, "I will come along."\n'
    assert _items(text, "dialogue.") == []
    assert _flagged('"Yes." She added quietly.\n', "dialogue.tag_full_stop") == ['." She added']


def test_dash_dialogue_is_left_to_its_own_conventions() -> None:
    text = "—Thanks, old friend, he cried briskly.\n\n—Back to the ship! Mara said.\n"
    assert _items(text, "dialogue.") == []


def test_capitalised_tag_after_comma_or_question() -> None:
    text = (
        '"Come here," She said.\n\n"Where were you?" He asked. "Tell me," I said.\n\n'
        '"I don\'t know..." He whispered.\n\n"Wait—" she said.\n'
    )
    found = _items(text, "dialogue.tag_capitalised")
    assert [(t, s) for _, t, s, _ in found] == [
        ("She said", "she said"),
        ("He asked", "he asked"),
        ("He whispered", "he whispered"),
    ]
    assert _items(text, "dialogue.tag_full_stop") == []


def test_missing_comma_before_tag() -> None:
    text = '"We should really go home now" she said.\n\n"We should go," she said.\n'
    found = _items(text, "dialogue.")
    assert [(r, s) for r, _, s, _ in found] == [("dialogue.tag_missing_comma", '," she said')]


def test_comma_before_a_quotation_after_a_tag() -> None:
    text = 'Mara whispered "Can we go home now?" and waited.\n\nShe said, "Fine by me."\n'
    found = _items(text, "dialogue.")
    assert found == [("dialogue.comma_before_quote", 'whispered "', 'whispered, "', "warning")]
    # a quoted word or a non-speech verb is not a line of dialogue
    assert _items('He had called it "Fate" for years.\n', "dialogue.") == []


def test_plural_written_with_an_apostrophe() -> None:
    text = (
        "A few month's later she paid two week's rent. Two days' work. Jess's car. "
        "She visited a few people's houses.\n"
    )
    found = _items(text, "punctuation.plural")
    assert [(t, s) for _, t, s, _ in found] == [("month's", "months"), ("week's", "weeks'")]


# ------------------------------------------------------------------- spacing


def test_missing_space_after_comma() -> None:
    text = "She nodded slowly,carefully and sat down.\n"
    assert _items(text, "punctuation.") == [
        ("punctuation.missing_space", "slowly,carefully", "slowly, carefully", "warning")
    ]


def test_numbers_times_initials_urls_ellipses_are_not_spacing_errors() -> None:
    text = (
        "He paid 1,000 dollars at 3:30 to J.K. Barlow, e.g. for rent. She said...I know. "
        "Visit www.example.com/page.html or mail me@home.org today. It was 5 a.m. then.\n"
    )
    assert _items(text, "punctuation.") == []


# -------------------------------------------------------------- confusions


@pytest.mark.parametrize(
    ("text", "wrong", "right", "rule"),
    [
        ("She knew their are no easy answers.", "their", "there", "confusion.their_there"),
        ('"Your not my boss," he said.', "Your", "You're", "confusion.your_youre"),
        ('"Well, your right," he said.', "your", "you're", "confusion.your_youre"),
        ('"Well, your back?" he said.', None, None, "confusion.your_youre"),
        ("She thought its a shame.", "its", "it's", "confusion.its_its"),
        ("The dog chased it's own tail.", "it's", "its", "confusion.its_its"),
        ("He would of gone home early.", "would of", "would have", "confusion.modal_of"),
        ("She was taller then her brother.", "then", "than", "confusion.then_than"),
        ("He did not want to loose the game.", "loose", "lose", "confusion.lose_loose"),
        ("The rain had an affect on the crops.", "affect", "effect", "confusion.affect_effect"),
        ("They talked for awhile longer.", "awhile", "a while", "confusion.a_while"),
        ("He came out of no where at night.", "no where", "nowhere", "confusion.split_word"),
        ("She took of her coat.", "took of", "took off", "confusion.of_off"),
        (
            "The rain was not pouring down the glass, drowning the street.",
            "not",
            "now",
            "confusion.not_now",
        ),
        ("He turned of the light.", "turned of", "turned off", "confusion.of_off"),
    ],
)
def test_confusion_found_with_suggestion(
    text: str, wrong: str | None, right: str | None, rule: str
) -> None:
    found = [(t, s, sev) for r, t, s, sev in _items(text, "confusion.") if r == rule]
    if wrong is None:
        assert found == []
        return
    warning = rule in {"confusion.a_while", "confusion.not_now"}
    assert found == [(wrong, right, "warning" if warning else "error")]


def test_correct_uses_are_not_confusions() -> None:
    text = (
        "There are two houses. Their house is blue. Your going away party was fun. "
        "Your own room is there. The cat licked its paw. It's time to go, and it's late. "
        "She could, of course, stay. He was happier then. First we ate, and then we slept. "
        "The knot came loose. Rain will affect the crops. She waited awhile. "
        "It had an effect on everyone. They have the better of it. She took of the fruit. "
        "He turned of age. She admired the turn of the phrase. A few of Jess's friends came. "
        "The turn of her mind was odd. "
        "The rain was not pouring down the glass."
    )
    assert _items(text, "confusion.") == []


def test_stray_article_before_a_pronoun() -> None:
    text = '"Maybe the you should sit down," she said. The he-goat ate the grass.\n'
    assert _items(text, "confusion.stray") == [
        ("confusion.stray_article", "the you", "you", "warning")
    ]


def test_yea_only_inside_dialogue() -> None:
    text = '"Yea. I guess so," he said. The yea votes won.\n'
    assert _items(text, "confusion.yea") == [("confusion.yea_yeah", "Yea", "Yeah", "warning")]


# ----------------------------------------------------------------- spelling


def test_misspelling_with_confident_suggestion() -> None:
    text = "She left immediatly after the party, though it was raining.\n"
    assert _items(text, "spelling.") == [
        ("spelling.misspelling", "immediatly", "immediately", "error")
    ]


def test_names_british_interjections_and_coinages_are_not_misspellings() -> None:
    text = (
        "Kestrin walked to the harbour with Mara. Kestrin liked the colour of the sea. "
        '"Ugh, hmmm, sooo tired," said Mara. She called him kestrin when teasing. '
        "They ate glimberries, then more glimberries, then the last glimberries. "
        "See https://example.org/wordz for details.\n"
    )
    assert _items(text, "spelling.") == []


def test_british_plural_prefixed_foreign_and_loan_words_are_not_misspellings() -> None:
    text = (
        "Her favourite neighbourhoods had honourable defences. She heard twitterings and "
        'gropings near the unsewn hem. They toasted the fiance. "We shall be a partie '
        'carree," he said.\n'
    )
    assert _items(text, "spelling.") == []


@pytest.mark.parametrize(
    ("typo", "right"),
    [("definately", "definitely"), ("truely", "truly"), ("begining", "beginning")],
)
def test_common_typos_get_their_correction(typo: str, right: str) -> None:
    assert _items(f"It was {typo} so.\n", "spelling.") == [
        ("spelling.misspelling", typo, right, "error")
    ]


def test_literary_coinages_are_not_misspellings() -> None:
    text = "The frogs sang silverly and pinkly; it grew lonesomer, and her lips primmed up.\n"
    assert _items(text, "spelling.") == []


def test_accents_foreign_phrases_and_mentioned_words_are_not_misspellings() -> None:
    text = (
        "\"Well, I'd ruther be goin', an' I reckon the boys'll wait fer ye,\" said Tobin.\n\n"
        '"Du lait et de l\'herbe fraiche, je suis content," she said.\n\n'
        'He made a long "ohl" sound. She leant on the wall.\n'
    )
    assert _items(text, "spelling.") == []
    assert _flagged('"I\'d ruther go home," said Tobin.\n', "spelling.misspelling") == ["ruther"]


def test_character_names_are_not_misspellings() -> None:
    text = "Wesly smiled. Then Mara saw wesly by the sea and she ran.\n"
    # without the cast, "wesly" is one letter away from a common name
    assert _flagged(text, "spelling.misspelling") == ["wesly"]
    cast = [{"id": "w", "name": "Wesly", "aliases": []}]
    a = ficlens.analyze(text, characters=cast)
    assert [f for f in a.feedback if f.rule == "spelling.misspelling"] == []


def test_a_name_the_fic_capitalises_is_not_a_misspelling() -> None:
    text = "Marren came. Marren sat. Then marren sang.\n"
    assert _flagged(text, "spelling.misspelling") == []
    assert _flagged("Then marren sang.\n", "spelling.misspelling") == ["marren"]


# ----------------------------------------------------------------- repeats


def test_repeated_word_found() -> None:
    text = "She walked to the the door and opened it.\n"
    assert _items(text, "repetition.") == [("repetition.repeated_word", "the the", "the", "error")]
    assert _flagged("When I think of it it hurts.\n", "repetition.repeated_word") == []
    line_wrapped = "She walked to the\nthe door. A murmur rose.\n"
    assert _flagged(line_wrapped, "repetition.repeated_word") == ["the\nthe"]


def test_inside_quotes_only_function_words_count_as_repeats_but_spelling_is_checked() -> None:
    text = '"We walked walked all the the way, immediatly," she said. He ran ran home.\n'
    assert sorted(t for r, t, _, _ in _items(text) if r != "dialogue.tag_missing_comma") == [
        "immediatly",
        "ran ran",
        "the the",
    ]


def test_legitimate_repetition_is_not_flagged() -> None:
    text = (
        "He had had enough. She said that that was fine. It was very, very cold. "
        '"I-I don\'t know," she said. "No no no, wait wait," he said.\n'
    )
    assert _items(text, "repetition.") == []


# ------------------------------------------------------ paratext, slips, stage


def test_paratext_is_not_checked() -> None:
    text = (
        "A/N: their are alot of typos in this note, sorry.\n\n"
        "Mara walked down to the harbour in the rain. She left immediatly after the boats "
        "came in.\n\nTobin waited for her by the old wall.\n"
    )
    a = ficlens.analyze(text)
    assert any(s.kind == "authors_note" for s in a.segments)
    assert [(f.rule, a.text[f.start : f.end]) for f in a.feedback] == [
        ("spelling.misspelling", "immediatly")
    ]


def test_slips_are_copied_as_info_items() -> None:
    text = "She walks home. He walked beside her. She smiles smiles.\n"
    fic = read_text(text)
    analysis = Analysis(
        ficlens_version="test", text=fic.text, source=fic.source, metadata=fic.metadata
    )
    analysis.segments = [Segment(start=0, end=len(text) - 1, kind="story")]
    start = text.index("walked")
    analysis.narrative.slips = [
        Slip(start=start, end=start + 6, kind="tense", message="Past tense in present narration."),
        Slip(start=0, end=3, kind="viewpoint", message="Viewpoint shifts."),
        Slip(start=4, end=9, kind="other", message="not ours"),
        Slip(start=text.index("smiles"), end=text.index("smiles") + 6, kind="tense", message="t"),
    ]
    smiles = text.index("smiles")
    doc = Document(fic=fic, analysis=analysis)
    FeedbackStage().run(doc)
    got = [(f.rule, f.start, f.message, f.severity) for f in analysis.feedback]
    assert got == [
        ("narrative.viewpoint_slip", 0, "Viewpoint shifts.", "info"),
        ("narrative.tense_slip", start, "Past tense in present narration.", "info"),
        ("narrative.tense_slip", smiles, "t", "info"),  # kept beside the overlapping item
        ("repetition.repeated_word", smiles, '"smiles" is repeated.', "error"),
    ]


def test_merge_drops_overlaps_and_keeps_text_order() -> None:
    def fb(start: int, end: int, rule: str) -> Feedback:
        return Feedback(start=start, end=end, rule=rule, message="m")

    kept = merge([fb(10, 15, "a"), fb(0, 4, "b"), fb(12, 20, "c"), fb(15, 18, "d")])
    assert [(f.start, f.rule) for f in kept] == [(0, "b"), (10, "a"), (15, "d")]


def test_feedback_stage_is_last_and_timed() -> None:
    a = ficlens.analyze("She walked to the the door.\n")
    assert list(a.timings)[-1] == "feedback"
    assert ficlens.analyze("x\n", disable=["feedback"]).feedback == []
