"""Group name surface forms into characters, as a careful reader would.

Full names anchor clusters; "Lorelai Gilmore" joins "Lorelai Leigh Gilmore"; a lone first
name joins the one full name it opens; a lone surname or "Miss Gilmore" joins only when
exactly one character (of a compatible gender, for titles) carries that surname, so Rory,
Lorelai and Emily Gilmore stay apart; nicknames (Bill → William) join through the
``nicknames`` lexicon; canon knowledge, when given, overrides these rules.

Two people who share a surname are kept apart when the text shows two: "Miss Holt" and
"Mrs. Holt" are never one woman (daughter and mother), and "Mr. Emerson" does not join
"George Emerson" when the two forms meet in the same sentence often enough ("Mr. Emerson
and George"); otherwise a title form joins the one full name with its surname.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from nicknames import NickNamer

from ficlens.characters.gender import lexicon_gender
from ficlens.characters.lexicon import NOBILITY, PARTICLES, TITLE_SPELLINGS, TITLES
from ficlens.fandoms.schema import plain_name
from ficlens.model import Gender


@dataclass
class Cluster:
    """A character in the making: every surface form, its title genders, its counts."""

    surfaces: dict[str, int] = field(default_factory=dict)
    canon: str | None = None
    title_genders: list[Gender] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return sum(self.surfaces.values())

    def tokens(self) -> list[list[str]]:
        """Name words of every surface form, and of the canon name when known, so that
        "Miss Gilmore" can find Rory even where the text never writes "Rory Gilmore"."""
        forms = [name_tokens(s) for s in self.surfaces]
        if self.canon:
            forms.append(name_tokens(plain_name(self.canon)))
        return forms

    @property
    def firsts(self) -> set[str]:
        """Given names: the first word of a full name, or a lone name without a title."""
        out: set[str] = set()
        for surface in self.surfaces:
            words = name_tokens(surface)
            if words and (len(words) >= 2 or not title_of(surface)):
                out.add(words[0])
        if self.canon:
            out.update(w[0] for w in self.tokens()[-1:] if w)
        return out

    @property
    def lasts(self) -> set[str]:
        return {t[-1] for t in self.tokens() if len(t) >= 2} | self.title_lasts

    @property
    def title_lasts(self) -> set[str]:
        """Surnames known only from a title form ("Mr. Bingley" → bingley), so that a bare
        "Bingley" sees Mr. Bingley as well as Caroline Bingley."""
        out: set[str] = set()
        for surface in self.surfaces:
            words = name_tokens(surface)
            title = title_of(surface)
            if len(words) == 1 and title and title not in FIRST_NAME_TITLES:
                out.add(words[0])
        return out

    def best_name(self) -> str:
        """The fullest proper name, the most frequent among the longest; an honorific is
        dropped when a given name and surname remain ("Mr. Fitzwilliam Darcy")."""
        best = max(self.surfaces, key=lambda s: (len(name_tokens(s)), self.surfaces[s], s))
        title = title_of(best)
        words = name_tokens(best)
        if title and len(words) >= 2:
            implied = TITLES.get(title, "unknown")
            # "Mrs. John Knightley" is not John Knightley: keep a title the name contradicts,
            # or a wife's ("Mrs. Orland Ashby")
            if implied == "unknown" or lexicon_gender(words[0]) == implied:
                return best.split(None, 1)[1]
            if lexicon_gender(words[0]) == "unknown" and not _wife_form(best):
                return best.split(None, 1)[1]
        return best

    def gender_hint(self) -> Gender:
        """Gender implied by honorifics, else by the first-name lexicon (not for canon
        characters, whose canon gender the lexicon may contradict: Rory is a girl)."""
        known = {g for g in self.title_genders if g != "unknown"}
        if known:
            return known.pop() if len(known) == 1 else "unknown"
        if self.canon:
            return "unknown"
        guesses = {lexicon_gender(f) for f in self.firsts} - {"unknown"}
        return guesses.pop() if len(guesses) == 1 else "unknown"


_WORD = re.compile(r"[\w'\u2019-]+")


def title_of(surface: str) -> str:
    """The normalised honorific opening ``surface`` ("miss" for "Miss. Gilmore"), or ""."""
    first = surface.split()[0].rstrip(".").lower() if surface.split() else ""
    return first if first in TITLES and len(surface.split()) > 1 else ""


def name_tokens(surface: str) -> list[str]:
    """Lower-cased name words without the honorific: "Mr. Jess Mariano" → [jess, mariano];
    lower-case particles stay with the surname: "Mrs. van der Luyden" → [van der luyden]."""
    raw = _WORD.findall(surface)
    if title_of(surface):
        raw = raw[1:]
        if raw and raw[0] == "of":  # "Duchess of Wexmoor": the domain is one name
            return [" ".join(w.lower() for w in raw)]
    words: list[str] = []
    particles: list[str] = []
    for w in raw:
        if w in PARTICLES:
            particles.append(w)
            continue
        words.append(" ".join([*particles, w.lower().replace("\u2019", "'")]))
        particles = []
    return words + particles


def domain_title(surface: str) -> str:
    """The rank of a name made of a rank and a domain ("duchess" for "Duchess of
    Wexmoor"), when the rank alone may name the person ("the duchess said"), else ""."""
    title = title_of(surface)
    words = surface.split()
    return title if title in NOBILITY and len(words) > 2 and words[1] == "of" else ""


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


def same_given_name(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are the same given name or nickname (Bill / William)."""
    if a == b:
        return True
    nn = _nicknamer()
    return b in nn.nicknames_of(a) or a in nn.nicknames_of(b)


def is_nickname_of(nickname: str, given: str) -> bool:
    """True when ``nickname`` is a short form of the given name ``given`` (Bill of
    William); not the other way round (Christopher is not a short form of Kit)."""
    return nickname != given and nickname in _nicknamer().nicknames_of(given)


def cluster_names(
    counts: Mapping[str, int],
    canon_key: Callable[[str], str | None] = lambda _s: None,
    together: Mapping[str, Mapping[str, int]] | None = None,
) -> tuple[list[Cluster], dict[str, list[int]]]:
    """Cluster surface forms; returns clusters and, for ambiguous forms, candidate clusters.

    A form in the second mapping (a surname shared by several characters) belongs to no
    single cluster; mentions of it are resolved in context. ``together[a][b]`` counts the
    sentences where forms ``a`` and ``b`` both occur (evidence of two people).
    """
    apart = _Apart(counts, together or {})
    clusters: list[Cluster] = []
    by_canon: dict[str, Cluster] = {}
    rest: list[str] = []
    for surface in sorted(counts, key=_order(counts)):
        key = canon_key(surface)
        if key is None:
            rest.append(surface)
            continue
        cluster = by_canon.get(key)
        if cluster is None:
            cluster = by_canon[key] = Cluster(canon=key)
            clusters.append(cluster)
        _add(cluster, surface, counts[surface])
    ambiguous: dict[str, list[int]] = {}
    for surface in rest:
        tokens = name_tokens(surface)
        if not tokens:
            continue
        target = _place(surface, tokens, clusters, ambiguous, counts[surface], apart)
        if target is None:
            if surface in ambiguous:
                continue
            target = Cluster()
            clusters.append(target)
        _add(target, surface, counts[surface])
    return clusters, ambiguous


def _order(counts: Mapping[str, int]) -> Callable[[str], tuple[int, float, str]]:
    """Longest forms first, then the most frequent; a "Mrs. Holt" comes right after the
    "Miss Holt" of the same surname, so that the daughter, whom the text calls by her
    given name too, is placed first and her mother is not taken for her. Likewise a rank
    ("Colonel Fussell") comes after a plain honorific of its surname ("Mr. Fussell"),
    which a full name's bearer is more often called."""
    unmarried: dict[str, int] = {}
    honorific: dict[str, int] = {}
    for form, count in counts.items():
        title = title_of(form)
        surname = " ".join(name_tokens(form))
        if STATUS.get(title) == "unmarried":
            unmarried[surname] = max(unmarried.get(surname, 0), count)
        if title and TITLES.get(title) != "unknown":
            honorific[surname] = max(honorific.get(surname, 0), count)

    def order(s: str) -> tuple[int, float, str]:
        n: float = counts[s]
        title = title_of(s)
        surname = " ".join(name_tokens(s))
        if STATUS.get(title) == "married" and surname in unmarried:
            n = min(n, unmarried[surname] - 0.5)
        if title and TITLES.get(title) == "unknown" and surname in honorific:
            n = min(n, honorific[surname] - 0.5)
        return (-len(name_tokens(s)), -n, s)

    return order


def _add(cluster: Cluster, surface: str, count: int) -> None:
    cluster.surfaces[surface] = cluster.surfaces.get(surface, 0) + count
    title = title_of(surface)
    if title:
        cluster.title_genders.append(TITLES[title])
        cluster.titles.add(title)


#: Honorifics that tell a woman's marital status: "Miss Bates" is not "Mrs. Bates".
STATUS = {"miss": "unmarried", "mlle": "unmarried", "mrs": "married", "missus": "married",
          "mme": "married", "madame": "married"}  # fmt: skip


def _compatible(cluster: Cluster, gender: Gender, title: str = "") -> bool:
    status = STATUS.get(title)
    if status and any(STATUS.get(t, status) != status for t in cluster.titles):
        return False
    if title and _rank_and_honorific(title, cluster.titles):
        return False
    hint = cluster.gender_hint()
    return gender == "unknown" or hint in ("unknown", gender)


def _rank_and_honorific(title: str, others: set[str]) -> bool:
    """ "Captain Eldridge" beside "Miss Eldridge", "Dr. Blair" beside "Mr. Blair": a rank
    or profession (no gender) and only gendered honorifics (or the reverse) with one
    surname are two people, not one called two ways."""
    mine = TITLE_SPELLINGS.get(title, title)
    known = {TITLE_SPELLINGS.get(t, t) for t in others}
    if not known or mine in known:
        return False
    ranked = TITLES.get(mine, "unknown") == "unknown"
    return all((TITLES.get(t, "unknown") == "unknown") != ranked for t in known)


#: Sentences in which a title form and a given name of one character must meet before
#: they are taken for two people ("Mr. Emerson and George").
TWO_PEOPLE_SENTENCES = 2


class _Apart:
    """Does the text show that a title form ("Mr. Emerson") is not the character whose
    given name it meets in the same sentences ("George", "George Emerson")?"""

    def __init__(self, counts: Mapping[str, int], together: Mapping[str, Mapping[str, int]]):
        self.together = together
        self.by_first: dict[str, list[str]] = {}
        for surface in counts:
            words = name_tokens(surface)
            if words and (len(words) >= 2 or not title_of(surface)):
                self.by_first.setdefault(words[0], []).append(surface)

    def __call__(self, surface: str, cluster: Cluster) -> bool:
        met = self.together.get(surface)
        if not met:
            return False
        words = set(name_tokens(surface))
        seen = 0
        for first in cluster.firsts - words:
            seen += sum(met.get(other, 0) for other in self.by_first.get(first, ()))
        return seen >= TWO_PEOPLE_SENTENCES


#: Honorifics used before a given name ("Aunt Juley", "Sir Harry"); the others
#: ("Mr.", "Colonel") go with a surname, so "Colonel Fitzwilliam" is not Fitzwilliam Darcy.
FIRST_NAME_TITLES = frozenset(
    {"miss", "aunt", "uncle", "sister", "brother", "lady", "sir", "master", "cousin", "dame",
     "prince", "princess", "king", "queen", "granny", "grandma", "grandpa", "count",
     "countess", "duke", "duchess", "baron", "baroness", "marquis", "marchioness"}
)  # fmt: skip

#: A title-and-surname form ("Mrs. Reed") used this often, in a family of several
#: characters with that surname, is a person of its own rather than an ambiguous alias.
OWN_PERSON_COUNT = 3

#: A bare surname used this many times more often than all the characters who carry it
#: together is a person of its own (the text's usual name for one of them we never saw
#: in full), not an ambiguous alias.
OWN_SURNAME_SHARE = 2


def _wife_form(surface: str) -> bool:
    """ "Mrs. Orland Ashby": a married woman's title before a full name whose given name
    is not known as a woman's, the usual way to name a wife by her husband's name."""
    words = name_tokens(surface)
    return (
        STATUS.get(title_of(surface)) == "married"
        and len(words) >= 2
        and lexicon_gender(words[0]) != "female"
    )


def _spouses(surface: str, cluster: Cluster) -> bool:
    """ "Mrs. Orland Ashby" and "Orland Ashby" are wife and husband: a wife's form and
    a form of that full name without it are two people, unless the cluster is known to be
    a woman ("Mrs. Lorelai Gilmore" may join "Lorelai Gilmore" named "Miss Gilmore")."""
    words = name_tokens(surface)
    same = [f for f in cluster.surfaces if name_tokens(f)[:1] == words[:1]]
    if _wife_form(surface):
        return cluster.gender_hint() != "female" and any(not _wife_form(f) for f in same)
    return bool(same) and all(_wife_form(f) for f in same) and not title_of(surface)


#: Ranks that stand before a given name ("Lady Edith", "King Ralph"): the rank says
#: who the person is, so it joins only someone the text calls by that rank or by the
#: given name alone, never any bearer of the given name ("King Ralph" in a history
#: lesson is not Ralph Mortimer).
RANKS = frozenset(
    {"lady", "sir", "dame", "prince", "princess", "king", "queen", "count", "countess",
     "duke", "duchess", "baron", "baroness", "marquis", "marchioness"}
)  # fmt: skip


def _may_rank(cluster: Cluster, word: str, title: str) -> bool:
    """May ``title`` + ``word`` ("Countess Ilse") join ``cluster`` by its given name?"""
    if title not in RANKS:
        return True
    return any(
        title_of(f) == title or (not title_of(f) and name_tokens(f) == [word])
        for f in cluster.surfaces
    )


def _younger_sister(title: str, cluster: Cluster) -> bool:
    """ "Miss Orme" is not the woman the text calls "Miss Hester Orme": a given name after
    "Miss" tells a younger sister from the eldest, whom the bare "Miss Orme" names."""
    return STATUS.get(title) == "unmarried" and any(
        title_of(f) == title and len(name_tokens(f)) >= 2 for f in cluster.surfaces
    )


def _only_bare(cluster: Cluster, word: str) -> bool:
    """The cluster is a lone name used without title or given name ("Davis")."""
    return all(not title_of(s) and name_tokens(s) == [word] for s in cluster.surfaces)


def _place(
    surface: str,
    tokens: list[str],
    clusters: list[Cluster],
    ambiguous: dict[str, list[int]],
    count: int,
    apart: Callable[[str, Cluster], bool] = lambda _s, _c: False,
) -> Cluster | None:
    """The existing cluster ``surface`` belongs to, or None for a new character."""
    title = title_of(surface)
    gender: Gender = TITLES.get(title, "unknown") if title else "unknown"
    if len(tokens) >= 2:
        for cluster in clusters:  # "Lorelai Gilmore" inside "Lorelai Leigh Gilmore"
            for other in cluster.tokens():
                if (
                    len(other) > len(tokens)
                    and other[0] == tokens[0]
                    and other[-1] == tokens[-1]
                    and _compatible(cluster, gender, title)
                    and not _spouses(surface, cluster)
                ):
                    return cluster
        same = [
            c
            for c in clusters
            if tokens in c.tokens() and _compatible(c, gender, title) and not _spouses(surface, c)
        ]
        return same[0] if same else None
    word = tokens[0]
    if not title:  # a lone given name
        firsts = [c for c in clusters if word in c.firsts]
        titled = [c for c in clusters if word in c.title_lasts and c not in firsts]
        if firsts and titled:  # "Fitzwilliam": Fitzwilliam Darcy or Colonel Fitzwilliam
            ambiguous[surface] = [clusters.index(c) for c in [*firsts, *titled]]
            return None
        if len(firsts) == 1:
            return firsts[0]
        if len(firsts) > 1:
            return max(firsts, key=lambda c: c.count)
        # "Bill" joins William Price, but "Christopher" does not join Kit Markham: Kit
        # may stand for several given names (Katherine, Christopher …)
        nick = [c for c in clusters if any(is_nickname_of(word, f) for f in c.firsts)]
        if len(nick) == 1:
            return nick[0]
    lasts = [
        c
        for c in clusters
        if word in c.lasts
        and _compatible(c, gender, title)
        and not (title and apart(surface, c))
        and not _younger_sister(title, c)
    ]
    if len(lasts) == 1:
        return lasts[0]
    if len(lasts) > 1:
        if title and count >= OWN_PERSON_COUNT:
            return None  # "Mrs. Reed" beside John and Georgiana Reed: the mother
        if not title and count > OWN_SURNAME_SHARE * sum(c.count for c in lasts):
            return None  # "Beaufort" 120 times beside Fanny and Mrs. Beaufort: Beaufort
        ambiguous[surface] = [clusters.index(c) for c in lasts]
        return None
    if title and title not in FIRST_NAME_TITLES:  # "Mr. Davis" joins the "Davis" who speaks
        bare = [c for c in clusters if _only_bare(c, word) and _compatible(c, gender, title)]
        if len(bare) == 1:
            return bare[0]
    if title in FIRST_NAME_TITLES:  # "Miss Patty" joins "Patty"; "Colonel Fitzwilliam"
        firsts = [
            c
            for c in clusters
            if word in c.firsts and _compatible(c, gender, title) and _may_rank(c, word, title)
        ]
        if len(firsts) == 1:
            return firsts[0]
    return None
