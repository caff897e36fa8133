"""Unnamed characters known by a description: "the maid", "the old gentleman".

Why: novels (and fics) give lines to people who are never named, and a reader lists them
as "the maid" or "the coachman". A definite (or first indefinite) description becomes a
character when it is the narration subject of a speech verb ("the maid said", "said the
old gentleman") and the text does not make it someone already named: a speech-tag
subject right after a named character of the same gender ("Anne came in. … said the
girl") is taken for that character, as a reader would, and proves nothing. Generic
plurals, body parts, voices and written things never speak for themselves. Its mentions
are every later narration occurrence of the same description not explained that way, of
kind ``nominal``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field, replace

from ficlens.characters.layer import MentionRef
from ficlens.characters.lexicon import (
    NOT_NAMES,
    NOUN_GENDER,
    PERSON_NOUNS,
    PHRASAL_SPEECH,
    SPEECH_VERBS,
)
from ficlens.characters.mentions import GENERIC_PEOPLE
from ficlens.characters.names import CLOSING_QUOTES, QuoteIndex
from ficlens.language.layer import Doc, LanguageLayer, Token
from ficlens.model import Character, Gender

#: Heads that are not people even as the subject of a speech verb.
NOT_PEOPLE = frozenset(
    {
        "voice", "voices", "letter", "note", "sign", "paper", "newspaper", "article", "word",
        "words", "message", "text", "card", "book", "clock", "bell", "radio", "phone",
        "telephone", "television", "tv", "screen", "face", "eye", "eyes", "head", "mouth",
        "lip", "lips", "hand", "hands", "heart", "mind", "look", "expression", "smile",
        "tone", "silence", "answer", "reply", "question", "thought", "story", "report",
        "rumour", "rumor", "legend", "law", "rule", "thing", "one", "other", "rest", "same",
        "first", "second", "last", "latter", "former", "whole", "room", "house", "crowd",
        "world", "door", "wind", "sound", "noise", "caption", "label", "inscription",
        "headline", "notice", "poster", "email", "e-mail", "song", "music", "way", "time",
        "fact", "truth", "idea", "name", "title", "line", "verse", "page", "part", "kind",
        "sort", "lot", "number", "couple", "pair", "group", "family", "party", "company",
        "audience", "class", "team", "staff", "committee", "council", "day", "night",
        "morning", "evening", "afternoon", "moment", "week", "month", "year", "hour",
        "minute", "instant", "occasion", "summer", "winter", "spring", "autumn",
    }
)  # fmt: skip

#: Speech verbs whose subject is a person ("the road went on", "the song began" are not).
PEOPLE_SPEECH_VERBS = SPEECH_VERBS - {
    "go", "begin", "manage", "muster", "proceed", "pursue", "cut", "point", "continue",
    "offer", "note", "state", "quote", "interpret", "counter", "object", "question",
    "correct", "call", "guess", "resume", "think", "wonder", "nod", "shrug", "smile", "grin",
}  # fmt: skip

#: Sentences before a description in which a named character may explain it.
WINDOW_SENTENCES = 2

#: A description that speaks needs at least this many unexplained speech tags per
#: explained one: "the painter" said, mostly right after Basil, is an epithet for him.
EPITHET_RATIO = 1

#: Words that may sit between the determiner and the head of a description.
MODIFIER_POS = frozenset({"ADJ", "NOUN", "VERB", "ADV", "NUM"})
#: "said this emissary": a demonstrative description counts only where it speaks.
DEMONSTRATIVES = frozenset({"this", "that"})
#: "asked one labourer", "another woman said": one picked out of a group, likewise.
PICKS = frozenset({"one", "another"})
DETERMINERS = frozenset({"the", "a", "an"}) | DEMONSTRATIVES | PICKS


def noun_gender(head: str) -> Gender:
    """Gender a person noun implies: "maid" female, "coachman" male, "doctor" unknown."""
    word = head.lower()
    if word in NOUN_GENDER:
        return NOUN_GENDER[word]
    if word.endswith("woman") or word.endswith("maid"):
        return "female"
    if word.endswith("man") and len(word) > 4:
        return "male"
    return "unknown"


@dataclass(frozen=True)
class Description:
    """One occurrence of a description in the narration."""

    start: int  # the determiner
    end: int  # end of the head noun
    key: str  # modifiers + head, lower case: "old gentleman"
    determiner: str  # "the", "a" or "an"
    head: str
    role: str
    speech_subject: bool
    #: the form the text used, when it refers back to a fuller introduction
    said_as: str = ""
    #: the head is a known person noun (``_known_person``)
    person: bool = False
    #: the object of a first-person subject ("I met the nursemaid"): the clause's only
    #: he or she
    narrator_object: bool = False
    #: the words before an identifying phrase ("young salesman" for "a young salesman
    #: from the north"), which a reader may call a known person by as well
    described: str = ""


@dataclass
class _Found:
    occurrences: list[Description] = field(default_factory=list)
    speaks: int = 0
    explained: int = 0
    #: speech-verb subjects in a paragraph that holds a quotation
    quoted: int = 0


def descriptions(layer: LanguageLayer, quotes: QuoteIndex) -> list[Description]:
    """Every singular "the/a + modifiers + common noun" phrase in the narration."""
    out: list[Description] = []
    for chunk in layer.chunks:
        for token in chunk.doc:
            d = _description(token, layer, quotes) or _one_of(token, layer, quotes)
            if d is not None:
                out.append(d)
    return out


def _one_of(token: Token, layer: LanguageLayer, quotes: QuoteIndex) -> Description | None:
    """ "said one of the women": a speaker picked out of a group, only where it speaks."""
    if token.lower_ != "one":
        return None
    doc = token.doc
    words = [t for t in doc[token.i + 1 : token.i + 7] if not t.is_space][:3]
    if len(words) < 3:
        return None
    of, det, noun = words
    if of.lower_ != "of" or of.head.i != token.i or det.lower_ != "the":
        return None
    if noun.tag_ != "NNS" or not noun.text.isalpha() or noun.lower_ in NOT_PEOPLE:
        return None
    start, _ = layer.token_offsets(token)
    _, end = layer.token_offsets(noun)
    if quotes.contains(start):
        return None
    head = token.head
    lemma = head.lemma_.lower()
    speech = (token.dep_ == "nsubj" and lemma in PEOPLE_SPEECH_VERBS) or (
        token.i == _next_word(doc, head.i) and lemma in SPEECH_VERBS and _after_quotation(head)
    )
    if not speech:
        return None
    key = f"one of the {noun.lower_}"
    return Description(start, end, key, "", noun.lower_, token.dep_, True)


def _description(token: Token, layer: LanguageLayer, quotes: QuoteIndex) -> Description | None:
    if not _person_noun(token):
        return None
    if token.lemma_.lower() in NOT_PEOPLE or token.lower_ in NOT_PEOPLE:
        return None
    owner = _common_owner(token)
    if owner is not None and not _known_person(token):
        return None  # "the season's mode": owned things are not people
    det = _determiner(token if owner is None else owner)
    if det is None:
        return None
    if not token.text.islower() and det.lower_ != "the":
        return None
    # a hard line break may fall inside the phrase ("the old\ngentleman")
    between = [t for t in token.doc[det.i + 1 : token.i] if not t.is_space]
    if not token.text.islower() and between:
        return None  # only "the Secretary" as a title used for a name
    owned = {owner.i, *(c.i for c in owner.children if c.dep_ == "case")} if owner else set()
    if not _modifiers([t for t in between if t.i not in owned]):
        return None  # "the Colonel's man", "the girl, who": not a plain description
    if owner is None and any(c.dep_ == "poss" for c in token.children):
        return None
    start, _ = layer.token_offsets(det)
    _, end = layer.token_offsets(token)
    if quotes.contains(start):
        return None
    key = " ".join(t.lower_ for t in [*between, token]).replace(" - ", "-").replace(" ,", ",")
    key = key.replace(" '", "'")  # "the innkeeper's boy", "the carters' cook"
    phrase = _identifying_phrase(token)
    described = ""
    if phrase is not None:  # "the gentleman in the white waistcoat"
        described = key
        key = f"{key} {' '.join(t.lower_ for t in phrase if not t.is_space)}"
        _, end = layer.token_offsets(phrase[-1])
    speech = _speaks(token, det, quotes, layer)
    if det.lower_ in DEMONSTRATIVES | PICKS and not speech:
        return None
    return Description(
        start,
        end,
        key,
        det.lower_,
        token.lower_,
        token.dep_,
        speech,
        person=_known_person(token),
        narrator_object=_first_person_object(token),
        described=described,
    )


def _common_owner(token: Token) -> Token | None:
    """The plain common noun that owns the person described ("the innkeeper's boy",
    "the carters' cook"): the article is the owner's, and the whole phrase names
    one person (a known person noun only). Not a name ("the Colonel's man") nor an
    owner owned in turn."""
    owners = [c for c in token.children if c.dep_ == "poss"]
    if len(owners) != 1:
        return None
    owner = owners[0]
    if owner.pos_ != "NOUN" or not owner.text.isalpha() or not owner.text.islower():
        return None
    if any(c.dep_ == "poss" for c in owner.children):
        return None
    return owner


#: Subjects that are the narrator, never a he or she.
FIRST_PERSON_SUBJECTS = frozenset({"i", "we"})


def _first_person_object(token: Token) -> bool:
    """ "I met the nursemaid", "we spoke to the porter": an object of a verb whose
    subject is the first-person narrator."""
    if token.dep_ not in ("dobj", "pobj"):
        return False
    verb = token.head.head if token.dep_ == "pobj" else token.head
    return any(c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON_SUBJECTS for c in verb.children)


def _person_noun(token: Token) -> bool:
    """A singular common noun ("maid"; the small model sometimes tags "said the maid" a
    proper noun, and "said the first housemaid" a verb, which a known person noun is not)."""
    if not token.text.isalpha() or not _plain_or_title_case(token):
        return False
    if token.pos_ in ("NOUN", "PROPN") and token.tag_ in ("NN", "NNP"):
        return True
    return token.lower_ in NOUN_GENDER and token.tag_ in ("VBD", "VBN", "VB", "VBP")


def _determiner(token: Token) -> Token | None:
    """The article, demonstrative, or "one"/"another" opening the description."""
    for c in token.children:
        if c.i < token.i and (
            (c.dep_ == "det" and c.lower_ in DETERMINERS)
            or (c.dep_ == "nummod" and c.lower_ == "one")
        ):
            return c
    return None


def _modifiers(words: Sequence[Token]) -> bool:
    """Describing words between determiner and noun, perhaps joined by a comma or "and"
    ("a tall, grey-haired farmer", "a proud and handsome cousin")."""
    for k, t in enumerate(words):
        if t.pos_ in MODIFIER_POS or t.text == "-":
            continue
        if t.text in (",", "and") and 0 < k < len(words) - 1 and words[k - 1].pos_ == "ADJ":
            continue
        return False
    return True


def _speaks(token: Token, det: Token, quotes: QuoteIndex, layer: LanguageLayer) -> bool:
    """The description is the subject of a speech tag: "the maid said", '"Yes," said the
    maid', '"No," broke in a tall farmer', '"…," the butler continued'; for a known
    person noun also through a later verb or a relative clause ("a boy looked in to say,",
    "the porter, who said,")."""
    head = token.head
    if token.dep_ == "pobj" and head.i == _phrasal(head.head) != head.head.i:
        # '"…," broke in a tall farmer': the parser hangs him on the particle
        return det.i == _next_word(token.doc, head.i) and _after_quotation(head.head)
    lemma = head.lemma_.lower()
    person = _known_person(token)
    later = LATER_VERBS if person else CONJUNCTS
    relatives = [c for c in token.children if c.dep_ == "relcl"]
    return (
        (token.dep_ == "nsubj" and lemma in PEOPLE_SPEECH_VERBS)
        or (
            # '"Yes," said the maid', '"Yes," nodded the doctor': an inverted tag right
            # after the quotation, whatever role the parser gives its subject
            det.i == _next_word(token.doc, _phrasal(head))
            and (lemma in SPEECH_VERBS or _phrasal(head) > head.i)
            and token.dep_ not in ("pobj", "poss", "conj")
            and _after_quotation(head)
        )
        or (token.dep_ == "nsubj" and _tags_a_quotation(det, head, quotes, layer, later))
        or (person and any(_relative_tag(c, quotes, layer) for c in relatives))
        or (person and _root_tag(token, det, quotes, layer))
    )


def _root_tag(token: Token, det: Token, quotes: QuoteIndex, layer: LanguageLayer) -> bool:
    """ "The ferryman, who stood at the rail, called out, '…'" parsed with the noun as
    the sentence root and the speech verb as its modifier: a noun heads a sentence only
    when the parser missed its verb, so the modifier is the predicate."""
    return token.dep_ == "ROOT" and any(
        c.dep_ == "acl" and _tags_a_quotation(det, c, quotes, layer) for c in token.children
    )


def _known_person(token: Token) -> bool:
    """A noun that names a person by itself ("porter", "housemaid"): the weaker speech
    cues need it, as "the flame seemed to say" and "the sense, that said" are no one."""
    lemma = token.lemma_.lower()
    return lemma in PERSON_NOUNS or token.lower_ in PERSON_NOUNS or noun_gender(lemma) != "unknown"


#: Relative pronouns that make a relative clause's subject the noun it qualifies.
RELATIVE_SUBJECTS = frozenset({"who", "that"})


def _relative_tag(clause: Token, quotes: QuoteIndex, layer: LanguageLayer) -> bool:
    """ "…met by the porter, who said, '…'": the clause's subject is the description
    itself, and the clause is a speech tag a quotation follows."""
    return any(
        c.dep_ == "nsubj"
        and c.lower_ in RELATIVE_SUBJECTS
        and _tags_a_quotation(c, clause, quotes, layer)
        for c in clause.children
    )


def _phrasal(verb: Token) -> int:
    """Index of the particle of a phrasal speech verb ("broke in", "called out"), else
    the verb's own index."""
    k: int = verb.i + 1
    if k < len(verb.doc) and (verb.lemma_.lower(), verb.doc[k].lower_) in PHRASAL_SPEECH:
        return k
    return k - 1


