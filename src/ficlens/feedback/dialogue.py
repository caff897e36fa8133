"""Dialogue punctuation around speech tags.

A tag (``he said``, ``Rory asked``, ``whined Rory``) continues the sentence of the line it
tags, so the line closes with a comma (or ? ! … —) and the tag starts in lower case:
``"Please don't cry." He said.`` → ``"Please don't cry," he said.`` Only clear speech
verbs count (see ``lexicon``): ``"Hi." She smiled.`` is a correct action beat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ficlens.feedback.context import Context, item
from ficlens.feedback.lexicon import NOT_A_NAME, SPEECH_VERB_FORMS, SUBJECT_PRONOUNS
from ficlens.model import Feedback, Quote

# The words right after a closing quotation mark, on the same line.
_AFTER = re.compile(
    r"[ \t]+(?P<first>[A-Za-z][a-z]*)(?:[ \t]+(?P<second>[A-Za-z][a-z]*))?"
    r"(?:[ \t]+(?P<third>[A-Za-z][a-z]*))?"
)
_OBJECT_AFTER_VERB = re.compile(
    r"[ \t]+(?:the|a|an|nothing|something|anything|no|some|this|that|these|those|it|so)\b"
)
"""An object after the verb makes a sentence of its own: "She said this after a pause."."""
_INTRODUCES_NEXT = re.compile(r"[^.!?\n\"“”]{0,40}[,:][ \t]*[\"“]")
_OPENING = "\"“'‘«"
_CLOSING = "\"”'’»"
"""Quotation marks; a quotation set off by a dash (``—Thanks, he said``) has no closing
mark, and its punctuation follows other conventions, so the tag rules leave it alone."""
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|etc|vs)|\.\.|\b[A-Z])\.$")
"""A full stop that belongs to a word ("Mr.", "etc.", an initial) or an ellipsis."""


@dataclass(frozen=True)
class _Tag:
    """A speech tag found after a quotation: where it is and how it should read."""

    start: int
    end: int
    words: list[str]

    def lowered(self) -> str:
        """The tag with its first word in lower case (a name or "I" keeps its capital)."""
        first, *rest = self.words
        if first.lower() in SUBJECT_PRONOUNS or first.lower() in SPEECH_VERB_FORMS:
            first = first.lower()
        return " ".join([first, *rest])

    @property
    def capitalised_wrongly(self) -> bool:
        first = self.words[0]
        return (
            first[0].isupper()
            and first != "I"
            and first.lower() != first
            and (first.lower() in SUBJECT_PRONOUNS or first.lower() in SPEECH_VERB_FORMS)
        )


def _is_name(word: str, offset: int, ctx: Context) -> bool:
    """A capitalised word that names someone: a known name, or a proper noun to spaCy."""
    if not word[0].isupper() or word in NOT_A_NAME or word.lower() in SUBJECT_PRONOUNS:
        return False
    if word.lower() in ctx.names:
        return True
    token = ctx.token(offset)
    return token is not None and token.pos_ == "PROPN"


def find_tag(ctx: Context, offset: int) -> _Tag | None:
    """A speech tag starting right after ``offset`` (the end of a quotation), or None.

    Recognised shapes: pronoun + verb ("he said"), name + verb ("Rory said", "Jess
    Mariano asked"), verb + pronoun or name ("said he", "whined Rory").
    """
    m = _AFTER.match(ctx.text, offset)
    if m is None:
        return None
    words = [w for w in (m.group("first"), m.group("second"), m.group("third")) if w]
    ends = [m.end("first"), m.end("second"), m.end("third")]
    first = words[0]
    at = m.start("first")
    if (
        len(words) >= 2
        and words[1].lower() in SPEECH_VERB_FORMS
        and (first.lower() in SUBJECT_PRONOUNS or first == "I" or _is_name(first, at, ctx))
    ):
        verb_end = ends[1]
        chosen = words[:2]
    elif (
        len(words) >= 3
        and words[2].lower() in SPEECH_VERB_FORMS
        and _is_name(first, at, ctx)
        and words[1][0].isupper()
        and words[1] not in NOT_A_NAME
    ):
        verb_end = ends[2]
        chosen = words[:3]
    elif (
        len(words) >= 2
        and first.lower() in SPEECH_VERB_FORMS
        and (words[1].lower() in SUBJECT_PRONOUNS or _is_name(words[1], m.start("second"), ctx))
    ):
        verb_end = ends[1]
        chosen = words[:2]
    else:
        return None
    if _OBJECT_AFTER_VERB.match(ctx.text, verb_end):
        return None  # "She answered the phone": an action, not a tag
    if _INTRODUCES_NEXT.match(ctx.text, verb_end):
        return None  # "Yes." She added, "I don't see why not.": the tag opens the next line
    return _Tag(at, verb_end, chosen)


_TAG_BEFORE = re.compile(
    r"(?:\b(?:[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e|[A-Z][a-z]+)[ \t]+(?:[a-z]+ly[ \t]+)?)"
    r"(?P<verb>[a-z]+)(?P<gap>[ \t]+)$"
)


def _comma_before(ctx: Context, q: Quote) -> Feedback | None:
    """``Tom muttered "Could we…"`` → ``Tom muttered, "Could we…"``."""
    text = ctx.text
    if text[q.start] not in _OPENING or not text[q.start + 1 : q.start + 2].isupper():
        return None
    if len(text[q.start : q.end].split()) < 2:
        return None
    line_start = max(text.rfind("\n", 0, q.start) + 1, q.start - 60)
    m = _TAG_BEFORE.search(text, line_start, q.start)
    if m is None or m.group("verb") not in SPEECH_VERB_FORMS:
        return None
    return item(
        m.start("verb"),
        q.start + 1,
        "dialogue.comma_before_quote",
        "A speech tag before a line of dialogue takes a comma before the quotation mark.",
        f"{m.group('verb')}, {text[q.start]}",
        "warning",
    )


def dialogue_rules(ctx: Context) -> Iterator[Feedback]:
    """``dialogue.tag_full_stop``, ``.tag_capitalised``, ``.tag_missing_comma`` and
    ``.comma_before_quote``."""
    text = ctx.text
    for q in ctx.quotes:
        if not q.speech or q.end - q.start < 3 or not ctx.in_story(q.start):
            continue
        before = _comma_before(ctx, q)
        if before is not None:
            yield before
        close = q.end - 1
        if text[close] not in _CLOSING:
            continue
        last = text[close - 1]
        tag = find_tag(ctx, q.end)
        if tag is None:
            continue
        trailing_off = last in "…—–" or text[close - 2 : close] in ("..", "--")
        if (
            last == "."
            and not trailing_off
            and not _ABBREVIATION.search(text, max(q.start, close - 4), close)
        ):
            yield item(
                close - 1,
                tag.end,
                "dialogue.tag_full_stop",
                "A speech tag continues the sentence: close the line with a comma, not a "
                "full stop, and start the tag in lower case.",
                f",{text[close]} {tag.lowered()}",
                "warning",
            )
        elif (last in ",?!" or trailing_off) and tag.capitalised_wrongly:
            yield item(
                tag.start,
                tag.end,
                "dialogue.tag_capitalised",
                "A speech tag after a line of dialogue starts in lower case.",
                tag.lowered(),
                "warning",
            )
        elif last.isalpha() and len(text[q.start : q.end].split()) > 2:
            yield item(
                close,
                tag.end,
                "dialogue.tag_missing_comma",
                "A line of dialogue followed by a speech tag needs a comma before the closing "
                "quotation mark.",
                f",{text[close]} {tag.lowered()}",
                "warning",
            )
