"""Whatever bytes arrive, ingest returns a valid Fic or raises a FicError: never anything else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficlens.errors import FicError
from ficlens.ingest import Limits, read_bytes
from ficlens.model import Fic

FIXTURES = Path(__file__).parent / "fixtures" / "html"
HTML_SAMPLES = sorted(p.read_bytes() for p in FIXTURES.glob("*.html"))
LIMITS = Limits(max_bytes=1 << 20, max_archive_bytes=1 << 20, max_members=50)


def _check(fic: Fic) -> None:
    n = len(fic.text)
    assert fic.text.strip()
    previous_end = 0
    for seg in fic.declared_segments:
        assert 0 <= seg.start < seg.end <= n
        assert seg.start >= previous_end
        assert fic.text[seg.start : seg.end] == fic.text[seg.start : seg.end].strip()
        previous_end = seg.end
    for chapter in fic.declared_chapters:
        assert 0 <= chapter.start <= chapter.end <= n
    for span in fic.italic_spans:
        assert 0 <= span.start < span.end <= n


def _read(data: bytes, name: str) -> None:
    try:
        fic = read_bytes(data, name=name, limits=LIMITS)
    except FicError as exc:
        assert "\n" not in str(exc), "error messages are one line"
    else:
        _check(fic)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(["x.txt", "x.html", "x.epub", "x"]))
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    _read(data, name)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.sampled_from(HTML_SAMPLES),
    st.integers(min_value=0, max_value=1 << 16),
    st.integers(min_value=1, max_value=400),
    st.binary(max_size=64),
)
def test_damaged_html(sample: bytes, at: int, cut: int, junk: bytes) -> None:
    at %= len(sample)
    _read(sample[:at] + junk + sample[at + cut :], "damaged.html")


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("<>/=\"' abcdiv p br hr em script \n\t&;#x")),
        max_size=500,
    )
)
def test_tag_soup(soup: str) -> None:
    _read(("<html><body>" + soup).encode("utf-8"), "soup.html")
