"""Pronoun linking of the whole pipeline on LitBank, broken down by class and cause.

    python training/coref_pipeline.py GOLD_JSONL PARSE_CACHE [--end-to-end] [--only ID]

Runs every stage after the parse (from the parse cache, so a run takes about half a
minute) with the gold cast, or discovering characters with ``--end-to-end``, and scores
pronoun linking the way ``ficlens eval`` does (the total it prints is the eval's pronoun
column). Each gold pronoun of a named character is then put in a class (narration or
quotation; he/she, I, you, they; possessive, reflexive) and, for quoted I/you, split by
cause: the quotation's attributed speaker wrong (or missing), or the speaker right and the
link wrong (for "you": the gold referent is not the speaker we attributed the reply to,
and so on). In-sample for the shipped coreference scorer.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from parse_cache import later_stages, parsed

from ficlens.characters import CharacterLayer, given_characters
from ficlens.characters.lexicon import PRONOUNS, REFLEXIVES
from ficlens.eval.gold import GoldDoc, read_gold
from ficlens.eval.run import score_document
from ficlens.eval.scoring import map_characters
from ficlens.pipeline import Options

POSSESSIVES = frozenset({"his", "her", "hers", "their", "theirs", "my", "mine", "your", "yours"})


def run_doc(doc: GoldDoc, cache: Path, end_to_end: bool) -> Any:
    """The pipeline's document for ``doc`` (every stage after the parse)."""
    cast = None
    if not end_to_end:
        cast = tuple(
            given_characters(
                [{"id": c.id, "name": c.name, "aliases": c.aliases} for c in doc.characters]
            )
        )
    run = parsed(doc, cache, Options(characters=cast))
    for stage in later_stages():
        stage.run(run)
    return run


def _gold_quote(doc: GoldDoc, start: int) -> Any:
    for q in doc.quotes:
        if q.start <= start < q.end:
            return q
    return None


def _our_quote(quotes: list[Any], start: int) -> Any:
    for q in quotes:
        if q.speech and q.start <= start < q.end:
            return q
    return None


def classify(
    doc: GoldDoc, run: Any, mapping: dict[str, str], counts: Counter[str], right: Counter[str]
) -> None:
    """Add each gold pronoun's class (and whether we got it right) to the counters."""
    layer: CharacterLayer = run.layer("characters")
    refs = {(m.start, m.end): m for m in layer.mentions}
    ours = {(m.start, m.end): m.character for m in run.analysis.mentions}
    named = {c.id for c in doc.characters if c.aliases}
    quotes = run.analysis.quotes
    for g in doc.mentions:
        word = doc.text[g.start : g.end].lower()
        if g.character not in named or word not in PRONOUNS:
            continue
        predicted = ours.get((g.start, g.end))
        ok = predicted is not None and mapping.get(predicted) == g.character
        ref = refs.get((g.start, g.end))
        cls = PRONOUNS[word]
        where = "quote" if (ref.in_quote if ref else _gold_quote(doc, g.start)) else "narr"
        form = "refl" if word in REFLEXIVES else "poss" if word in POSSESSIVES else "plain"
        key = f"{where} {cls}"
        keys = [key, f"{key} {form}"]
        if ref is None:
            keys.append(f"{key} : no mention at span")
        if where == "quote" and cls in ("first", "second") and not ok:
            keys.append(f"{key} : {_cause(doc, quotes, g, cls, predicted, mapping)}")
        for k in keys:
            counts[k] += 1
            right[k] += int(ok)


def _cause(
    doc: GoldDoc, quotes: list[Any], g: Any, cls: str, predicted: str | None, mapping: Any
) -> str:
    gq = _gold_quote(doc, g.start)
    oq = _our_quote(quotes, g.start)
    if oq is None:
        return "not in a speech quotation of ours"
    speaker = mapping.get(oq.speaker) if oq.speaker else None
    gold_speaker = gq.speaker if gq else None
    if cls == "first":
        if gold_speaker is not None and g.character != gold_speaker:
            return "gold I is not the gold speaker (nested/retold/letter)"
        if speaker is None:
            return "attribution: no speaker"
        if speaker != g.character:
            return "attribution: wrong speaker"
        return "linking: speaker right, link wrong"
    if speaker is None:
        return "attribution: no speaker"
    if gold_speaker is not None and speaker != gold_speaker:
        return "attribution: wrong speaker"
    if not oq.addressees:
        return "addressee: none"
    if len(oq.addressees) > 1:
        return "addressee: several (left unlinked)"
    if predicted is None:
        return "linking: addressee set, unlinked"
    return "addressee: wrong one"


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) < 2:
        print(__doc__)
        return 2
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    end_to_end = "--end-to-end" in argv
    counts: Counter[str] = Counter()
    right: Counter[str] = Counter()
    total_right = total = 0
    for doc in read_gold(Path(args[0])):
        if only and doc.id != only:
            continue
        run = run_doc(doc, Path(args[1]), end_to_end)
        scores = score_document(doc, run.analysis, 0.0, given_characters=not end_to_end)
        total_right += scores.pronouns.correct
        total += scores.pronouns.total
        if end_to_end:
            mapping = map_characters(
                [(c.id, c.name, c.aliases) for c in run.analysis.characters], doc.characters
            )
        else:
            mapping = {c.id: c.id for c in run.analysis.characters}
        classify(doc, run, mapping, counts, right)
    print(f"pronoun linking {total_right}/{total} = {total_right / max(total, 1):.4f}")
    for k in sorted(counts):
        wrong = counts[k] - right[k]
        print(f"{k:70s} {right[k]:5d}/{counts[k]:5d} {right[k] / counts[k]:.3f}  wrong {wrong}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
