"""The final assessment in a class: the real class service (a process on a free loopback port, SQLite and a real
PostgreSQL), learners' tokens, the instructor's token, a certificate checked by ``stemtrain certificate verify`` in a
process of its own, revocation and the verification page. The deadline by the service's clock is tested in-process
(``create_app(clock=...)`` over the real app and database), since only there can the clock be moved.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from assessment_support import right, wrong
from classroom_support import ROOT, ServiceProcess, child_env

from stemtrain.assessment.attempt import AssessmentError
from stemtrain.assessment.client import ServiceExaminer
from stemtrain.assessment.pool import Pool, load_pool
from stemtrain.assessment.status import assessment_status, printable_name
from stemtrain.certificate.textlayer import format_date
from stemtrain.records import ServiceStore

FIXTURE = Path(__file__).parent / "data" / "assessment"
SECRET_KEYS = {"answer", "answers", "feedback", "explanation", "correct", "key", "keys", "item_scores", "seed"}
ITEM_KEYS = {"id", "module", "objective", "type", "prompt", "options"}
HOSTILE = ("<script>alert(1)</script> \u202eمريم العلي\u202c שרה 🧑‍⚕️🎉 " * 8)[:200]  # the longest name a class takes


# --- helpers --------------------------------------------------------------------------------------------
def call(method: str, url: str, token: str | None = None, body: Any = None) -> tuple[int, Any, dict[str, str]]:
    """(status, decoded body, headers) of one request; never raises for an HTTP status."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            raw, status, headers = reply.read(), reply.status, dict(reply.headers)
    except urllib.error.HTTPError as exc:
        raw, status, headers = exc.read(), exc.code, dict(exc.headers)
    kind = headers.get("content-type", "")
    return status, json.loads(raw) if "json" in kind and raw else raw, headers


def pool_copy(tmp_path: Path) -> Path:
    target = tmp_path / "assessment-files"
    if not target.exists():
        shutil.copytree(FIXTURE, target)
    return target / "pool"


