"""A learner's own records in SQLite: the one module that opens a database file.

Course mode (Voilà) and notebook mode (JupyterLab) run as the same user on the same machine, so both use
the same file and a learner's progress follows them between modes. WAL lets readers go on while one
writer writes; writers take turns. The file is opened with care: a file that is not ours, is from a newer
stemtrain, is read-only or is damaged is reported as exactly that and never changed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from .errors import StoreError, from_sqlite
from .model import Attempt, utc_now
from .sqlitefile import preflight, prepare, rollback

__all__ = ["SQLiteStore", "default_path"]

_COLUMNS = (
    "learner, module, question_id, parent_id, attempt, correct, score, max_score, response, content_hash, mode, "
    "answered_at, saved_at, event_id"
)


def default_path() -> Path:
    """``STEMTRAIN_PROGRESS`` if it is a file path, else ``~/.stemtrain/progress.sqlite3``."""
    env = os.environ.get("STEMTRAIN_PROGRESS", "").strip()
    return Path(env).expanduser() if env and "://" not in env else Path.home() / ".stemtrain" / "progress.sqlite3"


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


class SQLiteStore:
    """Append-only answer records in one SQLite file, on one connection for the store's life."""

    def __init__(self, path: str | Path | None = None, *, timeout: float = 3.0) -> None:
        self.path = Path(path) if path else default_path()
        self.url = f"sqlite:///{self.path}"
        self.timeout = timeout
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._connection()

    def __repr__(self) -> str:
        return f"<SQLiteStore {self.path}>"

    # --- the interface --------------------------------------------------------------------------
    def add(self, attempt: Attempt) -> Attempt:
        """Keep one answer, numbered inside the same transaction as the insert; an event already kept is returned as kept."""
        doing = f"saving your answer to {attempt.question_id!r}"
        with self._lock:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
                row = db.execute(f"SELECT {_COLUMNS} FROM answers WHERE event_id = ?", (attempt.event_id,)).fetchone()
                if row is None:
                    saved_at = utc_now()
                    row = db.execute(
                        f"INSERT INTO answers ({_COLUMNS}) SELECT ?, ?, ?, ?, COALESCE(MAX(attempt), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                        "FROM answers WHERE learner = ? AND module = ? AND question_id = ? "
                        f"RETURNING {_COLUMNS}",
                        (
                            attempt.learner,
                            attempt.module,
                            attempt.question_id,
                            attempt.parent_id,
                            int(attempt.correct),
                            float(attempt.score),
                            float(attempt.max_score),
                            json.dumps(attempt.response),
                            attempt.content_hash,
                            attempt.mode,
                            attempt.answered_at.isoformat(),
                            saved_at.isoformat(),
                            attempt.event_id,
                            attempt.learner,
                            attempt.module,
                            attempt.question_id,
                        ),
                    ).fetchone()
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                rollback(db)
                raise from_sqlite(exc, str(self.path), doing) from None
            except (TypeError, ValueError) as exc:
                rollback(db)
                raise StoreError(f"{self.path}: the answer to {attempt.question_id!r} cannot be stored ({exc})", kind="invalid") from None
        return self._attempt(row)

    def attempts(self, learner: str | None = None, module: str | None = None, question_id: str | None = None) -> list[Attempt]:
        """Records in the order they were kept; ``None`` means any."""
        where, args = [], []
        for column, value in (("learner", learner), ("module", module), ("question_id", question_id)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        query = f"SELECT {_COLUMNS} FROM answers" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        with self._lock:
            try:
                rows = self._connection().execute(query, args).fetchall()
            except sqlite3.Error as exc:
                raise from_sqlite(exc, str(self.path), "reading your earlier answers") from None
        return [self._attempt(r) for r in rows]

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                try:
                    self._db.close()
                except sqlite3.Error:
                    pass
                self._db = None

    # --- profiles ---------------------------------------------------------------------------------
    def profile(self, learner: str) -> dict[str, str] | None:
        """The name, staff id and role a learner signed in with, if any."""
        with self._lock:
            try:
                row = (
                    self._connection()
                    .execute("SELECT display_name, staff_id, role, updated_at FROM profiles WHERE learner = ?", (learner,))
                    .fetchone()
                )
            except sqlite3.Error as exc:
                raise from_sqlite(exc, str(self.path), "reading your profile") from None
        return None if row is None else {"display_name": row[0], "staff_id": row[1], "role": row[2], "updated_at": row[3]}

    def set_profile(self, learner: str, display_name: str, staff_id: str = "", role: str = "") -> None:
        with self._lock:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "INSERT OR REPLACE INTO profiles VALUES (?, ?, ?, ?, ?)", (learner, display_name, staff_id, role, utc_now().isoformat())
                )
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                rollback(db)
                raise from_sqlite(exc, str(self.path), "saving your profile") from None

    def sign_in(self, learner: str, display_name: str, staff_id: str = "", role: str = "") -> None:
        """Remember who uses this computer account now (staff sharing one account each sign in with their name)."""
        self.set_profile(learner, display_name, staff_id, role)
        with self._lock:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('signed_in', ?)", (learner,))
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                rollback(db)
                raise from_sqlite(exc, str(self.path), "saving who is signed in") from None

    def signed_in(self) -> tuple[str, str] | None:
        """(learner id, name) of whoever signed in last on this computer account, if anyone did."""
        with self._lock:
            try:
                row = (
                    self._connection()
                    .execute(
                        "SELECT p.learner, p.display_name FROM meta m JOIN profiles p ON p.learner = m.value WHERE m.key = 'signed_in'"
                    )
                    .fetchone()
                )
            except sqlite3.Error as exc:
                raise from_sqlite(exc, str(self.path), "reading who is signed in") from None
        return None if row is None else (row[0], row[1])

    # --- opening ------------------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            preflight(self.path)
            try:
                db = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise from_sqlite(exc, str(self.path), "opening the progress file") from None
            try:
                prepare(db, self.path)
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    @staticmethod
    def _attempt(row: Any) -> Attempt:
        (
            learner,
            module,
            question_id,
            parent_id,
            attempt,
            correct,
            score,
            max_score,
            response,
            content_hash,
            mode,
            answered,
            saved,
            event,
        ) = row
        return Attempt(
            learner=learner,
            module=module,
            question_id=question_id,
            parent_id=parent_id,
            attempt=int(attempt),
            correct=bool(correct),
            score=float(score),
            max_score=float(max_score),
            response=json.loads(response),
            content_hash=content_hash,
            mode=mode,
            answered_at=_time(answered) or utc_now(),
            saved_at=_time(saved),
            event_id=event,
        )
