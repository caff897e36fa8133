"""The batch driver: plan the inputs, skip what earlier runs finished, run an engine, write.

The driver is the only writer: engines (the local process pool, Ray Data) return each
fic's rows and the driver appends them to a :class:`~ficlens.batch.shards.ShardWriter`,
which commits a shard every ``shard_size`` fics. An interrupted run (Ctrl-C, ``kill -9``,
a lost node) loses at most the uncommitted shard; the same command resumes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from ficlens.batch.local import run_local
from ficlens.batch.shards import DoneRecord, ShardWriter
from ficlens.batch.work import FicResult, Task, sha256_file
from ficlens.ingest import Limits
from ficlens.pipeline import DEFAULT_MODEL, build_stages

Engine = Literal["local", "ray"]
ENGINES: tuple[Engine, ...] = ("local", "ray")


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class BatchConfig:
    out_dir: Path
    engine: Engine = "local"
    workers: int = 0
    """Worker processes or Ray actors; 0 for every CPU available (of the Ray cluster)."""
    model: str = DEFAULT_MODEL
    disable: frozenset[str] = frozenset()
    max_bytes: int = Limits().max_bytes
    shard_size: int = 100
    flush_seconds: float = 60.0
    address: str | None = None


@dataclass
class BatchSummary:
    inputs: int = 0
    analysed: int = 0
    failed: int = 0
    skipped: int = 0
    """Finished by an earlier run (or a duplicate of another input's content)."""
    failed_earlier: int = 0
    """Skipped inputs that an earlier run recorded as errors."""
    words: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """Summed worker CPU time of the analysed files (start-up excluded)."""
    shards: int = 0

    @property
    def files_per_second(self) -> float:
        return self.analysed / self.seconds if self.seconds else 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def words_per_cpu_second(self) -> float:
        """Throughput of one core, whatever else the machine was running."""
        return self.words / self.cpu_seconds if self.cpu_seconds else 0.0


class Listener(Protocol):
    """Progress callbacks (the CLI's Rich progress bar)."""

    def skipped(self, task: Task, status: str) -> None: ...

    def finished(self, result: FicResult) -> None: ...


class _Quiet:
    def skipped(self, task: Task, status: str) -> None:
        pass

    def finished(self, result: FicResult) -> None:
        pass


def _plan(path: Path, max_bytes: int) -> Task:
    """Stat and hash one input in the driver (I/O only, far faster than analysis)."""
    try:
        st = path.stat()
        if st.st_size > max_bytes or not path.is_file():  # refused unread by the worker
            return Task(str(path), st.st_size, st.st_mtime_ns)
        return Task(str(path), st.st_size, st.st_mtime_ns, sha256_file(path))
    except OSError:
        return Task(str(path))  # the worker reports why it cannot be read


def _tasks(
    paths: Sequence[Path],
    done: DoneRecord,
    writer: ShardWriter,
    summary: BatchSummary,
    listener: Listener,
    max_bytes: int,
) -> Iterator[Task]:
    """Inputs still to analyse; finished ones (by stat, then by content hash) are skipped."""
    seen: set[str] = set()
    for path in paths:
        status: str | None = None
        try:
            st = path.stat()
            status = done.by_stat.get((str(path), st.st_size, st.st_mtime_ns))
        except OSError:
            pass
        task = Task(str(path)) if status else _plan(path, max_bytes)
        if status is None and task.sha256:
            status = done.by_sha.get(task.sha256)
            if status is None and task.sha256 in seen:
                writer.add_duplicate(task)
                status = "duplicate"
        if status is not None:
            summary.skipped += 1
            summary.failed_earlier += status == "error"
            listener.skipped(task, status)
            continue
        if task.sha256:
            seen.add(task.sha256)
        yield task


def _engine(config: BatchConfig, tasks: Iterator[Task]) -> Generator[FicResult, None, None]:
    if config.engine == "ray":
        from ficlens.batch.ray_engine import run_ray

        return run_ray(
            tasks,
            workers=config.workers,
            model=config.model,
            disable=config.disable,
            max_bytes=config.max_bytes,
            address=config.address,
        )
    return run_local(
        tasks,
        workers=config.workers or default_workers(),
        model=config.model,
        disable=config.disable,
        max_bytes=config.max_bytes,
    )


def run_batch(
    paths: Sequence[Path], config: BatchConfig, listener: Listener | None = None
) -> BatchSummary:
    """Analyse ``paths`` into ``config.out_dir``; return the counts of this run."""
    build_stages(config.disable)  # unknown stage names fail here, before any worker starts
    listener = listener or _Quiet()
    summary = BatchSummary(inputs=len(paths))
    began = time.perf_counter()
    with ShardWriter(config.out_dir, config.shard_size, config.flush_seconds) as writer:
        done = writer.open()
        tasks = _tasks(paths, done, writer, summary, listener, config.max_bytes)
        results = _engine(config, tasks)
        try:
            for result in results:
                writer.add(result)
                if result.ok:
                    summary.analysed += 1
                    summary.words += result.words
                    summary.cpu_seconds += result.cpu_seconds
                else:
                    summary.failed += 1
                listener.finished(result)
                summary.seconds = time.perf_counter() - began
        finally:
            results.close()  # stop the workers before committing what finished
            writer.finish()
        summary.shards = writer.shards_written
    summary.seconds = time.perf_counter() - began
    return summary
