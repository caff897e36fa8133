"""``ficlens library``: add fics to a local DuckDB library, search it, find reposts, count.

The library modules (DuckDB, datasketch, matplotlib) are imported inside the commands so
that ``ficlens --version`` and ``ficlens analyze`` do not pay for them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ficlens.cli_common import (
    EXIT_BAD_INPUT,
    err,
    expand,
    fail,
    out,
    progress_bar,
    read_input,
    report_failure,
)
from ficlens.errors import FicError
from ficlens.ingest import Limits
from ficlens.pipeline import DEFAULT_MODEL, STAGE_ORDER, Options, build_stages, run_document

library_app = typer.Typer(
    name="library",
    help="A local library of analysed fics (one DuckDB file): add, search, dupes, stats.",
    no_args_is_help=True,
)

DbOption = Annotated[
    Path, typer.Option("--db", help="The library file (DuckDB).", show_default=True)
]
DEFAULT_DB = Path("ficlens.duckdb")


@library_app.command("add")
def add(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Fic files (.txt, .html, .epub) or folders to search; '-' reads standard input.",
            show_default=False,
        ),
    ],
    db: DbOption = DEFAULT_DB,
    model: Annotated[
        str, typer.Option(help="Installed spaCy English pipeline to use, by package name.")
    ] = DEFAULT_MODEL,
    disable: Annotated[
        list[str] | None,
        typer.Option(help=f"Switch a stage off (repeatable): {', '.join(STAGE_ORDER)}."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(help="Refuse inputs larger than this many bytes.", min=1)
    ] = Limits().max_bytes,
) -> None:
    """Analyse fics and store them in the library (unchanged files are skipped)."""
    from ficlens.library import Library, key_path

    options = Options(model=model, disable=frozenset(disable or ()))
    try:
        stages = build_stages(options.disable)
    except FicError as exc:
        fail(str(exc))
    items = list(expand(paths))
    counts: Counter[str] = Counter()
    try:
        library = Library.open(db, create=True)
    except FicError as exc:
        fail(str(exc))
    with library, progress_bar(len(items)) as progress:
        task = progress.add_task("adding", total=len(items))
        for item in items:
            progress.update(task, description=f"adding {escape(item.label)}")
            try:
                fic = read_input(item, limits=Limits(max_bytes=max_bytes))
                where = key_path(item.path)
                assert fic.source.sha256 is not None  # ingest always hashes the input
                plan = library.plan(fic.source.sha256, where)
                if plan.status == "unchanged":
                    status = "unchanged"
                else:
                    doc = run_document(fic, options, stages)
                    if where is not None:
                        doc.analysis.source.path = where
                    status = library.store(doc.analysis, where, plan)
            except Exception as exc:  # one broken fic must not stop the others
                counts["failed"] += 1
                report_failure(progress, item.label, exc)
                continue
            finally:
                progress.advance(task)
            counts[status] += 1
            if len(items) == 1 or status != "unchanged":
                note = f" (same text as {escape(plan.other_path)})" if plan.other_path else ""
                progress.console.print(f"{status}: {escape(item.label)}{note}", soft_wrap=True)
        try:
            library.refresh_index()
        except FicError as exc:
            fail(str(exc))
        total = library.count()
    err.print(
        f"{counts['added']} added, {counts['unchanged']} unchanged, {counts['replaced']} "
        f"replaced, {counts['failed']} failed; {total} fics in {escape(str(db))}"
    )
    if counts["failed"]:
        raise typer.Exit(EXIT_BAD_INPUT)


_ = out  # used by the reading commands below
