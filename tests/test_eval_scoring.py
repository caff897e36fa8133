"""Gold reader and scorers on tiny hand-made gold; the real dev files only when present."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from ficlens.dialogue.quotes import find_quotes
from ficlens.errors import FicError, GoldFormatError
from ficlens.eval.gold import GoldCharacter, GoldQuote, read_gold
from ficlens.eval.scoring import (
    Accuracy,
    Counts,
    PredictedQuote,
    map_characters,
    match_spans,
    normalise_span,
    score_addressees,
    score_detection,
    score_detection_overlap,
    score_speakers,
)

TEXT = '"Hi," said Ann. "Sit." Bo sat. \'Why?\' he asked. "Now!"'


def _span(sub: str, text: str = TEXT) -> tuple[int, int]:
    s = text.index(sub)
    return s, s + len(sub)


def _doc(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "d1",
        "source": "pdnc",
        "title": "T",
        "text": TEXT,
        "characters": [{"id": "0", "name": "Ann", "aliases": ["Ann"]}],
        "quotes": [
            {
                "start": 0,
                "end": 5,
                "speaker": "0",
                "addressees": [],
                "type": "explicit",
                "quote_id": "Q0",
            }
        ],
        "mentions": [{"start": 11, "end": 14, "character": "0"}],
    }
    doc.update(over)
    return doc


def _write(tmp_path: Path, *docs: dict[str, Any] | str) -> Path:
    path = tmp_path / "gold.jsonl"
    lines = [d if isinstance(d, str) else json.dumps(d) for d in docs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ reader


def test_read_gold_types(tmp_path: Path) -> None:
    docs = list(read_gold(_write(tmp_path, _doc(), "", _doc(id="d2"))))
    assert [d.id for d in docs] == ["d1", "d2"]
    d = docs[0]
    assert d.characters == [GoldCharacter("0", "Ann", ["Ann"])]
    assert d.quotes[0] == GoldQuote(0, 5, "0", [], "explicit", "Q0")
    assert d.text[d.mentions[0].start : d.mentions[0].end] == "Ann"


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "'document'"),
        (json.dumps(_doc(quotes=[{"start": 0}])), "'quotes[0].end'"),
        (json.dumps(_doc(quotes=[{"start": 0, "end": 999}])), "outside the text"),
        (json.dumps({k: v for k, v in _doc().items() if k != "title"}), "'title': missing"),
        (json.dumps(_doc(characters=[{"id": 3, "name": "x", "aliases": []}])), "characters[0].id"),
        (
            json.dumps(
                _doc(
                    quotes=[
                        {
                            "start": 0,
                            "end": 5,
                            "speaker": None,
                            "addressees": [],
                            "type": "shouted",
                            "quote_id": "Q",
                        }
                    ]
                )
            ),
            "unknown type",
        ),
        (json.dumps(_doc(mentions=[{"start": True, "end": 2, "character": "0"}])), "start"),
    ],
)
def test_read_gold_errors_name_line_and_field(tmp_path: Path, line: str, needle: str) -> None:
    path = _write(tmp_path, _doc(), line)
    with pytest.raises(GoldFormatError) as info:
        list(read_gold(path))
    assert isinstance(info.value, FicError)
    assert ":2:" in str(info.value)
    assert needle in str(info.value)


# ------------------------------------------------------------------ detection


def test_normalise_span_strips_marks_and_space() -> None:
    text = " “‘Hello,’ ”  —Yes. "
    assert normalise_span(text, 0, 12) == (3, 9)
    assert text[slice(*normalise_span(text, 13, len(text)))] == "Yes."
    assert normalise_span(text, 0, 2) == (2, 2)


def test_counts_add_and_f1() -> None:
    c = Counts(3, 1, 0) + Counts(1, 1, 2)
    assert c == Counts(4, 2, 2)
    assert c.precision == pytest.approx(4 / 6)
    assert c.recall == pytest.approx(4 / 6)
    assert c.f1 == pytest.approx(4 / 6)
    assert Counts().f1 == 0.0


def test_score_detection_exact_ignores_marks() -> None:
    gold = [_span('"Hi,"'), _span('"Sit."'), _span("'Why?'")]
    pred = [_span("Hi,"), _span('"Sit."'), _span('"Now!"')]
    assert score_detection(TEXT, pred, gold) == Counts(tp=2, fp=1, fn=1)


def test_score_detection_overlap_is_one_to_one() -> None:
    gold = [_span('"Hi,"'), _span('"Sit."')]
    pred = [(0, len('"Hi," said Ann. "Sit."'))]  # one long prediction over two gold quotes
    assert score_detection_overlap(TEXT, pred, gold) == Counts(tp=1, fp=0, fn=1)
    assert score_detection(TEXT, pred, gold) == Counts(tp=0, fp=1, fn=2)


def test_match_spans_prefers_exact_then_largest_overlap() -> None:
    text = "aaaa bbbb cccc"
    gold = [(0, 9), (10, 14)]
    pred = [(5, 9), (0, 4), (10, 14)]
    assert match_spans(text, pred, gold) == {1: 2, 0: 0}


# ------------------------------------------------------------------ attribution


def _gold_quotes() -> list[GoldQuote]:
    return [
        GoldQuote(*_span('"Hi,"'), "ann", ["bo"], "explicit", "Q0"),
        GoldQuote(*_span('"Sit."'), "ann", ["bo", "cy"], "explicit", "Q0"),
        GoldQuote(*_span("'Why?'"), "bo", [], "anaphoric", "Q1"),
        GoldQuote(*_span('"Now!"'), None, ["ann"], None, "Q2"),
    ]


def test_score_speakers_by_type_and_skips_unknown() -> None:
    pred = [
        PredictedQuote(*_span("Hi,"), speaker="ann"),
        PredictedQuote(*_span('"Sit." Bo'), speaker="bo"),
        PredictedQuote(*_span('"Now!"'), speaker="ann"),
    ]
    s = score_speakers(TEXT, pred, _gold_quotes())
    assert s.overall == Accuracy(1, 3)  # 'Why?' unmatched counts as wrong; "Now!" skipped
    assert s.by_type == {"explicit": Accuracy(1, 2), "anaphoric": Accuracy(0, 1)}
    both = s + s
    assert both.overall == Accuracy(2, 6)
    assert both.by_type["explicit"].accuracy == pytest.approx(0.5)


def test_score_addressees_uses_first_prediction() -> None:
    pred = [
        PredictedQuote(*_span('"Hi,"'), addressees=["bo", "zed"]),
        PredictedQuote(*_span('"Sit."'), addressees=["zed", "bo"]),
        PredictedQuote(*_span('"Now!"'), addressees=[]),
    ]
    assert score_addressees(TEXT, pred, _gold_quotes()) == Accuracy(1, 3)


def test_map_characters_by_alias_overlap() -> None:
    gold = [
        GoldCharacter("g1", "Elizabeth Bennet", ["Elizabeth", "Lizzy", "Miss Bennet"]),
        GoldCharacter("g2", "Jane Bennet", ["Jane", "Miss Bennet"]),
        GoldCharacter("g3", "Mr. Darcy", ["Darcy", "Mr. Darcy"]),
    ]
    predicted = [
        ("p1", "Lizzy", ["ELIZABETH", "Lizzy!"]),
        ("p2", "Miss Bennet", []),  # tie between g1 and g2, no name match: earlier wins
        ("p3", "Jane Bennet", ["Miss Bennet"]),  # tie broken by name match
        ("p4", "Mr Darcy", []),
        ("p5", "Fitz", ["Fitzwilliam"]),
        ("p6", "Darcy", []),
    ]
    assert map_characters(predicted, gold) == {
        "p1": "g1",
        "p2": "g1",
        "p3": "g2",
        "p4": "g3",
        "p6": "g3",
    }


def test_map_characters_ignores_a_leading_article() -> None:
    gold = [
        GoldCharacter("g1", "Tall Porter", ["Tall Porter"]),
        GoldCharacter("g2", "The Ferryman", ["The Ferryman"]),
        GoldCharacter("g3", "A Stranger", ["A Stranger"]),
    ]
    predicted = [
        ("p1", "the tall porter", ["a tall porter", "the tall porter"]),
        ("p2", "ferryman", []),
        ("p3", "the stranger", []),
        ("p4", "Thea", ["The"]),  # a lone article is kept: no alias becomes empty
    ]
    assert map_characters(predicted, gold) == {"p1": "g1", "p2": "g2", "p3": "g3"}


# ------------------------------------------------------------------ real dev data


def _shared() -> Path | None:
    candidates = []
    if os.environ.get("FICLENS_SHARED"):
        candidates.append(Path(os.environ["FICLENS_SHARED"]))
    here = Path(__file__).resolve()
    candidates += [here.parents[1].parent / "shared", here.parents[2] / "shared"]
    for c in candidates:
        if (c / "data" / "gold" / "dev" / "litbank.jsonl").is_file():
            return c
    return None


def test_litbank_dev_detection_f1() -> None:
    shared = _shared()
    if shared is None:
        pytest.skip("shared gold data not present")
    exact = Counts()
    for doc in read_gold(shared / "data" / "gold" / "dev" / "litbank.jsonl"):
        pred = [(q.start, q.end) for q in find_quotes(doc.text).quotes if q.speech]
        exact += score_detection(doc.text, pred, [(q.start, q.end) for q in doc.quotes])
    assert exact.f1 >= 0.95


def test_benchmark_skips_cleanly_without_gold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "quotes_eval.py"
    spec = importlib.util.spec_from_file_location("quotes_eval", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(tmp_path / "missing.jsonl")]) == 0
    assert "skipping" in capsys.readouterr().out
    spoken = ['"Hi,"', '"Sit."', '"Now!"']
    gold_quotes = [
        {"start": s, "end": e, "speaker": None, "addressees": [], "type": None, "quote_id": "Q"}
        for s, e in (_span(q) for q in spoken)
    ]
    gold = _write(tmp_path, _doc(quotes=gold_quotes))
    assert module.main([str(gold)]) == 0
    out = capsys.readouterr().out
    assert "exact" in out and "F1=1.0000" in out
