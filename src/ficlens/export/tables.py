"""Flat tables (one row per item) as CSV and Parquet, for pandas, R and DuckDB.

Many analyses go into one file per table, each row keyed by ``fic_id`` (the sha256 of
the input bytes, else of the UTF-8 text), so a corpus loads with one read per table.
Every table has an explicit pyarrow schema: an empty table still has typed columns.
In CSV, list columns are joined with ``;``, booleans are ``true``/``false`` and nulls
are empty cells.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ficlens.cast import SpeechSpans, narrator_of
from ficlens.model import Analysis, TagSuggestion
from ficlens.tagging.agreement import agrees, declared_tags

FORMATS = ("csv", "parquet")
LIST_SEPARATOR = ";"

_STR = pa.string()
_INT = pa.int64()
_LIST = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "fics": pa.schema(
        [
            ("fic_id", _STR),
            ("path", _STR),
            ("format", _STR),
            ("site", _STR),
            ("title", _STR),
            ("authors", _LIST),
            ("fandoms", _LIST),
            ("rating", _STR),
            ("language", _STR),
            ("words", _INT),
            ("sentences", _INT),
            ("chapters", _INT),
            ("characters", _INT),
            ("quotes", _INT),
        ]
    ),
    "segments": pa.schema(
        [("fic_id", _STR), ("start", _INT), ("end", _INT), ("kind", _STR), ("text", _STR)]
    ),
    "chapters": pa.schema(
        [
            ("fic_id", _STR),
            ("index", _INT),
            ("number", _INT),
            ("title", _STR),
            ("start", _INT),
            ("end", _INT),
        ]
    ),
    "scenes": pa.schema(
        [
            ("fic_id", _STR),
            ("index", _INT),
            ("chapter", _INT),
            ("start", _INT),
            ("end", _INT),
            ("pov_person", _STR),
            ("pov_focal", _LIST),
            ("tense", _STR),
        ]
    ),
    "characters": pa.schema(
        [
            ("fic_id", _STR),
            ("id", _STR),
            ("name", _STR),
            ("aliases", _LIST),
            ("gender", _STR),
            ("canon", pa.bool_()),
            ("ao3_tag", _STR),
            ("mention_count", _INT),
            ("quote_count", _INT),
            ("narrator", pa.bool_()),
        ]
    ),
    "mentions": pa.schema(
        [
            ("fic_id", _STR),
            ("start", _INT),
            ("end", _INT),
            ("character", _STR),
            ("character_name", _STR),
            ("kind", _STR),
            ("text", _STR),
            ("in_quote", pa.bool_()),
        ]
    ),
    "quotes": pa.schema(
        [
            ("fic_id", _STR),
            ("start", _INT),
            ("end", _INT),
            ("speech", pa.bool_()),
            ("speaker", _STR),
            ("speaker_name", _STR),
            ("addressees", _LIST),
            ("type", _STR),
            ("confidence", pa.float64()),
            ("text", _STR),
        ]
    ),
    "tags": pa.schema(
        [
            ("fic_id", _STR),
            ("field", _STR),
            ("tag", _STR),
            ("suggested", pa.bool_()),
            ("confidence", pa.float64()),
            ("declared", pa.bool_()),
            ("evidence", _INT),
        ]
    ),
}
TABLES: tuple[str, ...] = tuple(SCHEMAS)

Row = dict[str, Any]


def fic_id(analysis: Analysis) -> str:
    """The input's sha256 when known, else the sha256 of the text as UTF-8."""
    if analysis.source.sha256:
        return analysis.source.sha256
    return hashlib.sha256(analysis.text.encode("utf-8", "surrogatepass")).hexdigest()


# --------------------------------------------------------------------------- rows


def _fics(a: Analysis, fid: str) -> Iterator[Row]:
    m = a.metadata
    yield {
        "fic_id": fid,
        "path": a.source.path,
        "format": a.source.format,
        "site": a.source.site,
        "title": m.title,
        "authors": m.authors,
        "fandoms": m.fandoms,
        "rating": m.rating,
        "language": m.language,
        "words": a.stats.words,
        "sentences": a.stats.sentences,
        "chapters": len(a.chapters),
        "characters": len(a.characters),
        "quotes": len(a.quotes),
    }


def _segments(a: Analysis, fid: str) -> Iterator[Row]:
    for s in a.segments:
        yield {
            "fic_id": fid,
            "start": s.start,
            "end": s.end,
            "kind": s.kind,
            "text": a.text[s.start : s.end],
        }


def _chapters(a: Analysis, fid: str) -> Iterator[Row]:
    for c in a.chapters:
        yield {"fic_id": fid, **c.model_dump(include={"index", "number", "title", "start", "end"})}


