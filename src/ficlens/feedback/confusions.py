"""Homophones and common confusions, each with a context rule narrow enough to be right.

A pattern finds the candidate (cheap, over the story text); where the surface alone is
not enough, the spaCy token after or before the candidate decides (a past participle
after "might of", a comparative before "then"). Precision first: "their house" and
"your going away party" must never be flagged, so every pattern names what follows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ficlens.feedback.context import Context, item
from ficlens.model import Feedback, Severity

_APOS = "['’]"


@dataclass(frozen=True)
class Confusion:
    """One confusion: the span to flag is group ``word`` of ``pattern``."""

    rule: str
    anchor: str
    """The word the ``word`` group starts with: lower-case alternatives, whose first
    letter also matches in upper case."""
    pattern: re.Pattern[str]
    right: str | Callable[[re.Match[str]], str]
    message: str
    check: Callable[[re.Match[str], int, Context], bool] | None = None
    severity: Severity = "error"
    speech_only: bool = False


def _c(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _next_token(m: re.Match[str], base: int, ctx: Context) -> Any:
    """The spaCy token starting right after the match (skipping spaces)."""
    at = base + m.end()
    while at < len(ctx.text) and ctx.text[at] in " \t":
        at += 1
    return ctx.token(at)


def _participle_follows(m: re.Match[str], base: int, ctx: Context) -> bool:
    token = _next_token(m, base, ctx)
    if token is None:
        return m.group("next").lower() in {"been", "had", "done", "gone", "known", "seen"}
    return getattr(token, "tag_", "") in {"VBN", "VBD"}


def _comparative_then(m: re.Match[str], base: int, ctx: Context) -> bool:
    """ "better then him", "more then ever", "rather then wait": a comparison follows."""
    word = m.group("cmp").lower()
    after = ctx.token(base + m.start("next"))
    if after is not None and getattr(after, "pos_", "") in {"VERB", "AUX", "PUNCT", "CCONJ"}:
        return False
    if word in {"rather", "other", "more", "less"}:
        return True
    before = ctx.token(base + m.start("cmp"))
    return before is not None and getattr(before, "tag_", "") in {"JJR", "RBR"}


def _is_verb(m: re.Match[str], base: int, ctx: Context) -> bool:
    """ "She took of her coat", not "the turn of our minds"."""
    token = ctx.token(base + m.start("word"))
    return token is None or getattr(token, "pos_", "") in {"VERB", "AUX"}


def _noun_follows(m: re.Match[str], base: int, ctx: Context) -> bool:
    token = _next_token(m, base, ctx)
    return token is not None and getattr(token, "pos_", "") == "NOUN"


_YOURE_ADJ = (
    "right|wrong|kidding|joking|sure|crazy|insane|lying|late|welcome|beautiful|amazing|"
    "adorable|cute|sweet|impossible|ridiculous|unbelievable|serious|fine|done|here|there|"
    "okay|ok|alright"
)
_ITS_ADJ = "okay|ok|alright|fine|true|over|late|cold|hot|raining|done|nothing|fine|gone"
_OBJECTS = (
    "the|a|an|my|your|his|her|their|our|its|it|him|them|me|us|you|this|that|control|"
    "weight|sleep|track|touch|hope|interest|everything|anything|face|temper|mind|focus"
)
_SPLIT = {
    "no where": "nowhere",
    "some how": "somehow",
    "any where": "anywhere",
    "every where": "everywhere",
    "alot": "a lot",
    "infact": "in fact",
    "atleast": "at least",
    "eachother": "each other",
    "aswell": "as well",
    "incase": "in case",
    "noone": "no one",
    "matter of factly": "matter-of-factly",
}

CONFUSIONS: tuple[Confusion, ...] = (
    Confusion(
        "confusion.their_there",
        r"their",
        _c(
            rf"\b(?P<word>[Tt]heir)(?=\s+(?:is|are|was|were|isn{_APOS}t|aren{_APOS}t|"
            rf"wasn{_APOS}t|weren{_APOS}t)\b)"
        ),
        "there",
        '"their" is possessive ("their house"); "there is / there are" needs "there".',
    ),
    Confusion(
        "confusion.their_there",
        r"their",
        _c(r"(?<=\s)(?P<word>their)(?=\s*[.!?;](?:\s|$|[\"”]))"),
        "there",
        '"their" needs a noun after it; for a place write "there".',
    ),
    Confusion(
        "confusion.your_youre",
        r"your",
        _c(r"\b(?P<word>[Yy]our)(?=\s+(?:not|a|an|the|gonna|such\s+a|going\s+to)\b(?!-))"),
        "you're",
        '"your" is possessive ("your book"); "you are" is "you\'re".',
    ),
    Confusion(
        "confusion.your_youre",
        r"your",
        _c(
            rf"\b(?P<word>[Yy]our)(?=\s+(?:so\s+|too\s+|really\s+|very\s+)?(?:{_YOURE_ADJ})"
            r"\s*[.,!?])"
        ),
        "you're",
        '"your" is possessive ("your book"); "you are" is "you\'re".',
    ),
    Confusion(
        "confusion.its_its",
        r"its",
        _c(r"\b(?P<word>[Ii]ts)(?=\s+(?:not|a|an|the|been|gonna|going\s+to)\b(?!-))"),
        "it's",
        '"its" is possessive ("its tail"); "it is / it has" is "it\'s".',
    ),
    Confusion(
        "confusion.its_its",
        r"its",
        _c(rf"\b(?P<word>[Ii]ts)(?=\s+(?:so\s+|too\s+|really\s+|not\s+)?(?:{_ITS_ADJ})\s*[.,!?])"),
        "it's",
        '"its" is possessive ("its tail"); "it is / it has" is "it\'s".',
    ),
    Confusion(
        "confusion.its_its",
        r"it['’]s",
        _c(rf"\b(?P<word>[Ii]t{_APOS}s)(?=\s+own\b)"),
        "its",
        '"it\'s" means "it is"; the possessive is "its" ("its own").',
    ),
    Confusion(
        "confusion.its_its",
        r"it['’]s",
        _c(
            rf"\b(?:in|on|of|from|with|by|at|into|onto|under|through|across|against)\s+"
            rf"(?P<word>it{_APOS}s)(?=\s+\w)"
        ),
        "its",
        '"it\'s" means "it is"; the possessive is "its" ("on its side").',
        check=_noun_follows,
    ),
    Confusion(
        "confusion.modal_of",
        r"might|would|could|should|must",
        _c(
            r"\b(?P<word>(?:[Mm]ight|[Ww]ould|[Cc]ould|[Ss]hould|[Mm]ust)(?:n['’]t)?\s+of)"
            r"(?=\s+(?P<next>[a-z]+)\b)(?!\s+course\b)"
        ),
        lambda m: m.group("word").rsplit(None, 1)[0] + " have",
        '"of" here is a mishearing of "\'ve": write "have" ("might have had").',
        check=_participle_follows,
    ),
    Confusion(
        "confusion.then_than",
        r"then",
        _c(r"\b(?P<cmp>[A-Za-z]+)\s+(?P<word>then)\s+(?P<next>[A-Za-z]+)"),
        "than",
        'After a comparison use "than" ("better than"); "then" is about time.',
        check=_comparative_then,
    ),
    Confusion(
        "confusion.then_than",
        r"than",
        _c(r"\b[Aa]nd\s+(?P<word>than)\b(?=\s+(?:I|he|she|they|we|you|it|the)\b)"),
        "then",
        '"than" compares; for what happens next write "then".',
    ),
    Confusion(
        "confusion.lose_loose",
        r"loose",
        _c(
            r"\b(?:to|will|won['’]t|don['’]t|didn['’]t|can['’]t|cannot|could|would|should|"
            rf"might|gonna|not|never)\s+(?P<word>loose)(?=\s+(?:{_OBJECTS})\b)"
        ),
        "lose",
        '"loose" means not tight; to misplace or fail to keep is "lose".',
    ),
    Confusion(
        "confusion.lose_loose",
        r"loosing",
        _c(r"\b(?P<word>[Ll]oosing)\b(?!\s+(?:an?\s+|the\s+|his\s+|her\s+)?arrows?)"),
        "losing",
        '"loosing" means setting free; to misplace or fail to keep is "losing".',
    ),
    Confusion(
        "confusion.lose_loose",
        r"lose",
        _c(
            r"\b(?:break|broke|broken|breaking|cut|let|came|come|comes|coming|hang|hung|"
            r"hanging|set|turned|running|ran)\s+(?P<word>lose)(?=\s*[.,!?;]|\s+(?:from|of|on)\b)"
        ),
        "loose",
        '"lose" means to misplace; not tight or free is "loose" ("break loose").',
    ),
    Confusion(
        "confusion.affect_effect",
        r"affects?",
        _c(
            r"\b(?:the|an|a|no|any|this|that|its|his|her|their|positive|negative|side|"
            r"same|big|huge|lasting|desired)\s+(?P<word>affects?)(?=\s+(?:on|of)\b)"
        ),
        lambda m: "effect" + m.group("word")[6:],
        'The noun is "effect" ("an effect on"); "affect" is the verb.',
    ),
    Confusion(
        "confusion.affect_effect",
        r"effect",
        _c(
            r"\b(?:will|would|could|can|might|may|does|did|doesn['’]t|didn['’]t|won['’]t|not)"
            r"\s+(?P<word>effect)(?=\s+(?:me|him|her|us|them|you|my|his|your|our|their)\b)"
        ),
        "affect",
        'To influence is "affect"; "effect" as a verb means to bring about.',
    ),
    Confusion(
        "confusion.a_while",
        r"awhile",
        _c(r"\b(?:[Ff]or|[Aa]fter|[Ii]n|[Oo]nce\s+in)\s+(?P<word>awhile)\b"),
        "a while",
        '"awhile" already means "for a while": after a preposition write "a while".',
        severity="warning",
    ),
    Confusion(
        "confusion.split_word",
        r"no|some|any|every|matter|alot|infact|atleast|eachother|aswell|incase|noone",
        _c(
            r"\b(?P<word>(?i:no where|some how|any where|every where|matter of factly)|"
            r"alot|infact|atleast|eachother|aswell|incase|noone)\b"
        ),
        lambda m: _SPLIT[m.group("word").lower()],
        "This is written as one word (or two, or hyphenated): see the suggestion.",
    ),
    Confusion(
        "confusion.stray_article",
        r"the",
        _c(
            r"\b(?P<word>[Tt]he\s+(?P<pron>you|he|she|they|we))(?=\s+(?:can|could|will|would|"
            r"should|must|might|are|were|have|had|do|did|don['’]t|can['’]t|won['’]t)\b)"
        ),
        lambda m: m.group("pron"),
        'A stray "the" before a pronoun that starts a clause.',
        severity="warning",
    ),
    Confusion(
        "confusion.of_off",
        r"took|take|takes|taking|turned|turn|turns|turning|switched|switch|kicked|shrugged|"
        r"shrug|shrugs|jumped|hopped|headed|nodded|dozed|logged|signed|wiped|dusted|brushed",
        _c(
            r"\b(?P<word>(?i:took|take|takes|taking|turned|turn|turns|turning|switched|switch|"
            r"kicked|shrugged|shrug|shrugs|jumped|hopped|headed|nodded|dozed|logged|signed|wiped|"
            r"dusted|brushed)\s+of)(?=\s+(?:his|her|my|their|your|our)\b)"
        ),
        lambda m: m.group("word")[:-2] + "off",
        'With these verbs the particle is "off" ("took off his coat"); "of" is a slip.',
        check=_is_verb,
    ),
    Confusion(
        "confusion.of_off",
        r"turned|turn|turns|turning|switched|switch|switches|switching",
        _c(
            r"\b(?P<word>(?i:turned|turn|turns|turning|switched|switch|switches|switching)\s+of)"
            r"(?=\s+(?:(?:the|his|her|my|their|your|our)\s+)?(?:lights?|lamps?|tv|television|"
            r"radio|engine|car|computer|laptop|phone|music|stove|oven|tap|alarm|power|fan|"
            r"heater|shower|water|ignition)\b)"
        ),
        lambda m: m.group("word")[:-2] + "off",
        'To stop a light or machine is to turn it "off"; "of" is a slip.',
        check=_is_verb,
    ),
    Confusion(
        "confusion.not_now",
        r"not",
        _c(
            r"\b(?:was|were|is|are)\s+(?P<word>not)(?=\s+[a-z]+ing\s+(?:down|over|from|into|"
            r"onto|out|up)\b[^.!?;\n]{0,40}?,\s+[a-z]+ing\b)"
        ),
        "now",
        'Did you mean "now"? The clause after the comma describes the action as happening '
        '("the leaves were now falling, covering the path").',
        severity="warning",
    ),
    Confusion(
        "confusion.yea_yeah",
        r"yea",
        _c(r"(?<![\w'’])(?P<word>[Yy]ea)(?=[.,!?])"),
        "yeah",
        '"yea" is an archaic yes (a vote); the casual word is "yeah".',
        severity="warning",
        speech_only=True,
    ),
)


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _initial_case(anchor: str) -> str:
    """ "might|would" → "[mM]ight|[wW]ould"."""
    return "|".join(f"[{w[0]}{w[0].upper()}]{w[1:]}" for w in anchor.split("|"))


def _anchors() -> tuple[re.Pattern[str], dict[str, list[Confusion]]]:
    """One scan finds every candidate word; each names the confusions that start there."""
    groups: dict[str, list[Confusion]] = {}
    for c in CONFUSIONS:
        for alternative in c.anchor.split("|"):  # a word may anchor several confusions
            groups.setdefault(alternative, []).append(c)
    names = {anchor: f"a{i}" for i, anchor in enumerate(groups)}
    alternatives = "|".join(f"(?P<{names[a]}>{_initial_case(a)})" for a in groups)
    # re.IGNORECASE would make this scan three times slower
    pattern = re.compile(rf"(?<![\w'’])(?:{alternatives})(?![\w'’])")
    return pattern, {names[a]: cs for a, cs in groups.items()}


_ANCHORS, _BY_ANCHOR = _anchors()
_LOOKBACK = 40
"""Characters of left context a pattern may need ("once in awhile", "better then")."""
_LOOKAHEAD = 120


def confusion_rules(ctx: Context) -> Iterator[Feedback]:
    """Every ``confusion.*`` rule over the story text (quotations included).

    One scan of the text finds the anchor words; each confusion's own pattern then runs
    only in a small window around its anchor, which keeps twenty rules at the cost of one
    pass over a novel.
    """
    text = ctx.text
    for lo, hi in ctx.story:
        for a in _ANCHORS.finditer(text, lo, hi):
            pos = a.start()
            for c in _BY_ANCHOR[a.lastgroup or ""]:
                window = c.pattern.finditer(
                    text, max(lo, pos - _LOOKBACK), min(hi, pos + _LOOKAHEAD)
                )
                m = next((m for m in window if m.start("word") == pos), None)
                if m is None:
                    continue
                if c.speech_only and not ctx.in_quote(pos):
                    continue
                if c.check is not None and not c.check(m, 0, ctx):
                    continue
                right = c.right if isinstance(c.right, str) else c.right(m)
                yield item(
                    pos,
                    m.end("word"),
                    c.rule,
                    c.message,
                    _match_case(m.group("word"), right),
                    c.severity,
                )
