"""Is a quoted span dialogue, and do two pieces belong to one utterance?

Both questions are answered from the narration around the span: speech verbs, sentence
punctuation, and where in its sentence the span sits. Plain regular expressions, no parser.
"""

from __future__ import annotations

import re

SPEECH_VERBS = (
    "said|says|say|saying|asked|asks|ask|asking|replied|replies|reply|cried|cries|answered|"
    "answers|whispered|whispers|shouted|shouts|muttered|mutters|murmured|murmurs|exclaimed|"
    "exclaims|called|calls|calling|added|adds|continued|continues|began|begins|repeated|repeats|"
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
    "reasoned|hummed|sang|sings|quipped|barked|spat|huffed|purred|squeaked|squealed|"
    "crying|murmuring|whispering|shouting|muttering|exclaiming|adding|answering|replying|"
    "repeating|declaring|screaming|yelling|continuing|observing|remarking|interrupting"
)
VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.IGNORECASE)
_INTRODUCED = re.compile(
    rf"\b(?!call)(?:{SPEECH_VERBS})(?:\s+(?:to\s+)?(?:him|her|them|me|us|you|it|\w+self|\w+ly))?\W*$",
    re.IGNORECASE,
)
_FOLLOWED = re.compile(rf"\W*(?:(?:[\w'’.-]+\s+){{0,2}}(?:{SPEECH_VERBS})\b)", re.IGNORECASE)
MAX_WORDS = 6
"""Longer quoted spans are always taken as speech."""
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
TAG_SUBJECT = rf"(?:(?!(?:and|then|but|or|{SPEECH_VERBS})\b)[\w'’.-]+\s+){{0,3}}?"
"""Up to three words of a tag's subject before its verb (``"…," wrote Kim``, ``she
wrote``); never a speech verb or a conjunction: ``"Fine," she said and read on`` is said."""
_TALKED_ABOUT = re.compile(
    r"\s+(?:was|is|were|are|may|might|must|always|had|has|meant|means|stood|seemed|became)\b"
)
_TITLE_SMALL = frozenset(
    {"a", "an", "the", "of", "and", "in", "on", "to", "for", "at", "by", "or", "with"}
)
_TERMINAL = re.compile(r"[.!?…]\W*$")
_SENTENCE_PUNCT = re.compile(r"[!?;:]|\.(?=\s|$)|\.\.|…|—|--")


def words(s: str) -> int:
    """Number of words (letter-initial tokens) in ``s``."""
    return len(_WORD.findall(s))


def is_speech(text: str, para: tuple[int, int], start: int, end: int, inner: str) -> bool:
    """False for a scare quote, a title or a quoted word inside a narration sentence.

    Such a span is short (at most four words), has no sentence punctuation inside and sits
    in the middle of a narration sentence: a word (or a comma without a speech verb) right
    before it, the sentence going on right after it (``called it "borrowed" money``,
    ``as "handsome".``), and no speech verb introducing (``he said "no"``) or following it.
    """
    n = words(inner)
    if n == 0:
        return False  # a stray mark
    if n > MAX_WORDS:
        return True
    before = text[max(para[0], start - 60) : start].rstrip()
    if _title(inner) and _mid_sentence(before) and not _INTRODUCED.search(before):
        return False  # 'went to see "The Old Mill."', 'the initials "E. L."'
    if _SENTENCE_PUNCT.search(inner.rstrip(".,")) or inner.rstrip().endswith(("!", "?")):
        return True
    if "," in inner.rstrip(" ,.") and not inner.rstrip(" ,.").endswith(","):
        return True  # "indeed, I": a title or scare quote rarely has a comma inside
    after = text[end : min(para[1], end + 40)]
    if not before or not (before[-1].isalnum() or before[-1] in ",'’)_*"):
        # opens its paragraph or its sentence, or follows a colon or dash
        return n > 2 or not _talked_about(text[start:end], after)
    if _INTRODUCED.search(before):
        return True
    if before[-1] == "," and VERB_RE.search(" ".join(_WORD.findall(before)[-6:])):
        return True  # said he, "yes"
    # 'the nickname "Ace". She shrugs.': a full stop outside the marks ends a narration
    # sentence, so the verb after it is no tag of the quoted word.
    if after.lstrip()[:1] not in (".", ";", "!", "?") and _FOLLOWED.match(after):
        return True
    follow = after.lstrip()
    ends_sentence = inner.rstrip("_*").endswith((".", ","))
    if not follow:  # ', "perhaps not now."' ends a paragraph; 'called it "home."' too
        return ends_sentence and before[-1] == ","
    return False


def _title(inner: str) -> bool:
    """Two or more words, each capitalised or a small word, no ``!``/``?`` and no shouting:
    the name of a book, a song, a picture or a person (``"Ascension of St. John."``)."""
    found = _WORD.findall(inner)
    shouted = inner.isupper() and any(len(w) > 1 for w in found)  # initials are no shout
    if len(found) < 2 or inner.rstrip().endswith(("!", "?")) or shouted:
        return False
    return found[0][0].isupper() and all(w[0].isupper() or w in _TITLE_SMALL for w in found)


