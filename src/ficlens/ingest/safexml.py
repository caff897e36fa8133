"""Hardened XML parsing for EPUB package files (container.xml, the OPF).

EPUB metadata files never need a DTD, so any entity declaration is treated as hostile
(billion laughs, XXE) and refused before libxml2 sees it; the parser itself is also
configured never to expand entities, load DTDs or touch the network.
"""

from __future__ import annotations

import re

from lxml import etree

from ficlens.errors import MalformedInputError

_ENTITY_RE = re.compile(rb"<!\s*ENTITY", re.I)
# "<!ENTITY" in the wide encodings libxml2 detects on its own.
_WIDE_MARKERS: tuple[bytes, ...] = tuple(
    "<!ENTITY".encode(enc) for enc in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def declares_entities(data: bytes) -> bool:
    """True when the document declares entities (checked on the raw bytes, any encoding)."""
    return bool(_ENTITY_RE.search(data)) or any(m in data for m in _WIDE_MARKERS)


def parse_xml(data: bytes, *, what: str, label: str) -> etree._Element:
    """Parse ``data`` safely and return the root element, or raise one clear error.

    ``what`` names the document (e.g. ``content.opf``), ``label`` the input file.
    """
    if declares_entities(data):
        raise MalformedInputError(
            f"{label}: {what} declares XML entities (possible billion-laughs or XXE attack); "
            "refused"
        )
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        detail = one_line(str(exc.msg or exc), 120)
        raise MalformedInputError(f"{label}: {what} is not well-formed XML ({detail})") from None
    except (ValueError, etree.LxmlError) as exc:  # e.g. an unsupported encoding declaration
        raise MalformedInputError(
            f"{label}: {what} cannot be parsed ({one_line(str(exc), 120)})"
        ) from None
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and dtd.entities():  # type: ignore[union-attr]  # missing in lxml-stubs
        raise MalformedInputError(f"{label}: {what} declares XML entities; refused")
    return root


def one_line(text: str, limit: int = 80) -> str:
    """Collapse whitespace and control characters so a message stays on one line."""
    flat = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def localname(el: etree._Element) -> str:
    """The tag without its namespace ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def attr(el: etree._Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace prefix (opf:event, event…)."""
    value = el.get(name)
    if value is not None:
        return value
    for key, val in el.attrib.items():
        if isinstance(key, str) and key.rsplit("}", 1)[-1] == name:
            return str(val)
    return None
