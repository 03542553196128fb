"""Learner records: answers survive the session, a damaged file is reported and never overwritten."""

from __future__ import annotations

import sqlite3

import pytest

from stemtrain.course import CourseSession
from stemtrain.progress import ProgressError, ProgressStore


def test_answers_round_trip_in_wal_mode(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("ana", "01-x", "q1", 1, False, 0.5, {"a": ["b", 1]}, "2026-11-25T10:00:00+00:00")
    store.record("ana", "02-y", "q2", 1, True, 1.0, "a", "2026-11-25T10:01:00+00:00")
    store.record("ben", "01-x", "q1", 1, True, 1.0, "a", "2026-11-25T10:02:00+00:00")
    mine = store.answers("ana")
    assert [(a.module, a.question_id, a.correct, a.score, a.response) for a in mine] == [
        ("01-x", "q1", False, 0.5, {"a": ["b", 1]}),
        ("02-y", "q2", True, 1.0, "a"),
    ]
    assert [a.question_id for a in store.answers("ana", "02-y")] == ["q2"]
    assert store.attempts("ana", "01-x", "q1") == 1 and store.attempts("ben", "02-y", "q2") == 0
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_damaged_file_is_reported_by_name_and_left_unchanged(tmp_path):
    bad = tmp_path / "progress.sqlite3"
    bad.write_bytes(b"this is not a database, but it might be someone's only copy" * 100)
    before = bad.read_bytes()
    with pytest.raises(ProgressError, match=r"progress.sqlite3: the progress file is damaged .* left unchanged"):
        ProgressStore(bad)
    assert bad.read_bytes() == before


def test_newer_schema_is_refused_without_change(tmp_path):
    path = tmp_path / "p.sqlite3"
    ProgressStore(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ProgressError, match="schema_version 99; this stemtrain reads 1"):
        ProgressStore(path)


def test_two_sessions_share_one_learner_record(tmp_path, bank, test_refs):
    """Course mode and notebook mode are two sessions of the same learner on the same file."""
    from stemtrain.content.loader import Course

    course = Course(banks={"99-all-types": bank}, references=test_refs, glossary=())
    store = ProgressStore(tmp_path / "p.sqlite3")
    voila = CourseSession("99-all-types", learner="Ana", course=course, store=store)
    lab = CourseSession("99-all-types", learner="Ana", course=course, store=ProgressStore(tmp_path / "p.sqlite3"))
    voila.quiz("t-single").submit("b")
    lab.quiz("t-single").submit("a")
    records = store.answers("Ana", "99-all-types")
    assert [(r.attempt, r.correct) for r in records] == [(1, False), (2, True)]
    assert lab.answers[-1].attempt == 2


def test_a_broken_file_does_not_stop_the_module(tmp_path, bank, test_refs, monkeypatch):
    from stemtrain.content.loader import Course

    bad = tmp_path / "progress.sqlite3"
    bad.write_bytes(b"garbage" * 200)
    monkeypatch.setenv("STEMTRAIN_PROGRESS", str(bad))
    course = Course(banks={"99-all-types": bank}, references=test_refs, glossary=())
    session = CourseSession("99-all-types", course=course)
    assert session.store is None and "damaged" in session.store_problem
    session.quiz("t-tf").submit(False)
    assert session.answers[-1].result.correct  # still graded and kept in memory
    assert bad.read_bytes() == b"garbage" * 200


def test_start_warns_when_answers_cannot_be_saved(tmp_path, monkeypatch):
    import stemtrain as st

    bad = tmp_path / "progress.sqlite3"
    bad.write_bytes(b"garbage" * 200)
    monkeypatch.setenv("STEMTRAIN_PROGRESS", str(bad))
    with pytest.warns(RuntimeWarning, match=r"Your answers will not be saved: .*progress.sqlite3: the progress file is damaged"):
        session = st.start("00-start-here")
    assert session.store is None


def test_learner_defaults_to_the_environment(monkeypatch):
    from stemtrain.progress import default_learner

    monkeypatch.setenv("STEMTRAIN_LEARNER", "Ana Silva")
    assert default_learner() == "Ana Silva"
