"""Cue scanning: compiled regex lexicons over the story text and over the paratext.

Every tag the stage suggests from wording rests on *cues*: spans of ``Analysis.text``
matched by one of the lexicons in :mod:`ficlens.tagging.lexicon`. Each lexicon kind is a
list of ``(weight, pattern)``; all kinds of one scope are compiled into a single
alternation with a named group per entry, so a novel is read once per scope (story, notes)
and every match already knows its kind and weight. Whether a cue sits inside a speech
quote is recorded, because "I love you" said aloud is a confession while narrated swearing
and quoted swearing both count for the rating.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ficlens.model import PARATEXT_KINDS, Analysis, Evidence

MAX_EVIDENCE = 5
"""At most this many spans back one suggestion: enough to check it, few enough to read."""

NOTE_KINDS = PARATEXT_KINDS - {"scene_description", "metadata", "toc"}
"""Paratext where an author talks about the work (summary, notes, spoilers, title…)."""


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str
    start: int
    end: int
    weight: float
    in_speech: bool = False


@dataclass
class Cues:
    """Cues found in one scope, by kind, in text order."""

    by_kind: dict[str, list[Cue]] = field(default_factory=lambda: defaultdict(list))

    def get(self, *kinds: str) -> list[Cue]:
        found = [c for k in kinds for c in self.by_kind.get(k, ())]
        return sorted(found, key=lambda c: c.start)

    def weight(self, *kinds: str) -> float:
        return sum(c.weight for k in kinds for c in self.by_kind.get(k, ()))

    def count(self, *kinds: str) -> int:
        return sum(len(self.by_kind.get(k, ())) for k in kinds)


class Lexicon:
    """One compiled pattern for many cue kinds: ``[(kind, [(weight, regex fragment)])]``.

    Alternatives are tried in the order given and the first that matches wins, so longer
    phrases must come before the single words they start with ("broken up" before
    "broken"). A key ``"a|b"`` files each match under both kinds ("killed him" is violence
    and a death).
    """

    def __init__(self, kinds: Sequence[tuple[str, Sequence[tuple[float, str]]]]) -> None:
        self._groups: dict[str, tuple[tuple[str, ...], float]] = {}
        by_letter: dict[str, list[str]] = defaultdict(list)
        anywhere: list[str] = []
        for key, entries in kinds:
            for weight, fragment in entries:
                name = f"c{len(self._groups)}"
                self._groups[name] = (tuple(key.split("|")), weight)
                part = f"(?P<{name}>{fragment})"
                firsts = first_chars(fragment)
                if firsts is None:
                    anywhere.append(part)
                for c in firsts or ():
                    by_letter[c].append(part)
        self.kinds = frozenset(k for key, _ in kinds for k in key.split("|"))
        # One pattern per first letter keeps the order of the entries that can start there;
        # trying all of them at every word start cost 5 s on a novel, this costs 0.2 s.
        order = {name: i for i, name in enumerate(self._groups)}

        def compiled(parts: list[str]) -> re.Pattern[str]:
            parts = sorted(set(parts), key=lambda p: order[p[4 : p.index(">")]])
            return re.compile(r"(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)

        self._by_letter = {c: compiled(ps + anywhere) for c, ps in by_letter.items()}
        self._anywhere = compiled(anywhere) if anywhere else None

    def scan(
        self, text: str, spans: Iterable[tuple[int, int]], speech: Sequence[tuple[int, int]] = ()
    ) -> Cues:
        cues = Cues()
        starts = [s for s, _ in speech]
        by_letter, anywhere, groups = self._by_letter, self._anywhere, self._groups
        for lo, hi in spans:
            pos = lo
            while True:
                w = _WORD_START.search(text, pos, hi)
                if w is None:
                    break
                start = w.start()
                pattern = by_letter.get(text[start].lower(), anywhere)
                m = pattern.match(text, start, hi) if pattern is not None else None
                if m is None or m.lastgroup is None:
                    pos = w.end()
                    continue
                kinds, weight = groups[m.lastgroup]
                i = bisect.bisect_right(starts, start) - 1
                inside = i >= 0 and m.end() <= speech[i][1]
                for kind in kinds:
                    cues.by_kind[kind].append(Cue(kind, start, m.end(), weight, inside))
                pos = max(m.end(), start + 1)
        return cues


_WORD_START = re.compile(r"\b[^\W_]\w*")


def first_chars(fragment: str) -> set[str] | None:
    """The lower-case characters a regex fragment can start with; None when any can.

    Read from the parse tree of :mod:`re` (a private module, stable across 3.11's life).
    """
    parsed: Any = re._parser.parse(fragment, re.IGNORECASE)  # type: ignore[attr-defined]
    chars, _ = _firsts(list(parsed))
    return chars


def _firsts(items: list[Any]) -> tuple[set[str] | None, bool]:
    """(possible first characters or None for any, whether ``items`` can match empty)."""
    out: set[str] = set()
    for op, av in items:
        name = str(op)
        chars: set[str] | None
        if name == "LITERAL":
            chars, nullable = {chr(av).lower()}, False
        elif name == "IN":
            chars, nullable = set(), False
            for sub_op, sub_av in av:
                if str(sub_op) == "LITERAL":
                    chars.add(chr(sub_av).lower())
                elif str(sub_op) == "RANGE":
                    chars |= {chr(c).lower() for c in range(sub_av[0], sub_av[1] + 1)}
                else:
                    chars = None
                    break
        elif name == "BRANCH":
            chars, nullable = set(), False
            for branch in av[1]:
                c, n = _firsts(list(branch))
                chars = None if chars is None or c is None else chars | c
                nullable = nullable or n
        elif name == "SUBPATTERN":
            chars, nullable = _firsts(list(av[-1]))
        elif name in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
            chars, nullable = _firsts(list(av[2]))
            nullable = nullable or av[0] == 0
        elif name in {"AT", "ASSERT", "ASSERT_NOT"}:
            chars, nullable = set(), True
        else:
            return None, False
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def story_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """The story segments (the whole text when the structure stage did not segment it)."""
    spans = [(s.start, s.end) for s in analysis.segments if s.kind == "story"]
    if not spans and not analysis.segments:
        spans = [(0, len(analysis.text))]
    return spans


def note_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """Paratext in which the author speaks about the work: summary, notes, spoilers."""
    return [(s.start, s.end) for s in analysis.segments if s.kind in NOTE_KINDS]


def speech_spans(analysis: Analysis) -> list[tuple[int, int]]:
    return sorted((q.start, q.end) for q in analysis.quotes if q.speech)


def evidence(
    text: str, cues: Iterable[Cue], label: str, limit: int = MAX_EVIDENCE
) -> list[Evidence]:
    """The strongest ``limit`` cues (earliest first among equals) as evidence, in text order.

    One span per distinct wording first, so five "damn"s do not hide the one "f—king".
    """
    ranked = sorted(cues, key=lambda c: (-c.weight, c.start))
    chosen: list[Cue] = []
    seen: set[str] = set()
    for c in ranked:
        word = text[c.start : c.end].casefold()
        if word not in seen:
            seen.add(word)
            chosen.append(c)
    for c in ranked:
        if len(chosen) >= limit:
            break
        if c not in chosen:
            chosen.append(c)
    chosen = sorted(chosen[:limit], key=lambda c: c.start)
    return [
        Evidence(start=c.start, end=c.end, cue=f"{label}: {text[c.start : c.end]}") for c in chosen
    ]
