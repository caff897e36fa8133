"""HTML ingest: each flavor's metadata, text layout and declared structure (offsets exact)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.errors import EmptyInputError, FicError
from ficlens.ingest import read_bytes
from ficlens.ingest.ao3_vocab import normalize_category, normalize_rating, normalize_warning
from ficlens.ingest.html import read_html, read_html_parts
from ficlens.model import Fic, Metadata, Source

FIX = Path(__file__).parent / "fixtures" / "html"


def load(name: str) -> Fic:
    return read_bytes((FIX / name).read_bytes(), name=name)


def seg_texts(fic: Fic, kind: str) -> list[str]:
    return [fic.text[s.start : s.end] for s in fic.declared_segments if s.kind == kind]


def check_invariants(fic: Fic) -> None:
    text = fic.text
    assert text == text.strip() and text
    last = 0
    for seg in fic.declared_segments:
        assert last <= seg.start < seg.end <= len(text), seg
        piece = text[seg.start : seg.end]
        assert piece == piece.strip(), seg
        assert seg.kind != "story"
        last = seg.end
    prev_end = 0
    for i, ch in enumerate(fic.declared_chapters):
        assert ch.index == i
        assert prev_end <= ch.start < ch.end <= len(text)
        prev_end = ch.end
    for span in fic.italic_spans:
        piece = text[span.start : span.end]
        assert piece and piece == piece.strip()
    for chrome in ("SCRIPT", "HANDLER TEXT", "LINK SCRIPT", "NOSCRIPT", "IFRAME", "TEMPLATE"):
        assert chrome not in text


def count(fic: Fic, needle: str) -> int:
    return fic.text.count(needle)


# ------------------------------------------------------------------ AO3 download


@pytest.fixture(scope="module")
def ao3() -> Fic:
    return load("ao3_download.html")


def test_ao3_download_flavor_and_metadata(ao3: Fic) -> None:
    check_invariants(ao3)
    assert ao3.source.flavor == "ao3_html" and ao3.source.site == "ao3"
    assert ao3.source.format == "html"
    m = ao3.metadata
    assert m.title == "The Lantern Keeper's Winter"
    assert m.authors == ["quietowl"]
    assert m.rating == "Teen And Up Audiences"
    assert m.warnings == ["Choose Not To Use Archive Warnings", "Underage Sex"]
    assert m.category == ["F/M"]
    assert m.fandoms == ["Invented Saga"]
    assert m.relationships == ["Mara Quill/Ivo Tanner"]
    assert m.characters == ["Mara Quill", "Ivo Tanner", "The Harbourmaster"]
    assert m.additional_tags == ["Slow Burn", "Lighthouses", "Winter"]
    assert m.language == "English"
    assert m.series == ["Lamps Along the Coast"]
    assert (m.published, m.updated) == ("2021-03-04", "2021-04-11")
    assert (m.words, m.chapter_count, m.chapters_expected) == (1234, 2, 3)
    assert m.status == "In-Progress"
    assert m.url == "https://archiveofourown.org/works/4815162" and m.work_id == "4815162"
    assert m.summary is not None and m.summary.startswith("Mara keeps the lamp lit")


def test_ao3_download_layout_and_segments(ao3: Fic) -> None:
    assert ao3.text.startswith("The Lantern Keeper's Winter\n\nby quietowl\n\nRating: Teen")
    assert seg_texts(ao3, "title") == ["The Lantern Keeper's Winter"]
    meta_block = seg_texts(ao3, "metadata")[1]
    assert meta_block.splitlines()[0] == "Rating: Teen And Up Audiences"
    assert "Stats: Published: 2021-03-04 Updated: 2021-04-11 Words: 1,234 Chapters: 2/3" in (
        meta_block
    )
    assert seg_texts(ao3, "summary") == [
        "Summary\n\nMara keeps the lamp lit through the longest winter the coast has known."
        "\n\nIvo brings the oil.",
        "Chapter Summary\n\nThe oil runs low.",
    ]
    assert seg_texts(ao3, "authors_note") == [
        "Notes\n\nWritten for a friend who loves storms.",
        "Chapter Notes\n\nThanks to my patient beta.",
        "Chapter End Notes\n\nMore lighthouse facts next time.",
        "End Notes\n\nThank you for reading this far.",
    ]
    assert seg_texts(ao3, "chapter_heading") == ["Chapter 1: First Frost", "Chapter 2"]
    assert seg_texts(ao3, "scene_break") == ["* * *"]
    assert "Works inspired by this one\n\nKeeper's Spring by otherowl" in seg_texts(ao3, "metadata")
    # chrome that is not part of the work
    for chrome in ("Posted originally", "Preface", "Afterword", "drop by the archive", "See the"):
        assert chrome not in ao3.text


def test_ao3_download_chapters_and_prose(ao3: Fic) -> None:
    chapters = ao3.declared_chapters
    assert [(c.number, c.title) for c in chapters] == [(1, "First Frost"), (2, None)]
    first = ao3.text[chapters[0].start : chapters[0].end]
    assert first.startswith("Chapter 1: First Frost")
    assert first.endswith("More lighthouse facts next time.")  # its end notes belong to it
    assert "Thank you for reading" not in ao3.text[chapters[1].start : chapters[1].end]
    assert count(ao3, "like a thrown blade, and Mara leaned into it.") == 1  # collapsed spaces
    assert '"You\'re late," she told Ivo when the door finally opened.\nHe only shrugged & set' in (
        ao3.text
    )
    assert count(ao3, "Snow buried the path by morning.") == 1


def test_ao3_download_italic_spans(ao3: Fic) -> None:
    italics = [ao3.text[s.start : s.end] for s in ao3.italic_spans]
    assert italics == [
        "She remembered her mother on these same stairs, humming a tune with no end."
    ]


# ---------------------------------------------------------------- AO3 work page


def test_ao3_work_page() -> None:
    fic = load("ao3_work_page.html")
    check_invariants(fic)
    assert fic.source.flavor == "ao3_page" and fic.source.site == "ao3"
    m = fic.metadata
    assert m.title == "Salt and Ledger" and m.authors == ["pennywhistle"]
    assert m.rating == "General Audiences"
    assert m.warnings == ["No Archive Warnings Apply"]
    assert m.category == ["Gen"]
    assert m.characters == ["Odile Brask", "Fennick"]
    assert m.additional_tags == ["Found Family", "Bookkeeping"]
    assert (m.words, m.chapter_count, m.chapters_expected) == (2048, 2, 2)
    assert (m.published, m.updated, m.status) == ("2019-11-02", "2020-01-15", "Complete")
    assert m.work_id == "2718281"
    assert m.url == "https://archiveofourown.org/works/2718281"
    assert m.extra["Kudos"] == "41"
    # The series dd also links the previous and next works; only the series is the series.
    assert m.series == ["Ledgers of the Coast"]
    assert m.extra["series_index"] == "2"
    assert m.extra["Series"] == "Part 2 of Ledgers of the Coast"
    assert "Series: Part 2 of Ledgers of the Coast\n" in fic.text and "Next Work" not in fic.text
    assert "Characters: Odile Brask, Fennick" in fic.text
    assert [(c.number, c.title) for c in fic.declared_chapters] == [
        (1, "Inventory"),
        (2, "Reckoning"),
    ]
    assert seg_texts(fic, "chapter_heading") == ["Chapter 1: Inventory", "Chapter 2: Reckoning"]
    assert seg_texts(fic, "summary")[0] == (
        "Summary:\n\nA quartermaster counts barrels and, for once, the numbers come out wrong."
    )
    assert seg_texts(fic, "authors_note")[-1] == "Notes:\n\nThanks for reading!"
    for chrome in (
        "Chapter Text",
        "Archive of Our Own",
        "Entire Work",
        "COMMENT",
        "FOOTER",
        "kudos on this work",
        "Main Content",
        "See the end",
    ):
        assert chrome not in fic.text
    assert count(fic, "Odile ran her thumb down the column twice") == 1


# ------------------------------------------------------------------------- FFN


def test_ffn_page() -> None:
    fic = load("ffn_page.html")
    check_invariants(fic)
    assert fic.source.flavor == "ffn_page" and fic.source.site == "ffn"
    m = fic.metadata
    assert m.title == "Paper Boats" and m.authors == ["lanternfish"]
    assert m.fandoms == ["Gilmore Girls"]
    assert m.rating == "T" and m.language == "English"
    assert m.additional_tags == ["Romance", "Hurt/Comfort"]
    assert m.relationships == ["Rory G./Jess M."]
    assert m.characters == ["Rory G.", "Jess M.", "Luke D."]
    assert (m.words, m.chapter_count, m.status) == (3512, 3, "Complete")
    assert (m.published, m.updated) == ("2004-05-01", "2004-06-03")
    assert m.work_id == "7654321" and m.url == "https://www.fanfiction.net/s/7654321/"
    assert m.summary is not None and m.summary.startswith("Rory folds")
    assert seg_texts(fic, "summary") == [m.summary]
    [chapter] = fic.declared_chapters
    assert (chapter.number, chapter.title) == (2, "The Ferry")
    assert seg_texts(fic, "chapter_heading") == ["2. The Ferry"]
    assert fic.text.endswith("By the far shore she had folded three boats and kept none.")
    assert seg_texts(fic, "scene_break") == ["* * *"]
    for chrome in ("Follow/Fav", "REVIEW", "unleash", "The Diner", "FFN SCRIPT", "Prev", "Next"):
        assert chrome not in fic.text


# -------------------------------------------------------------------- FanFicFare


def test_fanficfare_html() -> None:
    fic = load("fanficfare.html")
    check_invariants(fic)
    assert fic.source.flavor == "fanficfare_html" and fic.source.site == "ao3"
    m = fic.metadata
    assert m.title == "Quiet Harbour" and m.authors == ["tidewriter"]
    assert m.fandoms == ["Invented Saga"]
    assert m.category == ["F/M"] and m.additional_tags == ["Fluff", "Hurt/Comfort"]
    assert m.rating == "Mature"
    assert m.warnings == ["Choose Not To Use Archive Warnings"]
    assert (m.status, m.words, m.chapter_count) == ("Complete", 2222, 2)
    assert m.work_id == "31415926"
    assert m.summary == "Two keepers, one harbour, and a storm that will not pass."
    assert m.extra["Packaged"] == "2023-01-05 10:11:12"
    assert [(c.number, c.title) for c in fic.declared_chapters] == [(1, "Calm"), (2, "Squall")]
    assert seg_texts(fic, "chapter_heading") == ["Calm", "Squall"]
    assert "Table of Contents" not in fic.text
    assert count(fic, "Calm") == 1  # the TOC entry is not repeated in the text
    assert [fic.text[s.start : s.end] for s in fic.italic_spans] == [
        "Nothing this still stays still for long."
    ]
    assert m.series == ["Lamps Along the Coast"] and m.extra["series_index"] == "2"


def test_fanficfare_ao3_chapter_notes_are_not_story_text() -> None:
    """FanFicFare's AO3 chapters wrap notes in div.fff_chapter_notes with <b> labels."""
    fic = load("fanficfare.html")
    assert seg_texts(fic, "summary")[-1] == "Summary for the Chapter:\n\nThe weather turns."
    assert seg_texts(fic, "authors_note") == [
        "Notes for the Chapter:\n\nBeta thanks go to the gulls.",
        "Notes for the Chapter:\n\nStorm facts checked.",
        "Author's Note:\n\nThanks for reading to the end.",
    ]
    last = fic.declared_chapters[-1]
    chapter = fic.text[last.start : last.end]
    assert chapter.index("The weather turns.") < chapter.index("The storm arrived at noon")
    assert chapter.endswith("Thanks for reading to the end.")
    assert seg_texts(fic, "scene_break") == ["* * *"]


