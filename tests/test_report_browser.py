"""The report in a real browser: Debian's headless Chromium driven by Playwright.

Never ``playwright install`` (it downloads a browser); the tests skip when
``/usr/bin/chromium`` is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ficlens.report import write_report
from tests.dialogue_fic import analysed, quote_at
from tests.fixtures.report.analyses import HOSTILE, hostile, lighthouse

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is missing (install Debian's chromium; never `playwright install`)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Watch:
    """Everything a page does that a static report never should."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def foreign_requests(self, document: str) -> list[str]:
        return [u for u in self.requests if u != document and not u.startswith("data:")]


def _open(browser: Any, path: Path, **context: Any) -> tuple[Any, Watch, str]:
    page = browser.new_context(viewport={"width": 1366, "height": 768}, **context).new_page()
    watch = Watch(page)
    url = path.as_uri()
    page.goto(url)
    page.wait_for_load_state("load")
    return page, watch, url


def test_report_in_browser(browser: Any, tmp_path: Path) -> None:
    path = write_report(lighthouse(), tmp_path / "lighthouse.html")
    page, watch, url = _open(browser, path)

    table = page.locator("table.characters")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 3
    assert "Mara Quill" in table.inner_text()

    images = page.locator("figure.plot img")
    assert images.count() == 4
    for i in range(4):
        images.nth(i).scroll_into_view_if_needed()
        assert images.nth(i).is_visible()
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 100")

    quote = page.locator("span.q").first
    quote.scroll_into_view_if_needed()
    assert quote.is_visible()
    tint = quote.evaluate("e => getComputedStyle(e).backgroundColor")
    assert tint not in ("rgba(0, 0, 0, 0)", "transparent")
    assert quote.locator(".who").inner_text() == "TR"

    feedback = page.locator("#fb-1")
    before = feedback.evaluate("e => getComputedStyle(e).backgroundColor")
    button = page.locator("button[data-toggle=show-feedback]")
    assert button.is_visible()  # the script un-hid it
    assert button.get_attribute("aria-pressed") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    after = feedback.evaluate("e => getComputedStyle(e).backgroundColor")
    assert before == "rgba(0, 0, 0, 0)" and after == "rgb(255, 243, 176)"
    page.keyboard.press("Space")
    assert button.get_attribute("aria-pressed") == "false"

    page.screenshot(path=str(tmp_path / "report.png"))
    page.screenshot(path=str(tmp_path / "report-full.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert watch.errors == []  # also proves the CSP hashes match our style and script
    assert watch.foreign_requests(url) == []


def test_real_dialogue_tooltips_and_marks(browser: Any, tmp_path: Path) -> None:
    """The real pipeline's output: hover shows the speaker; non-speech and unsure differ."""
    analysis = analysed()[0].model_copy(deep=True)
    fine = quote_at(analysis, '"Fine."')  # made unsure on purpose, whatever the model says
    analysis.quotes[fine] = analysis.quotes[fine].model_copy(update={"confidence": 0.2})
    path = write_report(analysis, tmp_path / "dialogue.html")
    page, watch, url = _open(browser, path)

    quote = page.locator("span.q", has_text="You're late")
    quote.scroll_into_view_if_needed()
    quote.hover()
    hovered = page.locator("span.q:hover")
    assert hovered.count() == 1
    assert hovered.get_attribute("title").startswith("Speaker: Marta · to Narrator")
    assert hovered.locator(".who").inner_text() == "M"

    scare = page.locator("span.qn", has_text="miracle")
    assert scare.get_attribute("title").startswith("Quoted words, not dialogue")
    assert scare.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert scare.locator(".who").count() == 0

    unsure = page.locator("span.q.uncertain").first
    assert unsure.evaluate("e => getComputedStyle(e).outlineStyle") == "dashed"
    assert unsure.locator(".who").inner_text().endswith("?")

    mention = page.locator("span.m", has_text="Tomas").first
    mention.hover()
    decoration = mention.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert decoration == "underline"
    assert mention.get_attribute("title") == "Tomas (name)"

    network = page.locator("#plot-network img")
    network.scroll_into_view_if_needed()
    assert network.evaluate("img => img.complete && img.naturalWidth > 100")
    page.screenshot(path=str(tmp_path / "dialogue.png"))
    assert watch.errors == []
    assert watch.foreign_requests(url) == []


def test_hostile_fic_runs_nothing_and_fetches_nothing(browser: Any, tmp_path: Path) -> None:
    path = write_report(hostile(), tmp_path / "hostile.html")
    page, watch, url = _open(browser, path)
    page.locator("button[data-toggle=show-feedback]").click()
    for selector in ("span.q", "span.m", "span.fb", "figure.plot img"):
        page.locator(f"{selector}:visible").first.hover()
    for summary in page.locator("summary").all():
        summary.click()
    page.wait_for_timeout(300)

    text = page.locator("div.fic").inner_text()
    for attack in HOSTILE:
        assert attack in text
    assert page.evaluate("document.scripts.length") == 1
    assert page.locator("main img:not(figure.plot img), main svg, main iframe").count() == 0
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.foreign_requests(url) == []


def test_report_reads_without_javascript(browser: Any, tmp_path: Path) -> None:
    path = write_report(lighthouse(), tmp_path / "nojs.html")
    page, _watch, _url = _open(browser, path, java_script_enabled=False)
    assert page.locator("table.characters").is_visible()
    assert page.locator("span.q").first.is_visible()
    assert page.get_by_text("The fog came in before supper").is_visible()
    assert not page.locator("button[data-toggle]").is_visible()  # toggles need the script
    page.locator('ol.issues a[href="#fb-1"]').click()  # links still work and :target marks the item
    outline = page.locator("#fb-1").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"


def test_watch_catches_what_the_hostile_test_forbids(browser: Any, tmp_path: Path) -> None:
    """The hostile test is only as good as its watchers: prove they see a bad page."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><title>bad</title><img src='http://127.0.0.1:9/x.png'>"
        "<script>alert(1); console.error('boom');</script>",
        encoding="utf-8",
    )
    page, watch, url = _open(browser, bad)
    page.wait_for_timeout(200)
    assert watch.dialogs == ["1"]
    assert "boom" in watch.errors
    assert watch.foreign_requests(url) == ["http://127.0.0.1:9/x.png"]
