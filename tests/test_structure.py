"""Structure stage on small original fixtures: paratext, headings, breaks, scenes, flashbacks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficlens.ingest.text import read_plain
from ficlens.model import Analysis, Chapter, Fic, Segment, Source, Span
from ficlens.pipeline import run
from ficlens.structure import StructureStage
from ficlens.structure.patterns import is_break, match_heading, parse_number


def assert_invariants(a: Analysis) -> None:
    """The segment contract plus chapter/scene/flashback consistency."""
    text = a.text
    covered = bytearray(len(text))
    last_end = 0
    for seg in a.segments:
        assert 0 <= seg.start < seg.end <= len(text), seg
        assert seg.start >= last_end, "segments overlap or are unsorted"
        piece = text[seg.start : seg.end]
        assert piece == piece.strip(), f"segment not trimmed: {piece!r}"
        for i in range(seg.start, seg.end):
            covered[i] = 1
        last_end = seg.end
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missing, f"uncovered non-whitespace at {missing[:5]}"
    for i, ch in enumerate(a.chapters):
        assert ch.index == i and 0 <= ch.start <= ch.end <= len(text)
    for sc in a.scenes:
        assert 0 <= sc.start < sc.end <= len(text)
        assert 0 <= sc.chapter < len(a.chapters)
    for seg in a.segments:
        if seg.kind == "story":
            holders = [s for s in a.scenes if s.start <= seg.start and seg.end <= s.end]
            assert len(holders) == 1, f"story segment {seg} in {len(holders)} scenes"
    for fb in a.flashbacks:
        assert 0 <= fb.start < fb.end <= len(text)
    assert a.stats.characters == len(text)


def analyze(text: str, **fic: object) -> Analysis:
    base = read_plain(text, Source())
    data = base.model_dump()
    data.update(fic)
    a = run(Fic.model_validate(data), stages=[StructureStage()])
    assert_invariants(a)
    return a


def kinds(a: Analysis) -> list[str]:
    return [s.kind for s in a.segments]


def seg_text(a: Analysis, kind: str) -> list[str]:
    return [a.text[s.start : s.end] for s in a.segments if s.kind == kind]


STORY = (
    "The kettle screamed in the empty kitchen. Maren let it scream.\n\n"
    '"Are you going to get that?" Tobias asked from the doorway.\n\n'
    "She did not answer. Outside, the snow kept falling on the harbour."
)


# ------------------------------------------------------------------------ paratext


def test_no_paratext_is_one_story_one_chapter_one_scene() -> None:
    a = analyze(STORY)
    assert kinds(a) == ["story"]
    assert len(a.chapters) == 1 and a.chapters[0].number is None
    assert (a.chapters[0].start, a.chapters[0].end) == (a.segments[0].start, a.segments[0].end)
    assert len(a.scenes) == 1
    assert a.stats.words == len(STORY.split())
    assert a.stats.paragraphs == 3
    assert a.stats.paratext_words == 0


def test_disclaimer_note_rule_then_story() -> None:
    text = (
        "Disclaimer: None of this belongs to me, sadly.\n\n"
        "A/N: Huge thanks to my beta, who fixed every comma.\n\n"
        "--------------------\n\n" + STORY
    )
    a = analyze(text)
    assert kinds(a) == ["disclaimer", "authors_note", "story"]
    assert seg_text(a, "authors_note")[0].endswith("-----")
    assert seg_text(a, "story")[0] == STORY
    assert a.chapters[0].start == text.index("The kettle")
    assert a.stats.paratext_words == 8 + 10 + 1


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("I don't own Northern Lights or anything in it.", "disclaimer"),
        ("Disclaimer - standard stuff applies.", "disclaimer"),
        ("AN: second chapter coming soon!", "authors_note"),
        ("Author's Note: this is a birthday fic.", "authors_note"),
        ("Authors Note - written for a prompt.", "authors_note"),
        ("Note: slightly AU after season two.", "authors_note"),
        ("Title: Winter Harbour", "title"),
        ("Summary: Two people, one kettle, a lot of snow.", "summary"),
        ("Spoilers: up to the finale.", "spoilers"),
        ("Rating: T", "rating"),
        ("Rated: M for language", "rating"),
        ("Pairings: Maren/Tobias", "pairing"),
        ("Warnings: mild swearing", "metadata"),
        ("Genre: Romance/Angst", "metadata"),
        ("Dedicated to my sister, who made me finish it.", "dedication"),
        ("Thanks to my beta Skye for reading this twice.", "dedication"),
    ],
)
def test_leading_label_kinds(line: str, kind: str) -> None:
    a = analyze(line + "\n\n" + STORY)
    assert kinds(a) == [kind, "story"]
    assert seg_text(a, kind) == [line]


def test_header_block_lines_without_blank_lines() -> None:
    header = "Title: Winter Harbour\nAuthor: somebody\nRating: K+\nSummary: Snow. Tea. Talking."
    a = analyze(header + "\n\n" + STORY)
    assert kinds(a) == ["title", "metadata", "rating", "summary", "story"]


def test_multi_paragraph_note_ends_at_story() -> None:
    text = (
        "A/N: So this fic has been sitting in my drafts forever.\n\n"
        "Thanks to everyone who reviewed the last story, you are the best :)\n\n" + STORY
    )
    a = analyze(text)
    assert kinds(a) == ["authors_note", "story"]
    assert seg_text(a, "story")[0] == STORY


def test_double_blank_line_ends_note_even_if_story_mentions_a_story() -> None:
    text = "A/N: Just a quick one.\n\n\nShe told him the story of the storm.\n\n" + STORY
    a = analyze(text)
    assert kinds(a) == ["authors_note", "story"]


def test_unlabelled_header_before_rule_is_paratext() -> None:
    text = (
        "Disclaimer: not mine.\n\n"
        "Set three years after the show ended, ignores the revival.\n\n"
        "***\n\n" + STORY
    )
    a = analyze(text)
    assert kinds(a) == ["disclaimer", "story"]
    assert seg_text(a, "story") == [STORY]


def test_word_note_in_narration_stays_story() -> None:
    text = STORY + "\n\nNote: the door had been locked from the inside.\n\n" + STORY
    a = analyze(text)
    assert kinds(a) == ["story"]


def test_end_notes_and_review_request() -> None:
    text = STORY + "\n\nA/N: That's it for now! Hope you liked it.\n\nPlease review!\n"
    a = analyze(text)
    assert kinds(a) == ["story", "authors_note"]
    assert seg_text(a, "authors_note")[0].endswith("Please review!")
    assert a.chapters[-1].end == text.index(STORY) + len(STORY)


@pytest.mark.parametrize("plea", ["R&R!", "Review please :)", "Read and review, pretty please."])
def test_review_requests(plea: str) -> None:
    a = analyze(STORY + "\n\n" + plea)
    assert kinds(a) == ["story", "authors_note"]


def test_last_story_line_about_a_review_stays_story() -> None:
    text = STORY + "\n\nShe never did write that review of the inn, and nobody asked her to again."
    assert kinds(analyze(text)) == ["story"]


def test_stage_direction_before_story() -> None:
    text = "(Maren is sitting on the pier, phone in hand. Tobias is on a train.)\n\n" + STORY
    a = analyze(text)
    assert kinds(a) == ["scene_description", "story"]
    assert a.chapters[0].start == text.index("The kettle")


# ------------------------------------------------------------------------ headings


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("Chapter 4", 4, None),
        ("Chapter Four: The Long Night", 4, "The Long Night"),
        ("CHAPTER ONE", 1, None),
        ("Chapter 12 - Thaw", 12, "Thaw"),
        ("Chapter Twenty-One", 21, None),
        ("Chapter XIV", 14, None),
        ("Part 2", 2, None),
        ("~Chapter 7~", 7, None),
        ("Prologue", None, "Prologue"),
        ("Epilogue: Spring", None, "Spring"),
    ],
)
def test_heading_forms(line: str, number: int | None, title: str | None) -> None:
    assert match_heading(line) == (number, title)
    a = analyze(line + "\n\n" + STORY)
    assert kinds(a) == ["chapter_heading", "story"]
    assert len(a.chapters) == 1
    assert (a.chapters[0].number, a.chapters[0].title) == (number, title)
    assert a.chapters[0].start == 0


@pytest.mark.parametrize(
    "line",
    [
        "Chapter four of the book had been torn out, and nobody knew why.",
        "Part of her wanted to stay.",
        "Prologue or not, she was leaving.",
    ],
)
def test_sentences_are_not_headings(line: str) -> None:
    assert match_heading(line) is None


def test_parse_number_words_and_numerals() -> None:
    assert parse_number("Twenty-One") == 21
    assert parse_number("thirteen") == 13
    assert parse_number("XIX") == 19
    assert parse_number("banana") is None


def test_heading_with_title_line_and_per_chapter_notes() -> None:
    text = (
        "Chapter 1\n\nThe Kettle\n\nA/N: Hi everyone, new story!\n\n"
        + STORY
        + "\n\nA/N: Reviews make me update faster.\n\n"
        "Chapter 2: Snow\n\n" + STORY
    )
    a = analyze(text)
    assert kinds(a) == [
        "chapter_heading",
        "authors_note",
        "story",
        "authors_note",
        "chapter_heading",
        "story",
    ]
    c1, c2 = a.chapters
    assert (c1.number, c1.title, c2.number, c2.title) == (1, "The Kettle", 2, "Snow")
    assert c1.start == 0 and c2.start == text.index("Chapter 2")
    assert c1.end == text.index("faster.") + len("faster.")
    assert c2.end == len(text)
    assert [s.chapter for s in a.scenes] == [0, 1]


def test_story_before_first_heading_is_chapter_zero() -> None:
    text = STORY + "\n\nChapter 2\n\n" + STORY
    a = analyze(text)
    assert [c.number for c in a.chapters] == [None, 2]
    assert a.chapters[0].start == 0


def test_ffn_numbered_headings_need_a_sequence() -> None:
    text = "1. Snow\n\n" + STORY + "\n\n2. Thaw\n\n" + STORY
    a = analyze(text)
    assert [(c.number, c.title) for c in a.chapters] == [(1, "Snow"), (2, "Thaw")]
    lone = "3. Buy milk\n\n" + STORY
    assert kinds(analyze(lone)) == ["story"]


# -------------------------------------------------------------------- scene breaks


@pytest.mark.parametrize(
    "line",
    [
        "* * *",
        "***",
        "-x-x-x-",
        "oOoOo",
        "~*~",
        "xxx",
        "XXXXX",
        "-o-o-",
        "Line break",
        "LB",
        "<hr>",
        "~~~~",
        "=====",
        "___",
    ],
)
def test_scene_break_forms(line: str) -> None:
    assert is_break(line)
    text = STORY + "\n\n" + line + "\n\n" + STORY
    a = analyze(text)
    assert kinds(a) == ["story", "scene_break", "story"]
    assert seg_text(a, "scene_break") == [line]
    assert len(a.scenes) == 2
    assert a.scenes[1].start == text.rindex("The kettle")


@pytest.mark.parametrize("line", ["Oh", "xo", "Ooo", "...", "No.", "Ha!", "Break"])
def test_not_scene_breaks(line: str) -> None:
    assert not is_break(line)
    a = analyze(STORY + "\n\n" + line + "\n\n" + STORY)
    assert kinds(a) == ["story"]


def test_rule_before_end_note_is_not_a_scene_break() -> None:
    text = STORY + "\n\n-----\n\nA/N: thanks for reading!"
    a = analyze(text)
    assert kinds(a) == ["story", "authors_note"]
    assert len(a.scenes) == 1


def test_crlf_text_keeps_offsets() -> None:
    text = ("Disclaimer: not mine.\r\n\r\n" + STORY + "\r\n\r\n* * *\r\n\r\n" + STORY).replace(
        "\n\n", "\r\n\r\n"
    )
    a = analyze(text)
    assert a.text == text
    assert kinds(a) == ["disclaimer", "story", "scene_break", "story"]
    assert all("\r" not in a.text[s.end - 1 : s.end] for s in a.segments)
    assert seg_text(a, "scene_break") == ["* * *"]


# ---------------------------------------------------------------------- flashbacks

MEMORY = "The summer they met, the pier had been painted blue.\n\nHe had laughed at her hat."


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("Flashback", "End Flashback"),
        ("*Flashback*", "*End of Flashback*"),
        ("[flashback]", "[/flashback]"),
        ("-Flashback-", "-End Flashback-"),
        ("BEGIN FLASHBACK", "END FLASHBACK"),
        ("Flashback:", "/Flashback"),
    ],
)
def test_flashback_markers(opening: str, closing: str) -> None:
    text = STORY + "\n\n" + opening + "\n\n" + MEMORY + "\n\n" + closing + "\n\n" + STORY
    a = analyze(text)
    assert kinds(a) == ["story"]  # markers are story text
    assert len(a.flashbacks) == 1
    fb = a.flashbacks[0]
    assert text[fb.start : fb.end] == MEMORY
    assert fb.cue == opening


def test_unclosed_flashback_ends_at_scene_break() -> None:
    text = STORY + "\n\nFlashback\n\n" + MEMORY + "\n\n* * *\n\n" + STORY
    a = analyze(text)
    assert len(a.flashbacks) == 1
    assert text[a.flashbacks[0].start : a.flashbacks[0].end] == MEMORY


def test_close_only_flashback_starts_after_memory_cue() -> None:
    text = STORY + "\n\nShe thought back to that summer.\n\n\n" + MEMORY + "\n\nEnd Flashback\n\n"
    text += STORY
    a = analyze(text)
    assert len(a.flashbacks) == 1
    assert text[a.flashbacks[0].start : a.flashbacks[0].end] == MEMORY
    assert a.flashbacks[0].cue == "thought back"


def test_unbalanced_markers_do_not_crash() -> None:
    text = (
        "End Flashback\n\nFlashback\n\nFlashback\n\n" + STORY + "\n\nEnd Flashback\n\nEnd Flashback"
    )
    a = analyze(text)
    assert len(a.flashbacks) == 1
    assert a.text[a.flashbacks[0].start : a.flashbacks[0].end] == STORY


def test_italic_run_after_memory_cue_is_flashback() -> None:
    text = STORY + "\n\nShe remembered the pier.\n\n" + MEMORY + "\n\nThe kettle went quiet."
    start = text.index(MEMORY)
    a = analyze(text, italic_spans=[Span(start=start, end=start + len(MEMORY)).model_dump()])
    assert [(f.start, f.end) for f in a.flashbacks] == [(start, start + len(MEMORY))]
    assert a.flashbacks[0].cue == "remembered"


def test_italic_without_cue_is_not_flashback() -> None:
    text = STORY + "\n\n" + MEMORY + "\n\nThe kettle went quiet."
    start = text.index(MEMORY)
    a = analyze(text, italic_spans=[Span(start=start, end=start + len(MEMORY)).model_dump()])
    assert a.flashbacks == []


# ---------------------------------------------------------------- declared structure


def test_declared_segments_and_chapters_are_trusted() -> None:
    summary = "Summary text the archive declared."
    head1, head2 = "Chapter 1: Snow", "Chapter 2: Thaw"
    text = f"{summary}\n\n{head1}\n\n{STORY}\n\n* * *\n\n{STORY}\n\n{head2}\n\n{STORY}"
    h1, h2 = text.index(head1), text.index(head2)
    declared = [
        Segment(start=0, end=len(summary), kind="summary"),
        Segment(start=h1, end=h1 + len(head1), kind="chapter_heading"),
        Segment(start=h2, end=h2 + len(head2), kind="chapter_heading"),
    ]
    chapters = [
        Chapter(index=0, number=1, title="Snow", start=h1, end=h2 - 2),
        Chapter(index=1, number=2, title="Thaw", start=h2, end=len(text)),
    ]
    a = analyze(
        text,
        declared_segments=[d.model_dump() for d in declared],
        declared_chapters=[c.model_dump() for c in chapters],
    )
    assert kinds(a) == [
        "summary",
        "chapter_heading",
        "story",
        "scene_break",
        "story",
        "chapter_heading",
        "story",
    ]
    assert [(c.number, c.title, c.start) for c in a.chapters] == [(1, "Snow", h1), (2, "Thaw", h2)]
    assert [s.chapter for s in a.scenes] == [0, 0, 1]


def test_declared_chapters_split_story_runs() -> None:
    text = STORY + "\n\n" + STORY
    second = text.rindex("The kettle")
    chapters = [
        Chapter(index=0, start=0, end=len(STORY)),
        Chapter(index=1, start=second, end=len(text)),
    ]
    a = analyze(text, declared_chapters=[c.model_dump() for c in chapters])
    assert kinds(a) == ["story", "story"]
    assert [s.chapter for s in a.scenes] == [0, 1]


# ------------------------------------------------------------------------ property

_PIECES = st.sampled_from(
    [
        "Chapter 3",
        "Prologue",
        "* * *",
        "-----",
        "Flashback",
        "End Flashback",
        "A/N: hi",
        "Disclaimer: no",
        "Please review!",
        "(aside)",
        "She ran.",
        '"Hi," he said.',
        "1. One",
        "2. Two",
        "xo",
        "TABLE OF CONTENTS",
        "by someone",
        "\t indented",
        "  ",
        "",
        "\r",
        "\u00a0",
        "é ü",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_PIECES, st.sampled_from(["\n", "\n\n", "\r\n", " ", "\n\n\n"]))))
def test_invariants_hold_for_arbitrary_layouts(parts: list[tuple[str, str]]) -> None:
    text = "".join(p + sep for p, sep in parts) or "x"
    analyze(text)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_invariants_hold_for_arbitrary_text(text: str) -> None:
    analyze(text)


def test_short_unlabelled_header_line_before_first_heading_is_paratext() -> None:
    text = "Warnings: none.\n\nMaren/Tobias, set after the war.\n\nChapter 1\n\n" + STORY
    a = analyze(text)
    assert kinds(a) == ["metadata", "chapter_heading", "story"]
    assert len(a.chapters) == 1 and a.chapters[0].start == text.index("Chapter 1")


def test_story_before_first_heading_without_paratext_stays_story() -> None:
    text = "The bell rang once.\n\nChapter 1\n\n" + STORY
    a = analyze(text)
    assert kinds(a) == ["story", "chapter_heading", "story"]
    assert [c.number for c in a.chapters] == [None, 1]


@pytest.mark.parametrize(
    ("heading", "number", "title"),
    [
        ("Chapter 3: The End (Part 1)", 3, "The End (Part 1)"),
        ("~Chapter 2: [The Ferry]~", 2, "The Ferry"),
        ("Chapter 4 (The Storm)", 4, "The Storm"),
        ("Chapter 1: <b>bold</b> move", 1, "<b>bold</b> move"),
        ("Chapter 1: <script>x</script>", 1, "<script>x</script>"),
    ],
)
def test_heading_titles_keep_their_own_brackets(heading: str, number: int, title: str) -> None:
    a = analyze(f"{heading}\n\nShe ran down to the harbour before the ferry left.\n")
    assert [(c.number, c.title) for c in a.chapters] == [(number, title)]
