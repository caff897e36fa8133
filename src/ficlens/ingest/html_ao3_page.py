"""A saved AO3 work page (what a browser's "Save page" writes).

Only the work is read: ``dl.work.meta.group`` (tags and stats), the work preface in
``#workskin`` (``h2.title``, ``h3.byline``, summary and notes modules), ``#chapters``
(``div.chapter`` with ``h3.title``, chapter preface, ``div.userstuff[role=article]`` and end
notes; a single-chapter work has ``#chapters > div.userstuff``) and the afterword. Site
chrome (header, navigation, kudos, comments, footer) is never visited.
"""

from __future__ import annotations

import re
from collections import Counter

from selectolax.lexbor import LexborHTMLParser

from ficlens.ingest.html_ao3 import apply_stats, apply_tag_field, dd_text
from ficlens.ingest.html_common import (
    TAG_FIELDS,
    Parsed,
    chapter_parts,
    normalise_ao3,
    write_preface,
)
from ficlens.ingest.html_flatten import (
    Node,
    TextBuilder,
    block_text,
    classes,
    elements,
    inline_text,
)
from ficlens.model import Metadata, SegmentKind

_WORK_LINK = re.compile(r"(?:https?://(?:www\.)?archiveofourown\.org)?/works/(\d+)")
_CHAPTER_ID = re.compile(r"^chapter-(\d+)$")


def is_ao3_page(docs: list[LexborHTMLParser]) -> bool:
    return any(doc.css_first("dl.work.meta, #workskin") is not None for doc in docs)


def _skip_landmark(node: Node) -> bool:
    return "landmark" in classes(node)


def read_ao3_page(docs: list[LexborHTMLParser], b: TextBuilder) -> Parsed:
    meta = Metadata()
    doc = next(d for d in docs if d.css_first("dl.work.meta, #workskin") is not None)
    lines = _read_meta(doc.css_first("dl.work.meta"), meta)
    skin = doc.css_first("#workskin") or doc.body
    if skin is None:
        return Parsed(metadata=meta, site="ao3")
    preface = next(
        (
            n
            for n in elements(skin)
            if "preface" in classes(n) and not classes(n) & {"chapter", "afterword"}
        ),
        None,
    )
    title_node = (preface or skin).css_first("h2.title")
    byline = (preface or skin).css_first("h3.byline")
    meta.title = inline_text(title_node) or None
    if byline is not None:
        names = [inline_text(a) for a in byline.css('a[rel="author"]')] or [
            inline_text(a) for a in byline.css("a")
        ]
        meta.authors = [n for n in names if n] or [inline_text(byline)]
    write_preface(b, meta.title, f"by {', '.join(meta.authors)}" if meta.authors else None, lines)
    if preface is not None:
        _write_modules(b, preface)
        meta.summary = block_text(preface.css_first(".summary blockquote")) or None
    chapters = skin.css_first("#chapters")
    if chapters is not None:
        _read_chapters(chapters, b)
    b.end_chapter()
    for after in skin.css("div.afterword"):
        _write_modules(b, after)
    _find_url(doc, meta)
    normalise_ao3(meta)
    return Parsed(metadata=meta, site="ao3", authoritative=TAG_FIELDS if lines else frozenset())


def _read_meta(dl: Node | None, meta: Metadata) -> list[str]:
    """Parse the work meta list; return its "Label: value" lines for the text."""
    if dl is None:
        return []
    lines: list[str] = []
    label = ""
    for item in elements(dl):
        if item.tag == "dt":
            label = inline_text(item)
        elif item.tag == "dd" and label:
            cls = classes(item)
            if "stats" in cls:
                stats = item.css_first("dl.stats") or item
                value = inline_text(stats)
                apply_stats(meta, value)
                _extra_stats(stats, meta)
                lines.append(f"Stats: {value}")
                continue
            key = label
            if "freeform" in cls:
                key = "Additional Tags"
            elif "warning" in cls:
                key = "Archive Warning"
            apply_tag_field(meta, key, item)
            shown = (meta.extra.get("Series") if "series" in cls else None) or dd_text(item)
            lines.append(f"{label.rstrip(':')}: {shown}")
    return lines


def _extra_stats(stats: Node, meta: Metadata) -> None:
    for dd in stats.css("dd"):
        cls = classes(dd) - {"published", "status", "words", "chapters"}
        for name in cls & {"kudos", "hits", "bookmarks", "comments", "collections"}:
            meta.extra[name.capitalize()] = inline_text(dd)


def _write_modules(b: TextBuilder, group: Node) -> None:
    """Summary/notes modules: heading label + blockquote; "(See the end…)" jumps dropped."""
    for module in elements(group):
        cls = classes(module)
        if "summary" in cls:
            kind: SegmentKind = "summary"
        elif "notes" in cls:
            kind = "authors_note"
        elif "children" in cls or "associations" in cls:
            b.node(module, "metadata")
            continue
        else:
            continue
        assoc = module.css_first("ul.associations")
        if assoc is not None:
            b.node(assoc, "metadata")
        quote = module.css_first("blockquote")
        if quote is None:
            continue
        with b.region(kind):
            b.paragraph(inline_text(module.css_first("h3.heading")))
            b.node(quote)


def _read_chapters(container: Node, b: TextBuilder) -> None:
    for child in elements(container):
        cls = classes(child)
        if "chapter" in cls and child.css_first("div.userstuff") is not None:
            _read_chapter(child, b)
        elif "userstuff" in cls:
            b.ensure_chapter()
            b.node(child, hook=_skip_landmark)


def _read_chapter(el: Node, b: TextBuilder) -> None:
    heading = inline_text(el.css_first("h3.title"))
    m = _CHAPTER_ID.match(el.id or "")
    number, title = chapter_parts(heading, int(m[1]) if m else b.next_position)
    if m and heading.lower().startswith("chapter"):
        number = int(m[1])
    b.start_chapter(heading or None, number=number, title=title)
    for part in elements(el):
        cls = classes(part)
        if "preface" in cls:
            for byline in part.css("h4.byline"):
                b.node(byline, "metadata")
            _write_modules(b, part)
        elif "userstuff" in cls:
            b.node(part, hook=_skip_landmark)


def _find_url(doc: LexborHTMLParser, meta: Metadata) -> None:
    """The work's own id is the one most links point at (notes may link other works)."""
    counts: Counter[str] = Counter()
    for a in doc.css('a[href*="/works/"]'):
        m = _WORK_LINK.search(a.attributes.get("href") or "")
        if m:
            counts[m[1]] += 1
    if counts:
        work_id = counts.most_common(1)[0][0]
        meta.work_id = work_id
        meta.url = f"https://archiveofourown.org/works/{work_id}"
