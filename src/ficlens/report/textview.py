"""The annotated text: every layer of the analysis turned into nested HTML spans.

Ranks keep the HTML valid: chapter sections hold scenes, scenes hold segments (paratext
as ``<details>``, headings, scene breaks), segments hold flashbacks and paragraphs, and
paragraphs hold the inline layers (feedback, quotes, mentions, evidence anchors). Where
layers cross, :func:`~ficlens.report.annotate.nest_spans` splits the inner one. Every tag
is built with ``Markup.format`` so input-derived attribute values are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from ficlens.cast import is_uncertain
from ficlens.model import Analysis, Segment
from ficlens.report.annotate import HtmlSpan, nest_spans
from ficlens.report.people import Person, name_of

CHAPTER, SCENE, SEGMENT, FLASHBACK, PARAGRAPH, FEEDBACK, QUOTE, MENTION, ANCHOR = range(9)
PARATEXT_LABELS: dict[str, str] = {
    "disclaimer": "Disclaimer",
    "authors_note": "Author's note",
    "title": "Title",
    "summary": "Summary",
    "spoilers": "Spoilers",
    "rating": "Rating",
    "pairing": "Pairing",
    "dedication": "Dedication",
    "scene_description": "Scene description",
    "metadata": "Work details",
    "toc": "Table of contents",
}
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_PREVIEW = 70
NOT_SPEECH = "Quoted words, not dialogue (a title, a scare quote or a remembered word)"


@dataclass(frozen=True, slots=True)
class Anchor:
    """An id the rest of the report links to (tag or relationship evidence)."""

    start: int
    end: int
    id: str
    title: str


def paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Trimmed paragraph ranges of ``text[start:end]``, split at blank lines."""
    pos = start
    for match in _BLANK_LINE.finditer(text, start, end):
        yield from _trimmed(text, pos, match.start())
        pos = match.end()
    yield from _trimmed(text, pos, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        yield start + lead, start + lead + len(stripped)


def preview(text: str, limit: int = _PREVIEW) -> str:
    """A one-line excerpt (plain str: the template escapes it)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def chapter_label(number: int | None, index: int, title: str | None) -> str:
    label = f"Chapter {number if number is not None else index + 1}"
    return f"{label}: {title}" if title else label


def _segments(analysis: Analysis) -> list[Segment]:
    if analysis.segments:
        return analysis.segments
    return [Segment(start=0, end=len(analysis.text), kind="story")] if analysis.text else []


def _structure_spans(analysis: Analysis) -> Iterator[HtmlSpan]:
    text = analysis.text
    segments = _segments(analysis)
    heading_starts = [s.start for s in segments if s.kind == "chapter_heading"]
    for ch in analysis.chapters:
        label = chapter_label(ch.number, ch.index, ch.title)
        opener = Markup('<section class="chapter" id="chapter-{}" aria-label="{}">').format(
            ch.index + 1, label
        )
        if not any(ch.start <= h < ch.end for h in heading_starts):
            opener += Markup('<h3 class="chapter-heading generated">{}</h3>').format(label)
        yield HtmlSpan(ch.start, ch.end, opener, "</section>", CHAPTER, '<section class="chapter">')
    for sc in analysis.scenes:
        yield HtmlSpan(
            sc.start,
            sc.end,
            Markup('<div class="scene" id="scene-{}">').format(sc.index + 1),
            "</div>",
            SCENE,
            '<div class="scene">',
        )
    for number, seg in enumerate(segments):
        if seg.kind == "story":
            yield from _paragraph_spans(text, seg.start, seg.end)
        elif seg.kind == "chapter_heading":
            yield HtmlSpan(seg.start, seg.end, '<h3 class="chapter-heading">', "</h3>", SEGMENT)
        elif seg.kind == "scene_break":
            yield HtmlSpan(
                seg.start,
                seg.end,
                '<div class="scene-break"><hr><span class="break-marker">'
                '<span class="visually-hidden">Scene break: </span>',
                "</span></div>",
                SEGMENT,
                '<div class="scene-break"><span class="break-marker">',
            )
        else:
            label = PARATEXT_LABELS.get(seg.kind, seg.kind.replace("_", " ").capitalize())
            opener = Markup(
                '<details class="paratext para-{}" id="para-{}"><summary>'
                '<span class="para-label">{}</span> <span class="para-preview">{}</span>'
                '</summary><div class="para-body">'
            ).format(seg.kind, number, label, preview(text[seg.start : seg.end]))
            reopen = Markup(
                '<details class="paratext"><summary>{} (continued)</summary><div class="para-body">'
            ).format(label)
            yield HtmlSpan(seg.start, seg.end, opener, "</div></details>", SEGMENT, reopen)
            yield from _paragraph_spans(text, seg.start, seg.end)
    for i, fb in enumerate(analysis.flashbacks):
        title = f"Flashback (cue: {fb.cue})" if fb.cue else "Flashback"
        yield HtmlSpan(
            fb.start,
            fb.end,
            Markup('<div class="flashback" id="flashback-{}" role="group" aria-label="{}">').format(
                i + 1, title
            ),
            "</div>",
            FLASHBACK,
            '<div class="flashback">',
        )


def _paragraph_spans(text: str, start: int, end: int) -> Iterator[HtmlSpan]:
    for p_start, p_end in paragraphs(text, start, end):
        yield HtmlSpan(p_start, p_end, "<p>", "</p>", PARAGRAPH)


def quote_title(analysis: Analysis, cast: dict[str, Person], index: int) -> str:
    """The tooltip of one quote: speaker, addressees, type, confidence."""
    quote = analysis.quotes[index]
    if not quote.speech:
        return NOT_SPEECH
    speaker = name_of(cast, quote.speaker) if quote.speaker else "no speaker"
    parts = [f"Speaker: {speaker}"]
    if quote.addressees:
        parts.append("to " + ", ".join(name_of(cast, a) for a in quote.addressees))
    if quote.type:
        parts.append(quote.type)
    parts.append(f"confidence {quote.confidence:.2f}")
    if is_uncertain(quote):
        parts.append("uncertain attribution")
    return " · ".join(parts)


def mention_title(cast: dict[str, Person], character: str, kind: str) -> str:
    """The tooltip of one mention: the character's name (and narrator), the mention kind."""
    person = cast.get(character)
    role = "narrator, " if person and person.narrator else ""
    return f"{name_of(cast, character)} ({role}{kind})"


def _layer_spans(
    analysis: Analysis, cast: dict[str, Person], anchors: list[Anchor]
) -> Iterator[HtmlSpan]:
    for i, item in enumerate(analysis.feedback):
        yield HtmlSpan(
            item.start,
            item.end,
            Markup('<span class="fb sev-{}" id="fb-{}" title="{}: {}">').format(
                item.severity, i + 1, item.rule, item.message
            ),
            "</span>",
            FEEDBACK,
            Markup('<span class="fb sev-{}">').format(item.severity),
        )
    for i, slip in enumerate(analysis.narrative.slips):
        yield HtmlSpan(
            slip.start,
            slip.end,
            Markup('<span class="fb slip" id="slip-{}" title="{}: {}">').format(
                i + 1, slip.kind, slip.message
            ),
            "</span>",
            FEEDBACK,
            '<span class="fb slip">',
        )
    speakers: set[str] = set()
    for i, quote in enumerate(analysis.quotes):
        title = quote_title(analysis, cast, i)
        if not quote.speech:
            # a title or scare quote: no tint, no speaker badge, only a tooltip
            tag = Markup('<span class="qn" title="{}">').format(title)
            yield HtmlSpan(quote.start, quote.end, tag, "</span>", QUOTE)
            continue
        person = cast.get(quote.speaker) if quote.speaker else None
        cls = f"q {person.key}" if person else "q q-none"
        badge = person.initials if person else "?"
        hidden = ""
        if is_uncertain(quote):
            cls += " uncertain"
            badge += "?"
            hidden = " (speaker uncertain)"
        ident = ""
        if person and person.id not in speakers:
            speakers.add(person.id)
            ident = f' id="firstq-{person.key}"'  # our own key, never input
        yield HtmlSpan(
            quote.start,
            quote.end,
            Markup(
                '<span class="{}"{} title="{}"><span class="who" aria-hidden="true">{}</span>{}'
            ).format(
                cls,
                Markup(ident),
                title,
                badge,
                Markup('<span class="visually-hidden">{}</span>').format(hidden) if hidden else "",
            ),
            "</span>",
            QUOTE,
            Markup('<span class="{} cont" title="{}">').format(cls, title),
        )
    seen: set[str] = set()
    for mention in analysis.mentions:
        person = cast.get(mention.character)
        key = person.key if person else "c-unknown"
        title = mention_title(cast, mention.character, mention.kind)
        first = mention.character not in seen
        seen.add(mention.character)
        opener = (
            Markup('<span class="m m-{}" id="first-{}" title="{}">').format(key, key, title)
            if first
            else Markup('<span class="m m-{}" title="{}">').format(key, title)
        )
        reopen = Markup('<span class="m m-{}" title="{}">').format(key, title)
        yield HtmlSpan(mention.start, mention.end, opener, "</span>", MENTION, reopen)
    for anchor in anchors:
        yield HtmlSpan(
            anchor.start,
            anchor.end,
            Markup('<span class="ev" id="{}" title="{}">').format(anchor.id, anchor.title),
            "</span>",
            ANCHOR,
            '<span class="ev">',
        )


def annotated_text(analysis: Analysis, cast: dict[str, Person], anchors: list[Anchor]) -> Markup:
    """The whole text as nested, escaped HTML with every layer marked up."""
    spans = [*_structure_spans(analysis), *_layer_spans(analysis, cast, anchors)]
    return nest_spans(analysis.text, spans)
