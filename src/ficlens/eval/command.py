"""The ``ficlens eval`` command: print (or emit as JSON) the scores of a gold file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ficlens.cli_common import fail
from ficlens.errors import FicError
from ficlens.eval.gold import read_gold
from ficlens.eval.run import DocScores, evaluate_document, total
from ficlens.pipeline import DEFAULT_MODEL

out = Console(width=180) if not Console().is_terminal else Console()


def _pct(value: object) -> str:
    if isinstance(value, dict):
        acc = value.get("accuracy", value.get("f1"))
        return "—" if acc is None else f"{100 * float(acc):.1f}"
    return "—"


_STORY_COLUMNS = {
    "person": "person_accuracy",
    "tense": "tense_accuracy",
    "pairs R": "relationship_recall",
    "main pair": "main_pairing_accuracy",
    "rating": "rating_accuracy",
    "rating±1": "rating_within_one_level",
}
"""Columns shown only when some gold record annotates person, tense, pairings or rating."""


def _table(rows: list[DocScores], by_type: bool) -> Table:
    table = Table(title="ficlens eval", show_lines=False)
    cols = ["document", "words", "w/s", "quote P", "quote R", "quote F1", "speaker", "addressee"]
    types = ("explicit", "anaphoric", "implicit")
    if by_type:
        cols += list(types)
    cols += ["char R", "char P", "pronoun"]
    story = any(r.story.scored for r in rows)
    if story:
        cols += list(_STORY_COLUMNS)
    for c in cols:
        table.add_column(c, justify="left" if c == "document" else "right")
    for i, s in enumerate(rows):
        d = s.as_dict()
        det = d["quote_detection"]
        assert isinstance(det, dict)
        cells = [
            s.id if len(s.id) <= 40 else s.id[:39] + "…",
            f"{s.words:,}",
            f"{d['words_per_second'] or 0:,}",
            f"{100 * det['precision']:.1f}",
            f"{100 * det['recall']:.1f}",
            f"{100 * det['f1']:.1f}",
            _pct(d["speaker_accuracy"]),
            _pct(d["addressee_accuracy"]),
        ]
        if by_type:
            typed = d["speaker_accuracy_by_type"]
            assert isinstance(typed, dict)
            cells += [_pct(typed.get(t)) for t in types]
        cells += [
            _pct(d["character_discovery_recall"]),
            _pct(d["character_discovery_precision"]),
            _pct(d["pronoun_linking_accuracy"]),
        ]
        if story:
            cells += [_pct(d[key]) for key in _STORY_COLUMNS.values()]
        table.add_row(*cells, style="bold" if i == len(rows) - 1 else None)
    return table


def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (see shared/data/gold/README.md).")],
    given_characters: Annotated[
        bool, typer.Option("--given-characters", help="Pass the gold cast to analyze().")
    ] = False,
    by_type: Annotated[
        bool, typer.Option("--by-type", help="Speaker accuracy by quote type.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Only documents with this id.")
    ] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline to use.")] = DEFAULT_MODEL,
) -> None:
    """Score quotation detection, speakers, addressees and characters against gold data."""
    rows: list[DocScores] = []
    try:
        with out.status("evaluating") as status:
            for n, doc in enumerate(read_gold(gold)):
                if limit is not None and n >= limit:
                    break
                if only and doc.id not in only:
                    continue
                status.update(f"evaluating {doc.id}")
                rows.append(evaluate_document(doc, given_characters=given_characters, model=model))
    except (FicError, OSError) as exc:
        fail(f"{gold}: {exc}")
    if not rows:
        raise typer.BadParameter("no gold documents matched", param_hint="GOLD")
    rows.append(total(rows))
    if as_json:
        print(
            json.dumps(
                {
                    "gold": str(gold),
                    "given_characters": given_characters,
                    "documents": [r.as_dict() for r in rows[:-1]],
                    "total": rows[-1].as_dict(),
                },
                indent=2,
            )
        )
    else:
        out.print(_table(rows, by_type))