def test_read_html_parts_fanficfare_epub() -> None:
    names = ["title_page.xhtml", "toc_page.xhtml", "file0001.xhtml", "file0002.xhtml"]
    parts = [(f"OEBPS/{n}", (FIX / "fff_epub" / n).read_text()) for n in names]
    base = Metadata(title="OPF title", authors=["Quiet Owl"], language="en", extra={"opf": "1"})
    fic = read_html_parts(parts, Source(path="x.epub", format="epub"), base)
    check_invariants(fic)
    assert fic.source.flavor == "fanficfare_epub" and fic.source.site == "ffn"
    m = fic.metadata
    assert m.title == "Lantern Weather"
    assert m.language == "English" and m.extra["opf"] == "1"
    assert m.fandoms == ["Sample Saga"] and m.rating == "T"
    assert m.relationships == ["Mara K./Ivo T."]
    assert (m.status, m.chapter_count, m.words) == ("In-Progress", 2, 9999)
    assert m.work_id == "4242"
    assert [(c.number, c.title) for c in fic.declared_chapters] == [(1, "Fog"), (2, "Thaw")]
    assert seg_texts(fic, "chapter_heading") == ["1. Fog", "2. Thaw"]
    assert seg_texts(fic, "scene_break") == ["* * *"]
    assert "Table of Contents" not in fic.text
    # the XHTML <div/> must not swallow the paragraph after it
    assert "nobody rowed home.\n\nMara lit the lamp anyway." in fic.text
    assert [fic.text[s.start : s.end] for s in fic.italic_spans] == [
        "The last time the fog came, nobody rowed home."
    ]


