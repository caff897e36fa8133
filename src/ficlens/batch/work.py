"""One unit of batch work: read one file, analyse it, turn the analysis into table rows.

This module runs inside the workers (process-pool processes or Ray actors). A
:class:`Worker` builds the stages and loads the spaCy pipeline once, then analyses any
number of files. Every failure of one file (bad input, an internal error) becomes an
``errors`` row; it never stops the worker.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ficlens.errors import FicError
from ficlens.export.tables import SCHEMAS, TABLES, Row, table_rows
from ficlens.ingest import Limits, read_path, read_text
from ficlens.pipeline import Options, Stage, build_stages, run_document

FLAT_TABLES: tuple[str, ...] = tuple(t for t in TABLES if t != "fics")
"""The per-item tables of ``export/tables.py`` (quotes, characters, mentions, …)."""

BATCH_SCHEMAS: dict[str, pa.Schema] = {
    # export/tables.py's fics row, plus the whole analysis as JSON
    "fics": SCHEMAS["fics"].append(pa.field("analysis", pa.string())),
    **{name: SCHEMAS[name] for name in FLAT_TABLES},
    "errors": pa.schema(
        [
            ("path", pa.string()),
            ("sha256", pa.string()),
            ("error", pa.string()),
            ("message", pa.string()),
        ]
    ),
}
"""Every table a batch writes, each as ``OUTDIR/<table>/part-*.parquet``."""

BATCH_TABLES: tuple[str, ...] = tuple(BATCH_SCHEMAS)


@dataclass(frozen=True)
class Task:
    """One input as the driver planned it (size, mtime and hash read before submitting)."""

    path: str
    size: int | None = None
    mtime_ns: int | None = None
    sha256: str | None = None


@dataclass
class FicResult:
    """What one input produced: table rows, or one ``errors`` row."""

    task: Task
    sha256: str | None
    ok: bool
    words: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """CPU time of the worker process on this file (wall time minus waiting for a core)."""
    rows: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "ok" if self.ok else "error"


class WorkerSetupError(Exception):
    """The worker could not build the pipeline (unknown stage, missing model): stop the run."""


def sha256_file(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def error_result(task: Task, exc: BaseException, sha256: str | None = None) -> FicResult:
    message = str(exc) if isinstance(exc, FicError) else f"{type(exc).__name__}: {exc}"
    row = {
        "path": task.path,
        "sha256": sha256 or task.sha256,
        "error": type(exc).__name__,
        "message": message,
    }
    return FicResult(task=task, sha256=sha256 or task.sha256, ok=False, rows={"errors": [row]})


class Worker:
    """Builds the stages once and warms them (spaCy loaded) on a one-line text."""

    def __init__(self, model: str, disable: frozenset[str], max_bytes: int) -> None:
        self.options = Options(model=model, disable=disable)
        self.limits = Limits(max_bytes=max_bytes)
        try:
            self.stages: list[Stage] = build_stages(disable)
            run_document(read_text('"Hello," she said.'), self.options, self.stages)
        except FicError as exc:
            raise WorkerSetupError(str(exc)) from None

    def analyze(self, task: Task) -> FicResult:
        began, cpu_began = time.perf_counter(), time.process_time()
        try:
            fic = read_path(task.path, limits=self.limits)
            # read_path hashed exactly the bytes it analysed; the fic id is that hash
            sha = fic.source.sha256
            analysis = run_document(fic, self.options, self.stages).analysis
            rows = {name: table_rows(name, [analysis]) for name in FLAT_TABLES}
            fic_row: dict[str, Any] = table_rows("fics", [analysis])[0]
            fic_row["analysis"] = analysis.model_dump_json()
            rows["fics"] = [fic_row]
        except Exception as exc:  # one broken fic must not stop a batch
            return error_result(task, exc)
        return FicResult(
            task=task,
            sha256=sha,
            ok=True,
            words=analysis.stats.words,
            seconds=time.perf_counter() - began,
            cpu_seconds=time.process_time() - cpu_began,
            rows=rows,
        )
