"""Pair quotation marks of one family (double, single or guillemets) paragraph by paragraph.

Straight marks carry no direction, so each mark is classed by its neighbours: space before
and a word after opens, a word before and space or punctuation after closes. A quote that is
still open at the end of its paragraph ends there (``closed=False``); when the next
paragraph opens again it is a multi-paragraph speech and the pieces are linked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ficlens.dialogue.convention import ELISION


@dataclass(frozen=True)
class Family:
    """The marks of one convention: directional openers/closers and undirected ones."""

    opens: str
    closes: str
    either: str
    apostrophes: bool  # closers double as apostrophes (single-quote conventions)

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("[" + re.escape(self.opens + self.closes + self.either) + "]")


DOUBLE = Family(opens="“„", closes="”", either='"', apostrophes=False)
SINGLE = Family(opens="‘", closes="’", either="'", apostrophes=True)
GUILLEMETS = Family(opens="«", closes="»", either="", apostrophes=False)
GUILLEMETS_REVERSED = Family(opens="»", closes="«", either="", apostrophes=False)

_LEFT_OPEN = set("([{<—–-/*_\"'“‘„«»")
_RIGHT_CLOSE = set(".,;:!?)]}>—–-…*_\"'”’«»")
_ELIDED_N = re.compile(r"['‘’]n['‘’]")

OPEN, CLOSE, WEAK, EITHER, SKIP = range(5)


@dataclass
class Piece:
    """A raw quote piece before the speech and group decisions."""

    start: int
    end: int
    para: int
    opened: bool
    closed: bool
    continues: bool  # continues the previous piece's speech from an earlier paragraph


def classify(text: str, i: int, p_start: int, p_end: int, fam: Family) -> int:
    """Role of the mark at ``i`` judged from its neighbours inside the paragraph."""
    c = text[i]
    prev = text[i - 1] if i > p_start else ""
    nxt = text[i + 1] if i + 1 < p_end else ""
    left = prev == "" or prev.isspace() or prev in _LEFT_OPEN
    right = nxt == "" or nxt.isspace() or nxt in _RIGHT_CLOSE
    if fam.apostrophes and c not in fam.opens:
        if prev.isalnum() and nxt.isalnum():
            return SKIP  # don't, o'clock, Jess's
        if _ELIDED_N.match(text, i - 2 if i >= 2 else 0) and text[i - 1 : i] == "n":
            return SKIP  # the closing mark of rock 'n' roll
        if left and not right and (c == "’" or ELISION.match(text, i + 1, p_end)):
            return SKIP  # 'cause, 'em, 'til, ’90s
    if c in fam.opens:
        if not left and right:
            return EITHER
        if fam.apostrophes and ELISION.match(text, i + 1, p_end) and left:
            return SKIP
        return OPEN
    if c in fam.closes and not fam.apostrophes:
        if left and not right:
            return EITHER
        return CLOSE
    # an undirected mark, or a single-quote closer that may be an apostrophe
    if left and not right:
        return OPEN
    if right and not left:
        if fam.apostrophes and prev.isalpha() and nxt.isspace() and _weak(text, i, p_end):
            return WEAK
        return CLOSE
    if fam.apostrophes and prev.isalpha() and nxt.isalpha():
        return SKIP
    return EITHER


def _weak(text: str, i: int, p_end: int) -> bool:
    """A closer that is as likely an apostrophe: the boys' room, goin' home, goin' 'ome."""
    if text[i - 2 : i] == "in" and text[i - 3 : i - 2].isalpha():
        return True
    j = i + 1
    while j < p_end and text[j] in " \t":
        j += 1
    return j < p_end and text[j].islower() and text[i - 1] in "sS"


def _roles(text: str, p_start: int, p_end: int, fam: Family) -> list[tuple[int, int]]:
    out = []
    for m in fam.pattern.finditer(text, p_start, p_end):
        role = classify(text, m.start(), p_start, p_end, fam)
        if role != SKIP:
            out.append((m.start(), role))
    return out


def _later_close(roles: list[tuple[int, int]]) -> list[bool]:
    """For each mark, whether a strong closer follows it in the paragraph."""
    out = [False] * len(roles)
    seen = False
    for k in range(len(roles) - 1, -1, -1):
        out[k] = seen
        seen = seen or roles[k][1] == CLOSE
    return out


def _starts_open(text: str, para: tuple[int, int, int] | None, fam: Family) -> bool:
    if para is None:
        return False
    p_start, p_end, _ = para
    if text[p_start] not in fam.opens + fam.either:
        return False
    return classify(text, p_start, p_start, p_end, fam) in (OPEN, EITHER)


def _words(text: str, a: int, b: int) -> int:
    return len(text[a:b].split())


def pair_marks(text: str, paras: Sequence[tuple[int, int, int]], fam: Family) -> list[Piece]:
    """Raw pieces for every paragraph, in text order."""
    pieces: list[Piece] = []
    carry = False  # the previous paragraph ended inside a speech that goes on here
    for k, (p_start, p_end, region) in enumerate(paras):
        nxt_para = paras[k + 1] if k + 1 < len(paras) and paras[k + 1][2] == region else None
        roles = _roles(text, p_start, p_end, fam)
        later_close = _later_close(roles)
        cont_next = _starts_open(text, nxt_para, fam)
        open_at: int | None = None
        first = True
        n = len(roles)
        idx = 0
        while idx < n:
            i, role = roles[idx]
            elided = fam.apostrophes and role == OPEN and text[i + 1 : i + 2].islower()
            if open_at is None:
                if elided and i > p_start and not later_close[idx]:
                    pass  # 'ello, 'ome in narration: an elision that no closer answers
                elif role in (OPEN, EITHER):
                    open_at = i
            elif elided:
                pass  # goin' 'ome inside a speech: single-quote texts nest with double marks
            elif role in (CLOSE, EITHER):
                pieces.append(Piece(open_at, i + 1, k, True, True, carry and first))
                open_at, first = None, False
            elif role == WEAK:
                if not later_close[idx] and not cont_next:
                    pieces.append(Piece(open_at, i + 1, k, True, True, carry and first))
                    open_at, first = None, False
            elif role == OPEN:
                # nested quote ("the word "deflower" for sex") or a new quote after a lost close
                nested = _nested_close(text, roles, idx, cont_next)
                if nested is not None:
                    idx = nested + 1
                    continue
                pieces.append(
                    Piece(open_at, _rstrip(text, open_at, i), k, True, False, carry and first)
                )
                open_at, first = i, False
            idx += 1
        if open_at is not None:
            pieces.append(Piece(open_at, p_end, k, True, False, carry and first))
            carry = cont_next
        else:
            carry = False
    return pieces


def _nested_close(text: str, roles: list[tuple[int, int]], idx: int, cont_next: bool) -> int | None:
    """Index of the inner closing mark when the opener at ``idx`` starts a nested quote."""
    for j in range(idx + 1, len(roles)):
        pos, role = roles[j]
        if role == OPEN:
            return None
        if role in (CLOSE, EITHER, WEAK):
            if _words(text, roles[idx][0], pos) > 6:
                return None
            remaining = len(roles) - j - 1
            if remaining % 2 == 1 or (remaining == 0 and cont_next):
                return j
            return None
    return None


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end
