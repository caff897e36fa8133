"""Cue lexicons for relationship kinds, as data: (label, weight, regex source).

Why a Python module rather than a data file: the patterns are regular expressions that
must compile and be tested with the code, and they ship in the wheel without package-data
plumbing. Each list is compiled once into one alternation with a named group per cue
(``cues.py``), so a fic is scanned once per kind, not once per cue.

Weights say how much a careful reader would take one occurrence as evidence: a kiss or an
"I love you" is strong, a hug is weak (friends and family hug too). Patterns are matched
case-insensitively (``(?-i:...)`` marks a case-sensitive part); a straight apostrophe
also matches a curly one.
"""

from __future__ import annotations

from typing import Literal

from ficlens.model import RelationshipKind

Gender = Literal["female", "male", "any"]

_OBJ = r"(?:him|her|me|you|them)"

#: Romance now: cues a reader takes as the pair being (or becoming) a couple.
ROMANTIC: list[tuple[str, float, str]] = [
    ("kiss", 3.0, r"\bkiss(?:es|ed|ing)?\b"),
    ("I love you", 3.0, r"\bI (?:love|adore) you\b|\bI(?:'m| am) in love with you\b"),
    ("love", 2.0, r"\b(?:loves?|loved|loving) " + _OBJ + r"\b|\bin love\b|\bfallen? for\b"),
    ("love of my life", 3.0, r"\blove of (?:my|his|her|your) life\b"),
    ("date", 1.5, r"\b(?:first date|on a date|dating|date with|asked (?:him|her|me|you) out)\b"),
    ("proposal", 1.5, r"\bpropos(?:ed|al|e) to\b|\bwill you marry\b"),
    (
        "holding hands",
        2.0,
        r"\bhand in hand\b|\b(?:held|holds?|holding|took|takes?|taking|grabbed|squeezed) "
        r"(?:his|her|my|your) hand\b|\bholding hands\b|\b(?:lacing|laced|"
        r"intertwin(?:ed|ing)) (?:their|his|her|my|our) fingers\b",
    ),
    (
        "embrace",
        1.0,
        r"\b(?:embrac(?:e|es|ed|ing)|in (?:his|her|my|your) arms|"
        r"cuddl(?:e|ed|ing)|snuggl(?:e|ed|ing))\b|"
        r"\b(?:head|leaned|leaning|leans) (?:on|against) (?:his|her|my|your) (?:shoulder|chest)\b",
    ),
    ("hug", 0.5, r"\bhug(?:s|ged|ging)?\b|\bheld (?:him|her|me) (?:close|tight)"),
    (
        "intimacy",
        2.0,
        r"\b(?:slept together|sleep(?:ing)? with|slept with|made love|make love|"
        r"(?:have|had|having|has) sex|sex with|"
        r"virginity|deflower\w*|in bed with)\b",
    ),
    ("jealousy", 1.0, r"\bjealous(?:y)?\b"),
    (
        "together",
        1.5,
        r"\bbelong together\b|\bmade for each other\b|\bbe with (?:him|her|me|you)\b|"
        r"\bnew relationship\b|\bour relationship\b",
    ),
    (
        "longing",
        1.0,
        r"\bmiss(?:es|ed|ing)? (?:him|her|you|me)\b|\bpin(?:e|ed|ing) for\b|"
        r"\bwant(?:s|ed)? (?:him|her|you|me)\b(?! to\b)",
    ),
    ("romance", 1.0, r"\bromantic\b|\bflirt(?:s|ed|ing|atious(?:ly)?)?\b|\bcaress(?:es|ed|ing)?\b"),
]

