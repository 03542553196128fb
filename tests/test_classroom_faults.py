"""The class service killed with SIGKILL in the middle of a class's answering: learners' processes keep
answering into their outboxes, the service comes back, and no acknowledged answer is lost or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
from classroom_support import ROOT, child_env

LEARNERS, ANSWERS = 8, 30

WORKER = textwrap.dedent(
    """
    import json, sys, time
    from stemtrain.records import Attempt, ServiceStore, StoreError
    url, token, learner, n, outbox, result = sys.argv[1:7]
    store = ServiceStore(url, token=token, outbox=outbox, timeout=5)
    given, acked = [], {}
    for i in range(int(n)):
        a = Attempt(learner=learner, module="01-x", question_id=f"q{i % 5}", response=i, correct=True, score=1.0, mode="class")
        given.append(a.event_id)
        try:
            acked[a.event_id] = store.add(a).attempt
        except StoreError as exc:
            assert exc.transient, exc
        time.sleep(0.02)
    deadline = time.monotonic() + 90
    while store.flush() and time.monotonic() < deadline:
        time.sleep(0.2)
    json.dump({"given": given, "acked": acked, "pending": store.pending()}, open(result, "w"))
    """
)


def http(method: str, url: str, token: str | None = None, body: object = None) -> object:
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as reply:
        return json.loads(reply.read())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_mid_load_loses_no_acknowledged_answer_and_doubles_none(backend, service_factory, tmp_path: Path, request):
    database = request.getfixturevalue("postgres").database() if backend == "postgresql" else ""
    service = service_factory(database)
    teacher = service.state["instructor_token"]
    tokens = {
        f"learner-{i}": http("POST", service.url + "api/room/join", body={"code": service.state["join_code"], "name": f"learner-{i}"})[
            "token"
        ]  # type: ignore[index]
        for i in range(LEARNERS)
    }
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                str(script),
                service.url,
                token,
                name,
                str(ANSWERS),
                str(tmp_path / f"{name}.outbox"),
                str(tmp_path / f"{name}.json"),
            ],
            cwd=ROOT,
            env=child_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, token in tokens.items()
    ]
    deadline = time.monotonic() + 60
    while len(http("GET", service.url + "api/class/attempts", teacher)) < LEARNERS * ANSWERS // 3:  # type: ignore[arg-type]
        assert time.monotonic() < deadline, "the load never got going"
        time.sleep(0.05)
    service.kill()  # SIGKILL, by PID, while every learner is still answering
    time.sleep(1.0)
    service.start()
    errors = [w.communicate(timeout=180)[1] for w in workers]
    assert [w.returncode for w in workers] == [0] * LEARNERS, errors

    kept = http("GET", service.url + "api/class/attempts", teacher)
    assert isinstance(kept, list)
    by_event = {r["event_id"]: r for r in kept}
    assert len(kept) == len(by_event) == LEARNERS * ANSWERS  # none doubled, none missing once the outboxes drained
    numbers = [(r["learner"], r["question_id"], r["attempt"]) for r in kept]
    assert len(set(numbers)) == len(numbers)
    lost_after_ack = acked = 0
    for name in tokens:
        result = json.loads((tmp_path / f"{name}.json").read_text())
        assert result["pending"] == 0
        assert set(result["given"]) == {e for e, r in by_event.items() if r["learner"] == name}
        for event, attempt in result["acked"].items():
            lost_after_ack += event not in by_event or by_event[event]["attempt"] != attempt
        acked += len(result["acked"])
    assert lost_after_ack == 0
    assert acked < LEARNERS * ANSWERS  # some answers really did wait in the outboxes for the restart
