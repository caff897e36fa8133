"""Misspellings, checked with pyspellchecker's English dictionary (MIT, in its wheel).

Fandom-aware and cautious: only lower-case alphabetic words outside URLs and compounds are
checked (capitalised words are names more often than typos); character names and aliases,
canon vocabulary, words the fic capitalises twice or more (its own names), the fic's own
coinages (a word used three times or more), British
spellings, interjections and stretched words ("sooo", "hmmm") are never errors. A word is
flagged only when a single confident correction exists one edit away with the same first
letter, because a typo seldom changes the first letter while names and slang often look
one edit away from a common word ("hoodie" → "goodie").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ficlens.feedback.context import Context, item
from ficlens.feedback.lexicon import words
from ficlens.model import Feedback

_WORD = re.compile(r"(?<![\w'’\-./@&#])([a-z]{3,})(?![\w'’\-@/]|\.[a-z])")
_CAPITALISED = re.compile(r"(?<![\w'’\-])[A-Z][a-z]{2,}(?![\w'’\-])")
_STRETCHED = re.compile(r"([a-z])\1\1")
_INTERJECTION = re.compile(
    r"(?:h[aeiou]){2,}h?|(?:a?h+a+)+|m+h?m+|[aeiou]*h+|[ue]+[hmr]+|o+h+|a+w+|e+w+|"
    r"g+a+h+|p+f+t+|s+h+|a+r+g+h*|u+g+h+|b+l+a+h+|w+o+a+h+|y+a+y+|z+"
)
_SLANG = words(
    "lol omg wtf btw imo meh erm mkay mmhmm whatev cuz sheesh gah pfft yknow dunno "
    "gonna wanna gotta lemme gimme kinda sorta outta coulda shoulda woulda musta "
    "ain ok okay alright hoodie selfie tis twas tbh ngl idk smh irl hmph humph psh pff tch "
    "mhm uhh ehh"
)
_BRITISH = (
    ("our", "or"), ("ise", "ize"), ("ising", "izing"), ("ised", "ized"), ("iser", "izer"),
    ("isa", "iza"), ("yse", "yze"), ("ysing", "yzing"), ("ysed", "yzed"), ("tre", "ter"),
    ("llous", "lous"), ("llen", "len"), ("lling", "ling"), ("llor", "lor"),
    ("ould", "old"), ("bre", "ber"), ("gre", "ger"), ("ggon", "gon"),
    ("lled", "led"), ("lling", "ling"), ("ller", "ler"), ("ogue", "og"), ("ence", "ense"),
    ("ae", "e"), ("oe", "e"), ("mme", "m"), ("eable", "able"), ("aught", "aft"),
)  # fmt: skip
_PREFIXES = ("un", "re", "dis", "mis", "over", "under", "out", "non", "half", "self")
_SUFFIXES = (
    ("s", "", 4), ("es", "", 4), ("ings", "ing", 4), ("ly", "", 4), ("r", "", 4),
    ("ey", "e", 4), ("less", "", 3), ("ness", "", 3), ("ful", "", 3), ("man", "", 3),
    ("men", "", 3),
)  # fmt: skip
"""(suffix, what the stem gets back, shortest stem): "muslins", "pinkly", "lonesomer",
"goosey", "hatless", "shopman"; not "+y" after a consonant, which would let "finaly"
through as "final" + "y"."""
_LOANWORDS = words(
    "fiance fiancee cafe cafes resume naive naivete cliche cliches decor entree protege "
    "souffle touche soiree saute blase eclair facade elan risque melee debut regime "
    "premiere creme puree annum prima masse "
    # British forms with no regular American pattern
    "leant learnt dreamt spelt spoilt burnt smelt knelt whilst amongst programme cheque "
    "kerb tyre storey plough mould moult smoulder gaol aluminium jewellery pyjamas sceptic "
    "manoeuvre ageing judgement acknowledgement fulfil enrol instil skilful wilful grey"
)
MIN_REPEATS_FOR_COINAGE = 3
MIN_SUGGESTION_FREQUENCY = 300
"""A correction rarer than this in the dictionary's counts is not confident ("fatly")."""
CONFIDENCE_RATIO = 4.0
"""The best correction must be this many times more frequent than the next one."""


@lru_cache(maxsize=1)
def _checker() -> Any:
    from spellchecker import SpellChecker  # loaded once, on first use (0.2 s)

    return SpellChecker(language="en", distance=1)


def _british_ok(word: str, known: Any) -> bool:
    """ "favourite", "defences", "honourable": the American form is known."""
    for gb, us in _BRITISH:
        at = word.find(gb)
        while at >= 0:
            if known(word[:at] + us + word[at + len(gb) :]):
                return True
            at = word.find(gb, at + 1)
    return False


def _derived_ok(word: str, known: Any, *, adverbs: bool = True) -> bool:
    """ "gropings", "unsewn", "hatless": a suffixed or prefixed form of a known word.

    ``adverbs=False`` leaves "-ly" out, for words whose real adverb is one edit away
    ("truely" → "truly").
    """
    for suffix, base, shortest in _SUFFIXES:
        if suffix == "ly" and not adverbs:
            continue
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            stem = word[: len(word) - len(suffix)] + base
            if known(stem) or _british_ok(stem, known):
                return True
    if re.search(r"([b-df-hj-np-tv-z])\1ed$", word) and known(word[:-3]):
        return True  # "primmed"
    return any(
        word.startswith(p) and len(word) - len(p) >= 4 and known(word[len(p) :]) for p in _PREFIXES
    )


