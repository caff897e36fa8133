"""Speaker and addressee attribution: a deterministic sieve over quotation groups.

Order of the sieve, surest first:
1. a speech tag naming a character ("said Rory") → explicit;
2. a speech tag with a pronoun ("she said"), the pronoun resolved among the conversation's
   participants of that gender (coreference as a fallback), "I" outside quotes → the
   narrator → anaphoric;
3. an action beat in the quotation's paragraph (He frowns. "…");
4. untagged turn-taking: the person the previous quotation addressed by name, else the
   speaker of quotation n−2 while two people alternate, else the other participant.
A conversation is reset by a scene break or a long stretch of narration. Addressees are
the vocatives inside the quotation, else whom its tag speaks to ("she said to Ada"), else
the other side of the exchange.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ficlens.characters import CharacterLayer, MentionRef
from ficlens.characters.nominals import noun_gender
from ficlens.dialogue.decode import decode as decode_speakers
from ficlens.dialogue.decode import observed, ranked
from ficlens.dialogue.features import TurnContext, candidates, features
from ficlens.dialogue.layout import Paragraphs
from ficlens.dialogue.quotes import QUOTE_CHARS
from ficlens.dialogue.ranker import SpeakerModel, shipped_model
from ficlens.dialogue.style import TurnWords
from ficlens.dialogue.tags import Position, Tag, find_tag
from ficlens.language.layer import LanguageLayer
from ficlens.model import QuoteType

#: Paragraphs of narration without speech after which a conversation is over.
CONVERSATION_GAP = 3


class QuoteLike(Protocol):
    """What attribution needs of a detected quotation (``dialogue.quotes.QuoteSpan``)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def speech(self) -> bool: ...
    @property
    def group(self) -> int: ...


@dataclass
class Attribution:
    """The answer for one quotation group; ``rule`` names the sieve step that decided."""

    speaker: str | None = None
    addressees: list[str] = field(default_factory=list)
    type: QuoteType | None = None
    rule: str = "none"
    confidence: float = 0.0
    tag: Tag | None = None
    vocatives: list[str] = field(default_factory=list)
    #: names the quotation opens or closes on but speaks about ("Cal's taxi", "your Cal",
    #: "Cal?" asked back): like vocatives, seldom the speaker's own, but nobody's addressee
    spoken_about: list[str] = field(default_factory=list)


@dataclass
class Turn:
    """One utterance (all pieces of a quote group) and what the sieve found for it."""

    pieces: list[QuoteLike]
    first_paragraph: int
    last_paragraph: int
    answer: Attribution = field(default_factory=Attribution)
    conversation: int = 0
    candidates: list[str] = field(default_factory=list)  # the ranker's, once it has run

    @property
    def group(self) -> int:
        return self.pieces[0].group

    def context(self) -> TurnContext:
        """The sieve's findings in the form the ranker's features read."""
        tag = self.answer.tag
        mention = tag.mention if tag else None
        return TurnContext(
            start=self.pieces[0].start,
            end=self.pieces[-1].end,
            paragraph=self.first_paragraph,
            tag_character=tag.character if tag else None,
            tag_kind=tag.kind if tag else None,
            tag_pronoun=mention.pronoun if mention else None,
            tag_is_speech=bool(tag and tag.speech_verb),
            vocatives=tuple(self.answer.vocatives),
            sieve_speaker=self.answer.speaker,
            tag_noun=tag.noun if tag and tag.speech_verb and not tag.character else None,
            tag_noun_gender=noun_gender(tag.noun) if tag and tag.noun else None,
            tag_objects=tag.objects if tag else (),
            tag_verb=tag.verb if tag and tag.speech_verb else None,
        )


