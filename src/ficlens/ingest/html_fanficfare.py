"""FanFicFare output: its single-file HTML and the XHTML parts of its EPUBs.

HTML: ``<h1><a href=URL>Title</a> by <a>Author</a></h1>``, a ``table.full`` of
``<b>Label:</b>``/value rows, a table of contents, then per chapter
``<a name="sectionNNNN"><h2>Title</h2></a>`` followed by the chapter's HTML.
EPUB: ``title_page.xhtml`` (``body.fff_titlepage``: ``<h3>`` title line and
``<b>Label:</b> value<br/>`` lines, or the same ``table.full``), ``toc_page.xhtml``, and
``fileNNNN.xhtml`` chapters opening with ``h3.fff_chapter_title``.

Inside a chapter, FanFicFare's adapters (AO3's among them) put the site's notes in
``div.fff_chapter_notes.fff_head_notes`` / ``.fff_foot_notes``: ``<b>Label:</b>`` then a
blockquote or div per note ("Author's Note:", "Summary for the Chapter:", "Notes for the
Chapter:"). Those are written as note/summary segments, never as story text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from ficlens.ingest.ao3_vocab import is_category
from ficlens.ingest.declared import iso_date, site_of_url, split_list, to_int, work_id_of_url
from ficlens.ingest.html_common import (
    Parsed,
    ao3_chapters,
    chapter_parts,
    normalise_ao3,
    write_preface,
)
from ficlens.ingest.html_flatten import (
    Hook,
    Node,
    TextBuilder,
    children,
    classes,
    elements,
    first_heading,
    inline_text,
    is_text,
)
from ficlens.model import Metadata, SegmentKind, Site

_SECTION = re.compile(r"^section(\d+)$")
_SERIES_INDEX = re.compile(r"^(.*?)\s*\[(\d+(?:\.\d+)?)\]$")
_SKIP_PAGES = re.compile(r"(?:^|/)(?:toc_page|log_page|cover)\.x?html?$", re.IGNORECASE)
_SKIP_BODIES = {"fff_tocpage", "fff_logpage", "fff_coverpage"}

# FanFicFare label (lowercase) → Metadata field. "Category" is the fandom on every site.
FIELDS: dict[str, str] = {
    "category": "fandoms",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "characters": "characters",
    "relationships": "relationships",
    "pairings": "relationships",
    "ships": "relationships",
    "rating": "rating",
    "warnings": "warnings",
    "archive warnings": "warnings",
    "language": "language",
    "status": "status",
    "series": "series",
    "summary": "summary",
    "description": "summary",
    "published": "published",
    "updated": "updated",
    "words": "words",
    "chapters": "chapters",
    "chapters/total chapters": "chapters",
    "freeform tags": "additional_tags",
    "additional tags": "additional_tags",
    "ao3 categories": "category",
    "story url": "url",
    "title": "title",
    "author": "authors",
    "story id": "work_id",
}
_LIST_FIELDS = {"fandoms", "characters", "relationships", "warnings", "additional_tags", "category"}


@dataclass
class _Entry:
    label: str
    nodes: list[Node] = field(default_factory=list)

    @property
    def value(self) -> str:
        return inline_text(self.nodes)


def is_fanficfare(names: list[str], docs: list[LexborHTMLParser]) -> bool:
    if any(re.search(r"(?:^|/)(?:title_page|file\d{4})\.xhtml$", n) for n in names):
        return True
    sel = (
        "table.full, body.fff_titlepage, body.fff_chapter, h3.fff_chapter_title, "
        "a[name^=section] > h2"
    )
    return any(doc.css_first(sel) is not None for doc in docs)


def read_fanficfare(names: list[str], docs: list[LexborHTMLParser], b: TextBuilder) -> Parsed:
    meta = Metadata()
    site: Site | None = None
    titled = False
    for name, doc in zip(names, docs, strict=True):
        body = doc.body
        if body is None:
            continue
        body_cls = classes(body)
        if _SKIP_PAGES.search(name) or body_cls & _SKIP_BODIES:
            continue
        if "fff_titlepage" in body_cls or re.search(r"title_page\.x?html?$", name):
            site = _title_page(body, body.css_first("h3, h1"), meta, b) or site
            titled = True
        elif "fff_chapter" in body_cls or body.css_first("h3.fff_chapter_title"):
            _chapter_doc(body, b)
        elif body.css_first("table.full") or body.css_first("a[name^=section]"):
            site = _single_file(body, meta, b) or site
            titled = True
        else:
            b.node(body)
    b.end_chapter()
    if site == "ao3":
        normalise_ao3(meta)
    authoritative = frozenset({"additional_tags"}) if titled else frozenset()
    return Parsed(metadata=meta, site=site, authoritative=authoritative)


def _single_file(body: Node, meta: Metadata, b: TextBuilder) -> Site | None:
    site = _title_page(body, body.css_first("h1"), meta, b)
    in_toc = False
    for child in children(body):
        if is_text(child) or not child.is_element_node:
            if in_toc or not b.in_chapter:
                continue
            b.nodes([child])
            continue
        tag = child.tag
        name = child.attributes.get("name") or ""
        if tag == "a" and name == "TOCTOP":
            in_toc = True
            continue
        m = _SECTION.match(name) if tag == "a" else None
        if m:
            in_toc = False
            heading = inline_text(child)
            _, title = chapter_parts(heading, int(m[1]))
            b.start_chapter(heading, number=int(m[1]), title=title)
            continue
        if in_toc or tag in ("h1", "table") or not b.in_chapter:
            continue
        b.node(child, hook=notes_hook(b))
    return site


def _chapter_doc(body: Node, b: TextBuilder) -> None:
    head = body.css_first("h3.fff_chapter_title") or first_heading(body)
    heading = inline_text(head)
    _, title = chapter_parts(heading, b.next_position)
    b.start_chapter(heading or None, number=b.next_position, title=title)
    notes = notes_hook(b)
    b.node(body, hook=lambda n: (head is not None and n.mem_id == head.mem_id) or notes(n))


def notes_hook(b: TextBuilder) -> Hook:
    """A flattening hook writing ``div.fff_chapter_notes`` as notes (True = handled)."""

    def hook(node: Node) -> bool:
        if node.tag != "div" or "fff_chapter_notes" not in classes(node):
            return False
        _write_notes(b, node)
        return True

    return hook


def _write_notes(b: TextBuilder, div: Node) -> None:
    """One segment per ``<b>Label:</b>`` + content group; separators dropped."""
    groups: list[tuple[str, list[Node]]] = []
    for c in children(div):
        if c.tag == "b":
            groups.append((inline_text(c), []))
        elif c.tag in ("hr", "br"):
            continue
        elif groups:
            groups[-1][1].append(c)
        elif c.is_element_node or (is_text(c) and (c.text_content or "").strip()):
            groups.append(("", [c]))
    for label, nodes in groups:
        if not label and not inline_text(nodes):
            continue
        kind: SegmentKind = "summary" if "summary" in label.lower() else "authors_note"
        with b.region(kind):
            if label:
                b.paragraph(label)
            b.nodes(nodes)


def _title_page(body: Node, head: Node | None, meta: Metadata, b: TextBuilder) -> Site | None:
    """Read the title line and label/value entries; write the preface. Returns the site."""
    if head is not None:
        links = head.css("a")
        if links:
            meta.title = inline_text(links[0]) or None
            meta.url = links[0].attributes.get("href") or None
            authors = [inline_text(a) for a in links[1:]]
            meta.authors = [a for a in authors if a]
        else:
            title, sep, author = inline_text(head).rpartition(" by ")
            if sep:
                meta.title, meta.authors = title or None, [author]
            else:
                meta.title = author or None
    entries = _entries(body)
    lines: list[str] = []
    summary: _Entry | None = None
    for entry in entries:
        if entry.label.lower() in ("summary", "description"):
            summary = entry
            continue
        _apply(entry, meta)
        lines.append(f"{entry.label}: {entry.value}")
    site = site_of_url(meta.url) or site_of_url(meta.extra.get("Publisher"))
    meta.work_id = meta.work_id or work_id_of_url(meta.url)
    _split_genres(meta, site)
    write_preface(b, meta.title, f"by {', '.join(meta.authors)}" if meta.authors else None, lines)
    if summary is not None and summary.value:
        meta.summary = summary.value
        with b.region("summary"):
            b.paragraph(f"{summary.label}:")
            b.nodes(summary.nodes)
    return site


def _entries(body: Node) -> list[_Entry]:
    table = body.css_first("table.full")
    if table is not None:
        out: list[_Entry] = []
        for row in table.css("tr"):
            label = row.css_first("b")
            if label is None:
                continue
            nodes: list[Node] = []
            seen = False
            for cell in row.css("td"):
                for c in children(cell):
                    if seen:
                        nodes.append(c)
                    elif c.mem_id == label.mem_id or c.css_first("b") is not None:
                        seen = True
            out.append(_Entry(inline_text(label).rstrip(":").strip(), nodes))
        return out
    container = next((d for d in body.css("div") if any(c.tag == "b" for c in elements(d))), None)
    if container is None:
        return []
    out = []
    current: _Entry | None = None
    for c in children(container):
        if c.tag == "b" and inline_text(c).endswith(":"):
            current = _Entry(inline_text(c).rstrip(":").strip())
            out.append(current)
        elif c.tag == "br":
            current = None
        elif current is not None:
            current.nodes.append(c)
    return out


def normalise_status(value: str) -> str:
    """ "Completed"/"Complete" → "Complete"; "In Progress"/"WIP" → "In-Progress"."""
    low = value.strip().lower()
    if low.startswith("complete"):
        return "Complete"
    if low in ("in-progress", "in progress", "wip", "incomplete", "ongoing"):
        return "In-Progress"
    return value.strip()


def _apply(entry: _Entry, meta: Metadata) -> None:
    key = FIELDS.get(entry.label.lower())
    value = entry.value
    if not value:
        return
    if key is None:
        meta.extra[entry.label] = value
    elif key in _LIST_FIELDS:
        setattr(meta, key, split_list(value))
    elif key in ("published", "updated"):
        setattr(meta, key, iso_date(value))
        if getattr(meta, key) is None:
            meta.extra[entry.label] = value
    elif key == "words":
        meta.words = to_int(value)
    elif key == "chapters":
        ao3_chapters(value, meta)
    elif key == "series":
        # FanFicFare writes a series as "Name [index]".
        m = _SERIES_INDEX.match(value)
        meta.series = [m[1]] if m and m[1] else [value]
        if m and m[1]:
            meta.extra["series_index"] = m[2]
    elif key == "authors":
        meta.authors = split_list(value)
    elif key == "status":
        meta.status = normalise_status(value)
    else:
        setattr(meta, key, value)


def _split_genres(meta: Metadata, site: str | None) -> None:
    """Genres become tags; for AO3, FanFicFare's "Genre" also holds the categories."""
    genre = meta.extra.get("Genre")
    if not genre:
        return
    for tag in split_list(genre):
        if site == "ao3" and is_category(tag):
            if tag not in meta.category:
                meta.category.append(tag)
        elif tag not in meta.additional_tags:
            meta.additional_tags.append(tag)
