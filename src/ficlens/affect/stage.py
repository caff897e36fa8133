"""The affect stage: an emotion arc per scene and per word window, dialogue valence.

It reads the language layer's sentences (story text only: the language stage never parses
paratext), scores each once (``scorer.py``) and groups the scores (``windows.py``). Speaker
attribution is read from ``analysis.quotes`` when the dialogue stage filled it; without it
no character gets a dialogue valence.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from ficlens.affect.lexicons import load
from ficlens.affect.scorer import Sentence, score_sentence
from ficlens.affect.windows import scene_points, window_points
from ficlens.language import LanguageLayer
from ficlens.model import PARATEXT_KINDS, Mention, Quote
from ficlens.pipeline import Document


def name_token_starts(text: str, mentions: list[Mention]) -> set[int]:
    """Offsets of the words inside character name mentions ("Joy", "Miss Bartlett")."""
    out: set[int] = set()
    for m in mentions:
        if m.kind != "name":
            continue
        at = m.start
        for word in text[m.start : m.end].split():
            at = text.index(word, at)
            out.add(at)
            at += len(word)
    return out


def score_sentences(layer: LanguageLayer, names: set[int] | None = None) -> list[Sentence]:
    """Every sentence of the story text, scored, in text order."""
    lex = load()
    names = names or set()
    return [
        score_sentence(sent, layer.offset_of(sent.doc), start, end, lex, names)
        for start, end, sent in layer.iter_sentences()
    ]


def quote_valence(sentences: list[Sentence], starts: list[int], q: Quote) -> float | None:
    """Mean valence of the sentence pieces inside a quotation; None if none was parsed."""
    i = max(bisect_right(starts, q.start) - 1, 0)
    pieces: list[float] = []
    while i < len(sentences) and sentences[i].start < q.end:
        s = sentences[i]
        if s.end > q.start:
            pieces.append(s.piece_valence(q.start, q.end))
        i += 1
    return sum(pieces) / len(pieces) if pieces else None


def dialogue_valence(sentences: list[Sentence], quotes: list[Quote]) -> dict[str, float]:
    """Speaker id → mean valence of their speech quotes (quotes without a speaker ignored)."""
    starts = [s.start for s in sentences]
    by_speaker: dict[str, list[float]] = defaultdict(list)
    for q in quotes:
        if not q.speech or q.speaker is None:
            continue
        v = quote_valence(sentences, starts, q)
        if v is not None:
            by_speaker[q.speaker].append(v)
    return {k: sum(vs) / len(vs) for k, vs in by_speaker.items()}


class AffectStage:
    """Fill ``analysis.emotion_arc`` and ``Character.dialogue_valence``."""

    name = "affect"
    requires: tuple[str, ...] = ("language", "quotes")

    def run(self, doc: Document) -> None:
        a = doc.analysis
        names = name_token_starts(a.text, a.mentions)
        sentences = score_sentences(doc.layer("language"), names)
        paratext = sorted(s.start for s in a.segments if s.kind in PARATEXT_KINDS)
        arc = scene_points(sentences, [(s.start, s.end) for s in a.scenes])
        arc += window_points(sentences, paratext)
        a.emotion_arc = arc
        valence = dialogue_valence(sentences, a.quotes)
        for character in a.characters:
            v = valence.get(character.id)
            character.dialogue_valence = round(v, 4) if v is not None else None
