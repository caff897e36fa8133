"""Flatten HTML into readable text while recording where declared structure lands.

Every HTML flavor writes through one :class:`TextBuilder`, so the text layout is the same
everywhere: blocks are separated by a blank line, ``<br>`` is a newline, whitespace inside
a block collapses as a browser would, ``<hr>`` becomes a ``* * *`` line, and script-like
elements never reach the text. Offsets of titles, notes, chapter headings, scene breaks and
wholly italic paragraphs are recorded as the text is built, so they are exact by
construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ficlens.model import Chapter, Segment, SegmentKind, Span

Node = LexborNode
Hook = Callable[[Node], bool]
"""Called on each block element before it is flattened; True means "handled, skip it"."""

BLOCK_TAGS: frozenset[str] = frozenset(
    [
        "p",
        "div",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "main",
        "figure",
        "figcaption",
        "pre",
        "address",
        "center",
        "details",
        "summary",
        "fieldset",
        "legend",
        "body",
        "html",
        "hgroup",
        "menu",
    ]
)
DROP_TAGS: frozenset[str] = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "applet",
        "form",
        "nav",
        "head",
        "title",
        "meta",
        "link",
        "button",
        "select",
        "option",
        "input",
        "textarea",
        "audio",
        "video",
        "canvas",
        "svg",
        "math",
        "map",
        "frame",
        "frameset",
        "dialog",
    ]
)
ITALIC_TAGS: frozenset[str] = frozenset({"em", "i"})
CELL_TAGS: frozenset[str] = frozenset({"td", "th"})
SCENE_BREAK = "* * *"

_WS = re.compile(r"[ \t\n\r\f\v\xa0\u200b]+")
_LINE_EDGES = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_PUNCT_ONLY = re.compile(r"^[\s\W_]*$")
_XML_START = re.compile(r"^\s*<\?xml\b")
_HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


# ---------------------------------------------------------------------------- parsing


def parse_html(text: str) -> LexborHTMLParser:
    """Parse HTML; well-formed XHTML (EPUB) is first re-serialised as HTML.

    The HTML parser ignores ``/>`` on non-void elements, so an XHTML ``<script src=".."/>``
    or ``<div/>`` would swallow what follows. Going through lxml's XML parser (no DTD, no
    entity expansion, no network) and writing HTML fixes that; if the document is not
    well-formed XML we fall back to the forgiving HTML parser.
    """
    head = text[:2000].lstrip("\ufeff")
    if _XML_START.match(head) or "http://www.w3.org/1999/xhtml" in head:
        html = _xhtml_as_html(text)
        if html is not None:
            return LexborHTMLParser(html)
    return LexborHTMLParser(text)


def _xhtml_as_html(text: str) -> str | None:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, encoding="utf-8"
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = el.tag.split("}", 1)[1]
    etree.cleanup_namespaces(root)
    out: str = etree.tostring(root, method="html", encoding="unicode")
    return out


# ---------------------------------------------------------------------------- node helpers


def classes(node: Node) -> set[str]:
    """The element's class names."""
    return set((node.attributes.get("class") or "").split())


_CLASS_COUNTER = re.compile(r"[-0-9]+$")


def base_classes(node: Node) -> set[str]:
    """Class names plus their base names without calibre's counter suffix.

    calibre's ebook-convert (which builds AO3's EPUBs) replaces an element's classes
    with one name: the first original class, trailing digits/dashes removed and
    lowercased, plus a counter when the same name carries different styles
    ("meta group" -> "meta", "userstuff" -> "userstuff2").
    """
    names = classes(node)
    return names | {_CLASS_COUNTER.sub("", c).lower() for c in names} - {""}


def children(node: Node) -> Iterator[Node]:
    """Child nodes including text nodes."""
    return node.iter(include_text=True)


def elements(node: Node) -> list[Node]:
    """Child elements only."""
    return [c for c in node.iter(include_text=False) if c.is_element_node]


def is_text(node: Node) -> bool:
    return node.tag == "-text"


def inline_text(node: Node | Iterable[Node] | None) -> str:
    """The node's readable text on one line (scripts dropped, whitespace collapsed)."""
    if node is None:
        return ""
    b = TextBuilder()
    b.nodes([node] if isinstance(node, Node) else list(node))
    return " ".join(b.text.split())


