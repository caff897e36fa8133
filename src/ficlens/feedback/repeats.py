"""Repeated words: "the the" → "the".

Some doublings are English ("had had", "that that", "what it is is") and some are
deliberate ("very very", "no no no"); in dialogue people repeat themselves on purpose,
so inside quotations only small function words count ("to to", "a a"). Stutters written
with a hyphen ("I-I") never match, and a comma between the words ("very, very") breaks
the pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ficlens.feedback.context import Context, item
from ficlens.feedback.lexicon import words
from ficlens.model import Feedback

_PAIR = re.compile(r"(?<![\w'’-])([A-Za-z]+)(?:[ \t]+\n?|\n)[ \t]*(\1)(?![\w'’-])", re.IGNORECASE)
_LEGITIMATE = words(
    "had that is her do did very really so no yes yeah oh ah ha bye now come go knock well "
    "please more much far long little many over again on round blah la tut hush never ever "
    "there here what why okay ok out up down back hurry run wait boom bang tick tock chop "
    "hey hi wow aye quick faster slowly nice good bad fine sure right dear away too one two "
    "me mine you ho hip hum tsk ding dong fast yay woo pooh bla tick knock uh um mm hm er "
    "ta toot choo"
)
_CLAUSE_EDGE = words(
    "it him her them you me us this that these those there here one in on up out off down "
    "over back by through about around"
)
"""Words that can end one clause and start the next ("once you mend it it holds")."""
_FUNCTION = words(
    "the a an to of in on at for with from by and or but as is was are were be his her "
    "their my your our its it this"
)


def repeat_rules(ctx: Context) -> Iterator[Feedback]:
    """``repetition.repeated_word``."""
    for base, chunk in ctx.story_texts():
        for m in _PAIR.finditer(chunk):
            word = m.group(1).lower()
            if word in _LEGITIMATE or word in _CLAUSE_EDGE:
                continue
            if word != "a" and len(word) == 1:
                continue  # "I I" and "o o" are stutters or letters more often than slips
            if ctx.in_quote(base + m.start()) and word not in _FUNCTION:
                continue
            yield item(
                base + m.start(1),
                base + m.end(2),
                "repetition.repeated_word",
                f'"{m.group(1)}" is repeated.',
                m.group(1),
                "error",
            )
