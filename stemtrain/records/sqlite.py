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
from .migrations import APPLICATION_ID, LATEST, MIGRATIONS, statements
from .model import Attempt, utc_now

__all__ = ["SQLiteStore", "default_path"]

_COLUMNS = (
    "learner, module, question_id, parent_id, attempt, correct, score, max_score, response, content_hash, mode, "
    "answered_at, saved_at, event_id"
)
_HEADER = b"SQLite format 3\x00"


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
                self._rollback(db)
                raise from_sqlite(exc, str(self.path), doing) from None
            except (TypeError, ValueError) as exc:
                self._rollback(db)
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
                self._rollback(db)
                raise from_sqlite(exc, str(self.path), "saving your profile") from None

    # --- opening ------------------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._preflight()
            try:
                db = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise from_sqlite(exc, str(self.path), "opening the progress file") from None
            try:
                self._prepare(db)
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def _preflight(self) -> None:
        """Refuse, before SQLite touches anything, a path that is a folder, a file that is not SQLite, or a read-only one."""
        where = str(self.path)
        if self.path.is_dir():
            raise StoreError(
                f"{where} is a folder, not a progress file. Set STEMTRAIN_PROGRESS to a file name.", kind="cannot-open", where=where
            )
        folder = self.path.parent
        if self.path.exists():
            try:
                with self.path.open("rb") as f:
                    head = f.read(len(_HEADER))
            except OSError as exc:
                raise StoreError(
                    f"{where}: the progress file cannot be read ({exc.strerror or exc}).", kind="cannot-open", where=where
                ) from None
            if head and head != _HEADER:
                raise StoreError(
                    f"{where} is not a progress file: it is not an SQLite database (it may be damaged, or another kind of file). "
                    "It was left unchanged; move it aside (or set STEMTRAIN_PROGRESS) to start a new one.",
                    kind="damaged",
                    where=where,
                )
            if not os.access(self.path, os.W_OK):
                raise StoreError(
                    f"{where}: the progress file is read-only, so answers cannot be saved. It was left unchanged; "
                    "ask your IT staff to make it writable.",
                    kind="read-only",
                    where=where,
                )
        else:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"{where}: cannot create the folder for the progress file ({exc.strerror or exc}).", kind="cannot-open", where=where
                ) from None
        if not os.access(folder, os.W_OK):
            raise StoreError(
                f"{where}: the folder {folder} is read-only, and SQLite must write a journal beside the file. Nothing was changed; "
                "ask your IT staff to make the folder writable, or set STEMTRAIN_PROGRESS to a file in a writable folder.",
                kind="read-only",
                where=where,
            )

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Check the file is ours (or empty) and current, creating or upgrading it in one transaction."""
        where = str(self.path)
        try:
            version = self._version(db)
            if version > 0:
                check = db.execute("PRAGMA quick_check").fetchone()
                if check is None or check[0] != "ok":
                    raise StoreError(
                        f"{where}: the progress file is damaged ({check[0] if check else 'no answer'}). It was left unchanged; move it "
                        "aside (or set STEMTRAIN_PROGRESS) to start a new one, and keep the old file for your IT staff.",
                        kind="damaged",
                        where=where,
                    )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA wal_autocheckpoint=100")  # a learner's file is small: keep its journal small too
            db.execute("PRAGMA journal_size_limit=1048576")
            if version == LATEST:
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                version = self._version(db)  # another process may have created or upgraded it meanwhile
                for number, sql in MIGRATIONS:
                    if number > version:
                        for statement in statements(sql):
                            db.execute(statement)
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(LATEST),))
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {LATEST}")
                db.execute("COMMIT")
            except BaseException:
                self._rollback(db)
                raise
        except sqlite3.Error as exc:
            raise from_sqlite(exc, where, "opening the progress file") from None

    def _version(self, db: sqlite3.Connection) -> int:
        """0 for an empty file, the schema version of one of ours; raises for a foreign or a newer file."""
        where = str(self.path)
        app = db.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        if not tables and app in (0, APPLICATION_ID):
            return 0
        foreign = StoreError(
            f"{where} is a database, but not a stemtrain progress file (its tables: {', '.join(sorted(tables))[:120] or 'none'}). "
            "It was left unchanged; set STEMTRAIN_PROGRESS to another file name.",
            kind="foreign",
            where=where,
        )
        if app not in (0, APPLICATION_ID) or "meta" not in tables:
            raise foreign
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise foreign
        version = int(row[0])
        if version > LATEST:
            raise StoreError(
                f"{where}: this progress file has schema_version {version}; this stemtrain reads up to {LATEST}. "
                "It was left unchanged; upgrade stemtrain to use it.",
                kind="future",
                where=where,
            )
        if "answers" not in tables:
            raise foreign
        return version

    @staticmethod
    def _rollback(db: sqlite3.Connection) -> None:
        try:
            if db.in_transaction:
                db.execute("ROLLBACK")
        except sqlite3.Error:
            pass

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
