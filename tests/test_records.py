"""Learner records: one record type, one store interface, saving that never gives up and never lies.

Each row of the reliability review's section 3 is tried on a real file (and, where it matters, real
processes): the file is reported as exactly what it is, and never changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from stemtrain.records import Attempt, SavingQueue, SQLiteStore, StoreError, latest_by_question, open_store
from stemtrain.records.migrations import LATEST

ROOT = Path(__file__).resolve().parents[1]
NO_ROOT_POWERS = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def answer(qid: str = "q1", learner: str = "ana", **kw) -> Attempt:
    return Attempt(learner=learner, module="01-x", question_id=qid, response=kw.pop("response", "a"), correct=True, score=1.0, **kw)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_python(code: str, *, env: dict[str, str] | None = None, prefix: list[str] | None = None, timeout: int = 60) -> str:
    """Run ``code`` in a fresh interpreter (optionally without root's power to ignore file permissions)."""
    cmd = [*(prefix or []), sys.executable, "-c", textwrap.dedent(code)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# --- the record type ----------------------------------------------------------------------------------
def test_an_attempt_refuses_values_that_would_poison_records():
    with pytest.raises(ValueError, match="timezone-aware"):
        answer(answered_at=dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="finite number"):
        Attempt(learner="a", module="m", question_id="q", response=1, correct=True, score=float("nan"))
    with pytest.raises(ValueError, match=re.escape("outside 0..1.0")):
        Attempt(learner="a", module="m", question_id="q", response=1, correct=True, score=2.0)
    with pytest.raises(ValueError, match="learner must be a non-empty string"):
        Attempt(learner="", module="m", question_id="q", response=1, correct=True, score=1.0)
    with pytest.raises(ValueError, match="mode must be one of"):
        answer(mode="exam")


# --- the store ------------------------------------------------------------------------------------------
def test_records_round_trip_with_every_field(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    first = store.add(answer(response={"a": ["b", 1]}, parent_id="case-1", mode="course", content_hash="abc"))
    second = store.add(answer())
    store.add(answer("q2", learner="ben"))
    mine = store.attempts("ana")
    assert [(a.question_id, a.attempt, a.parent_id, a.mode, a.response) for a in mine] == [
        ("q1", 1, "case-1", "course", {"a": ["b", 1]}),
        ("q1", 2, None, "", "a"),
    ]
    assert mine[0] == first and mine[1] == second
    assert first.saved_at is not None and first.saved_at.tzinfo is not None and first.answered_at.tzinfo is not None
    assert [a.learner for a in store.attempts()] == ["ana", "ana", "ben"]
    assert latest_by_question(store.attempts("ana"))["q1"].attempt == 2
    with sqlite3.connect(tmp_path / "p.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_same_event_is_kept_once(tmp_path):
    store = SQLiteStore(tmp_path / "p.sqlite3")
    event = answer()
    assert store.add(event) == store.add(event)
    assert len(store.attempts()) == 1


def test_two_processes_answering_the_same_question_get_different_attempt_numbers(tmp_path):
    path = tmp_path / "p.sqlite3"
    SQLiteStore(path).close()
    worker = f"""
        import sys, time
        from stemtrain.records import Attempt, SQLiteStore
        store = SQLiteStore({str(path)!r})
        start = float(sys.argv[1]) if len(sys.argv) > 1 else 0
        for i in range(40):
            store.add(Attempt(learner="ana", module="01-x", question_id="q1", response=i, correct=True, score=1.0))
        """
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(worker)], cwd=ROOT) for _ in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    numbers = [a.attempt for a in SQLiteStore(path).attempts("ana", "01-x", "q1")]
    assert sorted(numbers) == list(range(1, 161))


def test_many_processes_opening_a_new_file_at_once_all_succeed(tmp_path):
    for round_ in range(6):
        path = tmp_path / f"new-{round_}.sqlite3"
        code = f"""
            from stemtrain.records import Attempt, SQLiteStore
            store = SQLiteStore({str(path)!r})
            store.add(Attempt(learner="ana", module="01-x", question_id="q1", response=1, correct=True, score=1.0))
            """
        procs = [
            subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(6)
        ]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 6, errors
        assert len(SQLiteStore(path).attempts()) == 6


def test_a_file_from_the_first_release_is_upgraded_in_place(tmp_path):
    path = tmp_path / "p.sqlite3"
    with sqlite3.connect(path) as db:  # the layout and rows the first release wrote (with its duplicate attempt numbers)
        db.executescript(
            """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE answers (id INTEGER PRIMARY KEY, learner TEXT NOT NULL, module TEXT NOT NULL, question_id TEXT NOT NULL,
                attempt INTEGER NOT NULL, correct INTEGER NOT NULL, score REAL NOT NULL, response TEXT NOT NULL, answered_at TEXT NOT NULL);
            CREATE INDEX answers_by_learner ON answers (learner, module, question_id);
            INSERT INTO meta VALUES ('schema_version', '1');
            INSERT INTO answers VALUES (1, 'ana', '01-x', 'q1', 1, 0, 0.0, '"b"', '2026-11-25T10:00:00+00:00');
            INSERT INTO answers VALUES (2, 'ana', '01-x', 'q1', 1, 1, 1.0, '"a"', '2026-11-25T10:00:01+00:00');
            INSERT INTO answers VALUES (3, 'ben', '01-x', 'q1', 1, 1, 1.0, '"a"', '2026-11-25T10:02:00');
            """
        )
    store = SQLiteStore(path)
    rows = store.attempts()
    assert [(r.learner, r.attempt, r.response, r.max_score) for r in rows] == [
        ("ana", 1, "b", 1.0),
        ("ana", 2, "a", 1.0),
        ("ben", 1, "a", 1.0),
    ]
    assert rows[2].answered_at == dt.datetime(2026, 11, 25, 10, 2, tzinfo=dt.timezone.utc)
    assert store.add(answer()).attempt == 3
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(LATEST)


# --- files that must be reported and left alone (reliability review, section 3) ---------------------------
@pytest.mark.parametrize(
    "content",
    [b"this is not a database, but it might be someone's only copy" * 100, bytes(range(256)) * 50, b"SQLite format 3\x00" + b"\x00" * 50],
    ids=["text", "random-bytes", "truncated"],
)
def test_a_file_that_is_not_a_database_is_reported_and_unchanged(tmp_path, content):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)
    assert caught.value.kind == "damaged" and "move it aside" in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == content and sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]


