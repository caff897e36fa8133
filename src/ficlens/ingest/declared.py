"""Parsers for declared metadata values, shared by every reader (text, HTML, EPUB).

Dates, counts, lists and source URLs come in many layouts across FFN, AO3, FanFicFare and
calibre; one implementation keeps them read the same way whatever the container.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from ficlens.model import Site

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
_YM = re.compile(r"^(\d{4})-(\d{2})$")
_US = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})$")
_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})$")
_MDY = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$")
_INT = re.compile(r"\d[\d,.\s]*")
_AO3_HOST = re.compile(r"(?<![\w-])(?:archiveofourown\.(?:org|com|net)|ao3\.org)\b", re.I)
_FFN_HOST = re.compile(r"(?<![\w-])fanfiction\.net\b", re.I)
_AO3_WORK = re.compile(r"/works/(\d+)")
_FFN_STORY = re.compile(r"/s/(\d+)")
_EARLIEST_YEAR = 1900  # calibre writes 0101-01-01 for "unknown"


def iso_date(value: str) -> str | None:
    """A declared date as ISO ``YYYY-MM-DD`` (``YYYY-MM`` when only that is given).

    Accepts ISO with or without a time, ``Y/M/D``, US ``M/D/YYYY`` (FFN), ``5 May 2013``
    and ``May 5, 2013``; anything else, or a placeholder year, gives None.
    """
    s = " ".join(value.split()).rstrip(".")
    try:
        if m := _YMD.match(s):
            day = date(int(m[1]), int(m[2]), int(m[3]))
        elif m := _YM.match(s):
            return s if int(m[1]) >= _EARLIEST_YEAR and 1 <= int(m[2]) <= 12 else None
        elif m := _US.match(s):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            day = date(year, int(m[1]), int(m[2]))
        elif (m := _DMY.match(s)) and m[2].lower() in _MONTHS:
            day = date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        elif (m := _MDY.match(s)) and m[1].lower() in _MONTHS:
            day = date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
        else:
            return None
    except ValueError:
        return None
    return day.isoformat() if day.year >= _EARLIEST_YEAR else None


def epoch_date(value: str) -> str | None:
    """A Unix timestamp (FFN's ``data-xutime``) as an ISO date in UTC."""
    try:
        return datetime.fromtimestamp(int(value), tz=UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        return None


def to_int(value: str) -> int | None:
    """The first integer in ``value``, ignoring thousands separators ("12,345" → 12345)."""
    m = _INT.search(value)
    if not m:
        return None
    digits = re.sub(r"\D", "", m.group(0))
    return int(digits) if digits else None


def split_list(value: str) -> list[str]:
    """Split a comma-separated declared list (AO3 tags cannot contain commas)."""
    return [x for x in (" ".join(p.split()) for p in value.split(",")) if x]


def site_of_url(url: str | None) -> Site | None:
    """``ao3`` or ``ffn`` from a story URL or a bare host name such as a Publisher field."""
    if not url:
        return None
    if _AO3_HOST.search(url):
        return "ao3"
    if _FFN_HOST.search(url):
        return "ffn"
    return None


def work_id_of_url(url: str | None) -> str | None:
    """The AO3 work id or fanfiction.net story id in a story URL."""
    site = site_of_url(url)
    if url is None or site is None:
        return None
    m = (_AO3_WORK if site == "ao3" else _FFN_STORY).search(url)
    return m[1] if m else None
