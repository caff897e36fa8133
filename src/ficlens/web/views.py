"""What the web pages show, computed in plain typed Python the tests can reach.

Templates only loop and print: every value handed to them is a plain ``str`` that Jinja2's
autoescape escapes, so fic-derived text (titles, tags, snippets) can never become markup.
The one place text is *marked* (search highlights) is split here into ``(text, marked)``
pieces; the template wraps the marked ones in ``<mark>`` and escapes both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ficlens.errors import LibraryError
from ficlens.library.search import Filters, Hit, normalise_pov, normalise_tense

if TYPE_CHECKING:
    from ficlens.report.plots import Plot

FIC_ID = re.compile(r"[0-9a-f]{64}")
"""A fic id is the sha256 of its input: exactly 64 lower-case hex digits, nothing else."""

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_FIELD = 200  # longer filter values are refused: nothing real is that long

TEXT_FIELDS = ("fandom", "pairing", "character", "tag")
RATINGS = ("general", "teen", "mature", "explicit", "not rated")
POVS = ("first", "second", "third")
TENSES = ("past", "present")
SEARCH_PARAMS = ("q", *TEXT_FIELDS, "rating", "pov", "tense", "min_words", "limit")


def is_fic_id(value: str) -> bool:
    return FIC_ID.fullmatch(value) is not None


@dataclass
class SearchForm:
    """The search form as submitted: the raw values (to refill the form) and what they mean."""

    values: dict[str, str] = field(default_factory=dict)
    query: str | None = None
    filters: Filters = field(default_factory=Filters)
    limit: int = DEFAULT_LIMIT
    errors: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """True when anything was asked (a bare visit lists the library by title)."""
        return any(self.values.get(k) for k in SEARCH_PARAMS if k != "limit")

    def query_string(self, **override: str) -> str:
        """The non-empty known parameters, to carry a search through a fic page and back."""
        values = {**self.values, **override}
        return urlencode([(k, values[k]) for k in SEARCH_PARAMS if values.get(k)])

    def more(self, shown: int) -> str | None:
        """The query string that shows twice as many hits, when the list was cut short.

        The library's search ranks and cuts in one query (no offset), so "more" is a
        longer list rather than a second page; it stops at ``MAX_LIMIT``.
        """
        if shown < self.limit or self.limit >= MAX_LIMIT:
            return None
        return self.query_string(limit=str(min(self.limit * 2, MAX_LIMIT)))


def _int(raw: str, name: str, errors: list[str], low: int, high: int) -> int | None:
    try:
        value = int(raw.strip())
    except ValueError:
        errors.append(f"{name} must be a whole number, not {raw!r}")
        return None
    if not low <= value <= high:
        errors.append(f"{name} must be between {low:,} and {high:,}")
        return None
    return value


def parse_search(params: Mapping[str, str]) -> SearchForm:
    """Read the search parameters; unknown ones are ignored, bad ones become messages.

    POV and tense go through the library's own normalisers, so the web accepts exactly
    what ``ficlens library search`` accepts ("1st", "first person", …).
    """
    form = SearchForm()
    for key in SEARCH_PARAMS:
        raw = params.get(key, "")
        if len(raw) > MAX_FIELD:
            form.errors.append(f"{key} is too long (at most {MAX_FIELD} characters)")
            raw = ""
        form.values[key] = raw
    v = {k: s.strip() for k, s in form.values.items()}
    form.query = v["q"] or None
    pov = tense = None
    try:
        pov = normalise_pov(v["pov"]) if v["pov"] else None
    except LibraryError as exc:
        form.errors.append(str(exc))
    try:
        tense = normalise_tense(v["tense"]) if v["tense"] else None
    except LibraryError as exc:
        form.errors.append(str(exc))
    min_words = _int(v["min_words"], "min words", form.errors, 0, 10**9) if v["min_words"] else None
    if v["limit"]:
        form.limit = _int(v["limit"], "limit", form.errors, 1, MAX_LIMIT) or DEFAULT_LIMIT
    form.filters = Filters(
        fandom=v["fandom"] or None,
        rating=v["rating"] or None,
        pairing=v["pairing"] or None,
        character=v["character"] or None,
        tag=v["tag"] or None,
        pov=pov,
        tense=tense,
        min_words=min_words,
    )
    return form


@dataclass(frozen=True)
class ResultRow:
    """One search hit as the results list shows it."""

    fic_id: str
    title: str
    authors: str
    fandoms: str
    pairings: str
    rating: str
    words: str
    snippet: list[tuple[str, bool]]
    score: str | None


def highlight_parts(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, marked)`` by the highlight spans (clipped, in order)."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            parts.append((text[pos:start], False))
        parts.append((text[start:end], True))
        pos = end
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


def display_title(title: str | None, path: str | None, fic_id: str) -> str:
    """A fic's title, else its file name, else the start of its id (as the CLI shows it)."""
    if title and title.strip():
        return title
    if path:
        return re.split(r"[\\/]", path)[-1]
    return fic_id[:12]


def result_row(hit: Hit) -> ResultRow:
    return ResultRow(
        fic_id=hit.fic_id,
        title=display_title(hit.title, hit.path, hit.fic_id),
        authors=", ".join(hit.authors),
        fandoms=", ".join(hit.fandoms) or "—",
        pairings=", ".join(hit.pairings) or "—",
        rating=hit.rating or "—",
        words=f"{hit.words:,}",
        snippet=highlight_parts(hit.snippet, hit.highlights),
        score=None if hit.score is None else f"{hit.score:.2f}",
    )


# Stats rows link to a search; the chart id says which filter a row's name belongs to.
STATS_FILTER = {
    "fandoms": "fandom",
    "characters": "character",
    "pairings": "pairing",
    "pov": "pov",
    "tense": "tense",
}


def stats_link(plot_id: str, name: str) -> str | None:
    """A search URL for one row of a stats table, or None (ratings, unknowns)."""
    key = STATS_FILTER.get(plot_id)
    if key is None or name.startswith("("):
        return None
    return "/?" + urlencode({key: name})


def stats_rows(plot: Plot) -> list[tuple[str, str, str | None]]:
    """A stats table's rows as (name, fics, search link or None)."""
    return [(row[0], row[1], stats_link(plot.id, row[0])) for row in plot.rows]