def _scenes(a: Analysis, fid: str) -> Iterator[Row]:
    for s in a.scenes:
        yield {
            "fic_id": fid,
            "index": s.index,
            "chapter": s.chapter,
            "start": s.start,
            "end": s.end,
            "pov_person": s.pov.person,
            "pov_focal": s.pov.focal,
            "tense": s.tense,
        }


def _characters(a: Analysis, fid: str) -> Iterator[Row]:
    narrator = narrator_of(a)
    for c in a.characters:
        yield {"fic_id": fid, **c.model_dump(), "narrator": c.id == narrator}


def _mentions(a: Analysis, fid: str) -> Iterator[Row]:
    names = {c.id: c.name for c in a.characters}
    speech = SpeechSpans(a.quotes)
    for m in a.mentions:
        yield {
            "fic_id": fid,
            "start": m.start,
            "end": m.end,
            "character": m.character,
            "character_name": names.get(m.character),
            "kind": m.kind,
            "text": a.text[m.start : m.end],
            "in_quote": speech.inside(m.start),
        }


def _quotes(a: Analysis, fid: str) -> Iterator[Row]:
    names = {c.id: c.name for c in a.characters}
    for q in a.quotes:
        yield {
            "fic_id": fid,
            "start": q.start,
            "end": q.end,
            "speech": q.speech,
            "speaker": q.speaker,
            "speaker_name": names.get(q.speaker) if q.speaker else None,
            "addressees": q.addressees,
            "type": q.type,
            "confidence": q.confidence,
            "text": a.text[q.start : q.end],
        }


def _tags(a: Analysis, fid: str) -> Iterator[Row]:
    """Suggested tags with ``declared`` marked, then declared tags nobody suggested.

    ``declared`` uses the report's agreement (``tagging.agreement.agrees``: "Rory/Jess"
    agrees with "Rory Gilmore/Jess Mariano"). Declared-only rows (``suggested`` false, no
    confidence) make declared-vs-suggested comparisons a single query.
    """
    for field, declared in declared_tags(a.metadata).items():
        suggestions: list[TagSuggestion] = getattr(a.tags, field)
        for s in suggestions:
            yield {
                "fic_id": fid,
                "field": field,
                "tag": s.tag,
                "suggested": True,
                "confidence": s.confidence,
                "declared": any(agrees(field, t, s.tag) for t in declared),
                "evidence": len(s.evidence),
            }
        for tag in declared:
            if not any(agrees(field, tag, s.tag) for s in suggestions):
                yield {
                    "fic_id": fid,
                    "field": field,
                    "tag": tag,
                    "suggested": False,
                    "confidence": None,
                    "declared": True,
                    "evidence": 0,
                }


_ROWS: dict[str, Callable[[Analysis, str], Iterator[Row]]] = {
    "fics": _fics,
    "segments": _segments,
    "chapters": _chapters,
    "scenes": _scenes,
    "characters": _characters,
    "mentions": _mentions,
    "quotes": _quotes,
    "tags": _tags,
}


def table_rows(name: str, analyses: Sequence[Analysis]) -> list[Row]:
    """All rows of table ``name`` over ``analyses``, in input order."""
    rows: list[Row] = []
    for a in analyses:
        rows.extend(_ROWS[name](a, fic_id(a)))
    return rows


# ------------------------------------------------------------------------- writers


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return value


def write_csv(path: Path, schema: pa.Schema, rows: Sequence[Row]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(schema.names)
        for row in rows:
            writer.writerow([_csv_cell(row[name]) for name in schema.names])
    return path


def write_parquet(path: Path, schema: pa.Schema, rows: Sequence[Row]) -> Path:
    pq.write_table(pa.Table.from_pylist(list(rows), schema=schema), path)
    return path


def write_tables(
    analyses: Sequence[Analysis],
    out_dir: Path,
    formats: Collection[str],
    *,
    tables: Collection[str] = TABLES,
) -> list[Path]:
    """Write ``{table}.csv`` and/or ``{table}.parquet`` into ``out_dir``; return the paths."""
    unknown = sorted(set(formats) - set(FORMATS)) + sorted(set(tables) - set(TABLES))
    if unknown or not formats:
        raise ValueError(
            f"unknown table format or name {', '.join(unknown) or '(none given)'}; "
            f"formats: {', '.join(FORMATS)}; tables: {', '.join(TABLES)}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in TABLES:
        if name not in tables:
            continue
        schema, rows = SCHEMAS[name], table_rows(name, analyses)
        if "csv" in formats:
            written.append(write_csv(out_dir / f"{name}.csv", schema, rows))
        if "parquet" in formats:
            written.append(write_parquet(out_dir / f"{name}.parquet", schema, rows))
    return written
