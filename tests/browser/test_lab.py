"""Notebook mode in a real browser: JupyterLab runs the start notebook and its quizzes respond."""

from __future__ import annotations

import re

from playwright.sync_api import expect

WIDGET_ERRORS = re.compile(r"Error displaying widget|model not found|Failed to load model", re.I)


def open_notebook(page, lab, name: str) -> None:
    server, token, _ = lab
    # ?reset: a fresh workspace, so the tabs an earlier test opened on this server are not restored beside this one
    page.goto(f"http://127.0.0.1:{server.port}/lab/tree/notebooks/{name}?reset&token={token}")
    expect(page.locator(".jp-Notebook").first).to_be_visible()
    expect(page.get_by_role("button", name="Python 3 (ipykernel) | Idle")).to_be_visible()


def run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def test_committed_notebook_opens_without_widget_errors(page, lab):
    open_notebook(page, lab, "00-start-here.ipynb")
    outputs = page.locator(".jp-OutputArea-output")
    expect(outputs.filter(has_text="Choose Run > Run All Cells to answer it.").first).to_be_visible()
    expect(page.locator(".stemtrain-figure-caption, .jp-RenderedHTMLCommon").first).to_be_visible()
    assert not WIDGET_ERRORS.search(page.locator(".jp-Notebook").inner_text())
    assert page.outside_requests == []


def test_run_all_then_answer_by_mouse_and_by_keyboard(page, lab, quiz_text):
    first_text, second_text = quiz_text("start-investigational"), quiz_text("start-ryoncil-indication")
    open_notebook(page, lab, "00-start-here.ipynb")
    run_all(page)
    questions = page.locator(".jp-OutputArea-output .stemtrain-question")
    expect(questions.first).to_be_visible()

    # By mouse: the first practice question, the accurate answer.
    first = questions.nth(0)
    first.get_by_label(first_text.right, exact=True).check()
    first.get_by_role("button", name="Check").click()
    feedback = first.locator(".stemtrain-feedback")
    expect(feedback).to_contain_text("✔ Correct")
    expect(feedback).to_contain_text("Why:")
    expect(feedback.locator(".stemtrain-sources a", has_text=first_text.sources[0])).to_be_visible()

    # By keyboard only: the true/false question. The radio group is one Tab stop: arrow keys choose, Tab leaves it.
    second = questions.nth(1)
    second.get_by_label("True", exact=True).focus()
    page.keyboard.press("ArrowDown" if second_text.right == "False" else "Space")
    expect(second.get_by_label(second_text.right, exact=True)).to_be_checked()
    page.keyboard.press("Tab")  # straight to the Check button: the other choice is not a Tab stop of its own
    expect(second.get_by_role("button", name="Check")).to_be_focused()
    page.keyboard.press("Enter")
    feedback = second.locator(".stemtrain-feedback")
    expect(feedback).to_contain_text("✔ Correct")
    expect(feedback).to_contain_text(second_text.explanation[:60])
    expect(feedback.locator(".stemtrain-sources")).to_contain_text(second_text.sources[0])
    expect(page.locator(".stemtrain-pagebar-score").first).to_contain_text("Your score on this page: 2 of 6 (2 of 6 checked)")
    assert not WIDGET_ERRORS.search(page.locator(".jp-Notebook").inner_text())
    assert page.outside_requests == []
