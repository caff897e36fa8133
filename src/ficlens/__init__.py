"""ficlens: read fan fiction like a careful reader and turn it into structured data.

>>> import ficlens
>>> analysis = ficlens.analyze("\\"Hi,\\" she said.")
>>> analysis.text
'"Hi," she said.'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

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


CharacterList = Iterable[Mapping[str, Any]] | None


def _options(
    model: str,
    disable: Iterable[str],
    characters: CharacterList = None,
    fandom_dirs: Iterable[str | Path] = (),
) -> Options:
    from ficlens.characters.given import given_characters

    given = tuple(given_characters(characters)) if characters is not None else None
    dirs = tuple(str(d) for d in fandom_dirs)
    return Options(model=model, disable=frozenset(disable), characters=given, fandom_dirs=dirs)


def analyze_fic(
    fic: Fic,
    *,
    model: str = DEFAULT_MODEL,
    disable: Iterable[str] = (),
    characters: CharacterList = None,
    fandom_dirs: Iterable[str | Path] = (),
) -> Analysis:
    """Run the pipeline on an already ingested :class:`Fic`."""
    return _run(fic, _options(model, disable, characters, fandom_dirs))


def analyze(
    text: str,
    *,
    model: str = DEFAULT_MODEL,
    disable: Iterable[str] = (),
    characters: CharacterList = None,
    fandom_dirs: Iterable[str | Path] = (),
) -> Analysis:
    """Analyse a plain-text fic. ``Analysis.text`` is ``text`` exactly, so offsets index it.

    ``model`` names any installed spaCy English pipeline; ``disable`` switches stages off.
    ``characters`` is a known cast, ``[{"id", "name", "aliases"}]``: attribution and
    mentions then use those ids instead of discovering characters. ``fandom_dirs`` adds
    folders of fandom files to the shipped knowledge base.
    """
    if not isinstance(text, str):
        raise TypeError("analyze() takes a str; use analyze_file() for paths and bytes")
    return analyze_fic(
        read_text(text),
        model=model,
        disable=disable,
        characters=characters,
        fandom_dirs=fandom_dirs,
    )


def analyze_file(
    path: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    disable: Iterable[str] = (),
    limits: Limits | None = None,
    characters: CharacterList = None,
    fandom_dirs: Iterable[str | Path] = (),
) -> Analysis:
    """Read a .txt, .html or .epub file (format detected by content) and analyse it."""
    fic = read_path(path, limits=limits)
    return analyze_fic(
        fic, model=model, disable=disable, characters=characters, fandom_dirs=fandom_dirs
    )