def _mid_sentence(before: str) -> bool:
    """The narration right before goes on in lower case, and not after "a": ``a sharp
    "Come In."`` is a line said, not a title."""
    last = _WORD.findall(before[-30:])
    return (
        bool(last)
        and before[-1].isalpha()
        and last[-1].islower()
        and not {"a", "an"} & {w.lower() for w in last[-2:]}
    )


def _talked_about(quote: str, after: str) -> bool:
    """A quoted word that opens a sentence about it: ``"Duty" was his least favourite word``.

    The word ends without punctuation of its own and a verb goes straight on; a speech verb
    in that sentence (``"Yes" was all she said``) makes it a line after all.
    """
    if quote.rstrip("\"'”’ ")[-1:] in ",.!?…-—":
        return False
    return _TALKED_ABOUT.match(after) is not None and VERB_RE.search(after) is None


_HYPOTHETICAL = re.compile(
    r"\b(?:as\s+if\s+(?:\w+\s+){1,2}(?:had\s+)?(?:said|asked|exclaimed|cried)|"
    r"as\s+much\s+as\s+to\s+say|as\s+who\s+should\s+say|seemed\s+to\s+say|"
    r"(?:wanted|longed|wished|yearned)\s+to\s+(?:say|ask|cry|exclaim|reply|answer|shout)|"
    r"(?:point|verge)\s+of\s+(?:saying|asking|crying)|"
    r"(?:would|could|might|should)\s+(?:not\s+)?have\s+"
    r"(?:said|exclaimed|answered|replied|cried|asked|shouted)|"
    r"felt\s+like\s+\w+ing(?:\s+back)?|(?:tongue|lips)\s+to\s+(?:say|ask|reply|exclaim|answer|cry)|"
    r"(?:easy|tempted|inclined)\s+to\s+(?:say|ask|reply|answer|cry)|implied|signified|"
    r"took\s+(?:it\s+)?to\s+mean|seemed\s+to\s+(?:ask|cry|reply)|"
    r"instead\s+of\s+saying|from\s+saying|(?:not|never)\s+going\s+to\s+say|useless\s+to\s+say|"
    r"(?:nearly|almost)\s+(?:said|answered|exclaimed|cried|asked)|"
    r"(?:look|looks|eyes|smile|glance|face|silence|gesture)\s+(?:which\s+)?"
    r"(?:said|asked|replied|meant|expressed|answered|implored))"
    r"\b[^.!?\"“”]{0,30}[,:]?\s*(?:--|—)?\s*$",
    re.IGNORECASE,
)


def hypothetical(lead: str) -> bool:
    """The narration ``lead`` before a quote says it was never spoken.

    ``She wanted to say, "Stay."``, ``as much as to say, "Go on."``, ``might have said:``,
    ``felt like answering:``, ``her eyes said:``; a habit (``he would say,``) was spoken and
    does not count.
    """
    return _HYPOTHETICAL.search(lead) is not None


_HYPOTHETICAL_TAG = re.compile(
    rf"[\"”’']?\s*{TAG_SUBJECT}(?:felt\s+like\s+\w+ing|"
    r"(?:seemed|meant|wanted|longed)\s+to\s+(?:say|ask|cry)|"
    r"(?:eyes|look|looks|glance|smile|face)\s+(?:\w+\s+)?(?:said|asked|implored|meant|pleaded))\b",
    re.IGNORECASE,
)


_NAMED = re.compile(
    r"(?:\bas\s+(?:[\w'’]+\s+){0,3}?(?:called|calls|call|expressed|expresses|put|puts|phrased|"
    r"termed|named|styled)\s+(?:it|him|her|them|this|that)\s*,|\bas\s+the\s+saying\s+(?:is|goes)\s*,|"
    r"\b(?:known|described|referred\s+to)\s+as|"
    r"\b(?:labell?ed|marked|entitled|titled|headed|stamped)(?:\s+\w+ly)?\s*,?|"
    r"\b(?:sobriquet|nickname|epithets?|phrase|word|term|title)(?:\s+of)?)\s*$",
    re.IGNORECASE,
)


def named(lead: str) -> bool:
    """The narration ``lead`` before a quote names words rather than reports them:
    ``as she called it,``, ``known as``, ``the word``, ``the nickname``, ``labelled,``."""
    return _NAMED.search(lead) is not None


def hypothetical_tag(after: str) -> bool:
    """The narration ``after`` a quote says it was never spoken: ``"Go," he felt like
    answering``, ``"Help me," her eyes implored``, ``"Stay," it seemed to say``."""
    return _HYPOTHETICAL_TAG.match(after) is not None


def tag_may_follow(quote: str, after: str) -> bool:
    """Whether the narration ``after`` a quote can be its tag: the quote leaves its sentence
    open (a comma, or a lowercase word next); ``"Fine." Her eyes said otherwise`` is no tag.
    """
    return quote.rstrip("\"'”’ ").endswith(",") or after.lstrip("\"'”’ ")[:1].islower()


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
