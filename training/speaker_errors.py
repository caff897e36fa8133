"""List the ranker's leave-one-novel-out errors with the text around each turn.

    python training/speaker_errors.py ../shared/data/gold/dev/pdnc.jsonl training/cache/pdnc \
        [TYPE[:MENTION]] [N]

prints up to N (default 40) wrong turns of that type (anaphoric, explicit, implicit, or
``none`` for LitBank, which has no types;
``anaphoric:pronoun`` keeps those whose tag subject is a pronoun), in random order:
the narration before the quotation, the quotation, the tag the sieve found (in
[brackets]), the gold speaker, the ranker's answer (fitted without that novel) and the
candidates' top features. Needs data built by ``speaker_data.py`` (with turn spans).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
from train_speaker import fit, load, predict

from ficlens.dialogue.features import FEATURES
from ficlens.eval.gold import read_gold


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    kind, _, mention = (argv[3] if len(argv) > 3 else "anaphoric").partition(":")
    limit = int(argv[4]) if len(argv) > 4 else 40
    data = load(Path(argv[2]))
    texts = {d.id: d.text for d in read_gold(argv[1]) if d.id in data}
    names = {d.id: {c.id: c.name for c in d.characters} for d in read_gold(argv[1])}
    wrong = []
    for held in data:
        w = fit([t for name, turns in data.items() if name != held for t in turns])
        for t in data[held]:
            if t["speaker"] is None or str(t["type"]).lower() != kind or "span" not in t:
                continue
            if mention and (t["tag"] or {}).get("mention") != mention:
                continue
            speaker, _ = predict(t, w)
            if speaker != t["speaker"]:
                wrong.append((held, t, speaker, w))
    print(f"{len(wrong)} wrong {kind} turns")
    random.Random(0).shuffle(wrong)
    for held, t, speaker, w in wrong[:limit]:
        text, who = texts[held], names[held]
        s, e = t["span"]
        tag = t["tag"]
        marked = text[max(0, s - 400) : e + 200]
        if tag:
            a, b = (x - max(0, s - 400) for x in tag["span"])
            marked = marked[:a] + "[" + marked[a:b] + "]" + marked[b:]
        print("=" * 80)
        print(f"{held}  rule={t['rule']}  tag={tag and (tag['position'], tag['mention'])}")
        print(" ".join(marked.split()))
        answer = who.get(speaker or "")
        print(f"GOLD {who.get(t['speaker'])}  RANKER {answer}  SIEVE {who.get(t['sieve'])}")
        for c, row in zip(t["candidates"], t["rows"], strict=True):
            on = [f for f, x, wi in zip(FEATURES, row, w, strict=True) if x and abs(wi * x) > 0.3]
            score = float(np.dot(row, w))
            print(f"   {who.get(c, c)[:24]:24} {score:6.2f} {' '.join(on)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
