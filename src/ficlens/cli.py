"""The ``ficlens`` command line (Typer + Rich).

Expected failures (bad input, missing model) print one line and exit 2; in a run over
many files, a bad file is reported and skipped and the others are still written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from ficlens.cli_batch import batch
from ficlens.cli_common import (
    DEFAULT_MAX_BYTES,
    EXIT_BAD_INPUT,
    DisableOption,
    Input,
    MaxBytesOption,
    ModelOption,
    disabled_stages,
    err,
    expand,
    fail,
    out,
    progress_bar,
    read_input,
    report_failure,
)
from ficlens.cli_library import library_app
from ficlens.cli_serve import serve
from ficlens.errors import FicError
from ficlens.ingest import Limits
from ficlens.model import SCHEMA_VERSION, Analysis
from ficlens.pipeline import DEFAULT_MODEL, Options, build_stages, run_document
from ficlens.version import __version__

if TYPE_CHECKING:
    from ficlens.language import LanguageLayer

app = typer.Typer(
    name="ficlens",
    help="Read fan fiction like a careful reader: structure, characters, dialogue and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(library_app)
app.command("serve")(serve)
app.command()(batch)

TABLE_FORMATS = ("csv", "parquet")
OUTPUT_FORMATS = ("json", "html", "booknlp", *TABLE_FORMATS)


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


def _output_stem(item: Input, taken: set[str]) -> str:
    """A file stem for the outputs, unique within this run (same-named fics in two folders)."""
    base = item.path.stem if item.path else "stdin"
    stem, n = base, 2
    while stem in taken:
        stem, n = f"{base}-{n}", n + 1
    taken.add(stem)
    return stem


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
    people = sorted(analysis.characters, key=lambda c: -(c.quote_count * 5 + c.mention_count))
    table.add_row(
        "characters",
        ", ".join(f"{c.name} ({c.quote_count} quotes)" for c in people[:6]) or "—",
    )
    speech = [q for q in analysis.quotes if q.speech]
    known = sum(1 for q in speech if q.speaker)
    table.add_row("quotes", f"{len(speech)} speech, {known} with a speaker" if speech else "—")
    for field, value in _story_rows(analysis):
        table.add_row(field, value)
    table.add_row("seconds", f"{sum(analysis.timings.values()):.2f}")
    return table


def _story_rows(analysis: Analysis) -> list[tuple[str, str]]:
    """The story-level findings, for the stages that ran."""
    n, tags, rows = analysis.narrative, analysis.tags, []
    names = {c.id: c.name for c in analysis.characters}
    if n.person or n.tense:
        focal = ", ".join(names.get(f, f) for f in n.focal)
        view = f"{n.person or '?'} person, {n.tense or '?'} tense"
        rows.append(("narrative", view + (f"; viewpoint {focal}" if focal else "")))
    romantic = [r for r in analysis.relationships if r.kind == "romantic"]
    if romantic:
        top = max(romantic, key=lambda r: r.score)
        pair = " / ".join(names.get(c, c) for c in top.pair)
        rows.append(("main pairing", f"{pair} ({top.score:.2f})"))
    suggested = [
        f"{label}: {', '.join(s.tag for s in found[:limit])}"
        for label, found, limit in (
            ("rating", tags.rating, 1),
            ("fandom", tags.fandoms, 1),
            ("additional", tags.additional, 4),
        )
        if found
    ]
    if suggested:
        rows.append(("tags", "; ".join(suggested)))
    if "feedback" in analysis.timings:
        rows.append(("feedback", f"{len(analysis.feedback)} items"))
    return rows


def _parse_formats(value: str, allowed: tuple[str, ...] = OUTPUT_FORMATS) -> list[str]:
    formats = list(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in allowed]
    if unknown or not formats:
        raise typer.BadParameter(
            f"unknown format {', '.join(unknown) or repr(value)}; available: {', '.join(allowed)}"
        )
    return formats


def _write_per_fic(
    analysis: Analysis, language: LanguageLayer | None, formats: list[str], out_dir: Path, stem: str
) -> list[Path]:
    """Write the per-fic outputs (json, html, booknlp); tables are written once per run."""
    # Writers import matplotlib / pyarrow; importing them only when asked keeps the CLI quick.
    from ficlens.export import write_booknlp
    from ficlens.report import write_report

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "json" in formats:
        target = out_dir / f"{stem}.json"
        partial = target.with_name(f".{target.name}.partial")
        partial.write_text(analysis.model_dump_json(indent=2), encoding="utf-8")
        partial.replace(target)  # a killed run never leaves a truncated JSON behind
        written.append(target)
    if "html" in formats:
        written.append(write_report(analysis, out_dir / f"{stem}.html"))
    if "booknlp" in formats:
        written += write_booknlp(analysis, language, out_dir, stem)
    return written


def _write_tables(analyses: list[Analysis], formats: list[str], out_dir: Path) -> list[Path]:
    table_formats = [f for f in formats if f in TABLE_FORMATS]
    if not table_formats or not analyses:
        return []
    from ficlens.export import write_tables

    return write_tables(analyses, out_dir / "tables", table_formats)


def _say_tables(written: list[Path]) -> None:
    if written:
        kinds = sorted({p.suffix.lstrip(".") for p in written})
        out.print(
            f"tables → {escape(str(written[0].parent))} ({len(written)} files: {', '.join(kinds)})",
            soft_wrap=True,
        )


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
        str,
        typer.Option(
            "--format",
            "-f",
            help="Comma-separated outputs: json (one per fic), html (report per fic), "
            "booknlp (.tokens/.entities/.quotes/.book per fic), csv and parquet "
            "(tables/ for the whole run).",
        ),
    ] = "json",
    model: ModelOption = DEFAULT_MODEL,
    disable: DisableOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    fandom_dir: Annotated[
        list[Path] | None,
        typer.Option(help="Folder of extra fandom .toml files (repeatable); see docs."),
    ] = None,
    summary: Annotated[
        bool | None,
        typer.Option(
            "--summary/--no-summary",
            help="Print a summary table for each fic (default: only when there is one fic).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Analyse fics and write the chosen outputs for each one."""
    formats = _parse_formats(fmt)
    dirs = tuple(str(d) for d in fandom_dir or ())
    options = Options(model=model, disable=disabled_stages(disable), fandom_dirs=dirs)
    try:
        stages = build_stages(options.disable)
        if dirs:
            from ficlens.fandoms import load_knowledge_base

            load_knowledge_base(list(dirs))  # a broken fandom file stops the run up front
    except FicError as exc:
        fail(str(exc))
    if "booknlp" in formats and "language" in options.disable:
        fail("--format booknlp needs the 'language' stage; do not disable it")
    items = list(expand(paths))
    if output == "-" and (len(items) != 1 or formats != ["json"]):
        fail("-o - prints JSON to stdout and takes exactly one input and --format json")
    out_dir = Path(output)
    keep_for_tables = any(f in TABLE_FORMATS for f in formats)
    show_summary = len(items) == 1 if summary is None else summary
    taken: set[str] = set()
    analyses: list[Analysis] = []
    failures = 0
    with progress_bar(len(items)) as progress:
        task = progress.add_task("analysing", total=len(items))
        for item in items:
            progress.update(task, description=f"analysing {escape(item.label)}")
            try:
                fic = read_input(item, limits=Limits(max_bytes=max_bytes))
                doc = run_document(fic, options, stages)
                if output == "-":
                    sys.stdout.write(doc.analysis.model_dump_json(indent=2) + "\n")
                    continue
                stem = _output_stem(item, taken)
                written = _write_per_fic(
                    doc.analysis, doc.layers.get("language"), formats, out_dir, stem
                )
            except Exception as exc:  # one broken fic must not stop a batch
                failures += 1
                report_failure(progress, item.label, exc)
                continue
            finally:
                progress.advance(task)
            if keep_for_tables:
                analyses.append(doc.analysis)
            if show_summary:
                say = progress.console if len(items) > 1 else out
                shown = ", ".join(escape(str(p)) for p in written)
                say.print(f"[bold]{escape(item.label)}[/] → {shown}", soft_wrap=True)
                say.print(_summary(doc.analysis))
    _say_tables(_write_tables(analyses, formats, out_dir))
    if len(items) > 1:
        err.print(f"{len(items) - failures} analysed, {failures} failed")
    if failures:
        raise typer.Exit(EXIT_BAD_INPUT)


