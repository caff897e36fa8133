"""Everything the template shows, computed from one :class:`Analysis`.

The template only loops and prints; the decisions (what agrees with what, where a link
points, what is empty) are made here, in plain typed Python that tests can reach. Values
stay plain ``str``: Jinja2's autoescape escapes them. Only our own tags and CSS are Markup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from markupsafe import Markup

from ficlens.model import Analysis
from ficlens.report.people import Person, name_of, people
from ficlens.report.plots import Plot, all_plots, spoken_words
from ficlens.report.tags import EvidenceLink, TagRow, tag_rows
from ficlens.report.textview import Anchor, annotated_text, chapter_label, preview

_EXCERPT = 90


@dataclass(frozen=True, slots=True)
class CharacterRow:
    person: Person
    aliases: list[str]
    gender: str
    canon: str
    mentions: int
    quotes: int
    words_spoken: int
    first_href: str | None


@dataclass(frozen=True, slots=True)
class Issue:
    """A feedback item or a narrative slip, linked to its place in the text."""

    anchor: str
    label: str
    message: str
    suggestion: str | None
    severity: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class RelationshipRow:
    names: str
    kind: str
    score: float
    evidence: list[EvidenceLink]


@dataclass(frozen=True, slots=True)
class Speaker:
    person: Person
    quotes: int


@dataclass(slots=True)
class ReportView:
    title: str
    authors: list[str]
    fandoms: list[str]
    facts: list[tuple[str, str]]
    summary: str | None
    url: str | None
    url_text: str | None
    tags: list[TagRow]
    any_suggested: bool
    characters: list[CharacterRow]
    speakers: list[Speaker]
    plots: list[Plot]
    narrative: list[tuple[str, str]]
    issues: list[Issue]
    slips: list[Issue]
    relationships: list[RelationshipRow]
    chapters: list[tuple[str, str]]
    text: Markup
    feedback_ran: bool = False
    feedback_rules: list[tuple[str, int, str]] = field(default_factory=list)
    cast: dict[str, Person] = field(default_factory=dict)
    footer: list[tuple[str, str]] = field(default_factory=list)


def _excerpt(text: str, start: int, end: int) -> str:
    return preview(text[start:end], _EXCERPT)


def _facts(a: Analysis) -> list[tuple[str, str]]:
    m, s = a.metadata, a.stats
    chapters = len(a.chapters) or m.chapter_count
    facts: list[tuple[str, str]] = []
    if a.tags.fandoms and not m.fandoms:  # a declared fandom is shown under the title
        facts.append(("Fandom (suggested)", a.tags.fandoms[0].tag))
    facts.append(("Words", f"{s.words:,}"))
    if m.words is not None and m.words != s.words:
        facts.append(("Declared words", f"{m.words:,}"))
    if chapters:
        expected = f"/{m.chapters_expected}" if m.chapters_expected else ""
        facts.append(("Chapters", f"{chapters}{expected}"))
    facts += [("Scenes", str(len(a.scenes)))] if a.scenes else []
    facts += [("Rating", m.rating)] if m.rating else []
    facts += [("Status", m.status)] if m.status else []
    facts += [("Language", m.language)] if m.language else []
    facts += [("Published", m.published)] if m.published else []
    facts += [("Updated", m.updated)] if m.updated else []
    if s.dialogue_share is not None:
        facts.append(("Dialogue", f"{100 * s.dialogue_share:.0f}% of words"))
    source = a.source.format + (f" ({a.source.flavor})" if a.source.flavor else "")
    facts.append(("Source", source))
    return facts


def _safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links; anything else (``javascript:``) stays text."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


def _characters(a: Analysis, cast: dict[str, Person]) -> list[CharacterRow]:
    mentions = Counter(m.character for m in a.mentions)
    quotes = Counter(q.speaker for q in a.quotes if q.speaker is not None)
    words = spoken_words(a)
    rows = []
    for c in a.characters:
        person = cast[c.id]
        canon = (c.ao3_tag or "canon") if c.canon else "not canon"
        href = None
        if mentions[c.id]:
            href = f"#first-{person.key}"
        elif quotes[c.id]:
            href = f"#firstq-{person.key}"
        rows.append(
            CharacterRow(
                person=person,
                aliases=[x for x in dict.fromkeys(c.aliases) if x != c.name],
                gender=c.gender,
                canon=canon,
                mentions=c.mention_count or mentions[c.id],
                quotes=c.quote_count or quotes[c.id],
                words_spoken=words.get(c.id, 0),
                first_href=href,
            )
        )
    # the narrator first, then by how present each character is: mentions, then talk
    rows.sort(key=lambda r: (not r.person.narrator, -r.mentions, -r.quotes, -r.words_spoken))
    return rows


def _anchors(a: Analysis, tags: list[TagRow]) -> list[Anchor]:
    anchors = [
        Anchor(ev.start, ev.end, ev.anchor, f"Evidence for {view.tag}: {ev.cue}")
        for row in tags
        for view in row.suggested
        for ev in view.evidence
    ]
    for i, rel in enumerate(a.relationships):
        for j, ev in enumerate(rel.evidence):
            anchors.append(Anchor(ev.start, ev.end, f"rel-{i}-{j}", f"{rel.kind}: {ev.cue}"))
    return anchors


def _relationships(a: Analysis, cast: dict[str, Person]) -> list[RelationshipRow]:
    return [
        RelationshipRow(
            names=" / ".join(name_of(cast, cid) for cid in rel.pair),
            kind=rel.kind,
            score=rel.score,
            evidence=[
                EvidenceLink(f"rel-{i}-{j}", ev.start, ev.end, ev.cue)
                for j, ev in enumerate(rel.evidence)
            ],
        )
        for i, rel in enumerate(a.relationships)
    ]


def _narrative(a: Analysis, cast: dict[str, Person]) -> list[tuple[str, str]]:
    n = a.narrative
    rows: list[tuple[str, str]] = []
    narrator = next((p for p in cast.values() if p.narrator), None)
    if narrator:
        rows.append(("First-person narrator", narrator.name))
    if n.person:
        rows.append(("Person", f"{n.person} person{_share(n.person_share)}"))
    if n.tense:
        rows.append(("Tense", f"{n.tense}{_share(n.tense_share)}"))
    if n.focal:
        rows.append(("Focal characters", ", ".join(name_of(cast, f) for f in n.focal)))
    shifts = sum(1 for sc in a.scenes if sc.opened_by == "viewpoint")
    if shifts:
        rows.append(("Unmarked viewpoint shifts", str(shifts)))
    if "narrative" in a.timings:
        rows.append(("Tense and viewpoint slips", str(len(n.slips))))
    return rows


def _share(value: float | None) -> str:
    """How much of the narration's evidence agrees, for a reader to weigh the call."""
    return "" if value is None else f" ({100 * value:.0f}% of the cues agree)"


