"""The two lexicons the affect stage scores with, loaded once per process.

- Valence: VADER's ``vader_lexicon.txt`` (MIT, C.J. Hutto) read from the installed
  ``vaderSentiment`` package, with VADER's own negation and booster word lists and
  constants. We do not call VADER's ``SentimentIntensityAnalyzer``, which works on
  whitespace words; ``scorer.py`` applies its rules to the spaCy tokens (why: there).
  Importing ``vaderSentiment.vaderSentiment`` is safe offline: ``requests`` is imported
  only inside its ``__main__`` demo.
- Emotions: ``emotions.tsv`` beside this module, a small lexicon written for ficlens
  (MIT with the project; provenance in the file's header). The NRC Emotion Lexicon is
  free for research only and is not shipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from vaderSentiment import vaderSentiment as vader

EMOTIONS: tuple[str, ...] = (
    "joy",
    "sadness",
    "anger",
    "fear",
    "trust",
    "surprise",
    "disgust",
    "anticipation",
)
"""Plutchik's eight, in the order of ``model.Emotions``."""


@dataclass(frozen=True)
class Lexicons:
    valence: dict[str, float]
    """lower-cased word → VADER mean valence (about -4 … +4)."""
    boosters: dict[str, float]
    """single-word intensifiers (+) and dampeners (-), VADER's scalar per word."""
    negations: frozenset[str]
    emotions: dict[str, tuple[int, ...]]
    """word or lemma → indices into :data:`EMOTIONS`."""
    negation_scalar: float = vader.N_SCALAR
    caps_increment: float = vader.C_INCR


def parse_vader(text: str) -> dict[str, float]:
    """``word<TAB>mean<TAB>sd<TAB>ratings`` lines → {word: mean}."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0]:
            out[parts[0].lower()] = float(parts[1])
    return out


def parse_emotions(text: str) -> dict[str, tuple[int, ...]]:
    """``word<TAB>emotion [emotion…]`` lines (``#`` notes skipped) → {word: indices}."""
    index = {name: i for i, name in enumerate(EMOTIONS)}
    out: dict[str, tuple[int, ...]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        word, _, names = line.partition("\t")
        try:
            out[word.strip().lower()] = tuple(index[n] for n in names.split())
        except KeyError as exc:
            raise ValueError(f"emotions.tsv line {number}: unknown emotion {exc}") from None
    return out


@cache
def load() -> Lexicons:
    vader_text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    emotion_text = resources.files("ficlens.affect").joinpath("emotions.tsv")
    boosters = {w: v for w, v in vader.BOOSTER_DICT.items() if " " not in w}
    return Lexicons(
        valence=parse_vader(vader_text.read_text(encoding="utf-8")),
        boosters=boosters,
        negations=frozenset(vader.NEGATE),
        emotions=parse_emotions(emotion_text.read_text(encoding="utf-8")),
    )
