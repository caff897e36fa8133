"""HTML readers: AO3 download and work page, fanfiction.net page, FanFicFare HTML, generic.

(placeholder: being implemented)
"""

from __future__ import annotations

from ficlens.model import Fic, Metadata, Source


def read_html(text: str, source: Source) -> Fic:
    """Read one HTML document into a Fic (flattened text plus declared structure)."""
    return read_html_parts([(source.path or "input.html", text)], source, Metadata())


def read_html_parts(parts: list[tuple[str, str]], source: Source, base: Metadata) -> Fic:
    """Read several (X)HTML documents in reading order (an EPUB spine) into one Fic.

    ``base`` is metadata already known (e.g. from an EPUB's OPF); declared values found
    in the documents (AO3 preface, FanFicFare title page) refine it.
    """
    raise NotImplementedError
