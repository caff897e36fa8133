"""``LanguageLayer``: the spaCy analysis of the story text, in absolute offsets.

Later stages (characters, dialogue, narrative) read ``doc.layers["language"]`` through
this small API and never see the chunking: every offset it returns or takes is a ``str``
offset into ``Analysis.text``. A spaCy ``Span`` never crosses a chunk, and chunks are cut
at paragraph breaks, so a sentence or entity is always whole.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

Doc = Any  # spacy.tokens.Doc (spaCy ships no type information)
Span = Any  # spacy.tokens.Span
Token = Any  # spacy.tokens.Token

#: Dependency labels of a verb's own objects (not those of its prepositions).
VERB_OBJECT_ROLES = frozenset({"dobj", "dative", "iobj", "obj"})


def verb_objects(verb: Token, prepositions: frozenset[str] | None = None) -> list[Token]:
    """The heads of ``verb``'s objects: its own ("told Ada") and those of its prepositions
    ("smiled at Ada"), of every preposition or only of ``prepositions``."""
    out = [c for c in verb.children if c.dep_ in VERB_OBJECT_ROLES]
    for prep in verb.children:
        if prep.dep_ == "prep" and (prepositions is None or prep.lower_ in prepositions):
            out += [c for c in prep.children if c.dep_ == "pobj"]
    return out


class Chunk(NamedTuple):
    """One spaCy ``Doc`` over ``text[start:end]``."""

    start: int
    end: int
    doc: Doc


class Located(NamedTuple):
    """A spaCy object with its absolute ``[start, end)`` in ``Analysis.text``."""

    start: int
    end: int
    item: Any


@dataclass
class LanguageLayer:
    """The spaCy backbone. ``chunks`` are in text order and do not overlap.

    ``model`` is the pipeline's package name; ``components`` the components that ran
    (``has_ner`` tells a stage whether ``entities()`` is meaningful).
    """

    model: str
    components: tuple[str, ...]
    chunks: list[Chunk] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    _offset_by_doc: dict[int, int] = field(default_factory=dict, repr=False)
    _token_starts: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for chunk in self.chunks:
            self._index(chunk)

    def add(self, chunk: Chunk) -> None:
        """Append a chunk (chunks must arrive in text order)."""
        if self.chunks and chunk.start < self.chunks[-1].end:
            raise ValueError("chunks must be added in text order without overlap")
        self.chunks.append(chunk)
        self._index(chunk)

    def _index(self, chunk: Chunk) -> None:
        self._starts.append(chunk.start)
        self._offset_by_doc[id(chunk.doc)] = chunk.start

    @property
    def has_ner(self) -> bool:
        return "ner" in self.components

    # ----------------------------------------------------------------- offsets

    def offset_of(self, doc: Doc) -> int:
        """Absolute offset of a chunk's ``Doc`` (for objects obtained from spaCy)."""
        return self._offset_by_doc[id(doc)]

    def token_offsets(self, token: Token) -> tuple[int, int]:
        """Absolute ``[start, end)`` of a token's text (whitespace excluded)."""
        base = self.offset_of(token.doc)
        return base + token.idx, base + token.idx + len(token.text)

    def span_offsets(self, span: Span) -> tuple[int, int]:
        """Absolute ``[start, end)`` of a spaCy ``Span``."""
        base = self.offset_of(span.doc)
        return base + span.start_char, base + span.end_char

    # --------------------------------------------------------------- iteration

    def tokens(self) -> Iterator[Located]:
        """Every token (whitespace tokens included: filter on ``token.is_space``)."""
        for chunk in self.chunks:
            base = chunk.start
            for token in chunk.doc:
                yield Located(base + token.idx, base + token.idx + len(token.text), token)

    def iter_sentences(self) -> Iterator[Located]:
        """Sentences with text; offsets trimmed of surrounding whitespace."""
        for chunk in self.chunks:
            base = chunk.start
            for sent in chunk.doc.sents:
                text = sent.text
                stripped = text.strip()
                if not stripped:
                    continue
                lead = len(text) - len(text.lstrip())
                start = base + sent.start_char + lead
                yield Located(start, start + len(stripped), sent)

    def sentence_count(self) -> int:
        return sum(1 for _ in self.iter_sentences())

    def entities(self) -> Iterator[Located]:
        """Named entities (``item.label_`` is the type); empty when NER was excluded."""
        for chunk in self.chunks:
            base = chunk.start
            for ent in chunk.doc.ents:
                yield Located(base + ent.start_char, base + ent.end_char, ent)

    # ------------------------------------------------------------------ lookup

    def chunk_at(self, offset: int) -> Chunk | None:
        """The chunk holding ``offset``, or None (paratext, or outside the text)."""
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        chunk = self.chunks[i]
        return chunk if offset < chunk.end else None

    def token_at(self, offset: int) -> Token | None:
        """The token whose text or trailing space holds ``offset``, or None outside chunks."""
        chunk = self.chunk_at(offset)
        if chunk is None or len(chunk.doc) == 0:
            return None
        starts = self._token_starts.get(id(chunk.doc))
        if starts is None:
            starts = [token.idx for token in chunk.doc]
            self._token_starts[id(chunk.doc)] = starts
        i = bisect_right(starts, offset - chunk.start) - 1
        return chunk.doc[max(i, 0)]

    def span(self, start: int, end: int, *, alignment_mode: str = "expand") -> Span | None:
        """The spaCy ``Span`` over ``[start, end)``; None when it crosses chunks or is empty.

        ``alignment_mode`` is spaCy's: "expand" (default) widens to whole tokens,
        "contract" narrows, "strict" returns None unless the offsets are token edges.
        """
        if end <= start:
            return None
        chunk = self.chunk_at(start)
        if chunk is None or end > chunk.end:
            return None
        return chunk.doc.char_span(
            start - chunk.start, end - chunk.start, alignment_mode=alignment_mode
        )
