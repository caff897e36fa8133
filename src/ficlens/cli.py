"""The ``ficlens`` command line (Typer + Rich).

Expected failures (bad input, missing model) print one line and exit 2; in a run over
many files, a bad file is reported and skipped and the others are still written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ficlens.errors import FicError
from ficlens.ingest import Limits, read_bytes, read_path
from ficlens.model import Analysis, Fic
from ficlens.pipeline import DEFAULT_MODEL, STAGE_ORDER, Options, build_stages
from ficlens.pipeline import run as run_pipeline
from ficlens.version import __version__

app = typer.Typer(
    name="ficlens",
    help="Read fan fiction like a careful reader: structure, characters, dialogue and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

INPUT_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml", ".epub"})
OUTPUT_FORMATS = ("json",)
EXIT_BAD_INPUT = 2


def _version(value: bool) -> None:
    if value:
        out.print(f"ficlens {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """ficlens: structured, trustworthy data from fan fiction."""


@dataclass(frozen=True)
class _Input:
    label: str
    path: Path | None  # None for standard input


def _expand(paths: Iterable[str]) -> Iterator[_Input]:
    """Files as given; folders searched recursively for fic files; '-' is standard input."""
    for raw in paths:
        if raw == "-":
            yield _Input("<stdin>", None)
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES
            )
            if not found:
                err.print(f"[yellow]warning:[/] {escape(str(p))}: no .txt/.html/.epub files found")
            yield from (_Input(str(f), f) for f in found)
        else:
            yield _Input(raw, p)


def _output_name(item: _Input, taken: set[str]) -> str:
    stem = item.path.stem if item.path else "stdin"
    name, n = f"{stem}.json", 2
    while name in taken:
        name, n = f"{stem}-{n}.json", n + 1
    taken.add(name)
    return name


def _read(item: _Input, limits: Limits) -> Fic:
    if item.path is None:
        return read_bytes(sys.stdin.buffer.read(), name="<stdin>", limits=limits)
    return read_path(item.path, limits=limits)


def _summary(analysis: Analysis) -> Table:
    kinds: dict[str, int] = {}
    for seg in analysis.segments:
        kinds[seg.kind] = kinds.get(seg.kind, 0) + 1
    table = Table(show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("title", analysis.metadata.title or "—")
    table.add_row("format", f"{analysis.source.format} ({analysis.source.flavor})")
    table.add_row("chapters", str(len(analysis.chapters)))
    table.add_row("scenes", str(len(analysis.scenes)))
    table.add_row("flashbacks", str(len(analysis.flashbacks)))
    table.add_row("words", f"{analysis.stats.words:,}")
    table.add_row("sentences", f"{analysis.stats.sentences:,}")
    table.add_row("segments", ", ".join(f"{k} ×{v}" for k, v in sorted(kinds.items())) or "—")
    table.add_row("seconds", f"{sum(analysis.timings.values()):.2f}")
    return table


def _parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in OUTPUT_FORMATS]
    if unknown or not formats:
        raise typer.BadParameter(
            f"unknown format {', '.join(unknown) or repr(value)}; "
            f"available: {', '.join(OUTPUT_FORMATS)}"
        )
    return formats


@app.command()
def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Fic files (.txt, .html, .epub) or folders to search; '-' reads standard input.",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", help="Folder for the results, or '-' to print JSON to stdout."
        ),
    ] = "out",
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output formats, comma-separated: json.")
    ] = "json",
    model: Annotated[
        str,
        typer.Option(help="Installed spaCy English pipeline to use, by package name."),
    ] = DEFAULT_MODEL,
    disable: Annotated[
        list[str] | None,
        typer.Option(help=f"Switch a stage off (repeatable): {', '.join(STAGE_ORDER)}."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(help="Refuse inputs larger than this many bytes.", min=1)
    ] = Limits().max_bytes,
    summary: Annotated[bool, typer.Option(help="Print a summary table for each fic.")] = True,
) -> None:
    """Analyse fics and write one JSON document per input."""
    _parse_formats(fmt)
    options = Options(model=model, disable=frozenset(disable or ()))
    try:
        stages = build_stages(options.disable)
    except FicError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    limits = Limits(max_bytes=max_bytes)
    items = list(_expand(paths))
    to_stdout = output == "-"
    if to_stdout and len(items) != 1:
        err.print("[red]error:[/] -o - prints JSON to stdout and takes exactly one input")
        raise typer.Exit(EXIT_BAD_INPUT)
    out_dir = None if to_stdout else Path(output)
    taken: set[str] = set()
    failures = 0

    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=len(items) < 2,
    )
    with progress:
        task = progress.add_task("analysing", total=len(items))
        for item in items:
            progress.update(task, description=f"analysing {item.label}")
            try:
                analysis = run_pipeline(_read(item, limits), options, stages)
            except FicError as exc:
                failures += 1
                progress.console.print(f"[red]error:[/] {escape(str(exc))}")
            except Exception as exc:  # one broken fic must not stop a batch
                failures += 1
                progress.console.print(
                    f"[red]internal error[/] on {escape(item.label)}: "
                    f"{type(exc).__name__}: {escape(str(exc))} "
                    "(please report this)"
                )
            else:
                if out_dir is None:
                    sys.stdout.write(analysis.model_dump_json(indent=2) + "\n")
                else:
                    out_dir.mkdir(parents=True, exist_ok=True)
                    target = out_dir / _output_name(item, taken)
                    target.write_text(analysis.model_dump_json(indent=2), encoding="utf-8")
                    if summary:
                        say = progress.console if len(items) > 1 else out
                        say.print(
                            f"[bold]{escape(item.label)}[/] → {escape(str(target))}", soft_wrap=True
                        )
                        say.print(_summary(analysis))
            progress.advance(task)
    if len(items) > 1:
        err.print(f"{len(items) - failures} analysed, {failures} failed")
    if failures:
        raise typer.Exit(EXIT_BAD_INPUT)
