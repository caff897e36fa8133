"""The affect stage: valence and emotions per scene and word window, dialogue valence.

Texts are written for these tests. Expectations are properties (signs, orderings,
coverage), never numbers copied from a run.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

import ficlens
from ficlens import pipeline
from ficlens.affect.lexicons import EMOTIONS, load
from ficlens.affect.scorer import Sentence
from ficlens.affect.stage import dialogue_valence, quote_valence
from ficlens.affect.windows import MAX_WINDOW, MIN_WINDOW, window_words
from ficlens.ingest import read_text
from ficlens.model import PARATEXT_KINDS, Analysis, EmotionPoint, Quote

HAPPY = (
    "The morning was bright and warm, and Mira laughed as she ran down to the harbour.\n\n"
    "Her brother had come home at last. She hugged him, delighted, and he smiled the "
    "wide, happy smile she loved.\n\n"
    "They ate cake on the pier and joked about old times, grateful and glad and full of "
    "joy. It was the best day of the whole wonderful summer."
)
GRIEF = (
    "The funeral was on a grey, cold morning, and Mira could not stop crying.\n\n"
    "Her brother was dead. She stood by the grave, heartbroken and alone, and the grief "
    "pressed on her chest until breathing hurt.\n\n"
    "Nobody spoke. Everyone was miserable, and the loss felt like a wound that would "
    "never heal. She wept until her eyes were sore."
)
FEAR = (
    "Something moved in the corridor, and Tomas froze, terrified.\n\n"
    "His hands were trembling. He was afraid to breathe, afraid the thing would hear his "
    "heart, and panic rose in his throat.\n\n"
    "The footsteps came closer. He hid behind the door, scared and shaking, dreading "
    "what would come through it."
)


def _windows(a: Analysis) -> list[EmotionPoint]:
    return [p for p in a.emotion_arc if p.window == "window"]


def _scenes(a: Analysis) -> list[EmotionPoint]:
    return [p for p in a.emotion_arc if p.window == "scene"]


def _mean_valence(a: Analysis) -> float:
    points = _windows(a)
    assert points
    return sum(p.valence for p in points) / len(points)


def _sentence_valence(text: str) -> float:
    return _mean_valence(ficlens.analyze(text, disable=["characters"]))


# ------------------------------------------------------------------ valence


def test_happy_text_is_positive_and_grief_negative() -> None:
    assert _mean_valence(ficlens.analyze(HAPPY)) > 0.2
    assert _mean_valence(ficlens.analyze(GRIEF)) < -0.2


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("She was happy with the result.", "She was not happy with the result."),
        ("He liked the new house.", "He didn't like the new house."),
        ("The soup was terrible.", "The soup was never terrible."),
        ("Everyone was happy.", "Nobody was happy."),
        ("She had many friends.", "She had no friends."),
    ],
)
def test_negation_flips_valence(plain: str, negated: str) -> None:
    a, b = _sentence_valence(plain), _sentence_valence(negated)
    assert a != 0.0
    assert (a > 0) != (b > 0) and b != 0.0


def test_negation_stops_at_punctuation() -> None:
    assert _sentence_valence("No, she was happy.") > 0


def test_booster_and_dampener_move_magnitude() -> None:
    base = _sentence_valence("The dinner was good.")
    assert _sentence_valence("The dinner was very good.") > base
    assert 0 < _sentence_valence("The dinner was barely good.") < base


def test_but_weighs_the_second_clause() -> None:
    assert _sentence_valence("The food was lovely, but the service was awful.") < 0
    assert _sentence_valence("The service was awful, but the food was lovely.") > 0


def test_like_as_a_preposition_is_neutral() -> None:
    assert _sentence_valence("The cloud looked like a tower over the town.") == 0.0
    assert _sentence_valence("I like the town.") > 0


def test_agrees_in_sign_with_vader_on_plain_sentences() -> None:
    """Our token scorer must read clear sentences the way VADER's own scorer does."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    sentences = [
        "What a lovely surprise, thank you so much!",
        "I hate this stupid, broken town.",
        "The party was fun and everyone was kind.",
        "He was cruel and the pain was unbearable.",
        "It is not a bad idea at all.",
        "She felt safe and loved in his arms.",
        "They were angry and afraid of the storm.",
    ]
    for s in sentences:
        ours = _sentence_valence(s)
        theirs = sia.polarity_scores(s)["compound"]
        assert abs(theirs) > 0.2, s  # the test sentence must be clear to VADER itself
        assert (ours > 0) == (theirs > 0) and ours != 0.0, (s, ours, theirs)


