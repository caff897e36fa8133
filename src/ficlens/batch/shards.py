"""The output folder of a batch: Parquet shards per table and the ``_done`` manifest.

Layout::

    OUTDIR/
      fics/part-<run>-<seq>.parquet      one row per fic (with the analysis JSON)
      quotes/part-<run>-<seq>.parquet    … one folder per table (see work.BATCH_TABLES)
      errors/part-<run>-<seq>.parquet    inputs that failed: path, sha256, error, message
      _done/part-<run>-<seq>.jsonl       the commit record of shard <run>-<seq>

Every ``N`` fics (or 60 s, or 200 M characters of analysis JSON) the buffered rows are
written as one shard: each table's file is written under a hidden temporary name and
renamed into place, then the manifest of the shard (one JSON line per input: path, size,
mtime_ns, sha256, status) is written the same way.
The manifest is the commit: a shard without one was cut off by a crash, and its files are
deleted when the folder is opened again, so no fic is ever counted twice. A rerun skips
every input the manifests record, by content hash (or, without reading the file, by
unchanged path, size and modification time).

One batch at a time writes to a folder (an advisory lock, ``.lock``, refuses a second).
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from ficlens.batch.work import BATCH_SCHEMAS, BATCH_TABLES, FicResult, Task
from ficlens.errors import FicError
from ficlens.export.tables import Row

DONE = "_done"
MAX_BUFFER_CHARS = 200_000_000
"""Commit early when the buffered analysis JSON passes this many characters: long novels
would otherwise hold gigabytes in memory and overflow Arrow's 2 GB string arrays."""
StatKey = tuple[str, int, int]


@dataclass
class DoneRecord:
    """What the manifests say about earlier runs."""

    by_sha: dict[str, str] = field(default_factory=dict)  # sha256 → status
    by_stat: dict[StatKey, str] = field(default_factory=dict)  # (path, size, mtime) → status

    def add(self, entry: dict[str, Any]) -> None:
        status = str(entry.get("status", "ok"))
        sha = entry.get("sha256")
        # "ok" wins over an earlier error for the same content
        if sha and self.by_sha.get(sha) != "ok":
            self.by_sha[sha] = status
        if entry.get("size") is not None and entry.get("mtime_ns") is not None:
            self.by_stat[(str(entry["path"]), int(entry["size"]), int(entry["mtime_ns"]))] = status


def new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)


def _atomic_write(target: Path, write: Any) -> None:
    """Write through ``write(tmp_path)`` to a hidden temporary file, then rename it."""
    tmp = target.with_name(f".{target.name}.tmp")
    write(tmp)
    os.replace(tmp, target)


