"""The report's plots, drawn with matplotlib to SVG and embedded as data-URI images.

An SVG shown through ``<img>`` can never run script, and matplotlib escapes the text it
writes, so input-derived labels (character names) are safe; ``parse_math=False`` stops a
name containing ``$`` from being read as mathtext. ``svg.fonttype: none`` keeps text as
text (searchable, crisp in print). Each plot carries a data table as its accessible
alternative; a plot without data is a note instead of an empty frame.
"""

from __future__ import annotations

import base64
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.typing import RcKeyType

from ficlens.cast import dialogue_turns
from ficlens.model import Analysis, EmotionPoint
from ficlens.report.people import Person, ink_for, name_of

RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "ficlens",
    "font.size": 10,
    "font.family": "sans-serif",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
}
POV_COLOURS: dict[str, str] = {
    "first": "#E69F00",
    "second": "#CC79A7",
    "third": "#0072B2",
    "unknown": "#DDDDDD",
}
ORDINAL = {"first": "1st", "second": "2nd", "third": "3rd"}
TENSE_COLOURS: dict[str, str] = {"past": "#009E73", "present": "#D55E00", "unknown": "#DDDDDD"}
TOP_SPEAKERS = 15
WIDE = (9.0, 3.4)


@dataclass(slots=True)
class Plot:
    """One figure of the report: an image (or a note when there is no data) plus a table."""

    id: str
    title: str
    wide: bool
    alt: str
    note: str
    image: str | None = None
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _svg_data_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(size: tuple[float, float]) -> Figure:
    with matplotlib.rc_context(RC):
        return Figure(figsize=size, layout="constrained")


def short(label: str, limit: int = 28) -> str:
    """Plot labels stay short; the data table beside the plot has the full name."""
    flat = " ".join(label.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _pct(value: float) -> str:
    return f"{value:.1f}%"


# ------------------------------------------------------------------------- network


def _draw_network(edges: list[tuple[str, str, float]], cast: dict[str, Person], title: str) -> str:
    """Characters on a circle, one line per pair, width proportional to the value; a pair
    whose value is 0 (they share scenes or mention each other but never talk) is a thin
    dotted line without a label."""
    nodes = list(dict.fromkeys(n for a, b, _v in edges for n in (a, b)))
    top = max(v for _a, _b, v in edges) or 1.0
    pos = {
        n: (
            math.cos(math.pi / 2 - 2 * math.pi * k / len(nodes)),
            math.sin(math.pi / 2 - 2 * math.pi * k / len(nodes)),
        )
        for k, n in enumerate(nodes)
    }
    with matplotlib.rc_context(RC):
        fig = _figure((4.8, 4.2))
        ax = fig.add_subplot()
        for a, b, value in edges:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            ax.plot(
                [x1, x2],
                [y1, y2],
                color="#555555" if value else "#AAAAAA",
                alpha=0.7,
                linewidth=0.8 + 9.0 * value / top,
                linestyle="-" if value else ":",
                solid_capstyle="round",
                zorder=1,
            )
            if value and len(edges) <= 15:
                ax.text(
                    (x1 + x2) / 2,
                    (y1 + y2) / 2,
                    f"{value:g}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    zorder=3,
                    parse_math=False,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
                )
        for node in nodes:
            x, y = pos[node]
            person = cast.get(node)
            ax.scatter(
                [x],
                [y],
                s=420,
                color=person.colour if person else "#999999",
                edgecolors="black",
                linewidths=0.8,
                zorder=2,
            )
            if person:
                ax.text(
                    x,
                    y,
                    person.initials,
                    ha="center",
                    va="center",
                    fontsize=7,
                    fontweight="bold",
                    color=person.ink,
                    parse_math=False,
                    zorder=3,
                )
            ax.text(
                x * 1.16,
                y * 1.16,
                short(name_of(cast, node)),
                ha="left" if x > 0.3 else "right" if x < -0.3 else "center",
                va="bottom" if y > 0.3 else "top" if y < -0.3 else "center",
                fontsize=10,
                parse_math=False,
                zorder=4,
            )
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.45, 1.45)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title)
        return _svg_data_uri(fig)


