"""Character-centric pronoun resolution: salience, recency, agreement and syntax.

No pretrained coreference model can be loaded offline, so pronouns are resolved against
the character inventory the way a reader tracks who is "on stage": every mention raises a
character's salience (subjects most), salience fades sentence by sentence and drops at
paragraph and scene boundaries, and a pronoun takes the most salient character whose
gender agrees. A non-reflexive object pronoun cannot be the subject of its own clause
("Jess hit him"); a reflexive is that subject. First person outside quotations is the
narrator. Pronouns inside quotations are left to the dialogue stage, which knows who is
speaking to whom.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from importlib import resources

from ficlens.characters.layer import MentionRef
from ficlens.characters.lexicon import REFLEXIVES
from ficlens.model import Gender

OBJECT_ROLES = frozenset({"dobj", "pobj", "dative", "iobj", "obj"})
SUBJECT_ROLES = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True)
class Weights:
    """Salience parameters (see ``training/`` for fitting them to LitBank)."""

    subject: float = 1.0
    other: float = 0.6
    possessive: float = 0.4
    pronoun_factor: float = 0.8
    sentence_decay: float = 0.65
    paragraph_decay: float = 0.8
    scene_decay: float = 0.1
    unknown_gender_penalty: float = 0.35
    in_quote_factor: float = 0.3


@dataclass
class CorefProblem:
    """Everything pronoun resolution needs, separated from spaCy so that training can
    re-solve it quickly under other weights."""

    mentions: list[MentionRef]
    genders: dict[str, Gender]
    sentence_starts: list[int]
    paragraph_starts: list[int]
    scene_starts: list[int]
    narrator: str | None
    subjects: dict[int, int]  # pronoun start -> start of its clause's subject

    def solve(self, weights: Weights | None = None) -> list[MentionRef]:
        return resolve_pronouns(
            self.mentions,
            lambda c: self.genders.get(c, "unknown"),
            self.sentence_starts,
            self.paragraph_starts,
            self.scene_starts,
            self.narrator,
            clause_subject=lambda m: self.subjects.get(m.start),
            weights=weights,
        )


WEIGHTS_FILE = "coref_weights.json"


@lru_cache(maxsize=1)
def shipped_weights() -> Weights:
    """Weights fitted on LitBank (``training/train_coref.py``), or the defaults."""
    path = resources.files("ficlens.characters").joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return Weights()
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(Weights)}
    return Weights(**{k: float(v) for k, v in data.get("weights", {}).items() if k in known})


def resolve_pronouns(
    mentions: Sequence[MentionRef],
    gender_of: Callable[[str], Gender],
    sentence_starts: Sequence[int],
    paragraph_starts: Sequence[int],
    scene_starts: Sequence[int],
    narrator: str | None,
    clause_subject: Callable[[MentionRef], int | None] = lambda _m: None,
    weights: Weights | None = None,
) -> list[MentionRef]:
    """Return ``mentions`` with third-person pronouns outside quotes (and narrator "I")
    resolved; other mentions pass through unchanged. ``clause_subject`` maps a mention to
    the start offset of its clause's subject (or None).
    """
    w = weights or Weights()
    salience: dict[str, float] = {}
    resolved_at: dict[int, str] = {}  # mention start -> character, for clause subjects
    out: list[MentionRef] = []
    cursor = _Boundaries(sentence_starts, paragraph_starts, scene_starts)
    for m in sorted(mentions, key=lambda m: m.start):
        for factor in cursor.advance(m.start, w):
            for key in salience:
                salience[key] *= factor
        if m.kind == "pronoun" and m.character is None and not m.in_quote:
            m = _resolve(m, salience, gender_of, narrator, clause_subject, resolved_at, w)
        if m.character is not None:
            resolved_at[m.start] = m.character
            boost = _boost(m, w)
            salience[m.character] = salience.get(m.character, 0.0) + boost
        out.append(m)
    return out


def _boost(m: MentionRef, w: Weights) -> float:
    if m.role in SUBJECT_ROLES:
        base = w.subject
    elif m.role == "poss":
        base = w.possessive
    else:
        base = w.other
    if m.kind == "pronoun":
        base *= w.pronoun_factor
    if m.in_quote:
        base *= w.in_quote_factor
    return base


def _resolve(
    m: MentionRef,
    salience: dict[str, float],
    gender_of: Callable[[str], Gender],
    narrator: str | None,
    clause_subject: Callable[[MentionRef], int | None],
    resolved_at: dict[int, str],
    w: Weights,
) -> MentionRef:
    if m.pronoun == "first":
        return replace(m, character=narrator) if narrator else m
    if m.pronoun not in ("male", "female"):
        return m
    subject_at = clause_subject(m)
    subject = resolved_at.get(subject_at) if subject_at is not None else None
    reflexive = m.text.lower() in REFLEXIVES
    if reflexive and subject and gender_of(subject) in (m.pronoun, "unknown"):
        return replace(m, character=subject)
    best: tuple[float, str] | None = None
    for character, value in salience.items():
        if character == narrator:
            continue
        if not reflexive and m.role in OBJECT_ROLES and character == subject:
            continue
        gender = gender_of(character)
        if gender not in (m.pronoun, "unknown"):
            continue
        score = value * (w.unknown_gender_penalty if gender == "unknown" else 1.0)
        if best is None or score > best[0]:
            best = (score, character)
    if best is None or best[0] < 1e-4:
        return m
    return replace(m, character=best[1])


class _Boundaries:
    """Walks sentence, paragraph and scene starts in step with the mentions."""

    def __init__(
        self, sentences: Sequence[int], paragraphs: Sequence[int], scenes: Sequence[int]
    ) -> None:
        self.kinds = sorted(
            [(s, 0) for s in sentences] + [(p, 1) for p in paragraphs] + [(s, 2) for s in scenes]
        )
        self.keys = [k for k, _ in self.kinds]
        self.i = 0

    def advance(self, offset: int, w: Weights) -> list[float]:
        """Decay factors for every boundary passed since the last call."""
        j = bisect_right(self.keys, offset)
        factors = [
            (w.sentence_decay, w.paragraph_decay, w.scene_decay)[kind]
            for _, kind in self.kinds[self.i : j]
        ]
        self.i = max(self.i, j)
        return factors
