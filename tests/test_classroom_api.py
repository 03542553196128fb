"""The class service's API in-process (FastAPI's test client), each test against SQLite and a real PostgreSQL:
numbering and idempotency, who may read and write what, joining a room, and clear errors."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stemtrain.classroom.app import create_app
from stemtrain.classroom.config import ClassConfig
from stemtrain.classroom.server import prepare_credentials
from stemtrain.records import Attempt

MODULE = "01-back-pain-and-the-spine"


class Class:
    """A room-mode service with its instructor token and join code."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.config = ClassConfig(mode="room", data_dir=data_dir, database_url=database_url)
        self.app = create_app(self.config)
        self.ledger = self.app.state.service.ledger
        creds = prepare_credentials(self.config, self.ledger)
        self.code, self.instructor = creds.join_code, creds.instructor_token
        self.http = TestClient(self.app, raise_server_exceptions=False)

    def join(self, name: str) -> str:
        reply = self.http.post("/api/room/join", json={"code": self.code, "name": name})
        assert reply.status_code == 201, reply.text
        return str(reply.json()["token"])

    def as_(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture
def room(database_url: str, tmp_path: Path):
    made = Class(database_url, tmp_path / "data")
    yield made
    made.http.close()
    made.app.state.engine.dispose()


def body(learner: str, qid: str = "q1", **kw) -> dict:
    return {
        "learner": learner,
        "module": MODULE,
        "question_id": qid,
        "response": kw.pop("response", ["b"]),
        "correct": True,
        "score": 1.0,
        "answered_at": "2026-03-01T10:00:00+01:00",
        "event_id": kw.pop("event_id", uuid.uuid4().hex),
        **kw,
    }


def test_answers_are_numbered_by_the_service_and_kept_once_per_event(room: Class):
    ana = room.as_(room.join("Ana Silva"))
    first = body("Ana Silva", mode="class", parent_id="case-1", content_hash="abc", response={"x": [1, None, "é"]})
    made = room.http.post("/api/records/attempts", json=first, headers=ana)
    assert made.status_code == 201 and made.json()["attempt"] == 1
    again = room.http.post("/api/records/attempts", json=first, headers=ana)
    assert again.status_code == 200 and again.json() == made.json()
    second = room.http.post("/api/records/attempts", json=body("Ana Silva"), headers=ana)
    other = room.http.post("/api/records/attempts", json=body("Ana Silva", "q2"), headers=ana)
    assert (second.json()["attempt"], other.json()["attempt"]) == (2, 1)
    mine = room.http.get("/api/records/attempts", headers=ana).json()
    assert [(r["question_id"], r["attempt"]) for r in mine] == [("q1", 1), ("q1", 2), ("q2", 1)]
    kept = mine[0]
    assert kept["response"] == {"x": [1, None, "é"]} and kept["parent_id"] == "case-1" and kept["mode"] == "class"
    assert dt.datetime.fromisoformat(kept["answered_at"]) == dt.datetime(2026, 3, 1, 9, tzinfo=dt.timezone.utc)
    assert room.http.get("/api/records/attempts", params={"question_id": "q2"}, headers=ana).json()[0]["attempt"] == 1
    me = room.http.get("/api/me", headers=ana).json()
    assert me == {"role": "learner", "learner": "Ana Silva", "identity_source": "room", "verified": False, "mode": "room"}


def test_concurrent_answers_to_one_question_get_distinct_numbers(room: Class):
    room.join("ana")

    def worker() -> None:
        for i in range(15):
            room.ledger.add(Attempt(learner="ana", module=MODULE, question_id="q1", response=i, correct=False, score=0.0))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.attempt for a in room.ledger.attempts("ana")) == list(range(1, 91))