def group_quotes(quotes: Sequence[QuoteLike], paragraphs: Paragraphs) -> list[Turn]:
    """Speech quotations gathered into turns (the pieces of one utterance)."""
    turns: list[Turn] = []
    by_group: dict[int, Turn] = {}
    for q in quotes:
        if not q.speech:
            continue
        p = paragraphs.index(q.start)
        turn = by_group.get(q.group)
        if turn is None:
            turn = by_group[q.group] = Turn([q], p, p)
            turns.append(turn)
        else:
            turn.pieces.append(q)
            turn.last_paragraph = p
    return turns


#: Sieve rules sure enough that the ranker does not overrule them: a named speech tag,
#: "I said" outside quotations, and an action beat whose subject is a name (held out on
#: PDNC the sieve is right on 83% of those, the ranker was on 75%).
SURE_RULES = frozenset({"tag_name", "tag_narrator", "beat_name"})


def sieve(
    text: str,
    quotes: Sequence[QuoteLike],
    layer: LanguageLayer,
    characters: CharacterLayer,
    paragraphs: Paragraphs,
    scene_starts: Sequence[int],
) -> list[Turn]:
    """Run the deterministic sieve; every turn gets an answer, a rule and a conversation."""
    turns = group_quotes(quotes, paragraphs)
    starts = sorted(q.start for q in quotes)
    ends = sorted(q.end for q in quotes)
    for i, turn in enumerate(turns):
        ans = turn.answer
        asked = i > 0 and _asks_who(text, turns[i - 1], turn)
        ans.vocatives, ans.spoken_about = _vocatives(text, turn, characters, layer, asked)
        ans.tag = find_tag(text, layer, characters, _regions(text, turn, paragraphs, starts, ends))
    conversation: list[Turn] = []
    number = 0
    for i, turn in enumerate(turns):
        if i and _new_conversation(turns[i - 1], turn, scene_starts):
            conversation = []
            number += 1
        turn.conversation = number
        following = turns[i + 1] if i + 1 < len(turns) else None
        if following is not None and _new_conversation(turn, following, scene_starts):
            following = None
        _decide(turn, conversation, following, characters)
        conversation.append(turn)
    return turns


def turn_words(text: str, turns: Sequence[Turn]) -> TurnWords:
    """The words of every turn (all its pieces), for the speech-profile features."""
    return TurnWords([" ".join(text[q.start : q.end] for q in t.pieces) for t in turns])


def ranker_rows(
    words: TurnWords, turns: Sequence[Turn], characters: CharacterLayer, skip_sure: bool = False
) -> list[tuple[list[str], list[list[float]]]]:
    """Candidates and feature rows for every turn (built from the turns' current answers:
    the sieve's, or an earlier ranker pass's); with ``skip_sure``, none for the turns the
    ranker never re-decides (training still learns from theirs)."""
    contexts = [t.context() for t in turns]
    profiles = words.profiles([t.answer.speaker for t in turns])
    global_counts: dict[str, int] = {c.id: c.mention_count for c in characters.characters}
    for m in characters.mentions:
        if m.character and not global_counts.get(m.character):
            global_counts[m.character] = global_counts.get(m.character, 0) + 1
    out: list[tuple[list[str], list[list[float]]]] = []
    for i, turn in enumerate(turns):
        if skip_sure and turn.answer.rule in SURE_RULES:
            out.append(([], []))
            continue
        conv = turn.conversation
        prev = [
            c
            for t, c in zip(turns[max(0, i - 3) : i], contexts[max(0, i - 3) : i], strict=True)
            if t.conversation == conv
        ]
        nxt = [
            c
            for t, c in zip(turns[i + 1 : i + 3], contexts[i + 1 : i + 3], strict=True)
            if t.conversation == conv
        ]
        spoken = _speakers(turns[max(0, i - PARTICIPANT_REACH) : i], conv)
        chain = _noun_chain(contexts, i)
        neighbours = [c.sieve_speaker for c in (*prev, *nxt)] + [chain]
        later = _speakers(turns[i + 1 : i + 1 + PARTICIPANT_REACH], conv)
        cands = candidates(contexts[i], neighbours, characters, [*reversed(spoken), *later])
        parity = (_parity_anchor(turns, i, -1), _parity_anchor(turns, i, 1))
        tagged = (_parity_anchor(turns, i, -1, TAG_RULES), _parity_anchor(turns, i, 1, TAG_RULES))
        rows = features(
            contexts[i],
            prev,
            nxt,
            spoken,
            cands,
            characters,
            global_counts,
            parity,
            tagged,
            chain,
            later,
            {c: profiles.similarity(i, c) for c in cands},
        )
        out.append((cands, rows))
    return out


