"""Which fandom is a fic from? Declared fandoms first, then canon names found in the text.

Without a declaration the text is scanned once with a single compiled regex of every
fandom's names, nicknames, places, named things and ship names. Each distinct form found
adds a weight that grows with how telling it is (a full name or a place more than a bare
first name), shrinks when it is an everyday word ("Will", "Grace"), and grows only
logarithmically with repetition, so that *several different* canon names beat one name
said many times. A name several fandoms share ("Dean", "Sam", "Rory") is split between
them in proportion to the evidence each has that is theirs alone: with "Stars Hollow" in
the text, "Dean" is Dean Forester far more than Dean Winchester.
"""

from __future__ import annotations

import bisect
import math
import re
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from ficlens.fandoms.kb import KnowledgeBase
from ficlens.fandoms.loader import load_knowledge_base
from ficlens.fandoms.names import name_key, name_parts, trie_pattern
from ficlens.fandoms.schema import plain_name
from ficlens.model import Analysis, Evidence

MIN_SCORE = 0.08
"""Fandoms scoring below this are left out: one shared first name is not a fandom."""
SCALE = 8.0
"""Raw evidence weight at which the score reaches 1 - 1/e (about 0.63)."""
UNDECLARED_CAP = 0.95
"""A fandom found only in the text never outranks a declared one (score 1.0)."""
RELATIVE_FLOOR = 0.1
"""An undeclared fandom with less than this share of the leader's evidence is noise."""
PARATEXT_FACTOR = 0.3
"""Names only in notes and disclaimers (a beta reader called Missy) count this much."""
NOTE_KINDS = frozenset({"authors_note", "disclaimer", "dedication"})
"""Segments where names are often real people's; summaries and pairings are not among them."""
MAX_EVIDENCE = 12
_REPEAT_CAP = 3.0  # one form counts at most this many times its weight

W_FANDOM_NAME, W_ACRONYM, W_FULL_NAME, W_NICKNAME = 8.0, 3.0, 3.0, 1.5
W_FIRST_NAME, W_SURNAME, W_PLACE_LONG, W_PLACE, W_THING, W_SHIP = 0.8, 0.8, 2.5, 1.5, 1.5, 3.0
W_EPISODE, W_CHARACTER_TAG, W_CHARACTER = 4.0, 2.0, 1.0
COMMON_FACTOR = 0.15

_COMMON_TEXT = """
will may june april rose grace hope faith joy dawn summer autumn spring winter mark bill jack
max rich sky star angel spike master doctor ten nine eleven eight data q war famine death
pollution dog vision honor baby king queen prince princess gypsy amber rex quark chuck god
ruby paris lance hunk mona america england france russia china japan germany italy prussia
spain austria hungary canada lithuania poland sweden finland denmark norway romano lucky
happy pepper storm wolf guy heaven hell earth strange fury rocket titan nat twelve
thirteen fourteen fifteen river seven bones jane papa enterprise armageddon eden ukraine
belarus iceland greece switzerland liechtenstein sealand whiskey tango black young
grant hill chase summers knight pink song pond noble device singer masters wells carver
holland flint rue dare nurse sunday bishop calendar supernatural marvel
"""
COMMON_WORDS = frozenset(_COMMON_TEXT.split()) | {
    "the doctor",
    "the master",
    "north italy",
    "south italy",
    "the sheriff",
    "number one",
    "united states",
    "hong kong",
}
"""Everyday words that are also canon names; found alone they are weak evidence."""


class FandomScore(BaseModel):
    """How likely a fic belongs to a fandom (0..1), with the spans that say so."""

    fandom: str
    score: float = Field(ge=0.0, le=1.0)
    declared: bool = False
    evidence: list[Evidence] = Field(default_factory=list)


@dataclass
class _Scanner:
    pattern: re.Pattern[str] | None
    forms: dict[str, list[tuple[int, float, str]]]  # form → (fandom index, weight, cue)
    story_only: frozenset[str]  # character and place forms: weak outside story segments


@dataclass
class _Tally:
    raw: float = 0.0
    evidence: list[tuple[float, Evidence]] = field(default_factory=list)  # (weight, span)

    def add(self, weight: float, start: int, end: int, cue: str) -> None:
        self.raw += weight
        self.evidence.append((weight, Evidence(start=start, end=end, cue=cue)))

    def best_evidence(self) -> list[Evidence]:
        top = sorted(self.evidence, key=lambda we: (-we[0], we[1].start))[:MAX_EVIDENCE]
        return sorted((e for _, e in top), key=lambda e: e.start)


_SCANNERS: weakref.WeakKeyDictionary[KnowledgeBase, _Scanner] = weakref.WeakKeyDictionary()


