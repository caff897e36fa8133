"""Find every name mention of a known inventory in the story text.

Discovery works on parsed tokens; once the inventory is known, one compiled regex over
the story text finds every alias (longest first), which also serves a caller-supplied
character list. A name that is also a common word ("Will", "Hope") counts only where the
parser tags it as a proper noun.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ficlens.characters.layer import MentionRef, alias_key
from ficlens.characters.names import QuoteIndex
from ficlens.language.layer import LanguageLayer


def alias_pattern(aliases: Sequence[str]) -> re.Pattern[str] | None:
    """One alternation of all aliases, longest first, on word boundaries.

    Full stops are optional and spacing is free, so "Miss. Gilmore" finds "Miss Gilmore".
    """
    forms = sorted({a for a in aliases if a.strip()}, key=lambda a: (-len(a), a))
    parts = [r"\.?\s+".join(re.escape(w) for w in f.replace(".", " ").split()) for f in forms]
    parts = [p for p in parts if p]
    if not parts:
        return None
    # Not inside a word ("O'Neil" holds no "Neil"), but an opening single quote may
    # precede: "'Mr. Lockwood, your tenant.'"
    start = r"(?:(?<![\w'\u2019])|(?<=^')|(?<=[\s(\[\u2014-]'))"
    return re.compile(start + "(?:" + "|".join(parts) + r")(?!\w)")


def find_name_mentions(
    text: str,
    spans: Sequence[tuple[int, int]],
    owners: Mapping[str, list[str]],
    layer: LanguageLayer | None,
    quotes: QuoteIndex,
    common_words: frozenset[str] = frozenset(),
) -> list[tuple[MentionRef, list[str]]]:
    """Name mentions with their candidate character ids (several for a shared surname)."""
    pattern = alias_pattern(list(owners))
    if pattern is None:
        return []
    keyed = {alias_key(a): ids for a, ids in owners.items()}
    found: list[tuple[MentionRef, list[str]]] = []
    for start, end in spans:
        for m in pattern.finditer(text, start, end):
            surface = m.group(0)
            ids = keyed.get(alias_key(surface))
            if not ids:
                continue
            role = ""
            if layer is not None:
                token = layer.token_at(m.start())
                if token is not None:
                    role = token.dep_
                    if alias_key(surface) in common_words and token.pos_ != "PROPN":
                        continue
            mention = MentionRef(
                start=m.start(),
                end=m.end(),
                text=surface,
                kind="name",
                character=ids[0] if len(ids) == 1 else None,
                in_quote=quotes.contains(m.start()),
                role=role,
            )
            found.append((mention, ids))
    return found
