"""Parse each gold document once and reuse the parse across training and error runs.

spaCy is most of a training run's time, while what changes between runs is quotation
detection, characters and attribution. ``parsed`` pickles each document after the
structure and language stages into ``DIR/<doc id>.pkl`` and reuses it next time; the
caller runs the later stages. Delete the folder after changing structure, language or the
spaCy model.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from ficlens.eval.gold import GoldDoc
from ficlens.ingest import read_text
from ficlens.language.layer import LanguageLayer
from ficlens.pipeline import Document, Options, Stage, build_stages, run_document

PARSED = ("structure", "language")


def parsed(doc: GoldDoc, cache: Path | None, options: Options | None = None) -> Document:
    """The document after structure and language, with ``options`` for the later stages."""
    options = options or Options()
    target = cache / f"{doc.id}.pkl" if cache else None
    if target is not None and target.exists():
        with open(target, "rb") as fh:
            run: Document = pickle.load(fh)
        old: LanguageLayer = run.layers["language"]  # ids of Docs change on unpickling
        run.layers["language"] = LanguageLayer(old.model, old.components, list(old.chunks))
        run.options = dataclasses.replace(run.options, characters=options.characters)
        return run
    early = [s for s in build_stages() if s.name in PARSED]
    run = run_document(read_text(doc.text), options, stages=early)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            pickle.dump(run, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return run


def later_stages(*names: str) -> list[Stage]:
    """Fresh stages after the parse: the named ones, or all of them when none is named."""
    return [s for s in build_stages() if s.name not in PARSED and (not names or s.name in names)]
