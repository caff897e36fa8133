"""The local engine: a process pool, one loaded pipeline per worker, bounded in-flight work.

Workers start from a ``forkserver`` (never a fork of the driver, whose progress bar runs
a thread) and load the spaCy pipeline once in the pool's initializer. At most ``2 ×
workers`` files are submitted at a time, so a folder of millions of files never queues
millions of futures; results are yielded as they finish, in completion order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Generator, Iterable
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


def run_local(
    tasks: Iterable[Task],
    *,
    workers: int,
    model: str,
    disable: frozenset[str],
    max_bytes: int,
) -> Generator[FicResult, None, None]:
    """Analyse ``tasks`` on ``workers`` processes; yield each result as it finishes."""
    max_in_flight = 2 * workers
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_init_worker,
        initargs=(model, disable, max_bytes, os.getpid()),
    )
    pending: dict[Future[FicResult], Task] = {}
    todo = iter(tasks)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < max_in_flight:
                task = next(todo, None)
                if task is None:
                    exhausted = True
                else:
                    pending[pool.submit(_analyze, task)] = task
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                task = pending.pop(future)
                try:
                    result = future.result()
                except WorkerSetupError as exc:
                    raise FicError(str(exc)) from None
                except BrokenProcessPool:
                    raise FicError(
                        "a worker process died (out of memory?); finished fics are saved, "
                        "run the same command again to resume"
                    ) from None
                except Exception as exc:  # e.g. a result that cannot be sent back
                    result = error_result(task, exc)
                yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
