"""EPUB reader (AO3, FanFicFare, generic) over :mod:`safezip` and :mod:`safexml`.

This module owns the container: it finds the OPF, maps its metadata to
:class:`~ficlens.model.Metadata`, picks the spine's text documents in reading order and
hands them to :func:`ficlens.ingest.html.read_html_parts`, which flattens the chapters.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

from ficlens.errors import EmptyInputError, InputTooLargeError, MalformedInputError
from ficlens.ingest.declared import iso_date, site_of_url, work_id_of_url
from ficlens.ingest.detect import Limits, decode
from ficlens.ingest.html import read_html_parts
from ficlens.ingest.html_flatten import block_text, parse_html
from ficlens.ingest.safexml import attr, localname, parse_xml
from ficlens.ingest.safezip import SafeZip, show
from ficlens.model import Fic, Metadata, Source

CONTAINER = "META-INF/container.xml"
ENCRYPTION = "META-INF/encryption.xml"
# Font obfuscation also lives in encryption.xml; it hides fonts, never text.
_FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/html"})
_HTML_EXT = (".xhtml", ".html", ".htm")
# FanFicFare pages that repeat what the title page and chapters already say.
_FFF_SKIP_BODY = re.compile(
    r"<body\b[^>]*\bclass\s*=\s*[\"'][^\"']*\bfff_(?:tocpage|logpage|coverpage)\b", re.I
)
_FFF_SKIP_IDS = frozenset({"toc_page", "log_page"})
_FFF_SUBJECT_NOISE = re.compile(
    r"^(?:fanfiction|completed?|in-progress|last update(?: year/month)?:.*)$", re.I
)
_FFF_STATUS = {"completed": "Complete", "complete": "Complete", "in-progress": "In-Progress"}
_XML_DECL_ENC = re.compile(rb"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.I)
_URL = re.compile(r"^(?:url:)?\s*(https?://\S+)$", re.I)


@dataclass
class ManifestItem:
    id: str
    path: str
    media_type: str
    properties: str


@dataclass
class Package:
    """What the OPF declares, before any chapter HTML is read."""

    path: str
    metadata: Metadata
    spine: list[ManifestItem]
    subjects: list[str] = field(default_factory=list)
    generator: str | None = None
    publisher: str | None = None
    contributors: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    encoding: str | None = None
    """The spine documents' (main) encoding, once read."""


def read_epub(data: bytes, source: Source, limits: Limits) -> Fic:
    """Read an EPUB into one Fic, refusing damaged or hostile archives with a clear error."""
    label = source.path or "EPUB"
    archive = SafeZip(data, limits, label)
    package = read_package(archive, label)
    parts = _read_spine(archive, package, label, limits)
    flavor = _flavor(package, parts)
    site = site_of_url(package.metadata.url)
    source = source.model_copy(
        update={"format": "epub", "flavor": flavor, "site": site, "encoding": package.encoding}
    )
    base = package.metadata
    fic = read_html_parts(parts, source, base)
    return _finish(fic, source, package, label, limits)


# --------------------------------------------------------------------------- container


def find_opf(archive: SafeZip, label: str) -> str:
    """The package document's path: container.xml's rootfile, else the first ``*.opf``."""
    if archive.has(CONTAINER):
        root = parse_xml(archive.read(CONTAINER), what=CONTAINER, label=label)
        for el in root.iter():
            if localname(el) != "rootfile":
                continue
            path = (attr(el, "full-path") or "").strip()
            media = (attr(el, "media-type") or "application/oebps-package+xml").strip()
            if path and media == "application/oebps-package+xml" and archive.has(path):
                return path
    for name in archive.names:
        if name.lower().endswith(".opf"):
            return name
    raise MalformedInputError(
        f"{label}: EPUB has no package document (no usable {CONTAINER} and no .opf file)"
    )


