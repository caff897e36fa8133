"""EPUB ingest: container, OPF metadata, spine order, and every hostile or broken archive.

Every EPUB here is built in the test with zipfile from text written for these tests.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficlens.errors import (
    EmptyInputError,
    FicError,
    InputTooLargeError,
    MalformedInputError,
    UnsupportedFormatError,
)
from ficlens.ingest import Limits, read_bytes
from ficlens.ingest import epub as epub_mod
from ficlens.ingest.declared import iso_date, work_id_of_url
from ficlens.ingest.epub import html_to_text, read_epub
from ficlens.model import Fic, Metadata, Source

MB = 1024 * 1024
CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{path}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
OPF_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
"""
DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf"'

CH1 = "The lighthouse keeper counted the gulls twice, because once was never enough."
CH2 = "By morning the fog had eaten the pier, and Mira went looking for her brother."


def xhtml(body: str, title: str = "Chapter", head: str = "", body_class: str = "") -> str:
    cls = f' class="{body_class}"' if body_class else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n'
        f"<head><title>{title}</title>{head}</head>\n<body{cls}>\n{body}\n</body>\n</html>\n"
    )


def opf(
    metadata: str = "<dc:title>Fog Season</dc:title>",
    items: list[tuple[str, str, str]] | None = None,
    spine: list[str] | None = None,
    *,
    spine_xml: str | None = None,
) -> str:
    """A package document; ``items`` are (id, href, media-type)."""
    items = items if items is not None else []
    manifest = "\n".join(f'    <item id="{i}" href="{h}" media-type="{m}"/>' for i, h, m in items)
    if spine_xml is None:
        refs = "\n".join(f'    <itemref idref="{r}"/>' for r in (spine or []))
        spine_xml = f'  <spine toc="ncx">\n{refs}\n  </spine>'
    return (
        f"{OPF_HEAD}  <metadata {DC}>\n{metadata}\n  </metadata>\n"
        f"  <manifest>\n{manifest}\n  </manifest>\n{spine_xml}\n</package>\n"
    )


def build_epub(
    files: dict[str, str | bytes],
    *,
    opf_path: str | None = "OEBPS/content.opf",
    mimetype: bool = True,
) -> bytes:
    """Zip ``files`` after the mimetype and container.xml, like a real EPUB writer."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        if mimetype:
            zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        if opf_path is not None:
            zf.writestr("META-INF/container.xml", CONTAINER_XML.format(path=opf_path))
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def minimal_files() -> dict[str, str | bytes]:
    items = [
        ("ncx", "toc.ncx", "application/x-dtbncx+xml"),
        ("css", "style.css", "text/css"),
        ("c1", "Text/chapter1.xhtml", "application/xhtml+xml"),
        ("c2", "Text/chapter%202.xhtml", "application/xhtml+xml"),
        ("img", "Images/gull.png", "image/png"),
    ]
    return {
        "OEBPS/content.opf": opf(items=items, spine=["c1", "img", "c2"]),
        "OEBPS/toc.ncx": "<ncx/>",
        "OEBPS/style.css": "p { margin: 0 }",
        "OEBPS/Text/chapter1.xhtml": xhtml(f"<h2>One</h2>\n<p>{CH1}</p>", "One"),
        "OEBPS/Text/chapter 2.xhtml": xhtml(f"<h2>Two</h2>\n<p>{CH2}</p>", "Two"),
        "OEBPS/Images/gull.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    }


def minimal_epub() -> bytes:
    return build_epub(minimal_files())


class Recorder:
    """Stands in for html.read_html_parts so container tests see exactly what it is given."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []
        self.base: Metadata | None = None
        self.source: Source | None = None

    def __call__(self, parts: list[tuple[str, str]], source: Source, base: Metadata) -> Fic:
        self.parts, self.base, self.source = parts, base, source
        return Fic(text="\n\n".join(name for name, _ in parts), source=source, metadata=base)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder()
    monkeypatch.setattr(epub_mod, "read_html_parts", rec)
    return rec


def src(name: str = "x.epub") -> Source:
    return Source(path=name, format="epub")


def assert_one_line(exc: BaseException, *words: str) -> None:
    msg = str(exc)
    assert "\n" not in msg and "\r" not in msg, msg
    assert len(msg) < 300, msg
    for word in words:
        assert word.lower() in msg.lower(), msg


# ------------------------------------------------------------------------- valid EPUBs


