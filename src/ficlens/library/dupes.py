"""Near-duplicates and reposts: MinHash LSH over word shingles, confirmed passage by passage.

Only story text is compared (segments of kind ``story``), so a repost with other
author's notes, another header or a disclaimer still matches. The text is normalised
before shingling: Unicode compatibility forms, lower case, curly quotes and dashes made
straight, and only word characters kept, so re-wrapped lines, curly quotes and changed
punctuation spacing do not matter.

1. Each fic's set of ``SHINGLE``-word shingles gets a MinHash signature (datasketch).
2. LSH proposes pairs twice: over whole fics (at a quarter of the threshold) and over
   passages (any passage of at least a dozen words shared by two fics), so that a story
   reposted inside a much longer work is a candidate too.
3. Each candidate is confirmed on the exact shingle sets: kept when the Jaccard
   similarity, or the share of the shorter fic found in the other, reaches
   ``threshold``. Its passages (paragraphs, long ones cut into windows) count as shared
   when at least half of their shingles occur in the other fic; the report gives the
   shared passages with their offsets and chapters and the share of words they hold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ficlens.library.store import Library

SHINGLE = 5
NUM_PERM = 128
MIN_WORDS = 20
PASSAGE_WORDS = 120
PASSAGE_SHARED = 0.5
LSH_FACTOR = 0.25
"""Whole-fic LSH proposes pairs at this fraction of the threshold."""
PASSAGE_PERM = 64
PASSAGE_MIN_SHINGLES = 8
"""Passages shorter than this (about 12 words: "No." and the like) propose nothing."""
_SEED = 1

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
    }
)
_WORD = re.compile(r"\w+(?:'\w+)*")
_RAW_WORD = re.compile(r"\w+(?:['\u2018\u2019\u201b\u2032`]\w+)*")  # before normalising
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def normalise(text: str) -> str:
    """Lower case, straight quotes and dashes, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def shingles(tokens: Sequence[str], size: int = SHINGLE) -> set[str]:
    if not tokens:
        return set()
    if len(tokens) < size:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


@dataclass
class Passage:
    start: int  # offsets into the fic's Analysis.text
    end: int
    chapter: int | None  # index into Analysis.chapters
    words: list[str]
    shingles: set[str] = field(default_factory=set)


@dataclass
class FicText:
    fic_id: str
    title: str | None
    path: str | None
    passages: list[Passage]
    shingles: set[str]
    word_count: int


@dataclass
class Side:
    fic_id: str
    title: str | None
    path: str | None
    words: int
    shared_fraction: float
    shared_passages: int
    passages: int
    chapters: list[int]  # chapter indices holding shared passages
    spans: list[tuple[int, int]]  # shared passages, offsets into the analysis text


@dataclass
class DupePair:
    a: Side
    b: Side
    jaccard: float
    containment: float  # share of the shorter fic's shingles found in the other

    def as_dict(self) -> dict[str, Any]:
        def side(s: Side) -> dict[str, Any]:
            return {
                "fic_id": s.fic_id,
                "title": s.title,
                "path": s.path,
                "words": s.words,
                "shared_fraction": s.shared_fraction,
                "shared_passages": s.shared_passages,
                "passages": s.passages,
                "chapters": s.chapters,
                "spans": [list(x) for x in s.spans],
            }

        return {
            "jaccard": self.jaccard,
            "containment": self.containment,
            "a": side(self.a),
            "b": side(self.b),
        }


def _passages(
    segments: Sequence[tuple[int, str]], chapters: Sequence[tuple[int, int, int]]
) -> list[Passage]:
    """Paragraphs of the story segments; long ones cut into windows of PASSAGE_WORDS."""
    out: list[Passage] = []
    for seg_start, text in segments:
        pos = 0
        for para in [*_PARAGRAPH.finditer(text), None]:
            end = para.start() if para else len(text)
            block = text[pos:end]
            if block.strip():
                matches = list(_RAW_WORD.finditer(block))
                for i in range(0, len(matches), PASSAGE_WORDS):
                    group = matches[i : i + PASSAGE_WORDS]
                    if not group:
                        continue
                    a = seg_start + pos + group[0].start()
                    b = seg_start + pos + group[-1].end()
                    toks = words(" ".join(m.group(0) for m in group))
                    chapter = next((ix for ix, cs, ce in chapters if cs <= a < ce), None)
                    out.append(Passage(a, b, chapter, toks))
            pos = para.end() if para else len(text)
    return out


