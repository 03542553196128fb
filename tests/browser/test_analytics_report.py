"""The instructor report opened from disk in a real browser: nothing leaves file:/data:, hostile text never runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from stemtrain.analytics import ItemInfo, write_report

from .conftest import ARTIFACTS

NAME = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
RTL = "مريم الحسن"


@dataclass(frozen=True)
class Rec:
    learner: str
    module: str
    question_id: str
    parent_id: str | None
    attempt: int
    score: float
    max_score: float
    response: Any
    answered_at: datetime


def _report(out: Path) -> Path:
    items = {
        "q1": ItemInfo("q1", "m1", None, "single_choice", f"Prompt {NAME}", (("a", "Right", True), ("b", f"Wrong {NAME}", False))),
        "q2": ItemInfo("q2", "m1", None, "true_false", "Yes?", (("true", "True", True), ("false", "False", False))),
    }
    at = datetime(2026, 3, 2, tzinfo=timezone.utc)
    recs = []
    for i, name in enumerate([NAME, RTL, "Ana", "Ben", "Cleo", "Dev"]):
        right = i % 3 != 0
        recs += [
            Rec(name, "m1", "q1", None, 1, float(right), 1, "a" if right else "b", at),
            Rec(name, "m1", "q2", None, 1, float(i < 4), 1, i < 4, at),
        ]
    return write_report(recs, items, ["m1"], out, title="Class report")


@pytest.fixture
def file_page(browser, request) -> Iterator[object]:
    """Like ``page``, but for a file on disk: file: and data: load, anything else is refused and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.outside_requests = []  # type: ignore[attr-defined]

    def guard(route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)  # type: ignore[attr-defined]
            route.abort()

    page.route("**/*", guard)
    page.set_default_timeout(60_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_report_opens_from_disk_and_fetches_nothing(file_page, tmp_path):
    page = file_page
    report = _report(tmp_path / "report")
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri())
    expect(page.locator("h1")).to_have_text("Class report")
    expect(page.get_by_role("rowheader", name=RTL)).to_be_visible()  # learner rows are headed by the name
    expect(page.locator("table").first).to_be_visible()
    assert page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator("img").count() >= 3  # the figures, decoded from data: URLs
    assert page.locator("img[src='x']").count() == 0 and page.locator("script").count() == 0
    assert page.evaluate("window.pwned") is None
    assert requests and all(url.startswith(("file:", "data:")) for url in requests), requests
    assert page.outside_requests == []  # type: ignore[attr-defined]
    assert errors == []  # no blocked load (CSP) and no script error