def test_minimal_spine_order_and_non_html_skipped(recorder: Recorder) -> None:
    fic = read_epub(minimal_epub(), src(), Limits())
    names = [name for name, _ in recorder.parts]
    # percent-encoded href resolved; the image in the spine is skipped; OPF-relative paths
    assert names == ["OEBPS/Text/chapter1.xhtml", "OEBPS/Text/chapter 2.xhtml"]
    assert CH1 in recorder.parts[0][1] and CH2 in recorder.parts[1][1]
    assert fic.source.format == "epub"
    assert fic.source.flavor == "generic_epub"
    assert fic.source.site is None
    assert fic.metadata.title == "Fog Season"


def test_minimal_through_read_bytes(recorder: Recorder) -> None:
    data = minimal_epub()
    fic = read_bytes(data, name="fog.epub")
    assert fic.source.format == "epub"
    assert fic.source.path == "fog.epub"
    assert fic.source.sha256 is not None and len(fic.source.sha256) == 64
    assert len(recorder.parts) == 2


def test_minimal_end_to_end_text_in_order() -> None:
    fic = read_bytes(minimal_epub(), name="fog.epub")
    assert CH1 in fic.text and CH2 in fic.text
    assert fic.text.index(CH1) < fic.text.index(CH2)
    assert "p { margin" not in fic.text  # stylesheet never read as text


def test_opf_metadata_mapped(recorder: Recorder) -> None:
    metadata = """
    <dc:title>Salt and Static</dc:title>
    <dc:creator opf:role="aut">Quillon</dc:creator>
    <dc:creator opf:role="ill">Not An Author</dc:creator>
    <dc:creator>Second Pen</dc:creator>
    <dc:language>en</dc:language>
    <dc:date opf:event="publication">2019-03-04</dc:date>
    <dc:date opf:event="modification">2021-11-30T10:00:00</dc:date>
    <dc:subject>Found Family</dc:subject>
    <dc:subject>Slow Burn</dc:subject>
    <dc:subject>Found Family</dc:subject>
    <dc:description>&lt;p&gt;Two radio operators &amp;amp; one storm.&lt;/p&gt;
      &lt;p&gt;Nobody sleeps.&lt;/p&gt;</dc:description>
    <dc:identifier id="uid">urn:uuid:0f0f0f0f-1111-2222-3333-444444444444</dc:identifier>
    <dc:source>https://archiveofourown.org/works/987654/chapters/1</dc:source>
    <meta name="calibre:series" content="Storm Cycle"/>
    <meta name="calibre:series_index" content="2"/>
    """
    files = minimal_files()
    files["OEBPS/content.opf"] = opf(
        metadata,
        [("c1", "Text/chapter1.xhtml", "application/xhtml+xml")],
        ["c1"],
    )
    fic = read_epub(build_epub(files), src(), Limits())
    md = fic.metadata
    assert md.title == "Salt and Static"
    assert md.authors == ["Quillon", "Second Pen"]
    assert md.language == "en"
    assert md.published == "2019-03-04"
    assert md.updated == "2021-11-30"
    assert md.summary == "Two radio operators & one storm.\nNobody sleeps."
    assert md.additional_tags == ["Found Family", "Slow Burn"]  # subjects as the fallback
    assert md.url == "https://archiveofourown.org/works/987654/chapters/1"
    assert md.work_id == "987654"
    assert md.series == ["Storm Cycle"]
    assert md.extra["series_index"] == "2"
    assert fic.source.site == "ao3"
    assert fic.source.flavor == "ao3_epub"  # an AO3 URL marks it
    # tags are not handed to html.py as additional tags: its preface gives categorised ones
    assert recorder.base is not None and recorder.base.additional_tags == []


def test_subjects_not_used_when_html_declares_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(parts: list[tuple[str, str]], source: Source, base: Metadata) -> Fic:
        md = base.model_copy(update={"fandoms": ["Lighthouse Stories"]})
        return Fic(text="x", source=source, metadata=md)

    monkeypatch.setattr(epub_mod, "read_html_parts", fake)
    files = minimal_files()
    files["OEBPS/content.opf"] = opf(
        "<dc:title>T</dc:title><dc:subject>Flat Tag</dc:subject>",
        [("c1", "Text/chapter1.xhtml", "application/xhtml+xml")],
        ["c1"],
    )
    fic = read_epub(build_epub(files), src(), Limits())
    assert fic.metadata.fandoms == ["Lighthouse Stories"]
    assert fic.metadata.additional_tags == []
    assert fic.metadata.extra["subjects"] == "Flat Tag"


