"""Dash dialogue (Joyce, much European fiction): a paragraph that opens with a dash is speech.

The speech runs to the paragraph end unless narration interrupts it: a short clause with a
speech verb after sentence punctuation (``—Back to barracks! he said sternly.``) or set off
by dashes (``—Come in —he said— and sit.``). Speech that resumes after such a tag is a
further piece of the same utterance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ficlens.dialogue.convention import DASH_START
from ficlens.dialogue.marks import Piece
from ficlens.dialogue.speech import SPEECH_VERBS

_TAG = re.compile(
    rf"(?:(?<=[,!?.…:;])|\s*(?:—|―|–|--))\s+(?:[\w'’.-]+\s+){{0,3}}?(?:{SPEECH_VERBS})\b"
    r"[^.!?:;—―–]*?(?:[.!?:;]|—|―|–|--|$)",
    re.IGNORECASE | re.MULTILINE,
)
_TRAIL = re.compile(r"\s*(?:—|―|–|-)+\s*$")


def dash_pieces(text: str, paras: Sequence[tuple[int, int, int]]) -> list[Piece]:
    """Pieces of every dash-opened paragraph."""
    pieces: list[Piece] = []
    for k, (p_start, p_end, _) in enumerate(paras):
        if not DASH_START.match(text, p_start, p_end):
            continue
        pos = p_start
        opened = True
        while pos < p_end:
            m = _TAG.search(text, pos + 1, p_end)
            end = m.start() if m else p_end
            while end > pos and text[end - 1].isspace():
                end -= 1
            closed = False
            t = _TRAIL.search(text, pos + 1, end)
            if t is not None and not m:
                closed = True
            if end > pos:
                pieces.append(Piece(pos, end, k, opened, closed, False))
            if m is None:
                break
            pos = m.end()
            while pos < p_end and (text[pos].isspace() or text[pos] in "—―–-"):
                pos += 1
            opened = False
    return pieces
