"""The web UI through Starlette's TestClient: pages, filters, errors, escaping, headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from starlette.testclient import TestClient
from typer.testing import CliRunner

import ficlens
from ficlens.cli import app as cli_app
from ficlens.cli_serve import is_loopback
from ficlens.export import fic_id
from ficlens.library import Library
from ficlens.model import Narrative
from ficlens.web import create_app
from ficlens.web.app import ui_csp
from ficlens.web.views import highlight_parts, parse_search, stats_link
from tests.fixtures.report.analyses import HOSTILE as REPORT_ATTACKS
from tests.fixtures.report.analyses import hostile as hostile_analysis

from .web_fics import ATTACKS, BELLS, HOSTILE, LANTERNS, ORCHARD

IDS: dict[str, str] = {}
BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("web") / "lib.duckdb"
    with Library.open(path, create=True) as lib:
        for name, text in (
            ("orchard", ORCHARD),
            ("bells", BELLS),
            ("lanterns", LANTERNS),
            ("hostile", HOSTILE),
        ):
            analysis = ficlens.analyze(text, disable=["language"])
            if name == "orchard":
                analysis.narrative = Narrative(person="first", tense="present")
            lib.store(analysis, None)
            IDS[name] = fic_id(analysis)
        evil = hostile_analysis()  # attacks in characters, tags, feedback, slips too
        lib.store(evil, None)
        IDS["report-hostile"] = fic_id(evil)
        lib.refresh_index()
    yield path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url=BASE) as c:
        yield c


def _titles(html: str) -> list[str]:
    return re.findall(r'<li class="hit">\s*<h2><a href="[^"]*">([^<]*)</a>', html)


def _get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return response


# ------------------------------------------------------------------------- search


def test_front_page_lists_the_library(client: TestClient) -> None:
    html = _get(client, "/").text
    assert "5 fics in the library" in html
    assert len(_titles(html)) == 5
    assert 'name="q"' in html and 'name="min_words"' in html
    for name in ("fandom", "rating", "pairing", "character", "tag", "pov", "tense"):
        assert f'name="{name}"' in html


def test_search_highlights_and_links_back(client: TestClient) -> None:
    html = _get(client, "/?q=russets").text
    assert _titles(html) == ["The Orchard Ledger"]
    assert "1 matching fic" in html
    assert "<mark>russets</mark>" in html
    assert f'href="/fic/{IDS["orchard"]}?q=russets"' in html  # the search travels along
    assert 'value="russets"' in html  # the form keeps what was asked


def test_each_filter(client: TestClient) -> None:
    def titles(query: str) -> list[str]:
        return sorted(_titles(_get(client, "/?" + query).text))

    assert titles("fandom=clockwork") == ["Nine Bells Under Glass"]
    assert titles("rating=mature") == ["Nine Bells Under Glass"]
    assert titles("rating=general") == ["The Orchard Ledger"]
    assert titles("q=orchard&rating=teen") == [
        "Orchard &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;",
        "Paper Lanterns for Juno",
    ]
    assert titles("pairing=Tobin/Maud") == ["The Orchard Ledger"]
    assert titles("pairing=Juno+%26+Maud") == ["Paper Lanterns for Juno"]
    assert titles("character=Sorrel") == ["Nine Bells Under Glass"]
    assert titles("tag=Reyes") == ["The Orchard Ledger"]
    assert titles("pov=first") == ["The Orchard Ledger"]
    assert titles("pov=1st&tense=present") == ["The Orchard Ledger"]
    assert titles("tense=past") == []
    assert titles("min_words=95&fandom=quince") == ["Paper Lanterns for Juno"]
    assert titles("q=bells&fandom=quince") == []


def test_selected_filters_are_kept_in_the_form(client: TestClient) -> None:
    html = _get(client, "/?rating=teen&pov=third&tense=past&fandom=x").text
    assert '<option value="teen" selected>' in html
    assert '<option value="third" selected>' in html
    assert '<option value="past" selected>' in html
    assert 'name="fandom" value="x"' in html


def test_bad_filter_values_are_400_with_a_message(client: TestClient) -> None:
    for query, message in (
        ("pov=fourth", "unknown point of view"),
        ("tense=future", "unknown tense"),
        ("min_words=lots", "min words must be a whole number"),
        ("min_words=-3", "min words must be between"),
        ("limit=0", "limit must be between"),
        ("q=" + "a" * 300, "q is too long"),
    ):
        html = _get(client, "/?" + query, 400).text
        assert message in html.replace("&#39;", "'"), query
        assert 'role="alert"' in html


def test_limit_says_there_are_more(client: TestClient) -> None:
    html = _get(client, "/?limit=2&q=orchard").text
    assert len(_titles(html)) == 2
    assert "showing the first 2" in html
    assert '<a href="/?q=orchard&amp;limit=4">Show more results</a>' in html
    html = _get(client, "/?limit=4&q=orchard").text
    assert len(_titles(html)) == 3 and "Show more" not in html
    assert "Show more" not in _get(client, "/?limit=500").text


def test_an_empty_library(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    Library.open(path, create=True).close()
    with TestClient(create_app(path), base_url=BASE) as c:
        assert "The library is empty" in _get(c, "/").text
        assert "0 matching fics" in _get(c, "/?q=anything").text
        stats = _get(c, "/stats").text
        assert "No Fandom in the library yet." in stats


def test_parse_search_and_highlight_parts() -> None:
    form = parse_search({"q": " salt ", "pov": "3rd", "min_words": "10", "junk": "x"})
    assert form.query == "salt" and form.filters.pov == "third"
    assert form.filters.min_words == 10 and not form.errors
    assert form.query_string() == "q=+salt+&pov=3rd&min_words=10"
    assert highlight_parts("a <b> c", [(2, 5)]) == [("a ", False), ("<b>", True), (" c", False)]
    assert highlight_parts("abc", [(1, 9), (0, 2)]) == [("ab", True), ("c", True)]
    assert stats_link("fandoms", "A & B") == "/?fandom=A+%26+B"
    assert stats_link("ratings", "Teen (T)") is None
    assert stats_link("pov", "(unknown)") is None


# ------------------------------------------------------------------------ fic page


def test_fic_page_frames_the_report_and_links_back(client: TestClient) -> None:
    fid = IDS["orchard"]
    html = _get(client, f"/fic/{fid}?q=russets&fandom=quince&evil=1").text
    assert "<h1>The Orchard Ledger</h1>" in html
    assert 'href="/?q=russets&amp;fandom=quince"' in html  # only known parameters return
    assert f'src="/fic/{fid}/report"' in html
    assert 'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"' in html
    assert "allow-same-origin" not in html
    plain = _get(client, f"/fic/{fid}").text
    assert '<a class="back" href="/">' in plain


def test_report_page_is_the_report_with_its_own_csp(client: TestClient) -> None:
    response = _get(client, f"/fic/{IDS['orchard']}/report")
    html = response.text
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert meta is not None
    csp = response.headers["content-security-policy"]
    assert csp == meta.group(1).replace("&#39;", "'") + "; frame-ancestors 'self'"
    assert "script-src 'sha256-" in csp
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert "Maud" in html and html.count("<script>") == 1


def test_analysis_json_download(client: TestClient) -> None:
    response = _get(client, f"/fic/{IDS['bells']}/analysis.json")
    assert response.headers["content-type"] == "application/json"
    assert "attachment" in response.headers["content-disposition"]
    assert response.json()["metadata"]["title"] == "Nine Bells Under Glass"


@pytest.mark.parametrize(
    "path",
    [
        "/fic/" + "0" * 64,  # well formed, not stored
        "/fic/" + "0" * 64 + "/report",
        "/fic/" + "0" * 64 + "/analysis.json",
        "/fic/zz",
        "/fic/ABCDEF" + "0" * 58,  # ids are lower case
        "/fic/" + "a" * 63,
        "/fic/..%2F..%2Fetc%2Fpasswd",
        "/fic/%2e%2e/report",
        "/no/such/page",
        "/static/web.css",
        "/etc/passwd",
    ],
)
def test_unknown_and_bad_ids_are_404_pages(client: TestClient, path: str) -> None:
    response = _get(client, path, 404)
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text and "root:" not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


# --------------------------------------------------------------------------- stats


def test_stats_page_has_charts_tables_and_search_links(client: TestClient) -> None:
    html = _get(client, "/stats").text
    assert "<h1>Corpus stats</h1>" in html
    assert html.count('<img src="data:image/svg+xml;base64,') >= 3
    assert '<a href="/?fandom=Quince+Hollow">Quince Hollow</a>' in html
    assert '<a href="/?pairing=Maud%2FTobin">Maud/Tobin</a>' in html
    assert _get(client, "/stats").text == html  # cached until the library changes


# ------------------------------------------------------------------------ hostility

RAW = ["<script>alert", "<img src=x", "<svg onload", "<b>Eve</b>", "</textarea></title><script>"]
ALLOWED_TAGS = {
    "html",
    "head",
    "body",
    "meta",
    "title",
    "style",
    "script",
    "header",
    "nav",
    "main",
    "section",
    "footer",
    "div",
    "span",
    "p",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "form",
    "fieldset",
    "legend",
    "label",
    "input",
    "select",
    "option",
    "button",
    "mark",
    "code",
    "figure",
    "figcaption",
    "img",
    "iframe",
    "details",
    "summary",
    "abbr",
    "small",
    "em",
    "strong",
    "blockquote",
    "br",
    "hr",
    "aside",
    "article",
    "caption",
    "colgroup",
    "col",
    "time",
    "q",
    "cite",
    "sup",
    "sub",
    "i",
    "b",
    "kbd",
    "pre",
    "s",
    "svg",
    "-text",
    "-comment",
    "-undef",
}


def _elements_are_ours(url: str, html: str) -> None:
    """Parse the page as a browser would: no handler, no foreign image, frame or script."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.root.traverse(include_text=False) if tree.root else []:
        attrs = node.attributes
        assert not [a for a in attrs if a.lower().startswith("on")], (url, node.html)
        assert node.tag != "svg" and node.tag != "b", (url, node.html)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), (url, node.html)
        if node.tag == "img":
            assert (attrs.get("src") or "").startswith("data:image/"), (url, node.html)
        if node.tag == "iframe":
            assert re.fullmatch(r"/fic/[0-9a-f]{64}/report", attrs.get("src") or ""), url
        if node.tag == "script":
            assert url.endswith("/report") and "ficlens report" in node.text(), url


