"""Files and words per second of ``ficlens batch`` with 1 and 2 workers, and the speed-up.

The corpus: the PDNC dev novels (../shared/data/gold/dev/pdnc.jsonl, skipped with a
message when absent) cut at their chapter headings ("CHAPTER I", "Chapter 12: …") into
one file per chapter, in a temporary folder: chapter-sized texts are the size of a
typical fic. Novels without chapter headings are left out. Each worker count runs the
same files into a fresh output folder; the times are wall-clock times of the whole run,
worker start-up (spaCy loading) included. On a busy machine the wall-clock speed-up
understates what a second core gives; words per CPU-second (the workers' own CPU time)
is one core's throughput whatever else runs.

    python benchmarks/batch.py [--limit N] [--workers 1,2] [--engine local|ray]
                               [--disable STAGE] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from ficlens.batch import BatchConfig, run_batch

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PDNC = SHARED / "data" / "gold" / "dev" / "pdnc.jsonl"
CHAPTER = re.compile(r"(?m)^(?=(?:CHAPTER|Chapter)\b)")


def chapters(limit: int) -> list[tuple[str, str]]:
    """(name, text) per chapter, round-robin over the novels so that a limit mixes books."""
    books: list[list[tuple[str, str]]] = []
    with PDNC.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            book = json.loads(line)
            parts = [p.strip() for p in CHAPTER.split(book["text"]) if p.strip()]
            if len(parts) < 3:
                continue
            parts = parts[1:]  # what precedes the first heading: title page, contents
            books.append([(f"{book['id']}-{i:03d}", p) for i, p in enumerate(parts)])
    mixed: list[tuple[str, str]] = []
    for row in range(max((len(b) for b in books), default=0)):
        mixed.extend(b[row] for b in books if row < len(b))
    return mixed[:limit]


def run(folder: Path, out: Path, workers: int, engine: str, disable: list[str]) -> dict[str, Any]:
    paths = sorted(folder.glob("*.txt"))
    config = BatchConfig(
        out,
        engine="ray" if engine == "ray" else "local",
        workers=workers,
        disable=frozenset(disable),
        shard_size=50,
    )
    summary = run_batch(paths, config)
    if summary.failed:
        raise SystemExit(f"{summary.failed} chapters failed; see {out / 'errors'}")
    return {
        "workers": workers,
        "files": summary.analysed,
        "words": summary.words,
        "seconds": round(summary.seconds, 2),
        "files_per_s": round(summary.files_per_second, 3),
        "words_per_s": round(summary.words_per_second),
        "words_per_cpu_s": round(summary.words_per_cpu_second),
        "output_bytes": sum(f.stat().st_size for f in out.rglob("*.parquet")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60, help="chapters to analyse")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--engine", default="local", choices=["local", "ray"])
    parser.add_argument("--disable", action="append", default=[], help="stage to switch off")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if not PDNC.is_file():
        print(f"skipped: {PDNC} is not present", file=sys.stderr)
        return 0
    texts = chapters(args.limit)
    counts = [int(w) for w in args.workers.split(",") if w.strip()]
    with tempfile.TemporaryDirectory(prefix="ficlens-bench-") as tmp:
        folder = Path(tmp) / "chapters"
        folder.mkdir()
        for name, text in texts:
            (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        results = [
            run(folder, Path(tmp) / f"out-{n}", n, args.engine, args.disable) for n in counts
        ]
    base = results[0]["words_per_s"] or 1
    for r in results:
        r["speedup"] = round(r["words_per_s"] / base, 2)
    if args.json:
        print(json.dumps({"engine": args.engine, "chapters": len(texts), "runs": results}))
        return 0
    words, size = results[0]["words"], results[0]["output_bytes"]
    print(f"{len(texts)} PDNC chapters, {words:,} story words, engine {args.engine}")
    print(f"Parquet output: {size / 1e6:.1f} MB ({size / max(words, 1):.1f} bytes per word)")
    print(
        f"{'workers':>7} {'seconds':>8} {'files/s':>8} {'words/s':>8} {'speed-up':>8} "
        f"{'words/CPU-s':>11}"
    )
    for r in results:
        print(
            f"{r['workers']:>7} {r['seconds']:>8.1f} {r['files_per_s']:>8.2f} "
            f"{r['words_per_s']:>8,} {r['speedup']:>7.2f}x {r['words_per_cpu_s']:>11,}"
        )
    print("words/CPU-s: words per second of worker CPU time, i.e. one core's throughput")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
