"""Language backbone: spaCy loaded by package name, run over paragraph-aligned chunks.

Stages read ``doc.layers["language"]``, a :class:`LanguageLayer` whose offsets are all
absolute into ``Analysis.text``.
"""

from __future__ import annotations

from ficlens.language.chunking import DEFAULT_CHUNK_CHARS, plan_chunks
from ficlens.language.layer import Chunk, LanguageLayer, Located
from ficlens.language.loader import install_hint, load_pipeline
from ficlens.language.stage import LanguageStage

__all__ = [
    "DEFAULT_CHUNK_CHARS",
    "Chunk",
    "LanguageLayer",
    "LanguageStage",
    "Located",
    "install_hint",
    "load_pipeline",
    "plan_chunks",
]