#: Dependents through which a clause goes on to a later verb of the same subject: a
#: conjunct ("drew back the curtains and announced"), and for a known person also an
#: adverbial or complement clause ("looked in to say", "came in, crying").
CONJUNCTS = frozenset({"conj"})
LATER_VERBS = CONJUNCTS | {"advcl", "xcomp"}


def _tags_a_quotation(
    det: Token,
    verb: Token,
    quotes: QuoteIndex,
    layer: LanguageLayer,
    later: frozenset[str] = CONJUNCTS,
) -> bool:
    """A clause with any speech verb that a quotation interrupts or follows: '"…," the
    butler continued', 'The driver called out, "…"', 'The butler drew back the
    curtains and announced: "…"', 'a boy looked in to say, "…"', 'the maid came in,
    crying, "…"'."""
    verbs = [verb, *(c for c in verb.children if c.dep_ in later and c.i > verb.i)]
    for v in verbs:
        if v.lemma_.lower() not in SPEECH_VERBS and _phrasal(v) == v.i:
            continue  # "the ice broke in two" is no tag, "a man broke in, '…'" is
        if v is verb and _after_quotation(det):
            return True
        if _quotation_follows(v, quotes, layer):
            return True
    return False


def _quotation_follows(verb: Token, quotes: QuoteIndex, layer: LanguageLayer) -> bool:
    """A quotation opens right after the verb ("called out, \"…"): only particles,
    adverbs and punctuation between."""
    doc = verb.doc
    for j in range(verb.i + 1, min(verb.i + 5, len(doc))):
        t = doc[j]
        if t.is_space or (t.is_punct and t.text not in CLOSING_QUOTES):
            continue
        if t.text in CLOSING_QUOTES:  # the same mark opens a quotation
            k = j + 1
            while k < len(doc) and doc[k].is_space:
                k += 1
            return k < len(doc) and quotes.contains(layer.token_offsets(doc[k])[0])
        if t.dep_ not in ("prt", "advmod"):
            return False
    return False


