"""Find every name mention of a known inventory in the story text.

Discovery works on parsed tokens; once the inventory is known, one compiled regex over
the story text finds every alias (longest first), which also serves a caller-supplied
character list. A name that is also a common word ("Will", "Hope") counts only where the
parser tags it as a proper noun.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ficlens.characters.clustering import title_of
from ficlens.characters.layer import MentionRef, alias_key
from ficlens.characters.lexicon import PARTICLES, TITLE_SPELLINGS, TITLES
from ficlens.characters.names import QuoteIndex
from ficlens.language.layer import LanguageLayer, Token
from ficlens.model import Character

#: Descriptive aliases ("The Butler", "Young Thorley") also match in lower case.
DESCRIPTIVE_LEADS = frozenset({"the", "a", "an", "young", "old", "little", "poor", "dear", "big"})


#: Words that open a description rather than a name ("the stranger", "his sister").
DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "my", "his", "her", "our", "their",
     "your", "its", "some", "one"}
)  # fmt: skip


def is_description(c: Character) -> bool:
    """A cast entry named by a description ("the stranger"), not a name: every form
    opens with a determiner or a lower-case word."""
    forms = [f.split() for f in {c.name, *c.aliases} if f.strip()]
    return bool(forms) and all(w[0].lower() in DETERMINERS or w[0].islower() for w in forms)


#: ... but not when the description fits anyone ("the girl" is whichever girl is near;
#: "The Hump-backed Man" is one man).
GENERIC_PEOPLE = frozenset(
    {
        "girl", "boy", "man", "woman", "child", "lady", "gentleman", "person", "son",
        "daughter", "mother", "father", "people", "one", "other", "stranger", "voice",
    }
)  # fmt: skip


def alias_owners(characters: Sequence[Character]) -> dict[str, list[str]]:
    """Every form that names a character: its name and aliases, plus the given name and
    surname of a full name when no other character could be meant by them. A cast list
    often gives only "May Welland" while the text says "May"."""
    owners: dict[str, list[str]] = {}
    for c in characters:
        for alias in {c.name, *c.aliases}:
            if c.id not in owners.setdefault(alias, []):
                owners[alias].append(c.id)
    derived: dict[str, set[str]] = {}
    surnames: dict[str, set[str]] = {}  # "Darcy" of "Mr. Darcy", "Dracula" of "Count Dracula"
    for c in characters:
        for alias in {c.name, *c.aliases}:
            words = alias.split()
            title = title_of(alias)
            if title:
                words = words[1:]
                if len(words) == 1 and TITLES[title] != "female" and _name_word(words[0]):
                    surnames.setdefault(words[0], set()).add(c.id)
            if len(words) < 2 or words[0].lower() in DESCRIPTIVE_LEADS or words[0] == "of":
                continue  # "Wexmoor" alone is not the Duchess of Wexmoor
            for word in (words[0], words[-1]):
                if _name_word(word):
                    derived.setdefault(word, set()).add(c.id)
    taken = {alias_key(a) for a in owners}
    for word, ids in derived.items():
        if len(ids) == 1 and alias_key(word) not in taken:
            owners[word] = list(ids)
    for word, ids in surnames.items():  # a woman's bare surname is rarely her name alone
        if len(ids) == 1 and word not in derived and alias_key(word) not in taken:
            owners[word] = list(ids)
    described = {c.id for c in characters if is_description(c)}
    for form, ids in _rank_forms(characters).items():
        key = alias_key(form)
        if key not in taken:
            if len(ids) == 1:
                owners[form] = list(ids)
            continue
        # "the Doctor" is also the cast's name for a doctor known by nothing else: the
        # text means whichever doctor it named last (``stage._disambiguate``)
        for alias, holders in owners.items():
            if alias_key(alias) == key and set(holders) <= described:
                holders.extend(sorted(ids - set(holders)))
    return owners


def _name_word(word: str) -> bool:
    return word[:1].isupper() and word.rstrip(".").isalpha()


def _title_genders(owners: Mapping[str, list[str]]) -> dict[str, set[str]]:
    """The genders of the honorifics each character's forms carry ("Mrs. Pell": female)."""
    out: dict[str, set[str]] = {}
    for form, ids in owners.items():
        gender = TITLES.get(title_of(form))
        if gender in ("male", "female"):
            for i in ids:
                out.setdefault(i, set()).add(gender)
    return out


_TITLE_BEFORE = re.compile(r"\b([A-Za-z]+)\.?\s+$")


def _fitting_title(ids: list[str], before: str, titled: Mapping[str, set[str]]) -> list[str]:
    """``ids`` without those whose honorifics the title right before a bare name
    contradicts: "Pell" in "Mr. Pell" is not Mrs. Pell."""
    m = _TITLE_BEFORE.search(before)
    gender = TITLES.get(m.group(1).lower()) if m else None
    if gender not in ("male", "female"):
        return ids
    return [i for i in ids if not titled.get(i) or gender in titled[i]]


#: Ranks and offices that, after "the", name the one holder a story has ("Judge Amory" is
#: "the Judge", "Dr. Grimes" "the doctor"), as the text writes them alone.
RANK_WORDS = frozenset(
    {"doctor", "professor", "captain", "colonel", "general", "major", "lieutenant",
     "sergeant", "corporal", "admiral", "commodore", "judge", "senator", "mayor", "governor",
     "inspector", "detective", "parson", "vicar", "rector", "squire", "bishop", "cardinal",
     "king", "queen", "prince", "princess", "duke", "duchess", "count", "countess", "baron",
     "baroness", "earl", "marquis", "viscount"}
)  # fmt: skip


