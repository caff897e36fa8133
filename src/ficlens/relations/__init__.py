"""relations stage: interactions between characters and relationship / pairing detection."""

from ficlens.relations.stage import RelationsStage, analyse

__all__ = ["RelationsStage", "analyse"]