def test_read_html_parts_ao3_epub() -> None:
    names = ["preface.xhtml", "chapter1.xhtml", "chapter2.xhtml", "afterword.xhtml"]
    parts = [(n, (FIX / "ao3_epub" / n).read_text()) for n in names]
    base = Metadata(title="Ferrylight", additional_tags=["Explicit", "Invented Saga"])
    fic = read_html_parts(parts, Source(path="f.epub", format="epub"), base)
    check_invariants(fic)
    assert fic.source.flavor == "ao3_epub" and fic.source.site == "ao3"
    m = fic.metadata
    assert m.authors == ["rivenmoor", "saltmarsh"]
    assert m.warnings == ["Underage Sex"] and m.category == ["M/M", "Multi"]
    assert m.additional_tags == []  # the preface's categorised tags replace OPF subjects
    assert (m.status, m.updated) == ("Complete", "2020-02-20")
    assert m.work_id == "1618033"
    assert [(c.number, c.title) for c in fic.declared_chapters] == [
        (1, "Embark"),
        (2, "Disembark"),
    ]
    assert seg_texts(fic, "authors_note") == [
        "Chapter Notes\n\nShort one, sorry.",
        "End Notes\n\nKudos feed the ferryman.",
    ]
    assert "\u201cMind the rail,\u201d he said." in fic.text


