"""Build pronoun-resolution problems from LitBank gold (mentions with character ids).

    python training/coref_data.py ../shared/data/gold/dev/litbank.jsonl training/cache/coref.pkl \
        [training/cache/parse/litbank]

For each document ficlens runs structure, language and quotes, and the characters stage
prepares its resolution problem over the gold cast (ids kept). Saved with the gold
pronoun mentions of named characters, for ``train_coref.py``.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

from parse_cache import later_stages, parsed

from ficlens.characters import CharactersStage, given_characters
from ficlens.characters.lexicon import PRONOUNS
from ficlens.eval.gold import read_gold
from ficlens.pipeline import Options


def document_problem(doc: Any, cache: Path | None) -> dict[str, Any]:
    cast = given_characters(
        [{"id": c.id, "name": c.name, "aliases": c.aliases} for c in doc.characters]
    )
    run = parsed(doc, cache, Options(characters=tuple(cast)))
    for stage in later_stages("quotes"):
        stage.run(run)
    _, problem = CharactersStage().prepare(run)
    named = {c.id for c in doc.characters if c.aliases}
    gold = [
        (m.start, m.end, m.character)
        for m in doc.mentions
        if m.character in named and doc.text[m.start : m.end].lower() in PRONOUNS
    ]
    return {"id": doc.id, "problem": problem, "gold": gold}


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__)
        return 2
    cache = Path(argv[3]) if len(argv) == 4 else None
    problems = [document_problem(doc, cache) for doc in read_gold(Path(argv[1]))]
    Path(argv[2]).parent.mkdir(parents=True, exist_ok=True)
    with open(argv[2], "wb") as fh:
        pickle.dump(problems, fh)
    print(f"{len(problems)} documents, {sum(len(p['gold']) for p in problems)} gold pronouns")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
