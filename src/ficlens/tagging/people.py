"""Relationship and character tags, named as AO3 names them.

AO3's wrangling guidelines write a relationship as its members' canonical character tags
joined by "/" (romantic) or " & " (platonic, family), "in alphabetical order by FAMILYNAME
(and then GIVENNAME)", a single name counting as the family name: "Rory Gilmore/Jess
Mariano", "Sherlock Holmes/John Watson", "Castiel/Dean Winchester", and for tags written
family name first "Hinata Shouyou/Kageyama Tobio". The family name is the last word of
the knowledge base's given-name-first ``name`` for a canon character ("Shouyou Hinata"),
else the last word of the tag. A pair the knowledge base knows as a ship keeps the
ship's own spelling of its members ("James "Bucky" Barnes", "Loki/Thor (Marvel)"), put in
that order (the shipped files order ship tags by the tag as written, which differs for
given-name-first tags: "Jess Mariano/Rory Gilmore").

Only the relationships that carry the story are tagged: every romantic one close to the
strongest (an ex who is only talked about falls below), platonic and family ones only
when clearly made. Characters are tagged when they matter by mentions and speech.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ficlens.fandoms import KnowledgeBase
from ficlens.fandoms.schema import plain_name
from ficlens.model import Analysis, Character, Evidence, Relationship, TagSuggestion
from ficlens.tagging.cues import MAX_EVIDENCE

MIN_ROMANTIC = 0.25
"""A romantic relationship below this score is not tagged..."""
ROMANTIC_SHARE = 0.5
"""...nor one below this share of the strongest romantic relationship's score..."""
MIN_LEADING_ROMANTIC = 0.12
"""...except the strongest one between the two leads, which needs only this: an angst fic
about two people apart has few romance cues but is still about their pairing."""
LEAD_SHARE = 0.3
"""A lead has at least this share of the top character's presence."""
MIN_PLATONIC = 0.45
"""Platonic and family ties need more, and both people must matter to the story: a
mother mentioned once is a canon tie, not a relationship the fic is about."""
MAX_PLATONIC, MAX_RELATIONSHIPS = 3, 6
"""A novel has dozens of ties; a tag list names the few the story is about."""
CHARACTER_SHARE = 0.08
"""A character is tagged with at least this share of the top character's presence."""
MIN_PRESENCE = 3


def _presence(c: Character) -> float:
    return c.mention_count + 2.0 * c.quote_count


def tag_name(c: Character) -> str:
    return c.ao3_tag or c.name


def _shares(analysis: Analysis) -> dict[str, float]:
    """Each character's presence as a share of the most present character's."""
    presence = {c.id: _presence(c) for c in analysis.characters}
    top = max(presence.values(), default=0.0) or 1.0
    return {cid: p / top for cid, p in presence.items() if p >= MIN_PRESENCE}


def significant_relationships(analysis: Analysis) -> list[Relationship]:
    """The relationships worth a tag, strongest first."""
    share = _shares(analysis)
    romantic = sorted(
        (r for r in analysis.relationships if r.kind == "romantic"), key=lambda r: -r.score
    )
    top = romantic[0].score if romantic else 0.0

    def leads(r: Relationship) -> bool:
        return all(share.get(i, 0.0) >= LEAD_SHARE for i in r.pair)

    def matter(r: Relationship) -> bool:
        return all(share.get(i, 0.0) >= CHARACTER_SHARE for i in r.pair)

    out = [
        r
        for r in analysis.relationships
        if r.declared
        or (
            r.kind == "romantic"
            and r.score >= MIN_ROMANTIC
            and r.score >= ROMANTIC_SHARE * top
            and matter(r)
        )
        or (r.kind != "romantic" and r.score >= MIN_PLATONIC and matter(r))
    ]
    lead = next((r for r in romantic if leads(r)), None)
    if lead is not None and lead not in out and lead.score >= MIN_LEADING_ROMANTIC:
        out.append(lead)
    out.sort(key=lambda r: (not r.declared, -r.score, r.pair))
    kept = [r for r in out if r.kind == "romantic" or r.declared]
    kept += [r for r in out if r.kind != "romantic" and not r.declared][:MAX_PLATONIC]
    return sorted(kept[:MAX_RELATIONSHIPS], key=lambda r: (-r.score, r.pair))


def present_first(r: Relationship) -> list[Evidence]:
    """The relationship's evidence with its romantic history ("ex: …") last."""
    return sorted(r.evidence, key=lambda e: e.cue.startswith("ex"))


