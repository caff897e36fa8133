"""BookNLP-compatible export: headers, ids, offsets on non-ASCII text, round trips."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from ficlens.errors import FicError
from ficlens.export import language_for, read_tokens, write_booknlp
from ficlens.export.tokens import TokenRow
from ficlens.ingest import read_text
from ficlens.language import LanguageLayer, LanguageStage
from ficlens.model import Analysis, Character, Mention, MentionKind, Quote
from ficlens.pipeline import Options, run_document
from ficlens.structure import StructureStage

# Original fixture text: an author's note (paratext), curly quotes, accents, emoji, a
# scene break, several paragraphs.
TEXT = (
    "A/N: Merci to Zoë for the beta! 💜 I own nothing.\n\n"
    "“Where’s the café?” Amélie asked. Théo shrugged and pointed north 🧭.\n\n"
    "She laughed at him. Her umbrella was bright and yellow.\n\n"
    "“You’re hopeless,” she said, “but I like you.”\n\n"
    "* * *\n\n"
    "Later, Théo wrote to her: ‘Sorry about the café.’ Nobody answered.\n"
)
HEADER = (
    "paragraph_ID\tsentence_ID\ttoken_ID_within_sentence\ttoken_ID_within_document\tword\t"
    "lemma\tbyte_onset\tbyte_offset\tPOS_tag\tfine_POS_tag\tdependency_relation\t"
    "syntactic_head_ID\tevent"
)


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``needle`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture(scope="module")
def parsed() -> tuple[Analysis, LanguageLayer]:
    later = frozenset({"quotes", "characters", "dialogue"})
    doc = run_document(read_text(TEXT), Options(disable=later))
    layer = doc.layers["language"]
    assert isinstance(layer, LanguageLayer)
    return doc.analysis, layer


def _with_people(analysis: Analysis) -> Analysis:
    """The analysis plus hand-made characters, mentions and quotes (later stages' job)."""
    text = analysis.text
    a = analysis.model_copy(deep=True)
    a.characters = [
        Character(id="amelie", name="Amélie", gender="female"),
        Character(id="theo", name="Théo", gender="male"),
    ]

    def mention(needle: str, who: str, kind: MentionKind, nth: int = 0) -> Mention:
        s, e = _at(text, needle, nth)
        return Mention(start=s, end=e, character=who, kind=kind)

    a.mentions = [
        mention("Zoë", "amelie", "name"),  # paratext: not on any token, so dropped
        mention("Amélie", "amelie", "name"),
        mention("Théo", "theo", "name"),
        mention("She", "amelie", "pronoun"),
        mention("him", "theo", "pronoun"),
        mention("Her", "amelie", "pronoun"),
        mention("she", "amelie", "pronoun"),
        mention("Théo", "theo", "name", nth=1),
        mention("her", "amelie", "pronoun", nth=1),
    ]
    q1, q2, q3 = (
        _at(text, "“Where’s the café?”"),
        _at(text, "“You’re hopeless,”"),
        _at(text, "‘Sorry about the café.’"),
    )
    a.quotes = [
        Quote(start=q1[0], end=q1[1], speaker="amelie", type="explicit", confidence=0.9),
        Quote(start=q2[0], end=q2[1], speaker="amelie", addressees=["theo"], type="explicit"),
        Quote(start=q3[0], end=q3[1], speaker=None),
    ]
    return a


def _tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n")[:-1]]


# --------------------------------------------------------------------------- .tokens


def test_tokens_header_and_files(parsed: tuple[Analysis, LanguageLayer], tmp_path: Path) -> None:
    analysis, layer = parsed
    paths = write_booknlp(analysis, layer, tmp_path, "fic")
    assert [p.name for p in paths] == ["fic.tokens", "fic.entities", "fic.quotes", "fic.book"]
    assert paths[0].read_text(encoding="utf-8").split("\n")[0] == HEADER


def test_token_offsets_are_code_points_like_booknlp(
    parsed: tuple[Analysis, LanguageLayer], tmp_path: Path
) -> None:
    analysis, layer = parsed
    rows = read_tokens(write_booknlp(analysis, layer, tmp_path, "fic")[0])
    words = {r.word for r in rows}
    assert {"café", "Amélie", "🧭", "“", "’s"} <= words
    for r in rows:
        assert analysis.text[r.byte_onset : r.byte_offset] == r.word


def test_token_offsets_as_utf8_bytes(
    parsed: tuple[Analysis, LanguageLayer], tmp_path: Path
) -> None:
    analysis, layer = parsed
    rows = read_tokens(write_booknlp(analysis, layer, tmp_path, "fic", offsets="bytes")[0])
    data = analysis.text.encode("utf-8")
    for r in rows:
        assert data[r.byte_onset : r.byte_offset].decode("utf-8") == r.word
    emoji = next(r for r in rows if r.word == "🧭")
    assert emoji.byte_offset - emoji.byte_onset == 4
    # Before the first token lie the note's "ë" (2 bytes) and "💜" (4 bytes).
    assert rows[0].byte_onset == analysis.text.index("“") + 1 + 3


def test_tokens_cover_story_text_only(
    parsed: tuple[Analysis, LanguageLayer], tmp_path: Path
) -> None:
    analysis, layer = parsed
    rows = read_tokens(write_booknlp(analysis, layer, tmp_path, "fic")[0])
    story = [(s.start, s.end) for s in analysis.segments if s.kind == "story"]
    for r in rows:
        assert any(s <= r.byte_onset and r.byte_offset <= e for s, e in story)
    assert "Zoë" not in {r.word for r in rows} and "*" not in {r.word for r in rows}


def test_ids_are_booknlp_numbering(parsed: tuple[Analysis, LanguageLayer], tmp_path: Path) -> None:
    analysis, layer = parsed
    rows = read_tokens(write_booknlp(analysis, layer, tmp_path, "fic")[0])
    assert [r.token_ID_within_document for r in rows] == list(range(len(rows)))
    assert rows[0].sentence_ID == 0 and rows[0].paragraph_ID == 0
    for a, b in pairwise(rows):
        assert b.sentence_ID - a.sentence_ID in (0, 1)
        assert b.paragraph_ID - a.paragraph_ID in (0, 1)
        if b.sentence_ID == a.sentence_ID:
            assert b.token_ID_within_sentence == a.token_ID_within_sentence + 1
        else:
            assert b.token_ID_within_sentence == 0
    for r in rows:
        assert 0 <= r.syntactic_head_ID < len(rows)
        assert rows[r.syntactic_head_ID].sentence_ID == r.sentence_ID
        assert r.event == "O"
        if r.dependency_relation == "ROOT":
            assert r.syntactic_head_ID == r.token_ID_within_document


def test_paragraph_ids_follow_blank_lines(
    parsed: tuple[Analysis, LanguageLayer], tmp_path: Path
) -> None:
    analysis, layer = parsed
    rows = read_tokens(write_booknlp(analysis, layer, tmp_path, "fic")[0])
    firsts = {r.paragraph_ID: r.word for r in reversed(rows)}  # first word per paragraph
    assert firsts == {0: "“", 1: "She", 2: "“", 3: "Later"}
    assert len(firsts) == analysis.stats.paragraphs
    assert rows[-1].sentence_ID + 1 == analysis.stats.sentences


def test_ids_stay_global_across_chunks(tmp_path: Path) -> None:
    fic = read_text(TEXT)
    doc = run_document(fic, stages=[StructureStage(), LanguageStage(chunk_chars=80)])
    layer = doc.layers["language"]
    assert len(layer.chunks) > 3
    rows = read_tokens(write_booknlp(doc.analysis, layer, tmp_path, "fic")[0])
    assert [r.token_ID_within_document for r in rows] == list(range(len(rows)))
    assert [r.sentence_ID for r in rows] == sorted(r.sentence_ID for r in rows)
    for r in rows:
        assert TEXT[r.byte_onset : r.byte_offset] == r.word
        assert rows[r.syntactic_head_ID].sentence_ID == r.sentence_ID


def test_read_tokens_round_trip(parsed: tuple[Analysis, LanguageLayer], tmp_path: Path) -> None:
    analysis, layer = parsed
    path = write_booknlp(analysis, layer, tmp_path, "fic")[0]
    rows = read_tokens(path)
    lines = _tsv(path)[1:]
    assert len(rows) == len(lines)
    assert all(isinstance(r, TokenRow) and isinstance(r.byte_onset, int) for r in rows)
    assert [[str(v) for v in r] for r in rows] == lines


def test_read_tokens_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.tokens"
    path.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        read_tokens(path)


# ------------------------------------------------------------- .entities / .quotes / .book


def test_entities_rows(parsed: tuple[Analysis, LanguageLayer], tmp_path: Path) -> None:
    analysis = _with_people(parsed[0])
    paths = write_booknlp(analysis, parsed[1], tmp_path, "fic")
    words = [r.word for r in read_tokens(paths[0])]
    rows = _tsv(paths[1])
    assert rows[0] == ["COREF", "start_token", "end_token", "prop", "cat", "text"]
    body = rows[1:]
    assert len(body) == 8  # the paratext mention of Zoë has no tokens
    assert [r[0] for r in body] == ["1", "2", "1", "2", "1", "1", "2", "1"]
    assert [r[3] for r in body] == ["PROP", "PROP", "PRON", "PRON", "PRON", "PRON", "PROP", "PRON"]
    assert {r[4] for r in body} == {"PER"}
    for _coref, start, end, _prop, _cat, text in body:
        assert " ".join(words[int(start) : int(end) + 1]) == text
    assert [r[5] for r in body][:2] == ["Amélie", "Théo"]
    starts = [int(r[1]) for r in body]
    assert starts == sorted(starts)


def test_quotes_rows(parsed: tuple[Analysis, LanguageLayer], tmp_path: Path) -> None:
    analysis = _with_people(parsed[0])
    paths = write_booknlp(analysis, parsed[1], tmp_path, "fic")
    words = [r.word for r in read_tokens(paths[0])]
    rows = _tsv(paths[2])
    assert rows[0] == [
        "quote_start",
        "quote_end",
        "mention_start",
        "mention_end",
        "mention_phrase",
        "char_id",
        "quote",
    ]
    first, second, third = rows[1:]
    # quote spans are inclusive token ids that include the quotation marks
    q_start, q_end = int(first[0]), int(first[1])
    assert words[q_start] == "“" and words[q_end] == "”"
    assert first[6] == " ".join(words[q_start : q_end + 1]) == "“ Where ’s the café ? ”"
    # the speaker's nearest mention outside the quote: "Amélie" right after it
    assert first[2] == first[3] and words[int(first[2])] == "Amélie"
    assert first[4:6] == ["Amélie", "1"]
    # "“You’re hopeless,” she said": the nearest Amélie mention is "she"
    assert words[int(second[2])] == "she" and second[4:6] == ["she", "1"]
    # an unattributed quote: BookNLP writes Python's None
    assert third[2:6] == ["None", "None", "None", "None"]
    assert words[int(third[0])] == "‘" and words[int(third[1])] == "’"


def test_book_json(parsed: tuple[Analysis, LanguageLayer], tmp_path: Path) -> None:
    analysis = _with_people(parsed[0])
    paths = write_booknlp(analysis, parsed[1], tmp_path, "fic")
    words = [r.word for r in read_tokens(paths[0])]
    entities = _tsv(paths[1])[1:]
    book = json.loads(paths[3].read_text(encoding="utf-8"))
    chars = book["characters"]
    assert [c["ficlens_id"] for c in chars] == ["amelie", "theo"]  # most mentioned first
    for c in chars:
        assert set(c) >= {"id", "count", "mentions", "g", "agent", "patient", "poss", "mod"}
        assert set(c["mentions"]) == {"proper", "common", "pronoun"}
        assert c["count"] == sum(1 for r in entities if r[0] == str(c["id"]))
        assert c["count"] == sum(m["c"] for ms in c["mentions"].values() for m in ms)
        for role in ("agent", "patient", "poss", "mod"):
            for item in c[role]:
                assert words[item["i"]] == item["w"]
    amelie, theo = chars
    assert amelie["mentions"]["proper"] == [{"c": 1, "n": "Amélie"}]
    assert {"c": 1, "n": "She"} in amelie["mentions"]["pronoun"]
    assert amelie["g"]["argmax"] == "she/her" and amelie["g"]["inference"]["she/her"] == 1.0
    assert amelie["g"]["total"] == 4
    assert {"w": "asked", "i": words.index("asked")} in amelie["agent"]
    assert {"w": "laughed", "i": words.index("laughed")} in amelie["agent"]
    assert {"w": "umbrella", "i": words.index("umbrella")} in amelie["poss"]
    assert theo["g"]["argmax"] == "he/him/his"
    assert {"w": "shrugged", "i": words.index("shrugged")} in theo["agent"]


def test_empty_layers_give_header_only_files(
    parsed: tuple[Analysis, LanguageLayer], tmp_path: Path
) -> None:
    analysis, layer = parsed
    paths = write_booknlp(analysis, layer, tmp_path, "fic")
    assert _tsv(paths[1]) == [["COREF", "start_token", "end_token", "prop", "cat", "text"]]
    assert len(_tsv(paths[2])) == 1
    assert json.loads(paths[3].read_text(encoding="utf-8"))["characters"] == []
    empty = LanguageLayer(model="none", components=())
    tokens = write_booknlp(analysis, empty, tmp_path, "none")[0]
    assert tokens.read_text(encoding="utf-8") == HEADER + "\n"
    assert read_tokens(tokens) == []


def test_missing_language_layer_is_a_clear_error(
    parsed: tuple[Analysis, LanguageLayer], tmp_path: Path
) -> None:
    with pytest.raises(FicError, match="language"):
        write_booknlp(parsed[0], None, tmp_path, "fic")
    assert not list(tmp_path.iterdir())


def test_saved_analysis_rebuilds_the_same_tokens(
    parsed: tuple[Analysis, LanguageLayer], tmp_path: Path
) -> None:
    analysis, layer = parsed
    loaded = Analysis.model_validate_json(analysis.model_dump_json())
    fresh = write_booknlp(analysis, layer, tmp_path / "a", "fic")[0]
    rebuilt = write_booknlp(loaded, language_for(loaded), tmp_path / "b", "fic")[0]
    assert rebuilt.read_bytes() == fresh.read_bytes()
    assert loaded.stats == analysis.stats  # rebuilding never touches the analysis
