"""Quotation detection over plain text: find every quoted span and say whether it is speech.

The dominant convention is decided first (``convention.py``), then the marks of that family
are paired paragraph by paragraph (``marks.py``, ``dashes.py``), and finally each piece gets
its speech flag and utterance group (``speech.py``). Pure string work, no spaCy: a novel
takes well under a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ficlens.dialogue.asides import split_asides
from ficlens.dialogue.convention import detect_convention
from ficlens.dialogue.dashes import dash_pieces
from ficlens.dialogue.letters import letter_paragraphs, written_cue, written_tag
from ficlens.dialogue.marks import (
    DOUBLE,
    GUILLEMETS,
    GUILLEMETS_REVERSED,
    SINGLE,
    Piece,
    pair_marks,
)
from ficlens.dialogue.paragraphs import paragraphs
from ficlens.dialogue.speech import (
    hypothetical,
    hypothetical_tag,
    is_speech,
    named,
    same_utterance,
    tag_may_follow,
)

QUOTE_CHARS = "\"'“”‘’„«»‹›—―–-"
"""Marks stripped from a span's edges to get its inner words (dashes open dash dialogue)."""


@dataclass(frozen=True)
class QuoteSpan:
    """One contiguous quoted span; ``start``/``end`` include its marks when present."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    speech: bool
    group: int
    paragraph: int
    opened: bool
    closed: bool


@dataclass(frozen=True)
class QuoteResult:
    """The document's dominant convention and its quotes in text order."""

    convention: str
    quotes: list[QuoteSpan]


def find_quotes(text: str, spans: Sequence[tuple[int, int]] | None = None) -> QuoteResult:
    """Quoted spans of ``text`` (within ``spans`` when given; a quote never crosses one).

    ``paragraph`` counts the paragraphs of the searched regions in text order.
    """
    paras = paragraphs(text, spans)
    if not paras:
        return QuoteResult("none", [])
    convention, reversed_guillemets = detect_convention(text, paras)
    if convention == "dash":
        pieces = dash_pieces(text, paras)
    elif convention in ("single", "curly_single"):
        pieces = pair_marks(text, paras, SINGLE)
    elif convention == "guillemets":
        pieces = pair_marks(text, paras, GUILLEMETS_REVERSED if reversed_guillemets else GUILLEMETS)
    else:
        pieces = pair_marks(text, paras, DOUBLE)
    return QuoteResult(convention, _finish(text, paras, split_asides(text, pieces)))


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    s, e = start, end
    while s < e and (text[s].isspace() or text[s] in QUOTE_CHARS):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in QUOTE_CHARS):
        e -= 1
    if s == e:  # a span of marks only: keep an empty inner at its middle
        s = e = (start + end) // 2
    return s, e


def _indent(text: str, start: int) -> int:
    line = text.rfind("\n", 0, start) + 1
    return start - line if not text[line:start].strip() else 0


def _set_off(text: str, paras: Sequence[tuple[int, int, int]]) -> set[int]:
    """Paragraphs indented deeper than the text's usual paragraph: letters, verse, epigraphs.

    A quote there is quoted material, not a line of dialogue.
    """
    indents = [_indent(text, p[0]) for p in paras]
    usual = Counter(indents).most_common(1)[0][0]
    return {k for k, x in enumerate(indents) if x >= usual + 2}


def _titles(text: str, paras: Sequence[tuple[int, int, int]]) -> set[int]:
    """Quoted chapter titles: an all-capitals paragraph under a heading line (``XII``).

    Neither line has a lowercase letter or a ``!``/``?`` (a shout has one), and the heading
    no quotation mark.
    """
    out: set[int] = set()
    for k in range(1, len(paras)):
        (hs, he, _), (s, e, _) = paras[k - 1], paras[k]
        heading, title = text[hs:he], text[s:e]
        if he - hs > 60 or e - s > 80 or title.lstrip()[:1] not in QUOTE_CHARS:
            continue
        if not any(c.islower() or c in "!?" for c in heading + title) and not any(
            c in QUOTE_CHARS for c in heading
        ):
            out.add(k)
    return out


def _lead(text: str, start: int, para: tuple[int, int], previous: tuple[int, int] | None) -> str:
    """The narration just before a quote: in its paragraph, or, when the quote opens its
    paragraph, the end of the paragraph before (``…the following telegram:``)."""
    lead = text[max(para[0], start - 60) : start]
    if not lead.strip() and previous is not None:
        lead = text[max(previous[0], previous[1] - 60) : previous[1]]
    return lead


def _finish(
    text: str, paras: Sequence[tuple[int, int, int]], pieces: list[Piece]
) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    unspoken: set[int] = set()  # utterances a tag after a piece calls written or unsaid
    group = -1
    set_off = _set_off(text, paras) | letter_paragraphs(text, paras) | _titles(text, paras)
    prev: Piece | None = None
    for p in pieces:
        inner_start, inner_end = _inner(text, p.start, p.end)
        inner = text[inner_start:inner_end]
        if prev is None:
            group += 1
        elif p.continues or (
            prev.para == p.para
            and prev.closed
            and same_utterance(text[prev.start : prev.end], text[prev.end : p.start])
        ):
            pass
        elif not p.opened and prev.para == p.para:
            pass  # resumed after a tag in dash dialogue or a stage direction
        else:
            group += 1
        para = paras[p.para][:2]
        speech = p.para not in set_off and is_speech(text, para, p.start, p.end, inner)
        if speech and p.opened:
            lead = _lead(text, p.start, para, paras[p.para - 1][:2] if p.para > 0 else None)
            # both cues end in a word, a comma, a colon or a dash, never a sentence's end
            if lead.rstrip()[-1:] not in ("", ".", "!", "?", '"', "”", "’", "'"):
                own = text[max(para[0], p.start - 60) : p.start]  # words are named in-line
                speech = not (written_cue(lead) or hypothetical(lead) or named(own))
        after = text[p.end : min(para[1], p.end + 40)]
        if tag_may_follow(text[p.start : p.end], after) and (
            written_tag(after) or hypothetical_tag(after)
        ):
            unspoken.add(group)
        out.append(
            QuoteSpan(
                start=p.start,
                end=p.end,
                inner_start=inner_start,
                inner_end=inner_end,
                speech=speech,
                group=group,
                paragraph=p.para,
                opened=p.opened,
                closed=p.closed,
            )
        )
        prev = p
    # the tag speaks for its whole utterance: '"Dear Jo," she wrote, "come home."'
    return [replace(q, speech=False) if q.group in unspoken else q for q in out]
