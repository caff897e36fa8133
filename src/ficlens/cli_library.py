"""``ficlens library``: add fics to a local DuckDB library, search it, find reposts, count.

The library modules (DuckDB, datasketch, matplotlib) are imported inside the commands so
that ``ficlens --version`` and ``ficlens analyze`` do not pay for them.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ficlens.cli_common import (
    DEFAULT_MAX_BYTES,
    EXIT_BAD_INPUT,
    DisableOption,
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
from ficlens.errors import FicError
from ficlens.ingest import Limits
from ficlens.pipeline import DEFAULT_MODEL, Options, build_stages, run_document

if TYPE_CHECKING:
    from ficlens.library import Library
    from ficlens.library.dupes import Side

library_app = typer.Typer(
    name="library",
    help="A local library of analysed fics (one DuckDB file): add, search, dupes, stats, remove.",
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
    model: ModelOption = DEFAULT_MODEL,
    disable: DisableOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    reanalyse: Annotated[
        bool,
        typer.Option(
            "--reanalyse", help="Analyse unchanged files again (e.g. with another --model)."
        ),
    ] = False,
) -> None:
    """Analyse fics and store them in the library (unchanged files are skipped)."""
    from ficlens.library import Library, key_path

    options = Options(model=model, disable=disabled_stages(disable))
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
                sha = (
                    fic.source.sha256
                    or hashlib.sha256(fic.text.encode("utf-8", "surrogatepass")).hexdigest()
                )
                plan = library.plan(sha, where, reanalyse=reanalyse)
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


@library_app.command("remove")
def remove(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="Stored paths, or fic ids (at least 8 hex digits).", show_default=False
        ),
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Remove fics and all their rows from the library."""
    from ficlens.library import Library

    try:
        library = Library.open(db)
    except FicError as exc:
        fail(str(exc))
    missing = 0
    with library:
        for target in targets:
            try:
                ids = library.find(target)
            except FicError as exc:
                err.print(f"[red]error:[/] {escape(str(exc))}")
                missing += 1
                continue
            if not ids:
                err.print(f"[red]error:[/] {escape(target)}: not in {escape(str(db))}")
                missing += 1
            for fid in ids:
                library.remove(fid)
                err.print(f"removed: {escape(target)} ({fid[:12]})")
        library.refresh_index()
        total = library.count()
    err.print(f"{total} fics in {escape(str(db))}")
    if missing:
        raise typer.Exit(EXIT_BAD_INPUT)


def _open_for_reading(db: Path) -> Library:
    from ficlens.library import open_for_reading

    try:
        return open_for_reading(db)
    except FicError as exc:
        fail(str(exc))


def _name(title: str | None, path: str | None, fic_id: str) -> str:
    """A fic's title, else its file name, else the start of its hash."""
    return title or (Path(path).name if path else fic_id[:12])


def _short(values: list[str], limit: int = 2) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" +{len(values) - limit}" if len(values) > limit else "") if values else "—"