def network_plot(analysis: Analysis, cast: dict[str, Person]) -> Plot:
    """Who talks to whom: ``analysis.interactions`` when the relations stage filled it,
    else the dialogue turns counted from the quotes (speaker → addressees)."""
    if not any(i.a != i.b for i in analysis.interactions):
        return _turns_network_plot(analysis, cast)
    plot = Plot(
        "plot-network",
        "Interaction network",
        False,
        "",
        "No interactions found yet: the network appears once dialogue is attributed.",
        headers=[
            "Character A",
            "Character B",
            "Dialogue turns",
            "Mentions",
            "Shared scenes",
            "Weight",
        ],
    )
    edges = [i for i in analysis.interactions if i.a != i.b]
    plot.rows = [
        [
            name_of(cast, e.a),
            name_of(cast, e.b),
            f"{e.dialogue_turns} ({e.a_to_b} A→B, {e.b_to_a} B→A)",
            str(e.mentions),
            str(e.shared_scenes),
            f"{e.weight:.2f}",
        ]
        for e in sorted(edges, key=lambda e: (-e.dialogue_turns, -e.weight))
    ]
    nodes = {n for e in edges for n in (e.a, e.b)}
    use_turns = any(e.dialogue_turns for e in edges)
    plot.image = _draw_network(
        [(e.a, e.b, float(e.dialogue_turns if use_turns else e.weight)) for e in edges],
        cast,
        "Who talks to whom (line width = "
        + ("dialogue turns; dotted: no turns)" if use_turns else "interaction weight)"),
    )
    pairs = "; ".join(f"{r[0]} and {r[1]}: {r[2].split()[0]} turns" for r in plot.rows[:6])
    plot.alt = f"Network of {len(nodes)} characters with {len(edges)} links. Strongest: {pairs}."
    return plot


