"""Course mode under load and at start, against a real `stemtrain serve` server and Debian's Chromium.

load (default): N module pages (default 30) opened at once, spread over a handful of browser contexts (each
context is one learner's browser: Chromium keeps at most 6 connections per host in it, and a page holds one while
it renders, so 6 pages per context is the most that load truly at once). Reports, per page, the seconds from the
moment all were opened until its first quiz control was on screen (read in the page itself), how many became
interactive within the time limit, the kernels alive, and anything alarming in the server log (a port clash, a
restarted kernel, a warning, a kernel culled while its page was still loading).

startup: how soon the server answers with and without the background cache warming (fresh cache each run,
interleaved), and how long the first and a later request of a module page with figures take, server side.

Run: python benchmarks/bench_course_mode.py [load] [PAGES] [--contexts=5] [--limit=900] [--tcp]
     python benchmarks/bench_course_mode.py startup [RUNS]
(--tcp runs the kernels over TCP, as plain Voilà does, for comparison.)
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "tests"))

from browser.conftest import CHROMIUM_FLAGS, LOOPBACK  # noqa: E402  (the browser tests' own flags and guard)

from stemtrain.serve import voila_command, voila_env  # noqa: E402

ALARMING = re.compile(r"WARNING|ERROR|CRITICAL|Traceback|Address already in use|restarting kernel|Kernel died|page is closed", re.I)
INTERACTIVE_JS = """
(() => {
  const poll = setInterval(() => {
    const el = document.querySelector('.stemtrain-question');
    if (el && el.offsetParent !== null) { window.__stInteractiveAt = Date.now(); clearInterval(poll); }
  }, 100);
})();
"""
MODULES = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A `stemtrain serve` server on a free port, ready once it answers; stopped by its process id."""

    def __init__(self, scratch: Path, *extra: str, cache: Path | None = None) -> None:
        self.port = free_port()
        self.log = scratch / f"server-{self.port}.log"
        env = {**voila_env(), "STEMTRAIN_PROGRESS": str(scratch / "progress.sqlite3")}
        if cache is not None:
            env["STEMTRAIN_CACHE"] = str(cache)
        with self.log.open("w") as out:
            self.started = time.perf_counter()
            self.proc = subprocess.Popen(
                [*voila_command(port=self.port, no_browser=True), *extra],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.answered_after = self._wait()

    def _wait(self, timeout: float = 120) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log}")
            try:
                self.get("/voila/tree")
                return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.02)  # polling the port until it answers
        raise RuntimeError(f"server did not answer; see {self.log}")

    def get(self, path: str) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        conn.request("GET", path)
        body = conn.getresponse().read()
        conn.close()
        return body

    def children(self, marker: bytes = b"ipykernel") -> int:
        """How many of the server's child processes have ``marker`` in their command line (default: kernels)."""
        count = 0
        for entry in Path("/proc").iterdir():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    count += marker in (entry / "cmdline").read_bytes()
            except (OSError, ValueError, IndexError):
                continue
        return count

    def alarming(self) -> list[str]:
        return [line for line in self.log.read_text(encoding="utf-8").splitlines() if ALARMING.search(line)]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)


def load(pages: int, contexts: int, limit: float, tcp: bool) -> int:
    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="stemtrain-bench-serve-"))
    extra = ["--KernelManager.transport=tcp"] if tcp else []
    server = Server(scratch, *extra)
    print(f"server on port {server.port} ({'tcp' if tcp else 'ipc'} kernels), answering after {server.answered_after:.2f} s")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_FLAGS)
            ctxs = [browser.new_context(viewport={"width": 1024, "height": 800}) for _ in range(contexts)]
            tabs = []
            for i in range(pages):
                ctx = ctxs[i % contexts]
                ctx.add_init_script(INTERACTIVE_JS)
                tab = ctx.new_page()
                tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOOPBACK) else route.abort())
                tabs.append(tab)
            urls = [f"http://127.0.0.1:{server.port}/voila/render/{MODULES[i % len(MODULES)]}.ipynb" for i in range(pages)]
            began_ms = time.time() * 1000
            began = time.perf_counter()
            for tab, url in zip(tabs, urls, strict=True):
                tab.evaluate("url => { location.href = url; }", url)  # no waiting: all at once
            peak = 0
            times: list[float | None] = []
            for tab in tabs:
                remaining = max(1.0, limit - (time.perf_counter() - began))
                try:
                    tab.wait_for_function("window.__stInteractiveAt !== undefined", timeout=remaining * 1000, polling=1000)
                    times.append((tab.evaluate("window.__stInteractiveAt") - began_ms) / 1000)
                except Exception:  # noqa: BLE001 - a page that never became interactive is what this counts
                    times.append(None)
                peak = max(peak, server.children())
            for ctx in ctxs:
                ctx.close()
            browser.close()
    finally:
        alive = server.children()
        server.stop()
    done = sorted(t for t in times if t is not None)
    alarms = server.alarming()
    print(f"{len(done)}/{pages} pages interactive within {limit:.0f} s, in {contexts} browser contexts")
    for module in MODULES:
        mine = [f"{t:.1f}" if t is not None else "never" for t, u in zip(times, urls, strict=True) if module in u]
        print(f"  {module}: {', '.join(mine)}")
    if done:
        print(f"time to interactive: first {done[0]:.1f} s, median {statistics.median(done):.1f} s, last {done[-1]:.1f} s")
    print(f"kernels: {peak} at most while loading, {alive} alive at the end (pages still open)")
    print(f"alarming server log lines: {len(alarms)}")
    for line in alarms[:20]:
        print(f"  {line[:200]}")
    return 0 if len(done) == pages and not alarms else 1


def startup(runs: int) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="stemtrain-bench-start-"))
    answered: dict[str, list[float]] = {"warming": [], "no warming": []}
    for run in range(runs):
        for label, extra in (("warming", ()), ("no warming", ("--no-warm",))):
            cache = scratch / f"cache-{run}-{label.replace(' ', '-')}"
            server = Server(scratch, *extra, cache=cache)
            answered[label].append(server.answered_after)
            server.stop()
    for label, values in answered.items():
        each = ", ".join(f"{v:.2f}" for v in values)
        print(f"server answers after (fresh cache, {label}): median {statistics.median(values):.2f} s of {each}")

    page = f"/voila/render/{MODULES[1]}.ipynb"  # a module with figures and an explorer
    for label, extra in (("warming", ()), ("no warming", ("--no-warm",))):
        cache = scratch / f"cache-first-{label.replace(' ', '-')}"
        server = Server(scratch, *extra, cache=cache)
        deadline = time.perf_counter() + 120
        while server.children(b"stemtrain.serve\x00") and time.perf_counter() < deadline:
            time.sleep(0.2)  # the learner reads the start page while the caches fill
        began = time.perf_counter()
        server.get(page)
        first = time.perf_counter() - began
        later = []
        for _ in range(3):
            began = time.perf_counter()
            server.get(page)
            later.append(time.perf_counter() - began)
        server.stop()
        print(f"{MODULES[1]} rendered by the server, {label}: first request {first:.2f} s, later {statistics.median(later):.2f} s")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


def main(argv: list[str]) -> int:
    options = {a.split("=")[0]: a.partition("=")[2] for a in argv if a.startswith("--")}
    words = [a for a in argv if not a.startswith("--")]
    if words and words[0] == "startup":
        return startup(int(words[1]) if len(words) > 1 else 3)
    if words and words[0] == "load":
        words = words[1:]
    pages = int(words[0]) if words else 30
    return load(pages, int(options.get("--contexts") or 5), float(options.get("--limit") or 900), "--tcp" in options)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
