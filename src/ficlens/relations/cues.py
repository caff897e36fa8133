"""Find relationship cues in the story and tie each to the pair of characters it is about.

Why regexes over the whole text, mapped to sentences afterwards: one compiled alternation
per kind scans a novel in milliseconds, and the language stage's sentences (bisected)
give each hit its context; no second spaCy run. A hit outside a story sentence
(author's notes, headers) is dropped, as is a negated one ("never really loved him":
whom "him" is matters too much to guess, and "I won't miss you, but I did" is
negated only in form). A romantic cue in the pluperfect ("Logan had kissed her") is
romantic history: it happened before the story.

Pairing: a cue is about the two characters present nearest to it in its sentence
(resolved pronouns included, so "she kissed him" counts for whoever "she" and "him" are);
kin and partner words ("his mother", "her boyfriend") tie the possessor to the person the
text says the word names (see :func:`kin_cues`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from ficlens.model import RelationshipKind
from ficlens.relations import lexicon
from ficlens.relations.context import Present, TextIndex, nearest_pair, pair

#: Kin words and the one adjective a reader lets stand between possessor and kin.
_KIN_GAP = re.compile(
    r"(?:['\u2019]s?)?\s+(?:(?:own|dear|little|big|older|younger|late|real|poor|beloved|"
    r"baby|twin|step|half|old|former|first|last)[\s-]+)?$",
    re.IGNORECASE,
)
#: Between a name and "his mother": apposition or a copula ("Liz, his mother"; "Liz was
#: his mother").
_EQUATES = re.compile(
    r"\s*,\s*|(?:\s+(?:is|was|were|are|am|became|had been|has been|used to be)|"
    r"['\u2019](?:s|re|m))\s+",
    re.IGNORECASE,
)
_PAST_COPULA = re.compile(r"\s+(?:was|were|had been|used to be)\s+", re.IGNORECASE)
_FORMER = re.compile(r"\b(?:old|former|first|last)\b", re.IGNORECASE)
_APPOSED = re.compile(r"[^\S\n]*,?[^\S\n]*")
_VOCATIVE_BEFORE = re.compile(r"(?:^|[\"\u201c,!]\s*|\b(?:oh|ah|yes|no)\s+)$", re.IGNORECASE)
_VOCATIVE_AFTER = re.compile(r"\s*[,.!?\u2026\"\u201d]")
_PLUPERFECT = re.compile(lexicon.PLUPERFECT, re.IGNORECASE)
_NEGATION = re.compile(lexicon.NEGATION.replace("'", "['\u2019]"), re.IGNORECASE)


@dataclass(frozen=True)
class CueHit:
    """One cue occurrence tied to a pair. ``history`` marks romance past (an ex)."""

    kind: RelationshipKind
    label: str
    weight: float
    start: int
    end: int
    pair: tuple[str, str]
    history: bool = False


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern[str]
    entries: tuple[tuple[str, float], ...]


#: Every cue starts a word: testing that once, before the alternation, is what makes the
#: scan fast (the engine skips mid-word positions without trying each cue).
_WORD_START = r"\b(?=[a-z])"


def _source(src: str) -> str:
    """Apostrophes match curly ones; a leading word boundary is left to ``_WORD_START``."""
    return re.sub(r"(^|\|)\\b", r"\1", src).replace("'", "['\u2019]")


@cache
def _compiled(name: str) -> _Lexicon:
    entries: list[tuple[str, float, str]] = getattr(lexicon, name)
    alternation = "|".join(f"(?P<c{i}>{_source(src)})" for i, (_, _, src) in enumerate(entries))
    return _Lexicon(
        re.compile(f"{_WORD_START}(?:{alternation})", re.IGNORECASE),
        tuple((lab, w) for lab, w, _ in entries),
    )


@cache
def _kin_pattern() -> re.Pattern[str]:
    alternation = "|".join(f"(?P<k{i}>{src})" for i, (*_, src) in enumerate(lexicon.KIN))
    return re.compile(rf"{_WORD_START}(?:{alternation})s?\b", re.IGNORECASE)


@cache
def _vocative_pattern() -> re.Pattern[str]:
    alternation = "|".join(f"(?P<v{i}>{src})" for i, (_, _, src) in enumerate(lexicon.VOCATIVE_KIN))
    # set off as a form of address: after an opening mark or comma, before punctuation
    return re.compile(rf"(?:(?<=[\"\u201c])|(?<=, ))(?:{alternation})(?=\s*[,.!?\u2026\"\u201d])")


def negated(text: str, start: int) -> bool:
    """Whether a cue starting at ``start`` is negated within its last few words."""
    return bool(_NEGATION.search(text, max(0, start - 30), start))


def _scan(
    name: str, kind: RelationshipKind, text: str, index: TextIndex, history: bool
) -> Iterator[CueHit]:
    lex = _compiled(name)
    for m in lex.pattern.finditer(text):
        group = m.lastgroup
        if group is None or index.sentence_at(m.start()) is None:
            continue
        label, weight = lex.entries[int(group[1:])]
        if negated(text, m.start()):
            continue
        past = history
        before = max(0, m.start() - 20)
        if kind == "romantic" and not history and _PLUPERFECT.search(text, before, m.start()):
            label, past = f"{label} (before the story)", True
        found = nearest_pair(index.participants(m.start(), m.end()), m.start(), m.end())
        if found is not None:
            yield CueHit(kind, label, weight, m.start(), m.end(), found, past)


def _overlaps(hit: CueHit, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < hit.end and hit.start < e for s, e in spans)


def romance_cues(text: str, index: TextIndex) -> list[CueHit]:
    """Romantic cues (now) and history cues (exes, breakups); a romantic word inside a
    history phrase ("ex-boyfriend") counts as history only."""
    history = list(_scan("HISTORY", "romantic", text, index, history=True))
    spans = [(h.start, h.end) for h in history]
    now = [h for h in _scan("ROMANTIC", "romantic", text, index, False) if not _overlaps(h, spans)]
    return sorted(now + history, key=lambda h: h.start)


def platonic_cues(text: str, index: TextIndex) -> list[CueHit]:
    return list(_scan("PLATONIC", "platonic", text, index, history=False))


# ----------------------------------------------------------------------- family


KIN_WEIGHT = 2.0
VOCATIVE_WEIGHT = 2.0


def _fits(gender: str, wanted: str) -> bool:
    return wanted == "any" or gender in (wanted, "unknown")


def kin_cues(
    text: str, index: TextIndex, canon_kin: dict[str, set[str]] | None = None
) -> list[CueHit]:
    """Kin and partner words with a possessor ("his mother", "Rory's dad", "her
    boyfriend") and kin forms of address ("Mom," in speech).

    The possessor is the mention right before the kin word. The kin is a name in
    apposition or equated by a copula ("his mother, Liz"; "Liz was his mother"), the
    addressee of a vocative ("Oh, my dear father, ..."), else a canon relative of the
    possessor (``canon_kin``: character id → ids of canon family) in the sentence, or the
    only one of the word's gender in the fic ("my mom" said by Rory is Lorelai). A kin
    word with no such referent is no evidence: "his sister" near Elizabeth is not her.
    """
    canon_kin = canon_kin or {}
    out: list[CueHit] = []
    for m in _kin_pattern().finditer(text):
        if index.sentence_at(m.start()) is None or m.lastgroup is None:
            continue
        _, kind, wanted, _ = lexicon.KIN[int(m.lastgroup[1:])]
        kin_of = canon_kin if kind == "family" else {}
        hit = _possessed_kin(text, index, m.start(), m.end(), kind, wanted, kin_of)
        if hit is not None:
            out.append(hit)
    for m in _vocative_pattern().finditer(text):
        q = index.quote_at(m.start())
        if q is None or q.speaker is None or m.lastgroup is None:
            continue
        _, wanted, _ = lexicon.VOCATIVE_KIN[int(m.lastgroup[1:])]
        named = [p for p in index.mentions_in(m.start(), m.end()) if p.character != q.speaker]
        kin = named[0].character if named else (q.addressees[0] if q.addressees else None)
        # "Mom," to a man is a misattributed turn, not a mother
        if kin and kin != q.speaker and _fits(index.gender.get(kin, "unknown"), wanted):
            cue = f'"{m.group()}"'
            out.append(
                CueHit("family", cue, VOCATIVE_WEIGHT, m.start(), m.end(), pair(q.speaker, kin))
            )
    return sorted(out, key=lambda h: h.start)


def _possessed_kin(
    text: str,
    index: TextIndex,
    start: int,
    end: int,
    kind: RelationshipKind,
    wanted: str,
    canon_kin: dict[str, set[str]],
) -> CueHit | None:
    sentence = index.sentence_at(start)
    if sentence is None:
        return None
    s, e = index.sentence(sentence)
    present = index.mentions_in(s, e)
    owner = _possessor(text, present, start)
    if owner is None:
        return None
    kin = _kin_of(text, index, present, owner, start, end, wanted, canon_kin)
    if kin is None:
        return None
    cue = " ".join(text[owner.start : end].lower().split())
    past = kind == "romantic" and _was_partner(text, present, owner, kin, start)
    return CueHit(kind, cue, KIN_WEIGHT, owner.start, end, pair(owner.character, kin), past)


def _was_partner(
    text: str, present: Sequence[Present], owner: Present, kin: str, start: int
) -> bool:
    """A partner word in the past: "her old boyfriend", "Dean was my boyfriend"."""
    if _FORMER.search(text, owner.end, start):
        return True
    before = [p for p in present if p.character == kin and p.end <= owner.start]
    return bool(before) and bool(_PAST_COPULA.fullmatch(text, before[-1].end, owner.start))


def _possessor(text: str, present: Iterable[Present], start: int) -> Present | None:
    before = [p for p in present if p.end <= start and start - p.end <= 24]
    for p in reversed(before):
        if _KIN_GAP.match(text, p.end, start):
            return p
    return None


def _kin_of(
    text: str,
    index: TextIndex,
    present: Sequence[Present],
    owner: Present,
    start: int,
    end: int,
    wanted: str,
    canon_kin: dict[str, set[str]],
) -> str | None:
    """Who the possessed kin word names, only where a reader is told outright."""
    others = [p for p in present if p.character != owner.character]
    after = [
        p
        for p in others
        if p.kind == "name" and p.start >= end and _APPOSED.fullmatch(text, end, p.start)
    ]
    if after:
        return after[0].character  # apposition: "his mother, Liz" (a name, not "I")
    before = [p for p in others if p.end <= owner.start and owner.start - p.end <= 16]
    if before and _EQUATES.fullmatch(text, before[-1].end, owner.start):
        return before[-1].character  # "Liz, his mother" / "Liz was his mother"
    q = index.quote_at(start)
    if (
        q is not None
        and q.addressees
        and _VOCATIVE_BEFORE.search(text, q.start, owner.start)
        and _VOCATIVE_AFTER.match(text, end)
    ):
        return q.addressees[0]  # "Oh, my dear father, ..." said to him
    relatives = [
        c
        for c in sorted(canon_kin.get(owner.character, ()))
        if _fits(index.gender.get(c, "unknown"), wanted)
    ]
    here = [p.character for p in present if p.character in relatives]
    if here:
        return here[0]
    return relatives[0] if len(relatives) == 1 else None