#: Romance past: an ex is romantic history, not the fic's pairing (scored down).
HISTORY: list[tuple[str, float, str]] = [
    (
        "ex",
        2.0,
        r"\bex(?:-|\s)?(?:boyfriend|girlfriend|husband|wife|fianc[ée]e?)\b|"
        r"(?-i:\b(?:my|his|her|your) ex\b)",
    ),
    (
        "breakup",
        2.0,
        r"\bbr(?:oke|eak|eaks|eaking) up\b|\bbreak-?up\b|"
        r"\bdump(?:ed|s|ing)? (?:him|her|me|you)\b|\bdumped\b|"
        r"\bsplit up\b|\bdivorc(?:e|ed|ing)\b",
    ),
    (
        "over",
        1.0,
        r"\b(?:be|been|being|'m|am|was|were|is|'s|get|got|getting) over (?:him|her|you|us)\b",
    ),
    # "I left him." is a breakup, "after he left her at the station" a departure: a weak cue
    ("left", 0.5, r"\bleft (?:him|her|me)(?=[.,;!?])"),
    ("cheated", 1.0, r"\bcheat(?:ed|ing) on\b"),
    ("used to date", 1.5, r"\bused to (?:date|go out|be together)\b"),
]

#: Friendship.
PLATONIC: list[tuple[str, float, str]] = [
    ("best friend", 2.5, r"\bbest friends?\b|\bbff\b"),
    ("friend", 0.5, r"\bfriends?\b|\bfriendship\b|\bbuddy\b|\bpal\b"),
]

#: Kin and partner words: (label, kind, gender of the person the word names, regex).
#: Possessed ("his mother", "Rory's dad", "her boyfriend") they tie the possessor to a
#: character of that gender; a spouse or boyfriend is romantic, a relative family.
KIN: list[tuple[str, RelationshipKind, Gender, str]] = [
    ("mother", "family", "female", r"mother|mom|mum|mommy|mama"),
    ("father", "family", "male", r"father|dad|daddy|papa"),
    ("daughter", "family", "female", r"daughter"),
    ("son", "family", "male", r"son"),
    ("sister", "family", "female", r"sister|sis"),
    ("brother", "family", "male", r"brother|bro"),
    ("aunt", "family", "female", r"aunt|auntie"),
    ("uncle", "family", "male", r"uncle"),
    ("niece", "family", "female", r"niece"),
    ("nephew", "family", "male", r"nephew"),
    ("cousin", "family", "any", r"cousin"),
    ("grandmother", "family", "female", r"grandmother|grandma|granny|nana"),
    ("grandfather", "family", "male", r"grandfather|grandpa|granddad"),
    ("grandchild", "family", "any", r"grandson|granddaughter|grandchild|grandkid"),
    ("wife", "romantic", "female", r"wife|wives|fianc[ée]e"),
    ("husband", "romantic", "male", r"husband|fianc[ée]"),
    ("girlfriend", "romantic", "female", r"girlfriend|girl friend"),
    ("boyfriend", "romantic", "male", r"boyfriend|boy friend"),
    ("lover", "romantic", "any", r"lover|sweetheart|partner"),
]

#: Kin words used as a form of address in speech ("Mom, I'm home."): the addressee is the
#: speaker's kin.
VOCATIVE_KIN: list[tuple[str, Gender, str]] = [
    ("mother", "female", r"Mom|Mum|Mommy|Mama|Mother"),
    ("father", "male", r"Dad|Daddy|Papa|Father|Pop"),
    ("grandmother", "female", r"Grandma|Granny|Grandmother|Nana"),
    ("grandfather", "male", r"Grandpa|Grandfather"),
    ("uncle", "male", r"Uncle \w+"),
    ("aunt", "female", r"Aunt \w+"),
]

#: A romantic cue in the pluperfect ("Logan had kissed her") happened before the story:
#: romantic history, like an ex.
PLUPERFECT = r"\bhad\W+(?:\w+\W+)?$"

#: Words that undo a cue just before it ("never really loved him", "never kissed").
NEGATION = r"(?:\bnot|\bnever|\bno longer|n't)\W+(?:\w+\W+){0,2}$"
