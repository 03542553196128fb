"""xAPI statements, posted by XapiSender to a real LRS (Ralph, filesystem backend) on loopback and read back.

Ralph pins its own web stack, so the test installs it into a venv of its own (cached under ~/.cache) from PyPI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from base64 import b64encode
from pathlib import Path

import pytest
from interop_support import all_types

from stemtrain.interop.xapi import CMI5_CATEGORY, VERBS, XapiOptions, XapiSender, statements, write_xapi
from stemtrain.records import Attempt

RALPH = "ralph-malph[lrs,cli]==5.1.0"
RESPONSES = {"t-single": "a", "t-multi": ["bm", "fat", "cord"], "t-tf": False, "t-order": ["consent", "timeout", "inject", "observe"],
             "t-match": {"np": "np", "af": "af", "ep": "ep"}, "t-number": 69.0, "t-label": {"1": "1", "2": "2", "3": "3"},
             "t-case-a": False, "t-case-b": "a"}  # fmt: skip


def _attempts(mode: str = "assessment") -> list[Attempt]:
    t0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
    return [
        Attempt(
            learner="nurse-1",
            module="99-all-types",
            question_id=qid,
            response=r,
            correct=True,
            score=1.0,
            mode=mode,
            parent_id="t-case" if qid.startswith("t-case") else None,
            answered_at=t0 + dt.timedelta(minutes=n),
        )
        for n, (qid, r) in enumerate(RESPONSES.items())
    ]


def test_statement_shapes():
    bank, _ = all_types()
    records = _attempts()
    found = statements(records, {bank.module: bank}, XapiOptions(registration="9c8a6f0e-2b1d-4c3e-8f7a-1a2b3c4d5e6f"))
    verbs = [s["verb"]["id"] for s in found]
    assert verbs.count(VERBS["answered"]) == len(RESPONSES) and VERBS["passed"] in verbs and verbs.count(VERBS["completed"]) == 2
    by_q = {s["object"]["id"].rsplit("/", 1)[1]: s for s in found if s["verb"]["id"] == VERBS["answered"]}
    types = {q: s["object"]["definition"]["interactionType"] for q, s in by_q.items()}
    assert types == {"t-single": "choice", "t-multi": "choice", "t-tf": "true-false", "t-order": "sequencing", "t-match": "matching",
                     "t-number": "numeric", "t-label": "matching", "t-case-a": "true-false", "t-case-b": "choice"}  # fmt: skip
    assert by_q["t-order"]["result"]["response"] == "consent[,]timeout[,]inject[,]observe"
    assert by_q["t-order"]["object"]["definition"]["correctResponsesPattern"] == ["consent[,]timeout[,]inject[,]observe"]
    assert by_q["t-number"]["object"]["definition"]["correctResponsesPattern"] == ["68[:]70"]
    assert by_q["t-case-a"]["context"]["contextActivities"]["parent"][0]["id"].endswith("questions/t-case")
    passed = next(s for s in found if s["verb"]["id"] == VERBS["passed"])
    assert passed["result"]["score"]["scaled"] == 1.0 and passed["context"]["contextActivities"]["category"][0]["id"] == CMI5_CATEGORY
    assert statements(records, {bank.module: bank})[0]["id"] == found[0]["id"]  # stable ids


def test_write_xapi(tmp_path):
    bank, _ = all_types()
    n = write_xapi(_attempts("notebook"), tmp_path / "x.json", {bank.module: bank})
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert n == len(data) and not any(s["verb"]["id"] in (VERBS["passed"], VERBS["failed"]) for s in data)


def test_sender_never_blocks_and_gives_up_on_a_dead_lrs():
    sender = XapiSender("http://127.0.0.1:9/xAPI/", "u", "p", retries=1, backoff=0.01, timeout=0.5, max_queue=2)
    start = time.monotonic()
    accepted = [sender.send({"id": str(i)}) for i in range(50)]
    assert time.monotonic() - start < 0.5 and accepted.count(False) == sender.dropped > 0
    assert sender.close(timeout=20)
    assert len(sender.failed) + sender.dropped == 50 and sender.sent == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    venv = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "stemtrain-tests" / "ralph-5.1.0"
    py = venv / "bin" / "python"
    if not (venv / "bin" / "ralph").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        run = subprocess.run([str(py), "-m", "pip", "install", "-q", RALPH, "requests"], capture_output=True, text=True, timeout=900)
        if run.returncode != 0:
            pytest.skip(f"could not install Ralph from PyPI: {run.stderr[-300:]}")
    work = tmp_path_factory.mktemp("ralph")
    env = {**os.environ, "RALPH_APP_DIR": str(work / "app"), "RALPH_AUTH_FILE": str(work / "auth.json"), "RALPH_RUNSERVER_BACKEND": "fs",
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(work / "data")}  # fmt: skip
    subprocess.run([str(venv / "bin" / "ralph"), "auth", "-u", "clinic", "-p", "s3cret", "-s", "all", "-M", "mailto:lrs@example.org", "-w"],
                   env=env, check=True, capture_output=True, timeout=120)  # fmt: skip
    port = _free_port()
    server = subprocess.Popen([str(py), "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}/xAPI/"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_statements_reach_a_real_lrs_and_read_back_the_same(ralph):
    bank, _ = all_types()
    sent = statements(_attempts(), {bank.module: bank}, XapiOptions(registration="9c8a6f0e-2b1d-4c3e-8f7a-1a2b3c4d5e6f"))
    # Ralph's filesystem backend writes one file per LRS and refuses a second POST (FileExistsError -> 500),
    # so everything goes in one batch here; retries and backoff are tested against a dead address above.
    sender = XapiSender(ralph, "clinic", "s3cret", batch_size=len(sent))
    for s in sent:
        assert sender.send(s)
    assert sender.close(timeout=60) and not sender.rejected and not sender.failed
    auth = "Basic " + b64encode(b"clinic:s3cret").decode()
    request = urllib.request.Request(f"{ralph}statements?limit=100", headers={"Authorization": auth, "X-Experience-API-Version": "1.0.3"})
    stored = json.loads(urllib.request.urlopen(request, timeout=10).read())["statements"]
    assert len(stored) == len(sent)
    by_id = {s["id"]: s for s in stored}
    for s in sent:
        got = by_id[s["id"]]
        for field in ("actor", "verb", "object", "result"):
            assert got[field] == s[field], (s["id"], field)
        assert dt.datetime.fromisoformat(got["timestamp"]) == dt.datetime.fromisoformat(s["timestamp"])