def test_character_names_carry_no_valence() -> None:
    cast = [{"id": "joy", "name": "Joy Park"}, {"id": "hope", "name": "Hope Ward"}]
    text = "Joy Park walked to the station with Hope Ward.\n\nJoy bought a ticket and Hope sat."
    a = ficlens.analyze(text, characters=cast)
    assert all(p.valence == 0.0 for p in a.emotion_arc)


# ----------------------------------------------------------------- emotions


def _strongest(a: Analysis) -> str:
    totals = dict.fromkeys(EMOTIONS, 0.0)
    for p in _windows(a):
        for name, value in p.emotions.model_dump().items():
            totals[name] += value
    return max(totals, key=lambda k: totals[k])


@pytest.mark.parametrize(("text", "expected"), [(FEAR, "fear"), (GRIEF, "sadness"), (HAPPY, "joy")])
def test_emotions_land_in_the_right_bin(text: str, expected: str) -> None:
    assert _strongest(ficlens.analyze(text)) == expected


def test_angry_passage_is_anger() -> None:
    text = (
        "Lena slammed the door so hard the glass rattled. She was furious.\n\n"
        '"You lied to me," she shouted, and her brother glared back, his jaw tight with rage.'
        "\n\nThe argument went on for an hour, bitter and hostile, until both were hoarse "
        "from yelling and too angry to look at each other."
    )
    assert _strongest(ficlens.analyze(text)) == "anger"


def test_negated_emotion_word_is_not_counted() -> None:
    afraid = ficlens.analyze("She was afraid of the water.", disable=["characters"])
    not_afraid = ficlens.analyze("She was not afraid of the water.", disable=["characters"])
    assert _windows(afraid)[0].emotions.fear > 0
    assert _windows(not_afraid)[0].emotions.fear == 0


def test_emotion_lexicon_covers_every_emotion() -> None:
    lex = load()
    for i, name in enumerate(EMOTIONS):
        assert sum(1 for ids in lex.emotions.values() if i in ids) >= 25, name
    assert len(lex.valence) > 7000  # VADER's lexicon, read from the installed package


# ------------------------------------------------------------------ windows


def test_window_rule_bounds() -> None:
    sizes = [window_words(n) for n in (0, 500, 2_000, 20_000, 150_000, 600_000)]
    assert sizes == sorted(sizes)
    assert all(MIN_WINDOW <= s <= MAX_WINDOW for s in sizes)
    assert 2_000 / window_words(2_000) >= 10  # a short fic still gets a line
    assert 600_000 / window_words(600_000) <= 300  # a long novel never gets thousands


def _long_text() -> str:
    note = "A/N: Thanks to everyone who reviewed! This one is for my beta.\n\n"
    paragraphs = []
    for i in range(60):
        mood = HAPPY if i % 3 else GRIEF
        paragraphs.append(mood.split("\n\n")[i % 3])
    body = "\n\n".join(paragraphs)
    return note + body + "\n\n" + "A/N: Please review and tell me what you think!\n"


def test_windows_tile_story_text_and_skip_paratext() -> None:
    text = _long_text()
    doc = pipeline.run_document(read_text(text))
    a = doc.analysis
    windows = _windows(a)
    assert [p.index for p in windows] == list(range(len(windows)))
    assert len(windows) >= 3
    for left, right in pairwise(windows):
        assert left.end <= right.start
    paratext = [s for s in a.segments if s.kind in PARATEXT_KINDS]
    assert paratext, "the test text must have paratext for this test to mean anything"
    for p in windows:
        assert -1.0 <= p.valence <= 1.0
        for seg in paratext:
            assert p.end <= seg.start or seg.end <= p.start, (p, seg)
    # every story word lies in exactly one window
    layer = doc.layers["language"]
    words = [t for t in layer.tokens() if not t.item.is_space and not t.item.is_punct]
    for t in words:
        assert sum(1 for p in windows if p.start <= t.start < p.end) == 1, t
    size = window_words(len(words))
    assert len(windows) <= len(words) / size + 2


def test_one_scene_point_per_scene() -> None:
    text = HAPPY + "\n\n* * *\n\n" + GRIEF + "\n\n* * *\n\n" + FEAR
    a = ficlens.analyze(text)
    scenes = _scenes(a)
    assert len(a.scenes) == 3
    assert [(p.start, p.end) for p in scenes] == [(s.start, s.end) for s in a.scenes]
    assert [p.index for p in scenes] == [0, 1, 2]
    assert scenes[0].valence > 0 > scenes[1].valence
    assert scenes[2].emotions.fear > scenes[0].emotions.fear


