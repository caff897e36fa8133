"""Grammatical number of characters: a group ("the servants", "the Varleys") is no "she".

A caller's cast (LitBank's above all) lists groups beside people: families, crowds, "some
of the boys". Such a character is never the referent of he/she. Number is read off the
parse of the character's name mentions: the head noun's tag (a plural common noun; a
plural proper noun after a determiner or numeral, as in "the Varleys" or "two sailors",
since a bare one is as often a name like "Haskins"), a quantifier over a plural ("some of
them"), or two people joined by "and" ("Captain and Mrs Orrin"). A character is plural
when most of its name mentions are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ficlens.characters.clustering import title_of
from ficlens.characters.layer import MentionRef
from ficlens.language.layer import LanguageLayer, Span, Token

#: Heads that make a group of what follows "of" ("some of the boys", "many of them").
QUANTIFIERS = frozenset(
    {"some", "many", "most", "all", "several", "both", "few", "lots", "hundreds", "dozens"}
)
#: Words before a plural proper noun that make it a group ("the Varleys", "those Darrows").
GROUP_DETERMINERS = frozenset({"the", "these", "those", "no", "all", "both", "some", "many"})
PLURAL_PRONOUNS = frozenset({"them", "us", "they", "we", "these", "those"})


def is_plural_span(span: Span) -> bool:
    """True when the parsed name ``span`` names a group."""
    root = span.root
    inside = [c for c in root.children if span.start <= c.i < span.end]
    if _joined(root, inside):
        return True
    if title_of(span.text):
        return False  # "Miss Tibbs"
    if root.lower_ in QUANTIFIERS:
        return any(_plural_object(c) for c in inside if c.dep_ == "prep" and c.lower_ == "of")
    if root.tag_ == "NNS":  # capitalised: "the Orrins", "ancient Norsemen"; not a bare name
        return root.is_lower or root.is_sent_start is True or _determined(inside)
    if root.tag_ == "NNPS":
        return any(
            (c.dep_ == "det" and c.lower_ in GROUP_DETERMINERS) or c.dep_ == "nummod"
            for c in inside
        )
    return False


def _joined(root: Token, inside: list[Token]) -> bool:
    """Two nouns joined by "and" before any clause about them ("Men and women"; not "a
    forgetful one who drops his gloves and ...")."""
    clauses = [c.i for c in inside if c.dep_ in ("relcl", "acl")]
    end = min(clauses, default=root.doc[-1].i + 1)
    return any(c.dep_ == "cc" and c.lower_ == "and" and c.i < end for c in inside) and any(
        c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and c.i < end for c in inside
    )


def _determined(inside: list[Token]) -> bool:
    return any(c.dep_ in ("det", "nummod", "amod") for c in inside)


def _plural_object(prep: Token) -> bool:
    return any(
        c.dep_ == "pobj" and (c.tag_ in ("NNS", "NNPS") or c.lower_ in PLURAL_PRONOUNS)
        for c in prep.children
    )


def plural_characters(mentions: Iterable[MentionRef], layer: LanguageLayer) -> frozenset[str]:
    """Characters most of whose name mentions name a group."""
    votes: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for m in mentions:
        if m.kind != "name" or m.character is None:
            continue
        span = layer.span(m.start, m.end)
        if span is None:
            continue
        total[m.character] += 1
        votes[m.character] += int(is_plural_span(span))
    return frozenset(c for c, n in votes.items() if 2 * n > total[c])


#: Words that open a quantified cast entry ("Every man", "No one", "nobody"): it names no
#: one in particular, so a later "he" or "she" is about someone else.
QUANTIFIER_OPENERS = frozenset(
    {"every", "each", "no", "any", "nobody", "everybody", "everyone", "anybody", "anyone",
     "somebody", "someone", "none", "nothing", "whoever"}
)  # fmt: skip
#: Two-word quantifiers written apart ("some one", "any body", "no one").
QUANTIFIER_PAIRS = frozenset({"some one", "some body", "any one", "any body", "every one",
                              "every body", "no one", "no body"})  # fmt: skip


def is_quantified(name: str) -> bool:
    """True for a cast entry that names a quantifier, not a person: "Every man", "No
    slave speculator", "nobody", "some one" ("Nobody came. She waited" is not about the
    nobody)."""
    words = name.lower().split()
    if not words:
        return False
    return words[0] in QUANTIFIER_OPENERS or " ".join(words[:2]) in QUANTIFIER_PAIRS
