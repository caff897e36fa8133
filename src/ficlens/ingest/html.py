"""HTML readers: AO3 download and work page, fanfiction.net page, FanFicFare HTML, generic.

One entry point per shape of input: :func:`read_html` for one document, and
:func:`read_html_parts` for an EPUB spine. Both recognise the flavor from the markup,
let that flavor's reader write the flattened text through one
:class:`~ficlens.ingest.html_flatten.TextBuilder`, and assemble the :class:`Fic`.
"""

from __future__ import annotations

from ficlens.errors import EmptyInputError
from ficlens.ingest.html_ao3 import is_ao3_download, read_ao3_download
from ficlens.ingest.html_ao3_page import is_ao3_page, read_ao3_page
from ficlens.ingest.html_common import Parsed, merge
from ficlens.ingest.html_fanficfare import is_fanficfare, read_fanficfare
from ficlens.ingest.html_ffn import is_ffn_page, read_ffn_page
from ficlens.ingest.html_flatten import TextBuilder, parse_html
from ficlens.ingest.html_generic import read_generic
from ficlens.model import Fic, Metadata, Source

__all__ = ["read_html", "read_html_parts"]


def read_html(text: str, source: Source) -> Fic:
    """Read one HTML document into a Fic (flattened text plus declared structure)."""
    return read_html_parts([(source.path or "input.html", text)], source, Metadata())


def read_html_parts(parts: list[tuple[str, str]], source: Source, base: Metadata) -> Fic:
    """Read several (X)HTML documents in reading order (an EPUB spine) into one Fic.

    ``base`` is metadata already known (e.g. from an EPUB's OPF); declared values found
    in the documents (AO3 preface, FanFicFare title page) refine it.
    """
    names = [name for name, _ in parts]
    docs = [parse_html(text) for _, text in parts]
    epub = source.format == "epub"
    b = TextBuilder()
    parsed: Parsed
    if is_ao3_page(docs):
        flavor = "ao3_page"
        parsed = read_ao3_page(docs, b)
    elif is_ao3_download(docs):
        flavor = "ao3_epub" if epub else "ao3_html"
        parsed = read_ao3_download(docs, b)
    elif is_ffn_page(docs):
        flavor = "ffn_page"
        parsed = read_ffn_page(docs, b)
    elif is_fanficfare(names, docs):
        flavor = "fanficfare_epub" if epub else "fanficfare_html"
        parsed = read_fanficfare(names, docs, b)
    else:
        flavor = "generic_epub" if epub else "generic_html"
        parsed = read_generic(docs, b, base)
    text = b.text
    if not text.strip():
        raise EmptyInputError(f"{source.path or 'input'} contains no readable text")
    chapters = b.chapters()
    return Fic(
        text=text,
        source=source.model_copy(update={"flavor": flavor, "site": parsed.site or source.site}),
        metadata=merge(base, parsed.metadata, parsed.authoritative),
        declared_segments=b.segments(),
        declared_chapters=chapters,
        italic_spans=b.italic_spans(),
    )
