"""Additional (freeform) tags: a table of rules, one per tag, each naming its evidence.

Every rule reads cues (story or notes lexicons), layers of other stages, or both, and
returns a suggestion with the spans that justify it, or nothing. Rules that need a layer
(narrative for First Person, relations for Romance, affect for the mood) use it only when
its stage ran; the mood rules fall back to the sadness/joy cue lexicons without affect.
``RULES`` is the table: tag, the rule in words (shown in the docs and tests), the check.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ficlens.fandoms import EpisodeMention
from ficlens.model import Analysis, Evidence, Relationship, TagSuggestion
from ficlens.tagging.cues import MAX_EVIDENCE, Cue, Cues, evidence


@dataclass(frozen=True)
class Context:
    """What the rules read."""

    analysis: Analysis
    story: Cues
    notes: Cues
    words: int
    episodes: Sequence[EpisodeMention] = ()
    ran: frozenset[str] = frozenset()
    """Later-stage layers present: any of ``narrative``, ``relations``, ``affect``."""
    romantic: Sequence[Relationship] = ()
    """Significant romantic relationships (when relations ran)."""

    def per_k(self, *kinds: str) -> float:
        """Cue weight per 1,000 story words."""
        return self.story.weight(*kinds) / max(self.words / 1000.0, 0.5)

    def ev(self, cues: list[Cue], label: str) -> list[Evidence]:
        return evidence(self.analysis.text, cues, label)


Rule = Callable[[Context], TagSuggestion | None]


def _tag(tag: str, confidence: float, ev: list[Evidence]) -> TagSuggestion:
    return TagSuggestion(
        tag=tag, confidence=round(min(0.95, max(0.05, confidence)), 3), evidence=ev[:MAX_EVIDENCE]
    )


def _mood(ctx: Context) -> tuple[float, float] | None:
    """(share of narrative time where sadness/fear/anger outweigh joy/trust, mean valence)."""
    points = [p for p in ctx.analysis.emotion_arc if p.end > p.start]
    windows = [p for p in points if p.window == "window"] or points
    if "affect" not in ctx.ran or not windows:
        return None
    total = sum(p.end - p.start for p in windows)
    dark = sum(
        p.end - p.start
        for p in windows
        if p.emotions.sadness + p.emotions.fear + p.emotions.anger
        > p.emotions.joy + p.emotions.trust
    )
    valence = sum(p.valence * (p.end - p.start) for p in windows) / total
    return dark / total, valence


def _arc_evidence(ctx: Context, dark: bool) -> list[Evidence]:
    points = [p for p in ctx.analysis.emotion_arc if p.end > p.start]
    key = (lambda p: p.valence) if dark else (lambda p: -p.valence)
    return [
        Evidence(start=p.start, end=p.end, cue=f"emotion arc: valence {p.valence:+.2f}")
        for p in sorted(points, key=key)[:2]
    ]


def angst(ctx: Context) -> TagSuggestion | None:
    neg, pos = ctx.per_k("sad", "fear"), ctx.per_k("joy", "laugh")
    cues_say = ctx.story.weight("sad", "fear") >= 4 and (
        (neg >= 8 and neg >= 2 * pos) or (neg >= 12 and neg >= 1.3 * pos)
    )
    mood = _mood(ctx)
    ev = ctx.ev(ctx.story.get("sad", "fear"), "sadness")
    if mood is not None:
        dark, valence = mood
        if dark >= 0.5 and (valence < 0 or cues_say):
            return _tag("Angst", 0.45 + 0.4 * dark, _arc_evidence(ctx, True)[:1] + ev)
        return None
    if cues_say:
        return _tag("Angst", 0.35 + 0.02 * (neg - 8) + 0.05 * min(neg / max(pos, 1.0), 4.0), ev)
    return None


def fluff(ctx: Context) -> TagSuggestion | None:
    neg, pos = ctx.per_k("sad", "fear"), ctx.per_k("joy", "laugh")
    cues_say = ctx.story.weight("joy", "laugh") >= 4 and pos >= 10 and pos >= 1.5 * neg
    mood = _mood(ctx)
    ev = ctx.ev(ctx.story.get("joy", "laugh"), "joy")
    if mood is not None:
        dark, valence = mood
        if dark <= 0.25 and valence > 0.1:
            return _tag("Fluff", 0.5 + 0.4 * (1 - dark), _arc_evidence(ctx, False)[:1] + ev)
        return None
    if cues_say:
        return _tag("Fluff", 0.35 + 0.02 * (pos - 10), ev)
    return None


def hurt_comfort(ctx: Context) -> TagSuggestion | None:
    hurt = ctx.story.get("sad", "hurt")
    starts = [c.start for c in hurt]
    paired: list[Cue] = []
    for c in ctx.story.get("comfort"):
        i = bisect.bisect_left(starts, c.start) - 1
        if i >= 0 and c.start - hurt[i].end <= 400:
            paired += [hurt[i], c]
    comforts = len({c.start for c in paired if c.kind == "comfort"})
    if comforts >= 2 and comforts / max(ctx.words / 1000.0, 0.5) >= 1.0:
        return _tag("Hurt/Comfort", 0.35 + 0.08 * comforts, ctx.ev(paired, "hurt, then comfort"))
    return None


def romance(ctx: Context) -> TagSuggestion | None:
    cues = ctx.story.get("romance", "kiss", "love_said")
    kinds = {c.kind for c in cues}
    if ctx.romantic:
        best = max(ctx.romantic, key=lambda r: r.score)
        present = [e for e in best.evidence if not e.cue.startswith("ex")]
        return _tag("Romance", 0.4 + 0.5 * best.score, present[:2] + ctx.ev(cues, "romance"))
    dense = ctx.per_k("romance", "kiss", "love_said") >= 2.0
    if "relations" not in ctx.ran and len(kinds) >= 2 and dense and len(cues) >= 3:
        return _tag("Romance", 0.4 + 0.03 * len(cues), ctx.ev(cues, "romance"))
    return None


def humor(ctx: Context) -> TagSuggestion | None:
    fun = ctx.story.get("humor", "laugh")
    density = ctx.per_k("humor", "laugh")
    if len(fun) >= 6 and density >= 7 and density >= 0.6 * ctx.per_k("sad", "fear"):
        return _tag("Humor", 0.3 + 0.02 * density, ctx.ev(fun, "humor"))
    return None


def first_kiss(ctx: Context) -> TagSuggestion | None:
    cues = ctx.story.get("first_kiss")
    return _tag("First Kiss", 0.6 + 0.1 * len(cues), ctx.ev(cues, "first kiss")) if cues else None


def _established(ctx: Context) -> float:
    return ctx.story.weight("established")


def _settled(ctx: Context) -> bool:
    """The couple is together from the start: established cues, dense, outweigh the rest."""
    w = _established(ctx)
    return w >= 2 and ctx.per_k("established") >= 0.5 and w >= ctx.story.weight("together")


def _to_a_partner(ctx: Context, cue: Cue) -> bool:
    """False for "I love you" said between people the relations stage knows only as family
    or friends (a child to her mother); True otherwise, and always without relations."""
    if "relations" not in ctx.ran or not cue.in_speech:
        return True
    q = next((q for q in ctx.analysis.quotes if q.start <= cue.start < q.end), None)
    if q is None or q.speaker is None or not q.addressees:
        return True
    kinds = {frozenset(r.pair): r.kind for r in ctx.analysis.relationships}
    known = [kinds.get(frozenset((q.speaker, a))) for a in q.addressees]
    return "romantic" in known or None in known


def _love_said(ctx: Context) -> list[Cue]:
    return [c for c in ctx.story.get("love_said") if _to_a_partner(ctx, c)]


def love_confessions(ctx: Context) -> TagSuggestion | None:
    said = _love_said(ctx)
    heard = [c for c in said if c.in_speech] or said
    if heard and _established(ctx) < max(2.0, 1.5 * len(heard)):
        return _tag("Love Confessions", 0.55 + 0.1 * len(heard), ctx.ev(heard, "declaration"))
    return None


def established(ctx: Context) -> TagSuggestion | None:
    cues = ctx.story.get("established")
    if _settled(ctx):
        return _tag("Established Relationship", 0.4 + 0.1 * len(cues), ctx.ev(cues, "established"))
    return None


def getting_together(ctx: Context) -> TagSuggestion | None:
    together, said, kisses = ctx.story.get("together"), _love_said(ctx), ctx.story.get("kiss")
    later_kiss = [k for k in kisses if said and k.start > said[0].start]
    if _settled(ctx):
        return None
    if together and (kisses or said):
        cues = together + (later_kiss or kisses)[:1] + said[:1]
        return _tag(
            "Getting Together", 0.45 + 0.1 * len(together), ctx.ev(cues, "getting together")
        )
    if said and later_kiss:
        return _tag("Getting Together", 0.45, ctx.ev(said[:1] + later_kiss[:2], "getting together"))
    return None


def break_up(ctx: Context) -> TagSuggestion | None:
    cues = ctx.story.get("breakup")
    w = ctx.story.weight("breakup")
    if (w >= 2 and ctx.per_k("breakup") >= 0.4) or (w >= 1 and ctx.per_k("breakup") >= 0.8):
        return _tag("Break Up", 0.3 + 0.1 * w, ctx.ev(cues, "break-up"))
    return None


def reunions(ctx: Context) -> TagSuggestion | None:
    cues = ctx.story.get("reunion")
    text = ctx.analysis.text
    wordings = {" ".join(text[c.start : c.end].casefold().split()) for c in cues}
    if len(wordings) >= 3 and ctx.per_k("reunion") >= 1.5:
        return _tag("Reunions", 0.3 + 0.05 * len(cues), ctx.ev(cues, "return"))
    return None


PHONE_BEFORE, PHONE_AFTER = 1500, 600
"""A quotation belongs to a phone call when a phone cue is this close (characters)."""


def phone_calls(ctx: Context) -> TagSuggestion | None:
    strong = ctx.story.get("phone")
    cues = ctx.story.get("phone", "phone_weak")
    if not strong or ctx.story.weight("phone", "phone_weak") < 2 or ctx.per_k("phone") < 0.5:
        return None
    starts = [c.start for c in cues]
    on_phone = 0
    for q in ctx.analysis.quotes:
        if not q.speech:
            continue
        i = bisect.bisect_right(starts, q.start + PHONE_AFTER) - 1
        if i >= 0 and q.start - cues[i].end <= PHONE_BEFORE:
            on_phone += 1
    if on_phone >= 3:
        return _tag("Phone Calls", 0.45 + 0.05 * min(on_phone, 8), ctx.ev(cues, "phone"))
    return None


def flashbacks(ctx: Context) -> TagSuggestion | None:
    found = ctx.analysis.flashbacks
    if not found:
        return None
    ev = [Evidence(start=f.start, end=f.end, cue=f"flashback: {f.cue or 'marked'}") for f in found]
    return _tag("Flashbacks", 0.7 + 0.05 * len(found), ev)


def _episode_ev(ctx: Context) -> list[Evidence]:
    return [
        Evidence(start=e.start, end=e.end, cue=f"episode: {e.episode.title}") for e in ctx.episodes
    ]


def episode_related(ctx: Context) -> TagSuggestion | None:
    if not ctx.episodes:
        return None
    in_notes = any(_in_notes(ctx, e.start) for e in ctx.episodes)
    # "my re-telling of <episode>": the notes say the story retells the episode
    rewrite = ctx.notes.get("rewrite") if in_notes else []
    conf = (0.85 if rewrite else 0.75) if in_notes else 0.45
    return _tag("Episode Related", conf, ctx.ev(rewrite, "note")[:1] + _episode_ev(ctx))


def _in_notes(ctx: Context, offset: int) -> bool:
    return any(s.start <= offset < s.end and s.kind != "story" for s in ctx.analysis.segments)


def missing_scene(ctx: Context) -> TagSuggestion | None:
    cues = ctx.notes.get("missing")
    if not cues:
        return None
    conf = 0.6 if ctx.episodes else 0.4  # "takes place after" what, if no episode is named?
    return _tag("Missing Scene", conf, ctx.ev(cues, "note") + _episode_ev(ctx))


def canon_divergence(ctx: Context) -> TagSuggestion | None:
    cues = ctx.notes.get("divergence")
    return _tag("Canon Divergence", 0.55, ctx.ev(cues, "note")) if cues else None


def post_canon(ctx: Context) -> TagSuggestion | None:
    cues = ctx.notes.get("postcanon")
    return _tag("Post-Canon", 0.5, ctx.ev(cues, "note")) if cues else None


def _narrative_ev(ctx: Context, word: str) -> list[Evidence]:
    ev = ctx.analysis.narrative.evidence
    return [e for e in ev if word in e.cue.casefold()] or ev


def first_person(ctx: Context) -> TagSuggestion | None:
    n = ctx.analysis.narrative
    if "narrative" not in ctx.ran or n.person != "first":
        return None
    return _tag("First Person", 0.5 + 0.45 * (n.person_share or 0.6), _narrative_ev(ctx, "first"))


def present_tense(ctx: Context) -> TagSuggestion | None:
    n = ctx.analysis.narrative
    if "narrative" not in ctx.ran or n.tense != "present":
        return None
    return _tag("Present Tense", 0.5 + 0.45 * (n.tense_share or 0.6), _narrative_ev(ctx, "present"))


def loss_of_virginity(ctx: Context) -> TagSuggestion | None:
    cues = ctx.story.get("virginity")
    sexual = ctx.story.weight("sex_implied", "sex_explicit", "sex_suggestive")
    clear = any(c.weight >= 1.0 for c in cues)  # "lost her virginity", "deflower"
    if clear and ctx.story.weight("virginity") >= 1.5 and sexual >= 2:
        return _tag("Loss of Virginity", 0.4 + 0.1 * len(cues), ctx.ev(cues, "virginity"))
    return None


def alternate_universe(ctx: Context) -> TagSuggestion | None:
    cues = ctx.notes.get("au")
    return _tag("Alternate Universe", 0.6, ctx.ev(cues, "note")) if cues else None


RULES: tuple[tuple[str, str, Rule], ...] = (
    ("Angst", "emotion arc mostly sad/fearful (affect), else dense sadness/fear cues", angst),
    ("Fluff", "emotion arc bright (affect), else dense joy/laughter cues", fluff),
    ("Hurt/Comfort", "two or more comfort cues each within 400 characters of hurt", hurt_comfort),
    ("Romance", "a significant romantic relationship, else several romance cue kinds", romance),
    ("Humor", "six or more jokes/laughter cues, at least 7 per 1,000 words", humor),
    ("First Kiss", '"first kiss", "kissed her for the first time"', first_kiss),
    (
        "Love Confessions",
        '"I love you" said aloud in a relationship not yet established',
        love_confessions,
    ),
    (
        "Established Relationship",
        '"love you too", "our anniversary", "my girlfriend"…',
        established,
    ),
    (
        "Getting Together",
        "a together cue with a kiss or declaration, or a kiss after one",
        getting_together,
    ),
    ("Break Up", '"broke up", "dumped her", "split up"', break_up),
    ("Reunions", '3+ wordings of "came back", "hadn\'t seen her in years"…, dense', reunions),
    ("Phone Calls", "phone cues and three or more speech quotes beside them", phone_calls),
    ("Flashbacks", "flashbacks found by the structure stage", flashbacks),
    (
        "Episode Related",
        "a canon episode title in the notes or quoted in the story",
        episode_related,
    ),
    ("Missing Scene", '"missing scene", "takes place after <episode>" in the notes', missing_scene),
    (
        "Canon Divergence",
        '"what if", "canon divergence", "alternate ending" in the notes',
        canon_divergence,
    ),
    ("Post-Canon", '"post-canon", "after the finale" in the notes', post_canon),
    ("First Person", "narrative person is first (narrative stage)", first_person),
    ("Present Tense", "narrative tense is present (narrative stage)", present_tense),
    (
        "Loss of Virginity",
        '"lost her virginity"/"deflower" among virginity cues, with sexual content',
        loss_of_virginity,
    ),
    ("Alternate Universe", '"AU", "alternate universe" in the notes', alternate_universe),
)


def suggest_additional(ctx: Context) -> list[TagSuggestion]:
    out = [s for _, _, rule in RULES if (s := rule(ctx)) is not None]
    tags = {s.tag for s in out}
    if {"Angst", "Fluff"} <= tags:  # one mood: keep the surer
        weaker = min((s for s in out if s.tag in ("Angst", "Fluff")), key=lambda s: s.confidence)
        out.remove(weaker)
    return sorted(out, key=lambda s: -s.confidence)
