"""End to end: ``ficlens serve`` in a subprocess, driven by Debian's headless Chromium.

The library is built with the real command (``ficlens library add``) from invented fics,
the server is the real command on a free port (``--port 0``; it prints the port), and the
browser searches, filters, opens a fic and its framed report, and visits the stats. A
hostile fic must run nothing: no dialog, no console error, no request off the server.
Never ``playwright install``: the tests skip when ``/usr/bin/chromium`` is missing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from ficlens.cli import app as cli_app
from ficlens.library import Library
from tests.fixtures.report.analyses import hostile as hostile_analysis
from tests.test_report_browser import ARGS, CHROMIUM, Watch  # skips when chromium is absent

from .web_fics import TITLES, write_all

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

STARTUP_SECONDS = 60


def _wait_for_url(proc: subprocess.Popen[str]) -> str:
    """The server's URL from its 'serving … at http://…/' line on stderr."""
    found: list[str] = []
    lines: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if match:
                found.append(match.group(1))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(STARTUP_SECONDS)
    if not found:
        raise AssertionError(f"ficlens serve did not start: {''.join(lines)}")
    return found[0]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("webe2e")
    db = root / "lib.duckdb"
    paths = write_all(root / "fics")
    result = CliRunner().invoke(
        cli_app,
        ["library", "add", *map(str, paths), "--db", str(db), "--disable", "language"],
    )
    assert result.exit_code == 0, result.output
    with Library.open(db) as lib:  # a report with attacks in every layer, too
        lib.store(hostile_analysis(), None)
        lib.refresh_index()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ficlens", "serve", "--db", str(db), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        url = _wait_for_url(proc)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _page(browser: Any) -> tuple[Any, Watch]:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    return page, Watch(page)


def _off_server(watch: Watch, base: str) -> list[str]:
    return [u for u in watch.requests if not u.startswith(base) and not u.startswith("data:")]


def _hit_titles(page: Any) -> list[str]:
    return sorted(page.locator("li.hit h2 a").all_inner_texts())


def test_search_filter_open_and_come_back(browser: Any, server: str) -> None:
    page, watch = _page(browser)
    page.goto(server)
    assert "5 fics in the library" in page.locator("p.count").inner_text()
    assert page.locator("li.hit").count() == 5

    page.get_by_label("Words in the story").fill("orchard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=orchard"))
    assert _hit_titles(page) == sorted(
        [TITLES["orchard.txt"], TITLES["lanterns.txt"], TITLES["hostile.txt"]]
    )
    assert page.locator("li.hit mark").first.is_visible()

    page.get_by_label("Rating").select_option("general")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"rating=general"))
    assert _hit_titles(page) == [TITLES["orchard.txt"]]
    assert page.get_by_label("Rating").input_value() == "general"

    page.get_by_role("link", name=TITLES["orchard.txt"]).click()
    page.wait_for_url(re.compile(r"/fic/[0-9a-f]{64}\?q=orchard&rating=general$"))
    assert page.locator("h1").inner_text() == "The Orchard Ledger"
    frame = page.frame_locator("iframe.report")
    story = frame.locator("div.fic")
    story.get_by_text("Maud kept the orchard ledger").wait_for()
    assert story.get_by_text("cider press").first.is_visible()
    report = next(f for f in page.frames if f.url.endswith("/report"))
    assert report.evaluate("window.origin") == "null"  # sandboxed: not the UI's origin
    box = page.locator("iframe.report").bounding_box()
    assert box is not None and box["height"] > 400  # the report fills the window

    page.get_by_role("link", name=re.compile("Back to results")).click()
    page.wait_for_url(re.compile(r"/\?q=orchard&rating=general$"))
    assert _hit_titles(page) == [TITLES["orchard.txt"]]

    page.get_by_role("link", name="Stats", exact=True).click()
    page.wait_for_url(re.compile(r"/stats$"))
    images = page.locator("figure img")
    assert images.count() >= 3
    assert images.first.evaluate("img => img.complete && img.naturalWidth > 100")
    page.get_by_role("link", name="Quince Hollow", exact=True).click()
    page.wait_for_url(re.compile(r"fandom=Quince"))
    assert _hit_titles(page) == sorted(
        [TITLES["orchard.txt"], TITLES["lanterns.txt"], TITLES["hostile.txt"]]
    )
    assert watch.dialogs == []
    assert watch.errors == []
    assert _off_server(watch, server) == []


def test_hostile_fics_run_nothing(browser: Any, server: str) -> None:
    page, watch = _page(browser)
    page.goto(server + "?q=alert")
    assert page.locator("li.hit").count() >= 1
    page.goto(server + "?q=orchard")
    assert page.evaluate("document.scripts.length") == 0
    link = page.get_by_role("link", name=TITLES["hostile.txt"])
    assert link.is_visible()  # the title shows as text
    link.click()
    page.wait_for_url(re.compile(r"/fic/"))
    frame = page.frame_locator("iframe.report")
    frame.locator("div.fic").get_by_text("cider shed").wait_for()
    assert "<script>alert('x')</script>" in frame.locator("div.fic").inner_text()
    assert page.evaluate("document.scripts.length") == 0

    # the report with attacks in every layer: use its toggles, hover, open every detail
    page.goto(server)
    page.locator("li.hit h2 a", has_text="<script>alert(1)</script>").first.click()
    page.wait_for_url(re.compile(r"/fic/"))
    frame = page.frame_locator("iframe.report")
    frame.locator("div.fic").wait_for()
    button = frame.locator("button[data-toggle=show-feedback]")
    button.click()  # the report's own script runs inside the sandboxed frame
    assert button.get_attribute("aria-pressed") == "true"
    for selector in ("span.q", "span.m", "span.fb"):
        frame.locator(f"{selector}:visible").first.hover()
    for summary in frame.locator("summary").all():
        summary.click()
    assert frame.locator("main img:not(figure.plot img), main svg, main iframe").count() == 0

    alone = page.get_by_role("link", name="Open the report on its own").get_attribute("href")
    assert alone is not None and re.fullmatch(r"/fic/[0-9a-f]{64}/report", alone)
    page.goto(server + alone[1:])  # the report as its own page, under its own CSP
    page.locator("button[data-toggle=show-feedback]").click()
    assert page.evaluate("document.scripts.length") == 1
    page.goto(server + "stats")
    page.goto(server + "?fandom=%3Cimg%20src%3Dx%20onerror%3Dalert(9)%3E")
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert watch.errors == []
    assert _off_server(watch, server) == []


def test_watch_sees_into_frames(browser: Any, server: str) -> None:
    """The watchers must see inside the frame, or the hostile test would prove nothing."""
    page, watch = _page(browser)
    page.set_content(
        "<iframe srcdoc=\"<script>console.error('boom')</script>\"></iframe>"
        "<script>alert(7)</script>"
    )
    page.wait_for_timeout(300)
    assert watch.dialogs == ["7"]
    assert "boom" in watch.errors
