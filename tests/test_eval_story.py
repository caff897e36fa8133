"""Story-level gold fields (pov, tense, relationships, rating_hint): reading and scoring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ficlens.errors import GoldFormatError
from ficlens.eval.gold import GoldRelationship, read_gold
from ficlens.eval.story import score_story
from ficlens.model import Analysis, Character, Narrative, Relationship, Source, Tags, TagSuggestion

TEXT = "Nell met Tom at the gate. Later she wrote to her sister Ada."


def _write(tmp_path: Path, **extra: Any) -> Path:
    doc = {
        "id": "story_1",
        "source": "fanfic",
        "title": "Gate",
        "text": TEXT,
        "characters": [],
        "quotes": [],
        "mentions": [],
        **extra,
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    return path


def _analysis(**fields: Any) -> Analysis:
    cast = [
        Character(id="nell", name="Nell Ashby", aliases=["Nell"]),
        Character(id="tom", name="Tom Reyes", aliases=["Tom"]),
        Character(id="ada", name="Ada Ashby", aliases=["Ada"]),
    ]
    return Analysis(ficlens_version="t", source=Source(), text=TEXT, characters=cast, **fields)


def test_reads_story_fields_in_both_forms(tmp_path: Path) -> None:
    doc = next(
        read_gold(
            _write(
                tmp_path,
                pov={"person": "Third"},
                tense="past",
                relationships=["Nell/Tom", {"pair": ["Nell", "Ada"], "kind": "family"}],
                rating_hint="T",
            )
        )
    )
    assert doc.pov == "third" and doc.tense == "past"
    assert doc.relationships == [
        GoldRelationship(("Nell", "Tom"), "romantic"),
        GoldRelationship(("Nell", "Ada"), "family"),
    ]
    assert doc.rating_hint == "Teen And Up Audiences"


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("pov", "fourth", "'pov'"),
        ("tense", "future", "'tense'"),
        ("relationships", ["Nell"], "'relationships[0]'"),
        ("relationships", [{"pair": ["Nell"]}], "'relationships[0].pair'"),
        ("rating_hint", "PG-13", "'rating_hint'"),
    ],
)
def test_bad_story_fields_name_the_line_and_field(
    tmp_path: Path, field: str, value: object, complaint: str
) -> None:
    with pytest.raises(GoldFormatError) as failure:
        next(read_gold(_write(tmp_path, **{field: value})))
    assert f"gold.jsonl:1: field {complaint}:" in str(failure.value)


def test_records_without_story_fields_score_nothing(tmp_path: Path) -> None:
    doc = next(read_gold(_write(tmp_path)))
    assert not score_story(doc, _analysis(), {}).scored


def test_scores_person_tense_pairings_and_rating(tmp_path: Path) -> None:
    doc = next(
        read_gold(
            _write(
                tmp_path,
                pov="third",
                tense="present",
                relationships=["Nell Ashby/Tom Reyes", "Nell & Ada"],
                rating_hint="Mature",
            )
        )
    )
    analysis = _analysis(
        narrative=Narrative(person="third", tense="past"),
        relationships=[
            Relationship(pair=("nell", "tom"), kind="romantic", score=0.9),
            Relationship(pair=("ada", "nell"), kind="family", score=0.7),
        ],
        tags=Tags(rating=[TagSuggestion(tag="Explicit", confidence=0.6)]),
    )
    scores = score_story(doc, analysis, {})
    assert (scores.person.correct, scores.person.total) == (1, 1)
    assert (scores.tense.correct, scores.tense.total) == (0, 1)
    # Nell/Tom found; "Nell & Ada" is platonic in the gold but family in ours.
    assert (scores.relationships.correct, scores.relationships.total) == (1, 2)
    assert scores.main_pairing.correct == 1
    assert (scores.rating.correct, scores.rating_within_one.correct) == (0, 1)


def test_an_ex_on_top_loses_the_main_pairing(tmp_path: Path) -> None:
    doc = next(read_gold(_write(tmp_path, relationships=["Nell/Tom"])))
    analysis = _analysis(
        relationships=[
            Relationship(pair=("nell", "tom"), kind="romantic", score=0.4),
            Relationship(pair=("ada", "tom"), kind="romantic", score=0.8),
        ]
    )
    scores = score_story(doc, analysis, {})
    assert scores.relationships.correct == 1
    assert scores.main_pairing.correct == 0


def test_gold_ids_resolve_through_the_character_mapping(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        characters=[
            {"id": "1", "name": "Nell Ashby", "aliases": ["Nell"]},
            {"id": "2", "name": "Tom Reyes", "aliases": ["Tom"]},
        ],
        relationships=[{"pair": ["1", "2"], "kind": "romantic"}],
    )
    doc = next(read_gold(path))
    analysis = _analysis(
        relationships=[Relationship(pair=("tom", "nell"), kind="romantic", score=1)]
    )
    assert score_story(doc, analysis, {"nell": "1", "tom": "2"}).main_pairing.correct == 1
    assert score_story(doc, analysis, {"nell": "1"}).relationships.correct == 0


def test_cli_shows_story_columns_only_for_records_that_have_them(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ficlens.cli import app

    plain = _write(tmp_path)
    result = CliRunner().invoke(app, ["eval", str(plain)])
    assert result.exit_code == 0, result.output
    assert "main pair" not in result.output
    (tmp_path / "gold.jsonl").unlink()
    story = _write(tmp_path, pov="third", tense="past")
    result = CliRunner().invoke(app, ["eval", str(story)])
    assert result.exit_code == 0, result.output
    assert "person" in result.output and "main pair" in result.output
    result = CliRunner().invoke(app, ["eval", str(story), "--json"])
    total = json.loads(result.output)["total"]
    assert total["person_accuracy"]["n"] == 1 and total["rating_accuracy"]["n"] == 0