def test_a_learner_token_reaches_only_its_own_records(room: Class):
    ana, ben = room.as_(room.join("ana")), room.as_(room.join("ben"))
    assert room.http.post("/api/records/attempts", json=body("ben"), headers=ben).status_code == 201
    forbidden = [
        ("post", "/api/records/attempts", {"json": body("ben")}),
        ("get", "/api/records/attempts", {"params": {"learner": "ben"}}),
        ("get", "/api/records/profiles/ben", {}),
        ("put", "/api/records/profiles/ben", {"json": {"display_name": "Ben"}}),
        ("get", "/api/class/roster", {}),
        ("get", "/api/class/attempts", {}),
        ("post", "/api/class/learners/ben/token", {}),
    ]
    for method, path, kw in forbidden:
        reply = getattr(room.http, method)(path, headers=ana, **kw)
        assert reply.status_code == 403, (method, path, reply.text)
        assert reply.json()["detail"] and "Traceback" not in reply.text
        assert getattr(room.http, method)(path, **kw).status_code == 401, (method, path)
        assert getattr(room.http, method)(path, headers=room.as_("not-a-token"), **kw).status_code == 401
    assert "ben" not in room.http.get("/api/records/attempts", headers=ana).text
    assert room.http.get("/api/me").headers["www-authenticate"] == "Bearer"


def test_the_instructor_reads_the_class_and_writes_no_answers(room: Class):
    teacher = room.as_(room.instructor)
    for name in ("ana", "ben"):
        room.http.post("/api/records/attempts", json=body(name), headers=room.as_(room.join(name)))
    roster = room.http.get("/api/class/roster", headers=teacher).json()
    assert [(r["learner"], r["identity_source"], r["verified"], r["answers"]) for r in roster] == [
        ("ana", "room", False, 1),
        ("ben", "room", False, 1),
    ]
    everyone = room.http.get("/api/class/attempts", headers=teacher).json()
    assert sorted(r["learner"] for r in everyone) == ["ana", "ben"]
    assert [r["learner"] for r in room.http.get("/api/records/attempts", params={"learner": "ben"}, headers=teacher).json()] == ["ben"]
    assert room.http.post("/api/records/attempts", json=body("ana"), headers=teacher).status_code == 403
    assert room.http.get("/api/me", headers=teacher).json()["role"] == "instructor"


def test_joining_needs_the_code_and_a_name_no_one_has(room: Class):
    loose = room.code.lower().replace("-", " ")
    assert room.http.post("/api/room/join", json={"code": loose, "name": "ana"}).status_code == 201
    taken = room.http.post("/api/room/join", json={"code": room.code, "name": "  ana "})
    assert taken.status_code == 409 and "already joined" in taken.json()["detail"]
    wrong = room.http.post("/api/room/join", json={"code": "2222-2222", "name": "mallory"})
    assert wrong.status_code == 403 and wrong.json()["detail"].startswith("code:")
    assert set(room.code.replace("-", "")) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ") and len(room.code) == 9


def test_wrong_codes_are_slowed_down(room: Class):
    statuses = [room.http.post("/api/room/join", json={"code": "2222-2222", "name": f"m{i}"}).status_code for i in range(22)]
    assert statuses[:20] == [403] * 20 and statuses[-1] == 429
    assert room.http.post("/api/room/join", json={"code": room.code, "name": "ana"}).status_code == 429


def test_a_new_token_for_a_learner_replaces_the_old_one(room: Class):
    old = room.as_(room.join("ana"))
    reply = room.http.post("/api/class/learners/ana/token", headers=room.as_(room.instructor))
    assert reply.status_code == 200
    assert room.http.get("/api/me", headers=old).status_code == 401
    assert room.http.get("/api/me", headers=room.as_(reply.json()["token"])).json()["learner"] == "ana"
    assert room.http.post("/api/class/learners/nobody/token", headers=room.as_(room.instructor)).status_code == 404


def test_profiles_round_trip(room: Class):
    ana = room.as_(room.join("ana"))
    assert room.http.get("/api/records/profiles/ana", headers=ana).status_code == 404
    put = room.http.put("/api/records/profiles/ana", json={"display_name": "Ana Silva", "staff_id": "S-1"}, headers=ana)
    assert put.status_code == 200
    assert room.http.get("/api/records/profiles/ana", headers=ana).json()["staff_id"] == "S-1"


