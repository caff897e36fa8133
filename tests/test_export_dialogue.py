"""Exports on real characters and dialogue output (the short fic of tests/dialogue_fic)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ficlens.export import write_booknlp, write_tables
from ficlens.model import Analysis
from tests.dialogue_fic import NOT_SPEECH, analysed


@pytest.fixture(scope="module")
def booknlp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    analysis, language = analysed()
    out = tmp_path_factory.mktemp("booknlp")
    write_booknlp(analysis, language, out, "fic")
    return out


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def book(booknlp: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((booknlp / "fic.book").read_text(encoding="utf-8"))
    return data


def _coref(book: dict[str, Any], name: str) -> int:
    return int(next(c["id"] for c in book["characters"] if c["name"] == name))


def test_quotes_list_speech_only_with_the_right_char_ids(
    booknlp: Path, book: dict[str, Any]
) -> None:
    analysis = analysed()[0]
    rows = _tsv(booknlp / "fic.quotes")
    assert len(rows) == sum(q.speech for q in analysis.quotes) == 7
    for words in NOT_SPEECH:  # a scare quote and a title are not dialogue
        assert all(words.strip('"') not in r["quote"] for r in rows)
    by_text = {r["quote"]: r for r in rows}
    marta, tomas, narrator = (_coref(book, n) for n in ("Marta", "Tomas", "Narrator"))
    assert by_text['" You \'re late , "']["char_id"] == str(marta)
    assert by_text['" The tide was wrong , "']["char_id"] == str(narrator)
    assert by_text['" Tomas , come and help us , "']["char_id"] == str(marta)
    assert by_text['" I \'m coming , Marta . "']["char_id"] == str(tomas)


def test_quote_mention_is_the_speakers_tag_near_the_quotation(booknlp: Path) -> None:
    rows = {r["quote"]: r for r in _tsv(booknlp / "fic.quotes")}
    late = rows['" You \'re late , "']
    assert late["mention_phrase"] == "Marta"  # '"You're late," Marta said'
    assert int(late["mention_start"]) == int(late["quote_end"]) + 1
    tide = rows['" The tide was wrong , "']
    assert tide["mention_phrase"] == "I"  # '"The tide was wrong," I said'
    assert int(tide["mention_start"]) == int(tide["quote_end"]) + 1


def test_quote_mentions_are_entities_of_the_same_character(booknlp: Path) -> None:
    entities = {(e["start_token"], e["end_token"]): e for e in _tsv(booknlp / "fic.entities")}
    for q in _tsv(booknlp / "fic.quotes"):
        if q["char_id"] == "None":
            assert q["mention_start"] == "None"
            continue
        entity = entities[(q["mention_start"], q["mention_end"])]
        assert entity["COREF"] == q["char_id"]
        assert entity["text"] == q["mention_phrase"]


def test_book_ids_counts_and_gender_match_the_entities(booknlp: Path, book: dict[str, Any]) -> None:
    entities = _tsv(booknlp / "fic.entities")
    analysis = analysed()[0]
    assert {c["id"] for c in book["characters"]} == set(range(1, len(analysis.characters) + 1))
    for c in book["characters"]:
        assert c["count"] == sum(e["COREF"] == str(c["id"]) for e in entities)
    marta = next(c for c in book["characters"] if c["name"] == "Marta")
    assert marta["g"]["argmax"] == "she/her"
    assert marta["g"]["total"] >= 2  # "She set her basket down", "She called"
    assert marta["g"]["inference"]["she/her"] == 1.0


def test_the_narrator_has_one_id_across_the_files(booknlp: Path, book: dict[str, Any]) -> None:
    narrators = [c for c in book["characters"] if c["narrator"]]
    assert [c["name"] for c in narrators] == ["Narrator"]
    coref = str(narrators[0]["id"])
    first_person = [e for e in _tsv(booknlp / "fic.entities") if e["text"] in ("I", "My")]
    narration = [e for e in first_person if e["COREF"] == coref]
    assert len(narration) >= 4  # I waited, My hands, I said, I nodded, I listened
    pronouns = {m["n"] for m in narrators[0]["mentions"]["pronoun"]}
    assert {"I", "My"} <= pronouns


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    write_tables([analysed()[0]], out, formats=("csv", "parquet"))
    return out


def test_tables_carry_speech_canon_narrator_and_confidence(tables: Path) -> None:
    analysis: Analysis = analysed()[0]
    quotes = pq.read_table(tables / "quotes.parquet")
    assert quotes.schema.field("speech").type == pa.bool_()
    assert quotes.schema.field("confidence").type == pa.float64()
    rows = quotes.to_pylist()
    assert [r["speech"] for r in rows] == [q.speech for q in analysis.quotes]
    assert {r["text"] for r in rows if not r["speech"]} == set(NOT_SPEECH)
    assert all(r["speaker"] is None for r in rows if not r["speech"])

    characters = pq.read_table(tables / "characters.parquet")
    for name, kind in (("canon", pa.bool_()), ("ao3_tag", pa.string()), ("narrator", pa.bool_())):
        assert characters.schema.field(name).type == kind
    flagged = [r["name"] for r in characters.to_pylist() if r["narrator"]]
    assert flagged == ["Narrator"]

    mentions = pq.read_table(tables / "mentions.parquet").to_pylist()
    inside = {(r["text"], r["in_quote"]) for r in mentions}
    assert ("Marta", True) in inside  # "I'm coming, Marta."
    assert ("Marta", False) in inside  # Marta laughed.

    with (tables / "quotes.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:5] == ["fic_id", "start", "end", "speech", "speaker"]


def test_quote_mentions_come_from_narration_not_other_quotations(booknlp: Path) -> None:
    """BookNLP's speaker mention is the tag in the narration ("Marta said"), never a
    vocative or pronoun inside someone else's quotation."""
    rows = _tsv(booknlp / "fic.quotes")
    spans = [(int(r["quote_start"]), int(r["quote_end"])) for r in rows]
    for r in rows:
        if r["mention_start"] == "None":
            continue
        m = int(r["mention_start"])
        own = int(r["quote_start"]) <= m <= int(r["quote_end"])
        others = [
            s
            for s in spans
            if s[0] <= m <= s[1] and s != (int(r["quote_start"]), int(r["quote_end"]))
        ]
        assert own or not others, r