@library_app.command("search")
def search(
    query: Annotated[
        str | None,
        typer.Argument(
            help='Words that must all occur in the story (stemmed); "a phrase" in quotes must '
            "occur as written. Leave out to list every fic that passes the filters.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    fandom: Annotated[str | None, typer.Option(help="Fandom containing this text.")] = None,
    rating: Annotated[
        str | None,
        typer.Option(
            help="Rating on one scale for AO3 and FFN: general/K/K+, teen/T, mature/M, "
            "explicit/E/MA."
        ),
    ] = None,
    pairing: Annotated[
        str | None,
        typer.Option(
            help="Pairing such as 'Ines/Corwin' (declared or detected; names in any order)."
        ),
    ] = None,
    character: Annotated[
        str | None, typer.Option(help="Character (declared tag, detected name or alias).")
    ] = None,
    tag: Annotated[
        str | None, typer.Option(help="Any declared or suggested tag containing this.")
    ] = None,
    pov: Annotated[
        str | None, typer.Option(help="Narrative person: first, second or third.")
    ] = None,
    tense: Annotated[str | None, typer.Option(help="Narrative tense: past or present.")] = None,
    min_words: Annotated[
        int | None, typer.Option(help="At least this many story words.", min=0)
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many fics.", min=1)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
) -> None:
    """Search the stories' text, BM25-ranked, with filters on the declared and found data."""
    import json

    from rich.table import Table
    from rich.text import Text

    from ficlens.library import Filters
    from ficlens.library import search as run_search

    filters = Filters(
        fandom=fandom,
        rating=rating,
        pairing=pairing,
        character=character,
        tag=tag,
        pov=pov,
        tense=tense,
        min_words=min_words,
    )
    with _open_for_reading(db) as lib:
        try:
            hits = run_search(lib, query, filters, limit)
        except FicError as exc:
            fail(str(exc))
    if as_json:
        sys.stdout.write(
            json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2) + "\n"
        )
        return
    if not hits:
        err.print("no matching fics")
        return
    table = Table(show_lines=True)
    table.add_column("title", style="bold", max_width=24)
    table.add_column("fandom", max_width=18)
    table.add_column("pairing", max_width=18)
    table.add_column("rating", max_width=12)
    table.add_column("words", justify="right")
    table.add_column("snippet", min_width=30, ratio=1)
    for hit in hits:
        snip = Text(hit.snippet)
        for start, end in hit.highlights:
            snip.stylize("bold yellow", start, end)
        by = f"\nby {', '.join(hit.authors)}" if hit.authors else ""
        table.add_row(
            Text(_name(hit.title, hit.path, hit.fic_id) + by),
            Text(_short(hit.fandoms)),
            Text(_short(hit.pairings)),
            Text(hit.rating or "—"),
            f"{hit.words:,}",
            snip,
        )
    out.print(table)
    err.print(f"{len(hits)} fic{'s' if len(hits) != 1 else ''}")


def _chapters(indices: list[int]) -> str:
    """Chapter indices as 1-based ranges: [0, 1, 2, 4] → '1–3, 5'."""
    if not indices:
        return "—"
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ", ".join(f"{r[0] + 1}" if len(r) == 1 else f"{r[0] + 1}–{r[-1] + 1}" for r in runs)


def _side_label(side: Side) -> str:
    return _name(side.title, side.path, side.fic_id) + (f"\n{side.path}" if side.path else "")


@library_app.command("dupes")
def dupes(
    db: DbOption = DEFAULT_DB,
    threshold: Annotated[
        float,
        typer.Option(
            help="Report pairs whose shingle Jaccard similarity, or the share of the shorter "
            "fic found in the other, is at least this.",
            min=0.05,
            max=1.0,
        ),
    ] = 0.8,
    as_json: Annotated[bool, typer.Option("--json", help="Print the pairs as JSON.")] = False,
) -> None:
    """Find near-duplicates and reposts (story text only; robust to reformatting)."""
    import json

    from rich.table import Table

    from ficlens.library.dupes import find_dupes

    with _open_for_reading(db) as lib:
        pairs = find_dupes(lib, threshold)
    if as_json:
        sys.stdout.write(json.dumps([p.as_dict() for p in pairs], ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
        return
    if not pairs:
        err.print(f"no near-duplicates at threshold {threshold}")
        return
    table = Table(show_lines=True)
    table.add_column("fic", style="bold", max_width=30)
    table.add_column("matches", style="bold", max_width=30)
    table.add_column("jaccard", justify="right")
    table.add_column("shared passages (words)", max_width=26)
    table.add_column("chapters", max_width=16)
    for pair in pairs:
        a, b = pair.a, pair.b

        table.add_row(
            _side_label(a),
            _side_label(b),
            f"{pair.jaccard:.2f}",
            f"{a.shared_passages}/{a.passages} ({a.shared_fraction:.0%}) · "
            f"{b.shared_passages}/{b.passages} ({b.shared_fraction:.0%})",
            f"{_chapters(a.chapters)} · {_chapters(b.chapters)}",
        )
    out.print(table)
    err.print(f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} at threshold {threshold}")


@library_app.command("stats")
def stats(
    db: DbOption = DEFAULT_DB,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a self-contained HTML page with charts here."),
    ] = None,
    top: Annotated[
        int, typer.Option(help="Show this many characters, pairings, fandoms.", min=1)
    ] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Corpus figures: fics per fandom, rating mix, top characters and pairings, POV, tense."""
    from rich.table import Table

    from ficlens.library.stats import corpus_stats, write_stats_html

    with _open_for_reading(db) as lib:
        figures = corpus_stats(lib, top)
    if html is not None:
        try:
            written = write_stats_html(figures, html)
        except OSError as exc:
            fail(f"{html}: cannot write ({exc.strerror or exc})")
        err.print(f"stats → {escape(str(written))}")
    if as_json:
        import json
        from dataclasses import asdict

        sys.stdout.write(json.dumps(asdict(figures), ensure_ascii=False, indent=2) + "\n")
        return
    totals = Table(show_header=False, title=f"library {escape(str(db))}", title_justify="left")
    totals.add_column("field", style="bold")
    totals.add_column("value", justify="right")
    for name, value in (
        ("fics", figures.fics),
        ("story words", figures.words),
        ("chapters", figures.chapters),
        ("authors", figures.authors),
    ):
        totals.add_row(name, f"{value:,}")
    out.print(totals)
    for title, header, counts in (
        ("Fics per fandom", "fandom", figures.fandoms),
        ("Rating mix", "rating", figures.ratings),
        ("Top characters", "character", figures.characters),
        ("Top pairings", "pairing", figures.pairings),
        ("Point of view", "person", figures.pov),
        ("Tense", "tense", figures.tense),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column(header, max_width=40)
        table.add_column("fics", justify="right")
        for name, n in counts:
            table.add_row(escape(name), str(n))
        if not counts:
            table.add_row("[dim](none yet)[/]", "")
        out.print(table)
