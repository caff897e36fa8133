"""Find the speech tag or action beat next to a quotation and the speaker it names.

A tag is a clause in the narration of the quotation's own paragraph: after it ("…," she
said), between its pieces ("No," he said, "wait."), before it (Rory asked, "…"), or the
paragraph before when that ends in a colon (Mr. Beebe was back, saying nervously:). A
speech verb makes a tag; without one, the subject of the nearest narration sentence is an
action beat (He frowns. "…"), a weaker cue. The fic error `"Please don't cry." He said.`
is a tag after the quotation like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ficlens.characters import CharacterLayer, MentionRef
from ficlens.characters.lexicon import PERSON_NOUNS, PHRASAL_SPEECH, SPEECH_VERBS, TITLES
from ficlens.language.layer import LanguageLayer, Token, verb_objects

Position = Literal["inside", "after", "before", "colon", "next"]
#: The paragraph after a quotation speaks of its speaker only when it describes the voice:
#: "He sounded crabby", "Her voice was thin and unsteady".
VOICE_NOUNS = frozenset({"voice", "tone", "words", "answer", "reply", "question", "whisper"})
VOICE_VERBS = frozenset({"sound"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
RELATIVE = frozenset({"relcl", "acl"})
NOT_HEADS = frozenset({"poss", "pobj", "dobj"})
SENTENCE_END = frozenset({".", "!", "?", "…"})
#: Verbs that tag a quotation only in a tag's slot ('"Yes," she smiled.'); in a sentence
#: of their own before it ("She smiled. "Yes."") they are an action beat.
MANNER_VERBS = frozenset(
    {
        "smile", "grin", "smirk", "laugh", "chuckle", "giggle", "nod", "shrug", "sigh",
        "sniff", "snort", "pout", "sob", "groan", "moan", "scoff", "huff", "gasp", "point",
        "think", "wonder", "guess", "note", "go", "begin", "continue", "manage", "muster",
        "proceed", "breathe", "muse",
    }
)  # fmt: skip
#: "he heard Katharine say": the speaker is the subject of the verb perceived.
PERCEPTION_VERBS = frozenset({"hear", "overhear"})
#: Pronouns that can be the subject of an inverted tag ("said she"; never "interrupted him").
NOMINATIVE = frozenset({"i", "he", "she", "we", "they", "you"})
#: Particles of phrasal speech verbs ("put in Blanche", "broke in Lord Henry").
VERB_PARTICLES = frozenset({"in", "out", "up", "back", "forth", "on", "off"})
NOUNS = frozenset({"NOUN", "PROPN"})
MAX_TAG_TOKENS = 30
TITLE_WORDS = frozenset(t.capitalize() for t in TITLES) | frozenset(
    f"{t.capitalize()}." for t in TITLES
)


@dataclass(frozen=True)
class Tag:
    """A speaker cue found in narration next to a quotation."""

    start: int  # the subject phrase
    end: int
    position: Position
    speech_verb: bool  # False for an action beat
    mention: MentionRef | None  # the character mention heading the subject, if any
    kind: Literal["name", "pronoun", "nominal"]
    noun: str | None = None  # the subject's head noun, lower case ("said the old man")
    verb: str | None = None  # the tag's verb, lemma in lower case ("added")
    #: characters the verb speaks to or acts on ("he said to Rodney", "she told him"):
    #: seldom its speaker, often whom the quotation addresses
    objects: tuple[str, ...] = ()

    @property
    def character(self) -> str | None:
        return self.mention.character if self.mention else None


def _window(
    layer: LanguageLayer, start: int, end: int, *, backwards: bool
) -> list[tuple[int, int, Token]]:
    """Non-space tokens of one sentence's worth of narration in ``[start, end)``."""
    tokens: list[tuple[int, int, Token]] = []
    offset = start
    while offset < end:
        token = layer.token_at(offset)
        if token is None:
            break
        s, e = layer.token_offsets(token)
        if s >= end:
            break
        if s >= start and not token.is_space:
            tokens.append((s, e, token))
        nxt = token.i + 1
        if nxt >= len(token.doc):
            break
        offset = layer.token_offsets(token.doc[nxt])[0]
    if backwards:
        out: list[tuple[int, int, Token]] = []
        for item in reversed(tokens):
            if out and item[2].text in SENTENCE_END:
                break
            out.append(item)
        return list(reversed(out[:MAX_TAG_TOKENS]))
    cut: list[tuple[int, int, Token]] = []
    for item in tokens:
        cut.append(item)
        if item[2].text in SENTENCE_END or len(cut) >= MAX_TAG_TOKENS:
            break
    return cut