def _compound_ok(word: str, known: Any) -> bool:
    """ "rearview", "festivalgoers": two known words of four letters or more."""
    return any(known(word[:i]) and known(word[i:]) for i in range(4, len(word) - 3))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away (Norvig's;
    pyspellchecker's own ``candidates`` does the same, ten times slower)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    edits |= {a + c + b for a, b in splits for c in _LETTERS}
    edits.discard(word)
    return edits


@lru_cache(maxsize=50_000)
def correction(word: str) -> str | None:
    """The confident correction for an unknown lower-case word, or None (not flagged)."""
    spell = _checker()
    freq: dict[str, int] = spell.word_frequency.dictionary

    def known(w: str) -> bool:
        return w in freq

    if known(word) or word in _LOANWORDS or _british_ok(word, known):
        return None
    candidates = [c for c in _edits1(word) if c in freq and c[0] == word[0]]
    if not candidates:
        return None
    adverb_typo = word.endswith("ly") and any(c.endswith("ly") for c in candidates)
    if _derived_ok(word, known, adverbs=not adverb_typo) or _compound_ok(word, known):
        return None  # "pinkly" is a coinage, "truely" a typo of "truly"
    ranked = sorted(candidates, key=lambda c: -freq[c])
    best = ranked[0]
    if freq[best] < MIN_SUGGESTION_FREQUENCY:
        return None
    if len(ranked) > 1 and freq[best] < CONFIDENCE_RATIO * freq[ranked[1]]:
        return None
    return str(best)


_BEFORE = re.compile(r"([^\W\d_]+)[^\w\n]{0,3}$")
_AFTER = re.compile(r"[^\w\n]{0,3}?([^\W\d_]+)")


_FOREIGN = words(
    "je tu il elle nous vous ils elles suis est sont et le la les du des de une avec pour "
    "mais qui que oui si pas tres bien moi toi il lo gli della che di per sono ich du der "
    "die das und ist nicht ein eine mit zu von el los las y es por muy"
)
"""Function words of French, Italian, German and Spanish: two near a word mark a phrase."""
_FOREIGN_WORD = re.compile(r"(?<![\w'’])[A-Za-z]+(?![\w'’])")
_DIALECT = re.compile(r"[a-z]['’](?=[\s,.!?;:—-])|(?<![\w'’])['’](?:em|im|er|bout|cause)\b")
"""Elisions that write an accent: "an'", "hol'in'", "'em"."""


def _in_foreign_phrase(text: str, start: int, end: int) -> bool:
    """A neighbouring word the dictionary does not know either ("partie carree", "Ponte
    alle Grazie"), foreign function words around ("du lait, de l'herbe"), or a lone
    letter before (a word whose accented letters were lost: "g n reux")."""
    known = _checker().word_frequency.dictionary
    before = _BEFORE.search(text, max(0, start - 40), start)
    after = _AFTER.match(text, end, min(len(text), end + 40))
    if (
        before is not None
        and len(before.group(1)) == 1
        and before.group(1) not in "aAI"
        and text[before.start(1) - 1 : before.start(1)].isspace()
    ):
        return True
    if any(
        m is not None and len(m.group(1)) > 1 and m.group(1).lower() not in known
        for m in (before, after)
    ):
        return True
    around = _FOREIGN_WORD.findall(text, max(0, start - 60), min(len(text), end + 60))
    return sum(w.lower() in _FOREIGN for w in around) >= 2


def _written_accent(ctx: Context, start: int) -> bool:
    """Inside a quotation that is not speech ("the "ohl" sound") or that writes an
    accent with elisions ("we 'll be goin' down yonder d'reckly"): deliberate."""
    quote = ctx.quote_at(start)
    if quote is None:
        return False
    if not quote.speech:
        return True
    return len(_DIALECT.findall(ctx.text, quote.start, quote.end)) >= 2


def _skip(word: str) -> bool:
    return (
        word in _SLANG
        or _STRETCHED.search(word) is not None
        or _INTERJECTION.fullmatch(word) is not None
    )


def spelling_rules(ctx: Context) -> Iterator[Feedback]:
    """``spelling.misspelling``.

    Word types are counted first (in C, by ``findall``) and judged once each; only the
    few types judged wrong are searched again for their positions.
    """
    counts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for _, chunk in ctx.story_texts():
        counts.update(_WORD.findall(chunk))
        capitalised.update(w.lower() for w in _CAPITALISED.findall(chunk))
    wrong: dict[str, str] = {}
    for word, n in counts.items():
        if (
            n + capitalised[word] >= MIN_REPEATS_FOR_COINAGE
            or capitalised[word] >= 2  # the fic's own name, written lower case here
            or word in ctx.vocabulary
            or _skip(word)
        ):
            continue
        right = correction(word)
        if right is not None:
            wrong[word] = right
    if not wrong:
        return
    typos = re.compile(rf"(?<![\w'’\-./@&#])({'|'.join(wrong)})(?![\w'’\-@/]|\.[a-z])")
    for base, chunk in ctx.story_texts():
        for m in typos.finditer(chunk):
            start, end, word = base + m.start(1), base + m.end(1), m.group(1)
            if _in_foreign_phrase(ctx.text, start, end) or _written_accent(ctx, start):
                continue
            token = ctx.token(start)
            if token is not None and getattr(token, "pos_", "") in {"PROPN", "X", "INTJ"}:
                continue
            yield item(
                start,
                end,
                "spelling.misspelling",
                f'Unknown word; did you mean "{wrong[word]}"?',
                wrong[word],
                "error",
            )