def test_another_programs_database_is_reported_and_unchanged(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO patients VALUES (1, 'A. Patient')")
    before = digest(path)
    with pytest.raises(StoreError, match="not a stemtrain progress file") as caught:
        SQLiteStore(path)
    assert caught.value.kind == "foreign" and "move it aside" not in str(caught.value)
    assert digest(path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["clinic.sqlite3"]


@pytest.mark.parametrize("layout", ["same-tables", "renamed-tables"])
def test_a_file_from_a_newer_stemtrain_is_reported_and_unchanged(tmp_path, layout):
    path = tmp_path / "p.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema_version', '99')")
        db.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY)" if layout == "same-tables" else "CREATE TABLE records_v99 (id INTEGER)")
    before = digest(path)
    with pytest.raises(StoreError, match="schema_version 99; this stemtrain reads up to") as caught:
        SQLiteStore(path)
    assert caught.value.kind == "future" and "upgrade stemtrain" in str(caught.value)
    assert digest(path) == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL


def test_a_read_only_file_is_reported_at_start_and_unchanged(tmp_path):
    path = tmp_path / "p.sqlite3"
    store = SQLiteStore(path)
    store.add(answer())
    store.close()
    path.chmod(0o444)
    before = digest(path)
    out = run_python(
        f"""
        from stemtrain.records import SQLiteStore, StoreError
        try:
            SQLiteStore({str(path)!r})
        except StoreError as exc:
            print(exc.kind, '|', exc)
        """,
        prefix=NO_ROOT_POWERS,
    )
    assert out.startswith("read-only | ") and "move it aside" not in out and "ask your IT staff" in out
    assert digest(path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["p.sqlite3"]


def test_a_read_only_folder_is_reported_as_that(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    SQLiteStore(folder / "p.sqlite3").close()
    folder.chmod(0o555)
    try:
        out = run_python(
            f"""
            from stemtrain.records import SQLiteStore, StoreError
            for name in ("p.sqlite3", "new.sqlite3"):
                try:
                    SQLiteStore({str(folder)!r} + "/" + name)
                except StoreError as exc:
                    print(exc.kind, "damaged" in str(exc))
            """,
            prefix=NO_ROOT_POWERS,
        )
    finally:
        folder.chmod(0o755)
    assert out.split("\n")[:2] == ["read-only False", "read-only False"]


def test_a_path_that_is_a_folder_is_reported_as_that(tmp_path):
    with pytest.raises(StoreError, match="is a folder, not a progress file") as caught:
        SQLiteStore(tmp_path)
    assert caught.value.kind == "cannot-open"


def test_damaged_pages_behind_a_valid_header_are_found_at_start_and_left_alone(tmp_path):
    path = tmp_path / "p.sqlite3"
    store = SQLiteStore(path)
    for i in range(300):
        store.add(answer(f"q{i}", response="x" * 200))
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for n in (2, 3, 5):
        data[n * page : n * page + page] = os.urandom(page)
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)
    assert caught.value.kind == "damaged" and "move it aside" in str(caught.value)
    assert digest(path) == before


def _small_disk(tmp_path: Path) -> tuple[Path, bool]:
    """A 1 MiB tmpfs when this machine lets us mount one (root), else a plain folder (the file is then capped by SQLite)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode == 0
    return mount, ok


def test_a_full_disk_is_reported_as_that_and_saving_resumes_when_there_is_room(tmp_path):
    mount, real = _small_disk(tmp_path)
    try:
        path = mount / "p.sqlite3"
        store = SQLiteStore(path)
        statuses = []
        queue = SavingQueue(lambda: store, retry_after=60, on_status=statuses.append)
        filler = mount / "filler"
        if real:
            with filler.open("wb") as f:
                try:
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()
                except OSError:
                    pass
        else:
            store._connection().execute("PRAGMA max_page_count = 1")  # SQLite's own "database or disk is full"
        for i in range(20):
            queue.add(answer(f"q{i}", response="y" * 500))
        assert queue.status.state == "pending" and queue.problem is not None and queue.problem.kind in ("full", "disk")
        assert "not saved yet" in queue.status.message and "move it aside" not in queue.status.message
        assert len(queue.kept()) == 20  # every answer is kept while the disk is full
        if real:
            filler.unlink()
        else:
            store._connection().execute("PRAGMA max_page_count = 1073741823")
        assert queue.flush()
        assert queue.status.state == "saved" and queue.status.recovered
        assert len(store.attempts()) == 20 and all(a.attempt == 1 for a in queue.kept())
        store.close()
    finally:
        if real:
            subprocess.run(["umount", str(mount)], check=False)


def test_a_lock_held_by_another_program_delays_saving_but_loses_nothing(tmp_path):
    path = tmp_path / "p.sqlite3"
    SQLiteStore(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sqlite3, time\ndb = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "db.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\ntime.sleep(2.5)\ndb.execute('COMMIT')",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.stdout.close()
    queue = SavingQueue(lambda: SQLiteStore(path, timeout=0.2), retry_after=0.3)
    started = time.monotonic()
    queue.add(answer("q1"))
    assert time.monotonic() - started < 2, "a lock must not freeze the page"
    assert queue.status.state == "pending" and queue.problem is not None and queue.problem.kind == "locked"
    queue.add(answer("q2"))  # answering again while the lock is held: still kept
    holder.wait(timeout=30)
    deadline = time.monotonic() + 10
    while queue.status.state != "saved" and time.monotonic() < deadline:
        time.sleep(0.05)  # the retry timer saves them, without another answer
    assert queue.status.state == "saved"
    assert [a.question_id for a in SQLiteStore(path).attempts()] == ["q1", "q2"]
    queue.close()


def test_a_file_that_can_never_be_used_stops_retrying_but_keeps_answers(tmp_path):
    bad = tmp_path / "p.sqlite3"
    bad.write_bytes(b"garbage" * 200)
    queue = SavingQueue(lambda: SQLiteStore(bad), retry_after=0.05)
    queue.add(answer())
    assert queue.status.state == "off" and "not being saved" in queue.status.message and "move it aside" in queue.status.message
    assert len(queue.kept()) == 1 and bad.read_bytes() == b"garbage" * 200


def test_only_the_records_package_and_the_class_service_open_a_database():
    offenders = []
    for path in (ROOT / "stemtrain").rglob("*.py"):
        if path.relative_to(ROOT / "stemtrain").parts[0] in ("records", "classroom"):
            continue  # the learner's side (records) and the class service, which alone owns the class database
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import|from)\s+(sqlite3|sqlalchemy|psycopg)\b", text, re.M):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_unknown_store_urls_are_refused_clearly():
    with pytest.raises(StoreError, match="no records store for this kind of URL") as caught:
        open_store("ftp://example.invalid/records")
    assert caught.value.kind == "invalid"


def test_a_closed_progress_file_can_be_copied_whole(tmp_path):
    path = tmp_path / "p.sqlite3"
    store = SQLiteStore(path)
    store.add(answer())
    store.close()  # closing folds the journal into the file
    assert not (tmp_path / "p.sqlite3-wal").exists()
    shutil.copy(path, tmp_path / "copy.sqlite3")
    assert [a.question_id for a in SQLiteStore(tmp_path / "copy.sqlite3").attempts()] == ["q1"]
