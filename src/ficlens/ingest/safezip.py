"""A read-only zip view that refuses hostile archives before they cost memory.

Checks, in order: the member count declared in the end-of-central-directory record
(before :mod:`zipfile` builds one object per entry), unsafe member names (zip-slip),
encryption, declared total size and per-member compression ratio. Reads then stream
with a hard cap so a header that lies about sizes cannot allocate more than the budget.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from ficlens.errors import InputTooLargeError, MalformedInputError
from ficlens.ingest.detect import Limits
from ficlens.ingest.safexml import one_line

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CHUNK = 64 * 1024
_RATIO_FLOOR = 64 * 1024
"""Members smaller than this are never a bomb, however well they compress."""
_DRIVE = re.compile(r"^[A-Za-z]:")


def _declared_entries(data: bytes) -> int | None:
    """Entry count from the end-of-central-directory record (zip64-aware), if found."""
    pos = data.rfind(_EOCD, max(0, len(data) - 22 - 65535))
    if pos < 0 or pos + 22 > len(data):
        return None
    entries = struct.unpack_from("<H", data, pos + 10)[0]
    if entries != 0xFFFF:
        return int(entries)
    loc = pos - 20
    if loc < 0 or data[loc : loc + 4] != _EOCD64_LOCATOR:
        return None
    rec = struct.unpack_from("<Q", data, loc + 8)[0]
    if rec + 56 > len(data) or data[rec : rec + 4] != _EOCD64:
        return None
    return int(struct.unpack_from("<Q", data, rec + 32)[0])


def unsafe_name(name: str) -> bool:
    """True for member names that could escape an extraction directory (zip-slip)."""
    if not name or "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or _DRIVE.match(name):
        return True
    return any(part == ".." for part in name.split("/"))


def show(name: str) -> str:
    """A member name fit for a one-line message."""
    return repr(one_line(name, 80)) if name.isprintable() else repr(name[:80])


class SafeZip:
    """The members of an EPUB, validated up front and read under a byte budget."""

    def __init__(self, data: bytes, limits: Limits, label: str) -> None:
        self.label = label
        self.limits = limits
        declared = _declared_entries(data)
        if declared is not None and declared > limits.max_members:
            raise InputTooLargeError(self._too_many(declared))
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as exc:
            # RuntimeError covers zipfile's NotImplementedError ("zip file version …").
            detail = one_line(str(exc), 100) or "unreadable zip"
            if detail == "File is not a zip file":
                detail = "no zip directory: not a zip archive, or its end is missing"
            raise MalformedInputError(f"{label}: truncated or damaged EPUB ({detail})") from None
        if len(infos) > limits.max_members:
            raise InputTooLargeError(self._too_many(len(infos)))
        self._infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            self._check_member(info)
            total += info.file_size
            if not info.is_dir():
                self._infos[info.filename] = info
        if total > limits.max_archive_bytes:
            raise InputTooLargeError(
                f"{label}: EPUB members total {total:,} bytes uncompressed; the limit is "
                f"{limits.max_archive_bytes:,}"
            )
        self._remaining = limits.max_archive_bytes

    def _too_many(self, count: int) -> str:
        return f"{self.label}: EPUB has {count:,} members; the limit is {self.limits.max_members:,}"

    def _check_member(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        if unsafe_name(name):
            raise MalformedInputError(
                f"{self.label}: EPUB member {show(name)} has an unsafe path (zip-slip); refused"
            )
        if info.flag_bits & 0x1:
            raise MalformedInputError(
                f"{self.label}: EPUB member {show(name)} is encrypted; password-protected "
                "EPUBs cannot be read"
            )
        if self._bomb(info.file_size, info.compress_size):
            raise InputTooLargeError(self._bomb_message(name, info.file_size, info.compress_size))

    def _bomb(self, size: int, compressed: int) -> bool:
        return size > _RATIO_FLOOR and size > self.limits.max_ratio * max(compressed, 1)

    def _bomb_message(self, name: str, size: int, compressed: int) -> str:
        ratio = size / max(compressed, 1)
        return (
            f"{self.label}: EPUB member {show(name)} expands {ratio:,.0f}x ({size:,} bytes from "
            f"{compressed:,}); the limit is {self.limits.max_ratio:g}x (zip bomb?)"
        )

    @property
    def names(self) -> list[str]:
        """File members in archive order (directories left out)."""
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str, *, cap: int | None = None, cap_what: str = "") -> bytes:
        """Read one member, streaming, never holding more than the remaining budget.

        ``cap`` is an extra limit for this read (e.g. the remaining text allowance);
        exceeding it raises :class:`InputTooLargeError` naming ``cap_what``.
        """
        info = self._infos[name]
        limit = self._remaining if cap is None else min(cap, self._remaining)
        out = bytearray()
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    out += chunk
                    if len(out) > limit:
                        raise InputTooLargeError(self._over(name, limit, cap, cap_what))
                    if self._bomb(len(out), info.compress_size):
                        raise InputTooLargeError(
                            self._bomb_message(name, len(out), info.compress_size)
                        )
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            detail = one_line(str(exc), 80)
            reason = "bad CRC-32" if "CRC" in detail else detail or "unreadable"
            raise MalformedInputError(
                f"{self.label}: truncated or damaged EPUB (member {show(name)}: {reason})"
            ) from None
        except NotImplementedError as exc:
            raise MalformedInputError(
                f"{self.label}: EPUB member {show(name)} uses an unsupported compression "
                f"({one_line(str(exc), 60)})"
            ) from None
        except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
            raise MalformedInputError(
                f"{self.label}: EPUB member {show(name)} cannot be read ({one_line(str(exc), 60)})"
            ) from None
        self._remaining -= len(out)
        return bytes(out)

    def _over(self, name: str, limit: int, cap: int | None, cap_what: str) -> str:
        if cap is not None and limit == cap and cap_what:
            return f"{self.label}: {cap_what} exceeds the limit of {cap:,} bytes (at {show(name)})"
        return (
            f"{self.label}: EPUB member {show(name)} exceeds the archive budget of "
            f"{self.limits.max_archive_bytes:,} bytes uncompressed"
        )