def fanficfare_files() -> dict[str, str | bytes]:
    """Shaped like FanFicFare's writer: content.opf at the root, pages under OEBPS/."""
    metadata = """
    <dc:identifier id="fanficfare-uid">fanficfare-uid:www.fanfiction.net-u111-s222</dc:identifier>
    <dc:title id="id">Tidewater Letters</dc:title>
    <dc:creator opf:role="aut">Brackish</dc:creator>
    <dc:contributor id="id-2">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
    <dc:language>en</dc:language>
    <dc:date opf:event="publication">2015-06-01</dc:date>
    <dc:date opf:event="creation">2024-01-02</dc:date>
    <dc:date opf:event="modification">2016-02-03</dc:date>
    <meta name="calibre:series" content="Letters"/>
    <meta name="calibre:series_index" content="1.00"/>
    <dc:description>&lt;div&gt;&lt;p&gt;A summary with
      &lt;i&gt;markup&lt;/i&gt;.&lt;/p&gt;&lt;/div&gt;</dc:description>
    <dc:subject>Drama</dc:subject>
    <dc:subject>Completed</dc:subject>
    <dc:publisher>www.fanfiction.net</dc:publisher>
    <dc:identifier opf:scheme="URL">https://www.fanfiction.net/s/222/1/</dc:identifier>
    <dc:source>https://www.fanfiction.net/s/222/1/</dc:source>
    """
    items = [
        ("ncx", "toc.ncx", "application/x-dtbncx+xml"),
        ("style", "OEBPS/stylesheet.css", "text/css"),
        ("title_page", "OEBPS/title_page.xhtml", "application/xhtml+xml"),
        ("toc_page", "OEBPS/toc_page.xhtml", "application/xhtml+xml"),
        ("file0001", "OEBPS/file0001.xhtml", "application/xhtml+xml"),
        ("file0002", "OEBPS/file0002.xhtml", "application/xhtml+xml"),
    ]
    title_page = xhtml(
        '<h3><a href="https://www.fanfiction.net/s/222/1/">Tidewater Letters</a> by Brackish</h3>'
        "<div>\n<b>Category:</b> Original Seas<br />\n<b>Rating:</b> Fiction T<br />\n"
        "<b>Chapters:</b> 2<br />\n<b>Words:</b> 31<br />\n</div>",
        body_class="fff_titlepage",
    )
    toc_page = xhtml(
        '<div><h3>Table of Contents</h3><a href="file0001.xhtml">1. Ebb</a><br />'
        '<a href="file0002.xhtml">2. Flood</a><br /></div>',
        body_class="fff_tocpage",
    )
    chapter = '<h3 class="fff_chapter_title">{t}</h3>\n<p>{p}</p>'
    return {
        "content.opf": opf(metadata, items, [i for i, _, _ in items[2:]]),
        "toc.ncx": "<ncx/>",
        "OEBPS/stylesheet.css": "body {}",
        "OEBPS/title_page.xhtml": title_page,
        "OEBPS/toc_page.xhtml": toc_page,
        "OEBPS/file0001.xhtml": xhtml(chapter.format(t="1. Ebb", p=CH1), body_class="fff_chapter"),
        "OEBPS/file0002.xhtml": xhtml(
            chapter.format(t="2. Flood", p=CH2), body_class="fff_chapter"
        ),
    }


def test_fanficfare_epub(recorder: Recorder) -> None:
    fic = read_epub(build_epub(fanficfare_files(), opf_path="content.opf"), src(), Limits())
    names = [name for name, _ in recorder.parts]
    assert names == ["OEBPS/title_page.xhtml", "OEBPS/file0001.xhtml", "OEBPS/file0002.xhtml"]
    assert fic.source.flavor == "fanficfare_epub"
    assert fic.source.site == "ffn"
    md = fic.metadata
    assert md.title == "Tidewater Letters" and md.authors == ["Brackish"]
    assert md.summary == "A summary with markup."
    assert md.url == "https://www.fanfiction.net/s/222/1/"
    assert md.work_id == "222"
    assert (md.published, md.updated) == ("2015-06-01", "2016-02-03")
    assert md.extra["created"] == "2024-01-02"
    assert md.series == ["Letters"]
    assert md.extra["publisher"] == "www.fanfiction.net"


def test_fanficfare_end_to_end() -> None:
    data = build_epub(fanficfare_files(), opf_path="content.opf")
    fic = read_bytes(data, name="tide.epub")
    assert fic.source.flavor == "fanficfare_epub"
    assert CH1 in fic.text and CH2 in fic.text and fic.text.index(CH1) < fic.text.index(CH2)
    assert fic.text.count("Ebb") == 1  # the dropped TOC page does not repeat chapter titles
    assert len(fic.declared_chapters) == 2