def _pages(client: TestClient) -> dict[str, str]:
    urls = ["/", "/?q=orchard", "/?q=alert", "/?q=nothing+will+run", "/stats"]
    for key in ("hostile", "report-hostile"):
        urls += [f"/fic/{IDS[key]}", f"/fic/{IDS[key]}?q=%3Cscript%3E", f"/fic/{IDS[key]}/report"]
    urls += ["/?fandom=%3Cscript%3Ealert(1)%3C/script%3E", "/?pov=%3Cscript%3E"]
    return {url: client.get(url).text for url in urls}


def test_hostile_text_is_escaped_everywhere(client: TestClient) -> None:
    pages = _pages(client)
    for url, html in pages.items():
        for raw in RAW:
            assert raw not in html, (url, raw)
        _elements_are_ours(url, html)
        assert html.count("<script") == (1 if url.endswith("/report") else 0), url
    # ...and it is shown, as text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in pages["/"]
    assert "&lt;img src=x onerror=alert(&#39;author&#39;)&gt;" in pages["/?q=orchard"]
    assert "&lt;script&gt;<mark>alert</mark>" in pages["/?q=alert"]
    assert "{{ 7*7 }}" in pages[f"/fic/{IDS['hostile']}/report"]
    report = pages[f"/fic/{IDS['report-hostile']}/report"]
    for attack in REPORT_ATTACKS:
        assert str(escape(attack)) in report
    for attack in ATTACKS[:2]:  # (the third holds quotation marks: the report marks a quote)
        assert str(escape(attack)) in pages[f"/fic/{IDS['hostile']}/report"]


