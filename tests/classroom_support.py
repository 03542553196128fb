"""Shared parts of the class-service tests: a real PostgreSQL, a real service process, free ports.

PostgreSQL is Debian's package (``/usr/lib/postgresql/*/bin``), started once per test worker on a free
loopback port; ``initdb`` refuses root, so as root the server runs as the ``postgres`` user (``runuser``).
Every test gets its own fresh database on it. Servers are stopped by PID, never by name.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: this checkout's code first on the path."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


# --- PostgreSQL -------------------------------------------------------------------------------------
def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Postgres:
    """One PostgreSQL server in a throwaway folder; ``database()`` makes a fresh database on it."""

    def __init__(self) -> None:
        bin_dir = _pg_bin()
        if bin_dir is None:
            pytest.fail("PostgreSQL is not installed: apt-get install postgresql (.ci/run installs it)")
        self.bin = bin_dir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="stemtrain-pg-"))
        self.root = os.geteuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "stemtrain", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def _run(self, *cmd: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.root else []
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://stemtrain@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)  # "smart" shutdown by PID; fast enough with no clients left
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and Path(f"/proc/{self.pid}").exists():
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against SQLite (a file on local disk) and a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'class-db' / 'class.sqlite3'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.database()


# --- the class service as a real process ------------------------------------------------------------
class ServiceProcess:
    """``stemtrain class serve`` in room mode on a free port; kill it (any signal) and start it again."""

    def __init__(self, data_dir: Path, database: str = "", port: int = 0, env: dict[str, str] | None = None) -> None:
        self.env = env or {}
        self.data_dir = data_dir
        self.database = database
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None
        self.log = data_dir.parent / f"service-{self.port}.log"

    def start(self, timeout: float = 60) -> ServiceProcess:
        cmd = [sys.executable, "-m", "stemtrain", "class", "serve", "--data-dir", str(self.data_dir), "--port", str(self.port)]
        if self.database:
            cmd += ["--database", self.database]
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=child_env(**self.env), stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.url + "api/health", timeout, self.proc)
        return self

    @property
    def state(self) -> dict[str, str]:
        return json.loads((self.data_dir / "instructor.json").read_text())

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            self.proc.wait(timeout=30)
        self.proc = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[object]:
    started: list[ServiceProcess] = []

    def make(database: str = "", port: int = 0, env: dict[str, str] | None = None) -> ServiceProcess:
        service = ServiceProcess(tmp_path / f"data-{len(started)}", database, port, env)
        started.append(service)
        return service.start()

    yield make
    for service in started:
        service.kill(signal.SIGTERM)
