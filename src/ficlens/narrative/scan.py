"""One pass over the parsed narration: per-sentence facts every later decision reads.

Why one pass: the stage must cost a few percent of spaCy's parse, so each token is looked
at once, and person, tense, viewpoint cues and idiom slips are all collected there.
Quotations (speech or not) and flashbacks are masked; paratext is never parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ficlens.characters.layer import MentionRef
from ficlens.language.layer import LanguageLayer
from ficlens.model import Gender
from ficlens.narrative import lexicon as lx
from ficlens.narrative.spans import Cursor, index_of

TenseName = Literal["present", "past"]
Token = Any  # spacy.tokens.Token

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
#: Weights of viewpoint cues (see docs/architecture.md, "narrative/").
W_COGNITION = 3.0
W_INNER = 1.5
W_SUBJECT = 1.0
W_EMBEDDED = 0.5
W_OTHER = 0.2


@dataclass(frozen=True)
class Cue:
    """A piece of viewpoint evidence: ``character`` is ``weight`` likelier the focal."""

    character: str
    weight: float
    start: int
    end: int
    cue: str
    sure: bool = False
    """The mention is a name, or a he/she with one named character of its gender in the
    paragraph: who it is does not hang on coreference."""


@dataclass(frozen=True)
class Idiom:
    """A reflexive idiom whose possessor disagrees in gender with the subject."""

    start: int
    end: int
    subject: str
    possessive: str
    phrase: str
    subject_gender: str


@dataclass
class Sentence:
    """What the narration of one sentence says about person, tense and viewpoint."""

    start: int
    end: int
    paragraph: int
    words: int = 0
    present: list[tuple[int, int, str]] = field(default_factory=list)
    past: list[tuple[int, int, str]] = field(default_factory=list)
    main: set[TenseName] = field(default_factory=set)
    main_span: tuple[int, int] | None = None
    main_text: str = ""
    subject: str = ""
    subject_character: bool = False
    perfect: bool = False
    present_perfect: bool = False
    now: bool = False
    main_tag: str = ""
    backstory: bool = False
    flashback: bool = False
    question: bool = False
    reported: bool = False
    first: list[tuple[int, int, str]] = field(default_factory=list)
    second: list[tuple[int, int, str]] = field(default_factory=list)
    third: list[tuple[int, int, str]] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    idioms: list[Idiom] = field(default_factory=list)

    @property
    def evidence(self) -> bool:
        """Whether its verbs count for the narration's tense (not backstory/flashback)."""
        return not (self.backstory or self.flashback)


#: Penn tags of finite verbs. spaCy's English morphology is derived from these tags
#: (VBD = ``Tense=Past|VerbForm=Fin``, VBZ/VBP = ``Tense=Pres|VerbForm=Fin``), and reading
#: the tag is several times faster than ``token.morph``.
_FINITE: dict[str, TenseName] = {"VBD": "past", "VBZ": "present", "VBP": "present"}


def verb_tense(token: Token) -> TenseName | None:
    """Tense of a finite verb, or of a present-only modal; else None."""
    tag = token.tag_
    if tag == "MD":
        return "present" if token.lower_ in lx.PRESENT_MODALS else None
    tense = _FINITE.get(tag)
    if tense == "past" and token.lower_ == token.lemma_.lower():
        return None  # "put", "set", "hurt": the past looks like the present; no evidence
    return tense


def _clause_tense(verb: Token) -> TenseName | None:
    """A clause's tense: its verb's own, else its auxiliaries' ("is walking")."""
    own = verb_tense(verb)
    if own is not None:
        return own
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass"):
            t = verb_tense(child)
            if t is not None:
                return t
    return None


def _is_perfect(verb: Token) -> bool:
    """Past perfect: a participle with "had" or "'d" ("She'd locked the door"), or an
    auxiliary "had"/"'d" the tagger read as past ("He'd come back")."""
    if verb.dep_ == "aux" and verb.tag_ == "VBD" and verb.lemma_.lower() == "have":
        return True
    if verb.tag_ != "VBN":
        return False
    auxes = [c.lower_.replace("\u2019", "'") for c in verb.children if c.dep_ == "aux"]
    return "had" in auxes or ("'d" in auxes and "have" not in auxes)


def _counterfactual(verb: Token) -> bool:
    """ "She should have guessed": a perception that did not happen is the narrator's."""
    auxes = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    return "have" in auxes and bool(auxes & {"should", "would", "could", "might", "must"})


def _possessed(noun: Token) -> bool:
    """ "She had her private thoughts": an inner noun the subject *has* describes her from
    outside; it does not look into her mind."""
    return bool(noun.dep_ == "dobj" and noun.head.lemma_ == "have")


def _subject_of(verb: Token) -> Token | None:
    """A verb's subject, inherited along coordination ("He turns and shakes…")."""
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in SUBJECTS:
                return child
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


