"""The HTML report: one self-contained file a reader opens from disk, offline.

Jinja2 with autoescape on renders :class:`~ficlens.report.view.ReportView`; CSS and the
one small script are inlined from ``static/``, plots are data-URI SVG images. A Content
Security Policy allows only our own inline style and script (by hash) and data: images,
so even a bug in escaping could neither run injected script nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ficlens.model import Analysis
from ficlens.report.people import Person
from ficlens.report.view import build_view

__all__ = ["render_report", "render_report_page", "write_report"]


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("ficlens.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _static(name: str) -> str:
    return files("ficlens.report").joinpath("static", name).read_text(encoding="utf-8")


def _speaker_css(cast: dict[str, Person]) -> str:
    """Per-character colours as classes (keys are ours, colours from our palette)."""
    rules = [
        f".q.{p.key}{{background:{p.tint};border-bottom-color:{p.colour}}}"
        f".q.{p.key}>.who,.swatch.{p.key}{{background:{p.colour};color:{p.ink}}}"
        f".m-{p.key}:hover{{text-decoration-color:{p.colour}}}"
        for p in cast.values()
    ]
    return "\n".join(rules)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_report(analysis: Analysis) -> str:
    """Render the analysis as one self-contained HTML document."""
    return render_report_page(analysis)[0]


def render_report_page(analysis: Analysis) -> tuple[str, str]:
    """The report and its Content Security Policy.

    The policy is also in the page's ``<meta>``; a server (``ficlens serve``) sends it as
    a header too, so the page keeps exactly the protection it has when opened from disk.
    """
    view = build_view(analysis)
    css = _static("report.css") + "\n" + _speaker_css(view.cast) + "\n"
    script = _static("report.js")
    csp = (
        "default-src 'none'; img-src data:; "
        f"style-src {_hash(css)}; script-src {_hash(script)}; "
        "base-uri 'none'; form-action 'none'"
    )
    template = _environment().get_template("report.html.j2")
    return template.render(v=view, css=Markup(css), script=Markup(script), csp=csp), csp


def write_report(analysis: Analysis, path: Path) -> Path:
    """Write the report to ``path`` (parents created) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(analysis), encoding="utf-8")
    return path
