"""The library under stress: kill -9 during an add, two adds at once, hostile search input.

The adds run as real subprocesses (``python -m ficlens library add``) over invented fics
written here, with the language stage off so that spaCy never loads.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

import ficlens
from ficlens.cli import app
from ficlens.errors import LibraryError
from ficlens.library import Filters, Library, open_for_reading, search
from ficlens.library.schema import LAYER_TABLES
from ficlens.library.store import layer_table
from ficlens.model import Analysis

runner = CliRunner()
OFF = ["--disable", "language"]
NAMES = ("Ines", "Corwin", "Sarai", "Vell", "Pell", "Mara", "Tobin", "Lio")
SUMMARY = re.compile(r"(\d+) added, (\d+) unchanged, (\d+) replaced, (\d+) failed; (\d+) fics")


# ----------------------------------------------------------------------------- fixtures


def harbour_fic(n: int, paragraphs: int = 30) -> str:
    """An invented fic, different for every ``n`` (so every file has its own hash)."""
    a, b = NAMES[n % len(NAMES)], NAMES[(n + 3) % len(NAMES)]
    body = "\n\n".join(
        f'"Is the tide in yet?" {a} asked on the {k}th morning of watch {n}.\n\n'
        f"{b} shook their head and watched the harbour lights for a while, counting "
        f"the boats that came in past the breakwater, {n * 100 + k} of them by noon."
        for k in range(paragraphs)
    )
    return (
        f"Title: Harbour Watch {n}\nAuthor: lampwright{n}\nFandom: Tidewater\n"
        f"Rating: Teen And Up Audiences\nPairing: {a}/{b}\n\n{body}\n"
    )


def write_fics(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"fic{n:03d}.txt"
        path.write_text(harbour_fic(n), encoding="utf-8")
        paths.append(path)
    return paths


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "ficlens", "library", "add", str(folder), "--db", str(db), *OFF]


ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}


def start_add(folder: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        add_command(folder, db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,  # its own process group, killed as a whole
    )


def kill_group(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def wait_for_added(proc: subprocess.Popen[str], count: int, timeout: float = 120) -> list[str]:
    """Read the add's stderr until it has reported ``count`` stored fics; their lines.

    A fic's "added:" line is printed after its transaction committed. A watchdog kills the
    process if it neither prints nor ends in time, so the read cannot hang.
    """
    assert proc.stderr is not None
    watchdog = threading.Timer(timeout, kill_group, [proc])
    watchdog.start()
    added: list[str] = []
    try:
        while len(added) < count:
            line = proc.stderr.readline()
            if not line:
                break  # ended (or killed by the watchdog)
            if line.startswith("added: "):
                added.append(line.removeprefix("added: ").strip())
    finally:
        watchdog.cancel()
    return added


def summary(stderr: str) -> tuple[int, int, int, int, int]:
    match = SUMMARY.search(stderr)
    assert match, stderr
    added, unchanged, replaced, failed, total = map(int, match.groups())
    return added, unchanged, replaced, failed, total


def assert_consistent(db: Path, expected: set[str]) -> None:
    """The file opens, holds each expected fic exactly once and nothing else, and every
    layer table holds exactly the rows each stored analysis gives it (no orphans, no
    doubles, no half-written fic)."""
    with Library.open(db) as lib:  # opens (replaying any WAL) without complaint
        conn = lib.conn
        per_fic = conn.execute("SELECT fic_id, count(*) FROM fics GROUP BY 1").fetchall()
        assert all(n == 1 for _fid, n in per_fic), "a fic is stored twice"
        assert {fid for fid, _n in per_fic} == expected
        stored = dict(conn.execute("SELECT fic_id, analysis FROM analyses").fetchall())
        assert set(stored) == expected
        for name in LAYER_TABLES:
            counts = Counter(
                dict(conn.execute(f"SELECT fic_id, count(*) FROM {name} GROUP BY 1").fetchall())
            )
            orphans = set(counts) - expected
            assert not orphans, f"{name} has rows of fics not in fics: {orphans}"
            for fid, text in stored.items():
                want = layer_table(name, Analysis.model_validate_json(text), fid).num_rows
                assert counts[fid] == want, f"{name}: {counts[fid]} rows for {fid}, not {want}"
        assert conn.execute("SELECT value FROM meta WHERE key = 'fts_stale'").fetchone() in (
            ("0",),
            ("1",),
        )


def snapshot(db: Path, where: Path) -> Path:
    """A copy of the database file (and its WAL) as a killed process left it."""
    where.mkdir()
    for suffix in ("", ".wal"):
        src = Path(str(db) + suffix)
        if src.exists():
            shutil.copyfile(src, Path(str(where / db.name) + suffix))
    return where / db.name


# ------------------------------------------------------------------------- kill -9


def test_kill_9_during_add_then_rerun_finishes_without_redoing_or_doubling(
    tmp_path: Path,
) -> None:
    total = 150  # a few seconds of work: still running when killed
    folder = tmp_path / "fics"
    paths = write_fics(folder, total)
    ids = {p.name: sha(p) for p in paths}
    db = tmp_path / "lib.duckdb"

    # Killed twice: during the first add, and during a rerun that skips what is stored.
    done: set[str] = set()
    stamps: dict[str, object] = {}
    for attempt in range(2):
        proc = start_add(folder, db)
        try:
            seen = wait_for_added(proc, 12)
            assert len(seen) == 12, "the add ended before it could be killed"
            assert proc.poll() is None, "the add finished before it could be killed"
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            kill_group(proc)
        assert proc.returncode == -signal.SIGKILL
        reported = {ids[Path(s).name] for s in seen}
        assert not reported & done  # the rerun did not store a finished fic again

        # The file as the kill left it opens, and holds whole fics only.
        killed = snapshot(db, tmp_path / f"snap{attempt}")
        with duckdb.connect(str(killed)) as conn:
            now = dict(conn.execute("SELECT fic_id, added_at FROM fics").fetchall())
        assert reported <= set(now)  # every reported add survived the kill
        assert done < set(now) and len(now) < total
        assert {fid: now[fid] for fid in done} == stamps  # earlier fics untouched
        assert_consistent(killed, set(now))
        done, stamps = set(now), now

    rerun = subprocess.run(
        add_command(folder, db), capture_output=True, text=True, env=ENV, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert summary(rerun.stderr) == (total - len(done), len(done), 0, 0, total)
    redone = {
        ids[Path(line.removeprefix("added: ").strip()).name]
        for line in rerun.stderr.splitlines()
        if line.startswith("added: ")
    }
    assert len(redone) == total - len(done) and not redone & done  # finished work not redone
    assert_consistent(db, set(ids.values()))
    with duckdb.connect(str(db), read_only=True) as conn:
        after = dict(conn.execute("SELECT fic_id, added_at FROM fics").fetchall())
        assert conn.execute("SELECT value FROM meta WHERE key = 'fts_stale'").fetchone() == ("0",)
    assert {fid: after[fid] for fid in done} == stamps  # the survivors were not rewritten

    # and the library answers searches after the recovery
    with open_for_reading(db) as lib:
        assert len(search(lib, "breakwater harbour", limit=500)) == total


# ----------------------------------------------------------------- two adds at once


def _one_line_in_use(stderr: str) -> bool:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return len(lines) == 1 and "in use by another process" in lines[0]


def test_a_second_add_while_one_runs_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "fics"
    paths = write_fics(folder, 150)  # seconds of work: still running when the second starts
    other = write_fics(tmp_path / "more", 3, start=500)
    db = tmp_path / "lib.duckdb"
    first = start_add(folder, db)
    try:
        assert len(wait_for_added(first, 1)) == 1
        assert first.poll() is None
        second = subprocess.run(
            add_command(tmp_path / "more", db),
            capture_output=True,
            text=True,
            env=ENV,
            timeout=300,
        )
        still_running = first.poll() is None
        assert first.stderr is not None
        rest = first.communicate(timeout=300)[1]
    finally:
        kill_group(first)
    assert still_running, "the first add ended before the second one tried"
    assert second.returncode == 2, second.stderr
    assert _one_line_in_use(second.stderr), second.stderr
    assert "Traceback" not in second.stderr + rest
    assert first.returncode == 0, rest
    assert summary(rest) == (150, 0, 0, 0, 150)
    assert_consistent(db, {sha(p) for p in paths})
    # the refused fics go in on the next try
    retry = subprocess.run(
        add_command(tmp_path / "more", db), capture_output=True, text=True, env=ENV, timeout=300
    )
    assert retry.returncode == 0 and summary(retry.stderr) == (3, 0, 0, 0, 153), retry.stderr
    assert_consistent(db, {sha(p) for p in [*paths, *other]})


def test_two_adds_started_together_on_a_new_file(tmp_path: Path) -> None:
    folder = tmp_path / "fics"
    paths = write_fics(folder, 10)
    db = tmp_path / "lib.duckdb"
    procs = [start_add(folder, db) for _ in range(2)]
    try:
        results = [(p.wait(timeout=300), p.communicate(timeout=30)[1]) for p in procs]
    finally:
        for p in procs:
            kill_group(p)
    for code, stderr in results:
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        if code == 2:
            assert _one_line_in_use(stderr), stderr
        else:
            assert code == 0, stderr
            added, unchanged, replaced, failed, total = summary(stderr)
            assert (replaced, failed, total) == (0, 0, 10) and added + unchanged == 10
    assert 0 in [code for code, _ in results]
    # between them every fic was added once: a loser added nothing, or queued and found all
    added = sum(summary(s)[0] for code, s in results if code == 0)
    assert added == 10
    assert_consistent(db, {sha(p) for p in paths})


# ------------------------------------------------------------ hostile search input

HOSTILE = [
    "'; DROP TABLE fics; --",
    '" OR 1=1 --',
    "' OR '1'='1",
    "%",
    "_",
    "%%",
    "\\",
    "\\%",
    "'",
    '"',
    '"unbalanced',
    "it's\\'",
    "fics; DELETE FROM texts",
    "*",
    "breakwater*",
    "NEAR(a b)",
    "(harbour OR lights) AND -tide",
    "^harbour",
    "story:lights",
    "{}[]:~+-",
    "\x00",
    "$1",
    "?",
]


def _state(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone() for t in tables}
    return {t: int(row[0]) for t, row in counts.items() if row is not None}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Three ordinary fics and one whose declared data holds SQL and LIKE characters."""
    path = tmp_path_factory.mktemp("hostile") / "lib.duckdb"
    odd = (
        "Title: 100% Snake_Case\nAuthor: o'brien\nFandom: 100% Wolf_Pack\n"
        "Rating: Teen And Up Audiences\nCharacters: Fr\\ancis, O'Neil\n"
        "\n"
        "Fr\\ancis put the kettle on and counted the gulls on the roof.\n"
    )
    with Library.open(path, create=True) as lib:
        for text in (harbour_fic(1, 3), harbour_fic(2, 3), harbour_fic(3, 3), odd):
            lib.store(ficlens.analyze(text, disable=["language"]), None)
        lib.refresh_index()
    yield path


