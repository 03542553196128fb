"""A module's session: every checked answer becomes one record, saved or queued, and the page says which."""

from __future__ import annotations

import pytest

from stemtrain.content.course import CourseContent
from stemtrain.records import SQLiteStore
from stemtrain.session import ModuleSession


@pytest.fixture
def content(bank, test_refs):
    return CourseContent(banks={"99-all-types": bank}, references=test_refs, glossary=())


def test_course_mode_and_notebook_mode_share_one_learner_record(tmp_path, content):
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    voila = ModuleSession("99-all-types", learner="Ana", content=content, store=url, mode="course")
    lab = ModuleSession("99-all-types", learner="Ana", content=content, store=url, mode="notebook")
    voila.quiz("t-single").submit("b")
    lab.quiz("t-single").submit("a")
    records = SQLiteStore(tmp_path / "p.sqlite3").attempts("Ana", "99-all-types")
    assert [(r.attempt, r.correct, r.mode) for r in records] == [(1, False, "course"), (2, True, "notebook")]
    assert lab.answers[-1].attempt == 2 and records[0].content_hash == content.banks["99-all-types"].content_hash


def test_case_parts_are_recorded_with_their_case(tmp_path, content):
    session = ModuleSession("99-all-types", learner="Ana", content=content, store=str(tmp_path / "p.sqlite3"))
    session.quiz("t-case").submit({"t-case-a": False, "t-case-b": "a"})
    assert [(a.question_id, a.parent_id) for a in session.answers] == [("t-case-a", "t-case"), ("t-case-b", "t-case")]


def test_a_broken_file_does_not_stop_the_module_and_every_quiz_says_so(tmp_path, content):
    bad = tmp_path / "progress.sqlite3"
    bad.write_bytes(b"garbage" * 200)
    session = ModuleSession("99-all-types", learner="Ana", content=content, store=str(bad))
    single, truefalse = session.quiz("t-single"), session.quiz("t-tf")
    for view in (single, truefalse):
        assert "Your answers are not being saved" in view.children[-1].value and "move it aside" in view.children[-1].value
    truefalse.submit(False)
    assert session.answers[-1].correct and "Correct" in truefalse.feedback.value  # still graded and kept
    assert bad.read_bytes() == b"garbage" * 200


def test_saving_that_fails_and_recovers_is_shown_on_the_page(tmp_path, content):
    path = tmp_path / "p.sqlite3"
    store = SQLiteStore(path)
    session = ModuleSession("99-all-types", learner="Ana", content=content, store=store, retry_after=60)
    view = session.quiz("t-single")
    store._connection().execute("PRAGMA query_only = 1")  # the file stops taking writes, as a locked or read-only one does
    view.submit("a")
    assert "1 answer not saved yet" in view.children[-1].value and "kept on this page" in view.children[-1].value
    store._connection().execute("PRAGMA query_only = 0")
    session.quiz("t-tf").submit(False)  # the next answer saves both
    assert "Your earlier answers are now saved" in view.children[-1].value
    assert [a.question_id for a in store.attempts()] == ["t-single", "t-tf"]


def test_a_failing_listener_is_reported_and_answers_are_still_saved(tmp_path, content):
    session = ModuleSession("99-all-types", learner="Ana", content=content, store=str(tmp_path / "p.sqlite3"))
    seen = []
    session.on_answer(lambda a: (_ for _ in ()).throw(RuntimeError("live chart gone")))
    session.on_answer(seen.append)
    view = session.quiz("t-single")
    view.submit("a")
    assert [a.question_id for a in seen] == ["t-single"] and len(session.store.attempts()) == 1
    assert "live chart gone" in view.children[-1].value


def test_no_store_keeps_answers_for_the_page_only(content):
    session = ModuleSession("99-all-types", learner="Ana", content=content, store=None)
    session.quiz("t-single").submit("a")
    session.quiz("t-single").submit("b")
    assert [a.attempt for a in session.answers] == [1, 2] and session.store is None


def test_an_unknown_module_names_the_known_ones(content):
    with pytest.raises(KeyError, match=r"no question bank for module '42-nope' \(banks: 99-all-types\)"):
        ModuleSession("42-nope", content=content, store=None)
