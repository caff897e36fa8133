"""Gender of each character, with the kind of evidence that decided it.

Evidence: the pronouns this text uses for the character (a sentence that names one
character and then says "she"), an honorific ("Mrs."), canon knowledge and the first-name
lexicon of the ``gender-guesser`` package. Many pronoun votes decide alone (a
gender-swapped fic); otherwise each kind of evidence is weighed against the others.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

from ficlens.characters.layer import MentionRef
from ficlens.characters.lexicon import REFLEXIVES
from ficlens.model import Gender

GenderSource = Literal["pronouns", "title", "canon", "lexicon"]


@lru_cache(maxsize=1)
def _detector() -> Any:
    import gender_guesser.detector as gg  # loads a 2 MB name table once

    return gg.Detector(case_sensitive=False)


def lexicon_gender(first_name: str) -> Gender:
    """Gender the name lexicon gives a first name ("unknown" for androgynous names)."""
    answer = _detector().get_gender(first_name)
    return {
        "male": "male",
        "mostly_male": "male",
        "female": "female",
        "mostly_female": "female",
    }.get(answer, "unknown")  # type: ignore[return-value]


def is_known_name(word: str) -> bool:
    """True when the name lexicon knows ``word`` as a first name (of any gender)."""
    return bool(_detector().get_gender(word) != "unknown")


def pronoun_votes(
    sentences: Sequence[tuple[int, int]], mentions: Sequence[MentionRef]
) -> dict[str, Counter[str]]:
    """Count the pronouns narration uses right after naming exactly one character.

    In a sentence whose narration names one character, a possessive or reflexive pronoun
    after the name votes for it ("Rory pushed her hair back"); subject and object pronouns
    in that sentence do not, since they often mean someone else ("Jess kissed her", "Jess
    said she was late"; counting subjects made named casts' genders worse). A subject
    pronoun opening the next sentence votes too when that sentence names nobody.
    """
    votes: dict[str, Counter[str]] = {}
    starts = [s for s, _ in sentences]
    by_sentence: list[list[MentionRef]] = [[] for _ in sentences]
    for m in mentions:
        if m.in_quote:
            continue
        i = bisect_right(starts, m.start) - 1
        if 0 <= i < len(sentences) and m.start < sentences[i][1]:
            by_sentence[i].append(m)
    for i, found in enumerate(by_sentence):
        named = [m for m in found if m.kind == "name" and m.character]
        if len({m.character for m in named}) != 1:
            continue
        who = named[0].character
        assert who is not None
        first = named[0].start
        pool = [
            m
            for m in found
            if m.kind == "pronoun"
            and m.start > first
            and (m.role == "poss" or m.text.lower() in REFLEXIVES)
        ]
        if i + 1 < len(by_sentence) and not any(m.kind == "name" for m in by_sentence[i + 1]):
            pool += [
                m
                for m in by_sentence[i + 1][:1]
                if m.kind == "pronoun" and m.role in ("nsubj", "nsubjpass")
            ]
        for m in pool:
            if m.pronoun in ("male", "female"):
                votes.setdefault(who, Counter())[m.pronoun] += 1
    return votes


#: Weight of each kind of evidence against one pronoun vote.
TITLE_WEIGHT = 4.5
CANON_WEIGHT = 5.0
LEXICON_WEIGHT = 3.5
#: A rank most holders of which are men in the fiction read ("Colonel"): less than one vote.
RANK_WEIGHT = 0.5
#: Pronoun votes that outweigh everything else: at least this many more votes for one
#: gender (and four in five of them), as in a gender-swapped fic.
STRONG_VOTES = 4


def decide(
    votes: Counter[str] | None,
    title: Gender,
    canon: Gender | None,
    first_name: str | None,
    *,
    rank: bool = False,
) -> tuple[Gender, GenderSource | None]:
    """Combine the evidence: many pronoun votes decide alone; otherwise votes, honorific,
    canon, the first-name lexicon and a usually male rank are weighed against each
    other."""
    votes = votes or Counter()
    total = sum(votes.values())
    top, top_n = votes.most_common(1)[0] if votes else ("unknown", 0)
    if top_n - (total - top_n) >= STRONG_VOTES and top_n / total >= 0.8:
        return top, "pronouns"  # type: ignore[return-value]
    guess = lexicon_gender(first_name) if first_name else "unknown"
    evidence: list[tuple[Gender, float, GenderSource]] = [
        ("male", float(votes["male"]), "pronouns"),
        ("female", float(votes["female"]), "pronouns"),
        (title, TITLE_WEIGHT, "title"),
        (canon or "unknown", CANON_WEIGHT, "canon"),
        (guess, LEXICON_WEIGHT, "lexicon"),
        ("male" if rank else "unknown", RANK_WEIGHT, "title"),
    ]
    weight = {"male": 0.0, "female": 0.0}
    strongest: dict[str, tuple[float, GenderSource]] = {}
    for gender, w, source in evidence:
        if gender not in ("male", "female") or w <= 0:
            continue
        weight[gender] = weight.get(gender, 0.0) + w
        if w > strongest.get(gender, (0.0, source))[0]:
            strongest[gender] = (w, source)
    if weight["male"] == weight["female"]:
        return "unknown", None
    winner = "male" if weight["male"] > weight["female"] else "female"
    return winner, strongest[winner][1]  # type: ignore[return-value]
