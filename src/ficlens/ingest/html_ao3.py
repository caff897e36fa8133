"""AO3 download HTML (and the XHTML parts of AO3 EPUBs, which share its markup).

Markup (otwarchive ``downloads/``): ``#preface`` holds ``dl.tags``, ``h1`` title,
``.byline``, "Summary"/"Notes" labels each followed by ``blockquote.userstuff``;
``#chapters`` holds per chapter a ``div.meta.group`` (``h2.heading``, chapter summary and
notes), a ``div.userstuff`` with the text and an optional ``#endnotesN``; ``#afterword``
holds the work's end notes and "Works inspired by this one". EPUB parts may split this
anywhere, so the body is walked in order and each recognised block is handled as met.

AO3 builds its EPUBs by running calibre's ebook-convert on that HTML. calibre keeps the
structure and ids (splitting files before ``#preface``/``#afterword`` and each chapter's
``div.meta``) but rewrites every class attribute to one flattened name ("meta group" ->
"meta", "userstuff" -> "userstuff1", a plain ``<p>`` -> "calibre3"), so classes are
matched on their base name (:func:`base_classes`) and selectors use ``[class^=…]``.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from ficlens.ingest.declared import iso_date, split_list, to_int, work_id_of_url
from ficlens.ingest.html_common import (
    TAG_FIELDS,
    Parsed,
    ao3_chapters,
    chapter_parts,
    normalise_ao3,
    write_preface,
)
from ficlens.ingest.html_flatten import (
    Node,
    TextBuilder,
    base_classes,
    block_text,
    children,
    elements,
    inline_text,
)
from ficlens.model import Metadata, SegmentKind

_RECOGNISED = "#preface, #afterword, h2[class^=heading], div[class^=userstuff], [id^=endnotes]"
_HEADING = "h2[class^=heading]"
_ENDNOTES_N = re.compile(r"^endnotes\d+$")
_STAT = re.compile(r"(Published|Updated|Completed|Words|Chapters):\s*([^\s]+(?:\s*/\s*[^\s]+)?)")
_SERIES_PART = re.compile(r"\bPart (\d+) of\b")
_MAX_DEPTH = 40

LABELS: dict[str, str] = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "category",
    "categories": "category",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "additional_tags",
    "additional tag": "additional_tags",
    "freeform": "additional_tags",
    "language": "language",
    "series": "series",
    "stats": "stats",
}


def is_ao3_download(docs: list[LexborHTMLParser]) -> bool:
    for doc in docs:
        root = doc.body
        if root is None:
            continue
        if root.css_first(
            "#preface dl[class^=tags], div[class^=meta] h2[class^=heading], #afterword #endnotes"
        ):
            return True
        if root.css_first("#chapters") and root.css_first('a[href*="archiveofourown.org/works/"]'):
            return True
    return False


def read_ao3_download(docs: list[LexborHTMLParser], b: TextBuilder) -> Parsed:
    reader = _Reader(b)
    for doc in docs:
        if doc.body is not None:
            reader.visit(doc.body, 0)
    b.end_chapter()
    meta = reader.meta
    if meta.url is None:
        for doc in docs:
            link = doc.css_first('a[href*="archiveofourown.org/works/"]')
            if link is not None:
                meta.url = link.attributes.get("href")
                break
    meta.work_id = meta.work_id or work_id_of_url(meta.url)
    normalise_ao3(meta)
    return Parsed(
        metadata=meta, site="ao3", authoritative=TAG_FIELDS if reader.tags_read else frozenset()
    )


def tag_values(dd: Node) -> list[str]:
    """Tag names in a ``dd``: its links' texts, else the comma-separated text."""
    links = [inline_text(a) for a in dd.css("a")]
    links = [x for x in links if x]
    return links or split_list(inline_text(dd))


def dd_text(dd: Node) -> str:
    """A ``dd``'s value on one line; list items (saved work pages) joined with commas."""
    items = [inline_text(li) for li in dd.css("li")]
    return ", ".join(x for x in items if x) or inline_text(dd)


def apply_tag_field(meta: Metadata, label: str, dd: Node) -> None:
    """Store one ``dt``/``dd`` pair of AO3 metadata in ``meta``."""
    key = LABELS.get(label.strip().rstrip(":").strip().lower())
    value = inline_text(dd)
    if key is None:
        meta.extra[label.strip().rstrip(":").strip()] = value
    elif key == "rating":
        meta.rating = ", ".join(tag_values(dd)) or None
    elif key == "language":
        meta.language = value or None
    elif key == "series":
        # Work pages put "← Previous Work"/"Next Work →" links beside the series link.
        links = dd.css('a[href*="/series/"]')
        meta.series = [x for x in (inline_text(a) for a in links) if x] or [value]
        shown = ", ".join(inline_text(p) for p in dd.css("span.position")) or value
        positions = _SERIES_PART.findall(shown)
        if positions:
            meta.extra["series_index"] = positions[0]
        meta.extra["Series"] = shown
    elif key == "stats":
        apply_stats(meta, value)
    else:
        setattr(meta, key, tag_values(dd))


