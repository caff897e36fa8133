"""The command line, driven through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ficlens import __version__
from ficlens.cli import app

from .conftest import EXAMPLES

runner = CliRunner()
STORY = "\u201cHello,\u201d said Mara.\n\nTom waved back at her.\n"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_analyze_help_mentions_options() -> None:
    result = runner.invoke(app, ["analyze", "--help"])
    assert result.exit_code == 0
    for option in ("--output", "--format", "--model", "--disable"):
        assert option in result.stdout


def test_analyze_one_file_writes_json(tmp_path: Path) -> None:
    src = tmp_path / "story one.txt"
    src.write_text(STORY, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "story one.json").read_text(encoding="utf-8"))
    assert data["text"] == STORY
    assert data["schema_version"] == 1


def test_folder_with_a_bad_file_reports_it_and_completes(tmp_path: Path) -> None:
    folder = tmp_path / "fics"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(STORY.upper(), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.epub").write_bytes(b"not a zip at all")
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(folder), "-o", str(out)])
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    assert "empty" in result.output and "EPUB" in result.output
    assert "Traceback" not in result.output
    assert "2 analysed, 2 failed" in result.output


def test_same_stem_does_not_overwrite(tmp_path: Path) -> None:
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "fic.txt").write_text(f"{STORY} {sub}", encoding="utf-8")
    out = tmp_path / "out"
    args = ["analyze", str(tmp_path / "x"), str(tmp_path / "y"), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["fic-2.json", "fic.json"]


def test_stdin_to_stdout() -> None:
    result = runner.invoke(app, ["analyze", "-", "-o", "-"], input=STORY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text"] == STORY


def test_missing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path / "nope.txt"), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["analyze", str(EXAMPLES / "the-keeper-of-small-lights.txt"), "--format", "pdf"]
    )
    assert result.exit_code != 0
    assert "pdf" in result.output


def test_summary_table_for_example(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["analyze", str(EXAMPLES / "the-keeper-of-small-lights.txt"), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    for field in ("title", "chapters", "scenes", "words", "segments"):
        assert field in result.stdout


def test_all_formats_and_saved_analysis_commands(tmp_path: Path) -> None:
    src = tmp_path / "fic.txt"
    src.write_text("Chapter 1\n\n" + STORY + "\n* * *\n\nLater, Mara laughed.\n", encoding="utf-8")
    out = tmp_path / "out"
    formats = "json,html,booknlp,csv,parquet"
    result = runner.invoke(app, ["analyze", str(src), "-o", str(out), "-f", formats])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"fic.json", "fic.html", "fic.tokens", "fic.entities", "fic.quotes", "fic.book"} <= names
    assert (out / "tables" / "segments.csv").is_file()
    assert (out / "tables" / "segments.parquet").is_file()
    assert "<html" in (out / "fic.html").read_text(encoding="utf-8").lower()

    reports = tmp_path / "reports"
    result = runner.invoke(app, ["report", str(out / "fic.json"), "-o", str(reports)])
    assert result.exit_code == 0, result.output
    assert (reports / "fic.html").is_file()

    again = tmp_path / "again"
    result = runner.invoke(
        app, ["export", str(out / "fic.json"), "-f", "booknlp", "-o", str(again)]
    )
    assert result.exit_code == 0, result.output
    assert (again / "fic.tokens").read_text(encoding="utf-8") == (out / "fic.tokens").read_text(
        encoding="utf-8"
    )


def test_booknlp_without_language_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "fic.txt"
    src.write_text(STORY, encoding="utf-8")
    args = ["analyze", str(src), "-o", str(tmp_path), "-f", "booknlp"]
    args += ["--disable", "language", "--disable", "characters", "--disable", "dialogue"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "language" in result.output


def test_report_of_a_file_that_is_not_an_analysis(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"text": 3}', encoding="utf-8")
    result = runner.invoke(app, ["report", str(bad)])
    assert result.exit_code == 2
    assert "not a ficlens analysis" in result.output
    assert "Traceback" not in result.output


def test_summary_shows_the_story_level_findings(tmp_path: Path) -> None:
    src = tmp_path / "kiss.txt"
    src.write_text(
        "Mara Quill waited by the gate. She knew he would come.\n\n"
        '"You came," Mara said.\n\n"I always do," Tom Reyes said, and he kissed her.\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["analyze", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "third person, past tense" in out
    assert "main pairing" in out and "feedback" in out
    disabled = runner.invoke(
        app,
        [
            "analyze",
            str(src),
            "-o",
            str(tmp_path / "o2"),
            "--disable",
            "narrative",
            "--disable",
            "feedback",
        ],
    )
    assert disabled.exit_code == 0, disabled.output
    assert "past tense" not in disabled.output and "feedback" not in disabled.output