def _subject_of(verb: Token, lo: int, hi: int, layer: LanguageLayer) -> Token | None:
    """The verb's subject within ``[lo, hi)``, following conjoined verbs ("He smiled and
    said") and "by saying". The parser often gives a tag verb two subjects, one of them
    inside the quotation, so only a subject in the narration window counts. A passive
    speech verb's agent is its speaker ("accosted by Miss Bingley")."""
    for _ in range(4):
        agents = [c for c in verb.children if c.dep_ == "agent"]
        if agents and verb.lemma_.lower() in SPEECH_VERBS:
            agent = next((c for c in agents[0].children if c.dep_ == "pobj"), None)
            if agent is not None and lo <= layer.token_offsets(agent)[0] < hi:
                return agent
        for child in verb.children:
            if child.dep_ in SUBJECTS and lo <= layer.token_offsets(child)[0] < hi:
                return child
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":  # "broke in by saying"
            verb = verb.head.head
            continue
        if verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.pos_ in NOUNS:
            # "The porter, who was sweeping the step, called out": no main verb parsed
            return verb.head if lo <= layer.token_offsets(verb.head)[0] < hi else None
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head is verb:
            return None
        verb = verb.head
    return None


#: Nouns that name a turn of speech in '"…," was Helen's contribution' (and the voice nouns).
SPEECH_NOUNS = VOICE_NOUNS | frozenset(
    {
        "advice",
        "amendment",
        "challenge",
        "comment",
        "complaint",
        "contribution",
        "cry",
        "enquiry",
        "exclamation",
        "greeting",
        "injunction",
        "inquiry",
        "objection",
        "observation",
        "opinion",
        "protest",
        "query",
        "remark",
        "response",
        "retort",
        "rejoinder",
        "suggestion",
        "verdict",
        "word",
    }
)


def _possessive_tag(
    window: Sequence[tuple[int, int, Token]],
    layer: LanguageLayer,
    characters: CharacterLayer,
    position: Position,
) -> Tag | None:
    """A tag with no speech verb whose speaker owns a speech noun ('"…," was Mr. Weston's
    quick amendment', "were his words"), or the source the words came from ('"…!" came
    from Sir Thomas's lips', '"…!" from Mr. Wilcox')."""
    words = [t for _, _, t in window if not t.is_punct]
    if not words:
        return None
    lead = words[0].lower_
    if lead in ("came", "burst", "broke") and len(words) > 1 and words[1].lower_ == "from":
        words, lead = words[1:], "from"
    if lead == "from" and len(words) > 1:
        source = words[1].head if words[1].dep_ in ("compound", "poss", "det", "amod") else None
        for token in (words[1], source):
            if token is None:
                continue
            s, e = layer.token_offsets(token)
            named = [m for m in characters.mentions_between(s, e) if m.character]
            mention = named[0] if named else _possessor(token, layer, characters)
            if mention is not None:
                return _mention_tag(mention, position, speech_verb=True)
        return None
    if lead not in ("was", "were", "came"):
        return None
    for token in words[1:6]:
        if token.lemma_.lower() in SPEECH_NOUNS or token.lower_ in SPEECH_NOUNS:
            mention = _possessor(token, layer, characters)
            if mention is not None:
                return _mention_tag(mention, position, speech_verb=True)
    return None


#: Roles the parser gives a name that is really a tag's subject: "said Dolly" (an adverb
#: in -ly), '"…?" May questioned' (a modal).
NAME_MISPARSES = frozenset({"advmod", "npadvmod", "dobj", "dep", "aux"})


def _named_dependent(
    verb: Token,
    lo: int,
    hi: int,
    layer: LanguageLayer,
    characters: CharacterLayer,
    *,
    before: bool = False,
) -> Token | None:
    """A subjectless verb's dependent that is a character's name: the parser takes "Dolly"
    in '"No," said Dolly.' for an adverb in -ly. ``before``: only a name before the verb
    (a beat's "Ben kissed Ada" has Ada for its object)."""
    for child in verb.lefts if before else verb.children:
        s, e = layer.token_offsets(child)
        named = any(m.kind == "name" and m.start == s for m in characters.mentions_between(s, e))
        if named and lo <= s < hi and child.dep_ in NAME_MISPARSES:
            return child
    return None


