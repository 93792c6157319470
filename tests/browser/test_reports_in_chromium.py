"""Open the index and a branch report in headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"),
]


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        events = {"errors": [], "requests": []}
        page.on("console", lambda msg: events["errors"].append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: events["errors"].append(str(exc)))
        page.on("request", lambda request: events["requests"].append(request.url))
        yield page, events
        browser.close()


def _charts_are_drawn(page) -> int:
    charts = page.locator("img.chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        assert chart.is_visible()
        assert chart.bounding_box()["width"] > 100
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    return charts.count()


def test_index_links_open_branch_and_bank_reports_with_visible_charts_and_no_errors(published_run, browser_page):
    page, events = browser_page
    page.goto((published_run / "index.html").as_uri())
    assert page.locator("table.index tbody tr").count() == 2

    page.locator('a[href^="branches/"][href$=".html"]').first.click()
    page.wait_for_load_state("load")
    assert "/branches/" in page.url and page.url.endswith(".html")
    assert page.locator("h1").first.inner_text().strip()
    assert _charts_are_drawn(page) >= 6
    assert page.locator("table.dataframe").count() >= 5

    page.go_back()
    page.locator('a[href="bank.html"]').click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/bank.html") and _charts_are_drawn(page) >= 2

    page.goto((published_run / "index.html").as_uri())
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 1 + 2 * 3  # bank report, then each branch's report, CSV and XLSX
    for href in hrefs:
        assert href.startswith("file://") and Path(unquote(urlparse(href).path)).is_file(), href
    for href in (h for h in hrefs if h.endswith(".html")):
        page.goto(href)
        assert page.locator("h1").first.inner_text().strip(), href

    assert events["errors"] == []
    assert all(url.startswith(("file://", "data:")) for url in events["requests"]), events["requests"]
