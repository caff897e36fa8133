"""Document-level tokens in BookNLP's numbering, built from the language layer.

BookNLP numbers everything from 0 over the whole book: whitespace tokens are dropped,
``token_ID_within_document`` counts the remaining tokens, sentence ids are global and a
syntactic head is a document token id (a root points at itself). We rebuild that
numbering from our chunked spaCy docs so that chunking never shows in the export.

Only the story segments are parsed (paratext is never analysed), so tokens cover the
story text only. Paragraph ids follow ``language/chunking.py``: blank-line paragraphs in
hard-wrapped text, else every line break; a new story segment also starts a paragraph.
"""

from __future__ import annotations

import csv
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from ficlens.model import Analysis

if TYPE_CHECKING:
    from ficlens.language import LanguageLayer

OffsetUnit = Literal["chars", "bytes"]

TOKENS_HEADER: tuple[str, ...] = (
    "paragraph_ID",
    "sentence_ID",
    "token_ID_within_sentence",
    "token_ID_within_document",
    "word",
    "lemma",
    "byte_onset",
    "byte_offset",
    "POS_tag",
    "fine_POS_tag",
    "dependency_relation",
    "syntactic_head_ID",
    "event",
)

#: BookNLP's value for a token that is not an event; we have no event tagger.
NO_EVENT = "O"

# BookNLP's own replacement of whitespace inside a word, so a field never breaks the TSV.
_WS_MAP = str.maketrans({" ": "S", "\n": "N", "\r": "N", "\t": "T"})


def clean_word(word: str) -> str:
    """A token's text made safe for a tab-separated line, as BookNLP does it."""
    return word.translate(_WS_MAP)


@dataclass(frozen=True, slots=True)
class DocToken:
    """One non-space token; ``start``/``end`` are ``str`` offsets into ``Analysis.text``."""

    paragraph: int
    sentence: int
    in_sentence: int
    id: int
    word: str
    lemma: str
    start: int
    end: int
    pos: str
    tag: str
    dep: str
    head: int


