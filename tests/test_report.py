"""The HTML report: span nesting, content of every section, escaping, empty states, plots."""

from __future__ import annotations

import base64
import re
import time
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ficlens
from ficlens.model import Analysis, Character, Mention, Quote, Source
from ficlens.report import render_report, write_report
from ficlens.report.annotate import HtmlSpan, nest_spans
from ficlens.report.people import PALETTE, contrast, people, tint
from ficlens.report.plots import all_plots
from ficlens.tagging.agreement import normalise
from tests.conftest import EXAMPLES
from tests.fixtures.report.analyses import HOSTILE, hostile, lighthouse

VOID = {"br", "hr", "img", "meta", "link", "input", "wbr"}


class _Checker(HTMLParser):
    """Collects text and checks that every element is closed in the right order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.errors: list[str] = []
        self.starts: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check(html: str) -> _Checker:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker


def _strip_tags(html: str) -> str:
    return unescape(re.sub(r"<[^>]*>", "", html))


# ------------------------------------------------------------------ nest_spans


def test_nest_spans_escapes_text_and_keeps_tags() -> None:
    text = 'a <b> & "c"'
    out = nest_spans(text, [HtmlSpan(2, 5, "<i>", "</i>")])
    assert out == "a <i>&lt;b&gt;</i> &amp; &#34;c&#34;"


def test_nest_spans_nested_spans_open_outer_first() -> None:
    out = nest_spans("abcdef", [HtmlSpan(1, 3, "<m>", "</m>", 7), HtmlSpan(0, 6, "<q>", "</q>", 6)])
    assert out == "<q>a<m>bc</m>def</q>"


def test_nest_spans_splits_crossing_span_and_uses_reopen_tag() -> None:
    spans = [
        HtmlSpan(0, 4, "<p>", "</p>", 4),
        HtmlSpan(6, 10, "<p>", "</p>", 4),
        HtmlSpan(2, 8, '<q id="x">', "</q>", 6, reopen="<q>"),
    ]
    out = nest_spans("abcd\n\nefgh", spans)
    assert out == '<p>ab<q id="x">cd</q></p><q>\n\n</q><p><q>ef</q>gh</p>'
    assert not _check(out).errors


def test_nest_spans_block_never_inside_inline() -> None:
    # A paragraph (rank 4) that starts inside a quote (rank 6) lifts the quote around it.
    out = nest_spans("xxyy", [HtmlSpan(0, 4, "<q>", "</q>", 6), HtmlSpan(2, 4, "<p>", "</p>", 4)])
    assert out == "<q>xx</q><p><q>yy</q></p>"


def test_nest_spans_empty_and_out_of_range_spans() -> None:
    out = nest_spans("abc", [HtmlSpan(1, 1, '<a id="z">', "</a>"), HtmlSpan(2, 99, "<b>", "</b>")])
    assert out == 'a<a id="z"></a>b<b>c</b>'


def test_nest_spans_is_fast_on_a_long_text() -> None:
    para = 'She said, "Come here, Tom." Tom came over and sat down by the fire. ' * 3
    text = "\n\n".join([para] * 20_000)  # ~1.2M words
    spans: list[HtmlSpan] = []
    pos = 0
    for _ in range(20_000):
        spans.append(HtmlSpan(pos, pos + len(para), "<p>", "</p>", 4))
        for m in re.finditer(r'"[^"]*"', para):
            spans.append(HtmlSpan(pos + m.start(), pos + m.end(), "<q>", "</q>", 6))
        for m in re.finditer(r"Tom", para):
            spans.append(HtmlSpan(pos + m.start(), pos + m.end(), "<m>", "</m>", 7))
        pos += len(para) + 2
    started = time.perf_counter()
    out = nest_spans(text, spans)
    assert time.perf_counter() - started < 10
    assert out.count("<q>") == 60_000


@st.composite
def _text_and_spans(draw: st.DrawFn) -> tuple[str, list[HtmlSpan]]:
    text = draw(st.text(alphabet=st.sampled_from(list("ab <>&\"'\n{}%é")), max_size=60))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, n))
        end = draw(st.integers(start, n))
        rank = draw(st.integers(0, 3))
        name = "bius"[rank]
        spans.append(HtmlSpan(start, end, f'<{name} class="k">', f"</{name}>", rank, f"<{name}>"))
    return text, spans


@settings(max_examples=400, deadline=None)
@given(_text_and_spans())
def test_nest_spans_property_text_preserved_and_well_nested(
    case: tuple[str, list[HtmlSpan]],
) -> None:
    """Any spans (nested, disjoint or crossing): the text survives and the tags nest."""
    text, spans = case
    out = nest_spans(text, spans)
    checker = _check(str(out))
    assert "".join(checker.text) == text
    assert _strip_tags(str(out)) == text
    assert not checker.errors and not checker.stack
    # Each span's first piece uses open_tag exactly once (ids stay unique).
    assert str(out).count(' class="k"') == len(spans)


# ------------------------------------------------------------------ the example fic


@pytest.fixture(scope="module")
def example_html() -> str:
    return render_report(ficlens.analyze_file(EXAMPLES / "the-keeper-of-small-lights.txt"))


def test_example_report_shows_title_chapters_scene_break_and_collapsed_paratext(
    example_html: str,
) -> None:
    html = example_html
    assert "<h1>The Keeper of Small Lights</h1>" in html
    assert '<h3 class="chapter-heading">Chapter 1: Paper Lanterns</h3>' in html
    assert '<h3 class="chapter-heading">Chapter 2: The Thousandth Lantern</h3>' in html
    assert re.search(r'<div class="scene-break"><hr>.*?\* \* \*</span></div>', html)
    disclaimer = re.search(r'<details class="paratext para-disclaimer"[^>]*>', html)
    assert disclaimer and " open" not in disclaimer.group(0)
    assert '<div class="flashback"' in html
    assert not _check(html).errors


def test_example_report_keeps_every_character_of_the_text(example_html: str) -> None:
    body = example_html.split('<div class="fic">', 1)[1].split("</section>\n</main>", 1)[0]
    decoration = r'<summary>.*?</summary>|<span class="(?:visually-hidden|who)"[^>]*>[^<]*</span>'
    body = re.sub(decoration, "", body)
    text = (EXAMPLES / "the-keeper-of-small-lights.txt").read_text(encoding="utf-8")
    assert "".join(_strip_tags(body).split()) == "".join(text.split())


def test_example_report_shows_the_state_of_every_layer(example_html: str) -> None:
    assert "No characters found yet" not in example_html  # the characters stage ran
    assert "No interactions found yet" not in example_html  # the relations stage ran
    assert "Interaction network" in example_html
    assert "No emotion arc yet" not in example_html  # the affect stage ran
    # the feedback stage ran and found nothing in the (clean) example fic
    assert "No feedback yet" not in example_html and "Nothing to flag" in example_html
    assert "No tag suggestions yet" not in example_html  # the tagging stage ran
    assert "Fandom (suggested)" in example_html  # none declared, Gilmore Girls found
    assert 'alt=""' not in example_html  # every plot that is drawn is described
    assert '<table class="characters">' in example_html


def test_write_report_creates_the_file(tmp_path: Path) -> None:
    analysis = lighthouse()
    path = write_report(analysis, tmp_path / "out" / "report.html")
    assert path.read_text(encoding="utf-8") == render_report(analysis)


# ------------------------------------------------------------------ a full analysis


@pytest.fixture(scope="module")
def full_html() -> str:
    return render_report(lighthouse())


def test_character_table_has_every_column(full_html: str) -> None:
    table = full_html.split('<table class="characters">', 1)[1].split("</table>", 1)[0]
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?Mara Quill</th>(.*?)</tr>", table, re.S)
    assert row is not None
    cells = [_strip_tags(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))]
    assert cells[:6] == ["Mara", "female", "not canon", "6", "5", "24"]
    assert '<a href="#first-c0">' in row.group(1)
    assert 'id="first-c0"' in full_html


def test_quotes_carry_speaker_initials_colour_class_and_tooltip(full_html: str) -> None:
    quote = re.search(
        r'<span class="q (c\d)" id="firstq-c\d" title="([^"]*)">'
        r'<span class="who" aria-hidden="true">(\w+)</span>',
        full_html,
    )
    assert quote is not None
    assert quote.group(3) == "TR"
    assert quote.group(2) == "Speaker: Tobias Reed · to Mara Quill · explicit · confidence 0.90"
    assert f".q.{quote.group(1)}{{background:" in full_html
    assert full_html.count('<span class="who"') == 11


def test_feedback_list_links_to_highlightable_spans(full_html: str) -> None:
    assert 'aria-pressed="false"' in full_html and 'data-toggle="show-feedback"' in full_html
    assert '<a href="#fb-1">filter-word</a>' in full_html
    assert re.search(r'<span class="fb sev-info" id="fb-1" [^>]*>She felt the cold', full_html)
    assert "Suggestion: Show the cold directly" in full_html
    assert '<a href="#slip-1">tense</a>' in full_html


def test_tags_show_agreement_confidence_and_evidence(full_html: str) -> None:
    assert re.search(
        r"General Audiences <span class=\"conf\">80%</span> <span class=\"agree\"", full_html
    )
    assert re.search(r"Slow Burn <span class=\"conf\">41%</span> <span", full_html)
    assert '<a href="#ev-additional-0-0"' in full_html
    assert 'id="ev-additional-0-0"' in full_html
    lighthouses = re.search(r'<li class="tag">Lighthouses</li>', full_html)
    assert lighthouses is not None  # declared but not suggested: no tick


@pytest.mark.parametrize(
    ("category", "a", "b", "same"),
    [
        ("rating", "T", "Teen And Up Audiences", True),
        ("relationships", "A/B", "B / A", True),
        ("additional", "Slow  Burn", "slow burn", True),
        ("additional", "Fluff", "Angst", False),
    ],
)
def test_tag_normalisation(category: str, a: str, b: str, same: bool) -> None:
    assert (normalise(category, a) == normalise(category, b)) is same


def test_all_sections_and_landmarks(full_html: str) -> None:
    for landmark in ("<header", "<nav", "<main>", "<footer>", 'href="#text"', 'class="skip-link"'):
        assert landmark in full_html
    assert '<a href="#chapter-2">Chapter 2: Clear Morning</a>' in full_html
    assert "Mara Quill / Tobias Reed" in full_html  # relationships table
    assert "Focal characters" in full_html
    assert not _check(full_html).errors


def test_plots_are_valid_svg_images_with_names_as_text() -> None:
    analysis = lighthouse()
    plots = all_plots(analysis, people(analysis))
    assert [p.id for p in plots] == ["plot-network", "plot-dialogue", "plot-arc", "plot-pov"]
    for plot in plots:
        assert plot.image and plot.image.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(plot.image.split(",", 1)[1]).decode("utf-8")
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
        assert texts, plot.id  # svg.fonttype none: labels are <text>, not paths
        assert plot.alt and plot.rows
    assert {"Mara Quill", "Tobias Reed", "Old Wen"} <= _svg_texts(plots[0].image or "")
    assert "Share of spoken words (%)" in _svg_texts(plots[1].image or "")


def _svg_texts(uri: str) -> set[str]:
    root = ET.fromstring(base64.b64decode(uri.split(",", 1)[1]))
    return {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}


def test_colours_are_readable() -> None:
    for colour in PALETTE:
        assert contrast(tint(colour), "#1a1a1a") >= 7  # body text on a quote tint


# ------------------------------------------------------------------ hostile input


@pytest.fixture(scope="module")
def hostile_html() -> str:
    return render_report(hostile())


def test_hostile_strings_are_escaped_everywhere(hostile_html: str) -> None:
    html = hostile_html
    assert html.count("<script") == 1  # only our own inline script
    assert "<img src=x" not in html and "<svg onload" not in html
    assert 'href="javascript:' not in html
    assert "Source URL (not linked): javascript:alert(1)" in html
    assert "</textarea>" not in html and html.count("</style>") == 1
    assert "<!--" not in html
    assert "9999" not in html  # {{ 1111*9 }} was not evaluated
    assert "{{ 1111*9 }}" in _strip_tags(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    checker = _check(html)
    assert not checker.errors
    for tag, attrs in checker.starts:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert tag not in {"iframe", "object", "embed", "svg", "textarea", "base", "form"}


def test_hostile_names_in_plots_are_escaped_text() -> None:
    analysis = hostile()
    plots = all_plots(analysis, people(analysis))
    network = plots[0].image or ""
    svg = base64.b64decode(network.split(",", 1)[1]).decode("utf-8")
    assert "<script" not in svg and "<img" not in svg
    texts = _svg_texts(network)
    assert any(t.startswith("<script>alert(1)") for t in texts)  # shown as text, shortened
    assert "ghost\"'<b>" in texts


def test_hostile_text_is_displayed_verbatim(hostile_html: str) -> None:
    fic = hostile_html.split('<div class="fic">', 1)[1]
    for attack in HOSTILE:
        assert attack in _strip_tags(fic)


def test_csp_allows_only_our_inline_code(hostile_html: str) -> None:
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', hostile_html)
    assert csp is not None
    policy = unescape(csp.group(1))
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
    assert "unsafe-inline" not in policy and "http" not in policy


# ------------------------------------------------------------------ edge cases


def test_minimal_analysis_without_segments_renders_text_as_paragraphs() -> None:
    text = 'First line\nsecond line.\n\n"Hi," said Ann.'
    analysis = Analysis(
        ficlens_version="0",
        source=Source(),
        text=text,
        characters=[Character(id="ann", name="Ann")],
        mentions=[
            Mention(start=text.index("Ann"), end=len(text) - 1, character="ann", kind="name")
        ],
        quotes=[
            Quote(
                start=text.index('"'), end=text.index('"', text.index('"') + 1) + 1, speaker="ann"
            )
        ],
    )
    html = render_report(analysis)
    assert "<h1>Untitled</h1>" in html
    assert "<p>First line\nsecond line.</p>" in html
    assert '<a href="#first-c0">' in html
    assert "No dialogue turns yet" in html  # a speaker but no addressee
    assert "Dialogue share" in html and html.count("<img") == 1  # dialogue from quotes


def test_initials_are_unique_and_colours_favour_talkers() -> None:
    text = '"Hi." "Yo." "Hey."'
    analysis = Analysis(
        ficlens_version="0",
        source=Source(),
        text=text,
        characters=[
            Character(id="r", name="Rory Gilmore"),
            Character(id="rich", name="Richard Gilmore"),
            Character(id="rr", name="Rory Gilmore"),
        ],
        quotes=[
            Quote(start=m.start(), end=m.end(), speaker="rr") for m in re.finditer(r'"[^"]*"', text)
        ],
    )
    cast = people(analysis)
    assert [cast[c].initials for c in ("r", "rich", "rr")] == ["RG", "RiG", "RoG"]
    assert cast["rr"].colour == PALETTE[0]  # the only speaker gets the first colour


def test_feedback_section_tells_not_run_from_nothing_found() -> None:
    analysis = lighthouse()
    analysis.feedback = []
    analysis.timings.pop("feedback", None)
    assert "No feedback yet" in render_report(analysis)
    analysis.timings["feedback"] = 0.01
    html = render_report(analysis)
    assert "No feedback yet" not in html and "Nothing to flag" in html


def test_narrative_shows_how_much_evidence_agrees() -> None:
    analysis = lighthouse()
    analysis.narrative.person, analysis.narrative.person_share = "third", 0.92
    analysis.narrative.tense, analysis.narrative.tense_share = "past", 0.875
    html = render_report(analysis)
    assert "third person (92% of the cues agree)" in html
    assert "past (88% of the cues agree)" in html


def test_feedback_counts_items_by_rule_most_frequent_first() -> None:
    from ficlens.model import Feedback

    analysis = lighthouse()
    story = analysis.text.index(analysis.text.strip()[:1])
    analysis.feedback = [
        Feedback(start=story, end=story + 1, rule="spelling.misspelling", message="m"),
        Feedback(start=story + 2, end=story + 3, rule="dialogue.tag_full_stop", message="d"),
        Feedback(start=story + 4, end=story + 5, rule="dialogue.tag_full_stop", message="d"),
    ]
    html = render_report(analysis)
    counts = re.search(r'<p class="rule-counts">(.*?)</p>', html, re.S)
    assert counts is not None
    line = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", counts.group(1))))
    assert line.strip() == ("3 items by rule: dialogue.tag_full_stop × 2, spelling.misspelling × 1")
    assert '<a href="#fb-2">dialogue.tag_full_stop</a>' in counts.group(1)


def test_arc_table_names_the_emotion_most_above_its_usual_level() -> None:
    from ficlens.model import EmotionPoint, Emotions

    analysis = lighthouse()
    n = len(analysis.text)
    # joy's words are common everywhere; fear spikes in the middle window only
    analysis.emotion_arc = [
        EmotionPoint(
            start=0, end=n // 3, index=0, valence=0.2, emotions=Emotions(joy=2.0, fear=0.1)
        ),
        EmotionPoint(
            start=n // 3,
            end=2 * n // 3,
            index=1,
            valence=-0.3,
            emotions=Emotions(joy=2.0, fear=0.9),
        ),
        EmotionPoint(
            start=2 * n // 3, end=n, index=2, valence=0.1, emotions=Emotions(joy=2.0, fear=0.0)
        ),
    ]
    [arc] = [p for p in all_plots(analysis, people(analysis)) if p.id == "plot-arc"]
    assert [row[2].split()[0] for row in arc.rows] == ["joy", "fear", "joy"]
    assert arc.rows[1][2] == "fear 0.90 (2.7× usual)"
