"""Format and encoding detection by content (the extension is only a hint), and size limits."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from ficlens.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    UnsupportedFormatError,
)
from ficlens.model import SourceFormat

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps that keep hostile or accidental inputs from exhausting memory."""

    max_bytes: int = 50 * MB
    """Largest input file, and largest decoded text, accepted."""
    max_archive_bytes: int = 200 * MB
    """Largest total uncompressed size of an EPUB's members."""
    max_ratio: float = 200.0
    """Largest uncompressed/compressed ratio of any EPUB member (zip-bomb guard)."""
    max_members: int = 5000
    """Most files an EPUB may contain."""


# Signatures of formats we recognise but do not read, so the user is told what they gave us.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"Rar!", "RAR archive"),
    (b"\xd0\xcf\x11\xe0", "legacy Microsoft Office document"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
)
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_TAGS = re.compile(r"<(?:body|div|p|br|h[1-6]|blockquote|span|dl)\b[^>]*>", re.I)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _label(name: str | None) -> str:
    return name or "input"


def detect_format(data: bytes, *, name: str | None = None) -> SourceFormat:
    """Decide how to read ``data``; raise a clear error for empty, binary or foreign files."""
    if not data.strip():
        raise EmptyInputError(f"{_label(name)} is empty")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        if b"mimetypeapplication/epub+zip" in data[:200] or b"META-INF/" in data[:4096]:
            return "epub"
        if name and name.lower().endswith(".epub"):
            return "epub"  # a damaged EPUB: the reader reports what is wrong with it
        raise UnsupportedFormatError(f"{_label(name)} is a zip archive but not an EPUB")
    if data[60:68] == b"BOOKMOBI":
        raise UnsupportedFormatError(f"{_label(name)} is a MOBI/AZW e-book; convert it to EPUB")
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(f"{_label(name)} is a {what}, not a fic text")
    if name and name.lower().endswith(".epub"):
        raise UnsupportedFormatError(f"{_label(name)} is not a valid EPUB (not a zip archive)")
    sample = _peek_text(data)
    if _HTML_START.match(sample) or len(_HTML_TAGS.findall(sample)) >= 3:
        return "html"
    return "text"


def _peek_text(data: bytes) -> str:
    sample = data[:16384]
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return sample.decode(encoding, errors="ignore")
    return sample.decode("utf-8", errors="ignore")


def decode(data: bytes, *, name: str | None = None) -> tuple[str, str]:
    """Decode bytes to text, returning ``(text, encoding)``.

    A BOM wins; then strict UTF-8; then charset-normalizer's best guess (cp1252, latin-1…).
    Text with NUL bytes or many control characters is refused as binary.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise EncodingError(
                    f"{_label(name)} has a {encoding} byte-order mark but is not valid {encoding}"
                ) from None
            return _checked(text, name), encoding
    if b"\x00" in data[:65536]:
        raise BinaryInputError(f"{_label(name)} looks binary (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_single_byte(data, name)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise EncodingError(f"{_label(name)}: not valid text in {encoding}") from None
    return _checked(text, name), encoding


def _guess_single_byte(data: bytes, name: str | None) -> str:
    """Guess a legacy encoding. Mostly-ASCII text that cp1252 decodes is taken as cp1252:
    charset-normalizer cannot tell Western from Central European code pages on a few
    accented letters, and English-language fic archives are overwhelmingly Western."""
    best = from_bytes(data[: 4 * MB]).best()
    if best is None:
        raise EncodingError(f"{_label(name)}: cannot determine the text encoding")
    ascii_share = sum(b < 0x80 for b in data[:65536]) / min(len(data), 65536)
    if ascii_share >= 0.9 and best.encoding.startswith(_WESTERN_AMBIGUOUS):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return str(best.encoding)
        return "cp1252"
    return str(best.encoding)


_WESTERN_AMBIGUOUS = ("cp125", "latin", "iso8859", "mac_", "cp850", "cp437")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _checked(text: str, name: str | None) -> str:
    if not text.strip():
        raise EmptyInputError(f"{_label(name)} is empty")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise BinaryInputError(f"{_label(name)} looks binary (control characters), not text")
    return text
