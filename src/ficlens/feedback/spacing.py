"""Missing space after punctuation: ``meekly,mentally`` → ``meekly, mentally``.

Only letters on both sides count, so numbers (1,000), times (3:30) and ellipses are never
touched; initials and abbreviations ("J.K.", "e.g.", "a.m.") are short on the left, and
anything inside a URL, an e-mail address or a file name is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ficlens.feedback.context import Context, item
from ficlens.feedback.lexicon import words
from ficlens.model import Feedback

_GLUED = re.compile(r"(?<![\w.])([A-Za-z]{2,})([,;:!?.])([A-Za-z]{2,})\b")
_WEBBY = re.compile(
    r"https?:|www\.|@|/|\\|\.(?:com|org|net|edu|gov|io|uk|html?|txt|jpe?g|png)\b", re.IGNORECASE
)
_ABBREVIATIONS = words("eg ie am pm vs etc mr mrs ms dr st jr sr no vol ch pg pp approx")


_PLURAL_APOSTROPHE = re.compile(
    r"\b(?i:couple\s+of|few|several|many|two|three|four|five|six|seven|eight|nine|ten|"
    r"dozen|hundred)\s+(?P<word>(?P<stem>[a-z]{2,}[^s\W])['’]s)\b"
)
"""A plural after a number or quantifier written with an apostrophe: "a few week's"."""


_ALREADY_PLURAL = words("women men people children another mice geese feet teeth oxen folk")
"""Plurals (and "another") whose possessive is rightly "'s": "many people's", "two men's"."""


def plural_apostrophe_rules(ctx: Context) -> Iterator[Feedback]:
    """``punctuation.plural_apostrophe``: "two day's" → "two days" (or "two days' pay")."""
    for base, chunk in ctx.story_texts():
        for m in _PLURAL_APOSTROPHE.finditer(chunk):
            if m.group("stem").lower() in _ALREADY_PLURAL:
                continue
            start = base + m.start("word")
            after = ctx.token(base + m.end("word") + 1)
            possessive = after is not None and getattr(after, "pos_", "") == "NOUN"
            right = m.group("stem") + ("s'" if possessive else "s")
            yield item(
                start,
                base + m.end("word"),
                "punctuation.plural_apostrophe",
                'A plural takes no apostrophe ("two days"); a plural possessive puts it after '
                'the s ("two days\' pay").',
                right,
                "error",
            )


def spacing_rules(ctx: Context) -> Iterator[Feedback]:
    """``punctuation.missing_space``."""
    for base, chunk in ctx.story_texts():
        for m in _GLUED.finditer(chunk):
            left, mark, right = m.group(1), m.group(2), m.group(3)
            if mark == "." and (len(left) < 3 or left.lower() in _ABBREVIATIONS):
                continue
            if mark == "." and not right[0].isupper():
                continue  # "file.txt", "a.m.", domain-like words
            run_start = chunk.rfind(" ", 0, m.start()) + 1
            run_end = chunk.find(" ", m.end())
            run = chunk[run_start : run_end if run_end >= 0 else len(chunk)]
            if _WEBBY.search(run):
                continue
            yield item(
                base + m.start(1),
                base + m.end(3),
                "punctuation.missing_space",
                f"Missing space after '{mark}'.",
                f"{left}{mark} {right}",
                "warning",
            )
