"""Live mode in a real browser: a learner's JupyterLab page shows a question pushed from the class service within
2 s while its kernel is busy, catches up when opened after a push, takes an answer, shows the reveal, and says
so when the service drops, then carries on when it is back. The service is another origin (CORS)."""

from __future__ import annotations

import json
import re
import secrets
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stemtrain.content.loader import load_course
from stemtrain.live.client import LiveClient
from stemtrain.markup import to_plain

from .conftest import ARTIFACTS, ROOT, Server, free_port

FIRST, SECOND = "start-investigational", "start-ryoncil-indication"  # single choice, then true/false


class Service:
    """``stemtrain class serve`` on a fixed port and data folder, so it can be stopped and started again."""

    def __init__(self, data: Path) -> None:
        self.port, self.data = free_port(), data
        self.url = f"http://127.0.0.1:{self.port}/"
        self.server: Server | None = None

    def start(self) -> None:
        cmd = [sys.executable, "-m", "stemtrain", "class", "serve", "--data-dir", str(self.data), "--port", str(self.port)]
        self.server = Server(cmd, self.port, "/api/health", ROOT, {**_env(), "PYTHONPATH": str(ROOT)})

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    @property
    def state(self) -> dict[str, str]:
        return json.loads((self.data / "instructor.json").read_text())


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def _join(service: Service, name: str) -> str:
    body = json.dumps({"code": service.state["join_code"], "name": name}).encode()
    req = urllib.request.Request(service.url + "api/room/join", data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as reply:
        return str(json.loads(reply.read())["token"])


NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "from stemtrain.live import live_panel\n\nlive_panel()",
        },
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "import time\n\ntime.sleep(300)  # a busy kernel",
        },
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def classroom(tmp_path_factory) -> Iterator[tuple[Service, str, Server, str, Path]]:
    work = tmp_path_factory.mktemp("live")
    service = Service(work / "class-data")
    service.start()
    learner = _join(service, "Ana")
    (work / "live.ipynb").write_text(json.dumps(NOTEBOOK))
    port, lab_token = free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           f"--IdentityProvider.token={lab_token}", f"--ServerApp.root_dir={work}", "--allow-root", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]  # fmt: skip
    env = {
        **_env(),
        "PYTHONPATH": str(ROOT),
        "JUPYTER_CONFIG_DIR": str(work / ".jupyter-config"),
        "STEMTRAIN_CLASS_URL": service.url,
        "STEMTRAIN_CLASS_TOKEN": learner,
        "STEMTRAIN_CLASS_FILE": str(work / "class.json"),
        "STEMTRAIN_PROGRESS": str(work / "progress.sqlite3"),
    }
    lab = Server(cmd, port, "/api", work, env)
    yield service, learner, lab, lab_token, work
    lab.stop()
    service.stop()


def _text(qid: str) -> tuple[str, str, str]:
    bank = next(b for b in load_course().banks.values() if qid in b.by_id)
    return to_plain(bank[qid].prompt), to_plain(bank.key(qid).explanation), bank.key(qid).answer


def test_pushed_question_answer_and_reveal_on_a_busy_learner_page(page, classroom):
    service, learner, lab, lab_token, _ = classroom
    teacher = LiveClient(service.url, service.state["instructor_token"])
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    teacher.start()
    teacher.push(FIRST)  # before the page is open: it must catch up

    page.goto(f"http://127.0.0.1:{lab.port}/lab/tree/live.ipynb?token={lab_token}")
    expect(page.get_by_role("button", name="Python 3 (ipykernel) | Idle")).to_be_visible()
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    panel = page.locator(".stemtrain-live")
    first_prompt, _, _ = _text(FIRST)
    expect(panel.locator(".stl-prompt")).to_have_text(first_prompt)
    sleeping = page.locator(".jp-InputPrompt", has_text="[*]:")  # the second cell is still running
    expect(sleeping).to_be_visible()

    # While the kernel sleeps, the instructor pushes the next question: the page shows it within 2 s.
    prompt, explanation, answer = _text(SECOND)
    poll = teacher.push(SECOND)["id"]
    pushed = time.monotonic()
    expect(panel.locator(".stl-prompt")).to_have_text(prompt, timeout=2_000)
    assert time.monotonic() - pushed < 2.0

    wrong = "False" if answer else "True"
    panel.get_by_label(wrong, exact=True).check()
    panel.get_by_role("button", name="Send answer").click()
    expect(panel.locator(".stl-done")).to_have_text("Your answer is in. Your instructor will show the answer.")
    deadline = time.monotonic() + 2.0
    while teacher.results(poll)["answered"] != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    counts = {o["id"]: o["count"] for o in teacher.results(poll)["options"]}
    assert counts == {"true": int(not answer), "false": int(answer)}

    teacher.reveal(poll)
    expect(panel.locator(".stl-answer")).to_have_text(f"Answer: {'True' if answer else 'False'}", timeout=2_000)
    expect(panel.locator(".stl-yours")).to_have_text("Your answer was not right this time.")
    expect(panel.locator(".stl-explanation")).to_have_text(explanation)
    expect(panel.locator(".stl-answered")).to_have_text("1 of 1 answered")
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "live-reveal.png"))

    # The service drops: the page says so, and carries on when the service is back on the same address.
    service.stop()
    expect(panel.locator(".stl-status")).to_have_text("Lost contact with the class service. Trying again…")
    service.start()
    expect(panel.locator(".stl-status")).to_have_text("")
    expect(panel.locator(".stl-explanation")).to_have_text(explanation)
    expect(sleeping).to_be_visible()  # all along

    assert not [u for u in urls if learner in u or service.state["instructor_token"] in u]
    assert page.outside_requests == []


