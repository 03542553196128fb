"""The learner's journey in a real browser: sign in, answer, reload and find it all again, the course map and its
links in both modes, option rows that never overlap, and trouble (a damaged file, a dead kernel) said on the page."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stemtrain.assessment import ASSESSMENT_MODULE
from stemtrain.content.paths import module_notebooks
from stemtrain.records import SQLiteStore

from .conftest import ROOT, Server, free_port
from .test_lab import open_notebook, run_all

NAME = "Zoë <b>محمد</b> 👩‍⚕️"
MODULES = [p.stem for p in module_notebooks() if p.stem != ASSESSMENT_MODULE]  # 07 has its own test: test_assessment.py
SIZES = {"1024 px": (1024, 768), "1366 px": (1366, 900), "1366 px at 200 %": (683, 450)}


def _course_mode(tmp_path_factory, name: str, progress_bytes: bytes | None = None) -> Server:
    """A course-mode server of its own, with no learner named in its environment (so the start page asks)."""
    from stemtrain.serve import voila_command, voila_env

    progress = tmp_path_factory.mktemp(name) / "progress.sqlite3"
    if progress_bytes is not None:
        progress.write_bytes(progress_bytes)
    env = voila_env()
    env.pop("STEMTRAIN_LEARNER", None)
    env["STEMTRAIN_PROGRESS"] = str(progress)
    port = free_port()
    server = Server(voila_command(port=port, no_browser=True), port, "/voila/tree", ROOT, env)
    server.progress = progress  # type: ignore[attr-defined]
    return server


@pytest.fixture(scope="module")
def fresh_voila(tmp_path_factory) -> Iterator[Server]:
    server = _course_mode(tmp_path_factory, "fresh")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def damaged_voila(tmp_path_factory) -> Iterator[Server]:
    server = _course_mode(tmp_path_factory, "damaged", b"this is not a progress file\n" * 100)
    yield server
    server.stop()


def _render(server: Server, module: str) -> str:
    return f"http://127.0.0.1:{server.port}/voila/render/{module}.ipynb"


def _loaded(page) -> None:
    expect(page.get_by_role("navigation", name="Course navigation, end of page")).to_be_visible()  # the last cell


def test_sign_in_answer_reload_and_continue(page, fresh_voila, quiz_text):
    first_text = quiz_text("start-investigational")
    page.goto(_render(fresh_voila, "00-start-here"))
    _loaded(page)
    signin = page.locator(".stemtrain-signin")
    signin.get_by_role("textbox", name="Your name").fill(NAME)
    signin.get_by_role("combobox", name="Role").select_option(label="Radiology technologist")
    signin.get_by_role("button", name="Sign in").click()
    expect(signin).to_contain_text(f"Signed in as {NAME}")
    expect(page.locator(".stemtrain-pagebar-who").first).to_contain_text(f"Signed in as {NAME}")

    first = page.locator(".stemtrain-question").first
    first.get_by_label(first_text.right, exact=True).check()
    first.get_by_role("button", name="Check").click()
    expect(first.locator(".stemtrain-feedback")).to_contain_text("✔ Correct")
    store = SQLiteStore(fresh_voila.progress)
    assert [(a.learner, a.question_id, a.correct) for a in store.attempts()] == [(NAME, "start-investigational", True)]

    page.reload()  # a new kernel: everything below comes back from the records
    _loaded(page)
    expect(page.locator(".stemtrain-pagebar-who").first).to_contain_text(f"Signed in as {NAME}")
    first = page.locator(".stemtrain-question").first
    expect(first.get_by_label(first_text.right, exact=True)).to_be_checked()
    expect(first.locator(".stemtrain-feedback")).to_contain_text("✔ Correct")
    expect(page.locator(".stemtrain-pagebar-score").first).to_contain_text("Your score on this page: 1 of 6 (1 of 6 checked)")

    course_map = page.locator(".stemtrain-map")
    start_row = course_map.get_by_role("row", name=re.compile(r"^00 · "))
    expect(start_row).to_contain_text("1 of 6")
    expect(start_row.get_by_role("progressbar")).to_have_attribute("value", "1")
    assert page.locator("img[alt*='progress' i]").count() >= 1  # the summary figure
    go_on = course_map.get_by_role("link", name=re.compile("Continue where you left off"))
    expect(go_on).to_have_attribute("href", re.compile(r"00-start-here\.ipynb#q-start-ryoncil-indication$"))
    go_on.click()
    page.wait_for_url("**/00-start-here.ipynb#q-start-ryoncil-indication")
    _loaded(page)
    target = page.locator("#q-start-ryoncil-indication")
    expect(target).to_be_in_viewport()

    page.locator(".stemtrain-map").get_by_role("link", name=re.compile(r"^01 · ")).click()
    page.wait_for_url("**/01-back-pain-and-the-spine.ipynb")
    _loaded(page)
    expect(page.locator(".stemtrain-pagebar-who").first).to_contain_text(f"Signed in as {NAME}")
    page.locator("a.stemtrain-nav-start").last.click()  # Course map, at the foot of the page
    page.wait_for_url("**/00-start-here.ipynb")
    expect(page.locator(".stemtrain-map")).to_be_visible()
    assert page.outside_requests == []


def test_links_open_the_other_notebooks_inside_jupyterlab(page, lab):
    open_notebook(page, lab, "00-start-here.ipynb")
    run_all(page)  # the links are widgets: they work once the notebook has run
    nxt = page.locator(".jp-Notebook a.stemtrain-nav-next").first
    expect(nxt).to_contain_text("Next: 01 · ")
    nxt.click()
    tab = page.get_by_role("tab", name=re.compile(r"01-back-pain-and-the-spine\.ipynb"))
    expect(tab).to_be_visible()
    expect(tab).to_have_attribute("aria-selected", "true")
    current = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(current.locator("h1").first).to_contain_text("01 · ")
    expect(page.get_by_role("button", name="Python 3 (ipykernel) | Idle")).to_be_visible()
    run_all(page)
    current.locator("a.stemtrain-nav-prev").first.click()
    expect(page.get_by_role("tab", name=re.compile(r"00-start-here\.ipynb"))).to_have_attribute("aria-selected", "true")
    visible = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(visible.locator("h1").first).to_contain_text("00 · ")
    assert "Could not find path" not in page.locator("body").inner_text()
    assert page.outside_requests == []


OVERLAPS_JS = """
(cards) => {
  const problems = [];
  const sel = ".stemtrain-option, .widget-dropdown, .widget-text, .widget-button, .stemtrain-range, .stemtrain-prompt";
  for (const card of cards) {
    if (card.parentElement.closest(".stemtrain-question")) continue;  // a case's part is checked with its case
    const boxes = [...card.querySelectorAll(sel)].filter((el) => el.offsetParent !== null).map((el) => [el, el.getBoundingClientRect()]);
    const cardBox = card.getBoundingClientRect();
    for (const [el, r] of boxes) {
      const name = (el.innerText || el.className).trim().slice(0, 40);
      if (r.right > cardBox.right + 1 || r.left < cardBox.left - 1) problems.push(`outside its card: ${name}`);
      const text = el.querySelector(".stemtrain-option-text");
      if (text && text.scrollWidth > text.clientWidth + 1) problems.push(`text cut off: ${name}`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i], [b, rb] = boxes[j];
        if (a.contains(b) || b.contains(a)) continue;
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        const label = (el) => (el.innerText || "").trim().slice(0, 30);
        if (w > 1 && h > 1) problems.push(`overlap: "${label(a)}" / "${label(b)}"`);
      }
    }
  }
  return problems;
}
"""


@pytest.mark.parametrize("module", MODULES)
def test_options_never_overlap_at_any_width_or_zoom(page, voila, module):
    page.goto(_render(voila, module))
    _loaded(page)
    cards = page.locator(".stemtrain-question")
    expect(cards.first).to_be_visible()
    options = page.locator(".stemtrain-option")
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function("w => document.documentElement.clientWidth <= w", arg=width)
        problems = cards.evaluate_all(OVERLAPS_JS)
        assert problems == [], f"{module} at {size}: {problems}"
    assert options.count() >= 4
    page.add_style_tag(content=".stemtrain-option + .stemtrain-option { margin-top: -2.2rem; }")  # the old garbled rows
    assert any(p.startswith("overlap") for p in cards.evaluate_all(OVERLAPS_JS))  # the check sees them


def _kernels_of(server: Server) -> list[int]:
    """The kernel processes the server started (its descendants running ipykernel)."""
    parents: dict[int, int] = {}
    commands: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

    def descends(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == server.proc.pid:
                return True
        return False

    return [pid for pid, cmd in commands.items() if b"ipykernel" in cmd and descends(pid)]


def test_a_damaged_progress_file_is_named_on_the_page(page, damaged_voila, quiz_text):
    before = damaged_voila.progress.read_bytes()
    page.goto(_render(damaged_voila, "00-start-here"))
    _loaded(page)
    status = page.locator(".stemtrain-status").first
    expect(status).to_contain_text("Your answers are not being saved")
    expect(status).to_contain_text(str(damaged_voila.progress))
    expect(status).to_contain_text("move it aside")
    first = page.locator(".stemtrain-question").first
    first.get_by_label(quiz_text("start-investigational").right, exact=True).check()
    first.get_by_role("button", name="Check").click()
    expect(first.locator(".stemtrain-feedback")).to_contain_text("✔ Correct")  # the page still checks answers
    assert damaged_voila.progress.read_bytes() == before  # the damaged file is left for someone to look at


def test_a_dead_kernel_is_said_on_the_page(page, fresh_voila):
    page.goto(_render(fresh_voila, "01-back-pain-and-the-spine"))
    _loaded(page)
    lost = page.locator(".stemtrain-kernel-lost")
    expect(lost).to_have_count(0)
    kernels = _kernels_of(fresh_voila)
    assert kernels, "the page's kernel was not found"
    for pid in kernels:
        os.kill(pid, signal.SIGKILL)
    expect(lost.first).to_be_visible(timeout=40_000)
    expect(lost.first).to_contain_text("Reload this page to go on.")
    expect(lost.first).to_contain_text("Answers you checked before this are saved.")