#: How many turns either way make a speaker a participant of this turn's conversation.
PARTICIPANT_REACH = 12


def _speakers(turns: Sequence[Turn], conversation: int) -> list[str]:
    """The answered speakers of those ``turns`` that belong to ``conversation``."""
    return [t.answer.speaker for t in turns if t.conversation == conversation and t.answer.speaker]


#: How far back (characters of text) a turn tagged with the same noun is the same person.
NOUN_CHAIN_REACH = 20000


def _noun_chain(contexts: Sequence[TurnContext], i: int) -> str | None:
    """The speaker of the nearest earlier turn whose tag used the same noun: a narrator who
    calls someone "the gentleman" keeps calling him that through the scene and beyond."""
    noun = contexts[i].tag_noun
    if noun is None:
        return None
    for j in range(i - 1, -1, -1):
        if contexts[i].start - contexts[j].end > NOUN_CHAIN_REACH:
            return None
        if contexts[j].tag_noun == noun and contexts[j].sieve_speaker:
            return contexts[j].sieve_speaker
    return None


#: How many turns away a named speaker still anchors the alternation of an exchange.
PARITY_REACH = 8


#: Rules that found a speech tag (name or pronoun): weaker parity anchors than names.
TAG_RULES = frozenset({"tag_name", "tag_narrator", "tag_pronoun"})


def _parity_anchor(
    turns: Sequence[Turn], i: int, step: int, rules: frozenset[str] = SURE_RULES
) -> str | None:
    """The speaker named by tag in the nearest turn an even number of turns away (in the
    same conversation): while two people alternate, turn i has that speaker again."""
    conv = turns[i].conversation
    for distance in range(2, PARITY_REACH + 1, 2):
        j = i + step * distance
        if not 0 <= j < len(turns) or turns[j].conversation != conv:
            return None
        if turns[j].answer.rule in rules:
            return turns[j].answer.speaker
    return None


def attribute(
    text: str,
    quotes: Sequence[QuoteLike],
    layer: LanguageLayer,
    characters: CharacterLayer,
    paragraphs: Paragraphs,
    scene_starts: Sequence[int],
    model: SpeakerModel | None = None,
) -> dict[int, Attribution]:
    """Attribute every speech quotation; returns an answer per quote group.

    The sieve decides first; the learned ranker (when a model is given or shipped)
    re-decides every turn the sieve was not sure of, and sets each confidence.
    """
    turns = sieve(text, quotes, layer, characters, paragraphs, scene_starts)
    model = model if model is not None else shipped_model()
    if model is not None:
        rank(text, turns, characters, model)
    else:
        for turn in turns:
            turn.answer.confidence = 0.5 if turn.answer.speaker else 0.0
    _fill_addressees(turns)
    return {t.group: t.answer for t in turns}


#: How often the ranker runs: each later pass reads the answers of the pass before (for
#: the neighbouring turns and the speech profiles) instead of the sieve's, with weights
#: fitted on such rows (``SpeakerModel.later_weights``). Held out, six passes beat two
#: on both PDNC and LitBank (figures in docs/training.md).
RANKER_PASSES = 6


