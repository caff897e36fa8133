"""Candidate speakers of a quotation and the features the learned ranker scores them by.

The same code builds training data (``training/speaker_data.py``) and runs at analysis
time, so the model sees exactly what it was trained on. Neighbouring turns contribute the
speakers the sieve found for them (never gold answers), so training and use agree.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ficlens.characters import CharacterLayer, MentionRef

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
#: How far back (characters of text) narration mentions make someone a candidate.
WINDOW = 2500
MAX_CANDIDATES = 12

FEATURES: tuple[str, ...] = (
    "tag_name",  # a speech tag names this candidate
    "tag_pronoun_agrees",  # a pronoun tag whose gender fits the candidate
    "tag_pronoun_clashes",  # … whose gender does not
    "tag_pronoun_resolves",  # the tag pronoun was resolved to the candidate
    "beat_subject",  # the subject of an action beat beside the quotation
    "tag_first_person",  # "I said" and the candidate is the narrator
    "addressed_here",  # the quotation addresses the candidate by name
    "addressed_before",  # the previous quotation addressed the candidate
    "addressed_after",  # the next quotation addresses the candidate
    "prev1",  # speaker of the previous turn (by the sieve)
    "prev2",
    "prev3",
    "next1",
    "next2",
    "same_paragraph_prev",  # spoke the previous turn in this same paragraph
    "sieve_choice",  # the sieve's answer for this turn
    "near_rank0",  # nearest narration mention before the quotation
    "near_rank1",
    "near_rank2",
    "near_log_distance",  # log of characters since the candidate's last narration mention
    "near_subject",  # that mention was a subject
    "window_mentions",  # log mentions in the narration window
    "named_in_quote",  # mentioned (not addressed) inside the quotation
    "global_log_mentions",  # log mentions in the whole text (prominence)
    "narrator",  # the candidate is the first-person narrator
    "in_conversation",  # has spoken in the current conversation
    "agreeing_rank0",  # nearest narration-mentioned character of the tag pronoun's gender
    "agreeing_rank1",
    "prev1_untagged",  # previous speaker, when this turn has no tag
    "prev2_untagged",  # speaker of turn n-2, when this turn has no tag (alternation)
    "prev2_close",  # … and no narration paragraph lies between the turns
    "addressed_before_untagged",
    "agreeing_name0",  # nearest narration *name* of the tag pronoun's gender
    "agreeing_subject0",  # nearest narration subject (name or pronoun) of that gender
    "subject_rank0",  # nearest narration subject of any gender
    "prev1_sure",  # the previous turn's speaker was named in its tag
    "next1_sure",  # the next turn's speaker is named in its tag
    "parity_back",  # named in a tag an even number of turns back (alternation)
    "parity_fwd",  # named in a tag an even number of turns ahead
    "noun_agrees",  # a speech tag with a gendered noun ("said the old man") fits the candidate
    "noun_clashes",  # … does not
    "parity_tag_back",  # speaker of the nearest tagged turn (name or pronoun) an even
    "parity_tag_fwd",  # number of turns back / ahead, for an untagged turn
    "speaks_later",  # speaks (by the sieve) in the next turns of this conversation
    "conversation_share",  # share of the surrounding turns of the conversation it speaks
    "sole_agreeing_participant",  # the only speaker around of the tag pronoun's gender
    "noun_chain",  # spoke the nearest earlier turn tagged with the same noun ("said the
    # gentleman" … "said the old gentleman")
    "noun_agreeing_rank0",  # nearest narration-mentioned character of a noun tag's gender
    "noun_agreeing_name0",  # nearest narration name of that gender
    "noun_sole_participant",  # the only speaker around of that gender
    "pronoun_focus",  # most of the narration window's he/she of the tag pronoun's gender
    "style_rank0",  # the quotation's words are most like this candidate's other speech
    "style_share",  # its similarity to the candidate's speech over the best candidate's
    "tag_object",  # the tag's verb speaks to or acts on the candidate ("he said to Rodney")
    "tag_continues_prev",  # a tag verb of going on ("she added") and the previous speaker
)

#: Tag verbs that say the speaker goes on ("added", "went on", "resumed"): most often
#: the previous turn's speaker again.
CONTINUING_VERBS = frozenset(
    {"add", "continue", "resume", "pursue", "persist", "repeat", "conclude", "proceed",
     "reiterate", "finish", "go"}
)  # fmt: skip


@dataclass(frozen=True)
class TurnContext:
    """What the feature builder needs to know about one turn (the sieve's findings)."""

    start: int
    end: int
    paragraph: int
    tag_character: str | None
    tag_kind: str | None  # name, pronoun, nominal, or None
    tag_pronoun: str | None  # male, female, first, … for pronoun tags
    tag_is_speech: bool
    vocatives: tuple[str, ...]
    sieve_speaker: str | None
    tag_noun: str | None = None  # a speech tag's head noun when it names nobody in the cast
    tag_noun_gender: str | None = None  # male/female/unknown for a tag's head noun
    tag_objects: tuple[str, ...] = ()  # characters the tag's verb speaks to or acts on
    tag_verb: str | None = None  # a speech tag's verb (lemma)


def candidates(
    turn: TurnContext,
    neighbours: Sequence[str | None],
    characters: CharacterLayer,
    participants: Sequence[str] = (),
) -> list[str]:
    """Characters worth scoring: near mentions, neighbours' speakers, the tag's referent,
    and the conversation's other speakers (even when the narration has not named them
    lately: in a long exchange the speaker of this turn often spoke ten turns ago)."""
    out: list[str] = []

    def add(c: str | None, group: bool = False) -> None:
        """Groups speak only when a tag names them ("said the twins")."""
        if not c or c in out or characters.get(c) is None:
            return
        if group or not characters.is_plural(c):
            out.append(c)

    add(turn.tag_character, group=True)
    add(turn.sieve_speaker)
    for c in neighbours:
        add(c)
    for m in reversed(characters.mentions_between(max(0, turn.start - WINDOW), turn.start)):
        if len(out) >= MAX_CANDIDATES:
            break
        if not m.in_quote:
            add(m.character)
    for m in characters.mentions_between(turn.start, turn.end + 300):
        if len(out) >= MAX_CANDIDATES:
            break
        add(m.character)
    for c in participants:
        add(c)
    if characters.narrator:
        add(characters.narrator)
    return out


def features(
    turn: TurnContext,
    prev_turns: Sequence[TurnContext],
    next_turns: Sequence[TurnContext],
    conversation: Sequence[str],
    cands: Sequence[str],
    characters: CharacterLayer,
    global_counts: dict[str, int],
    parity: tuple[str | None, str | None] = (None, None),
    tagged_parity: tuple[str | None, str | None] = (None, None),
    noun_chain: str | None = None,
    later: Sequence[str] = (),
    style: dict[str, float] | None = None,
) -> list[list[float]]:
    """One feature row per candidate, in the order of ``FEATURES``; ``parity`` holds the
    speakers that alternation from the nearest named turns back and ahead points to,
    ``noun_chain`` the speaker of the nearest earlier turn tagged with the same noun,
    ``later`` the speakers of the conversation's next turns, ``style`` each candidate's
    similarity to the quotation's words (``dialogue/style.py``)."""
    near = _narration_before(characters, turn.start)
    order = list(near.nearest)
    name_order, subject_order, window_counts = near.names, near.subjects, near.counts
    quote_mentions = {
        m.character for m in characters.mentions_between(turn.start, turn.end) if m.character
    }
    prev_speakers = [t.sieve_speaker for t in reversed(prev_turns)][:3]
    next_speakers = [t.sieve_speaker for t in next_turns][:2]
    gap = turn.paragraph - prev_turns[-1].paragraph - 1 if prev_turns else 99
    untagged = not turn.tag_is_speech

    pronoun_gender = _gendered(turn.tag_pronoun if turn.tag_kind == "pronoun" else None)
    noun_gender = _gendered(turn.tag_noun_gender) if turn.tag_is_speech else None

    def fits(gender: str | None) -> Callable[[str], bool]:
        """Characters a tag of ``gender`` may mean (never one the quotation addresses, nor
        one the tag's verb speaks to)."""
        return lambda c: (
            gender is not None
            and characters.gender(c) in (gender, "unknown")
            and c not in turn.vocatives
            and c not in turn.tag_objects
        )

    fits_tag, fits_noun = fits(pronoun_gender), fits(noun_gender)
    participants = (*conversation, *later)
    noun_agreeing = [c for c in order if fits_noun(c)]
    noun_agreeing_names = [c for c in name_order if fits_noun(c)]
    noun_participants = {c for c in participants if fits_noun(c)}
    speech_pronoun = pronoun_gender if turn.tag_is_speech else None
    focus = near.pronouns[speech_pronoun].most_common(1) if speech_pronoun else []
    agreeing = [c for c in order if fits_tag(c)]
    participants_agreeing = {c for c in participants if fits_tag(c)}
    agreeing_names = [c for c in name_order if fits_tag(c)]
    agreeing_subjects = [c for c in subject_order if fits_tag(c)]
    style = style or {}
    best_style = max((style.get(c, 0.0) for c in cands), default=0.0)
    rows: list[list[float]] = []
    for c in cands:
        gender = characters.gender(c)
        pronoun = turn.tag_pronoun if turn.tag_kind == "pronoun" else None
        agrees = pronoun_gender is not None and gender in (pronoun_gender, "unknown")
        clashes = pronoun_gender is not None and not agrees
        rank = order.index(c) if c in order else 99
        info = near.nearest.get(c)
        f = {
            "tag_name": float(
                turn.tag_kind == "name" and turn.tag_character == c and turn.tag_is_speech
            ),
            "tag_pronoun_agrees": float(agrees and turn.tag_is_speech),
            "tag_pronoun_clashes": float(clashes),
            "tag_pronoun_resolves": float(turn.tag_kind == "pronoun" and turn.tag_character == c),
            "beat_subject": float(not turn.tag_is_speech and turn.tag_character == c),
            "tag_first_person": float(pronoun == "first" and c == characters.narrator),
            "addressed_here": float(c in turn.vocatives),
            "addressed_before": float(bool(prev_turns) and c in prev_turns[-1].vocatives),
            "addressed_after": float(bool(next_turns) and c in next_turns[0].vocatives),
            "prev1": float(len(prev_speakers) > 0 and prev_speakers[0] == c),
            "prev2": float(len(prev_speakers) > 1 and prev_speakers[1] == c),
            "prev3": float(len(prev_speakers) > 2 and prev_speakers[2] == c),
            "next1": float(len(next_speakers) > 0 and next_speakers[0] == c),
            "next2": float(len(next_speakers) > 1 and next_speakers[1] == c),
            "same_paragraph_prev": float(
                bool(prev_turns)
                and prev_turns[-1].paragraph == turn.paragraph
                and prev_turns[-1].sieve_speaker == c
            ),
            "sieve_choice": float(turn.sieve_speaker == c),
            "near_rank0": float(rank == 0),
            "near_rank1": float(rank == 1),
            "near_rank2": float(rank == 2),
            "near_log_distance": math.log1p(info[0]) / 8 if info else 1.0,
            "near_subject": float(bool(info and info[1])),
            "window_mentions": math.log1p(window_counts.get(c, 0)),
            "named_in_quote": float(c in quote_mentions and c not in turn.vocatives),
            "global_log_mentions": math.log1p(global_counts.get(c, 0)) / 5,
            "narrator": float(c == characters.narrator),
            "in_conversation": float(c in conversation),
            "agreeing_rank0": float(bool(agreeing) and agreeing[0] == c),
            "agreeing_rank1": float(len(agreeing) > 1 and agreeing[1] == c),
            "prev1_untagged": float(untagged and len(prev_speakers) > 0 and prev_speakers[0] == c),
            "prev2_untagged": float(untagged and len(prev_speakers) > 1 and prev_speakers[1] == c),
            "prev2_close": float(
                untagged and gap == 0 and len(prev_speakers) > 1 and prev_speakers[1] == c
            ),
            "addressed_before_untagged": float(
                untagged and bool(prev_turns) and c in prev_turns[-1].vocatives
            ),
            "agreeing_name0": float(bool(agreeing_names) and agreeing_names[0] == c),
            "agreeing_subject0": float(bool(agreeing_subjects) and agreeing_subjects[0] == c),
            "subject_rank0": float(bool(subject_order) and subject_order[0] == c),
            "prev1_sure": float(bool(prev_turns) and _sure(prev_turns[-1]) == c),
            "next1_sure": float(bool(next_turns) and _sure(next_turns[0]) == c),
            "parity_back": float(untagged and parity[0] == c),
            "parity_fwd": float(untagged and parity[1] == c),
            "noun_agrees": float(noun_gender is not None and gender in (noun_gender, "unknown")),
            "noun_clashes": float(
                noun_gender is not None and gender not in (noun_gender, "unknown")
            ),
            "parity_tag_back": float(untagged and tagged_parity[0] == c),
            "parity_tag_fwd": float(untagged and tagged_parity[1] == c),
            "speaks_later": float(c in later),
            "sole_agreeing_participant": float(participants_agreeing == {c}),
            "conversation_share": (conversation.count(c) + later.count(c))
            / max(1, len(conversation) + len(later)),
            "noun_chain": float(noun_chain == c),
            "noun_agreeing_rank0": float(bool(noun_agreeing) and noun_agreeing[0] == c),
            "noun_agreeing_name0": float(bool(noun_agreeing_names) and noun_agreeing_names[0] == c),
            "noun_sole_participant": float(noun_participants == {c}),
            "pronoun_focus": float(bool(focus) and focus[0][0] == c and c not in turn.vocatives),
            "style_rank0": float(best_style > 0 and style.get(c, 0.0) == best_style),
            "style_share": style.get(c, 0.0) / best_style if best_style > 0 else 0.0,
            "tag_object": float(c in turn.tag_objects),
            "tag_continues_prev": float(
                turn.tag_verb in CONTINUING_VERBS
                and len(prev_speakers) > 0
                and prev_speakers[0] == c
            ),
        }
        rows.append([f[name] for name in FEATURES])
    return rows


def _gendered(gender: str | None) -> str | None:
    """``gender`` when it is male or female (a tag that says whom it may mean), else None."""
    return gender if gender in ("male", "female") else None


def _sure(turn: TurnContext) -> str | None:
    """The speaker a turn's speech tag names outright, if any."""
    if turn.tag_is_speech and turn.tag_kind == "name":
        return turn.tag_character
    return None


@dataclass
class _Narration:
    """What the narration just before a quotation says about each character, in one scan:
    its nearest mention (distance, was it a subject), the order of nearest name and nearest
    subject mentions, and how often it is mentioned in the window."""

    nearest: dict[str, tuple[int, bool]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    #: narration pronouns resolved to each character, by pronoun gender
    pronouns: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def _narration_before(characters: CharacterLayer, before: int) -> _Narration:
    out = _Narration()
    later_subject_name = False  # a name was a subject after the mention being read
    later_subject_genders: set[str] = set()
    for m in reversed(characters.mentions_between(max(0, before - WINDOW), before)):
        c = m.character
        if m.in_quote or not c:
            continue
        out.counts[c] = out.counts.get(c, 0) + 1
        if m.kind == "pronoun" and m.pronoun in ("male", "female"):
            out.pronouns[m.pronoun][c] += 1
        if c not in out.nearest:
            out.nearest[c] = (before - m.end, m.role in SUBJECTS)
        if (
            m.kind != "pronoun"
            and c not in out.names
            and not _superseded(m, characters.gender(c), later_subject_name, later_subject_genders)
        ):
            out.names.append(c)
        if m.role in SUBJECTS:
            if c not in out.subjects:
                out.subjects.append(c)
            later_subject_name = later_subject_name or m.kind != "pronoun"
            later_subject_genders.add(m.pronoun or characters.gender(c))
    return out


def _superseded(m: MentionRef, gender: str, subject_name: bool, subject_genders: set[str]) -> bool:
    """A possessive name ("Lane's guitar") is not who a later pronoun tag means when a
    subject came after it: any subject name, or a subject of the same gender."""
    if m.role != "poss":
        return False
    return (
        subject_name or gender in subject_genders or (gender == "unknown" and bool(subject_genders))
    )
