"""The first-person narrator: is there one, and what is their name?

A text is first-person when "I/me/my" outside quotations is a large share of its personal
pronouns. The name comes from the paratext ("This chapter is in Rory's POV") when declared,
else from the text (:func:`identify`): the narrator names themself ("my name is Pip", a
letter signed "Helen"), other people address them by name inside quotations, and the
narration itself rarely names them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from ficlens.characters.layer import MentionRef
from ficlens.characters.lexicon import SPEECH_VERBS
from ficlens.characters.names import QuoteIndex
from ficlens.language.chunking import blank_line_paragraphs, paragraph_breaks
from ficlens.language.layer import LanguageLayer

_POV = re.compile(
    r"\b(?:from\s+)?([A-Z][\w\u2019'-]*?)(?:['\u2019]s?)?\s+(?:POV|P\.O\.V\.?|point of view"
    r"|perspective)\b|\bPOV\s*[:\-\u2013\u2014]\s*([A-Z][\w'-]*)"
)


def is_first_person(mentions: Sequence[MentionRef]) -> bool:
    """First person outside quotes makes up at least a quarter of narration pronouns (a
    first-person narrator telling other people's story says "he" and "she" a lot)."""
    narration = [m for m in mentions if m.kind == "pronoun" and not m.in_quote]
    first = sum(1 for m in narration if m.pronoun == "first")
    third = sum(1 for m in narration if m.pronoun in ("male", "female"))
    return first >= 3 and first >= 0.25 * (first + third)


def declared_pov_names(paratexts: Iterable[str]) -> list[str]:
    """Names declared as the viewpoint in notes or summaries, in order of appearance."""
    names: list[str] = []
    for text in paratexts:
        for m in _POV.finditer(text):
            name = m.group(1) or m.group(2)
            if name and name.lower() not in ("my", "first", "third", "second", "the", "a"):
                names.append(name)
    return names


def addressed_most(mentions: Sequence[MentionRef]) -> str | None:
    """The character named most inside quotations relative to narration (the narrator is
    "I" in narration, but other characters call them by name)."""
    inside: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for m in mentions:
        if m.kind == "name" and m.character:
            (inside if m.in_quote else outside)[m.character] += 1
    scored = {c: n - 2 * outside[c] for c, n in inside.items()}
    best = max(scored.items(), key=lambda kv: (kv[1], kv[0]), default=None)
    return best[0] if best and best[1] >= 1 else None


#: Narration or speech in which the narrator names themself: "my name is Pip", "I, Pip",
#: "I was called Pip", "I called myself Pip" (the name follows directly).
_SELF_NAMING = re.compile(
    r"(?:\bmy\s+name\s+(?:is|was)|\bI\s+am|\bI['\u2019]m|\b(?:I\s+was|to\s+be)\s+called"
    r"|\bcall(?:ed)?\s+me|\bnamed\s+me|\bcalled\s+myself|\bI,|\bme,)\s*$",
    re.IGNORECASE,
)
_VOCATIVE_BEFORE = re.compile(r"(?:^|[,\u201c\u2018\"'\u2014(!?]|\b[Oo]h?|--)\s*$")
_VOCATIVE_AFTER = re.compile(r"\s*(?:[,!?;]|\.(?!\w)|--|\u2014|$)")


#: The narration naming its narrator in apposition ("I, Allan Quatermain, of Durban";
#: "Me--I, Sallie McBride, the head") or outright ("my name is Pip").
_SELF_NAME = re.compile(
    r"\bI,\s+((?:[A-Z][\w\u2019'-]+\s+){0,2}[A-Z][\w\u2019'-]+),"
    r"|\bmy\s+name\s+(?:is|was)\s+([A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+)?)"
)


def self_names(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, str]]:
    """Names the text gives its "I" within ``spans``, with their offsets (the caller drops
    those inside quotations, where "I" is a speaker)."""
    out: list[tuple[int, str]] = []
    for start, end in spans:
        for m in _SELF_NAME.finditer(text, start, end):
            name = " ".join((m.group(1) or m.group(2)).split())
            if is_proper(name):
                out.append((m.start(), name))
    return out


def is_proper(surface: str) -> bool:
    """A name proper enough to be a narrator's: capitalised, not a bare pronoun."""
    words = surface.split()
    return bool(words) and words[-1][:1].isupper() and surface.lower() not in ("i", "me")


#: How a quotation naming someone was met: the narrator said it ("'Mr. Heathcliff?' I
#: said"), the narrator answered it ("I lit my pipe before answering"), someone else
#: answered it ("'That's my principle, too,' said my uncle"), or not known (None).
Exchange = Literal["narrator said", "narrator answered", "other answered"]
#: The exchange of the quotation holding an offset.
Answerer = Callable[[int], Exchange | None]

#: A vocative's weight as evidence that it names the narrator, by its exchange.
VOCATIVE_WEIGHT: dict[Exchange | None, float] = {
    "narrator answered": 2.0,
    None: 1.0,
    "narrator said": 0.0,
    "other answered": 0.0,
}
#: A quotation that is a name alone: said by the narrator it is the narrator's own name
#: ('"Yes," I said, "Jonathan Harker."'); else a call, an answer or a label, weak evidence.
_NAME_ALONE = re.compile(r"[\"'\u201c\u2018]\s*$")
_NAME_ALONE_AFTER = re.compile(r"[.!?,;:]*[\"'\u201d\u2019]")
#: A quotation opening with a name in apposition to "your ...": the speaker introducing
#: themself ("'Mr. Lockwood, your new tenant, sir.'"), where a vocative goes on with a verb
#: ("'Jack, your tea is cold.'").
_INTRODUCTION = re.compile(r",\s+your(?:\s+[\w-]+){1,3}\s*[,.!;]")