def read_package(archive: SafeZip, label: str) -> Package:
    """Parse the OPF: metadata, manifest and spine (in reading order)."""
    opf = find_opf(archive, label)
    root = parse_xml(archive.read(opf), what=opf, label=label)
    if localname(root) != "package":
        raise MalformedInputError(f"{label}: {show(opf)} is not an OPF package document")
    sections = {localname(el): el for el in root if localname(el)}
    manifest = _manifest(sections.get("manifest"), posixpath.dirname(opf))
    spine_el = sections.get("spine")
    if spine_el is None:
        raise MalformedInputError(f"{label}: EPUB has no spine (no <spine> in {show(opf)})")
    package = Package(path=opf, metadata=Metadata(), spine=[])
    meta_el = sections.get("metadata")
    if meta_el is not None:
        _read_metadata(meta_el, package)
    package.spine = _spine(spine_el, manifest, archive, label)
    _refuse_drm(archive, package, label)
    return package


def _refuse_drm(archive: SafeZip, package: Package, label: str) -> None:
    """Refuse DRM-encrypted text with a clear message instead of decoding ciphertext."""
    if not archive.has(ENCRYPTION):
        return
    root = parse_xml(archive.read(ENCRYPTION), what=ENCRYPTION, label=label)
    spine_paths = {item.path for item in package.spine}
    for data in root.iter():
        if localname(data) != "EncryptedData":
            continue
        methods = [attr(m, "Algorithm") for m in data.iter() if localname(m) == "EncryptionMethod"]
        if any(m in _FONT_OBFUSCATION for m in methods):
            continue
        for ref in data.iter():
            uri = attr(ref, "URI") if localname(ref) == "CipherReference" else None
            if uri and posixpath.normpath(unquote(uri)) in spine_paths:
                raise MalformedInputError(
                    f"{label}: EPUB is DRM-protected ({show(uri)} is encrypted); "
                    "ficlens reads only DRM-free EPUBs"
                )


def _manifest(el: etree._Element | None, base: str) -> dict[str, ManifestItem]:
    items: dict[str, ManifestItem] = {}
    if el is None:
        return items
    for item in el:
        if localname(item) != "item":
            continue
        item_id, href = attr(item, "id"), attr(item, "href")
        if not item_id or not href:
            continue
        target = unquote(href.split("#", 1)[0].strip())
        path = posixpath.normpath(posixpath.join(base, target)) if target else ""
        items[item_id] = ManifestItem(
            id=item_id,
            path=path,
            media_type=(attr(item, "media-type") or "").strip().lower(),
            properties=attr(item, "properties") or "",
        )
    return items


def _spine(
    el: etree._Element, manifest: dict[str, ManifestItem], archive: SafeZip, label: str
) -> list[ManifestItem]:
    refs = [(attr(r, "idref") or "", attr(r, "linear")) for r in el if localname(r) == "itemref"]
    if not refs:
        raise MalformedInputError(f"{label}: EPUB has no spine (the <spine> lists no documents)")
    linear = [idref for idref, lin in refs if (lin or "yes").strip().lower() != "no"]
    items: list[ManifestItem] = []
    for idref in linear or [idref for idref, _ in refs]:
        item = manifest.get(idref)
        if item is None:
            raise MalformedInputError(
                f"{label}: EPUB spine refers to {show(idref)}, which the manifest does not list"
            )
        if not archive.has(item.path):
            raise MalformedInputError(
                f"{label}: EPUB spine item {show(idref)} points to missing file {show(item.path)}"
            )
        items.append(item)
    return items


# ---------------------------------------------------------------------------- metadata


