"""Fandom suggestions: the knowledge base's guess, believed only when the cast agrees.

``detect_fandom`` scores any text that uses canon names and places, so a classic novel
with an Emily, a Paris and a Richard can come out as Gilmore Girls at 0.9. A reader
decides by *who the story is about*: a fandom is suggested only when it is declared, or
when the characters the story is about (weighted by mentions and speech) are that
fandom's canon characters. Its confidence is the detector's score scaled by that share.
"""

from __future__ import annotations

from ficlens.fandoms import Fandom, KnowledgeBase, detect_fandom
from ficlens.model import Analysis, Character, Evidence, TagSuggestion
from ficlens.tagging.cues import MAX_EVIDENCE

MIN_CANON_SHARE = 0.3
"""Below this share of the cast's presence, canon characters are incidental namesakes."""
MIN_CONFIDENCE = 0.2
RELATIVE = 0.5
"""A second fandom (a crossover) needs at least this share of the first one's confidence."""


def _presence(c: Character) -> float:
    return c.mention_count + 2.0 * c.quote_count


def _is_canon(c: Character, fandom: Fandom) -> bool:
    """Canon as the characters stage decided it (with the fandom's coverage test)."""
    return bool(c.canon and c.ao3_tag and fandom.character(c.ao3_tag) is not None)


def canon_share(analysis: Analysis, fandom: Fandom) -> tuple[float, list[Character]]:
    """Share of the cast's presence held by this fandom's canon characters, and who they are."""
    cast = [c for c in analysis.characters if _presence(c) > 0]
    total = sum(_presence(c) for c in cast)
    canon = [c for c in cast if _is_canon(c, fandom)]
    if not total:
        return 0.0, canon
    return sum(_presence(c) for c in canon) / total, canon


def suggest_fandoms(analysis: Analysis, kb: KnowledgeBase) -> list[TagSuggestion]:
    first: dict[str, tuple[int, int]] = {}
    for m in analysis.mentions:
        if m.kind == "name" and m.character not in first:
            first[m.character] = (m.start, m.end)
    out: list[TagSuggestion] = []
    for score in detect_fandom(analysis, kb):
        fandom = kb.fandom(score.fandom)
        if fandom is None:
            continue
        share, canon = canon_share(analysis, fandom)
        if score.declared:
            confidence = 0.95
        elif not canon or share < MIN_CANON_SHARE:
            continue
        else:
            confidence = score.score * (0.5 + 0.5 * share)
        ev = [e for e in score.evidence if e.cue.startswith("declared")]
        for c in sorted(canon, key=_presence, reverse=True)[:2]:
            if c.id in first:
                s, e = first[c.id]
                ev.append(Evidence(start=s, end=e, cue=f"canon character: {c.ao3_tag or c.name}"))
        ev += [e for e in score.evidence if e not in ev]
        out.append(
            TagSuggestion(
                tag=fandom.name,
                confidence=round(min(1.0, confidence), 3),
                evidence=sorted(ev[:MAX_EVIDENCE], key=lambda e: e.start),
            )
        )
    best = max((s.confidence for s in out), default=0.0)
    kept = [s for s in out if s.confidence >= MIN_CONFIDENCE and s.confidence >= RELATIVE * best]
    return sorted(kept, key=lambda s: -s.confidence)