def _rank_word(word: str) -> str | None:
    """The rank ``word`` spells ("dr." → "doctor"), or None."""
    rank = TITLE_SPELLINGS.get(word.rstrip(".").lower(), word.rstrip(".").lower())
    return rank if rank in RANK_WORDS else None


def _rank_forms(characters: Sequence[Character]) -> dict[str, set[str]]:
    """ "the Judge" for every character one of whose forms opens with a rank ("Judge
    Amory", "Dr. Grimes") followed by a name, with the characters holding it."""
    out: dict[str, set[str]] = {}
    for c in characters:
        for alias in {c.name, *c.aliases}:
            words = alias.split()
            if len(words) < 2 or not words[1][:1].isupper():
                continue
            rank = _rank_word(words[0])
            if rank is not None:
                out.setdefault(f"the {rank.capitalize()}", set()).add(c.id)
    return out


def _rank_form(words: Sequence[str]) -> bool:
    """ "the Judge": a rank after the definite article (never "a judge", anyone's)."""
    return len(words) == 2 and words[0].lower() == "the" and _rank_word(words[1]) is not None


def alias_pattern(aliases: Sequence[str]) -> re.Pattern[str] | None:
    """One alternation of all aliases, longest first, on word boundaries.

    Full stops are optional and spacing is free, so "Miss. Gilmore" finds "Miss Gilmore".
    """
    forms = sorted({a for a in aliases if a.strip()}, key=lambda a: (-len(a), a))
    parts = [_form_pattern(f) for f in forms]
    parts = [p for p in parts if p]
    if not parts:
        return None
    # Not inside a word ("O'Neil" holds no "Neil"), but an opening single quote may
    # precede: "'Mr. Lockwood, your tenant.'"
    start = r"(?:(?<![\w'\u2019])|(?<=^')|(?<=[\s(\[\u2014-]'))"
    return re.compile(start + "(?:" + "|".join(parts) + r")(?!\w)")


#: Articles a described alias may open with in either form ("The Grinning Porter" is
#: first "a grinning porter").
ARTICLES = frozenset({"the", "a", "an"})


def _form_pattern(form: str) -> str:
    # surname particles match in either case: "Mr. Van Der Luyden" is "Mr. van der Luyden"
    words = [
        f"(?i:{re.escape(w)})" if i and w.lower() in PARTICLES else re.escape(w)
        for i, w in enumerate(form.replace(".", " ").split())
    ]
    if _rank_form(form.split()):
        return "(?i:" + r"\s+".join(words) + ")"  # "the Judge", "the judge"; not "a judge"
    if (
        len(words) > 1
        and words[0].lower() in DESCRIPTIVE_LEADS
        and (words[-1].lower() not in GENERIC_PEOPLE or len(words) > 2)
    ):
        if words[0].lower() in ARTICLES:
            words[0] = "(?:the|an?)"
        return "(?i:" + r"\.?\s+".join(words) + ")"  # "The Butler" is "the butler" in the text
    return r"\.?\s+".join(words)


def _definite(key: str) -> str:
    """An alias key with its indefinite article made definite ("a grinning porter")."""
    first, _, rest = key.partition(" ")
    return f"the {rest}" if first in ("a", "an") and rest else key


def find_name_mentions(
    text: str,
    spans: Sequence[tuple[int, int]],
    owners: Mapping[str, list[str]],
    layer: LanguageLayer | None,
    quotes: QuoteIndex,
    common_words: frozenset[str] = frozenset(),
) -> list[tuple[MentionRef, list[str]]]:
    """Name mentions with their candidate character ids (several for a shared surname)."""
    pattern = alias_pattern(list(owners))
    if pattern is None:
        return []
    keyed = {_definite(alias_key(a)): ids for a, ids in owners.items()}
    titled = _title_genders(owners)
    found: list[tuple[MentionRef, list[str]]] = []
    for start, end in spans:
        for m in pattern.finditer(text, start, end):
            surface = m.group(0)
            ids = keyed.get(_definite(alias_key(surface)))
            if ids and not title_of(surface):
                ids = _fitting_title(ids, text[max(start, m.start() - 12) : m.start()], titled)
            if not ids:
                continue
            role = ""
            if layer is not None:
                token = layer.token_at(m.start())
                if token is not None:
                    role = _head(layer, token, m.end()).dep_
                    if alias_key(surface) in common_words and token.pos_ != "PROPN":
                        continue
            mention = MentionRef(
                start=m.start(),
                end=m.end(),
                text=surface,
                kind="name",
                character=ids[0] if len(ids) == 1 else None,
                in_quote=quotes.contains(m.start()),
                role=role,
            )
            found.append((mention, ids))
    return found


def _head(layer: LanguageLayer, first: Token, end: int) -> Token:
    """The head word of a name that starts at ``first`` and ends at ``end``: its role is
    the name's ("Mulligan" is the subject of "Buck Mulligan came", "Buck" a compound).
    Climbing from the first word, not spaCy's ``Span.root`` (the shallowest word): a long
    descriptive alias may run past its noun phrase ("a Swiss family at Lausanne"), and
    there the root is a preposition attached outside it."""
    last = layer.token_at(end - 1)
    token = first
    if last is not None and last.doc is first.doc:
        while token.head.i != token.i and first.i <= token.head.i <= last.i:
            token = token.head
    return token
