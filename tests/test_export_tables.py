"""Flat CSV/Parquet tables: one row per item, fic ids, typed empty tables, CSV escaping."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ficlens.export import SCHEMAS, TABLES, fic_id, write_tables
from ficlens.ingest import read_text
from ficlens.model import (
    Analysis,
    Chapter,
    Character,
    Evidence,
    Mention,
    Metadata,
    Pov,
    Quote,
    Scene,
    Segment,
    Source,
    Tags,
    TagSuggestion,
)
from ficlens.pipeline import Options, run_document

# Original fixture text. The quote holds a comma, double quotes and a newline.
TEXT_A = (
    "Chapter 1: Rain, Again\n\n"
    'Nadia looked up. "Kai, say ""hello"", then\nleave," she said.\n\n'
    "Kai didn't move.\n"
)
TEXT_B = "A short, quiet piece with nobody in it.\n"
SHA_A = "a" * 64


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def analysis_a() -> Analysis:
    heading = _span(TEXT_A, "Chapter 1: Rain, Again")
    story = (heading[1] + 2, len(TEXT_A) - 1)
    quote = _span(TEXT_A, '"Kai, say ""hello"", then\nleave,"')
    nadia, kai, she = _span(TEXT_A, "Nadia"), _span(TEXT_A, "Kai didn"), _span(TEXT_A, "she")
    return Analysis(
        ficlens_version="test",
        source=Source(path="a.txt", sha256=SHA_A),
        text=TEXT_A,
        metadata=Metadata(
            title="Rain, Again",
            authors=["inkwell", "co-author"],
            fandoms=["Original Work"],
            relationships=["Kai/Nadia"],
            additional_tags=["Fluff"],
        ),
        segments=[
            Segment(start=heading[0], end=heading[1], kind="chapter_heading"),
            Segment(start=story[0], end=story[1], kind="story"),
        ],
        chapters=[Chapter(index=0, number=1, title="Rain, Again", start=0, end=len(TEXT_A))],
        scenes=[
            Scene(
                index=0,
                chapter=0,
                start=story[0],
                end=story[1],
                pov=Pov(person="third", focal=["nadia", "kai"]),
                tense="past",
            )
        ],
        characters=[
            Character(id="nadia", name="Nadia", gender="female", mention_count=2, quote_count=1),
            Character(id="kai", name="Kai", aliases=["K", "Kai-kun"], canon=True),
        ],
        mentions=[
            Mention(start=nadia[0], end=nadia[1], character="nadia", kind="name"),
            Mention(start=kai[0], end=kai[0] + 3, character="kai", kind="name"),
            Mention(start=she[0], end=she[1], character="nadia", kind="pronoun"),
        ],
        quotes=[
            Quote(
                start=quote[0],
                end=quote[1],
                speaker="nadia",
                addressees=["kai"],
                type="explicit",
                confidence=0.75,
            ),
            Quote(start=quote[0], end=quote[0] + 5, speaker=None),
        ],
        tags=Tags(
            relationships=[
                TagSuggestion(
                    tag="kai/nadia",
                    confidence=0.8,
                    evidence=[Evidence(start=quote[0], end=quote[1], cue="say hello")],
                )
            ],
            warnings=[TagSuggestion(tag="No Archive Warnings Apply", confidence=0.6)],
        ),
    )


def analysis_b() -> Analysis:
    return Analysis(
        ficlens_version="test",
        source=Source(),
        text=TEXT_B,
        segments=[Segment(start=0, end=len(TEXT_B) - 1, kind="story")],
    )


@pytest.fixture
def written(tmp_path: Path) -> Path:
    write_tables([analysis_a(), analysis_b()], tmp_path, ["csv", "parquet"])
    return tmp_path


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_fic_id_prefers_the_input_hash() -> None:
    assert fic_id(analysis_a()) == SHA_A
    assert fic_id(analysis_b()) == hashlib.sha256(TEXT_B.encode()).hexdigest()


def test_one_file_per_table_and_format(written: Path) -> None:
    names = sorted(p.name for p in written.iterdir())
    assert names == sorted(f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet"))
    assert {"quotes", "characters", "mentions", "segments", "tags", "chapters", "scenes"} <= set(
        TABLES
    )


def test_parquet_schemas_and_rows(written: Path) -> None:
    for name in TABLES:
        table = pq.read_table(written / f"{name}.parquet")
        assert table.schema.equals(SCHEMAS[name]), name
        csv_rows = _csv(written / f"{name}.csv")
        assert table.num_rows == len(csv_rows), name
        header = (written / f"{name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == SCHEMAS[name].names, name
    fics = pq.read_table(written / "fics.parquet").to_pylist()
    assert [f["fic_id"] for f in fics] == [SHA_A, fic_id(analysis_b())]
    assert fics[0]["authors"] == ["inkwell", "co-author"] and fics[1]["title"] is None


def test_quotes_table(written: Path) -> None:
    rows = pq.read_table(written / "quotes.parquet").to_pylist()
    assert len(rows) == 2 and {r["fic_id"] for r in rows} == {SHA_A}
    first = rows[0]
    assert first["speaker"] == "nadia" and first["speaker_name"] == "Nadia"
    assert first["addressees"] == ["kai"] and first["type"] == "explicit"
    assert first["confidence"] == pytest.approx(0.75)
    assert first["text"] == '"Kai, say ""hello"", then\nleave,"'
    assert rows[1]["speaker"] is None and rows[1]["speaker_name"] is None
    assert rows[1]["addressees"] == [] and rows[1]["type"] is None


def test_csv_round_trips_commas_quotes_and_newlines(written: Path) -> None:
    quotes = _csv(written / "quotes.csv")
    assert quotes[0]["text"] == '"Kai, say ""hello"", then\nleave,"'
    assert quotes[0]["addressees"] == "kai" and quotes[1]["addressees"] == ""
    assert quotes[1]["speaker"] == "" and quotes[0]["confidence"] == "0.75"
    segments = _csv(written / "segments.csv")
    by_fic = [s["fic_id"] for s in segments]
    assert by_fic == [SHA_A, SHA_A, fic_id(analysis_b())]
    for s in segments[:2]:
        assert TEXT_A[int(s["start"]) : int(s["end"])] == s["text"]
    assert segments[0]["text"] == "Chapter 1: Rain, Again"
    characters = _csv(written / "characters.csv")
    assert characters[1]["aliases"] == "K;Kai-kun" and characters[1]["canon"] == "true"
    assert characters[0]["canon"] == "false"


def test_mentions_scenes_chapters(written: Path) -> None:
    mentions = pq.read_table(written / "mentions.parquet").to_pylist()
    assert [(m["text"], m["character_name"], m["kind"]) for m in mentions] == [
        ("Nadia", "Nadia", "name"),
        ("Kai", "Kai", "name"),
        ("she", "Nadia", "pronoun"),
    ]
    scenes = pq.read_table(written / "scenes.parquet").to_pylist()
    assert scenes[0]["pov_focal"] == ["nadia", "kai"] and scenes[0]["tense"] == "past"
    assert _csv(written / "scenes.csv")[0]["pov_focal"] == "nadia;kai"
    chapters = pq.read_table(written / "chapters.parquet").to_pylist()
    assert chapters == [
        {
            "fic_id": SHA_A,
            "index": 0,
            "number": 1,
            "title": "Rain, Again",
            "start": 0,
            "end": len(TEXT_A),
        }
    ]


def test_tags_mark_declared_and_keep_declared_only(written: Path) -> None:
    rows = pq.read_table(written / "tags.parquet").to_pylist()
    got = {(r["field"], r["tag"]): r for r in rows}
    rel = got["relationships", "kai/nadia"]
    assert rel["suggested"] and rel["declared"]  # case-insensitive match with Kai/Nadia
    assert rel["confidence"] == pytest.approx(0.8) and rel["evidence"] == 1
    warn = got["warnings", "No Archive Warnings Apply"]
    assert warn["suggested"] and not warn["declared"]
    fluff = got["additional", "Fluff"]
    assert not fluff["suggested"] and fluff["declared"] and fluff["confidence"] is None
    assert ("relationships", "Kai/Nadia") not in got  # already matched by the suggestion
    assert ("fandoms", "Original Work") in got
    assert _csv(written / "tags.csv")[0]["declared"] in ("true", "false")


def test_empty_tables_are_typed(tmp_path: Path) -> None:
    write_tables([analysis_b()], tmp_path, ["parquet", "csv"])
    for name in ("characters", "mentions", "quotes", "tags", "chapters", "scenes"):
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.num_rows == 0 and table.schema.equals(SCHEMAS[name])
        header = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        assert header == ",".join(SCHEMAS[name].names) + "\n"
    quotes = pq.read_table(tmp_path / "quotes.parquet").schema
    assert quotes.field("addressees").type == pa.list_(pa.string())
    assert quotes.field("confidence").type == pa.float64()


def test_no_analyses_still_gives_every_table(tmp_path: Path) -> None:
    paths = write_tables([], tmp_path, {"csv"})
    assert sorted(p.name for p in paths) == sorted(f"{t}.csv" for t in TABLES)


def test_formats_and_table_selection(tmp_path: Path) -> None:
    paths = write_tables([analysis_a()], tmp_path, ["csv"], tables=["quotes"])
    assert [p.name for p in paths] == ["quotes.csv"]
    with pytest.raises(ValueError, match="xlsx"):
        write_tables([analysis_a()], tmp_path, ["xlsx"])
    with pytest.raises(ValueError):
        write_tables([analysis_a()], tmp_path, [])


def test_real_pipeline_run(tmp_path: Path) -> None:
    text = "A/N: Hi, all!\n\nMara ran. “Wait,” Ilya called.\n\n* * *\n\nThey sat by the fire.\n"
    options = Options(disable=frozenset({"language", "characters", "dialogue"}))
    analysis = run_document(read_text(text), options).analysis
    write_tables([analysis], tmp_path, ["csv", "parquet"])
    segments = pq.read_table(tmp_path / "segments.parquet").to_pylist()
    assert [s["kind"] for s in segments] == [s.kind for s in analysis.segments]
    assert all(text[s["start"] : s["end"]] == s["text"] for s in segments)
    assert {s["fic_id"] for s in segments} == {fic_id(analysis)}
    assert _csv(tmp_path / "segments.csv") == [{k: str(v) for k, v in s.items()} for s in segments]


def test_tags_agree_with_shortened_declared_names_as_the_report_does() -> None:
    from ficlens.export.tables import table_rows

    a = analysis_a()
    a.metadata.characters = ["Nadia"]
    a.metadata.relationships = ["Nadia/Kai"]
    a.tags.characters = [TagSuggestion(tag="Nadia Reyes", confidence=0.9)]
    a.tags.relationships = [TagSuggestion(tag="Kai Tan/Nadia Reyes", confidence=0.7)]
    rows = {(r["field"], r["tag"]): r for r in table_rows("tags", [a])}
    assert rows["characters", "Nadia Reyes"]["declared"]
    assert rows["relationships", "Kai Tan/Nadia Reyes"]["declared"]
    # the declared short forms matched a suggestion, so they get no declared-only row
    assert ("characters", "Nadia") not in rows and ("relationships", "Nadia/Kai") not in rows
