"""The Ray engine: Ray Data with an actor pool, one loaded pipeline per actor.

The planned tasks become a Ray dataset; ``map_batches`` runs :class:`_Analyzer` actors
(``concurrency=workers``, one CPU each; each builds its :class:`~ficlens.batch.work.Worker`
once) and the driver streams the results back with ``iter_batches`` as they finish, so
Ray's streaming executor bounds the work in flight and the driver writes shards as
results come. Actors read the input files themselves: on a cluster the paths must be
readable from every node (a shared filesystem), and OUTDIR from the driver.

Ray is optional (``pip install 'ficlens[ray]'``); without it ``--engine ray`` fails with
one line.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Generator, Iterable
from typing import Any

from ficlens.batch.work import FicResult, Task, Worker, WorkerSetupError
from ficlens.errors import FicError

MAX_BLOCKS = 50_000
RAY_MISSING = "--engine ray needs Ray, which is not installed: pip install 'ficlens[ray]'"


class _Analyzer:
    """A Ray Data actor: one :class:`Worker` (spaCy loaded once) per actor."""

    def __init__(self, model: str, disable: frozenset[str], max_bytes: int) -> None:
        # A failing constructor makes Ray print pages of tracebacks and retry: the setup
        # error is instead sent back with the first result and stops the run in one line.
        self.worker: Worker | None = None
        self.setup_error: WorkerSetupError | None = None
        try:
            self.worker = Worker(model, disable, max_bytes)
        except WorkerSetupError as exc:
            self.setup_error = exc

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        if self.worker is None:
            return {"result": [pickle.dumps(self.setup_error) for _ in batch["path"]]}
        results = []
        for path, size, mtime_ns, sha in zip(
            batch["path"], batch["size"], batch["mtime_ns"], batch["sha256"], strict=True
        ):
            task = Task(
                str(path),
                None if size is None or size < 0 else int(size),
                None if mtime_ns is None or mtime_ns < 0 else int(mtime_ns),
                str(sha) if sha else None,
            )
            results.append(pickle.dumps(self.worker.analyze(task)))
        return {"result": results}


def _import_ray() -> Any:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
        import ray.data
    except ImportError:
        raise FicError(RAY_MISSING) from None
    return ray


def run_ray(
    tasks: Iterable[Task],
    *,
    workers: int,
    model: str,
    disable: frozenset[str],
    max_bytes: int,
    address: str | None = None,
) -> Generator[FicResult, None, None]:
    """Analyse ``tasks`` with ``workers`` Ray actors; yield each result as it arrives."""
    ray = _import_ray()
    items = [
        {
            "path": t.path,
            "size": -1 if t.size is None else t.size,
            "mtime_ns": -1 if t.mtime_ns is None else t.mtime_ns,
            "sha256": t.sha256 or "",
        }
        for t in tasks
    ]
    if not items:
        return
    started = False
    if not ray.is_initialized():
        if address:
            ray.init(address=address, logging_level=logging.WARNING)
        else:
            ray.init(
                include_dashboard=False,
                num_cpus=workers if workers > 0 else None,
                logging_level=logging.WARNING,
            )
        started = True
    try:
        if workers <= 0:  # all the CPUs of the cluster (or of this machine)
            workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        context.execution_options.preserve_order = False
        # small blocks, so that results stream back fic by fic rather than block by block
        blocks = min(len(items), MAX_BLOCKS)
        dataset = ray.data.from_items(items, override_num_blocks=blocks).map_batches(
            _Analyzer,
            fn_constructor_kwargs={"model": model, "disable": disable, "max_bytes": max_bytes},
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=min(workers, len(items))),
            num_cpus=1,
        )
        try:
            for batch in dataset.iter_batches(batch_size=1, batch_format="numpy"):
                for payload in batch["result"]:
                    result = pickle.loads(payload)  # our own actors' output, never user input
                    if isinstance(result, WorkerSetupError):
                        raise FicError(str(result))
                    yield result
        except ray.exceptions.RayError as exc:
            first = str(exc).strip().splitlines()
            reason = first[-1] if first else type(exc).__name__
            raise FicError(f"the Ray run failed: {reason}") from None
    finally:
        if started:
            ray.shutdown()
