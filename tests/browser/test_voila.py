"""Course mode in a real browser: Voilà pages without code, quizzes that respond, navigation, accessibility."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from stemtrain.notebooks import DEMO_LEARNER

INTERACTIVE_ROLES = {"button", "radio", "checkbox", "combobox", "textbox", "slider", "spinbutton", "listbox", "link"}


def open_page(page, voila, module: str) -> None:
    """Open a module page, with every question cleared (the page shows this server's earlier answers again)."""
    page.goto(f"http://127.0.0.1:{voila.port}/voila/render/{module}.ipynb")
    expect(page.get_by_role("navigation", name="Course navigation, end of page")).to_be_visible()
    retry = page.locator(".stemtrain-question button:not([disabled])", has_text="Try again")
    while (left := retry.count()) > 0:
        retry.first.click()
        expect(retry).to_have_count(left - 1)


def test_module_page_has_no_code_and_a_working_quiz(page, voila, quiz_text):
    text = quiz_text("start-investigational")
    open_page(page, voila, "00-start-here")
    expect(page.locator("h1").first).to_contain_text("00 · Start here")
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor").count() == 0
    assert "import stemtrain" not in page.locator("body").inner_text()
    first = page.locator(".stemtrain-question").first
    first.get_by_label(text.wrong, exact=True).check()
    first.get_by_role("button", name="Check").click()
    feedback = first.locator(".stemtrain-feedback")
    expect(feedback).to_contain_text("✘ Not correct")
    expect(feedback).to_contain_text(text.explanation[:60])
    first.get_by_role("button", name="Try again").click()
    expect(feedback).to_have_text("")
    assert page.outside_requests == []


def test_answers_go_to_the_learners_progress_file(page, voila):

    from stemtrain.records import SQLiteStore

    store = SQLiteStore(voila.progress)  # the file this course-mode server writes to
    before = len(store.attempts(DEMO_LEARNER, "00-start-here", "start-ryoncil-indication"))
    open_page(page, voila, "00-start-here")
    second = page.locator(".stemtrain-question").nth(1)
    second.get_by_label("True", exact=True).check()
    second.get_by_role("button", name="Check").click()
    expect(second.locator(".stemtrain-feedback")).to_contain_text("✘ Not correct")
    records = store.attempts(DEMO_LEARNER, "00-start-here", "start-ryoncil-indication")
    assert len(records) == before + 1
    assert (records[-1].attempt, records[-1].correct, records[-1].response, records[-1].mode) == (before + 1, False, True, "course")


def test_next_link_opens_the_next_module(page, voila):
    open_page(page, voila, "00-start-here")
    nxt = page.locator("a.stemtrain-nav-next").first
    expect(nxt).to_contain_text(re.compile(r"Next: \d\d · "))
    target = re.search(r"(\d\d)-[a-z0-9-]+\.ipynb", nxt.get_attribute("href")).group(0)  # type: ignore[union-attr]
    nxt.click()
    page.wait_for_url(f"**/voila/render/{target}")
    expect(page.locator("h1").first).to_contain_text(f"{target[:2]} · ")
    expect(page.locator(".stemtrain-question").first).to_be_visible()
    expect(page.locator("a.stemtrain-nav-prev").first).to_contain_text("Previous: ")
    assert page.outside_requests == []


def test_every_control_has_an_accessible_name(page, voila):
    open_page(page, voila, "00-start-here")
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    unnamed = [
        n.get("role", {}).get("value")
        for n in tree
        if not n.get("ignored") and n.get("role", {}).get("value") in INTERACTIVE_ROLES and not n.get("name", {}).get("value", "").strip()
    ]
    assert unnamed == []
    controls = [n for n in tree if not n.get("ignored") and n.get("role", {}).get("value") in {"radio", "checkbox", "combobox", "textbox"}]
    assert len(controls) >= 10


def test_a_quiz_can_be_completed_with_the_keyboard_alone(page, voila):
    open_page(page, voila, "00-start-here")
    multi = page.locator(".stemtrain-multiple-select").first
    boxes = multi.locator("input[type=checkbox]")
    labels = [multi.locator("label").nth(i).inner_text() for i in range(multi.locator("label").count())]
    wanted = {"Bone marrow", "Adipose (fat) tissue", "Umbilical cord (Wharton's jelly)"}
    boxes.first.focus()
    for i in range(boxes.count()):
        label = boxes.nth(i).evaluate("el => el.closest('label').innerText.trim()")
        if label in wanted:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
    expect(multi.get_by_role("button", name="Check")).to_be_focused()
    page.keyboard.press("Enter")
    expect(multi.locator(".stemtrain-feedback")).to_contain_text("✔ Correct")
    assert wanted <= {label.strip() for label in labels}, labels  # every option is labelled with its own text


CONTRAST_JS = """
root => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let n = el; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c;
    }
    return [255, 255, 255];
  };
  const opacity = el => { let o = 1; for (let n = el; n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity); return o; };
  const worst = [];
  let checked = 0;
  for (const el of root.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('[disabled]') || el.offsetParent === null) continue;
    const fg = rgba(getComputedStyle(el).color), bg = background(el);
    const alpha = (fg[3] === undefined ? 1 : fg[3]) * opacity(el);
    const mixed = fg.slice(0, 3).map((c, i) => c * alpha + bg[i] * (1 - alpha));
    const [a, b] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    checked += 1;
    if (ratio < 4.5) worst.push(`${ratio.toFixed(2)}: ${el.tagName} "${el.textContent.trim().slice(0, 40)}"`);
  }
  return [worst, checked];
}
"""


def test_quiz_text_and_feedback_have_aa_contrast(page, voila, quiz_text):
    open_page(page, voila, "00-start-here")
    first = page.locator(".stemtrain-question").first
    first.get_by_label(quiz_text("start-investigational").wrong, exact=True).check()
    first.get_by_role("button", name="Check").click()
    expect(first.locator(".stemtrain-verdict")).to_be_visible()
    quizzes = page.locator(".stemtrain-quiz-set").first
    low, checked = quizzes.evaluate(CONTRAST_JS)
    assert checked > 40 and low == []


def test_figures_carry_a_text_description(page, voila):
    page.goto(f"http://127.0.0.1:{voila.port}/voila/render/02-what-are-mscs.ipynb")
    expect(page.get_by_role("navigation", name="Course navigation, end of page")).to_be_visible()  # the last cell: all else is there
    images = page.locator("#rendered_cells img")
    captions = page.locator(".stemtrain-figure-caption")
    assert images.count() >= 1 and captions.count() >= images.count()
    for i in range(captions.count()):
        assert len(captions.nth(i).inner_text()) > 40
    assert page.outside_requests == []