def _tag_from(
    window: Sequence[tuple[int, int, Token]],
    layer: LanguageLayer,
    characters: CharacterLayer,
    position: Position,
    tag_slot: bool = False,
) -> Tag | None:
    if not window:
        return None
    lo, hi = window[0][0], window[-1][1]
    # A verb in a relative clause ("the way out I am offering him") is neither tag nor beat.
    verbs = [t for _, _, t in window if t.pos_ in ("VERB", "AUX") and not _relative(t)]
    if position in ("before", "colon"):
        verbs.reverse()  # nearest the quotation first
    slot = tag_slot or (position in ("before", "colon") and window[-1][2].text not in SENTENCE_END)
    speech = [v for v in verbs if _speaks(v, slot)]
    new_clause = position == "after" and _new_clause(window)
    leads_on = position == "after" and window[-1][2].text in (":", ",")
    if new_clause:
        speech = []  # '"Yes," while Freddy edged away': another action, not this tag
    elif leads_on and speech[-1:] == verbs[-1:]:
        speech = speech[:-1]  # "… and Matthew replied:" is the next quotation's lead-in
    if tag_slot and position in ("after", "inside") and not (new_clause or leads_on):
        # '…," opined Mrs. Munt': right after a quotation ending in a comma, the clause's
        # verb is a speech verb whatever it is.
        words = [t for _, _, t in window if not t.is_punct]
        lead = next((t for t in words[:3] if t.pos_ == "VERB"), None)
        if lead is not None and lead not in speech:
            speech.insert(0, lead)
    if tag_slot and position in ("after", "inside"):
        tag = _possessive_tag(window, layer, characters, position)
        if tag is not None:
            return tag
    speech = _perceived_first(speech, lo, hi, layer)
    # A first-person narrator embedded in someone's beat is not its actor ("He recognizes
    # the easy out I'm handing him." is his beat, though the parser makes "handing" a
    # complement); other complements may be ("saw Mrs. Ames looking down": hers).
    inside = {t.i for _, _, t in window}
    beats = [v for v in verbs if not (v.head.i in inside and _embedded_i(v))]
    for verb_list, is_speech in ((speech, True), (beats, False)):
        for verb in verb_list:
            subject = _inverted_subject(verb, window, characters) if is_speech else None
            if subject is None:
                subject = _subject_of(verb, lo, hi, layer)
            if subject is None:  # a beat's subject comes before its verb ("May met …")
                subject = _named_dependent(verb, lo, hi, layer, characters, before=not is_speech)
            if subject is None:
                continue
            s = layer.token_offsets(subject)[0]
            left = max(lo, layer.token_offsets(subject.left_edge)[0])
            right = min(hi, layer.token_offsets(subject.right_edge)[1])
            # "cried his wife" of Mr. Bennet: the characters stage made "his wife" a mention
            # of Mrs. Bennet (``characters/kin.py``)
            mention = _mention_at(characters, left, right, s)
            lemma = subject.lemma_.lower()
            if mention is None and (not is_speech or lemma in VOICE_NOUNS):
                # "His face falls."; "The voice of Tobias was heard saying:" (but "His
                # wife smiled" is not his beat)
                mention = None if lemma in PERSON_NOUNS else _possessor(subject, layer, characters)
            if mention is not None:
                # a character known by a description ("said the maid") is as sure as a name
                kind = "pronoun" if mention.kind == "pronoun" else "name"
            else:
                kind = "nominal"
            person = subject.pos_ == "NOUN" or _person_noun(subject)
            if kind == "nominal" and not (person or subject.pos_ == "PROPN"):
                continue  # "it", "that": not a speaker
            noun = None
            if person:  # an adjective's lemma is another word ("stranger" → "strange")
                noun = (subject.lemma_ if subject.pos_ == "NOUN" else subject.text).lower()
            objects = _objects(verb, subject, lo, hi, layer, characters)
            return Tag(
                left, right, position, is_speech, mention, kind, noun,  # type: ignore[arg-type]
                verb.lemma_.lower(), objects,
            )  # fmt: skip
    return _short_beat(window, characters, position)


#: Prepositions after which a tag's verb names whom it speaks to ("said to Rodney").
ADDRESS_PREPOSITIONS = frozenset({"to", "at", "upon", "on", "towards", "toward", "with"})


def _objects(
    verb: Token,
    subject: Token,
    lo: int,
    hi: int,
    layer: LanguageLayer,
    characters: CharacterLayer,
) -> tuple[str, ...]:
    """Characters the tag's verb has for its object or after "to"/"at" ("said to him"),
    and so has a participle of it ("he said, turning to Archer"), within the narration
    window; never a reflexive ("said she to herself" is her own)."""
    verbs = [verb] + [c for c in verb.children if c.dep_ in ("advcl", "xcomp") and c.tag_ == "VBG"]
    tokens = [o for v in verbs for o in verb_objects(v, ADDRESS_PREPOSITIONS) if o.i != subject.i]
    out: list[str] = []
    for token in tokens:
        start, end = layer.token_offsets(token)
        if not lo <= start < hi or token.lower_.endswith(("self", "selves")):
            continue
        for m in characters.mentions_between(layer.token_offsets(token.left_edge)[0], end):
            if m.character and m.start <= start < m.end and m.character not in out:
                out.append(m.character)
    return tuple(out)


