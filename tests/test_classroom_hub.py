"""A real JupyterHub (DummyAuthenticator, SimpleLocalProcessSpawner, configurable-http-proxy from npm) runs the
class service as a hub-managed service. Three users are made through the hub's REST API; each answers
through the proxy the way a kernel does (``open_store()`` with the hub's token in the environment), and the
records land under the hub's names, verified, with user A unable to read user B's. One user's real
single-user server is spawned, so the token a kernel really has (the server's) is the one tried first.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from classroom_support import ROOT, child_env, free_port, wait_for

pytestmark = [pytest.mark.hub, pytest.mark.xdist_group("hub")]

SERVICE = "stemtrain-class"
ADMIN_TOKEN = "test-admin-token-" + os.urandom(8).hex()
ADMIN_SCOPES = ["admin:users", "admin:servers", "admin:server_state", "tokens", "admin:groups"]


def proxy_command(folder: Path) -> str:
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    if shutil.which("npm") is None:
        pytest.fail("needs configurable-http-proxy or npm (Node) to install it: apt-get install nodejs npm (.ci/run installs them)")
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(folder), "configurable-http-proxy@5"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return str(folder / "node_modules" / ".bin" / "configurable-http-proxy")


def hub_config(folder: Path, ports: dict[str, int], chp: str) -> str:
    service_cmd = [sys.executable, "-m", "stemtrain", "class", "serve", "--data-dir", str(folder / "class-data")]
    return textwrap.dedent(
        f"""
        c = get_config()  # noqa: F821
        c.JupyterHub.ip = "127.0.0.1"
        c.JupyterHub.port = {ports["proxy"]}
        c.JupyterHub.hub_ip = "127.0.0.1"
        c.JupyterHub.hub_port = {ports["hub"]}
        c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports["proxy_api"]}"
        c.ConfigurableHTTPProxy.command = [{chp!r}]
        c.JupyterHub.db_url = "sqlite:///{folder / "hub.sqlite"}"
        c.JupyterHub.cookie_secret_file = "{folder / "cookie_secret"}"
        c.JupyterHub.pid_file = "{folder / "hub.pid"}"
        c.JupyterHub.authenticator_class = "dummy"
        c.Authenticator.allow_all = True
        c.JupyterHub.spawner_class = "simple"
        c.SimpleLocalProcessSpawner.home_dir_template = "{folder}/home/{{username}}"
        c.Spawner.args = ["--allow-root"]
        c.Spawner.default_url = "/tree"
        c.Spawner.start_timeout = 120
        c.Spawner.http_timeout = 120
        c.Spawner.environment = {{"STEMTRAIN_CLASS_URL": "http://127.0.0.1:{ports["proxy"]}/services/{SERVICE}/"}}
        c.JupyterHub.services = [
            {{
                "name": "{SERVICE}",
                "url": "http://127.0.0.1:{ports["service"]}",
                "command": {service_cmd!r},
                "environment": {{"PYTHONPATH": {child_env()["PYTHONPATH"]!r}}},
            }},
            {{"name": "test-admin", "api_token": "{ADMIN_TOKEN}"}},
        ]
        c.JupyterHub.load_roles = [
            {{"name": "stemtrain-class-service", "services": ["{SERVICE}"], "scopes": ["read:users", "read:groups"]}},
            {{"name": "test-admin", "services": ["test-admin"], "scopes": {ADMIN_SCOPES!r}}},
        ]
        c.JupyterHub.load_groups = {{"stemtrain-instructors": {{"users": ["ines"]}}}}
        """
    )


class Hub:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ports = {name: free_port() for name in ("proxy", "proxy_api", "hub", "service")}
        (folder / "jupyterhub_config.py").write_text(hub_config(folder, self.ports, proxy_command(folder / "chp")))
        self.log = (folder / "hub.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(folder / "jupyterhub_config.py")],
            cwd=folder,
            env=child_env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.ports['proxy']}"
        self.service_url = f"{self.url}/services/{SERVICE}/"
        wait_for(f"{self.url}/hub/api/", 90, self.proc)
        wait_for(f"{self.service_url}api/health", 90, self.proc)

    def api(self, method: str, path: str, body: object = None, token: str = ADMIN_TOKEN) -> object:
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as reply:
            raw = reply.read()
        return json.loads(raw) if raw else None

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)  # the hub stops its proxy, its managed service and the servers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory):
    started = Hub(tmp_path_factory.mktemp("hub"))
    yield started
    started.stop()


KERNEL = """
import json, sys
from stemtrain.records import Attempt, StoreError, default_url, open_store
store = open_store()
out = {"url": default_url(), "learner": store.learner, "verified": store.verified, "numbers": []}
for i in range(4):
    given = Attempt(learner=store.learner, module="01-x", question_id=f"q{i % 2}", response=i, correct=True, score=1.0, mode="class")
    kept = store.add(given)
    out["numbers"].append(kept.attempt)