class Scanner:
    """Turns the language layer into :class:`Sentence` facts in one pass."""

    def __init__(
        self,
        layer: LanguageLayer,
        text: str,
        *,
        quotes: Sequence[tuple[int, int]],
        flashbacks: Sequence[tuple[int, int]],
        paragraphs: Sequence[int],
        mentions: Sequence[MentionRef],
        genders: Mapping[str, Gender],
        lookup: Callable[[str], list[str]] = lambda surface: [],
        trusted: frozenset[str] = frozenset(),
    ) -> None:
        self.layer = layer
        self.text = text
        self.quotes = Cursor(quotes)
        self.flashbacks = Cursor(flashbacks)
        self.paragraphs = paragraphs
        self.mentions = {m.start: m for m in mentions if not m.in_quote}
        self.genders = genders
        self.lookup = lookup
        self.trusted = trusted
        self._named: dict[str, list[str]] = {}
        self._paragraph = -1
        self._last_subject: str | None = None

    def run(self) -> list[Sentence]:
        out: list[Sentence] = []
        for chunk in self.layer.chunks:
            base = chunk.start
            for sent in chunk.doc.sents:
                facts = self._sentence(sent, base)
                if facts is not None:
                    out.append(facts)
        return out

    # ------------------------------------------------------------------ sentence

    def _sentence(self, sent: Any, base: int) -> Sentence | None:
        start = base + sent.start_char
        end = base + sent.end_char
        first = next((t for t in sent if not t.is_space), None)
        if first is None:
            return None
        start = base + first.idx
        paragraph = index_of(self.paragraphs, start)
        if paragraph != self._paragraph:
            self._paragraph, self._named, self._last_subject = paragraph, {}, None
        s = Sentence(start=start, end=end, paragraph=paragraph)
        thinker = self._last_subject
        s.flashback = self.flashbacks.inside(start)
        quoted: set[int] = set()
        for tok in sent:
            offset = base + tok.idx
            if self.quotes.inside(offset):
                quoted.add(tok.i)
                continue
            if tok.is_space or tok.is_punct:
                if tok.text == "?":
                    s.question = True
                continue
            s.words += 1
            self._token(tok, offset, s)
        self._main_clause(sent, base, quoted, s)
        if s.question and not quoted:
            # A question in the narration is a thought rendered: whose? The paragraph's
            # latest subject before it ("She taps the table. Why is it late?"); its own
            # subject is what the thought is about.
            self._last_subject = thinker
            if thinker and s.words >= 2:
                s.cues.append(Cue(thinker, W_INNER, start, end, "thought: ?"))
        if not s.perfect:
            s.backstory = bool(lx.BACKSTORY.search(self.text, start, end))
        else:
            s.backstory = True
        return s

    def _token(self, tok: Token, offset: int, s: Sentence) -> None:
        span = (offset, offset + len(tok.text), tok.text)
        lower = tok.lower_
        if lower == "now":
            s.now = True
        if tok.pos_ in ("PRON", "DET"):
            if lower in lx.FIRST_PERSON and not (lower == "us" and tok.text == "US"):
                s.first.append(span)
            elif lower in lx.SECOND_PERSON:
                s.second.append(span)
            elif lower in lx.THIRD_PERSON:
                s.third.append(span)
        if tok.pos_ in ("VERB", "AUX"):
            t = verb_tense(tok)
            if t == "present" and tok.tag_ != "MD":
                s.present.append(span)
            elif t == "past":
                s.past.append(span)
            if _is_perfect(tok):
                s.perfect = True
        if lower in lx.IDIOMS:
            self._idiom(tok, s)
        mention = self.mentions.get(offset)
        if mention is not None:
            self._cue(tok, offset, mention, s)

    def _main_clause(self, sent: Any, base: int, quoted: set[int], s: Sentence) -> None:
        root = sent.root
        if root.i in quoted:
            return
        verbs = [root] + [
            c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
        ]
        for verb in verbs:
            t = _clause_tense(verb)
            if t is not None:
                s.main.add(t)
        s.present_perfect = root.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.lower_ in ("have", "has", "'ve", "'s") for c in root.children
        )
        s.main_span = (base + root.idx, base + root.idx + len(root.text))
        finite = [root, *(c for c in root.children if c.dep_ in ("aux", "auxpass"))]
        s.main_tag = next((t.tag_ for t in finite if verb_tense(t) is not None), root.tag_)
        s.main_text = root.text
        subject = _subject_of(root)
        s.subject = subject.lower_ if subject is not None else ""
        s.subject_character = subject is not None and (
            s.subject in lx.NARRATION_SUBJECTS or base + subject.idx in self.mentions
        )
        s.reported = root.lemma_.lower() in lx.COGNITION and any(
            c.dep_ in ("ccomp", "xcomp") for c in root.children
        )

    # ------------------------------------------------------------------ viewpoint

    def _resolve(self, mention: MentionRef) -> tuple[str | None, bool]:
        """The mention's character and whether that is sure; a he/she after the
        paragraph's only named character of that gender is that character, whatever
        coreference said."""
        cid = mention.character
        if mention.kind == "name":
            if cid:
                g = self.genders.get(cid, "unknown")
                named = self._named.setdefault(g, [])
                if cid not in named:
                    named.append(cid)
            return cid, True
        if mention.pronoun in ("male", "female"):
            named = self._named.get(mention.pronoun, [])
            if len(named) == 1:
                return named[0], True
        return cid, False

    def _cue(self, tok: Token, offset: int, mention: MentionRef, s: Sentence) -> None:
        cid, sure = self._resolve(mention)
        if not cid:
            return
        end = offset + len(tok.text)
        head = tok.head
        if tok.dep_ in SUBJECTS:
            verbs = [head] + [
                c for c in head.children
                if c.dep_ == "conj" and not any(g.dep_ in SUBJECTS for g in c.children)
            ]  # fmt: skip
            thinking = [
                v for v in verbs if v.lemma_.lower() in lx.COGNITION and not _counterfactual(v)
            ]
            feeling = [
                c for c in head.children if c.dep_ == "acomp" and c.lemma_.lower() in lx.FEELINGS
            ]
            if thinking:
                cue = f"{tok.text} {thinking[0].text}"
                s.cues.append(Cue(cid, W_COGNITION, offset, end, cue, sure))
            elif feeling:
                s.cues.append(Cue(cid, W_INNER, offset, end, f"{tok.text} {feeling[0].text}"))
            else:
                main = head.dep_ == "ROOT" or (head.dep_ == "conj" and head.head.dep_ == "ROOT")
                weight = W_SUBJECT if main else W_EMBEDDED
                s.cues.append(Cue(cid, weight, offset, end, f"subject: {tok.text}"))
            self._last_subject = cid
        elif tok.dep_ == "poss" and (
            (head.lower_ in lx.INNER and not _possessed(head))
            or (head.lower_ in lx.SENSES and head.dep_ in SUBJECTS)
        ):
            s.cues.append(Cue(cid, W_INNER, offset, end, f"{tok.text} {head.text}"))
        else:
            s.cues.append(Cue(cid, W_OTHER, offset, end, f"mention: {tok.text}"))

    def _idiom(self, noun: Token, s: Sentence) -> None:
        """ "He swears under her breath": the possessor must be the subject."""
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if poss is None or poss.lower_ not in ("his", "her"):
            return
        gov = noun.head
        verb = gov.head if gov.pos_ == "ADP" else gov
        keys = {gov.lower_, verb.lemma_.lower()}
        if not keys & lx.IDIOMS[noun.lower_]:
            return
        if noun.lower_.startswith("lip") and lx.KISSING.search(noun.sent.text):
            return
        if any(c.dep_ == "dobj" and c.i != noun.i for c in verb.children):
            return  # "she got him to his feet": the object is the possessor
        subject = _subject_of(verb)
        if subject is None:
            return
        subject_gender = self._gender_of(subject)
        possessive_gender = "male" if poss.lower_ == "his" else "female"
        if subject_gender in ("male", "female", "first") and subject_gender != possessive_gender:
            base = self.layer.offset_of(noun.doc)
            lo = base + min(subject.idx, poss.idx)
            hi = base + noun.idx + len(noun.text)
            phrase = (
                self.text[base + poss.idx : hi]
                if gov.pos_ != "ADP"
                else (self.text[base + gov.idx : hi])
            )
            s.idioms.append(Idiom(lo, hi, subject.text, poss.text, phrase, subject_gender))

    def _gender_of(self, subject: Token) -> str:
        """A subject's gender: its pronoun, or the gender of the character it names."""
        lower = subject.lower_
        if lower in lx.MALE:
            return "male"
        if lower in lx.FEMALE:
            return "female"
        if lower == "i":
            return "first"
        base = self.layer.offset_of(subject.doc)
        for tok in (subject, *subject.lefts):  # "Rory Gilmore": the mention starts at "Rory"
            mention = self.mentions.get(base + tok.idx)
            if mention is not None and mention.character:
                # Trust a name's gender only when it is canon knowledge or given by the
                # caller, and every character the name can denote agrees: a gender
                # guessed from the text can be wrong ("Darcy" read as a woman's name).
                owners = {*self.lookup(mention.text), mention.character}
                if not owners <= self.trusted:
                    return "unknown"
                genders = {self.genders.get(c, "unknown") for c in owners}
                return str(genders.pop()) if len(genders) == 1 else "unknown"
        return "unknown"