def _build_scanner(kb: KnowledgeBase) -> _Scanner:
    raw: dict[str, dict[int, tuple[float, str]]] = defaultdict(dict)

    def put(form: str, fi: int, weight: float, cue: str) -> None:
        old = raw[form].get(fi)
        if old is None or old[0] < weight:
            raw[form][fi] = (weight, cue)

    def add(form: str, fi: int, weight: float, cue: str) -> None:
        form = form.strip()
        if name_key(form) in COMMON_WORDS:
            weight *= COMMON_FACTOR
        if form.casefold().startswith("the ") and form[4:5].isupper():
            # "the Burrow" is scanned as "the Burrow" and "The Burrow", never bare "Burrow"
            put("the " + form[4:], fi, weight, cue)
            put("The " + form[4:], fi, weight, cue)
        elif len(form) >= 2 and form[0].isupper():  # lowercase forms are everyday phrases
            put(form, fi, weight, cue)

    for fi, f in enumerate(kb.fandoms):
        places = {name_key(p.removeprefix("the ")) for p in f.places}
        for n in (f.name, plain_name(f.name), *f.aliases, *f.name.split(" | ")):
            short = n.isupper() and len(n) <= 5
            add(n, fi, W_ACRONYM if short else W_FANDOM_NAME, f"fandom: {f.name}")
        for c in f.characters:
            for form in c.forms:
                full = len(form.split()) >= 2 and not form.casefold().startswith("the ")
                add(form, fi, W_FULL_NAME if full else W_NICKNAME, f"character: {c.tag}")
            for word, part in name_parts(c.name):
                if name_key(word) not in places:
                    weight = W_FIRST_NAME if part == "first_name" else W_SURNAME
                    add(word, fi, weight, f"character: {c.tag}")
        for p in f.places:
            long = len(p.split()) >= 2
            add(p, fi, W_PLACE_LONG if long else W_PLACE, f"place: {p}")
        for t in f.things:
            add(t, fi, W_THING, f"canon: {t}")
        for s in f.ships:
            for n in s.names:
                if len(n) >= 4 and "/" not in n:
                    add(n, fi, W_SHIP, f"ship: {s.tag}")
    forms = {form: [(fi, w, cue) for fi, (w, cue) in per.items()] for form, per in raw.items()}
    story_only = frozenset(
        form
        for form, entries in forms.items()
        if all(cue.startswith(("character:", "place:")) for _, _, cue in entries)
    )
    if not forms:
        return _Scanner(None, {}, story_only)
    pattern = re.compile(r"(?<!\w)(?:" + trie_pattern(forms) + r")(?!\w)")
    return _Scanner(pattern, forms, story_only)


def _story_test(analysis: Analysis) -> Callable[[int], bool]:
    """Whether an offset lies outside notes; everything counts as story without segments."""
    paratext = [(s.start, s.end) for s in analysis.segments if s.kind in NOTE_KINDS]
    if not paratext:
        return lambda _: True
    starts = [a for a, _ in paratext]

    def in_story(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i < 0 or offset >= paratext[i][1]

    return in_story


def _repeat(n: int) -> float:
    return min(1.0 + math.log(n), _REPEAT_CAP)


def _scanner(kb: KnowledgeBase) -> _Scanner:
    found = _SCANNERS.get(kb)
    if found is None:
        found = _SCANNERS[kb] = _build_scanner(kb)
    return found


def _declared(analysis: Analysis, kb: KnowledgeBase) -> list[str]:
    names: list[str] = []
    for entry in analysis.metadata.fandoms:
        f = kb.fandom(entry)
        parts = [entry] if f else re.split(r"\s*(?:[,;+/]|\s&\s|\bx\b)\s*", entry)
        for part in parts:
            part = re.sub(r"\bcrossovers?\b", "", part, flags=re.IGNORECASE).strip()
            found = kb.fandom(part) if part else None
            if found is not None and found.name not in names:
                names.append(found.name)
    return names


def _find(text: str, needle: str) -> Evidence | None:
    """Where a declared fandom name is written in the text (a header or disclaimer)."""
    m = re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text, re.IGNORECASE)
    return Evidence(start=m.start(), end=m.end(), cue=f"declared fandom: {needle}") if m else None