def build_view(a: Analysis) -> ReportView:
    """Assemble every section of the report."""
    cast = people(a)
    tags = tag_rows(a)
    quote_counts = Counter(q.speaker for q in a.quotes if q.speaker is not None)
    title = a.metadata.title or (PurePath(a.source.path).name if a.source.path else "Untitled")
    footer = [("ficlens", a.ficlens_version), ("Schema", str(a.schema_version))]
    footer += [("sha256", a.source.sha256)] if a.source.sha256 else []
    if a.timings:
        footer.append(("Analysis time", f"{sum(a.timings.values()):.2f} s"))
    return ReportView(
        title=title,
        authors=list(a.metadata.authors),
        fandoms=list(a.metadata.fandoms),
        facts=_facts(a),
        summary=a.metadata.summary,
        url=_safe_url(a.metadata.url),
        url_text=a.metadata.url,
        tags=[row for row in tags if row.declared or row.suggested],
        any_suggested=any(row.suggested for row in tags),
        characters=_characters(a, cast),
        speakers=[Speaker(cast[cid], n) for cid, n in quote_counts.most_common() if cid in cast],
        plots=all_plots(a, cast),
        narrative=_narrative(a, cast),
        issues=[
            Issue(
                f"fb-{i + 1}",
                f.rule,
                f.message,
                f.suggestion,
                f.severity,
                _excerpt(a.text, f.start, f.end),
            )
            for i, f in enumerate(a.feedback)
        ],
        slips=[
            Issue(
                f"slip-{i + 1}",
                s.kind,
                s.message,
                None,
                "warning",
                _excerpt(a.text, s.start, s.end),
            )
            for i, s in enumerate(a.narrative.slips)
        ],
        relationships=_relationships(a, cast),
        chapters=[
            (f"chapter-{ch.index + 1}", chapter_label(ch.number, ch.index, ch.title))
            for ch in a.chapters
        ],
        text=annotated_text(a, cast, _anchors(a, tags)),
        cast=cast,
        footer=footer,
        feedback_ran="feedback" in a.timings,
        feedback_rules=_rule_counts(a),
    )


def _rule_counts(a: Analysis) -> list[tuple[str, int, str]]:
    """(rule, items, anchor of its first item), most frequent first: a writer sees the
    habit ("51 × a full stop before the speech tag") before the single slips."""
    counts = Counter(f.rule for f in a.feedback)
    first: dict[str, str] = {}
    for i, f in enumerate(a.feedback):
        first.setdefault(f.rule, f"fb-{i + 1}")
    return [(rule, n, first[rule]) for rule, n in counts.most_common()]
