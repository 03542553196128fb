"""xAPI statements, posted by XapiSender in several batches to a real LRS (Ralph) on loopback and read back.

Ralph pins its own web stack, so the test installs it into a venv of its own (cached under ~/.cache) from PyPI.
Of Ralph's LRS backends only the filesystem one runs without a database server: Elasticsearch and MongoDB are in
no registry reachable here, and Debian's ClickHouse (18.16) predates the DateTime64 query parameters Ralph's
ClickHouse backend sends. The filesystem backend opens its one file in "create" mode for every POST, so a second
POST fails (FileExistsError, HTTP 500). The test starts Ralph with that backend's write mode set to "append", a mode
the same backend has for adding to a file: one class attribute set before the app is imported (``_LAUNCH``).
Everything else is Ralph's own: authentication, statement validation, the check for ids already stored (equal
statements are not stored again, different ones are a 409), the file format and ``GET /xAPI/statements``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from base64 import b64encode
from pathlib import Path

import pytest
from interop_support import CACHE, all_types

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
    assert len(sender.failed) + sender.dropped == 50 and sender.sent == 0 and sender.retried > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


VENV = CACHE / "ralph-5.1.0"
AUTH = "Basic " + b64encode(b"clinic:s3cret").decode()
REGISTRATION = "9c8a6f0e-2b1d-4c3e-8f7a-1a2b3c4d5e6f"
_LAUNCH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND  # Ralph's default, CREATE, allows one POST per file
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


class Ralph:
    """One Ralph LRS on loopback over a data folder of its own; ``stop()`` and ``start()`` keep the port and the data."""

    def __init__(self, work: Path) -> None:
        self.env = {**os.environ, "RALPH_APP_DIR": str(work / "app"), "RALPH_AUTH_FILE": str(work / "auth.json"),
                    "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(work / "data")}  # fmt: skip
        subprocess.run([str(VENV / "bin" / "ralph"), "auth", "-u", "clinic", "-p", "s3cret", "-s", "all", "-M", "mailto:lrs@example.org",
                        "-w"], env=self.env, check=True, capture_output=True, timeout=120)  # fmt: skip
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.log = work / "ralph.log"
        self.server: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.server = subprocess.Popen([str(VENV / "bin" / "python"), "-c", _LAUNCH, str(self.port)], env=self.env,
                                           stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                pytest.fail(f"Ralph exited with {self.server.returncode}: {self.log.read_text()[-1500:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"Ralph did not answer on port {self.port} within 60 s: {self.log.read_text()[-1500:]}")

    def stop(self) -> None:
        """End the server by its process id and wait until it is gone."""
        if self.server is not None and self.server.poll() is None:
            os.kill(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=20)
        self.server = None

    def stored(self) -> list[dict]:
        headers = {"Authorization": AUTH, "X-Experience-API-Version": "1.0.3"}
        request = urllib.request.Request(f"{self.url}statements?limit=1000", headers=headers)
        found: list[dict] = json.loads(urllib.request.urlopen(request, timeout=10).read())["statements"]
        return found


@pytest.fixture(scope="module")
def ralph_venv():
    if not (VENV / "bin" / "ralph").exists():
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
        run = subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", RALPH, "requests"],
                             capture_output=True, text=True, timeout=900)  # fmt: skip
        if run.returncode != 0:
            pytest.fail(f"could not install Ralph from PyPI: {run.stderr[-300:]}")
    return VENV


@pytest.fixture
def ralph(ralph_venv, tmp_path):
    lrs = Ralph(tmp_path)
    lrs.start()
    try:
        yield lrs
    finally:
        lrs.stop()


def _sent() -> list[dict]:
    bank, _ = all_types()
    return statements(_attempts(), {bank.module: bank}, XapiOptions(registration=REGISTRATION))


def _assert_stored_once(lrs: Ralph, sent: list[dict]) -> None:
    stored = lrs.stored()
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids)), "a statement is stored twice"
    assert sorted(ids) == sorted(s["id"] for s in sent)
    by_id = {s["id"]: s for s in stored}
    for s in sent:
        got = by_id[s["id"]]
        for field in ("actor", "verb", "object", "result"):
            assert got[field] == s[field], (s["id"], field)
        assert dt.datetime.fromisoformat(got["timestamp"]) == dt.datetime.fromisoformat(s["timestamp"])


def test_statements_reach_a_real_lrs_in_batches_and_read_back_the_same(ralph):
    sent = _sent()
    assert len(sent) >= 9
    sender = XapiSender(ralph.url, "clinic", "s3cret", batch_size=3)
    half = len(sent) // 2
    for s in sent[:half]:
        assert sender.send(s)
    assert sender.flush(timeout=60) and sender.sent == half  # at least one POST done before the next ones
    for s in sent[half:]:
        assert sender.send(s)
    assert sender.close(timeout=60) and not sender.rejected and not sender.failed and sender.sent == len(sent)
    _assert_stored_once(ralph, sent)


def test_a_stopped_lrs_gets_every_statement_once_when_it_comes_back(ralph):
    sent = _sent()
    first, rest = sent[:4], sent[4:]
    sender = XapiSender(ralph.url, "clinic", "s3cret", batch_size=4, retries=10, backoff=0.2, timeout=2)
    for s in first:
        assert sender.send(s)
    assert sender.flush(timeout=60) and sender.sent == len(first)
    ralph.stop()
    for s in rest:
        assert sender.send(s)
    deadline = time.monotonic() + 30
    while sender.retried < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sender.retried >= 2 and sender.sent == len(first) and not sender.failed  # refused, kept, tried again
    for s in first:  # as after a reply that never arrived: the same statements once more
        assert sender.send(s)
    ralph.start()
    assert sender.close(timeout=120), "the sender did not drain after the LRS came back"
    assert not sender.failed and not sender.rejected and sender.sent == len(sent) + len(first)
    _assert_stored_once(ralph, sent)


def _post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as reply:
        return int(reply.status)


def test_the_class_service_sends_answers_and_a_completed_module_to_a_real_lrs(ralph, service_factory):
    from stemtrain.content import load_course

    env = {"STEMTRAIN_LRS_URL": ralph.url, "STEMTRAIN_LRS_USER": "clinic", "STEMTRAIN_LRS_PASSWORD": "s3cret"}
    env |= {"STEMTRAIN_XAPI_ACTIVITY_BASE": "https://lms.clinic.example/xapi/", "STEMTRAIN_XAPI_HOME_PAGE": "https://lms.clinic.example"}
    service = service_factory(env=env)
    joined = json.loads(urllib.request.urlopen(urllib.request.Request(
        service.url + "api/room/join", data=json.dumps({"code": service.state["join_code"], "name": "Ana Silva"}).encode(),
        headers={"Content-Type": "application/json"}, method="POST"), timeout=30).read())  # fmt: skip
    bank = load_course().banks["00-start-here"]
    needed = [sub.id for sub in bank.by_id.values() if sub.type != "case"]
    answers = [
        {
            "learner": "Ana Silva",
            "module": "00-start-here",
            "question_id": qid,
            "response": "a",
            "correct": i % 2 == 0,
            "score": float(i % 2 == 0),
            "max_score": 1.0,
            "mode": "class",
            "answered_at": f"2026-03-02T09:{10 + i:02d}:00Z",
            "event_id": f"00000000-0000-4000-8000-{i:012d}",
        }
        for i, qid in enumerate(needed)
    ]
    codes = [_post(service.url + "api/records/attempts", joined["token"], body) for body in answers]
    assert codes == [201] * len(needed)
    assert _post(service.url + "api/records/attempts", joined["token"], answers[0]) == 200  # sent again: kept once, not re-sent
    again = {**answers[1], "event_id": "00000000-0000-4000-8000-999999999999", "answered_at": "2026-03-02T10:00:00Z"}
    assert _post(service.url + "api/records/attempts", joined["token"], again) == 201  # a second try after completion
    service.kill(signal.SIGTERM)  # a clean stop sends what is still queued

    stored = ralph.stored()
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids)) == len(needed) + 2
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in stored)
    assert verbs == ["answered"] * (len(needed) + 1) + ["completed"]
    completed = next(s for s in stored if s["verb"]["id"] == VERBS["completed"])
    assert completed["object"]["id"] == "https://lms.clinic.example/xapi/modules/00-start-here"
    assert completed["actor"]["account"] == {"homePage": "https://lms.clinic.example", "name": "Ana Silva"}
    assert dt.datetime.fromisoformat(completed["timestamp"]) == dt.datetime.fromisoformat(answers[-1]["answered_at"])
    answered = {s["object"]["id"].rsplit("/", 1)[1] for s in stored if s["verb"]["id"] == VERBS["answered"]}
    assert answered == set(needed)


def test_the_relay_completes_the_course_with_its_last_module_and_sends_results(ralph, tmp_path):
    from types import SimpleNamespace

    from stemtrain.classroom.db import open_engine, upgrade
    from stemtrain.classroom.ledger import Ledger
    from stemtrain.classroom.xapirelay import XapiRelay

    bank, _ = all_types()
    engine = open_engine(f"sqlite:///{tmp_path / 'class.sqlite3'}")
    upgrade(engine)
    ledger = Ledger(engine)
    ledger.ensure_learner("ana", source="room", verified=False)
    options = XapiOptions(activity_base="https://lms.clinic.example/xapi/", home_page="https://lms.clinic.example")
    relay = XapiRelay(XapiSender(ralph.url, "clinic", "s3cret"), ledger, SimpleNamespace(banks={bank.module: bank}), options)
    needed = [sub.id for sub in bank.by_id.values() if sub.type != "case"]
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
    for i, qid in enumerate(needed):
        answer = Attempt(learner="ana", module=bank.module, question_id=qid, response="a", correct=True, score=1.0, mode="class",
                         answered_at=start + dt.timedelta(minutes=i))  # fmt: skip
        kept, new = ledger.add(answer)
        assert new
        relay.answered(kept)
    relay.assessed("ana", "final-assessment", 0.84, True, "2026-03-02T11:00:00+00:00")
    assert relay.close(timeout=60) and not relay.sender.rejected and not relay.sender.failed
    stored = ralph.stored()
    by_verb: dict[str, list[str]] = {}
    for s in stored:
        by_verb.setdefault(s["verb"]["id"].rsplit("/", 1)[1], []).append(s["object"]["id"])
    assert len(by_verb["answered"]) == len(needed)
    assert sorted(by_verb["completed"]) == [
        "https://lms.clinic.example/xapi/course",
        f"https://lms.clinic.example/xapi/modules/{bank.module}",
    ]
    assert by_verb["passed"] == ["https://lms.clinic.example/xapi/assessments/final-assessment"]
    passed = next(s for s in stored if s["verb"]["id"] == VERBS["passed"])
    assert passed["result"]["score"]["scaled"] == 0.84 and passed["result"]["success"] is True


def test_a_scored_final_assessment_reaches_a_real_lrs_as_passed_or_failed(ralph, service_factory, tmp_path):
    from test_assessment_service import Room, pool_copy

    from stemtrain.assessment.pool import load_pool

    pool = pool_copy(tmp_path)
    env = {"STEMTRAIN_LRS_URL": ralph.url, "STEMTRAIN_LRS_USER": "clinic", "STEMTRAIN_LRS_PASSWORD": "s3cret"}
    env |= {"STEMTRAIN_XAPI_ACTIVITY_BASE": "https://lms.clinic.example/xapi/", "STEMTRAIN_XAPI_HOME_PAGE": "https://lms.clinic.example"}
    room = Room(service_factory(env=env | {"STEMTRAIN_ASSESSMENT_POOL": str(pool)}), load_pool(pool))
    passed = room.sit(room.join("Ana Silva"), good=11)["result"]
    failed = room.sit(room.join("Ben"), good=6)["result"]
    room.service.kill(signal.SIGTERM)  # a clean stop sends what is still queued

    stored = ralph.stored()
    assert len(stored) == 2, stored  # the responses to the form are not answers of the course: only the two results
    by_learner = {s["actor"]["account"]["name"]: s for s in stored}
    for name, result, verb in (("Ana Silva", passed, "passed"), ("Ben", failed, "failed")):
        statement = by_learner[name]
        assert statement["verb"]["id"] == VERBS[verb]
        assert statement["object"]["id"] == "https://lms.clinic.example/xapi/assessments/fixture-final-2026"
        assert statement["result"]["score"]["scaled"] == pytest.approx(result["score"], abs=1e-4) and statement["result"]["success"] is (
            verb == "passed"
        )
        assert dt.datetime.fromisoformat(statement["timestamp"]) == dt.datetime.fromisoformat(result["submitted_at"].replace("Z", "+00:00"))
    assert by_learner["Ben"]["result"]["score"]["scaled"] == 0.5
