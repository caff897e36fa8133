"""Tense and viewpoint slips, precise rather than many: a writer reads each one.

Why so strict: present-tense narration legitimately uses the past for backstory ("She
had said it", "last week", "It hurt." after a past-perfect memory), for reported belief
("she didn't believe he'd call") and inside dialogue; past narration uses the present for
general truths and free indirect thought. A sentence is a tense slip only when its main
clause is wholly in the other tense, its subject is a person, it is no question, and the
narration right around it is in the scene's tense. Backstory runs on from a past-perfect
or time-adverb sentence until the paragraph returns to the narration's tense.
"""

from __future__ import annotations

from collections.abc import Sequence

from ficlens.model import Slip, Tense
from ficlens.narrative.scan import Idiom, Sentence

#: A scene's tense must be this clear before a sentence in the other tense is a slip.
MIN_SHARE = 0.7
MIN_WORDS = 2


def _verbs(s: Sentence, tense: Tense) -> list[tuple[int, int, str]]:
    return s.present if tense == "present" else s.past


def tense_slips(
    sentences: Sequence[Sentence], tense: Tense | None, share: float | None
) -> list[Slip]:
    """Sentences of one scene whose main clause leaves the scene's tense."""
    if tense is None or share is None or share < MIN_SHARE:
        return []
    other: Tense = "past" if tense == "present" else "present"
    slips: list[Slip] = []
    backstory = False
    paragraph = -1
    told = [s for s in sentences if s.main]
    position = {id(s): k for k, s in enumerate(told)}
    for s in sentences:
        if s.paragraph != paragraph:
            paragraph, backstory = s.paragraph, False
        if tense in s.main:
            backstory = False
        if not s.evidence:
            backstory = tense == "present"
            continue
        if backstory or s.main != {other} or _verbs(s, tense) or not _verbs(s, other):
            continue
        if s.question or s.reported or s.words < MIN_WORDS or not s.subject_character:
            continue
        if other == "present" and not _told_present(s):
            continue
        k = position[id(s)]
        around = [told[j] for j in (k - 1, k + 1) if 0 <= j < len(told)]
        if not around or not all(n.main == {tense} for n in around):
            continue
        start, end, word = _verbs(s, other)[0]
        slips.append(
            Slip(
                start=start,
                end=end,
                kind="tense",
                message=f'Tense slip: "{word}" is in the {other} tense, but the narration '
                f"around it is in the {tense}.",
            )
        )
    return slips


#: Subjects whose present tense in past narration is commentary, not a slip ("I do not
#: know", "They never lock that door").
_COMMENTARY_SUBJECTS = frozenset({"i", "we", "you", "they", "one", "us"})


def _told_present(s: Sentence) -> bool:
    """A present-tense sentence in past narration that reads as a slip: a he/she/named
    subject, no present perfect, no "now" (the narrator's own time)."""
    if s.subject in _COMMENTARY_SUBJECTS or s.present_perfect or s.now:
        return False
    # "She leant back": a he/she present must be "-s"; anything else is a tagging error.
    return s.main_tag == "VBZ"


_SWAP = {"male": "his", "female": "her", "first": "my"}
_WHO = {"male": "male", "female": "female", "first": "the narrator"}


def viewpoint_slip(idiom: Idiom) -> Slip:
    """ "He swears under her breath": the possessive must be the subject's own."""
    fixed = idiom.phrase.replace(idiom.possessive, _SWAP[idiom.subject_gender], 1)
    return Slip(
        start=idiom.start,
        end=idiom.end,
        kind="viewpoint",
        message=f'Viewpoint slip: "{idiom.phrase}" must belong to the subject '
        f'"{idiom.subject}" ({_WHO[idiom.subject_gender]}); did you mean "{fixed}"?',
    )
