"""Exports: BookNLP-compatible token files and flat CSV/Parquet tables.

``write_booknlp`` needs the spaCy language layer (``run_document(...).layers["language"]``
or ``language_for(analysis)``); ``write_tables`` needs only analyses. spaCy is imported
only when a language layer is built, so table exports stay light.
"""

from __future__ import annotations

from ficlens.export.booknlp import (
    ENTITIES_HEADER,
    QUOTES_HEADER,
    book_json,
    coref_ids,
    language_for,
    write_booknlp,
)
from ficlens.export.tables import FORMATS, SCHEMAS, TABLES, fic_id, table_rows, write_tables
from ficlens.export.tokens import TOKENS_HEADER, TokenRow, build_tokens, read_tokens

__all__ = [
    "ENTITIES_HEADER",
    "FORMATS",
    "QUOTES_HEADER",
    "SCHEMAS",
    "TABLES",
    "TOKENS_HEADER",
    "TokenRow",
    "book_json",
    "build_tokens",
    "coref_ids",
    "fic_id",
    "language_for",
    "read_tokens",
    "table_rows",
    "write_booknlp",
    "write_tables",
]