def ao3_files() -> dict[str, str | bytes]:
    """Shaped like AO3's calibre output: publisher, comma-joined authors, 'Fanworks' tag."""
    metadata = """
    <dc:title>Under the Copper Bridge</dc:title>
    <dc:creator opf:role="aut">rivetwing, gearsong</dc:creator>
    <dc:publisher>Archive of Our Own</dc:publisher>
    <dc:date>2022-08-09T00:00:00+00:00</dc:date>
    <dc:language>en</dc:language>
    <dc:subject>Fanworks</dc:subject>
    <dc:subject>Clockwork City (Imaginary Fandom)</dc:subject>
    <dc:subject>Fluff</dc:subject>
    <dc:description>&lt;p&gt;Two engineers, one broken bridge.&lt;/p&gt;</dc:description>
    <dc:identifier opf:scheme="uuid">7d1c2b3a-aaaa-bbbb-cccc-0123456789ab</dc:identifier>
    """
    preface = xhtml(
        '<div id="preface"><h2 class="toc-heading">Under the Copper Bridge</h2>'
        '<p class="message"><b>Posted originally on the '
        '<a href="https://archiveofourown.org/">Archive of Our Own</a> at '
        '<a href="https://archiveofourown.org/works/5550001">'
        "https://archiveofourown.org/works/5550001</a>.</b></p>"
        '<div class="meta"><dl class="tags">'
        "<dt>Rating:</dt><dd><a>General Audiences</a></dd>"
        "<dt>Fandom:</dt><dd><a>Clockwork City (Imaginary Fandom)</a></dd>"
        "<dt>Additional Tags:</dt><dd><a>Fluff</a></dd>"
        "</dl><h1>Under the Copper Bridge</h1>"
        '<div class="byline">by <a>rivetwing</a>, <a>gearsong</a></div>'
        "<p>Summary</p><blockquote><p>Two engineers, one broken bridge.</p></blockquote>"
        "</div></div>",
        "Under the Copper Bridge",
    )
    chapters = xhtml(
        '<div id="chapters" class="userstuff"><div class="userstuff">'
        f"<p>{CH1}</p><p>{CH2}</p></div></div>"
        '<div id="afterword"><p>Please drop by the Archive and comment.</p></div>',
        "Under the Copper Bridge",
    )
    items = [
        ("html1", "Under_the_Copper_Bridge_split_000.html", "application/xhtml+xml"),
        ("html2", "Under_the_Copper_Bridge_split_001.html", "application/xhtml+xml"),
        ("page_css", "page_styles.css", "text/css"),
        ("ncx", "toc.ncx", "application/x-dtbncx+xml"),
    ]
    return {
        "content.opf": opf(metadata, items, ["html1", "html2"]),
        "Under_the_Copper_Bridge_split_000.html": preface,
        "Under_the_Copper_Bridge_split_001.html": chapters,
        "page_styles.css": "@page { margin: 5pt }",
        "toc.ncx": "<ncx/>",
    }


def test_ao3_epub(recorder: Recorder) -> None:
    fic = read_epub(build_epub(ao3_files(), opf_path="content.opf"), src(), Limits())
    assert fic.source.flavor == "ao3_epub"
    md = fic.metadata
    assert md.authors == ["rivetwing", "gearsong"]
    assert md.updated == "2022-08-09"  # AO3 hands calibre the last revision date
    assert md.published is None
    assert md.summary == "Two engineers, one broken bridge."
    assert "Fanworks" not in md.additional_tags
    assert md.additional_tags == ["Clockwork City (Imaginary Fandom)", "Fluff"]
    assert len(recorder.parts) == 2 and 'class="tags"' in recorder.parts[0][1]


def test_ao3_end_to_end_preface_tags() -> None:
    fic = read_bytes(build_epub(ao3_files(), opf_path="content.opf"), name="bridge.epub")
    assert fic.source.flavor == "ao3_epub"
    assert fic.source.site == "ao3"
    assert fic.metadata.fandoms == ["Clockwork City (Imaginary Fandom)"]
    assert fic.metadata.rating == "General Audiences"
    assert fic.metadata.work_id == "5550001"
    assert fic.metadata.url == "https://archiveofourown.org/works/5550001"
    assert CH1 in fic.text and CH2 in fic.text


HTML_FIX = Path(__file__).parent / "fixtures" / "html"