class TokenIndex:
    """Tokens in document order, with lookups from character spans to token ids."""

    def __init__(self, tokens: Sequence[DocToken]) -> None:
        self.tokens = list(tokens)
        self._starts = [t.start for t in self.tokens]
        self._ends = [t.end for t in self.tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Inclusive ``(first, last)`` ids of the tokens overlapping ``[start, end)``."""
        first = bisect_right(self._ends, start)
        last = bisect_left(self._starts, end) - 1
        if first > last:
            return None
        return first, last

    def words(self, first: int, last: int) -> str:
        """Token words joined by single spaces, BookNLP's rendering of a phrase."""
        return " ".join(clean_word(t.word) for t in self.tokens[first : last + 1])


def _paragraph_starts(analysis: Analysis) -> list[int]:
    from ficlens.language.chunking import blank_line_paragraphs, paragraph_breaks

    text = analysis.text
    spans = sorted((s.start, s.end) for s in analysis.segments if s.kind == "story")
    blank_lines = blank_line_paragraphs("\n".join(text[s:e] for s, e in spans))
    starts: set[int] = set()
    for s, e in spans:
        starts.add(s)
        starts.update(paragraph_breaks(text, s, e, blank_lines=blank_lines))
    return sorted(starts)


def _head_index(token: Any, ids: list[int]) -> int:
    """Document id of a token's head; a space head is skipped upwards, a root is itself."""
    head = token.head
    seen = 0
    while ids[head.i] < 0 and head.head.i != head.i and seen < 64:
        head, seen = head.head, seen + 1
    found: int = ids[head.i]
    return found if found >= 0 else int(ids[token.i])


def build_tokens(analysis: Analysis, language: LanguageLayer) -> TokenIndex:
    """Number the layer's tokens as BookNLP does (0-based, spaces dropped, global ids)."""
    para_starts = _paragraph_starts(analysis)
    tokens: list[DocToken] = []
    sentence = paragraph = -1
    last_raw_para: int | None = None
    for chunk in language.chunks:
        spacy_doc = chunk.doc
        ids = [-1] * len(spacy_doc)  # chunk token index -> document token id
        next_id = len(tokens)
        for tok in spacy_doc:
            if not tok.is_space:
                ids[tok.i] = next_id
                next_id += 1
        for sent in spacy_doc.sents:
            words = [tok for tok in sent if not tok.is_space]
            if not words:
                continue
            sentence += 1
            for in_sentence, tok in enumerate(words):
                start = chunk.start + tok.idx
                raw_para = bisect_right(para_starts, start) - 1
                if raw_para != last_raw_para:
                    paragraph += 1
                    last_raw_para = raw_para
                tokens.append(
                    DocToken(
                        paragraph=paragraph,
                        sentence=sentence,
                        in_sentence=in_sentence,
                        id=ids[tok.i],
                        word=tok.text,
                        lemma=tok.lemma_,
                        start=start,
                        end=start + len(tok.text),
                        pos=tok.pos_,
                        tag=tok.tag_,
                        dep=tok.dep_,
                        head=_head_index(tok, ids),
                    )
                )
    return TokenIndex(tokens)


def _byte_offsets(text: str, tokens: Iterable[DocToken]) -> Iterable[tuple[int, int]]:
    """UTF-8 byte ``(onset, offset)`` per token, counted incrementally in one pass."""
    pos = byte = 0
    for t in tokens:
        byte += len(text[pos : t.start].encode("utf-8", "surrogatepass"))
        onset = byte
        byte += len(text[t.start : t.end].encode("utf-8", "surrogatepass"))
        pos = t.end
        yield onset, byte


def tsv_writer(handle: Any) -> Any:
    """A csv writer for BookNLP's plain TSV: tab-separated, no quoting, ``\\n`` lines."""
    return csv.writer(
        handle, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None, lineterminator="\n"
    )


def write_tokens(
    path: Path, analysis: Analysis, index: TokenIndex, *, offsets: OffsetUnit = "chars"
) -> Path:
    """Write ``.tokens``; ``offsets`` picks code-point (BookNLP's own) or UTF-8 byte offsets."""
    if offsets == "bytes":
        spans: Iterable[tuple[int, int]] = _byte_offsets(analysis.text, index.tokens)
    else:
        spans = ((t.start, t.end) for t in index.tokens)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = tsv_writer(handle)
        writer.writerow(TOKENS_HEADER)
        for t, (onset, offset) in zip(index.tokens, spans, strict=True):
            writer.writerow(
                (
                    t.paragraph,
                    t.sentence,
                    t.in_sentence,
                    t.id,
                    clean_word(t.word),
                    clean_word(t.lemma),
                    onset,
                    offset,
                    t.pos,
                    t.tag,
                    t.dep,
                    t.head,
                    NO_EVENT,
                )
            )
    return path


class TokenRow(NamedTuple):
    """One row of a BookNLP ``.tokens`` file, typed."""

    paragraph_ID: int
    sentence_ID: int
    token_ID_within_sentence: int
    token_ID_within_document: int
    word: str
    lemma: str
    byte_onset: int
    byte_offset: int
    POS_tag: str
    fine_POS_tag: str
    dependency_relation: str
    syntactic_head_ID: int
    event: str


def read_tokens(path: str | Path) -> list[TokenRow]:
    """Read a ``.tokens`` file (ours or BookNLP's) into typed rows; checks the header."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header) != TOKENS_HEADER:
            raise ValueError(f"{path}: not a BookNLP .tokens file (unexpected header)")
        rows = []
        for line_no, cols in enumerate(reader, start=2):
            if len(cols) != len(TOKENS_HEADER):
                raise ValueError(f"{path}:{line_no}: expected {len(TOKENS_HEADER)} columns")
            try:
                p, s, ws, wd, word, lemma, on, off, pos, tag, dep, head, event = cols
                rows.append(
                    TokenRow(
                        int(p),
                        int(s),
                        int(ws),
                        int(wd),
                        word,
                        lemma,
                        int(on),
                        int(off),
                        pos,
                        tag,
                        dep,
                        int(head),
                        event,
                    )
                )
            except ValueError:
                raise ValueError(f"{path}:{line_no}: malformed token row") from None
    return rows
