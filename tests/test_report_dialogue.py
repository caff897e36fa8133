"""The report on real characters and dialogue output (the short fic of tests/dialogue_fic).

Each quotation is read back from the HTML as a browser would see it (classes, tooltip,
text), so the tests check what a reader gets, not how the template is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

import pytest

from ficlens.cast import dialogue_turns, narrator_of
from ficlens.model import Analysis
from ficlens.report import render_report
from ficlens.report.textview import NOT_SPEECH
from tests.dialogue_fic import NOT_SPEECH as NOT_SPEECH_WORDS
from tests.dialogue_fic import analysed, quote_at


@dataclass
class Span:
    classes: list[str]
    title: str
    text: str = ""
    badge: str = ""
    hidden: str = ""


class _Reader(HTMLParser):
    """Every quotation span (``.q`` or ``.qn``) with its visible text, badge and title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.quotes: list[Span] = []
        self.mentions: list[Span] = []
        self._stack: list[tuple[str, Span | None, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        role = ""
        span = None
        if "q" in classes or "qn" in classes:
            span = Span(classes, a.get("title", ""))
            self.quotes.append(span)
            role = "quote"
        elif "m" in classes:
            span = Span(classes, a.get("title", ""))
            self.mentions.append(span)
            role = "mention"
        elif "who" in classes:
            role = "who"
        elif "visually-hidden" in classes:
            role = "hidden"
        self._stack.append((role, span, tag))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        roles = [r for r, _s, _t in self._stack]
        for _role, span, _tag in self._stack:
            if span is None:
                continue
            if "who" in roles:
                span.badge += data
            elif "hidden" in roles:
                span.hidden += data
            else:
                span.text += data


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analysed()[0]


@pytest.fixture(scope="module")
def html(analysis: Analysis) -> str:
    return render_report(analysis)


@pytest.fixture(scope="module")
def reader(html: str) -> _Reader:
    body = html.split('<div class="fic">', 1)[1]
    r = _Reader()
    r.feed(body)
    return r


def _quote(reader: _Reader, words: str) -> Span:
    return next(q for q in reader.quotes if q.text == words)


def test_the_pipeline_found_the_cast_the_tests_rely_on(analysis: Analysis) -> None:
    assert {c.name for c in analysis.characters} >= {"Marta", "Tomas", "Narrator"}
    assert narrator_of(analysis) == "narrator"


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ('"You\'re late,"', "Marta"),
        ('"The tide was wrong,"', "Narrator"),
        ('"Tomas, come and help us,"', "Marta"),
        ('"I\'m coming, Marta."', "Tomas"),
    ],
)
def test_quotes_show_the_right_speaker(reader: _Reader, words: str, speaker: str) -> None:
    span = _quote(reader, words)
    assert "q" in span.classes and "qn" not in span.classes
    assert span.title.startswith(f"Speaker: {speaker} ")
    initials = {"Marta": "M", "Tomas": "T", "Narrator": "N"}[speaker]
    assert span.badge.rstrip("?") == initials


def test_tooltip_has_addressees_type_and_confidence(reader: _Reader, analysis: Analysis) -> None:
    q = analysis.quotes[quote_at(analysis, '"You\'re late,"')]
    span = _quote(reader, '"You\'re late,"')
    assert span.title == (
        f"Speaker: Marta · to Narrator · explicit · confidence {q.confidence:.2f}"
    )


def test_every_speech_quote_is_tinted_by_its_speaker(reader: _Reader, html: str) -> None:
    speech = [s for s in reader.quotes if "q" in s.classes]
    assert len(speech) == 7
    for span in speech:
        key = next(c for c in span.classes if re.fullmatch(r"c\d+", c))
        assert f".q.{key}{{background:" in html  # a tint rule exists for the class


@pytest.mark.parametrize("words", NOT_SPEECH_WORDS)
def test_non_speech_quotes_do_not_look_like_dialogue(reader: _Reader, words: str) -> None:
    span = _quote(reader, words)
    assert span.classes == ["qn"]  # no q, no speaker class: no tint, no speech underline
    assert span.badge == ""
    assert span.title == NOT_SPEECH


