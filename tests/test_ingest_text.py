"""Plain-text reader: metadata from FanFicFare and FFN-style headers; the text is untouched."""

from __future__ import annotations

import pytest

from ficlens.ingest.declared import iso_date
from ficlens.ingest.text import read_plain
from ficlens.model import Source
from ficlens.pipeline import run
from ficlens.structure import StructureStage

FFF = (
    "\n\n\nThe Lighthouse Keeper's Daughter\n\nby quillandink\n\n\n\n"
    "Category: Gilmore Girls\nGenre: Romance, Drama\nLanguage: English\nStatus: In-Progress\n"
    "Published: 2009-03-14\nUpdated: 2009-05-02\nPackaged: 2011-08-20 11:02:13\nRating: T\n"
    "Chapters: 2\nWords: 1,234\nPublisher: www.fanfiction.net\n"
    "Story URL: https://www.fanfiction.net/s/1234567/1/\n"
    "Summary: A storm keeps two old friends stuck in a diner overnight, and neither\n"
    "of them knows how to start the conversation they have been avoiding.\n\n\n\n\n\n"
    "TABLE OF CONTENTS\n\n\nChapter 1: The Storm\n\nMorning\n\n\n\n\n"
    "\tChapter 1: The Storm\n\n"
    "A/N: Thanks for reading my story! This is my first attempt at a longer fic.\n\n"
    "The rain had not stopped since noon. Marlowe wiped the counter for the third\n"
    "time and looked at the door, which did not open, and at the clock, which did\n"
    "not move fast enough.\n\n"
    '"You\'re closing early," said the man at the end of the counter. He had not\n'
    "touched his coffee in an hour.\n\n* * *\n\n"
    "Later, the power went out. Neither of them moved to find the candles.\n\n\n"
    "\tMorning\n\n"
    "The morning came grey and quiet, and the road outside was a river of mud that\n"
    "nobody would cross before noon.\n\nShe made coffee anyway.\n\nPlease review!\n\n\n"
    "End file.\n"
)


def test_fanficfare_metadata() -> None:
    fic = read_plain(FFF, Source(path="x.txt"))
    assert fic.text == FFF
    assert fic.source.flavor == "fanficfare_txt"
    assert fic.source.site == "ffn"
    m = fic.metadata
    assert m.title == "The Lighthouse Keeper's Daughter"
    assert m.authors == ["quillandink"]
    assert m.category == ["Gilmore Girls"]
    assert (m.language, m.status, m.rating) == ("English", "In-Progress", "T")
    assert (m.published, m.updated) == ("2009-03-14", "2009-05-02")
    assert (m.words, m.chapter_count) == (1234, 2)
    assert m.url == "https://www.fanfiction.net/s/1234567/1/"
    assert m.summary is not None and m.summary.endswith("they have been avoiding.")
    assert "\n" not in m.summary
    assert m.extra["Genre"] == "Romance, Drama"
    assert m.extra["Packaged"] == "2011-08-20 11:02:13"


def test_fanficfare_structure() -> None:
    a = run(read_plain(FFF, Source()), stages=[StructureStage()])
    kinds = [s.kind for s in a.segments]
    assert kinds[0] == "title" and "toc" in kinds
    assert kinds[-1] == "metadata" and a.text[a.segments[-1].start :].strip() == "End file."
    assert kinds.count("chapter_heading") == 2
    assert [(c.number, c.title) for c in a.chapters] == [(1, "The Storm"), (2, "Morning")]
    toc = next(s for s in a.segments if s.kind == "toc")
    assert a.chapters[0].start > toc.end
    assert "authors_note" in kinds and kinds.count("scene_break") == 1
    assert len(a.scenes) == 3
    # wrapped paragraphs count once each
    assert a.stats.paragraphs == 5
    notes = [a.text[s.start : s.end] for s in a.segments if s.kind == "authors_note"]
    assert notes[-1] == "Please review!"


def test_ffn_header_lines() -> None:
    text = (
        "Disclaimer: not mine.\n\nTitle: Winter Harbour\nRating: K+\n"
        "Pairing: Maren/Tobias, Ida/Lars\nSpoilers: season two\n"
        "Summary: Snow. Tea.\nTalking.\n\nA/N: hello!\n\nThe kettle screamed.\n\nTitle: not this"
    )
    fic = read_plain(text, Source())
    assert fic.text == text
    assert fic.source.flavor == "ffn_txt"
    assert fic.source.site is None
    m = fic.metadata
    assert (m.title, m.rating) == ("Winter Harbour", "K+")
    assert m.relationships == ["Maren/Tobias", "Ida/Lars"]
    assert m.summary == "Snow. Tea. Talking."
    assert m.extra == {"Spoilers": "season two"}


def test_plain_story_declares_nothing() -> None:
    text = "Title: of the song was all she remembered.\r\nShe hummed it anyway.\r\n"
    fic = read_plain("She hummed.\r\n\r\nHe listened.\r\n", Source())
    assert fic.metadata.model_dump(exclude_defaults=True) == {}
    assert fic.source.flavor == "ffn_txt"
    assert read_plain(text, Source()).text == text


def test_site_from_url_evidence_only() -> None:
    text = "Story: https://www.fanfiction.net/s/42/1/Winter\n\nShe ran."
    fic = read_plain(text, Source())
    assert fic.source.site == "ffn"
    assert fic.metadata.url == "https://www.fanfiction.net/s/42/1/Winter"
    assert read_plain("She ran to fanfiction.", Source()).source.site is None


def test_chapters_with_expected_total() -> None:
    text = FFF.replace("Chapters: 2", "Chapters: 2/10").replace("2009-03-14", "Mar 14, 2009")
    m = read_plain(text, Source()).metadata
    assert (m.chapter_count, m.chapters_expected) == (2, 10)
    assert m.published == "2009-03-14"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2009-03-14", "2009-03-14"),
        ("03/14/2009", "2009-03-14"),
        ("14 March 2009", "2009-03-14"),
        ("sometime in spring", None),
    ],
)
def test_iso_date(value: str, iso: str | None) -> None:
    assert iso_date(value) == iso


def test_unparsable_date_goes_to_extra() -> None:
    m = read_plain(FFF.replace("Updated: 2009-05-02", "Updated: last week"), Source()).metadata
    assert m.updated is None
    assert m.extra["Updated"] == "last week"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2013-05-04", "2013-05-04"),
        ("2013/5/4", "2013-05-04"),
        ("5/4/2013", "2013-05-04"),
        ("5/4/13", "2013-05-04"),
        ("4 May 2013", "2013-05-04"),
        ("May 4, 2013", "2013-05-04"),
        ("2013-05", "2013-05"),
        ("2013-02-30", None),
        ("0101-01-01", None),
        ("soon", None),
    ],
)
def test_declared_dates_from_every_source_layout(raw: str, iso: str | None) -> None:
    assert iso_date(raw) == iso


@pytest.mark.parametrize(
    ("value", "site", "work"),
    [
        ("https://archiveofourown.org/works/123/chapters/9", "ao3", "123"),
        ("archiveofourown.org", "ao3", None),
        ("https://www.fanfiction.net/s/4567/2/Title", "ffn", "4567"),
        ("www.fanfiction.net", "ffn", None),
        ("https://example.org/works/99", None, None),
        ("https://notarchiveofourown.org/works/1", None, None),
    ],
)
def test_site_and_work_id(value: str, site: str | None, work: str | None) -> None:
    from ficlens.ingest.declared import site_of_url, work_id_of_url

    assert site_of_url(value) == site
    assert work_id_of_url(value) == work