def _embedded_i(verb: Token) -> bool:
    """A complement clause whose subject is "I"."""
    return verb.dep_ == "ccomp" and any(
        c.dep_ == "nsubj" and c.lower_ == "i" for c in verb.children
    )


def _new_clause(window: Sequence[tuple[int, int, Token]]) -> bool:
    """Narration after a quotation that opens with a conjunction ("while", "and", "as")
    starts a clause of its own."""
    first = next((t for _, _, t in window if not t.is_punct), None)
    return first is not None and first.pos_ in ("CCONJ", "SCONJ")


def _relative(verb: Token) -> bool:
    """A verb in a relative clause, unless the parser made the sentence's subject its root
    ("The porter, who was sweeping the step, called out")."""
    return verb.dep_ in RELATIVE and not (verb.dep_ == "acl" and verb.head.dep_ == "ROOT")


def _speaks(verb: Token, slot: bool) -> bool:
    """A verb of speaking; a manner verb ("smiled") only in a tag's slot, and "go" only in
    the present ("and she goes, …"; "Then Margaret went down" is no tag)."""
    lemma = verb.lemma_.lower()
    if lemma == "go" and verb.tag_ == "VBD":
        return False
    if lemma in SPEECH_VERBS:
        return slot or lemma not in MANNER_VERBS
    nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    return nxt is not None and (lemma, nxt.lower_) in PHRASAL_SPEECH


def _perceived_first(speech: list[Token], lo: int, hi: int, layer: LanguageLayer) -> list[Token]:
    """'"…," Archer heard Reggie say': the verb perceived, with its own subject, tags the
    quotation, not the hearing."""
    out = list(speech)
    for verb in speech:
        if verb.lemma_.lower() not in PERCEPTION_VERBS:
            continue
        heard = [
            c
            for c in verb.children
            if c.dep_ in ("ccomp", "xcomp")
            and c.lemma_.lower() in SPEECH_VERBS
            and any(g.dep_ in SUBJECTS and lo <= layer.token_offsets(g)[0] < hi for g in c.children)
        ]
        if heard:
            out.remove(verb)
            out = [v for v in out if v not in heard]
            out[:0] = heard
    return out


CLOSING_MARKS = "\"'\u201d\u2019\u00bb\u00ab"


def _after_open_clause(text: str, offset: int) -> bool:
    """True right after a quotation that ends in a comma, dash, ? or !: a tag follows."""
    head = text[max(0, offset - 4) : offset].rstrip().rstrip(CLOSING_MARKS).rstrip()
    return head.endswith((",", "?", "!", "-", "\u2014"))


def _voice_beat(
    window: Sequence[tuple[int, int, Token]], layer: LanguageLayer, characters: CharacterLayer
) -> Tag | None:
    """A beat in the next paragraph that describes how the quotation sounded."""
    for _, _, token in window:
        if token.dep_ not in SUBJECTS:
            continue
        head = token.head
        mention: MentionRef | None = None
        if token.lemma_.lower() in VOICE_NOUNS:
            mention = _possessor(token, layer, characters)
        elif head.lemma_.lower() in VOICE_VERBS:
            s = layer.token_offsets(token)[0]
            found = [m for m in characters.mentions_between(s, s + 1) if m.character]
            mention = found[0] if found else None
        return _mention_tag(mention, "next", speech_verb=False) if mention else None
    return None


def _possessor(
    subject: Token, layer: LanguageLayer, characters: CharacterLayer
) -> MentionRef | None:
    """The character whose face, voice or hands are the beat's subject ("Her voice
    was thin" is about her)."""
    for child in subject.children:
        owner = child if child.dep_ == "poss" else None
        if child.dep_ == "prep" and child.lower_ == "of":  # "the voice of Tobias"
            owner = next((c for c in child.children if c.dep_ == "pobj"), None)
        if owner is not None:  # from its left edge: "Mr. Weston's" starts at "Mr."
            start = layer.token_offsets(owner.left_edge)[0]
            end = layer.token_offsets(owner)[1]
            found = [m for m in characters.mentions_between(start, end) if m.character]
            if found:
                return found[0]
    return None


