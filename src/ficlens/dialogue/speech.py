"""Is a quoted span dialogue, and do two pieces belong to one utterance?

Both questions are answered from the narration around the span: speech verbs, sentence
punctuation, and where in its sentence the span sits. Plain regular expressions, no parser.
"""

from __future__ import annotations

import re

SPEECH_VERBS = (
    "said|says|say|saying|asked|asks|ask|asking|replied|replies|reply|cried|cries|answered|"
    "answers|whispered|whispers|shouted|shouts|muttered|mutters|murmured|murmurs|exclaimed|"
    "exclaims|called|calls|added|adds|continued|continues|began|begins|repeated|repeats|"
    "returned|rejoined|observed|remarked|yelled|yells|screamed|screams|snapped|snaps|"
    "growled|growls|sighed|sighs|laughed|laughs|breathed|hissed|hisses|demanded|demands|"
    "inquired|enquired|interrupted|interrupts|admitted|agreed|explained|explains|insisted|"
    "protested|suggested|declared|thought|thinks|wondered|told|tells|pleaded|begged|"
    "mumbled|stammered|stuttered|grumbled|sobbed|groaned|drawled|retorted|responded|"
    "chuckled|giggled|smiled|grinned|sneered|gasped|urged|announced|shrieked|bellowed|"
    "roared|croaked|panted|moaned|wailed|whimpered|scoffed|teased|joked|offered|ordered|"
    "commanded|warned|promised|persisted|resumed|concluded|assented|acknowledged|"
    "interposed|ejaculated|faltered|uttered|went on|goes on|chimed in|spoke|speaks|"
    "put in|broke in|cut in|pointed out|corrected|confirmed|conceded|countered|mused|"
    "reasoned|hummed|sang|sings|quipped|barked|spat|huffed|purred|squeaked|squealed"
)
VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TERMINAL = re.compile(r"[.!?…]\W*$")
_SENTENCE_PUNCT = re.compile(r"[!?;:]|\.(?=\s|$)|\.\.|…|—|--")


def words(s: str) -> int:
    """Number of words (letter-initial tokens) in ``s``."""
    return len(_WORD.findall(s))


def is_speech(text: str, para_start: int, start: int, end: int, inner: str) -> bool:
    """False for a scare quote, a title or a quoted word inside a narration sentence.

    Such a span is short (at most four words), has no sentence punctuation inside, sits in
    the middle of a sentence (narration right before it, no colon or comma introducing it)
    and has no speech verb just before or after it.
    """
    if words(inner) > 4 or words(inner) == 0:
        return True
    if _SENTENCE_PUNCT.search(inner.rstrip(".,")) or inner.rstrip().endswith(("!", "?")):
        return True
    before = text[max(para_start, start - 60) : start]
    if not before.strip():
        return True  # opens its paragraph: a line of dialogue
    last = before.rstrip()[-1]
    if last in ",:" or last in "—-–":
        return True  # introduced like speech: He said, "no"
    tail_words = _WORD.findall(before)[-4:]
    if any(VERB_RE.fullmatch(w) for w in tail_words):
        return True
    after = text[end : end + 40]
    after_words = _WORD.findall(after)[:3]
    return bool(VERB_RE.search(" ".join(after_words)))


def same_utterance(first_inner: str, between: str) -> bool:
    """Two pieces in one paragraph form one utterance when only a short tag separates them.

    ``"No," he said, "wait."`` and ``"Good," he said. "Now go."`` are one utterance; a long
    stretch of narration between two quotes starts a new one.
    """
    if "\n\n" in between:
        return False
    n = words(between)
    if n == 0:
        return True
    if n > 12:
        return False
    if not _TERMINAL.search(first_inner.rstrip()):
        return True
    return bool(VERB_RE.search(between))
