"""Whose viewpoint the narration follows, per paragraph and per scene, and where it shifts.

Why paragraphs: fics that alternate viewpoints do it paragraph-block by paragraph-block,
often with no scene break. A paragraph is *labelled* with a character only when that
character clearly leads its viewpoint cues and at least one cue is a look into their
mind (a perception/cognition verb or an inner-body noun): being the subject of actions
alone is what a viewpoint character watches others do. A shift needs a sustained run of
labelled paragraphs (two, or one long and strongly evidenced), never a stray sentence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from ficlens.model import Evidence
from ficlens.narrative.scan import W_COGNITION, W_INNER, W_SUBJECT, Cue, Sentence

#: A paragraph's label needs this score, and this many times the runner-up's.
MIN_CLEAR = 3.0
RATIO = 1.6
#: One labelled paragraph alone is a sustained shift only when this strong and long.
STRONG = 6.0
STRONG_WORDS = 60
STRONG_RATIO = 3.0
#: … or this long, with its character the only one whose thinking it reports.
SOLE_MIND_WORDS = 100
#: A viewpoint run needs this many words, and its character this share of its mind cues.
MIN_RUN_WORDS = 50
PURE = 0.6
#: A scene's second character shares its focal when this close to the first.
SHARED = 0.8
#: The first subject of a paragraph is its topic: an extra weight on that cue.
W_TOPIC = 2.0


@dataclass
class Paragraph:
    start: int
    words: int = 0
    scores: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    minds: set[str] = field(default_factory=set)
    cues: list[Cue] = field(default_factory=list)
    topic: bool = False

    def ranked(self) -> list[tuple[str, float]]:
        """The two leading characters and their scores."""
        return _ranked(self.scores)[:2]

    @cached_property
    def label(self) -> str | None:
        """The character this paragraph clearly follows, or None."""
        ranked = self.ranked()
        if not ranked:
            return None
        top, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= MIN_CLEAR and score >= RATIO * second and top in self.minds:
            return top
        if self.sole_mind == top and score > second:
            return top
        return None

    @cached_property
    def sole_mind(self) -> str | None:
        """The one character whose thinking the paragraph reports ("Logan … knew") when it
        looks into no other mind, the thinker sure (named, or the paragraph's only named
        person of that gender): the viewpoint, even where another person is the topic."""
        if len(self.minds) != 1:
            return None
        (who,) = self.minds
        thinks = any(c.character == who and c.weight >= W_COGNITION and c.sure for c in self.cues)
        return who if thinks and self.scores[who] >= MIN_CLEAR else None

    @cached_property
    def lean(self) -> str | None:
        """The paragraph's leading character, however weakly (for boundary placement)."""
        ranked = self.ranked()
        if not ranked:
            return None
        if len(ranked) > 1 and ranked[1][1] >= ranked[0][1]:
            return None
        return ranked[0][0]

    @cached_property
    def strong(self) -> bool:
        """Long and clear enough to be a viewpoint block on its own."""
        ranked = self.ranked()
        if not ranked or ranked[0][1] < STRONG or self.words < STRONG_WORDS:
            return False
        if len(ranked) < 2 or ranked[0][1] >= STRONG_RATIO * ranked[1][1]:
            return True
        return (
            self.words >= SOLE_MIND_WORDS
            and self.label is not None
            and self.label == self.sole_mind
        )


