"""Near-duplicate detection: reformatted reposts match, unrelated fics do not."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ficlens
from ficlens.cli import app
from ficlens.library import Library, open_for_reading
from ficlens.library.dupes import find_dupes, normalise, shingles, words

from .library_fics import (
    EMBER_COURT,
    EMBER_COURT_BODY,
    SALT_ROAD,
    SALT_ROAD_BODY,
    SALT_ROAD_REPOST,
    ffn,
)

runner = CliRunner()

# Both stories as two chapters of one work, under another title.
COLLECTION = (
    ffn("Two Tales", "magpie", "Mixed", "T", "none", "Ines")
    + "Chapter 1: The Road\n\n"
    + "\n\n".join(SALT_ROAD_BODY)
    + "\n\nChapter 2: The Court\n\n"
    + "\n\n".join(EMBER_COURT_BODY)
    + "\n"
)
REWRITTEN = SALT_ROAD.replace(
    SALT_ROAD_BODY[3],
    "Nobody in the village had ever seen a whale this close to shore, and the children "
    "ran along the breakwater shouting its name into the spray until their mothers came.",
)


def _filler(seed: int, paragraphs: int) -> list[str]:
    """Invented prose-like paragraphs from a small vocabulary, different for each seed."""
    rng = random.Random(seed)
    vocab = [
        "the",
        "a",
        "river",
        "stone",
        "orchard",
        "winter",
        "candle",
        "road",
        "letter",
        "sister",
        "house",
        "quiet",
        "morning",
        "window",
        "bread",
        "under",
        "over",
        "beside",
        "carried",
        "found",
        "kept",
        "turned",
        "slowly",
        "again",
        "never",
        "old",
        "green",
        "bright",
        "small",
        "heavy",
        "garden",
        "bell",
        "harbour",
        "field",
        "song",
    ]
    return [
        " ".join(rng.choice(vocab) for _ in range(60)).capitalize() + "." for _ in range(paragraphs)
    ]


def _library(tmp_path: Path, *texts: str) -> Path:
    db = tmp_path / "lib.duckdb"
    with Library.open(db, create=True) as lib:
        for text in texts:
            lib.store(ficlens.analyze(text, disable=["language"]), None)
        lib.refresh_index()
    return db


def _pairs(db: Path, threshold: float = 0.8) -> list[tuple[str, str]]:
    with open_for_reading(db) as lib:
        return [(p.a.title or "", p.b.title or "") for p in find_dupes(lib, threshold)]


def test_normalisation_ignores_quotes_wrapping_and_case() -> None:
    assert normalise("\u201cYou\u2019re  LATE,\u201d\nshe\u2014said") == '"you\'re late," she-said'
    assert words("\u201cYou\u2019re late\u201d") == words('"you\'re\nLATE"') == ["you're", "late"]
    assert shingles(["a", "b"]) == {"a b"}
    assert len(shingles(list("abcdefg"))) == 3


def test_reformatted_repost_is_found_and_unrelated_fic_is_not(tmp_path: Path) -> None:
    db = _library(tmp_path, SALT_ROAD, SALT_ROAD_REPOST, EMBER_COURT)
    with open_for_reading(db) as lib:
        (pair,) = find_dupes(lib)
    assert {pair.a.title, pair.b.title} == {"The Salt Road", "Salt Road (repost)"}
    assert pair.jaccard == 1.0  # the author's notes and headers differ, the stories do not
    for side in (pair.a, pair.b):
        assert side.shared_fraction == 1.0
        assert side.shared_passages == side.passages == len(SALT_ROAD_BODY)
    # spans point at the story paragraphs of each fic
    analysis = ficlens.analyze(SALT_ROAD_REPOST, disable=["language"])
    side = pair.a if pair.a.title == "Salt Road (repost)" else pair.b
    start, end = side.spans[0]
    assert analysis.text[start:end].startswith("Ines walked the salt road")
    assert "\n" in analysis.text[start:end]  # re-wrapped lines, one passage


def test_changed_paragraph_is_not_counted_as_shared(tmp_path: Path) -> None:
    db = _library(tmp_path, SALT_ROAD, REWRITTEN)
    with open_for_reading(db) as lib:
        assert find_dupes(lib, 0.9) == []  # the rewrite moved it below 0.9
        (pair,) = find_dupes(lib, 0.6)
    assert 0.6 <= pair.jaccard < 0.9
    for side in (pair.a, pair.b):
        assert side.shared_passages == len(SALT_ROAD_BODY) - 1
        assert 0.7 < side.shared_fraction < 0.95


def test_story_inside_a_longer_work_is_found_by_chapter(tmp_path: Path) -> None:
    db = _library(tmp_path, SALT_ROAD, EMBER_COURT, COLLECTION)
    with open_for_reading(db) as lib:
        pairs = {(p.a.title, p.b.title): p for p in find_dupes(lib)}
    assert set(pairs) == {("Cinders", "Two Tales"), ("The Salt Road", "Two Tales")}
    salt = pairs[("The Salt Road", "Two Tales")]
    assert salt.containment == 1.0 and salt.jaccard < 0.8
    assert salt.a.shared_fraction == 1.0
    assert salt.b.chapters == [0]  # the collection's first chapter
    assert 0.6 < salt.b.shared_fraction < 0.75
    assert pairs[("Cinders", "Two Tales")].b.chapters == [1]


def test_story_that_is_a_small_part_of_a_long_work_is_found(tmp_path: Path) -> None:
    omnibus = (
        ffn("Omnibus", "magpie", "Mixed", "T", "none", "Ines")
        + "\n\n".join([*_filler(1, 15), *SALT_ROAD_BODY, *_filler(2, 15)])
        + "\n"
    )
    db = _library(tmp_path, SALT_ROAD, omnibus)
    with open_for_reading(db) as lib:
        (pair,) = find_dupes(lib)
    assert pair.jaccard < 0.15  # too small a part for whole-fic LSH at 0.8 x 0.25
    assert pair.containment == 1.0
    assert (pair.a.title, pair.b.title) == ("The Salt Road", "Omnibus")
    assert pair.b.shared_passages == len(SALT_ROAD_BODY)
    assert pair.b.shared_fraction < 0.15


def test_one_shared_sentence_is_not_a_repost(tmp_path: Path) -> None:
    line = "The bell in the harbour tower rang nine times, and then it rang once more for luck."
    first = ffn("One", "a", "F", "T", "x", "y") + "\n\n".join([*_filler(3, 4), line]) + "\n"
    second = ffn("Two", "b", "F", "T", "x", "y") + "\n\n".join([line, *_filler(4, 4)]) + "\n"
    db = _library(tmp_path, first, second)
    with open_for_reading(db) as lib:
        assert find_dupes(lib) == []
        (pair,) = find_dupes(lib, 0.05)  # at a very low threshold the shared line shows
    assert pair.a.shared_passages == pair.b.shared_passages == 1


def test_threshold_is_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        find_dupes(None, 0.0)  # type: ignore[arg-type]


def test_cli_dupes_table_and_json(tmp_path: Path) -> None:
    db = _library(tmp_path, SALT_ROAD, SALT_ROAD_REPOST, EMBER_COURT)
    result = runner.invoke(app, ["library", "dupes", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Salt Road (repost)" in result.stdout and "Cinders" not in result.stdout
    result = runner.invoke(app, ["library", "dupes", "--db", str(db), "--json"])
    data = json.loads(result.stdout)
    assert len(data) == 1 and data[0]["jaccard"] == 1.0
    assert data[0]["a"]["shared_fraction"] == 1.0
    missing = tmp_path / "none.duckdb"
    result = runner.invoke(app, ["library", "dupes", "--db", str(missing)])
    assert result.exit_code == 2 and "no library at" in result.output
