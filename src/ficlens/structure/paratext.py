"""Paratext: what the author says around the story (disclaimers, notes, header fields).

Detection runs only in zones where paratext lives: the top and bottom of the text and right
after / before each chapter heading (per-chapter notes), never in the middle of narration.
A labelled paragraph ("A/N:", "Summary:") opens paratext; unlabelled paragraphs continue a
note only while they sound like the author talking about the fic and sit close to it (a
double blank line or a rule ends the note). A rule line (``-----``) after paratext at the
top makes everything above it paratext. FanFicFare TXT headers (title, "by Author",
``Label: value`` lines, TABLE OF CONTENTS, "End file.") are recognised by their layout.
"""

from __future__ import annotations

import re

from ficlens.model import PARATEXT_KINDS, SegmentKind
from ficlens.structure import patterns
from ficlens.structure.blocks import Block

_CONTINUING: frozenset[str] = frozenset(
    {"authors_note", "disclaimer", "dedication", "summary", "spoilers", "pairing", "metadata"}
)
_TOC = re.compile(r"^(?:table\s+of\s+)?contents\s*:?$", re.I)
_FFF_LABELS = re.compile(
    r"^(?:category|genre|language|status|published|updated|packaged|rating|warnings|chapters"
    r"|words|publisher|story url|author url|summary|characters|relationships|fandoms?)\s*:",
    re.I,
)


def _short_title(b: Block) -> bool:
    return b.lines == 1 and len(b.text.split()) <= 15 and not patterns.is_break(b.text)


def mark_fanficfare(blocks: list[Block]) -> bool:
    """Mark a FanFicFare TXT header, TOC and "End file." trailer; True when recognised."""
    free = [b for b in blocks if not b.fixed]
    if len(free) < 4 or not _short_title(free[0]) or not patterns.is_by_line(free[1].text):
        return False
    labels = 0
    j = 2
    while j < len(free):
        is_label = bool(_FFF_LABELS.match(free[j].text))
        if not (is_label or (labels and free[j].blank_before == 0)):
            break
        labels += is_label
        j += 1
    if labels < 2:
        return False
    free[0].kind, free[1].kind = "title", "metadata"
    kind: SegmentKind = "metadata"
    for b in free[2:j]:
        if _FFF_LABELS.match(b.text):
            found = patterns.label_kind(b.text)
            kind = found if found in ("rating", "summary", "pairing") else "metadata"
        b.kind = kind
    if j < len(free) and _TOC.match(free[j].text):
        free[j].kind = "toc"
        j += 1
        while j < len(free) and not free[j].indented and free[j].lines == 1:
            free[j].kind = "toc"
            j += 1
    if free[-1].text.strip().lower() == "end file.":
        free[-1].kind = "metadata"
    return True


def mark_toc(blocks: list[Block]) -> None:
    """A "Table of Contents" line near the top followed by short lines (not FanFicFare)."""
    for i, b in enumerate(blocks[:12]):
        if b.kind is None and not b.fixed and _TOC.match(b.text):
            b.kind = "toc"
            for nxt in blocks[i + 1 :]:
                if nxt.kind is not None or nxt.lines > 1 or len(nxt.text.split()) > 12:
                    break
                if patterns.match_heading(nxt.text) and nxt.blank_before >= 2:
                    break
                nxt.kind = "toc"
            return


def _starts_with_quote(b: Block) -> bool:
    return b.text.lstrip().startswith(('"', "“", "'", "‘"))


def _rule_ahead(body: list[Block], i: int) -> int | None:
    """Index of a rule line within the next few unlabelled, non-dialogue blocks."""
    for k in range(i, min(i + 4, len(body))):
        b = body[k]
        if b.kind == "scene_break" and not b.fixed:
            return k
        if b.kind is not None or _starts_with_quote(b) or len(b.text.split()) > 200:
            return None
    return None


def _header_rest(body: list[Block], i: int) -> bool:
    """Whether blocks from ``i`` to the end look like the rest of a header (short, no dialogue)."""
    rest = body[i:]
    words = sum(len(b.text.split()) for b in rest)
    return len(rest) <= 2 and words <= 40 and not any(_starts_with_quote(b) for b in rest)


def mark_leading(body: list[Block], *, top_of_text: bool, before_heading: bool = False) -> None:
    """Classify paratext at the start of the text or of a chapter body.

    ``before_heading``: the body is the top of the text and a chapter heading follows it, so
    a few short unlabelled lines after labelled paratext are header too (the heading acts as
    the rule that ends the header).
    """
    seen = False
    cont: SegmentKind | None = None
    i = 0
    if (
        top_of_text
        and len(body) > 2
        and body[0].kind is None
        and body[1].kind is None
        and _short_title(body[0])
        and patterns.is_by_line(body[1].text)
    ):
        body[0].kind, body[1].kind = "title", "metadata"
        seen, cont, i = True, None, 2
    while i < len(body):
        b = body[i]
        if b.kind is not None:
            if b.kind == "scene_break":
                cont = None
            elif b.kind in PARATEXT_KINDS:
                seen, cont = True, b.kind if not b.fixed else None
            else:
                break
            i += 1
            continue
        kind = patterns.label_kind(b.text)
        if kind is None and cont is not None and cont in _CONTINUING:
            wrapped_on = b.blank_before == 0 and not _starts_with_quote(b)
            noteish = b.blank_before <= 1 and cont != "metadata" and patterns.is_noteish(b.text)
            if wrapped_on or noteish:
                kind = cont
        if (
            kind is None
            and patterns.is_stage_direction(b.text)
            and patterns.flashback_marker(b.text) is None
        ):
            kind = "scene_description"
        if kind is None and seen and before_heading and _header_rest(body, i):
            for b2 in body[i:]:
                if b2.kind is None:
                    b2.kind = cont if cont in _CONTINUING else "authors_note"
            return
        if kind is None and seen:
            rule = _rule_ahead(body, i)
            if rule is not None:
                for k in range(i, rule):
                    body[k].kind = cont if cont in _CONTINUING else "authors_note"
                i = rule
                continue
        if kind is None:
            return
        b.kind = kind
        seen = seen or kind != "scene_description"
        cont = kind
        i += 1


def mark_trailing(body: list[Block]) -> None:
    """Classify end notes and review requests at the end of the text or of a chapter."""
    top: int | None = None
    j = len(body) - 1
    while j >= 0:
        b = body[j]
        if b.kind is not None:
            if b.kind == "scene_break" or b.kind in PARATEXT_KINDS:
                j -= 1
                continue
            break
        label = patterns.label_kind(b.text)
        if label in ("authors_note", "disclaimer", "dedication") or patterns.is_review_request(
            b.text
        ):
            top = j
        elif not (patterns.is_noteish(b.text) and len(b.text.split()) <= 150):
            break
        j -= 1
    if top is None:
        return
    for b in body[top:]:
        if b.kind is None:
            label = patterns.label_kind(b.text)
            b.kind = label if label in ("disclaimer", "dedication") else "authors_note"
