"""Canon knowledge in character finding, through a fandom folder written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import ficlens
from ficlens.cli import app

FANDOM = """
name = "Harbour Lights (TV)"
aliases = ["Harbour Lights"]
characters = [
  { tag = "Wren Callow", gender = "female", aliases = ["Wren", "Birdie"] },
  { tag = "Osric Penhale", gender = "male", aliases = ["Osric"] },
  { tag = "Sable Callow", gender = "female", aliases = ["Sable"] },
]
places = ["Gull's", "Saltmarsh Quay"]
"""

STORY = """Birdie pushed open the door of Gull's and shook the rain off her coat.

Osric was behind the bar. He looked up when Wren came in, and he smiled.

"You're late, Birdie," Osric said.

"The ferry from Saltmarsh Quay was late," Wren said. "Sable sends her love."

They sat by the window of Gull's until the lamps came on.
"""


@pytest.fixture
def fandom_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "fandoms"
    folder.mkdir()
    (folder / "harbour.toml").write_text(FANDOM, encoding="utf-8")
    return folder


def test_canon_names_merge_and_places_are_not_people(fandom_dir: Path) -> None:
    a = ficlens.analyze(STORY, fandom_dirs=[fandom_dir])
    by_id = {c.id: c for c in a.characters}
    wren = by_id["wren-callow"]
    assert wren.canon and wren.ao3_tag == "Wren Callow" and wren.name == "Wren Callow"
    assert {"Birdie", "Wren"} <= set(wren.aliases)  # a canon nickname joins its character
    assert wren.gender == "female"
    assert by_id["osric-penhale"].gender == "male"
    names = " ".join(c.name for c in a.characters)
    assert "Gull" not in names and "Saltmarsh" not in names
    osric = next(q for q in a.quotes if "You're late" in a.text[q.start : q.end])
    assert osric.speaker == "osric-penhale" and osric.addressees == ["wren-callow"]


def test_without_the_fandom_there_is_no_canon(fandom_dir: Path) -> None:
    a = ficlens.analyze(STORY)
    assert not any(c.canon for c in a.characters)


def test_a_broken_fandom_file_is_a_clear_cli_error(tmp_path: Path, fandom_dir: Path) -> None:
    (fandom_dir / "broken.toml").write_text(
        'name = "X"\ncharacters = [{ tag = "A", gender = "girl" }]\n'
    )
    fic = tmp_path / "fic.txt"
    fic.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["analyze", str(fic), "-o", str(tmp_path / "out"), "--fandom-dir", str(fandom_dir)]
    )
    assert result.exit_code == 2
    assert "broken.toml" in result.output and "gender" in result.output
    assert "Traceback" not in result.output
