"""Any other HTML or XHTML: flatten the body, keeping only headings we can trust.

In one document, only headings that read like chapter headings ("Chapter 3", "Part II:
…", "Prologue") open chapters. In a multi-part book (an EPUB spine, e.g. from Calibre) a
part that opens with a heading starts a chapter; a part without one continues the
previous chapter (converters split long chapters across files).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from ficlens.ingest.html_common import Parsed, chapter_parts
from ficlens.ingest.html_flatten import Node, TextBuilder, first_heading, inline_text, raw_text
from ficlens.model import Metadata

_CHAPTERISH = re.compile(
    r"^(?:chapter|ch\.|part|book)\s+[\divxlcdm]+\b|^(?:prologue|epilogue|interlude)\b",
    re.IGNORECASE,
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})


def read_generic(docs: list[LexborHTMLParser], b: TextBuilder, base: Metadata) -> Parsed:
    meta = Metadata()
    first = docs[0]
    title = base.title or raw_text(first.css_first("title")) or inline_text(first.css_first("h1"))
    if not base.title and title:
        meta.title = title
    author = first.css_first('meta[name="author"]')
    if author is not None and not base.authors:
        name = " ".join((author.attributes.get("content") or "").split())
        meta.authors = [name] if name else []
    title_key = " ".join((title or "").split()).casefold()
    if len(docs) == 1:
        _single(docs[0], b, title_key)
    else:
        for doc in docs:
            _part(doc, b, title_key)
    b.end_chapter()
    return Parsed(metadata=meta)


def _single(doc: LexborHTMLParser, b: TextBuilder, title_key: str) -> None:
    seen_title = False

    def hook(node: Node) -> bool:
        nonlocal seen_title
        if (node.tag or "") not in _HEADINGS:
            return False
        text = inline_text(node)
        if not seen_title and not b.end and text.casefold() == title_key:
            seen_title = True
            b.paragraph(text, "title")
            return True
        if _CHAPTERISH.match(text):
            number, title = chapter_parts(text, b.next_position)
            b.start_chapter(text, number=number, title=title)
            return True
        return False

    b.node(doc.body, hook=hook)


def _part(doc: LexborHTMLParser, b: TextBuilder, title_key: str) -> None:
    body = doc.body
    if body is None:
        return
    head = first_heading(body)
    if head is not None:
        text = inline_text(head)
        if text.casefold() == title_key and not b.in_chapter:
            b.paragraph(text, "title")
        else:
            number, title = chapter_parts(text, b.next_position)
            b.start_chapter(text, number=number, title=title)
    b.node(body, hook=lambda n: head is not None and n.mem_id == head.mem_id)