def test_course_mode_page_catches_up_answers_and_sees_the_reveal(page, classroom, tmp_path):
    from stemtrain.serve import voila_command, voila_env

    service, learner, _, _, _ = classroom
    (tmp_path / "notebooks").mkdir()
    course_page = {**NOTEBOOK, "cells": NOTEBOOK["cells"][:1]}
    (tmp_path / "notebooks" / "live-course.ipynb").write_text(json.dumps(course_page))
    teacher = LiveClient(service.url, service.state["instructor_token"])
    teacher.start()
    poll = teacher.push(FIRST)["id"]
    port = free_port()
    env = voila_env({**_env(), "PYTHONPATH": str(ROOT), "STEMTRAIN_CLASS_URL": service.url, "STEMTRAIN_CLASS_TOKEN": learner})
    voila = Server(voila_command(port=port, no_browser=True, root=tmp_path), port, "/", tmp_path, env)
    try:
        page.goto(f"http://127.0.0.1:{port}/voila/render/live-course.ipynb")
        panel = page.locator(".stemtrain-live")
        prompt, explanation, answer = _text(FIRST)
        expect(panel.locator(".stl-prompt")).to_have_text(prompt)
        bank = next(b for b in load_course().banks.values() if FIRST in b.by_id)
        right = to_plain(next(o.text for o in bank[FIRST].options if o.id == answer))
        panel.get_by_label(right, exact=True).check()
        panel.get_by_role("button", name="Send answer").click()
        expect(panel.locator(".stl-done")).to_be_visible()
        teacher.reveal(poll)
        expect(panel.locator(".stl-yours")).to_have_text("Your answer was right.", timeout=2_000)
        expect(panel.locator(".stl-explanation")).to_have_text(explanation)
        assert page.outside_requests == []
    finally:
        voila.stop()


def test_the_instructor_console_pushes_counts_without_names_and_reveals(browser, classroom):
    service, _, lab, lab_token, work = classroom
    teacher = service.state["instructor_token"]
    source = f"from stemtrain.instructor.guide import session_console\n\nsession_console(60, url={service.url!r}, token={teacher!r})"
    console_nb = {**NOTEBOOK, "cells": [{**NOTEBOOK["cells"][0], "source": source}]}
    (work / "console.ipynb").write_text(json.dumps(console_nb))
    (work / "seat.ipynb").write_text(json.dumps({**NOTEBOOK, "cells": NOTEBOOK["cells"][:1]}))  # a second learner page, same learner
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        pages = []
        for name in ("console.ipynb", "seat.ipynb"):
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"http://127.0.0.1:{lab.port}/lab/tree/{name}?token={lab_token}")
            expect(page.get_by_role("button", name="Python 3 (ipykernel) | Idle")).to_be_visible()
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            pages.append(page)
        desk, seat = pages
        console = desk.locator(".stl-console")
        expect(console.get_by_role("button", name="Push question")).to_be_enabled()  # a session is under way
        console.get_by_label("Question to push").select_option("talk-own-fat-reply")
        console.get_by_role("button", name="Push question").click()
        expect(console.locator(".stl-answered")).to_have_text("0 of 1 answered")
        panel = seat.locator(".stemtrain-live")
        prompt, explanation, answer = _text("talk-own-fat-reply")
        expect(panel.locator(".stl-prompt")).to_have_text(prompt, timeout=2_000)
        bank = next(b for b in load_course().banks.values() if "talk-own-fat-reply" in b.by_id)
        right = to_plain(next(o.text for o in bank["talk-own-fat-reply"].options if o.id == answer))
        panel.get_by_label(right, exact=True).check()
        panel.get_by_role("button", name="Send answer").click()
        expect(console.locator(".stl-answered")).to_have_text("1 of 1 answered", timeout=2_000)
        expect(console.locator(f'.stl-bar[data-option="{answer}"] .stl-count')).to_have_text("1")
        assert "Ana" not in console.inner_text()  # counts, never names
        console.get_by_role("button", name="Close answering").click()
        expect(console.get_by_role("button", name="Close answering")).to_be_disabled()
        console.get_by_role("button", name="Reveal answer").click()
        expect(panel.locator(".stl-yours")).to_have_text("Your answer was right.", timeout=2_000)
        expect(panel.locator(".stl-explanation")).to_have_text(explanation)
        ARTIFACTS.mkdir(exist_ok=True)
        console.screenshot(path=str(ARTIFACTS / "live-console.png"))
    finally:
        context.close()