def test_an_event_id_cannot_be_taken_over_by_another_learner(room: Class):
    ana, ben = room.as_(room.join("ana")), room.as_(room.join("ben"))
    room.http.post("/api/records/attempts", json=body("ana", event_id="same-event"), headers=ana)
    reply = room.http.post("/api/records/attempts", json=body("ben", event_id="same-event"), headers=ben)
    assert reply.status_code == 409 and "event_id" in reply.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"score": "lots"}, "score"),
        ({"score": 2.0}, "score"),
        ({"score": -1}, "score"),
        ({"max_score": None}, "max_score"),
        ({"answered_at": "2026-03-01T10:00:00"}, "answered_at"),
        ({"answered_at": "0001-01-01T00:00:00+01:00"}, "answered_at"),
        ({"learner": "ana\x00"}, "learner"),
        ({"learner": ""}, "learner"),
        ({"module": "m" * 201}, "module"),
        ({"mode": "exam"}, "mode"),
        ({"event_id": "has space"}, "event_id"),
        ({"correct": "perhaps"}, "correct"),
        ({"colour": "red"}, "colour"),
        ({"response": {"a": "x" * 70_000}}, "response"),
    ],
)
def test_a_malformed_answer_gets_a_422_naming_the_field(room: Class, change: dict, field: str):
    ana = room.as_(room.join("ana"))
    reply = room.http.post("/api/records/attempts", json={**body("ana"), **change}, headers=ana)
    assert reply.status_code == 422, reply.text
    assert field in reply.json()["detail"] and field in {e["field"] for e in reply.json()["errors"]}
    missing = {k: v for k, v in body("ana").items() if k != "question_id"}
    assert "question_id: Field required" in room.http.post("/api/records/attempts", json=missing, headers=ana).json()["detail"]


def test_a_body_that_is_not_json_gets_a_422(room: Class):
    reply = room.http.post(
        "/api/records/attempts", content=b"{not json", headers={**room.as_(room.join("ana")), "Content-Type": "application/json"}
    )
    assert reply.status_code == 422 and "JSON" in reply.json()["detail"]


def test_failures_are_one_json_sentence_never_a_traceback(room: Class, monkeypatch: pytest.MonkeyPatch):
    from sqlalchemy.exc import OperationalError

    ana = room.as_(room.join("ana"))

    def down(*_a, **_k):
        raise OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(room.ledger, "add", down)
    reply = room.http.post("/api/records/attempts", json=body("ana"), headers=ana)
    assert reply.status_code == 503 and "not answering" in reply.json()["detail"] and reply.headers["retry-after"]

    def bug(*_a, **_k):
        raise KeyError("oops")

    monkeypatch.setattr(room.ledger, "attempts", bug)
    reply = room.http.get("/api/records/attempts", headers=ana)
    assert reply.status_code == 500 and reply.json() == {
        "detail": "the class service failed on this request (its log has the details)",
        "errors": [],
    }
    assert room.http.get("/api/nothing-here").json()["detail"] == "Not Found"


def test_hub_mode_has_nothing_to_join(tmp_path: Path):
    config = ClassConfig(mode="hub", data_dir=tmp_path, hub_api_url="http://127.0.0.1:1/hub/api", hub_api_token="x", prefix="/services/c")
    app = create_app(config)
    with TestClient(app) as http:
        assert http.get("/services/c/api/health").json()["mode"] == "hub"
        assert http.post("/services/c/api/room/join", json={"code": "AAAA-AAAA", "name": "ana"}).status_code == 404
        assert http.get("/services/c/api/openapi.json").status_code == 200
    app.state.engine.dispose()


def test_an_unknown_query_parameter_is_named_not_ignored(room: Class):
    reply = room.http.get("/api/records/attempts", params={"lerner": "ben"}, headers=room.as_(room.join("ana")))
    assert reply.status_code == 422 and reply.json()["detail"].startswith("lerner: unknown query parameter")


def test_a_query_parameter_given_twice_is_refused_not_guessed(room: Class):
    headers = room.as_(room.join("ana"))
    reply = room.http.get("/api/records/attempts?learner=ana&learner=ben", headers=headers)
    assert reply.status_code == 422 and reply.json()["detail"].startswith("learner: given more than once")
    assert room.http.get("/api/records/attempts?learner=ana", headers=headers).status_code == 200


def test_a_method_a_path_does_not_take_lists_every_method_it_does(room: Class):
    reply = room.http.delete("/api/records/attempts")
    assert reply.status_code == 405 and reply.headers["allow"] == "GET, POST"
    assert room.http.delete("/api/records/profiles/ana").headers["allow"] == "GET, PUT"


def test_tokens_can_follow_a_command_line_option():
    """One random URL-safe token in 64 starts with "-", which argparse would take for another option."""
    from stemtrain.classroom.auth import new_token

    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000 and not [t for t in tokens if t.startswith("-")]
