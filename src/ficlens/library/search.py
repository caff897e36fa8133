"""Full-text search over the library's story texts, combined with structured filters.

The text index is DuckDB's ``fts`` (BM25, Porter stemmer, English stop words) over
``texts.story``, the story segments of each fic, so author's notes and headers never
match. Every word of the query must occur (conjunctive); a ``"quoted phrase"`` must also
occur as written (case and whitespace aside). A query of stop words only ("said") cannot
use the index and is matched word for word, most occurrences first. Filters read the
declared metadata and whatever the analysis layers hold (declared and suggested tags,
detected characters and relationships, narrative point of view and tense).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ficlens.errors import LibraryError
from ficlens.library.store import Library

SNIPPET_WIDTH = 180
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”')
_SPACE = re.compile(r"\s")
_PAIR_SPLIT = re.compile(r"\s*(?:/|&|\bx\b)\s*", re.IGNORECASE)

POV_NAMES = {
    "first": "first",
    "1": "first",
    "1st": "first",
    "second": "second",
    "2": "second",
    "2nd": "second",
    "third": "third",
    "3": "third",
    "3rd": "third",
}
TENSES = ("past", "present")

_RATING_CLASSES = {
    "general": ("g", "general", "general audiences", "k", "k+", "fiction k", "fiction k+"),
    "teen": ("t", "teen", "teen and up", "teen and up audiences", "fiction t", "pg-13", "pg"),
    "mature": ("m", "mature", "fiction m", "r"),
    "explicit": ("e", "explicit", "ma", "fiction ma", "nc-17"),
    "not rated": ("not rated", "nr", "unrated"),
}
_RATING_OF = {alias: cls for cls, aliases in _RATING_CLASSES.items() for alias in aliases}


def rating_class(value: str) -> str:
    """AO3 and fanfiction.net ratings on one scale (general, teen, mature, explicit)."""
    key = " ".join(value.casefold().replace("rated:", "").split())
    return _RATING_OF.get(key, key)


def normalise_pov(value: str) -> str:
    key = value.casefold().replace("person", "").strip().rstrip("-").strip()
    if key not in POV_NAMES:
        raise LibraryError(f"unknown point of view {value!r}; use first, second or third")
    return POV_NAMES[key]


def normalise_tense(value: str) -> str:
    key = value.casefold().strip()
    if key not in TENSES:
        raise LibraryError(f"unknown tense {value!r}; use past or present")
    return key


@dataclass(frozen=True)
class Filters:
    """Structured filters; each one given must hold (substring matches, any case)."""

    fandom: str | None = None
    rating: str | None = None
    pairing: str | None = None
    character: str | None = None
    tag: str | None = None
    pov: str | None = None
    tense: str | None = None
    min_words: int | None = None


@dataclass
class Hit:
    fic_id: str
    title: str | None
    authors: list[str]
    fandoms: list[str]
    pairings: list[str]
    rating: str | None
    words: int
    path: str | None
    score: float | None
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(h) for h in self.highlights]
        return data


@dataclass(frozen=True)
class Query:
    words: list[str]
    phrases: list[str]

    @classmethod
    def parse(cls, text: str | None) -> Query:
        text = text or ""
        phrases = [_flat(a or b) for a, b in _PHRASE.findall(text)]
        phrases = [p for p in phrases if p]
        words = [w.casefold() for w in _WORD.findall(text)]
        return cls(words=list(dict.fromkeys(words)), phrases=phrases)

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


# --------------------------------------------------------------------------- filters


def _names(pairing: str) -> list[str]:
    return [n.casefold() for n in _PAIR_SPLIT.split(pairing.strip()) if n.strip()]


def _pairing_matches(wanted: list[str], candidate: str) -> bool:
    """'Ines/Corwin' matches 'Corwin Hale/Ines Marrow': every name in some member."""
    members = _names(candidate)
    return len(members) >= len(wanted) and all(any(w in m for m in members) for w in wanted)


def _pairing_ids(lib: Library, pairing: str) -> list[str]:
    wanted = _names(pairing)
    if not wanted:
        return []
    rows = lib.conn.execute(
        "SELECT fic_id, tag FROM tags WHERE field = 'relationships' "
        "UNION ALL SELECT fic_id, a_name || '/' || b_name FROM relationships"
    ).fetchall()
    return sorted({fid for fid, tag in rows if tag and _pairing_matches(wanted, tag)})


def _rating_values(lib: Library, rating: str) -> list[str]:
    wanted = rating_class(rating)
    rows = lib.conn.execute(
        "SELECT DISTINCT rating FROM fics WHERE rating IS NOT NULL "
        "UNION SELECT DISTINCT tag FROM tags WHERE field = 'rating'"
    ).fetchall()
    return [r[0] for r in rows if rating_class(r[0]) == wanted]


_CONTAINS = "contains(lower({}), lower(?))"  # a literal substring, any case


def _where(lib: Library, filters: Filters) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    # Substring filters compare literally (contains, not LIKE): '%', '_' and '\\' in a
    # value are characters to find, never wildcards.
    if filters.fandom:
        clauses.append(
            "f.fic_id IN (SELECT fic_id FROM tags WHERE field = 'fandoms' "
            f"AND {_CONTAINS.format('tag')})"
        )
        params.append(filters.fandom)
    if filters.rating:
        values = _rating_values(lib, filters.rating)
        clauses.append(
            "(list_contains(?, f.rating) OR f.fic_id IN "
            "(SELECT fic_id FROM tags WHERE field = 'rating' AND list_contains(?, tag)))"
        )
        params += [values, values]
    if filters.pairing:
        clauses.append("list_contains(?, f.fic_id)")
        params.append(_pairing_ids(lib, filters.pairing))
    if filters.character:
        clauses.append(
            "f.fic_id IN (SELECT fic_id FROM tags WHERE field = 'characters' "
            f"AND {_CONTAINS.format('tag')} "
            f"UNION SELECT fic_id FROM characters WHERE {_CONTAINS.format('name')} "
            f"OR {_CONTAINS.format('array_to_string(aliases, chr(31))')})"
        )
        params += [filters.character] * 3
    if filters.tag:
        clauses.append(f"f.fic_id IN (SELECT fic_id FROM tags WHERE {_CONTAINS.format('tag')})")
        params.append(filters.tag)
    # POV and tense: the fic's narrative, or any of its scenes (a fic that switches counts
    # for each person it is told in).
    if filters.pov:
        clauses.append(
            "f.fic_id IN (SELECT fic_id FROM narrative WHERE person = ? "
            "UNION SELECT fic_id FROM scenes WHERE pov_person = ?)"
        )
        params += [normalise_pov(filters.pov)] * 2
    if filters.tense:
        clauses.append(
            "f.fic_id IN (SELECT fic_id FROM narrative WHERE tense = ? "
            "UNION SELECT fic_id FROM scenes WHERE tense = ?)"
        )
        params += [normalise_tense(filters.tense)] * 2
    if filters.min_words is not None:
        clauses.append("f.words >= ?")
        params.append(filters.min_words)
    return clauses, params


# --------------------------------------------------------------------------- snippets


def _term_pattern(word: str) -> str:
    """A word and its inflections: 'lighthouses' finds 'lighthouse', 'walked' finds 'walk'."""
    stem = word if len(word) <= 4 else word[: max(4, len(word) - 2)]
    return rf"\b{re.escape(stem)}\w*"


def _phrase_pattern(phrase: str) -> str:
    words = (re.escape(p).replace("'", "['’]") for p in phrase.split())
    return r"\b" + r"\s+".join(words) + r"\b"


def snippet(
    text: str, words: Sequence[str], phrases: Sequence[str] = (), width: int = SNIPPET_WIDTH
) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around the densest group of matches, whitespace collapsed.

    Returns the snippet and the ``[start, end)`` offsets of the matches within it.
    """
    patterns = [_phrase_pattern(p) for p in phrases] + [_term_pattern(w) for w in words]
    matches: list[tuple[int, int, int]] = []  # start, end, which term
    for i, pattern in enumerate(patterns):
        for m in re.finditer(pattern, text, re.IGNORECASE):
            matches.append((m.start(), m.end(), i))
            if len(matches) > 5000:
                break
    matches.sort()
    start, floor = 0, 0
    if matches:
        lead = width // 3

        def density(m: tuple[int, int, int]) -> tuple[int, int]:
            terms = {t for s, _, t in matches if m[0] <= s < m[0] + width - lead}
            return len(terms), -m[0]

        best = max(matches, key=density)
        floor = best[1]
        start = max(0, best[0] - lead)
        if start > 0:  # begin at a word
            gap = _SPACE.search(text, start, best[0])
            start = gap.end() if gap else best[0]
    end = min(len(text), start + width)
    if end < len(text):  # end at a word
        cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
        if cut > max(floor, start):
            end = cut
    inside: list[tuple[int, int]] = []  # overlapping matches merged: a phrase and its words
    for s, e in sorted(
        (max(s, start), min(e, end)) for s, e, _ in matches if s < end and e > start
    ):
        if inside and s <= inside[-1][1]:
            inside[-1] = (inside[-1][0], max(inside[-1][1], e))
        else:
            inside.append((s, e))
    parts: list[tuple[str, bool]] = []
    pos = start
    for s, e in inside:
        parts += [(text[pos:s], False), (text[s:e], True)]
        pos = e
    parts.append((text[pos:end], False))
    out: list[str] = ["…"] if start > 0 else []
    length = len(out[0]) if out else 0
    spans: list[tuple[int, int]] = []
    for chunk, marked in parts:
        flat = re.sub(r"\s+", " ", chunk)
        if not out and not marked:
            flat = flat.lstrip()
        if marked:
            spans.append((length, length + len(flat)))
        out.append(flat)
        length += len(flat)
    result = "".join(out).rstrip()
    if end < len(text):
        result += "…"
    return result, spans