def test_ao3_calibre_epub_end_to_end() -> None:
    """AO3's real layout: calibre's OPF (uuid/calibre ids, bkp contributor, one creator
    per comma-joined byline, "Fanworks" first subject) and Title_split_NNN.xhtml parts."""
    metadata = """
    <dc:title>Salt Road</dc:title>
    <dc:creator opf:role="aut" opf:file-as="marrowlight">marrowlight</dc:creator>
    <dc:description>&lt;p&gt;Two couriers, one cart.&lt;/p&gt;</dc:description>
    <dc:publisher>Archive of Our Own</dc:publisher>
    <dc:contributor opf:role="bkp">calibre (6.29.0) [https://calibre-ebook.com]</dc:contributor>
    <dc:date>2023-06-07T00:00:00+00:00</dc:date>
    <dc:language>en</dc:language>
    <dc:identifier id="uuid_id" opf:scheme="uuid">0a1b2c3d-0000-4000-8000-1234</dc:identifier>
    <dc:identifier opf:scheme="calibre">0a1b2c3d-0000-4000-8000-1234</dc:identifier>
    <dc:subject>Fanworks</dc:subject>
    <dc:subject>Mature</dc:subject>
    <dc:subject>Road Trip</dc:subject>
    <meta name="calibre:series" content="Roads and Rivers"/>
    <meta name="calibre:series_index" content="3"/>
    <meta name="calibre:title_sort" content="Salt Road"/>
    """
    names = sorted(p.name for p in (HTML_FIX / "ao3_calibre_epub").glob("*.xhtml"))
    items = [(f"html{i}", n, "application/xhtml+xml") for i, n in enumerate(names)]
    items += [("css", "stylesheet.css", "text/css"), ("ncx", "toc.ncx", "application/x-dtbncx+xml")]
    files: dict[str, str | bytes] = {
        "content.opf": opf(metadata, items, [i for i, _, _ in items[: len(names)]]),
        "stylesheet.css": ".meta1 { display: block }",
        "toc.ncx": "<ncx/>",
    }
    for n in names:
        files[n] = (HTML_FIX / "ao3_calibre_epub" / n).read_bytes()
    fic = read_bytes(build_epub(files, opf_path="content.opf"), name="salt.epub")
    assert fic.source.flavor == "ao3_epub" and fic.source.site == "ao3"
    md = fic.metadata
    assert md.work_id == "8080808" and md.series == ["Roads and Rivers"]
    assert md.fandoms == ["Invented Saga"] and md.rating == "Mature"
    assert md.additional_tags == ["Road Trip", "Salt Flats"]
    assert [c.title for c in fic.declared_chapters] == ["Loading", "The Flats"]
    assert (md.published, md.updated) == ("2023-05-06", "2023-06-07")


def test_fanficfare_subject_noise_dropped(recorder: Recorder) -> None:
    """Without a title page, FanFicFare's default subjects are not all tags."""
    files = fanficfare_files()
    extra = (
        "<dc:subject>FanFiction</dc:subject>\n"
        "<dc:subject>Last Update Year/Month: 2016/02</dc:subject>\n"
        "<dc:subject>Last Update: 2016/02/03</dc:subject>\n"
        "<dc:subject>Mara K.</dc:subject>"
    )
    opf_text = files["content.opf"]
    assert isinstance(opf_text, str)
    files["content.opf"] = opf_text.replace(
        "<dc:subject>Drama</dc:subject>", extra + "\n<dc:subject>Drama</dc:subject>"
    )
    read_epub(build_epub(files, opf_path="content.opf"), src(), Limits())
    base = recorder.base
    assert base is not None
    assert base.extra["subjects"] == "Mara K., Drama"
    assert base.status == "Complete"


def test_declared_encoding_respected(recorder: Recorder) -> None:
    files = minimal_files()
    files["OEBPS/Text/chapter1.xhtml"] = (
        xhtml("<p>Caf\u00e9 na\u00efve \u2019</p>")
        .replace('encoding="UTF-8"', 'encoding="windows-1252"')
        .encode("cp1252")
    )
    fic = read_epub(build_epub(files), src(), Limits())
    assert "Caf\u00e9 na\u00efve \u2019" in recorder.parts[0][1]
    assert fic.source.encoding == "utf-8"  # chapter 2 is longer and plain UTF-8


def test_container_missing_falls_back_to_first_opf(recorder: Recorder) -> None:
    fic = read_epub(build_epub(minimal_files(), opf_path=None), src(), Limits())
    assert fic.metadata.title == "Fog Season"
    assert len(recorder.parts) == 2


def test_container_pointing_nowhere_falls_back(recorder: Recorder) -> None:
    read_epub(build_epub(minimal_files(), opf_path="OEBPS/gone.opf"), src(), Limits())
    assert len(recorder.parts) == 2


