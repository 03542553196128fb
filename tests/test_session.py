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


def test_reopening_a_module_shows_each_last_answer_and_the_page_score(tmp_path, content):
    url = str(tmp_path / "p.sqlite3")
    first = ModuleSession("99-all-types", learner="Ana", content=content, store=url)
    first.quiz("t-single").submit("b")
    first.quiz("t-single").submit("a")  # the later answer is the one shown again
    first.quiz("t-case").submit({"t-case-a": False, "t-case-b": "b"})
    again = ModuleSession("99-all-types", learner="Ana", content=content, store=url)
    header = again.header().bar
    single, case, fresh = again.quiz("t-single"), again.quiz("t-case"), again.quiz("t-tf")
    assert single.result is not None and single.result.correct and single.choice.value == "a" and "Correct" in single.feedback.value
    assert [p.result.score for p in case.parts] == [1.0, 0.0] and case.parts[1].choice.value == "b"
    assert fresh.result is None
    assert header.score == "Your score on this page: 2 of 4 (3 of 4 checked)"
    fresh.submit(False)
    assert header.score == "Your score on this page: 3 of 4 (4 of 4 checked)"
    assert [a.attempt for a in SQLiteStore(tmp_path / "p.sqlite3").attempts("Ana", "99-all-types", "t-single")] == [1, 2]


def test_another_learner_sees_only_their_own_answers(tmp_path, content):
    url = str(tmp_path / "p.sqlite3")
    ModuleSession("99-all-types", learner="Ana", content=content, store=url).quiz("t-single").submit("a")
    ben = ModuleSession("99-all-types", learner="Ben", content=content, store=url).quiz("t-single")
    assert ben.result is None and ben.choice.value is None


def test_signing_in_names_the_records_and_shows_that_learners_answers(tmp_path, content, monkeypatch):
    monkeypatch.delenv("STEMTRAIN_LEARNER", raising=False)  # a name from the environment would win over signing in
    url = str(tmp_path / "p.sqlite3")
    session = ModuleSession("99-all-types", content=content, store=url)
    header = session.header().bar
    view = session.quiz("t-single")
    form = session.sign_in()
    assert form.submit(name="  ") is None and "Type your name first" in form.message.value
    hostile = '<img src=x onerror="alert(1)"> محمد 👩‍⚕️ Zoë'
    who = form.submit(name=hostile, staff_id="", role="nurse or medical assistant")
    assert who is not None and (who.learner, who.source) == (hostile, "profile")
    assert header.who == f"Signed in as {hostile} (signed in on this computer)"
    assert "&lt;img" in form.message.value and "<img" not in form.message.value
    view.submit("a")
    assert [a.learner for a in SQLiteStore(tmp_path / "p.sqlite3").attempts()] == [hostile]
    later = ModuleSession("99-all-types", content=content, store=url)  # the next page knows who signed in
    assert later.learner == hostile and later.quiz("t-single").result is not None
    other = later.sign_in().submit(name="Ben Okafor", staff_id="s-042")
    assert other is not None and other.learner == "s-042" and other.display_name == "Ben Okafor"


