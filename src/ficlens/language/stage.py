"""The language stage: run spaCy over the story segments, chunk by chunk.

Paratext (notes, disclaimers, headings) is not analysed. Each chunk's ``Doc`` is kept for
later stages but its tok2vec tensor is dropped as soon as the chunk is parsed: the
tensor is about 400 bytes per token and nothing after the pipeline needs it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import numpy

from ficlens.language.chunking import DEFAULT_CHUNK_CHARS, blank_line_paragraphs, plan_chunks
from ficlens.language.layer import Chunk, Doc, LanguageLayer
from ficlens.language.loader import load_pipeline
from ficlens.model import Segment
from ficlens.pipeline import Document

#: One chunk per batch: peak memory follows the characters in flight, and batching
#: chunks of thousands of tokens gains no speed.
BATCH_SIZE = 1


def story_spans(segments: Iterable[Segment]) -> list[tuple[int, int]]:
    """The ``[start, end)`` of every story segment, in text order (paratext is skipped)."""
    return sorted((s.start, s.end) for s in segments if s.kind == "story")


def mark_paragraph_starts(spacy_doc: Doc, *, blank_lines: bool) -> Doc:
    """Make every paragraph's first token a sentence start; the parser keeps preset starts.

    Without this the small parser often runs a heading or an unpunctuated line into the
    next paragraph's first sentence.
    """
    needed = 2 if blank_lines else 1
    last = len(spacy_doc) - 1
    for token in spacy_doc:
        if token.is_space and token.i < last and token.text.count("\n") >= needed:
            spacy_doc[token.i + 1].is_sent_start = True
    return spacy_doc


def slim(spacy_doc: Doc) -> Doc:
    """Drop what later stages do not need and what dominates a Doc's memory."""
    spacy_doc.tensor = numpy.zeros((0, 0), dtype="float32")
    if spacy_doc.has_extension("trf_data"):  # spacy-transformers output, when installed
        with contextlib.suppress(Exception):  # depends on the spacy-transformers version
            spacy_doc._.trf_data = None
    return spacy_doc


def parse_chunks(
    nlp: Any, text: str, chunks: Iterable[tuple[int, int]], *, blank_lines: bool
) -> Iterator[Chunk]:
    """Run ``nlp`` over ``text[start:end]`` for each chunk, yielding slim Docs in order."""
    chunks = list(chunks)
    made = (
        mark_paragraph_starts(nlp.make_doc(text[s:e]), blank_lines=blank_lines) for s, e in chunks
    )
    for (start, end), spacy_doc in zip(chunks, nlp.pipe(made, batch_size=BATCH_SIZE), strict=True):
        yield Chunk(start, end, slim(spacy_doc))


class LanguageStage:
    """Adds ``doc.layers["language"]`` (a :class:`LanguageLayer`) and ``stats.sentences``.

    ``with_ner=False`` excludes spaCy's NER (about half the run time); keep it when a
    later stage (characters) reads ``entities()``. ``chunk_chars`` bounds each chunk.
    """

    name = "language"
    requires: tuple[str, ...] = ("structure",)

    def __init__(self, *, with_ner: bool = True, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> None:
        self.with_ner = with_ner
        self.chunk_chars = chunk_chars

    def run(self, doc: Document) -> None:
        nlp = load_pipeline(doc.options.model, with_ner=self.with_ner)
        text = doc.analysis.text
        spans = story_spans(doc.analysis.segments)
        blank_lines = blank_line_paragraphs("\n".join(text[s:e] for s, e in spans))
        chunks = plan_chunks(text, spans, max_chars=self.chunk_chars, blank_lines=blank_lines)
        layer = LanguageLayer(model=doc.options.model, components=tuple(nlp.pipe_names))
        for chunk in parse_chunks(nlp, text, chunks, blank_lines=blank_lines):
            layer.add(chunk)
        doc.layers["language"] = layer
        doc.analysis.stats.sentences = layer.sentence_count()
