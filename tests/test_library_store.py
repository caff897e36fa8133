"""The library store: schema, idempotent adds, replacement, failures, migrations, errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import ficlens
from ficlens.cli import app
from ficlens.errors import LibraryError
from ficlens.export import fic_id
from ficlens.library import LIBRARY_SCHEMA_VERSION, MIGRATIONS, Library, key_path, migrate
from ficlens.library.schema import LAYER_TABLES
from ficlens.model import Character, Narrative, Quote, Relationship

from .library_fics import EMBER_COURT, SALT_ROAD, write

runner = CliRunner()
OFF = ["--disable", "language"]


def _add(db: Path, *paths: Path | str) -> tuple[int, str]:
    result = runner.invoke(app, ["library", "add", *map(str, paths), "--db", str(db), *OFF])
    return result.exit_code, result.output


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_add_stores_fic_and_layers(tmp_path: Path) -> None:
    src = write(tmp_path / "fics", "salt.txt", SALT_ROAD)
    db = tmp_path / "lib.duckdb"
    code, output = _add(db, src)
    assert code == 0, output
    assert "1 added, 0 unchanged, 0 replaced, 0 failed" in output
    (row,) = _rows(
        db, "SELECT fic_id, path, title, fandoms, rating, relationships, words FROM fics"
    )
    assert row[0] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert row[1] == str(src.resolve())
    assert row[2:6] == ("The Salt Road", ["Tidewater Chronicles"], "T", ["Ines/Corwin"])
    assert row[6] == 163
    kinds = {r[0] for r in _rows(db, "SELECT kind FROM segments")}
    assert {"story", "authors_note", "title"} <= kinds
    story = _rows(db, "SELECT story FROM texts")[0][0]
    assert story.startswith("Ines walked the salt road") and "A/N" not in story
    tags = set(_rows(db, "SELECT field, tag, declared FROM tags"))
    assert ("relationships", "Ines/Corwin", True) in tags
    assert _rows(db, "SELECT DISTINCT schema_version FROM segments") == [(1,)]
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(LIBRARY_SCHEMA_VERSION),)
    ]


def test_readding_unchanged_does_nothing_and_change_replaces(tmp_path: Path) -> None:
    folder = tmp_path / "fics"
    salt = write(folder, "salt.txt", SALT_ROAD)
    write(folder, "ember.txt", EMBER_COURT)
    db = tmp_path / "lib.duckdb"
    assert _add(db, folder)[0] == 0
    before = _rows(db, "SELECT fic_id, added_at FROM fics ORDER BY fic_id")
    code, output = _add(db, folder)
    assert code == 0
    assert "0 added, 2 unchanged, 0 replaced, 0 failed; 2 fics" in output
    assert _rows(db, "SELECT fic_id, added_at FROM fics ORDER BY fic_id") == before

    salt.write_text(SALT_ROAD.replace("thirty winters", "forty winters"), encoding="utf-8")
    code, output = _add(db, folder)
    assert code == 0
    assert "0 added, 1 unchanged, 1 replaced, 0 failed; 2 fics" in output
    assert _rows(db, "SELECT path FROM fics ORDER BY path") == [
        (str((folder / "ember.txt").resolve()),),
        (str(salt.resolve()),),
    ]
    stories = [r[0] for r in _rows(db, "SELECT story FROM texts")]
    assert any("forty winters" in s for s in stories)
    assert not any("thirty winters" in s for s in stories)
    # every layer holds rows of current fics only
    for table in LAYER_TABLES:
        orphans = _rows(
            db, f"SELECT count(*) FROM {table} WHERE fic_id NOT IN (SELECT fic_id FROM fics)"
        )
        assert orphans == [(0,)], table


def test_bad_file_is_reported_and_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "fics"
    write(folder, "salt.txt", SALT_ROAD)
    (folder / "broken.epub").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "lib.duckdb"
    code, output = _add(db, folder)
    assert code == 2
    assert "1 added, 0 unchanged, 0 replaced, 2 failed" in output
    assert "broken.epub" in output and "empty.txt" in output
    assert "Traceback" not in output
    assert _rows(db, "SELECT title FROM fics") == [("The Salt Road",)]


def test_store_keeps_everything_the_analysis_holds(tmp_path: Path) -> None:
    analysis = ficlens.analyze(SALT_ROAD, disable=["language"])
    analysis.characters = [
        Character(id="c0", name="Ines Marrow", mention_count=4, quote_count=2),
        Character(id="c1", name="Corwin Hale", mention_count=3, quote_count=1),
    ]
    analysis.quotes = [Quote(start=0, end=5, speaker="c1", type="explicit", confidence=0.9)]
    analysis.relationships = [Relationship(pair=("c0", "c1"), kind="romantic", score=0.7)]
    analysis.narrative = Narrative(person="third", tense="past", focal=["c0"])
    with Library.open(tmp_path / "lib.duckdb", create=True) as lib:
        assert lib.store(analysis, None) == "added"
        assert lib.store(analysis, None) == "unchanged"
        fid = fic_id(analysis)
        assert lib.analysis(fid) == analysis
        conn = lib.conn
        assert conn.execute("SELECT name, quote_count FROM characters ORDER BY id").fetchall() == [
            ("Ines Marrow", 2),
            ("Corwin Hale", 1),
        ]
        assert conn.execute("SELECT speaker_name FROM quotes").fetchall() == [("Corwin Hale",)]
        assert conn.execute("SELECT a_name, b_name, kind FROM relationships").fetchall() == [
            ("Ines Marrow", "Corwin Hale", "romantic")
        ]
        assert conn.execute("SELECT person, tense, focal FROM narrative").fetchall() == [
            ("third", "past", ["c0"])
        ]


def test_key_path_is_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert key_path("a.txt") == str(tmp_path.resolve() / "a.txt")
    assert key_path(None) is None


# -------------------------------------------------------------------- migrations


OLD = (
    (
        "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        "CREATE TABLE notes (fic_id VARCHAR, note VARCHAR)",
    ),
)
NEWER = (
    *OLD,
    ("ALTER TABLE notes ADD COLUMN author VARCHAR", "UPDATE notes SET author = 'unknown'"),
)


def test_migrations_apply_in_order_from_an_older_version(tmp_path: Path) -> None:
    db = tmp_path / "lib.duckdb"
    with duckdb.connect(str(db)) as conn:
        assert migrate(conn, "test", OLD) == 1
        conn.execute("INSERT INTO notes VALUES ('x', 'kept')")
    with duckdb.connect(str(db)) as conn:
        assert migrate(conn, "test", NEWER) == 2
        assert conn.execute("SELECT * FROM notes").fetchall() == [("x", "kept", "unknown")]
        assert conn.execute("SELECT value FROM meta").fetchall() == [("2",)]
        assert migrate(conn, "test", NEWER) == 2  # nothing left to do


def test_failed_migration_step_rolls_back(tmp_path: Path) -> None:
    db = tmp_path / "lib.duckdb"
    broken = (*OLD, ("ALTER TABLE notes ADD COLUMN author VARCHAR", "SELECT * FROM missing"))
    with duckdb.connect(str(db)) as conn:
        migrate(conn, "test", OLD)
        with pytest.raises(duckdb.Error):
            migrate(conn, "test", broken)
        assert conn.execute("SELECT value FROM meta").fetchall() == [("1",)]
        columns = [r[0] for r in conn.execute("DESCRIBE notes").fetchall()]
        assert columns == ["fic_id", "note"]


def test_library_migrates_a_version_zero_file(tmp_path: Path) -> None:
    db = tmp_path / "lib.duckdb"
    duckdb.connect(str(db)).close()  # an empty DuckDB file
    with Library.open(db) as lib:
        assert lib.count() == 0
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(LIBRARY_SCHEMA_VERSION),)
    ]


# ------------------------------------------------------------------------ errors


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "lib.duckdb"
    Library.open(db, create=True).close()
    with duckdb.connect(str(db)) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(LibraryError, match="newer ficlens"):
        Library.open(db)
    code, output = _add(db, write(tmp_path, "salt.txt", SALT_ROAD))
    assert code == 2
    assert "newer ficlens" in output and "Traceback" not in output


def test_add_creates_the_folder_and_refuses_a_folder_as_db(tmp_path: Path) -> None:
    db = tmp_path / "new" / "deeper" / "lib.duckdb"
    assert _add(db, write(tmp_path, "salt.txt", SALT_ROAD))[0] == 0
    assert db.is_file()
    code, output = _add(tmp_path / "new", tmp_path / "salt.txt")
    assert code == 2 and "is a folder, not a library file" in output


def test_missing_corrupt_foreign_and_locked_files(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="no library at"):
        Library.open(tmp_path / "none.duckdb")
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"this is not a database at all" * 10)
    with pytest.raises(LibraryError, match="not a ficlens library"):
        Library.open(bad)
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(LibraryError, match="not a ficlens library"):
        Library.open(other)
    code, output = _add(bad, write(tmp_path, "salt.txt", SALT_ROAD))
    assert code == 2 and "not a ficlens library" in output


def test_locked_file_gives_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "lib.duckdb"
    Library.open(db, create=True).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys; c=duckdb.connect({str(db)!r}); "
            "print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(LibraryError, match="in use by another process"):
            Library.open(db)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_library_open_brings_an_older_library_forward(tmp_path: Path) -> None:
    """A file at the released schema opens under a ficlens with one more step, data kept."""
    db = tmp_path / "lib.duckdb"
    assert _add(db, write(tmp_path, "salt.txt", SALT_ROAD))[0] == 0
    later = (*MIGRATIONS, ("ALTER TABLE fics ADD COLUMN shelf VARCHAR DEFAULT 'unsorted'",))
    with Library.open(db, read_only=True, migrations=later) as lib:  # readers migrate too
        assert lib.read_only
        rows = lib.conn.execute("SELECT title, shelf FROM fics").fetchall()
        assert rows == [("The Salt Road", "unsorted")]
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(len(MIGRATIONS) + 1),)
    ]
    with pytest.raises(LibraryError, match="newer ficlens"):  # and the old ficlens refuses it
        Library.open(db)


def test_damaged_version_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "lib.duckdb"
    Library.open(db, create=True).close()
    with duckdb.connect(str(db)) as conn:
        conn.execute("UPDATE meta SET value = 'two' WHERE key = 'schema_version'")
    with pytest.raises(LibraryError, match="schema version is missing or damaged"):
        Library.open(db)


def test_stdin_and_copies_are_recognised(tmp_path: Path) -> None:
    db = tmp_path / "lib.duckdb"
    src = write(tmp_path, "salt.txt", SALT_ROAD)
    copy = write(tmp_path / "copies", "salt-copy.txt", SALT_ROAD)
    assert _add(db, src)[0] == 0
    code, output = _add(db, copy)
    assert code == 0
    assert "unchanged" in output and f"same text as {src.resolve()}" in output.replace("\n", "")
    result = runner.invoke(app, ["library", "add", "-", "--db", str(db), *OFF], input=EMBER_COURT)
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    assert _rows(db, "SELECT title, path FROM fics ORDER BY title") == [
        ("Cinders", None),
        ("The Salt Road", str(src.resolve())),
    ]


def test_reanalyse_replaces_unchanged_files(tmp_path: Path) -> None:
    db = tmp_path / "lib.duckdb"
    src = write(tmp_path, "salt.txt", SALT_ROAD)
    assert _add(db, src)[0] == 0
    first = _rows(db, "SELECT added_at FROM fics")
    result = runner.invoke(app, ["library", "add", str(src), "--db", str(db), *OFF, "--reanalyse"])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 unchanged, 1 replaced, 0 failed; 1 fics" in result.output
    assert _rows(db, "SELECT added_at FROM fics") != first
    assert _rows(db, "SELECT count(*) FROM texts") == [(1,)]


def test_remove_by_path_or_id_prefix(tmp_path: Path) -> None:
    db = tmp_path / "lib.duckdb"
    folder = tmp_path / "fics"
    salt = write(folder, "salt.txt", SALT_ROAD)
    write(folder, "ember.txt", EMBER_COURT)
    assert _add(db, folder)[0] == 0
    (ember_id,) = _rows(db, "SELECT fic_id FROM fics WHERE title = 'Cinders'")[0]
    result = runner.invoke(app, ["library", "remove", str(salt), ember_id[:10], "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "0 fics in" in result.output
    for table in ("fics", *LAYER_TABLES):
        assert _rows(db, f"SELECT count(*) FROM {table}") == [(0,)], table
    found = runner.invoke(app, ["library", "search", "beacon", "--db", str(db), "--json"])
    assert found.exit_code == 0 and found.stdout.strip() == "[]"
    result = runner.invoke(app, ["library", "remove", "deadbeef00", "--db", str(db)])
    assert result.exit_code == 2 and "not in" in result.output


def test_a_version_1_library_gains_the_dialogue_columns(tmp_path: Path) -> None:
    """Migration 2 adds quotes.speech, mentions.in_quote and characters.narrator; a fic
    added afterwards fills them (rows stored before stay null)."""
    db = tmp_path / "lib.duckdb"
    Library.open(db, create=True, migrations=MIGRATIONS[:1]).close()
    assert _add(db, write(tmp_path, "salt.txt", SALT_ROAD))[0] == 0
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(LIBRARY_SCHEMA_VERSION),)
    ]
    speech = _rows(db, "SELECT count(*), count(speech) FROM quotes")
    assert speech[0][0] > 0 and speech[0][0] == speech[0][1]
    for table, column in (("characters", "narrator"), ("mentions", "in_quote")):
        counts = _rows(db, f"SELECT count(*), count({column}) FROM {table}")
        assert counts[0][0] == counts[0][1]
