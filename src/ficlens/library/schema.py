"""The library's database schema and its forward migrations.

``MIGRATIONS[n]`` takes a database from library schema version ``n`` to ``n + 1``; the
version a database is at lives in ``meta`` (key ``schema_version``). Each step runs in
one transaction together with the version bump, so a failed step leaves the database as
it was. Steps are frozen once released: a change to a table is a new step, never an edit
of an old one.

This version is the *library's* schema; every layer row also carries the *analysis*
``schema_version`` (``ficlens.model.SCHEMA_VERSION``) it was computed with, so rows from
later analysis layers can slot in beside older ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from ficlens.errors import LibraryError

_V1 = (
    """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)""",
    """CREATE TABLE fics (
        fic_id VARCHAR PRIMARY KEY,
        path VARCHAR,
        format VARCHAR,
        flavor VARCHAR,
        site VARCHAR,
        title VARCHAR,
        authors VARCHAR[],
        fandoms VARCHAR[],
        rating VARCHAR,
        language VARCHAR,
        warnings VARCHAR[],
        category VARCHAR[],
        relationships VARCHAR[],
        characters VARCHAR[],
        additional_tags VARCHAR[],
        summary VARCHAR,
        url VARCHAR,
        words BIGINT,
        declared_words BIGINT,
        chapters BIGINT,
        declared_chapters BIGINT,
        added_at TIMESTAMP,
        schema_version INTEGER NOT NULL,
        ficlens_version VARCHAR
    )""",
    """CREATE INDEX fics_path ON fics (path)""",
    """CREATE TABLE analyses (fic_id VARCHAR, schema_version INTEGER, analysis VARCHAR)""",
    """CREATE TABLE texts (fic_id VARCHAR, schema_version INTEGER, story VARCHAR)""",
    """CREATE TABLE segments (
        fic_id VARCHAR, schema_version INTEGER,
        "start" BIGINT, "end" BIGINT, kind VARCHAR, text VARCHAR
    )""",
    """CREATE TABLE chapters (
        fic_id VARCHAR, schema_version INTEGER,
        "index" BIGINT, number BIGINT, title VARCHAR, "start" BIGINT, "end" BIGINT
    )""",
    """CREATE TABLE scenes (
        fic_id VARCHAR, schema_version INTEGER,
        "index" BIGINT, chapter BIGINT, "start" BIGINT, "end" BIGINT,
        pov_person VARCHAR, pov_focal VARCHAR[], tense VARCHAR
    )""",
    """CREATE TABLE characters (
        fic_id VARCHAR, schema_version INTEGER,
        id VARCHAR, name VARCHAR, aliases VARCHAR[], gender VARCHAR, canon BOOLEAN,
        ao3_tag VARCHAR, mention_count BIGINT, quote_count BIGINT
    )""",
    """CREATE TABLE mentions (
        fic_id VARCHAR, schema_version INTEGER,
        "start" BIGINT, "end" BIGINT, character VARCHAR, character_name VARCHAR,
        kind VARCHAR, text VARCHAR
    )""",
    """CREATE TABLE quotes (
        fic_id VARCHAR, schema_version INTEGER,
        "start" BIGINT, "end" BIGINT, speaker VARCHAR, speaker_name VARCHAR,
        addressees VARCHAR[], type VARCHAR, confidence DOUBLE, text VARCHAR
    )""",
    """CREATE TABLE relationships (
        fic_id VARCHAR, schema_version INTEGER,
        a VARCHAR, b VARCHAR, a_name VARCHAR, b_name VARCHAR, kind VARCHAR,
        score DOUBLE, evidence BIGINT
    )""",
    """CREATE TABLE tags (
        fic_id VARCHAR, schema_version INTEGER,
        field VARCHAR, tag VARCHAR, suggested BOOLEAN, confidence DOUBLE,
        declared BOOLEAN, evidence BIGINT
    )""",
    """CREATE TABLE narrative (
        fic_id VARCHAR, schema_version INTEGER,
        person VARCHAR, tense VARCHAR, focal VARCHAR[], slips BIGINT
    )""",
)

_V2: tuple[str, ...] = (
    # the export tables gained the narrator flag, the quotation flag of a mention and the
    # speech flag of a quote (rows stored before stay null: re-add with --reanalyse)
    "ALTER TABLE characters ADD COLUMN narrator BOOLEAN",
    "ALTER TABLE mentions ADD COLUMN in_quote BOOLEAN",
    "ALTER TABLE quotes ADD COLUMN speech BOOLEAN",
)

MIGRATIONS: tuple[Sequence[str], ...] = (_V1, _V2)
"""Ordered steps; step ``n`` (0-based) takes the schema from version ``n`` to ``n + 1``."""
LIBRARY_SCHEMA_VERSION = len(MIGRATIONS)

LAYER_TABLES: tuple[str, ...] = (
    "analyses",
    "texts",
    "segments",
    "chapters",
    "scenes",
    "characters",
    "mentions",
    "quotes",
    "relationships",
    "tags",
    "narrative",
)
"""Tables with one or more rows per fic, keyed by ``fic_id`` (``fics`` is the parent)."""


def _has_table(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = ?",
        [name],
    ).fetchone()
    return bool(row and row[0])


def current_version(conn: duckdb.DuckDBPyConnection, label: str) -> int:
    """The library schema version of an open database (0 for an empty database)."""
    if not _has_table(conn, "meta"):
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchone()
        if tables and tables[0]:
            raise LibraryError(f"{label} is a DuckDB database but not a ficlens library")
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit():
        raise LibraryError(f"{label}: the library's schema version is missing or damaged")
    return int(row[0])


def check_readable(version: int, label: str, migrations: Sequence[Sequence[str]]) -> None:
    if version > len(migrations):
        raise LibraryError(
            f"{label} was written by a newer ficlens (library schema {version}; this version "
            f"reads up to {len(migrations)}); upgrade ficlens to use it"
        )


def migrate(
    conn: duckdb.DuckDBPyConnection,
    label: str,
    migrations: Sequence[Sequence[str]] = MIGRATIONS,
) -> int:
    """Apply the missing steps in order, one transaction each; return the final version."""
    version = current_version(conn, label)
    check_readable(version, label, migrations)
    while version < len(migrations):
        conn.execute("BEGIN TRANSACTION")
        try:
            for statement in migrations[version]:
                conn.execute(statement)
            conn.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version + 1)]
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
    return version
