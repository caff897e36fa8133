"""``ficlens eval`` end to end on a small gold file written for the test, and on LitBank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficlens.cli import app
from ficlens.eval.gold import read_gold
from ficlens.eval.run import evaluate_document, total

from .conftest import SHARED

TEXT = (
    "Nell Ashby was waiting at the gate when Tom Reyes came up the lane.\n\n"
    '"You took your time," said Nell.\n\n'
    '"The bus broke down," Tom said. "Twice."\n\n'
    'Nell laughed. "Of course it did."\n'
)


def _gold(tmp_path: Path) -> Path:
    quotes = []
    for words, speaker, addressee, kind, qid in [
        ('"You took your time,"', "n", "t", "explicit", "Q1"),
        ('"The bus broke down,"', "t", "n", "explicit", "Q2"),
        ('"Twice."', "t", "n", "explicit", "Q2"),
        ('"Of course it did."', "n", "t", "implicit", "Q3"),
    ]:
        start = TEXT.index(words)
        quotes.append(
            {
                "start": start,
                "end": start + len(words),
                "speaker": speaker,
                "addressees": [addressee],
                "type": kind,
                "quote_id": qid,
            }
        )
    doc = {
        "id": "tiny_1",
        "source": "pdnc",
        "title": "Tiny",
        "text": TEXT,
        "characters": [
            {"id": "n", "name": "Nell Ashby", "aliases": ["Nell", "Nell Ashby"]},
            {"id": "t", "name": "Tom Reyes", "aliases": ["Tom", "Tom Reyes"]},
        ],
        "quotes": quotes,
        "mentions": [],
    }
    path = tmp_path / "tiny.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    return path


def test_scores_of_a_small_gold_file(tmp_path: Path) -> None:
    doc = next(read_gold(_gold(tmp_path)))
    given = evaluate_document(doc, given_characters=True)
    assert (given.detection.tp, given.detection.fp, given.detection.fn) == (4, 0, 0)
    assert given.speakers.overall.total == 4
    assert given.speakers.by_type["explicit"].total == 3
    assert given.speakers.overall.correct == 4
    assert given.addressees.correct == 4
    found = evaluate_document(doc, given_characters=False)
    assert found.discovery_recall.correct == 2  # both speakers found and mapped by alias
    assert found.speakers.overall.correct == 4
    both = total([given, found])
    assert both.speakers.overall.total == 8 and both.words == 2 * given.words


def test_cli_json_and_table(tmp_path: Path) -> None:
    gold = _gold(tmp_path)
    result = CliRunner().invoke(app, ["eval", str(gold), "--given-characters", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"]["quote_detection"]["f1"] == 1.0
    assert data["total"]["speaker_accuracy"]["n"] == 4
    table = CliRunner().invoke(app, ["eval", str(gold), "--by-type"])
    assert table.exit_code == 0 and "explicit" in table.output and "tiny_1" in table.output


def test_cli_reports_a_broken_gold_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(bad)])
    assert result.exit_code == 2
    assert "bad.jsonl" in result.output and "Traceback" not in result.output
    missing = CliRunner().invoke(app, ["eval", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_eval_runs_on_litbank_dev_when_present() -> None:
    path = SHARED / "data" / "gold" / "dev" / "litbank.jsonl"
    if not path.is_file():
        pytest.skip("../shared/data/gold/dev/litbank.jsonl is not present")
    result = CliRunner().invoke(app, ["eval", str(path), "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["documents"]) == 3
    t = data["total"]
    assert t["words"] > 1000 and t["words_per_second"] > 0
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= t["quote_detection"][key] <= 1.0
    assert t["speaker_accuracy"]["n"] > 0
    assert 0.0 <= (t["speaker_accuracy"]["accuracy"] or 0.0) <= 1.0