def rank(text: str, turns: Sequence[Turn], characters: CharacterLayer, model: SpeakerModel) -> None:
    """Re-decide the turns the sieve was not sure of: the ranker's passes, then (when the
    model has decoder weights) the conversation decoder over the last pass's
    probabilities. ``training/speaker_passes.py`` replays this held out."""
    words = turn_words(text, turns)
    scored = _rank(words, turns, characters, model)
    for _ in range(RANKER_PASSES - 1):
        scored = _rank(words, turns, characters, model.later())
    if model.decoder:
        _decode(turns, scored, model)


def _rank(
    words: TurnWords, turns: Sequence[Turn], characters: CharacterLayer, model: SpeakerModel
) -> list[list[float] | None]:
    """Re-decide every turn the sieve was not sure of with the learned ranker; returns the
    candidates' probabilities of each turn it scored (None for the others)."""
    out: list[list[float] | None] = []
    for turn, (cands, rows) in zip(
        turns, ranker_rows(words, turns, characters, skip_sure=True), strict=True
    ):
        ans = turn.answer
        turn.candidates = cands
        out.append(None)
        if ans.rule in SURE_RULES or not cands:
            ans.confidence = model.rule_confidence.get(ans.rule, 0.5 if ans.speaker else 0.0)
            continue
        if len(cands) == 1:  # nobody to compare with: the softmax would say 1.0
            ans.speaker, ans.rule = cands[0], "single_candidate"
            ans.confidence = model.rule_confidence.get("single_candidate", 0.5)
            continue
        probs = out[-1] = model.probabilities(rows)
        best = max(range(len(cands)), key=probs.__getitem__)
        if cands[best] != ans.speaker:
            ans.speaker, ans.rule = cands[best], "ranker"
        ans.confidence = round(probs[best], 3)
    return out


def _decode(
    turns: Sequence[Turn], scored: Sequence[list[float] | None], model: SpeakerModel
) -> None:
    """Choose the speakers of each conversation together (``dialogue/decode.py``); turns
    the ranker did not score are observed, so sure tags are never changed."""
    steps = []
    for turn, probs in zip(turns, scored, strict=True):
        ans = turn.answer
        where = (turn.conversation, turn.first_paragraph, turn.last_paragraph)
        tagged = ans.tag is not None  # a speech tag or an action beat
        if probs is None:
            steps.append(observed(ans.speaker, *where, tagged))
        else:
            steps.append(ranked(turn.candidates, probs, *where, tagged))
    for turn, step, probs, k in zip(
        turns, steps, scored, decode_speakers(steps, model.decoder), strict=True
    ):
        speaker = step.speakers[k]
        if probs is None or speaker is None or speaker == turn.answer.speaker:
            continue
        turn.answer.speaker, turn.answer.rule = speaker, "conversation"
        turn.answer.confidence = round(probs[turn.candidates.index(speaker)], 3)


def _regions(
    text: str,
    turn: Turn,
    paragraphs: Paragraphs,
    starts: Sequence[int],
    ends: Sequence[int],
) -> list[tuple[Position, int, int]]:
    first, last = turn.pieces[0], turn.pieces[-1]
    regions: list[tuple[Position, int, int]] = []
    for a, b in zip(turn.pieces, turn.pieces[1:], strict=False):
        regions.append(("inside", a.end, b.start))
    _, p_end = paragraphs[turn.last_paragraph]
    nxt = bisect_left(starts, last.end)
    after_end = min(p_end, starts[nxt]) if nxt < len(starts) else p_end
    regions.append(("after", last.end, after_end))
    q_start, _ = paragraphs[turn.first_paragraph]
    prv = bisect_right(ends, first.start) - 1
    before_start = max(q_start, ends[prv]) if prv >= 0 else q_start
    regions.append(("before", before_start, first.start))
    if turn.first_paragraph > 0 and before_start == q_start:
        s, e = paragraphs[turn.first_paragraph - 1]
        ending = text[s:e].rstrip()[-1:]
        if ending in (":", ",", "\u2014", "-") or ending.isalnum():  # "…the Secretary said"
            k = bisect_right(ends, e) - 1
            regions.append(("colon", max(s, ends[k]) if k >= 0 else s, e))
    if turn.last_paragraph + 1 < len(paragraphs) and after_end == p_end:
        s, e = paragraphs[turn.last_paragraph + 1]
        if bisect_left(starts, s) == bisect_left(starts, e):  # narration only
            regions.append(("next", s, e))
    return regions


