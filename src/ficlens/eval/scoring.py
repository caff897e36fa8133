"""Scorers for quotation detection, speaker and addressee attribution, character mapping.

Spans are compared after stripping quotation marks and whitespace at both ends
(``normalise_span``), as the gold README asks: where a mark goes is a convention, not an
error. Every count type adds up across documents, so corpus scores are micro-averaged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ficlens.eval.gold import GoldCharacter, GoldQuote

MARKS = "\"'“”‘’„‟«»‹›「」『』—―–-"
"""Quotation marks of every convention; dashes open speech in dash dialogue."""


def normalise_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without quotation marks or whitespace at either end."""
    while start < end and (text[start].isspace() or text[start] in MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in MARKS):
        end -= 1
    return start, end


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives; ``+`` adds documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Accuracy:
    """Correct out of total; ``+`` adds documents."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def _norm_all(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return [normalise_span(text, s, e) for s, e in spans]


def score_detection(
    text: str, predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]
) -> Counts:
    """Exact match of normalised spans (each gold span matches at most one prediction)."""
    pred = set(_norm_all(text, predicted))
    want = set(_norm_all(text, gold))
    tp = len(pred & want)
    return Counts(tp, len(pred) - tp, len(want) - tp)


def match_spans(
    text: str, predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]
) -> dict[int, int]:
    """Gold index → predicted index, one to one: exact normalised match first, then the
    remaining pairs by largest character overlap (at least one shared character)."""
    pn = _norm_all(text, predicted)
    gn = _norm_all(text, gold)
    by_span: dict[tuple[int, int], int] = {}
    for i, s in enumerate(pn):
        by_span.setdefault(s, i)
    matched: dict[int, int] = {}
    used: set[int] = set()
    for g, s in enumerate(gn):
        hit = by_span.get(s)
        if hit is not None and hit not in used:
            matched[g] = hit
            used.add(hit)
    order = sorted(range(len(pn)), key=lambda i: pn[i])
    starts = [pn[i][0] for i in order]
    candidates: list[tuple[int, int, int]] = []
    for g, (gs, ge) in enumerate(gn):
        if g in matched:
            continue
        # predicted spans are short relative to the text: scan those starting before ge
        lo = _bisect_left(starts, gs - 20000)
        for k in range(lo, len(order)):
            i = order[k]
            ps, pe = pn[i]
            if ps >= ge:
                break
            overlap = min(pe, ge) - max(ps, gs)
            if overlap > 0 and i not in used:
                candidates.append((-overlap, g, i))
    for _, g, i in sorted(candidates):
        if g not in matched and i not in used:
            matched[g] = i
            used.add(i)
    return matched


def _bisect_left(xs: list[int], x: int) -> int:
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        if xs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def score_detection_overlap(
    text: str, predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]
) -> Counts:
    """Overlap match: a gold span is found when a prediction shares a character with it."""
    tp = len(match_spans(text, predicted, gold))
    return Counts(tp, len(predicted) - tp, len(gold) - tp)


@dataclass(frozen=True)
class PredictedQuote:
    """A predicted quote with speaker and addressees already mapped to gold ids."""

    start: int
    end: int
    speaker: str | None = None
    addressees: Sequence[str] = ()


@dataclass(frozen=True)
class SpeakerScores:
    """Speaker accuracy overall and by gold quote type (``"none"`` for untyped quotes)."""

    overall: Accuracy = Accuracy()
    by_type: dict[str, Accuracy] = field(default_factory=dict)

    def __add__(self, other: SpeakerScores) -> SpeakerScores:
        keys = set(self.by_type) | set(other.by_type)
        return SpeakerScores(
            self.overall + other.overall,
            {k: self.by_type.get(k, Accuracy()) + other.by_type.get(k, Accuracy()) for k in keys},
        )


def score_speakers(
    text: str, predicted: Sequence[PredictedQuote], gold: Sequence[GoldQuote]
) -> SpeakerScores:
    """Each gold quote with a known speaker is right when its matched prediction names it.

    Gold quotes with ``speaker=None`` are skipped; an unmatched gold quote counts as wrong.
    """
    matched = match_spans(
        text, [(p.start, p.end) for p in predicted], [(g.start, g.end) for g in gold]
    )
    overall = Accuracy()
    by_type: dict[str, Accuracy] = {}
    for g, q in enumerate(gold):
        if q.speaker is None:
            continue
        i = matched.get(g)
        hit = Accuracy(int(i is not None and predicted[i].speaker == q.speaker), 1)
        overall += hit
        key = q.type or "none"
        by_type[key] = by_type.get(key, Accuracy()) + hit
    return SpeakerScores(overall, by_type)


def score_addressees(
    text: str, predicted: Sequence[PredictedQuote], gold: Sequence[GoldQuote]
) -> Accuracy:
    """Gold quotes with addressees: right when the FIRST predicted addressee is among them.

    Only the first prediction counts so that guessing many addressees cannot score; a
    quote with no prediction, or no matched prediction, is wrong.
    """
    matched = match_spans(
        text, [(p.start, p.end) for p in predicted], [(g.start, g.end) for g in gold]
    )
    acc = Accuracy()
    for g, q in enumerate(gold):
        if not q.addressees:
            continue
        i = matched.get(g)
        first = predicted[i].addressees[0] if i is not None and predicted[i].addressees else None
        acc += Accuracy(int(first is not None and first in q.addressees), 1)
    return acc


_PUNCT = re.compile(r"[^\w\s]")


def normalise_name(name: str) -> str:
    """Case, punctuation and spacing folded: "Mr. Darcy" and "mr darcy" are one alias."""
    return " ".join(_PUNCT.sub("", name.casefold()).split())


#: Articles a description alias may open with or not: gold writes "Tall Porter" where the
#: text (and we) write "the tall porter"; which article stands there is a convention.
ALIAS_ARTICLES = frozenset({"the", "a", "an"})


def alias_key(name: str) -> str:
    """:func:`normalise_name` without a leading article: "The Porter", "the porter" and
    "Porter" are one alias when mapping characters (applied to gold and predicted alike)."""
    words = normalise_name(name).split()
    if len(words) >= 2 and words[0] in ALIAS_ARTICLES:
        words = words[1:]
    return " ".join(words)


def map_characters(
    predicted: Sequence[tuple[str, str, Sequence[str]]], gold: Sequence[GoldCharacter]
) -> dict[str, str]:
    """Predicted id → gold id for predicted ``(id, name, aliases)`` that share an alias.

    Each predicted character goes to the gold character sharing the most alias keys
    (:func:`alias_key`: case, punctuation and a leading article folded; its name counts
    as an alias); ties go to the one whose name matches, then to
    the earlier gold character. Several predicted characters may map to one gold character.
    """
    gold_sets = [({alias_key(a) for a in [c.name, *c.aliases]} - {""}) for c in gold]
    gold_names = [alias_key(c.name) for c in gold]
    out: dict[str, str] = {}
    for pid, name, aliases in predicted:
        mine = {alias_key(a) for a in [name, *aliases]} - {""}
        pname = alias_key(name)
        best: tuple[int, int, int] | None = None
        for k, gs in enumerate(gold_sets):
            shared = len(mine & gs)
            if shared == 0:
                continue
            key = (shared, int(pname == gold_names[k]), -k)
            if best is None or key > best:
                best = key
        if best is not None:
            out[pid] = gold[-best[2]].id
    return out