def _load_analysis(path: Path) -> Analysis:
    """Read a saved analysis JSON, with a one-line error when it is not one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FicError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return Analysis.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise FicError(
            f"{path} is not a ficlens analysis (schema version {SCHEMA_VERSION}): "
            f"{where}: {first['msg']}"
        ) from None


def _each_saved(paths: list[Path], action: str, work: Callable[[Path], list[Path]]) -> None:
    failures = 0
    with progress_bar(len(paths)) as progress:
        task = progress.add_task(action, total=len(paths))
        for path in paths:
            try:
                for written in work(path):
                    progress.console.print(f"{escape(str(path))} → {escape(str(written))}")
            except Exception as exc:  # one broken file must not stop the others
                failures += 1
                report_failure(progress, str(path), exc)
            progress.advance(task)
    if failures:
        raise typer.Exit(EXIT_BAD_INPUT)


SavedPaths = Annotated[
    list[Path], typer.Argument(help="Analysis JSON files written by `ficlens analyze`.")
]


@app.command()
def report(
    paths: SavedPaths,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Folder for the reports (default: beside each JSON)."),
    ] = None,
) -> None:
    """Write the self-contained HTML report of saved analyses."""

    from ficlens.report import write_report

    def work(path: Path) -> list[Path]:
        target = (output or path.parent) / f"{path.stem}.html"
        return [write_report(_load_analysis(path), target)]

    _each_saved(paths, "reporting", work)


@app.command()
def export(
    paths: SavedPaths,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated: booknlp, csv, parquet.")
    ] = "booknlp",
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the files.")] = Path(
        "out"
    ),
    model: Annotated[
        str, typer.Option(help="spaCy pipeline used to rebuild tokens for booknlp.")
    ] = DEFAULT_MODEL,
) -> None:
    """Export saved analyses as BookNLP files and/or CSV/Parquet tables."""
    from ficlens.export import language_for, write_booknlp

    formats = _parse_formats(fmt, ("booknlp", *TABLE_FORMATS))
    analyses: list[Analysis] = []

    def work(path: Path) -> list[Path]:
        analysis = _load_analysis(path)
        analyses.append(analysis)
        if "booknlp" not in formats:
            return []
        return write_booknlp(analysis, language_for(analysis, model), output, path.stem)

    _each_saved(paths, "exporting", work)
    _say_tables(_write_tables(analyses, formats, output))


def _register_eval() -> None:
    from ficlens.eval.command import eval_command

    app.command("eval")(eval_command)


_register_eval()