OPENERS = frozenset("\"'\u201c\u2018\u00ab\u00bb\u2014,(")
CLOSERS = frozenset(",.!?;\"'\u201d\u2019\u00bb\u00ab\u2014\u2026-")


#: Words after which a name is a form of address even without a comma ("Hey Rory").
VOCATIVE_LEADS = frozenset(
    {
        "hey",
        "hi",
        "hello",
        "bye",
        "goodbye",
        "thanks",
        "thank",
        "you",
        "oh",
        "ah",
        "yes",
        "yeah",
        "yea",
        "no",
        "okay",
        "ok",
        "well",
        "please",
        "sorry",
        "night",
        "morning",
        "listen",
        "look",
        "come",
        "on",
        "god",
        "damn",
        "it",
        "dammit",
        "wait",
        "stop",
    }
)
#: An endearment opening the quotation before a name: "My dear Mr. Bennet," is spoken to.
_ENDEARMENT = re.compile(
    r"(?:oh,?\s+)?(?:my\s+)?(?:dear|dearest|darling|good|sweet|poor|own)"
    r"(?:\s+(?:dear|good|sweet|little|old|young|own))*",
    re.IGNORECASE,
)

#: Words before a name that make it a phrase about someone ("the driver", "his Anne").
DETERMINERS = frozenset(
    {"the", "a", "an", "his", "her", "its", "their", "our", "your", "this", "that"}
)
_POSSESSIVE = re.compile(r"['\u2019]s\b")
VOCATIVE_ROLES = frozenset({"npadvmod", "intj", "appos", "ROOT", "dep", "vocative"})


def _vocatives(
    text: str, turn: Turn, characters: CharacterLayer, layer: LanguageLayer, asked: bool
) -> tuple[list[str], list[str]]:
    """Characters named like a vocative inside the quotation: a name set off by
    punctuation ("Rory, wait", "Thank you, Jess.", "Oh, Charlotte,"), or closing a clause
    after a greeting or in a role the parser gives forms of address ("Damn it Rory."), or
    after a common noun the parser took for part of the name ("Want some pie Rory?": the
    comma a careful writer would put before a vocative is missing); and, second, those of
    them the quotation speaks about rather than to (``_about``). A name alone that answers
    a question for a name (``asked``: "What is his name?" / "Bingley.") is no vocative."""
    out: list[str] = []
    about: list[str] = []
    edge = QUOTE_CHARS + " \n"
    for piece in turn.pieces:
        for m in characters.mentions_between(piece.start, piece.end):
            if m.kind != "name" or not m.character or m.character in out:
                continue
            head = text[piece.start : m.start].rstrip()
            before = head[-1:]
            rest = text[m.end : piece.end]
            after = rest.lstrip()[:1]
            closes = not after or after in CLOSERS
            if not closes or (asked and not head.strip(edge) and rest.strip(edge) in ".!"):
                continue
            lead = head.split()[-1].strip(",.!?\"'\u201c\u2018").lower() if head.split() else ""
            if (
                (not before or before in OPENERS)
                or lead in VOCATIVE_LEADS
                or _ENDEARMENT.fullmatch(head.strip(edge)) is not None
                or (m.role in VOCATIVE_ROLES)
                or _after_common_noun(layer, m.start)
            ):
                out.append(m.character)
                if _about(head, lead, rest):
                    about.append(m.character)
    return out, about


#: A question for a name: its last sentence asks who, or asks for a name.
_WHO = re.compile(r"\b(?:who|whom|whose|name)\b[^.!?]*\?\W*$", re.IGNORECASE)


