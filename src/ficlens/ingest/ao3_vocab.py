"""AO3's canonical names for ratings, archive warnings and categories.

Sources (downloads, saved pages, FanFicFare, old EPUBs) spell these differently: AO3
*displays* "Creator Chose Not To Use Archive Warnings" for the tag named "Choose Not To
Use Archive Warnings", and "Underage" was renamed "Underage Sex" on 2024-11-10. Declared
values are mapped to the canonical tag name so that the tagging stage compares like with
like. Unknown names are returned stripped but otherwise unchanged.
"""

from __future__ import annotations

RATINGS: tuple[str, ...] = (
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
    "Not Rated",
)
WARNINGS: tuple[str, ...] = (
    "Choose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
)
CATEGORIES: tuple[str, ...] = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")

_RATING_ALIASES: dict[str, str] = {
    "general": "General Audiences",
    "teen and up": "Teen And Up Audiences",
    "not rated": "Not Rated",
    "unrated": "Not Rated",
}
_WARNING_ALIASES: dict[str, str] = {
    "creator chose not to use archive warnings": "Choose Not To Use Archive Warnings",
    "author chose not to use archive warnings": "Choose Not To Use Archive Warnings",
    "choose not to warn": "Choose Not To Use Archive Warnings",
    "underage": "Underage Sex",
    "no archive warnings": "No Archive Warnings Apply",
    "rape/non-consent": "Rape/Non-Con",
    "graphic depictions of violence": "Graphic Depictions Of Violence",
}
_CATEGORY_ALIASES: dict[str, str] = {"m/f": "F/M", "general": "Gen"}


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _lookup(name: str, canon: tuple[str, ...], aliases: dict[str, str]) -> str:
    key = _key(name)
    for tag in canon:
        if tag.casefold() == key:
            return tag
    return aliases.get(key, " ".join(name.split()))


def normalize_warning(name: str) -> str:
    """Map a declared archive warning to AO3's canonical tag name."""
    return _lookup(name, WARNINGS, _WARNING_ALIASES)


def normalize_rating(name: str) -> str:
    """Map a declared AO3 rating to its canonical name ("Teen and Up" → "Teen And Up Audiences")."""
    return _lookup(name, RATINGS, _RATING_ALIASES)


def normalize_category(name: str) -> str:
    """Map a declared AO3 category to its canonical name ("f/m" → "F/M")."""
    return _lookup(name, CATEGORIES, _CATEGORY_ALIASES)


def is_category(name: str) -> bool:
    """True when ``name`` is one of AO3's six categories (any spelling we know)."""
    return normalize_category(name) in CATEGORIES
