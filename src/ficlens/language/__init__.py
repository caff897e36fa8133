"""Language backbone: spaCy loaded by package name, paragraph-aligned chunking.

(placeholder: being implemented)
"""

from __future__ import annotations

from ficlens.pipeline import Document


class LanguageStage:
    name = "language"
    requires: tuple[str, ...] = ("structure",)

    def run(self, doc: Document) -> None:
        return None