def _titles(db: Path, query: str | None = None, **filters: Any) -> list[str]:
    with open_for_reading(db) as lib:
        return sorted(h.title or "" for h in search(lib, query, Filters(**filters)))


HARBOURS = ["Harbour Watch 1", "Harbour Watch 2", "Harbour Watch 3"]
ODD = ["100% Snake_Case"]
# What each hostile query finds: the words in it, as words (anything else finds nothing).
FOUND = {
    "breakwater*": HARBOURS,
    "^harbour": HARBOURS,
    "(harbour OR lights) AND -tide": HARBOURS,  # or/and are stop words; -tide is 'tide'
    "$1": ["Harbour Watch 1"],  # "watch 1." is the only whole word '1'
}


def test_hostile_queries_are_just_searches(hostile_db: Path) -> None:
    before = _state(hostile_db)
    assert before["fics"] == 4 and before["texts"] == 4
    for query in HOSTILE:
        assert _titles(hostile_db, query) == FOUND.get(query, []), query
        assert _state(hostile_db) == before, query
    assert _titles(hostile_db, "kettle'; DROP TABLE fics; --") == []  # 'drop' is not there
    assert _titles(hostile_db, "kettle") == ODD
    assert _titles(hostile_db, "'kettle'") == ODD
    assert _titles(hostile_db, '"kettle on"') == ODD  # a phrase still works
    assert _titles(hostile_db, '"kettle on') == ODD  # an unbalanced quote is ignored
    assert _titles(hostile_db) == sorted([*HARBOURS, *ODD])  # no query: everything
    assert _state(hostile_db) == before


