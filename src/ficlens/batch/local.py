"""The local engine: a process pool, one loaded pipeline per worker, bounded in-flight work.

Workers start from a ``forkserver`` (never a fork of the driver, whose progress bar runs
a thread) and load the spaCy pipeline once in the pool's initializer. At most ``2 ×
workers`` files are submitted at a time, so a folder of millions of files never queues
millions of futures; results are yielded as they finish, in completion order. A file
that kills its worker (out of memory, a segfault in native code) is found by running the
files that were in flight one at a time, and lands in ``errors`` as ``WorkerCrashedError``.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ficlens.batch.work import FicResult, Task, Worker, WorkerSetupError, error_result
from ficlens.errors import FicError

_WORKER: Worker | None = None
_SETUP_ERROR: str | None = None


def _exit_with(driver: int) -> None:
    """Exit when the driver is gone (``kill -9`` of it would otherwise leave idle workers:
    they are children of the forkserver, not of the driver)."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(driver, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # pragma: no cover - the pid was reused by another user
            os._exit(1)


def _init_worker(model: str, disable: frozenset[str], max_bytes: int, driver: int) -> None:
    """Pool initializer: build the stages and load spaCy once for this process."""
    global _WORKER, _SETUP_ERROR
    threading.Thread(target=_exit_with, args=(driver,), daemon=True).start()
    try:
        _WORKER = Worker(model, disable, max_bytes)
    except WorkerSetupError as exc:  # reported by the first task, then the run stops
        _SETUP_ERROR = str(exc)


def _analyze(task: Task) -> FicResult:
    if _WORKER is None:
        raise WorkerSetupError(_SETUP_ERROR or "the worker was not initialised")
    return _WORKER.analyze(task)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class WorkerCrashedError(FicError):
    """A worker process died on this one file (out of memory, a crash in native code)."""


#: Files that crash a worker in isolation before any file succeeded: the workers
#: themselves are broken (e.g. spaCy cannot load), so the run stops.
MAX_CRASHES_BEFORE_SUCCESS = 3


def run_local(
    tasks: Iterable[Task],
    *,
    workers: int,
    model: str,
    disable: frozenset[str],
    max_bytes: int,
    analyze: Callable[[Task], FicResult] = _analyze,
) -> Generator[FicResult, None, None]:
    """Analyse ``tasks`` on ``workers`` processes; yield each result as it finishes.

    When a worker dies, the pool breaks and every file in flight is lost with it. Those
    files are then run again one at a time in a fresh pool: the one that kills a worker
    alone is recorded as a :class:`WorkerCrashedError`, the others complete normally.
    ``analyze`` must be importable by name (it runs in the workers).
    """
    max_in_flight = 2 * workers

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_context(),
            initializer=_init_worker,
            initargs=(model, disable, max_bytes, os.getpid()),
        )

    pool = new_pool()
    pending: dict[Future[FicResult], Task] = {}
    suspects: deque[Task] = deque()  # in flight when a worker died
    isolated = False  # a suspect runs alone
    successes = crashes = 0
    todo = iter(tasks)
    exhausted = False
    try:
        while True:
            if suspects and not pending:  # after a crash: one suspect at a time
                task = suspects.popleft()
                pending[pool.submit(analyze, task)] = task
                isolated = True
            while not suspects and not isolated and not exhausted:
                if len(pending) >= max_in_flight:
                    break
                next_task = next(todo, None)
                if next_task is None:
                    exhausted = True
                else:
                    pending[pool.submit(analyze, next_task)] = next_task
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in finished:
                task = pending.pop(future)
                try:
                    result = future.result()
                except WorkerSetupError as exc:
                    raise FicError(str(exc)) from None
                except BrokenProcessPool:
                    broken = True
                    if not isolated:
                        suspects.append(task)
                        continue
                    crashes += 1
                    if not successes and crashes >= MAX_CRASHES_BEFORE_SUCCESS:
                        raise FicError(
                            "the worker processes keep dying before any file succeeds "
                            "(out of memory? a broken spaCy install?)"
                        ) from None
                    result = error_result(
                        task,
                        WorkerCrashedError(
                            f"{task.path}: the worker process died on this file "
                            "(out of memory, or a crash in native code)"
                        ),
                    )
                except Exception as exc:  # e.g. a result that cannot be sent back
                    result = error_result(task, exc)
                isolated = False
                successes += result.ok
                yield result
            if broken:
                suspects.extend(pending.values())  # lost with the pool
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = new_pool()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