def raw_text(node: Node | None) -> str:
    """Text of an element the flattener drops on purpose (``<title>``, ``<option>``)."""
    return " ".join((node.text(deep=True) or "").split()) if node is not None else ""


def block_text(node: Node | None) -> str:
    """The node's readable text with its blocks separated by blank lines."""
    if node is None:
        return ""
    b = TextBuilder()
    b.node(node)
    return b.text


def collapse(text: str) -> str:
    """Collapse whitespace the way HTML does inside one line of text."""
    return _WS.sub(" ", text).strip()


# ---------------------------------------------------------------------------- builder


@dataclass
class _Chunk:
    text: str
    italic: bool
    newline: bool = False


@dataclass
class _OpenChapter:
    number: int | None
    title: str | None
    start: int | None


class TextBuilder:
    """Accumulates paragraphs and the declared structure that points into them."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self._segments: list[Segment] = []
        self._italic: list[Span] = []
        self._chapters: list[Chapter] = []
        self._open: _OpenChapter | None = None
        self._region_depth = 0

    # -- text

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def end(self) -> int:
        """End offset of the last paragraph written."""
        return self._len

    def paragraph(
        self, text: str, kind: SegmentKind | None = None, *, italic: bool = False
    ) -> tuple[int, int] | None:
        """Append one block (already cleaned: no leading/trailing whitespace)."""
        text = text.strip()
        if not text:
            return None
        if self._len:
            self._append("\n\n")
        start = self._len
        self._append(text)
        if self._open is not None and self._open.start is None:
            self._open.start = start
        if kind is not None and not self._region_depth:
            self.mark(start, self._len, kind)
        if italic and kind is None and not self._region_depth:
            self._italic.append(Span(start=start, end=self._len))
        return start, self._len

    def lines(
        self, lines: Iterable[str], kind: SegmentKind | None = None
    ) -> tuple[int, int] | None:
        """Append one block made of several lines (e.g. "Label: value" metadata)."""
        cleaned = [collapse(line) for line in lines]
        return self.paragraph("\n".join(x for x in cleaned if x), kind)

    def scene_break(self) -> None:
        self.paragraph(SCENE_BREAK, None if self._region_depth else "scene_break")

    def _append(self, s: str) -> None:
        self._parts.append(s)
        self._len += len(s)

    # -- declared structure

    def mark(self, start: int, end: int, kind: SegmentKind) -> None:
        if end > start:
            self._segments.append(Segment(start=start, end=end, kind=kind))

    @contextmanager
    def region(self, kind: SegmentKind) -> Iterator[None]:
        """Mark everything written inside the block as one segment of ``kind``.

        Nested marks (scene breaks, italic paragraphs) are suppressed so that segments
        never overlap.
        """
        before = self._len
        self._region_depth += 1
        try:
            yield
        finally:
            self._region_depth -= 1
        if self._len > before:
            start = before + 2 if before else 0
            if self._region_depth == 0:
                self.mark(start, self._len, kind)

    def start_chapter(
        self, heading: str | None, *, number: int | None = None, title: str | None = None
    ) -> None:
        """Close the open chapter and open a new one, writing its heading line if any."""
        self.end_chapter()
        self._open = _OpenChapter(number=number, title=title, start=None)
        if heading:
            self.paragraph(heading, "chapter_heading")

    def ensure_chapter(self) -> None:
        """Open an untitled chapter unless one is open (single-chapter works)."""
        if self._open is None:
            self.start_chapter(None, number=len(self._chapters) + 1)

    @property
    def in_chapter(self) -> bool:
        return self._open is not None

    @property
    def next_position(self) -> int:
        """1-based position the next chapter would have."""
        return len(self._chapters) + (1 if self._open is not None else 0) + 1

    def end_chapter(self) -> None:
        ch, self._open = self._open, None
        if ch is None or ch.start is None:
            return
        self._chapters.append(
            Chapter(
                index=len(self._chapters),
                number=ch.number,
                title=ch.title,
                start=ch.start,
                end=self._len,
            )
        )

    # -- results

    def segments(self) -> list[Segment]:
        """Declared segments, sorted, with any overlap dropped (first one wins)."""
        out: list[Segment] = []
        for seg in sorted(self._segments, key=lambda s: (s.start, s.end)):
            if out and seg.start < out[-1].end:
                continue
            out.append(seg)
        return out

    def chapters(self) -> list[Chapter]:
        self.end_chapter()
        return list(self._chapters)

    def italic_spans(self) -> list[Span]:
        return list(self._italic)

    # -- flattening

    def node(
        self, node: Node | None, kind: SegmentKind | None = None, hook: Hook | None = None
    ) -> None:
        """Flatten one element (and its subtree) as blocks."""
        if node is not None:
            self.nodes([node], kind, hook)

    def nodes(
        self, nodes: list[Node], kind: SegmentKind | None = None, hook: Hook | None = None
    ) -> None:
        """Flatten sibling nodes in order; inline siblings share a paragraph."""
        if kind is not None:
            with self.region(kind):
                _Flattener(self, hook).run(nodes)
        else:
            _Flattener(self, hook).run(nodes)


class _Flattener:
    """Iterative walk (deep markup must not hit the recursion limit)."""

    def __init__(self, builder: TextBuilder, hook: Hook | None) -> None:
        self.b = builder
        self.hook = hook
        self.buf: list[_Chunk] = []
        self.italic = 0
        self.pre = 0

    def run(self, nodes: list[Node]) -> None:
        stack: list[tuple[Node, bool]] = [(n, False) for n in reversed(nodes)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self._leave(node)
                continue
            if is_text(node):
                self._text(node.text_content or "")
                continue
            if not node.is_element_node:
                continue
            tag = node.tag or ""
            if tag in DROP_TAGS or "hidden" in node.attributes:
                continue
            if tag == "br":
                self.buf.append(_Chunk("\n", False, newline=True))
                continue
            if tag == "hr":
                self.flush()
                self.b.scene_break()
                continue
            if tag in BLOCK_TAGS:
                self.flush()
                if self.hook is not None and self.hook(node):
                    continue
            elif tag in CELL_TAGS:
                self.buf.append(_Chunk(" ", False))
            if _is_italic(node):
                self.italic += 1
            if tag == "pre":
                self.pre += 1
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(list(children(node))))
        self.flush()

    def _leave(self, node: Node) -> None:
        tag = node.tag or ""
        if _is_italic(node):
            self.italic -= 1
        if tag == "pre":
            self.pre -= 1
        if tag in BLOCK_TAGS:
            self.flush()
        elif tag in CELL_TAGS:
            self.buf.append(_Chunk(" ", False))

    def _text(self, text: str) -> None:
        if not text:
            return
        if self.pre:
            lines = text.split("\n")
            for i, line in enumerate(lines):
                if i:
                    self.buf.append(_Chunk("\n", False, newline=True))
                self.buf.append(_Chunk(line, self.italic > 0))
        else:
            self.buf.append(_Chunk(text, self.italic > 0))

    def flush(self) -> None:
        if not self.buf:
            return
        chunks, self.buf = self.buf, []
        joined = "".join("\n" if c.newline else _WS.sub(" ", c.text) for c in chunks)
        joined = _MANY_NEWLINES.sub("\n\n", _LINE_EDGES.sub("\n", _WS_NO_NL.sub(" ", joined)))
        text = joined.strip(" \n")
        if not text:
            return
        italic_chars = "".join(c.text for c in chunks if c.italic and not c.newline)
        plain_chars = "".join(c.text for c in chunks if not c.italic and not c.newline)
        italic = bool(italic_chars.strip()) and bool(_PUNCT_ONLY.match(plain_chars))
        self.b.paragraph(text, italic=italic)


_WS_NO_NL = re.compile(r" {2,}")


def _is_italic(node: Node) -> bool:
    if node.tag in ITALIC_TAGS:
        return True
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    return "font-style:italic" in style


def first_heading(node: Node) -> Node | None:
    """The first h1–h6 element in document order, if it comes before any other text."""
    stack: list[Node] = [node]
    while stack:
        cur = stack.pop()
        if is_text(cur):
            if (cur.text_content or "").strip():
                return None
            continue
        if not cur.is_element_node or (cur.tag or "") in DROP_TAGS:
            continue
        if (cur.tag or "") in _HEADING_TAGS:
            return cur if inline_text(cur) else None
        stack.extend(reversed(list(children(cur))))
    return None
