"""EPUB reader (AO3 and FanFicFare) over zipfile + a hardened XML parser.

(placeholder: being implemented)
"""

from __future__ import annotations

from ficlens.ingest.detect import Limits
from ficlens.model import Fic, Source


def read_epub(data: bytes, source: Source, limits: Limits) -> Fic:
    raise NotImplementedError