# ---------------------------------------------------------------- headers and hosts


def test_security_headers_on_every_page(client: TestClient) -> None:
    for url in ("/", "/stats", f"/fic/{IDS['orchard']}", "/nope", "/?pov=bad"):
        headers = client.get(url).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
        assert "server" not in headers or "uvicorn" not in headers["server"]


def test_only_get_is_allowed(client: TestClient) -> None:
    assert client.post("/").status_code == 405
    assert client.delete(f"/fic/{IDS['orchard']}").status_code == 405
    assert client.head("/").status_code == 200


def test_foreign_host_headers_are_refused(db: Path) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 gets nothing."""
    with TestClient(create_app(db), base_url="http://evil.example") as evil:
        response = evil.get("/")
        assert response.status_code == 400
        assert "Orchard" not in response.text
    with TestClient(create_app(db), base_url="http://localhost:8000") as local:
        assert local.get("/").status_code == 200


def test_missing_library_is_a_503_page(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "gone.duckdb"), base_url=BASE) as c:
        response = c.get("/")
        assert response.status_code == 503
        assert "no library at" in response.text
        assert "Traceback" not in response.text


# ----------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_serve_without_library_is_one_line_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(cli_app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no library at" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_serve_on_a_port_in_use_is_one_line_exit_2(db: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli_app, ["serve", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("127.0.0.2") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    assert not is_loopback("example.org")


def test_serve_warns_when_listening_beyond_this_machine(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets: started.append(sockets))
    local = runner.invoke(cli_app, ["serve", "--db", str(db), "--port", "0"])
    assert local.exit_code == 0, local.output
    assert "warning" not in local.output
    assert re.search(r"serving .* \(5 fics\) at http://127\.0\.0\.1:\d+/", local.output)
    wide = runner.invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "0"])
    assert wide.exit_code == 0, wide.output
    assert "warning: listening on 0.0.0.0" in wide.output
    assert len(started) == 2
    for sockets in started:
        for sock in sockets:
            sock.close()


def test_an_internal_error_is_a_plain_500_page(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret detail /home/someone")

    monkeypatch.setattr("ficlens.web.app.search", broken)
    with TestClient(create_app(db), base_url=BASE, raise_server_exceptions=False) as c:
        response = c.get("/?q=orchard")
    assert response.status_code == 500
    assert "Something went wrong." in response.text
    assert "secret detail" not in response.text and "Traceback" not in response.text
    assert response.headers["content-security-policy"] == ui_csp()
    assert response.headers["x-content-type-options"] == "nosniff"