def test_hostile_filter_values_match_literally(hostile_db: Path) -> None:
    before = _state(hostile_db)
    for value in HOSTILE:
        for name in ("fandom", "tag", "character", "pairing", "rating"):
            hits = _titles(hostile_db, None, **{name: value})
            assert hits in ([], ODD), (name, value, hits)
            assert _state(hostile_db) == before, (name, value)
    # LIKE wildcards are plain characters: '%' and '_' find only the fic that has them
    assert _titles(hostile_db, fandom="%") == ODD
    assert _titles(hostile_db, fandom="_") == ODD
    assert _titles(hostile_db, fandom="%%") == []
    assert _titles(hostile_db, fandom="T_dewater") == []
    assert _titles(hostile_db, fandom="tidewater") == HARBOURS
    assert _titles(hostile_db, tag="%") == ODD
    assert _titles(hostile_db, tag="T%r") == []
    assert _titles(hostile_db, character="r\\a") == ODD
    assert _titles(hostile_db, character="\\%") == []
    assert _titles(hostile_db, character="o'neil") == ODD
    assert _titles(hostile_db, tag="'; DROP TABLE fics; --") == []
    # POV and tense take known words only: anything else is a clear error, not a query
    with open_for_reading(hostile_db) as lib:
        for value in ("'; DROP TABLE fics; --", "%"):
            with pytest.raises(LibraryError, match="unknown"):
                search(lib, None, Filters(pov=value))
            with pytest.raises(LibraryError, match="unknown"):
                search(lib, None, Filters(tense=value))
    assert _state(hostile_db) == before


