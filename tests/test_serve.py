"""Course mode's server without a browser: the command it runs, the Host check, the token, titles, cache warming.

The servers here are real ``stemtrain serve`` processes on free loopback ports, spoken to with raw HTTP, stopped by
their process ids. Requests that would start a kernel are few: the Host and token checks run before any handler.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from stemtrain.cli import main
from stemtrain.serve import START_PAGE, TEMPLATE, voila_command, voila_env, warm_caches

ROOT = Path(__file__).resolve().parents[1]
RUNNING = re.compile(r"Voilà is running at:\s*(http://\S+)")
WS_HEADERS = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": base64.b64encode(b"0123456789abcdef").decode(),
}
KERNEL_WS = "/api/kernels/00000000-0000-0000-0000-000000000000/channels"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """``stemtrain serve``'s server on a free port; ready once it prints its address; stopped by its process id."""

    def __init__(self, tmp: Path, *extra: str, token: bool = False, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.log = tmp / f"serve-{self.port}.log"
        cmd = [*voila_command(port=self.port, no_browser=True, token=token), *extra]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env or voila_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.started = time.monotonic()
        self.url = self._wait_for_address()
        self.answered_after = self._wait_for_answer()

    def _wait_for_address(self, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = RUNNING.search(self.log.read_text(encoding="utf-8"))
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)  # polling the log for the address the server prints
        self.stop()
        raise RuntimeError(f"the server printed no address; see {self.log}:\n{self.log.read_text(encoding='utf-8')}")

    def _wait_for_answer(self, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/voila/tree")
                return time.monotonic() - self.started
            except OSError:
                time.sleep(0.05)  # polling the port until it answers
        raise RuntimeError("the server did not answer")

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: str | None = None) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    server = Served(tmp_path_factory.mktemp("serve"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served_with_token(tmp_path_factory) -> Iterator[Served]:
    server = Served(tmp_path_factory.mktemp("serve-token"), token=True)
    yield server
    server.stop()


def test_the_command_runs_our_voila_app_on_loopback_with_the_offline_template():
    cmd = voila_command(port=8898, no_browser=True, token=True)
    assert cmd[1:3] == ["-m", "stemtrain.serve_app"]
    assert cmd[3] == str(ROOT / "notebooks")
    assert cmd[4:] == [f"--template={TEMPLATE}", "--Voila.ip=127.0.0.1", "--port=8898", "--no-browser", "--token"]
    assert "--port" not in " ".join(voila_command())  # Voilà's own default port, or the next free one
    assert "JUPYTER_PATH" in voila_env({}) and voila_env({})["JUPYTER_PATH"].endswith("jupyter")


def test_serve_dry_run_prints_the_command(capsys):
    assert main(["serve", "--no-browser", "--port", "8897", "--token", "--dry-run"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.endswith("-m stemtrain.serve_app " + " ".join(voila_command(port=8897, no_browser=True, token=True)[3:]))


def test_only_loopback_host_names_are_accepted():
    from stemtrain.serve_app import host_allowed

    for host in ("127.0.0.1:8866", "localhost:8866", "LOCALHOST:8866", "[::1]:8866", "127.0.0.1", "localhost"):
        assert host_allowed(host, 8866), host
    for host in (
        "evil.example",
        "evil.example:8866",
        "127.0.0.1:8867",
        "localhost.:8866",
        "127.0.0.2:8866",
        "[::2]:8866",
        "",
        "0.0.0.0:8866",
    ):
        assert not host_allowed(host, 8866), host


def test_a_page_is_titled_with_its_module_heading():
    from stemtrain.serve_app import notebook_title

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        first = nb.cells[0].source.splitlines()[0]
        assert first.startswith("# ") and notebook_title(nb) == first[2:].strip(), path.name
        assert re.fullmatch(r"\d\d · .+", notebook_title(nb))
    assert notebook_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# a comment")])) == ""


def test_another_host_is_refused_before_anything_runs(served):
    before = len(served.log.read_text(encoding="utf-8"))
    for path in (
        "/",
        f"/voila/render/{START_PAGE}",
        "/voila/static/voila.js",
        "/voila/tree",
        "/api/kernels/00000000-0000-0000-0000-000000000000",
    ):
        for host in ("evil.example", f"evil.example:{served.port}", f"127.0.0.1:{served.port + 1}"):
            assert served.request("GET", path, {"Host": host}).status == 403, (path, host)
    evil = {"Host": f"evil.example:{served.port}", "Origin": f"http://evil.example:{served.port}"}
    assert served.request("GET", KERNEL_WS, {**WS_HEADERS, **evil}).status == 403
    assert served.request("POST", "/voila/api/shutdown/00000000-0000-0000-0000-000000000000", evil).status == 403
    deadline, log = time.monotonic() + 10, ""
    while time.monotonic() < deadline and log.count("WARNING | 403") < 17:
        time.sleep(0.1)  # the access log is written just after each reply
        log = served.log.read_text(encoding="utf-8")[before:]
    assert log.count("WARNING | 403") == 17  # each refusal is logged
    assert "Kernel started" not in log  # and no page was rendered for them


def test_loopback_requests_pass_and_the_root_leads_to_the_start_page(served):
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", f"[::1]:{served.port}"):
        reply = served.request("GET", "/", {"Host": host})
        assert reply.status == 302 and reply.headers["Location"] == f"/voila/render/{START_PAGE}", host
    assert served.url == f"http://127.0.0.1:{served.port}/voila/render/{START_PAGE}"
    assert served.request("GET", "/voila/tree").status == 200
    # a websocket with a loopback Host gets past the check, to the kernel handler (no such kernel: 404)
    assert served.request("GET", KERNEL_WS, WS_HEADERS).status == 404


def test_a_shutdown_beacon_needs_its_xsrf_cookie_and_is_quiet_for_a_kernel_already_gone(served):
    beacon = "/voila/api/shutdown/00000000-0000-0000-0000-000000000000"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert served.request("POST", beacon, form, "_xsrf=abc").status == 403  # no cookie: as a forged cross-site post
    time.sleep(0.5)  # the access log is written just after the reply
    before = len(served.log.read_text(encoding="utf-8"))
    assert served.request("POST", beacon, {**form, "Cookie": "_xsrf=abc"}, "_xsrf=abc").status == 204
    time.sleep(0.5)
    assert served.log.read_text(encoding="utf-8")[before:] == ""  # an unknown (culled) kernel: nothing to say


def test_the_start_page_is_titled_and_offline(served):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=120)
    conn.request("GET", f"/voila/render/{START_PAGE}?template=lab")
    reply = conn.getresponse()
    body = reply.read().decode("utf-8")
    conn.close()
    assert reply.status == 200
    assert "<title>00 · Start here</title>" in body
    assert "cdn.jsdelivr.net" not in body  # ?template=lab cannot bring back the stock template's CDN links
    assert any(c.startswith("_xsrf=") for c in reply.headers.get_all("Set-Cookie", []))  # for the page's shutdown beacon


def test_with_a_token_every_request_needs_it(served_with_token):
    server = served_with_token
    token = re.search(r"\?token=([\w-]+)$", server.url).group(1)  # type: ignore[union-attr]
    assert len(token) >= 32 and token not in " ".join(voila_command(token=True))  # made by the server: not in a process list
    start = f"/voila/render/{START_PAGE}"
    for path in ("/", start, "/voila/static/voila.js", f"{start}?token=wrong", f"{start}?token="):
        assert server.request("GET", path).status == 403, path
    assert server.request("GET", KERNEL_WS, WS_HEADERS).status == 403
    assert server.request("GET", "/", {"Cookie": f"stemtrain-course-{server.port}=wrong"}).status == 403
    assert server.request("GET", "/", {"Host": f"evil.example:{server.port}", "Authorization": f"token {token}"}).status == 403

    login = server.request("GET", f"{start}?token={token}&theme=light")
    assert login.status == 302 and login.headers["Location"] == f"{start}?theme=light"  # the token leaves the address
    cookie = login.headers["Set-Cookie"]
    assert cookie.startswith(f"stemtrain-course-{server.port}={token};") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    with_cookie = {"Cookie": cookie.split(";")[0]}
    assert server.request("GET", "/", with_cookie).status == 302
    assert server.request("GET", "/voila/tree", with_cookie).status == 200
    assert server.request("GET", KERNEL_WS, {**WS_HEADERS, **with_cookie}).status == 404  # past the check
    assert server.request("GET", "/voila/tree", {"Authorization": f"token {token}"}).status == 200


def test_serve_opens_the_start_page_in_the_browser(tmp_path):
    """Without --no-browser the learner's browser opens the start page (through a private file: no token in `ps`)."""
    opened = tmp_path / "opened.txt"
    fake = tmp_path / "browser.sh"
    fake.write_text(f'#!/bin/sh\necho "$1" > {opened}.part\ncat "${{1#file://}}" >> {opened}.part\nmv {opened}.part {opened}\n')
    fake.chmod(0o755)
    port = free_port()
    env = {**voila_env(), "BROWSER": f"{fake} %s"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [*voila_command(port=port, token=True), "--no-warm"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not opened.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)  # polling for the fake browser's note
        url, page = opened.read_text(encoding="utf-8").split("\n", 1)
        assert url.startswith("file://") and oct(Path(url[7:]).stat().st_mode & 0o777) == "0o600"
        start = re.search(r"url=(\S+?)\"", page).group(1)  # type: ignore[union-attr]
        assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/voila/render/{START_PAGE}\?token=[\w-]{{32}}", start)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()
    assert not Path(url[7:]).exists()  # removed when the server stops


def _warming_processes(server_pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == server_pid and b"stemtrain.serve\x00" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_the_caches_fill_in_the_background_without_delaying_the_server(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    env = voila_env()
    env["STEMTRAIN_CACHE"] = str(cache)
    server = Served(tmp_path, env=env)
    try:
        assert _warming_processes(server.proc.pid), "no warming process beside the server"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _warming_processes(server.proc.pid):
            time.sleep(0.2)  # polling until the warming process has finished
        warmed_after = time.monotonic() - server.started
    finally:
        server.stop()
    drawn = sorted(p.name for p in cache.rglob("*") if p.suffix in (".pickle", ".json"))
    assert any(name.startswith("course-") for name in drawn) and len(drawn) > 5
    monkeypatch.setenv("STEMTRAIN_CACHE", str(cache))
    warm_caches()  # what a page would need: all of it there already
    assert sorted(p.name for p in cache.rglob("*") if p.suffix in (".pickle", ".json")) == drawn
    assert server.answered_after < warmed_after
    print(f"server answered after {server.answered_after:.2f} s; caches warm after {warmed_after:.2f} s")


def test_warm_caches_draws_every_static_figure_once(tmp_path, monkeypatch):
    monkeypatch.setenv("STEMTRAIN_CACHE", str(tmp_path))
    first = warm_caches()
    drawn = {p.name for p in (tmp_path / "figures").glob("*.json")}
    assert "course" in first and {
        "spine.motion_segment",
        "cells.lineage_diagram",
        "delivery.numbered_anatomy",
        "spine.pfirrmann_explorer",
    } <= set(first)
    second = warm_caches()
    assert {p.name for p in (tmp_path / "figures").glob("*.json")} == drawn  # nothing new: every figure came from the cache
    assert set(second) == set(first)
    for path in (tmp_path / "figures").glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["png"]


def test_the_course_server_hides_only_tornados_notices_that_mean_nothing_is_wrong():
    import logging

    from stemtrain.serve_app import _quiet_ping_notice

    def record(msg: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord("tornado.general", logging.WARNING, __file__, 1, msg, args, None)

    assert not _quiet_ping_notice(record("Got events for closed stream %s", "<stream>"))
    assert not _quiet_ping_notice(record("The websocket_ping_timeout (90) cannot be longer than the websocket_ping_interval (30)."))
    assert _quiet_ping_notice(record("Uncaught exception in ZMQStream callback"))
