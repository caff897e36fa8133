"""List what quotation detection gets wrong on gold documents, grouped by kind of error.

    python training/quote_errors.py GOLD_JSONL [--only ID]... [--parse-cache DIR]
        [--sample N] [--category NAME]...

Runs the quotes stage (on the story segments of the parsed document, as the pipeline does)
and scores the ``speech=True`` spans with the eval's own scorers (``eval.scoring``: exact
match after stripping marks and edge whitespace, and one-to-one overlap). For each
document it prints P/R/F1, then a sample of missed gold spans (FN) and spurious predicted
spans (FP) per error category, each with a short context where ``[[`` ``]]`` mark the span:

* ``not speech``: a predicted span has the gold span's words but is flagged not speech
* ``split``: detection cut a gold quote (FN: the gold span holds two or more predicted
  spans; FP: the predicted span lies inside one gold span), e.g. at a tag or an aside
* ``merged``: detection ran gold quotes together (FN: the gold span lies inside one
  predicted span; FP: the predicted span holds two or more gold spans), e.g. over nested
  reported speech or narration that PDNC leaves out of a quote
* ``multi-paragraph``: the span crosses a blank line
* ``boundary``: overlaps spans of the other side but the ends differ
* no overlap at all: ``single quotes`` (a single mark before it), ``no marks`` (no mark
  before it), else ``no overlap`` (for FP mostly quotes the gold leaves unannotated)

Why a parse cache: the quotes stage needs the structure stage's story segments.
``--parse-cache DIR`` reuses the pickles of ``parse_cache.py`` (structure and language).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from parse_cache import later_stages, parsed

from ficlens.eval.gold import GoldDoc, read_gold
from ficlens.eval.scoring import (
    Counts,
    normalise_span,
    score_detection,
    score_detection_overlap,
)

Span = tuple[int, int]


def predict(doc: GoldDoc, cache: Path | None) -> tuple[list[Span], list[Span]]:
    """Speech spans and non-speech spans the quotes stage finds in the document."""
    run = parsed(doc, cache)
    for stage in later_stages("quotes"):
        stage.run(run)
    quotes = run.analysis.quotes
    return (
        [(q.start, q.end) for q in quotes if q.speech],
        [(q.start, q.end) for q in quotes if not q.speech],
    )


def _inside(a: Span, b: Span) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


def _overlaps(a: Span, b: Span) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def category(
    text: str, span: Span, others: list[Span], non_speech: set[Span], gold_side: bool
) -> str:
    """The error class of an unmatched span (``others``: the other side's normalised spans).

    ``gold_side``: ``span`` is a missed gold span (else a spurious prediction).
    """
    s, e = span
    if span in non_speech:
        return "not speech"
    hits = [o for o in others if _overlaps(span, o)]
    inside_span = [o for o in hits if _inside(o, span)]
    around_span = [o for o in hits if _inside(span, o)]
    if len(inside_span) >= 2:  # several spans of the other side in this one
        return "split" if gold_side else "merged"
    if around_span and len(hits) == 1:  # this span lies in one of the other side
        return "merged" if gold_side else "split"
    if "\n\n" in text[s:e] or "\n \n" in text[s:e]:
        return "multi-paragraph"
    if hits:
        return "boundary"
    if any(c in "'‘’" for c in text[max(0, s - 2) : s]):
        return "single quotes"
    if not any(c in "\"“”'‘’«»—-" for c in text[max(0, s - 3) : s]):
        return "no marks"
    return "no overlap"


def show(text: str, span: Span, width: int = 100) -> str:
    """The span with up to 30 characters of context, truncated to ``width`` characters."""
    s, e = span
    body = text[s:e]
    if len(body) > width:
        body = body[: width // 2 - 3] + " … " + body[-(width // 2 - 3) :]
    return repr(text[max(0, s - 30) : s] + "[[" + body + "]]" + text[e : e + 30])


def report(
    doc: GoldDoc, pred: list[Span], not_speech: list[Span], sample: int, only: set[str]
) -> tuple[Counts, Counts, Counter[str], list[str]]:
    """Scores and grouped error lines for one document."""
    text = doc.text
    gold = [(q.start, q.end) for q in doc.quotes]
    exact = score_detection(text, pred, gold)
    overlap = score_detection_overlap(text, pred, gold)
    pn = {normalise_span(text, *p): p for p in pred}
    gn = {normalise_span(text, *g): g for g in gold}
    ns = {normalise_span(text, *p) for p in not_speech}
    groups: dict[str, list[str]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for k in sorted(gn.keys() - pn.keys()):
        cat = "FN " + category(text, k, list(pn), ns, True)
        counts[cat] += 1
        groups[cat].append(show(text, gn[k]))
    for k in sorted(pn.keys() - gn.keys()):
        cat = "FP " + category(text, k, list(gn), set(), False)
        counts[cat] += 1
        groups[cat].append(show(text, pn[k]))
    lines = []
    rnd = random.Random(0)
    for cat, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if only and cat.split(" ", 1)[1] not in only:
            continue
        lines.append(f"  {cat}: {len(items)}")
        for line in rnd.sample(items, min(sample, len(items))):
            lines.append(f"    {line}")
    return exact, overlap, counts, lines


def _prf(c: Counts) -> str:
    return f"P={c.precision:.4f} R={c.recall:.4f} F1={c.f1:.4f} (tp={c.tp} fp={c.fp} fn={c.fn})"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--only", action="append", default=[], help="document id")
    parser.add_argument("--parse-cache", type=Path)
    parser.add_argument("--sample", type=int, default=5, help="errors shown per category")
    parser.add_argument("--category", action="append", default=[], help="show only these")
    args = parser.parse_args(argv[1:])
    exact = Counts()
    overlap = Counts()
    totals: Counter[str] = Counter()
    for doc in read_gold(args.gold):
        if args.only and doc.id not in args.only:
            continue
        pred, not_speech = predict(doc, args.parse_cache)
        e, o, counts, lines = report(doc, pred, not_speech, args.sample, set(args.category))
        exact, overlap, totals = exact + e, overlap + o, totals + counts
        print(f"{doc.id}: exact {_prf(e)}  overlap F1={o.f1:.4f}")
        for line in lines:
            print(line)
        sys.stdout.flush()
    print(f"exact   {_prf(exact)}")
    print(f"overlap {_prf(overlap)}")
    for cat, n in totals.most_common():
        print(f"  {cat}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
