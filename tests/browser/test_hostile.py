"""Hostile text from a bank and a learner's name is shown as text, never run, in a real browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from playwright.sync_api import expect

from .conftest import ROOT, Server, free_port

SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'
LINK = "[click me](javascript:window.pwned=1)"
BANK = f"""schema_version: 1
module: 99-hostile
title: Hostile input
reviewed: 2026-11-01
evidence_cutoff: 2026-10-01
questions:
  - id: hostile-choice
    type: single_choice
    prompt: '{SCRIPT} {IMG} {LINK}'
    options:
      - {{id: a, text: '{IMG}', feedback: '{SCRIPT} {IMG}'}}
      - {{id: b, text: '{SCRIPT}', feedback: '{IMG}'}}
    answer: b
    explanation: '{IMG} {LINK}'
    references: [pers-2024]
"""


@pytest.fixture(scope="module")
def hostile_voila(tmp_path_factory) -> Iterator[Server]:
    from stemtrain.serve import voila_command, voila_env

    root: Path = tmp_path_factory.mktemp("hostile")
    (root / "assets" / "banks").mkdir(parents=True)
    (root / "notebooks").mkdir()
    shutil.copy(ROOT / "assets" / "references.yaml", root / "assets" / "references.yaml")
    (root / "assets" / "banks" / "99-hostile.yaml").write_text(BANK, encoding="utf-8")
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 99 · Hostile input"),
            new_code_cell(f'import stemtrain as st\ncourse = st.start("99-hostile", learner={SCRIPT + IMG!r})'),
            new_code_cell("course.about()"),
            new_code_cell("course.header()"),
            new_code_cell("course.sign_in()"),
            new_code_cell('course.quiz("hostile-choice")'),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, root / "notebooks" / "99-hostile.ipynb")
    port = free_port()
    env = voila_env()
    env["STEMTRAIN_ROOT"] = str(root)
    server = Server(voila_command(port=port, no_browser=True, root=root), port, "/voila/tree", root, env)
    yield server
    server.stop()


def test_payloads_render_as_text_and_never_run(page, hostile_voila):
    page.goto(f"http://127.0.0.1:{hostile_voila.port}/voila/render/99-hostile.ipynb")
    question = page.locator(".stemtrain-question").first
    expect(question).to_be_visible()
    expect(page.locator(".stemtrain-review")).to_contain_text(f"Learner: {SCRIPT}{IMG}")
    expect(question.locator(".stemtrain-prompt")).to_contain_text(SCRIPT)
    expect(question.locator(".stemtrain-prompt")).to_contain_text(IMG)
    option = question.get_by_role("radio", name=IMG, exact=True)
    expect(option).to_be_visible()  # an option label, shown as text
    option.check()
    question.get_by_role("button", name="Check").click()
    feedback = question.locator(".stemtrain-feedback")
    expect(feedback).to_contain_text("✘ Not correct")
    expect(feedback).to_contain_text(SCRIPT)
    assert page.locator("#rendered_cells img[src='x']").count() == 0
    assert page.locator("#rendered_cells a[href^='javascript']").count() == 0
    assert page.evaluate("window.pwned") is None


def test_hostile_name_in_header_and_sign_in_is_text(page, hostile_voila):
    page.goto(f"http://127.0.0.1:{hostile_voila.port}/voila/render/99-hostile.ipynb")
    expect(page.locator(".stemtrain-question").first).to_be_visible()
    signin = page.locator(".stemtrain-signin")
    expect(signin).to_contain_text(SCRIPT + IMG)
    expect(page.locator(".stemtrain-pagebar-who")).to_contain_text(SCRIPT + IMG)
    assert page.locator("#rendered_cells img[src='x']").count() == 0
    assert page.evaluate("window.pwned") is None
