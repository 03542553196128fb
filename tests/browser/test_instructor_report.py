"""``stemtrain report`` of a synthetic class, opened from disk in Chromium: everything loads from the file itself
(figures as data: URLs), nothing is requested from anywhere else, no script runs, and pseudonyms replace names."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from stemtrain.analytics.synthetic import synthetic_class
from stemtrain.cli import main

from .conftest import ARTIFACTS


def test_report_command_output_opens_offline_and_requests_nothing(browser, tmp_path: Path):
    out = tmp_path / "class-report"
    assert main(["report", "--synthetic", "2026", "--pseudonymise", "--out", str(out)]) == 0
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    outside: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((out / "report.html").as_uri())
        expect(page.locator("h1")).to_have_text("Class results and item analysis")
        expect(page.get_by_role("rowheader", name="Learner 01", exact=True)).to_be_visible()
        expect(page.locator("p.warn").first).to_contain_text("Only 24 learners have answered")
        assert page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        assert page.locator("img").count() >= 4 and page.locator("script").count() == 0
        body = page.locator("body").inner_text()
        assert not [name for name in {a.learner for a in synthetic_class(2026, 24)} if name in body]
        assert requests and all(url.startswith(("file:", "data:")) for url in requests), requests
        assert outside == [] and errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "instructor-report.png"))
    finally:
        context.close()