out["mine"] = len(store.attempts())
try:
    store.attempts(sys.argv[1])
    out["other"] = "read"
except StoreError as exc:
    out["other"] = str(exc)
store.close()
print(json.dumps(out))
"""


def run_kernel(hub: Hub, user: str, token: str, other: str, tmp_path: Path) -> dict:
    env = child_env(
        JUPYTERHUB_API_TOKEN=token,
        JUPYTERHUB_USER=user,
        STEMTRAIN_CLASS_URL=hub.service_url,
        STEMTRAIN_OUTBOX=str(tmp_path / f"{user}.sqlite3"),
    )
    done = subprocess.run([sys.executable, "-c", KERNEL, other], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def server_token(hub: Hub, user: str) -> str:
    """The JUPYTERHUB_API_TOKEN the hub gave the user's single-user server (read from the process, as root)."""
    hub.api("POST", f"/users/{user}/server")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        model = hub.api("GET", f"/users/{user}")
        server = model["servers"].get("", {})  # type: ignore[index]
        if server.get("ready"):
            pid = server["state"]["pid"]
            env = dict(v.split("=", 1) for v in Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in v)
            assert env["STEMTRAIN_CLASS_URL"] == hub.service_url
            return env["JUPYTERHUB_API_TOKEN"]
        time.sleep(0.3)
    raise TimeoutError(f"{user}'s server did not start")


def test_hub_users_answer_under_their_hub_names_and_cannot_read_each_other(hub: Hub, tmp_path: Path):
    hub.api("POST", "/users", {"usernames": ["ana", "ben", "ines"]})
    tokens = {u: hub.api("POST", f"/users/{u}/tokens", {"note": "kernel", "expires_in": 3600})["token"] for u in ("ben", "ines")}  # type: ignore[index]
    tokens["ana"] = server_token(hub, "ana")  # a real server's token, with the hub's default (narrow) server scopes

    results = {u: run_kernel(hub, u, tokens[u], other, tmp_path) for u, other in (("ana", "ben"), ("ben", "ana"), ("ines", "ana"))}
    for user in ("ana", "ben"):
        assert results[user]["learner"] == user and results[user]["verified"] is True
        assert results[user]["url"] == hub.service_url
        assert results[user]["numbers"] == [1, 1, 2, 2] and results[user]["mine"] == 4
        assert "403" in results[user]["other"] and "cannot read" in results[user]["other"]
    assert results["ines"]["other"] == "read"  # an instructor, by the hub group

    def get(path: str, token: str) -> tuple[int, object]:
        req = urllib.request.Request(hub.service_url + path, headers={"Authorization": f"token {token}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    status, roster = get("api/class/roster", tokens["ines"])
    assert status == 200
    assert {(r["learner"], r["identity_source"], r["verified"], r["answers"]) for r in roster} == {  # type: ignore[union-attr]
        ("ana", "hub", True, 4),
        ("ben", "hub", True, 4),
        ("ines", "hub", True, 4),
    }
    status, everyone = get("api/class/attempts", tokens["ines"])
    assert status == 200 and sorted({r["learner"] for r in everyone}) == ["ana", "ben", "ines"]  # type: ignore[union-attr]
    assert get("api/class/roster", tokens["ana"])[0] == 403
    assert get("api/records/attempts?learner=ana", tokens["ben"])[0] == 403
    assert get("api/me", "not-a-hub-token")[0] == 401
    assert get("api/me", "")[0] == 401
    assert get("api/me", tokens["ben"])[1] == {
        "role": "learner",
        "learner": "ben",
        "identity_source": "hub",
        "verified": True,
        "mode": "hub",
    }