class ShardWriter:
    """Buffers results and writes them as shards; opening it recovers from a crash."""

    def __init__(
        self,
        out_dir: Path,
        shard_size: int = 100,
        flush_seconds: float = 60.0,
        max_buffer_chars: int = MAX_BUFFER_CHARS,
    ) -> None:
        self.out_dir = out_dir
        self.shard_size = max(1, shard_size)
        self.max_buffer_chars = max_buffer_chars
        self._chars = 0
        self.flush_seconds = flush_seconds
        self.run_id = new_run_id()
        self._seq = 0
        self._rows: dict[str, list[Row]] = {name: [] for name in BATCH_TABLES}
        self._inputs: list[dict[str, Any]] = []
        self._fics = 0
        self._chars = 0
        self._last_flush = time.monotonic()
        self._lock: IO[str] | None = None
        self.shards_written = 0
        self.removed_orphans: list[Path] = []

    # ------------------------------------------------------------------ opening

    def open(self) -> DoneRecord:
        """Lock the folder, delete shards no manifest commits, and read the manifests."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        (self.out_dir / DONE).mkdir(exist_ok=True)
        lock = (self.out_dir / ".lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise FicError(f"{self.out_dir}: another batch is writing to this folder") from None
        self._lock = lock
        done = DoneRecord()
        committed: set[str] = set()
        for manifest in sorted((self.out_dir / DONE).glob("part-*.jsonl")):
            committed.add(manifest.stem)
            for line in manifest.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    done.add(json.loads(line))
        for table in BATCH_TABLES:
            folder = self.out_dir / table
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                orphan = path.name.startswith(".") and path.name.endswith(".tmp")
                if path.suffix == ".parquet" and path.stem not in committed:
                    orphan = True
                if orphan:
                    path.unlink()
                    self.removed_orphans.append(path)
        for path in (self.out_dir / DONE).glob(".*.tmp"):
            path.unlink()
        return done

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def add(self, result: FicResult) -> None:
        for name, rows in result.rows.items():
            self._rows[name].extend(rows)
        self._inputs.append(_manifest_entry(result.task, result.sha256, result.status))
        self._fics += 1
        self._chars += sum(len(row.get("analysis") or "") for row in result.rows.get("fics", ()))
        if (
            self._fics >= self.shard_size
            or self._chars >= self.max_buffer_chars
            or time.monotonic() - self._last_flush >= self.flush_seconds
        ):
            self.flush()

    def add_duplicate(self, task: Task) -> None:
        """An input whose content another input of this run already carries."""
        self._inputs.append(_manifest_entry(task, task.sha256, "duplicate"))

    def flush(self) -> None:
        """Write the buffered rows as one committed shard (nothing when nothing is buffered)."""
        if not self._inputs:
            return
        shard = f"part-{self.run_id}-{self._seq:05d}"
        for name in BATCH_TABLES:
            rows = self._rows[name]
            if rows:
                self._write_table(name, shard, rows)
        _atomic_write(
            self.out_dir / DONE / f"{shard}.jsonl",
            lambda tmp: tmp.write_text(
                "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self._inputs),
                encoding="utf-8",
            ),
        )
        self._seq += 1
        self.shards_written += 1
        self._rows = {name: [] for name in BATCH_TABLES}
        self._inputs = []
        self._fics = 0
        self._chars = 0
        self._last_flush = time.monotonic()

    def finish(self) -> None:
        """Flush, then give every table without any shard an empty typed one (so that
        ``read_parquet('OUTDIR/errors/*.parquet')`` works on a run without errors)."""
        self.flush()
        missing = [t for t in BATCH_TABLES if not any((self.out_dir / t).glob("part-*.parquet"))]
        if missing:
            shard = f"part-{self.run_id}-{self._seq:05d}"
            for name in missing:
                self._write_table(name, shard, [])
            _atomic_write(self.out_dir / DONE / f"{shard}.jsonl", lambda tmp: tmp.write_text(""))
            self._seq += 1

    def _write_table(self, name: str, shard: str, rows: list[Row]) -> None:
        folder = self.out_dir / name
        folder.mkdir(exist_ok=True)
        table = pa.Table.from_pylist(rows, schema=BATCH_SCHEMAS[name])
        _atomic_write(folder / f"{shard}.parquet", lambda tmp: pq.write_table(table, tmp))


def _manifest_entry(task: Task, sha256: str | None, status: str) -> dict[str, Any]:
    return {
        "path": task.path,
        "size": task.size,
        "mtime_ns": task.mtime_ns,
        "sha256": sha256,
        "status": status,
    }


def read_table(out_dir: Path, name: str) -> pa.Table:
    """All committed shards of one table as one Arrow table (for tests and small outputs)."""
    files = sorted((out_dir / name).glob("part-*.parquet"))
    tables = [pq.read_table(f, schema=BATCH_SCHEMAS[name]) for f in files]
    return pa.concat_tables(tables) if tables else BATCH_SCHEMAS[name].empty_table()


def iter_manifest(out_dir: Path) -> Iterator[dict[str, Any]]:
    for manifest in sorted((out_dir / DONE).glob("part-*.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)
