"""The output contract (schema version 1): the one typed result every output is made from.

Every span is a pair of Python ``str`` offsets ``start``/``end`` (half-open) into
``Analysis.text``. Ingest produces a :class:`Fic`; the pipeline turns it into an
:class:`Analysis`. Layers that later stages fill start empty so that the JSON shape is
stable from the first release on.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

SegmentKind = Literal[
    "disclaimer",
    "authors_note",
    "title",
    "summary",
    "spoilers",
    "rating",
    "pairing",
    "dedication",
    "chapter_heading",
    "scene_break",
    "scene_description",
    "metadata",
    "toc",
    "story",
]
PARATEXT_KINDS: frozenset[str] = frozenset(get_args(SegmentKind)) - {
    "chapter_heading",
    "scene_break",
    "story",
}
"""Segment kinds that are about the work rather than part of it."""
SourceFormat = Literal["text", "html", "epub"]
Site = Literal["ao3", "ffn"]
Person = Literal["first", "second", "third"]
Tense = Literal["present", "past"]
Gender = Literal["female", "male", "nonbinary", "unknown"]
MentionKind = Literal["name", "pronoun", "nominal"]
QuoteType = Literal["explicit", "anaphoric", "implicit"]
RelationshipKind = Literal["romantic", "platonic", "family"]
Severity = Literal["info", "warning", "error"]
SceneOpening = Literal["structure", "viewpoint"]
EmotionWindow = Literal["scene", "window"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A half-open ``[start, end)`` range of ``Analysis.text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


# --------------------------------------------------------------------------- source


class Source(_Model):
    """Where the text came from and how it was read."""

    path: str | None = None
    format: SourceFormat = "text"
    flavor: str = Field(
        default="plain",
        description="reader variant, e.g. ffn_txt, fanficfare_txt, ao3_html, ao3_page, "
        "ffn_page, fanficfare_html, ao3_epub, fanficfare_epub, generic_html, generic_epub",
    )
    encoding: str | None = None
    sha256: str | None = Field(default=None, description="sha256 of the raw input bytes")
    site: Site | None = None


class Metadata(_Model):
    """What the source declares about the work (never inferred)."""

    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    fandoms: list[str] = Field(default_factory=list)
    summary: str | None = None
    rating: str | None = None
    warnings: list[str] = Field(default_factory=list)
    category: list[str] = Field(default_factory=list)
    relationships: list[str] = Field(default_factory=list)
    characters: list[str] = Field(default_factory=list)
    additional_tags: list[str] = Field(default_factory=list)
    language: str | None = None
    series: list[str] = Field(default_factory=list)
    words: int | None = Field(default=None, description="declared word count")
    chapter_count: int | None = Field(default=None, description="declared chapters posted")
    chapters_expected: int | None = Field(default=None, description="None when unknown ('?')")
    status: str | None = Field(default=None, description="e.g. Complete, In-Progress")
    published: str | None = Field(default=None, description="ISO date YYYY-MM-DD")
    updated: str | None = None
    url: str | None = None
    work_id: str | None = None
    extra: dict[str, str] = Field(
        default_factory=dict, description="other declared label/value pairs, verbatim"
    )


# ------------------------------------------------------------------------- structure


class Segment(Span):
    kind: SegmentKind


class Chapter(Span):
    index: int = Field(ge=0)
    number: int | None = None
    title: str | None = None


class Evidence(Span):
    cue: str


class Pov(_Model):
    person: Person | None = None
    focal: list[str] = Field(default_factory=list, description="character ids")
    person_share: float | None = Field(
        default=None, ge=0.0, le=1.0, description="share of the narration's person cues that agree"
    )
    evidence: list[Evidence] = Field(default_factory=list, description="spans behind the focal")


class Scene(Span):
    index: int = Field(ge=0)
    chapter: int = Field(ge=0, description="index into Analysis.chapters")
    pov: Pov = Field(default_factory=Pov)
    tense: Tense | None = None
    tense_share: float | None = Field(
        default=None, ge=0.0, le=1.0, description="share of the narration's finite verbs that agree"
    )
    opened_by: SceneOpening = Field(
        default="structure",
        description="structure: the text's start, a chapter or a scene-break line; "
        "viewpoint: an unmarked viewpoint shift found by the narrative stage",
    )


class Flashback(Span):
    cue: str | None = Field(default=None, description="the marker that opened it")


# ------------------------------------------------------------------------ characters


class Character(_Model):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    gender: Gender = "unknown"
    canon: bool = False
    ao3_tag: str | None = None
    mention_count: int = 0
    quote_count: int = 0
    dialogue_valence: float | None = Field(
        default=None, description="mean valence of the character's speech (affect stage)"
    )


class Mention(Span):
    character: str
    kind: MentionKind


class Quote(Span):
    speech: bool = Field(
        default=True,
        description="False for quoted words that are not dialogue: a title, a scare quote, "
        "a remembered word (their speaker is always null)",
    )
    speaker: str | None = None
    addressees: list[str] = Field(default_factory=list)
    type: QuoteType | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)


# ------------------------------------------------------------------------- narrative


class Slip(Span):
    kind: str
    message: str


class Narrative(_Model):
    person: Person | None = None
    tense: Tense | None = None
    person_share: float | None = Field(default=None, ge=0.0, le=1.0)
    tense_share: float | None = Field(default=None, ge=0.0, le=1.0)
    focal: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(
        default_factory=list, description="sample spans behind person and tense"
    )
    slips: list[Slip] = Field(default_factory=list)


# ------------------------------------------------------------------------- relations


class Interaction(_Model):
    a: str
    b: str
    dialogue_turns: int = Field(default=0, description="a_to_b + b_to_a")
    a_to_b: int = Field(default=0, description="speech quotes by a addressed to b")
    b_to_a: int = 0
    shared_scenes: int = 0
    mentions: int = Field(default=0, description="times either names or refers to the other")
    weight: float = 0.0


class Relationship(_Model):
    pair: tuple[str, str]
    kind: RelationshipKind
    score: float
    declared: bool = Field(default=False, description="the source declares this pairing")
    evidence: list[Evidence] = Field(default_factory=list)


class Emotions(_Model):
    joy: float = 0.0
    sadness: float = 0.0
    anger: float = 0.0
    fear: float = 0.0
    trust: float = 0.0
    surprise: float = 0.0
    disgust: float = 0.0
    anticipation: float = 0.0


class EmotionPoint(Span):
    window: EmotionWindow = Field(
        default="window", description="scene: one point per scene; window: fixed word windows"
    )
    index: int = Field(default=0, ge=0, description="position among points of its window kind")
    valence: float
    emotions: Emotions = Field(default_factory=Emotions)


# --------------------------------------------------------------------------- tagging


class TagSuggestion(_Model):
    tag: str
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)


class Tags(_Model):
    fandoms: list[TagSuggestion] = Field(default_factory=list)
    rating: list[TagSuggestion] = Field(default_factory=list)
    warnings: list[TagSuggestion] = Field(default_factory=list)
    category: list[TagSuggestion] = Field(default_factory=list)
    relationships: list[TagSuggestion] = Field(default_factory=list)
    characters: list[TagSuggestion] = Field(default_factory=list)
    additional: list[TagSuggestion] = Field(default_factory=list)


class Feedback(Span):
    rule: str
    message: str
    suggestion: str | None = None
    severity: Severity = "info"


class Stats(_Model):
    characters: int = Field(default=0, description="length of Analysis.text")
    words: int = Field(default=0, description="whitespace-separated words in story segments")
    paratext_words: int = 0
    sentences: int = 0
    paragraphs: int = 0
    dialogue_share: float | None = None
    words_spoken: dict[str, int] = Field(default_factory=dict)


# --------------------------------------------------------------------------- results


class Fic(_Model):
    """What ingest hands to the pipeline: the text plus whatever the source declares.

    ``declared_segments`` and ``declared_chapters`` carry structure that a markup source
    states outright (AO3 summary blockquote, ``h2.heading``, ``<hr>``); the structure
    stage trusts them and only detects what is left. ``italic_spans`` records wholly
    italic passages, which the flashback detector uses.
    """

    text: str
    source: Source = Field(default_factory=Source)
    metadata: Metadata = Field(default_factory=Metadata)
    declared_segments: list[Segment] = Field(default_factory=list)
    declared_chapters: list[Chapter] = Field(default_factory=list)
    italic_spans: list[Span] = Field(default_factory=list)


class Analysis(_Model):
    """The single source of truth for JSON, report, exports, library and eval."""

    schema_version: int = SCHEMA_VERSION
    ficlens_version: str
    source: Source
    text: str
    metadata: Metadata = Field(default_factory=Metadata)
    segments: list[Segment] = Field(default_factory=list)
    chapters: list[Chapter] = Field(default_factory=list)
    scenes: list[Scene] = Field(default_factory=list)
    flashbacks: list[Flashback] = Field(default_factory=list)
    characters: list[Character] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    narrative: Narrative = Field(default_factory=Narrative)
    interactions: list[Interaction] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    emotion_arc: list[EmotionPoint] = Field(default_factory=list)
    tags: Tags = Field(default_factory=Tags)
    feedback: list[Feedback] = Field(default_factory=list)
    stats: Stats = Field(default_factory=Stats)
    timings: dict[str, float] = Field(default_factory=dict, description="seconds per stage")
