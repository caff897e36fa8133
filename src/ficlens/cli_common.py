"""Pieces shared by the command-line groups: consoles, input expansion, progress, errors.

``ficlens analyze`` and ``ficlens library add`` take the same inputs (files, folders searched
recursively, ``-`` for standard input) and report failures the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ficlens.errors import FicError
from ficlens.ingest import Limits, read_bytes, read_path
from ficlens.model import Fic
from ficlens.pipeline import STAGE_ORDER

out = Console()
err = Console(stderr=True, soft_wrap=True)

INPUT_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml", ".epub"})
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class Input:
    label: str
    path: Path | None  # None for standard input


def expand(paths: Iterable[str]) -> Iterator[Input]:
    """Files as given; folders searched recursively for fic files; '-' is standard input."""
    for raw in paths:
        if raw == "-":
            yield Input("<stdin>", None)
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES
            )
            if not found:
                err.print(f"[yellow]warning:[/] {escape(str(p))}: no .txt/.html/.epub files found")
            yield from (Input(str(f), f) for f in found)
        else:
            yield Input(raw, p)


def read_input(item: Input, limits: Limits) -> Fic:
    if item.path is None:
        return read_bytes(sys.stdin.buffer.read(), name="<stdin>", limits=limits)
    return read_path(item.path, limits=limits)


def fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/] {escape(message)}")
    raise typer.Exit(EXIT_BAD_INPUT)


def progress_bar(total: int) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=total < 2,
    )


def report_failure(progress: Progress, label: str, exc: Exception) -> None:
    if isinstance(exc, FicError):
        progress.console.print(f"[red]error:[/] {escape(str(exc))}")
    else:
        progress.console.print(
            f"[red]internal error[/] on {escape(label)}: {type(exc).__name__}: "
            f"{escape(str(exc))} (please report this)"
        )


# Options shared by every command that analyses fics (analyze, library add, batch).
ModelOption = Annotated[
    str, typer.Option(help="Installed spaCy English pipeline to use, by package name.")
]
DisableOption = Annotated[
    list[str] | None,
    typer.Option(
        help=f"Switch stages off (repeatable or comma-separated): {', '.join(STAGE_ORDER)}."
    ),
]


def disabled_stages(values: list[str] | None) -> frozenset[str]:
    """``--disable a --disable b,c`` → {a, b, c}."""
    return frozenset(n.strip() for v in values or () for n in v.split(",") if n.strip())


DEFAULT_MAX_BYTES = Limits().max_bytes
MaxBytesOption = Annotated[
    int, typer.Option(help="Refuse inputs larger than this many bytes.", min=1)
]
