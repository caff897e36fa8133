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
        self._pairs: dict[str, list[str]] = defaultdict(list)  # first two letters → parts
        self._singles: dict[str, list[str]] = defaultdict(list)  # first letter only
        self._anywhere: list[str] = []
        for key, entries in kinds:
            for weight, fragment in entries:
                name = f"c{len(self._groups)}"
                self._groups[name] = (tuple(key.split("|")), weight)
                part = f"(?P<{name}>{fragment})"
                found = prefixes(fragment)
                if found is None:
                    self._anywhere.append(part)
                for prefix in found or ():
                    if len(prefix) >= 2:
                        self._pairs[prefix].append(part)
                    elif prefix:
                        self._singles[prefix].append(part)
                    else:
                        self._anywhere.append(part)
        self.kinds = frozenset(k for key, _ in kinds for k in key.split("|"))
        self._order = {name: i for i, name in enumerate(self._groups)}
        self._compiled: dict[str, re.Pattern[str] | None] = {}

    def _pattern(self, key: str) -> re.Pattern[str] | None:
        """The entries that can start with ``key`` (a word's first two characters), in
        lexicon order. Trying every entry at every word start cost 5 s on a novel."""
        found = self._compiled.get(key, False)
        if found is not False:
            return found  # type: ignore[return-value]
        parts = self._pairs.get(key, []) + self._singles.get(key[:1], []) + self._anywhere
        pattern = None
        if parts:
            ordered = sorted(set(parts), key=lambda p: self._order[p[4 : p.index(">")]])
            pattern = re.compile(r"(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)
        self._compiled[key] = pattern
        return pattern

    def scan(
        self, text: str, spans: Iterable[tuple[int, int]], speech: Sequence[tuple[int, int]] = ()
    ) -> Cues:
        cues = Cues()
        starts = [s for s, _ in speech]
        groups, compiled = self._groups, self._compiled
        for lo, hi in spans:
            covered = lo  # words inside the last match are not read again
            for w in _WORD.finditer(text, lo, hi):
                start = w.start()
                if start < covered:
                    continue
                key = text[start : start + 2].lower()
                pattern = compiled[key] if key in compiled else self._pattern(key)
                if pattern is None:
                    continue
                m = pattern.match(text, start, hi)
                if m is None or m.lastgroup is None or m.end() < w.end():
                    continue
                kinds, weight = groups[m.lastgroup]
                covered = m.end()
                i = bisect.bisect_right(starts, start) - 1
                inside = i >= 0 and m.end() <= speech[i][1]
                for kind in kinds:
                    cues.by_kind[kind].append(Cue(kind, start, m.end(), weight, inside))
        return cues


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


_WORD = re.compile(r"\b[^\W_][\w'’-]*")


def prefixes(fragment: str, n: int = 2) -> set[str] | None:
    """The lower-case beginnings (up to ``n`` characters) a regex fragment can match; a
    shorter string means anything may follow it; None when any first character can match.

    Read from the parse tree of :mod:`re` (a private module, stable across 3.11's life).
    """
    parsed: Any = re._parser.parse(fragment, re.IGNORECASE)  # type: ignore[attr-defined]
    found = _seq(list(parsed), n)
    if found is None:
        return None
    complete, open_ = found
    return complete | open_


_Prefixes = tuple[set[str], set[str]]  # (whole matches shorter than n, open beginnings)


def _seq(items: list[Any], n: int) -> _Prefixes | None:
    partial: set[str] = {""}
    open_: set[str] = set()
    for item in items:
        found = _item(item, n)
        if found is None:
            open_ |= partial
            partial = set()
            break
        complete, opened = found
        grown: set[str] = set()
        for p in partial:
            for c in complete:
                (open_.add((p + c)[:n]) if len(p + c) >= n else grown.add(p + c))
            for o in opened:
                open_.add((p + o)[:n])
        partial = grown
        if not partial:
            break
    if "" in open_:
        return None
    return partial, open_


def _item(item: tuple[Any, Any], n: int) -> _Prefixes | None:
    op, av = item
    name = str(op)
    if name == "LITERAL":
        return {chr(av).lower()}, set()
    if name == "IN":
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if str(sub_op) == "LITERAL":
                chars.add(chr(sub_av).lower())
            elif str(sub_op) == "RANGE":
                chars |= {chr(c).lower() for c in range(sub_av[0], sub_av[1] + 1)}
            else:
                return None
        return chars, set()
    if name == "BRANCH":
        complete: set[str] = set()
        opened: set[str] = set()
        for branch in av[1]:
            found = _seq(list(branch), n)
            if found is None:
                return None
            complete |= found[0]
            opened |= found[1]
        return complete, opened
    if name == "SUBPATTERN":
        return _seq(list(av[-1]), n)
    if name in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
        found = _seq(list(av[2]), n)
        if found is None:
            return None
        complete, opened = set(found[0]), set(found[1])
        if av[1] > 1:  # more repetitions may follow: what one repetition matched is open
            opened |= complete
            complete = set()
        if av[0] == 0:
            complete.add("")
        return complete, opened
    if name in {"AT", "ASSERT", "ASSERT_NOT"}:
        return {""}, set()
    return None
