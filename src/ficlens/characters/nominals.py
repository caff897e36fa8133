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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ficlens.characters.layer import MentionRef
from ficlens.characters.lexicon import SPEECH_VERBS
from ficlens.characters.names import QuoteIndex
from ficlens.language.layer import LanguageLayer, Token
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
        "audience", "class", "team", "staff", "committee", "council",
    }
)  # fmt: skip

#: Gendered person nouns (head lemma, lower case) and the gender they imply.
NOUN_GENDER: dict[str, Gender] = {
    **dict.fromkeys(
        ["man", "gentleman", "boy", "husband", "father", "son", "brother", "uncle", "nephew",
         "landlord", "waiter", "butler", "king", "prince", "duke", "count", "baron", "lord",
         "monk", "priest", "bridegroom", "groom", "grandfather", "lad", "fellow", "footman",
         "sir", "host", "steward", "chap", "guy", "youth", "vicar", "rector", "parson",
         "monsieur", "signor", "señor", "husband", "widower", "emperor", "sultan", "marquis",
         "grandpa", "dad", "daddy", "papa", "bachelor", "schoolboy", "boyfriend"],
        "male",
    ),
    **dict.fromkeys(
        ["woman", "lady", "girl", "wife", "mother", "daughter", "sister", "aunt", "niece",
         "maid", "landlady", "waitress", "widow", "queen", "princess", "duchess", "countess",
         "baroness", "hostess", "actress", "governess", "mistress", "matron", "nun", "bride",
         "grandmother", "lass", "dame", "madam", "madame", "marchioness", "stewardess",
         "seamstress", "laundress", "housewife", "signora", "señora", "mademoiselle",
         "grandma", "mom", "mum", "mama", "mamma", "schoolgirl", "girlfriend", "empress",
         "heiress", "abbess", "nursemaid", "housemaid", "chambermaid", "milkmaid", "wench"],
        "female",
    ),
}  # fmt: skip

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
DETERMINERS = frozenset({"the", "a", "an"})


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


@dataclass
class _Found:
    occurrences: list[Description] = field(default_factory=list)
    speaks: int = 0
    explained: int = 0


def descriptions(layer: LanguageLayer, quotes: QuoteIndex) -> list[Description]:
    """Every singular "the/a + modifiers + common noun" phrase in the narration."""
    out: list[Description] = []
    for chunk in layer.chunks:
        for token in chunk.doc:
            d = _description(token, layer, quotes)
            if d is not None:
                out.append(d)
    return out


def _description(token: Token, layer: LanguageLayer, quotes: QuoteIndex) -> Description | None:
    # the small model sometimes tags "said the maid" as a proper noun
    if token.pos_ not in ("NOUN", "PROPN") or token.tag_ not in ("NN", "NNP"):
        return None
    if not token.text.isalpha() or not token.text.islower():
        return None
    if token.lemma_.lower() in NOT_PEOPLE or token.text in NOT_PEOPLE:
        return None
    det = next((c for c in token.children if c.dep_ == "det" and c.i < token.i), None)
    if det is None or det.lower_ not in DETERMINERS:
        return None
    between = token.doc[det.i + 1 : token.i]
    if any(t.pos_ not in MODIFIER_POS and t.text != "-" for t in between):
        return None  # "the Colonel's man", "the girl, who": not a plain description
    if any(c.dep_ == "poss" for c in token.children):
        return None
    start, _ = layer.token_offsets(det)
    _, end = layer.token_offsets(token)
    if quotes.contains(start):
        return None
    key = " ".join(t.lower_ for t in token.doc[det.i + 1 : token.i + 1]).replace(" - ", "-")
    head = token.head
    speech = head.lemma_.lower() in PEOPLE_SPEECH_VERBS and (
        token.dep_ in ("nsubj", "nsubjpass")
        # '"Yes," said the maid': an inverted subject the parser may call an object
        or (token.dep_ in ("dobj", "attr") and det.i == head.i + 1)
    )
    return Description(start, end, key, det.lower_, token.lower_, token.dep_, speech)


@dataclass
class NamedIndex:
    """Named mentions in text order, to tell whether a description is someone named."""

    mentions: Sequence[MentionRef]
    genders: Mapping[str, Gender]
    forms: Mapping[str, set[str]]  # character id → lower-case words of its names
    text: str = ""

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.mentions]

    def explains(self, d: Description, since: int) -> bool:
        """A named character in ``[since, d.start)`` whom the description may well be:
        same gender, or (for a description with no gender) a name with its head word
        ("Doctor Grimes" for "the doctor")."""
        gender = noun_gender(d.head)
        i, j = bisect_left(self._starts, since), bisect_left(self._starts, d.start)
        paragraph = self.text.rfind("\n", 0, d.start) + 1
        for m in self.mentions[i:j]:
            if m.kind != "name" or not m.character or (m.in_quote and m.start >= paragraph):
                # the tagged quotation's own vocative is its addressee, but the previous
                # turn's ("…, Basil." / "What is that?" said the painter) is the speaker
                continue
            if gender != "unknown" and self.genders.get(m.character) == gender:
                return True
            if d.head in self.forms.get(m.character, set()):
                return True
        return False


def find_nominal_characters(
    layer: LanguageLayer,
    quotes: QuoteIndex,
    named: NamedIndex,
    sentence_starts: Sequence[int],
    taken_ids: set[str],
) -> tuple[list[Character], list[MentionRef]]:
    """Characters known only by a description that speaks, and their nominal mentions."""
    found: dict[str, _Found] = {}
    for d in descriptions(layer, quotes):
        k = bisect_right(sentence_starts, d.start) - 1
        since = sentence_starts[max(k - WINDOW_SENTENCES, 0)] if k >= 0 else 0
        entry = found.setdefault(d.key, _Found())
        if named.explains(d, since):
            entry.explained += d.speech_subject
            continue
        if d.determiner != "the" and not d.speech_subject:
            continue  # "a man came in" is anyone; "a man said" introduces a speaker
        entry.occurrences.append(d)
        entry.speaks += d.speech_subject
    characters: list[Character] = []
    mentions: list[MentionRef] = []
    for key, entry in found.items():
        if not entry.speaks or entry.speaks < entry.explained * EPITHET_RATIO:
            continue
        name = f"the {key}"
        cid = base = "the-" + "-".join(key.replace("-", " ").split())
        n = 2
        while cid in taken_ids:
            cid, n = f"{base}-{n}", n + 1
        taken_ids.add(cid)
        aliases = sorted({name, *(f"{d.determiner} {key}" for d in entry.occurrences)})
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


def layer_text(layer: LanguageLayer, d: Description) -> str:
    """The description's surface text."""
    token = layer.token_at(d.start)
    if token is None:
        return d.key
    base = layer.offset_of(token.doc)
    return str(token.doc.text[d.start - base : d.end - base])
