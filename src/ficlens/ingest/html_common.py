"""Small helpers shared by the HTML flavors: dates, numbers, chapter headings, merging."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ficlens.ingest.ao3_vocab import normalize_category, normalize_rating, normalize_warning
from ficlens.ingest.html_flatten import TextBuilder
from ficlens.model import Metadata, Site

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$")
_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})$")
_MDY = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$")
_CHAPTER = re.compile(r"^(?:chapter|ch\.?|part)\s*(\d+)\s*(?:[:.\-–—]\s*(.*))?$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d+)\s*[.:)\-–—]\s*(.+)$")
_INT = re.compile(r"\d[\d,.\s]*")
_AO3_WORK = re.compile(r"(?:archiveofourown\.org)?/works/(\d+)")
_FFN_STORY = re.compile(r"fanfiction\.net/s/(\d+)")


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


def iso_date(value: str) -> str | None:
    """Normalise a declared date (ISO, M/D/YYYY, "5 May 2013", "May 5, 2013") to YYYY-MM-DD."""
    s = " ".join(value.split())
    try:
        if m := _ISO.match(s):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := _US.match(s):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, int(m[1]), int(m[2])).isoformat()
        if (m := _DMY.match(s)) and m[2].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1])).isoformat()
        if (m := _MDY.match(s)) and m[1].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1].lower()], int(m[2])).isoformat()
    except ValueError:
        return None
    return None


def epoch_date(value: str) -> str | None:
    """A Unix timestamp (FFN's data-xutime) as an ISO date in UTC."""
    try:
        return datetime.fromtimestamp(int(value), tz=UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        return None


def to_int(value: str) -> int | None:
    """The first integer in ``value``, ignoring thousands separators ("12,345" → 12345)."""
    m = _INT.search(value)
    if not m:
        return None
    digits = re.sub(r"\D", "", m.group(0))
    return int(digits) if digits else None


def split_list(value: str) -> list[str]:
    """Split a comma-separated declared list (AO3 tags cannot contain commas)."""
    return [x for x in (" ".join(p.split()) for p in value.split(",")) if x]


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


def site_of_url(url: str | None) -> Site | None:
    if not url:
        return None
    low = url.lower()
    if "archiveofourown.org" in low or "ao3.org" in low:
        return "ao3"
    if "fanfiction.net" in low:
        return "ffn"
    return None


def work_id_of_url(url: str | None) -> str | None:
    if not url:
        return None
    if m := _AO3_WORK.search(url):
        return m[1]
    if m := _FFN_STORY.search(url):
        return m[1]
    return None


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
