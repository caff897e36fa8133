"""Name keys, honorifics and a trie-shaped regex for scanning many names at once.

A regex alternation of a few thousand names is slow in Python's ``re`` (every branch is
tried at every position); the same names folded into a trie share their prefixes, so a
600k-word novel is scanned in a fraction of a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-"})
_SPACE = re.compile(r"\s+")


def name_key(surface: str) -> str:
    """Case-, space- and apostrophe-insensitive key of a name or title."""
    return _SPACE.sub(" ", surface.translate(_APOSTROPHES)).strip().casefold()


HONORIFICS: dict[str, str | None] = {
    "mr": "male",
    "mister": "male",
    "sir": "male",
    "lord": "male",
    "uncle": "male",
    "mrs": "female",
    "ms": "female",
    "miss": "female",
    "madam": "female",
    "madame": "female",
    "lady": "female",
    "aunt": "female",
    "dr": None,
    "doctor": None,
    "professor": None,
    "prof": None,
    "headmaster": None,
    "headmistress": "female",
    "coach": None,
    "captain": None,
    "detective": None,
    "inspector": None,
    "sergeant": None,
    "agent": None,
    "sheriff": None,
    "officer": None,
}
"""Titles that may precede a surname, with the gender they imply (None: any)."""

SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def split_honorific(surface: str) -> tuple[str | None, str]:
    """``"Mrs. Kim"`` → ``("mrs", "Kim")``; no title → ``(None, surface)``."""
    parts = surface.strip().split(None, 1)
    if len(parts) == 2:
        title = parts[0].rstrip(".").casefold()
        if title in HONORIFICS:
            return title, parts[1]
    return None, surface


_NOT_NAMES = frozenset({"the", "of", "a", "an", "all", "one", "for", "and", "to"})


def name_tokens(name: str) -> list[str]:
    """Words of a personal name: no quoted nickname (``Eric "Bitty" Bittle``), no title
    ("Mrs."), no suffix ("Jr."), no initials, no function words ("The Doctor")."""
    name = re.sub(r"\s*[\"“][^\"”]*[\"”]\s*", " ", name)
    words = [w for w in name.replace(",", " ").split() if w.casefold() not in SUFFIXES]
    while words and words[0].rstrip(".").casefold() in HONORIFICS:
        words = words[1:]
    return [w for w in words if len(w.strip(".")) > 1 and w.casefold() not in _NOT_NAMES]


_Trie = dict[str, "_Trie"]


def name_parts(name: str) -> list[tuple[str, Literal["first_name", "surname"]]]:
    """The first name and surname of a full name of two or more words, else nothing."""
    words = name_tokens(name)
    return [(words[0], "first_name"), (words[-1], "surname")] if len(words) >= 2 else []


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching exactly the given strings, longest alternative first at each branch."""
    trie: _Trie = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: _Trie) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
    return body
