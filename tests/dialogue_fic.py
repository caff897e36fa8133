"""A short first-person fic written for the report and export tests (our own text).

It goes through the real pipeline (spaCy included): a first-person narrator who is never
named, two named characters who talk to the narrator and to each other, a scare quote and
a book title in quotation marks (not speech), and a short untagged reply in a three-way
conversation, which the attribution is unsure of.
"""

from __future__ import annotations

from functools import cache

from ficlens.ingest import read_text
from ficlens.language import LanguageLayer
from ficlens.model import Analysis
from ficlens.pipeline import Options, run_document

TEXT = """I waited by the harbour wall until the boats came in. My hands were cold.

"You're late," Marta said to me. She set her basket down.

"The tide was wrong," I said.

Marta laughed. She called the old boat a "miracle" and patted its side.

"Tomas, come and help us," Marta said.

Tomas walked over slowly. "I'm coming, Marta."

"Tell Ines the nets are torn," he said to me.

"Fine."

"Are you sure?"

I nodded. Marta read from her copy of "The Sea Road" while we worked, and I listened to her.
"""
NOT_SPEECH = ('"miracle"', '"The Sea Road"')


@cache
def analysed() -> tuple[Analysis, LanguageLayer]:
    """The analysis and its language layer (computed once per test session)."""
    doc = run_document(read_text(TEXT), Options())
    layer = doc.layers["language"]
    assert isinstance(layer, LanguageLayer)
    return doc.analysis, layer


def quote_at(analysis: Analysis, words: str) -> int:
    """Index of the quote whose text is ``words``."""
    return next(i for i, q in enumerate(analysis.quotes) if analysis.text[q.start : q.end] == words)
