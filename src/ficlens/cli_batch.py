"""``ficlens batch``: analyse many fics into resumable Parquet shards (local pool or Ray)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ficlens.cli_common import (
    DEFAULT_MAX_BYTES,
    EXIT_BAD_INPUT,
    DisableOption,
    MaxBytesOption,
    ModelOption,
    disabled_stages,
    err,
    fail,
)
from ficlens.errors import FicError
from ficlens.pipeline import DEFAULT_MODEL


class _RateColumn(ProgressColumn):
    """files/s and words/s over the files analysed in this run (skipped ones excluded)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        files = task.fields.get("analysed", 0)
        words = task.fields.get("words", 0)
        if not elapsed or not files:
            return Text("– files/s – words/s", style="progress.data.speed", no_wrap=True)
        return Text(
            f"{files / elapsed:.2f} files/s {words / elapsed:,.0f} words/s",
            style="progress.data.speed",
            no_wrap=True,
        )


class _Bar:
    """The Rich progress bar as a batch listener."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.task = progress.add_task("batch", total=total, analysed=0, words=0)
        self.analysed = 0
        self.words = 0

    def skipped(self, task: object, status: str) -> None:
        self.progress.advance(self.task)

    def finished(self, result: object) -> None:
        from ficlens.batch import FicResult

        assert isinstance(result, FicResult)
        if result.ok:
            self.analysed += 1
            self.words += result.words
        else:
            row = result.rows["errors"][0]
            self.progress.console.print(f"[red]error:[/] {escape(str(row['message']))}")
        self.progress.update(self.task, advance=1, analysed=self.analysed, words=self.words)


def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Folders (searched recursively), globs ('fics/**/*.html') and files; "
            "@LIST reads one path per line from the file LIST.",
            show_default=False,
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the Parquet shards.")],
    engine: Annotated[
        str, typer.Option(help="local (a process pool) or ray (Ray Data, local or a cluster).")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join with --engine ray: 'auto' on a cluster node, or HEAD:6379."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Worker processes or Ray actors (default: one per CPU available; with "
            "--engine ray, one per CPU of the Ray cluster).",
            min=1,
        ),
    ] = None,
    model: ModelOption = DEFAULT_MODEL,
    disable: DisableOption = None,
    shard_size: Annotated[
        int, typer.Option(help="Commit a shard every this many fics.", min=1)
    ] = 100,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Analyse many fics into Parquet shards (one folder per table); rerun to resume."""
    from ficlens.batch import ENGINES, BatchConfig, expand_inputs, run_batch

    if engine not in ENGINES:
        raise typer.BadParameter(f"unknown engine {engine!r}; available: {', '.join(ENGINES)}")
    if address and engine != "ray":
        fail("--address needs --engine ray")
    try:
        paths = expand_inputs(inputs, warn=lambda m: err.print(f"[yellow]warning:[/] {escape(m)}"))
    except FicError as exc:
        fail(str(exc))
    if not paths:
        fail("no input files")
    config = BatchConfig(
        out_dir=output,
        engine="ray" if engine == "ray" else "local",
        workers=workers or 0,
        model=model,
        disable=disabled_stages(disable),
        max_bytes=max_bytes,
        shard_size=shard_size,
        address=address,
    )
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
    )
    try:
        with progress:
            summary = run_batch(paths, config, _Bar(progress, len(paths)))
    except FicError as exc:
        fail(str(exc))
    err.print(
        f"{summary.analysed} analysed, {summary.failed} failed, {summary.skipped} skipped "
        f"(done earlier) in {summary.seconds:.1f} s: {summary.files_per_second:.2f} files/s, "
        f"{summary.words_per_second:,.0f} words/s → {escape(str(output))}"
    )
    if summary.failed_earlier:
        err.print(f"{summary.failed_earlier} skipped inputs failed in an earlier run (errors/)")
    if summary.failed or summary.failed_earlier:
        raise typer.Exit(EXIT_BAD_INPUT)