def identify(
    mentions: Sequence[MentionRef],
    text: str,
    exclude: Iterable[str] = (),
    exchange: Answerer | None = None,
    sentence_starts: Sequence[int] = (),
) -> str | None:
    """The named character who is the first-person narrator, or None.

    Evidence, strongest first: the narrator names themself ("my name was Pip", "I, Sallie",
    a letter signed with the name alone on its line, a quoted name alone that "I" said);
    other people call the narrator by name (a vocative inside a quotation: "Come here,
    Pip."), the more so when "I" answers it and not at all when someone else does ("Am I
    right, Jack?" / "said my uncle") or the narrator says it; the narration itself names the
    narrator rarely, so each narration sentence naming them (not self-naming) counts against
    once ("Allan Quatermain, commonly called Hunter Quatermain" is one naming).
    """
    skip = set(exclude)
    score: dict[str, float] = {}
    self_named: Counter[str] = Counter()
    struck: set[tuple[str, int]] = set()
    for m in mentions:
        c = m.character
        if m.kind != "name" or not c or c in skip or not is_proper(m.text):
            continue
        before = text[max(0, m.start - 40) : m.start]
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        alone = not text[line_start : m.start].strip() and not text[m.end : line_end].strip(
            " .,;!-\t"
        )
        signature = alone and not m.in_quote and not m.text.isupper()  # not a heading
        opens = m.in_quote and bool(_NAME_ALONE.search(before))
        name_alone = opens and bool(_NAME_ALONE_AFTER.match(text, m.end))
        vocative = (
            m.in_quote
            and not name_alone
            and bool(
                _VOCATIVE_BEFORE.search(before) and _VOCATIVE_AFTER.match(text[m.end : m.end + 3])
            )
        )
        # how the quotation was met, read only where it weighs (a parse walk per call)
        said = exchange(m.start) if exchange and (name_alone or vocative) else None
        if (
            _SELF_NAMING.search(before)
            or signature
            or (opens and _INTRODUCTION.match(text, m.end))
            or (name_alone and said == "narrator said")
        ):
            self_named[c] += 1
            score[c] = score.get(c, 0.0) + 3.0
        elif m.in_quote:
            score[c] = score.get(c, 0.0) + (VOCATIVE_WEIGHT[said] if vocative else 0.25)
        elif (c, where := _sentence(sentence_starts, m.start)) not in struck:
            struck.add((c, where))
            score[c] = score.get(c, 0.0) - 0.5
    best = max(score.items(), key=lambda kv: (kv[1], self_named[kv[0]], kv[0]), default=None)
    return best[0] if best and best[1] >= 1.0 else None


def _sentence(starts: Sequence[int], offset: int) -> int:
    """The index of the sentence holding ``offset``; without sentences, the offset."""
    return bisect_right(starts, offset) if starts else offset


#: How far around a quotation a speech tag belongs to it (characters).
TAG_REACH = 80


def answerer(
    text: str, story: Sequence[tuple[int, int]], layer: LanguageLayer, quotes: QuoteIndex
) -> Answerer:
    """The exchange of the quotation at an offset, read from speech tags (subjects of
    speech verbs outside quotations) next to it and in the next paragraph, and from a next
    paragraph that opens with "I"."""
    blank = blank_line_paragraphs(text)
    starts = sorted(
        {s for s, _ in story}
        | {b for s, e in story for b in paragraph_breaks(text, s, e, blank_lines=blank)}
    )

    def tags(start: int, end: int) -> list[str]:
        """The subjects of the speech verbs outside quotations in ``[start, end)``; a
        pronoun other than "I" as "he" (it may be the same speaker going on)."""
        chunk = layer.chunk_at(start)
        span = layer.span(start, min(end, chunk.end)) if chunk else None
        return [
            t.lower_ if t.pos_ != "PRON" or t.lower_ == "i" else "he"
            for t in span or ()
            if t.dep_ == "nsubj"
            and t.head.lemma_ in SPEECH_VERBS
            and not quotes.contains(layer.token_offsets(t)[0])
        ]

    def who(offset: int) -> Exchange | None:
        q = bisect_right(quotes.starts, offset) - 1
        if q < 0 or offset >= quotes.spans[q][1]:
            return None
        qs, qe = quotes.spans[q]
        i = bisect_right(starts, offset)
        own = tags(
            max(starts[i - 1] if i else 0, qs - TAG_REACH),
            min(qe + TAG_REACH, starts[i] if i < len(starts) else len(text)),
        )
        if "i" in own:
            return "narrator said"
        if i >= len(starts):
            return None
        nxt = starts[i]
        after = tags(nxt, starts[i + 1] if i + 1 < len(starts) else len(text))
        if "i" in after or re.match(r"\s*I\b", text[nxt : nxt + 3]):
            return "narrator answered"
        named = [t for t in after if t not in own and t != "he"]
        return "other answered" if named and quotes.contains(nxt) else None

    return who
