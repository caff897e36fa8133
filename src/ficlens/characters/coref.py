"""Character-centric pronoun resolution: salience, recency, agreement and syntax.

No pretrained coreference model can be loaded offline, so pronouns are resolved against
the character inventory the way a reader tracks who is "on stage": every mention raises a
character's salience (subjects most), salience fades sentence by sentence and drops at
paragraph and scene boundaries, and a pronoun takes the most salient character whose
gender agrees. A non-reflexive object pronoun cannot be the subject of its own clause
("Jess hit him"); a reflexive is that subject. First person outside quotations is the
narrator. Inside quotations "I" and "you" are left to the dialogue stage, which knows who
is speaking to whom; a quoted "he"/"she" is someone the speakers talk about, resolved here
like narration with features of its own.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from importlib import resources

from ficlens.characters.layer import MentionRef
from ficlens.characters.lexicon import PRONOUNS, REFLEXIVES
from ficlens.language.layer import VERB_OBJECT_ROLES
from ficlens.model import Gender

#: Words that, taken as a character's name, say the character is a speaker, listener or
#: group ("I", "we", "you", "they"): never the antecedent of a he/she.
PERSONAL_WORDS = frozenset(
    [w for w, c in PRONOUNS.items() if c in ("first", "second", "plural", "neutral")]
    + ["we", "us", "our", "ours", "ourselves", "ye", "thee", "thou", "thy"]
)

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


#: Features of a (pronoun, candidate character) pair for the learned scorer. Distances
#: count sentence boundaries since the candidate's last mention.
FEATURES: tuple[str, ...] = (
    "log_salience",  # log of the hand salience under the weights in force
    "most_recent",  # the most recently mentioned compatible candidate
    "second_recent",
    "sentence_distance",  # log(1 + sentences since the last mention)
    "narration_distance",  # log(1 + sentences since the last mention outside quotations)
    "same_sentence",
    "same_paragraph",
    "scene_break",  # a scene break since the last mention
    "last_subject",  # the last mention was a subject
    "last_in_quote",  # the last mention was inside a quotation
    "last_is_name",
    "window_mentions",  # log(1 + mentions in the last five sentences)
    "mention_count",  # log(1 + mentions so far)
    "pronoun_chain",  # the last narration pronoun of this gender resolved to it
    "unknown_gender",
    "parallel_subject",  # pronoun and last mention both subjects
    "parallel_object",  # pronoun and last mention both objects
    "possessive_clause_subject",  # "his/her" and the candidate is its clause's subject
    "subject_pronoun_clause_subject",  # a subject pronoun and the candidate is a
    # subject in the same sentence ("Ada said she ..."): the main clause's subject
    "recent_name",  # the last mention was a name, this or the previous sentence
    "paragraph_topic",  # the first subject named in this paragraph's narration
    "description",  # a cast entry named by a description ("the stranger"), not a name
    "unknown_gender_linked",  # gender unknown, but pronouns of this gender linked to it
    "unknown_gender_other",  # gender unknown, and the other gender linked to it more
    # he/she inside a quotation ("He left us," Ada said): who the speakers talk about
    "quote_most_recent",
    "quote_log_salience",
    "quote_last_in_quote",  # the candidate was last mentioned inside a quotation
    "quote_paragraph_narration",  # named in this paragraph's narration (often the speaker)
    "quote_sentence_distance",
    "previous_subject",  # a subject pronoun, and the candidate led the previous sentence
    # the pronoun's own role changes what counts: a possessive leans on its sentence, a
    # subject on the chain of subjects, an object on whoever was acted upon
    "poss_same_sentence",
    "poss_most_recent",
    "poss_last_subject",
    "subject_pronoun_chain",
    "subject_last_subject",
    "object_last_subject",
    "object_last_object",
    # a reader's "she" is whoever is the only woman on stage lately
    "sole_in_window",  # the only candidate mentioned in this or the last two sentences
    "sole_in_paragraph",  # the only candidate mentioned in this paragraph
    # the clause that embeds the pronoun's ("Ada said that she ...", "When he came in, Tom
    # opened ..."): its subject is often the one meant
    "governing_subject",
    "subject_governing_subject",
    "poss_governing_subject",
    "pobj_clause_subject",  # "Ada put the book beside her"
    "quantified",  # a quantifier's entry ("every man") in its own sentence
    # a wrong link feeds the chain and recency features of the next pronoun; the last
    # name a reader saw is a check on that drift
    "name_most_recent",  # named (not by pronoun) more recently than any other candidate
    "name_distance",  # log(1 + sentences since the candidate was last named)
    "recent_same_paragraph",  # the most recent candidate, in the same paragraph
    "subject_distance",  # last mentioned as a subject, times sentence_distance
    "sole_known_gender",  # the only candidate whose gender is known to agree
)


@dataclass(frozen=True)
class Scorer:
    """A conditional logit over candidate characters (weights by feature name)."""

    weights: dict[str, float]

    def score(self, row: dict[str, float]) -> float:
        return sum(self.weights.get(k, 0.0) * v for k, v in row.items())


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
    descriptions: frozenset[str] = frozenset()  # characters named by a description
    plural: frozenset[str] = frozenset()  # groups ("the servants"): never he/she
    governors: dict[int, int] = field(default_factory=dict)  # pronoun start -> start of
    # the subject of the clause embedding its own
    quantified: frozenset[str] = frozenset()  # "every man", "nobody": no one in particular
    excluded: dict[int, frozenset[str]] = field(default_factory=dict)  # pronoun start ->
    # characters it cannot mean: those named inside the quotation it tags ("Tom is late,"
    # he said) or as an object of its own verb ("he smiled at Tom")
    kin: dict[int, str] = field(default_factory=dict)  # a kinship nominal's start ("her
    # father", which its owner's mention "her" shares) -> the kinship noun
    relatives: dict[tuple[str, str], str] = field(default_factory=dict)  # (owner id,
    # kinship noun) -> the relative's id (``kin.kin_table``)

    def solve(
        self,
        weights: Weights | None = None,
        scorer: Scorer | None = None,
        record: Callable[[MentionRef, list[str], list[dict[str, float]]], None] | None = None,
    ) -> list[MentionRef]:
        return resolve_pronouns(
            self.mentions,
            lambda c: self.genders.get(c, "unknown"),
            self.sentence_starts,
            self.paragraph_starts,
            self.scene_starts,
            self.narrator,
            clause_subject=lambda m: self.subjects.get(m.start),
            governing_subject=lambda m: self.governors.get(m.start),
            weights=weights,
            scorer=scorer,
            record=record,
            descriptions=self.descriptions,
            plural=self.plural,
            quantified=self.quantified,
            excluded=self.excluded,
            kin=self.kin,
            relatives=self.relatives,
        )


WEIGHTS_FILE = "coref_weights.json"


@lru_cache(maxsize=1)
def _shipped() -> dict[str, object]:
    path = resources.files("ficlens.characters").joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def shipped_weights() -> Weights:
    """Salience weights fitted on LitBank (``training/train_coref.py``), or the defaults."""
    raw = _shipped().get("weights", {})
    known = {f.name for f in fields(Weights)}
    items = raw.items() if isinstance(raw, dict) else ()
    return Weights(**{k: float(v) for k, v in items if k in known})


def shipped_scorer() -> Scorer | None:
    """The learned candidate scorer fitted on LitBank, when shipped."""
    raw = _shipped().get("scorer")
    if not isinstance(raw, dict):
        return None
    names, values = raw.get("features", []), raw.get("weights", [])
    return Scorer({str(k): float(v) for k, v in zip(names, values, strict=True)})


def resolve_pronouns(
    mentions: Sequence[MentionRef],
    gender_of: Callable[[str], Gender],
    sentence_starts: Sequence[int],
    paragraph_starts: Sequence[int],
    scene_starts: Sequence[int],
    narrator: str | None,
    clause_subject: Callable[[MentionRef], int | None] = lambda _m: None,
    weights: Weights | None = None,
    scorer: Scorer | None = None,
    record: Callable[[MentionRef, list[str], list[dict[str, float]]], None] | None = None,
    descriptions: frozenset[str] = frozenset(),
    plural: frozenset[str] = frozenset(),
    governing_subject: Callable[[MentionRef], int | None] = lambda _m: None,
    quantified: frozenset[str] = frozenset(),
    excluded: Mapping[int, frozenset[str]] | None = None,
    kin: Mapping[int, str] | None = None,
    relatives: Mapping[tuple[str, str], str] | None = None,
) -> list[MentionRef]:
    """Return ``mentions`` with third-person pronouns outside quotes (and narrator "I")
    resolved; other mentions pass through unchanged. ``clause_subject`` maps a mention to
    the start offset of its clause's subject (or None), ``governing_subject`` to that of
    the clause embedding its clause; ``quantified`` characters ("every man") are
    candidates only in the sentence that names them; ``excluded`` maps a pronoun to
    characters it cannot mean. A kinship nominal ("her father", a start in ``kin``, shared
    with its owner's mention "her") becomes the relative ``relatives`` gives for whoever
    the owner was resolved to, and counts like any mention from then on.

    Without a ``scorer`` a pronoun takes the most salient compatible character; with one,
    the candidate the scorer ranks first. ``record`` (for training) receives each
    third-person pronoun with its candidates and their feature rows.
    """
    w = weights or Weights()
    state = _State(sentence_starts, paragraph_starts, scene_starts)
    state.descriptions = descriptions
    state.plural = plural
    state.quantified = quantified
    state.excluded = excluded or {}
    state.names_at = {
        m.start: m.character for m in mentions if m.kind == "name" and m.character is not None
    }
    out: list[MentionRef] = []
    for m in sorted(mentions, key=lambda m: m.start):
        for factor in state.advance(m.start, w):
            for key in state.salience:
                state.salience[key] *= factor
        if m.kind == "pronoun" and m.character is None and _ours(m):
            m = _resolve(
                m, state, gender_of, narrator, clause_subject, governing_subject, w, scorer,
                record,
            )  # fmt: skip
        elif m.character is None and kin and m.start in kin:
            owner = state.at(m.start)  # the owner's mention came first: it is shorter
            if owner is not None and relatives:
                m = replace(m, character=relatives.get((owner, kin[m.start])))
        if m.character is not None:
            state.note(m, _boost(m, w))
        out.append(m)
    return out


def _ours(m: MentionRef) -> bool:
    """Pronouns this resolver links: all of narration's, and he/she inside quotations."""
    return not m.in_quote or m.pronoun in ("male", "female")


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


@dataclass
class _Last:
    """A character's most recent mention, where the walk last saw them."""

    sentence: int
    paragraph: int
    scene: int
    role: str
    in_quote: bool
    is_name: bool
    narration_sentence: int
    narration_paragraph: int
    count: int
    sentences: list[int]
    name_start: int  # offset of the last mention by name (-1: never named)
    name_sentence: int


class _State:
    """Salience, boundaries passed and each character's last mention."""

    def __init__(
        self, sentences: Sequence[int], paragraphs: Sequence[int], scenes: Sequence[int]
    ) -> None:
        self.kinds = sorted(
            [(s, 0) for s in sentences] + [(p, 1) for p in paragraphs] + [(s, 2) for s in scenes]
        )
        self.keys = [k for k, _ in self.kinds]
        self.i = 0
        self.counts = [0, 0, 0]  # sentences, paragraphs, scenes passed
        self.salience: dict[str, float] = {}
        self.last: dict[str, _Last] = {}
        self.order: list[str] = []  # characters, most recently mentioned last
        self.resolved_at: dict[int, str] = {}  # mention start -> character
        self.subjects_here: list[str] = []  # subjects named in the current sentence
        self.chain: dict[str, str] = {}  # pronoun gender -> its last narration referent
        self.links: dict[str, dict[str, int]] = {}  # character -> pronoun gender -> links
        self.topic: str | None = None  # first narration subject of the paragraph
        self.previous_subject: str | None = None  # first narration subject of the last
        # sentence that had one (scene breaks clear it)
        self.descriptions: frozenset[str] = frozenset()
        self.plural: frozenset[str] = frozenset()  # groups, never a he/she
        self.quantified: frozenset[str] = frozenset()
        self.names_at: dict[int, str] = {}  # name mention start -> character (known ahead)
        self.excluded: Mapping[int, frozenset[str]] = {}
        self.personal: set[str] = set()  # characters named so far only by I/we/you/they
        self.named: set[str] = set()  # characters named by anything else

    def advance(self, offset: int, w: Weights) -> list[float]:
        """Decay factors for every boundary passed since the last call."""
        j = bisect_right(self.keys, offset)
        factors = []
        for _, kind in self.kinds[self.i : j]:
            factors.append((w.sentence_decay, w.paragraph_decay, w.scene_decay)[kind])
            self.counts[kind] += 1
            if kind == 0:
                if self.subjects_here:
                    self.previous_subject = self.subjects_here[0]
                self.subjects_here = []
            elif kind == 1:
                self.topic = None
            else:
                self.previous_subject = None
        self.i = max(self.i, j)
        return factors

    def note(self, m: MentionRef, boost: float) -> None:
        c = m.character
        assert c is not None
        self.resolved_at[m.start] = c
        if m.kind == "name" and c not in self.named:
            if m.text.lower() in PERSONAL_WORDS:
                self.personal.add(c)
            else:
                self.named.add(c)
                self.personal.discard(c)
        self.salience[c] = self.salience.get(c, 0.0) + boost
        sentence, paragraph, scene = self.counts
        prev = self.last.get(c)
        narration = sentence if not m.in_quote else (prev.narration_sentence if prev else -99)
        told = paragraph if not m.in_quote else (prev.narration_paragraph if prev else -1)
        history = prev.sentences if prev else []
        history.append(sentence)
        named = (m.start, sentence) if m.kind == "name" else (
            (prev.name_start, prev.name_sentence) if prev else (-1, -99)
        )  # fmt: skip
        self.last[c] = _Last(
            sentence, paragraph, scene, m.role, m.in_quote, m.kind == "name", narration,
            told, (prev.count if prev else 0) + 1, history, *named,
        )  # fmt: skip
        if self.order and self.order[-1] == c:
            pass
        else:
            if c in self.order:
                self.order.remove(c)
            self.order.append(c)
        if m.role in SUBJECT_ROLES and not m.in_quote:
            self.subjects_here.append(c)
            if self.topic is None:
                self.topic = c
        if m.kind == "pronoun" and not m.in_quote and m.pronoun in ("male", "female"):
            self.chain[m.pronoun] = c
            links = self.links.setdefault(c, {})
            links[m.pronoun] = links.get(m.pronoun, 0) + 1

    def at(self, start: int | None) -> str | None:
        """The character of the mention at ``start``: resolved already, or a name."""
        if start is None:
            return None
        return self.resolved_at.get(start) or self.names_at.get(start)

    def features(
        self,
        m: MentionRef,
        c: str,
        rank: int,
        subject: str | None,
        unknown: bool,
        governor: str | None = None,
        sole_known: bool = False,
    ) -> dict[str, float]:
        last = self.last[c]
        sentence, paragraph, scene = self.counts
        pron_subject = m.role in SUBJECT_ROLES
        pron_object = m.role in OBJECT_ROLES
        window = len(last.sentences) - bisect_left(last.sentences, sentence - 5)
        recent = sentence - last.sentence <= 1
        links = self.links.get(c, {})
        same = links.get(m.pronoun or "", 0)
        other = sum(links.values()) - same
        q = m.in_quote
        poss = m.role == "poss"
        last_subject = last.role in SUBJECT_ROLES
        chain = self.chain.get(m.pronoun or "") == c
        return {
            "log_salience": math.log(self.salience.get(c, 0.0) + 1e-3),
            "most_recent": float(rank == 0),
            "second_recent": float(rank == 1),
            "sentence_distance": math.log1p(sentence - last.sentence),
            "narration_distance": math.log1p(min(sentence - last.narration_sentence, 99)),
            "same_sentence": float(sentence == last.sentence),
            "same_paragraph": float(paragraph == last.paragraph),
            "scene_break": float(scene != last.scene),
            "last_subject": float(last.role in SUBJECT_ROLES),
            "last_in_quote": float(last.in_quote),
            "last_is_name": float(last.is_name),
            "window_mentions": math.log1p(window),
            "mention_count": math.log1p(last.count),
            "pronoun_chain": float(self.chain.get(m.pronoun or "") == c),
            "unknown_gender": float(unknown),
            "parallel_subject": float(pron_subject and last.role in SUBJECT_ROLES),
            "parallel_object": float(pron_object and last.role in OBJECT_ROLES),
            "possessive_clause_subject": float(m.role == "poss" and c == subject),
            "subject_pronoun_clause_subject": float(pron_subject and c in self.subjects_here),
            "recent_name": float(recent and last.is_name),
            "paragraph_topic": float(self.topic == c),
            "description": float(c in self.descriptions),
            "unknown_gender_linked": float(unknown and same > 0),
            "unknown_gender_other": float(unknown and other > same),
            "quote_most_recent": float(q and rank == 0),
            "quote_log_salience": math.log(self.salience.get(c, 0.0) + 1e-3) if q else 0.0,
            "quote_last_in_quote": float(q and last.in_quote),
            "quote_paragraph_narration": float(q and last.narration_paragraph == paragraph),
            "quote_sentence_distance": math.log1p(sentence - last.sentence) if q else 0.0,
            "previous_subject": float(pron_subject and not q and c == self.previous_subject),
            "poss_same_sentence": float(poss and sentence == last.sentence),
            "poss_most_recent": float(poss and rank == 0),
            "poss_last_subject": float(poss and last_subject),
            "subject_pronoun_chain": float(pron_subject and chain),
            "subject_last_subject": float(pron_subject and last_subject),
            "object_last_subject": float(pron_object and last_subject),
            "object_last_object": float(pron_object and last.role in OBJECT_ROLES),
            "sole_in_window": 0.0,  # set by _mark_sole, which sees every candidate
            "sole_in_paragraph": 0.0,
            "governing_subject": float(c == governor),
            "subject_governing_subject": float(pron_subject and c == governor),
            "poss_governing_subject": float(poss and c == governor),
            "pobj_clause_subject": float(m.role == "pobj" and c == subject),
            "quantified": float(c in self.quantified),
            "name_most_recent": 0.0,  # set by _mark_sole
            "name_distance": math.log1p(min(sentence - last.name_sentence, 99)),
            "recent_same_paragraph": float(rank == 0 and paragraph == last.paragraph),
            "subject_distance": math.log1p(sentence - last.sentence) if last_subject else 0.0,
            "sole_known_gender": float(not unknown and sole_known),
        }


#: At most this many candidates (the most salient) are scored per pronoun.
MAX_CANDIDATES = 8


def _mark_sole(state: _State, candidates: list[str], rows: list[dict[str, float]]) -> None:
    """Flag a candidate that nobody else compatible shares the stage with, lately, and the
    one named (by name, not pronoun) last: features that compare every candidate."""
    sentence, paragraph, _ = state.counts
    window = [c for c in candidates if sentence - state.last[c].sentence <= 2]
    here = [c for c in candidates if state.last[c].paragraph == paragraph]
    named = max(candidates, key=lambda c: state.last[c].name_start)
    for c, row in zip(candidates, rows, strict=True):
        row["sole_in_window"] = float(window == [c])
        row["sole_in_paragraph"] = float(here == [c])
        row["name_most_recent"] = float(c == named and state.last[c].name_start >= 0)


def _resolve(
    m: MentionRef,
    state: _State,
    gender_of: Callable[[str], Gender],
    narrator: str | None,
    clause_subject: Callable[[MentionRef], int | None],
    governing_subject: Callable[[MentionRef], int | None],
    w: Weights,
    scorer: Scorer | None,
    record: Callable[[MentionRef, list[str], list[dict[str, float]]], None] | None,
) -> MentionRef:
    if m.pronoun == "first":
        return replace(m, character=narrator) if narrator else m
    if m.pronoun not in ("male", "female"):
        return m
    subject = state.at(clause_subject(m))
    governor = state.at(governing_subject(m))
    sentence = state.counts[0]
    reflexive = m.text.lower() in REFLEXIVES
    if (
        reflexive
        and subject
        and subject not in state.plural
        and gender_of(subject) in (m.pronoun, "unknown")
    ):
        return replace(m, character=subject)
    scored: list[tuple[float, str]] = []
    for character, value in state.salience.items():
        if character == narrator or character in state.personal or character in state.plural:
            continue
        if not reflexive and m.role in VERB_OBJECT_ROLES and character == subject:
            continue  # "Jess hit him" (but "Jess put the book beside him" may be Jess)
        if character in state.excluded.get(m.start, ()):
            continue  # '"Tom is late," he said', "he smiled at Tom": someone else
        if character in state.quantified and state.last[character].sentence != sentence:
            continue
        gender = gender_of(character)
        if gender not in (m.pronoun, "unknown"):
            continue
        score = value * (w.unknown_gender_penalty if gender == "unknown" else 1.0)
        scored.append((score, character))
    if not scored:
        return m
    if scorer is None and record is None:
        top = max(scored)
        return replace(m, character=top[1]) if top[0] >= 1e-4 else m
    scored.sort(reverse=True)
    candidates = [c for _, c in scored[:MAX_CANDIDATES]]
    recency = [c for c in reversed(state.order) if c in candidates]
    known = [c for c in candidates if gender_of(c) != "unknown"]
    rows = [
        state.features(
            m, c, recency.index(c), subject, gender_of(c) == "unknown", governor, len(known) == 1
        )
        for c in candidates
    ]
    _mark_sole(state, candidates, rows)
    if record is not None:
        record(m, candidates, rows)
    if scorer is None:
        return replace(m, character=candidates[0]) if scored[0][0] >= 1e-4 else m
    best = max(range(len(candidates)), key=lambda i: scorer.score(rows[i]))
    return replace(m, character=candidates[best])
