"""Quotation detection on the gold dev sets: P/R/F1 per source and characters per second.

Usage: python benchmarks/quotes_eval.py [FILE.jsonl ...] [--errors N]
Defaults to ../shared/data/gold/dev/{pdnc,litbank}.jsonl (or $FICLENS_SHARED/data/...).
Only ``speech=True`` predictions are scored: LitBank's gold leaves out scare quotes and titles.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ficlens.dialogue.quotes import find_quotes
from ficlens.eval.gold import read_gold
from ficlens.eval.scoring import (
    Counts,
    normalise_span,
    score_detection,
    score_detection_overlap,
)


def _default_files() -> list[Path]:
    roots = []
    if os.environ.get("FICLENS_SHARED"):
        roots.append(Path(os.environ["FICLENS_SHARED"]))
    here = Path(__file__).resolve()
    roots += [here.parents[1].parent / "shared", here.parents[2] / "shared"]
    for root in roots:
        dev = root / "data" / "gold" / "dev"
        if dev.is_dir():
            return [dev / "pdnc.jsonl", dev / "litbank.jsonl"]
    return []


def _show(text: str, span: tuple[int, int]) -> str:
    s, e = span
    return repr(text[max(0, s - 30) : s] + "[[" + text[s:e][:150] + "]]" + text[e : e + 30])


def main(argv: list[str]) -> int:
    n_errors = 0
    if "--errors" in argv:
        k = argv.index("--errors")
        n_errors = int(argv[k + 1])
        argv = argv[:k] + argv[k + 2 :]
    files = [Path(a) for a in argv] or _default_files()
    files = [f for f in files if f.is_file()]
    if not files:
        print("quotes_eval: no gold files found (pass paths or set FICLENS_SHARED); skipping")
        return 0
    for path in files:
        exact = Counts()
        overlap = Counts()
        chars = 0
        seconds = 0.0
        fps: list[str] = []
        fns: list[str] = []
        for doc in read_gold(path):
            t0 = time.perf_counter()
            result = find_quotes(doc.text)
            seconds += time.perf_counter() - t0
            chars += len(doc.text)
            pred = [(q.start, q.end) for q in result.quotes if q.speech]
            gold = [(q.start, q.end) for q in doc.quotes]
            exact += score_detection(doc.text, pred, gold)
            overlap += score_detection_overlap(doc.text, pred, gold)
            if n_errors:
                pn = {normalise_span(doc.text, *p): p for p in pred}
                gn = {normalise_span(doc.text, *g): g for g in gold}
                fps += [
                    f"{doc.id} {result.convention} {_show(doc.text, pn[k])}"
                    for k in pn.keys() - gn.keys()
                ]
                fns += [
                    f"{doc.id} {result.convention} {_show(doc.text, gn[k])}"
                    for k in gn.keys() - pn.keys()
                ]
        print(f"{path.name}: {chars / max(seconds, 1e-9):,.0f} chars/s")
        for label, c in (("exact", exact), ("overlap", overlap)):
            print(
                f"  {label:8s} P={c.precision:.4f} R={c.recall:.4f} F1={c.f1:.4f}"
                f"  (tp={c.tp} fp={c.fp} fn={c.fn})"
            )
        if n_errors:
            import random

            rnd = random.Random(0)
            for name, errs in (("FP", fps), ("FN", fns)):
                for line in rnd.sample(errs, min(n_errors, len(errs))):
                    print(f"  {name} {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