#: Prepositions of a phrase that tells one person from others ("the man in the corner",
#: "the magistrate with spectacles", "the landlord of the inn").
IDENTIFYING_PREPOSITIONS = frozenset({"in", "with", "of", "at", "from"})
#: Nouns of a phrase that tells how someone spoke, not who they are.
MANNER_NOUNS = frozenset({"tone", "voice", "whisper", "undertone", "manner", "way", "accent"})
#: Longest such phrase, in tokens.
IDENTIFYING_MAX = 5


def _identifying_phrase(token: Token) -> list[Token] | None:
    """The prepositional phrase right after a description's head that tells the person
    apart: "in the white waistcoat", "with spectacles"; not "with a smile" (a manner)."""
    doc = token.doc
    k = _next_word(doc, token.i)
    if k >= len(doc):
        return None
    prep = doc[k]
    if prep.head.i != token.i or prep.dep_ != "prep" or prep.lower_ not in IDENTIFYING_PREPOSITIONS:
        return None
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if len(objects) != 1:
        return None
    obj = objects[0]
    span = doc[prep.i : obj.right_edge.i + 1]
    words = [t for t in span if not t.is_space]
    if len(words) > IDENTIFYING_MAX or any(t.is_punct or _blank(t) for t in span):
        return None
    if any(t.pos_ in ("PRON", "VERB", "AUX") for t in span):
        return None  # "the man with whom …", "the girl in her …"
    if prep.lower_ == "with" and any(t.lower_ in ("a", "an") for t in span):
        return None  # "said the girl with a smile": how she said it
    if (
        prep.lower_ == "with"
        and obj.tag_ == "NN"
        and not any(c.dep_ == "det" for c in obj.children)
    ):
        return None  # "with great earnestness" (not "with spectacles")
    if obj.lemma_.lower() in MANNER_NOUNS:
        return None  # "in a loud whisper", "in a kinder tone"
    return words