# ---------------------------------------------------------------------------- search


def _flat(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def search(
    lib: Library, query: str | None = None, filters: Filters | None = None, limit: int = 20
) -> list[Hit]:
    """Fics whose story matches ``query`` (BM25 order) and every filter given.

    Without a query, every fic that passes the filters, by title. The full-text index
    must be current (:meth:`Library.refresh_index`; ``open_for_reading`` does it).
    """
    filters = filters or Filters()
    parsed = Query.parse(query)
    clauses, params = _where(lib, filters)
    select = (
        "SELECT f.fic_id, f.title, f.authors, f.fandoms, f.relationships, f.rating, f.words, "
        "f.path, {score} AS score, t.story FROM fics f JOIN texts t USING (fic_id)"
    )
    fts_query = ""
    if query and query.strip() and not parsed:
        return []  # only punctuation ('%', "';--"): no word to find, so no fic matches
    if parsed:
        if not lib.count():
            return []
        lib.load_fts()
        fts_query = " ".join(_index_terms(lib, parsed.words))
    if fts_query:
        sql = select.format(score="fts_main_texts.match_bm25(f.fic_id, ?, conjunctive := 1)")
        sql = f"SELECT * FROM ({sql}) f WHERE score IS NOT NULL"
        params = [fts_query, *params]
        order = " ORDER BY score DESC, title, fic_id"
    else:  # no query, or only stop words ("said"), which the index does not hold
        sql = select.format(score="NULL::DOUBLE") + " WHERE TRUE"
        order = " ORDER BY title NULLS LAST, fic_id"
    if clauses:
        sql += " AND " + " AND ".join(clauses)
    sql += order
    scan = bool(parsed) and not fts_query
    if not parsed.phrases and not scan:
        sql += " LIMIT ?"
        params.append(limit)
    try:
        rows = lib.conn.execute(sql, params).fetchall()
    except Exception as exc:  # a missing or stale index, a damaged file
        if "fts_main_texts" in str(exc):
            raise LibraryError(
                f"{lib.path}: the full-text index is missing; run `ficlens library add` again"
            ) from None
        raise
    if scan:
        rows = _scan(rows, parsed.words)
    hits: list[Hit] = []
    for fid, title, authors, fandoms, declared_pairs, rating, words, path, score, story in rows:
        if parsed.phrases and not all(p in _flat(story) for p in parsed.phrases):
            continue
        text, spans = snippet(story, parsed.words, parsed.phrases)
        hits.append(
            Hit(
                fic_id=fid,
                title=title,
                authors=list(authors or []),
                fandoms=list(fandoms or []),
                pairings=list(declared_pairs or []) or _detected_pairs(lib, fid),
                rating=rating,
                words=int(words or 0),
                path=path,
                score=None if score is None else round(float(score), 4),
                snippet=text,
                highlights=spans,
            )
        )
        if len(hits) >= limit:
            break
    return hits


def _scan(rows: list[Any], words: Sequence[str]) -> list[Any]:
    """Rows whose story holds every word as a whole word, most occurrences first."""
    patterns = [
        re.compile(r"\b" + re.escape(w).replace("'", "['’]") + r"\b", re.IGNORECASE) for w in words
    ]
    counted: list[tuple[int, Any]] = []
    for row in rows:
        counts = [len(p.findall(row[-1])) for p in patterns]
        if all(counts):
            counted.append((sum(counts), row))
    counted.sort(key=lambda pair: -pair[0])  # stable: ties stay in title order
    return [row for _n, row in counted]


def _index_terms(lib: Library, words: Sequence[str]) -> list[str]:
    """The query as the index sees text: ASCII letters only, stop words dropped.

    A stop word in a conjunctive query would match nothing, so "you're late" must be
    sent as "late" (the phrase check then requires the whole of it). A query of stop
    words only is matched word for word by :func:`_scan` instead.
    """
    try:
        rows = lib.conn.execute("SELECT sw FROM fts_main_texts.stopwords").fetchall()
    except Exception:
        raise LibraryError(
            f"{lib.path}: the full-text index is missing; run `ficlens library add` again"
        ) from None
    stop = {r[0] for r in rows}
    terms = (t for w in words for t in re.split(r"[^a-z]+", w.casefold()))
    return list(dict.fromkeys(t for t in terms if t and t not in stop))


def _detected_pairs(lib: Library, fid: str) -> list[str]:
    rows = lib.conn.execute(
        "SELECT a_name || '/' || b_name FROM relationships WHERE fic_id = ? "
        "AND kind = 'romantic' ORDER BY score DESC LIMIT 3",
        [fid],
    ).fetchall()
    return [r[0] for r in rows]
