"""A live session as in a room: the class service, the instructor's commands and 30 learners, each its own process.

Learners poll as their pages do (once a second) until the pushed question appears, answer, and send the same
answer again as a page does after a lost reply (plus a changed answer, which must not replace the first). The
service must count every learner exactly once, with the counts each learner's choice implies, and every
learner must have seen the question within 2 s of the push.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from classroom_support import ROOT, child_env

from stemtrain.live.client import LiveClient

LEARNERS = 30
QUESTION = "talk-own-fat-reply"  # a single-choice part of a case in module 06
WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from stemtrain.live.client import LiveClient, LiveError
    url, choice, result = sys.argv[1:4]
    client = LiveClient(url, os.environ["STEMTRAIN_CLASS_TOKEN"], timeout=10)
    deadline, seen = time.monotonic() + 90, None
    while time.monotonic() < deadline:
        try:
            poll = client.current().get("poll")
        except LiveError:
            poll = None
        if poll and poll["state"] == "open":
            seen = time.time()
            break
        time.sleep(1.0)
    options = [o["id"] for o in poll["question"]["options"]]
    mine = options[int(choice) % len(options)]
    first = client.answer(poll["id"], mine)
    again = client.answer(poll["id"], mine)
    changed = client.answer(poll["id"], options[(int(choice) + 1) % len(options)])
    news = [first["new"], again["new"], changed["new"]]
    json.dump({"seen": seen, "mine": mine, "new": news, "kept": changed["response"]}, open(result, "w"))
    """
)


def _join(service, name: str) -> str:
    import urllib.request

    body = json.dumps({"code": service.state["join_code"], "name": name}).encode()
    req = urllib.request.Request(service.url + "api/room/join", data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as reply:
        return str(json.loads(reply.read())["token"])


def _instructor(service, *args: str) -> str:
    env = child_env(STEMTRAIN_CLASS_URL=service.url, STEMTRAIN_INSTRUCTOR_TOKEN=service.state["instructor_token"])
    done = subprocess.run([sys.executable, "-m", "stemtrain", "live", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_thirty_learner_processes_are_each_counted_exactly_once(backend, service_factory, tmp_path: Path, request):
    database = request.getfixturevalue("postgres").database() if backend == "postgresql" else ""
    service = service_factory(database)
    tokens = [_join(service, f"learner-{i:02d}") for i in range(LEARNERS)]
    script = tmp_path / "learner.py"
    script.write_text(WORKER)
    assert "Live session under way" in _instructor(service, "start")
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), service.url, str(i), str(tmp_path / f"learner-{i}.json")],
            cwd=ROOT,
            env=child_env(STEMTRAIN_CLASS_TOKEN=token),
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, token in enumerate(tokens)
    ]
    try:
        time.sleep(3)  # every learner's page is open and polling before the push
        assert f"on {QUESTION} (open)" in _instructor(service, "push", QUESTION)
        for worker in workers:
            _, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    results = [json.loads((tmp_path / f"learner-{i}.json").read_text()) for i in range(LEARNERS)]
    assert all(r["new"] == [True, False, False] and r["kept"] == r["mine"] for r in results)
    teacher = LiveClient(service.url, service.state["instructor_token"])
    pushed = dt.datetime.fromisoformat(teacher.current()["poll"]["opened_at"]).timestamp()  # the service's clock is this machine's
    late = max(r["seen"] for r in results) - pushed
    assert late < 2.0, f"the slowest learner saw the question {late:.2f} s after the push"

    status = _instructor(service, "close")
    assert f"{LEARNERS} of {LEARNERS} answered" in status
    poll = teacher.current()["poll"]
    counts = {o["id"]: o["count"] for o in teacher.results(poll["id"])["options"]}
    expected = {o["id"]: sum(r["mine"] == o["id"] for r in results) for o in poll["question"]["options"]}
    assert counts == expected and sum(counts.values()) == LEARNERS
    assert "learner-" not in json.dumps(teacher.current())  # counts, never names
