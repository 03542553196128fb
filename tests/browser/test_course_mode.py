"""Course mode as a learner meets it, in a real browser: kernels that do not pile up, pages that all come alive, a
quiet console, module titles, the start page at ``/`` and the token link.

Each test module's server is its own (so kernel counts are this module's), started as ``stemtrain serve`` starts it;
kernels are counted as the server process's children. Culling runs with the shipped settings, so one test waits
about 40 s for it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from .conftest import LOOPBACK, ROOT, Server, free_port

MODULES = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
DRAWN = ".stemtrain-question, .stemtrain-assessment"
"""A page's widgets, drawn once its kernel is connected: a module's questions, or the final assessment's box."""
TITLES = {m: nbformat.read(ROOT / "notebooks" / f"{m}.ipynb", as_version=4).cells[0].source.splitlines()[0][2:].strip() for m in MODULES}
CULL_WITHIN = 60  # seconds after a page is closed (the shipped cull_idle_timeout=30 plus cull_interval=10, and margin)
ALARMING = re.compile(r"WARNING|ERROR|CRITICAL|Traceback|Address already in use|restarting kernel|Kernel died", re.I)


def kernels(server_pid: int) -> set[int]:
    """The kernel processes of the server: its children running ipykernel."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == server_pid and b"ipykernel" in (entry / "cmdline").read_bytes():
                found.add(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def wait_until(condition, timeout: float, pump=None) -> float:
    """Seconds until ``condition()`` held, or raise after ``timeout``: polls process state twice a second, through
    ``pump`` (an open page's ``wait_for_timeout``) if given, so Playwright keeps serving that page's routed requests
    meanwhile; a plain sleep would hold them."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"not within {timeout} s")
        if pump is None:
            time.sleep(0.5)  # polling process state; no page is open
        else:
            pump.wait_for_timeout(500)
    return time.monotonic() - began


def alarming_lines(server: Server) -> list[str]:
    return [line for line in server.log.read_text(encoding="utf-8").splitlines() if ALARMING.search(line)]


def guarded_page(context) -> object:
    """A page that refuses (and records) every request leaving the machine."""
    page = context.new_page()
    page.outside_requests = []

    def guard(route) -> None:
        if route.request.url.startswith(LOOPBACK):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    return page


def module_url(server: Server, module: str) -> str:
    return f"http://127.0.0.1:{server.port}/voila/render/{module}.ipynb"


def server_env(tmp: Path) -> dict[str, str]:
    """``stemtrain serve``'s environment, with this server's own progress file: pages restore a learner's earlier
    answers, so answers given in other test modules must not show up here."""
    from stemtrain.serve import voila_env

    return {**voila_env(), "STEMTRAIN_PROGRESS": str(tmp / "progress.sqlite3")}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Iterator[Server]:
    from stemtrain.serve import voila_command

    port = free_port()
    server = Server(voila_command(port=port, no_browser=True), port, "/voila/tree", ROOT, server_env(tmp_path_factory.mktemp("course")))
    yield server
    server.stop()


def test_forty_page_visits_leave_a_kernel_per_open_page_and_titled_pages(browser, course):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    pages = [guarded_page(c) for c in contexts]
    pages[0].goto(f"http://127.0.0.1:{course.port}/")
    expect(pages[0]).to_have_url(module_url(course, MODULES[0]))  # the root is the start page
    expect(pages[0].locator(DRAWN).first).to_be_visible()
    peak, visits = 0, 0
    for visit in range(40):
        page = pages[visit % 2]
        module = MODULES[(visit // 2 + visit % 2 * 3) % len(MODULES)]
        page.goto(module_url(course, module))
        expect(page.locator(DRAWN).first).to_be_visible()  # widgets drawn: the page's kernel is connected
        assert page.title() == TITLES[module]
        peak = max(peak, len(kernels(course.proc.pid)))
        visits += 1
    settled = wait_until(lambda: len(kernels(course.proc.pid)) <= 2, 30, pages[0])  # a beacon's shutdown takes a moment
    print(f"{visits} visits: at most {peak} kernels at once; {len(kernels(course.proc.pid))} left {settled:.1f} s after the last")
    assert peak <= 4
    assert all(p.outside_requests == [] for p in pages)
    for page in pages:
        page.close(run_before_unload=True)  # the learner closes the tab: its beacon shuts the kernel down
    wait_until(lambda: not kernels(course.proc.pid), 15)
    for c in contexts:
        c.close()
    assert alarming_lines(course) == []


def test_a_closed_pages_kernel_goes_within_a_minute_and_an_idle_open_page_keeps_working(browser, course, quiz_text):
    stays, leaves = browser.new_context(), browser.new_context()
    open_page, closing = guarded_page(stays), guarded_page(leaves)
    wait_until(lambda: not kernels(course.proc.pid), CULL_WITHIN, open_page)
    open_page.goto(module_url(course, MODULES[0]))
    expect(open_page.locator(DRAWN).first).to_be_visible()
    idle_since = time.monotonic()
    (kept,) = kernels(course.proc.pid)
    closing.goto(module_url(course, MODULES[1]))
    expect(closing.locator(DRAWN).first).to_be_visible()
    (gone,) = kernels(course.proc.pid) - {kept}
    leaves.close()  # a closed tab or a crashed browser: no beacon, the culler has to find it
    took = wait_until(lambda: gone not in kernels(course.proc.pid), CULL_WITHIN + 10, open_page)
    assert took <= CULL_WITHIN
    open_page.wait_for_timeout(11_000)  # one more cull_interval: the culler looks at the open page again
    assert kept in kernels(course.proc.pid)  # idle longer than the closed page, but open: kept
    idle = time.monotonic() - idle_since
    assert idle > 30 + 10  # past cull_idle_timeout, and a cull_interval after it
    first = open_page.locator(".stemtrain-question").first
    first.get_by_label(quiz_text("start-investigational").wrong, exact=True).check()
    first.get_by_role("button", name="Check").click()
    expect(first.locator(".stemtrain-feedback")).to_contain_text("✘ Not correct")
    print(f"closed page's kernel gone {took:.1f} s after the close; the open page answered after {idle:.0f} s idle")
    stays.close()
    assert re.search(r"Shutting down kernel \S+: its page is closed", course.log.read_text(encoding="utf-8"))
    assert alarming_lines(course) == []


def test_eight_pages_opened_at_once_all_become_interactive(browser, course):
    contexts = [browser.new_context(viewport={"width": 1024, "height": 800}) for _ in range(2)]
    pages = [guarded_page(contexts[i % 2]) for i in range(8)]
    began = time.monotonic()
    for i, page in enumerate(pages):
        page.evaluate("url => { location.href = url; }", module_url(course, MODULES[i % len(MODULES)]))  # all at once
    ready = []
    for page in pages:
        expect(page.locator(DRAWN).first).to_be_visible(timeout=240_000)
        ready.append(time.monotonic() - began)
    print("8 pages at once, interactive after (s): " + ", ".join(f"{t:.1f}" for t in ready))
    assert len(kernels(course.proc.pid)) >= 8
    for c in contexts:
        c.close()
    assert alarming_lines(course) == []  # no kernel lost to a port clash, nothing restarted


@pytest.fixture(scope="module")
def course_with_token(tmp_path_factory) -> Iterator[tuple[Server, str]]:
    from stemtrain.serve import voila_command

    port = free_port()
    # the server refuses every request without its token, so readiness is read from the address it prints
    server = _TokenServer(voila_command(port=port, no_browser=True, token=True), port, ROOT, server_env(tmp_path_factory.mktemp("token")))
    yield server, server.address
    server.stop()


class _TokenServer(Server):
    def __init__(self, cmd, port, cwd, env) -> None:
        self.address = ""
        super().__init__(cmd, port, "", cwd, env)

    def _wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            found = re.search(r"Voilà is running at:\s*(http://\S+)", self.log.read_text(encoding="utf-8"))
            if found:
                self.address = found.group(1)
                return
            time.sleep(0.2)  # polling the log for the printed address
        self.stop()
        raise RuntimeError(f"no address printed; see {self.log}")


def test_the_token_link_opens_a_working_course_and_nothing_else_does(browser, course_with_token, quiz_text):
    server, address = course_with_token
    assert re.fullmatch(rf"http://127\.0\.0\.1:{server.port}/voila/render/00-start-here\.ipynb\?token=[\w-]{{32,}}", address)
    learner = browser.new_context()
    page = guarded_page(learner)
    page.goto(address)
    expect(page).to_have_url(module_url(server, MODULES[0]))  # the token is swapped for a cookie and leaves the address bar
    first = page.locator(".stemtrain-question").first
    first.get_by_label(quiz_text("start-investigational").wrong, exact=True).check()
    first.get_by_role("button", name="Check").click()
    expect(first.locator(".stemtrain-feedback")).to_contain_text("✘ Not correct")  # the kernel's websocket got through
    page.goto(module_url(server, MODULES[1]))
    expect(page.locator(DRAWN).first).to_be_visible()
    assert page.outside_requests == []
    stranger = browser.new_context()
    other = guarded_page(stranger)
    reply = other.goto(module_url(server, MODULES[0]))
    assert reply is not None and reply.status == 403
    assert "needs its link" in other.locator("body").inner_text()
    stranger.close()
    learner.close()