# ------------------------------------------------------------------ dialogue


DIALOGUE = (
    '"I love this place, it is wonderful," Anna said, smiling at the sea.\n\n'
    '"I hate it. Everything here is awful and cold," Ben said.\n\n'
    "Cara watched them both from the steps and did not answer.\n\n"
    '"What a beautiful, happy morning," Anna said.\n\n'
    '"It is terrible and I am miserable," Ben said.'
)
CAST = [
    {"id": "anna", "name": "Anna"},
    {"id": "ben", "name": "Ben"},
    {"id": "cara", "name": "Cara"},
]


def test_dialogue_valence_per_speaker() -> None:
    a = ficlens.analyze(DIALOGUE, characters=CAST)
    by_id = {c.id: c for c in a.characters}
    speakers = {q.speaker for q in a.quotes if q.speech}
    assert {"anna", "ben"} <= speakers, "attribution must find both speakers"
    anna, ben = by_id["anna"].dialogue_valence, by_id["ben"].dialogue_valence
    assert anna is not None and ben is not None
    assert anna > 0 > ben
    assert by_id["cara"].dialogue_valence is None  # never speaks


def test_dialogue_valence_needs_attribution() -> None:
    a = ficlens.analyze(DIALOGUE, characters=CAST, disable=["dialogue"])
    assert _windows(a), "the arc does not need the dialogue stage"
    assert all(c.dialogue_valence is None for c in a.characters)


def _sentence(start: int, end: int, hits: list[tuple[int, float]]) -> Sentence:
    return Sentence(start=start, end=end, words=5, hits=hits)


def test_quotes_without_speaker_or_speech_are_ignored() -> None:
    sentences = [_sentence(0, 20, [(2, 2.5)]), _sentence(21, 40, [(23, -2.5)])]
    quotes = [
        Quote(start=0, end=20, speaker="a"),
        Quote(start=21, end=40, speaker=None),
        Quote(start=21, end=40, speaker="a", speech=False),
    ]
    out = dialogue_valence(sentences, quotes)
    assert set(out) == {"a"}
    assert out["a"] > 0


def test_quote_valence_counts_only_words_inside_the_quote() -> None:
    s = _sentence(0, 40, [(2, 2.0), (30, -3.0)])  # '"Great," he said, looking grim.'
    inside = quote_valence([s], [0], Quote(start=0, end=10))
    assert inside is not None and inside > 0


# -------------------------------------------------------------------- seeds


def test_seeds_affect_structure(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        a = ficlens.analyze_file(path)
        windows, scenes = _windows(a), _scenes(a)
        assert len(windows) >= 5, path.name
        assert len(scenes) == len(a.scenes), path.name
        assert [p.index for p in windows] == list(range(len(windows)))
        paratext = [s for s in a.segments if s.kind in PARATEXT_KINDS]
        story = [s for s in a.segments if s.kind == "story"]
        assert windows[0].start == min(s.start for s in story), path.name
        for left, right in pairwise(windows):
            assert left.end <= right.start, path.name
        for p in a.emotion_arc:
            assert -1.0 <= p.valence <= 1.0
            assert all(v >= 0 for v in p.emotions.model_dump().values())
        for p in windows:
            assert all(p.end <= s.start or s.end <= p.start for s in paratext), path.name
        assert any(p.valence != 0.0 for p in windows), path.name
        speakers = {q.speaker for q in a.quotes if q.speech and q.speaker}
        for c in a.characters:
            assert (c.dialogue_valence is not None) == (c.id in speakers), (path.name, c.id)


# ------------------------------------------------------------------- report


def test_report_arc_draws_the_windows_and_lists_the_scenes() -> None:
    from ficlens.report.plots import arc_plot

    text = HAPPY + "\n\n* * *\n\n" + GRIEF + "\n\n* * *\n\n" + FEAR
    a = ficlens.analyze(text)
    windows, scenes = _windows(a), _scenes(a)
    plot = arc_plot(a)
    assert plot.image and plot.image.startswith("data:image/svg+xml;base64,")
    assert f"over {len(windows)} windows" in plot.alt
    assert len(plot.rows) == len(windows) + len(scenes)
    assert [r[0].startswith("scene ") for r in plot.rows] == [False] * len(windows) + [True] * len(
        scenes
    )