def test_a_name_given_by_a_hub_cannot_be_changed_here(tmp_path, content, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.delenv("STEMTRAIN_LEARNER", raising=False)
    session = ModuleSession("99-all-types", content=content, store=str(tmp_path / "p.sqlite3"))
    form = session.sign_in()
    assert "Signed in as <strong>ana</strong> (signed in through JupyterHub)" in form.message.value
    assert form.children == (form.message,)


def test_the_course_map_counts_answers_and_points_to_where_to_continue(tmp_path):
    from stemtrain.content.loader import load_course
    from stemtrain.pages.progress import continue_at, module_progress, page_questions

    course = load_course()
    url = str(tmp_path / "p.sqlite3")
    first_two = page_questions(course, "00-start-here")[:2]
    session = ModuleSession("00-start-here", learner="Ana", content=course, store=url)
    for qid in first_two:
        view = session.quiz(qid)
        view.choice.value = view.choice.options[0][1]
        view.check_button.click()
    rows = module_progress(course, SQLiteStore(tmp_path / "p.sqlite3").attempts("Ana"))
    start = rows[0]
    assert (start.module, start.answered, start.total) == ("00-start-here", 2, len(page_questions(course, "00-start-here")))
    assert start.next_question == page_questions(course, "00-start-here")[2]
    assert continue_at(rows) is start and all(r.answered == 0 for r in rows[1:])
    course_map = session.progress()
    assert course_map.kind == "map" and course_map.rows[0]["answered"] == 2
    assert course_map.links[0]["file"] == "00-start-here.ipynb" and course_map.links[0]["hash"] == f"q-{start.next_question}"


def test_a_long_or_right_to_left_name_is_stored_intact(tmp_path, content, monkeypatch):
    monkeypatch.delenv("STEMTRAIN_LEARNER", raising=False)
    url = str(tmp_path / "p.sqlite3")
    long_name = ("Ana " * 125).strip()[:500]
    rtl = "\u0645\u062d\u0645\u062f \u0627\u0644\u0639\u0644\u064a 🙂"
    for name in (long_name, rtl):
        session = ModuleSession("99-all-types", content=content, store=url)
        assert session.sign_in().submit(name=name) is not None
        session.quiz("t-single").submit("a")
        assert SQLiteStore(tmp_path / "p.sqlite3").attempts()[-1].learner == name
        assert ModuleSession("99-all-types", content=content, store=url).identity.display_name == name
    form = session.sign_in()
    assert form.submit(name="x" * 501) is None and "at most 500 characters" in form.message.value


def test_a_damaged_progress_file_is_named_at_the_top_of_the_page(tmp_path, content):
    damaged = tmp_path / "progress.sqlite3"
    damaged.write_bytes(b"not a database " * 200)
    session = ModuleSession("99-all-types", learner="Ana", content=content, store=str(damaged))
    top = session.header()
    status = top.children[1].value
    assert str(damaged) in status and "not being saved" in status and "move it aside" in status
    view = session.quiz("t-single")
    view.submit("a")
    assert view.result is not None and session.answers[-1].question_id == "t-single"  # still checked and kept on the page
    assert damaged.read_bytes() == b"not a database " * 200  # left as it was


def test_the_status_line_answers_the_pages_ping():
    from stemtrain.frontend.controls import StatusLine

    line, sent = StatusLine(), []
    line.send = lambda content, buffers=None: sent.append(content)  # what would go to the page
    line._handle_custom_msg({"ping": 7}, [])
    line._handle_custom_msg({"ping": "x"}, [])
    line._handle_custom_msg("ping", [])
    assert sent == [{"pong": 7}]


def test_the_top_of_a_page_carries_the_live_panel_only_in_a_class(tmp_path, content, monkeypatch):
    from stemtrain.live import LivePanel

    for name in ("STEMTRAIN_CLASS_URL", "STEMTRAIN_CLASS_TOKEN", "JUPYTERHUB_API_TOKEN", "STEMTRAIN_CLASS_PAGE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STEMTRAIN_CLASS_FILE", str(tmp_path / "none.json"))
    alone = ModuleSession("99-all-types", learner="Ana", content=content, store=str(tmp_path / "p.sqlite3")).header()
    assert not any(isinstance(child, LivePanel) for child in alone.children)
    monkeypatch.setenv("STEMTRAIN_CLASS_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("STEMTRAIN_CLASS_TOKEN", "t")
    in_class = ModuleSession("99-all-types", learner="Ana", content=content, store=str(tmp_path / "p.sqlite3")).header()
    panels = [child for child in in_class.children if isinstance(child, LivePanel)]
    assert len(panels) == 1 and panels[0].url.startswith("http://127.0.0.1:9")
