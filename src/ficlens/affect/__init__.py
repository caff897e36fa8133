"""affect stage: valence (VADER lexicon) and emotions (our curated lexicon) per scene and
per word window, and the valence of each character's dialogue."""

from ficlens.affect.stage import AffectStage

__all__ = ["AffectStage"]
