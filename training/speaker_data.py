"""Build the speaker ranker's training data from gold quotations (PDNC format).

For each gold document: run ficlens (structure, language) with the gold character list,
give the characters stage the gold quotation spans, run the attribution sieve, and record
for every turn the candidates, their feature rows, the gold speaker and the gold type.
Neighbouring turns contribute the *sieve's* speakers, never gold ones, so the features
match what the ranker sees at analysis time.

    python training/speaker_data.py ../shared/data/gold/dev/pdnc.jsonl training/cache/pdnc \
        [training/cache/parse/pdnc]

writes one ``<doc id>.json`` per document (skipped when already there). The optional third
argument is a parse cache (``parse_cache.py``) that makes a rebuild take minutes, not ten.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parse_cache import later_stages, parsed

from ficlens.characters import CharacterLayer, given_characters
from ficlens.dialogue.attribution import Turn, ranker_rows, sieve, turn_words
from ficlens.dialogue.layout import Paragraphs
from ficlens.eval.gold import read_gold
from ficlens.model import Quote
from ficlens.pipeline import Options


@dataclass(frozen=True)
class GoldPiece:
    start: int
    end: int
    speech: bool
    group: int


def document_turns(
    doc: Any, cache: Path | None
) -> tuple[str, list[Turn], CharacterLayer, list[Any]]:
    """The sieve's turns of one gold document on its gold quotations, with the document's
    text, the character layer they were found with and the gold quotation of each turn."""
    cast = given_characters(
        [{"id": c.id, "name": c.name, "aliases": c.aliases} for c in doc.characters]
    )
    run = parsed(doc, cache, Options(characters=tuple(cast)))
    run.analysis.quotes = [Quote(start=q.start, end=q.end) for q in doc.quotes]
    for stage in later_stages("characters"):
        stage.run(run)
    groups: dict[str, int] = {}
    pieces = [
        GoldPiece(q.start, q.end, True, groups.setdefault(q.quote_id, len(groups)))
        for q in doc.quotes
    ]
    gold = {groups[q.quote_id]: q for q in doc.quotes}
    a = run.analysis
    story = [(s.start, s.end) for s in a.segments if s.kind == "story"]
    turns = sieve(
        a.text,
        pieces,
        run.layers["language"],
        run.layers["characters"],
        Paragraphs(a.text, story),
        [s.start for s in a.scenes],
    )
    return a.text, turns, run.layers["characters"], [gold[t.group] for t in turns]


def document_rows(doc: Any, cache: Path | None) -> dict[str, Any]:
    """Turns of one gold document with candidates, features and gold answers."""
    text, turns, characters, golds = document_turns(doc, cache)
    rows = ranker_rows(turn_words(text, turns), turns, characters)
    out = []
    for turn, g, (cands, feats) in zip(turns, golds, rows, strict=True):
        tag = turn.answer.tag
        out.append(
            {
                "speaker": g.speaker,
                "type": g.type,
                "rule": turn.answer.rule,
                "sieve": turn.answer.speaker,
                "candidates": cands,
                "rows": feats,
                # where the turn and its tag are, for listing errors (speaker_errors.py)
                "span": [turn.pieces[0].start, turn.pieces[-1].end],
                # what the conversation decoder reads (dialogue/decode.py)
                "conversation": turn.conversation,
                "paragraphs": [turn.first_paragraph, turn.last_paragraph],
                "tag": None
                if tag is None
                else {
                    "span": [tag.start, tag.end],
                    "position": tag.position,
                    "speech": tag.speech_verb,
                    "mention": tag.mention.kind if tag.mention else None,
                },
            }
        )
    return {"id": doc.id, "turns": out}


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__)
        return 2
    gold_path, out_dir = Path(argv[1]), Path(argv[2])
    cache = Path(argv[3]) if len(argv) == 4 else None
    out_dir.mkdir(parents=True, exist_ok=True)
    for doc in read_gold(gold_path):
        target = out_dir / f"{doc.id}.json"
        if target.exists():
            continue
        began = time.perf_counter()
        data = document_rows(doc, cache)
        target.write_text(json.dumps(data), encoding="utf-8")
        print(
            f"{doc.id}: {len(data['turns'])} turns in {time.perf_counter() - began:.0f} s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