def calibre_ao3_parts() -> list[tuple[str, str]]:
    return [(f.name, f.read_text()) for f in sorted((FIX / "ao3_calibre_epub").glob("*.xhtml"))]


def test_read_html_parts_ao3_epub_calibre_classes() -> None:
    """AO3 EPUBs come from calibre, which flattens classes ("meta group" -> "meta1",
    "userstuff" -> "userstuff2", plain <p> -> "calibre7") and splits files per chapter."""
    fic = read_html_parts(calibre_ao3_parts(), Source(path="s.epub", format="epub"), Metadata())
    check_invariants(fic)
    assert fic.source.flavor == "ao3_epub" and fic.source.site == "ao3"
    m = fic.metadata
    assert m.title == "Salt Road" and m.authors == ["marrowlight"]
    assert m.warnings == ["Choose Not To Use Archive Warnings", "Graphic Depictions Of Violence"]
    assert m.category == ["Gen", "F/F"] and m.additional_tags == ["Road Trip", "Salt Flats"]
    assert m.series == ["Roads and Rivers"] and m.extra["series_index"] == "3"
    assert (m.chapter_count, m.chapters_expected, m.status) == (2, None, "In-Progress")
    assert (m.published, m.updated, m.words) == ("2023-05-06", "2023-06-07", 1024)
    assert m.summary == "Two couriers, one cart, and a desert that keeps moving."
    assert [(c.number, c.title) for c in fic.declared_chapters] == [
        (1, "Loading"),
        (2, "The Flats"),
    ]
    assert seg_texts(fic, "chapter_heading") == ["Chapter 1: Loading", "Chapter 2: The Flats"]
    assert seg_texts(fic, "summary") == [
        "Summary\n\nTwo couriers, one cart, and a desert that keeps moving.",
        "Chapter Summary\n\nThe cart is packed twice.",
    ]
    assert seg_texts(fic, "authors_note") == [
        "Notes\n\nWritten on a long train ride.",
        "Chapter Notes\n\nCart facts are invented.",
        "Chapter End Notes\n\nThe tenth sack turns up later.",
        "End Notes\n\nMore roads soon.",
    ]
    assert "Chapter by guestpen" in seg_texts(fic, "metadata")
    for chrome in ("See the end", "end of the chapter", "Preface", "Afterword", "drop by"):
        assert chrome not in fic.text
    assert [fic.text[s.start : s.end] for s in fic.italic_spans] == [
        "Nine sacks, and the road wants ten."
    ]


