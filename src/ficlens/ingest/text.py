"""Plain-text reader: FFN-era text files and FanFicFare TXT output. The text is never altered."""

from __future__ import annotations

from ficlens.model import Fic, Source


def read_plain(text: str, source: Source) -> Fic:
    """Read a plain-text fic; declared header metadata is parsed but the text stays as is."""
    return Fic(text=text, source=source)