def detect_fandom(analysis: Analysis, kb: KnowledgeBase | None = None) -> list[FandomScore]:
    """Fandoms the fic plausibly belongs to, best first; empty when nothing points anywhere.

    A fandom declared in ``analysis.metadata.fandoms`` (by AO3 tag or alias) scores 1.0;
    fandoms found only through canon names, places, ship names and quoted episode titles
    in ``analysis.text`` (and canon characters in ``analysis.characters``) score below
    that. Evidence spans index ``analysis.text``.
    """
    kb = kb or load_knowledge_base()
    text = analysis.text
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    scanner = _scanner(kb)
    in_story = _story_test(analysis)
    hits: dict[str, list[int]] = {}  # form → [story count, other count, first start, first end]
    if scanner.pattern is not None:
        for m in scanner.pattern.finditer(text):
            form = m.group()
            hit = hits.get(form)
            if hit is None:
                hit = hits[form] = [0, 0, m.start(), m.end()]
            story = form not in scanner.story_only or in_story(m.start())
            if story and not hit[0]:  # prefer a span in the story as evidence
                hit[2], hit[3] = m.start(), m.end()
            hit[0 if story else 1] += 1
    # (fandom index, weight, cue) per fandom that has the form, repeat factor, first span
    shared: list[tuple[list[tuple[int, float, str]], float, int, int]] = []
    for form, (n_story, n_other, start, end) in hits.items():
        factor = _repeat(n_story) if n_story else PARATEXT_FACTOR * _repeat(n_other)
        entries = scanner.forms[form]
        if len(entries) == 1:
            fi, weight, cue = entries[0]
            tallies[fi].add(weight * factor, start, end, cue)
        else:
            shared.append((entries, factor, start, end))
    index = {f.name: i for i, f in enumerate(kb.fandoms)}
    episodes: dict[str, tuple[dict[int, str], int, int]] = {}  # one count per title
    for ep in kb.episodes_in(text):
        owners, _, _ = episodes.setdefault(name_key(ep.episode.title), ({}, ep.start, ep.end))
        owners[index[ep.fandom.name]] = f"episode: {ep.episode.title}"
    for owners, start, end in episodes.values():
        ep_entries = [(fi, W_EPISODE, cue) for fi, cue in owners.items()]
        if len(ep_entries) == 1:  # a title two shows share ("Swan Song") is split like a name
            tallies[ep_entries[0][0]].add(W_EPISODE, start, end, ep_entries[0][2])
        else:
            shared.append((ep_entries, 1.0, start, end))
    _add_characters(analysis, kb, tallies, index)
    own = {fi: t.raw for fi, t in tallies.items()}
    for entries, factor, start, end in shared:
        total = sum(own.get(fi, 0.0) + 1.0 for fi, _, _ in entries)
        for fi, weight, cue in entries:
            share = (own.get(fi, 0.0) + 1.0) / total
            tallies[fi].add(weight * factor * share, start, end, cue)

    declared = _declared(analysis, kb)
    out: list[FandomScore] = []
    for name in declared:
        fi = index[name]
        ev = [e for e in (_find(text, d) for d in (name, *kb.fandoms[fi].aliases)) if e][:1]
        ev += tallies.pop(fi, _Tally()).best_evidence()
        out.append(FandomScore(fandom=name, score=1.0, declared=True, evidence=ev))
    ranked = sorted(tallies.items(), key=lambda kv: (-kv[1].raw, kb.fandoms[kv[0]].name))
    top = ranked[0][1].raw if ranked else 0.0
    for fi, t in ranked:
        score = min(UNDECLARED_CAP, 1.0 - math.exp(-t.raw / SCALE))
        if score >= MIN_SCORE and t.raw >= RELATIVE_FLOOR * top:
            ev = t.best_evidence()
            out.append(FandomScore(fandom=kb.fandoms[fi].name, score=round(score, 4), evidence=ev))
    return out


def _add_characters(
    analysis: Analysis, kb: KnowledgeBase, tallies: dict[int, _Tally], index: dict[str, int]
) -> None:
    """Characters found by the characters stage: a canon AO3 tag is strong evidence."""
    first_mention: dict[str, Evidence] = {}
    for m in analysis.mentions:
        if m.character not in first_mention and m.kind == "name":
            first_mention[m.character] = Evidence(start=m.start, end=m.end, cue="")
    for ch in analysis.characters:
        hits: dict[int, float] = {}
        if ch.ao3_tag:
            for f in kb.fandoms:
                if f.character(ch.ao3_tag) is not None:
                    hits[index[f.name]] = W_CHARACTER_TAG
        if not hits:
            for name in (ch.name, *ch.aliases):
                matches = [m for m in kb.match_character(name) if m.strength == "exact"]
                fandoms = {index[m.fandom.name] for m in matches}
                for fi in fandoms:
                    hits[fi] = max(hits.get(fi, 0.0), W_CHARACTER / len(fandoms))
        for fi, w in hits.items():
            ev = first_mention.get(ch.id)
            if ev is None:
                tallies[fi].raw += w
            else:
                tallies[fi].add(w, ev.start, ev.end, f"character: {ch.ao3_tag or ch.name}")
