"""What every rule sees: the text, where the story is, where the quotations are.

Rules never walk paratext (notes, disclaimers, headings): they scan ``story`` ranges
only, and ask ``in_quote`` when a rule applies to narration or to speech alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ficlens.model import Feedback, Quote, Severity


@dataclass
class Context:
    """The inputs a rule may read. ``language`` is the spaCy layer, or None when off."""

    text: str
    story: list[tuple[int, int]]
    quotes: list[Quote] = field(default_factory=list)
    language: Any = None
    names: frozenset[str] = frozenset()
    """Lower-cased words of the fic's character names and aliases."""
    vocabulary: frozenset[str] = frozenset()
    """Words that are never misspellings: ``names`` plus the fandoms' canon vocabulary."""
    _story_starts: list[int] = field(default_factory=list, repr=False)
    _quote_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.story = sorted(self.story)
        self.quotes = sorted(self.quotes, key=lambda q: q.start)
        self._story_starts = [s for s, _ in self.story]
        self._quote_starts = [q.start for q in self.quotes]

    def story_texts(self) -> Iterator[tuple[int, str]]:
        """Each story range as ``(offset, text)``."""
        for start, end in self.story:
            yield start, self.text[start:end]

    def in_story(self, offset: int) -> bool:
        i = bisect_right(self._story_starts, offset) - 1
        return i >= 0 and offset < self.story[i][1]

    def quote_at(self, offset: int) -> Quote | None:
        """The quotation (marks included) holding ``offset``, if any."""
        i = bisect_right(self._quote_starts, offset) - 1
        if i >= 0 and offset < self.quotes[i].end:
            return self.quotes[i]
        return None

    def in_quote(self, offset: int) -> bool:
        return self.quote_at(offset) is not None

    def token(self, offset: int) -> Any:
        """The spaCy token at ``offset`` (the one whose text or trailing space holds it);
        None outside the parsed story or without the language layer."""
        if self.language is None:
            return None
        return self.language.token_at(offset)


def item(
    start: int,
    end: int,
    rule: str,
    message: str,
    suggestion: str | None,
    severity: Severity,
) -> Feedback:
    """Build one feedback item (a shorthand the rules share)."""
    return Feedback(
        start=start, end=end, rule=rule, message=message, suggestion=suggestion, severity=severity
    )
