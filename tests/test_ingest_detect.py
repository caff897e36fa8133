"""Format and encoding detection, and the clear errors for bad input."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from ficlens.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    FicError,
    InputTooLargeError,
    UnsupportedFormatError,
)
from ficlens.ingest import Limits, read_bytes, read_path, read_text
from ficlens.ingest.detect import decode, detect_format

STORY = "“Wait,” said Élodie, and the café went quiet — for once.\n\nShe didn't move.\n"


def test_utf8_without_bom_is_kept_verbatim() -> None:
    fic = read_bytes(STORY.encode("utf-8"), name="a.txt")
    assert fic.text == STORY
    assert fic.source.encoding == "utf-8"
    assert fic.source.format == "text"


def test_utf8_bom_is_dropped_and_nothing_else_changes() -> None:
    fic = read_bytes(codecs.BOM_UTF8 + STORY.encode("utf-8"), name="a.txt")
    assert fic.text == STORY


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding: str) -> None:
    raw = STORY.encode(encoding)
    if encoding != "utf-16":  # utf-16 writes its own BOM; add one to the explicit forms
        raw = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + raw
    assert read_bytes(raw, name="a.txt").text == STORY


def test_cp1252_is_detected() -> None:
    text = (
        "\u201cI can\u2019t,\u201d she said \u2014 and meant it. The caf\u00e9 was closing, "
        "and the na\u00efve waiter was already stacking chairs on the tables.\n\n" * 5
    )
    fic = read_bytes(text.encode("cp1252"), name="old.txt")
    assert fic.text == text
    assert fic.source.encoding is not None


def test_crlf_line_endings_are_preserved() -> None:
    text = 'Chapter 1\r\n\r\n"Hi," he said.\r\n'
    assert read_bytes(text.encode("utf-8"), name="a.txt").text == text


def test_sha256_is_of_the_raw_bytes() -> None:
    import hashlib

    raw = STORY.encode("utf-8")
    assert read_bytes(raw).source.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", "\ufeff".encode()])
def test_empty_input(raw: bytes) -> None:
    with pytest.raises(EmptyInputError, match="empty"):
        read_bytes(raw, name="blank.txt")


def test_read_text_refuses_whitespace_only() -> None:
    with pytest.raises(EmptyInputError):
        read_text(" \n ")


def test_nul_bytes_are_binary() -> None:
    with pytest.raises(BinaryInputError, match="binary"):
        read_bytes(b"abc\x00\x01\x02def" * 50, name="blob.bin")


def test_control_characters_are_binary() -> None:
    with pytest.raises(BinaryInputError):
        decode(bytes(range(1, 9)) * 200 + b"text")


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        (b"%PDF-1.7\n%...", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (b"\x1f\x8b\x08\x00....", "gzip"),
    ],
)
def test_foreign_formats_are_named(raw: bytes, what: str) -> None:
    with pytest.raises(UnsupportedFormatError, match=what):
        read_bytes(raw, name="thing")


def test_plain_zip_is_not_an_epub() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("notes.txt", "hello")
    with pytest.raises(UnsupportedFormatError, match="zip"):
        read_bytes(buf.getvalue(), name="bundle.zip")


def test_text_named_epub_is_refused_clearly() -> None:
    with pytest.raises(UnsupportedFormatError, match="EPUB"):
        read_bytes(b"just some words", name="story.epub")


def test_html_is_detected_by_content_not_extension() -> None:
    html = b"<!DOCTYPE html><html><body><p>She smiled.</p></body></html>"
    assert detect_format(html, name="story.txt") == "html"
    assert detect_format(b"She smiled. <3 you", name="story.html") == "text"


def test_size_cap_in_memory_and_on_disk(tmp_path: Path) -> None:
    limits = Limits(max_bytes=100)
    with pytest.raises(InputTooLargeError, match="limit"):
        read_bytes(b"word " * 100, limits=limits)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 100)
    with pytest.raises(InputTooLargeError, match="limit"):
        read_path(big, limits=limits)


def test_undecodable_bytes_give_encoding_or_binary_error() -> None:
    raw = codecs.BOM_UTF16_LE + b"\x00\xd8"  # a lone surrogate after a UTF-16 BOM
    with pytest.raises(EncodingError):
        read_bytes(raw, name="bad.txt")


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_path_problems_are_fic_errors(tmp_path: Path, make: str) -> None:
    target = tmp_path / "x.txt"
    if make == "directory":
        target.mkdir()
    with pytest.raises(FicError) as info:
        read_path(target)
    assert "\n" not in str(info.value)
