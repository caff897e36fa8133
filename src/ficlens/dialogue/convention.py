"""Which dialogue convention a document uses, decided once before parsing.

A mark that opens a paragraph or closes a clause (``,"`` ``.’``) is strong evidence of a
convention; an apostrophe is neither, so contractions do not make a text look single-quoted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

CONVENTIONS = ("double", "curly_double", "single", "curly_single", "dash", "guillemets", "none")

ELISION = re.compile(
    r"(?:em|cause|cos|coz|cuz|til|tis|twas|twere|twill|twould|n|bout|kay|fraid|nother|cept|"
    r"\d\ds?)(?![\w])",
    re.IGNORECASE,
)
DASH_START = re.compile(r"(?:—|―|–|--|-)\s*(?=[^\W\d_]|[\"'“‘(¿¡])")
_CLOSER = re.compile(r"[,.!?…][\"”’'»«]")

_PARA_MARK = {
    '"': "double",
    "“": "curly_double",
    "„": "curly_double",
    "'": "single",
    "‘": "curly_single",
    "«": "guillemets",
    "»": "guillemets",
}
_CLOSE_MARK = {'"': "double", "”": "curly_double", "'": "single", "’": "curly_single"}


def detect_convention(text: str, paras: Sequence[tuple[int, int, int]]) -> tuple[str, bool]:
    """Dominant convention and, for guillemets, whether ``»`` opens (``» … «`` style)."""
    score: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    for p_start, p_end, _ in paras:
        c = text[p_start]
        kind = _PARA_MARK.get(c)
        if kind is not None:
            if kind == "single" and ELISION.match(text, p_start + 1, p_end):
                continue
            score[kind] += 1
            starts[c] += 1
        elif DASH_START.match(text, p_start, p_end):
            score["dash"] += 1
    for p_start, p_end, _ in paras:
        for m in _CLOSER.finditer(text, p_start, p_end):
            mark = m.group()[1]
            if mark in "»«":
                score["guillemets"] += 1
                continue
            kind = _CLOSE_MARK[mark]
            if kind == "single" or kind == "curly_single":
                nxt = text[m.end() : m.end() + 1]
                if nxt.isalpha():
                    continue
            score[kind] += 1
    if not score:
        return "none", False
    best = max(CONVENTIONS[:-1], key=lambda k: (score[k], -CONVENTIONS.index(k)))
    if score[best] == 0:
        return "none", False
    return best, starts["»"] > starts["«"]