def _ranked(scores: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def paragraphs(sentences: Sequence[Sentence]) -> list[Paragraph]:
    """Group the sentences' viewpoint cues by paragraph, in text order."""
    out: dict[int, Paragraph] = {}
    for s in sentences:
        p = out.get(s.paragraph)
        if p is None:
            p = out[s.paragraph] = Paragraph(start=s.start)
        p.words += s.words
        for cue in s.cues:
            weight = cue.weight
            if not p.topic and weight >= W_SUBJECT:
                weight += W_TOPIC
                p.topic = True
            p.scores[cue.character] += weight
            if cue.weight >= W_INNER:
                p.minds.add(cue.character)
            p.cues.append(cue)
    return list(out.values())


@dataclass
class _Run:
    label: str | None
    first: int  # index of its first paragraph


def _sustained(paras: Sequence[Paragraph], runs: list[_Run], k: int) -> bool:
    """Two labelled paragraphs (or one strong one), enough words, and the label holds
    most of the looks into a mind within the run (omniscient narration fails this)."""
    run = runs[k]
    stop = runs[k + 1].first if k + 1 < len(runs) else len(paras)
    block = paras[run.first : stop]
    labelled = [p for p in block if p.label == run.label]
    if not (len(labelled) >= 2 or any(p.strong for p in labelled)):
        return False
    if sum(p.words for p in block) < MIN_RUN_WORDS:
        return False
    minds: defaultdict[str, float] = defaultdict(float)
    for p in block:
        for cue in p.cues:
            if cue.weight >= W_INNER:
                minds[cue.character] += cue.weight
    total = sum(minds.values())
    return bool(total) and minds.get(run.label or "", 0.0) >= PURE * total


def _merge_equal(runs: list[_Run]) -> list[_Run]:
    merged: list[_Run] = []
    for run in runs:
        if merged and merged[-1].label == run.label:
            continue
        merged.append(run)
    return merged


def shift_points(paras: Sequence[Paragraph]) -> list[int]:
    """Offsets where a sustained viewpoint shift begins (a new scene starts there)."""
    runs: list[_Run] = []
    for i, p in enumerate(paras):
        label = p.label
        if runs and (label is None or runs[-1].label in (None, label)):
            if label is not None:
                runs[-1].label = label
            continue
        runs.append(_Run(label, i))
    runs = _merge_equal(runs)
    while len(runs) > 1:
        weak = next((k for k in range(len(runs)) if not _sustained(paras, runs, k)), None)
        if weak is None:
            break
        if weak == 0:
            runs[1].first = 0
        del runs[weak]
        runs = _merge_equal(runs)
    points: list[int] = []
    for prev, run in pairwise(runs):
        # Move the boundary back over paragraphs that do not lean to the previous voice.
        k = _first_labelled(paras, run)
        while k - 1 > prev.first and paras[k - 1].lean != prev.label and paras[k - 1].label is None:
            k -= 1
        points.append(paras[k].start)
    return points


def _first_labelled(paras: Sequence[Paragraph], run: _Run) -> int:
    for i in range(run.first, len(paras)):
        if paras[i].label == run.label:
            return i
    return run.first


def scene_focal(sentences: Sequence[Sentence]) -> tuple[list[str], list[Evidence]]:
    """The scene's focal character(s): whose mind the narration looks into most (all
    cues break ties), and the strongest cues behind them. Narration that never looks
    inside anyone (behaviourist, "camera" prose) follows the character it is about: the
    one whose cues clearly lead (``MIN_CLEAR`` and ``RATIO`` over the runner-up)."""
    minds: defaultdict[str, float] = defaultdict(float)
    scores: defaultdict[str, float] = defaultdict(float)
    by_char: defaultdict[str, list[Cue]] = defaultdict(list)
    for s in sentences:
        for cue in s.cues:
            scores[cue.character] += cue.weight
            by_char[cue.character].append(cue)
            if cue.weight >= W_INNER:
                minds[cue.character] += cue.weight
    ranked = sorted(minds.items(), key=lambda kv: (-kv[1], -scores[kv[0]], kv[0]))
    if ranked:
        top = ranked[0][1]
        focal = [c for c, n in ranked[:2] if n >= SHARED * top]
    else:
        lead = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        runner_up = lead[1][1] if len(lead) > 1 else 0.0
        if not lead or lead[0][1] < MIN_CLEAR or lead[0][1] < RATIO * runner_up:
            return [], []
        focal = [lead[0][0]]
    evidence: list[Evidence] = []
    for c in focal:
        best = sorted(by_char[c], key=lambda q: (-q.weight, q.start))[:3]
        evidence += [
            Evidence(start=q.start, end=q.end, cue=q.cue)
            for q in sorted(best, key=lambda q: q.start)
        ]
    return focal, evidence