def test_read_html_parts_generic_chapters() -> None:
    parts = [
        ("c1.xhtml", "<html><body><h2>One</h2><p>First part text.</p></body></html>"),
        ("c1b.xhtml", "<html><body><p>Still the first chapter.</p></body></html>"),
        ("c2.xhtml", "<html><body><div><h2>Two</h2></div><p>Second.</p></body></html>"),
    ]
    fic = read_html_parts(parts, Source(format="epub"), Metadata(title="Book"))
    check_invariants(fic)
    assert fic.source.flavor == "generic_epub"
    assert [c.title for c in fic.declared_chapters] == ["One", "Two"]
    first = fic.declared_chapters[0]
    assert fic.text[first.start : first.end].endswith("Still the first chapter.")
    assert fic.metadata.title == "Book"


# ----------------------------------------------------------------------- generic


def test_generic_html() -> None:
    fic = load("generic.html")
    check_invariants(fic)
    assert fic.source.flavor == "generic_html" and fic.source.site is None
    assert fic.metadata.title == "The Clockmaker's Apprentice"
    assert fic.metadata.authors == ["Wren Halloway"]
    assert seg_texts(fic, "title") == ["The Clockmaker's Apprentice"]
    assert [(c.number, c.title) for c in fic.declared_chapters] == [(1, "Gears"), (2, "Springs")]
    assert "a neat little pile, the way" in fic.text
    assert "fingers \u2014 and stuck" in fic.text
    for chrome in ("Home", "FORM", "GENERIC SCRIPT"):
        assert chrome not in fic.text


# --------------------------------------------------------------------- robustness


def test_script_only_html_is_empty() -> None:
    html = "<html><head><title>t</title></head><body><script>document.write('x y z')</script>"
    html += "<p> &nbsp; </p><style>p{}</style></body></html>"
    with pytest.raises(EmptyInputError, match="contains no readable text"):
        read_bytes(html.encode(), name="blank.html")


def test_malformed_and_deep_html() -> None:
    deep = "<div>" * 5000 + "<p>deep text<b>bold" + "</div>" * 10
    fic = read_html("<html><body>" + deep, Source(path="d.html", format="html"))
    assert fic.text == "deep textbold"


def test_br_and_whitespace_rules() -> None:
    html = "<body><p>  one\n  two<br>three <br/> four</p><blockquote>q</blockquote>x</body>"
    fic = read_html(html, Source(format="html"))
    assert fic.text == "one two\nthree\nfour\n\nq\n\nx"


def test_errors_are_fic_errors() -> None:
    with pytest.raises(FicError):
        read_html("<html><body></body></html>", Source(format="html"))


def test_vocab_normalisation() -> None:
    assert normalize_warning("Underage") == "Underage Sex"
    assert normalize_warning("creator chose not to use archive warnings") == (
        "Choose Not To Use Archive Warnings"
    )
    assert normalize_warning("Major Character Death") == "Major Character Death"
    assert normalize_warning("Something Else") == "Something Else"
    assert normalize_rating("teen and up audiences") == "Teen And Up Audiences"
    assert normalize_category("m/m") == "M/M"
