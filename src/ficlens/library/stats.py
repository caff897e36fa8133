"""Corpus figures for a library: fandoms, ratings, characters, pairings, POV and tense.

Counts are numbers of fics. Characters and pairings combine what the fics declare
(character and relationship tags) with what the analysis found (``characters``, romantic
``relationships``); a name counts once per fic whichever way it was found. Ratings are
put on one scale for AO3 and fanfiction.net (see ``search.rating_class``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from ficlens.library.search import rating_class
from ficlens.library.store import Library

if TYPE_CHECKING:
    from ficlens.report.plots import Plot

TOP = 15
UNKNOWN = "(unknown)"
_RATING_LABELS = {
    "general": "General (G, K, K+)",
    "teen": "Teen (T)",
    "mature": "Mature (M)",
    "explicit": "Explicit (E, MA)",
    "not rated": "Not rated",
}
_PAIR_SPLIT = re.compile(r"\s*(/|&)\s*")

Count = tuple[str, int]


@dataclass
class CorpusStats:
    path: str
    fics: int = 0
    words: int = 0
    chapters: int = 0
    authors: int = 0
    fandoms: list[Count] = field(default_factory=list)
    ratings: list[Count] = field(default_factory=list)
    characters: list[Count] = field(default_factory=list)
    pairings: list[Count] = field(default_factory=list)
    pov: list[Count] = field(default_factory=list)
    tense: list[Count] = field(default_factory=list)
    formats: list[Count] = field(default_factory=list)


class _Names:
    """Counts fics per name, case-insensitively, shown in the most common spelling."""

    def __init__(self) -> None:
        self.fics: Counter[str] = Counter()
        self.spellings: dict[str, Counter[str]] = {}

    def add_fic(self, names: set[str]) -> None:
        seen: set[str] = set()
        for name in names:
            key = " ".join(name.casefold().split())
            if not key or key in seen:
                continue
            seen.add(key)
            self.fics[key] += 1
            self.spellings.setdefault(key, Counter())[" ".join(name.split())] += 1

    def top(self, n: int = TOP) -> list[Count]:
        ranked = sorted(self.fics.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        return [(self.spellings[k].most_common(1)[0][0], v) for k, v in ranked]


def _pairing_key(tag: str) -> str:
    """'B/A' and 'A/B' are one pairing; '&' (platonic) stays apart from '/'."""
    parts = _PAIR_SPLIT.split(tag.strip())
    names, seps = parts[::2], set(parts[1::2])
    sep = "&" if seps == {"&"} else "/"
    return sep.join(sorted(" ".join(n.split()) for n in names if n.strip()))


def _by_fic(rows: list[tuple[str, str | None]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for fid, name in rows:
        if name:
            out.setdefault(fid, set()).add(name)
    return out


def _mix(values: list[str | None]) -> list[Count]:
    counts = Counter(v or UNKNOWN for v in values)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def corpus_stats(lib: Library, top: int = TOP) -> CorpusStats:
    conn = lib.conn
    stats = CorpusStats(path=str(lib.path))
    row = conn.execute(
        "SELECT count(*), coalesce(sum(words), 0), coalesce(sum(chapters), 0) FROM fics"
    ).fetchone()
    if row:
        stats.fics, stats.words, stats.chapters = int(row[0]), int(row[1]), int(row[2])
    authors = conn.execute(
        "SELECT count(DISTINCT lower(a)) FROM (SELECT unnest(authors) AS a FROM fics)"
    ).fetchone()
    stats.authors = int(authors[0]) if authors else 0

    fandoms = _Names()
    per_fic = _by_fic(conn.execute("SELECT fic_id, unnest(fandoms) FROM fics").fetchall())
    for names in per_fic.values():
        fandoms.add_fic(names)
    stats.fandoms = fandoms.top(top)
    no_fandom = stats.fics - len(per_fic)
    if no_fandom:
        stats.fandoms.append(("(none declared)", no_fandom))

    ratings = [r[0] for r in conn.execute("SELECT rating FROM fics").fetchall()]
    stats.ratings = _mix(
        [_RATING_LABELS.get(rating_class(r), r) if r else "(none declared)" for r in ratings]
    )

    characters = _Names()
    declared = _by_fic(
        conn.execute("SELECT fic_id, tag FROM tags WHERE field = 'characters'").fetchall()
    )
    found = _by_fic(conn.execute("SELECT fic_id, name FROM characters").fetchall())
    for fid in declared.keys() | found.keys():
        characters.add_fic(declared.get(fid, set()) | found.get(fid, set()))
    stats.characters = characters.top(top)

    pairings = _Names()
    declared = _by_fic(
        conn.execute("SELECT fic_id, tag FROM tags WHERE field = 'relationships'").fetchall()
    )
    found = _by_fic(  # each fic's main pairing: its top romantic relationship, not its exes
        conn.execute(
            "SELECT fic_id, a_name || '/' || b_name FROM relationships WHERE kind = 'romantic' "
            "QUALIFY row_number() OVER (PARTITION BY fic_id ORDER BY score DESC) = 1"
        ).fetchall()
    )
    for fid in declared.keys() | found.keys():
        pairings.add_fic(
            {_pairing_key(t) for t in declared.get(fid, set()) | found.get(fid, set())}
        )
    stats.pairings = pairings.top(top)

    narrative = conn.execute(
        "SELECT n.person, n.tense FROM fics f LEFT JOIN narrative n USING (fic_id)"
    ).fetchall()
    stats.pov = _mix([person for person, _tense in narrative])
    stats.tense = _mix([tense for _person, tense in narrative])
    stats.formats = _mix([r[0] for r in conn.execute("SELECT format FROM fics").fetchall()])
    return stats


# ------------------------------------------------------------------------------ HTML


def _bar_plot(id_: str, title: str, counts: list[Count], what: str) -> Plot:
    """Horizontal bars with the report's plot style (SVG as a data: URI, text escaped)."""
    from ficlens.report.plots import RC, Plot, _figure, _svg_data_uri, short

    plot = Plot(id_, title, False, "", f"No {what} in the library yet.", headers=[what, "Fics"])
    plot.rows = [[name, str(n)] for name, n in counts]
    if not counts:
        return plot
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context(RC):
        fig = _figure((4.8, 1.0 + 0.35 * len(counts)))
        ax = fig.add_subplot()
        y = list(range(len(counts)))
        values = [n for _name, n in counts]
        ax.barh(y, values, color="#0072B2", edgecolor="black", linewidth=0.5)
        ax.set_yticks(y, [short(name) for name, _n in counts], parse_math=False)
        ax.invert_yaxis()
        for yi, value in zip(y, values, strict=True):
            ax.text(value, yi, f" {value}", va="center", fontsize=9)
        ax.set_xlim(0, max(values) * 1.15)
        ax.set_xlabel("Fics")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        plot.image = _svg_data_uri(fig)
    top = ", ".join(f"{name} {n}" for name, n in counts[:5])
    plot.alt = f"Bar chart of fics per {what.lower()}. Largest: {top}."
    return plot


