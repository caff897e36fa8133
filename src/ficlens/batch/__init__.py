"""Batch processing that scales out: many fics → Parquet shards, resumable.

``run_batch(paths, BatchConfig(out_dir, engine="local" | "ray", workers=N))`` analyses
every input on a process pool (or a Ray cluster), writes one row per fic and the flat
tables of ``export/tables.py`` as ``OUTDIR/<table>/part-*.parquet`` and records finished
inputs in ``OUTDIR/_done/`` so that a rerun continues where a crash stopped it.
"""

from __future__ import annotations

from ficlens.batch.inputs import expand_inputs
from ficlens.batch.run import ENGINES, BatchConfig, BatchSummary, default_workers, run_batch
from ficlens.batch.shards import read_table
from ficlens.batch.work import BATCH_TABLES, FicResult, Task

__all__ = [
    "BATCH_TABLES",
    "ENGINES",
    "BatchConfig",
    "BatchSummary",
    "FicResult",
    "Task",
    "default_workers",
    "expand_inputs",
    "read_table",
    "run_batch",
]
