"""Small helpers shared by the HTML flavors: dates, numbers, chapter headings, merging."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ficlens.ingest.ao3_vocab import normalize_category, normalize_rating, normalize_warning
from ficlens.ingest.declared import to_int
from ficlens.ingest.html_flatten import TextBuilder
from ficlens.model import Metadata, Site

_CHAPTER = re.compile(r"^(?:chapter|ch\.?|part)\s*(\d+)\s*(?:[:.\-–—]\s*(.*))?$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d+)\s*[.:)\-–—]\s*(.+)$")


@dataclass
class Parsed:
    """What a flavor reader returns besides the builder's text and structure."""

    metadata: Metadata = field(default_factory=Metadata)
    site: Site | None = None
    authoritative: frozenset[str] = frozenset()
    """Fields the document declares in full: they replace ``base`` even when empty."""


TAG_FIELDS: frozenset[str] = frozenset(
    {"rating", "warnings", "category", "fandoms", "relationships", "characters", "additional_tags"}
)


def chapter_parts(heading: str, position: int | None) -> tuple[int | None, str | None]:
    """(number, title) from a heading like "Chapter 3: The Fall" or "3. The Fall"."""
    h = " ".join(heading.split())
    if m := _CHAPTER.match(h):
        return int(m[1]), (m[2] or "").strip() or None
    if m := _NUMBERED.match(h):
        return int(m[1]), m[2].strip()
    if h.isdigit():
        return int(h), None
    return position, h or None


def ao3_chapters(value: str, meta: Metadata) -> None:
    """Apply AO3's "3/5" or "3/?" chapter display to ``meta``."""
    posted, _, expected = value.partition("/")
    meta.chapter_count = to_int(posted)
    expected = expected.strip()
    meta.chapters_expected = to_int(expected) if expected and expected != "?" else None


def normalise_ao3(meta: Metadata) -> None:
    """Canonical AO3 names for rating, warnings and categories (in place)."""
    if meta.rating:
        meta.rating = normalize_rating(meta.rating)
    meta.warnings = [normalize_warning(w) for w in meta.warnings]
    meta.category = [normalize_category(c) for c in meta.category]


def merge(
    base: Metadata, declared: Metadata, authoritative: frozenset[str] = frozenset()
) -> Metadata:
    """``declared`` values win over ``base`` wherever they are set (or authoritative)."""
    out = base.model_copy(deep=True)
    for name in Metadata.model_fields:
        value = getattr(declared, name)
        if name == "extra":
            out.extra = {**base.extra, **declared.extra}
        elif name in authoritative or value not in (None, [], {}, ""):
            setattr(out, name, value)
    return out


def write_preface(
    b: TextBuilder,
    title: str | None,
    byline: str | None,
    meta_lines: list[str],
) -> None:
    """Title line, "by Author" line and a "Label: value" metadata block."""
    if title:
        b.paragraph(title, "title")
    if byline:
        b.paragraph(byline, "metadata")
    if meta_lines:
        b.lines(meta_lines, "metadata")
