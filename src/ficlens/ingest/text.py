"""Plain-text reader: FFN-era text files and FanFicFare TXT output. The text is never altered.

This module only reads declared metadata (the FanFicFare title page, FFN-style "Title:" /
"Summary:" lines at the very top). Deciding which spans are paratext is the structure
stage's job, so the two never disagree about segmentation.

FanFicFare's TXT writer lays a file out as: title, "by Author", ``Label: value`` lines
(wrapped at 78 columns, so a long Summary continues on following lines), "TABLE OF
CONTENTS", then each chapter under a tab-indented title, and "End file." at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ficlens.ingest.declared import iso_date, site_of_url, to_int
from ficlens.model import Fic, Metadata, Source

_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ']{0,30}?)\s*:\s*(?P<value>.*)$")
_SKIP = re.compile(
    r"^\W*(?:disclaimer|a\s*/\s*n\b|a\.n\.|an\s*:|author'?s'?\s+notes?|notes?\s*:"
    r"|i\s+(?:do\s+not|don'?t)\s+own)",
    re.I,
)
_URL = re.compile(r"https?://(?:www\.|m\.)?(fanfiction\.net|archiveofourown\.org)/\S+", re.I)


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"\s*[,;]\s*", value) if v.strip()]


def _chapters(meta: Metadata, value: str) -> None:
    m = re.match(r"^\s*(\d+)\s*(?:/\s*(\d+|\?))?\s*$", value)
    if not m:
        meta.extra["Chapters"] = value
        return
    meta.chapter_count = int(m.group(1))
    if m.group(2) and m.group(2) != "?":
        meta.chapters_expected = int(m.group(2))


def _set_date(field: str) -> Callable[[Metadata, str], None]:
    def setter(meta: Metadata, value: str) -> None:
        iso = iso_date(value)
        if iso is None:
            meta.extra[field.capitalize()] = value
        else:
            setattr(meta, field, iso)

    return setter


def _set_words(meta: Metadata, value: str) -> None:
    n = to_int(value)
    if n is None:
        meta.extra["Words"] = value
    else:
        meta.words = n


_FIELDS: dict[str, Callable[[Metadata, str], None]] = {
    "title": lambda m, v: setattr(m, "title", v),
    "author": lambda m, v: setattr(m, "authors", _split(v)),
    "authors": lambda m, v: setattr(m, "authors", _split(v)),
    "summary": lambda m, v: setattr(m, "summary", v),
    "rating": lambda m, v: setattr(m, "rating", v),
    "rated": lambda m, v: setattr(m, "rating", v),
    "language": lambda m, v: setattr(m, "language", v),
    "status": lambda m, v: setattr(m, "status", v),
    "category": lambda m, v: setattr(m, "category", _split(v)),
    "categories": lambda m, v: setattr(m, "category", _split(v)),
    "warnings": lambda m, v: setattr(m, "warnings", _split(v)),
    "warning": lambda m, v: setattr(m, "warnings", _split(v)),
    "characters": lambda m, v: setattr(m, "characters", _split(v)),
    "pairing": lambda m, v: setattr(m, "relationships", _split(v)),
    "pairings": lambda m, v: setattr(m, "relationships", _split(v)),
    "relationships": lambda m, v: setattr(m, "relationships", _split(v)),
    "fandom": lambda m, v: setattr(m, "fandoms", _split(v)),
    "fandoms": lambda m, v: setattr(m, "fandoms", _split(v)),
    "story url": lambda m, v: setattr(m, "url", v),
    "url": lambda m, v: setattr(m, "url", v),
    "words": _set_words,
    "word count": _set_words,
    "chapters": _chapters,
    "published": _set_date("published"),
    "updated": _set_date("updated"),
}
# Labels FanFicFare writes on its title page; two of them after "by Author" identify it.
_FFF_LABELS = frozenset(
    [
        "category",
        "genre",
        "language",
        "status",
        "published",
        "updated",
        "packaged",
        "rating",
        "warnings",
        "chapters",
        "words",
        "publisher",
        "summary",
        "characters",
        "relationships",
    ]
) | {"story url", "author url"}


def _lines(text: str, limit: int = 80) -> list[str]:
    return [ln.strip() for ln in text.splitlines()[:limit]]


def _fanficfare(lines: list[str]) -> tuple[str, str, int] | None:
    """(title, author, index of the first label line) when the FanFicFare header is there."""
    body = [(i, ln) for i, ln in enumerate(lines) if ln]
    if len(body) < 4:
        return None
    (_, title), (_, by), *rest = body
    if not by.lower().startswith("by ") or len(title.split()) > 15:
        return None
    labels = 0
    for _, ln in rest[:6]:
        m = _LABEL.match(ln)
        if m and m.group("label").strip().lower() in _FFF_LABELS:
            labels += 1
    return (title, by[3:].strip(), rest[0][0]) if labels >= 2 else None


def _read_labels(lines: list[str], first: int, meta: Metadata, *, strict: bool) -> None:
    """Read ``Label: value`` lines from ``first`` on; wrapped values continue on the next line.

    ``strict`` (FanFicFare) stops at the first blank line after the block; otherwise
    (FFN-style top lines) disclaimers and notes are skipped and the first story line stops.
    """
    label: str | None = None
    values: dict[str, str] = {}
    original: dict[str, str] = {}
    started = False
    for ln in lines[first:]:
        if not ln:
            label = None
            if strict and started:
                break
            continue
        m = _LABEL.match(ln)
        key = m.group("label").strip().lower() if m else None
        if m and key is not None and (key in _FIELDS or strict or key in _EXTRA_OK):
            label, started = key, True
            if key not in values:
                values[key] = m.group("value").strip()
                original[key] = m.group("label").strip()
            else:
                label = None  # a repeated label: keep the first value, ignore this one
            continue
        if label is not None and (strict or label == "summary"):
            values[label] = f"{values[label]} {ln}".strip()
            continue
        if not strict and _SKIP.match(ln):
            label = None
            continue
        break
    for key, value in values.items():
        if key in _FIELDS:
            _FIELDS[key](meta, value)
        else:
            meta.extra[original[key]] = value


_EXTRA_OK = frozenset({"genre", "genres", "spoilers", "spoiler", "timeline", "setting", "beta"})


def read_plain(text: str, source: Source) -> Fic:
    """Read a plain-text fic; declared header metadata is parsed but the text stays as is."""
    lines = _lines(text)
    meta = Metadata()
    fff = _fanficfare(lines)
    if fff is not None:
        meta.title, author, first = fff
        meta.authors = [author] if author else []
        _read_labels(lines, first, meta, strict=True)
        flavor = "fanficfare_txt"
    else:
        _read_labels(lines, 0, meta, strict=False)
        flavor = "ffn_txt"
    if meta.url is None:
        head = text[:4000] + "\n" + text[-2000:]
        found = _URL.search(head)
        if found:
            meta.url = found.group(0).rstrip(".,;)")
    site = site_of_url(meta.url) or site_of_url(meta.extra.get("Publisher"))
    updated: dict[str, str] = {"flavor": flavor}
    if site is not None and source.site is None:
        updated["site"] = site
    return Fic(text=text, source=source.model_copy(update=updated), metadata=meta)
