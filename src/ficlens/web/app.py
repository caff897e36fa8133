"""The Starlette application: search, a page per fic (with its report), corpus stats.

Why it is built this way:

- The library file is opened read-only *per request* and closed again, so ``ficlens
  library add`` can write between requests and new fics show up without a restart. A
  request that arrives while an add holds the write lock gets a 503 page saying so.
- Every page is rendered by Jinja2 with autoescape from plain strings; CSS is inlined and
  allowed by its hash; nothing is loaded from anywhere else, and no route takes a path
  that touches the filesystem (fic ids are 64 hex digits, checked before any query).
- A fic's report is the same self-contained document ``ficlens report`` writes, served as
  its own page with its own CSP as a header. The fic page shows it in a sandboxed iframe
  (scripts yes, same-origin no), so even a report bug could not reach the UI or the API.
- Host headers are checked (DNS rebinding), and every response carries a CSP,
  ``nosniff``, no referrer and a framing policy.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ficlens.errors import LibraryError
from ficlens.library import Library, open_for_reading, search
from ficlens.web.views import (
    POVS,
    RATINGS,
    TENSES,
    display_title,
    is_fic_id,
    parse_search,
    result_row,
    stats_rows,
)

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

# matplotlib's rc_context changes global state: one figure-drawing request at a time.
_PLOT_LOCK = threading.Lock()

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@cache
def _css() -> str:
    return files("ficlens.web").joinpath("static", "web.css").read_text(encoding="utf-8")


def _hash(source: str) -> str:
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


@cache
def ui_csp() -> str:
    """The UI's policy: our stylesheet by hash, data: images, our own frames and forms."""
    return (
        f"default-src 'none'; style-src {_hash(_css())}; img-src data:; frame-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("ficlens.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class SecurityHeaders:
    """Adds the base headers, and the UI's CSP and framing policy where a route set none."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _v in headers}
                extra = {
                    **BASE_HEADERS,
                    "Content-Security-Policy": ui_csp(),
                    "X-Frame-Options": "DENY",
                }
                for name, value in extra.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class WebApp:
    """The routes over one library file (held by path; opened per request)."""

    def __init__(self, db: Path) -> None:
        self.db = Path(db)
        self._stats_cache: tuple[tuple[Any, ...], str] | None = None

    # ------------------------------------------------------------------ helpers

    @contextmanager
    def library(self) -> Iterator[Library]:
        try:
            lib = open_for_reading(self.db)
        except LibraryError as exc:
            raise HTTPException(503, str(exc)) from None
        try:
            yield lib
        finally:
            lib.close()

    def page(self, template: str, status: int = 200, nav: str = "", **context: Any) -> HTMLResponse:
        html = (
            _environment()
            .get_template(template)
            .render(css=Markup(_css()), db=str(self.db), nav=nav, **context)
        )
        return HTMLResponse(html, status_code=status)

    # ------------------------------------------------------------------- routes

    def search_page(self, request: Request) -> Response:
        form = parse_search(request.query_params)
        rows = []
        total = 0
        status = 400 if form.errors else 200
        if not form.errors:
            with self.library() as lib:
                total = lib.count()
                try:
                    hits = search(lib, form.query, form.filters, form.limit)
                except LibraryError as exc:
                    form.errors.append(str(exc))
                    hits, status = [], 400
            rows = [result_row(h) for h in hits]
        return self.page(
            "search.html.j2",
            status=status,
            nav="search",
            form=form,
            rows=rows,
            total=total,
            back=form.query_string(),
            more=form.more(len(rows)),
            ratings=RATINGS,
            povs=POVS,
            tenses=TENSES,
        )

    def _fic_id(self, request: Request) -> str:
        fic_id = str(request.path_params["fic_id"])
        if not is_fic_id(fic_id):
            raise HTTPException(404, "That is not a fic id (64 hex digits).")
        return fic_id

    def fic_page(self, request: Request) -> Response:
        fic_id = self._fic_id(request)
        with self.library() as lib:
            row = lib.conn.execute(
                "SELECT title, path, authors, fandoms, rating, words FROM fics WHERE fic_id = ?",
                [fic_id],
            ).fetchone()
        if row is None:
            raise HTTPException(404, "No fic with that id in this library.")
        title, path, authors, fandoms, rating, words = row
        back = parse_search(request.query_params).query_string()
        return self.page(
            "fic.html.j2",
            fic_id=fic_id,
            title=display_title(title, path, fic_id),
            authors=", ".join(authors or []),
            fandoms=", ".join(fandoms or []),
            rating=rating or "",
            words=f"{int(words or 0):,}",
            back=back,
        )

    def report_page(self, request: Request) -> Response:
        """The stored analysis rendered by ``ficlens.report``, under the report's own CSP."""
        from ficlens.report import render_report_page

        fic_id = self._fic_id(request)
        with self.library() as lib:
            try:
                analysis = lib.analysis(fic_id)
            except LibraryError:
                raise HTTPException(404, "No fic with that id in this library.") from None
        with _PLOT_LOCK:
            html, csp = render_report_page(analysis)
        return HTMLResponse(
            html,
            headers={
                "Content-Security-Policy": f"{csp}; frame-ancestors 'self'",
                "X-Frame-Options": "SAMEORIGIN",
            },
        )

    def analysis_json(self, request: Request) -> Response:
        fic_id = self._fic_id(request)
        with self.library() as lib:
            row = lib.conn.execute(
                "SELECT analysis FROM analyses WHERE fic_id = ?", [fic_id]
            ).fetchone()
        if row is None:
            raise HTTPException(404, "No fic with that id in this library.")
        return Response(
            row[0],
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{fic_id[:12]}.json"'},
        )

    def stats_page(self, request: Request) -> Response:
        from ficlens.library.stats import corpus_stats, stats_plots

        with self.library() as lib:
            key = lib.conn.execute(
                "SELECT count(*), max(added_at), sum(hash(fic_id)) FROM fics"
            ).fetchone()
            if self._stats_cache and self._stats_cache[0] == key:
                return HTMLResponse(self._stats_cache[1])
            stats = corpus_stats(lib)
        with _PLOT_LOCK:
            plots = stats_plots(stats)
        response = self.page(
            "stats.html.j2", nav="stats", s=stats, plots=[(p, stats_rows(p)) for p in plots]
        )
        self._stats_cache = (tuple(key or ()), bytes(response.body).decode("utf-8"))
        return response

    # ------------------------------------------------------------------- errors

    def error_page(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        titles = {
            400: "Bad request",
            404: "Not found",
            405: "Method not allowed",
            503: "Library unavailable",
        }
        detail = exc.detail if isinstance(exc, HTTPException) else "Something went wrong."
        if status == 404 and detail == "Not Found":
            detail = "There is no such page."
        response = self.page(
            "error.html.j2",
            status=status,
            title=titles.get(status, "Error"),
            detail=str(detail),
        )
        if status == 500:  # outside the middleware stack: add the headers here
            response.headers.update(
                {**BASE_HEADERS, "Content-Security-Policy": ui_csp(), "X-Frame-Options": "DENY"}
            )
        return response


def create_app(db: str | Path, allowed_hosts: list[str] | None = None) -> Starlette:
    """The web app over library ``db``; only requests for ``allowed_hosts`` are answered.

    The default allows the loopback names only, which defeats DNS rebinding: a web page
    elsewhere cannot make the browser treat its own host name as this server.
    """
    web = WebApp(Path(db))
    routes = [
        Route("/", web.search_page, name="search"),
        Route("/stats", web.stats_page, name="stats"),
        Route("/fic/{fic_id}", web.fic_page, name="fic"),
        Route("/fic/{fic_id}/report", web.report_page, name="report"),
        Route("/fic/{fic_id}/analysis.json", web.analysis_json, name="analysis"),
    ]
    hosts = list(allowed_hosts) if allowed_hosts is not None else list(LOCAL_HOSTS)
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
        ],
        exception_handlers={HTTPException: web.error_page, Exception: web.error_page},
    )


def check_library(db: str | Path) -> int:
    """Open the library once before serving, so a bad path fails at start; returns its size."""
    with open_for_reading(db) as lib:
        return lib.count()