def test_nav_and_nonlinear_items_skipped(recorder: Recorder) -> None:
    files = minimal_files()
    items = [
        ("nav", "nav.xhtml", 'application/xhtml+xml" properties="nav'),
        ("c1", "Text/chapter1.xhtml", "application/xhtml+xml"),
        ("c2", "Text/chapter%202.xhtml", "application/xhtml+xml"),
    ]
    spine = (
        '<spine><itemref idref="nav"/><itemref idref="c1"/>'
        '<itemref idref="c2" linear="no"/></spine>'
    )
    files["OEBPS/content.opf"] = opf(items=items, spine_xml=spine)
    files["OEBPS/nav.xhtml"] = xhtml('<nav><ol><li><a href="x">One</a></li></ol></nav>')
    read_epub(build_epub(files), src(), Limits())
    assert [n for n, _ in recorder.parts] == ["OEBPS/Text/chapter1.xhtml"]


def test_helpers() -> None:
    assert iso_date("2020-01-02T03:04:05+00:00") == "2020-01-02"
    assert iso_date("0101-01-01T00:00:00") is None  # calibre's "unknown"
    assert iso_date("yesterday") is None
    assert work_id_of_url("https://archiveofourown.org/works/42/chapters/7") == "42"
    assert work_id_of_url("https://m.fanfiction.net/s/99/3/Title") == "99"
    assert work_id_of_url("https://example.org/works/42") is None
    assert html_to_text("plain &amp; simple") == "plain & simple"
    assert html_to_text("<p>a</p><p>b<br/>c</p>") == "a\nb\nc"
    assert html_to_text("<p>kept</p><script>alert('x')</script>") == "kept"


# -------------------------------------------------------------------------- bad EPUBs


def test_not_a_zip_renamed_txt() -> None:
    data = b"Just a story saved as text.\nIt is not an archive at all.\n"
    with pytest.raises(MalformedInputError) as exc:
        read_epub(data, src(), Limits())
    assert_one_line(exc.value, "x.epub", "damaged EPUB")
    with pytest.raises(FicError) as exc2:  # detect.py answers first through read_bytes
        read_bytes(data, name="x.epub")
    assert isinstance(exc2.value, UnsupportedFormatError)
    assert_one_line(exc2.value, "not a valid EPUB")


def test_truncated() -> None:
    data = minimal_epub()
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(data[: len(data) // 2], name="x.epub")
    assert_one_line(
        exc.value, "truncated or damaged EPUB", "not a zip archive, or its end is missing"
    )


def test_no_container_and_no_opf() -> None:
    files = {k: v for k, v in minimal_files().items() if not k.endswith(".opf")}
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files, opf_path=None), name="x.epub")
    assert_one_line(exc.value, "no package document")


def test_opf_without_spine() -> None:
    files = minimal_files()
    files["OEBPS/content.opf"] = opf(
        items=[("c1", "Text/chapter1.xhtml", "application/xhtml+xml")], spine_xml=""
    )
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert_one_line(exc.value, "EPUB has no spine")


def test_empty_spine() -> None:
    files = minimal_files()
    files["OEBPS/content.opf"] = opf(
        items=[("c1", "Text/chapter1.xhtml", "application/xhtml+xml")], spine=[]
    )
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert_one_line(exc.value, "EPUB has no spine")


def test_spine_points_to_missing_file() -> None:
    files = minimal_files()
    del files["OEBPS/Text/chapter 2.xhtml"]
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert_one_line(exc.value, "missing file", "chapter 2.xhtml")


def test_spine_points_to_missing_manifest_item() -> None:
    files = minimal_files()
    files["OEBPS/content.opf"] = opf(
        items=[("c1", "Text/chapter1.xhtml", "application/xhtml+xml")], spine=["c1", "ghost"]
    )
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert_one_line(exc.value, "ghost", "manifest")