def stats_plots(stats: CorpusStats) -> list[Plot]:
    """The six charts of the stats page, in page order (also used by ``ficlens serve``)."""
    return [
        _bar_plot("fandoms", "Fics per fandom", stats.fandoms, "Fandom"),
        _bar_plot("ratings", "Rating mix", stats.ratings, "Rating"),
        _bar_plot("characters", "Top characters", stats.characters, "Character"),
        _bar_plot("pairings", "Top pairings", stats.pairings, "Pairing"),
        _bar_plot("pov", "Point of view", stats.pov, "Person"),
        _bar_plot("tense", "Tense", stats.tense, "Tense"),
    ]


def render_stats_html(stats: CorpusStats) -> str:
    """A self-contained page: tables and data-URI SVG bar charts, no script.

    The Content Security Policy allows only the page's own style (by hash) and data:
    images, so nothing can run or be fetched even if escaping had a bug.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("ficlens.library", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    plots = stats_plots(stats)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    css = files("ficlens.library").joinpath("static", "stats.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    csp = (
        f"default-src 'none'; img-src data:; style-src 'sha256-{digest}'; "
        "base-uri 'none'; form-action 'none'"
    )
    return env.get_template("stats.html.j2").render(
        s=stats, plots=plots, generated=generated, css=Markup(css), csp=csp
    )


def write_stats_html(stats: CorpusStats, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(render_stats_html(stats), encoding="utf-8")
    partial.replace(path)
    return path
