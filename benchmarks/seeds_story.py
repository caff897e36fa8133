"""What ficlens says about each seed fic, one block per seed, for a reader to check.

Usage: python benchmarks/seeds_story.py [FILE ...] [--feedback]
Defaults to ../shared/seeds/*.txt (or $FICLENS_SHARED/seeds). Prints person, tense and
focal characters, scenes and viewpoint splits, the top relationships, the suggested tags,
the number of feedback items by rule (each item with --feedback), and the share of the
run spent in the stages after dialogue against the language stage.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

from ficlens import analyze_file
from ficlens.model import Analysis

LATE_STAGES = ("narrative", "relations", "affect", "tagging", "feedback")


def _default_files() -> list[Path]:
    roots = [Path(os.environ["FICLENS_SHARED"])] if os.environ.get("FICLENS_SHARED") else []
    here = Path(__file__).resolve()
    roots += [here.parents[1].parent / "shared", here.parents[2] / "shared"]
    for root in roots:
        if (root / "seeds").is_dir():
            return sorted((root / "seeds").glob("*.txt"))
    return []


def _names(a: Analysis) -> dict[str, str]:
    return {c.id: c.name for c in a.characters}


def _show(a: Analysis, path: Path, with_feedback: bool) -> None:
    names = _names(a)
    n = a.narrative
    focal = ", ".join(names.get(f, f) for f in n.focal) or "—"
    print(f"== {path.name}: {a.metadata.title or ''}")
    print(
        f"  narrative: {n.person} ({n.person_share}) / {n.tense} ({n.tense_share}); "
        f"focal {focal}; slips {len(n.slips)}"
    )
    for s in a.scenes:
        who = ", ".join(names.get(f, f) for f in s.pov.focal) or "—"
        print(
            f"    scene {s.index} [{s.start}:{s.end}] {s.opened_by}: "
            f"{s.pov.person}/{s.tense} focal {who}"
        )
    for r in sorted(a.relationships, key=lambda r: -r.score)[:4]:
        pair = " / ".join(names.get(c, c) for c in r.pair)
        cues = ", ".join(sorted({e.cue for e in r.evidence}))[:80]
        declared = "declared " if r.declared else ""
        print(f"  relationship {pair}: {r.kind} {r.score:.2f} {declared}[{cues}]")
    for field, suggestions in a.tags:
        if suggestions:
            shown = ", ".join(f"{s.tag} ({s.confidence:.2f})" for s in suggestions[:6])
            print(f"  tags.{field}: {shown}")
    rules = Counter(f.rule for f in a.feedback)
    print(f"  feedback: {len(a.feedback)} items {dict(rules.most_common())}")
    if with_feedback:
        for f in a.feedback:
            print(f"    {f.rule}: {a.text[f.start : f.end]!r} → {f.suggestion!r} ({f.message})")
    language = a.timings.get("language", 0.0)
    late = sum(a.timings.get(s, 0.0) for s in LATE_STAGES)
    if language:
        print(f"  late stages: {late:.3f} s = {100 * late / language:.1f}% of the language stage")


def main(argv: list[str]) -> int:
    with_feedback = "--feedback" in argv
    files = [Path(p) for p in argv if not p.startswith("--")] or _default_files()
    if not files:
        print("no seeds found: pass files or set FICLENS_SHARED", file=sys.stderr)
        return 2
    for path in files:
        _show(analyze_file(path), path, with_feedback)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