def _read_metadata(el: etree._Element, package: Package) -> None:
    md = package.metadata
    refined_roles = {
        (attr(m, "refines") or "").lstrip("#"): (m.text or "").strip()
        for m in el.iter()
        if localname(m) == "meta" and attr(m, "property") == "role"
    }
    for child in el.iter():
        name, text = localname(child), _text(child)
        if name == "meta":
            _read_meta(child, package)
            continue
        if not text:
            continue
        if name == "title" and md.title is None:
            md.title = text
        elif name == "creator":
            role = attr(child, "role") or refined_roles.get(attr(child, "id") or "", "")
            if role in ("", "aut"):
                md.authors.append(text)
        elif name == "contributor":
            package.contributors.append(text)
        elif name == "subject":
            package.subjects.append(text)
        elif name == "description" and md.summary is None:
            md.summary = html_to_text(text) or None
        elif name == "language" and md.language is None:
            md.language = text
        elif name == "publisher" and package.publisher is None:
            package.publisher = text
        elif name in ("identifier", "source"):
            package.identifiers.append(text)
        elif name == "date":
            _read_date(text, (attr(child, "event") or "").lower(), package)
    _settle_metadata(package)


def _read_meta(el: etree._Element, package: Package) -> None:
    if attr(el, "property") == "belongs-to-collection" and _text(el):
        package.metadata.series.append(_text(el))  # EPUB 3 series
        return
    name = (attr(el, "name") or "").strip()
    content = (attr(el, "content") or "").strip()
    if not name or not content:
        return
    if name == "generator":
        package.generator = content
    elif name == "calibre:series":
        package.metadata.series.append(content)
    elif name == "calibre:series_index":
        package.metadata.extra["series_index"] = content


def _read_date(text: str, event: str, package: Package) -> None:
    day = iso_date(text)
    if day is None:
        return
    md = package.metadata
    if event in ("publication", "original-publication"):
        md.published = md.published or day
    elif event == "modification":
        md.updated = md.updated or day
    elif event == "creation":
        md.extra.setdefault("created", day)
    else:
        md.extra.setdefault("date", day)


def _settle_metadata(package: Package) -> None:
    """Resolve what needs every field at once: flavor-specific readings, URL, work id."""
    md = package.metadata
    ao3 = _is_ao3_package(package)
    if ao3 and len(md.authors) == 1 and ", " in md.authors[0]:
        md.authors = [a.strip() for a in md.authors[0].split(", ") if a.strip()]
    undated = md.extra.pop("date", None)
    if undated:
        # AO3 passes the work's last revision to calibre as its only date.
        if ao3:
            md.updated = md.updated or undated
        else:
            md.published = md.published or undated
    if ao3:
        package.subjects = [s for s in package.subjects if s.lower() != "fanworks"]
    elif _is_fanficfare_package(package):
        # FanFicFare's default include_subject_tags add its "FanFiction" extratag, the
        # status and two "Last Update…" date tags to the genres/characters/ships.
        for subject in package.subjects:
            status = _FFF_STATUS.get(subject.lower())
            if status and md.status is None:
                md.status = status
        package.subjects = [s for s in package.subjects if not _FFF_SUBJECT_NOISE.match(s)]
    package.subjects = list(dict.fromkeys(package.subjects))
    if package.subjects:
        md.extra["subjects"] = ", ".join(package.subjects)
    if package.publisher:
        md.extra["publisher"] = package.publisher
    if package.generator:
        md.extra["generator"] = package.generator
    for ident in package.identifiers:
        match = _URL.match(ident)
        if match:
            md.url = match.group(1)
            break
    md.work_id = work_id_of_url(md.url)


def _is_ao3_package(package: Package) -> bool:
    publisher = (package.publisher or "").lower()
    return "archive of our own" in publisher or any(
        site_of_url(u) == "ao3" for u in package.identifiers if _URL.match(u)
    )


def _is_fanficfare_package(package: Package) -> bool:
    marks = [package.generator or "", *package.contributors, *package.identifiers]
    if any("fanficfare" in m.lower() for m in marks):
        return True
    return any(posixpath.basename(i.path) == "title_page.xhtml" for i in package.spine)


def _text(el: etree._Element) -> str:
    if not localname(el):
        return ""
    return " ".join("".join(str(t) for t in el.itertext()).split())


