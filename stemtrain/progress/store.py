"""The learner's answers, kept in SQLite in the learner's home: the one place that touches the database.

Course mode (Voilà) and notebook mode (JupyterLab) run as the same user on the same machine, so both
write to the same file and a learner's progress follows them between modes. WAL mode lets two open
pages write at once. A damaged file is never overwritten: it is reported, and nothing is lost.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ProgressError", "ProgressStore", "StoredAnswer", "default_path", "default_learner", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    module TEXT NOT NULL,
    question_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    score REAL NOT NULL,
    response TEXT NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_learner ON answers (learner, module, question_id);
"""


class ProgressError(RuntimeError):
    """The progress file cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class StoredAnswer:
    """One answer as kept on disk."""

    learner: str
    module: str
    question_id: str
    attempt: int
    correct: bool
    score: float
    response: Any
    answered_at: str


def default_path() -> Path:
    """``STEMTRAIN_PROGRESS`` if set, else ``~/.stemtrain/progress.sqlite3``."""
    env = os.environ.get("STEMTRAIN_PROGRESS")
    return Path(env) if env else Path.home() / ".stemtrain" / "progress.sqlite3"


def default_learner() -> str:
    """``STEMTRAIN_LEARNER`` if set, else the name the learner logged in with."""
    env = os.environ.get("STEMTRAIN_LEARNER", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"


class ProgressStore:
    """Append-only answers per learner; reads return plain records for progress views and analytics."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.executescript(_SCHEMA)
                row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if row is None:
                    db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                elif row[0] != str(SCHEMA_VERSION):
                    raise ProgressError(
                        f"{self.path}: progress file has schema_version {row[0]}; this stemtrain reads {SCHEMA_VERSION}. "
                        "Upgrade stemtrain; the file was left unchanged."
                    )
        except sqlite3.DatabaseError as exc:
            raise ProgressError(
                f"{self.path}: the progress file is damaged or not a stemtrain progress file ({exc}). "
                "It was left unchanged; move it aside (or set STEMTRAIN_PROGRESS) to start a new one."
            ) from None
        except OSError as exc:
            raise ProgressError(f"{self.path}: cannot open the progress file ({exc.strerror or exc}).") from None

    def __repr__(self) -> str:
        return f"<ProgressStore {self.path}>"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            with db:
                yield db
        finally:
            db.close()

    def record(self, learner: str, module: str, question_id: str, attempt: int, correct: bool, score: float, response: Any, answered_at: str) -> None:
        """Keep one answer. Responses are stored as JSON."""
        try:
            with self._connect() as db:
                db.execute(
                    "INSERT INTO answers (learner, module, question_id, attempt, correct, score, response, answered_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (learner, module, question_id, attempt, int(correct), float(score), json.dumps(response), answered_at),
                )
        except sqlite3.DatabaseError as exc:
            raise ProgressError(f"{self.path}: could not save the answer to {question_id!r} ({exc}).") from None

    def answers(self, learner: str, module: str | None = None) -> list[StoredAnswer]:
        """A learner's answers, oldest first (optionally one module's)."""
        query = "SELECT learner, module, question_id, attempt, correct, score, response, answered_at FROM answers WHERE learner = ?"
        args: tuple[Any, ...] = (learner,)
        if module is not None:
            query += " AND module = ?"
            args += (module,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id", args).fetchall()
        return [StoredAnswer(r[0], r[1], r[2], r[3], bool(r[4]), r[5], json.loads(r[6]), r[7]) for r in rows]

    def attempts(self, learner: str, module: str, question_id: str) -> int:
        """How many times the learner has checked this question before."""
        with self._connect() as db:
            row = db.execute(
                "SELECT COUNT(*) FROM answers WHERE learner = ? AND module = ? AND question_id = ?", (learner, module, question_id)
            ).fetchone()
        return int(row[0])
