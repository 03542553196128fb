"""Learners' kernels as clients of a real class service process: the outbox keeps every answer until the
service has it, a service killed mid-session loses nothing and doubles nothing, and the store is found
from the environment (the class URL, the join file, the hub's token)."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest

from stemtrain.cli import main
from stemtrain.records import Attempt, SavingQueue, ServiceStore, StoreError, default_url, join, open_store
from stemtrain.records.client import read_join_file
from stemtrain.records.outbox import Outbox

MODULE = "01-back-pain-and-the-spine"


def answer(learner: str, qid: str, i: int = 0) -> Attempt:
    return Attempt(learner=learner, module=MODULE, question_id=qid, response=i, correct=i % 2 == 0, score=float(i % 2 == 0), mode="class")


def instructor_get(service, path: str) -> list[dict]:
    req = urllib.request.Request(service.url + path, headers={"Authorization": f"Bearer {service.state['instructor_token']}"})
    with urllib.request.urlopen(req, timeout=10) as reply:
        return json.loads(reply.read())


def wait_until(check, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(autouse=True)
def join_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home" / ".stemtrain" / "class.json"
    monkeypatch.setenv("STEMTRAIN_CLASS_FILE", str(path))
    monkeypatch.setenv("STEMTRAIN_OUTBOX", str(tmp_path / "home" / ".stemtrain" / "outbox.sqlite3"))
    monkeypatch.delenv("STEMTRAIN_CLASS_URL", raising=False)
    monkeypatch.delenv("STEMTRAIN_CLASS_TOKEN", raising=False)
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    return path


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_service_stopped_mid_session_gets_every_answer_exactly_once(backend, service_factory, tmp_path, join_file, request):
    database = request.getfixturevalue("postgres").database() if backend == "postgresql" else ""
    service = service_factory(database)
    joined = join(service.url, service.state["join_code"], "Ana Silva")
    assert joined["learner"] == "Ana Silva" and join_file.stat().st_mode & 0o777 == 0o600
    outbox = tmp_path / "outbox.sqlite3"
    queue = SavingQueue(lambda: ServiceStore(service.url, outbox=outbox), retry_after=0.2)
    for i in range(3):
        queue.add(answer("Ana Silva", "q1", i))
    assert queue.status.state == "saved" and [a.attempt for a in queue.kept()] == [1, 2, 3]

    service.kill()  # SIGKILL, by PID
    for i in range(3, 6):
        queue.add(answer("Ana Silva", f"q{i % 2 + 1}", i))
    assert queue.status.state == "pending" and "3 answers not saved yet" in queue.status.message
    assert isinstance(queue.problem, StoreError) and queue.problem.kind == "unavailable"
    assert len(Outbox(outbox).pending(service.url)) == 3

    service.start()
    assert wait_until(lambda: queue.status.state == "saved"), queue.status
    kept = instructor_get(service, "api/class/attempts")
    assert len(kept) == 6 and len({r["event_id"] for r in kept}) == 6
    assert {r["event_id"] for r in kept} == {a.event_id for a in queue.kept()}
    numbers = sorted((r["question_id"], r["attempt"]) for r in kept)
    assert numbers == [("q1", 1), ("q1", 2), ("q1", 3), ("q1", 4), ("q2", 1), ("q2", 2)]
    assert Outbox(outbox).pending(service.url) == []
    queue.close()
    # a new kernel of the same learner sees the same records, and sending them all again adds nothing
    again = ServiceStore(service.url, outbox=outbox)
    assert [a.event_id for a in again.attempts()] == [r["event_id"] for r in kept]
    for a in queue.kept():
        assert again.add(a).attempt == a.attempt
    assert len(instructor_get(service, "api/class/attempts")) == 6
    again.close()


def test_an_answer_given_while_the_service_cannot_be_reached_waits_in_the_outbox(tmp_path, join_file):
    join_file.parent.mkdir(parents=True)
    join_file.write_text(json.dumps({"url": "http://127.0.0.1:9/", "token": "t", "learner": "ana"}))
    store = open_store("http://127.0.0.1:9/")
    assert isinstance(store, ServiceStore) and store.learner == "ana"
    with pytest.raises(StoreError, match="not answering") as info:
        store.add(answer("ana", "q1"))
    assert info.value.kind == "unavailable" and info.value.transient
    assert store.pending() == 1
    with pytest.raises(StoreError) as info:
        store.attempts()
    assert info.value.kind == "unavailable"
    store.close()


def test_an_answer_the_service_refuses_is_set_aside_never_dropped(service_factory, tmp_path):
    service = service_factory()
    joined = join(service.url, service.state["join_code"], "ana")
    store = ServiceStore(service.url, outbox=tmp_path / "outbox.sqlite3")
    with pytest.raises(StoreError, match="cannot write as 'ben'") as info:
        store.add(answer("ben", "q1"))
    assert info.value.kind == "invalid" and not info.value.transient
    assert store.pending() == 0 and "403" in store.outbox.refused(store.url)[0][1]
    assert store.add(answer(joined["learner"], "q1")).attempt == 1
    store.close()


def test_a_token_the_service_does_not_know_is_denied_and_retried(service_factory, tmp_path, monkeypatch):
    service = service_factory()
    monkeypatch.setenv("STEMTRAIN_CLASS_TOKEN", "forged")
    store = ServiceStore(service.url, outbox=tmp_path / "outbox.sqlite3")
    with pytest.raises(StoreError, match="does not accept your token") as info:
        store.add(answer("ana", "q1"))
    assert info.value.kind == "denied" and info.value.transient and store.pending() == 1
    store.close()


def test_the_environment_says_which_store_and_which_token(tmp_path, join_file, monkeypatch):
    monkeypatch.setenv("STEMTRAIN_PROGRESS", str(tmp_path / "own.sqlite3"))
    assert default_url() == f"sqlite:///{tmp_path / 'own.sqlite3'}"
    monkeypatch.setenv("STEMTRAIN_CLASS_URL", "http://127.0.0.1:9/services/stemtrain-class/")
    assert default_url() == "http://127.0.0.1:9/services/stemtrain-class/"
    monkeypatch.delenv("STEMTRAIN_CLASS_URL")
    monkeypatch.delenv("STEMTRAIN_PROGRESS")
    join_file.parent.mkdir(parents=True)
    join_file.write_text(json.dumps({"url": "http://127.0.0.1:9/", "token": "from-join", "learner": "ana"}))
    assert default_url() == "http://127.0.0.1:9/"
    outbox = tmp_path / "o.sqlite3"
    hub = {"JUPYTERHUB_API_TOKEN": "from-hub", "JUPYTERHUB_USER": "ana-hub"}
    assert ServiceStore("http://127.0.0.1:9/", outbox=outbox, env=hub)._token == "from-join"
    assert ServiceStore("http://127.0.0.1:9/other/", outbox=outbox, env=hub)._token == "from-hub"
    assert ServiceStore("http://127.0.0.1:9/other/", outbox=outbox, env={**hub, "STEMTRAIN_CLASS_TOKEN": "given"})._token == "given"
    with pytest.raises(StoreError, match="http:// or https://"):
        ServiceStore("ftp://example.org/", outbox=outbox)


def test_a_session_in_a_class_answers_under_the_joined_name(service_factory, tmp_path, monkeypatch):
    from stemtrain.session import ModuleSession

    service = service_factory()
    join(service.url, service.state["join_code"], "Ana Silva")
    monkeypatch.setenv("STEMTRAIN_LEARNER", "someone-else")
    session = ModuleSession(MODULE, store=ServiceStore(service.url, outbox=tmp_path / "o.sqlite3"))
    assert (session.identity.learner, session.identity.source, session.identity.verified) == ("Ana Silva", "class", False)
    session.close()


def test_the_join_and_status_commands(service_factory, tmp_path, join_file, monkeypatch, capsys):
    service = service_factory()
    monkeypatch.setenv("STEMTRAIN_OUTBOX", str(tmp_path / "o.sqlite3"))
    monkeypatch.delenv("STEMTRAIN_PROGRESS", raising=False)
    assert main(["class", "join", service.url, "--code", service.state["join_code"].lower(), "--name", "Ana"]) == 0
    assert "Joined" in capsys.readouterr().out and read_join_file()["learner"] == "Ana"
    assert main(["class", "status"]) == 0
    out = capsys.readouterr().out
    assert "reachable" in out and "Learner: Ana (room)" in out and "waiting on this computer: 0" in out
    assert main(["class", "join", service.url, "--code", "2222-2222", "--name", "Ben"]) == 1
    assert "not the class's join code" in capsys.readouterr().err


def test_answers_left_in_the_outbox_by_a_kernel_that_died_are_sent_by_the_next_one(service_factory, tmp_path):
    service = service_factory()
    join(service.url, service.state["join_code"], "ana")
    outbox = tmp_path / "o.sqlite3"
    service.kill()
    first = ServiceStore(service.url, outbox=outbox)
    for i in range(2):
        with pytest.raises(StoreError):
            first.add(answer("ana", "q1", i))
    first.outbox.close()  # the kernel dies: no retry, no close()
    service.start()
    ServiceStore(service.url, outbox=outbox).close()
    assert [r["attempt"] for r in instructor_get(service, "api/class/attempts")] == [1, 2]
    assert Outbox(outbox).pending(service.url) == []