def test_uncertain_attributions_are_marked_beyond_colour(
    reader: _Reader, analysis: Analysis
) -> None:
    # Whatever the model is unsure of, exactly those quotes are marked (the next test makes
    # a quote unsure on purpose, so the marking itself is always exercised).
    speech = [q for q in analysis.quotes if q.speech]
    uncertain = [q for q in speech if q.speaker and q.confidence < 0.5]
    for q in speech:
        span = _quote(reader, analysis.text[q.start : q.end])
        marked = "uncertain" in span.classes
        assert marked == (q in uncertain)
        assert span.badge.endswith("?") == marked
        assert (span.hidden == " (speaker uncertain)") == marked
        assert ("uncertain attribution" in span.title) == marked


def test_a_confident_quote_made_unsure_gets_marked(analysis: Analysis) -> None:
    changed = analysis.model_copy(deep=True)
    i = quote_at(changed, '"You\'re late,"')
    changed.quotes[i] = changed.quotes[i].model_copy(update={"confidence": 0.2})
    r = _Reader()
    r.feed(render_report(changed).split('<div class="fic">', 1)[1])
    span = _quote(r, '"You\'re late,"')
    assert "uncertain" in span.classes and span.badge == "M?"


def test_the_narrator_is_shown_as_such(reader: _Reader, html: str) -> None:
    table = html.split('<table class="characters">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">(.*?)</th>', table, re.S)
    assert "Narrator" in rows[0] and "first-person narrator" in rows[0]  # listed first
    assert sum("first-person narrator" in r for r in rows) == 1
    assert "<dt>First-person narrator</dt><dd>Narrator</dd>" in html
    narration_i = [m for m in reader.mentions if m.text == "I" and m.title.startswith("Narrator")]
    assert narration_i and all(m.title == "Narrator (narrator, pronoun)" for m in narration_i)


def test_mentions_name_their_character(reader: _Reader) -> None:
    titles = {(m.text, m.title) for m in reader.mentions}
    assert ("Marta", "Marta (name)") in titles
    assert ("Tomas", "Tomas (name)") in titles
    assert all(m.classes[0] == "m" and m.classes[1].startswith("m-c") for m in reader.mentions)


def test_characters_table_has_canon_column_and_no_duplicate_alias(html: str) -> None:
    table = html.split('<table class="characters">', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">Canon / AO3 tag</th>' in table
    marta = re.search(r"Marta</th>(.*?)</tr>", table, re.S)
    assert marta is not None
    cells = [
        unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", marta.group(1), re.S)
    ]
    assert cells[0] == "—"  # the alias "Marta" is the name itself
    assert cells[1:3] == ["female", "not canon"]


def test_interaction_plot_uses_the_relations_stage(html: str, analysis: Analysis) -> None:
    assert analysis.interactions  # the relations stage ran
    figure = html.split('<figure class="plot" id="plot-network">', 1)[1].split("</figure>", 1)[0]
    assert "Interaction network" in figure
    assert "<h3>Dialogue turns: who talks to whom</h3>" not in figure


def test_interaction_plot_is_drawn_from_dialogue_turns(analysis: Analysis) -> None:
    analysis = analysis.model_copy(update={"interactions": []})  # relations switched off
    html = render_report(analysis)
    figure = html.split('<figure class="plot" id="plot-network">', 1)[1].split("</figure>", 1)[0]
    assert "<h3>Dialogue turns: who talks to whom</h3>" in figure
    image = re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', figure)
    assert image is not None and "dialogue turns between 3 characters" in image.group(1)
    assert "<summary>Data table: dialogue turns: who talks to whom</summary>" in figure
    assert '<th scope="col">Speaker</th><th scope="col">Addressee</th>' in figure
    names = {c.id: c.name for c in analysis.characters}
    expected = {(names[a], names[b], str(n)) for (a, b), n in dialogue_turns(analysis).items()}
    rows = set(
        re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>(\d+)</td></tr>', figure)
    )
    assert rows == expected
    assert ("Marta", "Narrator", "1") in rows  # "You're late," Marta said to me


def test_dialogue_share_lists_each_speaker(html: str) -> None:
    figure = html.split('id="plot-dialogue">', 1)[1].split("</figure>", 1)[0]
    for name in ("Marta", "Tomas", "Narrator"):
        assert f'<th scope="row">{name}</th>' in figure