def apply_stats(meta: Metadata, value: str) -> None:
    """Parse AO3's "Published: … Updated: … Words: … Chapters: 3/5" line."""
    found = {k.lower(): v for k, v in _STAT.findall(value)}
    if "published" in found:
        meta.published = iso_date(found["published"])
    done = found.get("completed")
    upd = found.get("updated") or done
    if upd:
        meta.updated = iso_date(upd)
    if "words" in found:
        meta.words = to_int(found["words"])
    if "chapters" in found:
        ao3_chapters(found["chapters"], meta)
    if done or (meta.chapter_count and meta.chapter_count == meta.chapters_expected):
        meta.status = "Complete"
    elif meta.chapter_count is not None:
        meta.status = "In-Progress"


def write_labelled(b: TextBuilder, nodes: list[Node], default: SegmentKind) -> Node | None:
    """Write "Label" + ``blockquote`` pairs (summary/notes), dropping dangling labels.

    Returns the summary blockquote, if there is one.
    """
    summary: Node | None = None
    label: Node | None = None
    for node in nodes:
        tag = node.tag
        cls = base_classes(node)
        if tag == "p" and not cls & {"byline", "message"}:
            label = node
        elif tag == "blockquote":
            label_text = inline_text(label) if label is not None else ""
            kind: SegmentKind = "summary" if "summary" in label_text.lower() else default
            if kind == "summary" and summary is None:
                summary = node
            with b.region(kind):
                if label_text:
                    b.paragraph(label_text)
                b.node(node)
            label = None
    return summary


class _Reader:
    def __init__(self, b: TextBuilder) -> None:
        self.b = b
        self.meta = Metadata()
        self.preface_done = False
        self.tags_read = False

    def visit(self, node: Node, depth: int) -> None:
        run: list[Node] = []
        for child in children(node):
            handled = child.is_element_node and self._handle(child, depth)
            if handled:
                self._content(run)
                run = []
            else:
                run.append(child)
        self._content(run)

    def _content(self, run: list[Node]) -> None:
        if run and inline_text(run):
            self.b.nodes(run)

    def _handle(self, el: Node, depth: int) -> bool:
        """Handle a recognised block (flushing pending content first); False if plain."""
        ident = el.id or ""
        cls = base_classes(el)
        if ident == "preface":
            if not self.preface_done:
                self.preface(el)
            return True
        if ident == "afterword":
            self.b.end_chapter()
            self.afterword(el)
            return True
        if "meta" in cls and el.css_first(_HEADING) is not None:
            self.chapter_meta(el)
            return True
        if _ENDNOTES_N.match(ident):
            write_labelled(self.b, elements(el), "authors_note")
            return True
        if "endnote-link" in cls:
            return True
        if el.tag == "div" and "userstuff" in cls and ident != "chapters":
            self.b.ensure_chapter()
            self.b.node(el)
            return True
        if depth < _MAX_DEPTH and el.css_first(_RECOGNISED) is not None:
            self.visit(el, depth + 1)
            return True
        return False

    def preface(self, el: Node) -> None:
        self.preface_done = True
        meta = self.meta
        link = el.css_first('a[href*="archiveofourown.org/works/"]')
        if link is not None:
            meta.url = link.attributes.get("href")
        h1 = el.css_first("h1")
        title = inline_text(h1) or inline_text(el.css_first("p[class^=message] b"))
        meta.title = title or None
        byline = el.css_first("[class^=byline]")
        if byline is not None:
            authors = [inline_text(a) for a in byline.css("a")]
            meta.authors = [a for a in authors if a] or [re.sub(r"^by\s+", "", inline_text(byline))]
        lines: list[str] = []
        dl = el.css_first("dl[class^=tags]")
        if dl is not None:
            self.tags_read = True
            label = ""
            for item in elements(dl):
                if item.tag == "dt":
                    label = inline_text(item)
                elif item.tag == "dd" and label:
                    apply_tag_field(meta, label, item)
                    lines.append(f"{label.rstrip(':')}: {dd_text(item)}")
        write_preface(self.b, title, inline_text(byline) if byline is not None else None, lines)
        container = el.css_first("div[class^=meta]") or el
        rest = [
            n
            for n in elements(container)
            if n.tag in ("p", "blockquote") and "message" not in base_classes(n)
        ]
        summary = write_labelled(self.b, rest, "authors_note")
        meta.summary = block_text(summary) or None
        for ul in elements(container):
            if ul.tag == "ul":
                self.b.node(ul, "metadata")

    def chapter_meta(self, el: Node) -> None:
        heading = inline_text(el.css_first(_HEADING))
        number, title = chapter_parts(heading, self.b.next_position)
        self.b.start_chapter(heading, number=number, title=title)
        parts = elements(el)
        for n in parts:
            if n.tag == "p" and "byline" in base_classes(n):
                self.b.node(n, "metadata")
        write_labelled(self.b, parts, "authors_note")

    def afterword(self, el: Node) -> None:
        for n in el.css("#endnotes"):
            write_labelled(self.b, elements(n), "authors_note")
        container = el.css_first("div[class^=meta]") or el
        for dl in elements(container):
            if dl.tag == "dl":
                self.b.node(dl, "metadata")
