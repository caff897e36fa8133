"""Full-text search with filters, snippets and the `library search` command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import ficlens
from ficlens.cli import app
from ficlens.library import Filters, Library, open_for_reading, search
from ficlens.library.search import Query, rating_class, snippet
from ficlens.model import Character, Narrative, Relationship

from .library_fics import EMBER_COURT, SALT_ROAD, SALT_ROAD_REPOST

runner = CliRunner()

LANTERN = (
    "Title: Lantern Hours\nAuthor: mothwing\nFandom: Lamplighters\nRating: General Audiences\n\n"
    "I carry the lantern up the hill. The lantern sputters, and I shield the lantern with my "
    "coat while Pell laughs at me from the gate.\n"
)


def _store(lib: Library, text: str, **layers: object) -> str:
    analysis = ficlens.analyze(text, disable=["language"])
    for name, value in layers.items():
        setattr(analysis, name, value)
    lib.store(analysis, None)
    from ficlens.export import fic_id

    return fic_id(analysis)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("lib") / "lib.duckdb"
    with Library.open(path, create=True) as lib:
        _store(lib, SALT_ROAD)
        _store(lib, SALT_ROAD_REPOST)
        _store(lib, EMBER_COURT)
        _store(
            lib,
            LANTERN,
            characters=[Character(id="c0", name="Pell Ashdown", aliases=["Pip"])],
            relationships=[Relationship(pair=("c0", "narrator"), kind="romantic", score=0.6)],
            narrative=Narrative(person="first", tense="present"),
        )
        lib.refresh_index()
    yield path


def _titles(db: Path, query: str | None = None, **filters: Any) -> list[str]:
    with open_for_reading(db) as lib:
        return [h.title or "" for h in search(lib, query, Filters(**filters))]


SALTS = ["Salt Road (repost)", "The Salt Road"]


def test_text_query_is_conjunctive_stemmed_and_story_only(db: Path) -> None:
    assert _titles(db, "volcano") == ["Cinders"]
    assert sorted(_titles(db, "beacon council")) == SALTS
    assert _titles(db, "beacon volcano") == []
    assert sorted(_titles(db, "creaking carts")) == SALTS
    assert _titles(db, "beta") == []  # only in an author's note
    assert _titles(db, "Ember") == ["Cinders"]  # in the story, not only the fandom line


def test_stop_words_only_are_matched_word_for_word(db: Path) -> None:
    with open_for_reading(db) as lib:
        hits = search(lib, "said")
    # most occurrences first (four in the salt roads, one in Cinders), then by title
    assert [h.title for h in hits] == ["Salt Road (repost)", "The Salt Road", "Cinders"]
    assert all(h.score is None for h in hits)
    assert [hits[2].snippet[a:b] for a, b in hits[2].highlights] == ["said"]
    assert sorted(_titles(db, "you're")) == SALTS  # straight or curly apostrophe in the text
    assert _titles(db, "said", fandom="ember") == ["Cinders"]


def test_phrases_must_occur_as_written(db: Path) -> None:
    assert sorted(_titles(db, '"grey water"')) == SALTS
    assert _titles(db, '"water grey"') == []
    assert sorted(_titles(db, "\u201cyou\u2019re late\u201d")) == SALTS
    with open_for_reading(db) as lib:
        hits = search(lib, '"you\'re late"')
    assert len(hits) == 2
    for hit in hits:  # the phrase is highlighted in straight and curly text alike
        a, b = hit.highlights[0]
        assert hit.snippet[a:b].lower() in ("you're late", "you\u2019re late")


def test_bm25_ranks_the_denser_match_first(db: Path) -> None:
    with open_for_reading(db) as lib:
        hits = search(lib, "lantern")
    assert hits[0].title == "Lantern Hours"
    assert hits[0].score is not None and hits[1].score is not None
    assert hits[0].score > hits[1].score


def test_each_filter(db: Path) -> None:
    assert _titles(db, fandom="ember") == ["Cinders"]
    assert _titles(db, rating="mature") == ["Cinders"]
    assert _titles(db, rating="M") == ["Cinders"]
    assert _titles(db, rating="teen") == SALTS
    assert _titles(db, rating="G") == ["Lantern Hours"]
    assert _titles(db, pairing="corwin/ines") == SALTS
    assert _titles(db, pairing="Ines & Corwin") == SALTS
    assert _titles(db, pairing="Vell/Ines") == []
    assert _titles(db, pairing="Pell/narrator") == ["Lantern Hours"]  # detected, not declared
    assert _titles(db, character="marrow") == SALTS
    assert _titles(db, character="Pip") == ["Lantern Hours"]  # a detected alias
    assert _titles(db, tag="sarai") == ["Cinders"]
    assert _titles(db, pov="first") == ["Lantern Hours"]
    assert _titles(db, pov="3rd") == []
    assert _titles(db, tense="present") == ["Lantern Hours"]
    assert _titles(db, min_words=100) == SALTS
    assert sorted(_titles(db, "lantern", rating="teen")) == SALTS
    assert _titles(db, "lantern", fandom="tidewater", min_words=1000) == []


def test_pov_and_tense_from_scenes(tmp_path: Path) -> None:
    path = tmp_path / "lib.duckdb"
    analysis = ficlens.analyze(EMBER_COURT, disable=["language"])
    assert analysis.scenes  # the structure stage found the scene
    analysis.scenes[0].pov.person = "second"
    analysis.scenes[0].tense = "past"
    with Library.open(path, create=True) as lib:
        lib.store(analysis, None)
        lib.refresh_index()
    assert _titles(path, pov="2nd") == ["Cinders"]
    assert _titles(path, tense="past") == ["Cinders"]
    assert _titles(path, pov="first") == []


def test_bad_filter_values_are_clear_errors(db: Path) -> None:
    from ficlens.errors import LibraryError

    with pytest.raises(LibraryError, match="point of view"):
        _titles(db, pov="fourth")
    with pytest.raises(LibraryError, match="tense"):
        _titles(db, tense="future")


def test_limit_and_listing_without_query(db: Path) -> None:
    assert _titles(db) == ["Cinders", "Lantern Hours", "Salt Road (repost)", "The Salt Road"]
    with open_for_reading(db) as lib:
        assert len(search(lib, None, limit=2)) == 2
        assert len(search(lib, "lantern", limit=1)) == 1


def test_snippet_marks_the_matches() -> None:
    text = "Far away. " * 30 + "The beacon burned while the council slept. " + "More. " * 40
    snip, spans = snippet(text, Query.parse("beacons council").words)
    assert [snip[a:b] for a, b in spans] == ["beacon", "council"]
    assert snip.startswith("…") and snip.endswith("…")
    assert len(snip) <= 200
    assert "  " not in snip


def test_rating_scale() -> None:
    assert rating_class("Teen And Up Audiences") == rating_class("T") == "teen"
    assert rating_class("Fiction MA") == rating_class("Explicit") == "explicit"
    assert rating_class("K+") == "general"


def test_stale_index_is_rebuilt_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "lib.duckdb"
    with Library.open(path, create=True) as lib:
        _store(lib, EMBER_COURT)  # stored, but the add was "interrupted" before indexing
        assert lib.fts_stale()
    assert _titles(path, "volcano") == ["Cinders"]


def test_cli_search_table_and_json(db: Path) -> None:
    result = runner.invoke(app, ["library", "search", "volcano", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Cinders" in result.stdout and "volcano" in result.stdout
    result = runner.invoke(
        app, ["library", "search", "lantern", "--db", str(db), "--rating", "teen", "--json"]
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert sorted(h["title"] for h in hits) == SALTS
    first = hits[0]
    assert first["fandoms"] == ["Tidewater Chronicles"]
    assert [first["snippet"][a:b].lower() for a, b in first["highlights"]] == ["lantern"]


def test_cli_search_without_library_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = runner.invoke(app, ["library", "search", "x", "--db", str(missing)])
    assert result.exit_code == 2
    assert f"no library at {missing}" in result.output
    assert "ficlens library add" in result.output
    assert not missing.exists()
