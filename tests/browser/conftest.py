"""Real-browser fixtures: Debian's Chromium driven by Playwright, servers on free loopback ports.

Never a browser download: Playwright is pointed at /usr/bin/chromium. Servers are stopped by their
process ids; every test waits on selectors; a failing test leaves a screenshot in tests/browser/artifacts/.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "ws://localhost", "data:", "blob:", "about:")


def pytest_collection_modifyitems(items):
    for item in items:
        if str(item.fspath).startswith(str(Path(__file__).parent)):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process on a loopback port, stopped by its process id."""

    def __init__(self, cmd: list[str], port: int, ready_path: str, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.port = port
        self.log = ARTIFACTS / f"server-{port}.log"
        ARTIFACTS.mkdir(exist_ok=True)
        self._log_file = self.log.open("w")
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(ready_path)

    def _wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}{path}"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status < 500:
                        return
            except OSError:
                time.sleep(0.2)  # polling a port until it answers, not waiting on the page
        self.stop()
        raise RuntimeError(f"server on port {self.port} did not answer within {timeout}s; see {self.log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        self._log_file.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Browser tests need Debian's Chromium: apt-get install chromium (.ci/run installs it).")
    return path


WAIT_MS = 60_000
"""How long any page step may take on a loaded 2-core machine: one budget for page actions and expectations alike
(Playwright's ``expect`` otherwise gives up after 5 s while the page itself may take longer)."""


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, request) -> Iterator[object]:
    """A fresh page that refuses (and records) every request leaving the machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.outside_requests = []  # type: ignore[attr-defined]

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(LOOPBACK):
            route.continue_()
        else:
            page.outside_requests.append(url)  # type: ignore[attr-defined]
            route.abort()

    page.route("**/*", guard)
    page.set_default_timeout(WAIT_MS)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture(scope="session")
def voila(tmp_path_factory) -> Iterator[Server]:
    """The course in course mode, as `stemtrain serve` runs it, with its own records file (``server.progress``)."""
    from stemtrain.serve import voila_command, voila_env

    port = free_port()
    progress = tmp_path_factory.mktemp("voila") / "progress.sqlite3"
    env = {**voila_env(), "STEMTRAIN_PROGRESS": str(progress)}
    server = Server(voila_command(port=port, no_browser=True), port, "/voila/tree", ROOT, env)  # "/" would render the start page
    server.progress = progress  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Iterator[tuple[Server, str, Path]]:
    """JupyterLab as `stemtrain lab` runs it, on a copy of the course (so autosave never writes into the committed
    notebooks): its root holds assets/ and notebooks/, and the start page opens at /lab/tree/notebooks/…"""
    from stemtrain.cli.run import lab_command

    work = tmp_path_factory.mktemp("lab")
    course = work / "course"
    shutil.copytree(ROOT / "assets", course / "assets")
    shutil.copytree(ROOT / "notebooks", course / "notebooks")
    port, token = free_port(), secrets.token_hex(16)
    cmd = lab_command(course, port=port, no_browser=True, token=token)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(work / ".jupyter-config"),
        STEMTRAIN_ROOT=str(course),
        STEMTRAIN_PROGRESS=str(work / "progress.sqlite3"),
    )
    server = Server(cmd, port, "/api", course, env)
    yield server, token, course
    server.stop()


class QuizText:
    """What a learner sees of one bank question, read from the course itself, so tests follow content edits."""

    def __init__(self, question_id: str) -> None:
        from stemtrain.content.loader import load_course
        from stemtrain.markup import to_plain

        course = load_course()
        bank = next(b for b in course.banks.values() if question_id in b.by_id)
        question, key = bank[question_id], bank.key(question_id)
        options = {o.id: to_plain(o.text) for o in getattr(question, "options", ())}
        self.right = options.get(getattr(key, "answer", ""), "True" if getattr(key, "answer", None) is True else "False")
        wrong_id = next((oid for oid in options if oid != getattr(key, "answer", None)), "")
        self.wrong = options.get(wrong_id, "False" if getattr(key, "answer", None) is True else "True")
        self.wrong_feedback = to_plain(key.feedback_for(wrong_id)) if wrong_id else ""
        self.explanation = to_plain(key.explanation)
        self.sources = [course.references[r].cite for r in question.references if r in course.references]


@pytest.fixture(scope="session")
def quiz_text() -> type[QuizText]:
    return QuizText