def load_texts(lib: Library) -> list[FicText]:
    conn = lib.conn
    fics = conn.execute("SELECT fic_id, title, path FROM fics ORDER BY fic_id").fetchall()
    segs: dict[str, list[tuple[int, str]]] = {}
    for fid, start, text in conn.execute(
        'SELECT fic_id, "start", text FROM segments WHERE kind = \'story\' ORDER BY fic_id, "start"'
    ).fetchall():
        segs.setdefault(fid, []).append((start, text))
    chaps: dict[str, list[tuple[int, int, int]]] = {}
    for fid, index, start, end in conn.execute(
        'SELECT fic_id, "index", "start", "end" FROM chapters ORDER BY fic_id, "index"'
    ).fetchall():
        chaps.setdefault(fid, []).append((index, start, end))
    texts: list[FicText] = []
    for fid, title, path in fics:
        if fid not in segs:  # no story segments (structure switched off): the whole text
            row = conn.execute("SELECT story FROM texts WHERE fic_id = ?", [fid]).fetchone()
            segs[fid] = [(0, row[0])] if row and row[0] else []
        passages = _passages(segs[fid], chaps.get(fid, []))
        tokens = [w for p in passages for w in p.words]
        for p in passages:
            p.shingles = shingles(p.words)
        texts.append(FicText(fid, title, path, passages, shingles(tokens), len(tokens)))
    return texts


def _side(fic: FicText, other: set[str]) -> Side:
    shared = [
        p
        for p in fic.passages
        if p.shingles and len(p.shingles & other) >= PASSAGE_SHARED * len(p.shingles)
    ]
    shared_words = sum(len(p.words) for p in shared)
    return Side(
        fic_id=fic.fic_id,
        title=fic.title,
        path=fic.path,
        words=fic.word_count,
        shared_fraction=round(shared_words / fic.word_count, 4) if fic.word_count else 0.0,
        shared_passages=len(shared),
        passages=len(fic.passages),
        chapters=sorted({p.chapter for p in shared if p.chapter is not None}),
        spans=[(p.start, p.end) for p in shared],
    )


def find_dupes(lib: Library, threshold: float = 0.8) -> list[DupePair]:
    """Pairs of fics whose stories are near-duplicates (see the module docstring)."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    from datasketch import MinHash, MinHashLSH  # imported here: it pulls in scipy

    texts = [t for t in load_texts(lib) if t.word_count >= MIN_WORDS]
    by_id = {t.fic_id: t for t in texts}
    candidates: set[tuple[str, str]] = set()

    def propose(x: str, y: str) -> None:
        if x != y:
            candidates.add((min(x, y), max(x, y)))

    # Whole fics: reposts and near-copies.
    signatures = MinHash.bulk(
        [[s.encode("utf-8") for s in t.shingles] for t in texts], num_perm=NUM_PERM, seed=_SEED
    )
    lsh = MinHashLSH(threshold=max(0.1, threshold * LSH_FACTOR), num_perm=NUM_PERM)
    for text, signature in zip(texts, signatures, strict=True):
        for other in lsh.query(signature):
            propose(other, text.fic_id)
        lsh.insert(text.fic_id, signature)
    # Passages: a story reposted inside a much longer work shares whole passages with it.
    keyed = [
        (t.fic_id, i, p)
        for t in texts
        for i, p in enumerate(t.passages)
        if len(p.shingles) >= PASSAGE_MIN_SHINGLES
    ]
    passage_signatures = MinHash.bulk(
        [[s.encode("utf-8") for s in p.shingles] for _f, _i, p in keyed],
        num_perm=PASSAGE_PERM,
        seed=_SEED,
    )
    passage_lsh = MinHashLSH(threshold=PASSAGE_SHARED, num_perm=PASSAGE_PERM)
    for (fid, i, _p), signature in zip(keyed, passage_signatures, strict=True):
        for key in passage_lsh.query(signature):
            propose(key.partition("\x1f")[0], fid)
        passage_lsh.insert(f"{fid}\x1f{i}", signature)

    pairs: list[DupePair] = []
    for x, y in sorted(candidates):
        a, b = by_id[x], by_id[y]
        common = len(a.shingles & b.shingles)
        union = len(a.shingles | b.shingles)
        jaccard = common / union if union else 0.0
        containment = common / min(len(a.shingles), len(b.shingles))
        if max(jaccard, containment) < threshold:
            continue
        if a.word_count > b.word_count or (a.word_count == b.word_count and a.fic_id > b.fic_id):
            a, b = b, a  # the shorter (or reposted) one first
        pairs.append(
            DupePair(
                a=_side(a, b.shingles),
                b=_side(b, a.shingles),
                jaccard=round(jaccard, 4),
                containment=round(containment, 4),
            )
        )
    pairs.sort(key=lambda p: (-p.jaccard, -p.containment, p.a.fic_id))
    return pairs
