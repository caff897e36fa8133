"""Word lists the narrative stage decides by, in one place so a reader can check them.

Why lists and not a model: viewpoint and tense cues are a small closed vocabulary
(perception and cognition verbs, inner-body nouns, backstory adverbs), and every
decision must point at the words behind it.
"""

from __future__ import annotations

import re

#: Person cues outside quotations (``we/us/our`` count as first person).
FIRST_PERSON = frozenset(
    {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"}
)
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})
THIRD_PERSON = frozenset(
    {"he", "him", "his", "himself", "she", "her", "hers", "herself", "they", "them", "their",
     "theirs", "themselves"}
)  # fmt: skip

MALE = frozenset({"he", "him", "his", "himself"})
FEMALE = frozenset({"she", "her", "hers", "herself"})

#: Lemmas of verbs of perception and cognition: their subject is the one whose mind the
#: narration is in ("She wonders", "he notices").
COGNITION = frozenset(
    {
        "think", "wonder", "know", "feel", "see", "notice", "realize", "realise", "want",
        "wish", "hope", "remember", "imagine", "hear", "watch", "decide", "fear", "hate",
        "understand", "believe", "suppose", "sense", "recall", "worry", "guess", "doubt",
        "regret", "miss", "long", "dread", "expect", "forget", "consider", "suspect", "smell",
        "taste", "plan"
    }
)  # fmt: skip

#: Adjectives of feeling: their subject's inside is shown ("He's furious with her").
FEELINGS = frozenset(
    {
        "angry", "afraid", "scared", "sad", "happy", "glad", "tired", "nervous", "anxious",
        "jealous", "sorry", "ashamed", "embarrassed", "worried", "terrified", "furious",
        "relieved", "confused", "hurt", "lonely", "proud", "desperate", "miserable",
        "frustrated", "excited", "grateful", "guilty", "numb", "exhausted", "ready", "sure",
        "certain", "aware"
    }
)  # fmt: skip

#: Nouns of the inner body or mind: "her heart", "his thoughts" belong to the viewpoint.
INNER = frozenset(
    {
        "mind", "heart", "thoughts", "thought", "stomach", "gut", "throat",
        "breath", "pulse"
    }
)  # fmt: skip
#: Perceiving body parts, cues only as the subject of a verb ("Her eyes scan the room").
SENSES = frozenset(["eyes", "eye", "gaze", "ears", "hands", "fingers"])

#: Finite modal verbs that carry tense in English narration.
PRESENT_MODALS = frozenset({"can", "will", "shall", "may", "must"})

#: Time adverbs and phrases that make a past-tense sentence legitimate backstory.
BACKSTORY = re.compile(
    r"\b(?:ago|yesterday|used\s+to|back\s+then|once\s+upon|years?\s+before|"
    r"the\s+(?:night|day|week|year|morning|evening)\s+before|"
    r"last\s+(?:night|week|month|year|summer|winter|spring|fall|autumn|time|christmas)|"
    r"when\s+(?:I|he|she|we|they|you)\s+(?:was|were)|"
    r"remember(?:s|ed|ing)?|recall(?:s|ed|ing)?|at\s+first|back\s+when|that\s+night|"
    r"earlier|before\s+that|in\s+the\s+past|as\s+a\s+child|first\s+time|"
    r"already|never|ever|always|once)\b",
    re.IGNORECASE,
)

#: Reflexive idioms: the possessor must be the verb's subject ("She rolls her eyes").
#: noun -> verb lemmas (the noun's governing verb, or through a preposition), "" = any.
IDIOMS: dict[str, frozenset[str]] = {
    "breath": frozenset({"under"}),
    "head": frozenset({"shake", "nod", "tilt", "duck", "hang", "scratch", "bow"}),
    "eyes": frozenset({"roll", "narrow", "squeeze", "rub"}),
    "lip": frozenset({"bite", "chew", "gnaw"}),
    "lips": frozenset({"bite", "chew", "purse", "lick"}),
    "throat": frozenset({"clear"}),
    "shoulders": frozenset({"shrug"}),
    "temper": frozenset({"lose"}),
    "feet": frozenset({"to"}),  # "got to her feet", "rose to his feet"
}
#: Sentences about kissing make "bit her lip" a shared act, not a slip.
KISSING = re.compile(r"\bkiss", re.IGNORECASE)

#: A sentence's subject words that tell a scene's tense slip is the narration's.
NARRATION_SUBJECTS = FIRST_PERSON | THIRD_PERSON
