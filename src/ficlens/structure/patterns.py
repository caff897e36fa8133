"""Line patterns for paratext labels, chapter headings, scene breaks and flashback markers.

All knowledge of what these lines look like lives here, so the detectors stay small and a
new form is added in one place. Every matcher takes one stripped line (or paragraph).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from ficlens.model import SegmentKind

# ----------------------------------------------------------------- paratext labels

# Labelled header lines; the kind a paragraph starting with the label gets.
_LABELS: tuple[tuple[re.Pattern[str], SegmentKind], ...] = (
    (re.compile(r"disclaimer\b", re.I), "disclaimer"),
    (
        re.compile(
            r"(?:i|we)\s+(?:do\s+not|don'?t|don’t|dont|do\s+n'?t)\s+(?:own|have\s+any\s+rights)\b"
            r"|i\s+own\s+nothing\b|nothing\s+(?:is\s+)?mine\b|not\s+mine\b"
            r"|no\s+copyright\s+infringement|standard\s+disclaimer",
            re.I,
        ),
        "disclaimer",
    ),
    (
        re.compile(
            r"(?:a\s*/\s*n\b|a\.\s?n\.|an\s*:|author'?s'?\s+notes?\b|authors?\s+notes?\b|notes?\s*:"
            r"|n\s*/\s*a\s*:)",
            re.I,
        ),
        "authors_note",
    ),
    (re.compile(r"title\s*:", re.I), "title"),
    (re.compile(r"summary\s*:", re.I), "summary"),
    (re.compile(r"spoilers?\s*:", re.I), "spoilers"),
    (
        re.compile(r"(?:rating|rated)\s*:|rated\s+(?:k\+?|t|m|ma|g|pg(?:-?13)?|r|nc-?17)\b", re.I),
        "rating",
    ),
    (re.compile(r"(?:pairings?|ships?|shipping|relationships?)\s*:", re.I), "pairing"),
    (
        re.compile(
            r"(?:dedicat(?:ed|ion)\b|this\s+(?:one\s+)?is\s+(?:dedicated\s+)?for\b"
            r"|thanks?\s+(?:you\s+)?(?:so\s+much\s+)?to\s+(?:my|the|our)\s+(?:lovely\s+|amazing\s+"
            r"|wonderful\s+|awesome\s+)?betas?\b|beta(?:'?d|ed)?\s+(?:by|reader)\b|betas?\s*:)",
            re.I,
        ),
        "dedication",
    ),
    (
        re.compile(
            r"(?:warnings?|genres?|status|words|word\s+count|categor(?:y|ies)|characters"
            r"|fandoms?|author|language|published|updated|completed|chapters|timeline"
            r"|setting|feedback|archive|series|length|type|prompt|date|written|posted"
            r"|packaged|publisher|story\s+url|author\s+url|url|kudos|hits|bookmarks|comments"
            r"|collections|additional\s+tags|freeform\s+tags|site|source|authors?\s+notes?\s+url)\s*:",
            re.I,
        ),
        "metadata",
    ),
)
_LEAD = re.compile(r"^[\s*_~\-=#\[\](){}<>\"'“”‘’.•|]*")


def label_kind(line: str) -> SegmentKind | None:
    """The paratext kind a line announces with its leading label ("A/N:", "Summary:"…)."""
    body = _LEAD.sub("", line)
    for pattern, kind in _LABELS:
        if pattern.match(body):
            return kind
    return None


_REVIEW = re.compile(
    r"^\W*(?:please\s+)?(?:r\s*(?:&|and|n)\s*r\b|read\s+(?:&|and|n)\s+review|review\b|reviews\b"
    r"|thanks?\s+(?:you\s+)?for\s+(?:reading|the\s+reviews?)|hope\s+you\s+(?:all\s+)?(?:enjoy|like)"
    r"|let\s+me\s+know\s+what\s+you\s+think|to\s+be\s+continued\b|tbc\b)",
    re.I,
)
_REVIEW_ANY = re.compile(r"\bR\s*&\s*R\b|\bplease\s+review\b|\breview\s+please\b", re.I)


def is_review_request(par: str) -> bool:
    """A closing plea for reviews or thanks to readers ("Please review!", "R&R")."""
    if _REVIEW.match(par) and len(par.split()) <= 60:
        return not par.lstrip().startswith(('"', "“", "'"))
    return bool(_REVIEW_ANY.search(par)) and len(par.split()) <= 40


_NOTEISH = re.compile(
    r"\b(?:fics?|fanfics?|fanfiction|story|stories|chapters?|reviews?|reviewers?|reviewing"
    r"|betas?|betaed|update[sd]?|updating|post(?:ed|ing)?|enjoy(?:ed)?|thanks|thank\s+you"
    r"|lol|one-?shot|oneshot|sequel|readers?|spoilers?|episodes?|seasons?|the\s+show"
    r"|disclaimer|writing|wrote|author|feedback|flames?|fluff|ficlet|drabble|a/n)\b"
    r"|[:;]-?[)(DP]|<3",
    re.I,
)


def is_noteish(par: str) -> bool:
    """Whether a paragraph sounds like the author talking about the fic (not narration)."""
    stripped = par.lstrip()
    if stripped.startswith(('"', "“", "”", "'", "‘")):
        return False
    return bool(_NOTEISH.search(par))


def is_by_line(line: str) -> bool:
    """A short "by Author" line under a title."""
    return bool(re.match(r"^by\s+\S", line, re.I)) and len(line.split()) <= 8


def is_stage_direction(par: str) -> bool:
    """A wholly parenthesised or bracketed preface: "(Setting: a diner, just before closing…)"."""
    s = par.strip()
    return (
        len(s) >= 6
        and ((s[0] == "(" and s[-1] == ")") or (s[0] == "[" and s[-1] == "]"))
        and s.count("(") + s.count("[") == 1
    )


# ------------------------------------------------------------------------ headings

_NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS: dict[str, int] = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
_ROMAN = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$", re.I)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_NUMBER_TOKEN = (
    r"\d{1,4}|[ivxlcdm]{1,8}"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+[a-z]+)?"
    r"|[a-z]+teen|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
)


def parse_number(token: str) -> int | None:
    """Convert "4", "Four", "Twenty-One" or "XII" to an int; None when it is not a number."""
    t = token.strip().lower()
    if t.isdigit():
        return int(t)
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS[t]
    parts = re.split(r"[\s-]+", t)
    if parts[0] in _TENS and len(parts) <= 2:
        if len(parts) == 1:
            return _TENS[parts[0]]
        unit = _NUMBER_WORDS.get(parts[1])
        return _TENS[parts[0]] + unit if unit is not None and 0 < unit < 10 else None
    if t and _ROMAN.match(t):
        total = 0
        for i, ch in enumerate(t):
            value = _ROMAN_VALUES[ch]
            nxt = _ROMAN_VALUES[t[i + 1]] if i + 1 < len(t) else 0
            total += -value if value < nxt else value
        return total or None
    return None


_HEADING = re.compile(
    rf"^(?P<word>chapter|chap\.?|ch\.?|part|book)\s*(?P<num>{_NUMBER_TOKEN})\b"
    r"(?P<rest>.*)$",
    re.I,
)
_NAMED = re.compile(r"^(?P<word>prologue|epilogue|interlude|preface)\b(?P<rest>.*)$", re.I)
_SEP = re.compile(r"^\s*[:.\-–—|,]\s*")
_SENTENCE_END = re.compile(r"[.,;]$")


_RULE_DECOR = " \t*_~=#|•-–—"
_PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _strip_decor(s: str) -> str:
    """Strip rule-like decoration, and brackets only when they enclose the whole title:
    "~Chapter 2~" and "[The Ferry]" lose them, "The End (Part 1)" keeps its parenthesis."""
    s = s.strip(_RULE_DECOR)
    while len(s) >= 2 and _PAIRS.get(s[0]) == s[-1] and not {s[0], s[-1]} & set(s[1:-1]):
        s = s[1:-1].strip(_RULE_DECOR)
    return s


def _heading_title(rest: str) -> tuple[bool, str | None]:
    """Check what follows "Chapter 4": nothing, a separated title, or a short bare title."""
    rest = _strip_decor(rest)
    if not rest:
        return True, None
    sep = _SEP.match(rest)
    if sep:
        title = _strip_decor(rest[sep.end() :])
        return len(title) <= 120, title or None
    if rest[0].isalnum() and len(rest.split()) <= 10 and not _SENTENCE_END.search(rest):
        return True, rest
    return False, None


def match_heading(line: str) -> tuple[int | None, str | None] | None:
    """Return (number, title) when the line is a chapter heading, else None."""
    s = _strip_decor(line.strip())
    if not s or len(s) > 140:
        return None
    m = _HEADING.match(s)
    if m:
        number = parse_number(m.group("num"))
        if number is None:
            return None
        ok, title = _heading_title(m.group("rest"))
        return (number, title) if ok else None
    m = _NAMED.match(s)
    if m:
        ok, title = _heading_title(m.group("rest"))
        name = m.group("word").capitalize()
        return (None, title or name) if ok else None
    return None


_NUMBERED = re.compile(r"^(?P<num>\d{1,3})\.\s+(?P<title>\S.{0,80})$")


def match_numbered(line: str) -> tuple[int, str] | None:
    """An FFN "1. Title" line (accepted by the caller only when numbers run in sequence)."""
    m = _NUMBERED.match(line.strip())
    if not m or len(m.group("title").split()) > 10 or _SENTENCE_END.search(m.group("title")):
        return None
    return int(m.group("num")), m.group("title").strip()


def is_title_line(par: str) -> bool:
    """A short line that can be a chapter title under a bare "Chapter 4" heading."""
    s = par.strip()
    if not s or "\n" in s or len(s) > 80 or len(s.split()) > 10:
        return False
    if s[0] in "\"“'‘(" or s[-1] in '.,;"”':
        return False
    return label_kind(s) is None and not is_break(s)


# -------------------------------------------------------------------- scene breaks

_BREAK_SYMBOLS = set("*-=_~#+•·°◊◆○●§—–")
_BREAK_LETTERS = set("xXoO")
_BREAK_WORDS = {
    "line break",
    "linebreak",
    "lb",
    "page break",
    "pagebreak",
    "scene break",
    "scenebreak",
    "scene change",
    "break",
    "<hr>",
    "<hr/>",
    "<hr />",
}


def is_break(line: str) -> bool:
    """A scene-break line: "* * *", "-x-x-x-", "oOoOo", "~*~", "XXXXX", "Line break", "<hr>"."""
    s = line.strip()
    if not s or len(s) > 120 or "\n" in s:
        return False
    if s.lower() in _BREAK_WORDS:
        return s.lower() != "break" or s == s.upper()
    compact = s.replace(" ", "").replace("\t", "")
    inner = compact.strip("".join(_BREAK_SYMBOLS) + "[]()<>").lower()
    if inner in _BREAK_WORDS and inner != "break" and inner != compact.lower():
        return True
    chars = set(compact)
    if not chars <= (_BREAK_SYMBOLS | _BREAK_LETTERS):
        return False
    if chars & _BREAK_SYMBOLS:
        return len(compact) >= 3 or (len(compact) == 2 and len(s) >= 3) or compact == "*"
    letters = compact
    if len(letters) < 3:
        return False
    if set(letters.lower()) == {"x"}:
        return True
    if set(letters.lower()) == {"o"}:
        # oOoOo alternates case; "ooo"/"Ooo" is a sound someone makes.
        return all(a != b for a, b in pairwise(letters))
    return len(letters) >= 5


# ---------------------------------------------------------------------- flashbacks

_FB_OPEN = re.compile(
    r"^(?:(?:begin(?:ning)?|start)\s+(?:of\s+)?(?:the\s+)?)?flash\s*-?\s*back(?:\s+(?:begins|start)s?)?"
    r"(?P<rest>\s*[:\-–—]\s*.*|\s*\(.*\)|\s+\d.*)?$",
    re.I,
)
_FB_CLOSE = re.compile(
    r"^(?:(?:end(?:ing)?|close)\s+(?:of\s+)?(?:the\s+)?flash\s*-?\s*back|/\s*flash\s*-?\s*back"
    r"|flash\s*-?\s*back\s+(?:ends?|over|end(?:ed)?)|end\s+fb|back\s+to\s+(?:the\s+)?present"
    r"|present\s+(?:day|time))$",
    re.I,
)
_FB_DECOR = " \t*_~=#[](){}<>|•-–—.!"
MEMORY_CUE = re.compile(
    r"\b(?:thought\s+back|thinks\s+back|think\s+back|flashed\s+back|remembered|remembers"
    r"|remember(?:ed)?\s+when|memories\s+of|memory\s+of|mind\s+(?:drifted|wandered)\s+back"
    r"|reminisc\w+)\b",
    re.I,
)


def flashback_marker(line: str) -> str | None:
    """Return "open" or "close" for a flashback marker line, else None."""
    s = line.strip()
    if len(s) > 200 or "\n" in s:
        return None
    if s.startswith("/") and _FB_CLOSE.match(s.strip(" \t*_~=#[](){}<>|•-–—.!")):
        return "close"
    core = s.strip(_FB_DECOR)
    if not core:
        return None
    if _FB_CLOSE.match(core):
        return "close"
    m = _FB_OPEN.match(core)
    if m:
        return "open"
    return None


def marker_has_content(line: str) -> bool:
    """Whether an opening line carries story after the marker ("Flashback: It was 1999…")."""
    core = line.strip().strip(_FB_DECOR)
    m = _FB_OPEN.match(core)
    rest = (m.group("rest") or "") if m else ""
    return len(rest.split()) >= 6


# ----------------------------------------------------------------- letters

#: A letter's salutation paragraph ("Dear Judy,", "My dearest Mrs. Hale:") and its sign-off
#: ("Yours ever,", "Your affectionate friend"); matched with ``.match(text, start, end)``.
SALUTATION = re.compile(
    r"[\"'“‘«»]?\s*(?:my\s+)?(?:dear|dearest|darling)\b"
    r"(?:(?:Mrs?|Ms|Dr|St|Prof|Capt|Col|Rev)\.|[^.!?\n\"”]){0,40}"
    r"(?:[,:][\"”’']?|[,:]?[\"”’']\s*\[?(?:wrote|writes)\s+[^\]\n\"“”]{1,30}\]?[,:.]?)\s*$",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(
    r"[\"'“‘«»]?\s*(?:yours|your\s+(?:affectionate|loving|devoted|sincere|faithful|obedient|"
    r"humble|own|friend|ever|most)|ever\s+yours|sincerely|with\s+(?:all\s+my\s+)?love|"
    r"affectionately|faithfully|believe\s+me)\b[^\n]{0,40}$",
    re.IGNORECASE,
)
#: A sign-off is a short paragraph of its own; the signature after it shorter still.
MAX_SIGN_OFF = 60
MAX_SIGNATURE = 40


def is_sign_off(text: str, start: int, end: int) -> bool:
    """Whether the paragraph ``text[start:end]`` is a letter's sign-off ("Yours ever,")."""
    return end - start <= MAX_SIGN_OFF and SIGN_OFF.match(text, start, end) is not None


def letter_close(text: str, paragraphs: Sequence[Sequence[int]], j: int) -> int:
    """The last paragraph of a letter whose sign-off is paragraph ``j`` (each paragraph
    starts with its start and end offsets). A sign-off may take two lines ("Believe me," /
    "Yours truly,"); the short line after the last one is the signature."""
    while j + 1 < len(paragraphs) and is_sign_off(text, paragraphs[j + 1][0], paragraphs[j + 1][1]):
        j += 1
    if j + 1 < len(paragraphs) and paragraphs[j + 1][1] - paragraphs[j + 1][0] <= MAX_SIGNATURE:
        return j + 1
    return j