def _turns_network_plot(analysis: Analysis, cast: dict[str, Person]) -> Plot:
    """The network of dialogue turns: one turn = one speech quote from a speaker to an
    addressee; a line joins two characters with the turns in both directions."""
    plot = Plot(
        "plot-network",
        "Dialogue turns: who talks to whom",
        False,
        "",
        "No dialogue turns yet: the network appears once quotes have a speaker and an addressee.",
        headers=["Speaker", "Addressee", "Dialogue turns"],
    )
    turns = dialogue_turns(analysis)
    if not turns:
        return plot
    plot.rows = [
        [name_of(cast, a), name_of(cast, b), str(n)]
        for (a, b), n in sorted(turns.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    pairs: Counter[tuple[str, str]] = Counter()
    for (a, b), n in turns.items():
        pairs[(a, b) if (b, a) not in pairs else (b, a)] += n
    edges = [(a, b, float(n)) for (a, b), n in pairs.most_common()]
    nodes = {n for a, b, _v in edges for n in (a, b)}
    plot.image = _draw_network(edges, cast, "Dialogue turns, both directions (line width = turns)")
    strongest = "; ".join(f"{r[0]} to {r[1]}: {r[2]}" for r in plot.rows[:6])
    plot.alt = (
        f"Network of dialogue turns between {len(nodes)} characters, {len(edges)} pairs. "
        f"Most turns: {strongest}. The data table lists every speaker and addressee."
    )
    return plot


# ------------------------------------------------------------------- dialogue share


def spoken_words(analysis: Analysis) -> dict[str, int]:
    """Words spoken per character: ``stats.words_spoken``, else counted from quotes."""
    if analysis.stats.words_spoken:
        return dict(analysis.stats.words_spoken)
    counts: Counter[str] = Counter()
    for q in analysis.quotes:
        if q.speaker is not None:
            counts[q.speaker] += len(analysis.text[q.start : q.end].split())
    return dict(counts)


def dialogue_plot(analysis: Analysis, cast: dict[str, Person]) -> Plot:
    """Share of all spoken words per character, as horizontal bars."""
    plot = Plot(
        "plot-dialogue",
        "Dialogue share",
        False,
        "",
        "No attributed dialogue yet: the dialogue share appears once quotes have speakers.",
        headers=["Character", "Words spoken", "Share"],
    )
    words = {k: v for k, v in spoken_words(analysis).items() if v > 0}
    total = sum(words.values())
    if not total:
        return plot
    ranked = sorted(words.items(), key=lambda kv: -kv[1])
    plot.rows = [[name_of(cast, k), str(v), _pct(100 * v / total)] for k, v in ranked]
    shown = ranked[:TOP_SPEAKERS]
    rest = sum(v for _k, v in ranked[TOP_SPEAKERS:])
    labels = [short(name_of(cast, k)) for k, _v in shown] + (["(others)"] if rest else [])
    values = [100 * v / total for _k, v in shown] + ([100 * rest / total] if rest else [])
    colours = [cast[k].colour if k in cast else "#999999" for k, _v in shown]
    colours += ["#BBBBBB"] if rest else []
    with matplotlib.rc_context(RC):
        fig = _figure((4.8, 1.2 + 0.4 * len(labels)))
        ax = fig.add_subplot()
        y = list(range(len(labels)))
        ax.barh(y, values, color=colours, edgecolor="black", linewidth=0.5)
        ax.set_yticks(y, labels, parse_math=False)
        ax.invert_yaxis()
        for yi, value in zip(y, values, strict=True):
            ax.text(value, yi, f" {value:.0f}%", va="center", fontsize=9)
        ax.set_xlim(0, max(values) * 1.15)
        ax.set_xlabel("Share of spoken words (%)")
        ax.set_title(f"Dialogue share ({total:,} spoken words)")
        plot.image = _svg_data_uri(fig)
    top = ", ".join(f"{r[0]} {r[2]}" for r in plot.rows[:5])
    plot.alt = f"Bar chart of spoken words per character. Largest shares: {top}."
    return plot


# ------------------------------------------------------------------- emotion arc


def _boundaries(ax: Any, analysis: Analysis, size: int, label_chapters: bool) -> None:
    opened: set[int] = set()
    for sc in sorted(analysis.scenes, key=lambda s: s.start):
        if sc.chapter in opened:  # a scene break inside a chapter, not its first scene
            ax.axvline(100 * sc.start / size, color="#777777", linestyle=":", linewidth=0.9)
        opened.add(sc.chapter)
    for ch in analysis.chapters:
        x = 100 * ch.start / size
        ax.axvline(x, color="#333333", linestyle="--", linewidth=1.0)
        if label_chapters and len(analysis.chapters) <= 30:
            ax.text(
                x,
                1.0,
                f" Ch. {ch.number or ch.index + 1}",
                transform=ax.get_xaxis_transform(),
                va="bottom",
                ha="left",
                fontsize=8,
            )


def _emotion_means(points: Sequence[EmotionPoint]) -> dict[str, float]:
    """Each emotion's mean rate over the points: the fic's usual level of it."""
    totals: Counter[str] = Counter()
    for p in points:
        totals.update(p.emotions.model_dump())
    return {name: total / max(len(points), 1) for name, total in totals.items()}


def _elevated(p: EmotionPoint, means: dict[str, float]) -> str:
    """The emotion most above its usual level here. Raw rates would name joy nearly
    everywhere (its words are the commonest), which tells a reader nothing."""
    emotions = p.emotions.model_dump()
    rated = [(v / means[k], k, v) for k, v in emotions.items() if v and means.get(k)]
    if not rated:
        return "—"
    ratio, name, value = max(rated)
    return f"{name} {value:.2f} ({ratio:.1f}× usual)"


def arc_plot(analysis: Analysis) -> Plot:
    """Valence across the text, with chapter (dashed) and scene (dotted) boundaries.

    The line is drawn through the fixed word windows (``window="window"``), which are
    evenly spaced in narrative time; per-scene points would put uneven steps into one
    line, so scenes appear as boundaries, as a faint step of each scene's mean valence and
    in the data table (after the windows).
    """
    plot = Plot(
        "plot-arc",
        "Emotion arc",
        True,
        "",
        "No emotion arc yet: it appears once the affect stage has scored the text.",
        headers=["Position", "Valence", "Most elevated emotion (words per 100)"],
    )
    points = sorted(
        (p for p in analysis.emotion_arc if p.window == "window"), key=lambda p: p.start
    )
    scenes = sorted((p for p in analysis.emotion_arc if p.window == "scene"), key=lambda p: p.start)
    size = max(len(analysis.text), 1)
    if not points:
        points, scenes = scenes, []  # an analysis with scene points only still gets a line
    if not points:
        return plot
    xs = [100 * (p.start + p.end) / 2 / size for p in points]
    ys = [p.valence for p in points]
    means = _emotion_means(points)
    for x, p in zip(xs, points, strict=True):
        plot.rows.append([_pct(x), f"{p.valence:+.2f}", _elevated(p, means)])
    for p in scenes:
        x = 100 * (p.start + p.end) / 2 / size
        label = f"scene {p.index + 1}, {_pct(x)}"
        plot.rows.append([label, f"{p.valence:+.2f}", _elevated(p, means)])
    # Means of sentence valences stay well inside ±1: fit the axis to the data (at least
    # ±0.25, symmetric so that zero stays in the middle) or every arc looks flat.
    reach = min(1.0, max(0.25, 1.15 * max(abs(y) for y in ys + [p.valence for p in scenes])))
    low, high = -reach, reach
    with matplotlib.rc_context(RC):
        fig = _figure(WIDE)
        ax = fig.add_subplot()
        ax.axhline(0, color="#999999", linewidth=0.8)
        ax.fill_between(
            xs,
            ys,
            0,
            where=[y >= 0 for y in ys],
            color="#56B4E9",
            alpha=0.35,
            interpolate=True,
            label="positive",
        )
        ax.fill_between(
            xs,
            ys,
            0,
            where=[y < 0 for y in ys],
            color="#E69F00",
            alpha=0.35,
            interpolate=True,
            label="negative",
        )
        ax.plot(
            xs,
            ys,
            color="#0072B2",
            linewidth=1.6,
            marker="o" if len(xs) <= 60 else None,
            markersize=3,
        )
        if scenes:  # each scene's mean as a faint step under the line
            ax.hlines(
                [p.valence for p in scenes],
                [100 * p.start / size for p in scenes],
                [100 * p.end / size for p in scenes],
                color="#555555",
                linewidth=2.2,
                alpha=0.45,
                label="scene mean",
            )
        _boundaries(ax, analysis, size, label_chapters=True)
        ax.set_xlim(0, 100)
        ax.set_ylim(low, high)
        ax.set_xlabel("Position in the text (%); dashed = chapter start, dotted = scene break")
        ax.set_ylabel("Valence (negative … positive)")
        ax.legend(loc="lower left", fontsize=8, frameon=False, ncols=2)
        plot.image = _svg_data_uri(fig)
    lo = min(range(len(ys)), key=ys.__getitem__)
    hi = max(range(len(ys)), key=ys.__getitem__)
    plot.alt = (
        f"Line chart of valence over {len(points)} {points[0].window}s of the text. "
        f"Lowest {ys[lo]:+.2f} "
        f"at {xs[lo]:.0f}%, highest {ys[hi]:+.2f} at {xs[hi]:.0f}%."
    )
    return plot


# ------------------------------------------------------------------- POV / tense strip


def pov_plot(analysis: Analysis, cast: dict[str, Person]) -> Plot:
    """One bar per scene, width = scene length: narrative person above, tense below."""
    plot = Plot(
        "plot-pov",
        "POV and tense per scene",
        True,
        "",
        "No point of view or tense per scene yet: the strip appears once the narrative "
        "stage has run.",
        headers=["Scene", "Chapter", "Person", "Focal characters", "Tense"],
    )
    scenes = analysis.scenes
    if not any(s.pov.person or s.tense or s.pov.focal for s in scenes):
        return plot
    size = max(len(analysis.text), 1)
    for s in scenes:
        chapter = analysis.chapters[s.chapter] if s.chapter < len(analysis.chapters) else None
        plot.rows.append(
            [
                str(s.index + 1),
                str(chapter.number or chapter.index + 1) if chapter else str(s.chapter + 1),
                s.pov.person or "unknown",
                ", ".join(name_of(cast, f) for f in s.pov.focal) or "—",
                s.tense or "unknown",
            ]
        )
    with matplotlib.rc_context(RC):
        fig = _figure((9.0, 2.3))
        ax = fig.add_subplot()
        for s in scenes:
            x, width = 100 * s.start / size, 100 * (s.end - s.start) / size
            person, tense = s.pov.person or "unknown", s.tense or "unknown"
            ax.broken_barh(
                [(x, width)],
                (1.05, 0.8),
                facecolors=POV_COLOURS[person],
                edgecolors="white",
                linewidth=1,
            )
            ax.broken_barh(
                [(x, width)],
                (0.05, 0.8),
                facecolors=TENSE_COLOURS[tense],
                edgecolors="white",
                linewidth=1,
            )
            if width >= 7:
                focal = short(", ".join(name_of(cast, f) for f in s.pov.focal), 20)
                ax.text(
                    x + width / 2,
                    1.45,
                    ORDINAL.get(person, person) + (f" · {focal}" if focal else ""),
                    ha="center",
                    va="center",
                    color=ink_for(POV_COLOURS[person]),
                    fontsize=8,
                    parse_math=False,
                    clip_on=True,
                )
                ink = ink_for(TENSE_COLOURS[tense])
                ax.text(x + width / 2, 0.45, tense, ha="center", va="center", fontsize=8, color=ink)
        _boundaries(ax, analysis, size, label_chapters=True)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 1.9)
        ax.set_yticks([0.45, 1.45], ["Tense", "POV"])
        ax.set_xlabel("Position in the text (%)")
        handles = [
            Patch(color=c, label=f"{k} person" if k != "unknown" else k)
            for k, c in POV_COLOURS.items()
        ] + [Patch(color=c, label=k) for k, c in TENSE_COLOURS.items() if k != "unknown"]
        fig.legend(handles=handles, loc="outside lower center", ncols=6, fontsize=8, frameon=False)
        plot.image = _svg_data_uri(fig)
    people_count = Counter(r[2] for r in plot.rows)
    tenses = Counter(r[4] for r in plot.rows)
    plot.alt = (
        f"Strip of {len(scenes)} scenes. Person: "
        + ", ".join(f"{k} {v}" for k, v in people_count.most_common())
        + ". Tense: "
        + ", ".join(f"{k} {v}" for k, v in tenses.most_common())
        + "."
    )
    return plot


def all_plots(analysis: Analysis, cast: dict[str, Person]) -> list[Plot]:
    return [
        network_plot(analysis, cast),
        dialogue_plot(analysis, cast),
        arc_plot(analysis),
        pov_plot(analysis, cast),
    ]