def test_cli_search_with_hostile_input(hostile_db: Path) -> None:
    before = _state(hostile_db)
    for value in HOSTILE:
        if value == "\x00":
            continue  # not something an argv can hold
        for args in (
            [value],
            ["--fandom", value],
            ["--tag", value],
            ["--character", value],
            ["--pairing", value],
        ):
            argv = ["library", "search", "--db", str(hostile_db), "--json"]
            argv += ["--", *args] if args[0] == value else args
            result = runner.invoke(app, argv)
            assert result.exit_code == 0, (args, result.output)
            assert result.exception is None
            hits = json.loads(result.stdout)
            titles = sorted(h["title"] for h in hits)
            want = FOUND.get(value, []) if args[0] == value else [[], ODD]
            assert titles == want if args[0] == value else titles in want, (args, titles)
        for option in ("--pov", "--tense"):
            result = runner.invoke(
                app, ["library", "search", "--db", str(hostile_db), option, value]
            )
            assert result.exit_code == 2
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert "error:" in result.output and "Traceback" not in result.output
    assert _state(hostile_db) == before
    code = subprocess.run(
        [
            sys.executable,
            "-m",
            "ficlens",
            "library",
            "search",
            "--db",
            str(hostile_db),
            "--fandom",
            "%",
            "--",
            "'; DROP TABLE fics; --",
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert code.returncode == 0 and "Traceback" not in code.stderr, code.stderr
    assert "no matching fics" in code.stderr
    assert _state(hostile_db) == before
