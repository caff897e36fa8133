"""Find capitalised name phrases in the story text and score them as person or place.

The small spaCy model labels fic names badly ("Stars Hollow" PERSON, "Dodger" NORP), so
an entity label is one vote among several: syntactic role, speech tags, vocatives, titles,
place prepositions and words, possessives that stand alone ("at Luke's"), a first-name
lexicon and, when the fandom is known, canon knowledge.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ficlens.characters.canon import CanonMatcher
from ficlens.characters.gender import is_known_name
from ficlens.characters.lexicon import (
    HUMAN_VERBS,
    NOT_NAMES,
    OF_TITLES,
    PARTICLES,
    PERSON_NOUNS,
    PLACE_PREPOSITIONS,
    PLACE_WORDS,
    SPEECH_VERBS,
    TITLES,
)
from ficlens.language.layer import Doc, LanguageLayer, Span, Token

PERSON_LABELS = frozenset({"PERSON"})
#: Longest honorific followed by an abbreviation's full stop ("Mr.", "Capt.", "Miss.").
ABBREVIATION_MAX = 4
CLOSING_QUOTES = frozenset({'"', "\u201d", "\u2019", "'", "\u00bb"})
#: Narration subjects of a speech verb that make a name a person whatever its labels.
SPEAKS_AS_PERSON = 3
#: A name used as a person is (``_agentive``) this often, and in this share of its
#: occurrences, is a person whatever the parser's labels say.
AGENT_MIN = 3
AGENT_SHARE = 0.4
#: Verbs a place is often the subject of ("London was foggy", "the road lay").
STATIVE_VERBS = frozenset({"be", "have", "seem", "lie", "stand", "become", "remain", "look",
                           "appear", "get", "lay", "stretch", "sit", "rise"})  # fmt: skip
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART"})


@dataclass(frozen=True)
class NameOccurrence:
    """One occurrence of a name phrase; ``surface`` excludes a possessive ending."""

    start: int
    end: int
    surface: str
    title: str  # normalised honorific that opens the phrase, or ""
    role: str  # dependency label of the phrase's head token
    head_lemma: str  # lemma of the syntactic head of the phrase's head token
    in_quote: bool
    possessive: bool
    standalone_possessive: bool  # "at Luke's." — the possessive names a place
    after_quote: bool  # right after a closing quotation mark: a speech tag's position
    after_place_preposition: bool
    entity: str  # spaCy entity label of the head token, or ""
    vocative: bool = False  # set off by punctuation inside a quotation: "Is it paid, Kit?"
    #: set beside a person noun or named as one: "Tia, the nurse", "my friend Tia", "whose
    #: name was Tia"
    described: bool = False


@dataclass
class NameStats:
    """Evidence gathered for one surface form."""

    surface: str
    occurrences: list[NameOccurrence] = field(default_factory=list)
    person: float = 0.0
    place: float = 0.0

    @property
    def count(self) -> int:
        return len(self.occurrences)


def _clean(word: str) -> str:
    return word.replace("\u2019", "'").rstrip(".").lower()


def _is_name_token(token: Token) -> bool:
    text = token.text
    if not text[:1].isupper() or not any(ch.isalpha() for ch in text):
        return False
    if text.isupper() and len(text) > 1 and not text.endswith("."):
        return False  # SHOUTING, acronyms
    if _clean(text) in NOT_NAMES:
        return False
    return bool(token.pos_ == "PROPN" or token.ent_type_ in PERSON_LABELS)


def _is_title(token: Token) -> bool:
    return _clean(token.text) in TITLES and token.text[:1].isupper()


def _line_wrap(doc: Doc, k: int) -> int:
    """Index after a hard line break at ``k`` (one newline, no blank line), else ``k``:
    wrapped text ("Mr. Beachfield\nDavis") splits names across lines."""
    if k < len(doc) and doc[k].is_space and doc[k].text.count("\n") == 1:
        return k + 1
    return k


def _of_name(doc: Doc, title: Token, k: int) -> int:
    """Index of the proper noun after a rank and "of" ("Duchess of Wexmoor", "Earl of\nSt.
    Ives": a person named by a domain), else ``k``."""
    if _clean(title.text) not in OF_TITLES or k >= len(doc) or doc[k].text != "of":
        return k
    p = _line_wrap(doc, k + 1)
    return p if p < len(doc) and _is_name_token(doc[p]) else k


def _particles(doc: Doc, k: int) -> int:
    """Index of the first token from ``k`` that is not a surname particle."""
    while k < len(doc) and doc[k].text in PARTICLES:
        k += 1
    return k


class QuoteIndex:
    """Answers "is this offset inside a quotation?" from sorted, disjoint spans."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def contains(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.spans[i][1]


def find_occurrences(layer: LanguageLayer, quotes: QuoteIndex) -> list[NameOccurrence]:
    """Every capitalised name phrase in the parsed story text."""
    found: list[NameOccurrence] = []
    for chunk in layer.chunks:
        spacy_doc = chunk.doc
        n = len(spacy_doc)
        i = 0
        while i < n:
            token = spacy_doc[i]
            j = i
            title = ""
            # "the General. Will you …": a full stop, not an abbreviation's ("Gen.")
            stop = i + 1 < n and spacy_doc[i + 1].text == "." and len(token.text) > ABBREVIATION_MAX
            if _is_title(token) and not stop:
                k = i + 1
                if k < n and spacy_doc[k].text == ".":
                    k += 1
                k = _line_wrap(spacy_doc, k)
                p = _particles(spacy_doc, k)
                if p < n and spacy_doc[p].text[:1].isupper() and spacy_doc[p].is_alpha:
                    title = _clean(token.text)
                    j = k
                elif (of := _of_name(spacy_doc, token, k)) > k:
                    title, j = _clean(token.text), of  # "the Duchess of Wexmoor"
            if not title and not _is_name_token(token):
                i += 1
                continue
            end = j
            while end < n:
                if spacy_doc[end].is_space:
                    w = _line_wrap(spacy_doc, end)
                    if end == i or w == end or w >= n or not _is_name_token(spacy_doc[w]):
                        break
                    end = w  # the name goes on after a line break
                p = _particles(spacy_doc, end) if end > i else end
                if p > end and p < n and _is_name_token(spacy_doc[p]):
                    end = p  # "Mr. van der Luyden", "Charles de Gaulle"
                elif not (_is_name_token(spacy_doc[end]) or (title and end == j)):
                    break
                end += 1
                if end - i > 6:
                    break
            if end == i or (title and end == j):
                i += 1
                continue
            found.append(_occurrence(layer, chunk.start, spacy_doc, i, end, title, quotes))
            i = end
    return found


def _occurrence(
    layer: LanguageLayer,
    base: int,
    spacy_doc: Doc,
    i: int,
    end: int,
    title: str,
    quotes: QuoteIndex,
) -> NameOccurrence:
    doc = spacy_doc
    span = doc[i:end]
    head = span.root
    after = doc[end] if end < len(doc) else None
    possessive = after is not None and after.tag_ == "POS"
    standalone = False
    if possessive:
        nxt = doc[end + 1] if end + 1 < len(doc) else None
        standalone = nxt is None or nxt.pos_ not in ("NOUN", "ADJ", "PROPN", "NUM")
    before = doc[i - 1] if i > 0 else None
    start = base + span.start_char
    stop = base + span.end_char
    surface = span.text
    if title:
        words = [t.text for t in span if t.text != "." and not t.is_space]
        surface = " ".join(words)
    in_quote = quotes.contains(start)
    after_place = before is not None and before.lower_ in PLACE_PREPOSITIONS
    return NameOccurrence(
        start=start,
        end=stop,
        surface=" ".join(surface.split()),
        title=title,
        role=head.dep_,
        head_lemma=head.head.lemma_.lower(),
        in_quote=in_quote,
        possessive=possessive,
        standalone_possessive=standalone,
        after_place_preposition=after_place,
        after_quote=_after_quote(doc, i),
        entity=head.ent_type_,
        vocative=in_quote and _set_off(doc, i, end),
        # in the narration, not "at Fenwick Hall--loud musicians", nor a house whose
        # name a character gives
        described=not (in_quote or after_place) and _described(span, head),
    )


def _after_quote(doc: Doc, i: int) -> bool:
    """Right after a closing quotation mark, in a speech tag's position ('"…," Whined
    Rory'). After a quotation that ends its sentence with a full stop, only when the
    first word is a speech verb ('"…." Whined Rory', a fic error): '"…." Orrin Vale's
    pupils…' opens a new sentence."""
    k = i - 1
    if k >= 0 and doc[k].is_punct and doc[k].text not in CLOSING_QUOTES:
        k -= 1  # '", Rory'
    if k < 0 or doc[k].text not in CLOSING_QUOTES:
        return False
    return not (k > 0 and doc[k - 1].text == ".") or _speech_verb_form(doc[i].text)


def _speech_verb_form(word: str) -> bool:
    """ "Whined", "Asked", "Replied", "Snapped", "Said": a form of a speech verb."""
    w = word.lower()
    stems = {w, w[:-1], w[:-2], w[:-3], w[:-2] + "y", w[:-3] + "y"}
    return bool(stems & SPEECH_VERBS)


#: Verbs that name someone: "a man named Pollard", "commonly called Red Pollard".
NAMING_VERBS = frozenset({"name", "call"})


def _described(span: Span, head: Token) -> bool:
    """The name stands in apposition with a person noun ("Zenobia, the nurse"; "my
    friend Kendrick") or is given as a name ("whose name was Kendrick", "a man named
    Pollard", "of the name of Pollard"): evidence of a person whatever the parser's label."""
    parent = head.head
    if head.dep_ == "appos" and _person_noun(parent):
        return True
    if any(  # "the Duchess of Wexmoor, a lady of …" hangs on Wexmoor
        c.dep_ in ("appos", "compound") and not span.start <= c.i < span.end and _person_noun(c)
        for t in span
        for c in t.children
    ):
        return True
    if head.dep_ in ("attr", "acomp") and parent.lemma_ == "be":
        return any(c.dep_ == "nsubj" and c.lemma_.lower() == "name" for c in parent.children)
    if head.dep_ in ("oprd", "xcomp", "dobj", "attr") and parent.tag_ == "VBN":
        # "a man named Pollard", not "a town called Bellwood"
        return parent.lemma_.lower() in NAMING_VERBS and _person_noun(parent.head)
    return bool(
        head.dep_ == "pobj" and parent.lower_ == "of" and parent.head.lemma_.lower() == "name"
    )


def _person_noun(token: Token) -> bool:
    """A common noun for a person (the small model may tag "the nursemaid" PROPN)."""
    return (
        token.pos_ in ("NOUN", "PROPN")
        and token.text.islower()
        and (token.lemma_.lower() in PERSON_NOUNS or token.lower_ in PERSON_NOUNS)
    )


def _set_off(doc: Doc, i: int, end: int) -> bool:
    """A name between a comma and a comma, ? or !: how a speaker addresses someone ("You,
    Kit, tell me", "Is all paid, Kit?"). Not at the opening of a quotation, where an
    interjection ("Ho, there!", "Mais, …") looks the same."""
    b = i - 1
    if b >= 0 and doc[b].is_space and doc[b].text.count("\n") <= 1:
        b -= 1  # "You,\nKit," wrapped
    if b < 0 or end >= len(doc):
        return False
    before, after = doc[b].text, doc[end].text
    return before == "," and after in (",", "?", "!")


def _agentive(occ: NameOccurrence) -> bool:
    """Used as a person is: subject of a verb other than a copula, possessor of a noun
    ("Dallas's brow"), or called by name inside a quotation."""
    return (
        (occ.role == "nsubj" and occ.head_lemma not in STATIVE_VERBS)
        or (occ.possessive and not occ.standalone_possessive)
        or (occ.role == "npadvmod" and occ.in_quote)
    )


def _called(occ: NameOccurrence) -> bool:
    """A lone given name the lexicon knows, set off as a vocative ("Is all paid, Becky?")
    and not labelled a place ("We saw Paris, London and Rome": the lexicon knows Paris)."""
    return (
        occ.vocative
        and " " not in occ.surface
        and occ.entity not in PLACE_LABELS
        and is_known_name(occ.surface)
    )


def score_names(
    occurrences: Sequence[NameOccurrence],
    lowercase_counts: Counter[str],
    canon: CanonMatcher | None = None,
) -> dict[str, NameStats]:
    """Sum person and place evidence per surface form (canon knowledge weighs heavily)."""
    stats: dict[str, NameStats] = {}
    for occ in occurrences:
        s = stats.setdefault(occ.surface, NameStats(occ.surface))
        s.occurrences.append(occ)
        # the subject of a verb other than a copula ("Dallas stopped"), a possessor
        # ("Dallas's brow") or a vocative: the syntax decides, and the parser's place
        # label on this occurrence does not count
        human = _agentive(occ) or occ.described
        if occ.entity in PERSON_LABELS:
            s.person += 1.5
        elif occ.entity in PLACE_LABELS and not human:
            s.place += 1.0
        if occ.title:
            s.person += 3.0
        if occ.described:
            s.person += 2.0
        if occ.role in ("nsubj", "nsubjpass") and not occ.in_quote:
            s.person += 2.0 if occ.head_lemma in SPEECH_VERBS else 1.0
            if occ.after_quote and occ.head_lemma in SPEECH_VERBS:
                s.person += 1.0  # '"…," Quill stated': a speech tag, the speaker's place
        elif occ.role == "nsubj" and occ.head_lemma in HUMAN_VERBS:
            s.person += 1.0  # in a quotation: "Crane says the car is ready"
        if occ.role == "npadvmod" and occ.in_quote:
            s.person += 1.0  # vocative
        elif _called(occ):
            s.person += 1.0  # "Is all paid, Becky?": a given name someone is called by
        if occ.role == "compound" and not occ.possessive:
            s.place += 1.0  # "the Metallica t-shirt": a name used as a modifier
        if occ.standalone_possessive and occ.after_place_preposition:
            s.place += 3.0
        elif occ.after_place_preposition and not occ.possessive:
            s.place += 1.5
        elif occ.possessive:
            s.person += 0.5
    for surface, s in stats.items():
        speaks = sum(
            1
            for o in s.occurrences
            if o.role == "nsubj" and not o.in_quote and o.head_lemma in SPEECH_VERBS
        )
        if speaks >= SPEAKS_AS_PERSON and s.place >= s.person:
            # Places do not speak: "Tibby said" many times outweighs the parser's GPE.
            s.person = s.place + speaks
        if any(o.described for o in s.occurrences) and s.place >= s.person:
            s.person = s.place + 1.0  # "Zenobia, the nurse": whatever the parser's GPE
        agent = sum(1 for o in s.occurrences if _agentive(o))
        at = sum(1 for o in s.occurrences if o.after_place_preposition)
        if agent >= AGENT_MIN and agent >= AGENT_SHARE * s.count and agent > at:
            # "Dallas stopped", "Dallas's brow", "Dallas took …" more than "in Dallas":
            # a place is rarely the one who acts
            s.person = max(s.person, s.place + 1.0)
        if canon is not None and canon.non_person(surface):
            s.place += 10.0
        elif canon is not None and canon.character(surface) is not None:
            s.person += 4.0
        if s.count == 1:
            s.person -= 1.0  # a single occurrence needs more than one kind of evidence
        words = [_clean(w) for w in surface.split()]
        if any(w in PLACE_WORDS for w in words[1:]) or (
            len(words) > 1 and words[-1] in PLACE_WORDS
        ):
            s.place += 5.0
        if len(words) == 1 and lowercase_counts.get(words[0], 0) >= max(1, s.count // 2):
            s.place += 2.0 + s.count  # a common word capitalised at sentence start
    return stats
