"""The outbox: answers a class service has not acknowledged yet, kept in a small SQLite file of the learner's.

An answer goes into the outbox before it is sent and leaves it only when the service has kept it, so an
answer given while the service is down (or the kernel dies before the service answers) is sent the next
time any of the learner's kernels talk to the service. An answer the service refuses for good (not the
learner's, malformed) moves to ``refused``, where it stays for the learner's IT staff; it is never dropped.

The file uses SQLite's rollback journal, not WAL: a home folder may be on a network filesystem.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from .errors import from_sqlite
from .model import utc_now

__all__ = ["Outbox", "default_outbox_path"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY, service TEXT NOT NULL, event_id TEXT NOT NULL, body TEXT NOT NULL, kept_at TEXT NOT NULL,
    UNIQUE (service, event_id)
);
CREATE TABLE IF NOT EXISTS refused (
    seq INTEGER PRIMARY KEY, service TEXT NOT NULL, event_id TEXT NOT NULL, body TEXT NOT NULL, reason TEXT NOT NULL,
    refused_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS known (service TEXT PRIMARY KEY, learner TEXT NOT NULL, source TEXT NOT NULL, verified INTEGER NOT NULL);
"""


def default_outbox_path() -> Path:
    """``STEMTRAIN_OUTBOX``, else ``~/.stemtrain/outbox.sqlite3``."""
    env = os.environ.get("STEMTRAIN_OUTBOX", "").strip()
    return Path(env).expanduser() if env else Path.home() / ".stemtrain" / "outbox.sqlite3"


class Outbox:
    """Answers waiting for one or more class services, oldest first."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_outbox_path()
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA busy_timeout=10000")
                db.executescript(_SCHEMA)
            except sqlite3.Error as exc:
                raise from_sqlite(exc, str(self.path), "opening the outbox of unsent answers") from None
            except OSError as exc:
                raise from_sqlite(sqlite3.OperationalError(f"unable to open: {exc}"), str(self.path), "opening the outbox") from None
            self._db = db
        return self._db

    def _run(self, doing: str, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._conn().execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise from_sqlite(exc, str(self.path), doing) from None

    def put(self, service: str, event_id: str, body: str) -> None:
        """Keep an answer for ``service`` (once per event id)."""
        self._run(
            "keeping your answer in the outbox",
            "INSERT OR IGNORE INTO pending (service, event_id, body, kept_at) VALUES (?, ?, ?, ?)",
            (service, event_id, body, utc_now().isoformat()),
        )

    def pending(self, service: str) -> list[tuple[str, str]]:
        """(event id, body) of every answer still waiting for ``service``, oldest first."""
        rows = self._run("reading the outbox", "SELECT event_id, body FROM pending WHERE service = ? ORDER BY seq", (service,))
        return [(str(e), str(b)) for e, b in rows]

    def done(self, service: str, event_id: str) -> None:
        self._run("clearing a sent answer from the outbox", "DELETE FROM pending WHERE service = ? AND event_id = ?", (service, event_id))

    def refuse(self, service: str, event_id: str, reason: str) -> None:
        """Move an answer the service will never accept to ``refused``."""
        with self._lock:
            db = self._conn()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "INSERT INTO refused (service, event_id, body, reason, refused_at) "
                    "SELECT service, event_id, body, ?, ? FROM pending WHERE service = ? AND event_id = ?",
                    (reason, utc_now().isoformat(), service, event_id),
                )
                db.execute("DELETE FROM pending WHERE service = ? AND event_id = ?", (service, event_id))
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise from_sqlite(exc, str(self.path), "setting a refused answer aside") from None

    def refused(self, service: str) -> list[tuple[str, str]]:
        rows = self._run("reading the outbox", "SELECT event_id, reason FROM refused WHERE service = ? ORDER BY seq", (service,))
        return [(str(e), str(r)) for e, r in rows]

    def remember(self, service: str, learner: str, source: str, verified: bool) -> None:
        """Who the service last said this learner is (so the name is known while it is down)."""
        self._run("remembering who you are", "INSERT OR REPLACE INTO known VALUES (?, ?, ?, ?)", (service, learner, source, int(verified)))

    def known(self, service: str) -> tuple[str, str, bool] | None:
        rows = self._run("reading the outbox", "SELECT learner, source, verified FROM known WHERE service = ?", (service,))
        return (str(rows[0][0]), str(rows[0][1]), bool(rows[0][2])) if rows else None

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
