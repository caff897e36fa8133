"""A saved fanfiction.net story page: one chapter plus the story's profile.

``#profile_top`` holds the title (``b.xcontrast_txt``), author (``a[href*="/u/"]``), summary
(``div.xcontrast_txt``) and the grey metadata line ("Rated: Fiction T - English -
Romance/Drama - [Rory G., Jess M.] - Words: 3,512 - … - id: 1234567"). The fandom comes
from the breadcrumb, the chapter title from ``select#chap_select``, the text from
``#storytext``.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from ficlens.ingest.declared import epoch_date, iso_date, to_int
from ficlens.ingest.html_common import Parsed, write_preface
from ficlens.ingest.html_flatten import Node, TextBuilder, inline_text, raw_text
from ficlens.model import Metadata

GENRES: frozenset[str] = frozenset(
    [
        "adventure",
        "angst",
        "crime",
        "drama",
        "family",
        "fantasy",
        "friendship",
        "general",
        "horror",
        "humor",
        "hurt/comfort",
        "mystery",
        "parody",
        "poetry",
        "romance",
        "sci-fi",
        "spiritual",
        "supernatural",
        "suspense",
        "tragedy",
        "western",
    ]
)
_LABEL = re.compile(r"^([A-Za-z ]+):\s*(.*)$")
_BRACKET = re.compile(r"\[([^\]]*)\]")
_CROSSOVER = re.compile(r"\s+Crossover$", re.IGNORECASE)


def is_ffn_page(docs: list[LexborHTMLParser]) -> bool:
    return any(doc.css_first("#storytext, #profile_top") is not None for doc in docs)


def read_ffn_page(docs: list[LexborHTMLParser], b: TextBuilder) -> Parsed:
    doc = next(d for d in docs if d.css_first("#storytext, #profile_top") is not None)
    meta = Metadata()
    top = doc.css_first("#profile_top")
    lines: list[str] = []
    summary: Node | None = None
    if top is not None:
        meta.title = inline_text(top.css_first("b.xcontrast_txt")) or None
        author = top.css_first('a[href*="/u/"]')
        if author is not None:
            meta.authors = [inline_text(author)]
        summary = next(
            (d for d in top.css("div.xcontrast_txt") if not d.css_first("span.xgray")), None
        )
        gray = top.css_first("span.xgray")
        if gray is not None:
            lines = parse_gray(gray, meta)
    fandoms = _fandoms(doc)
    if fandoms:
        meta.fandoms = fandoms
        lines.insert(0, f"Fandom: {', '.join(fandoms)}")
    write_preface(b, meta.title, f"by {', '.join(meta.authors)}" if meta.authors else None, lines)
    if summary is not None:
        b.node(summary, "summary")
        meta.summary = inline_text(summary) or None
    heading, number, title = _current_chapter(doc)
    b.start_chapter(heading, number=number, title=title)
    b.node(doc.css_first("#storytext"))
    b.end_chapter()
    if meta.chapter_count is None:
        # The page repeats the chapter menu (same id) above and below the text.
        select = doc.css_first("select#chap_select")
        meta.chapter_count = (len(select.css("option")) if select is not None else 0) or 1
    if meta.work_id:
        meta.url = f"https://www.fanfiction.net/s/{meta.work_id}/"
    return Parsed(metadata=meta, site="ffn")


def parse_gray(gray: Node, meta: Metadata) -> list[str]:
    """Parse the " - "-separated profile line into ``meta``; return its parts as lines."""
    parts = [p.strip() for p in inline_text(gray).split(" - ") if p.strip()]
    times = [s.attributes.get("data-xutime") or "" for s in gray.css("span[data-xutime]")]
    free: list[str] = []
    for part in parts:
        m = _LABEL.match(part)
        if not m:
            free.append(part)
            continue
        label, value = m[1].strip().lower(), m[2].strip()
        if label == "rated":
            meta.rating = value.replace("Fiction", "").strip() or None
            meta.extra["Rated"] = value
        elif label == "words":
            meta.words = to_int(value)
        elif label == "chapters":
            meta.chapter_count = to_int(value)
        elif label in ("updated", "published"):
            when = epoch_date(times.pop(0)) if times else None
            setattr(meta, label, when or iso_date(value))
        elif label == "status":
            meta.status = value
        elif label == "id":
            meta.work_id = value
        else:
            meta.extra[m[1].strip()] = value
    if free:
        meta.language = free.pop(0)
    for part in free:
        tokens = [t.strip() for t in part.replace("Hurt/Comfort", "Hurt\0Comfort").split("/")]
        tokens = [t.replace("\0", "/") for t in tokens]
        if all(t.lower() in GENRES for t in tokens):
            meta.additional_tags = tokens
            meta.extra["Genre"] = part
        else:
            _characters(part, meta)
    if meta.status is None and meta.chapter_count is not None:
        meta.status = "In-Progress"
    return parts


def _characters(part: str, meta: Metadata) -> None:
    """ "[A, B] C, D": bracketed groups are pairings, all names are characters."""
    for group in _BRACKET.findall(part):
        names = [n.strip() for n in group.split(",") if n.strip()]
        if len(names) > 1:
            meta.relationships.append("/".join(names))
        meta.characters.extend(names)
    rest = _BRACKET.sub(",", part)
    meta.characters.extend(n.strip() for n in rest.split(",") if n.strip())


def _fandoms(doc: LexborHTMLParser) -> list[str]:
    crumbs = doc.css_first("#pre_story_links")
    if crumbs is None:
        return []
    links = [inline_text(a) for a in crumbs.css("a")]
    links = [x for x in links if x]
    if not links:
        return []
    last = links[-1]
    if _CROSSOVER.search(last):
        return [x.strip() for x in _CROSSOVER.sub("", last).split(" + ") if x.strip()]
    return [last]


def _current_chapter(doc: LexborHTMLParser) -> tuple[str | None, int | None, str | None]:
    select = doc.css_first("select#chap_select")
    if select is None:
        return None, 1, None
    options = select.css("option")
    chosen = next((o for o in options if "selected" in o.attributes), None)
    chosen = chosen or (options[0] if options else None)
    if chosen is None:
        return None, 1, None
    text = raw_text(chosen)
    number = to_int(chosen.attributes.get("value") or "") or 1
    title = re.sub(r"^\d+\.\s*", "", text) or None
    return text or None, number, title
