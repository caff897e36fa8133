"""The Python API: analyze(), analyze_file(), the Analysis contract and its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ficlens
from ficlens.errors import StageConfigError
from ficlens.model import Analysis
from ficlens.schema import render

from .conftest import EXAMPLES, REPO

TEXT = "Disclaimer: not mine.\r\n\r\n\u201cNo,\u201d she said. \u201cWait.\u201d\r\n"


def test_analyze_keeps_text_and_fills_contract() -> None:
    analysis = ficlens.analyze(TEXT)
    assert isinstance(analysis, Analysis)
    assert analysis.text == TEXT
    assert analysis.schema_version == 1
    assert analysis.ficlens_version == ficlens.__version__
    assert set(analysis.timings) >= {"structure"}
    for seg in analysis.segments:
        assert 0 <= seg.start < seg.end <= len(TEXT)


def test_json_round_trip() -> None:
    analysis = ficlens.analyze(TEXT)
    again = Analysis.model_validate_json(analysis.model_dump_json())
    assert again == analysis
    assert json.loads(analysis.model_dump_json())["text"] == TEXT


def test_analyze_rejects_bytes() -> None:
    with pytest.raises(TypeError):
        ficlens.analyze(b"bytes")  # type: ignore[arg-type]


def test_analyze_file_reads_example() -> None:
    analysis = ficlens.analyze_file(EXAMPLES / "the-keeper-of-small-lights.txt")
    raw = (EXAMPLES / "the-keeper-of-small-lights.txt").read_text(encoding="utf-8")
    assert analysis.text == raw
    assert analysis.source.sha256 is not None
    assert analysis.source.path is not None and analysis.source.path.endswith(".txt")


def test_disabling_a_stage_switches_off_the_stages_that_need_it() -> None:
    from ficlens.pipeline import build_stages

    assert [s.name for s in build_stages(["language"])] == ["structure", "quotes"]
    # affect and feedback read characters when present but do not need them
    without_characters = [s.name for s in build_stages(["characters"])]
    assert without_characters == ["structure", "language", "quotes", "affect", "feedback"]
    assert build_stages(["structure"]) == []
    analysis = ficlens.analyze(TEXT, disable=["characters"])
    assert "dialogue" not in analysis.timings and analysis.characters == []


def test_unknown_stage_is_a_clear_error() -> None:
    with pytest.raises(StageConfigError, match="unknown stage"):
        ficlens.analyze(TEXT, disable=["telepathy"])


def test_schema_file_is_current() -> None:
    committed = (REPO / "docs" / "schema.json").read_text(encoding="utf-8")
    assert committed == render(), "docs/schema.json is stale: run `make schema`"


def test_example_is_original_and_rich_enough(tmp_path: Path) -> None:
    text = (EXAMPLES / "the-keeper-of-small-lights.txt").read_text(encoding="utf-8")
    for cue in ("Disclaimer:", "A/N:", "Summary:", "Chapter 1", "Chapter 2", "* * *", "Flashback"):
        assert cue in text


def test_ner_runs_only_when_a_stage_needs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from ficlens import pipeline
    from ficlens.ingest import read_text

    text = "Mara Quill walked to Harwick with Tom Brandt.\n"
    with_ner = pipeline.run_document(read_text(text)).layers["language"]
    assert with_ner.has_ner  # the characters stage reads entities
    monkeypatch.setattr(pipeline, "NER_USERS", frozenset({"nothing"}))
    without = pipeline.run_document(read_text(text)).layers["language"]
    assert not without.has_ner and not list(without.entities())