def _next_word(doc: Doc, i: int) -> int:
    """Index of the first token after ``i`` that is not a line break."""
    k = i + 1
    while k < len(doc) and doc[k].is_space and not _blank(doc[k]):
        k += 1
    return k


def _blank(token: Token) -> bool:
    """Space that is more than a hard line break (a paragraph break)."""
    return bool(token.is_space) and token.text.count("\n") > 1


def _plain_or_title_case(token: Token) -> bool:
    """ "maid", or "Secretary" as a capitalised title ("the Secretary said"), never a
    word that is no one ("the Lord")."""
    text = token.text
    if text.islower():
        return True
    return text[0].isupper() and text[1:].islower() and text.lower() not in NOT_NAMES


def _after_quotation(verb: Token) -> bool:
    """The verb opens the clause right after a closing quotation mark ("…," said …)."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i >= 0 and doc[i].text in CLOSING_QUOTES:
        return True
    return i >= 1 and doc[i].is_punct and doc[i - 1].text in CLOSING_QUOTES


@dataclass
class NamedIndex:
    """Named mentions in text order, to tell whether a description is someone named."""

    mentions: Sequence[MentionRef]
    genders: Mapping[str, Gender]
    forms: Mapping[str, set[str]]  # character id → lower-case words of its names
    text: str = ""
    #: starts of named mentions that are the subject of a speech tag
    tags: frozenset[int] = frozenset()
    #: starts of quotations, sorted
    quote_starts: Sequence[int] = ()

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.mentions]
        # paragraphs end at blank lines when the text has them (lines may be wrapped)
        lines = self.text.count("\n")
        self._break = "\n\n" if self.text.count("\n\n") * 10 >= lines > 0 else "\n"

    def paragraph_start(self, offset: int) -> int:
        """Where the paragraph holding ``offset`` begins."""
        k = self.text.rfind(self._break, 0, offset)
        return k + len(self._break) if k >= 0 else 0

    def names(self, offset: int) -> bool:
        """A name mention covers ``offset``: "the duchess" is an alias of the Duchess of
        Wexmoor, no description of someone unnamed."""
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and self.mentions[i].start <= offset < self.mentions[i].end

    def quotation_near(self, offset: int) -> bool:
        """A quotation in the paragraph holding ``offset`` or the next one ("The
        physician said:" / "…")."""
        start = self.paragraph_start(offset)
        end = self.text.find(self._break, offset)
        if end >= 0:
            end = self.text.find(self._break, end + len(self._break))
        k = bisect_left(self.quote_starts, start)
        return k < len(self.quote_starts) and (end < 0 or self.quote_starts[k] < end)

    def explains(self, d: Description, since: int, apart: Set[str] = frozenset()) -> bool:
        """A named character in ``[since, d.start)`` whom the description may well be:
        same gender, or (for a description with no gender) a name with its head word
        ("Doctor Grimes" for "the doctor"). Not one the text shows beside the description
        (``apart``), nor the speaker of an earlier turn ("…," said Syme. / "…," said the
        policeman: the reply is someone else's)."""
        gender = noun_gender(d.head)
        i, j = bisect_left(self._starts, since), bisect_left(self._starts, d.start)
        paragraph = self.paragraph_start(d.start)
        window = self.mentions[i:j]
        spoke = {
            m.character for m in window if m.start in self.tags and self._quote_between(m.end, d)
        }
        for m in window:
            if m.kind != "name" or not m.character or (m.in_quote and m.start >= paragraph):
                # the tagged quotation's own vocative is its addressee, but the previous
                # turn's ("…, Basil." / "What is that?" said the painter) is the speaker
                continue
            if m.in_quote and m.role == "pobj":
                continue  # "Any word of Garrick?" / "None," replied the landlord
            if m.character in apart or m.character in spoke:
                continue
            if gender != "unknown" and self.genders.get(m.character) == gender:
                return True
            if d.head in self.forms.get(m.character, set()):
                return True
        return False

    def narrates_name(self, start: int, end: int, genders: Set[Gender] | None = None) -> bool:
        """A named mention in the narration of ``[start, end)`` (of one of ``genders``,
        when given: "Mrs. Orme" is no one a "he" may mean)."""
        i, j = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return any(
            m.kind == "name"
            and not m.in_quote
            and (genders is None or self.genders.get(m.character or "", "unknown") in genders)
            for m in self.mentions[i:j]
        )

    def _quote_between(self, start: int, d: Description) -> bool:
        k = bisect_left(self.quote_starts, start)
        return k < len(self.quote_starts) and self.quote_starts[k] < d.start


def _speech_tag_subjects(layer: LanguageLayer, mentions: Sequence[MentionRef]) -> frozenset[int]:
    """Starts of narration name mentions that are the subject of a speech verb."""
    out: set[int] = set()
    for m in mentions:
        if m.kind != "name" or m.in_quote:
            continue
        token, first = layer.token_at(max(m.end - 1, m.start)), layer.token_at(m.start)
        if token is None or first is None or token.head.lemma_.lower() not in SPEECH_VERBS:
            continue
        verb = token.head
        if token.dep_ == "nsubj" or (
            first.i == _next_word(first.doc, verb.i) and _after_quotation(verb)
        ):
            out.add(m.start)
    return frozenset(out)


def _beside(
    descs: Sequence[Description],
    named: NamedIndex,
    sentence_starts: Sequence[int],
) -> dict[str, set[str]]:
    """For each description, the named characters the narration shows beside it in one
    sentence ("Syme looked at the policeman"): someone else. An apposition ("Basil, the
    painter,") is no evidence."""
    by_sentence: dict[int, list[MentionRef]] = {}
    for m in named.mentions:
        if m.kind == "name" and m.character and not m.in_quote:
            by_sentence.setdefault(bisect_right(sentence_starts, m.start) - 1, []).append(m)
    out: dict[str, set[str]] = {}
    for d in descs:
        for m in by_sentence.get(bisect_right(sentence_starts, d.start) - 1, ()):
            gap = named.text[m.end : d.start] if m.end <= d.start else named.text[d.end : m.start]
            if gap.strip(" ,\n\u2014-") and len(gap) > 3:
                out.setdefault(d.key, set()).add(m.character or "")
    return out


def find_nominal_characters(
    layer: LanguageLayer,
    quotes: QuoteIndex,
    named: NamedIndex,
    sentence_starts: Sequence[int],
    taken_ids: set[str],
) -> tuple[list[Character], list[MentionRef]]:
    """Characters known only by a description that speaks, and their nominal mentions."""
    named = replace(
        named,
        tags=_speech_tag_subjects(layer, named.mentions),
        quote_starts=[s for s, _ in quotes.spans],
    )
    descs = descriptions(layer, quotes)
    introduced = _introduced_speakers(descs, _pronoun_tagged(layer, quotes), named)
    descs = [replace(d, speech_subject=True) if d.start in introduced else d for d in descs]
    apart = _beside(descs, named, sentence_starts)
    found: dict[str, _Found] = {}
    intros: list[tuple[int, Description]] = []
    for d in descs:
        if named.names(d.start):
            continue
        k = bisect_right(sentence_starts, d.start) - 1
        since = sentence_starts[max(k - WINDOW_SENTENCES, 0)] if k >= 0 else 0
        intro = _introduction(d, k, intros)
        if intro is not None:  # "a stout man came in. … said the man": the stout man
            d = replace(d, key=intro.key, said_as=f"the {d.key}")
        intros.append((k, d))
        entry = found.setdefault(d.key, _Found())
        if not _new_person(d) and named.explains(d, since, apart.get(d.key, set())):
            entry.explained += d.speech_subject
            continue
        if intro is not None and intro not in entry.occurrences:
            entry.occurrences.append(intro)
        if d.determiner != "the" and not d.speech_subject:
            continue  # "a man came in" is anyone; "a man said" introduces a speaker
        entry.occurrences.append(d)
        entry.speaks += d.speech_subject
        entry.quoted += d.speech_subject and named.quotation_near(d.start)
    characters: list[Character] = []
    mentions: list[MentionRef] = []
    for key, entry in found.items():
        if not entry.quoted or entry.speaks < entry.explained * EPITHET_RATIO:
            continue  # "the lecture was interrupted", "the scene suggested": no one speaks
        name = f"the {key}" if entry.occurrences[0].determiner else key
        cid = base = slug_of(name)
        n = 2
        while cid in taken_ids:
            cid, n = f"{base}-{n}", n + 1
        taken_ids.add(cid)
        aliases = sorted(
            (
                {name, *(f"{d.determiner} {key}".strip() for d in entry.occurrences)}
                | {
                    d.said_as
                    for d in entry.occurrences
                    if d.said_as and d.said_as.split()[1:] not in _GENERIC
                }
                | {
                    f"{d.determiner} {d.described}"
                    for d in entry.occurrences
                    if d.person and d.described and d.described.split() not in _GENERIC
                }
            )
            - {f"{w} {key}" for w in DEMONSTRATIVES}
        )
        head = entry.occurrences[0].head
        characters.append(Character(id=cid, name=name, aliases=aliases, gender=noun_gender(head)))
        mentions.extend(
            MentionRef(
                start=d.start,
                end=d.end,
                text=layer_text(layer, d),
                kind="nominal",
                character=cid,
                in_quote=False,
                role=d.role,
            )
            for d in entry.occurrences
        )
    return characters, mentions


#: Subject pronouns of a speech tag, by the gender of a description they may stand for.
TAG_PRONOUNS: dict[str, frozenset[Gender]] = {
    "he": frozenset({"male", "unknown"}),
    "she": frozenset({"female", "unknown"}),
}


def _pronoun_tagged(layer: LanguageLayer, quotes: QuoteIndex) -> list[tuple[int, str]]:
    """Start and tag pronoun of each quotation a narration "he"/"she" tags right after
    it ('"…," he said', '"…," said she')."""
    out: list[tuple[int, str]] = []
    for start, end in quotes.spans:
        token = layer.token_at(max(end - 1, start))
        if token is None:
            continue
        words = [
            t
            for t in token.doc[token.i + 1 : token.i + 8]
            if not (t.is_space or t.is_punct or t.text in CLOSING_QUOTES)
        ][:2]
        out.extend(
            (start, t.lower_)
            for t in words
            if t.lower_ in TAG_PRONOUNS
            and t.dep_ == "nsubj"
            and t.head in words
            and t.head.lemma_.lower() in SPEECH_VERBS
        )
    return out


def _introduced_speakers(
    descs: Sequence[Description], tagged: Sequence[tuple[int, str]], named: NamedIndex
) -> set[int]:
    """Starts of descriptions that a pronoun-tagged quotation's "he"/"she" can only mean:
    'A waiter came out smiling. / "This way, sir," he said.' The description is the last
    known person noun of a fitting gender in the quotation's paragraph or the one
    before, the subject of its clause (or the object of a first-person one), with no
    quotation and no named person in the narration between them."""
    out: set[int] = set()
    starts = [d.start for d in descs]
    for q, pronoun in tagged:
        since = named.paragraph_start(max(named.paragraph_start(q) - 1, 0))
        k = bisect_left(named.quote_starts, q) - 1
        if k >= 0:
            since = max(since, named.quote_starts[k])
        fits = TAG_PRONOUNS[pronoun]
        for d in reversed(descs[bisect_left(starts, since) : bisect_left(starts, q)]):
            if not d.person or noun_gender(d.head) not in fits:
                continue  # "the first glance" is no one the pronoun could mean
            if (d.role == "nsubj" or d.narrator_object) and not named.narrates_name(d.end, q, fits):
                out.add(d.start)
            break
    return out


#: Modifiers that pick one person out of several ("said the second maid"): one of
#: a group, never a named character's epithet.
ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth"})


def _new_person(d: Description) -> bool:
    """The description brings in someone not met before, whom no name nearby explains:
    an indefinite one ("broke in a stout farmer", "asked one carter") or one that
    counts its person among others ("the second footman")."""
    return d.determiner in ("a", "an", *PICKS) or bool(_words(d.key) & ORDINALS)


#: Plain heads that refer back to a person just described by a calling ("A carter
#: stopped. … said the man": the carter).
REFERRING_HEADS = frozenset({"man", "woman", "person", "fellow"})

#: Forms too plain to name anyone ("the man" for the stout man just introduced).
_GENERIC = [[w] for w in GENERIC_PEOPLE | REFERRING_HEADS]

#: Sentences back to look for the description that introduced a definite one.
INTRO_WINDOW = 6


def _introduction(
    d: Description, sentence: int, intros: Sequence[tuple[int, Description]]
) -> Description | None:
    """The latest description in the last ``INTRO_WINDOW`` sentences that ``d`` (a
    definite one) refers back to: same head, and every word of ``d`` in it ("a stout
    man with keys" … "the man"; "the ferry boy" … "the boy"), or a person known by a
    calling that a plain "the man" re-mentions (``_refers_back``)."""
    if d.determiner != "the":
        return None
    words = _words(d.key)
    for k, intro in reversed(intros):
        if k < sentence - INTRO_WINDOW:
            return None
        # an earlier re-mention keeps its own head under the key it took ("the man",
        # keyed "carter"), so the next "the man" finds the carter through it
        if (intro.head == d.head and words <= _words(intro.key) | {intro.head}) or (
            _refers_back(d, intro)
        ):
            return intro if intro.key != d.key else None
    return None


def _refers_back(d: Description, intro: Description) -> bool:
    """ "hailed the carter … 'Get in,' said the man": a plain head of a fitting gender
    naming again a person known by a calling, its other words all in that description."""
    if d.head not in REFERRING_HEADS or intro.head in GENERIC_PEOPLE | REFERRING_HEADS:
        return False
    gender = noun_gender(intro.head)
    return (
        intro.person
        and gender in (noun_gender(d.head), "unknown")
        and _words(d.key) - {d.head} <= _words(intro.key)
    )


def _words(key: str) -> set[str]:
    """The words of a description without its commas ("tall, grey-haired farmer")."""
    return {w.strip(",") for w in key.split()}


def slug_of(name: str) -> str:
    """ "the old gentleman" → "the-old-gentleman"."""
    return "-".join(name.replace("-", " ").split())


def layer_text(layer: LanguageLayer, d: Description) -> str:
    """The description's surface text."""
    token = layer.token_at(d.start)
    if token is None:
        return d.key
    base = layer.offset_of(token.doc)
    return str(token.doc.text[d.start - base : d.end - base])
