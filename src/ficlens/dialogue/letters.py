"""Letters quoted in the narration: a salutation paragraph down to the sign-off.

A letter's paragraphs are often set in quotation marks, but a letter is not dialogue, so
its quotes are flagged as not speech. So is any quote that the narration introduces as
something written, with a colon: ``the telegram ran thus:``, ``he read:``, ``She had written:``,
or that a writing verb tags, before or after it: ``she wrote,``, ``"…," wrote Kim``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ficlens.dialogue.speech import TAG_SUBJECT
from ficlens.structure.patterns import MAX_SIGNATURE, SALUTATION, is_sign_off, letter_close

_SIGNATURE = re.compile(r"[\"'“‘]?\s*[A-Z][A-Z. &'-]{1,30}[.,]?[\"”’']?\s*$")
MAX_PARAGRAPHS = 15
_DATE_WORD = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|\d[\w/.-]*"
)
_WRITTEN_CUE = re.compile(
    r"\b(?:read|reads|write|wrote|writes|written|note|telegram|wire|inscription|inscribed|"
    r"engraved|printed|card|label|notice|placard|sign|letter|postscript|ran\s+(?:thus|as\s+follows))\b[^.!?:;,\"'“”‘’]{0,30}:\s*(?:--|—)?\s*$",
    re.IGNORECASE,
)
_WRITING = r"(?:wrote|writes|texted|texts|typed|types|scrawled|scribbled|jotted)"
_WRITING_LEAD = re.compile(rf"\b{_WRITING}\b[^.!?:;,\"'“”‘’]{{0,30}},\s*$", re.IGNORECASE)
_WRITING_TAG = re.compile(
    rf"[\"”’']?\s*{TAG_SUBJECT}(?:{_WRITING}|read|reads|had\s+written|"
    r"(?:was|were)\s+(?:written|engraved|inscribed|printed|painted|carved)|"
    r"(?:note|letter|telegram|message|card)\s+(?:ran|read|reads|said|says|went\s+on))\b",
    re.IGNORECASE,
)


def _indent(text: str, start: int) -> int:
    line = text.rfind("\n", 0, start) + 1
    return start - line if not text[line:start].strip() else 0


def _header(text: str, paras: Sequence[tuple[int, int, int]], k: int) -> int:
    """The first paragraph of a letter whose salutation is paragraph ``k``.

    Up to two short lines right above the salutation that name a place or a date
    (``Rose Cottage,`` / ``Tuesday.``) are the letter's heading.
    """
    first = k
    while first > 0 and k - first < 2 and paras[first - 1][2] == paras[k][2]:
        s, e, _ = paras[first - 1]
        if e - s > 40 or not _dateline(text[s:e]):
            break
        first -= 1
    return first


def _dateline(line: str) -> bool:
    """A line of capitalised words or numbers only: a place, or a single date word."""
    words = line.strip(" \n\"'“”‘’.,").replace(",", " ").split()
    if not words or len(words) > 6 or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return False
    return len(words) >= 2 or _DATE_WORD.fullmatch(words[0]) is not None


def letter_paragraphs(text: str, paras: Sequence[tuple[int, int, int]]) -> set[int]:
    """Indices of the paragraphs that belong to a letter (heading to signature)."""
    out: set[int] = set()
    k = 0
    while k < len(paras):
        start, end, region = paras[k]
        if is_sign_off(text, start, end):
            last = letter_close(text, paras, k)  # a sign-off on its own, and the signature
            out.update(range(k, last + 1))
            k = last + 1
            continue
        if end - start > 60 or not SALUTATION.match(text, start, end):
            k += 1
            continue
        j = k + 1
        indent = _indent(text, start)
        while j < len(paras) and j - k <= MAX_PARAGRAPHS and paras[j][2] == region:
            s, e, _ = paras[j]
            if _indent(text, s) < indent:
                j = len(paras)  # back at the narration's margin: the letter was not closed
                break
            if is_sign_off(text, s, e):
                break
            if e - s <= MAX_SIGNATURE and _SIGNATURE.match(text, s, e):
                j -= 1  # the signature itself is the paragraph after the sign-off
                break
            j += 1
        first = _header(text, paras, k)
        if j >= len(paras) or j - k > MAX_PARAGRAPHS or paras[j][2] != region:
            out.update(range(first, k + 1))  # no sign-off in reach: only the heading is sure
            k += 1
            continue
        last = letter_close(text, paras, j)
        out.update(range(first, last + 1))
        k = last + 1
    return out


def written_cue(lead: str) -> bool:
    """Whether the narration ``lead`` right before a quote introduces written words.

    The cue ends with a colon right before the quote (``the following telegram:``).
    """
    return _WRITTEN_CUE.search(lead) is not None or _WRITING_LEAD.search(lead) is not None


def written_tag(after: str) -> bool:
    """Whether a writing verb tags the quote right after it: ``"Come," she wrote``."""
    return _WRITING_TAG.match(after) is not None
