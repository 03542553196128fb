"""The final assessment in course mode, in a real browser: the rules, a form whose options never overlap, each
choice kept through a reload, the confirmation before handing in, and the result by objective."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from stemtrain.assessment import SELF_STUDY_LABEL
from stemtrain.records import SQLiteStore
from stemtrain.records.assessment import SQLiteAttempts

from .conftest import ROOT, Server, free_port
from .test_journey import OVERLAPS_JS, SIZES

LEARNER = "Ana Silva"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Iterator[Server]:
    from stemtrain.serve import voila_command, voila_env

    progress = tmp_path_factory.mktemp("assessment") / "progress.sqlite3"
    env = {**voila_env(), "STEMTRAIN_PROGRESS": str(progress), "STEMTRAIN_LEARNER": LEARNER}
    port = free_port()
    server = Server(voila_command(port=port, no_browser=True), port, "/voila/tree", ROOT, env)
    server.progress = progress  # type: ignore[attr-defined]
    yield server
    server.stop()


def _open(page, server: Server) -> None:
    page.goto(f"http://127.0.0.1:{server.port}/voila/render/07-final-assessment.ipynb")
    expect(page.get_by_role("navigation", name="Course navigation, end of page")).to_be_visible()


def test_take_the_assessment_reload_and_hand_in(page, course):
    _open(page, course)
    box = page.locator(".stemtrain-assessment")
    expect(box).to_contain_text(SELF_STUDY_LABEL)
    expect(page.locator(".stemtrain-question")).to_have_count(0)  # nothing is drawn before the learner starts
    box.get_by_role("button", name="Start the assessment").click()
    questions = box.locator(".stemtrain-question")
    expect(questions.first).to_be_visible()
    count = questions.count()
    assert count >= 10
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function("w => document.documentElement.clientWidth <= w", arg=width)
        assert questions.evaluate_all(OVERLAPS_JS) == [], size
    page.set_viewport_size({"width": 1280, "height": 1000})

    first, second = questions.nth(0), questions.nth(1)
    first.locator("input").first.check()
    expect(first).to_contain_text("Saved.")
    picked = first.locator("input").first.get_attribute("value")
    second.locator("input").last.check()
    expect(second).to_contain_text("Saved.")
    expect(box).to_contain_text(f"2 of {count} answered")
    attempts = SQLiteAttempts(SQLiteStore(course.progress)).assessment_attempts(LEARNER)
    assert len(attempts) == 1 and len([r for r in attempts[0].responses.values() if r is not None]) == 2

    page.reload()  # a closed tab: the same form, the same choices
    expect(page.get_by_role("navigation", name="Course navigation, end of page")).to_be_visible()
    box.get_by_role("button", name="Continue your attempt").click()
    expect(questions.first).to_be_visible()
    assert questions.count() == count
    expect(questions.nth(0).locator(f"input[value='{picked}']")).to_be_checked()
    expect(box).to_contain_text(f"2 of {count} answered")

    box.get_by_role("button", name="Hand in my answers").click()
    expect(box).to_contain_text(f"{count - 2} question(s) have no answer and will score 0")
    box.get_by_role("button", name="Yes, hand in now").click()
    result = box.locator(".stemtrain-result")
    expect(result).to_be_visible()
    expect(box).to_contain_text("You did not pass this time")
    expect(box).to_contain_text(SELF_STUDY_LABEL)
    assert result.locator("tbody tr").count() >= 6
    expect(page.get_by_role("navigation", name="Modules to revisit").get_by_role("link").first).to_be_visible()
    assert all(not i.is_enabled() for i in questions.locator("input").all())
    expect(box.get_by_role("button", name="Start attempt 2 (a new set of questions)")).to_be_visible()
    assert page.outside_requests == []
