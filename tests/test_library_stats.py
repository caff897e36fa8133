"""Corpus figures and the stats page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ficlens
from ficlens.cli import app
from ficlens.library import Library, open_for_reading
from ficlens.library.stats import corpus_stats, render_stats_html
from ficlens.model import Character, Narrative, Relationship

from .library_fics import EMBER_COURT, SALT_ROAD, SALT_ROAD_REPOST, ffn

runner = CliRunner()
HOSTILE = (
    ffn("<b>Bold</b>", "x", "<script>alert(1)</script>", "Explicit", "A/B", "Ann")
    + "Ann met Bea at the fair, and they stayed until the lamps were lit and the music "
    "stopped.\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.duckdb"
    with Library.open(path, create=True) as lib:
        for text in (SALT_ROAD, SALT_ROAD_REPOST):
            lib.store(ficlens.analyze(text, disable=["language"]), None)
        ember = ficlens.analyze(EMBER_COURT, disable=["language"])
        ember.characters = [
            Character(id="c0", name="Sarai"),  # also declared: counted once for this fic
            Character(id="c1", name="Ines Marrow"),  # found, not declared
            Character(id="c2", name="Tobin Reed"),  # an ex: romantic, but not the pairing
        ]
        ember.relationships = [
            Relationship(pair=("c1", "c0"), kind="romantic", score=0.5),
            Relationship(pair=("c2", "c0"), kind="romantic", score=0.2),
        ]
        ember.narrative = Narrative(person="first", tense="present")
        lib.store(ember, None)
        lib.store(ficlens.analyze(HOSTILE, disable=["language"]), None)
        lib.refresh_index()
    return path


def test_corpus_figures(db: Path) -> None:
    with open_for_reading(db) as lib:
        s = corpus_stats(lib)
    assert s.fics == 4
    assert s.words == 163 + 163 + 77 + 18
    assert s.authors == 4
    assert s.fandoms == [
        ("Tidewater Chronicles", 2),
        ("<script>alert(1)</script>", 1),
        ("Ember Court", 1),
    ]
    assert s.ratings == [("Teen (T)", 2), ("Explicit (E, MA)", 1), ("Mature (M)", 1)]
    assert s.characters[:2] == [("Ines Marrow", 3), ("Ann", 1)]
    assert ("Sarai", 1) in s.characters
    pairings = dict(s.pairings)
    assert pairings["Ines Marrow/Sarai"] == 1  # found by the relations layer
    assert pairings["Sarai/Vell"] == 1  # declared as Vell/Sarai: order does not matter
    assert pairings["Corwin/Ines"] == 1
    assert not any("Tobin" in p for p in pairings)  # only each fic's main pairing counts
    assert s.pov == [("(unknown)", 3), ("first", 1)]
    assert s.tense == [("(unknown)", 3), ("present", 1)]


def test_empty_library_has_zero_figures(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.duckdb", create=True) as lib:
        s = corpus_stats(lib)
    assert (s.fics, s.words, s.fandoms, s.characters, s.pov) == (0, 0, [], [], [])
    assert "No Fandom in the library yet" in render_stats_html(s)


def test_html_is_self_contained_and_escaped(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "stats" / "corpus.html"
    result = runner.invoke(app, ["library", "stats", "--db", str(db), "--html", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page  # the hostile fandom name is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("data:image/svg+xml;base64,") == 6  # one chart per figure
    assert not re.search(r"(src|href)=\"https?:", page)
    assert "default-src 'none'; img-src data:;" in html.unescape(page)


def test_cli_stats_tables(db: Path) -> None:
    result = runner.invoke(app, ["library", "stats", "--db", str(db)])
    assert result.exit_code == 0, result.output
    for text in ("Fics per fandom", "Tidewater Chronicles", "Teen (T)", "Ines Marrow", "present"):
        assert text in result.stdout
    result = runner.invoke(app, ["library", "stats", "--db", str(db), "--json", "--top", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["fics"] == 4 and data["characters"] == [["Ines Marrow", 3]]
    missing = runner.invoke(app, ["library", "stats", "--db", str(db.with_name("x.duckdb"))])
    assert missing.exit_code == 2 and "no library at" in missing.output