def test_spine_with_only_images() -> None:
    files = minimal_files()
    files["OEBPS/content.opf"] = opf(items=[("img", "Images/gull.png", "image/png")], spine=["img"])
    with pytest.raises(EmptyInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert_one_line(exc.value, "no (X)HTML")


def test_malformed_opf_xml() -> None:
    files = minimal_files()
    files["OEBPS/content.opf"] = "<package><metadata></package>"
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert_one_line(exc.value, "not well-formed XML", "content.opf")


def zip_bomb_epub(size: int) -> bytes:
    """A spine member of ``size`` zero bytes, streamed in so the test never holds it."""
    buf = io.BytesIO()
    files = minimal_files()
    items = [*minimal_items(), ("z", "Text/zeros.xhtml", "application/xhtml+xml")]
    files["OEBPS/content.opf"] = opf(items=items, spine=["c1", "z"])
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/container.xml", CONTAINER_XML.format(path="OEBPS/content.opf"))
        for name, content in files.items():
            zf.writestr(name, content)
        with zf.open("OEBPS/Text/zeros.xhtml", "w") as fh:
            block = bytes(MB)
            for _ in range(size // MB):
                fh.write(block)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb_epub(50 * MB)


def test_zip_bomb_refused_without_allocating(bomb: bytes) -> None:
    assert len(bomb) < 1 * MB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputTooLargeError) as exc:
            read_bytes(bomb, name="x.epub")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_one_line(exc.value, "zip bomb", "zeros.xhtml")
    assert peak < 8 * MB
    assert time.perf_counter() - started < 5


def test_total_uncompressed_size_capped(bomb: bytes) -> None:
    limits = Limits(max_ratio=1e9, max_archive_bytes=10 * MB)
    with pytest.raises(InputTooLargeError) as exc:
        read_bytes(bomb, name="x.epub", limits=limits)
    assert_one_line(exc.value, "uncompressed", "10,485,760")


def central_entries(data: bytes) -> dict[str, int]:
    """Offsets of each central-directory header, by member name."""
    eocd = data.rfind(b"PK\x05\x06")
    count, _size, offset = struct.unpack_from("<HLL", data, eocd + 10)
    out: dict[str, int] = {}
    for _ in range(count):
        assert data[offset : offset + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        name = data[offset + 46 : offset + 46 + name_len].decode()
        out[name] = offset
        offset += 46 + name_len + extra_len + comment_len
    return out


def patched(data: bytes, name: str, field_offset: int, fmt: str, value: int) -> bytes:
    buf = bytearray(data)
    struct.pack_into(fmt, buf, central_entries(data)[name] + field_offset, value)
    return bytes(buf)


def test_lying_size_header_cannot_blow_memory(bomb: bytes) -> None:
    # The central directory claims 2 KB for the 50 MB member, so the ratio check passes;
    # reading must stop near the declared size instead of inflating everything.
    lying = patched(bomb, "OEBPS/Text/zeros.xhtml", 24, "<L", 2048)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("OEBPS/Text/zeros.xhtml").file_size == 2048
    tracemalloc.start()
    try:
        with pytest.raises(MalformedInputError) as exc:
            read_epub(lying, src(), Limits())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB
    assert_one_line(exc.value, "zeros.xhtml", "bad CRC-32")


def test_too_many_members() -> None:
    files = minimal_files()
    for i in range(30):
        files[f"OEBPS/Images/pad{i}.png"] = b"\x89PNG"
    with pytest.raises(InputTooLargeError) as exc:
        read_bytes(build_epub(files), name="x.epub", limits=Limits(max_members=20))
    assert_one_line(exc.value, "members", "limit is 20")


def test_text_capped_by_max_bytes() -> None:
    files = minimal_files()
    files["OEBPS/Text/chapter1.xhtml"] = xhtml(
        "\n".join(f"<p>{i} {CH1} {i * 7919 % 104729}</p>" for i in range(400))
    )
    data = build_epub(files)
    with pytest.raises(InputTooLargeError) as exc:
        read_epub(data, src(), Limits(max_bytes=len(data) + 100))
    assert_one_line(exc.value, "text", "limit")


@pytest.mark.parametrize(
    "bad_name", ["../evil.xhtml", "OEBPS/../../evil.xhtml", "/etc/evil", "C:/evil", "a\\..\\b"]
)
def test_zip_slip_names_refused(bad_name: str) -> None:
    files = minimal_files()
    files[bad_name] = "<p>escape</p>"
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert_one_line(exc.value, "unsafe path", "zip-slip")


def test_encrypted_member_refused() -> None:
    data = patched(minimal_epub(), "OEBPS/Text/chapter1.xhtml", 8, "<H", 0x1)
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(data, name="x.epub")
    assert_one_line(exc.value, "encrypted", "chapter1.xhtml")


def test_bad_crc_refused() -> None:
    data = patched(minimal_epub(), "OEBPS/Text/chapter1.xhtml", 16, "<L", 0xDEADBEEF)
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(data, name="x.epub")
    assert_one_line(exc.value, "bad CRC-32", "chapter1.xhtml")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE package [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def test_billion_laughs_opf_refused() -> None:
    files = minimal_files()
    body = opf("<dc:title>&lol9;</dc:title>", [("c1", "Text/chapter1.xhtml", "text/html")], ["c1"])
    files["OEBPS/content.opf"] = BILLION_LAUGHS + body.split("\n", 1)[1]
    started = time.perf_counter()
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert time.perf_counter() - started < 2
    assert_one_line(exc.value, "entities", "content.opf")


def xxe_opf(target: str) -> str:
    body = opf("<dc:title>&xxe;</dc:title>", [("c1", "Text/chapter1.xhtml", "text/html")], ["c1"])
    doctype = f'<?xml version="1.0"?>\n<!DOCTYPE package [ <!ENTITY xxe SYSTEM "{target}"> ]>\n'
    return doctype + body.split("\n", 1)[1]


def test_xxe_opf_refused_and_never_read(tmp_path: Path, recorder: Recorder) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    for target in ("file:///etc/passwd", secret.as_uri()):
        files = minimal_files()
        files["OEBPS/content.opf"] = xxe_opf(target)
        with pytest.raises(MalformedInputError) as exc:
            read_bytes(build_epub(files), name="x.epub")
        assert_one_line(exc.value, "entities")
        assert "root:" not in str(exc.value) and "TOP-SECRET" not in str(exc.value)
    assert recorder.parts == []


def test_xxe_in_container_refused() -> None:
    container = (
        '<?xml version="1.0"?>\n<!DOCTYPE container [ <!ENTITY p SYSTEM "file:///etc/passwd"> ]>'
        '\n<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="&p;" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    data = build_epub({**minimal_files(), "META-INF/container.xml": container}, opf_path=None)
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(data, name="x.epub")
    assert_one_line(exc.value, "container.xml", "entities")


def test_external_dtd_never_loaded(tmp_path: Path, recorder: Recorder) -> None:
    dtd = tmp_path / "leak.dtd"
    dtd.write_text('<!ENTITY leak "LEAKED-FROM-DISK">')
    files = minimal_files()
    body = opf("<dc:title>Plain &leak;</dc:title>", minimal_items(), ["c1"])
    files["OEBPS/content.opf"] = (
        f'<?xml version="1.0"?>\n<!DOCTYPE package SYSTEM "{dtd.as_uri()}">\n'
        + body.split("\n", 1)[1]
    )
    try:
        fic = read_epub(build_epub(files), src(), Limits())
    except MalformedInputError as exc:  # refusing is fine too; leaking is not
        assert "LEAKED" not in str(exc)
        return
    assert "LEAKED" not in (fic.metadata.title or "")


def minimal_items() -> list[tuple[str, str, str]]:
    return [("c1", "Text/chapter1.xhtml", "application/xhtml+xml")]


ERROR_CASES: list[tuple[str, Callable[[], bytes]]] = [
    ("truncated", lambda: minimal_epub()[:300]),
    ("empty-zip", lambda: build_epub({}, opf_path=None, mimetype=True)),
]


@pytest.mark.parametrize(("case", "make"), ERROR_CASES)
def test_other_broken_archives_fail_cleanly(case: str, make: Callable[[], bytes]) -> None:
    with pytest.raises(FicError) as exc:
        read_bytes(make(), name="x.epub")
    assert_one_line(exc.value)


ENCRYPTION_XML = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
    xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>
  </enc:EncryptedData>
</encryption>
"""


def test_drm_encrypted_text_refused() -> None:
    files = minimal_files()
    files["META-INF/encryption.xml"] = ENCRYPTION_XML.format(
        algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="OEBPS/Text/chapter1.xhtml"
    )
    with pytest.raises(MalformedInputError) as exc:
        read_bytes(build_epub(files), name="x.epub")
    assert_one_line(exc.value, "DRM", "chapter1.xhtml")


def test_font_obfuscation_is_not_drm(recorder: Recorder) -> None:
    files = minimal_files()
    files["META-INF/encryption.xml"] = ENCRYPTION_XML.format(
        algorithm="http://www.idpf.org/2008/embedding", uri="OEBPS/Text/chapter1.xhtml"
    )
    read_bytes(build_epub(files), name="x.epub")
    assert len(recorder.parts) == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6),
)
def test_damaged_bytes_never_traceback(cut: int, flips: list[tuple[int, int]]) -> None:
    """Whatever happens to the bytes, the reader answers with a FicError or a Fic."""
    data = bytearray(FUZZ_BASE)
    for pos, value in flips:
        data[pos % len(data)] = value
    damaged = bytes(data[: len(data) - (cut % len(data))])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(epub_mod, "read_html_parts", Recorder())
        try:
            fic = read_epub(damaged, src(), Limits())
        except FicError as exc:
            assert_one_line(exc)
        else:
            assert fic.source.format == "epub"


FUZZ_BASE = build_epub(fanficfare_files(), opf_path="content.opf")
