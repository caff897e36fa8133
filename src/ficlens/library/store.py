"""The library store: one DuckDB file holding analyses and the tables researchers query.

A fic is keyed by ``fic_id``, the sha256 of its raw input bytes. Adding the same bytes
again does nothing; new bytes at a path already in the library replace that path's rows
in one transaction. The full-text index over ``texts.story`` (DuckDB's ``fts``
extension, loaded from the ``duckdb-extension-fts`` package, never downloaded) is
rebuilt after each batch of changes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from ficlens.errors import LibraryError
from ficlens.export.tables import SCHEMAS, fic_id, table_rows
from ficlens.library.schema import (
    LAYER_TABLES,
    MIGRATIONS,
    check_readable,
    current_version,
    migrate,
)
from ficlens.model import SCHEMA_VERSION, Analysis

DEFAULT_DB = Path("ficlens.duckdb")
FTS_VERSION = "v1.5.5"
STORY_JOIN = "\n\n"

Status = Literal["added", "unchanged", "replaced"]
Row = dict[str, Any]

_STR = pa.string()
_INT = pa.int64()
_LIST = pa.list_(_STR)
_SV = pa.field("schema_version", pa.int32())
_OWN_SCHEMAS: dict[str, pa.Schema] = {
    "analyses": pa.schema([("fic_id", _STR), _SV, ("analysis", _STR)]),
    "texts": pa.schema([("fic_id", _STR), _SV, ("story", _STR)]),
    "relationships": pa.schema(
        [
            ("fic_id", _STR),
            _SV,
            ("a", _STR),
            ("b", _STR),
            ("a_name", _STR),
            ("b_name", _STR),
            ("kind", _STR),
            ("score", pa.float64()),
            ("evidence", _INT),
        ]
    ),
    "narrative": pa.schema(
        [
            ("fic_id", _STR),
            _SV,
            ("person", _STR),
            ("tense", _STR),
            ("focal", _LIST),
            ("slips", _INT),
        ]
    ),
}
_EXPORTED = ("segments", "chapters", "scenes", "characters", "mentions", "quotes", "tags")


def fts_extension_path() -> Path:
    """The fts extension file shipped in the ``duckdb-extension-fts`` wheel."""
    try:
        import duckdb_extension_fts
    except ImportError:  # pragma: no cover - a declared dependency
        raise LibraryError(
            "full-text search needs the duckdb-extension-fts package (pip install ficlens)"
        ) from None
    path = Path(duckdb_extension_fts.__file__).parent / "extensions" / FTS_VERSION
    path = path / "fts.duckdb_extension"
    if not path.is_file():
        raise LibraryError(f"the DuckDB fts extension is missing at {path}; reinstall ficlens")
    return path


def story_text(analysis: Analysis) -> str:
    """The story segments joined by blank lines (all the text when there are no segments)."""
    if not analysis.segments:
        return analysis.text
    parts = [analysis.text[s.start : s.end] for s in analysis.segments if s.kind == "story"]
    return STORY_JOIN.join(parts)


# ----------------------------------------------------------------------------- rows


def _fic_row(a: Analysis, fid: str, path: str | None) -> Row:
    m = a.metadata
    return {
        "fic_id": fid,
        "path": path,
        "format": a.source.format,
        "flavor": a.source.flavor,
        "site": a.source.site,
        "title": m.title,
        "authors": m.authors,
        "fandoms": m.fandoms,
        "rating": m.rating,
        "language": m.language,
        "warnings": m.warnings,
        "category": m.category,
        "relationships": m.relationships,
        "characters": m.characters,
        "additional_tags": m.additional_tags,
        "summary": m.summary,
        "url": m.url,
        "words": a.stats.words,
        "declared_words": m.words,
        "chapters": len(a.chapters),
        "declared_chapters": m.chapter_count,
        "added_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "schema_version": a.schema_version,
        "ficlens_version": a.ficlens_version,
    }


def _own_rows(name: str, a: Analysis, fid: str) -> Iterator[Row]:
    sv = a.schema_version
    if name == "analyses":
        yield {"fic_id": fid, "schema_version": sv, "analysis": a.model_dump_json()}
    elif name == "texts":
        yield {"fic_id": fid, "schema_version": sv, "story": story_text(a)}
    elif name == "relationships":
        names = {c.id: c.name for c in a.characters}
        for r in a.relationships:
            x, y = r.pair
            yield {
                "fic_id": fid,
                "schema_version": sv,
                "a": x,
                "b": y,
                "a_name": names.get(x, x),
                "b_name": names.get(y, y),
                "kind": r.kind,
                "score": r.score,
                "evidence": len(r.evidence),
            }
    elif name == "narrative":
        n = a.narrative
        yield {
            "fic_id": fid,
            "schema_version": sv,
            "person": n.person,
            "tense": n.tense,
            "focal": n.focal,
            "slips": len(n.slips),
        }


def layer_table(name: str, analysis: Analysis, fid: str) -> pa.Table:
    """The rows ``analysis`` contributes to library table ``name``, with schema_version."""
    if name in _OWN_SCHEMAS:
        return pa.Table.from_pylist(list(_own_rows(name, analysis, fid)), _OWN_SCHEMAS[name])
    rows = table_rows(name, [analysis])  # the export's row builders, keyed by the input hash
    for row in rows:
        row["fic_id"] = fid
        row["schema_version"] = analysis.schema_version
    return pa.Table.from_pylist(rows, SCHEMAS[name].append(_SV))


# ---------------------------------------------------------------------------- store


@dataclass(frozen=True)
class Plan:
    """What storing a fic with this hash at this path will do."""

    status: Status
    fic_id: str
    replaces: tuple[str, ...] = ()
    other_path: str | None = None  # for 'unchanged': where the same bytes already are


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    # Never fetch an extension from the network; fts is loaded from its wheel.
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        text = str(exc)
        lowered = text.lower()
        if "conflicting lock" in lowered or "could not set lock" in lowered:
            raise LibraryError(
                f"{path} is in use by another process (another ficlens library add?); "
                "try again when it has finished"
            ) from None
        if "not a valid duckdb database" in lowered or "database file" in lowered:
            raise LibraryError(f"{path} is not a ficlens library (not a DuckDB file)") from None
        raise LibraryError(f"{path}: cannot open the library ({text.splitlines()[0]})") from None


class Library:
    """An open library database. Use :meth:`open` (or :func:`open_library`) and close it."""

    def __init__(self, path: Path, conn: duckdb.DuckDBPyConnection, *, read_only: bool) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self._fts_loaded = False

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | Path = DEFAULT_DB,
        *,
        create: bool = False,
        read_only: bool = False,
        migrations: Sequence[Sequence[str]] = MIGRATIONS,
    ) -> Library:
        """Open (and with ``create``, make) a library, migrating an older schema forward.

        A missing file is an error unless ``create``; a database written by a newer
        ficlens is refused with a message saying so.
        """
        path = Path(path)
        if not path.exists() and not create:
            raise LibraryError(f"no library at {path}; run `ficlens library add` first")
        if path.is_dir():
            raise LibraryError(f"{path} is a folder, not a library file")
        if create and not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"{path}: cannot create ({exc.strerror or exc})") from None
        conn = _connect(path, read_only)
        try:
            version = current_version(conn, str(path))
            check_readable(version, str(path), migrations)
            if version < len(migrations):
                if read_only:  # migrate with a short-lived writable connection
                    conn.close()
                    with cls.open(path, migrations=migrations):
                        pass
                    conn = _connect(path, read_only)
                else:
                    migrate(conn, str(path), migrations)
        except duckdb.Error as exc:
            conn.close()
            raise LibraryError(f"{path}: the library is damaged ({exc})") from None
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, read_only=read_only)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---------------------------------------------------------------- queries

    def count(self) -> int:
        row = self.conn.execute("SELECT count(*) FROM fics").fetchone()
        return int(row[0]) if row else 0

    def fic_ids(self) -> list[str]:
        return [
            r[0] for r in self.conn.execute("SELECT fic_id FROM fics ORDER BY fic_id").fetchall()
        ]

    def analysis(self, fic_id: str) -> Analysis:
        row = self.conn.execute(
            "SELECT analysis FROM analyses WHERE fic_id = ?", [fic_id]
        ).fetchone()
        if row is None:
            raise LibraryError(f"no fic {fic_id} in {self.path}")
        return Analysis.model_validate_json(row[0])

    # ---------------------------------------------------------------- writing

    def plan(self, sha256: str, path: str | None, *, reanalyse: bool = False) -> Plan:
        """Decide whether a fic with these bytes at this path is new, unchanged or a change.

        Bytes already stored with the current analysis schema are unchanged, unless
        ``reanalyse`` (a new model or newly enabled stages) asks to replace them.
        """
        row = self.conn.execute(
            "SELECT path, schema_version FROM fics WHERE fic_id = ?", [sha256]
        ).fetchone()
        if row is not None and row[1] == SCHEMA_VERSION and not reanalyse:
            return Plan("unchanged", sha256, other_path=row[0] if row[0] != path else None)
        stale = [sha256] if row is not None else []  # an older schema, or reanalyse
        old = []
        if path is not None:
            old = [
                r[0]
                for r in self.conn.execute(
                    "SELECT fic_id FROM fics WHERE path = ? AND fic_id <> ?", [path, sha256]
                ).fetchall()
            ]
        replaces = tuple(stale + old)
        return Plan("replaced" if replaces else "added", sha256, replaces)

    def store(self, analysis: Analysis, path: str | None, plan: Plan | None = None) -> Status:
        """Store one analysis, replacing rows as ``plan`` says.

        The key is the input's sha256 (for an analysis of a ``str``, the sha256 of its
        UTF-8 text, as in the exported tables).
        """
        fid = fic_id(analysis)
        plan = plan or self.plan(fid, path)
        if plan.status == "unchanged":
            return "unchanged"
        tables = {name: layer_table(name, analysis, fid) for name in LAYER_TABLES}
        fic = _fic_row(analysis, fid, path)
        conn = self.conn
        conn.execute("BEGIN TRANSACTION")
        try:
            self._delete(plan.replaces)  # a new fic_id has no rows: nothing to scan for
            columns = ", ".join(f'"{k}"' for k in fic)
            marks = ", ".join("?" for _ in fic)
            conn.execute(f"INSERT INTO fics ({columns}) VALUES ({marks})", list(fic.values()))
            for name, table in tables.items():
                if table.num_rows:
                    conn.register("incoming", table)
                    cols = ", ".join(f'"{c}"' for c in table.column_names)
                    conn.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM incoming")
                    conn.unregister("incoming")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('fts_stale', '1')")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return plan.status

    def _delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        marks = ", ".join("?" for _ in ids)
        for name in (*LAYER_TABLES, "fics"):
            self.conn.execute(f"DELETE FROM {name} WHERE fic_id IN ({marks})", list(ids))

    def find(self, target: str) -> list[str]:
        """Fic ids stored for a path (as given or resolved) or a fic_id prefix (8+ hex).

        An ambiguous prefix is an error rather than a guess.
        """
        rows = self.conn.execute(
            "SELECT fic_id FROM fics WHERE path = ? OR path = ? ORDER BY fic_id",
            [target, key_path(target)],
        ).fetchall()
        if not rows and len(target) >= 8 and all(c in "0123456789abcdef" for c in target.lower()):
            rows = self.conn.execute(
                "SELECT fic_id FROM fics WHERE starts_with(fic_id, ?) ORDER BY fic_id",
                [target.lower()],
            ).fetchall()
            if len(rows) > 1:
                raise LibraryError(f"{target} matches {len(rows)} fics; give more digits")
        return [r[0] for r in rows]

    def remove(self, fic_id: str) -> bool:
        """Delete one fic and all its rows; False when it was not there."""
        row = self.conn.execute("SELECT 1 FROM fics WHERE fic_id = ?", [fic_id]).fetchone()
        if row is None:
            return False
        self.conn.execute("BEGIN TRANSACTION")
        try:
            self._delete([fic_id])
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('fts_stale', '1')")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return True

    # --------------------------------------------------------------- full text

    def load_fts(self) -> None:
        if not self._fts_loaded:
            quoted = str(fts_extension_path()).replace("'", "''")
            self.conn.execute(f"LOAD '{quoted}'")
            self._fts_loaded = True

    def fts_stale(self) -> bool:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'fts_stale'").fetchone()
        return row is not None and row[0] == "1"

    def refresh_index(self) -> None:
        """Rebuild the full-text index over the story texts when something changed."""
        if not self.fts_stale():
            return
        self.load_fts()
        if self.count():
            self.conn.execute(
                "PRAGMA create_fts_index('texts', 'fic_id', 'story', "
                "stemmer = 'porter', stopwords = 'english', overwrite = 1)"
            )
        else:
            self.conn.execute("PRAGMA drop_fts_index('texts')")
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('fts_stale', '0')")


def open_library(
    path: str | Path = DEFAULT_DB, *, create: bool = False, read_only: bool = False
) -> Library:
    """Open a library file; see :meth:`Library.open`."""
    return Library.open(path, create=create, read_only=read_only)


def open_for_reading(path: str | Path = DEFAULT_DB) -> Library:
    """Open a library read-only (others may read at the same time) with a current index.

    A missing file is an error naming ``ficlens library add``. If an earlier add was
    interrupted before the full-text index was rebuilt, it is rebuilt first.
    """
    lib = Library.open(path, read_only=True)
    if lib.fts_stale():
        lib.close()
        with Library.open(path) as writer:
            writer.refresh_index()
        lib = Library.open(path, read_only=True)
    return lib


def key_path(path: str | os.PathLike[str] | None) -> str | None:
    """How a source path is stored: absolute and resolved, so ./a.txt and a.txt agree."""
    return None if path is None else str(Path(path).resolve())
