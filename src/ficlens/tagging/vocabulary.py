"""AO3's exact tag names for what the tagging stage suggests.

Ratings, warnings and categories are AO3's fixed sets (shared with ingest's declared-tag
normaliser, so that suggestions and declarations compare like with like); the additional
tags are a small curated set of common canonical freeform tags, each of which has an
evidence rule in :mod:`ficlens.tagging.additional`.
"""

from __future__ import annotations

from typing import Final

from ficlens.ingest.ao3_vocab import CATEGORIES, WARNINGS

GENERAL: Final = "General Audiences"
TEEN: Final = "Teen And Up Audiences"
MATURE: Final = "Mature"
EXPLICIT: Final = "Explicit"
RATING_SCALE: Final[tuple[str, ...]] = (GENERAL, TEEN, MATURE, EXPLICIT)
"""Suggestable ratings, mildest first ("Not Rated" is never suggested)."""

NO_WARNINGS: Final = "No Archive Warnings Apply"
VIOLENCE: Final = "Graphic Depictions Of Violence"
DEATH: Final = "Major Character Death"
NONCON: Final = "Rape/Non-Con"
UNDERAGE: Final = "Underage Sex"
CHOSE_NOT: Final = "Choose Not To Use Archive Warnings"

F_F, F_M, GEN, M_M, MULTI, OTHER = CATEGORIES

ADDITIONAL: Final[tuple[str, ...]] = (
    "Angst",
    "Fluff",
    "Hurt/Comfort",
    "Romance",
    "Humor",
    "First Kiss",
    "Love Confessions",
    "Established Relationship",
    "Getting Together",
    "Break Up",
    "Reunions",
    "Phone Calls",
    "Flashbacks",
    "Episode Related",
    "Missing Scene",
    "Canon Divergence",
    "Post-Canon",
    "First Person",
    "Present Tense",
    "Loss of Virginity",
    "Alternate Universe",
)
"""The freeform tags ficlens may suggest, in AO3's canonical spelling."""

assert {NO_WARNINGS, VIOLENCE, DEATH, NONCON, UNDERAGE, CHOSE_NOT} == set(WARNINGS)
