"""Small word lists the rules share.

Speech verbs are kept here rather than imported from dialogue/, which tolerates action
beats ("she smiled") as tags; for punctuation advice only verbs that are clearly speech
count, because ``"Hi." She smiled.`` is correct while ``"Hi." She said.`` is not.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A frozenset of the whitespace-separated words of ``text`` (for word lists)."""
    return frozenset(text.split())


_REGULAR = (
    "accuse add admit agree announce answer ask bark beg bellow blurt command "
    "comment complain concede confess confirm continue correct counter croak cry declare "
    "demand drawl exclaim explain gasp groan growl grumble grunt hiss inform inquire "
    "insist interrupt joke lie mention moan mumble murmur muse mutter note offer order "
    "plead promise protest question quip reason recall remark remind repeat reply "
    "respond retort roar scoff scream screech shout shriek snap snarl sob stammer state "
    "stutter suggest tease threaten wail warn whimper whine whisper yell"
)
_IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "begin": (),  # "he began" starts an action as often as a line: never a tag here
}


def _forms(verb: str) -> set[str]:
    if verb.endswith("ee"):
        return {verb, verb + "s", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        return {verb, verb + "s", verb + "d", verb[:-1] + "ing"}
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return {verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    if verb.endswith(("sh", "ch", "ss", "x")):
        return {verb, verb + "es", verb + "ed", verb + "ing"}
    doubled = verb + verb[-1] if verb in {"snap", "sob", "quip", "beg", "admit"} else verb
    return {verb, verb + "s", doubled + "ed", doubled + "ing"}


SPEECH_VERB_FORMS: frozenset[str] = frozenset(
    {f for v in _REGULAR.split() for f in _forms(v)} - {"lying", "lies", "lied", "lie"}
    | {f for forms in _IRREGULAR.values() for f in forms}
)
"""Inflected forms of verbs that introduce speech ("said", "whispers", "asked")."""

SUBJECT_PRONOUNS: frozenset[str] = frozenset({"he", "she", "they", "we", "you", "it"})
"""Pronouns that a speech tag writes in lower case ("I" keeps its capital)."""

NOT_A_NAME: frozenset[str] = words(
    "The A An And But Or So Then Now Yet Still This That These Those There Here When While "
    "If As Just Even Only Maybe Perhaps Well Oh No Yes Not Her His Their My Your Our Its "
    "What Who Why How Where Which After Before Because Since Until Though Although"
)
"""Capitalised words that open narration and are not a speaker's name."""
