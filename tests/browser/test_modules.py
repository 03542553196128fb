"""Every module, as a learner opens it in course mode: it renders, teaches, quizzes, and its figures respond."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from stemtrain.assessment import ASSESSMENT_MODULE
from stemtrain.content.paths import module_notebooks

MODULES = [p.stem for p in module_notebooks() if p.stem != ASSESSMENT_MODULE]  # 07 has its own test: test_assessment.py
ERRORS = re.compile(r"Traceback \(most recent call last\)|Error displaying widget|\b[A-Z][A-Za-z]*(Error|Exception): ")


@pytest.mark.parametrize("module", MODULES)
def test_module_page_renders_without_errors(page, voila, module):
    page.goto(f"http://127.0.0.1:{voila.port}/voila/render/{module}.ipynb")
    expect(page.locator(".stemtrain-question").first).to_be_visible()
    expect(page.locator("h1").first).to_contain_text(f"{module[:2]} · ")
    expect(page.get_by_role("navigation", name="Course navigation, end of page")).to_be_visible()
    expect(page.locator(".stemtrain-references li").first).to_be_visible()
    assert page.locator("[data-mime-type='application/vnd.jupyter.stderr'], .jp-RenderedText[data-mime-type*='error']").count() == 0
    assert not ERRORS.search(page.locator("#rendered_cells").inner_text())
    images = page.locator("#rendered_cells img").count()
    assert page.locator(".stemtrain-figure-caption").count() >= images
    assert page.outside_requests == []


def test_a_slider_redraws_its_figure(page, voila):
    page.goto(f"http://127.0.0.1:{voila.port}/voila/render/01-back-pain-and-the-spine.ipynb")
    slider = page.get_by_role("slider").first
    expect(slider).to_be_visible()
    figure = slider.locator("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' stemtrain-explorer ')][1]")
    caption = figure.locator(".stemtrain-figure-caption")
    before = caption.inner_text()
    image_before = figure.locator("img").get_attribute("src")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(caption).not_to_have_text(before)
    expect(caption).to_contain_text("2")
    assert figure.locator("img").get_attribute("src") != image_before