def _mention_tag(mention: MentionRef, position: Position, *, speech_verb: bool) -> Tag:
    """A tag headed by a character mention (a name, a description or a pronoun)."""
    kind = "pronoun" if mention.kind == "pronoun" else "name"
    return Tag(mention.start, mention.end, position, speech_verb, mention, kind)  # type: ignore[arg-type]


def _short_beat(
    window: Sequence[tuple[int, int, Token]], characters: CharacterLayer, position: Position
) -> Tag | None:
    """ "Ben frowns." misparsed as a noun phrase: a short sentence opening with a mention."""
    words = [item for item in window if not item[2].is_punct]
    if not words or len(words) > 5:
        return None
    start, end, _ = words[0]
    found = [m for m in characters.mentions_between(start, end) if m.start == start]
    if not found or found[0].pronoun in ("second",) or found[0].character is None:
        return None
    return _mention_tag(found[0], position, speech_verb=False)


def _inverted_subject(
    verb: Token, window: Sequence[tuple[int, int, Token]], characters: CharacterLayer
) -> Token | None:
    """The speaker of an inverted tag ("asked Isabella in a plaintive tone", "put in
    Blanche"), which the parser often takes for an object: a name or subject pronoun right
    after a speech verb that opens the narration."""
    tokens = [t for _, _, t in window]
    starts = {m.start for m in characters.mentions_between(window[0][0], window[-1][1])}
    lead = [
        s
        for s, _, t in window[: tokens.index(verb)]
        if not (t.is_punct or (t.pos_ == "ADV" and s not in starts))
    ]
    if lead:
        return None  # "Dolly interrupted him": Dolly is no adverb
    after = tokens[tokens.index(verb) + 1 :]
    for i, t in enumerate(after):
        if t.pos_ == "ADV" or (i == 0 and (t.dep_ == "prt" or t.lower_ in VERB_PARTICLES)):
            continue
        if t.pos_ == "PROPN" or t.lower_ in NOMINATIVE or t.text in TITLE_WORDS:
            return t.head if t.dep_ in ("compound", "poss") else t
        if t.pos_ == "DET" or t.tag_ == "PRP$":  # "exclaimed the girl", "said his sister"
            if t.head.i > t.i and (t.head.pos_ in NOUNS or _person_noun(t.head)):
                return t.head  # "asked a grinning porter", not "grinning"
            return next((n for n in after[i + 1 : i + 4] if n.pos_ in NOUNS), None)
        return None
    return None


def _person_noun(token: Token) -> bool:
    """A word for a person that the parser tagged otherwise ("cried the stranger", where
    "stranger" came out an adjective)."""
    return token.lower_ in PERSON_NOUNS


def _mention_at(characters: CharacterLayer, start: int, end: int, head: int) -> MentionRef | None:
    found = characters.mentions_between(start, end)
    covering = [m for m in found if m.start <= head < m.end]
    if covering:
        return covering[0]
    # a name inside the phrase that is only its possessor or object ("a voice in Mr.
    # Bumble's ear", "the friend of Ada") is not the subject
    names = [m for m in found if m.kind == "name" and not m.in_quote and m.role not in NOT_HEADS]
    return names[0] if names and end - start < 40 else None


#: Characters between a quotation and its tag's subject (after it) or the tag's end
#: (before it) within which a tag is right against the quotation.
ADJACENT = 40


def find_tag(
    text: str,
    layer: LanguageLayer,
    characters: CharacterLayer,
    regions: Sequence[tuple[Position, int, int]],
) -> Tag | None:
    """The best cue among narration ``regions``: a speech tag anywhere beats a beat, and
    a tag right against the quotation beats one further off ("Then he exclaimed "Ada!"
    with such heartiness that she begged him to be quiet")."""
    beats: list[Tag] = []
    far: Tag | None = None
    for position, start, end in regions:
        if end <= start:
            continue
        backwards = position in ("before", "colon")
        window = _window(layer, start, end, backwards=backwards)
        if position == "next":
            tag = _voice_beat(window, layer, characters)
        else:
            tag = _tag_from(window, layer, characters, position, _after_open_clause(text, start))
        if tag is None:
            continue
        if tag.speech_verb:
            close = tag.start - start if position == "after" else end - tag.end
            if position not in ("after", "before") or close <= ADJACENT:
                return tag
            far = far or tag
            continue
        beats.append(tag)
    if far is not None:
        return far
    # An action just before the quotation in its paragraph belongs to the speaker more
    # surely than one after it ("She nodded. "Yes." He wiped her tears.").
    order: dict[Position, int] = {"before": 0, "inside": 1, "after": 2, "colon": 3, "next": 4}
    return min(beats, key=lambda t: order[t.position]) if beats else None
