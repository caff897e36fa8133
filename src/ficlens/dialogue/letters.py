"""Letters quoted in the narration: a salutation paragraph down to the sign-off.

A letter's paragraphs are often set in quotation marks, but a letter is not dialogue, so
its quotes are flagged as not speech. So is any quote that the narration introduces as
something written, with a colon: ``the telegram ran thus:``, ``he read:``, ``She had written:``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ficlens.structure.patterns import SALUTATION, SIGN_OFF

_SIGNATURE = re.compile(r"[\"'“‘]?\s*[A-Z][A-Z. &'-]{1,30}[.,]?[\"”’']?\s*$")
MAX_PARAGRAPHS = 15
_WRITTEN_CUE = re.compile(
    r"\b(?:read|reads|write|wrote|writes|written|note|telegram|wire|inscription|inscribed|"
    r"engraved|printed|card|label|notice|placard|sign|ran\s+(?:thus|as\s+follows))\b[^.!?:;,\"'“”‘’]{0,30}:\s*(?:--|—)?\s*$",
    re.IGNORECASE,
)


def _indent(text: str, start: int) -> int:
    line = text.rfind("\n", 0, start) + 1
    return start - line if not text[line:start].strip() else 0


def letter_paragraphs(text: str, paras: Sequence[tuple[int, int, int]]) -> set[int]:
    """Indices of the paragraphs that belong to a letter (salutation to signature)."""
    out: set[int] = set()
    k = 0
    while k < len(paras):
        start, end, region = paras[k]
        if end - start <= 60 and SIGN_OFF.match(text, start, end):
            out.add(k)  # a sign-off on its own, and the signature under it
            if k + 1 < len(paras) and paras[k + 1][1] - paras[k + 1][0] <= 40:
                out.add(k + 1)
            k += 1
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
            if e - s <= 60 and SIGN_OFF.match(text, s, e):
                break
            if e - s <= 40 and _SIGNATURE.match(text, s, e):
                j -= 1  # the signature itself is the paragraph after the sign-off
                break
            j += 1
        if j >= len(paras) or j - k > MAX_PARAGRAPHS or paras[j][2] != region:
            out.add(k)  # no sign-off in reach: only the salutation line is sure
            k += 1
            continue
        last = j + 1 if j + 1 < len(paras) and paras[j + 1][1] - paras[j + 1][0] <= 40 else j
        out.update(range(k, last + 1))
        k = last + 1
    return out


def written_cue(lead: str) -> bool:
    """Whether the narration ``lead`` right before a quote introduces written words.

    The cue ends with a colon right before the quote (``the following telegram:``).
    """
    return _WRITTEN_CUE.search(lead) is not None
