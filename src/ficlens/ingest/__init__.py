"""Turn bytes into one :class:`~ficlens.model.Fic`: detect format and encoding, then read.

Every failure is a :class:`~ficlens.errors.FicError` with a one-line message.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ficlens.errors import EmptyInputError, FicError, InputTooLargeError, MalformedInputError
from ficlens.ingest.detect import Limits, decode, detect_format
from ficlens.ingest.epub import read_epub
from ficlens.ingest.html import read_html
from ficlens.ingest.text import read_plain
from ficlens.model import Fic, Source

__all__ = ["Limits", "read_bytes", "read_path", "read_text"]


def read_text(text: str, *, path: str | None = None) -> Fic:
    """Read a story already in memory as plain text (the text is kept unchanged)."""
    if not text.strip():
        raise EmptyInputError(f"{path or 'input'} is empty")
    return read_plain(text, Source(path=path, format="text"))


def read_bytes(data: bytes, *, name: str | None = None, limits: Limits | None = None) -> Fic:
    """Read raw bytes of any supported format (.txt, .html, .epub)."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise InputTooLargeError(
            f"{name or 'input'} is {len(data):,} bytes; the limit is {limits.max_bytes:,} "
            "(raise it with --max-bytes)"
        )
    fmt = detect_format(data, name=name)
    source = Source(path=name, format=fmt, sha256=hashlib.sha256(data).hexdigest())
    if fmt == "epub":
        return read_epub(data, source, limits)
    text, encoding = decode(data, name=name)
    source = source.model_copy(update={"encoding": encoding})
    if fmt == "html":
        return read_html(text, source)
    return read_plain(text, source)


def read_path(path: str | Path, *, limits: Limits | None = None) -> Fic:
    """Read one file from disk, refusing oversized files before loading them."""
    limits = limits or Limits()
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise FicError(f"{p}: not a regular file")
        if size > limits.max_bytes:
            raise InputTooLargeError(
                f"{p} is {size:,} bytes; the limit is {limits.max_bytes:,} "
                "(raise it with --max-bytes)"
            )
        data = p.read_bytes()
    except FileNotFoundError:
        raise FicError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise FicError(f"{p}: is a directory") from None
    except PermissionError:
        raise FicError(f"{p}: permission denied") from None
    except OSError as exc:
        raise MalformedInputError(f"{p}: cannot read ({exc.strerror or exc})") from None
    return read_bytes(data, name=str(p), limits=limits)
