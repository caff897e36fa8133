"""``ficlens eval``: run the pipeline on gold documents and score every layer we can.

Quotation detection (speech quotes only, spans compared without marks), speaker accuracy
overall and by quote type, addressee accuracy, character discovery, pronoun linking,
time, and, for records that carry them, person, tense, pairings and rating
(``eval/story.py``). With ``given_characters`` the gold cast (ids kept) is passed to ``analyze``;
otherwise ficlens finds characters itself and each predicted character is mapped to the
gold character it shares most aliases with (``scoring.map_characters``), so a speaker is
right when it maps to the gold speaker.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from ficlens.characters.lexicon import PRONOUNS
from ficlens.eval.gold import GoldDoc
from ficlens.eval.scoring import (
    Accuracy,
    Counts,
    PredictedQuote,
    SpeakerScores,
    map_characters,
    score_addressees,
    score_detection,
    score_detection_overlap,
    score_speakers,
)
from ficlens.eval.story import StoryScores, score_story
from ficlens.ingest import read_text
from ficlens.model import Analysis
from ficlens.pipeline import DEFAULT_MODEL, Options, run


@dataclass
class DocScores:
    """Scores of one document; every field adds up across documents."""

    id: str
    words: int = 0
    seconds: float = 0.0
    detection: Counts = field(default_factory=Counts)
    overlap: Counts = field(default_factory=Counts)
    speakers: SpeakerScores = field(default_factory=SpeakerScores)
    addressees: Accuracy = field(default_factory=Accuracy)
    discovery_recall: Accuracy = field(default_factory=Accuracy)
    discovery_precision: Accuracy = field(default_factory=Accuracy)
    pronouns: Accuracy = field(default_factory=Accuracy)
    story: StoryScores = field(default_factory=StoryScores)

    def __add__(self, other: DocScores) -> DocScores:
        summed = (getattr(self, f.name) + getattr(other, f.name) for f in fields(self)[1:])
        return DocScores("total", *summed)

    def as_dict(self) -> dict[str, object]:
        by_type = {k: _acc(v) for k, v in sorted(self.speakers.by_type.items())}
        return {
            "id": self.id,
            "words": self.words,
            "seconds": round(self.seconds, 2),
            "words_per_second": round(self.words / self.seconds) if self.seconds else None,
            "quote_detection": _prf(self.detection),
            "quote_detection_overlap": _prf(self.overlap),
            "speaker_accuracy": _acc(self.speakers.overall),
            "speaker_accuracy_by_type": by_type,
            "addressee_accuracy": _acc(self.addressees),
            "character_discovery_recall": _acc(self.discovery_recall),
            "character_discovery_precision": _acc(self.discovery_precision),
            "pronoun_linking_accuracy": _acc(self.pronouns),
            "person_accuracy": _acc(self.story.person),
            "tense_accuracy": _acc(self.story.tense),
            "relationship_recall": _acc(self.story.relationships),
            "main_pairing_accuracy": _acc(self.story.main_pairing),
            "rating_accuracy": _acc(self.story.rating),
            "rating_within_one_level": _acc(self.story.rating_within_one),
        }


def _prf(c: Counts) -> dict[str, float | int]:
    return {
        "precision": round(c.precision, 4),
        "recall": round(c.recall, 4),
        "f1": round(c.f1, 4),
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn,
    }


def _acc(a: Accuracy) -> dict[str, float | int | None]:
    return {"accuracy": round(a.accuracy, 4) if a.total else None, "n": a.total}


def evaluate_document(
    doc: GoldDoc, *, given_characters: bool = False, model: str = DEFAULT_MODEL
) -> DocScores:
    """Analyse one gold document and score it."""
    cast = None
    if given_characters:
        from ficlens.characters import given_characters as make_cast

        cast = tuple(
            make_cast([{"id": c.id, "name": c.name, "aliases": c.aliases} for c in doc.characters])
        )
    began = time.perf_counter()
    analysis = run(read_text(doc.text), Options(model=model, characters=cast))
    seconds = time.perf_counter() - began
    return score_document(doc, analysis, seconds, given_characters=given_characters)


def score_document(
    doc: GoldDoc, analysis: Analysis, seconds: float, *, given_characters: bool
) -> DocScores:
    """Score an analysis of ``doc.text`` against the gold annotations."""
    text = doc.text
    if given_characters:
        mapping = {c.id: c.id for c in analysis.characters}
    else:
        mapping = map_characters(
            [(c.id, c.name, c.aliases) for c in analysis.characters], doc.characters
        )
    speech = [q for q in analysis.quotes if q.speech]
    predicted = [
        PredictedQuote(
            q.start,
            q.end,
            mapping.get(q.speaker) if q.speaker else None,
            [mapping[a] for a in q.addressees if a in mapping],
        )
        for q in speech
    ]
    spans = [(q.start, q.end) for q in speech]
    gold_spans = [(q.start, q.end) for q in doc.quotes]
    scores = DocScores(
        doc.id,
        words=len(text.split()),
        seconds=seconds,
        detection=score_detection(text, spans, gold_spans),
        overlap=score_detection_overlap(text, spans, gold_spans),
        speakers=score_speakers(text, predicted, doc.quotes),
        addressees=score_addressees(text, predicted, doc.quotes),
    )
    if not given_characters:
        _score_discovery(scores, doc, analysis, mapping)
    _score_pronouns(scores, doc, analysis, mapping)
    scores.story = score_story(doc, analysis, mapping)
    return scores


def _score_discovery(
    scores: DocScores, doc: GoldDoc, analysis: Analysis, mapping: dict[str, str]
) -> None:
    """Recall over gold characters that speak (not ``_group``-style pseudo-characters);
    precision over predicted characters (right when mapped to any gold character)."""
    speakers = {q.speaker for q in doc.quotes if q.speaker}
    names = {c.id: c.name for c in doc.characters}
    wanted = {s for s in speakers if not names.get(s, "_").startswith("_")}
    found = set(mapping.values())
    scores.discovery_recall = Accuracy(len(wanted & found), len(wanted))
    predicted = [c for c in analysis.characters if c.id != "narrator"]
    scores.discovery_precision = Accuracy(
        sum(1 for c in predicted if c.id in mapping), len(predicted)
    )


def _score_pronouns(
    scores: DocScores, doc: GoldDoc, analysis: Analysis, mapping: dict[str, str]
) -> None:
    """Gold pronoun mentions of named characters; right when our mention at the same span
    links to a character mapped to the same gold character. PDNC annotates mentions only
    inside quotations, so there the score covers quotation pronouns only."""
    named = {c.id for c in doc.characters if c.aliases}
    ours = {(m.start, m.end): m.character for m in analysis.mentions}
    acc = Accuracy()
    for g in doc.mentions:
        if g.character not in named or doc.text[g.start : g.end].lower() not in PRONOUNS:
            continue
        predicted = ours.get((g.start, g.end))
        acc += Accuracy(int(predicted is not None and mapping.get(predicted) == g.character), 1)
    scores.pronouns = acc


def evaluate(
    docs: Iterable[GoldDoc], *, given_characters: bool = False, model: str = DEFAULT_MODEL
) -> list[DocScores]:
    """Score every document (use :func:`total` for corpus figures)."""
    return [evaluate_document(d, given_characters=given_characters, model=model) for d in docs]


def total(scores: Iterable[DocScores]) -> DocScores:
    out = DocScores("total")
    for s in scores:
        out = out + s
    return out
