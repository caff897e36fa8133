"""The local library: a DuckDB store of analyses, full-text search, near-duplicates, stats.

``Library.open(path, create=True)`` opens or makes a library file; ``store()`` adds one
analysis; ``search()``, ``find_dupes()`` and ``corpus_stats()`` read it. The command line
is ``ficlens library add|search|dupes|stats``.
"""

from __future__ import annotations

from ficlens.library.schema import LIBRARY_SCHEMA_VERSION, MIGRATIONS, migrate
from ficlens.library.search import Filters, Hit, search
from ficlens.library.store import (
    DEFAULT_DB,
    Library,
    Plan,
    key_path,
    open_for_reading,
    open_library,
    story_text,
)

__all__ = [
    "DEFAULT_DB",
    "LIBRARY_SCHEMA_VERSION",
    "MIGRATIONS",
    "Filters",
    "Hit",
    "Library",
    "Plan",
    "key_path",
    "migrate",
    "open_for_reading",
    "open_library",
    "search",
    "story_text",
]