def _asks_who(text: str, prev: Turn, turn: Turn) -> bool:
    """Whether ``prev``, the turn in the paragraph right before ``turn``, asks for a name."""
    if prev.last_paragraph + 1 != turn.first_paragraph:
        return False
    last = prev.pieces[-1]
    return _WHO.search(text, last.start, last.end) is not None


def _about(head: str, lead: str, rest: str) -> bool:
    """A name the quotation speaks about: a possessive ("Cal's taxi"), after a
    determiner ("your Cal", "the driver"), or alone and asked back ("Mr. Beebe?" after
    "Who told you?")."""
    edge = QUOTE_CHARS + " \n"
    echo = not head.strip(edge) and rest.strip(edge) == "?"
    return echo or lead in DETERMINERS or _POSSESSIVE.match(rest) is not None


def _after_common_noun(layer: LanguageLayer, offset: int) -> bool:
    """The name's token has a common noun as its compound modifier ("pie Rory"): no one
    is called that, so the noun ended its phrase and the name is spoken to."""
    token = layer.token_at(offset)
    return token is not None and any(
        child.dep_ == "compound"
        and child.pos_ == "NOUN"
        and child.text.islower()  # not a title: "Aunt Polly"
        and child.i == token.i - 1
        for child in token.lefts
    )


def _new_conversation(prev: Turn, turn: Turn, scene_starts: Sequence[int]) -> bool:
    gap = turn.first_paragraph - prev.last_paragraph - 1
    if gap >= CONVERSATION_GAP:
        return True
    a, b = prev.pieces[-1].end, turn.pieces[0].start
    return any(a <= s <= b for s in scene_starts)


def _decide(
    turn: Turn,
    conversation: Sequence[Turn],
    following: Turn | None,
    characters: CharacterLayer,
) -> None:
    ans = turn.answer
    tag = ans.tag
    recent = _participants(conversation)
    if tag is not None and tag.speech_verb:
        ans.type = "explicit" if tag.kind == "name" else "anaphoric"
        speaker = _tag_speaker(tag, turn, recent, characters)
        if speaker:
            rule = f"tag_{tag.kind}"
            if tag.mention and tag.mention.pronoun == "first" and speaker == characters.narrator:
                rule = "tag_narrator"  # "I said" outside quotations: as sure as a name
            ans.speaker, ans.rule = speaker, rule
            return
    elif tag is not None:
        speaker = _tag_speaker(tag, turn, recent, characters)
        if speaker and speaker not in ans.vocatives:
            ans.type = "implicit"
            ans.speaker, ans.rule = speaker, f"beat_{tag.kind}"
            return
    ans.type = ans.type or "implicit"
    speaker, rule = _turn_taking(turn, conversation, following, ans.vocatives)
    ans.speaker, ans.rule = speaker, rule


def _tag_speaker(
    tag: Tag,
    turn: Turn,
    recent: Sequence[str],
    characters: CharacterLayer,
) -> str | None:
    """The character a tag's subject refers to.

    A name is taken as it is. A pronoun goes to the nearest character of its gender that
    the narration mentioned before the quotation, among the conversation's speakers
    first; the person the quotation addresses by name, or the tag's verb speaks to ("he
    said to Rodney"), is never its speaker.
    """
    mention: MentionRef | None = tag.mention
    if mention is None:
        return None
    if mention.kind == "name" or mention.pronoun not in ("male", "female"):
        return mention.character
    vocatives = [*turn.answer.vocatives, *tag.objects]

    def fits(c: str) -> bool:
        return c not in vocatives and characters.gender(c) in (mention.pronoun, "unknown")

    nearby = [c for c in _recently_mentioned(characters, turn.pieces[0].start) if fits(c)]
    talking = [c for c in recent[:2] if fits(c)]
    if nearby:
        return nearby[0]
    if talking:
        return talking[0]
    if mention.character and fits(mention.character):
        return mention.character
    # nobody of that gender mentioned nearby: the most prominent one in the whole text
    ranked = sorted(characters.characters, key=lambda c: -c.mention_count)
    return next(
        (
            c.id
            for c in ranked
            if characters.gender(c.id) == mention.pronoun and c.id not in vocatives
        ),
        None,
    )


