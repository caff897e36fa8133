"""Story-level scores for gold records that carry them: point of view, tense, pairings and
rating (``pov``, ``tense``, ``relationships``, ``rating_hint``; see ``eval/gold.py``).

Gold pairings name characters by gold id (when the record has a cast) or by name. A name
finds the predicted characters whose name, aliases or AO3 tag normalise to it, or to one of
its words when it is the only predicted character with that word ("Rory" for "Rory
Gilmore"); an id finds the predicted characters mapped to it. A gold pairing is found when
a predicted relationship joins the two and has the same kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from ficlens.eval.gold import RATINGS, GoldDoc, GoldRelationship
from ficlens.eval.scoring import Accuracy, normalise_name
from ficlens.model import Analysis, Character


@dataclass(frozen=True)
class StoryScores:
    """Scores of the story-level judgements; ``+`` adds documents."""

    person: Accuracy = field(default_factory=Accuracy)
    tense: Accuracy = field(default_factory=Accuracy)
    relationships: Accuracy = field(default_factory=Accuracy)
    main_pairing: Accuracy = field(default_factory=Accuracy)
    rating: Accuracy = field(default_factory=Accuracy)
    rating_within_one: Accuracy = field(default_factory=Accuracy)

    def __add__(self, other: StoryScores) -> StoryScores:
        return StoryScores(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def scored(self) -> bool:
        return any(
            a.total
            for a in (self.person, self.tense, self.relationships, self.rating, self.main_pairing)
        )


def _hit(ok: bool) -> Accuracy:
    return Accuracy(int(ok), 1)


def score_story(doc: GoldDoc, analysis: Analysis, mapping: dict[str, str]) -> StoryScores:
    """Score what the gold record annotates; fields it lacks stay at n = 0."""
    scores = StoryScores()
    if doc.pov:
        scores = StoryScores(person=_hit(analysis.narrative.person == doc.pov))
    if doc.tense:
        scores += StoryScores(tense=_hit(analysis.narrative.tense == doc.tense))
    if doc.relationships:
        scores += _score_relationships(doc, analysis, mapping)
    if doc.rating_hint:
        suggested = [s.tag for s in analysis.tags.rating]
        gold = RATINGS.index(doc.rating_hint)
        ours = RATINGS.index(suggested[0]) if suggested and suggested[0] in RATINGS else None
        scores += StoryScores(
            rating=_hit(ours == gold),
            rating_within_one=_hit(ours is not None and abs(ours - gold) <= 1),
        )
    return scores


def _score_relationships(doc: GoldDoc, analysis: Analysis, mapping: dict[str, str]) -> StoryScores:
    resolve = _Resolver(doc, analysis.characters, mapping)
    predicted = {(frozenset(r.pair), r.kind) for r in analysis.relationships}
    found = 0
    for rel in doc.relationships:
        a, b = (resolve(ref) for ref in rel.pair)
        found += any((frozenset((x, y)), rel.kind) in predicted for x in a for y in b if x != y)
    scores = StoryScores(relationships=Accuracy(found, len(doc.relationships)))
    gold_main = next((r for r in doc.relationships if r.kind == "romantic"), None)
    if gold_main is not None:
        scores += StoryScores(main_pairing=_hit(_is_main(gold_main, analysis, resolve)))
    return scores


def _is_main(gold: GoldRelationship, analysis: Analysis, resolve: _Resolver) -> bool:
    """The top-scored predicted romantic relationship joins the gold main pairing."""
    romantic = [r for r in analysis.relationships if r.kind == "romantic"]
    if not romantic:
        return False
    top = max(romantic, key=lambda r: r.score)
    a, b = (resolve(ref) for ref in gold.pair)
    x, y = top.pair
    return (x in a and y in b) or (x in b and y in a)


class _Resolver:
    """A gold character reference (id or name) → the predicted character ids it denotes."""

    def __init__(self, doc: GoldDoc, cast: list[Character], mapping: dict[str, str]) -> None:
        self.gold_ids = {c.id for c in doc.characters}
        self.by_gold: dict[str, set[str]] = {}
        for predicted, gold in mapping.items():
            self.by_gold.setdefault(gold, set()).add(predicted)
        self.by_form: dict[str, set[str]] = {}
        self.by_word: dict[str, set[str]] = {}
        for c in cast:
            for form in {c.name, *c.aliases, *([c.ao3_tag] if c.ao3_tag else [])}:
                key = normalise_name(form)
                self.by_form.setdefault(key, set()).add(c.id)
                for word in key.split():
                    self.by_word.setdefault(word, set()).add(c.id)

    def __call__(self, ref: str) -> set[str]:
        if ref in self.gold_ids:
            return self.by_gold.get(ref, set())
        key = normalise_name(ref)
        if key in self.by_form:
            return self.by_form[key]
        for word in key.split():
            owners = self.by_word.get(word, set())
            if len(owners) == 1:
                return owners
        return set()
