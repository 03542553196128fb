"""The live-session API in-process, against SQLite and a real PostgreSQL: pushing, answering once, closing,
revealing, who may do what, keys kept back until the reveal, CORS for learners' pages, and the migration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stemtrain.classroom.app import create_app
from stemtrain.classroom.config import ClassConfig
from stemtrain.classroom.server import prepare_credentials
from stemtrain.content import load_course

SINGLE = "start-investigational"
PART = "talk-own-fat-facts"  # a multiple-select part of a case


class Room:
    def __init__(self, database_url: str, data_dir: Path) -> None:
        config = ClassConfig(mode="room", data_dir=data_dir, database_url=database_url)
        self.app = create_app(config)
        creds = prepare_credentials(config, self.app.state.service.ledger)
        self.code, self.token = creds.join_code, creds.instructor_token
        self.http = TestClient(self.app, raise_server_exceptions=False)
        self.teacher = {"Authorization": f"Bearer {self.token}"}

    def join(self, name: str) -> dict[str, str]:
        reply = self.http.post("/api/room/join", json={"code": self.code, "name": name})
        assert reply.status_code == 201, reply.text
        return {"Authorization": f"Bearer {reply.json()['token']}"}


@pytest.fixture
def room(database_url: str, tmp_path: Path):
    made = Room(database_url, tmp_path / "data")
    yield made
    made.http.close()
    made.app.state.engine.dispose()


@pytest.fixture(scope="module")
def course():
    return load_course()


def _key(course, qid: str):
    bank = next(b for b in course.banks.values() if qid in b.by_id)
    return bank.key(qid)


def test_a_pushed_question_reaches_learners_without_its_key_until_the_reveal(room: Room, course):
    ana = room.join("Ana")
    assert room.http.get("/api/live/current", headers=ana).json() == {
        "session": None, "poll": None, "your_answer": None, "results": None, "reveal": None, "version": "none"
    }  # fmt: skip
    assert room.http.post("/api/live/sessions", headers=room.teacher).status_code == 201
    assert room.http.post("/api/live/sessions", headers=room.teacher).status_code == 200  # the one under way
    pushed = room.http.post("/api/live/polls", json={"question_id": SINGLE}, headers=room.teacher)
    assert pushed.status_code == 201, pushed.text
    seen = room.http.get("/api/live/current", headers=ana)
    page = seen.json()
    assert page["poll"]["question"]["question_id"] == SINGLE and page["poll"]["state"] == "open"
    assert page["results"] is None and page["reveal"] is None
    key = _key(course, SINGLE)
    text = seen.text
    assert '"correct"' not in text and key.explanation[:40] not in text
    poll = page["poll"]["id"]
    assert room.http.post(f"/api/live/polls/{poll}/reveal", headers=room.teacher).json()["state"] == "revealed"
    after = room.http.get("/api/live/current", headers=ana).json()
    assert after["reveal"]["correct"] == [key.answer] and after["reveal"]["your_answer_correct"] is None
    assert after["reveal"]["explanation"] and after["results"]["answered"] == 0


def test_each_learner_is_counted_once_and_no_names_are_shown(room: Room):
    learners = [room.join(f"Learner {i}") for i in range(6)]
    room.http.post("/api/live/sessions", headers=room.teacher)
    poll = room.http.post("/api/live/polls", json={"question_id": PART}, headers=room.teacher).json()
    assert poll["question"]["context"]  # the case's vignette comes with its part
    ids = [o["id"] for o in poll["question"]["options"]]
    for i, who in enumerate(learners):
        first = room.http.post(f"/api/live/polls/{poll['id']}/answers", json={"response": [ids[i % 2]]}, headers=who)
        assert first.status_code == 201, first.text
        again = room.http.post(f"/api/live/polls/{poll['id']}/answers", json={"response": [ids[2]]}, headers=who)
        assert again.status_code == 200 and again.json()["response"] == [ids[i % 2]]  # the first answer is kept
    seen = room.http.get("/api/live/current", headers=room.teacher)
    counts = {o["id"]: o["count"] for o in seen.json()["results"]["options"]}
    assert seen.json()["results"]["answered"] == 6 and seen.json()["results"]["learners"] == 6
    assert counts[ids[0]] == 3 and counts[ids[1]] == 3 and counts[ids[2]] == 0
    assert "Learner" not in seen.text
    assert room.http.get("/api/live/current", headers=learners[0]).json()["your_answer"] == [ids[0]]


def test_closing_stops_answers_and_pushing_again_replaces_the_question(room: Room):
    ana, ben = room.join("Ana"), room.join("Ben")
    room.http.post("/api/live/sessions", headers=room.teacher)
    poll = room.http.post("/api/live/polls", json={"question_id": "start-ryoncil-indication"}, headers=room.teacher).json()["id"]
    assert room.http.post(f"/api/live/polls/{poll}/answers", json={"response": False}, headers=ana).status_code == 201
    assert room.http.post(f"/api/live/polls/{poll}/close", headers=room.teacher).json()["state"] == "closed"
    late = room.http.post(f"/api/live/polls/{poll}/answers", json={"response": True}, headers=ben)
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    nxt = room.http.post("/api/live/polls", json={"question_id": SINGLE}, headers=room.teacher).json()["id"]
    assert room.http.get("/api/live/current", headers=ben).json()["poll"]["id"] == nxt
    assert room.http.delete("/api/live/sessions/current", headers=room.teacher).status_code == 200
    assert room.http.get("/api/live/current", headers=ben).json()["poll"] is None
    assert room.http.post("/api/live/polls", json={"question_id": SINGLE}, headers=room.teacher).status_code == 409


def test_only_the_instructor_runs_the_session_and_learners_answer_only_as_themselves(room: Room):
    ana = room.join("Ana")
    assert room.http.post("/api/live/sessions", headers=ana).status_code == 403
    room.http.post("/api/live/sessions", headers=room.teacher)
    poll = room.http.post("/api/live/polls", json={"question_id": SINGLE}, headers=room.teacher).json()["id"]
    for method, path in (
        ("post", f"/api/live/polls/{poll}/reveal"),
        ("post", f"/api/live/polls/{poll}/close"),
        ("post", "/api/live/polls"),
    ):
        assert getattr(room.http, method)(path, json={"question_id": SINGLE}, headers=ana).status_code == 403
    assert room.http.get(f"/api/live/polls/{poll}/results", headers=ana).status_code == 403
    assert room.http.post(f"/api/live/polls/{poll}/answers", json={"response": "a"}, headers=room.teacher).status_code == 403
    assert room.http.get("/api/live/current").status_code == 401


def test_bad_questions_and_responses_are_named(room: Room):
    ana = room.join("Ana")
    room.http.post("/api/live/sessions", headers=room.teacher)
    nope = room.http.post("/api/live/polls", json={"question_id": "no-such"}, headers=room.teacher)
    assert nope.status_code == 422 and "no question 'no-such'" in nope.json()["detail"]
    ordering = room.http.post("/api/live/polls", json={"question_id": "start-evidence-strength"}, headers=room.teacher)
    assert ordering.status_code == 422 and "ordering question" in ordering.json()["detail"]
    poll = room.http.post("/api/live/polls", json={"question_id": SINGLE}, headers=room.teacher).json()["id"]
    bad = room.http.post(f"/api/live/polls/{poll}/answers", json={"response": "zz"}, headers=ana)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("response: must be one option id")
    assert room.http.post("/api/live/polls/999/answers", json={"response": "a"}, headers=ana).status_code == 404


def test_learner_pages_on_another_origin_may_call_with_their_token(room: Room):
    pre = room.http.options(
        "/api/live/current",
        headers={
            "Origin": "http://127.0.0.1:8888",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert pre.status_code == 200 and "authorization" in pre.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in pre.headers  # no cookies: the token travels in the header only


def test_the_migration_adds_live_tables_to_a_class_from_before(tmp_path: Path):
    from alembic import command
    from sqlalchemy import inspect, text

    from stemtrain.classroom.db import _alembic_config, open_engine, upgrade

    engine = open_engine(f"sqlite:///{tmp_path / 'class.sqlite3'}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('kept', :v)"), {"v": json.dumps("yes")})
    assert upgrade(engine) == "0003"  # the head revision: live tables (0002) and then the assessment's (0003)
    with engine.connect() as conn:
        assert {"live_sessions", "live_polls", "live_answers"} <= set(inspect(conn).get_table_names())
        assert conn.execute(text("SELECT value FROM settings WHERE key = 'kept'")).scalar() == '"yes"'
    engine.dispose()
