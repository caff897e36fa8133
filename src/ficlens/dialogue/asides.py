"""Stage directions inside a speech: ``"Well--(sitting down again)--go on."``.

Older novels put the narrator's gesture in parentheses inside the quotation marks. The
parenthesis is narration, so the speech around it is two pieces of one utterance. Only a
parenthesis that reads like a direction (a participle, "with a smile", "to Emma", audience
noises) is cut; an aside of the speaker's own ("(I think)") stays speech.
"""

from __future__ import annotations

import re

from ficlens.dialogue.marks import Piece

_DIRECTION = re.compile(
    r"\((?=\s*(?:[a-z]+ing\b|with\b|to\b|in\s+an?\b|aside\b|hear\b|cheers\b|loud\b|renewed\b|"
    r"laughter\b|applause\b|after\s+a\b|then\b|for\s+a\b))[^()\"“”]{1,200}\)"
)


def split_asides(text: str, pieces: list[Piece]) -> list[Piece]:
    """Cut each piece at its stage-direction parentheses (a cut piece keeps its flags)."""
    out: list[Piece] = []
    for p in pieces:
        pos, opened = p.start, p.opened
        cont = p.continues
        for m in _DIRECTION.finditer(text, p.start + 1, p.end):
            end = _trim_end(text, pos, m.start())
            if end > pos:
                out.append(Piece(pos, end, p.para, opened, False, cont))
                cont = False
            pos, opened = _skip(text, m.end(), p.end), False
        if pos < p.end:
            out.append(Piece(pos, p.end, p.para, opened, p.closed, cont))
    return out


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _skip(text: str, pos: int, end: int) -> int:
    """Past the spaces after a direction, and past the comma or stop that ends it there.

    ``"You, (to Emma), are the one."``: the comma belongs to the direction, not the speech.
    """
    while pos < end and text[pos].isspace():
        pos += 1
    if pos < end and text[pos] in ",.;:" and (pos + 1 == end or text[pos + 1].isspace()):
        pos += 1
        while pos < end and text[pos].isspace():
            pos += 1
    return pos
