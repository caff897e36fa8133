"""ficlens: read fan fiction like a careful reader and turn it into structured data.

>>> import ficlens
>>> analysis = ficlens.analyze("\\"Hi,\\" she said.")
>>> analysis.text
'"Hi," she said.'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ficlens.errors import FicError
from ficlens.ingest import Limits, read_path, read_text
from ficlens.model import Analysis, Fic
from ficlens.pipeline import DEFAULT_MODEL, Options
from ficlens.pipeline import run as _run
from ficlens.version import __version__

__all__ = [
    "DEFAULT_MODEL",
    "Analysis",
    "Fic",
    "FicError",
    "Limits",
    "__version__",
    "analyze",
    "analyze_fic",
    "analyze_file",
]


def _options(model: str, disable: Iterable[str]) -> Options:
    return Options(model=model, disable=frozenset(disable))


def analyze_fic(fic: Fic, *, model: str = DEFAULT_MODEL, disable: Iterable[str] = ()) -> Analysis:
    """Run the pipeline on an already ingested :class:`Fic`."""
    return _run(fic, _options(model, disable))


def analyze(text: str, *, model: str = DEFAULT_MODEL, disable: Iterable[str] = ()) -> Analysis:
    """Analyse a plain-text fic. ``Analysis.text`` is ``text`` exactly, so offsets index it.

    ``model`` names any installed spaCy English pipeline; ``disable`` switches stages off.
    """
    if not isinstance(text, str):
        raise TypeError("analyze() takes a str; use analyze_file() for paths and bytes")
    return analyze_fic(read_text(text), model=model, disable=disable)


def analyze_file(
    path: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    disable: Iterable[str] = (),
    limits: Limits | None = None,
) -> Analysis:
    """Read a .txt, .html or .epub file (format detected by content) and analyse it."""
    return analyze_fic(read_path(path, limits=limits), model=model, disable=disable)