def keys_in(value: Any) -> set[str]:
    """Every key of every object anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def assert_public(form: dict[str, Any], pool: Pool) -> None:
    """A form as a learner gets it: public parts only, nothing that tells the key."""
    assert not keys_in(form) & SECRET_KEYS, keys_in(form) & SECRET_KEYS
    text = json.dumps(form, ensure_ascii=False)
    for item in form["items"]:
        assert set(item) == ITEM_KEYS
        assert all(set(o) == {"id", "text"} for o in item["options"])  # no option is marked as the answer
        key = pool.key(item["id"])
        assert key.explanation not in text
        for _choice, note in key.feedback:
            assert note not in text


class Room:
    """A running class service with the assessment set up, its instructor token, and learners who joined."""

    def __init__(self, service: ServiceProcess, pool: Pool) -> None:
        self.service, self.pool = service, pool
        self.url = service.url
        self.instructor = service.state["instructor_token"]

    def join(self, name: str) -> str:
        status, data, _ = call("POST", self.url + "api/room/join", body={"code": self.service.state["join_code"], "name": name})
        assert status == 201, data
        return str(data["token"])

    def api(self, method: str, path: str, token: str | None, body: Any = None) -> tuple[int, Any]:
        status, data, _ = call(method, self.url + path, token, body)
        return status, data

    def sit(self, token: str, good: int) -> dict[str, Any]:
        """Start an attempt, answer ``good`` items right and the rest wrong, submit it; the submitted form."""
        status, form = self.api("POST", "api/assessment/attempts", token, {})
        assert status == 201, form
        for n, item in enumerate(form["items"]):
            response = right(self.pool, item["id"]) if n < good else wrong(self.pool, item["id"])
            assert self.api("PUT", f"api/assessment/attempts/{form['id']}/responses/{item['id']}", token, {"response": response})[0] == 200
        status, done = self.api("POST", f"api/assessment/attempts/{form['id']}/submit", token, {})
        assert status == 200, done
        return dict(done)


@pytest.fixture
def room(service_factory, database_url: str, tmp_path: Path) -> Room:
    pool = pool_copy(tmp_path)
    service = service_factory(database_url if database_url.startswith("postgresql") else "", env={"STEMTRAIN_ASSESSMENT_POOL": str(pool)})
    return Room(service, load_pool(pool))


# --- the real service process ---------------------------------------------------------------------------
def test_a_learner_gets_only_public_parts_and_loses_nothing_when_the_service_is_killed(room: Room, tmp_path: Path):
    ana = room.join("ana")
    status, overview = room.api("GET", "api/assessment", ana)
    assert status == 200 and overview["mode"] == "class" and overview["attempts_used"] == 0
    assert overview["blueprint"] == {
        "id": "fixture-final-2026",
        "title": "Final assessment",
        "questions": 12,
        "pass_mark": 0.8,
        "max_attempts": 3,
        "time_limit_minutes": 45,
    }
    status, form = room.api("POST", "api/assessment/attempts", ana, {})
    assert status == 201 and form["number"] == 1 and form["mode"] == "class" and len(form["items"]) == 12
    assert_public(form, room.pool)
    assert form["deadline"] is not None and form["result"] is None
    attempt, items = form["id"], [i["id"] for i in form["items"]]

    for n, qid in enumerate(items):  # autosave: each response as it is given; the last one wrong
        response = right(room.pool, qid) if n < 11 else wrong(room.pool, qid)
        status, saved = room.api("PUT", f"api/assessment/attempts/{attempt}/responses/{qid}", ana, {"response": response})
        assert status == 200 and saved["question_id"] == qid and saved["saved_at"]
    status, bad = room.api("PUT", f"api/assessment/attempts/{attempt}/responses/{items[0]}", ana, {"response": {"x": 1}})
    assert status == 422 and bad["errors"][0]["field"] == "response"
    off_form = next(q for q in room.pool.ids if q not in items)
    status, bad = room.api("PUT", f"api/assessment/attempts/{attempt}/responses/{off_form}", ana, {"response": True})
    assert status == 404 and bad["errors"][0]["field"] == "question_id" and off_form in bad["detail"]

    room.service.kill(signal.SIGKILL)  # the service dies; the learner's tab is closed too
    room.service.start()

    store = ServiceStore(room.url, token=ana, outbox=tmp_path / "ana.outbox")
    examiner = ServiceExaminer(store)
    resumed = examiner.start()  # the page opens again: the same attempt, every response still there
    assert resumed.id == attempt and [i.id for i in resumed.items] == items
    assert dict(resumed.responses) == {q: right(room.pool, q) if n < 11 else wrong(room.pool, q) for n, q in enumerate(items)}
    status, again = room.api("POST", "api/assessment/attempts", ana, {})
    assert status == 200 and again["id"] == attempt and again["items"] == form["items"]  # same items, same option order

    done = examiner.submit(attempt)
    assert done.result is not None and done.result.passed and done.result.score_permille == 917 and done.result.mode == "class"
    objectives = {(o.module, o.objective): (o.score, o.possible) for o in done.result.objectives}
    assert len(objectives) == 7 and sum(p for _, p in objectives.values()) == 12 and sum(s for s, _ in objectives.values()) == 11
    assert done.result.certificate_code and done.result.answered == 12
    status, twice = room.api("POST", f"api/assessment/attempts/{attempt}/submit", ana, {})
    assert status == 409 and twice["errors"][0]["field"] == "attempt" and "submitted once" in twice["detail"]
    with pytest.raises(AssessmentError) as closed:
        examiner.save(attempt, items[0], right(room.pool, items[0]))
    assert closed.value.kind == "closed"
    status, result = room.api("GET", f"api/assessment/attempts/{attempt}/result", ana)
    assert status == 200 and result["revisit"] == [room.pool.module_of(items[11])]  # the one wrong answer's objective is not met
    status, submitted = room.api("GET", f"api/assessment/attempts/{attempt}", ana)
    assert_public(submitted, room.pool)  # not even after submitting: the items may come back on another learner's form
    assert examiner.certificate(attempt).startswith(b"%PDF-")
    row = assessment_status(store, "ana")  # the course map's row, from the service's list of the learner's attempts
    assert (row.answered, row.total, row.text, row.done) == (12, 12, "91.7 %, passed", True)
    overview = examiner.overview()
    assert overview.passed and overview.attempts_left == 2 and overview.last_attempt == attempt and overview.in_progress is None
    with pytest.raises(AssessmentError) as refused:
        examiner.start()
    assert refused.value.kind == "refused" and refused.value.field == "attempts"
    store.close()


def test_learners_reach_only_their_own_attempts_and_the_instructor_sees_item_scores(room: Room, tmp_path: Path):
    ana, ben = room.join("ana"), room.join("ben")
    status, form = room.api("POST", "api/assessment/attempts", ana, {})
    attempt, qid = form["id"], form["items"][0]["id"]
    assert room.api("PUT", f"api/assessment/attempts/{attempt}/responses/{qid}", ana, {"response": right(room.pool, qid)})[0] == 200
    for method, path, body in (
        ("GET", f"api/assessment/attempts/{attempt}", None),
        ("PUT", f"api/assessment/attempts/{attempt}/responses/{qid}", {"response": wrong(room.pool, qid)}),
        ("POST", f"api/assessment/attempts/{attempt}/submit", {}),
        ("GET", f"api/assessment/attempts/{attempt}/result", None),
        ("GET", f"api/assessment/attempts/{attempt}/certificate", None),
    ):
        status, data = room.api(method, path, ben, body)
        assert status == 404 and "no attempt" in data["detail"], (method, path, data)
        assert room.api(method, path, None, body)[0] == 401
    assert room.api("GET", "api/assessment/attempts?learner=ana", ben)[0] == 403
    assert room.api("POST", "api/assessment/attempts", room.instructor, {})[0] == 403  # the instructor does not sit it
    status, mine = room.api("GET", f"api/assessment/attempts/{attempt}", ana)
    assert status == 200 and mine["responses"] == {qid: right(room.pool, qid)} and mine["result"] is None  # untouched by ben

    room.api("POST", f"api/assessment/attempts/{attempt}/submit", ana, {})
    stores = [ServiceStore(room.url, token=token, outbox=tmp_path / f"{n}.outbox") for n, token in enumerate((ana, ben))]
    with pytest.raises(AssessmentError) as no_certificate:
        ServiceExaminer(stores[0]).certificate(attempt)  # a failed attempt has none
    assert no_certificate.value.kind == "refused" and "only for a passed attempt" in str(no_certificate.value)
    with pytest.raises(AssessmentError) as not_mine:
        ServiceExaminer(stores[1]).form(attempt)
    assert not_mine.value.kind == "invalid" and not_mine.value.field == "attempt"
    for store in stores:
        store.close()
    room.sit(ben, good=6)
    status, everyone = room.api("GET", "api/assessment/attempts", room.instructor)
    assert status == 200 and [(a["learner"], a["number"], a["passed"]) for a in everyone] == [("ana", 1, False), ("ben", 1, False)]
    for record in everyone:
        assert set(record["item_scores"]) == set(record["form"])
        assert sum(record["item_scores"].values()) == pytest.approx(record["total"] * len(record["form"]), abs=1e-4)
    assert sorted(everyone[1]["item_scores"].values()) == [0.0] * 6 + [1.0] * 6
    status, only_ben = room.api("GET", "api/assessment/attempts?learner=ben", room.instructor)
    assert [a["learner"] for a in only_ben] == ["ben"]
    status, own = room.api("GET", "api/assessment/attempts", ben)
    assert status == 200 and [a["learner"] for a in own] == ["ben"] and own[0]["item_scores"] is None and "seed" not in own[0]


def test_a_pass_gives_a_certificate_that_verifies_offline_and_its_revocation_shows(room: Room, tmp_path: Path):
    ana = room.join("ana")
    status, _ = room.api("PUT", "api/records/profiles/ana", ana, {"display_name": HOSTILE})
    assert status == 200
    done = room.sit(ana, good=12)
    code, attempt = done["result"]["certificate_code"], done["id"]
    assert done["result"]["passed"] and code

    status, pdf, headers = call("GET", room.url + f"api/assessment/attempts/{attempt}/certificate", ana)
    assert status == 200 and headers["content-type"] == "application/pdf" and pdf.startswith(b"%PDF-")
    assert code in headers["content-disposition"]
    status, pem, _ = call("GET", room.url + "api/certificates/public-key")
    assert status == 200 and pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    (tmp_path / "class-key.pem").write_bytes(pem)
    verify = [sys.executable, "-m", "stemtrain", "certificate", "verify", str(tmp_path / "certificate.pdf"), "--key"]
    checked = subprocess.run(
        [*verify, str(tmp_path / "class-key.pem")], cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stderr
    name = printable_name(HOSTILE, "ana")
    submitted = dt.datetime.fromisoformat(done["result"]["submitted_at"].replace("Z", "+00:00"))
    assert f"Genuine certificate {code}" in checked.stdout and f"Learner:  {name}" in checked.stdout
    assert f"Issued:   {format_date(submitted)}" in checked.stdout and "Score:    100.0 % (passed)" in checked.stdout
    assert "Mode:     class (supervised)" in checked.stdout
    other = tmp_path / "other.pem"
    subprocess.run([sys.executable, "-m", "stemtrain", "certificate", "keygen", str(tmp_path / "o.key"), "--public", str(other)],
                   cwd=ROOT, env=child_env(), check=True, capture_output=True, timeout=120)  # fmt: skip
    forged = subprocess.run([*verify, str(other)], cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=120)
    assert forged.returncode == 1 and "NOT GENUINE" in forged.stderr

    status, check = room.api("GET", f"api/certificates/{code}", None)
    assert status == 200 and check["revoked"] is False and check["learner"] == name and check["mode"] == "class"
    assert check["score_permille"] == 1000
    assert room.api("POST", f"api/certificates/{code}/revoke", ana, {"reason": "mine"})[0] == 403
    assert room.api("POST", f"api/certificates/{code}/revoke", None, {"reason": "x"})[0] == 401
    reason = "Answers were shared <b>during</b> the session"
    status, revoked = room.api("POST", f"api/certificates/{code}/revoke", room.instructor, {"reason": reason})
    assert status == 200 and revoked["revoked"] is True and revoked["reason"] == reason
    status, check = room.api("GET", f"api/certificates/{code.lower().replace('-', '%20')}", None)  # typed loosely, no token
    assert status == 200 and check["revoked"] is True and check["reason"] == reason and check["revoked_at"]
    status, again = room.api("POST", f"api/certificates/{code}/revoke", room.instructor, {"reason": "another reason"})
    assert again["reason"] == reason and again["revoked_at"] == check["revoked_at"]  # the first revocation stands
    status, refused = room.api("GET", f"api/assessment/attempts/{attempt}/certificate", ana)
    assert status == 409 and "revoked" in refused["detail"]

    status, page, headers = call("GET", room.url + f"verify?code={code}")
    text = page.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "<script>" not in text and "<b>during</b>" not in text
    assert html.escape(name) in text and html.escape(reason) in text and "Revoked" in text
    assert f'<bdi dir="auto">{html.escape(name)}</bdi>' in text and "مريم العلي" in text and "🧑‍⚕️🎉" in text
    assert "\u202e" not in text


def test_pages_starting_and_submitting_at_once_get_one_attempt_one_result_one_certificate(room: Room):
    from concurrent.futures import ThreadPoolExecutor

    ana = room.join("ana")
    with ThreadPoolExecutor(8) as pool:
        starts = list(pool.map(lambda _: room.api("POST", "api/assessment/attempts", ana, {}), range(8)))
    assert sorted(status for status, _ in starts) == [200] * 7 + [201]  # one attempt started; the other pages resume it
    assert len({form["id"] for _, form in starts}) == 1
    form = starts[0][1]
    items = [i["id"] for i in form["items"]]

    def save(qid: str) -> int:
        return room.api("PUT", f"api/assessment/attempts/{form['id']}/responses/{qid}", ana, {"response": right(room.pool, qid)})[0]

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(save, items)) == [200] * 12
        submits = list(pool.map(lambda _: room.api("POST", f"api/assessment/attempts/{form['id']}/submit", ana, {}), range(6)))
    assert sorted(status for status, _ in submits) == [200] + [409] * 5
    result = next(body for status, body in submits if status == 200)["result"]
    assert result["passed"] and result["answered"] == 12
    status, issued = room.api("GET", "api/certificates", room.instructor)
    assert status == 200 and [c["code"] for c in issued] == [result["certificate_code"]]
    status, kept = room.api("GET", "api/assessment/attempts", room.instructor)
    assert [(a["number"], a["total"], len(a["responses"])) for a in kept] == [(1, 1.0, 12)]


# --- in-process: the service's own clock --------------------------------------------------------------
class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


class InProcess:
    """``create_app`` over a real database (SQLite file or PostgreSQL) with a clock the test moves."""

    def __init__(self, database_url: str, data_dir: Path, clock: Clock, course: Any = None) -> None:
        from fastapi.testclient import TestClient

        from stemtrain.classroom.app import create_app
        from stemtrain.classroom.config import ClassConfig
        from stemtrain.classroom.server import prepare_credentials

        shutil.copytree(FIXTURE, data_dir / "assessment")  # the service's data folder holds the blueprint and the pool
        self.config = ClassConfig(mode="room", data_dir=data_dir, database_url=database_url)
        self.app = create_app(self.config, clock=clock, course=course)
        self.desk = self.app.state.service.assessment
        credentials = prepare_credentials(self.config, self.app.state.service.ledger)
        self.code, self.instructor = credentials.join_code, credentials.instructor_token
        self.http = TestClient(self.app, raise_server_exceptions=False)
        self.pool = load_pool(data_dir / "assessment" / "pool")

    def join(self, name: str) -> dict[str, str]:
        reply = self.http.post("/api/room/join", json={"code": self.code, "name": name})
        assert reply.status_code == 201, reply.text
        return {"Authorization": f"Bearer {reply.json()['token']}"}

    def close(self) -> None:
        self.http.close()
        self.app.state.engine.dispose()


@pytest.fixture
def inprocess(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("STEMTRAIN_ASSESSMENT_POOL", raising=False)
    monkeypatch.delenv("STEMTRAIN_LRS_URL", raising=False)
    made: list[InProcess] = []

    def make(clock: Clock, course: Any = None) -> InProcess:
        made.append(InProcess(database_url, tmp_path / f"data-{len(made)}", clock, course))
        return made[-1]

    yield make
    for one in made:
        one.close()


def test_the_service_clock_decides_the_deadline(inprocess):
    clinic = dt.timezone(dt.timedelta(hours=2))  # the service's clock in another zone: the same instants
    clock = Clock(dt.datetime(2026, 3, 2, 11, 0, tzinfo=clinic))
    service = inprocess(clock)
    ana = service.join("ana")
    form = service.http.post("/api/assessment/attempts", headers=ana).json()
    deadline = dt.datetime.fromisoformat(form["deadline"].replace("Z", "+00:00"))
    assert deadline == dt.datetime(2026, 3, 2, 9, 45, tzinfo=dt.timezone.utc)
    assert dt.datetime.fromisoformat(form["now"].replace("Z", "+00:00")) == clock.now
    items = [i["id"] for i in form["items"]]
    for qid in items[:10]:
        saved = service.http.put(
            f"/api/assessment/attempts/{form['id']}/responses/{qid}", headers=ana, json={"response": right(service.pool, qid)}
        )
        assert saved.status_code == 200

    clock.now += dt.timedelta(minutes=44, seconds=59)
    last = items[10]
    in_time = service.http.put(
        f"/api/assessment/attempts/{form['id']}/responses/{last}", headers=ana, json={"response": right(service.pool, last)}
    )
    assert in_time.status_code == 200
    assert service.http.get(f"/api/assessment/attempts/{form['id']}", headers=ana).json()["result"] is None
    assert not service.desk.store.save_assessment_response(form["id"], items[11], True, deadline)  # the store checks again
    clock.now += dt.timedelta(seconds=1)  # exactly the deadline
    late = service.http.put(
        f"/api/assessment/attempts/{form['id']}/responses/{items[11]}", headers=ana, json={"response": right(service.pool, items[11])}
    )
    assert late.status_code == 409 and late.json()["errors"][0]["field"] == "deadline"
    assert "the time limit ended at 09:45:00 UTC on 02 March 2026" in late.json()["detail"]

    kept = service.http.get(f"/api/assessment/attempts/{form['id']}", headers=ana).json()
    result = kept["result"]
    assert result["auto_submitted"] is True and items[11] not in kept["responses"] and result["answered"] == 11
    assert dt.datetime.fromisoformat(result["submitted_at"].replace("Z", "+00:00")) == deadline
    assert result["score_permille"] == 917 and result["passed"] and result["certificate_code"]
    twice = service.http.post(f"/api/assessment/attempts/{form['id']}/submit", headers=ana)
    assert twice.status_code == 409 and "submitted once" in twice.json()["detail"]
    (record,) = service.http.get("/api/assessment/attempts", headers={"Authorization": f"Bearer {service.instructor}"}).json()
    assert record["auto_submitted"] and dt.datetime.fromisoformat(record["started_at"].replace("Z", "+00:00")) == deadline - dt.timedelta(
        minutes=45
    )


def test_an_attempt_left_open_is_submitted_at_its_deadline_when_next_seen(inprocess):
    clock = Clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc))
    service = inprocess(clock)
    ana = service.join("ana")
    form = service.http.post("/api/assessment/attempts", headers=ana).json()
    qid = form["items"][0]["id"]
    service.http.put(f"/api/assessment/attempts/{form['id']}/responses/{qid}", headers=ana, json={"response": right(service.pool, qid)})
    clock.now += dt.timedelta(days=1)
    teacher = {"Authorization": f"Bearer {service.instructor}"}
    for headers in (teacher, ana):  # no list shows it under way after its deadline
        (listed,) = service.http.get("/api/assessment/attempts", headers=headers).json()
        assert listed["submitted_at"].startswith("2026-03-02T09:45:00") and listed["auto_submitted"] and listed["passed"] is False
    overview = service.http.get("/api/assessment", headers=ana).json()
    assert overview["in_progress"] is None and overview["attempts_used"] == 1 and overview["last_attempt"] == form["id"]
    assert overview["last_result"]["auto_submitted"] and overview["last_result"]["answered"] == 1
    assert not overview["last_result"]["passed"] and overview["last_result"]["submitted_at"].startswith("2026-03-02T09:45:00")
    second = service.http.post("/api/assessment/attempts", headers=ana)
    assert second.status_code == 201 and second.json()["number"] == 2 and second.json()["items"] != form["items"]


def test_the_verify_page_shows_any_name_as_text(inprocess):
    service = inprocess(Clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)))
    teacher = {"Authorization": f"Bearer {service.instructor}"}
    ana = service.join("ana")
    too_long = service.http.put("/api/records/profiles/ana", headers=ana, json={"display_name": "x" * 300})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "display_name"  # a class takes 200
    form = service.http.post("/api/assessment/attempts", headers=ana).json()
    for item in form["items"]:
        service.http.put(
            f"/api/assessment/attempts/{form['id']}/responses/{item['id']}", headers=ana, json={"response": right(service.pool, item["id"])}
        )
    service.http.post(f"/api/assessment/attempts/{form['id']}/submit", headers=ana)
    ben = service.join("ben")
    failed = service.http.post("/api/assessment/attempts", headers=ben).json()
    service.http.post(f"/api/assessment/attempts/{failed['id']}/submit", headers=ben)

    # The longest name a certificate holds (300 characters, from a hub's or a sign-in's name), kept the way the service keeps one.
    name = ("<script>alert(1)</script> " + "שרה כהן مريم 🧑‍⚕️ " * 30)[:299] + "✓"
    assert len(name) == 300
    claims = service.desk.issuer.claims(
        learner=name, score_permille=900, issued_at=clock_time(), modules=(), content="test", course="A course"
    )
    kept = service.desk.store.add_certificate(
        claims.code, failed["id"], learner="ben", claims=claims.canonical_bytes(), signature=service.desk.issuer.sign(claims),
        issued_at=claims.issued_at,
    )  # fmt: skip
    assert kept
    for reply in (
        service.http.get("/verify", params={"code": claims.code}),
        service.http.post("/verify", content=f"code={claims.code}", headers={"Content-Type": "application/x-www-form-urlencoded"}),
    ):
        assert reply.status_code == 200
        assert "default-src 'none'" in reply.headers["content-security-policy"] and reply.headers["x-content-type-options"] == "nosniff"
        assert "<script>" not in reply.text and f'<bdi dir="auto">{html.escape(name)}</bdi>' in reply.text
        assert "Valid" in reply.text and "90.0 %" in reply.text
    assert service.http.get(f"/api/certificates/{claims.code}").json()["learner"] == name
    hostile_code = service.http.get("/verify", params={"code": "<img src=x onerror=alert(1)>"})
    assert hostile_code.status_code == 200 and "<img" not in hostile_code.text and "&lt;img" in hostile_code.text
    mistyped = claims.code[:-1] + ("A" if claims.code[-1] != "A" else "B")
    assert "Not found" in service.http.get("/verify", params={"code": mistyped}).text
    assert service.http.get(f"/api/certificates/{mistyped}").status_code == 422
    listed = service.http.get("/api/certificates", headers=teacher).json()
    assert (
        sorted(c["learner"] for c in listed) == sorted([name, "ana"])
        and service.http.get("/api/certificates", headers=ana).status_code == 403
    )


def clock_time() -> dt.datetime:
    return dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone.utc)


def test_a_certificate_that_could_not_be_issued_at_once_is_issued_on_download(inprocess):
    from stemtrain.content import load_course

    class Flaky:
        """The course, unreadable once (a moment when its files could not be read)."""

        def __init__(self) -> None:
            self.real, self.failures = load_course(), 0

        @property
        def banks(self) -> Any:
            if self.failures:
                self.failures -= 1
                raise OSError("the course files could not be read just now")
            return self.real.banks

        def __getattr__(self, name: str) -> Any:
            return getattr(self.real, name)

    course = Flaky()
    service = inprocess(Clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)), course)
    ana = service.join("ana")
    form = service.http.post("/api/assessment/attempts", headers=ana).json()
    for item in form["items"]:
        service.http.put(
            f"/api/assessment/attempts/{form['id']}/responses/{item['id']}", headers=ana, json={"response": right(service.pool, item["id"])}
        )
    course.failures = 1
    done = service.http.post(f"/api/assessment/attempts/{form['id']}/submit", headers=ana)
    assert done.status_code == 200 and done.json()["result"]["passed"] and done.json()["result"]["certificate_code"] is None
    pdf = service.http.get(f"/api/assessment/attempts/{form['id']}/certificate", headers=ana)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    code = service.http.get(f"/api/assessment/attempts/{form['id']}", headers=ana).json()["result"]["certificate_code"]
    assert code and code in pdf.headers["content-disposition"]
    assert service.http.get(f"/api/assessment/attempts/{form['id']}/certificate", headers=ana).content == pdf.content  # issued once


def test_without_a_pool_the_assessment_answers_503_and_the_rest_works(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from fastapi.testclient import TestClient

    from stemtrain.classroom.app import create_app
    from stemtrain.classroom.config import ClassConfig
    from stemtrain.classroom.server import prepare_credentials

    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE, broken)
    (broken / "blueprint.yaml").write_text((broken / "blueprint.yaml").read_text().replace("questions: 12", "questions: 99"))
    monkeypatch.setenv("STEMTRAIN_ASSESSMENT_POOL", str(broken / "pool"))
    config = ClassConfig(mode="room", data_dir=tmp_path / "data", database_url=database_url)
    app = create_app(config)
    credentials = prepare_credentials(config, app.state.service.ledger)
    with TestClient(app, raise_server_exceptions=False) as http:
        token = http.post("/api/room/join", json={"code": credentials.join_code, "name": "ana"}).json()["token"]
        reply = http.get("/api/assessment", headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 503 and reply.headers["retry-after"] == "60"
        assert "its files have problems" in reply.json()["detail"] and "questions: is 99" in reply.json()["detail"]
        assert "Final assessment: the final assessment is not set up" in app.state.service.assessment.describe()
        assert http.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        examiner = ServiceExaminer(_TestStore(http, token))
        with pytest.raises(AssessmentError) as missing:
            examiner.overview()
        assert missing.value.kind == "missing"
    app.state.engine.dispose()


class _TestStore:
    """The two calls ``ServiceExaminer`` makes of a learner's store, over the test client."""

    def __init__(self, http: Any, token: str) -> None:
        self.http, self.token = http, token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        reply = self.http.request(method, "/" + path, json=body, headers={"Authorization": f"Bearer {self.token}"})
        return reply.status_code, reply.json()