def html_to_text(value: str) -> str:
    """Plain text of a description that may hold (escaped) HTML, one line per block.

    Uses the same flattener as the chapters, so scripts and styles never reach the text.
    """
    if "<" not in value and "&" not in value:
        return value.strip()
    tree = parse_html(value)
    text = block_text(tree.body or tree.root)
    return "\n".join(line for line in text.splitlines() if line.strip())


# ------------------------------------------------------------------------------- spine


def _is_html(item: ManifestItem) -> bool:
    if item.media_type:
        return item.media_type in _HTML_TYPES
    return item.path.lower().endswith(_HTML_EXT)


def _read_spine(
    archive: SafeZip, package: Package, label: str, limits: Limits
) -> list[tuple[str, str]]:
    """Decode the spine's (X)HTML documents in order, skipping navigation-only pages."""
    parts: list[tuple[str, str]] = []
    encodings: dict[str, int] = {}
    budget = limits.max_bytes
    for item in package.spine:
        if not _is_html(item) or "nav" in item.properties.split():
            continue
        raw = archive.read(item.path, cap=budget, cap_what="the EPUB's text")
        budget -= len(raw)
        text, encoding = decode_member(raw, item.path, label)
        encodings[encoding] = encodings.get(encoding, 0) + len(text)
        if item.id in _FFF_SKIP_IDS or _FFF_SKIP_BODY.search(text[:4096]):
            continue
        parts.append((item.path, text))
    if not parts:
        raise EmptyInputError(f"{label}: EPUB spine holds no (X)HTML text documents")
    package.encoding = max(encodings, key=encodings.__getitem__) if encodings else None
    return parts


def decode_member(raw: bytes, path: str, label: str) -> tuple[str, str]:
    """Decode one document: BOM, then the declared encoding, then UTF-8, then a guess.

    Returns ``(text, encoding)``.
    """
    declared = _XML_DECL_ENC.match(raw) or _META_CHARSET.search(raw[:2048])
    candidates = []
    if raw.startswith(codecs.BOM_UTF8):
        candidates.append("utf-8-sig")
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates.append("utf-16")
    if declared:
        candidates.append(declared.group(1).decode("ascii").lower())
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return decode(raw, name=f"{label}: {path}")
    except EmptyInputError:
        return "", "utf-8"


# ------------------------------------------------------------------------------ result


def _flavor(package: Package, parts: list[tuple[str, str]]) -> str:
    if _is_fanficfare_package(package) or any(
        'class="fff_titlepage"' in text[:4096] or "fff_chapter" in text[:4096] for _, text in parts
    ):
        return "fanficfare_epub"
    if _is_ao3_package(package):
        return "ao3_epub"
    return "generic_epub"


def _finish(fic: Fic, source: Source, package: Package, label: str, limits: Limits) -> Fic:
    """Keep the container's view of the source; fall back to OPF subjects for tags."""
    if len(fic.text) > limits.max_bytes:
        raise InputTooLargeError(
            f"{label}: EPUB text is {len(fic.text):,} characters; the limit is "
            f"{limits.max_bytes:,} (raise it with --max-bytes)"
        )
    md = fic.metadata
    tagged = any(
        (md.fandoms, md.warnings, md.category, md.relationships, md.characters, md.additional_tags)
    )
    updates: dict[str, object] = {}
    if not tagged and package.subjects:
        updates["additional_tags"] = list(package.subjects)
    if not md.url and package.metadata.url:
        updates["url"] = package.metadata.url
    url = updates.get("url", md.url)
    if not md.work_id and isinstance(url, str):
        updates["work_id"] = work_id_of_url(url)
    if updates:
        md = md.model_copy(update=updates)
    site = source.site or fic.source.site or site_of_url(md.url)
    flavor = source.flavor
    if flavor == "generic_epub" and fic.source.flavor.startswith(("ao3", "fanficfare")):
        flavor = "ao3_epub" if fic.source.flavor.startswith("ao3") else "fanficfare_epub"
    final_source = source.model_copy(update={"site": site, "flavor": flavor})
    return fic.model_copy(update={"metadata": md, "source": final_source})