_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr|sir|lady|lord|aunt|uncle)\.?\s+", re.IGNORECASE)


def family_key(tag: str, kb: KnowledgeBase | None = None, fandoms: Sequence[str] = ()) -> str:
    """Sort key for AO3's order: family name, then the whole tag ("gilmore rory gilmore")."""
    name = plain_name(tag)
    for fandom in (kb.fandom(f) for f in fandoms) if kb is not None else ():
        c = fandom.character(tag) if fandom is not None else None
        # The KB's name gives the given-name order of the same words ("Hinata Shouyou" is
        # "Shouyou Hinata"); another name altogether ("Kylo Ren" is "Ben Solo") does not
        # change where the tag sorts.
        if c is not None and sorted(c.name.split()) == sorted(name.split()):
            name = c.name
            break
    words = _HONORIFIC.sub("", name).replace('"', " ").split()
    family = words[-1] if words else name
    return f"{family.casefold()} {plain_name(tag).casefold()}"


def relationship_tag(
    names: Sequence[str], romantic: bool, kb: KnowledgeBase | None, fandoms: Sequence[str] = ()
) -> str:
    """AO3's tag for a pairing: members by family name, spelled as the known ship spells them."""
    sep = "/" if romantic else " & "
    scope = list(fandoms)
    members = list(names)
    parts = list(names)
    suffix = ""
    if kb is not None and scope:
        found = kb.ship_by_name(sep.join(names), scope)
        if found is not None:
            _, ship = found
            head = plain_name(ship.tag)
            ship_parts = [p.strip() for p in head.split(sep)]
            same = (ship.kind == "romantic") == romantic and sorted(ship.members) == sorted(names)
            if same and len(ship_parts) == len(ship.members):
                members, parts = list(ship.members), ship_parts
                suffix = ship.tag[len(head) :] if head != ship.tag else ""
    order = sorted(range(len(parts)), key=lambda i: family_key(members[i], kb, scope))
    return sep.join(parts[i] for i in order) + suffix


def suggest_relationships(
    analysis: Analysis, kb: KnowledgeBase | None, fandoms: Sequence[str] = ()
) -> list[TagSuggestion]:
    by_id = {c.id: c for c in analysis.characters}
    out: list[TagSuggestion] = []
    seen: set[str] = set()
    for r in significant_relationships(analysis):
        members = [by_id.get(i) for i in r.pair]
        if any(m is None for m in members):
            continue
        names = [tag_name(m) for m in members if m is not None]
        if len(set(names)) < 2:
            continue
        tag = relationship_tag(names, r.kind == "romantic", kb, fandoms)
        if tag in seen:
            continue
        seen.add(tag)
        confidence = round(min(0.95, max(r.score, 0.9 if r.declared else 0.0)), 3)
        out.append(
            TagSuggestion(tag=tag, confidence=confidence, evidence=present_first(r)[:MAX_EVIDENCE])
        )
    return out


def suggest_characters(analysis: Analysis) -> list[TagSuggestion]:
    """Characters who matter, most present first; relationship members always count."""
    in_pairs = {i for r in significant_relationships(analysis) for i in r.pair}
    cast = [c for c in analysis.characters if not (c.name == "Narrator" and not c.ao3_tag)]
    top = max((_presence(c) for c in cast), default=0.0)
    first: dict[str, tuple[int, int]] = {}
    for m in analysis.mentions:
        if m.kind == "name" and m.character not in first:
            first[m.character] = (m.start, m.end)
    out: list[TagSuggestion] = []
    seen: set[str] = set()
    for c in sorted(cast, key=lambda c: (-_presence(c), c.name)):
        p = _presence(c)
        if c.id not in in_pairs and (p < MIN_PRESENCE or p < CHARACTER_SHARE * top):
            continue
        tag = tag_name(c)
        if tag in seen:
            continue
        seen.add(tag)
        confidence = 0.5 + 0.45 * min(1.0, p / max(top, 1.0)) ** 0.5
        if not c.canon:
            confidence -= 0.1
        ev: list[Evidence] = []
        if c.id in first:
            s, e = first[c.id]
            ev.append(Evidence(start=s, end=e, cue=f"first named: {analysis.text[s:e]}"))
        out.append(TagSuggestion(tag=tag, confidence=round(confidence, 3), evidence=ev))
    return out
