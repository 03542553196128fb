"""The final assessment's tables arrive by migration: a class database at 0002 (SQLite and PostgreSQL) and a learner's
progress file at version 3 upgrade in place, keeping what they held; 0003 also goes back down cleanly."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy import inspect, text

from stemtrain.classroom.db import _alembic_config, open_engine, upgrade
from stemtrain.classroom.ledger import Ledger
from stemtrain.records import Attempt, SQLiteStore
from stemtrain.records.assessment import AssessmentRecord, SQLiteAttempts
from stemtrain.records.migrations import APPLICATION_ID, LATEST, MIGRATIONS, statements

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def _record(learner: str) -> AssessmentRecord:
    return AssessmentRecord(
        learner=learner,
        blueprint_id="b",
        number=1,
        seed="s",
        form=("fa-1", "fa-2"),
        started_at=T0,
        deadline=T0 + dt.timedelta(minutes=45),
        mode="class",
    )


def test_a_class_database_at_0002_gains_the_assessment_tables_and_keeps_its_answers(database_url: str):
    from alembic import command

    from stemtrain.classroom.assessmentstore import ClassAttempts

    engine = open_engine(database_url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")
    ledger = Ledger(engine)
    ledger.ensure_learner("ana", source="room", verified=False)
    ledger.add(Attempt(learner="ana", module="01-x", question_id="q1", response="a", correct=True, score=1.0, mode="class"))
    assert "assessment_attempts" not in inspect(engine).get_table_names()

    assert upgrade(engine) == "0003"
    assert {"assessment_attempts", "certificates"} <= set(inspect(engine).get_table_names())
    assert [(a.learner, a.question_id) for a in ledger.attempts()] == [("ana", "q1")]
    store = ClassAttempts(ledger)
    kept = store.add_assessment_attempt(_record("ana"))
    assert store.save_assessment_response(kept.id, "fa-1", ["x", "y"], T0 + dt.timedelta(minutes=1))
    again = store.assessment_attempt(kept.id)
    assert again is not None and again.responses == {"fa-1": ["x", "y"]} and again.deadline == T0 + dt.timedelta(minutes=45)
    assert upgrade(engine) == "0003"  # a current database is left alone

    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0002")
    assert not {"assessment_attempts", "certificates"} & set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    assert len(ledger.attempts()) == 1
    engine.dispose()


def test_a_progress_file_at_version_3_is_upgraded_in_place(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    with sqlite3.connect(path) as db:  # the layout the release before the final assessment wrote
        for number, sql in MIGRATIONS:
            if number <= 3:
                for statement in statements(sql):
                    db.execute(statement)
        db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(
            "INSERT INTO answers (learner, module, question_id, attempt, correct, score, response, answered_at, event_id) "
            "VALUES ('ana', '01-x', 'q1', 1, 1, 1.0, '\"a\"', '2026-11-25T10:00:00+00:00', 'e1')"
        )
    db.close()
    store = SQLiteStore(path)
    assert [(a.learner, a.question_id, a.response) for a in store.attempts()] == [("ana", "q1", "a")]
    attempts = SQLiteAttempts(store)
    kept = attempts.add_assessment_attempt(_record("ana"))
    assert attempts.save_assessment_response(kept.id, "fa-2", True, T0)
    assert attempts.assessment_attempts("ana")[0].responses == {"fa-2": True}
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(LATEST) == "4"
    db.close()