def _recently_mentioned(characters: CharacterLayer, before: int, span: int = 1500) -> list[str]:
    """Characters mentioned in narration shortly before ``before``, nearest first."""
    out: list[str] = []
    for m in reversed(characters.mentions_between(max(0, before - span), before)):
        if not m.in_quote and m.character and m.character not in out:
            out.append(m.character)
    return out


def _participants(conversation: Sequence[Turn]) -> list[str]:
    """Distinct speakers of the conversation, most recent first."""
    out: list[str] = []
    for turn in reversed(conversation):
        s = turn.answer.speaker
        if s and s not in out:
            out.append(s)
    return out


def _turn_taking(
    turn: Turn,
    conversation: Sequence[Turn],
    following: Turn | None,
    vocatives: Sequence[str],
) -> tuple[str | None, str]:
    """An untagged turn's speaker from the exchange around it.

    In order: the previous speaker again within one paragraph; the person the previous
    turn addressed by name; the person the next turn addresses by name ("Jess?" …
    "Rory?"); when this turn addresses someone, the latest other speaker; the speaker of
    turn n−2 while two people alternate.
    """
    if not conversation:
        return None, "none"
    prev = conversation[-1]
    prev_speaker = prev.answer.speaker
    if prev.last_paragraph == turn.first_paragraph and prev_speaker:
        return prev_speaker, "same_paragraph"
    addressed = [v for v in prev.answer.vocatives if v != prev_speaker and v not in vocatives]
    if addressed:
        return addressed[0], "vocative_reply"
    if following is not None:
        called = [v for v in following.answer.vocatives if v not in vocatives]
        if called and called[0] != prev_speaker:
            return called[0], "addressed_next"
    if vocatives:
        for earlier in reversed(conversation):
            s = earlier.answer.speaker
            if s and s not in vocatives:
                return s, "addresses_other"
    for earlier in reversed(conversation[:-1]):
        s = earlier.answer.speaker
        if s and s != prev_speaker and s not in vocatives:
            return s, "alternation"
    return None, "none"


def _fill_addressees(turns: Sequence[Turn]) -> None:
    """Whom each turn speaks to: the people it calls by name, else those its speech tag
    speaks to ("she said to Ada"), else the nearest other speaker of its conversation,
    looking back first (a reply answers the last one who spoke to its speaker) and then
    one turn ahead."""
    for i, turn in enumerate(turns):
        ans = turn.answer
        named = [v for v in ans.vocatives if v != ans.speaker and v not in ans.spoken_about]
        if not named and ans.tag is not None and ans.tag.speech_verb:
            named = [o for o in ans.tag.objects if o != ans.speaker]
        if named:
            ans.addressees = named
            continue
        back = range(i - 1, max(i - 1 - ADDRESSEE_REACH, -1), -1)
        other = _other_speaker(turns, i, back) or _other_speaker(turns, i, range(i + 1, i + 2))
        if other:
            ans.addressees = [other]


#: How many turns back the nearest other speaker may be the one spoken to.
ADDRESSEE_REACH = 3


def _other_speaker(turns: Sequence[Turn], i: int, order: Iterable[int]) -> str | None:
    """The first speaker other than turn ``i``'s among the turns ``order`` of its
    conversation."""
    me = turns[i].answer.speaker
    for j in order:
        if not 0 <= j < len(turns) or turns[j].conversation != turns[i].conversation:
            return None
        s = turns[j].answer.speaker
        if s and s != me:
            return s
    return None
