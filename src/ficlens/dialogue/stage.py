"""The two dialogue stages: ``quotes`` (detection) and ``dialogue`` (attribution).

Detection runs before the characters stage, which needs to know what is said inside
quotation marks (the narrator is "I" only outside them); attribution runs after it,
since it needs the character inventory and the resolved pronouns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ficlens.characters import CharacterLayer, MentionRef
from ficlens.dialogue.attribution import Attribution, attribute
from ficlens.dialogue.layout import Paragraphs
from ficlens.dialogue.quotes import QuoteResult, find_quotes
from ficlens.model import Quote
from ficlens.pipeline import Document


def _story(doc: Document) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in doc.analysis.segments if s.kind == "story")


class QuotesStage:
    """Fill ``analysis.quotes`` with spans (speakers come later) and keep the QuoteResult."""

    name = "quotes"
    requires: tuple[str, ...] = ("structure",)

    def run(self, doc: Document) -> None:
        result = find_quotes(doc.analysis.text, _story(doc))
        doc.layers["quotes"] = result
        doc.analysis.quotes = [
            Quote(start=q.start, end=q.end, speech=q.speech) for q in result.quotes
        ]


class DialogueStage:
    """Attribute speakers and addressees; count quotes and words spoken per character."""

    name = "dialogue"
    requires: tuple[str, ...] = ("quotes", "language", "characters")

    def run(self, doc: Document) -> None:
        a = doc.analysis
        result: QuoteResult = doc.layer("quotes")
        characters: CharacterLayer = doc.layer("characters")
        answers = attribute(
            a.text,
            result.quotes,
            doc.layer("language"),
            characters,
            Paragraphs(a.text, _story(doc)),
            [s.start for s in a.scenes],
        )
        quotes: list[Quote] = []
        for q in result.quotes:
            ans = answers.get(q.group) if q.speech else None
            quotes.append(_quote(q.start, q.end, q.speech, ans))
        a.quotes = quotes
        _count(doc, quotes, characters)


def _quote(start: int, end: int, speech: bool, ans: Attribution | None) -> Quote:
    if ans is None:
        return Quote(start=start, end=end, speech=speech)
    return Quote(
        start=start,
        end=end,
        speech=speech,
        speaker=ans.speaker,
        addressees=list(ans.addressees),
        type=ans.type,
        confidence=min(max(ans.confidence, 0.0), 1.0),
    )


def _count(doc: Document, quotes: list[Quote], characters: CharacterLayer) -> None:
    """Quote counts, words spoken, dialogue share, and I/you inside quotations."""
    a = doc.analysis
    turns: Counter[str] = Counter()
    words: Counter[str] = Counter()
    spoken = 0
    for q in quotes:
        if not q.speech:
            continue
        n = len(a.text[q.start : q.end].split())
        spoken += n
        if q.speaker:
            turns[q.speaker] += 1
            words[q.speaker] += n
    for c in a.characters:
        c.quote_count = turns.get(c.id, 0)
    a.stats.words_spoken = dict(words.most_common())
    if a.stats.words:
        a.stats.dialogue_share = round(min(spoken / a.stats.words, 1.0), 4)
    added = _quote_pronouns(quotes, characters)
    if added:
        a.mentions = sorted(
            [*a.mentions, *(m.to_model() for m in added)], key=lambda m: (m.start, m.end)
        )
        counts = Counter(m.character for m in added if m.character)
        for c in a.characters:
            c.mention_count += counts.get(c.id, 0)


def _quote_pronouns(quotes: list[Quote], characters: CharacterLayer) -> list[MentionRef]:
    """Inside a quotation "I" is its speaker and "you" its addressee: the one addressee, or
    of several the one who spoke last (a reply answers the last voice)."""
    out: list[MentionRef] = []
    spoke: dict[str, int] = {}  # character -> index of the last quotation they spoke
    for i, q in enumerate(quotes):
        if not q.speech or not q.speaker:
            continue
        listener = _listener(q, spoke)
        spoke[q.speaker] = i
        for m in characters.mentions_between(q.start, q.end):
            if m.kind != "pronoun" or m.character:
                continue
            if m.pronoun == "first" and m.text.lower() != "we":
                out.append(replace(m, character=q.speaker))
            elif m.pronoun == "second" and listener:
                out.append(replace(m, character=listener))
    return out


def _listener(q: Quote, spoke: dict[str, int]) -> str | None:
    """Whom the quotation's "you" means: its one addressee, or among several the one who
    spoke most recently before it (None when none of them has spoken)."""
    if len(q.addressees) == 1:
        return q.addressees[0]
    voices = [a for a in q.addressees if a in spoke and a != q.speaker]
    return max(voices, key=lambda a: spoke[a]) if voices else None
